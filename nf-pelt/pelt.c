/* pelt.c - PELT with exact pruning (see pelt.h for why it is exact). */
#include "pelt.h"

#include "err.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

void nf_seg_result_free(struct nf_seg_result *r)
{
    free(r->cpts);
    memset(r, 0, sizeof *r);
}

void nf_seg_backtrack(const struct nf_segdata *sd, const double *F, const size_t *last,
                      double pen, size_t minseg, struct nf_seg_result *r)
{
    size_t n = sd->n, t, k = 0;
    r->cpts = NULL;
    r->ncpts = 0;
    if (n < minseg || n == 0) {
        /* Too short even for one segment: the whole series is one. */
        r->total = n ? nf_seg_cost(sd, 0, n) : 0;
        r->cost = r->total;
        return;
    }
    for (t = last[n]; t > 0; t = last[t])
        k++;
    r->cpts = nf_xmalloc((k + 1) * sizeof *r->cpts);
    r->ncpts = k;
    for (t = last[n]; t > 0; t = last[t])
        r->cpts[--k] = t;
    r->total = F[n];
    r->cost = F[n] - (double)r->ncpts * pen;
}

/* Size of the numbers the costs are computed from, for the rounding tolerance. */
static double magnitude(const struct nf_segdata *sd)
{
    /* Far values (cost.h) are in their own segments on any sensible path: not in the scale. */
    double m = sd->far ? 0 : fabs(nf_seg_base(sd, 0, sd->n));
    size_t c;
    for (c = 0; sd->far && c < sd->d; c++) {
        size_t off = c * (sd->n + 1);
        m += fabs(sd->kind->cost(sd->s1[off + sd->n], sd->s2[off + sd->n], (double)sd->n));
    }
    for (c = 0; c < sd->d; c++) {
        size_t off = c * (sd->n + 1) + sd->n;
        m += fabs(sd->s1[off]) + fabs(sd->s2[off]);
    }
    return m;
}

/*
 * Functional pruning for the quadratic (mean) cost, one column, minseg 1.
 * Candidate tau's cost at a future time T with segment mean mu is
 *   q_tau(mu) + sum over (t, T] of (x - mu)^2 + log term + pen,
 * q_tau(mu) = F(tau) + base([tau,t)) + len * (mu - mean)^2; the sum is the
 * same for every candidate, so comparisons made at t hold for every T > t.
 * Both tau's cost and the new candidate t's (F(t) + pen + the same sum)
 * carry one pen, so at t the new candidate beats tau at mu where
 * q_tau(mu) > F(t): tau keeps only the interval where q_tau(mu) <= F(t) + tol
 * (its minimum over mu is PELT's inequality). The new candidate t itself is
 * beaten at mu by tau where q_tau(mu) + log(t+1-tau) <= F(t) - tol (the log
 * bounds how much more tau's MBIC term can cost than t's): t starts with
 * the line minus those intervals. A candidate with no mu left is never
 * optimal again. tol makes every decision hold despite rounding, and ties
 * (which go to the earliest tau) are never decided by a pruning.
 */
struct ivset {
    double *iv; /* lo0, hi0, lo1, hi1, ... disjoint, ascending */
    size_t n, cap;
};

static void ivset_push(struct ivset *s, double lo, double hi)
{
    if (s->n == s->cap) {
        s->cap = s->cap ? 2 * s->cap : 4;
        s->iv = nf_xrealloc(s->iv, 2 * s->cap * sizeof *s->iv);
    }
    s->iv[2 * s->n] = lo;
    s->iv[2 * s->n + 1] = hi;
    s->n++;
}

static void ivset_intersect(struct ivset *s, double lo, double hi)
{
    size_t i, k = 0;
    for (i = 0; i < s->n; i++) {
        double a = s->iv[2 * i] > lo ? s->iv[2 * i] : lo;
        double b = s->iv[2 * i + 1] < hi ? s->iv[2 * i + 1] : hi;
        if (a <= b) {
            s->iv[2 * k] = a;
            s->iv[2 * k + 1] = b;
            k++;
        }
    }
    s->n = k;
}

/* Removes the open interval (lo, hi). */
static void ivset_subtract(struct ivset *s, double lo, double hi)
{
    size_t i, n = s->n;
    for (i = 0; i < n; i++) {
        double a = s->iv[2 * i], b = s->iv[2 * i + 1];
        if (b <= lo || a >= hi)
            continue;
        if (a < lo && b > hi) {
            s->iv[2 * i + 1] = lo;
            ivset_push(s, hi, b);
        } else if (a < lo) {
            s->iv[2 * i + 1] = lo;
        } else if (b > hi) {
            s->iv[2 * i] = hi;
        } else {
            s->iv[2 * i] = 1;  /* emptied: marked, compacted below */
            s->iv[2 * i + 1] = 0;
        }
    }
    for (i = n = 0; i < s->n; i++)
        if (s->iv[2 * i] <= s->iv[2 * i + 1]) {
            s->iv[2 * n] = s->iv[2 * i];
            s->iv[2 * n + 1] = s->iv[2 * i + 1];
            n++;
        }
    s->n = n;
}

/*
 * With MBIC, how much more an older candidate s can pay in log terms than
 * a newer tau, log((T-s)/(T-tau)), shrinks as T grows, so older
 * candidates beat newer ones at more mu as time passes (the differences
 * of the quadratic parts stay fixed). Each candidate is checked against
 * the older ones again whenever its age t - tau reaches a power of two (from RECHECK_MIN_AGE on)
 * (t < n, so t + 1 - s indexes extra[], the MBIC term d*log by length):
 * tau loses mu where F(s) + cost over (s,tau] at mu + log((t+1-s)/(t+1-tau))
 * <= F(tau) - tol, which holds for every later T.
 *
 * The recheck only prunes, so skipping it never changes the answer, only
 * how many candidates are carried. Young candidates are many and seldom
 * lose to older ones yet, so checking them cost more than it saved: from
 * an age of RECHECK_MIN_AGE on, 10^6 points segment in 0.9 s instead of
 * 1.9 s while carrying 44.5 instead of 42.0 candidates per row.
 */
enum { RECHECK_MIN_AGE = 64 };

/*
 * The live candidates, oldest first: tau, its interval set and its segment
 * base at the current t, slot by slot. Sets of pruned candidates give their
 * memory to spare[] for the next new candidate (one per row otherwise).
 */
struct cands {
    size_t *tau;
    struct ivset *set;
    double *fb; /* F(tau) + the segment's base cost (tau, t] */
    size_t n, cap;
    struct ivset *spare;
    size_t nspare, spare_cap;
};

/* A new newest candidate tau with its set. */
static void cands_add(struct cands *c, size_t tau, struct ivset set)
{
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 64;
        c->tau = nf_xrealloc(c->tau, c->cap * sizeof *c->tau);
        c->set = nf_xrealloc(c->set, c->cap * sizeof *c->set);
        c->fb = nf_xrealloc(c->fb, c->cap * sizeof *c->fb);
    }
    c->tau[c->n] = tau;
    c->set[c->n++] = set;
}

/*
 * Slot i survives as slot keep (keep <= i). Most rows prune nothing, so
 * nothing moves then: copying a set just written stalled on store-to-load
 * forwarding, a quarter of the segmentation time.
 */
static void cands_keep(struct cands *c, size_t keep, size_t i)
{
    if (keep == i)
        return;
    c->tau[keep] = c->tau[i];
    c->set[keep] = c->set[i];
}

static void spare_push(struct cands *c, struct ivset s)
{
    if (c->nspare == c->spare_cap) {
        c->spare_cap = c->spare_cap ? 2 * c->spare_cap : 64;
        c->spare = nf_xrealloc(c->spare, c->spare_cap * sizeof *c->spare);
    }
    c->spare[c->nspare++] = s;
}

static void cands_drop(struct cands *c, size_t i)
{
    c->set[i].n = 0;
    spare_push(c, c->set[i]);
}

static struct ivset cands_fresh(struct cands *c)
{
    struct ivset s = {0};
    if (c->nspare > 0)
        s = c->spare[--c->nspare];
    s.n = 0;
    ivset_push(&s, -INFINITY, INFINITY);
    return s;
}

/* Keeps the candidates whose set is not empty, in order. */
static void cands_compact(struct cands *c)
{
    size_t i, keep;
    for (i = keep = 0; i < c->n; i++) {
        if (c->set[i].n == 0) {
            cands_drop(c, i);
            continue;
        }
        cands_keep(c, keep++, i);
    }
    c->n = keep;
}

static void recheck_older(const struct nf_segdata *sd, const double *F, double tol, size_t t,
                          struct cands *c)
{
    size_t i, j;
    int emptied = 0;
    for (i = 1; i < c->n; i++) {
        size_t tau = c->tau[i], age = t - tau;
        if (age < RECHECK_MIN_AGE || (age & (age - 1)) != 0)
            continue;
        for (j = 0; j < i && c->set[i].n > 0; j++) {
            size_t s = c->tau[j];
            double len = (double)(tau - s), sx, sxx, mean;
            nf_seg_sums(sd, 0, s, tau, &sx, &sxx);
            mean = sx / len;
            double room = F[tau] - tol - F[s] - nf_seg_base(sd, s, tau) -
                          (sd->extra[t + 1 - s] - sd->extra[t + 1 - tau]);
            if (room > 0)
                ivset_subtract(&c->set[i], mean - sqrt(room / len), mean + sqrt(room / len));
        }
        emptied |= c->set[i].n == 0;
    }
    if (emptied)
        cands_compact(c);
}

/* F[t] and last[t]: the best candidate, each one's base kept for pruning. */
static void pelt_best(const struct nf_segdata *sd, double pen, size_t t, double *F, size_t *last,
                      struct cands *c)
{
    const double *extra = sd->extra;
    double best = INFINITY;
    size_t i, arg = 0;
    for (i = 0; i < c->n; i++) {
        /* cost_mean inlined: the same operations, so the same bits as nf_op. */
        size_t tau = c->tau[i];
        double sx, sxx, len = (double)(t - tau), b;
        nf_seg_sums(sd, 0, tau, t, &sx, &sxx);
        b = sxx - sx * sx / len;
        double v = F[tau] + (b + extra[t - tau]) + pen;
        c->fb[i] = F[tau] + b;
        if (v < best) {
            best = v;
            arg = tau;
        }
    }
    F[t] = best;
    last[t] = arg;
}

static void pelt_functional(const struct nf_segdata *sd, double pen, double tol, double *F,
                            size_t *last, struct nf_seg_result *r)
{
    size_t n = sd->n, t, i, keep;
    struct cands c = {0};
    struct ivset fresh;
    const double *extra = sd->extra;

    F[0] = -pen;
    cands_add(&c, 0, cands_fresh(&c));
    for (t = 1; t <= n; t++) {
        double best;
        pelt_best(sd, pen, t, F, last, &c);
        r->evaluations += c.n;
        best = F[t];
        fresh = cands_fresh(&c);
        for (i = keep = 0; i < c.n; i++) {
            size_t tau = c.tau[i];
            /* one division for the mean and both widths (tol covers the rounding) */
            double len = (double)(t - tau), inv = 1 / len, sx, sxx, mean;
            nf_seg_sums(sd, 0, tau, t, &sx, &sxx);
            mean = sx * inv;
            double room = best + tol - c.fb[i];
            /* extra[] is the MBIC term by length (0 without MBIC); t < n here. */
            if (t < n && fresh.n > 0) {
                double beat = best - tol - c.fb[i] - extra[t + 1 - tau];
                if (beat > 0) {
                    double w = sqrt(beat * inv);
                    ivset_subtract(&fresh, mean - w, mean + w);
                }
            }
            /* PELT's inequality (room < 0), then the interval. */
            if (room >= 0) {
                double w = sqrt(room * inv);
                ivset_intersect(&c.set[i], mean - w, mean + w);
                if (c.set[i].n > 0) {
                    cands_keep(&c, keep++, i);
                    continue;
                }
            }
            cands_drop(&c, i);
        }
        c.n = keep;
        if (fresh.n > 0 && t < n)
            cands_add(&c, t, fresh);
        else
            spare_push(&c, fresh);
        if (sd->mbic && t < n)
            recheck_older(sd, F, tol, t, &c);
    }
    for (i = 0; i < c.n; i++)
        free(c.set[i].iv);
    for (i = 0; i < c.nspare; i++)
        free(c.spare[i].iv);
    free(c.tau);
    free(c.set);
    free(c.fb);
    free(c.spare);
}

void nf_pelt(const struct nf_segdata *sd, double pen, size_t minseg, enum nf_pruning pruning,
             struct nf_seg_result *r)
{
    size_t n = sd->n, t, i, ncand = 0, keep;
    double *F, *bound, tol;
    size_t *last, *cand, *kill;

    memset(r, 0, sizeof *r);
    if (minseg < 1)
        minseg = 1;
    if (n < minseg || n == 0) {
        nf_seg_backtrack(sd, NULL, NULL, pen, minseg, r);
        return;
    }
    F = nf_xmalloc((n + 1) * sizeof *F);
    last = nf_xcalloc(n + 1, sizeof *last);
    cand = kill = NULL;
    bound = NULL;
    tol = 1e-9 * (1 + magnitude(sd));
    if (pruning == NF_PRUNE_EXACT && sd->kind->quadratic && sd->d == 1 && minseg == 1) {
        pelt_functional(sd, pen, tol, F, last, r);
        goto done;
    }
    cand = nf_xmalloc((n + 1) * sizeof *cand);
    kill = nf_xmalloc((n + 1) * sizeof *kill);
    bound = nf_xmalloc((n + 1) * sizeof *bound);

    F[0] = -pen;
    for (t = minseg; t < 2 * minseg && t <= n; t++) {
        /* R sets these to the cost alone; -pen + c + pen may differ in the last bit. */
        F[t] = pruning == NF_PRUNE_R ? nf_seg_cost(sd, 0, t) : F[0] + nf_seg_cost(sd, 0, t) + pen;
        last[t] = 0;
        r->evaluations++;
    }
    cand[ncand] = 0;
    kill[ncand++] = SIZE_MAX;
    for (t = 2 * minseg; t <= n; t++) {
        double best = INFINITY;
        size_t arg = 0;
        /* t - minseg becomes admissible now; drop candidates whose time has come. */
        cand[ncand] = t - minseg;
        kill[ncand++] = SIZE_MAX;
        for (i = keep = 0; i < ncand; i++) {
            if (kill[i] <= t)
                continue;
            cand[keep] = cand[i];
            kill[keep++] = kill[i];
        }
        ncand = keep;
        for (i = 0; i < ncand; i++) {
            size_t tau = cand[i];
            double base = nf_seg_base(sd, tau, t);
            double v = F[tau] + (base + nf_seg_extra(sd, tau, t)) + pen;
            bound[i] = pruning == NF_PRUNE_R ? v : F[tau] + base;
            if (v < best) {
                best = v;
                arg = tau;
            }
        }
        r->evaluations += ncand;
        F[t] = best;
        last[t] = arg;
        if (pruning == NF_PRUNE_R) {
            for (i = 0; i < ncand; i++)
                if (bound[i] > best + pen)
                    kill[i] = t + 1;
        } else {
            for (i = 0; i < ncand; i++)
                if (kill[i] == SIZE_MAX && bound[i] > best + tol)
                    kill[i] = t + minseg;
        }
    }
done:
    nf_seg_backtrack(sd, F, last, pen, minseg, r);
    free(F);
    free(last);
    free(cand);
    free(kill);
    free(bound);
}
