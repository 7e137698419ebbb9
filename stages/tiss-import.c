/*
 * tiss-import: load dental guides typed by hand (CSV) into the workspace.
 *
 * Reads CSV files named on the command line ("-": stdin), or the hot folder
 * inbox/ with --inbox.  One row per executed procedure; rows with the same
 * codigoPrestadorNaOperadora and numeroGuiaPrestador form one guide.
 * Columns are TISS names or the GTO form's labels (gsheet.h); a file with
 * the "Chave" column is an export of tiss-guia filled in: its rows change
 * only the cells filled or changed (gsheet_rt).  --modelo writes the empty
 * template.  What was imported is validated at once.
 *
 * A file is imported all or nothing, in one transaction; every problem
 * is printed as FILE:LINE:COLUMN: campo: message and the file is
 * rejected.  Missing billing data is no problem here: it becomes a
 * pendência.  A guide in a lote is never touched (with --replace or a
 * re-imported export it is skipped with a warning, the rest imported).
 *
 * Exit: 0 done (also files skipped as already imported), 64 usage, 65 some
 * file rejected (in the hot folder also a file that could not be read,
 * quarantined), 66 a file operand missing, 74 I/O error, 75 another import
 * is running or the database is busy, 78 not a workspace.
 */
#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cfg.h"
#include "common/cli.h"
#include "common/csv.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/gsel.h"
#include "common/gsheet.h"
#include "common/guide.h"
#include "common/gto.h"
#include "common/ifile.h"
#include "common/i18n.h"
#include "common/importacao.h"
#include "common/inbox.h"
#include "common/log.h"
#include "common/profile.h"
#include "common/progress.h"
#include "common/state.h"
#include "common/text.h"
#include "common/validate.h"
#include "common/util.h"
#include "common/ws.h"

#define FIELD_MAX	4096		/* bytes in one field; TISS's longest is 500 chars */
#define ROW_MAX		65536		/* bytes in one row */
#define IMPORT_SKIPPED	(-1)		/* same bytes already imported */

static long imported, touched;		/* files imported; stored guides changed */
static struct val_ctx vctx;		/* the rules, for every file */
static struct val_stats validated;	/* guides checked, files committed */
static long long first_import;		/* this run's first importacao id */
static long long last_id;		/* the last guide before the run */

struct options {
	int	 replace;		/* --replace */
	int	 ignore_unknown;	/* --ignore-unknown */
	int	 inbox;			/* --inbox */
	int	 encoding;		/* ENC_AUTO unless --encoding */
	long	 min_age;		/* --min-age, seconds; -1 from tiss.conf */
	const char *enc_name;		/* --encoding as given */
	const char *prestador;		/* -p: only this prestador's rows */
	int	 modelo;		/* --modelo */
};

struct importer {
	struct ws *ws;
	const struct options *opt;
	const char *name;		/* file name for messages, escaped */
	struct csvin csv;		/* the reader; reports the problems */
	struct guide_cols cols;		/* header: columns to fields */
	long	 line;			/* line of the current row */
	int	 header_done;
	struct guide row;		/* the current row: guide values, one procedure */
	struct guide cur;		/* the guide being assembled */
	int	 active, skip, dirty;	/* cur: exists, rows ignored, changed */
	int	 fresh;			/* cur: new, all of it in memory */
	int	 taken;			/* cur is the row: its procedure too */
	int	 nitems;		/* cur: procedures so far */
	long	 nrows, nguides, nprocs;
	struct progress pg;		/* rows read, on a terminal */
	struct guide_origin origin;	/* csv, this file, row line, import id */
	struct guide_sql q;
	struct guide orig;		/* --replace: the stored guide */
	int	 roundtrip;		/* the file has a Chave column */
	struct gsheet_rt rt;		/* its merge */
	char	 source[300];		/* for the audit */
	struct val_one *vo;		/* checks each new guide as stored */
	struct val_stats vst;		/* what it found in this file */
};

/* Write the guide, new (kept to its last row: val_one_insert) or completed. */
static void
flush_guide(struct importer *im)
{
	if (im->active && !im->skip && im->fresh)
		val_one_insert(im->vo, &im->q, &im->cur, &im->origin,
		    im->csv.nproblems ? NULL : &im->vst);
	else if (im->active && !im->skip && im->dirty)
		guide_update(&im->q, &im->cur, im->cur.id, im->origin.stamp);
	guide_reset(&im->cur);
	im->active = im->skip = im->dirty = im->fresh = im->nitems = 0;
}

/* --replace: the file's version of guide g wins (gsheet_replace). */
static void
replace_guide(struct importer *im, const struct guide_found *g,
    const char *before)
{
	char here[512];

	snprintf(here, sizeof(here), "imported from %s line %ld",
	    im->origin.arquivo, im->line);
	db_audit(im->ws->db, g->id, "*", before, here, "tiss-import --replace");
	im->cur.id = g->id;
	guide_unvalidated(&im->q, g->id);
	if (gsheet_replace(&im->q, &im->orig, &im->cur, &im->row, here,
	    im->origin.stamp))
		log_warn(_("%s:%ld: guide %s: its %d stored procedures are "
		    "replaced by the file's (the old ones stay in the audit "
		    "trail)"), im->name, im->line, guide_get(&im->cur,
		    GF_numeroGuiaPrestador), im->orig.nprocs);
	else
		im->nitems = guide_max_item(&im->q, g->id);
	guide_set_origin(&im->q, g->id, &im->origin);
	im->nguides++;
}

/* The current row's guide exists (g): merge, refuse or replace it. */
static void
existing_guide(struct importer *im, const struct guide_found *found,
    const char *prest, const char *num)
{
	struct guide_found g = *found;
	char origin[512];
	int col, inlote;

	if (g.importacao == im->origin.importacao) {
		/* Rows of this guide seen earlier in this same file. */
		guide_unvalidated(&im->q, g.id);
		guide_load(&im->q, g.id, &im->cur, 0);
		im->nitems = guide_max_item(&im->q, g.id);
		im->dirty = guide_cols_merge(&im->cols, &im->csv, &im->cur,
		    &im->row);
		return;
	}
	guide_found_describe(&g, origin, sizeof(origin));
	col = im->cols.fieldcol[GF_numeroGuiaPrestador] + 1;
	im->skip = 1;
	inlote = strcmp(g.status, "incompleto") != 0 &&
	    strcmp(g.status, "completo") != 0;
	if (inlote && im->opt->replace)
		log_warn(_("%s:%ld: guide %s of prestador %s skipped: it is %s "
		    "(%s); an import never changes a guide in a lote; the other "
		    "guides are imported"), im->name, im->line, num,
		    prest, g.status, origin);
	else if (inlote)
		csvin_problem(&im->csv, im->line, col, "numeroGuiaPrestador",
		    _("guide %s of prestador %s is already in a lote (status "
		    "%s, %s); an import never changes it: remove these rows"),
		    num, prest, g.status, origin);
	else if (!im->opt->replace)
		csvin_problem(&im->csv, im->line, col, "numeroGuiaPrestador",
		    _("guide %s of prestador %s already exists (%s); give "
		    "--replace to replace it, or remove these rows"), num,
		    prest, origin);
	else {
		im->skip = 0;
		replace_guide(im, &g, origin);
	}
}

/* Start a new guide with the current row. */
static void
start_guide(struct importer *im, const char *prest, const char *num)
{
	struct guide_found g;
	struct guide t;

	im->active = 1;
	im->origin.linha = im->line;
	if (guide_find(&im->q, prest, num, &g) == 0) {
		/* New: the row becomes the guide (cur is empty), uncopied. */
		t = im->cur;
		im->cur = im->row;
		im->row = t;
		im->taken = 1;
		im->nguides++;
		im->fresh = 1;	/* stored by flush_guide */
	} else {
		guide_copy_fields(&im->cur, &im->row, im->line);
		touched = 1;
		existing_guide(im, &g, prest, num);
	}
}

static void
insert_proc(struct importer *im)
{
	if (im->taken) {	/* the row's procedure is cur's first */
		im->taken = 0;
		if (guide_proc_empty(&im->cur, 0))
			im->cur.nprocs = 0;
		else {
			im->nprocs++;
			im->cur.procs[0].item = ++im->nitems;
		}
		return;
	}
	if (guide_proc_empty(&im->row, 0))
		return;		/* a row with guide data only */
	im->nprocs++;
	if (im->fresh)	/* stored by flush_guide */
		guide_copy_proc(&im->cur, &im->row, 0)->item = ++im->nitems;
	else
		guide_insert_proc(&im->q, &im->row, 0, im->cur.id,
		    ++im->nitems);
}

/* The row's shape is right and it names its guide; else a problem. */
static int
row_ok(struct importer *im, const struct csvin_row *r)
{
	const char *p;
	int f;

	if (r->too_many || r->nf != im->cols.ncols) {
		csvin_problem(&im->csv, im->line, 0, "row", r->too_many ?
		    _("more than %d fields but the header has %d; check the "
		    "separator and the quoting") : _("%d fields but the header "
		    "has %d; check the separator and the quoting"), r->nf,
		    im->cols.ncols);
		return 0;
	}
	if (r->too_long) {
		csvin_problem(&im->csv, im->line, 0, "row", _("longer than %d "
		    "bytes"), ROW_MAX);
		return 0;
	}
	if (guide_cols_row(&im->cols, &im->csv, r, &im->row) != 0)
		return 0;
	if (im->roundtrip)
		return 1;	/* the key names the guide */
	f = GF_codigoPrestadorNaOperadora;
	if ((p = guide_get(&im->row, f)) == NULL ||
	    guide_get(&im->row, f = GF_numeroGuiaPrestador) == NULL) {
		csvin_problem(&im->csv, im->line, im->cols.fieldcol[f] + 1,
		    gto_fields[f].name, _("empty, but every row needs it to know "
		    "which guide it belongs to"));
		return 0;
	}
	if (im->opt->prestador && strcmp(p, im->opt->prestador) != 0) {
		f = GF_codigoPrestadorNaOperadora;
		csvin_problem(&im->csv, im->line, im->cols.fieldcol[f] + 1,
		    "codigoPrestadorNaOperadora", _("'%s' is not the "
		    "prestador given with -p (%s)"), p, im->opt->prestador);
		return 0;
	}
	return 1;
}

static int
on_row(struct csvin *csv __attribute__((unused)), const struct csvin_row *r,
    void *ctx)
{
	struct importer *im = ctx;
	const char *prest, *num;

	im->line = r->line;
	if (r->blank)
		return 0;	/* blank or all-separator line */
	if (!im->header_done) {
		im->header_done = 1;
		if (guide_cols_header(&im->cols, &im->csv, r) != 0)
			im->csv.stopped = 1;
		im->roundtrip = im->cols.allow_clear = im->cols.keycol >= 0;
		touched |= im->roundtrip;
		return im->csv.stopped;
	}
	im->nrows++;
	progress_add(&im->pg, 1);
	if (!row_ok(im, r))
		return im->csv.stopped;
	if (im->roundtrip) {
		gsheet_rt_row(&im->rt, &im->cols, &im->csv, &im->row,
		    im->line);
		return im->csv.stopped;
	}
	prest = guide_get(&im->row, GF_codigoPrestadorNaOperadora);
	num = guide_get(&im->row, GF_numeroGuiaPrestador);
	if (im->active &&
	    strcmp(guide_get(&im->cur, GF_codigoPrestadorNaOperadora),
	    prest) == 0 &&
	    strcmp(guide_get(&im->cur, GF_numeroGuiaPrestador), num) == 0) {
		if (!im->skip && guide_cols_merge(&im->cols, &im->csv,
		    &im->cur, &im->row))
			im->dirty = 1;
	} else {
		flush_guide(im);
		start_guide(im, prest, num);
	}
	if (!im->skip)
		insert_proc(im);
	return im->csv.stopped;
}

/* Read the file through the CSV reader; EXIT_OK, or EXIT_IOERR logged. */
static int
read_csv(struct importer *im, int fd)
{
	struct csvin *r = &im->csv;
	enum csvin_result res;

	r->encoding = im->opt->encoding;
	r->field_max = im->cols.field_max = FIELD_MAX;
	r->row_max = ROW_MAX;
	r->columns_max = GUIDE_COLUMNS_MAX;
	r->name = im->name;
	progress_start(&im->pg, _("rows read"), 0);
	res = csvin_read(r, fd, on_row, im);
	progress_end(&im->pg);
	if (res == CSVIN_EIO) {
		log_error(_("cannot read '%s': %s"), im->name, strerror(errno));
		return EXIT_IOERR;
	}
	if (res == CSVIN_EFORMAT)
		csvin_problem(r, r->err_line, 0, "row", "%s", r->err);
	if (!im->header_done && r->nproblems == 0)
		csvin_problem(r, 1, 0, "header", _("empty file: a header "
		    "row with the column names is expected"));
	return EXIT_OK;
}

/* End the file's transaction: commit, or roll back and record why. */
static int
finish(struct importer *im, const char *sha, int ret)
{
	int ok = im->csv.nproblems == 0;
	struct importacao_counts n = { im->nrows, im->nguides +
	    (ok ? im->rt.guides : 0), im->csv.nproblems };

	if (ret != EXIT_OK) {
		db_exec(im->ws->db, "ROLLBACK");
		return ret;
	}
	if (!importacao_finish(im->ws->db, im->origin.arquivo, sha, &n,
	    im->origin.importacao, im->origin.stamp, ok)) {
		log_error(P_("'%s' rejected: %ld problem, nothing imported "
		    "from it", "'%s' rejected: %ld problems, nothing imported "
		    "from it", im->csv.nproblems), im->name, im->csv.nproblems);
		return EXIT_DATAERR;
	}
	validated.checked += im->vst.checked;
	validated.complete += im->vst.complete;
	if (im->roundtrip)
		log_notice(_("'%s' imported: %ld guides changed (%ld values, in "
		    "the audit trail), %ld skipped because they are in a lote"),
		    im->name, im->rt.guides, im->rt.values, im->rt.skipped);
	else
		log_notice(_("'%s' imported: %ld rows, %ld guides, %ld "
		    "procedures (%s)"), im->name, im->nrows, im->nguides,
		    im->nprocs, text_encoding_name(im->csv.encoding ==
		    ENC_AUTO ? ENC_UTF8 : im->csv.encoding));
	imported++;
	return EXIT_OK;
}

/*
 * Import the open file fd.  name is what messages call it (escaped), rec
 * what the database records; reason, when not NULL, gets every problem.
 * Returns EXIT_OK, IMPORT_SKIPPED, EXIT_DATAERR (rejected, nothing
 * stored) or EXIT_IOERR (after logging; nothing stored).
 */
static int
import_fd(struct ws *ws, const struct options *opt, int fd, const char *name,
    const char *rec, struct buf *reason)
{
	struct importer im;
	char sha[65], stamp[32];
	int ret;

	if (sha256_file(fd, sha) != 0 || lseek(fd, 0, SEEK_SET) != 0) {
		log_error(_("cannot read '%s': %s"), name, strerror(errno));
		return EXIT_IOERR;
	}
	if (importacao_done(ws->db, name, sha))
		return IMPORT_SKIPPED;
	memset(&im, 0, sizeof(im));
	im.ws = ws;
	im.opt = opt;
	im.name = name;
	csvin_init(&im.csv);
	im.csv.reason = reason;
	guide_cols_init(&im.cols, opt->ignore_unknown);
	guide_init(&im.row);
	guide_init(&im.cur);
	guide_init(&im.orig);
	guide_sql_init(&im.q, ws->db);
	time_iso(stamp);
	db_bulk_begin(ws->db);	/* references by construction: unchecked */
	im.origin = (struct guide_origin){ "csv", rec, 0,
	    importacao_next_id(ws->db), stamp };
	if (first_import == 0)
		first_import = im.origin.importacao;
	im.vo = val_one_open(ws->db, &vctx, stamp);
	snprintf(im.source, sizeof(im.source), "tiss-import %s", rec);
	gsheet_rt_init(&im.rt, &im.q, im.source, stamp);
	ret = read_csv(&im, fd);
	flush_guide(&im);
	gsheet_rt_flush(&im.rt);
	gsheet_rt_release(&im.rt);
	val_one_close(im.vo);
	guide_sql_release(&im.q);
	ret = finish(&im, sha, ret);
	db_bulk_end(ws->db);
	csvin_release(&im.csv);
	guide_release(&im.row);
	guide_release(&im.cur);
	guide_release(&im.orig);
	guide_cols_release(&im.cols);
	return ret;
}

/* Import a file named on the command line ("-": standard input, ifile.h). */
static int
import_path(struct ws *ws, const struct options *opt, const char *path)
{
	struct buf shown = { 0 };
	struct stat sb;
	int fd, ret = EXIT_NOINPUT;

	text_escape(ifile_shown(path), &shown);
	buf_addc(&shown, '\0');
	if ((fd = ifile_open(path, O_NONBLOCK, 0)) < 0) {
		log_error(_("cannot open '%s': %s"), shown.data, strerror(errno));
		if (errno != ENOENT && errno != EACCES && errno != EBADF)
			ret = EXIT_IOERR;
	} else if (fstat(fd, &sb) != 0 || !S_ISREG(sb.st_mode))
		log_error(_("'%s' is not a regular file"), shown.data);
	else
		ret = import_fd(ws, opt, fd, shown.data, ifile_is_stdin(path) ?
		    IFILE_STDIN_RECORDED : shown.data, NULL);
	if (fd >= 0)
		close(fd);
	buf_release(&shown);
	return ret == IMPORT_SKIPPED ? EXIT_OK : ret;
}

/* Import one inbox file and file it away; returns its exit code. */
static int
inbox_one(struct ws *ws, const struct options *opt, struct inbox *ib,
    const struct inbox_file *f)
{
	struct buf reason = { 0 };
	const char *why;
	char whybuf[256];
	int fd, rc;

	if ((rc = inbox_claim(ib, f, &fd, whybuf, sizeof(whybuf), &why)) < 0)
		return EXIT_IOERR;
	if (rc == INBOX_GONE || rc == INBOX_WAIT)
		return EXIT_OK;
	if (rc == INBOX_CLAIMED) {
		rc = import_fd(ws, opt, fd, f->shown, f->shown, &reason);
		close(fd);
		if (rc == EXIT_OK || rc == IMPORT_SKIPPED) {
			buf_release(&reason);
			return inbox_done(ib, f) == 0 ? EXIT_OK : EXIT_IOERR;
		}
		if (rc == EXIT_IOERR)
			why = _("the file could not be read (an I/O error); "
			    "nothing imported from it");
	}
	if (why) {
		log_error(_("'%s' refused: %s; it goes to error/: put a "
		    "readable copy back in the inbox"), f->shown, why);
		buf_addf(&reason, "%s: %s\n", f->shown, why);
	}
	rc = inbox_reject(ib, f, reason.data ? reason.data : "", reason.len);
	buf_release(&reason);
	/* A rejected input, not a stopped chain: the other files go on. */
	return rc == 0 ? EXIT_DATAERR : EXIT_IOERR;
}

static int
import_inbox(struct ws *ws, const struct options *opt)
{
	char *dir = ws_path(ws, "inbox");
	struct inbox ib;
	struct inbox_file *list;
	size_t n, i;
	int ret = EXIT_OK;

	inbox_open(&ib, dir);
	ib.fmode = ws->fmode;	/* 0600, or 0640 for the clerks' group */
	inbox_recover(&ib);
	list = inbox_scan(&ib, opt->min_age, &n);
	for (i = 0; i < n; i++)
		ret = exit_worse(ret, inbox_one(ws, opt, &ib, &list[i]));
	if (n == 0)
		log_info(_("inbox: nothing to import"));
	inbox_files_free(list, n);
	inbox_close(&ib);
	free(dir);
	return ret;
}

/* ---- main ---------------------------------------------------------------- */

static int
option(int ch, const char *arg, void *ctx)
{
	struct options *opt = ctx;

	switch (ch) {
	case 'e': opt->enc_name = arg; break;
	case 'i': opt->inbox = 1; break;
	case 'M': opt->modelo = 1; break;
	case 'm':
		opt->min_age = cli_number("--min-age", arg, 0, 86400);
		break;
	case 'r': opt->replace = 1; break;
	case 'u': opt->ignore_unknown = 1; break;
	default: return -1;
	}
	return 0;
}

/* The settings tiss.conf gives when the command line does not. */
static void
configure(struct ws *ws, struct options *opt)
{
	struct profile prof;	/* validation needs it: checked before */

	profile_load(&prof, ws);
	val_ctx_init_profile(&vctx, ws, &prof, "tiss-import");
	opt->encoding = csvin_encoding_setting(&ws->cfg, opt->enc_name);
	if (opt->min_age < 0)
		opt->min_age = inbox_min_age(&ws->cfg);
	last_id = guide_last_id(ws->db);
}

int
main(int argc, char *argv[])
{
	struct options opt = { 0, 0, 0, ENC_AUTO, -1, NULL, NULL, 0 };
	const struct cli_spec spec = { .name = "tiss-import",
	    .usage = "tiss-import [-qv] [-C dir] [-p prestador] [--replace]\n"
	    "                   [--ignore-unknown] [--encoding enc] file ...\n"
	    "       tiss-import [-qv] [-C dir] [-p prestador] [--replace]\n"
	    "                   [--ignore-unknown] [--encoding enc]\n"
	    "                   [--min-age seconds] --inbox\n"
	    "       tiss-import --modelo > modelo.csv\n",
	    .options = "encoding=e: ignore-unknown=u inbox=i min-age=m: "
	    "modelo=M replace=r", .option = option, .ctx = &opt,
	    .max_operands = CLI_MANY };
	struct cli cli;
	struct ws ws;
	int i, ret = EXIT_OK;

	i = cli_parse(&cli, &spec, argc, argv);
	if (opt.modelo && i == argc && !opt.inbox) {
		gsheet_template(stdout);
		return close_stdout(EXIT_OK);
	}
	if ((opt.inbox && i < argc) || (!opt.inbox && i == argc))
		cli_usage(&spec);
	ifile_once(argv + i, argc - i);
	opt.prestador = cli.prestador;
	ws_open(&ws, ws_dir(cli.workspace));
	ws_lock(&ws, "import");
	configure(&ws, &opt);
	if (opt.inbox)
		ret = import_inbox(&ws, &opt);
	for (; i < argc; i++)
		ret = exit_worse(ret, import_path(&ws, &opt, argv[i]));
	/*
	 * At once (as tiss-fetch does), also after a crash.  Untouched, the
	 * guides after last_id are all this run's, checked as stored.
	 */
	if (imported || gsel_unvalidated(ws.db)) {
		val_guides_except(&ws, &vctx, first_import, touched ? 0 :
		    last_id + 1, &validated);
		log_notice(_("validated %ld guides: %ld completo, %ld "
		    "incompleto"), validated.checked, validated.complete,
		    validated.checked - validated.complete);
	}
	val_ctx_release(&vctx);
	ws_close(&ws);
	return close_stdout(ret);
}
