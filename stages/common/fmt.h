/*
 * Values as a person in Brazil reads them, the one home of that
 * formatting: money "R$ 1.234,56", dates "30/11/2026", competências
 * "11/2026" and times "30/11/2026 14:05" in the workspace's time zone
 * ([workspace] fuso_horario in tiss.conf, default America/Sao_Paulo).
 * The same whatever the messages' language (i18n.h).  Machine outputs
 * (CSV for scripts, XML, JSON, the database) keep ISO 8601 and dots and
 * never go through here.  Nothing here allocates; every function writes
 * into the caller's array and returns it.
 *
 * Times need the zone's file from tzdata (/usr/share/zoneinfo, or
 * $TZDIR) at run time; without it a time is shown in UTC and says so
 * ("30/11/2026 17:05 UTC"), after one warning.
 */
#ifndef TISS_FMT_H
#define TISS_FMT_H

#include <stdint.h>
#include <time.h>

#define FMT_MONEY	32	/* "-R$ 92.233.720.368.547.758,07" */
#define FMT_DATE	11	/* "30/11/2026" */
#define FMT_COMP	8	/* "11/2026" */
#define FMT_TIME	24	/* "30/11/2026 14:05 UTC" */
#define FMT_ISO		32	/* "2026-11-30T14:05:00-03:00" */

#define FMT_ZONE_DEFAULT	"America/Sao_Paulo"

/* Hundredths as "R$ 1.234,56", "-R$ 0,50" for a negative value. */
const char *fmt_money(int64_t v, char out[FMT_MONEY]);

/*
 * "aaaa-mm-dd" (or the date part of a longer ISO stamp) as "dd/mm/aaaa".
 * Anything else (NULL, empty, not ISO) is copied as it is (cut to fit),
 * so a bad stored value is shown, not hidden; NULL gives "".
 */
const char *fmt_date(const char *iso, char out[FMT_DATE]);

/* "aaaa-mm" (or "aaaa-mm-dd") as "mm/aaaa"; anything else as fmt_date. */
const char *fmt_competencia(const char *iso, char out[FMT_COMP]);

/*
 * The moment t in the workspace's zone as "dd/mm/aaaa hh:mm" (24 h).
 * Without the zone's tzdata file: UTC with " UTC" after it, and one
 * log_warn saying to install tzdata.
 */
const char *fmt_time(time_t t, char out[FMT_TIME]);

/*
 * The moment t as ISO 8601 in the workspace's zone, with its offset
 * ("2026-11-30T14:05:00-03:00"): for data documents a stylesheet shows
 * to people (tiss-report's @gerado), still exact for a machine.  UTC
 * ("2026-11-30T17:05:00Z") when the zone's tzdata file is missing.
 */
const char *fmt_iso_local(time_t t, char out[FMT_ISO]);

/*
 * An ISO 8601 UTC stamp as the database keeps them (see fmt_stamp) as
 * fmt_iso_local writes the same moment ("2026-03-31T21:00:00Z" ->
 * "2026-03-31T18:00:00-03:00"); anything else is copied as fmt_date does.
 */
const char *fmt_stamp_iso(const char *iso, char out[FMT_ISO]);

/*
 * An ISO 8601 UTC stamp as the database keeps them ("2026-11-30T17:05:00Z",
 * or "2026-11-30 17:05:00" from SQLite's datetime()) as fmt_time shows
 * it.  Anything else is copied as fmt_date does.
 */
const char *fmt_stamp(const char *iso, char out[FMT_TIME]);

/*
 * Set the zone times are shown in: an IANA name ("America/Manaus"), or
 * NULL or "" for the default.  Returns 0, or -1 (the zone kept) when the
 * name is not one ("..", a leading '/', characters outside letters,
 * digits, "_+-/").  ws_open calls it with [workspace] fuso_horario.
 */
int	 fmt_set_zone(const char *zone);

/* The zone in use (FMT_ZONE_DEFAULT until fmt_set_zone); not to be freed. */
const char *fmt_zone(void);

/*
 * A stored value of GTO field f (gto.h) as a person reads it: money in
 * R$, dates dd/mm/aaaa, hundredths as TISS writes them, booleans S/N,
 * the rest as stored.  Returns out, a literal or v itself; NULL when v
 * is NULL.
 */
const char *fmt_field(int f, const char *v, char out[FMT_MONEY]);

#endif
