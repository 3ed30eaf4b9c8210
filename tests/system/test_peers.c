/* test_peers.c: the real kiosk against tests/system/peer_sim.py standing in for OpenMRS and Novo
 * SGA: for OpenMRS the login checked on /session, its session cookie instead of a password on
 * every poll, a refused login told and not retried, the waiting list; for Novo SGA the password
 * grant, renewal before the token expires, and a fresh login after a 401 (the server forgot its
 * tokens), with calls still flowing; the token path of each version (v2.1, v2.2, v2.2 behind its
 * login page) and its refusals in words. */
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
#include "model/model.h"

static char dir[64], status_path[128], log_path[128];
static int port;
static pid_t sim_pid, kiosk_pid;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Starts the stand-in with tokens valid for lifetime seconds, as Novo SGA version (see
 * peer_sim.py --novosga). */
static int start_version(const char *lifetime, const char *version)
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
    const char *argv[] = {"python3",
                          "tests/system/peer_sim.py",
                          "--port-file",
                          port_file,
                          "--token-lifetime",
                          lifetime,
                          "--novosga",
                          version,
                          NULL};
    sim_pid = spawn(argv, sim_log);
    port = wait_port_file(port_file);
    return 0;
}

static int start(const char *lifetime)
{
    return start_version(lifetime, "2.1");
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

static int setup_v21_short_tokens(void **state)
{
    (void)state;
    return start_version("62", "2.1");
}

static int setup_v22_short_tokens(void **state)
{
    (void)state;
    return start_version("62", "2.2");
}

static int setup_v22_firewall_short_tokens(void **state)
{
    (void)state;
    return start_version("62", "2.2-firewall");
}

static int setup_v22(void **state)
{
    (void)state;
    return start_version("3600", "2.2");
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

/* The kiosk's arguments after its binary: headless on assets/demo.ini, its backend the
 * stand-in as type, then extra (NULL-ended, may be NULL). Strings live in static buffers. */
static const char *const *kiosk_args(const char *type, const char *url_path,
                                     const char *const *extra)
{
    static char type_set[64], url[128], db[128], pass[160], secret[160];
    static const char *args[64];
    snprintf(type_set, sizeof(type_set), "backend.type=%s", type);
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d%s", port, url_path);
    snprintf(db, sizeof(db), "storage.path=%s/%s.db", dir, type);
    snprintf(pass, sizeof(pass), "backend.password_file=%s/password", dir);
    snprintf(secret, sizeof(secret), "backend.client_secret_file=%s/client-secret", dir);
    const char *fixed[] = {"--headless",
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
                           db};
    size_t n = 0;
    for (size_t i = 0; i < sizeof(fixed) / sizeof(fixed[0]); i++)
        args[n++] = fixed[i];
    for (size_t i = 0; extra && extra[i] && n + 1 < sizeof(args) / sizeof(args[0]); i++)
        args[n++] = extra[i];
    args[n] = NULL;
    return args;
}

static const char *kiosk_bin(void)
{
    return getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
}

static void start_kiosk(const char *type, const char *url_path)
{
    unlink(status_path);
    const char *extra[] = {"--status-file", status_path, NULL};
    const char *const *args = kiosk_args(type, url_path, extra);
    const char *argv[66] = {kiosk_bin()};
    for (size_t i = 0; args[i]; i++)
        argv[i + 1] = args[i];
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

/* A Novo SGA error the kiosk reported (the feed logs every failed poll). */
static bool backend_failed(void)
{
    const char *log = read_text(log_path);
    return log && strstr(log, "novosga backend:");
}

/* Short tokens: the first login and then a refresh on every poll, each to the path given. */
static void expect_token_path(int oauth2_posts_max, int api_posts_max)
{
    start_kiosk("novosga", "");
    status_wait_ticket(status_path, "A007");
    sleep_ms(3000);
    assert_true(counter("refreshes") >= 1);
    assert_int_equal(counter("logins"), 1);
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "A008");
    int oauth2 = counter("oauth2_token_posts"), api = counter("api_token_posts");
    if (oauth2 > oauth2_posts_max || api > api_posts_max || oauth2 + api < 2)
        fail_msg("token posts: %d to /oauth2/token, %d to /api/token", oauth2, api);
    assert_false(backend_failed()); /* the probe is no failure */
}

/* v2.1 has no /oauth2/token: one probe (404), then /api/token for every login and refresh. */
static void test_novosga_v21_probes_once_then_uses_api_token(void **state)
{
    (void)state;
    expect_token_path(1, 1000);
    assert_int_equal(counter("oauth2_token_posts"), 1);
}

/* v2.2 answers on /oauth2/token: the deprecated /api/token is never asked. */
static void test_novosga_v22_uses_oauth2_token(void **state)
{
    (void)state;
    expect_token_path(1000, 0);
}

/* v2.2 sending an anonymous POST to its login page (302): /api/token, found once. */
static void test_novosga_v22_behind_login_page_falls_back(void **state)
{
    (void)state;
    expect_token_path(1, 1000);
    assert_int_equal(counter("oauth2_token_posts"), 1);
}

/* A wrong password, refused the v2.2 way (400 invalid_grant): the status file and the
 * self-test say so in words, not "HTTP 400". */
static void test_novosga_v22_wrong_password_in_words(void **state)
{
    (void)state;
    char password[128], out[128], err[128];
    path_in(password, sizeof(password), "password");
    path_in(out, sizeof(out), "self-test.out");
    path_in(err, sizeof(err), "self-test.err");
    write_text(password, "not-the-password\n");
    start_kiosk("novosga", "");
    status_wait(status_path, "offline", "wrong username or password");
    assert_true(counter("refused") >= 1);
    assert_int_equal(counter("logins"), 0);
    assert_true(process_alive(kiosk_pid));
    const char *log = read_text(log_path);
    assert_non_null(strstr(log, "The user credentials were incorrect."));

    const char *extra[] = {"--self-test", NULL};
    run_program(kiosk_bin(), kiosk_args("novosga", "", extra), out, err);
    const char *table = read_text(out);
    if (!strstr(table, "wrong username or password"))
        fail_msg("self-test output lacks the reason:\n%s", table);
}

/* v2.2 refuses a revoked refresh token with 401 invalid_request: a password login follows at
 * once, and nothing is reported as an error. */
static void test_novosga_v22_refused_refresh_logs_in(void **state)
{
    (void)state;
    start_kiosk("novosga", "");
    status_wait_ticket(status_path, "A007");
    cJSON_Delete(http_json(port, "/admin/revoke", "{}"));
    cJSON_Delete(http_json(port, "/admin/call", "{\"ticket\": \"A008\"}"));
    status_wait_ticket(status_path, "A008");
    assert_true(counter("panel_401") >= 1);
    assert_true(counter("refused") >= 1);
    assert_true(counter("logins") >= 2);
    assert_false(backend_failed());
    assert_non_null(strstr(read_text(log_path), "The resource server rejected the request."));
}

/* The call in the status file for ticket; fails the test when there is none. */
static const cJSON *status_call(const cJSON *status, const char *ticket)
{
    const cJSON *call;
    cJSON_ArrayForEach(call, cJSON_GetObjectItem(status, "calls"))
    {
        if (strcmp(cJSON_GetStringValue(cJSON_GetObjectItem(call, "ticket")), ticket) == 0)
            return call;
    }
    fail_msg("no call %s in the status file", ticket);
    return NULL;
}

static void assert_priority(const cJSON *status, const char *ticket, const char *priority,
                            const char *name)
{
    const cJSON *call = status_call(status, ticket);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(call, "priority")), priority);
    assert_string_equal(cJSON_GetStringValue(cJSON_GetObjectItem(call, "priority_name")), name);
}

/* The site's priority names reach the model: a long Chinese one cut by whole characters
 * (31 of them), 急诊 an emergency by the default emergency_names, 老年人 a priority of its own
 * kind. The frame is kept for docs (SCREENSHOT_DIR). */
static void test_novosga_priority_names_reach_the_screen(void **state)
{
    (void)state;
    static const char long_name[] = "老年人、孕产妇、残疾人、现役军人及其他依法享有优先就诊权利"
                                    "的患者优先窗口专用号段（需出示有效证件）";
    char png[128], call[512];
    path_in(png, sizeof(png), "priority.png");
    cJSON_Delete(http_json(port, "/admin/call",
                           "{\"ticket\": \"B021\", \"counter\": 3, \"prioridade\": \"老年人\", "
                           "\"peso\": 1}"));
    cJSON_Delete(http_json(port, "/admin/call",
                           "{\"ticket\": \"E003\", \"counter\": 4, \"prioridade\": \"急诊\", "
                           "\"peso\": 2}"));
    snprintf(call, sizeof(call),
             "{\"ticket\": \"P015\", \"counter\": 1, \"prioridade\": \"%s\", \"peso\": 1}",
             long_name);
    cJSON_Delete(http_json(port, "/admin/call", call));
    unlink(status_path);
    const char *extra[] = {"--status-file", status_path, "--screenshot", png, NULL};
    const char *const *args = kiosk_args("novosga", "", extra);
    const char *argv[66] = {kiosk_bin()};
    for (size_t i = 0; args[i]; i++)
        argv[i + 1] = args[i];
    kiosk_pid = spawn(argv, log_path);
    status_wait_ticket(status_path, "P015");
    cJSON *status = cJSON_Parse(read_text(status_path));
    assert_non_null(status);
    char cut[MODEL_NAME_MAX];
    snprintf(cut, sizeof(cut), "%.*s", (int)((sizeof(cut) - 1) / 3 * 3), long_name);
    assert_priority(status, "P015", "other", cut);
    assert_priority(status, "E003", "emergency", "急诊");
    assert_priority(status, "B021", "other", "老年人");
    assert_null(cJSON_GetObjectItem(status_call(status, "A007"), "priority_name"));
    cJSON_Delete(status);
    stop_process(&kiosk_pid);
    keep_screenshot(png, "novosga-priority-names.png");
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
        cmocka_unit_test_setup_teardown(test_novosga_v21_probes_once_then_uses_api_token,
                                        setup_v21_short_tokens, teardown),
        cmocka_unit_test_setup_teardown(test_novosga_v22_uses_oauth2_token, setup_v22_short_tokens,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_novosga_v22_behind_login_page_falls_back,
                                        setup_v22_firewall_short_tokens, teardown),
        cmocka_unit_test_setup_teardown(test_novosga_v22_wrong_password_in_words, setup_v22,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_novosga_v22_refused_refresh_logs_in, setup_v22,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_novosga_priority_names_reach_the_screen, setup_v22,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
