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
 *   mensagemErro, tissFault	'rejeitado' with the code and text;
 *   no answer, 408, 429, 5xx,	stays 'enviando' and is retried with
 *   an unreadable answer	backoff, then on the next run.
 *
 * A lote found 'enviando' is resent with the same bytes and number: the
 * operator answers a lote it already has with its protocolo.  A lote
 * 'enviado' is never sent again.
 *
 * Exit: 0 every lote sent (also when there was none), 64 usage, 65 some
 * lote rejected, 66 a named lote does not exist, 69 the operator refuses
 * the request (HTTP 4xx) or TLS fails, 75 no answer after the retries
 * (a rerun is safe), 76 unreadable answers, 77 login refused or secrets
 * too open, 78 configuration.
 */
#include <sys/wait.h>

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/http.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/protocolo.h"
#include "common/secret.h"
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
};

struct lote {
	long long id;
	char	 prest[64];
	long	 numero;
	char	 status[16];
	char	*soap;			/* the loteGuiasWS file, workspace-relative */
	char	*sha;			/* of the last request, when 'enviando' */
};

/* How an attempt ended. */
enum outcome {
	SENT,		/* protocolo stored */
	REJECTED,	/* mensagemErro or a tissFault: stored */
	RETRY,		/* no answer or a temporary one: try again */
	GARBLED,	/* an answer we cannot read: try again */
	REFUSED,	/* HTTP 4xx, TLS: not worth retrying now */
	NOLOGIN,	/* the operator refuses the login */
	LOCALERR	/* the answer came but cannot be stored here */
};

/* The codes of dm_tipoGlosa an operator answers a lote with. */
static const struct {
	const char *code, *text;
} glosas[] = {
	{ "5001", "mensagem eletrônica fora do padrão TISS" },
	{ "5002", "não foi possível validar o arquivo XML" },
	{ "5003", "endereço do remetente inválido" },
	{ "5004", "endereço do destinatário inválido" },
	{ "5005", "remetente não identificado" },
	{ "5006", "destinatário não identificado" },
	{ "5007", "mensagem inconsistente ou incompleta" },
	{ "5014", "código hash inválido; mensagem pode estar corrompida" },
	{ "5015", "número de guias dentro da mensagem superior ao tamanho "
	    "máximo permitido" },
	{ "5027", "registro ANS da operadora inválido" },
	{ "5028", "versão do padrão inválida" },
	{ "5047", "número do lote não informado" },
};

static const char *
glosa_text(const char *code, const char *given)
{
	size_t i;

	if (given && *given)
		return given;
	for (i = 0; i < sizeof(glosas) / sizeof(glosas[0]); i++)
		if (strcmp(glosas[i].code, code) == 0)
			return glosas[i].text;
	return "(sem descrição)";
}

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-send [-C DIR] [-p PRESTADOR] "
	    "[--lote N]... [--dry-run] [-q] [-v]\n");
	exit(EXIT_USAGE);
}

static void
escape_text(struct buf *out, const char *s)
{
	for (; *s; s++) {
		if (*s == '&')
			buf_adds(out, "&amp;");
		else if (*s == '<')
			buf_adds(out, "&lt;");
		else if (*s == '>')
			buf_adds(out, "&gt;");
		else
			buf_addc(out, *s);
	}
}

/* Replace the text of the first <ans:hash> in body with hash. */
static int
set_hash(struct buf *body, const char *hash)
{
	char *from = strstr(body->data, "<ans:hash>"), *to;

	if (from == NULL || (to = strstr(from, "</ans:hash>")) == NULL)
		return -1;
	from += strlen("<ans:hash>");
	if (to - from != 32)
		return -1;
	memcpy(from, hash, 32);
	return 0;
}

/*
 * The request for lote l: its loteGuiasWS with the login, checked
 * against the schema, in a SOAP envelope.  Returns 0, or -1 with err.
 */
static int
build_request(struct sender *s, const struct lote *l, struct buf *req,
    char *err, size_t errlen)
{
	struct buf body = { 0 }, login = { 0 };
	char *path = ws_path(&s->ws, l->soap), hash[33], *end;
	xmlDocPtr doc = NULL;
	int ret = -1;

	if (read_file(path, &body) != 0) {
		snprintf(err, errlen, "cannot read '%s': %s; run tiss-xml "
		    "--lote %ld again", path, strerror(errno), l->numero);
		goto out;
	}
	if (s->p.login) {
		if ((end = strstr(body.data, "</ans:cabecalho>")) == NULL) {
			snprintf(err, errlen, "'%s' has no cabecalho", path);
			goto out;
		}
		buf_add(&login, body.data, (size_t)(end - body.data));
		buf_adds(&login, "<ans:loginSenhaPrestador><ans:loginPrestador>");
		escape_text(&login, s->p.login);
		buf_adds(&login, "</ans:loginPrestador><ans:senhaPrestador>");
		buf_adds(&login, s->password_md5);
		buf_adds(&login, "</ans:senhaPrestador></ans:loginSenhaPrestador>");
		buf_adds(&login, end);
		buf_release(&body);
		body = login;
	}
	doc = xml_parse_memory(body.data, body.len, path, err, errlen);
	if (doc == NULL)
		goto out;
	if (xml_schema_check(s->schema, doc, err, errlen) != 0)
		goto out;
	if (s->p.login) {
		/* The login is part of the hashed text. */
		if (xml_tiss_hash(xmlDocGetRootElement(doc), s->p.hash_encoding,
		    hash) != 0 || set_hash(&body, hash) != 0) {
			snprintf(err, errlen, "cannot set the hash in '%s'", path);
			goto out;
		}
	}
	xml_soap_wrap(req, body.data, body.len);
	ret = 0;
out:
	xmlFreeDoc(doc);
	buf_release(&body);
	free(path);
	return ret;
}

/* ---- reading the answer ------------------------------------------------- */

struct answer {
	char	 code[64];		/* codigoGlosa or tissFault */
	char	 text[512];
	char	 protocolo[16];
	char	 data[16];
	int64_t	 valor;
	xmlNodePtr detalhe;		/* detalheProtocolo */
};

/* A SOAP fault: tissFault (in detail) or faultcode, and faultstring. */
static enum outcome
read_fault(xmlNodePtr fault, struct answer *a)
{
	xmlNodePtr detail = xml_child(fault, "detail"), ws;
	char tf[64] = "";

	xml_child_text(fault, "faultstring", a->text, sizeof(a->text));
	if ((ws = xml_child(detail, "tissFaultWS")) != NULL)
		xml_child_text(ws, "tissFault", tf, sizeof(tf));
	if (tf[0] == '\0' && xml_child_text(fault, "faultcode", tf,
	    sizeof(tf)) == NULL)
		return GARBLED;
	snprintf(a->code, sizeof(a->code), "%s", tf);
	if (strcmp(tf, "ErroInesperadoServidor") == 0)
		return RETRY;
	if (strcmp(tf, "LoginInvalido") == 0)
		return NOLOGIN;
	return REJECTED;
}

static enum outcome
read_answer(struct sender *s, const struct lote *l, xmlDocPtr doc,
    struct answer *a, char *err, size_t errlen)
{
	xmlNodePtr body = xml_soap_body(doc), rec, n;
	char hash[33], given[64], num[32];

	if (body == NULL) {
		snprintf(err, errlen, "not a SOAP envelope with a body");
		return GARBLED;
	}
	if (strcmp((const char *)body->name, "Fault") == 0)
		return read_fault(body, a);
	if (strcmp((const char *)body->name, "protocoloRecebimentoWS") != 0) {
		snprintf(err, errlen, "the answer is a %s, not a "
		    "protocoloRecebimentoWS", body->name);
		return GARBLED;
	}
	if (xml_schema_check_node(s->schema, body, err, errlen) != 0)
		return GARBLED;
	if (xml_tiss_hash(body, s->p.hash_encoding, hash) != 0 ||
	    xml_child_text(body, "hash", given, sizeof(given)) == NULL ||
	    strcasecmp(hash, given) != 0) {
		snprintf(err, errlen, "the answer's hash is wrong: it may be "
		    "corrupt");
		return GARBLED;
	}
	rec = xml_child(body, "recebimentoLote");
	if ((n = xml_child(rec, "mensagemErro")) != NULL) {
		xml_child_text(n, "codigoGlosa", a->code, sizeof(a->code));
		xml_child_text(n, "descricaoGlosa", a->text, sizeof(a->text));
		return REJECTED;
	}
	n = xml_child(rec, "protocoloRecebimento");
	if (xml_child_text(n, "numeroLote", num, sizeof(num)) == NULL ||
	    atol(num) != l->numero) {
		snprintf(err, errlen, "the protocolo is for lote %s, not %ld",
		    num, l->numero);
		return GARBLED;
	}
	xml_child_text(n, "dataEnvioLote", a->data, sizeof(a->data));
	a->detalhe = xml_child(n, "detalheProtocolo");
	xml_child_text(a->detalhe, "numeroProtocolo", a->protocolo,
	    sizeof(a->protocolo));
	a->valor = xml_child_hundredths(a->detalhe, "valorTotalProtocolo");
	return SENT;
}

/* ---- recording ----------------------------------------------------------- */

static long long
record_intent(struct sender *s, const struct lote *l, const char *sha)
{
	sqlite3_stmt *st;
	long long envio;

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	st = db_prepare(s->ws.db, "UPDATE lote SET status = 'enviando', "
	    "envioSha256 = ?, alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now') WHERE id = ? AND (status = 'xml_gerado' OR "
	    "status = 'enviando')");
	sqlite3_bind_text(st, 1, sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	if (sqlite3_changes(s->ws.db) != 1)
		fatal(EXIT_TEMPFAIL, "lote %ld of %s changed while being sent; "
		    "run tiss-send again", l->numero, l->prest);
	st = db_prepare(s->ws.db, "INSERT INTO envio (lote_id, inicio, "
	    "sha256) VALUES (?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), ?)");
	sqlite3_bind_int64(st, 1, l->id);
	sqlite3_bind_text(st, 2, sha, -1, SQLITE_STATIC);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	envio = sqlite3_last_insert_rowid(s->ws.db);
	db_exec(s->ws.db, "COMMIT");
	return envio;
}

static void
end_envio(struct sender *s, long long envio, const char *resultado,
    const char *detalhe)
{
	sqlite3_stmt *st = db_prepare(s->ws.db, "UPDATE envio SET fim = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), resultado = ?, "
	    "detalhe = ? WHERE id = ?");

	sqlite3_bind_text(st, 1, resultado, -1, SQLITE_STATIC);
	db_bind_text(st, 2, detalhe);
	sqlite3_bind_int64(st, 3, envio);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
}

/* The per-guide data of a protocolo, and glosas on the whole lote. */
static void
store_guides(struct sender *s, const struct lote *l, xmlNodePtr detalhe)
{
	xmlNodePtr n, g, m;

	n = xml_child(xml_child(detalhe, "glosaProtocolo"), "motivosGlosa");
	for (m = xml_child(n, "motivoGlosa"); m; m = xmlNextElementSibling(m))
		protocolo_add_glosa(s->ws.db, l->id, NULL, 0, m, -1,
		    "protocolo");
	n = xml_child(detalhe, "dadosGuiasProtocolo");
	for (g = n ? xmlFirstElementChild(n) : NULL; g;
	    g = xmlNextElementSibling(g))
		if (strcmp((const char *)g->name, "dadosGuiasOdonto") == 0)
			protocolo_store_guide(s->ws.db, l->id, g, "protocolo");
}

static int
record_sent(struct sender *s, const struct lote *l, long long envio,
    const struct answer *a, const struct http_answer *h)
{
	char *dir, *rel, name[64];
	sqlite3_stmt *st;

	/* The receipt as the operator sent it, for the 2ª via and disputes. */
	rel = xasprintf("out/%s", l->prest);
	dir = ws_path(&s->ws, rel);
	snprintf(name, sizeof(name), "%ld_protocolo.xml", l->numero);
	if (write_file_atomic(dir, name, h->body.data, h->body.len, 0644) != 0 ||
	    sync_dir(dir) != 0) {
		free(dir);
		free(rel);
		return -1;
	}
	free(dir);
	dir = xasprintf("%s/%s", rel, name);

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	st = db_prepare(s->ws.db, "UPDATE lote SET status = 'enviado', "
	    "numeroProtocolo = ?, dataEnvioLote = ?, valorTotalProtocolo = ?, "
	    "protocoloArquivo = ?, codigoErro = NULL, descricaoErro = NULL, "
	    "enviadoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
	sqlite3_bind_text(st, 1, a->protocolo, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->data, -1, SQLITE_STATIC);
	if (a->valor >= 0)
		sqlite3_bind_int64(st, 3, a->valor);
	sqlite3_bind_text(st, 4, dir, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	st = db_prepare(s->ws.db, "UPDATE guia SET status = 'enviada', "
	    "alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE "
	    "lote_id = ?");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	st = db_prepare(s->ws.db, "DELETE FROM glosa WHERE lote_id = ?");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	store_guides(s, l, a->detalhe);
	end_envio(s, envio, "protocolo", a->protocolo);
	db_exec(s->ws.db, "COMMIT");
	free(dir);
	free(rel);
	return 0;
}

static void
record_rejected(struct sender *s, const struct lote *l, long long envio,
    const struct answer *a)
{
	const char *text = glosa_text(a->code, a->text);
	sqlite3_stmt *st;
	char *detail = xasprintf("%s %s", a->code, text);

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	st = db_prepare(s->ws.db, "UPDATE lote SET status = 'rejeitado', "
	    "codigoErro = ?, descricaoErro = ?, alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?");
	sqlite3_bind_text(st, 1, a->code, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, text, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	end_envio(s, envio, "rejeitado", detail);
	db_exec(s->ws.db, "COMMIT");
	free(detail);
}

/* No answer and no byte sent: the lote is back to plain 'xml_gerado'. */
static void
record_not_sent(struct sender *s, const struct lote *l, long long envio,
    const char *why)
{
	sqlite3_stmt *st;

	db_exec(s->ws.db, "BEGIN IMMEDIATE");
	end_envio(s, envio, "nao_enviado", why);
	/* Only when no earlier attempt may have reached the operator. */
	st = db_prepare(s->ws.db, "UPDATE lote SET status = 'xml_gerado', "
	    "envioSha256 = NULL WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM "
	    "envio WHERE lote_id = ?1 AND (resultado IS NULL OR "
	    "resultado = 'falha'))");
	sqlite3_bind_int64(st, 1, l->id);
	db_step(s->ws.db, st);
	sqlite3_finalize(st);
	db_exec(s->ws.db, "COMMIT");
}

/* ---- one lote ------------------------------------------------------------ */

/* What an exchange without a usable answer means here (http_exit_code). */
static enum outcome
classify_http(const struct http_answer *h, char *err, size_t errlen)
{
	int code = http_exit_code(h);

	if (h->status == 0)
		snprintf(err, errlen, "%s", h->error);
	else if (code == EXIT_TEMPFAIL)
		snprintf(err, errlen, "the operator answered HTTP %ld",
		    h->status);
	else
		snprintf(err, errlen, "the operator refused the request with "
		    "HTTP %ld%s", h->status, code == EXIT_NOPERM ?
		    ": check the login and the client certificate" :
		    ": check [operadora] endpoint");
	return code == EXIT_TEMPFAIL ? RETRY : code == EXIT_PROTOCOL ?
	    GARBLED : code == EXIT_NOPERM ? NOLOGIN : REFUSED;
}

/* One POST and what came of it; err says why when not SENT/REJECTED. */
static enum outcome
attempt(struct sender *s, const struct lote *l, long long envio,
    const struct buf *req, struct answer *a, struct http_answer *h,
    char *err, size_t errlen)
{
	enum outcome o;
	xmlDocPtr doc;

	memset(a, 0, sizeof(*a));
	if (http_post_soap(&s->http, s->p.endpoint, req->data, req->len,
	    h) != 0)
		return classify_http(h, err, errlen);
	doc = xml_parse_memory(h->body.data ? h->body.data : "", h->body.len,
	    "answer", err, errlen);
	if (doc == NULL) {
		/* A fault answers with 500; other statuses need no body. */
		if (h->status != 200)
			return classify_http(h, err, errlen);
		return GARBLED;
	}
	o = read_answer(s, l, doc, a, err, errlen);
	if (o == GARBLED && h->status != 200)
		o = classify_http(h, err, errlen);
	if (o == SENT && record_sent(s, l, envio, a, h) != 0) {
		snprintf(err, errlen, "protocolo %s came but cannot be stored",
		    a->protocolo);
		o = LOCALERR;
	}
	if ((o == RETRY || o == NOLOGIN) && a->code[0])
		snprintf(err, errlen, "tissFault %s: %s", a->code, a->text);
	xmlFreeDoc(doc);
	return o;
}

static int
send_lote(struct sender *s, const struct lote *l)
{
	struct buf req = { 0 };
	struct http_answer h;
	struct answer a;
	char sha[65], err[1024];
	long long envio;
	enum outcome o = RETRY;
	long delay = s->p.net.retry_delay, i;
	int ret, reached = 0;	/* some attempt's bytes left this machine */

	if (build_request(s, l, &req, err, sizeof(err)) != 0) {
		log_error("lote %ld of %s: %s", l->numero, l->prest, err);
		buf_release(&req);
		return EXIT_DATAERR;
	}
	sha256_hex(req.data, req.len, sha);
	if (s->dry_run) {
		printf("lote %ld of %s: would send %zu bytes (SHA-256 %s) to "
		    "%s%s\n", l->numero, l->prest, req.len, sha, s->p.endpoint,
		    strcmp(l->status, "enviando") == 0 ?
		    " again, after an interrupted send" : "");
		buf_release(&req);
		return EXIT_OK;
	}
	if (strcmp(l->status, "enviando") == 0) {
		if (l->sha && strcmp(l->sha, sha) != 0)
			log_warn("lote %ld of %s: the request differs from the "
			    "interrupted one (the login's password changed?); "
			    "the lote number is the same", l->numero, l->prest);
		log_notice("lote %ld of %s was being sent when a run stopped: "
		    "sending it again with the same number", l->numero,
		    l->prest);
	}
	envio = record_intent(s, l, sha);
	for (i = 0; i <= s->p.net.retries; i++) {
		if (i > 0) {
			log_warn("lote %ld of %s: %s; retrying in %ld s (%ld of "
			    "%ld)", l->numero, l->prest, err, delay, i,
			    s->p.net.retries);
			sleep((unsigned)delay);
			delay *= 2;
		}
		o = attempt(s, l, envio, &req, &a, &h, err, sizeof(err));
		if (!h.sent_nothing)
			reached = 1;
		if (o != RETRY && o != GARBLED)
			break;
		if (i < s->p.net.retries)
			http_answer_release(&h);
	}
	switch (o) {
	case SENT:
		printf("lote %ld of %s: protocolo %s\n", l->numero, l->prest,
		    a.protocolo);
		ret = EXIT_OK;
		break;
	case REJECTED:
		record_rejected(s, l, envio, &a);
		printf("lote %ld of %s: rejeitado: %s %s\n", l->numero,
		    l->prest, a.code, glosa_text(a.code, a.text));
		log_error("lote %ld of %s was rejected by the operator: %s %s; "
		    "correct it, delete the lote and put its guides in a new "
		    "one", l->numero, l->prest, a.code, glosa_text(a.code,
		    a.text));
		ret = EXIT_DATAERR;
		break;
	default:
		if (!reached)
			record_not_sent(s, l, envio, err);
		else
			end_envio(s, envio, "falha", err);
		log_error("lote %ld of %s not sent: %s; %s", l->numero, l->prest,
		    err, o == NOLOGIN ? "nothing will be sent until the login "
		    "works" : "it stays ready to send: run tiss-send again");
		ret = o == RETRY ? EXIT_TEMPFAIL : o == GARBLED ?
		    EXIT_PROTOCOL : o == NOLOGIN ? EXIT_NOPERM : o == LOCALERR ?
		    EXIT_IOERR : EXIT_UNAVAILABLE;
	}
	http_answer_release(&h);
	buf_release(&req);
	return ret;
}

static int
worse(int a, int b)
{
	/* The code that asks the most of the caller wins. */
	static const int order[] = { EXIT_OK, EXIT_DATAERR, EXIT_PROTOCOL,
	    EXIT_UNAVAILABLE, EXIT_TEMPFAIL, EXIT_IOERR, EXIT_NOINPUT,
	    EXIT_NOPERM };
	int i, ra = 0, rb = 0;

	for (i = 0; i < (int)(sizeof(order) / sizeof(order[0])); i++) {
		if (order[i] == a)
			ra = i;
		if (order[i] == b)
			rb = i;
	}
	return rb > ra ? b : a;
}

static void
setup(struct sender *s)
{
	char err[512], *path;

	profile_load(&s->p, &s->ws);
	profile_require_xml(&s->p, &s->ws);
	if (s->p.endpoint == NULL)
		fatal(EXIT_CONFIG, "%s: set [operadora] endpoint to the "
		    "operator's tissLoteGuias address (https://...)",
		    s->ws.cfg.path);
	path = profile_schema(&s->p, "tissWebServicesV");
	if ((s->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load the TISS schema '%s': %s", path,
		    err);
	free(path);
	s->password_md5 = profile_login_md5(&s->p, &s->ws);
}

/* Send lotes k, k + jobs, ...; returns the most severe exit code. */
static int
work(struct sender *s, const struct lote *lotes, long nlotes, int k, int jobs)
{
	int r, ret = EXIT_OK;
	long i;

	if (!s->dry_run)
		http_open(&s->http, &s->ws, &s->p.net);
	for (i = k; i < nlotes; i += jobs) {
		r = send_lote(s, &lotes[i]);
		ret = worse(ret, r);
		fflush(stdout);
		/* Without a login or TLS nothing else will go either. */
		if (r == EXIT_NOPERM || r == EXIT_UNAVAILABLE)
			break;
	}
	if (!s->dry_run)
		http_close(&s->http);
	return ret;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "dry-run", no_argument, NULL, 'n' },
		{ "help", no_argument, NULL, 'h' },
		{ "lote", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *prest = NULL, **named = NULL;
	struct lote *lotes = NULL;
	struct sender s;
	sqlite3_stmt *st;
	long nlotes = 0, i, sent = 0;
	int ch, k, nnamed = 0, level = LOG_NORMAL, ret = EXIT_OK, r, jobs;
	int wstatus;
	char *dbpath;
	pid_t *pids;

	memset(&s, 0, sizeof(s));
	while ((ch = getopt_long(argc, argv, "C:hnp:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'l':
			named = xrealloc(named, (size_t)(nnamed + 1) * sizeof(*named));
			named[nnamed++] = optarg;
			break;
		case 'n':
			s.dry_run = 1;
			break;
		case 'p':
			prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("tiss-send", level);
	xml_init();
	ws_open(&s.ws, ws_dir(dir));
	/* One sender per workspace: two could send the same lote. */
	ws_lock(&s.ws, "send");
	setup(&s);

	st = db_prepare(s.ws.db, "SELECT id, codigoPrestadorNaOperadora, "
	    "numeroLote, status, soapArquivo, envioSha256 FROM lote WHERE "
	    "(?1 IS NULL OR codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR numeroLote = ?2) AND (?2 IS NOT NULL OR "
	    "status = 'xml_gerado' OR status = 'enviando') "
	    "ORDER BY codigoPrestadorNaOperadora, numeroLote");
	for (k = 0; k < (nnamed ? nnamed : 1); k++) {
		int found = 0;

		sqlite3_reset(st);
		db_bind_text(st, 1, prest);
		if (nnamed)
			sqlite3_bind_int64(st, 2, atoll(named[k]));
		else
			sqlite3_bind_null(st, 2);
		while (db_step(s.ws.db, st) == SQLITE_ROW) {
			const char *status = db_col_text(st, 3);
			struct lote *l;

			found = 1;
			if (strcmp(status, "xml_gerado") != 0 &&
			    strcmp(status, "enviando") != 0) {
				log_notice("lote %s of %s is %s: %s", named[k],
				    db_col_text(st, 1), status,
				    strcmp(status, "enviado") == 0 ?
				    "it was sent already and is never sent "
				    "twice" : strcmp(status, "rejeitado") == 0 ?
				    "delete it and put its guides in a new lote" :
				    "generate its XML first (tiss-xml)");
				continue;
			}
			lotes = xrealloc(lotes, (size_t)(nlotes + 1) *
			    sizeof(*lotes));
			l = &lotes[nlotes++];
			memset(l, 0, sizeof(*l));
			l->id = sqlite3_column_int64(st, 0);
			snprintf(l->prest, sizeof(l->prest), "%s",
			    db_col_text(st, 1));
			l->numero = sqlite3_column_int(st, 2);
			snprintf(l->status, sizeof(l->status), "%s", status);
			l->soap = xstrdup(db_col_text(st, 4) ?
			    db_col_text(st, 4) : "");
			if (db_col_text(st, 5))
				l->sha = xstrdup(db_col_text(st, 5));
		}
		if (nnamed && !found) {
			log_error("no lote numbered '%s'", named[k]);
			ret = EXIT_NOINPUT;
		}
	}
	sqlite3_finalize(st);

	jobs = s.dry_run ? 1 : (int)s.p.connections;
	if (jobs > nlotes)
		jobs = nlotes > 0 ? (int)nlotes : 1;
	if (jobs == 1)
		ret = worse(ret, work(&s, lotes, nlotes, 0, 1));
	else {
		/*
		 * One connection to the operator per worker, each on its own
		 * lotes with its own database connection (one must not cross
		 * fork); the parent keeps the workspace's send lock.
		 */
		dbpath = ws_path(&s.ws, "tiss.db");
		db_close(s.ws.db);
		s.ws.db = NULL;
		fflush(stdout);
		pids = xcalloc((size_t)jobs, sizeof(*pids));
		for (k = 0; k < jobs; k++) {
			if ((pids[k] = fork()) < 0)
				fatal(EXIT_SOFTWARE, "fork: %s", strerror(errno));
			if (pids[k] == 0) {
				s.ws.db = db_open(dbpath, 0);
				r = work(&s, lotes, nlotes, k, jobs);
				db_close(s.ws.db);
				s.ws.db = NULL;
				exit(close_stdout(r));
			}
		}
		for (k = 0; k < jobs; k++) {
			if (waitpid(pids[k], &wstatus, 0) < 0 || !WIFEXITED(wstatus))
				ret = worse(ret, EXIT_SOFTWARE);
			else
				ret = worse(ret, WEXITSTATUS(wstatus));
		}
		free(pids);
		s.ws.db = db_open(dbpath, 0);
		free(dbpath);
	}
	if (!s.dry_run) {
		st = db_prepare(s.ws.db, "SELECT status FROM lote WHERE id = ?");
		for (i = 0; i < nlotes; i++) {
			sqlite3_reset(st);
			sqlite3_bind_int64(st, 1, lotes[i].id);
			if (db_step(s.ws.db, st) == SQLITE_ROW &&
			    strcmp(db_col_text(st, 0), "enviado") == 0)
				sent++;
		}
		sqlite3_finalize(st);
		log_notice("%ld of %ld lote%s sent", sent, nlotes,
		    nlotes == 1 ? "" : "s");
	}
	for (i = 0; i < nlotes; i++) {
		free(lotes[i].soap);
		free(lotes[i].sha);
	}
	free(lotes);
	free(named);
	free(s.password_md5);
	xmlSchemaFree(s.schema);
	ws_close(&s.ws);
	xml_cleanup();
	return close_stdout(ret);
}
