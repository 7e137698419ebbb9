<?xml version="1.0" encoding="UTF-8"?>
<!--
  Intermediate lote to a TISS 4.03.00 mensagemTISS, the version in force
  since 01/12/2025.  For the GTO, the lote, the cabecalho, the hash and
  the SOAP bodies 4.03.00 is 4.01.00 (NOTES.md §8): the same elements in
  the same order.  What differs is data, not structure: Padrao, and the
  facets the validation checks per version (qtdUS 7-2, valorProc and
  valorFranquia 10-2, the alphanumeric CNPJ), so this is the 4.01.00
  stylesheet with its version string.
-->
<xsl:stylesheet version="1.0"
    xmlns:xsl="http://www.w3.org/1999/XSL/Transform"
    xmlns:ans="http://www.ans.gov.br/padroes/tiss/schemas"
    exclude-result-prefixes="ans">
  <xsl:import href="lote-tiss-4.01.00.xsl"/>
  <xsl:output method="xml" encoding="ISO-8859-1" indent="no"/>

  <xsl:variable name="padrao" select="'4.03.00'"/>
</xsl:stylesheet>
