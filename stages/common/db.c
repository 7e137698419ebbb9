#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "i18n.h"
#include "exitcodes.h"
#include "log.h"
#include "util.h"

static int
db_fail_code(int rc)
{
	rc &= 0xff;
	if (rc == SQLITE_BUSY || rc == SQLITE_LOCKED)
		return EXIT_TEMPFAIL;
	/*
	 * A full disk is 74, not 75: it does not clear by waiting, a person
	 * must make room (tiss(7)).  The transaction was rolled back, so a
	 * rerun after that is safe.
	 */
	if (rc == SQLITE_FULL || rc == SQLITE_IOERR || rc == SQLITE_CANTOPEN ||
	    rc == SQLITE_READONLY)
		return EXIT_IOERR;
	return EXIT_SOFTWARE;
}

/* What a person should do after error rc, for the end of a message. */
static const char *
db_hint(int rc)
{
	switch (rc & 0xff) {
	case SQLITE_FULL:
		return _("; the disk is full: free space and run again");
	case SQLITE_BUSY:
	case SQLITE_LOCKED:
		return _("; another program holds the database: run again later");
	default:
		return "";
	}
}

void
db_exec(sqlite3 *db, const char *sql)
{
	char *msg = NULL;
	int rc = sqlite3_exec(db, sql, NULL, NULL, &msg);

	if (rc != SQLITE_OK)
		fatal(db_fail_code(rc), _("database: %s (in \"%.60s\")%s"),
		    msg ? msg : sqlite3_errstr(rc), sql, db_hint(rc));
}

/* db's foreign keys on or off, between transactions; exits on error. */
static void
foreign_keys(sqlite3 *db, int on)
{
	int now = -1;

	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, on, &now) !=
	    SQLITE_OK || now != on)
		fatal(EXIT_SOFTWARE, on ? _("cannot turn the database's "
		    "foreign keys back on: %s") : _("cannot turn the "
		    "database's foreign keys off: %s"), sqlite3_errmsg(db));
}

/*
 * SQLite's check of a row's references looks up each parent (for the
 * import, guia for every procedure and importacao for every guide): 4%
 * of the import's instructions, for references it makes itself.
 */
void
db_bulk_begin(sqlite3 *db)
{
	foreign_keys(db, 0);
	db_exec(db, "BEGIN IMMEDIATE");
}

void
db_bulk_end(sqlite3 *db)
{
	foreign_keys(db, 1);
}

long long
db_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	long long v = 0;

	if (db_step(db, st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

sqlite3_stmt *
db_prepare(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);

	if (rc != SQLITE_OK)
		fatal(db_fail_code(rc), _("database: %s (in \"%.60s\")"),
		    sqlite3_errmsg(db), sql);
	return st;
}

int
db_step(sqlite3 *db, sqlite3_stmt *st)
{
	int rc = sqlite3_step(st);

	if (rc == SQLITE_ROW || rc == SQLITE_DONE ||
	    (rc & 0xff) == SQLITE_CONSTRAINT)
		return rc & 0xff;
	fatal(db_fail_code(rc), _("database: %s%s"), sqlite3_errmsg(db),
	    db_hint(rc));
}

void
db_bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, i);
}

void
db_bind_money(sqlite3_stmt *st, int i, int64_t v)
{
	if (v >= 0)
		sqlite3_bind_int64(st, i, v);
	else
		sqlite3_bind_null(st, i);
}

int
db_run(sqlite3 *db, const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = db_prepare(db, sql);
	va_list ap;
	int i, rc;

	va_start(ap, types);
	for (i = 0; types[i] != '\0'; i++)
		switch (types[i]) {
		case 't':
			db_bind_text(st, i + 1, va_arg(ap, const char *));
			break;
		case 'i':
			sqlite3_bind_int64(st, i + 1, va_arg(ap, long long));
			break;
		case 'm':
			db_bind_money(st, i + 1, va_arg(ap, long long));
			break;
		default:
			fatal(EXIT_SOFTWARE, "db_run: type '%c' in \"%s\"",
			    types[i], types);
		}
	va_end(ap);
	rc = db_step(db, st);
	sqlite3_finalize(st);
	return rc;
}

const char *
db_col_text(sqlite3_stmt *st, int i)
{
	return (const char *)sqlite3_column_text(st, i);
}

sqlite3 *
db_open(const char *path, int create)
{
	sqlite3 *db = NULL;
	/* Each connection is used by one thread: no mutex per call. */
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX |
	    (create ? SQLITE_OPEN_CREATE : 0);
	int rc;

	/* Memory statistics cost a global mutex per allocation; unused here. */
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	rc = sqlite3_open_v2(path, &db, flags, NULL);

	if (rc != SQLITE_OK)
		fatal(db_fail_code(rc), _("cannot open database '%s': %s"),
		    path, db ? sqlite3_errmsg(db) : sqlite3_errstr(rc));
	sqlite3_busy_timeout(db, 10000);
	sqlite3_extended_result_codes(db, 1);
	db_exec(db, "PRAGMA journal_mode = WAL");
	/*
	 * FULL: a commit is on disk before a stage moves its input to done/
	 * or reports success, so a power cut cannot lose an imported guide.
	 * Stages commit per file or per batch, so the cost is small.
	 */
	db_exec(db, "PRAGMA synchronous = FULL");
	db_exec(db, "PRAGMA foreign_keys = ON");
	/*
	 * Statement journals in memory: every INSERT that may abort journals
	 * the pages it touches, and on a temp file that is one write each.
	 */
	db_exec(db, "PRAGMA temp_store = MEMORY");
	db_cache(db, DB_CACHE_MB);
	return db;
}

void
db_cache(sqlite3 *db, long mb)
{
	char sql[64];

	/*
	 * SQLite's default page cache is 2 MiB: under one big transaction
	 * (an import of a million guides, a lote build) the unique indexes'
	 * pages are read and written again and again through the WAL, and
	 * the cost of a guide grows with the table.  A negative cache_size
	 * is in KiB; the cache only grows as pages are used.
	 */
	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%ld", mb * 1024);
	db_exec(db, sql);
}

static void (*close_hook)(sqlite3 *);

void
db_set_close_hook(void (*fn)(sqlite3 *db))
{
	close_hook = fn;
}

void
db_close(sqlite3 *db)
{
	if (db && close_hook)
		close_hook(db);
	if (db && sqlite3_close(db) != SQLITE_OK)
		log_warn(_("database close: %s"), sqlite3_errmsg(db));
}

void
db_audit(sqlite3 *db, long long guia, const char *campo, const char *before,
    const char *after, const char *fonte)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO auditoria (quando, "
	    "guia_id, campo, antes, depois, fonte) VALUES (?,?,?,?,?,?)");
	char stamp[32];

	time_iso(stamp);
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, guia);
	sqlite3_bind_text(st, 3, campo, -1, SQLITE_STATIC);
	db_bind_text(st, 4, before);
	db_bind_text(st, 5, after);
	sqlite3_bind_text(st, 6, fonte, -1, SQLITE_STATIC);
	db_step(db, st);
	sqlite3_finalize(st);
}
