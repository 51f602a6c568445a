/*
 * fmt.h - numbers for people: thousands separators, units (B/KB/MB,
 * packets, ms/s), percentages, signed changes. Each function returns a
 * small struct holding the text, so several can appear in one printf:
 * printf("%s", nfx_value(NF_UNIT_BYTES, 1163036).s) -> "1.16 MB".
 * Output does not depend on the locale.
 */
#ifndef NFX_FMT_H
#define NFX_FMT_H
#include <stdint.h>

#include "featinfo.h"

typedef struct {
    char s[80];
} nfx_text;

/* 1163036 -> "1,163,036"; 1336.823 -> "1,336.8"; 0.00123 -> "0.00123". */
nfx_text nfx_num(double v);
/* Grouped with a fixed number of decimals: (1336.823, 2) -> "1,336.82". */
nfx_text nfx_fixed(double v, int decimals);
/* 1163036 -> "1.16 MB", 870 -> "870 B" (powers of 1000). */
nfx_text nfx_bytes(double v);
/* 63540 -> "63.5 s", 27 -> "27 ms", 5400000 -> "1.5 h". */
nfx_text nfx_ms(double v);
/* 0.1234 -> "12 %" (a fraction written as a percentage). */
nfx_text nfx_share(double fraction);
/* A percentage already in 0..100: 99.73 -> "99.7 %". */
nfx_text nfx_pct(double pct);
/* A value in its unit: "1.16 MB", "870 packets", "12 %", "3.2 bits". */
nfx_text nfx_value(enum nf_unit u, double v);
/* A signed change in its unit: "+3.6 MB", "-12 packets", "+36 percentage points". */
nfx_text nfx_delta(enum nf_unit u, double d);
/* A relative change (0.5 -> "+50 %"); NaN -> "n/a". */
nfx_text nfx_rel(double r);
/* A signed statistic with two decimals: "+3.21", "-0.50"; NaN -> "n/a". */
nfx_text nfx_signed(double v);
/* Whether ms is a time the formatters can print (years 0001-9999). */
int nfx_time_ok(double ms);
/* ISO 8601 UTC text of ms into buf (32 bytes), or "n/a" when out of range. */
char *nfx_time_iso(double ms, char *buf);
/* Epoch ms as "2019-10-02 07:55 UTC" (minutes) or with seconds; "n/a" out of range. */
nfx_text nfx_time_min(int64_t ms);
nfx_text nfx_time_sec(int64_t ms);
/* Upper-cases the first letter of s in place; returns s. */
char *nfx_capitalize(char *s);

#endif
