/* secret.h: tokens and passwords live in their own files (readable by the kiosk user only),
 * never in kiosk.ini, so the configuration can be shown and copied freely. */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stdbool.h>
#include <stddef.h>

/* Reads the first line of path (without the line end) into out. False with a callee-allocated
 * *err when the file is missing, unreadable, readable or writable by others, empty or longer
 * than size - 1. */
bool secret_read(const char *path, char *out, size_t size, char **err);

#endif
