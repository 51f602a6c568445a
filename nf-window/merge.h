/*
 * merge.h - reading nf-window's own aggregate records back (--merge, and
 * the merge spool read back in when the input turns out not to be in time
 * order).
 */
#ifndef NFW_MERGE_H
#define NFW_MERGE_H

#include <stddef.h>
#include <stdint.h>

#include <cJSON.h>

#include "keytab.h"

struct agg_rec {
    int64_t start, end;
    int is_fill;            /* SRC_NET, DST_NET and PROTOCOL_NUM null */
    struct agg_key key;
    uint64_t flows, packets, bytes;
};

/* Checks one aggregate record; -1 with a reason in why when it is not one. */
int agg_rec_from_json(const cJSON *obj, struct agg_rec *r, char *why, size_t whylen);

#endif
