#include <stdio.h>
#include <stdio_ext.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "i18n.h"
#include "log.h"
#include "progress.h"

static int showing;	/* a progress line is on the terminal */

static double
since(const struct timespec *a, const struct timespec *b)
{
	return (double)(b->tv_sec - a->tv_sec) +
	    (double)(b->tv_nsec - a->tv_nsec) / 1e9;
}

void
progress_erase(void)
{
	static const char clear[] = "\r\033[K";

	if (showing && write(STDERR_FILENO, clear, sizeof(clear) - 1) >= 0)
		showing = 0;
}

/* "1h02m", "3m05s", "12s"; at most 99h59m. */
static void
duration(double s, char out[32])
{
	int t = s < 359999 ? (int)(s + 0.5) : 359999;

	if (t >= 3600)
		snprintf(out, 32, "%dh%02dm", t / 3600, t / 60 % 60);
	else if (t >= 60)
		snprintf(out, 32, "%dm%02ds", t / 60, t % 60);
	else
		snprintf(out, 32, "%ds", t);
}

static void
draw(struct progress *p, const struct timespec *now)
{
	char line[256], body[224], left[32] = "";
	double el = since(&p->start, now), rate = el > 0 ? p->done / el : 0;
	int n;

	if (p->total > 0 && rate > 0 && p->done < p->total)
		duration((double)(p->total - p->done) / rate, left);
	if (p->total > 0 && left[0])
		snprintf(body, sizeof(body), _("%s: %ld of %ld (%ld%%), %.1f/s, "
		    "about %s left"), p->what, p->done, p->total,
		    p->done * 100 / p->total, rate, left);
	else if (p->total > 0)
		snprintf(body, sizeof(body), _("%s: %ld of %ld (%ld%%), %.1f/s"),
		    p->what, p->done, p->total, p->done * 100 / p->total, rate);
	else
		snprintf(body, sizeof(body), "%s: %ld, %.1f/s", p->what,
		    p->done, rate);
	n = snprintf(line, sizeof(line), "\r%s\033[K", body);
	if (n > 0 && write(STDERR_FILENO, line, (size_t)n < sizeof(line) ?
	    (size_t)n : sizeof(line) - 1) >= 0)
		showing = 1;
	p->last = *now;
}

void
progress_start(struct progress *p, const char *what, long total)
{
	const char *force = getenv("TISS_PROGRESS");

	memset(p, 0, sizeof(*p));
	p->what = what;
	p->total = total;
	if (force && *force)
		p->on = strcmp(force, "1") == 0;
	else
		p->on = isatty(STDERR_FILENO) && log_get_level() > LOG_QUIET;
	/*
	 * Data on stdout to the same terminal must not land on the end of
	 * the progress line: hold it in stdout's buffer, and write it
	 * after erasing the line (progress_add, progress_flush).
	 */
	if (p->on)
		log_set_before(progress_erase);
	if (p->on && isatty(STDOUT_FILENO)) {
		fflush(stdout);
		setvbuf(stdout, NULL, _IOFBF, BUFSIZ);
	}
	clock_gettime(CLOCK_MONOTONIC, &p->start);
	/* The first item draws at once; then at most 4 times a second. */
	p->last = p->start;
	p->last.tv_sec--;
}

void
progress_share(struct progress *p, const char *what, long total, int k,
    int n)
{
	progress_start(p, what, n > 0 && total > k ? (total - k + n - 1) / n :
	    0);
	if (k != 0)
		p->on = 0;
}

void
progress_add(struct progress *p, long n)
{
	struct timespec now;

	p->done += n;
	if (!p->on)
		return;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (__fpending(stdout) > 0) {
		progress_flush(p);
		draw(p, &now);
	} else if (since(&p->last, &now) >= 0.25)
		draw(p, &now);
}

void
progress_flush(struct progress *p)
{
	if (p->on && __fpending(stdout) > 0)
		progress_erase();
	fflush(stdout);
}

void
progress_end(struct progress *p)
{
	if (p->on)
		progress_erase();
	fflush(stdout);
	p->on = 0;
}
