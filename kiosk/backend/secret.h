/* secret.h: tokens and passwords live in their own files (readable by the kiosk user only),
 * never in kiosk.ini, so the configuration can be shown and copied freely. */
#ifndef KIOSK_SECRET_H
#define KIOSK_SECRET_H

#include <stdbool.h>
#include <stddef.h>
#include <sys/stat.h>

/* Opens a secret (a token, a password, the site key) for reading: a regular file of at most
 * max_bytes, its status in *st. A FIFO would hang the start, a directory reads as empty and a
 * longer file would be cut without a word: each is refused, as is a missing file. Returns the
 * descriptor, or -1 with a callee-allocated *err naming what (of path) is wrong. */
int secret_open(const char *what, const char *path, size_t max_bytes, struct stat *st, char **err);

/* Reads the first line of path (without the line end) into out. False with a callee-allocated
 * *err when the file is missing, unreadable, readable or writable by others, empty or longer
 * than size - 1. */
bool secret_read(const char *path, char *out, size_t size, char **err);

#endif
