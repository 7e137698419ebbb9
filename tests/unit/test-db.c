/*
 * Unit tests of stages/common/db.c: a full database (SQLITE_FULL, made
 * here with max_page_count) exits 74, as tiss(7) says: a person must
 * make room; waiting (75) does not help.
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
	snprintf(path, sizeof(path), "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return tap_done();
}
