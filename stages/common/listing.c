#include <stdio.h>
#include <string.h>

#include <csv.h>

#include "listing.h"
#include "sheet.h"

const char *const listing_formats[] = { "table", "csv", "xml", NULL };

/* Fit s into |w| columns (UTF-8 aware), padded, a space before but first. */
static void
cell(struct buf *out, const char *s, int w)
{
	const char *p = s ? s : "", *end = p;
	int n = 0, i, right = w < 0;

	if (right)
		w = -w;
	if (out->len)
		buf_addc(out, ' ');
	while (*end && n < w) {
		end++;
		while ((*end & 0xC0) == 0x80)
			end++;
		n++;
	}
	for (i = n; right && i < w; i++)
		buf_addc(out, ' ');
	buf_add(out, p, (size_t)(end - p));
	for (i = n; !right && i < w; i++)
		buf_addc(out, ' ');
}

/* One CSV line, each value guarded against formula injection (sheet.h). */
static void
csv_line(const struct listing_col *cols, const char *const *v, int head)
{
	struct buf g = { 0 };
	int i;

	for (i = 0; cols[i].name; i++) {
		buf_reset(&g);
		sheet_guard(head ? cols[i].name : v[i] ? v[i] : "", &g);
		csv_fwrite(stdout, g.len ? g.data : "", g.len);
		putchar(cols[i + 1].name ? ';' : '\n');
	}
	buf_release(&g);
}

/* The table line of v (or of the titles when v is NULL). */
static void
table_line(struct listing *l, const char *const *v)
{
	const struct listing_col *c;
	char d[11];
	const char *s;
	int i;

	buf_reset(&l->line);
	for (i = 0; l->cols[i].name; i++) {
		c = &l->cols[i];
		if (c->title == NULL)
			continue;
		s = v ? v[i] : c->title;
		if (v && c->date && s && strlen(s) >= 10) {
			snprintf(d, sizeof(d), "%.2s/%.2s/%.4s", s + 8, s + 5, s);
			s = d;
		}
		cell(&l->line, s, c->width);
	}
	puts(l->line.data ? l->line.data : "");
}

void
listing_begin(struct listing *l, int format, const char *root,
    const char *row_name, const struct listing_col *cols)
{
	memset(l, 0, sizeof(*l));
	l->format = format;
	l->cols = cols;
	l->row_name = row_name;
	if (format == LISTING_XML) {
		l->xb = xmlBufferCreate();
		l->xw = xmlNewTextWriterMemory(l->xb, 0);
		xmlTextWriterSetIndent(l->xw, 1);
		xmlTextWriterStartDocument(l->xw, NULL, "UTF-8", NULL);
		xmlTextWriterStartElement(l->xw, BAD_CAST root);
	} else if (format == LISTING_CSV)
		csv_line(cols, NULL, 1);
	else
		table_line(l, NULL);
}

void
listing_row(struct listing *l, const char *const *v)
{
	int i;

	l->rows++;
	if (l->format == LISTING_CSV) {
		csv_line(l->cols, v, 0);
		return;
	}
	if (l->format == LISTING_TABLE) {
		table_line(l, v);
		return;
	}
	xmlTextWriterStartElement(l->xw, BAD_CAST l->row_name);
	for (i = 0; l->cols[i].name; i++)
		if (v[i])
			xmlTextWriterWriteElement(l->xw, BAD_CAST l->cols[i].name,
			    BAD_CAST v[i]);
	xmlTextWriterEndElement(l->xw);
}

long
listing_end(struct listing *l)
{
	if (l->xw) {
		xmlTextWriterEndDocument(l->xw);
		xmlFreeTextWriter(l->xw);
		fputs((const char *)xmlBufferContent(l->xb), stdout);
		xmlBufferFree(l->xb);
	}
	buf_release(&l->line);
	return l->rows;
}
