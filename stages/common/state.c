#include <stdio.h>
#include <string.h>

#include "db.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "state.h"
#include "util.h"

static const char *const guia_names[GUIA_NSTATES] = {
	"incompleto", "completo", "em_lote", "enviada"
};
static const char *const lote_names[LOTE_NSTATES] = {
	"aberto", "fechado", "xml_gerado", "enviando", "enviado", "rejeitado"
};

/* guia_moves[from] has bit `to` set when from -> to is allowed. */
#define B(s)	(1u << (s))
static const unsigned guia_moves[GUIA_NSTATES] = {
	[GUIA_INCOMPLETO] = B(GUIA_INCOMPLETO) | B(GUIA_COMPLETO),
	[GUIA_COMPLETO] = B(GUIA_INCOMPLETO) | B(GUIA_COMPLETO) |
	    B(GUIA_EM_LOTE),
	[GUIA_EM_LOTE] = B(GUIA_COMPLETO) | B(GUIA_INCOMPLETO) |
	    B(GUIA_ENVIADA),
	[GUIA_ENVIADA] = 0,
};
static const unsigned lote_moves[LOTE_NSTATES] = {
	[LOTE_ABERTO] = B(LOTE_FECHADO),
	[LOTE_FECHADO] = B(LOTE_ABERTO) | B(LOTE_XML_GERADO),
	[LOTE_XML_GERADO] = B(LOTE_ABERTO) | B(LOTE_ENVIANDO),
	/* enviando -> enviando: a resumed send of the same bytes. */
	[LOTE_ENVIANDO] = B(LOTE_ENVIANDO) | B(LOTE_ENVIADO) |
	    B(LOTE_REJEITADO) | B(LOTE_XML_GERADO),
	[LOTE_ENVIADO] = 0,
	[LOTE_REJEITADO] = 0,
};

/* Statements kept for one connection (a process has one at a time). */
enum {
	ST_GUIA, ST_FILL, ST_FILLED, ST_PICKED, ST_LOTE_GUIAS, ST_LOTE,
	ST_VALIDATED, ST_COUNT
};
static struct {
	sqlite3 *db;
	sqlite3_stmt *st[ST_COUNT];
	int	 fill;	/* state_fill_begin turned the triggers off */
	int	 fk;	/* whether foreign keys were on before */
	int	 fn;	/* tiss_pick is registered on db */
	const struct state_picks *picks;	/* what tiss_pick reads */
} cache;

/* The IN list of ST_FILL: ?2 ... ?(FILL_MAX + 1). */
#define FILL_MAX	100
#define FILL_IN_8 "?,?,?,?,?,?,?,?,"
#define FILL_IN_100 FILL_IN_8 FILL_IN_8 FILL_IN_8 FILL_IN_8 FILL_IN_8 \
	FILL_IN_8 FILL_IN_8 FILL_IN_8 FILL_IN_8 FILL_IN_8 FILL_IN_8 \
	FILL_IN_8 "?,?,?,?"

static const char *const cache_sql[ST_COUNT] = {
	/* ?1 id, ?2 new, ?3 allowed old statuses ("|a|b|"), ?4 lote. */
	/*
	 * A move to incompleto is an edit's (entry, gsheet, tiss-guia,
	 * tiss-fetch, guide_unvalidated): the guide's verdict is no longer
	 * current, whatever the clock says (validadoCom NULL: checked again).
	 */
	[ST_GUIA] = "UPDATE guia SET status = ?2, lote_id = CASE "
	    "WHEN ?2 = 'em_lote' THEN ?4 WHEN ?2 = 'enviada' THEN lote_id "
	    "ELSE NULL END, alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now'), validadoCom = CASE WHEN ?2 = 'incompleto' THEN NULL "
	    "ELSE validadoCom END "
	    "WHERE id = ?1 AND instr(?3, '|' || status || '|') > 0",
	/*
	 * ?1 lote, then the ids (NULL in the slots not used): complete
	 * guides in no lote only (completo -> em_lote, the one way in).
	 */
	[ST_FILL] = "UPDATE guia SET status = 'em_lote', lote_id = ?1, "
	    "alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id IN ("
	    FILL_IN_100 ") AND status = 'completo' AND lote_id IS NULL",
	/*
	 * ?1 lote, ?2 guides moved in: what the triggers do when n guides
	 * join an aberto lote (guia_lote_move: revisao + 1 and the approval
	 * voided, each) and it becomes fechado (lote_revisao_status: + 1;
	 * lote_aprovacao_aberto runs only into aberto).
	 */
	[ST_FILLED] = "UPDATE lote SET status = 'fechado', revisao = revisao "
	    "+ ?2 + 1, aprovadoEm = NULL, aprovadoPor = NULL, alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND status = "
	    "'aberto'",
	/*
	 * The guides of ids ?1 <= id < ?2 that the build's map gives a new
	 * lote (tiss_pick, cache.picks) into it, complete guides in no lote
	 * only, guia walked in rowid order.
	 */
	[ST_PICKED] = "UPDATE guia SET status = 'em_lote', lote_id = "
	    "tiss_pick(id), alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now') WHERE id >= ?1 AND id < ?2 AND tiss_pick(id) IS NOT NULL "
	    "AND status = 'completo' AND lote_id IS NULL",
	[ST_LOTE_GUIAS] = "UPDATE guia SET status = ?2, lote_id = CASE "
	    "WHEN ?2 = 'enviada' THEN lote_id ELSE NULL END, alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE lote_id = ?1 AND "
	    "instr(?3, '|' || status || '|') > 0",
	[ST_LOTE] = "UPDATE lote SET status = ?2, alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND "
	    "instr(?3, '|' || status || '|') > 0",
	/*
	 * ?4 valorTotalProc, ?5 validadoEm, ?6 validadoCom (the validation
	 * fingerprint, validate.h); a guide not in a lote only.
	 * A new status is stamped with the validation's own time, never
	 * later than validadoEm: a guide is "unvalidated" when validadoEm
	 * < alteradoEm (gsel_unvalidated), and a clock that ticked between
	 * the validator's start and this write would make every guide
	 * whose status changed look unvalidated, checked again by every
	 * later import.
	 */
	[ST_VALIDATED] = "UPDATE guia SET status = ?2, valorTotalProc = ?4, "
	    "validadoEm = ?5, validadoCom = ?6, alteradoEm = CASE WHEN "
	    "status = ?2 THEN alteradoEm ELSE max(alteradoEm, ?5) END "
	    "WHERE id = ?1 AND instr(?3, '|' || status || '|') > 0",
};

void
state_forget(sqlite3 *db)
{
	int i;

	if (cache.db != db)
		return;
	for (i = 0; i < ST_COUNT; i++) {
		sqlite3_finalize(cache.st[i]);
		cache.st[i] = NULL;
	}
	cache.db = NULL;
	cache.fill = 0;
	cache.fn = 0;
	cache.picks = NULL;
}

static sqlite3_stmt *
stmt(sqlite3 *db, int k)
{
	if (cache.db != db) {
		state_forget(cache.db);
		cache.db = db;
	}
	if (cache.st[k] == NULL) {
		db_set_close_hook(state_forget);
		cache.st[k] = db_prepare(db, cache_sql[k]);
	}
	sqlite3_reset(cache.st[k]);
	return cache.st[k];
}

/* "|a|b|": the statuses from which `to` may be reached. */
static void
sources(const unsigned *moves, const char *const *names, int n, int to,
    char out[128])
{
	size_t len = 1;
	int s;

	strcpy(out, "|");
	for (s = 0; s < n; s++)
		if (moves[s] & B(to)) {
			size_t k = strlen(names[s]);

			memcpy(out + len, names[s], k);
			len += k;
			out[len++] = '|';
			out[len] = '\0';
		}
}

static int
run(sqlite3 *db, sqlite3_stmt *st, int to_idx, const char *to,
    const char *from, long long id, long long lote)
{
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_text(st, 2, to, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 3, from, -1, SQLITE_TRANSIENT);
	if (to_idx >= 0)
		sqlite3_bind_int64(st, 4, lote);
	db_step(db, st);
	return sqlite3_changes(db);
}

const char *
state_guia_name(enum guia_state s)
{
	return (unsigned)s < GUIA_NSTATES ? guia_names[s] : "?";
}

const char *
state_lote_name(enum lote_state s)
{
	return (unsigned)s < LOTE_NSTATES ? lote_names[s] : "?";
}

static int
lookup(const char *const *names, int n, const char *name)
{
	int i;

	for (i = 0; name && i < n; i++)
		if (strcmp(names[i], name) == 0)
			return i;
	return -1;
}

int
state_guia_parse(const char *name)
{
	return lookup(guia_names, GUIA_NSTATES, name);
}

int
state_lote_parse(const char *name)
{
	return lookup(lote_names, LOTE_NSTATES, name);
}

int
state_guia_allowed(enum guia_state from, enum guia_state to)
{
	return (unsigned)from < GUIA_NSTATES && (unsigned)to < GUIA_NSTATES &&
	    (guia_moves[from] & B(to)) != 0;
}

int
state_lote_allowed(enum lote_state from, enum lote_state to)
{
	return (unsigned)from < LOTE_NSTATES && (unsigned)to < LOTE_NSTATES &&
	    (lote_moves[from] & B(to)) != 0;
}

int
state_guia_set(sqlite3 *db, long long id, enum guia_state to, long long lote)
{
	char from[128];

	sources(guia_moves, guia_names, GUIA_NSTATES, to, from);
	return run(db, stmt(db, ST_GUIA), 1, guia_names[to], from, id, lote);
}

/*
 * The triggers whose work state_lote_fill does itself when they are off,
 * by name, sorted: guia_lote_move and lote_revisao_status (ST_FILLED),
 * lote_aprovacao_aberto (never runs: the lote goes to fechado),
 * guia_revisao_delete (no guide is deleted).
 */
static const char fill_triggers[] = "guia_lote_move,guia_revisao_delete,"
    "lote_aprovacao_aberto,lote_revisao_status";

int
state_fill_begin(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT group_concat(name, ',') "
	    "FROM (SELECT name FROM sqlite_schema WHERE type = 'trigger' "
	    "ORDER BY name)");
	int same, on = 1;

	same = db_step(db, st) == SQLITE_ROW && db_col_text(st, 0) &&
	    strcmp(db_col_text(st, 0), fill_triggers) == 0;
	sqlite3_finalize(st);
	if (!same)
		return 0;
	(void)stmt(db, ST_FILL);	/* the cache is this connection's */
	cache.fill = 1;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_FKEY, -1, &cache.fk) !=
	    SQLITE_OK)
		cache.fk = 1;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 0, &on) !=
	    SQLITE_OK || on != 0 || sqlite3_db_config(db,
	    SQLITE_DBCONFIG_ENABLE_FKEY, 0, &on) != SQLITE_OK || on != 0) {
		state_fill_end(db);
		return 0;
	}
	return 1;
}

void
state_fill_end(sqlite3 *db)
{
	int on = 0, fk = -1;

	if (cache.db != db || !cache.fill)
		return;
	if (sqlite3_db_config(db, SQLITE_DBCONFIG_ENABLE_TRIGGER, 1, &on) !=
	    SQLITE_OK || on != 1 || sqlite3_db_config(db,
	    SQLITE_DBCONFIG_ENABLE_FKEY, cache.fk, &fk) != SQLITE_OK ||
	    fk != cache.fk)
		fatal(EXIT_SOFTWARE, _("cannot turn the database's triggers "
		    "and foreign keys back on: %s"), sqlite3_errmsg(db));
	cache.fill = 0;
	cache.picks = NULL;
}

/* Move up to FILL_MAX guides ids into lote; how many moved. */
static int
fill_some(sqlite3 *db, const long long *ids, int n, long long lote)
{
	sqlite3_stmt *st = stmt(db, ST_FILL);
	int i;

	sqlite3_bind_int64(st, 1, lote);
	for (i = 0; i < FILL_MAX; i++)
		if (i < n)
			sqlite3_bind_int64(st, i + 2, ids[i]);
		else
			sqlite3_bind_null(st, i + 2);
	db_step(db, st);
	sqlite3_reset(st);
	return sqlite3_changes(db);
}

int
state_lote_fill(sqlite3 *db, long long lote, const long long *ids, int n)
{
	int i, k = 0;

	for (i = 0; i < n; i += FILL_MAX)
		k += fill_some(db, ids + i, n - i < FILL_MAX ? n - i : FILL_MAX,
		    lote);
	if (!cache.fill)
		return state_lote_set(db, lote, LOTE_FECHADO) == 1 ? k : -1;
	return state_lote_closed(db, lote, k) == 1 ? k : -1;
}

/* Run cache statement k with ?1 a, ?2 b, the triggers off: rows changed. */
static long
fill_step(sqlite3 *db, int k, long long a, long long b)
{
	sqlite3_stmt *st;

	if (cache.db != db || !cache.fill)
		return -1;
	st = stmt(db, k);
	sqlite3_bind_int64(st, 1, a);
	sqlite3_bind_int64(st, 2, b);
	db_step(db, st);
	sqlite3_reset(st);
	return sqlite3_changes(db);
}

int
state_lote_closed(sqlite3 *db, long long lote, int n)
{
	return fill_step(db, ST_FILLED, lote, n) == 1 ? 1 : -1;
}

uint32_t
state_picks_slot(const struct state_picks *p, long long id)
{
	return id < p->lo || id - p->lo >= p->n ? 0 : p->slot[id - p->lo];
}

/* tiss_pick(id): the new lote cache.picks gives guide id, or NULL. */
static void
pick_fn(sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
	uint32_t v;

	(void)argc;
	v = cache.picks == NULL ? 0 : state_picks_slot(cache.picks,
	    sqlite3_value_int64(argv[0]));
	if (v == 0)
		sqlite3_result_null(ctx);
	else
		sqlite3_result_int64(ctx, cache.picks->base + v - 1);
}

long
state_guias_picked(sqlite3 *db, const struct state_picks *picks,
    long long lo, long long hi)
{
	if (cache.db != db || !cache.fill)
		return -1;
	if (!cache.fn) {
		if (sqlite3_create_function(db, "tiss_pick", 1, SQLITE_UTF8 |
		    SQLITE_DIRECTONLY, NULL, pick_fn, NULL, NULL) != SQLITE_OK)
			fatal(EXIT_SOFTWARE, _("database: cannot add the "
			    "function tiss_pick: %s"), sqlite3_errmsg(db));
		cache.fn = 1;
	}
	cache.picks = picks;
	return fill_step(db, ST_PICKED, lo, hi);
}

int
state_lote_guias_set(sqlite3 *db, long long lote, enum guia_state to)
{
	char from[128];

	/* Only guides in the lote move, whatever else the table allows. */
	sources(guia_moves, guia_names, GUIA_NSTATES, to, from);
	return run(db, stmt(db, ST_LOTE_GUIAS), -1, guia_names[to],
	    strstr(from, "|em_lote|") ? "|em_lote|" : "||", lote, 0);
}

int
state_lote_set(sqlite3 *db, long long id, enum lote_state to)
{
	char from[128];

	sources(lote_moves, lote_names, LOTE_NSTATES, to, from);
	return run(db, stmt(db, ST_LOTE), -1, lote_names[to], from, id, 0);
}

const char *
state_guia_initial(enum guia_state to)
{
	return to == GUIA_INCOMPLETO || to == GUIA_COMPLETO ?
	    guia_names[to] : NULL;
}

int
state_guia_validated(sqlite3 *db, long long id, enum guia_state to,
    long long total, const char *when, long long fingerprint)
{
	sqlite3_stmt *st;
	char from[32];

	/* Only from incompleto or completo: a guide in a lote stays there. */
	if (to != GUIA_INCOMPLETO && to != GUIA_COMPLETO)
		return 0;
	snprintf(from, sizeof(from), "|%s%s",
	    state_guia_allowed(GUIA_INCOMPLETO, to) ? "incompleto|" : "",
	    state_guia_allowed(GUIA_COMPLETO, to) ? "completo|" : "");
	st = stmt(db, ST_VALIDATED);
	sqlite3_bind_int64(st, 4, total);
	sqlite3_bind_text(st, 5, when, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 6, fingerprint);
	return run(db, st, -1, guia_names[to], from, id, 0);
}

/*
 * Run update (?1 id, ?2 a, ?3 b): 1 when a row changed, else 2 when the
 * query `already` (?1 id; the others unused) finds a row, else 0.
 */
static int
mark(sqlite3 *db, const char *update, const char *already, long long id,
    const char *a, const char *b)
{
	const char *sql[2] = { update, already };
	int i, n = 0;

	for (i = 0; i < 2 && n == 0; i++) {
		sqlite3_stmt *st = db_prepare(db, sql[i]);

		sqlite3_bind_int64(st, 1, id);
		if (i == 0) {
			sqlite3_bind_text(st, 2, a, -1, SQLITE_TRANSIENT);
			sqlite3_bind_text(st, 3, b, -1, SQLITE_TRANSIENT);
			db_step(db, st);
			n = sqlite3_changes(db) > 0;
		} else
			n = db_step(db, st) == SQLITE_ROW ? 2 : 0;
		sqlite3_finalize(st);
	}
	return n;
}

int
state_lote_aprovar(sqlite3 *db, long long id, const char *by,
    const char *when)
{
	return mark(db, "UPDATE lote SET aprovadoPor = ?2, aprovadoEm = ?3 "
	    "WHERE id = ?1 AND aprovadoEm IS NULL AND status IN ('fechado', "
	    "'xml_gerado')", "SELECT 1 FROM lote WHERE id = ?1 AND aprovadoEm "
	    "IS NOT NULL AND status IN ('fechado', 'xml_gerado')", id, by, when);
}

int
state_guia_reter(sqlite3 *db, long long id, const char *when,
    const char *motivo)
{
	/* ?2 when (NULL: release), ?3 motivo. */
	return mark(db, "UPDATE guia SET retidaEm = ?2, retidaMotivo = CASE "
	    "WHEN ?2 IS NULL THEN NULL ELSE ?3 END, alteradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now') WHERE id = ?1 AND status "
	    "IN ('incompleto', 'completo') AND (retidaEm IS NULL) = (?2 IS NOT "
	    "NULL)", "SELECT 1 FROM guia WHERE id = ?1 AND status IN "
	    "('incompleto', 'completo')", id, when, motivo);
}
