/*
 * Which lotes a stage works on, and the workers that work on them: the
 * one lote picker (tiss-xml, tiss-send, tiss-status) and the one pool of
 * forked workers, each with its own database connection.
 *
 * A stage names lotes with --lote N (cli_lote) and narrows them with -p;
 * without --lote it takes every lote in a wanted status.  A named lote in
 * another status is skipped with a notice ("lote 7 of 10001234 is
 * aberto, not fechado: close it first"); a named lote that does not
 * exist is an error (66), and the others go on.
 */
#ifndef TISS_LOTES_H
#define TISS_LOTES_H

#include <sqlite3.h>

#include "state.h"
#include "ws.h"

#define LOTES_MAXCOL	6		/* extra columns a caller may ask for */
#define LOTES_WANT(s)	(1u << (s))	/* a bit of lotes_spec.wanted */

/* One picked lote, as it stood when picked. */
struct lote_item {
	long long id;			/* lote.id */
	char	*prest;			/* codigoPrestadorNaOperadora; owned */
	long long numero;		/* numeroLote */
	char	 competencia[8];	/* "AAAA-MM" */
	enum lote_state status;
	long long revisao;		/* lote.revisao: bumped by every change */
	char	*col[LOTES_MAXCOL];	/* lotes_spec.columns as text, owned;
					   NULL for SQL NULL */
};

/* The lotes picked, in (prestador, numero) order, named ones in -l order. */
struct lote_list {
	struct lote_item *v;		/* owned; free with lotes_release */
	long	 n;			/* how many */
};

struct lotes_spec {
	const char *prestador;		/* -p, or NULL for every prestador */
	const long long *named;		/* --lote numbers (cli_lote), or NULL */
	int	 nnamed;		/* how many in named; 0: pick by status */
	unsigned wanted;		/* LOTES_WANT(LOTE_FECHADO) | ... */
	/*
	 * An extra SQL condition on table lote for the selection by status
	 * (not for named lotes), e.g. "statusProtocolo IS NULL"; or NULL.
	 * Program text only, never user input.
	 */
	const char *where;
	/*
	 * Up to LOTES_MAXCOL more columns of lote to read into col[], e.g.
	 * "soapArquivo, envioSha256"; ncolumns says how many.  Or NULL.
	 */
	const char *columns;
	int	 ncolumns;
	/*
	 * What to tell the clerk about a named lote in status s that is not
	 * wanted ("close it first"); NULL, or returning NULL, says "nothing
	 * to do".
	 */
	const char *(*hint)(enum lote_state s);
};

/*
 * Pick the lotes spec asks for from db into out (which it initialises).
 * Named lotes in another status are skipped with a log_notice.  Returns
 * EXIT_OK, or EXIT_NOINPUT when a named lote does not exist (logged with
 * log_error; the others are still picked).  Database errors exit as
 * db_step does.  The caller frees out with lotes_release.
 */
int	 lotes_pick(sqlite3 *db, const struct lotes_spec *spec,
	    struct lote_list *out);

/* Free what lotes_pick allocated in l; l is empty afterwards. */
void	 lotes_release(struct lote_list *l);

/* How many lotes of l are now in status (read again from db). */
long	 lotes_count(sqlite3 *db, const struct lote_list *l,
	    enum lote_state status);

/*
 * The work of one worker: the lotes at positions k, k + n, k + 2n, ...
 * of l, on ws, whose database connection is this worker's own.  Returns
 * an exit code (the most severe of its lotes, by exit_worse).
 */
typedef int lotes_work_fn(struct ws *ws, const struct lote_list *l, int k,
    int n, void *ctx);

/*
 * Run work over l with jobs workers (jobs < 1: one per online CPU; never
 * more than l->n, never fewer than 1).  One worker runs in this process
 * on ws as it is.  Several are forked: stdout is flushed, ws->db is
 * closed, and each child opens its own connection to the workspace's
 * database (its page cache ws->cache_mb / jobs: cache_mb bounds the
 * program), calls work, closes it and exits with close_stdout's code;
 * the parent waits for all of them and opens ws->db again.  Other fields
 * of ws (cfg, the lock) are shared with the children as fork shares them.
 * Returns the most severe code by exit_worse; a worker killed by a
 * signal, or one that cannot be forked or waited for, counts as 70 (and
 * is logged); the lotes of a worker that could not be forked are not
 * worked on.
 */
int	 lotes_pool(struct ws *ws, const struct lote_list *l, int jobs,
	    lotes_work_fn *work, void *ctx);

/*
 * Lote numero of prestador (NULL: of any prestador) into out, columns
 * as lotes_pick reads them (no extra columns).  Returns how many lotes
 * match: 0 (out is zeroed), 1, or more when two prestadores have that
 * number and prestador is NULL (out holds the last).  The caller frees
 * out with lotes_item_release.  Database errors exit as db_step does.
 */
int	 lotes_find(sqlite3 *db, const char *prestador, long long numero,
	    struct lote_item *out);

/* Free what one lote_item owns; it is zeroed afterwards. */
void	 lotes_item_release(struct lote_item *it);

/*
 * A new lote of prest and competencia ("AAAA-MM") with the next number
 * of the prestador's sequence, which never goes back (so no number is
 * ever reused), created with the stamp (ISO 8601) as criadoEm.  It is
 * 'aberto' (the column's default), moved on to `to` through state.h
 * when `to` is not LOTE_ABERTO.  Runs inside the caller's transaction.
 * Returns its id and puts its number in *numero; exits 70 when the
 * state table refuses `to` (a bug).
 */
long long lotes_create(sqlite3 *db, const char *prest,
	    const char *competencia, const char *stamp, enum lote_state to,
	    long long *numero);

/*
 * The complete guides in no lote (of prest, when not NULL; of the month
 * comp "AAAA-MM", when not NULL) into new 'fechado' lotes of up to max
 * guides, by prestador, month (of the last procedure) and guide number,
 * each lote printed on stdout as "PRESTADOR NUMBER GUIDES".  When
 * state_fill_begin turns the triggers off and prest is NULL, the build
 * reads guia and its procedures once in id order, keeping each
 * candidate's month in a map of 4 bytes a guia id from the first
 * candidate's to the last's (the page cache made smaller by as much,
 * within cache_mb), then the (prestador, guide) index alone, in its
 * order, making and closing every lote; then the guides move in the
 * order of their ids, each guia page written once (state_guias_picked),
 * guia's index on lote_id dropped first and made again after when they
 * are a quarter of the table or more.  Else (one prestador, the
 * triggers on, or candidates' ids spread over more than 4M), prestador
 * by prestador along the index, its guides' ids kept by month (8 bytes
 * a guide of one prestador), each lote filled and closed in one go
 * (state_lote_fill).  Runs inside the caller's transaction, begun with
 * temp_store FILE (the index's sort and a statement journal past 64 KiB
 * on disk); puts the counts in *nlotes and *nguides.  Exits as db_step
 * does, 70 when a lote cannot be filled (a bug).  For the tests only:
 * with TISS_TEST_LOTE_PAUSE=DIR set, once the first guides moved, it
 * creates DIR/moved and waits (up to 120 s) for DIR/go.
 */
void	 lotes_build(sqlite3 *db, const char *prest, const char *comp,
	    long max, const char *stamp, long *nlotes, long *nguides);

/*
 * Check that guide num (numeroGuiaPrestador; of prestador, when not
 * NULL) may join a lote of prest and competencia ("AAAA-MM"): it must
 * be completo, of that prestador, and of that competência (the month of
 * its last dataRealizacao).  An empty prest or competencia (a lote not
 * made yet) is filled from the guide.  Returns the guide's id, or 0 with
 * the reason in err and the exit code in *code: 65 refused, 66 no such
 * guide, 64 several prestadores have that number (say which with -p).
 */
long long lotes_guide_eligible(sqlite3 *db, const char *prestador,
	    const char *num, char prest[64], char competencia[8], int *code,
	    char *err, size_t errlen);

/*
 * Forget lote id's XML: remove its files (a warning when one cannot be
 * removed), clear xmlArquivo and the columns that go with it, and move
 * it back to 'aberto' (from fechado or xml_gerado; an open lote stays
 * open).  Runs inside the caller's transaction; the files go first, so
 * a crash leaves at worst a lote naming a missing file, never a file
 * recorded for content that changed.
 */
void	 lotes_drop_xml(struct ws *ws, long long id);

/*
 * Whether a prestador code can name a folder under out/ (defence in
 * depth; the entry rule is tiss-guia's and tiss-import's): 1 to 64
 * letters, digits, '.', '_' or '-', not starting with '.'.  Returns 1 or 0.
 */
int	 lotes_prest_ok(const char *prest);

/*
 * WS/out/PREST, the folder of a prestador's lote files, created (0755)
 * when missing.  Returns it, newly allocated (the caller frees it), or
 * NULL with the reason in err when prest fails lotes_prest_ok or the
 * folder cannot be made.  Never exits.
 */
char	*lotes_out_dir(struct ws *ws, const char *prest, char *err,
	    size_t errlen);

/*
 * Write n bytes of data as WS/out/PREST/name, durably (whole under a
 * temporary name, renamed, the folder synced; mode 0644).  Returns the
 * path relative to the workspace, "out/PREST/name", newly allocated
 * (the caller frees it), or NULL with the reason in err.  Never exits.
 */
char	*lotes_out_write(struct ws *ws, const char *prest, const char *name,
	    const void *data, size_t n, char *err, size_t errlen);

/*
 * Remove what an interrupted tiss-xml left in WS/out/PRESTADOR/: its
 * temporary files (.N_HASH.xml.tmp, .N_HASH_ws.xml.tmp) and the files
 * N_HASH.xml and N_HASH_ws.xml (HASH 32 lowercase hex digits) that no
 * lote's xmlArquivo or soapArquivo names.  Nothing else is touched:
 * other names, symbolic links, folders that are links.  The caller
 * holds the workspace's xml lock (ws_lock), so no run is between
 * writing its files and recording them.  Logs a notice when it removed
 * anything, a warning for a file it could not remove.  Returns how many
 * files it removed.
 */
long	 lotes_sweep(struct ws *ws);

#endif
