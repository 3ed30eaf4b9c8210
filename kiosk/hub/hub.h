/* hub.h: kiosk-hub running: the upstream feed, the board every device and phone is served
 * from, the store, and the web server. */
#ifndef KIOSK_HUB_HUB_H
#define KIOSK_HUB_HUB_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "qr/token.h"
#include "store/store.h"

struct board;
struct devices;
struct fleet;
struct forward;
struct limiter;
struct server;
struct staff;

struct hub {
    const struct config *config;
    struct token_key key;
    struct board *board;
    struct devices *devices;
    struct forward *forward;
    struct limiter *limiter;
    struct server *server;
    struct fleet *fleet; /* the devices' watch, alerts and /metrics */
    struct staff *staff; /* the staff pages' login guard (hub/staff.h) */
    /* The web threads' connection to the store: one thread at a time (store.h). */
    pthread_mutex_t store_lock;
    struct store *store;
    atomic_bool stopping; /* set when the hub stops: requests answer at once, none parks */
    /* The upstream side, private to hub.c. */
    struct feed *feed;
    struct backend *backend;
    const struct backend_ops *ops;
    pthread_t pump;
    int stop_fd;
};

/* Starts everything; NULL with a callee-allocated *err (nothing left running). */
struct hub *hub_start(const struct config *config, char **err);
void hub_stop(struct hub *hub); /* accepts NULL */

/* The port the web server listens on (useful with [hub] listen = ...:0). */
int hub_port(const struct hub *hub);

/* The store, locked for the calling thread, and its release. */
struct store *hub_store(struct hub *hub);
void hub_store_done(struct hub *hub);

#endif
