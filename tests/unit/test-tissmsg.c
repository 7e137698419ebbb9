/*
 * Unit tests of tissmsg: who may reject a lote (only the operator's own
 * verdict), what a gateway's fault is, and the status request built.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/exchange.h"
#include "common/exitcodes.h"
#include "common/tissmsg.h"
#include "common/tissver.h"
#include "common/xml.h"
#include "tap.h"

#define ENV_OPEN "<?xml version=\"1.0\"?><soap:Envelope xmlns:soap=\"" \
	SOAP_NS "\"><soap:Body>"
#define ENV_CLOSE "</soap:Body></soap:Envelope>"

/*
 * The verdict on a Fault answered to a loteGuiasWS (a send) or, with
 * query set, to a solicitacaoStatusProtocoloWS (a query); -1 when the
 * reader did not see it as a Fault.
 */
static enum tissmsg_verdict
read_fault_to(int query, const char *faultcode, const char *tiss,
    long status)
{
	struct tissmsg_answer a;
	enum tissmsg_verdict v;
	char body[1024];

	snprintf(body, sizeof(body), ENV_OPEN "<soap:Fault><faultcode>%s"
	    "</faultcode><faultstring>x</faultstring>%s%s%s</soap:Fault>"
	    ENV_CLOSE, faultcode, tiss ? "<detail><ans:tissFaultWS xmlns:ans="
	    "\"http://www.ans.gov.br/padroes/tiss/schemas\"><ans:tissFault>" :
	    "", tiss ? tiss : "", tiss ? "</ans:tissFault></ans:tissFaultWS>"
	    "</detail>" : "");
	v = (query ? tissmsg_read_situacao : tissmsg_read_protocolo)(body,
	    strlen(body), status, "ISO-8859-1", NULL, &a);
	if (!a.fault)
		v = (enum tissmsg_verdict)-1;
	tissmsg_answer_release(&a);
	return v;
}

static enum tissmsg_verdict
read_fault(const char *faultcode, const char *tiss, long status)
{
	return read_fault_to(0, faultcode, tiss, status);
}

/* exchange_code of verdict v, fault, on HTTP status; *err its why. */
static int
code_of(enum tissmsg_verdict v, int fault, long status, char *err,
    size_t errlen)
{
	struct http_answer h;

	memset(&h, 0, sizeof(h));
	h.status = status;
	snprintf(err, errlen, "read");
	return exchange_code(v, fault, &h, err, errlen);
}

/* exchange_code: the one mapping of an answer to an exit code. */
static void
one_rule(void)
{
	char err[256];

	ok(code_of(TISSMSG_GARBLED, 1, 400, err, sizeof(err)) ==
	    EXIT_PROTOCOL && strcmp(err, "read") == 0,
	    "a fault that needs a person is 76 whatever its HTTP status");
	ok(code_of(TISSMSG_UNKNOWN, 1, 404, err, sizeof(err)) ==
	    EXIT_TEMPFAIL, "an unknown fault is 75 whatever its HTTP status");
	ok(code_of(TISSMSG_GARBLED, 0, 503, err, sizeof(err)) ==
	    EXIT_TEMPFAIL && strstr(err, "HTTP 503") != NULL,
	    "an error page on 503 is what the status says: 75");
	ok(code_of(TISSMSG_GARBLED, 0, 404, err, sizeof(err)) ==
	    EXIT_UNAVAILABLE, "an error page on 404: 69");
	ok(code_of(TISSMSG_GARBLED, 0, 403, err, sizeof(err)) == EXIT_NOPERM,
	    "an error page on 403: 77");
	ok(code_of(TISSMSG_GARBLED, 0, 200, err, sizeof(err)) ==
	    EXIT_PROTOCOL, "an unreadable answer on 200: 76");
	ok(code_of(TISSMSG_REJECTED, 1, 500, err, sizeof(err)) ==
	    EXIT_DATAERR, "the operator's verdict: 65");
}

int
main(void)
{
	struct tissmsg_cab cab = { "SOLIC_STATUS_PROTOCOLO", "10001234",
	    "123456", "4.01.00", NULL, NULL, 0, NULL };
	struct tissmsg_answer a;
	char err[256], dir[1024];
	const char *shared;
	xmlDocPtr doc;
	struct buf out = { 0 };

	xml_init();
	ok(read_fault("soap:Client", "HashInvalido", 500) ==
	    TISSMSG_REJECTED, "HashInvalido on HTTP 500 rejects");
	ok(read_fault("soap:Client", "SchemaInvalido", 200) ==
	    TISSMSG_REJECTED, "SchemaInvalido on HTTP 200 rejects");
	ok(read_fault("soap:Client", "VersaoInvalida", 503) ==
	    TISSMSG_UNKNOWN, "a business tissFault on HTTP 503 is unknown");
	ok(read_fault("soap:Server", NULL, 500) == TISSMSG_UNKNOWN,
	    "soap:Server without tissFault on 500 is unknown");
	ok(read_fault("env:Server", NULL, 502) == TISSMSG_UNKNOWN,
	    "any prefix of Server on 502 is unknown");
	ok(read_fault("soap:Client", NULL, 503) == TISSMSG_UNKNOWN,
	    "a fault without tissFault on 503 is unknown");
	ok(read_fault("soap:Client", NULL, 400) == TISSMSG_GARBLED,
	    "a client fault without tissFault on 400 needs a person");
	ok(read_fault("soap:Client", "Outra", 500) == TISSMSG_GARBLED,
	    "an unknown tissFault needs a person");
	ok(read_fault("soap:Client", "LoginInvalido", 500) == TISSMSG_LOGIN,
	    "LoginInvalido");
	/* The same faults after a query: asked again, no person needed. */
	ok(read_fault_to(1, "soap:Client", NULL, 400) == TISSMSG_UNKNOWN,
	    "a client fault without tissFault on 400 after a query: unknown");
	ok(read_fault_to(1, "soap:Client", "Outra", 500) == TISSMSG_UNKNOWN,
	    "an unknown tissFault after a query: unknown");
	ok(read_fault_to(1, "soap:Client", "SchemaInvalido", 500) ==
	    TISSMSG_REJECTED, "a business tissFault after a query: rejected");
	ok(read_fault_to(1, "soap:Client", "LoginInvalido", 500) ==
	    TISSMSG_LOGIN, "LoginInvalido after a query");
	one_rule();
	/* The descriptions are the official schema's dm_tipoGlosa. */
	shared = getenv("TISS_SHARED") ? getenv("TISS_SHARED") :
	    "../shared/tiss";
	snprintf(dir, sizeof(dir), "%s/4.03.00", shared);
	tissver_glosa_use(tissver_find("4.03.00"), dir);
	ok_str(tissmsg_glosa_text("5014", ""), "CÓDIGO HASH INVÁLIDO. "
	    "MENSAGEM PODE ESTAR CORROMPIDA.", "a glosa without text gets "
	    "the schema's");
	ok_str(tissmsg_glosa_text("3172", NULL), "AUSÊNCIA DE RADIOGRAFIA "
	    "PERIAPICAL DO TRATAMENTO ENDODÔNTICO CONCLUÍDO", "a code new in "
	    "4.03.00 too");
	ok_str(tissmsg_glosa_text("5014", "dito pela operadora"),
	    "dito pela operadora", "the operator's own text wins");
	ok_str(tissmsg_glosa_text("9999", ""), "(sem descrição)",
	    "an unknown code");
	ok(read_fault("soap:Server", "ErroInesperadoServidor", 500) ==
	    TISSMSG_UNKNOWN, "ErroInesperadoServidor is unknown");
	ok(tissmsg_read_protocolo("<html>", 6, 200, "ISO-8859-1", NULL, &a) ==
	    TISSMSG_GARBLED && a.why[0] != '\0' && !a.fault,
	    "not XML: garbled, no fault, says why");
	tissmsg_answer_release(&a);

	doc = tissmsg_status_request(&cab, "000000000001", "ISO-8859-1", err,
	    sizeof(err));
	ok(doc != NULL, "a status request is built");
	tissmsg_soap(doc, &out);
	ok(out.data && strstr(out.data, "<ans:numeroProtocolo>000000000001<")
	    != NULL, "with its protocolo, in an envelope");
	ok(out.data && strstr(out.data, "<soap:Body><ans:solicitacao") != NULL,
	    "no XML declaration inside the body");
	buf_release(&out);
	xmlFreeDoc(doc);
	xml_cleanup();
	return tap_done();
}
