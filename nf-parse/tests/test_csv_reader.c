/* test_csv_reader.c - rows from libcsv with line numbers and raw bytes:
 * quoting, blank lines, CRLF, a quoted newline, a last line without '\n'. */
#include "../../lib/tests/tap.h"
#include "csv_reader.h"

#include <stdio.h>
#include <string.h>

#define MAXROWS 8

struct seen {
    int n;
    size_t nfields[MAXROWS];
    char first[MAXROWS][32], last[MAXROWS][32], raw[MAXROWS][64];
    unsigned long long line[MAXROWS];
};

static int on_row(void *arg, const struct csv_row *row)
{
    struct seen *s = arg;
    int i = s->n++;
    if (i >= MAXROWS)
        return 1;
    s->nfields[i] = row->n;
    snprintf(s->first[i], sizeof s->first[i], "%s", row->field[0]);
    snprintf(s->last[i], sizeof s->last[i], "%s", row->field[row->n - 1]);
    snprintf(s->raw[i], sizeof s->raw[i], "%.*s", (int)row->raw_len, row->raw);
    s->line[i] = row->line;
    return 0;
}

static void read_text(const char *text, struct seen *s, const struct csv_keep *keep)
{
    FILE *f = fmemopen((void *)text, strlen(text), "r");
    memset(s, 0, sizeof *s);
    csv_read(f, "test", on_row, s, keep);
    fclose(f);
}

int main(void)
{
    struct seen s;
    unsigned char cols[3] = {1, 0, 1};
    struct csv_keep keep = {cols, 3};

    read_text("a,b,c\n\n1,\"x,y\",  3  \r\n\"two\nlines\",q\nlast,row", &s, NULL);
    TAP_OK(s.n == 4, "four rows (the blank line is none)");
    TAP_OK(s.nfields[0] == 3 && s.line[0] == 1, "header: 3 fields on line 1");
    TAP_STR(s.last[1], "3", "blanks and CR around a field are trimmed");
    TAP_OK(s.nfields[1] == 3 && s.line[1] == 3, "a quoted comma stays in its field, line 3");
    TAP_STR(s.raw[1], "1,\"x,y\",  3  \r\n", "raw bytes of the row as read, CRLF included");
    TAP_STR(s.first[2], "two\nlines", "a quoted newline stays in its field");
    TAP_OK(s.line[2] == 4, "a row over two lines is reported at its first line");
    TAP_STR(s.raw[2], "\"two\nlines\",q\n", "its raw bytes cover both lines");
    TAP_STR(s.raw[3], "last,row", "last line without a newline is a row");
    TAP_OK(s.line[3] == 6, "on line 6");

    read_text("1,2,3\n4,5,6\n", &s, &keep);
    TAP_STR(s.first[1], "4", "kept column delivered");
    TAP_STR(s.last[1], "6", "kept last column delivered");
    TAP_OK(s.nfields[1] == 3, "dropped columns still count as fields");

    read_text("", &s, NULL);
    TAP_OK(s.n == 0, "empty input has no rows");
    return tap_done();
}
