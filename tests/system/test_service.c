/* test_service.c: kiosk.service as systemd reads it: `systemd-analyze verify` is clean and the
 * offline `systemd-analyze security` exposure is at most 4.0. The unit names /usr/bin/kiosk,
 * which verify insists exists: a copy names the binary under test instead. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

#define ANALYZE "/usr/bin/systemd-analyze"

static const char *kiosk_bin;
static char dir[64], unit[128], out_path[128], err_path[128];

/* The unit with every /usr/bin/kiosk replaced by the absolute path of the binary under test. */
static void write_unit_copy(void)
{
    char bin[PATH_MAX];
    assert_non_null(realpath(kiosk_bin, bin));
    const char *text = read_text("kiosk.service");
    assert_non_null(text);
    FILE *f = fopen(unit, "w");
    assert_non_null(f);
    for (const char *p = text, *hit; *p; p = hit + strlen("/usr/bin/kiosk")) {
        hit = strstr(p, "/usr/bin/kiosk");
        if (!hit) {
            fputs(p, f);
            break;
        }
        fprintf(f, "%.*s%s", (int)(hit - p), p, bin);
    }
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    if (access(ANALYZE, X_OK) != 0)
        return 0;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-svc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(unit, sizeof(unit), "%s/kiosk.service", dir);
    snprintf(out_path, sizeof(out_path), "%s/out.txt", dir);
    snprintf(err_path, sizeof(err_path), "%s/err.txt", dir);
    write_unit_copy();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return dir[0] ? remove_tree(dir) : 0;
}

static void skip_without_systemd(void)
{
    if (access(ANALYZE, X_OK) != 0) {
        print_message("no %s here (package systemd): skipped\n", ANALYZE);
        skip();
    }
}

static void test_unit_verifies_clean(void **state)
{
    (void)state;
    skip_without_systemd();
    const char *args[] = {"verify", unit, NULL};
    int status = run_program(ANALYZE, args, out_path, err_path);
    const char *complaints = read_text(err_path);
    if (status != 0 || complaints[0])
        fail_msg("systemd-analyze verify (exit %d):\n%s", status, complaints);
}

static void test_exposure_is_at_most_4(void **state)
{
    (void)state;
    skip_without_systemd();
    const char *args[] = {"security", "--offline=true", "--no-pager", unit, NULL};
    run_program(ANALYZE, args, out_path, err_path); /* exits non-zero above its own "OK" level */
    const char *line = strstr(read_text(out_path), "Overall exposure level for kiosk.service: ");
    assert_non_null(line);
    double exposure = strtod(line + strlen("Overall exposure level for kiosk.service: "), NULL);
    print_message("exposure %.1f\n", exposure);
    assert_true(exposure > 0.0 && exposure <= 4.0);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_verifies_clean),
        cmocka_unit_test(test_exposure_is_at_most_4),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
