#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include <libxml/parser.h>
#include <libxml/parserInternals.h>
#include <libxml/xmlerror.h>
#include <libxslt/security.h>
#include <libxslt/xslt.h>
#include <libxslt/xsltutils.h>

#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "parse.h"
#include "util.h"
#include "xml.h"

/*
 * NONET: no network.  No NOENT (entities are not substituted) and no
 * DTDLOAD/DTDATTR (no external DTD is read).  No HUGE, so libxml2's own
 * depth and size limits stay, and billion-laughs expansion is refused.
 */
#define SAFE_OPTIONS	(XML_PARSE_NONET | XML_PARSE_NOCDATA)

static xsltSecurityPrefsPtr security;

/* Every external entity, DTD or XInclude a document asks for is refused. */
static xmlParserInputPtr
deny_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	(void)id;
	(void)ctxt;
	log_debug("refused to load external resource '%s'", url ? url : "?");
	return NULL;
}

/* Schemas and stylesheets are loaded by path: only local files then. */
static xmlParserInputPtr
local_loader(const char *url, const char *id, xmlParserCtxtPtr ctxt)
{
	if (url && strstr(url, "://") == NULL)
		return xmlNewInputFromFile(ctxt, url);
	return deny_loader(url, id, ctxt);
}

/* Collect the first error of an operation into a caller's buffer. */
struct errbuf {
	char	*buf;
	size_t	 len;
	int	 set;
};

const char *
xml_guide_of(xmlNodePtr n, char out[64])
{
	xmlNodePtr c;
	xmlChar *t;

	for (; n && n->type == XML_ELEMENT_NODE; n = n->parent) {
		if (strcmp((const char *)n->name, "guiaOdonto") != 0)
			continue;
		for (c = n->children; c; c = c->next)
			if (c->type == XML_ELEMENT_NODE && strcmp((const char *)
			    c->name, "numeroGuiaPrestador") == 0) {
				t = xmlNodeGetContent(c);
				snprintf(out, 64, "%s", t ? (const char *)t : "?");
				xmlFree(t);
				return out;
			}
	}
	return NULL;
}

/*
 * Keep the first error.  A validation error has a node: say the guide
 * and element it is about (lines of a transformed document mean
 * nothing to a clerk).  A parse error has only a line.
 */
static void
structured_error(void *data, xmlErrorPtr e)
{
	struct errbuf *eb = data;
	xmlNodePtr node = e ? e->node : NULL;
	char guide[64];
	size_t n;

	if (eb == NULL || eb->set || e == NULL || e->level < XML_ERR_ERROR)
		return;
	eb->set = 1;
	if (node && node->type == XML_ELEMENT_NODE)
		snprintf(eb->buf, eb->len, "%s%s%s%s: %s",
		    xml_guide_of(node, guide) ? "guia " : "",
		    xml_guide_of(node, guide) ? guide : "",
		    xml_guide_of(node, guide) ? ": " : "", node->name,
		    e->message ? e->message : "error");
	else
		snprintf(eb->buf, eb->len, "line %d: %s", e->line,
		    e->message ? e->message : "error");
	n = strlen(eb->buf);
	while (n && (eb->buf[n - 1] == '\n' || eb->buf[n - 1] == ' '))
		eb->buf[--n] = '\0';
}

static void
silent_generic(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

void
xml_init(void)
{
	xmlInitParser();
	xmlSetExternalEntityLoader(deny_loader);
	xmlSetGenericErrorFunc(NULL, silent_generic);
	security = xsltNewSecurityPrefs();
	xsltSetSecurityPrefs(security, XSLT_SECPREF_WRITE_FILE,
	    xsltSecurityForbid);
	xsltSetSecurityPrefs(security, XSLT_SECPREF_CREATE_DIRECTORY,
	    xsltSecurityForbid);
	xsltSetSecurityPrefs(security, XSLT_SECPREF_READ_NETWORK,
	    xsltSecurityForbid);
	xsltSetSecurityPrefs(security, XSLT_SECPREF_WRITE_NETWORK,
	    xsltSecurityForbid);
	xsltSetDefaultSecurityPrefs(security);
	xsltSetGenericErrorFunc(NULL, silent_generic);
}

void
xml_cleanup(void)
{
	xsltFreeSecurityPrefs(security);
	xsltCleanupGlobals();
	xmlCleanupParser();
}

/* The line of position at in data, counted only for a message. */
static int
line_of(const char *data, const char *at)
{
	int line = 1;

	for (; data < at; data++)
		line += *data == '\n';
	return line;
}

/*
 * The '=' outside quotes from a start tag's '<' to its end: the first
 * '<', or '>' outside quotes.  libxml2 takes no attribute past either
 * (a '<' in a value is an error), and each takes an '=', so this bounds
 * the attributes it will parse there, whatever the document's errors.
 */
static size_t
tag_attrs(const char *p, const char *end, const char **tag_end)
{
	size_t n = 0;
	char quote = 0;

	for (p++; p < end && *p != '<'; p++) {
		if (quote) {
			if (*p == quote)
				quote = 0;
		} else if (*p == '"' || *p == '\'')
			quote = *p;
		else if (*p == '=')
			n++;
		else if (*p == '>')
			break;
	}
	*tag_end = p;
	return n;
}

/*
 * Bound the work of a parse before libxml2 does it: at most
 * XML_MAX_ATTRS attributes in an element (libxml2 checks duplicates in
 * time quadratic in their number) and XML_MAX_NODES elements and
 * attributes in all.  One linear pass; it over-counts (a tag inside a
 * comment is counted), never under-counts.  Returns 0, or -1 with err.
 */
static int
bound_work(const char *data, size_t n, char *err, size_t errlen)
{
	const char *p = data, *end = data + n, *q;
	unsigned char c;
	size_t attrs, nodes = 0;

	while ((p = memchr(p, '<', (size_t)(end - p))) != NULL) {
		c = p + 1 < end ? (unsigned char)p[1] : 0;
		if (!(c >= 0x80 || c == '_' || c == ':' ||
		    ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'))) {
			p++;
			continue;
		}
		attrs = tag_attrs(p, end, &q);
		nodes += 1 + attrs;
		if (attrs > XML_MAX_ATTRS) {
			snprintf(err, errlen, _("line %d: element '%.*s' has more "
			    "than %d attributes; refused"), line_of(data, p),
			    (int)strcspn(p + 1, " \t\r\n/>=") > 40 ? 40 :
			    (int)strcspn(p + 1, " \t\r\n/>="), p + 1,
			    XML_MAX_ATTRS);
			return -1;
		}
		if (nodes > XML_MAX_NODES) {
			snprintf(err, errlen, _("line %d: more than %d "
			    "elements and attributes; refused"), line_of(data,
			    p), XML_MAX_NODES);
			return -1;
		}
		p = q;
	}
	return 0;
}

xmlDocPtr
xml_parse_memory(const char *data, size_t n, const char *name, char *err,
    size_t errlen)
{
	struct errbuf eb = { err, errlen, 0 };
	xmlParserCtxtPtr ctxt;
	xmlDocPtr doc = NULL;

	snprintf(err, errlen, _("not well-formed XML"));
	if (n > XML_MAX_BYTES) {
		snprintf(err, errlen, _("%zu bytes, more than the %d allowed"),
		    n, XML_MAX_BYTES);
		return NULL;
	}
	if (bound_work(data, n, err, errlen) != 0)
		return NULL;
	if ((ctxt = xmlNewParserCtxt()) == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	xmlSetStructuredErrorFunc(&eb, structured_error);
	doc = xmlCtxtReadMemory(ctxt, data, (int)n, name, NULL, SAFE_OPTIONS);
	xmlSetStructuredErrorFunc(NULL, NULL);
	if (doc && (!ctxt->wellFormed || eb.set)) {
		xmlFreeDoc(doc);
		doc = NULL;
	}
	/* A document that declares entities is refused outright. */
	if (doc && doc->intSubset && (doc->intSubset->entities ||
	    doc->intSubset->pentities)) {
		snprintf(err, errlen, _("declares entities, which are "
		    "refused"));
		xmlFreeDoc(doc);
		doc = NULL;
	}
	xmlFreeParserCtxt(ctxt);
	return doc;
}

xmlDocPtr
xml_parse_file(const char *path, char *err, size_t errlen)
{
	struct buf b = { 0 };
	char chunk[65536];
	size_t n;
	FILE *fp = fopen(path, "rb");
	xmlDocPtr doc;

	if (fp == NULL) {
		snprintf(err, errlen, _("cannot open: %s"), strerror(errno));
		return NULL;
	}
	while ((n = fread(chunk, 1, sizeof(chunk), fp)) > 0) {
		if (b.len + n > XML_MAX_BYTES) {
			snprintf(err, errlen, _("larger than %d bytes"),
			    XML_MAX_BYTES);
			fclose(fp);
			buf_release(&b);
			return NULL;
		}
		buf_add(&b, chunk, n);
	}
	fclose(fp);
	doc = xml_parse_memory(b.data ? b.data : "", b.len, path, err, errlen);
	buf_release(&b);
	return doc;
}

xmlSchemaPtr
xml_schema_load(const char *path, char *err, size_t errlen)
{
	struct errbuf eb = { err, errlen, 0 };
	xmlSchemaParserCtxtPtr pc;
	xmlSchemaPtr schema;

	snprintf(err, errlen, _("cannot load schema"));
	xmlSetExternalEntityLoader(local_loader);
	pc = xmlSchemaNewParserCtxt(path);
	xmlSchemaSetParserStructuredErrors(pc, structured_error, &eb);
	schema = xmlSchemaParse(pc);
	xmlSchemaFreeParserCtxt(pc);
	xmlSetExternalEntityLoader(deny_loader);
	return schema;
}

int
xml_schema_check(xmlSchemaPtr schema, xmlDocPtr doc, char *err, size_t errlen)
{
	return xml_schema_check_node(schema, xmlDocGetRootElement(doc), err,
	    errlen);
}

int
xml_schema_check_node(xmlSchemaPtr schema, xmlNodePtr node, char *err,
    size_t errlen)
{
	struct errbuf eb = { err, errlen, 0 };
	xmlSchemaValidCtxtPtr vc = xmlSchemaNewValidCtxt(schema);
	int rc;

	xmlSchemaSetValidStructuredErrors(vc, structured_error, &eb);
	rc = node ? xmlSchemaValidateOneElement(vc, node) : -1;
	xmlSchemaFreeValidCtxt(vc);
	if (rc != 0 && !eb.set)
		snprintf(err, errlen, _("not valid against the schema"));
	return rc == 0 ? 0 : -1;
}

xsltStylesheetPtr
xml_xslt_load(const char *path, char *err, size_t errlen)
{
	xsltStylesheetPtr st;
	xmlDocPtr doc = xml_parse_file(path, err, errlen);

	if (doc == NULL)
		return NULL;
	/* Our stylesheets import each other: local files only. */
	xmlSetExternalEntityLoader(local_loader);
	st = xsltParseStylesheetDoc(doc);
	xmlSetExternalEntityLoader(deny_loader);
	if (st == NULL) {
		snprintf(err, errlen, _("not a valid stylesheet"));
		xmlFreeDoc(doc);
	}
	return st;
}

/* Append the text of every leaf element under node, in document order. */
static void
leaf_text(xmlNodePtr node, struct buf *out)
{
	xmlNodePtr c;
	int has_child_elem = 0;

	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			has_child_elem = 1;
	if (!has_child_elem) {
		c = node->children;
		if (strcmp((const char *)node->name, "hash") == 0)
			return;
		if (c && c->next == NULL && c->type == XML_TEXT_NODE &&
		    c->content)	/* one text node: read in place */
			buf_adds(out, (const char *)c->content);
		else {
			xmlChar *t = xmlNodeGetContent(node);

			if (t)
				buf_adds(out, (const char *)t);
			xmlFree(t);
		}
		return;
	}
	for (c = node->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)c->name, "Signature") != 0)
			leaf_text(c, out);
}

/*
 * The ISO-8859-1 byte of the UTF-8 character at *s (a code point up to
 * U+00FF), *s left on its last byte; -1 for any other (it cannot be sent).
 */
static int
latin1_char(const unsigned char **s)
{
	const unsigned char *p = *s;

	if (*p < 0x80)
		return *p;
	if ((*p == 0xC2 || *p == 0xC3) && (p[1] & 0xC0) == 0x80) {
		*s = p + 1;
		return ((*p & 0x03) << 6) | (p[1] & 0x3F);
	}
	return -1;
}

/* MD5 of UTF-8 text in the given encoding; -1 if it cannot carry it. */
static int
hash_text(struct buf *text, const char *encoding, char hex[33])
{
	struct buf latin = { 0 };
	const unsigned char *p;
	char *q;
	int c, ret = 0;

	if (strcasecmp(encoding, "UTF-8") == 0) {
		md5_hex(text->data ? text->data : "", text->len, hex);
		return 0;
	}
	buf_grow(&latin, text->len);
	q = latin.data;
	for (p = (const unsigned char *)(text->data ? text->data : ""); *p; p++)
		if ((c = latin1_char(&p)) < 0) {
			ret = -1;
			break;
		} else
			*q++ = (char)c;
	if (ret == 0)
		md5_hex(latin.data, (size_t)(q - latin.data), hex);
	buf_release(&latin);
	return ret;
}

int
xml_tiss_hash(xmlNodePtr root, const char *encoding, char hex[33])
{
	struct buf text = { 0 };
	int ret;

	leaf_text(root, &text);
	ret = hash_text(&text, encoding, hex);
	buf_release(&text);
	return ret;
}

/*
 * Text s escaped as libxml2's xmlEscapeContent does (<, >, &, CR) and
 * made ISO-8859-1; -1 at a character beyond U+00FF or bad UTF-8.
 */
static int
dump_text(const xmlChar *s, struct buf *out)
{
	size_t len = strlen((const char *)s);
	char *p;
	int c;

	buf_grow(out, len * 5);
	p = out->data + out->len;
	for (; *s; s++) {
		if (*s == '<')
			p = (char *)memcpy(p, "&lt;", 4) + 4;
		else if (*s == '>')
			p = (char *)memcpy(p, "&gt;", 4) + 4;
		else if (*s == '&')
			p = (char *)memcpy(p, "&amp;", 5) + 5;
		else if (*s == '\r')
			p = (char *)memcpy(p, "&#13;", 5) + 5;
		else if ((c = latin1_char(&s)) >= 0)
			*p++ = (char)c;
		else
			return -1;
	}
	*p = '\0';
	out->len = (size_t)(p - out->data);
	return 0;
}

/* The qualified name of element n. */
static void
dump_name(xmlNodePtr n, struct buf *out)
{
	if (n->ns && n->ns->prefix) {
		buf_adds(out, (const char *)n->ns->prefix);
		buf_addc(out, ':');
	}
	buf_adds(out, (const char *)n->name);
}

/* Element n and what is under it; -1 at anything xml_dump_latin1 lacks. */
static int
dump_elem(xmlNodePtr n, struct buf *out)
{
	xmlNodePtr c;
	xmlNsPtr ns;

	if (n->properties)
		return -1;
	buf_addc(out, '<');
	dump_name(n, out);
	for (ns = n->nsDef; ns; ns = ns->next) {
		if (ns->href == NULL || strpbrk((const char *)ns->href,
		    "\"&<\r\n\t") != NULL)
			return -1;
		buf_addf(out, " xmlns%s%s=\"%s\"", ns->prefix ? ":" : "",
		    ns->prefix ? (const char *)ns->prefix : "",
		    (const char *)ns->href);
	}
	if (n->children == NULL) {
		buf_adds(out, "/>");
		return 0;
	}
	buf_addc(out, '>');
	for (c = n->children; c; c = c->next)
		if (c->type == XML_ELEMENT_NODE) {
			if (dump_elem(c, out) != 0)
				return -1;
		} else if (c->type != XML_TEXT_NODE ||
		    c->name == xmlStringTextNoenc ||
		    (c->content && dump_text(c->content, out) != 0))
			return -1;
	buf_adds(out, "</");
	dump_name(n, out);
	buf_addc(out, '>');
	return 0;
}

int
xml_dump_latin1(xmlDocPtr doc, struct buf *out)
{
	xmlNodePtr c;

	if (doc->standalone != -1 || (doc->version && strpbrk((const char *)
	    doc->version, "\"&<") != NULL))
		return -1;
	buf_addf(out, "<?xml version=\"%s\" encoding=\"ISO-8859-1\"?>\n",
	    doc->version ? (const char *)doc->version : "1.0");
	for (c = doc->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE || dump_elem(c, out) != 0)
			return -1;
		buf_addc(out, '\n');
	}
	return 0;
}

/* denteFace: [OLMVDIP]{1,5}, no letter twice (the XSD takes any 5 chars). */
static int
check_faces(xmlNodePtr n, char *err, size_t errlen)
{
	xmlNodePtr c;
	char g[64];

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "denteFace") == 0) {
			xmlChar *t = xmlNodeGetContent(c);
			const char *s = (const char *)t;
			size_t i, j, len = strlen(s);
			int bad = len < 1 || len > 5;

			for (i = 0; i < len; i++) {
				bad |= strchr("OLMVDIP", s[i]) == NULL;
				for (j = 0; j < i; j++)
					bad |= s[i] == s[j];
			}
			if (bad)
				snprintf(err, errlen, _("guia %s: denteFace: "
				    "'%s' is not 1 to 5 different letters of "
				    "OLMVDIP"),
				    xml_guide_of(c, g) ? g : "?", s);
			xmlFree(t);
			if (bad)
				return -1;
		} else if (check_faces(c, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* tipoTransacao must say what the body is; the schema does not tie them. */
static int
check_transaction(xmlDocPtr doc, char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr tipo = xml_child(xml_child(xml_child(root, "cabecalho"),
	    "identificacaoTransacao"), "tipoTransacao");
	xmlNodePtr body = xml_child(xml_child(root, "prestadorParaOperadora"),
	    "loteGuias");
	xmlChar *t = tipo ? xmlNodeGetContent(tipo) : NULL;
	int ok = t && strcmp((const char *)t, "ENVIO_LOTE_GUIAS") == 0 && body;

	if (!ok)
		snprintf(err, errlen, _("tipoTransacao '%s' does not match a "
		    "loteGuias body"), t ? (const char *)t : "");
	xmlFree(t);
	return ok ? 0 : -1;
}

int
xml_tiss_check(xmlDocPtr msg, char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(msg);

	if (root == NULL) {
		snprintf(err, errlen, _("empty message"));
		return -1;
	}
	if (check_faces(root, err, errlen) != 0)
		return -1;
	return check_transaction(msg, err, errlen);
}

int
xml_lote_ws_body(const char *msg, const char *hash, struct buf *out)
{
	static const char *const parts[][2] = {
		{ "<ans:cabecalho>", "</ans:cabecalho>" },
		{ "<ans:loteGuias>", "</ans:loteGuias>" },
	};
	const char *from, *to;
	int i;

	buf_adds(out, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<ans:loteGuiasWS xmlns:ans=\"http://www.ans.gov.br/padroes/"
	    "tiss/schemas\">\n");
	for (i = 0; i < 2; i++) {
		if ((from = strstr(msg, parts[i][0])) == NULL ||
		    (to = strstr(from, parts[i][1])) == NULL)
			return -1;
		to += strlen(parts[i][1]);
		buf_adds(out, "  ");
		buf_add(out, from, (size_t)(to - from));
		buf_addc(out, '\n');
	}
	buf_addf(out, "  <ans:hash>%s</ans:hash>\n</ans:loteGuiasWS>\n", hash);
	return 0;
}

xmlNodePtr
xml_child(xmlNodePtr n, const char *name)
{
	for (n = n ? n->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE &&
		    strcmp((const char *)n->name, name) == 0)
			return n;
	return NULL;
}

const char *
xml_child_text(xmlNodePtr n, const char *name, char *out, size_t len)
{
	xmlChar *t;

	if ((n = xml_child(n, name)) == NULL)
		return NULL;
	t = xmlNodeGetContent(n);
	snprintf(out, len, "%s", t ? (const char *)t : "");
	xmlFree(t);
	return out;
}

int64_t
xml_child_hundredths(xmlNodePtr n, const char *name)
{
	char text[32];
	int64_t v = 0;

	if (xml_child_text(n, name, text, sizeof(text)) == NULL ||
	    parse_hundredths(text, &v) != NULL)
		return -1;
	return v;
}

void
xml_soap_wrap(struct buf *out, const char *body, size_t n)
{
	const char *end;

	/* The body's own XML declaration cannot stand inside the envelope. */
	if (n > 5 && strncmp(body, "<?xml", 5) == 0 &&
	    (end = memchr(body, '>', n)) != NULL) {
		n -= (size_t)(end + 1 - body);
		body = end + 1;
		while (n > 0 && (*body == '\n' || *body == '\r')) {
			body++;
			n--;
		}
	}
	buf_adds(out, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<soap:Envelope xmlns:soap=\"" SOAP_NS "\"><soap:Body>");
	buf_add(out, body, n);
	buf_adds(out, "</soap:Body></soap:Envelope>\n");
}

xmlNodePtr
xml_soap_body(xmlDocPtr doc)
{
	xmlNodePtr n = xmlDocGetRootElement(doc);

	if (n == NULL || n->ns == NULL || strcmp((const char *)n->name,
	    "Envelope") || strcmp((const char *)n->ns->href, SOAP_NS))
		return NULL;
	if ((n = xml_child(n, "Body")) == NULL)
		return NULL;
	for (n = n->children; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			return n;
	return NULL;
}
