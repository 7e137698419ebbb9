/*
 * Unit tests of stages/common/fmt.c: money, dates, competências and
 * times as a person in Brazil reads them, and what is shown for values
 * that are not ISO.
 */
#include <stdint.h>
#include <stdlib.h>

#include "common/fmt.h"
#include "tap.h"

static void
money(void)
{
	char m[FMT_MONEY];

	ok_str(fmt_money(0, m), "R$ 0,00", "money: zero");
	ok_str(fmt_money(5, m), "R$ 0,05", "money: centavos");
	ok_str(fmt_money(123456, m), "R$ 1.234,56", "money: thousands");
	ok_str(fmt_money(100000000, m), "R$ 1.000.000,00", "money: millions");
	ok_str(fmt_money(99999999, m), "R$ 999.999,99", "money: 999.999,99");
	ok_str(fmt_money(-50, m), "-R$ 0,50", "money: negative below 1");
	ok_str(fmt_money(-123456, m), "-R$ 1.234,56", "money: negative");
	ok_str(fmt_money(INT64_MIN, m), "-R$ 92.233.720.368.547.758,08",
	    "money: INT64_MIN fits");
}

static void
dates(void)
{
	char d[FMT_DATE], c[FMT_COMP];

	ok_str(fmt_date("2026-03-07", d), "07/03/2026", "date: ISO");
	ok_str(fmt_date("2026-03-07T10:00:00Z", d), "07/03/2026",
	    "date: of a stamp");
	ok_str(fmt_date("07/03/2026", d), "07/03/2026", "date: shown as is");
	ok_str(fmt_date("2026-3-7", d), "2026-3-7", "date: not ISO, as is");
	ok_str(fmt_date("2026-03-07x", d), "2026-03-07",
	    "date: trailing junk, as is (cut)");
	ok_str(fmt_date(NULL, d), "", "date: NULL is empty");
	ok_str(fmt_competencia("2026-11", c), "11/2026", "competencia");
	ok_str(fmt_competencia("2026-11-30", c), "11/2026",
	    "competencia of a date");
	ok_str(fmt_competencia("11/2026", c), "11/2026",
	    "competencia as is");
	ok_str(fmt_competencia("", c), "", "competencia empty");
}

static void
times(void)
{
	char t[FMT_TIME], iso[FMT_ISO];

	ok_str(fmt_zone(), "America/Sao_Paulo", "zone: default");
	/* 2026-11-30T17:05:00Z is 14:05 in Sao Paulo (UTC-3, no DST). */
	ok_str(fmt_stamp("2026-11-30T17:05:00Z", t), "30/11/2026 14:05",
	    "time: UTC stamp in Sao Paulo");
	ok_str(fmt_stamp("2026-12-01 01:30:00", t), "30/11/2026 22:30",
	    "time: SQLite datetime, day before");
	ok_str(fmt_time(1796058300, t), "30/11/2026 14:05", "time: time_t");
	ok_str(fmt_iso_local(1796058300, iso), "2026-11-30T14:05:00-03:00",
	    "iso_local: with the offset");
	ok_str(fmt_stamp_iso("2026-03-31T21:00:00Z", iso),
	    "2026-03-31T18:00:00-03:00", "stamp_iso: a stored stamp");
	ok_str(fmt_stamp_iso("nunca", iso), "nunca", "stamp_iso: as is");
	ok(fmt_set_zone("America/Manaus") == 0, "zone: Manaus accepted");
	ok_str(fmt_stamp("2026-11-30T17:05:00Z", t), "30/11/2026 13:05",
	    "time: in Manaus (UTC-4)");
	ok(fmt_set_zone("../../etc/passwd") == -1, "zone: path refused");
	ok(fmt_set_zone("/etc/localtime") == -1, "zone: absolute refused");
	ok(fmt_set_zone("America/São_Paulo") == -1, "zone: non-ASCII refused");
	ok_str(fmt_zone(), "America/Manaus", "zone: kept after refusals");
	ok(fmt_set_zone("UTC") == 0, "zone: UTC");
	ok_str(fmt_stamp("2026-11-30T17:05:00Z", t), "30/11/2026 17:05",
	    "time: in UTC");
	ok_str(fmt_iso_local(1796058300, iso), "2026-11-30T17:05:00+00:00",
	    "iso_local: in UTC");
	ok(fmt_set_zone("Mars/Olympus") == 0, "zone: unknown name accepted");
	ok_str(fmt_stamp("2026-11-30T17:05:00Z", t), "30/11/2026 17:05 UTC",
	    "time: no tzdata file, UTC said");
	ok_str(fmt_iso_local(1796058300, iso), "2026-11-30T17:05:00Z",
	    "iso_local: no tzdata file, UTC");
	ok(fmt_set_zone(NULL) == 0, "zone: NULL is the default");
	ok_str(fmt_zone(), "America/Sao_Paulo", "zone: default again");
	ok_str(fmt_stamp("yesterday", t), "yesterday", "time: not ISO, as is");
	ok(getenv("TZ") == NULL, "TZ not left set");
}

int
main(void)
{
	unsetenv("TZ");
	money();
	dates();
	times();
	return tap_done();
}
