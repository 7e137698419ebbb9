<?xml version="1.0" encoding="UTF-8"?>
<!--
  The reports as one self-contained HTML page: inline CSS, no script,
  nothing fetched; printable on A4 (the prestador and period repeat at
  the head of every page, a prestador starts a page), readable on a
  phone (the columns that matter, without scrolling sideways), accessible
  table markup.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:import href="report-common.xsl"/>
  <xsl:variable name="money-sep" select="'&#160;'"/>
  <xsl:output method="html" encoding="UTF-8" indent="no"
              doctype-system="about:legacy-compat"/>

  <xsl:variable name="css">
@page { size: A4 landscape; margin: 12mm 10mm; }
* { box-sizing: border-box; }
body { font: 10pt/1.35 "DejaVu Sans", Arial, Helvetica, sans-serif; color: #111; margin: 0 auto; padding: 8px; max-width: 1100px; }
h1 { font-size: 15pt; margin: 0 0 2px; }
.meta { margin: 0 0 10px; color: #333; }
.wrap { overflow-x: auto; margin-bottom: 14px; }
table { border-collapse: collapse; width: 100%; }
caption { text-align: left; font-weight: bold; font-size: 11pt; padding: 4px 0; }
thead { display: table-header-group; }
tfoot { display: table-row-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { border-bottom: 1px solid #bbb; padding: 3px 5px; text-align: left; vertical-align: top; }
thead th { background: #e8e8e8; border-bottom: 1px solid #555; }
thead tr.page th { background: none; font-weight: normal; border: 0; color: #333; }
td.n, th.n { text-align: right; white-space: nowrap; }
tr.glosas td { border-top: 0; font-size: 9pt; color: #333; padding-left: 18px; }
tr.glosas ul { margin: 0; padding-left: 14px; }
tfoot th, tfoot td { font-weight: bold; border-top: 2px solid #333; }
section { break-after: page; page-break-after: always; }
section:last-of-type { break-after: auto; page-break-after: auto; }
.none { color: #555; font-style: italic; }
.parc { display: block; font-weight: normal; font-size: 85%; color: #555; }
@media screen { thead tr.page { display: none; } }
@media print { body { max-width: none; padding: 0; } .wrap { overflow: visible; } }
@media (max-width: 640px) { body { font-size: 12px; padding: 4px; } th, td { padding: 2px 4px; } }
/* A phone shows what a manager looks for (protocolo, processado, glosa,
   liberado) without scrolling sideways: the other columns go. */
@media screen and (max-width: 640px) { .x { display: none; } body { font-size: 11px; padding: 2px; } th, td { padding: 2px 2px; } td.p { word-break: break-all; } }
  </xsl:variable>

  <!-- report-common's sum, with "parcial" on a line of its own (so a
       phone's narrow column holds it). -->
  <xsl:template name="sum">
    <xsl:param name="f"/>
    <xsl:call-template name="money"><xsl:with-param name="v" select="@*[local-name() = $f]"/></xsl:call-template>
    <xsl:if test="@*[local-name() = concat($f, 'Parcial')] = 'sim'"><span class="parc">parcial</span></xsl:if>
  </xsl:template>

  <!-- The page; each report gives its title, subtitle and body.  No
       result tree fragment holds the body: libxslt keeps those until
       the end, which cost a 20,000-lote report 250 MiB. -->
  <xsl:template match="/">
    <xsl:choose>
      <xsl:when test="$part = 'prestadores'"><xsl:apply-templates select="acompanhamento/prestador"/></xsl:when>
      <xsl:otherwise><xsl:apply-templates select="." mode="page"/></xsl:otherwise>
    </xsl:choose>
  </xsl:template>

  <xsl:template match="/" mode="page">
    <xsl:variable name="title"><xsl:apply-templates select="*" mode="title"/></xsl:variable>
    <xsl:variable name="subtitle"><xsl:apply-templates select="*" mode="subtitle"/></xsl:variable>
    <html lang="pt-BR">
      <head>
        <meta charset="utf-8"/>
        <meta name="viewport" content="width=device-width, initial-scale=1"/>
        <title><xsl:value-of select="concat($title, ' — ', $subtitle)"/></title>
        <style><xsl:value-of select="$css"/></style>
      </head>
      <body>
        <header>
          <h1><xsl:value-of select="$title"/></h1>
          <p class="meta"><xsl:value-of select="$subtitle"/> · gerado em <xsl:call-template name="stamp"><xsl:with-param name="t" select="*/@gerado"/></xsl:call-template></p>
        </header>
        <main><xsl:apply-templates select="*"/></main>
      </body>
    </html>
  </xsl:template>

  <!-- ==== Acompanhamento de Lotes ==== -->

  <xsl:variable name="month"><xsl:call-template name="month"><xsl:with-param name="c" select="/acompanhamento/@competencia"/></xsl:call-template></xsl:variable>

  <xsl:template match="acompanhamento" mode="title">Acompanhamento de Lotes</xsl:template>
  <xsl:template match="acompanhamento" mode="subtitle">Competência <xsl:value-of select="$month"/><xsl:if test="@prestador"> · prestador <xsl:value-of select="@prestador"/></xsl:if><xsl:if test="@lote"> · lote <xsl:value-of select="@lote"/></xsl:if></xsl:template>

  <xsl:template match="/acompanhamento">
        <xsl:choose>
          <xsl:when test="$part = 'frame'"><xsl:value-of select="$part-mark"/></xsl:when>
          <xsl:otherwise><xsl:apply-templates select="prestador"/></xsl:otherwise>
        </xsl:choose>
        <xsl:if test="not(prestador)">
          <p class="none">Nenhum lote nesta competência.</p>
        </xsl:if>
        <xsl:if test="prestador">
          <div class="wrap">
            <table>
              <caption>Total geral</caption>
              <thead><tr class="page"><th colspan="6" scope="colgroup">Acompanhamento de Lotes · prestadores: total geral · competência <xsl:value-of select="$month"/></th></tr><tr><th scope="col" class="n">Lotes</th><th scope="col" class="n x">Guias</th><th scope="col" class="n">Valor enviado</th><th scope="col" class="n">Processado</th><th scope="col" class="n">Glosa</th><th scope="col" class="n">Liberado</th></tr></thead>
              <tbody>
                <tr>
                  <td class="n"><xsl:value-of select="total/@lotes"/></td>
                  <td class="n x"><xsl:value-of select="total/@guias"/></td>
                  <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="total/@valor"/></xsl:call-template></td>
                  <td class="n"><xsl:for-each select="total"><xsl:call-template name="sum"><xsl:with-param name="f" select="'processado'"/></xsl:call-template></xsl:for-each></td>
                  <td class="n"><xsl:for-each select="total"><xsl:call-template name="sum"><xsl:with-param name="f" select="'glosa'"/></xsl:call-template></xsl:for-each></td>
                  <td class="n"><xsl:for-each select="total"><xsl:call-template name="sum"><xsl:with-param name="f" select="'liberado'"/></xsl:call-template></xsl:for-each></td>
                </tr>
              </tbody>
            </table>
          </div>
        </xsl:if>
  </xsl:template>

  <xsl:template match="acompanhamento/prestador">
    <section>
      <div class="wrap">
        <table>
          <caption>Prestador <xsl:value-of select="@codigo"/></caption>
          <thead>
            <tr class="page"><th colspan="10" scope="colgroup">Acompanhamento de Lotes · prestador <xsl:value-of select="@codigo"/> · competência <xsl:value-of select="$month"/></th></tr>
            <tr>
              <th scope="col">Lote</th>
              <th scope="col">Situação</th>
              <th scope="col" class="x">Situação na operadora</th>
              <th scope="col" class="n x">Guias</th>
              <th scope="col" class="n x">Valor enviado</th>
              <th scope="col" class="x">Envio</th>
              <th scope="col">Protocolo</th>
              <th scope="col" class="n">Processado</th>
              <th scope="col" class="n">Glosa</th>
              <th scope="col" class="n">Liberado</th>
            </tr>
          </thead>
          <tbody>
            <xsl:apply-templates select="lote"/>
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colspan="2">Subtotal do prestador <xsl:value-of select="@codigo"/> (lotes: <xsl:value-of select="subtotal/@lotes"/>)</th>
              <td class="x"></td>
              <td class="n x"><xsl:value-of select="subtotal/@guias"/></td>
              <td class="n x"><xsl:call-template name="money"><xsl:with-param name="v" select="subtotal/@valor"/></xsl:call-template></td>
              <td class="x"></td>
              <td></td>
              <td class="n"><xsl:for-each select="subtotal"><xsl:call-template name="sum"><xsl:with-param name="f" select="'processado'"/></xsl:call-template></xsl:for-each></td>
              <td class="n"><xsl:for-each select="subtotal"><xsl:call-template name="sum"><xsl:with-param name="f" select="'glosa'"/></xsl:call-template></xsl:for-each></td>
              <td class="n"><xsl:for-each select="subtotal"><xsl:call-template name="sum"><xsl:with-param name="f" select="'liberado'"/></xsl:call-template></xsl:for-each></td>
            </tr>
          </tfoot>
        </table>
      </div>
    </section>
  </xsl:template>

  <xsl:template match="acompanhamento/prestador/lote">
              <tr>
                <th scope="row"><xsl:value-of select="@numero"/></th>
                <td><xsl:value-of select="@situacao"/><xsl:if test="@codigoErro"> (<xsl:value-of select="concat(@codigoErro, ' ', @descricaoErro)"/>)</xsl:if></td>
                <td class="x"><xsl:choose><xsl:when test="@statusProtocolo"><xsl:value-of select="concat(@statusProtocolo, ' ', @statusProtocoloTexto)"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></td>
                <td class="n x"><xsl:value-of select="@guias"/></td>
                <td class="n x"><xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template></td>
                <td class="x"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataEnvio"/></xsl:call-template></td>
                <td class="p"><xsl:choose><xsl:when test="@protocolo"><xsl:value-of select="@protocolo"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></td>
                <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@processado"/></xsl:call-template></td>
                <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@glosa"/></xsl:call-template></td>
                <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@liberado"/></xsl:call-template></td>
              </tr>
              <xsl:if test="@pago">
                <tr class="glosas">
                  <td colspan="10">Pago: <xsl:call-template name="money"><xsl:with-param name="v" select="@pago"/></xsl:call-template><xsl:if test="@dataPagamento"> em <xsl:call-template name="date"><xsl:with-param name="d" select="@dataPagamento"/></xsl:call-template></xsl:if></td>
                </tr>
              </xsl:if>
              <xsl:if test="glosa">
                <tr class="glosas">
                  <td colspan="10">
                    <ul>
                      <xsl:for-each select="glosa">
                        <li>
                          <xsl:choose>
                            <xsl:when test="@guia != ''">Guia <xsl:value-of select="@guia"/><xsl:if test="@item">, item <xsl:value-of select="@item"/></xsl:if></xsl:when>
                            <xsl:otherwise>Lote</xsl:otherwise>
                          </xsl:choose>
                          <xsl:value-of select="concat(': glosa ', @codigo)"/>
                          <xsl:if test="@descricao"><xsl:value-of select="concat(' ', @descricao)"/></xsl:if>
                          <xsl:if test="@valor"> — <xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template></xsl:if>
                          <xsl:if test="@glosaGuia and not(preceding-sibling::glosa[1]/@guia = @guia)"> — glosa da guia: <xsl:call-template name="money"><xsl:with-param name="v" select="@glosaGuia"/></xsl:call-template></xsl:if>
                        </li>
                      </xsl:for-each>
                    </ul>
                  </td>
                </tr>
              </xsl:if>
  </xsl:template>

  <!-- ==== Pendências ==== -->

  <xsl:template match="pendencias" mode="title">Guias incompletas e suas pendências</xsl:template>
  <xsl:template match="pendencias" mode="subtitle"><xsl:value-of select="concat(total/@guias, ' guias, ', total/@pendencias, ' pendências')"/></xsl:template>

  <xsl:template match="/pendencias">
        <xsl:if test="not(prestador)">
          <p class="none">Nenhuma guia incompleta.</p>
        </xsl:if>
        <xsl:for-each select="prestador">
          <section>
            <div class="wrap">
              <table>
                <caption>Prestador <xsl:value-of select="@codigo"/></caption>
                <thead>
                  <tr class="page"><th colspan="6" scope="colgroup">Pendências · prestador <xsl:value-of select="@codigo"/></th></tr>
                  <tr><th scope="col">Guia</th><th scope="col">Origem</th><th scope="col">Campo</th><th scope="col">Regra</th><th scope="col">O que corrigir</th><th scope="col">Valor encontrado</th></tr>
                </thead>
                <tbody>
                  <xsl:for-each select="guia/pendencia">
                    <tr>
                      <th scope="row"><xsl:value-of select="../@numero"/></th>
                      <td><xsl:value-of select="../@origem"/><xsl:if test="../@arquivo"><xsl:value-of select="concat(' ', ../@arquivo)"/><xsl:if test="../@linha">:<xsl:value-of select="../@linha"/></xsl:if></xsl:if></td>
                      <td><xsl:value-of select="@campo"/></td>
                      <td><xsl:value-of select="concat(@regra, ' (', @severidade, ')')"/></td>
                      <td><xsl:value-of select="."/></td>
                      <td><xsl:value-of select="@valor"/></td>
                    </tr>
                  </xsl:for-each>
                </tbody>
              </table>
            </div>
          </section>
        </xsl:for-each>
  </xsl:template>

  <!-- ==== Protocolo de recebimento, 2ª via ==== -->

  <xsl:template match="protocolo" mode="title">Protocolo de recebimento de lote — 2ª via</xsl:template>
  <xsl:template match="protocolo" mode="subtitle">Prestador <xsl:value-of select="@prestador"/> · lote <xsl:value-of select="@lote"/></xsl:template>

  <xsl:template name="row">
    <xsl:param name="label"/>
    <xsl:param name="value"/>
    <tr><th scope="row"><xsl:value-of select="$label"/></th><td><xsl:copy-of select="$value"/></td></tr>
  </xsl:template>

  <xsl:template name="row-money">
    <xsl:param name="label"/>
    <xsl:param name="v"/>
    <tr><th scope="row"><xsl:value-of select="$label"/></th><td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="$v"/></xsl:call-template></td></tr>
  </xsl:template>

  <xsl:template match="/protocolo">
        <div class="wrap">
          <table>
            <caption>Protocolo</caption>
            <tbody>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Prestador'"/><xsl:with-param name="value" select="string(@prestador)"/></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Lote'"/><xsl:with-param name="value" select="string(@lote)"/></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Competência'"/><xsl:with-param name="value"><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:with-param></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Guias'"/><xsl:with-param name="value" select="string(@guias)"/></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Número do protocolo'"/><xsl:with-param name="value" select="string(@numero)"/></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Data de envio do lote'"/><xsl:with-param name="value"><xsl:call-template name="date"><xsl:with-param name="d" select="@dataEnvio"/></xsl:call-template></xsl:with-param></xsl:call-template>
              <xsl:call-template name="row"><xsl:with-param name="label" select="'Enviado em'"/><xsl:with-param name="value"><xsl:if test="@enviadoEm"><xsl:call-template name="stamp"><xsl:with-param name="t" select="@enviadoEm"/></xsl:call-template></xsl:if></xsl:with-param></xsl:call-template>
              <xsl:call-template name="row-money"><xsl:with-param name="label" select="'Valor total do protocolo'"/><xsl:with-param name="v" select="@valorTotal"/></xsl:call-template>
              <xsl:choose>
                <xsl:when test="situacao">
                  <xsl:for-each select="situacao">
                    <xsl:call-template name="row"><xsl:with-param name="label" select="'Situação do protocolo'"/><xsl:with-param name="value"><xsl:value-of select="concat(@status, ' ', @texto)"/><xsl:if test="@consultadaEm"> (consultada em <xsl:call-template name="stamp"><xsl:with-param name="t" select="@consultadaEm"/></xsl:call-template>)</xsl:if></xsl:with-param></xsl:call-template>
                    <xsl:call-template name="row-money"><xsl:with-param name="label" select="'Valor processado'"/><xsl:with-param name="v" select="@processado"/></xsl:call-template>
                    <xsl:call-template name="row-money"><xsl:with-param name="label" select="'Valor glosado'"/><xsl:with-param name="v" select="@glosa"/></xsl:call-template>
                    <xsl:call-template name="row-money"><xsl:with-param name="label" select="'Valor liberado'"/><xsl:with-param name="v" select="@liberado"/></xsl:call-template>
                  </xsl:for-each>
                </xsl:when>
                <xsl:otherwise>
                  <xsl:call-template name="row"><xsl:with-param name="label" select="'Situação do protocolo'"/><xsl:with-param name="value" select="'não consultada (tiss-status)'"/></xsl:call-template>
                </xsl:otherwise>
              </xsl:choose>
            </tbody>
          </table>
        </div>
        <div class="wrap">
          <table>
            <caption>Guias</caption>
            <thead><tr><th scope="col">Guia</th><th scope="col">Guia na operadora</th><th scope="col" class="n">Processado</th><th scope="col" class="n">Glosa</th><th scope="col" class="n">Liberado</th></tr></thead>
            <tbody>
              <xsl:for-each select="guia">
                <tr>
                  <th scope="row"><xsl:value-of select="@numero"/></th>
                  <td><xsl:choose><xsl:when test="@operadora"><xsl:value-of select="@operadora"/></xsl:when><xsl:otherwise>—</xsl:otherwise></xsl:choose></td>
                  <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@processado"/></xsl:call-template></td>
                  <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@glosa"/></xsl:call-template></td>
                  <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@liberado"/></xsl:call-template></td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not(guia)"><tr><td colspan="5" class="none">o protocolo não detalha as guias</td></tr></xsl:if>
            </tbody>
          </table>
        </div>
        <div class="wrap">
          <table>
            <caption>Glosas</caption>
            <thead><tr><th scope="col">Guia</th><th scope="col" class="n">Item</th><th scope="col">Código</th><th scope="col">Descrição</th><th scope="col" class="n">Valor</th><th scope="col">Fonte</th></tr></thead>
            <tbody>
              <xsl:for-each select="glosa">
                <tr>
                  <td><xsl:choose><xsl:when test="@guia != ''"><xsl:value-of select="@guia"/></xsl:when><xsl:otherwise>(lote)</xsl:otherwise></xsl:choose></td>
                  <td class="n"><xsl:value-of select="@item"/></td>
                  <td><xsl:value-of select="@codigo"/></td>
                  <td><xsl:value-of select="@descricao"/></td>
                  <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template></td>
                  <td><xsl:value-of select="@fonte"/></td>
                </tr>
              </xsl:for-each>
              <xsl:if test="not(glosa)"><tr><td colspan="6" class="none">nenhuma</td></tr></xsl:if>
            </tbody>
          </table>
        </div>
  </xsl:template>
  <!-- ==== Conciliação ==== -->

  <xsl:template match="conciliacao" mode="title">Conciliação</xsl:template>
  <xsl:template match="conciliacao" mode="subtitle"><xsl:choose><xsl:when test="@competencia">Competência <xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></xsl:when><xsl:otherwise>Todas as competências</xsl:otherwise></xsl:choose><xsl:if test="@prestador"> · prestador <xsl:value-of select="@prestador"/></xsl:if></xsl:template>

  <xsl:template name="conc-cells">
    <td class="n"><xsl:value-of select="@guias"/></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@faturado"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@processado"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@liberado"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@glosado"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@pago"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@emRecurso"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@acatado"/></xsl:call-template></td>
    <td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@aReceber"/></xsl:call-template></td>
  </xsl:template>

  <xsl:template name="conc-head">
    <th scope="col" class="n">Guias</th><th scope="col" class="n">Faturado</th><th scope="col" class="n">Processado</th><th scope="col" class="n">Liberado</th><th scope="col" class="n">Glosado</th><th scope="col" class="n">Pago</th><th scope="col" class="n">Em recurso</th><th scope="col" class="n">Acatado</th><th scope="col" class="n">A receber</th>
  </xsl:template>

  <xsl:template match="/conciliacao">
    <xsl:if test="not(prestador)"><p class="none">Nenhum lote enviado.</p></xsl:if>
    <xsl:for-each select="prestador">
      <section>
        <div class="wrap">
          <table>
            <caption>Prestador <xsl:value-of select="@codigo"/></caption>
            <thead><tr><th scope="col">Lote</th><th scope="col">Competência</th><th scope="col">Protocolo</th><xsl:call-template name="conc-head"/></tr></thead>
            <tbody>
              <xsl:for-each select="lote">
                <tr>
                  <th scope="row"><xsl:value-of select="@numero"/></th>
                  <td><xsl:call-template name="month"><xsl:with-param name="c" select="@competencia"/></xsl:call-template></td>
                  <td><xsl:value-of select="@protocolo"/></td>
                  <xsl:call-template name="conc-cells"/>
                </tr>
              </xsl:for-each>
            </tbody>
            <tfoot><xsl:for-each select="subtotal"><tr><th scope="row" colspan="3">Subtotal do prestador <xsl:value-of select="../@codigo"/></th><xsl:call-template name="conc-cells"/></tr></xsl:for-each></tfoot>
          </table>
        </div>
      </section>
    </xsl:for-each>
    <xsl:if test="prestador">
      <div class="wrap">
        <table>
          <caption>Total geral</caption>
          <thead><tr><xsl:call-template name="conc-head"/></tr></thead>
          <tbody><xsl:for-each select="total"><tr><xsl:call-template name="conc-cells"/></tr></xsl:for-each></tbody>
        </table>
      </div>
    </xsl:if>
    <section>
      <div class="wrap">
        <table>
          <caption>Guias sem demonstrativo há mais de <xsl:value-of select="ausentes/@dias"/> dias</caption>
          <thead><tr><th scope="col">Prestador</th><th scope="col">Lote</th><th scope="col">Guia</th><th scope="col" class="n">Faturado</th><th scope="col">Enviada em</th><th scope="col" class="n">Dias</th></tr></thead>
          <tbody>
            <xsl:for-each select="ausentes/guia">
              <tr><td><xsl:value-of select="@prestador"/></td><td><xsl:value-of select="@lote"/></td><td><xsl:value-of select="@numero"/></td><td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@faturado"/></xsl:call-template></td><td><xsl:call-template name="date"><xsl:with-param name="d" select="@enviadoEm"/></xsl:call-template></td><td class="n"><xsl:value-of select="@dias"/></td></tr>
            </xsl:for-each>
            <xsl:if test="not(ausentes/guia)"><tr><td colspan="6" class="none">nenhuma</td></tr></xsl:if>
          </tbody>
        </table>
      </div>
    </section>
    <section>
      <div class="wrap">
        <table>
          <caption>Glosas por código</caption>
          <thead><tr><th scope="col">Código</th><th scope="col">Descrição</th><th scope="col" class="n">Itens</th><th scope="col" class="n">Valor</th></tr></thead>
          <tbody>
            <xsl:for-each select="glosas/glosa">
              <tr><td><xsl:value-of select="@codigo"/></td><td><xsl:value-of select="@descricao"/></td><td class="n"><xsl:value-of select="@itens"/></td><td class="n"><xsl:call-template name="money"><xsl:with-param name="v" select="@valor"/></xsl:call-template></td></tr>
            </xsl:for-each>
            <xsl:if test="not(glosas/glosa)"><tr><td colspan="4" class="none">nenhuma</td></tr></xsl:if>
          </tbody>
        </table>
      </div>
    </section>
  </xsl:template>
</xsl:stylesheet>
