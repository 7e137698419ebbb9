/*
 * Small helpers every stage uses: allocation that cannot fail (out of
 * memory exits 70), a growable byte buffer, time stamps, digests, atomic
 * file writes.  Every string or buffer returned here is the caller's to
 * free unless said otherwise.
 */
#ifndef TISS_UTIL_H
#define TISS_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* A growable byte buffer, always NUL-terminated after buf_* calls. */
struct buf {
	char	*data;		/* owned; NULL until the first append */
	size_t	 len;		/* bytes used, not counting the NUL */
	size_t	 cap;		/* bytes allocated */
};

/*
 * malloc, calloc, realloc, strdup and strndup that never return NULL:
 * out of memory exits 70.  A zero size allocates one byte.  The caller
 * frees the result with free(3).
 */
void	*xmalloc(size_t n);
void	*xcalloc(size_t count, size_t n);
void	*xrealloc(void *p, size_t n);
char	*xstrdup(const char *s);
char	*xstrndup(const char *s, size_t n);
/* A newly allocated formatted string; the caller frees it.  Exits 70. */
char	*xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The buffer functions grow b as needed (exit 70 when out of memory);
 * b owns data, freed by buf_release.  buf_reset empties b and keeps its
 * memory for reuse.  A struct buf starts zeroed.
 */
void	buf_grow(struct buf *b, size_t extra);
void	buf_add(struct buf *b, const void *p, size_t n);
void	buf_addc(struct buf *b, char c);
void	buf_adds(struct buf *b, const char *s);
void	buf_addf(struct buf *b, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3)));
void	buf_reset(struct buf *b);
void	buf_release(struct buf *b);

/*
 * Now, or SOURCE_DATE_EPOCH when set: the reproducible-builds way to fix
 * the time written into output (messages, reports, golden files).
 */
time_t	time_now(void);
/*
 * The wall clock (never SOURCE_DATE_EPOCH: these stamp logs and file
 * names) in UTC, as "2026-01-31T02:14:07Z" and "20260131T021407Z", into
 * the caller's array.
 */
void	time_iso(char out[32]);
void	time_stamp(char out[32]);

/*
 * Hex SHA-256 (64 chars + NUL) of what is left to read on fd, in 64 KiB
 * blocks; returns 0, or -1 with errno on a read error.  fd stays open.
 */
int	sha256_file(int fd, char hex[65]);
/* Hex SHA-256 of a byte string into hex.  Never fails (exits 70). */
void	sha256_hex(const void *p, size_t n, char hex[65]);
/* Hex MD5 (32 chars + NUL) of a byte string.  Never fails (exits 70). */
void	md5_hex(const void *p, size_t n, char hex[33]);

/*
 * Read fd to its end, giving each block read to fn(ctx, p, n); a read
 * interrupted by a signal is tried again.  Returns 0 at the end, -1
 * with errno set by read(2), or what fn returned when not 0 (reading
 * stops there; fn sets errno).
 */
int	read_blocks(int fd, int (*fn)(void *ctx, const char *p, size_t n),
	    void *ctx);

/*
 * write(2) all n bytes of data to fd, again after a short write or an
 * interrupted call.  Returns 0, or -1 with errno set by write(2).
 */
int	write_all(int fd, const void *data, size_t n);

/*
 * Write data to dir/name atomically: a temp file .NAME.tmp created with
 * mode (less the umask), every byte written, fsync, rename.  The caller
 * calls sync_dir once its files are all renamed.  Both return 0, or log
 * the error and return -1 with errno set to the failing call's (ENOSPC
 * for a full disk); no temp file is left behind.
 */
int	write_file_atomic(const char *dir, const char *name, const void *data,
	    size_t n, int mode);
int	sync_dir(const char *dir);
/*
 * Append the whole file at path to out (which the caller owns and
 * releases); returns 0, or -1 with errno set, logging nothing.
 */
int	read_file(const char *path, struct buf *out);
/*
 * The tests' pause hooks (TISS_TEST_*_PAUSE=DIR): when dir is set and
 * not empty, create DIR/mark, then wait, polling, until DIR/go or
 * DIR/go_too (when not NULL) exists, for at most 120 s.  A test that
 * never says go only delays the program.
 */
void	test_pause(const char *dir, const char *mark, const char *go_too);
/* Decimal text of v into out; snprintf is too slow for the hot paths. */
void	format_int(int64_t v, char out[32]);

/*
 * Flush and close stdout; on failure (ENOSPC, EIO) log it and return
 * EXIT_IOERR when code was 0, else return code unchanged.  Called at the
 * end of main.
 */
int	close_stdout(int code);

#endif
