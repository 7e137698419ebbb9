/*
 * The recurso de glosa's worksheet: the glossed items a clerk may
 * appeal, exported as a CSV to fill with the amount and justification,
 * and read back with the guide import's round-trip rules (UTF-8 or
 * Windows-1252, ';' or ',', a BOM allowed, the whole file refused on
 * any problem, each problem as FILE:LINE:COLUMN: campo: message).  The
 * one home of the rule "an item is appealed once per glosa, and only a
 * glossed item is appealed".
 */
#ifndef TISS_RECURSO_H
#define TISS_RECURSO_H

#include <stdint.h>
#include <stdio.h>

#include <sqlite3.h>

#include "exchange.h"
#include "ws.h"

/* Which glossed items: every field NULL or 0 means any. */
struct recurso_filtro {
	const char *prestador;
	long long lote;			/* numeroLote of the appealed lote */
	const char *glosa;		/* codigoGlosa */
	const char *competencia;	/* "AAAA-MM" */
};

/* One row of a filled worksheet, checked against the database. */
struct recurso_linha {
	long	 line;			/* in the file */
	char	*prest, *guia, *glosa, *just;	/* owned */
	long	 seq;			/* sequencialItem */
	int64_t	 valor;			/* valorRecursado, centavos */
	long long lote_id;		/* the guide's lote (appealed) */
	long long item_guia;		/* demonstrativo_guia.id of the item */
};

/*
 * Write, as a worksheet on out, the glossed items of the latest
 * demonstrativos that f selects and that no recurso has appealed for
 * that glosa (valorRecursado prefilled with the glosa, justificativa
 * empty).  Returns how many rows were written.
 */
long	 recurso_export(sqlite3 *db, const struct recurso_filtro *f,
	    FILE *out);

/*
 * Read the worksheet at path (16 MiB at most): the rows with a
 * justificativa, each checked (the item was glossed with that code, not
 * appealed already, the amount more than 0 and at most the glosa, the
 * justificativa at most 500 characters, its lote sent), into *rows
 * (*n of them; free with recurso_linhas_free).  Each problem is logged
 * with log_error as FILE:LINE:COLUMN: campo: message.  Returns the
 * number of problems (0: every row may be appealed), or -1 when the file
 * cannot be read (errno kept; EFBIG past 16 MiB).  path "-" is standard
 * input (ifile.h).
 */
int	 recurso_read(sqlite3 *db, const char *path,
	    struct recurso_linha **rows, long *n);

void	 recurso_linhas_free(struct recurso_linha *rows, long n);

/* qsort order of rows: by guide, then item; a recurso lists guides so. */
int	 recurso_by_guide(const void *x, const void *y);

/*
 * Build the recurso of the rows (sorted by recurso_by_guide) whose
 * guides are in lote: its number (the prestador's next), the
 * loteRecursoGlosaWS from the demonstrativo's items and the rows'
 * amounts and justifications, checked against x's schema, written in
 * SOAP to out/PRESTADOR/recurso_N_ws.xml and recorded (recurso
 * 'pronto', its recurso_item rows) in the caller's transaction.
 * Returns 0 with a line for the clerk in summary, or -1 with err (what
 * was written to out/ is then not recorded).  Database errors exit as
 * db_step; needs [operadora] nome.
 */
int	 recurso_build(struct ws *ws, struct exchange *x,
	    struct recurso_linha *rows, long n, long long lote, char *summary,
	    size_t sumlen, char *err, size_t errlen);

#endif
