#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "ofile.h"
#include "util.h"

int
ofile_is_stdout(const char *path)
{
	return path == NULL || strcmp(path, "-") == 0;
}

const char *
ofile_shown(const char *path)
{
	return ofile_is_stdout(path) ? _("(standard output)") : path;
}

int
ofile_open(struct ofile *of, const char *path, mode_t mode)
{
	char *d, *n;
	int fd, saved;

	memset(of, 0, sizeof(*of));
	if (ofile_is_stdout(path)) {
		of->fp = stdout;
		return 0;
	}
	d = xstrdup(path);
	n = xstrdup(path);
	of->tmp = xasprintf("%s/.%s.tmp", dirname(d), basename(n));
	of->path = xstrdup(path);
	free(d);
	free(n);
	/* A stale temp file could have a wider mode: start afresh. */
	unlink(of->tmp);
	fd = open(of->tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 || (of->fp = fdopen(fd, "w")) == NULL) {
		saved = errno;
		log_error(_("cannot write '%s': %s"), of->tmp, strerror(saved));
		if (fd >= 0)
			close(fd);
		unlink(of->tmp);
		free(of->tmp);
		free(of->path);
		memset(of, 0, sizeof(*of));
		errno = saved;
		return -1;
	}
	return 0;
}

void
ofile_write(struct ofile *of, const void *p, size_t n)
{
	if (of->err == 0 && n > 0 && fwrite(p, 1, n, of->fp) != n)
		of->err = errno ? errno : EIO;
}

int
ofile_close(struct ofile *of, int commit)
{
	int err = of->err;

	if (fflush(of->fp) != 0 && err == 0)
		err = errno;
	if (ferror(of->fp) && err == 0)
		err = EIO;
	if (of->path != NULL) {
		if (commit && err == 0 && fsync(fileno(of->fp)) != 0)
			err = errno;
		if (fclose(of->fp) != 0 && err == 0)
			err = errno;
		if (commit && err == 0 && rename(of->tmp, of->path) != 0)
			err = errno;
		if (err || !commit)
			unlink(of->tmp);
	}
	if (err)
		log_error(_("cannot write '%s': %s"), ofile_shown(of->path),
		    strerror(err));
	free(of->tmp);
	free(of->path);
	memset(of, 0, sizeof(*of));
	errno = err;
	return err ? -1 : 0;
}

int
ofile_put(const char *path, const void *p, size_t n, mode_t mode)
{
	struct ofile of;

	if (ofile_open(&of, path, mode) != 0)
		return -1;
	ofile_write(&of, p, n);
	return ofile_close(&of, 1);
}

/* A read_blocks function: the block written to the ofile ctx. */
static int
write_block(void *ctx, const char *p, size_t n)
{
	ofile_write(ctx, p, n);
	return 0;
}

int
ofile_copy(const char *path, int fd, mode_t mode)
{
	struct ofile of;
	int saved;

	if (ofile_open(&of, path, mode) != 0)
		return -1;
	if (read_blocks(fd, write_block, &of) != 0) {
		saved = errno;
		ofile_close(&of, 0);
		errno = saved;
		return -1;
	}
	return ofile_close(&of, 1);
}
