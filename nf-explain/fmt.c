/*
 * fmt.c - formatting numbers for reports (see fmt.h). Everything is built
 * from snprintf("%.*f") in the C locale nf-explain runs in, plus our own
 * thousands grouping, so the output is the same on every machine.
 */
#include <ctype.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "err.h"
#include "fmt.h"
#include "ntime.h"

/*
 * Every text here is a number (at most 21 integer digits, see nfx_fixed)
 * with a few words: it fits nfx_text by construction, and a text that did
 * not would be a bug in this file, not a value to cut.
 */
static void textf(nfx_text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void textf(nfx_text *t, const char *fmt, ...)
{
    va_list ap;
    int n;
    va_start(ap, fmt);
    n = vsnprintf(t->s, sizeof t->s, fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof t->s)
        nf_die("internal error: number text longer than %zu bytes", sizeof t->s - 1);
}

/* Inserts ',' every three digits of the integer part of a "%.Nf" text. */
static void group_digits(const char *in, char *out, size_t cap)
{
    size_t i;
    const char *q;
    size_t o = 0;
    const char *p = in;
    if (*p == '-' || *p == '+')
        out[o++] = *p++;
    size_t intlen = strcspn(p, ".");
    for (i = 0; i < intlen && o + 2 < cap; i++) {
        out[o++] = p[i];
        size_t left = intlen - i - 1;
        if (left > 0 && left % 3 == 0)
            out[o++] = ',';
    }
    for (q = p + intlen; *q && o + 1 < cap; q++)
        out[o++] = *q;
    out[o] = '\0';
}

/* Drops trailing zeros after a decimal point ("1.50" -> "1.5", "2.00" -> "2"). */
static void trim_zeros(char *s)
{
    char *dot = strchr(s, '.');
    if (!dot)
        return;
    char *end = s + strlen(s) - 1;
    while (end > dot && *end == '0')
        *end-- = '\0';
    if (end == dot)
        *end = '\0';
}

nfx_text nfx_fixed(double v, int decimals)
{
    nfx_text t;
    char raw[64];
    if (!isfinite(v)) {
        textf(&t, "n/a");
        return t;
    }
    if (fabs(v) >= 1e21) {
        /* beyond 21 digits "%.0f" prints rounding noise of a double: scientific instead */
        textf(&t, "%.4g", v);
        return t;
    }
    snprintf(raw, sizeof raw, "%.*f", decimals > 30 ? 30 : decimals, v);
    if (strcmp(raw, "-0") == 0 || (raw[0] == '-' && strspn(raw + 1, "0.") == strlen(raw + 1)))
        memmove(raw, raw + 1, strlen(raw));
    group_digits(raw, t.s, sizeof t.s);
    return t;
}

/* Decimals that keep about three significant digits without noise. */
static int auto_decimals(double v)
{
    double a = fabs(v);
    if (a == floor(a) || a >= 10000)
        return 0;
    if (a >= 10)
        return 1;
    if (a >= 1)
        return 2;
    if (a >= 0.001)
        return (int)ceil(-log10(a)) + 2;
    return 6;
}

nfx_text nfx_num(double v)
{
    nfx_text t = nfx_fixed(v, auto_decimals(v));
    trim_zeros(t.s);
    return t;
}

nfx_text nfx_bytes(double v)
{
    static const char *const units[] = {"B", "KB", "MB", "GB", "TB", "PB"};
    nfx_text t;
    if (!isfinite(v)) {
        textf(&t, "n/a");
        return t;
    }
    double a = fabs(v);
    int u = 0;
    while (a >= 1000 && u < 5) {
        a /= 1000;
        v /= 1000;
        u++;
    }
    nfx_text n;
    if (u == 0)
        n = nfx_num(v);
    else
        n = nfx_fixed(v, a < 10 ? 2 : a < 100 ? 1 : 0);
    textf(&t, "%s %s", n.s, units[u]);
    return t;
}

nfx_text nfx_ms(double v)
{
    nfx_text t;
    double a = fabs(v);
    if (!isfinite(v))
        textf(&t, "n/a");
    else if (a < 1000)
        textf(&t, "%s ms", nfx_num(v).s);
    else if (a < 120000)
        textf(&t, "%s s", nfx_fixed(v / 1000, a < 10000 ? 2 : 1).s);
    else if (a < 2 * 3600000.0)
        textf(&t, "%s min", nfx_fixed(v / 60000, 1).s);
    else if (a < 2 * 86400000.0)
        textf(&t, "%s h", nfx_fixed(v / 3600000, 1).s);
    else
        textf(&t, "%s days", nfx_fixed(v / 86400000, 1).s);
    return t;
}

nfx_text nfx_pct(double pct)
{
    nfx_text t;
    double a = fabs(pct);
    int dec = (a == 0 || a >= 10) ? 0 : a >= 1 ? 1 : 2;
    /* Never round a share that is not all (or none) to 100 % (or 0 %). */
    while (dec < 4 && a > 0 && a < 100 && (rint(a * pow(10, dec)) >= 100 * pow(10, dec) || rint(a * pow(10, dec)) == 0))
        dec++;
    textf(&t, "%s %%", nfx_fixed(pct, dec).s);
    return t;
}

nfx_text nfx_share(double fraction)
{
    return nfx_pct(fraction * 100);
}

static nfx_text with_word(double v, const char *one, const char *many)
{
    nfx_text t;
    textf(&t, "%s %s", nfx_num(v).s, fabs(v) == 1 ? one : many);
    return t;
}

nfx_text nfx_value(enum nf_unit u, double v)
{
    nfx_text t;
    if (!isfinite(v)) {
        textf(&t, "n/a");
        return t;
    }
    switch (u) {
    case NF_UNIT_BYTES: return nfx_bytes(v);
    case NF_UNIT_MS: return nfx_ms(v);
    case NF_UNIT_SHARE: return nfx_share(v);
    case NF_UNIT_PACKETS: return with_word(v, "packet", "packets");
    case NF_UNIT_FLOWS: return with_word(v, "flow", "flows");
    case NF_UNIT_RECORDS: return with_word(v, "record", "records");
    case NF_UNIT_BITS: return with_word(v, "bit", "bits");
    case NF_UNIT_HOSTS: return with_word(v, "address", "addresses");
    case NF_UNIT_COEFF: return nfx_fixed(v, 2);
    case NF_UNIT_COUNT:
    case NF_UNIT_NUMBER:
    default: return nfx_num(v);
    }
}

nfx_text nfx_delta(enum nf_unit u, double d)
{
    nfx_text t, v;
    if (!isfinite(d)) {
        textf(&t, "n/a");
        return t;
    }
    if (u == NF_UNIT_SHARE) {
        double pp = fabs(d) * 100;
        textf(&t, "%s%s percentage point%s", d < 0 ? "-" : "+",
                 nfx_fixed(pp, pp >= 10 ? 0 : pp >= 1 ? 1 : 2).s, pp == 1 ? "" : "s");
        return t;
    }
    if (u == NF_UNIT_COEFF) {
        textf(&t, "%s%s", d < 0 ? "-" : "+", nfx_fixed(fabs(d), 2).s);
        return t;
    }
    v = nfx_value(u, fabs(d));
    textf(&t, "%s%s", d < 0 ? "-" : "+", v.s);
    return t;
}

nfx_text nfx_rel(double r)
{
    nfx_text t;
    if (!isfinite(r)) {
        textf(&t, "n/a");
        return t;
    }
    double p = r * 100;
    textf(&t, "%s%s %%", p < 0 ? "-" : "+",
             nfx_fixed(fabs(p), fabs(p) >= 10 ? 0 : 1).s);
    return t;
}

nfx_text nfx_signed(double v)
{
    nfx_text t;
    if (!isfinite(v))
        textf(&t, "n/a");
    else if (fabs(v) < 0.005)
        textf(&t, "0.00");
    else
        textf(&t, "%+.2f", v);
    return t;
}

int nfx_time_ok(double ms)
{
    return isfinite(ms) && ms > -62135596800000.0 && ms < 253402300800000.0;
}

char *nfx_time_iso(double ms, char *buf)
{
    if (!nfx_time_ok(ms)) {
        snprintf(buf, 32, "n/a");
        return buf;
    }
    return nf_time_format_iso((int64_t)ms, buf);
}

nfx_text nfx_time_sec(int64_t ms)
{
    nfx_text t;
    char buf[32];
    if (!nfx_time_ok((double)ms)) {
        textf(&t, "n/a");
        return t;
    }
    textf(&t, "%s UTC", nf_time_format(ms, buf));
    return t;
}

nfx_text nfx_time_min(int64_t ms)
{
    nfx_text t;
    char buf[32];
    if (!nfx_time_ok((double)ms)) {
        textf(&t, "n/a");
        return t;
    }
    nf_time_format(ms, buf);
    buf[16] = '\0'; /* "YYYY-MM-DD HH:MM" */
    textf(&t, "%s UTC", buf);
    return t;
}

char *nfx_capitalize(char *s)
{
    if (s[0] >= 'a' && s[0] <= 'z')
        s[0] = (char)toupper((unsigned char)s[0]);
    return s;
}
