/* test_token.c: HMAC-SHA256 against RFC 4231, the documented token vectors (docs/tokens.md,
 * cross-checked with Python's hmac module), round trips, every rejection, key files and URL
 * templates. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "qr/token.h"

static struct token_key key;

static int setup(void **state)
{
    (void)state;
    memcpy(key.bytes, "kiosk-test-vector-key-0123456789", 32);
    key.len = 32;
    return 0;
}

static void hex(const unsigned char *b, size_t n, char *out)
{
    for (size_t i = 0; i < n; i++)
        sprintf(out + 2 * i, "%02x", b[i]);
}

static void check_hmac(const unsigned char *k, size_t klen, const unsigned char *d, size_t dlen,
                       const char *expected)
{
    unsigned char mac[32];
    char text[65];
    token_hmac_sha256(k, klen, d, dlen, mac);
    hex(mac, 32, text);
    assert_string_equal(text, expected);
}

static void test_rfc4231_vectors(void **state)
{
    (void)state;
    unsigned char k[131], d[160];
    memset(k, 0x0b, 20);
    check_hmac(k, 20, (const unsigned char *)"Hi There", 8,
               "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7");
    check_hmac((const unsigned char *)"Jefe", 4,
               (const unsigned char *)"what do ya want for nothing?", 28,
               "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
    memset(k, 0xaa, 20);
    memset(d, 0xdd, 50);
    check_hmac(k, 20, d, 50, "773ea91e36800e46854db8ebd09181a72959098b3ef8c122d9635514ced565fe");
    for (int i = 0; i < 25; i++)
        k[i] = (unsigned char)(i + 1);
    memset(d, 0xcd, 50);
    check_hmac(k, 25, d, 50, "82558a389a443c0ea4cc819899f2083a85f0faa3e578f8077a2e3ff46729665b");
    memset(k, 0xaa, 131);
    const char *big = "Test Using Larger Than Block-Size Key - Hash Key First";
    check_hmac(k, 131, (const unsigned char *)big, strlen(big),
               "60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54");
}

static const struct token vector1 = {TOKEN_SURVEY, 1795000000, 1795604800, "demo-1", "A023", "r3"};
#define VECTOR1 "AQFq_YbAawbBQAZkZW1vLTEEQTAyMwJyM3X7b2uaE4iZEKwLEuM7qis"

static void test_documented_vectors(void **state)
{
    (void)state;
    char out[TOKEN_TEXT_MAX];
    assert_true(token_issue(&key, &vector1, out, sizeof(out)));
    assert_string_equal(out, VECTOR1);
    struct token t2 = {TOKEN_RESULTS, 1795000000, 1797592000, "ward3-display", "E1001", ""};
    assert_true(token_issue(&key, &t2, out, sizeof(out)));
    assert_string_equal(out, "AQJq_YbAayUTwA13YXJkMy1kaXNwbGF5BUUxMDAxAH_WI8cfLvtfutioLWJu088");
}

static void test_round_trip_from_a_url(void **state)
{
    (void)state;
    struct token t;
    assert_int_equal(
        token_verify(&key, "https://survey.example/r/" VECTOR1 "?utm=qr#x", 1795000100, &t),
        TOKEN_VALID);
    assert_int_equal(t.purpose, TOKEN_SURVEY);
    assert_int_equal(t.issued_at, 1795000000);
    assert_int_equal(t.expires_at, 1795604800);
    assert_string_equal(t.device, "demo-1");
    assert_string_equal(t.ticket, "A023");
    assert_string_equal(t.room, "r3");
}

static void test_any_changed_character_is_refused(void **state)
{
    (void)state;
    char tampered[] = VECTOR1;
    struct token t;
    for (size_t i = 0; i < strlen(tampered); i++) {
        char saved = tampered[i];
        tampered[i] = saved == 'A' ? 'B' : 'A';
        enum token_status s = token_verify(&key, tampered, 1795000100, &t);
        if (s == TOKEN_VALID || s == TOKEN_EXPIRED)
            fail_msg("changing character %zu still verifies", i);
        tampered[i] = saved;
    }
    /* The last character carries two spare bits ("s" and "t" decode alike): still refused. */
    tampered[strlen(tampered) - 1] = 't';
    assert_int_equal(token_verify(&key, tampered, 1795000100, &t), TOKEN_MALFORMED);
}

static void test_rejections(void **state)
{
    (void)state;
    struct token t;
    assert_int_equal(token_verify(&key, VECTOR1, 1795604801, &t), TOKEN_EXPIRED);
    assert_int_equal(token_verify(&key, "", 0, &t), TOKEN_MALFORMED);
    assert_int_equal(token_verify(&key, "not a token!", 0, &t), TOKEN_MALFORMED);
    assert_int_equal(token_verify(&key, "AQFq", 0, &t), TOKEN_MALFORMED);
    char long_token[400];
    memset(long_token, 'A', sizeof(long_token) - 1);
    long_token[sizeof(long_token) - 1] = 0;
    assert_int_equal(token_verify(&key, long_token, 0, &t), TOKEN_MALFORMED);
    char v2[] = VECTOR1;
    v2[1] = 'g'; /* the first byte becomes 0x02: a version this kiosk does not know */
    assert_int_equal(token_verify(&key, v2, 0, &t), TOKEN_UNKNOWN_VERSION);
    struct token_key other = key;
    other.bytes[0] ^= 1;
    assert_int_equal(token_verify(&other, VECTOR1, 1795000100, &t), TOKEN_BAD_SIGNATURE);
    struct token longest = vector1;
    memset(longest.device, 'd', 32);
    longest.device[32] = 0;
    char out[TOKEN_TEXT_MAX];
    assert_true(token_issue(&key, &longest, out, sizeof(out)));
    assert_int_equal(token_verify(&key, out, 1795000100, &t), TOKEN_VALID);
    assert_false(token_issue(&key, &vector1, out, 20)); /* out too small */
}

/* Signs payload (fields without the MAC) with the test key: a token only the key holder makes. */
static void sign(const unsigned char *payload, size_t len, char *out)
{
    unsigned char p[128 + TOKEN_MAC_LEN], mac[32];
    memcpy(p, payload, len);
    token_hmac_sha256(key.bytes, key.len, payload, len, mac);
    memcpy(p + len, mac, TOKEN_MAC_LEN);
    int n = EVP_EncodeBlock((unsigned char *)out, p, (int)(len + TOKEN_MAC_LEN));
    for (int i = 0; i < n; i++)
        out[i] = out[i] == '+' ? '-' : out[i] == '/' ? '_' : out[i];
    while (n > 0 && out[n - 1] == '=')
        out[--n] = 0;
}

/* Found by fuzz_token: a correctly signed device field "de)\0\0\0" was accepted and read as
 * "de)", a field other verifiers read as six bytes. A NUL in any field is now malformed. */
static void test_nul_inside_a_field_is_refused(void **state)
{
    (void)state;
    const unsigned char with_nul[] = {1,    1,   0x6a, 0xfd, 0x86, 0xc0, 0x6b, 0x06, 0xc1,
                                      0x40, 6,   'd',  'e',  ')',  0,    0,    0,    4,
                                      'A',  '0', '2',  '3',  2,    'r',  '3'};
    const unsigned char without[] = {1,   1,   0x6a, 0xfd, 0x86, 0xc0, 0x6b, 0x06, 0xc1, 0x40, 3,
                                     'd', 'e', ')',  4,    'A',  '0',  '2',  '3',  2,    'r',  '3'};
    char text[TOKEN_TEXT_MAX];
    struct token t;
    sign(with_nul, sizeof(with_nul), text);
    assert_int_equal(token_verify(&key, text, 1795000100, &t), TOKEN_MALFORMED);
    sign(without, sizeof(without), text); /* the same token without the NULs is fine */
    assert_int_equal(token_verify(&key, text, 1795000100, &t), TOKEN_VALID);
    assert_string_equal(t.device, "de)");
    char again[TOKEN_TEXT_MAX];
    assert_true(token_issue(&key, &t, again, sizeof(again)));
    assert_string_equal(again, text);
}

static void test_key_files(void **state)
{
    (void)state;
    char dir[] = "/tmp/kiosk-key-XXXXXX", path[64], *err = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/site.key", dir);
    struct token_key k;
    assert_false(token_key_load(path, &k, &err));
    assert_non_null(strstr(err, "No such file"));
    free(err);
    FILE *f = fopen(path, "w");
    fputs("short", f);
    fclose(f);
    chmod(path, 0600);
    assert_false(token_key_load(path, &k, &err));
    assert_non_null(strstr(err, "at least 32"));
    free(err);
    f = fopen(path, "w");
    fputs("0123456789abcdef0123456789abcdef0123", f);
    fclose(f);
    chmod(path, 0644);
    assert_false(token_key_load(path, &k, &err));
    assert_non_null(strstr(err, "readable by others"));
    free(err);
    chmod(path, 0640); /* root:kiosk 0640 is the usual deployment */
    assert_true(token_key_load(path, &k, &err));
    assert_int_equal(k.len, 36);
    unlink(path);
    rmdir(dir);
}

/* What is not a key is refused with a reason, never waited on or cut short: a key longer than
 * TOKEN_KEY_MAX would sign with its first 256 bytes only, and the documented verifier (which
 * takes the whole file) would refuse every code. */
static void test_key_files_that_are_not_keys(void **state)
{
    (void)state;
    char dir[] = "/tmp/kiosk-key-XXXXXX", path[64], *err = NULL;
    assert_non_null(mkdtemp(dir));
    struct token_key k;
    assert_false(token_key_load(dir, &k, &err)); /* a directory */
    assert_non_null(strstr(err, "is not a regular file"));
    free(err);
    snprintf(path, sizeof(path), "%s/fifo", dir);
    assert_int_equal(mkfifo(path, 0600), 0);
    assert_false(token_key_load(path, &k, &err)); /* returns at once: no writer is awaited */
    assert_non_null(strstr(err, "is not a regular file"));
    free(err);
    unlink(path);
    snprintf(path, sizeof(path), "%s/long.key", dir);
    FILE *f = fopen(path, "w");
    for (int i = 0; i < TOKEN_KEY_MAX + 1; i++)
        fputc('k', f);
    fclose(f);
    chmod(path, 0600);
    assert_false(token_key_load(path, &k, &err));
    assert_non_null(strstr(err, "is 257 bytes long; at most 256"));
    free(err);
    assert_int_equal(truncate(path, TOKEN_KEY_MAX), 0);
    assert_true(token_key_load(path, &k, &err));
    assert_int_equal(k.len, TOKEN_KEY_MAX);
    unlink(path);
    rmdir(dir);
}

static void test_url_templates(void **state)
{
    (void)state;
    char out[200];
    assert_true(token_url("https://h.example/r/{token}?d={device}&t={ticket}&l={lang}&x={other}",
                          "TOK", "demo-1", "A023", "zh", out, sizeof(out)));
    assert_string_equal(out, "https://h.example/r/TOK?d=demo-1&t=A023&l=zh&x={other}");
    assert_false(token_url("https://h.example/r/{token}", VECTOR1, "", "", "", out, 30));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rfc4231_vectors),
        cmocka_unit_test_setup(test_documented_vectors, setup),
        cmocka_unit_test_setup(test_round_trip_from_a_url, setup),
        cmocka_unit_test_setup(test_any_changed_character_is_refused, setup),
        cmocka_unit_test_setup(test_rejections, setup),
        cmocka_unit_test_setup(test_nul_inside_a_field_is_refused, setup),
        cmocka_unit_test(test_key_files),
        cmocka_unit_test(test_key_files_that_are_not_keys),
        cmocka_unit_test(test_url_templates),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
