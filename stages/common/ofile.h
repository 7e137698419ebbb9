/*
 * An output file written as it is made, for output too large to hold in
 * memory: to stdout, or to a temp file renamed over the target at the
 * end, so a reader never sees half of it (write_file_atomic's rule).
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

/*
 * Start writing path (NULL: stdout) through dir/.NAME.tmp created with
 * mode (less the umask).  Returns 0, or logs the error and returns -1
 * with errno set.
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

#endif
