/* hub.c: start and stop in an order that never lets a web thread see something half made or
 * already gone: the board and store first, the web server last; stopping in reverse. */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "base/clock.h"
#include "base/mem.h"
#include "feed/feed.h"
#include "hub/board.h"
#include "hub/devices.h"
#include "hub/fleet.h"
#include "hub/forward.h"
#include "hub/hub.h"
#include "hub/limiter.h"
#include "hub/server.h"
#include "hub/staff.h"

#define LOG_MODULE "hub"
#include "base/log.h"

#define PUMP_MAX_WAIT_MS 1000
#define PRUNE_EVERY_S    3600 /* expired staff sessions, call-back numbers past retention */

/* The pump: the feed's updates onto the board, and parked requests woken at their deadline. */
static void *pump(void *arg)
{
    struct hub *hub = arg;
    struct pollfd fds[2] = {{.fd = feed_fd(hub->feed), .events = POLLIN},
                            {.fd = hub->stop_fd, .events = POLLIN}};
    struct feed_update *update = xcalloc(1, sizeof *update);
    int wait_ms = 0;
    int64_t pruned = time(NULL);
    while (poll(fds, 2, wait_ms) >= 0 || errno == EINTR) {
        if (fds[1].revents)
            break;
        if (time(NULL) - pruned >= PRUNE_EVERY_S) {
            pruned = time(NULL);
            staff_prune(hub, pruned);
        }
        if (feed_take(hub->feed, update)) {
            if (update->state == CONN_OFFLINE && update->error[0])
                LOG_WARN("upstream offline: %s", update->error);
            board_publish(hub->board, update);
        }
        wait_ms = board_expire(hub->board, clock_mono_ms(), PUMP_MAX_WAIT_MS);
    }
    free(update);
    return NULL;
}

static struct board *open_board(struct hub *hub)
{
    struct model *saved = xcalloc(1, sizeof *saved);
    int64_t saved_at;
    char *err = NULL;
    bool has = hub->store && store_load_snapshot(hub->store, saved, &saved_at, &err);
    if (err)
        LOG_WARN("the last snapshot could not be read: %s", err);
    free(err);
    struct board *board = board_create(saved, has);
    free(saved);
    return board;
}

static bool start_upstream(struct hub *hub, char **err)
{
    hub->ops = backend_for(hub->config->backend.type);
    if (!hub->ops) {
        *err = xstrdup("[upstream] type is not available in this build");
        return false;
    }
    if (!(hub->backend = hub->ops->create(hub->config, err)))
        return false;
    /* The feed opens its own connection to the store: it saves every snapshot there. */
    if (!(hub->feed = feed_start(hub->config, hub->ops, hub->backend, NULL, err)))
        return false;
    if ((hub->stop_fd = eventfd(0, EFD_CLOEXEC)) < 0 ||
        pthread_create(&hub->pump, NULL, pump, hub) != 0) {
        *err = xasprintf("cannot start the hub's thread: %s", strerror(errno));
        return false;
    }
    return true;
}

struct hub *hub_start(const struct config *config, char **err)
{
    struct hub *hub = xcalloc(1, sizeof *hub);
    hub->config = config;
    hub->stop_fd = -1;
    pthread_mutex_init(&hub->store_lock, NULL);
    if (!config->qr.key_file[0]) {
        *err = xstrdup("[qr] key_file is not set: the hub checks the codes the kiosks sign with "
                       "that key (the same file as theirs)");
        hub_stop(hub);
        return NULL;
    }
    if (!token_key_load(config->qr.key_file, &hub->key, err) ||
        !(hub->store = store_open(config->storage.path, err)) ||
        !(hub->devices = devices_open(config->hub.devices_file, err)) ||
        !(hub->forward = forward_start(config, err))) {
        hub_stop(hub);
        return NULL;
    }
    hub->board = open_board(hub);
    hub->limiter = limiter_create();
    hub->staff = staff_create();
    staff_prune(hub, time(NULL));
    if (!start_upstream(hub, err) || !(hub->fleet = fleet_start(hub, err)) ||
        !(hub->server = server_start(hub, err))) {
        hub_stop(hub);
        return NULL;
    }
    LOG_INFO("upstream %s; %d devices allowed", hub->ops->name, devices_count(hub->devices));
    return hub;
}

/* Parked requests answer now, and none parks again (stopping is set). */
static void wake_parked(struct hub *hub)
{
    for (int quiet = 0; quiet < 2;) {
        board_wake_all(hub->board);
        usleep(20000);
        quiet = board_parked(hub->board) == 0 ? quiet + 1 : 0;
    }
}

void hub_stop(struct hub *hub)
{
    if (!hub)
        return;
    atomic_store(&hub->stopping, true);
    if (hub->stop_fd >= 0) {
        eventfd_write(hub->stop_fd, 1);
        if (hub->pump)
            pthread_join(hub->pump, NULL);
        close(hub->stop_fd);
    }
    forward_stop(hub->forward);
    if (hub->board)
        wake_parked(hub);
    server_stop(hub->server);
    fleet_stop(hub->fleet);
    forward_destroy(hub->forward);
    feed_stop(hub->feed);
    if (hub->ops && hub->backend)
        hub->ops->destroy(hub->backend);
    board_destroy(hub->board);
    limiter_destroy(hub->limiter);
    staff_destroy(hub->staff);
    devices_close(hub->devices);
    store_close(hub->store);
    pthread_mutex_destroy(&hub->store_lock);
    memset(&hub->key, 0, sizeof hub->key);
    free(hub);
}

int hub_port(const struct hub *hub)
{
    return server_port(hub->server);
}

struct store *hub_store(struct hub *hub)
{
    pthread_mutex_lock(&hub->store_lock);
    return hub->store;
}

void hub_store_done(struct hub *hub)
{
    pthread_mutex_unlock(&hub->store_lock);
}
