/*
 * tiss-init: create a workspace, or bring an existing one up to date.
 *
 * Creates DIR with tiss.db (SQLite, WAL, schema migrated to the newest
 * version), tiss.conf with commented defaults, secrets/ (mode 0700),
 * inbox/ with processing/, done/ and error/, out/ and reports/.  Prints
 * the workspace directory on stdout.
 *
 * Exit: 0 done, 64 usage, 74 cannot create a file, 75 database busy,
 * 78 the database is newer than this program.
 *
 * Deliberately not done: nothing that exists is overwritten, so running
 * it again on a workspace only adds what is missing and migrates.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/db.h"
#include "common/migrate.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/util.h"
#include "common/ws.h"

static const char conf_template[] =
    "# tiss.conf: configuration of one TISS billing workspace; see tiss.conf(5).\n"
    "# Lines are \"key = value\" under a [section]; '#' starts a comment.\n"
    "# Secrets (passwords, certificate keys) never go here: they live in\n"
    "# secrets/, mode 0600.  The values shown commented are the defaults.\n"
    "\n"
    "[operadora]\n"
    "# Registro ANS of the health-plan operator, 6 digits.  No default:\n"
    "# guides cannot be billed until it is set.\n"
    "#registro_ans =\n"
    "# TISS version of the messages: 4.01.00 or 3.05.00.\n"
    "#versao_tiss = 4.01.00\n"
    "# Guides per lote, 1 to 100 (the operator's manual says 50).\n"
    "#tamanho_lote = 50\n"
    "# Encoding the epilogo hash is computed over: ISO-8859-1 or UTF-8.\n"
    "#hash_encoding = ISO-8859-1\n"
    "# Directory of the official ANS schemas of versao_tiss (the folder\n"
    "# with tissV4_01_00.xsd).  No default: tiss-xml needs it.\n"
    "#schemas =\n"
    "# The operator's web services (https:// only); see docs/operators.md.\n"
    "#endpoint =\n"
    "#status_endpoint =\n"
    "# TLS: CAs to trust (default: the system's), client certificate\n"
    "# (PEM or PKCS#12) and key, relative to this folder; the password of\n"
    "# the key is a secret, named here (tiss-secret set NAME).\n"
    "#ca_file =\n"
    "#client_cert = secrets/cliente.pem\n"
    "#client_key = secrets/cliente.key\n"
    "#client_key_secret =\n"
    "# loginPrestador, when the operator asks for loginSenhaPrestador; its\n"
    "# password is the secret login_secret.\n"
    "#login =\n"
    "#login_secret = senha\n"
    "# Seconds to connect and for a whole exchange; retries within a run\n"
    "# and the seconds before the first (doubled each time).\n"
    "#connect_timeout = 10\n"
    "#timeout = 120\n"
    "#retries = 3\n"
    "#retry_delay = 5\n"
    "# Lotes tiss-send sends at a time, each on its own connection, 1-16\n"
    "# (ask the operator how many it accepts).\n"
    "#connections = 1\n"
    "\n"
    "[eautorizador]\n"
    "# The operator's authorization system (docs/eautorizador.md), https://\n"
    "# only; the prestador fetched by default, its login (default: the\n"
    "# prestador's code) and the secret with the password.  The TLS keys\n"
    "# of [operadora] (ca_file, client_cert, ..., retries) work here too.\n"
    "#url =\n"
    "#prestador =\n"
    "#login =\n"
    "#login_secret = eautorizador\n"
    "\n"
    "[import]\n"
    "# Encoding of CSV files: auto, utf-8, windows-1252 or iso-8859-1.\n"
    "#encoding = auto\n"
    "# Seconds a file in inbox/ must be unchanged before it is imported.\n"
    "#min_age = 2\n";

/* mkdir that accepts an existing directory; mode is applied either way. */
static void
make_dir(const char *path, mode_t mode)
{
	struct stat sb;

	if (mkdir(path, mode) != 0) {
		if (errno != EEXIST || stat(path, &sb) != 0 ||
		    !S_ISDIR(sb.st_mode))
			fatal(EXIT_IOERR, "cannot create directory '%s': %s",
			    path, strerror(errno == EEXIST ? ENOTDIR : errno));
	}
	if (chmod(path, mode) != 0)
		fatal(EXIT_IOERR, "cannot set the mode of '%s': %s", path,
		    strerror(errno));
}

/* mkdir -p for the workspace itself. */
static void
make_parents(const char *dir)
{
	char *p = xstrdup(dir), *s;

	for (s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = '\0';
		if (mkdir(p, 0755) != 0 && errno != EEXIST)
			fatal(EXIT_IOERR, "cannot create directory '%s': %s",
			    p, strerror(errno));
		*s = '/';
	}
	free(p);
}

static void
write_conf(const char *path)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0644);
	size_t n = sizeof(conf_template) - 1;

	if (fd < 0) {
		if (errno == EEXIST)
			return;
		fatal(EXIT_IOERR, "cannot create '%s': %s", path,
		    strerror(errno));
	}
	if (write(fd, conf_template, n) != (ssize_t)n || fsync(fd) != 0 ||
	    close(fd) != 0)
		fatal(EXIT_IOERR, "cannot write '%s': %s", path,
		    strerror(errno));
}

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-init [-qv] [-C dir | dir]\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const char *const subdirs[] = {
		"inbox", "inbox/processing", "inbox/done", "inbox/error",
		"out", "reports", NULL
	};
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	char *path;
	sqlite3 *db;
	int ch, i, level = LOG_NORMAL;

	while ((ch = getopt_long(argc, argv, "C:hqv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if (argc > 1 || (argc == 1 && dir))
		usage();
	if (argc == 1)
		dir = argv[0];
	dir = ws_dir(dir);
	log_init("tiss-init", level);

	make_parents(dir);
	make_dir(dir, 0755);
	for (i = 0; subdirs[i]; i++) {
		path = xasprintf("%s/%s", dir, subdirs[i]);
		make_dir(path, 0755);
		free(path);
	}
	path = xasprintf("%s/secrets", dir);
	make_dir(path, 0700);
	free(path);
	path = xasprintf("%s/tiss.conf", dir);
	write_conf(path);
	free(path);
	path = xasprintf("%s/tiss.db", dir);
	db = db_open(path, 1);
	db_close(db);
	free(path);
	log_info("workspace '%s' ready, schema version %d", dir,
	    db_schema_version());
	printf("%s\n", dir);
	return close_stdout(EXIT_OK);
}
