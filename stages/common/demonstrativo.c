#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "demonstrativo.h"
#include "tissmsg.h"
#include "i18n.h"
#include "util.h"
#include "xml.h"

/* dm_tipoGlosa codes a dental demonstrativo often gives (TUSS table 38). */
static const struct {
	const char *code, *text;
} glosa_texts[] = {
	{ "1001", "número da carteira inválido" },
	{ "1702", "cobrança de procedimento não executado" },
	{ "1705", "valor apresentado a maior" },
	{ "1801", "procedimento inválido" },
	{ "1803", "idade do beneficiário incompatível com o procedimento" },
	{ "2001", "dente/região inválido" },
	{ "2011", "face inválida" },
	{ "3007", "procedimentos odontológicos duplicados" },
	{ "3052", "procedimento sem autorização prévia" },
};

const char *
demo_glosa_text(const char *code)
{
	size_t i;

	for (i = 0; i < sizeof(glosa_texts) / sizeof(glosa_texts[0]); i++)
		if (strcmp(glosa_texts[i].code, code) == 0)
			return glosa_texts[i].text;
	return NULL;
}

void
demo_release(struct demo *d)
{
	struct demo *e = d->next, *next;

	for (; e != NULL; e = next) {
		next = e->next;
		e->next = NULL;
		demo_release(e);
		free(e);
	}
	free(d->guia);
	free(d->item);
	free(d->glosas);
	memset(d, 0, sizeof(*d));
}

static enum demo_kind
demo_fail(struct demo *d, enum demo_kind k, const char *why)
{
	snprintf(d->why, sizeof(d->why), "%s", why);
	if (k == DEMO_GARBLED)
		d->verdict = TISSMSG_GARBLED;
	return d->kind = k;
}

/* A money child that must be there: -1 (and *bad set) when not. */
static int64_t
money(xmlNodePtr n, const char *name, int *bad)
{
	int64_t v = xml_child_hundredths(n, name);

	if (v < 0)
		*bad = 1;
	return v;
}

/*
 * The elements that hold the five values of a guide or an item in each
 * form, in the order of struct demo_values; NULL where the form has none.
 */
struct value_names {
	const char *informado, *processado, *glosa, *franquia, *liberado;
};

static const struct value_names item_pagamento = { "valorInformado",
	"valorProcessado", "valorGlosaEstorno", "valorFranquia",
	"valorLiberado" };
static const struct value_names guia_pagamento = {
	"valorTotalInformadoGuia", "valorTotalProcessadoGuia",
	"valorTotalGlosaGuia", "valorTotalFranquiaGuia",
	"valorTotalLiberadoGuia" };
static const struct value_names item_analise = { "valorInformado",
	"valorProcessado", NULL, NULL, "valorLiberado" };
static const struct value_names guia_analise = { "valorInformadoGuia",
	"valorProcessadoGuia", NULL, NULL, "valorLiberadoGuia" };

/* A value the form must give (money), or -1 when name is NULL. */
static int64_t
value(xmlNodePtr n, const char *name, int *bad)
{
	return name != NULL ? money(n, name, bad) : -1;
}

/* The values under n that the form names nm (*bad set when one is missing). */
static void
values(xmlNodePtr n, const struct value_names *nm, struct demo_values *v,
    int *bad)
{
	v->informado = value(n, nm->informado, bad);
	v->processado = value(n, nm->processado, bad);
	v->glosa = value(n, nm->glosa, bad);
	v->franquia = value(n, nm->franquia, bad);
	v->liberado = value(n, nm->liberado, bad);
}

static void
text(xmlNodePtr n, const char *name, char *out, size_t len)
{
	if (xml_child_text(n, name, out, len) == NULL)
		out[0] = '\0';
}

/* Every name child of n, in order (a loop over repeated elements). */
#define EACH(c, n, nm) \
	for ((c) = xml_child((n), (nm)); (c); (c) = xmlNextElementSibling(c)) \
		if (strcmp((const char *)(c)->name, (nm)) == 0)

static void
add_glosa(struct demo *d, long item, const char *code, const char *given)
{
	struct demo_glosa *g;

	d->glosas = xrealloc(d->glosas, (size_t)(d->nglosa + 1) *
	    sizeof(*d->glosas));
	g = &d->glosas[d->nglosa++];
	g->guia = d->nguia - 1;
	g->item = item;
	snprintf(g->code, sizeof(g->code), "%s", code);
	snprintf(g->text, sizeof(g->text), "%s", given ? given : "");
}

/*
 * A new item at the end of d's, of the last guide, with what both forms
 * write alike under p: sequencialItem (*bad set when not a number above
 * 0), the procedimento and dataRealizacao.
 */
static struct demo_item *
add_item(struct demo *d, xmlNodePtr p, int *bad)
{
	struct demo_item *it;
	xmlNodePtr proc = xml_child(p, "procedimento");
	char buf[32];

	d->item = xrealloc(d->item, (size_t)(d->nitem + 1) * sizeof(*d->item));
	it = &d->item[d->nitem++];
	memset(it, 0, sizeof(*it));
	it->guia = d->nguia - 1;
	text(p, "sequencialItem", buf, sizeof(buf));
	if ((it->seq = atol(buf)) < 1)
		*bad = 1;
	text(proc, "codigoTabela", it->tabela, sizeof(it->tabela));
	text(proc, "codigoProcedimento", it->codigo, sizeof(it->codigo));
	text(proc, "descricaoProcedimento", it->descricao,
	    sizeof(it->descricao));
	text(p, "dataRealizacao", it->data, sizeof(it->data));
	return it;
}

/* One dadosPagamento of a guide (an item, cto_demonstrativoOdontologia). */
static int
read_item(struct demo *d, xmlNodePtr p)
{
	struct demo_item *it;
	xmlNodePtr c;
	char buf[32];
	int bad = 0;

	it = add_item(d, p, &bad);
	text(xml_child(p, "denteRegiao"), "codDente", it->dente,
	    sizeof(it->dente));
	text(xml_child(p, "denteRegiao"), "codRegiao", it->regiao,
	    sizeof(it->regiao));
	text(p, "denteFace", it->face, sizeof(it->face));
	text(p, "qtdProc", buf, sizeof(buf));
	it->qtd = atol(buf);
	values(p, &item_pagamento, &it->val, &bad);
	EACH(c, p, "codigosGlosa") {
		xmlChar *t = xmlNodeGetContent(c);

		add_glosa(d, it->seq, t ? (const char *)t : "", NULL);
		xmlFree(t);
	}
	return bad ? -1 : 0;
}

/*
 * A new guide at the end of d's, with what both forms write alike: the
 * lote number (element lote under prot: the forms name it differently),
 * the protocolo, and the guide's numbers under g (*bad set when the
 * prestador's is missing).
 */
static struct demo_guia *
add_guia(struct demo *d, xmlNodePtr g, xmlNodePtr prot, const char *lote,
    int *bad)
{
	struct demo_guia *dg;

	d->guia = xrealloc(d->guia, (size_t)(d->nguia + 1) * sizeof(*d->guia));
	dg = &d->guia[d->nguia++];
	memset(dg, 0, sizeof(*dg));
	text(prot, lote, dg->lote, sizeof(dg->lote));
	text(prot, "numeroProtocolo", dg->protocolo, sizeof(dg->protocolo));
	text(g, "numeroGuiaPrestador", dg->numero, sizeof(dg->numero));
	text(g, "numeroGuiaOperadora", dg->numero_op, sizeof(dg->numero_op));
	if (dg->numero[0] == '\0')
		*bad = 1;
	return dg;
}

/* Every child name of g, an item, read by read; -1 when one is bad. */
static int
read_items(struct demo *d, xmlNodePtr g, const char *name,
    int (*read)(struct demo *, xmlNodePtr))
{
	xmlNodePtr p;
	int bad = 0;

	EACH(p, g, name)
		if (read(d, p) != 0)
			bad = 1;
	return bad ? -1 : 0;
}

/* One dadosPagamentoGuia, under a protocolo and a payment. */
static int
read_guia(struct demo *d, xmlNodePtr g, xmlNodePtr prot, xmlNodePtr pag)
{
	struct demo_guia *dg;
	int bad = 0;

	dg = add_guia(d, g, prot, "numeroLote", &bad);
	text(pag, "dataPagamento", dg->data_pag, sizeof(dg->data_pag));
	text(pag, "banco", dg->banco, sizeof(dg->banco));
	text(pag, "agencia", dg->agencia, sizeof(dg->agencia));
	text(pag, "conta", dg->conta, sizeof(dg->conta));
	values(g, &guia_pagamento, &dg->val, &bad);
	if (read_items(d, g, "dadosPagamento", read_item) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

static enum demo_kind
read_pagamento(struct demo *d, xmlNodePtr o)
{
	xmlNodePtr cab = xml_child(o, "cabecalhoDemonstrativoOdonto");
	xmlNodePtr per = xml_child(cab, "periodoProc"), t, bydate, prot, g;
	int bad = 0;

	text(cab, "registroANS", d->registro_ans, sizeof(d->registro_ans));
	text(cab, "numeroDemonstrativo", d->numero, sizeof(d->numero));
	text(per, "datainicio", d->inicio, sizeof(d->inicio));
	text(per, "datafim", d->fim, sizeof(d->fim));
	text(xml_child(o, "dadosPrestador"), "codigoPrestador", d->prestador,
	    sizeof(d->prestador));
	t = xml_child(o, "totaisBrutoDemonstrativo");
	d->informado = money(t, "valorInformadoPorDemonstrativoData", &bad);
	d->processado = money(t, "valorlProcessadoPorDemonstrativo", &bad);
	d->glosa = money(t, "valorlGlosaPorDemonstrativo", &bad);
	d->liberado = money(t, "valorLiberadoPorDemonstrativo", &bad);
	d->recebido = money(o, "valorRecebidoDemonstrativo", &bad);
	EACH(bydate, o, "dadosPagamentoPorData")
		EACH(prot, bydate, "protocolos")
			EACH(g, prot, "dadosPagamentoGuia")
				if (read_guia(d, g, prot, xml_child(bydate,
				    "dadosPagamento")) != 0)
					bad = 1;
	if (bad || d->numero[0] == '\0' || d->prestador[0] == '\0')
		return demo_fail(d, DEMO_GARBLED, _("the demonstrativo lacks a "
		    "number, the prestador or a value"));
	return d->kind = DEMO_PAGAMENTO;
}

/* One detalhesGuia of a relacaoGuias (an item, ct_contaMedicaResumo). */
static int
read_detalhe(struct demo *d, xmlNodePtr p)
{
	struct demo_item *it;
	xmlNodePtr g;
	char buf[32], code[16];
	int bad = 0;
	int64_t v;

	it = add_item(d, p, &bad);
	text(p, "qtdExecutada", buf, sizeof(buf));
	it->qtd = atol(buf);
	values(p, &item_analise, &it->val, &bad);
	it->val.glosa = 0;	/* the sum of its relacaoGlosa */
	EACH(g, p, "relacaoGlosa") {
		if ((v = money(g, "valorGlosa", &bad)) > 0)
			it->val.glosa += v;
		text(g, "tipoGlosa", code, sizeof(code));
		add_glosa(d, it->seq, code, NULL);
	}
	return bad ? -1 : 0;
}

/* One relacaoGuias of a dadosProtocolo. */
static int
read_relacao(struct demo *d, xmlNodePtr g, xmlNodePtr prot)
{
	struct demo_guia *dg;
	xmlNodePtr p;
	char code[16], desc[160];
	int bad = 0;

	dg = add_guia(d, g, prot, "numeroLotePrestador", &bad);
	values(g, &guia_analise, &dg->val, &bad);
	dg->val.glosa = xml_child_hundredths(g, "valorGlosaGuia");
	if (dg->val.glosa < 0 && dg->val.processado >= 0 &&
	    dg->val.liberado >= 0)
		dg->val.glosa = dg->val.processado - dg->val.liberado;
	EACH(p, g, "motivoGlosaGuia") {
		text(p, "codigoGlosa", code, sizeof(code));
		text(p, "descricaoGlosa", desc, sizeof(desc));
		add_glosa(d, 0, code, desc);
	}
	if (read_items(d, g, "detalhesGuia", read_detalhe) != 0)
		bad = 1;
	return bad ? -1 : 0;
}

/*
 * A demonstrativoAnaliseConta (ctm_, the form an operator also uses for
 * dental accounts): header, totals, and per protocolo each guide with
 * its items and glosas.  No payment date: it says what was analysed.
 */
static enum demo_kind
read_analise(struct demo *d, xmlNodePtr o)
{
	xmlNodePtr cab = xml_child(o, "cabecalhoDemonstrativo"), prot, g;
	int bad = 0;

	text(cab, "registroANS", d->registro_ans, sizeof(d->registro_ans));
	text(cab, "numeroDemonstrativo", d->numero, sizeof(d->numero));
	text(cab, "dataEmissao", d->inicio, sizeof(d->inicio));
	text(xml_child(xml_child(o, "dadosPrestador"), "dadosContratado"),
	    "codigoPrestadorNaOperadora", d->prestador, sizeof(d->prestador));
	d->informado = money(o, "valorInformadoGeral", &bad);
	d->processado = money(o, "valorProcessadoGeral", &bad);
	d->liberado = money(o, "valorLiberadoGeral", &bad);
	d->glosa = xml_child_hundredths(o, "valorGlosaGeral");
	d->recebido = -1;
	EACH(prot, xml_child(o, "dadosConta"), "dadosProtocolo")
		EACH(g, prot, "relacaoGuias")
			if (read_relacao(d, g, prot) != 0)
				bad = 1;
	if (bad || d->numero[0] == '\0' || d->prestador[0] == '\0')
		return demo_fail(d, DEMO_GARBLED, _("the demonstrativo de análise "
		    "lacks a number, the prestador or a value"));
	return d->kind = DEMO_ANALISE;
}

/*
 * The demonstrativoAnaliseConta c (hashed into d already) and the ones
 * after it: the first into d, each further one into a demo chained on
 * d->next.  All or nothing: one that does not read makes d GARBLED.
 */
static enum demo_kind
read_analises(struct demo *d, xmlNodePtr c)
{
	struct demo **tail = &d->next, *e;
	char why[sizeof(d->why)];
	int n = 1;

	if (read_analise(d, c) != DEMO_ANALISE)
		return d->kind;
	while ((c = xmlNextElementSibling(c)) != NULL) {
		if (++n > DEMO_MAX_ANALISES)
			return demo_fail(d, DEMO_GARBLED, _("more than 30 "
			    "demonstrativos de análise in one answer"));
		*tail = e = xcalloc(1, sizeof(*e));
		tail = &e->next;
		if (xml_tiss_hash(c, "UTF-8", e->hash) != 0)
			return demo_fail(d, DEMO_GARBLED, _("cannot hash it"));
		if (read_analise(e, c) != DEMO_ANALISE) {
			snprintf(why, sizeof(why), _("demonstrativo de análise "
			    "%s: %s"), e->numero[0] ? e->numero : "?", e->why);
			return demo_fail(d, DEMO_GARBLED, why);
		}
	}
	return d->kind;
}

/* The ct_demonstrativoRetorno element r: which of its choices. */
static enum demo_kind
read_retorno(struct demo *d, xmlNodePtr r)
{
	xmlNodePtr c = r ? xmlFirstElementChild(r) : NULL;
	char buf[16];

	if (c == NULL)
		return demo_fail(d, DEMO_GARBLED, _("no demonstrativoRetorno"));
	if (xml_tiss_hash(c, "UTF-8", d->hash) != 0)
		return demo_fail(d, DEMO_GARBLED, _("cannot hash it"));
	if (strcmp((const char *)c->name, "demonstrativoPagamentoOdonto") == 0)
		return read_pagamento(d, c);
	if (strcmp((const char *)c->name, "demonstrativoAnaliseConta") == 0)
		return read_analises(d, c);
	if (strcmp((const char *)c->name, "situacaoDemonstrativoRetorno") ==
	    0) {
		text(c, "situacaoDemonstrativo", buf, sizeof(buf));
		d->status = atoi(buf);
		text(c, "numeroProtocolo", d->numero, sizeof(d->numero));
		return d->kind = DEMO_NOT_READY;
	}
	if (strcmp((const char *)c->name, "mensagemErro") == 0) {
		text(c, "codigoGlosa", d->code, sizeof(d->code));
		text(c, "descricaoGlosa", d->why, sizeof(d->why));
		return d->kind = DEMO_ERROR;
	}
	return demo_fail(d, DEMO_GARBLED, _("a demonstrativo this program does "
	    "not read (not odontológico)"));
}

/* A file: a mensagemTISS or a bare demonstrativoRetornoWS. */
static enum demo_kind
read_file_doc(struct demo *d, xmlDocPtr doc, const char *encoding,
    xmlSchemaPtr ws_schema, xmlSchemaPtr msg_schema)
{
	xmlNodePtr root = xmlDocGetRootElement(doc), hn, r;
	char err[512], hash[33], given[64] = "";

	if (root && strcmp((const char *)root->name, "mensagemTISS") == 0) {
		if (msg_schema && xml_schema_check(msg_schema, doc, err,
		    sizeof(err)) != 0)
			return demo_fail(d, DEMO_GARBLED, err);
		hn = xml_child(root, "epilogo");
		r = xml_child(xml_child(root, "operadoraParaPrestador"),
		    "demonstrativosRetorno");
	} else if (root && strcmp((const char *)root->name,
	    "demonstrativoRetornoWS") == 0) {
		if (ws_schema && xml_schema_check_node(ws_schema, root, err,
		    sizeof(err)) != 0)
			return demo_fail(d, DEMO_GARBLED, err);
		hn = root;
		r = xml_child(root, "demonstrativoRetorno");
	} else
		return demo_fail(d, DEMO_GARBLED, _("neither a mensagemTISS nor "
		    "a demonstrativoRetornoWS"));
	if (xml_tiss_hash(root, encoding, hash) != 0 ||
	    xml_child_text(hn, "hash", given, sizeof(given)) == NULL ||
	    strcasecmp(hash, given) != 0)
		return demo_fail(d, DEMO_GARBLED, _("the file's hash is wrong: it "
		    "may be corrupt or edited"));
	if (r == NULL)
		return demo_fail(d, DEMO_GARBLED, _("the message holds no "
		    "demonstrativo"));
	return read_retorno(d, r);
}

enum demo_kind
demo_read(const char *data, size_t n, long status, const char *encoding,
    xmlSchemaPtr ws_schema, xmlSchemaPtr msg_schema, struct demo *d)
{
	struct tissmsg_answer a;
	xmlNodePtr body;
	xmlDocPtr doc;
	char err[512];

	memset(d, 0, sizeof(*d));
	if ((size_t)n > (size_t)DEMO_MAX_BYTES)
		return demo_fail(d, DEMO_GARBLED, _("larger than 16 MiB"));
	if (status >= 0) {
		if (!tissmsg_open(data, n, status, TISSMSG_QUERY,
		    "demonstrativoRetornoWS", encoding, ws_schema, &a,
		    &body)) {
			snprintf(d->code, sizeof(d->code), "%s", a.code);
			demo_fail(d, a.fault ? DEMO_FAULT : DEMO_GARBLED, a.why);
			d->verdict = a.verdict;
			d->fault = a.fault;
		} else
			read_retorno(d, xml_child(body,
			    "demonstrativoRetorno"));
		tissmsg_answer_release(&a);
		return d->kind;
	}
	if ((doc = xml_parse_memory(data ? data : "", n, "file", err,
	    sizeof(err))) == NULL)
		return demo_fail(d, DEMO_GARBLED, err);
	read_file_doc(d, doc, encoding, ws_schema, msg_schema);
	xmlFreeDoc(doc);
	return d->kind;
}

/* ---- storing ------------------------------------------------------------- */

static const char *const kind_name[] = {
	[DEMO_PAGAMENTO] = "pagamento", [DEMO_ANALISE] = "analise"
};

/* The five amounts of v into the columns c to c + 4, in that order. */
static void
bind_values(sqlite3_stmt *st, int c, const struct demo_values *v)
{
	db_bind_money(st, c, v->informado);
	db_bind_money(st, c + 1, v->processado);
	db_bind_money(st, c + 2, v->glosa);
	db_bind_money(st, c + 3, v->franquia);
	db_bind_money(st, c + 4, v->liberado);
}

/* The items and glosas of d, ids[i] the row of guide i. */
static void
store_items(sqlite3 *db, const struct demo *d, const long long *ids)
{
	sqlite3_stmt *it = db_prepare(db, "INSERT OR REPLACE INTO "
	    "demonstrativo_item (guia_id, sequencialItem, codigoTabela, "
	    "codigoProcedimento, descricaoProcedimento, codDente, codRegiao, "
	    "denteFace, dataRealizacao, qtdProc, valorInformado, "
	    "valorProcessado, valorGlosa, valorFranquia, valorLiberado) "
	    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
	sqlite3_stmt *gl = db_prepare(db, "INSERT INTO demonstrativo_glosa "
	    "(guia_id, sequencialItem, codigoGlosa, descricaoGlosa) VALUES "
	    "(?, ?, ?, ?)");
	const struct demo_item *x;
	long i;

	for (i = 0; i < d->nitem; i++) {
		x = &d->item[i];
		sqlite3_reset(it);
		sqlite3_bind_int64(it, 1, ids[x->guia]);
		sqlite3_bind_int64(it, 2, x->seq);
		db_bind_text(it, 3, x->tabela);
		db_bind_text(it, 4, x->codigo);
		db_bind_text(it, 5, x->descricao);
		db_bind_text(it, 6, x->dente[0] ? x->dente : NULL);
		db_bind_text(it, 7, x->regiao[0] ? x->regiao : NULL);
		db_bind_text(it, 8, x->face[0] ? x->face : NULL);
		db_bind_text(it, 9, x->data);
		sqlite3_bind_int64(it, 10, x->qtd);
		bind_values(it, 11, &x->val);
		db_step(db, it);
	}
	for (i = 0; i < d->nglosa; i++) {
		sqlite3_reset(gl);
		sqlite3_bind_int64(gl, 1, ids[d->glosas[i].guia]);
		if (d->glosas[i].item > 0)
			sqlite3_bind_int64(gl, 2, d->glosas[i].item);
		else
			sqlite3_bind_null(gl, 2);
		db_bind_text(gl, 3, d->glosas[i].code);
		db_bind_text(gl, 4, d->glosas[i].text[0] ? d->glosas[i].text :
		    demo_glosa_text(d->glosas[i].code));
		db_step(db, gl);
	}
	sqlite3_finalize(it);
	sqlite3_finalize(gl);
}

static void
store_guias(sqlite3 *db, const struct demo *d, long long id)
{
	sqlite3_stmt *g = db_prepare(db, "INSERT INTO demonstrativo_guia "
	    "(demonstrativo_id, codigoPrestador, numeroLote, numeroProtocolo, "
	    "numeroGuiaPrestador, numeroGuiaOperadora, dataPagamento, banco, "
	    "agencia, conta, valorInformado, valorProcessado, valorGlosa, "
	    "valorFranquia, valorLiberado) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, ?)");
	long long *ids = xcalloc((size_t)d->nguia + 1, sizeof(*ids));
	const struct demo_guia *x;
	long i;

	for (i = 0; i < d->nguia; i++) {
		x = &d->guia[i];
		sqlite3_reset(g);
		sqlite3_bind_int64(g, 1, id);
		db_bind_text(g, 2, d->prestador);
		db_bind_text(g, 3, x->lote[0] ? x->lote : NULL);
		db_bind_text(g, 4, x->protocolo[0] ? x->protocolo : NULL);
		db_bind_text(g, 5, x->numero);
		db_bind_text(g, 6, x->numero_op[0] ? x->numero_op : NULL);
		db_bind_text(g, 7, x->data_pag[0] ? x->data_pag : NULL);
		db_bind_text(g, 8, x->banco[0] ? x->banco : NULL);
		db_bind_text(g, 9, x->agencia[0] ? x->agencia : NULL);
		db_bind_text(g, 10, x->conta[0] ? x->conta : NULL);
		bind_values(g, 11, &x->val);
		db_step(db, g);
		ids[i] = sqlite3_last_insert_rowid(db);
	}
	sqlite3_finalize(g);
	store_items(db, d, ids);
	free(ids);
}

/* The row of an earlier demonstrativo with d's number: id, or 0. */
static long long
earlier(sqlite3 *db, const struct demo *d, char hash[33], char *origem,
    size_t olen, int64_t *liberado)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, hashConteudo, origem, "
	    "valorLiberado FROM demonstrativo WHERE registroANS = ? AND "
	    "tipo = ? AND numero = ? AND codigoPrestador = ?");
	long long id = 0;

	db_bind_text(st, 1, d->registro_ans);
	db_bind_text(st, 2, kind_name[d->kind]);
	db_bind_text(st, 3, d->numero);
	db_bind_text(st, 4, d->prestador);
	if (db_step(db, st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		snprintf(hash, 33, "%s", db_col_text(st, 1));
		snprintf(origem, olen, "%s", db_col_text(st, 2));
		*liberado = sqlite3_column_type(st, 3) == SQLITE_NULL ? -1 :
		    sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	return id;
}

static void
audit(sqlite3 *db, const struct demo *d, const char *hash,
    const char *origem_antes, int64_t liberado, const char *origem)
{
	db_run(db, "INSERT INTO demonstrativo_auditoria (quando, registroANS, "
	    "codigoPrestador, tipo, numero, hashAntes, hashDepois, origemAntes, "
	    "origemDepois, liberadoAntes, liberadoDepois) VALUES (strftime("
	    "'%Y-%m-%dT%H:%M:%SZ', 'now'), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
	    "ttttttttmm", d->registro_ans, d->prestador, kind_name[d->kind],
	    d->numero, hash, d->hash, origem_antes, origem, (long long)liberado,
	    (long long)d->liberado);
}

enum demo_stored
demo_store(sqlite3 *db, const struct demo *d, const char *origem)
{
	char hash[33] = "", origem_antes[256] = "";
	int64_t liberado = -1;
	long long id = earlier(db, d, hash, origem_antes,
	    sizeof(origem_antes), &liberado);

	if (id != 0 && strcmp(hash, d->hash) == 0)
		return DEMO_SAME;
	if (id != 0) {
		db_run(db, "DELETE FROM demonstrativo WHERE id = ?", "i", id);
		audit(db, d, hash, origem_antes, liberado, origem);
	}
	db_run(db, "INSERT INTO demonstrativo (registroANS, tipo, numero, "
	    "codigoPrestador, periodoInicio, periodoFim, valorInformado, "
	    "valorProcessado, valorGlosa, valorLiberado, valorRecebido, "
	    "hashConteudo, origem, carregadoEm) VALUES (?, ?, ?, ?, ?, ?, ?, ?, "
	    "?, ?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))",
	    "ttttttmmmmmtt", d->registro_ans, kind_name[d->kind], d->numero,
	    d->prestador, d->inicio[0] ? d->inicio : NULL,
	    d->fim[0] ? d->fim : NULL, (long long)d->informado,
	    (long long)d->processado, (long long)d->glosa,
	    (long long)d->liberado,
	    d->kind == DEMO_PAGAMENTO ? (long long)d->recebido : -1LL, d->hash,
	    origem);
	store_guias(db, d, sqlite3_last_insert_rowid(db));
	return id != 0 ? DEMO_REPLACED : DEMO_NEW;
}
