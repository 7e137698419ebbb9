#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include "cli.h"
#include "db.h"
#include "exitcodes.h"
#include "gsel.h"
#include "gto.h"
#include "i18n.h"
#include "listing.h"
#include "log.h"
#include "parse.h"
#include "util.h"

void
gsel_init(struct gsel *s)
{
	memset(s, 0, sizeof(*s));
	s->vazio = -1;
}

int
gsel_option(struct gsel *s, int ch, const char *arg)
{
	const char *why, *l = strchr(GSEL_LETTERS, ch);

	if (ch != 0 && l != NULL)
		ch = GSEL_DE + (int)(l - GSEL_LETTERS);	/* the slot */
	if (ch == 'z') {
		if ((s->vazio = gto_field_find(arg)) < 0)
			fatal(EXIT_USAGE, _("--vazio '%s': not a GTO field; "
			    "give a column name of tiss-csv(5), e.g. "
			    "cbosExec2"), arg);
	} else if (ch >= GSEL_DE && ch <= GSEL_EXEC_ATE) {
		if ((why = parse_date(arg, s->date[ch])) != NULL)
			fatal(EXIT_USAGE, "%s '%s': %s", cli_optname(), arg,
			    why);
		s->v[ch] = s->date[ch];
	} else if (ch >= GSEL_STATUS && ch < GSEL_N)
		s->v[ch] = arg;
	else
		return 1;
	s->given++;
	return 0;
}

sqlite3_stmt *
gsel_query(sqlite3 *db, const struct gsel *s, const char *prestador)
{
	struct buf sql = { 0 };
	sqlite3_stmt *st;
	const struct gto_field *f;
	int i;

	buf_adds(&sql, "SELECT "
	    "g.codigoPrestadorNaOperadora, g.numeroGuiaPrestador, "
	    "g.dataSolicitacao, g.numeroCarteira, g.status, (SELECT count(*) "
	    "FROM procedimento p WHERE p.guia_id = g.id), (SELECT "
	    "sum(valorProc) FROM procedimento p WHERE p.guia_id = g.id), "
	    "(SELECT count(*) FROM pendencia d WHERE d.guia_id = g.id AND "
	    "d.severidade = 'erro'), g.origem, g.id FROM guia g WHERE "
	    "(?1 IS NULL OR g.codigoPrestadorNaOperadora = ?1) AND "
	    "(?2 IS NULL OR g.dataSolicitacao >= ?2) AND "
	    "(?3 IS NULL OR g.dataSolicitacao <= ?3) AND "
	    "(?4 IS NULL AND ?5 IS NULL OR EXISTS (SELECT 1 FROM procedimento p "
	    "WHERE p.guia_id = g.id AND (?4 IS NULL OR p.dataRealizacao >= ?4) "
	    "AND (?5 IS NULL OR p.dataRealizacao <= ?5))) AND "
	    "(?6 IS NULL OR g.status = ?6) AND "
	    "(?7 IS NULL OR g.numeroGuiaPrestador = ?7) AND "
	    "(?8 IS NULL OR g.numeroCarteira = ?8) AND "
	    "(?9 IS NULL OR EXISTS (SELECT 1 FROM pendencia d WHERE "
	    "d.guia_id = g.id AND d.regra = ?9)) AND "
	    "(?10 IS NULL OR EXISTS (SELECT 1 FROM lote l WHERE l.id = "
	    "g.lote_id AND l.numeroLote = ?10))");
	if (s->vazio >= 0) {
		/* The column comes from the field table, never from input. */
		f = &gto_fields[s->vazio];
		if (f->level == GTO_GUIA)
			buf_addf(&sql, " AND (g.%s IS NULL OR g.%s = '')",
			    f->column, f->column);
		else
			buf_addf(&sql, " AND EXISTS (SELECT 1 FROM "
			    "procedimento p WHERE p.guia_id = g.id AND "
			    "(p.%s IS NULL OR p.%s = ''))", f->column,
			    f->column);
	}
	buf_adds(&sql, " ORDER BY 1, 2");
	buf_addc(&sql, '\0');
	st = db_prepare(db, sql.data);
	buf_release(&sql);
	for (i = 1; i < GSEL_N; i++)
		db_bind_text(st, i, i == GSEL_PREST ? prestador : s->v[i]);
	return st;
}

long long *
gsel_ids(sqlite3 *db, const struct gsel *s, const char *prestador, size_t *n)
{
	sqlite3_stmt *st = gsel_query(db, s, prestador);
	long long *ids = NULL;
	size_t cap = 0;

	*n = 0;
	while (db_step(db, st) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? 2 * cap : 64;
			ids = xrealloc(ids, cap * sizeof(*ids));
		}
		ids[(*n)++] = sqlite3_column_int64(st, 9);
	}
	sqlite3_finalize(st);
	return ids;
}

int
gsel_confirm(long n, const char *what, int yes)
{
	char answer[16];

	if (yes)
		return 1;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		fatal(EXIT_USAGE, _("%s: %ld guides; without a terminal to ask, "
		    "nothing was changed: check the selection with tiss-guia "
		    "list and give --yes to confirm"), what, n);
	fprintf(stderr, _("%s: %ld guides. Go ahead? [y/N] "), what, n);
	fflush(stderr);
	if (fgets(answer, sizeof(answer), stdin) == NULL)
		return 0;
	answer[strcspn(answer, "\r\n")] = '\0';
	return strcasecmp(answer, "s") == 0 || strcasecmp(answer, "sim") == 0 ||
	    strcasecmp(answer, "y") == 0 || strcasecmp(answer, "yes") == 0;
}

long
gsel_list(sqlite3 *db, const struct gsel *s, const char *prestador,
    int format)
{
	static const struct listing_col cols[] = {
		{ "codigoPrestadorNaOperadora", "PRESTADOR", 10, 0 },
		{ "numeroGuiaPrestador", "GUIA", 16, 0 },
		{ "dataSolicitacao", "SOLICIT.", 10, LISTING_DATE },
		{ "numeroCarteira", NULL, 0, 0 },
		{ "status", "STATUS", 10, 0 },
		{ "procedimentos", "PROC", -4, 0 },
		{ "valorTotalProc", "VALOR", -13, LISTING_MONEY },
		{ "pendencias", "PEND", -4, 0 },
		{ "origem", NULL, 0, 0 },
		{ NULL, NULL, 0, 0 }
	};
	sqlite3_stmt *st = gsel_query(db, s, prestador);
	struct listing l;
	const char *v[9];
	char total[32];
	int i;

	listing_begin(&l, format, "guias", "guia", cols);
	while (db_step(db, st) == SQLITE_ROW) {
		for (i = 0; i < 9; i++)
			v[i] = db_col_text(st, i);
		total[0] = '\0';
		if (v[6])
			format_hundredths(sqlite3_column_int64(st, 6), total);
		v[6] = total;
		listing_row(&l, v);
	}
	sqlite3_finalize(st);
	return listing_end(&l);
}

size_t
gsel_editable(sqlite3 *db, long long *ids, size_t n)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT status IN ('incompleto', "
	    "'completo') FROM guia WHERE id = ?");
	size_t i, m = 0;

	for (i = 0; i < n; i++) {
		sqlite3_reset(st);
		sqlite3_bind_int64(st, 1, ids[i]);
		if (db_step(db, st) == SQLITE_ROW &&
		    sqlite3_column_int(st, 0))
			ids[m++] = ids[i];
	}
	sqlite3_finalize(st);
	return m;
}

long
gsel_unvalidated(sqlite3 *db)
{
	sqlite3_stmt *st = db_prepare(db, "SELECT count(*) FROM guia WHERE "
	    "status IN ('incompleto', 'completo') AND (validadoEm IS NULL OR "
	    "validadoEm < alteradoEm)");
	long n = 0;

	if (db_step(db, st) == SQLITE_ROW)
		n = (long)sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}
