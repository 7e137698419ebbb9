#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "eaut.h"
#include "gto.h"
#include "guide.h"
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
 * The canonical value of field f from text t into *v, owned (NULL when
 * t is only white space); 0, or -1 with the reason in err.
 */
static int
canonical(int f, const char *t, char **v, char *err, size_t errlen)
{
	struct buf out = { 0 };
	const char *why;
	char sh[48];

	*v = NULL;
	if ((why = gto_value(f, t, strlen(t), &out)) != NULL)
		snprintf(err, errlen, "%s '%s': %s", gto_fields[f].name,
		    shown(t, sh), why);
	else if (out.len > 0)
		*v = xstrdup(out.data);
	buf_release(&out);
	return why ? -1 : 0;
}

/*
 * The children of n that are GTO fields of level into g (guide-level,
 * or procedure p); 0, or -1 with the reason in err.
 */
static int
read_fields(xmlNodePtr n, int level, struct guide *g, int p, char *err,
    size_t errlen)
{
	xmlChar *t;
	char *v;
	int f, rc;

	for (n = xmlFirstElementChild(n); n; n = xmlNextElementSibling(n)) {
		if ((f = gto_field_find((const char *)n->name)) < 0 ||
		    (int)gto_fields[f].level != level)
			continue;
		t = xmlNodeGetContent(n);
		rc = canonical(f, t ? (const char *)t : "", &v, err, errlen);
		xmlFree(t);
		if (rc != 0)
			return -1;
		if (level == GTO_GUIA)
			guide_set(g, f, v, 0);
		else
			guide_proc_set(g, p, f, v);
		free(v);
	}
	return 0;
}

/* One autorizacao element into a; 0, or -1 with the reason in err. */
static int
read_auth(xmlNodePtr n, const char *prest, struct eaut_auth *a, char *err,
    size_t errlen)
{
	struct guide *g = &a->g;
	xmlNodePtr p;

	guide_init(g);
	xml_child_text(n, "situacao", a->situacao, sizeof(a->situacao));
	if (read_fields(n, GTO_GUIA, g, 0, err, errlen) != 0)
		return -1;
	guide_set(g, GF_codigoPrestadorNaOperadora, prest, 0);
	if (guide_get(g, GF_numeroGuiaOperadora) == NULL ||
	    guide_get(g, GF_numeroGuiaPrestador) == NULL) {
		snprintf(err, errlen, "%s is empty: every authorization needs "
		    "its numeroGuiaOperadora and numeroGuiaPrestador",
		    guide_get(g, GF_numeroGuiaOperadora) ?
		    "numeroGuiaPrestador" : "numeroGuiaOperadora");
		return -1;
	}
	for (p = xmlFirstElementChild(n); p; p = xmlNextElementSibling(p)) {
		if (strcmp((const char *)p->name, "procedimento") != 0)
			continue;
		guide_add_proc(g);
		if (read_fields(p, GTO_PROC, g, g->nprocs - 1, err,
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
	char why[512], sh[48], sh2[48];
	const char *num, *guia;
	const struct guide *g;
	xmlNodePtr n;

	for (n = xmlFirstElementChild(root); n; n = xmlNextElementSibling(n)) {
		if (strcmp((const char *)n->name, "autorizacao") != 0)
			continue;
		p->auths = xrealloc(p->auths, (size_t)(p->nauths + 1) *
		    sizeof(*p->auths));
		why[0] = '\0';
		if (read_auth(n, p->prestador, &p->auths[p->nauths++], why,
		    sizeof(why)) != 0) {
			g = &p->auths[p->nauths - 1].g;
			num = guide_get(g, GF_numeroGuiaOperadora);
			guia = guide_get(g, GF_numeroGuiaPrestador);
			snprintf(err, errlen, "authorization %d%s%s%s%s%s: %s",
			    p->nauths, num ? " (" : "", num ? shown(num, sh) : "",
			    num && guia ? ", guide " : "", num && guia ?
			    shown(guia, sh2) : "", num ? ")" : "", why);
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

static const char *
dash(const char *s)
{
	return s ? s : "-";
}

void
eaut_print(FILE *out, const struct eaut_auth *a)
{
	const struct guide *g = &a->g;
	int i;

	fprintf(out, "%-20s %-20s %-20s %-10s %-10s %-12s",
	    guide_get(g, GF_numeroGuiaOperadora),
	    guide_get(g, GF_numeroGuiaPrestador),
	    dash(guide_get(g, GF_numeroCarteira)),
	    dash(guide_get(g, GF_dataAutorizacao)),
	    dash(guide_get(g, GF_validadeSenha)), a->situacao);
	for (i = 0; i < g->nprocs; i++) {
		const char *dente = guide_proc_get(g, i, GF_codDente);
		const char *regiao = guide_proc_get(g, i, GF_codRegiao);
		const char *face = guide_proc_get(g, i, GF_denteFace);
		const char *data = guide_proc_get(g, i, GF_dataRealizacao);
		const char *code = guide_proc_get(g, i, GF_codigoProcedimento);

		fprintf(out, " %s", code ? code : "?");
		if (dente || regiao)
			fprintf(out, "@%s", dente ? dente : regiao);
		if (face)
			fprintf(out, ":%s", face);
		if (data)
			fprintf(out, " (%s)", data);
	}
	fputc('\n', out);
}

void
eaut_page_release(struct eaut_page *p)
{
	int i;

	for (i = 0; i < p->nauths; i++)
		guide_release(&p->auths[i].g);
	free(p->auths);
	memset(p, 0, sizeof(*p));
}
