/*
 * Fuzz the safe XML parser every answer from a remote goes through
 * (xml_parse_memory: the work bound, the entity refusal) and the TISS
 * hash over what it accepts.  Each input must be refused with a message
 * or parsed, never crash or hang; a hash is 32 lowercase hex digits.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/log.h"
#include "common/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	char err[512], hex[33];
	xmlDocPtr doc;
	xmlNodePtr root;
	int i;

	if (!ready) {
		log_init("fuzz-xml", LOG_QUIET);
		xml_init();
		ready = 1;
	}
	err[0] = '\0';
	doc = xml_parse_memory((const char *)data, size, "fuzz", err,
	    sizeof(err));
	if (doc == NULL) {
		if (err[0] == '\0')
			abort();
		return 0;
	}
	if ((root = xmlDocGetRootElement(doc)) != NULL) {
		if (xml_tiss_hash(root, "UTF-8", hex) != 0)
			abort();
		for (i = 0; i < 32; i++)
			if (strchr("0123456789abcdef", hex[i]) == NULL)
				abort();
		if (hex[32] != '\0')
			abort();
		if (xml_tiss_hash(root, "ISO-8859-1", hex) == 0 &&
		    strlen(hex) != 32)
			abort();
		(void)xml_soap_body(doc);
	}
	xmlFreeDoc(doc);
	return 0;
}
