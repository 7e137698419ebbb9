/*
 * The workspace database: opening it with the settings every stage needs
 * (WAL, foreign keys, busy timeout) and bringing its schema up to date.
 */
#ifndef TISS_DB_H
#define TISS_DB_H

#include <sqlite3.h>


/*
 * Open (creating if create is set) the database at path and migrate it
 * forward.  Exits 78 when it is newer than this program, 75 when busy,
 * 74 on other errors.
 */
sqlite3	*db_open(const char *path, int create);
void	 db_close(sqlite3 *db);

/* Run SQL with no result; exits on error (75 when busy, else 70). */
void	 db_exec(sqlite3 *db, const char *sql);
/* Prepare a statement; exits 70 on error (a bug in our SQL). */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);
/*
 * Step a statement that returns no row or one row; returns SQLITE_ROW,
 * SQLITE_DONE or SQLITE_CONSTRAINT, exits on any other error.
 */
int	 db_step(sqlite3 *db, sqlite3_stmt *st);

/* Bind text, or NULL when s is NULL. */
void	 db_bind_text(sqlite3_stmt *st, int i, const char *s);
/*
 * Bind the canonical value v of GTO field f (gto_canonical): numbers as
 * integers, the rest as text, NULL as NULL.
 */
void	 db_bind_field(sqlite3_stmt *st, int i, int f, const char *v);
/* One row of auditoria: a change to guide guia, made by fonte. */
void	 db_audit(sqlite3 *db, long long guia, const char *campo,
	    const char *before, const char *after, const char *fonte);
/* Column as text or NULL; valid until the next step. */
const char *db_col_text(sqlite3_stmt *st, int i);

#endif
