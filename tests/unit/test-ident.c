/* Unit tests of stages/common/ident.c: CNPJ, CPF, [prestador CODE]. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cfg.h"
#include "common/ident.h"
#include "tap.h"

static void
load(struct cfg *cfg, const char *text)
{
	char path[] = "/tmp/tiss-ident-XXXXXX";
	int fd = mkstemp(path);
	FILE *fp = fdopen(fd, "w");

	fputs(text, fp);
	fclose(fp);
	cfg_load(cfg, path);
	unlink(path);
}

static void
test_numbers(void)
{
	/* The Receita Federal's example of the alphanumeric CNPJ. */
	ok(ident_cnpj_error("12ABC34501DE35", 1) == NULL,
	    "alphanumeric CNPJ 12ABC34501DE35 valid");
	ok(ident_cnpj_error("12ABC34501DE36", 1) != NULL,
	    "alphanumeric CNPJ 12ABC34501DE36 refused");
	ok(ident_cnpj_error("12ABC34501DE35", 0) != NULL,
	    "alphanumeric CNPJ refused where the version wants digits");
	ok(strstr(ident_cnpj_error("12ABC34501DE35", 0), "4.03.00") != NULL,
	    "the message names the version that takes it");
	ok(ident_cnpj_error("11222333000181", 0) == NULL,
	    "numeric CNPJ 11.222.333/0001-81 valid");
	ok(ident_cnpj_error("11222333000181", 1) == NULL,
	    "numeric CNPJ valid under the alphanumeric rule too");
	ok(ident_cnpj_error("11222333000182", 0) != NULL, "bad check digit");
	ok(ident_cnpj_error("11.222.333/0001-81", 0) != NULL, "punctuation");
	ok(ident_cnpj_error("12abc34501de35", 1) != NULL, "lower case");
	ok(ident_cnpj_error("12ABC34501DEA5", 1) != NULL,
	    "a letter among the check digits");
	ok(ident_cnpj_error("00000000000000", 0) != NULL, "all zeros");
	ok(ident_cnpj_error("", 1) != NULL, "empty");
	ok(ident_cpf_error("52998224725") == NULL, "CPF 529.982.247-25 valid");
	ok(ident_cpf_error("52998224726") != NULL, "CPF second digit wrong");
	ok(ident_cpf_error("52998224715") != NULL, "CPF first digit wrong");
	ok(ident_cpf_error("11111111111") != NULL, "CPF all ones");
	ok(ident_cpf_error("529.982.247-25") != NULL, "CPF punctuation");
	ok(ident_cpf_error("5299822472") != NULL, "CPF too short");
}

static void
test_sections(void)
{
	struct cfg cfg;
	struct ident id;
	char err[512];

	load(&cfg, "[operadora]\nregistro_ans = 123456\n"
	    "[prestador 100]\nidentificacao = cnpj\ncnpj = 12ABC34501DE35\n"
	    "[prestador 200]\nidentificacao = cpf\ncpf = 52998224725\n"
	    "[prestador 300]\nidentificacao = codigo\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == 0,
	    "three sections check");
	ok(ident_prestador(&cfg, "100", 1, &id, err, sizeof(err)) == 0 &&
	    id.kind == IDENT_CNPJ, "prestador by CNPJ");
	ok_str(id.element, "CNPJ", "cabecalho element CNPJ");
	ok_str(id.contratado, "cnpjContratado", "ct_contratadoDados element");
	ok_str(id.value, "12ABC34501DE35", "the CNPJ");
	ok(ident_prestador(&cfg, "200", 1, &id, err, sizeof(err)) == 0 &&
	    id.kind == IDENT_CPF, "prestador by CPF");
	ok_str(id.value, "52998224725", "the CPF");
	ok(ident_prestador(&cfg, "300", 1, &id, err, sizeof(err)) == 0 &&
	    id.kind == IDENT_CODIGO, "prestador by code");
	ok_str(id.value, "300", "the code");
	ok(ident_prestador(&cfg, "999", 1, &id, err, sizeof(err)) == 0 &&
	    id.kind == IDENT_CODIGO, "no section: by code");
	ok_str(id.element, "codigoPrestadorNaOperadora", "default element");
	ok(ident_check_cfg(&cfg, 0, err, sizeof(err)) == -1,
	    "alphanumeric CNPJ refused under an older version");
	ok(strstr(err, ":5:") != NULL, "the message names the line");
	printf("# %s\n", err);
	cfg_release(&cfg);

	load(&cfg, "[prestador 100]\nidentificacao = cnpj\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == -1 &&
	    strstr(err, ":2:") && strstr(err, "no cnpj"),
	    "cnpj chosen but not given");
	cfg_release(&cfg);
	load(&cfg, "[prestador 100]\nidentificacao = cpf\ncpf = 52998224726\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == -1 &&
	    strstr(err, ":3:") && strstr(err, "check digits"),
	    "bad CPF named with its line");
	cfg_release(&cfg);
	load(&cfg, "[prestador 100]\nidentificacao = rg\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == -1 &&
	    strstr(err, "codigo, cnpj or cpf"), "unknown identificacao");
	cfg_release(&cfg);
	load(&cfg, "[prestador 100]\ncnpj = 11222333000182\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == -1,
	    "a bad CNPJ is refused even when not chosen");
	cfg_release(&cfg);
	load(&cfg, "[prestador 100]\ncnjp = 11222333000181\n");
	ok(ident_check_cfg(&cfg, 1, err, sizeof(err)) == -1 &&
	    strstr(err, "'cnjp'"), "a misspelt key");
	cfg_release(&cfg);
}

int
main(void)
{
	test_numbers();
	test_sections();
	return tap_done();
}
