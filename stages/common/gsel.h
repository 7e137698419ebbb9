/*
 * Which guides a command works on: the filters tiss-guia list, export
 * and set share (--de, --ate, --exec-de, --exec-ate, --status, --guia,
 * --carteira, --regra, --vazio, --lote; -p for the prestador), parsed
 * from getopt and turned into one query.  Every filter narrows; none
 * given selects every guide.
 */
#ifndef TISS_GSEL_H
#define TISS_GSEL_H

#include <stddef.h>

#include <sqlite3.h>

/* Filter slots, also the query's parameter numbers. */
enum {
	GSEL_PREST = 1, GSEL_DE, GSEL_ATE, GSEL_EXEC_DE, GSEL_EXEC_ATE,
	GSEL_STATUS, GSEL_GUIA, GSEL_CARTEIRA, GSEL_REGRA, GSEL_LOTE,
	GSEL_N
};

struct gsel {
	const char *v[GSEL_N];	/* each filter's value, NULL when not given */
	char	 date[GSEL_N][11];	/* the dates in ISO form */
	int	 vazio;		/* --vazio: this GTO field empty; -1 none */
	int	 given;		/* how many filters were given */
};

/*
 * The filters' options, declared for cli (cli.h) for a command's
 * declaration to include; their letters are the GSEL_LETTERS of the
 * slots from GSEL_DE on, and 'z' for --vazio.
 */
#define GSEL_OPTIONS	"de=D: ate=A: exec-de=E: exec-ate=X: status=s: " \
	"guia=g: carteira=c: regra=r: lote=l: vazio=z:"
#define GSEL_LETTERS	"DAEXsgcrl"

void	 gsel_init(struct gsel *s);
/*
 * Take option ch (a letter of GSEL_OPTIONS) with argument arg, from a
 * cli callback.  Returns 0; 1 when ch is not a filter; exits 64 for a
 * bad date or field name.
 */
int	 gsel_option(struct gsel *s, int ch, const char *arg);

/*
 * The query of the selected guides of prestador (NULL: all; overrides
 * nothing if s has none) in prestador and number order.  Its columns:
 * 0 prestador, 1 number, 2 dataSolicitacao, 3 numeroCarteira, 4 status,
 * 5 procedures, 6 sum of valorProc, 7 pendências erro, 8 origem, 9 id.
 * The caller finalizes it.  Exits as db_prepare on a database error.
 */
sqlite3_stmt *gsel_query(sqlite3 *db, const struct gsel *s,
	    const char *prestador);

/* The ids of the selected guides (malloc'd, *n of them; caller frees). */
long long *gsel_ids(sqlite3 *db, const struct gsel *s, const char *prestador,
	    size_t *n);

#endif

/*
 * List the selected guides on stdout in format (listing.h: table, csv,
 * xml).  Returns the rows listed.
 */
long	 gsel_list(sqlite3 *db, const struct gsel *s, const char *prestador,
	    int format);

/*
 * Keep in ids[0..n) only the guides that may change (incompleto or
 * completo), in order.  Returns how many remain.
 */
size_t	 gsel_editable(sqlite3 *db, long long *ids, size_t n);

/*
 * How many guides not in a lote were never validated, or changed since
 * (alteradoEm after validadoEm): what a crash between a change and its
 * validation leaves.  Exits as db_step on a database error.
 */
long	 gsel_unvalidated(sqlite3 *db);

/*
 * Ask before a change to n guides: with yes set, go on; on a terminal,
 * print "what: N guias. Confirma? [s/N]" on stderr and read the answer
 * from stdin (s, sim, y, yes go on); with neither, exit 64 saying to
 * give --yes.  Returns 1 to go on, 0 when the person said no.
 */
int	 gsel_confirm(long n, const char *what, int yes);
