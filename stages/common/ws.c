#include <sys/file.h>
#include <sys/stat.h>

#include <ctype.h>
#include <errno.h>
#include <grp.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "exitcodes.h"
#include "fmt.h"
#include "i18n.h"
#include "log.h"
#include "migrate.h"
#include "util.h"
#include "ws.h"

const char *
ws_dir(const char *opt)
{
	const char *env = getenv("TISS_WORKSPACE");

	if (opt && *opt)
		return opt;
	if (env && *env)
		return env;
	return ".";
}

char *
ws_path(const struct ws *ws, const char *rel)
{
	return xasprintf("%s/%s", ws->dir, rel);
}

/* The time zone of [workspace] fuso_horario for fmt; exits 78 on a bad one. */
static void
ws_zone(const struct cfg *cfg, char *db_path)
{
	const char *zone = cfg_get(cfg, "workspace", "fuso_horario");

	if (fmt_set_zone(zone) == 0)
		return;
	free(db_path);
	fatal(EXIT_CONFIG, _("%s:%d: [workspace] fuso_horario: '%s' is not a "
	    "time zone; write one such as America/Sao_Paulo (the names are "
	    "in /usr/share/zoneinfo)"), cfg->path,
	    cfg_line(cfg, "workspace", "fuso_horario"), zone);
}

void
ws_open(struct ws *ws, const char *dir)
{
	struct stat sb;
	char *db_path, *conf_path;

	memset(ws, 0, sizeof(*ws));
	ws->dir = xstrdup(dir);
	ws->lock_fd = -1;
	ws->fmode = ws_umask(NULL);
	db_path = ws_path(ws, "tiss.db");
	conf_path = ws_path(ws, "tiss.conf");
	if (stat(db_path, &sb) != 0 || stat(conf_path, &sb) != 0)
		fatal(EXIT_CONFIG, _("'%s' is not a workspace (no tiss.db or "
		    "tiss.conf); create one with 'tiss-init %s' or give -C "
		    "DIR"), dir, dir);
	cfg_load(&ws->cfg, conf_path);
	free(conf_path);
	ws_zone(&ws->cfg, db_path);
	ws->fmode = ws_umask(&ws->cfg);
	ws->db = db_open(db_path, 0);
	migrate(ws->db, db_path);
	ws->cache_mb = cfg_get_long(&ws->cfg, "workspace", "cache_mb",
	    DB_CACHE_MB, 1, 4096);
	db_cache(ws->db, ws->cache_mb);
	free(db_path);
}

void
ws_close(struct ws *ws)
{
	db_close(ws->db);
	cfg_release(&ws->cfg);
	if (ws->lock_fd >= 0)
		close(ws->lock_fd);
	free(ws->dir);
	memset(ws, 0, sizeof(*ws));
	ws->lock_fd = -1;
}

void
ws_lock(struct ws *ws, const char *name)
{
	char *rel = xasprintf("%s.lock", name);
	char *path = ws_path(ws, rel);
	char shown[4096];
	int fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, ws->fmode);
	int locked = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;
	int err = errno;

	/* Freed before any exit: LeakSanitizer counts what fatal leaves. */
	snprintf(shown, sizeof(shown), "%s", path);
	free(rel);
	free(path);
	if (locked) {
		ws->lock_fd = fd;
		return;
	}
	if (fd < 0)
		fatal(EXIT_IOERR, _("cannot open lock '%s': %s"), shown,
		    strerror(err));
	if (err == EWOULDBLOCK)
		fatal(EXIT_TEMPFAIL, _("another %s is running in '%s'; "
		    "try again when it ends"), name, ws->dir);
	fatal(EXIT_IOERR, _("cannot lock '%s': %s"), shown, strerror(err));
}

int
ws_group(const struct cfg *cfg, gid_t *gid)
{
	const char *name = cfg ? cfg_get(cfg, "workspace", "group") : NULL;
	struct group *gr;
	char *end;
	long n;

	if (name == NULL)
		return 0;
	if ((gr = getgrnam(name)) != NULL) {
		*gid = gr->gr_gid;
		return 1;
	}
	n = strtol(name, &end, 10);
	if (isdigit((unsigned char)name[0]) && *end == '\0' && n >= 0) {
		*gid = (gid_t)n;
		return 1;
	}
	fatal(EXIT_CONFIG, _("%s:%d: [workspace] group: no group '%s' on this "
	    "machine; create it (groupadd) or remove the line"), cfg->path,
	    cfg_line(cfg, "workspace", "group"), name);
}

mode_t
ws_umask(const struct cfg *cfg)
{
	gid_t gid;

	if (ws_group(cfg, &gid)) {
		umask(027);
		return 0640;
	}
	umask(077);
	return 0600;
}
