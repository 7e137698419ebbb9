#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cfg.h"
#include "cli.h"
#include "db.h"
#include "entry.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "parse.h"
#include "review.h"
#include "state.h"
#include "util.h"

int
review_required(const struct ws *ws)
{
	const char *v = cfg_get(&ws->cfg, "operadora", "aprovacao"), *why;
	int on = 0;

	if (v && (why = parse_yesno(v, &on)) != NULL)
		fatal(EXIT_CONFIG, _("%s: [operadora] aprovacao '%s': %s"),
		    ws->cfg.path, v, why);
	return on;
}

/* Who approves: the login behind sudo, or the user running this. */
static const char *
who(void)
{
	const char *s = getenv("SUDO_USER");
	struct passwd *pw;

	if (s && *s)
		return s;
	pw = getpwuid(getuid());
	return pw ? pw->pw_name : "?";
}

/* Approve one picked lote; prints its line.  Returns an exit code. */
static int
approve(struct ws *ws, const struct lote_item *l, const char *when)
{
	switch (state_lote_aprovar(ws->db, l->id, who(), when)) {
	case 1:
		printf(_("lote %lld of %s (%.2s/%.4s): approved\n"), l->numero,
		    l->prest, l->competencia + 5, l->competencia);
		return EXIT_OK;
	case 2:
		printf(_("lote %lld of %s: approved already\n"), l->numero,
		    l->prest);
		return EXIT_OK;
	}
	log_error(l->status == LOTE_ABERTO ? _("lote %lld of %s is %s: only a "
	    "closed lote or one with its XML made (and not sent yet) can be "
	    "approved; close it first (tiss-lote close)") : _("lote %lld of %s "
	    "is %s: only a closed lote or one with its XML made (and not sent "
	    "yet) can be approved"), l->numero, l->prest,
	    state_lote_name(l->status));
	return EXIT_DATAERR;
}

/* Ask on a terminal; 1 when the answer is yes. */
static int
confirm(long n, const char *comp)
{
	char line[16];
	int yes = 0;

	fprintf(stderr, P_("Approve %ld lote of competência %.2s/%.4s for "
	    "sending? [y/N] ", "Approve %ld lotes of competência %.2s/%.4s for "
	    "sending? [y/N] ", n), n, comp + 5, comp);
	if (fgets(line, sizeof(line), stdin) == NULL)
		return 0;
	line[strcspn(line, "\r\n")] = '\0';
	return parse_yesno(line, &yes) == NULL && yes;
}

/* Every unapproved lote of comp that may be approved, asked for first. */
static int
approve_month(struct ws *ws, const char *prestador, const char *comp,
    int yes, const char *when)
{
	struct lotes_spec spec = { 0 };
	struct lote_list l;
	char where[64];
	int ret = EXIT_OK;
	long i;

	/* comp is cli_competencia's "AAAA-MM": program text, not input. */
	snprintf(where, sizeof(where), "aprovadoEm IS NULL AND "
	    "competencia = '%.7s'", comp);
	spec.prestador = prestador;
	spec.wanted = LOTES_WANT(LOTE_FECHADO) | LOTES_WANT(LOTE_XML_GERADO);
	spec.where = where;
	lotes_pick(ws->db, &spec, &l);
	if (l.n == 0)
		log_notice(_("no lote to approve in competência %.2s/%.4s"),
		    comp + 5, comp);
	else if (!yes && isatty(STDIN_FILENO) && !confirm(l.n, comp)) {
		lotes_release(&l);
		log_notice(_("nothing was approved"));
		return EXIT_OK;
	}
	db_exec(ws->db, "BEGIN IMMEDIATE");
	for (i = 0; i < l.n; i++)
		ret = exit_worse(ret, approve(ws, &l.v[i], when));
	db_exec(ws->db, "COMMIT");
	lotes_release(&l);
	return ret;
}

/* aprovar's options (cli): --competencia and --yes. */
struct approve_opts {
	char	 comp[8];	/* --competencia, AAAA-MM, or "" */
	int	 yes;		/* --yes */
};

static int
approve_option(int ch, const char *arg, void *ctx)
{
	struct approve_opts *o = ctx;

	if (ch == 'c')
		cli_competencia("--competencia", arg, o->comp);
	else
		o->yes = 1;
	return 0;
}

int
review_aprovar(struct ws *ws, const char *prestador, int argc, char **argv)
{
	struct approve_opts o = { "", 0 };
	const struct cli_spec spec = { .name = "tiss-lote",
	    .usage = "tiss-lote aprovar n ... | aprovar --competencia mm/aaaa "
	    "[--yes]\n", .options = "competencia=c: yes=y",
	    .option = approve_option, .ctx = &o, .max_operands = CLI_MANY };
	char when[32];
	int ret = EXIT_OK;

	/* The lote numbers from optind on, where getopt leaves it. */
	optind = cli_parse_command(&spec, argc, argv);
	if ((o.comp[0] != '\0') == (optind < argc))
		cli_usage(&spec);
	time_iso(when);
	if (o.comp[0])
		return approve_month(ws, prestador, o.comp, o.yes, when);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	for (; optind < argc; optind++) {
		struct lote_item l;
		int n = lotes_find(ws->db, prestador, cli_lote("lote",
		    argv[optind]), &l);

		if (n > 1)
			fatal(EXIT_USAGE, _("lote %s exists for several "
			    "prestadores; say which with -p"), argv[optind]);
		if (n == 0) {
			log_error(prestador ? _("no lote numbered %s of "
			    "prestador %s") : _("no lote numbered %s"),
			    argv[optind], prestador);
			ret = exit_worse(ret, EXIT_NOINPUT);
		} else
			ret = exit_worse(ret, approve(ws, &l, when));
		lotes_item_release(&l);
	}
	db_exec(ws->db, "COMMIT");
	return ret;
}

/*
 * Guide num (of prestador) into *id and its status and lote number into
 * st and lote; 0 when found, else an exit code (logged).
 */
static int
find_guide(struct ws *ws, const char *prestador, const char *num,
    long long *id, char st[16], long long *lote)
{
	sqlite3_stmt *q = db_prepare(ws->db, "SELECT g.id, g.status, "
	    "l.numeroLote, g.codigoPrestadorNaOperadora FROM guia g LEFT JOIN "
	    "lote l ON l.id = g.lote_id WHERE " ENTRY_GUIDE_NAMED("g."));
	int n = 0;

	db_bind_text(q, 1, num);
	db_bind_text(q, 2, prestador);
	while (db_step(ws->db, q) == SQLITE_ROW) {
		*id = sqlite3_column_int64(q, 0);
		snprintf(st, 16, "%s", db_col_text(q, 1));
		*lote = sqlite3_column_int64(q, 2);
		n++;
	}
	sqlite3_finalize(q);
	if (n > 1)
		fatal(EXIT_USAGE, _("guide %s exists for several prestadores; "
		    "say which with -p"), num);
	if (n == 0)
		log_error(prestador ? _("no guide numbered %s of prestador %s") :
		    _("no guide numbered %s"), num, prestador);
	return n ? EXIT_OK : EXIT_NOINPUT;
}

/* Hold (when != NULL) or release guide num.  Returns an exit code. */
static int
hold(struct ws *ws, const char *prestador, const char *num,
    const char *when, const char *motivo)
{
	long long id = 0, lote = 0;
	char st[16];
	int r = find_guide(ws, prestador, num, &id, st, &lote);

	if (r != EXIT_OK)
		return r;
	switch (state_guia_reter(ws->db, id, when, motivo)) {
	case 1:
		printf(when ? _("guide %s: held\n") : _("guide %s: released\n"),
		    num);
		return EXIT_OK;
	case 2:
		printf(when ? _("guide %s: held already\n") : _("guide %s: "
		    "released already\n"), num);
		return EXIT_OK;
	}
	if (lote)
		log_error(_("guide %s is in lote %lld (%s): take it out of the "
		    "lote first (tiss-lote rm %lld %s)"), num, lote, st, lote,
		    num);
	else
		log_error(_("guide %s is %s and can no longer be held or "
		    "released"), num, st);
	return EXIT_DATAERR;
}

/* reter's --motivo (cli), into the string ctx points to. */
static int
hold_option(int ch, const char *arg, void *ctx)
{
	(void)ch;	/* the only one declared */
	*(const char **)ctx = arg;
	return 0;
}

int
review_reter(struct ws *ws, const char *prestador, int argc, char **argv)
{
	int retain = strcmp(argv[0], "reter") == 0, ret = EXIT_OK;
	const char *motivo = NULL;
	const struct cli_spec spec = { .name = "tiss-lote",
	    .usage = retain ? "tiss-lote reter g ... [--motivo texto]\n" :
	    "tiss-lote liberar g ...\n", .options = retain ? "motivo=m:" : NULL,
	    .option = hold_option, .ctx = &motivo, .min_operands = 1,
	    .max_operands = CLI_MANY };
	char when[32];

	/* Options anywhere among the guides (GNU getopt permutes). */
	cli_parse_command(&spec, argc, argv);
	time_iso(when);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	for (; optind < argc; optind++)
		ret = exit_worse(ret, hold(ws, prestador, argv[optind],
		    retain ? when : NULL, motivo));
	db_exec(ws->db, "COMMIT");
	return ret;
}

int
review_wait(const struct lote_item *l, int required, const char *aprovado_em)
{
	if (!required || aprovado_em != NULL || l->status == LOTE_ENVIANDO)
		return 0;
	log_notice(_("lote %lld of %s awaits approval: nothing was sent; "
	    "check it (tiss-lote show %lld) and approve it with tiss-lote "
	    "aprovar %lld"), l->numero, l->prest, l->numero, l->numero);
	return 1;
}
