/*
 * The workspace database: opening it with the settings every stage needs
 * (WAL, foreign keys, busy timeout) and bringing its schema up to date.
 */
#ifndef TISS_DB_H
#define TISS_DB_H

#include <stdint.h>

#include <sqlite3.h>


/*
 * Every function here that exits on a database error uses one mapping:
 * busy or locked 75 (another program holds it: run again later); disk
 * full, I/O error, cannot open, read-only 74 (a person must act); any
 * other 70 (a bug).  SQLite rolls back the failed transaction, so a
 * rerun is safe.
 */

/*
 * Open (creating if create is set) the database at path with WAL,
 * synchronous FULL and foreign keys.  Returns the connection, closed with
 * db_close.  Exits as above.  The caller that opens a workspace migrates
 * it (migrate.h: ws_open, tiss-init).
 */
sqlite3	*db_open(const char *path, int create);
/* The page cache db_open gives a connection, in MiB. */
#define DB_CACHE_MB	16
/*
 * Size db's page cache to mb MiB (a bound: pages are allocated as they
 * are used).  Exits on error as above.
 */
void	 db_cache(sqlite3 *db, long mb);
/* Call the close hook (a module's cached statements) and close db; NULL is a no-op. */
void	 db_close(sqlite3 *db);
/*
 * fn is called with each connection db_close closes, before it closes:
 * state.c finalizes the statements it keeps.  One hook per process.
 */
void	 db_set_close_hook(void (*fn)(sqlite3 *db));

/*
 * BEGIN IMMEDIATE with db's foreign keys off, for a writer whose every
 * reference is made by construction and that deletes no parent row (the
 * import); db_bulk_end, after its COMMIT or ROLLBACK, turns them on
 * again.  Exits on error as above.
 */
void	 db_bulk_begin(sqlite3 *db);
void	 db_bulk_end(sqlite3 *db);
/* Run SQL with no result; exits on error as above. */
void	 db_exec(sqlite3 *db, const char *sql);
/*
 * Run sql, a query of no parameter; returns the first column of its
 * first row as an integer, 0 when there is no row.  Exits on error as
 * above.
 */
long long db_int(sqlite3 *db, const char *sql);
/*
 * Prepare a statement; the caller finalizes it.  Exits on error as
 * above (70 for a bug in our SQL).
 */
sqlite3_stmt *db_prepare(sqlite3 *db, const char *sql);
/*
 * Step a statement that returns no row or one row; returns SQLITE_ROW,
 * SQLITE_DONE or SQLITE_CONSTRAINT, exits on any other error as above.
 */
int	 db_step(sqlite3 *db, sqlite3_stmt *st);

/* Bind a copy of text s, or NULL when s is NULL; s stays the caller's. */
void	 db_bind_text(sqlite3_stmt *st, int i, const char *s);
/*
 * Bind v, an amount in hundredths, or NULL when v is negative (not
 * given, as xml_child_hundredths says).
 */
void	 db_bind_money(sqlite3_stmt *st, int i, int64_t v);
/*
 * Run one statement that returns no row (INSERT, UPDATE, DELETE), its
 * parameters bound in order from the arguments as types says, a letter
 * each: 't' a const char * (NULL binds NULL; the text is copied), 'i' a
 * long long, 'm' a long long that may be missing: negative binds NULL
 * (an amount in hundredths not given, as db_bind_money).  Pass exactly those C types: the arguments are read
 * with va_arg.  Returns SQLITE_DONE, or SQLITE_CONSTRAINT when a
 * constraint refused the change; exits on any other error as above.
 */
int	 db_run(sqlite3 *db, const char *sql, const char *types, ...);
/*
 * One row of auditoria: a change to guide guia, made by fonte, stamped
 * with the wall clock.  campo and fonte must outlive the statement (they
 * are bound static: pass literals).  Exits on error as above.
 */
void	 db_audit(sqlite3 *db, long long guia, const char *campo,
	    const char *before, const char *after, const char *fonte);
/*
 * Column i as text or NULL; owned by SQLite, valid until the next step,
 * reset or finalize of st.
 */
const char *db_col_text(sqlite3_stmt *st, int i);

#endif
