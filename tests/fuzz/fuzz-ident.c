/*
 * Fuzz the CNPJ and CPF checks (tiss.conf's [prestador CODE] values):
 * any bytes, never out of bounds; what they accept has the shape the
 * schemas' patterns want (st_CNPJ [A-Z0-9]{12}[0-9]{2} or [0-9]{14},
 * st_CPF [0-9]{11}); a numeric CNPJ is as valid under the alphanumeric
 * rule as under the numeric one; and changing one check digit of an
 * accepted number makes it refused.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/ident.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
cnpj_checks(const char *s)
{
	const char *num = ident_cnpj_error(s, 0);
	const char *alnum = ident_cnpj_error(s, 1);
	char t[15];

	if (num == NULL && (strlen(s) != 14 || strspn(s, "0123456789") != 14))
		abort();
	if (alnum == NULL && (strlen(s) != 14 ||
	    strspn(s, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ") < 12 ||
	    strspn(s + 12, "0123456789") != 2))
		abort();
	if (num == NULL && alnum != NULL)
		abort();
	if (alnum == NULL) {
		memcpy(t, s, 15);
		t[13] = t[13] == '9' ? '0' : (char)(t[13] + 1);
		if (ident_cnpj_error(t, 1) == NULL)
			abort();
	}
}

static void
cpf_checks(const char *s)
{
	char t[12];

	if (ident_cpf_error(s) != NULL)
		return;
	if (strlen(s) != 11 || strspn(s, "0123456789") != 11)
		abort();
	memcpy(t, s, 12);
	t[10] = t[10] == '9' ? '0' : (char)(t[10] + 1);
	if (ident_cpf_error(t) == NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s == NULL)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	cnpj_checks(s);
	cpf_checks(s);
	free(s);
	return 0;
}
