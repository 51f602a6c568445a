/*
 * csv_fields.h - turning the text of one CSV field into a value, fast and
 * strictly: whole-field integers without strtod, decimal seconds to
 * milliseconds, nfdump's flag strings, protocol names, and a one-entry
 * cache for time texts that repeat from row to row.
 */
#ifndef NF_CSV_FIELDS_H
#define NF_CSV_FIELDS_H

#include <stddef.h>
#include <stdint.h>

#include "ntime.h"

/* Decimal digits only, whole text, value <= max. 0 or -1. */
int fld_u64(const char *s, size_t n, uint64_t max, uint64_t *out);
/* Like fld_u64 but also "0x..." hexadecimal (Argus ports). */
int fld_u64_hex(const char *s, size_t n, uint64_t max, uint64_t *out);
/*
 * Non-negative decimal seconds ("11.264", "0.027947", "5") to whole
 * milliseconds, truncating further digits. -1 on bad text, -2 on a
 * well-formed number too large for uint64 milliseconds.
 */
int fld_seconds_ms(const char *s, size_t n, uint64_t *ms);
/*
 * nfdump's 8-character flag string, positions CEUAPRSF ('.' = not set),
 * e.g. "...A.R.." -> ACK|RST. Also accepts nfdump's hex form "0x12".
 * Returns the NetFlow TCP_FLAGS bits, or -1 on bad text.
 */
int fld_tcp_flags(const char *s, size_t n);
/*
 * A protocol as nfdump or Argus prints it: a number 0-255, or a name
 * (nfdump's short names such as TCP, ICMP6, IPv6, Argus's lower-case
 * names such as udp, ipv6-icmp, then /etc/protocols). Case-insensitive.
 * Returns 0-255, or -1 when unknown.
 */
int fld_protocol(const char *s, size_t n);

/*
 * Finds the columns names[0..ncols) in a header row's fields: idx[c] gets
 * the field number of the first field named names[c], or -1. Returns the
 * first entry of required[0..nreq) left at -1 (a column index), or -1
 * when every required column is there.
 */
int fld_header_columns(const char *const *field, size_t nfields, const char *const *names,
                       size_t ncols, const int *required, size_t nreq, int *idx);

/* Remembers the last time text parsed, since consecutive rows share it. */
struct time_cache {
    char text[40];
    size_t len;
    int64_t ms;
};
/* nf_time_parse with the cache in front. 0 or -1. */
int fld_time(struct time_cache *c, const char *s, size_t n, struct nf_tz *tz, int64_t *ms);

#endif
