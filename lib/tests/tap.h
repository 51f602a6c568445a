/* tap.h - the unit tests' TAP output: ok/not ok lines that tests/run counts. */
#ifndef NF_TAP_H
#define NF_TAP_H

#include <math.h>
#include <stdio.h>
#include <string.h>

static int tap_n, tap_failed;

#define TAP_OK(cond, ...)                                                   \
    do {                                                                    \
        int tap_c_ = (cond);                                                \
        tap_n++;                                                            \
        if (!tap_c_)                                                        \
            tap_failed++;                                                   \
        printf("%s %d - ", tap_c_ ? "ok" : "not ok", tap_n);                \
        printf(__VA_ARGS__);                                                \
        printf("\n");                                                       \
        if (!tap_c_)                                                        \
            printf("#   failed at %s:%d: %s\n", __FILE__, __LINE__, #cond);  \
    } while (0)

#define TAP_STR(got, want, ...)                                             \
    do {                                                                    \
        const char *tap_g_ = (got), *tap_w_ = (want);                       \
        TAP_OK(tap_g_ && strcmp(tap_g_, tap_w_) == 0, __VA_ARGS__);          \
        if (!tap_g_ || strcmp(tap_g_, tap_w_) != 0)                          \
            printf("#   got  '%s'\n#   want '%s'\n", tap_g_ ? tap_g_ : "(null)", tap_w_); \
    } while (0)

#define TAP_NEAR(got, want, tol, ...)                                       \
    do {                                                                    \
        double tap_g_ = (got), tap_w_ = (want);                             \
        TAP_OK(fabs(tap_g_ - tap_w_) <= (tol), __VA_ARGS__);                 \
        if (!(fabs(tap_g_ - tap_w_) <= (tol)))                               \
            printf("#   got  %.17g\n#   want %.17g\n", tap_g_, tap_w_);     \
    } while (0)

static int tap_done(void)
{
    printf("1..%d\n", tap_n);
    return tap_failed ? 1 : 0;
}

#endif
