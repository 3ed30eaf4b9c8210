/* fuzz.h: what the libFuzzer harnesses share: the entry point's prototype, the input as a C
 * string, and an invariant check that crashes (so libFuzzer keeps the input) with a reason. */
#ifndef KIOSK_FUZZ_H
#define KIOSK_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerInitialize(int *argc, char ***argv);

/* A NUL-terminated copy of data (which may itself hold NULs: C code then sees the first
 * part); the caller frees it. */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
    char *s = malloc(size + 1);
    if (!s)
        abort();
    if (size)
        memcpy(s, data, size);
    s[size] = 0;
    return s;
}

/* An invariant of the code under test that this input broke. */
#define FUZZ_CHECK(cond)                                                                           \
    do {                                                                                           \
        if (!(cond)) {                                                                             \
            fprintf(stderr, "%s:%d: invariant failed: %s\n", __FILE__, __LINE__, #cond);           \
            abort();                                                                               \
        }                                                                                          \
    } while (0)

/* A C string field of a struct holds its NUL within its size. */
#define FUZZ_TERMINATED(field) FUZZ_CHECK(memchr((field), 0, sizeof(field)) != NULL)

#endif
