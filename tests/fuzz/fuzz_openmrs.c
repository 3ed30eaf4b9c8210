/* fuzz_openmrs.c: the OpenMRS adapter on two successive polls. The input is the first
 * response body, a NUL, then the second (a body holding a NUL is refused anyway), so the
 * recall logic meets the model the first poll made. The first body is also read as a
 * queue-entry list (which then feeds both polls), a metrics answer and a session. */
#include "backend/adapters.h"
#include "fuzz.h"
#include "model_check.h"

#define NOW 1795000000

static const struct openmrs_options options = {
    .calling_statuses = "calling,Now serving",
    .room_order = "Triage,Room 2",
    .emergency_priorities = "04f6f7e0-e3cb-4e13-a133-4479f759574e,Urgent",
    .number_attribute = "c0c579b0-8e59-401d-8a4a-976a0b183519",
};

/* The first body as the other OpenMRS answers; the waiting list when it reads as one. */
static struct openmrs_queue *other_answers(const char *body, size_t len)
{
    struct openmrs_queue *queue = calloc(1, sizeof(*queue));
    char *err = NULL;
    int minutes = 0;
    bool authenticated;
    if (openmrs_parse_average_wait(body, len, &minutes, &err))
        FUZZ_CHECK(minutes == -1 || (minutes > 0 && minutes < 24 * 60));
    free(err);
    if (openmrs_parse_session(body, len, &authenticated, &err))
        FUZZ_CHECK(err == NULL);
    free(err);
    queue->avg_wait_min = minutes;
    if (!openmrs_parse_waiting(&options, body, len, queue, &err)) {
        FUZZ_CHECK(err != NULL && err[0]);
        free(err);
        free(queue);
        return NULL;
    }
    FUZZ_CHECK(queue->known && queue->nwaiting >= 0 && queue->nwaiting <= MODEL_WAITING_MAX);
    for (int i = 0; i < queue->nwaiting; i++)
        FUZZ_CHECK(queue->waiting[i].position >= 1 &&
                   queue->waiting[i].position <= MODEL_WAITING_MAX);
    return queue;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const char *body = (const char *)data;
    const char *nul = memchr(data, 0, size);
    size_t first = nul ? (size_t)(nul - body) : size;
    struct model *previous = calloc(1, sizeof(*previous));
    struct model *out = calloc(1, sizeof(*out));
    struct openmrs_queue *queue = other_answers(body, first);
    char *err = NULL;
    if (openmrs_parse(&options, body, first, queue, previous, NOW, out, &err)) {
        FUZZ_CHECK(err == NULL);
        check_model(out);
        FUZZ_CHECK(out->version <= 1);
        if (nul) {
            *previous = *out;
            if (openmrs_parse(&options, nul + 1, size - first - 1, queue, previous, NOW + 7, out,
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
    free(queue);
    free(out);
    free(previous);
    return 0;
}
