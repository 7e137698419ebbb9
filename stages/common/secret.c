#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "secret.h"
#include "util.h"

#define SECRET_MAX	4096

int
secret_name_ok(const char *name)
{
	const char *p;

	if (name[0] == '\0' || name[0] == '.' || strlen(name) > 64)
		return 0;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		    (*p >= '0' && *p <= '9') || *p == '_' || *p == '.' ||
		    *p == '-'))
			return 0;
	return 1;
}

void
secret_no_core_dump(void)
{
	static int done;
	struct rlimit rl = { 0, 0 };

	/*
	 * A core file is a copy of memory written where the process runs
	 * (or handed to systemd-coredump), readable by whoever reads cores:
	 * a password or key read here would land on disk outside secrets/.
	 * The limit stops the kernel writing one; PR_SET_DUMPABLE 0 also
	 * keeps other processes of the same user from ptrace or
	 * /proc/PID/mem.  Both last until the process ends, after the
	 * value is wiped, so once is enough.
	 */
	if (done)
		return;
	done = 1;
	if (setrlimit(RLIMIT_CORE, &rl) != 0)
		log_warn(_("cannot disable core dumps: %s"), strerror(errno));
	if (prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0)
		log_warn(_("cannot make the process undumpable: %s"),
		    strerror(errno));
}

static void
check_stat(const char *path, const struct stat *sb)
{
	if (sb->st_mode & (S_IRWXG | S_IRWXO))
		fatal(EXIT_NOPERM, _("'%s' is mode %04o: a secret must not be "
		    "readable by group or others; run chmod 600 '%s'"), path,
		    (unsigned)(sb->st_mode & 07777), path);
	if (sb->st_uid != geteuid())
		fatal(EXIT_NOPERM, _("'%s' belongs to another user (uid %u): a "
		    "secret must belong to the user that runs the pipeline"),
		    path, (unsigned)sb->st_uid);
}

void
secret_check_dir(const struct ws *ws)
{
	char *path = ws_path(ws, "secrets");
	struct stat sb;

	if (stat(path, &sb) == 0 && (sb.st_mode & (S_IRWXG | S_IRWXO)))
		fatal(EXIT_NOPERM, _("'%s' is mode %04o: the secrets folder "
		    "must be closed to group and others; run chmod 700 '%s'"),
		    path, (unsigned)(sb.st_mode & 07777), path);
	free(path);
}

void
secret_check_mode(const char *path)
{
	struct stat sb;

	if (stat(path, &sb) != 0)
		fatal(errno == EACCES ? EXIT_NOPERM : EXIT_NOINPUT,
		    _("cannot read '%s': %s"), path, strerror(errno));
	check_stat(path, &sb);
}

char *
secret_read(const struct ws *ws, const char *name)
{
	char *path, *value, *nl;
	struct stat sb;
	ssize_t n;
	int fd;

	if (!secret_name_ok(name))
		fatal(EXIT_CONFIG, _("'%s' is not a secret name: use letters, "
		    "digits, '.', '_' and '-'"), name);
	secret_check_dir(ws);
	secret_no_core_dump();
	path = xasprintf("%s/secrets/%s", ws->dir, name);
	fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	if (fd < 0)
		fatal(errno == ENOENT ? EXIT_NOINPUT : EXIT_NOPERM,
		    _("cannot read secret '%s' (%s): %s; store it with "
		    "tiss-secret set %s"), name, path, strerror(errno), name);
	if (fstat(fd, &sb) != 0)
		fatal(EXIT_IOERR, _("cannot stat '%s': %s"), path,
		    strerror(errno));
	check_stat(path, &sb);
	value = xmalloc(SECRET_MAX + 1);
	n = read(fd, value, SECRET_MAX + 1);
	close(fd);
	if (n < 0)
		fatal(EXIT_IOERR, _("cannot read secret '%s': %s"), name,
		    strerror(errno));
	if (n > SECRET_MAX)
		fatal(EXIT_CONFIG, _("secret '%s' is longer than %d bytes; "
		    "store it again with tiss-secret set %s"), name, SECRET_MAX,
		    name);
	value[n] = '\0';
	if ((nl = strpbrk(value, "\r\n")) != NULL)
		*nl = '\0';
	if (value[0] == '\0')
		fatal(EXIT_CONFIG, _("secret '%s' is empty; store it with "
		    "tiss-secret set %s"), name, name);
	free(path);
	return value;
}

void
secret_free(char *value)
{
	if (value == NULL)
		return;
	/* volatile: the compiler may not drop a store to memory it frees. */
	for (volatile char *p = value; *p; p++)
		*p = '\0';
	free(value);
}

int
secret_write(const struct ws *ws, const char *name, const char *value)
{
	char *dir = ws_path(ws, "secrets");
	int ret, saved;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST) {
		saved = errno;
		log_error(_("cannot create '%s': %s"), dir, strerror(saved));
		free(dir);
		errno = saved;
		return -1;
	}
	ret = write_file_atomic(dir, name, value, strlen(value), 0600);
	if (ret == 0)
		ret = sync_dir(dir);
	free(dir);
	return ret;
}
