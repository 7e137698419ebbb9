#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

#ifndef TISS_VERSION
#define TISS_VERSION "unknown"
#endif

/*
 * The common options, declared as a program declares its own; b is
 * --bash-completion's letter, so no program may take it either.
 */
#define COMMON_OPTIONS	"workspace=-C: help=-h prestador=-p: quiet=-q " \
	"version=-V verbose=-v bash-completion=b"
/* What a command's own options (cli_parse_command) add to its own. */
#define COMMAND_OPTIONS	"help=-h bash-completion=b"

const char *
cli_version_string(void)
{
	return TISS_VERSION;
}

void
cli_version(const char *name)
{
	printf("%s (tiss) %s\n", name, TISS_VERSION);
}

void
cli_usage(const struct cli_spec *spec)
{
	fprintf(stderr, _("usage: %s"), spec->usage);
	exit(EXIT_USAGE);
}

void
cli_opts_release(struct cli_opts *o)
{
	free(o->longopts);
	free(o->names);		/* and shortopts, in the same block */
	memset(o, 0, sizeof(*o));
}

/*
 * One word of a declaration, cut to its NAME in place, into the next
 * slot of o.  Returns NULL, or why it is bad.  The messages are for the
 * developer who wrote the declaration, never for a clerk: not
 * translated.
 */
static const char *
add_word(struct cli_opts *o, size_t n, char *w)
{
	char *eq = strchr(w, '='), *s, *so;
	int shortform, arg, letter;
	size_t i;

	if (eq == NULL)
		return "no '=': write NAME=L, NAME=L:, NAME=-L or NAME=-L:";
	*eq = '\0';
	if (strlen(w) < 2 || !islower((unsigned char)w[0]) ||
	    w[strspn(w, "abcdefghijklmnopqrstuvwxyz0123456789-")] != '\0')
		return "NAME is 2 or more of a-z, 0-9 and '-', from a letter";
	s = eq + 1;
	shortform = *s == '-';
	s += shortform;
	letter = (unsigned char)*s;
	arg = s[letter ? 1 : 0] == ':';
	if (!isalnum(letter) || s[1 + arg] != '\0')
		return "after '=': one letter or digit, '-' before it for a "
		    "short form, ':' after it for an argument";
	for (i = 0; i < n; i++) {
		if (strcmp(o->longopts[i].name, w) == 0)
			return "NAME declared twice";
		if (o->longopts[i].val == letter)
			return "the letter is declared twice (or is a common "
			    "option's)";
	}
	o->longopts[n].name = w;
	o->longopts[n].has_arg = arg ? required_argument : no_argument;
	o->longopts[n].val = letter;
	if (shortform) {
		so = o->shortopts + strlen(o->shortopts);
		*so++ = (char)letter;
		if (arg)
			*so = ':';
	}
	return NULL;
}

int
cli_opts_expand(struct cli_opts *o, const char *decl, char *err,
    size_t errlen)
{
	const char *why;
	char *w, *next;
	size_t n = 0, len = strlen(decl);

	/* The names, cut from a copy, then room for the short forms. */
	o->names = xcalloc(2 * len + 2, 1);
	memcpy(o->names, decl, len);
	o->shortopts = o->names + len + 1;
	/* A word takes 4 bytes at least and a blank: room enough. */
	o->longopts = xcalloc(len / 2 + 1, sizeof(*o->longopts));
	for (w = o->names; *(w += strspn(w, " \t\n")) != '\0'; w = next) {
		next = w + strcspn(w, " \t\n");
		if (*next != '\0')
			*next++ = '\0';
		snprintf(err, errlen, "%s", w);	/* before add_word cuts it */
		if ((why = add_word(o, n++, w)) != NULL) {
			len = strlen(err);
			snprintf(err + len, errlen - len, ": %s", why);
			cli_opts_release(o);
			return -1;
		}
	}
	return 0;
}

/* The option being handed to a callback, as given (cli_optname). */
static char current[40];

const char *
cli_optname(void)
{
	return current;
}

/* --bash-completion: each option a line, "=" after one with an argument. */
static void
print_options(const struct cli_opts *o)
{
	const struct option *lo;
	const char *eq;

	for (lo = o->longopts; lo->name; lo++) {
		if (lo->val == 'b')
			continue;
		eq = lo->has_arg == required_argument ? "=" : "";
		printf("--%s%s\n", lo->name, eq);
		if (strchr(o->shortopts, lo->val))
			printf("-%c%s\n", lo->val, eq);
	}
}

/* common and spec's declarations into o; exits 70 when they are bad. */
static void
expand(struct cli_opts *o, const struct cli_spec *spec, const char *common)
{
	char err[256], *decl;

	decl = xasprintf("%s %s", common, spec->options ? spec->options : "");
	if (cli_opts_expand(o, decl, err, sizeof(err)) != 0)
		fatal(EXIT_SOFTWARE, _("%s: bad option declaration '%s'"),
		    spec->name, err);
	free(decl);
}

/*
 * The tables of the scan under way: static, so that a callback or the
 * usage may exit without leaking them.
 */
static struct cli_opts tab;
static char *tab_short;

static void
scan_release(void)
{
	cli_opts_release(&tab);
	free(tab_short);
	tab_short = NULL;
}

/*
 * The loop of cli_parse and cli_parse_command: the options of common
 * and spec; the common ones that set something into c.  Returns the
 * index of the first operand after checking their count.
 */
static int
scan(struct cli *c, const struct cli_spec *spec, const char *common,
    int argc, char **argv)
{
	int ch, n, i = -1;

	scan_release();		/* a previous scan's */
	expand(&tab, spec, common);
	tab_short = xasprintf("%s%s", spec->subcommands ? "+" : "",
	    tab.shortopts);
	opterr = 1;
	optind = 0;	/* glibc: a new scan, from argv[1] */
	while ((ch = getopt_long(argc, argv, tab_short, tab.longopts, &i)) !=
	    -1) {
		if (i >= 0)
			snprintf(current, sizeof(current), "--%s",
			    tab.longopts[i].name);
		else
			snprintf(current, sizeof(current), "-%c", ch);
		i = -1;
		if (c != NULL && ch == 'C')
			c->workspace = optarg;
		else if (c != NULL && ch == 'p')
			c->prestador = optarg;
		else if (c != NULL && ch == 'q')
			c->log_level = LOG_QUIET;
		else if (c != NULL && ch == 'v')
			c->log_level++;
		else if (ch == 'h' || ch == 'b' || (c != NULL && ch == 'V')) {
			if (ch == 'h')
				printf(_("usage: %s"), spec->usage);
			else if (ch == 'V')
				cli_version(spec->name);
			else
				print_options(&tab);
			scan_release();
			exit(close_stdout(EXIT_OK));
		} else if (ch == '?' || spec->option == NULL ||
		    spec->option(ch, optarg, spec->ctx) != 0)
			cli_usage(spec);
	}
	scan_release();
	n = argc - optind;
	if (n < spec->min_operands || (spec->max_operands != CLI_MANY &&
	    n > spec->max_operands))
		cli_usage(spec);
	return optind;
}

int
cli_parse(struct cli *c, const struct cli_spec *spec, int argc, char **argv)
{
	int first;

	i18n_init();
	log_init(spec->name, LOG_NORMAL);	/* the name in option errors */
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_NORMAL;
	first = scan(c, spec, COMMON_OPTIONS, argc, argv);
	log_init(spec->name, c->log_level);
	return first;
}

int
cli_parse_command(const struct cli_spec *spec, int argc, char **argv)
{
	return scan(NULL, spec, COMMAND_OPTIONS, argc, argv);
}

void
cli_competencia(const char *opt, const char *arg, char out[8])
{
	int m, y, n = -1;

	/* "MM/AAAA" as the clerk writes it, "AAAA-MM" as scripts do. */
	if (strlen(arg) == 7 && arg[2] == '/')
		n = sscanf(arg, "%2d/%4d", &m, &y);
	else if (strlen(arg) == 7 && arg[4] == '-')
		n = sscanf(arg, "%4d-%2d", &y, &m);
	if (n != 2 || !isdigit((unsigned char)arg[0]) || m < 1 || m > 12 ||
	    y < 1900 || y > 9999) {
		fprintf(stderr, _("%s: %s '%s': write the month as MM/AAAA "
		    "(03/2026) or AAAA-MM (2026-03)\n"), log_progname(), opt,
		    arg);
		exit(EXIT_USAGE);
	}
	snprintf(out, 8, "%04d-%02d", y, m);
}

/* arg, all digits, into *v: 0 when it is from min to max, else -1. */
static int
whole(const char *arg, long long min, long long max, long long *v)
{
	char *end;

	errno = 0;
	*v = strtoll(arg, &end, 10);
	return isdigit((unsigned char)arg[0]) && *end == '\0' && errno == 0 &&
	    *v >= min && *v <= max ? 0 : -1;
}

long long
cli_number(const char *opt, const char *arg, long long min, long long max)
{
	long long v;

	if (whole(arg, min, max, &v) != 0) {
		fprintf(stderr, _("%s: %s '%s': write a whole number from %lld "
		    "to %lld\n"), log_progname(), opt, arg, min, max);
		exit(EXIT_USAGE);
	}
	return v;
}

long long
cli_lote(const char *opt, const char *arg)
{
	long long v;

	if (whole(arg, 1, 999999999999LL, &v) != 0) {
		fprintf(stderr, _("%s: %s '%s': a lote number is a whole "
		    "number from 1 to 999999999999\n"), log_progname(), opt,
		    arg);
		exit(EXIT_USAGE);
	}
	return v;
}

void
cli_lotes(const char *opt, const char *arg, long long **v, int *n)
{
	*v = xrealloc(*v, (size_t)(*n + 1) * sizeof(**v));
	(*v)[(*n)++] = cli_lote(opt, arg);
}

int
cli_choice(const char *opt, const char *arg, const char *const choices[])
{
	int i;

	for (i = 0; choices[i]; i++)
		if (strcmp(arg, choices[i]) == 0)
			return i;
	fprintf(stderr, _("%s: %s '%s': choose one of"), log_progname(), opt,
	    arg);
	for (i = 0; choices[i]; i++)
		fprintf(stderr, "%s %s", i ? "," : "", choices[i]);
	fputc('\n', stderr);
	exit(EXIT_USAGE);
}
