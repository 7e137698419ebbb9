/*
 * tiss-validate: say, before anything is sent, what is missing or wrong
 * in each guide.
 *
 * Checks every guide not yet in a lote (or those named with --guia)
 * against the rules of docs/validation.md, stores each failed rule as a
 * pendência (guide, field path, rule code, message in Portuguese, value
 * found), recomputes valorTotalProc, and sets the guide 'completo' or
 * 'incompleto'.  A guide whose verdict is current (validated under the
 * present validation fingerprint and not changed since, validate.h) is
 * not checked again unless named with --guia or with --todas; it
 * counts as what it is.  --report writes the pendências as CSV for the
 * clerk.  A short summary goes to stderr.
 *
 * Exit: 0 every guide not in a lote (of -p, or named) is complete, 64
 * usage, 65 some is incomplete, checked now or current, 66 a guide
 * named with --guia does not exist, 70 internal
 * error, 74 cannot write the report, 75 database busy, 78 not a
 * workspace or a bad operator profile.
 *
 * Deliberately not done: no missing value is ever filled in, except an
 * empty procedure description taken from the TUSS table by its code.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/entry.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/ofile.h"
#include "common/profile.h"
#include "common/rules.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"

static const char usage_text[] =
    "tiss-validate [-qv] [-C dir] [-p prestador] [--guia n]... [--todas]\n"
    "                     [--report file.csv]\n";

/* The command line beyond the common options. */
struct opts {
	const char **nums;	/* --guia, nnums of them */
	int	 nnums;
	const char *report;	/* --report, or NULL */
	int	 all;		/* --todas */
};

static int
option(int ch, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	switch (ch) {
	case 'g':
		o->nums = xrealloc(o->nums, (size_t)(o->nnums + 1) *
		    sizeof(*o->nums));
		o->nums[o->nnums++] = arg;
		return 0;
	case 'r':
		o->report = arg;
		return 0;
	case 't':
		o->all = 1;
		return 0;
	}
	return -1;
}

/* s as one CSV field, quoted, quotes doubled; nothing when NULL. */
static void
csv_field(struct buf *out, const char *s, int last)
{
	if (s) {
		buf_addc(out, '"');
		for (; *s; s++) {
			if (*s == '"')
				buf_addc(out, '"');
			buf_addc(out, *s);
		}
		buf_addc(out, '"');
	}
	buf_addc(out, last ? '\n' : ';');
}

/* Whether id is one of ids, or n is -1 (every guide wanted). */
static int
wanted(long long id, const long long *ids, int n)
{
	int k;

	for (k = 0; k < n; k++)
		if (ids[k] == id)
			return 1;
	return n < 0;
}

/*
 * Write the stored pendências of guides not in a lote (those of ids when
 * n >= 0, of prestador prest when not NULL) to path as CSV, sorted by
 * prestador and guide; atomically, or to standard output for "-"
 * (ofile.h).
 */
static int
write_report(struct ws *ws, const char *path, const long long *ids, int n,
    const char *prest)
{
	static const char *const head[] = {
		"codigoPrestadorNaOperadora", "numeroGuiaPrestador", "status",
		"campo", "regra", "severidade", "mensagem", "valor", NULL
	};
	struct buf out = { 0 };
	sqlite3_stmt *st;
	int i, ret;

	buf_adds(&out, "\xEF\xBB\xBF");	/* so spreadsheets read UTF-8 */
	for (i = 0; head[i]; i++)
		csv_field(&out, head[i], head[i + 1] == NULL);
	st = db_prepare(ws->db, "SELECT g.codigoPrestadorNaOperadora, "
	    "g.numeroGuiaPrestador, g.status, p.campo, p.regra, "
	    "p.severidade, p.mensagem, p.valor, g.id FROM pendencia p "
	    "JOIN guia g ON g.id = p.guia_id WHERE g.status IN "
	    "('incompleto', 'completo') AND (?1 IS NULL OR "
	    "g.codigoPrestadorNaOperadora = ?1) ORDER BY 1, 2, p.n");
	db_bind_text(st, 1, prest);
	while (db_step(ws->db, st) == SQLITE_ROW)
		if (wanted(sqlite3_column_int64(st, 8), ids, n))
			for (i = 0; i < 8; i++)
				csv_field(&out, db_col_text(st, i), i == 7);
	sqlite3_finalize(st);
	ret = ofile_put(path, out.data, out.len, ws->fmode) == 0 ? EXIT_OK :
	    EXIT_IOERR;
	buf_release(&out);
	return ret;
}

/* Add the ids of the guides numbered num (of prest when given); how many. */
static int
find_guides(struct ws *ws, const char *num, const char *prest,
    long long **ids, int *n)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT id, status FROM guia "
	    "WHERE " ENTRY_GUIDE_NAMED(""));
	int found = 0;

	db_bind_text(st, 1, num);
	db_bind_text(st, 2, prest);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		found++;
		if (strcmp(db_col_text(st, 1), "incompleto") != 0 &&
		    strcmp(db_col_text(st, 1), "completo") != 0) {
			log_notice(_("guide %s is %s: a guide in a lote is not "
			    "validated again"), num, db_col_text(st, 1));
			continue;
		}
		*ids = xrealloc(*ids, (size_t)(*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return found;
}

static void
summary(const struct val_stats *st)
{
	struct buf top = { 0 };
	int i, best, shown;
	long used[64] = { 0 };

	/* The four rules that failed most, most first. */
	for (shown = 0; shown < 4; shown++) {
		best = -1;
		for (i = 0; i < rules_count(); i++)
			if (st->rule_count[i] > 0 && !used[i] &&
			    (best < 0 || st->rule_count[i] > st->rule_count[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		buf_addf(&top, "%s%s %s (%ld)",
		    shown ? ", " : _("; top rules: "), rules_code(best),
		    rules_text(best), st->rule_count[best]);
	}
	if (st->current)	/* one line: tiss-run reports the last one */
		buf_addf(&top, _("; %ld guide%s current (checked under the "
		    "same rules, TUSS table and settings, unchanged since), "
		    "not checked again: %ld completo, %ld incompleto"),
		    st->current, st->current == 1 ? "" : "s",
		    st->current_complete, st->current - st->current_complete);
	log_notice(_("checked %ld guide%s: %ld completo, %ld incompleto; %ld "
	    "pendência%s, %ld aviso%s%s"), st->checked,
	    st->checked == 1 ? "" : "s", st->complete,
	    st->checked - st->complete, st->errors,
	    st->errors == 1 ? "" : "s", st->warnings,
	    st->warnings == 1 ? "" : "s", top.data ? top.data : "");
	buf_release(&top);
}

/*
 * Validate what the command line names: the guides of --guia, else those
 * of the prestador, else all.  Returns 66 when a --guia has no guide.
 */
static int
validate(struct ws *ws, const struct val_ctx *ctx, const struct opts *o,
    const char *prest, struct val_stats *st, long long **ids, int *nids)
{
	int i, ret = EXIT_OK;

	for (i = 0; i < o->nnums; i++)
		if (find_guides(ws, o->nums[i], prest, ids, nids) == 0) {
			log_error(_("no guide numbered '%s'%s%s"), o->nums[i],
			    prest ? _(" of prestador ") : "", prest ? prest : "");
			ret = EXIT_NOINPUT;
		}
	if (o->nnums == 0 && prest == NULL)
		val_guides(ws, ctx, 0, st);
	else if (o->nnums == 0)
		val_guides_prestador(ws, ctx, prest, st);
	for (i = 0; i < *nids; i++)
		val_guides(ws, ctx, (*ids)[i], st);
	return ret;
}

int
main(int argc, char *argv[])
{
	struct opts o = { NULL, 0, NULL, 0 };
	const struct cli_spec spec = { .name = "tiss-validate",
	    .usage = usage_text, .options = "guia=g: report=r: todas=t",
	    .option = option, .ctx = &o };
	long long *ids = NULL;
	struct val_stats st;
	struct profile prof;
	struct val_ctx ctx;
	struct cli cli;
	struct ws ws;
	int nids = 0, ret;

	cli_parse(&cli, &spec, argc, argv);
	ws_open(&ws, ws_dir(cli.workspace));
	profile_load(&prof, &ws);
	if (prof.registro_ans == NULL)
		log_warn(_("[operadora] registro_ans is not set in '%s': no "
		    "guide can be complete until it is"), ws.cfg.path);
	val_ctx_init_profile(&ctx, &ws, &prof, "tiss-validate");
	ctx.all = o.all;
	memset(&st, 0, sizeof(st));
	ret = validate(&ws, &ctx, &o, cli.prestador, &st, &ids, &nids);
	summary(&st);
	if (o.report)
		ret = exit_worse(ret, write_report(&ws, o.report, ids,
		    o.nnums ? nids : -1, cli.prestador));
	if (st.complete < st.checked || st.current_complete < st.current)
		ret = exit_worse(ret, EXIT_DATAERR);
	val_ctx_release(&ctx);
	ws_close(&ws);
	free(o.nums);
	free(ids);
	return close_stdout(ret);
}
