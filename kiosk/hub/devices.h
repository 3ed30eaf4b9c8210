/* devices.h: the devices allowed on kiosk API v1, each with its own bearer token, from
 * [hub] devices_file ("device-id token" per line). The file is read again when it changes, so
 * deleting a stolen token's line revokes that device alone, without a restart. */
#ifndef KIOSK_HUB_DEVICES_H
#define KIOSK_HUB_DEVICES_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

#define DEVICE_ID_MAX (CONFIG_DEVICE_ID_MAX + 1)

struct devices;

/* Reads path ("" = no devices: every request is refused). NULL with a callee-allocated *err
 * naming each bad line, or a file others may read. */
struct devices *devices_open(const char *path, char **err);
void devices_close(struct devices *devices); /* accepts NULL */

/* The device whose token this is, into device (DEVICE_ID_MAX bytes); false for none. Checks
 * the file for changes at most once a second; a changed file that does not read keeps the
 * devices of the last good one (and says why in the log). Any thread. */
bool devices_lookup(struct devices *devices, const char *token, char *device);

/* How many devices the table holds. */
int devices_count(struct devices *devices);

/* The ids of the devices the table holds, callee-allocated (DEVICE_ID_MAX bytes each, in the
 * file's order); *count set. Any thread. */
char (*devices_ids(struct devices *devices, int *count))[DEVICE_ID_MAX];

#endif
