/*
 * A workspace: a directory with tiss.db, tiss.conf, secrets/, inbox/
 * (with processing/, done/, error/), out/ and reports/.  Every stage
 * opens one, given by -C DIR, else $TISS_WORKSPACE, else ".".
 */
#ifndef TISS_WS_H
#define TISS_WS_H

#include <sqlite3.h>

#include "cfg.h"

struct ws {
	char	*dir;		/* the workspace directory */
	struct cfg cfg;		/* tiss.conf */
	sqlite3	*db;		/* tiss.db, migrated */
	int	 lock_fd;	/* held by ws_lock, -1 when none */
};

/* The workspace directory: opt if given, else $TISS_WORKSPACE, else ".". */
const char *ws_dir(const char *opt);
/* Open an existing workspace; exits 78 with a hint when dir is not one. */
void	 ws_open(struct ws *ws, const char *dir);
void	 ws_close(struct ws *ws);
/* dir/rel, newly allocated. */
char	*ws_path(const struct ws *ws, const char *rel);
/*
 * Take the exclusive lock dir/NAME.lock without waiting; exits 75 when
 * another process holds it.  Released at exit or by ws_close.
 */
void	 ws_lock(struct ws *ws, const char *name);

#endif
