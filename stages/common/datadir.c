/* Where the read-only data is: see datadir.h. */
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/datadir.h"
#include "common/util.h"

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
	char exe[PATH_MAX], *slash, *try;
	struct stat st;
	ssize_t n;
	int ret = -1;

	if ((n = readlink("/proc/self/exe", exe, sizeof(exe) - 1)) <= 0)
		return -1;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return -1;
	*slash = '\0';			/* BINDIR */
	try = xasprintf("%s/../share/tiss", exe);
	if (realpath(try, out) != NULL) {
		free(try);
		try = xasprintf("%s/xslt", out);
		if (stat(try, &st) == 0 && S_ISDIR(st.st_mode))
			ret = 0;
	}
	free(try);
	return ret;
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
	return xasprintf("%s/%s", datadir(), rel);
}
