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

/* Writes all of data or fails with *err (timeout, peer closed, device gone). For cups:, the
 * job is only submitted at transport_close. */
bool transport_write(struct transport *t, const void *data, size_t len, char **err);

/* True when status can be read back (usb, tcp). */
bool transport_two_way(const struct transport *t);

/* Sends DLE EOT n (10 04 n, real-time status) and reads the one status byte the printer
 * answers. False with *err when it does not answer within the timeout, or the transport is
 * one-way. */
bool transport_status(struct transport *t, unsigned char n, unsigned char *status, char **err);

/* Flushes and closes. For cups: waits (bounded) for lp and fails with its message if it
 * refused the job. Accepts NULL (returns true). */
bool transport_close(struct transport *t, char **err);

#endif
