/*
 * The command line every program shares, parsed in one place:
 *   -C, --workspace DIR   the workspace (else $TISS_WORKSPACE, else ".")
 *   -p, --prestador CODE  only this prestador's guides or lotes
 *   -v, --verbose         more detail on stderr (repeatable)
 *   -q, --quiet           errors only
 *   -h, --help            usage on stdout, exit 0
 *   -V, --version         the project's version on stdout, exit 0
 *   --bash-completion     every option, one a line, for the completion
 *                         script (as git's --git-completion-helper)
 *
 * A program declares its own options once, in a string cli expands
 * into getopt_long's tables: words separated by blanks, each
 *
 *	NAME=L		--NAME, without an argument
 *	NAME=L:		--NAME ARG
 *	NAME=-L		--NAME and its short form -L
 *	NAME=-L:	--NAME ARG and -L ARG
 *
 * where NAME is lowercase letters, digits and '-', and L (a letter or a
 * digit) is the value the program's callback receives.  For example
 * tiss-send's "aprovacao=-a dry-run=-n lote=-l:" and tiss-fetch's
 * "ate=a: de=d: from-file=f: list=l only=o: tipo=t:".  The common
 * options are declared the same way (COMMON_OPTIONS in cli.c), so their
 * names and letters (C h p q V v, and b) are taken; no NAME or L twice.
 *
 * cli also checks the operand count, prints the usage, and reads the
 * shared value formats (--competencia, --lote, --format).
 */
#ifndef TISS_CLI_H
#define TISS_CLI_H

#include <getopt.h>

struct cli {
	const char *workspace;	/* -C, or NULL (ws_dir decides) */
	const char *prestador;	/* -p, or NULL for all */
	int	 log_level;	/* LOG_NORMAL, moved by -v and -q */
};

#define CLI_MANY	(-1)	/* max_operands: no limit */

struct cli_spec {
	const char *name;	/* "tiss-send": for messages and --version */
	/*
	 * The synopsis and options, without "usage: "; printed by --help on
	 * stdout and, on a bad command line, on stderr before exit 64.
	 */
	const char *usage;
	const char *options;	/* the program's own, declared; or NULL */
	/*
	 * Called for each of the program's own options with its letter and
	 * its argument (NULL when it takes none); returns 0, or -1 to print
	 * the usage and exit 64.  May be NULL when there are none.
	 */
	int	(*option)(int ch, const char *arg, void *ctx);
	void	*ctx;
	int	 subcommands;	/* stop at the first operand (a command) */
	int	 min_operands;	/* fewer: usage, exit 64 */
	int	 max_operands;	/* more: usage, exit 64; or CLI_MANY */
};

/*
 * Parse argv: the common options into c, the program's own through
 * spec->option, then check that the operands number min_operands to
 * max_operands.  Calls i18n_init and log_init.  Returns the index of
 * the first operand.  Exits 0 after --help, --version or
 * --bash-completion; 64 on an unknown option, a missing argument, a
 * callback's -1 or a wrong operand count; 70 when the declaration is
 * bad (a programmer's error).  Starts a new scan, so it may be called
 * again on the arguments of a command.  argv is not modified beyond
 * getopt's permutation.
 */
int	 cli_parse(struct cli *c, const struct cli_spec *spec, int argc,
	    char **argv);

/*
 * The same for the options of a command inside a program (tiss-lote
 * list --de d --ate d): argv[0] is the command; only spec->options and
 * -h/--help, none of the common ones (the workspace is open already).
 * Returns the index of the first operand; exits as cli_parse.
 */
int	 cli_parse_command(const struct cli_spec *spec, int argc, char **argv);

/*
 * The option a spec->option callback is called for, as the user gave
 * it ("--de", or "-d" for a short form), for its messages.  A static
 * string, valid during the call.
 */
const char *cli_optname(void);

/* Print "usage: " and spec->usage on stderr and exit 64. */
void	 cli_usage(const struct cli_spec *spec) __attribute__((noreturn));

/* getopt_long's tables, expanded from a declaration. */
struct cli_opts {
	struct option *longopts;	/* zero-terminated */
	char	*shortopts;	/* getopt's syntax, without a leading '+' */
	char	*names;		/* the declaration cut into longopts' names,
				   then shortopts: one block */
};

/*
 * Expand the declaration decl (the syntax above) into o.  Returns 0;
 * or -1 with the bad word and why in err (a bad NAME or L, a name or a
 * letter declared twice), o left empty.  o is released with
 * cli_opts_release either way.
 */
int	 cli_opts_expand(struct cli_opts *o, const char *decl, char *err,
	    size_t errlen);

/* Free what cli_opts_expand allocated; o may be empty. */
void	 cli_opts_release(struct cli_opts *o);

/* Print the version line ("tiss-send (tiss) 0.11.0") on stdout. */
void	 cli_version(const char *name);

/* The project's version string, from the VERSION file at build time. */
const char *cli_version_string(void);

/*
 * --competencia (or any option named opt): "MM/AAAA" or "AAAA-MM" into
 * "AAAA-MM" in out.  Exits 64 naming the option when neither.
 */
void	 cli_competencia(const char *opt, const char *arg, char out[8]);

/*
 * A whole number (--jobs, --min-age, --dias): arg, all digits, from min
 * to max (min >= 0).  Exits 64 naming the option and the range otherwise.
 */
long long cli_number(const char *opt, const char *arg, long long min,
	    long long max);

/* --lote: a lote number, 1 to 999999999999; exits 64 otherwise. */
long long cli_lote(const char *opt, const char *arg);

/*
 * A repeatable --lote: the number in arg (as cli_lote) appended to the
 * *n numbers of *v, grown with xrealloc; the caller frees *v.
 */
void	 cli_lotes(const char *opt, const char *arg, long long **v, int *n);

/*
 * One of a fixed set of words (--format html|csv|txt|xml): the index of
 * arg in the NULL-terminated choices; exits 64 listing them otherwise.
 */
int	 cli_choice(const char *opt, const char *arg,
	    const char *const choices[]);

#endif
