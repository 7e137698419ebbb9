/*
 * Unit tests of stages/common/secret.c: once a secret is in memory the
 * process can dump no core (RLIMIT_CORE 0) and is not dumpable.
 */
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/secret.h"
#include "tap.h"

int
main(void)
{
	char dir[512], path[600];
	struct ws ws;
	struct rlimit rl;
	char *v;
	FILE *fp;

	if (tap_tmpdir("secret", dir, sizeof(dir)) != 0)
		return 1;
	memset(&ws, 0, sizeof(ws));
	ws.dir = dir;
	snprintf(path, sizeof(path), "%s/secrets", dir);
	mkdir(path, 0700);
	snprintf(path, sizeof(path), "%s/secrets/s", dir);
	if ((fp = fopen(path, "w")) == NULL)
		return 1;
	fputs("valor\n", fp);
	fclose(fp);
	chmod(path, 0600);
	ok(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 1, "dumpable before");
	v = secret_read(&ws, "s");
	ok_str(v, "valor", "the value, without its end of line");
	secret_free(v);
	ok(getrlimit(RLIMIT_CORE, &rl) == 0 && rl.rlim_cur == 0 &&
	    rl.rlim_max == 0, "no core file after a secret was read");
	ok(prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0, "and not dumpable");
	unlink(path);
	snprintf(path, sizeof(path), "%s/secrets", dir);
	rmdir(path);
	rmdir(dir);
	return tap_done();
}
