/*
 * tiss-tuss: load the ANS TUSS table 22 (procedimentos e eventos em
 * saúde) into the workspace, for tiss-validate to check procedure codes,
 * their validity on the day performed, and descriptions.
 *
 * Reads the ANS open-data CSV (UTF-8 with BOM, ';' separated: Código do
 * Termo; Termo; Data de início de vigência; Data de fim de vigência;
 * Data de fim de implantação; dates dd/mm/aaaa).  The loaded table
 * replaces the previous one, in one transaction; terms are keyed by code
 * and start of validity.
 *
 * Exit: 0 loaded, 64 usage, 65 the file is not such a table (every bad
 * line reported, nothing loaded), 66 file missing, 74 I/O error,
 * 75 database busy, 78 not a workspace.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "common/cli.h"
#include "common/csv.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/i18n.h"
#include "common/ifile.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/text.h"
#include "common/util.h"
#include "common/ws.h"

#define MAXF	8

struct loader {
	struct csvin csv;	/* the reader; reports the problems */
	sqlite3	*db;
	sqlite3_stmt *ins;
	const struct csvin_row *r;	/* the current row */
	char	*f[MAXF];	/* its fields, NUL-terminated, owned */
	long	 rows;
};

/* A TUSS date (dd/mm/aaaa, may be empty) into iso; 0 when valid. */
static int
tuss_date(struct loader *ld, int col, const char *what, char iso[11],
    int required)
{
	const char *v = ld->f[col], *why;

	if (v[0] == '\0') {
		if (!required)
			return 0;
		why = _("empty");
	} else if ((why = parse_date(v, iso)) == NULL)
		return 0;
	csvin_problem(&ld->csv, ld->r->f[col].line, col + 1, what, "'%s': %s",
	    v, why);
	return -1;
}

/* A data row: 4 or 5 fields, code and term not empty; 0 when so. */
static int
row_shape(struct loader *ld)
{
	struct csvin *c = &ld->csv;
	const struct csvin_row *r = ld->r;

	if (r->nf < 4 || r->nf > 5 || r->too_many) {
		csvin_problem(c, r->line, 0, "row", _("%d fields, expected 4 "
		    "or 5"), r->nf);
		return -1;
	}
	if (ld->f[0][0] == '\0' || ld->f[1][0] == '\0') {
		csvin_problem(c, r->line, ld->f[0][0] ? 2 : 1, ld->f[0][0] ?
		    "Termo" : "Código do Termo", _("empty"));
		return -1;
	}
	return 0;
}

static void
do_row(struct loader *ld)
{
	char ini[11], fim[11] = "", imp[11] = "";
	struct buf term = { 0 };
	const char *why;
	int bad;

	if (row_shape(ld) != 0)
		return;
	if ((why = text_to_utf8(ENC_UTF8, ld->f[1], strlen(ld->f[1]),
	    &term))) {
		csvin_problem(&ld->csv, ld->r->f[1].line, 2, "Termo", "%s",
		    why);
		buf_release(&term);
		return;
	}
	bad = tuss_date(ld, 2, "Data de início de vigência", ini, 1);
	bad |= tuss_date(ld, 3, "Data de fim de vigência", fim, 0);
	if (ld->r->nf == 5)
		bad |= tuss_date(ld, 4, "Data de fim de implantação", imp, 0);
	if (!bad) {
		sqlite3_reset(ld->ins);
		sqlite3_bind_text(ld->ins, 1, ld->f[0], -1, SQLITE_STATIC);
		sqlite3_bind_text(ld->ins, 2, term.data, -1, SQLITE_STATIC);
		sqlite3_bind_text(ld->ins, 3, ini, -1, SQLITE_STATIC);
		db_bind_text(ld->ins, 4, fim[0] ? fim : NULL);
		db_bind_text(ld->ins, 5, imp[0] ? imp : NULL);
		db_step(ld->db, ld->ins);
		ld->rows++;
	}
	buf_release(&term);
}

static int
on_row(struct csvin *c, const struct csvin_row *r, void *ctx)
{
	struct loader *ld = ctx;
	int i;

	if (r->nf == 1 && r->f[0].n == 0)
		return 0;	/* an empty line */
	ld->r = r;
	for (i = 0; i < r->nf && i < MAXF; i++)
		ld->f[i] = xstrndup(r->f[i].s ? r->f[i].s : "", r->f[i].n);
	if (r->line == 1) {
		/* The header: the first column names the code. */
		if (r->nf < 4 || strstr(ld->f[0], "digo do Termo") == NULL)
			csvin_problem(c, 1, 0, "header", _("expected 'Código "
			    "do Termo;Termo;Data de início de vigência;Data de "
			    "fim de vigência;...' (the ANS TUSS table 22 "
			    "CSV)"));
	} else
		do_row(ld);
	for (i = 0; i < r->nf && i < MAXF; i++)
		free(ld->f[i]);
	return c->stopped;
}

/* Read the table into the open transaction; -1 after a read error. */
static int
read_table(struct loader *ld, int fd, const char *path)
{
	enum csvin_result res;

	csvin_init(&ld->csv);
	ld->csv.name = path;
	ld->csv.sep = ';';
	ld->csv.columns_max = MAXF;
	res = csvin_read(&ld->csv, fd, on_row, ld);
	if (res == CSVIN_EIO)
		return -1;
	if (res == CSVIN_EFORMAT)
		csvin_problem(&ld->csv, ld->csv.err_line, 0, "row", "%s",
		    ld->csv.err);
	return 0;
}

/* load FILE ("-": standard input, ifile.h). */
static int
load(struct ws *ws, const char *file)
{
	struct loader ld;
	const char *path = ifile_shown(file);
	int fd, rc;

	if ((fd = ifile_open(file, 0, 0)) < 0) {
		log_error(_("cannot open '%s': %s"), path, strerror(errno));
		return EXIT_NOINPUT;
	}
	memset(&ld, 0, sizeof(ld));
	ld.db = ws->db;
	db_exec(ws->db, "BEGIN IMMEDIATE");
	db_exec(ws->db, "DELETE FROM tuss");
	ld.ins = db_prepare(ws->db, "INSERT OR REPLACE INTO tuss (codigo, "
	    "termo, inicio, fim, fimImplantacao) VALUES (?,?,?,?,?)");
	rc = read_table(&ld, fd, path);
	if (rc < 0)
		fatal(EXIT_IOERR, _("cannot read '%s': %s"), path,
		    strerror(errno));
	close(fd);
	sqlite3_finalize(ld.ins);
	csvin_release(&ld.csv);
	if (ld.csv.nproblems || ld.rows == 0) {
		db_exec(ws->db, "ROLLBACK");
		log_error(P_("'%s' rejected: %ld problem, the TUSS table is "
		    "unchanged", "'%s' rejected: %ld problems, the TUSS table is "
		    "unchanged", ld.csv.nproblems), path, ld.csv.nproblems);
		return EXIT_DATAERR;
	}
	db_exec(ws->db, "COMMIT");
	log_notice(_("TUSS table loaded from '%s': %ld terms; run "
	    "tiss-validate to check the guides against it"), path, ld.rows);
	return EXIT_OK;
}

int
main(int argc, char *argv[])
{
	static const struct cli_spec spec = { .name = "tiss-tuss",
	    .usage = "tiss-tuss [-qv] [-C dir] load file\n", .subcommands = 1,
	    .min_operands = 2, .max_operands = 2 };
	struct cli cli;
	struct ws ws;
	int i, ret;

	i = cli_parse(&cli, &spec, argc, argv);
	if (strcmp(argv[i], "load") != 0)
		cli_usage(&spec);
	ws_open(&ws, ws_dir(cli.workspace));
	ret = load(&ws, argv[i + 1]);
	ws_close(&ws);
	return close_stdout(ret);
}
