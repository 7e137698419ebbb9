#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "tissmsg.h"
#include "tissver.h"
#include "xml.h"

#define ANS_NS	"http://www.ans.gov.br/padroes/tiss/schemas"

/* st_tissFault values that are the operator's verdict on the message. */
static const char *const business_faults[] = {
	"DestinatarioInvalido", "RemetenteInvalido", "VersaoInvalida",
	"HashInvalido", "SchemaInvalido", NULL
};

const char *
tissmsg_glosa_text(const char *code, const char *given)
{
	return tissver_glosa_describe(code, given);
}

/* ---- building ------------------------------------------------------------ */

static xmlNodePtr
add(xmlNodePtr parent, xmlNsPtr ns, const char *name, const char *text)
{
	return xmlNewTextChild(parent, ns, BAD_CAST name, BAD_CAST text);
}

/* Set the text of root's <hash> to the TISS hash in encoding; 0 or -1. */
static int
set_hash(xmlNodePtr root, const char *encoding, char *err, size_t errlen)
{
	xmlNodePtr hash = xml_child(root, "hash");
	char hex[33];

	if (hash == NULL) {
		snprintf(err, errlen, _("the message has no hash element"));
		return -1;
	}
	xmlNodeSetContent(hash, BAD_CAST "");
	if (xml_tiss_hash(root, encoding, hex) != 0) {
		snprintf(err, errlen, _("a value cannot be written in %s"),
		    encoding);
		return -1;
	}
	xmlNodeSetContent(hash, BAD_CAST hex);
	return 0;
}

static void
add_login(xmlNodePtr cab, xmlNsPtr ns, const char *login, const char *md5)
{
	xmlNodePtr n = xmlNewChild(cab, ns, BAD_CAST "loginSenhaPrestador",
	    NULL);

	add(n, ns, "loginPrestador", login);
	add(n, ns, "senhaPrestador", md5);
}

static void
add_cabecalho(xmlNodePtr root, xmlNsPtr ns, const struct tissmsg_cab *c)
{
	xmlNodePtr cab, n;
	char day[16], hour[16], seq[32];
	struct tm tm;

	localtime_r(&c->now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	strftime(hour, sizeof(hour), "%H:%M:%S", &tm);
	snprintf(seq, sizeof(seq), "%lld", (long long)c->now % 1000000000000LL);
	cab = xmlNewChild(root, ns, BAD_CAST "cabecalho", NULL);
	n = xmlNewChild(cab, ns, BAD_CAST "identificacaoTransacao", NULL);
	add(n, ns, "tipoTransacao", c->tipo);
	add(n, ns, "sequencialTransacao", seq);
	add(n, ns, "dataRegistroTransacao", day);
	add(n, ns, "horaRegistroTransacao", hour);
	n = xmlNewChild(cab, ns, BAD_CAST "origem", NULL);
	n = xmlNewChild(n, ns, BAD_CAST "identificacaoPrestador", NULL);
	if (c->ident && c->ident->kind != IDENT_CODIGO)
		add(n, ns, c->ident->element, c->ident->value);
	else
		add(n, ns, "codigoPrestadorNaOperadora", c->prestador);
	n = xmlNewChild(cab, ns, BAD_CAST "destino", NULL);
	add(n, ns, "registroANS", c->registro_ans);
	add(cab, ns, "Padrao", c->padrao);
	if (c->login)
		add_login(cab, ns, c->login, c->senha_md5);
}

xmlDocPtr
tissmsg_status_request(const struct tissmsg_cab *cab, const char *protocolo,
    const char *encoding, char *err, size_t errlen)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, n;
	xmlNsPtr ns;

	root = xmlNewNode(NULL, BAD_CAST "solicitacaoStatusProtocoloWS");
	ns = xmlNewNs(root, BAD_CAST ANS_NS, BAD_CAST "ans");
	xmlSetNs(root, ns);
	xmlDocSetRootElement(doc, root);
	add_cabecalho(root, ns, cab);
	n = xmlNewChild(root, ns, BAD_CAST "solicitacaoStatusProtocolo", NULL);
	add(xmlNewChild(n, ns, BAD_CAST "dadosPrestador", NULL), ns,
	    cab->ident ? cab->ident->contratado : "codigoPrestadorNaOperadora",
	    cab->ident ? cab->ident->value : cab->prestador);
	add(n, ns, "numeroProtocolo", protocolo);
	add(root, ns, "hash", "");
	if (set_hash(root, encoding, err, errlen) != 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

int
tissmsg_add_login(xmlDocPtr doc, const char *login, const char *senha_md5,
    const char *encoding, char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr cab = xml_child(root, "cabecalho");

	if (cab == NULL) {
		snprintf(err, errlen, _("the message has no cabecalho"));
		return -1;
	}
	add_login(cab, cab->ns, login, senha_md5);
	return set_hash(root, encoding, err, errlen);
}

void
tissmsg_soap(xmlDocPtr doc, struct buf *out)
{
	xmlChar *bytes = NULL;
	int len = 0;

	xmlDocDumpMemoryEnc(doc, &bytes, &len, "ISO-8859-1");
	if (bytes == NULL)
		fatal(EXIT_SOFTWARE, _("cannot serialize XML"));
	xml_soap_wrap(out, (const char *)bytes, (size_t)len);
	xmlFree(bytes);
}

/* ---- reading ------------------------------------------------------------- */

static enum tissmsg_verdict
verdict(struct tissmsg_answer *a, enum tissmsg_verdict v, const char *why)
{
	if (why)
		snprintf(a->why, sizeof(a->why), "%s", why);
	return a->verdict = v;
}

/* The local part of a QName ("soap:Server" gives "Server"). */
static const char *
local_name(const char *qname)
{
	const char *colon = strrchr(qname, ':');

	return colon ? colon + 1 : qname;
}

/*
 * A SOAP Fault: only a tissFault naming a business rule, on HTTP 200 or
 * 500 (where SOAP 1.1 puts faults), is the operator's verdict.
 */
static enum tissmsg_verdict
read_fault(xmlNodePtr fault, long status, struct tissmsg_answer *a)
{
	xmlNodePtr ws = xml_child(xml_child(fault, "detail"), "tissFaultWS");
	char fc[64] = "";
	int i;

	xml_child_text(fault, "faultstring", a->text, sizeof(a->text));
	xml_child_text(fault, "faultcode", fc, sizeof(fc));
	if (ws == NULL || xml_child_text(ws, "tissFault", a->code,
	    sizeof(a->code)) == NULL) {
		snprintf(a->code, sizeof(a->code), "%s", fc);
		snprintf(a->why, sizeof(a->why), "a SOAP fault %s with no "
		    "tissFault (HTTP %ld): %.300s", fc[0] ? fc : "(no faultcode)",
		    status, a->text);
		return verdict(a, strcmp(local_name(fc), "Server") == 0 ||
		    status >= 500 ? TISSMSG_UNKNOWN : TISSMSG_GARBLED, NULL);
	}
	snprintf(a->why, sizeof(a->why), "tissFault %.40s (HTTP %ld): %.300s",
	    a->code, status, a->text);
	if (strcmp(a->code, "LoginInvalido") == 0)
		return verdict(a, TISSMSG_LOGIN, NULL);
	if (strcmp(a->code, "ErroInesperadoServidor") == 0)
		return verdict(a, TISSMSG_UNKNOWN, NULL);
	for (i = 0; business_faults[i]; i++)
		if (strcmp(a->code, business_faults[i]) == 0)
			return verdict(a, status == 200 || status == 500 ?
			    TISSMSG_REJECTED : TISSMSG_UNKNOWN, NULL);
	return verdict(a, TISSMSG_GARBLED, NULL);
}

/* An answer that cannot be read: why, for the log. */
static int
garbled(struct tissmsg_answer *a, const char *why)
{
	verdict(a, TISSMSG_GARBLED, why);
	return 0;
}

/*
 * Parse data and find the answer element named want, its schema and
 * hash checked.  Returns 1 with a->doc and *body set; 0 with a->verdict
 * set (a fault, or garbled).
 */
static int
open_answer(const char *data, size_t n, long status, const char *want,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a,
    xmlNodePtr *body)
{
	char err[512], hash[33], given[64];

	memset(a, 0, sizeof(*a));
	a->valor = a->processado = a->glosa = a->liberado = -1;
	if ((a->doc = xml_parse_memory(data ? data : "", n, "answer", err,
	    sizeof(err))) == NULL)
		return garbled(a, err);
	if ((*body = xml_soap_body(a->doc)) == NULL)
		return garbled(a, _("not a SOAP envelope with a body"));
	if (strcmp((const char *)(*body)->name, "Fault") == 0) {
		read_fault(*body, status, a);
		return 0;
	}
	if (strcmp((const char *)(*body)->name, want) != 0) {
		snprintf(err, sizeof(err), _("the answer is a %.64s, not a %s"),
		    (const char *)(*body)->name, want);
		return garbled(a, err);
	}
	if (schema && xml_schema_check_node(schema, *body, err,
	    sizeof(err)) != 0)
		return garbled(a, err);
	if (xml_tiss_hash(*body, encoding, hash) != 0 ||
	    xml_child_text(*body, "hash", given, sizeof(given)) == NULL ||
	    strcasecmp(hash, given) != 0)
		return garbled(a, _("the answer's hash is wrong: it may be "
		    "corrupt"));
	return 1;
}

static enum tissmsg_verdict
read_error(xmlNodePtr m, struct tissmsg_answer *a)
{
	xml_child_text(m, "codigoGlosa", a->code, sizeof(a->code));
	xml_child_text(m, "descricaoGlosa", a->text, sizeof(a->text));
	snprintf(a->why, sizeof(a->why), "mensagemErro %.40s %.300s", a->code,
	    tissmsg_glosa_text(a->code, a->text));
	return verdict(a, TISSMSG_REJECTED, NULL);
}

enum tissmsg_verdict
tissmsg_read_protocolo(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	xmlNodePtr body, rec, p;

	if (!open_answer(data, n, status, "protocoloRecebimentoWS", encoding,
	    schema, a, &body))
		return a->verdict;
	rec = xml_child(body, "recebimentoLote");
	if ((p = xml_child(rec, "mensagemErro")) != NULL)
		return read_error(p, a);
	p = xml_child(rec, "protocoloRecebimento");
	a->detalhe = xml_child(p, "detalheProtocolo");
	if (xml_child_text(p, "numeroLote", a->numero_lote,
	    sizeof(a->numero_lote)) == NULL || xml_child_text(a->detalhe,
	    "numeroProtocolo", a->protocolo, sizeof(a->protocolo)) == NULL ||
	    a->protocolo[0] == '\0')
		return verdict(a, TISSMSG_GARBLED, _("the answer has neither a "
		    "protocolo nor a mensagemErro"));
	xml_child_text(p, "dataEnvioLote", a->data, sizeof(a->data));
	a->valor = xml_child_hundredths(a->detalhe, "valorTotalProtocolo");
	return verdict(a, TISSMSG_OK, NULL);
}

enum tissmsg_verdict
tissmsg_read_situacao(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	xmlNodePtr body, sit, lote, m, v;
	char code[16] = "";

	if (!open_answer(data, n, status, "situacaoProtocoloWS", encoding,
	    schema, a, &body))
		return a->verdict;
	sit = xml_child(body, "situacaoProtocolo");
	lote = xml_child(xml_child(sit, "situacaoDoProtocolo"), "lote");
	if ((m = xml_child(lote, "mensagemErro")) != NULL ||
	    (m = xml_child(sit, "mensagemErro")) != NULL)
		return read_error(m, a);
	a->detalhe = xml_child(lote, "detalheLote");
	if (xml_child_text(a->detalhe, "numeroProtocolo", a->protocolo,
	    sizeof(a->protocolo)) == NULL || xml_child_text(a->detalhe,
	    "statusProtocolo", code, sizeof(code)) == NULL ||
	    !tissver_status_known(a->status = atoi(code)))
		return verdict(a, TISSMSG_GARBLED, _("the answer has no "
		    "protocolo with a status of dm_statusProtocolo"));
	xml_child_text(a->detalhe, "numeroLote", a->numero_lote,
	    sizeof(a->numero_lote));
	v = xml_child(a->detalhe, "valorTotalLote");
	a->processado = xml_child_hundredths(v, "valorProcessado");
	a->glosa = xml_child_hundredths(v, "valorGlosa");
	a->liberado = xml_child_hundredths(v, "valorLiberado");
	return verdict(a, TISSMSG_OK, NULL);
}

void
tissmsg_answer_release(struct tissmsg_answer *a)
{
	xmlFreeDoc(a->doc);
	a->doc = NULL;
	a->detalhe = NULL;
}
