/* hostport.c - UDP endpoint texts: split, check, resolve (numeric only). */
#include "hostport.h"

#include <netdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "err.h"

int nf_hostport_split(const char *text, char *host, size_t hostlen, unsigned *port,
                      char *why, size_t whylen)
{
    const char *s = text, *colon, *digits;
    size_t hn;
    char *end;
    unsigned long v;
    if (s[0] == '[') {
        const char *close = strchr(s, ']');
        if (!close || close[1] != ':') {
            snprintf(why, whylen, "expected [ADDR]:PORT");
            return -1;
        }
        hn = (size_t)(close - s - 1);
        colon = close + 1;
        s++;
    } else {
        colon = strrchr(s, ':');
        if (colon && strchr(s, ':') != colon) {
            snprintf(why, whylen, "put an IPv6 address in brackets: [ADDR]:PORT");
            return -1;
        }
        hn = colon ? (size_t)(colon - s) : 0;
    }
    if (hn >= hostlen) {
        snprintf(why, whylen, "address too long");
        return -1;
    }
    memcpy(host, s, hn);
    host[hn] = '\0';
    digits = colon ? colon + 1 : s;
    v = strtoul(digits, &end, 10);
    if (!digits[0] || *end || digits[0] == '-' || digits[0] == '+' || v == 0 || v > 65535) {
        snprintf(why, whylen, "'%s' is not a port number (1-65535)", digits);
        return -1;
    }
    *port = (unsigned)v;
    return 0;
}

void nf_hostport_resolve(const char *opt, const char *text, const char *default_host,
                         struct sockaddr_storage *ss, socklen_t *len)
{
    char host[256], port[8], why[128];
    struct addrinfo hints, *res = NULL;
    unsigned portno;
    int rc;
    if (nf_hostport_split(text, host, sizeof host, &portno, why, sizeof why) < 0)
        nf_usage_error("%s %s: %s", opt, text, why);
    snprintf(port, sizeof port, "%u", portno);
    memset(&hints, 0, sizeof hints);
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_DGRAM;
    hints.ai_flags = AI_NUMERICHOST | AI_NUMERICSERV;
    rc = getaddrinfo(host[0] ? host : default_host, port, &hints, &res);
    if (rc != 0)
        nf_usage_error("%s %s: %s", opt, text, gai_strerror(rc));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    freeaddrinfo(res);
}
