/*
 * Completeness and consistency rules of a dental guide (GTO) before it
 * may go into a lote.  docs/validation.md lists every rule code.
 *
 * val_guides() checks guides not yet in a lote, stores each failed rule
 * as a pendência, recomputes valorTotalProc and sets the guide
 * 'completo' (no pendência of severity erro) or 'incompleto'.  It never
 * fills in missing billing data; the one thing it writes into a guide is
 * an empty descricaoProcedimento, taken from the TUSS table (audited).
 */
#ifndef TISS_VALIDATE_H
#define TISS_VALIDATE_H

#include <stdint.h>

#include "ws.h"

struct tuss_term;

struct val_ctx {
	const char *registro_ans;	/* from tiss.conf; NULL when unset */
	int	 v3;			/* TISS 3.05.00: names are required */
	struct tuss_term *tuss;		/* the TUSS table, sorted by code */
	size_t	 ntuss;			/* 0: no table loaded, codes not checked */
	char	 today[11];		/* "aaaa-mm-dd", UTC */
	const char *source;		/* who validates, for the audit */
};

struct val_stats {
	long	 checked;		/* guides checked */
	long	 complete;		/* of which completo */
	long	 errors;		/* pendências of severity erro */
	long	 warnings;		/* pendências of severity aviso */
	long	 rule_count[64];	/* pendências per rule, indexed by val_rule_index */
};

/* Read the profile and the TUSS table; exits 78 on a bad profile. */
void	 val_ctx_init(struct val_ctx *ctx, struct ws *ws, const char *source);
void	 val_ctx_release(struct val_ctx *ctx);

/*
 * Validate the guides not in a lote: all of them when id is 0, else the
 * one guide with that id.  Commits every few thousand guides, so it may
 * be interrupted at any point and run again.
 */
void	 val_guides(struct ws *ws, const struct val_ctx *ctx, long long id,
	    struct val_stats *st);

/* Rule codes in a fixed order, for the summary; NULL past the end. */
const char *val_rule_code(int i);
const char *val_rule_text(int i);

#endif
