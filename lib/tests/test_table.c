/* The numeric table reader: columns, NaN for missing values, pass-through text. */
#include "../table.h"
#include "tap.h"

#include <stdlib.h>
#include <time.h>
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

/*
 * One line of 2 M distinct keys (every seventh one text, so it passes
 * through) and a second row with them in reverse order: columns keep the
 * order of first appearance and each value lands in its own column. A
 * linear search per key took 5 s for 40,000 keys (issue 13); the time is
 * checked loosely, the sanitizer build being several times slower.
 */
static void many_keys(void)
{
    enum { NKEYS = 2000000 };
    char path[] = "/tmp/test_table_XXXXXX";
    int fd = mkstemp(path), bad = 0;
    FILE *f = fdopen(fd, "w");
    struct nf_table_opts o = {.no_pass = 1};
    struct nf_lines l;
    struct nf_rejects rej = {0};
    char *paths[] = {path};
    struct nf_table t;
    size_t i, c;
    clock_t start;
    double seconds;

    for (i = 0; i < NKEYS; i++)
        fprintf(f, i % 7 == 3 ? "%s\"k%zu\":\"t\"" : "%s\"k%zu\":%zu", i ? "," : "{", i, i);
    fputs("}\n", f);
    for (i = NKEYS; i-- > 0;)
        fprintf(f, "%s\"k%zu\":%zu", i + 1 < NKEYS ? "," : "{", i, 2 * i);
    fputs("}\n", f);
    fclose(f);
    start = clock();
    nf_lines_init(&l, paths, 1);
    nf_table_read(&t, &l, &o, &rej);
    nf_lines_free(&l);
    seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
    TAP_OK(t.nrows == 2 && t.ncols == NKEYS, "2 M distinct keys on a line are 2 M columns");
    for (i = 0, c = 0; i < NKEYS; i++) {
        char name[32];
        if (i % 7 == 3)
            continue; /* text on the first row: first met as a number on the second */
        snprintf(name, sizeof name, "k%zu", i);
        bad += strcmp(t.colnames[c], name) != 0 || nf_table_at(&t, 0, c) != (double)i ||
               nf_table_at(&t, 1, c) != (double)(2 * i);
        c++;
    }
    TAP_OK(bad == 0, "columns in order of first appearance, values in their columns");
    /* the keys that were text on row 1 come last, met on row 2 from the highest down */
    TAP_STR(t.colnames[c], "k1999994", "a key first met as a number on the second row comes after");
    TAP_OK(nf_table_at(&t, 0, c) != nf_table_at(&t, 0, c), "and is NaN where it was text");
    printf("# 2 M keys read in %.2f s of CPU\n", seconds);
    TAP_OK(seconds < 30, "2 M keys read in well under 30 s of CPU");
    nf_table_free(&t);
    unlink(path);
}

/* Reads text with the given roles and no --columns. */
static void read_roles(struct nf_table *t, const char *text, enum nf_table_roles roles)
{
    char path[] = "/tmp/test_table_XXXXXX";
    int fd = mkstemp(path);
    FILE *f = fdopen(fd, "w");
    struct nf_table_opts o = {.roles = roles};
    struct nf_lines l;
    struct nf_rejects rej = {0};
    char *paths[] = {path};
    fputs(text, f);
    fclose(f);
    nf_lines_init(&l, paths, 1);
    nf_table_read(t, &l, &o, &rej);
    nf_lines_free(&l);
    unlink(path);
}

static void roles(void)
{
    static const char *flow =
        "{\"WINDOW_START\":1,\"ID\":7,\"L4_DST_PORT\":53,\"PROTOCOL_NUM\":17,\"IN_BYTES\":63,"
        "\"SRC_TOS\":0,\"spe\":1.5,\"bytes_trend\":2,\"ctx\":0.5}\n";
    static const char *pca =
        "{\"WINDOW_START\":1,\"x\":3,\"pc1\":0.1,\"pc2\":0.2,\"spe\":1,\"t2\":2,\"spe_limit\":9}\n";
    static const char *dec =
        "{\"WINDOW_START\":1,\"pc1\":0.1,\"spe\":1,\"t2\":2,\"pc1_adjusted\":0.3,\"pc2_adjusted\":0.4}\n";
    struct nf_table t;

    TAP_OK(nf_is_identifier("ID") && nf_is_identifier("L4_SRC_PORT") && nf_is_identifier("DST_TOS") &&
           !nf_is_identifier("IN_BYTES") && !nf_is_identifier("id"),
           "identifiers are the contract's keys, by exact name");
    TAP_OK(nf_is_derived("spe") && nf_is_derived("pc1_trend") && !nf_is_derived("pc1_adjusted") &&
           !nf_is_derived("pc1"), "derived statistics: spe, *_trend; not components or adjusted series");

    read_roles(&t, flow, NF_ROLES_ALL);
    TAP_OK(t.ncols == 8 && t.nleft_out == 0, "roles ALL: every numeric key but the time key");
    nf_table_free(&t);
    read_roles(&t, flow, NF_ROLES_FEATURES);
    TAP_OK(t.ncols == 2 && strcmp(t.colnames[0], "IN_BYTES") == 0 && strcmp(t.colnames[1], "ctx") == 0,
           "roles FEATURES: identifiers and derived keys left out");
    TAP_STR(t.left_out, "ID, L4_DST_PORT, PROTOCOL_NUM, SRC_TOS, spe, bytes_trend",
            "the keys left out are named, in input order");
    TAP_OK(strstr(t.pass[0], "\"ID\":7") != NULL, "an identifier passes through");
    TAP_OK(t.chosen_by == NULL, "no kind chose the columns of a flow");
    nf_table_free(&t);

    read_roles(&t, pca, NF_ROLES_CHANGE);
    TAP_OK(t.ncols == 2 && strcmp(t.colnames[1], "pc2") == 0, "roles CHANGE after nf-pca: pc<N> only");
    TAP_OK(t.chosen_by != NULL, "and the kind is named");
    nf_table_free(&t);
    read_roles(&t, pca, NF_ROLES_SEASONAL);
    TAP_OK(t.ncols == 2 && strcmp(t.colnames[0], "pc1") == 0, "roles SEASONAL after nf-pca: pc<N>");
    nf_table_free(&t);
    read_roles(&t, dec, NF_ROLES_CHANGE);
    TAP_OK(t.ncols == 2 && strcmp(t.colnames[0], "pc1_adjusted") == 0,
           "roles CHANGE after nf-decompose: *_adjusted, not the passed-through pc1");
    nf_table_free(&t);
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
    many_keys();
    roles();
    return tap_done();
}
