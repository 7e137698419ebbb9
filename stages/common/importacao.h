/*
 * The importacao table: one record per CSV file tiss-import read, with
 * its sha256 (a file with the same bytes is not imported twice), what
 * became of it (importado, rejeitado) and its counts.  Every function
 * runs in the caller's transaction and exits through db_step on a
 * database error.
 */
#ifndef TISS_IMPORTACAO_H
#define TISS_IMPORTACAO_H

#include <sqlite3.h>

struct importacao_counts {
	long	 linhas;	/* data rows read */
	long	 guias;		/* guides stored or changed */
	long	 erros;		/* problems reported */
};

/*
 * The id the next row will have, in the caller's write transaction: an
 * import gives it to its guides and records the row at its end
 * (importacao_finish).  Returns it.
 */
long long importacao_next_id(sqlite3 *db);

/*
 * End the transaction of the import of file name (sha), begun at inicio
 * (ISO time) with id from importacao_next_id: when ok, record it with
 * counts n as importado and commit, returning 1; else roll it all back
 * and record the file as rejeitado with counts n (a new id) in a
 * transaction of its own, returning 0.
 */
int	 importacao_finish(sqlite3 *db, const char *name, const char *sha,
	    const struct importacao_counts *n, long long id, const char *inicio,
	    int ok);

/*
 * Whether a file with these bytes (sha) was imported; if so, says when
 * and as what (log_notice, naming name).  Returns 1 or 0.
 */
int	 importacao_done(sqlite3 *db, const char *name, const char *sha);

#endif
