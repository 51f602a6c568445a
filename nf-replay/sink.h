/*
 * sink.h - where nf-replay's datagrams go: a UDP socket (--to), and/or a
 * file (--write): a pcap of Ethernet/IP/UDP frames (libpcap's dumper) or
 * an RFC 5655 IPFIX file (messages back to back).
 */
#ifndef NF_REPLAY_SINK_H
#define NF_REPLAY_SINK_H

#include <pcap/pcap.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/socket.h>

enum sink_file_format { SINK_PCAP, SINK_IPFIX_FILE };

struct sink {
    int fd;                        /* UDP socket, -1: none */
    struct sockaddr_storage to;    /* --to, or where the pcap's frames go */
    socklen_t to_len;
    const char *to_text;
    pcap_t *dead;
    pcap_dumper_t *dump;
    FILE *file;                    /* IPFIX file */
    const char *path;
    uint8_t *frame;                /* pcap frame being built */
    uint64_t sent;                 /* datagrams handed to the socket */
    uint64_t send_errors;          /* ... refused by it (no listener, buffer full) */
    int first_errno;
};

/* to: "[ADDR]:PORT" (NULL: no socket; frames go to 127.0.0.1:default_port). */
void sink_open(struct sink *s, const char *to, unsigned default_port, const char *path,
               enum sink_file_format fmt);
void sink_send(struct sink *s, const uint8_t *p, size_t n, int64_t export_ms);
/* Closes the file (dies on a write error) and the socket. */
void sink_close(struct sink *s);

#endif
