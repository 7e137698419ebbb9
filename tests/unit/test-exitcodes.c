/*
 * Unit tests of stages/common/exitcodes.c: the one severity order of
 * tiss(7), pinned for every pair of documented codes, both ways round.
 */
#include <stdio.h>

#include "common/exitcodes.h"
#include "tap.h"

/* tiss(7): least severe first. */
static const int order[] = { 0, 65, 75, 66, 69, 76, 74, 77, 78, 64, 70 };
#define N	(int)(sizeof(order) / sizeof(order[0]))

int
main(void)
{
	(void)ok_str;	/* tap.h helper unused here */
	char name[64];
	int i, j, bad = 0;

	for (i = 0; i < N; i++)
		for (j = 0; j < N; j++) {
			int want = order[i > j ? i : j];
			int got = exit_worse(order[i], order[j]);

			if (got != want) {
				printf("# exit_worse(%d, %d) = %d, want %d\n",
				    order[i], order[j], got, want);
				bad++;
			}
		}
	ok(bad == 0, "exit_worse follows tiss(7) for all 121 ordered pairs");
	for (i = 0; i + 1 < N; i++) {
		snprintf(name, sizeof(name), "%d ranks below %d", order[i],
		    order[i + 1]);
		ok(exit_rank(order[i]) < exit_rank(order[i + 1]), name);
	}
	ok(exit_worse(1, 70) == 70 && exit_worse(70, 1) == 70,
	    "an unknown code and 70 give 70, in either order");
	ok(exit_worse(1, 255) == 1 && exit_worse(255, 1) == 1,
	    "two unknown codes give the same one in either order");
	ok(exit_rank(1) == exit_rank(70), "an unknown code ranks as 70");
	ok(exit_worse(1, 78) == 1, "an unknown code outranks 78");
	ok(exit_worse(76, 75) == 76, "76 (needs a person) outranks 75");
	return tap_done();
}
