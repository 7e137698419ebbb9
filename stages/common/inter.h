/*
 * The intermediate document of a lote (xsd/lote.xsd): its cabecalho and
 * guides read from the database, the input of xslt/lote-tiss-*.xsl.
 */
#ifndef TISS_INTER_H
#define TISS_INTER_H

#include <sqlite3.h>
#include <libxml/tree.h>

struct cfg;
struct tissver;

/* One lote as read: what its files are named after and recorded under. */
struct lote_read {
	long long id;
	char	*prest;			/* owned */
	long	 numero;
	long long revisao;		/* as read with the guides */
};

/* What the cabecalho says besides the lote's own data. */
struct inter_head {
	const struct cfg *cfg;		/* [prestador CODE]: CNPJ or CPF */
	const char *registro_ans;	/* the operator */
	const struct tissver *ver;	/* Padrao, and the CNPJ rule */
	xmlDictPtr dict;		/* element names, or NULL */
};

/*
 * Read lote l->id, its revisao and guides in one transaction, into a new
 * intermediate document (the caller frees it with xmlFreeDoc) stamped
 * with h (the prestador identified as its [prestador] section says) and
 * the local time; fills l (l->prest is the
 * caller's to free).  Guides in numeroGuiaPrestador order, procedures in
 * item order.  Its element names come from h->dict when set (the
 * stylesheet's: its templates are then found by the names' pointers).
 * Returns NULL when the lote has no guide.  The statements
 * are prepared once per connection and kept until inter_forget.  Exits
 * as db_step does on a database error.
 */
xmlDocPtr inter_build(sqlite3 *db, const struct inter_head *h,
	    struct lote_read *l);
/* Finalize the kept statements (before db is closed); safe to repeat. */
void	 inter_forget(void);

#endif
