/*
 * Unit tests of stages/common/state.c: a validation's write leaves the
 * guide validated (validadoEm not before alteradoEm) even when its
 * status changes after the validator took its time stamp; before, the
 * status change took the clock's "now" and every such guide was counted
 * unvalidated (gsel_unvalidated), checked again by every later import.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/db.h"
#include "common/gsel.h"
#include "common/log.h"
#include "common/state.h"
#include "tap.h"

/* Column `col` of guide 1 as text into out. */
static void
column(sqlite3 *db, const char *col, char out[32])
{
	char sql[96];
	sqlite3_stmt *st;

	snprintf(sql, sizeof(sql), "SELECT %s FROM guia WHERE id = 1", col);
	st = db_prepare(db, sql);
	snprintf(out, 32, "%s", db_step(db, st) == SQLITE_ROW &&
	    db_col_text(st, 0) ? db_col_text(st, 0) : "(null)");
	sqlite3_finalize(st);
}

int
main(void)
{
	char dir[256], path[320], v[32];
	sqlite3 *db;

	if (tap_tmpdir("state", dir, sizeof(dir)) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	log_init("test-state", LOG_QUIET);
	db = db_open(path, 1);
	/* The columns the statements read and write. */
	db_exec(db, "CREATE TABLE guia (id INTEGER PRIMARY KEY, status TEXT, "
	    "lote_id INTEGER, valorTotalProc INTEGER, validadoEm TEXT, "
	    "alteradoEm TEXT, validadoCom INTEGER); INSERT INTO guia VALUES "
	    "(1, 'incompleto', NULL, NULL, NULL, '1999-12-31T23:59:59Z', "
	    "NULL)");
	ok(state_guia_validated(db, 1, GUIA_COMPLETO, 1234,
	    "2000-01-01T00:00:00Z", -42) == 1, "a validation is written");
	column(db, "status", v);
	ok_str(v, "completo", "with its status");
	column(db, "validadoCom", v);
	ok_str(v, "-42", "and the fingerprint it was checked under");
	column(db, "alteradoEm", v);
	ok_str(v, "2000-01-01T00:00:00Z", "a status change is stamped with "
	    "the validation's time, not later");
	ok(gsel_unvalidated(db) == 0, "the guide counts as validated");
	ok(state_guia_validated(db, 1, GUIA_COMPLETO, 1234,
	    "2000-01-02T00:00:00Z", 7) == 1, "validated again, same status");
	column(db, "alteradoEm", v);
	ok_str(v, "2000-01-01T00:00:00Z", "the same status leaves "
	    "alteradoEm as it was");
	db_exec(db, "UPDATE guia SET alteradoEm = '2000-01-03T00:00:00Z'");
	ok(state_guia_validated(db, 1, GUIA_INCOMPLETO, 0,
	    "2000-01-02T12:00:00Z", 7) == 1, "validated after an edit");
	column(db, "alteradoEm", v);
	ok_str(v, "2000-01-03T00:00:00Z", "an edit later than the "
	    "validator's stamp is never moved back");
	ok(gsel_unvalidated(db) == 1, "so the guide is checked again");
	ok(state_guia_set(db, 1, GUIA_COMPLETO, 0) == 1 &&
	    (column(db, "validadoCom", v), strcmp(v, "7") == 0),
	    "a move to completo keeps the fingerprint");
	ok(state_guia_set(db, 1, GUIA_INCOMPLETO, 0) == 1 &&
	    (column(db, "validadoCom", v), strcmp(v, "(null)") == 0),
	    "a move to incompleto (an edit's) clears it: checked again");
	db_close(db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
