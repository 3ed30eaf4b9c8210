/* bytes.h: a growing byte buffer: printer jobs, and the bytes on their way to a printer. */
#ifndef KIOSK_BYTES_H
#define KIOSK_BYTES_H

#include <stddef.h>

/* Zero-initialised is empty; the buffer owns data. */
struct bytes {
    unsigned char *data;
    size_t len, cap;
};

void bytes_append(struct bytes *b, const void *data, size_t len); /* aborts when out of memory */
void bytes_free(struct bytes *b);                                 /* leaves it empty */

#endif
