/*
 * The operator's demonstrativos (ct_demonstrativoRetorno): what it
 * analysed and paid, per guide and item, with the glosas.  The one
 * reader of a demonstrativoRetornoWS answer (over SOAP) and of the same
 * document a portal hands out as a file (a mensagemTISS with
 * operadoraParaPrestador/demonstrativosRetorno, or a bare
 * demonstrativoRetornoWS), and the one writer of the demonstrativo
 * tables.  demo_read is a pure function of bytes (fuzzed by
 * tests/fuzz/fuzz-demonstrativo.c); demo_store writes what it read.
 */
#ifndef TISS_DEMONSTRATIVO_H
#define TISS_DEMONSTRATIVO_H

#include <stdint.h>

#include <libxml/xmlschemas.h>
#include <sqlite3.h>

#include "tissmsg.h"

#define DEMO_MAX_BYTES	(16L << 20)	/* a file larger than this is refused */

enum demo_kind {
	DEMO_PAGAMENTO,		/* demonstrativoPagamentoOdonto */
	DEMO_ANALISE,		/* demonstrativoAnaliseConta */
	DEMO_NOT_READY,		/* situacaoDemonstrativoRetorno */
	DEMO_ERROR,		/* mensagemErro: the operator's refusal */
	DEMO_FAULT,		/* a SOAP Fault: see demo.verdict */
	DEMO_GARBLED		/* cannot be read: nothing is stored */
};

struct demo_glosa {
	long	 guia;			/* index in demo.guia */
	long	 item;			/* sequencialItem; 0 on the whole guide */
	char	 code[8];		/* dm_tipoGlosa */
	char	 text[160];		/* descricaoGlosa when given, or "" */
};

/* The amounts of a guide or an item, in hundredths; -1 when not given. */
struct demo_values {
	int64_t	 informado, processado, glosa, franquia, liberado;
};

struct demo_item {
	long	 guia;			/* index in demo.guia */
	long	 seq;			/* sequencialItem */
	char	 tabela[4], codigo[16], descricao[160];
	char	 dente[8], regiao[8], face[8], data[16];
	long	 qtd;
	struct demo_values val;
};

struct demo_guia {
	char	 lote[16], protocolo[16];
	char	 numero[24], numero_op[24];
	char	 data_pag[16], banco[8], agencia[12], conta[24];
	struct demo_values val;
};

/* The most demonstrativoAnaliseConta one answer holds (the schema's). */
#define DEMO_MAX_ANALISES	30

/* One demonstrativo as read; every array is owned (demo_release). */
struct demo {
	enum demo_kind kind;
	char	 why[512];		/* GARBLED, FAULT, ERROR: what */
	char	 code[64];		/* ERROR: codigoGlosa; FAULT: tissFault */
	enum tissmsg_verdict verdict;	/* FAULT, GARBLED: tissmsg's (a query) */
	int	 fault;			/* 1: the answer was a SOAP Fault */
	int	 status;		/* NOT_READY: situacaoDemonstrativo */
	char	 registro_ans[8], numero[24], prestador[24];
	char	 inicio[16], fim[16];
	char	 hash[33];		/* TISS hash of the demonstrativo element */
	int64_t	 informado, processado, glosa, liberado, recebido;
	struct demo_guia *guia;
	long	 nguia;
	struct demo_item *item;
	long	 nitem;
	struct demo_glosa *glosas;
	long	 nglosa;
	/*
	 * ANALISE: the answer's next demonstrativoAnaliseConta (one answer
	 * holds up to 30), read as this one; owned, NULL after the last.
	 */
	struct demo *next;
};

/*
 * Read a demonstrativo: data, n bytes, an HTTP answer (status its HTTP
 * status) or, with status -1, a file's contents.  A SOAP body must be a
 * demonstrativoRetornoWS checked against ws_schema and its hash; a
 * mensagemTISS is checked against msg_schema and its epilogo hash; a
 * schema NULL is not checked (the fuzzer).  Fills d (release with
 * demo_release) and returns d->kind.  Never exits; never reads a DTD or
 * an external entity.
 */
enum demo_kind demo_read(const char *data, size_t n, long status,
	    const char *encoding, xmlSchemaPtr ws_schema,
	    xmlSchemaPtr msg_schema, struct demo *d);

/* Free d's arrays and the demos chained on d->next; d is zeroed. */
void	 demo_release(struct demo *d);

/* What a DEMO_PAGAMENTO or DEMO_ANALISE's store did. */
enum demo_stored {
	DEMO_NEW,		/* first time: stored */
	DEMO_SAME,		/* the same content again: nothing changed */
	DEMO_REPLACED		/* a corrected one: replaced, audit row added */
};

/*
 * Store d (PAGAMENTO or ANALISE) in db inside the caller's transaction:
 * new, the same again (the operator, prestador, kind and number with
 * the same content: nothing written), or a corrected one (the old
 * rows deleted, the new written, a demonstrativo_auditoria row).  origem
 * is "webservice" or the file's name.  Database errors exit as db_step.
 */
enum demo_stored demo_store(sqlite3 *db, const struct demo *d,
	    const char *origem);

/* The text of a dm_tipoGlosa code a demonstrativo gives, or NULL. */
const char *demo_glosa_text(const char *code);

#endif
