/* fuzz_api.c: kiosk API v1 from the network: a queue snapshot as the http backend reads it
 * (json_body_parse, then model_from_json), and the answer to a ticket or check-in
 * (api_read_ticket). */
#include <cjson/cJSON.h>

#include "backend/api.h"
#include "backend/json_body.h"
#include "fuzz.h"
#include "model_check.h"
#include "model/model_json.h"

#define TICKET_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-"

static void snapshot(const char *body, size_t len)
{
    char *why = NULL;
    cJSON *json = json_body_parse(body, len, &why);
    free(why);
    if (!json)
        return;
    struct model *m = calloc(1, sizeof(*m));
    char *err = NULL;
    if (model_from_json(json, m, &err)) {
        FUZZ_CHECK(err == NULL);
        check_model(m);
    } else {
        FUZZ_CHECK(err != NULL && err[0]);
    }
    free(err);
    free(m);
    cJSON_Delete(json);
}

static void ticket_answer(const char *body)
{
    struct api_ticket t;
    if (!api_read_ticket(body, strlen(body), &t))
        return;
    FUZZ_TERMINATED(t.ticket);
    FUZZ_TERMINATED(t.service);
    FUZZ_TERMINATED(t.room);
    FUZZ_CHECK(t.ticket[0] && strspn(t.ticket, TICKET_CHARS) == strlen(t.ticket));
    FUZZ_CHECK(utf8_printable(t.service) && utf8_printable(t.room));
    FUZZ_CHECK(t.position == -1 || (t.position >= 1 && t.position <= MODEL_COUNT_MAX));
    FUZZ_CHECK(t.eta_min >= -1 && t.eta_min <= MODEL_COUNT_MAX);
    FUZZ_CHECK(t.priority >= PRIORITY_NORMAL && t.priority <= PRIORITY_OTHER);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *body = fuzz_string(data, size); /* the http client's bodies end in a NUL */
    snapshot(body, size);
    ticket_answer(body);
    free(body);
    return 0;
}
