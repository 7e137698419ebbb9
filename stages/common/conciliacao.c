#include <stdio.h>
#include <string.h>
#include <time.h>

#include "conciliacao.h"
#include "db.h"
#include "fmt.h"
#include "util.h"

/* The attributes of a lote's sums, in conciliacao_lote's column order. */
static const char *const attrs[] = {
	"guias", "faturado", "processado", "liberado", "glosado", "pago",
	"acatado", "emRecurso", "aReceber", "canceladas", "semDemonstrativo"
};
#define NSUMS	(int)(sizeof(attrs) / sizeof(attrs[0]))

static void
prop(xmlNodePtr n, const char *name, const char *value)
{
	if (value != NULL)
		xmlNewProp(n, BAD_CAST name, BAD_CAST value);
}

static void
prop_i64(xmlNodePtr n, const char *name, long long v)
{
	char s[32];

	snprintf(s, sizeof(s), "%lld", v);
	prop(n, name, s);
}

static void
put_sums(xmlNodePtr parent, const char *name, const long long *s)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST name, NULL);
	int i;

	for (i = 0; i < NSUMS; i++)
		prop_i64(n, attrs[i], s[i]);
}

/* The lotes, with a subtotal per prestador and the total. */
static void
lotes(sqlite3 *db, xmlNodePtr root, const char *comp, const char *prest)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT prestador, numeroLote, "
	    "numeroProtocolo, competencia, guias, faturado, processado, "
	    "liberado, glosado, pago, acatado, em_recurso, a_receber, "
	    "canceladas, sem_demonstrativo FROM conciliacao_lote WHERE (?1 IS "
	    "NULL OR competencia = ?1) AND (?2 IS NULL OR prestador = ?2) "
	    "ORDER BY prestador, numeroLote");
	long long sub[NSUMS] = { 0 }, total[NSUMS] = { 0 };
	xmlNodePtr pn = NULL, ln;
	char last[64] = "";
	int i;

	db_bind_text(st, 1, comp);
	db_bind_text(st, 2, prest);
	while (db_step(db, st) == SQLITE_ROW) {
		if (strcmp(db_col_text(st, 0), last) != 0) {
			if (pn)
				put_sums(pn, "subtotal", sub);
			memset(sub, 0, sizeof(sub));
			pn = xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
			prop(pn, "codigo", db_col_text(st, 0));
			snprintf(last, sizeof(last), "%s", db_col_text(st, 0));
		}
		ln = xmlNewChild(pn, NULL, BAD_CAST "lote", NULL);
		prop(ln, "numero", db_col_text(st, 1));
		prop(ln, "protocolo", db_col_text(st, 2));
		prop(ln, "competencia", db_col_text(st, 3));
		for (i = 0; i < NSUMS; i++) {
			if (sqlite3_column_type(st, 4 + i) == SQLITE_NULL)
				continue;
			prop(ln, attrs[i], db_col_text(st, 4 + i));
			sub[i] += sqlite3_column_int64(st, 4 + i);
			total[i] += sqlite3_column_int64(st, 4 + i);
		}
	}
	if (pn)
		put_sums(pn, "subtotal", sub);
	put_sums(root, "total", total);
	sqlite3_finalize(st);
}

/* Guides sent more than dias days ago that no demonstrativo mentions. */
static void
ausentes(sqlite3 *db, xmlNodePtr root, const char *comp, const char *prest,
    long dias)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT prestador, numeroLote, "
	    "numeroGuiaPrestador, faturado, substr(enviadoEm, 1, 10), "
	    "CAST(dias AS INTEGER) FROM conciliacao_guia WHERE processado IS "
	    "NULL AND NOT cancelada AND dias > ?3 AND (?1 IS NULL OR "
	    "competencia = ?1) AND (?2 IS NULL OR prestador = ?2) ORDER BY "
	    "prestador, numeroLote, numeroGuiaPrestador");
	xmlNodePtr an = xmlNewChild(root, NULL, BAD_CAST "ausentes", NULL), n;

	prop_i64(an, "dias", dias);
	db_bind_text(st, 1, comp);
	db_bind_text(st, 2, prest);
	sqlite3_bind_int64(st, 3, dias);
	while (db_step(db, st) == SQLITE_ROW) {
		n = xmlNewChild(an, NULL, BAD_CAST "guia", NULL);
		prop(n, "prestador", db_col_text(st, 0));
		prop(n, "lote", db_col_text(st, 1));
		prop(n, "numero", db_col_text(st, 2));
		prop(n, "faturado", db_col_text(st, 3));
		prop(n, "enviadoEm", db_col_text(st, 4));
		prop(n, "dias", db_col_text(st, 5));
	}
	sqlite3_finalize(st);
}

static void
glosas(sqlite3 *db, xmlNodePtr root, const char *comp, const char *prest)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT codigoGlosa, "
	    "max(descricaoGlosa), sum(itens), sum(coalesce(valor, 0)) FROM "
	    "conciliacao_glosa WHERE (?1 IS NULL OR competencia = ?1) AND (?2 "
	    "IS NULL OR prestador = ?2) GROUP BY 1 ORDER BY 4 DESC, 1");
	xmlNodePtr gn = xmlNewChild(root, NULL, BAD_CAST "glosas", NULL), n;

	db_bind_text(st, 1, comp);
	db_bind_text(st, 2, prest);
	while (db_step(db, st) == SQLITE_ROW) {
		n = xmlNewChild(gn, NULL, BAD_CAST "glosa", NULL);
		prop(n, "codigo", db_col_text(st, 0));
		if (sqlite3_column_type(st, 1) != SQLITE_NULL)
			prop(n, "descricao", db_col_text(st, 1));
		prop(n, "itens", db_col_text(st, 2));
		prop(n, "valor", db_col_text(st, 3));
	}
	sqlite3_finalize(st);
}

xmlDocPtr
conciliacao_doc(sqlite3 *db, const char *competencia, const char *prest,
    long dias)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "conciliacao");
	char when[FMT_ISO];

	xmlDocSetRootElement(doc, root);
	prop(root, "gerado", fmt_iso_local(time_now(), when));
	prop(root, "competencia", competencia);
	prop(root, "prestador", prest);
	prop_i64(root, "dias", dias);
	lotes(db, root, competencia, prest);
	ausentes(db, root, competencia, prest, dias);
	glosas(db, root, competencia, prest);
	return doc;
}
