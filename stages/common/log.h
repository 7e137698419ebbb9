/*
 * Logging to stderr, one line per event:
 *   2026-01-31T02:14:07Z tiss-import[4121] warn: message
 * stdout is left to the data a stage produces.
 */
#ifndef TISS_LOG_H
#define TISS_LOG_H

enum log_level {
	LOG_QUIET = 0,		/* errors only */
	LOG_NORMAL = 1,		/* errors, warnings, notices */
	LOG_VERBOSE = 2,	/* plus info */
	LOG_DEBUG = 3		/* plus debug */
};

void	log_init(const char *progname, int level);
int	log_get_level(void);
const char *log_progname(void);
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Log an error and exit with the given code (an enum tiss_exit). */
void	fatal(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
