/*
 * What the operator says about a sent lote, as tiss-send (the
 * protocolo) and tiss-status (the situação) both store it.
 */
#ifndef TISS_PROTOCOLO_H
#define TISS_PROTOCOLO_H

#include <stdint.h>

#include <libxml/tree.h>
#include <sqlite3.h>

/* The name of a statusProtocolo (dm_statusProtocolo, 1 to 10), or "?". */
const char *protocolo_status_name(int status);

/*
 * Store one ct_guiaDadosOdonto of lote: its values into protocolo_guia,
 * its glosas and its procedures' into glosa, from fonte ("protocolo" or
 * "status").  Call inside the caller's transaction.
 */
void	 protocolo_store_guide(sqlite3 *db, long long lote, xmlNodePtr guia,
	    const char *fonte);

/* Store one ct_motivoGlosa; guia NULL for the lote, item 0 for a guide. */
void	 protocolo_add_glosa(sqlite3 *db, long long lote, const char *guia,
	    long item, xmlNodePtr motivo, int64_t valor, const char *fonte);

#endif
