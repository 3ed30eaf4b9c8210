/* token.c: the token format, version 1 (docs/tokens.md):
 *   version(1) purpose(1) issued_at(4, big-endian unix s) expires_at(4)
 *   device(len + bytes) ticket(len + bytes) room(len + bytes)  mac(16)
 * base64url without padding. The MAC is HMAC-SHA256 over everything before it, cut to 16 bytes. */
#include <errno.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>

#include "base/mem.h"
#include "backend/secret.h"
#include "qr/token.h"
#include "base/utf8.h"

#define PAYLOAD_MAX 128

static const char *const purpose_names[] = {[TOKEN_SURVEY] = "survey", [TOKEN_RESULTS] = "results"};

const char *token_purpose_name(enum token_purpose purpose)
{
    return purpose_names[purpose];
}

bool token_purpose_parse(const char *name, enum token_purpose *out)
{
    for (int p = TOKEN_SURVEY; p <= TOKEN_RESULTS; p++) {
        if (strcmp(name, purpose_names[p]) == 0) {
            *out = (enum token_purpose)p;
            return true;
        }
    }
    return false;
}

const char *token_status_message(enum token_status status)
{
    static const char *const messages[] = {
        [TOKEN_VALID] = "valid",
        [TOKEN_MALFORMED] = "malformed token",
        [TOKEN_UNKNOWN_VERSION] = "unknown token version",
        [TOKEN_BAD_SIGNATURE] = "bad signature: not issued with this key, or altered",
        [TOKEN_EXPIRED] = "expired",
    };
    return messages[status];
}

void token_hmac_sha256(const unsigned char *key, size_t key_len, const unsigned char *data,
                       size_t data_len, unsigned char out[32])
{
    unsigned int len = 32;
    if (!HMAC(EVP_sha256(), key, (int)key_len, data, data_len, out, &len))
        abort();
}

bool token_key_load(const char *path, struct token_key *key, char **err)
{
    struct stat st;
    int fd = secret_open("[qr] key_file ", path, sizeof(key->bytes), &st, err);
    if (fd < 0)
        return false;
    ssize_t n = read(fd, key->bytes, sizeof(key->bytes));
    close(fd);
    key->len = n > 0 ? (size_t)n : 0;
    if (n < 0)
        *err = xasprintf("[qr] key_file %s: %s", path, strerror(errno));
    else if (st.st_mode & (S_IROTH | S_IWOTH))
        *err = xasprintf("[qr] key_file %s is readable by others: chmod o-rwx it", path);
    else if (key->len < TOKEN_KEY_MIN)
        *err = xasprintf("[qr] key_file %s holds %zu bytes; at least %d are needed", path, key->len,
                         TOKEN_KEY_MIN);
    return *err == NULL;
}

static bool put_text(unsigned char *p, size_t *used, const char *s, size_t max)
{
    size_t len = strlen(s);
    if (len > max || *used + 1 + len > PAYLOAD_MAX)
        return false;
    p[(*used)++] = (unsigned char)len;
    for (size_t i = 0; i < len; i++) /* bytes, not a C string: no NUL goes in */
        p[(*used)++] = (unsigned char)s[i];
    return true;
}

static void put_u32(unsigned char *p, size_t *used, int64_t v)
{
    uint32_t u = (uint32_t)v;
    for (int shift = 24; shift >= 0; shift -= 8)
        p[(*used)++] = (unsigned char)(u >> shift);
}

static void base64url(const unsigned char *data, size_t len, char *out)
{
    int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    for (int i = 0; i < n; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = 0;
}

bool token_issue(const struct token_key *key, const struct token *t, char *out, size_t size)
{
    unsigned char p[PAYLOAD_MAX + 32];
    size_t used = 0;
    p[used++] = TOKEN_VERSION;
    p[used++] = (unsigned char)t->purpose;
    put_u32(p, &used, t->issued_at);
    put_u32(p, &used, t->expires_at);
    if (!put_text(p, &used, t->device, 32) || !put_text(p, &used, t->ticket, 15) ||
        !put_text(p, &used, t->room, 39))
        return false;
    unsigned char mac[32];
    token_hmac_sha256(key->bytes, key->len, p, used, mac);
    memcpy(p + used, mac, TOKEN_MAC_LEN);
    used += TOKEN_MAC_LEN;
    if ((used + 2) / 3 * 4 + 1 > size)
        return false;
    base64url(p, used, out);
    return true;
}

/* The token part of a URL: after the last '/', before any '?' or '#'. False when longer
 * than any token can be. */
static bool token_part(const char *s, char *out, size_t size)
{
    const char *query = s + strcspn(s, "?#");
    const char *start = query;
    while (start > s && start[-1] != '/')
        start--;
    size_t len = (size_t)(query - start);
    if (len >= size)
        return false;
    memcpy(out, start, len);
    out[len] = 0;
    return true;
}

/* Decodes base64url without padding; returns the byte count or -1. */
static int unbase64url(const char *text, unsigned char *out, size_t size)
{
    size_t len = strlen(text);
    char padded[TOKEN_TEXT_MAX + 4];
    if (len == 0 || len % 4 == 1 || len + 3 >= sizeof(padded) || (len + 3) / 4 * 3 > size)
        return -1;
    for (size_t i = 0; i < len; i++) {
        char c = text[i];
        if (!((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
              c == '-' || c == '_'))
            return -1;
        padded[i] = c == '-' ? '+' : c == '_' ? '/' : c;
    }
    size_t pad = (4 - len % 4) % 4;
    memset(padded + len, '=', pad);
    padded[len + pad] = 0;
    int n = EVP_DecodeBlock(out, (const unsigned char *)padded, (int)(len + pad));
    return n < 0 ? -1 : n - (int)pad;
}

/* A length byte and that many bytes of UTF-8 without a NUL: a NUL inside would make the kiosk
 * read a shorter field than other verifiers do, from the same signed bytes. */
static bool get_text(const unsigned char *p, size_t end, size_t *at, char *out, size_t size)
{
    if (*at >= end || p[*at] >= size || *at + 1 + p[*at] > end)
        return false;
    size_t len = p[(*at)++];
    if (memchr(p + *at, 0, len))
        return false;
    memcpy(out, p + *at, len);
    out[len] = 0;
    *at += len;
    return utf8_valid(out);
}

static int64_t get_u32(const unsigned char *p)
{
    return (int64_t)((uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]);
}

static bool parse_fields(const unsigned char *p, size_t end, struct token *t)
{
    if (end < 10 || (p[1] != TOKEN_SURVEY && p[1] != TOKEN_RESULTS))
        return false;
    t->purpose = (enum token_purpose)p[1];
    t->issued_at = get_u32(p + 2);
    t->expires_at = get_u32(p + 6);
    size_t at = 10;
    return get_text(p, end, &at, t->device, sizeof(t->device)) &&
           get_text(p, end, &at, t->ticket, sizeof(t->ticket)) &&
           get_text(p, end, &at, t->room, sizeof(t->room)) && at == end;
}

enum token_status token_verify(const struct token_key *key, const char *token_or_url, int64_t now,
                               struct token *out)
{
    char text[TOKEN_TEXT_MAX + 1];
    unsigned char p[PAYLOAD_MAX + TOKEN_MAC_LEN + 8];
    int n = token_part(token_or_url, text, sizeof(text)) ? unbase64url(text, p, sizeof(p)) : -1;
    if (n < 2 + TOKEN_MAC_LEN)
        return TOKEN_MALFORMED;
    /* Only the canonical spelling is accepted, so no character can change unnoticed (the
     * last one has spare bits that base64 decoders ignore). */
    char canonical[TOKEN_TEXT_MAX + 4];
    base64url(p, (size_t)n, canonical);
    if (strcmp(canonical, text) != 0)
        return TOKEN_MALFORMED;
    if (p[0] != TOKEN_VERSION)
        return TOKEN_UNKNOWN_VERSION;
    size_t end = (size_t)n - TOKEN_MAC_LEN;
    unsigned char mac[32];
    token_hmac_sha256(key->bytes, key->len, p, end, mac);
    if (CRYPTO_memcmp(mac, p + end, TOKEN_MAC_LEN) != 0)
        return TOKEN_BAD_SIGNATURE;
    struct token t = {0};
    if (!parse_fields(p, end, &t))
        return TOKEN_MALFORMED;
    *out = t;
    return now > t.expires_at ? TOKEN_EXPIRED : TOKEN_VALID;
}

bool token_url(const char *template, const char *token, const char *device, const char *ticket,
               const char *lang, char *out, size_t size)
{
    static const char *const names[] = {"token", "device", "ticket", "lang"};
    const char *values[] = {token, device, ticket, lang};
    size_t used = 0;
    for (const char *s = template; *s;) {
        const char *piece = s;
        size_t len = 1;
        for (size_t i = 0; i < 4 && *s == '{'; i++) {
            size_t name_len = strlen(names[i]);
            if (strncmp(s + 1, names[i], name_len) == 0 && s[1 + name_len] == '}') {
                piece = values[i];
                len = strlen(values[i]);
                s += name_len + 1;
                break;
            }
        }
        s++;
        if (used + len >= size)
            return false;
        memcpy(out + used, piece, len);
        used += len;
    }
    out[used] = 0;
    return true;
}
