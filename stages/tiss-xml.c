/*
 * tiss-xml: turn closed lotes into the TISS XML the operator receives
 * (the manual's Gerar XML).
 *
 * For each lote 'fechado' (or those named with --lote): build an
 * intermediate XML of the lote with libxml2 (xsd/lote.xsd), transform it
 * with xslt/lote-tiss-VERSION.xsl into a mensagemTISS ENVIO_LOTE_GUIAS,
 * compute the epilogo hash (NOTES.md §4), validate the message against
 * the official schema of the version, check what the schema cannot
 * (face pattern, tipoTransacao matching the body, the hash), and write it atomically as
 * out/PRESTADOR/NUMEROLOTE_HASH.xml in ISO-8859-1, with the SOAP body
 * loteGuiasWS beside it (_ws.xml).  The body is cut from the validated
 * message's own bytes: its cabecalho, loteGuias and hash, elements of
 * the same types in tissWebServicesVx_xx_xx.xsd, so it is valid and has
 * the same hash by construction; the tests check it against the schema.
 * Path, size, hash and SHA-256 go into the database and the
 * lote becomes 'xml_gerado'.  A lote that fails any check is not
 * written, and the error names the guide and field.
 *
 * Lotes are shared among -j worker processes (default: one per core).
 *
 * Exit: 0 every lote written (also when there was none), 64 usage,
 * 65 some lote failed a check, 66 a named lote does not exist, 74 I/O
 * error, 75 database busy, 78 configuration (registro_ans, schemas,
 * stylesheets).
 */
#include <sys/stat.h>
#include <sys/wait.h>

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include <libxml/tree.h>
#include <libxslt/transform.h>
#include <libxslt/xsltutils.h>
#include <openssl/evp.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/util.h"
#include "common/ws.h"
#include "common/xml.h"

#ifndef TISS_DATADIR
#define TISS_DATADIR	"/usr/local/share/tiss"
#endif

/* What every lote needs, loaded once before the workers fork. */
struct gen {
	char	*registro_ans;		/* owned copies: the config is closed */
	char	*versao;		/* "4.01.00" or "3.05.00" */
	char	*hash_encoding;		/* "ISO-8859-1" or "UTF-8" */
	const char *intermediate;	/* --intermediate DIR, or NULL */
	xsltStylesheetPtr to_tiss;	/* lote-tiss-VERSION.xsl */
	xmlSchemaPtr schema;		/* tissVx_xx_xx.xsd */
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

/*
 * Build the intermediate document of lote id; NULL when it has no guide.
 * Guides in numeroGuiaPrestador order, procedures in item order.
 */
static xmlDocPtr
build_lote(struct ws *ws, const struct gen *g, long long id, char prest[64],
    long *numero)
{
	struct buf gsql = { 0 }, psql = { 0 };
	sqlite3_stmt *ls, *gs, *ps;
	xmlDocPtr doc = xmlNewDoc(BAD_CAST "1.0");
	xmlNodePtr root, cab, guia, proc;
	char tmp[32], day[11], hour[9];
	struct tm tm;
	time_t now = time_now();
	long long gid;
	int f, i, have_proc, nguides = 0;

	root = xmlNewNode(NULL, BAD_CAST "lote");
	xmlDocSetRootElement(doc, root);
	ls = db_prepare(ws->db, "SELECT codigoPrestadorNaOperadora, numeroLote, "
	    "competencia FROM lote WHERE id = ?");
	sqlite3_bind_int64(ls, 1, id);
	db_step(ws->db, ls);
	snprintf(prest, 64, "%s", db_col_text(ls, 0));
	*numero = sqlite3_column_int(ls, 1);
	localtime_r(&now, &tm);
	strftime(day, sizeof(day), "%Y-%m-%d", &tm);
	strftime(hour, sizeof(hour), "%H:%M:%S", &tm);
	cab = xmlNewChild(root, NULL, BAD_CAST "cabecalho", NULL);
	snprintf(tmp, sizeof(tmp), "%lld", id);
	add_text(cab, "sequencialTransacao", tmp);
	add_text(cab, "dataRegistroTransacao", day);
	add_text(cab, "horaRegistroTransacao", hour);
	add_text(cab, "codigoPrestadorNaOperadora", prest);
	add_text(cab, "registroANS", g->registro_ans);
	add_text(cab, "Padrao", g->versao);
	add_text(root, "numeroLote", db_col_text(ls, 1));
	add_text(root, "competencia", db_col_text(ls, 2));
	sqlite3_finalize(ls);

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
	gs = db_prepare(ws->db, gsql.data);
	ps = db_prepare(ws->db, psql.data);
	sqlite3_bind_int64(gs, 1, id);
	sqlite3_bind_int64(ps, 1, id);
	/* Guides and procedures come in the same order: merge them. */
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
	buf_release(&gsql);
	buf_release(&psql);
	if (nguides == 0) {
		xmlFreeDoc(doc);
		return NULL;
	}
	return doc;
}

/* ---- checks the schema cannot make ---------------------------------------- */

/* denteFace: [OLMVDIP]{1,5}, no letter twice (the XSD takes any 5 chars). */
static int
check_faces(xmlNodePtr n, char *err, size_t errlen)
{
	xmlNodePtr c;
	char g[64];

	for (c = n->children; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (strcmp((const char *)c->name, "denteFace") == 0) {
			xmlChar *t = xmlNodeGetContent(c);
			const char *s = (const char *)t;
			size_t i, j, len = strlen(s);
			int bad = len < 1 || len > 5;

			for (i = 0; i < len; i++) {
				bad |= strchr("OLMVDIP", s[i]) == NULL;
				for (j = 0; j < i; j++)
					bad |= s[i] == s[j];
			}
			if (bad)
				snprintf(err, errlen, "guia %s: denteFace: '%s' "
				    "is not 1 to 5 different letters of OLMVDIP",
				    xml_guide_of(c, g) ? g : "?", s);
			xmlFree(t);
			if (bad)
				return -1;
		} else if (check_faces(c, err, errlen) != 0)
			return -1;
	}
	return 0;
}

/* tipoTransacao must say what the body is; the schema does not tie them. */
static int
check_transaction(xmlDocPtr doc, char *err, size_t errlen)
{
	xmlNodePtr root = xmlDocGetRootElement(doc);
	xmlNodePtr tipo = xml_child(xml_child(xml_child(root, "cabecalho"),
	    "identificacaoTransacao"), "tipoTransacao");
	xmlNodePtr body = xml_child(xml_child(root, "prestadorParaOperadora"),
	    "loteGuias");
	xmlChar *t = tipo ? xmlNodeGetContent(tipo) : NULL;
	int ok = t && strcmp((const char *)t, "ENVIO_LOTE_GUIAS") == 0 && body;

	if (!ok)
		snprintf(err, errlen, "tipoTransacao '%s' does not match a "
		    "loteGuias body", t ? (const char *)t : "");
	xmlFree(t);
	return ok ? 0 : -1;
}

/* ---- writing ---------------------------------------------------------------- */

/* Not indented: a quarter less to write, and the hash ignores layout. */
static void
serialize(xmlDocPtr doc, xmlChar **out, int *n)
{
	xmlDocDumpFormatMemoryEnc(doc, out, n, "ISO-8859-1", 0);
	if (*out == NULL)
		fatal(EXIT_SOFTWARE, "cannot serialize XML");
}

/*
 * The loteGuiasWS body of a serialized mensagemTISS: its cabecalho and
 * loteGuias, byte for byte, and the hash.  Returns 0, or -1 when the
 * message lacks one of them.
 */
static int
soap_body(const char *msg, const char *hash, struct buf *out)
{
	static const char *const parts[][2] = {
		{ "<ans:cabecalho>", "</ans:cabecalho>" },
		{ "<ans:loteGuias>", "</ans:loteGuias>" },
	};
	const char *from, *to;
	int i;

	buf_adds(out, "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n"
	    "<ans:loteGuiasWS xmlns:ans=\"http://www.ans.gov.br/padroes/"
	    "tiss/schemas\">\n");
	for (i = 0; i < 2; i++) {
		if ((from = strstr(msg, parts[i][0])) == NULL ||
		    (to = strstr(from, parts[i][1])) == NULL)
			return -1;
		to += strlen(parts[i][1]);
		buf_adds(out, "  ");
		buf_add(out, from, (size_t)(to - from));
		buf_addc(out, '\n');
	}
	buf_addf(out, "  <ans:hash>%s</ans:hash>\n</ans:loteGuiasWS>\n", hash);
	return 0;
}

/* ---- one lote --------------------------------------------------------------- */

/*
 * Generate lote id.  Returns EXIT_OK, EXIT_DATAERR (a check failed; the
 * lote is unchanged) or EXIT_IOERR.
 */
static int
generate(struct ws *ws, const struct gen *g, long long id)
{
	char prest[64], err[512], hash[33], sha[65], name[128];
	char *dir = NULL, *rel = NULL, *wsrel = NULL;
	xmlDocPtr lote = NULL, msg = NULL;
	xmlChar *bytes = NULL;
	struct buf body = { 0 };
	xmlNodePtr hnode;
	sqlite3_stmt *st;
	static char last_dir[64];	/* out/PRESTADOR already made */
	long numero = 0;
	int n = 0, ret = EXIT_DATAERR;

	db_exec(ws->db, "BEGIN");
	lote = build_lote(ws, g, id, prest, &numero);
	db_exec(ws->db, "COMMIT");
	if (lote == NULL) {
		log_error("lote %lld has no guide; add some or delete it", id);
		goto out;
	}
	if (g->intermediate) {
		char *p = xasprintf("%s/%s-%ld.xml", g->intermediate, prest,
		    numero);

		if (xmlSaveFormatFileEnc(p, lote, "UTF-8", 1) < 0)
			log_error("cannot write '%s'", p);
		free(p);
	}
	msg = xsltApplyStylesheet(g->to_tiss, lote, NULL);
	if (msg == NULL) {
		log_error("lote %ld of %s: the stylesheet failed", numero, prest);
		goto out;
	}
	hnode = xml_child(xml_child(xmlDocGetRootElement(msg), "epilogo"), "hash");
	if (hnode == NULL ||
	    xml_tiss_hash(xmlDocGetRootElement(msg), g->hash_encoding, hash) != 0) {
		log_error("lote %ld of %s: a value has a character that %s "
		    "cannot carry; correct the guide's text", numero, prest,
		    g->hash_encoding);
		goto out;
	}
	xmlNodeSetContent(hnode, BAD_CAST hash);
	if (xml_schema_check(g->schema, msg, err, sizeof(err)) != 0 ||
	    check_faces(xmlDocGetRootElement(msg), err, sizeof(err)) != 0 ||
	    check_transaction(msg, err, sizeof(err)) != 0) {
		log_error("lote %ld of %s: %s", numero, prest, err);
		goto out;
	}
	serialize(msg, &bytes, &n);
	if (soap_body((const char *)bytes, hash, &body) != 0) {
		log_error("lote %ld of %s: no cabecalho or loteGuias in the "
		    "message", numero, prest);
		goto out;
	}

	rel = xasprintf("out/%s", prest);
	dir = ws_path(ws, rel);
	if (strcmp(prest, last_dir) != 0 && mkdir(dir, 0755) != 0 &&
	    errno != EEXIST) {
		log_error("cannot create '%s': %s", dir, strerror(errno));
		ret = EXIT_IOERR;
		goto out;
	}
	snprintf(name, sizeof(name), "%ld_%s_ws.xml", numero, hash);
	if (write_file_atomic(dir, name, body.data, body.len, 0644) != 0) {
		ret = EXIT_IOERR;
		goto out;
	}
	wsrel = xasprintf("%s/%s", rel, name);
	snprintf(name, sizeof(name), "%ld_%s.xml", numero, hash);
	if (write_file_atomic(dir, name, bytes, (size_t)n, 0644) != 0) {
		ret = EXIT_IOERR;
		goto out;
	}
	/* Both renames on disk before the database says the file exists. */
	if (sync_dir(dir) != 0) {
		ret = EXIT_IOERR;
		goto out;
	}
	snprintf(last_dir, sizeof(last_dir), "%s", prest);
	sha256_hex(bytes, (size_t)n, sha);
	free(rel);
	rel = xasprintf("out/%s/%s", prest, name);
	st = db_prepare(ws->db, "UPDATE lote SET status = 'xml_gerado', "
	    "xmlArquivo = ?, xmlBytes = ?, xmlHash = ?, xmlSha256 = ?, "
	    "soapArquivo = ?, xmlGeradoEm = strftime('%Y-%m-%dT%H:%M:%SZ', "
	    "'now') WHERE id = ? AND status = 'fechado'");
	sqlite3_bind_text(st, 1, rel, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, n);
	sqlite3_bind_text(st, 3, hash, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 4, sha, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, wsrel, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 6, id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	printf("%s\n", rel);
	ret = EXIT_OK;
out:
	xmlFree(bytes);
	buf_release(&body);
	xmlFreeDoc(lote);
	xmlFreeDoc(msg);
	free(dir);
	free(rel);
	free(wsrel);
	return ret;
}

/* ---- setup and workers ----------------------------------------------------- */

static void
load_gen(struct gen *g, struct ws *ws)
{
	const char *datadir = getenv("TISS_DATADIR");
	struct profile p;
	char err[512], *path;

	profile_load(&p, ws);
	profile_require_xml(&p, ws);
	g->registro_ans = xstrdup(p.registro_ans);
	g->versao = xstrdup(p.versao);
	g->hash_encoding = xstrdup(p.hash_encoding);
	if (datadir == NULL || *datadir == '\0')
		datadir = TISS_DATADIR;

	path = profile_schema(&p, "tissV");
	if ((g->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load the TISS schema '%s': %s", path,
		    err);
	free(path);
	path = xasprintf("%s/xslt/lote-tiss-%s.xsl", datadir, g->versao);
	if ((g->to_tiss = xml_xslt_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, "cannot load '%s': %s", path, err);
	free(path);
}

static void
free_gen(struct gen *g)
{
	xsltFreeStylesheet(g->to_tiss);
	xmlSchemaFree(g->schema);
	free(g->registro_ans);
	free(g->versao);
	free(g->hash_encoding);
}

static int
worse(int a, int b)
{
	if (a == EXIT_OK || (a == EXIT_DATAERR && b != EXIT_OK))
		return b;
	return a;
}

/*
 * Worker k of n: generate the lotes whose position is k modulo n, with
 * its own database connection (SQLite connections must not cross fork).
 */
static int
work(const char *dir, const struct gen *g, const long long *ids, long nids,
    int k, int n)
{
	struct ws ws;
	long i;
	int ret = EXIT_OK;

	ws_open(&ws, dir);
	for (i = k; i < nids; i += n)
		ret = worse(ret, generate(&ws, g, ids[i]));
	ws_close(&ws);
	return ret;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-xml [-C dir] [-qv] [-j jobs] [-p prestador] "
	    "[--lote n]... [--intermediate dir]\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "intermediate", required_argument, NULL, 'i' },
		{ "lote", required_argument, NULL, 'l' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *prest = NULL, **named = NULL;
	long long *ids = NULL;
	long nids = 0;
	struct gen g;
	struct ws ws;
	sqlite3_stmt *st;
	int ch, i, nnamed = 0, jobs = 0, level = LOG_NORMAL, ret = EXIT_OK;
	int status, k;
	pid_t *pids;

	memset(&g, 0, sizeof(g));
	while ((ch = getopt_long(argc, argv, "C:hj:p:qv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'i':
			g.intermediate = optarg;
			break;
		case 'j':
			jobs = atoi(optarg);
			if (jobs < 1)
				usage();
			break;
		case 'l':
			named = xrealloc(named, (size_t)(nnamed + 1) * sizeof(*named));
			named[nnamed++] = optarg;
			break;
		case 'p':
			prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'v':
			level++;
			break;
		default:
			usage();
		}
	}
	if (optind != argc)
		usage();
	log_init("tiss-xml", level);
	xml_init();
	dir = ws_dir(dir);
	ws_open(&ws, dir);
	load_gen(&g, &ws);

	st = db_prepare(ws.db, "SELECT id, status FROM lote WHERE "
	    "(?1 IS NULL OR codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR numeroLote = ?2) AND (?2 IS NOT NULL OR status = "
	    "'fechado') ORDER BY codigoPrestadorNaOperadora, numeroLote");
	for (i = 0; i < (nnamed ? nnamed : 1); i++) {
		int found = 0;

		sqlite3_reset(st);
		db_bind_text(st, 1, prest);
		if (nnamed)
			sqlite3_bind_int64(st, 2, atoll(named[i]));
		else
			sqlite3_bind_null(st, 2);
		while (db_step(ws.db, st) == SQLITE_ROW) {
			found = 1;
			if (strcmp(db_col_text(st, 1), "fechado") != 0) {
				log_notice("lote %s is %s, not fechado: %s",
				    named[i], db_col_text(st, 1),
				    strcmp(db_col_text(st, 1), "aberto") == 0 ?
				    "close it first" : "nothing to do");
				continue;
			}
			ids = xrealloc(ids, (size_t)(nids + 1) * sizeof(*ids));
			ids[nids++] = sqlite3_column_int64(st, 0);
		}
		if (nnamed && !found) {
			log_error("no lote numbered '%s'", named[i]);
			ret = EXIT_NOINPUT;
		}
	}
	sqlite3_finalize(st);
	ws_close(&ws);

	if (jobs == 0)
		jobs = (int)sysconf(_SC_NPROCESSORS_ONLN);
	if (jobs > nids)
		jobs = nids > 0 ? (int)nids : 1;
	fflush(stdout);
	if (jobs == 1)
		ret = worse(ret, work(dir, &g, ids, nids, 0, 1));
	else {
		pids = xcalloc((size_t)jobs, sizeof(*pids));
		for (k = 0; k < jobs; k++) {
			if ((pids[k] = fork()) < 0)
				fatal(EXIT_SOFTWARE, "fork: %s", strerror(errno));
			if (pids[k] == 0) {
				status = work(dir, &g, ids, nids, k, jobs);
				exit(close_stdout(status));
			}
		}
		for (k = 0; k < jobs; k++) {
			if (waitpid(pids[k], &status, 0) < 0 ||
			    !WIFEXITED(status))
				ret = worse(ret, EXIT_SOFTWARE);
			else
				ret = worse(ret, WEXITSTATUS(status));
		}
		free(pids);
	}
	log_info("%ld lote%s processed by %d worker%s", nids,
	    nids == 1 ? "" : "s", jobs, jobs == 1 ? "" : "s");
	free_gen(&g);
	xml_cleanup();
	free(ids);
	free(named);
	return close_stdout(ret);
}
