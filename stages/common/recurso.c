#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "csv.h"
#include "db.h"
#include "exitcodes.h"
#include "fmt.h"
#include "i18n.h"
#include "ifile.h"
#include "lotes.h"
#include "log.h"
#include "parse.h"
#include "recurso.h"
#include "text.h"
#include "util.h"

#define RECURSO_MAX_BYTES	(16L << 20)
#define RECURSO_MAX_COLS	16
#define RECURSO_MAX_PROBLEMS	100

/* The worksheet's columns, in order. */
static const char *const columns[] = {
	"codigoPrestadorNaOperadora", "numeroLote", "numeroProtocolo",
	"numeroGuiaPrestador", "sequencialItem", "codigoProcedimento",
	"codigoGlosa", "descricaoGlosa", "valorGlosa", "valorRecursado",
	"justificativa", NULL
};
enum { C_PREST, C_LOTE, C_PROT, C_GUIA, C_SEQ, C_PROC, C_GLOSA, C_DESC,
	C_VGLOSA, C_VALOR, C_JUST, C_N };

/*
 * The glossed items: those of the demonstrativo of each guide that the
 * view conciliacao_guia picks (the first de pagamento, else the latest
 * análise), with their glosas.
 */
#define GLOSSED_SQL \
	"SELECT c.prestador, c.numeroLote, c.numeroProtocolo, " \
	"c.numeroGuiaPrestador, i.sequencialItem, i.codigoProcedimento, " \
	"gl.codigoGlosa, gl.descricaoGlosa, i.valorGlosa, dg.id, c.guia_id " \
	"FROM conciliacao_guia c JOIN demonstrativo_guia dg ON " \
	"dg.id = c.demonstrativo_guia_id " \
	"JOIN demonstrativo_item i ON i.guia_id = dg.id " \
	"JOIN demonstrativo_glosa gl ON gl.guia_id = dg.id AND " \
	"gl.sequencialItem = i.sequencialItem "

static void
csv_field(FILE *out, const char *s, int last)
{
	const char *p;

	if (s == NULL)
		s = "";
	if (strpbrk(s, ";\"\n\r") == NULL)
		fputs(s, out);
	else {
		fputc('"', out);
		for (p = s; *p; p++) {
			if (*p == '"')
				fputc('"', out);
			fputc(*p, out);
		}
		fputc('"', out);
	}
	fputs(last ? "\r\n" : ";", out);
}

static void
money_field(FILE *out, sqlite3_stmt *st, int col)
{
	char v[32], *dot;

	format_hundredths(sqlite3_column_int64(st, col), v);
	if ((dot = strchr(v, '.')) != NULL)
		*dot = ',';
	csv_field(out, v, 0);
}

long
recurso_export(sqlite3 *db, const struct recurso_filtro *f, FILE *out)
{
	sqlite3_stmt *st = db_prepare(db, GLOSSED_SQL "WHERE (?1 IS NULL OR "
	    "c.prestador = ?1) AND (?2 = 0 OR c.numeroLote = ?2) AND (?3 IS "
	    "NULL OR gl.codigoGlosa = ?3) AND (?4 IS NULL OR c.competencia = "
	    "?4) AND i.valorGlosa > 0 AND NOT EXISTS (SELECT 1 FROM "
	    "recurso_item ri WHERE ri.ativo = 1 AND ri.codigoPrestador = "
	    "c.prestador AND ri.numeroGuiaPrestador = c.numeroGuiaPrestador "
	    "AND ri.sequencialItem = i.sequencialItem AND ri.codigoGlosa = "
	    "gl.codigoGlosa) ORDER BY 1, 2, 4, 5, 7");
	long n = 0;
	int i;

	db_bind_text(st, 1, f->prestador);
	sqlite3_bind_int64(st, 2, f->lote);
	db_bind_text(st, 3, f->glosa);
	db_bind_text(st, 4, f->competencia);
	for (i = 0; columns[i]; i++)
		csv_field(out, columns[i], columns[i + 1] == NULL);
	while (db_step(db, st) == SQLITE_ROW) {
		for (i = 0; i < C_VGLOSA; i++)
			csv_field(out, db_col_text(st, i), 0);
		money_field(out, st, 8);
		money_field(out, st, 8);
		csv_field(out, "", 1);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

/* ---- reading ------------------------------------------------------------- */

struct reader {
	sqlite3	*db;
	struct csvin *in;		/* the one CSV reader (csv.h) */
	long	 line;			/* of the row being read */
	char	*field[RECURSO_MAX_COLS];	/* decoded, trimmed */
	int	 nfield;
	int	 map[C_N];		/* column index of each known column */
	int	 header;		/* the header was read */
	struct recurso_linha *rows;
	long	 nrows;
};

static void
problem(struct reader *r, int col, const char *campo, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void
problem(struct reader *r, int col, const char *campo, const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	csvin_problem(r->in, r->line, col + 1, campo, "%s", msg);
}

static const char *
col(struct reader *r, int c)
{
	int i = r->map[c];

	return i >= 0 && i < r->nfield && i < RECURSO_MAX_COLS ? r->field[i] :
	    "";
}

static void
header(struct reader *r)
{
	int c, i;

	for (c = 0; c < C_N; c++) {
		r->map[c] = -1;
		for (i = 0; i < r->nfield && i < RECURSO_MAX_COLS; i++)
			if (strcmp(r->field[i], columns[c]) == 0)
				r->map[c] = i;
		if (r->map[c] < 0 && (c == C_PREST || c == C_GUIA ||
		    c == C_SEQ || c == C_GLOSA || c == C_VALOR || c == C_JUST))
			problem(r, 0, columns[c], _("the column is missing: "
			    "export the worksheet again with 'tiss-recurso "
			    "export'"));
	}
}

/* Whether this item's glosa is appealed already: the recurso's number. */
static long long
appealed(struct reader *r, const struct recurso_linha *l)
{
	sqlite3_stmt *st = db_prepare(r->db, "SELECT rc.numeroLote FROM "
	    "recurso_item ri JOIN recurso rc ON rc.id = ri.recurso_id WHERE "
	    "ri.ativo = 1 AND ri.codigoPrestador = ? AND "
	    "ri.numeroGuiaPrestador = ? AND ri.sequencialItem = ? AND "
	    "ri.codigoGlosa = ?");
	long long n = 0;

	db_bind_text(st, 1, l->prest);
	db_bind_text(st, 2, l->guia);
	sqlite3_bind_int64(st, 3, l->seq);
	db_bind_text(st, 4, l->glosa);
	if (db_step(r->db, st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Check l against the glossed items; fills lote_id and item_guia. */
static void
check_item(struct reader *r, struct recurso_linha *l)
{
	sqlite3_stmt *st = db_prepare(r->db, GLOSSED_SQL "WHERE c.prestador = "
	    "? AND c.numeroGuiaPrestador = ? AND i.sequencialItem = ? "
	    "ORDER BY gl.codigoGlosa = ? DESC");
	char money[FMT_MONEY];
	int found = 0, step;
	long long n;

	db_bind_text(st, 1, l->prest);
	db_bind_text(st, 2, l->guia);
	sqlite3_bind_int64(st, 3, l->seq);
	db_bind_text(st, 4, l->glosa);
	if ((step = db_step(r->db, st)) == SQLITE_ROW &&
	    strcmp(db_col_text(st, 6), l->glosa) == 0) {
		found = 1;
		l->item_guia = sqlite3_column_int64(st, 9);
		if (l->valor > sqlite3_column_int64(st, 8))
			problem(r, r->map[C_VALOR], "valorRecursado", _("more "
			    "than the glosa of the item (%s)"), fmt_money(
			    sqlite3_column_int64(st, 8), money));
	}
	sqlite3_finalize(st);
	if (!found) {
		problem(r, r->map[C_GLOSA], "codigoGlosa", step == SQLITE_ROW ?
		    _("item %ld of guide %s was not glossed with %s: appeal the "
		    "code the demonstrativo gives") : _("item %ld of guide %s "
		    "was not glossed in any demonstrativo loaded: only a glossed "
		    "item can be appealed"), l->seq, l->guia, l->glosa);
		return;
	}
	st = db_prepare(r->db, "SELECT lote_id FROM guia WHERE "
	    "codigoPrestadorNaOperadora = ? AND numeroGuiaPrestador = ?");
	db_bind_text(st, 1, l->prest);
	db_bind_text(st, 2, l->guia);
	if (db_step(r->db, st) == SQLITE_ROW)
		l->lote_id = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	if ((n = appealed(r, l)) != 0)
		problem(r, r->map[C_GLOSA], "codigoGlosa", _("item %ld of guide "
		    "%s was appealed for glosa %s already, in recurso %lld: an "
		    "item is appealed once per glosa"), l->seq, l->guia,
		    l->glosa, n);
}

/* A duplicate of an earlier row of the same file. */
static int
duplicate(const struct reader *r, const struct recurso_linha *l)
{
	long i;

	for (i = 0; i < r->nrows; i++)
		if (r->rows[i].seq == l->seq && !strcmp(r->rows[i].prest,
		    l->prest) && !strcmp(r->rows[i].guia, l->guia) &&
		    !strcmp(r->rows[i].glosa, l->glosa))
			return 1;
	return 0;
}

static void
data_row(struct reader *r)
{
	struct recurso_linha l;
	int64_t v;
	const char *e;

	memset(&l, 0, sizeof(l));
	if (col(r, C_JUST)[0] == '\0')
		return;		/* not appealed */
	l.line = r->line;
	l.seq = atol(col(r, C_SEQ));
	if (l.seq < 1 || l.seq > 9999)
		problem(r, r->map[C_SEQ], "sequencialItem", _("'%s' is not "
		    "an item number (1 to 9999)"), col(r, C_SEQ));
	if ((e = parse_hundredths(col(r, C_VALOR), &v)) != NULL || v <= 0)
		problem(r, r->map[C_VALOR], "valorRecursado", "'%s': %s",
		    col(r, C_VALOR), e ? e : _("the amount appealed must be "
		    "more than 0"));
	if (text_utf8_chars(col(r, C_JUST)) > 500)
		problem(r, r->map[C_JUST], "justificativa", _("longer than "
		    "the 500 characters TISS allows"));
	l.valor = v;
	l.prest = xstrdup(col(r, C_PREST));
	l.guia = xstrdup(col(r, C_GUIA));
	l.glosa = xstrdup(col(r, C_GLOSA));
	l.just = xstrdup(col(r, C_JUST));
	if (duplicate(r, &l))
		problem(r, r->map[C_GUIA], "numeroGuiaPrestador", _("item %ld "
		    "of guide %s with glosa %s is on an earlier row too"), l.seq,
		    l.guia, l.glosa);
	else if (l.seq >= 1 && l.seq <= 9999)
		check_item(r, &l);
	r->rows = xrealloc(r->rows, (size_t)(r->nrows + 1) * sizeof(*r->rows));
	r->rows[r->nrows++] = l;
}

static int
on_row(struct csvin *in, const struct csvin_row *row, void *ctx)
{
	struct reader *r = ctx;
	struct buf b = { 0 };
	const char *e;
	int i;

	r->line = row->line;
	if (row->blank)
		return 0;
	if (row->too_many || row->nf > RECURSO_MAX_COLS) {
		problem(r, 0, "row", _("more than %d columns"), RECURSO_MAX_COLS);
		return 0;
	}
	for (r->nfield = 0; r->nfield < row->nf; r->nfield++) {
		buf_reset(&b);
		if (row->f[r->nfield].s == NULL)
			problem(r, r->nfield, "row", _("a field too long"));
		else if ((e = csvin_decode(in, &row->f[r->nfield], &b)) != NULL)
			problem(r, r->nfield, "row", "%s", e);
		r->field[r->nfield] = xstrndup(b.data ? b.data : "", b.len);
	}
	buf_release(&b);
	if (!r->header) {
		header(r);
		r->header = 1;
	} else
		data_row(r);
	for (i = 0; i < r->nfield; i++)
		free(r->field[i]);
	r->nfield = 0;
	return in->stopped;
}

int
recurso_read(sqlite3 *db, const char *path, struct recurso_linha **rows,
    long *n)
{
	struct reader r;
	struct csvin in;
	struct stat sb;
	enum csvin_result res;
	int fd, ret;

	memset(&r, 0, sizeof(r));
	if ((fd = ifile_open(path, 0, RECURSO_MAX_BYTES)) < 0)
		return -1;
	if (fstat(fd, &sb) == 0 && sb.st_size > RECURSO_MAX_BYTES) {
		close(fd);
		errno = EFBIG;
		return -1;
	}
	csvin_init(&in);
	in.name = ifile_shown(path);
	in.columns_max = RECURSO_MAX_COLS + 1;
	in.problems_max = RECURSO_MAX_PROBLEMS;
	r.db = db;
	r.in = &in;
	res = csvin_read(&in, fd, on_row, &r);
	close(fd);
	if (res == CSVIN_EIO) {
		csvin_release(&in);
		recurso_linhas_free(r.rows, r.nrows);
		return -1;
	}
	if (res == CSVIN_EFORMAT)
		csvin_problem(&in, in.err_line, 0, "file", "%s", in.err);
	else if (!r.header)
		csvin_problem(&in, 1, 0, "file", _("no header: export "
		    "the worksheet with 'tiss-recurso export'"));
	ret = (int)in.nproblems;
	csvin_release(&in);
	*rows = r.rows;
	*n = r.nrows;
	return ret;
}

void
recurso_linhas_free(struct recurso_linha *rows, long n)
{
	long i;

	for (i = 0; i < n; i++) {
		free(rows[i].prest);
		free(rows[i].guia);
		free(rows[i].glosa);
		free(rows[i].just);
	}
	free(rows);
}

/* ---- building ------------------------------------------------------------ */

/* The items of rows in lote, as the message needs them (strings owned by st). */
static long
items_of(struct ws *ws, struct recurso_linha *rows, long n, long long lote,
    struct tissmsg_recurso_item *it, sqlite3_stmt **sts)
{
	long i, k = 0;
	sqlite3_stmt *st;

	for (i = 0; i < n; i++) {
		if (rows[i].lote_id != lote)
			continue;
		st = sts[k] = db_prepare(ws->db, "SELECT g.numeroGuiaOperadora, "
		    "i.dataRealizacao, i.codDente, i.codRegiao, i.denteFace, "
		    "i.qtdProc, i.codigoTabela, i.codigoProcedimento, "
		    "coalesce(i.descricaoProcedimento, '') FROM demonstrativo_item "
		    "i JOIN demonstrativo_guia g ON g.id = i.guia_id WHERE "
		    "i.guia_id = ? AND i.sequencialItem = ?");
		sqlite3_bind_int64(st, 1, rows[i].item_guia);
		sqlite3_bind_int64(st, 2, rows[i].seq);
		if (db_step(ws->db, st) != SQLITE_ROW)
			fatal(EXIT_SOFTWARE, _("item %ld of guide %s vanished"),
			    rows[i].seq, rows[i].guia);
		it[k] = (struct tissmsg_recurso_item){ rows[i].guia,
		    (const char *)sqlite3_column_text(st, 0), rows[i].seq,
		    db_col_text(st, 1), (const char *)sqlite3_column_text(st, 2),
		    (const char *)sqlite3_column_text(st, 3),
		    (const char *)sqlite3_column_text(st, 4),
		    sqlite3_column_int(st, 5), db_col_text(st, 6),
		    db_col_text(st, 7), db_col_text(st, 8), rows[i].glosa,
		    rows[i].just, rows[i].valor };
		k++;
	}
	return k;
}

int
recurso_by_guide(const void *x, const void *y)
{
	const struct recurso_linha *p = x, *q = y;
	int c = strcmp(p->guia, q->guia);

	return c ? c : (p->seq > q->seq) - (p->seq < q->seq);
}

/* Write the request; returns the workspace-relative path or NULL + err. */
static char *
write_request(struct ws *ws, const char *prest, long long numero,
    const struct buf *req, char *err, size_t errlen)
{
	char name[64];

	snprintf(name, sizeof(name), "recurso_%lld_ws.xml", numero);
	return lotes_out_write(ws, prest, name, req->data, req->len, err,
	    errlen);
}

static void
insert_recurso(struct ws *ws, const char *prest, long long numero,
    long long lote, const char *file, const char *sha, int64_t total,
    struct recurso_linha *rows, long n)
{
	sqlite3_stmt *st;
	long long id;
	long i;

	db_run(ws->db, "INSERT INTO recurso (codigoPrestador, numeroLote, "
	    "lote_id, arquivo, sha256, valorRecursado, criadoEm) VALUES (?, ?, "
	    "?, ?, ?, ?, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))", "tiitti",
	    prest, numero, lote, file, sha, (long long)total);
	id = sqlite3_last_insert_rowid(ws->db);
	st = db_prepare(ws->db, "INSERT INTO recurso_item (recurso_id, "
	    "codigoPrestador, numeroGuiaPrestador, sequencialItem, "
	    "codigoGlosa, valorRecursado, justificativa) VALUES (?, ?, ?, ?, "
	    "?, ?, ?)");
	for (i = 0; i < n; i++) {
		if (rows[i].lote_id != lote)
			continue;
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		db_bind_text(st, 2, rows[i].prest);
		db_bind_text(st, 3, rows[i].guia);
		sqlite3_bind_int64(st, 4, rows[i].seq);
		db_bind_text(st, 5, rows[i].glosa);
		sqlite3_bind_int64(st, 6, rows[i].valor);
		db_bind_text(st, 7, rows[i].just);
		db_step(ws->db, st);
	}
	sqlite3_finalize(st);
}

/* The appealed lote's prestador, number and protocolo. */
static void
lote_of(struct ws *ws, long long lote, char **prest, char **numero,
    char **protocolo)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT "
	    "codigoPrestadorNaOperadora, numeroLote, coalesce(numeroProtocolo, "
	    "'') FROM lote WHERE id = ?");

	sqlite3_bind_int64(st, 1, lote);
	if (db_step(ws->db, st) != SQLITE_ROW)
		fatal(EXIT_SOFTWARE, _("lote %lld vanished"), lote);
	*prest = xstrdup(db_col_text(st, 0));
	*numero = xstrdup(db_col_text(st, 1));
	*protocolo = xstrdup(db_col_text(st, 2));
	sqlite3_finalize(st);
}

int
recurso_build(struct ws *ws, struct exchange *x, struct recurso_linha *rows,
    long n, long long lote, char *summary, size_t sumlen, char *err,
    size_t errlen)
{
	struct tissmsg_recurso_item *it = xcalloc((size_t)n, sizeof(*it));
	sqlite3_stmt **sts = xcalloc((size_t)n, sizeof(*sts));
	struct tissmsg_recurso r = { 0 };
	struct tissmsg_cab cab;
	struct buf req = { 0 };
	char *prest, *numero, *protocolo, *file = NULL, sha[65], num[24];
	char day[16], vt[FMT_MONEY];
	struct tm tm;
	sqlite3_stmt *st;
	long long seq;
	int64_t total = 0;
	long i, k;

	lote_of(ws, lote, &prest, &numero, &protocolo);
	st = db_prepare(ws->db, "SELECT coalesce(max(numeroLote), 0) + 1 "
	    "FROM recurso WHERE codigoPrestador = ?");
	db_bind_text(st, 1, prest);
	db_step(ws->db, st);
	seq = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	snprintf(num, sizeof(num), "%lld", seq);
	k = items_of(ws, rows, n, lote, it, sts);
	for (i = 0; i < k; i++)
		total += it[i].valor;
	exchange_cab(x, "RECURSO_GLOSA", prest, &cab);
	localtime_r(&cab.now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	r = (struct tissmsg_recurso){ num, x->p.nome, numero, protocolo,
	    day, it, k };
	if (exchange_request(x, tissmsg_recurso_lote(&cab, &r,
	    x->p.hash_encoding, err, errlen), &req, err, errlen) == 0 &&
	    (file = write_request(ws, prest, seq, &req, err, errlen)) != NULL) {
		sha256_hex(req.data, req.len, sha);
		insert_recurso(ws, prest, seq, lote, file, sha, total, rows, n);
		snprintf(summary, sumlen, P_("recurso %lld of %s (lote %s, "
		    "protocolo %s): %ld item, %s appealed: %s", "recurso %lld of "
		    "%s (lote %s, protocolo %s): %ld items, %s appealed: %s", k),
		    seq, prest, numero, protocolo, k, fmt_money(total, vt), file);
	}
	for (i = 0; i < k; i++)
		sqlite3_finalize(sts[i]);
	free(it);
	free(sts);
	free(prest);
	free(numero);
	free(protocolo);
	buf_release(&req);
	if (file == NULL)
		return -1;
	free(file);
	return 0;
}

