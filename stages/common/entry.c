#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "csv.h"
#include "db.h"
#include "entry.h"
#include "exitcodes.h"
#include "gto.h"
#include "i18n.h"
#include "ifile.h"
#include "state.h"

int
entry_find_guide(sqlite3 *db, const char *num, const char *prest,
    struct entry_guide *g, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, status, "
	    "codigoPrestadorNaOperadora FROM guia WHERE " ENTRY_GUIDE_NAMED("")
	    " ORDER BY 3");
	struct buf who = { 0 };
	size_t len = strlen(num);
	int n = 0;

	num = gto_trim(num, &len);
	memset(g, 0, sizeof(*g));
	snprintf(g->num, sizeof(g->num), "%.*s", (int)len, num);
	sqlite3_bind_text(st, 1, num, (int)len, SQLITE_TRANSIENT);
	db_bind_text(st, 2, prest);
	for (; db_step(db, st) == SQLITE_ROW; n++) {
		g->id = sqlite3_column_int64(st, 0);
		snprintf(g->status, sizeof(g->status), "%s", db_col_text(st, 1));
		snprintf(g->prest, sizeof(g->prest), "%s", db_col_text(st, 2));
		buf_addf(&who, "%s%s", n ? ", " : "", g->prest);
	}
	sqlite3_finalize(st);
	if (n == 0)
		snprintf(err, errlen, _("no guide numbered '%s'%s%s; see tiss-guia "
		    "list"), g->num, prest ? _(" of prestador ") : "",
		    prest ? prest : "");
	else if (n > 1)
		snprintf(err, errlen, _("guide '%s' exists for prestadores %s; "
		    "say which with -p"), g->num, who.data);
	buf_release(&who);
	return n == 1 ? 0 : n == 0 ? EXIT_NOINPUT : EXIT_USAGE;
}

/* "#K": the index K - 1, or an exit code with why in err. */
static int
proc_position(const struct guide *g, const char *num, const char *seq,
    int *index, char *err, size_t errlen)
{
	char *end;
	long k;

	errno = 0;
	k = strtol(seq + 1, &end, 10);
	if (seq[1] >= '1' && seq[1] <= '9' && *end == '\0' && errno == 0 &&
	    k <= g->nprocs) {
		*index = (int)k - 1;
		return 0;
	}
	if (g->nprocs == 0) {
		snprintf(err, errlen, _("guide '%s' has no procedure; add one "
		    "with tiss-guia add-proc %s"), num, num);
		return EXIT_NOINPUT;
	}
	snprintf(err, errlen, _("'%s' names no procedure of guide '%s': write "
	    "#1 to #%d, the position in tiss-guia show %s"), seq, num,
	    g->nprocs, num);
	return EXIT_DATAERR;
}

int
entry_proc(const struct guide *g, const char *num, const char *seq,
    int *index, char *err, size_t errlen)
{
	struct buf want = { 0 };
	const char *v;
	int i, n = 0;

	if (seq[0] == '#')
		return proc_position(g, num, seq, index, err, errlen);
	if (gto_value(GF_sequencialItem, seq, strlen(seq), &want) != NULL ||
	    want.len == 0) {
		buf_reset(&want);
		buf_adds(&want, seq);
	}
	for (i = 0; i < g->nprocs; i++)
		if ((v = guide_proc_get(g, i, GF_sequencialItem)) &&
		    strcmp(v, want.data) == 0 && n++ == 0)
			*index = i;
	buf_release(&want);
	if (n == 0)
		snprintf(err, errlen, _("guide '%s' has no procedure %s; see "
		    "tiss-guia show %s"), num, seq, num);
	else if (n > 1)
		snprintf(err, errlen, _("guide '%s' has %d procedures with "
		    "sequencialItem %s; name one as #K, its position in "
		    "tiss-guia show %s"), num, n, seq, num);
	return n == 1 ? 0 : n == 0 ? EXIT_NOINPUT : EXIT_DATAERR;
}

int
entry_assign(const char *arg, int level, int *f, struct buf *value,
    char *err, size_t errlen)
{
	const char *eq = strchr(arg, '='), *why, *name;
	size_t n;

	if (eq == NULL) {
		snprintf(err, errlen, _("'%s': expected campo=valor"), arg);
		return EXIT_USAGE;
	}
	n = (size_t)(eq - arg);
	name = gto_trim(arg, &n);
	buf_reset(value);
	buf_add(value, name, n);
	if ((*f = gto_field_find(value->data)) < 0) {
		snprintf(err, errlen, _("%s: unknown field; the fields are the "
		    "TISS names listed in docs/csv-format.md"), value->data);
		return EXIT_DATAERR;
	}
	if (level >= 0 && (int)gto_fields[*f].level != level) {
		snprintf(err, errlen, _("%s: is a %s field; %s"), value->data,
		    level == GTO_PROC ? "guide" : "procedure", level == GTO_PROC ?
		    "set it without --proc" : "set it with --proc SEQ");
		return EXIT_DATAERR;
	}
	if ((why = gto_value(*f, eq + 1, strlen(eq + 1), value)) != NULL) {
		snprintf(err, errlen, "%s: '%s': %s", gto_fields[*f].name,
		    eq + 1, why);
		return EXIT_DATAERR;
	}
	return 0;
}

int
entry_key(struct guide_sql *q, const struct guide *g, int f, const char *v,
    char *err, size_t errlen)
{
	const char *prest = guide_get(g, GF_codigoPrestadorNaOperadora);
	const char *num = guide_get(g, GF_numeroGuiaPrestador);
	long long other;

	if (f != GF_codigoPrestadorNaOperadora && f != GF_numeroGuiaPrestador)
		return 0;
	if (v == NULL) {
		snprintf(err, errlen, _("%s: a guide always has one; give the "
		    "new value instead of emptying it"), gto_fields[f].name);
		return EXIT_DATAERR;
	}
	other = guide_find(q, f == GF_numeroGuiaPrestador ? prest : v,
	    f == GF_numeroGuiaPrestador ? v : num, NULL);
	if (other == 0 || other == g->id)
		return 0;
	snprintf(err, errlen, _("%s '%s': that guide already exists; choose "
	    "another value"), gto_fields[f].name, v);
	return EXIT_DATAERR;
}

/* Append procedure 0 of row to d, when it has any value. */
static void
append_proc(struct guide *d, const struct guide *row)
{
	int f, p;

	if (row->nprocs == 0 || guide_proc_empty(row, 0))
		return;
	guide_add_proc(d)->line = row->procs[0].line;
	p = d->nprocs - 1;
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			guide_proc_set(d, p, f, guide_proc_get(row, 0, f));
}

/* A file of one guide being read. */
struct onecsv {
	struct guide_cols cols;	/* its header */
	struct guide row;	/* the current row */
	struct guide *d;	/* the guide being created */
	int	 header;	/* the header was read */
};

static int
csv_row(struct csvin *r, const struct csvin_row *row, void *ctx)
{
	struct onecsv *c = ctx;

	if (row->blank)
		return 0;
	if (!c->header) {
		c->header = 1;
		return guide_cols_header(&c->cols, r, row) != 0;
	}
	if (row->nf != c->cols.ncols)
		csvin_problem(r, row->line, 0, "row", _("%d fields but the header "
		    "has %d"), row->nf, c->cols.ncols);
	else if (guide_cols_row(&c->cols, r, row, &c->row) == 0) {
		/* One value per guide field: a second one is a problem. */
		guide_cols_merge(&c->cols, r, c->d, &c->row);
		append_proc(c->d, &c->row);
	}
	return r->stopped;
}

int
entry_read_csv(const char *file, struct guide *d, char *err, size_t errlen)
{
	struct onecsv c = { .d = d };
	struct csvin r;
	enum csvin_result rc;
	int fd = ifile_open(file, 0, 0), ret = 0;
	const char *path = ifile_shown(file);

	if (fd < 0) {
		snprintf(err, errlen, _("cannot open '%s': %s"), path,
		    strerror(errno));
		return EXIT_NOINPUT;
	}
	csvin_init(&r);
	r.name = path;
	guide_cols_init(&c.cols, 0);
	c.cols.field_max = r.field_max;
	guide_init(&c.row);
	rc = csvin_read(&r, fd, csv_row, &c);
	close(fd);
	if (rc == CSVIN_EIO) {
		snprintf(err, errlen, _("cannot read '%s': %s"), path,
		    strerror(errno));
		ret = EXIT_NOINPUT;
	} else if (rc == CSVIN_EFORMAT) {
		snprintf(err, errlen, "%s:%ld: %s", path, r.err_line, r.err);
		ret = EXIT_DATAERR;
	} else if (r.nproblems > 0 || !c.header) {
		snprintf(err, errlen, _("'%s': %s; no guide was created"), path,
		    c.header ? "its problems are listed above" : "no header");
		ret = EXIT_DATAERR;
	}
	guide_release(&c.row);
	guide_cols_release(&c.cols);
	csvin_release(&r);
	return ret;
}

int
entry_args(int argc, char **argv, struct guide *d, char *err, size_t errlen)
{
	struct buf v = { 0 };
	struct guide row;
	const char *had;
	int i, f, ret = 0;

	guide_init(&row);
	guide_add_proc(&row);
	for (i = 0; i < argc && ret == 0; i++) {
		if ((ret = entry_assign(argv[i], -1, &f, &v, err, errlen)))
			break;
		if (gto_fields[f].level == GTO_PROC)
			guide_proc_set(&row, 0, f, v.len ? v.data : NULL);
		else if ((had = guide_get(d, f)) == NULL)
			guide_set(d, f, v.len ? v.data : NULL, 0);
		else if (v.len == 0 || strcmp(had, v.data) != 0) {
			snprintf(err, errlen, _("%s: given twice"),
			    gto_fields[f].name);
			ret = EXIT_DATAERR;
		}
	}
	if (ret == 0)
		append_proc(d, &row);
	buf_release(&v);
	guide_release(&row);
	return ret;
}

int
entry_bulk_check(int argc, char **argv, char *err, size_t errlen)
{
	struct buf b = { 0 };
	int k, f, rc = 0;

	for (k = 0; k < argc && rc == 0; k++) {
		rc = entry_assign(argv[k], GTO_GUIA, &f, &b, err, errlen);
		if (rc == 0 && (f == GF_codigoPrestadorNaOperadora ||
		    f == GF_numeroGuiaPrestador)) {
			snprintf(err, errlen, _("%s identifies a guide and is "
			    "changed one guide at a time (tiss-guia set N)"),
			    gto_fields[f].name);
			rc = EXIT_USAGE;
		}
	}
	buf_release(&b);
	return rc;
}

void
entry_bulk_apply(struct guide_sql *q, const long long *ids, size_t n,
    int argc, char **argv, const char *source)
{
	struct buf b = { 0 };
	struct guide g;
	const char *old, *v;
	char err[256];
	size_t i;
	int k, f;

	guide_init(&g);
	for (i = 0; i < n; i++) {
		guide_load(q, ids[i], &g, 0);
		for (k = 0; k < argc; k++) {
			if (entry_assign(argv[k], GTO_GUIA, &f, &b, err,
			    sizeof(err)) != 0)
				continue;	/* entry_bulk_check said no */
			v = b.len ? b.data : NULL;
			old = guide_get(&g, f);
			if (old == v || (old && v && strcmp(old, v) == 0))
				continue;
			db_audit(q->db, ids[i], gto_fields[f].name, old, v,
			    source);
			guide_update_field(q, ids[i], f, v);
			guide_set(&g, f, v, 0);
		}
		state_guia_set(q->db, ids[i], GUIA_INCOMPLETO, 0);
	}
	guide_release(&g);
	buf_release(&b);
}
