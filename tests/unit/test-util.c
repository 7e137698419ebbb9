/*
 * Unit tests of stages/common/util.c: write_file_atomic reports the
 * error of the call that failed (a short write once left a stale ENOENT
 * from the unlink of the temp file: "No such file or directory" for a
 * full disk).
 */
#define _GNU_SOURCE		/* unshare */
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <sched.h>
#include <signal.h>
#include <stdlib.h>
#include <unistd.h>

#include "common/util.h"
#include "tap.h"

static char data[1 << 16];

/* A file size limit: the write is cut short, then fails with EFBIG. */
static void
short_write(const char *dir)
{
	(void)ok_str;	/* tap.h helper unused here */
	struct rlimit rl = { 5000, 5000 };
	pid_t pid = fork();
	int status;

	if (pid == 0) {
		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &rl);
		_exit(write_file_atomic(dir, "big", data, sizeof(data),
		    0600) == -1 && errno == EFBIG ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "a short write reports EFBIG, not a stale errno");
}

/*
 * A full file system: a 16 KiB tmpfs in a mount namespace of our own
 * (root only; skipped otherwise).  Child exit 2 means skip.
 */
static void
full_disk(const char *dir)
{
	pid_t pid = fork();
	int status, rc;

	if (pid == 0) {
		if (unshare(CLONE_NEWNS) != 0 ||
		    mount("none", "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0 ||
		    mount("tmpfs", dir, "tmpfs", 0, "size=16k") != 0)
			_exit(2);
		rc = write_file_atomic(dir, "big", data, sizeof(data), 0600);
		_exit(rc == -1 && errno == ENOSPC ? 0 : 1);
	}
	waitpid(pid, &status, 0);
	if (WIFEXITED(status) && WEXITSTATUS(status) == 2) {
		printf("ok %d - # SKIP no mount namespace\n", ++tap_count);
		return;
	}
	ok(WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "a full disk reports ENOSPC");
}

int
main(void)
{
	struct stat sb;
	char dir[256], *path;

	if (tap_tmpdir("util", dir, sizeof(dir)) != 0)
		return 1;
	path = xasprintf("%s/ok", dir);
	ok(write_file_atomic(dir, "ok", "x", 1, 0600) == 0 &&
	    stat(path, &sb) == 0 && sb.st_size == 1, "a small file is written");
	unlink(path);
	free(path);
	short_write(dir);
	full_disk(dir);
	path = xasprintf("%s/.big.tmp", dir);
	ok(access(path, F_OK) != 0, "no temp file is left");
	free(path);
	rmdir(dir);
	return tap_done();
}
