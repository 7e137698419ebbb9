/*
 * tiss-config: what the shell scripts (tiss-run, tiss-watch, tiss-bureau)
 * need from the C library, so they copy none of it.
 *
 *   tiss-config get SECTION KEY	a value of tiss.conf, read by cfg.c
 *   tiss-config worst CODE...		the most severe exit code (tiss(7))
 *   tiss-config umask			the workspace's umask (077 or 027)
 *   tiss-config counts			guides and lotes by status
 *   tiss-config json STAMP EXIT DRY	the run report as JSON, the stages
 *					read from stdin
 *   tiss-config version		the project's version
 *   tiss-config datadir		where the stylesheets and schemas are
 *   tiss-config backup FILE		a consistent copy of tiss.db, online
 *					("-": to stdout)
 *
 * Exit: 0 done, 1 (get) the key is unset or empty, 64 usage, 74 cannot
 * write, 78 tiss.conf is bad or the directory is not a workspace, and
 * what opening the database exits with (json, counts, backup).
 */
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "common/cfg.h"
#include "common/cli.h"
#include "common/datadir.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/ofile.h"
#include "common/util.h"
#include "common/ws.h"

static const struct cli_spec spec = {
	.name = "tiss-config",
	.usage = "tiss-config [-C dir] get section key\n"
	    "       tiss-config worst code ...\n"
	    "       tiss-config [-C dir] umask | counts | version | datadir\n"
	    "       tiss-config [-C dir] json stamp exit dry-run < stages\n"
	    "       tiss-config [-C dir] backup file\n",
	.subcommands = 1,
	.min_operands = 1,
	.max_operands = CLI_MANY,
};

/* An exit code operand: 0 to 255, else usage. */
static int
code_arg(const char *s)
{
	char *end;
	long v = strtol(s, &end, 10);

	if (*s == '\0' || *end != '\0' || v < 0 || v > 255) {
		log_error(_("'%s' is not an exit code (0 to 255)"), s);
		cli_usage(&spec);
	}
	return (int)v;
}

static int
cmd_worst(int argc, char **argv)
{
	int i, worst = EXIT_OK;

	if (argc < 1)
		cli_usage(&spec);
	for (i = 0; i < argc; i++)
		worst = exit_worse(worst, code_arg(argv[i]));
	printf("%d\n", worst);
	return EXIT_OK;
}

/* tiss.conf of the workspace, read by the one reader (exits 78). */
static void
load_conf(struct cfg *cfg, const char *dir)
{
	char *path = xasprintf("%s/tiss.conf", dir);

	cfg_load(cfg, path);
	free(path);
}

static int
cmd_get(const char *dir, int argc, char **argv)
{
	struct cfg cfg;
	const char *v;
	int ret = 1;

	if (argc != 2)
		cli_usage(&spec);
	load_conf(&cfg, dir);
	if ((v = cfg_get(&cfg, argv[0], argv[1])) != NULL) {
		printf("%s\n", v);
		ret = EXIT_OK;
	}
	cfg_release(&cfg);
	return ret;
}

static int
cmd_umask(const char *dir)
{
	struct cfg cfg;
	mode_t mask;

	load_conf(&cfg, dir);
	ws_umask(&cfg);
	mask = umask(0);	/* the only way to read it */
	umask(mask);
	printf("%04o\n", (unsigned)mask);
	cfg_release(&cfg);
	return EXIT_OK;
}

/* Calls fn(kind, status, count, ctx) for guides then lotes by status. */
static void
each_count(struct ws *ws, void (*fn)(const char *, const char *, long long,
    void *), void *ctx)
{
	sqlite3_stmt *st = db_prepare(ws->db,
	    "SELECT 'guias', status, count(*) FROM guia GROUP BY status "
	    "UNION ALL SELECT 'lotes', status, count(*) FROM lote "
	    "GROUP BY status");

	while (db_step(ws->db, st) == SQLITE_ROW)
		fn(db_col_text(st, 0), db_col_text(st, 1),
		    sqlite3_column_int64(st, 2), ctx);
	sqlite3_finalize(st);
}

static void
print_count(const char *kind, const char *status, long long n, void *ctx)
{
	(void)ctx;
	printf("%s %s %lld\n", kind, status, n);
}

/*
 * s as a JSON string into b: quotes, backslash and control characters
 * escaped; a byte that is not part of valid UTF-8 (a file name can hold
 * any) becomes U+FFFD, so the document is always valid.
 */
static void
json_str(struct buf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	int n, i;

	buf_addc(b, '"');
	while (*p) {
		if (*p == '"' || *p == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)*p++);
			continue;
		}
		if (*p < 0x20) {
			buf_addf(b, "\\u%04x", *p++);
			continue;
		}
		n = *p < 0x80 ? 1 : (*p & 0xe0) == 0xc0 && *p >= 0xc2 ? 2 :
		    (*p & 0xf0) == 0xe0 ? 3 : (*p & 0xf8) == 0xf0 &&
		    *p <= 0xf4 ? 4 : 0;
		for (i = 1; i < n; i++)
			if ((p[i] & 0xc0) != 0x80)
				n = 0;
		if (n == 0) {
			buf_adds(b, "\\ufffd");
			p++;
			continue;
		}
		buf_add(b, p, (size_t)n);
		p += n;
	}
	buf_addc(b, '"');
}

/* A number as JSON (digits and one '.'), else null. */
static void
json_num(struct buf *b, const char *s)
{
	size_t n = strspn(s, "0123456789.");

	if (n > 0 && s[n] == '\0' && s[0] != '.' && strchr(s, '.') ==
	    strrchr(s, '.'))
		buf_adds(b, s);
	else
		buf_adds(b, "null");
}

/* One "stage TAB exit TAB seconds TAB summary" line of stdin as JSON. */
static void
json_stage(struct buf *b, char *line, int first)
{
	char *f[4] = { line, "", "", "" };
	int i;

	line[strcspn(line, "\r\n")] = '\0';
	for (i = 1; i < 4 && (f[i] = strchr(f[i - 1], '\t')) != NULL; i++)
		*f[i]++ = '\0';
	for (; i < 4; i++)
		f[i] = "";
	buf_adds(b, first ? "{\"stage\": " : ", {\"stage\": ");
	json_str(b, f[0]);
	buf_adds(b, ", \"exit\": ");
	json_num(b, f[1]);
	buf_adds(b, ", \"seconds\": ");
	json_num(b, f[2]);
	buf_adds(b, ", \"summary\": ");
	json_str(b, f[3]);
	buf_addc(b, '}');
}

static void
json_count(const char *kind, const char *status, long long n, void *ctx)
{
	struct buf *b = ctx;
	char *key = xasprintf("%s_%s", kind, status ? status : "");

	if (b->data[b->len - 1] != '{')
		buf_adds(b, ", ");
	json_str(b, key);
	buf_addf(b, ": %lld", n);
	free(key);
}

static int
cmd_json(const char *dir, int argc, char **argv)
{
	struct buf b = { 0 };
	char line[8192];
	struct ws ws;
	int first = 1;

	if (argc != 3 || strcmp(argv[2], "0") * strcmp(argv[2], "1") != 0)
		cli_usage(&spec);
	ws_open(&ws, dir);
	buf_adds(&b, "{\"workspace\": ");
	json_str(&b, dir);
	buf_adds(&b, ", \"stamp\": ");
	json_str(&b, argv[0]);
	buf_addf(&b, ", \"exit\": %d, \"dry_run\": %s, \"stages\": [",
	    code_arg(argv[1]), argv[2][0] == '1' ? "true" : "false");
	while (fgets(line, sizeof(line), stdin) != NULL) {
		json_stage(&b, line, first);
		first = 0;
	}
	buf_adds(&b, "], \"counts\": {");
	each_count(&ws, json_count, &b);
	buf_adds(&b, "}}\n");
	fwrite(b.data, 1, b.len, stdout);
	buf_release(&b);
	ws_close(&ws);
	return EXIT_OK;
}

/* Remove tmp and exit code with the message; for cmd_backup. */
static void
backup_fail(int code, const char *tmp, const char *what, const char *why)
{
	unlink(tmp);
	fatal(code, _("backup: %s: %s"), what, why);
}

/*
 * Check the copy at tmp with integrity_check and count its guides into
 * *n; when it fails, remove it and exit 74.
 */
static void
backup_check(const char *tmp, long long *n)
{
	sqlite3 *db = NULL;
	sqlite3_stmt *st = NULL;
	const char *v;

	if (sqlite3_open_v2(tmp, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st,
	    NULL) != SQLITE_OK || sqlite3_step(st) != SQLITE_ROW ||
	    (v = (const char *)sqlite3_column_text(st, 0)) == NULL ||
	    strcmp(v, "ok") != 0) {
		sqlite3_finalize(st);
		backup_fail(EXIT_IOERR, tmp, _("the copy fails integrity_check"),
		    db ? sqlite3_errmsg(db) : _("cannot open it"));
	}
	sqlite3_finalize(st);
	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM guia", -1, &st,
	    NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
}

/*
 * A consistent copy of the workspace's database in the new file path
 * while other programs may be writing: VACUUM INTO reads one snapshot
 * (a WAL read transaction, which blocks no writer) into a temporary
 * file beside path, which is checked, synced and renamed, so path is
 * whole or absent.  Never overwrites.  path "-" (ofile.h): the checked
 * copy, made in the workspace, goes to stdout.  Exits 74 when path
 * exists or cannot be written, 75 when the database stays busy.
 */
static int
cmd_backup(const char *dir, int argc, char **argv)
{
	struct ws ws;
	struct stat sb;
	sqlite3_stmt *st;
	long long n = 0;
	char *tmp, *parent;
	int fd, rc, out;

	if (argc != 1 || *argv[0] == '\0')
		cli_usage(&spec);
	if (!(out = ofile_is_stdout(argv[0])) && lstat(argv[0], &sb) == 0)
		fatal(EXIT_IOERR, _("backup: '%s' exists; name a new file (a "
		    "backup never overwrites one)"), argv[0]);
	ws_open(&ws, dir);		/* the workspace's umask: 0600 */
	tmp = out ? xasprintf("%s/.backup-%ld.tmp", ws.dir, (long)getpid()) :
	    xasprintf("%s.tmp-%ld", argv[0], (long)getpid());
	st = db_prepare(ws.db, "VACUUM INTO ?1");
	db_bind_text(st, 1, tmp);
	if ((rc = sqlite3_step(st)) != SQLITE_DONE)
		backup_fail(rc == SQLITE_BUSY || rc == SQLITE_LOCKED ?
		    EXIT_TEMPFAIL : EXIT_IOERR, tmp, argv[0],
		    sqlite3_errmsg(ws.db));
	sqlite3_finalize(st);
	backup_check(tmp, &n);
	if ((fd = open(tmp, O_RDONLY | O_CLOEXEC)) < 0 ||
	    (out ? ofile_copy(argv[0], fd, 0) : fsync(fd)) != 0 ||
	    close(fd) != 0 || (out ? unlink(tmp) : rename(tmp, argv[0])) != 0)
		backup_fail(EXIT_IOERR, tmp, ofile_shown(argv[0]),
		    strerror(errno));
	parent = xstrdup(argv[0]);
	if (!out && sync_dir(dirname(parent)) != 0)
		exit(EXIT_IOERR);
	log_notice(_("backup of '%s/tiss.db' in '%s': %lld guides, "
	    "integrity ok"), ws.dir, ofile_shown(argv[0]), n);
	free(parent);
	free(tmp);
	ws_close(&ws);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	const char *dir, *cmd;
	struct ws ws;
	int i, ret;

	i = cli_parse(&cli, &spec, argc, argv);
	cmd = argv[i++];
	argc -= i;
	argv += i;
	dir = ws_dir(cli.workspace);
	if (strcmp(cmd, "worst") == 0)
		ret = cmd_worst(argc, argv);
	else if (strcmp(cmd, "get") == 0)
		ret = cmd_get(dir, argc, argv);
	else if (strcmp(cmd, "umask") == 0 && argc == 0)
		ret = cmd_umask(dir);
	else if (strcmp(cmd, "version") == 0 && argc == 0) {
		printf("%s\n", cli_version_string());
		ret = EXIT_OK;
	} else if (strcmp(cmd, "datadir") == 0 && argc == 0) {
		printf("%s\n", datadir());
		ret = EXIT_OK;
	} else if (strcmp(cmd, "backup") == 0)
		ret = cmd_backup(dir, argc, argv);
	else if (strcmp(cmd, "counts") == 0 && argc == 0) {
		ws_open(&ws, dir);
		each_count(&ws, print_count, NULL);
		ws_close(&ws);
		ret = EXIT_OK;
	} else if (strcmp(cmd, "json") == 0)
		ret = cmd_json(dir, argc, argv);
	else
		cli_usage(&spec);
	return close_stdout(ret);
}
