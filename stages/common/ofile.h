/*
 * An output file the user names, written as it is made (output too
 * large to hold in memory fits): to stdout, or to a temp file renamed
 * over the target at the end, so a reader never sees half of it
 * (write_file_atomic's rule).  The one place that says what "-" means
 * on output (ifile.h says it for input): "-" is standard output, like
 * no name at all; nothing but the data goes there (messages go to
 * stderr), and no file named "-" is made (one is "./-").
 */
#ifndef TISS_OFILE_H
#define TISS_OFILE_H

#include <sys/types.h>

#include <stdio.h>

struct ofile {
	FILE	*fp;		/* stdout or the temp file */
	char	*tmp, *path;	/* NULL for stdout; owned */
	int	 err;		/* errno of the first failed write, or 0 */
};

/* Whether path means standard output: NULL or "-". */
int	 ofile_is_stdout(const char *path);
/*
 * What messages call path: path itself, or "(standard output)" in the
 * reader's language for NULL or "-".  Static storage; never NULL.
 */
const char *ofile_shown(const char *path);
/*
 * Start writing path (NULL or "-": stdout) through dir/.NAME.tmp created
 * with mode (less the umask).  Returns 0, or logs the error and returns
 * -1 with errno set.  Writing through of->fp directly is allowed: a
 * stream error is found by ofile_close.
 */
int	 ofile_open(struct ofile *of, const char *path, mode_t mode);
/* Append n bytes; a failure is kept for ofile_close. */
void	 ofile_write(struct ofile *of, const void *p, size_t n);
/*
 * Finish: for a file, flush, fsync, rename over path; for stdout, only
 * flush.  With commit 0 (or after a failed write) the temp file is
 * removed and path is left as it was.  Returns 0, or logs the error and
 * returns -1 with errno set.  Frees what ofile_open made.
 */
int	 ofile_close(struct ofile *of, int commit);
/*
 * The whole of n bytes at p to path (NULL or "-": stdout), atomically
 * for a file: ofile_open, ofile_write, ofile_close.  Returns 0, or logs
 * the error and returns -1 with errno set; path is then as it was.
 */
int	 ofile_put(const char *path, const void *p, size_t n, mode_t mode);
/*
 * What is left to read on fd, copied to path (NULL or "-": stdout) as
 * ofile_put does; fd stays open.  Returns 0, or -1 with errno set after
 * logging a write error (a read error is for the caller to report); path
 * is then as it was.
 */
int	 ofile_copy(const char *path, int fd, mode_t mode);

#endif
