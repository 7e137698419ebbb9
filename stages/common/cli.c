#include <ctype.h>
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

#define COMMON_SHORT	"C:hp:qVv"

static const struct option common_long[] = {
	{ "workspace", required_argument, NULL, 'C' },
	{ "help", no_argument, NULL, 'h' },
	{ "prestador", required_argument, NULL, 'p' },
	{ "quiet", no_argument, NULL, 'q' },
	{ "version", no_argument, NULL, 'V' },
	{ "verbose", no_argument, NULL, 'v' },
};
#define NCOMMON	(sizeof(common_long) / sizeof(common_long[0]))

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

/* The common long options followed by the program's own. */
static struct option *
merged_longopts(const struct option *own)
{
	size_t n = 0, i;
	struct option *all;

	while (own && own[n].name)
		n++;
	all = xcalloc(NCOMMON + n + 1, sizeof(*all));
	memcpy(all, common_long, sizeof(common_long));
	for (i = 0; i < n; i++)
		all[NCOMMON + i] = own[i];
	return all;
}

int
cli_parse(struct cli *c, const struct cli_spec *spec, int argc, char **argv)
{
	struct option *longopts = merged_longopts(spec->longopts);
	char *shortopts = xasprintf("%s%s%s", spec->subcommands ? "+" : "",
	    COMMON_SHORT, spec->shortopts ? spec->shortopts : "");
	int ch;

	i18n_init();
	log_init(spec->name, LOG_NORMAL);	/* the name in option errors */
	memset(c, 0, sizeof(*c));
	c->log_level = LOG_NORMAL;
	opterr = 1;
	while ((ch = getopt_long(argc, argv, shortopts, longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			c->workspace = optarg;
			break;
		case 'h':
			free(longopts);
			free(shortopts);
			printf(_("usage: %s"), spec->usage);
			exit(close_stdout(EXIT_OK));
		case 'p':
			c->prestador = optarg;
			break;
		case 'q':
			c->log_level = LOG_QUIET;
			break;
		case 'V':
			free(longopts);
			free(shortopts);
			cli_version(spec->name);
			exit(close_stdout(EXIT_OK));
		case 'v':
			c->log_level++;
			break;
		case '?':
			cli_usage(spec);
		default:
			if (spec->option == NULL ||
			    spec->option(ch, optarg, spec->ctx) != 0)
				cli_usage(spec);
		}
	}
	free(longopts);
	free(shortopts);
	log_init(spec->name, c->log_level);
	return optind;
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

long long
cli_lote(const char *opt, const char *arg)
{
	char *end;
	long long v;

	v = strtoll(arg, &end, 10);
	if (!isdigit((unsigned char)arg[0]) || *end != '\0' || v < 1 ||
	    v > 999999999999LL) {
		fprintf(stderr, _("%s: %s '%s': a lote number is a whole "
		    "number from 1 to 999999999999\n"), log_progname(), opt,
		    arg);
		exit(EXIT_USAGE);
	}
	return v;
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
