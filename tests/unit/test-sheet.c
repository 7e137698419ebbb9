/*
 * Unit tests of stages/common/sheet.c and the label matching of
 * gsheet.c: the formula guard both ways (every value round-trips, no
 * cell starts a formula), the marker, the labels of the GTO form.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "common/gsheet.h"
#include "common/gto.h"
#include "common/sheet.h"
#include "common/util.h"
#include "tap.h"

static const char *
guard(const char *s, struct buf *b)
{
	buf_reset(b);
	sheet_guard(s, b);
	buf_addc(b, '\0');
	return b->data;
}

static void
test_guard(void)
{
	static const char *const values[] = {
		"=HYPERLINK(\"http://x\")", "+5511999", "-2+3", "@SUM(A1)",
		"\tx", "\rx", "'=x", "''=x", "'x", "#apagar", "#APAGAR",
		"'#apagar", "Maria", "0001", "", "'", NULL
	};
	struct buf b = { 0 };
	char name[96];
	const char *g;
	int i;

	for (i = 0; values[i]; i++) {
		g = guard(values[i], &b);
		snprintf(name, sizeof(name), "round trip of '%s'", values[i]);
		ok_str(sheet_unguard(g), values[i], name);
		snprintf(name, sizeof(name), "'%s' is not a formula nor the "
		    "marker when written", values[i]);
		ok(strchr("=+-@\t\r", g[0]) == NULL || g[0] == '\0' ?
		    !sheet_is_clear(g) : 0, name);
	}
	ok_str(guard("=1+1", &b), "'=1+1", "= gets an apostrophe");
	ok_str(guard("Maria", &b), "Maria", "plain text is written as is");
	ok_str(sheet_unguard("'x"), "'x", "an apostrophe before text stays");
	ok(sheet_is_clear("#Apagar"), "the marker in any case");
	buf_release(&b);
}

static void
test_labels(void)
{
	static const struct { const char *h; int f; } cases[] = {
		{ "10 - Número da Carteira", GF_numeroCarteira },
		{ "numero da carteira", GF_numeroCarteira },
		{ "Nº da Carteira", GF_numeroCarteira },
		{ "numeroCarteira", GF_numeroCarteira },
		{ "Nº Guia no Prestador", GF_numeroGuiaPrestador },
		{ "2- N° Guia no Prestador", GF_numeroGuiaPrestador },
		{ "Cód. Procedimento", GF_codigoProcedimento },
		{ "Código do Procedimento", GF_codigoProcedimento },
		{ "Qtde.", GF_qtdProc },
		{ "Quantidade", GF_qtdProc },
		{ "Valor R$", GF_valorProc },
		{ "VALOR", GF_valorProc },
		{ "Valor Total R$", GF_valorTotalProc },
		{ "CBO", GF_cbosExec2 },
		{ "Código CBO do Solicitante", GF_cbosSolic },
		{ "CRO", GF_croExec },
		{ "UF", GF_ufExec },
		{ "CNES", GF_cnesExec },
		{ "Código CNES", GF_cnesExec },
		{ "Dente/Região", GLABEL_DR },
		{ "dente / regiao", GLABEL_DR },
		{ "Dente", GF_codDente },
		{ "Região", GF_codRegiao },
		{ "Data de Realização", GF_dataRealizacao },
		{ "Aut.", GF_autorizado },
		{ "Chave", GLABEL_KEY },
		{ "Pendências", GLABEL_PEND },
		{ "Nº", GLABEL_UNKNOWN },
		{ "Cor dos olhos", GLABEL_UNKNOWN },
	};
	char name[96];
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(name, sizeof(name), "label '%s'", cases[i].h);
		ok(glabel_column(cases[i].h) == cases[i].f, name);
		if (glabel_column(cases[i].h) != cases[i].f)
			printf("# got %d, want %d\n",
			    glabel_column(cases[i].h), cases[i].f);
	}
	for (i = 0; i < (size_t)gto_nfields; i++) {
		snprintf(name, sizeof(name), "the label written for %s reads "
		    "back", gto_fields[i].name);
		ok(glabel_column(glabel_text((int)i)) == (int)i, name);
	}
}

static void
test_key(void)
{
	long long id;
	int item;

	ok(gsheet_key("G12-3", &id, &item) == 0 && id == 12 && item == 3,
	    "key G12-3");
	ok(gsheet_key("G7", &id, &item) == 0 && id == 7 && item == 0,
	    "key G7");
	ok(gsheet_key("12-3", &id, &item) < 0, "no G: not a key");
	ok(gsheet_key("G12-", &id, &item) < 0, "no item after -");
	ok(gsheet_key("G0", &id, &item) < 0, "id 0");
	ok(gsheet_key("G1x", &id, &item) < 0, "trailing text");
}

int
main(void)
{
	test_guard();
	test_labels();
	test_key();
	return tap_done();
}
