/*
 * The hot folder: inbox/ with processing/, done/ and error/ beside it.
 * A file is claimed by renaming it into processing/, then opened without
 * following links and checked to be the very file the scan saw (device,
 * inode, regular, size, mtime), so a symbolic link or another file
 * swapped in after the scan is never read.  A processed file goes to
 * done/ or error/ under a time-stamped name; a file in error/ has a
 * NAME.reason beside it (mode 0600) saying why.  Names are escaped
 * (text_escape) in every message and reason, so they cannot forge lines.
 *
 * Only one process may work on a hot folder at a time (the caller holds
 * the workspace's import lock): that makes check-then-rename one step.
 */
#ifndef TISS_INBOX_H
#define TISS_INBOX_H

#include <sys/types.h>

#include <time.h>

struct inbox {
	char	*dir;		/* inbox/, owned */
	char	*processing;	/* inbox/processing, owned */
	char	*done;		/* inbox/done, owned */
	char	*error;		/* inbox/error, owned */
	mode_t	 fmode;		/* mode of .reason files: 0600 unless changed */
};

/* What the scan saw of one candidate. */
struct inbox_file {
	char	*name;		/* the entry's name, owned */
	char	*shown;		/* name escaped for messages, owned */
	dev_t	 dev;
	ino_t	 ino;
	time_t	 mtime;
	off_t	 size;
};

enum inbox_claim {
	INBOX_CLAIMED,		/* *fd is open on the scanned file */
	INBOX_GONE,		/* taken or removed meanwhile: nothing to do */
	INBOX_WAIT,		/* still being written: put back for the next run */
	INBOX_REFUSED		/* not readable as the scanned file: reject it */
};

/*
 * Open the hot folder dir, creating it and its three folders when
 * missing (mode 0770 less the umask: 0700 under a workspace's 077, 0750
 * under 027, the setgid bit inherited).  Exits 74 when a folder cannot be
 * created.
 */
void	 inbox_open(struct inbox *ib, const char *dir);
void	 inbox_close(struct inbox *ib);

/* Put files an interrupted run left in processing/ back; logs each. */
void	 inbox_recover(struct inbox *ib);

/*
 * The regular, non-empty *.csv files of the inbox (no dot files, no
 * .tmp or .part) unchanged for at least min_age seconds, oldest first.
 * Returns an array of *count files (caller frees with inbox_files_free),
 * NULL when none.  Exits 74 when the folder cannot be read.
 */
struct inbox_file *inbox_scan(struct inbox *ib, long min_age, size_t *count);
void	 inbox_files_free(struct inbox_file *list, size_t count);

/*
 * Claim f: rename it into processing/ and open it (O_NOFOLLOW,
 * O_NONBLOCK), checking the descriptor against the scan.  On
 * INBOX_CLAIMED *fd is open (caller closes); on INBOX_REFUSED why says
 * why (static or in whybuf) and the file is in processing/ for
 * inbox_reject; on INBOX_WAIT it is already back in the inbox.
 * Returns -1 after logging when the rename fails for another reason
 * (an I/O error: the caller exits 74 at the end).
 */
int	 inbox_claim(struct inbox *ib, const struct inbox_file *f, int *fd,
	    char *whybuf, size_t whylen, const char **why);

/* Move claimed f to done/; 0, or -1 after logging. */
int	 inbox_done(struct inbox *ib, const struct inbox_file *f);
/*
 * Move claimed f to error/ with NAME.reason holding reason (n bytes);
 * 0, or -1 after logging.
 */
int	 inbox_reject(struct inbox *ib, const struct inbox_file *f,
	    const char *reason, size_t n);
/* Give claimed f back to the inbox for the next run (not its fault). */
void	 inbox_putback(struct inbox *ib, const struct inbox_file *f);

#endif
