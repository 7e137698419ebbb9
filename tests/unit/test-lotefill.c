/*
 * Unit tests of state_lote_fill (stages/common/state.c), the lote
 * build's move of a lote's guides: with the connection's triggers and
 * foreign keys off (state_fill_begin) it does their work once for the
 * lote, and the lote ends as the triggers leave it when they run per
 * guide (revisao + 1 a guide and for the status, approval voided); the
 * triggers and foreign keys are back on after state_fill_end; a schema
 * with a trigger it does not know keeps them on.
 */
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/db.h"
#include "common/log.h"
#include "common/migrate.h"
#include "common/state.h"
#include "tap.h"

/* The one integer or text SQL gives, as text into out. */
static void
value(sqlite3 *db, const char *sql, char out[64])
{
	sqlite3_stmt *st = db_prepare(db, sql);

	snprintf(out, 64, "%s", db_step(db, st) == SQLITE_ROW &&
	    db_col_text(st, 0) ? db_col_text(st, 0) : "(null)");
	sqlite3_finalize(st);
}

/* Guides 1..5 completo of prestador P, lote 1 aberto and approved. */
static void
setup(sqlite3 *db)
{
	int i;
	char sql[256];

	db_exec(db, "DELETE FROM guia; DELETE FROM lote; INSERT INTO lote "
	    "(id, codigoPrestadorNaOperadora, numeroLote, competencia, "
	    "criadoEm, alteradoEm, aprovadoEm, aprovadoPor) VALUES (1, 'P', "
	    "1, '2026-03', 'x', 'x', 'a', 'ana'), (2, 'P', 2, '2026-03', "
	    "'x', 'x', NULL, NULL)");
	for (i = 1; i <= 5; i++) {
		snprintf(sql, sizeof(sql), "INSERT INTO guia (id, "
		    "codigoPrestadorNaOperadora, numeroGuiaPrestador, status, "
		    "origem, criadoEm, alteradoEm) VALUES (%d, 'P', 'G%d', "
		    "'completo', 'manual', 'x', 'x')", i, i);
		db_exec(db, sql);
	}
}

/* Fill lote 1 with guides 1..3 (fast: through state_fill_begin). */
static void
fill(sqlite3 *db, int fast, const char *what)
{
	static const long long ids[] = { 1, 2, 3 };
	char v[64], name[160];
	int off = 0;

	setup(db);
	db_exec(db, "BEGIN IMMEDIATE");
	if (fast)
		off = state_fill_begin(db);
	snprintf(name, sizeof(name), "%s: the triggers are %s", what,
	    fast ? "off" : "on");
	ok(off == fast, name);
	snprintf(name, sizeof(name), "%s: three guides move", what);
	ok(state_lote_fill(db, 1, ids, 3) == 3, name);
	snprintf(name, sizeof(name), "%s: not into a lote already closed",
	    what);
	ok(state_lote_fill(db, 1, ids + 2, 1) == -1, name);
	if (off)
		state_fill_end(db);
	db_exec(db, "COMMIT");
	value(db, "SELECT status || ' ' || revisao || ' ' || coalesce("
	    "aprovadoEm, '-') || coalesce(aprovadoPor, '-') FROM lote WHERE "
	    "id = 1", v);
	snprintf(name, sizeof(name), "%s: the lote closed, revisao + 1 a "
	    "guide and for the status, approval voided", what);
	ok_str(v, "fechado 4 --", name);
	value(db, "SELECT group_concat(id || status || coalesce(lote_id, "
	    "'-'), ' ') FROM guia", v);
	snprintf(name, sizeof(name), "%s: the guides em_lote in lote 1", what);
	ok_str(v, "1em_lote1 2em_lote1 3em_lote1 4completo- 5completo-",
	    name);
}

int
main(void)
{
	char dir[256], path[320], v[64];
	sqlite3 *db;
	int rc;

	if (tap_tmpdir("lotefill", dir, sizeof(dir)) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	log_init("test-lotefill", LOG_QUIET);
	db = db_open(path, 1);
	migrate(db, path);
	fill(db, 1, "triggers off");
	db_exec(db, "UPDATE guia SET lote_id = 2 WHERE id = 1");
	value(db, "SELECT revisao FROM lote WHERE id = 2", v);
	ok_str(v, "1", "the triggers run again after state_fill_end");
	rc = sqlite3_exec(db, "UPDATE guia SET lote_id = 99 WHERE id = 4",
	    NULL, NULL, NULL);
	ok((rc & 0xff) == SQLITE_CONSTRAINT, "so do the foreign keys");
	fill(db, 0, "triggers on");
	db_exec(db, "CREATE TRIGGER other AFTER UPDATE ON lote_numero BEGIN "
	    "SELECT 1; END");
	db_exec(db, "BEGIN IMMEDIATE");
	ok(state_fill_begin(db) == 0, "a trigger state_lote_fill does not "
	    "know keeps the triggers on");
	state_fill_end(db);
	db_exec(db, "COMMIT");
	db_close(db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
