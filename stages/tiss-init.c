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
#include "common/i18n.h"
#include "common/migrate.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/util.h"
#include "common/ws.h"

/*
 * In Portuguese whatever the locale: the file belongs to the workspace
 * and is read by its clerks, while tiss-init is often run by a
 * sysadmin with LANG=C; tiss.conf(5) is the English reference.
 */
static const char conf_template[] =
    "# tiss.conf: configuração deste espaço de faturamento TISS;\n"
    "# veja tiss.conf(5).\n"
    "# Linhas \"chave = valor\" sob uma [seção]; '#' inicia um comentário.\n"
    "# Segredos (senhas, chaves de certificado) nunca ficam aqui: ficam em\n"
    "# secrets/, modo 0600.  Os valores comentados são os padrões.\n"
    "\n"
    "[operadora]\n"
    "# Registro ANS da operadora, 6 dígitos.  Sem padrão: nenhuma guia\n"
    "# é faturada até ele ser preenchido.\n"
    "#registro_ans =\n"
    "# Versão TISS das mensagens: 4.03.00, em vigor desde 01/12/2025, ou\n"
    "# 4.01.00 ou 3.05.00 para uma operadora que ainda as aceite.  Os lotes\n"
    "# já gerados mantêm a versão em que foram feitos.\n"
    "versao_tiss = 4.03.00\n"
    "# Guias por lote, de 1 a 100 (o manual da operadora diz 50).\n"
    "#tamanho_lote = 50\n"
    "# sim: nada é enviado até que uma pessoa aprove cada lote\n"
    "# (tiss-lote aprovar N, ou --competencia MM/AAAA).\n"
    "#aprovacao = nao\n"
    "# Codificação sobre a qual o hash do epílogo é calculado: ISO-8859-1\n"
    "# ou UTF-8.\n"
    "#hash_encoding = ISO-8859-1\n"
    "# Pasta dos schemas oficiais da ANS da versao_tiss.  Padrão: onde o\n"
    "# 'tiss-schemas install' os põe, DATADIR/schemas/VERSÃO.\n"
    "#schemas =\n"
    "# Os web services da operadora (só https://); veja docs/operators.md.\n"
    "#endpoint =\n"
    "#status_endpoint =\n"
    "# TLS: autoridades certificadoras aceitas (padrão: as do sistema),\n"
    "# certificado do cliente (PEM ou PKCS#12) e chave, relativos a esta\n"
    "# pasta; a senha da chave é um segredo, nomeado aqui\n"
    "# (tiss-secret set NOME).\n"
    "#ca_file =\n"
    "#client_cert = secrets/cliente.pem\n"
    "#client_key = secrets/cliente.key\n"
    "#client_key_secret =\n"
    "# loginPrestador, quando a operadora pede loginSenhaPrestador; a senha\n"
    "# é o segredo login_secret.\n"
    "#login =\n"
    "#login_secret = senha\n"
    "# Segundos para conectar e para uma troca inteira; novas tentativas\n"
    "# numa execução e os segundos antes da primeira (dobram a cada vez).\n"
    "#connect_timeout = 10\n"
    "#timeout = 120\n"
    "#retries = 3\n"
    "#retry_delay = 5\n"
    "# Lotes que o tiss-send envia ao mesmo tempo, cada um na sua conexão,\n"
    "# de 1 a 16 (pergunte à operadora quantas ela aceita).\n"
    "#connections = 1\n"
    "\n"
    "[eautorizador]\n"
    "# O sistema de autorizações da operadora (docs/eautorizador.md), só\n"
    "# https://; o prestador buscado por padrão, o seu login (padrão: o\n"
    "# código do prestador) e o segredo com a senha.  As chaves de TLS de\n"
    "# [operadora] (ca_file, client_cert, ..., retries) valem aqui também.\n"
    "#url =\n"
    "#prestador =\n"
    "#login =\n"
    "#login_secret = eautorizador\n"
    "\n"
    "[import]\n"
    "# Codificação das planilhas CSV: auto, utf-8, windows-1252 ou\n"
    "# iso-8859-1.\n"
    "#encoding = auto\n"
    "# Segundos que um arquivo em inbox/ deve ficar sem mudar antes de ser\n"
    "# importado.\n"
    "#min_age = 2\n"
    "\n"
    "[workspace]\n"
    "# Um grupo de faturistas que pode ler e escrever no espaço (não nos\n"
    "# segredos): as pastas ficam 2750 e os arquivos 0640 com esse grupo.\n"
    "# Sem ele, o espaço é só do dono (0700, arquivos 0600).  Rode o\n"
    "# tiss-init de novo depois de mudar.\n"
    "#group =\n"
    "# Fuso horário em que as datas e horas são mostradas (nomes do\n"
    "# pacote tzdata, em /usr/share/zoneinfo).\n"
    "#fuso_horario = America/Sao_Paulo\n"
    "\n"
    "# Como o cabeçalho identifica um prestador à operadora, uma seção por\n"
    "# código de prestador: identificacao = codigo\n"
    "# (codigoPrestadorNaOperadora, o padrão), cnpj ou cpf, com o número.\n"
    "# Um CNPJ alfanumérico precisa da versao_tiss 4.03.00.\n"
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
			fatal(EXIT_IOERR, _("cannot create directory '%s': %s"),
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
			fatal(EXIT_IOERR, _("cannot create directory '%s': %s"),
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
		fatal(EXIT_IOERR, _("cannot create '%s': %s"), path,
		    strerror(errno));
	}
	if (write(fd, conf_template, n) != (ssize_t)n || fsync(fd) != 0 ||
	    close(fd) != 0)
		fatal(EXIT_IOERR, _("cannot write '%s': %s"), path,
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
		fatal(EXIT_IOERR, _("cannot give '%s' to the group of "
		    "[workspace] group: %s"), path, strerror(errno));
	if ((sb->st_mode & 07777) != mode && chmod(path, mode) != 0)
		fatal(EXIT_IOERR, _("cannot set the mode of '%s': %s"), path,
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
		fatal(EXIT_IOERR, _("cannot walk '%s': %s"), dir,
		    strerror(errno));
	free(secrets);
}

static const struct cli_spec spec = {
	.name = "tiss-init",
	.usage = "tiss-init [-qv] [-C dir | dir]\n",
	.max_operands = 1,
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
	if (argc - i == 1 && cli.workspace)
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
	migrate(db, path);
	db_close(db);
	free(path);
	tighten_all(dir, &cfg);
	cfg_release(&cfg);
	log_info(_("workspace '%s' ready, schema version %d"), dir,
	    db_schema_version());
	printf("%s\n", dir);
	return close_stdout(EXIT_OK);
}
