/*
 * tiss-cancela: cancel at the operator a guide sent by mistake
 * (tissCancelaGuia), with the reason, and record the operator's receipt.
 *
 * Only a sent guide (its lote has a protocolo) is cancelled here; one not
 * sent yet leaves its lote with tiss-lote and is deleted with tiss-guia.
 * The request is recorded before it is posted; an answer that does not
 * come is asked again by the next run (the operator cancels a guide once
 * however often it is asked).  A cancelled guide keeps its number and
 * stays out of every lote: it is never billed again; to bill the work
 * again, create a new guide with a new number.
 *
 * Exit: see tiss-cancela(1) and tiss(7).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct canceller {
	struct ws ws;
	struct exchange x;
	const char *motivo;		/* --motivo */
};

/* The guide to cancel, as the database has it. */
struct alvo {
	long long id, cancelamento;
	char	*prest, *numero, *numero_op, *protocolo, *status, *situacao;
};

static const char usage_text[] =
    "tiss-cancela [-C DIR] -p PRESTADOR --motivo TEXT GUIA\n"
    "tiss-cancela [-C DIR] [-p PRESTADOR] --pendentes\n"
    "  -m, --motivo TEXT   why the guide is cancelled (recorded here)\n"
    "      --pendentes     ask again the cancellations not yet answered\n";

static const char *const status_text[] = {
	"?", "cancelada com sucesso", "não cancelada", "guia inexistente",
	"em processamento", "lote inexistente", "protocolo inexistente"
};

static char *
dup_col(sqlite3_stmt *st, int i)
{
	return sqlite3_column_type(st, i) == SQLITE_NULL ? NULL :
	    xstrdup(db_col_text(st, i));
}

/* Find guide numero of prest; 0, or -1 (logged) when there is none. */
static int
find(struct canceller *c, const char *prest, const char *numero,
    struct alvo *t)
{
	sqlite3_stmt *st = db_prepare(c->ws.db, "SELECT g.id, g.status, "
	    "g.numeroGuiaOperadora, l.numeroProtocolo, ca.id, ca.situacao "
	    "FROM guia g LEFT JOIN lote l ON l.id = g.lote_id LEFT JOIN "
	    "cancelamento ca ON ca.guia_id = g.id AND ca.situacao <> "
	    "'recusado' WHERE g.codigoPrestadorNaOperadora = ? AND "
	    "g.numeroGuiaPrestador = ?");
	int ret = -1;

	memset(t, 0, sizeof(*t));
	db_bind_text(st, 1, prest);
	db_bind_text(st, 2, numero);
	if (db_step(c->ws.db, st) == SQLITE_ROW) {
		t->id = sqlite3_column_int64(st, 0);
		t->status = dup_col(st, 1);
		t->numero_op = dup_col(st, 2);
		t->protocolo = dup_col(st, 3);
		t->cancelamento = sqlite3_column_int64(st, 4);
		t->situacao = dup_col(st, 5);
		t->prest = xstrdup(prest);
		t->numero = xstrdup(numero);
		ret = 0;
	} else
		log_error(_("guide %s of %s does not exist here: check the number "
		    "and -p"), numero, prest);
	sqlite3_finalize(st);
	return ret;
}

static void
alvo_free(struct alvo *t)
{
	free(t->prest);
	free(t->numero);
	free(t->numero_op);
	free(t->protocolo);
	free(t->status);
	free(t->situacao);
}

/* The receipt as the operator sent it; workspace-relative path or NULL. */
static char *
write_receipt(struct canceller *c, const struct alvo *t,
    const struct http_answer *h)
{
	char err[512], name[64], *file;

	snprintf(name, sizeof(name), "cancelamento_%lld.xml", t->cancelamento);
	if ((file = lotes_out_write(&c->ws, t->prest, name, h->body.data,
	    h->body.len, err, sizeof(err))) == NULL)
		log_warn(_("guide %s: the receipt is not kept: %s"), t->numero,
		    err);
	return file;
}

static void
record(struct canceller *c, const struct alvo *t, const char *situacao,
    int status, const char *file)
{
	db_run(c->ws.db, "UPDATE cancelamento SET situacao = ?, "
	    "statusCancelamento = ?, reciboArquivo = ?, respondidoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", "tmti",
	    situacao, status > 0 ? (long long)status : -1LL, file,
	    t->cancelamento);
}

struct ctx {
	struct canceller *c;
	const struct alvo *t;
	int	 ret;
};

static int
read_answer(const struct http_answer *h, void *arg, char *err, size_t errlen)
{
	struct ctx *x = arg;
	struct tissmsg_answer a;
	char *file = NULL;
	int ret = exchange_read(&x->c->x, h, tissmsg_read_cancela, &a, err,
	    errlen);

	if (ret == EXIT_OK && a.status == 4) {
		snprintf(err, errlen, _("the operator is still processing it (4 "
		    "em processamento): run tiss-cancela --pendentes later"));
		x->ret = EXIT_TEMPFAIL;
	} else if (ret == EXIT_OK || ret == EXIT_DATAERR) {
		file = write_receipt(x->c, x->t, h);
		db_exec(x->c->ws.db, "BEGIN IMMEDIATE");
		record(x->c, x->t, ret == EXIT_OK && a.status == 1 ? "cancelada" :
		    "recusado", a.status, file);
		db_exec(x->c->ws.db, "COMMIT");
		if (ret == EXIT_OK && a.status == 1)
			printf(file ? _("guide %s of %s: cancelada (receipt "
			    "%s)\n") : _("guide %s of %s: cancelada (receipt not "
			    "kept)\n"), x->t->numero, x->t->prest, file);
		else if (ret == EXIT_OK)
			snprintf(err, errlen, _("statusCancelamento %d %s"), a.status,
			    status_text[a.status]);
		x->ret = ret == EXIT_OK && a.status == 1 ? EXIT_OK :
		    EXIT_DATAERR;
	}
	free(file);
	tissmsg_answer_release(&a);
	return ret == EXIT_DATAERR ? EXIT_OK : ret;
}

/* Post the request for t (recorded as pedido already). */
static int
post(struct canceller *c, const struct alvo *t)
{
	struct ctx x = { c, t, EXIT_OK };
	struct tissmsg_cab cab;
	char err[1024] = "", where[96];
	int ret;

	snprintf(where, sizeof(where), _("cancelling guide %s of %s"), t->numero,
	    t->prest);
	exchange_cab(&c->x, "CANCELA_GUIA", t->prest, &cab);
	ret = exchange_ask(&c->x, tissmsg_cancela_request(&cab, t->numero,
	    t->numero_op, t->protocolo, c->x.p.hash_encoding, err,
	    sizeof(err)), c->x.p.cancela_endpoint, where, read_answer, &x, err,
	    sizeof(err));
	if (ret < 0) {
		log_error(_("guide %s of %s: %s"), t->numero, t->prest, err);
		return EXIT_DATAERR;
	}
	if (ret == EXIT_OK)
		ret = x.ret;
	if (ret == EXIT_DATAERR)
		log_error(_("guide %s of %s was not cancelled by the operator: %s"),
		    t->numero, t->prest, err);
	else if (ret == EXIT_PROTOCOL)
		log_error(_("guide %s of %s: the operator's answer to the "
		    "cancellation is no verdict: %s; it may have cancelled the "
		    "guide: a person should ask the operator, then run "
		    "tiss-cancela --pendentes"), t->numero, t->prest, err);
	else if (ret != EXIT_OK)
		log_error(_("guide %s of %s: cancellation asked, no answer: %s; "
		    "run tiss-cancela --pendentes later"), t->numero, t->prest,
		    err);
	return ret;
}

static int
cancel_one(struct canceller *c, const char *prest, const char *numero)
{
	struct alvo t;
	int ret;

	if (find(c, prest, numero, &t) != 0)
		return EXIT_DATAERR;
	if (t.situacao && strcmp(t.situacao, "cancelada") == 0) {
		printf(_("guide %s of %s: cancelada already\n"), numero, prest);
		alvo_free(&t);
		return EXIT_OK;
	}
	if (strcmp(t.status, "enviada") != 0 || t.protocolo == NULL) {
		log_error(_("guide %s of %s is %s, not sent: only a sent guide is "
		    "cancelled at the operator; take it out of its lote "
		    "(tiss-lote rm) or delete it (tiss-guia delete)"), numero,
		    prest, t.status);
		alvo_free(&t);
		return EXIT_DATAERR;
	}
	if (t.cancelamento == 0) {
		db_run(c->ws.db, "INSERT INTO cancelamento (guia_id, motivo, "
		    "pedidoEm, situacao) VALUES (?, ?, strftime("
		    "'%Y-%m-%dT%H:%M:%SZ', 'now'), 'pedido')", "it", t.id,
		    c->motivo);
		t.cancelamento = sqlite3_last_insert_rowid(c->ws.db);
	}
	ret = post(c, &t);
	alvo_free(&t);
	return ret;
}

/* Ask again every cancellation without an answer. */
static int
pending(struct canceller *c, const char *only)
{
	sqlite3_stmt *st = db_prepare(c->ws.db, "SELECT "
	    "g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador FROM "
	    "cancelamento ca JOIN guia g ON g.id = ca.guia_id WHERE "
	    "ca.situacao = 'pedido' AND (?1 IS NULL OR "
	    "g.codigoPrestadorNaOperadora = ?1) ORDER BY ca.id");
	char *prest, *numero;
	int ret = EXIT_OK;

	db_bind_text(st, 1, only);
	while (db_step(c->ws.db, st) == SQLITE_ROW) {
		prest = xstrdup(db_col_text(st, 0));
		numero = xstrdup(db_col_text(st, 1));
		ret = exit_worse(ret, cancel_one(c, prest, numero));
		free(prest);
		free(numero);
	}
	sqlite3_finalize(st);
	return ret;
}

static int pendentes;

static int
option(int ch, const char *arg, void *ctx)
{
	struct canceller *c = ctx;

	if (ch == 'm') {
		if (arg[0] == '\0' || strlen(arg) > 500)
			fatal(EXIT_USAGE, _("--motivo: 1 to 500 characters"));
		c->motivo = arg;
		return 0;
	}
	if (ch == 'P') {
		pendentes = 1;
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	struct canceller c = { 0 };
	const struct cli_spec spec = { .name = "tiss-cancela",
	    .usage = usage_text, .options = "motivo=-m: pendentes=P",
	    .option = option, .ctx = &c, .max_operands = 1 };
	struct cli cli;
	int first, ret;

	first = cli_parse(&cli, &spec, argc, argv);
	if (pendentes ? first != argc || c.motivo : first == argc ||
	    c.motivo == NULL || cli.prestador == NULL)
		cli_usage(&spec);
	xml_init();
	ws_open(&c.ws, ws_dir(cli.workspace));
	ws_lock(&c.ws, "cancela");
	exchange_open(&c.x, &c.ws, 1, 0);
	profile_require_endpoint(&c.ws, "cancela_endpoint",
	    c.x.p.cancela_endpoint, "tissCancelaGuia");
	ret = pendentes ? pending(&c, cli.prestador) :
	    cancel_one(&c, cli.prestador, argv[first]);
	exchange_close(&c.x);
	ws_close(&c.ws);
	xml_cleanup();
	return close_stdout(ret);
}
