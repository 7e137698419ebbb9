/* Where the read-only data is: see datadir.h. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/datadir.h"
#include "i18n.h"
#include "common/log.h"
#include "common/exitcodes.h"

#ifndef TISS_DATADIR
#define TISS_DATADIR	"/usr/local/share/tiss"
#endif

/*
 * BINDIR/../share/tiss of the running executable, made canonical, into
 * out (PATH_MAX bytes) when it holds xslt/: 0 then, -1 when there is no
 * such directory (or /proc is not mounted).
 */
static int
beside_exe(char out[PATH_MAX])
{
	char exe[PATH_MAX], try[PATH_MAX + 16], *slash;
	struct stat st;
	ssize_t n;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';			/* BINDIR */
	snprintf(try, sizeof(try), "%s/../share/tiss", exe);
	if (realpath(try, out) == NULL)
		return -1;
	snprintf(try, sizeof(try), "%s/xslt", out);
	return stat(try, &st) == 0 && S_ISDIR(st.st_mode) ? 0 : -1;
}

const char *
datadir(void)
{
	static char dir[PATH_MAX];
	static const char *found;
	const char *env;

	if (found != NULL)
		return found;
	if ((env = getenv("TISS_DATADIR")) != NULL && *env != '\0')
		found = env;
	else if (beside_exe(dir) == 0)
		found = dir;
	else
		found = TISS_DATADIR;
	return found;
}

char *
datadir_path(const char *rel)
{
	/* Not util's xasprintf: util's messages are translated, and the
	 * catalogs are found beside this directory (i18n.c). */
	size_t n = strlen(datadir()) + strlen(rel) + 2;
	char *p = malloc(n);

	if (p == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	snprintf(p, n, "%s/%s", datadir(), rel);
	return p;
}
