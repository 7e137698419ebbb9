#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "csv.h"
#include "db.h"
#include "gsheet.h"
#include "gto.h"
#include "i18n.h"
#include "parse.h"
#include "log.h"
#include "sheet.h"
#include "state.h"
#include "text.h"
#include "util.h"

/* UTF-8 s as Windows-1252 (the labels are Latin-1) to fp. */
static void
put_cp1252(const char *s, FILE *fp)
{
	const unsigned char *p = (const unsigned char *)s;

	for (; *p; p++)
		if (p[0] == 0xC2 || p[0] == 0xC3) {
			putc(p[0] == 0xC2 ? p[1] : p[1] + 0x40, fp);
			p++;
		} else
			putc(*p, fp);
}

/* The template's columns and its example row. */
static const struct {
	int	 f;
	const char *example;
} tmpl[] = {
	{ GF_codigoPrestadorNaOperadora, "123456" },
	{ GF_numeroGuiaPrestador, "EXEMPLO-APAGUE" },
	{ GF_numeroGuiaPrincipal, "" },
	{ GF_senhaAutorizacao, "" },
	{ GF_dataAutorizacao, "" },
	{ GF_numeroGuiaOperadora, "" },
	{ GF_numeroCarteira, "00012345678901234" },
	{ GF_atendimentoRN, "N" },
	{ GF_nomeBeneficiario, "Maria da Silva" },
	{ GF_planoBeneficiario, "Plano Odonto" },
	{ GF_codigoProfExec, "123456" },
	{ GF_nomeProfExec, "Dra. Ana Souza" },
	{ GF_croExec, "12345" },
	{ GF_ufExec, "SP" },
	{ GF_cnesExec, "1234567" },
	{ GF_cbosExec2, "223208" },
	{ GF_sequencialItem, "1" },
	{ GF_codigoTabela, "22" },
	{ GF_codigoProcedimento, "81000065" },
	{ GF_descricaoProcedimento, "Consulta odontológica inicial" },
	{ GLABEL_DR, "11" },
	{ GF_denteFace, "O" },
	{ GF_qtdProc, "1" },
	{ GF_valorProc, "80,00" },
	{ GF_autorizado, "S" },
	{ GF_dataRealizacao, "03/03/2026" },
	{ GF_dataTerminoTrat, "" },
	{ GF_tipoAtendimento, "1" },
	{ GF_tipoFaturamento, "4" },
	{ GF_observacao, "" },
};

void
gsheet_template(FILE *fp)
{
	size_t i, n = sizeof(tmpl) / sizeof(tmpl[0]);

	for (i = 0; i < n; i++) {
		put_cp1252(glabel_text(tmpl[i].f), fp);
		fputs(i + 1 < n ? ";" : "\r\n", fp);
	}
	for (i = 0; i < n; i++) {
		put_cp1252(tmpl[i].example, fp);
		fputs(i + 1 < n ? ";" : "\r\n", fp);
	}
}

/* ---- export -------------------------------------------------------------- */

/* A canonical value as the clerk reads and the import takes it back. */
static const char *
shown(int f, const char *v, char out[32])
{
	int k;

	if (v == NULL)
		return NULL;
	k = gto_fields[f].kind;
	if (k == GTO_DATE && strlen(v) == 10) {
		snprintf(out, 32, "%.2s/%.2s/%.4s", v + 8, v + 5, v);
		return out;
	}
	if (k == GTO_MONEY || k == GTO_DEC2) {
		format_hundredths(strtoll(v, NULL, 10), out);
		if (strchr(out, '.'))
			*strchr(out, '.') = ',';
		return out;
	}
	if (k == GTO_BOOL)
		return strcmp(v, "1") == 0 ? "S" : "N";
	return v;
}

/* The pendências of guide id in one cell, in Portuguese. */
static void
pendencias(sqlite3 *db, long long id, struct buf *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT regra, campo, mensagem "
	    "FROM pendencia WHERE guia_id = ? ORDER BY n");

	buf_reset(out);
	sqlite3_bind_int64(st, 1, id);
	while (db_step(db, st) == SQLITE_ROW)
		buf_addf(out, "%s%s %s: %s", out->len ? " | " : "",
		    db_col_text(st, 0), db_col_text(st, 1),
		    db_col_text(st, 2));
	buf_addc(out, '\0');
	sqlite3_finalize(st);
}

/* One row of guide g: procedure p (-1: the guide has none). */
static void
export_row(struct sheet_out *w, const struct guide *g, int p,
    const char *pend)
{
	char key[48], tmp[32];
	int f;

	if (p < 0)
		snprintf(key, sizeof(key), "G%lld", g->id);
	else
		snprintf(key, sizeof(key), "G%lld-%d", g->id,
		    g->procs[p].item);
	sheet_cell(w, key);
	sheet_cell(w, pend);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			sheet_cell(w, shown(f, guide_get(g, f), tmp));
		else
			sheet_cell(w, p < 0 ? NULL :
			    shown(f, guide_proc_get(g, p, f), tmp));
	sheet_end_row(w);
}

long
gsheet_export(struct guide_sql *q, FILE *fp, const long long *ids, size_t n)
{
	struct sheet_out w;
	struct buf pend = { 0 };
	struct guide g;
	long rows = 0;
	size_t i;
	int f, p;

	sheet_begin(&w, fp);
	sheet_cell(&w, glabel_text(GLABEL_KEY));
	sheet_cell(&w, glabel_text(GLABEL_PEND));
	for (f = 0; f < gto_nfields; f++)
		sheet_cell(&w, glabel_text(f));
	sheet_end_row(&w);
	guide_init(&g);
	for (i = 0; i < n; i++) {
		if (guide_load(q, ids[i], &g, 1) != 0)
			continue;
		pendencias(q->db, ids[i], &pend);
		for (p = 0; p < g.nprocs || (p == 0 && g.nprocs == 0); p++) {
			export_row(&w, &g, g.nprocs ? p : -1, pend.data);
			rows++;
		}
	}
	guide_release(&g);
	buf_release(&pend);
	sheet_end(&w);
	return rows;
}

/* ---- the merge of a re-imported export ----------------------------------- */

int
gsheet_key(const char *s, long long *id, int *item)
{
	char *end;
	long long v;
	long it = 0;

	if ((s[0] != 'G' && s[0] != 'g') || !isdigit((unsigned char)s[1]))
		return -1;
	v = strtoll(s + 1, &end, 10);
	if (*end == '-') {
		if (!isdigit((unsigned char)end[1]))
			return -1;
		it = strtol(end + 1, &end, 10);
		if (it < 1 || it > 9999)
			return -1;
	}
	if (*end != '\0' || v < 1)
		return -1;
	*id = v;
	*item = (int)it;
	return 0;
}

static const char *
value_of(const struct guide *g, int p, int f)
{
	return p < 0 ? guide_get(g, f) : guide_proc_get(g, p, f);
}

static int
same(const char *a, const char *b)
{
	return a == b || (a && b && strcmp(a, b) == 0);
}

/* Whether s is digits only (and not empty). */
static int
digits(const char *s)
{
	return *s && strspn(s, "0123456789") == strlen(s);
}

/*
 * Whether a spreadsheet turned the stored number was into cell: the
 * same digits without the leading zeros ("0001" opened and saved as
 * "1"), or scientific notation of it ("1,23457E+13", rounded).  Such a
 * cell is no change: the stored value stays.
 */
static int
mangled(const char *was, const char *cell)
{
	char mant[24], r[24];
	size_t k = 0, i, len;
	const char *p;
	long ex;

	if (!digits(was))
		return 0;
	was += strspn(was, "0");
	if (digits(cell))
		return strcmp(cell + strspn(cell, "0"), was) == 0;
	for (p = cell; *p && k < sizeof(mant) - 1; p++)
		if (*p >= '0' && *p <= '9')
			mant[k++] = *p;
		else if ((*p != ',' && *p != '.') || p != cell + 1)
			break;
	mant[k] = '\0';
	if (k == 0 || (*p != 'E' && *p != 'e'))
		return 0;
	p += p[1] == '+' ? 2 : 1;
	if (!digits(p) || (ex = strtol(p, NULL, 10)) < 0 ||
	    (len = strlen(was)) != (size_t)ex + 1 || k > len)
		return 0;
	/* was rounded to k significant digits must be mant */
	memcpy(r, was, k);
	r[k] = '\0';
	if (k < len && was[k] >= '5')
		for (i = k; i-- > 0; ) {
			if (r[i] != '9') {
				r[i]++;
				break;
			}
			r[i] = '0';
		}
	return strcmp(r, mant) == 0;
}

int
gsheet_merge(const struct guide *orig, struct guide *cur, int p, int f,
    const char *v, const char **had)
{
	const char *was = p < orig->nprocs ? value_of(orig, p, f) : NULL;
	const char *now = value_of(cur, p, f);

	if (strcmp(v, GUIDE_CLEARED) == 0)
		v = NULL;
	if (same(v, was) || same(v, now) ||
	    (v && was && gto_fields[f].kind == GTO_TEXT && mangled(was, v)))
		return 0;
	if (!same(now, was)) {
		*had = now ? now : "";
		return -1;
	}
	if (p < 0)
		guide_set(cur, f, v, 0);
	else
		guide_proc_set(cur, p, f, v);
	return 1;
}

/* Audit the changed values of procedure p (-1: the guide); how many. */
static long
audit_changes(struct guide_sql *q, const struct guide *orig,
    const struct guide *cur, int p, const char *source)
{
	const char *was, *now;
	char campo[96];
	long n = 0;
	int f;

	for (f = 0; f < gto_nfields; f++) {
		if ((gto_fields[f].level == GTO_GUIA) != (p < 0))
			continue;
		was = p < 0 || p < orig->nprocs ? value_of(orig, p, f) : NULL;
		now = value_of(cur, p, f);
		if (same(was, now))
			continue;
		if (p < 0)
			snprintf(campo, sizeof(campo), "%s", gto_fields[f].name);
		else
			snprintf(campo, sizeof(campo),
			    "procedimentosExecutados[%d].%s", cur->procs[p].item,
			    gto_fields[f].name);
		sheet_merge(q->db, cur->id, campo, was, now, now == NULL,
		    source);
		n++;
	}
	return n;
}

long
gsheet_write(struct guide_sql *q, const struct guide *orig,
    struct guide *cur, const char *source, const char *stamp)
{
	long n, nproc = 0;
	int p, next = 0;

	for (p = 0; p < cur->nprocs; p++)
		if (cur->procs[p].item > next)
			next = cur->procs[p].item;
	for (p = 0; p < cur->nprocs; p++)
		if (cur->procs[p].item == 0)
			cur->procs[p].item = ++next;
	n = audit_changes(q, orig, cur, -1, source);
	for (p = 0; p < cur->nprocs; p++)
		nproc += audit_changes(q, orig, cur, p, source);
	if (n || nproc)
		guide_update(q, cur, cur->id, stamp);
	if (nproc == 0)
		return n;
	guide_delete_procs(q, cur->id);
	for (p = 0; p < cur->nprocs; p++)
		guide_insert_proc(q, cur, p, cur->id, cur->procs[p].item);
	return n + nproc;
}

/* ---- re-import of an export ---------------------------------------------- */

void
gsheet_rt_init(struct gsheet_rt *rt, struct guide_sql *q, const char *source,
    const char *stamp)
{
	memset(rt, 0, sizeof(*rt));
	rt->q = q;
	rt->source = source;
	rt->stamp = stamp;
	guide_init(&rt->orig);
	guide_init(&rt->cur);
}

void
gsheet_rt_release(struct gsheet_rt *rt)
{
	guide_release(&rt->orig);
	guide_release(&rt->cur);
}

void
gsheet_rt_flush(struct gsheet_rt *rt)
{
	long n;

	if (rt->active && !rt->skip &&
	    (n = gsheet_write(rt->q, &rt->orig, &rt->cur, rt->source,
	    rt->stamp)) > 0) {
		state_guia_set(rt->q->db, rt->cur.id, GUIA_INCOMPLETO, 0);
		rt->values += n;
		rt->guides++;
	}
	rt->active = rt->skip = 0;
}

/* Load guide id for its rows; 0, or -1 reported. */
static int
rt_start(struct gsheet_rt *rt, struct csvin *r, int col, long line,
    long long id)
{
	sqlite3_stmt *st;
	const char *num;
	char status[16] = "";

	gsheet_rt_flush(rt);
	if (guide_load(rt->q, id, &rt->orig, 1) != 0) {
		csvin_problem(r, line, col, "Chave", _("G%lld: no guide has this "
		    "key in this workspace; is the sheet from another one? "
		    "Export it again (tiss-guia export)"), id);
		return -1;
	}
	guide_load(rt->q, id, &rt->cur, 1);
	rt->active = 1;
	st = db_prepare(rt->q->db, "SELECT status FROM guia WHERE id = ?");
	sqlite3_bind_int64(st, 1, id);
	if (db_step(rt->q->db, st) == SQLITE_ROW)
		snprintf(status, sizeof(status), "%s", db_col_text(st, 0));
	sqlite3_finalize(st);
	if (strcmp(status, "incompleto") != 0 &&
	    strcmp(status, "completo") != 0) {
		num = guide_get(&rt->orig, GF_numeroGuiaPrestador);
		log_warn(_("%s:%ld: guide %s (G%lld) skipped: it is %s; a guide "
		    "in a lote never changes (take it out with tiss-lote rm to "
		    "correct it); the other guides are imported"), r->name,
		    line, num ? num : "?", id, status);
		rt->skip = 1;
		rt->skipped++;
	}
	return 0;
}

/* The procedure of cur a row's key names: its index, or -1 reported. */
static int
rt_proc(struct gsheet_rt *rt, const struct guide *row, struct csvin *r,
    int col, long line, int item)
{
	int p;

	if (item == 0) {	/* a new procedure, or the guide's row */
		if (guide_proc_empty(row, 0))
			return -2;
		guide_add_proc(&rt->cur);
		return rt->cur.nprocs - 1;
	}
	for (p = 0; p < rt->cur.nprocs; p++)
		if (rt->cur.procs[p].item == item)
			return p;
	csvin_problem(r, line, col, "Chave", _("G%lld-%d: the guide has no such "
	    "procedure (deleted after the export?); export again, or clear "
	    "the key to add it as a new one"), rt->cur.id,
	    item);
	return -1;
}

/* Merge row's values of one level into procedure p (-1: the guide). */
static int
rt_values(struct gsheet_rt *rt, const struct guide *row, int p,
    struct guide_cols *c, struct csvin *r, long line)
{
	const char *v, *had;
	char sh1[64], sh2[64];
	int f, bad = 0;

	for (f = 0; f < gto_nfields; f++) {
		if ((gto_fields[f].level == GTO_GUIA) != (p < 0))
			continue;
		v = p < 0 ? guide_get(row, f) : guide_proc_get(row, 0, f);
		if (v == NULL || gsheet_merge(&rt->orig, &rt->cur, p, f, v,
		    &had) >= 0)
			continue;
		csvin_problem(r, line, c->fieldcol[f] >= 0 ?
		    c->fieldcol[f] + 1 : 0, gto_fields[f].name, _("'%s' "
		    "differs from '%s', given on another line of the same guide; "
		    "keep one value"), strcmp(v, GUIDE_CLEARED) == 0 ?
		    SHEET_CLEAR : text_shown(v, sh1), text_shown(had, sh2));
		bad = 1;
	}
	return bad ? -1 : 0;
}

int
gsheet_rt_row(struct gsheet_rt *rt, struct guide_cols *c, struct csvin *r,
    const struct guide *row, long line)
{
	static const int keyf[] = { GF_codigoPrestadorNaOperadora,
	    GF_numeroGuiaPrestador };
	const char *v, *had;
	long long id;
	int item, p, i, col = c->keycol + 1;

	if (gsheet_key(c->key.data, &id, &item) != 0) {
		csvin_problem(r, line, col, "Chave", _("'%s' is not a key of "
		    "tiss-guia export (G<number>-<item>); new guides go in "
		    "another file, without the Chave column"), c->key.data);
		return -1;
	}
	if ((!rt->active || rt->cur.id != id) &&
	    rt_start(rt, r, col, line, id) != 0)
		return -1;
	if (rt->skip)
		return 0;
	for (i = 0; i < 2; i++) {
		v = guide_get(row, keyf[i]);
		had = guide_get(&rt->orig, keyf[i]);
		if (v && had && strcmp(v, had) != 0) {
			csvin_problem(r, line, c->fieldcol[keyf[i]] + 1,
			    gto_fields[keyf[i]].name, _("key G%lld is of guide "
			    "'%s', not '%s'; this column names the guide and "
			    "does not change here (use tiss-guia set)"), id, had, v);
			return -1;
		}
	}
	if ((p = rt_proc(rt, row, r, col, line, item)) == -1)
		return -1;
	if (rt_values(rt, row, -1, c, r, line) != 0)
		return -1;
	return p >= 0 ? rt_values(rt, row, p, c, r, line) : 0;
}

void
gsheet_audit_procs(struct guide_sql *q, const struct guide *orig,
    const char *after, const char *source)
{
	struct buf b = { 0 };
	const char *v;
	char campo[64];
	int p, f;

	for (p = 0; p < orig->nprocs; p++) {
		buf_reset(&b);
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC &&
			    (v = guide_proc_get(orig, p, f)) != NULL)
				buf_addf(&b, "%s%s=%s", b.len ? " " : "",
				    gto_fields[f].name, v);
		buf_addc(&b, '\0');
		snprintf(campo, sizeof(campo), "procedimentosExecutados[%d]",
		    orig->procs[p].item);
		db_audit(q->db, orig->id, campo, b.data, after, source);
	}
	buf_release(&b);
}

int
gsheet_replace(struct guide_sql *q, struct guide *orig, struct guide *cur,
    const struct guide *row, const char *where, const char *stamp)
{
	const char *source = "tiss-import --replace";
	int f;

	guide_load(q, cur->id, orig, 1);
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA && guide_get(cur, f) == NULL)
			guide_set(cur, f, guide_get(orig, f), 0);
	gsheet_write(q, orig, cur, source, stamp);
	if (orig->nprocs == 0 || guide_proc_empty(row, 0))
		return 0;
	gsheet_audit_procs(q, orig, where, source);
	guide_delete_procs(q, cur->id);
	return 1;
}
