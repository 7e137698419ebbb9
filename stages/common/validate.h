/*
 * The validation engine: checks dental guides (GTO) not yet in a lote
 * against the rules (rules.h; docs/validation.md lists every code).
 *
 * val_guides() reads guides in batches, one transaction each, stores
 * each failed rule as a pendência, recomputes valorTotalProc and moves
 * the guide to 'completo' (no pendência of severity erro) or
 * 'incompleto' through state.h.  It never fills in missing billing
 * data; the one thing it writes into a guide is an empty
 * descricaoProcedimento, taken from the TUSS table (audited).
 */
#ifndef TISS_VALIDATE_H
#define TISS_VALIDATE_H

#include "guide.h"
#include "profile.h"
#include "rules.h"
#include "ws.h"

struct val_ctx {
	struct rules_ctx rules;		/* what the rules read */
	struct tuss_term *tuss;		/* owned: the TUSS table, sorted */
	const char *source;		/* who validates, for the audit */
	long long fingerprint;		/* the validation fingerprint */
	long long fingerprint_day;	/* the same with today's date */
	int	 all;			/* check current ones too (--todas) */
};

struct val_stats {
	long	 checked;		/* guides checked */
	long	 complete;		/* of which completo */
	long	 errors;		/* pendências of severity erro */
	long	 warnings;		/* pendências of severity aviso */
	long	 rule_count[64];	/* pendências per rule (rules_code) */
	long	 current;		/* not checked: verdict current */
	long	 current_complete;	/* of which completo */
};

/*
 * The validation fingerprint (docs/validation.md "When a guide is
 * checked"): one 64-bit value of every input that can change a guide's
 * verdict besides its own values: the program's version and its rules'
 * sources (TISS_RULES_ID, from the Makefile), the schema version, and
 * what rules_ctx_digest gives (registro_ans, versao_tiss,
 * carteira_digitos, the whole TUSS table as loaded).  A check stores it
 * in validadoCom, or fingerprint_day (the same with the day of
 * rules.today mixed in) when a rule failed on today's date
 * (check.dated).  A guide not in a lote is current, and a pass over
 * many guides does not check it again, when its validadoCom is one of
 * the two, it was not changed since (validadoEm >= alteradoEm; every
 * edit also clears validadoCom, state.h) and validadoEm's day is not
 * after today (a clock set back).
 *
 * Prepare ctx from the operator profile p (registro_ans, versao) and the
 * workspace's TUSS table, with its fingerprints; source names who
 * validates in the audit (not copied).  Exits 75 or 70 on a database
 * error.  val_ctx_release frees what it holds.
 */
void	 val_ctx_init_profile(struct val_ctx *ctx, struct ws *ws,
	    const struct profile *p, const char *source);
/*
 * Set ctx->fingerprint and ctx->fingerprint_day from ctx->rules (what
 * val_ctx_init_profile does once the table is loaded).  Never fails.
 */
void	 val_ctx_fingerprint(struct val_ctx *ctx);
/* The same, loading the profile (profile_load: exits 78 when bad). */
void	 val_ctx_init(struct val_ctx *ctx, struct ws *ws, const char *source);
void	 val_ctx_release(struct val_ctx *ctx);

/*
 * Validate the guides not in a lote: all of them when id is 0 (those
 * current are counted in st->current, not checked, unless ctx->all),
 * else the one guide with that id, current or not; adds to st.  Commits
 * every 2000 guides, so it may be interrupted at any point and run
 * again.  Exits 75 when the database is busy, 70 on another database
 * error.
 */
void	 val_guides(struct ws *ws, const struct val_ctx *ctx, long long id,
	    struct val_stats *st);

/* The same for the guides of prestador prest not in a lote. */
void	 val_guides_prestador(struct ws *ws, const struct val_ctx *ctx,
	    const char *prest, struct val_stats *st);

/*
 * The same for all the guides not in a lote, except those of importação
 * `from` and later that are validated (validadoEm set): an import has
 * checked those with val_one as it stored them.  before, when not 0:
 * only the guides with a lower id (an import that changed no guide it
 * found stored gives its first new id: the rows after it are not read).
 * The current guides are not counted (st->current stays as it was).
 */
void	 val_guides_except(struct ws *ws, const struct val_ctx *ctx,
	    long long from, long long before, struct val_stats *st);

/*
 * One new guide at a time, as a stage stores it (tiss-import):
 * val_one_insert checks g, whose values are canonical as they will be
 * stored (gto_canonical) and whose procedures are all in g, numbered 1
 * up, then inserts it through q with origin o (guide_insert_checked:
 * its status, valorTotalProc, validadoCom and validadoEm, the `when` of
 * val_one_open), its procedures (guide_insert_procs) and what the check
 * found (pendências, descriptions from the TUSS table, audited), all in
 * the caller's transaction, and adds to st.  With st NULL it only
 * inserts the guide and its procedures, unvalidated (a file being
 * rejected).  Returns the new id.  Exits 70 when the guide exists
 * (look first: guide_find), 75 or 70 on a database error.
 * val_one_open prepares the statements on db (ctx must outlive it;
 * `when` is copied); val_one_close frees it (NULL is fine).
 */
struct val_one;
struct val_one *val_one_open(sqlite3 *db, const struct val_ctx *ctx,
	    const char *when);
long long val_one_insert(struct val_one *vo, struct guide_sql *q,
	    struct guide *g, const struct guide_origin *o,
	    struct val_stats *st);
void	 val_one_close(struct val_one *vo);

#endif
