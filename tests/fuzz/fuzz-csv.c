/*
 * Fuzz the CSV import path without a database: the CSV reader (separator,
 * BOM and encoding detection, quoting, line counting, size caps), the
 * header map (TISS names and the GTO form's labels, Dente/Região,
 * Chave) and the conversion of each row into canonical guide values
 * (gto_canonical), and the merge of rows into one guide.  The first
 * input byte picks the limits and the encoding, so small caps and every
 * decoder are reached.  Checks the reader's promises: fields numbered
 * 1.., lines never going back, kept fields within their caps.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "common/csv.h"
#include "common/guide.h"
#include "common/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct state {
	struct guide_cols cols;
	struct guide row, cur;
	int	 header;
	long	 last_line;
};

static int
on_row(struct csvin *r, const struct csvin_row *row, void *ctx)
{
	struct state *st = ctx;
	int i;

	if (row->line < st->last_line || row->nf > r->columns_max)
		abort();
	st->last_line = row->line;
	for (i = 0; i < row->nf; i++) {
		const struct csvin_field *f = &row->f[i];

		if (f->col != i + 1 || f->line < row->line ||
		    (f->s && f->n > r->field_max))
			abort();
	}
	if (row->blank)
		return 0;
	if (!st->header) {
		st->header = 1;
		return guide_cols_header(&st->cols, r, row) != 0;
	}
	if (guide_cols_row(&st->cols, r, row, &st->row) == 0)
		guide_cols_merge(&st->cols, r, &st->cur, &st->row);
	return r->stopped;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int encs[4] = { ENC_AUTO, ENC_UTF8, ENC_CP1252,
	    ENC_LATIN1 };
	struct csvin r;
	struct state st;
	struct buf reason = { 0 };
	unsigned k = size ? data[0] : 0;

	memset(&st, 0, sizeof(st));
	guide_cols_init(&st.cols, k & 0x80);
	st.cols.allow_clear = k & 0x40;	/* a re-import: "#apagar" is read */
	guide_init(&st.row);
	guide_init(&st.cur);
	csvin_init(&r);
	r.quiet = 1;
	r.reason = &reason;
	r.encoding = encs[k & 3];
	if (k & 4) {
		r.field_max = 16;
		r.row_max = 64;
		r.columns_max = 4;
	}
	else
		r.columns_max = 48;	/* each header name costs a table search */
	r.sep = (k & 8) ? ';' : 0;
	r.problems_max = 50;
	st.cols.field_max = r.field_max;
	if (size)
		csvin_read_mem(&r, (const char *)data + 1, size - 1, on_row,
		    &st);
	csvin_release(&r);
	guide_cols_release(&st.cols);
	guide_release(&st.row);
	guide_release(&st.cur);
	buf_release(&reason);
	return 0;
}
