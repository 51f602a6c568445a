/* test_strtab.c - the per-window string table: dense indexes, growth, clear. */
#include <stdio.h>
#include <string.h>

#include "../../lib/tests/tap.h"
#include "strtab.h"

int main(void)
{
    struct strtab t;
    char key[32];
    int added, i, ok = 1;
    size_t len;

    strtab_init(&t);
    TAP_OK(strtab_put(&t, "10.0.0.0/24", 11, &added) == 0 && added, "first key gets index 0");
    TAP_OK(strtab_put(&t, "10.0.1.0/24", 11, &added) == 1 && added, "second key gets index 1");
    TAP_OK(strtab_put(&t, "10.0.0.0/24", 11, &added) == 0 && !added, "a key seen before keeps its index");
    TAP_OK(strtab_get(&t, "10.0.2.0/24", 11) == -1, "get of an absent key is -1");
    TAP_OK(strtab_put(&t, "", 0, &added) == 2 && added, "the empty key is a key");

    for (i = 0; i < 100000; i++) {
        snprintf(key, sizeof key, "k%d", i);
        strtab_put(&t, key, strlen(key), NULL);
    }
    for (i = 0; i < 100000; i++) {
        int64_t idx;
        snprintf(key, sizeof key, "k%d", i);
        idx = strtab_get(&t, key, strlen(key));
        if (idx != i + 3 || memcmp(strtab_key(&t, (uint32_t)idx, &len), key, strlen(key)) != 0 ||
            len != strlen(key))
            ok = 0;
    }
    TAP_OK(ok && t.n == 100003, "100000 keys survive growth with their indexes and text");

    strtab_clear(&t);
    TAP_OK(t.n == 0 && strtab_get(&t, "k5", 2) == -1, "clear empties the table");
    TAP_OK(strtab_put(&t, "k5", 2, &added) == 0 && added, "after clear, indexes start at 0 again");
    strtab_free(&t);
    return tap_done();
}
