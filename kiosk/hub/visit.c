/* visit.c: a ticket's state is read, never kept: every page and every live update asks the
 * newest snapshot again. */
#include <stdio.h>
#include <string.h>

#include "hub/visit.h"

static void name_room(const struct model *m, const char *room_id, struct visit *out)
{
    const struct room *room = room_id[0] ? model_find_room(m, room_id) : NULL;
    snprintf(out->room_zh, sizeof out->room_zh, "%s", room ? room->name_zh : "");
    snprintf(out->room_en, sizeof out->room_en, "%s", room ? room->name_en : "");
}

static const struct waiting *find_waiting(const struct model *m, const char *ticket, int *ahead)
{
    for (int i = 0; i < m->nwaiting; i++) {
        if (strcmp(m->waiting[i].ticket, ticket) == 0) {
            *ahead = m->waiting[i].position > 0 ? m->waiting[i].position - 1 : i;
            return &m->waiting[i];
        }
    }
    return NULL;
}

/* Called and not yet seen: the room still serves the ticket, or the call is recent. */
static bool still_called(const struct model *m, const struct call *c, int64_t now)
{
    const struct room *room = model_find_room(m, c->room_id);
    return (room && strcmp(room->serving, c->ticket) == 0) || now - c->called_at < VISIT_CALLED_S;
}

void visit_read(const struct model *m, const struct board_status *status, const struct token *t,
                const struct call *logged, int64_t now, struct visit *out)
{
    *out = (struct visit){.ahead = -1, .eta_min = -1, .version = (int64_t)status->version};
    if (status->state == CONN_OFFLINE)
        out->offline_since = status->state_since;
    snprintf(out->ticket, sizeof out->ticket, "%s", t->ticket);
    if (!t->ticket[0]) {
        out->state = VISIT_NONE;
        name_room(m, t->room, out);
        return;
    }
    /* Numbers start again every day: an old code's number in today's queue is someone else. */
    bool recent = now - t->issued_at < VISIT_PENDING_S;
    int ahead;
    const struct waiting *w = recent ? find_waiting(m, t->ticket, &ahead) : NULL;
    if (w) {
        out->state = VISIT_WAITING;
        out->ahead = ahead;
        out->eta_min = w->eta_min;
        name_room(m, t->room, out);
    } else if (logged) {
        out->state = still_called(m, logged, now) ? VISIT_CALLED : VISIT_DONE;
        name_room(m, logged->room_id, out);
    } else {
        /* Not listed yet (a backend that tells no waiting list, or a ticket just taken). */
        out->state = recent ? VISIT_WAITING : VISIT_DONE;
        name_room(m, t->room, out);
    }
}
