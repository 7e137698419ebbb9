<?xml version="1.0" encoding="UTF-8"?>
<!--
  Formatting shared by the report stylesheets: Brazilian money and
  dates, padding for the text reports.  Values come in integer centavos
  and ISO dates (xsd/relatorios.xsd); nothing is summed here.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">

  <!-- tiss-report renders a large acompanhamento in parts, so that
       memory does not grow with the month: 'frame' is the page with
       $part-mark where the prestadores go, 'prestadores' only the
       prestadores' sections; empty (the default) is the whole report. -->
  <xsl:param name="part" select="''"/>
  <xsl:variable name="part-mark" select="'{{tiss:prestadores}}'"/>

  <xsl:decimal-format name="br" decimal-separator="," grouping-separator="."/>

  <!-- Between "R$" and the number: HTML makes it non-breaking. -->
  <xsl:variable name="money-sep" select="' '"/>

  <!-- R$ 1.234,56; a dash when the value is unknown. -->
  <xsl:template name="money">
    <xsl:param name="v"/>
    <xsl:choose>
      <xsl:when test="string($v) = ''">—</xsl:when>
      <xsl:otherwise><xsl:value-of select="concat('R$', $money-sep, format-number($v div 100, '#.##0,00', 'br'))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A sum of the operator's figures (attribute f of the context's
       subtotal or total): a dash when no lote gave it, the sum followed
       by mark when only some lotes did (never a false zero). -->
  <xsl:template name="sum">
    <xsl:param name="f"/>
    <xsl:param name="mark" select="' (parcial)'"/>
    <xsl:call-template name="money"><xsl:with-param name="v" select="@*[local-name() = $f]"/></xsl:call-template>
    <xsl:if test="@*[local-name() = concat($f, 'Parcial')] = 'sim'"><xsl:value-of select="$mark"/></xsl:if>
  </xsl:template>

  <!-- 1234,56 for spreadsheets; empty when unknown. -->
  <xsl:template name="decimal">
    <xsl:param name="v"/>
    <xsl:if test="string($v) != ''">
      <xsl:value-of select="format-number($v div 100, '0,00', 'br')"/>
    </xsl:if>
  </xsl:template>

  <!-- aaaa-mm-dd as dd/mm/aaaa; a dash when unknown. -->
  <xsl:template name="date">
    <xsl:param name="d"/>
    <xsl:param name="none" select="'—'"/>
    <xsl:choose>
      <xsl:when test="string-length($d) &lt; 10"><xsl:value-of select="$none"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat(substring($d, 9, 2), '/', substring($d, 6, 2), '/', substring($d, 1, 4))"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- aaaa-mm as mm/aaaa. -->
  <xsl:template name="month">
    <xsl:param name="c"/>
    <xsl:value-of select="concat(substring($c, 6, 2), '/', substring($c, 1, 4))"/>
  </xsl:template>

  <!-- A moment in the workspace's zone, 2026-11-24T09:00:00-03:00, as
       24/11/2026 09:00 UTC-03:00; one in UTC (2026-11-24T12:00:00Z, when the
       zone's tzdata is missing) as 24/11/2026 12:00 UTC. -->
  <xsl:template name="stamp">
    <xsl:param name="t"/>
    <xsl:variable name="zone" select="substring($t, 20)"/>
    <xsl:call-template name="date"><xsl:with-param name="d" select="$t"/></xsl:call-template>
    <xsl:value-of select="concat(' ', substring($t, 12, 5))"/>
    <xsl:choose>
      <xsl:when test="$zone = 'Z' or $zone = ''"> UTC</xsl:when>
      <xsl:otherwise><xsl:value-of select="concat(' UTC', $zone)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:variable name="spaces" select="'                                                                                '"/>

  <!-- s cut or padded to w characters, left-aligned or (right) right-aligned. -->
  <xsl:template name="pad">
    <xsl:param name="s"/>
    <xsl:param name="w"/>
    <xsl:param name="right" select="false()"/>
    <xsl:variable name="t" select="substring(string($s), 1, $w)"/>
    <xsl:variable name="fill" select="substring($spaces, 1, $w - string-length($t))"/>
    <xsl:choose>
      <xsl:when test="$right"><xsl:value-of select="concat($fill, $t)"/></xsl:when>
      <xsl:otherwise><xsl:value-of select="concat($t, $fill)"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <!-- A CSV field, always quoted, quotes doubled. -->
  <xsl:template name="csv">
    <xsl:param name="s"/>
    <xsl:text>"</xsl:text>
    <xsl:call-template name="csv-quotes"><xsl:with-param name="s" select="string($s)"/></xsl:call-template>
    <xsl:text>"</xsl:text>
  </xsl:template>
  <xsl:template name="csv-quotes">
    <xsl:param name="s"/>
    <xsl:choose>
      <xsl:when test="contains($s, '&quot;')">
        <xsl:value-of select="concat(substring-before($s, '&quot;'), '&quot;&quot;')"/>
        <xsl:call-template name="csv-quotes"><xsl:with-param name="s" select="substring-after($s, '&quot;')"/></xsl:call-template>
      </xsl:when>
      <xsl:otherwise><xsl:value-of select="$s"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>
</xsl:stylesheet>
