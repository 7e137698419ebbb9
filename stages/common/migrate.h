/*
 * The workspace database's schema, as forward migrations: each takes the
 * schema from version i to i + 1 (PRAGMA user_version).  A shipped
 * migration is never edited; a change is a new one at the end.
 */
#ifndef TISS_MIGRATE_H
#define TISS_MIGRATE_H

#include <sqlite3.h>

/* The schema version this program writes (PRAGMA user_version). */
int	 db_schema_version(void);

/*
 * Apply the migrations db lacks, all in one transaction.  Exits 78 when
 * the database is newer than this program (path names it).
 */
void	 migrate(sqlite3 *db, const char *path);

#endif
