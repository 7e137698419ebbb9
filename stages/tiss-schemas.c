/*
 * tiss-schemas: install the official ANS TISS schemas, checked.
 *
 *   tiss-schemas install PACKAGE	the ANS package (PadraoTISSComunicacao
 *					_*.zip) or a folder holding its files
 *   tiss-schemas list			the versions, installed or not
 *
 * install finds in PACKAGE (at any depth) the files of every TISS
 * version whose entry schema (tissVx_xx_xx.xsd) it holds, checks each
 * file's SHA-256 against the project's list of the official hashes
 * (data/tiss-schemas.sha256, compiled in), and only when every file of
 * the version is there and matches, writes them into
 * DATADIR/schemas/VERSION/ atomically: a new folder renamed into place
 * (swapped with the old one, if any).  The file names written are the
 * list's, never the package's.  A zip is read with unzip(1), one member
 * at a time through a pipe: nothing is unpacked on disk.  Other members
 * (WSDLs without published hashes, Monitoramento) are left out.
 *
 * DATADIR is --datadir, else as datadir.h says ($TISS_DATADIR, beside
 * the installed programs, else the one compiled in);
 * [operadora] schemas defaults to DATADIR/schemas/VERSION.
 *
 * Exit: 0 installed (or already there), 64 usage, 65 a file differs or
 * is missing or PACKAGE is not a TISS package (nothing installed), 66
 * PACKAGE cannot be read, 74 I/O error writing, 77 DATADIR not writable,
 * 78 unzip(1) missing for a zip.
 */
#define _GNU_SOURCE		/* renameat2, RENAME_EXCHANGE */

#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/datadir.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/ifile.h"
#include "common/log.h"
#include "common/tissver.h"
#include "common/util.h"


/* "HASH  VERSION/FILE\n" lines: data/tiss-schemas.sha256, comments cut. */
static const char official[] =
#include "tiss-schemas-sha256.h"
;

#define FILE_MAX	(16 << 20)	/* no schema file is near this */
#define DEPTH_MAX	8		/* folders inside a package folder */
#define PACKAGE_MAX	(256 << 20)	/* a zip on stdin (ANS's: ~10 MiB) */

/* One file of the official list, and what the package has for it. */
struct want {
	char	 versao[16];
	char	 name[128];		/* e.g. tissV4_03_00.xsd */
	char	 sha[65];		/* the official SHA-256 */
	struct buf data;		/* the matching bytes, once found */
	int	 seen;			/* candidates with this name */
	char	 got[65];		/* SHA-256 of the last one seen */
};

struct pkg {
	const char *path;		/* as given, for messages */
	char	*file;			/* read: path, or stdin's copy */
	int	 zip;			/* else a folder */
	struct want *w;
	int	 nw;
};

static int
load_official(struct pkg *p)
{
	const char *line = official, *eol, *slash;
	struct want *w;

	for (; *line; line = eol + 1) {
		eol = strchr(line, '\n');
		slash = memchr(line, '/', (size_t)(eol - line));
		if (eol - line < 68 || line[64] != ' ' || slash == NULL)
			fatal(EXIT_SOFTWARE, _("bad line in the compiled-in "
			    "hash list: %.*s"), (int)(eol - line), line);
		p->w = xrealloc(p->w, (size_t)(p->nw + 1) * sizeof(*p->w));
		w = &p->w[p->nw++];
		memset(w, 0, sizeof(*w));
		memcpy(w->sha, line, 64);
		snprintf(w->versao, sizeof(w->versao), "%.*s",
		    (int)(slash - line - 66), line + 66);
		snprintf(w->name, sizeof(w->name), "%.*s",
		    (int)(eol - slash - 1), slash + 1);
	}
	return 0;
}

/*
 * A candidate for name from the package: keep it when its SHA-256 is
 * the official one of some version's file of that name.
 */
static void
offer(struct pkg *p, const char *name, const struct buf *data)
{
	char sha[65];
	int i;

	sha256_hex(data->data ? data->data : "", data->len, sha);
	for (i = 0; i < p->nw; i++) {
		if (strcmp(p->w[i].name, name) != 0)
			continue;
		p->w[i].seen++;
		memcpy(p->w[i].got, sha, sizeof(sha));
		if (p->w[i].data.data == NULL && strcmp(p->w[i].sha, sha) == 0)
			buf_add(&p->w[i].data, data->data ? data->data : "",
			    data->len);
	}
}

static int
wanted(const struct pkg *p, const char *name)
{
	int i;

	for (i = 0; i < p->nw; i++)
		if (strcmp(p->w[i].name, name) == 0)
			return 1;
	return 0;
}

/* ---- a folder ------------------------------------------------------------ */

static int
read_fd(int fd, struct buf *out)
{
	char block[65536];
	ssize_t n;

	while ((n = read(fd, block, sizeof(block))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 || out->len + (size_t)n > FILE_MAX)
			return -1;
		buf_add(out, block, (size_t)n);
	}
	return 0;
}

/* Offer every wanted file under dir; -1 when dir cannot be read. */
static int
scan_dir(struct pkg *p, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	struct stat sb;
	struct buf data = { 0 };
	char *path;
	int fd;

	if (d == NULL) {
		log_error(_("cannot read folder '%s': %s"), dir,
		    strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (stat(path, &sb) != 0)
			log_warn(_("cannot read '%s': %s"), path,
			    strerror(errno));
		else if (S_ISDIR(sb.st_mode) && depth < DEPTH_MAX)
			scan_dir(p, path, depth + 1);
		else if (S_ISREG(sb.st_mode) && wanted(p, e->d_name)) {
			if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0 ||
			    read_fd(fd, &data) != 0)
				log_error(_("cannot read '%s': %s"), path,
				    strerror(errno));
			else
				offer(p, e->d_name, &data);
			if (fd >= 0)
				close(fd);
			buf_reset(&data);
		}
		free(path);
	}
	closedir(d);
	buf_release(&data);
	return 0;
}

/* ---- a zip, through unzip(1) --------------------------------------------- */

/*
 * Run unzip with args, its stdout into out (up to FILE_MAX), its stderr
 * to /dev/null.  Returns its exit status, or -1 when it cannot run.
 */
static int
unzip(char *const args[], struct buf *out)
{
	int fds[2], status, devnull, toolong;
	pid_t pid;

	if (pipe(fds) != 0)
		fatal(EXIT_IOERR, _("pipe: %s"), strerror(errno));
	if ((pid = fork()) < 0)
		fatal(EXIT_IOERR, _("fork: %s"), strerror(errno));
	if (pid == 0) {
		devnull = open("/dev/null", O_WRONLY);
		dup2(fds[1], STDOUT_FILENO);
		if (devnull >= 0)
			dup2(devnull, STDERR_FILENO);
		close(fds[0]);
		close(fds[1]);
		execvp("unzip", args);
		_exit(127);
	}
	close(fds[1]);
	toolong = read_fd(fds[0], out) != 0;
	close(fds[0]);
	if (waitpid(pid, &status, 0) < 0)
		return -1;
	if (toolong)
		return 99;	/* unzip died of SIGPIPE: we stopped reading */
	if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
		return -1;
	return WEXITSTATUS(status);
}

/*
 * Offer every wanted member of the zip.  A member is asked for by its
 * base name ("*" + "/" + name): the package's folder names (accented,
 * in whatever encoding the zip has) never come back to unzip.
 */
static int
scan_zip(struct pkg *p)
{
	char *list_args[] = { "unzip", "-Z1", p->file, NULL };
	char *get_args[] = { "unzip", "-p", p->file, NULL, NULL };
	struct buf list = { 0 }, data = { 0 };
	char *line, *eol, *base, pattern[160];
	int rc, ret = 0;

	if ((rc = unzip(list_args, &list)) == -1)
		fatal(EXIT_CONFIG, _("cannot run unzip(1) to read '%s': "
		    "install it (scripts/install-deps) or give the unpacked "
		    "folder"), p->path);
	if (rc != 0) {
		log_error(_("'%s' is not a zip file unzip can read (unzip "
		    "exit %d): give the ANS package or its unpacked folder"),
		    p->path, rc);
		buf_release(&list);
		return -1;
	}
	for (line = list.data; line && *line; line = eol + 1) {
		if ((eol = strchr(line, '\n')) == NULL)
			break;
		*eol = '\0';
		base = strrchr(line, '/') ? strrchr(line, '/') + 1 : line;
		if (!wanted(p, base))
			continue;
		snprintf(pattern, sizeof(pattern), "%s%s", base == line ? "" :
		    "*/", base);
		get_args[3] = pattern;
		if ((rc = unzip(get_args, &data)) != 0) {
			log_error(_("'%s': cannot extract '%s' (unzip exit "
			    "%d)"), p->path, line, rc);
			ret = -1;
		} else
			offer(p, base, &data);
		buf_reset(&data);
	}
	buf_release(&list);
	buf_release(&data);
	return ret;
}

/* ---- checking and installing --------------------------------------------- */

/*
 * Whether the package holds version v (its entry schema by name), and
 * if so whether every file of it matched: 1 complete, 0 absent, -1
 * incomplete, with each bad file logged.
 */
static int
check_version(const struct pkg *p, const struct tissver *v)
{
	const struct want *w;
	int i, bad = 0, present = 0;

	for (i = 0; i < p->nw; i++)
		if (strcmp(p->w[i].versao, v->versao) == 0 &&
		    strcmp(p->w[i].name, v->entry) == 0 && p->w[i].seen)
			present = 1;
	if (!present)
		return 0;
	for (i = 0; i < p->nw; i++) {
		w = &p->w[i];
		if (strcmp(w->versao, v->versao) != 0 || w->data.data)
			continue;
		bad = 1;
		if (w->seen == 0)
			log_error(_("%s: TISS %s: '%s' is missing: the package "
			    "is incomplete; get the whole package from the "
			    "ANS site"), p->path, v->versao, w->name);
		else
			log_error(_("%s: TISS %s: '%s' differs from the "
			    "official file (SHA-256 %.16s..., not %.16s...): "
			    "it was changed or comes from another package; get "
			    "the package from the ANS site"), p->path,
			    v->versao, w->name, w->got, w->sha);
	}
	return bad ? -1 : 1;
}

/* Remove dir and the plain files in it (an old install); warn on failure. */
static void
remove_dir(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char *path;

	while (d && (e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		unlink(path);
		free(path);
	}
	if (d)
		closedir(d);
	if (rmdir(dir) != 0)
		log_warn(_("cannot remove the old '%s': %s; remove it by hand"),
		    dir, strerror(errno));
}

static int
io_error(const char *what, const char *path)
{
	int code = errno == EACCES || errno == EPERM || errno == EROFS ?
	    EXIT_NOPERM : EXIT_IOERR;

	log_error(_("cannot %s '%s': %s%s"), what, path, strerror(errno),
	    code == EXIT_NOPERM ? "; run as the owner of the data directory "
	    "or give --datadir" : "");
	return code;
}

/* mkdir -p of the two levels DATADIR/schemas. */
static int
make_parent(const char *datadir, char **schemas)
{
	*schemas = xasprintf("%s/schemas", datadir);
	if ((mkdir(datadir, 0755) != 0 && errno != EEXIST) ||
	    (mkdir(*schemas, 0755) != 0 && errno != EEXIST))
		return io_error("create", *schemas);
	return EXIT_OK;
}

/*
 * Write the files of v into a new folder beside DATADIR/schemas/VERSION
 * and put it in that place in one step; the old one, if any, goes.
 */
static int
install_version(const struct pkg *p, const struct tissver *v,
    const char *datadir)
{
	char *schemas = NULL, *tmp = NULL, *dest = NULL;
	int i, n = 0, ret;

	if ((ret = make_parent(datadir, &schemas)) != EXIT_OK)
		goto out;
	tmp = xasprintf("%s/.%s.XXXXXX", schemas, v->versao);
	dest = xasprintf("%s/%s", schemas, v->versao);
	if (mkdtemp(tmp) == NULL) {
		ret = io_error("create", tmp);
		goto out;
	}
	ret = EXIT_IOERR;
	for (i = 0; i < p->nw; i++)
		if (strcmp(p->w[i].versao, v->versao) == 0) {
			if (write_file_atomic(tmp, p->w[i].name,
			    p->w[i].data.data, p->w[i].data.len, 0644) != 0)
				goto fail;
			n++;
		}
	if (sync_dir(tmp) != 0 || chmod(tmp, 0755) != 0)
		goto fail;
	if (rename(tmp, dest) != 0) {
		/* An old install: swap the two, then remove the old one. */
		if ((errno != ENOTEMPTY && errno != EEXIST) ||
		    renameat2(AT_FDCWD, tmp, AT_FDCWD, dest,
		    RENAME_EXCHANGE) != 0) {
			ret = io_error("rename into", dest);
			goto fail;
		}
		remove_dir(tmp);
	}
	if (sync_dir(schemas) != 0)
		goto out;
	log_notice(_("TISS %s: %d files, each SHA-256 the official one, "
	    "installed in '%s'"), v->versao, n, dest);
	printf("%s\n", dest);
	ret = EXIT_OK;
	goto out;
fail:
	remove_dir(tmp);
out:
	free(schemas);
	free(tmp);
	free(dest);
	return ret;
}

static int
cmd_install(const char *path, const char *datadir)
{
	struct pkg p = { .path = ifile_shown(path) };
	struct stat sb;
	int i, found = 0, bad = 0, ret = EXIT_OK, ok[8] = { 0 };
	const struct tissver *v;

	/* "-": a zip on standard input, copied (ifile.h) for unzip to seek. */
	if ((p.file = ifile_path(path, PACKAGE_MAX)) == NULL ||
	    stat(p.file, &sb) != 0)
		fatal(errno == EFBIG ? EXIT_DATAERR : EXIT_NOINPUT,
		    _("cannot read '%s': %s"), p.path, strerror(errno));
	p.zip = !S_ISDIR(sb.st_mode);
	load_official(&p);
	if ((p.zip ? scan_zip(&p) : scan_dir(&p, path, 0)) != 0)
		bad = 1;
	for (i = 0; (v = tissver_at(i)) != NULL && i < 8; i++) {
		ok[i] = check_version(&p, v);
		found |= ok[i] != 0;
		bad |= ok[i] < 0;
	}
	if (!found && !bad) {
		log_error(_("'%s' holds no entry schema of a TISS version this "
		    "program knows (tissV*.xsd of %s): give the ANS package "
		    "PadraoTISSComunicacao_*.zip or its unpacked folder"),
		    p.path, tissver_names());
		bad = 1;
	}
	for (i = 0; !bad && (v = tissver_at(i)) != NULL && i < 8; i++)
		if (ok[i] > 0)
			ret = exit_worse(ret, install_version(&p, v, datadir));
	for (i = 0; i < p.nw; i++)
		buf_release(&p.w[i].data);
	free(p.w);
	free(p.file);
	return bad ? EXIT_DATAERR : ret;
}

/* Each version: in force or not, and whether it is installed. */
static int
cmd_list(const char *datadir)
{
	const struct tissver *v;
	struct stat sb;
	char *dir, *entry;
	int i;

	for (i = 0; (v = tissver_at(i)) != NULL; i++) {
		dir = xasprintf("%s/schemas/%s", datadir, v->versao);
		entry = tissver_path(dir, v->entry);
		printf("%s\tfrom %s%s\t%s\n", v->versao, v->vigencia,
		    v == tissver_default() ? " (default)" : "",
		    stat(entry, &sb) == 0 ? dir : "not installed");
		free(entry);
		free(dir);
	}
	return EXIT_OK;
}

static int
option(int ch, const char *arg, void *ctx)
{
	if (ch != 'd')
		return -1;
	*(const char **)ctx = arg;
	return 0;
}

int
main(int argc, char *argv[])
{
	const char *dir = NULL;
	const struct cli_spec spec = { .name = "tiss-schemas",
	    .usage = "tiss-schemas [-qv] [--datadir DIR] install PACKAGE\n"
	    "       tiss-schemas [--datadir DIR] list\n",
	    .options = "datadir=d:", .option = option, .ctx = &dir,
	    .subcommands = 1, .min_operands = 1, .max_operands = 2 };
	struct cli cli;
	int i, ret;

	i = cli_parse(&cli, &spec, argc, argv);
	if (dir == NULL || *dir == '\0')
		dir = datadir();
	if (strcmp(argv[i], "install") == 0 && argc - i == 2)
		ret = cmd_install(argv[i + 1], dir);
	else if (strcmp(argv[i], "list") == 0 && argc - i == 1)
		ret = cmd_list(dir);
	else
		cli_usage(&spec);
	return close_stdout(ret);
}
