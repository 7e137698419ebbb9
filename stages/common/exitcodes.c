#include "exitcodes.h"

static const int exit_order[] = {
	EXIT_OK, EXIT_DATAERR, EXIT_TEMPFAIL, EXIT_NOINPUT, EXIT_UNAVAILABLE,
	EXIT_PROTOCOL, EXIT_IOERR, EXIT_NOPERM, EXIT_CONFIG, EXIT_USAGE,
	EXIT_SOFTWARE
};
#define NORDER	(int)(sizeof(exit_order) / sizeof(exit_order[0]))

int
exit_rank(int code)
{
	int i;

	for (i = 0; i < NORDER; i++)
		if (exit_order[i] == code)
			return i;
	return NORDER - 1;	/* unknown: as severe as a bug */
}

int
exit_worse(int a, int b)
{
	int ra = exit_rank(a), rb = exit_rank(b);

	if (ra != rb)
		return rb > ra ? b : a;
	/*
	 * A tie is a code outside the table against 70 or another such
	 * code: 70 wins, then the smaller code, so that the result does
	 * not depend on the order (tiss-bureau combines its workspaces'
	 * codes in the order they finish).
	 */
	if (a == EXIT_SOFTWARE || b == EXIT_SOFTWARE)
		return EXIT_SOFTWARE;
	return a < b ? a : b;
}
