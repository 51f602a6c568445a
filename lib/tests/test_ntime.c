/* Time texts of nfdump, Argus, NAB and ISO 8601 become the right epoch ms. */
#include "../ntime.h"
#include "tap.h"

static int64_t parse(const char *s, const char *zone, int *ok)
{
    struct nf_tz tz;
    int64_t ms = -1;
    nf_tz_init(&tz, zone);
    *ok = nf_time_parse(s, strlen(s), &tz, &ms) == 0;
    return ms;
}

int main(void)
{
    int ok;
    char buf[32];
    int64_t ms;
    ms = parse("2018-01-12 15:37:30.123", NULL, &ok);
    TAP_OK(ok && ms == 1515771450123LL, "nfdump text time in UTC: %lld", (long long)ms);
    ms = parse("2019/04/04 16:23:00.325010", NULL, &ok);
    TAP_OK(ok && ms == 1554394980325LL, "Argus time with microseconds truncates to ms: %lld", (long long)ms);
    ms = parse("2019-04-04T16:23:00Z", NULL, &ok);
    TAP_OK(ok && ms == 1554394980000LL, "ISO 8601 with Z");
    ms = parse("2019-04-04T18:23:00+02:00", NULL, &ok);
    TAP_OK(ok && ms == 1554394980000LL, "ISO 8601 with an offset");
    ms = parse("2019-04-04 18:23:00", "Europe/Prague", &ok);
    TAP_OK(ok && ms == 1554394980000LL, "--tz Europe/Prague in summer is UTC+2");
    ms = parse("2019-01-04 17:23:00", "Europe/Prague", &ok);
    TAP_OK(ok && ms == 1546618980000LL, "--tz Europe/Prague in winter is UTC+1");
    ms = parse("1970-01-01 00:00:00", NULL, &ok);
    TAP_OK(ok && ms == 0, "the epoch itself");
    ms = parse("1554394980", NULL, &ok);
    TAP_OK(ok && ms == 1554394980000LL, "bare epoch seconds");
    ms = parse("1554394980123", NULL, &ok);
    TAP_OK(ok && ms == 1554394980123LL, "bare epoch milliseconds");
    parse("2019-02-29 00:00:00", NULL, &ok);
    TAP_OK(!ok, "29 February of a common year is rejected");
    parse("2019-04-04 25:00:00", NULL, &ok);
    TAP_OK(!ok, "hour 25 is rejected");
    parse("2019-04-04 16:23:00x", NULL, &ok);
    TAP_OK(!ok, "trailing garbage is rejected");
    parse("", NULL, &ok);
    TAP_OK(!ok, "empty text is rejected");
    TAP_STR(nf_time_format(1569999300000LL, buf), "2019-10-02 06:55:00", "formatting UTC");
    TAP_STR(nf_time_format_iso(1554394980325LL, buf), "2019-04-04T16:23:00.325Z", "formatting ISO 8601");
    TAP_STR(nf_time_format(-1, buf), "1969-12-31 23:59:59", "formatting before the epoch");
    TAP_STR(nf_time_format_iso(-86400001LL, buf), "1969-12-30T23:59:59.999Z", "a day and a millisecond before");
    /* the extremes must format without overflow (UBSan checks -INT64_MIN) */
    TAP_OK(strlen(nf_time_format(INT64_MIN, buf)) > 0, "INT64_MIN formats without overflow");
    TAP_OK(strlen(nf_time_format_iso(INT64_MAX, buf)) > 0, "INT64_MAX formats without overflow");
    return tap_done();
}
