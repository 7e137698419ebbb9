/*
 * Fuzz the entry rules (gto_value for every field, entry_assign for
 * "campo=valor"): never a crash, and what they accept keeps the rules:
 * no white space at the ends, no control character, the prestador a
 * safe path component, identifiers and codes printable ASCII.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/entry.h"
#include "common/gto.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check_value(int f, const char *v, size_t n)
{
	size_t i;

	if (n == 0)
		return;
	if (strlen(v) != n || v[0] == ' ' || v[n - 1] == ' ')
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 && v[i] != '\t' && v[i] != '\n' &&
		    v[i] != '\r')
			abort();
	if (f == GF_codigoPrestadorNaOperadora && (strchr(v, '/') ||
	    v[0] == '.' || n > 14))
		abort();
	if ((f == GF_numeroGuiaPrestador || f == GF_numeroCarteira ||
	    f == GF_codDente) && (strchr(v, '\n') || strchr(v, '\t')))
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct buf out = { 0 };
	char *s = malloc(size + 1), err[512];
	int f, g;

	memcpy(s, data, size);
	s[size] = '\0';
	f = size ? data[0] % gto_nfields : 0;
	if (gto_value(f, s + (size > 0), size - (size > 0), &out) == NULL)
		check_value(f, out.data ? out.data : "", out.len);
	if (entry_assign(s, -1, &g, &out, err, sizeof(err)) == 0)
		check_value(g, out.data ? out.data : "", out.len);
	else if (err[0] == '\0')
		abort();
	buf_release(&out);
	free(s);
	return 0;
}
