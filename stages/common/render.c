#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "datadir.h"
#include "db.h"
#include "fmt.h"
#include "render.h"
#include "util.h"
#include "xml.h"

xsltStylesheetPtr
render_load(const char *name)
{
	xsltStylesheetPtr xsl;
	char err[512], *path;

	path = xasprintf("%s/xslt/report-%s.xsl", datadir(), name);
	if ((xsl = xml_xslt_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load '%s': %s"), path, err);
	free(path);
	return xsl;
}

void
render_part(xsltStylesheetPtr xsl, xmlDocPtr doc, const char *part,
    struct buf *out)
{
	const char *params[] = { "part", part, NULL };
	int n = 0, bare = part && strcmp(part, "'frame'") != 0;
	xmlChar *bytes = NULL;
	xmlDocPtr res;
	xmlNodePtr dtd;

	if ((res = xsltApplyStylesheet(xsl, doc, part ? params : NULL)) == NULL)
		fatal(EXIT_SOFTWARE, _("the stylesheet '%s' failed"), xsl->doc &&
		    xsl->doc->URL ? (const char *)xsl->doc->URL : "?");
	if (bare && (dtd = (xmlNodePtr)res->intSubset) != NULL) {
		xmlUnlinkNode(dtd);
		xmlFreeDtd((xmlDtdPtr)dtd);
	}
	xsltSaveResultToString(&bytes, &n, res, xsl);
	xmlFreeDoc(res);
	/* The HTML serializer ends a page with a newline; a part has none. */
	if (bare && xsl->method && xmlStrEqual(xsl->method, BAD_CAST "html") &&
	    n > 0 && bytes[n - 1] == '\n')
		n--;
	if (bytes)
		buf_add(out, bytes, (size_t)n);
	xmlFree(bytes);
}

size_t
render_split(struct buf *page, const char *mark)
{
	size_t len = strlen(mark), at;
	char *p;

	buf_addc(page, '\0');
	page->len--;
	if ((p = strstr(page->data, mark)) == NULL)
		fatal(EXIT_SOFTWARE, _("a report stylesheet has no mark for "
		    "its parts"));
	at = (size_t)(p - page->data);
	memmove(p, p + len, page->len - at - len);
	page->len -= len;
	return at;
}

xmlDocPtr
render_doc(const char *name, xmlNodePtr *root)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	char when[FMT_ISO];

	*root = xmlNewNode(NULL, BAD_CAST name);
	xmlDocSetRootElement(doc, *root);
	/* In the workspace's zone, with its offset: what a person reads. */
	fmt_iso_local(time_now(), when);
	xmlNewProp(*root, BAD_CAST "gerado", BAD_CAST when);
	return doc;
}

void
render_prop(xmlNodePtr n, const char *name, const char *value)
{
	if (value != NULL)
		xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

void
render_prop_col(xmlNodePtr n, const char *name, sqlite3_stmt *st, int col)
{
	if (sqlite3_column_type(st, col) != SQLITE_NULL)
		render_prop(n, name, db_col_text(st, col));
}

void
render_prop_i64(xmlNodePtr n, const char *name, int64_t v)
{
	char text[32];

	format_int(v, text);
	render_prop(n, name, text);
}
