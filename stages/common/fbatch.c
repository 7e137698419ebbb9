#define _GNU_SOURCE	/* sync_file_range */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "fbatch.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

int
fbatch_add(struct fbatch *b, const char *dir, const char *name,
    const void *data, size_t n, int mode)
{
	struct fbatch_file f;
	int saved;

	f.tmp = xasprintf("%s/.%s.tmp", dir, name);
	/* A stale temp file could have a wider mode: start afresh. */
	unlink(f.tmp);
	f.fd = open(f.tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (f.fd < 0 || write_all(f.fd, data, n) != 0) {
		saved = errno;
		log_error(_("cannot write '%s': %s"), f.tmp, strerror(saved));
		if (f.fd >= 0)
			close(f.fd);
		unlink(f.tmp);
		free(f.tmp);
		errno = saved;
		return -1;
	}
	/* Start the writeback now: the flush then mostly waits for none. */
	(void)sync_file_range(f.fd, 0, 0, SYNC_FILE_RANGE_WRITE);
	f.placed = f.gone = 0;
	f.dir = xstrdup(dir);
	f.path = xasprintf("%s/%s", dir, name);
	if (b->n == b->cap) {
		b->cap = b->cap ? b->cap * 2 : 64;
		b->v = xrealloc(b->v, b->cap * sizeof(*b->v));
	}
	b->v[b->n] = f;
	b->bytes += n;
	return (int)b->n++;
}

/* fsync each distinct directory of b once; 0 or -1 with errno. */
static int
sync_dirs(struct fbatch *b)
{
	size_t i, j;

	for (i = 0; i < b->n; i++) {
		for (j = 0; j < i; j++)
			if (strcmp(b->v[j].dir, b->v[i].dir) == 0)
				break;
		if (j == i && sync_dir(b->v[i].dir) != 0)
			return -1;
	}
	return 0;
}

int
fbatch_flush(struct fbatch *b)
{
	struct fbatch_file *f;
	size_t i;
	int saved;

	for (i = 0; i < b->n; i++) {
		f = &b->v[i];
		if (f->gone)
			continue;
		if (fdatasync(f->fd) != 0 || close(f->fd) != 0) {
			f->fd = -1;
			goto fail;
		}
		f->fd = -1;
	}
	for (i = 0; i < b->n; i++) {
		f = &b->v[i];
		if (f->gone)
			continue;
		if (rename(f->tmp, f->path) != 0)
			goto fail;
		f->placed = 1;
	}
	if (sync_dirs(b) == 0)
		return 0;
	/* sync_dir logged it. */
	saved = errno;
	goto remove;
fail:
	saved = errno;
	log_error(_("cannot write '%s': %s"), f->path, strerror(saved));
remove:
	for (i = 0; i < b->n; i++)
		fbatch_remove(b, (int)i);
	errno = saved;
	return -1;
}

void
fbatch_remove(struct fbatch *b, int i)
{
	struct fbatch_file *f = &b->v[i];
	const char *p = f->placed ? f->path : f->tmp;

	if (f->gone)
		return;
	f->gone = 1;
	if (f->fd >= 0) {
		close(f->fd);
		f->fd = -1;
	}
	if (unlink(p) != 0 && errno != ENOENT)
		log_warn(_("cannot remove '%s': %s; the next tiss-xml will"), p,
		    strerror(errno));
}

void
fbatch_reset(struct fbatch *b)
{
	size_t i;

	for (i = 0; i < b->n; i++) {
		if (b->v[i].fd >= 0)
			close(b->v[i].fd);
		free(b->v[i].dir);
		free(b->v[i].tmp);
		free(b->v[i].path);
	}
	free(b->v);
	memset(b, 0, sizeof(*b));
}
