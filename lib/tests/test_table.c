/* The numeric table reader: columns, NaN for missing values, pass-through text. */
#include "../table.h"
#include "tap.h"

#include <stdlib.h>
#include <unistd.h>

static const char *input =
    "{\"WINDOW_START\":1000,\"a\":1,\"tag\":\"x\",\"b\":2.5,\"WINDOW_END\":1300}\n"
    "{\"WINDOW_START\":2000,\"b\":3,\"a\":null,\"tag\":{\"k\":[1,2]}}\n"
    "not json\n"
    "{\"tag\":\"y\",\"a\":4,\"b\":\"text\",\"c\":7,\"WINDOW_START\":\"1970-01-01 00:00:03\"}\n";

static void read_with(struct nf_table *t, const char *path, const char *columns,
                      const char *exclude)
{
    struct nf_table_opts o = {0};
    struct nf_lines l;
    struct nf_rejects rej = {0};
    char *paths[] = {(char *)path};
    rej.max_messages = 1;
    if (columns)
        o.columns = nf_split_list(columns, &o.ncolumns);
    if (exclude)
        o.exclude = nf_split_list(exclude, &o.nexclude);
    nf_lines_init(&l, paths, 1);
    nf_table_read(t, &l, &o, &rej);
    nf_lines_free(&l);
    nf_free_list(o.columns, o.ncolumns);
    nf_free_list(o.exclude, o.nexclude);
    TAP_OK(rej.count == 1, "the line that is not JSON is rejected, the others are rows");
}

/* Row r (of 3000) has columns c0..c{r/100}, so the matrix widens 30 times while rows are read. */
static void late_columns(void)
{
    char path[] = "/tmp/test_table_XXXXXX";
    int fd = mkstemp(path), bad = 0;
    FILE *f = fdopen(fd, "w");
    struct nf_table_opts o = {.no_pass = 1};
    struct nf_lines l;
    struct nf_rejects rej = {0};
    char *paths[] = {path};
    struct nf_table t;
    size_t r, c;

    for (r = 0; r < 3000; r++) {
        fprintf(f, "{\"WINDOW_START\":%zu", r);
        for (c = 0; c <= r / 100; c++)
            fprintf(f, ",\"c%zu\":%zu", c, r * 1000 + c);
        fputs("}\n", f);
    }
    fclose(f);
    nf_lines_init(&l, paths, 1);
    nf_table_read(&t, &l, &o, &rej);
    nf_lines_free(&l);
    TAP_OK(t.nrows == 3000 && t.ncols == 30, "30 columns met one after another over 3000 rows");
    for (r = 0; r < t.nrows; r++)
        for (c = 0; c < t.ncols; c++) {
            double v = nf_table_at(&t, r, c);
            bad += c <= r / 100 ? v != (double)(r * 1000 + c) : v == v;
        }
    TAP_OK(bad == 0, "every value in its row and column, NaN before its column appears");
    TAP_OK(t.pass == NULL && t.pass_text == NULL, "no_pass keeps no pass-through text");
    TAP_OK(t.time[2999] == 2999, "times kept without pass-through");
    nf_table_free(&t);
    unlink(path);
}

int main(void)
{
    char path[] = "/tmp/test_table_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct nf_table t;

    fputs(input, f);
    fclose(f);

    read_with(&t, path, NULL, NULL);
    TAP_OK(t.nrows == 3 && t.ncols == 3, "default columns: every numeric key but the time key and WINDOW_END");
    TAP_STR(t.colnames[0], "a", "columns in order of first appearance (a)");
    TAP_STR(t.colnames[2], "c", "columns in order of first appearance (c)");
    TAP_OK(nf_table_at(&t, 1, 0) != nf_table_at(&t, 1, 0), "null is NaN");
    TAP_OK(nf_table_at(&t, 2, 1) != nf_table_at(&t, 2, 1), "a string in a numeric column is NaN");
    TAP_OK(nf_table_at(&t, 1, 1) == 3 && nf_table_at(&t, 0, 1) == 2.5, "values read whatever the key order");
    TAP_STR(t.pass[0], "\"WINDOW_START\":1000,\"tag\":\"x\",\"WINDOW_END\":1300",
            "pass-through keeps the time key and non-column keys in input order");
    TAP_STR(t.pass[1], "\"WINDOW_START\":2000,\"a\":null,\"tag\":{\"k\":[1,2]}",
            "pass-through keeps nulls and nested values");
    TAP_STR(t.pass[2], "\"tag\":\"y\",\"b\":\"text\",\"WINDOW_START\":\"1970-01-01 00:00:03\"",
            "pass-through keeps a non-number under a column name");
    TAP_OK(t.has_time && t.time[2] == 3000, "a text time is read as epoch ms");
    TAP_OK(t.lineno[2] == 4, "rows keep their input line");
    TAP_OK(nf_table_at(&t, 0, 2) != nf_table_at(&t, 0, 2) && nf_table_at(&t, 2, 2) == 7,
           "a column first met in a later row is NaN in the rows before");
    nf_table_free(&t);

    read_with(&t, path, "b,W*", "WINDOW_START");
    TAP_OK(t.ncols == 2, "--columns globs select, WINDOW_END when named");
    TAP_STR(t.pass[0], "\"WINDOW_START\":1000,\"a\":1,\"tag\":\"x\"", "unselected numbers pass through");
    nf_table_free(&t);

    read_with(&t, path, NULL, "a,c");
    TAP_OK(t.ncols == 1 && strcmp(t.colnames[0], "b") == 0, "--exclude removes columns");
    nf_table_free(&t);
    unlink(path);
    late_columns();
    return tap_done();
}
