/*
 * tiss-validate: say, before anything is sent, what is missing or wrong
 * in each guide.
 *
 * Checks every guide not yet in a lote (or those named with --guia)
 * against the rules of docs/validation.md, stores each failed rule as a
 * pendência (guide, field path, rule code, message in Portuguese, value
 * found), recomputes valorTotalProc, and sets the guide 'completo' or
 * 'incompleto'.  --report writes the pendências as CSV for the clerk.
 * A short summary goes to stderr.
 *
 * Exit: 0 every checked guide is complete, 64 usage, 65 some guide is
 * incomplete, 66 a guide named with --guia does not exist, 74 cannot
 * write the report, 75 database busy, 78 not a workspace or bad profile.
 *
 * Deliberately not done: no missing value is ever filled in, except an
 * empty procedure description taken from the TUSS table by its code.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/util.h"
#include "common/validate.h"
#include "common/ws.h"

static void
csv_field(FILE *fp, const char *s, int last)
{
	if (s)
		csv_fwrite(fp, s, strlen(s));
	fputc(last ? '\n' : ';', fp);
}

/*
 * Write the pendências of guides not in a lote (of the given ids when
 * n > 0) to path as CSV, sorted by prestador and guide; atomically.
 */
static void
write_report(struct ws *ws, const char *path, const long long *ids, int n)
{
	static const char *const head[] = {
		"codigoPrestadorNaOperadora", "numeroGuiaPrestador", "status",
		"campo", "regra", "severidade", "mensagem", "valor", NULL
	};
	char *tmp = xasprintf("%s.tmp", path);
	sqlite3_stmt *st;
	FILE *fp;
	int i, k;

	if ((fp = fopen(tmp, "w")) == NULL)
		fatal(EXIT_IOERR, "cannot create '%s': %s", tmp,
		    strerror(errno));
	fputs("\xEF\xBB\xBF", fp);	/* so spreadsheets read it as UTF-8 */
	for (i = 0; head[i]; i++)
		csv_field(fp, head[i], head[i + 1] == NULL);
	st = db_prepare(ws->db, "SELECT g.codigoPrestadorNaOperadora, "
	    "g.numeroGuiaPrestador, g.status, p.campo, p.regra, "
	    "p.severidade, p.mensagem, p.valor, g.id FROM pendencia p "
	    "JOIN guia g ON g.id = p.guia_id WHERE g.status IN "
	    "('incompleto', 'completo') ORDER BY 1, 2, p.n");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		long long id = sqlite3_column_int64(st, 8);
		int wanted = n == 0;

		for (k = 0; k < n && !wanted; k++)
			wanted = ids[k] == id;
		if (!wanted)
			continue;
		for (i = 0; i < 8; i++)
			csv_field(fp, db_col_text(st, i), i == 7);
	}
	sqlite3_finalize(st);
	if (fflush(fp) != 0 || fsync(fileno(fp)) != 0 || fclose(fp) != 0 ||
	    rename(tmp, path) != 0)
		fatal(EXIT_IOERR, "cannot write '%s': %s", path,
		    strerror(errno));
	free(tmp);
}

/* The ids of the guides numbered num (of prestador prest when given). */
static int
find_guides(struct ws *ws, const char *num, const char *prest,
    long long **ids, int *n)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT id, status FROM guia "
	    "WHERE numeroGuiaPrestador = ?1 AND (?2 IS NULL OR "
	    "codigoPrestadorNaOperadora = ?2)");
	int found = 0;

	db_bind_text(st, 1, num);
	db_bind_text(st, 2, prest);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		found++;
		if (strcmp(db_col_text(st, 1), "incompleto") != 0 &&
		    strcmp(db_col_text(st, 1), "completo") != 0) {
			log_notice("guide %s is %s: a guide in a lote is not "
			    "validated again", num, db_col_text(st, 1));
			continue;
		}
		*ids = xrealloc(*ids, (size_t)(*n + 1) * sizeof(**ids));
		(*ids)[(*n)++] = sqlite3_column_int64(st, 0);
	}
	sqlite3_finalize(st);
	return found;
}

static void
summary(const struct val_stats *st)
{
	struct buf top = { 0 };
	int i, k, best, shown;
	long used[64] = { 0 };

	/* The four rules that failed most, most first. */
	for (shown = 0; shown < 4; shown++) {
		best = -1;
		for (i = 0; val_rule_code(i); i++)
			if (st->rule_count[i] > 0 && !used[i] &&
			    (best < 0 || st->rule_count[i] > st->rule_count[best]))
				best = i;
		if (best < 0)
			break;
		used[best] = 1;
		buf_addf(&top, "%s%s %s (%ld)", shown ? ", " : "; top rules: ",
		    val_rule_code(best), val_rule_text(best),
		    st->rule_count[best]);
	}
	k = (int)(st->checked - st->complete);
	log_notice("checked %ld guide%s: %ld completo, %d incompleto; %ld "
	    "pendência%s, %ld aviso%s%s", st->checked,
	    st->checked == 1 ? "" : "s", st->complete, k, st->errors,
	    st->errors == 1 ? "" : "s", st->warnings,
	    st->warnings == 1 ? "" : "s", top.data ? top.data : "");
	buf_release(&top);
}

static void
usage(void)
{
	fprintf(stderr, "usage: tiss-validate [-C dir] [-qv] [--prestador p] "
	    "[--guia n]... [--report file.csv]\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct option longopts[] = {
		{ "guia", required_argument, NULL, 'g' },
		{ "help", no_argument, NULL, 'h' },
		{ "prestador", required_argument, NULL, 'p' },
		{ "quiet", no_argument, NULL, 'q' },
		{ "report", required_argument, NULL, 'r' },
		{ "verbose", no_argument, NULL, 'v' },
		{ NULL, 0, NULL, 0 }
	};
	const char *dir = NULL, *report = NULL, *prest = NULL;
	const char **nums = NULL;
	long long *ids = NULL;
	struct val_stats st;
	struct val_ctx ctx;
	struct ws ws;
	int ch, i, nnums = 0, nids = 0, level = LOG_NORMAL, ret = EXIT_OK;

	while ((ch = getopt_long(argc, argv, "C:hqv", longopts, NULL)) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'g':
			nums = xrealloc(nums, (size_t)(nnums + 1) * sizeof(*nums));
			nums[nnums++] = optarg;
			break;
		case 'p':
			prest = optarg;
			break;
		case 'q':
			level = LOG_QUIET;
			break;
		case 'r':
			report = optarg;
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
	log_init("tiss-validate", level);
	ws_open(&ws, ws_dir(dir));
	val_ctx_init(&ctx, &ws, "tiss-validate");
	if (ctx.registro_ans == NULL)
		log_warn("[operadora] registro_ans is not set in '%s': no "
		    "guide can be complete until it is", ws.cfg.path);
	memset(&st, 0, sizeof(st));

	for (i = 0; i < nnums; i++)
		if (find_guides(&ws, nums[i], prest, &ids, &nids) == 0) {
			log_error("no guide numbered '%s'%s%s", nums[i],
			    prest ? " of prestador " : "", prest ? prest : "");
			ret = EXIT_NOINPUT;
		}
	if (nnums == 0 && prest == NULL)
		val_guides(&ws, &ctx, 0, &st);
	else if (nnums == 0) {
		/* All guides of one prestador. */
		sqlite3_stmt *q = db_prepare(ws.db, "SELECT id FROM guia WHERE "
		    "codigoPrestadorNaOperadora = ? AND status IN "
		    "('incompleto', 'completo')");

		db_bind_text(q, 1, prest);
		while (db_step(ws.db, q) == SQLITE_ROW) {
			ids = xrealloc(ids, (size_t)(nids + 1) * sizeof(*ids));
			ids[nids++] = sqlite3_column_int64(q, 0);
		}
		sqlite3_finalize(q);
	}
	for (i = 0; i < nids; i++)
		val_guides(&ws, &ctx, ids[i], &st);
	summary(&st);
	if (report)
		write_report(&ws, report, ids, nnums || prest ? nids : 0);
	if (ret == EXIT_OK && st.complete < st.checked)
		ret = EXIT_DATAERR;
	val_ctx_release(&ctx);
	ws_close(&ws);
	free(nums);
	free(ids);
	return close_stdout(ret);
}
