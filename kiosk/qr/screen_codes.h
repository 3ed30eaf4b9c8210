/* screen_codes.h: the QR codes the call screen shows: a survey code (and a results code when
 * [qr] results_url is set), each for this device, or for its room when [display] room is
 * set. Tokens expire, so the codes are re-issued while the screen runs. */
#ifndef KIOSK_SCREEN_CODES_H
#define KIOSK_SCREEN_CODES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "config/config.h"
#include "qr/link.h"

struct screen_code {
    struct link link;
    struct qr *qr;
};

struct screen_codes;

/* Loads the site key and issues the codes at now. With no link configured there are no codes
 * (and no key is needed). NULL with a callee-allocated *err when the key is unusable or a
 * link does not fit a small QR code: the kiosk must not start with codes that fail. */
struct screen_codes *screen_codes_create(const struct config *config, int64_t now, char **err);
void screen_codes_destroy(struct screen_codes *codes); /* accepts NULL */

/* Re-issues the codes once half of the shortest token life has passed, or when the clock was
 * set back before their issue time (NTP after a boot with a wrong clock). True when they
 * changed and the screen must be redrawn. */
bool screen_codes_refresh(struct screen_codes *codes, int64_t now);

int screen_codes_count(const struct screen_codes *codes); /* accepts NULL: 0 */

/* A link of its own for one ticket (the printed ticket's code), under the same key; false
 * with *err when no such link is configured or it does not fit. */
bool screen_codes_ticket_link(const struct screen_codes *codes, enum token_purpose purpose,
                              const char *ticket, int64_t now, struct link *out, char **err);
const struct screen_code *screen_codes_get(const struct screen_codes *codes, int i);

/* Checks a token (or a URL ending in one) against the site key, as token_verify. Without a
 * key loaded (no link configured) nothing verifies: TOKEN_BAD_SIGNATURE. */
enum token_status screen_codes_verify(const struct screen_codes *codes, const char *token_or_url,
                                      int64_t now, struct token *out);

/* The visit a scanned or typed code names: the ticket inside one of this site's own valid
 * codes (a scan of a printed ticket), or a visit number as typed (letters, digits, '-'). False
 * when it is neither. */
bool screen_codes_visit(const struct screen_codes *codes, const char *code, int64_t now,
                        char *visit, size_t size);

#endif
