/* Unit tests of stages/common/text.c. */
#include "common/text.h"
#include "common/util.h"
#include "tap.h"

static void
conv(int enc, const char *in, size_t n, const char *want, const char *name)
{
	struct buf out = { 0 };
	const char *why = text_to_utf8(enc, in, n, &out);

	if (want)
		ok_str(why ? why : out.data ? out.data : "", want, name);
	else
		ok(why != NULL, name);
	buf_release(&out);
}

static void
esc(const char *in, const char *want, const char *name)
{
	struct buf out = { 0 };

	text_escape(in, &out);
	ok_str(out.data ? out.data : "", want, name);
	buf_release(&out);
}

int
main(void)
{
	struct buf f = { 0 };
	char sh[64];

	ok(text_utf8_valid("S\xc3\xa3o", 4), "valid UTF-8");
	ok(!text_utf8_valid("S\xe3o", 3), "Latin-1 is not UTF-8");
	ok(!text_utf8_valid("\xc0\xaf", 2), "overlong refused");
	ok(!text_utf8_valid("\xed\xa0\x80", 3), "surrogate refused");
	ok(!text_utf8_valid("\xc3", 1), "truncated refused");

	conv(ENC_CP1252, "S\xe3o", 3, "S\xc3\xa3o", "cp1252 a-tilde");
	conv(ENC_CP1252, "\x80", 1, "\xe2\x82\xac", "cp1252 euro sign");
	conv(ENC_CP1252, "\x81", 1, NULL, "cp1252 undefined byte");
	conv(ENC_LATIN1, "\x80", 1, NULL, "latin1 C1 control refused");
	conv(ENC_LATIN1, "\xe7", 1, "\xc3\xa7", "latin1 c-cedilla");
	conv(ENC_UTF8, "a\0b", 3, NULL, "NUL refused");
	conv(ENC_UTF8, "a\x01" "b", 3, NULL, "control refused");
	conv(ENC_UTF8, "a\tb\r\nc", 6, "a\tb\r\nc", "tab and newlines kept");
	/* Runs of 8 printable bytes are taken at once: what breaks one. */
	conv(ENC_UTF8, "abcdefghij\x7fklmnopqr", 19, NULL,
	    "DEL inside a long run refused");
	conv(ENC_UTF8, "abcdefgh\x1f", 9, NULL, "control after a run refused");
	conv(ENC_UTF8, "abcdefg\x01hijklmnop", 17, NULL,
	    "control ending a run of 8 refused");
	conv(ENC_UTF8, "Maria da Concei\xc3\xa7\xc3\xa3o\tSouza ", 27,
	    "Maria da Concei\xc3\xa7\xc3\xa3o\tSouza ", "long UTF-8 text kept");
	conv(ENC_CP1252, "Jos\xe9 Ant\xf4nio Pereira", 20,
	    "Jos\xc3\xa9 Ant\xc3\xb4nio Pereira", "long cp1252 text converted");
	conv(ENC_UTF8, "abcdefghijklmnop", 12, "abcdefghijkl",
	    "only the n bytes given");

	text_fold("N\xc3\xbameroGuia\xc3\x87\xc3\x83O", &f);
	ok_str(f.data, "numeroguiacao", "fold case and accents");
	buf_release(&f);

	esc("a\nb.csv", "a\\nb.csv", "escape: newline");
	esc("\r\t\x1b[31m", "\\r\\t\\x1b[31m", "escape: CR, TAB, ESC");
	esc("\x7f", "\\x7f", "escape: DEL");
	esc("S\xc3\xa3o Jos\xc3\xa9.csv", "S\xc3\xa3o Jos\xc3\xa9.csv",
	    "escape: UTF-8 accents kept");
	esc("\xc2\x85", "\\x85", "escape: UTF-8 C1 control (NEL)");
	esc("S\xe3o\x9b", "S\\xe3o\\x9b", "escape: not UTF-8, high bytes hex");
	ok_str(text_shown("a\nb", sh), "a b", "shown: line break as blank");
	ok(strlen(text_shown("0123456789012345678901234567890123456789"
	    "0123456789012345678901234567890123456789", sh)) == 60,
	    "shown: cut to 60 bytes");

	ok(text_encoding_parse("Latin1") == ENC_LATIN1, "encoding name latin1");
	ok(text_encoding_parse("UTF-8") == ENC_UTF8, "encoding name UTF-8");
	ok(text_encoding_parse("ebcdic") == -1, "unknown encoding");
	return tap_done();
}
