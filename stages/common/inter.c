#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db.h"
#include "exitcodes.h"
#include "gto.h"
#include "i18n.h"
#include "ident.h"
#include "inter.h"
#include "log.h"
#include "parse.h"
#include "tissver.h"
#include "util.h"

/* The statements of one connection, prepared once (issue 17). */
static struct {
	sqlite3	*db;
	sqlite3_stmt *ls, *gs, *ps;	/* lote head, guides, procedures */
	int	 col[GF_COUNT];		/* a field's column in gs or ps */
	xmlDictPtr dict;		/* of names, or NULL */
	const xmlChar *name[GF_COUNT];	/* each field's name, from dict */
} st;

/*
 * The shape of a guide and of a procedure in the intermediate: the TISS
 * order and groups (cto_guiaOdontologia), so that the stylesheet makes
 * each element from one node, with no search among the guide's fields
 * (issue 17).  A step is a field, or opens a group (kept even when empty
 * when `keep`), or closes it, or is the place of the procedures.
 */
enum { S_END = -1, S_OPEN = -2, S_CLOSE = -3, S_PROCS = -4 };
struct step {
	int	 f;
	const char *group;
	int	 keep;
};
static const struct step guia_steps[] = {
	{ GF_numeroGuiaPrestador, 0, 0 }, { GF_numeroGuiaPrincipal, 0, 0 },
	{ GF_dataAutorizacao, 0, 0 }, { GF_senhaAutorizacao, 0, 0 },
	{ GF_validadeSenha, 0, 0 }, { GF_numeroGuiaOperadora, 0, 0 },
	{ GF_dataSolicitacao, 0, 0 },
	{ S_OPEN, "dadosBeneficiario", 1 },
	{ GF_numeroCarteira, 0, 0 }, { GF_atendimentoRN, 0, 0 },
	{ GF_nomeBeneficiario, 0, 0 }, { S_CLOSE, 0, 0 },
	{ GF_planoBeneficiario, 0, 0 }, { GF_nomeEmpresa, 0, 0 },
	{ S_OPEN, "dadosProfissionaisResponsaveis", 1 },
	{ GF_nomeProfSolic, 0, 0 }, { GF_croSolic, 0, 0 },
	{ GF_ufSolic, 0, 0 }, { GF_cbosSolic, 0, 0 },
	{ GF_codigoProfExec, 0, 0 }, { GF_nomeProfExec, 0, 0 },
	{ GF_croExec, 0, 0 }, { GF_ufExec, 0, 0 }, { GF_cnesExec, 0, 0 },
	{ GF_cbosExec2, 0, 0 }, { S_CLOSE, 0, 0 },
	{ S_PROCS, 0, 0 },
	{ GF_dataTerminoTrat, 0, 0 }, { GF_tipoAtendimento, 0, 0 },
	{ GF_tipoFaturamento, 0, 0 }, { GF_valorTotalProc, 0, 0 },
	{ GF_observacao, 0, 0 }, { S_END, 0, 0 }
};
static const struct step proc_steps[] = {
	{ GF_sequencialItem, 0, 0 },
	{ S_OPEN, "procSolic", 1 },
	{ GF_codigoTabela, 0, 0 }, { GF_codigoProcedimento, 0, 0 },
	{ GF_descricaoProcedimento, 0, 0 }, { S_CLOSE, 0, 0 },
	{ S_OPEN, "denteRegiao", 0 },
	{ GF_codDente, 0, 0 }, { GF_codRegiao, 0, 0 }, { S_CLOSE, 0, 0 },
	{ GF_denteFace, 0, 0 }, { GF_qtdProc, 0, 0 }, { GF_qtdUS, 0, 0 },
	{ GF_valorProc, 0, 0 }, { GF_valorFranquia, 0, 0 },
	{ GF_autorizado, 0, 0 }, { GF_dataRealizacao, 0, 0 }, { S_END, 0, 0 }
};

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

/*
 * Field f's element with value v (len bytes) under parent, its name
 * taken from st.name (no look-up per node: issue 17, xmlNewTextChild
 * hashed every name again, 2% of tiss-xml).
 */
static void
add_field(xmlNodePtr parent, int f, const char *v, int len)
{
	xmlNodePtr e, t;

	if (v == NULL || len <= 0)
		return;
	if (st.name[f] == NULL) {
		add_text(parent, gto_fields[f].name, v);
		return;
	}
	e = xmlNewDocNodeEatName(parent->doc, NULL, (xmlChar *)st.name[f],
	    NULL);
	t = xmlNewDocTextLen(parent->doc, BAD_CAST v, len);
	if (e == NULL || t == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	xmlAddChild(e, t);
	xmlAddChild(parent, e);
}

/* The field names of the elements, from dict (NULL: looked up each time). */
static void
intern_names(xmlDictPtr dict)
{
	int f;

	if (st.dict == dict)
		return;
	st.dict = dict;
	for (f = 0; f < gto_nfields; f++)
		st.name[f] = dict ? xmlDictLookup(dict,
		    BAD_CAST gto_fields[f].name, -1) : NULL;
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
	int f, gi, pi;

	if (st.db == db)
		return;
	inter_forget();
	st.db = db;
	st.ls = db_prepare(db, "SELECT codigoPrestadorNaOperadora, numeroLote, "
	    "competencia, revisao FROM lote WHERE id = ?");
	buf_adds(&gsql, "SELECT id, valorTotalProc");
	buf_adds(&psql, "SELECT p.guia_id");
	st.col[GF_valorTotalProc] = 1;
	for (f = 0, gi = 2, pi = 1; f < gto_nfields; f++) {
		if (f == GF_codigoPrestadorNaOperadora || f == GF_valorTotalProc)
			continue;
		st.col[f] = gto_fields[f].level == GTO_GUIA ? gi++ : pi++;
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

/* Field f of row (a guide's or a procedure's) under parent. */
static void
field(xmlNodePtr parent, sqlite3_stmt *row, int f)
{
	int c = st.col[f];
	const char *v;
	char tmp[32];

	if (f == GF_valorTotalProc) {
		format_hundredths(sqlite3_column_int64(row, c), tmp);
		v = tmp;
	} else
		v = tiss_value(f, db_col_text(row, c), tmp);
	add_field(parent, f, v, v ? (int)strlen(v) : 0);
}

/*
 * The steps from *k of a guide (row of gs) or a procedure (row of ps)
 * under parent, to the end or to the step that closes the group; at
 * S_PROCS, procs(parent).  Returns at the step after the last done.
 */
static void
emit(xmlNodePtr parent, sqlite3_stmt *row, const struct step *v, int *k,
    void (*procs)(xmlNodePtr, void *), void *arg)
{
	const struct step *s;
	xmlNodePtr group;

	for (; (s = &v[*k])->f != S_END; (*k)++) {
		if (s->f == S_CLOSE)
			return;
		if (s->f == S_PROCS)
			procs(parent, arg);
		else if (s->f == S_OPEN) {
			group = xmlNewChild(parent, NULL, BAD_CAST s->group,
			    NULL);
			(*k)++;
			emit(group, row, v, k, procs, arg);
			if (!s->keep && group->children == NULL) {
				xmlUnlinkNode(group);
				xmlFreeNode(group);
			}
		} else
			field(parent, row, s->f);
	}
}

struct merge {		/* the procedures' statement, merged with guides */
	sqlite3	*db;
	long long gid;
	int	 have;
};

/* The procedures of guide m->gid (ps is on its first, if any). */
static void
add_procs(xmlNodePtr guia, void *arg)
{
	struct merge *m = arg;
	xmlNodePtr proc;
	int k;

	while (m->have && sqlite3_column_int64(st.ps, 0) == m->gid) {
		proc = xmlNewChild(guia, NULL, BAD_CAST "procedimento", NULL);
		k = 0;
		emit(proc, st.ps, proc_steps, &k, NULL, NULL);
		m->have = db_step(m->db, st.ps) == SQLITE_ROW;
	}
}

/*
 * Add the guides of lote id under root, procedures inside; returns how
 * many guides.  Guides and procedures come in the same order: merged.
 */
static int
build_guides(sqlite3 *db, xmlNodePtr root, long long id)
{
	struct merge m = { db, 0, 0 };
	xmlNodePtr guia;
	int k, nguides = 0;

	sqlite3_reset(st.gs);
	sqlite3_reset(st.ps);
	sqlite3_bind_int64(st.gs, 1, id);
	sqlite3_bind_int64(st.ps, 1, id);
	m.have = db_step(db, st.ps) == SQLITE_ROW;
	while (db_step(db, st.gs) == SQLITE_ROW) {
		m.gid = sqlite3_column_int64(st.gs, 0);
		guia = xmlNewChild(root, NULL, BAD_CAST "guia", NULL);
		k = 0;
		emit(guia, st.gs, guia_steps, &k, add_procs, &m);
		nguides++;
	}
	sqlite3_reset(st.gs);
	sqlite3_reset(st.ps);
	return nguides;
}

xmlDocPtr
inter_build(sqlite3 *db, const struct inter_head *h, struct lote_read *l)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root;
	int n;

	if (h->dict && xmlDictReference(h->dict) == 0)
		doc->dict = h->dict;
	root = xmlNewDocNode(doc, NULL, BAD_CAST "lote", NULL);
	intern_names(doc->dict);

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
