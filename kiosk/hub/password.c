/* password.c: "$scrypt$ln=15,r=8,p=3$SALT$HASH", salt and hash in base64: the cost travels with
 * each hash, so raising PASSWORD_LOG2_N later leaves every kept hash verifiable. */
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <string.h>

#include "hub/password.h"

#define SALT_LEN 16
#define KEY_LEN  32

static bool scrypt(const char *password, const unsigned char *salt, size_t salt_len, int log2_n,
                   int r, int p, unsigned char *key)
{
    uint64_t n = (uint64_t)1 << log2_n;
    /* what scrypt needs (128 r N for V, 128 r p for B), and a little for OpenSSL itself */
    uint64_t maxmem = 128 * (uint64_t)r * n + 128 * (uint64_t)r * (uint64_t)p + (1u << 20);
    return EVP_PBE_scrypt(password, strlen(password), salt, salt_len, n, (uint64_t)r, (uint64_t)p,
                          maxmem, key, KEY_LEN) == 1;
}

bool password_hash_cost(const char *password, int log2_n, int r, int p, char *out, size_t size)
{
    unsigned char salt[SALT_LEN], key[KEY_LEN];
    char salt64[4 * ((SALT_LEN + 2) / 3) + 1], key64[4 * ((KEY_LEN + 2) / 3) + 1];
    if (RAND_bytes(salt, sizeof salt) != 1 ||
        !scrypt(password, salt, sizeof salt, log2_n, r, p, key))
        return false;
    EVP_EncodeBlock((unsigned char *)salt64, salt, sizeof salt);
    EVP_EncodeBlock((unsigned char *)key64, key, sizeof key);
    OPENSSL_cleanse(key, sizeof key);
    int n = snprintf(out, size, "$scrypt$ln=%d,r=%d,p=%d$%s$%s", log2_n, r, p, salt64, key64);
    return n > 0 && (size_t)n < size;
}

bool password_hash(const char *password, char *out, size_t size)
{
    return password_hash_cost(password, PASSWORD_LOG2_N, PASSWORD_R, PASSWORD_P, out, size);
}

/* base64 text into out; the decoded length, or -1. */
static int decode(const char *text, size_t len, unsigned char *out, size_t size)
{
    if (len == 0 || len % 4 || len / 4 * 3 > size)
        return -1;
    int n = EVP_DecodeBlock(out, (const unsigned char *)text, (int)len);
    if (n < 0)
        return -1;
    return n - (text[len - 1] == '=') - (text[len - 2] == '=');
}

bool password_verify(const char *password, const char *hash)
{
    int log2_n, r, p, used = 0;
    if (sscanf(hash, "$scrypt$ln=%d,r=%d,p=%d$%n", &log2_n, &r, &p, &used) != 3 || used == 0)
        return false;
    /* a hash with a cost beyond these was not made here: refusing it keeps a forged row from
     * making each login take minutes or gigabytes */
    if (log2_n < 10 || log2_n > 20 || r < 1 || r > 32 || p < 1 || p > 16)
        return false;
    const char *salt64 = hash + used, *dollar = strchr(salt64, '$');
    if (!dollar)
        return false;
    unsigned char salt[64], want[64], got[KEY_LEN];
    int salt_len = decode(salt64, (size_t)(dollar - salt64), salt, sizeof salt);
    int want_len = decode(dollar + 1, strlen(dollar + 1), want, sizeof want);
    if (salt_len <= 0 || want_len != KEY_LEN ||
        !scrypt(password, salt, (size_t)salt_len, log2_n, r, p, got))
        return false;
    bool same = CRYPTO_memcmp(got, want, KEY_LEN) == 0;
    OPENSSL_cleanse(got, sizeof got);
    return same;
}
