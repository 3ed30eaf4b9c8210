/* fuzz_token.c: token verification, as `kiosk token verify`, the kiosk's scanner and the web
 * team's checker see it. Three inputs from one: the bytes as a token or URL (almost always
 * refused before the MAC), the bytes as a payload signed here with the test key (so the field
 * parser behind the MAC is reached), and the bytes as a URL template. A token that verifies
 * must be exactly the one token_issue makes for the fields read from it. */
#include <openssl/evp.h>

#include "fuzz.h"
#include "qr/token.h"
#include "base/utf8.h"

#define NOW 1795000000

static struct token_key key;

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    memcpy(key.bytes, "kiosk-test-vector-key-0123456789", 32); /* docs/tokens.md's */
    key.len = 32;
    return 0;
}

static void check_fields(const struct token *t)
{
    FUZZ_CHECK(t->purpose == TOKEN_SURVEY || t->purpose == TOKEN_RESULTS);
    FUZZ_TERMINATED(t->device);
    FUZZ_TERMINATED(t->ticket);
    FUZZ_TERMINATED(t->room);
    FUZZ_CHECK(utf8_valid(t->device) && utf8_valid(t->ticket) && utf8_valid(t->room));
}

/* A verified bare token is the one issuing its fields gives: nothing else verifies. */
static void verify(const char *text, bool bare)
{
    struct token t;
    enum token_status status = token_verify(&key, text, NOW, &t);
    FUZZ_CHECK(status >= TOKEN_VALID && status <= TOKEN_EXPIRED);
    FUZZ_CHECK(token_status_message(status) != NULL);
    if (status != TOKEN_VALID && status != TOKEN_EXPIRED)
        return;
    check_fields(&t);
    FUZZ_CHECK((status == TOKEN_EXPIRED) == (NOW > t.expires_at));
    char again[TOKEN_TEXT_MAX];
    FUZZ_CHECK(token_issue(&key, &t, again, sizeof(again)));
    if (bare && strcmp(again, text) != 0) {
        fprintf(stderr, "verified %s, but its fields issue %s\n", text, again);
        abort();
    }
}

/* base64url without padding, as token.c writes it. */
static void encode(const unsigned char *data, size_t len, char *out)
{
    int n = EVP_EncodeBlock((unsigned char *)out, data, (int)len);
    for (int i = 0; i < n; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (n > 0 && out[n - 1] == '=')
        n--;
    out[n] = 0;
}

static void signed_payload(const uint8_t *data, size_t size)
{
    unsigned char p[128 + TOKEN_MAC_LEN], mac[32];
    char text[(sizeof(p) + 2) / 3 * 4 + 1];
    if (size > 128)
        return;
    memcpy(p, data, size);
    token_hmac_sha256(key.bytes, key.len, p, size, mac);
    memcpy(p + size, mac, TOKEN_MAC_LEN);
    encode(p, size + TOKEN_MAC_LEN, text);
    verify(text, true);
}

static void url_template(const char *template)
{
    char out[64];
    if (token_url(template, "AQFq_YbAawbBQAZk", "demo-1", "A023", "zh", out, sizeof(out)))
        FUZZ_CHECK(strlen(out) < sizeof(out));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    verify(text, strcspn(text, "/?#") == strlen(text));
    signed_payload(data, size);
    url_template(text);
    free(text);
    return 0;
}
