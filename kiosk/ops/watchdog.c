/* watchdog.c: sd_notify from the main thread only. Pinging at half the interval leaves a whole
 * half for one slow turn of the loop (a ticket composed, a screenshot written). */
#include <stdlib.h>
#include <systemd/sd-daemon.h>

#include "base/mem.h"
#include "ops/watchdog.h"

#define LOG_MODULE "watchdog"
#include "base/log.h"

struct watchdog {
    uint64_t interval_ms; /* 0: no watchdog */
    uint64_t last_ping_ms;
    bool pinged; /* last_ping_ms is meaningful */
    bool ready;
};

struct watchdog *watchdog_create(void)
{
    struct watchdog *w = xcalloc(1, sizeof(*w));
    uint64_t usec = 0;
    /* 0 keeps the variables: children (lp, espeak) cannot ping for us anyway, as systemd
     * only accepts the main PID's messages (NotifyAccess=main). */
    int r = sd_watchdog_enabled(0, &usec);
    if (r > 0 && usec >= 2000) {
        w->interval_ms = usec / 2000;
        LOG_INFO("systemd watchdog: %llu ms, pinging every %llu ms",
                 (unsigned long long)(usec / 1000), (unsigned long long)w->interval_ms);
    } else if (r < 0) {
        LOG_WARN("WATCHDOG_USEC is unusable; running without the watchdog");
    }
    return w;
}

void watchdog_destroy(struct watchdog *w)
{
    free(w);
}

void watchdog_ready(struct watchdog *w)
{
    if (w->ready)
        return;
    w->ready = true;
    /* Without NOTIFY_SOCKET sd_notify returns 0 and sends nothing. */
    if (sd_notify(0, "READY=1") < 0)
        LOG_WARN("cannot tell systemd the kiosk is ready");
}

void watchdog_progress(struct watchdog *w, uint64_t now_ms)
{
    if (!w->interval_ms || (w->pinged && now_ms - w->last_ping_ms < w->interval_ms))
        return;
    w->last_ping_ms = now_ms;
    w->pinged = true;
    if (sd_notify(0, "WATCHDOG=1") < 0)
        LOG_WARN("cannot ping systemd's watchdog");
}

int watchdog_timeout_ms(const struct watchdog *w, uint64_t now_ms)
{
    if (!w->interval_ms)
        return -1;
    uint64_t due = w->last_ping_ms + w->interval_ms;
    return !w->pinged || due <= now_ms ? 0 : (int)(due - now_ms);
}
