#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <unistd.h>

#include "log.h"

static const char *log_name = "tiss";
static int log_level = LOG_NORMAL;
static void (*log_before)(void);

void
log_init(const char *progname, int level)
{
	log_name = progname;
	log_level = level;
}

int
log_get_level(void)
{
	return log_level;
}

void
log_set_before(void (*fn)(void))
{
	log_before = fn;
}

const char *
log_progname(void)
{
	return log_name;
}

/* One write(2) per line, so lines of parallel workers never mix. */
static void
log_vwrite(const char *tag, const char *fmt, va_list ap)
{
	char line[4096], stamp[32];
	struct tm tm;
	time_t now = time(NULL);
	int n, m;

	gmtime_r(&now, &tm);
	strftime(stamp, sizeof(stamp), "%Y-%m-%dT%H:%M:%SZ", &tm);
	n = snprintf(line, sizeof(line), "%s %s[%ld] %s: ", stamp, log_name,
	    (long)getpid(), tag);
	m = vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	if (m < 0)
		m = 0;
	n += m;
	if (n > (int)sizeof(line) - 2)
		n = (int)sizeof(line) - 2;
	line[n++] = '\n';
	fflush(stderr);
	if (log_before)
		log_before();	/* e.g. erase a progress line first */
	if (write(STDERR_FILENO, line, (size_t)n) < 0)
		return;		/* nowhere left to report it */
}

/*
 * log_error, log_warn, log_notice, log_info and log_debug: a line tagged
 * tag when the level set by log_init is at least level.
 */
#define LOG_FUNCTION(name, tag, level) \
void \
name(const char *fmt, ...) \
{ \
	va_list ap; \
 \
	if (log_level < (level)) \
		return; \
	va_start(ap, fmt); \
	log_vwrite(tag, fmt, ap); \
	va_end(ap); \
}

LOG_FUNCTION(log_error, "error", LOG_QUIET)
LOG_FUNCTION(log_warn, "warn", LOG_NORMAL)
LOG_FUNCTION(log_notice, "notice", LOG_NORMAL)
LOG_FUNCTION(log_info, "info", LOG_VERBOSE)
LOG_FUNCTION(log_debug, "debug", LOG_DEBUG)

void
fatal(int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	log_vwrite("error", fmt, ap);
	va_end(ap);
	exit(code);
}
