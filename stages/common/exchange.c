#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "exchange.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "xml.h"

static xmlSchemaPtr
load_schema(const struct profile *p, const char *stem)
{
	char err[512], *path = profile_schema(p, stem);
	xmlSchemaPtr s;

	if ((s = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load the TISS schema '%s': %s"),
		    path, err);
	free(path);
	return s;
}

void
exchange_init(struct exchange *x, struct ws *ws)
{
	memset(x, 0, sizeof(*x));
	x->ws = ws;
	profile_load(&x->p, ws);
	profile_require_xml(&x->p, ws);
}

void
exchange_connect(struct exchange *x, int net, int msg)
{
	x->schema = load_schema(&x->p, "tissWebServicesV");
	if (msg)
		x->msg_schema = load_schema(&x->p, "tissV");
	x->password_md5 = profile_login_md5(&x->p, x->ws);
	if (!net)
		return;
	profile_net_load(&x->p.net, x->ws, "operadora");
	http_open(&x->http, &x->p.net.http);
	x->net = 1;
}

void
exchange_open(struct exchange *x, struct ws *ws, int net, int msg)
{
	exchange_init(x, ws);
	exchange_connect(x, net, msg);
}

void
exchange_close(struct exchange *x)
{
	if (x->net)
		http_close(&x->http);
	free(x->password_md5);
	profile_net_release(&x->p.net);
	xmlSchemaFree(x->schema);
	xmlSchemaFree(x->msg_schema);
	memset(x, 0, sizeof(*x));
}

void
exchange_cab(const struct exchange *x, const char *tipo, const char *prestador,
    struct tissmsg_cab *cab)
{
	memset(cab, 0, sizeof(*cab));
	cab->tipo = tipo;
	cab->prestador = prestador;
	cab->registro_ans = x->p.registro_ans;
	cab->padrao = x->p.versao;
	cab->login = x->p.login;
	cab->senha_md5 = x->password_md5;
	cab->now = time_now();
}

int
exchange_request(struct exchange *x, xmlDocPtr doc, struct buf *req,
    char *err, size_t errlen)
{
	int ret = -1;

	if (doc != NULL && xml_schema_check(x->schema, doc, err, errlen) == 0) {
		tissmsg_soap(doc, req);
		ret = 0;
	}
	xmlFreeDoc(doc);
	return ret;
}

int
exchange_code(enum tissmsg_verdict v, int fault, const struct http_answer *h,
    char *err, size_t errlen)
{
	static const int by_verdict[] = {
		[TISSMSG_OK] = EXIT_OK, [TISSMSG_REJECTED] = EXIT_DATAERR,
		[TISSMSG_LOGIN] = EXIT_NOPERM, [TISSMSG_UNKNOWN] = EXIT_TEMPFAIL,
		[TISSMSG_GARBLED] = EXIT_PROTOCOL
	};
	int code;

	if (v != TISSMSG_GARBLED || fault || h->status == 200)
		return by_verdict[v];
	/* Not a TISS answer: what the HTTP status says. */
	code = http_exit_code(h);
	if (code == EXIT_NOPERM)
		snprintf(err, errlen, _("the operator refused the request with "
		    "HTTP %ld: check the login and the client certificate"),
		    h->status);
	else if (code == EXIT_UNAVAILABLE)
		snprintf(err, errlen, _("the operator refused the request with "
		    "HTTP %ld: check [operadora] endpoint"), h->status);
	else
		snprintf(err, errlen, _("the operator answered HTTP %ld"),
		    h->status);
	return code;
}

int
exchange_read(const struct exchange *x, const struct http_answer *h,
    tissmsg_reader_fn *reader, struct tissmsg_answer *a, char *err,
    size_t errlen)
{
	enum tissmsg_verdict v = reader(h->body.data, h->body.len, h->status,
	    x->p.hash_encoding, x->schema, a);

	snprintf(err, errlen, "%s", a->why);
	return exchange_code(v, a->fault, h, err, errlen);
}

/* One POST; an exit code, err saying why when not 0. */
static int
attempt(struct exchange *x, const char *url, const struct buf *req,
    exchange_read_fn *read, void *ctx, char *err, size_t errlen)
{
	struct http_answer h;
	int ret;

	if (http_post_soap(&x->http, url, req->data, req->len, &h) != 0) {
		snprintf(err, errlen, "%s", h.error);
		ret = http_exit_code(&h);
	} else
		ret = read(&h, ctx, err, errlen);
	http_answer_release(&h);
	return ret;
}

int
exchange_post(struct exchange *x, const char *url, const struct buf *req,
    const char *where, exchange_read_fn *read, void *ctx, char *err,
    size_t errlen)
{
	int ret = EXIT_TEMPFAIL;
	long tries;

	for (tries = 0; tries == 0 || ((ret == EXIT_TEMPFAIL ||
	    ret == EXIT_PROTOCOL) && http_retry_wait(&x->http, tries, where,
	    err)); tries++)
		ret = attempt(x, url, req, read, ctx, err, errlen);
	return ret;
}

int
exchange_ask(struct exchange *x, xmlDocPtr doc, const char *url,
    const char *where, exchange_read_fn *read, void *ctx, char *err,
    size_t errlen)
{
	struct buf req = { 0 };
	int ret = -1;

	if (exchange_request(x, doc, &req, err, errlen) == 0)
		ret = exchange_post(x, url, &req, where, read, ctx, err, errlen);
	buf_release(&req);
	return ret;
}
