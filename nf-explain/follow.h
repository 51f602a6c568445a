/*
 * follow.h - nf-explain --follow: a report per event as it arrives on the
 * input, against feature, record and flow files that grow while it runs;
 * --exec CMD runs a command per event (docs/nf-explain.md "Following a
 * live run").
 */
#ifndef NFX_FOLLOW_H
#define NFX_FOLLOW_H

#include "explain.h"

struct nfx_follow_opts {
    const char *exec;       /* --exec CMD, or NULL */
    double exec_timeout;    /* --exec-timeout S: the command is killed after S seconds */
    double wait;            /* --follow-wait S: how long an event waits for its feature rows */
    int64_t since;          /* --features-since TIME: the rows before it are an earlier run's */
    int since_given;
    const char *output;     /* -o FILE (json) or NULL */
};

/*
 * Reads change-point or event records from paths (stdin when npaths is 0)
 * until their end or SIGTERM/SIGINT and writes each one's report at once.
 * Prints the counts on stderr. Returns the exit status.
 */
int nfx_follow(struct nfx_ctx *ctx, struct nfx_out *out, const struct nfx_follow_opts *fo,
               char **paths, int npaths);

#endif
