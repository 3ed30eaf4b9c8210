/* checks.h: the rows of a self-test (PASS, FAIL or SKIP, and what was found), the checks
 * the kiosk and kiosk-hub share, and the table they print. SDL-free: kiosk-hub links it. */
#ifndef KIOSK_CHECKS_H
#define KIOSK_CHECKS_H

#include <stdbool.h>
#include <stdio.h>

#include "config/config.h"

enum check_result { CHECK_PASS, CHECK_FAIL, CHECK_SKIP };

#define SELFTEST_CHECKS 7

struct check {
    const char *name;
    enum check_result result;
    char detail[320]; /* what was found, or what is wrong */
};

struct selftest {
    struct check checks[SELFTEST_CHECKS];
    int count;
};

void check_set(struct check *c, enum check_result r, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* [storage] path opens, is writable, in WAL mode, passes its integrity check, and the card
 * takes fresh blocks. */
void check_storage(const struct config *config, struct check *c);

/* One real request to the configured backend ([upstream] for kiosk-hub), with a short
 * timeout; SKIP for the demo clinic. */
void check_backend(const struct config *config, struct check *c);

/* The PASS/FAIL table, then a summary line. */
void selftest_print(const struct selftest *t, FILE *out);

/* True when no check failed. */
bool selftest_passed(const struct selftest *t);

const char *check_result_name(enum check_result r);

#endif
