/*
 * XML the safe way, for every parse in the project: no network, no
 * entity substitution, no DTD loading, a deny-all external entity loader
 * for libxml2 and libxslt (local files only while our own schemas and
 * stylesheets load), a size limit, XSLT forbidden to write files
 * or touch the network.  Also the TISS epilogo hash.
 */
#ifndef TISS_XML_H
#define TISS_XML_H

#include <stddef.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxslt/xsltInternals.h>

#define XML_MAX_BYTES	(64 << 20)	/* no message we read is larger */

/* Install the deny-all loader and XSLT security prefs; call once. */
void	 xml_init(void);
void	 xml_cleanup(void);

/*
 * Parse a document from memory or a file under the safe options.  On
 * failure returns NULL and puts the first error ("line 3: ...") in err.
 */
xmlDocPtr xml_parse_memory(const char *data, size_t n, const char *name,
	    char *err, size_t errlen);
xmlDocPtr xml_parse_file(const char *path, char *err, size_t errlen);

/* Load a schema file (its includes resolved locally); NULL + err. */
xmlSchemaPtr xml_schema_load(const char *path, char *err, size_t errlen);
/* Validate; returns 0, or -1 with the first error and its line in err. */
int	 xml_schema_check(xmlSchemaPtr schema, xmlDocPtr doc, char *err,
	    size_t errlen);

/* Load a stylesheet file; NULL + err. */
xsltStylesheetPtr xml_xslt_load(const char *path, char *err, size_t errlen);

/* The numeroGuiaPrestador of the guiaOdonto around n into out; NULL. */
const char *xml_guide_of(xmlNodePtr n, char out[64]);

/*
 * The TISS hash (NOTES.md §4): MD5, in lowercase hex, of the text of
 * every leaf element except "hash", in document order, encoded as
 * encoding ("ISO-8859-1" or "UTF-8").  Returns -1 when a value has a
 * character the encoding cannot represent.
 */
int	 xml_tiss_hash(xmlDocPtr doc, const char *encoding, char hex[33]);

#endif
