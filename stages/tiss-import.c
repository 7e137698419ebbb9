/*
 * tiss-import: load dental guides typed by hand (CSV) into the workspace.
 *
 * Reads CSV files named on the command line, or the hot folder inbox/
 * with --inbox.  One row per executed procedure; rows with the same
 * codigoPrestadorNaOperadora and numeroGuiaPrestador form one guide.
 * Writes guides and procedures to tiss.db, every guide as 'incompleto'
 * until tiss-validate says otherwise, and one importacao record per file.
 *
 * A file is imported all or nothing, in one transaction.  Every problem
 * found is printed as FILE:LINE:COLUMN: campo: message (COLUMN is the
 * 1-based field number) and the file is rejected.  Missing billing data
 * is not a problem here: it is left empty for tiss-validate to list.
 *
 * Exit: 0 done (also files skipped as already imported), 64 usage,
 * 65 some file rejected, 66 a file missing, 74 I/O error, 75 another
 * import is running or the database is busy, 78 not a workspace.
 *
 * Deliberately not done: no value is ever defaulted or guessed, a
 * guide in a lote is never touched, the file is never loaded whole.
 */
#include <sys/stat.h>

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <csv.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/log.h"
#include "common/text.h"
#include "common/util.h"
#include "common/ws.h"

#define FIELD_MAX	4096		/* bytes in one field; TISS's longest is 500 chars */
#define ROW_MAX		65536		/* bytes in one row */
#define PARSER_MAX	(1 << 20)	/* libcsv's buffer: past this the quoting is broken */
#define COLUMNS_MAX	200
#define PROBLEMS_MAX	1000		/* then stop reading the file, like a compiler */
#define CHUNK		(1 << 16)

enum {
	IMPORT_SKIPPED = -1		/* same bytes already imported */
};

struct options {
	int	 replace;		/* --replace */
	int	 ignore_unknown;	/* --ignore-unknown */
	int	 encoding;		/* ENC_AUTO unless --encoding */
	long	 min_age;		/* --min-age, seconds */
};

#define NO_VALUE	((size_t)-1)

/*
 * The guide being assembled from consecutive rows.  Its guide-level
 * values live NUL-separated in one buffer that is reused from guide to
 * guide, so a row costs no allocation.
 */
struct guide {
	int	 active;		/* a guide is current */
	int	 skip;			/* its rows are ignored (already reported) */
	int	 dirty;			/* values changed since written */
	long long id;			/* guia.id */
	int	 nitems;		/* procedures it has so far */
	struct buf store;		/* the values */
	size_t	 off[GTO_MAXFIELDS];	/* offset in store, NO_VALUE when none */
	long	 vline[GTO_MAXFIELDS];	/* line each value came from, 0 unknown */
};

struct importer {
	struct ws *ws;
	const struct options *opt;
	const char *name;		/* file name for messages */
	FILE	*reason;		/* gets every problem too, or NULL */
	int	 encoding;		/* decided encoding */
	long	 line;			/* physical line being read */
	long	 row_line;		/* line where the current row started */
	int	 in_row;		/* a field of the current row was seen */
	struct buf raw;			/* the current row's raw field bytes */
	size_t	 foff[COLUMNS_MAX + 1];	/* field offsets into raw */
	size_t	 flen[COLUMNS_MAX + 1];
	int	 nf;			/* fields in the current row */
	int	 too_many;		/* the row had more than COLUMNS_MAX */
	int	 too_long;		/* the row had more than ROW_MAX bytes */
	int	 header_done;
	int	 ncols;			/* columns in the header */
	int	 colfield[COLUMNS_MAX];	/* column -> gto field, -1 ignored */
	int	 fieldcol[GTO_MAXFIELDS];		/* gto field -> column, -1 absent */
	struct buf conv;		/* converted values of the row */
	size_t	 voff[GTO_MAXFIELDS];		/* canonical value offsets into conv */
	int	 has[GTO_MAXFIELDS];		/* the row has a value for the field */
	long	 nproblems, nrows, nguides, nprocs;
	int	 stopped;		/* a fault that ends reading */
	long long import_id;
	char	 stamp[32];		/* time of this import, for every row */
	struct guide cur;
	sqlite3_stmt *ins_guia, *upd_vals, *upd_replace, *ins_proc, *find_guia;
	sqlite3_stmt *load_guia, *count_procs, *del_procs, *audit;
};

static int f_prest, f_num;		/* gto field indexes of the key */

static void
problem(struct importer *im, long line, int col, const char *campo,
    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
problem(struct importer *im, long line, int col, const char *campo,
    const char *fmt, ...)
{
	struct buf msg = { 0 };
	va_list ap;
	int n;

	if (im->stopped)
		return;
	if (col > 0)
		buf_addf(&msg, "%s:%ld:%d: %s: ", im->name, line, col, campo);
	else
		buf_addf(&msg, "%s:%ld: %s: ", im->name, line, campo);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(msg.data + msg.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	msg.len += (size_t)n;
	fprintf(stderr, "%s\n", msg.data);
	if (im->reason)
		fprintf(im->reason, "%s\n", msg.data);
	buf_release(&msg);
	if (++im->nproblems >= PROBLEMS_MAX) {
		fprintf(stderr, "%s:%ld: too many problems; stopped reading "
		    "here, fix these first\n", im->name, line);
		if (im->reason)
			fprintf(im->reason, "%s:%ld: too many problems; "
			    "stopped reading here\n", im->name, line);
		im->stopped = 1;
	}
}

/* Quote a value for a message, cut to a readable length. */
static const char *
shown(const char *s, size_t n, char out[64])
{
	size_t i, j = 0;

	for (i = 0; i < n && j < 60; i++)
		out[j++] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	out[j] = '\0';
	if (i < n)
		memcpy(out + (j > 57 ? 57 : j), "...", 4);
	return out;
}

/* The current row's value of field f, or NULL. */
static const char *
val(const struct importer *im, int f)
{
	return im->has[f] ? im->conv.data + im->voff[f] : NULL;
}

/* The current guide's value of field f, or NULL. */
static const char *
cur_val(const struct importer *im, int f)
{
	const struct guide *g = &im->cur;

	return g->off[f] == NO_VALUE ? NULL : g->store.data + g->off[f];
}

static void
cur_set(struct importer *im, int f, const char *v, long line)
{
	struct guide *g = &im->cur;

	g->off[f] = g->store.len;
	buf_add(&g->store, v, strlen(v) + 1);
	g->vline[f] = line;
}

/* ---- CSV parser callbacks ---------------------------------------------- */

static void
on_field(void *s, size_t n, void *data)
{
	struct importer *im = data;
	const char *p = s;
	size_t i;

	if (!im->in_row) {
		im->in_row = 1;
		im->row_line = im->line;
		im->nf = 0;
		im->too_many = 0;
		im->too_long = 0;
		buf_reset(&im->raw);
	}
	for (i = 0; i < n; i++)
		if (p[i] == '\n')
			im->line++;
	if (im->nf >= COLUMNS_MAX) {
		im->too_many = 1;
		return;
	}
	im->foff[im->nf] = im->raw.len;
	im->flen[im->nf] = n;
	im->nf++;
	if (im->raw.len + n <= ROW_MAX)
		buf_add(&im->raw, p, n);
	else
		im->too_long = 1;
}

/*
 * Decode a field to UTF-8 (appended to out), deciding the file's encoding
 * at its first non-ASCII field when it was not given.
 */
static const char *
decode(struct importer *im, const char *s, size_t n, struct buf *out)
{
	if (im->encoding == ENC_AUTO && !text_is_ascii(s, n)) {
		im->encoding = text_utf8_valid(s, n) ? ENC_UTF8 : ENC_CP1252;
		log_info("'%s': reading as %s from line %ld", im->name,
		    text_encoding_name(im->encoding), im->row_line);
	}
	return text_to_utf8(im->encoding == ENC_AUTO ? ENC_UTF8 : im->encoding,
	    s, n, out);
}

/* Trim ASCII blanks around s[0..*n); returns the new start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

static void
do_header(struct importer *im)
{
	struct buf name = { 0 };
	char sh[64];
	int c, f, other;

	im->header_done = 1;
	im->ncols = im->nf;
	for (f = 0; f < gto_nfields; f++)
		im->fieldcol[f] = -1;
	for (c = 0; c < im->nf; c++) {
		size_t n = im->flen[c];
		const char *s = trim(im->raw.data + im->foff[c], &n);
		const char *why;

		im->colfield[c] = -1;
		buf_reset(&name);
		if ((why = decode(im, s, n, &name)) != NULL) {
			problem(im, im->row_line, c + 1, "header", "%s", why);
			continue;
		}
		f = name.len ? gto_field_find(name.data) : -1;
		if (f < 0) {
			if (!im->opt->ignore_unknown)
				problem(im, im->row_line, c + 1,
				    name.len ? shown(name.data, name.len, sh) :
				    "(empty)", "unknown column; columns are "
				    "the TISS element names listed in "
				    "docs/csv-format.md (or give "
				    "--ignore-unknown)");
			continue;
		}
		if ((other = im->fieldcol[f]) >= 0) {
			problem(im, im->row_line, c + 1, gto_fields[f].name,
			    "column appears twice (also column %d)", other + 1);
			continue;
		}
		im->fieldcol[f] = c;
		im->colfield[c] = f;
	}
	buf_release(&name);
	if (im->fieldcol[f_prest] < 0 || im->fieldcol[f_num] < 0) {
		problem(im, im->row_line, 0, im->fieldcol[f_prest] < 0 ?
		    "codigoPrestadorNaOperadora" : "numeroGuiaPrestador",
		    "required column missing: rows are grouped into guides "
		    "by codigoPrestadorNaOperadora and numeroGuiaPrestador");
		im->stopped = 1;
	}
}

/*
 * Convert the current row's fields into canonical values in im->conv
 * (dates "aaaa-mm-dd", numbers as integer text, S/N, 1/0).  Returns 0
 * when every field is valid.
 */
static int
convert_row(struct importer *im)
{
	struct buf text = { 0 };
	char num[32], sh[64];
	int c, f, bad = 0;
	const char *why, *canon;

	buf_reset(&im->conv);
	memset(im->has, 0, sizeof(im->has));
	for (c = 0; c < im->nf; c++) {
		size_t n = im->flen[c];
		const char *s;

		if ((f = im->colfield[c]) < 0)
			continue;
		if (n > FIELD_MAX) {
			problem(im, im->row_line, c + 1, gto_fields[f].name,
			    "field is longer than %d bytes; is this really "
			    "the CSV export?", FIELD_MAX);
			bad = 1;
			continue;
		}
		s = trim(im->raw.data + im->foff[c], &n);
		buf_reset(&text);
		if ((why = decode(im, s, n, &text)) != NULL) {
			problem(im, im->row_line, c + 1, gto_fields[f].name,
			    "%s", why);
			bad = 1;
			continue;
		}
		if (text.len == 0)
			continue;
		why = gto_canonical(f, text.data, num, &canon);
		if (why) {
			problem(im, im->row_line, c + 1, gto_fields[f].name,
			    "'%s': %s", shown(text.data, text.len, sh), why);
			bad = 1;
			continue;
		}
		im->has[f] = 1;
		im->voff[f] = im->conv.len;
		buf_add(&im->conv, canon, strlen(canon) + 1);
	}
	buf_release(&text);
	return bad ? -1 : 0;
}

/* ---- database side ------------------------------------------------------ */

static int
is_integer_kind(int f)
{
	int k = gto_fields[f].kind;

	return k == GTO_MONEY || k == GTO_DEC2 || k == GTO_COUNT || k == GTO_BOOL;
}

/*
 * Bind a canonical value.  SQLITE_STATIC: every value outlives the step
 * that follows, and each statement is rebound in full before each step.
 */
static void
bind_value(sqlite3_stmt *st, int i, int f, const char *v)
{
	if (v == NULL)
		sqlite3_bind_null(st, i);
	else if (is_integer_kind(f))
		sqlite3_bind_int64(st, i, strtoll(v, NULL, 10));
	else
		sqlite3_bind_text(st, i, v, -1, SQLITE_STATIC);
}


/*
 * Build the statements from the field table, so that adding a field to
 * gto.c is the only change a new column needs.
 */
static void
prepare(struct importer *im)
{
	sqlite3 *db = im->ws->db;
	struct buf cols = { 0 }, qs = { 0 }, sets = { 0 }, pcols = { 0 },
	    pqs = { 0 }, sql = { 0 };
	int f;

	for (f = 0; f < gto_nfields; f++) {
		if (gto_fields[f].level == GTO_GUIA) {
			buf_addf(&cols, "%s,", gto_fields[f].column);
			buf_adds(&qs, "?,");
			buf_addf(&sets, "%s=?,", gto_fields[f].column);
		} else {
			buf_addf(&pcols, "%s,", gto_fields[f].column);
			buf_adds(&pqs, "?,");
		}
	}
	buf_addf(&sql, "INSERT INTO guia (%sstatus, origem, origemArquivo, "
	    "origemLinha, importacao_id, criadoEm, alteradoEm) VALUES "
	    "(%s'incompleto','csv',?,?,?,?,?) ON CONFLICT DO NOTHING",
	    cols.data, qs.data);
	im->ins_guia = db_prepare(db, sql.data);
	buf_reset(&sql);
	buf_addf(&sql, "UPDATE guia SET %sstatus='incompleto', origem='csv', "
	    "origemArquivo=?, origemLinha=?, importacao_id=?, alteradoEm=? "
	    "WHERE id=?", sets.data);
	im->upd_replace = db_prepare(db, sql.data);
	buf_reset(&sql);
	buf_addf(&sql, "UPDATE guia SET %salteradoEm=? WHERE id=?", sets.data);
	im->upd_vals = db_prepare(db, sql.data);
	buf_reset(&sql);
	buf_addf(&sql, "INSERT INTO procedimento (guia_id, item, "
	    "%sorigemLinha) VALUES (?,?,%s?)", pcols.data, pqs.data);
	im->ins_proc = db_prepare(db, sql.data);
	buf_reset(&sql);
	cols.data[cols.len - 1] = '\0';
	buf_addf(&sql, "SELECT %s FROM guia WHERE id=?", cols.data);
	im->load_guia = db_prepare(db, sql.data);
	im->count_procs = db_prepare(db, "SELECT coalesce(max(item), 0) FROM "
	    "procedimento WHERE guia_id=?");
	im->find_guia = db_prepare(db, "SELECT id, status, origem, "
	    "origemArquivo, origemLinha, importacao_id FROM guia WHERE "
	    "codigoPrestadorNaOperadora=? AND numeroGuiaPrestador=?");
	im->del_procs = db_prepare(db,
	    "DELETE FROM procedimento WHERE guia_id=?");
	im->audit = db_prepare(db, "INSERT INTO auditoria (quando, guia_id, "
	    "campo, antes, depois, fonte) VALUES (?,?,'*',?,?,'tiss-import "
	    "--replace')");
	buf_release(&cols);
	buf_release(&qs);
	buf_release(&sets);
	buf_release(&pcols);
	buf_release(&pqs);
	buf_release(&sql);
}

static void
finalize(struct importer *im)
{
	sqlite3_finalize(im->ins_guia);
	sqlite3_finalize(im->upd_vals);
	sqlite3_finalize(im->upd_replace);
	sqlite3_finalize(im->ins_proc);
	sqlite3_finalize(im->find_guia);
	sqlite3_finalize(im->load_guia);
	sqlite3_finalize(im->count_procs);
	sqlite3_finalize(im->del_procs);
	sqlite3_finalize(im->audit);
}

/*
 * Bind the guide-level values of cur from index 1, then, when origin is
 * set, this row as the guide's origin; then the time stamp(s).  Returns
 * the next index.
 */
static int
bind_guide(struct importer *im, sqlite3_stmt *st, int origin, int stamps)
{
	int f, i = 1;

	sqlite3_reset(st);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			bind_value(st, i++, f, cur_val(im, f));
	if (origin) {
		sqlite3_bind_text(st, i++, im->name, -1, SQLITE_STATIC);
		sqlite3_bind_int64(st, i++, im->row_line);
		sqlite3_bind_int64(st, i++, im->import_id);
	}
	while (stamps-- > 0)
		sqlite3_bind_text(st, i++, im->stamp, -1, SQLITE_STATIC);
	return i;
}

/* Forget the current guide's values, keeping the buffer for the next. */
static void
guide_clear(struct guide *g)
{
	int f;

	g->active = g->skip = g->dirty = g->nitems = 0;
	g->id = 0;
	buf_reset(&g->store);
	for (f = 0; f < GTO_MAXFIELDS; f++)
		g->off[f] = NO_VALUE;
}

/* Write back a guide whose values later rows completed. */
static void
flush_guide(struct importer *im)
{
	sqlite3_stmt *st = im->upd_vals;
	int i;

	if (im->cur.active && !im->cur.skip && im->cur.dirty) {
		i = bind_guide(im, st, 0, 1);
		sqlite3_bind_int64(st, i, im->cur.id);
		db_step(im->ws->db, st);
	}
	guide_clear(&im->cur);
}

/* Take the row's guide-level values as the current guide's. */
static void
take_row_values(struct importer *im)
{
	int f;

	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA && im->has[f])
			cur_set(im, f, val(im, f), im->row_line);
}

/* Load a guide this import wrote earlier, to merge rows into it again. */
static void
load_guide(struct importer *im, long long id)
{
	sqlite3_stmt *st = im->load_guia;
	int f, i = 0;

	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	if (db_step(im->ws->db, st) != SQLITE_ROW)
		fatal(EXIT_SOFTWARE, "guide %lld vanished", id);
	for (f = 0; f < gto_nfields; f++) {
		if (gto_fields[f].level != GTO_GUIA)
			continue;
		if (sqlite3_column_type(st, i) != SQLITE_NULL)
			cur_set(im, f, db_col_text(st, i), 0);
		i++;
	}
	st = im->count_procs;
	sqlite3_reset(st);
	sqlite3_bind_int64(st, 1, id);
	db_step(im->ws->db, st);
	im->cur.nitems = sqlite3_column_int(st, 0);
}

/*
 * Merge the row's guide-level values into the current guide: a value it
 * lacked is taken, a different one is a problem.
 */
static void
merge_row(struct importer *im)
{
	char sh1[64], sh2[64];
	int f;

	for (f = 0; f < gto_nfields; f++) {
		const char *v = val(im, f), *had = cur_val(im, f);

		if (gto_fields[f].level != GTO_GUIA || v == NULL)
			continue;
		if (had == NULL) {
			cur_set(im, f, v, im->row_line);
			im->cur.dirty = 1;
		} else if (strcmp(had, v) != 0) {
			if (im->cur.vline[f])
				problem(im, im->row_line, im->fieldcol[f] + 1,
				    gto_fields[f].name, "'%s' differs from "
				    "'%s' on line %ld of the same guide",
				    shown(v, strlen(v), sh1),
				    shown(had, strlen(had), sh2),
				    im->cur.vline[f]);
			else
				problem(im, im->row_line, im->fieldcol[f] + 1,
				    gto_fields[f].name, "'%s' differs from "
				    "'%s' given earlier in this file for the "
				    "same guide", shown(v, strlen(v), sh1),
				    shown(had, strlen(had), sh2));
		}
	}
}

/* Describe where an existing guide came from, for a conflict message. */
static void
describe_origin(sqlite3_stmt *st, char *out, size_t n)
{
	const char *origem = db_col_text(st, 2);

	if (origem && strcmp(origem, "csv") == 0)
		snprintf(out, n, "imported from %s line %lld",
		    db_col_text(st, 3) ? db_col_text(st, 3) : "?",
		    (long long)sqlite3_column_int64(st, 4));
	else if (origem && strcmp(origem, "eautorizador") == 0)
		snprintf(out, n, "loaded from e-Autorizador");
	else
		snprintf(out, n, "entered by hand");
}

/* Start a new guide with the current row; handles existing guides. */
static void
start_guide(struct importer *im)
{
	sqlite3 *db = im->ws->db;
	sqlite3_stmt *st;
	const char *prest = val(im, f_prest), *num = val(im, f_num);
	char origin[512], here[512];
	long long id;
	int i;

	im->cur.active = 1;
	take_row_values(im);

	st = im->ins_guia;
	bind_guide(im, st, 1, 2);
	db_step(db, st);
	if (sqlite3_changes(db) == 1) {
		im->cur.id = sqlite3_last_insert_rowid(db);
		im->nguides++;
		return;
	}

	st = im->find_guia;
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, prest, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, num, -1, SQLITE_TRANSIENT);
	if (db_step(db, st) != SQLITE_ROW)
		fatal(EXIT_SOFTWARE, "guide %s/%s neither inserted nor found",
		    prest, num);
	id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_int64(st, 5) == im->import_id) {
		/* Rows of this guide seen earlier in this same file. */
		im->cur.id = id;
		buf_reset(&im->cur.store);
		for (i = 0; i < GTO_MAXFIELDS; i++)
			im->cur.off[i] = NO_VALUE;
		load_guide(im, id);
		merge_row(im);
		return;
	}
	describe_origin(st, origin, sizeof(origin));
	if (strcmp(db_col_text(st, 1), "em_lote") == 0 ||
	    strcmp(db_col_text(st, 1), "enviada") == 0) {
		problem(im, im->row_line, im->fieldcol[f_num] + 1,
		    "numeroGuiaPrestador", "guide %s of prestador %s is "
		    "already in a lote (status %s, %s); an import never "
		    "changes it: remove these rows", num, prest,
		    db_col_text(st, 1), origin);
		im->cur.skip = 1;
		return;
	}
	if (!im->opt->replace) {
		problem(im, im->row_line, im->fieldcol[f_num] + 1,
		    "numeroGuiaPrestador", "guide %s of prestador %s already "
		    "exists (%s); give --replace to replace it, or remove "
		    "these rows", num, prest, origin);
		im->cur.skip = 1;
		return;
	}
	/* --replace: the file's version wins, and the audit says so. */
	im->cur.id = id;
	snprintf(here, sizeof(here), "imported from %s line %ld", im->name,
	    im->row_line);
	sqlite3_reset(im->audit);
	sqlite3_bind_text(im->audit, 1, im->stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(im->audit, 2, id);
	sqlite3_bind_text(im->audit, 3, origin, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(im->audit, 4, here, -1, SQLITE_TRANSIENT);
	db_step(db, im->audit);
	sqlite3_reset(im->del_procs);
	sqlite3_bind_int64(im->del_procs, 1, id);
	db_step(db, im->del_procs);
	i = bind_guide(im, im->upd_replace, 1, 1);
	sqlite3_bind_int64(im->upd_replace, i, id);
	db_step(db, im->upd_replace);
	im->nguides++;
}

static void
insert_proc(struct importer *im)
{
	sqlite3_stmt *st = im->ins_proc;
	int f, i = 1, any = 0;

	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC && im->has[f])
			any = 1;
	if (!any)
		return;		/* a row with guide data only */
	sqlite3_reset(st);
	sqlite3_bind_int64(st, i++, im->cur.id);
	sqlite3_bind_int(st, i++, ++im->cur.nitems);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			bind_value(st, i++, f, val(im, f));
	sqlite3_bind_int64(st, i, im->row_line);
	db_step(im->ws->db, st);
	im->nprocs++;
}

static void
do_row(struct importer *im)
{
	const char *prest, *num;
	int c, empty = !im->too_long;

	for (c = 0; c < im->nf && empty; c++) {
		size_t n = im->flen[c];

		trim(im->raw.data + im->foff[c], &n);
		if (n)
			empty = 0;
	}
	if (empty)
		return;		/* blank or all-separator line */
	if (!im->header_done) {
		do_header(im);
		return;
	}
	im->nrows++;
	if (im->too_many || im->nf != im->ncols) {
		problem(im, im->row_line, 0, "row", "%s%d fields but the header "
		    "has %d; check the separator and the quoting",
		    im->too_many ? "more than " : "", im->nf, im->ncols);
		return;
	}
	if (im->too_long) {
		problem(im, im->row_line, 0, "row", "longer than %d bytes",
		    ROW_MAX);
		return;
	}
	if (convert_row(im) != 0)
		return;
	prest = val(im, f_prest);
	num = val(im, f_num);
	if (prest == NULL || num == NULL) {
		int f = prest == NULL ? f_prest : f_num;

		problem(im, im->row_line, im->fieldcol[f] + 1,
		    gto_fields[f].name, "empty, but every row needs it to "
		    "know which guide it belongs to");
		return;
	}
	if (im->cur.active && strcmp(cur_val(im, f_prest), prest) == 0 &&
	    strcmp(cur_val(im, f_num), num) == 0) {
		if (!im->cur.skip)
			merge_row(im);
	} else {
		flush_guide(im);
		start_guide(im);
	}
	if (!im->cur.skip)
		insert_proc(im);
}

static void
on_row(int c, void *data)
{
	struct importer *im = data;

	if (im->in_row) {
		im->in_row = 0;
		if (!im->stopped)
			do_row(im);
	}
	if (c == '\n')
		im->line++;
}

/* ---- one file ------------------------------------------------------------ */

/* Refuse to let libcsv's buffer grow past PARSER_MAX (broken quoting). */
static void *
bounded_realloc(void *p, size_t n)
{
	if (n > PARSER_MAX)
		return NULL;
	return realloc(p, n);
}

/* ';' or ',', whichever the first line uses more, outside quotes. */
static unsigned char
detect_separator(const char *s, size_t n)
{
	size_t i, semi = 0, comma = 0;
	int quoted = 0;

	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ';')
			semi++;
		else if (!quoted && s[i] == ',')
			comma++;
	}
	return semi > comma ? ';' : ',';
}

static long long
record_import(sqlite3 *db, const char *name, const char *sha,
    const char *situacao, struct importer *im)
{
	sqlite3_stmt *st;
	char stamp[32];
	long long id;

	time_iso(stamp);
	st = db_prepare(db, "INSERT INTO importacao (arquivo, sha256, "
	    "situacao, linhas, guias, erros, inicio, fim) VALUES "
	    "(?,?,?,?,?,?,?,?)");
	sqlite3_bind_text(st, 1, name, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 2, sha, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 3, situacao, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 4, im ? im->nrows : 0);
	sqlite3_bind_int64(st, 5, im ? im->nguides : 0);
	sqlite3_bind_int64(st, 6, im ? im->nproblems : 0);
	sqlite3_bind_text(st, 7, stamp, -1, SQLITE_TRANSIENT);
	if (im)
		sqlite3_bind_text(st, 8, stamp, -1, SQLITE_TRANSIENT);
	db_step(db, st);
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(db);
	return id;
}

/* Whether a file with these bytes was imported; prints when and as what. */
static int
already_imported(sqlite3 *db, const char *name, const char *sha)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT arquivo, fim FROM "
	    "importacao WHERE sha256=? AND situacao='importado'");
	int found = 0;

	sqlite3_bind_text(st, 1, sha, -1, SQLITE_TRANSIENT);
	if (db_step(db, st) == SQLITE_ROW) {
		log_notice("'%s' skipped: the same bytes were imported as "
		    "'%s' at %s", name, db_col_text(st, 0),
		    db_col_text(st, 1));
		found = 1;
	}
	sqlite3_finalize(st);
	return found;
}

/* Feed the file to libcsv; returns EXIT_OK or EXIT_IOERR. */
static int
parse_stream(struct importer *im, int fd, const char *path)
{
	struct csv_parser p;
	char *chunk = xmalloc(CHUNK);
	size_t n, done, skip = 0;
	ssize_t got;
	int first = 1, ret = EXIT_OK;

	if (csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		fatal(EXIT_SOFTWARE, "cannot initialise the CSV parser");
	csv_set_realloc_func(&p, bounded_realloc);
	while (!im->stopped) {
		got = read(fd, chunk, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			log_error("cannot read '%s': %s", path, strerror(errno));
			ret = EXIT_IOERR;
			break;
		}
		if (got == 0)
			break;
		n = (size_t)got;
		if (first) {
			first = 0;
			if (n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0) {
				skip = 3;
				if (im->encoding == ENC_AUTO)
					im->encoding = ENC_UTF8;
			}
			csv_set_delim(&p, (unsigned char)detect_separator(
			    chunk + skip, n - skip));
		}
		done = csv_parse(&p, chunk + skip, n - skip, on_field, on_row,
		    im);
		if (done != n - skip) {
			if (csv_error(&p) == CSV_EPARSE)
				problem(im, im->line, 0, "row", "malformed "
				    "quoting: a field with quotes must be "
				    "enclosed in quotes, and quotes inside it "
				    "doubled (\"\"); reading stopped here");
			else
				problem(im, im->row_line, 0, "row", "a field "
				    "longer than %d bytes starts here (a quote "
				    "never closed?); reading stopped here",
				    PARSER_MAX);
			im->stopped = 1;
		}
		skip = 0;
	}
	if (!im->stopped && ret == EXIT_OK &&
	    csv_fini(&p, on_field, on_row, im) != 0)
		problem(im, im->row_line, 0, "row", "quoted field never "
		    "closed before the end of the file");
	csv_free(&p);
	free(chunk);
	return ret;
}

/*
 * Import one file.  name is what messages call it; reason, when not NULL,
 * receives every problem too.  Returns EXIT_OK, IMPORT_SKIPPED,
 * EXIT_DATAERR (rejected, nothing stored), EXIT_NOINPUT or EXIT_IOERR.
 */
static int
import_file(struct ws *ws, const struct options *opt, const char *path,
    const char *name, FILE *reason)
{
	struct importer im;
	struct stat sb;
	char sha[65];
	int fd, ret;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_error("cannot open '%s': %s", path, strerror(errno));
		return errno == ENOENT || errno == EACCES ? EXIT_NOINPUT :
		    EXIT_IOERR;
	}
	if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode)) {
		log_error("'%s' is not a regular file", path);
		close(fd);
		return EXIT_NOINPUT;
	}
	if (sha256_file(fd, sha) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		log_error("cannot read '%s': %s", path, strerror(errno));
		close(fd);
		return EXIT_IOERR;
	}
	if (already_imported(ws->db, name, sha)) {
		close(fd);
		return IMPORT_SKIPPED;
	}

	memset(&im, 0, sizeof(im));
	im.ws = ws;
	im.opt = opt;
	im.name = name;
	im.reason = reason;
	im.encoding = opt->encoding;
	im.line = 1;
	guide_clear(&im.cur);
	time_iso(im.stamp);
	buf_grow(&im.raw, ROW_MAX);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	im.import_id = record_import(ws->db, name, sha, "importado", NULL);
	prepare(&im);
	ret = parse_stream(&im, fd, path);
	close(fd);
	if (ret == EXIT_OK && !im.header_done && im.nproblems == 0)
		problem(&im, 1, 0, "header", "empty file: a header row with "
		    "the column names is expected");
	flush_guide(&im);
	finalize(&im);
	if (ret != EXIT_OK || im.nproblems > 0) {
		db_exec(ws->db, "ROLLBACK");
		if (ret == EXIT_OK) {
			db_exec(ws->db, "BEGIN IMMEDIATE");
			record_import(ws->db, name, sha, "rejeitado", &im);
			db_exec(ws->db, "COMMIT");
			log_error("'%s' rejected: %ld problem%s, nothing "
			    "imported from it", name, im.nproblems,
			    im.nproblems == 1 ? "" : "s");
			ret = EXIT_DATAERR;
		}
	} else {
		sqlite3_stmt *st = db_prepare(ws->db, "UPDATE importacao SET "
		    "linhas=?, guias=?, fim=? WHERE id=?");
		char stamp[32];

		time_iso(stamp);
		sqlite3_bind_int64(st, 1, im.nrows);
		sqlite3_bind_int64(st, 2, im.nguides);
		sqlite3_bind_text(st, 3, stamp, -1, SQLITE_TRANSIENT);
		sqlite3_bind_int64(st, 4, im.import_id);
		db_step(ws->db, st);
		sqlite3_finalize(st);
		db_exec(ws->db, "COMMIT");
		log_notice("'%s' imported: %ld rows, %ld guides, %ld "
		    "procedures (%s)", name, im.nrows, im.nguides, im.nprocs,
		    text_encoding_name(im.encoding == ENC_AUTO ? ENC_UTF8 :
		    im.encoding));
	}
	buf_release(&im.cur.store);
	buf_release(&im.raw);
	buf_release(&im.conv);
	return ret;
}

/* ---- hot folder ---------------------------------------------------------- */

struct candidate {
	char	*name;
	time_t	 mtime;
	off_t	 size;
};

static int
by_age(const void *a, const void *b)
{
	const struct candidate *x = a, *y = b;

	if (x->mtime != y->mtime)
		return x->mtime < y->mtime ? -1 : 1;
	return strcmp(x->name, y->name);
}

static int
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcasecmp(s + n - m, suffix) == 0;
}

/*
 * Move dir_from/name to dir_to/prefix+name without overwriting: a
 * numeric suffix is added while the target exists.  The import lock makes
 * the check and the rename one step for us.  Returns the new path
 * (caller frees) or NULL.
 */
static char *
move_file(const char *from, const char *dir_to, const char *prefix,
    const char *name)
{
	struct stat sb;
	char *to = xasprintf("%s/%s%s", dir_to, prefix, name);
	int i;

	for (i = 1; lstat(to, &sb) == 0; i++) {
		free(to);
		to = xasprintf("%s/%s%s.%d", dir_to, prefix, name, i);
	}
	if (rename(from, to) != 0) {
		log_error("cannot move '%s' to '%s': %s", from, to,
		    strerror(errno));
		free(to);
		return NULL;
	}
	return to;
}

static void
ensure_dir(const char *path)
{
	if (mkdir(path, 0755) != 0 && errno != EEXIST)
		fatal(EXIT_IOERR, "cannot create '%s': %s", path,
		    strerror(errno));
}

/* Put files an interrupted run left in processing/ back in the inbox. */
static void
recover_processing(const char *inbox, const char *processing)
{
	DIR *d = opendir(processing);
	struct dirent *e;
	struct stat sb;
	char *from, *to;

	if (d == NULL)
		fatal(EXIT_IOERR, "cannot read '%s': %s", processing,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		from = xasprintf("%s/%s", processing, e->d_name);
		if (lstat(from, &sb) == 0 && S_ISREG(sb.st_mode)) {
			to = move_file(from, inbox, "", e->d_name);
			if (to)
				log_warn("'%s' was left in processing/ by an "
				    "interrupted run; put back in the inbox",
				    e->d_name);
			free(to);
		}
		free(from);
	}
	closedir(d);
}

static struct candidate *
scan_inbox(const char *inbox, long min_age, size_t *count)
{
	DIR *d = opendir(inbox);
	struct dirent *e;
	struct stat sb;
	struct candidate *list = NULL;
	time_t now = time(NULL);
	size_t n = 0;
	char *path;

	if (d == NULL)
		fatal(EXIT_IOERR, "cannot read '%s': %s", inbox,
		    strerror(errno));
	while ((e = readdir(d)) != NULL) {
		const char *nm = e->d_name;

		if (nm[0] == '.' || ends_with(nm, ".tmp") ||
		    ends_with(nm, ".part") || !ends_with(nm, ".csv"))
			continue;
		path = xasprintf("%s/%s", inbox, nm);
		if (lstat(path, &sb) == 0 && S_ISREG(sb.st_mode) &&
		    sb.st_size > 0) {
			if (now - sb.st_mtime >= min_age) {
				list = xrealloc(list, (n + 1) * sizeof(*list));
				list[n].name = xstrdup(nm);
				list[n].mtime = sb.st_mtime;
				list[n].size = sb.st_size;
				n++;
			} else
				log_info("'%s' changed less than %lds ago; "
				    "left for the next run", nm, min_age);
		}
		free(path);
	}
	closedir(d);
	if (n)
		qsort(list, n, sizeof(*list), by_age);
	*count = n;
	return list;
}

static int
worse(int a, int b)
{
	/* 65 is the mildest failure: it lets the chain go on. */
	if (a == EXIT_OK || (a == EXIT_DATAERR && b != EXIT_OK))
		return b;
	return a;
}

/* Process one claimed file in processing/; returns its exit code. */
static int
process_claimed(struct ws *ws, const struct options *opt, const char *dirs[4],
    const struct candidate *c)
{
	const char *inbox = dirs[0], *processing = dirs[1], *done = dirs[2],
	    *error = dirs[3];
	char *path = xasprintf("%s/%s", processing, c->name);
	char *reason_tmp = xasprintf("%s/.%s.reason.tmp", error, c->name);
	char *moved = NULL, *reason_path, stamp[32], prefix[40];
	FILE *reason;
	struct stat sb;
	int rc;

	if (stat(path, &sb) != 0 || sb.st_size != c->size ||
	    sb.st_mtime != c->mtime) {
		log_info("'%s' is still being written; left for the next run",
		    c->name);
		free(move_file(path, inbox, "", c->name));
		rc = EXIT_OK;
		goto out;
	}
	if ((reason = fopen(reason_tmp, "w")) == NULL)
		fatal(EXIT_IOERR, "cannot create '%s': %s", reason_tmp,
		    strerror(errno));
	rc = import_file(ws, opt, path, c->name, reason);
	if (fclose(reason) != 0)
		fatal(EXIT_IOERR, "cannot write '%s'", reason_tmp);
	time_stamp(stamp);
	snprintf(prefix, sizeof(prefix), "%s-", stamp);
	if (rc == EXIT_OK || rc == IMPORT_SKIPPED) {
		moved = move_file(path, done, prefix, c->name);
		unlink(reason_tmp);
		rc = moved ? EXIT_OK : EXIT_IOERR;
	} else if (rc == EXIT_DATAERR) {
		moved = move_file(path, error, prefix, c->name);
		if (moved) {
			reason_path = xasprintf("%s.reason", moved);
			if (rename(reason_tmp, reason_path) != 0)
				log_error("cannot write '%s': %s", reason_path,
				    strerror(errno));
			log_notice("'%s' moved to error/ with the list of "
			    "problems in '%s'", c->name, reason_path);
			free(reason_path);
		} else
			rc = EXIT_IOERR;
	} else {
		/* Not the file's fault: give it back for the next run. */
		unlink(reason_tmp);
		free(move_file(path, inbox, "", c->name));
	}
out:
	free(moved);
	free(path);
	free(reason_tmp);
	return rc;
}

static int
import_inbox(struct ws *ws, const struct options *opt)
{
	char *inbox = ws_path(ws, "inbox");
	char *processing = ws_path(ws, "inbox/processing");
	char *done = ws_path(ws, "inbox/done");
	char *error = ws_path(ws, "inbox/error");
	const char *dirs[4] = { inbox, processing, done, error };
	struct candidate *list;
	size_t n, i;
	int ret = EXIT_OK, rc;

	for (i = 0; i < 4; i++)
		ensure_dir(dirs[i]);
	recover_processing(inbox, processing);
	list = scan_inbox(inbox, opt->min_age, &n);
	for (i = 0; i < n; i++) {
		char *from = xasprintf("%s/%s", inbox, list[i].name);
		char *to = xasprintf("%s/%s", processing, list[i].name);

		/* Claim it: a rename is atomic, and a reader sees it gone. */
		if (rename(from, to) != 0) {
			if (errno != ENOENT)
				log_error("cannot claim '%s': %s", from,
				    strerror(errno));
			rc = errno == ENOENT ? EXIT_OK : EXIT_IOERR;
		} else
			rc = process_claimed(ws, opt, dirs, &list[i]);
		ret = worse(ret, rc);
		free(from);
		free(to);
		free(list[i].name);
	}
	free(list);
	if (n == 0)
		log_info("inbox: nothing to import");
	free(inbox);
	free(processing);
	free(done);
	free(error);
	return ret;
}

/* ---- main ---------------------------------------------------------------- */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tiss-import [-C dir] [-qv] [--replace] [--ignore-unknown]\n"
	    "                   [--encoding enc] file ...\n"
	    "       tiss-import [-C dir] [-qv] [--replace] [--ignore-unknown]\n"
	    "                   [--encoding enc] [--min-age seconds] --inbox\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "encoding", required_argument, NULL, 'e' },
		{ "help", no_argument, NULL, 'h' },
		{ "ignore-unknown", no_argument, NULL, 'u' },
		{ "inbox", no_argument, NULL, 'i' },
		{ "min-age", required_argument, NULL, 'm' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "replace", no_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	struct options opt = { 0, 0, ENC_AUTO, -1 };
	struct ws ws;
	const char *dir = NULL, *enc_name = NULL, *cfg_enc;
	char *end;
	int ch, inbox = 0, level = LOG_NORMAL, ret = EXIT_OK, rc, i;

	while ((ch = getopt_long(argc, argv, "C:hqv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'e':
			enc_name = optarg;
			break;
		case 'i':
			inbox = 1;
			break;
		case 'm':
			opt.min_age = strtol(optarg, &end, 10);
			if (*end || opt.min_age < 0)
				usage();
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'r':
			opt.replace = 1;
			break;
		case 'u':
			opt.ignore_unknown = 1;
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	argc -= optind;
	argv += optind;
	if ((inbox && argc > 0) || (!inbox && argc == 0))
		usage();
	log_init("tiss-import", level);
	f_prest = gto_field_find("codigoPrestadorNaOperadora");
	f_num = gto_field_find("numeroGuiaPrestador");

	ws_open(&ws, ws_dir(dir));
	ws_lock(&ws, "import");
	if (enc_name == NULL && (cfg_enc = cfg_get(&ws.cfg, "import",
	    "encoding")) != NULL)
		enc_name = cfg_enc;
	if (enc_name && (opt.encoding = text_encoding_parse(enc_name)) < 0)
		fatal(EXIT_USAGE, "unknown encoding '%s'; use utf-8, "
		    "windows-1252 or iso-8859-1", enc_name);
	if (opt.min_age < 0)
		opt.min_age = cfg_get_long(&ws.cfg, "import", "min_age", 2, 0,
		    86400);

	if (inbox)
		ret = import_inbox(&ws, &opt);
	for (i = 0; i < argc; i++) {
		rc = import_file(&ws, &opt, argv[i], argv[i], NULL);
		ret = worse(ret, rc == IMPORT_SKIPPED ? EXIT_OK : rc);
	}
	ws_close(&ws);
	return close_stdout(ret);
}
