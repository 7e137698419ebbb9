/*
 * A listing on stdout in the three forms every list command offers
 * (--format table|csv|xml): an aligned table for a terminal (80
 * columns, UTF-8 aware), CSV with a header row (';', quoted, each cell
 * guarded against formula injection as sheet.h says), or an XML
 * document of one element per row.  tiss-guia list uses it; tiss-lote
 * list has the same shape.
 */
#ifndef TISS_LISTING_H
#define TISS_LISTING_H

#include <libxml/xmlwriter.h>

#include "util.h"

enum listing_format { LISTING_TABLE, LISTING_CSV, LISTING_XML };

/* "table", "csv", "xml", NULL: the choices for cli_choice(). */
extern const char *const listing_formats[];

struct listing_col {
	const char *name;	/* CSV header and XML element; NULL ends */
	const char *title;	/* table header; NULL: not in the table */
	int	 width;		/* table width; negative: right-aligned */
	int	 date;		/* aaaa-mm-dd, shown dd/mm/aaaa in the table */
};

struct listing {
	int	 format;		/* LISTING_* */
	const struct listing_col *cols;
	const char *row_name;		/* XML element of a row */
	xmlBufferPtr xb;		/* XML: the document, owned */
	xmlTextWriterPtr xw;
	struct buf line;		/* table: the line being made */
	long	 rows;			/* rows written */
};

/*
 * Start a listing: the table's or the CSV's header line, or the XML
 * root element root (rows are row_name elements).  cols must outlive
 * the listing.
 */
void	 listing_begin(struct listing *l, int format, const char *root,
	    const char *row_name, const struct listing_col *cols);
/*
 * One row: v[i] the value of cols[i], NULL when none (empty in the
 * table and the CSV, no element in the XML).
 */
void	 listing_row(struct listing *l, const char *const *v);
/* End it: the XML document goes to stdout; frees.  Returns the rows. */
long	 listing_end(struct listing *l);

#endif
