/* backend.h: where the queue comes from. A backend is a small ops table; the feed thread
 * (feed.c) is the only caller, so backends may block and need no locking of their own. */
#ifndef KIOSK_BACKEND_H
#define KIOSK_BACKEND_H

#include "config/config.h"
#include "model/model.h"

enum backend_result { BACKEND_CHANGED, BACKEND_UNCHANGED, BACKEND_ERROR };

struct backend;

struct backend_ops {
    const char *name;
    /* Returns NULL with *err set (callee-allocated) when the backend cannot start. */
    struct backend *(*create)(const struct config *config, char **err);
    /* Fetches the queue. On BACKEND_CHANGED *out holds the complete new snapshot; on
     * BACKEND_ERROR *err says why (callee-allocated) and *out is untouched. */
    enum backend_result (*poll)(struct backend *backend, struct model *out, char **err);
    /* Milliseconds the feed should wait before the next poll. */
    int (*next_poll_ms)(struct backend *backend);
    /* Optional (may be NULL): makes a poll in progress on the feed thread return soon.
     * Called from the main thread when stopping. */
    void (*interrupt)(struct backend *backend);
    /* Optional (may be NULL): what staff should fix though the queue is shown (a part left
     * out for want of a privilege), or NULL; owned by the backend. For the self-test. */
    const char *(*notice)(struct backend *backend);
    void (*destroy)(struct backend *backend); /* accepts NULL */
};

extern const struct backend_ops backend_demo;
extern const struct backend_ops backend_http;
extern const struct backend_ops backend_openmrs;
extern const struct backend_ops backend_novosga;

/* The ops for a configured type, or NULL when that type is not available in this build. */
const struct backend_ops *backend_for(enum backend_type type);

/* Warns (called once per backend created) when url is plain http to another machine: the
 * bearer token or password and the queue then cross the hospital network readable and
 * forgeable. */
void backend_warn_plain_http(const char *url);

#endif
