/*
 * Unit tests of stages/common/tissver.c: the version rows, and each row
 * checked against the official schemas in $TISS_SHARED (the facets of
 * the GTO, st_CNPJ, dm_statusProtocolo), and the glosa table read from
 * the schema.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "common/tissver.h"
#include "common/util.h"
#include "common/xml.h"
#include "tap.h"

static void
test_rows(void)
{
	const struct tissver *v3 = tissver_find("3.05.00");
	const struct tissver *v401 = tissver_find("4.01.00");
	const struct tissver *v403 = tissver_find("4.03.00");
	char text[128];

	ok(v3 && v401 && v403, "three versions");
	ok(tissver_find("4.02.00") == NULL, "no 4.02.00 (no public schema)");
	ok(tissver_find(NULL) == NULL, "NULL finds nothing");
	ok(tissver_default() == v403, "4.03.00 is the default");
	ok_str(tissver_names(), "3.05.00, 4.01.00, 4.03.00", "names");
	ok(tissver_at(0) == v3 && tissver_at(3) == NULL, "rows in order");
	ok_str(v403->stylesheet, "lote-tiss-4.03.00.xsl", "stylesheet");
	ok_str(v403->entry, "tissV4_03_00.xsd", "entry schema");
	ok(tissver_limit_max(tissver_limit(v403, "qtdUS")) == 9999999,
	    "4.03.00 qtdUS up to 99999.99");
	ok(tissver_limit_max(tissver_limit(v401, "qtdUS")) == 99999999,
	    "4.01.00 qtdUS up to 999999.99");
	ok(tissver_limit_max(tissver_limit(v401, "valorProc")) == 99999999,
	    "4.01.00 valorProc up to 999999.99");
	ok(tissver_limit_max(tissver_limit(v403, "valorProc")) ==
	    9999999999LL, "4.03.00 valorProc up to 99999999.99");
	ok(tissver_limit(v403, "qtdProc") == NULL, "no decimal facet");
	tissver_limit_text(tissver_limit(v403, "qtdUS"), text);
	ok_str(text, "99.999,99", "limit text 7-2");
	tissver_limit_text(tissver_limit(v403, "valorProc"), text);
	ok_str(text, "99.999.999,99", "limit text 10-2");
	tissver_limit_text(tissver_limit(v401, "valorProc"), text);
	ok_str(text, "999.999,99", "limit text 8-2");
	ok(tissver_status(v403, 10) != NULL, "status 10 in 4.03.00");
	ok(tissver_status(v401, 10) == NULL, "no status 10 in 4.01.00");
	ok(tissver_status(v3, 9) == NULL, "no status 9 in 3.05.00");
	ok_str(tissver_status_name(10), "Bloqueio judicial - prestador",
	    "status 10 name");
	ok(tissver_status_final(10) && tissver_status_person(10),
	    "status 10 final and needs a person");
	ok(!tissver_status_final(8) && tissver_status_person(8),
	    "status 8 awaits the clinic");
	ok_str(tissver_status_name(11), "?", "unknown status");
	ok_str(tissver_status_final_sql(), "4, 6, 9, 10", "final codes");
	tissver_status_label(10, text);
	ok_str(text, "Bloqueio judicial - prestador, requer atenção",
	    "status 10 as the reports show it");
	tissver_status_label(6, text);
	ok_str(text, "Pagamento Efetuado", "status 6 as the reports show it");
	ok(tissver_status_known(10) && !tissver_status_known(11) &&
	    !tissver_status_known(0), "known codes");
	ok(v403->cnpj_alnum && !v401->cnpj_alnum, "alphanumeric CNPJ");
}

/* The named top-level element of kind ("simpleType", "complexType"). */
static xmlNodePtr
named(xmlDocPtr doc, const char *kind, const char *name)
{
	xmlNodePtr n;
	xmlChar *a;
	int same;

	for (n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, kind) != 0)
			continue;
		a = xmlGetProp(n, BAD_CAST "name");
		same = a && strcmp((const char *)a, name) == 0;
		xmlFree(a);
		if (same)
			return n;
	}
	return NULL;
}

/* The type of the element field under n, "ans:" stripped, into out. */
static int
field_type(xmlNodePtr n, const char *field, char *out, size_t len)
{
	xmlChar *name, *type;
	int found = 0;

	for (; n && !found; n = n->next) {
		if (n->type != XML_ELEMENT_NODE)
			continue;
		name = xmlGetProp(n, BAD_CAST "name");
		type = xmlGetProp(n, BAD_CAST "type");
		if (name && type &&
		    strcmp((const char *)n->name, "element") == 0 &&
		    strcmp((const char *)name, field) == 0) {
			snprintf(out, len, "%s", strchr((char *)type, ':') ?
			    strchr((char *)type, ':') + 1 : (char *)type);
			found = 1;
		}
		xmlFree(name);
		xmlFree(type);
		if (!found)
			found = field_type(n->children, field, out, len);
	}
	return found;
}

static xmlDocPtr
schema(const char *shared, const struct tissver *v, const char *stem)
{
	char *dir = xasprintf("%s/%s", shared, v->versao), *file, *path;
	char err[256], ver[16];
	size_t i;
	xmlDocPtr doc;

	snprintf(ver, sizeof(ver), "%s", v->versao);
	for (i = 0; ver[i]; i++)
		if (ver[i] == '.')
			ver[i] = '_';
	file = xasprintf("%s%s.xsd", stem, ver);
	path = tissver_path(dir, file);
	if ((doc = xml_parse_file(path, err, sizeof(err))) == NULL)
		printf("# %s: %s\n", path, err);
	free(path);
	free(file);
	free(dir);
	return doc;
}

/* Each row against its own official schema. */
static void
test_against_xsd(const char *shared, const struct tissver *v)
{
	xmlDocPtr guias = schema(shared, v, "tissGuiasV");
	xmlDocPtr simple = schema(shared, v, "tissSimpleTypesV");
	const struct tissver_limit *l;
	xmlNodePtr n, gto;
	xmlChar *a;
	char type[64], msg[128];
	int codes = 0, names = 1;

	ok(guias && simple, "official schemas readable");
	if (guias == NULL || simple == NULL)
		goto out;
	gto = named(guias, "complexType", "cto_guiaOdontologia");
	for (l = v->limits; l->field; l++) {
		snprintf(msg, sizeof(msg), "%s %s is %s", v->versao, l->field,
		    l->type);
		ok(gto && field_type(gto->children, l->field, type,
		    sizeof(type)) && strcmp(type, l->type) == 0, msg);
		snprintf(type, sizeof(type), "st_decimal%d-%d", l->digits,
		    l->fraction);
		ok_str(type, l->type, "digits match the type");
	}
	n = named(simple, "simpleType", "st_CNPJ");
	for (n = n ? n->children : NULL; n && n->type != XML_ELEMENT_NODE;
	    n = n->next)
		;
	n = n ? xmlFirstElementChild(n) : NULL;	/* the pattern */
	a = n ? xmlGetProp(n, BAD_CAST "value") : NULL;
	snprintf(msg, sizeof(msg), "%s st_CNPJ alphanumeric is %d", v->versao,
	    v->cnpj_alnum);
	ok(a && (strstr((char *)a, "A-Z") != NULL) == v->cnpj_alnum, msg);
	xmlFree(a);
	n = named(simple, "simpleType", "dm_statusProtocolo");
	for (n = n ? xmlFirstElementChild(n)->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE)
			codes++;
		else if (n->type == XML_COMMENT_NODE) {
			/* " 10 - Bloqueio judicial - prestador " */
			int code = atoi((char *)n->content);
			const char *name = tissver_status_name(code);
			const char *in = strstr((char *)n->content, " - ");

			names &= in && strncmp(in + 3, name, strlen(name)) == 0;
		}
	snprintf(msg, sizeof(msg), "%s dm_statusProtocolo has %d codes",
	    v->versao, v->max_status);
	ok(codes == v->max_status, msg);
	ok(names, "status names as the schema's comments write them");
out:
	xmlFreeDoc(guias);
	xmlFreeDoc(simple);
}

static void
test_glosas(const char *shared)
{
	char *dir = xasprintf("%s/4.03.00", shared), err[512];
	struct tissver_glosas *g;
	const char *t;

	g = tissver_glosas_load(tissver_find("4.03.00"), dir, err, sizeof(err));
	ok(g != NULL, "4.03.00 glosas load");
	ok(tissver_glosas_count(g) == 769, "769 codes in 4.03.00");
	t = tissver_glosa_text(g, "3172");
	ok(t && strncmp(t, "AUSÊNCIA DE RADIOGRAFIA PERIAPICAL", 34) == 0,
	    "3172, new in 4.03.00, described from the XSD");
	printf("# 3172 %s\n", t ? t : "(null)");
	ok_str(tissver_glosa_text(g, "5014"), "CÓDIGO HASH INVÁLIDO. "
	    "MENSAGEM PODE ESTAR CORROMPIDA.", "5014");
	ok(tissver_glosa_text(g, "3312") != NULL, "3312, the last new code");
	ok(tissver_glosa_text(g, "9999") == NULL, "unknown code");
	ok(tissver_glosa_text(g, "31720") == NULL, "too long a code");
	tissver_glosas_free(g);
	free(dir);

	dir = xasprintf("%s/4.01.00", shared);
	g = tissver_glosas_load(tissver_find("4.01.00"), dir, err, sizeof(err));
	ok(tissver_glosas_count(g) == 625, "625 codes in 4.01.00");
	ok(tissver_glosa_text(g, "3172") == NULL, "no 3172 in 4.01.00");
	tissver_glosas_free(g);
	free(dir);

	/* The process's table, read on first use. */
	dir = xasprintf("%s/4.03.00", shared);
	tissver_glosa_use(tissver_find("4.03.00"), dir);
	free(dir);
	ok_str(tissver_glosa_describe("3172", ""), tissver_glosa_describe(
	    "3172", NULL), "described the same with no text or an empty one");
	ok(strncmp(tissver_glosa_describe("3172", NULL), "AUSÊNCIA", 9) == 0,
	    "3172 described from the schema");
	ok_str(tissver_glosa_describe("3172", "da operadora"), "da operadora",
	    "the operator's text wins");
	ok_str(tissver_glosa_describe("0000", NULL), "(sem descrição)",
	    "an unknown code");
	tissver_glosa_use(tissver_find("4.03.00"), "/nonexistent");
	ok_str(tissver_glosa_describe("3172", NULL), "(sem descrição)",
	    "no schema: no description, no failure");
	tissver_glosa_use(NULL, NULL);

	g = tissver_glosas_load(tissver_find("4.03.00"), "/nonexistent", err,
	    sizeof(err));
	ok(g == NULL && strstr(err, "tissSimpleTypesV4_03_00.xsd"),
	    "a missing schema is named");
	dir = xasprintf("%s/4.01.00", shared);
	g = tissver_glosas_load(tissver_find("4.03.00"), dir, err, sizeof(err));
	ok(g == NULL, "the wrong folder for the version");
	free(dir);
}

int
main(void)
{
	const char *shared = getenv("TISS_SHARED");
	int i;

	xml_init();
	test_rows();
	if (shared == NULL)
		shared = "../shared/tiss";
	for (i = 0; tissver_at(i); i++)
		test_against_xsd(shared, tissver_at(i));
	test_glosas(shared);
	xml_cleanup();
	return tap_done();
}
