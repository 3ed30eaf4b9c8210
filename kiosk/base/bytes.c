/* bytes.c: the growing byte buffer, doubling as it fills. */
#include <stdlib.h>
#include <string.h>

#include "base/bytes.h"
#include "base/mem.h"

void bytes_append(struct bytes *b, const void *data, size_t len)
{
    if (b->len + len > b->cap) {
        b->cap = (b->len + len) * 2;
        b->data = xrealloc(b->data, b->cap);
    }
    memcpy(b->data + b->len, data, len);
    b->len += len;
}

void bytes_free(struct bytes *b)
{
    free(b->data);
    *b = (struct bytes){0};
}
