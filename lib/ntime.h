/*
 * ntime.h - time as integer epoch milliseconds UTC: parsing the text forms
 * flow tools print (in UTC or a named zone), and formatting for people.
 */
#ifndef NF_NTIME_H
#define NF_NTIME_H

#include <stddef.h>
#include <stdint.h>

/* A time zone for text times. name NULL or "UTC" is the fast path. */
struct nf_tz {
    const char *name;  /* IANA name, e.g. "Europe/Prague" */
    int utc;
    int64_t cache_hour; /* local hour (epoch-like) of the cached offset */
    int64_t cache_off;  /* seconds east of UTC for that local hour */
};

/* Sets up a zone; dies with exit 2 if the zone is unknown to the system. */
void nf_tz_init(struct nf_tz *tz, const char *name);

/* Days since 1970-01-01 of a proleptic Gregorian date. */
int64_t nf_days_from_civil(int64_t y, unsigned m, unsigned d);

/*
 * Parses one time text of n bytes into epoch ms. Accepted forms:
 *   YYYY-MM-DD HH:MM:SS[.frac]     (nfdump, NAB)
 *   YYYY/MM/DD HH:MM:SS[.frac]     (Argus)
 *   YYYY-MM-DDTHH:MM:SS[.frac][Z|+hh:mm|-hh:mm]  (ISO 8601)
 *   YYYY-MM-DD                     (midnight)
 *   an integer: epoch seconds if it has at most 11 digits, else epoch ms
 * Fractions are truncated to milliseconds. Text without an explicit offset
 * is read in tz (UTC when tz is NULL). Returns 0, or -1 for bad text.
 */
int nf_time_parse(const char *s, size_t n, struct nf_tz *tz, int64_t *ms);

/* "2019-10-02 07:55:00" (UTC); buf at least 32 bytes. Returns buf. */
char *nf_time_format(int64_t ms, char *buf);
/* "2019-10-02T07:55:00.123Z" (UTC, ISO 8601); buf at least 32 bytes. */
char *nf_time_format_iso(int64_t ms, char *buf);

/* "2d 3h 15m" style text of a duration in ms (zero parts left out; under 1 s: "250ms"). */
void nf_duration_format(int64_t ms, char *buf, size_t n);

#endif
