/* test_backend_sim.c: the real kiosk binary, headless, against scripts/backend-sim on
 * 127.0.0.1: polling with 304s, long-poll, every fault the sim can play (500s, timeouts,
 * truncated and mistyped JSON, 20 MB, invalid UTF-8, a dying server, no server at start).
 * In each case the kiosk stays up, the status file tells the truth, and the last good queue
 * stays on screen. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

static const char *kiosk_bin;
static char dir[64], status_path[128], port_file[128], png_path[128];
static int port;
static pid_t sim_pid, kiosk_pid;

static void start_sim(int on_port)
{
    char port_arg[16], log[128];
    snprintf(port_arg, sizeof(port_arg), "%d", on_port);
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    unlink(port_file);
    const char *argv[] = {"python3",     "scripts/backend-sim",
                          "--port",      port_arg,
                          "--port-file", port_file,
                          "--seed",      "7",
                          "--quiet",     NULL};
    sim_pid = spawn(argv, log);
    port = wait_port_file(port_file);
}

static cJSON *admin(const char *path, const char *json)
{
    return http_json(port, path, json);
}

static void set_mode(const char *mode)
{
    char body[128];
    snprintf(body, sizeof(body), "{\"mode\": \"%s\", \"delay_ms\": 3000}", mode);
    cJSON_Delete(admin("/admin/mode", body));
}

static struct status wait_for(const char *state, const char *error_part)
{
    return status_wait(status_path, state, error_part);
}

static struct status wait_for_version_above(double version)
{
    struct status s = {0};
    for (int i = 0; i < 150; i++, sleep_ms(100))
        if (status_read(status_path, &s) && s.version > version)
            return s;
    fail_msg("status version stayed at %.0f", s.version);
    return s;
}

static void start_kiosk(int long_poll_s)
{
    char url[64], db[128], lp[32], log[128];
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d", port);
    snprintf(db, sizeof(db), "storage.path=%s/k.db", dir);
    snprintf(lp, sizeof(lp), "backend.long_poll_s=%d", long_poll_s);
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    unlink(status_path);
    const char *argv[] = {kiosk_bin,
                          "--headless",
                          "--config",
                          "assets/demo.ini",
                          "--set",
                          "backend.type=http",
                          "--set",
                          url,
                          "--set",
                          lp,
                          "--set",
                          "backend.poll_interval_ms=300",
                          "--set",
                          "backend.timeout_ms=1000",
                          "--set",
                          db,
                          "--status-file",
                          status_path,
                          "--screenshot",
                          png_path,
                          NULL};
    kiosk_pid = spawn(argv, log);
}

static void assert_kiosk_alive(void)
{
    if (!process_alive(kiosk_pid))
        fail_msg("the kiosk died (see %s/kiosk.log)", dir);
}

static int group_setup(void **state)
{
    (void)state;
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    snprintf(dir, sizeof(dir), "/tmp/kiosk-sim-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(status_path, sizeof(status_path), "%s/status.json", dir);
    snprintf(port_file, sizeof(port_file), "%s/port", dir);
    snprintf(png_path, sizeof(png_path), "%s/screen.png", dir);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

static void test_polls_and_gets_304s(void **state)
{
    (void)state;
    start_sim(0);
    start_kiosk(0);
    struct status s = wait_for("online", "");
    assert_true(s.has_model);
    cJSON *call = admin("/admin/call", "{\"room\": \"r1\"}");
    double version = cJSON_GetObjectItem(call, "version")->valuedouble;
    cJSON_Delete(call);
    s = wait_for_version_above(version - 1);
    assert_true(s.version == version);
    sleep_ms(1500); /* a few unchanged polls */
    cJSON *st = admin("/admin/state", NULL);
    cJSON *requests = cJSON_GetObjectItem(st, "requests");
    assert_true(cJSON_GetObjectItem(requests, "queue_304")->valueint >= 2);
    cJSON_Delete(st);
}

/* The sim's clinic table and tickets' issue times reach the screen and the history. */
static void test_clinics_and_waits_arrive(void **state)
{
    (void)state;
    wait_for("online", "");
    cJSON *st = cJSON_Parse(read_text(status_path));
    assert_non_null(st);
    cJSON *clinics = cJSON_GetObjectItem(st, "clinics");
    assert_int_equal(cJSON_GetArraySize(clinics), 8);
    assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(clinics, 0), "doctor")->valuestring,
                        "李明");
    cJSON *call = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "calls"), 0);
    double issued = cJSON_GetObjectItem(call, "issued_at")->valuedouble;
    double called = cJSON_GetObjectItem(call, "called_at")->valuedouble;
    assert_true(issued > 0 && issued <= called); /* E001 arrives as the sim starts: same second */
    cJSON_Delete(st);
    /* Every first call so far (the sim's five and the one above) has its wait. */
    char db_path[160];
    snprintf(db_path, sizeof(db_path), "%s/k.db", dir);
    sqlite3 *db;
    sqlite3_stmt *q;
    assert_int_equal(sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL), SQLITE_OK);
    sqlite3_busy_timeout(db, 2000);
    assert_int_equal(sqlite3_prepare_v2(db,
                                        "SELECT count(*), count(waited_s), min(waited_s) FROM "
                                        "call_history WHERE recall = 0",
                                        -1, &q, NULL),
                     SQLITE_OK);
    assert_int_equal(sqlite3_step(q), SQLITE_ROW);
    assert_true(sqlite3_column_int(q, 0) >= 6);
    assert_int_equal(sqlite3_column_int(q, 1), sqlite3_column_int(q, 0));
    assert_true(sqlite3_column_int(q, 2) >= 0); /* E001 may be called the second it arrives */
    sqlite3_finalize(q);
    sqlite3_close(db);
}

/* Plays a fault; the kiosk must go offline with the reason and keep its last good queue. */
static void check_fault(const char *mode, const char *reason)
{
    struct status before = wait_for("online", "");
    set_mode(mode);
    struct status during = wait_for("offline", reason);
    assert_true(during.has_model);
    assert_true(during.version == before.version);
    assert_kiosk_alive();
    set_mode("normal");
    wait_for("online", "");
}

static void test_server_errors(void **state)
{
    (void)state;
    check_fault("error500", "HTTP 500");
}

static void test_slow_server_times_out(void **state)
{
    (void)state;
    check_fault("delay", "Timeout");
}

static void test_broken_json(void **state)
{
    (void)state;
    check_fault("garbage", "not JSON");
    check_fault("truncated", "not JSON");
    check_fault("close_mid_body", "closed the connection mid-answer");
}

static void test_wrong_types(void **state)
{
    (void)state;
    check_fault("wrong_types", "invalid snapshot");
}

static void test_huge_response(void **state)
{
    (void)state;
    check_fault("huge", "larger than");
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    check_fault("invalid_utf8", "UTF-8");
}

static void test_server_dies_and_returns(void **state)
{
    (void)state;
    struct status before = wait_for("online", "");
    int old_port = port;
    stop_process(&sim_pid);
    struct status during = wait_for("offline", "");
    assert_true(during.version == before.version);
    assert_kiosk_alive();
    start_sim(old_port);
    wait_for("online", "");
}

static void test_long_poll_delivers_calls(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    start_kiosk(20);
    wait_for("online", "");
    sleep_ms(500);
    for (int i = 0; i < 3; i++) {
        cJSON *call = admin("/admin/call", NULL);
        double version = cJSON_GetObjectItem(call, "version")->valuedouble;
        cJSON_Delete(call);
        assert_true(wait_for_version_above(version - 1).version == version);
    }
}

static void test_no_server_at_start(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    int old_port = port;
    stop_process(&sim_pid);
    start_kiosk(0);
    struct status s = wait_for("offline", "");
    assert_kiosk_alive();
    assert_true(s.has_model); /* the queue saved by the earlier runs */
    start_sim(old_port);
    wait_for("online", "");
    stop_process(&kiosk_pid); /* writes the screenshot of the last frame */
    FILE *f = fopen(png_path, "rb");
    assert_non_null(f);
    fclose(f);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_polls_and_gets_304s),
        cmocka_unit_test(test_clinics_and_waits_arrive),
        cmocka_unit_test(test_server_errors),
        cmocka_unit_test(test_slow_server_times_out),
        cmocka_unit_test(test_broken_json),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_huge_response),
        cmocka_unit_test(test_invalid_utf8),
        cmocka_unit_test(test_server_dies_and_returns),
        cmocka_unit_test(test_long_poll_delivers_calls),
        cmocka_unit_test(test_no_server_at_start),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
