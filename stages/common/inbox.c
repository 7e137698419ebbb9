/*
 * The hot folder: see inbox.h for the contract.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "exitcodes.h"
#include "inbox.h"
#include "log.h"
#include "text.h"
#include "util.h"

static void
ensure_dir(const char *path)
{
	if (mkdir(path, 0770) != 0 && errno != EEXIST)
		fatal(EXIT_IOERR, "cannot create '%s': %s", path,
		    strerror(errno));
}

void
inbox_open(struct inbox *ib, const char *dir)
{
	ib->dir = xstrdup(dir);
	ib->processing = xasprintf("%s/processing", dir);
	ib->done = xasprintf("%s/done", dir);
	ib->error = xasprintf("%s/error", dir);
	ib->fmode = 0600;
	ensure_dir(ib->dir);
	ensure_dir(ib->processing);
	ensure_dir(ib->done);
	ensure_dir(ib->error);
}

void
inbox_close(struct inbox *ib)
{
	free(ib->dir);
	free(ib->processing);
	free(ib->done);
	free(ib->error);
	memset(ib, 0, sizeof(*ib));
}

/* name escaped for a message; caller frees. */
static char *
escaped(const char *name)
{
	struct buf b = { 0 };

	text_escape(name, &b);
	buf_addc(&b, '\0');
	return b.data;
}

/*
 * Move from to dir_to/prefix+name without overwriting: a numeric suffix
 * is added while the target exists (the import lock makes check and
 * rename one step).  Returns the new path (caller frees) or NULL after
 * logging.
 */
static char *
move_file(const char *from, const char *dir_to, const char *prefix,
    const char *name)
{
	struct stat sb;
	char *to = xasprintf("%s/%s%s", dir_to, prefix, name), *e;
	int i;

	for (i = 1; lstat(to, &sb) == 0; i++) {
		free(to);
		to = xasprintf("%s/%s%s.%d", dir_to, prefix, name, i);
	}
	if (rename(from, to) != 0) {
		e = escaped(name);
		log_error("cannot move '%s' to '%s': %s", e, dir_to,
		    strerror(errno));
		free(e);
		free(to);
		return NULL;
	}
	return to;
}

void
inbox_recover(struct inbox *ib)
{
	DIR *d = opendir(ib->processing);
	struct dirent *e;
	struct stat sb;
	char *from, *to, *shown;

	if (d == NULL)
		fatal(EXIT_IOERR, "cannot read '%s': %s", ib->processing,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		from = xasprintf("%s/%s", ib->processing, e->d_name);
		if (lstat(from, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    (to = move_file(from, ib->dir, "", e->d_name)) != NULL) {
			shown = escaped(e->d_name);
			log_warn("'%s' was left in processing/ by an "
			    "interrupted run; put back in the inbox", shown);
			free(shown);
			free(to);
		}
		free(from);
	}
	closedir(d);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

static int
by_age(const void *a, const void *b)
{
	const struct inbox_file *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

/* Whether dir/name is a candidate now; fills *f (name not set). */
static int
candidate(const char *dir, const char *nm, long min_age, time_t now,
    struct inbox_file *f)
{
	struct stat sb;
	char *path;
	int ok;

	if (nm[0] == '.' || ends_with(nm, ".tmp") || ends_with(nm, ".part") ||
	    !ends_with(nm, ".csv"))
		return 0;
	path = xasprintf("%s/%s", dir, nm);
	ok = lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) && sb.st_size > 0;
	free(path);
	if (!ok)
		return 0;
	if (now - sb.st_mtime < min_age) {
		path = escaped(nm);
		log_info("'%s' changed less than %lds ago; left for the next "
		    "run", path, min_age);
		free(path);
		return 0;
	}
	f->dev = sb.st_dev;
	f->ino = sb.st_ino;
	f->mtime = sb.st_mtime;
	f->size = sb.st_size;
	return 1;
}

struct inbox_file *
inbox_scan(struct inbox *ib, long min_age, size_t *count)
{
	DIR *d = opendir(ib->dir);
	struct dirent *e;
	struct inbox_file *list = NULL, f;
	time_t now = time(NULL);
	size_t n = 0;

	if (d == NULL)
		fatal(EXIT_IOERR, "cannot read '%s': %s", ib->dir,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (!candidate(ib->dir, e->d_name, min_age, now, &f))
			continue;
		f.name = xstrdup(e->d_name);
		f.shown = escaped(e->d_name);
		list = xrealloc(list, (n + 1) * sizeof(*list));
		list[n++] = f;
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), by_age);
	*count = n;
	return list;
}

void
inbox_files_free(struct inbox_file *list, size_t count)
{
	size_t i;

	for (i = 0; i < count; i++) {
		free(list[i].name);
		free(list[i].shown);
	}
	free(list);
}

/* Open claimed path and check it is the scanned file; see inbox_claim. */
static int
open_checked(const char *path, const struct inbox_file *f, int *fd,
    char *whybuf, size_t whylen, const char **why)
{
	struct stat sb;

	*fd = open(path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0) {
		snprintf(whybuf, whylen, "%s", errno == ELOOP ?
		    "a symbolic link (swapped in after the scan?); not read" :
		    strerror(errno));
		*why = whybuf;
		return INBOX_REFUSED;
	}
	if (fstat(*fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		*why = "not a regular file (swapped in after the scan?); "
		    "not read";
	} else if (sb.st_dev != f->dev || sb.st_ino != f->ino) {
		*why = "another file was put in its place after the scan; "
		    "not read";
	} else if (sb.st_size != f->size || sb.st_mtime != f->mtime) {
		close(*fd);
		*fd = -1;
		return INBOX_WAIT;
	} else
		return INBOX_CLAIMED;
	close(*fd);
	*fd = -1;
	return INBOX_REFUSED;
}

int
inbox_claim(struct inbox *ib, const struct inbox_file *f, int *fd,
    char *whybuf, size_t whylen, const char **why)
{
	char *from = xasprintf("%s/%s", ib->dir, f->name);
	char *to = xasprintf("%s/%s", ib->processing, f->name);
	int rc;

	*fd = -1;
	*why = NULL;
	/* A rename is atomic, and a second reader sees the file gone. */
	if (rename(from, to) != 0) {
		rc = errno == ENOENT ? INBOX_GONE : -1;
		if (rc < 0)
			log_error("cannot claim '%s': %s", f->shown,
			    strerror(errno));
	} else if ((rc = open_checked(to, f, fd, whybuf, whylen, why)) ==
	    INBOX_WAIT) {
		log_info("'%s' is still being written; left for the next run",
		    f->shown);
		inbox_putback(ib, f);
	}
	free(from);
	free(to);
	return rc;
}

/* Move claimed f into dir under a time-stamped name; the new path. */
static char *
file_away(struct inbox *ib, const struct inbox_file *f, const char *dir)
{
	char *path = xasprintf("%s/%s", ib->processing, f->name), *moved;
	char stamp[32], prefix[40];

	time_stamp(stamp);
	snprintf(prefix, sizeof(prefix), "%s-", stamp);
	moved = move_file(path, dir, prefix, f->name);
	free(path);
	return moved;
}

int
inbox_done(struct inbox *ib, const struct inbox_file *f)
{
	char *moved = file_away(ib, f, ib->done);

	free(moved);
	return moved ? 0 : -1;
}

int
inbox_reject(struct inbox *ib, const struct inbox_file *f,
    const char *reason, size_t n)
{
	char *moved = file_away(ib, f, ib->error), *name, *shown;
	int rc = -1;

	if (moved == NULL)
		return -1;
	name = xasprintf("%s.reason", strrchr(moved, '/') + 1);
	if (write_file_atomic(ib->error, name, reason, n, (int)ib->fmode) == 0) {
		shown = escaped(name);
		log_notice("'%s' moved to error/ with the list of problems "
		    "in '%s/%s'", f->shown, ib->error, shown);
		free(shown);
		rc = 0;
	}
	free(name);
	free(moved);
	return rc;
}

void
inbox_putback(struct inbox *ib, const struct inbox_file *f)
{
	char *path = xasprintf("%s/%s", ib->processing, f->name);

	free(move_file(path, ib->dir, "", f->name));
	free(path);
}
