/*
 * The dental guide (GTO) in a clerk's spreadsheet: the labels printed on
 * the ANS GTO form as column names (docs/csv-format.md says where each
 * comes from), the empty template, the export of stored guides in the
 * import format, and the merge of such an export filled in and imported
 * back.  The spreadsheet rules themselves (formula guard, BOM, the
 * "#apagar" marker) are sheet.h's.
 */
#ifndef TISS_GSHEET_H
#define TISS_GSHEET_H

#include <stdio.h>

#include "glabel.h"
#include "guide.h"

/* Write the empty template (Windows-1252, ';', one example row) to fp. */
void	 gsheet_template(FILE *fp);

/*
 * Write guides ids[0..n) as a CSV in the import format (sheet.h: UTF-8
 * with BOM, guarded cells): the key, the guide's pendências in
 * Portuguese, then every field under its form label, one row per
 * procedure (one row for a guide without any).  Exits as db_step on a
 * database error.  Returns the rows written.
 */
long	 gsheet_export(struct guide_sql *q, FILE *fp, const long long *ids,
	    size_t n);

/*
 * Parse a key cell "G<id>" or "G<id>-<item>" (item 0 when absent).
 * Returns 0, or -1 when it is not such a key.
 */
int	 gsheet_key(const char *s, long long *id, int *item);

/*
 * Merge value v of field f (GUIDE_CLEARED: erase) given for procedure p
 * (-1: the guide) into cur, where orig holds the stored guide: a value
 * equal to the stored one does nothing (an unchanged cell of another
 * row of the guide never undoes a change).  Returns 1 when cur changed,
 * 0 when not, -1 when an earlier row of the file changed the same value
 * otherwise (*had then points to that value, "" for an erase).
 */
int	 gsheet_merge(const struct guide *orig, struct guide *cur, int p,
	    int f, const char *v, const char **had);

/*
 * Write the changes from orig to cur of guide cur->id: every changed
 * value audited with the old and the new value (source), the guide's
 * columns and, when a procedure changed or was added, its procedures
 * (cur's, with their items; new ones get the next items).  Runs in the
 * caller's transaction.  Returns how many values changed.
 */
long	 gsheet_write(struct guide_sql *q, const struct guide *orig,
	    struct guide *cur, const char *source, const char *stamp);

#endif

/*
 * Audit every procedure of orig as removed: one row each, its values
 * as "campo=valor ..." before, after as the new text.
 */
void	 gsheet_audit_procs(struct guide_sql *q, const struct guide *orig,
	    const char *after, const char *source);

/*
 * tiss-import --replace of stored guide cur->id by the file's guide in
 * cur (its first row, row): loads the stored guide into orig; a value
 * cur lacks keeps the stored one (an empty cell never erases); each
 * changed value is written and audited, old and new (gsheet_write).
 * When row has a procedure and the guide had some, they are audited
 * (gsheet_audit_procs, after = where) and deleted for the file's: then
 * returns 1 (the caller says so); else 0, the stored ones kept.
 */
int	 gsheet_replace(struct guide_sql *q, struct guide *orig,
	    struct guide *cur, const struct guide *row, const char *where,
	    const char *stamp);

/*
 * Re-importing an export (a CSV with the "Chave" column), row by row:
 * the rows of one guide are merged into it (gsheet_merge), then written
 * at once (gsheet_write) and the guide set incompleto, to be validated.
 * A guide that is not 'incompleto' or 'completo' (in a lote, sent) is
 * skipped with a warning naming it; the other guides go on.
 */
struct csvin;
struct gsheet_rt {
	struct guide_sql *q;
	const char *source;	/* for the audit ("tiss-import FILE") */
	const char *stamp;	/* alteradoEm */
	struct guide orig;	/* the stored guide */
	struct guide cur;	/* with the file's changes */
	int	 active;	/* cur holds a guide */
	int	 skip;		/* its rows are ignored */
	long	 guides;	/* guides changed */
	long	 values;	/* values changed */
	long	 skipped;	/* guides skipped (in a lote) */
};

/* Start merging through q; source and stamp are kept, not copied. */
void	 gsheet_rt_init(struct gsheet_rt *rt, struct guide_sql *q,
	    const char *source, const char *stamp);
/* Free what rt holds (a guide not flushed is dropped). */
void	 gsheet_rt_release(struct gsheet_rt *rt);
/*
 * Merge one row (from guide_cols_row, key in c->key) of the file read
 * by r, at line.  Problems (a bad key, no such guide, a key cell that
 * names another guide, two rows changing one value differently) are
 * reported through csvin_problem.  Returns 0, or -1 after a problem.
 */
int	 gsheet_rt_row(struct gsheet_rt *rt, struct guide_cols *c,
	    struct csvin *r, const struct guide *row, long line);
/* Write the guide being merged, if any (gsheet_write; status incompleto). */
void	 gsheet_rt_flush(struct gsheet_rt *rt);
