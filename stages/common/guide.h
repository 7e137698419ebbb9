/*
 * The one in-memory shape of a dental guide (GTO) and the one place that
 * builds the guide's SQL.  A guide holds canonical values (gto_canonical)
 * indexed by GTO field id, guide-level fields in the guide and
 * procedure-level fields in each procedure; the statements are built from
 * the field table in gto.c, so a new field needs no change here or in a
 * stage.
 *
 * Memory: a guide owns its values (copies of what guide_set and
 * guide_proc_set are given) in one buffer reused from guide to guide, so
 * filling a guide row after row costs no allocation once it has grown.
 * Pointers from guide_get and guide_proc_get stay valid until the next
 * guide_set, guide_proc_set, guide_add_proc, guide_reset or
 * guide_release on that guide.
 */
#ifndef TISS_GUIDE_H
#define TISS_GUIDE_H

#include <stddef.h>

#include <sqlite3.h>

#include "gto.h"
#include "util.h"

#define GUIDE_NONE	((size_t)-1)	/* no value at this offset */
#define GUIDE_CLEARED	"\x7f#apagar"	/* a row value: erase the stored one (sheet.h) */

struct guide_proc {
	size_t	 off[GTO_MAXFIELDS];	/* value offset in the guide's store */
	long	 line;			/* source line, 0 when none */
	int	 item;			/* procedimento.item when loaded, else 0 */
};

struct guide {
	long long id;			/* guia.id, 0 while not stored */
	struct buf store;		/* the values, NUL-separated; owned */
	size_t	 off[GTO_MAXFIELDS];	/* guide-level value offsets */
	long	 vline[GTO_MAXFIELDS];	/* where each came from, 0 unknown */
	struct guide_proc *procs;	/* owned */
	int	 nprocs;
	int	 procs_cap;
};

/* An empty guide; no allocation until the first value. */
void	 guide_init(struct guide *g);
/* Forget every value and procedure, keeping the memory for the next guide. */
void	 guide_reset(struct guide *g);
/* Free what the guide owns; it is then as after guide_init. */
void	 guide_release(struct guide *g);

/* The guide-level value of field f, or NULL when it has none. */
const char *guide_get(const struct guide *g, int f);
/*
 * Set guide-level field f to a copy of v (NULL removes it); line is where
 * it came from (0 when unknown), kept in vline[f].
 */
void	 guide_set(struct guide *g, int f, const char *v, long line);

/* Append an empty procedure and return it (valid until the next append). */
struct guide_proc *guide_add_proc(struct guide *g);
/* Set every guide-level field of g to from's (line: as guide_set); g != from. */
void	 guide_copy_fields(struct guide *g, const struct guide *from,
	    long line);
/*
 * Append a copy of procedure i of `from` (its values and line) to g and
 * return it (valid until the next append); g and from differ.
 */
struct guide_proc *guide_copy_proc(struct guide *g, const struct guide *from,
	    int i);
/* Procedure i's value of field f, or NULL. */
const char *guide_proc_get(const struct guide *g, int i, int f);
/* Whether procedure i has no value at all. */
int	 guide_proc_empty(const struct guide *g, int i);
/* Set procedure i's field f to a copy of v (NULL removes it). */
void	 guide_proc_set(struct guide *g, int i, int f, const char *v);

/*
 * Bind the canonical value v of GTO field f as parameter i: numbers as
 * integers, the rest as text (SQLITE_TRANSIENT), NULL as NULL.
 */
void	 guide_bind_field(sqlite3_stmt *st, int i, int f, const char *v);

/*
 * A CSV whose header names GTO fields (docs/csv-format.md): the map from
 * its columns to fields, and the conversion of a row into a guide.
 * Problems are reported through csvin_problem on the reader given.
 */
#define GUIDE_COLUMNS_MAX	200

/*
 * A column's last converted field: its raw bytes, then its value (NUL
 * ended) at raw_len + 1.  The rows of one guide repeat the guide's
 * columns, and a conversion depends only on the bytes (the encoding,
 * once decided, stays): the same bytes give the same value.
 */
struct guide_memo {
	struct buf b;		/* raw bytes, NUL, value, NUL */
	size_t	 raw_len;
	int	 f;		/* the field it went to (Dente/Região decides) */
	int	 state;		/* MEMO_NONE, MEMO_EMPTY or MEMO_VALUE */
};

struct guide_cols {
	int	 ncols;				/* columns in the header */
	int	 colfield[GUIDE_COLUMNS_MAX];	/* column -> field, -1 ignored */
	int	 fieldcol[GTO_MAXFIELDS];	/* field -> column, -1 absent */
	size_t	 field_max;			/* the reader's field_max, for messages */
	int	 ignore_unknown;		/* unknown columns skipped, not problems */
	int	 allow_clear;			/* "#apagar" is GUIDE_CLEARED, not a problem */
	int	 keycol;			/* "Chave" column (gsheet.h), -1 none */
	int	 drcol;				/* "Dente/Região" column, -1 none */
	struct buf key;				/* the row's key, "" when none; owned */
	struct buf text;			/* scratch; owned */
	struct guide_memo *memo;		/* per column: the last value; owned */
};

struct csvin;
struct csvin_row;

/* Before the header: no column known. */
void	 guide_cols_init(struct guide_cols *c, int ignore_unknown);
void	 guide_cols_release(struct guide_cols *c);
/*
 * Map the header row: each column to its field (gsheet_column: TISS
 * names and the GTO form's labels), a problem for an unknown (unless
 * ignore_unknown) or repeated column.
 * Returns 0, or -1 when the key columns (codigoPrestadorNaOperadora,
 * numeroGuiaPrestador) are missing, reported.
 */
int	 guide_cols_header(struct guide_cols *c, struct csvin *r,
	    const struct csvin_row *row);
/*
 * Convert a data row into g (reset first): guide-level values with the
 * row's line in vline, procedure values into one procedure (line set).
 * Values are decoded, trimmed, without the formula guard (sheet.h) and
 * canonical (gto_canonical); an empty field is no value; "#apagar" is
 * GUIDE_CLEARED when allow_clear, else a problem.  A "Dente/Região"
 * value goes to codDente when it is digits, else to codRegiao; the key
 * column's text goes to c->key.  Returns 0, or -1 when a field was
 * reported bad.
 * The row must have the header's number of fields.
 */
int	 guide_cols_row(struct guide_cols *c, struct csvin *r,
	    const struct csvin_row *row, struct guide *g);

/*
 * Merge the guide-level values of row (from guide_cols_row) into g: a
 * value g lacks is taken (with the row's line), a different one is
 * reported as a problem at the row's line and the field's column,
 * naming the line the other value came from.  Returns 1 when g took a
 * value, else 0.
 */
int	 guide_cols_merge(struct guide_cols *c, struct csvin *r,
	    struct guide *g, const struct guide *row);

/* Where a stored guide comes from: the columns guide_insert also writes. */
struct guide_origin {
	const char *origem;		/* 'csv', 'eautorizador', 'manual' */
	const char *arquivo;		/* origemArquivo, or NULL */
	long	 linha;			/* origemLinha, 0 for NULL */
	long long importacao;		/* importacao_id, 0 for NULL */
	const char *stamp;		/* criadoEm/alteradoEm (time_iso) */
};

/*
 * The guide statements of one connection, built from gto_fields and
 * prepared once (lazily, at first use), reused for every guide.  Every
 * function runs in the caller's transaction and exits through db_step
 * on a database error (75 busy, else 70/74 as db_step says).  None
 * writes guia.status: a new guide gets the column's DEFAULT, and status
 * moves go through state.h.
 */
struct guide_sql {
	sqlite3	*db;
	sqlite3_stmt *insert;		/* INSERT guia ... ON CONFLICT DO NOTHING */
	sqlite3_stmt *update;		/* every guide-level column, by id */
	sqlite3_stmt *reorigin;		/* origin columns, by id */
	sqlite3_stmt *select;		/* every guide-level column, by id */
	sqlite3_stmt *find;		/* id, status by prestador and number */
	sqlite3_stmt *ins_proc;		/* INSERT procedimento */
	sqlite3_stmt *sel_procs;	/* procedures of a guide by item */
	sqlite3_stmt *del_procs;	/* DELETE procedimento of a guide */
	sqlite3_stmt *max_item;		/* highest item of a guide */
	sqlite3_stmt *unvalidate;	/* validadoEm = NULL */
	sqlite3_stmt *insert_checked;	/* guide_insert_checked */
	sqlite3_stmt *set[GTO_MAXFIELDS];	/* one column, by id */
};

void	 guide_sql_init(struct guide_sql *q, sqlite3 *db);
/* Finalize every statement; q can be initialised again. */
void	 guide_sql_release(struct guide_sql *q);

/*
 * Insert g's guide-level values (every column, NULL where g has none)
 * with origin o.  Returns the new guia.id (also put in g->id), or 0
 * when a guide with the same prestador and number exists (nothing
 * written).  Procedures are not written: see guide_insert_procs.
 */
long long guide_insert(struct guide_sql *q, struct guide *g,
	    const struct guide_origin *o);
/*
 * The same for a guide validated before it is stored (val_one_check):
 * with its status (state_guia_initial), valorTotalProc total,
 * validadoEm when and validadoCom fingerprint (what it was checked under,
 * validate.h); status and when are not copied (kept until the step).
 */
long long guide_insert_checked(struct guide_sql *q, struct guide *g,
	    const struct guide_origin *o, const char *status, long long total,
	    const char *when, long long fingerprint);
/*
 * Write every guide-level column of guide id from g (NULL where g has
 * none) and alteradoEm = stamp.
 */
void	 guide_update(struct guide_sql *q, const struct guide *g, long long id,
	    const char *stamp);
/* Set origem, origemArquivo, origemLinha, importacao_id, alteradoEm. */
void	 guide_set_origin(struct guide_sql *q, long long id,
	    const struct guide_origin *o);
/*
 * Forget that guide id was validated: incompleto (state.h) with no
 * validadoEm, for the next validation pass, as its values are changing.
 * Exits 70 when its status does not allow it (in a lote).
 */
void	 guide_unvalidated(struct guide_sql *q, long long id);
/* Write one guide-level column f of guide id (v NULL for NULL). */
void	 guide_update_field(struct guide_sql *q, long long id, int f,
	    const char *v);

/* What guide_find tells of an existing guide. */
struct guide_found {
	long long id;			/* guia.id */
	char	 status[16];		/* its status ("em_lote") */
	char	 origem[16];		/* 'csv', 'eautorizador', 'manual' */
	char	 arquivo[256];		/* origemArquivo, "" when NULL (cut) */
	long	 linha;			/* origemLinha, 0 when NULL */
	long long importacao;		/* importacao_id, 0 when NULL */
};

/*
 * Find the guide of prestador prest and number num.  Returns its id and
 * fills *out (when not NULL), or returns 0 when there is none.
 */
long long guide_find(struct guide_sql *q, const char *prest, const char *num,
	    struct guide_found *out);
/*
 * Where a found guide came from, for a message: "imported from FILE line
 * N", "loaded from e-Autorizador" or "entered by hand", into out[n].
 */
void	 guide_found_describe(const struct guide_found *g, char *out, size_t n);

/*
 * Load guide id into g (reset first): its guide-level values and, when
 * procs is set, its procedures in item order.  Returns 0, or -1 when
 * there is no such guide.
 */
int	 guide_load(struct guide_sql *q, long long id, struct guide *g,
	    int procs);

/* Insert procedure p of g as item `item` of guide id (line: origemLinha). */
void	 guide_insert_proc(struct guide_sql *q, const struct guide *g, int p,
	    long long id, int item);
/* Insert every procedure of g as items 1.. of guide g->id. */
void	 guide_insert_procs(struct guide_sql *q, const struct guide *g);
/* Delete every procedure of guide id. */
void	 guide_delete_procs(struct guide_sql *q, long long id);
/* The highest item number of guide id's procedures, 0 when none. */
int	 guide_max_item(struct guide_sql *q, long long id);
/* The highest guide id in db, 0 when none; exits on error (db.h). */
long long guide_last_id(sqlite3 *db);

#endif
