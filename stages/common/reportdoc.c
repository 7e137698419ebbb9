/*
 * The data documents of the pendências and of the 2ª via of a
 * protocolo (xsd/relatorios.xsd), built from the database with libxml2.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <libxml/tree.h>

#include "db.h"
#include "exitcodes.h"
#include "fmt.h"
#include "i18n.h"
#include "log.h"
#include "render.h"
#include "reportdoc.h"
#include "tissver.h"
#include "util.h"

xmlDocPtr
reportdoc_pendencias(struct ws *ws, const char *prest)
{
	xmlNodePtr root, pn = NULL, gn = NULL, n;
	xmlDocPtr doc = render_doc("pendencias", &root);
	sqlite3_stmt *st;
	char last_p[64] = "";
	long long last_g = -1;
	long guides = 0, count = 0;

	render_prop(root, "prestador", prest);
	st = db_prepare(ws->db, "SELECT g.id, g.codigoPrestadorNaOperadora, "
	    "g.numeroGuiaPrestador, g.origem, g.origemArquivo, g.origemLinha, "
	    "p.severidade, p.regra, p.campo, p.mensagem, p.valor FROM guia g "
	    "JOIN pendencia p ON p.guia_id = g.id WHERE g.status = 'incompleto' "
	    "AND (?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) "
	    "ORDER BY g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador, p.n");
	db_bind_text(st, 1, prest);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		if (strcmp(db_col_text(st, 1), last_p) != 0) {
			pn = xmlNewChild(root, NULL, BAD_CAST "prestador", NULL);
			render_prop(pn, "codigo", db_col_text(st, 1));
			snprintf(last_p, sizeof(last_p), "%s", db_col_text(st, 1));
		}
		if (sqlite3_column_int64(st, 0) != last_g) {
			gn = xmlNewChild(pn, NULL, BAD_CAST "guia", NULL);
			render_prop(gn, "numero", db_col_text(st, 2));
			render_prop(gn, "origem", db_col_text(st, 3));
			render_prop(gn, "arquivo", db_col_text(st, 4));
			render_prop_col(gn, "linha", st, 5);
			last_g = sqlite3_column_int64(st, 0);
			guides++;
		}
		n = xmlNewTextChild(gn, NULL, BAD_CAST "pendencia",
		    BAD_CAST db_col_text(st, 9));
		render_prop(n, "severidade", db_col_text(st, 6));
		render_prop(n, "regra", db_col_text(st, 7));
		render_prop(n, "campo", db_col_text(st, 8));
		render_prop(n, "valor", db_col_text(st, 10));
		count++;
	}
	sqlite3_finalize(st);
	n = xmlNewChild(root, NULL, BAD_CAST "total", NULL);
	render_prop_i64(n, "guias", guides);
	render_prop_i64(n, "pendencias", count);
	return doc;
}

/* The guides' values the protocolo gave. */
static const char guias_sql[] = "SELECT numeroGuiaPrestador, "
    "numeroGuiaOperadora, valorProcessado, valorGlosa, valorLiberado FROM "
    "protocolo_guia WHERE lote_id = ? ORDER BY numeroGuiaPrestador";

/* A row of guias_sql under root. */
static void
protocolo_guia(xmlNodePtr root, sqlite3_stmt *st)
{
	xmlNodePtr n = xmlNewChild(root, NULL, BAD_CAST "guia", NULL);

	render_prop(n, "numero", db_col_text(st, 0));
	render_prop_col(n, "operadora", st, 1);
	render_prop_col(n, "processado", st, 2);
	render_prop_col(n, "glosa", st, 3);
	render_prop_col(n, "liberado", st, 4);
}

/* Every glosa of the lote, from the protocolo or a later status. */
static const char glosas_sql[] = "SELECT coalesce(numeroGuiaPrestador, ''), "
    "sequencialItem, codigoGlosa, descricaoGlosa, valorGlosa, fonte FROM "
    "glosa WHERE lote_id = ? ORDER BY fonte, numeroGuiaPrestador, "
    "sequencialItem, id";

/* A row of glosas_sql under root. */
static void
protocolo_glosa(xmlNodePtr root, sqlite3_stmt *st)
{
	render_prop(reportdoc_glosa(root, st), "fonte", db_col_text(st, 5));
}

/* Each row sql gives for lote id (its one parameter) put under root by row. */
static void
lote_rows(sqlite3 *db, xmlNodePtr root, long long id, const char *sql,
    void (*row)(xmlNodePtr, sqlite3_stmt *))
{
	sqlite3_stmt *st = db_prepare(db, sql);

	sqlite3_bind_int64(st, 1, id);
	while (db_step(db, st) == SQLITE_ROW)
		row(root, st);
	sqlite3_finalize(st);
}

xmlNodePtr
reportdoc_glosa(xmlNodePtr parent, sqlite3_stmt *st)
{
	xmlNodePtr n = xmlNewChild(parent, NULL, BAD_CAST "glosa", NULL);

	render_prop(n, "guia", db_col_text(st, 0));
	render_prop_col(n, "item", st, 1);
	render_prop(n, "codigo", db_col_text(st, 2));
	render_prop(n, "descricao", tissver_glosa_describe(db_col_text(st, 2),
	    db_col_text(st, 3)));
	render_prop_col(n, "valor", st, 4);
	return n;
}

/* Exit 64 naming them when several prestadores have lote and -p is not given. */
static void
ambiguous(struct ws *ws, const char *prest, long long lote)
{
	sqlite3_stmt *st;

	if (prest != NULL)
		return;
	st = db_prepare(ws->db, "SELECT count(*), group_concat("
	    "codigoPrestadorNaOperadora, ', ') FROM (SELECT "
	    "codigoPrestadorNaOperadora FROM lote WHERE numeroLote = ?1 ORDER "
	    "BY 1)");
	sqlite3_bind_int64(st, 1, lote);
	if (db_step(ws->db, st) == SQLITE_ROW && sqlite3_column_int(st, 0) > 1)
		fatal(EXIT_USAGE, _("lote %lld exists for the prestadores %s: "
		    "say which with --prestador"), lote, db_col_text(st, 1));
	sqlite3_finalize(st);
}

/*
 * The 2ª via of lote's protocolo de recebimento.  Exits 66 when there is
 * no such lote, 65 when it has no protocolo.
 */
xmlDocPtr
reportdoc_protocolo(struct ws *ws, const char *prest, long long lote)
{
	static const char *const names[] = { NULL, "prestador", "lote",
	    "competencia", "status", "numero", "dataEnvio", "valorTotal",
	    "enviadoEm", "guias" };
	xmlNodePtr root, n;
	xmlDocPtr doc;
	sqlite3_stmt *st;
	char label[128], when[FMT_ISO];
	int i;

	ambiguous(ws, prest, lote);
	st = db_prepare(ws->db, "SELECT id, codigoPrestadorNaOperadora, "
	    "numeroLote, competencia, status, numeroProtocolo, dataEnvioLote, "
	    "valorTotalProtocolo, enviadoEm, (SELECT count(*) FROM guia WHERE "
	    "lote_id = lote.id), statusProtocolo, statusConsultadoEm, "
	    "valorProcessado, valorGlosa, valorLiberado FROM lote WHERE "
	    "numeroLote = ?1 AND (?2 IS NULL OR codigoPrestadorNaOperadora = ?2)");
	sqlite3_bind_int64(st, 1, lote);
	db_bind_text(st, 2, prest);
	if (db_step(ws->db, st) != SQLITE_ROW)
		fatal(EXIT_NOINPUT, prest ? _("no lote numbered %lld of "
		    "prestador %s") : _("no lote numbered %lld"), lote, prest);
	if (db_col_text(st, 5) == NULL)
		fatal(EXIT_DATAERR, _("lote %lld of %s is %s and has no protocolo: "
		    "only a lote the operator received has one"), lote,
		    db_col_text(st, 1), db_col_text(st, 4));
	doc = render_doc("protocolo", &root);
	for (i = 1; i < 10; i++)
		if (i == 8)	/* a moment: in the workspace's zone */
			render_prop(root, names[i], db_col_text(st, i) ?
			    fmt_stamp_iso(db_col_text(st, i), when) : NULL);
		else
			render_prop_col(root, names[i], st, i);
	if (sqlite3_column_type(st, 10) != SQLITE_NULL) {
		n = xmlNewChild(root, NULL, BAD_CAST "situacao", NULL);
		tissver_status_label(sqlite3_column_int(st, 10), label);
		render_prop_col(n, "status", st, 10);
		render_prop(n, "texto", label);
		render_prop(n, "consultadaEm", db_col_text(st, 11) ?
		    fmt_stamp_iso(db_col_text(st, 11), when) : NULL);
		render_prop_col(n, "processado", st, 12);
		render_prop_col(n, "glosa", st, 13);
		render_prop_col(n, "liberado", st, 14);
	}
	lote_rows(ws->db, root, sqlite3_column_int64(st, 0), guias_sql,
	    protocolo_guia);
	lote_rows(ws->db, root, sqlite3_column_int64(st, 0), glosas_sql,
	    protocolo_glosa);
	sqlite3_finalize(st);
	return doc;
}
