/*
 * Progress of long work on a terminal (issue 15 item 7): a count, the
 * rate, the time left, redrawn in place on stderr ("\r", at most 4
 * times a second), and nothing at all when stderr is not a terminal
 * (cron, a pipe, a log file) or with -q.  A log line written while a
 * progress line shows first erases it (progress_start registers
 * progress_erase with log_set_before), so
 * the two never mix.  One progress line per process at a time.
 */
#ifndef TISS_PROGRESS_H
#define TISS_PROGRESS_H

#include <time.h>

struct progress {
	const char *what;		/* "lotes enviados"; kept, not copied */
	long	 total;			/* how many in all; 0 when unknown */
	long	 done;
	int	 on;			/* drawing: stderr is a terminal */
	struct timespec start, last;	/* CLOCK_MONOTONIC */
};

/*
 * Begin p: `what` counted up to total (0: unknown, no time left shown).
 * Draws only when stderr is a terminal and the level is not quiet, or
 * when TISS_PROGRESS=1 (tests).  Never fails.
 */
void	 progress_start(struct progress *p, const char *what, long total);

/*
 * progress_start for worker k of n sharing `total` items round-robin
 * (lotes_pool): counts worker k's share; only worker 0 draws.
 */
void	 progress_share(struct progress *p, const char *what, long total,
	    int k, int n);

/* n more done; draws at the first, then when 250 ms passed since the last. */
void	 progress_add(struct progress *p, long n);

/*
 * fflush(stdout), erasing the progress line first when there is data to
 * write (while p is on, stdout to the terminal is held in its buffer).
 */
void	 progress_flush(struct progress *p);

/* The line erased, stdout flushed; p is off afterwards. */
void	 progress_end(struct progress *p);

/* Erase the progress line showing, if any (log.c's hook); never fails. */
void	 progress_erase(void);

#endif
