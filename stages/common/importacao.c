#include <sqlite3.h>

#include "db.h"
#include "i18n.h"
#include "importacao.h"
#include "log.h"
#include "util.h"

long long
importacao_record(sqlite3 *db, const char *name, const char *sha,
    const char *situacao, const struct importacao_counts *n, long long id)
{
	sqlite3_stmt *st;
	char stamp[32];

	time_iso(stamp);
	st = db_prepare(db, id ? "UPDATE importacao SET linhas=?4, guias=?5, "
	    "erros=?6, fim=?7 WHERE id=?8" : "INSERT INTO importacao "
	    "(arquivo, sha256, situacao, linhas, guias, erros, inicio, fim) "
	    "VALUES (?1,?2,?3,?4,?5,?6,?7,?7)");
	if (!id) {
		sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 2, sha, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(st, 3, situacao, -1, SQLITE_STATIC);
	}
	sqlite3_bind_int64(st, 4, n->linhas);
	sqlite3_bind_int64(st, 5, n->guias);
	sqlite3_bind_int64(st, 6, n->erros);
	sqlite3_bind_text(st, 7, stamp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 8, id);
	db_step(db, st);
	sqlite3_finalize(st);
	return id ? id : sqlite3_last_insert_rowid(db);
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
    const struct importacao_counts *n, long long id, int ok)
{
	if (ok) {
		importacao_record(db, name, sha, "importado", n, id);
		db_exec(db, "COMMIT");
		return 1;
	}
	db_exec(db, "ROLLBACK");
	db_exec(db, "BEGIN IMMEDIATE");
	importacao_record(db, name, sha, "rejeitado", n, 0);
	db_exec(db, "COMMIT");
	return 0;
}
