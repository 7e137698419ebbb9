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
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/ident.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/parse.h"
#include "common/protocolo.h"
#include "common/tissmsg.h"
#include "common/tissver.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct checker {
	struct ws ws;
	struct exchange x;
	long long *named;		/* --lote numbers */
	int	 nnamed;
};

/* The lote_item column tiss-status asks lotes_pick for. */
#define PROTOCOLO(l)	((l)->col[0] ? (l)->col[0] : "")

static const char usage_text[] =
    "tiss-status [-C DIR] [-p PRESTADOR] [--lote N]... [-q] [-v]\n"
    "  -l, --lote N     only lote N (repeatable), even when final\n";

/* The SOLIC_STATUS_PROTOCOLO request for lote l; NULL with err. */
static xmlDocPtr
build_request(struct checker *c, const struct lote_item *l, char *err,
    size_t errlen)
{
	struct tissmsg_cab cab;
	struct ident id;

	/* profile_load checked every [prestador CODE]. */
	if (ident_prestador(&c->ws.cfg, l->prest, c->x.p.ver->cnpj_alnum, &id,
	    err, errlen) != 0)
		return NULL;
	exchange_cab(&c->x, "SOLIC_STATUS_PROTOCOLO", l->prest, &cab);
	cab.ident = &id;
	return tissmsg_status_request(&cab, PROTOCOLO(l), c->x.p.hash_encoding,
	    err, errlen);
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

/* Store a situação read whole, in one transaction. */
static void
store(struct checker *c, const struct lote_item *l, const struct tissmsg_answer *a)
{
	xmlNodePtr g, n;

	db_exec(c->ws.db, "BEGIN IMMEDIATE");
	db_run(c->ws.db, "UPDATE lote SET statusProtocolo = ?, valorProcessado "
	    "= ?, valorGlosa = ?, valorLiberado = ?, statusConsultadoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", "immmi",
	    (long long)a->status, (long long)a->processado,
	    (long long)a->glosa, (long long)a->liberado, l->id);
	/* The latest status replaces the glosas of the one before. */
	db_run(c->ws.db, "DELETE FROM glosa WHERE lote_id = ? AND fonte = "
	    "'status'", "i", l->id);
	g = xml_child(xml_child(a->detalhe, "guiasTISS"), "guiasOdonto");
	for (; g; g = xmlNextElementSibling(g))
		if ((n = xml_child(g, "guias")) != NULL)
			protocolo_store_guide(c->ws.db, l->id, n, "status");
	db_exec(c->ws.db, "COMMIT");
}

struct read_ctx {
	struct checker *c;
	const struct lote_item *l;
};

/* A situacaoProtocoloWS answer for lote l, stored whole (exchange_post). */
static int
read_situacao(const struct http_answer *h, void *arg, char *err,
    size_t errlen)
{
	struct read_ctx *r = arg;
	struct checker *c = r->c;
	struct tissmsg_answer a;
	int ret = exchange_read(&c->x, h, tissmsg_read_situacao, &a, err,
	    errlen);

	if (ret == EXIT_OK && strcmp(a.protocolo, PROTOCOLO(r->l)) != 0) {
		snprintf(err, errlen, _("the answer is not about protocolo %s"),
		    PROTOCOLO(r->l));
		ret = EXIT_PROTOCOL;
	}
	if (ret == EXIT_OK) {
		store(c, r->l, &a);
		print_status(r->l, &a);
	}
	tissmsg_answer_release(&a);
	return ret;
}

static int
check_lote(struct checker *c, const struct lote_item *l)
{
	struct read_ctx r = { c, l };
	char err[1024] = "", where[96];
	int ret;

	snprintf(where, sizeof(where), "lote %lld of %s", l->numero, l->prest);
	ret = exchange_ask(&c->x, build_request(c, l, err, sizeof(err)),
	    c->x.p.status_endpoint, where, read_situacao, &r, err,
	    sizeof(err));
	if (ret < 0) {
		log_error(_("lote %lld of %s: %s"), l->numero, l->prest, err);
		return EXIT_DATAERR;
	}
	if (ret != EXIT_OK)
		log_error(_("lote %lld of %s, protocolo %s: no status: %s"),
		    l->numero, l->prest, PROTOCOLO(l), err);
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
	int ret = EXIT_OK, r;
	long i;

	if (c->x.p.status_endpoint == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] status_endpoint to "
		    "the operator's tissSolicitacaoStatusProtocolo address "
		    "(https://...)"), c->ws.cfg.path);
	exchange_connect(&c->x, 1, 0);
	for (i = 0; i < l->n; i++) {
		r = check_lote(c, &l->v[i]);
		ret = exit_worse(ret, r);
		fflush(stdout);
		if (http_code_stops(r))
			break;
	}
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
	exchange_init(&c.x, &c.ws);
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
	exchange_close(&c.x);
	ws_close(&c.ws);
	xml_cleanup();
	return close_stdout(ret);
}
