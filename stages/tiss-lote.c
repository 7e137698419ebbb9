/*
 * tiss-lote: group complete guides into lotes, and keep them: the
 * operator manual's Novo Lote, Consultar Lotes, Detalhar and Editar,
 * as the commands build, list, show, new, add, rm, delete and close;
 * the review step's aprovar, reter and liberar are in common/review.c.
 *
 * A lote holds guides of one prestador, one competência (the month of a
 * guide's last dataRealizacao) and one type (odonto), at most
 * [operadora] tamanho_lote (50 by default, never more than TISS's 100).
 * Lote numbers come from a per-prestador sequence that never goes back,
 * so a number is never reused, even after a delete.  build makes closed
 * lotes ('fechado'), ready for tiss-xml; new makes an open one
 * ('aberto') that close finishes.  add, rm and delete work while the
 * lote is not sent; an edited lote is open again and its XML is dropped.
 * Every status moves through common/state.h; each change bumps the
 * lote's revisao (migration 5), so a tiss-xml that read the lote before
 * does not record it.  -p names the prestador when needed.
 *
 * Exit: 0 done, 64 usage (also a search longer than 3 months), 65 a
 * change refused (the message says why), 66 no such lote or guide,
 * 75 database busy, 78 not a workspace or bad tamanho_lote.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>
#include <libxml/xmlwriter.h>

#include "common/cli.h"
#include "common/db.h"
#include "common/exitcodes.h"
#include "common/fmt.h"
#include "common/i18n.h"
#include "common/log.h"
#include "common/lotes.h"
#include "common/parse.h"
#include "common/review.h"
#include "common/state.h"
#include "common/util.h"
#include "common/ws.h"

static const char *prestador;	/* -p */
static long lote_max;		/* [operadora] tamanho_lote */
static char stamp[32];		/* now, the criadoEm of the lotes made */

/* Lote num (of -p), or exit 66 when none, 64 when several prestadores have it. */
static struct lote_item
find_lote(struct ws *ws, const char *num)
{
	struct lote_item l;
	int n = lotes_find(ws->db, prestador, cli_lote("lote", num), &l);

	if (n == 0)
		fatal(EXIT_NOINPUT, prestador ? _("no lote numbered '%s' of "
		    "prestador %s") : _("no lote numbered '%s'"), num,
		    prestador);
	if (n > 1)
		fatal(EXIT_USAGE, _("lote '%s' exists for several prestadores; say "
		    "which with -p"), num);
	return l;
}

/*
 * The lote N of a command of one operand (argv[0] N: show, delete,
 * close), found inside a write transaction when write is set.  Exits 64
 * with the command's usage when there is not one operand, else as
 * find_lote.
 */
static struct lote_item
lote_operand(struct ws *ws, int argc, char **argv, int write)
{
	if (argc != 2)
		fatal(EXIT_USAGE, _("usage: tiss-lote %s N"), argv[0]);
	if (write)
		db_exec(ws->db, "BEGIN IMMEDIATE");
	return find_lote(ws, argv[1]);
}

/* Refuse to change a lote that was sent. */
static void
require_unsent(const struct lote_item *l, int allow_rejected, const char *what)
{
	if (l->status == LOTE_ABERTO || l->status == LOTE_FECHADO ||
	    l->status == LOTE_XML_GERADO ||
	    (allow_rejected && l->status == LOTE_REJEITADO))
		return;
	if (l->status == LOTE_REJEITADO)	/* only when changing it */
		fatal(EXIT_DATAERR, _("cannot change lote %lld: it is %s, and a "
		    "lote that went to the operator never changes; delete it "
		    "and put its guides in a new lote"), l->numero,
		    state_lote_name(l->status));
	fatal(EXIT_DATAERR, strcmp(what, "delete") == 0 ? _("cannot delete "
	    "lote %lld: it is %s, and a lote that went to the operator never "
	    "changes") : _("cannot change lote %lld: it is %s, and a lote that "
	    "went to the operator never changes"), l->numero,
	    state_lote_name(l->status));
}

/* Guide into lote (em_lote), or out of its lote (completo) when lote is 0. */
static void
put_guide(struct ws *ws, long long guide, long long lote)
{
	if (state_guia_set(ws->db, guide, lote ? GUIA_EM_LOTE : GUIA_COMPLETO,
	    lote) != 1)
		fatal(EXIT_SOFTWARE, lote ? _("guide %lld cannot move into lote "
		    "%lld") : _("guide %lld cannot move out of its lote %lld"),
		    guide, lote);
}

static long
count_guides(struct ws *ws, long long lote)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT count(*) FROM guia "
	    "WHERE lote_id = ?");
	long n;

	sqlite3_bind_int64(st, 1, lote);
	db_step(ws->db, st);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Guide num checked to join a lote of prest and competencia; exits if not. */
static long long
eligible_guide(struct ws *ws, const char *num, char prest[64],
    char competencia[8])
{
	char err[512];
	int code;
	long long id = lotes_guide_eligible(ws->db, prestador, num, prest,
	    competencia, &code, err, sizeof(err));

	if (id == 0)
		fatal(code, "%s", err);
	return id;
}

/* ---- commands ---------------------------------------------------------------- */

/*
 * A command's own options (declared as for cli) and no operand: opt(ch,
 * optarg, ctx) for each; --help prints "usage: tiss-lote USAGE" on
 * stdout; an unknown one, opt returning -1 or an operand print it on
 * stderr and exit 64.
 */
static void
command_opts(int argc, char **argv, const char *options,
    const char *usage, int (*opt)(int, const char *, void *), void *ctx)
{
	char text[256];
	const struct cli_spec spec = { .name = "tiss-lote", .usage = text,
	    .options = options, .option = opt, .ctx = ctx, .subcommands = 1 };

	snprintf(text, sizeof(text), "tiss-lote %s\n", usage);
	cli_parse_command(&spec, argc, argv);
}

/* build's and new's options: --competencia, and new's --guia list. */
struct new_opts {
	char	 comp[8];
	const char **guides;
	int	 n;
};

static int
new_opt(int ch, const char *arg, void *ctx)
{
	struct new_opts *o = ctx;

	if (ch == 'c') {
		cli_competencia("--competencia", arg, o->comp);
		return 0;
	}
	if (ch != 'g')
		return -1;
	o->guides = xrealloc(o->guides, (size_t)(o->n + 1) * sizeof(*o->guides));
	o->guides[o->n++] = arg;
	return 0;
}

static int
cmd_build(struct ws *ws, int argc, char **argv)
{
	struct new_opts o = { "", NULL, 0 };
	long nlotes, nguides;

	command_opts(argc, argv, "competencia=c:",
	    "build [--competencia mm/aaaa]", new_opt, &o);
	/*
	 * Statement journals past 64 KiB, and sorts, on disk: the build may
	 * make guia's index on lote_id again (lotes_build).
	 */
	db_exec(ws->db, "PRAGMA temp_store = FILE");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	lotes_build(ws->db, prestador, o.comp[0] ? o.comp : NULL, lote_max,
	    stamp, &nlotes, &nguides);
	db_exec(ws->db, "COMMIT");
	db_exec(ws->db, "PRAGMA temp_store = MEMORY");
	log_notice(P_("%ld lote of up to %ld guides built from %ld complete "
	    "guide(s)", "%ld lotes of up to %ld guides built from %ld complete "
	    "guide(s)", nlotes), nlotes, lote_max, nguides);
	return EXIT_OK;
}

static int
cmd_new(struct ws *ws, int argc, char **argv)
{
	static const char usage[] = "new --competencia mm/aaaa --guia g ...";
	struct new_opts o = { "", NULL, 0 };
	char prest[64] = "";
	long long lote, *ids, numero;
	int i;

	command_opts(argc, argv, "competencia=c: guia=g:", usage, new_opt,
	    &o);
	if (o.comp[0] == '\0' || o.n == 0)
		fatal(EXIT_USAGE, _("usage: tiss-lote %s"), usage);
	if (o.n > lote_max)
		fatal(EXIT_DATAERR, _("%d guides, but a lote holds at most %ld "
		    "([operadora] tamanho_lote; TISS allows 100)"), o.n, lote_max);
	ids = xcalloc((size_t)o.n, sizeof(*ids));
	db_exec(ws->db, "BEGIN IMMEDIATE");
	for (i = 0; i < o.n; i++)
		ids[i] = eligible_guide(ws, o.guides[i], prest, o.comp);
	lote = lotes_create(ws->db, prest, o.comp, stamp, LOTE_ABERTO,
	    &numero);
	for (i = 0; i < o.n; i++)
		put_guide(ws, ids[i], lote);
	db_exec(ws->db, "COMMIT");
	printf("%s %lld %d\n", prest, numero, o.n);
	log_notice(P_("lote %lld of prestador %s open with %d guide; close it "
	    "with tiss-lote close %lld", "lote %lld of prestador %s open with "
	    "%d guides; close it with tiss-lote close %lld", o.n), numero,
	    prest, o.n, numero);
	free(ids);
	free(o.guides);
	return EXIT_OK;
}

/*
 * add N G... or rm N G... (argv[0]): guides into or out of lote N,
 * which is open again with its XML dropped.
 */
static int
cmd_edit(struct ws *ws, int argc, char **argv)
{
	sqlite3_stmt *st;
	struct lote_item l;
	char prest[64];
	int i, add = strcmp(argv[0], "add") == 0;

	if (argc < 3)
		fatal(EXIT_USAGE, _("usage: tiss-lote %s N G..."), argv[0]);
	db_exec(ws->db, "BEGIN IMMEDIATE");
	l = find_lote(ws, argv[1]);
	require_unsent(&l, 0, "change");
	if (add && count_guides(ws, l.id) + argc - 2 > lote_max)
		fatal(EXIT_DATAERR, _("lote %lld would have %ld guides, more than "
		    "the %ld a lote holds"), l.numero, count_guides(ws, l.id) +
		    argc - 2, lote_max);
	snprintf(prest, sizeof(prest), "%s", l.prest);
	st = db_prepare(ws->db, "SELECT id FROM guia WHERE lote_id = ? AND "
	    "numeroGuiaPrestador = ?");
	for (i = 2; i < argc; i++) {
		if (add) {
			put_guide(ws, eligible_guide(ws, argv[i], prest,
			    l.competencia), l.id);
			continue;
		}
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, l.id);
		sqlite3_bind_text(st, 2, argv[i], -1, SQLITE_STATIC);
		if (db_step(ws->db, st) != SQLITE_ROW)
			fatal(EXIT_NOINPUT, _("guide %s is not in lote %lld"),
			    argv[i], l.numero);
		put_guide(ws, sqlite3_column_int64(st, 0), 0);
	}
	sqlite3_finalize(st);
	lotes_drop_xml(ws, l.id);
	db_exec(ws->db, "COMMIT");
	if (add)
		log_notice(P_("lote %lld: %d guide added; the lote is open "
		    "again", "lote %lld: %d guides added; the lote is open again",
		    argc - 2), l.numero, argc - 2);
	else
		log_notice(P_("lote %lld: %d guide removed, back to completo; the "
		    "lote is open again", "lote %lld: %d guides removed, back to "
		    "completo; the lote is open again", argc - 2), l.numero,
		    argc - 2);
	lotes_item_release(&l);
	return EXIT_OK;
}

static int
cmd_delete(struct ws *ws, int argc, char **argv)
{
	struct lote_item l = lote_operand(ws, argc, argv, 1);

	require_unsent(&l, 1, "delete");
	state_lote_guias_set(ws->db, l.id, GUIA_COMPLETO);
	lotes_drop_xml(ws, l.id);
	db_run(ws->db, "DELETE FROM lote WHERE id = ?", "i", l.id);
	db_exec(ws->db, "COMMIT");
	log_notice(_("lote %lld deleted; its guides are completo again, and its "
	    "number will not be used again"), l.numero);
	lotes_item_release(&l);
	return EXIT_OK;
}

static int
cmd_close(struct ws *ws, int argc, char **argv)
{
	struct lote_item l = lote_operand(ws, argc, argv, 1);

	if (l.status != LOTE_ABERTO)
		fatal(EXIT_DATAERR, _("lote %lld is %s, not aberto"), l.numero,
		    state_lote_name(l.status));
	if (count_guides(ws, l.id) == 0)
		fatal(EXIT_DATAERR, _("lote %lld has no guide; add some or delete "
		    "it"), l.numero);
	if (state_lote_set(ws->db, l.id, LOTE_FECHADO) != 1)
		fatal(EXIT_SOFTWARE, _("lote %lld cannot be closed"), l.numero);
	db_exec(ws->db, "COMMIT");
	log_notice(_("lote %lld closed: ready for tiss-xml"), l.numero);
	lotes_item_release(&l);
	return EXIT_OK;
}

/* d1 and d2 "aaaa-mm-dd": is d2 at most 3 months after d1? */
static int
within_3_months(const char *d1, const char *d2)
{
	int months = (atoi(d2) - atoi(d1)) * 12 + atoi(d2 + 5) - atoi(d1 + 5);

	return months < 3 || (months == 3 && strcmp(d2 + 8, d1 + 8) <= 0);
}

enum { FMT_TABLE, FMT_CSV, FMT_XML };

/* list's options. */
struct list_opts {
	char	 de[11], ate[11];
	int	 format;		/* FMT_* */
	long long numero;		/* 0: any */
	const char *status;
};

static int
list_opt(int ch, const char *arg, void *ctx)
{
	static const char *const formats[] = { "table", "csv", "xml", NULL };
	struct list_opts *o = ctx;
	const char *why;

	switch (ch) {
	case 'A':
	case 'D':
		if ((why = parse_date(arg, ch == 'A' ? o->ate : o->de)))
			fatal(EXIT_USAGE, "--%s '%s': %s", ch == 'A' ? "ate" :
			    "de", arg, why);
		return 0;
	case 'f':
		o->format = cli_choice("--format", arg, formats);
		return 0;
	case 'n':
		o->numero = cli_lote("--numero", arg);
		return 0;
	case 's':
		o->status = arg;
		return 0;
	case 't':
		if (strcmp(arg, "odonto") != 0)
			fatal(EXIT_USAGE, _("--tipo '%s': this pipeline bills "
			    "dental guides only (odonto)"), arg);
		return 0;
	}
	return -1;
}

static const char *const list_cols[] = {
	"codigoPrestadorNaOperadora", "numeroLote", "competencia",
	"tipoGuia", "status", "guias", "valorTotal", "criadoEm",
	"xmlArquivo", NULL
};

static sqlite3_stmt *
list_query(struct ws *ws, const struct list_opts *o)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT "
	    "l.codigoPrestadorNaOperadora, l.numeroLote, l.competencia, "
	    "l.tipoGuia, l.status, (SELECT count(*) FROM guia g WHERE "
	    "g.lote_id = l.id), (SELECT sum(valorTotalProc) FROM guia g WHERE "
	    "g.lote_id = l.id), l.criadoEm, l.xmlArquivo FROM lote l WHERE "
	    "(?1 IS NULL OR l.codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 = '' OR substr(l.criadoEm, 1, 10) BETWEEN ?2 AND ?3) AND "
	    "(?4 = 0 OR l.numeroLote = ?4) AND (?5 IS NULL OR l.status = ?5) "
	    "ORDER BY 1, 2");

	db_bind_text(st, 1, prestador);
	db_bind_text(st, 2, o->de);
	db_bind_text(st, 3, o->ate);
	sqlite3_bind_int64(st, 4, o->numero);
	db_bind_text(st, 5, o->status);
	return st;
}

/* One row of list in the chosen format (xw for xml). */
static void
list_row(int format, xmlTextWriterPtr xw, const char *const v[9])
{
	int i;

	if (format == FMT_XML) {
		xmlTextWriterStartElement(xw, BAD_CAST "lote");
		for (i = 0; list_cols[i]; i++)
			if (v[i])
				xmlTextWriterWriteElement(xw,
				    BAD_CAST list_cols[i], BAD_CAST v[i]);
		xmlTextWriterEndElement(xw);
	} else if (format == FMT_CSV) {
		for (i = 0; list_cols[i]; i++) {
			csv_fwrite(stdout, v[i] ? v[i] : "",
			    v[i] ? strlen(v[i]) : 0);
			putchar(list_cols[i + 1] ? ';' : '\n');
		}
	} else
		printf("%-10.10s %6s %-7s %-10s %5s %16s %s\n", v[0], v[1],
		    v[2], v[4], v[5], v[6], v[7]);
}

static int
cmd_list(struct ws *ws, int argc, char **argv)
{
	struct list_opts o;
	xmlTextWriterPtr xw = NULL;
	xmlBufferPtr xb = NULL;
	sqlite3_stmt *st;
	const char *v[9];
	char total[FMT_MONEY], comp[FMT_COMP], when[FMT_TIME];
	int i;

	memset(&o, 0, sizeof(o));
	command_opts(argc, argv, "ate=A: de=D: format=f: numero=n: status=s: "
	    "tipo=t:", "list [--de d --ate d] [--numero n] [--status s] "
	    "[--tipo odonto] [--format table|csv|xml]", list_opt, &o);
	if ((o.de[0] != '\0') != (o.ate[0] != '\0'))
		fatal(EXIT_USAGE, _("give both --de and --ate"));
	if (o.de[0] && (strcmp(o.de, o.ate) > 0 ||
	    !within_3_months(o.de, o.ate)))
		fatal(EXIT_USAGE, _("the period %s to %s is longer than 3 months "
		    "(or reversed); search at most 3 months at a time"), o.de,
		    o.ate);
	st = list_query(ws, &o);
	if (o.format == FMT_XML) {
		xb = xmlBufferCreate();
		xw = xmlNewTextWriterMemory(xb, 0);
		xmlTextWriterSetIndent(xw, 1);
		xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(xw, BAD_CAST "lotes");
	} else if (o.format == FMT_CSV)
		list_row(FMT_CSV, NULL, list_cols);
	else
		printf("%-10s %6s %-7s %-10s %5s %16s %s\n", "PRESTADOR",
		    "LOTE", "COMPET.", "STATUS", "GUIAS", "VALOR", "CRIADO");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		for (i = 0; i < 9; i++)
			v[i] = db_col_text(st, i);
		/* A person reads the table; scripts read csv and xml as stored. */
		if (o.format == FMT_TABLE) {
			v[2] = fmt_competencia(v[2], comp);
			v[6] = fmt_money(sqlite3_column_int64(st, 6), total);
			v[7] = fmt_stamp(v[7], when);
		} else {
			format_hundredths(sqlite3_column_int64(st, 6), total);
			v[6] = total;
		}
		list_row(o.format, xw, v);
	}
	sqlite3_finalize(st);
	if (xw) {
		xmlTextWriterEndDocument(xw);
		xmlFreeTextWriter(xw);
		fputs((const char *)xmlBufferContent(xb), stdout);
		xmlBufferFree(xb);
	}
	return EXIT_OK;
}

static int
cmd_show(struct ws *ws, int argc, char **argv)
{
	struct lote_item l = lote_operand(ws, argc, argv, 0);
	sqlite3_stmt *st;
	char total[FMT_MONEY], comp[FMT_COMP], t1[FMT_TIME], t2[FMT_TIME];
	long n = 0;

	st = db_prepare(ws->db, "SELECT criadoEm, alteradoEm, xmlArquivo, "
	    "xmlBytes, xmlHash, xmlSha256, soapArquivo, versaoTISS FROM lote "
	    "WHERE id = ?");
	sqlite3_bind_int64(st, 1, l.id);
	db_step(ws->db, st);
	printf(_("lote %lld: %s\n  prestador %s, competência %s, odonto\n"
	    "  created %s, changed %s\n"), l.numero, state_lote_name(l.status),
	    l.prest, fmt_competencia(l.competencia, comp),
	    fmt_stamp(db_col_text(st, 0), t1), fmt_stamp(db_col_text(st, 1), t2));
	if (db_col_text(st, 2))
		printf(_("  xml %s (%s bytes, TISS %s), hash %s, sha256 %s\n"),
		    db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 7),
		    db_col_text(st, 4), db_col_text(st, 5));
	if (db_col_text(st, 6))	/* an older tiss-xml's loteGuiasWS file */
		printf(_("  soap %s\n"), db_col_text(st, 6));
	sqlite3_finalize(st);
	st = db_prepare(ws->db, "SELECT numeroGuiaPrestador, numeroCarteira, "
	    "(SELECT count(*) FROM procedimento p WHERE p.guia_id = g.id), "
	    "valorTotalProc FROM guia g WHERE lote_id = ? ORDER BY 1");
	sqlite3_bind_int64(st, 1, l.id);
	printf("  %-20s %-20s %5s %16s\n", "GUIA", "CARTEIRA", "PROC", "VALOR");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		fmt_money(sqlite3_column_int64(st, 3), total);
		printf("  %-20s %-20s %5s %16s\n", db_col_text(st, 0),
		    db_col_text(st, 1) ? db_col_text(st, 1) : "",
		    db_col_text(st, 2), total);
		n++;
	}
	sqlite3_finalize(st);
	printf(P_("  %ld guide\n", "  %ld guides\n", n), n);
	lotes_item_release(&l);
	return EXIT_OK;
}

/* The review step's aprovar, reter and liberar (common/review.h). */
static int
cmd_review(struct ws *ws, int argc, char **argv)
{
	return (strcmp(argv[0], "aprovar") == 0 ? review_aprovar :
	    review_reter)(ws, prestador, argc, argv);
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*fn)(struct ws *, int, char **);
	} cmds[] = {
		{ "build", cmd_build }, { "list", cmd_list }, { "show", cmd_show },
		{ "new", cmd_new }, { "add", cmd_edit }, { "rm", cmd_edit },
		{ "delete", cmd_delete }, { "close", cmd_close },
		{ "aprovar", cmd_review }, { "reter", cmd_review },
		{ "liberar", cmd_review },
	};
	static const struct cli_spec spec = { .name = "tiss-lote",
	    .usage = "tiss-lote [-C dir] [-qv] [-p prestador] command ...\n"
	    "  build [--competencia mm/aaaa]\n"
	    "  list [--de d --ate d] [--numero n] [--status s] [--tipo odonto]\n"
	    "       [--format table|csv|xml]\n"
	    "  show n\n"
	    "  new --competencia mm/aaaa --guia g ...\n"
	    "  add n g ...  |  rm n g ...  |  delete n  |  close n\n"
	    "  aprovar n ... | aprovar --competencia mm/aaaa [--yes]\n"
	    "  reter g ... [--motivo texto]  |  liberar g ...\n",
	    .subcommands = 1, .min_operands = 1, .max_operands = CLI_MANY };
	struct cli cli;
	struct ws ws;
	int i, ret = -1;

	i = cli_parse(&cli, &spec, argc, argv);
	argc -= i;
	argv += i;
	prestador = cli.prestador;
	time_iso(stamp);
	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++)
		if (strcmp(argv[0], cmds[i].name) == 0) {
			ws_open(&ws, ws_dir(cli.workspace));
			lote_max = cfg_get_long(&ws.cfg, "operadora",
			    "tamanho_lote", 50, 1, 100);
			/* Each command reads its own arguments from argv[0]. */
			ret = cmds[i].fn(&ws, argc, argv);
			ws_close(&ws);
			break;
		}
	if (ret < 0)
		cli_usage(&spec);
	return close_stdout(ret);
}
