/* hub_selftest.h: `kiosk-hub --self-test`: configuration, site key, storage, devices file,
 * upstream and listening address, each PASS, FAIL or SKIP, as the kiosk's self-test prints. */
#ifndef KIOSK_HUB_SELFTEST_H
#define KIOSK_HUB_SELFTEST_H

#include <stdio.h>

/* Reads the configuration at path with the overrides, runs every check, prints the table to
 * out; returns the exit code (0 all passed, 1 a FAIL). */
int hub_selftest(const char *path, const char *const *overrides, int noverrides, FILE *out);

#endif
