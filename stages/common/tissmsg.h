/*
 * The TISS messages of the web services, built and read with libxml2:
 * the cabecalho and the SOAP bodies we send (loteGuiasWS with its login,
 * solicitacaoStatusProtocoloWS), and the operator's answers
 * (protocoloRecebimentoWS, situacaoProtocoloWS, SOAP Faults with or
 * without a tissFault).  Pure functions of bytes and settings: no
 * database, no network, so the readers can be fuzzed.
 *
 * Who may reject a lote: only the operator's own verdict, that is a
 * mensagemErro in a well-formed, hashed answer, or a tissFault naming a
 * business rule (DestinatarioInvalido, RemetenteInvalido, VersaoInvalida,
 * HashInvalido, SchemaInvalido) in a Fault answered with HTTP 200 or
 * 500.  Any other Fault is no verdict.  One that says the server failed
 * (soap:Server, no tissFault on HTTP 5xx, ErroInesperadoServidor, a
 * business tissFault on 502/503) leaves the outcome unknown: retry.  The
 * rest (a client fault with no tissFault below 500, a tissFault the
 * standard does not define) depends on what was asked, a property of
 * the message each reader declares (enum tissmsg_kind): after a query it
 * is unknown too, asked again later; after a send the operator may hold
 * what we sent, under a fate we cannot tell, so a person must look
 * (GARBLED) and it is never rejected.  This is the one place of the
 * rule: a program never reads a Fault again by its HTTP status.
 */
#ifndef TISS_TISSMSG_H
#define TISS_TISSMSG_H

#include <stdint.h>
#include <time.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>

#include "ident.h"
#include "util.h"

/* The cabecalho of a message we send. */
struct tissmsg_cab {
	const char *tipo;		/* tipoTransacao */
	const char *prestador;		/* codigoPrestadorNaOperadora (origem) */
	const char *registro_ans;	/* the operator (destino) */
	const char *padrao;		/* "4.01.00" */
	const char *login;		/* loginPrestador, or NULL */
	const char *senha_md5;		/* senhaPrestador, with login */
	time_t	 now;			/* sequencial, data and hora */
	const struct ident *ident;	/* CNPJ or CPF; NULL: by the code */
};

/*
 * A solicitacaoStatusProtocoloWS for protocolo, its hash set in
 * encoding.  Returns a new document (free with xmlFreeDoc), or NULL with
 * err when a value cannot be written in encoding.
 */
xmlDocPtr tissmsg_status_request(const struct tissmsg_cab *cab,
	    const char *protocolo, const char *encoding, char *err,
	    size_t errlen);

/*
 * The other requests of the billing cycle after the send (NOTES.md §9),
 * each a new document with its hash set in encoding (free with
 * xmlFreeDoc), or NULL with err when a value cannot be written in it:
 *
 * tissmsg_demonstrativo_request: solicitacaoDemonstrativoRetornoWS, a
 * demonstrativoPagamento (tipoDemonstrativo 3, odontologia) for
 * competencia "AAAA-MM" or data "AAAA-MM-DD" (the other NULL), or with
 * protocolo set a demonstrativoAnalise for that protocolo.
 * tissmsg_recurso_status_request: solicitacaoStatusRecursoGlosaWS.
 * tissmsg_cancela_request: cancelaGuiaWS for one guide (faturamento)
 * of protocolo.
 */
xmlDocPtr tissmsg_demonstrativo_request(const struct tissmsg_cab *cab,
	    const char *competencia, const char *data, const char *protocolo,
	    const char *encoding, char *err, size_t errlen);
xmlDocPtr tissmsg_recurso_status_request(const struct tissmsg_cab *cab,
	    const char *protocolo, const char *encoding, char *err,
	    size_t errlen);
xmlDocPtr tissmsg_cancela_request(const struct tissmsg_cab *cab,
	    const char *guia, const char *guia_operadora,
	    const char *protocolo, const char *encoding, char *err,
	    size_t errlen);

/* One appealed item of a recurso de glosa (cto_recursoGlosaOdonto). */
struct tissmsg_recurso_item {
	const char *guia, *guia_op;	/* numeroGuiaPrestador, Operadora */
	long	 seq;			/* sequencialItem */
	const char *data;		/* dataRealizacao */
	const char *dente, *regiao, *face;	/* or NULL */
	long	 qtd;
	const char *tabela, *codigo, *descricao;	/* procRecurso */
	const char *glosa;		/* codGlosaProc: the glosa appealed */
	const char *justificativa;
	int64_t	 valor;			/* valorRecursado, centavos */
};

struct tissmsg_recurso {
	const char *numero;		/* numeroGuiaRecGlosaPrestador */
	const char *nome_operadora;
	const char *lote, *protocolo;	/* the appealed lote */
	const char *data;		/* dataRecurso */
	const struct tissmsg_recurso_item *item;	/* grouped by guide */
	long	 n;
};

/*
 * A loteRecursoGlosaWS (guiaRecursoGlosaOdonto, objetoRecurso 2) for r:
 * a recursoGuia per guide (its codGlosaGuia and justificativaGuia those
 * of its first item), a recursoProcedimento per item.  As above.
 */
xmlDocPtr tissmsg_recurso_lote(const struct tissmsg_cab *cab,
	    const struct tissmsg_recurso *r, const char *encoding, char *err,
	    size_t errlen);

/*
 * Add loginSenhaPrestador to the cabecalho of doc (a loteGuiasWS) and set
 * its hash again in encoding.  Returns 0, or -1 with err.
 */
int	 tissmsg_add_login(xmlDocPtr doc, const char *login,
	    const char *senha_md5, const char *encoding, char *err,
	    size_t errlen);

/*
 * doc in ISO-8859-1 inside a SOAP 1.1 envelope, appended to out (the
 * caller's).  Exits 70 when libxml2 cannot serialize it.
 */
void	 tissmsg_soap(xmlDocPtr doc, struct buf *out);

/*
 * What a request is, for a Fault that is no verdict (see above): a
 * query changes nothing at the operator (situação, demonstrativo, the
 * status of a recurso) and is asked again at no risk; a send gives the
 * operator something it keeps (a lote, a recurso, a cancellation).
 */
enum tissmsg_kind {
	TISSMSG_QUERY,
	TISSMSG_SEND
};

/* What an answer means for the lote. */
enum tissmsg_verdict {
	TISSMSG_OK,		/* a protocolo or a situação, read whole */
	TISSMSG_REJECTED,	/* the operator's own verdict: code, text */
	TISSMSG_LOGIN,		/* tissFault LoginInvalido */
	TISSMSG_UNKNOWN,	/* a server or gateway fault: retry later */
	TISSMSG_GARBLED		/* cannot be read: a person must look */
};

struct tissmsg_answer {
	enum tissmsg_verdict verdict;
	int	 fault;			/* 1: the answer was a SOAP Fault */
	char	 why[512];		/* UNKNOWN, GARBLED: what was wrong */
	char	 code[64];		/* codigoGlosa, tissFault or faultcode */
	char	 text[512];		/* descricaoGlosa or faultstring */
	char	 numero_lote[32];	/* protocolo: the lote it is about */
	char	 protocolo[32];		/* numeroProtocolo */
	char	 data[16];		/* protocolo: dataEnvioLote */
	int64_t	 valor;			/* protocolo: valorTotalProtocolo, or -1 */
	int	 status;		/* situação: statusProtocolo */
	int64_t	 processado, glosa, liberado;	/* situação; -1 when absent */
	xmlNodePtr detalhe;		/* detalheProtocolo, detalheLote */
	xmlDocPtr doc;			/* owned: the parsed answer, or NULL */
};

/*
 * Read an answer to a loteGuiasWS (a protocoloRecebimentoWS or a Fault;
 * a send) or to a solicitacaoStatusProtocoloWS (a situacaoProtocoloWS or
 * a Fault; a query): data, n bytes, came with HTTP status (0 when
 * unknown).  The
 * body is checked against schema (unless NULL) and its hash in encoding.
 * Fills a (release with tissmsg_answer_release) and returns a->verdict.
 */
enum tissmsg_verdict tissmsg_read_protocolo(const char *data, size_t n,
	    long status, const char *encoding, xmlSchemaPtr schema,
	    struct tissmsg_answer *a);
enum tissmsg_verdict tissmsg_read_situacao(const char *data, size_t n,
	    long status, const char *encoding, xmlSchemaPtr schema,
	    struct tissmsg_answer *a);

/*
 * The answers of the cycle after the send, read as tissmsg_read_*:
 * a protocoloRecebimentoRecursoWS (a send: a->protocolo
 * nrProtocoloRecursoGlosa, a->numero_lote the appealed lote, a->data the
 * date received, a->detalhe the protocoloRecebimento; or a mensagemErro,
 * REJECTED);
 * a situacaoProtocoloRecursoWS (a query: a reciboGlosaOdonto: a->status
 * 0, a->valor valorTotalAcatado, a->detalhe the recibo with the values
 * granted per item; a reciboGlosaStatus: a->status its situacaoProtocolo
 * and a->protocolo; a mensagemErro, REJECTED);
 * a reciboCancelaGuiaWS (a send: a->status the first statusCancelamento,
 * a->detalhe retornoStatus; a mensagemErro, REJECTED).
 */
enum tissmsg_verdict tissmsg_read_recurso(const char *data, size_t n,
	    long status, const char *encoding, xmlSchemaPtr schema,
	    struct tissmsg_answer *a);
enum tissmsg_verdict tissmsg_read_recurso_situacao(const char *data,
	    size_t n, long status, const char *encoding, xmlSchemaPtr schema,
	    struct tissmsg_answer *a);
enum tissmsg_verdict tissmsg_read_cancela(const char *data, size_t n,
	    long status, const char *encoding, xmlSchemaPtr schema,
	    struct tissmsg_answer *a);

/*
 * The common start of every answer's reader: parse data (n bytes, HTTP
 * status, to a request of kind), find the SOAP body, read a Fault (as
 * above: a->fault set, a->verdict REJECTED, LOGIN, UNKNOWN or GARBLED),
 * or check that the body is the
 * element want, valid against schema (unless NULL) with its hash right
 * in encoding.  Returns 1 with a->doc (owned by a) and *body set; 0 with
 * a->verdict and a->why set.  a is overwritten; release it with
 * tissmsg_answer_release either way.
 */
int	 tissmsg_open(const char *data, size_t n, long status,
	    enum tissmsg_kind kind, const char *want, const char *encoding,
	    xmlSchemaPtr schema, struct tissmsg_answer *a, xmlNodePtr *body);

/* Free a->doc (a->detalhe points into it); a may be read into again. */
void	 tissmsg_answer_release(struct tissmsg_answer *a);

/*
 * given when not empty, else the official text of dm_tipoGlosa code,
 * read from the version's schema (tissver_glosa_describe), else "(sem
 * descrição)".  Static, given or the table's: never to be freed.
 */
const char *tissmsg_glosa_text(const char *code, const char *given);

#endif
