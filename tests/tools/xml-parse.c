/*
 * xml-parse: parse a file with the project's safe XML parser, for the
 * tests to show what it refuses (external entities, entity bombs).
 * Exit 0 and the root element's name when accepted, 65 and the reason
 * when refused.
 */
#include <stdio.h>

#include "common/log.h"
#include "common/xml.h"

int
main(int argc, char *argv[])
{
	char err[512];
	xmlDocPtr doc;
	xmlChar *text;

	if (argc != 2) {
		fprintf(stderr, "usage: xml-parse file\n");
		return 64;
	}
	log_init("xml-parse", LOG_NORMAL);
	xml_init();
	if ((doc = xml_parse_file(argv[1], err, sizeof(err))) == NULL) {
		printf("refused: %s\n", err);
		xml_cleanup();
		return 65;
	}
	text = xmlNodeGetContent(xmlDocGetRootElement(doc));
	printf("%s: %s\n", xmlDocGetRootElement(doc)->name,
	    text ? (const char *)text : "");
	xmlFree(text);
	xmlFreeDoc(doc);
	xml_cleanup();
	return 0;
}
