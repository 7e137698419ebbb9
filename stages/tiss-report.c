/*
 * tiss-report: reports from the workspace.
 *
 *   tiss-report protocolo LOTE [--format text|html]
 *	the 2ª via of a lote's protocolo de recebimento, from what was
 *	stored when the operator answered (and its latest status)
 *
 * Output goes to stdout, or to -o FILE written atomically.
 *
 * Exit: 0 done, 64 usage, 65 the lote has no protocolo, 66 no such
 * lote, 74 I/O error.
 */
#include <getopt.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/protocolo.h"
#include "common/util.h"
#include "common/ws.h"

static int html;

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-report [-C DIR] [-p PRESTADOR] "
	    "[--format text|html] [-o FILE] protocolo LOTE\n");
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

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "output", required_argument, NULL, 'o' },
		{ "quiet", no_argument, NULL, 'q' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *prest = NULL, *output = NULL;
	struct buf out = { 0 };
	struct ws ws;
	int ch, level = LOG_NORMAL, ret;
	char *copy, *copy2;

	while ((ch = getopt_long(argc, argv, "C:f:ho:p:q", longopts,
	    NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'f':
			if (strcmp(optarg, "html") == 0)
				html = 1;
			else if (strcmp(optarg, "text") != 0)
				usage();
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
	if (argc != 2 || strcmp(argv[0], "protocolo") != 0)
		usage();
	log_init("tiss-report", level);
	ws_open(&ws, ws_dir(dir));
	ret = report_protocolo(&ws, prest, argv[1], &out);
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
	return close_stdout(ret);
}
