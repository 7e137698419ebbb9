/*
 * The report stylesheets (xslt/report-FORMAT.xsl) applied to data
 * documents: a whole report, or a large one in parts, so that memory
 * follows the largest part, not the report (issue 17).  A stylesheet
 * that renders in parts takes $part: 'frame' is the page with a mark
 * where the parts go, another value one part only.
 */
#ifndef TISS_RENDER_H
#define TISS_RENDER_H

#include <libxml/tree.h>
#include <libxslt/xsltInternals.h>

#include "util.h"

/*
 * A new data document whose root is name, stamped (gerado) with the time
 * of the report (time_now: SOURCE_DATE_EPOCH when set); the caller frees
 * it with xmlFreeDoc.  Never fails (exits 70 out of memory).
 */
xmlDocPtr render_doc(const char *name, xmlNodePtr *root);
/*
 * $TISS_DATADIR (else the build's datadir)/xslt/report-NAME.xsl,
 * compiled; free it with xsltFreeStylesheet.  Exits 78 naming the file
 * when it cannot be loaded.
 */
xsltStylesheetPtr render_load(const char *name);
/*
 * doc through xsl, appended to out, with $part set to part (an XPath
 * literal such as "'prestadores'"), or with no parameter when part is
 * NULL.  A part other than 'frame' is no page: the DOCTYPE and the final
 * newline an HTML page gets are left out.  Exits 70 when the
 * stylesheet fails.
 */
void	 render_part(xsltStylesheetPtr xsl, xmlDocPtr doc, const char *part,
	    struct buf *out);
/*
 * Remove the first mark from page and return its offset: what goes
 * before the parts, and (from there) after them.  Exits 70 when page
 * has no mark (the stylesheet does not render in parts).
 */
size_t	 render_split(struct buf *page, const char *mark);

#endif
