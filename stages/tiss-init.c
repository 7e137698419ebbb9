/*
 * tiss-init: create a workspace, or bring an existing one up to date.
 *
 * Creates DIR with tiss.db (SQLite, WAL, schema migrated to the newest
 * version), tiss.conf with commented defaults, secrets/, inbox/ with
 * processing/, done/ and error/, out/ and reports/.  Prints the
 * workspace directory on stdout.
 *
 * The workspace holds patient data: it is made private whatever the
 * umask (directories 0700, files 0600), or shared with the clerks'
 * group of [workspace] group (2750 and 0640); secrets/ stays 0700 with
 * files 0600 either way.  Run on an existing workspace, it sets those
 * modes again on everything in it, so a workspace made by an older
 * version, or opened up by hand, is closed.
 *
 * Exit: 0 done, 64 usage, 74 cannot create or chmod a file, 75 database
 * busy, 78 the database is newer than this program or tiss.conf is bad.
 *
 * Deliberately not done: nothing that exists is overwritten, so running
 * it again on a workspace only adds what is missing, tightens and
 * migrates.
 */
#define _XOPEN_SOURCE 700	/* nftw */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cfg.h"
#include "common/cli.h"
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
    "# TISS version of the messages: 4.03.00, in force since 01/12/2025,\n"
    "# or 4.01.00 or 3.05.00 for an operator that still takes them.  Lotes\n"
    "# already generated keep the version they were made in.\n"
    "versao_tiss = 4.03.00\n"
    "# Guides per lote, 1 to 100 (the operator's manual says 50).\n"
    "#tamanho_lote = 50\n"
    "# sim: nothing is sent until a person approves each lote\n"
    "# (tiss-lote aprovar N, or --competencia MM/AAAA).\n"
    "#aprovacao = nao\n"
    "# Encoding the epilogo hash is computed over: ISO-8859-1 or UTF-8.\n"
    "#hash_encoding = ISO-8859-1\n"
    "# Directory of the official ANS schemas of versao_tiss.  Default: where\n"
    "# 'tiss-schemas install' puts them, DATADIR/schemas/VERSION.\n"
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
    "#min_age = 2\n"
    "\n"
    "[workspace]\n"
    "# A group of clerks who may read and write the workspace (not its\n"
    "# secrets): directories become 2750 and files 0640 with that group.\n"
    "# Unset, the workspace is the owner's only (0700, files 0600).  Run\n"
    "# tiss-init again after changing it.\n"
    "#group =\n"
    "\n"
    "# How the cabecalho identifies a prestador to the operator, one section\n"
    "# per prestador code: identificacao = codigo (codigoPrestadorNaOperadora,\n"
    "# the default), cnpj or cpf, with the number.  An alphanumeric CNPJ\n"
    "# needs versao_tiss 4.03.00.\n"
    "#[prestador 10001234]\n"
    "#identificacao = cnpj\n"
    "#cnpj = 12ABC34501DE35\n";

/* mkdir that accepts an existing directory. */
static void
make_dir(const char *path)
{
	struct stat sb;

	if (mkdir(path, 0700) != 0) {
		if (errno != EEXIST || stat(path, &sb) != 0 ||
		    !S_ISDIR(sb.st_mode))
			fatal(EXIT_IOERR, "cannot create directory '%s': %s",
			    path, strerror(errno == EEXIST ? ENOTDIR : errno));
	}
}

/* mkdir -p for the directories above the workspace. */
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
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
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
		    strerror(errno == 0 ? ENOSPC : errno));
}

/* What tighten applies: set once by main before nftw. */
static struct {
	size_t	 secrets_len;	/* length of "DIR/secrets" */
	const char *secrets;	/* "DIR/secrets" */
	int	 shared;	/* a clerks' group is set */
	gid_t	 gid;		/* that group */
} tight;

/*
 * nftw callback: the mode (and group) every entry of the workspace
 * should have.  Symbolic links are left alone (their target may be
 * outside); secrets/ is always the owner's only.
 */
static int
tighten(const char *path, const struct stat *sb, int type, struct FTW *ftw)
{
	int secret = strncmp(path, tight.secrets, tight.secrets_len) == 0 &&
	    (path[tight.secrets_len] == '\0' ||
	    path[tight.secrets_len] == '/');
	int shared = tight.shared && !secret;
	mode_t mode;

	(void)ftw;
	if (type == FTW_SL || type == FTW_SLN)
		return 0;
	if (type == FTW_D)
		mode = shared ? 02750 : 0700;
	else if (S_ISREG(sb->st_mode))
		mode = shared ? 0640 : 0600;
	else
		return 0;
	if (shared && sb->st_gid != tight.gid &&
	    chown(path, (uid_t)-1, tight.gid) != 0)
		fatal(EXIT_IOERR, "cannot give '%s' to the group of [workspace] "
		    "group: %s", path, strerror(errno));
	if ((sb->st_mode & 07777) != mode && chmod(path, mode) != 0)
		fatal(EXIT_IOERR, "cannot set the mode of '%s': %s", path,
		    strerror(errno));
	return 0;
}

/* Give every directory and file of the workspace its mode. */
static void
tighten_all(const char *dir, const struct cfg *cfg)
{
	char *secrets = xasprintf("%s/secrets", dir);

	tight.secrets = secrets;
	tight.secrets_len = strlen(secrets);
	tight.shared = ws_group(cfg, &tight.gid);
	if (nftw(dir, tighten, 16, FTW_PHYS) != 0)
		fatal(EXIT_IOERR, "cannot walk '%s': %s", dir, strerror(errno));
	free(secrets);
}

static const struct cli_spec spec = {
	.name = "tiss-init",
	.usage = "tiss-init [-qv] [-C dir | dir]\n",
};

int
main(int argc, char *argv[])
{
	static const char *const subdirs[] = {
		"inbox", "inbox/processing", "inbox/done", "inbox/error",
		"out", "reports", "secrets", NULL
	};
	const char *dir;
	struct cli cli;
	struct cfg cfg;
	char *path;
	sqlite3 *db;
	int i;

	i = cli_parse(&cli, &spec, argc, argv);
	if (argc - i > 1 || (argc - i == 1 && cli.workspace))
		cli_usage(&spec);
	dir = ws_dir(argc - i == 1 ? argv[i] : cli.workspace);
	ws_umask(NULL);		/* private until tiss.conf says otherwise */

	make_parents(dir);
	make_dir(dir);
	for (i = 0; subdirs[i]; i++) {
		path = xasprintf("%s/%s", dir, subdirs[i]);
		make_dir(path);
		free(path);
	}
	path = xasprintf("%s/tiss.conf", dir);
	write_conf(path);
	cfg_load(&cfg, path);
	free(path);
	ws_umask(&cfg);
	path = xasprintf("%s/tiss.db", dir);
	db = db_open(path, 1);
	db_close(db);
	free(path);
	tighten_all(dir, &cfg);
	cfg_release(&cfg);
	log_info("workspace '%s' ready, schema version %d", dir,
	    db_schema_version());
	printf("%s\n", dir);
	return close_stdout(EXIT_OK);
}
