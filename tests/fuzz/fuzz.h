/*
 * What the harnesses check alike: a string field NUL-terminated within
 * its array, and the shape every tissmsg reader's answer must have.
 */
#ifndef TISS_FUZZ_H
#define TISS_FUZZ_H

#include <stdlib.h>
#include <string.h>

#include "common/tissmsg.h"

/* Whether char array s holds a NUL. */
#define TERMINATED(s)	(strnlen((s), sizeof(s)) < sizeof(s))

/*
 * Abort unless a, read by a tissmsg reader that returned v, has that
 * verdict, one of the known ones, its strings NUL-terminated, and a
 * reason when garbled.
 */
static void
check_answer(const struct tissmsg_answer *a, enum tissmsg_verdict v)
{
	if (v != a->verdict || v > TISSMSG_GARBLED || !TERMINATED(a->why) ||
	    !TERMINATED(a->code) || !TERMINATED(a->text) ||
	    !TERMINATED(a->protocolo))
		abort();
	if (v == TISSMSG_GARBLED && a->why[0] == '\0')
		abort();
}

#endif
