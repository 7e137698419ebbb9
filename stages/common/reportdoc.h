/*
 * The data documents of two reports (xsd/relatorios.xsd), for
 * tiss-report to render: the pendências of the guides not yet in a
 * lote, and the 2ª via of a lote's protocolo de recebimento.
 */
#ifndef TISS_REPORTDOC_H
#define TISS_REPORTDOC_H

#include <libxml/tree.h>
#include <sqlite3.h>

#include "ws.h"

/*
 * The pendências of incomplete guides (of prestador prest, or all when
 * NULL), sorted by prestador and guide; a new document the caller frees
 * with xmlFreeDoc.  Exits as db_step does on a database error.
 */
xmlDocPtr reportdoc_pendencias(struct ws *ws, const char *prest);

/*
 * The 2ª via of lote's protocolo (of prest; when NULL the lote number
 * must be one prestador's: exits 64 naming them otherwise); a new
 * document the caller frees.  Exits 66 when there is no such lote, 65
 * when it has no protocolo.
 */
xmlDocPtr reportdoc_protocolo(struct ws *ws, const char *prest,
	    long long lote);

/*
 * A glosa element under parent from the row of st: columns 0 to 4 are
 * the guide, the item, the code, the operator's description (the
 * official one when empty: tissver_glosa_describe) and the value, as
 * both reports show a glosa.  Returns the element, for more properties.
 */
xmlNodePtr reportdoc_glosa(xmlNodePtr parent, sqlite3_stmt *st);

#endif
