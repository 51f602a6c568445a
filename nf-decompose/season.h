/*
 * season.h - the saved seasonal model of nf-decompose (--save-model,
 * --model): per column one seasonal profile of `period` steps of step_ms,
 * indexed by a row's own time, so applying it needs no history and a gap
 * in the input stays a gap. File format: docs/nf-decompose.md.
 */
#ifndef NF_DECOMPOSE_SEASON_H
#define NF_DECOMPOSE_SEASON_H

#include <stddef.h>
#include <stdint.h>

struct nf_season_col {
    char *name;
    double *profile;        /* [period] seasonal value at each position of the cycle */
    double remainder_scale; /* 1.4826 x MAD of the remainder over the baseline */
};

struct nf_season_model {
    char *time_key;
    int64_t step_ms, origin_ms; /* position = floor((t - origin) / step) mod period */
    long period;
    int robust;
    size_t ncols;
    struct nf_season_col *cols;
};

/* Position of time ms in the cycle, 0..period-1 (times before the origin too). */
long nf_season_position(const struct nf_season_model *m, int64_t ms);

/*
 * Fills column col's profile from a batch decomposition: the mean of the
 * seasonal part at each position (the periodic seasonal itself with
 * s.window periodic), and the remainder's robust scale. time[n] are the
 * rows' times.
 */
void nf_season_fit_col(const struct nf_season_model *m, struct nf_season_col *c,
                       const int64_t *time, const double *seasonal, const double *remainder,
                       size_t n);

void nf_season_save(const struct nf_season_model *m, const char *path);
void nf_season_load(struct nf_season_model *m, const char *path);
void nf_season_free(struct nf_season_model *m);

#endif
