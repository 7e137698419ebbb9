#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "exitcodes.h"
#include "gto.h"
#include "guide.h"
#include "i18n.h"
#include "log.h"
#include "migrate.h"
#include "profile.h"
#include "rules.h"
#include "state.h"
#include "util.h"
#include "validate.h"

#define BATCH		2000	/* guides per transaction */
#define POOL_CHUNK	65536

/* A digest of the rules' sources (Makefile); a build without one has none. */
#ifndef TISS_RULES_ID
#define TISS_RULES_ID	""
#endif

/* A guide not in a lote. */
#define OPEN_SQL	"(status = 'incompleto' OR status = 'completo')"
/*
 * Its verdict is current (validate.h): ?5 the fingerprint, ?6 the
 * fingerprint of the day, ?7 today; false, not NULL, when a column is.
 */
#define CURRENT_SQL	"coalesce(validadoCom IN (?5, ?6) AND " \
			"validadoEm >= alteradoEm AND " \
			"substr(validadoEm, 1, 10) <= ?7, 0)"

/* ---- the context ---------------------------------------------------------- */

static int
tuss_cmp(const void *a, const void *b)
{
	const struct tuss_term *x = a, *y = b;
	int c = strcmp(x->codigo, y->codigo);

	return c ? c : strcmp(x->inicio, y->inicio);
}

/* The TUSS table into ctx, sorted by code and start of validity. */
static void
load_tuss(struct val_ctx *ctx, sqlite3 *db)
{
	sqlite3_stmt *st;
	struct tuss_term *t;
	size_t n = 0, cap = 0;

	st = db_prepare(db, "SELECT codigo, termo, inicio, fim FROM tuss");
	while (db_step(db, st) == SQLITE_ROW) {
		if (n == cap) {
			cap = cap ? cap * 2 : 1024;
			ctx->tuss = xrealloc(ctx->tuss, cap * sizeof(*t));
		}
		t = &ctx->tuss[n++];
		t->codigo = xstrdup(db_col_text(st, 0));
		t->termo = xstrdup(db_col_text(st, 1));
		t->inicio = xstrdup(db_col_text(st, 2));
		t->fim = db_col_text(st, 3) ? xstrdup(db_col_text(st, 3)) : NULL;
	}
	sqlite3_finalize(st);
	if (n)
		qsort(ctx->tuss, n, sizeof(*ctx->tuss), tuss_cmp);
	else
		log_info(_("no TUSS table loaded: procedure codes are not "
		    "checked (see tiss-tuss)"));
	ctx->rules.tuss = ctx->tuss;
	ctx->rules.ntuss = n;
}

/* The first 64 bits of the SHA-256 of b. */
static long long
digest64(const struct buf *b)
{
	unsigned long long v;
	long long out;
	char hex[65];

	sha256_hex(b->data ? b->data : "", b->len, hex);
	hex[16] = '\0';
	v = strtoull(hex, NULL, 16);
	memcpy(&out, &v, sizeof(out));
	return out;
}

void
val_ctx_fingerprint(struct val_ctx *ctx)
{
	struct buf b = { 0 };

	buf_addf(&b, "tiss %s", TISS_VERSION);
	buf_addc(&b, '\0');
	buf_addf(&b, "rules %s", TISS_RULES_ID);
	buf_addc(&b, '\0');
	buf_addf(&b, "schema %d", db_schema_version());
	buf_addc(&b, '\0');
	rules_ctx_digest(&ctx->rules, &b);
	ctx->fingerprint = digest64(&b);
	buf_reset(&b);
	buf_addf(&b, "%lld day %s", ctx->fingerprint, ctx->rules.today);
	ctx->fingerprint_day = digest64(&b);
	buf_release(&b);
}

void
val_ctx_init_profile(struct val_ctx *ctx, struct ws *ws,
    const struct profile *p, const char *source)
{
	time_t now = time(NULL);
	struct tm tm;

	memset(ctx, 0, sizeof(*ctx));
	ctx->source = source;
	ctx->rules.registro_ans = p->registro_ans;
	ctx->rules.ver = p->ver;	/* profile_load checked it */
	ctx->rules.carteira_digitos = (int)p->carteira_digitos;
	gmtime_r(&now, &tm);
	strftime(ctx->rules.today, sizeof(ctx->rules.today), "%Y-%m-%d", &tm);
	load_tuss(ctx, ws->db);
	val_ctx_fingerprint(ctx);
}

void
val_ctx_init(struct val_ctx *ctx, struct ws *ws, const char *source)
{
	struct profile p;

	profile_load(&p, ws);
	val_ctx_init_profile(ctx, ws, &p, source);
}

void
val_ctx_release(struct val_ctx *ctx)
{
	size_t i;

	for (i = 0; i < ctx->rules.ntuss; i++) {
		free(ctx->tuss[i].codigo);
		free(ctx->tuss[i].termo);
		free(ctx->tuss[i].inicio);
		free(ctx->tuss[i].fim);
	}
	free(ctx->tuss);
	memset(ctx, 0, sizeof(*ctx));
}

/* ---- reading a batch ------------------------------------------------------ */

/* A pool of strings freed all at once: pointers never move. */
struct pool {
	char	*chunk;		/* current chunk; its first bytes link the previous */
	size_t	 used;		/* bytes used in it */
};

static char *
pool_dup(struct pool *p, const char *s)
{
	size_t n = strlen(s) + 1;
	char *c;

	if (p->chunk == NULL || p->used + n > POOL_CHUNK) {
		c = xmalloc(n + sizeof(char *) > POOL_CHUNK ?
		    n + sizeof(char *) : POOL_CHUNK);
		memcpy(c, &p->chunk, sizeof(char *));
		p->chunk = c;
		p->used = sizeof(char *);
	}
	c = p->chunk + p->used;
	memcpy(c, s, n);
	p->used += n;
	return c;
}

static void
pool_free(struct pool *p)
{
	char *next;

	while (p->chunk) {
		memcpy(&next, p->chunk, sizeof(char *));
		free(p->chunk);
		p->chunk = next;
	}
	p->used = 0;
}

/*
 * Which guides a pass reads: the one of id (checked whatever its
 * fingerprint), or every guide not in a lote but those of importação
 * from and later that are validated (from > 0), those of prestador
 * prest (when not NULL), those with ids below before (when not 0); skip
 * leaves out the current ones, counted when count is set.
 */
struct scope {
	long long id;
	long long from;
	const char *prest;
	int	 skip;
	int	 count;
	long long before;
};

/* Up to BATCH guides with their procedures, read in one transaction. */
struct batch {
	struct vguide *guides;		/* ng of them, by id */
	int	 ng;
	struct vproc *procs;		/* np of them, by guide then item */
	int	 np, capp;
	struct pool pool;		/* every value */
	sqlite3_stmt *gst, *pst;	/* the guides, their procedures */
	sqlite3_stmt *cst;		/* current guides of a range, or NULL */
};

/* The values of one level's fields, from column col of st on. */
static void
column_values(sqlite3_stmt *st, int col, enum gto_level level, const char **v,
    struct pool *pool)
{
	int f;

	for (f = 0; f < gto_nfields; f++) {
		const char *s;

		if (gto_fields[f].level != level)
			continue;
		s = db_col_text(st, col++);
		v[f] = s ? pool_dup(pool, s) : NULL;
	}
}

/* The FROM and WHERE of the guides of scope sc after id ?1. */
static void
scope_where(struct buf *sql, const struct scope *sc)
{
	buf_adds(sql, " FROM guia WHERE id > ?1 AND " OPEN_SQL);
	if (sc->from > 0)
		buf_adds(sql, " AND (importacao_id IS NULL OR importacao_id "
		    "< ?3 OR validadoEm IS NULL)");
	if (sc->prest)
		buf_adds(sql, " AND codigoPrestadorNaOperadora = ?4");
	if (sc->before > 0)
		buf_adds(sql, " AND id < ?8");
}

/*
 * The SELECTs of a batch, their columns from the GTO field table: guide
 * sc->id, or those of the scope; with sc->skip, the count of the
 * current guides of a range of ids (?1, ?2].
 */
static void
batch_open(struct batch *b, sqlite3 *db, const struct scope *sc)
{
	struct buf gsql = { 0 }, psql = { 0 }, csql = { 0 };
	int f;

	memset(b, 0, sizeof(*b));
	b->guides = xcalloc(BATCH, sizeof(*b->guides));
	buf_adds(&gsql, "SELECT id");
	buf_adds(&psql, "SELECT guia_id, item");
	for (f = 0; f < gto_nfields; f++)
		buf_addf(gto_fields[f].level == GTO_GUIA ? &gsql : &psql,
		    ", %s", gto_fields[f].column);
	if (sc->id)
		buf_adds(&gsql, " FROM guia WHERE id = ?1 AND ?2 = ?2 AND "
		    OPEN_SQL);
	else {
		scope_where(&gsql, sc);
		buf_addf(&gsql, "%s ORDER BY id LIMIT ?2", sc->skip ?
		    " AND NOT " CURRENT_SQL : "");
	}
	if (sc->id == 0 && sc->skip && sc->count) {
		buf_adds(&csql, "SELECT count(*), count(*) FILTER (WHERE "
		    "status = 'completo')");
		scope_where(&csql, sc);
		buf_adds(&csql, " AND id <= ?2 AND " CURRENT_SQL);
		b->cst = db_prepare(db, csql.data);
	}
	buf_adds(&psql, " FROM procedimento WHERE guia_id BETWEEN ?1 AND ?2 "
	    "ORDER BY guia_id, item");
	b->gst = db_prepare(db, gsql.data);
	b->pst = db_prepare(db, psql.data);
	buf_release(&gsql);
	buf_release(&psql);
	buf_release(&csql);
}

/* The parameters of the scope and of the current verdict, ?3 to ?8. */
static void
bind_scope(sqlite3_stmt *st, const struct scope *sc, const struct val_ctx *ctx)
{
	if (sc->from > 0)
		sqlite3_bind_int64(st, 3, sc->from);
	if (sc->prest)
		sqlite3_bind_text(st, 4, sc->prest, -1, SQLITE_STATIC);
	if (sc->before > 0)
		sqlite3_bind_int64(st, 8, sc->before);
	if (sc->skip) {
		sqlite3_bind_int64(st, 5, ctx->fingerprint);
		sqlite3_bind_int64(st, 6, ctx->fingerprint_day);
		sqlite3_bind_text(st, 7, ctx->rules.today, -1, SQLITE_STATIC);
	}
}

/* Count the current guides with ids in (lo, hi] into st. */
static void
count_current(sqlite3 *db, struct batch *b, const struct scope *sc,
    const struct val_ctx *ctx, long long lo, long long hi,
    struct val_stats *st)
{
	sqlite3_reset(b->cst);
	sqlite3_bind_int64(b->cst, 1, lo);
	sqlite3_bind_int64(b->cst, 2, hi);
	bind_scope(b->cst, sc, ctx);
	if (db_step(db, b->cst) == SQLITE_ROW) {
		st->current += sqlite3_column_int64(b->cst, 0);
		st->current_complete += sqlite3_column_int64(b->cst, 1);
	}
	sqlite3_reset(b->cst);
}

static void
batch_close(struct batch *b)
{
	sqlite3_finalize(b->cst);
	sqlite3_finalize(b->gst);
	sqlite3_finalize(b->pst);
	pool_free(&b->pool);
	free(b->guides);
	free(b->procs);
}

/* The procedures of the batch's guides, each guide pointed at its run. */
static void
load_procs(sqlite3 *db, struct batch *b)
{
	struct vproc *p;
	long long gid;
	int k = 0;

	sqlite3_reset(b->pst);
	sqlite3_bind_int64(b->pst, 1, b->guides[0].id);
	sqlite3_bind_int64(b->pst, 2, b->guides[b->ng - 1].id);
	while (db_step(db, b->pst) == SQLITE_ROW) {
		gid = sqlite3_column_int64(b->pst, 0);
		while (k < b->ng && b->guides[k].id < gid)
			k++;
		if (k == b->ng || b->guides[k].id != gid)
			continue;	/* a guide of the range that is in a lote */
		if (b->np == b->capp) {
			b->capp = b->capp ? b->capp * 2 : 8192;
			b->procs = xrealloc(b->procs,
			    (size_t)b->capp * sizeof(*p));
		}
		p = &b->procs[b->np++];
		memset(p, 0, sizeof(*p));
		p->item = sqlite3_column_int(b->pst, 1);
		column_values(b->pst, 2, GTO_PROC, p->v, &b->pool);
		b->guides[k].nprocs++;
	}
	/* The array is final now; no procedure at all leaves it NULL. */
	for (k = 0, b->np = 0; k < b->ng; k++) {
		b->guides[k].procs = b->guides[k].nprocs ? b->procs + b->np :
		    NULL;
		b->np += b->guides[k].nprocs;
	}
}

/* Load the next batch of guides after *last (or guide sc->id); how many. */
static int
load_batch(sqlite3 *db, struct batch *b, long long *last,
    const struct scope *sc, const struct val_ctx *ctx)
{
	struct vguide *g;

	pool_free(&b->pool);
	b->ng = b->np = 0;
	sqlite3_reset(b->gst);
	sqlite3_bind_int64(b->gst, 1, sc->id ? sc->id : *last);
	sqlite3_bind_int(b->gst, 2, BATCH);
	if (sc->id == 0)
		bind_scope(b->gst, sc, ctx);
	while (db_step(db, b->gst) == SQLITE_ROW) {
		g = &b->guides[b->ng];
		memset(g, 0, sizeof(*g));
		g->id = sqlite3_column_int64(b->gst, 0);
		column_values(b->gst, 1, GTO_GUIA, g->v, &b->pool);
		b->ng++;
	}
	if (b->ng == 0)
		return 0;
	*last = b->guides[b->ng - 1].id;
	load_procs(db, b);
	return b->ng;
}

/* ---- storing what a guide's check found ----------------------------------- */

struct writer {
	sqlite3	*db;
	sqlite3_stmt *del, *ins, *descr, *audit;
	char	 stamp[32];		/* validadoEm, the audit's quando */
	const char *source;		/* the audit's fonte */
	const struct val_ctx *ctx;	/* its fingerprints (validadoCom) */
	int	 checked;		/* guides may have pendências already */
};

/* The validadoCom of a guide whose check was c. */
static long long
fingerprint_of(const struct writer *w, const struct check *c)
{
	return c->dated ? w->ctx->fingerprint_day : w->ctx->fingerprint;
}

/* The statements on db; when NULL, the stamp is the time now. */
static void
writer_open(struct writer *w, sqlite3 *db, const struct val_ctx *ctx,
    const char *when)
{
	w->db = db;
	w->source = ctx->source;
	w->ctx = ctx;
	w->checked = 1;
	if (when)
		snprintf(w->stamp, sizeof(w->stamp), "%s", when);
	else
		time_iso(w->stamp);
	w->del = db_prepare(db, "DELETE FROM pendencia WHERE guia_id = ?");
	w->ins = db_prepare(db, "INSERT INTO pendencia (guia_id, n, campo, "
	    "regra, severidade, mensagem, valor) VALUES (?,?,?,?,?,?,?)");
	w->descr = db_prepare(db, "UPDATE procedimento SET "
	    "descricaoProcedimento = ? WHERE guia_id = ? AND item = ?");
	w->audit = db_prepare(db, "INSERT INTO auditoria (quando, guia_id, "
	    "campo, antes, depois, fonte) VALUES (?,?,?,NULL,?,?)");
}

static void
writer_close(struct writer *w)
{
	sqlite3_finalize(w->del);
	sqlite3_finalize(w->ins);
	sqlite3_finalize(w->descr);
	sqlite3_finalize(w->audit);
}

/* The guide's pendências, replacing those of its last check, if any. */
static void
store_issues(struct writer *w, long long id, const struct check *c,
    struct val_stats *st)
{
	const struct issue *is;
	int i, blocks;

	if (w->checked) {
		sqlite3_reset(w->del);
		sqlite3_bind_int64(w->del, 1, id);
		db_step(w->db, w->del);
	}
	for (i = 0; i < c->n; i++) {
		is = &c->issues[i];
		blocks = rules_blocks(is->rule);
		sqlite3_reset(w->ins);
		sqlite3_bind_int64(w->ins, 1, id);
		sqlite3_bind_int(w->ins, 2, i + 1);
		sqlite3_bind_text(w->ins, 3, is->campo, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 4, rules_code(is->rule), -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 5, blocks ? "erro" : "aviso", -1,
		    SQLITE_STATIC);
		sqlite3_bind_text(w->ins, 6, is->msg, -1, SQLITE_STATIC);
		db_bind_text(w->ins, 7, rules_value(c, is));
		db_step(w->db, w->ins);
		st->rule_count[is->rule]++;
		if (blocks)
			st->errors++;
		else
			st->warnings++;
	}
}

/* Empty descriptions taken from the TUSS table, each audited. */
static void
store_fills(struct writer *w, const struct vguide *g, const struct check *c)
{
	const struct fill *fl;
	char campo[96];
	int i;

	for (i = 0; i < c->nfill; i++) {
		fl = &c->fills[i];
		sqlite3_reset(w->descr);
		sqlite3_bind_text(w->descr, 1, fl->termo, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->descr, 2, g->id);
		sqlite3_bind_int(w->descr, 3, g->procs[fl->pos].item);
		db_step(w->db, w->descr);
		rules_path(campo, fl->pos, GF_descricaoProcedimento);
		sqlite3_reset(w->audit);
		sqlite3_bind_text(w->audit, 1, w->stamp, -1, SQLITE_STATIC);
		sqlite3_bind_int64(w->audit, 2, g->id);
		sqlite3_bind_text(w->audit, 3, campo, -1, SQLITE_TRANSIENT);
		sqlite3_bind_text(w->audit, 4, fl->termo, -1, SQLITE_STATIC);
		sqlite3_bind_text(w->audit, 5, w->source, -1, SQLITE_STATIC);
		db_step(w->db, w->audit);
	}
}

/*
 * All a check found, and the guide's status, total and validadoEm in one
 * write (state.h).  It was read in this transaction as incompleto or
 * completo, so the write cannot be refused.
 */
static void
store(struct writer *w, const struct vguide *g, const struct check *c,
    struct val_stats *st)
{
	enum guia_state to = c->blocking ? GUIA_INCOMPLETO : GUIA_COMPLETO;

	store_issues(w, g->id, c, st);
	store_fills(w, g, c);
	if (state_guia_validated(w->db, g->id, to, c->total, w->stamp,
	    fingerprint_of(w, c)) != 1)
		fatal(EXIT_SOFTWARE, _("guide %lld: cannot store its "
		    "validation as %s"), g->id, state_guia_name(to));
	st->checked++;
	st->complete += !c->blocking;
}

/* ---- the engine ----------------------------------------------------------- */

/* The passes of val_guides and friends over the guides of sc. */
static void
run_batches(struct ws *ws, const struct val_ctx *ctx, struct scope *sc,
    struct val_stats *st)
{
	struct batch b;
	struct writer w;
	struct check c;
	long long last = 0, first;
	int i, n;

	memset(&c, 0, sizeof(c));
	sc->skip = sc->id == 0 && !ctx->all;
	batch_open(&b, ws->db, sc);
	writer_open(&w, ws->db, ctx, NULL);
	do {
		/* Read and write one batch in one transaction: consistent with
		 * a concurrent tiss-guia edit, and restartable.  The current
		 * guides among its ids are counted in it, before any is
		 * checked: every guide of the scope is counted once. */
		db_exec(ws->db, "BEGIN IMMEDIATE");
		first = last;
		n = load_batch(ws->db, &b, &last, sc, ctx);
		if (b.cst)
			count_current(ws->db, &b, sc, ctx, first, n < BATCH ?
			    INT64_MAX : last, st);
		for (i = 0; i < n; i++) {
			rules_check(&ctx->rules, &b.guides[i], &c);
			store(&w, &b.guides[i], &c, st);
		}
		db_exec(ws->db, "COMMIT");
	} while (sc->id == 0 && n == BATCH);
	writer_close(&w);
	batch_close(&b);
	rules_check_release(&c);
}

void
val_guides(struct ws *ws, const struct val_ctx *ctx, long long id,
    struct val_stats *st)
{
	struct scope sc = { id, 0, NULL, 0, 1, 0 };

	run_batches(ws, ctx, &sc, st);
}

void
val_guides_prestador(struct ws *ws, const struct val_ctx *ctx,
    const char *prest, struct val_stats *st)
{
	struct scope sc = { 0, 0, prest, 0, 1, 0 };

	run_batches(ws, ctx, &sc, st);
}

void
val_guides_except(struct ws *ws, const struct val_ctx *ctx, long long from,
    long long before, struct val_stats *st)
{
	/* The import reports what it checked: no count of the others. */
	struct scope sc = { 0, from, NULL, 0, 0, before };

	run_batches(ws, ctx, &sc, st);
}

/* ---- one guide at a time, from memory ------------------------------------- */

struct val_one {
	const struct val_ctx *ctx;
	struct writer w;
	struct check c;
	struct vguide vg;		/* the guide last checked */
	struct vproc *procs;		/* its procedures, as the rules see them */
	int	 capp;
};

struct val_one *
val_one_open(sqlite3 *db, const struct val_ctx *ctx, const char *when)
{
	struct val_one *vo = xcalloc(1, sizeof(*vo));

	vo->ctx = ctx;
	writer_open(&vo->w, db, ctx, when);
	vo->w.checked = 0;	/* new guides: no pendência to replace */
	return vo;
}

/* g's values as the rules see them, pointing into g. */
static void
as_vguide(struct val_one *vo, const struct guide *g, struct vguide *vg)
{
	struct vproc *p;
	int f, i;

	memset(vg, 0, sizeof(*vg));
	vg->id = g->id;
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_GUIA)
			vg->v[f] = guide_get(g, f);
	if (g->nprocs > vo->capp) {
		vo->capp = g->nprocs * 2;
		vo->procs = xrealloc(vo->procs, (size_t)vo->capp *
		    sizeof(*vo->procs));
	}
	for (i = 0; i < g->nprocs; i++) {
		p = &vo->procs[i];
		memset(p, 0, sizeof(*p));
		p->item = g->procs[i].item;
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC)
				p->v[f] = guide_proc_get(g, i, f);
	}
	vg->procs = g->nprocs ? vo->procs : NULL;
	vg->nprocs = g->nprocs;
}

long long
val_one_insert(struct val_one *vo, struct guide_sql *q, struct guide *g,
    const struct guide_origin *o, struct val_stats *st)
{
	enum guia_state to;
	long long id;

	if (st) {
		as_vguide(vo, g, &vo->vg);
		rules_check(&vo->ctx->rules, &vo->vg, &vo->c);
		to = vo->c.blocking ? GUIA_INCOMPLETO : GUIA_COMPLETO;
		id = guide_insert_checked(q, g, o, state_guia_initial(to),
		    vo->c.total, vo->w.stamp, fingerprint_of(&vo->w, &vo->c));
	} else
		id = guide_insert(q, g, o);
	if (id == 0)
		fatal(EXIT_SOFTWARE, _("guide %s/%s exists already"),
		    guide_get(g, GF_codigoPrestadorNaOperadora),
		    guide_get(g, GF_numeroGuiaPrestador));
	guide_insert_procs(q, g);
	if (st) {
		vo->vg.id = id;
		store_issues(&vo->w, id, &vo->c, st);
		store_fills(&vo->w, &vo->vg, &vo->c);
		st->checked++;
		st->complete += !vo->c.blocking;
	}
	return id;
}

void
val_one_close(struct val_one *vo)
{
	if (vo == NULL)
		return;
	writer_close(&vo->w);
	rules_check_release(&vo->c);
	free(vo->procs);
	free(vo);
}
