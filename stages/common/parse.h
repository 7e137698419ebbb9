/*
 * Parsing of the values clinics and spreadsheets write: dates, money
 * and other two-decimal numbers, counts, yes/no.  Each parser takes a
 * NUL-terminated, trimmed UTF-8 string and returns NULL on success or a
 * static message that says what is wrong and how to write it instead.
 */
#ifndef TISS_PARSE_H
#define TISS_PARSE_H

#include <stdint.h>

/* dd/mm/aaaa or aaaa-mm-dd, a real calendar day, into "aaaa-mm-dd". */
const char *parse_date(const char *s, char iso[11]);
/*
 * A period of at most one month (what the e-Autorizador searches):
 * dates de and ate as parse_date takes them, ate not before de and
 * before the same day a month later.  Returns NULL with both in ISO
 * form, or a message saying how to write or split the period (static,
 * valid until the next call).
 */
const char *parse_period(const char *de, const char *ate, char de_iso[11],
	    char ate_iso[11]);
/* Whether "aaaa-mm-dd" is a real day (used on stored values too). */
int	 date_valid(int y, int m, int d);

/*
 * A number with at most two decimals, into hundredths (centavos for
 * money): "1.234,56", "1234,56", "1234.56", "1,234.56", "R$ 10,00".
 */
const char *parse_hundredths(const char *s, int64_t *out);
/* Format hundredths as "1234.56" (TISS decimal form) into out. */
void	 format_hundredths(int64_t v, char out[32]);

/* A non-negative whole number of at most 9 digits. */
const char *parse_count(const char *s, int64_t *out);

/* S/N, sim/não, true/false, 1/0 (any case) into 1 or 0. */
const char *parse_yesno(const char *s, int *out);

#endif
