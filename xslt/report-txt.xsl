<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reports as plain text, fixed columns, for a terminal, an e-mail or
  a line printer: acompanhamento, pendências, the 2ª via of a protocolo,
  the conciliação.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="report-common.xsl"/>
  <xsl:output method="text" encoding="UTF-8"/>

  <xsl:template name="m">
    <xsl:param name="v"/>
    <xsl:param name="w" select="16"/>
    <xsl:call-template name="pad">
      <xsl:with-param name="s"><xsl:call-template name="money"><xsl:with-param name="v" select="$v"/></xsl:call-template></xsl:with-param>
      <xsl:with-param name="w" select="$w"/>
      <xsl:with-param name="right" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <!-- A sum (report-common's "sum") padded like m; '*' marks a partial one. -->
  <xsl:template name="ms">
    <xsl:param name="f"/>
    <xsl:call-template name="pad">
      <xsl:with-param name="s"><xsl:call-template name="sum"><xsl:with-param name="f" select="$f"/><xsl:with-param name="mark" select="'*'"/></xsl:call-template></xsl:with-param>
      <xsl:with-param name="w" select="16"/>
      <xsl:with-param name="right" select="true()"/>
    </xsl:call-template>
  </xsl:template>

  <xsl:template name="c">
    <xsl:param name="s"/>
    <xsl:param name="w"/>
    <xsl:param name="right" select="false()"/>
    <xsl:call-template name="pad">
      <xsl:with-param name="s" select="$s"/>
      <xsl:with-param name="w" select="$w"/>
      <xsl:with-param name="right" select="$right"/>
    </xsl:call-template>
    <xsl:text> </xsl:text>
  </xsl:template>

  <xsl:template match="/acompanhamento">
    <xsl:choose>
      <xsl:when test="$part = 'prestadores'"><xsl:call-template name="acompanhamento-prestadores"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="." mode="whole"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="acompanhamento" mode="whole">
    <xsl:variable name="month"><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:variable>
    <xsl:text>ACOMPANHAMENTO DE LOTES - competência </xsl:text>
    <xsl:value-of select="$month"/>
    <xsl:if test="@prestador"> - prestador <xsl:value-of select="@prestador"/></xsl:if>
    <xsl:if test="@lote"> - lote <xsl:value-of select="@lote"/></xsl:if>
    <xsl:text>&#10;gerado em </xsl:text>
    <xsl:call-template name="stamp"><xsl:with-param name="t" select="@gerado"/></xsl:call-template>
    <xsl:text>&#10;</xsl:text>
    <xsl:if test="not(prestador)">&#10;Nenhum lote nesta competência.&#10;</xsl:if>
    <xsl:choose>
      <xsl:when test="$part = 'frame'"><xsl:value-of select="$part-mark"/></xsl:when>
      <xsl:otherwise><xsl:call-template name="acompanhamento-prestadores"/></xsl:otherwise>
    </xsl:choose>
    <xsl:for-each select="total[../prestador]">
      <xsl:text>&#10;</xsl:text>
      <xsl:call-template name="c"><xsl:with-param name="s" select="concat('TOTAL GERAL (lotes: ', @lotes, ')')"/><xsl:with-param name="w" select="44"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="@guias"/><xsl:with-param name="w" select="6"/><xsl:with-param name="right" select="true()"/></xsl:call-template>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
      <xsl:text>                         </xsl:text>
      <xsl:call-template name="ms"><xsl:with-param name="f" select="'processado'"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <xsl:call-template name="ms"><xsl:with-param name="f" select="'glosa'"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <xsl:call-template name="ms"><xsl:with-param name="f" select="'liberado'"/></xsl:call-template>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:if test="(prestador/subtotal | total)/@*[substring(local-name(), string-length(local-name()) - 6) = 'Parcial']">
      <xsl:text>&#10;* parcial: soma só dos lotes cujos valores a operadora já informou; — ainda não informado&#10;</xsl:text>
    </xsl:if>
  </xsl:template>

  <xsl:template name="acompanhamento-prestadores">
    <xsl:for-each select="prestador">
      <xsl:text>&#10;PRESTADOR </xsl:text><xsl:value-of select="@codigo"/><xsl:text>&#10;</xsl:text>
      <xsl:text>LOTE   SITUAÇÃO     OPERADORA                 GUIAS    VALOR ENVIADO ENVIO      PROTOCOLO          PROCESSADO            GLOSA         LIBERADO&#10;</xsl:text>
      <xsl:apply-templates select="lote"/>
      <xsl:for-each select="subtotal">
        <xsl:call-template name="c"><xsl:with-param name="s" select="concat('SUBTOTAL ', ../@codigo, ' (lotes: ', @lotes, ')')"/><xsl:with-param name="w" select="44"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s" select="@guias"/><xsl:with-param name="w" select="6"/><xsl:with-param name="right" select="true()"/></xsl:call-template>
        <xsl:call-template name="m"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
        <xsl:text>                         </xsl:text>
        <xsl:call-template name="ms"><xsl:with-param name="f" select="'processado'"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="ms"><xsl:with-param name="f" select="'glosa'"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="ms"><xsl:with-param name="f" select="'liberado'"/></xsl:call-template>
        <xsl:text>&#10;</xsl:text>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- One template per lote, its text in an element <r> that the text
       output drops: libxslt frees temporary trees per instantiation, and
       appends to one text node with a strlen of all of it, which made
       20,000 lotes take seconds instead of a fraction of one. -->
  <xsl:template match="lote">
    <r>
        <xsl:call-template name="c"><xsl:with-param name="s" select="@numero"/><xsl:with-param name="w" select="6"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s" select="@situacao"/><xsl:with-param name="w" select="12"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s"><xsl:choose><xsl:when test="@statusProtocolo"><xsl:value-of select="concat(@statusProtocolo, ' ', @statusProtocoloTexto)"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></xsl:with-param><xsl:with-param name="w" select="24"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s" select="@guias"/><xsl:with-param name="w" select="6"/><xsl:with-param name="right" select="true()"/></xsl:call-template>
        <xsl:call-template name="m"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="c"><xsl:with-param name="s"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataEnvio"/></xsl:call-template></xsl:with-param><xsl:with-param name="w" select="10"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s"><xsl:choose><xsl:when test="@protocolo"><xsl:value-of select="@protocolo"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></xsl:with-param><xsl:with-param name="w" select="12"/></xsl:call-template>
        <xsl:call-template name="m"><xsl:with-param name="v" select="@processado"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="m"><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
        <xsl:text> </xsl:text>
        <xsl:call-template name="m"><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
        <xsl:text>&#10;</xsl:text>
        <xsl:if test="@codigoErro">
          <xsl:value-of select="concat('       rejeitado: ', @codigoErro, ' ', @descricaoErro)"/><xsl:text>&#10;</xsl:text>
        </xsl:if>
        <xsl:if test="@pago">
          <xsl:text>       pago: </xsl:text>
          <xsl:call-template name="money"><xsl:with-param name="v" select="@pago"/></xsl:call-template>
          <xsl:if test="@dataPagamento"><xsl:text> em </xsl:text><xsl:call-template name="date"><xsl:with-param name="d" select="@dataPagamento"/></xsl:call-template></xsl:if>
          <xsl:text>&#10;</xsl:text>
        </xsl:if>
        <xsl:for-each select="glosa">
          <xsl:text>       glosa </xsl:text>
          <xsl:value-of select="@codigo"/>
          <xsl:choose>
            <xsl:when test="@guia != ''"><xsl:value-of select="concat(' guia ', @guia)"/><xsl:if test="@item"><xsl:value-of select="concat(' item ', @item)"/></xsl:if></xsl:when>
            <xsl:otherwise> no lote</xsl:otherwise>
          </xsl:choose>
          <xsl:if test="@descricao"><xsl:value-of select="concat(': ', @descricao)"/></xsl:if>
          <xsl:if test="@valor"><xsl:text> (</xsl:text><xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template><xsl:text>)</xsl:text></xsl:if>
          <xsl:if test="@glosaGuia and not(preceding-sibling::glosa[1]/@guia = @guia)"><xsl:text> - glosa da guia: </xsl:text><xsl:call-template name="money"><xsl:with-param name="v" select="@glosaGuia"/></xsl:call-template></xsl:if>
          <xsl:text>&#10;</xsl:text>
        </xsl:for-each>
    </r>
  </xsl:template>

  <xsl:template match="/pendencias">
    <xsl:text>GUIAS INCOMPLETAS E SUAS PENDÊNCIAS - </xsl:text>
    <xsl:value-of select="concat(total/@guias, ' guias, ', total/@pendencias, ' pendências')"/>
    <xsl:text>&#10;gerado em </xsl:text>
    <xsl:call-template name="stamp"><xsl:with-param name="t" select="@gerado"/></xsl:call-template>
    <xsl:text>&#10;</xsl:text>
    <xsl:for-each select="prestador">
      <xsl:text>&#10;PRESTADOR </xsl:text><xsl:value-of select="@codigo"/><xsl:text>&#10;</xsl:text>
      <xsl:for-each select="guia">
        <xsl:value-of select="concat(@numero, ' (', @origem)"/>
        <xsl:if test="@arquivo"><xsl:value-of select="concat(' ', @arquivo)"/><xsl:if test="@linha"><xsl:value-of select="concat(':', @linha)"/></xsl:if></xsl:if>
        <xsl:text>)&#10;</xsl:text>
        <xsl:for-each select="pendencia">
          <xsl:value-of select="concat('  ', @regra, ' ', @severidade, ' ', @campo, ': ', .)"/>
          <xsl:if test="@valor"><xsl:value-of select="concat(' [', @valor, ']')"/></xsl:if>
          <xsl:text>&#10;</xsl:text>
        </xsl:for-each>
      </xsl:for-each>
    </xsl:for-each>
  </xsl:template>

  <!-- ==== Protocolo de recebimento, 2ª via ==== -->

  <!-- A label padded to 27 columns, its value, a line. -->
  <xsl:template name="field">
    <xsl:param name="label"/>
    <xsl:param name="value"/>
    <xsl:call-template name="pad"><xsl:with-param name="s" select="$label"/><xsl:with-param name="w" select="27"/></xsl:call-template>
    <xsl:value-of select="$value"/>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>

  <xsl:template name="field-money">
    <xsl:param name="label"/>
    <xsl:param name="v"/>
    <xsl:call-template name="field">
      <xsl:with-param name="label" select="$label"/>
      <xsl:with-param name="value"><xsl:call-template name="money"><xsl:with-param name="v" select="$v"/></xsl:call-template></xsl:with-param>
    </xsl:call-template>
  </xsl:template>

  <xsl:template match="/protocolo">
    <xsl:text>PROTOCOLO DE RECEBIMENTO DE LOTE - 2ª VIA&#10;&#10;</xsl:text>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Prestador'"/><xsl:with-param name="value" select="@prestador"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Lote'"/><xsl:with-param name="value" select="@lote"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Competência'"/><xsl:with-param name="value"><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:with-param></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Guias'"/><xsl:with-param name="value" select="@guias"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Número do protocolo'"/><xsl:with-param name="value" select="@numero"/></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Data de envio do lote'"/><xsl:with-param name="value"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataEnvio"/></xsl:call-template></xsl:with-param></xsl:call-template>
    <xsl:call-template name="field"><xsl:with-param name="label" select="'Enviado em'"/><xsl:with-param name="value"><xsl:if test="@enviadoEm"><xsl:call-template name="stamp"><xsl:with-param name="t" select="@enviadoEm"/></xsl:call-template></xsl:if></xsl:with-param></xsl:call-template>
    <xsl:call-template name="field-money"><xsl:with-param name="label" select="'Valor total do protocolo'"/><xsl:with-param name="v" select="@valorTotal"/></xsl:call-template>
    <xsl:choose>
      <xsl:when test="situacao">
        <xsl:for-each select="situacao">
          <xsl:call-template name="field"><xsl:with-param name="label" select="'Situação do protocolo'"/><xsl:with-param name="value"><xsl:value-of select="concat(@status, ' ', @texto)"/><xsl:if test="@consultadaEm"> (consultada em <xsl:call-template name="stamp"><xsl:with-param name="t" select="@consultadaEm"/></xsl:call-template>)</xsl:if></xsl:with-param></xsl:call-template>
          <xsl:call-template name="field-money"><xsl:with-param name="label" select="'Valor processado'"/><xsl:with-param name="v" select="@processado"/></xsl:call-template>
          <xsl:call-template name="field-money"><xsl:with-param name="label" select="'Valor glosado'"/><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
          <xsl:call-template name="field-money"><xsl:with-param name="label" select="'Valor liberado'"/><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
        </xsl:for-each>
      </xsl:when>
      <xsl:otherwise>
        <xsl:call-template name="field"><xsl:with-param name="label" select="'Situação do protocolo'"/><xsl:with-param name="value" select="'não consultada (tiss-status)'"/></xsl:call-template>
      </xsl:otherwise>
    </xsl:choose>
    <xsl:text>&#10;GUIA                 OPERADORA                  PROCESSADO            GLOSA         LIBERADO&#10;</xsl:text>
    <xsl:for-each select="guia">
      <xsl:call-template name="c"><xsl:with-param name="s" select="@numero"/><xsl:with-param name="w" select="20"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s"><xsl:choose><xsl:when test="@operadora"><xsl:value-of select="@operadora"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></xsl:with-param><xsl:with-param name="w" select="20"/></xsl:call-template>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@processado"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
      <xsl:text> </xsl:text>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:if test="not(guia)">(o protocolo não detalha as guias)&#10;</xsl:if>
    <xsl:text>&#10;GLOSAS&#10;</xsl:text>
    <xsl:for-each select="glosa">
      <xsl:call-template name="c"><xsl:with-param name="s"><xsl:choose><xsl:when test="@guia != ''"><xsl:value-of select="@guia"/></xsl:when><xsl:otherwise>(lote)</xsl:otherwise></xsl:choose></xsl:with-param><xsl:with-param name="w" select="20"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="@item"/><xsl:with-param name="w" select="4"/><xsl:with-param name="right" select="true()"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="@codigo"/><xsl:with-param name="w" select="6"/></xsl:call-template>
      <xsl:value-of select="@descricao"/>
      <xsl:text> (</xsl:text>
      <xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template>
      <xsl:value-of select="concat(', ', @fonte, ')')"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:if test="not(glosa)">nenhuma&#10;</xsl:if>
    <xsl:text>&#10;Emitida em </xsl:text>
    <xsl:call-template name="stamp"><xsl:with-param name="t" select="@gerado"/></xsl:call-template>
    <xsl:text>.&#10;</xsl:text>
  </xsl:template>
  <!-- ==== Conciliação ==== -->

  <xsl:template match="/conciliacao">
    <xsl:text>CONCILIAÇÃO - </xsl:text>
    <xsl:choose>
      <xsl:when test="@competencia">competência <xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:when>
      <xsl:otherwise>todas as competências</xsl:otherwise>
    </xsl:choose>
    <xsl:if test="@prestador"> - prestador <xsl:value-of select="@prestador"/></xsl:if>
    <xsl:text>&#10;gerado em </xsl:text>
    <xsl:call-template name="stamp"><xsl:with-param name="t" select="@gerado"/></xsl:call-template>
    <xsl:text>&#10;</xsl:text>
    <xsl:if test="not(prestador)">&#10;Nenhum lote enviado.&#10;</xsl:if>
    <xsl:for-each select="prestador">
      <xsl:text>&#10;PRESTADOR </xsl:text><xsl:value-of select="@codigo"/><xsl:text>&#10;</xsl:text>
      <xsl:text>LOTE   COMPET.  PROTOCOLO    GUIAS       FATURADO     PROCESSADO       LIBERADO        GLOSADO           PAGO     EM RECURSO        ACATADO      A RECEBER&#10;</xsl:text>
      <xsl:for-each select="lote">
        <xsl:call-template name="c"><xsl:with-param name="s" select="@numero"/><xsl:with-param name="w" select="6"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s"><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:with-param><xsl:with-param name="w" select="8"/></xsl:call-template>
        <xsl:call-template name="c"><xsl:with-param name="s" select="@protocolo"/><xsl:with-param name="w" select="12"/></xsl:call-template>
        <xsl:call-template name="conc-line"/>
        <xsl:if test="@semDemonstrativo &gt; 0">
          <xsl:value-of select="concat('       ', @semDemonstrativo, ' guia(s) sem demonstrativo')"/><xsl:text>&#10;</xsl:text>
        </xsl:if>
      </xsl:for-each>
      <xsl:for-each select="subtotal">
        <xsl:call-template name="c"><xsl:with-param name="s" select="concat('SUBTOTAL ', ../@codigo)"/><xsl:with-param name="w" select="28"/></xsl:call-template>
        <xsl:call-template name="conc-line"/>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:for-each select="total[../prestador]">
      <xsl:text>&#10;</xsl:text>
      <xsl:call-template name="c"><xsl:with-param name="s" select="'TOTAL GERAL'"/><xsl:with-param name="w" select="28"/></xsl:call-template>
      <xsl:call-template name="conc-line"/>
    </xsl:for-each>
    <xsl:text>&#10;GUIAS SEM DEMONSTRATIVO HÁ MAIS DE </xsl:text><xsl:value-of select="ausentes/@dias"/><xsl:text> DIAS&#10;</xsl:text>
    <xsl:for-each select="ausentes/guia">
      <xsl:call-template name="c"><xsl:with-param name="s" select="@prestador"/><xsl:with-param name="w" select="10"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="concat('lote ', @lote)"/><xsl:with-param name="w" select="10"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="@numero"/><xsl:with-param name="w" select="20"/></xsl:call-template>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@faturado"/><xsl:with-param name="w" select="15"/></xsl:call-template>
      <xsl:text>  enviada em </xsl:text>
      <xsl:call-template name="date"><xsl:with-param name="d" select="@enviadoEm"/></xsl:call-template>
      <xsl:value-of select="concat(' (', @dias, ' dias)')"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:if test="not(ausentes/guia)">nenhuma&#10;</xsl:if>
    <xsl:text>&#10;GLOSAS POR CÓDIGO&#10;</xsl:text>
    <xsl:for-each select="glosas/glosa">
      <xsl:call-template name="c"><xsl:with-param name="s" select="@codigo"/><xsl:with-param name="w" select="6"/></xsl:call-template>
      <xsl:call-template name="c"><xsl:with-param name="s" select="concat(@itens, ' item(ns)')"/><xsl:with-param name="w" select="12"/></xsl:call-template>
      <xsl:call-template name="m"><xsl:with-param name="v" select="@valor"/><xsl:with-param name="w" select="15"/></xsl:call-template>
      <xsl:value-of select="concat('  ', @descricao)"/>
      <xsl:text>&#10;</xsl:text>
    </xsl:for-each>
    <xsl:if test="not(glosas/glosa)">nenhuma&#10;</xsl:if>
  </xsl:template>

  <!-- guias and the eight sums of the context node (lote, subtotal, total). -->
  <xsl:template name="conc-line">
    <xsl:call-template name="c"><xsl:with-param name="s" select="@guias"/><xsl:with-param name="w" select="5"/><xsl:with-param name="right" select="true()"/></xsl:call-template>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@faturado"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@processado"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@liberado"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@glosado"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@pago"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@emRecurso"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@acatado"/><xsl:with-param name="w" select="14"/></xsl:call-template><xsl:text> </xsl:text>
    <xsl:call-template name="m"><xsl:with-param name="v" select="@aReceber"/><xsl:with-param name="w" select="14"/></xsl:call-template>
    <xsl:text>&#10;</xsl:text>
  </xsl:template>
</xsl:stylesheet>
