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
 * out/PRESTADOR/NUMEROLOTE_HASH.xml in ISO-8859-1 (tiss-send cuts the
 * SOAP body loteGuiasWS from these bytes).  Path, size, hash and SHA-256
 * go into the database and the lote becomes 'xml_gerado'.  Lotes are
 * written in batches (common/fbatch.h): up to 64 lotes' files flushed
 * together, then one transaction records them; the database never names
 * a file that is not on disk.  A lote that fails a check is not written;
 * the error names the guide and field.
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
 * or DIR/go-ID before it writes anything, so a test can change the lote
 * in between, or stop a batch halfway.
 *
 * Exit: 0 every lote written or left for the next run, 64 usage, 65 some
 * lote failed a check, 66 a named lote does not exist, 70 a worker
 * crashed, 74 I/O error, 75 database busy or another tiss-xml running,
 * 78 configuration (registro_ans, schemas, stylesheets).
 */
#include <errno.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/fbatch.h"
#include "common/i18n.h"
#include "common/ident.h"
#include "common/inter.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/progress.h"
#include "common/state.h"
#include "common/tissver.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

/* What every lote needs, loaded once before the workers fork. */
struct gen {
	char	*registro_ans;		/* owned copy */
	const struct tissver *ver;	/* the operator's version, a row */
	struct inter_head head;		/* the cabecalho: cfg, registro, ver */
	char	*hash_encoding;		/* "ISO-8859-1" or "UTF-8" */
	const char *intermediate;	/* --intermediate DIR, or NULL */
	xsltStylesheetPtr to_tiss;	/* the row's lote-tiss-VERSION.xsl */
	xmlSchemaPtr schema;		/* tissVx_xx_xx.xsd */
	const char *pause;		/* TISS_TEST_XML_PAUSE, or NULL */
};


/*
 * Not indented: a quarter less to write, and the hash ignores layout.
 * xml_dump_latin1 writes libxml2's bytes in one pass (issue 17: the
 * serialisation was 15% of the stage); libxml2 for anything it lacks.
 */
static void
serialize(xmlDocPtr doc, struct buf *out)
{
	xmlChar *bytes;
	int n;

	if (xml_dump_latin1(doc, out) == 0)
		return;
	buf_reset(out);
	xmlDocDumpFormatMemoryEnc(doc, &bytes, &n, "ISO-8859-1", 0);
	if (bytes == NULL)
		fatal(EXIT_SOFTWARE, _("cannot serialize XML"));
	buf_add(out, bytes, (size_t)n);
	xmlFree(bytes);
}

/* ---- one lote --------------------------------------------------------------- */

/* A message made from a lote: its bytes, hash and folder. */
struct msg {
	struct buf out;			/* the mensagemTISS, ISO-8859-1 */
	char	 hash[33];
	char	*dir;			/* WS/out/PRESTADOR */
};

static void
msg_release(struct msg *m)
{
	buf_release(&m->out);
	free(m->dir);
}

/*
 * The tests' pause (TISS_TEST_XML_PAUSE): say the lote is read
 * (read-ID), then wait for the go file or go-ID (this lote only).
 */
static void
pause_read(const struct gen *g, const struct lote_read *l)
{
	char mark[64], one[64];

	if (g->pause == NULL)
		return;
	snprintf(mark, sizeof(mark), "read-%lld", l->id);
	snprintf(one, sizeof(one), "go-%lld", l->id);
	test_pause(g->pause, mark, one);
}

/*
 * The checked message of an intermediate document into m.  Returns 0,
 * or -1 after logging why (a check failed: the lote stays as it is).
 */
static int
make_message(const struct gen *g, const struct lote_read *l, xmlDocPtr doc,
    struct msg *m)
{
	xmlDocPtr msg = xsltApplyStylesheet(g->to_tiss, doc, NULL);
	xmlNodePtr root = msg ? xmlDocGetRootElement(msg) : NULL;
	xmlNodePtr hnode = xml_child(xml_child(root, "epilogo"), "hash");
	char err[512];
	int ret = -1;

	if (msg == NULL)
		log_error(_("lote %ld of %s: the stylesheet failed"), l->numero,
		    l->prest);
	else if (hnode == NULL ||
	    xml_tiss_hash(root, g->hash_encoding, m->hash) != 0)
		log_error(_("lote %ld of %s: a value has a character that %s "
		    "cannot carry; correct the guide's text"), l->numero,
		    l->prest, g->hash_encoding);
	else {
		xmlNodeSetContent(hnode, BAD_CAST m->hash);
		if (xml_schema_check(g->schema, msg, err, sizeof(err)) != 0 ||
		    xml_tiss_check(msg, err, sizeof(err)) != 0)
			log_error(_("lote %ld of %s: %s"), l->numero, l->prest,
			    err);
		else {
			serialize(msg, &m->out);
			ret = 0;
		}
	}
	xmlFreeDoc(msg);
	return ret;
}

/* ---- batches of lotes -------------------------------------------------------- */

/*
 * Lotes whose files are written but not yet durable nor recorded: one
 * fbatch_flush for all their files, then one transaction records them
 * (issue 17: the fsyncs and commits per lote were a third of the stage).
 */
#define BATCH_LOTES	64
#define BATCH_BYTES	(8 << 20)

struct done {			/* a lote whose file is in the batch */
	struct lote_read l;		/* prest owned */
	char	 hash[33], sha[65];
	int	 n, file;		/* its bytes; its fbatch index */
	char	*rel;			/* out/PRESTADOR/...xml, owned */
};

struct batch {
	struct fbatch files;
	struct done v[BATCH_LOTES];
	int	 n;
};

/* The file of m into b (not yet durable); EXIT_OK or EXIT_IOERR. */
static int
stage(struct ws *ws, struct lote_read *l, struct msg *m, struct batch *b)
{
	struct done *d = &b->v[b->n];
	char err[512], name[128];

	if ((m->dir = lotes_out_dir(ws, l->prest, err, sizeof(err))) == NULL) {
		log_error(_("lote %ld of %s: %s"), l->numero, l->prest, err);
		return EXIT_IOERR;
	}
	snprintf(name, sizeof(name), "%ld_%s.xml", l->numero, m->hash);
	if ((d->file = fbatch_add(&b->files, m->dir, name, m->out.data,
	    m->out.len, 0644)) < 0)
		return EXIT_IOERR;
	d->rel = xasprintf("out/%s/%s", l->prest, name);
	d->l = *l;
	l->prest = NULL;
	d->n = (int)m->out.len;
	memcpy(d->hash, m->hash, sizeof(d->hash));
	sha256_hex(m->out.data, m->out.len, d->sha);
	b->n++;
	return EXIT_OK;
}

/*
 * Record d as its lote's XML, only if the lote is still fechado at the
 * revisao read with its guides (inside the batch's transaction).
 * Returns 1 when recorded, 0 when the lote changed meanwhile.
 */
static int
record(struct ws *ws, sqlite3_stmt *st, const struct done *d)
{
	int ok;

	db_exec(ws->db, "SAVEPOINT lote");
	sqlite3_reset(st);
	sqlite3_bind_text(st, 1, d->rel, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, d->n);
	sqlite3_bind_text(st, 3, d->hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, d->sha, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 5, d->l.id);
	sqlite3_bind_int64(st, 6, d->l.revisao);
	db_step(ws->db, st);
	ok = sqlite3_changes(ws->db) == 1 &&
	    state_lote_set(ws->db, d->l.id, LOTE_XML_GERADO) == 1;
	db_exec(ws->db, ok ? "RELEASE lote" : "ROLLBACK TO lote; RELEASE lote");
	return ok;
}

/*
 * Make b's files durable, then record its lotes in one transaction; a
 * lote that changed meanwhile loses its file.  Empties b.  Returns
 * EXIT_OK or EXIT_IOERR (no lote of b recorded, its files removed).
 */
static int
commit(struct ws *ws, const struct gen *g, struct batch *b)
{
	sqlite3_stmt *st;
	int i, ret = EXIT_OK;
	char ok[BATCH_LOTES];

	if (b->n > 0 && fbatch_flush(&b->files) != 0)
		ret = EXIT_IOERR;
	else if (b->n > 0) {
		db_exec(ws->db, "BEGIN IMMEDIATE");
		st = db_prepare(ws->db, "UPDATE lote SET xmlArquivo = ?1, "
		    "xmlBytes = ?2, xmlHash = ?3, xmlSha256 = ?4, soapArquivo = "
		    "NULL, xmlGeradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), "
		    "versaoTISS = ?7 WHERE id = ?5 AND revisao = ?6 AND "
		    "status = 'fechado'");
		sqlite3_bind_text(st, 7, g->ver->versao, -1, SQLITE_STATIC);
		for (i = 0; i < b->n; i++)
			ok[i] = (char)record(ws, st, &b->v[i]);
		sqlite3_finalize(st);
		db_exec(ws->db, "COMMIT");
		for (i = 0; i < b->n; i++)
			if (ok[i])
				printf("%s\n", b->v[i].rel);
			else {
				fbatch_remove(&b->files, b->v[i].file);
				log_notice(_("lote %ld of %s changed while its XML "
				    "was made; not recorded, the next tiss-xml "
				    "makes it again"), b->v[i].l.numero,
				    b->v[i].l.prest);
			}
	}
	for (i = 0; i < b->n; i++) {
		free(b->v[i].l.prest);
		free(b->v[i].rel);
	}
	fbatch_reset(&b->files);
	b->n = 0;
	return ret;
}

/*
 * Generate lote id into batch b.  Returns EXIT_OK (also when the lote
 * changed while being read: left for the next run), EXIT_DATAERR (a
 * check failed; the lote is unchanged) or EXIT_IOERR.
 */
static int
generate(struct ws *ws, const struct gen *g, long long id, struct batch *b)
{
	struct lote_read l = { id, NULL, 0, 0 };
	struct msg m;
	xmlDocPtr doc;
	int ret = EXIT_DATAERR;

	memset(&m, 0, sizeof(m));
	if ((doc = inter_build(ws->db, &g->head, &l)) == NULL) {
		log_error(_("lote %ld of %s has no guide; add some or delete it"),
		    l.numero, l.prest);
		goto out;
	}
	pause_read(g, &l);
	if (!lotes_prest_ok(l.prest)) {
		log_error(_("lote %ld: prestador code '%s' cannot name a folder "
		    "under out/ (letters, digits, '.', '_', '-' only); correct "
		    "the code of its guides and build the lote again"),
		    l.numero, l.prest);
		goto out;
	}
	if (g->intermediate) {
		char *p = xasprintf("%s/%s-%ld.xml", g->intermediate, l.prest,
		    l.numero);

		if (xmlSaveFormatFileEnc(p, doc, "UTF-8", 1) < 0)
			log_error(_("cannot write '%s'"), p);
		free(p);
	}
	if (make_message(g, &l, doc, &m) == 0)
		ret = stage(ws, &l, &m, b);
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
	g->head.cfg = &ws->cfg;
	g->head.registro_ans = g->registro_ans;
	g->head.ver = g->ver;
	g->hash_encoding = xstrdup(p.hash_encoding);
	path = profile_schema(&p, "tissV");
	if ((g->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load the TISS schema '%s': %s"), path,
		    err);
	free(path);
	path = tissver_stylesheet_path(g->ver);
	if ((g->to_tiss = xml_xslt_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load '%s': %s"), path, err);
	g->head.dict = g->to_tiss->dict;
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
	struct progress pg;
	struct batch b;
	long i;
	int ret = EXIT_OK;

	memset(&b, 0, sizeof(b));
	progress_share(&pg, _("lotes with XML"), l->n, k, n);
	for (i = k; i < l->n; i += n, progress_add(&pg, 1)) {
		ret = exit_worse(ret, generate(ws, g, l->v[i].id, &b));
		if (b.n == BATCH_LOTES || b.files.bytes >= BATCH_BYTES)
			ret = exit_worse(ret, commit(ws, g, &b));
	}
	ret = exit_worse(ret, commit(ws, g, &b));
	progress_end(&pg);
	inter_forget();
	return ret;
}

static const char *
hint(enum lote_state s)
{
	return s == LOTE_ABERTO ? _("close it first (tiss-lote close)") :
	    _("its XML was made already");
}

/* The command line of tiss-xml beyond the common options. */
struct opts {
	const char *intermediate;	/* --intermediate, or NULL */
	int	 jobs;			/* -j, 0: one per core */
	long long *named;		/* --lote */
	int	 nnamed;
};

static int
option(int ch, const char *arg, void *ctx)
{
	struct opts *o = ctx;

	/* cli hands over only the letters declared in main. */
	if (ch == 'j')
		o->jobs = (int)cli_number("--jobs", arg, 1, 256);
	else if (ch == 'l')
		cli_lotes("--lote", arg, &o->named, &o->nnamed);
	else
		o->intermediate = arg;
	return 0;
}

int
main(int argc, char *argv[])
{
	struct gen g = { 0 };
	struct opts o = { NULL, 0, NULL, 0 };
	const struct cli_spec spec = { .name = "tiss-xml",
	    .usage = "tiss-xml [-C dir] [-qv] [-j jobs] [-p prestador] "
	    "[--lote n]... [--intermediate dir]\n",
	    .options = "intermediate=i: jobs=-j: lote=l:", .option = option,
	    .ctx = &o };
	struct lotes_spec pick = { 0 };
	struct lote_list lotes;
	struct cli cli;
	struct ws ws;
	int ret;

	/*
	 * No fastbins: the two trees of every lote are freed node by node,
	 * and each malloc of 1 KiB or more (SQLite's pages, buffers) then
	 * merged the freed chunks again (malloc_consolidate, 6% of the
	 * stage's CPU); tcache still serves the small sizes (issue 17:
	 * -10% CPU, same bytes).
	 */
	(void)mallopt(M_MXFAST, 0);
	cli_parse(&cli, &spec, argc, argv);
	xml_init();
	ws_open(&ws, ws_dir(cli.workspace));
	/* Two at once would leave each other's files unrecorded. */
	ws_lock(&ws, "xml");
	g.intermediate = o.intermediate;
	load_gen(&g, &ws);
	lotes_sweep(&ws);
	pick.prestador = cli.prestador;
	pick.named = o.named;
	pick.nnamed = o.nnamed;
	pick.wanted = LOTES_WANT(LOTE_FECHADO);
	pick.hint = hint;
	ret = lotes_pick(ws.db, &pick, &lotes);
	ret = exit_worse(ret, lotes_pool(&ws, &lotes, o.jobs, work, &g));
	log_info(P_("%ld lote processed", "%ld lotes processed", lotes.n),
	    lotes.n);
	lotes_release(&lotes);
	free_gen(&g);
	ws_close(&ws);
	xml_cleanup();
	free(o.named);
	return close_stdout(ret);
}
