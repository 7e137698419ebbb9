#include <stdlib.h>
#include <string.h>

#include "db.h"
#include "protocolo.h"
#include "tissver.h"
#include "xml.h"

const char *
protocolo_status_name(int status)
{
	return tissver_status_name(status);
}

void
protocolo_add_glosa(sqlite3 *db, long long lote, const char *guia, long item,
    xmlNodePtr motivo, int64_t valor, const char *fonte)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT INTO glosa (lote_id, "
	    "numeroGuiaPrestador, sequencialItem, codigoGlosa, descricaoGlosa, "
	    "valorGlosa, fonte) VALUES (?, ?, ?, ?, ?, ?, ?)");
	char code[16] = "", text[512];

	xml_child_text(motivo, "codigoGlosa", code, sizeof(code));
	sqlite3_bind_int64(st, 1, lote);
	db_bind_text(st, 2, guia);
	if (item > 0)
		sqlite3_bind_int64(st, 3, item);
	sqlite3_bind_text(st, 4, code, -1, SQLITE_STATIC);
	db_bind_text(st, 5, xml_child_text(motivo, "descricaoGlosa", text,
	    sizeof(text)));
	db_bind_money(st, 6, valor);
	sqlite3_bind_text(st, 7, fonte, -1, SQLITE_STATIC);
	db_step(db, st);
	sqlite3_finalize(st);
}

void
protocolo_store_guide(sqlite3 *db, long long lote, xmlNodePtr g,
    const char *fonte)
{
	sqlite3_stmt *st = db_prepare(db, "INSERT OR REPLACE INTO "
	    "protocolo_guia (lote_id, numeroGuiaPrestador, numeroGuiaOperadora, "
	    "valorProcessado, valorGlosa, valorLiberado) VALUES (?, ?, ?, ?, ?, "
	    "?)");
	xmlNodePtr v = xml_child(g, "vlInformadoGuia"), m, p, gp;
	char guia[32], oper[32], item[16];
	int first;

	if (xml_child_text(g, "numeroGuiaPrestador", guia, sizeof(guia)) ==
	    NULL) {
		sqlite3_finalize(st);
		return;
	}
	sqlite3_bind_int64(st, 1, lote);
	sqlite3_bind_text(st, 2, guia, -1, SQLITE_STATIC);
	db_bind_text(st, 3, xml_child_text(g, "numeroGuiaOperadora", oper,
	    sizeof(oper)));
	db_bind_money(st, 4, xml_child_hundredths(v, "valorProcessado"));
	db_bind_money(st, 5, xml_child_hundredths(v, "valorGlosa"));
	db_bind_money(st, 6, xml_child_hundredths(v, "valorLiberado"));
	db_step(db, st);
	sqlite3_finalize(st);
	for (m = xml_child(xml_child(g, "glosaGuia"), "motivoGlosa"); m;
	    m = xmlNextElementSibling(m))
		protocolo_add_glosa(db, lote, guia, 0, m, -1, fonte);
	p = xml_child(xml_child(g, "procedimentosRealizados"),
	    "procedimentoRealizado");
	for (; p; p = xmlNextElementSibling(p)) {
		if ((gp = xml_child(p, "glosasProcedimento")) == NULL ||
		    xml_child_text(p, "sequencialItem", item, sizeof(item)) ==
		    NULL)
			continue;
		/* The procedure's glosa value goes with its first motivo. */
		first = 1;
		for (m = xml_child(gp, "motivoGlosa"); m;
		    m = xmlNextElementSibling(m))
			if (strcmp((const char *)m->name, "motivoGlosa") == 0) {
				protocolo_add_glosa(db, lote, guia, atol(item), m,
				    first ? xml_child_hundredths(gp,
				    "valorGlosaProcedimento") : -1, fonte);
				first = 0;
			}
	}
}

void
protocolo_store(sqlite3 *db, long long lote, xmlNodePtr detalhe)
{
	xmlNodePtr n, g, m;

	db_run(db, "DELETE FROM glosa WHERE lote_id = ?", "i", lote);
	n = xml_child(xml_child(detalhe, "glosaProtocolo"), "motivosGlosa");
	for (m = xml_child(n, "motivoGlosa"); m; m = xmlNextElementSibling(m))
		protocolo_add_glosa(db, lote, NULL, 0, m, -1, "protocolo");
	n = xml_child(detalhe, "dadosGuiasProtocolo");
	for (g = n ? xmlFirstElementChild(n) : NULL; g;
	    g = xmlNextElementSibling(g))
		if (strcmp((const char *)g->name, "dadosGuiasOdonto") == 0)
			protocolo_store_guide(db, lote, g, "protocolo");
}
