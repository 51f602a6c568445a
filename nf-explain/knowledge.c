/*
 * knowledge.c - protocol and port knowledge (knowledge.h). The built-in
 * table names the services an operator expects to recognise; the IANA
 * name comes from the system's services database when it has the port.
 */
#include <arpa/inet.h>
#include <netdb.h>
#include <stdio.h>
#include <string.h>

#include "knowledge.h"

enum { ANY = 0 };

struct known_port {
    int proto; /* 6, 17, or ANY */
    int port;
    const char *name;
    const char *note;
};

static const struct known_port known_ports[] = {
    {17, 443, "QUIC", "QUIC (RFC 9000), the encrypted UDP transport of HTTP/3"},
    {6, 443, "HTTPS", "HTTP over TLS"},
    {6, 80, "HTTP", "unencrypted web traffic"},
    {ANY, 53, "DNS", "name resolution"},
    {6, 853, "DNS over TLS", "encrypted name resolution (RFC 7858)"},
    {17, 123, "NTP", "clock synchronisation"},
    {6, 22, "SSH", "encrypted remote shell and file transfer"},
    {6, 23, "Telnet", "unencrypted remote shell"},
    {6, 21, "FTP", "file transfer control channel"},
    {6, 25, "SMTP", "mail transfer between servers"},
    {6, 465, "SMTPS", "mail submission over TLS"},
    {6, 587, "SMTP submission", "mail submission by clients"},
    {6, 110, "POP3", "mail retrieval"},
    {6, 995, "POP3S", "mail retrieval over TLS"},
    {6, 143, "IMAP", "mail access"},
    {6, 993, "IMAPS", "mail access over TLS"},
    {6, 3389, "RDP", "Windows remote desktop"},
    {6, 445, "SMB", "Windows file sharing"},
    {6, 139, "NetBIOS session", "legacy Windows file sharing"},
    {17, 137, "NetBIOS name service", "legacy Windows name resolution"},
    {17, 138, "NetBIOS datagram", "legacy Windows browsing"},
    {17, 67, "DHCP", "address assignment (server side)"},
    {17, 68, "DHCP", "address assignment (client side)"},
    {17, 161, "SNMP", "device monitoring"},
    {17, 162, "SNMP trap", "device notifications"},
    {17, 514, "syslog", "log transport"},
    {17, 1900, "SSDP", "UPnP discovery"},
    {17, 5353, "mDNS", "multicast name resolution on the local link"},
    {17, 5355, "LLMNR", "link-local name resolution"},
    {17, 500, "IKE", "IPsec key exchange"},
    {17, 4500, "IPsec NAT-T", "IPsec through NAT"},
    {ANY, 1194, "OpenVPN", "VPN tunnel"},
    {17, 51820, "WireGuard", "VPN tunnel (default port)"},
    {ANY, 3478, "STUN/TURN", "NAT traversal for real-time media"},
    {17, 2055, "NetFlow", "flow export (common collector port)"},
    {17, 4739, "IPFIX", "flow export"},
    {6, 8080, "HTTP alternate", "web proxies and application servers"},
    {6, 8443, "HTTPS alternate", "web applications over TLS"},
    {6, 3306, "MySQL", "database"},
    {6, 5432, "PostgreSQL", "database"},
    {6, 1433, "MS SQL", "database"},
    {6, 6379, "Redis", "key-value store"},
    {6, 5900, "VNC", "remote desktop"},
    {6, 179, "BGP", "inter-domain routing"},
    {6, 389, "LDAP", "directory access"},
    {6, 636, "LDAPS", "directory access over TLS"},
    {6, 88, "Kerberos", "authentication"},
    {17, 88, "Kerberos", "authentication"},
};

const char *nfx_proto_name(int proto, char *buf, size_t cap)
{
    switch (proto) {
    case 1: return "ICMP";
    case 2: return "IGMP";
    case 6: return "TCP";
    case 17: return "UDP";
    case 47: return "GRE";
    case 50: return "ESP";
    case 51: return "AH";
    case 58: return "ICMPv6";
    case 132: return "SCTP";
    default: break;
    }
    struct protoent *pe = getprotobynumber(proto);
    if (pe && pe->p_name)
        snprintf(buf, cap, "%s", pe->p_name);
    else
        snprintf(buf, cap, "protocol %d", proto);
    return buf;
}

int nfx_service_lookup(int proto, int port, struct nfx_service *s)
{
    size_t i;
    s->name = NULL;
    s->note = NULL;
    s->iana[0] = '\0';
    if (port <= 0 || port > 65535 || (proto != 6 && proto != 17 && proto != 132))
        return 0;
    for (i = 0; i < sizeof known_ports / sizeof known_ports[0]; i++) {
        const struct known_port *k = &known_ports[i];
        if (k->port == port && (k->proto == ANY || k->proto == proto)) {
            s->name = k->name;
            s->note = k->note;
            break;
        }
    }
    const char *pname = proto == 6 ? "tcp" : proto == 17 ? "udp" : "sctp";
    struct servent *se = getservbyport(htons((unsigned short)port), pname);
    if (se && se->s_name)
        snprintf(s->iana, sizeof s->iana, "%s", se->s_name);
    return s->name || s->iana[0];
}

const char *nfx_port_range(int port)
{
    if (port < 1024)
        return "well-known (0-1023)";
    if (port < NFX_IANA_DYNAMIC_LO)
        return "registered (1024-49151)";
    return "dynamic/private (49152-65535)";
}

int nfx_port_linux_ephemeral(int port)
{
    return port >= NFX_LINUX_EPHEMERAL_LO && port <= NFX_LINUX_EPHEMERAL_HI;
}

void nfx_tcp_flags(int flags, char *buf, size_t cap)
{
    size_t i;
    static const struct {
        int bit;
        const char *name;
    } names[] = {{2, "SYN"}, {16, "ACK"}, {8, "PSH"}, {1, "FIN"},
                 {4, "RST"}, {32, "URG"}, {64, "ECE"}, {128, "CWR"}};
    size_t len = 0;
    buf[0] = '\0';
    for (i = 0; i < sizeof names / sizeof names[0]; i++)
        if (flags & names[i].bit)
            len += (size_t)snprintf(buf + len, len < cap ? cap - len : 0, "%s%s",
                                    len ? " " : "", names[i].name);
    if (len == 0)
        snprintf(buf, cap, "none");
}
