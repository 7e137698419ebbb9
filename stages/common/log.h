/*
 * Logging to stderr, one line per event, each in one write(2) so the
 * lines of parallel workers never mix:
 *   2026-01-31T02:14:07Z tiss-import[4121] warn: message
 * stdout is left to the data a stage produces.  Levels: log_error for
 * what failed, log_warn for something done anyway, log_notice for a
 * summary, log_info (-v) for detail, log_debug (-vv).  A line longer
 * than 4 KiB is cut.  None of them fails or allocates.
 */
#ifndef TISS_LOG_H
#define TISS_LOG_H

enum log_level {
	LOG_QUIET = 0,		/* errors only */
	LOG_NORMAL = 1,		/* errors, warnings, notices */
	LOG_VERBOSE = 2,	/* plus info */
	LOG_DEBUG = 3		/* plus debug */
};

/*
 * Name the program in every line and set the level.  progname is kept,
 * not copied: pass a string that lives until exit.  cli_parse calls it.
 */
void	log_init(const char *progname, int level);
/* The level set by log_init (LOG_NORMAL before). */
int	log_get_level(void);
/* The name set by log_init ("tiss" before); not to be freed. */
const char *log_progname(void);
/*
 * Call fn before each line is written (progress.c erases its line so the
 * two never mix); NULL for none.  One hook per process.
 */
void	 log_set_before(void (*fn)(void));
/* One line at each level; those below the set level print nothing. */
void	log_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_warn(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_notice(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_info(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void	log_debug(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/*
 * Log an error and exit with code (an enum tiss_exit; tiss(7)).  For what
 * must stop the program: usage, configuration, workspace, unrecoverable
 * I/O, database errors.  Never returns.
 */
void	fatal(int code, const char *fmt, ...)
	    __attribute__((format(printf, 2, 3), noreturn));

#endif
