/*
 * Fuzz the text conversions every CSV field goes through: text_to_utf8
 * from each input encoding, then text_fold (the header and name
 * matching).  A conversion that succeeds must give valid UTF-8 (the same
 * bytes, from UTF-8); folding must never grow a string and must be
 * idempotent; neither may read or write out of bounds on any bytes.
 * A converted string holds no control but TAB, CR and LF.
 * The first input byte picks the encoding.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/text.h"
#include "common/util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A C0 control other than TAB, CR, LF, or a C1 control (U+0080-U+009F). */
static int
has_control(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i;

	for (i = 0; i < n; i++) {
		if (p[i] < 0x20 && p[i] != '\t' && p[i] != '\r' && p[i] != '\n')
			return 1;
		if (p[i] == 0xC2 && i + 1 < n && p[i + 1] >= 0x80 &&
		    p[i + 1] <= 0x9F)
			return 1;
	}
	return 0;
}

static void
fold_checks(const char *s)
{
	struct buf once = { 0 }, twice = { 0 };

	text_fold(s, &once);
	if (once.len > strlen(s))
		abort();
	text_fold(once.data ? once.data : "", &twice);
	if (once.len != twice.len ||
	    (once.len && memcmp(once.data, twice.data, once.len) != 0))
		abort();
	buf_release(&once);
	buf_release(&twice);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int encs[] = { ENC_UTF8, ENC_CP1252, ENC_LATIN1 };
	struct buf out = { 0 };
	const char *s;
	char *raw;
	int enc;

	if (size == 0)
		return 0;
	enc = encs[data[0] % 3];
	s = (const char *)data + 1;
	size--;
	if (text_to_utf8(enc, s, size, &out) == NULL) {
		if (!text_utf8_valid(out.data ? out.data : "", out.len))
			abort();
		if (enc == ENC_UTF8 && (out.len != size ||
		    (size && memcmp(out.data, s, size) != 0)))
			abort();
		if (text_is_ascii(s, size) && (out.len != size ||
		    (size && memcmp(out.data, s, size) != 0)))
			abort();
		if (has_control(out.data, out.len))
			abort();
		fold_checks(out.data ? out.data : "");
	}
	buf_release(&out);
	/* Any bytes at all, as a caller with unchecked input would pass. */
	raw = malloc(size + 1);
	memcpy(raw, s, size);
	raw[size] = '\0';
	fold_checks(raw);
	free(raw);
	return 0;
}
