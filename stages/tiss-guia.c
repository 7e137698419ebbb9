/*
 * tiss-guia: list, show, edit, delete and create guides (the operator
 * manual's Listar Guias, Detalhar, Editar, Excluir and Novo), export
 * them for a spreadsheet (gsheet.h) and change many at once (set with
 * the filters of list, gsel.h; asked on a terminal, --yes for scripts).
 * N is the numeroGuiaPrestador (with -p when two prestadores use it),
 * SEQ a procedure's sequencialItem or #K, its position in show.  Every
 * value goes through gto_canonical; every change is audited and followed
 * at once by validation.  Only guides 'incompleto' or 'completo' change.
 *
 * Exit: 0 done (for edits: the guides are complete), 64 usage (also a
 * change of many guides with no terminal and no --yes), 65 a value or a
 * change is refused or an edited guide is still incomplete, 66 no such
 * guide or procedure, 75 database busy, 78 not a workspace.
 */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/entry.h"
#include "common/exitcodes.h"
#include "common/fmt.h"
#include "common/gto.h"
#include "common/gsel.h"
#include "common/gsheet.h"
#include "common/guide.h"
#include "common/i18n.h"
#include "common/ifile.h"
#include "common/listing.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/state.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"

static const char usage_text[] =
    "tiss-guia [-qvV] [-C dir] [-p prestador] command ...\n"
    "  list [filtros] [--format table|csv|xml]\n"
    "  export [filtros] > arquivo.csv\n"
    "  show n\n"
    "  set n [--proc seq] campo=valor ...\n"
    "  set filtros [--yes] campo=valor ...\n"
    "  add-proc n campo=valor ...\n"
    "  rm-proc n seq\n"
    "  rm n\n"
    "  new campo=valor ... | new --csv file\n"
    "seq: a procedure's sequencialItem, or #K for the K-th in show\n"
    "filtros: [--de d] [--ate d] [--exec-de d] [--exec-ate d] [--status s]\n"
    "  [--guia n] [--carteira c] [--regra V...] [--vazio campo] [--lote n]\n";

static const char *prestador;	/* -p */
static char source[128];	/* "tiss-guia set (user)", for the audit */
static struct guide_sql q;	/* the guide statements of the workspace */

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- finding a guide and a procedure ------------------------------------- */

/* Exit with code and the message in err when code is not 0. */
static void
check(int code, const char *err)
{
	if (code != 0)
		fatal(code, "%s", err);
}

/* Find guide num, editable, and load it (with its procedures) into g. */
static struct entry_guide
edit_guide(struct ws *ws, const char *num, const char *what, struct guide *g)
{
	struct entry_guide ref;
	char err[512];

	check(entry_find_guide(ws->db, num, prestador, &ref, err, sizeof(err)),
	    err);
	if (strcmp(ref.status, "incompleto") != 0 &&
	    strcmp(ref.status, "completo") != 0)
		fatal(EXIT_DATAERR, _("cannot %s guide '%s': it is %s, and "
		    "only guides 'incompleto' or 'completo' may change; remove "
		    "it from its lote first (tiss-lote rm)"), what, ref.num,
		    ref.status);
	guide_load(&q, ref.id, g, 1);
	return ref;
}

/* The index in g of procedure seq; exits 66 or 65 (entry_proc). */
static int
find_proc(const struct guide *g, const char *num, const char *seq)
{
	char err[512];
	int p = -1;

	check(entry_proc(g, num, seq, &p, err, sizeof(err)), err);
	return p;
}

/*
 * "campo=valor" of a field of level (-1: any): the field, and its value
 * in v (NULL when it clears the field); exits 64 or 65 saying why.
 */
static int
parse_assign(const char *arg, int level, struct buf *v, const char **value)
{
	char err[512];
	int f;

	check(entry_assign(arg, level, &f, v, err, sizeof(err)), err);
	*value = v->len ? v->data : NULL;
	return f;
}

/* Rows on guide id: "  a b c: d[ (value: e)]" (a stamp as a time), or none. */
static void
show_rows(struct ws *ws, long long id, const char *sql, const char *none)
{
	sqlite3_stmt *st = db_prepare(ws->db, sql);
	char t[FMT_TIME];
	int i;

	sqlite3_bind_int64(st, 1, id);
	for (i = 0; db_step(ws->db, st) == SQLITE_ROW; i++) {
		printf("  %s %s %s: %s", fmt_stamp(db_col_text(st, 0), t),
		    db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3));
		if (db_col_text(st, 4))
			printf(_(" (value: %s)"), db_col_text(st, 4));
		putchar('\n');
	}
	if (i == 0 && none)
		printf("  %s\n", none);
	sqlite3_finalize(st);
}

/* Run validation of one guide and print its state; returns the exit code. */
static int
revalidate(struct ws *ws, long long id, const char *num)
{
	struct val_ctx ctx;
	struct val_stats st;
	int complete;

	memset(&st, 0, sizeof(st));
	val_ctx_init(&ctx, ws, source);
	val_guides(ws, &ctx, id, &st);
	val_ctx_release(&ctx);
	complete = st.checked == 1 && st.complete == 1;
	printf("%s: %s\n", num, complete ? "completo" : "incompleto");
	show_rows(ws, id, "SELECT severidade, regra, campo, mensagem, NULL "
	    "FROM pendencia WHERE guia_id = ? ORDER BY n", NULL);
	return complete ? EXIT_OK : EXIT_DATAERR;
}

/* Write g's procedures, but skip, as the procedures of guide id. */
static void
rewrite_procs(const struct guide *g, long long id, int skip)
{
	int p, item = 1;

	guide_delete_procs(&q, id);
	for (p = 0; p < g->nprocs; p++)
		if (p != skip)
			guide_insert_proc(&q, g, p, id, item++);
}

/* ---- set, add-proc, rm-proc, rm ---------------------------------------- */

/* An edit of one guide: the guide, loaded, and the command's operands. */
struct edit {
	struct entry_guide ref;	/* the guide named */
	struct guide g;		/* its values and procedures */
	int	 argc;		/* operands after N */
	char	**argv;
};

/* Set field f of g (procedure p, or the guide when p < 0) to v, audited. */
static void
apply(struct guide *g, int p, int f, const char *v, const char *seq)
{
	const char *old = p < 0 ? guide_get(g, f) : guide_proc_get(g, p, f);
	char *before = old ? xstrdup(old) : NULL, campo[96];

	if (p < 0) {
		check(entry_key(&q, g, f, v, campo, sizeof(campo)), campo);
		guide_update_field(&q, g->id, f, v);
		guide_set(g, f, v, 0);
		snprintf(campo, sizeof(campo), "%s", gto_fields[f].name);
	} else {
		guide_proc_set(g, p, f, v);
		snprintf(campo, sizeof(campo), "procedimentosExecutados[%s].%s",
		    seq, gto_fields[f].name);
	}
	db_audit(q.db, g->id, campo, before, v, source);
	free(before);
}

/* set N [--proc SEQ] campo=valor... */
static void
do_set(struct edit *e)
{
	const char *seq = NULL, *v;
	struct buf b = { 0 };
	int i, f, p = -1;

	if (e->argc >= 3 && strcmp(e->argv[0], "--proc") == 0) {
		seq = e->argv[1];
		p = find_proc(&e->g, e->ref.num, seq);
		e->argv += 2;
		e->argc -= 2;
	}
	for (i = 0; i < e->argc; i++) {
		f = parse_assign(e->argv[i], seq ? GTO_PROC : GTO_GUIA, &b, &v);
		apply(&e->g, p, f, v, seq);
	}
	buf_release(&b);
	if (seq)
		rewrite_procs(&e->g, e->ref.id, -1);
}

/* add-proc N campo=valor... */
static void
do_add_proc(struct edit *e)
{
	struct buf desc = { 0 }, b = { 0 };
	int i, f, p = e->g.nprocs;
	const char *v;

	guide_add_proc(&e->g);
	for (i = 0; i < e->argc; i++) {
		f = parse_assign(e->argv[i], GTO_PROC, &b, &v);
		guide_proc_set(&e->g, p, f, v);
		buf_addf(&desc, "%s%s=%s", i ? " " : "", gto_fields[f].name,
		    or_empty(v));
	}
	buf_release(&b);
	guide_insert_proc(&q, &e->g, p, e->ref.id,
	    guide_max_item(&q, e->ref.id) + 1);
	db_audit(q.db, e->ref.id, "procedimentosExecutados", NULL, desc.data,
	    source);
	buf_release(&desc);
}

/* rm-proc N SEQ */
static void
do_rm_proc(struct edit *e)
{
	int p = find_proc(&e->g, e->ref.num, e->argv[0]);
	char before[160];

	snprintf(before, sizeof(before), "sequencialItem=%s "
	    "codigoProcedimento=%s dataRealizacao=%s",
	    or_empty(guide_proc_get(&e->g, p, GF_sequencialItem)),
	    or_empty(guide_proc_get(&e->g, p, GF_codigoProcedimento)),
	    or_empty(guide_proc_get(&e->g, p, GF_dataRealizacao)));
	rewrite_procs(&e->g, e->ref.id, p);
	db_audit(q.db, e->ref.id, "procedimentosExecutados", before, NULL,
	    source);
}

/* rm N: the audit row outlives the guide (it keeps the id, not a link). */
static void
do_rm(struct edit *e)
{
	char what[160];

	snprintf(what, sizeof(what), "guia %s (%s)", e->ref.num, e->ref.status);
	db_audit(q.db, e->ref.id, "*", what, NULL, source);
	db_run(q.db, "DELETE FROM guia WHERE id = ?", "i", e->ref.id);
}

/*
 * Run an edit of guide argv[0] in one transaction; the guide is then
 * incompleto until validated (never a stale completo), and validated at
 * once.  Returns the exit code: 0 when the guide is complete.
 */
static int
run_edit(struct ws *ws, int argc, char **argv, void (*fn)(struct edit *))
{
	struct edit e;
	int ret = EXIT_OK;

	guide_init(&e.g);
	e.argc = argc - 1;
	e.argv = argv + 1;
	db_exec(ws->db, "BEGIN IMMEDIATE");
	e.ref = edit_guide(ws, argv[0], fn == do_rm ? "delete" : "edit", &e.g);
	fn(&e);
	if (fn != do_rm)
		state_guia_set(ws->db, e.ref.id, GUIA_INCOMPLETO, 0);
	db_exec(ws->db, "COMMIT");
	if (fn == do_rm)
		printf(_("%s: deleted\n"), e.ref.num);
	else
		ret = revalidate(ws, e.ref.id,
		    guide_get(&e.g, GF_numeroGuiaPrestador));
	guide_release(&e.g);
	return ret;
}

/* ---- new ------------------------------------------------------------------- */

/* new campo=valor... | new --csv FILE */
static int
cmd_new(struct ws *ws, int argc, char **argv)
{
	int csv = argc == 2 && strcmp(argv[0], "--csv") == 0;
	struct guide_origin o = { "manual", csv ? ifile_recorded(argv[1]) :
	    NULL, 0, 0, NULL };
	struct guide d;
	char err[512], stamp[32];
	int ret;

	guide_init(&d);
	if (csv)
		check(entry_read_csv(argv[1], &d, err, sizeof(err)), err);
	else
		check(entry_args(argc, argv, &d, err, sizeof(err)), err);
	if (guide_get(&d, GF_codigoPrestadorNaOperadora) == NULL ||
	    guide_get(&d, GF_numeroGuiaPrestador) == NULL)
		fatal(EXIT_DATAERR, _("a new guide needs "
		    "codigoPrestadorNaOperadora and numeroGuiaPrestador"));
	time_iso(stamp);
	o.stamp = stamp;
	db_exec(ws->db, "BEGIN IMMEDIATE");
	if (guide_insert(&q, &d, &o) == 0)
		fatal(EXIT_DATAERR, _("guide '%s' of prestador %s already "
		    "exists; change it with tiss-guia set"),
		    guide_get(&d, GF_numeroGuiaPrestador),
		    guide_get(&d, GF_codigoPrestadorNaOperadora));
	guide_insert_procs(&q, &d);
	db_audit(ws->db, d.id, "*", NULL, csv ? o.arquivo : "criada à mão",
	    source);
	db_exec(ws->db, "COMMIT");
	ret = revalidate(ws, d.id, guide_get(&d, GF_numeroGuiaPrestador));
	guide_release(&d);
	return ret;
}

/* ---- list and show ------------------------------------------------------- */

/* The options of list, export and set with filters. */
struct filters {
	struct gsel s;
	int	 format;	/* LISTING_* */
	int	 yes;		/* --yes */
};

static int
list_option(int ch, const char *arg, void *ctx)
{
	struct filters *fl = ctx;

	if (ch == 'f')
		fl->format = cli_choice("--format", arg, listing_formats);
	else if (ch == 'y')
		fl->yes = 1;
	else
		return gsel_option(&fl->s, ch, arg) == 0 ? 0 : -1;
	return 0;
}

static int
cmd_list(struct ws *ws, struct filters *fl)
{
	long n = gsel_list(ws->db, &fl->s, prestador, fl->format);

	log_info(P_("%ld guide", "%ld guides", n), n);
	return EXIT_OK;
}

static void
show_value(int f, const char *v)
{
	char out[FMT_MONEY];

	v = fmt_field(f, v, out);
	/* The TISS names, as set takes them, in every language. */
	printf("  %-28s %s\n", f == GF_valorTotalProc ?
	    _("valorTotalProc (as given)") : gto_fields[f].name, v ? v : "-");
}

/* The guide's own columns: status, origin, stamps, the computed total. */
static void
show_head(struct ws *ws, const struct entry_guide *ref)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT status, origem || "
	    "coalesce(' ' || origemArquivo, '') || coalesce(':' || origemLinha, "
	    "''), criadoEm, alteradoEm, validadoEm, valorTotalProc FROM guia "
	    "WHERE id = ?");
	char total[FMT_MONEY] = "-", c[FMT_TIME], a[FMT_TIME], v[FMT_TIME];

	sqlite3_bind_int64(st, 1, ref->id);
	db_step(ws->db, st);
	if (sqlite3_column_type(st, 5) != SQLITE_NULL)
		fmt_money(sqlite3_column_int64(st, 5), total);
	printf(_("guide %s: %s\n  origin %s, created %s, changed %s, "
	    "validated %s\n"), ref->num, db_col_text(st, 0),
	    db_col_text(st, 1), fmt_stamp(db_col_text(st, 2), c),
	    fmt_stamp(db_col_text(st, 3), a), db_col_text(st, 4) ?
	    fmt_stamp(db_col_text(st, 4), v) : _("never"));
	printf("  %-28s %s\n", _("valorTotalProc (sum)"), total);
	sqlite3_finalize(st);
}

static int
cmd_show(struct ws *ws, int argc __attribute__((unused)), char **argv)
{
	struct entry_guide ref;
	struct guide g;
	char err[512];
	int f, p;

	check(entry_find_guide(ws->db, argv[0], prestador, &ref, err,
	    sizeof(err)), err);
	guide_init(&g);
	guide_load(&q, ref.id, &g, 1);
	show_head(ws, &ref);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			show_value(f, guide_get(&g, f));
	for (p = 0; p < g.nprocs; p++) {
		printf("procedimentosExecutados[%d]\n", p + 1);
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC)
				show_value(f, guide_proc_get(&g, p, f));
	}
	if (g.nprocs == 0)
		printf(_("procedimentosExecutados: none\n"));
	printf(_("pendências\n"));
	show_rows(ws, ref.id, "SELECT severidade, regra, campo, mensagem, "
	    "valor FROM pendencia WHERE guia_id = ? ORDER BY n",
	    _("no pendência"));
	printf(_("history\n"));
	show_rows(ws, ref.id, "SELECT quando, fonte, campo, "
	    "'''' || coalesce(antes, '') || ''' -> ''' || coalesce(depois, '') "
	    "|| '''', NULL FROM auditoria WHERE guia_id = ? ORDER BY id",
	    _("no change"));
	guide_release(&g);
	return EXIT_OK;
}

/* ---- export and set with filters ----------------------------------------- */

/* export: the selected guides as a CSV to fill in and import back. */
static int
cmd_export(struct ws *ws, struct filters *fl)
{
	size_t n;
	long long *ids = gsel_ids(ws->db, &fl->s, prestador, &n);
	long rows = gsheet_export(&q, stdout, ids, n);

	log_notice(P_("%zu guide exported (%ld rows): fill in the cells, then "
	    "tiss-import the file", "%zu guides exported (%ld rows): fill in "
	    "the cells, then tiss-import the file", n), n, rows);
	free(ids);
	return EXIT_OK;
}

/* set FILTERS [--yes] campo=valor...: the same change on many guides. */
static int
bulk_set(struct ws *ws, struct filters *fl, int argc, char **argv)
{
	struct val_ctx ctx;
	struct val_stats st;
	long long *ids;
	size_t n, i, m;
	char err[512];

	if (argc < 1 || fl->s.given == 0)
		fatal(EXIT_USAGE, _("usage: tiss-guia set filtros [--yes] "
		    "campo=valor...; give at least one filter (e.g. --status "
		    "incompleto --vazio cbosExec2)"));
	check(entry_bulk_check(argc, argv, err, sizeof(err)), err);
	ids = gsel_ids(ws->db, &fl->s, prestador, &n);
	if ((m = gsel_editable(ws->db, ids, n)) < n)
		log_notice(P_("%zu selected guide is in a lote and does not "
		    "change", "%zu selected guides are in a lote and do not "
		    "change", n - m), n - m);
	if (m == 0 || !gsel_confirm((long)m, argv[0], fl->yes)) {
		printf(_("no guide changed\n"));
		free(ids);
		return EXIT_OK;
	}
	db_exec(ws->db, "BEGIN IMMEDIATE");
	m = gsel_editable(ws->db, ids, m);	/* none went into a lote since */
	entry_bulk_apply(&q, ids, m, argc, argv, source);
	db_exec(ws->db, "COMMIT");
	memset(&st, 0, sizeof(st));
	val_ctx_init(&ctx, ws, source);
	for (i = 0; i < m; i++)
		val_guides(ws, &ctx, ids[i], &st);
	val_ctx_release(&ctx);
	printf(_("%zu guides changed: %ld completo, %ld incompleto\n"), m,
	    st.complete, st.checked - st.complete);
	free(ids);
	return st.complete == st.checked ? EXIT_OK : EXIT_DATAERR;
}

/* ---- main ------------------------------------------------------------------ */

/*
 * The options of list, export and set with filters, through cli_parse
 * like the program's.  Returns the index of the first operand.
 */
static int
filter_options(int argc, char **argv, struct filters *fl, struct cli *c)
{
	const struct cli_spec spec = { .name = "tiss-guia",
	    .usage = usage_text, .options = GSEL_OPTIONS " format=f: yes=y",
	    .option = list_option, .ctx = fl, .max_operands = CLI_MANY };
	struct cli lc;
	int k;

	k = cli_parse(&lc, &spec, argc, argv);
	c->workspace = lc.workspace ? lc.workspace : c->workspace;
	prestador = lc.prestador ? lc.prestador : prestador;
	if (lc.log_level != LOG_NORMAL)
		log_init("tiss-guia", lc.log_level);
	return k;
}

/* The commands: their operands and what runs them. */
static const struct command {
	const char *name;
	int	 min, max;		/* operands (max 0: any number) */
	const char *usage;
	int	(*fn)(struct ws *, int, char **);	/* or: */
	void	(*edit)(struct edit *);	/* an edit of guide N */
} commands[] = {
	{ "list", 0, 0, "list [filtros]", NULL, NULL },
	{ "export", 0, 0, "export [filtros] > arquivo.csv", NULL, NULL },
	{ "show", 1, 1, "show N", cmd_show, NULL },
	{ "set", 2, 0, "set N [--proc SEQ] campo=valor...", NULL, do_set },
	{ "add-proc", 2, 0, "add-proc N campo=valor...", NULL, do_add_proc },
	{ "rm-proc", 2, 2, "rm-proc N SEQ", NULL, do_rm_proc },
	{ "rm", 1, 1, "rm N", NULL, do_rm },
	{ "new", 1, 0, "new campo=valor... | new --csv FILE", cmd_new, NULL },
	{ NULL, 0, 0, NULL, NULL, NULL }
};

int
main(int argc, char *argv[])
{
	const struct cli_spec spec = { .name = "tiss-guia",
	    .usage = usage_text, .subcommands = 1, .min_operands = 1,
	    .max_operands = CLI_MANY };
	struct filters fl = { .format = LISTING_TABLE };
	const struct command *cmd;
	struct passwd *pw;
	const char *user;
	struct cli c;
	struct ws ws;
	int k, ret, bulk;

	gsel_init(&fl.s);
	k = cli_parse(&c, &spec, argc, argv);
	argc -= k;
	argv += k;
	prestador = c.prestador;
	for (cmd = commands; argc > 0 && cmd->name; cmd++)
		if (strcmp(argv[0], cmd->name) == 0)
			break;
	if (cmd->name == NULL)
		cli_usage(&spec);
	bulk = cmd->edit == do_set && argc > 1 && argv[1][0] == '-' &&
	    strcmp(argv[1], "--proc") != 0;
	if (bulk || (cmd->fn == NULL && cmd->edit == NULL)) {
		k = filter_options(argc, argv, &fl, &c);
		if (k != argc && !bulk)
			cli_usage(&spec);
	} else if (argc - 1 < cmd->min || (cmd->max && argc - 1 > cmd->max))
		fatal(EXIT_USAGE, _("usage: tiss-guia %s"), cmd->usage);
	pw = getpwuid(getuid());
	user = getenv("USER") ? getenv("USER") : pw ? pw->pw_name : "?";
	snprintf(source, sizeof(source), "tiss-guia %s (%s)", argv[0], user);
	ws_open(&ws, ws_dir(c.workspace));
	guide_sql_init(&q, ws.db);
	if (bulk)
		ret = bulk_set(&ws, &fl, argc - k, argv + k);
	else if (cmd->edit)
		ret = run_edit(&ws, argc - 1, argv + 1, cmd->edit);
	else if (cmd->fn)
		ret = cmd->fn(&ws, argc - 1, argv + 1);
	else if (strcmp(cmd->name, "export") == 0)
		ret = cmd_export(&ws, &fl);
	else
		ret = cmd_list(&ws, &fl);
	guide_sql_release(&q);
	ws_close(&ws);
	return close_stdout(ret);
}
