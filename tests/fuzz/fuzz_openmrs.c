/* fuzz_openmrs.c: the OpenMRS adapter on two successive polls. The input is the first
 * response body, a NUL, then the second (a body holding a NUL is refused anyway), so the
 * recall logic meets the model the first poll made. */
#include "backend/adapters.h"
#include "fuzz.h"
#include "model_check.h"

#define NOW 1795000000

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    const char *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - body) : size;
    struct model *previous = calloc(1, sizeof(*previous));
    struct model *out = calloc(1, sizeof(*out));
    char *err = NULL;
    if (openmrs_parse(body, first, previous, NOW, out, &err)) {
        FUZZ_CHECK(err == NULL);
        check_model(out);
        FUZZ_CHECK(out->version <= 1);
        if (nul) {
            *previous = *out;
            if (openmrs_parse(nul + 1, size - first - 1, previous, NOW + 7, out, &err)) {
                check_model(out);
                FUZZ_CHECK(out->version == previous->version ||
                           out->version == previous->version + 1);
            }
        }
    } else {
        FUZZ_CHECK(err != NULL && err[0]);
    }
    free(err);
    free(out);
    free(previous);
    return 0;
}
