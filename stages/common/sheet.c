#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db.h"
#include "sheet.h"
#include "util.h"

static int
guarded(unsigned char c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == '\t' ||
	    c == '\r';
}

/*
 * Whether s is written with an apostrophe before it: it starts with a
 * character a spreadsheet takes for a formula, or it is the marker, or
 * it starts with an apostrophe before such a value (so that reading
 * takes exactly the one added off).
 */
static int
needs_guard(const char *s)
{
	if (guarded((unsigned char)s[0]) || sheet_is_clear(s))
		return 1;
	return s[0] == '\'' && needs_guard(s + 1);
}

void
sheet_guard(const char *s, struct buf *out)
{
	if (needs_guard(s))
		buf_addc(out, '\'');
	buf_adds(out, s);
}

const char *
sheet_unguard(const char *s)
{
	if (s[0] == '\'' && needs_guard(s + 1))
		return s + 1;
	return s;
}

int
sheet_is_clear(const char *s)
{
	/* Called on every imported cell: most differ at the first byte. */
	return s[0] == SHEET_CLEAR[0] && strcasecmp(s, SHEET_CLEAR) == 0;
}

void
sheet_begin(struct sheet_out *w, FILE *fp)
{
	memset(w, 0, sizeof(*w));
	w->fp = fp;
	fputs("\xEF\xBB\xBF", fp);
}

void
sheet_cell(struct sheet_out *w, const char *s)
{
	const char *p;

	if (w->ncell++)
		putc(';', w->fp);
	if (s == NULL || *s == '\0')
		return;
	buf_reset(&w->b);
	sheet_guard(s, &w->b);
	buf_addc(&w->b, '\0');
	if (strpbrk(w->b.data, ";\"\r\n") == NULL) {
		fputs(w->b.data, w->fp);
		return;
	}
	putc('"', w->fp);
	for (p = w->b.data; *p; p++) {
		if (*p == '"')
			putc('"', w->fp);
		putc(*p, w->fp);
	}
	putc('"', w->fp);
}

void
sheet_end_row(struct sheet_out *w)
{
	fputs("\r\n", w->fp);
	w->ncell = 0;
}

void
sheet_end(struct sheet_out *w)
{
	buf_release(&w->b);
}

enum sheet_merge
sheet_merge(sqlite3 *db, long long id, const char *campo, const char *stored,
    const char *cell, int erase, const char *source)
{
	enum sheet_merge m;

	if (erase)
		m = stored ? SHEET_ERASE : SHEET_KEEP;
	else if (cell == NULL || (stored && strcmp(stored, cell) == 0))
		m = SHEET_KEEP;
	else
		m = SHEET_CHANGE;
	if (m != SHEET_KEEP && db)
		db_audit(db, id, campo, stored, m == SHEET_ERASE ? NULL : cell,
		    source);
	return m;
}
