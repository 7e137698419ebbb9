#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "datadir.h"
#include "i18n.h"
#include "log.h"
#include "tissver.h"
#include "util.h"
#include "xml.h"

/*
 * The decimal facets of cto_guiaOdontologia per version, from each
 * version's tissGuiasVx_xx_xx.xsd (NOTES.md §2 and §8); test-tissver
 * checks them against the official schemas.
 */
static const struct tissver_limit limits_v3_v4[] = {
	{ "qtdUS", "st_decimal8-2", 8, 2 },
	{ "valorProc", "st_decimal8-2", 8, 2 },
	{ "valorFranquia", "st_decimal8-2", 8, 2 },
	{ "qtdTotalUS", "st_decimal8-2", 8, 2 },
	{ "valorTotalProc", "st_decimal10-2", 10, 2 },
	{ "valorTotalFranquia", "st_decimal10-2", 10, 2 },
	{ NULL, NULL, 0, 0 }
};

static const struct tissver_limit limits_40300[] = {
	{ "qtdUS", "st_decimal7-2", 7, 2 },		/* narrower */
	{ "valorProc", "st_decimal10-2", 10, 2 },	/* wider */
	{ "valorFranquia", "st_decimal10-2", 10, 2 },	/* wider */
	{ "qtdTotalUS", "st_decimal8-2", 8, 2 },
	{ "valorTotalProc", "st_decimal10-2", 10, 2 },
	{ "valorTotalFranquia", "st_decimal10-2", 10, 2 },
	{ NULL, NULL, 0, 0 }
};

/*
 * A version's number and the names of its files, which follow from the
 * number (NOTES.md §8): TISSVER(4, 03, 00) is "4.03.00",
 * "tissV4_03_00.xsd", "tissWebServicesV4_03_00.xsd",
 * "tissSimpleTypesV4_03_00.xsd" and "lote-tiss-4.03.00.xsl".
 */
#define TISSVER(a, b, c) \
	#a "." #b "." #c, \
	"tissV" #a "_" #b "_" #c ".xsd", \
	"tissWebServicesV" #a "_" #b "_" #c ".xsd", \
	"tissSimpleTypesV" #a "_" #b "_" #c ".xsd", \
	"lote-tiss-" #a "." #b "." #c ".xsl"

/*
 * Oldest first; the last row is the default for new work.  A new
 * version is one row here and its stylesheet in xslt/.
 */
static const struct tissver versions[] = {
	/* number, vigencia, cnpj_alnum, names_required, max_status, limits */
	{ TISSVER(3, 05, 00), "2018-11-01", 0, 1, 8, limits_v3_v4 },
	{ TISSVER(4, 01, 00), "2022-10-01", 0, 0, 9, limits_v3_v4 },
	{ TISSVER(4, 03, 00), "2025-12-01", 1, 0, 10, limits_40300 },
};

#define NVERSIONS	(int)(sizeof(versions) / sizeof(versions[0]))

/*
 * dm_statusProtocolo, names as the schemas' comments write them (checked
 * by test-tissver).  Final: the operator will not move it again, so
 * tiss-status stops asking.  Person: the clinic must act (send what the
 * operator awaits, find the protocolo, see a lawyer, appeal).
 */
static const struct tissver_status statuses[] = {
	{ 1, "Recebido", 0, 0 },
	{ 2, "Em análise", 0, 0 },
	{ 3, "Liberado para pagamento", 0, 0 },
	{ 4, "Encerrado sem pagamento", 1, 1 },
	{ 5, "Analisado e aguardando liberação para pagamento", 0, 0 },
	{ 6, "Pagamento Efetuado", 1, 0 },
	{ 7, "Não Localizado", 0, 1 },
	{ 8, "Aguardando informação complementar", 0, 1 },
	{ 9, "Cancelado", 1, 0 },
	{ 10, "Bloqueio judicial - prestador", 1, 1 },
};

#define NSTATUSES	(int)(sizeof(statuses) / sizeof(statuses[0]))

const struct tissver *
tissver_find(const char *versao)
{
	int i;

	for (i = 0; versao && i < NVERSIONS; i++)
		if (strcmp(versions[i].versao, versao) == 0)
			return &versions[i];
	return NULL;
}

const struct tissver *
tissver_default(void)
{
	return &versions[NVERSIONS - 1];
}

const struct tissver *
tissver_at(int i)
{
	return i >= 0 && i < NVERSIONS ? &versions[i] : NULL;
}

/* Append item to the list in out (len bytes), after ", " when not first. */
static void
list_add(char *out, size_t len, const char *item)
{
	size_t n = strlen(out);

	snprintf(out + n, len - n, "%s%s", n ? ", " : "", item);
}

const char *
tissver_names(void)
{
	static char names[128];
	int i;

	if (names[0] == '\0')
		for (i = 0; i < NVERSIONS; i++)
			list_add(names, sizeof(names), versions[i].versao);
	return names;
}

const struct tissver_limit *
tissver_limit(const struct tissver *v, const char *field)
{
	const struct tissver_limit *l;

	for (l = v->limits; l->field; l++)
		if (strcmp(l->field, field) == 0)
			return l;
	return NULL;
}

int64_t
tissver_limit_max(const struct tissver_limit *l)
{
	int64_t max = 1;
	int i;

	for (i = 0; i < l->digits; i++)
		max *= 10;
	max--;			/* in units of the last fraction digit */
	/* Stored in hundredths: fewer fraction digits end in zeros. */
	for (i = l->fraction; i < 2; i++)
		max *= 10;
	return max;
}

void
tissver_limit_text(const struct tissver_limit *l, char out[32])
{
	int whole = l->digits - l->fraction, i, n = 0;

	for (i = 0; i < whole && n < 26; i++) {
		if (i > 0 && (whole - i) % 3 == 0)
			out[n++] = '.';
		out[n++] = '9';
	}
	if (l->fraction > 0)
		out[n++] = ',';
	for (i = 0; i < l->fraction && n < 31; i++)
		out[n++] = '9';
	out[n] = '\0';
}

const struct tissver_status *
tissver_status(const struct tissver *v, int code)
{
	if (code < 1 || code > v->max_status || code > NSTATUSES)
		return NULL;
	return &statuses[code - 1];
}

const char *
tissver_status_name(int code)
{
	return code >= 1 && code <= NSTATUSES ? statuses[code - 1].name : "?";
}

void
tissver_status_label(int code, char out[128])
{
	snprintf(out, 128, "%s%s", tissver_status_name(code),
	    tissver_status_person(code) ? ", requer atenção" : "");
}

int
tissver_status_known(int code)
{
	return code >= 1 && code <= NSTATUSES;
}

int
tissver_status_final(int code)
{
	return code >= 1 && code <= NSTATUSES && statuses[code - 1].final;
}

int
tissver_status_person(int code)
{
	return code >= 1 && code <= NSTATUSES && statuses[code - 1].person;
}

const char *
tissver_status_final_sql(void)
{
	static char list[64];
	char code[16];
	int i;

	if (list[0] == '\0')
		for (i = 0; i < NSTATUSES; i++)
			if (statuses[i].final) {
				snprintf(code, sizeof(code), "%d",
				    statuses[i].code);
				list_add(list, sizeof(list), code);
			}
	return list;
}

char *
tissver_schemas_default(const struct tissver *v)
{
	return xasprintf("%s/schemas/%s", datadir(), v->versao);
}

char *
tissver_stylesheet_path(const struct tissver *v)
{
	return xasprintf("%s/xslt/%s", datadir(), v->stylesheet);
}

char *
tissver_path(const char *dir, const char *file)
{
	return xasprintf("%s/%s", dir, file);
}

/* ---- dm_tipoGlosa from the schema ---------------------------------------- */

struct glosa {
	char	 code[8];
	char	*text;			/* owned; NULL when undocumented */
};

struct tissver_glosas {
	struct glosa *v;		/* sorted by code */
	int	 n;
};

static int
glosa_cmp(const void *a, const void *b)
{
	return strcmp(((const struct glosa *)a)->code,
	    ((const struct glosa *)b)->code);
}

/* The named xs:simpleType among the schema's top-level elements. */
static xmlNodePtr
simple_type(xmlDocPtr doc, const char *name)
{
	xmlNodePtr n;
	xmlChar *a;
	int same;

	for (n = xmlDocGetRootElement(doc)->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "simpleType") != 0)
			continue;
		a = xmlGetProp(n, BAD_CAST "name");
		same = a && strcmp((const char *)a, name) == 0;
		xmlFree(a);
		if (same)
			return n;
	}
	return NULL;
}

/*
 * The ANS documents each code in a comment inside the restriction, one
 * "CODE<blanks>DESCRIPTION" line per code among headings such as
 * "INCLUIDAS NA VERSÃO 4.03.00 (3169 A 3312)".  Set the text of every
 * enumerated code such a line names; other lines are ignored.
 */
static void
glosa_comment(struct tissver_glosas *g, const char *text)
{
	const char *p = text, *eol, *d;
	struct glosa key, *hit;
	size_t len;

	for (; *p; p = *eol ? eol + 1 : eol) {
		if ((eol = strchr(p, '\n')) == NULL)
			eol = p + strlen(p);
		while (p < eol && isspace((unsigned char)*p))
			p++;
		if (eol - p < 6 || strspn(p, "0123456789") != 4 ||
		    (p[4] != ' ' && p[4] != '\t'))
			continue;
		for (d = p + 4; d < eol && isspace((unsigned char)*d); d++)
			;
		len = (size_t)(eol - d);
		while (len && isspace((unsigned char)d[len - 1]))
			len--;
		memcpy(key.code, p, 4);
		key.code[4] = '\0';
		hit = bsearch(&key, g->v, (size_t)g->n, sizeof(*g->v),
		    glosa_cmp);
		if (hit && len && hit->text == NULL)
			hit->text = xstrndup(d, len);
	}
}

/* Fill g from the restriction of dm_tipoGlosa: codes first, then texts. */
static void
glosa_fill(struct tissver_glosas *g, xmlNodePtr restriction)
{
	xmlNodePtr n;
	xmlChar *a;

	for (n = restriction->children; n; n = n->next) {
		if (n->type != XML_ELEMENT_NODE ||
		    strcmp((const char *)n->name, "enumeration") != 0 ||
		    (a = xmlGetProp(n, BAD_CAST "value")) == NULL)
			continue;
		if (strlen((const char *)a) < sizeof(g->v->code)) {
			g->v = xrealloc(g->v, (size_t)(g->n + 1) *
			    sizeof(*g->v));
			snprintf(g->v[g->n].code, sizeof(g->v->code), "%s",
			    (const char *)a);
			g->v[g->n++].text = NULL;
		}
		xmlFree(a);
	}
	if (g->n > 0)
		qsort(g->v, (size_t)g->n, sizeof(*g->v), glosa_cmp);
	for (n = restriction->children; n; n = n->next)
		if (n->type == XML_COMMENT_NODE && n->content)
			glosa_comment(g, (const char *)n->content);
}

struct tissver_glosas *
tissver_glosas_load(const struct tissver *v, const char *dir, char *err,
    size_t errlen)
{
	struct tissver_glosas *g = NULL;
	char *path = tissver_path(dir, v->simple_types), why[256];
	xmlDocPtr doc;
	xmlNodePtr st, r = NULL;

	if ((doc = xml_parse_file(path, why, sizeof(why))) == NULL) {
		snprintf(err, errlen, "%s: %s", path, why);
		goto out;
	}
	if ((st = simple_type(doc, "dm_tipoGlosa")) != NULL)
		for (r = st->children; r; r = r->next)
			if (r->type == XML_ELEMENT_NODE &&
			    strcmp((const char *)r->name, "restriction") == 0)
				break;
	if (r == NULL) {
		snprintf(err, errlen, _("%s: no dm_tipoGlosa restriction: not "
		    "the official TISS %s schema"), path, v->versao);
		goto out;
	}
	g = xcalloc(1, sizeof(*g));
	glosa_fill(g, r);
	if (g->n == 0) {
		snprintf(err, errlen, _("%s: dm_tipoGlosa lists no code"),
		    path);
		tissver_glosas_free(g);
		g = NULL;
	}
out:
	xmlFreeDoc(doc);
	free(path);
	return g;
}

void
tissver_glosas_free(struct tissver_glosas *g)
{
	int i;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++)
		free(g->v[i].text);
	free(g->v);
	free(g);
}

int
tissver_glosas_count(const struct tissver_glosas *g)
{
	return g ? g->n : 0;
}

const char *
tissver_glosa_text(const struct tissver_glosas *g, const char *code)
{
	struct glosa key, *hit;

	if (g == NULL || code == NULL || strlen(code) >= sizeof(key.code))
		return NULL;
	snprintf(key.code, sizeof(key.code), "%s", code);
	hit = bsearch(&key, g->v, (size_t)g->n, sizeof(*g->v), glosa_cmp);
	return hit ? hit->text : NULL;
}

/* The process's glosa table: where from, and once read, the table. */
static struct {
	const struct tissver *v;
	char	*dir;
	struct tissver_glosas *g;
	int	 tried;
} use;

void
tissver_glosa_use(const struct tissver *v, const char *dir)
{
	if (v == use.v && dir && use.dir && strcmp(dir, use.dir) == 0)
		return;		/* the same table: keep what was read */
	tissver_glosas_free(use.g);
	free(use.dir);
	use.v = v;
	use.dir = dir ? xstrdup(dir) : NULL;
	use.g = NULL;
	use.tried = 0;
}

const char *
tissver_glosa_describe(const char *code, const char *given)
{
	char err[512];
	const char *t;

	if (given && *given)
		return given;
	if (!use.tried && use.v && use.dir) {
		use.tried = 1;
		if ((use.g = tissver_glosas_load(use.v, use.dir, err,
		    sizeof(err))) == NULL)
			log_warn(_("glosa codes are shown without their "
			    "description: %s; install the official schemas "
			    "(tiss-schemas install)"), err);
	}
	t = tissver_glosa_text(use.g, code);
	return t ? t : "(sem descrição)";
}
