/*
 * The reconciliation (docs/ciclo.md) as a data document for the report
 * machinery: per competência, prestador and lote what was billed,
 * processed, released, glossed, paid, appealed, granted and is still to
 * receive (the views conciliacao_lote, conciliacao_guia and
 * conciliacao_glosa of migration 7), the guides no demonstrativo
 * mentions after some days, and the glosas by code.  Every sum in
 * integer centavos; nothing is formatted here.
 */
#ifndef TISS_CONCILIACAO_H
#define TISS_CONCILIACAO_H

#include <libxml/tree.h>
#include <sqlite3.h>

/*
 * The document, root <conciliacao competencia prestador dias>: a
 * <prestador codigo> per prestador with a <lote> per sent lote and a
 * <subtotal>; a <total>; <ausentes> with each <guia> sent more than
 * dias days ago that no demonstrativo mentions; <glosas> with a <glosa>
 * per code.  competencia ("AAAA-MM") and prest may be NULL for all.
 * Sums are attributes faturado, processado, liberado, glosado, pago,
 * acatado, emRecurso, aReceber (absent in a lote when unknown).
 * Returns a new document (xmlFreeDoc); database errors exit as db_step.
 */
xmlDocPtr conciliacao_doc(sqlite3 *db, const char *competencia,
	    const char *prest, long dias);

#endif
