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
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/text.h"
#include "common/util.h"
#include "common/ws.h"

#define MAXF	8

struct loader {
	const char *name;	/* file name for messages */
	sqlite3	*db;
	sqlite3_stmt *ins;
	char	*f[MAXF];	/* fields of the current row, owned */
	int	 nf;
	long	 line, row_line;
	int	 in_row;
	long	 rows, problems;
};

static void
on_field(void *s, size_t n, void *data)
{
	struct loader *ld = data;
	size_t i;

	if (!ld->in_row) {
		ld->in_row = 1;
		ld->row_line = ld->line;
	}
	for (i = 0; i < n; i++)
		ld->line += ((char *)s)[i] == '\n';
	if (ld->nf < MAXF)
		ld->f[ld->nf] = xstrndup(s, n);
	ld->nf++;
}

/* A TUSS date (dd/mm/aaaa, may be empty) into iso; 0 when valid. */
static int
tuss_date(struct loader *ld, int col, const char *what, char iso[11],
    int required)
{
	const char *v = ld->f[col], *why;

	if (v[0] == '\0') {
		if (!required)
			return 0;
		why = "empty";
	} else if ((why = parse_date(v, iso)) == NULL)
		return 0;
	fprintf(stderr, "%s:%ld:%d: %s: '%s': %s\n", ld->name, ld->row_line,
	    col + 1, what, v, why);
	ld->problems++;
	return -1;
}

static void
do_row(struct loader *ld)
{
	char ini[11], fim[11] = "", imp[11] = "";
	struct buf term = { 0 };
	const char *why;
	int bad;

	if (ld->row_line == 1) {
		/* The header: the first column names the code. */
		if (ld->nf < 4 || strstr(ld->f[0], "digo do Termo") == NULL) {
			fprintf(stderr, "%s:1: header: expected 'Código do "
			    "Termo;Termo;Data de início de vigência;Data de fim "
			    "de vigência;...' (the ANS TUSS table 22 CSV)\n",
			    ld->name);
			ld->problems++;
		}
		return;
	}
	if (ld->nf < 4 || ld->nf > 5) {
		fprintf(stderr, "%s:%ld: row: %d fields, expected 4 or 5\n",
		    ld->name, ld->row_line, ld->nf);
		ld->problems++;
		return;
	}
	if (ld->f[0][0] == '\0' || ld->f[1][0] == '\0') {
		fprintf(stderr, "%s:%ld:%d: %s: empty\n", ld->name,
		    ld->row_line, ld->f[0][0] ? 2 : 1,
		    ld->f[0][0] ? "Termo" : "Código do Termo");
		ld->problems++;
		return;
	}
	if ((why = text_to_utf8(ENC_UTF8, ld->f[1], strlen(ld->f[1]), &term))) {
		fprintf(stderr, "%s:%ld:2: Termo: %s\n", ld->name,
		    ld->row_line, why);
		ld->problems++;
		buf_release(&term);
		return;
	}
	bad = tuss_date(ld, 2, "Data de início de vigência", ini, 1);
	bad |= tuss_date(ld, 3, "Data de fim de vigência", fim, 0);
	if (ld->nf == 5)
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

static void
on_row(int c, void *data)
{
	struct loader *ld = data;
	int i;

	if (ld->in_row) {
		if (!(ld->nf == 1 && ld->f[0][0] == '\0'))
			do_row(ld);
		for (i = 0; i < ld->nf && i < MAXF; i++)
			free(ld->f[i]);
		ld->nf = 0;
		ld->in_row = 0;
	}
	if (c == '\n')
		ld->line++;
}

static int
load(struct ws *ws, const char *path)
{
	struct csv_parser p;
	struct loader ld;
	char chunk[65536];
	ssize_t n;
	size_t skip;
	int fd, first = 1;

	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) < 0) {
		log_error("cannot open '%s': %s", path, strerror(errno));
		return EXIT_NOINPUT;
	}
	memset(&ld, 0, sizeof(ld));
	ld.name = path;
	ld.db = ws->db;
	ld.line = 1;
	csv_init(&p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI);
	csv_set_delim(&p, ';');
	db_exec(ws->db, "BEGIN IMMEDIATE");
	db_exec(ws->db, "DELETE FROM tuss");
	ld.ins = db_prepare(ws->db, "INSERT OR REPLACE INTO tuss (codigo, "
	    "termo, inicio, fim, fimImplantacao) VALUES (?,?,?,?,?)");
	while ((n = read(fd, chunk, sizeof(chunk))) > 0) {
		skip = first && n >= 3 && memcmp(chunk, "\xEF\xBB\xBF", 3) == 0;
		first = 0;
		if (csv_parse(&p, chunk + 3 * skip, (size_t)n - 3 * skip,
		    on_field, on_row, &ld) != (size_t)n - 3 * skip) {
			fprintf(stderr, "%s:%ld: row: malformed quoting\n",
			    path, ld.line);
			ld.problems++;
			break;
		}
	}
	if (n < 0)
		fatal(EXIT_IOERR, "cannot read '%s': %s", path, strerror(errno));
	csv_fini(&p, on_field, on_row, &ld);
	csv_free(&p);
	close(fd);
	sqlite3_finalize(ld.ins);
	if (ld.problems || ld.rows == 0) {
		db_exec(ws->db, "ROLLBACK");
		log_error("'%s' rejected: %ld problem%s, the TUSS table is "
		    "unchanged", path, ld.problems, ld.problems == 1 ? "" : "s");
		return EXIT_DATAERR;
	}
	db_exec(ws->db, "COMMIT");
	log_notice("TUSS table loaded from '%s': %ld terms; run tiss-validate "
	    "to check the guides against it", path, ld.rows);
	return EXIT_OK;
}

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-tuss [-C dir] [-qv] load file\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "help", no_argument, NULL, 'h' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL;
	struct ws ws;
	int ch, level = LOG_NORMAL, ret;

	while ((ch = getopt_long(argc, argv, "C:hqv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
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
	argc -= optind;
	argv += optind;
	if (argc != 2 || strcmp(argv[0], "load") != 0)
		usage();
	log_init("tiss-tuss", level);
	ws_open(&ws, ws_dir(dir));
	ret = load(&ws, argv[1]);
	ws_close(&ws);
	return close_stdout(ret);
}
