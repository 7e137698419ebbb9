#include <sqlite3.h>

#include "db.h"
#include "i18n.h"
#include "importacao.h"
#include "log.h"
#include "util.h"

long long
importacao_next_id(sqlite3 *db)
{
	return db_int(db, "SELECT coalesce(max(id), 0) + 1 FROM importacao");
}

/*
 * Record the import of file name (sha) as situacao with counts n, begun
 * at inicio, as row id (0: a new id).  At the end of the import, not at
 * its start: the row's page, changed first and again last, was written
 * to the WAL at the start of a big import, then rewritten in place at
 * its end, and SQLite then reads every frame after it again to rewrite
 * their checksums.
 */
static void
record(sqlite3 *db, const char *name, const char *sha, const char *situacao,
    const struct importacao_counts *n, long long id, const char *inicio)
{
	sqlite3_stmt *st;
	char stamp[32];

	time_iso(stamp);
	st = db_prepare(db, "INSERT INTO importacao (id, arquivo, sha256, "
	    "situacao, linhas, guias, erros, inicio, fim) "
	    "VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9)");
	if (id > 0)
		sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, situacao, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, n->linhas);
	sqlite3_bind_int64(st, 6, n->guias);
	sqlite3_bind_int64(st, 7, n->erros);
	sqlite3_bind_text(st, 8, inicio, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 9, stamp, -1, SQLITE_TRANSIENT);
	db_step(db, st);
	sqlite3_finalize(st);
}

int
importacao_done(sqlite3 *db, const char *name, const char *sha)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT arquivo, fim FROM "
	    "importacao WHERE sha256=? AND situacao='importado'");
	int found = 0;

	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	if (db_step(db, st) == SQLITE_ROW) {
		log_notice(_("'%s' skipped: the same bytes were imported as "
		    "'%s' at %s"), name, db_col_text(st, 0),
		    db_col_text(st, 1));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

int
importacao_finish(sqlite3 *db, const char *name, const char *sha,
    const struct importacao_counts *n, long long id, const char *inicio,
    int ok)
{
	if (ok) {
		record(db, name, sha, "importado", n, id, inicio);
		db_exec(db, "COMMIT");
		return 1;
	}
	db_exec(db, "ROLLBACK");
	db_exec(db, "BEGIN IMMEDIATE");
	record(db, name, sha, "rejeitado", n, 0, inicio);
	db_exec(db, "COMMIT");
	return 0;
}
