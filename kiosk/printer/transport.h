/* transport.h: the byte pipe to a receipt printer, chosen by [printer] device:
 *   usb:/dev/usb/lp0   the usblp character device (two-way: status can be read back)
 *   tcp:HOST:PORT      a network printer, usually port 9100 (two-way)
 *   cups:QUEUE         a CUPS queue through `lp -d QUEUE -o raw` (one-way)
 *   file:PATH          bytes appended to a file, for previews and tests (one-way)
 * Every call is bounded by the timeout given at open: a dead printer never hangs the caller.
 * Blocking: call from the printer thread, never from the render loop. */
#ifndef KIOSK_TRANSPORT_H
#define KIOSK_TRANSPORT_H

#include <stdbool.h>
#include <stddef.h>

struct transport;

/* Checks a device string's form without opening anything (for config validation). False with
 * a callee-allocated *err naming what is wrong ("tcp: needs HOST:PORT", ...). */
bool transport_parse(const char *device, char **err);

/* Opens the device; timeout_ms bounds the connect and every later write and read. NULL with a
 * callee-allocated *err ("tcp:10.0.0.5:9100: connection refused", "... timed out"). */
struct transport *transport_open(const char *device, int timeout_ms, char **err);

/* From now on, once stop_fd is readable (the kiosk is stopping), every wait ends at most
 * grace_ms later, failing with "the kiosk is stopping": a job that can finish in that time
 * still does. stop_fd stays the caller's. */
void transport_stop_on(struct transport *t, int stop_fd, int grace_ms);

/* Writes all of data or fails with *err (timeout, peer closed, device gone). Written is not
 * taken: see transport_flush. For cups:, the job is only submitted at transport_flush. */
bool transport_write(struct transport *t, const void *data, size_t len, char **err);

/* Waits until the printer has taken every byte written: for tcp, until its TCP stack has
 * acknowledged them all (SIOCOUTQ 0: in its buffer, not yet on paper); for usb, until the
 * driver takes more (usblp has no such count); for cups, until lp accepts the job. The
 * timeout bounds each wait for progress. False with *err when the printer resets the
 * connection, takes nothing more within the timeout, or the kiosk stops first; the
 * connection is then reset at close, so the rest can never print later. */
bool transport_flush(struct transport *t, char **err);

/* True when status can be read back (usb, tcp). */
bool transport_two_way(const struct transport *t);

enum transport_answer {
    TRANSPORT_ANSWERED,
    TRANSPORT_SILENT, /* asked, but no answer within the timeout */
    TRANSPORT_BROKEN, /* could not ask: one-way, connection lost, device gone */
};

/* Sends DLE EOT n (10 04 n, real-time status) and reads the one status byte the printer
 * answers. *err (callee-allocated) says why unless TRANSPORT_ANSWERED. */
enum transport_answer transport_status(struct transport *t, unsigned char n, unsigned char *status,
                                       char **err);

/* Flushes (unless done) and closes; for tcp, after a failed flush, by resetting the
 * connection. False with *err as transport_flush. Accepts NULL (returns true). */
bool transport_close(struct transport *t, char **err);

#endif
