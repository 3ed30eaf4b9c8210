/* outbox.h: forwarding what the kiosk owes the backend (ratings), oldest first and at least
 * once: an entry counts as delivered only after the backend answered, and every resend carries
 * the entry's own Idempotency-Key, so the backend counts it once however often it arrives. */
#ifndef KIOSK_OUTBOX_H
#define KIOSK_OUTBOX_H

#include <stddef.h>
#include <stdint.h>

#include "backend/api.h"
#include "store/store.h"

/* Sends pending entries in order until the backend stops answering; an entry the backend
 * refuses (4xx) is set aside as refused, with the reason, so it cannot block the rest.
 * Returns how many were delivered; message gets the last problem ("" when none). */
int outbox_forward(struct store *store, struct api *api, int64_t now, char *message, size_t size);

#endif
