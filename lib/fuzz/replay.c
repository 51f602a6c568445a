/*
 * replay.c - runs a libFuzzer harness over files without libFuzzer, so
 * `make check` can replay every corpus with gcc in the plain build (under
 * valgrind) and the ASan/UBSan build. Arguments are files or directories
 * (every regular file in them, in name order). Each input runs in a child
 * process, so a reader that refuses it (exit 1 or 2) ends only that input
 * and LeakSanitizer or valgrind check each run at its exit. Any other end
 * (a signal, a sanitizer's or valgrind's exit status) fails the replay.
 * Prints "replayed N inputs (M refused)".
 */
#include <dirent.h>
#include <setjmp.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static unsigned long refused, failed;
jmp_buf *fuzz_exit_jump; /* for the CSV harnesses; exit is real here (one process per input) */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void *read_all(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    char *buf = NULL;
    size_t cap = 0, len = 0, got;
    if (!f) {
        fprintf(stderr, "replay: cannot open %s: %s\n", path, strerror(errno));
        exit(1);
    }
    do {
        if (len == cap) {
            cap = cap ? cap * 2 : 4096;
            buf = realloc(buf, cap);
            if (!buf)
                abort();
        }
        got = fread(buf + len, 1, cap - len, f);
        len += got;
    } while (got > 0);
    fclose(f);
    *n = len;
    return buf;
}

static void run_one(const char *path)
{
    size_t n;
    uint8_t *data = read_all(path, &n);
    /* An exact-size copy, so ASan sees a read one past the end. */
    uint8_t *copy = malloc(n ? n : 1);
    if (!copy)
        abort();
    memcpy(copy, data, n);
    free(data);
    LLVMFuzzerTestOneInput(copy, n);
    free(copy);
}

static unsigned long replay_file(const char *path)
{
    int status;
    pid_t pid;
    fflush(stdout);
    pid = fork();
    if (pid < 0) {
        perror("replay: fork");
        exit(1);
    }
    if (pid == 0) {
        run_one(path);
        exit(0);
    }
    if (waitpid(pid, &status, 0) < 0) {
        perror("replay: waitpid");
        exit(1);
    }
    if (WIFEXITED(status) && (WEXITSTATUS(status) == 1 || WEXITSTATUS(status) == 2)) {
        refused++;
    } else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        failed++;
        fprintf(stderr, "replay: %s: %s %d\n", path,
                WIFSIGNALED(status) ? "killed by signal" : "exit status",
                WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status));
    }
    return 1;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static unsigned long replay_dir(const char *dir)
{
    struct dirent **ents;
    unsigned long count = 0;
    int i, n = scandir(dir, &ents, NULL, by_name);
    if (n < 0) {
        fprintf(stderr, "replay: cannot read %s: %s\n", dir, strerror(errno));
        exit(1);
    }
    for (i = 0; i < n; i++) {
        char path[4096];
        struct stat st;
        snprintf(path, sizeof path, "%s/%s", dir, ents[i]->d_name);
        if (stat(path, &st) == 0 && S_ISREG(st.st_mode))
            count += replay_file(path);
        free(ents[i]);
    }
    free(ents);
    return count;
}

int main(int argc, char **argv)
{
    unsigned long count = 0;
    int i;
    for (i = 1; i < argc; i++) {
        struct stat st;
        if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode))
            count += replay_dir(argv[i]);
        else
            count += replay_file(argv[i]);
    }
    printf("replayed %lu inputs (%lu refused, %lu failed)\n", count, refused, failed);
    return failed ? 1 : 0;
}
