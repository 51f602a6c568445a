/*
 * plot.c - SVG timelines through gnuplot (plot.h).
 *
 * gnuplot is a programming language, so nothing taken from the input may
 * reach it as program text. Three rules keep it so:
 *   - the script is built from fixed text, numbers we format, and labels
 *     passed through safe_label(): letters, digits, space and _-.,:()+/%=#
 *     only (every other character, a newline or a quote among them, becomes
 *     '?'), at most PLOT_LABEL_MAX characters, in single quotes, where
 *     gnuplot interprets nothing;
 *   - the data go through a file (an unlinked temporary file that gnuplot
 *     reads as /dev/fd/3), not through the script;
 *   - gnuplot writes the SVG to its stdout, which is the report's file, so
 *     no path appears in the script either.
 * gnuplot runs without a shell (posix_spawnp). Its SVG output depends only
 * on the script and the data, which keeps the pictures deterministic.
 */
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "plot.h"

#define PLOT_LABEL_MAX 80 /* characters of a label in the picture */
#define PLOT_DATA_FD 3    /* gnuplot reads the data as /dev/fd/3 */

extern char **environ;

int nfx_plot_available(void)
{
    const char *path = getenv("PATH");
    char *copy, *dir, *save = NULL;
    int found = 0;

    if (!path)
        return 0;
    copy = nf_xstrdup(path);
    for (dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char *full = NULL;
        if (asprintf(&full, "%s/gnuplot", *dir ? dir : ".") < 0)
            nf_die("out of memory");
        found = access(full, X_OK) == 0;
        free(full);
    }
    free(copy);
    return found;
}

static int label_char_ok(unsigned char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           (c != '\0' && strchr(" _-.,:()+/%=#", c) != NULL);
}

void nfx_plot_safe_label(const char *s, char *buf, size_t cap)
{
    size_t len = 0;

    if (cap == 0)
        return;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c & 0xC0) == 0x80)
            continue; /* the rest of a UTF-8 character already written as '?' */
        if (len == PLOT_LABEL_MAX || len + 1 >= cap) {
            /* cut: the last three characters become "..." */
            memset(buf + (len >= 3 ? len - 3 : 0), '.', len >= 3 ? 3 : len);
            break;
        }
        buf[len++] = label_char_ok(c) ? (char)c : '?';
    }
    buf[len] = '\0';
}

/* A label in single quotes: safe_label() leaves no quote to double. */
static void put_label(FILE *f, const char *s)
{
    char safe[PLOT_LABEL_MAX + 1];
    nfx_plot_safe_label(s, safe, sizeof safe);
    fprintf(f, "'%s'", safe);
}

/* A temporary file moved to a descriptor above the standard and data ones. */
static FILE *temp_file(int *fd)
{
    FILE *f = tmpfile();
    if (!f)
        return NULL;
    *fd = fcntl(fileno(f), F_DUPFD_CLOEXEC, 10);
    if (*fd < 0) {
        fclose(f);
        return NULL;
    }
    return f;
}

/*
 * The stacked bands: the data file's column 3 + i holds the sum of parts
 * 0..i, so band i lies between columns 2 + i (0 for the first) and 3 + i,
 * and the rest between the last sum and the series (column 2).
 */
static void write_stack(FILE *g, const struct nfx_plot *p)
{
    static const char *const colours[] = {"#d62728", "#ff7f0e", "#2ca02c", "#9467bd", "#8c564b", "#e377c2"};
    size_t i;
    for (i = 0; i < p->nstack; i++) {
        if (i == 0)
            fprintf(g, "'/dev/fd/%d' using 1:(0):3 with filledcurves fs solid 0.55 noborder lc rgb '%s' title ",
                    PLOT_DATA_FD, colours[i % 6]);
        else
            fprintf(g, "'/dev/fd/%d' using 1:%zu:%zu with filledcurves fs solid 0.55 noborder lc rgb '%s' title ",
                    PLOT_DATA_FD, i + 2, i + 3, colours[i % 6]);
        put_label(g, p->stack_labels[i]);
        fprintf(g, ", ");
    }
    fprintf(g, "'/dev/fd/%d' using 1:%zu:2 with filledcurves fs solid 0.35 noborder lc rgb '#7f7f7f' title ", PLOT_DATA_FD,
            p->nstack + 2);
    put_label(g, p->rest_label ? p->rest_label : "other");
    fprintf(g, ", ");
}

static void write_script(FILE *g, const struct nfx_plot *p, double scale)
{
    fprintf(g, "set terminal svg size 900,360 dynamic font 'sans,11'\n");
    fprintf(g, "set title ");
    put_label(g, p->title);
    fprintf(g, " noenhanced\nset ylabel ");
    put_label(g, p->ylabel);
    fprintf(g, " noenhanced\nset grid\nset key below horizontal noenhanced\n");
    if (p->time_axis)
        fprintf(g, "set xdata time\nset timefmt '%%s'\nset format x \"%%m-%%d\\n%%H:%%M\"\nset xlabel 'time (UTC)'\n");
    else
        fprintf(g, "set xlabel 'row'\n");
    if (p->logy)
        fprintf(g, "set logscale y\n");
    fprintf(g, "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead lc rgb '#d62728' lw 2 dt 2%s\n",
            p->mark_x / scale, p->mark_x / scale, p->nstack ? " front" : "");
    fprintf(g, "plot ");
    if (p->nstack)
        write_stack(g, p);
    fprintf(g, "'/dev/fd/%d' using 1:2 with lines lc rgb '#1f77b4' lw 2 title ", PLOT_DATA_FD);
    put_label(g, p->ylabel);
    if (isfinite(p->hline)) {
        fprintf(g, ", '/dev/fd/%d' using 1:(%.17g) with lines lc rgb '#ff7f0e' dt 3 title ", PLOT_DATA_FD,
                p->hline);
        put_label(g, p->hline_label ? p->hline_label : "limit");
    }
    if (isfinite(p->mean_before) && isfinite(p->mean_after))
        fprintf(g, ", '/dev/fd/%d' using 1:($1 < %.17g || $1 > %.17g ? 1/0 : $1 < %.17g ? %.17g : %.17g) "
                   "with lines lc rgb '#2ca02c' lw 2 title 'segment means'",
                PLOT_DATA_FD, p->seg_lo / scale, p->seg_hi / scale, p->mark_x / scale, p->mean_before,
                p->mean_after);
    fprintf(g, "\n");
}

static void write_data(FILE *d, const struct nfx_plot *p, double scale)
{
    size_t i, k;
    for (i = 0; i < p->n; i++) {
        if (!isfinite(p->y[i]) || !isfinite(p->x[i]) || (p->logy && p->y[i] <= 0))
            continue;
        fprintf(d, "%.17g %.17g", p->x[i] / scale, p->y[i]);
        double sum = 0;
        for (k = 0; k < p->nstack; k++) {
            sum += isfinite(p->stack[k][i]) ? p->stack[k][i] : 0;
            fprintf(d, " %.17g", sum);
        }
        fprintf(d, "\n");
    }
}

/* Runs gnuplot with stdin = script, stdout = svg, fd 3 = data; its exit status or -1. */
static int run_gnuplot(int script_fd, int svg_fd, int data_fd)
{
    posix_spawn_file_actions_t fa;
    char *argv[] = {"gnuplot", NULL};
    pid_t pid;
    int rc, status;

    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, script_fd, 0);
    posix_spawn_file_actions_adddup2(&fa, svg_fd, 1);
    posix_spawn_file_actions_adddup2(&fa, data_fd, PLOT_DATA_FD);
    rc = posix_spawnp(&pid, "gnuplot", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    if (rc != 0)
        return -1;
    while (waitpid(pid, &status, 0) < 0)
        if (errno != EINTR)
            return -1;
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

int nfx_plot_svg(const struct nfx_plot *p, int svg_fd, const char *name)
{
    /* Times in seconds for gnuplot's time axis. */
    double scale = p->time_axis ? 1000.0 : 1.0;
    int script_fd = -1, data_fd = -1, rc = -1;
    FILE *script = temp_file(&script_fd), *data = script ? temp_file(&data_fd) : NULL;

    if (!script || !data) {
        nf_warn("--plot: cannot create a temporary file: %s; report written without the picture", strerror(errno));
        goto out;
    }
    write_script(script, p, scale);
    write_data(data, p, scale);
    if (fflush(script) != 0 || fflush(data) != 0 || lseek(script_fd, 0, SEEK_SET) != 0 ||
        lseek(data_fd, 0, SEEK_SET) != 0) {
        nf_warn("--plot: cannot write a temporary file: %s; report written without the picture", strerror(errno));
        goto out;
    }
    rc = run_gnuplot(script_fd, svg_fd, data_fd);
    if (rc != 0) {
        nf_warn("--plot: gnuplot failed for %s; report written without the picture", name);
        rc = -1;
    }
out:
    if (script_fd >= 0)
        close(script_fd);
    if (data_fd >= 0)
        close(data_fd);
    if (script)
        fclose(script);
    if (data)
        fclose(data);
    return rc;
}
