/*
 * Character encodings of input files and name folding.  Everything the
 * project stores is UTF-8; CSV files may also come as ISO-8859-1 or
 * Windows-1252, which is what Brazilian spreadsheets write.
 */
#ifndef TISS_TEXT_H
#define TISS_TEXT_H

#include <stddef.h>

#include "util.h"

enum text_encoding {
	ENC_AUTO = 0,		/* not yet known: decided by the first non-ASCII byte */
	ENC_UTF8,
	ENC_CP1252,		/* Windows-1252, a superset of ISO-8859-1's printables */
	ENC_LATIN1		/* ISO-8859-1: 0x80-0x9F are control characters */
};

/* Map "utf-8", "latin1", "cp1252"... to an encoding; -1 when unknown. */
int	 text_encoding_parse(const char *name);
const char *text_encoding_name(int enc);

int	 text_is_ascii(const char *s, size_t n);
int	 text_utf8_valid(const char *s, size_t n);
/*
 * The characters of UTF-8 text s (its bytes that do not continue a
 * sequence), as the TISS counts st_textoN lengths.
 */
size_t	 text_utf8_chars(const char *s);

/*
 * Append s (n bytes in encoding enc, not ENC_AUTO) to out as UTF-8.
 * Returns NULL on success, or a static message saying why the bytes are
 * not text (invalid sequence, control character, undefined byte).  TAB,
 * CR and LF are allowed; other C0 and C1 controls are not.
 */
const char *text_to_utf8(int enc, const char *s, size_t n, struct buf *out);

/*
 * Append s to out with every byte that could forge or garble a line
 * escaped: \n \r \t as such, other C0 controls, DEL and C1 controls
 * (U+0080-U+009F) as \xNN, and every byte of a string that is not
 * valid UTF-8 at and above 0x80 as \xNN.  For file names and other
 * outside text written into log lines and reason files.
 */
void	 text_escape(const char *s, struct buf *out);

/*
 * A value quoted in a message: line breaks as blanks, cut to 60 bytes
 * with "..." at the end.  Returns out.
 */
const char *text_shown(const char *s, char out[64]);

/* Append UTF-8 s to out lowercased, with Latin-1 accents removed. */
void	 text_fold(const char *s, struct buf *out);

#endif
