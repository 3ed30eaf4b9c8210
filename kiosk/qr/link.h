/* link.h: a signed link for a QR code: a token for a purpose, ticket and room, issued now
 * under the site key, put into the purpose's URL template from [qr]. The call screen, the
 * ticket printer and `kiosk token issue` all make their links here. */
#ifndef KIOSK_LINK_H
#define KIOSK_LINK_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "qr/qr.h"
#include "qr/token.h"

/* The largest QR version a link may need: it still scans from a 58 mm thermal print and
 * across a waiting room (docs/tokens.md has the byte budget). */
#define LINK_QR_VERSION_MAX 6

struct link {
    struct token token;
    char text[TOKEN_TEXT_MAX]; /* the token, base64url */
    char url[512];             /* "" when the purpose has no URL template */
};

/* The URL template for purpose ("" when none is configured). */
const char *link_template(const struct config *config, enum token_purpose purpose);

/* Issues a token valid for the purpose's configured life from now. ticket and room may be "".
 * False with a callee-allocated *err when a field is too long for a token or the URL for
 * its buffer. */
bool link_issue(const struct config *config, const struct token_key *key,
                enum token_purpose purpose, const char *ticket, const char *room, int64_t now,
                struct link *out, char **err);

/* The link's URL as a QR matrix; NULL with *err when it needs more than LINK_QR_VERSION_MAX. */
struct qr *link_qr(const struct link *link, char **err);

#endif
