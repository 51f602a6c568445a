/* test_hostport.c - "[ADDR]:PORT" texts: split, and what is refused and why. */
#include <netinet/in.h>
#include <arpa/inet.h>

#include "../../lib/tests/tap.h"
#include "hostport.h"

static void split_ok(const char *text, const char *want_host, unsigned want_port)
{
    char host[64], why[128];
    unsigned port = 0;
    int rc = nf_hostport_split(text, host, sizeof host, &port, why, sizeof why);
    TAP_OK(rc == 0 && strcmp(host, want_host) == 0 && port == want_port,
           "'%s' is host '%s', port %u", text, want_host, want_port);
}

static void split_bad(const char *text, const char *want_why)
{
    char host[64], why[128] = "";
    unsigned port = 0;
    int rc = nf_hostport_split(text, host, sizeof host, &port, why, sizeof why);
    TAP_OK(rc < 0 && strstr(why, want_why) != NULL, "'%s' refused: %s", text, why);
}

int main(void)
{
    struct sockaddr_storage ss;
    socklen_t len;
    split_ok("127.0.0.1:4739", "127.0.0.1", 4739);
    split_ok(":2055", "", 2055);
    split_ok("2055", "", 2055);
    split_ok("[::1]:9995", "::1", 9995);
    split_ok("[2001:db8::7]:1", "2001:db8::7", 1);
    split_ok("192.0.2.1:65535", "192.0.2.1", 65535);
    split_bad("::1:2055", "brackets");
    split_bad("[::1]2055", "expected [ADDR]:PORT");
    split_bad("[::1", "expected [ADDR]:PORT");
    split_bad("127.0.0.1:0", "not a port number");
    split_bad("127.0.0.1:65536", "not a port number");
    split_bad("127.0.0.1:", "not a port number");
    split_bad("127.0.0.1:+80", "not a port number");
    split_bad("127.0.0.1:80x", "not a port number");
    split_bad("0123456789012345678901234567890123456789012345678901234567890123456789:1",
              "too long");

    nf_hostport_resolve("--to", ":4739", "127.0.0.1", &ss, &len);
    TAP_OK(ss.ss_family == AF_INET && ntohs(((struct sockaddr_in *)&ss)->sin_port) == 4739 &&
               ((struct sockaddr_in *)&ss)->sin_addr.s_addr == htonl(INADDR_LOOPBACK),
           "resolve ':4739' with default host 127.0.0.1");
    nf_hostport_resolve("--to", "[::1]:2055", "127.0.0.1", &ss, &len);
    TAP_OK(ss.ss_family == AF_INET6 && len == sizeof(struct sockaddr_in6) &&
               ntohs(((struct sockaddr_in6 *)&ss)->sin6_port) == 2055,
           "resolve '[::1]:2055' to an IPv6 socket address");
    return tap_done();
}
