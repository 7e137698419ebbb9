/*
 * The portal path: an operator without a web service ([operadora] envio
 * = portal) takes the lote's XML uploaded by a person on its portal, and
 * the portal shows a protocolo.  tiss-send marks the lotes ready for
 * upload; tiss-portal records the protocolo (typed, or read from the
 * portal's receipt file), after which the lote is 'enviado' as if a web
 * service had answered: status, demonstrativos and reports work alike.
 */
#ifndef TISS_PORTAL_H
#define TISS_PORTAL_H

#include <stdint.h>

#include "lotes.h"
#include "ws.h"

/*
 * Mark the lotes of l that are 'xml_gerado' ready for upload (the time,
 * once) and print where each one's XML is.  Returns EXIT_OK.  Database
 * errors exit as db_step.
 */
int	 portal_ready(struct ws *ws, const struct lote_list *l);

/*
 * Record protocolo (1 to 12 letters or digits) of lote numero of prest,
 * sent on data ("AAAA-MM-DD"; NULL: today), valor its total or -1: the
 * lote goes 'enviado' (through 'enviando', in one transaction), its
 * guides 'enviada', an envio row says "portal".  Returns 0; 1 when the
 * lote has that protocolo already; -1 with err when there is no such
 * lote, it is not ready to send, or it has another protocolo.
 */
int	 portal_record(struct ws *ws, const char *prest, long long numero,
	    const char *protocolo, const char *data, int64_t valor, char *err,
	    size_t errlen);

#endif
