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

	/* An unknown code ranks as 70: 70 itself is kept, in any order. */
	if (ra == rb && a != b)
		return b == EXIT_SOFTWARE ? b : a == EXIT_SOFTWARE ? a :
		    a < b ? a : b;
	return rb > ra ? b : a;
}
