/*
 * tiss-secret: store, rotate and list the workspace's secrets (the
 * batch form of the manual's Troca Senha).
 *
 *   tiss-secret set NAME	read the value from the terminal without echo
 *				(asked twice), or from stdin's first line;
 *				written atomically with mode 0600
 *   tiss-secret list		names, modes and dates; never values
 *
 * A value is never taken from the command line, where ps(1) and shell
 * history would show it.
 *
 * secrets/ must be closed to group and others (mode 0700): an open one
 * is refused before anything is read or written.  While a value is in
 * memory the process cannot dump core.
 *
 * Exit: 0 done, 64 usage, 65 empty value or the two entries differ,
 * 74 I/O error (a full disk among them), 77 secrets/ too open, 78 not a
 * workspace.
 */
#include <sys/stat.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/exitcodes.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/secret.h"
#include "common/util.h"
#include "common/ws.h"

#define VALUE_MAX	4096

static const struct cli_spec spec = {
	.name = "tiss-secret",
	.usage = "tiss-secret [-q] [-C dir] set name\n"
	    "       tiss-secret [-q] [-C dir] list\n",
	.subcommands = 1,
	.min_operands = 1,
	.max_operands = 2,
};

/* One line from stdin into value, without its end of line; -1 at EOF. */
static int
read_line(char *value, size_t len)
{
	size_t n;

	if (fgets(value, (int)len, stdin) == NULL)
		return -1;
	n = strcspn(value, "\r\n");
	if (value[n] == '\0' && n == len - 1)
		fatal(EXIT_DATAERR, _("the value is longer than %d bytes"),
		    VALUE_MAX);
	value[n] = '\0';
	return 0;
}

/* Ask on the terminal with echo off. */
static int
ask(const char *prompt, char *value, size_t len)
{
	struct termios old, quiet;
	int rc;

	fprintf(stderr, "%s", prompt);
	if (tcgetattr(STDIN_FILENO, &old) != 0)
		return read_line(value, len);
	quiet = old;
	quiet.c_lflag &= ~(tcflag_t)ECHO;
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
	rc = read_line(value, len);
	tcsetattr(STDIN_FILENO, TCSAFLUSH, &old);
	fputc('\n', stderr);
	return rc;
}

static int
cmd_set(const struct ws *ws, const char *name)
{
	char value[VALUE_MAX + 2], again[VALUE_MAX + 2];
	int rc;

	if (!secret_name_ok(name))
		fatal(EXIT_USAGE, _("'%s' is not a secret name: use letters, "
		    "digits, '.', '_' and '-'"), name);
	secret_no_core_dump();
	if (isatty(STDIN_FILENO)) {
		if (ask("value: ", value, sizeof(value)) != 0 ||
		    ask("again: ", again, sizeof(again)) != 0)
			fatal(EXIT_DATAERR, _("no value given"));
		rc = strcmp(value, again);
		explicit_bzero(again, sizeof(again));
		if (rc != 0)
			fatal(EXIT_DATAERR, _("the two entries differ; nothing "
			    "was stored"));
	} else if (read_line(value, sizeof(value)) != 0)
		fatal(EXIT_DATAERR, _("no value on stdin; nothing was stored"));
	if (value[0] == '\0')
		fatal(EXIT_DATAERR, _("the value is empty; nothing was "
		    "stored"));
	rc = secret_write(ws, name, value);
	explicit_bzero(value, sizeof(value));
	if (rc != 0)
		fatal(EXIT_IOERR, _("secret '%s' was not stored; the old "
		    "value, if any, is unchanged"), name);
	log_notice(_("secret '%s' stored"), name);
	return EXIT_OK;
}

static int
cmd_list(const struct ws *ws)
{
	char *dir = ws_path(ws, "secrets"), *path, when[32];
	struct dirent *e;
	struct stat sb;
	DIR *d;

	if ((d = opendir(dir)) == NULL)
		fatal(EXIT_IOERR, _("cannot read '%s': %s"), dir,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		path = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(path, &sb) == 0) {
			printf("%s\t%04o\t%s%s\n", e->d_name,
			    (unsigned)(sb.st_mode & 07777),
			    fmt_time(sb.st_mtime, when),
			    sb.st_mode & (S_IRWXG | S_IRWXO) ?
			    _("\ttoo open: chmod 600") : "");
		}
		free(path);
	}
	closedir(d);
	free(dir);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	struct cli cli;
	struct ws ws;
	int i, ret = EXIT_USAGE;

	i = cli_parse(&cli, &spec, argc, argv);
	argc -= i;
	argv += i;
	ws_open(&ws, ws_dir(cli.workspace));
	secret_check_dir(&ws);
	if (strcmp(argv[0], "set") == 0 && argc == 2)
		ret = cmd_set(&ws, argv[1]);
	else if (strcmp(argv[0], "list") == 0 && argc == 1)
		ret = cmd_list(&ws);
	else
		cli_usage(&spec);
	ws_close(&ws);
	return close_stdout(ret);
}
