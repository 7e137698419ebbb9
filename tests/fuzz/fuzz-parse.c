/*
 * Fuzz the value parsers clinics' spreadsheets feed: dates, hundredths,
 * counts, yes/no.  Each must return NULL or a message, never crash, and
 * a value it accepts must be in range.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1), iso[11], out[32];
	int64_t v;
	int yn;

	memcpy(s, data, size);
	s[size] = '\0';
	if (parse_date(s, iso) == NULL && strlen(iso) != 10)
		abort();
	if (parse_hundredths(s, &v) == NULL)
		format_hundredths(v, out);
	if (parse_count(s, &v) == NULL && (v < 0 || v > 999999999))
		abort();
	if (parse_yesno(s, &yn) == NULL && yn != 0 && yn != 1)
		abort();
	free(s);
	return 0;
}
