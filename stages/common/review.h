/*
 * The review step (issue 15 item 6): a person approves each lote before
 * it is sent, when the operator profile asks for it ([operadora]
 * aprovacao = sim, or tiss-send --aprovacao), and holds guides out of
 * lotes.  The marks are written through state.h (state_lote_aprovar,
 * state_guia_reter); these are tiss-lote's commands aprovar, reter and
 * liberar, and the test tiss-send applies.
 */
#ifndef TISS_REVIEW_H
#define TISS_REVIEW_H

#include "lotes.h"
#include "ws.h"

/*
 * tiss-lote aprovar N... | aprovar --competencia MM/AAAA [--yes]: approve
 * the lotes named (of prestador, when not NULL), or every unapproved
 * lote 'fechado' or 'xml_gerado' of the competência (asking first on a
 * terminal unless --yes).  argv[0] is the command.  Prints one line per
 * lote on stdout.  Returns 0, 65 when a lote cannot be approved (its
 * status, said), 66 when one does not exist; exits 64 on a usage error
 * or a number several prestadores have (naming them).
 */
int	 review_aprovar(struct ws *ws, const char *prestador, int argc,
	    char **argv);

/*
 * tiss-lote reter G... [--motivo TEXTO] | liberar G...: hold guides
 * (numeroGuiaPrestador, of prestador when not NULL) out of lotes, or
 * release them.  Returns 0, 65 when a guide is in a lote or sent, 66
 * when one does not exist; exits 64 on a usage error or a number
 * several prestadores have.
 */
int	 review_reter(struct ws *ws, const char *prestador, int argc,
	    char **argv);

/*
 * Whether the workspace's profile asks a person to approve each lote
 * before tiss-send sends it: [operadora] aprovacao (sim/não; não by
 * default).  Exits 78 naming the key when the value is not yes or no.
 */
int	 review_required(const struct ws *ws);

/*
 * Whether tiss-send must leave lote l alone for now: approval is
 * required, the lote is not approved (aprovado_em NULL) and nothing of
 * it has left yet (a lote 'enviando' is always finished: its bytes may
 * have reached the operator).  Logs a notice saying how to approve it
 * when so.  Returns 1 to skip, 0 to send.
 */
int	 review_wait(const struct lote_item *l, int required,
	    const char *aprovado_em);

#endif
