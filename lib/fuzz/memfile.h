/*
 * memfile.h - a fuzz input as a file the readers can open by name
 * (nf_lines opens paths): an anonymous memory file, /proc/self/fd/N.
 */
#ifndef NF_FUZZ_MEMFILE_H
#define NF_FUZZ_MEMFILE_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <unistd.h>

struct memfile {
    int fd;
    char path[64];
};

static inline void memfile_open(struct memfile *m, const uint8_t *data, size_t size)
{
    size_t at = 0;
    m->fd = memfd_create("fuzz-input", 0);
    if (m->fd < 0)
        abort();
    while (at < size) {
        ssize_t w = write(m->fd, data + at, size - at);
        if (w <= 0)
            abort();
        at += (size_t)w;
    }
    snprintf(m->path, sizeof m->path, "/proc/self/fd/%d", m->fd);
}

static inline void memfile_close(struct memfile *m)
{
    close(m->fd);
}

#endif
