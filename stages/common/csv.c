/*
 * The CSV reader over libcsv: see csv.h for the contract.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <csv.h>

#include "cfg.h"
#include "csv.h"
#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "text.h"

#define CHUNK	(1 << 20)	/* bytes read at once */

void
csvin_init(struct csvin *r)
{
	memset(r, 0, sizeof(*r));
	r->encoding = ENC_AUTO;
	r->field_max = 4096;
	r->row_max = 65536;
	r->columns_max = 200;
	r->name = "(input)";
	r->problems_max = 1000;
}

void
csvin_release(struct csvin *r)
{
	buf_release(&r->raw);
	free(r->fields);
	r->fields = NULL;
}

/*
 * Add the field of n bytes at p to the row.  p's bytes are copied into
 * raw, unless stable: then they stay where they are until the row's
 * callback returns (a whole line in the chunk, split_line) and f->s
 * points at them.
 */
static void
field_add(struct csvin *r, const char *p, size_t n, int stable)
{
	struct csvin_field *f;

	if (!r->in_row) {
		r->in_row = 1;
		r->row.line = r->line;
		r->row.nf = 0;
		r->row.too_many = r->row.too_long = 0;
		r->row.blank = 1;
		buf_reset(&r->raw);
	}
	f = &r->fields[r->row.nf];
	if (r->row.nf >= r->columns_max) {
		r->row.too_many = 1;
		return;
	}
	f->n = n;
	f->line = r->line;
	f->col = r->row.nf + 1;
	f->s = NULL;
	if (n <= r->field_max && r->raw.len + n <= r->row_max) {
		if (stable)	/* raw.len counts the row's bytes only */
			f->s = p;
		else {	/* raw was grown to row_max: f->s stays valid */
			f->s = r->raw.data + r->raw.len;
			memcpy(r->raw.data + r->raw.len, p, n);
			r->raw.data[r->raw.len + n] = '\0';
		}
		r->raw.len += n;
	} else if (n <= r->field_max)
		r->row.too_long = 1;
	if (r->row.blank && !csvin_field_blank(f))
		r->row.blank = 0;
	r->row.nf++;
}

/* libcsv's field callback: a field may hold quoted line breaks. */
static void
on_field(void *s, size_t n, void *data)
{
	struct csvin *r = data;
	const char *p = s, *e = p + n;

	field_add(r, p, n, 0);
	while ((p = memchr(p, '\n', (size_t)(e - p))) != NULL) {
		r->line++;
		p++;
	}
}

static void
on_row(int c, void *data)
{
	struct csvin *r = data;

	if (r->in_row) {
		r->in_row = 0;
		r->rows++;
		r->row.f = r->fields;
		if (!r->stop && r->cb(r, &r->row, r->ctx) != 0)
			r->stop = 1;
	}
	if (c == '\n')
		r->line++;
}

/* Refuse to let libcsv's buffer grow past CSVIN_PARSER_MAX. */
static void *
bounded_realloc(void *p, size_t n)
{
	if (n > CSVIN_PARSER_MAX)
		return NULL;
	return realloc(p, n);
}

/* ';' or ',', whichever the first line uses more, outside quotes. */
static int
detect_separator(const char *s, size_t n)
{
	size_t i, semi = 0, comma = 0;
	int quoted = 0;

	for (i = 0; i < n && (quoted || (s[i] != '\n' && s[i] != '\r')); i++) {
		if (s[i] == '"')
			quoted = !quoted;
		else if (!quoted && s[i] == ';')
			semi++;
		else if (!quoted && s[i] == ',')
			comma++;
	}
	return semi > comma ? ';' : ',';
}

static void
start(struct csvin *r, struct csv_parser *p,
    int (*cb)(struct csvin *, const struct csvin_row *, void *), void *ctx)
{
	if (csv_init(p, CSV_STRICT | CSV_REPALL_NL | CSV_STRICT_FINI) != 0)
		fatal(EXIT_SOFTWARE, _("cannot initialise the CSV parser"));
	csv_set_realloc_func(p, bounded_realloc);
	r->cb = cb;
	r->ctx = ctx;
	r->line = 1;
	r->rows = 0;
	r->in_row = r->stop = 0;
	r->err = NULL;
	r->err_line = 0;
	buf_reset(&r->raw);
	buf_grow(&r->raw, r->row_max);
	free(r->fields);
	r->fields = xcalloc((size_t)r->columns_max + 1, sizeof(*r->fields));
}

/* Space or TAB: what libcsv trims around an unquoted field. */
static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

/*
 * The length of the line at s (its LF included) when it is plain: whole
 * in s[0..n), no quote, no CR but before the LF, shorter than any field
 * libcsv refuses.  0 when libcsv must read it.
 */
static size_t
plain_line(const char *s, size_t n)
{
	const char *lf = memchr(s, '\n', n < CSVIN_PARSER_MAX ? n :
	    CSVIN_PARSER_MAX);
	size_t len;

	if (lf == NULL)
		return 0;
	len = (size_t)(lf - s);
	if (len > 0 && s[len - 1] == '\r')
		len--;
	if (memchr(s, '"', len) != NULL || memchr(s, '\r', len) != NULL)
		return 0;
	return (size_t)(lf - s) + 1;
}

/*
 * Split plain line s (len bytes with its line end) into fields as
 * libcsv does (strict, CSV_REPALL_NL): fields between separators,
 * trimmed of blanks; a line of blanks only is no row.
 */
static void
split_line(struct csvin *r, const char *s, size_t len)
{
	const char *e = s + len - 1, *a, *b, *sep;
	int cr = e > s && e[-1] == '\r';

	e -= cr;
	for (a = s; a < e && is_blank(*a); a++)
		;
	while (a < e) {
		if ((sep = memchr(a, r->sep, (size_t)(e - a))) == NULL)
			sep = e;
		for (b = sep; b > a && is_blank(b[-1]); b--)
			;
		field_add(r, a, (size_t)(b - a), 1);
		if (sep == e) {
			a = e;
			break;
		}
		for (a = sep + 1; a < e && is_blank(*a); a++)
			;
		if (a == e)	/* the separator ended the line: one more */
			field_add(r, a, 0, 1);
	}
	if (cr)
		on_row('\r', r);
	on_row('\n', r);
}

/*
 * Feed n bytes (the first chunk when first is set: BOM and separator);
 * returns CSVIN_OK, CSVIN_STOPPED or CSVIN_EFORMAT.  Between rows, a
 * plain line (no quote) is split here, about ten times faster than
 * libcsv's byte-by-byte machine; any other goes through libcsv, which
 * then reads to the end of its row.
 */
static enum csvin_result
feed(struct csvin *r, struct csv_parser *p, const char *s, size_t n,
    int first)
{
	const char *lf;
	size_t len;

	if (first) {
		if (n >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0) {
			s += 3;
			n -= 3;
			if (r->encoding == ENC_AUTO)
				r->encoding = ENC_UTF8;
		}
		if (r->sep == 0)
			r->sep = detect_separator(s, n);
		csv_set_delim(p, (unsigned char)r->sep);
	}
	while (n > 0) {
		/* libcsv's state is public: 0 is ROW_NOT_BEGUN. */
		if (p->pstate == 0 && (len = plain_line(s, n)) > 0)
			split_line(r, s, len);
		else {
			lf = memchr(s, '\n', n);
			len = lf ? (size_t)(lf - s) + 1 : n;
			if (csv_parse(p, s, len, on_field, on_row, r) != len) {
				/* No callback ran for the field at fault. */
				r->err_line = r->line;
				r->err = csv_error(p) == CSV_EPARSE ?
				    "malformed quoting: a field with quotes "
				    "must be enclosed in quotes, and quotes "
				    "inside it doubled (\"\"); reading stopped "
				    "here" : "a field longer than 1048576 bytes "
				    "starts here (a quote never closed?); "
				    "reading stopped here";
				return CSVIN_EFORMAT;
			}
		}
		s += len;
		n -= len;
	}
	return r->stop ? CSVIN_STOPPED : CSVIN_OK;
}

/* The end of the input: the last row, or an unclosed quote. */
static enum csvin_result
finish(struct csvin *r, struct csv_parser *p, enum csvin_result res)
{
	if (res == CSVIN_OK && csv_fini(p, on_field, on_row, r) != 0) {
		r->err_line = r->line;
		r->err = _("quoted field never closed before the end of the "
		    "file");
		res = CSVIN_EFORMAT;
	}
	if (res == CSVIN_OK && r->stop)
		res = CSVIN_STOPPED;
	csv_free(p);
	return res;
}

enum csvin_result
csvin_read(struct csvin *r, int fd,
    int (*cb)(struct csvin *, const struct csvin_row *, void *), void *ctx)
{
	struct csv_parser p;
	enum csvin_result res = CSVIN_OK;
	char *chunk = xmalloc(CHUNK);
	ssize_t got;
	int first = 1;

	start(r, &p, cb, ctx);
	while (res == CSVIN_OK) {
		got = read(fd, chunk, CHUNK);
		if (got < 0 && errno == EINTR)
			continue;
		if (got < 0) {
			res = CSVIN_EIO;
			break;
		}
		if (got == 0)
			break;
		res = feed(r, &p, chunk, (size_t)got, first);
		first = 0;
	}
	free(chunk);
	if (res == CSVIN_EIO) {
		int e = errno;

		csv_free(&p);
		errno = e;
		return res;
	}
	return finish(r, &p, res);
}

enum csvin_result
csvin_read_mem(struct csvin *r, const char *s, size_t n,
    int (*cb)(struct csvin *, const struct csvin_row *, void *), void *ctx)
{
	struct csv_parser p;

	start(r, &p, cb, ctx);
	return finish(r, &p, n ? feed(r, &p, s, n, 1) : CSVIN_OK);
}

/* Trim ASCII blanks around s[0..*n); returns the new start. */
static const char *
trim(const char *s, size_t *n)
{
	while (*n && (*s == ' ' || *s == '\t')) {
		s++;
		(*n)--;
	}
	while (*n && (s[*n - 1] == ' ' || s[*n - 1] == '\t'))
		(*n)--;
	return s;
}

int
csvin_field_blank(const struct csvin_field *f)
{
	size_t n = f->n;

	if (f->s == NULL)
		return n == 0;
	trim(f->s, &n);
	return n == 0;
}

const char *
csvin_decode(struct csvin *r, const struct csvin_field *f, struct buf *out)
{
	size_t n = f->n;
	const char *s = trim(f->s, &n);

	if (r->encoding == ENC_AUTO && !text_is_ascii(s, n)) {
		r->encoding = text_utf8_valid(s, n) ? ENC_UTF8 : ENC_CP1252;
		log_info(_("'%s': reading as %s from line %ld"), r->name,
		    text_encoding_name(r->encoding), f->line);
	}
	return text_to_utf8(r->encoding == ENC_AUTO ? ENC_UTF8 : r->encoding,
	    s, n, out);
}

void
csvin_problem(struct csvin *r, long line, int col, const char *campo,
    const char *fmt, ...)
{
	struct buf msg = { 0 };
	va_list ap;
	int n;

	if (r->stopped)
		return;
	buf_addf(&msg, "%s:%ld:", r->name, line);
	if (col > 0)
		buf_addf(&msg, "%d:", col);
	buf_addf(&msg, " %s: ", campo);
	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	buf_grow(&msg, (size_t)n);
	va_start(ap, fmt);
	vsnprintf(msg.data + msg.len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	msg.len += (size_t)n;
	if (++r->nproblems >= r->problems_max) {
		buf_addc(&msg, '\n');
		buf_addf(&msg, _("%s:%ld: too many problems; stopped reading "
		    "here, fix these first"), r->name, line);
		r->stopped = 1;
	}
	if (!r->quiet)
		fprintf(stderr, "%s\n", msg.data);
	if (r->reason)
		buf_addf(r->reason, "%s\n", msg.data);
	buf_release(&msg);
}

int
csvin_encoding_setting(const struct cfg *cfg, const char *given)
{
	const char *name = given ? given : cfg_get(cfg, "import", "encoding");
	int enc;

	if (name == NULL)
		return ENC_AUTO;
	if ((enc = text_encoding_parse(name)) >= 0)
		return enc;
	if (given)
		fatal(EXIT_USAGE, _("unknown encoding '%s'; use utf-8, "
		    "windows-1252 or iso-8859-1"), name);
	fatal(EXIT_CONFIG, _("%s: [import] encoding: unknown encoding '%s'; "
	    "use utf-8, windows-1252 or iso-8859-1"), cfg->path, name);
}
