/*
 * Files made durable together: each is written to a temp file beside its
 * name with no fsync of its own (its writeback is started at once), and
 * fbatch_flush then waits for all of them, renames them into place and
 * syncs each directory once.  A caller records the files (in the
 * database) only after fbatch_flush returned 0, so what it names is on
 * disk; a kill before that leaves temp or unrecorded files, which the
 * caller's sweep removes (lotes_sweep).  One fdatasync of a file already
 * written back costs a fraction of a millisecond, one fsync per file
 * several (issue 17).
 */
#ifndef TISS_FBATCH_H
#define TISS_FBATCH_H

#include <stddef.h>

struct fbatch_file {
	int	 fd;		/* open until flushed, else -1 */
	int	 placed;	/* renamed to path */
	int	 gone;		/* removed: the flush skips it */
	char	*dir, *tmp, *path;	/* owned */
};

struct fbatch {
	struct fbatch_file *v;
	size_t	 n, cap;
	size_t	 bytes;		/* written since the last reset */
};

/*
 * Write n bytes of data to dir/.NAME.tmp, created with mode (less the
 * umask), start its writeback and keep it for fbatch_flush.  Returns the
 * file's index, or logs the error and returns -1 with errno set (nothing
 * of this file is left).
 */
int	 fbatch_add(struct fbatch *b, const char *dir, const char *name,
	    const void *data, size_t n, int mode);
/*
 * Every file added since the last reset to disk under its name:
 * fdatasync each, rename each over its name, fsync each directory once.
 * Returns 0, or logs the error and returns -1 with errno set; then every
 * file of the batch is removed.
 */
int	 fbatch_flush(struct fbatch *b);
/* Remove file i, placed or not (a record refused it); logs a failure. */
void	 fbatch_remove(struct fbatch *b, int i);
/* Forget every file (closing those still open), free; b is empty again. */
void	 fbatch_reset(struct fbatch *b);

#endif
