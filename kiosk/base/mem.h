/* mem.h: allocation that cannot fail. Out of memory on a kiosk is not recoverable: we abort
 * and systemd restarts us, which beats limping on with half a screen. */
#ifndef KIOSK_MEM_H
#define KIOSK_MEM_H

#include <stddef.h>

void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
