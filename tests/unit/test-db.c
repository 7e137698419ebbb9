/*
 * Unit tests of stages/common/db.c: a full database (SQLITE_FULL, made
 * here with max_page_count) exits 74, as tiss(7) says: a person must
 * make room; waiting (75) does not help.  db_int; db_bulk_begin turns
 * the foreign keys off for its transaction and db_bulk_end on again.
 */
#include <sys/wait.h>

#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/db.h"
#include "common/log.h"
#include "tap.h"

int
main(void)
{
	(void)ok_str;	/* tap.h helper unused here */
	char dir[512], path[600];
	sqlite3 *db;
	pid_t pid;
	int status;

	if (tap_tmpdir("db", dir, sizeof(dir)) != 0)
		return 1;
	snprintf(path, sizeof(path), "%s/t.db", dir);
	log_init("test-db", LOG_QUIET);
	if ((pid = fork()) == 0) {
		if (freopen("/dev/null", "w", stderr) == NULL)
			_exit(1);
		db = db_open(path, 1);
		db_exec(db, "CREATE TABLE t (x); PRAGMA max_page_count = 30");
		db_exec(db, "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL "
		    "SELECT i + 1 FROM n WHERE i < 10000) INSERT INTO t "
		    "SELECT randomblob(200) FROM n");
		_exit(0);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 74,
	    "a full database exits 74");
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 74)
		printf("# status %d\n", status);
	snprintf(path, sizeof(path), "%s/u.db", dir);
	db = db_open(path, 1);
	ok(db_int(db, "PRAGMA foreign_keys") == 1, "foreign keys on at open");
	db_exec(db, "CREATE TABLE p (id INTEGER PRIMARY KEY); CREATE TABLE c "
	    "(p INTEGER REFERENCES p(id))");
	ok(db_int(db, "SELECT max(id) FROM p WHERE id > 0") == 0,
	    "db_int: NULL is 0");
	ok(db_int(db, "SELECT 1 WHERE 0") == 0, "db_int: no row is 0");
	db_bulk_begin(db);
	ok(db_int(db, "PRAGMA foreign_keys") == 0, "off in a bulk transaction");
	db_exec(db, "INSERT INTO c VALUES (7); INSERT INTO p VALUES (7)");
	db_exec(db, "COMMIT");
	db_bulk_end(db);
	ok(db_int(db, "PRAGMA foreign_keys") == 1, "on again after it");
	ok(db_int(db, "SELECT count(*) FROM c") == 1 &&
	    db_int(db, "SELECT count(*) FROM pragma_foreign_key_check") == 0,
	    "a row written before its parent, in the same transaction");
	db_close(db);
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
