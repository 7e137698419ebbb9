/*
 * tiss-demonstrativo: what the operator analysed and paid, per guide and
 * item (demonstrativo de pagamento odontológico, demonstrativo de
 * análise de conta).
 *
 * Asks the operator (tissSolicitacaoDemonstrativoRetorno) for a
 * competência, a payment date or a protocolo, or loads the same document
 * from files a portal hands out (--from-file).  Every answer and file is
 * checked against the official schema and its hash before anything is
 * stored (common/demonstrativo); loading the same demonstrativo again
 * changes nothing, a corrected one replaces the earlier with an audit
 * row.  An answer "not ready yet" is recorded and asked again by a run
 * without a period (--pendentes, the default).
 *
 * Exit: see tiss-demonstrativo(1) and tiss(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/demonstrativo.h"
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/ifile.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/protocolo.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct asker {
	struct ws ws;
	struct exchange x;
	char	 competencia[8];	/* --competencia, "AAAA-MM" */
	char	 data[11];		/* --data, "AAAA-MM-DD" */
	const char *protocolo;		/* --protocolo */
	int	 from_file;
};

/* What one request asks: the prestador, the kind and the key. */
struct pedido {
	const char *prest;
	const char *tipo;		/* "pagamento" or "analise" */
	const char *chave;		/* competência, date or protocolo */
};

static const char usage_text[] =
    "tiss-demonstrativo [-C DIR] [-p PRESTADOR] --competencia MM/AAAA |\n"
    "                   --data AAAA-MM-DD | --protocolo N | --pendentes\n"
    "tiss-demonstrativo [-C DIR] --from-file FILE...\n"
    "  -c, --competencia MM/AAAA  the demonstrativo de pagamento of a month\n"
    "  -d, --data AAAA-MM-DD      the demonstrativo de pagamento of a day\n"
    "  -P, --protocolo N          the demonstrativo de análise of a protocolo\n"
    "      --pendentes            ask again what was not ready (default)\n"
    "  -f, --from-file            load files (XML from the operator's portal)\n";

static void
print_demo(const struct demo *d, enum demo_stored s, const char *origem)
{
	static const char *const what[] = {
		[DEMO_NEW] = N_("stored"),
		[DEMO_SAME] = N_("already loaded, unchanged"),
		[DEMO_REPLACED] = N_("a corrected one: replaced the earlier "
		    "(audited)")
	};
	char vl[FMT_MONEY], vg[FMT_MONEY];

	fmt_money(d->liberado < 0 ? 0 : d->liberado, vl);
	fmt_money(d->glosa < 0 ? 0 : d->glosa, vg);
	printf(P_("demonstrativo %s of %s (%s, %s): %ld guide, liberado %s, "
	    "glosa %s: %s\n", "demonstrativo %s of %s (%s, %s): %ld guides, "
	    "liberado %s, glosa %s: %s\n", d->nguia), d->numero, d->prestador,
	    d->kind == DEMO_PAGAMENTO ? "pagamento" : "análise", origem,
	    d->nguia, vl, vg, _(what[s]));
}

static void
set_pedido(sqlite3 *db, const struct pedido *p, const char *situacao,
    int status)
{
	db_run(db, "INSERT INTO demonstrativo_pedido (codigoPrestador, tipo, "
	    "chave, situacao, statusDemonstrativo, pedidoEm, respondidoEm) "
	    "VALUES (?1, ?2, ?3, ?4, ?5, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
	    "CASE WHEN ?4 = 'recebido' THEN strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now') END) ON CONFLICT (codigoPrestador, tipo, chave) DO UPDATE "
	    "SET situacao = excluded.situacao, statusDemonstrativo = "
	    "excluded.statusDemonstrativo, respondidoEm = excluded.respondidoEm",
	    "ttttm", p->prest, p->tipo, p->chave, situacao,
	    status > 0 ? (long long)status : -1LL);
}

/* A pedido's key as a person reads it: MM/AAAA, dd/mm/aaaa, a protocolo. */
static const char *
shown_key(const char *chave, char out[FMT_DATE])
{
	size_t n = strlen(chave);

	return n == 7 ? fmt_competencia(chave, out) : n == 10 ?
	    fmt_date(chave, out) : chave;
}

/*
 * Store what d holds (read whole), for pedido p (NULL: from a file).
 * Returns an exit code.
 */
static int
take(struct asker *a, const struct demo *d, const struct pedido *p,
    const char *origem, char *err, size_t errlen)
{
	enum demo_stored s[DEMO_MAX_ANALISES];
	const struct demo *e;
	char key[FMT_DATE];
	int i, n;

	if (d->kind == DEMO_NOT_READY) {
		if (p == NULL) {
			snprintf(err, errlen, _("the file says the demonstrativo "
			    "is not ready (status %d): load the demonstrativo "
			    "itself"), d->status);
			return EXIT_DATAERR;
		}
		set_pedido(a->ws.db, p, "pendente", d->status);
		printf(_("demonstrativo of %s for %s: not ready yet (%d %s); "
		    "asked again by the next run\n"), p->prest,
		    shown_key(p->chave, key),
		    d->status, protocolo_status_name(d->status));
		return EXIT_TEMPFAIL;
	}
	if (d->kind == DEMO_ERROR) {
		snprintf(err, errlen, _("the operator answered mensagemErro %s %s"),
		    d->code, d->why);
		return EXIT_DATAERR;
	}
	/* An answer may hold several análises: all are checked first. */
	for (e = d; e != NULL; e = e->next)
		if (strcmp(e->registro_ans, a->x.p.registro_ans) != 0 ||
		    (p && strcmp(e->prestador, p->prest) != 0)) {
			if (p)
				snprintf(err, errlen, _("the demonstrativo is "
				    "of operator %s and prestador %s, not %s "
				    "and %s"), e->registro_ans, e->prestador,
				    a->x.p.registro_ans, p->prest);
			else
				snprintf(err, errlen, _("the demonstrativo is "
				    "of operator %s and prestador %s, not %s "
				    "and this workspace's"), e->registro_ans,
				    e->prestador, a->x.p.registro_ans);
			return p ? EXIT_PROTOCOL : EXIT_DATAERR;
		}
	db_exec(a->ws.db, "BEGIN IMMEDIATE");
	for (e = d, n = 0; e != NULL && n < DEMO_MAX_ANALISES; e = e->next)
		s[n++] = demo_store(a->ws.db, e, origem);
	if (p)
		set_pedido(a->ws.db, p, "recebido", 0);
	db_exec(a->ws.db, "COMMIT");
	for (e = d, i = 0; i < n; e = e->next)
		print_demo(e, s[i++], origem);
	return EXIT_OK;
}

struct read_ctx {
	struct asker *a;
	const struct pedido *p;
	int	 ret;			/* take's code: not retried */
};

static int
read_answer(const struct http_answer *h, void *ctx, char *err, size_t errlen)
{
	struct read_ctx *c = ctx;
	struct demo d;
	int ret;

	demo_read(h->body.data, h->body.len, h->status,
	    c->a->x.p.hash_encoding, c->a->x.schema, NULL, &d);
	if (d.kind == DEMO_FAULT || d.kind == DEMO_GARBLED) {
		snprintf(err, errlen, "%s", d.why);
		ret = exchange_code(d.verdict, d.fault, h, err, errlen);
	} else {
		c->ret = take(c->a, &d, c->p, "webservice", err, errlen);
		ret = EXIT_OK;
	}
	demo_release(&d);
	return ret;
}

static int
ask(struct asker *a, const struct pedido *p)
{
	struct tissmsg_cab cab;
	struct read_ctx ctx = { a, p, EXIT_OK };
	char err[1024] = "", where[128], key[FMT_DATE];
	const char *k = shown_key(p->chave, key);
	int analise = strcmp(p->tipo, "analise") == 0, ret;
	int by_day = !analise && strlen(p->chave) == 10;

	snprintf(where, sizeof(where), _("demonstrativo of %s for %s"), p->prest,
	    k);
	exchange_cab(&a->x, "SOLIC_DEMONSTRATIVO_RETORNO", p->prest, &cab);
	ret = exchange_ask(&a->x, tissmsg_demonstrativo_request(&cab,
	    analise || by_day ? NULL : p->chave, by_day ? p->chave : NULL,
	    analise ? p->chave : NULL, a->x.p.hash_encoding, err, sizeof(err)),
	    a->x.p.demonstrativo_endpoint, where, read_answer, &ctx, err,
	    sizeof(err));
	if (ret < 0) {
		log_error(_("demonstrativo of %s for %s: %s"), p->prest, k, err);
		return EXIT_DATAERR;
	}
	if (ret == EXIT_OK)
		ret = ctx.ret;
	if (ret != EXIT_OK && ret != EXIT_TEMPFAIL)
		log_error(_("demonstrativo of %s for %s: nothing stored: %s"),
		    p->prest, k, err);
	else if (ret == EXIT_TEMPFAIL && ctx.ret == EXIT_OK)
		log_error(_("demonstrativo of %s for %s: no answer, nothing "
		    "stored: %s; run again later"), p->prest, k, err);
	return ret;
}

/* One file of --from-file ("-": standard input, ifile.h). */
static int
load_file(struct asker *a, const char *path)
{
	struct buf b = { 0 };
	struct stat sb;
	struct demo d;
	char err[1024] = "";
	const char *rec = ifile_recorded(path), *shown = ifile_shown(path);
	const char *base = strrchr(rec, '/') ? strrchr(rec, '/') + 1 : rec;
	int ret;

	if (stat(path, &sb) == 0 && sb.st_size > DEMO_MAX_BYTES)
		errno = EFBIG;
	else if (ifile_read(path, &b, DEMO_MAX_BYTES) == 0)
		errno = 0;
	if ((ret = errno) == EFBIG)
		log_error(_("%s: larger than 16 MiB: not a demonstrativo; "
		    "nothing stored"), shown);
	else if (ret != 0)
		log_error(_("cannot read '%s': %s"), shown, strerror(ret));
	if (ret != 0) {
		buf_release(&b);
		return ret == EFBIG ? EXIT_DATAERR : EXIT_NOINPUT;
	}
	demo_read(b.data, b.len, -1, a->x.p.hash_encoding, a->x.schema,
	    a->x.msg_schema, &d);
	if (d.kind == DEMO_GARBLED || d.kind == DEMO_FAULT) {
		snprintf(err, sizeof(err), "%s", d.why);
		ret = EXIT_DATAERR;
	} else
		ret = take(a, &d, NULL, base, err, sizeof(err));
	if (ret != EXIT_OK)
		log_error(_("%s: nothing stored: %s; ask the operator for the "
		    "demonstrativo's XML again"), shown, err);
	demo_release(&d);
	buf_release(&b);
	return ret;
}

/* Each prestador with a sent lote (or -p), asked for p's period. */
static int
ask_all(struct asker *a, const char *only, struct pedido *p)
{
	sqlite3_stmt *st = db_prepare(a->ws.db, "SELECT DISTINCT "
	    "codigoPrestadorNaOperadora FROM lote WHERE status = 'enviado' "
	    "AND (?1 IS NULL OR codigoPrestadorNaOperadora = ?1) ORDER BY 1");
	int ret = EXIT_OK, r, n = 0;
	char *prest;

	db_bind_text(st, 1, only);
	while (db_step(a->ws.db, st) == SQLITE_ROW) {
		prest = xstrdup(db_col_text(st, 0));
		p->prest = prest;
		ret = exit_worse(ret, r = ask(a, p));
		free(prest);
		n++;
		if (http_code_stops(r))
			break;
	}
	sqlite3_finalize(st);
	if (n == 0 && only)
		log_notice(_("prestador %s has no lote sent: nothing to ask"), only);
	return ret;
}

/* Ask again every request that was not ready. */
static int
ask_pending(struct asker *a, const char *only)
{
	sqlite3_stmt *st = db_prepare(a->ws.db, "SELECT codigoPrestador, tipo, "
	    "chave FROM demonstrativo_pedido WHERE situacao = 'pendente' AND "
	    "(?1 IS NULL OR codigoPrestador = ?1) ORDER BY id");
	struct pedido p;
	char *v[3];
	int ret = EXIT_OK, i, n = 0;

	db_bind_text(st, 1, only);
	while (db_step(a->ws.db, st) == SQLITE_ROW) {
		for (i = 0; i < 3; i++)
			v[i] = xstrdup(db_col_text(st, i));
		p.prest = v[0];
		p.tipo = v[1];
		p.chave = v[2];
		ret = exit_worse(ret, ask(a, &p));
		for (i = 0; i < 3; i++)
			free(v[i]);
		n++;
	}
	sqlite3_finalize(st);
	log_info(P_("%d demonstrativo asked again", "%d demonstrativos asked "
	    "again", n), n);
	return ret;
}

static int
option(int ch, const char *arg, void *ctx)
{
	struct asker *a = ctx;
	char iso[11];

	switch (ch) {
	case 'c':
		cli_competencia("--competencia", arg, a->competencia);
		return 0;
	case 'd':
		if (parse_date(arg, iso) != NULL)
			fatal(EXIT_USAGE, _("--data '%s': not a date (AAAA-MM-DD "
			    "or DD/MM/AAAA)"), arg);
		snprintf(a->data, sizeof(a->data), "%s", iso);
		return 0;
	case 'P':
		if (strlen(arg) < 1 || strlen(arg) > 12)
			fatal(EXIT_USAGE, _("--protocolo '%s': 1 to 12 characters"),
			    arg);
		a->protocolo = arg;
		return 0;
	case 'f':
		a->from_file = 1;
		return 0;
	case 'Q':
		return 0;
	}
	return -1;
}

static int
run(struct asker *a, const char *only, int argc, char **argv, int first)
{
	struct pedido p = { NULL, "pagamento", NULL };
	int i, ret = EXIT_OK;

	if (a->from_file) {
		ifile_once(argv + first, argc - first);
		for (i = first; i < argc; i++)
			ret = exit_worse(ret, load_file(a, argv[i]));
		return ret;
	}
	profile_require_endpoint(&a->ws, "demonstrativo_endpoint",
	    a->x.p.demonstrativo_endpoint,
	    "tissSolicitacaoDemonstrativoRetorno");
	if (a->protocolo) {
		p.tipo = "analise";
		p.chave = a->protocolo;
	} else if (a->competencia[0] || a->data[0])
		p.chave = a->competencia[0] ? a->competencia : a->data;
	else
		return ask_pending(a, only);
	return ask_all(a, only, &p);
}

int
main(int argc, char *argv[])
{
	struct asker a = { 0 };
	const struct cli_spec spec = { .name = "tiss-demonstrativo",
	    .usage = usage_text, .options = "competencia=-c: data=-d: "
	    "protocolo=-P: pendentes=Q from-file=-f", .option = option,
	    .ctx = &a, .max_operands = CLI_MANY };
	struct cli cli;
	int first, ret;

	first = cli_parse(&cli, &spec, argc, argv);
	if ((a.from_file && first == argc) || (!a.from_file && first != argc) ||
	    (!!a.competencia[0] + !!a.data[0] + !!a.protocolo > 1) ||
	    (a.from_file && (a.competencia[0] || a.data[0] || a.protocolo)))
		cli_usage(&spec);
	xml_init();
	ws_open(&a.ws, ws_dir(cli.workspace));
	exchange_open(&a.x, &a.ws, !a.from_file, a.from_file);
	ret = run(&a, cli.prestador, argc, argv, first);
	exchange_close(&a.x);
	ws_close(&a.ws);
	xml_cleanup();
	return close_stdout(ret);
}
