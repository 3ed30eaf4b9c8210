/* test_selftest.c: `kiosk --self-test` as staff run it, against scripts/backend-sim and a file:
 * printer: all well is exit 0 with PASS rows (SKIP for what is not configured); a backend that
 * is down, a wrong token, storage that cannot be written or a bad kiosk.ini is exit 1 with
 * that row FAIL and the others still checked. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"

static const char *kiosk_bin;
static char dir[64], ini[128], out_path[128], err_path[128];
static pid_t sim;
static int port;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-st-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    path_in(err_path, sizeof(err_path), "stderr.txt");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    return remove_tree(dir);
}

/* A call screen on the http backend at url, with a file: printer and storage in dir. */
static void write_config(const char *url, const char *token_file, const char *storage)
{
    char text[1024];
    snprintf(text, sizeof(text),
             "[device]\nid = hall-1\n[backend]\ntype = http\nurl = %s\ntoken_file = %s\n"
             "timeout_ms = 2000\n[storage]\npath = %s\n[printer]\ndevice = file:%s/printer.bin\n",
             url, token_file, storage, dir);
    write_text(ini, text);
}

static void write_sim_config(void)
{
    char url[64], db[128];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    path_in(db, sizeof(db), "kiosk.db");
    write_config(url, "", db);
}

/* Runs the self-test headless; its exit status, the table in out_path. */
static int self_test(void)
{
    const char *args[] = {"--self-test", "--headless", "--config", ini, NULL};
    return run_program(kiosk_bin, args, out_path, err_path);
}

/* Fails unless the table has a row starting with row (e.g. "FAIL  backend"), optionally
 * holding detail. */
static void assert_row(const char *row, const char *detail)
{
    const char *table = read_text(out_path);
    for (const char *line = table; line && *line; line = strchr(line, '\n'), line += !!line) {
        size_t len = strcspn(line, "\n");
        if (strncmp(line, row, strlen(row)) != 0)
            continue;
        if (!detail || memmem(line, len, detail, strlen(detail)))
            return;
    }
    fail_msg("no row \"%s\"%s%s in:\n%s", row, detail ? " with " : "", detail ? detail : "", table);
}

/* The running kiosk with the staff keys pressed, then any key: the self-test as a screen
 * (its checks in a child process), and back to the queue. */
static void run_staff_screen(int width, int height, const char *png)
{
    char script[128], text[512], wanted[64];
    path_in(script, sizeof(script), "staff.txt");
    snprintf(text, sizeof(text),
             "wait 300\nkey ctrl+alt+s\nwait 6000\nscreenshot %s\nkey space\nwait 300\n", png);
    write_text(script, text);
    char size[3][40];
    snprintf(size[0], sizeof(size[0]), "device.width=%d", width);
    snprintf(size[1], sizeof(size[1]), "device.height=%d", height);
    snprintf(size[2], sizeof(size[2]), "device.orientation=%s",
             width > height ? "landscape" : "portrait");
    const char *args[] = {"--headless", "--config", ini,     "--set",    size[0], "--set",
                          size[1],      "--set",    size[2], "--script", script,  NULL};
    int rc = run_program(kiosk_bin, args, out_path, err_path);
    const char *log = read_text(err_path);
    if (rc != 0)
        fail_msg("%s", log);
    assert_non_null(strstr(log, "self-test started for staff"));
    assert_non_null(strstr(log, "self-test for staff: passed"));
    snprintf(wanted, sizeof(wanted), "screenshot %s", png);
    assert_non_null(strstr(log, wanted));
}

static void test_staff_screen(void **state)
{
    (void)state;
    char png[2][128];
    sim = start_backend_sim(dir, &port);
    write_sim_config();
    path_in(png[0], sizeof(png[0]), "selftest-landscape.png");
    path_in(png[1], sizeof(png[1]), "selftest-portrait.png");
    run_staff_screen(1920, 1080, png[0]);
    run_staff_screen(1080, 1920, png[1]);
    keep_screenshot(png[0], "selftest-1920x1080.png");
    keep_screenshot(png[1], "selftest-1080x1920.png");
}

static void test_all_well_passes(void **state)
{
    (void)state;
    sim = start_backend_sim(dir, &port);
    write_sim_config();
    assert_int_equal(self_test(), 0);
    assert_row("PASS  config", "(device hall-1, display)");
    assert_row("PASS  fonts", "请号诊室候 present");
    assert_row("PASS  storage", "writable, WAL, integrity ok");
    assert_row("PASS  backend", "answered, queue version");
    assert_row("PASS  printer", "ok");
    assert_row("SKIP  audio", "headless");
    assert_row("PASS  display", "headless");
    assert_row("self-test: PASS", "0 failed");
}

static void test_backend_down_fails(void **state)
{
    (void)state;
    char db[128];
    path_in(db, sizeof(db), "kiosk.db");
    write_config("http://127.0.0.1:9", "", db); /* discard: nobody listens */
    assert_int_equal(self_test(), 1);
    assert_row("FAIL  backend", "http://127.0.0.1:9");
    assert_row("PASS  storage", NULL);
    assert_row("self-test: FAIL", "1 failed");
}

static void test_wrong_token_fails(void **state)
{
    (void)state;
    char port_file[128], log[128], token[128], url[64], db[128];
    path_in(port_file, sizeof(port_file), "sim.port");
    path_in(log, sizeof(log), "sim.log");
    const char *argv[] = {
        "python3", "scripts/backend-sim", "--port",  "0", "--port-file", port_file,
        "--token", "right-token",         "--quiet", NULL};
    sim = spawn(argv, log);
    port = wait_port_file(port_file);
    path_in(token, sizeof(token), "token");
    write_text(token, "wrong-token\n");
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    path_in(db, sizeof(db), "kiosk.db");
    write_config(url, token, db);
    assert_int_equal(self_test(), 1);
    assert_row("FAIL  backend", "401");
    write_text(token, "right-token\n");
    assert_int_equal(self_test(), 0);
    assert_row("PASS  backend", NULL);
}

static void test_unwritable_storage_fails(void **state)
{
    (void)state;
    char file[128], db[160];
    sim = start_backend_sim(dir, &port);
    /* Below a plain file no folder can be made, even by root (the tests may run as root). */
    path_in(file, sizeof(file), "plain-file");
    write_text(file, "not a folder\n");
    snprintf(db, sizeof(db), "%s/kiosk.db", file);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "", db);
    assert_int_equal(self_test(), 1);
    assert_row("FAIL  storage", "plain-file");
    assert_row("PASS  backend", NULL);
    assert_row("self-test: FAIL", "1 failed");
}

static void test_bad_config_fails_and_the_rest_still_runs(void **state)
{
    (void)state;
    write_text(ini, "[device]\nid = hall-1\nrole = screen\n");
    /* A config that does not load leaves every key at its default: storage.path is set here
     * so that the storage check does not create /var/lib/kiosk as root. */
    char db[160];
    snprintf(db, sizeof(db), "storage.path=%s/kiosk.db", dir);
    const char *args[] = {"--self-test", "--headless", "--config", ini, "--set", db, NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 1);
    char where[160];
    snprintf(where, sizeof(where), "%s:3:", ini);
    assert_row("FAIL  config", where);
    assert_row("PASS  fonts", NULL);
    assert_row("SKIP  backend", NULL);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_all_well_passes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_staff_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_down_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_wrong_token_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unwritable_storage_fails, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_config_fails_and_the_rest_still_runs, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
