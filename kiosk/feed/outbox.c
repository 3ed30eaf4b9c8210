/* outbox.c: the forwarding loop. Order matters to the quality office's day counts only
 * loosely, but a stuck first entry must never hide the ones behind it: refusals are settled,
 * outages stop the round and keep everything for the next. */
#include <stdio.h>
#include <stdlib.h>

#include "base/mem.h"
#include "feed/outbox.h"

#define LOG_MODULE "outbox"
#include "base/log.h"

int outbox_forward(struct store *store, struct api *api, int64_t now, char *message, size_t size)
{
    struct outbox_item *item = xcalloc(1, sizeof(*item));
    char *err = NULL, why[256];
    int delivered = 0;
    message[0] = 0;
    while (store_outbox_next(store, item, &err)) {
        enum api_outcome outcome =
            api_post(api, item->path, item->body, item->key, why, sizeof(why));
        enum outbox_state state = outcome == API_DONE      ? OUTBOX_DELIVERED
                                  : outcome == API_REFUSED ? OUTBOX_REFUSED
                                                           : OUTBOX_PENDING;
        if (!store_outbox_settle(store, item->id, state, outcome == API_DONE ? "" : why, now, &err))
            break;
        if (state == OUTBOX_DELIVERED)
            delivered++;
        else
            snprintf(message, size, "%s", why);
        if (state == OUTBOX_REFUSED)
            LOG_WARN("%s %s refused for good: %s", item->path, item->key, why);
        if (state == OUTBOX_PENDING)
            break;
    }
    if (err) {
        snprintf(message, size, "%s", err);
        LOG_ERR("%s", err);
        free(err);
    }
    free(item);
    return delivered;
}
