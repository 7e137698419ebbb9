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

#endif
