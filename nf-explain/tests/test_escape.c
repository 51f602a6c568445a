/*
 * test_escape.c - text from the data in each medium: Markdown prose and
 * code spans, table cells, gnuplot labels.
 */
#include <string.h>

#include "../../lib/tests/tap.h"
#include "fmt.h"
#include "markdown.h"
#include "plot.h"

static const char *label(const char *s)
{
    static char buf[128];
    nfx_plot_safe_label(s, buf, sizeof buf);
    return buf;
}

int main(void)
{
    TAP_STR(nfx_md_text("UDP_bytes_in"), "UDP_bytes_in", "an underscore inside a word is kept");
    TAP_STR(nfx_md_text("_em_ *b*"), "\\_em\\_ \\*b\\*", "emphasis marks are escaped");
    TAP_STR(nfx_md_text("<b>&amp;</b>"), "\\<b\\>\\&amp;\\</b\\>", "HTML cannot come from the data");
    TAP_STR(nfx_md_text("[x](http://e)"), "\\[x\\](http://e)", "nor a link");
    TAP_STR(nfx_md_text("a|b"), "a\\|b", "a pipe is escaped");
    TAP_STR(nfx_md_text("x\n# h"), "x\\n\\# h", "a newline is written out, a heading mark escaped");
    TAP_STR(nfx_md_text("e\x1b[31m\r\t"), "e\\x1B\\[31m\\r\\t", "control characters are written out");
    TAP_STR(nfx_md_text("c1\xc2\x9b."), "c1\\xC2\\x9B.", "a C1 control is written out byte by byte");
    TAP_STR(nfx_md_text("bad\xff"), "bad\\xFF", "a byte that is not UTF-8 is written out");
    TAP_STR(nfx_md_text("é ü"), "é ü", "UTF-8 text is kept");
    TAP_STR(nfx_md_code("a`b"), "``a`b``", "a code span's fence is longer than the backticks inside");
    TAP_STR(nfx_md_code("`x`"), "`` `x` ``", "a span starting with a backtick is padded");
    TAP_STR(nfx_md_code("a\\|b"), "`a\\x5C\\|b`", "in a code span a backslash cannot escape the pipe's escape");
    TAP_STR(nfx_md_label("udp share", 1), "Udp share", "a label can start a sentence");

    struct nfx_table t;
    struct nfx_md md;
    nfx_table_init(&t, "A|B", "ll");
    nfx_table_rowf(&t, "%s|%s", nfx_md_text("x|y"), "z");
    nfx_md_init(&md);
    nfx_table_write(&t, &md);
    nfx_md_close(&md);
    TAP_OK(strstr(md.buf, "| x\\|y | z   |") != NULL, "an escaped pipe stays in its cell");
    nfx_md_free(&md);
    nfx_table_free(&t);

    TAP_STR(label("bytes\nsystem(\"id\")"), "bytes?system(?id?)", "a gnuplot label keeps no newline or quote");
    TAP_STR(label("a'b`c@d;e$f!g\\h"), "a?b?c?d?e?f?g?h", "nor quote, backquote, macro, separator or backslash");
    TAP_STR(label("ok _-.,:()+/%=# 09"), "ok _-.,:()+/%=# 09", "the safe characters stay");
    TAP_STR(label("éé"), "??", "one '?' per UTF-8 character");
    char longname[200];
    memset(longname, 'A', sizeof longname - 1);
    longname[sizeof longname - 1] = '\0';
    TAP_OK(strlen(label(longname)) == 80 && strcmp(label(longname) + 77, "...") == 0, "a long label is cut to 80 with ...");
    nfx_md_text_free();
    return tap_done();
}
