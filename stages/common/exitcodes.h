/*
 * Exit codes shared by every stage and the driver: the sysexits(3)
 * numbers under the project's own names, because the BSDs now discourage
 * <sysexits.h>.  docs/operations.md and each man page say what the driver
 * does on each.
 */
#ifndef TISS_EXITCODES_H
#define TISS_EXITCODES_H

enum tiss_exit {
	EXIT_OK = 0,		/* done, also when there was nothing to do */
	EXIT_USAGE = 64,	/* bad command line */
	EXIT_DATAERR = 65,	/* some input rejected (and explained) */
	EXIT_NOINPUT = 66,	/* an input file is missing or unreadable */
	EXIT_UNAVAILABLE = 69,	/* remote refuses for good */
	EXIT_SOFTWARE = 70,	/* internal error: a bug */
	EXIT_IOERR = 74,	/* I/O error on a local file */
	EXIT_TEMPFAIL = 75,	/* try again later; a rerun is safe */
	EXIT_PROTOCOL = 76,	/* garbled answer from a remote */
	EXIT_NOPERM = 77,	/* permission: secrets too open, refused */
	EXIT_CONFIG = 78	/* configuration or workspace error */
};

/*
 * The one severity order of tiss(7), used by every program that combines
 * outcomes (tiss-send's workers, tiss-run, tiss-bureau through
 * tiss-config):  0 < 65 < 75 < 66 < 69 < 76 < 74 < 77 < 78 < 64 < 70.
 * "Needs a person" outranks "retry later"; a bug outranks everything.
 * A code outside the table ranks as 70.
 */
int	 exit_rank(int code);
/*
 * The more severe of a and b, whatever their order: of two codes of
 * the same rank (70 and an unknown one), 70; of two unknown ones, the
 * smaller.
 */
int	 exit_worse(int a, int b);

#endif
