/*
 * attrib_report.h - writing the split of attrib.h into a change-point
 * report: the "Who carried the shift" section, its JSON and the headline's
 * actors.
 */
#ifndef NFX_ATTRIB_REPORT_H
#define NFX_ATTRIB_REPORT_H

#include "attrib.h"
#include "jsonw.h"
#include "markdown.h"

void nfx_attrib_markdown(const struct nfx_attrib *a, const char *records_path, const char *flows_path,
                         struct nfx_md *md);
void nfx_attrib_json(const struct nfx_attrib *a, const char *records_path, struct nf_jw *w);
/* "3 of 412 internal subnets carry 92 % of the rise." */
const char *nfx_attrib_dim_sentence(const struct nfx_aq *aq, enum nfx_dim d);
/* "10.0.5.0/24 (new, 97 % of the rise), UDP (17) (...)" for the headline, or NULL. */
const char *nfx_attrib_actors(const struct nfx_attrib *a);

#endif
