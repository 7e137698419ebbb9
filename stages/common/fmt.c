#include <sys/stat.h>

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fmt.h"
#include "gto.h"
#include "i18n.h"
#include "log.h"
#include "parse.h"
#include "util.h"

static char zone[128] = FMT_ZONE_DEFAULT;

const char *
fmt_money(int64_t v, char out[FMT_MONEY])
{
	char digits[32];
	uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
	int n, i, j;

	snprintf(digits, sizeof(digits), "%llu",
	    (unsigned long long)(u / 100));
	n = (int)strlen(digits);
	j = snprintf(out, FMT_MONEY, "%sR$ ", v < 0 ? "-" : "");
	for (i = 0; i < n; i++) {
		out[j++] = digits[i];
		if ((n - i - 1) % 3 == 0 && i < n - 1)
			out[j++] = '.';
	}
	snprintf(out + j, (size_t)(FMT_MONEY - j), ",%02u",
	    (unsigned)(u % 100));
	return out;
}

/* Whether s starts with the pattern's shape (9: a digit, ?: any). */
static int
shaped(const char *s, const char *pattern)
{
	for (; *pattern; pattern++, s++) {
		if (*pattern == '9' ? !isdigit((unsigned char)*s) :
		    *pattern == '?' ? *s == '\0' : *s != *pattern)
			return 0;
	}
	return 1;
}

static const char *
as_is(const char *s, char *out, size_t size)
{
	snprintf(out, size, "%s", s ? s : "");
	return out;
}

const char *
fmt_date(const char *iso, char out[FMT_DATE])
{
	if (iso == NULL || !shaped(iso, "9999-99-99") ||
	    (iso[10] != '\0' && iso[10] != 'T' && iso[10] != ' '))
		return as_is(iso, out, FMT_DATE);
	snprintf(out, FMT_DATE, "%.2s/%.2s/%.4s", iso + 8, iso + 5, iso);
	return out;
}

const char *
fmt_competencia(const char *iso, char out[FMT_COMP])
{
	if (iso == NULL || !shaped(iso, "9999-99") ||
	    (iso[7] != '\0' && iso[7] != '-'))
		return as_is(iso, out, FMT_COMP);
	snprintf(out, FMT_COMP, "%.2s/%.4s", iso + 5, iso);
	return out;
}

/* Whether the zone's tzdata file exists; warns once when not. */
static int
zone_installed(void)
{
	static char checked[128];
	static int found;
	const char *dir = getenv("TZDIR");
	struct stat sb;
	char *path;

	if (strcmp(checked, zone) == 0)
		return found;
	snprintf(checked, sizeof(checked), "%s", zone);
	path = xasprintf("%s/%s", dir && *dir ? dir : "/usr/share/zoneinfo",
	    zone);
	found = stat(path, &sb) == 0 && S_ISREG(sb.st_mode);
	if (!found)
		log_warn(_("time zone '%s' is not installed (no %s): times "
		    "are shown in UTC; install the tzdata package or set "
		    "[workspace] fuso_horario in tiss.conf"), zone, path);
	free(path);
	return found;
}

/* t broken down in the zone, TZ set for the call and put back after. */
static void
zone_tm(time_t t, struct tm *tm)
{
	char *old = getenv("TZ"), *keep = old ? xstrdup(old) : NULL;

	setenv("TZ", zone, 1);
	tzset();
	localtime_r(&t, tm);
	if (keep)
		setenv("TZ", keep, 1);
	else
		unsetenv("TZ");
	tzset();
	free(keep);
}

const char *
fmt_time(time_t t, char out[FMT_TIME])
{
	struct tm tm;

	if (zone_installed()) {
		zone_tm(t, &tm);
		strftime(out, FMT_TIME, "%d/%m/%Y %H:%M", &tm);
	} else {
		gmtime_r(&t, &tm);
		strftime(out, FMT_TIME, "%d/%m/%Y %H:%M UTC", &tm);
	}
	return out;
}

const char *
fmt_iso_local(time_t t, char out[FMT_ISO])
{
	struct tm tm;
	char off[8];

	if (!zone_installed()) {
		gmtime_r(&t, &tm);
		strftime(out, FMT_ISO, "%Y-%m-%dT%H:%M:%SZ", &tm);
		return out;
	}
	zone_tm(t, &tm);
	strftime(off, sizeof(off), "%z", &tm);	/* "-0300" */
	strftime(out, FMT_ISO, "%Y-%m-%dT%H:%M:%S", &tm);
	snprintf(out + strlen(out), FMT_ISO - strlen(out), "%.3s:%.2s", off,
	    off + 3);
	return out;
}

/* A UTC stamp "aaaa-mm-ddThh:mm[:ss][Z]" into *t; -1 when not one. */
static int
stamp_time(const char *iso, time_t *t)
{
	struct tm tm;
	int sec = 0;

	memset(&tm, 0, sizeof(tm));
	if (iso == NULL || !shaped(iso, "9999-99-99?99:99") ||
	    (iso[10] != 'T' && iso[10] != ' '))
		return -1;
	sscanf(iso, "%4d-%2d-%2d%*c%2d:%2d:%2d", &tm.tm_year, &tm.tm_mon,
	    &tm.tm_mday, &tm.tm_hour, &tm.tm_min, &sec);
	tm.tm_year -= 1900;
	tm.tm_mon -= 1;
	tm.tm_sec = sec;
	*t = timegm(&tm);
	return 0;
}

/* The stamp iso written by fn into out (len bytes), or iso as it is. */
static const char *
stamp_as(const char *iso, char *out, size_t len,
    const char *(*fn)(time_t, char *))
{
	time_t t;

	if (stamp_time(iso, &t) != 0)
		return as_is(iso, out, len);
	return fn(t, out);
}

const char *
fmt_stamp(const char *iso, char out[FMT_TIME])
{
	return stamp_as(iso, out, FMT_TIME, fmt_time);
}

const char *
fmt_stamp_iso(const char *iso, char out[FMT_ISO])
{
	return stamp_as(iso, out, FMT_ISO, fmt_iso_local);
}

int
fmt_set_zone(const char *name)
{
	const char *p;

	if (name == NULL || *name == '\0')
		name = FMT_ZONE_DEFAULT;
	if (*name == '/' || strstr(name, "..") ||
	    strlen(name) >= sizeof(zone))
		return -1;
	for (p = name; *p; p++)
		if (!isalnum((unsigned char)*p) && strchr("_+-/", *p) == NULL)
			return -1;
	snprintf(zone, sizeof(zone), "%s", name);
	return 0;
}

const char *
fmt_zone(void)
{
	return zone;
}

const char *
fmt_field(int f, const char *v, char out[FMT_MONEY])
{
	int k = gto_fields[f].kind;

	if (v && k == GTO_MONEY)
		return fmt_money(strtoll(v, NULL, 10), out);
	if (v && k == GTO_DATE)
		return fmt_date(v, out);
	if (v && k == GTO_DEC2) {
		format_hundredths(strtoll(v, NULL, 10), out);
		return out;
	}
	if (v && k == GTO_BOOL)
		return strcmp(v, "1") == 0 ? "S" : "N";
	return v;
}
