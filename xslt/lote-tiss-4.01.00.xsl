<?xml version="1.0" encoding="UTF-8"?>
<!--
  Intermediate lote (xsd/lote.xsd) to a TISS 4.01.00 mensagemTISS of
  type ENVIO_LOTE_GUIAS with dental guides (cto_guiaOdontologia), in the
  schema's element order.  Literal result elements, one per TISS
  element, each only when the intermediate has a value (for-each over
  the one element, a single look-up): an optional element is left out
  rather than written empty.  The cabecalho identifies the prestador by
  CNPJ, CPF or codigoPrestadorNaOperadora, whichever the intermediate
  carries ([prestador CODE] in tiss.conf).  The hash is left
  empty: tiss-xml computes it over the result and fills it in.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ans="http://www.ans.gov.br/padroes/tiss/schemas">
  <!-- Field selects are in parentheses: libxml2 evaluates a bare name
       with its pattern streamer (xmlStreamPush), which cost 12% of
       tiss-xml's instructions; "(name)" selects the same nodes by the
       ordinary child walk (issue 17: -4% instructions, same bytes). -->
  <xsl:output method="xml" encoding="ISO-8859-1" indent="no"/>

  <xsl:variable name="padrao" select="'4.01.00'"/>

  <xsl:template match="/lote">
    <ans:mensagemTISS>
      <ans:cabecalho>
        <ans:identificacaoTransacao>
          <ans:tipoTransacao>ENVIO_LOTE_GUIAS</ans:tipoTransacao>
          <ans:sequencialTransacao><xsl:value-of select="cabecalho/sequencialTransacao"/></ans:sequencialTransacao>
          <ans:dataRegistroTransacao><xsl:value-of select="cabecalho/dataRegistroTransacao"/></ans:dataRegistroTransacao>
          <ans:horaRegistroTransacao><xsl:value-of select="cabecalho/horaRegistroTransacao"/></ans:horaRegistroTransacao>
        </ans:identificacaoTransacao>
        <ans:origem>
          <ans:identificacaoPrestador>
            <xsl:choose>
              <xsl:when test="cabecalho/CNPJ"><ans:CNPJ><xsl:value-of select="cabecalho/CNPJ"/></ans:CNPJ></xsl:when>
              <xsl:when test="cabecalho/CPF"><ans:CPF><xsl:value-of select="cabecalho/CPF"/></ans:CPF></xsl:when>
              <xsl:otherwise><ans:codigoPrestadorNaOperadora><xsl:value-of select="cabecalho/codigoPrestadorNaOperadora"/></ans:codigoPrestadorNaOperadora></xsl:otherwise>
            </xsl:choose>
          </ans:identificacaoPrestador>
        </ans:origem>
        <ans:destino>
          <ans:registroANS><xsl:value-of select="cabecalho/registroANS"/></ans:registroANS>
        </ans:destino>
        <ans:Padrao><xsl:value-of select="$padrao"/></ans:Padrao>
      </ans:cabecalho>
      <ans:prestadorParaOperadora>
        <ans:loteGuias>
          <ans:numeroLote><xsl:value-of select="numeroLote"/></ans:numeroLote>
          <ans:guiasTISS>
            <xsl:apply-templates select="guia"/>
          </ans:guiasTISS>
        </ans:loteGuias>
      </ans:prestadorParaOperadora>
      <ans:epilogo>
        <ans:hash/>
      </ans:epilogo>
    </ans:mensagemTISS>
  </xsl:template>

  <xsl:template match="guia">
    <ans:guiaOdonto>
      <ans:registroANS><xsl:value-of select="/lote/cabecalho/registroANS"/></ans:registroANS>
      <xsl:for-each select="(numeroGuiaPrestador)"><ans:numeroGuiaPrestador><xsl:value-of select="."/></ans:numeroGuiaPrestador></xsl:for-each>
      <xsl:for-each select="(numeroGuiaPrincipal)"><ans:numeroGuiaPrincipal><xsl:value-of select="."/></ans:numeroGuiaPrincipal></xsl:for-each>
      <xsl:for-each select="(dataAutorizacao)"><ans:dataAutorizacao><xsl:value-of select="."/></ans:dataAutorizacao></xsl:for-each>
      <xsl:for-each select="(senhaAutorizacao)"><ans:senhaAutorizacao><xsl:value-of select="."/></ans:senhaAutorizacao></xsl:for-each>
      <xsl:for-each select="(validadeSenha)"><ans:validadeSenha><xsl:value-of select="."/></ans:validadeSenha></xsl:for-each>
      <xsl:for-each select="(numeroGuiaOperadora)"><ans:numeroGuiaOperadora><xsl:value-of select="."/></ans:numeroGuiaOperadora></xsl:for-each>
      <xsl:call-template name="beneficiario"/>
      <xsl:for-each select="(planoBeneficiario)"><ans:planoBeneficiario><xsl:value-of select="."/></ans:planoBeneficiario></xsl:for-each>
      <xsl:for-each select="(nomeEmpresa)"><ans:nomeEmpresa><xsl:value-of select="."/></ans:nomeEmpresa></xsl:for-each>
      <xsl:call-template name="profissionais"/>
      <xsl:apply-templates select="procedimento"/>
      <xsl:for-each select="(dataTerminoTrat)"><ans:dataTerminoTrat><xsl:value-of select="."/></ans:dataTerminoTrat></xsl:for-each>
      <xsl:for-each select="(tipoAtendimento)"><ans:tipoAtendimento><xsl:value-of select="."/></ans:tipoAtendimento></xsl:for-each>
      <xsl:for-each select="(tipoFaturamento)"><ans:tipoFaturamento><xsl:value-of select="."/></ans:tipoFaturamento></xsl:for-each>
      <xsl:for-each select="(valorTotalProc)"><ans:valorTotalProc><xsl:value-of select="."/></ans:valorTotalProc></xsl:for-each>
      <xsl:for-each select="(observacao)"><ans:observacao><xsl:value-of select="."/></ans:observacao></xsl:for-each>
    </ans:guiaOdonto>
  </xsl:template>

  <xsl:template name="beneficiario">
    <ans:dadosBeneficiario>
      <xsl:for-each select="(numeroCarteira)"><ans:numeroCarteira><xsl:value-of select="."/></ans:numeroCarteira></xsl:for-each>
      <xsl:for-each select="(atendimentoRN)"><ans:atendimentoRN><xsl:value-of select="."/></ans:atendimentoRN></xsl:for-each>
    </ans:dadosBeneficiario>
  </xsl:template>

  <xsl:template name="profissionais">
    <ans:dadosProfissionaisResponsaveis>
      <xsl:for-each select="(nomeProfSolic)"><ans:nomeProfSolic><xsl:value-of select="."/></ans:nomeProfSolic></xsl:for-each>
      <xsl:for-each select="(croSolic)"><ans:croSolic><xsl:value-of select="."/></ans:croSolic></xsl:for-each>
      <xsl:for-each select="(ufSolic)"><ans:ufSolic><xsl:value-of select="."/></ans:ufSolic></xsl:for-each>
      <xsl:for-each select="(cbosSolic)"><ans:cbosSolic><xsl:value-of select="."/></ans:cbosSolic></xsl:for-each>
      <xsl:for-each select="(codigoProfExec)"><ans:codigoProfExec><xsl:value-of select="."/></ans:codigoProfExec></xsl:for-each>
      <xsl:for-each select="(croExec)"><ans:croExec><xsl:value-of select="."/></ans:croExec></xsl:for-each>
      <xsl:for-each select="(ufExec)"><ans:ufExec><xsl:value-of select="."/></ans:ufExec></xsl:for-each>
      <xsl:for-each select="(cnesExec)"><ans:cnesExec><xsl:value-of select="."/></ans:cnesExec></xsl:for-each>
      <xsl:for-each select="(cbosExec2)"><ans:cbosExec2><xsl:value-of select="."/></ans:cbosExec2></xsl:for-each>
    </ans:dadosProfissionaisResponsaveis>
  </xsl:template>

  <xsl:template match="procedimento">
    <ans:procedimentosExecutados>
      <xsl:for-each select="(sequencialItem)"><ans:sequencialItem><xsl:value-of select="."/></ans:sequencialItem></xsl:for-each>
      <ans:procSolic>
        <xsl:for-each select="(codigoTabela)"><ans:codigoTabela><xsl:value-of select="."/></ans:codigoTabela></xsl:for-each>
        <xsl:for-each select="(codigoProcedimento)"><ans:codigoProcedimento><xsl:value-of select="."/></ans:codigoProcedimento></xsl:for-each>
        <xsl:for-each select="(descricaoProcedimento)"><ans:descricaoProcedimento><xsl:value-of select="."/></ans:descricaoProcedimento></xsl:for-each>
      </ans:procSolic>
      <xsl:if test="codDente or codRegiao">
        <ans:denteRegiao>
          <xsl:for-each select="(codDente)"><ans:codDente><xsl:value-of select="."/></ans:codDente></xsl:for-each>
          <xsl:for-each select="(codRegiao)"><ans:codRegiao><xsl:value-of select="."/></ans:codRegiao></xsl:for-each>
        </ans:denteRegiao>
      </xsl:if>
      <xsl:for-each select="(denteFace)"><ans:denteFace><xsl:value-of select="."/></ans:denteFace></xsl:for-each>
      <xsl:for-each select="(qtdProc)"><ans:qtdProc><xsl:value-of select="."/></ans:qtdProc></xsl:for-each>
      <xsl:for-each select="(qtdUS)"><ans:qtdUS><xsl:value-of select="."/></ans:qtdUS></xsl:for-each>
      <xsl:for-each select="(valorProc)"><ans:valorProc><xsl:value-of select="."/></ans:valorProc></xsl:for-each>
      <xsl:for-each select="(valorFranquia)"><ans:valorFranquia><xsl:value-of select="."/></ans:valorFranquia></xsl:for-each>
      <xsl:for-each select="(autorizado)"><ans:autorizado><xsl:value-of select="."/></ans:autorizado></xsl:for-each>
      <xsl:for-each select="(dataRealizacao)"><ans:dataRealizacao><xsl:value-of select="."/></ans:dataRealizacao></xsl:for-each>
    </ans:procedimentosExecutados>
  </xsl:template>
</xsl:stylesheet>
