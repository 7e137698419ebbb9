/*
 * tiss-report: reports from the workspace.
 *
 *   tiss-report acompanhamento --competencia MM/AAAA [--lote N]
 *	the manual's Acompanhamento de Lotes: each lote of the month with
 *	our status and the operator's, guides, values sent, processed,
 *	denied and released, glosas; subtotals per prestador, a total
 *   tiss-report pendencias
 *	the incomplete guides with their pendências
 *   tiss-report protocolo LOTE
 *	the 2ª via of a lote's protocolo de recebimento
 *
 * The first two are built as an XML document of the data (xsd/
 * relatorios.xsd; --format xml prints it) and rendered by
 * xslt/report-html.xsl, report-csv.xsl or report-txt.xsl.  Every sum is
 * made here in integer centavos; the stylesheets only format.  Output
 * goes to stdout, or to -o FILE written atomically.
 *
 * Exit: 0 done, 64 usage, 65 the lote has no protocolo, 66 no such
 * lote, 74 I/O error, 78 a stylesheet is missing.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/protocolo.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

#ifndef TISS_DATADIR
#define TISS_DATADIR	"/usr/local/share/tiss"
#endif

static int html;

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-report [-C DIR] acompanhamento "
	    "--competencia MM/AAAA [--lote N]\n"
	    "           [--prestador P] [--format html|csv|txt|xml] "
	    "[-o FILE]\n"
	    "       tiss-report [-C DIR] pendencias [--prestador P] "
	    "[--format html|csv|txt|xml] [-o FILE]\n"
	    "       tiss-report [-C DIR] protocolo LOTE [--prestador P] "
	    "[--format txt|html] [-o FILE]\n");
	exit(EXIT_USAGE);
}

/* Text as is, or escaped for HTML. */
static void
put(struct buf *out, const char *s)
{
	if (s == NULL)
		s = "";
	if (!html) {
		buf_adds(out, s);
		return;
	}
	for (; *s; s++) {
		if (*s == '&')
			buf_adds(out, "&amp;");
		else if (*s == '<')
			buf_adds(out, "&lt;");
		else if (*s == '>')
			buf_adds(out, "&gt;");
		else if (*s == '"')
			buf_adds(out, "&quot;");
		else
			buf_addc(out, *s);
	}
}

/* Centavos as Brazilians write money: "R$ 2.085,50"; "-" when unknown. */
static void
money(struct buf *out, sqlite3_stmt *st, int col)
{
	char digits[32], *p;
	long long v, reais;
	int n, i;

	if (sqlite3_column_type(st, col) == SQLITE_NULL) {
		buf_adds(out, "-");
		return;
	}
	v = sqlite3_column_int64(st, col);
	reais = (v < 0 ? -v : v) / 100;
	n = snprintf(digits, sizeof(digits), "%lld", reais);
	buf_adds(out, v < 0 ? "R$ -" : "R$ ");
	for (p = digits, i = n; *p; p++, i--) {
		buf_addc(out, *p);
		if (i > 1 && i % 3 == 1)
			buf_addc(out, '.');
	}
	buf_addf(out, ",%02lld", (v < 0 ? -v : v) % 100);
}

/* Spaces after s up to width columns: UTF-8 characters, not bytes. */
static void
pad(struct buf *out, const char *s, int width)
{
	int n = 0;

	for (; *s; s++)
		if ((*s & 0xC0) != 0x80)
			n++;
	while (n++ < width)
		buf_addc(out, ' ');
}

static void
field(struct buf *out, const char *label, const char *value)
{
	if (html) {
		buf_adds(out, "<tr><th>");
		put(out, label);
		buf_adds(out, "</th><td>");
		put(out, value);
		buf_adds(out, "</td></tr>\n");
	} else {
		buf_adds(out, label);
		pad(out, label, 27);
		buf_addf(out, "%s\n", value ? value : "");
	}
}

static int
report_protocolo(struct ws *ws, const char *prest, const char *num,
    struct buf *out)
{
	sqlite3_stmt *st, *g;
	struct buf v = { 0 };
	char when[32], line[256];
	long long id;
	int n = 0, status;

	st = db_prepare(ws->db, "SELECT id, codigoPrestadorNaOperadora, "
	    "numeroLote, competencia, status, numeroProtocolo, dataEnvioLote, "
	    "valorTotalProtocolo, enviadoEm, statusProtocolo, "
	    "statusConsultadoEm, valorProcessado, valorGlosa, valorLiberado, "
	    "(SELECT count(*) FROM guia WHERE lote_id = lote.id) FROM lote "
	    "WHERE numeroLote = ? AND (? IS NULL OR "
	    "codigoPrestadorNaOperadora = ?)");
	sqlite3_bind_int64(st, 1, atoll(num));
	db_bind_text(st, 2, prest);
	db_bind_text(st, 3, prest);
	if (db_step(ws->db, st) != SQLITE_ROW)
		fatal(EXIT_NOINPUT, "no lote numbered '%s'%s%s", num,
		    prest ? " of prestador " : "", prest ? prest : "");
	if (db_col_text(st, 5) == NULL)
		fatal(EXIT_DATAERR, "lote %s of %s is %s and has no protocolo: "
		    "only a lote the operator received has one", num,
		    db_col_text(st, 1), db_col_text(st, 4));
	id = sqlite3_column_int64(st, 0);
	time_iso(when);

	if (html) {
		buf_adds(out, "<!DOCTYPE html>\n<html lang=\"pt-BR\"><head>"
		    "<meta charset=\"utf-8\"><title>Protocolo ");
		put(out, db_col_text(st, 5));
		buf_adds(out, "</title><style>body{font-family:sans-serif}"
		    "table{border-collapse:collapse}th,td{border:1px solid #999;"
		    "padding:2px 6px;text-align:left}</style></head><body>\n"
		    "<h1>Protocolo de recebimento de lote &mdash; 2&ordf; via"
		    "</h1>\n<table>\n");
	} else
		buf_adds(out, "PROTOCOLO DE RECEBIMENTO DE LOTE - 2ª VIA\n\n");
	field(out, "Prestador", db_col_text(st, 1));
	field(out, "Lote", db_col_text(st, 2));
	field(out, "Competência", db_col_text(st, 3));
	field(out, "Guias", db_col_text(st, 14));
	field(out, "Número do protocolo", db_col_text(st, 5));
	field(out, "Data de envio do lote", db_col_text(st, 6));
	field(out, "Enviado em (UTC)", db_col_text(st, 8));
	money(&v, st, 7);
	field(out, "Valor total do protocolo", v.data);
	if (sqlite3_column_type(st, 9) != SQLITE_NULL) {
		status = sqlite3_column_int(st, 9);
		snprintf(line, sizeof(line), "%d %s (consultada em %s)", status,
		    protocolo_status_name(status),
		    db_col_text(st, 10));
		field(out, "Situação do protocolo", line);
		buf_reset(&v);
		money(&v, st, 11);
		field(out, "Valor processado", v.data);
		buf_reset(&v);
		money(&v, st, 12);
		field(out, "Valor glosado", v.data);
		buf_reset(&v);
		money(&v, st, 13);
		field(out, "Valor liberado", v.data);
	} else
		field(out, "Situação do protocolo", "não consultada "
		    "(tiss-status)");
	buf_adds(out, html ? "</table>\n<h2>Guias</h2>\n<table>\n<tr><th>Guia"
	    "</th><th>Guia na operadora</th><th>Processado</th><th>Glosa</th>"
	    "<th>Liberado</th></tr>\n" : "\nGUIA                 OPERADORA"
	    "                 PROCESSADO           GLOSA        LIBERADO\n");
	g = db_prepare(ws->db, "SELECT numeroGuiaPrestador, "
	    "numeroGuiaOperadora, valorProcessado, valorGlosa, valorLiberado "
	    "FROM protocolo_guia WHERE lote_id = ? ORDER BY "
	    "numeroGuiaPrestador");
	sqlite3_bind_int64(g, 1, id);
	while (db_step(ws->db, g) == SQLITE_ROW) {
		int c;

		if (html) {
			buf_adds(out, "<tr>");
			for (c = 0; c < 5; c++) {
				buf_adds(out, "<td>");
				if (c < 2)
					put(out, db_col_text(g, c));
				else
					money(out, g, c);
				buf_adds(out, "</td>");
			}
			buf_adds(out, "</tr>\n");
		} else {
			buf_addf(out, "%-20s %-20s", db_col_text(g, 0),
			    db_col_text(g, 1) ? db_col_text(g, 1) : "-");
			for (c = 2; c < 5; c++) {
				buf_reset(&v);
				money(&v, g, c);
				buf_addf(out, " %15s", v.data);
			}
			buf_addc(out, '\n');
		}
		n++;
	}
	sqlite3_finalize(g);
	if (n == 0)
		buf_adds(out, html ? "<tr><td colspan=\"5\">o protocolo não "
		    "detalha as guias</td></tr>\n" : "(o protocolo não detalha "
		    "as guias)\n");
	buf_adds(out, html ? "</table>\n<h2>Glosas</h2>\n<table>\n<tr><th>Guia"
	    "</th><th>Item</th><th>Código</th><th>Descrição</th><th>Valor</th>"
	    "<th>Fonte</th></tr>\n" : "\nGLOSAS\n");
	g = db_prepare(ws->db, "SELECT coalesce(numeroGuiaPrestador, '(lote)'), "
	    "coalesce(sequencialItem, ''), codigoGlosa, "
	    "coalesce(descricaoGlosa, ''), valorGlosa, fonte FROM glosa "
	    "WHERE lote_id = ? ORDER BY fonte, numeroGuiaPrestador, "
	    "sequencialItem, id");
	sqlite3_bind_int64(g, 1, id);
	n = 0;
	while (db_step(ws->db, g) == SQLITE_ROW) {
		buf_reset(&v);
		money(&v, g, 4);
		if (html) {
			buf_adds(out, "<tr><td>");
			put(out, db_col_text(g, 0));
			buf_adds(out, "</td><td>");
			put(out, db_col_text(g, 1));
			buf_adds(out, "</td><td>");
			put(out, db_col_text(g, 2));
			buf_adds(out, "</td><td>");
			put(out, db_col_text(g, 3));
			buf_adds(out, "</td><td>");
			put(out, v.data);
			buf_adds(out, "</td><td>");
			put(out, db_col_text(g, 5));
			buf_adds(out, "</td></tr>\n");
		} else
			buf_addf(out, "%-20s %4s %-6s %s (%s, %s)\n",
			    db_col_text(g, 0), db_col_text(g, 1),
			    db_col_text(g, 2), db_col_text(g, 3), v.data,
			    db_col_text(g, 5));
		n++;
	}
	sqlite3_finalize(g);
	if (n == 0)
		buf_adds(out, html ? "<tr><td colspan=\"6\">nenhuma</td></tr>\n" :
		    "nenhuma\n");
	if (html) {
		buf_adds(out, "</table>\n<p>Emitida em ");
		put(out, when);
		buf_adds(out, ".</p>\n</body></html>\n");
	} else
		buf_addf(out, "\nEmitida em %s.\n", when);
	sqlite3_finalize(st);
	buf_release(&v);
	return EXIT_OK;
}

/* ---- acompanhamento and pendências: data XML, then XSLT ---------------- */

static void
prop(xmlNodePtr n, const char *name, const char *value)
{
	if (value != NULL)
		xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

static void
prop_int(xmlNodePtr n, const char *name, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_NULL)
		prop(n, name, db_col_text(st, col));
}

static void
prop_i64(xmlNodePtr n, const char *name, int64_t v)
{
	char text[32];

	snprintf(text, sizeof(text), "%lld", (long long)v);
	prop(n, name, text);
}

/* Sums over lotes; the operator's figures only where it gave them. */
struct sums {
	int64_t	 lotes, guias, valor, processado, glosa, liberado;
};

static void
add_sums(struct sums *to, const struct sums *from)
{
	to->lotes += from->lotes;
	to->guias += from->guias;
	to->valor += from->valor;
	to->processado += from->processado;
	to->glosa += from->glosa;
	to->liberado += from->liberado;
}

static void
put_sums(xmlNodePtr parent, const char *name, const struct sums *s)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);

	prop_i64(n, "lotes", s->lotes);
	prop_i64(n, "guias", s->guias);
	prop_i64(n, "valor", s->valor);
	prop_i64(n, "processado", s->processado);
	prop_i64(n, "glosa", s->glosa);
	prop_i64(n, "liberado", s->liberado);
}

static const char *
status_words(const char *status)
{
	static const char *const words[][2] = {
		{ "aberto", "Aberto" }, { "fechado", "Fechado" },
		{ "xml_gerado", "XML gerado" }, { "enviando", "Enviando" },
		{ "enviado", "Enviado" }, { "rejeitado", "Rejeitado" },
	};
	size_t i;

	for (i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strcmp(words[i][0], status) == 0)
			return words[i][1];
	return status;
}

static void
report_time(char out[32])
{
	time_t t = time_now();
	struct tm tm;

	strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
}

static xmlDocPtr
acompanhamento_doc(struct ws *ws, const char *competencia, const char *lote,
    const char *prest)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, pn = NULL, ln, gn;
	sqlite3_stmt *st, *gl;
	struct sums sub = { 0 }, total = { 0 }, one;
	char when[32], last[64] = "";
	const char *p;

	root = xmlNewNode(NULL, BAD_CAST "acompanhamento");
	xmlDocSetRootElement(doc, root);
	report_time(when);
	prop(root, "competencia", competencia);
	prop(root, "lote", lote);
	prop(root, "prestador", prest);
	prop(root, "gerado", when);
	st = db_prepare(ws->db, "SELECT l.id, l.codigoPrestadorNaOperadora, "
	    "l.numeroLote, l.status, l.statusProtocolo, "
	    "(SELECT count(*) FROM guia g WHERE g.lote_id = l.id), "
	    "(SELECT coalesce(sum(valorTotalProc), 0) FROM guia g WHERE "
	    "g.lote_id = l.id), l.dataEnvioLote, substr(l.enviadoEm, 1, 10), "
	    "l.numeroProtocolo, l.valorProcessado, l.valorGlosa, "
	    "l.valorLiberado, l.codigoErro, l.descricaoErro FROM lote l "
	    "WHERE l.competencia = ?1 AND (?2 IS NULL OR l.numeroLote = ?2) "
	    "AND (?3 IS NULL OR l.codigoPrestadorNaOperadora = ?3) "
	    "ORDER BY l.codigoPrestadorNaOperadora, l.numeroLote");
	gl = db_prepare(ws->db, "SELECT coalesce(numeroGuiaPrestador, ''), "
	    "sequencialItem, codigoGlosa, descricaoGlosa, valorGlosa FROM glosa "
	    "WHERE lote_id = ? ORDER BY numeroGuiaPrestador, sequencialItem, id");
	sqlite3_bind_text(st, 1, competencia, -1, SQLITE_STATIC);
	if (lote)
		sqlite3_bind_int64(st, 2, atoll(lote));
	db_bind_text(st, 3, prest);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		p = db_col_text(st, 1);
		if (strcmp(p, last) != 0) {
			if (pn)
				put_sums(pn, "subtotal", &sub);
			add_sums(&total, &sub);
			memset(&sub, 0, sizeof(sub));
			pn = xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
			prop(pn, "codigo", p);
			snprintf(last, sizeof(last), "%s", p);
		}
		ln = xmlNewChild(pn, NULL, BAD_CAST "lote", NULL);
		prop(ln, "numero", db_col_text(st, 2));
		prop(ln, "status", db_col_text(st, 3));
		prop(ln, "situacao", status_words(db_col_text(st, 3)));
		if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
			prop(ln, "statusProtocolo", db_col_text(st, 4));
			prop(ln, "statusProtocoloTexto", protocolo_status_name(
			    sqlite3_column_int(st, 4)));
		}
		prop(ln, "guias", db_col_text(st, 5));
		prop(ln, "valor", db_col_text(st, 6));
		prop(ln, "dataEnvio", db_col_text(st, 7) ? db_col_text(st, 7) :
		    db_col_text(st, 8));
		prop(ln, "protocolo", db_col_text(st, 9));
		prop_int(ln, "processado", st, 10);
		prop_int(ln, "glosa", st, 11);
		prop_int(ln, "liberado", st, 12);
		prop(ln, "codigoErro", db_col_text(st, 13));
		prop(ln, "descricaoErro", db_col_text(st, 14));
		memset(&one, 0, sizeof(one));
		one.lotes = 1;
		one.guias = sqlite3_column_int64(st, 5);
		one.valor = sqlite3_column_int64(st, 6);
		one.processado = sqlite3_column_int64(st, 10);
		one.glosa = sqlite3_column_int64(st, 11);
		one.liberado = sqlite3_column_int64(st, 12);
		add_sums(&sub, &one);
		sqlite3_reset(gl);
		sqlite3_bind_int64(gl, 1, sqlite3_column_int64(st, 0));
		while (db_step(ws->db, gl) == SQLITE_ROW) {
			gn = xmlNewChild(ln, NULL, BAD_CAST "glosa", NULL);
			prop(gn, "guia", db_col_text(gl, 0));
			prop_int(gn, "item", gl, 1);
			prop(gn, "codigo", db_col_text(gl, 2));
			prop(gn, "descricao", db_col_text(gl, 3));
			prop_int(gn, "valor", gl, 4);
		}
	}
	if (pn)
		put_sums(pn, "subtotal", &sub);
	add_sums(&total, &sub);
	put_sums(root, "total", &total);
	sqlite3_finalize(gl);
	sqlite3_finalize(st);
	return doc;
}

static xmlDocPtr
pendencias_doc(struct ws *ws, const char *prest)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, pn = NULL, gn = NULL, n;
	sqlite3_stmt *st;
	char when[32], last_p[64] = "";
	long long last_g = -1;
	long guides = 0, count = 0;

	root = xmlNewNode(NULL, BAD_CAST "pendencias");
	xmlDocSetRootElement(doc, root);
	report_time(when);
	prop(root, "prestador", prest);
	prop(root, "gerado", when);
	st = db_prepare(ws->db, "SELECT g.id, g.codigoPrestadorNaOperadora, "
	    "g.numeroGuiaPrestador, g.origem, g.origemArquivo, g.origemLinha, "
	    "p.severidade, p.regra, p.campo, p.mensagem, p.valor FROM guia g "
	    "JOIN pendencia p ON p.guia_id = g.id WHERE g.status = 'incompleto' "
	    "AND (?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) "
	    "ORDER BY g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador, p.n");
	db_bind_text(st, 1, prest);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		if (strcmp(db_col_text(st, 1), last_p) != 0) {
			pn = xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
			prop(pn, "codigo", db_col_text(st, 1));
			snprintf(last_p, sizeof(last_p), "%s", db_col_text(st, 1));
		}
		if (sqlite3_column_int64(st, 0) != last_g) {
			gn = xmlNewChild(pn, NULL, BAD_CAST "guia", NULL);
			prop(gn, "numero", db_col_text(st, 2));
			prop(gn, "origem", db_col_text(st, 3));
			prop(gn, "arquivo", db_col_text(st, 4));
			prop_int(gn, "linha", st, 5);
			last_g = sqlite3_column_int64(st, 0);
			guides++;
		}
		n = xmlNewTextChild(gn, NULL, BAD_CAST "pendencia",
		    BAD_CAST db_col_text(st, 9));
		prop(n, "severidade", db_col_text(st, 6));
		prop(n, "regra", db_col_text(st, 7));
		prop(n, "campo", db_col_text(st, 8));
		prop(n, "valor", db_col_text(st, 10));
		count++;
	}
	sqlite3_finalize(st);
	n = xmlNewChild(root, NULL, BAD_CAST "total", NULL);
	prop_i64(n, "guias", guides);
	prop_i64(n, "pendencias", count);
	return doc;
}

/* The data document as it is, or through xslt/report-FORMAT.xsl. */
static int
render(xmlDocPtr doc, const char *format, struct buf *out)
{
	const char *datadir = getenv("TISS_DATADIR");
	xsltStylesheetPtr xsl;
	xmlDocPtr res;
	xmlChar *bytes = NULL;
	char err[512], *path;
	int n = 0;

	if (strcmp(format, "xml") == 0) {
		xmlDocDumpFormatMemoryEnc(doc, &bytes, &n, "UTF-8", 1);
	} else {
		if (datadir == NULL || *datadir == '\0')
			datadir = TISS_DATADIR;
		path = xasprintf("%s/xslt/report-%s.xsl", datadir, format);
		if ((xsl = xml_xslt_load(path, err, sizeof(err))) == NULL)
			fatal(EXIT_CONFIG, "cannot load '%s': %s", path, err);
		free(path);
		if ((res = xsltApplyStylesheet(xsl, doc, NULL)) == NULL)
			fatal(EXIT_SOFTWARE, "the %s stylesheet failed", format);
		xsltSaveResultToString(&bytes, &n, res, xsl);
		xmlFreeDoc(res);
		xsltFreeStylesheet(xsl);
	}
	if (bytes)
		buf_add(out, bytes, (size_t)n);
	else
		buf_adds(out, "");
	xmlFree(bytes);
	return EXIT_OK;
}

/* "MM/AAAA" or "AAAA-MM" into "AAAA-MM". */
static void
parse_competencia(const char *s, char out[8])
{
	int y, m;
	char tail;

	if ((sscanf(s, "%2d/%4d%c", &m, &y, &tail) != 2 &&
	    sscanf(s, "%4d-%2d%c", &y, &m, &tail) != 2) || m < 1 || m > 12 ||
	    y < 2000 || y > 2999)
		fatal(EXIT_USAGE, "--competencia '%s': give month and year as "
		    "MM/AAAA, e.g. 03/2026", s);
	snprintf(out, 8, "%04d-%02d", y, m);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "competencia", required_argument, NULL, 'c' },
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "lote", required_argument, NULL, 'l' },
		{ "output", required_argument, NULL, 'o' },
		{ "prestador", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *prest = NULL, *output = NULL, *lote = NULL;
	const char *format = NULL, *comp = NULL;
	struct buf out = { 0 };
	struct ws ws;
	int ch, level = LOG_NORMAL, ret;
	char *copy, *copy2, competencia[8];
	xmlDocPtr doc;

	while ((ch = getopt_long(argc, argv, "C:f:ho:p:q", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'c':
			comp = optarg;
			break;
		case 'f':
			format = strcmp(optarg, "text") == 0 ? "txt" : optarg;
			if (strcmp(format, "html") && strcmp(format, "txt") &&
			    strcmp(format, "csv") && strcmp(format, "xml"))
				usage();
			break;
		case 'l':
			lote = optarg;
			break;
		case 'o':
			output = optarg;
			break;
		case 'p':
			prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc < 1)
		usage();
	log_init("tiss-report", level);
	xml_init();
	ws_open(&ws, ws_dir(dir));
	if (strcmp(argv[0], "protocolo") == 0 && argc == 2) {
		if (format && strcmp(format, "html") && strcmp(format, "txt"))
			usage();
		html = format && strcmp(format, "html") == 0;
		ret = report_protocolo(&ws, prest, argv[1], &out);
	} else if (strcmp(argv[0], "acompanhamento") == 0 && argc == 1) {
		if (comp == NULL)
			fatal(EXIT_USAGE, "say which month with --competencia "
			    "MM/AAAA");
		if (lote && strspn(lote, "0123456789") != strlen(lote))
			fatal(EXIT_USAGE, "--lote '%s' is not a lote number",
			    lote);
		parse_competencia(comp, competencia);
		doc = acompanhamento_doc(&ws, competencia, lote, prest);
		ret = render(doc, format ? format : "txt", &out);
		xmlFreeDoc(doc);
	} else if (strcmp(argv[0], "pendencias") == 0 && argc == 1) {
		doc = pendencias_doc(&ws, prest);
		ret = render(doc, format ? format : "txt", &out);
		xmlFreeDoc(doc);
	} else
		usage();
	ws_close(&ws);
	if (output == NULL)
		fwrite(out.data, 1, out.len, stdout);
	else {
		copy = xstrdup(output);
		copy2 = xstrdup(output);
		if (write_file_atomic(dirname(copy), basename(copy2), out.data,
		    out.len, 0644) != 0)
			ret = EXIT_IOERR;
		free(copy);
		free(copy2);
	}
	buf_release(&out);
	xml_cleanup();
	return close_stdout(ret);
}
