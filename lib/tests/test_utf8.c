/*
 * The text rule of docs/records.md at the library level: UTF-8 validity,
 * the JSON writer's U+FFFD for bytes that are not UTF-8 (valid text byte-
 * identical), and nf_put_text's escaping of control bytes for stderr.
 */
#include "../err.h"
#include "../jsonw.h"
#include "../utf8.h"
#include "tap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define S(lit) lit, sizeof(lit) - 1

/* What the writer makes of one string member {"s":TEXT}. */
static char *written(const char *text, size_t n, int raw_members)
{
    static char out[512];
    FILE *f = tmpfile();
    struct nf_jw w;
    size_t got;
    nf_jw_init(&w, f);
    nf_jw_begin(&w);
    if (raw_members)
        nf_jw_members(&w, text, n);
    else
        nf_jw_strn(&w, "s", text, n);
    nf_jw_end(&w);
    nf_jw_free(&w);
    rewind(f);
    got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    fclose(f);
    if (got > 0 && out[got - 1] == '\n')
        out[got - 1] = '\0';
    return out;
}

static char *terminal(const char *text)
{
    static char out[512];
    FILE *f = tmpfile();
    size_t got;
    nf_put_text(f, text, strlen(text));
    rewind(f);
    got = fread(out, 1, sizeof out - 1, f);
    out[got] = '\0';
    fclose(f);
    return out;
}

int main(void)
{
    TAP_OK(nf_utf8_seq("a", 1) == 1 && nf_utf8_seq("\xc3\xa9", 2) == 2 &&
               nf_utf8_seq("\xe2\x82\xac", 3) == 3 && nf_utf8_seq("\xf0\x9f\x98\x80", 4) == 4,
           "ASCII, 2-, 3- and 4-byte sequences are UTF-8");
    TAP_OK(nf_utf8_seq("\xff", 1) == 0 && nf_utf8_seq("\x80", 1) == 0 && nf_utf8_seq("\xc0\xaf", 2) == 0 &&
               nf_utf8_seq("\xed\xa0\x80", 3) == 0 && nf_utf8_seq("\xf4\x90\x80\x80", 4) == 0 &&
               nf_utf8_seq("\xe2\x82", 2) == 0,
           "0xff, a stray continuation, overlong '/', a surrogate, past U+10FFFF, a cut sequence are not");
    TAP_STR(written(S("caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80"), 0), "{\"s\":\"caf\xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\"}",
            "valid UTF-8 is written byte-identical");
    TAP_STR(written(S("a\xff" "b\xc0\xaf" "c"), 0), "{\"s\":\"a\xef\xbf\xbd" "b\xef\xbf\xbd\xef\xbf\xbd" "c\"}",
            "each byte that is not UTF-8 becomes U+FFFD");
    TAP_STR(written(S("\x1b[31mred\n"), 0), "{\"s\":\"\\u001b[31mred\\n\"}", "ESC and newline are JSON escapes");
    TAP_STR(written(S("\"a\":\"x\xfey\""), 1), "{\"a\":\"x\xef\xbf\xbdy\"}",
            "members copied through (nf-features --per-flow) get U+FFFD too");
    TAP_STR(written(S("\"a\":\"caf\xc3\xa9\""), 1), "{\"a\":\"caf\xc3\xa9\"}", "and stay byte-identical when valid");
    TAP_STR(terminal("key \x1b[2J\x1b[31mred\nnf-pca: forged\ttab\r"),
            "key \\x1b[2J\\x1b[31mred\\nnf-pca: forged\\ttab\\r",
            "for stderr: ESC, newline, tab, CR are escaped");
    TAP_STR(terminal("caf\xc3\xa9 \xc2\x9b" "2J \xff \x7f"), "caf\xc3\xa9 \\u009b2J \\xff \\x7f",
            "UTF-8 passes; the C1 CSI, a byte that is not UTF-8 and DEL are escaped");
    return tap_done();
}
