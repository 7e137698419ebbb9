/*
 * tiss-recurso: appeal the glosas the clinic disagrees with (recurso de
 * glosa) and follow the appeal to the amounts the operator grants.
 *
 *   export   the glossed items (by prestador, lote, glosa code,
 *            competência) as a worksheet to fill with the amount and
 *            the justification of each item appealed;
 *   import   read it back (the guide import's round-trip rules: the
 *            whole file refused on any problem) and build one recurso
 *            lote (loteRecursoGlosaWS, guiaRecursoGlosaOdonto) per
 *            appealed lote, checked against the official schema with its
 *            hash, written to out/PRESTADOR/recurso_N_ws.xml;
 *   send     send them exactly once, as tiss-send sends lotes: the
 *            intent committed before the POST, an interrupted send
 *            resent with the same bytes (the operator answers one it has
 *            with its protocolo), a recurso with a protocolo never sent
 *            again;
 *   status   ask how each stands and store the values granted per item;
 *   list     the recursos and their amounts.
 *
 * An item is appealed once per glosa; an item that was not glossed is
 * refused (common/recurso).
 *
 * Exit: see tiss-recurso(1) and tiss(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/ifile.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/ofile.h"
#include "common/parse.h"
#include "common/protocolo.h"
#include "common/recurso.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct app {
	struct ws ws;
	struct exchange x;
	struct recurso_filtro f;
	char	 competencia[8];
	const char *output;		/* export -o */
	long long recurso;		/* --recurso N */
	const char *prestador;
};

/* One recurso picked to send or ask about. */
struct rec {
	long long id, numero;
	char	*prest, *arquivo, *sha, *protocolo;
	int	 enviando;
	char	 name[64];	/* "recurso N of P": the exchanges' where */
};

static const char usage_text[] =
    "tiss-recurso [-C DIR] [-p PRESTADOR] command [options]\n"
    "  export [--lote N] [--glosa CODE] [--competencia MM/AAAA] [-o FILE]\n"
    "  import FILE            build the recursos of a filled worksheet\n"
    "  send [--recurso N]     send them (exactly once)\n"
    "  status [--recurso N]   ask how they stand, store the values granted\n"
    "  list                   the recursos and their amounts\n";

/* ---- import: build the recursos ------------------------------------------ */

static int
cmd_import(struct app *a, const char *path)
{
	struct recurso_linha *rows;
	char err[1024] = "", summary[512];
	const char *shown = ifile_shown(path);
	long n, i, j;
	int problems, ret = EXIT_OK;

	db_exec(a->ws.db, "BEGIN IMMEDIATE");
	if ((problems = recurso_read(a->ws.db, path, &rows, &n)) < 0)
		fatal(errno == EFBIG ? EXIT_DATAERR : EXIT_NOINPUT, _("cannot read "
		    "'%s': %s"), shown, errno == EFBIG ? _("larger than 16 MiB") :
		    strerror(errno));
	if (problems > 0) {
		log_error(P_("'%s' rejected whole: %d problem; correct it and "
		    "import it again", "'%s' rejected whole: %d problems; correct "
		    "it and import it again", problems), shown, problems);
		ret = EXIT_DATAERR;
	} else if (n == 0)
		log_notice(_("'%s': no row has a justificativa: nothing to appeal"),
		    shown);
	else if (a->x.p.nome == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] nome to the operator's "
		    "name (a recurso carries nomeOperadora)"), a->ws.cfg.path);
	if (n > 0)
		qsort(rows, (size_t)n, sizeof(*rows), recurso_by_guide);
	for (i = 0; ret == EXIT_OK && i < n; i++) {
		for (j = 0; j < i && rows[j].lote_id != rows[i].lote_id; j++)
			;
		if (j < i)
			continue;
		if (recurso_build(&a->ws, &a->x, rows, n, rows[i].lote_id,
		    summary, sizeof(summary), err, sizeof(err)) != 0) {
			log_error(_("'%s': no recurso built: %s"), shown, err);
			ret = EXIT_DATAERR;
		} else
			printf("%s\n", summary);
	}
	db_exec(a->ws.db, ret == EXIT_OK ? "COMMIT" : "ROLLBACK");
	recurso_linhas_free(rows, n);
	return ret;
}

/* ---- send and status ----------------------------------------------------- */

/* The recursos in one of the statuses (SQL text), or --recurso. */
static long
pick(struct app *a, const char *where, struct rec **out)
{
	char *sql = xasprintf("SELECT id, numeroLote, codigoPrestador, "
	    "arquivo, sha256, coalesce(numeroProtocolo, ''), status = "
	    "'enviando' FROM recurso WHERE (%s) AND (?1 IS NULL OR "
	    "codigoPrestador = ?1) AND (?2 = 0 OR numeroLote = ?2) ORDER BY "
	    "codigoPrestador, numeroLote", where);
	sqlite3_stmt *st = db_prepare(a->ws.db, sql);
	struct rec *v = NULL;
	long n = 0;

	db_bind_text(st, 1, a->prestador);
	sqlite3_bind_int64(st, 2, a->recurso);
	while (db_step(a->ws.db, st) == SQLITE_ROW) {
		v = xrealloc(v, (size_t)(n + 1) * sizeof(*v));
		v[n].id = sqlite3_column_int64(st, 0);
		v[n].numero = sqlite3_column_int64(st, 1);
		v[n].prest = xstrdup(db_col_text(st, 2));
		v[n].arquivo = xstrdup(db_col_text(st, 3));
		v[n].sha = xstrdup(db_col_text(st, 4));
		v[n].protocolo = xstrdup(db_col_text(st, 5));
		v[n].enviando = sqlite3_column_int(st, 6);
		snprintf(v[n].name, sizeof(v[n].name), _("recurso %lld of %s"),
		    v[n].numero, v[n].prest);
		n++;
	}
	sqlite3_finalize(st);
	free(sql);
	*out = v;
	return n;
}

static void
free_recs(struct rec *v, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		free(v[i].prest);
		free(v[i].arquivo);
		free(v[i].sha);
		free(v[i].protocolo);
	}
	free(v);
}

struct send_ctx {
	struct app *a;
	const struct rec *r;
	long long envio;
	int	 rejected;
};

/* A protocolo or the operator's verdict, stored in one transaction. */
static int
read_sent(const struct http_answer *h, void *ctx, char *err, size_t errlen)
{
	struct send_ctx *c = ctx;
	sqlite3 *db = c->a->ws.db;
	struct tissmsg_answer ans;
	int ret = exchange_read(&c->a->x, h, tissmsg_read_recurso, &ans, err,
	    errlen);

	if (ret == EXIT_OK) {
		db_exec(db, "BEGIN IMMEDIATE");
		db_run(db, "UPDATE recurso SET status = 'enviado', "
		    "numeroProtocolo = ?, dataEnvio = ?, enviadoEm = "
		    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ? AND "
		    "status = 'enviando'", "tti", ans.protocolo, ans.data,
		    c->r->id);
		db_run(db, "UPDATE recurso_envio SET fim = strftime("
		    "'%Y-%m-%dT%H:%M:%SZ', 'now'), resultado = 'protocolo', "
		    "detalhe = ? WHERE id = ?", "ti", ans.protocolo, c->envio);
		db_exec(db, "COMMIT");
		printf(_("recurso %lld of %s: protocolo %s\n"), c->r->numero,
		    c->r->prest, ans.protocolo);
	} else if (ret == EXIT_DATAERR) {
		db_exec(db, "BEGIN IMMEDIATE");
		db_run(db, "UPDATE recurso SET status = 'rejeitado', codigoErro "
		    "= ?, descricaoErro = ? WHERE id = ?", "tti", ans.code,
		    tissmsg_glosa_text(ans.code, ans.text), c->r->id);
		db_run(db, "UPDATE recurso_item SET ativo = 0 WHERE recurso_id = "
		    "?", "i", c->r->id);
		db_exec(db, "COMMIT");
		c->rejected = 1;
	}
	tissmsg_answer_release(&ans);
	return ret == EXIT_DATAERR ? EXIT_OK : ret;
}

static int
send_one(struct app *a, const struct rec *r)
{
	struct send_ctx c = { a, r, 0, 0 };
	struct buf req = { 0 };
	char *path = ws_path(&a->ws, r->arquivo), sha[65], err[1024] = "";
	int ret;

	if (read_file(path, &req) != 0 || (sha256_hex(req.data, req.len, sha),
	    strcmp(sha, r->sha) != 0)) {
		log_error(_("recurso %lld of %s: '%s' is %s; nothing sent: it "
		    "must be sent as recorded"), r->numero, r->prest, path,
		    errno ? strerror(errno) : _("not the file recorded"));
		free(path);
		buf_release(&req);
		return EXIT_DATAERR;
	}
	if (r->enviando)
		log_notice(_("recurso %lld of %s was being sent when a run "
		    "stopped: sending the same bytes again"), r->numero, r->prest);
	db_exec(a->ws.db, "BEGIN IMMEDIATE");
	db_run(a->ws.db, "UPDATE recurso SET status = 'enviando' WHERE id = ?",
	    "i", r->id);
	db_run(a->ws.db, "INSERT INTO recurso_envio (recurso_id, inicio) "
	    "VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", "i", r->id);
	c.envio = sqlite3_last_insert_rowid(a->ws.db);
	db_exec(a->ws.db, "COMMIT");
	ret = exchange_post(&a->x, a->x.p.recurso_endpoint, &req, r->name,
	    read_sent, &c, err, sizeof(err));
	if (c.rejected) {
		log_error(_("recurso %lld of %s was rejected by the operator: %s; "
		    "its items may be appealed again in a new worksheet"),
		    r->numero, r->prest, err);
		ret = EXIT_DATAERR;
	} else if (ret != EXIT_OK) {
		db_run(a->ws.db, "UPDATE recurso_envio SET fim = strftime("
		    "'%Y-%m-%dT%H:%M:%SZ', 'now'), resultado = 'falha', detalhe "
		    "= ? WHERE id = ?", "ti", err, c.envio);
		log_error(ret == EXIT_PROTOCOL ? _("recurso %lld of %s: the "
		    "operator's answer is no verdict: %s; it may hold the "
		    "recurso: a person should ask the operator; tiss-recurso "
		    "send sends the same bytes again, never a new recurso") :
		    _("recurso %lld of %s not sent: %s; it stays ready: run "
		    "tiss-recurso send again"), r->numero, r->prest, err);
	}
	free(path);
	buf_release(&req);
	return ret;
}

/* Store the values granted per item of a reciboGlosaOdonto. */
static void
store_granted(struct app *a, const struct rec *r, xmlNodePtr recibo)
{
	sqlite3_stmt *st = db_prepare(a->ws.db, "UPDATE recurso_item SET "
	    "valorAcatado = ?, justificativaOperadora = ? WHERE recurso_id = ? "
	    "AND numeroGuiaPrestador = ? AND sequencialItem = ? AND "
	    "codigoGlosa = ?");
	xmlNodePtr g, it, p;
	char guia[32], seq[16], code[16], just[512];

	for (g = xml_child(xml_child(recibo, "opcaoRecurso"), "recursoGuia"); g;
	    g = xmlNextElementSibling(g)) {
		it = xml_child(g, "respostaRecursoItemOdonto");
		if (xml_child_text(it, "numeroGuiaPrestador", guia,
		    sizeof(guia)) == NULL)
			continue;
		for (p = xml_child(it, "recursoProcedimento"); p;
		    p = xmlNextElementSibling(p)) {
			xml_child_text(p, "sequencialItem", seq, sizeof(seq));
			xml_child_text(p, "codGlosaProc", code, sizeof(code));
			if (!xml_child_text(p, "justificativaOperadora", just,
			    sizeof(just)))
				just[0] = '\0';
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, xml_child_hundredths(p,
			    "valorAcatado"));
			db_bind_text(st, 2, just[0] ? just : NULL);
			sqlite3_bind_int64(st, 3, r->id);
			db_bind_text(st, 4, guia);
			sqlite3_bind_int64(st, 5, atol(seq));
			db_bind_text(st, 6, code);
			db_step(a->ws.db, st);
		}
	}
	sqlite3_finalize(st);
}

static int
read_status(const struct http_answer *h, void *ctx, char *err, size_t errlen)
{
	struct send_ctx *c = ctx;
	struct tissmsg_answer ans;
	char v[32];
	int ret = exchange_read(&c->a->x, h, tissmsg_read_recurso_situacao,
	    &ans, err, errlen);

	if (ret != EXIT_OK) {
		tissmsg_answer_release(&ans);
		return ret;
	}
	db_exec(c->a->ws.db, "BEGIN IMMEDIATE");
	if (ans.valor >= 0) {
		store_granted(c->a, c->r, ans.detalhe);
		fmt_money(ans.valor, v);
		db_run(c->a->ws.db, "UPDATE recurso SET valorAcatado = ?, "
		    "statusConsultadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
		    "WHERE id = ?", "ii", (long long)ans.valor, c->r->id);
		printf(_("recurso %lld of %s, protocolo %s: answered: %s "
		    "granted\n"), c->r->numero, c->r->prest, c->r->protocolo, v);
	} else {
		db_run(c->a->ws.db, "UPDATE recurso SET statusProtocolo = ?, "
		    "statusConsultadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
		    "WHERE id = ?", "ii", (long long)ans.status, c->r->id);
		printf(_("recurso %lld of %s, protocolo %s: %d %s\n"), c->r->numero,
		    c->r->prest, c->r->protocolo, ans.status,
		    protocolo_status_name(ans.status));
	}
	db_exec(c->a->ws.db, "COMMIT");
	err[0] = '\0';
	tissmsg_answer_release(&ans);
	return EXIT_OK;
}

static int
status_one(struct app *a, const struct rec *r)
{
	struct send_ctx c = { a, r, 0, 0 };
	struct tissmsg_cab cab;
	char err[1024] = "";
	int ret;

	exchange_cab(&a->x, "SOLIC_STATUS_RECURSO_GLOSA", r->prest, &cab);
	ret = exchange_ask(&a->x, tissmsg_recurso_status_request(&cab,
	    r->protocolo, a->x.p.hash_encoding, err, sizeof(err)),
	    a->x.p.recurso_status_endpoint, r->name, read_status, &c, err,
	    sizeof(err));
	if (ret < 0) {
		log_error("%s: %s", r->name, err);
		return EXIT_DATAERR;
	}
	if (ret != EXIT_OK)
		log_error(_("recurso %lld of %s, protocolo %s: no status: %s"),
		    r->numero, r->prest, r->protocolo, err);
	return ret;
}

static int
for_each(struct app *a, const char *where, int (*fn)(struct app *,
    const struct rec *))
{
	struct rec *v;
	long n = pick(a, where, &v), i;
	int ret = EXIT_OK, r;

	if (n == 0 && a->recurso)
		log_error(_("no recurso %lld to work on here"), a->recurso);
	for (i = 0; i < n; i++) {
		ret = exit_worse(ret, r = fn(a, &v[i]));
		fflush(stdout);
		if (http_code_stops(r))
			break;
	}
	free_recs(v, n);
	return n == 0 && a->recurso ? EXIT_NOINPUT : ret;
}

/* ---- list, export, main -------------------------------------------------- */

static int
cmd_list(struct app *a)
{
	sqlite3_stmt *st = db_prepare(a->ws.db, "SELECT codigoPrestador, "
	    "numeroLote, status, coalesce(numeroProtocolo, '-'), "
	    "valorRecursado, valorAcatado FROM recurso WHERE ?1 IS NULL OR "
	    "codigoPrestador = ?1 ORDER BY 1, 2");
	char vr[32], va[32];

	db_bind_text(st, 1, a->prestador);
	while (db_step(a->ws.db, st) == SQLITE_ROW) {
		format_hundredths(sqlite3_column_int64(st, 4), vr);
		if (sqlite3_column_type(st, 5) == SQLITE_NULL)
			snprintf(va, sizeof(va), "-");
		else
			format_hundredths(sqlite3_column_int64(st, 5), va);
		printf("%s\t%lld\t%s\t%s\t%s\t%s\n", db_col_text(st, 0),
		    (long long)sqlite3_column_int64(st, 1), db_col_text(st, 2),
		    db_col_text(st, 3), vr, va);
	}
	sqlite3_finalize(st);
	return EXIT_OK;
}

/* export [-o FILE]: to stdout, or FILE atomically ("-": stdout). */
static int
cmd_export(struct app *a)
{
	struct ofile of;
	long n;

	if (ofile_open(&of, a->output, a->ws.fmode) != 0)
		return EXIT_IOERR;
	n = recurso_export(a->ws.db, &a->f, of.fp);
	if (ofile_close(&of, 1) != 0)
		return EXIT_IOERR;
	if (!ofile_is_stdout(a->output))
		log_notice(P_("%ld glossed item to appeal in %s", "%ld glossed "
		    "items to appeal in %s", n), n, a->output);
	else
		log_notice(P_("%ld glossed item to appeal", "%ld glossed items "
		    "to appeal", n), n);
	return EXIT_OK;
}

/*
 * The options of the commands, all taken before the command is known:
 * export's filters (--lote, --glosa, --competencia) and -o, send's and
 * status's --recurso.  A command ignores the others.
 */
static int
option(int ch, const char *arg, void *ctx)
{
	struct app *a = ctx;

	switch (ch) {
	case 'l':
		a->f.lote = cli_lote("--lote", arg);
		return 0;
	case 'g':
		a->f.glosa = arg;
		return 0;
	case 'c':
		cli_competencia("--competencia", arg, a->competencia);
		a->f.competencia = a->competencia;
		return 0;
	case 'o':
		a->output = arg;
		return 0;
	case 'r':
		a->recurso = cli_lote("--recurso", arg);
		return 0;
	}
	return -1;
}

static int
run(struct app *a, const char *cmd, int nargs, char **args)
{
	int net = !strcmp(cmd, "send") || !strcmp(cmd, "status");

	if (strcmp(cmd, "export") && strcmp(cmd, "list") && strcmp(cmd,
	    "import") && !net)
		return -1;
	if ((strcmp(cmd, "import") == 0) != (nargs == 1) || nargs > 1)
		return -1;
	exchange_open(&a->x, &a->ws, net, 0);
	if (!strcmp(cmd, "export"))
		return cmd_export(a);
	if (!strcmp(cmd, "list"))
		return cmd_list(a);
	if (!strcmp(cmd, "import"))
		return cmd_import(a, args[0]);
	if (!strcmp(cmd, "send")) {
		profile_require_endpoint(&a->ws, "recurso_endpoint",
		    a->x.p.recurso_endpoint, "tissRecursoGlosa");
		return for_each(a, "status = 'pronto' OR status = 'enviando'",
		    send_one);
	}
	profile_require_endpoint(&a->ws, "recurso_status_endpoint",
	    a->x.p.recurso_status_endpoint, "tissSolicitacaoStatusRecursoGlosa");
	return for_each(a, a->recurso ? "status = 'enviado'" : "status = "
	    "'enviado' AND valorAcatado IS NULL", status_one);
}

int
main(int argc, char *argv[])
{
	struct app a = { 0 };
	const struct cli_spec spec = { .name = "tiss-recurso",
	    .usage = usage_text, .options = "lote=-l: glosa=-g: "
	    "competencia=-c: output=-o: recurso=-r:", .option = option,
	    .ctx = &a, .min_operands = 1, .max_operands = 2 };
	struct cli cli;
	int first, ret;

	first = cli_parse(&cli, &spec, argc, argv);
	a.prestador = a.f.prestador = cli.prestador;
	xml_init();
	ws_open(&a.ws, ws_dir(cli.workspace));
	if (!strcmp(argv[first], "send"))
		ws_lock(&a.ws, "recurso");
	if ((ret = run(&a, argv[first], argc - first - 1, argv + first + 1)) <
	    0) {
		ws_close(&a.ws);
		cli_usage(&spec);
	}
	exchange_close(&a.x);
	ws_close(&a.ws);
	xml_cleanup();
	return close_stdout(ret);
}
