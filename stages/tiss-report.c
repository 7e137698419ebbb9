/*
 * tiss-report: reports from the workspace.
 *
 *   tiss-report acompanhamento --competencia MM/AAAA [--lote N]
 *	the manual's Acompanhamento de Lotes: each lote of the month with
 *	our status and the operator's, guides, values sent, processed,
 *	denied and released, glosas; subtotals per prestador, a total
 *   tiss-report pendencias
 *	the incomplete guides with their pendências
 *   tiss-report conciliacao [--competencia MM/AAAA] [--dias N]
 *	the reconciliation (docs/ciclo.md): per lote what was billed,
 *	processed, released, glossed, paid, appealed, granted and is still
 *	to receive; guides no demonstrativo mentions after N days (30);
 *	glosas by code (common/conciliacao)
 *   tiss-report protocolo LOTE
 *	the 2ª via of a lote's protocolo de recebimento
 *
 * Each is built as an XML document of the data with libxml2 (xsd/
 * relatorios.xsd; --format xml prints it) and rendered by
 * xslt/report-html.xsl, report-csv.xsl or report-txt.xsl: no markup is
 * written by hand here, so every value is escaped by the one XML
 * serializer.  Every sum is made here in integer centavos; the
 * stylesheets only format.  Output goes to stdout (also -o -), or to
 * -o FILE written atomically.
 *
 * Exit: 0 done, 64 usage, 65 the lote has no protocolo, 66 no such
 * lote, 70 a stylesheet failed, 74 I/O error, 75 database busy, 78 not a
 * workspace or a stylesheet is missing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <libxslt/transform.h>

#include "common/cli.h"
#include "common/conciliacao.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/ofile.h"
#include "common/profile.h"
#include "common/protocolo.h"
#include "common/render.h"
#include "common/reportdoc.h"
#include "common/tissver.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

static const char usage_text[] =
    "tiss-report [-qv] [-C dir] acompanhamento --competencia MM/AAAA "
    "[--lote n]\n"
    "           [-p prestador] [--format html|csv|txt|xml] [-o file]\n"
    "       tiss-report [-qv] [-C dir] pendencias [-p prestador] "
    "[--format html|csv|txt|xml] [-o file]\n"
    "       tiss-report [-qv] [-C dir] conciliacao [--competencia MM/AAAA] "
    "[--dias n]\n"
    "           [-p prestador] [--format html|csv|txt|xml] [-o file]\n"
    "       tiss-report [-qv] [-C dir] protocolo lote [-p prestador] "
    "[--format txt|html|xml] [-o file]\n";

/* --format, in the order of formats[]. */
enum format { F_HTML, F_CSV, F_TXT, F_XML, F_TEXT };
static const char *const formats[] = { "html", "csv", "txt", "xml", "text",
    NULL };

/* The command line beyond the common options. */
struct opts {
	int	 format;		/* enum format; F_TXT by default */
	const char *output;		/* -o; NULL or "-": stdout */
	char	 competencia[8];	/* "AAAA-MM", or "" */
	long long lote;			/* --lote, or 0 */
	long long dias;			/* --dias: a guide absent after */
};

static int
option(int ch, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	switch (ch) {
	case 'c':
		cli_competencia("--competencia", arg, o->competencia);
		return 0;
	case 'f':
		o->format = cli_choice("--format", arg, formats);
		if (o->format == F_TEXT)
			o->format = F_TXT;
		return 0;
	case 'l':
		o->lote = cli_lote("--lote", arg);
		return 0;
	case 'd':
		o->dias = cli_number("--dias", arg, 1, 3650);
		return 0;
	case 'o':
		o->output = arg;
		return 0;
	}
	return -1;
}

/* ---- building the data documents ---------------------------------------- */

/*
 * Sums over lotes; the operator's figures only where it gave them, with
 * how many lotes gave each (nproc, nglosa, nlib): a sum no lote gave is
 * unknown, not zero, and one some lotes gave is partial.
 */
struct sums {
	int64_t	 lotes, guias, valor, processado, glosa, liberado;
	int64_t	 nproc, nglosa, nlib;
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
	to->nproc += from->nproc;
	to->nglosa += from->nglosa;
	to->nlib += from->nlib;
}

/* Sum v of n lotes out of s's: absent when none, with NAMEParcial when some. */
static void
put_sum(xmlNodePtr n, const char *name, int64_t v, int64_t known,
    const struct sums *s)
{
	char attr[32];

	if (known == 0)
		return;
	render_prop_i64(n, name, v);
	if (known < s->lotes) {
		snprintf(attr, sizeof(attr), "%sParcial", name);
		render_prop(n, attr, "sim");
	}
}

static void
put_sums(xmlNodePtr parent, const char *name, const struct sums *s)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);

	render_prop_i64(n, "lotes", s->lotes);
	render_prop_i64(n, "guias", s->guias);
	render_prop_i64(n, "valor", s->valor);
	put_sum(n, "processado", s->processado, s->nproc, s);
	put_sum(n, "glosa", s->glosa, s->nglosa, s);
	put_sum(n, "liberado", s->liberado, s->nlib, s);
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

/* The columns of a lote in the acompanhamento, as lote_node reads them. */
#define LOTE_COLUMNS "l.id, l.codigoPrestadorNaOperadora, l.numeroLote, " \
	"l.status, l.statusProtocolo, (SELECT count(*) FROM guia g WHERE " \
	"g.lote_id = l.id), (SELECT coalesce(sum(valorTotalProc), 0) FROM " \
	"guia g WHERE g.lote_id = l.id), coalesce(l.dataEnvioLote, " \
	"substr(l.enviadoEm, 1, 10)), l.numeroProtocolo, l.valorProcessado, " \
	"l.valorGlosa, l.valorLiberado, l.codigoErro, l.descricaoErro, " \
	"c.pago, (SELECT max(dataPagamento) FROM conciliacao_guia x WHERE " \
	"x.prestador = c.prestador AND x.numeroLote = c.numeroLote)"

/* Add the lote on st's row (LOTE_COLUMNS) to sub. */
static void
lote_sums(sqlite3_stmt *st, struct sums *sub)
{
	struct sums one = { 1, 0, 0, 0, 0, 0, 0, 0, 0 };
	int rej;

	one.guias = sqlite3_column_int64(st, 5);
	one.valor = sqlite3_column_int64(st, 6);
	one.processado = sqlite3_column_int64(st, 9);
	one.glosa = sqlite3_column_int64(st, 10);
	one.liberado = sqlite3_column_int64(st, 11);
	/* A rejected lote's figures are known: it will have none. */
	rej = strcmp(db_col_text(st, 3), "rejeitado") == 0;
	one.nproc = rej || sqlite3_column_type(st, 9) != SQLITE_NULL;
	one.nglosa = rej || sqlite3_column_type(st, 10) != SQLITE_NULL;
	one.nlib = rej || sqlite3_column_type(st, 11) != SQLITE_NULL;
	add_sums(sub, &one);
}

/* One lote of the acompanhamento under pn, with its glosas; adds to sub. */
static void
lote_node(sqlite3 *db, xmlNodePtr pn, sqlite3_stmt *st, sqlite3_stmt *gl,
    struct sums *sub)
{
	xmlNodePtr ln, gn;
	char label[128];

	ln = xmlNewChild(pn, NULL, BAD_CAST "lote", NULL);
	render_prop(ln, "numero", db_col_text(st, 2));
	render_prop(ln, "status", db_col_text(st, 3));
	render_prop(ln, "situacao", status_words(db_col_text(st, 3)));
	if (sqlite3_column_type(st, 4) != SQLITE_NULL) {
		render_prop(ln, "statusProtocolo", db_col_text(st, 4));
		tissver_status_label(sqlite3_column_int(st, 4), label);
		render_prop(ln, "statusProtocoloTexto", label);
	}
	render_prop(ln, "guias", db_col_text(st, 5));
	render_prop(ln, "valor", db_col_text(st, 6));
	render_prop_col(ln, "dataEnvio", st, 7);
	render_prop_col(ln, "protocolo", st, 8);
	render_prop_col(ln, "processado", st, 9);
	render_prop_col(ln, "glosa", st, 10);
	render_prop_col(ln, "liberado", st, 11);
	render_prop_col(ln, "codigoErro", st, 12);
	render_prop_col(ln, "descricaoErro", st, 13);
	render_prop_col(ln, "pago", st, 14);
	render_prop_col(ln, "dataPagamento", st, 15);
	lote_sums(st, sub);
	sqlite3_reset(gl);
	sqlite3_bind_int64(gl, 1, sqlite3_column_int64(st, 0));
	while (db_step(db, gl) == SQLITE_ROW) {
		gn = reportdoc_glosa(ln, gl);
		render_prop_col(gn, "glosaGuia", gl, 5);
	}
}

#define LOTES_SQL "SELECT " LOTE_COLUMNS " FROM lote l LEFT JOIN " \
	"conciliacao_lote c ON c.prestador = l.codigoPrestadorNaOperadora " \
	"AND c.numeroLote = l.numeroLote WHERE " \
	"l.competencia = ?1 AND (?2 = 0 OR l.numeroLote = ?2) AND (?3 IS " \
	"NULL OR l.codigoPrestadorNaOperadora = ?3) ORDER BY " \
	"l.codigoPrestadorNaOperadora, l.numeroLote"
/* With the guide's whole glosa from the protocolo (column 5). */
#define GLOSAS_SQL "SELECT coalesce(numeroGuiaPrestador, ''), " \
	"sequencialItem, codigoGlosa, descricaoGlosa, valorGlosa, (SELECT " \
	"p.valorGlosa FROM protocolo_guia p WHERE p.lote_id = glosa.lote_id " \
	"AND p.numeroGuiaPrestador = glosa.numeroGuiaPrestador) FROM glosa " \
	"WHERE lote_id = ? ORDER BY numeroGuiaPrestador, sequencialItem, id"

/* The acompanhamento's root (month, --lote, -p) and its query, bound. */
static xmlDocPtr
acompanhamento_new(struct ws *ws, const struct opts *o, const char *prest,
    xmlNodePtr *root, sqlite3_stmt **st)
{
	xmlDocPtr doc = render_doc("acompanhamento", root);

	render_prop(*root, "competencia", o->competencia);
	if (o->lote)
		render_prop_i64(*root, "lote", o->lote);
	render_prop(*root, "prestador", prest);
	if (st) {
		*st = db_prepare(ws->db, LOTES_SQL);
		sqlite3_bind_text(*st, 1, o->competencia, -1, SQLITE_STATIC);
		sqlite3_bind_int64(*st, 2, o->lote);
		db_bind_text(*st, 3, prest);
	}
	return doc;
}

/* Where the prestadores' documents go: into whole, or rendered to of. */
struct acomp_out {
	xmlNodePtr whole;		/* the data document's root, or NULL */
	xsltStylesheetPtr xsl;
	struct ofile *of;
};

/* One prestador's document (its subtotal added) to out; freed. */
static void
acompanhamento_flush(xmlDocPtr doc, xmlNodePtr pn, const struct sums *sub,
    const struct acomp_out *out)
{
	struct buf part = { 0 };

	put_sums(pn, "subtotal", sub);
	if (out->whole)
		xmlAddChild(out->whole, xmlDocCopyNode(pn, out->whole->doc, 1));
	else {
		render_part(out->xsl, doc, "'prestadores'", &part);
		ofile_write(out->of, part.data, part.len);
		buf_release(&part);
	}
	xmlFreeDoc(doc);
}

/* st's lotes, a document per prestador (memory follows it), to out. */
static void
acompanhamento_walk(struct ws *ws, const struct opts *o, const char *prest,
    sqlite3_stmt *st, const struct acomp_out *out, struct sums *total)
{
	sqlite3_stmt *gl = db_prepare(ws->db, GLOSAS_SQL);
	xmlNodePtr root, pn = NULL;
	xmlDocPtr doc = NULL;
	struct sums sub = { 0 };
	char last[64] = "";

	while (db_step(ws->db, st) == SQLITE_ROW) {
		if (strcmp(db_col_text(st, 1), last) != 0) {
			if (doc)
				acompanhamento_flush(doc, pn, &sub, out);
			add_sums(total, &sub);
			memset(&sub, 0, sizeof(sub));
			doc = acompanhamento_new(ws, o, prest, &root, NULL);
			pn = xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
			render_prop(pn, "codigo", db_col_text(st, 1));
			snprintf(last, sizeof(last), "%s", db_col_text(st, 1));
		}
		lote_node(ws->db, pn, st, gl, &sub);
	}
	if (doc)
		acompanhamento_flush(doc, pn, &sub, out);
	add_sums(total, &sub);
	sqlite3_finalize(gl);
}

static xmlDocPtr
acompanhamento_doc(struct ws *ws, const struct opts *o, const char *prest)
{
	struct acomp_out out = { NULL, NULL, NULL };
	struct sums total = { 0 };
	sqlite3_stmt *st;
	xmlDocPtr doc = acompanhamento_new(ws, o, prest, &out.whole, &st);

	acompanhamento_walk(ws, o, prest, st, &out, &total);
	put_sums(out.whole, "total", &total);
	sqlite3_finalize(st);
	return doc;
}


/* ---- rendering ---------------------------------------------------------- */

/* The data document as it is, or through xslt/report-FORMAT.xsl. */
static void
render(xmlDocPtr doc, int format, struct buf *out)
{
	xsltStylesheetPtr xsl;
	xmlChar *bytes = NULL;
	int n = 0;

	if (format == F_XML) {
		xmlDocDumpFormatMemoryEnc(doc, &bytes, &n, "UTF-8", 1);
		if (bytes)
			buf_add(out, bytes, (size_t)n);
		xmlFree(bytes);
		return;
	}
	xsl = render_load(formats[format]);
	render_part(xsl, doc, NULL, out);
	xsltFreeStylesheet(xsl);
}

/*
 * The acompanhamento written as it is made: the total summed first, the
 * page ('frame', an empty prestador so the total shows) split at its
 * mark, each prestador rendered in between.  No lote: the whole page.
 */
static int
acompanhamento_report(struct ws *ws, const struct opts *o, const char *prest)
{
	struct acomp_out out = { NULL, render_load(formats[o->format]), NULL };
	struct sums total = { 0 }, none = { 0 };
	struct buf page = { 0 };
	struct ofile of;
	sqlite3_stmt *st;
	xmlNodePtr root;
	xmlDocPtr doc = acompanhamento_new(ws, o, prest, &root, &st);
	size_t at = 0;

	while (db_step(ws->db, st) == SQLITE_ROW)
		lote_sums(st, &total);
	sqlite3_reset(st);
	if (total.lotes)
		xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
	put_sums(root, "total", &total);
	render_part(out.xsl, doc, total.lotes ? "'frame'" : NULL, &page);
	xmlFreeDoc(doc);
	if (total.lotes)
		at = render_split(&page, "{{tiss:prestadores}}");
	if (ofile_open(&of, o->output, ws->fmode) != 0)
		return EXIT_IOERR;
	out.of = &of;
	ofile_write(&of, page.data, total.lotes ? at : page.len);
	if (total.lotes) {
		acompanhamento_walk(ws, o, prest, st, &out, &none);
		ofile_write(&of, page.data + at, page.len - at);
	}
	sqlite3_finalize(st);
	buf_release(&page);
	xsltFreeStylesheet(out.xsl);
	return ofile_close(&of, 1) == 0 ? EXIT_OK : EXIT_IOERR;
}

/* out to path atomically (of mode), or to stdout for NULL or "-". */
static int
write_output(const char *path, const struct buf *out, mode_t mode)
{
	return ofile_put(path, out->data, out->len, mode) == 0 ? EXIT_OK :
	    EXIT_IOERR;
}

/* The report the operands name, as a data document; NULL: bad command. */
static xmlDocPtr
build(struct ws *ws, const struct opts *o, const char *prest, int argc,
    char **argv, const struct cli_spec *spec)
{
	if (strcmp(argv[0], "protocolo") == 0 && argc == 2) {
		if (o->format == F_CSV)
			cli_usage(spec);
		return reportdoc_protocolo(ws, prest, cli_lote("lote", argv[1]));
	}
	if (strcmp(argv[0], "acompanhamento") == 0 && argc == 1) {
		if (o->competencia[0] == '\0')
			fatal(EXIT_USAGE, _("say which month with --competencia "
			    "MM/AAAA"));
		return acompanhamento_doc(ws, o, prest);
	}
	if (strcmp(argv[0], "pendencias") == 0 && argc == 1)
		return reportdoc_pendencias(ws, prest);
	if (strcmp(argv[0], "conciliacao") == 0 && argc == 1)
		return conciliacao_doc(ws->db, o->competencia[0] ?
		    o->competencia : NULL, prest, o->dias);
	return NULL;
}

int
main(int argc, char *argv[])
{
	struct opts o = { F_TXT, NULL, "", 0, 30 };
	const struct cli_spec spec = { .name = "tiss-report",
	    .usage = usage_text, .options = "competencia=c: format=-f: "
	    "lote=l: dias=d: output=-o:", .option = option, .ctx = &o,
	    .min_operands = 1, .max_operands = 2 };
	struct buf out = { 0 };
	struct profile p;
	struct cli cli;
	struct ws ws;
	xmlDocPtr doc;
	int first, ret;

	first = cli_parse(&cli, &spec, argc, argv);
	xml_init();
	ws_open(&ws, ws_dir(cli.workspace));
	profile_load(&p, &ws);	/* the version's statuses and glosas */
	if (o.format != F_XML && argc - first == 1 && o.competencia[0] &&
	    strcmp(argv[first], "acompanhamento") == 0) {
		ret = acompanhamento_report(&ws, &o, cli.prestador);
		goto out;
	}
	if ((doc = build(&ws, &o, cli.prestador, argc - first, argv + first,
	    &spec)) == NULL)
		cli_usage(&spec);
	render(doc, o.format, &out);
	xmlFreeDoc(doc);
	ret = write_output(o.output, &out, ws.fmode);
out:
	ws_close(&ws);
	buf_release(&out);
	xml_cleanup();
	return close_stdout(ret);
}
