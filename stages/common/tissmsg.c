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

/* A new document with root name and its cabecalho; *ns its namespace. */
static xmlDocPtr
new_message(const char *name, const struct tissmsg_cab *cab, xmlNodePtr *root,
    xmlNsPtr *ns)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");

	*root = xmlNewNode(NULL, BAD_CAST name);
	*ns = xmlNewNs(*root, BAD_CAST ANS_NS, BAD_CAST "ans");
	xmlSetNs(*root, *ns);
	xmlDocSetRootElement(doc, *root);
	add_cabecalho(*root, *ns, cab);
	return doc;
}

/* Close a message: its hash; doc, or NULL (freed) with err. */
static xmlDocPtr
end_message(xmlDocPtr doc, xmlNodePtr root, xmlNsPtr ns,
    const char *encoding, char *err, size_t errlen)
{
	add(root, ns, "hash", "");
	if (set_hash(root, encoding, err, errlen) != 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

static xmlNodePtr
add_prestador(xmlNodePtr parent, xmlNsPtr ns, const char *name,
    const char *prestador)
{
	xmlNodePtr n = xmlNewChild(parent, ns, BAD_CAST name, NULL);

	add(n, ns, "codigoPrestadorNaOperadora", prestador);
	return n;
}

xmlDocPtr
tissmsg_status_request(const struct tissmsg_cab *cab, const char *protocolo,
    const char *encoding, char *err, size_t errlen)
{
	xmlNodePtr root, n;
	xmlNsPtr ns;
	xmlDocPtr doc = new_message("solicitacaoStatusProtocoloWS", cab, &root,
	    &ns);

	n = xmlNewChild(root, ns, BAD_CAST "solicitacaoStatusProtocolo", NULL);
	add(xmlNewChild(n, ns, BAD_CAST "dadosPrestador", NULL), ns,
	    cab->ident ? cab->ident->contratado : "codigoPrestadorNaOperadora",
	    cab->ident ? cab->ident->value : cab->prestador);
	add(n, ns, "numeroProtocolo", protocolo);
	return end_message(doc, root, ns, encoding, err, errlen);
}

xmlDocPtr
tissmsg_demonstrativo_request(const struct tissmsg_cab *cab,
    const char *competencia, const char *data, const char *protocolo,
    const char *encoding, char *err, size_t errlen)
{
	xmlNodePtr root, n, p;
	xmlNsPtr ns;
	xmlDocPtr doc = new_message("solicitacaoDemonstrativoRetornoWS", cab,
	    &root, &ns);
	char day[16], comp[8];
	struct tm tm;

	localtime_r(&cab->now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	n = xmlNewChild(root, ns, BAD_CAST "solicitacaoDemonstrativoRetorno",
	    NULL);
	n = xmlNewChild(n, ns, BAD_CAST (protocolo ? "demonstrativoAnalise" :
	    "demonstrativoPagamento"), NULL);
	add_prestador(n, ns, "dadosPrestador", cab->prestador);
	add(n, ns, "dataSolicitacao", day);
	if (protocolo) {
		add(xmlNewChild(n, ns, BAD_CAST "protocolos", NULL), ns,
		    "numeroProtocolo", protocolo);
		return end_message(doc, root, ns, encoding, err, errlen);
	}
	add(n, ns, "tipoDemonstrativo", "3");
	p = xmlNewChild(n, ns, BAD_CAST "periodo", NULL);
	if (competencia) {
		snprintf(comp, sizeof(comp), "%.4s%.2s", competencia,
		    competencia + (strlen(competencia) > 5 ? 5 : 0));
		add(p, ns, "competencia", comp);
	} else
		add(p, ns, "dataPagamento", data);
	return end_message(doc, root, ns, encoding, err, errlen);
}

xmlDocPtr
tissmsg_recurso_status_request(const struct tissmsg_cab *cab,
    const char *protocolo, const char *encoding, char *err, size_t errlen)
{
	xmlNodePtr root, n;
	xmlNsPtr ns;
	xmlDocPtr doc = new_message("solicitacaoStatusRecursoGlosaWS", cab,
	    &root, &ns);

	n = xmlNewChild(root, ns, BAD_CAST "solicitacaoStatusProtocoloRecurso",
	    NULL);
	add_prestador(n, ns, "dadosPrestador", cab->prestador);
	add(n, ns, "numeroProtocolo", protocolo);
	return end_message(doc, root, ns, encoding, err, errlen);
}

xmlDocPtr
tissmsg_cancela_request(const struct tissmsg_cab *cab, const char *guia,
    const char *guia_operadora, const char *protocolo, const char *encoding,
    char *err, size_t errlen)
{
	xmlNodePtr root, n;
	xmlNsPtr ns;
	xmlDocPtr doc = new_message("cancelaGuiaWS", cab, &root, &ns);

	n = xmlNewChild(root, ns, BAD_CAST "cancelaGuia", NULL);
	add_prestador(n, ns, "dadosPrestador", cab->prestador);
	n = xmlNewChild(n, ns, BAD_CAST "tipoCancelamento", NULL);
	n = xmlNewChild(n, ns, BAD_CAST "tipoCancelamentoGuia", NULL);
	add(n, ns, "tipoGuia", "2");
	add(n, ns, "numeroGuiaPrestador", guia);
	if (guia_operadora && *guia_operadora)
		add(n, ns, "numeroGuiaOperadora", guia_operadora);
	if (protocolo && *protocolo)
		add(n, ns, "numeroProtocolo", protocolo);
	return end_message(doc, root, ns, encoding, err, errlen);
}

static void
add_money(xmlNodePtr parent, xmlNsPtr ns, const char *name, int64_t v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld.%02lld", (long long)(v / 100),
	    (long long)(v % 100));
	add(parent, ns, name, s);
}

static void
add_recurso_item(xmlNodePtr g, xmlNsPtr ns, const struct tissmsg_recurso_item *it)
{
	xmlNodePtr n = xmlNewChild(g, ns, BAD_CAST "recursoProcedimento", NULL);
	xmlNodePtr d, p;
	char s[32];

	snprintf(s, sizeof(s), "%ld", it->seq);
	add(n, ns, "sequencialItem", s);
	add(n, ns, "dataRealizacao", it->data);
	if ((it->dente && *it->dente) || (it->regiao && *it->regiao)) {
		d = xmlNewChild(n, ns, BAD_CAST "denteRegiao", NULL);
		if (it->dente && *it->dente)
			add(d, ns, "codDente", it->dente);
		else
			add(d, ns, "codRegiao", it->regiao);
	}
	if (it->face && *it->face)
		add(n, ns, "denteFace", it->face);
	snprintf(s, sizeof(s), "%ld", it->qtd);
	add(n, ns, "quantidade", s);
	p = xmlNewChild(n, ns, BAD_CAST "procRecurso", NULL);
	add(p, ns, "codigoTabela", it->tabela);
	add(p, ns, "codigoProcedimento", it->codigo);
	add(p, ns, "descricaoProcedimento", it->descricao);
	add(n, ns, "codGlosaProc", it->glosa);
	add(n, ns, "justificativaProc", it->justificativa);
	add_money(n, ns, "valorRecursado", it->valor);
}

xmlDocPtr
tissmsg_recurso_lote(const struct tissmsg_cab *cab,
    const struct tissmsg_recurso *r, const char *encoding, char *err,
    size_t errlen)
{
	xmlNodePtr root, n, o, g = NULL;
	xmlNsPtr ns;
	xmlDocPtr doc = new_message("loteRecursoGlosaWS", cab, &root, &ns);
	const struct tissmsg_recurso_item *it;
	int64_t total = 0;
	long i;

	n = xmlNewChild(xmlNewChild(root, ns, BAD_CAST "loteRecurso", NULL),
	    ns, BAD_CAST "guiaRecursoGlosaOdonto", NULL);
	add(n, ns, "registroANS", cab->registro_ans);
	add(n, ns, "numeroGuiaRecGlosaPrestador", r->numero);
	add(n, ns, "nomeOperadora", r->nome_operadora);
	add(n, ns, "objetoRecurso", "2");
	add_prestador(n, ns, "dadosContratado", cab->prestador);
	add(n, ns, "numeroLote", r->lote);
	add(n, ns, "numeroProtocolo", r->protocolo);
	o = xmlNewChild(n, ns, BAD_CAST "opcaoRecurso", NULL);
	for (i = 0; i < r->n; i++) {
		it = &r->item[i];
		if (i == 0 || strcmp(it->guia, r->item[i - 1].guia) != 0) {
			g = xmlNewChild(o, ns, BAD_CAST "recursoGuia", NULL);
			add(g, ns, "numeroGuiaPrestador", it->guia);
			if (it->guia_op && *it->guia_op)
				add(g, ns, "numeroGuiaOperadora", it->guia_op);
			add(g, ns, "codGlosaGuia", it->glosa);
			add(g, ns, "justificativaGuia", it->justificativa);
		}
		add_recurso_item(g, ns, it);
		total += it->valor;
	}
	add_money(n, ns, "valorTotalRecursado", total);
	add(n, ns, "dataRecurso", r->data);
	return end_message(doc, root, ns, encoding, err, errlen);
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
 * A SOAP Fault to a request of kind (the rule is in tissmsg.h): only a
 * tissFault naming a business rule, on HTTP 200 or 500 (where SOAP 1.1
 * puts faults), is the operator's verdict; a server's failure is
 * unknown; any other fault is unknown after a query and needs a person
 * after a send.
 */
static enum tissmsg_verdict
read_fault(xmlNodePtr fault, long status, enum tissmsg_kind kind,
    struct tissmsg_answer *a)
{
	xmlNodePtr ws = xml_child(xml_child(fault, "detail"), "tissFaultWS");
	enum tissmsg_verdict other = kind == TISSMSG_SEND ? TISSMSG_GARBLED :
	    TISSMSG_UNKNOWN;
	char fc[64] = "";
	int i;

	a->fault = 1;
	xml_child_text(fault, "faultstring", a->text, sizeof(a->text));
	xml_child_text(fault, "faultcode", fc, sizeof(fc));
	if (ws == NULL || xml_child_text(ws, "tissFault", a->code,
	    sizeof(a->code)) == NULL) {
		snprintf(a->code, sizeof(a->code), "%s", fc);
		snprintf(a->why, sizeof(a->why), "a SOAP fault %s with no "
		    "tissFault (HTTP %ld): %.300s", fc[0] ? fc : "(no faultcode)",
		    status, a->text);
		return verdict(a, strcmp(local_name(fc), "Server") == 0 ||
		    status >= 500 ? TISSMSG_UNKNOWN : other, NULL);
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
	return verdict(a, other, NULL);
}

/* An answer that cannot be read: why, for the log. */
static int
garbled(struct tissmsg_answer *a, const char *why)
{
	verdict(a, TISSMSG_GARBLED, why);
	return 0;
}

int
tissmsg_open(const char *data, size_t n, long status, enum tissmsg_kind kind,
    const char *want, const char *encoding, xmlSchemaPtr schema,
    struct tissmsg_answer *a, xmlNodePtr *body)
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
		read_fault(*body, status, kind, a);
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

/*
 * tissmsg_open for an answer want whose child inner holds either the
 * operator's mensagemErro or what the caller reads.  Returns 1 with
 * *in set when there is something to read; 0 when a->verdict is given
 * already (a fault, an unreadable answer, the mensagemErro).
 */
static int
open_answer(const char *data, size_t n, long status, enum tissmsg_kind kind,
    const char *want, const char *inner, const char *encoding,
    xmlSchemaPtr schema, struct tissmsg_answer *a, xmlNodePtr *in)
{
	xmlNodePtr body, m;

	if (!tissmsg_open(data, n, status, kind, want, encoding, schema, a,
	    &body))
		return 0;
	*in = xml_child(body, inner);
	if ((m = xml_child(*in, "mensagemErro")) != NULL) {
		read_error(m, a);
		return 0;
	}
	return 1;
}

/*
 * A protocoloRecebimento, the operator's receipt of a lote or of a
 * recurso: where each answer keeps its figures.  want and inner are the
 * answer and its child (open_answer); detalhe the child that holds the
 * protocolo and the value (NULL: the receipt itself); protocolo, data
 * and valor their elements; need_lote set when numeroLote must be there.
 */
struct receipt {
	const char *want, *inner;
	const char *detalhe;
	const char *protocolo, *data, *valor;
	int	 need_lote;
};

static const struct receipt lote_receipt = { "protocoloRecebimentoWS",
	"recebimentoLote", "detalheProtocolo", "numeroProtocolo",
	"dataEnvioLote", "valorTotalProtocolo", 1 };
static const struct receipt recurso_receipt = {
	"protocoloRecebimentoRecursoWS", "recebimentoRecurso", NULL,
	"nrProtocoloRecursoGlosa", "dataRecebimentoRecurso",
	"valorTotalRecursado", 0 };

/* The receipt in data (tissmsg_read_protocolo), its figures where r says. */
static enum tissmsg_verdict
read_receipt(const struct receipt *r, const char *data, size_t n,
    long status, const char *encoding, xmlSchemaPtr schema,
    struct tissmsg_answer *a)
{
	xmlNodePtr rec, p;
	int lote;

	if (!open_answer(data, n, status, TISSMSG_SEND, r->want, r->inner,
	    encoding, schema, a, &rec))
		return a->verdict;
	p = xml_child(rec, "protocoloRecebimento");
	a->detalhe = r->detalhe ? xml_child(p, r->detalhe) : p;
	lote = xml_child_text(p, "numeroLote", a->numero_lote,
	    sizeof(a->numero_lote)) != NULL;
	if ((r->need_lote && !lote) || xml_child_text(a->detalhe,
	    r->protocolo, a->protocolo, sizeof(a->protocolo)) == NULL ||
	    a->protocolo[0] == '\0')
		return verdict(a, TISSMSG_GARBLED, _("the answer has neither a "
		    "protocolo nor a mensagemErro"));
	xml_child_text(p, r->data, a->data, sizeof(a->data));
	a->valor = xml_child_hundredths(a->detalhe, r->valor);
	return verdict(a, TISSMSG_OK, NULL);
}

enum tissmsg_verdict
tissmsg_read_protocolo(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	return read_receipt(&lote_receipt, data, n, status, encoding, schema,
	    a);
}

enum tissmsg_verdict
tissmsg_read_situacao(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	xmlNodePtr body, sit, lote, m, v;
	char code[16] = "";

	if (!tissmsg_open(data, n, status, TISSMSG_QUERY,
	    "situacaoProtocoloWS", encoding, schema, a, &body))
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

enum tissmsg_verdict
tissmsg_read_recurso(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	return read_receipt(&recurso_receipt, data, n, status, encoding,
	    schema, a);
}

enum tissmsg_verdict
tissmsg_read_recurso_situacao(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	xmlNodePtr sit, p;
	char code[16] = "";

	if (!open_answer(data, n, status, TISSMSG_QUERY,
	    "situacaoProtocoloRecursoWS", "situacaoProtocoloRecurso",
	    encoding, schema, a, &sit))
		return a->verdict;
	if ((p = xml_child(sit, "reciboGlosaOdonto")) != NULL) {
		a->detalhe = p;
		a->status = 0;
		a->valor = xml_child_hundredths(p, "valorTotalAcatado");
		xml_child_text(p, "numeroGuiaRecGlosaPrestador",
		    a->numero_lote, sizeof(a->numero_lote));
		return verdict(a, a->valor < 0 ? TISSMSG_GARBLED : TISSMSG_OK,
		    a->valor < 0 ? "the recibo has no valorTotalAcatado" :
		    NULL);
	}
	p = xml_child(sit, "reciboGlosaStatus");
	if (xml_child_text(p, "nrProtocoloRecursoGlosa", a->protocolo,
	    sizeof(a->protocolo)) == NULL || xml_child_text(p,
	    "situacaoProtocolo", code, sizeof(code)) == NULL ||
	    (a->status = atoi(code)) < 1 || a->status > 10)
		return verdict(a, TISSMSG_GARBLED, "the answer has neither a "
		    "recibo nor a status");
	a->detalhe = p;
	return verdict(a, TISSMSG_OK, NULL);
}

enum tissmsg_verdict
tissmsg_read_cancela(const char *data, size_t n, long status,
    const char *encoding, xmlSchemaPtr schema, struct tissmsg_answer *a)
{
	xmlNodePtr rec, p, st;
	char code[16] = "";

	if (!open_answer(data, n, status, TISSMSG_SEND,
	    "reciboCancelaGuiaWS", "reciboCancelaGuia", encoding, schema, a,
	    &rec))
		return a->verdict;
	a->detalhe = st = xml_child(xml_child(rec, "reciboCancelaGuia"),
	    "retornoStatus");
	if ((p = xml_child(st, "loteCancelado")) == NULL)
		p = xml_child(xml_child(st, "guiasCanceladas"), "dadosGuia");
	if (xml_child_text(p, "statusCancelamento", code, sizeof(code)) ==
	    NULL || (a->status = atoi(code)) < 1 || a->status > 6)
		return verdict(a, TISSMSG_GARBLED, "the recibo has no "
		    "statusCancelamento");
	return verdict(a, TISSMSG_OK, NULL);
}

void
tissmsg_answer_release(struct tissmsg_answer *a)
{
	xmlFreeDoc(a->doc);
	a->doc = NULL;
	a->detalhe = NULL;
}
