/*
 * utf8.h - UTF-8 validity, for the one rule of docs/records.md: output is
 * valid UTF-8, and text from data reaches a terminal only escaped.
 */
#ifndef NF_UTF8_H
#define NF_UTF8_H

#include <stddef.h>

/*
 * Length (1-4) of the well-formed UTF-8 sequence at s[0..n), or 0 when s
 * does not start one (a stray continuation byte, an overlong form, a
 * surrogate, a code point past U+10FFFF, a sequence cut short). n >= 1.
 */
size_t nf_utf8_seq(const char *s, size_t n);

/* Whether s[0..n) is all ASCII (no byte >= 0x80), eight bytes at a time. */
int nf_ascii(const char *s, size_t n);

#endif
