<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reports as CSV for spreadsheets set to Portuguese: ';' between
  fields, every field quoted, decimal comma, dates dd/mm/aaaa.  The
  first column says what a line is: lote, glosa, subtotal or total
  (acompanhamento; pago, once known: the payment date in dataEnvio's
  column, the amount in valorLiberado's); one line per pendência
  (pendencias); lote, subtotal, total, ausente or glosa (conciliacao).
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="report-common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template name="f">
    <xsl:param name="s"/>
    <xsl:param name="last" select="false()"/>
    <xsl:call-template name="csv"><xsl:with-param name="s" select="$s"/></xsl:call-template>
    <xsl:choose>
      <xsl:when test="$last"><xsl:text>&#10;</xsl:text></xsl:when>
      <xsl:otherwise>;</xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template name="d">
    <xsl:param name="v"/>
    <xsl:param name="last" select="false()"/>
    <xsl:call-template name="f">
      <xsl:with-param name="s"><xsl:call-template name="decimal"><xsl:with-param name="v" select="$v"/></xsl:call-template></xsl:with-param>
      <xsl:with-param name="last" select="$last"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="sums">
    <xsl:param name="kind"/>
    <xsl:param name="prestador"/>
    <xsl:call-template name="f"><xsl:with-param name="s" select="$kind"/></xsl:call-template>
    <xsl:call-template name="f"><xsl:with-param name="s" select="$prestador"/></xsl:call-template>
    <xsl:text>"";"";"";"";"";</xsl:text>
    <xsl:call-template name="f"><xsl:with-param name="s" select="@guias"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
    <xsl:text>"";"";</xsl:text>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@processado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
    <xsl:text>"";"";"";""&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="/acompanhamento">
    <xsl:choose>
      <xsl:when test="$part = 'prestadores'"><xsl:call-template name="acompanhamento-prestadores"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="." mode="whole"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="acompanhamento" mode="whole">
    <xsl:text>"registro";"prestador";"competencia";"lote";"situacao";"statusProtocolo";"situacaoOperadora";"guias";"valorEnviado";"dataEnvio";"protocolo";"valorProcessado";"valorGlosa";"valorLiberado";"guia";"item";"codigoGlosa";"descricao"&#10;</xsl:text>
    <xsl:choose>
      <xsl:when test="$part = 'frame'"><xsl:value-of select="$part-mark"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="acompanhamento-prestadores"/></xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="total">
      <xsl:call-template name="sums">
        <xsl:with-param name="kind" select="'total'"/>
        <xsl:with-param name="prestador" select="''"/>
      </xsl:call-template>
    </xsl:for-each>
  </xsl:template>

  <xsl:template name="acompanhamento-prestadores">
    <xsl:for-each select="prestador">
      <xsl:apply-templates select="lote"/>
      <xsl:for-each select="subtotal">
        <xsl:call-template name="sums">
          <xsl:with-param name="kind" select="'subtotal'"/>
          <xsl:with-param name="prestador" select="../@codigo"/>
        </xsl:call-template>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- One template per lote, its text in an element <r> that the text
       output drops: libxslt frees temporary trees per instantiation, and
       appends to one text node with a strlen of all of it, which made
       20,000 lotes take seconds instead of a fraction of one. -->
  <xsl:variable name="month"><xsl:call-template name="month"><xsl:with-param name="c" select="/acompanhamento/@competencia"/></xsl:call-template></xsl:variable>

  <xsl:template match="lote">
    <r>
        <xsl:call-template name="f"><xsl:with-param name="s" select="'lote'"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="../@codigo"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="$month"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@numero"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@situacao"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@statusProtocolo"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@statusProtocoloTexto"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@guias"/></xsl:call-template>
        <xsl:call-template name="d"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataEnvio"/><xsl:with-param name="none" select="''"/></xsl:call-template></xsl:with-param></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@protocolo"/></xsl:call-template>
        <xsl:call-template name="d"><xsl:with-param name="v" select="@processado"/></xsl:call-template>
        <xsl:call-template name="d"><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
        <xsl:call-template name="d"><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
        <xsl:text>"";"";</xsl:text>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@codigoErro"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@descricaoErro"/><xsl:with-param name="last" select="true()"/></xsl:call-template>
        <xsl:if test="@pago">
          <xsl:call-template name="f"><xsl:with-param name="s" select="'pago'"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="../@codigo"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="$month"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="@numero"/></xsl:call-template>
          <xsl:text>"";"";"";"";"";</xsl:text>
          <xsl:call-template name="f"><xsl:with-param name="s"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataPagamento"/><xsl:with-param name="none" select="''"/></xsl:call-template></xsl:with-param></xsl:call-template>
          <xsl:text>"";"";"";</xsl:text>
          <xsl:call-template name="d"><xsl:with-param name="v" select="@pago"/></xsl:call-template>
          <xsl:text>"";"";"";""&#10;</xsl:text>
        </xsl:if>
        <xsl:for-each select="glosa">
          <xsl:call-template name="f"><xsl:with-param name="s" select="'glosa'"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="../../@codigo"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="$month"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="../@numero"/></xsl:call-template>
          <xsl:text>"";"";"";"";"";"";"";"";</xsl:text>
          <xsl:call-template name="d"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
          <xsl:text>"";</xsl:text>
          <xsl:call-template name="f"><xsl:with-param name="s" select="@guia"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="@item"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="@codigo"/></xsl:call-template>
          <xsl:call-template name="f"><xsl:with-param name="s" select="@descricao"/><xsl:with-param name="last" select="true()"/></xsl:call-template>
        </xsl:for-each>
    </r>
  </xsl:template>

  <xsl:template match="/pendencias">
    <xsl:text>"prestador";"guia";"origem";"arquivo";"linha";"campo";"regra";"severidade";"mensagem";"valor"&#10;</xsl:text>
    <xsl:for-each select="prestador/guia/pendencia">
      <xsl:call-template name="f"><xsl:with-param name="s" select="../../@codigo"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="../@numero"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="../@origem"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="../@arquivo"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="../@linha"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@campo"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@regra"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@severidade"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="."/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@valor"/><xsl:with-param name="last" select="true()"/></xsl:call-template>
    </xsl:for-each>
  </xsl:template>
  <!-- ==== Conciliação: one line per lote, subtotal, total, guide absent
       from every demonstrativo (ausente) and glosa code (glosa). ==== -->

  <xsl:template name="conc-sums">
    <xsl:call-template name="f"><xsl:with-param name="s" select="@guias"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@faturado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@processado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@glosado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@pago"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@emRecurso"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@acatado"/></xsl:call-template>
    <xsl:call-template name="d"><xsl:with-param name="v" select="@aReceber"/></xsl:call-template>
    <xsl:text>"";"";"";"";"";""&#10;</xsl:text>
  </xsl:template>

  <xsl:template match="/conciliacao">
    <xsl:text>"registro";"prestador";"competencia";"lote";"protocolo";"guias";"faturado";"processado";"liberado";"glosado";"pago";"emRecurso";"acatado";"aReceber";"codigoGlosa";"descricao";"itens";"guia";"enviadaEm";"dias"&#10;</xsl:text>
    <xsl:for-each select="prestador">
      <xsl:for-each select="lote">
        <xsl:call-template name="f"><xsl:with-param name="s" select="'lote'"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="../@codigo"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s"><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:with-param></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@numero"/></xsl:call-template>
        <xsl:call-template name="f"><xsl:with-param name="s" select="@protocolo"/></xsl:call-template>
        <xsl:call-template name="conc-sums"/>
      </xsl:for-each>
      <xsl:for-each select="subtotal">
        <xsl:text>"subtotal";</xsl:text>
        <xsl:call-template name="f"><xsl:with-param name="s" select="../@codigo"/></xsl:call-template>
        <xsl:text>"";"";"";</xsl:text>
        <xsl:call-template name="conc-sums"/>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="total">
      <xsl:text>"total";"";"";"";"";</xsl:text>
      <xsl:call-template name="conc-sums"/>
    </xsl:for-each>
    <xsl:for-each select="ausentes/guia">
      <xsl:text>"ausente";</xsl:text>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@prestador"/></xsl:call-template>
      <xsl:text>"";</xsl:text>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@lote"/></xsl:call-template>
      <xsl:text>"";"";</xsl:text>
      <xsl:call-template name="d"><xsl:with-param name="v" select="@faturado"/></xsl:call-template>
      <xsl:text>"";"";"";"";"";"";"";"";"";"";</xsl:text>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@numero"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s"><xsl:call-template name="date"><xsl:with-param name="d" select="@enviadoEm"/><xsl:with-param name="none" select="''"/></xsl:call-template></xsl:with-param></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@dias"/><xsl:with-param name="last" select="true()"/></xsl:call-template>
    </xsl:for-each>
    <xsl:for-each select="glosas/glosa">
      <xsl:text>"glosa";"";"";"";"";"";"";"";"";</xsl:text>
      <xsl:call-template name="d"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
      <xsl:text>"";"";"";"";</xsl:text>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@codigo"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@descricao"/></xsl:call-template>
      <xsl:call-template name="f"><xsl:with-param name="s" select="@itens"/></xsl:call-template>
      <xsl:text>"";"";""&#10;</xsl:text>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
