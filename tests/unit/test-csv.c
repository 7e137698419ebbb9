/* Unit tests of stages/common/csv.c: the one CSV reader. */
#include <stdio.h>
#include <string.h>

#include "common/csv.h"
#include "common/text.h"
#include "common/util.h"
#include "tap.h"

/* Every row as "LINE:f1|f2|..." with each field's line when it differs. */
static int
collect(struct csvin *r, const struct csvin_row *row, void *ctx)
{
	struct buf *out = ctx;
	int i;

	(void)r;
	buf_addf(out, "%ld:", row->line);
	for (i = 0; i < row->nf; i++) {
		const struct csvin_field *f = &row->f[i];

		if (i)
			buf_addc(out, '|');
		if (f->s == NULL)
			buf_addf(out, "<%zu>", f->n);
		else
			buf_add(out, f->s, f->n);
		if (f->line != row->line)
			buf_addf(out, "@%ld", f->line);
	}
	buf_adds(out, row->blank ? " (blank)\n" : "\n");
	return 0;
}

static void
rows(const char *in, size_t field_max, const char *want, const char *name)
{
	struct csvin r;
	struct buf out = { 0 };
	enum csvin_result res;

	csvin_init(&r);
	r.field_max = field_max;
	res = csvin_read_mem(&r, in, strlen(in), collect, &out);
	if (res != CSVIN_OK)
		buf_addf(&out, "error %ld: %s", r.err_line, r.err);
	ok_str(out.data ? out.data : "", want, name);
	csvin_release(&r);
	buf_release(&out);
}

int
main(void)
{
	struct csvin r;
	struct csvin_field f;
	struct buf out = { 0 };
	char big[2000000];

	rows("a;b;c,d\n1;2;3,4\n", 4096, "1:a|b|c,d\n2:1|2|3,4\n",
	    "separator: ';' when the first line has more");
	rows("a,b;c\n1,2;3\n", 4096, "1:a|b;c\n2:1|2;3\n",
	    "separator: ',' when the first line has more");
	rows("\xEF\xBB\xBFx;y\r\n1;2\r\n", 4096, "1:x|y\n2:1|2\n",
	    "BOM skipped, CRLF line ends");
	rows("x;y\n\"a\nb\";c\nd;e\n", 4096, "1:x|y\n2:a\nb|c@3\n4:d|e\n",
	    "a quoted line break: the next field and row have their lines");
	rows("x;y\n;\n  ;\t\n", 4096, "1:x|y\n2:| (blank)\n3:| (blank)\n",
	    "rows of blanks flagged blank");
	rows("x;y\n12345;1\n", 4, "1:x|y\n2:<5>|1\n",
	    "a field over field_max is flagged, not kept");
	rows("x;y\n\"open\n", 4096, "1:x|y\nerror 2: quoted field never "
	    "closed before the end of the file", "an unclosed quote");
	rows("x;y\nab\"c;d\n", 4096, "1:x|y\nerror 2: malformed quoting: a "
	    "field with quotes must be enclosed in quotes, and quotes inside "
	    "it doubled (\"\"); reading stopped here", "a stray quote");

	/* Lines without quotes are split by the reader, the rest by libcsv. */
	rows("x;y\n a ; b \n\"q;1\";2\nc;\n", 4096,
	    "1:x|y\n2:a|b\n3:q;1|2\n4:c|\n",
	    "plain lines: blanks trimmed, a last empty field; a quoted line");
	rows("x;y\r\n1;2\r\n\r\n \t \n3;4\n", 4096, "1:x|y\n2:1|2\n5:3|4\n",
	    "CRLF; empty and blank lines are no row but count");
	rows("x;y\na\rb;c\n", 4096, "1:x|y\n2:a\n2:b|c\n",
	    "a CR alone ends a row, as libcsv reads it");

	memset(big, 'a', sizeof(big) - 1);
	memcpy(big, "x;y\n1;2\n", 8);
	big[sizeof(big) - 1] = '\0';
	csvin_init(&r);
	ok(csvin_read_mem(&r, big, strlen(big), collect, &out) ==
	    CSVIN_EFORMAT && r.err_line == 3, "a huge first field: error on "
	    "its own line (3), not the previous row's");
	csvin_release(&r);
	buf_release(&out);

	csvin_init(&r);
	f.s = "  Jos\xe9  ";
	f.n = strlen(f.s);
	f.line = 1;
	f.col = 1;
	ok(csvin_decode(&r, &f, &out) == NULL && r.encoding == ENC_CP1252,
	    "decode: the first non-UTF-8 field decides Windows-1252");
	ok_str(out.data, "Jos\xc3\xa9", "decode: trimmed and converted");
	csvin_release(&r);
	buf_release(&out);
	return tap_done();
}
