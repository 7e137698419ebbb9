/*
 * A workspace: a directory with tiss.db, tiss.conf, secrets/, inbox/
 * (with processing/, done/, error/), out/ and reports/.  Every stage
 * opens one, given by -C DIR, else $TISS_WORKSPACE, else ".".
 *
 * It holds patient data (names, card numbers: LGPD), so what the project
 * creates in it is private: ws_open and tiss-init set the process umask
 * here, in one place, to 077 (directories 0700, files 0600), or to 027
 * when tiss.conf names a clerks' group ([workspace] group), whatever
 * umask the caller had.
 */
#ifndef TISS_WS_H
#define TISS_WS_H

#include <sys/types.h>

#include <sqlite3.h>

#include "cfg.h"

struct ws {
	char	*dir;		/* the workspace directory; owned */
	struct cfg cfg;		/* tiss.conf; owned */
	sqlite3	*db;		/* tiss.db, migrated; owned */
	int	 lock_fd;	/* held by ws_lock, -1 when none */
	mode_t	 fmode;		/* mode of new files: 0600, or 0640 with a group */
	long	 cache_mb;	/* [workspace] cache_mb: the page cache's bound */
};

/*
 * The workspace directory: opt if given and not empty, else
 * $TISS_WORKSPACE, else ".".  Returns opt, the environment's string or a
 * literal; nothing to free.
 */
const char *ws_dir(const char *opt);

/*
 * Open an existing workspace: set the umask (ws_umask), read tiss.conf,
 * open and migrate tiss.db.  Exits 78 with a hint when dir is not a
 * workspace or tiss.conf is bad, and as db_open does.  Release with
 * ws_close.
 */
void	 ws_open(struct ws *ws, const char *dir);

/* Close the database, release the lock and free what ws_open made. */
void	 ws_close(struct ws *ws);

/* dir/rel, newly allocated; the caller frees it.  Never fails. */
char	*ws_path(const struct ws *ws, const char *rel);

/*
 * Take the exclusive lock dir/NAME.lock without waiting; exits 75 when
 * another process holds it, 74 when it cannot be created.  Released at
 * exit or by ws_close.
 */
void	 ws_lock(struct ws *ws, const char *name);

/*
 * The clerks' group of cfg ([workspace] group, a name or a number) into
 * *gid: returns 1 when one is set, 0 when not (cfg may be NULL).  Exits
 * 78 naming tiss.conf's line when the group does not exist.
 */
int	 ws_group(const struct cfg *cfg, gid_t *gid);

/*
 * Set the process umask for the workspace of cfg (NULL: none read yet):
 * 077, or 027 when ws_group finds a group.  Returns the mode new files
 * get, 0600 or 0640.  Exits as ws_group.
 */
mode_t	 ws_umask(const struct cfg *cfg);

#endif
