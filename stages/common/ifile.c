#define _GNU_SOURCE		/* O_TMPFILE */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "i18n.h"
#include "ifile.h"
#include "log.h"
#include "util.h"

static int stdin_closed;	/* fd 0 was closed when the program started */
static int stdin_taken;		/* "-" was opened once already */

/*
 * Before main, before anything is opened: a closed fd 0 is noted and
 * filled with /dev/null, so no file opened later becomes fd 0 and is
 * read as standard input.
 */
__attribute__((constructor)) static void
guard_stdin(void)
{
	int fd;

	if (fcntl(STDIN_FILENO, F_GETFD) != -1 || errno != EBADF)
		return;
	stdin_closed = 1;
	if ((fd = open("/dev/null", O_RDONLY)) > STDIN_FILENO)
		close(fd);
}

int
ifile_is_stdin(const char *name)
{
	return name != NULL && strcmp(name, "-") == 0;
}

const char *
ifile_shown(const char *name)
{
	return ifile_is_stdin(name) ? _("(standard input)") : name;
}

const char *
ifile_recorded(const char *name)
{
	return ifile_is_stdin(name) ? IFILE_STDIN_RECORDED : name;
}

static void __attribute__((noreturn))
twice(void)
{
	fatal(EXIT_USAGE, _("'-' (standard input) is named twice: it can be "
	    "read only once; give the other file by its name"));
}

void
ifile_once(char *const names[], int n)
{
	int i, seen = 0;

	for (i = 0; i < n; i++)
		if (ifile_is_stdin(names[i]) && seen++)
			twice();
}

/* Take standard input for reading: once, and only when it is open. */
static int
take_stdin(void)
{
	if (stdin_taken)
		twice();
	stdin_taken = 1;
	if (stdin_closed) {
		log_error(_("standard input is closed: pipe or redirect the "
		    "file into '-', or give its name"));
		errno = EBADF;
		return -1;
	}
	return 0;
}

/* Where drain puts standard input. */
struct sink {
	int	 fd;			/* a file, or -1: out */
	struct buf *out;
	size_t	 max, total;		/* the cap (0: none), read so far */
};

/* A read_blocks function: the block into the sink ctx. */
static int
sink_block(void *ctx, const char *p, size_t n)
{
	struct sink *s = ctx;

	if (s->max > 0 && (s->total += n) > s->max) {
		errno = EFBIG;
		return -1;
	}
	if (s->fd < 0)
		buf_add(s->out, p, n);
	else if (write_all(s->fd, p, n) != 0)
		return -1;
	return 0;
}

/*
 * Read standard input to its end, at most max bytes (0: no cap), into
 * fd when fd >= 0, else into out.  Returns 0, or -1 with errno set
 * (EFBIG past max).
 */
static int
drain(int fd, struct buf *out, size_t max)
{
	struct sink s = { fd, out, max, 0 };

	return read_blocks(STDIN_FILENO, sink_block, &s);
}

static const char *
tmpdir(void)
{
	const char *d = getenv("TMPDIR");

	return d && *d ? d : "/tmp";
}

/*
 * A private temp file (0600) with standard input copied in, at offset
 * 0; its path into *path (caller frees) when path is not NULL, else
 * unlinked at once.  Returns the fd, or -1 with errno set.
 */
static int
spool(size_t max, char **path)
{
	char *tmp = NULL;
	int fd = -1, saved;

	if (take_stdin() != 0)
		return -1;
#ifdef O_TMPFILE
	if (path == NULL)
		fd = open(tmpdir(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
#endif
	if (fd < 0) {
		tmp = xasprintf("%s/tiss-stdin-XXXXXX", tmpdir());
		if ((fd = mkostemp(tmp, O_CLOEXEC)) < 0) {
			free(tmp);
			return -1;
		}
		if (path == NULL)
			unlink(tmp);
	}
	if (drain(fd, NULL, max) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		saved = errno;
		close(fd);
		if (tmp && path)
			unlink(tmp);
		free(tmp);
		errno = saved;
		return -1;
	}
	if (path)
		*path = tmp;
	else
		free(tmp);
	return fd;
}

int
ifile_open(const char *name, int flags, size_t max)
{
	if (ifile_is_stdin(name))
		return spool(max, NULL);
	return open(name, O_RDONLY | O_CLOEXEC | flags);
}

int
ifile_read(const char *name, struct buf *out, size_t max)
{
	size_t had = out->len;

	if (!ifile_is_stdin(name)) {
		if (read_file(name, out) != 0)
			return -1;
		if (max > 0 && out->len - had > max) {
			errno = EFBIG;
			return -1;
		}
		return 0;
	}
	if (take_stdin() != 0 || drain(-1, out, max) != 0)
		return -1;
	if (out->data == NULL)
		buf_adds(out, "");
	return 0;
}

static char *spooled;	/* ifile_path's copy of stdin, removed at exit */

static void
unlink_spooled(void)
{
	if (spooled)
		unlink(spooled);
	free(spooled);
	spooled = NULL;
}

char *
ifile_path(const char *name, size_t max)
{
	int fd;

	if (!ifile_is_stdin(name))
		return xstrdup(name);
	if ((fd = spool(max, &spooled)) < 0)
		return NULL;
	close(fd);
	atexit(unlink_spooled);
	return xstrdup(spooled);
}
