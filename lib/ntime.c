/* ntime.c - epoch-millisecond times, parsed without strptime for speed. */
#include "ntime.h"

#include "err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

/* Howard Hinnant's days_from_civil: exact for the proleptic Gregorian calendar. */
int64_t nf_days_from_civil(int64_t y, unsigned m, unsigned d)
{
    int64_t era;
    unsigned yoe, doy, doe;
    y -= m <= 2;
    era = (y >= 0 ? y : y - 399) / 400;
    yoe = (unsigned)(y - era * 400);
    doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
    int64_t era;
    unsigned doe, yoe, doy, mp;
    z += 719468;
    era = (z >= 0 ? z : z - 146096) / 146097;
    doe = (unsigned)(z - era * 146097);
    yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    *y = (int64_t)yoe + era * 400;
    doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    mp = (5 * doy + 2) / 153;
    *d = doy - (153 * mp + 2) / 5 + 1;
    *m = mp < 10 ? mp + 3 : mp - 9;
    *y += *m <= 2;
}

void nf_tz_init(struct nf_tz *tz, const char *name)
{
    char path[512];
    memset(tz, 0, sizeof tz[0]);
    tz->cache_hour = INT64_MIN;
    if (!name || strcmp(name, "UTC") == 0 || strcmp(name, "utc") == 0 || strcmp(name, "Z") == 0) {
        tz->utc = 1;
        return;
    }
    snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", name);
    if (name[0] == '/' || strstr(name, "..") || access(path, R_OK) != 0)
        nf_usage_error("--tz: unknown time zone '%s' (expected a name like Europe/Prague or UTC)", name);
    tz->name = name;
}

/* Seconds east of UTC in zone tz for the local wall-clock time local_s. */
static int64_t zone_offset(struct nf_tz *tz, int64_t local_s)
{
    int64_t hour = local_s / 3600;
    int64_t guess, off;
    struct tm tm;
    time_t t;
    char *old;
    if (hour == tz->cache_hour)
        return tz->cache_off;
    old = getenv("TZ");
    old = old ? nf_xstrdup(old) : NULL;
    setenv("TZ", tz->name, 1);
    tzset();
    /* Two rounds settle the offset except inside a DST gap. */
    guess = local_s;
    t = (time_t)guess;
    localtime_r(&t, &tm);
    off = tm.tm_gmtoff;
    t = (time_t)(local_s - off);
    localtime_r(&t, &tm);
    off = tm.tm_gmtoff;
    if (old) {
        setenv("TZ", old, 1);
        free(old);
    } else {
        unsetenv("TZ");
    }
    tzset();
    tz->cache_hour = hour;
    tz->cache_off = off;
    return off;
}

static int digits(const char *s, size_t n, size_t at, size_t count, unsigned *out)
{
    unsigned v = 0;
    size_t i;
    if (at + count > n)
        return -1;
    for (i = at; i < at + count; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (unsigned)(s[i] - '0');
    }
    *out = v;
    return 0;
}

static int parse_epoch(const char *s, size_t n, int64_t *ms)
{
    int64_t v = 0;
    size_t i;
    if (n == 0 || n > 17)
        return -1;
    for (i = 0; i < n; i++) {
        if (s[i] < '0' || s[i] > '9')
            return -1;
        v = v * 10 + (s[i] - '0');
    }
    *ms = n <= 11 ? v * 1000 : v;
    return 0;
}

static int days_in_month(unsigned y, unsigned m)
{
    static const int dm[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    return m == 2 ? 28 + leap : dm[m - 1];
}

int nf_time_parse(const char *s, size_t n, struct nf_tz *tz, int64_t *ms)
{
    unsigned y, mo, d, h = 0, mi = 0, sec = 0, frac_ms = 0;
    size_t at;
    int has_offset = 0;
    int64_t offset_s = 0, local_s;
    while (n > 0 && (s[0] == ' ' || s[0] == '\t')) {
        s++;
        n--;
    }
    while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
        n--;
    if (n < 10 || (s[4] != '-' && s[4] != '/'))
        return parse_epoch(s, n, ms);
    if (digits(s, n, 0, 4, &y) || digits(s, n, 5, 2, &mo) || s[7] != s[4] ||
        digits(s, n, 8, 2, &d))
        return -1;
    at = 10;
    if (at < n) {
        if (s[at] != ' ' && s[at] != 'T')
            return -1;
        if (digits(s, n, at + 1, 2, &h) || at + 3 >= n || s[at + 3] != ':' ||
            digits(s, n, at + 4, 2, &mi))
            return -1;
        at += 6;
        if (at < n && s[at] == ':') {
            if (digits(s, n, at + 1, 2, &sec))
                return -1;
            at += 3;
        }
        if (at < n && s[at] == '.') {
            unsigned scale = 100;
            at++;
            if (at >= n || s[at] < '0' || s[at] > '9')
                return -1;
            while (at < n && s[at] >= '0' && s[at] <= '9') {
                frac_ms += (unsigned)(s[at] - '0') * scale;
                scale /= 10;
                at++;
            }
        }
        if (at < n && s[at] == 'Z') {
            has_offset = 1;
            at++;
        } else if (at < n && (s[at] == '+' || s[at] == '-')) {
            unsigned oh, om = 0;
            int sign = s[at] == '-' ? -1 : 1;
            if (digits(s, n, at + 1, 2, &oh))
                return -1;
            at += 3;
            if (at < n && s[at] == ':')
                at++;
            if (at < n && digits(s, n, at, 2, &om) == 0)
                at += 2;
            has_offset = 1;
            offset_s = sign * (int64_t)(oh * 3600 + om * 60);
        }
        if (at != n)
            return -1;
    }
    if (mo < 1 || mo > 12 || d < 1 || (int)d > days_in_month(y, mo) || h > 23 || mi > 59 || sec > 60)
        return -1;
    local_s = nf_days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + sec;
    if (!has_offset && tz && !tz->utc)
        offset_s = zone_offset(tz, local_s);
    *ms = (local_s - offset_s) * 1000 + frac_ms;
    return 0;
}

static void split(int64_t ms, int64_t *y, unsigned *mo, unsigned *d, int64_t *sod, int64_t *msr)
{
    /* floor division without negating (-INT64_MIN overflows) */
    int64_t secs = ms / 1000 - (ms % 1000 < 0);
    int64_t days = secs / 86400 - (secs % 86400 < 0);
    *msr = ms % 1000 + (ms % 1000 < 0 ? 1000 : 0);
    *sod = secs % 86400 + (secs % 86400 < 0 ? 86400 : 0);
    civil_from_days(days, y, mo, d);
}

char *nf_time_format(int64_t ms, char *buf)
{
    int64_t y, sod, msr;
    unsigned mo, d;
    split(ms, &y, &mo, &d, &sod, &msr);
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02u %02lld:%02lld:%02lld", (long long)y, mo, d,
             (long long)(sod / 3600), (long long)(sod / 60 % 60), (long long)(sod % 60));
    tmp[31] = '\0';
    memcpy(buf, tmp, 32);
    return buf;
}

char *nf_time_format_iso(int64_t ms, char *buf)
{
    int64_t y, sod, msr;
    unsigned mo, d;
    split(ms, &y, &mo, &d, &sod, &msr);
    char tmp[128];
    snprintf(tmp, sizeof tmp, "%04lld-%02u-%02uT%02lld:%02lld:%02lld.%03lldZ", (long long)y, mo, d,
             (long long)(sod / 3600), (long long)(sod / 60 % 60), (long long)(sod % 60),
             (long long)msr);
    tmp[31] = '\0';
    memcpy(buf, tmp, 32);
    return buf;
}

void nf_duration_format(int64_t ms, char *buf, size_t n)
{
    static const struct { int64_t secs; char unit; } parts[] = {
        {86400, 'd'}, {3600, 'h'}, {60, 'm'}, {1, 's'},
    };
    int64_t s = ms / 1000;
    size_t i, used = 0;
    buf[0] = '\0';
    for (i = 0; i < sizeof parts / sizeof parts[0] && used < n; i++) {
        if (s / parts[i].secs == 0)
            continue;
        used += (size_t)snprintf(buf + used, n - used, "%s%lld%c", used ? " " : "",
                                 (long long)(s / parts[i].secs), parts[i].unit);
        s %= parts[i].secs;
    }
    if (!buf[0])
        snprintf(buf, n, ms ? "%lldms" : "0s", (long long)ms);
}
