/*
 * The one CSV reader: streams a file through libcsv (never loading it
 * whole) and hands over one row at a time, each field with the line it
 * starts on and its 1-based column (field number).  It finds the
 * separator (';' or ',', whichever the first line uses more outside
 * quotes, unless given), skips a UTF-8 BOM (which also decides the
 * encoding), takes CRLF or LF line ends, and bounds memory: a field
 * longer than field_max or a row longer than row_max is flagged, not
 * kept, and a field that grows past CSVIN_PARSER_MAX (a quote never
 * closed) stops reading with the line that field starts on.
 *
 * Functions are named csvin_ because libcsv owns the csv_ prefix.
 *
 * Memory: the reader owns everything it hands out; a row and its fields
 * are valid only during the row callback.  csvin_release frees it all.
 */
#ifndef TISS_CSV_H
#define TISS_CSV_H

#include <stddef.h>

#include "util.h"

struct cfg;

#define CSVIN_PARSER_MAX	(1 << 20)	/* bytes of one field in the parser */

struct csvin_field {
	const char *s;		/* raw bytes, not decoded or trimmed; NULL: too long */
	size_t	 n;		/* length of the field, even when not kept */
	long	 line;		/* line the field starts on, 1-based */
	int	 col;		/* field number in its row, 1-based */
};

struct csvin_row {
	long	 line;		/* line the row starts on */
	int	 nf;		/* fields kept (at most columns_max) */
	const struct csvin_field *f;
	int	 too_many;	/* the row had more than columns_max fields */
	int	 too_long;	/* the row's bytes passed row_max (some not kept) */
	int	 blank;		/* every field empty or blanks: a blank line */
};

enum csvin_result {
	CSVIN_OK = 0,		/* read to the end */
	CSVIN_STOPPED,		/* the row callback asked to stop */
	CSVIN_EFORMAT,		/* the file is not CSV: err, err_line say why */
	CSVIN_EIO		/* read(2) failed: errno */
};

struct csvin {
	/* Settings: set after csvin_init, before csvin_read. */
	int	 sep;		/* ';' or ','; 0: detect from the first line */
	int	 encoding;	/* ENC_AUTO until given or decided */
	size_t	 field_max;	/* longer fields are flagged (s NULL) */
	size_t	 row_max;	/* bytes kept of one row */
	int	 columns_max;	/* fields kept of one row */
	const char *name;	/* the file's name, for csvin_decode's log line */

	struct buf *reason;	/* problems are appended here too, or NULL */
	long	 problems_max;	/* then reading stops; default 1000 */
	int	 quiet;		/* problems not printed, only counted (fuzzing) */

	/* Results, readable after (and during) csvin_read. */
	long	 nproblems;	/* csvin_problem calls counted */
	int	 stopped;	/* problems_max reached: the caller stops */
	const char *err;	/* CSVIN_EFORMAT: static message */
	long	 err_line;	/* CSVIN_EFORMAT: the line it concerns */
	long	 rows;		/* rows handed over, blank ones included */

	/* Private. */
	long	 line;		/* line the next field starts on */
	int	 in_row;
	struct csvin_row row;
	struct csvin_field *fields;
	struct buf raw;		/* the current row's bytes */
	int	 stop;
	int	(*cb)(struct csvin *, const struct csvin_row *, void *);
	void	*ctx;
};

/* Defaults: detect separator and encoding, 4096/65536 bytes, 200 columns. */
void	 csvin_init(struct csvin *r);
/* Free what the reader holds; it may be initialised again. */
void	 csvin_release(struct csvin *r);

/*
 * Read fd to its end, calling cb for each row (blank lines too, flagged
 * blank); the row and its fields' bytes are valid only during the call.
 * cb returns 0 to go on, non-zero to stop (CSVIN_STOPPED).
 * Returns a csvin_result; the file is not closed.
 */
enum csvin_result csvin_read(struct csvin *r, int fd,
	    int (*cb)(struct csvin *r, const struct csvin_row *row, void *ctx),
	    void *ctx);

/*
 * Same, over n bytes in memory (as one chunk), with fini: for tests and
 * the fuzzer.
 */
enum csvin_result csvin_read_mem(struct csvin *r, const char *s, size_t n,
	    int (*cb)(struct csvin *r, const struct csvin_row *row, void *ctx),
	    void *ctx);

/*
 * Append field f, trimmed of blanks (space, TAB) and converted to UTF-8,
 * to out.  When the encoding is not yet known the first non-ASCII field
 * decides it (UTF-8 if valid, else Windows-1252; logged with -v).
 * Returns NULL, or a static message saying why the bytes are not text.
 * f->s must not be NULL.
 */
const char *csvin_decode(struct csvin *r, const struct csvin_field *f,
	    struct buf *out);

/*
 * Report a problem of the input as "NAME:LINE:COL: campo: message" (no
 * COL when col is 0) on stderr and into reason.  After problems_max
 * problems it says reading stopped, sets stopped, and ignores later
 * calls.
 */
void	 csvin_problem(struct csvin *r, long line, int col, const char *campo,
	    const char *fmt, ...) __attribute__((format(printf, 5, 6)));

/* Whether a field is empty once blanks are trimmed. */
int	 csvin_field_blank(const struct csvin_field *f);

/*
 * The encoding to read CSV input in: given (the command line's
 * --encoding) when not NULL, else cfg's [import] encoding, else ENC_AUTO
 * (decided by the file).  Exits 64 for a bad given name, 78 naming
 * tiss.conf for a bad setting.
 */
int	 csvin_encoding_setting(const struct cfg *cfg, const char *given);

#endif
