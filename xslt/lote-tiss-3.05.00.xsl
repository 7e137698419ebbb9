<?xml version="1.0" encoding="UTF-8"?>
<!--
  Intermediate lote to a TISS 3.05.00 mensagemTISS: the 4.01.00
  stylesheet with what 4.00.00 removed put back: nomeBeneficiario in
  dadosBeneficiario and nomeProfExec among the professionals.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ans="http://www.ans.gov.br/padroes/tiss/schemas">
  <!-- Field selects are in parentheses: libxml2 evaluates a bare name
       with its pattern streamer (xmlStreamPush), which cost 12% of
       tiss-xml's instructions; "(name)" selects the same nodes by the
       ordinary child walk (issue 17: -4% instructions, same bytes). -->
  <xsl:import href="lote-tiss-4.01.00.xsl"/>
  <xsl:output method="xml" encoding="ISO-8859-1" indent="no"/>

  <xsl:variable name="padrao" select="'3.05.00'"/>

  <xsl:template name="beneficiario">
    <ans:dadosBeneficiario>
      <xsl:for-each select="(numeroCarteira)"><ans:numeroCarteira><xsl:value-of select="."/></ans:numeroCarteira></xsl:for-each>
      <xsl:for-each select="(atendimentoRN)"><ans:atendimentoRN><xsl:value-of select="."/></ans:atendimentoRN></xsl:for-each>
      <xsl:for-each select="(nomeBeneficiario)"><ans:nomeBeneficiario><xsl:value-of select="."/></ans:nomeBeneficiario></xsl:for-each>
    </ans:dadosBeneficiario>
  </xsl:template>

  <xsl:template name="profissionais">
    <ans:dadosProfissionaisResponsaveis>
      <xsl:for-each select="(nomeProfSolic)"><ans:nomeProfSolic><xsl:value-of select="."/></ans:nomeProfSolic></xsl:for-each>
      <xsl:for-each select="(croSolic)"><ans:croSolic><xsl:value-of select="."/></ans:croSolic></xsl:for-each>
      <xsl:for-each select="(ufSolic)"><ans:ufSolic><xsl:value-of select="."/></ans:ufSolic></xsl:for-each>
      <xsl:for-each select="(cbosSolic)"><ans:cbosSolic><xsl:value-of select="."/></ans:cbosSolic></xsl:for-each>
      <xsl:for-each select="(codigoProfExec)"><ans:codigoProfExec><xsl:value-of select="."/></ans:codigoProfExec></xsl:for-each>
      <xsl:for-each select="(nomeProfExec)"><ans:nomeProfExec><xsl:value-of select="."/></ans:nomeProfExec></xsl:for-each>
      <xsl:for-each select="(croExec)"><ans:croExec><xsl:value-of select="."/></ans:croExec></xsl:for-each>
      <xsl:for-each select="(ufExec)"><ans:ufExec><xsl:value-of select="."/></ans:ufExec></xsl:for-each>
      <xsl:for-each select="(cnesExec)"><ans:cnesExec><xsl:value-of select="."/></ans:cnesExec></xsl:for-each>
      <xsl:for-each select="(cbosExec2)"><ans:cbosExec2><xsl:value-of select="."/></ans:cbosExec2></xsl:for-each>
    </ans:dadosProfissionaisResponsaveis>
  </xsl:template>
</xsl:stylesheet>
