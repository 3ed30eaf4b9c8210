/* eta.c: estimates waits per service. Runs on the feed thread, where the store lives. */
#include <string.h>

#include "feed/eta.h"
#include "store/store.h"
#include "base/utf8.h"

void eta_carry_services(struct model *next, const struct model *previous)
{
    for (int i = 0; i < next->ncalls; i++) {
        struct call *c = &next->calls[i];
        for (int j = 0; !c->service[0] && j < previous->nwaiting; j++)
            if (strcmp(previous->waiting[j].ticket, c->ticket) == 0)
                utf8_copy(c->service, sizeof(c->service), previous->waiting[j].service);
        for (int j = 0; !c->service[0] && j < previous->ncalls; j++)
            if (strcmp(previous->calls[j].id, c->id) == 0)
                utf8_copy(c->service, sizeof(c->service), previous->calls[j].service);
    }
}

/* People of the same service ahead of waiting[index], counting the ticket itself. */
static int place_in_service(const struct model *m, int index)
{
    int place = 0;
    for (int i = 0; i <= index; i++)
        place += strcmp(m->waiting[i].service, m->waiting[index].service) == 0;
    return place;
}

void eta_fill(struct model *m, struct store *store, int64_t now)
{
    if (!store)
        return;
    for (int i = 0; i < m->nwaiting; i++) {
        struct waiting *w = &m->waiting[i];
        if (w->eta_min >= 0)
            continue;
        int interval = store_call_interval(store, w->service, now - ETA_WINDOW_S);
        if (interval > 0)
            w->eta_min = (place_in_service(m, i) * interval + 59) / 60;
    }
}
