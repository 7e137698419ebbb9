/*
 * A minimal TAP producer for the C unit tests: ok() prints one test
 * line, tap_done() the plan and returns the exit status.
 */
#ifndef TISS_TAP_H
#define TISS_TAP_H

#include <stdio.h>
#include <stdlib.h>
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

/*
 * A new directory TMPDIR/tiss-NAME-XXXXXX into dir (len bytes): the
 * suite's private TMPDIR, since others may clean /tmp (/tmp without
 * one).  0, or -1.  Inline: a test that makes none is not warned.
 */
static inline int
tap_tmpdir(const char *name, char *dir, size_t len)
{
	const char *tmp = getenv("TMPDIR");

	snprintf(dir, len, "%s/tiss-%s-XXXXXX", tmp && *tmp ? tmp : "/tmp",
	    name);
	return mkdtemp(dir) ? 0 : -1;
}

static int
tap_done(void)
{
	printf("1..%d\n", tap_count);
	return tap_failed != 0;
}

#endif
