/*
 * The command line every program shares, parsed in one place:
 *   -C, --workspace DIR   the workspace (else $TISS_WORKSPACE, else ".")
 *   -p, --prestador CODE  only this prestador's guides or lotes
 *   -v, --verbose         more detail on stderr (repeatable)
 *   -q, --quiet           errors only
 *   -h, --help            usage on stdout, exit 0
 *   -V, --version         the project's version on stdout, exit 0
 * Each program adds its own options through a cli_spec, and takes the
 * shared value formats (--competencia, --lote, --format) from here.
 */
#ifndef TISS_CLI_H
#define TISS_CLI_H

#include <getopt.h>

struct cli {
	const char *workspace;	/* -C, or NULL (ws_dir decides) */
	const char *prestador;	/* -p, or NULL for all */
	int	 log_level;	/* LOG_NORMAL, moved by -v and -q */
};

struct cli_spec {
	const char *name;	/* "tiss-send": for messages and --version */
	/*
	 * The synopsis and options, without "usage: "; printed by --help on
	 * stdout and, on a bad command line, on stderr before exit 64.
	 */
	const char *usage;
	const char *shortopts;	/* the program's own, getopt syntax; or NULL */
	const struct option *longopts;	/* its own, zero-terminated; or NULL */
	/*
	 * Called for each of the program's own options with getopt's value
	 * and optarg (NULL when it takes none); returns 0, or -1 to print
	 * the usage and exit 64.  May be NULL when there are none.
	 */
	int	(*option)(int ch, const char *arg, void *ctx);
	void	*ctx;
	int	 subcommands;	/* stop at the first operand (a command) */
};

/*
 * Parse argv: the common options into c, the program's own through
 * spec->option.  Calls log_init.  Returns the index of the first operand.
 * Exits 0 after --help or --version, 64 on an unknown option or a
 * missing argument.  argv is not modified beyond getopt's permutation.
 */
int	 cli_parse(struct cli *c, const struct cli_spec *spec, int argc,
	    char **argv);

/* Print "usage: " and spec->usage on stderr and exit 64. */
void	 cli_usage(const struct cli_spec *spec) __attribute__((noreturn));

/* Print the version line ("tiss-send (tiss) 0.11.0") on stdout. */
void	 cli_version(const char *name);

/* The project's version string, from the VERSION file at build time. */
const char *cli_version_string(void);

/*
 * --competencia (or any option named opt): "MM/AAAA" or "AAAA-MM" into
 * "AAAA-MM" in out.  Exits 64 naming the option when neither.
 */
void	 cli_competencia(const char *opt, const char *arg, char out[8]);

/* --lote: a lote number, 1 to 999999999999; exits 64 otherwise. */
long long cli_lote(const char *opt, const char *arg);

/*
 * One of a fixed set of words (--format html|csv|txt|xml): the index of
 * arg in the NULL-terminated choices; exits 64 listing them otherwise.
 */
int	 cli_choice(const char *opt, const char *arg,
	    const char *const choices[]);

#endif
