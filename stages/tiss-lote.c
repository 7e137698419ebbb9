/*
 * tiss-lote: group complete guides into lotes, and keep them: the
 * operator manual's Novo Lote, Consultar Lotes, Detalhar and Editar.
 *
 *   build [--competencia aaaa-mm]
 *   list [--de d --ate d] [--numero n] [--status s] [--tipo odonto]
 *        [--format table|csv|xml]
 *   show N
 *   new --competencia aaaa-mm --guia G...
 *   add N G...     rm N G...     delete N     close N
 *
 * A lote holds guides of one prestador, one competência (the month of a
 * guide's last dataRealizacao) and one type (odonto), at most
 * [operadora] tamanho_lote (50 by default, never more than TISS's 100).
 * Lote numbers come from a per-prestador sequence that never goes back,
 * so a number is never reused, even after a delete.  build makes closed
 * lotes ('fechado'), ready for tiss-xml; new makes an open one
 * ('aberto') that close finishes.  add, rm and delete work while the
 * lote is not sent; an edited lote is open again and its XML is dropped.
 * -p names the prestador when needed.
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

#include "common/db.h"
#include "common/exitcodes.h"
#include "common/log.h"
#include "common/parse.h"
#include "common/util.h"
#include "common/ws.h"

static const char *prestador;	/* -p */
static long lote_max;		/* [operadora] tamanho_lote */
static char stamp[32];		/* now, for every row this run writes */

/* ---- lotes ------------------------------------------------------------------ */

struct lote_ref {
	long long id;
	char	 prest[64];
	char	 competencia[8];
	char	 status[16];
	long	 numero;
};

static struct lote_ref
find_lote(struct ws *ws, const char *num)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT id, "
	    "codigoPrestadorNaOperadora, competencia, status, numeroLote "
	    "FROM lote WHERE numeroLote = ?1 AND (?2 IS NULL OR "
	    "codigoPrestadorNaOperadora = ?2)");
	struct lote_ref ref;
	int n = 0;

	memset(&ref, 0, sizeof(ref));
	sqlite3_bind_int64(st, 1, atoll(num));
	db_bind_text(st, 2, prestador);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		ref.id = sqlite3_column_int64(st, 0);
		snprintf(ref.prest, sizeof(ref.prest), "%s", db_col_text(st, 1));
		snprintf(ref.competencia, sizeof(ref.competencia), "%s",
		    db_col_text(st, 2));
		snprintf(ref.status, sizeof(ref.status), "%s", db_col_text(st, 3));
		ref.numero = sqlite3_column_int(st, 4);
		n++;
	}
	sqlite3_finalize(st);
	if (n == 0)
		fatal(EXIT_NOINPUT, "no lote numbered '%s'%s%s", num,
		    prestador ? " of prestador " : "", prestador ? prestador : "");
	if (n > 1)
		fatal(EXIT_USAGE, "lote '%s' exists for several prestadores; say "
		    "which with -p", num);
	return ref;
}

/* Refuse to change a lote that was sent. */
static void
require_unsent(const struct lote_ref *l, int allow_rejected, const char *what)
{
	if (strcmp(l->status, "aberto") == 0 ||
	    strcmp(l->status, "fechado") == 0 ||
	    strcmp(l->status, "xml_gerado") == 0 ||
	    (allow_rejected && strcmp(l->status, "rejeitado") == 0))
		return;
	fatal(EXIT_DATAERR, "cannot %s lote %ld: it is %s, and a lote that "
	    "went to the operator never changes%s", what, l->numero, l->status,
	    strcmp(l->status, "rejeitado") == 0 ? "; delete it and put its "
	    "guides in a new lote" : "");
}

/* The next number of a prestador's sequence (inside a transaction). */
static long
next_number(struct ws *ws, const char *prest)
{
	sqlite3_stmt *st = db_prepare(ws->db, "INSERT INTO lote_numero "
	    "(codigoPrestadorNaOperadora, ultimo) VALUES (?, 1) ON CONFLICT "
	    "DO UPDATE SET ultimo = ultimo + 1 RETURNING ultimo");
	long n;

	sqlite3_bind_text(st, 1, prest, -1, SQLITE_TRANSIENT);
	if (db_step(ws->db, st) != SQLITE_ROW)
		fatal(EXIT_SOFTWARE, "no lote number for '%s'", prest);
	n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

static long long
create_lote(struct ws *ws, const char *prest, const char *competencia,
    const char *status, long *numero)
{
	sqlite3_stmt *st = db_prepare(ws->db, "INSERT INTO lote "
	    "(codigoPrestadorNaOperadora, numeroLote, competencia, status, "
	    "criadoEm, alteradoEm) VALUES (?,?,?,?,?,?)");

	*numero = next_number(ws, prest);
	sqlite3_bind_text(st, 1, prest, -1, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 2, *numero);
	sqlite3_bind_text(st, 3, competencia, -1, SQLITE_TRANSIENT);
	sqlite3_bind_text(st, 4, status, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 5, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 6, stamp, -1, SQLITE_STATIC);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	return sqlite3_last_insert_rowid(ws->db);
}

/* Remove a lote's XML files and forget them: its content changed. */
static void
drop_xml(struct ws *ws, long long id)
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT xmlArquivo, soapArquivo "
	    "FROM lote WHERE id = ?");
	int i;

	sqlite3_bind_int64(st, 1, id);
	if (db_step(ws->db, st) == SQLITE_ROW)
		for (i = 0; i < 2; i++)
			if (db_col_text(st, i)) {
				char *path = ws_path(ws, db_col_text(st, i));

				if (unlink(path) != 0 && errno != ENOENT)
					log_warn("cannot remove '%s': %s", path,
					    strerror(errno));
				free(path);
			}
	sqlite3_finalize(st);
	st = db_prepare(ws->db, "UPDATE lote SET status = 'aberto', "
	    "xmlArquivo = NULL, xmlBytes = NULL, xmlHash = NULL, xmlSha256 = "
	    "NULL, soapArquivo = NULL, xmlGeradoEm = NULL, alteradoEm = ? "
	    "WHERE id = ?");
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
}

static void
put_guide(struct ws *ws, long long guide, long long lote)
{
	sqlite3_stmt *st = db_prepare(ws->db, lote ? "UPDATE guia SET status "
	    "= 'em_lote', lote_id = ?1, alteradoEm = ?2 WHERE id = ?3" :
	    "UPDATE guia SET status = 'completo', lote_id = NULL, alteradoEm "
	    "= ?2 WHERE id = ?3 AND ?1 = 0");

	sqlite3_bind_int64(st, 1, lote);
	sqlite3_bind_text(st, 2, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 3, guide);
	db_step(ws->db, st);
	sqlite3_finalize(st);
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

/*
 * Check that guide num may join a lote of prest and competencia (when
 * given; else they are taken from the guide) and return its id.
 */
static long long
eligible_guide(struct ws *ws, const char *num, char prest[64],
    char competencia[8])
{
	sqlite3_stmt *st = db_prepare(ws->db, "SELECT g.id, g.status, "
	    "g.codigoPrestadorNaOperadora, substr(max(p.dataRealizacao), 1, 7) "
	    "FROM guia g LEFT JOIN procedimento p ON p.guia_id = g.id WHERE "
	    "g.numeroGuiaPrestador = ?1 AND (?2 IS NULL OR "
	    "g.codigoPrestadorNaOperadora = ?2) GROUP BY g.id");
	long long id = 0;
	int n = 0;

	sqlite3_bind_text(st, 1, num, -1, SQLITE_STATIC);
	db_bind_text(st, 2, prestador);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		const char *status = db_col_text(st, 1);
		const char *p = db_col_text(st, 2);
		const char *c = db_col_text(st, 3);

		n++;
		id = sqlite3_column_int64(st, 0);
		if (strcmp(status, "completo") != 0)
			fatal(EXIT_DATAERR, "guide %s is %s: only complete "
			    "guides go into a lote%s", num, status,
			    strcmp(status, "incompleto") == 0 ? "; see its "
			    "pendências with tiss-guia show" : "");
		if (prest[0] && strcmp(prest, p) != 0)
			fatal(EXIT_DATAERR, "guide %s is of prestador %s, the "
			    "lote of prestador %s: a lote never mixes "
			    "prestadores", num, p, prest);
		if (competencia[0] && c && strcmp(competencia, c) != 0)
			fatal(EXIT_DATAERR, "guide %s is of competência %s, the "
			    "lote of %s: a lote holds one month", num, c,
			    competencia);
		snprintf(prest, 64, "%s", p);
		snprintf(competencia, 8, "%s", c ? c : "");
	}
	sqlite3_finalize(st);
	if (n == 0)
		fatal(EXIT_NOINPUT, "no guide numbered '%s'%s%s", num,
		    prest[0] ? " of prestador " : "", prest);
	if (n > 1)
		fatal(EXIT_USAGE, "guide '%s' exists for several prestadores; "
		    "say which with -p", num);
	return id;
}

/* ---- commands ---------------------------------------------------------------- */

static int
cmd_build(struct ws *ws, int argc, char **argv)
{
	sqlite3_stmt *st;
	const char *comp = NULL;
	char prev_prest[64] = "", prev_comp[8] = "";
	long long lote = 0;
	long numero = 0, in_lote = 0, nlotes = 0, nguides = 0;
	char iso[11];

	if (argc == 3 && strcmp(argv[1], "--competencia") == 0) {
		comp = argv[2];
		snprintf(iso, sizeof(iso), "%s-01", comp);
		if (strlen(comp) != 7 || parse_date(iso, iso) != NULL)
			fatal(EXIT_USAGE, "--competencia '%s': write aaaa-mm",
			    comp);
	} else if (argc != 1)
		fatal(EXIT_USAGE, "usage: tiss-lote build [--competencia aaaa-mm]");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	/* Deterministic: by prestador, competência, guide number. */
	st = db_prepare(ws->db, "SELECT g.id, g.codigoPrestadorNaOperadora, "
	    "substr(max(p.dataRealizacao), 1, 7) AS comp FROM guia g JOIN "
	    "procedimento p ON p.guia_id = g.id WHERE g.status = 'completo' "
	    "AND (?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) GROUP BY "
	    "g.id HAVING comp IS NOT NULL AND (?2 IS NULL OR comp = ?2) "
	    "ORDER BY 2, 3, g.numeroGuiaPrestador, g.id");
	db_bind_text(st, 1, prestador);
	db_bind_text(st, 2, comp);
	while (db_step(ws->db, st) == SQLITE_ROW) {
		const char *p = db_col_text(st, 1), *c = db_col_text(st, 2);

		if (lote == 0 || in_lote == lote_max ||
		    strcmp(p, prev_prest) != 0 || strcmp(c, prev_comp) != 0) {
			if (lote)
				printf("%s %ld %ld\n", prev_prest, numero, in_lote);
			snprintf(prev_prest, sizeof(prev_prest), "%s", p);
			snprintf(prev_comp, sizeof(prev_comp), "%s", c);
			lote = create_lote(ws, p, c, "fechado", &numero);
			in_lote = 0;
			nlotes++;
		}
		put_guide(ws, sqlite3_column_int64(st, 0), lote);
		in_lote++;
		nguides++;
	}
	if (lote)
		printf("%s %ld %ld\n", prev_prest, numero, in_lote);
	sqlite3_finalize(st);
	db_exec(ws->db, "COMMIT");
	log_notice("%ld lote%s of up to %ld guides built from %ld complete "
	    "guide%s", nlotes, nlotes == 1 ? "" : "s", lote_max, nguides,
	    nguides == 1 ? "" : "s");
	return EXIT_OK;
}

static int
cmd_new(struct ws *ws, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "competencia", required_argument, NULL, 'c' },
		{ "guia", required_argument, NULL, 'g' },
		{ NULL, 0, NULL, 0 }
	};
	char prest[64] = "", comp[8] = "", iso[11];
	const char **guides = NULL;
	long long lote, *ids;
	long numero;
	int ch, n = 0, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'c':
			snprintf(iso, sizeof(iso), "%s-01", optarg);
			if (strlen(optarg) != 7 || parse_date(iso, iso) != NULL)
				fatal(EXIT_USAGE, "--competencia '%s': write "
				    "aaaa-mm", optarg);
			snprintf(comp, sizeof(comp), "%s", optarg);
			break;
		case 'g':
			guides = xrealloc(guides, (size_t)(n + 1) * sizeof(*guides));
			guides[n++] = optarg;
			break;
		default:
			fatal(EXIT_USAGE, "usage: tiss-lote new --competencia "
			    "aaaa-mm --guia G...");
		}
	}
	if (comp[0] == '\0' || n == 0 || optind != argc)
		fatal(EXIT_USAGE, "usage: tiss-lote new --competencia aaaa-mm "
		    "--guia G...");
	if (n > lote_max)
		fatal(EXIT_DATAERR, "%d guides, but a lote holds at most %ld "
		    "([operadora] tamanho_lote; TISS allows 100)", n, lote_max);
	ids = xcalloc((size_t)n, sizeof(*ids));
	db_exec(ws->db, "BEGIN IMMEDIATE");
	for (i = 0; i < n; i++)
		ids[i] = eligible_guide(ws, guides[i], prest, comp);
	lote = create_lote(ws, prest, comp, "aberto", &numero);
	for (i = 0; i < n; i++)
		put_guide(ws, ids[i], lote);
	db_exec(ws->db, "COMMIT");
	printf("%s %ld %d\n", prest, numero, n);
	log_notice("lote %ld of prestador %s open with %d guide%s; close it "
	    "with tiss-lote close %ld", numero, prest, n, n == 1 ? "" : "s",
	    numero);
	free(ids);
	free(guides);
	return EXIT_OK;
}

static int
cmd_add(struct ws *ws, int argc, char **argv)
{
	struct lote_ref l;
	long long id;
	int i;

	if (argc < 3)
		fatal(EXIT_USAGE, "usage: tiss-lote add N G...");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	l = find_lote(ws, argv[1]);
	require_unsent(&l, 0, "change");
	if (count_guides(ws, l.id) + argc - 2 > lote_max)
		fatal(EXIT_DATAERR, "lote %ld would have %ld guides, more than "
		    "the %ld a lote holds", l.numero, count_guides(ws, l.id) +
		    argc - 2, lote_max);
	for (i = 2; i < argc; i++) {
		id = eligible_guide(ws, argv[i], l.prest, l.competencia);
		put_guide(ws, id, l.id);
	}
	drop_xml(ws, l.id);
	db_exec(ws->db, "COMMIT");
	log_notice("lote %ld: %d guide%s added; it is open again", l.numero,
	    argc - 2, argc == 3 ? "" : "s");
	return EXIT_OK;
}

static int
cmd_rm(struct ws *ws, int argc, char **argv)
{
	struct lote_ref l;
	sqlite3_stmt *st;
	int i;

	if (argc < 3)
		fatal(EXIT_USAGE, "usage: tiss-lote rm N G...");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	l = find_lote(ws, argv[1]);
	require_unsent(&l, 0, "change");
	for (i = 2; i < argc; i++) {
		st = db_prepare(ws->db, "SELECT id FROM guia WHERE lote_id = ? "
		    "AND numeroGuiaPrestador = ?");
		sqlite3_bind_int64(st, 1, l.id);
		sqlite3_bind_text(st, 2, argv[i], -1, SQLITE_STATIC);
		if (db_step(ws->db, st) != SQLITE_ROW)
			fatal(EXIT_NOINPUT, "guide %s is not in lote %ld",
			    argv[i], l.numero);
		put_guide(ws, sqlite3_column_int64(st, 0), 0);
		sqlite3_finalize(st);
	}
	drop_xml(ws, l.id);
	db_exec(ws->db, "COMMIT");
	log_notice("lote %ld: %d guide%s removed, back to completo; the lote "
	    "is open again", l.numero, argc - 2, argc == 3 ? "" : "s");
	return EXIT_OK;
}

static int
cmd_delete(struct ws *ws, int argc, char **argv)
{
	struct lote_ref l;
	sqlite3_stmt *st;

	if (argc != 2)
		fatal(EXIT_USAGE, "usage: tiss-lote delete N");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	l = find_lote(ws, argv[1]);
	require_unsent(&l, 1, "delete");
	st = db_prepare(ws->db, "UPDATE guia SET status = 'completo', lote_id "
	    "= NULL, alteradoEm = ? WHERE lote_id = ?");
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, l.id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	drop_xml(ws, l.id);
	st = db_prepare(ws->db, "DELETE FROM lote WHERE id = ?");
	sqlite3_bind_int64(st, 1, l.id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	db_exec(ws->db, "COMMIT");
	log_notice("lote %ld deleted; its guides are completo again, and its "
	    "number will not be used again", l.numero);
	return EXIT_OK;
}

static int
cmd_close(struct ws *ws, int argc, char **argv)
{
	struct lote_ref l;
	sqlite3_stmt *st;

	if (argc != 2)
		fatal(EXIT_USAGE, "usage: tiss-lote close N");
	db_exec(ws->db, "BEGIN IMMEDIATE");
	l = find_lote(ws, argv[1]);
	if (strcmp(l.status, "aberto") != 0)
		fatal(EXIT_DATAERR, "lote %ld is %s, not aberto", l.numero,
		    l.status);
	if (count_guides(ws, l.id) == 0)
		fatal(EXIT_DATAERR, "lote %ld has no guide; add some or delete "
		    "it", l.numero);
	st = db_prepare(ws->db, "UPDATE lote SET status = 'fechado', "
	    "alteradoEm = ? WHERE id = ?");
	sqlite3_bind_text(st, 1, stamp, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, l.id);
	db_step(ws->db, st);
	sqlite3_finalize(st);
	db_exec(ws->db, "COMMIT");
	log_notice("lote %ld closed: ready for tiss-xml", l.numero);
	return EXIT_OK;
}

/* d1 and d2 "aaaa-mm-dd": is d2 at most 3 months after d1? */
static int
within_3_months(const char *d1, const char *d2)
{
	int y1 = atoi(d1), m1 = atoi(d1 + 5), y2 = atoi(d2), m2 = atoi(d2 + 5);
	int months = (y2 * 12 + m2) - (y1 * 12 + m1);

	return months < 3 || (months == 3 && strcmp(d2 + 8, d1 + 8) <= 0);
}

static int
cmd_list(struct ws *ws, int argc, char **argv)
{
	static const struct option longopts[] = {
		{ "ate", required_argument, NULL, 'A' },
		{ "de", required_argument, NULL, 'D' },
		{ "format", required_argument, NULL, 'f' },
		{ "numero", required_argument, NULL, 'n' },
		{ "status", required_argument, NULL, 's' },
		{ "tipo", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 }
	};
	static const char *const cols[] = {
		"codigoPrestadorNaOperadora", "numeroLote", "competencia",
		"tipoGuia", "status", "guias", "valorTotal", "criadoEm",
		"xmlArquivo", NULL
	};
	char de[11] = "", ate[11] = "", total[32];
	const char *format = "table", *numero = NULL, *status = NULL, *why;
	xmlTextWriterPtr xw = NULL;
	xmlBufferPtr xb = NULL;
	sqlite3_stmt *st;
	int ch, i;

	optind = 0;
	while ((ch = getopt_long(argc, argv, "", longopts, NULL)) != -1) {
		switch (ch) {
		case 'A':
			if ((why = parse_date(optarg, ate)))
				fatal(EXIT_USAGE, "--ate '%s': %s", optarg, why);
			break;
		case 'D':
			if ((why = parse_date(optarg, de)))
				fatal(EXIT_USAGE, "--de '%s': %s", optarg, why);
			break;
		case 'f': format = optarg; break;
		case 'n': numero = optarg; break;
		case 's': status = optarg; break;
		case 't':
			if (strcmp(optarg, "odonto") != 0)
				fatal(EXIT_USAGE, "--tipo '%s': this pipeline "
				    "bills dental guides only (odonto)", optarg);
			break;
		default:
			fatal(EXIT_USAGE, "usage: tiss-lote list [--de d --ate d] "
			    "[--numero n] [--status s] [--tipo odonto] "
			    "[--format table|csv|xml]");
		}
	}
	if ((de[0] != '\0') != (ate[0] != '\0'))
		fatal(EXIT_USAGE, "give both --de and --ate");
	if (de[0] && (strcmp(de, ate) > 0 || !within_3_months(de, ate)))
		fatal(EXIT_USAGE, "the period %s to %s is longer than 3 months "
		    "(or reversed); search at most 3 months at a time", de, ate);
	if (strcmp(format, "table") && strcmp(format, "csv") &&
	    strcmp(format, "xml"))
		fatal(EXIT_USAGE, "--format: '%s' is not table, csv or xml",
		    format);
	st = db_prepare(ws->db, "SELECT l.codigoPrestadorNaOperadora, "
	    "l.numeroLote, l.competencia, l.tipoGuia, l.status, "
	    "(SELECT count(*) FROM guia g WHERE g.lote_id = l.id), "
	    "(SELECT sum(valorTotalProc) FROM guia g WHERE g.lote_id = l.id), "
	    "l.criadoEm, l.xmlArquivo FROM lote l WHERE "
	    "(?1 IS NULL OR l.codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR substr(l.criadoEm, 1, 10) >= ?2) AND "
	    "(?3 IS NULL OR substr(l.criadoEm, 1, 10) <= ?3) AND "
	    "(?4 IS NULL OR l.numeroLote = ?4) AND (?5 IS NULL OR l.status = ?5) "
	    "ORDER BY 1, 2");
	db_bind_text(st, 1, prestador);
	db_bind_text(st, 2, de[0] ? de : NULL);
	db_bind_text(st, 3, ate[0] ? ate : NULL);
	if (numero)
		sqlite3_bind_int64(st, 4, atoll(numero));
	db_bind_text(st, 5, status);
	if (strcmp(format, "xml") == 0) {
		xb = xmlBufferCreate();
		xw = xmlNewTextWriterMemory(xb, 0);
		xmlTextWriterSetIndent(xw, 1);
		xmlTextWriterStartDocument(xw, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(xw, BAD_CAST "lotes");
	} else if (strcmp(format, "csv") == 0) {
		for (i = 0; cols[i]; i++) {
			csv_fwrite(stdout, cols[i], strlen(cols[i]));
			putchar(cols[i + 1] ? ';' : '\n');
		}
	} else
		printf("%-10s %6s %-7s %-10s %5s %13s %-10s\n", "PRESTADOR",
		    "LOTE", "COMPET.", "STATUS", "GUIAS", "VALOR", "CRIADO");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		const char *v[9];

		for (i = 0; i < 9; i++)
			v[i] = db_col_text(st, i);
		format_hundredths(sqlite3_column_int64(st, 6), total);
		v[6] = total;
		if (xw) {
			xmlTextWriterStartElement(xw, BAD_CAST "lote");
			for (i = 0; cols[i]; i++)
				if (v[i])
					xmlTextWriterWriteElement(xw,
					    BAD_CAST cols[i], BAD_CAST v[i]);
			xmlTextWriterEndElement(xw);
		} else if (strcmp(format, "csv") == 0) {
			for (i = 0; cols[i]; i++) {
				const char *s = v[i] ? v[i] : "";

				csv_fwrite(stdout, s, strlen(s));
				putchar(cols[i + 1] ? ';' : '\n');
			}
		} else
			printf("%-10.10s %6s %-7s %-10s %5s %13s %.10s\n",
			    v[0], v[1], v[2], v[4], v[5], v[6], v[7]);
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
	struct lote_ref l;
	sqlite3_stmt *st;
	char total[32];
	long n = 0;

	if (argc != 2)
		fatal(EXIT_USAGE, "usage: tiss-lote show N");
	l = find_lote(ws, argv[1]);
	st = db_prepare(ws->db, "SELECT criadoEm, alteradoEm, xmlArquivo, "
	    "xmlBytes, xmlHash, xmlSha256, soapArquivo FROM lote WHERE id = ?");
	sqlite3_bind_int64(st, 1, l.id);
	db_step(ws->db, st);
	printf("lote %ld: %s\n  prestador %s, competência %s, odonto\n"
	    "  criado %s, alterado %s\n", l.numero, l.status, l.prest,
	    l.competencia, db_col_text(st, 0), db_col_text(st, 1));
	if (db_col_text(st, 2))
		printf("  xml %s (%s bytes), hash %s, sha256 %s\n  soap %s\n",
		    db_col_text(st, 2), db_col_text(st, 3), db_col_text(st, 4),
		    db_col_text(st, 5), db_col_text(st, 6));
	sqlite3_finalize(st);
	st = db_prepare(ws->db, "SELECT numeroGuiaPrestador, numeroCarteira, "
	    "(SELECT count(*) FROM procedimento p WHERE p.guia_id = g.id), "
	    "valorTotalProc FROM guia g WHERE lote_id = ? ORDER BY 1");
	sqlite3_bind_int64(st, 1, l.id);
	printf("  %-20s %-20s %5s %13s\n", "GUIA", "CARTEIRA", "PROC", "VALOR");
	while (db_step(ws->db, st) == SQLITE_ROW) {
		format_hundredths(sqlite3_column_int64(st, 3), total);
		printf("  %-20s %-20s %5s %13s\n", db_col_text(st, 0),
		    db_col_text(st, 1) ? db_col_text(st, 1) : "",
		    db_col_text(st, 2), total);
		n++;
	}
	sqlite3_finalize(st);
	printf("  %ld guia%s\n", n, n == 1 ? "" : "s");
	return EXIT_OK;
}

static void
usage(void)
{
	fprintf(stderr,
	    "usage: tiss-lote [-C dir] [-qv] [-p prestador] command ...\n"
	    "  build [--competencia aaaa-mm]\n"
	    "  list [--de d --ate d] [--numero n] [--status s] [--tipo odonto]\n"
	    "       [--format table|csv|xml]\n"
	    "  show n\n"
	    "  new --competencia aaaa-mm --guia g ...\n"
	    "  add n g ...\n"
	    "  rm n g ...\n"
	    "  delete n\n"
	    "  close n\n");
	exit(EXIT_USAGE);
}

int
main(int argc, char *argv[])
{
	static const struct {
		const char *name;
		int (*fn)(struct ws *, int, char **);
	} cmds[] = {
		{ "build", cmd_build }, { "list", cmd_list }, { "show", cmd_show },
		{ "new", cmd_new }, { "add", cmd_add }, { "rm", cmd_rm },
		{ "delete", cmd_delete }, { "close", cmd_close },
	};
	const char *dir = NULL;
	struct ws ws;
	int ch, i, level = LOG_NORMAL, ret = -1;

	while ((ch = getopt(argc, argv, "+C:hp:qv")) != -1) {
		switch (ch) {
		case 'C':
			dir = optarg;
			break;
		case 'p':
			prestador = optarg;
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
	if (argc < 1)
		usage();
	log_init("tiss-lote", level);
	time_iso(stamp);
	for (i = 0; i < (int)(sizeof(cmds) / sizeof(cmds[0])); i++)
		if (strcmp(argv[0], cmds[i].name) == 0) {
			ws_open(&ws, ws_dir(dir));
			lote_max = cfg_get_long(&ws.cfg, "operadora",
			    "tamanho_lote", 50, 1, 100);
			/* Each command reads its own arguments from argv[0]. */
			ret = cmds[i].fn(&ws, argc, argv);
			ws_close(&ws);
			break;
		}
	if (ret < 0)
		usage();
	return close_stdout(ret);
}
