/*
 * A minimal TAP producer for the C unit tests: ok() prints one test
 * line, tap_done() the plan and returns the exit status.
 */
#ifndef TISS_TAP_H
#define TISS_TAP_H

#include <stdio.h>
#include <string.h>

static int tap_count, tap_failed;

static void
ok(int cond, const char *name)
{
	tap_count++;
	if (!cond)
		tap_failed++;
	printf("%sok %d - %s\n", cond ? "" : "not ", tap_count, name);
}

static void
ok_str(const char *got, const char *want, const char *name)
{
	int same = got && want ? strcmp(got, want) == 0 : got == want;

	ok(same, name);
	if (!same)
		printf("# got '%s', want '%s'\n", got ? got : "(null)",
		    want ? want : "(null)");
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif
