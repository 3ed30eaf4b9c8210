/* test_peers.c: the real kiosk against tests/system/peer_sim.py standing in for OpenMRS and Novo
 * SGA: for OpenMRS the login checked on /session, its session cookie instead of a password on
 * every poll, a refused login told and not retried, the waiting list; for Novo SGA the password
 * grant, renewal before the token expires, and a fresh login after a 401 (the server forgot its
 * tokens), with calls still flowing. */
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

static char dir[64], status_path[128], log_path[128];
static int port;
static pid_t sim_pid, kiosk_pid;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Starts the stand-in with tokens valid for lifetime seconds. */
static int start(const char *lifetime)
{
    char port_file[128], password[128], secret[128], sim_log[128];
    snprintf(dir, sizeof(dir), "/tmp/kiosk-peers-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path_in(status_path, sizeof(status_path), "status.json");
    path_in(log_path, sizeof(log_path), "kiosk.log");
    path_in(port_file, sizeof(port_file), "port");
    path_in(password, sizeof(password), "password");
    path_in(secret, sizeof(secret), "client-secret");
    path_in(sim_log, sizeof(sim_log), "sim.log");
    write_text(password, "secret\n");
    write_text(secret, "client-secret\n");
    const char *argv[] = {"python3", "tests/system/peer_sim.py", "--port-file",
                          port_file, "--token-lifetime",         lifetime,
                          NULL};
    sim_pid = spawn(argv, sim_log);
    port = wait_port_file(port_file);
    return 0;
}

static int setup(void **state)
{
    (void)state;
    return start("3600");
}

/* 62 s tokens, renewed 60 s early: every poll after the first two seconds renews. */
static int setup_short_tokens(void **state)
{
    (void)state;
    return start("62");
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

static void start_kiosk(const char *type, const char *url_path)
{
    char type_set[64], url[128], db[128], pass[160], secret[160];
    snprintf(type_set, sizeof(type_set), "backend.type=%s", type);
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d%s", port, url_path);
    snprintf(db, sizeof(db), "storage.path=%s/%s.db", dir, type);
    snprintf(pass, sizeof(pass), "backend.password_file=%s/password", dir);
    snprintf(secret, sizeof(secret), "backend.client_secret_file=%s/client-secret", dir);
    unlink(status_path);
    const char *argv[] = {getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk",
                          "--headless",
                          "--config",
                          "assets/demo.ini",
                          "--set",
                          type_set,
                          "--set",
                          url,
                          "--set",
                          "backend.username=kiosk",
                          "--set",
                          pass,
                          "--set",
                          secret,
                          "--set",
                          "backend.client_id=kiosk-client",
                          "--set",
                          "backend.unit=1",
                          "--set",
                          "backend.services=1,2",
                          "--set",
                          "backend.poll_interval_ms=300",
                          "--set",
                          db,
                          "--status-file",
                          status_path,
                          NULL};
    kiosk_pid = spawn(argv, log_path);
}

static int counter(const char *name)
{
    cJSON *st = http_json(port, "/admin/state", NULL);
    int value = cJSON_GetObjectItem(st, name)->valueint;
    cJSON_Delete(st);
    return value;
}

/* The model in the status file (the caller deletes it). */
static cJSON *status_model(void)
{
    const char *text = read_text(status_path);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    assert_non_null(j);
    return j;
}

static void post_openmrs(const char *json)
{
    cJSON_Delete(http_json(port, "/admin/openmrs", json));
}

/* One login (GET /session with Basic), then the session cookie on every poll: OpenMRS makes
 * each Basic request a fresh authentication. */
static void test_openmrs_calls_reach_the_screen(void **state)
{
    (void)state;
    start_kiosk("openmrs", "/openmrs");
    status_wait(status_path, "online", "");
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "TR-008");
    for (int i = 0; i < 100 && counter("om_session_polls") < 6; i++)
        sleep_ms(100);
    assert_true(counter("om_session_polls") >= 6);
    assert_int_equal(counter("om_basic_auths"), 1);
    assert_true(process_alive(kiosk_pid));
}

/* OpenMRS forgot the session (a restart): the 401 brings one new login, calls flow on. */
static void test_openmrs_logs_in_again_after_a_401(void **state)
{
    (void)state;
    start_kiosk("openmrs", "/openmrs");
    status_wait(status_path, "online", "");
    post_openmrs("{\"forget_sessions\": true}");
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "TR-008");
    assert_true(counter("om_stale_401") >= 1);
    assert_int_equal(counter("om_basic_auths"), 2);
    status_wait(status_path, "online", "");
}

/* active-tickets answers a wrong password as anonymous; /session tells the refusal, which is
 * shown and not retried for 5 minutes (each try on a locked account locks it again). */
static void test_openmrs_wrong_password_not_authorized(void **state)
{
    (void)state;
    char password[128];
    path_in(password, sizeof(password), "password");
    write_text(password, "wrong\n");
    start_kiosk("openmrs", "/openmrs");
    struct status s = status_wait(status_path, "offline", "not authorized");
    assert_non_null(strstr(s.error, "wrong user name or password, or the account is locked"));
    sleep_ms(3000); /* 10 polls at 300 ms, and more with the back-off */
    assert_int_equal(counter("om_failed_logins"), 1);
    assert_int_equal(counter("om_basic_auths"), 1);
    assert_true(process_alive(kiosk_pid));
}

static cJSON *waiting_item(cJSON *model, int i)
{
    return cJSON_GetArrayItem(cJSON_GetObjectItem(model, "waiting"), i);
}

/* Who waits, with priorities, from queue-entry; the call of a waiting ticket keeps its
 * priority and the time it entered the queue (its wait, for the off-peak chart). */
static void test_openmrs_waiting_list(void **state)
{
    (void)state;
    start_kiosk("openmrs", "/openmrs");
    status_wait(status_path, "online", "");
    cJSON *m = NULL;
    for (int i = 0; i < 150; i++, sleep_ms(100)) {
        cJSON_Delete(m);
        m = status_model();
        if (cJSON_GetArraySize(cJSON_GetObjectItem(m, "waiting")) == 2)
            break;
    }
    assert_false(cJSON_IsTrue(cJSON_GetObjectItem(m, "waiting_unknown")));
    assert_string_equal(cJSON_GetObjectItem(waiting_item(m, 0), "ticket")->valuestring, "TR-002");
    assert_string_equal(cJSON_GetObjectItem(waiting_item(m, 0), "priority")->valuestring,
                        "emergency");
    assert_string_equal(cJSON_GetObjectItem(waiting_item(m, 1), "ticket")->valuestring, "TR-003");
    assert_string_equal(cJSON_GetObjectItem(waiting_item(m, 1), "priority")->valuestring, "normal");
    assert_int_equal(cJSON_GetObjectItem(m, "avg_wait_min")->valueint, 18);
    cJSON_Delete(m);
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A002\"}"));
    status_wait_ticket(status_path, "TR-002");
    m = status_model();
    cJSON *call = cJSON_GetArrayItem(cJSON_GetObjectItem(m, "calls"), 0);
    assert_string_equal(cJSON_GetObjectItem(call, "priority")->valuestring, "emergency");
    assert_int_equal(cJSON_GetObjectItem(call, "issued_at")->valuedouble, 1772432045);
    cJSON_Delete(m);
}

/* Without the privilege to read queue entries the calls still flow, the waiting list is
 * unknown, the log says so once and the self-test names the privilege. */
static void test_openmrs_queue_privilege_missing(void **state)
{
    (void)state;
    post_openmrs("{\"queue_privilege\": false}");
    start_kiosk("openmrs", "/openmrs");
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "TR-008");
    status_wait(status_path, "online", "");
    cJSON *m = status_model();
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(m, "waiting_unknown")));
    cJSON_Delete(m);
    assert_true(counter("om_queue_403") >= 1);
    const char *log = read_text(log_path);
    assert_non_null(log);
    const char *first = strstr(log, "Get Queue Entries");
    assert_non_null(first);
    assert_null(strstr(first + 1, "Get Queue Entries"));
    stop_process(&kiosk_pid);

    char url[128], pass[160], out[128], err[128];
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d/openmrs", port);
    snprintf(pass, sizeof(pass), "backend.password_file=%s/password", dir);
    path_in(out, sizeof(out), "selftest.out");
    path_in(err, sizeof(err), "selftest.err");
    const char *args[] = {"--self-test", "--headless",
                          "--config",    "assets/demo.ini",
                          "--set",       "backend.type=openmrs",
                          "--set",       url,
                          "--set",       "backend.username=kiosk",
                          "--set",       pass,
                          NULL};
    run_program(getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk", args, out, err);
    const char *report = read_text(out);
    assert_non_null(report);
    if (!strstr(report, "privilege \"Get Queue Entries\""))
        fail_msg("self-test: %s", report);
}

static void test_novosga_renews_its_token_before_expiry(void **state)
{
    (void)state;
    start_kiosk("novosga", "");
    status_wait(status_path, "online", "");
    status_wait_ticket(status_path, "A007");
    assert_int_equal(counter("logins"), 1);
    sleep_ms(3000);
    assert_true(counter("refreshes") >= 1); /* renewed without a new password login */
    assert_int_equal(counter("logins"), 1);
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "A008");
}

static void test_novosga_logs_in_again_after_a_401(void **state)
{
    (void)state;
    start_kiosk("novosga", "");
    status_wait_ticket(status_path, "A007");
    cJSON_Delete(http_json(port, "/admin/revoke", "{}")); /* the server forgets its tokens */
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "A008");
    assert_true(counter("panel_401") >= 1);
    assert_true(counter("logins") >= 2);
    assert_true(process_alive(kiosk_pid));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_openmrs_calls_reach_the_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_openmrs_logs_in_again_after_a_401, setup, teardown),
        cmocka_unit_test_setup_teardown(test_openmrs_wrong_password_not_authorized, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_openmrs_waiting_list, setup, teardown),
        cmocka_unit_test_setup_teardown(test_openmrs_queue_privilege_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_novosga_renews_its_token_before_expiry,
                                        setup_short_tokens, teardown),
        cmocka_unit_test_setup_teardown(test_novosga_logs_in_again_after_a_401, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
