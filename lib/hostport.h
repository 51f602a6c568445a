/*
 * hostport.h - "[ADDR]:PORT", "ADDR:PORT", ":PORT" and "PORT" texts of
 * UDP endpoints (nf-parse --listen, nf-replay --to), split and resolved
 * the same way everywhere. Numeric addresses only: no DNS look-ups.
 */
#ifndef NF_HOSTPORT_H
#define NF_HOSTPORT_H

#include <stddef.h>
#include <sys/socket.h>

/*
 * Splits text into host (may come back empty: every address, or the
 * caller's default) and port. Returns 0, or -1 with a reason in why.
 */
int nf_hostport_split(const char *text, char *host, size_t hostlen, unsigned *port,
                      char *why, size_t whylen);

/*
 * Resolves text for sending: an empty host is default_host. Dies with a
 * usage error naming opt on bad text. Fills ss and *len.
 */
void nf_hostport_resolve(const char *opt, const char *text, const char *default_host,
                         struct sockaddr_storage *ss, socklen_t *len);

#endif
