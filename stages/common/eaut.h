/*
 * The e-Autorizador page reader (contract v1, docs/eautorizador.md,
 * xsd/eautorizador-v1.xsd): from the bytes of one answer page to its
 * authorizations, every value in its canonical form (gto_trim, then
 * gto_canonical, the same rules as the CSV import and tiss-guia).  No
 * database and no network: tiss-fetch decides what to store, and the
 * fuzzer (tests/fuzz/fuzz-eautorizador.c) runs it on any bytes.
 */
#ifndef TISS_EAUT_H
#define TISS_EAUT_H

#include <stddef.h>
#include <stdio.h>

#include <libxml/xmlschemas.h>

#include "guide.h"

/* One authorization. */
struct eaut_auth {
	/*
	 * Its values, canonical, codigoPrestadorNaOperadora the page's;
	 * numeroGuiaOperadora and numeroGuiaPrestador always set.
	 */
	struct guide g;
	char	 situacao[16];		/* concluida, abandonada, ... */
};

/* One page of an answer. */
struct eaut_page {
	char	 prestador[16];		/* the root's prestador, canonical */
	int	 pagina;		/* this page's number, 1.. */
	int	 paginas;		/* how many pages the answer has */
	struct eaut_auth *auths;	/* owned */
	int	 nauths;
};

/*
 * Read one page of n bytes: the safe parser (xml.h), the schema when
 * schema is not NULL, then every value through the entry rules (the
 * prestador a safe path component, identifiers trimmed and one line,
 * numeroGuiaOperadora and numeroGuiaPrestador present).  Returns 0 with
 * p filled (release with eaut_page_release), or -1 with p empty and err
 * saying what is wrong, naming the authorization when it is one, and
 * that the page is refused whole.  Never exits.
 */
int	 eaut_read(const char *data, size_t n, xmlSchemaPtr schema,
	    struct eaut_page *p, char *err, size_t errlen);

/* Free what eaut_read filled in; p may be zeroed or already released. */
void	 eaut_page_release(struct eaut_page *p);

/*
 * One line on out for --list: numeroGuiaOperadora, numeroGuiaPrestador,
 * card, authorization date, validity, situacao, then each procedure as
 * CODE[@TOOTH|@REGION][:FACES] (DATE).
 */
void	 eaut_print(FILE *out, const struct eaut_auth *a);

#endif
