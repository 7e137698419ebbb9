#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "parse.h"

int
date_valid(int y, int m, int d)
{
	static const int mdays[12] = {
		31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31
	};
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;

	if (y < 1900 || y > 2099 || m < 1 || m > 12 || d < 1)
		return 0;
	return d <= mdays[m - 1] + (m == 2 && leap);
}

/* Read exactly 1..max digits at *p into *v; advance *p. */
static int
take_digits(const char **p, int min, int max, int *v)
{
	int n = 0;

	*v = 0;
	while (isdigit((unsigned char)**p) && n < max) {
		*v = *v * 10 + (**p - '0');
		(*p)++;
		n++;
	}
	return n >= min && !isdigit((unsigned char)**p);
}

const char *
parse_date(const char *s, char iso[11])
{
	const char *p = s;
	int y, m, d;

	if (strchr(s, '/')) {
		if (!take_digits(&p, 1, 2, &d) || *p++ != '/' ||
		    !take_digits(&p, 1, 2, &m) || *p++ != '/' ||
		    !take_digits(&p, 4, 4, &y) || *p != '\0')
			return "not a date; write dd/mm/aaaa or aaaa-mm-dd";
	} else {
		if (!take_digits(&p, 4, 4, &y) || *p++ != '-' ||
		    !take_digits(&p, 2, 2, &m) || *p++ != '-' ||
		    !take_digits(&p, 2, 2, &d) || *p != '\0')
			return "not a date; write dd/mm/aaaa or aaaa-mm-dd";
	}
	if (!date_valid(y, m, d))
		return "no such day in the calendar";
	/* By hand: this runs for every date of every row. */
	iso[0] = (char)('0' + y / 1000);
	iso[1] = (char)('0' + y / 100 % 10);
	iso[2] = (char)('0' + y / 10 % 10);
	iso[3] = (char)('0' + y % 10);
	iso[4] = '-';
	iso[5] = (char)('0' + m / 10);
	iso[6] = (char)('0' + m % 10);
	iso[7] = '-';
	iso[8] = (char)('0' + d / 10);
	iso[9] = (char)('0' + d % 10);
	iso[10] = '\0';
	return NULL;
}

const char *
parse_period(const char *de, const char *ate, char de_iso[11],
    char ate_iso[11])
{
	static char why[192];
	char limit[40];
	int y, m, d;

	if (parse_date(de, de_iso) != NULL || parse_date(ate, ate_iso) != NULL)
		return "--de and --ate are dates, dd/mm/aaaa or aaaa-mm-dd";
	if (strcmp(ate_iso, de_iso) < 0)
		return "the end of the period is before its start";
	sscanf(de_iso, "%d-%d-%d", &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	/* The same day a month later, even when that is no real day. */
	snprintf(limit, sizeof(limit), "%04d-%02d-%02d", y, m, d);
	if (strcmp(ate_iso, limit) < 0)
		return NULL;
	snprintf(why, sizeof(why), "the period is longer than one month, the "
	    "most the e-Autorizador searches; split it (e.g. --de %s --ate "
	    "the day before %s)", de_iso, limit);
	return why;
}

/*
 * The separators of the digits at p: *dec the decimal one, *group the
 * thousands one (0 when none).  The rightmost separator is the decimal
 * one when both kinds occur or when it occurs once; a kind that repeats
 * alone groups thousands.  NULL, or why the text is not a number.
 */
static const char *
separators(const char *p, char *dec, char *group)
{
	const char *q, *last = NULL;
	int ndot = 0, ncomma = 0;

	*dec = *group = 0;
	for (q = p; *q; q++) {
		if (*q == '.' || *q == ',') {
			ndot += *q == '.';
			ncomma += *q == ',';
			last = q;
		} else if (!isdigit((unsigned char)*q))
			return "not a number; write e.g. 1234,56 or 1.234,56";
	}
	if (last == NULL)
		return NULL;
	if ((ndot && ncomma) || (*last == '.' ? ndot : ncomma) == 1)
		*dec = *last;
	if (ndot && (*dec != '.' || ndot > 1))
		*group = '.';
	if (ncomma && (*dec != ',' || ncomma > 1))
		*group = ',';
	if ((*dec == '.' && ndot > 1) || (*dec == ',' && ncomma > 1))
		return "not a number: two decimal separators";
	return NULL;
}

const char *
parse_hundredths(const char *s, int64_t *out)
{
	const char *p = s, *q, *why;
	int neg = 0, fraction = 0, nfrac = 0, n;
	char dec, group;
	int64_t v = 0;

	if (strncmp(p, "R$", 2) == 0)
		for (p += 2; *p == ' '; p++)
			;
	if (*p == '-') {
		neg = 1;
		p++;
	}
	if (!isdigit((unsigned char)*p))
		return "not a number; write e.g. 1234,56 or 1.234,56";
	if ((why = separators(p, &dec, &group)) != NULL)
		return why;
	for (q = p; *q; q++) {
		if (group && *q == group) {
			for (n = 0; isdigit((unsigned char)q[n + 1]) && n < 4; n++)
				;
			if (fraction || q == p)
				return "not a number: misplaced thousands separator";
			if (n != 3)
				return "not a number: thousands groups must have "
				    "3 digits";
		} else if (dec && *q == dec)
			fraction = 1;
		else if (fraction && ++nfrac > 2)
			return "more than 2 decimal places";
		else if (v > INT64_C(100000000000000))
			return "number too large";
		else
			v = v * 10 + (*q - '0');
	}
	while (nfrac++ < 2)
		v *= 10;
	*out = neg ? -v : v;
	return NULL;
}

void
format_hundredths(int64_t v, char out[32])
{
	const char *sign = v < 0 ? "-" : "";

	if (v < 0)
		v = -v;
	snprintf(out, 32, "%s%lld.%02lld", sign, (long long)(v / 100),
	    (long long)(v % 100));
}

const char *
parse_count(const char *s, int64_t *out)
{
	int64_t v = 0;
	const char *p;

	if (*s == '\0')
		return "not a whole number";
	for (p = s; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return "not a whole number; write digits only";
		if (p - s >= 9)
			return "whole number too large";
		v = v * 10 + (*p - '0');
	}
	*out = v;
	return NULL;
}

const char *
parse_yesno(const char *s, int *out)
{
	static const char *yes[] = { "s", "sim", "true", "1", "y", "yes", NULL };
	static const char *no[] = { "n", "nao", "false", "0", "no", NULL };
	char f[8];
	size_t i = 0;
	int k;

	/* Lowercase, and the one accent that occurs: "não" (UTF-8 ã or Ã). */
	for (; *s && i < sizeof(f) - 1; s++) {
		if ((unsigned char)s[0] == 0xC3 && ((unsigned char)s[1] == 0xA3 ||
		    (unsigned char)s[1] == 0x83)) {
			f[i++] = 'a';
			s++;
		} else
			f[i++] = (char)tolower((unsigned char)*s);
	}
	f[i] = '\0';
	for (k = 0; *s == '\0' && yes[k]; k++)
		if (strcmp(f, yes[k]) == 0) {
			*out = 1;
			return NULL;
		}
	for (k = 0; *s == '\0' && no[k]; k++)
		if (strcmp(f, no[k]) == 0) {
			*out = 0;
			return NULL;
		}
	return "not a yes/no value; write S or N (or true/false)";
}
