/*
 * tiss-fetch: load completed authorizations from the operator's
 * e-Autorizador (the manual's Carregar Guias).
 *
 * Asks [eautorizador] url for the authorizations of a prestador whose
 * procedures were executed in a period of at most one month, page by
 * page (docs/eautorizador.md; schema xsd/eautorizador-v1.xsd), or reads
 * an exported answer with --from-file.  Every page is parsed with the
 * safe parser and checked against the schema before anything is used;
 * one bad page and nothing is stored.  Then, in one transaction, each
 * concluded or abandoned authorization (or those chosen with --only)
 * becomes a guide of origin 'eautorizador', keyed by prestador and
 * numeroGuiaOperadora: new ones are inserted, changed ones updated field
 * by field with an audit row each, and a guide already in a lote is
 * never touched.  The guides loaded or changed are validated.
 *
 * Exit: 0 done, 64 usage (a period longer than a month), 65 some chosen
 * authorization could not be loaded, 66 --from-file missing, 69 the
 * server refuses (HTTP 4xx) or TLS fails, 75 no answer after the
 * retries, 76 a bad answer, 77 credentials refused or a secret too open,
 * 78 configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <libxml/tree.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/http.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/secret.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"
#include "common/xml.h"

#ifndef TISS_DATADIR
#define TISS_DATADIR	"/usr/local/share/tiss"
#endif


struct fetch {
	struct ws ws;
	const char *prest;	/* prestador asked for */
	char	 de[11], ate[11];
	char	**only;		/* numeroGuiaOperadora chosen, or NULL */
	int	 nonly;
	int	*only_seen;
	xmlSchemaPtr schema;
	xmlDocPtr *pages;
	int	 npages;
	const char *origin;	/* URL or file, for the guides' origem */
};

/* One authorization, its values canonical (gto_canonical), owned. */
struct auth {
	char	*gv[GTO_MAXFIELDS];
	char	*(*pv)[GTO_MAXFIELDS];	/* per procedure */
	int	 nprocs;
	char	 situacao[16];
};

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-fetch [-C DIR] --de DATA --ate DATA "
	    "[--tipo odonto] [--prestador P] [--list | --only N,...]\n"
	    "       tiss-fetch [-C DIR] --from-file FILE.xml [--list | "
	    "--only N,...]\n");
	exit(EXIT_USAGE);
}

/* ---- reading pages ------------------------------------------------------ */

static const char *
attr(xmlNodePtr n, const char *name, char *out, size_t len)
{
	xmlChar *v = xmlGetProp(n, BAD_CAST name);

	snprintf(out, len, "%s", v ? (const char *)v : "");
	xmlFree(v);
	return out;
}

/*
 * Parse and check one page; returns the document, or NULL after logging
 * what is wrong with it.
 */
static xmlDocPtr
check_page(struct fetch *f, const char *data, size_t n, const char *where,
    int want_page, int *paginas)
{
	char err[512], v[64];
	xmlDocPtr doc;
	xmlNodePtr root;

	if ((doc = xml_parse_memory(data, n, where, err, sizeof(err))) == NULL) {
		log_error("%s: not acceptable XML: %s; nothing was stored",
		    where, err);
		return NULL;
	}
	if (xml_schema_check(f->schema, doc, err, sizeof(err)) != 0) {
		log_error("%s: not an e-Autorizador v1 answer: %s; nothing was "
		    "stored", where, err);
		xmlFreeDoc(doc);
		return NULL;
	}
	root = xmlDocGetRootElement(doc);
	if (want_page > 0 && atoi(attr(root, "pagina", v, sizeof(v))) !=
	    want_page) {
		log_error("%s: page %s came when page %d was asked; nothing "
		    "was stored", where, v, want_page);
		xmlFreeDoc(doc);
		return NULL;
	}
	if (f->prest && strcmp(attr(root, "prestador", v, sizeof(v)),
	    f->prest) != 0) {
		log_error("%s: the answer is for prestador %s, not %s; nothing "
		    "was stored", where, v, f->prest);
		xmlFreeDoc(doc);
		return NULL;
	}
	*paginas = atoi(attr(root, "paginas", v, sizeof(v)));
	return doc;
}

static void
add_page(struct fetch *f, xmlDocPtr doc)
{
	f->pages = xrealloc(f->pages, (size_t)(f->npages + 1) *
	    sizeof(*f->pages));
	f->pages[f->npages++] = doc;
}

/* Every page from the server; returns an exit code. */
static int
fetch_pages(struct fetch *f)
{
	const char *url = cfg_get(&f->ws.cfg, "eautorizador", "url");
	const char *login = cfg_get(&f->ws.cfg, "eautorizador", "login");
	const char *sname = cfg_get(&f->ws.cfg, "eautorizador", "login_secret");
	struct profile_net net;
	struct http_answer a;
	struct http h;
	char *password, *full, where[64];
	int page = 1, paginas = 1, ret = EXIT_OK;
	long tries;
	xmlDocPtr doc;

	if (url == NULL)
		fatal(EXIT_CONFIG, "%s: set [eautorizador] url to the "
		    "e-Autorizador's address (https://...), or load an exported "
		    "file with --from-file", f->ws.cfg.path);
	profile_check_url(&f->ws, "eautorizador", "url", url);
	profile_net_load(&net, &f->ws, "eautorizador");
	password = secret_read(&f->ws, sname ? sname : "eautorizador");
	http_open(&h, &net.http);
	f->origin = url;
	while (page <= paginas && ret == EXIT_OK) {
		full = xasprintf("%s%sprestador=%s&de=%s&ate=%s&tipo=odonto&"
		    "pagina=%d", url, strchr(url, '?') ? "&" : "?", f->prest,
		    f->de, f->ate, page);
		snprintf(where, sizeof(where), "page %d", page);
		for (tries = 0; tries == 0 || (ret == EXIT_TEMPFAIL &&
		    http_retry_wait(&h, tries, where, a.error)); tries++) {
			if (tries > 0)
				http_answer_release(&a);
			ret = EXIT_OK;
			if (http_get(&h, full, login ? login : f->prest,
			    password, &a) != 0)
				ret = http_exit_code(&a);
			else if (a.status != 200) {
				snprintf(a.error, sizeof(a.error), "HTTP %ld%s",
				    a.status, a.status == 401 || a.status == 403 ?
				    ": the login or its password is refused" : "");
				ret = http_exit_code(&a);
			}
		}
		if (ret != EXIT_OK) {
			log_error("%s of %s: %s; nothing was stored", where, url,
			    a.error);
		} else if ((doc = check_page(f, a.body.data ? a.body.data : "",
		    a.body.len, where, page, &paginas)) == NULL)
			ret = EXIT_PROTOCOL;
		else
			add_page(f, doc);
		http_answer_release(&a);
		free(full);
		page++;
	}
	http_close(&h);
	profile_net_release(&net);
	secret_free(password);
	return ret;
}

/* ---- authorizations ------------------------------------------------------ */

static void
auth_release(struct auth *a)
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

/* The children of n as GTO fields into v; -1 on a value of a wrong kind. */
static int
read_fields(xmlNodePtr n, int level, char **v, char *err, size_t errlen)
{
	char out[32];
	const char *canon, *why;
	xmlChar *t;
	int f;

	for (n = xmlFirstElementChild(n); n; n = xmlNextElementSibling(n)) {
		if ((f = gto_field_find((const char *)n->name)) < 0 ||
		    (int)gto_fields[f].level != level)
			continue;
		t = xmlNodeGetContent(n);
		why = gto_canonical(f, (const char *)t, out, &canon);
		if (why != NULL) {
			snprintf(err, errlen, "%s '%s': %s", n->name, t, why);
			xmlFree(t);
			return -1;
		}
		v[f] = xstrdup(canon);
		xmlFree(t);
	}
	return 0;
}

static int
read_auth(xmlNodePtr n, struct auth *a, char *err, size_t errlen)
{
	xmlNodePtr p;

	memset(a, 0, sizeof(*a));
	xml_child_text(n, "situacao", a->situacao, sizeof(a->situacao));
	if (read_fields(n, GTO_GUIA, a->gv, err, errlen) != 0)
		return -1;
	for (p = xml_child(n, "procedimento"); p; p = xmlNextElementSibling(p)) {
		a->pv = xrealloc(a->pv, (size_t)(a->nprocs + 1) *
		    sizeof(*a->pv));
		memset(a->pv[a->nprocs], 0, sizeof(*a->pv));
		if (read_fields(p, GTO_PROC, a->pv[a->nprocs++], err,
		    errlen) != 0)
			return -1;
	}
	return 0;
}

static void
list_auth(const struct auth *a)
{
	int i;

	printf("%-20s %-20s %-20s %-10s %-10s %-12s",
	    a->gv[GF_numeroGuiaOperadora], a->gv[GF_numeroGuiaPrestador],
	    a->gv[GF_numeroCarteira] ? a->gv[GF_numeroCarteira] : "-",
	    a->gv[GF_dataAutorizacao] ? a->gv[GF_dataAutorizacao] : "-",
	    a->gv[GF_validadeSenha] ? a->gv[GF_validadeSenha] : "-",
	    a->situacao);
	for (i = 0; i < a->nprocs; i++) {
		printf(" %s", a->pv[i][GF_codigoProcedimento] ?
		    a->pv[i][GF_codigoProcedimento] : "?");
		if (a->pv[i][GF_codDente])
			printf("@%s", a->pv[i][GF_codDente]);
		else if (a->pv[i][GF_codRegiao])
			printf("@%s", a->pv[i][GF_codRegiao]);
		if (a->pv[i][GF_denteFace])
			printf(":%s", a->pv[i][GF_denteFace]);
		if (a->pv[i][GF_dataRealizacao])
			printf(" (%s)", a->pv[i][GF_dataRealizacao]);
	}
	printf("\n");
}

/* ---- storing ------------------------------------------------------------- */

/* The procedures as one text, to see whether they changed. */
static void
procs_text(const struct auth *a, struct buf *out)
{
	int i, f;

	for (i = 0; i < a->nprocs; i++) {
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC) {
				buf_adds(out, a->pv[i][f] ? a->pv[i][f] : "");
				buf_addc(out, '|');
			}
		buf_addc(out, '\n');
	}
}

static void
stored_procs_text(struct ws *ws, long long id, struct buf *out)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	int f, c;

	buf_adds(&sql, "SELECT ");
	for (f = 0, c = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC)
			buf_addf(&sql, "%s%s", c++ ? ", " : "",
			    gto_fields[f].column);
	buf_adds(&sql, " FROM procedimento WHERE guia_id = ? ORDER BY item");
	st = db_prepare(ws->db, sql.data);
	sqlite3_bind_int64(st, 1, id);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		for (f = 0; f < c; f++) {
			buf_adds(out, db_col_text(st, f) ? db_col_text(st, f) :
			    "");
			buf_addc(out, '|');
		}
		buf_addc(out, '\n');
	}
	sqlite3_finalize(st);
	buf_release(&sql);
}

static void
insert_procs(struct ws *ws, long long id, const struct auth *a)
{
	struct buf sql = { 0 }, qs = { 0 };
	sqlite3_stmt *st;
	int i, f, n;

	buf_adds(&sql, "INSERT INTO procedimento (guia_id, item");
	for (f = 0; f < gto_nfields; f++)
		if (gto_fields[f].level == GTO_PROC) {
			buf_addf(&sql, ", %s", gto_fields[f].column);
			buf_adds(&qs, ", ?");
		}
	buf_addf(&sql, ") VALUES (?, ?%s)", qs.data);
	st = db_prepare(ws->db, sql.data);
	for (i = 0; i < a->nprocs; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, id);
		sqlite3_bind_int(st, 2, i + 1);
		n = 3;
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC)
				db_bind_field(st, n++, f, a->pv[i][f]);
		db_step(ws->db, st);
	}
	sqlite3_finalize(st);
	buf_release(&sql);
	buf_release(&qs);
}

enum result { NEW, CHANGED, SAME, LOCKED, CONFLICT };

static enum result
store_new(struct fetch *f, const struct auth *a, long long *id)
{
	struct buf sql = { 0 }, qs = { 0 };
	sqlite3_stmt *st;
	int k, n = 1, rc;

	buf_adds(&sql, "INSERT INTO guia (codigoPrestadorNaOperadora, status, "
	    "origem, origemArquivo, criadoEm, alteradoEm");
	for (k = 0; k < gto_nfields; k++)
		if (gto_fields[k].level == GTO_GUIA && a->gv[k] &&
		    k != GF_codigoPrestadorNaOperadora) {
			buf_addf(&sql, ", %s", gto_fields[k].column);
			buf_adds(&qs, ", ?");
		}
	buf_addf(&sql, ") VALUES (?, 'incompleto', 'eautorizador', ?, "
	    "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now'), "
	    "strftime('%%Y-%%m-%%dT%%H:%%M:%%SZ', 'now')%s)",
	    qs.data ? qs.data : "");
	st = db_prepare(f->ws.db, sql.data);
	sqlite3_bind_text(st, n++, f->prest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, n++, f->origin, -1, SQLITE_STATIC);
	for (k = 0; k < gto_nfields; k++)
		if (gto_fields[k].level == GTO_GUIA && a->gv[k] &&
		    k != GF_codigoPrestadorNaOperadora)
			db_bind_field(st, n++, k, a->gv[k]);
	rc = db_step(f->ws.db, st);
	sqlite3_finalize(st);
	buf_release(&sql);
	buf_release(&qs);
	if (rc == SQLITE_CONSTRAINT)
		return CONFLICT;
	*id = sqlite3_last_insert_rowid(f->ws.db);
	insert_procs(&f->ws, *id, a);
	db_audit(f->ws.db, *id, "*", NULL, "carregada do e-Autorizador",
	    "tiss-fetch");
	return NEW;
}

/* Apply what the authorization carries to guide id, audited. */
static enum result
store_changes(struct fetch *f, const struct auth *a, long long id)
{
	struct buf sql = { 0 }, before = { 0 }, after = { 0 };
	sqlite3_stmt *st, *up;
	const char *old;
	int k, c, changed = 0;

	buf_adds(&sql, "SELECT ");
	for (k = 0, c = 0; k < gto_nfields; k++)
		if (gto_fields[k].level == GTO_GUIA)
			buf_addf(&sql, "%s%s", c++ ? ", " : "",
			    gto_fields[k].column);
	buf_adds(&sql, " FROM guia WHERE id = ?");
	st = db_prepare(f->ws.db, sql.data);
	sqlite3_bind_int64(st, 1, id);
	db_step(f->ws.db, st);
	for (k = 0, c = 0; k < gto_nfields; k++) {
		if (gto_fields[k].level != GTO_GUIA)
			continue;
		old = db_col_text(st, c++);
		/* A value the answer lacks may be the clerk's: kept. */
		if (a->gv[k] == NULL || (old && strcmp(old, a->gv[k]) == 0))
			continue;
		buf_reset(&sql);
		buf_addf(&sql, "UPDATE guia SET %s = ? WHERE id = ?",
		    gto_fields[k].column);
		up = db_prepare(f->ws.db, sql.data);
		db_bind_field(up, 1, k, a->gv[k]);
		sqlite3_bind_int64(up, 2, id);
		db_step(f->ws.db, up);
		sqlite3_finalize(up);
		db_audit(f->ws.db, id, gto_fields[k].name, old, a->gv[k],
		    "tiss-fetch");
		changed = 1;
	}
	sqlite3_finalize(st);
	procs_text(a, &after);
	stored_procs_text(&f->ws, id, &before);
	if (a->nprocs > 0 && strcmp(before.data ? before.data : "",
	    after.data ? after.data : "") != 0) {
		st = db_prepare(f->ws.db, "DELETE FROM procedimento WHERE "
		    "guia_id = ?");
		sqlite3_bind_int64(st, 1, id);
		db_step(f->ws.db, st);
		sqlite3_finalize(st);
		insert_procs(&f->ws, id, a);
		db_audit(f->ws.db, id, "procedimentos", before.data,
		    after.data, "tiss-fetch");
		changed = 1;
	}
	if (changed) {
		st = db_prepare(f->ws.db, "UPDATE guia SET status = "
		    "'incompleto', alteradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
		    "'now') WHERE id = ?");
		sqlite3_bind_int64(st, 1, id);
		db_step(f->ws.db, st);
		sqlite3_finalize(st);
	}
	buf_release(&sql);
	buf_release(&before);
	buf_release(&after);
	return changed ? CHANGED : SAME;
}

static enum result
store(struct fetch *f, const struct auth *a, long long *id, char *why,
    size_t len)
{
	sqlite3_stmt *st = db_prepare(f->ws.db, "SELECT id, lote_id, status "
	    "FROM guia WHERE codigoPrestadorNaOperadora = ? AND "
	    "numeroGuiaOperadora = ?");
	enum result r;

	sqlite3_bind_text(st, 1, f->prest, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, a->gv[GF_numeroGuiaOperadora], -1,
	    SQLITE_STATIC);
	if (db_step(f->ws.db, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		r = store_new(f, a, id);
		if (r == CONFLICT)
			snprintf(why, len, "guide %s of prestador %s already "
			    "exists with another numeroGuiaOperadora (typed or "
			    "imported); not loaded: correct one of them",
			    a->gv[GF_numeroGuiaPrestador], f->prest);
		return r;
	}
	*id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
		snprintf(why, len, "%s: it is %s, in a lote; not changed",
		    a->gv[GF_numeroGuiaPrestador], db_col_text(st, 2));
		sqlite3_finalize(st);
		return LOCKED;
	}
	sqlite3_finalize(st);
	return store_changes(f, a, *id);
}

static int
chosen(struct fetch *f, const char *num)
{
	int i;

	for (i = 0; i < f->nonly; i++)
		if (strcmp(f->only[i], num) == 0) {
			f->only_seen[i] = 1;
			return 1;
		}
	return 0;
}

/* Load (or list) the authorizations of every page; an exit code. */
static int
load(struct fetch *f, int list_only)
{
	static const char *const names[] = { "nova", "alterada", "igual",
	    "em lote", "conflito" };
	long counts[5] = { 0 }, total = 0, skipped = 0;
	long long *ids = NULL, id;
	int nids = 0, p, i, ret = EXIT_OK, loadable;
	char err[512], why[512];
	struct val_ctx vctx;
	struct val_stats vst;
	struct auth a;
	xmlNodePtr n;
	enum result r;

	for (p = 0; p < f->npages; p++)
		for (n = xml_child(xmlDocGetRootElement(f->pages[p]),
		    "autorizacao"); n; n = xmlNextElementSibling(n))
			total++;
	if (list_only)
		printf("%ld autorizaç%s encontrada%s\n", total,
		    total == 1 ? "ão" : "ões", total == 1 ? "" : "s");
	else
		db_exec(f->ws.db, "BEGIN IMMEDIATE");
	for (p = 0; p < f->npages; p++) {
		n = xml_child(xmlDocGetRootElement(f->pages[p]), "autorizacao");
		for (; n; n = xmlNextElementSibling(n)) {
			if (read_auth(n, &a, err, sizeof(err)) != 0) {
				log_error("page %d: authorization %s: %s; nothing "
				    "was stored", p + 1,
				    a.gv[GF_numeroGuiaOperadora] ?
				    a.gv[GF_numeroGuiaOperadora] : "?", err);
				auth_release(&a);
				if (!list_only)
					db_exec(f->ws.db, "ROLLBACK");
				free(ids);
				return EXIT_PROTOCOL;
			}
			if (list_only) {
				list_auth(&a);
				auth_release(&a);
				continue;
			}
			loadable = strcmp(a.situacao, "concluida") == 0 ||
			    strcmp(a.situacao, "abandonada") == 0;
			if (f->nonly && !chosen(f, a.gv[GF_numeroGuiaOperadora])) {
				auth_release(&a);
				continue;
			}
			if (!loadable) {
				if (f->nonly) {
					log_error("authorization %s is %s: only a "
					    "concluded or abandoned one is "
					    "billed", a.gv[GF_numeroGuiaOperadora],
					    a.situacao);
					ret = EXIT_DATAERR;
				}
				skipped++;
				auth_release(&a);
				continue;
			}
			r = store(f, &a, &id, why, sizeof(why));
			counts[r]++;
			printf("%s %s: %s\n", a.gv[GF_numeroGuiaOperadora],
			    a.gv[GF_numeroGuiaPrestador], names[r]);
			if (r == CONFLICT) {
				log_error("%s", why);
				ret = EXIT_DATAERR;
			} else if (r == LOCKED)
				log_notice("%s", why);
			else if (r == NEW || r == CHANGED) {
				ids = xrealloc(ids, (size_t)(nids + 1) *
				    sizeof(*ids));
				ids[nids++] = id;
			}
			auth_release(&a);
		}
	}
	for (i = 0; i < f->nonly; i++)
		if (!f->only_seen[i]) {
			log_error("authorization %s is not in the answer",
			    f->only[i]);
			ret = EXIT_DATAERR;
		}
	if (list_only)
		return ret;
	db_exec(f->ws.db, "COMMIT");

	memset(&vst, 0, sizeof(vst));
	val_ctx_init(&vctx, &f->ws, "tiss-fetch");
	for (i = 0; i < nids; i++)
		val_guides(&f->ws, &vctx, ids[i], &vst);
	val_ctx_release(&vctx);
	log_notice("%ld found: %ld new, %ld changed, %ld unchanged, %ld in a "
	    "lote, %ld conflicts, %ld not concluded; of those loaded %ld "
	    "completo, %ld incompleto (tiss-guia list --status incompleto)",
	    total, counts[NEW], counts[CHANGED], counts[SAME], counts[LOCKED],
	    counts[CONFLICT], skipped, vst.complete, vst.checked - vst.complete);
	free(ids);
	return ret;
}

/* ---- main ----------------------------------------------------------------- */

static void
check_period(struct fetch *f, const char *de, const char *ate)
{
	char limit[16];
	int y, m, d;

	if (de == NULL || ate == NULL)
		usage();
	if (parse_date(de, f->de) != NULL || parse_date(ate, f->ate) != NULL)
		fatal(EXIT_USAGE, "--de and --ate are dates, dd/mm/aaaa or "
		    "aaaa-mm-dd");
	if (strcmp(f->ate, f->de) < 0)
		fatal(EXIT_USAGE, "--ate %s is before --de %s", f->ate, f->de);
	sscanf(f->de, "%d-%d-%d", &y, &m, &d);
	if (++m > 12) {
		m = 1;
		y++;
	}
	/* The same day a month later, even when that is no real day. */
	snprintf(limit, sizeof(limit), "%04d-%02d-%02d", y, m, d);
	if (strcmp(f->ate, limit) >= 0)
		fatal(EXIT_USAGE, "the period %s to %s is longer than one month, "
		    "the most e-Autorizador searches; split it (e.g. --de %s "
		    "--ate the day before %s)", f->de, f->ate, f->de, limit);
}

static void
split_only(struct fetch *f, char *arg)
{
	char *tok;

	for (tok = strtok(arg, ", "); tok; tok = strtok(NULL, ", ")) {
		f->only = xrealloc(f->only, (size_t)(f->nonly + 1) *
		    sizeof(*f->only));
		f->only[f->nonly++] = tok;
	}
	f->only_seen = xcalloc((size_t)f->nonly + 1, sizeof(int));
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "ate", required_argument, NULL, 'a' },
		{ "de", required_argument, NULL, 'd' },
		{ "from-file", required_argument, NULL, 'f' },
		{ "help", no_argument, NULL, 'h' },
		{ "list", no_argument, NULL, 'l' },
		{ "only", required_argument, NULL, 'o' },
		{ "prestador", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "tipo", required_argument, NULL, 't' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *de = NULL, *ate = NULL, *file = NULL;
	const char *datadir = getenv("TISS_DATADIR");
	struct fetch f;
	struct buf data = { 0 };
	int ch, list_only = 0, level = LOG_NORMAL, ret, paginas, i;
	char err[512], *path;
	xmlDocPtr doc;

	memset(&f, 0, sizeof(f));
	while ((ch = getopt_long(argc, argv, "C:hp:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'a':
			ate = optarg;
			break;
		case 'd':
			de = optarg;
			break;
		case 'f':
			file = optarg;
			break;
		case 'l':
			list_only = 1;
			break;
		case 'o':
			split_only(&f, optarg);
			break;
		case 'p':
			f.prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 't':
			if (strcmp(optarg, "odonto") != 0)
				fatal(EXIT_USAGE, "--tipo %s: only odonto (GTO) "
				    "guides are billed here", optarg);
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc || (list_only && f.nonly))
		usage();
	log_init("tiss-fetch", level);
	if (file == NULL)
		check_period(&f, de, ate);
	xml_init();
	ws_open(&f.ws, ws_dir(dir));
	if (f.prest == NULL)
		f.prest = cfg_get(&f.ws.cfg, "eautorizador", "prestador");
	if (datadir == NULL || *datadir == '\0')
		datadir = TISS_DATADIR;
	path = xasprintf("%s/xsd/eautorizador-v1.xsd", datadir);
	if ((f.schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load '%s': %s", path, err);
	free(path);

	if (file != NULL) {
		if (read_file(file, &data) != 0)
			fatal(EXIT_NOINPUT, "cannot read '%s': %s", file, strerror(errno));
		doc = check_page(&f, data.data, data.len, file, 0, &paginas);
		buf_release(&data);
		if (doc == NULL)
			ret = EXIT_DATAERR;
		else {
			add_page(&f, doc);
			f.origin = file;
			/* The file says whose authorizations these are. */
			f.prest = (const char *)xmlGetProp(
			    xmlDocGetRootElement(doc), BAD_CAST "prestador");
			ret = load(&f, list_only);
			xmlFree((xmlChar *)f.prest);
		}
	} else {
		if (f.prest == NULL)
			fatal(EXIT_USAGE, "say which prestador with --prestador, "
			    "or set [eautorizador] prestador");
		ret = fetch_pages(&f);
		if (ret == EXIT_OK)
			ret = load(&f, list_only);
	}
	for (i = 0; i < f.npages; i++)
		xmlFreeDoc(f.pages[i]);
	free(f.pages);
	free(f.only);
	free(f.only_seen);
	xmlSchemaFree(f.schema);
	ws_close(&f.ws);
	xml_cleanup();
	return close_stdout(ret);
}
