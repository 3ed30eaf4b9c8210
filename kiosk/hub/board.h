/* board.h: the newest queue snapshot the hub holds for every device and phone, and the
 * requests waiting for the next one (long-polls and live pages), parked as suspended
 * libmicrohttpd connections so that 2,000 of them hold no thread. */
#ifndef KIOSK_HUB_BOARD_H
#define KIOSK_HUB_BOARD_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stdint.h>

#include "feed/feed.h"
#include "model/model.h"

/* A request parked until the version moves past since, or its deadline passes. */
struct waiter {
    struct MHD_Connection *connection;
    uint64_t since;
    uint64_t deadline_ms; /* clock_mono_ms() */
    bool parked;          /* in the board's list, the connection suspended */
    struct waiter *prev, *next;
};

/* What the upstream looks like to the devices. */
struct board_status {
    uint64_t version; /* the hub's own: moves with every snapshot and every change of state */
    enum conn_state state;
    int64_t state_since; /* unix seconds */
    char error[256];
    bool has_model;
};

struct board;

/* Starts with the snapshot saved by an earlier run, when there is one (has_saved), so that
 * devices are served at once after a restart. */
struct board *board_create(const struct model *saved, bool has_saved);
/* Once the web server has stopped. */
void board_destroy(struct board *board);

/* Wakes every parked request (they are answered as at their deadline): before the web server
 * stops, which must not find a connection suspended. */
void board_wake_all(struct board *board);

/* Takes what the feed produced: a new snapshot, or only a new connection state. Wakes the
 * parked requests when anything changed. */
void board_publish(struct board *board, const struct feed_update *update);

/* A copy of the current snapshot and status (model may be NULL). */
void board_read(struct board *board, struct model *model, struct board_status *status);

/* Queues the answer to GET /api/v1/queue for the current version: 304 when not_modified says
 * the client's ETag matches it, else 200 with the JSON. The response is built once per version
 * and shared by every device. */
enum MHD_Result board_answer_queue(struct board *board, struct MHD_Connection *connection,
                                   bool (*not_modified)(const char *etag, void *arg), void *arg);

/* Parks w (suspending its connection) unless the version already differs from w->since:
 * false means answer now. */
bool board_park(struct board *board, struct waiter *w);

/* Takes w out of the list if it is still there (a request that ends while parked). */
void board_unpark(struct board *board, struct waiter *w);

/* Resumes the parked requests whose deadline has passed; returns the ms until the next
 * deadline (or max_ms when none is sooner). */
int board_expire(struct board *board, uint64_t now_ms, int max_ms);

/* The newest call of ticket made at or after since (a recall counts), among the calls the hub
 * has seen since it started and those of the snapshot it started with: a ticket called an hour
 * ago has long left the snapshot's short list. False when there is none. */
bool board_find_call(struct board *board, const char *ticket, int64_t since, struct call *out);

/* Parked requests now (for the self-check and the bench). */
int board_parked(struct board *board);

#endif
