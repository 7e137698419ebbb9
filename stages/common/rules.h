/*
 * The rules a dental guide (GTO) must pass before it may go into a lote,
 * one code each (docs/validation.md is their contract).  Each rule is a
 * data row (field, rule code, message) checked by a small function, in
 * two tables, one per level of the GTO field table (gto.h).  This module
 * reads no database and writes nothing: the engine (validate.h) loads
 * guides, calls rules_check and stores what it found.
 */
#ifndef TISS_RULES_H
#define TISS_RULES_H

#include <stddef.h>
#include <stdint.h>

#include "gto.h"
#include "tissver.h"
#include "util.h"

/* One term of the TUSS table 22. */
struct tuss_term {
	char	*codigo;	/* procedure code */
	char	*termo;		/* its description */
	char	*inicio;	/* in force from, "aaaa-mm-dd" */
	char	*fim;		/* in force until; NULL: still in force */
};

/* What the rules read besides the guide; owned by the caller. */
struct rules_ctx {
	const char *registro_ans;	/* the operator's; NULL when unset */
	const struct tissver *ver;	/* the operator's version (facets,
					   required names); NULL: default */
	const struct tuss_term *tuss;	/* sorted by codigo, then inicio */
	size_t	 ntuss;			/* 0: no table, codes not checked */
	char	 today[11];		/* "aaaa-mm-dd", UTC */
	int	 carteira_digitos;	/* digits of a card number; 0: any */
};

/* A procedure as the rules see it. */
struct vproc {
	int	 item;			/* procedimento.item */
	const char *v[GTO_MAXFIELDS];	/* canonical values by field; NULL empty */
};

/* A guide as the rules see it. */
struct vguide {
	long long id;			/* guia.id */
	const char *v[GTO_MAXFIELDS];	/* canonical values by field; NULL empty */
	const struct vproc *procs;	/* its procedures in order; NULL if none */
	int	 nprocs;
};

/* A failed rule: one pendência. */
struct issue {
	int	 rule;			/* index for rules_code() and friends */
	char	 campo[96];		/* field path */
	char	 msg[256];		/* in Portuguese */
	long	 valor;			/* offset in check.values; -1: none */
};

/* An empty descricaoProcedimento the TUSS table fills. */
struct fill {
	int	 pos;			/* procedure position, from 0 */
	const char *termo;		/* owned by the rules_ctx's table */
};

/* What checking one guide found; reused from guide to guide. */
struct check {
	struct issue *issues;		/* n of them, in the order found */
	int	 n, cap;
	int	 blocking;		/* how many have severity erro */
	int	 dated;			/* a rule failed on ctx.today: the
					   verdict may differ another day */
	int64_t	 total;			/* sum of valorProc, in centavos */
	struct fill *fills;		/* nfill of them */
	int	 nfill, capfill;
	struct buf values;		/* the issues' values, NUL-separated */
};

/*
 * Check guide g against every rule into c, which rules_check_reset
 * empties first.  Never fails; reads no database.
 */
void	 rules_check(const struct rules_ctx *ctx, const struct vguide *g,
	    struct check *c);
/*
 * Append to out everything of ctx the rules read except today (whose
 * part is check.dated): registro_ans, the version, carteira_digitos and
 * every TUSS term, each value delimited, so that two contexts under
 * which a guide could get another verdict never append the same bytes.
 * A field added to rules_ctx is added here.
 */
void	 rules_ctx_digest(const struct rules_ctx *ctx, struct buf *out);
/* Empty c for the next guide, keeping its memory. */
void	 rules_check_reset(struct check *c);
/* Free what c holds. */
void	 rules_check_release(struct check *c);
/* The value found for is, or NULL; valid until c is reset. */
const char *rules_value(const struct check *c, const struct issue *is);

/*
 * The field path of a pendência into out and returned: "numeroCarteira"
 * when pos < 0, else "procedimentosExecutados[pos + 1].denteFace".
 */
const char *rules_path(char out[96], int pos, int field);

/*
 * The rules in a fixed order, for the summary and the stored rows: their
 * number, and each one's code ("V102"), whether it blocks billing
 * (severity erro) and what it checks; NULL or 0 past the end.
 */
int	 rules_count(void);
const char *rules_code(int rule);
const char *rules_text(int rule);
int	 rules_blocks(int rule);

#endif
