/*
 * Fuzz the readers of the cycle after the send: demo_read (a
 * demonstrativoRetornoWS over SOAP, and the same document as a portal's
 * file: a mensagemTISS or a bare demonstrativoRetornoWS) and the tissmsg
 * readers of a recurso's protocolo, a recurso's status and a
 * cancellation's receipt.  Every input must give one of the outcomes
 * with its strings NUL-terminated and its arrays consistent, never crash
 * or leak.  No schema: the checks after it are what is fuzzed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/demonstrativo.h"
#include "common/tissmsg.h"
#include "common/xml.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_demo(const struct demo *d, enum demo_kind k)
{
	long i;

	if (k != d->kind || k > DEMO_GARBLED || !TERMINATED(d->why) ||
	    !TERMINATED(d->code) || !TERMINATED(d->numero) ||
	    !TERMINATED(d->prestador))
		abort();
	if ((k == DEMO_PAGAMENTO || k == DEMO_ANALISE) && (d->numero[0] ==
	    '\0' || d->prestador[0] == '\0' || strlen(d->hash) != 32))
		abort();
	if (k == DEMO_GARBLED && d->why[0] == '\0')
		abort();
	for (i = 0; i < d->nitem; i++)
		if (d->item[i].guia < 0 || d->item[i].guia >= d->nguia)
			abort();
	for (i = 0; i < d->nglosa; i++)
		if (d->glosas[i].guia < 0 || d->glosas[i].guia >= d->nguia ||
		    !TERMINATED(d->glosas[i].code) ||
		    !TERMINATED(d->glosas[i].text))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	enum tissmsg_verdict (*const readers[])(const char *, size_t, long,
	    const char *, xmlSchemaPtr, struct tissmsg_answer *) = {
		tissmsg_read_recurso, tissmsg_read_recurso_situacao,
		tissmsg_read_cancela
	};
	const char *enc = size % 2 ? "UTF-8" : "ISO-8859-1";
	struct tissmsg_answer a;
	struct demo d;
	size_t i;

	if (!ready) {
		xml_init();
		ready = 1;
	}
	check_demo(&d, demo_read((const char *)data, size, 200, enc, NULL,
	    NULL, &d));
	demo_release(&d);
	check_demo(&d, demo_read((const char *)data, size, -1, enc, NULL,
	    NULL, &d));
	demo_release(&d);
	for (i = 0; i < sizeof(readers) / sizeof(readers[0]); i++) {
		check_answer(&a, readers[i]((const char *)data, size, 200, enc,
		    NULL, &a));
		tissmsg_answer_release(&a);
	}
	return 0;
}
