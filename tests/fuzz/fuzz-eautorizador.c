/*
 * Fuzz the e-Autorizador page reader (common/eaut.c) on any bytes: no
 * schema, no database, no network, so the reader itself must stand any
 * document.  A page it accepts must keep the entry rules: the prestador
 * a safe path component, every authorization keyed, no identifier with
 * white space at its ends or a control character.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/eaut.h"
#include "common/gto.h"
#include "common/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Abort unless v is an identifier as gto_canonical leaves it. */
static void
check_ident(const char *v)
{
	size_t n = strlen(v), i;

	if (n == 0 || v[0] == ' ' || v[n - 1] == ' ')
		abort();
	for (i = 0; i < n; i++)
		if ((unsigned char)v[i] < 0x20 || (unsigned char)v[i] > 0x7E)
			abort();
}

static void
check_page(const struct eaut_page *p)
{
	static const int ids[] = { GF_numeroGuiaPrestador,
	    GF_numeroGuiaOperadora, GF_numeroGuiaPrincipal,
	    GF_senhaAutorizacao, GF_numeroCarteira };
	const char *v;
	size_t k;
	int i;

	if (p->prestador[0] == '\0' || strchr(p->prestador, '/') ||
	    p->prestador[0] == '.' || strcmp(p->prestador, "..") == 0)
		abort();
	check_ident(p->prestador);
	for (i = 0; i < p->nauths; i++) {
		if (guide_get(&p->auths[i].g, GF_numeroGuiaOperadora) == NULL ||
		    guide_get(&p->auths[i].g, GF_numeroGuiaPrestador) == NULL)
			abort();
		for (k = 0; k < sizeof(ids) / sizeof(ids[0]); k++)
			if ((v = guide_get(&p->auths[i].g, ids[k])) != NULL)
				check_ident(v);
	}
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int ready;
	struct eaut_page p;
	char err[1024];

	if (!ready) {
		xml_init();
		ready = 1;
	}
	if (eaut_read((const char *)data, size, NULL, &p, err,
	    sizeof(err)) == 0) {
		check_page(&p);
		eaut_page_release(&p);
	} else if (err[0] == '\0')
		abort();
	return 0;
}
