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
#include <stdint.h>

#include <libxml/tree.h>
#include <libxml/xmlschemas.h>
#include <libxslt/xsltInternals.h>

#include "util.h"

#define XML_MAX_BYTES	(64 << 20)	/* no message we read is larger */
#define XML_MAX_ATTRS	256		/* attributes of one element */
#define XML_MAX_NODES	4000000		/* elements and attributes in all */

/* Install the deny-all loader and XSLT security prefs; call once. */
void	 xml_init(void);
void	 xml_cleanup(void);

/*
 * Parse a document from memory or a file under the safe options, with
 * the work bounded: at most XML_MAX_BYTES bytes, XML_MAX_ATTRS
 * attributes in an element ("line 3: element 'a' has more than 256
 * attributes; refused"), XML_MAX_NODES elements and attributes, and
 * libxml2's own depth limit, checked in one linear pass before libxml2
 * parses (its duplicate-attribute check is quadratic).  A document that
 * declares entities is refused.  On failure returns NULL and puts the
 * first error ("line 3: ...") in err; never exits but on out of memory
 * (70).  The caller frees the document with xmlFreeDoc.
 */
xmlDocPtr xml_parse_memory(const char *data, size_t n, const char *name,
	    char *err, size_t errlen);
xmlDocPtr xml_parse_file(const char *path, char *err, size_t errlen);

/* Load a schema file (its includes resolved locally); NULL + err. */
xmlSchemaPtr xml_schema_load(const char *path, char *err, size_t errlen);
/* Validate; returns 0, or -1 with the first error and its line in err. */
int	 xml_schema_check(xmlSchemaPtr schema, xmlDocPtr doc, char *err,
	    size_t errlen);
/* The same for one element and its subtree (a SOAP body). */
int	 xml_schema_check_node(xmlSchemaPtr schema, xmlNodePtr node,
	    char *err, size_t errlen);

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
int	 xml_tiss_hash(xmlNodePtr root, const char *encoding, char hex[33]);

/*
 * What the schema cannot check in a mensagemTISS ENVIO_LOTE_GUIAS: every
 * denteFace is 1 to 5 different letters of OLMVDIP, and tipoTransacao
 * matches the body.  Returns 0, or -1 with the guide, element and value
 * in err.
 */
int	 xml_tiss_check(xmlDocPtr msg, char *err, size_t errlen);

/*
 * The loteGuiasWS SOAP body of a serialized mensagemTISS (ans: prefix,
 * ISO-8859-1): its cabecalho and loteGuias copied byte for byte, and the
 * hash, appended to out.  Returns 0, or -1 when the message lacks one of
 * them (out then holds a partial body the caller discards).
 */
int	 xml_lote_ws_body(const char *msg, const char *hash, struct buf *out);

/*
 * doc serialized as xmlDocDumpFormatMemoryEnc(doc, .., "ISO-8859-1", 0)
 * would, byte for byte, appended to out, for the documents tiss-xml makes
 * (elements, namespace declarations, text of Latin-1 characters): one
 * pass, no encoder, no write call per token.  Returns 0, or -1 when doc
 * has anything else (attributes, comments, a character beyond U+00FF...):
 * out then holds a partial result the caller discards, and serializes
 * with libxml2.
 */
int	 xml_dump_latin1(xmlDocPtr doc, struct buf *out);

/* The first element child of n named name, or NULL. */
xmlNodePtr xml_child(xmlNodePtr n, const char *name);
/* Its text copied into out, or NULL when there is no such child. */
const char *xml_child_text(xmlNodePtr n, const char *name, char *out,
	    size_t len);

/* A child's decimal value in hundredths, or -1 when absent or bad. */
int64_t	 xml_child_hundredths(xmlNodePtr n, const char *name);

#define SOAP_NS	"http://schemas.xmlsoap.org/soap/envelope/"

/* A SOAP 1.1 envelope in ISO-8859-1 around an XML document's element. */
void	 xml_soap_wrap(struct buf *out, const char *body, size_t n);
/* The element in a SOAP envelope's Body (maybe a Fault), or NULL. */
xmlNodePtr xml_soap_body(xmlDocPtr doc);

#endif
