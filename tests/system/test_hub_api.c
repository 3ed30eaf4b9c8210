/* test_hub_api.c: the real kiosk-hub between scripts/backend-sim and devices, on 127.0.0.1:
 * kiosk API v1 served from one upstream connection (ETag, 304, long-poll woken by a call),
 * per-device tokens (one revoked alone), ratings kept once however often a kiosk retries,
 * heartbeats, tickets passed upstream under a stable key, the upstream's faults, and a real
 * call screen pointed at the hub showing what one pointed at backend-sim shows. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#define TOKEN_A "hall-a-1-token-0123456789abcdef"
#define TOKEN_B "hall-b-2-token-fedcba9876543210"

static const char *hub_bin, *kiosk_bin;
static char dir[64], hub_port_file[128], sim_port_file[128], db_path[128], devices_path[128];
static int sim_port, hub_port;
static pid_t sim_pid, hub_pid, kiosk_pid, direct_pid;

static void start_hub(const char *upstream_type)
{
    char ini[128], text[1024], log[128];
    snprintf(ini, sizeof ini, "%s/hub.ini", dir);
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\ndevices_file = devices\n"
             "[upstream]\ntype = %s\nurl = http://127.0.0.1:%d\nlong_poll_s = 5\n"
             "poll_interval_ms = 200\ntimeout_ms = 1000\n"
             "[storage]\npath = hub.db\n[qr]\nkey_file = site.key\n",
             upstream_type, sim_port);
    write_text(ini, text);
    snprintf(log, sizeof log, "%s/hub.log", dir);
    unlink(hub_port_file);
    const char *argv[] = {hub_bin, "--config", ini, "--port-file", hub_port_file, NULL};
    hub_pid = spawn(argv, log);
    hub_port = wait_port_file(hub_port_file);
}

static void api(const char *method, const char *path, const char *token, const char *extra,
                const char *body, struct http_answer *a)
{
    char url[256], auth[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", hub_port, path);
    snprintf(auth, sizeof auth, "Authorization: Bearer %s", token ? token : "");
    const char *headers[] = {token ? auth : "X-No-Token: 1", "Content-Type: application/json",
                             extra, NULL};
    http_call(method, url, headers, body, 30000, a);
}

static cJSON *json_of(const struct http_answer *a)
{
    cJSON *j = cJSON_Parse(a->body);
    if (!j)
        fail_msg("not JSON (HTTP %ld): %s", a->status, a->body);
    return j;
}

static double number(const cJSON *o, const char *name)
{
    const cJSON *n = cJSON_GetObjectItemCaseSensitive(o, name);
    assert_true(cJSON_IsNumber(n));
    return n->valuedouble;
}

static const char *first_call(const cJSON *queue)
{
    const cJSON *calls = cJSON_GetObjectItemCaseSensitive(queue, "calls");
    const cJSON *ticket = cJSON_GetObjectItemCaseSensitive(cJSON_GetArrayItem(calls, 0), "ticket");
    return cJSON_IsString(ticket) ? ticket->valuestring : "";
}

/* The hub's queue once it has the upstream's snapshot with a call. */
static cJSON *wait_queue(void)
{
    struct http_answer a;
    for (int i = 0; i < 100; i++, sleep_ms(100)) {
        api("GET", "/api/v1/queue", TOKEN_A, NULL, NULL, &a);
        cJSON *q = a.status == 200 ? json_of(&a) : NULL;
        if (q && first_call(q)[0])
            return q;
        cJSON_Delete(q);
    }
    fail_msg("the hub never served a queue with calls: %ld %s", a.status, a.body);
    return NULL;
}

static int group_setup(void **state)
{
    (void)state;
    hub_bin = getenv("HUB_BIN") ? getenv("HUB_BIN") : "build/kiosk-hub";
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    snprintf(dir, sizeof dir, "/tmp/kiosk-hub-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(hub_port_file, sizeof hub_port_file, "%s/hub.port", dir);
    snprintf(sim_port_file, sizeof sim_port_file, "%s/sim.port", dir);
    snprintf(db_path, sizeof db_path, "%s/hub.db", dir);
    snprintf(devices_path, sizeof devices_path, "%s/devices", dir);
    char key[128];
    snprintf(key, sizeof key, "%s/site.key", dir);
    write_text(key, "0123456789abcdef0123456789abcdef-test-key");
    chmod(key, 0600);
    write_text(devices_path, "# device token\nhall-a-1 " TOKEN_A "\nhall-b-2 " TOKEN_B "\n");
    chmod(devices_path, 0600);
    sim_pid = start_backend_sim(dir, &sim_port);
    signal(SIGHUP, SIG_DFL); /* as systemd starts it; a test run under nohup would pass it on */
    start_hub("http");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&direct_pid);
    stop_process(&hub_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

static void test_queue_etag_and_304(void **state)
{
    (void)state;
    cJSON *q = wait_queue();
    struct http_answer a;
    char etag[64], inm[96], want[64];
    api("GET", "/api/v1/queue", TOKEN_A, NULL, NULL, &a);
    assert_int_equal(a.status, 200);
    assert_true(http_answer_header(&a, "ETag", etag, sizeof etag));
    cJSON *again = json_of(&a);
    snprintf(want, sizeof want, "\"v%.0f\"", number(again, "version"));
    assert_string_equal(etag, want);
    const cJSON *upstream = cJSON_GetObjectItemCaseSensitive(again, "upstream");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(upstream, "state")->valuestring, "online");
    snprintf(inm, sizeof inm, "If-None-Match: W/%s", etag);
    api("GET", "/api/v1/queue", TOKEN_B, inm, NULL, &a);
    assert_int_equal(a.status, 304);
    assert_int_equal(a.len, 0);
    api("GET", "/api/v1/queue", TOKEN_B, "If-None-Match: \"v0\", *", NULL, &a);
    assert_int_equal(a.status, 304);
    api("GET", "/api/v1/queue?wait=soon", TOKEN_A, NULL, NULL, &a);
    assert_int_equal(a.status, 400);
    api("POST", "/api/v1/queue", TOKEN_A, NULL, "{}", &a);
    assert_int_equal(a.status, 405);
    assert_true(http_answer_header(&a, "Allow", etag, sizeof etag));
    cJSON_Delete(again);
    cJSON_Delete(q);
}

static void test_tokens(void **state)
{
    (void)state;
    struct http_answer a;
    char value[128];
    api("GET", "/api/v1/queue", NULL, NULL, NULL, &a);
    assert_int_equal(a.status, 401);
    assert_true(http_answer_header(&a, "WWW-Authenticate", value, sizeof value));
    assert_non_null(strstr(value, "Bearer"));
    api("GET", "/api/v1/queue", "hall-a-1-token-0123456789abcdeX", NULL, NULL, &a);
    assert_int_equal(a.status, 401);
    cJSON *error = json_of(&a);
    assert_true(cJSON_IsString(cJSON_GetObjectItemCaseSensitive(error, "error")));
    cJSON_Delete(error);
    api("GET", "/api/v1/nothing", TOKEN_A, NULL, NULL, &a);
    assert_int_equal(a.status, 404);
}

struct poll_arg {
    double since;
    struct http_answer answer;
};

static void *long_poll(void *arg)
{
    struct poll_arg *p = arg;
    char path[96];
    snprintf(path, sizeof path, "/api/v1/queue?wait=30&since=%.0f", p->since);
    api("GET", path, TOKEN_A, NULL, NULL, &p->answer);
    return NULL;
}

/* Two devices parked on the hub, one call on backend-sim: both get the new snapshot. */
static void test_long_poll_woken_by_a_call(void **state)
{
    (void)state;
    cJSON *q = wait_queue();
    struct poll_arg polls[2] = {{.since = number(q, "version")}, {.since = number(q, "version")}};
    cJSON_Delete(q);
    pthread_t threads[2];
    for (int i = 0; i < 2; i++)
        pthread_create(&threads[i], NULL, long_poll, &polls[i]);
    sleep_ms(500);
    cJSON *called = http_json(sim_port, "/admin/call", "{\"room\": \"r1\"}");
    const char *ticket = cJSON_GetObjectItemCaseSensitive(called, "ticket")->valuestring;
    for (int i = 0; i < 2; i++) {
        pthread_join(threads[i], NULL);
        assert_int_equal(polls[i].answer.status, 200);
        cJSON *next = json_of(&polls[i].answer);
        assert_true(number(next, "version") > polls[i].since);
        assert_string_equal(first_call(next), ticket);
        cJSON_Delete(next);
    }
    cJSON_Delete(called);
}

static void rate(const char *token, const char *key, const char *body, struct http_answer *a)
{
    char header[96];
    snprintf(header, sizeof header, "Idempotency-Key: %s", key);
    api("POST", "/api/v1/ratings", token, header, body, a);
}

static void test_ratings_kept_once(void **state)
{
    (void)state;
    static const char body[] =
        "{\"score\": 4, \"reasons\": [\"friendly staff\"], \"ticket\": \"A023\", \"room\": "
        "\"r3\", \"rated_at\": 1795000900}";
    struct http_answer a;
    char value[16];
    for (int i = 0; i < 3; i++) {
        rate(TOKEN_A, "3b0e8a4c-5d0f-4c1e-9a57-1f0c2a6f9d11", body, &a);
        assert_int_equal(a.status, 201);
        assert_int_equal(http_answer_header(&a, "Idempotent-Replayed", value, sizeof value), i > 0);
    }
    /* The same UUID from another device is another rating. */
    rate(TOKEN_B, "3b0e8a4c-5d0f-4c1e-9a57-1f0c2a6f9d11", body, &a);
    assert_int_equal(a.status, 201);
    rate(TOKEN_A, "3b0e8a4c-5d0f-4c1e-9a57-1f0c2a6f9d11", "{\"score\": 1}", &a);
    assert_int_equal(a.status, 422);
    rate(TOKEN_A, "0c4e7b6a-90a3-4f53-b1f0-6a0b5f5d2c77", "{\"score\": 6}", &a);
    assert_int_equal(a.status, 400);
    rate(TOKEN_A, "0c4e7b6a-90a3-4f53-b1f0-6a0b5f5d2c77", "[1, 2]", &a);
    assert_int_equal(a.status, 400);
    api("POST", "/api/v1/ratings", TOKEN_A, NULL, body, &a);
    assert_int_equal(a.status, 400); /* no Idempotency-Key */
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM ratings WHERE channel = 'kiosk' AND "
                                         "ticket = 'A023' AND room = 'r3'"),
                     2);
}

static void test_heartbeat_for_its_own_device_only(void **state)
{
    (void)state;
    static const char body[] = "{\"version\": \"1.2.0\", \"role\": \"display\", \"uptime_s\": 60, "
                               "\"connection\": \"online\", \"storage_ok\": true}";
    struct http_answer a;
    api("POST", "/api/v1/devices/hall-a-1/heartbeat", TOKEN_A,
        "Idempotency-Key: 0c4e7b6a-90a3-4f53-b1f0-6a0b5f5d2c70", body, &a);
    assert_int_equal(a.status, 204);
    api("POST", "/api/v1/devices/hall-b-2/heartbeat", TOKEN_A,
        "Idempotency-Key: 0c4e7b6a-90a3-4f53-b1f0-6a0b5f5d2c71", body, &a);
    assert_int_equal(a.status, 403);
    assert_int_equal(
        sqlite_int(db_path, "SELECT count(*) FROM heartbeats WHERE device = 'hall-a-1'"), 1);
    assert_int_equal(
        sqlite_int(db_path, "SELECT count(*) FROM heartbeats WHERE device = 'hall-b-2'"), 0);
}

static void test_tickets_go_upstream_once(void **state)
{
    (void)state;
    struct http_answer a;
    char first[32];
    const char *key = "Idempotency-Key: 7d1b7c2e-2f43-4a8e-8f0e-2c7d4b1e9a01";
    api("POST", "/api/v1/tickets", TOKEN_A, key, "{\"service\": \"内科\"}", &a);
    assert_int_equal(a.status, 201);
    cJSON *t = json_of(&a);
    snprintf(first, sizeof first, "%s", cJSON_GetObjectItemCaseSensitive(t, "ticket")->valuestring);
    cJSON_Delete(t);
    api("POST", "/api/v1/tickets", TOKEN_A, key, "{\"service\": \"内科\"}", &a);
    assert_int_equal(a.status, 201);
    t = json_of(&a);
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(t, "ticket")->valuestring, first);
    cJSON_Delete(t);
    api("POST", "/api/v1/checkins", TOKEN_A,
        "Idempotency-Key: 7d1b7c2e-2f43-4a8e-8f0e-2c7d4b1e9a02",
        "{\"appointment_code\": \"000000\"}", &a);
    assert_int_equal(a.status, 404);
    cJSON *state_json = http_json(sim_port, "/admin/state", NULL);
    const cJSON *requests = cJSON_GetObjectItemCaseSensitive(state_json, "requests");
    /* The retry reached backend-sim under the same key: replayed, not a second ticket. */
    assert_int_equal(number(requests, "idempotent_replays"), 1);
    cJSON_Delete(state_json);
}

/* Deleting a device's line shuts that device out within seconds; the other goes on. */
static void test_revoking_one_device(void **state)
{
    (void)state;
    struct http_answer a;
    write_text(devices_path, "hall-a-1 " TOKEN_A "\n");
    for (int i = 0; i < 50; i++, sleep_ms(100)) {
        api("GET", "/api/v1/queue", TOKEN_B, NULL, NULL, &a);
        if (a.status == 401)
            break;
    }
    assert_int_equal(a.status, 401);
    api("GET", "/api/v1/queue", TOKEN_A, NULL, NULL, &a);
    assert_int_equal(a.status, 200);
    write_text(devices_path, "hall-a-1 " TOKEN_A "\nhall-b-2 " TOKEN_B "\n");
}

static void start_display(pid_t *pid, const char *name, int port, const char *token_file)
{
    char url[64], db[128], status[128], log[128], token[160];
    snprintf(url, sizeof url, "backend.url=http://127.0.0.1:%d", port);
    snprintf(db, sizeof db, "storage.path=%s/%s.db", dir, name);
    snprintf(status, sizeof status, "%s/%s.json", dir, name);
    snprintf(log, sizeof log, "%s/%s.log", dir, name);
    snprintf(token, sizeof token, "backend.token_file=%s", token_file);
    const char *argv[] = {kiosk_bin,
                          "--headless",
                          "--config",
                          "assets/demo.ini",
                          "--set",
                          "backend.type=http",
                          "--set",
                          url,
                          "--set",
                          "backend.long_poll_s=20",
                          "--set",
                          db,
                          "--set",
                          token,
                          "--status-file",
                          status,
                          NULL};
    *pid = spawn(argv, log);
}

/* A real call screen on the hub and one on backend-sim itself show the same call. */
static void test_display_on_hub_sees_what_direct_sees(void **state)
{
    (void)state;
    char via_hub[128], direct[128], token_file[128];
    snprintf(token_file, sizeof token_file, "%s/hall-a-1.token", dir);
    write_text(token_file, TOKEN_A "\n");
    chmod(token_file, 0600);
    start_display(&kiosk_pid, "via-hub", hub_port, token_file);
    start_display(&direct_pid, "direct", sim_port, "");
    snprintf(via_hub, sizeof via_hub, "%s/via-hub.json", dir);
    snprintf(direct, sizeof direct, "%s/direct.json", dir);
    status_wait(via_hub, "online", "");
    status_wait(direct, "online", "");
    cJSON *called = http_json(sim_port, "/admin/call", "{\"room\": \"r2\"}");
    const char *ticket = cJSON_GetObjectItemCaseSensitive(called, "ticket")->valuestring;
    status_wait_ticket(via_hub, ticket);
    status_wait_ticket(direct, ticket);
    cJSON_Delete(called);
    stop_process(&kiosk_pid);
    stop_process(&direct_pid);
}

/* The hub's queue once it says its upstream is want: within 30 s (a long-poll of 5 s in
 * flight, then the backoff). */
static cJSON *wait_upstream(const char *want)
{
    struct http_answer a;
    for (int i = 0; i < 300; i++, sleep_ms(100)) {
        api("GET", "/api/v1/queue", TOKEN_A, NULL, NULL, &a);
        cJSON *q = json_of(&a);
        const cJSON *state = cJSON_GetObjectItemCaseSensitive(
            cJSON_GetObjectItemCaseSensitive(q, "upstream"), "state");
        if (cJSON_IsString(state) && strcmp(state->valuestring, want) == 0)
            return q;
        cJSON_Delete(q);
    }
    fail_msg("the hub never said its upstream was %s", want);
    return NULL;
}

/* backend-sim failing in each of these ways: devices keep the last snapshot, and the hub
 * says since when and why its upstream is offline (and a call screen on the hub shows it is);
 * back to normal, online again. */
static void test_upstream_faults(void **state)
{
    (void)state;
    char screen[128], token_file[128];
    snprintf(token_file, sizeof token_file, "%s/hall-a-1.token", dir);
    snprintf(screen, sizeof screen, "%s/faults.json", dir);
    start_display(&kiosk_pid, "faults", hub_port, token_file);
    status_wait(screen, "online", "");
    static const char *const modes[][2] = {
        {"error500", "500"}, {"garbage", ""}, {"huge", ""}, {"down", ""}, {"wrong_types", ""}};
    for (size_t i = 0; i < sizeof modes / sizeof modes[0]; i++) {
        cJSON *before = wait_queue();
        char last[16], body[64];
        snprintf(last, sizeof last, "%s", first_call(before));
        cJSON_Delete(before);
        snprintf(body, sizeof body, "{\"mode\": \"%s\"}", modes[i][0]);
        cJSON_Delete(http_json(sim_port, "/admin/mode", body));
        cJSON *q = wait_upstream("offline");
        assert_string_equal(first_call(q), last);
        const cJSON *upstream = cJSON_GetObjectItemCaseSensitive(q, "upstream");
        assert_true(number(upstream, "since") > 1700000000);
        const cJSON *error = cJSON_GetObjectItemCaseSensitive(upstream, "error");
        assert_true(cJSON_IsString(error) && error->valuestring[0]);
        assert_non_null(strstr(error->valuestring, modes[i][1]));
        cJSON_Delete(q);
        if (i == 0) {
            struct status s = status_wait(screen, "offline", "kiosk-hub has lost");
            assert_string_equal(s.first_ticket, last);
        }
        cJSON_Delete(http_json(sim_port, "/admin/mode", "{\"mode\": \"normal\"}"));
        cJSON_Delete(wait_upstream("online"));
        if (i == 0)
            status_wait(screen, "online", "");
        assert_true(process_alive(hub_pid));
    }
    stop_process(&kiosk_pid);
}

/* `kiosk-hub report`: each kiosk's rating once, however often it was retried. */
static void test_report_counts_kiosk_ratings_once(void **state)
{
    (void)state;
    char ini[128], out[128], err[128];
    snprintf(ini, sizeof ini, "%s/hub.ini", dir);
    snprintf(out, sizeof out, "%s/report.csv", dir);
    snprintf(err, sizeof err, "%s/report.err", dir);
    const char *args[] = {"report", "--config", ini,     "--since", "2026-11-01",
                          "--by",   "room",     "--csv", NULL};
    assert_int_equal(run_program(hub_bin, args, out, err), 0);
    const char *csv = read_text(out);
    assert_non_null(strstr(csv, "table,key,channel,count,"));
    assert_non_null(strstr(csv, ",r3,kiosk,2,4.00,2,0"));
    assert_non_null(strstr(csv, ",r3,phone,0,"));
}

/* --self-test against the running setup, and with a key that is not there. */
static void test_self_test(void **state)
{
    (void)state;
    char ini[128], out[128], err[128];
    snprintf(ini, sizeof ini, "%s/hub.ini", dir);
    snprintf(out, sizeof out, "%s/selftest.out", dir);
    snprintf(err, sizeof err, "%s/selftest.err", dir);
    const char *args[] = {"--self-test", "--config", ini, NULL};
    assert_int_equal(run_program(hub_bin, args, out, err), 0);
    const char *text = read_text(out);
    assert_non_null(strstr(text, "PASS  upstream"));
    assert_non_null(strstr(text, "PASS  devices"));
    assert_non_null(strstr(text, "self-test: PASS"));
    const char *broken[] = {"--self-test", "--config", ini, "--set", "qr.key_file=/nonexistent/key",
                            NULL};
    assert_int_equal(run_program(hub_bin, broken, out, err), 1);
    text = read_text(out);
    assert_non_null(strstr(text, "FAIL  key"));
    assert_non_null(strstr(text, "/nonexistent/key"));
}

/* HTTPS from its own certificate and key: the page answers, verified against that
 * certificate, and plain HTTP on the same port does not. */
static void test_tls(void **state)
{
    (void)state;
    char cert[128], key[128], ini[128], port_file[128], log[128], text[1024], url[128];
    snprintf(cert, sizeof cert, "%s/hub.crt", dir);
    snprintf(key, sizeof key, "%s/hub.pem", dir);
    snprintf(log, sizeof log, "%s/openssl.log", dir);
    const char *req[] = {"req",
                         "-x509",
                         "-newkey",
                         "rsa:2048",
                         "-nodes",
                         "-days",
                         "2",
                         "-subj",
                         "/CN=127.0.0.1",
                         "-addext",
                         "subjectAltName=IP:127.0.0.1",
                         "-keyout",
                         key,
                         "-out",
                         cert,
                         NULL};
    assert_int_equal(run_program("/usr/bin/openssl", req, log, log), 0);
    chmod(key, 0600);
    snprintf(ini, sizeof ini, "%s/tls.ini", dir);
    snprintf(port_file, sizeof port_file, "%s/tls.port", dir);
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\ntls_cert = hub.crt\ntls_key = hub.pem\n"
             "[upstream]\ntype = demo\n[storage]\npath = tls.db\n[qr]\nkey_file = site.key\n");
    write_text(ini, text);
    snprintf(log, sizeof log, "%s/tls.log", dir);
    const char *argv[] = {hub_bin, "--config", ini, "--port-file", port_file, NULL};
    pid_t pid = spawn(argv, log);
    int port = wait_port_file(port_file);
    char out[128], err[128];
    snprintf(out, sizeof out, "%s/curl.out", dir);
    snprintf(err, sizeof err, "%s/curl.err", dir);
    snprintf(url, sizeof url, "https://127.0.0.1:%d/s/hub.css", port);
    const char *https[] = {"-sS", "--cacert",     cert, "-o", "/dev/null",
                           "-w",  "%{http_code}", url,  NULL};
    assert_int_equal(run_program("/usr/bin/curl", https, out, err), 0);
    assert_string_equal(read_text(out), "200");
    snprintf(url, sizeof url, "http://127.0.0.1:%d/s/hub.css", port);
    const char *plain[] = {"-sS", "-m", "5", "-o", "/dev/null", url, NULL};
    assert_int_not_equal(run_program("/usr/bin/curl", plain, out, err), 0);
    stop_process(&pid);
}

/* A demo upstream takes no tickets: a clear JSON error the kiosk can show, not a retry. */
static void test_demo_upstream_refuses_tickets(void **state)
{
    (void)state;
    stop_process(&hub_pid);
    start_hub("demo");
    struct http_answer a;
    api("POST", "/api/v1/tickets", TOKEN_A, "Idempotency-Key: 7d1b7c2e-2f43-4a8e-8f0e-2c7d4b1e9a09",
        "{\"service\": \"内科\"}", &a);
    assert_int_equal(a.status, 404);
    cJSON *error = json_of(&a);
    assert_non_null(strstr(cJSON_GetObjectItemCaseSensitive(error, "error")->valuestring, "desk"));
    cJSON_Delete(error);
    /* The ratings kept before the restart are still there. */
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM ratings WHERE channel = 'kiosk'"),
                     2);
}

/* SIGHUP (kiosk-hub run from a terminal that closed, or `kill -HUP` expecting a reload it does
 * not have) stops it as SIGTERM does: said in the log, the database closed (the last
 * connection checkpoints and removes the -wal file), exit status 0. */
static void test_sighup_is_an_orderly_stop(void **state)
{
    (void)state;
    char wal[160], log[128];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    snprintf(log, sizeof log, "%s/hub.log", dir);
    cJSON_Delete(wait_queue());
    assert_int_equal(access(wal, F_OK), 0);
    pid_t pid = hub_pid;
    hub_pid = 0;
    kill(pid, SIGHUP);
    int status = -1;
    for (int i = 0; i < 200 && waitpid(pid, &status, WNOHANG) != pid; i++)
        sleep_ms(100);
    if (status == -1) {
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
        fail_msg("kiosk-hub did not stop within 20 s of SIGHUP");
    }
    if (WIFSIGNALED(status))
        fail_msg("kiosk-hub died of signal %d on SIGHUP (see %s)", WTERMSIG(status), log);
    assert_int_equal(WEXITSTATUS(status), 0);
    assert_non_null(strstr(read_text(log), "stopping (Hangup)"));
    assert_int_not_equal(access(wal, F_OK), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_queue_etag_and_304),
        cmocka_unit_test(test_tokens),
        cmocka_unit_test(test_long_poll_woken_by_a_call),
        cmocka_unit_test(test_ratings_kept_once),
        cmocka_unit_test(test_heartbeat_for_its_own_device_only),
        cmocka_unit_test(test_tickets_go_upstream_once),
        cmocka_unit_test(test_revoking_one_device),
        cmocka_unit_test(test_display_on_hub_sees_what_direct_sees),
        cmocka_unit_test(test_upstream_faults),
        cmocka_unit_test(test_report_counts_kiosk_ratings_once),
        cmocka_unit_test(test_self_test),
        cmocka_unit_test(test_tls),
        cmocka_unit_test(test_demo_upstream_refuses_tickets),
        cmocka_unit_test(test_sighup_is_an_orderly_stop),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
