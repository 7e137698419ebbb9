#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include "exitcodes.h"
#include "log.h"
#include "render.h"
#include "xml.h"

#ifndef TISS_DATADIR
#define TISS_DATADIR	"/usr/local/share/tiss"
#endif

xsltStylesheetPtr
render_load(const char *name)
{
	const char *datadir = getenv("TISS_DATADIR");
	xsltStylesheetPtr xsl;
	char err[512], *path;

	if (datadir == NULL || *datadir == '\0')
		datadir = TISS_DATADIR;
	path = xasprintf("%s/xslt/report-%s.xsl", datadir, name);
	if ((xsl = xml_xslt_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load '%s': %s", path, err);
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
		fatal(EXIT_SOFTWARE, "the stylesheet '%s' failed", xsl->doc &&
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
		fatal(EXIT_SOFTWARE, "a report stylesheet has no mark for "
		    "its parts");
	at = (size_t)(p - page->data);
	memmove(p, p + len, page->len - at - len);
	page->len -= len;
	return at;
}

xmlDocPtr
render_doc(const char *name, xmlNodePtr *root)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	time_t t = time_now();
	char when[32];
	struct tm tm;

	*root = xmlNewNode(NULL, BAD_CAST name);
	xmlDocSetRootElement(doc, *root);
	strftime(when, sizeof(when), "%Y-%m-%dT%H:%M:%SZ", gmtime_r(&t, &tm));
	xmlNewProp(*root, BAD_CAST "gerado", BAD_CAST when);
	return doc;
}
