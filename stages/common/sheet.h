/*
 * The rules of a CSV that goes to a spreadsheet and comes back: the
 * one home of what every exported sheet (guides, recurso de glosa)
 * shares with its re-import.
 *
 *  - Formula injection: a cell that starts with '=', '+', '-', '@', TAB
 *    or CR is written with a leading apostrophe (a spreadsheet would run
 *    it as a formula), and so is a value that is the marker "#apagar" or
 *    starts with an apostrophe before such a value; on import
 *    sheet_unguard takes exactly that apostrophe back off, so every value
 *    round-trips unchanged.
 *  - Encoding: UTF-8 with a byte order mark (Excel reads UTF-8 only with
 *    it; LibreOffice and the CSV reader skip it), ';' between cells,
 *    CRLF line ends, every cell quoted when it holds ';', '"' or a line
 *    break.
 *  - Merge: a re-imported cell that is empty keeps the stored value; a
 *    value replaces it; only the marker "#apagar" (any case) clears it.
 *    Each change is audited with the old and the new value.
 */
#ifndef TISS_SHEET_H
#define TISS_SHEET_H

#include <stdio.h>

#include <sqlite3.h>

#include "util.h"

#define SHEET_CLEAR	"#apagar"	/* the cell that clears a stored value */

/* A CSV being written to a spreadsheet. */
struct sheet_out {
	FILE	*fp;
	int	 ncell;		/* cells written on the current row */
	struct buf b;		/* scratch; owned */
};

/* Start writing to fp: the BOM.  Never fails (stdio errors: close_stdout). */
void	 sheet_begin(struct sheet_out *w, FILE *fp);
/* One cell, guarded and quoted as needed; NULL is an empty cell. */
void	 sheet_cell(struct sheet_out *w, const char *s);
/* End the row (CRLF). */
void	 sheet_end_row(struct sheet_out *w);
/* Free what w holds (fp is not closed). */
void	 sheet_end(struct sheet_out *w);

/* Append s to out with the formula guard applied (see above). */
void	 sheet_guard(const char *s, struct buf *out);
/*
 * s (NUL-terminated, trimmed) without the guard: s + 1 when it starts
 * with an apostrophe sheet_guard would have added, else s.  Check for
 * the marker (sheet_is_clear) before: "'#apagar" is the text, not it.
 */
const char *sheet_unguard(const char *s);
/* Whether a trimmed cell is the clear marker SHEET_CLEAR (any case). */
int	 sheet_is_clear(const char *s);

enum sheet_merge {
	SHEET_KEEP,		/* empty cell, or the same value: nothing to do */
	SHEET_CHANGE,		/* the cell's value replaces the stored one */
	SHEET_ERASE		/* the cell is the marker: the value goes */
};

/*
 * What a re-imported cell does to a stored value: stored and cell are
 * canonical values or NULL (cell NULL: empty; erase is the cell's
 * marker, already recognised).  When it changes something and db is not
 * NULL, writes the audit row (guia id, campo, old, new, source) in the
 * caller's transaction (exits as db_step on a database error).
 */
enum sheet_merge sheet_merge(sqlite3 *db, long long id, const char *campo,
	    const char *stored, const char *cell, int erase,
	    const char *source);

#endif
