/*
 * tiss-send: send lotes to the operator and record its protocolo (the
 * manual's Enviar Lote).
 *
 * For each lote 'xml_gerado' or 'enviando' (or those named with
 * --lote): build the SOAP 1.1 request from the lote's loteGuiasWS body
 * (adding loginSenhaPrestador when the profile has a login, the hash
 * recomputed), validate it against tissWebServicesVx_xx_xx.xsd, record
 * the intent (the lote becomes 'enviando', the request's SHA-256 is
 * stored) and POST it over HTTPS.  Then, in one transaction:
 *
 *   protocoloRecebimento	'enviado', its guides 'enviada', the
 *				protocolo, values and glosas stored;
 *   mensagemErro, a tissFault	'rejeitado' with the code and text: only
 *   naming a business rule	the operator's own verdict rejects;
 *   no answer, 408, 429, 5xx,	stays 'enviando' and is retried with
 *   a server's or gateway's	backoff (http_retry_wait), then on the
 *   fault, unreadable answers,	next run; an unreadable answer or a
 *   a fault that is no verdict	fault that is no verdict (tissmsg.h)
 *				exits 76: a person must look.
 *
 * A lote found 'enviando' is resent with the same bytes and number: the
 * operator answers a lote it already has with its protocolo.  A lote
 * 'enviado' is never sent again.  With [operadora] connections N, N
 * workers send at once, each its share of the lotes; the exit code is
 * the most severe of theirs (exit_worse).  With envio = portal nothing
 * is posted: portal_ready marks the lotes for upload (see tiss-portal).
 *
 * Exit: see tiss-send(1) and tiss(7).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/http.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/portal.h"
#include "common/profile.h"
#include "common/progress.h"
#include "common/protocolo.h"
#include "common/review.h"
#include "common/state.h"
#include "common/tissmsg.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

struct sender {
	struct ws ws;
	struct profile p;
	struct http http;
	xmlSchemaPtr schema;		/* tissWebServicesVx_xx_xx.xsd */
	char	*password_md5;		/* of login_secret, when login is set */
	int	 dry_run;
	int	 aprovacao;		/* send approved lotes only (review.h) */
	long long *named;		/* --lote numbers */
	int	 nnamed;
};

/* The lote_item columns tiss-send asks lotes_pick for. */
#define SOAP(l)	((l)->col[0])	/* a loteGuiasWS file an older tiss-xml wrote */
#define SHA(l)	((l)->col[1])	/* of the last request, when 'enviando' */
#define APROV(l) ((l)->col[2])	/* aprovadoEm: NULL until a person approves */
#define XML(l)	((l)->col[3])	/* the message file, workspace-relative */
#define HASH(l)	((l)->col[4])	/* its epilogo hash */
#define XSHA(l)	((l)->col[5])	/* its SHA-256, as tiss-xml wrote it */

/* How an attempt ended. */
enum outcome {
	SENT,		/* protocolo stored */
	REJECTED,	/* the operator's verdict: stored */
	RETRY,		/* no answer, or outcome unknown: try again */
	GARBLED,	/* an answer we cannot read: try again */
	REFUSED,	/* HTTP 4xx, TLS: not worth retrying now */
	NOLOGIN,	/* the operator refuses the login */
	LOCALERR,	/* the answer came but cannot be stored here */
	BADCONF		/* our certificate or CA file cannot be used */
};

static const char usage_text[] =
    "tiss-send [-C DIR] [-p PRESTADOR] [--lote N]... [--dry-run] [--aprovacao]\n"
    "  -a, --aprovacao  send only lotes a person approved (tiss-lote aprovar)\n"
    "  -n, --dry-run    build and check the requests, send nothing\n"
    "  -l, --lote N     only lote N (repeatable)\n";

/*
 * The loteGuiasWS of lote l into body: cut from the message file
 * tiss-xml wrote, once its SHA-256 is the recorded one (the same bytes
 * at every attempt), or read whole from the _ws.xml file an older
 * tiss-xml wrote beside it.  Returns 0, or -1 with err.
 */
static int
read_body(struct sender *s, const struct lote_item *l, struct buf *body,
    char *err, size_t errlen)
{
	struct buf msg = { 0 };
	char *path = ws_path(&s->ws, SOAP(l) ? SOAP(l) : XML(l) ? XML(l) : "");
	char sha[65];
	int ret = -1;

	if (read_file(path, SOAP(l) ? body : &msg) != 0) {
		snprintf(err, errlen, _("cannot read '%s': %s; run tiss-xml "
		    "--lote %lld again"), path, strerror(errno), l->numero);
		goto out;
	}
	if (SOAP(l)) {
		ret = 0;
		goto out;
	}
	sha256_hex(msg.data, msg.len, sha);
	if (XSHA(l) == NULL || strcmp(sha, XSHA(l)) != 0)
		snprintf(err, errlen, _("'%s' is not the file tiss-xml wrote "
		    "(its SHA-256 differs); nothing was sent: restore the "
		    "file, or change the lote and make its XML again"), path);
	else if (xml_lote_ws_body(msg.data, HASH(l) ? HASH(l) : "", body) != 0)
		snprintf(err, errlen, _("'%s' has no cabecalho or loteGuias"),
		    path);
	else
		ret = 0;
out:
	buf_release(&msg);
	free(path);
	return ret;
}

/*
 * The request for lote l: its loteGuiasWS with the login, checked
 * against the schema, in a SOAP envelope.  Returns 0, or -1 with err.
 */
static int
build_request(struct sender *s, const struct lote_item *l, struct buf *req,
    char *err, size_t errlen)
{
	struct buf body = { 0 };
	xmlDocPtr doc = NULL;
	int ret = -1;

	if (read_body(s, l, &body, err, errlen) != 0)
		goto out;
	doc = xml_parse_memory(body.data, body.len, "loteGuiasWS", err, errlen);
	if (doc == NULL)
		goto out;
	/* The login is part of the hashed text. */
	if (s->p.login && tissmsg_add_login(doc, s->p.login, s->password_md5,
	    s->p.hash_encoding, err, errlen) != 0)
		goto out;
	if (xml_schema_check(s->schema, doc, err, errlen) != 0)
		goto out;
	if (s->p.login)
		tissmsg_soap(doc, req);
	else
		xml_soap_wrap(req, body.data, body.len);
	ret = 0;
out:
	xmlFreeDoc(doc);
	buf_release(&body);
	return ret;
}

static long long
record_intent(struct sender *s, const struct lote_item *l, const char *sha)
{
	long long envio;

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	if (!state_lote_set(s->ws.db, l->id, LOTE_ENVIANDO))
		fatal(EXIT_TEMPFAIL, _("lote %lld of %s changed while being sent; "
		    "run tiss-send again"), l->numero, l->prest);
	db_run(s->ws.db, "UPDATE lote SET envioSha256 = ? WHERE id = ?", "ti",
	    sha, l->id);
	db_run(s->ws.db, "INSERT INTO envio (lote_id, inicio, sha256) VALUES "
	    "(?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)", "it", l->id, sha);
	envio = sqlite3_last_insert_rowid(s->ws.db);
	db_exec(s->ws.db, "COMMIT");
	return envio;
}

static void
end_envio(struct sender *s, long long envio, const char *resultado,
    const char *detalhe)
{
	db_run(s->ws.db, "UPDATE envio SET fim = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now'), resultado = ?, detalhe = ? WHERE id = ?", "tti", resultado,
	    detalhe, envio);
}

/* The receipt as the operator sent it, for the 2ª via and disputes. */
static char *
write_receipt(struct sender *s, const struct lote_item *l, const struct buf *b,
    char *err, size_t errlen)
{
	char name[64];

	snprintf(name, sizeof(name), "%lld_protocolo.xml", l->numero);
	return lotes_out_write(&s->ws, l->prest, name, b->data, b->len, err,
	    errlen);
}

static int
record_sent(struct sender *s, const struct lote_item *l, long long envio,
    const struct tissmsg_answer *a, const struct buf *receipt, char *err,
    size_t errlen)
{
	char *file = write_receipt(s, l, receipt, err, errlen);

	if (file == NULL)
		return -1;
	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	if (!state_lote_set(s->ws.db, l->id, LOTE_ENVIADO))
		fatal(EXIT_SOFTWARE, _("lote %lld of %s is no longer enviando"),
		    l->numero, l->prest);
	db_run(s->ws.db, "UPDATE lote SET numeroProtocolo = ?, dataEnvioLote = "
	    "?, valorTotalProtocolo = ?, protocoloArquivo = ?, codigoErro = "
	    "NULL, descricaoErro = NULL, enviadoEm = strftime("
	    "'%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?", "ttmti", a->protocolo,
	    a->data, (long long)a->valor, file, l->id);
	state_lote_guias_set(s->ws.db, l->id, GUIA_ENVIADA);
	protocolo_store(s->ws.db, l->id, a->detalhe);
	end_envio(s, envio, "protocolo", a->protocolo);
	db_exec(s->ws.db, "COMMIT");
	free(file);
	return 0;
}

static void
record_rejected(struct sender *s, const struct lote_item *l, long long envio,
    const struct tissmsg_answer *a)
{
	const char *text = tissmsg_glosa_text(a->code, a->text);
	char *detail = xasprintf("%s %s", a->code, text);

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	if (!state_lote_set(s->ws.db, l->id, LOTE_REJEITADO))
		fatal(EXIT_SOFTWARE, _("lote %lld of %s is no longer enviando"),
		    l->numero, l->prest);
	db_run(s->ws.db, "UPDATE lote SET codigoErro = ?, descricaoErro = ? "
	    "WHERE id = ?", "tti", a->code, text, l->id);
	end_envio(s, envio, "rejeitado", detail);
	db_exec(s->ws.db, "COMMIT");
	free(detail);
}

/* No answer and no byte sent: the lote is back to plain 'xml_gerado'. */
static void
record_not_sent(struct sender *s, const struct lote_item *l, long long envio,
    const char *why)
{
	sqlite3_stmt *st;
	int reached;

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	end_envio(s, envio, "nao_enviado", why);
	/* Only when no earlier attempt may have reached the operator. */
	st = db_prepare(s->ws.db, "SELECT EXISTS (SELECT 1 FROM envio WHERE "
	    "lote_id = ? AND (resultado IS NULL OR resultado = 'falha'))");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(s->ws.db, st);
	reached = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	if (!reached && state_lote_set(s->ws.db, l->id, LOTE_XML_GERADO))
		db_run(s->ws.db, "UPDATE lote SET envioSha256 = NULL WHERE "
		    "id = ?", "i", l->id);
	db_exec(s->ws.db, "COMMIT");
}

/* What an exit code of an attempt (exchange_code, http_exit_code) means. */
static enum outcome
outcome_of(int code)
{
	return code == EXIT_OK ? SENT : code == EXIT_DATAERR ? REJECTED :
	    code == EXIT_TEMPFAIL ? RETRY : code == EXIT_PROTOCOL ? GARBLED :
	    code == EXIT_NOPERM ? NOLOGIN : code == EXIT_CONFIG ? BADCONF :
	    REFUSED;
}

/* One POST and what came of it; err says why when not SENT/REJECTED. */
static enum outcome
attempt(struct sender *s, const struct lote_item *l, long long envio,
    const struct buf *req, struct tissmsg_answer *a, int *reached,
    char *err, size_t errlen)
{
	struct http_answer h;
	enum tissmsg_verdict v;
	enum outcome o;
	char why[512];

	tissmsg_answer_release(a);
	if (http_post_soap(&s->http, s->p.endpoint, req->data, req->len,
	    &h) != 0) {
		*reached |= !h.sent_nothing;
		snprintf(err, errlen, "%s", h.error);
		o = outcome_of(http_exit_code(&h));
		http_answer_release(&h);
		return o;
	}
	*reached = 1;
	v = tissmsg_read_protocolo(h.body.data, h.body.len, h.status,
	    s->p.hash_encoding, s->schema, a);
	snprintf(err, errlen, "%s", a->why);
	/* The one rule of every exchange (tissmsg.h, exchange_code). */
	o = outcome_of(exchange_code(v, a->fault, &h, err, errlen));
	if (o == SENT && atoll(a->numero_lote) != l->numero) {
		snprintf(err, errlen, _("the protocolo is for lote %s, not %lld"),
		    a->numero_lote, l->numero);
		o = GARBLED;
	}
	if (o == SENT && record_sent(s, l, envio, a, &h.body, why,
	    sizeof(why)) != 0) {
		snprintf(err, errlen, _("protocolo %s came but cannot be stored: "
		    "%s"), a->protocolo, why);
		o = LOCALERR;
	}
	http_answer_release(&h);
	return o;
}

static int
report(struct sender *s, const struct lote_item *l, long long envio,
    enum outcome o, const struct tissmsg_answer *a, int reached,
    const char *err)
{
	const char *text = tissmsg_glosa_text(a->code, a->text);

	switch (o) {
	case SENT:
		printf(_("lote %lld of %s: protocolo %s\n"), l->numero, l->prest,
		    a->protocolo);
		return EXIT_OK;
	case REJECTED:
		record_rejected(s, l, envio, a);
		printf(_("lote %lld of %s: rejeitado: %s %s\n"), l->numero,
		    l->prest, a->code, text);
		log_error(_("lote %lld of %s was rejected by the operator: %s %s; "
		    "correct it, delete the lote and put its guides in a new "
		    "one"), l->numero, l->prest, a->code, text);
		return EXIT_DATAERR;
	default:
		if (!reached)
			record_not_sent(s, l, envio, err);
		else
			end_envio(s, envio, "falha", err);
		log_error(o == NOLOGIN ? _("lote %lld of %s not sent: %s; "
		    "nothing will be sent until the login works") : o == GARBLED ?
		    _("lote %lld of %s not sent: %s; it stays ready to send; a "
		    "person should look at the answer, then run tiss-send again") :
		    _("lote %lld of %s not sent: %s; it stays ready to send: run "
		    "tiss-send again"), l->numero, l->prest, err);
		return o == RETRY ? EXIT_TEMPFAIL : o == GARBLED ?
		    EXIT_PROTOCOL : o == NOLOGIN ? EXIT_NOPERM : o == LOCALERR ?
		    EXIT_IOERR : o == BADCONF ? EXIT_CONFIG : EXIT_UNAVAILABLE;
	}
}

/* Say what a dry run would send, or that an interrupted one resumes. */
static int
announce(const struct sender *s, const struct lote_item *l, const char *sha,
    size_t len)
{
	int again = l->status == LOTE_ENVIANDO;

	if (s->dry_run) {
		printf(again ? _("lote %lld of %s: would send %zu bytes (SHA-256 "
		    "%s) to %s again, after an interrupted send\n") : _("lote "
		    "%lld of %s: would send %zu bytes (SHA-256 %s) to %s\n"),
		    l->numero, l->prest, len, sha, s->p.endpoint);
		return 1;
	}
	if (again && SHA(l) && strcmp(SHA(l), sha) != 0)
		log_warn(_("lote %lld of %s: the request differs from the "
		    "interrupted one (the login's password changed?); the lote "
		    "number is the same"), l->numero, l->prest);
	if (again)
		log_notice(_("lote %lld of %s was being sent when a run stopped: "
		    "sending it again with the same number"), l->numero,
		    l->prest);
	return 0;
}

static int
send_lote(struct sender *s, const struct lote_item *l)
{
	struct buf req = { 0 };
	struct tissmsg_answer a = { 0 };
	char sha[65], err[1024], where[96];
	long long envio;
	enum outcome o = RETRY;
	long tries;
	int ret, reached = 0;	/* some attempt's bytes left this machine */

	if (!lotes_prest_ok(l->prest)) {
		log_error(_("lote %lld: the prestador code '%s' cannot name a "
		    "folder (letters, digits, '.', '_', '-', 64 at most): "
		    "correct codigoPrestadorNaOperadora; nothing was sent"),
		    l->numero, l->prest);
		return EXIT_DATAERR;
	}
	if (review_wait(l, s->aprovacao, APROV(l)))
		return EXIT_OK;
	if (build_request(s, l, &req, err, sizeof(err)) != 0) {
		log_error(_("lote %lld of %s: %s"), l->numero, l->prest, err);
		buf_release(&req);
		return EXIT_DATAERR;
	}
	sha256_hex(req.data, req.len, sha);
	if (announce(s, l, sha, req.len)) {
		buf_release(&req);
		return EXIT_OK;
	}
	envio = record_intent(s, l, sha);
	snprintf(where, sizeof(where), _("lote %lld of %s"), l->numero,
	    l->prest);
	for (tries = 0; tries == 0 || ((o == RETRY || o == GARBLED) &&
	    http_retry_wait(&s->http, tries, where, err)); tries++)
		o = attempt(s, l, envio, &req, &a, &reached, err, sizeof(err));
	ret = report(s, l, envio, o, &a, reached, err);
	tissmsg_answer_release(&a);
	buf_release(&req);
	return ret;
}

static void
setup(struct sender *s)
{
	char err[512], *path;

	profile_load(&s->p, &s->ws);
	profile_require_xml(&s->p, &s->ws);
	if (s->p.portal)
		return;
	if (s->p.endpoint == NULL)
		fatal(EXIT_CONFIG, _("%s: set [operadora] endpoint to the "
		    "operator's tissLoteGuias address (https://...), or envio = "
		    "portal"), s->ws.cfg.path);
	path = profile_schema(&s->p, "tissWebServicesV");
	if ((s->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load the TISS schema '%s': %s"), path,
		    err);
	free(path);
	s->password_md5 = profile_login_md5(&s->p, &s->ws);
	s->aprovacao |= review_required(&s->ws);
	if (!s->dry_run)
		profile_net_load(&s->p.net, &s->ws, "operadora");
}

/* Send lotes k, k + n, ... (a lotes_work_fn); the most severe exit. */
static int
work(struct ws *ws, const struct lote_list *l, int k, int n, void *ctx)
{
	struct sender *s = ctx;
	struct progress pg;
	int r, ret = EXIT_OK;
	long i;

	(void)ws;	/* s->ws, with this worker's connection */
	if (!s->dry_run)
		http_open(&s->http, &s->p.net.http);
	progress_share(&pg, _("lotes sent"), l->n, k, n);
	for (i = k; i < l->n; i += n, progress_add(&pg, 1)) {
		r = send_lote(s, &l->v[i]);
		ret = exit_worse(ret, r);
		progress_flush(&pg);
		/* Without a login, TLS or a certificate nothing else will go. */
		if (http_code_stops(r))
			break;
	}
	progress_end(&pg);
	if (!s->dry_run)
		http_close(&s->http);
	return ret;
}

/* Why a named lote in status st is not sent. */
static const char *
not_sendable(enum lote_state st)
{
	return st == LOTE_ENVIADO ? _("it was sent already and is never sent "
	    "twice") : st == LOTE_REJEITADO ? _("delete it and put its guides "
	    "in a new lote") : _("generate its XML first (tiss-xml)");
}

static int
option(int ch, const char *arg, void *ctx)
{
	struct sender *s = ctx;

	switch (ch) {
	case 'l':
		cli_lotes("--lote", arg, &s->named, &s->nnamed);
		return 0;
	case 'n':
		s->dry_run = 1;
		return 0;
	case 'a':
		s->aprovacao = 1;
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	struct sender s = { 0 };
	const struct cli_spec spec = { .name = "tiss-send", .usage = usage_text,
	    .options = "aprovacao=-a dry-run=-n lote=-l:", .option = option,
	    .ctx = &s };
	struct lotes_spec pick = { 0 };
	struct lote_list lotes;
	struct cli cli;
	int ret;

	cli_parse(&cli, &spec, argc, argv);
	xml_init();
	ws_open(&s.ws, ws_dir(cli.workspace));
	/* One sender per workspace: two could send the same lote. */
	ws_lock(&s.ws, "send");
	setup(&s);
	pick.prestador = cli.prestador;
	pick.named = s.named;
	pick.nnamed = s.nnamed;
	pick.wanted = LOTES_WANT(LOTE_XML_GERADO) | LOTES_WANT(LOTE_ENVIANDO);
	pick.columns = "soapArquivo, envioSha256, aprovadoEm, xmlArquivo, "
	    "xmlHash, xmlSha256";
	pick.ncolumns = 6;
	pick.hint = not_sendable;
	ret = lotes_pick(s.ws.db, &pick, &lotes);
	if (s.p.portal)
		ret = exit_worse(ret, portal_ready(&s.ws, &lotes));
	else
		ret = exit_worse(ret, lotes_pool(&s.ws, &lotes, s.dry_run ? 1 :
		    (int)s.p.connections, work, &s));
	if (!s.dry_run && !s.p.portal)
		log_notice(P_("%ld of %ld lote sent", "%ld of %ld lotes sent",
		    lotes.n), lotes_count(s.ws.db, &lotes, LOTE_ENVIADO),
		    lotes.n);
	lotes_release(&lotes);
	free(s.named);
	free(s.password_md5);
	profile_net_release(&s.p.net);
	xmlSchemaFree(s.schema);
	ws_close(&s.ws);
	xml_cleanup();
	return close_stdout(ret);
}
