/*
 * tiss-guia: list, show, edit, delete and create guides; the operator
 * manual's Listar Guias, Detalhar, Editar, Excluir and Novo, for a
 * terminal and for scripts.
 *
 *   list [filters] [--format table|csv|xml]
 *   show N
 *   set N campo=valor...            set N --proc SEQ campo=valor...
 *   add-proc N campo=valor...       rm-proc N SEQ
 *   rm N
 *   new campo=valor...              new --csv FILE
 *
 * N is the numeroGuiaPrestador (with -p when two prestadores use it),
 * SEQ a procedure's sequencialItem or #K, its position in show.  Every
 * value goes through gto_canonical, the entry rules the CSV import and
 * tiss-fetch share; every change goes into the audit table and is
 * followed at once by validation of the guide.  Only guides 'incompleto'
 * or 'completo' may be changed or deleted.
 *
 * Exit: 0 done (for edits: the guide is complete), 64 usage, 65 a value
 * or a change is refused (the message says why) or the edited guide is
 * still incomplete, 66 no such guide or procedure, 75 database busy, 78
 * not a workspace.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <libxml/xmlwriter.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/guide.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/state.h"
#include "common/text.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"

#define CSV_MAX	(1 << 20)	/* a one-guide CSV is small */

static const char usage_text[] =
    "tiss-guia [-qvV] [-C dir] [-p prestador] command ...\n"
    "  list [--de d] [--ate d] [--exec-de d] [--exec-ate d] [--status s]\n"
    "       [--guia n] [--carteira c] [--format table|csv|xml]\n"
    "  show n\n"
    "  set n [--proc seq] campo=valor ...\n"
    "  add-proc n campo=valor ...\n"
    "  rm-proc n seq\n"
    "  rm n\n"
    "  new campo=valor ... | new --csv file\n"
    "seq: a procedure's sequencialItem, or #K for the K-th in show\n";

static const char *prestador;	/* -p */
static char source[128];	/* "tiss-guia set (user)", for the audit */
static struct guide_sql q;	/* the guide statements of the workspace */

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- finding a guide and a procedure ------------------------------------- */

struct guide_ref {
	long long id;
	char	 status[16];
	char	 num[32];	/* its numeroGuiaPrestador, canonical */
};

/* Find guide num (of -p's prestador); exits 66 or 64 when not one. */
static struct guide_ref
find_guide(struct ws *ws, const char *num)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT id, status, "
	    "codigoPrestadorNaOperadora FROM guia WHERE numeroGuiaPrestador = "
	    "?1 AND (?2 IS NULL OR codigoPrestadorNaOperadora = ?2)");
	struct guide_ref ref = { 0, "", "" };
	struct buf who = { 0 };
	size_t len = strlen(num);
	int n = 0;

	num = gto_trim(num, &len);
	snprintf(ref.num, sizeof(ref.num), "%.*s", (int)len, num);
	db_bind_text(st, 1, ref.num);
	db_bind_text(st, 2, prestador);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		ref.id = sqlite3_column_int64(st, 0);
		snprintf(ref.status, sizeof(ref.status), "%s",
		    db_col_text(st, 1));
		buf_addf(&who, "%s%s", n ? ", " : "", db_col_text(st, 2));
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0)
		fatal(EXIT_NOINPUT, "no guide numbered '%s'%s%s", ref.num,
		    prestador ? " of prestador " : "", or_empty(prestador));
	if (n > 1)
		fatal(EXIT_USAGE, "guide '%s' exists for prestadores %s; say "
		    "which with -p", ref.num, who.data);
	buf_release(&who);
	return ref;
}

/* Find guide num, editable, and load it (with its procedures) into g. */
static struct guide_ref
edit_guide(struct ws *ws, const char *num, const char *what, struct guide *g)
{
	struct guide_ref ref = find_guide(ws, num);

	if (strcmp(ref.status, "incompleto") != 0 &&
	    strcmp(ref.status, "completo") != 0)
		fatal(EXIT_DATAERR, "cannot %s guide '%s': it is %s, and only "
		    "guides 'incompleto' or 'completo' may change; remove it "
		    "from its lote first (tiss-lote rm)", what, ref.num,
		    ref.status);
	guide_load(&q, ref.id, g, 1);
	return ref;
}

/*
 * The index in g of the one procedure seq names: its sequencialItem, or
 * "#K" for the K-th as show lists them.  Exits 66 when there is none, 65
 * when two share the sequencialItem or K is not a position.
 */
static int
find_proc(const struct guide *g, const char *num, const char *seq)
{
	char out[32], *end;
	const char *canon, *v;
	long k;
	int i, p = -1, n = 0;

	if (seq[0] == '#') {
		k = strtol(seq + 1, &end, 10);
		if (seq[1] >= '1' && seq[1] <= '9' && *end == '\0' &&
		    k <= g->nprocs)
			return (int)k - 1;
		if (g->nprocs == 0)
			fatal(EXIT_NOINPUT, "guide '%s' has no procedure; add "
			    "one with tiss-guia add-proc %s", num, num);
		fatal(EXIT_DATAERR, "'%s' names no procedure of guide '%s': "
		    "write #1 to #%d, its position in tiss-guia show %s", seq,
		    num, g->nprocs, num);
	}
	if (gto_canonical(GF_sequencialItem, seq, out, &canon) != NULL)
		canon = seq;
	for (i = 0; i < g->nprocs; i++)
		if ((v = guide_proc_get(g, i, GF_sequencialItem)) &&
		    strcmp(v, canon) == 0) {
			p = i;
			n++;
		}
	if (n == 0)
		fatal(EXIT_NOINPUT, "guide '%s' has no procedure %s; see "
		    "tiss-guia show %s", num, seq, num);
	if (n > 1)
		fatal(EXIT_DATAERR, "guide '%s' has %d procedures with "
		    "sequencialItem %s; name one as #K, its position in "
		    "tiss-guia show %s", num, n, seq, num);
	return p;
}

/* ---- campo=valor ------------------------------------------------------------ */

struct assign {
	int	 f;		/* gto field */
	char	*value;		/* canonical, owned; NULL clears */
};

/*
 * Parse "campo=valor" into a canonical assignment of a field of the
 * given level (-1: any); exits 65 naming the field and saying why when
 * it is not one.  A value of only white space clears the field.
 */
static struct assign
parse_assign(const char *arg, int level)
{
	struct assign a = { -1, NULL };
	struct buf text = { 0 };
	const char *eq = strchr(arg, '='), *why, *canon, *v;
	char *name, out[32];
	size_t n;

	if (eq == NULL)
		fatal(EXIT_USAGE, "'%s': expected campo=valor", arg);
	n = (size_t)(eq - arg);
	arg = gto_trim(arg, &n);
	name = xstrndup(arg, n);
	if ((a.f = gto_field_find(name)) < 0)
		fatal(EXIT_DATAERR, "%s: unknown field; the fields are the "
		    "TISS names listed in docs/csv-format.md", name);
	if (level >= 0 && (int)gto_fields[a.f].level != level)
		fatal(EXIT_DATAERR, "%s: is a %s field; %s", name,
		    gto_fields[a.f].level == GTO_GUIA ? "guide" : "procedure",
		    gto_fields[a.f].level == GTO_GUIA ? "set it without --proc" :
		    "set it with --proc SEQ");
	if ((why = text_to_utf8(ENC_UTF8, eq + 1, strlen(eq + 1), &text)))
		fatal(EXIT_DATAERR, "%s: %s", name, why);
	n = text.len;
	v = gto_trim(text.data ? text.data : "", &n);
	if (n > 0) {
		text.data[(v - text.data) + n] = '\0';
		if ((why = gto_canonical(a.f, v, out, &canon)) != NULL)
			fatal(EXIT_DATAERR, "%s: '%s': %s", gto_fields[a.f].name,
			    v, why);
		a.value = xstrdup(canon);
	}
	buf_release(&text);
	free(name);
	return a;
}

/* Run validation of one guide and print its state; returns the exit code. */
static int
revalidate(struct ws *ws, long long id, const char *num)
{
	struct val_ctx ctx;
	struct val_stats st;
	sqlite3_stmt *s;
	int complete;

	memset(&st, 0, sizeof(st));
	val_ctx_init(&ctx, ws, source);
	val_guides(ws, &ctx, id, &st);
	val_ctx_release(&ctx);
	complete = st.checked == 1 && st.complete == 1;
	printf("%s: %s\n", num, complete ? "completo" : "incompleto");
	s = db_prepare(ws->db, "SELECT severidade, regra, campo, mensagem "
	    "FROM pendencia WHERE guia_id = ? ORDER BY n");
	sqlite3_bind_int64(s, 1, id);
	while (db_step(ws->db, s) == SQLITE_ROW)
		printf("  %s %s %s: %s\n", db_col_text(s, 0), db_col_text(s, 1),
		    db_col_text(s, 2), db_col_text(s, 3));
	sqlite3_finalize(s);
	return complete ? EXIT_OK : EXIT_DATAERR;
}

/*
 * End an edit of guide id: incompleto until validated (never a stale
 * completo), commit, validate.  Returns the exit code of revalidate.
 */
static int
finish_edit(struct ws *ws, long long id, const char *num)
{
	state_guia_set(ws->db, id, GUIA_INCOMPLETO, 0);
	db_exec(ws->db, "COMMIT");
	return revalidate(ws, id, num);
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

/*
 * The guide's key (prestador, number) may change but not be emptied nor
 * become another guide's; exits 65 saying so.
 */
static void
check_key(const struct guide *g, int f, const char *v)
{
	const char *prest = guide_get(g, GF_codigoPrestadorNaOperadora);
	const char *num = guide_get(g, GF_numeroGuiaPrestador);
	long long other;

	if (f != GF_codigoPrestadorNaOperadora && f != GF_numeroGuiaPrestador)
		return;
	if (v == NULL)
		fatal(EXIT_DATAERR, "%s: a guide always has one; give the new "
		    "value instead of emptying it", gto_fields[f].name);
	if (f == GF_codigoPrestadorNaOperadora)
		prest = v;
	else
		num = v;
	other = guide_find(&q, prest, num, NULL);
	if (other != 0 && other != g->id)
		fatal(EXIT_DATAERR, "%s: guide '%s' of prestador %s already "
		    "exists; choose another value", gto_fields[f].name, num,
		    prest);
}

/* Apply one assignment to g (procedure p, or the guide when p < 0). */
static void
apply(struct guide *g, int p, const struct assign *a, const char *seq)
{
	const char *old = p < 0 ? guide_get(g, a->f) :
	    guide_proc_get(g, p, a->f);
	char *before = old ? xstrdup(old) : NULL, campo[96];

	if (p < 0) {
		check_key(g, a->f, a->value);
		guide_update_field(&q, g->id, a->f, a->value);
		guide_set(g, a->f, a->value, 0);
		snprintf(campo, sizeof(campo), "%s", gto_fields[a->f].name);
	} else {
		guide_proc_set(g, p, a->f, a->value);
		snprintf(campo, sizeof(campo), "procedimentosExecutados[%s].%s",
		    seq, gto_fields[a->f].name);
	}
	db_audit(q.db, g->id, campo, before, a->value, source);
	free(before);
}

static int
cmd_set(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct guide g;
	struct assign a;
	const char *seq = NULL;
	int i, p = -1, level = GTO_GUIA, ret;

	if (argc >= 4 && strcmp(argv[1], "--proc") == 0) {
		seq = argv[2];
		level = GTO_PROC;
		argv += 2;
		argc -= 2;
	}
	if (argc < 2)
		fatal(EXIT_USAGE, "usage: tiss-guia set N [--proc SEQ] "
		    "campo=valor...");
	guide_init(&g);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = edit_guide(ws, argv[0], "edit", &g);
	if (seq)
		p = find_proc(&g, ref.num, seq);
	for (i = 1; i < argc; i++) {
		a = parse_assign(argv[i], level);
		apply(&g, p, &a, seq);
		free(a.value);
	}
	if (seq)
		rewrite_procs(&g, ref.id, -1);
	ret = finish_edit(ws, ref.id, guide_get(&g, GF_numeroGuiaPrestador));
	guide_release(&g);
	return ret;
}

/* Assignments argv[0..argc) into procedure p of g, and as text. */
static void
fill_proc(struct guide *g, int p, int argc, char **argv, struct buf *desc)
{
	struct assign a;
	int i;

	for (i = 0; i < argc; i++) {
		a = parse_assign(argv[i], GTO_PROC);
		guide_proc_set(g, p, a.f, a.value);
		buf_addf(desc, "%s%s=%s", i ? " " : "", gto_fields[a.f].name,
		    or_empty(a.value));
		free(a.value);
	}
}

static int
cmd_add_proc(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct guide g, add;
	struct buf desc = { 0 };
	int ret;

	if (argc < 2)
		fatal(EXIT_USAGE, "usage: tiss-guia add-proc N campo=valor...");
	guide_init(&g);
	guide_init(&add);
	guide_add_proc(&add);
	fill_proc(&add, 0, argc - 1, argv + 1, &desc);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = edit_guide(ws, argv[0], "edit", &g);
	guide_insert_proc(&q, &add, 0, ref.id, guide_max_item(&q, ref.id) + 1);
	db_audit(ws->db, ref.id, "procedimentosExecutados", NULL, desc.data,
	    source);
	ret = finish_edit(ws, ref.id, ref.num);
	guide_release(&g);
	guide_release(&add);
	buf_release(&desc);
	return ret;
}

static int
cmd_rm_proc(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct guide g;
	char before[160];
	int p, ret;

	if (argc != 2)
		fatal(EXIT_USAGE, "usage: tiss-guia rm-proc N SEQ");
	guide_init(&g);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = edit_guide(ws, argv[0], "edit", &g);
	p = find_proc(&g, ref.num, argv[1]);
	snprintf(before, sizeof(before), "sequencialItem=%s "
	    "codigoProcedimento=%s dataRealizacao=%s",
	    or_empty(guide_proc_get(&g, p, GF_sequencialItem)),
	    or_empty(guide_proc_get(&g, p, GF_codigoProcedimento)),
	    or_empty(guide_proc_get(&g, p, GF_dataRealizacao)));
	rewrite_procs(&g, ref.id, p);
	db_audit(ws->db, ref.id, "procedimentosExecutados", before, NULL,
	    source);
	ret = finish_edit(ws, ref.id, ref.num);
	guide_release(&g);
	return ret;
}

static int
cmd_rm(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct guide g;
	sqlite3_stmt *st;
	char what[160];

	if (argc != 1)
		fatal(EXIT_USAGE, "usage: tiss-guia rm N");
	guide_init(&g);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = edit_guide(ws, argv[0], "delete", &g);
	snprintf(what, sizeof(what), "guia %s (%s)", ref.num, ref.status);
	/* The audit row outlives the guide: it keeps the id, not a link. */
	db_audit(ws->db, ref.id, "*", what, NULL, source);
	st = db_prepare(ws->db, "DELETE FROM guia WHERE id = ?");
	sqlite3_bind_int64(st, 1, ref.id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	db_exec(ws->db, "COMMIT");
	printf("%s: deleted\n", ref.num);
	guide_release(&g);
	return EXIT_OK;
}

/* ---- new ------------------------------------------------------------------- */

/*
 * Add a row's assignments (line: its CSV line, 0 for the command line)
 * to the guide being created: guide fields are merged, one value per
 * field; procedure fields make a procedure.  Exits 65 on a second value.
 */
static void
draft_row(struct guide *d, struct assign *as, int n, long line)
{
	const char *had;
	int i, p = -1;

	for (i = 0; i < n; i++) {
		int f = as[i].f;

		if (as[i].value == NULL)
			continue;
		if (gto_fields[f].level == GTO_PROC) {
			if (p < 0) {
				guide_add_proc(d)->line = line;
				p = d->nprocs - 1;
			}
			guide_proc_set(d, p, f, as[i].value);
		} else if ((had = guide_get(d, f)) == NULL)
			guide_set(d, f, as[i].value, line);
		else if (strcmp(had, as[i].value) != 0)
			fatal(EXIT_DATAERR, "line %ld: %s: '%s' differs from "
			    "'%s' on line %ld: a one-guide file has one value "
			    "per guide field", line, gto_fields[f].name,
			    as[i].value, had, d->vline[f]);
	}
	for (i = 0; i < n; i++)
		free(as[i].value);
}

static int
create_guide(struct ws *ws, struct guide *d, const char *origin)
{
	struct guide_origin o = { "manual", origin, 0, 0, NULL };
	char stamp[32];

	if (guide_get(d, GF_codigoPrestadorNaOperadora) == NULL ||
	    guide_get(d, GF_numeroGuiaPrestador) == NULL)
		fatal(EXIT_DATAERR, "a new guide needs codigoPrestadorNaOperadora "
		    "and numeroGuiaPrestador");
	time_iso(stamp);
	o.stamp = stamp;
	db_exec(ws->db, "BEGIN IMMEDIATE");
	if (guide_insert(&q, d, &o) == 0)
		fatal(EXIT_DATAERR, "guide '%s' of prestador %s already "
		    "exists; change it with tiss-guia set",
		    guide_get(d, GF_numeroGuiaPrestador),
		    guide_get(d, GF_codigoPrestadorNaOperadora));
	guide_insert_procs(&q, d);
	db_audit(ws->db, d->id, "*", NULL, origin ? origin : "criada à mão",
	    source);
	db_exec(ws->db, "COMMIT");
	return revalidate(ws, d->id, guide_get(d, GF_numeroGuiaPrestador));
}

struct csvread {
	struct buf row;		/* the cells of the current row, NUL-ended */
	char	**header;	/* column names */
	int	 ncols, col;
	long	 line, row_line;
	int	 in_row;
	struct guide *d;
};

static void
csv_cell(void *s, size_t n, void *data)
{
	struct csvread *r = data;
	size_t i;

	if (!r->in_row) {
		r->in_row = 1;
		r->row_line = r->line;
		r->col = 0;
		buf_reset(&r->row);
	}
	for (i = 0; i < n; i++)
		r->line += ((char *)s)[i] == '\n';
	if (r->header && r->col < r->ncols)
		buf_addf(&r->row, "%s=", r->header[r->col]);
	buf_add(&r->row, s, n);
	buf_addc(&r->row, '\0');
	r->col++;
}

static void
csv_end(int c, void *data)
{
	struct csvread *r = data;
	struct assign *as;
	const char *p;
	int i;

	if (r->in_row && r->header == NULL) {
		r->ncols = r->col;
		r->header = xcalloc((size_t)r->col, sizeof(char *));
		for (i = 0, p = r->row.data; i < r->col; p += strlen(p) + 1)
			r->header[i++] = xstrdup(p);
	} else if (r->in_row && r->col != r->ncols)
		fatal(EXIT_DATAERR, "line %ld: %d fields but the header has %d",
		    r->row_line, r->col, r->ncols);
	else if (r->in_row) {
		as = xcalloc((size_t)r->col, sizeof(*as));
		for (i = 0, p = r->row.data; i < r->col; p += strlen(p) + 1)
			as[i++] = parse_assign(p, -1);
		draft_row(r->d, as, r->col, r->row_line);
		free(as);
	}
	r->in_row = 0;
	if (c == '\n')
		r->line++;
}

/* Read a one-guide CSV (UTF-8, ';' or ',' as in csv-format.md). */
static void
read_csv(const char *path, struct guide *d)
{
	struct csvread r = { .line = 1, .d = d };
	struct csv_parser p;
	struct buf data = { 0 };
	size_t n, semi = 0, comma = 0, i;
	const char *start;

	if (read_file(path, &data) != 0)
		fatal(EXIT_NOINPUT, "cannot read '%s': %s", path,
		    strerror(errno));
	if (data.len > CSV_MAX)
		fatal(EXIT_DATAERR, "'%s': larger than 1 MiB; use tiss-import "
		    "for files of many guides", path);
	start = data.data ? data.data : "";
	n = data.len;
	if (n >= 3 && memcmp(start, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		n -= 3;
	}
	for (i = 0; i < n && start[i] != '\n'; i++) {
		semi += start[i] == ';';
		comma += start[i] == ',';
	}
	csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
	csv_set_delim(&p, semi > comma ? ';' : ',');
	if (csv_parse(&p, start, n, csv_cell, csv_end, &r) != n ||
	    csv_fini(&p, csv_cell, csv_end, &r) != 0)
		fatal(EXIT_DATAERR, "'%s': line %ld: malformed quoting", path,
		    r.line);
	csv_free(&p);
	for (i = 0; i < (size_t)r.ncols; i++)
		free(r.header[i]);
	free(r.header);
	buf_release(&r.row);
	buf_release(&data);
}

static int
cmd_new(struct ws *ws, int argc, char **argv)
{
	struct guide d;
	struct assign *as;
	int i, ret;

	guide_init(&d);
	if (argc == 2 && strcmp(argv[0], "--csv") == 0)
		read_csv(argv[1], &d);
	else if (argc >= 1) {
		as = xcalloc((size_t)argc, sizeof(*as));
		for (i = 0; i < argc; i++)
			as[i] = parse_assign(argv[i], -1);
		draft_row(&d, as, argc, 0);
		free(as);
	} else
		fatal(EXIT_USAGE, "usage: tiss-guia new campo=valor... | "
		    "new --csv file");
	ret = create_guide(ws, &d, argc == 2 && strcmp(argv[0], "--csv") == 0 ?
	    argv[1] : NULL);
	guide_release(&d);
	return ret;
}

/* ---- list and show ------------------------------------------------------- */

enum { FMT_TABLE, FMT_CSV, FMT_XML };

struct filters {
	char	 de[11], ate[11];	/* dataSolicitacao range */
	char	 exec_de[11], exec_ate[11];	/* dataRealizacao range */
	const char *status, *guia, *carteira;
	int	 format;		/* FMT_* */
};

static const char *const list_cols[] = {
	"codigoPrestadorNaOperadora", "numeroGuiaPrestador",
	"dataSolicitacao", "numeroCarteira", "status", "procedimentos",
	"valorTotalProc", "pendencias", "origem", NULL
};

static void
date_arg(const char *opt, const char *v, char iso[11])
{
	const char *why = parse_date(v, iso);

	if (why)
		fatal(EXIT_USAGE, "%s '%s': %s", opt, v, why);
}

static int
list_option(int ch, const char *arg, void *ctx)
{
	static const char *const formats[] = { "table", "csv", "xml", NULL };
	struct filters *fl = ctx;

	switch (ch) {
	case 'A': date_arg("--ate", arg, fl->ate); break;
	case 'D': date_arg("--de", arg, fl->de); break;
	case 'E': date_arg("--exec-ate", arg, fl->exec_ate); break;
	case 'e': date_arg("--exec-de", arg, fl->exec_de); break;
	case 'c': fl->carteira = arg; break;
	case 'f': fl->format = cli_choice("--format", arg, formats); break;
	case 'g': fl->guia = arg; break;
	case 's': fl->status = arg; break;
	default: return -1;
	}
	return 0;
}

static sqlite3_stmt *
list_query(struct ws *ws, const struct filters *fl)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT "
	    "g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador, "
	    "g.dataSolicitacao, g.numeroCarteira, g.status, (SELECT count(*) "
	    "FROM procedimento p WHERE p.guia_id = g.id), (SELECT "
	    "sum(valorProc) FROM procedimento p WHERE p.guia_id = g.id), "
	    "(SELECT count(*) FROM pendencia d WHERE d.guia_id = g.id AND "
	    "d.severidade = 'erro'), g.origem FROM guia g WHERE "
	    "(?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR g.dataSolicitacao >= ?2) AND "
	    "(?3 IS NULL OR g.dataSolicitacao <= ?3) AND "
	    "(?4 IS NULL AND ?5 IS NULL OR EXISTS (SELECT 1 FROM procedimento p "
	    "WHERE p.guia_id = g.id AND (?4 IS NULL OR p.dataRealizacao >= ?4) "
	    "AND (?5 IS NULL OR p.dataRealizacao <= ?5))) AND "
	    "(?6 IS NULL OR g.status = ?6) AND "
	    "(?7 IS NULL OR g.numeroGuiaPrestador = ?7) AND "
	    "(?8 IS NULL OR g.numeroCarteira = ?8) ORDER BY 1, 2");

	db_bind_text(st, 1, prestador);
	db_bind_text(st, 2, fl->de[0] ? fl->de : NULL);
	db_bind_text(st, 3, fl->ate[0] ? fl->ate : NULL);
	db_bind_text(st, 4, fl->exec_de[0] ? fl->exec_de : NULL);
	db_bind_text(st, 5, fl->exec_ate[0] ? fl->exec_ate : NULL);
	db_bind_text(st, 6, fl->status);
	db_bind_text(st, 7, fl->guia);
	db_bind_text(st, 8, fl->carteira);
	return st;
}

/* Fit s into w columns (UTF-8 aware), padded, after a space when sep. */
static void
cell(struct buf *out, const char *s, int w, int right)
{
	const char *p = or_empty(s), *end = p;
	int n = 0, i;

	if (out->len)
		buf_addc(out, ' ');
	while (*end && n < w) {
		end++;
		while ((*end & 0xC0) == 0x80)
			end++;
		n++;
	}
	for (i = n; right && i < w; i++)
		buf_addc(out, ' ');
	buf_add(out, p, (size_t)(end - p));
	for (i = n; !right && i < w; i++)
		buf_addc(out, ' ');
}

/* One row of list in format fmt; v[6] is the total, formatted. */
static void
list_row(int fmt, const char *v[9], xmlTextWriterPtr xw)
{
	struct buf line = { 0 };
	char d[11] = "";
	int i;

	if (fmt == FMT_XML) {
		xmlTextWriterStartElement(xw, BAD_CAST "guia");
		for (i = 0; list_cols[i]; i++)
			if (v[i])
				xmlTextWriterWriteElement(xw,
				    BAD_CAST list_cols[i], BAD_CAST v[i]);
		xmlTextWriterEndElement(xw);
		return;
	}
	if (fmt == FMT_CSV) {
		for (i = 0; list_cols[i]; i++) {
			csv_fwrite(stdout, or_empty(v[i]), strlen(or_empty(v[i])));
			putchar(list_cols[i + 1] ? ';' : '\n');
		}
		return;
	}
	if (v[2] && strlen(v[2]) == 10)
		snprintf(d, sizeof(d), "%.2s/%.2s/%.4s", v[2] + 8, v[2] + 5, v[2]);
	cell(&line, v[0], 10, 0);
	cell(&line, v[1], 16, 0);
	cell(&line, d, 10, 0);
	cell(&line, v[4], 10, 0);
	cell(&line, v[5], 4, 1);
	cell(&line, v[6], 13, 1);
	cell(&line, v[7], 4, 1);
	puts(line.data);
	buf_release(&line);
}

static void
list_head(int fmt, xmlTextWriterPtr xw)
{
	int i;

	if (fmt == FMT_XML) {
		xmlTextWriterSetIndent(xw, 1);
		xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(xw, BAD_CAST "guias");
	} else if (fmt == FMT_CSV)
		for (i = 0; list_cols[i]; i++) {
			csv_fwrite(stdout, list_cols[i], strlen(list_cols[i]));
			putchar(list_cols[i + 1] ? ';' : '\n');
		}
	else
		printf("%-10s %-16s %-10s %-10s %4s %13s %4s\n", "PRESTADOR",
		    "GUIA", "SOLICIT.", "STATUS", "PROC", "VALOR", "PEND");
}

static int
cmd_list(struct ws *ws, struct filters *fl)
{
	xmlBufferPtr xb = fl->format == FMT_XML ? xmlBufferCreate() : NULL;
	xmlTextWriterPtr xw = xb ? xmlNewTextWriterMemory(xb, 0) : NULL;
	sqlite3_stmt *st = list_query(ws, fl);
	const char *v[9];
	char total[32];
	int i, n = 0;

	list_head(fl->format, xw);
	for (; db_step(ws->db, st) == SQLITE_ROW; n++) {
		for (i = 0; i < 9; i++)
			v[i] = db_col_text(st, i);
		total[0] = '\0';
		if (v[6])
			format_hundredths(sqlite3_column_int64(st, 6), total);
		v[6] = total;
		list_row(fl->format, v, xw);
	}
	sqlite3_finalize(st);
	if (xw) {
		xmlTextWriterEndDocument(xw);
		xmlFreeTextWriter(xw);
		fputs((const char *)xmlBufferContent(xb), stdout);
		xmlBufferFree(xb);
	}
	log_info("%d guide%s", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

static void
show_value(int f, const char *v)
{
	char money[32];
	int k = gto_fields[f].kind;

	if (v && (k == GTO_MONEY || k == GTO_DEC2)) {
		format_hundredths(strtoll(v, NULL, 10), money);
		v = money;
	} else if (v && k == GTO_BOOL)
		v = strcmp(v, "1") == 0 ? "S" : "N";
	printf("  %-28s %s\n", f == GF_valorTotalProc ?
	    "valorTotalProc (informado)" : gto_fields[f].name, v ? v : "-");
}

/* The guide's own columns: status, origin, stamps, the computed total. */
static void
show_head(struct ws *ws, const struct guide_ref *ref)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT status, origem, "
	    "origemArquivo, origemLinha, criadoEm, alteradoEm, validadoEm, "
	    "valorTotalProc FROM guia WHERE id = ?");
	char total[32] = "-";

	sqlite3_bind_int64(st, 1, ref->id);
	db_step(ws->db, st);
	if (sqlite3_column_type(st, 7) != SQLITE_NULL)
		format_hundredths(sqlite3_column_int64(st, 7), total);
	printf("guia %s: %s\n", ref->num, db_col_text(st, 0));
	printf("  origem %s%s%s%s%s, criada %s, alterada %s, validada %s\n",
	    db_col_text(st, 1), db_col_text(st, 2) ? " " : "",
	    or_empty(db_col_text(st, 2)), db_col_text(st, 3) ? ":" : "",
	    or_empty(db_col_text(st, 3)), db_col_text(st, 4),
	    db_col_text(st, 5), db_col_text(st, 6) ? db_col_text(st, 6) :
	    "nunca");
	printf("  valorTotalProc (soma)       %s\n", total);
	sqlite3_finalize(st);
}

/* The rows of a query on guide id, each printed by fmt; or none. */
static void
show_rows(struct ws *ws, long long id, const char *title, const char *sql,
    const char *none)
{
	sqlite3_stmt *st = db_prepare(ws->db, sql);
	int i;

	sqlite3_bind_int64(st, 1, id);
	printf("%s\n", title);
	for (i = 0; db_step(ws->db, st) == SQLITE_ROW; i++)
		printf("  %s %s %s: %s%s%s\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4) ? " " : "", or_empty(db_col_text(st, 4)));
	if (i == 0)
		printf("  %s\n", none);
	sqlite3_finalize(st);
}

static int
cmd_show(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct guide g;
	int f, p;

	if (argc != 1)
		fatal(EXIT_USAGE, "usage: tiss-guia show N");
	ref = find_guide(ws, argv[0]);
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
		printf("procedimentosExecutados: nenhum\n");
	show_rows(ws, ref.id, "pendências", "SELECT severidade, regra, campo, "
	    "mensagem, '(valor: ' || valor || ')' FROM pendencia WHERE "
	    "guia_id = ? ORDER BY n", "nenhuma");
	show_rows(ws, ref.id, "histórico", "SELECT quando, fonte, campo, "
	    "'''' || coalesce(antes, '') || ''' -> ''' || coalesce(depois, '') "
	    "|| '''', NULL FROM auditoria WHERE guia_id = ? ORDER BY id",
	    "nenhuma alteração");
	guide_release(&g);
	return EXIT_OK;
}

/* ---- main ------------------------------------------------------------------ */

/* list's own options, through cli_parse like the program's. */
static void
list_options(int argc, char **argv, struct filters *fl, struct cli *c)
{
	static const struct option longopts[] = {
		{ "ate", required_argument, NULL, 'A' },
		{ "carteira", required_argument, NULL, 'c' },
		{ "de", required_argument, NULL, 'D' },
		{ "exec-ate", required_argument, NULL, 'E' },
		{ "exec-de", required_argument, NULL, 'e' },
		{ "format", required_argument, NULL, 'f' },
		{ "guia", required_argument, NULL, 'g' },
		{ "status", required_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	const struct cli_spec spec = { "tiss-guia", "tiss-guia [-C dir] "
	    "[-p prestador] list [--de d] [--ate d] [--exec-de d]\n"
	    "       [--exec-ate d] [--status s] [--guia n] [--carteira c]\n"
	    "       [--format table|csv|xml]\n", NULL, longopts, list_option,
	    fl, 0 };
	struct cli lc;

	optind = 0;	/* glibc: a new scan, from argv[1] */
	if (cli_parse(&lc, &spec, argc, argv) != argc)
		cli_usage(&spec);
	if (lc.workspace)
		c->workspace = lc.workspace;
	if (lc.prestador)
		prestador = lc.prestador;
	if (lc.log_level != LOG_NORMAL)
		log_init("tiss-guia", lc.log_level);
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*fn)(struct ws *, int, char **);
	} cmds[] = {
		{ "show", cmd_show }, { "set", cmd_set }, { "new", cmd_new },
		{ "add-proc", cmd_add_proc }, { "rm-proc", cmd_rm_proc },
		{ "rm", cmd_rm }, { "list", NULL },
	};
	const struct cli_spec spec = { "tiss-guia", usage_text, NULL, NULL,
	    NULL, NULL, 1 };
	struct filters fl = { .format = FMT_TABLE };
	struct passwd *pw;
	const char *user;
	struct cli c;
	struct ws ws;
	size_t i;
	int k, ret;

	k = cli_parse(&c, &spec, argc, argv);
	argc -= k;
	argv += k;
	prestador = c.prestador;
	for (i = 0; argc > 0 && i < sizeof(cmds) / sizeof(cmds[0]); i++)
		if (strcmp(argv[0], cmds[i].name) == 0)
			break;
	if (argc < 1 || i == sizeof(cmds) / sizeof(cmds[0]))
		cli_usage(&spec);
	if (cmds[i].fn == NULL)
		list_options(argc, argv, &fl, &c);
	pw = getpwuid(getuid());
	user = getenv("USER") ? getenv("USER") : pw ? pw->pw_name : "?";
	snprintf(source, sizeof(source), "tiss-guia %s (%s)", argv[0], user);
	ws_open(&ws, ws_dir(c.workspace));
	guide_sql_init(&q, ws.db);
	ret = cmds[i].fn ? cmds[i].fn(&ws, argc - 1, argv + 1) :
	    cmd_list(&ws, &fl);
	guide_sql_release(&q);
	ws_close(&ws);
	return close_stdout(ret);
}
