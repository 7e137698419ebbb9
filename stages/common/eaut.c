#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "eaut.h"
#include "gto.h"
#include "util.h"
#include "xml.h"

/* s as it may be shown in a message: one line, at most 40 bytes. */
static const char *
shown(const char *s, char out[48])
{
	size_t i;

	for (i = 0; s[i] && i < 40; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7F ? '?' : s[i];
	out[i] = '\0';
	if (s[i])
		memcpy(out + 37, "...", 4);
	return out;
}

/*
 * The canonical value of field f from text t into *v (NULL when t is
 * only white space); 0, or -1 with the reason in err.
 */
static int
canonical(int f, const char *t, char **v, char *err, size_t errlen)
{
	char out[32], sh[48], *copy;
	const char *s, *canon, *why;
	size_t n = strlen(t);

	s = gto_trim(t, &n);
	free(*v);
	*v = NULL;
	if (n == 0)
		return 0;
	copy = xstrndup(s, n);
	if ((why = gto_canonical(f, copy, out, &canon)) != NULL) {
		snprintf(err, errlen, "%s '%s': %s", gto_fields[f].name,
		    shown(copy, sh), why);
		free(copy);
		return -1;
	}
	*v = xstrdup(canon);
	free(copy);
	return 0;
}

/* The children of n that are GTO fields of level into v; 0 or -1. */
static int
read_fields(xmlNodePtr n, int level, char **v, char *err, size_t errlen)
{
	xmlChar *t;
	int f, rc;

	for (n = xmlFirstElementChild(n); n; n = xmlNextElementSibling(n)) {
		if ((f = gto_field_find((const char *)n->name)) < 0 ||
		    (int)gto_fields[f].level != level)
			continue;
		t = xmlNodeGetContent(n);
		rc = canonical(f, t ? (const char *)t : "", &v[f], err, errlen);
		xmlFree(t);
		if (rc != 0)
			return -1;
	}
	return 0;
}

static void
auth_release(struct eaut_auth *a)
{
	int i, k;

	for (k = 0; k < GTO_MAXFIELDS; k++)
		free(a->gv[k]);
	for (i = 0; i < a->nprocs; i++)
		for (k = 0; k < GTO_MAXFIELDS; k++)
			free(a->pv[i][k]);
	free(a->pv);
	memset(a, 0, sizeof(*a));
}

/* One autorizacao element into a; 0, or -1 with the reason in err. */
static int
read_auth(xmlNodePtr n, struct eaut_auth *a, char *err, size_t errlen)
{
	xmlNodePtr p;

	memset(a, 0, sizeof(*a));
	xml_child_text(n, "situacao", a->situacao, sizeof(a->situacao));
	if (read_fields(n, GTO_GUIA, a->gv, err, errlen) != 0)
		return -1;
	if (a->gv[GF_numeroGuiaOperadora] == NULL ||
	    a->gv[GF_numeroGuiaPrestador] == NULL) {
		snprintf(err, errlen, "%s is empty: every authorization needs "
		    "its numeroGuiaOperadora and numeroGuiaPrestador",
		    a->gv[GF_numeroGuiaOperadora] ? "numeroGuiaPrestador" :
		    "numeroGuiaOperadora");
		return -1;
	}
	for (p = xmlFirstElementChild(n); p; p = xmlNextElementSibling(p)) {
		if (strcmp((const char *)p->name, "procedimento") != 0)
			continue;
		a->pv = xrealloc(a->pv, (size_t)(a->nprocs + 1) *
		    sizeof(*a->pv));
		memset(a->pv[a->nprocs], 0, sizeof(*a->pv));
		if (read_fields(p, GTO_PROC, a->pv[a->nprocs++], err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}

/* The root's attributes: prestador, pagina, paginas; 0 or -1. */
static int
read_root(xmlNodePtr root, struct eaut_page *p, char *err, size_t errlen)
{
	char *v = NULL, why[256];
	xmlChar *a;

	if (root == NULL || strcmp((const char *)root->name, "autorizacoes")) {
		snprintf(err, errlen, "not an e-Autorizador answer: the root "
		    "element is not autorizacoes");
		return -1;
	}
	why[0] = '\0';
	a = xmlGetProp(root, BAD_CAST "prestador");
	if (canonical(GF_codigoPrestadorNaOperadora, a ? (const char *)a : "",
	    &v, why, sizeof(why)) != 0 || v == NULL) {
		snprintf(err, errlen, "the answer's prestador attribute: %s",
		    v == NULL && why[0] == '\0' ? "empty" : why);
		xmlFree(a);
		free(v);
		return -1;
	}
	xmlFree(a);
	snprintf(p->prestador, sizeof(p->prestador), "%s", v);
	free(v);
	a = xmlGetProp(root, BAD_CAST "pagina");
	p->pagina = a ? (int)strtol((const char *)a, NULL, 10) : 0;
	xmlFree(a);
	a = xmlGetProp(root, BAD_CAST "paginas");
	p->paginas = a ? (int)strtol((const char *)a, NULL, 10) : 0;
	xmlFree(a);
	return 0;
}

/* Every autorizacao of root into p; 0, or -1 naming the bad one. */
static int
read_auths(xmlNodePtr root, struct eaut_page *p, char *err, size_t errlen)
{
	char why[512], sh[48];
	const char *num;
	xmlNodePtr n;

	for (n = xmlFirstElementChild(root); n; n = xmlNextElementSibling(n)) {
		if (strcmp((const char *)n->name, "autorizacao") != 0)
			continue;
		p->auths = xrealloc(p->auths, (size_t)(p->nauths + 1) *
		    sizeof(*p->auths));
		why[0] = '\0';
		if (read_auth(n, &p->auths[p->nauths++], why,
		    sizeof(why)) != 0) {
			num = p->auths[p->nauths - 1].gv[GF_numeroGuiaOperadora];
			snprintf(err, errlen, "authorization %d%s%s%s: %s",
			    p->nauths, num ? " (" : "", num ? shown(num, sh) : "",
			    num ? ")" : "", why);
			return -1;
		}
	}
	return 0;
}

int
eaut_read(const char *data, size_t n, xmlSchemaPtr schema,
    struct eaut_page *p, char *err, size_t errlen)
{
	char why[512];
	xmlDocPtr doc;
	int rc = -1;

	memset(p, 0, sizeof(*p));
	if ((doc = xml_parse_memory(data, n, "page", why, sizeof(why))) ==
	    NULL) {
		snprintf(err, errlen, "not acceptable XML: %s", why);
		return -1;
	}
	if (schema && xml_schema_check(schema, doc, why, sizeof(why)) != 0)
		snprintf(err, errlen, "not an e-Autorizador v1 answer: %s", why);
	else if (read_root(xmlDocGetRootElement(doc), p, err, errlen) == 0 &&
	    read_auths(xmlDocGetRootElement(doc), p, err, errlen) == 0)
		rc = 0;
	xmlFreeDoc(doc);
	if (rc != 0)
		eaut_page_release(p);
	return rc;
}

void
eaut_page_release(struct eaut_page *p)
{
	int i;

	for (i = 0; i < p->nauths; i++)
		auth_release(&p->auths[i]);
	free(p->auths);
	memset(p, 0, sizeof(*p));
}
