#include <stdint.h>
#include <string.h>
#include <strings.h>

#include "i18n.h"
#include "text.h"

/* Windows-1252 code points for 0x80-0x9F; 0 marks an undefined byte. */
static const unsigned short cp1252_high[32] = {
	0x20AC, 0, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
	0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0, 0x017D, 0,
	0, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
	0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0, 0x017E, 0x0178
};

/* Base letters of U+00C0-U+00FF; '*' keeps the character as it is. */
static const char latin1_fold[65] =
    "aaaaaaaceeeeiiiidnooooo*ouuuuy**aaaaaaaceeeeiiiidnooooo*ouuuuy*y";

int
text_encoding_parse(const char *name)
{
	if (strcasecmp(name, "auto") == 0)
		return ENC_AUTO;
	if (strcasecmp(name, "utf-8") == 0 || strcasecmp(name, "utf8") == 0)
		return ENC_UTF8;
	if (strcasecmp(name, "windows-1252") == 0 ||
	    strcasecmp(name, "cp1252") == 0)
		return ENC_CP1252;
	if (strcasecmp(name, "iso-8859-1") == 0 ||
	    strcasecmp(name, "latin1") == 0 ||
	    strcasecmp(name, "iso8859-1") == 0)
		return ENC_LATIN1;
	return -1;
}

const char *
text_encoding_name(int enc)
{
	switch (enc) {
	case ENC_UTF8:
		return "UTF-8";
	case ENC_CP1252:
		return "Windows-1252";
	case ENC_LATIN1:
		return "ISO-8859-1";
	default:
		return "auto";
	}
}

int
text_is_ascii(const char *s, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if ((unsigned char)s[i] >= 0x80)
			return 0;
	return 1;
}

/*
 * Decode one UTF-8 sequence at s (n bytes left).  Returns its length and
 * sets *cp, or 0 when the sequence is invalid (overlong, surrogate, out
 * of range or truncated).
 */
static size_t
utf8_decode(const unsigned char *s, size_t n, unsigned long *cp)
{
	size_t len, i;
	unsigned long c;

	if (s[0] < 0x80) {
		*cp = s[0];
		return 1;
	}
	if (s[0] >= 0xC2 && s[0] <= 0xDF) {
		len = 2;
		c = s[0] & 0x1F;
	} else if (s[0] >= 0xE0 && s[0] <= 0xEF) {
		len = 3;
		c = s[0] & 0x0F;
	} else if (s[0] >= 0xF0 && s[0] <= 0xF4) {
		len = 4;
		c = s[0] & 0x07;
	} else
		return 0;
	if (len > n)
		return 0;
	for (i = 1; i < len; i++) {
		if ((s[i] & 0xC0) != 0x80)
			return 0;
		c = (c << 6) | (s[i] & 0x3F);
	}
	if ((len == 3 && c < 0x800) || (len == 4 && c < 0x10000) ||
	    c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF))
		return 0;
	*cp = c;
	return len;
}

size_t
text_utf8_chars(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

int
text_utf8_valid(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, len;

	while (i < n) {
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0)
			return 0;
		i += len;
	}
	return 1;
}

static void
utf8_put(unsigned long cp, struct buf *out)
{
	char b[4];

	if (cp < 0x80) {
		buf_addc(out, (char)cp);
	} else if (cp < 0x800) {
		b[0] = (char)(0xC0 | (cp >> 6));
		b[1] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 2);
	} else {
		b[0] = (char)(0xE0 | (cp >> 12));
		b[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
		b[2] = (char)(0x80 | (cp & 0x3F));
		buf_add(out, b, 3);
	}
}

static int
is_control(unsigned long cp)
{
	if (cp == '\t' || cp == '\n' || cp == '\r')
		return 0;
	return cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F);
}

/* Whether the 8 bytes at p are all printable ASCII (0x20 to 0x7E). */
static int
printable8(const unsigned char *p)
{
	const uint64_t ones = 0x0101010101010101ULL, high = ones * 0x80;
	uint64_t w;

	memcpy(&w, p, sizeof(w));
	/* No high bit, no byte below 0x20, none equal to 0x7F. */
	return ((w | ((w - ones * 0x20) & ~w) | ((w ^ ones * 0x7F) - ones)) &
	    high) == 0;
}

/*
 * Bytes that stay as they are (printable ASCII, TAB, CR, LF, and in UTF-8
 * every valid sequence that is no control) are appended in runs, once a
 * field for most: only a byte of another encoding is re-encoded alone.
 */
const char *
text_to_utf8(int enc, const char *s, size_t n, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	const char *why = NULL;
	unsigned long cp;
	size_t i, len, done = 0;	/* s's bytes before done are in out */

	for (i = 0; i < n; i += len) {
		len = 1;
		if (i + 8 <= n && printable8(p + i))
			len = 8;
		if (p[i] >= 0x20 && p[i] < 0x7F)
			continue;
		if (p[i] == '\0') {
			why = _("NUL byte: this is binary data, not CSV text");
			break;
		}
		if (enc == ENC_UTF8) {
			if ((len = utf8_decode(p + i, n - i, &cp)) == 0) {
				why = _("invalid UTF-8 byte sequence; save the "
				    "file as UTF-8 or give --encoding");
				break;
			}
		} else {
			cp = p[i];
			if (enc == ENC_CP1252 && cp >= 0x80 && cp <= 0x9F &&
			    (cp = cp1252_high[cp - 0x80]) == 0) {
				why = _("byte undefined in Windows-1252; is this "
				    "a text file?");
				break;
			}
		}
		if (is_control(cp)) {
			why = _("control character: binary data, not CSV text");
			break;
		}
		if (enc != ENC_UTF8 && cp >= 0x80) {
			buf_add(out, s + done, i - done);
			utf8_put(cp, out);
			done = i + 1;
		}
	}
	buf_add(out, s + done, i - done);
	return why;
}

void
text_fold(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	unsigned long cp;

	while (i < n) {
		len = utf8_decode(p + i, n - i, &cp);
		if (len == 0) {
			len = 1;
			cp = '?';
		}
		if (cp >= 'A' && cp <= 'Z')
			buf_addc(out, (char)(cp - 'A' + 'a'));
		else if (cp >= 0xC0 && cp <= 0xFF &&
		    latin1_fold[cp - 0xC0] != '*')
			buf_addc(out, latin1_fold[cp - 0xC0]);
		else
			buf_add(out, s + i, len);
		i += len;
	}
}

void
text_escape(const char *s, struct buf *out)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = strlen(s), i = 0, len;
	int utf8 = text_utf8_valid(s, n);
	unsigned long cp;

	while (i < n) {
		len = 1;
		cp = p[i];
		if (cp >= 0x80 && utf8 && (len = utf8_decode(p + i, n - i,
		    &cp)) == 0)
			len = 1;
		if (cp == '\n')
			buf_adds(out, "\\n");
		else if (cp == '\r')
			buf_adds(out, "\\r");
		else if (cp == '\t')
			buf_adds(out, "\\t");
		else if (cp < 0x20 || cp == 0x7F || (cp >= 0x80 && cp <= 0x9F))
			buf_addf(out, "\\x%02lx", utf8 && cp >= 0x80 ?
			    cp : (unsigned long)p[i]);
		else if (cp >= 0x80 && !utf8)
			buf_addf(out, "\\x%02x", p[i]);
		else
			buf_add(out, s + i, len);
		i += len;
	}
}

const char *
text_shown(const char *s, char out[64])
{
	size_t i, j = 0, n = strlen(s);

	for (i = 0; i < n && j < 60; i++)
		out[j++] = (s[i] == '\n' || s[i] == '\r') ? ' ' : s[i];
	out[j] = '\0';
	if (i < n)
		memcpy(out + (j > 57 ? 57 : j), "...", 4);
	return out;
}
