#include <sys/prctl.h>
#include <sys/types.h>
#include <sys/stat.h>
#include <sys/wait.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db.h"
#include "entry.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "lotes.h"
#include "state.h"
#include "util.h"

/* "fechado" or "xml_gerado or enviando": the statuses of a mask. */
static void
wanted_names(unsigned wanted, struct buf *out)
{
	int s, n = 0;

	for (s = 0; s < LOTE_NSTATES; s++)
		if (wanted & LOTES_WANT(s))
			buf_addf(out, "%s%s", n++ ? _(" or ") : "",
			    state_lote_name((enum lote_state)s));
}

/* The statement of a pick: ?1 prestador, ?2 numero (NULL: by status). */
static sqlite3_stmt *
prepare(sqlite3 *db, const struct lotes_spec *spec)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	int s, n = 0;

	buf_adds(&sql, "SELECT id, codigoPrestadorNaOperadora, numeroLote, "
	    "competencia, status, revisao");
	if (spec->columns && spec->ncolumns > 0)
		buf_addf(&sql, ", %s", spec->columns);
	buf_adds(&sql, " FROM lote WHERE (?1 IS NULL OR "
	    "codigoPrestadorNaOperadora = ?1) AND (?2 IS NULL OR numeroLote "
	    "= ?2) AND (?2 IS NOT NULL OR (status IN (");
	for (s = 0; s < LOTE_NSTATES; s++)
		if (spec->wanted & LOTES_WANT(s))
			buf_addf(&sql, "%s'%s'", n++ ? ", " : "",
			    state_lote_name((enum lote_state)s));
	buf_addf(&sql, "%s)%s%s%s)) ORDER BY codigoPrestadorNaOperadora, "
	    "numeroLote", n ? "" : "NULL", spec->where ? " AND (" : "",
	    spec->where ? spec->where : "", spec->where ? ")" : "");
	st = db_prepare(db, sql.data);
	buf_release(&sql);
	return st;
}

/* The row of st (prepare's columns) into it. */
static void
read_row(struct lote_item *it, sqlite3_stmt *st, const struct lotes_spec *spec)
{
	int i;

	memset(it, 0, sizeof(*it));
	it->id = sqlite3_column_int64(st, 0);
	it->prest = xstrdup(db_col_text(st, 1));
	it->numero = sqlite3_column_int64(st, 2);
	snprintf(it->competencia, sizeof(it->competencia), "%s",
	    db_col_text(st, 3) ? db_col_text(st, 3) : "");
	it->status = (enum lote_state)state_lote_parse(db_col_text(st, 4));
	it->revisao = sqlite3_column_int64(st, 5);
	for (i = 0; spec && i < spec->ncolumns && i < LOTES_MAXCOL; i++)
		if (db_col_text(st, 6 + i))
			it->col[i] = xstrdup(db_col_text(st, 6 + i));
}

static void
add_row(struct lote_list *l, sqlite3_stmt *st, const struct lotes_spec *spec)
{
	l->v = xrealloc(l->v, (size_t)(l->n + 1) * sizeof(*l->v));
	read_row(&l->v[l->n++], st, spec);
}

/* A named lote not in a wanted status: say so, and why. */
static void
skip_notice(const struct lotes_spec *spec, sqlite3_stmt *st, int s)
{
	struct buf want = { 0 };
	const char *hint = spec->hint ? spec->hint((enum lote_state)s) : NULL;

	wanted_names(spec->wanted, &want);
	log_notice(_("lote %lld of %s is %s, not %s: %s"),
	    (long long)sqlite3_column_int64(st, 2), db_col_text(st, 1),
	    db_col_text(st, 4), want.data ? want.data : "wanted",
	    hint ? hint : _("nothing to do"));
	buf_release(&want);
}

int
lotes_pick(sqlite3 *db, const struct lotes_spec *spec, struct lote_list *out)
{
	sqlite3_stmt *st = prepare(db, spec);
	int i, s, found, ret = EXIT_OK;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < (spec->nnamed > 0 ? spec->nnamed : 1); i++) {
		sqlite3_reset(st);
		db_bind_text(st, 1, spec->prestador);
		if (spec->nnamed > 0)
			sqlite3_bind_int64(st, 2, spec->named[i]);
		else
			sqlite3_bind_null(st, 2);
		found = 0;
		while (db_step(db, st) == SQLITE_ROW) {
			found = 1;
			s = state_lote_parse(db_col_text(st, 4));
			if (s < 0 || !(spec->wanted & LOTES_WANT(s))) {
				skip_notice(spec, st, s);
				continue;
			}
			add_row(out, st, spec);
		}
		if (spec->nnamed > 0 && !found) {
			log_error(_("no lote numbered %lld%s%s"),
			    spec->named[i],
			    spec->prestador ? _(" of prestador ") : "",
			    spec->prestador ? spec->prestador : "");
			ret = EXIT_NOINPUT;
		}
	}
	sqlite3_finalize(st);
	return ret;
}

void
lotes_item_release(struct lote_item *it)
{
	int k;

	free(it->prest);
	for (k = 0; k < LOTES_MAXCOL; k++)
		free(it->col[k]);
	memset(it, 0, sizeof(*it));
}

void
lotes_release(struct lote_list *l)
{
	long i;

	for (i = 0; i < l->n; i++)
		lotes_item_release(&l->v[i]);
	free(l->v);
	memset(l, 0, sizeof(*l));
}

int
lotes_find(sqlite3 *db, const char *prestador, long long numero,
    struct lote_item *out)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT id, "
	    "codigoPrestadorNaOperadora, numeroLote, competencia, status, "
	    "revisao FROM lote WHERE numeroLote = ?1 AND (?2 IS NULL OR "
	    "codigoPrestadorNaOperadora = ?2)");
	int n = 0;

	memset(out, 0, sizeof(*out));
	sqlite3_bind_int64(st, 1, numero);
	db_bind_text(st, 2, prestador);
	while (db_step(db, st) == SQLITE_ROW) {
		lotes_item_release(out);
		read_row(out, st, NULL);
		n++;
	}
	sqlite3_finalize(st);
	return n;
}

/* 0 when guide num may join; else 65 with the reason in err. */
static int
refuse_guide(const char *num, const char *status, const char *p,
    const char *c, const char *prest, const char *competencia, char *err,
    size_t errlen)
{
	if (strcmp(status, "completo") != 0)
		snprintf(err, errlen, _("guide %s is %s: only complete guides "
		    "go into a lote%s"), num, status,
		    strcmp(status, "incompleto") == 0 ?
		    _("; see its pendências with tiss-guia show") : "");
	else if (prest[0] && strcmp(prest, p) != 0)
		snprintf(err, errlen, _("guide %s is of prestador %s, the lote "
		    "of prestador %s: a lote never mixes prestadores"), num, p,
		    prest);
	else if (competencia[0] && c && strcmp(competencia, c) != 0)
		snprintf(err, errlen, _("guide %s is of competência %s, the "
		    "lote of %s: a lote holds one month"), num, c, competencia);
	else
		return 0;
	return EXIT_DATAERR;
}

long long
lotes_guide_eligible(sqlite3 *db, const char *prestador, const char *num,
    char prest[64], char competencia[8], int *code, char *err, size_t errlen)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT g.id, g.status, "
	    "g.codigoPrestadorNaOperadora, substr(max(p.dataRealizacao), 1, 7) "
	    "FROM guia g LEFT JOIN procedimento p ON p.guia_id = g.id WHERE "
	    ENTRY_GUIDE_NAMED("g.") " GROUP BY g.id");
	long long id = 0;
	int n = 0;

	*code = 0;
	sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
	db_bind_text(st, 2, prestador);
	while (*code == 0 && db_step(db, st) == SQLITE_ROW) {
		const char *p = db_col_text(st, 2), *c = db_col_text(st, 3);

		n++;
		id = sqlite3_column_int64(st, 0);
		if ((*code = refuse_guide(num, db_col_text(st, 1), p, c, prest,
		    competencia, err, errlen)) != 0)
			break;
		snprintf(prest, 64, "%s", p);
		snprintf(competencia, 8, "%s", c ? c : "");
	}
	sqlite3_finalize(st);
	if (*code == 0 && n == 0) {
		snprintf(err, errlen, _("no guide numbered '%s'%s%s"), num,
		    prest[0] ? _(" of prestador ") : "", prest);
		*code = EXIT_NOINPUT;
	} else if (*code == 0 && n > 1) {
		snprintf(err, errlen, _("guide '%s' exists for several "
		    "prestadores; say which with -p"), num);
		*code = EXIT_USAGE;
	}
	return *code ? 0 : id;
}

/* The next number of a prestador's sequence (inside a transaction). */
static long long
next_number(sqlite3 *db, sqlite3_stmt *st, const char *prest)
{
	long long n;

	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, prest, -1, SQLITE_TRANSIENT);
	if (db_step(db, st) != SQLITE_ROW)
		fatal(EXIT_SOFTWARE, _("no lote number for '%s'"), prest);
	n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return n;
}

struct create {	/* the statements of a new lote, kept for a build */
	sqlite3_stmt *num, *ins;
};

static void
create_prepare(sqlite3 *db, struct create *c)
{
	c->num = db_prepare(db, "INSERT INTO lote_numero "
	    "(codigoPrestadorNaOperadora, ultimo) VALUES (?, 1) ON CONFLICT "
	    "DO UPDATE SET ultimo = ultimo + 1 RETURNING ultimo");
	c->ins = db_prepare(db, "INSERT INTO lote (codigoPrestadorNaOperadora, "
	    "numeroLote, competencia, criadoEm, alteradoEm) VALUES (?1, ?2, "
	    "?3, ?4, ?4)");
}

static void
create_finalize(struct create *c)
{
	sqlite3_finalize(c->num);
	sqlite3_finalize(c->ins);
}

/* A new 'aberto' lote: its id, its number in *numero. */
static long long
create(sqlite3 *db, struct create *c, const char *prest,
    const char *competencia, const char *stamp, long long *numero)
{
	*numero = next_number(db, c->num, prest);
	sqlite3_reset(c->ins);
	sqlite3_bind_text(c->ins, 1, prest, -1, SQLITE_STATIC);
	sqlite3_bind_int64(c->ins, 2, *numero);
	sqlite3_bind_text(c->ins, 3, competencia, -1, SQLITE_STATIC);
	sqlite3_bind_text(c->ins, 4, stamp, -1, SQLITE_STATIC);
	if (db_step(db, c->ins) != SQLITE_DONE)
		fatal(EXIT_SOFTWARE, _("no new lote for '%s'"), prest);
	sqlite3_reset(c->ins);
	return sqlite3_last_insert_rowid(db);
}

long long
lotes_create(sqlite3 *db, const char *prest, const char *competencia,
    const char *stamp, enum lote_state to, long long *numero)
{
	struct create c;
	long long id;

	create_prepare(db, &c);
	id = create(db, &c, prest, competencia, stamp, numero);
	create_finalize(&c);
	if (to != LOTE_ABERTO && state_lote_set(db, id, to) != 1)
		fatal(EXIT_SOFTWARE, _("new lote %lld of %s cannot be %s"),
		    *numero, prest, state_lote_name(to));
	return id;
}

struct month {	/* one month's guides of a prestador, by guide number */
	char	 comp[8];
	long long *ids;
	long	 n, cap;
};

/*
 * The most guia ids (from the first candidate's to the last's) a build
 * maps in memory, 4 bytes each (16 MiB); candidates spread wider (old
 * guides completed long after their import) are built lote by lote.
 */
#define SLOT_MAX	(1L << 22)
/* The most months a map tells apart (more: built lote by lote). */
#define COMP_MAX	1024
/*
 * The most guides one statement moves: its statement journal holds the
 * pages it changes, in memory up to 64 KiB (the build's temp_store is
 * FILE: the journal of an index made again would be as big as the
 * index), on disk past that.  About 5 guia pages for 64 guides; with
 * guia_lote kept, a page of it a guide too.
 */
#define PICK_RANGE	64
#define PICK_RANGE_KEPT	8

struct build {	/* the prestador being read, its months, the counts */
	struct create c;
	struct month *m;
	int	 nm;
	long	 nlotes, nguides, max;
	const char *stamp;
	/*
	 * The map of the candidates (NULL: each lote filled): slot[id -
	 * lo] is 0, else the code of the guide's month (comp[code - 1]),
	 * then once its lote is made that lote's id - base + 1 (picks).
	 */
	uint32_t *slot;
	struct state_picks picks;
	long	 ncand;
	char	(*comp)[8];
	int	 ncomp;
	long	 cap;		/* the slots allocated */
	long long cache;	/* the page cache's KiB before the map */
};

/* The month comp of b, made (in order) when new. */
static struct month *
month(struct build *b, const char *comp)
{
	int i;

	for (i = 0; i < b->nm && strcmp(b->m[i].comp, comp) < 0; i++)
		;
	if (i < b->nm && strcmp(b->m[i].comp, comp) == 0)
		return &b->m[i];
	b->m = xrealloc(b->m, (size_t)(b->nm + 1) * sizeof(*b->m));
	memmove(b->m + i + 1, b->m + i, (size_t)(b->nm - i) * sizeof(*b->m));
	b->nm++;
	memset(&b->m[i], 0, sizeof(b->m[i]));
	snprintf(b->m[i].comp, sizeof(b->m[i].comp), "%s", comp);
	return &b->m[i];
}

/* Guide id at the end of month m. */
static void
month_add(struct month *m, long long id)
{
	if (m->n == m->cap) {
		m->cap = m->cap ? 2 * m->cap : 64;
		m->ids = xrealloc(m->ids, (size_t)m->cap * sizeof(*m->ids));
	}
	m->ids[m->n++] = id;
}

/*
 * Record in the map that the n guides ids join lote, and close it; n,
 * or -1 when the lote cannot be closed (as state_lote_fill).
 */
static long
pick(sqlite3 *db, struct build *b, long long lote, const long long *ids,
    long n)
{
	long i;

	if (b->nlotes == 0)
		b->picks.base = lote;
	if (lote < b->picks.base || lote - b->picks.base >= UINT32_MAX - 1)
		return -1;
	for (i = 0; i < n; i++)
		b->slot[ids[i] - b->picks.lo] = (uint32_t)(lote -
		    b->picks.base + 1);
	return state_lote_closed(db, lote, (int)n) == 1 ? n : -1;
}

/*
 * The guides picked into their lotes, in guia's rowid order, up to
 * range a statement (the ranges found in the map, however sparse
 * the ids); 70 when not every one moved (a bug: they were read in this
 * transaction).
 */
static void
pick_apply(sqlite3 *db, struct build *b, long range)
{
	const uint32_t *v = b->slot;
	long i = 0, j, n, k, moved = 0;

	for (;;) {
		while (i < b->picks.n && v[i] == 0)
			i++;
		if (i == b->picks.n)
			break;
		for (j = i, n = 0; j < b->picks.n && n < range; j++)
			n += v[j] != 0;
		if ((k = state_guias_picked(db, &b->picks, b->picks.lo + i,
		    b->picks.lo + j)) < 0)
			break;
		/* For the tests: a build to kill with guides moved. */
		if (moved == 0 && k > 0)
			test_pause(getenv("TISS_TEST_LOTE_PAUSE"), "moved",
			    NULL);
		moved += k;
		i = j;
	}
	if (moved != b->nguides || b->nguides != b->ncand)
		fatal(EXIT_SOFTWARE, _("only %ld of %ld guides moved into "
		    "their new lotes; nothing is kept: report this bug"),
		    moved, b->ncand);
}

/*
 * The months of prest into lotes of up to b->max guides, each closed
 * with its guides recorded in the map (pick), or filled and closed in
 * one go (state_lote_fill), and printed; the months emptied.
 */
static void
fill_prestador(sqlite3 *db, struct build *b, const char *prest)
{
	struct month *m;
	long long lote, numero;
	long i, k;
	int j;

	for (j = 0; j < b->nm; j++) {
		m = &b->m[j];
		for (i = 0; i < m->n; i += k) {
			k = m->n - i < b->max ? m->n - i : b->max;
			lote = create(db, &b->c, prest, m->comp, b->stamp,
			    &numero);
			if ((b->slot ? pick(db, b, lote, m->ids + i, k) :
			    state_lote_fill(db, lote, m->ids + i, (int)k)) != k)
				fatal(EXIT_SOFTWARE, _("guides cannot move "
				    "into lote %lld of %s"), numero, prest);
			printf("%s %lld %ld\n", prest, numero, k);
			b->nlotes++;
			b->nguides += k;
		}
		free(m->ids);
	}
	free(b->m);
	b->m = NULL;
	b->nm = 0;
}

/*
 * The KiB of page cache while an index is made: SQLite's sorter keeps
 * as many bytes in one piece before it writes a run to a file.
 */
#define SORT_KIB	2048

/* The page cache's bound, in KiB. */
static long long
cache_kib(sqlite3 *db)
{
	long long v = db_int(db, "PRAGMA cache_size");

	return v < 0 ? -v : v * 4;
}

static void
cache_kib_set(sqlite3 *db, long long kib)
{
	char sql[64];

	snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%lld", kib);
	db_exec(db, sql);
}

/* The code of month comp in the map, made when new; 0 past COMP_MAX. */
static uint32_t
comp_code(struct build *b, const char *comp)
{
	int i;

	for (i = b->ncomp - 1; i >= 0; i--)
		if (strcmp(b->comp[i], comp) == 0)
			return (uint32_t)i + 1;
	if (b->ncomp == COMP_MAX)
		return 0;
	b->comp = xrealloc(b->comp, (size_t)(b->ncomp + 1) * sizeof(*b->comp));
	snprintf(b->comp[b->ncomp], sizeof(*b->comp), "%s", comp);
	return (uint32_t)++b->ncomp;
}

/*
 * Room in the map for guide id, the next after the last mapped (the map
 * from the first); 0 when it would span more than SLOT_MAX ids.  The
 * slots between are zeroed only as they are passed: memory is touched
 * only for the candidates' range.
 */
static int
map_room(struct build *b, long long id)
{
	long long k;

	if (b->picks.n == 0)
		b->picks.lo = id;
	if ((k = id - b->picks.lo) < b->picks.n)
		fatal(EXIT_SOFTWARE, _("guide %lld read twice in this "
		    "transaction; nothing is kept: report this bug"), id);
	if (k >= SLOT_MAX)
		return 0;
	if (k >= b->cap) {
		while (k >= b->cap)
			b->cap = b->cap ? 2 * b->cap : 65536;
		if (b->cap > SLOT_MAX)
			b->cap = SLOT_MAX;
		b->slot = xrealloc(b->slot, (size_t)b->cap * sizeof(*b->slot));
	}
	memset(b->slot + b->picks.n, 0, (size_t)(k - b->picks.n) *
	    sizeof(*b->slot));
	b->picks.n = (long)k + 1;
	return 1;
}

/*
 * The candidates (complete, in no lote, not held, with procedures; of
 * month comp when not NULL) into the map, each with its month's code:
 * guia and its procedures read once, in id order, with a page cache of
 * SORT_KIB; then the map and the cache within what the cache was, down
 * to SORT_KIB.  0 (no map, the cache as it was) when the candidates
 * span more than SLOT_MAX ids or more than COMP_MAX months.
 */
static int
map_candidates(sqlite3 *db, struct build *b, const char *comp)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT g.id, "
	    "substr(max(p.dataRealizacao), 1, 7) AS comp FROM guia g JOIN "
	    "procedimento p ON p.guia_id = g.id WHERE g.status = 'completo' "
	    "AND g.retidaEm IS NULL AND g.lote_id IS NULL GROUP BY g.id "
	    "HAVING comp IS NOT NULL AND (?1 IS NULL OR comp = ?1)");
	long long id, map;
	uint32_t code = 1;

	b->cache = cache_kib(db);
	cache_kib_set(db, SORT_KIB);
	db_bind_text(st, 1, comp);
	while (db_step(db, st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		if (!map_room(b, id) ||
		    (code = comp_code(b, db_col_text(st, 1))) == 0) {
			code = 0;
			break;
		}
		b->slot[id - b->picks.lo] = code;
		b->ncand++;
	}
	sqlite3_finalize(st);
	if (code == 0) {
		free(b->slot);
		b->slot = NULL;
		b->ncand = b->picks.n = 0;
		cache_kib_set(db, b->cache);
		return 0;
	}
	b->picks.slot = b->slot;
	map = (long long)b->picks.n * (long long)sizeof(*b->slot) / 1024;
	cache_kib_set(db, b->cache - map > SORT_KIB ? b->cache - map :
	    SORT_KIB);
	return 1;
}

/*
 * The candidates of the map by prestador, in the order of the
 * (prestador, guide) index, read alone (it holds the ids), into lotes.
 */
static void
build_mapped(sqlite3 *db, struct build *b)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT codigoPrestadorNaOperadora, "
	    "id FROM guia ORDER BY codigoPrestadorNaOperadora, "
	    "numeroGuiaPrestador");
	char *cur = NULL;
	long long id;
	uint32_t code;

	while (db_step(db, st) == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 1);
		if ((code = state_picks_slot(&b->picks, id)) == 0)
			continue;
		if (cur == NULL || strcmp(cur, db_col_text(st, 0)) != 0) {
			if (cur != NULL)
				fill_prestador(db, b, cur);
			free(cur);
			cur = xstrdup(db_col_text(st, 0));
		}
		month_add(month(b, b->comp[code - 1]), id);
	}
	sqlite3_finalize(st);
	if (cur != NULL)
		fill_prestador(db, b, cur);
	free(cur);
}

/* The candidates st yields (one prestador's), by month. */
static void
gather(sqlite3 *db, sqlite3_stmt *st, struct build *b)
{
	while (db_step(db, st) == SQLITE_ROW)
		month_add(month(b, db_col_text(st, 1)),
		    sqlite3_column_int64(st, 0));
}

/*
 * The prestador after *cur (NULL: the first) that has guides, in *cur
 * (freed and replaced): one seek in the (prestador, guide) index, where
 * a DISTINCT would read every entry.  0 when none is left.
 */
static int
next_prestador(sqlite3 *db, sqlite3_stmt *ps[2], char **cur)
{
	sqlite3_stmt *st = ps[*cur != NULL];
	char *next = NULL;

	sqlite3_reset(st);
	if (*cur != NULL)
		sqlite3_bind_text(st, 1, *cur, -1, SQLITE_STATIC);
	if (db_step(db, st) == SQLITE_ROW && db_col_text(st, 0) != NULL)
		next = xstrdup(db_col_text(st, 0));
	sqlite3_reset(st);
	free(*cur);
	*cur = next;
	return next != NULL;
}

/* The lotes of prestador prest (st: the candidates' statement). */
static void
build_one(sqlite3 *db, sqlite3_stmt *st, struct build *b, const char *prest)
{
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, prest, -1, SQLITE_STATIC);
	gather(db, st, b);
	sqlite3_reset(st);
	fill_prestador(db, b, prest);
}

/*
 * The lotes of prest (NULL: of every prestador, one after the other),
 * each filled in one go.
 */
static void
build_each(sqlite3 *db, struct build *b, const char *prest, const char *comp)
{
	sqlite3_stmt *ps[2], *st;
	char *cur = NULL;

	ps[0] = db_prepare(db, "SELECT min(codigoPrestadorNaOperadora) FROM "
	    "guia");
	ps[1] = db_prepare(db, "SELECT min(codigoPrestadorNaOperadora) FROM "
	    "guia WHERE codigoPrestadorNaOperadora > ?1");
	/*
	 * A prestador's guides come in the order of the (prestador, guide)
	 * index, a guide's procedures together: grouped by guide number
	 * (one guide, in a prestador), with no sort.  The months are sorted
	 * in memory, a guide's id in its month (8 bytes a guide).
	 */
	st = db_prepare(db, "SELECT g.id, substr(max(p.dataRealizacao), 1, 7) "
	    "AS comp FROM guia g JOIN procedimento p ON p.guia_id = g.id WHERE "
	    "g.codigoPrestadorNaOperadora = ?1 AND g.status = 'completo' AND "
	    "g.retidaEm IS NULL AND g.lote_id IS NULL GROUP BY "
	    "g.numeroGuiaPrestador HAVING comp IS NOT NULL AND (?2 IS NULL OR "
	    "comp = ?2)");
	db_bind_text(st, 2, comp);
	if (prest != NULL)
		build_one(db, st, b, prest);
	else
		while (next_prestador(db, ps, &cur))
			build_one(db, st, b, cur);
	sqlite3_finalize(st);
	sqlite3_finalize(ps[0]);
	sqlite3_finalize(ps[1]);
}

/*
 * guia's index on lote_id dropped when the build moves at least a
 * quarter of guia's guides (their ids' range): moved in id order, their
 * entries would go into the index at random, a page each time and
 * every page of it dirty, where CREATE INDEX after sorts them (reading
 * guia once, as map_candidates did).  Its SQL, to make it again, or
 * NULL when it stays.
 */
static char *
index_drop(sqlite3 *db, const struct build *b)
{
	long long rows = db_int(db, "SELECT (SELECT max(id) FROM guia) - "
	    "(SELECT min(id) FROM guia) + 1");
	sqlite3_stmt *st;
	char *sql = NULL;

	if (b->ncand == 0 || b->ncand < rows / 4)
		return NULL;
	st = db_prepare(db, "SELECT sql FROM sqlite_schema WHERE type = "
	    "'index' AND name = 'guia_lote' AND tbl_name = 'guia'");
	if (db_step(db, st) == SQLITE_ROW && db_col_text(st, 0) != NULL)
		sql = xstrdup(db_col_text(st, 0));
	sqlite3_finalize(st);
	if (sql != NULL)
		db_exec(db, "DROP INDEX guia_lote");
	return sql;
}

/*
 * The candidates mapped (map_candidates) into lotes, and moved; the
 * index made again with a cache of SORT_KIB (the sort's runs on disk:
 * temp_store is FILE), the cache as it was after.
 */
static void
build_map(sqlite3 *db, struct build *b)
{
	char *idx;

	build_mapped(db, b);
	idx = index_drop(db, b);
	pick_apply(db, b, idx != NULL ? PICK_RANGE : PICK_RANGE_KEPT);
	if (idx != NULL) {
		cache_kib_set(db, SORT_KIB);
		db_exec(db, idx);
	}
	cache_kib_set(db, b->cache);
	free(idx);
	free(b->slot);
	free(b->comp);
}

void
lotes_build(sqlite3 *db, const char *prest, const char *comp, long max,
    const char *stamp, long *nlotes, long *nguides)
{
	struct build b;
	int off;

	memset(&b, 0, sizeof(b));
	b.max = max;
	b.stamp = stamp;
	off = state_fill_begin(db);
	create_prepare(db, &b.c);
	if (off && prest == NULL && map_candidates(db, &b, comp))
		build_map(db, &b);
	else
		build_each(db, &b, prest, comp);
	create_finalize(&b.c);
	if (off)
		state_fill_end(db);
	*nlotes = b.nlotes;
	*nguides = b.nguides;
}

void
lotes_drop_xml(struct ws *ws, long long id)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT xmlArquivo, soapArquivo "
	    "FROM lote WHERE id = ?");
	char *path;
	int i;

	sqlite3_bind_int64(st, 1, id);
	if (db_step(ws->db, st) == SQLITE_ROW)
		for (i = 0; i < 2; i++) {
			if (db_col_text(st, i) == NULL)
				continue;
			path = ws_path(ws, db_col_text(st, i));
			if (unlink(path) != 0 && errno != ENOENT)
				log_warn(_("cannot remove '%s': %s"), path,
				    strerror(errno));
			free(path);
		}
	sqlite3_finalize(st);
	db_run(ws->db, "UPDATE lote SET xmlArquivo = NULL, xmlBytes = NULL, "
	    "xmlHash = NULL, xmlSha256 = NULL, soapArquivo = NULL, xmlGeradoEm "
	    "= NULL, versaoTISS = NULL WHERE id = ?", "i", id);
	(void)state_lote_set(ws->db, id, LOTE_ABERTO);
}

/* Wait for the workers forked; the most severe of their codes. */
static int
reap(pid_t *pids, int n)
{
	int k, status, ret = EXIT_OK;

	for (k = 0; k < n; k++) {
		if (waitpid(pids[k], &status, 0) < 0) {
			log_error(_("cannot wait for worker %d: %s"),
			    (int)pids[k], strerror(errno));
			ret = exit_worse(ret, EXIT_SOFTWARE);
		} else if (WIFSIGNALED(status)) {
			log_error(_("worker %d was killed by signal %d; run "
			    "again, and report it if it happens again"),
			    (int)pids[k], WTERMSIG(status));
			ret = exit_worse(ret, EXIT_SOFTWARE);
		} else if (WIFEXITED(status))
			ret = exit_worse(ret, WEXITSTATUS(status));
		else
			ret = exit_worse(ret, EXIT_SOFTWARE);
	}
	return ret;
}

int
lotes_pool(struct ws *ws, const struct lote_list *l, int jobs,
    lotes_work_fn *work, void *ctx)
{
	char *dbpath;
	pid_t *pids;
	int k, n = 0, ret = EXIT_OK;
	long cache_mb;

	if (jobs < 1)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs > l->n)
		jobs = (int)l->n;
	if (jobs < 1)
		jobs = 1;
	if (jobs == 1)
		return work(ws, l, 0, 1, ctx);
	/* An SQLite connection must not cross fork: one per worker. */
	dbpath = ws_path(ws, "tiss.db");
	db_close(ws->db);
	ws->db = NULL;
	fflush(stdout);
	fflush(stderr);
	cache_mb = ws->cache_mb / jobs > 0 ? ws->cache_mb / jobs : 1;
	log_info(_("%d workers, a page cache of %ld MiB each"), jobs,
	    cache_mb);
	pids = xcalloc((size_t)jobs, sizeof(*pids));
	for (k = 0; k < jobs; k++, n++) {
		if ((pids[k] = fork()) < 0) {
			log_error(_("cannot start worker %d of %d: %s"), k + 1,
			    jobs, strerror(errno));
			ret = EXIT_SOFTWARE;
			break;
		}
		if (pids[k] == 0) {
			/*
			 * A worker must not outlive a killed parent: the rerun
			 * would meet it still writing the same files.
			 */
			if (prctl(PR_SET_PDEATHSIG, SIGKILL) != 0 ||
			    getppid() == 1)
				_exit(EXIT_SOFTWARE);
			free(pids);	/* the parent's; exit must not leak it */
			ws->db = db_open(dbpath, 0);
			free(dbpath);
			/* cache_mb bounds the program: the workers share it. */
			db_cache(ws->db, cache_mb);
			ret = work(ws, l, k, jobs, ctx);
			db_close(ws->db);
			ws->db = NULL;
			exit(close_stdout(ret));
		}
	}
	ret = exit_worse(ret, reap(pids, n));
	free(pids);
	ws->db = db_open(dbpath, 0);
	free(dbpath);
	return ret;
}

int
lotes_prest_ok(const char *prest)
{
	size_t n = strspn(prest, "abcdefghijklmnopqrstuvwxyz"
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-");

	return n > 0 && n <= 64 && prest[n] == '\0' && prest[0] != '.';
}

char *
lotes_out_dir(struct ws *ws, const char *prest, char *err, size_t errlen)
{
	char *rel, *dir;

	if (!lotes_prest_ok(prest)) {
		snprintf(err, errlen, _("prestador code '%s' cannot name a "
		    "folder under out/ (letters, digits, '.', '_', '-' only)"),
		    prest);
		return NULL;
	}
	rel = xasprintf("out/%s", prest);
	dir = ws_path(ws, rel);
	free(rel);
	if (mkdir(dir, 0755) != 0 && errno != EEXIST) {
		snprintf(err, errlen, _("cannot create '%s': %s"), dir,
		    strerror(errno));
		free(dir);
		return NULL;
	}
	return dir;
}

char *
lotes_out_write(struct ws *ws, const char *prest, const char *name,
    const void *data, size_t n, char *err, size_t errlen)
{
	char *dir = lotes_out_dir(ws, prest, err, errlen), *file = NULL;

	if (dir == NULL)
		return NULL;
	if (write_file_atomic(dir, name, data, n, 0644) == 0 &&
	    sync_dir(dir) == 0)
		file = xasprintf("out/%s/%s", prest, name);
	else
		snprintf(err, errlen, _("cannot write '%s/%s': %s"), dir, name,
		    strerror(errno));
	free(dir);
	return file;
}

/*
 * Whether name is one of ours: 1 for NUMERO_HASH.xml or NUMERO_HASH_ws.xml
 * (HASH 32 lowercase hex digits), 2 for the temporary file of one
 * (".NAME.tmp", write_file_atomic's), 0 for anything else.
 */
static int
our_file(const char *name)
{
	size_t len = strlen(name), d, n;
	int tmp = 0;

	if (name[0] == '.' && len > 5 && strcmp(name + len - 4, ".tmp") == 0) {
		tmp = 1;
		name++;
		len -= 5;
	}
	d = strspn(name, "0123456789");
	if (d == 0 || d > 12 || name[d] != '_' ||
	    strspn(name + d + 1, "0123456789abcdef") != 32)
		return 0;
	n = d + 33;
	if (len == n + 7 && strncmp(name + n, "_ws.xml", 7) == 0)
		return 1 + tmp;
	if (len == n + 4 && strncmp(name + n, ".xml", 4) == 0)
		return 1 + tmp;
	return 0;
}

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Every file a lote references, sorted (owned by the caller). */
static char **
referenced(struct ws *ws, long *n)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT xmlArquivo FROM lote "
	    "WHERE xmlArquivo IS NOT NULL UNION ALL SELECT soapArquivo FROM "
	    "lote WHERE soapArquivo IS NOT NULL");
	char **v = NULL;

	*n = 0;
	while (db_step(ws->db, st) == SQLITE_ROW) {
		v = xrealloc(v, (size_t)(*n + 1) * sizeof(*v));
		v[(*n)++] = xstrdup(db_col_text(st, 0));
	}
	sqlite3_finalize(st);
	if (*n > 0)
		qsort(v, (size_t)*n, sizeof(*v), cmp_str);
	return v;
}

/* Remove our leftovers in out/SUB (fd dfd); regular files only. */
static void
sweep_dir(int dfd, const char *sub, char **refs, long nrefs, long *removed)
{
	DIR *d = fdopendir(dfd);
	struct dirent *e;
	struct stat sb;
	char *rel;
	int kind;

	if (d == NULL) {
		close(dfd);
		return;
	}
	while ((e = readdir(d)) != NULL) {
		if ((kind = our_file(e->d_name)) == 0 ||
		    fstatat(dfd, e->d_name, &sb, AT_SYMLINK_NOFOLLOW) != 0 ||
		    !S_ISREG(sb.st_mode))
			continue;
		rel = xasprintf("out/%s/%s", sub, e->d_name);
		if (kind == 2 || bsearch(&rel, refs, (size_t)nrefs,
		    sizeof(*refs), cmp_str) == NULL) {
			if (unlinkat(dfd, e->d_name, 0) == 0) {
				log_info(_("removed leftover '%s'"), rel);
				(*removed)++;
			} else
				log_warn(_("cannot remove leftover '%s': %s"),
				    rel, strerror(errno));
		}
		free(rel);
	}
	closedir(d);
}

long
lotes_sweep(struct ws *ws)
{
	char *out = ws_path(ws, "out"), **refs;
	long nrefs, i, removed = 0;
	struct dirent *e;
	DIR *d;
	int fd, sub;

	fd = open(out, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || (d = fdopendir(fd)) == NULL) {
		if (fd >= 0)
			close(fd);
		free(out);
		return 0;
	}
	refs = referenced(ws, &nrefs);
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		sub = openat(fd, e->d_name, O_RDONLY | O_DIRECTORY |
		    O_NOFOLLOW | O_CLOEXEC);
		if (sub >= 0)
			sweep_dir(sub, e->d_name, refs, nrefs, &removed);
	}
	closedir(d);
	if (removed)
		log_notice(P_("removed %ld file an interrupted run left in '%s'",
		    "removed %ld files an interrupted run left in '%s'",
		    removed), removed, out);
	for (i = 0; i < nrefs; i++)
		free(refs[i]);
	free(refs);
	free(out);
	return removed;
}

long
lotes_count(sqlite3 *db, const struct lote_list *l, enum lote_state status)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT status FROM lote WHERE "
	    "id = ?");
	long i, n = 0;

	for (i = 0; i < l->n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, l->v[i].id);
		if (db_step(db, st) == SQLITE_ROW &&
		    state_lote_parse(db_col_text(st, 0)) == (int)status)
			n++;
	}
	sqlite3_finalize(st);
	return n;
}
