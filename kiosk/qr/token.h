/* token.h: the short signed tokens inside survey and results QR codes (docs/tokens.md).
 * A token binds purpose, device, ticket, room and times under the site's HMAC-SHA256 key;
 * it carries no personal data. */
#ifndef KIOSK_TOKEN_H
#define KIOSK_TOKEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define TOKEN_VERSION  1
#define TOKEN_KEY_MIN  32
#define TOKEN_KEY_MAX  256
#define TOKEN_MAC_LEN  16 /* HMAC-SHA256 cut to 128 bits: short enough for a small QR code */
#define TOKEN_TEXT_MAX 160

enum token_purpose { TOKEN_SURVEY = 1, TOKEN_RESULTS = 2 };

struct token {
    enum token_purpose purpose;
    int64_t issued_at, expires_at; /* unix seconds */
    char device[33];
    char ticket[MODEL_TICKET_MAX];
    char room[MODEL_ID_MAX]; /* room or staff id, "" when not known */
};

struct token_key {
    unsigned char bytes[TOKEN_KEY_MAX];
    size_t len;
};

enum token_status {
    TOKEN_VALID,
    TOKEN_MALFORMED,
    TOKEN_UNKNOWN_VERSION,
    TOKEN_BAD_SIGNATURE,
    TOKEN_EXPIRED,
};

/* Reads the site key. Refuses a missing file, fewer than TOKEN_KEY_MIN bytes, or a file that
 * anyone may read (world-readable); *err says which, callee-allocated. */
bool token_key_load(const char *path, struct token_key *key, char **err);

/* Writes the base64url token for t into out (at least TOKEN_TEXT_MAX bytes). False when a
 * field is too long for the format. */
bool token_issue(const struct token_key *key, const struct token *t, char *out, size_t size);

/* Checks a bare token or a whole URL ending in one (query and fragment ignored). The MAC is
 * compared in constant time; *out is filled only for TOKEN_VALID and TOKEN_EXPIRED. */
enum token_status token_verify(const struct token_key *key, const char *token_or_url, int64_t now,
                               struct token *out);

const char *token_status_message(enum token_status status);
const char *token_purpose_name(enum token_purpose purpose); /* "survey", "results" */
bool token_purpose_parse(const char *name, enum token_purpose *out);

/* HMAC-SHA256 (RFC 2104) of data under key: the primitive, exposed for its test vectors. */
void token_hmac_sha256(const unsigned char *key, size_t key_len, const unsigned char *data,
                       size_t data_len, unsigned char out[32]);

/* Expands {token}, {device}, {ticket} and {lang} in a URL template. False when the result
 * does not fit. */
bool token_url(const char *template, const char *token, const char *device, const char *ticket,
               const char *lang, char *out, size_t size);

#endif
