/*
 * The in-memory guide and the guide SQL built from the GTO field table.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "db.h"
#include "exitcodes.h"
#include "glabel.h"
#include "guide.h"
#include "i18n.h"
#include "log.h"
#include "sheet.h"
#include "state.h"
#include "text.h"

void
guide_init(struct guide *g)
{
	memset(g, 0, sizeof(*g));
	guide_reset(g);
}

void
guide_reset(struct guide *g)
{
	int f;

	g->id = 0;
	buf_reset(&g->store);
	for (f = 0; f < GTO_MAXFIELDS; f++) {
		g->off[f] = GUIDE_NONE;
		g->vline[f] = 0;
	}
	g->nprocs = 0;
}

void
guide_release(struct guide *g)
{
	buf_release(&g->store);
	free(g->procs);
	guide_init(g);
}

/* Copy v (n bytes and its NUL) into the store; its offset. */
static size_t
store_n(struct guide *g, const char *v, size_t n)
{
	size_t off = g->store.len;

	buf_add(&g->store, v, n + 1);
	return off;
}

/* Copy v into the store; its offset, or GUIDE_NONE for NULL. */
static size_t
store(struct guide *g, const char *v)
{
	return v == NULL ? GUIDE_NONE : store_n(g, v, strlen(v));
}

const char *
guide_get(const struct guide *g, int f)
{
	return g->off[f] == GUIDE_NONE ? NULL : g->store.data + g->off[f];
}

void
guide_set(struct guide *g, int f, const char *v, long line)
{
	g->off[f] = store(g, v);
	g->vline[f] = line;
}

struct guide_proc *
guide_add_proc(struct guide *g)
{
	struct guide_proc *p;
	int f;

	if (g->nprocs == g->procs_cap) {
		g->procs_cap = g->procs_cap ? 2 * g->procs_cap : 8;
		g->procs = xrealloc(g->procs, (size_t)g->procs_cap *
		    sizeof(*g->procs));
	}
	p = &g->procs[g->nprocs++];
	for (f = 0; f < GTO_MAXFIELDS; f++)
		p->off[f] = GUIDE_NONE;
	p->line = 0;
	p->item = 0;
	return p;
}

void
guide_copy_fields(struct guide *g, const struct guide *from, long line)
{
	int f;

	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			guide_set(g, f, guide_get(from, f), line);
}

struct guide_proc *
guide_copy_proc(struct guide *g, const struct guide *from, int i)
{
	struct guide_proc *p = guide_add_proc(g);
	int f;

	p->line = from->procs[i].line;
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			p->off[f] = store(g, guide_proc_get(from, i, f));
	return p;
}

const char *
guide_proc_get(const struct guide *g, int i, int f)
{
	size_t off = g->procs[i].off[f];

	return off == GUIDE_NONE ? NULL : g->store.data + off;
}

int
guide_proc_empty(const struct guide *g, int i)
{
	int f;

	for (f = 0; f < gto_nfields; f++)
		if (g->procs[i].off[f] != GUIDE_NONE)
			return 0;
	return 1;
}

void
guide_proc_set(struct guide *g, int i, int f, const char *v)
{
	g->procs[i].off[f] = store(g, v);
}

/*
 * v as strtoll(v, NULL, 10) gives it.  The values bound are canonical
 * (gto_canonical: digits, maybe a '-'): a short run of digits is read
 * here, anything else by strtoll.
 */
static long long
number(const char *v)
{
	const char *p = v + (*v == '-');
	long long x = 0;
	int n;

	for (n = 0; p[n] >= '0' && p[n] <= '9' && n < 18; n++)
		x = x * 10 + (p[n] - '0');
	if (n == 0 || p[n] != '\0')
		return strtoll(v, NULL, 10);
	return *v == '-' ? -x : x;
}

/* Bind v of field f with SQLite's copy mode for text (how). */
static void
bind_field(sqlite3_stmt *st, int i, int f, const char *v,
    sqlite3_destructor_type how)
{
	int k = gto_fields[f].kind;

	if (v == NULL)
		sqlite3_bind_null(st, i);
	else if (k == GTO_MONEY || k == GTO_DEC2 || k == GTO_COUNT ||
	    k == GTO_BOOL)
		sqlite3_bind_int64(st, i, number(v));
	else
		sqlite3_bind_text(st, i, v, -1, how);
}

void
guide_bind_field(sqlite3_stmt *st, int i, int f, const char *v)
{
	bind_field(st, i, f, v, SQLITE_TRANSIENT);
}

/* ---- from CSV ------------------------------------------------------------ */

void
guide_cols_init(struct guide_cols *c, int ignore_unknown)
{
	int i;

	memset(c, 0, sizeof(*c));
	c->ignore_unknown = ignore_unknown;
	c->field_max = 4096;
	c->keycol = c->drcol = -1;
	for (i = 0; i < GTO_MAXFIELDS; i++)
		c->fieldcol[i] = -1;
	for (i = 0; i < GUIDE_COLUMNS_MAX; i++)
		c->colfield[i] = -1;
}

enum { MEMO_NONE, MEMO_EMPTY, MEMO_VALUE };

/* Forget the columns' last values (guide_cols_header makes them). */
static void
memo_release(struct guide_cols *c)
{
	int i;

	for (i = 0; c->memo && i < c->ncols; i++)
		buf_release(&c->memo[i].b);
	free(c->memo);
	c->memo = NULL;
}

void
guide_cols_release(struct guide_cols *c)
{
	buf_release(&c->text);
	buf_release(&c->key);
	memo_release(c);
}

/* Map one header column to its field; a problem when unknown or repeated. */
static void
header_column(struct guide_cols *c, struct csvin *r,
    const struct csvin_field *fl)
{
	const char *why = _("column name too long");
	char sh[64];
	int col = fl->col - 1, f, other;

	buf_reset(&c->text);
	if (fl->s == NULL || (why = csvin_decode(r, fl, &c->text)) != NULL) {
		csvin_problem(r, fl->line, col + 1, "header", "%s", why);
		return;
	}
	f = c->text.len ? glabel_column(c->text.data) : GLABEL_UNKNOWN;
	if (f == GLABEL_KEY || f == GLABEL_DR) {
		other = f == GLABEL_KEY ? c->keycol : c->drcol;
		if (other < 0 && f == GLABEL_DR)
			other = c->fieldcol[GF_codDente] >= 0 ?
			    c->fieldcol[GF_codDente] : c->fieldcol[GF_codRegiao];
		if (other >= 0)
			csvin_problem(r, fl->line, col + 1, c->text.data,
			    _("column appears twice (also column %d)"), other + 1);
		else if (f == GLABEL_KEY)
			c->keycol = col;
		else
			c->drcol = col;
		return;
	}
	if (f < 0) {
		if (f == GLABEL_UNKNOWN && !c->ignore_unknown)
			csvin_problem(r, fl->line, col + 1, c->text.len ?
			    text_shown(c->text.data, sh) : "(empty)", _("unknown "
			    "column; columns are the TISS element names or the "
			    "GTO form's labels listed in tiss-csv(5) (or give "
			    "--ignore-unknown)"));
		return;
	}
	if ((f == GF_codDente || f == GF_codRegiao) && c->drcol >= 0)
		other = c->drcol;
	else
		other = c->fieldcol[f];
	if (other >= 0) {
		csvin_problem(r, fl->line, col + 1, gto_fields[f].name,
		    _("column appears twice (also column %d)"), other + 1);
		return;
	}
	c->fieldcol[f] = col;
	c->colfield[col] = f;
}

int
guide_cols_header(struct guide_cols *c, struct csvin *r,
    const struct csvin_row *row)
{
	int i, prest, num;

	memo_release(c);
	c->ncols = row->nf;
	c->memo = xcalloc((size_t)row->nf + 1, sizeof(*c->memo));
	for (i = 0; i < row->nf && i < GUIDE_COLUMNS_MAX; i++)
		header_column(c, r, &row->f[i]);
	prest = c->fieldcol[GF_codigoPrestadorNaOperadora];
	num = c->fieldcol[GF_numeroGuiaPrestador];
	if (prest >= 0 && num >= 0)
		return 0;
	csvin_problem(r, row->line, 0, prest < 0 ?
	    "codigoPrestadorNaOperadora" : "numeroGuiaPrestador",
	    _("required column missing: rows are grouped into guides by "
	    "codigoPrestadorNaOperadora and numeroGuiaPrestador"));
	return -1;
}

/* Store canonical value v (n bytes) of f into g (guide or procedure). */
static void
row_store(struct guide *g, int f, const char *v, size_t n)
{
	size_t off = store_n(g, v, n);

	if (gto_fields[f].level == GTO_GUIA) {
		g->off[f] = off;
		g->vline[f] = g->procs[0].line;
	} else
		g->procs[0].off[f] = off;
}

/* The column's last field had fl's bytes: store its value again; 1. */
static int
memo_hit(struct guide_cols *c, const struct csvin_field *fl, struct guide *g)
{
	struct guide_memo *m;

	if (c->memo == NULL || fl->col > c->ncols)
		return 0;
	m = &c->memo[fl->col - 1];
	if (m->state == MEMO_NONE || m->raw_len != fl->n ||
	    memcmp(m->b.data, fl->s, fl->n) != 0)
		return 0;
	if (m->state == MEMO_VALUE)
		row_store(g, m->f, m->b.data + m->raw_len + 1,
		    m->b.len - m->raw_len - 1);
	return 1;
}

/* Remember that fl's bytes gave value v (n bytes) of f (NULL: none). */
static void
memo_keep(struct guide_cols *c, const struct csvin_field *fl, int f,
    const char *v, size_t n)
{
	struct guide_memo *m;
	char *p;

	if (c->memo == NULL || fl->col > c->ncols)
		return;
	m = &c->memo[fl->col - 1];
	buf_reset(&m->b);
	buf_grow(&m->b, fl->n + 1 + n);
	p = m->b.data;
	memcpy(p, fl->s, fl->n);
	p[fl->n] = '\0';
	if (v)
		memcpy(p + fl->n + 1, v, n + 1);
	m->b.len = v ? fl->n + 1 + n : fl->n;
	m->raw_len = fl->n;
	m->f = f;
	m->state = v ? MEMO_VALUE : MEMO_EMPTY;
}

/* Field fl as the canonical value of f into g; 0, or -1 reported. */
static int
convert_field(struct guide_cols *c, struct csvin *r,
    const struct csvin_field *fl, int f, struct guide *g)
{
	const char *why, *canon, *v;
	char num[32], sh[64];
	size_t n;

	if (fl->s == NULL) {
		csvin_problem(r, fl->line, fl->col, f < 0 ? "Dente/Região" :
		    gto_fields[f].name, _("field is longer than %zu bytes; is "
		    "this really the CSV export?"), c->field_max);
		return -1;
	}
	if (memo_hit(c, fl, g))
		return 0;
	buf_reset(&c->text);
	if ((why = csvin_decode(r, fl, &c->text)) != NULL) {
		csvin_problem(r, fl->line, fl->col, f < 0 ? "Dente/Região" :
		    gto_fields[f].name, "%s", why);
		return -1;
	}
	if (c->text.len == 0) {
		memo_keep(c, fl, f, NULL, 0);
		return 0;
	}
	v = sheet_unguard(c->text.data);
	if (f < 0)	/* Dente/Região: a tooth is digits, a region is not */
		f = strspn(v, "0123456789") == strlen(v) ? GF_codDente :
		    GF_codRegiao;
	if (sheet_is_clear(c->text.data)) {
		if (c->allow_clear) {
			n = strlen(GUIDE_CLEARED);
			row_store(g, f, GUIDE_CLEARED, n);
			memo_keep(c, fl, f, GUIDE_CLEARED, n);
			return 0;
		}
		csvin_problem(r, fl->line, fl->col, gto_fields[f].name,
		    _("'%s' clears a value only when re-importing an exported "
		    "sheet (tiss-guia export); here, leave the cell empty"),
		    SHEET_CLEAR);
		return -1;
	}
	if ((why = gto_canonical(f, v, num, &canon)) != NULL) {
		csvin_problem(r, fl->line, fl->col, gto_fields[f].name,
		    "'%s': %s", text_shown(v, sh), why);
		return -1;
	}
	n = strlen(canon);
	row_store(g, f, canon, n);
	memo_keep(c, fl, f, canon, n);
	return 0;
}

int
guide_cols_row(struct guide_cols *c, struct csvin *r,
    const struct csvin_row *row, struct guide *g)
{
	int i, f, bad = 0;

	guide_reset(g);
	guide_add_proc(g)->line = row->line;
	buf_reset(&c->key);
	for (i = 0; i < row->nf && i < GUIDE_COLUMNS_MAX; i++) {
		if (i == c->keycol) {
			if (row->f[i].s && csvin_decode(r, &row->f[i],
			    &c->key) != NULL)
				buf_reset(&c->key);
			continue;
		}
		f = i == c->drcol ? -1 : c->colfield[i];
		if ((f >= 0 || i == c->drcol) &&
		    convert_field(c, r, &row->f[i], f, g) != 0)
			bad = 1;
	}
	buf_addc(&c->key, '\0');
	return bad ? -1 : 0;
}

/* A value of f on line that differs from g's: a problem. */
static void
conflict(struct guide_cols *c, struct csvin *r, const struct guide *g, int f,
    const char *v, const char *had, long line)
{
	char sh1[64], sh2[64];

	if (g->vline[f])
		csvin_problem(r, line, c->fieldcol[f] + 1, gto_fields[f].name,
		    _("'%s' differs from '%s' on line %ld of the same guide"),
		    text_shown(v, sh1), text_shown(had, sh2), g->vline[f]);
	else
		csvin_problem(r, line, c->fieldcol[f] + 1, gto_fields[f].name,
		    _("'%s' differs from '%s' given earlier in this file for "
		    "the same guide"), text_shown(v, sh1), text_shown(had, sh2));
}

int
guide_cols_merge(struct guide_cols *c, struct csvin *r, struct guide *g,
    const struct guide *row)
{
	const char *v, *had;
	long line = row->nprocs ? row->procs[0].line : 0;
	int f, took = 0;

	for (f = 0; f < gto_nfields; f++) {
		if (gto_fields[f].level != GTO_GUIA ||
		    (v = guide_get(row, f)) == NULL)
			continue;
		if ((had = guide_get(g, f)) == NULL) {
			guide_set(g, f, v, line);
			took = 1;
		} else if (strcmp(had, v) != 0)
			conflict(c, r, g, f, v, had, line);
	}
	return took;
}

/* ---- SQL ---------------------------------------------------------------- */

/* "a,b,c" (sep between) of the columns of level, with fmt around each. */
static void
columns(struct buf *b, int level, const char *fmt)
{
	int f, n = 0;

	for (f = 0; f < gto_nfields; f++)
		if ((int)gto_fields[f].level == level) {
			if (n++)
				buf_addc(b, ',');
			buf_addf(b, fmt, gto_fields[f].column);
		}
}

/* How many fields of level there are. */
static int
count(int level)
{
	int f, n = 0;

	for (f = 0; f < gto_nfields; f++)
		n += (int)gto_fields[f].level == level;
	return n;
}

static sqlite3_stmt *
prepare_built(struct guide_sql *q, const char *head, int level,
    const char *fmt, const char *tail)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;

	buf_adds(&sql, head);
	columns(&sql, level, fmt);
	buf_adds(&sql, tail);
	st = db_prepare(q->db, sql.data);
	buf_release(&sql);
	return st;
}

/* "?,?,?" for n parameters, appended. */
static void
marks(struct buf *b, int n)
{
	while (n-- > 0)
		buf_adds(b, n ? "?," : "?");
}

/*
 * The INSERT of a guide; checked adds status, total, validadoEm and
 * validadoCom.
 */
static sqlite3_stmt *
insert_stmt(struct guide_sql *q, int checked)
{
	struct buf tail = { 0 };
	sqlite3_stmt *st;

	buf_adds(&tail, ",origem,origemArquivo,origemLinha,importacao_id,"
	    "criadoEm,alteradoEm");
	buf_adds(&tail, checked ? ",status,valorTotalProc,validadoEm,"
	    "validadoCom) VALUES (" : ") VALUES (");
	marks(&tail, count(GTO_GUIA) + 6 + (checked ? 4 : 0));
	/* The checked guide was looked for first: a conflict is an error. */
	buf_adds(&tail, checked ? ")" : ") ON CONFLICT DO NOTHING");
	st = prepare_built(q, "INSERT INTO guia (", GTO_GUIA, "%s", tail.data);
	buf_release(&tail);
	return st;
}

static sqlite3_stmt *
ins_proc_stmt(struct guide_sql *q)
{
	struct buf tail = { 0 };
	sqlite3_stmt *st;

	buf_adds(&tail, ",origemLinha) VALUES (?,?,");
	marks(&tail, count(GTO_PROC) + 1);
	buf_adds(&tail, ")");
	st = prepare_built(q, "INSERT INTO procedimento (guia_id,item,",
	    GTO_PROC, "%s", tail.data);
	buf_release(&tail);
	return st;
}

void
guide_sql_init(struct guide_sql *q, sqlite3 *db)
{
	memset(q, 0, sizeof(*q));
	q->db = db;
}

void
guide_sql_release(struct guide_sql *q)
{
	int f;

	sqlite3_finalize(q->insert);
	sqlite3_finalize(q->insert_checked);
	sqlite3_finalize(q->update);
	sqlite3_finalize(q->reorigin);
	sqlite3_finalize(q->select);
	sqlite3_finalize(q->find);
	sqlite3_finalize(q->ins_proc);
	sqlite3_finalize(q->sel_procs);
	sqlite3_finalize(q->del_procs);
	sqlite3_finalize(q->max_item);
	sqlite3_finalize(q->unvalidate);
	for (f = 0; f < GTO_MAXFIELDS; f++)
		sqlite3_finalize(q->set[f]);
	guide_sql_init(q, q->db);
}

/*
 * Bind g's guide-level values from parameter 1; returns the next index.
 * SQLITE_STATIC: the statement is stepped before g changes, and every
 * parameter is bound again before each step (the hot path of import).
 */
static int
bind_values(sqlite3_stmt *st, const struct guide *g)
{
	int f, i = 1;

	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			bind_field(st, i++, f, guide_get(g, f), SQLITE_STATIC);
	return i;
}

/* Bind text s (NULL: NULL) that outlives the next step, uncopied. */
static void
bind_static(sqlite3_stmt *st, int i, const char *s)
{
	if (s)
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
	else
		sqlite3_bind_null(st, i);
}

/*
 * Bind an origin from index i (origem .. importacao_id); the next index.
 * SQLITE_STATIC: o outlives the step that follows.
 */
static int
bind_origin(sqlite3_stmt *st, int i, const struct guide_origin *o)
{
	bind_static(st, i++, o->origem);
	bind_static(st, i++, o->arquivo);
	if (o->linha > 0)
		sqlite3_bind_int64(st, i++, o->linha);
	else
		sqlite3_bind_null(st, i++);
	if (o->importacao > 0)
		sqlite3_bind_int64(st, i++, o->importacao);
	else
		sqlite3_bind_null(st, i++);
	return i;
}

/* Step the INSERT st bound from index i on; the new id, or 0. */
static long long
insert_run(struct guide_sql *q, sqlite3_stmt *st, struct guide *g)
{
	if (db_step(q->db, st) == SQLITE_CONSTRAINT ||
	    sqlite3_changes(q->db) != 1)
		return 0;
	g->id = sqlite3_last_insert_rowid(q->db);
	return g->id;
}

/* Reset st and bind g's values and o; the next index. */
static int
insert_bind(sqlite3_stmt *st, const struct guide *g,
    const struct guide_origin *o)
{
	int i;

	sqlite3_reset(st);
	i = bind_origin(st, bind_values(st, g), o);
	bind_static(st, i++, o->stamp);
	bind_static(st, i++, o->stamp);
	return i;
}

long long
guide_insert(struct guide_sql *q, struct guide *g,
    const struct guide_origin *o)
{
	if (q->insert == NULL)
		q->insert = insert_stmt(q, 0);
	insert_bind(q->insert, g, o);
	return insert_run(q, q->insert, g);
}

long long
guide_insert_checked(struct guide_sql *q, struct guide *g,
    const struct guide_origin *o, const char *status, long long total,
    const char *when, long long fingerprint)
{
	sqlite3_stmt *st;
	int i;

	if (q->insert_checked == NULL)
		q->insert_checked = insert_stmt(q, 1);
	st = q->insert_checked;
	i = insert_bind(st, g, o);
	sqlite3_bind_text(st, i++, status, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, i++, total);
	sqlite3_bind_text(st, i++, when, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, i, fingerprint);
	return insert_run(q, st, g);
}

void
guide_update(struct guide_sql *q, const struct guide *g, long long id,
    const char *stamp)
{
	sqlite3_stmt *st;
	int i;

	if (q->update == NULL)
		q->update = prepare_built(q, "UPDATE guia SET ", GTO_GUIA,
		    "%s=?", ",alteradoEm=? WHERE id=?");
	st = q->update;
	sqlite3_reset(st);
	i = bind_values(st, g);
	db_bind_text(st, i++, stamp);
	sqlite3_bind_int64(st, i, id);
	db_step(q->db, st);
}

void
guide_set_origin(struct guide_sql *q, long long id,
    const struct guide_origin *o)
{
	sqlite3_stmt *st;
	int i;

	if (q->reorigin == NULL)
		q->reorigin = db_prepare(q->db, "UPDATE guia SET origem=?,"
		    "origemArquivo=?,origemLinha=?,importacao_id=?,"
		    "alteradoEm=? WHERE id=?");
	st = q->reorigin;
	sqlite3_reset(st);
	i = bind_origin(st, 1, o);
	db_bind_text(st, i++, o->stamp);
	sqlite3_bind_int64(st, i, id);
	db_step(q->db, st);
}

/*
 * q's statement *st, of one parameter, a guide's id: prepared from sql
 * on first use, then reset, with id bound.
 */
static sqlite3_stmt *
by_id(struct guide_sql *q, sqlite3_stmt **st, const char *sql, long long id)
{
	if (*st == NULL)
		*st = db_prepare(q->db, sql);
	sqlite3_reset(*st);
	sqlite3_bind_int64(*st, 1, id);
	return *st;
}

void
guide_unvalidated(struct guide_sql *q, long long id)
{
	if (!state_guia_set(q->db, id, GUIA_INCOMPLETO, 0))
		fatal(EXIT_SOFTWARE, _("guide %lld: status cannot become "
		    "incompleto"), id);
	db_step(q->db, by_id(q, &q->unvalidate, "UPDATE guia SET "
	    "validadoEm = NULL WHERE id=?", id));
}

void
guide_update_field(struct guide_sql *q, long long id, int f, const char *v)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;

	if (f < 0 || f >= gto_nfields || gto_fields[f].level != GTO_GUIA)
		fatal(EXIT_SOFTWARE, _("guide_update_field: field %d is not a "
		    "guide field"), f);
	if (q->set[f] == NULL) {
		buf_addf(&sql, "UPDATE guia SET %s=? WHERE id=?",
		    gto_fields[f].column);
		q->set[f] = db_prepare(q->db, sql.data);
		buf_release(&sql);
	}
	st = q->set[f];
	sqlite3_reset(st);
	guide_bind_field(st, 1, f, v);
	sqlite3_bind_int64(st, 2, id);
	db_step(q->db, st);
}

/* Copy column i of st into out[n], cut, "" for NULL. */
static void
col_copy(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const char *s = db_col_text(st, i);

	snprintf(out, n, "%s", s ? s : "");
}

long long
guide_find(struct guide_sql *q, const char *prest, const char *num,
    struct guide_found *out)
{
	sqlite3_stmt *st;
	long long id;

	if (q->find == NULL)
		q->find = db_prepare(q->db, "SELECT id, status, origem, "
		    "origemArquivo, origemLinha, importacao_id FROM guia "
		    "WHERE codigoPrestadorNaOperadora=? AND "
		    "numeroGuiaPrestador=?");
	st = q->find;
	sqlite3_reset(st);
	/* Uncopied: bound again before each step. */
	sqlite3_bind_text(st, 1, prest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, num, -1, SQLITE_STATIC);
	if (db_step(q->db, st) != SQLITE_ROW)
		return 0;
	id = sqlite3_column_int64(st, 0);
	if (out) {
		out->id = id;
		col_copy(st, 1, out->status, sizeof(out->status));
		col_copy(st, 2, out->origem, sizeof(out->origem));
		col_copy(st, 3, out->arquivo, sizeof(out->arquivo));
		out->linha = (long)sqlite3_column_int64(st, 4);
		out->importacao = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	return id;
}

void
guide_found_describe(const struct guide_found *g, char *out, size_t n)
{
	if (strcmp(g->origem, "csv") == 0)
		snprintf(out, n, "imported from %s line %ld",
		    g->arquivo[0] ? g->arquivo : "?", g->linha);
	else if (strcmp(g->origem, "eautorizador") == 0)
		snprintf(out, n, "loaded from e-Autorizador");
	else
		snprintf(out, n, "entered by hand");
}

/* Load the procedures of guide id into g. */
static void
load_procs(struct guide_sql *q, long long id, struct guide *g)
{
	sqlite3_stmt *st;
	int f, i, p;

	if (q->sel_procs == NULL)
		q->sel_procs = prepare_built(q, "SELECT origemLinha, item,",
		    GTO_PROC, "%s", " FROM procedimento WHERE guia_id=? "
		    "ORDER BY item");
	st = q->sel_procs;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	while (db_step(q->db, st) == SQLITE_ROW) {
		guide_add_proc(g)->line = (long)sqlite3_column_int64(st, 0);
		p = g->nprocs - 1;
		g->procs[p].item = sqlite3_column_int(st, 1);
		for (f = 0, i = 2; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC)
				guide_proc_set(g, p, f, db_col_text(st, i++));
	}
	sqlite3_reset(st);
}

int
guide_load(struct guide_sql *q, long long id, struct guide *g, int procs)
{
	sqlite3_stmt *st;
	int f, i = 0;

	if (q->select == NULL)
		q->select = prepare_built(q, "SELECT ", GTO_GUIA, "%s",
		    " FROM guia WHERE id=?");
	st = q->select;
	guide_reset(g);
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	if (db_step(q->db, st) != SQLITE_ROW)
		return -1;
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			guide_set(g, f, db_col_text(st, i++), 0);
	sqlite3_reset(st);
	g->id = id;
	if (procs)
		load_procs(q, id, g);
	return 0;
}

void
guide_insert_proc(struct guide_sql *q, const struct guide *g, int p,
    long long id, int item)
{
	sqlite3_stmt *st;
	int f, i = 1;

	if (q->ins_proc == NULL)
		q->ins_proc = ins_proc_stmt(q);
	st = q->ins_proc;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, i++, id);
	sqlite3_bind_int(st, i++, item);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			bind_field(st, i++, f, guide_proc_get(g, p, f),
			    SQLITE_STATIC);
	if (g->procs[p].line > 0)
		sqlite3_bind_int64(st, i, g->procs[p].line);
	else
		sqlite3_bind_null(st, i);
	db_step(q->db, st);
}

void
guide_insert_procs(struct guide_sql *q, const struct guide *g)
{
	int p;

	for (p = 0; p < g->nprocs; p++)
		guide_insert_proc(q, g, p, g->id, p + 1);
}

void
guide_delete_procs(struct guide_sql *q, long long id)
{
	db_step(q->db, by_id(q, &q->del_procs,
	    "DELETE FROM procedimento WHERE guia_id=?", id));
}

int
guide_max_item(struct guide_sql *q, long long id)
{
	sqlite3_stmt *st = by_id(q, &q->max_item, "SELECT "
	    "coalesce(max(item), 0) FROM procedimento WHERE guia_id=?", id);
	int n;

	db_step(q->db, st);
	n = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	return n;
}

long long
guide_last_id(sqlite3 *db)
{
	return db_int(db, "SELECT coalesce(max(id), 0) FROM guia");
}
