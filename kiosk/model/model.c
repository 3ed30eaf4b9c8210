/* model.c: small lookups over a queue snapshot. */
#include <string.h>

#include "model/model.h"

static const char *const priority_names[] = {
    [PRIORITY_NORMAL] = "normal",
    [PRIORITY_APPOINTMENT] = "appointment",
    [PRIORITY_EMERGENCY] = "emergency",
    [PRIORITY_OTHER] = "other",
};

const char *priority_name(enum priority priority)
{
    return priority_names[priority];
}

bool priority_parse(const char *name, enum priority *out)
{
    for (size_t i = 0; i < sizeof(priority_names) / sizeof(priority_names[0]); i++) {
        if (strcmp(name, priority_names[i]) == 0) {
            *out = (enum priority)i;
            return true;
        }
    }
    return false;
}

const struct room *model_find_room(const struct model *model, const char *room_id)
{
    for (int i = 0; i < model->nrooms; i++) {
        if (strcmp(model->rooms[i].id, room_id) == 0)
            return &model->rooms[i];
    }
    return NULL;
}

bool model_is_new_call(const struct model *old, const struct call *call)
{
    for (int i = 0; i < old->ncalls; i++) {
        if (strcmp(old->calls[i].id, call->id) == 0 && old->calls[i].recall == call->recall)
            return false;
    }
    return true;
}

bool model_call_is_news(const struct model *old, const struct model *next, const struct call *call)
{
    return model_is_new_call(old, call) &&
           next->server_time - call->called_at <= MODEL_FRESH_CALL_S;
}

const char *conn_state_name(enum conn_state state)
{
    static const char *const names[] = {"connecting", "online", "offline"};
    return names[state];
}

bool model_call_equal(const struct call *a, const struct call *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->ticket, b->ticket) == 0 &&
           strcmp(a->room_id, b->room_id) == 0 && strcmp(a->patient, b->patient) == 0 &&
           a->priority == b->priority && a->called_at == b->called_at && a->recall == b->recall &&
           strcmp(a->service, b->service) == 0 && a->issued_at == b->issued_at &&
           strcmp(a->priority_name, b->priority_name) == 0;
}

bool model_room_equal(const struct room *a, const struct room *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->name_zh, b->name_zh) == 0 &&
           strcmp(a->name_en, b->name_en) == 0 && a->open == b->open &&
           strcmp(a->serving, b->serving) == 0;
}

static bool waiting_equal(const struct waiting *a, const struct waiting *b)
{
    return strcmp(a->ticket, b->ticket) == 0 && strcmp(a->service, b->service) == 0 &&
           strcmp(a->patient, b->patient) == 0 && a->priority == b->priority &&
           a->position == b->position && a->eta_min == b->eta_min;
}

/* The adapters' memory counts as content, so a transport that keeps only its last changed
 * model still keeps it. */
static bool memory_equal(const struct model *a, const struct model *b)
{
    if (a->memory.valid != b->memory.valid || a->memory.last_row != b->memory.last_row)
        return false;
    for (int i = 0; i < a->nrooms; i++) {
        if (a->memory.room_status[i] != b->memory.room_status[i] ||
            strcmp(a->memory.room_ticket[i], b->memory.room_ticket[i]) != 0)
            return false;
    }
    for (int i = 0; i < a->nwaiting; i++) {
        if (a->memory.waiting_started[i] != b->memory.waiting_started[i])
            return false;
    }
    return true;
}

bool model_same_content(const struct model *a, const struct model *b)
{
    if (a->ncalls != b->ncalls || a->nrooms != b->nrooms || a->avg_wait_min != b->avg_wait_min ||
        a->nnotices != b->nnotices || a->nresults != b->nresults || a->nwaiting != b->nwaiting)
        return false;
    for (int i = 0; i < a->ncalls; i++) {
        if (!model_call_equal(&a->calls[i], &b->calls[i]))
            return false;
    }
    for (int i = 0; i < a->nrooms; i++) {
        if (!model_room_equal(&a->rooms[i], &b->rooms[i]))
            return false;
    }
    for (int i = 0; i < a->nwaiting; i++) {
        if (!waiting_equal(&a->waiting[i], &b->waiting[i]))
            return false;
    }
    return memory_equal(a, b);
}
