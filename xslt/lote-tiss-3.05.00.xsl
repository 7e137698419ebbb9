<?xml version="1.0" encoding="UTF-8"?>
<!--
  Intermediate lote to a TISS 3.05.00 mensagemTISS: the 4.01.00
  stylesheet with what 4.00.00 removed put back: nomeBeneficiario in
  dadosBeneficiario and nomeProfExec among the professionals.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ans="http://www.ans.gov.br/padroes/tiss/schemas"
    exclude-result-prefixes="ans">
  <xsl:import href="lote-tiss-4.01.00.xsl"/>
  <xsl:output method="xml" encoding="ISO-8859-1" indent="no"/>

  <xsl:variable name="padrao" select="'3.05.00'"/>

  <xsl:template match="nomeBeneficiario"><ans:nomeBeneficiario><xsl:apply-templates/></ans:nomeBeneficiario></xsl:template>
  <xsl:template match="nomeProfExec"><ans:nomeProfExec><xsl:apply-templates/></ans:nomeProfExec></xsl:template>
</xsl:stylesheet>
