/* watchdog.h: systemd's service watchdog (Type=notify, WatchdogSec=): READY=1 once the first
 * frame is shown, then WATCHDOG=1 from the main loop, so a frozen render loop gets restarted. */
#ifndef KIOSK_WATCHDOG_H
#define KIOSK_WATCHDOG_H

#include <stdbool.h>
#include <stdint.h>

struct watchdog;

/* Reads what systemd asked for (NOTIFY_SOCKET, WATCHDOG_USEC); outside systemd every call
 * below does nothing. Never fails. */
struct watchdog *watchdog_create(void);
void watchdog_destroy(struct watchdog *w); /* accepts NULL */

/* Tells systemd the kiosk is up (the first frame is on screen); only the first call sends. */
void watchdog_ready(struct watchdog *w);

/* Called from each turn of the main loop, which is the progress being vouched for: pings when
 * half the interval has passed since the last ping. */
void watchdog_progress(struct watchdog *w, uint64_t now_ms);

/* Milliseconds until the next ping is due, for the loop's sleep; -1 without a watchdog. */
int watchdog_timeout_ms(const struct watchdog *w, uint64_t now_ms);

#endif
