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
 * SEQ a procedure's sequencialItem.  Every change goes into the audit
 * table and is followed at once by validation of the guide.  Only guides
 * 'incompleto' or 'completo' may be changed or deleted.
 *
 * Exit: 0 done (for edits: the guide is complete), 64 usage, 65 a value
 * or a change is refused (the message says why) or the edited guide is
 * still incomplete, 66 no such guide, 75 database busy, 78 not a
 * workspace.
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

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/text.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"

#define CSV_MAX	(1 << 20)	/* a one-guide CSV is small */

static const char *prestador;	/* -p */
static char source[128];	/* "tiss-guia set (user)", for the audit */

static const char *
or_empty(const char *s)
{
	return s ? s : "";
}

/* ---- finding a guide ------------------------------------------------------ */

struct guide_ref {
	long long id;
	char	 status[16];
};

/* Find guide num (of -p's prestador); exits 66 or 64 when not one. */
static struct guide_ref
find_guide(struct ws *ws, const char *num)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT id, status, "
	    "codigoPrestadorNaOperadora FROM guia WHERE numeroGuiaPrestador = "
	    "?1 AND (?2 IS NULL OR codigoPrestadorNaOperadora = ?2)");
	struct guide_ref ref = { 0, "" };
	struct buf who = { 0 };
	int n = 0;

	db_bind_text(st, 1, num);
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
		fatal(EXIT_NOINPUT, "no guide numbered '%s'%s%s", num,
		    prestador ? " of prestador " : "", prestador ? prestador : "");
	if (n > 1)
		fatal(EXIT_USAGE, "guide '%s' exists for prestadores %s; say "
		    "which with -p", num, who.data);
	buf_release(&who);
	return ref;
}

static void
require_editable(const struct guide_ref *ref, const char *num, const char *what)
{
	if (strcmp(ref->status, "incompleto") != 0 &&
	    strcmp(ref->status, "completo") != 0)
		fatal(EXIT_DATAERR, "cannot %s guide '%s': it is %s, and only "
		    "guides 'incompleto' or 'completo' may change; remove it "
		    "from its lote first (tiss-lote rm)", what, num, ref->status);
}

static void
audit(struct ws *ws, long long id, const char *campo, const char *before,
    const char *after)
{
	db_audit(ws->db, id, campo, before, after, source);
}

/*
 * The item of the one procedure of guide id that seq names: its
 * sequencialItem, or "#K" for the K-th procedure as show lists them.
 * Exits 66 when there is none, 65 when two share the sequencialItem.
 */
static int
find_proc(struct ws *ws, long long id, const char *num, const char *seq)
{
	sqlite3_stmt *st;
	int item = 0, n = 0;

	if (seq[0] == '#') {
		st = db_prepare(ws->db, "SELECT item FROM procedimento WHERE "
		    "guia_id = ? ORDER BY item LIMIT 1 OFFSET ?");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, atoi(seq + 1) - 1);
	} else {
		st = db_prepare(ws->db, "SELECT item FROM procedimento WHERE "
		    "guia_id = ? AND sequencialItem = ?");
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_text(st, 2, seq, -1, SQLITE_STATIC);
	}
	while (db_step(ws->db, st) == SQLITE_ROW) {
		item = sqlite3_column_int(st, 0);
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0)
		fatal(EXIT_NOINPUT, "guide '%s' has no procedure %s; see "
		    "tiss-guia show %s", num, seq, num);
	if (n > 1)
		fatal(EXIT_DATAERR, "guide '%s' has %d procedures with "
		    "sequencialItem %s; name one as #K, its position in "
		    "tiss-guia show %s", num, n, seq, num);
	return item;
}

/* ---- campo=valor ------------------------------------------------------------ */

struct assign {
	int	 f;		/* gto field */
	char	*value;		/* canonical, owned; NULL clears */
};

/*
 * Parse "campo=valor" into a canonical assignment of a field of the
 * given level; exits 65 with the reason when it is not one.
 */
static struct assign
parse_assign(const char *arg, int level)
{
	struct assign a;
	char *name, out[32];
	const char *eq = strchr(arg, '='), *why, *canon;
	struct buf text = { 0 };
	size_t n;

	if (eq == NULL)
		fatal(EXIT_USAGE, "'%s': expected campo=valor", arg);
	while (*arg == ' ')
		arg++;
	n = (size_t)(eq - arg);
	while (n && arg[n - 1] == ' ')
		n--;
	name = xstrndup(arg, n);
	a.f = gto_field_find(name);
	if (a.f < 0)
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
	while (n && (text.data[n - 1] == ' ' || text.data[n - 1] == '\t'))
		text.data[--n] = '\0';
	a.value = NULL;
	if (n > 0) {
		const char *start = text.data;

		while (*start == ' ' || *start == '\t')
			start++;
		if ((why = gto_canonical(a.f, start, out, &canon)) != NULL)
			fatal(EXIT_DATAERR, "%s: '%s': %s", name, start, why);
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
	sqlite3_stmt *q;
	int complete;

	memset(&st, 0, sizeof(st));
	val_ctx_init(&ctx, ws, source);
	val_guides(ws, &ctx, id, &st);
	val_ctx_release(&ctx);
	complete = st.checked == 1 && st.complete == 1;
	printf("%s: %s\n", num, complete ? "completo" : "incompleto");
	q = db_prepare(ws->db, "SELECT severidade, regra, campo, mensagem "
	    "FROM pendencia WHERE guia_id = ? ORDER BY n");
	sqlite3_bind_int64(q, 1, id);
	while (db_step(ws->db, q) == SQLITE_ROW)
		printf("  %s %s %s: %s\n", db_col_text(q, 0), db_col_text(q, 1),
		    db_col_text(q, 2), db_col_text(q, 3));
	sqlite3_finalize(q);
	return complete ? EXIT_OK : EXIT_DATAERR;
}

/* Mark a guide incompleto until validated: never left 'completo' stale. */
static void
touch_guide(struct ws *ws, long long id)
{
	sqlite3_stmt *st = db_prepare(ws->db, "UPDATE guia SET status = "
	    "'incompleto', alteradoEm = ? WHERE id = ?");
	char stamp[32];

	time_iso(stamp);
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
}

/* ---- set, add-proc, rm-proc, rm ---------------------------------------- */

static int
cmd_set(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	const char *seq = NULL, *table = "guia";
	char sql[256], *num;
	int i, ret, item, level = GTO_GUIA;

	if (argc < 2)
		fatal(EXIT_USAGE, "usage: tiss-guia set N [--proc SEQ] "
		    "campo=valor...");
	num = xstrdup(argv[0]);		/* what the guide is called now */
	if (argc >= 4 && strcmp(argv[1], "--proc") == 0) {
		seq = argv[2];
		level = GTO_PROC;
		table = "procedimento";
		argv += 2;
		argc -= 2;
	}
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = find_guide(ws, num);
	require_editable(&ref, num, "edit");
	item = seq ? find_proc(ws, ref.id, num, seq) : 0;
	for (i = 1; i < argc; i++) {
		struct assign a = parse_assign(argv[i], level);
		const char *col = gto_fields[a.f].column;
		char campo[96];
		sqlite3_stmt *st;
		char *before = NULL;
		int rc;

		if (seq)
			snprintf(sql, sizeof(sql), "SELECT %s FROM procedimento "
			    "WHERE guia_id = ?1 AND item = ?2", col);
		else
			snprintf(sql, sizeof(sql), "SELECT %s FROM guia WHERE "
			    "id = ?1 AND ?2 = 0", col);
		st = db_prepare(ws->db, sql);
		sqlite3_bind_int64(st, 1, ref.id);
		sqlite3_bind_int(st, 2, item);
		db_step(ws->db, st);
		if (db_col_text(st, 0))
			before = xstrdup(db_col_text(st, 0));
		sqlite3_finalize(st);

		snprintf(sql, sizeof(sql), "UPDATE %s SET %s = ?1 WHERE %s",
		    table, col, seq ? "guia_id = ?2 AND item = ?3" :
		    "id = ?2 AND ?3 = 0");
		st = db_prepare(ws->db, sql);
		db_bind_field(st, 1, a.f, a.value);
		sqlite3_bind_int64(st, 2, ref.id);
		sqlite3_bind_int(st, 3, item);
		rc = db_step(ws->db, st);
		sqlite3_finalize(st);
		if (rc == SQLITE_CONSTRAINT)
			fatal(EXIT_DATAERR, "%s: '%s' is refused: %s",
			    gto_fields[a.f].name, a.value ? a.value : "",
			    sqlite3_errmsg(ws->db));
		if (seq)
			snprintf(campo, sizeof(campo), "procedimentosExecutados"
			    "[%s].%s", seq, gto_fields[a.f].name);
		else
			snprintf(campo, sizeof(campo), "%s",
			    gto_fields[a.f].name);
		audit(ws, ref.id, campo, before, a.value);
		if (a.f == GF_numeroGuiaPrestador) {
			free(num);
			num = xstrdup(a.value);
		}
		free(before);
		free(a.value);
	}
	touch_guide(ws, ref.id);
	db_exec(ws->db, "COMMIT");
	ret = revalidate(ws, ref.id, num);
	free(num);
	return ret;
}

/* Insert one procedure of guide id from assignments; item = max + 1. */
static void
insert_proc(struct ws *ws, long long id, struct assign *as, int n)
{
	struct buf sql = { 0 }, qs = { 0 };
	sqlite3_stmt *st;
	int i;

	buf_adds(&sql, "INSERT INTO procedimento (guia_id, item");
	for (i = 0; i < n; i++) {
		buf_addf(&sql, ", %s", gto_fields[as[i].f].column);
		buf_adds(&qs, ", ?");
	}
	buf_addf(&sql, ") VALUES (?1, (SELECT coalesce(max(item), 0) + 1 FROM "
	    "procedimento WHERE guia_id = ?1)%s)", qs.data ? qs.data : "");
	st = db_prepare(ws->db, sql.data);
	sqlite3_bind_int64(st, 1, id);
	for (i = 0; i < n; i++)
		db_bind_field(st, i + 2, as[i].f, as[i].value);
	if (db_step(ws->db, st) == SQLITE_CONSTRAINT)
		fatal(EXIT_DATAERR, "procedure refused: %s",
		    sqlite3_errmsg(ws->db));
	sqlite3_finalize(st);
	buf_release(&sql);
	buf_release(&qs);
}

static int
cmd_add_proc(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct assign *as;
	struct buf desc = { 0 };
	int i;

	if (argc < 2)
		fatal(EXIT_USAGE, "usage: tiss-guia add-proc N campo=valor...");
	as = xcalloc((size_t)argc, sizeof(*as));
	for (i = 1; i < argc; i++) {
		as[i - 1] = parse_assign(argv[i], GTO_PROC);
		buf_addf(&desc, "%s%s=%s", i > 1 ? " " : "",
		    gto_fields[as[i - 1].f].name,
		    as[i - 1].value ? as[i - 1].value : "");
	}
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = find_guide(ws, argv[0]);
	require_editable(&ref, argv[0], "edit");
	insert_proc(ws, ref.id, as, argc - 1);
	audit(ws, ref.id, "procedimentosExecutados", NULL, desc.data);
	touch_guide(ws, ref.id);
	db_exec(ws->db, "COMMIT");
	for (i = 0; i < argc - 1; i++)
		free(as[i].value);
	free(as);
	buf_release(&desc);
	return revalidate(ws, ref.id, argv[0]);
}

static int
cmd_rm_proc(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	sqlite3_stmt *st;
	char before[160];
	int item;

	if (argc != 2)
		fatal(EXIT_USAGE, "usage: tiss-guia rm-proc N SEQ");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = find_guide(ws, argv[0]);
	require_editable(&ref, argv[0], "edit");
	item = find_proc(ws, ref.id, argv[0], argv[1]);
	st = db_prepare(ws->db, "SELECT sequencialItem, codigoProcedimento, "
	    "dataRealizacao FROM procedimento WHERE guia_id = ? AND item = ?");
	sqlite3_bind_int64(st, 1, ref.id);
	sqlite3_bind_int(st, 2, item);
	db_step(ws->db, st);
	snprintf(before, sizeof(before), "sequencialItem=%s "
	    "codigoProcedimento=%s dataRealizacao=%s",
	    or_empty(db_col_text(st, 0)), or_empty(db_col_text(st, 1)),
	    or_empty(db_col_text(st, 2)));
	sqlite3_finalize(st);
	st = db_prepare(ws->db, "DELETE FROM procedimento WHERE guia_id = ? "
	    "AND item = ?");
	sqlite3_bind_int64(st, 1, ref.id);
	sqlite3_bind_int(st, 2, item);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	audit(ws, ref.id, "procedimentosExecutados", before, NULL);
	touch_guide(ws, ref.id);
	db_exec(ws->db, "COMMIT");
	return revalidate(ws, ref.id, argv[0]);
}

static int
cmd_rm(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	sqlite3_stmt *st;
	char what[160];

	if (argc != 1)
		fatal(EXIT_USAGE, "usage: tiss-guia rm N");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	ref = find_guide(ws, argv[0]);
	require_editable(&ref, argv[0], "delete");
	snprintf(what, sizeof(what), "guia %s (%s)", argv[0], ref.status);
	/* The audit row outlives the guide: it keeps the id, not a link. */
	audit(ws, ref.id, "*", what, NULL);
	st = db_prepare(ws->db, "DELETE FROM guia WHERE id = ?");
	sqlite3_bind_int64(st, 1, ref.id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	db_exec(ws->db, "COMMIT");
	printf("%s: deleted\n", argv[0]);
	return EXIT_OK;
}

/* ---- new ------------------------------------------------------------------- */

/* A guide being created: guide values and its procedures' assignments. */
struct draft {
	const char *gv[GTO_MAXFIELDS];	/* canonical guide values, owned */
	long	 gline[GTO_MAXFIELDS];	/* CSV line of each, for messages */
	struct assign **procs;		/* per procedure, n assignments */
	int	*nassign;
	int	 nprocs;
};

static int
create_guide(struct ws *ws, struct draft *d, const char *origin)
{
	struct buf sql = { 0 }, qs = { 0 };
	sqlite3_stmt *st;
	char stamp[32];
	long long id;
	int f, i, n = 1;

	if (d->gv[GF_codigoPrestadorNaOperadora] == NULL ||
	    d->gv[GF_numeroGuiaPrestador] == NULL)
		fatal(EXIT_DATAERR, "a new guide needs codigoPrestadorNaOperadora "
		    "and numeroGuiaPrestador");
	buf_adds(&sql, "INSERT INTO guia (status, origem, origemArquivo, "
	    "criadoEm, alteradoEm");
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA && d->gv[f]) {
			buf_addf(&sql, ", %s", gto_fields[f].column);
			buf_adds(&qs, ", ?");
		}
	buf_addf(&sql, ") VALUES ('incompleto', 'manual', ?, ?, ?%s)", qs.data);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	st = db_prepare(ws->db, sql.data);
	time_iso(stamp);
	db_bind_text(st, n++, origin);
	sqlite3_bind_text(st, n++, stamp, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, n++, stamp, -1, SQLITE_TRANSIENT);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA && d->gv[f])
			db_bind_field(st, n++, f, d->gv[f]);
	if (db_step(ws->db, st) == SQLITE_CONSTRAINT)
		fatal(EXIT_DATAERR, "guide '%s' of prestador %s already "
		    "exists; change it with tiss-guia set",
		    d->gv[GF_numeroGuiaPrestador],
		    d->gv[GF_codigoPrestadorNaOperadora]);
	sqlite3_finalize(st);
	id = sqlite3_last_insert_rowid(ws->db);
	for (i = 0; i < d->nprocs; i++)
		insert_proc(ws, id, d->procs[i], d->nassign[i]);
	audit(ws, id, "*", NULL, origin ? origin : "criada à mão");
	db_exec(ws->db, "COMMIT");
	buf_release(&sql);
	buf_release(&qs);
	return revalidate(ws, id, d->gv[GF_numeroGuiaPrestador]);
}

static void
draft_release(struct draft *d)
{
	int f, i, k;

	for (f = 0; f < GTO_MAXFIELDS; f++)
		free((char *)d->gv[f]);
	for (i = 0; i < d->nprocs; i++) {
		for (k = 0; k < d->nassign[i]; k++)
			free(d->procs[i][k].value);
		free(d->procs[i]);
	}
	free(d->procs);
	free(d->nassign);
}

/*
 * Add a row's assignments, taking ownership of their values: guide
 * fields are merged into the draft, procedure fields make a procedure.
 */
static void
draft_row(struct draft *d, struct assign *as, int n, long line)
{
	struct assign *proc = xcalloc((size_t)n + 1, sizeof(*proc));
	int i, np = 0;

	for (i = 0; i < n; i++) {
		int f = as[i].f;

		if (gto_fields[f].level == GTO_PROC) {
			if (as[i].value)
				proc[np++] = as[i];
			continue;
		}
		if (as[i].value == NULL)
			continue;
		if (d->gv[f] && strcmp(d->gv[f], as[i].value) != 0)
			fatal(EXIT_DATAERR, "line %ld: %s: '%s' differs from "
			    "'%s' on line %ld: a one-guide file has one value "
			    "per guide field", line, gto_fields[f].name,
			    as[i].value, d->gv[f], d->gline[f]);
		if (d->gv[f] == NULL) {
			d->gv[f] = as[i].value;
			d->gline[f] = line;
		} else
			free(as[i].value);
	}
	if (np == 0) {
		free(proc);
		return;
	}
	d->procs = xrealloc(d->procs, (size_t)(d->nprocs + 1) * sizeof(*d->procs));
	d->nassign = xrealloc(d->nassign,
	    (size_t)(d->nprocs + 1) * sizeof(*d->nassign));
	d->procs[d->nprocs] = proc;
	d->nassign[d->nprocs++] = np;
}

struct csvread {
	struct buf row;		/* "campo=valor\0" pairs of the current row */
	char	**header;	/* column names */
	int	 ncols, col;
	long	 line, row_line;
	int	 in_row;
	struct draft *d;
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
	if (r->header == NULL) {
		buf_add(&r->row, s, n);
		buf_addc(&r->row, '\0');
	} else if (r->col < r->ncols) {
		buf_addf(&r->row, "%s=", r->header[r->col]);
		buf_add(&r->row, s, n);
		buf_addc(&r->row, '\0');
	}
	r->col++;
}

static void
csv_end(int c, void *data)
{
	struct csvread *r = data;
	struct assign *as;
	const char *p;
	int i;

	if (r->in_row) {
		r->in_row = 0;
		if (r->header == NULL) {
			r->ncols = r->col;
			r->header = xcalloc((size_t)r->col, sizeof(char *));
			for (i = 0, p = r->row.data; i < r->col; i++) {
				r->header[i] = xstrdup(p);
				p += strlen(p) + 1;
			}
		} else if (r->col != r->ncols) {
			fatal(EXIT_DATAERR, "line %ld: %d fields but the header "
			    "has %d", r->row_line, r->col, r->ncols);
		} else {
			as = xcalloc((size_t)r->col, sizeof(*as));
			for (i = 0, p = r->row.data; i < r->col; i++) {
				as[i] = parse_assign(p, -1);
				p += strlen(p) + 1;
			}
			draft_row(r->d, as, r->col, r->row_line);
			free(as);
		}
	}
	if (c == '\n')
		r->line++;
}

/* Read a one-guide CSV (UTF-8, ';' or ',' as in csv-format.md). */
static void
read_csv(const char *path, struct draft *d)
{
	struct csvread r;
	struct csv_parser p;
	char *data = xmalloc(CSV_MAX + 1), *start;
	ssize_t got;
	size_t n = 0, semi = 0, comma = 0, i;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		fatal(EXIT_NOINPUT, "cannot open '%s': %s", path, strerror(errno));
	while ((got = read(fd, data + n, CSV_MAX + 1 - n)) > 0)
		n += (size_t)got;
	close(fd);
	if (got < 0 || n > CSV_MAX)
		fatal(EXIT_DATAERR, "'%s': unreadable or larger than 1 MiB; use "
		    "tiss-import for files of many guides", path);
	start = data;
	if (n >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		start += 3;
		n -= 3;
	}
	for (i = 0; i < n && start[i] != '\n'; i++) {
		semi += start[i] == ';';
		comma += start[i] == ',';
	}
	memset(&r, 0, sizeof(r));
	r.line = 1;
	r.d = d;
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
	free(data);
}

static int
cmd_new(struct ws *ws, int argc, char **argv)
{
	struct draft d;
	struct assign *as;
	char *origin = NULL;
	int i, ret;

	memset(&d, 0, sizeof(d));
	if (argc == 2 && strcmp(argv[0], "--csv") == 0) {
		read_csv(argv[1], &d);
		origin = xasprintf("%s", argv[1]);
	} else if (argc >= 1) {
		as = xcalloc((size_t)argc, sizeof(*as));
		for (i = 0; i < argc; i++)
			as[i] = parse_assign(argv[i], -1);
		draft_row(&d, as, argc, 0);
		free(as);
	} else
		fatal(EXIT_USAGE, "usage: tiss-guia new campo=valor... | "
		    "new --csv file");
	ret = create_guide(ws, &d, origin);
	draft_release(&d);
	free(origin);
	return ret;
}

/* ---- list and show ------------------------------------------------------- */

struct filters {
	char	 de[11], ate[11];	/* dataSolicitacao range */
	char	 exec_de[11], exec_ate[11];	/* dataRealizacao range */
	const char *status, *guia, *carteira;
};

static void
date_arg(const char *opt, const char *v, char iso[11])
{
	const char *why = parse_date(v, iso);

	if (why)
		fatal(EXIT_USAGE, "%s '%s': %s", opt, v, why);
}


/* Fit s into w columns (UTF-8 aware), padded; into out. */
static void
cell(struct buf *out, const char *s, int w, int right)
{
	int n = 0, i;
	const char *p = s ? s : "";
	const char *end = p;

	while (*end && n < w) {
		end++;
		while ((*end & 0xC0) == 0x80)
			end++;
		n++;
	}
	if (right)
		for (i = n; i < w; i++)
			buf_addc(out, ' ');
	buf_add(out, p, (size_t)(end - p));
	if (!right)
		for (i = n; i < w; i++)
			buf_addc(out, ' ');
}

static int
cmd_list(struct ws *ws, int argc, char **argv)
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
	static const char *const cols[] = {
		"codigoPrestadorNaOperadora", "numeroGuiaPrestador",
		"dataSolicitacao", "numeroCarteira", "status", "procedimentos",
		"valorTotalProc", "pendencias", "origem", NULL
	};
	struct filters fl;
	const char *format = "table";
	sqlite3_stmt *st;
	xmlTextWriterPtr xw = NULL;
	xmlBufferPtr xb = NULL;
	struct buf line = { 0 };
	int ch, i, n = 0;

	memset(&fl, 0, sizeof(fl));
	optind = 0;	/* glibc: start a new scan */
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A': date_arg("--ate", optarg, fl.ate); break;
		case 'D': date_arg("--de", optarg, fl.de); break;
		case 'E': date_arg("--exec-ate", optarg, fl.exec_ate); break;
		case 'e': date_arg("--exec-de", optarg, fl.exec_de); break;
		case 'c': fl.carteira = optarg; break;
		case 'f': format = optarg; break;
		case 'g': fl.guia = optarg; break;
		case 's': fl.status = optarg; break;
		default:
			fatal(EXIT_USAGE, "usage: tiss-guia list [--de d] [--ate d] "
			    "[--exec-de d] [--exec-ate d] [--status s] [--guia n] "
			    "[--carteira c] [--format table|csv|xml]");
		}
	}
	if (strcmp(format, "table") && strcmp(format, "csv") &&
	    strcmp(format, "xml"))
		fatal(EXIT_USAGE, "--format: '%s' is not table, csv or xml",
		    format);
	st = db_prepare(ws->db, "SELECT g.codigoPrestadorNaOperadora, "
	    "g.numeroGuiaPrestador, g.dataSolicitacao, g.numeroCarteira, "
	    "g.status, (SELECT count(*) FROM procedimento p WHERE p.guia_id = "
	    "g.id), (SELECT sum(valorProc) FROM procedimento p WHERE "
	    "p.guia_id = g.id), (SELECT count(*) FROM pendencia d WHERE "
	    "d.guia_id = g.id AND d.severidade = 'erro'), g.origem "
	    "FROM guia g WHERE "
	    "(?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR g.dataSolicitacao >= ?2) AND "
	    "(?3 IS NULL OR g.dataSolicitacao <= ?3) AND "
	    "(?4 IS NULL AND ?5 IS NULL OR EXISTS (SELECT 1 FROM procedimento p "
	    "WHERE p.guia_id = g.id AND (?4 IS NULL OR p.dataRealizacao >= ?4) "
	    "AND (?5 IS NULL OR p.dataRealizacao <= ?5))) AND "
	    "(?6 IS NULL OR g.status = ?6) AND "
	    "(?7 IS NULL OR g.numeroGuiaPrestador = ?7) AND "
	    "(?8 IS NULL OR g.numeroCarteira = ?8) "
	    "ORDER BY 1, 2");
	db_bind_text(st, 1, prestador);
	db_bind_text(st, 2, fl.de[0] ? fl.de : NULL);
	db_bind_text(st, 3, fl.ate[0] ? fl.ate : NULL);
	db_bind_text(st, 4, fl.exec_de[0] ? fl.exec_de : NULL);
	db_bind_text(st, 5, fl.exec_ate[0] ? fl.exec_ate : NULL);
	db_bind_text(st, 6, fl.status);
	db_bind_text(st, 7, fl.guia);
	db_bind_text(st, 8, fl.carteira);

	if (strcmp(format, "xml") == 0) {
		xb = xmlBufferCreate();
		xw = xmlNewTextWriterMemory(xb, 0);
		xmlTextWriterSetIndent(xw, 1);
		xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(xw, BAD_CAST "guias");
	} else if (strcmp(format, "csv") == 0) {
		for (i = 0; cols[i]; i++) {
			csv_fwrite(stdout, cols[i], strlen(cols[i]));
			putchar(cols[i + 1] ? ';' : '\n');
		}
	} else
		printf("%-10s %-16s %-10s %-10s %4s %13s %4s\n", "PRESTADOR",
		    "GUIA", "SOLICIT.", "STATUS", "PROC", "VALOR", "PEND");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		const char *v[9];
		char total[32] = "", d[11] = "";

		for (i = 0; i < 9; i++)
			v[i] = db_col_text(st, i);
		if (v[6])
			format_hundredths(sqlite3_column_int64(st, 6), total);
		n++;
		if (xw) {
			xmlTextWriterStartElement(xw, BAD_CAST "guia");
			for (i = 0; cols[i]; i++)
				if (v[i] || i == 6)
					xmlTextWriterWriteElement(xw,
					    BAD_CAST cols[i], BAD_CAST (i == 6 ?
					    total : v[i]));
			xmlTextWriterEndElement(xw);
		} else if (strcmp(format, "csv") == 0) {
			for (i = 0; cols[i]; i++) {
				const char *s = i == 6 ? total : or_empty(v[i]);

				csv_fwrite(stdout, s, strlen(s));
				putchar(cols[i + 1] ? ';' : '\n');
			}
		} else {
			if (v[2] && strlen(v[2]) == 10)
				snprintf(d, sizeof(d), "%.2s/%.2s/%.4s",
				    v[2] + 8, v[2] + 5, v[2]);
			buf_reset(&line);
			cell(&line, v[0], 10, 0);
			buf_addc(&line, ' ');
			cell(&line, v[1], 16, 0);
			buf_addc(&line, ' ');
			cell(&line, d, 10, 0);
			buf_addc(&line, ' ');
			cell(&line, v[4], 10, 0);
			buf_addc(&line, ' ');
			cell(&line, v[5], 4, 1);
			buf_addc(&line, ' ');
			cell(&line, total, 13, 1);
			buf_addc(&line, ' ');
			cell(&line, v[7], 4, 1);
			puts(line.data);
		}
	}
	sqlite3_finalize(st);
	if (xw) {
		xmlTextWriterEndDocument(xw);
		xmlFreeTextWriter(xw);
		fputs((const char *)xmlBufferContent(xb), stdout);
		xmlBufferFree(xb);
	}
	buf_release(&line);
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

static int
cmd_show(struct ws *ws, int argc, char **argv)
{
	struct guide_ref ref;
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	char total[32];
	int f, i, np = 0;

	if (argc != 1)
		fatal(EXIT_USAGE, "usage: tiss-guia show N");
	ref = find_guide(ws, argv[0]);
	buf_adds(&sql, "SELECT status, origem, origemArquivo, origemLinha, "
	    "criadoEm, alteradoEm, validadoEm, valorTotalProc");
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			buf_addf(&sql, ", %s", gto_fields[f].column);
	buf_adds(&sql, " FROM guia WHERE id = ?");
	st = db_prepare(ws->db, sql.data);
	sqlite3_bind_int64(st, 1, ref.id);
	db_step(ws->db, st);
	format_hundredths(sqlite3_column_int64(st, 7), total);
	printf("guia %s: %s\n", argv[0], db_col_text(st, 0));
	printf("  origem %s%s%s%s%s, criada %s, alterada %s, validada %s\n",
	    db_col_text(st, 1), db_col_text(st, 2) ? " " : "",
	    or_empty(db_col_text(st, 2)), db_col_text(st, 3) ? ":" : "",
	    or_empty(db_col_text(st, 3)), db_col_text(st, 4),
	    db_col_text(st, 5), db_col_text(st, 6) ? db_col_text(st, 6) :
	    "nunca");
	printf("  valorTotalProc (soma)       %s\n",
	    sqlite3_column_type(st, 7) == SQLITE_NULL ? "-" : total);
	for (f = 0, i = 8; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			show_value(f, db_col_text(st, i++));
	sqlite3_finalize(st);

	buf_reset(&sql);
	buf_adds(&sql, "SELECT item");
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			buf_addf(&sql, ", %s", gto_fields[f].column);
	buf_adds(&sql, " FROM procedimento WHERE guia_id = ? ORDER BY item");
	st = db_prepare(ws->db, sql.data);
	sqlite3_bind_int64(st, 1, ref.id);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		printf("procedimentosExecutados[%d]\n", ++np);
		for (f = 0, i = 1; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC)
				show_value(f, db_col_text(st, i++));
	}
	sqlite3_finalize(st);
	if (np == 0)
		printf("procedimentosExecutados: nenhum\n");

	st = db_prepare(ws->db, "SELECT severidade, regra, campo, mensagem, "
	    "valor FROM pendencia WHERE guia_id = ? ORDER BY n");
	sqlite3_bind_int64(st, 1, ref.id);
	printf("pendências\n");
	for (i = 0; db_step(ws->db, st) == SQLITE_ROW; i++)
		printf("  %s %s %s: %s%s%s%s\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2), db_col_text(st, 3),
		    db_col_text(st, 4) ? " (valor: " : "",
		    or_empty(db_col_text(st, 4)), db_col_text(st, 4) ? ")" : "");
	if (i == 0)
		printf("  nenhuma\n");
	sqlite3_finalize(st);

	st = db_prepare(ws->db, "SELECT quando, fonte, campo, antes, depois "
	    "FROM auditoria WHERE guia_id = ? ORDER BY id");
	sqlite3_bind_int64(st, 1, ref.id);
	printf("histórico\n");
	for (i = 0; db_step(ws->db, st) == SQLITE_ROW; i++)
		printf("  %s %s %s: '%s' -> '%s'\n", db_col_text(st, 0),
		    db_col_text(st, 1), db_col_text(st, 2),
		    or_empty(db_col_text(st, 3)), or_empty(db_col_text(st, 4)));
	if (i == 0)
		printf("  nenhuma alteração\n");
	sqlite3_finalize(st);
	buf_release(&sql);
	return EXIT_OK;
}

/* ---- main ------------------------------------------------------------------ */

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tiss-guia [-C dir] [-qv] [-p prestador] command ...\n"
	    "  list [--de d] [--ate d] [--exec-de d] [--exec-ate d] [--status s]\n"
	    "       [--guia n] [--carteira c] [--format table|csv|xml]\n"
	    "  show n\n"
	    "  set n [--proc seq] campo=valor ...\n"
	    "  add-proc n campo=valor ...\n"
	    "  rm-proc n seq\n"
	    "  rm n\n"
	    "  new campo=valor ... | new --csv file\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*fn)(struct ws *, int, char **);
	} cmds[] = {
		{ "list", cmd_list }, { "show", cmd_show }, { "set", cmd_set },
		{ "add-proc", cmd_add_proc }, { "rm-proc", cmd_rm_proc },
		{ "rm", cmd_rm }, { "new", cmd_new },
	};
	struct passwd *pw;
	const char *dir = NULL, *user;
	struct ws ws;
	int ch, i, level = LOG_NORMAL, ret = -1;

	/* '+': options stop at the command, which has options of its own. */
	while ((ch = getopt(argc, argv, "+C:hp:qv")) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'p':
			prestador = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
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
	if (argc < 1)
		usage();
	log_init("tiss-guia", level);
	pw = getpwuid(getuid());
	user = getenv("USER") ? getenv("USER") : pw ? pw->pw_name : "?";
	snprintf(source, sizeof(source), "tiss-guia %s (%s)", argv[0], user);
	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++)
		if (strcmp(argv[0], cmds[i].name) == 0) {
			ws_open(&ws, ws_dir(dir));
			/* list parses its options with getopt from argv[0]. */
			if (cmds[i].fn == cmd_list)
				ret = cmd_list(&ws, argc, argv);
			else
				ret = cmds[i].fn(&ws, argc - 1, argv + 1);
			ws_close(&ws);
			break;
		}
	if (ret < 0)
		usage();
	return close_stdout(ret);
}
