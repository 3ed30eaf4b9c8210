/* password.h: staff passwords kept as scrypt hashes (OpenSSL 3's EVP_PBE_scrypt), the cost
 * written inside each hash so it can be raised later without breaking the ones already kept
 * (docs/security.md says why scrypt and why these numbers). Pure: no I/O beyond RAND_bytes. */
#ifndef KIOSK_HUB_PASSWORD_H
#define KIOSK_HUB_PASSWORD_H

#include <stdbool.h>
#include <stddef.h>

/* OWASP's scrypt setting N = 2^15, r = 8, p = 3: 32 MiB and about 0.1 s a hash on a Pi 4. */
#define PASSWORD_LOG2_N   15
#define PASSWORD_R        8
#define PASSWORD_P        3
#define PASSWORD_HASH_MAX 160 /* "$scrypt$ln=15,r=8,p=3$<salt>$<hash>" and its NUL */
#define PASSWORD_MIN      10  /* characters a new password must have at least */
#define PASSWORD_MAX      256 /* bytes */

/* password hashed with a fresh random salt at the given cost, into out (PASSWORD_HASH_MAX
 * bytes). False only when OpenSSL refuses (out of memory). */
bool password_hash_cost(const char *password, int log2_n, int r, int p, char *out, size_t size);
bool password_hash(const char *password, char *out, size_t size); /* at the cost above */

/* Whether password matches hash (constant time in the comparison); false for a hash that
 * cannot be read or asks for an unreasonable cost. */
bool password_verify(const char *password, const char *hash);

#endif
