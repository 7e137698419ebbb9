/*
 * What a person types at a terminal to name and enter guides: a guide
 * by its numeroGuiaPrestador (and -p when two prestadores use it), a
 * procedure by its sequencialItem or #K (its position in tiss-guia
 * show), campo=valor assignments, and a file of one guide.  Every value
 * goes through gto_value, the entry rules of the CSV import and
 * tiss-fetch.  tiss-guia uses all of it; a stage that takes guide
 * numbers (tiss-lote add/rm, tiss-validate GUIA) can name guides the
 * same way.
 *
 * The functions return 0 or the exit code the program should end with
 * (tiss(7)), with a message saying what, where, why and how to fix in
 * err; they never exit.
 */
#ifndef TISS_ENTRY_H
#define TISS_ENTRY_H

#include <stddef.h>

#include <sqlite3.h>

#include "guide.h"
#include "util.h"

/*
 * The SQL condition on a guide as a person names it: numeroGuiaPrestador
 * ?1 and, unless ?2 is NULL, codigoPrestadorNaOperadora ?2 (-p, needed
 * only when two prestadores use the number).  t qualifies the guia
 * table's columns: "g." or "".
 */
#define ENTRY_GUIDE_NAMED(t) \
	t "numeroGuiaPrestador = ?1 AND (?2 IS NULL OR " \
	t "codigoPrestadorNaOperadora = ?2)"

/* A guide found by the number typed. */
struct entry_guide {
	long long id;		/* guia.id */
	char	 status[16];	/* "incompleto", "em_lote", ... */
	char	 prest[32];	/* codigoPrestadorNaOperadora */
	char	 num[64];	/* numeroGuiaPrestador (trimmed; cut to show) */
};

/*
 * The guide numbered num (trimmed) of prestador prest (NULL: any) into
 * *g.  Returns 0; 66 when there is none; 64 when several prestadores
 * use that number (err lists them and says to give -p).
 */
int	 entry_find_guide(sqlite3 *db, const char *num, const char *prest,
	    struct entry_guide *g, char *err, size_t errlen);

/*
 * The index in g (loaded with its procedures) of the procedure seq
 * names: a sequencialItem, or "#K" with K from 1 to the number of
 * procedures.  num names the guide in messages.  Returns 0 with *index
 * set; 66 when no procedure has that sequencialItem (or the guide has
 * none); 65 when two share it (name one as #K) or K is not a position
 * (#0, #-1, #x, #99: never a default).
 */
int	 entry_proc(const struct guide *g, const char *num, const char *seq,
	    int *index, char *err, size_t errlen);

/*
 * "campo=valor": the field (of level GTO_GUIA or GTO_PROC; -1: any)
 * into *f and its canonical value into value (len 0: empty, clears the
 * field).  Returns 0; 64 without '='; 65 for an unknown field, a field
 * of the other level or a value the field's rules refuse (err names the
 * field and says why).
 */
int	 entry_assign(const char *arg, int level, int *f, struct buf *value,
	    char *err, size_t errlen);

/*
 * Whether field f of stored guide g may become v: a guide's key
 * (codigoPrestadorNaOperadora, numeroGuiaPrestador) may change but not
 * be emptied nor become another guide's.  Returns 0, or 65 with why.
 */
int	 entry_key(struct guide_sql *q, const struct guide *g, int f,
	    const char *v, char *err, size_t errlen);

/*
 * A file of one guide (docs/csv-format.md, several rows for several
 * procedures) into d (guide_init'ed): one value per guide field,
 * procedures in order.  Problems are reported on stderr as
 * FILE:LINE:COLUMN: campo: why.  path "-" is standard input (ifile.h).
 * Returns 0; 66 when the file cannot be read; 65 after problems (err
 * says how many).
 */
int	 entry_read_csv(const char *path, struct guide *d, char *err,
	    size_t errlen);

/*
 * The assignments argv[0..argc) as one row of a new guide into d: guide
 * fields, and the procedure fields as one procedure.  Returns 0, or as
 * entry_assign (65 also for a field given twice).
 */
int	 entry_args(int argc, char **argv, struct guide *d, char *err,
	    size_t errlen);

#endif

/*
 * Whether the assignments argv[0..argc) may be applied to many guides:
 * guide-level fields with good values, none of them a guide's key.
 * Returns 0, or as entry_assign (64 also for a key field) with why.
 */
int	 entry_bulk_check(int argc, char **argv, char *err, size_t errlen);

/*
 * Apply checked assignments argv to every guide ids[0..n) in the
 * caller's transaction: each value that changes is written and audited
 * with its old and new value (source), and the guide becomes
 * incompleto until validated.  Exits as db_step on a database error.
 */
void	 entry_bulk_apply(struct guide_sql *q, const long long *ids, size_t n,
	    int argc, char **argv, const char *source);
