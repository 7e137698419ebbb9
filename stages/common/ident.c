#include <stdio.h>
#include <string.h>

#include "i18n.h"
#include "ident.h"

#define SECTION	"prestador "

/*
 * The modulo-11 check digit of the first n characters of s with the
 * weights 2, 3, ... up to top (then 2 again) from the right; each
 * character's value is its ASCII code minus 48, so '0'..'9' are 0..9 and
 * 'A'..'Z' are 17..42 (the Receita Federal's alphanumeric CNPJ).
 */
static int
mod11(const char *s, int n, int top)
{
	int i, w = 2, sum = 0, r;

	for (i = n - 1; i >= 0; i--) {
		sum += (s[i] - '0') * w;
		w = w == top ? 2 : w + 1;
	}
	r = sum % 11;
	return r < 2 ? 0 : 11 - r;
}

static int
all_same(const char *s)
{
	size_t i;

	for (i = 1; s[0] && s[i] == s[0]; i++)
		;
	return s[0] && s[i] == '\0';
}

const char *
ident_cnpj_error(const char *s, int alnum)
{
	static const char alnums[] = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	size_t len = strlen(s);

	if (len != 14)
		return alnum ? _("a CNPJ has 14 characters: 12 digits or "
		    "capital letters and 2 check digits, without dots, slash or "
		    "dash") : _("a CNPJ has 14 digits, without dots, slash or "
		    "dash");
	if (strspn(s, alnum ? alnums : "0123456789") < 12 ||
	    strspn(s + 12, "0123456789") != 2) {
		if (!alnum && strspn(s, alnums) == 14)
			return _("an alphanumeric CNPJ needs TISS 4.03.00 or "
			    "later; this version takes digits only");
		return alnum ? _("a CNPJ has 12 digits or capital letters and "
		    "then 2 check digits") : _("a CNPJ has 14 digits");
	}
	if (all_same(s))
		return _("a CNPJ of one repeated character is not valid");
	if (mod11(s, 12, 9) != s[12] - '0' || mod11(s, 13, 9) != s[13] - '0')
		return _("the check digits do not match: a typing error?");
	return NULL;
}

const char *
ident_cpf_error(const char *s)
{
	if (strlen(s) != 11 || strspn(s, "0123456789") != 11)
		return _("a CPF has 11 digits, without dots or dash");
	if (all_same(s))
		return _("a CPF of one repeated digit is not valid");
	if (mod11(s, 9, 11) != s[9] - '0' || mod11(s, 10, 11) != s[10] - '0')
		return _("the check digits do not match: a typing error?");
	return NULL;
}

/*
 * Check section's key ("cnpj" or "cpf") when it is set, and return its
 * entry in *num (NULL when unset).  0, or -1 with err.
 */
static int
check_number(const struct cfg *cfg, const char *section, const char *key,
    int alnum, const struct cfg_entry **num, char *err, size_t errlen)
{
	const char *why;

	if ((*num = cfg_find(cfg, section, key)) == NULL ||
	    (*num)->value[0] == '\0') {
		*num = NULL;
		return 0;
	}
	why = strcmp(key, "cnpj") == 0 ? ident_cnpj_error((*num)->value,
	    alnum) : ident_cpf_error((*num)->value);
	if (why) {
		snprintf(err, errlen, "%s:%d: [%s] %s '%s': %s", cfg->path,
		    (*num)->line, section, key, (*num)->value, why);
		return -1;
	}
	return 0;
}

/*
 * The identity the section named section gives, every number it holds
 * checked even when identificacao does not choose it; 0 or -1 with err.
 */
static int
ident_section(const struct cfg *cfg, const char *section, int alnum,
    struct ident *id, char *err, size_t errlen)
{
	const struct cfg_entry *how = cfg_find(cfg, section,
	    "identificacao");
	const struct cfg_entry *cnpj, *cpf, *num;

	if (check_number(cfg, section, "cnpj", alnum, &cnpj, err, errlen) ||
	    check_number(cfg, section, "cpf", alnum, &cpf, err, errlen))
		return -1;
	if (how == NULL || how->value[0] == '\0' ||
	    strcmp(how->value, "codigo") == 0)
		return 0;
	if (strcmp(how->value, "cnpj") == 0) {
		num = cnpj;
		id->kind = IDENT_CNPJ;
		id->element = "CNPJ";
		id->contratado = "cnpjContratado";
	} else if (strcmp(how->value, "cpf") == 0) {
		num = cpf;
		id->kind = IDENT_CPF;
		id->element = "CPF";
		id->contratado = "cpfContratado";
	} else {
		snprintf(err, errlen, _("%s:%d: [%s] identificacao '%s' is not "
		    "codigo, cnpj or cpf"), cfg->path, how->line, section,
		    how->value);
		return -1;
	}
	if (num == NULL) {
		snprintf(err, errlen, _("%s:%d: [%s] identificacao = %s but no "
		    "%s is set: add '%s = ...' to the section"), cfg->path,
		    how->line, section, how->value, how->value, how->value);
		return -1;
	}
	id->value = num->value;
	return 0;
}

int
ident_prestador(const struct cfg *cfg, const char *codigo, int alnum,
    struct ident *id, char *err, size_t errlen)
{
	char section[64];

	id->kind = IDENT_CODIGO;
	id->element = "codigoPrestadorNaOperadora";
	id->contratado = "codigoPrestadorNaOperadora";
	id->value = codigo;
	snprintf(section, sizeof(section), SECTION "%s", codigo);
	return ident_section(cfg, section, alnum, id, err, errlen);
}

int
ident_check_cfg(const struct cfg *cfg, int alnum, char *err, size_t errlen)
{
	static const char *const keys[] = { "identificacao", "cnpj", "cpf" };
	const struct cfg_entry *e;
	struct ident id;
	size_t k;
	int i;

	for (i = 0; i < cfg->n; i++) {
		e = &cfg->entries[i];
		if (strncmp(e->section, SECTION, strlen(SECTION)) != 0)
			continue;
		for (k = 0; k < sizeof(keys) / sizeof(keys[0]); k++)
			if (strcmp(e->key, keys[k]) == 0)
				break;
		if (k == sizeof(keys) / sizeof(keys[0])) {
			snprintf(err, errlen, _("%s:%d: [%s] has no key '%s': "
			    "use identificacao, cnpj or cpf"), cfg->path,
			    e->line, e->section, e->key);
			return -1;
		}
		if (ident_section(cfg, e->section, alnum, &id, err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}
