/*
 * tiss-fetch: load completed authorizations from the operator's
 * e-Autorizador (the manual's Carregar Guias).
 *
 * Asks [eautorizador] url for the authorizations of a prestador whose
 * procedures were executed in a period of at most one month, page by
 * page (docs/eautorizador.md; schema xsd/eautorizador-v1.xsd), or reads
 * an exported answer with --from-file.  Every page is read by
 * common/eaut.c (safe parser, schema, the entry rules of every value)
 * before anything is used; one bad page and nothing is stored.  Then, in
 * one transaction, each concluded or abandoned authorization (or those
 * chosen with --only) becomes a guide of origin 'eautorizador', keyed by
 * prestador and numeroGuiaOperadora: new ones are inserted, changed ones
 * updated field by field with an audit row each, and a guide already in
 * a lote is never touched.  A guide so stored is left unvalidated
 * (validadoEm NULL) in that transaction; every run then validates every
 * such guide, so the next run finishes what a kill interrupted.
 *
 * Exit: 0 done, 64 usage (a period longer than a month), 65 some chosen
 * authorization could not be loaded or a bad --from-file, 66 --from-file
 * missing, 69 the server refuses (HTTP 4xx) or TLS fails, 75 no answer
 * after the retries, 76 a bad answer, 77 credentials refused or a secret
 * too open, 78 configuration.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/datadir.h"
#include "common/db.h"
#include "common/eaut.h"
#include "common/exitcodes.h"
#include "common/gto.h"
#include "common/guide.h"
#include "common/http.h"
#include "common/i18n.h"
#include "common/ifile.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/profile.h"
#include "common/secret.h"
#include "common/state.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"
#include "common/xml.h"

static const char usage_text[] =
    "tiss-fetch [-qvV] [-C dir] [-p prestador] --de data --ate data\n"
    "           [--tipo odonto] [--list | --only n,...]\n"
    "       tiss-fetch [-qvV] [-C dir] --from-file file.xml [--list | --only n,...]\n";

struct fetch {
	struct ws ws;
	const char *prest;	/* prestador asked for, or the file's */
	const char *de_arg, *ate_arg, *file;	/* as given */
	char	 de[11], ate[11];
	int	 list_only;	/* --list */
	char	**only;		/* numeroGuiaOperadora chosen, or NULL */
	int	 nonly;
	int	*only_seen;
	xmlSchemaPtr schema;
	struct guide_sql q;	/* the guide statements */
	struct eaut_page *pages;
	int	 npages;
	const char *origin;	/* URL or file, for the guides' origem */
};

/* ---- reading pages ------------------------------------------------------ */

/*
 * Read one page (eaut_read) and check it is the one asked for: page
 * want_page (0: any) of prestador f->prest (NULL: any).  Returns 0 with
 * the page added, or -1 after logging what is wrong with it.
 */
static int
add_page(struct fetch *f, const char *data, size_t n, const char *where,
    int want_page)
{
	struct eaut_page p;
	char err[1024];

	if (eaut_read(data, n, f->schema, &p, err, sizeof(err)) != 0) {
		log_error(_("%s: %s; nothing was stored: ask the "
		    "e-Autorizador's operator to correct the answer"), where,
		    err);
		return -1;
	}
	if (want_page > 0 && p.pagina != want_page) {
		log_error(_("%s: page %d came when page %d was asked; nothing "
		    "was stored"), where, p.pagina, want_page);
		eaut_page_release(&p);
		return -1;
	}
	if (f->prest && strcmp(p.prestador, f->prest) != 0) {
		log_error(_("%s: the answer is for prestador %s, not %s; "
		    "nothing was stored"), where, p.prestador, f->prest);
		eaut_page_release(&p);
		return -1;
	}
	f->pages = xrealloc(f->pages, (size_t)(f->npages + 1) *
	    sizeof(*f->pages));
	f->pages[f->npages++] = p;
	return 0;
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

	if (url == NULL)
		fatal(EXIT_CONFIG, _("%s: set [eautorizador] url to the "
		    "e-Autorizador's address (https://...), or load an "
		    "exported file with --from-file"), f->ws.cfg.path);
	profile_check_url(&f->ws, "eautorizador", "url", url);
	profile_net_load(&net, &f->ws, "eautorizador");
	password = secret_read(&f->ws, sname ? sname : "eautorizador");
	http_open(&h, &net.http);
	f->origin = url;
	while (page <= paginas && ret == EXIT_OK) {
		full = xasprintf("%s%sprestador=%s&de=%s&ate=%s&tipo=odonto&"
		    "pagina=%d", url, strchr(url, '?') ? "&" : "?", f->prest,
		    f->de, f->ate, page);
		snprintf(where, sizeof(where), _("page %d"), page);
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
			log_error(_("%s of %s: %s; nothing was stored"), where,
			    url, a.error);
		} else if (add_page(f, a.body.data ? a.body.data : "",
		    a.body.len, where, page) != 0)
			ret = EXIT_PROTOCOL;
		else
			paginas = f->pages[f->npages - 1].paginas;
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

/* ---- storing ------------------------------------------------------------- */

/* The procedures of g as one text, to see whether they changed. */
static void
procs_text(const struct guide *g, struct buf *out)
{
	const char *v;
	int i, f;

	for (i = 0; i < g->nprocs; i++) {
		for (f = 0; f < gto_nfields; f++)
			if (gto_fields[f].level == GTO_PROC) {
				v = guide_proc_get(g, i, f);
				buf_adds(out, v ? v : "");
				buf_addc(out, '|');
			}
		buf_addc(out, '\n');
	}
	buf_addc(out, '\0');
}

enum result { NEW, CHANGED, SAME, LOCKED, CONFLICT };

/* Insert a new guide (status: the column's default, incompleto). */
static enum result
store_new(struct fetch *f, struct eaut_auth *a)
{
	struct guide_origin o = { "eautorizador", f->origin, 0, 0, NULL };
	char stamp[32];

	time_iso(stamp);
	o.stamp = stamp;
	if (guide_insert(&f->q, &a->g, &o) == 0)
		return CONFLICT;
	guide_insert_procs(&f->q, &a->g);
	db_audit(f->ws.db, a->g.id, "*", NULL, "carregada do e-Autorizador",
	    "tiss-fetch");
	return NEW;
}

/* Apply the guide values g carries to stored guide old; whether any. */
static int
store_guide_values(struct fetch *f, const struct guide *g,
    const struct guide *old)
{
	const char *v, *was;
	int k, changed = 0;

	for (k = 0; k < gto_nfields; k++) {
		if (gto_fields[k].level != GTO_GUIA)
			continue;
		v = guide_get(g, k);
		was = guide_get(old, k);
		/* A value the answer lacks may be the clerk's: kept. */
		if (v == NULL || (was && strcmp(was, v) == 0))
			continue;
		guide_update_field(&f->q, old->id, k, v);
		db_audit(f->ws.db, old->id, gto_fields[k].name, was, v,
		    "tiss-fetch");
		changed = 1;
	}
	return changed;
}

/* Apply what the authorization carries to guide id, audited. */
static enum result
store_changes(struct fetch *f, struct eaut_auth *a, long long id)
{
	struct buf before = { 0 }, after = { 0 };
	struct guide old;
	int changed;

	guide_init(&old);
	guide_load(&f->q, id, &old, 1);
	changed = store_guide_values(f, &a->g, &old);
	procs_text(&a->g, &after);
	procs_text(&old, &before);
	if (a->g.nprocs > 0 && strcmp(before.data, after.data) != 0) {
		guide_delete_procs(&f->q, id);
		a->g.id = id;
		guide_insert_procs(&f->q, &a->g);
		db_audit(f->ws.db, id, "procedimentos", before.data,
		    after.data, "tiss-fetch");
		changed = 1;
	}
	if (changed) {
		/* Not valid until validated again (validate_stored). */
		state_guia_set(f->ws.db, id, GUIA_INCOMPLETO, 0);
		db_run(f->ws.db, "UPDATE guia SET validadoEm = NULL WHERE id = ?",
		    "i", id);
	}
	guide_release(&old);
	buf_release(&before);
	buf_release(&after);
	return changed ? CHANGED : SAME;
}

/* Store one authorization; what happened, and why in why. */
static enum result
store(struct fetch *f, struct eaut_auth *a, char *why, size_t len)
{
	sqlite3_stmt *st = db_prepare(f->ws.db, "SELECT id, lote_id, status "
	    "FROM guia WHERE codigoPrestadorNaOperadora = ? AND "
	    "numeroGuiaOperadora = ?");
	const char *num = guide_get(&a->g, GF_numeroGuiaPrestador);
	long long id;

	db_bind_text(st, 1, f->prest);
	db_bind_text(st, 2, guide_get(&a->g, GF_numeroGuiaOperadora));
	if (db_step(f->ws.db, st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		if (store_new(f, a) != CONFLICT)
			return NEW;
		snprintf(why, len, _("guide %s of prestador %s already exists "
		    "with another numeroGuiaOperadora (typed or imported); not "
		    "loaded: correct one of them"), num, f->prest);
		return CONFLICT;
	}
	id = sqlite3_column_int64(st, 0);
	if (sqlite3_column_type(st, 1) != SQLITE_NULL) {
		snprintf(why, len, _("%s: it is %s, in a lote; not changed"),
		    num, db_col_text(st, 2));
		sqlite3_finalize(st);
		return LOCKED;
	}
	sqlite3_finalize(st);
	return store_changes(f, a, id);
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

/*
 * Validate every guide tiss-fetch stored that was not validated since
 * (validadoEm NULL, not in a lote): this run's and a killed run's.
 */
static void
validate_stored(struct fetch *f)
{
	struct val_stats vst;
	sqlite3_stmt *st = db_prepare(f->ws.db, "SELECT id FROM guia WHERE "
	    "origem = 'eautorizador' AND validadoEm IS NULL AND lote_id IS "
	    "NULL ORDER BY id");
	long long *ids = NULL;
	struct val_ctx vctx;
	int n = 0, i;

	while (db_step(f->ws.db, st) == SQLITE_ROW) {
		ids = xrealloc(ids, (size_t)(n + 1) * sizeof(*ids));
		ids[n++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	memset(&vst, 0, sizeof(vst));
	val_ctx_init(&vctx, &f->ws, "tiss-fetch");
	if (n > 100)	/* many: all not in a lote, 2000 a transaction */
		val_guides(&f->ws, &vctx, 0, &vst);
	for (i = 0; n <= 100 && i < n; i++)
		val_guides(&f->ws, &vctx, ids[i], &vst);
	val_ctx_release(&vctx);
	free(ids);
	if (n > 0)
		log_notice(_("validated %ld guide%s: %ld completo, %ld incompleto "
		    "(tiss-guia list --status incompleto)"), vst.checked,
		    vst.checked == 1 ? "" : "s", vst.complete,
		    vst.checked - vst.complete);
}

/*
 * Store one loadable authorization (or say why it is skipped); counts
 * what happened.  Returns an exit code.
 */
static int
load_one(struct fetch *f, struct eaut_auth *a, long counts[6])
{
	static const char *const names[] = { "nova", "alterada", "igual",
	    "em lote", "conflito" };
	char why[512];
	enum result r;

	const char *opnum = guide_get(&a->g, GF_numeroGuiaOperadora);

	if (f->nonly && !chosen(f, opnum))
		return EXIT_OK;
	if (strcmp(a->situacao, "concluida") != 0 &&
	    strcmp(a->situacao, "abandonada") != 0) {
		counts[5]++;
		if (f->nonly == 0)
			return EXIT_OK;
		log_error(_("authorization %s is %s: only a concluded or "
		    "abandoned one is billed"), opnum, a->situacao);
		return EXIT_DATAERR;
	}
	r = store(f, a, why, sizeof(why));
	counts[r]++;
	printf("%s %s: %s\n", opnum, guide_get(&a->g, GF_numeroGuiaPrestador),
	    names[r]);
	if (r == CONFLICT) {
		log_error("%s", why);
		return EXIT_DATAERR;
	}
	if (r == LOCKED)
		log_notice("%s", why);
	return EXIT_OK;
}

/* Load (or list) the authorizations of every page; an exit code. */
static int
load(struct fetch *f)
{
	long counts[6] = { 0 }, total = 0;
	int p, i, ret = EXIT_OK;

	for (p = 0; p < f->npages; p++)
		total += f->pages[p].nauths;
	if (f->list_only) {
		printf(P_("%ld authorization found\n",
		    "%ld authorizations found\n", total), total);
		for (p = 0; p < f->npages; p++)
			for (i = 0; i < f->pages[p].nauths; i++)
				eaut_print(stdout, &f->pages[p].auths[i]);
		return EXIT_OK;
	}
	guide_sql_init(&f->q, f->ws.db);
	db_exec(f->ws.db, "BEGIN IMMEDIATE");
	for (p = 0; p < f->npages; p++)
		for (i = 0; i < f->pages[p].nauths; i++)
			ret = exit_worse(ret, load_one(f,
			    &f->pages[p].auths[i], counts));
	for (i = 0; i < f->nonly; i++)
		if (!f->only_seen[i]) {
			log_error(_("authorization %s is not in the answer"),
			    f->only[i]);
			ret = exit_worse(ret, EXIT_DATAERR);
		}
	db_exec(f->ws.db, "COMMIT");
	guide_sql_release(&f->q);
	log_notice(_("%ld found: %ld new, %ld changed, %ld unchanged, %ld in a "
	    "lote, %ld conflicts, %ld not concluded"), total, counts[NEW],
	    counts[CHANGED], counts[SAME], counts[LOCKED], counts[CONFLICT],
	    counts[5]);
	return ret;
}

/* ---- main ----------------------------------------------------------------- */

static void
check_period(struct fetch *f)
{
	const char *why;

	if (f->de_arg == NULL || f->ate_arg == NULL)
		fatal(EXIT_USAGE, _("say the period with --de and --ate (dates "
		    "dd/mm/aaaa), or load an exported file with --from-file"));
	if ((why = parse_period(f->de_arg, f->ate_arg, f->de, f->ate)) != NULL)
		fatal(EXIT_USAGE, _("--de %s --ate %s: %s"), f->de_arg,
		    f->ate_arg, why);
}

/* --only A,B: the numbers in their canonical form; exits 64 on a bad one. */
static void
split_only(struct fetch *f, const char *arg)
{
	char *copy = xstrdup(arg), *tok, *save = NULL, out[32];
	const char *canon, *why;
	size_t n;

	for (tok = strtok_r(copy, ",", &save); tok;
	    tok = strtok_r(NULL, ",", &save)) {
		n = strlen(tok);
		tok = (char *)gto_trim(tok, &n);
		tok[n] = '\0';
		if (n == 0)
			continue;
		if ((why = gto_canonical(GF_numeroGuiaOperadora, tok, out,
		    &canon)) != NULL)
			fatal(EXIT_USAGE, _("--only: numeroGuiaOperadora '%s': "
			    "%s"), tok, why);
		f->only = xrealloc(f->only, (size_t)(f->nonly + 1) *
		    sizeof(*f->only));
		f->only[f->nonly++] = xstrdup(canon);
	}
	free(copy);
	f->only_seen = xcalloc((size_t)f->nonly + 1, sizeof(int));
}

static int
option(int ch, const char *arg, void *ctx)
{
	struct fetch *f = ctx;

	switch (ch) {
	case 'a': f->ate_arg = arg; break;
	case 'd': f->de_arg = arg; break;
	case 'f': f->file = arg; break;
	case 'l': f->list_only = 1; break;
	case 'o': split_only(f, arg); break;
	case 't':
		if (strcmp(arg, "odonto") != 0)
			fatal(EXIT_USAGE, _("--tipo %s: only odonto (GTO) "
			    "guides are billed here"), arg);
		break;
	default:
		return -1;
	}
	return 0;
}

/* The prestador asked for goes into the URL: a valid code, or exit. */
static void
check_prestador(const char *p, int from_cfg)
{
	char out[32];
	const char *canon, *why;

	if (p && (why = gto_canonical(GF_codigoPrestadorNaOperadora, p, out,
	    &canon)) != NULL)
		fatal(from_cfg ? EXIT_CONFIG : EXIT_USAGE, "%s '%s': %s",
		    from_cfg ? "[eautorizador] prestador" : "-p", p, why);
}

static void
load_schema(struct fetch *f)
{
	char err[512], *path = datadir_path("xsd/eautorizador-v1.xsd");

	if ((f->schema = xml_schema_load(path, err, sizeof(err))) == NULL)
		fatal(EXIT_CONFIG, _("cannot load '%s': %s"), path, err);
	free(path);
}

/* An exported answer: the file says whose authorizations these are. */
static int
from_file(struct fetch *f)
{
	struct buf data = { 0 };
	int rc;

	if (ifile_read(f->file, &data, 0) != 0)
		fatal(EXIT_NOINPUT, _("cannot read '%s': %s"),
		    ifile_shown(f->file), strerror(errno));
	rc = add_page(f, data.data ? data.data : "", data.len,
	    ifile_shown(f->file), 0);
	buf_release(&data);
	if (rc != 0)
		return EXIT_DATAERR;
	f->origin = ifile_recorded(f->file);	/* "-": ifile.h */
	f->prest = f->pages[0].prestador;
	return load(f);
}

int
main(int argc, char *argv[])
{
	struct fetch f = { 0 };
	const struct cli_spec spec = { .name = "tiss-fetch",
	    .usage = usage_text,
	    .options = "ate=a: de=d: from-file=f: list=l only=o: tipo=t:",
	    .option = option, .ctx = &f };
	struct cli c;
	int ret, i;

	cli_parse(&c, &spec, argc, argv);
	if (f.list_only && f.nonly)
		cli_usage(&spec);
	if (f.file == NULL)
		check_period(&f);
	xml_init();
	ws_open(&f.ws, ws_dir(c.workspace));
	f.prest = c.prestador ? c.prestador :
	    cfg_get(&f.ws.cfg, "eautorizador", "prestador");
	check_prestador(f.prest, c.prestador == NULL);
	load_schema(&f);
	if (f.file != NULL)
		ret = from_file(&f);
	else {
		if (f.prest == NULL)
			fatal(EXIT_USAGE, _("say which prestador with "
			    "--prestador, or set [eautorizador] prestador"));
		ret = fetch_pages(&f);
		if (ret == EXIT_OK)
			ret = load(&f);
	}
	if (!f.list_only)
		validate_stored(&f);
	for (i = 0; i < f.npages; i++)
		eaut_page_release(&f.pages[i]);
	free(f.pages);
	for (i = 0; i < f.nonly; i++)
		free(f.only[i]);
	free(f.only);
	free(f.only_seen);
	xmlSchemaFree(f.schema);
	ws_close(&f.ws);
	xml_cleanup();
	return close_stdout(ret);
}
