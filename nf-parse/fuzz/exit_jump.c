/*
 * exit_jump.c - linked into the CSV harnesses with -Wl,--wrap=exit. The
 * readers refuse some inputs by design with nf_die (exit 1): a header
 * repeated inside the body that lacks a column. libFuzzer would stop at
 * that exit; here it jumps back into the harness (fuzz_csv.h), which
 * counts it as one more input. What the reader held is not freed on that
 * path, so these harnesses run with -detect_leaks=0; the replay of their
 * corpora (lib/fuzz/replay.c, an exit per input) checks leaks.
 */
#include <setjmp.h>
#include <stdlib.h>

jmp_buf *fuzz_exit_jump;

void __real_exit(int status) __attribute__((noreturn));
void __wrap_exit(int status) __attribute__((noreturn));

void __wrap_exit(int status)
{
    jmp_buf *to = fuzz_exit_jump;
    if (to) {
        fuzz_exit_jump = NULL;
        longjmp(*to, 1);
    }
    __real_exit(status);
}
