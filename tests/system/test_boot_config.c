/* test_boot_config.c: first-boot configuration with temporary folders standing in for the FAT
 * boot partition and /etc/kiosk: a valid kiosk.ini is imported and its key leaves the FAT
 * partition, not readable by others; an invalid one keeps the last good file, says
 * file:line: message where staff look, and the kiosk shows it on screen instead of exiting. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

/* The database and the Prometheus file beside the imported kiosk.ini (relative paths), never in
 * /var/lib/kiosk: the self-test would create that folder as root. */
#define GOOD_INI                                                                                   \
    "[device]\nid = hall-7\n[qr]\nkey_file = qr.key\n"                                             \
    "survey_url = https://survey.example/r/{token}\n"                                              \
    "[storage]\npath = kiosk.db\n[health]\nprom_file = kiosk.prom\n"
#define BAD_INI "[device]\nid = hall-7\nrole = screen\n[display]\ncolour = red\n"

static const char *kiosk_bin;
static char dir[64], boot[96], etc[96], ini[128], out_path[128], err_path[128];

static void path_in(char *out, size_t size, const char *folder, const char *name)
{
    snprintf(out, size, "%s/%s", folder, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-boot-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(boot, sizeof(boot), dir, "boot");
    path_in(etc, sizeof(etc), dir, "etc");
    path_in(ini, sizeof(ini), etc, "kiosk.ini");
    path_in(out_path, sizeof(out_path), dir, "stdout.txt");
    path_in(err_path, sizeof(err_path), dir, "stderr.txt");
    assert_int_equal(mkdir(boot, 0755), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static int import(void)
{
    const char *args[] = {"--import-boot-config", "--boot-dir", boot, "--config", ini, NULL};
    return run_program(kiosk_bin, args, out_path, err_path);
}

/* The kiosk as the service runs it, for one frame; its exit status. */
static int run_service(const char *png)
{
    char status[128], db[160];
    path_in(status, sizeof(status), dir, "status.json");
    snprintf(db, sizeof(db), "storage.path=%s/kiosk.db", dir);
    const char *args[] = {"--headless", "--config",     ini, "--config-error-screen", "--set",
                          db,           "--exit-after", "0", "--screenshot",          png,
                          NULL};
    return run_program(kiosk_bin, args, out_path, err_path);
}

static bool exists(const char *folder, const char *name)
{
    char path[160];
    path_in(path, sizeof(path), folder, name);
    return access(path, F_OK) == 0;
}

static const char *text_of(const char *folder, const char *name)
{
    char path[160];
    path_in(path, sizeof(path), folder, name);
    return read_text(path);
}

/* Staff's card: kiosk.ini and the QR key, world-readable as everything on FAT is. */
static void write_card(const char *ini_text)
{
    char path[160];
    path_in(path, sizeof(path), boot, "kiosk.ini");
    write_text(path, ini_text);
    path_in(path, sizeof(path), boot, "kiosk-qr.key");
    write_text(path, "0123456789abcdef0123456789abcdef");
    chmod(path, 0755);
}

static void test_valid_config_is_imported_and_the_key_leaves_the_card(void **state)
{
    (void)state;
    write_card(GOOD_INI);
    assert_int_equal(import(), 0);
    assert_string_equal(text_of(etc, "kiosk.ini"), GOOD_INI);
    assert_false(exists(boot, "kiosk-qr.key"));
    assert_false(exists(boot, "kiosk.ini"));
    assert_true(exists(boot, "kiosk.ini.imported"));
    char key[160];
    path_in(key, sizeof(key), etc, "qr.key");
    struct stat st;
    assert_int_equal(stat(key, &st), 0);
    assert_true((st.st_mode & 07777) == 0600 || (st.st_mode & 07777) == 0640);
    assert_false(exists(etc, "boot-config-error.txt"));
    /* The kiosk starts on it (the key's mode satisfies its own check), with no error screen. */
    char png[128];
    path_in(png, sizeof(png), dir, "screen.png");
    assert_int_equal(run_service(png), 0);
    assert_null(strstr(read_text(err_path), "error screen"));
    /* Nothing on the card: a second boot changes nothing. */
    assert_int_equal(import(), 0);
    assert_string_equal(text_of(etc, "kiosk.ini"), GOOD_INI);
}

static void test_invalid_config_keeps_the_last_good_one_and_says_why(void **state)
{
    (void)state;
    write_card(GOOD_INI);
    assert_int_equal(import(), 0);
    write_card(BAD_INI);
    assert_int_equal(import(), 0); /* a rejected file must not fail the service's start */
    assert_string_equal(text_of(etc, "kiosk.ini"), GOOD_INI);
    assert_false(exists(boot, "kiosk-qr.key")); /* the key leaves the card all the same */
    char where[160];
    snprintf(where, sizeof(where), "%s/kiosk.ini:3: [device] role:", boot);
    assert_non_null(strstr(text_of(etc, "boot-config-error.txt"), where));
    assert_non_null(strstr(text_of(boot, "kiosk-error.txt"), where));
    snprintf(where, sizeof(where), "%s/kiosk.ini:5: unknown key \"colour\"", boot);
    assert_non_null(strstr(text_of(boot, "kiosk-error.txt"), where));
    /* The kiosk shows the rejection on screen and keeps running; the self-test names it. */
    char png[128];
    path_in(png, sizeof(png), dir, "error.png");
    assert_int_equal(run_service(png), 0);
    assert_non_null(strstr(read_text(err_path), "showing the configuration error screen"));
    keep_screenshot(png, "config-error-1920x1080.png");
    const char *args[] = {"--self-test", "--headless", "--config", ini, NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 1);
    assert_non_null(strstr(read_text(out_path), "FAIL  config"));
    /* Fixed on the card, the next boot imports it and the error is gone. */
    write_card(GOOD_INI);
    assert_int_equal(import(), 0);
    assert_false(exists(etc, "boot-config-error.txt"));
}

static void test_no_good_config_shows_the_error_screen_not_a_crash_loop(void **state)
{
    (void)state;
    write_card(BAD_INI);
    assert_int_equal(import(), 0);
    assert_false(exists(etc, "kiosk.ini"));
    char png[128];
    path_in(png, sizeof(png), dir, "error.png");
    assert_int_equal(run_service(png), 0);
    assert_non_null(strstr(read_text(err_path), "cannot open"));
    /* Without --config-error-screen (staff at a shell) it still stops with the message. */
    const char *args[] = {"--headless", "--config", ini, "--exit-after", "0", NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 1);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_valid_config_is_imported_and_the_key_leaves_the_card,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_invalid_config_keeps_the_last_good_one_and_says_why,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_good_config_shows_the_error_screen_not_a_crash_loop,
                                        setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
