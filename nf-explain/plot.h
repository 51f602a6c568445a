/*
 * plot.h - a timeline per report drawn by gnuplot (Debian gnuplot-nox) as
 * SVG: the series, the change point or flagged point marked, and
 * optionally a horizontal line (segment means or the score limit) or the
 * series' parts stacked under it (attribution's top keys).
 * No text from the input reaches gnuplot as program text (plot.c).
 */
#ifndef NFX_PLOT_H
#define NFX_PLOT_H
#include <stddef.h>

/* 1 when a gnuplot executable is in PATH. */
int nfx_plot_available(void);

struct nfx_plot {
    const char *title, *ylabel;
    const double *x, *y;   /* n points; x in epoch ms when time_axis, else row numbers */
    size_t n;
    int time_axis;
    double mark_x;         /* vertical marker */
    double hline;          /* horizontal line (NaN = none), e.g. the limit */
    const char *hline_label;
    double mean_before, mean_after; /* segment means drawn as steps (NaN = none) */
    double seg_lo, seg_hi;          /* x range of the two segments */
    int logy;                       /* logarithmic y axis (scores spanning decades) */
    /* Parts stacked under the series, as filled bands from 0 (0 = none): each
       of n values, never negative, adding up to at most y; the rest of y is
       drawn as one more band, rest_label. */
    size_t nstack;
    const double *const *stack;
    const char *const *stack_labels;
    const char *rest_label;
};

/*
 * Draws p as SVG into svg_fd (a new, empty file; name is for messages).
 * Returns 0, or -1 with a message on stderr.
 */
int nfx_plot_svg(const struct nfx_plot *p, int svg_fd, const char *name);

/*
 * The text a label is drawn with: letters, digits, space and _-.,:()+/%=#
 * kept, any other character (one UTF-8 character counts once) replaced by
 * '?', cut to 80 characters ending in "..." (cap >= 81 for the whole label).
 */
void nfx_plot_safe_label(const char *s, char *buf, size_t cap);

#endif
