/* fuzz_novosga.c: the Novo SGA adapter: its panel on two successive polls (the first body, a
 * NUL, then the second, as in fuzz_openmrs.c) and its OAuth2 token answer (the whole input). */
#include "backend/adapters.h"
#include "fuzz.h"
#include "model_check.h"

#define NOW 1795000000

/* The default lists, with a Chinese name in each. */
static const struct novosga_names names = {"急诊,急救,emergência,urgência,emergency,urgent",
                                           "预约,agendamento,appointment"};

static void token(const uint8_t *data, size_t size)
{
    struct novosga_token *t = calloc(1, sizeof(*t));
    char *err = NULL;
    if (novosga_parse_token((const char *)data, size, NOW, t, &err) == NOVOSGA_TOKEN_OK) {
        FUZZ_CHECK(err == NULL);
        FUZZ_TERMINATED(t->access);
        FUZZ_TERMINATED(t->refresh);
        /* They go into HTTP headers and forms: visible ASCII only. */
        for (const char *p = t->access; *p; p++)
            FUZZ_CHECK(*p > 0x20 && *p < 0x7F);
        for (const char *p = t->refresh; *p; p++)
            FUZZ_CHECK(*p > 0x20 && *p < 0x7F);
        FUZZ_CHECK(t->access[0] && t->expires_at > NOW);
    } else {
        FUZZ_CHECK(err != NULL && err[0]);
    }
    free(err);
    free(t);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    const char *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - body) : size;
    struct model *previous = calloc(1, sizeof(*previous));
    struct model *out = calloc(1, sizeof(*out));
    char *err = NULL;
    if (novosga_parse_panel(body, first, &names, previous, NOW, out, &err)) {
        FUZZ_CHECK(err == NULL);
        check_model(out);
        if (nul) {
            *previous = *out;
            if (novosga_parse_panel(nul + 1, size - first - 1, &names, previous, NOW + 7, out,
                                    &err)) {
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
    token(data, size);
    return 0;
}
