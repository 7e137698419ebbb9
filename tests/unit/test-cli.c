/*
 * Unit tests of stages/common/cli.c: the option declaration expanded
 * into getopt_long's tables (each kind of option, each bad declaration
 * caught), and a parse through those tables.
 */
#include <sys/wait.h>

#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "tap.h"

/* The option of o named name, or NULL. */
static const struct option *
find(const struct cli_opts *o, const char *name)
{
	const struct option *lo;

	for (lo = o->longopts; lo->name; lo++)
		if (strcmp(lo->name, name) == 0)
			return lo;
	return NULL;
}

/* Each kind: long only or with a short form, with or without argument. */
static void
test_kinds(void)
{
	struct cli_opts o;
	const struct option *lo;
	char err[256] = "";
	int n;

	ok(cli_opts_expand(&o, "dry-run=-n lote=-l: ate=a: list=l2 "
	    "from-file=f", err, sizeof(err)) == -1,
	    "a letter followed by more than ':' is refused");
	ok(cli_opts_expand(&o, "  dry-run=-n\tlote=-l:  ate=a:\n list=L ",
	    err, sizeof(err)) == 0, "a declaration of four kinds expands");
	ok_str(o.shortopts, "nl:", "only the short forms, ':' for an "
	    "argument");
	lo = find(&o, "dry-run");
	ok(lo && lo->has_arg == no_argument && lo->val == 'n',
	    "NAME=-L: a flag with a short form");
	lo = find(&o, "lote");
	ok(lo && lo->has_arg == required_argument && lo->val == 'l',
	    "NAME=-L: takes an argument");
	lo = find(&o, "ate");
	ok(lo && lo->has_arg == required_argument && lo->val == 'a',
	    "NAME=L: long only, with an argument");
	lo = find(&o, "list");
	ok(lo && lo->has_arg == no_argument && lo->val == 'L',
	    "NAME=L: long only, a flag");
	for (n = 0; o.longopts[n].name; n++)
		;
	ok(n == 4, "four options, then the zero entry");
	cli_opts_release(&o);
	ok(o.longopts == NULL && o.names == NULL, "released");
	ok(cli_opts_expand(&o, "", err, sizeof(err)) == 0 &&
	    o.longopts[0].name == NULL && strcmp(o.shortopts, "") == 0,
	    "an empty declaration: no option");
	cli_opts_release(&o);
	ok(cli_opts_expand(&o, "exec-de=E: x9=-9", err, sizeof(err)) == 0 &&
	    find(&o, "exec-de") && strcmp(o.shortopts, "9") == 0,
	    "'-' and digits in a name, a digit as letter");
	cli_opts_release(&o);
}

/* Every bad declaration is refused with the word and why. */
static void
test_bad(void)
{
	static const struct {
		const char *decl;
		const char *word;	/* the start of err */
		const char *why;	/* the test's name */
	} bad[] = {
		{ "lote", "lote: no '='", "no '='" },
		{ "lote=", "lote=: after '='", "no letter" },
		{ "lote=-", "lote=-: after", "no letter after '-'" },
		{ "lote=ab", "lote=ab: after", "two letters" },
		{ "lote=l::", "lote=l::: after", "two ':'" },
		{ "lote=*", "lote=*: after", "a letter that is not one" },
		{ "l=l", "l=l: NAME", "a one-letter name" },
		{ "Lote=l", "Lote=l: NAME", "an uppercase name" },
		{ "-lote=l", "-lote=l: NAME", "a name from '-'" },
		{ "lo_te=l", "lo_te=l: NAME", "'_' in a name" },
		{ "=l", "=l: NAME", "no name" },
		{ "lote=l: lote=m", "lote=m: NAME declared twice",
		    "a name twice" },
		{ "lote=l: list=-l", "list=-l: the letter", "a letter twice" },
		{ "ok=o bad", "bad: no '='", "the bad word after a good one" },
	};
	struct cli_opts o;
	char err[256], name[128];
	size_t i;
	int rc;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		err[0] = '\0';
		rc = cli_opts_expand(&o, bad[i].decl, err, sizeof(err));
		snprintf(name, sizeof(name), "refused: %s ('%s')", bad[i].why,
		    bad[i].decl);
		ok(rc == -1 && o.longopts == NULL &&
		    strncmp(err, bad[i].word, strlen(bad[i].word)) == 0, name);
		if (rc != -1 || strncmp(err, bad[i].word,
		    strlen(bad[i].word)) != 0)
			printf("# err '%s'\n", err);
	}
}

/* What the callback saw, in order: "l=7 n a=2026-01-01 ". */
static char seen[256];

static int
record(int ch, const char *arg, void *ctx)
{
	size_t len = strlen(seen);

	(void)ctx;
	if (ch == 'x')
		return -1;	/* the callback refuses: usage */
	snprintf(seen + len, sizeof(seen) - len, "%c%s%s(%s) ", ch,
	    arg ? "=" : "", arg ? arg : "", cli_optname());
	return 0;
}

/* A parse through the expanded tables, common options included. */
static void
test_parse(void)
{
	char *argv[] = { "prog", "-n", "--lote", "7", "-C", "ws",
	    "--ate=2026-01-01", "-l8", "--prestador", "123", "-vv", "op",
	    "--list", NULL };
	const struct cli_spec spec = { .name = "prog", .usage = "prog\n",
	    .options = "dry-run=-n lote=-l: ate=a: list=L", .option = record,
	    .max_operands = 1 };
	struct cli c;
	int first;

	first = cli_parse(&c, &spec, 13, argv);
	ok_str(seen, "n(-n) l=7(--lote) a=2026-01-01(--ate) l=8(-l) "
	    "L(--list) ", "each option reaches the callback with its "
	    "argument and name");
	ok(first == 12 && strcmp(argv[first], "op") == 0,
	    "the operand is permuted to the end");
	ok_str(c.workspace, "ws", "-C into the workspace");
	ok_str(c.prestador, "123", "--prestador into the prestador");
	ok(c.log_level == 2 + 1, "-vv raises the level twice");
}

/* cli_lotes: a repeatable --lote, appended. */
static void
test_lotes(void)
{
	long long *v = NULL;
	int n = 0;

	cli_lotes("--lote", "7", &v, &n);
	cli_lotes("--lote", "999999999999", &v, &n);
	ok(n == 2 && v[0] == 7 && v[1] == 999999999999LL,
	    "cli_lotes appends each number");
	free(v);
}

/*
 * The exit status of cli_parse(spec) on argv in a child, its output
 * thrown away; -1 when it returns instead of exiting.
 */
static int
parse_status(const struct cli_spec *spec, char **argv)
{
	struct cli c;
	pid_t pid;
	int argc, st, fd;

	for (argc = 0; argv[argc]; argc++)
		;
	fflush(stdout);
	if ((pid = fork()) == 0) {
		fd = open("/dev/null", O_WRONLY);
		dup2(fd, 1);
		dup2(fd, 2);
		cli_parse(&c, spec, argc, argv);
		_exit(255);
	}
	if (pid < 0 || waitpid(pid, &st, 0) != pid || !WIFEXITED(st))
		return -2;
	return WEXITSTATUS(st) == 255 ? -1 : WEXITSTATUS(st);
}

/* What cli_parse exits with: usage 64, --help 0, a bad declaration 70. */
static void
test_exits(void)
{
	struct cli_spec spec = { .name = "prog", .usage = "prog [-n] x\n",
	    .options = "dry-run=-n refuse=x", .option = record,
	    .min_operands = 1, .max_operands = 2 };
	char *one[] = { "prog", "-n", "a", NULL };
	char *none[] = { "prog", "-n", NULL };
	char *three[] = { "prog", "a", "b", "c", NULL };
	char *unknown[] = { "prog", "--bogus", "a", NULL };
	char *noarg[] = { "prog", "a", "-C", NULL };
	char *refused[] = { "prog", "--refuse", "a", NULL };
	char *help[] = { "prog", "--help", NULL };
	char *version[] = { "prog", "-V", NULL };
	char *compl[] = { "prog", "--bash-completion", NULL };
	static const char *const clash[] = { "quiet=-q", "prestador=P:",
	    "verbose2=v", "bash=b", "dry-run=-n dry-run=N" };
	char name[80];
	size_t i;

	ok(parse_status(&spec, one) == -1, "one operand: parsed");
	ok(parse_status(&spec, none) == 64, "too few operands: 64");
	ok(parse_status(&spec, three) == 64, "too many operands: 64");
	ok(parse_status(&spec, unknown) == 64, "an unknown option: 64");
	ok(parse_status(&spec, noarg) == 64, "a missing argument: 64");
	ok(parse_status(&spec, refused) == 64, "the callback refuses: 64");
	ok(parse_status(&spec, help) == 0, "--help: 0");
	ok(parse_status(&spec, version) == 0, "-V: 0");
	ok(parse_status(&spec, compl) == 0, "--bash-completion: 0");
	for (i = 0; i < sizeof(clash) / sizeof(clash[0]); i++) {
		spec.options = clash[i];
		snprintf(name, sizeof(name), "'%s' clashes: 70", clash[i]);
		ok(parse_status(&spec, help) == 70, name);
	}
}

int
main(void)
{
	test_kinds();
	test_bad();
	test_parse();
	test_lotes();
	test_exits();
	return tap_done();
}
