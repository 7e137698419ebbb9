/*
 * The intermediate document of a lote (xsd/lote.xsd): its cabecalho and
 * guides read from the database, the input of xslt/lote-tiss-*.xsl.
 */
#ifndef TISS_INTER_H
#define TISS_INTER_H

#include <sqlite3.h>
#include <libxml/tree.h>

/* One lote as read: what its files are named after and recorded under. */
struct lote_read {
	long long id;
	char	*prest;			/* owned */
	long	 numero;
	long long revisao;		/* as read with the guides */
};

/*
 * Read lote l->id, its revisao and guides in one transaction, into a new
 * intermediate document (the caller frees it with xmlFreeDoc) stamped
 * with registro_ans, versao and the local time; fills l (l->prest is the
 * caller's to free).  Guides in numeroGuiaPrestador order, procedures in
 * item order.  Returns NULL when the lote has no guide.  The statements
 * are prepared once per connection and kept until inter_forget.  Exits
 * as db_step does on a database error.
 */
xmlDocPtr inter_build(sqlite3 *db, const char *registro_ans,
	    const char *versao, struct lote_read *l);
/* Finalize the kept statements (before db is closed); safe to repeat. */
void	 inter_forget(void);

#endif
