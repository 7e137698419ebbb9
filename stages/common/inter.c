#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "gto.h"
#include "ident.h"
#include "inter.h"
#include "parse.h"
#include "tissver.h"
#include "util.h"

/* The statements of one connection, prepared once (issue 17). */
static struct {
	sqlite3	*db;
	sqlite3_stmt *ls, *gs, *ps;	/* lote head, guides, procedures */
} st;

void
inter_forget(void)
{
	sqlite3_finalize(st.ls);
	sqlite3_finalize(st.gs);
	sqlite3_finalize(st.ps);
	memset(&st, 0, sizeof(st));
}

static void
add_text(xmlNodePtr parent, const char *name, const char *value)
{
	if (value && *value)
		xmlNewTextChild(parent, NULL, BAD_CAST name, BAD_CAST value);
}

/* A stored value in its TISS form: decimals 12.34, booleans true/false. */
static const char *
tiss_value(int f, const char *v, char out[32])
{
	int k = gto_fields[f].kind;

	if (v == NULL)
		return NULL;
	if (k == GTO_MONEY || k == GTO_DEC2) {
		format_hundredths(strtoll(v, NULL, 10), out);
		return out;
	}
	if (k == GTO_BOOL)
		return strcmp(v, "1") == 0 ? "true" : "false";
	return v;
}

/* The cabecalho, numeroLote and competencia of lote l->id; fills l. */
static void
build_head(sqlite3 *db, const struct inter_head *h, xmlNodePtr root,
    struct lote_read *l)
{
	sqlite3_stmt *ls = st.ls;
	xmlNodePtr cab;
	struct ident id;
	char tmp[32], day[11], hour[9];
	struct tm tm;
	time_t now = time_now();

	sqlite3_reset(ls);
	sqlite3_bind_int64(ls, 1, l->id);
	db_step(db, ls);
	l->prest = xstrdup(db_col_text(ls, 0) ? db_col_text(ls, 0) : "");
	l->numero = sqlite3_column_int(ls, 1);
	l->revisao = sqlite3_column_int64(ls, 3);
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	strftime(hour, sizeof(hour), "%H:%M:%S", &tm);
	cab = xmlNewChild(root, NULL, BAD_CAST "cabecalho", NULL);
	snprintf(tmp, sizeof(tmp), "%lld", l->id);
	add_text(cab, "sequencialTransacao", tmp);
	add_text(cab, "dataRegistroTransacao", day);
	add_text(cab, "horaRegistroTransacao", hour);
	add_text(cab, "codigoPrestadorNaOperadora", l->prest);
	/* profile_load checked every [prestador CODE]: no error here. */
	if (ident_prestador(h->cfg, l->prest, h->ver->cnpj_alnum, &id, tmp,
	    sizeof(tmp)) == 0 && id.kind != IDENT_CODIGO)
		add_text(cab, id.element, id.value);
	add_text(cab, "registroANS", h->registro_ans);
	add_text(cab, "Padrao", h->ver->versao);
	add_text(root, "numeroLote", db_col_text(ls, 1));
	add_text(root, "competencia", db_col_text(ls, 2));
	sqlite3_reset(ls);
}

/* The statements, for db, prepared when db is new to them. */
static void
prepare(sqlite3 *db)
{
	struct buf gsql = { 0 }, psql = { 0 };
	int f;

	if (st.db == db)
		return;
	inter_forget();
	st.db = db;
	st.ls = db_prepare(db, "SELECT codigoPrestadorNaOperadora, numeroLote, "
	    "competencia, revisao FROM lote WHERE id = ?");
	buf_adds(&gsql, "SELECT id, valorTotalProc");
	buf_adds(&psql, "SELECT p.guia_id");
	for (f = 0; f < gto_nfields; f++) {
		if (f == GF_codigoPrestadorNaOperadora || f == GF_valorTotalProc)
			continue;
		buf_addf(gto_fields[f].level == GTO_GUIA ? &gsql : &psql,
		    ", %s%s", gto_fields[f].level == GTO_GUIA ? "" : "p.",
		    gto_fields[f].column);
	}
	buf_adds(&gsql, " FROM guia WHERE lote_id = ? ORDER BY "
	    "numeroGuiaPrestador, id");
	buf_adds(&psql, " FROM procedimento p JOIN guia g ON g.id = p.guia_id "
	    "WHERE g.lote_id = ? ORDER BY g.numeroGuiaPrestador, g.id, p.item");
	st.gs = db_prepare(db, gsql.data);
	st.ps = db_prepare(db, psql.data);
	buf_release(&gsql);
	buf_release(&psql);
}

/*
 * Add the guides of lote id under root, procedures inside; returns how
 * many guides.  Guides and procedures come in the same order: merged.
 */
static int
build_guides(sqlite3 *db, xmlNodePtr root, long long id)
{
	sqlite3_stmt *gs = st.gs, *ps = st.ps;
	xmlNodePtr guia, proc;
	char tmp[32];
	long long gid;
	int f, i, have_proc, nguides = 0;

	sqlite3_reset(gs);
	sqlite3_reset(ps);
	sqlite3_bind_int64(gs, 1, id);
	sqlite3_bind_int64(ps, 1, id);
	have_proc = db_step(db, ps) == SQLITE_ROW;
	while (db_step(db, gs) == SQLITE_ROW) {
		gid = sqlite3_column_int64(gs, 0);
		guia = xmlNewChild(root, NULL, BAD_CAST "guia", NULL);
		for (f = 0, i = 2; f < gto_nfields; f++) {
			if (gto_fields[f].level != GTO_GUIA ||
			    f == GF_codigoPrestadorNaOperadora ||
			    f == GF_valorTotalProc)
				continue;
			add_text(guia, gto_fields[f].name,
			    tiss_value(f, db_col_text(gs, i++), tmp));
		}
		format_hundredths(sqlite3_column_int64(gs, 1), tmp);
		add_text(guia, "valorTotalProc", tmp);
		nguides++;
		while (have_proc && sqlite3_column_int64(ps, 0) == gid) {
			proc = xmlNewChild(guia, NULL, BAD_CAST "procedimento",
			    NULL);
			for (f = 0, i = 1; f < gto_nfields; f++)
				if (gto_fields[f].level == GTO_PROC)
					add_text(proc, gto_fields[f].name,
					    tiss_value(f, db_col_text(ps, i++),
					    tmp));
			have_proc = db_step(db, ps) == SQLITE_ROW;
		}
	}
	sqlite3_reset(gs);
	sqlite3_reset(ps);
	return nguides;
}

xmlDocPtr
inter_build(sqlite3 *db, const struct inter_head *h, struct lote_read *l)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "lote");
	int n;

	prepare(db);
	xmlDocSetRootElement(doc, root);
	db_exec(db, "BEGIN");
	build_head(db, h, root, l);
	n = build_guides(db, root, l->id);
	db_exec(db, "COMMIT");
	if (n == 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}
