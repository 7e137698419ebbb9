<?xml version="1.0" encoding="UTF-8"?>
<!--
  Intermediate lote (xsd/lote.xsd) to a TISS 4.01.00 mensagemTISS of
  type ENVIO_LOTE_GUIAS with dental guides (cto_guiaOdontologia), in the
  schema's element order.  The intermediate's guide is already in that
  order and grouping (xsd/lote.xsd), with an element only where there is
  a value: each template makes the literal TISS element of one node, so
  an optional element is left out rather than written empty, and the
  order is the intermediate's.  The cabecalho identifies the prestador by
  CNPJ, CPF or codigoPrestadorNaOperadora, whichever the intermediate
  carries ([prestador CODE] in tiss.conf).  The hash is left
  empty: tiss-xml computes it over the result and fills it in.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ans="http://www.ans.gov.br/padroes/tiss/schemas"
    exclude-result-prefixes="ans">
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

  <xsl:variable name="registroANS" select="string(/lote/cabecalho/registroANS)"/>

  <!-- A guide's children come in the TISS order and groups (xsd/lote.xsd):
       each element of the message is made from one node by its template
       (a look-up by name), with no search among the guide's fields: the
       for-each per field, each a walk of the guide's children, was a
       third of tiss-xml's instructions (issue 17). -->
  <xsl:template match="guia">
    <ans:guiaOdonto>
      <ans:registroANS><xsl:value-of select="$registroANS"/></ans:registroANS>
      <xsl:apply-templates select="*"/>
    </ans:guiaOdonto>
  </xsl:template>

  <xsl:template match="dadosBeneficiario">
    <ans:dadosBeneficiario><xsl:apply-templates select="*"/></ans:dadosBeneficiario>
  </xsl:template>

  <xsl:template match="dadosProfissionaisResponsaveis">
    <ans:dadosProfissionaisResponsaveis><xsl:apply-templates select="*"/></ans:dadosProfissionaisResponsaveis>
  </xsl:template>

  <xsl:template match="procedimento">
    <ans:procedimentosExecutados><xsl:apply-templates select="*"/></ans:procedimentosExecutados>
  </xsl:template>

  <xsl:template match="procSolic">
    <ans:procSolic><xsl:apply-templates select="*"/></ans:procSolic>
  </xsl:template>

  <xsl:template match="denteRegiao">
    <ans:denteRegiao><xsl:apply-templates select="*"/></ans:denteRegiao>
  </xsl:template>

  <!-- Not in the 4.01.00 GTO (3.05.00 has the names). -->
  <xsl:template match="dataSolicitacao|nomeBeneficiario|nomeProfExec"/>

  <xsl:template match="numeroGuiaPrestador"><ans:numeroGuiaPrestador><xsl:apply-templates/></ans:numeroGuiaPrestador></xsl:template>
  <xsl:template match="numeroGuiaPrincipal"><ans:numeroGuiaPrincipal><xsl:apply-templates/></ans:numeroGuiaPrincipal></xsl:template>
  <xsl:template match="dataAutorizacao"><ans:dataAutorizacao><xsl:apply-templates/></ans:dataAutorizacao></xsl:template>
  <xsl:template match="senhaAutorizacao"><ans:senhaAutorizacao><xsl:apply-templates/></ans:senhaAutorizacao></xsl:template>
  <xsl:template match="validadeSenha"><ans:validadeSenha><xsl:apply-templates/></ans:validadeSenha></xsl:template>
  <xsl:template match="numeroGuiaOperadora"><ans:numeroGuiaOperadora><xsl:apply-templates/></ans:numeroGuiaOperadora></xsl:template>
  <xsl:template match="numeroCarteira"><ans:numeroCarteira><xsl:apply-templates/></ans:numeroCarteira></xsl:template>
  <xsl:template match="atendimentoRN"><ans:atendimentoRN><xsl:apply-templates/></ans:atendimentoRN></xsl:template>
  <xsl:template match="planoBeneficiario"><ans:planoBeneficiario><xsl:apply-templates/></ans:planoBeneficiario></xsl:template>
  <xsl:template match="nomeEmpresa"><ans:nomeEmpresa><xsl:apply-templates/></ans:nomeEmpresa></xsl:template>
  <xsl:template match="nomeProfSolic"><ans:nomeProfSolic><xsl:apply-templates/></ans:nomeProfSolic></xsl:template>
  <xsl:template match="croSolic"><ans:croSolic><xsl:apply-templates/></ans:croSolic></xsl:template>
  <xsl:template match="ufSolic"><ans:ufSolic><xsl:apply-templates/></ans:ufSolic></xsl:template>
  <xsl:template match="cbosSolic"><ans:cbosSolic><xsl:apply-templates/></ans:cbosSolic></xsl:template>
  <xsl:template match="codigoProfExec"><ans:codigoProfExec><xsl:apply-templates/></ans:codigoProfExec></xsl:template>
  <xsl:template match="croExec"><ans:croExec><xsl:apply-templates/></ans:croExec></xsl:template>
  <xsl:template match="ufExec"><ans:ufExec><xsl:apply-templates/></ans:ufExec></xsl:template>
  <xsl:template match="cnesExec"><ans:cnesExec><xsl:apply-templates/></ans:cnesExec></xsl:template>
  <xsl:template match="cbosExec2"><ans:cbosExec2><xsl:value-of select="."/></ans:cbosExec2></xsl:template>
  <xsl:template match="dataTerminoTrat"><ans:dataTerminoTrat><xsl:apply-templates/></ans:dataTerminoTrat></xsl:template>
  <xsl:template match="tipoAtendimento"><ans:tipoAtendimento><xsl:apply-templates/></ans:tipoAtendimento></xsl:template>
  <xsl:template match="tipoFaturamento"><ans:tipoFaturamento><xsl:apply-templates/></ans:tipoFaturamento></xsl:template>
  <xsl:template match="valorTotalProc"><ans:valorTotalProc><xsl:apply-templates/></ans:valorTotalProc></xsl:template>
  <xsl:template match="observacao"><ans:observacao><xsl:apply-templates/></ans:observacao></xsl:template>
  <xsl:template match="sequencialItem"><ans:sequencialItem><xsl:apply-templates/></ans:sequencialItem></xsl:template>
  <xsl:template match="codigoTabela"><ans:codigoTabela><xsl:apply-templates/></ans:codigoTabela></xsl:template>
  <xsl:template match="codigoProcedimento"><ans:codigoProcedimento><xsl:apply-templates/></ans:codigoProcedimento></xsl:template>
  <xsl:template match="descricaoProcedimento"><ans:descricaoProcedimento><xsl:apply-templates/></ans:descricaoProcedimento></xsl:template>
  <xsl:template match="codDente"><ans:codDente><xsl:apply-templates/></ans:codDente></xsl:template>
  <xsl:template match="codRegiao"><ans:codRegiao><xsl:apply-templates/></ans:codRegiao></xsl:template>
  <xsl:template match="denteFace"><ans:denteFace><xsl:apply-templates/></ans:denteFace></xsl:template>
  <xsl:template match="qtdProc"><ans:qtdProc><xsl:apply-templates/></ans:qtdProc></xsl:template>
  <xsl:template match="qtdUS"><ans:qtdUS><xsl:apply-templates/></ans:qtdUS></xsl:template>
  <xsl:template match="valorProc"><ans:valorProc><xsl:apply-templates/></ans:valorProc></xsl:template>
  <xsl:template match="valorFranquia"><ans:valorFranquia><xsl:apply-templates/></ans:valorFranquia></xsl:template>
  <xsl:template match="autorizado"><ans:autorizado><xsl:apply-templates/></ans:autorizado></xsl:template>
  <xsl:template match="dataRealizacao"><ans:dataRealizacao><xsl:apply-templates/></ans:dataRealizacao></xsl:template>
</xsl:stylesheet>
