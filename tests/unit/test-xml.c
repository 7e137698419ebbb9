/*
 * Unit tests of xml_dump_latin1: the bytes of libxml2's serialisation
 * (xmlDocDumpFormatMemoryEnc, ISO-8859-1, not indented), which the
 * golden files and the hashes recorded in workspaces depend on, for what
 * the stylesheets make; and a refusal for what it does not write.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "common/util.h"
#include "common/xml.h"
#include "tap.h"

/* Whether xml_dump_latin1 of src is libxml2's bytes (1), refuses (-1). */
static int
same_as_libxml2(const char *src)
{
	xmlDocPtr doc = xmlReadMemory(src, (int)strlen(src), "t.xml", NULL,
	    XML_PARSE_NONET);
	struct buf mine = { 0 };
	xmlChar *theirs;
	int n, ret;

	if (doc == NULL)
		return 0;
	xmlDocDumpFormatMemoryEnc(doc, &theirs, &n, "ISO-8859-1", 0);
	if (xml_dump_latin1(doc, &mine) != 0)
		ret = -1;
	else
		ret = mine.len == (size_t)n &&
		    memcmp(mine.data, theirs, (size_t)n) == 0;
	if (ret == 0)
		printf("# mine '%s'\n# libxml2 '%s'\n", mine.data, theirs);
	xmlFree(theirs);
	buf_release(&mine);
	xmlFreeDoc(doc);
	return ret;
}

int
main(void)
{
	xmlDocPtr doc = xmlReadMemory("<m/>", 4, "t.xml", NULL, 0);
	struct buf b = { 0 };

	ok(xml_dump_latin1(doc, &b) == 0, "a document of one element");
	ok_str(b.data, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<m/>\n", "... the declaration, the element, a newline");
	buf_release(&b);
	xmlFreeDoc(doc);
	ok(same_as_libxml2("<ans:m xmlns:ans=\"http://www.ans.gov.br/padroes/"
	    "tiss/schemas\"><ans:a>1</ans:a><ans:b/><ans:c><ans:d>x</ans:d>"
	    "</ans:c></ans:m>") == 1, "elements, a prefix, an empty element");
	ok(same_as_libxml2("<m><a>&lt;b&gt; &amp; &#13;&quot;'</a></m>") == 1,
	    "<, >, &, CR escaped as libxml2 does; quotes as they are");
	ok(same_as_libxml2("<m xmlns=\"urn:x\"><a>Concei\xc3\xa7\xc3\xa3o "
	    "\xc2\xba \xc3\xbf</a></m>") == 1,
	    "Latin-1 letters written as one byte each; a default namespace");
	ok(same_as_libxml2("<m><a>\xe2\x82\xac</a></m>") == -1,
	    "a character beyond U+00FF: refused (libxml2 writes a reference)");
	ok(same_as_libxml2("<m a=\"1\"/>") == -1, "an attribute: refused");
	ok(same_as_libxml2("<m><!-- c --></m>") == -1, "a comment: refused");
	ok(same_as_libxml2("<?xml version=\"1.0\" standalone=\"yes\"?><m/>") ==
	    -1, "standalone: refused");
	return tap_done();
}
