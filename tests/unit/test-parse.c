/* Unit tests of stages/common/parse.c. */
#include <stdint.h>

#include "common/parse.h"
#include "tap.h"

static void
date(const char *in, const char *want)
{
	char iso[11] = "";
	const char *why = parse_date(in, iso);
	char name[128];

	snprintf(name, sizeof(name), "date '%s'", in);
	if (want)
		ok_str(why ? why : iso, want, name);
	else
		ok(why != NULL, name);
}

static void
money(const char *in, int64_t want, int good)
{
	int64_t v = -1;
	const char *why = parse_hundredths(in, &v);
	char name[128];

	snprintf(name, sizeof(name), "number '%s'", in);
	if (good) {
		ok(why == NULL && v == want, name);
		if (why || v != want)
			printf("# got %lld (%s)\n", (long long)v,
			    why ? why : "ok");
	} else
		ok(why != NULL, name);
}

int
main(void)
{
	int64_t n;
	int yes = -1;
	char out[32];

	date("05/03/2026", "2026-03-05");
	date("5/3/2026", "2026-03-05");
	date("2026-03-05", "2026-03-05");
	date("29/02/2024", "2024-02-29");
	date("29/02/2026", NULL);
	date("31/02/2026", NULL);
	date("31/04/2026", NULL);
	date("2026-13-01", NULL);
	date("05-03-2026", NULL);
	date("05/03/26", NULL);
	date("2026-3-5", NULL);
	date("hoje", NULL);
	date("05/03/2026 10:00", NULL);

	money("1.234,56", 123456, 1);
	money("1234,56", 123456, 1);
	money("1234.56", 123456, 1);
	money("1,234.56", 123456, 1);
	money("R$ 1.234,50", 123450, 1);
	money("120", 12000, 1);
	money("120,5", 12050, 1);
	money("1.234.567", 123456700, 1);
	money("0,01", 1, 1);
	money("-5,00", -500, 1);
	money("1.234", 0, 0);		/* ambiguous: three decimals */
	money("12,345", 0, 0);
	money("1.23.4", 0, 0);
	money("1,2,3", 0, 0);
	money("abc", 0, 0);
	money("12a", 0, 0);
	money(",50", 0, 0);
	money("1.2,50", 0, 0);
	money("99999999999999999999", 0, 0);

	ok(parse_count("12", &n) == NULL && n == 12, "count 12");
	ok(parse_count("1.0", &n) != NULL, "count 1.0 refused");
	ok(parse_count("-1", &n) != NULL, "count -1 refused");
	ok(parse_count("1234567890", &n) != NULL, "count too large refused");

	ok(parse_yesno("S", &yes) == NULL && yes == 1, "yes S");
	ok(parse_yesno("não", &yes) == NULL && yes == 0, "no não");
	ok(parse_yesno("TRUE", &yes) == NULL && yes == 1, "yes TRUE");
	ok(parse_yesno("false", &yes) == NULL && yes == 0, "no false");
	ok(parse_yesno("talvez", &yes) != NULL, "talvez refused");

	format_hundredths(123456, out);
	ok_str(out, "1234.56", "format 1234.56");
	format_hundredths(5, out);
	ok_str(out, "0.05", "format 0.05");
	return tap_done();
}
