/*
 * tiss-status: ask the operator how its protocolos stand (situação do
 * protocolo).
 *
 * For each lote 'enviado' whose protocolo is not final (statusProtocolo
 * 4 Encerrado sem pagamento, 6 Pagamento Efetuado, 9 Cancelado or, from
 * TISS 4.03.00, 10 Bloqueio judicial - prestador: tissver), or
 * those named with --lote: send SOLIC_STATUS_PROTOCOLO through
 * tissSolicitacaoStatusProtocolo (built by tissmsg, checked against
 * tissWebServicesVx_xx_xx.xsd), read the situacaoProtocoloWS answer
 * (tissmsg_read_situacao) and store statusProtocolo, the values
 * processado, glosa and liberado of the lote and of each guide, and the
 * glosas with their codes and texts.  It never changes a lote's status.
 *
 * Exit: see tiss-status(1) and tiss(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/http.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/ident.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/protocolo.h"
#include "common/tissmsg.h"
#include "common/tissver.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct checker {
	struct ws ws;
	struct profile p;
	struct http http;
	xmlSchemaPtr schema;
	char	*password_md5;
	long long *named;		/* --lote numbers */
	int	 nnamed;
};

/* The lote_item column tiss-status asks lotes_pick for. */
#define PROTOCOLO(l)	((l)->col[0] ? (l)->col[0] : "")

static const char usage_text[] =
    "tiss-status [-C DIR] [-p PRESTADOR] [--lote N]... [-q] [-v]\n"
    "  -l, --lote N     only lote N (repeatable), even when final\n";

/* The SOLIC_STATUS_PROTOCOLO request for lote l, in an envelope. */
static int
build_request(struct checker *c, const struct lote_item *l, struct buf *req,
    char *err, size_t errlen)
{
	struct tissmsg_cab cab = { "SOLIC_STATUS_PROTOCOLO", l->prest,
	    c->p.registro_ans, c->p.versao, c->p.login, c->password_md5,
	    time_now(), NULL };
	struct ident id;
	xmlDocPtr doc;
	int ret = -1;

	/* profile_load checked every [prestador CODE]. */
	if (ident_prestador(&c->ws.cfg, l->prest, c->p.ver->cnpj_alnum, &id,
	    err, errlen) != 0)
		return -1;
	cab.ident = &id;
	doc = tissmsg_status_request(&cab, PROTOCOLO(l), c->p.hash_encoding,
	    err, errlen);
	if (doc != NULL && xml_schema_check(c->schema, doc, err, errlen) == 0) {
		tissmsg_soap(doc, req);
		ret = 0;
	}
	xmlFreeDoc(doc);
	return ret;
}

static void
print_status(const struct lote_item *l, const struct tissmsg_answer *a)
{
	char vp[FMT_MONEY], vg[FMT_MONEY], vl[FMT_MONEY];

	printf(_("lote %lld of %s: protocolo %s: %d %s"), l->numero, l->prest,
	    PROTOCOLO(l), a->status, protocolo_status_name(a->status));
	if (a->processado >= 0 && a->glosa >= 0 && a->liberado >= 0)
		printf(_("; processado %s, glosa %s, liberado %s"),
		    fmt_money(a->processado, vp), fmt_money(a->glosa, vg),
		    fmt_money(a->liberado, vl));
	printf("\n");
	if (tissver_status_person(a->status))
		log_warn(_("lote %lld of %s: protocolo %s is %d %s: %s"),
		    l->numero, l->prest, PROTOCOLO(l), a->status,
		    protocolo_status_name(a->status),
		    tissver_status_final(a->status) ? _("final, a person must "
		    "act (see the operator's portal)") : _("a person must act "
		    "before the operator goes on"));
}

static void
bind_money(sqlite3_stmt *st, int i, int64_t v)
{
	if (v >= 0)
		sqlite3_bind_int64(st, i, v);
}

/* Store a situação read whole, in one transaction. */
static void
store(struct checker *c, const struct lote_item *l, const struct tissmsg_answer *a)
{
	sqlite3_stmt *st;
	xmlNodePtr g, n;

	db_exec(c->ws.db, "BEGIN IMMEDIATE");
	st = db_prepare(c->ws.db, "UPDATE lote SET statusProtocolo = ?, "
	    "valorProcessado = ?, valorGlosa = ?, valorLiberado = ?, "
	    "statusConsultadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') "
	    "WHERE id = ?");
	sqlite3_bind_int(st, 1, a->status);
	bind_money(st, 2, a->processado);
	bind_money(st, 3, a->glosa);
	bind_money(st, 4, a->liberado);
	sqlite3_bind_int64(st, 5, l->id);
	db_step(c->ws.db, st);
	sqlite3_finalize(st);
	/* The latest status replaces the glosas of the one before. */
	st = db_prepare(c->ws.db, "DELETE FROM glosa WHERE lote_id = ? AND "
	    "fonte = 'status'");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(c->ws.db, st);
	sqlite3_finalize(st);
	g = xml_child(xml_child(a->detalhe, "guiasTISS"), "guiasOdonto");
	for (; g; g = xmlNextElementSibling(g))
		if ((n = xml_child(g, "guias")) != NULL)
			protocolo_store_guide(c->ws.db, l->id, n, "status");
	db_exec(c->ws.db, "COMMIT");
}

/* One exchange: an exit code, err saying why when not 0. */
static int
attempt(struct checker *c, const struct lote_item *l, const struct buf *req,
    char *err, size_t errlen)
{
	static const int by_verdict[] = {
		[TISSMSG_OK] = EXIT_OK, [TISSMSG_REJECTED] = EXIT_DATAERR,
		[TISSMSG_LOGIN] = EXIT_NOPERM, [TISSMSG_UNKNOWN] = EXIT_TEMPFAIL,
		[TISSMSG_GARBLED] = EXIT_PROTOCOL
	};
	struct tissmsg_answer a;
	struct http_answer h;
	int ret;

	if (http_post_soap(&c->http, c->p.status_endpoint, req->data,
	    req->len, &h) != 0) {
		snprintf(err, errlen, "%s", h.error);
		ret = http_exit_code(&h);
		http_answer_release(&h);
		return ret;
	}
	ret = by_verdict[tissmsg_read_situacao(h.body.data, h.body.len,
	    h.status, c->p.hash_encoding, c->schema, &a)];
	snprintf(err, errlen, "%s", a.why);
	if (ret == EXIT_OK && strcmp(a.protocolo, PROTOCOLO(l)) != 0) {
		snprintf(err, errlen, _("the answer is not about protocolo %s"),
		    PROTOCOLO(l));
		ret = EXIT_PROTOCOL;
	}
	if (ret == EXIT_PROTOCOL && h.status != 200 && a.code[0] == '\0') {
		snprintf(err, errlen, _("the operator answered HTTP %ld"),
		    h.status);
		ret = http_exit_code(&h);
	}
	if (ret == EXIT_OK) {
		store(c, l, &a);
		print_status(l, &a);
	}
	tissmsg_answer_release(&a);
	http_answer_release(&h);
	return ret;
}

static int
check_lote(struct checker *c, const struct lote_item *l)
{
	struct buf req = { 0 };
	char err[1024] = "", where[96];
	int ret = EXIT_TEMPFAIL;
	long tries;

	if (build_request(c, l, &req, err, sizeof(err)) != 0) {
		log_error(_("lote %lld of %s: %s"), l->numero, l->prest, err);
		buf_release(&req);
		return EXIT_DATAERR;
	}
	snprintf(where, sizeof(where), "lote %lld of %s", l->numero, l->prest);
	for (tries = 0; tries == 0 || ((ret == EXIT_TEMPFAIL ||
	    ret == EXIT_PROTOCOL) && http_retry_wait(&c->http, tries, where,
	    err)); tries++)
		ret = attempt(c, l, &req, err, sizeof(err));
	if (ret != EXIT_OK)
		log_error(_("lote %lld of %s, protocolo %s: no status: %s"),
		    l->numero, l->prest, PROTOCOLO(l), err);
	buf_release(&req);
	return ret;
}

static const char *
no_protocolo(enum lote_state st)
{
	(void)st;
	return _("only a sent lote has a protocolo");
}

/* Ask about every lote; returns the most severe exit code. */
static int
check_all(struct checker *c, const struct lote_list *l)
{
	char err[512], *path;
	int ret = EXIT_OK, r;
	long i;

	if (c->p.status_endpoint == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] status_endpoint to "
		    "the operator's tissSolicitacaoStatusProtocolo address "
		    "(https://...)"), c->ws.cfg.path);
	path = profile_schema(&c->p, "tissWebServicesV");
	if ((c->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load the TISS schema '%s': %s"),
		    path, err);
	free(path);
	c->password_md5 = profile_login_md5(&c->p, &c->ws);
	profile_net_load(&c->p.net, &c->ws, "operadora");
	http_open(&c->http, &c->p.net.http);
	for (i = 0; i < l->n; i++) {
		r = check_lote(c, &l->v[i]);
		ret = exit_worse(ret, r);
		fflush(stdout);
		if (r == EXIT_NOPERM || r == EXIT_UNAVAILABLE ||
		    r == EXIT_CONFIG)
			break;
	}
	http_close(&c->http);
	return ret;
}

static int
option(int ch, const char *arg, void *ctx)
{
	struct checker *c = ctx;

	if (ch != 'l')
		return -1;
	cli_lotes("--lote", arg, &c->named, &c->nnamed);
	return 0;
}

int
main(int argc, char *argv[])
{
	struct checker c = { 0 };
	const struct cli_spec spec = { .name = "tiss-status",
	    .usage = usage_text, .options = "lote=-l:", .option = option,
	    .ctx = &c };
	struct lotes_spec pick = { 0 };
	struct lote_list lotes;
	struct cli cli;
	char *where;
	int ret;

	cli_parse(&cli, &spec, argc, argv);
	xml_init();
	ws_open(&c.ws, ws_dir(cli.workspace));
	profile_load(&c.p, &c.ws);
	profile_require_xml(&c.p, &c.ws);
	pick.prestador = cli.prestador;
	pick.named = c.named;
	pick.nnamed = c.nnamed;
	pick.wanted = LOTES_WANT(LOTE_ENVIADO);
	/* A final status is not asked again, unless the lote is named. */
	/* tissver: 4, 6, 9 and 10 */
	where = xasprintf("statusProtocolo IS NULL OR statusProtocolo NOT IN "
	    "(%s)", tissver_status_final_sql());
	pick.where = where;
	pick.columns = "numeroProtocolo";
	pick.ncolumns = 1;
	pick.hint = no_protocolo;
	ret = lotes_pick(c.ws.db, &pick, &lotes);
	if (lotes.n > 0)
		ret = exit_worse(ret, check_all(&c, &lotes));
	log_info(P_("%ld protocolo asked", "%ld protocolos asked", lotes.n),
	    lotes.n);
	lotes_release(&lotes);
	free(where);
	free(c.named);
	free(c.password_md5);
	profile_net_release(&c.p.net);
	xmlSchemaFree(c.schema);
	ws_close(&c.ws);
	xml_cleanup();
	return close_stdout(ret);
}
