/*
 * Fuzz the readers of the operator's answers (tissmsg): a protocolo, a
 * situação, mensagemErro, tissFault and SOAP Faults.  Every input must
 * give one of the verdicts with its fields NUL-terminated, never crash
 * or leak; an answer read whole must carry what the stage stores.
 * Each input is read as both answers, on HTTP 200 and 503, its hash in
 * ISO-8859-1 or (odd sizes) UTF-8.  No schema: the checks after it are
 * what is fuzzed.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/tissmsg.h"
#include "common/xml.h"
#include "fuzz.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* check_answer, and an answer read whole carries what the stage stores. */
static void
check(const struct tissmsg_answer *a, enum tissmsg_verdict v, int situacao)
{
	check_answer(a, v);
	if (v == TISSMSG_OK && (a->protocolo[0] == '\0' || a->doc == NULL))
		abort();
	if (v == TISSMSG_OK && situacao && (a->status < 1 || a->status > 9))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = { 200, 503 };
	static int ready;
	const char *enc = size % 2 ? "UTF-8" : "ISO-8859-1";
	struct tissmsg_answer a;
	enum tissmsg_verdict v;
	int i;

	if (!ready) {
		xml_init();
		ready = 1;
	}
	for (i = 0; i < 2; i++) {
		v = tissmsg_read_protocolo((const char *)data, size,
		    statuses[i], enc, NULL, &a);
		check(&a, v, 0);
		tissmsg_answer_release(&a);
		v = tissmsg_read_situacao((const char *)data, size,
		    statuses[i], enc, NULL, &a);
		check(&a, v, 1);
		tissmsg_answer_release(&a);
	}
	return 0;
}
