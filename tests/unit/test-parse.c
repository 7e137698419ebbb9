/* Unit tests of stages/common/parse.c and the entry rules of gto.c. */
#include <stdint.h>

#include "common/gto.h"
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

/* gto_value of field f on s: want the canonical value, NULL refused. */
static void
value(int f, const char *s, const char *want)
{
	struct buf out = { 0 };
	const char *why = gto_value(f, s, strlen(s), &out);
	char name[160], shown[64];
	size_t i, j = 0;

	/* The name is one TAP line: control bytes shown as \xNN. */
	for (i = 0; s[i] && j < sizeof(shown) - 5; i++)
		j += (size_t)snprintf(shown + j, sizeof(shown) - j,
		    (unsigned char)s[i] < 0x20 ? "\\x%02X" : "%c",
		    (unsigned char)s[i]);
	shown[j] = '\0';
	snprintf(name, sizeof(name), "%s '%s'%s", gto_fields[f].name, shown,
	    want ? "" : " refused");
	if (want)
		ok_str(why ? why : out.data ? out.data : "", want, name);
	else
		ok(why != NULL, name);
	buf_release(&out);
}

static void
entry_rules(void)
{
	char de[11], ate[11];
	const char *s;
	size_t n;

	n = 9;
	s = gto_trim(" \t\r\nab c\n ", &n);
	ok(n == 4 && strncmp(s, "ab c", 4) == 0, "trim: white space at both ends");
	n = 7;
	s = gto_trim("\xC2\xA0" "ab\xC2\xA0 ", &n);
	ok(n == 2 && strncmp(s, "ab", 2) == 0, "trim: no-break spaces");
	n = 3;
	gto_trim("   ", &n);
	ok(n == 0, "trim: only spaces is empty");

	value(GF_codigoPrestadorNaOperadora, "10001234", "10001234");
	value(GF_codigoPrestadorNaOperadora, " A.b-c_1 ", "A.b-c_1");
	value(GF_codigoPrestadorNaOperadora, "../../x", NULL);
	value(GF_codigoPrestadorNaOperadora, "a/b", NULL);
	value(GF_codigoPrestadorNaOperadora, "..", NULL);
	value(GF_codigoPrestadorNaOperadora, ".", NULL);
	value(GF_codigoPrestadorNaOperadora, "x.", NULL);
	value(GF_codigoPrestadorNaOperadora, "-x", NULL);
	value(GF_codigoPrestadorNaOperadora, "a b", NULL);
	value(GF_codigoPrestadorNaOperadora, "a\nb", NULL);
	value(GF_codigoPrestadorNaOperadora, "ç1", NULL);
	value(GF_codigoPrestadorNaOperadora, "123456789012345", NULL);
	value(GF_numeroGuiaPrestador, "   ", "");
	value(GF_numeroGuiaPrestador, " GTO 1/2026 ", "GTO 1/2026");
	value(GF_numeroGuiaPrestador, "G\n1", NULL);
	value(GF_numeroGuiaPrestador, "G\t1", NULL);
	value(GF_numeroGuiaPrestador, "G\x01" "1", NULL);
	value(GF_numeroGuiaPrestador, "G\xC2\x85" "1", NULL);
	value(GF_numeroGuiaOperadora, "Nº1", NULL);
	value(GF_numeroCarteira, "0012 3456", "0012 3456");
	value(GF_senhaAutorizacao, "A1\x7F", NULL);
	value(GF_croExec, "12 345", NULL);
	value(GF_codigoProcedimento, "81000065", "81000065");
	value(GF_ufExec, "SP", "35");
	value(GF_ufExec, "S P", NULL);
	value(GF_nomeBeneficiario, "  Maria José ", "Maria José");
	value(GF_observacao, "linha 1\nlinha 2", "linha 1\nlinha 2");
	value(GF_observacao, "bip\x07", NULL);
	value(GF_dataRealizacao, " 05/03/2026 ", "2026-03-05");
	value(GF_valorProc, "\xC2\xA0" "1.234,56", "123456");

	ok(parse_period("01/03/2026", "31/03/2026", de, ate) == NULL &&
	    strcmp(de, "2026-03-01") == 0 && strcmp(ate, "2026-03-31") == 0,
	    "period of a month");
	ok(parse_period("2026-03-01", "2026-04-01", de, ate) != NULL,
	    "period longer than a month refused");
	ok(parse_period("2026-03-10", "2026-03-01", de, ate) != NULL,
	    "reversed period refused");
	ok(parse_period("2026-01-31", "2026-02-28", de, ate) == NULL,
	    "period to the end of a shorter month");
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
	entry_rules();
	return tap_done();
}
