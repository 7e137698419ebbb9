#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "exitcodes.h"
#include "i18n.h"
#include "log.h"
#include "util.h"

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);

	if (p == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	return p;
}

void *
xcalloc(size_t count, size_t n)
{
	void *p = calloc(count ? count : 1, n ? n : 1);

	if (p == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	return p;
}

void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (p == NULL)
		fatal(EXIT_SOFTWARE, _("out of memory"));
	return p;
}

char *
xstrdup(const char *s)
{
	return xstrndup(s, strlen(s));
}

char *
xstrndup(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);

	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

/* buf_addf with a va_list; ap is left as it came (copied). */
static void
buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
	va_list aq;
	int n;

	va_copy(aq, ap);
	n = vsnprintf(NULL, 0, fmt, aq);
	va_end(aq);
	if (n < 0)
		fatal(EXIT_SOFTWARE, _("bad format string"));
	buf_grow(b, (size_t)n);
	va_copy(aq, ap);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, aq);
	va_end(aq);
	b->len += (size_t)n;
}

char *
xasprintf(const char *fmt, ...)
{
	struct buf b = { 0 };
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(&b, fmt, ap);
	va_end(ap);
	return b.data;
}

void
buf_grow(struct buf *b, size_t extra)
{
	size_t want = b->len + extra + 1;

	if (want <= b->cap)
		return;
	if (b->cap == 0)
		b->cap = 64;
	while (b->cap < want)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

void
buf_add(struct buf *b, const void *p, size_t n)
{
	buf_grow(b, n);
	if (n)
		memcpy(b->data + b->len, p, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_addc(struct buf *b, char c)
{
	buf_add(b, &c, 1);
}

void
buf_adds(struct buf *b, const char *s)
{
	buf_add(b, s, strlen(s));
}

void
buf_addf(struct buf *b, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vaddf(b, fmt, ap);
	va_end(ap);
}

void
buf_reset(struct buf *b)
{
	b->len = 0;
	if (b->data)
		b->data[0] = '\0';
}

void
buf_release(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

time_t
time_now(void)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");

	return epoch && *epoch ? (time_t)strtoll(epoch, NULL, 10) : time(NULL);
}

static void
time_format(char out[32], const char *fmt)
{
	struct tm tm;
	time_t now = time(NULL);

	gmtime_r(&now, &tm);
	strftime(out, 32, fmt, &tm);
}

void
time_iso(char out[32])
{
	time_format(out, "%Y-%m-%dT%H:%M:%SZ");
}

void
time_stamp(char out[32])
{
	time_format(out, "%Y%m%dT%H%M%SZ");
}

static void
to_hex(const unsigned char *md, unsigned int n, char *hex)
{
	static const char digits[] = "0123456789abcdef";
	unsigned int i;

	for (i = 0; i < n; i++) {
		hex[2 * i] = digits[md[i] >> 4];
		hex[2 * i + 1] = digits[md[i] & 15];
	}
	hex[2 * n] = '\0';
}

int
read_blocks(int fd, int (*fn)(void *ctx, const char *p, size_t n), void *ctx)
{
	char block[1 << 16];
	ssize_t n;
	int r;

	while ((n = read(fd, block, sizeof(block))) != 0) {
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -1;
		if ((r = fn(ctx, block, (size_t)n)) != 0)
			return r;
	}
	return 0;
}

/* A read_blocks function: the block into the digest ctx. */
static int
digest_block(void *ctx, const char *p, size_t n)
{
	EVP_DigestUpdate(ctx, p, n);
	return 0;
}

int
sha256_file(int fd, char hex[65])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	EVP_MD_CTX *ctx = EVP_MD_CTX_new();
	int ret = -1;

	if (ctx == NULL || !EVP_DigestInit_ex(ctx, EVP_sha256(), NULL))
		fatal(EXIT_SOFTWARE, _("cannot initialise SHA-256"));
	if (read_blocks(fd, digest_block, ctx) == 0) {
		EVP_DigestFinal_ex(ctx, md, &mdlen);
		to_hex(md, mdlen, hex);
		ret = 0;
	}
	EVP_MD_CTX_free(ctx);
	return ret;
}

/* The digest of type of n bytes at p, in hex; a failure is a bug: why. */
static void
digest_hex(const EVP_MD *type, const char *why, const void *p, size_t n,
    char *hex)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int len = 0;

	if (!EVP_Digest(p, n, md, &len, type, NULL))
		fatal(EXIT_SOFTWARE, "%s", _(why));
	to_hex(md, len, hex);
}

void
md5_hex(const void *p, size_t n, char hex[33])
{
	digest_hex(EVP_md5(), N_("cannot compute MD5"), p, n, hex);
}

void
format_int(int64_t v, char out[32])
{
	char tmp[32];
	uint64_t u = v < 0 ? -(uint64_t)v : (uint64_t)v;
	int n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + u % 10);
		u /= 10;
	} while (u);
	if (v < 0)
		out[i++] = '-';
	while (n)
		out[i++] = tmp[--n];
	out[i] = '\0';
}

int
close_stdout(int code)
{
	if (fflush(stdout) != 0 || ferror(stdout) || fclose(stdout) != 0) {
		log_error(_("cannot write standard output: %s"),
		    strerror(errno));
		return code == EXIT_OK ? EXIT_IOERR : code;
	}
	return code;
}

void
sha256_hex(const void *p, size_t n, char hex[65])
{
	digest_hex(EVP_sha256(), N_("cannot compute SHA-256"), p, n, hex);
}

int
write_all(int fd, const void *data, size_t n)
{
	const char *p = data;
	ssize_t w;

	while (n > 0) {
		w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -1;
		p += w;
		n -= (size_t)w;
	}
	return 0;
}

int
write_file_atomic(const char *dir, const char *name, const void *data,
    size_t n, int mode)
{
	char *tmp = xasprintf("%s/.%s.tmp", dir, name);
	char *path = xasprintf("%s/%s", dir, name);
	int fd, ret = -1, saved = 0;

	/* A stale temp file could have a wider mode: start afresh. */
	unlink(tmp);
	/*
	 * errno is saved at the failing call: a short write sets none, and
	 * the close and unlink that clean up would overwrite it (a full
	 * disk was once reported as "No such file or directory").
	 */
	fd = open(tmp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, mode);
	if (fd < 0 || write_all(fd, data, n) != 0 || fsync(fd) != 0) {
		saved = errno;
		log_error(_("cannot write '%s': %s"), tmp, strerror(saved));
		if (fd >= 0)
			close(fd);
		unlink(tmp);
		goto out;
	}
	if (close(fd) != 0 || rename(tmp, path) != 0) {
		saved = errno;
		log_error(_("cannot write '%s': %s"), path, strerror(saved));
		unlink(tmp);
		goto out;
	}
	ret = 0;
out:
	free(tmp);
	free(path);
	errno = saved;
	return ret;
}

int
sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	int saved;

	if (fd < 0 || fsync(fd) != 0) {
		saved = errno;
		log_error(_("cannot sync '%s': %s"), dir, strerror(saved));
		if (fd >= 0)
			close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	return 0;
}

/* A read_blocks function: the block appended to the buffer ctx. */
static int
buf_block(void *ctx, const char *p, size_t n)
{
	buf_add(ctx, p, n);
	return 0;
}

int
read_file(const char *path, struct buf *out)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC), saved;

	if (fd < 0)
		return -1;
	if (read_blocks(fd, buf_block, out) != 0) {
		saved = errno;
		close(fd);
		errno = saved;
		return -1;
	}
	close(fd);
	if (out->data == NULL)
		buf_adds(out, "");
	return 0;
}

void
test_pause(const char *dir, const char *mark, const char *go_too)
{
	char *path, *go, *other;
	int i, fd;

	if (dir == NULL || *dir == '\0')
		return;
	path = xasprintf("%s/%s", dir, mark);
	if ((fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0644)) >= 0)
		close(fd);
	go = xasprintf("%s/go", dir);
	other = go_too ? xasprintf("%s/%s", dir, go_too) : NULL;
	for (i = 0; i < 12000 && access(go, F_OK) != 0 &&
	    (other == NULL || access(other, F_OK) != 0); i++)
		usleep(10000);
	free(path);
	free(go);
	free(other);
}
