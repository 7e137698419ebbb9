/*
 * The life of a guide and of a lote: the only code that writes
 * guia.status and lote.status.  Each move is checked against one table
 * of allowed transitions, so no stage can put a sent lote back or bill
 * a guide twice by writing a status it should not.
 *
 *   guide: incompleto <-> completo -> em_lote -> enviada
 *                                     em_lote -> completo (out of a lote)
 *   lote:  aberto <-> fechado -> xml_gerado -> enviando -> enviado
 *          xml_gerado -> aberto (XML dropped)   enviando -> rejeitado
 *          enviando -> xml_gerado (no byte reached the operator)
 *
 * Every function runs inside the caller's transaction and sets
 * alteradoEm.  Statements are prepared once per connection and kept
 * until state_forget (db_close calls it).
 */
#ifndef TISS_STATE_H
#define TISS_STATE_H

#include <stdint.h>

#include <sqlite3.h>

enum guia_state {
	GUIA_INCOMPLETO,	/* has pendências, or not validated since edited */
	GUIA_COMPLETO,		/* validated, may go into a lote */
	GUIA_EM_LOTE,		/* in a lote not yet accepted by the operator */
	GUIA_ENVIADA,		/* its lote has a protocolo */
	GUIA_NSTATES
};

enum lote_state {
	LOTE_ABERTO,		/* guides may be added or removed */
	LOTE_FECHADO,		/* ready for tiss-xml */
	LOTE_XML_GERADO,	/* XML written and recorded */
	LOTE_ENVIANDO,		/* a send was committed; outcome not yet known */
	LOTE_ENVIADO,		/* the operator gave a protocolo */
	LOTE_REJEITADO,		/* the operator's own verdict refused it */
	LOTE_NSTATES
};

/* The status as stored ("em_lote"), and back; -1 when unknown. */
const char *state_guia_name(enum guia_state s);
const char *state_lote_name(enum lote_state s);
int	 state_guia_parse(const char *name);
int	 state_lote_parse(const char *name);

/* Whether the table allows from -> to. */
int	 state_guia_allowed(enum guia_state from, enum guia_state to);
int	 state_lote_allowed(enum lote_state from, enum lote_state to);

/*
 * Move guide id to `to` if its present status allows it.  Into
 * GUIA_EM_LOTE it joins lote (lote_id); back to completo or incompleto
 * from em_lote it leaves its lote.  A move to incompleto (every edit ends
 * with one) clears validadoCom, so the guide is checked again whatever
 * the clock says (validate.h).  Returns 1 when moved, 0 when its
 * status did not allow it (or there is no such guide).
 */
int	 state_guia_set(sqlite3 *db, long long id, enum guia_state to,
	    long long lote);

/*
 * Fill the new lote (aberto, no approval) with the n guides ids that are
 * completo and in no lote (GUIA_EM_LOTE), in statements of up to 100
 * guides, and close it (LOTE_FECHADO).  Between state_fill_begin and
 * state_fill_end the connection's triggers and foreign keys are off and
 * this does their work once for the lote: revisao + 1 for each guide and
 * for the status, the approval voided (as guia_lote_move and
 * lote_revisao_status would), and the lote found aberto (the foreign key
 * of guia.lote_id).  Else the triggers do it, per guide.  The lote's
 * revisao and approval end the same either way.  Returns how many guides
 * moved, -1 when lote is not an aberto lote (the caller must roll back).
 */
int	 state_lote_fill(sqlite3 *db, long long lote, const long long *ids,
	    int n);

/*
 * A build's map of guides to the new lotes they join: slot[id - lo] is 0
 * for a guide that stays, else its lote's id - base + 1 (n slots).
 */
struct state_picks {
	long long lo, base;
	const uint32_t *slot;
	long	 n;
};

/* The slot of guide id in p: 0 when id is outside it or stays. */
uint32_t state_picks_slot(const struct state_picks *p, long long id);

/*
 * Close the new lote (aberto, no approval) that n guides are to join in
 * the same transaction (state_guias_picked): what state_lote_fill does
 * after the move, between state_fill_begin (which returned 1) and
 * state_fill_end only.  Returns 1, -1 when lote is not an aberto lote or
 * the triggers are on (the caller must roll back).
 */
int	 state_lote_closed(sqlite3 *db, long long lote, int n);

/*
 * Move the complete guides in no lote whose ids lo <= id < hi picks
 * gives a lote into it (GUIA_EM_LOTE), in one statement walking guia in
 * rowid order (its statement journal holds the pages of that range);
 * between state_fill_begin (which returned 1) and state_fill_end only,
 * each lote closed by state_lote_closed.  picks must live until
 * state_fill_end.  Returns how many moved, -1 when the triggers are on.
 */
long	 state_guias_picked(sqlite3 *db, const struct state_picks *picks,
	    long long lo, long long hi);

/*
 * Turn off the triggers and foreign keys of db's connection for a run of
 * state_lote_fill, inside the caller's transaction (the caller writes
 * nothing else but new lotes until state_fill_end), when the schema's
 * triggers are the ones state_lote_fill does the work of (state.c's
 * fill_triggers: a new trigger keeps them on, and the build slow).
 * Returns 1 when they are off, 0 when they stay on.
 */
int	 state_fill_begin(sqlite3 *db);

/*
 * Turn them back on as they were (nothing when state_fill_begin returned
 * 0); exits 70 when SQLite refuses (a bug).
 */
void	 state_fill_end(sqlite3 *db);

/*
 * The status a guide is stored with when it is inserted already
 * validated (tiss-import): `to` as stored, for incompleto or completo;
 * NULL for any other.
 */
const char *state_guia_initial(enum guia_state to);

/*
 * The outcome of validating guide id, in one statement (a guide's row is
 * wide: writing it twice would double the cost of tiss-validate): its
 * status `to` (incompleto or completo) with its valorTotalProc (total)
 * and validadoEm (when) and validadoCom (fingerprint: what it was checked
 * under, validate.h), from incompleto or completo only; alteradoEm
 * changes only when the status does, to `when` (never past it, so the
 * guide counts as validated).  Returns 1 when written, 0 when the
 * guide is in a lote, does not exist, or `to` is neither.
 */
int	 state_guia_validated(sqlite3 *db, long long id, enum guia_state to,
	    long long total, const char *when, long long fingerprint);

/*
 * Move every guide of lote that may go to `to` (em_lote -> enviada when
 * sent, em_lote -> completo when the lote is deleted).  Returns how many
 * moved.
 */
int	 state_lote_guias_set(sqlite3 *db, long long lote, enum guia_state to);

/*
 * Move lote id to `to` if its present status allows it.  Returns 1 when
 * moved, 0 when not (the caller says what that means: a concurrent
 * change, a lote already sent).
 */
int	 state_lote_set(sqlite3 *db, long long id, enum lote_state to);

/*
 * The review step (migration 6): approval of a lote and the hold of a
 * guide are not statuses but marks beside them.  A lote may be approved
 * while 'fechado' or 'xml_gerado' (nothing of it has left yet); the
 * approval is voided by the database when the lote is opened again or
 * a guide joins or leaves it.  A guide may be held ("retida") or
 * released while 'incompleto' or 'completo', never once in a lote.
 */

/*
 * Approve lote id as `by` (a person's name or login) at `when` (ISO
 * 8601).  Returns 1 when approved now, 2 when it was approved already
 * (left as it was), 0 when its status does not allow it or there is no
 * such lote.
 */
int	 state_lote_aprovar(sqlite3 *db, long long id, const char *by,
	    const char *when);

/*
 * Hold guide id out of lotes at `when` with the reason `motivo` (may be
 * NULL), or release it when `when` is NULL.  Returns 1 when changed, 2
 * when it was so already, 0 when the guide is in a lote, sent, or does
 * not exist.
 */
int	 state_guia_reter(sqlite3 *db, long long id, const char *when,
	    const char *motivo);

/* Finalize the statements kept for db; called by db_close. */
void	 state_forget(sqlite3 *db);

#endif
