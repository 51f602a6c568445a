/*
 * plot.c - SVG timelines through gnuplot (plot.h). The data goes inline as
 * a datablock, so no temporary files are left behind; gnuplot's SVG
 * terminal output depends only on the script, which keeps it deterministic.
 */
/* Texts are cut to fit their buffers on purpose (snprintf); GCC cannot tell. */
#pragma GCC diagnostic ignored "-Wformat-truncation"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "err.h"
#include "plot.h"

int nfx_plot_available(void)
{
    const char *path = getenv("PATH");
    if (!path)
        return 0;
    char *copy = nf_xstrdup(path), *save = NULL;
    int found = 0;
    for (char *dir = strtok_r(copy, ":", &save); dir && !found; dir = strtok_r(NULL, ":", &save)) {
        char full[4096];
        snprintf(full, sizeof full, "%s/gnuplot", *dir ? dir : ".");
        found = access(full, X_OK) == 0;
    }
    free(copy);
    return found;
}

/* gnuplot strings in single quotes: a quote is doubled. */
static void put_quoted(FILE *f, const char *s)
{
    fputc('\'', f);
    for (; *s; s++) {
        if (*s == '\'')
            fputc('\'', f);
        fputc(*s, f);
    }
    fputc('\'', f);
}

int nfx_plot_svg(const struct nfx_plot *p, const char *path)
{
    FILE *g = popen("gnuplot", "w");
    if (!g) {
        nf_warn("--plot: cannot run gnuplot; report written without the picture");
        return -1;
    }
    /* Times in seconds for gnuplot's time axis. */
    double scale = p->time_axis ? 1000.0 : 1.0;
    fprintf(g, "set terminal svg size 900,360 dynamic font 'sans,11'\nset output ");
    put_quoted(g, path);
    fprintf(g, "\nset title ");
    put_quoted(g, p->title);
    fprintf(g, " noenhanced\nset ylabel ");
    put_quoted(g, p->ylabel);
    fprintf(g, " noenhanced\nset grid\nset key below horizontal noenhanced\n");
    if (p->time_axis)
        fprintf(g, "set xdata time\nset timefmt '%%s'\nset format x \"%%m-%%d\\n%%H:%%M\"\nset xlabel 'time (UTC)'\n");
    else
        fprintf(g, "set xlabel 'row'\n");
    if (p->logy)
        fprintf(g, "set logscale y\n");
    fprintf(g, "$data << EOD\n");
    for (size_t i = 0; i < p->n; i++)
        if (isfinite(p->y[i]) && isfinite(p->x[i]) && (!p->logy || p->y[i] > 0))
            fprintf(g, "%.17g %.17g\n", p->x[i] / scale, p->y[i]);
    fprintf(g, "EOD\n");
    fprintf(g, "set arrow 1 from %.17g, graph 0 to %.17g, graph 1 nohead lc rgb '#d62728' lw 2 dt 2\n",
            p->mark_x / scale, p->mark_x / scale);
    fprintf(g, "plot $data using 1:2 with lines lc rgb '#1f77b4' title ");
    put_quoted(g, p->ylabel);
    if (isfinite(p->hline)) {
        fprintf(g, ", $data using 1:(%.17g) with lines lc rgb '#ff7f0e' dt 3 title ", p->hline);
        put_quoted(g, p->hline_label ? p->hline_label : "limit");
    }
    if (isfinite(p->mean_before) && isfinite(p->mean_after)) {
        fprintf(g, ", $data using 1:($1 < %.17g || $1 > %.17g ? 1/0 : $1 < %.17g ? %.17g : %.17g) "
                   "with lines lc rgb '#2ca02c' lw 2 title 'segment means'",
                p->seg_lo / scale, p->seg_hi / scale, p->mark_x / scale, p->mean_before, p->mean_after);
    }
    fprintf(g, "\n");
    int status = pclose(g);
    if (status != 0) {
        nf_warn("--plot: gnuplot failed for %s; report written without the picture", path);
        return -1;
    }
    return 0;
}
