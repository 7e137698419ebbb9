/*
 * tiss-xml: turn closed lotes into the TISS XML the operator receives
 * (the manual's Gerar XML).
 *
 * For each lote 'fechado' (or those named with --lote): build an
 * intermediate XML of the lote with libxml2 (xsd/lote.xsd), transform it
 * with xslt/lote-tiss-VERSION.xsl into a mensagemTISS ENVIO_LOTE_GUIAS,
 * compute the epilogo hash (NOTES.md §4), validate it against the
 * official schema, check what the schema cannot (face pattern,
 * tipoTransacao, the hash encoding), and write it atomically as
 * out/PRESTADOR/NUMEROLOTE_HASH.xml in ISO-8859-1, with the SOAP body
 * loteGuiasWS beside it (_ws.xml), cut from the validated message's own
 * bytes.  Path, size, hash and SHA-256 go into the database and the lote
 * becomes 'xml_gerado'.  A lote that fails a check is not written; the
 * error names the guide and field.
 *
 * The files are recorded only if the lote is exactly as read (its
 * revisao, bumped by every change of its guides or status); a lote a
 * clerk edited meanwhile keeps its status, the files just written are
 * removed, and the next run makes them anew.  A prestador code that is
 * not a safe folder name fails its lote: nothing goes outside out/.
 * One tiss-xml per workspace (xml.lock; a second exits 75); each run
 * first removes what an interrupted one left (lotes_sweep).  Lotes are
 * shared among -j worker processes (default: one per core).
 *
 * For the tests only: with TISS_TEST_XML_PAUSE=DIR set, each lote, once
 * read, creates DIR/read-ID (lote.id) and waits (up to 120 s) for DIR/go
 * before it writes anything, so a test can change the lote in between.
 *
 * Exit: 0 every lote written or left for the next run, 64 usage, 65 some
 * lote failed a check, 66 a named lote does not exist, 70 a worker
 * crashed, 74 I/O error, 75 database busy or another tiss-xml running,
 * 78 configuration (registro_ans, schemas, stylesheets).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/ident.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/state.h"
#include "common/tissver.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

/* What every lote needs, loaded once before the workers fork. */
struct gen {
	char	*registro_ans;		/* owned copies: the config is closed */
	const struct tissver *ver;	/* the operator's version, a row */
	char	*hash_encoding;		/* "ISO-8859-1" or "UTF-8" */
	const char *intermediate;	/* --intermediate DIR, or NULL */
	xsltStylesheetPtr to_tiss;	/* the row's lote-tiss-VERSION.xsl */
	xmlSchemaPtr schema;		/* tissVx_xx_xx.xsd */
	const char *pause;		/* TISS_TEST_XML_PAUSE, or NULL */
};

/* One lote as read: what its files are named after and recorded under. */
struct lote {
	long long id;
	char	*prest;			/* owned */
	long	 numero;
	long long revisao;		/* as read with the guides */
};

/* ---- the intermediate document --------------------------------------------- */

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
build_head(struct ws *ws, const struct gen *g, xmlNodePtr root,
    struct lote *l)
{
	sqlite3_stmt *ls;
	xmlNodePtr cab;
	struct ident id;
	char tmp[32], day[11], hour[9];
	struct tm tm;
	time_t now = time_now();

	ls = db_prepare(ws->db, "SELECT codigoPrestadorNaOperadora, numeroLote, "
	    "competencia, revisao FROM lote WHERE id = ?");
	sqlite3_bind_int64(ls, 1, l->id);
	db_step(ws->db, ls);
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
	if (ident_prestador(&ws->cfg, l->prest, g->ver->cnpj_alnum, &id,
	    tmp, sizeof(tmp)) == 0 && id.kind != IDENT_CODIGO)
		add_text(cab, id.element, id.value);
	add_text(cab, "registroANS", g->registro_ans);
	add_text(cab, "Padrao", g->ver->versao);
	add_text(root, "numeroLote", db_col_text(ls, 1));
	add_text(root, "competencia", db_col_text(ls, 2));
	sqlite3_finalize(ls);
}

/* The statements of a lote's guides and of their procedures, in order. */
static void
guide_queries(struct ws *ws, long long id, sqlite3_stmt **gs,
    sqlite3_stmt **ps)
{
	struct buf gsql = { 0 }, psql = { 0 };
	int f;

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
	*gs = db_prepare(ws->db, gsql.data);
	*ps = db_prepare(ws->db, psql.data);
	sqlite3_bind_int64(*gs, 1, id);
	sqlite3_bind_int64(*ps, 1, id);
	buf_release(&gsql);
	buf_release(&psql);
}

/*
 * Add the guides of lote id under root, procedures inside; returns how
 * many guides.  Guides and procedures come in the same order: merged.
 */
static int
build_guides(struct ws *ws, xmlNodePtr root, long long id)
{
	sqlite3_stmt *gs, *ps;
	xmlNodePtr guia, proc;
	char tmp[32];
	long long gid;
	int f, i, have_proc, nguides = 0;

	guide_queries(ws, id, &gs, &ps);
	have_proc = db_step(ws->db, ps) == SQLITE_ROW;
	while (db_step(ws->db, gs) == SQLITE_ROW) {
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
			have_proc = db_step(ws->db, ps) == SQLITE_ROW;
		}
	}
	sqlite3_finalize(gs);
	sqlite3_finalize(ps);
	return nguides;
}

/*
 * Read lote l->id, its revisao and guides in one transaction, into the
 * intermediate document; NULL when it has no guide.  Guides in
 * numeroGuiaPrestador order, procedures in item order.
 */
static xmlDocPtr
build_lote(struct ws *ws, const struct gen *g, struct lote *l)
{
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root = xmlNewNode(NULL, BAD_CAST "lote");
	int n;

	xmlDocSetRootElement(doc, root);
	db_exec(ws->db, "BEGIN");
	build_head(ws, g, root, l);
	n = build_guides(ws, root, l->id);
	db_exec(ws->db, "COMMIT");
	if (n == 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* Not indented: a quarter less to write, and the hash ignores layout. */
static void
serialize(xmlDocPtr doc, xmlChar **out, int *n)
{
	xmlDocDumpFormatMemoryEnc(doc, out, n, "ISO-8859-1", 0);
	if (*out == NULL)
		fatal(EXIT_SOFTWARE, "cannot serialize XML");
}

/* ---- one lote --------------------------------------------------------------- */

/* A message made from a lote: its bytes, its SOAP body, its file names. */
struct msg {
	xmlChar	*bytes;			/* the mensagemTISS, ISO-8859-1 */
	int	 n;
	struct buf body;		/* the loteGuiasWS */
	char	 hash[33];
	char	*dir;			/* WS/out/PRESTADOR */
	char	*xml_rel;		/* out/PRESTADOR/N_HASH.xml, once written */
	char	*ws_rel;		/* out/PRESTADOR/N_HASH_ws.xml, likewise */
};

static void
msg_release(struct msg *m)
{
	xmlFree(m->bytes);
	buf_release(&m->body);
	free(m->dir);
	free(m->xml_rel);
	free(m->ws_rel);
}

/*
 * The tests' pause (TISS_TEST_XML_PAUSE): say the lote is read, then
 * wait for the go file, polling, for at most 120 s.
 */
static void
test_pause(const struct gen *g, const struct lote *l)
{
	char *path;
	int i, fd;

	if (g->pause == NULL)
		return;
	path = xasprintf("%s/read-%lld", g->pause, l->id);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
		close(fd);
	free(path);
	path = xasprintf("%s/go", g->pause);
	for (i = 0; i < 12000 && access(path, F_OK) != 0; i++)
		usleep(10000);
	free(path);
}

/*
 * The checked message of an intermediate document into m.  Returns 0,
 * or -1 after logging why (a check failed: the lote stays as it is).
 */
static int
make_message(const struct gen *g, const struct lote *l, xmlDocPtr doc,
    struct msg *m)
{
	xmlDocPtr msg = xsltApplyStylesheet(g->to_tiss, doc, NULL);
	xmlNodePtr root = msg ? xmlDocGetRootElement(msg) : NULL;
	xmlNodePtr hnode = xml_child(xml_child(root, "epilogo"), "hash");
	char err[512];
	int ret = -1;

	if (msg == NULL)
		log_error("lote %ld of %s: the stylesheet failed", l->numero,
		    l->prest);
	else if (hnode == NULL ||
	    xml_tiss_hash(root, g->hash_encoding, m->hash) != 0)
		log_error("lote %ld of %s: a value has a character that %s "
		    "cannot carry; correct the guide's text", l->numero,
		    l->prest, g->hash_encoding);
	else {
		xmlNodeSetContent(hnode, BAD_CAST m->hash);
		if (xml_schema_check(g->schema, msg, err, sizeof(err)) != 0 ||
		    xml_tiss_check(msg, err, sizeof(err)) != 0)
			log_error("lote %ld of %s: %s", l->numero, l->prest,
			    err);
		else {
			serialize(msg, &m->bytes, &m->n);
			if (xml_lote_ws_body((const char *)m->bytes,
			    m->hash, &m->body) == 0)
				ret = 0;
			else
				log_error("lote %ld of %s: no cabecalho or "
				    "loteGuias in the message", l->numero,
				    l->prest);
		}
	}
	xmlFreeDoc(msg);
	return ret;
}

/* Remove the files of m written so far (the lote did not take them). */
static void
remove_files(struct ws *ws, struct msg *m)
{
	char *rel[2] = { m->xml_rel, m->ws_rel }, *path;
	int i;

	for (i = 0; i < 2; i++) {
		if (rel[i] == NULL)
			continue;
		path = ws_path(ws, rel[i]);
		if (unlink(path) != 0 && errno != ENOENT)
			log_warn("cannot remove '%s': %s; the next tiss-xml "
			    "will", path, strerror(errno));
		free(path);
	}
}

/* Write both files of m into out/PRESTADOR; EXIT_OK or EXIT_IOERR. */
static int
write_files(struct ws *ws, const struct lote *l, struct msg *m)
{
	char err[512], name[128];

	if ((m->dir = lotes_out_dir(ws, l->prest, err, sizeof(err))) == NULL) {
		log_error("lote %ld of %s: %s", l->numero, l->prest, err);
		return EXIT_IOERR;
	}
	snprintf(name, sizeof(name), "%ld_%s_ws.xml", l->numero, m->hash);
	if (write_file_atomic(m->dir, name, m->body.data, m->body.len,
	    0644) != 0)
		return EXIT_IOERR;
	m->ws_rel = xasprintf("out/%s/%s", l->prest, name);
	snprintf(name, sizeof(name), "%ld_%s.xml", l->numero, m->hash);
	if (write_file_atomic(m->dir, name, m->bytes, (size_t)m->n, 0644) != 0)
		return EXIT_IOERR;
	m->xml_rel = xasprintf("out/%s/%s", l->prest, name);
	/* Both renames on disk before the database says the files exist. */
	return sync_dir(m->dir) == 0 ? EXIT_OK : EXIT_IOERR;
}

/*
 * Record m as lote l's XML, only if the lote is still fechado at the
 * revisao read with its guides.  Returns 1 when recorded, 0 when the
 * lote changed meanwhile.
 */
static int
record(struct ws *ws, const struct gen *g, const struct lote *l,
    const struct msg *m)
{
	sqlite3_stmt *st;
	char sha[65];
	int ok;

	sha256_hex(m->bytes, (size_t)m->n, sha);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	st = db_prepare(ws->db, "UPDATE lote SET xmlArquivo = ?, xmlBytes = ?, "
	    "xmlHash = ?, xmlSha256 = ?, soapArquivo = ?, xmlGeradoEm = "
	    "strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), versaoTISS = ? WHERE "
	    "id = ? AND revisao = ? AND status = 'fechado'");
	sqlite3_bind_text(st, 1, m->xml_rel, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, m->n);
	sqlite3_bind_text(st, 3, m->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, m->ws_rel, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, g->ver->versao, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 7, l->id);
	sqlite3_bind_int64(st, 8, l->revisao);
	db_step(ws->db, st);
	ok = sqlite3_changes(ws->db) == 1 &&
	    state_lote_set(ws->db, l->id, LOTE_XML_GERADO) == 1;
	sqlite3_finalize(st);
	db_exec(ws->db, ok ? "COMMIT" : "ROLLBACK");
	return ok;
}

/*
 * Generate lote id.  Returns EXIT_OK (also when the lote changed while
 * being written: left for the next run), EXIT_DATAERR (a check failed;
 * the lote is unchanged) or EXIT_IOERR.
 */
static int
generate(struct ws *ws, const struct gen *g, long long id)
{
	struct lote l = { id, NULL, 0, 0 };
	struct msg m;
	xmlDocPtr doc;
	int ret = EXIT_DATAERR;

	memset(&m, 0, sizeof(m));
	if ((doc = build_lote(ws, g, &l)) == NULL) {
		log_error("lote %ld of %s has no guide; add some or delete it",
		    l.numero, l.prest);
		goto out;
	}
	test_pause(g, &l);
	if (!lotes_prest_ok(l.prest)) {
		log_error("lote %ld: prestador code '%s' cannot name a folder "
		    "under out/ (letters, digits, '.', '_', '-' only); correct "
		    "the code of its guides and build the lote again",
		    l.numero, l.prest);
		goto out;
	}
	if (g->intermediate) {
		char *p = xasprintf("%s/%s-%ld.xml", g->intermediate, l.prest,
		    l.numero);

		if (xmlSaveFormatFileEnc(p, doc, "UTF-8", 1) < 0)
			log_error("cannot write '%s'", p);
		free(p);
	}
	if (make_message(g, &l, doc, &m) != 0)
		goto out;
	if ((ret = write_files(ws, &l, &m)) != EXIT_OK)
		remove_files(ws, &m);
	else if (record(ws, g, &l, &m))
		printf("%s\n", m.xml_rel);
	else {
		remove_files(ws, &m);
		log_notice("lote %ld of %s changed while its XML was made; "
		    "not recorded, the next tiss-xml makes it again",
		    l.numero, l.prest);
	}
out:
	xmlFreeDoc(doc);
	msg_release(&m);
	free(l.prest);
	return ret;
}

/* ---- setup and workers ----------------------------------------------------- */

static void
load_gen(struct gen *g, struct ws *ws)
{
	struct profile p;
	char err[512], *path;

	profile_load(&p, ws);
	profile_require_xml(&p, ws);
	g->registro_ans = xstrdup(p.registro_ans);
	g->ver = p.ver;
	g->hash_encoding = xstrdup(p.hash_encoding);
	path = profile_schema(&p, "tissV");
	if ((g->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load the TISS schema '%s': %s", path,
		    err);
	free(path);
	path = tissver_stylesheet_path(g->ver);
	if ((g->to_tiss = xml_xslt_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load '%s': %s", path, err);
	free(path);
	if ((g->pause = getenv("TISS_TEST_XML_PAUSE")) && *g->pause == '\0')
		g->pause = NULL;
}

static void
free_gen(struct gen *g)
{
	xsltFreeStylesheet(g->to_tiss);
	xmlSchemaFree(g->schema);
	free(g->registro_ans);
	free(g->hash_encoding);
}

/* A worker of lotes_pool: lotes k, k + n, ... */
static int
work(struct ws *ws, const struct lote_list *l, int k, int n, void *ctx)
{
	const struct gen *g = ctx;
	long i;
	int ret = EXIT_OK;

	for (i = k; i < l->n; i += n)
		ret = exit_worse(ret, generate(ws, g, l->v[i].id));
	return ret;
}

static const char *
hint(enum lote_state s)
{
	return s == LOTE_ABERTO ? "close it first (tiss-lote close)" :
	    "its XML was made already";
}

/* The command line of tiss-xml beyond the common options. */
struct opts {
	struct gen *g;
	int	 jobs;			/* -j, 0: one per core */
	long long *named;		/* --lote */
	int	 nnamed;
};

static int
option(int ch, const char *arg, void *ctx)
{
	struct opts *o = ctx;
	char *end;

	switch (ch) {
	case 'i':
		o->g->intermediate = arg;
		return 0;
	case 'j':
		o->jobs = (int)strtol(arg, &end, 10);
		return *end == '\0' && o->jobs >= 1 && o->jobs <= 256 ? 0 : -1;
	case 'l':
		o->named = xrealloc(o->named, (size_t)(o->nnamed + 1) *
		    sizeof(*o->named));
		o->named[o->nnamed++] = cli_lote("--lote", arg);
		return 0;
	}
	return -1;
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "intermediate", required_argument, NULL, 'i' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "lote", required_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	struct gen g;
	struct opts o = { &g, 0, NULL, 0 };
	const struct cli_spec spec = { "tiss-xml", "tiss-xml [-C dir] [-qv] "
	    "[-j jobs] [-p prestador] [--lote n]... [--intermediate dir]\n",
	    "j:", longopts, option, &o, 0 };
	struct lotes_spec pick = { 0 };
	struct lote_list lotes;
	struct cli cli;
	struct ws ws;
	int ret;

	memset(&g, 0, sizeof(g));
	if (cli_parse(&cli, &spec, argc, argv) != argc)
		cli_usage(&spec);
	xml_init();
	ws_open(&ws, ws_dir(cli.workspace));
	/* Two at once would leave each other's files unrecorded. */
	ws_lock(&ws, "xml");
	load_gen(&g, &ws);
	lotes_sweep(&ws);
	pick.prestador = cli.prestador;
	pick.named = o.named;
	pick.nnamed = o.nnamed;
	pick.wanted = LOTES_WANT(LOTE_FECHADO);
	pick.hint = hint;
	ret = lotes_pick(ws.db, &pick, &lotes);
	ret = exit_worse(ret, lotes_pool(&ws, &lotes, o.jobs, work, &g));
	log_info("%ld lote%s processed", lotes.n, lotes.n == 1 ? "" : "s");
	lotes_release(&lotes);
	free_gen(&g);
	ws_close(&ws);
	xml_cleanup();
	free(o.named);
	return close_stdout(ret);
}
