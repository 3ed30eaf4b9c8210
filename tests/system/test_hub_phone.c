/* test_hub_phone.c: the pages behind the QR codes, over HTTP on the real kiosk-hub with
 * backend-sim upstream: a waiting ticket's position, its call, one rating per ticket (a second
 * replaces it), screen codes limited per address, forged and expired codes, complaints with
 * and without consent, results sent on to the portal, the live updates' event stream, and the
 * headers that keep the token in the URL to ourselves. (The same walk in a real browser is
 * tests/browser/.) */
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
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "qr/token.h"

static const char *hub_bin;
static char dir[64], hub_port_file[128], db_path[128];
static int sim_port, hub_port;
static pid_t sim_pid, hub_pid;
static struct token_key key;

static void start_hub(void)
{
    char ini[128], text[1024], log[128];
    snprintf(ini, sizeof ini, "%s/hub.ini", dir);
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\nhospital_zh = 示例医院\nhospital_en = Example "
             "Hospital\ncomplaints_phone = 010-12345678\nratings_per_address = 2\n"
             "[upstream]\ntype = http\nurl = http://127.0.0.1:%d\nlong_poll_s = 20\n"
             "poll_interval_ms = 200\n[storage]\npath = hub.db\n[qr]\nkey_file = site.key\n"
             "[web]\nresults_portal = https://results.example/v?visit={visit}&d={date}\n",
             sim_port);
    write_text(ini, text);
    snprintf(log, sizeof log, "%s/hub.log", dir);
    const char *argv[] = {hub_bin, "--config", ini, "--port-file", hub_port_file, NULL};
    hub_pid = spawn(argv, log);
    hub_port = wait_port_file(hub_port_file);
}

static void issue(enum token_purpose purpose, const char *ticket, const char *room,
                  int64_t issued_at, int64_t expires_at, char *out)
{
    struct token t = {.purpose = purpose, .issued_at = issued_at, .expires_at = expires_at};
    snprintf(t.device, sizeof t.device, "kiosk-1");
    snprintf(t.ticket, sizeof t.ticket, "%s", ticket);
    snprintf(t.room, sizeof t.room, "%s", room);
    assert_true(token_issue(&key, &t, out, TOKEN_TEXT_MAX));
}

static void get(const char *path, const char *extra, struct http_answer *a)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", hub_port, path);
    const char *headers[] = {"Accept-Language: zh-CN,zh;q=0.9,en;q=0.8", extra, NULL};
    http_call("GET", url, headers, NULL, 30000, a);
}

static void post(const char *path, const char *form, const char *extra, struct http_answer *a)
{
    char url[512];
    snprintf(url, sizeof url, "http://127.0.0.1:%d%s", hub_port, path);
    const char *headers[] = {"Content-Type: application/x-www-form-urlencoded",
                             "Accept-Language: en-GB,en;q=0.9", extra, NULL};
    http_call("POST", url, headers, form, 30000, a);
}

/* The first ticket waiting on backend-sim, once the hub has the snapshot. */
static void waiting_ticket(char *ticket, size_t size, int *position)
{
    cJSON *state = http_json(sim_port, "/admin/state", NULL);
    const cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(state, "waiting"), 2);
    snprintf(ticket, size, "%s", cJSON_GetObjectItemCaseSensitive(w, "ticket")->valuestring);
    *position = cJSON_GetObjectItemCaseSensitive(w, "position")->valueint;
    cJSON_Delete(state);
}

static int group_setup(void **state)
{
    (void)state;
    hub_bin = getenv("HUB_BIN") ? getenv("HUB_BIN") : "build/kiosk-hub";
    setenv("TZ", "UTC", 1); /* the results portal's {date} */
    snprintf(dir, sizeof dir, "/tmp/kiosk-phone-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(hub_port_file, sizeof hub_port_file, "%s/hub.port", dir);
    snprintf(db_path, sizeof db_path, "%s/hub.db", dir);
    char key_path[128], *err = NULL;
    snprintf(key_path, sizeof key_path, "%s/site.key", dir);
    write_text(key_path, "0123456789abcdef0123456789abcdef-phone-key");
    chmod(key_path, 0600);
    if (!token_key_load(key_path, &key, &err))
        return -1;
    sim_pid = start_backend_sim(dir, &sim_port);
    start_hub();
    struct http_answer a;
    for (int i = 0; i < 100; i++, sleep_ms(100)) { /* the first snapshot */
        char ticket[16];
        int position;
        waiting_ticket(ticket, sizeof ticket, &position);
        char t[TOKEN_TEXT_MAX], path[256];
        issue(TOKEN_SURVEY, ticket, "", time(NULL), time(NULL) + 3600, t);
        snprintf(path, sizeof path, "/r/%s", t);
        get(path, NULL, &a);
        if (strstr(a.body, "data-state=\"waiting\"") && strstr(a.body, "class=\"ticket\""))
            break;
    }
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&hub_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

static void assert_private(const struct http_answer *a)
{
    char value[512];
    assert_true(http_answer_header(a, "Content-Security-Policy", value, sizeof value));
    assert_non_null(strstr(value, "default-src 'none'"));
    assert_non_null(strstr(value, "frame-ancestors 'none'"));
    assert_true(http_answer_header(a, "Referrer-Policy", value, sizeof value));
    assert_string_equal(value, "no-referrer");
    assert_true(http_answer_header(a, "X-Content-Type-Options", value, sizeof value));
    assert_string_equal(value, "nosniff");
    assert_true(http_answer_header(a, "X-Frame-Options", value, sizeof value));
    assert_string_equal(value, "DENY");
}

static void test_waiting_ticket_shows_its_place(void **state)
{
    (void)state;
    char ticket[16], t[TOKEN_TEXT_MAX], path[256], ahead[64];
    int position;
    struct http_answer a;
    waiting_ticket(ticket, sizeof ticket, &position);
    issue(TOKEN_SURVEY, ticket, "", time(NULL), time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/r/%s", t);
    get(path, NULL, &a);
    assert_int_equal(a.status, 200);
    assert_private(&a);
    assert_non_null(strstr(a.body, "<html lang=\"zh-CN\""));
    assert_non_null(strstr(a.body, ticket));
    assert_non_null(strstr(a.body, "data-state=\"waiting\""));
    snprintf(ahead, sizeof ahead, "前面还有 %d 人", position - 1);
    assert_non_null(strstr(a.body, ahead));
    assert_non_null(strstr(a.body, "http-equiv=\"refresh\"")); /* without JavaScript */
    /* English by the switch, kept in a cookie. */
    snprintf(path, sizeof path, "/r/%s?lang=en", t);
    get(path, NULL, &a);
    char cookie[256];
    assert_true(http_answer_header(&a, "Set-Cookie", cookie, sizeof cookie));
    assert_non_null(strstr(cookie, "hub_lang=en"));
    assert_non_null(strstr(cookie, "HttpOnly"));
    assert_non_null(strstr(cookie, "SameSite=Lax"));
    snprintf(ahead, sizeof ahead, "%d ahead", position - 1);
    assert_non_null(strstr(a.body, ahead));
}

struct live_arg {
    char path[256];
    char last_id[32];
    struct http_answer answer;
};

static void *live(void *arg)
{
    struct live_arg *l = arg;
    char header[64];
    snprintf(header, sizeof header, "Last-Event-ID: %s", l->last_id);
    get(l->path, header, &l->answer);
    return NULL;
}

/* The live stream holds until the queue moves, then says where to go. */
static void test_call_reaches_the_live_stream(void **state)
{
    (void)state;
    cJSON *st = http_json(sim_port, "/admin/state", NULL);
    const cJSON *w = cJSON_GetArrayItem(cJSON_GetObjectItemCaseSensitive(st, "waiting"), 0);
    char ticket[16], t[TOKEN_TEXT_MAX];
    snprintf(ticket, sizeof ticket, "%s",
             cJSON_GetObjectItemCaseSensitive(w, "ticket")->valuestring);
    cJSON_Delete(st);
    issue(TOKEN_SURVEY, ticket, "", time(NULL), time(NULL) + 3600, t);
    struct live_arg l;
    snprintf(l.path, sizeof l.path, "/r/%s/events", t);
    get(l.path, NULL, &l.answer); /* at once, with the version to wait from */
    assert_int_equal(l.answer.status, 200);
    char type[64];
    assert_true(http_answer_header(&l.answer, "Content-Type", type, sizeof type));
    assert_non_null(strstr(type, "text/event-stream"));
    const char *id = strstr(l.answer.body, "\nid: ");
    assert_non_null(id);
    snprintf(l.last_id, sizeof l.last_id, "%.*s", (int)strcspn(id + 5, "\n"), id + 5);
    pthread_t thread;
    pthread_create(&thread, NULL, live, &l);
    sleep_ms(500);
    cJSON *called = http_json(sim_port, "/admin/call", "{\"room\": \"r3\"}");
    assert_string_equal(cJSON_GetObjectItemCaseSensitive(called, "ticket")->valuestring, ticket);
    cJSON_Delete(called);
    pthread_join(thread, NULL);
    assert_int_equal(l.answer.status, 200);
    assert_non_null(strstr(l.answer.body, "data-state=\"called\""));
    assert_non_null(strstr(l.answer.body, "3 号诊室"));
    assert_null(strstr(l.answer.body, "\ndata: \n")); /* one line of markup */
}

static void test_one_rating_per_ticket(void **state)
{
    (void)state;
    char t[TOKEN_TEXT_MAX], path[256];
    struct http_answer a;
    issue(TOKEN_SURVEY, "A901", "r2", time(NULL) - 7200, time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/r/%s", t);
    post(path, "score=2&tag=1&comment=%E7%AD%89%E5%A4%AA%E4%B9%85", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_private(&a);
    assert_non_null(strstr(a.body, "class=\"thanks\""));
    post(path, "score=5&tag=2", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM ratings WHERE channel = 'phone' AND "
                                         "ticket = 'A901'"),
                     1);
    assert_int_equal(sqlite_int(db_path, "SELECT score FROM ratings WHERE ticket = 'A901'"), 5);
    /* The page now says it was rated, with the choice kept. */
    get(path, NULL, &a);
    assert_non_null(strstr(a.body, "value=\"5\" checked"));
    post(path, "score=9", NULL, &a);
    assert_int_equal(a.status, 400);
    assert_non_null(strstr(a.body, "role=\"alert\""));
}

static void test_screen_codes_limited_per_address(void **state)
{
    (void)state;
    char t[TOKEN_TEXT_MAX], path[256];
    struct http_answer a;
    issue(TOKEN_SURVEY, "", "r1", time(NULL), time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/r/%s", t);
    get(path, NULL, &a);
    assert_non_null(strstr(a.body, "data-state=\"none\""));
    assert_non_null(strstr(a.body, "1 号诊室"));
    post(path, "score=4", "X-Forwarded-For: 10.1.2.3", &a);
    assert_int_equal(a.status, 200);
    post(path, "score=3", "X-Forwarded-For: 10.1.2.3", &a);
    assert_int_equal(a.status, 200);
    post(path, "score=1", "X-Forwarded-For: 10.1.2.3", &a);
    assert_int_equal(a.status, 429);
    post(path, "score=5", "X-Forwarded-For: 10.9.9.9", &a);
    assert_int_equal(a.status, 200);
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM ratings WHERE channel = 'phone' AND "
                                         "room = 'r1' AND ticket = ''"),
                     3);
}

static void test_bad_codes(void **state)
{
    (void)state;
    char t[TOKEN_TEXT_MAX], path[256];
    struct http_answer a;
    int before = sqlite_int(db_path, "SELECT count(*) FROM ratings");
    issue(TOKEN_SURVEY, "A100", "", time(NULL) - 7200, time(NULL) - 60, t);
    snprintf(path, sizeof path, "/r/%s", t);
    get(path, NULL, &a);
    assert_int_equal(a.status, 410);
    assert_non_null(strstr(a.body, "class=\"problem\""));
    post(path, "score=5", NULL, &a);
    assert_int_equal(a.status, 410);
    issue(TOKEN_SURVEY, "A100", "", time(NULL), time(NULL) + 3600, t);
    t[strlen(t) - 2] = t[strlen(t) - 2] == 'A' ? 'B' : 'A'; /* forged */
    snprintf(path, sizeof path, "/r/%s", t);
    get(path, NULL, &a);
    assert_int_equal(a.status, 404);
    assert_private(&a);
    get("/r/%3Cscript%3E", NULL, &a);
    assert_int_equal(a.status, 404);
    assert_null(strstr(a.body, "<script>"));
    issue(TOKEN_RESULTS, "A100", "", time(NULL), time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/r/%s", t); /* a results code on the survey page */
    get(path, NULL, &a);
    assert_int_equal(a.status, 404);
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM ratings"), before);
}

static void test_results_sent_on(void **state)
{
    (void)state;
    char t[TOKEN_TEXT_MAX], path[256], location[256];
    struct http_answer a;
    issue(TOKEN_RESULTS, "A042", "", 1795000000, time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/l/%s", t);
    get(path, NULL, &a);
    assert_int_equal(a.status, 303);
    assert_true(http_answer_header(&a, "Location", location, sizeof location));
    assert_string_equal(location, "https://results.example/v?visit=A042&d=2026-11-18");
    issue(TOKEN_SURVEY, "A042", "", time(NULL), time(NULL) + 3600, t);
    snprintf(path, sizeof path, "/l/%s", t);
    get(path, NULL, &a);
    assert_int_equal(a.status, 404);
}

static void test_complaints_and_consent(void **state)
{
    (void)state;
    struct http_answer a;
    int before = sqlite_int(db_path, "SELECT count(*) FROM complaints");
    get("/c", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "name=\"consent\""));
    post("/c", "text=The+toilet+was+locked&phone=13800138000", NULL, &a);
    assert_int_equal(a.status, 422); /* a number without consent: asked, kept in the form */
    assert_non_null(strstr(a.body, "The toilet was locked"));
    assert_non_null(strstr(a.body, "13800138000"));
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM complaints"), before);
    post("/c", "text=The+toilet+was+locked&phone=13800138000&consent=1", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_non_null(strstr(a.body, "class=\"reference\""));
    assert_non_null(strstr(a.body, "010-12345678"));
    post("/c", "text=No+chairs&phone=", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM complaints"), before + 2);
    assert_int_equal(
        sqlite_int(db_path, "SELECT count(*) FROM complaints WHERE phone = '13800138000'"), 1);
    assert_int_equal(sqlite_int(db_path,
                                "SELECT count(*) FROM complaints WHERE text = 'No chairs' AND "
                                "phone = ''"),
                     1);
    post("/c", "text=", NULL, &a);
    assert_int_equal(a.status, 422);
}

static void test_limits_and_assets(void **state)
{
    (void)state;
    struct http_answer a;
    char *big = malloc(100001);
    memset(big, 'x', 100000);
    memcpy(big, "text=", 5);
    big[100000] = 0;
    post("/c", big, NULL, &a);
    free(big);
    assert_true(a.status == 400 || a.status == 413);
    get("/s/hub.css", NULL, &a);
    assert_int_equal(a.status, 200);
    get("/s/hub.js", NULL, &a);
    assert_int_equal(a.status, 200);
    assert_null(strstr(a.body, "http://"));
    get("/nothing-here", NULL, &a);
    assert_int_equal(a.status, 404);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_waiting_ticket_shows_its_place),
        cmocka_unit_test(test_call_reaches_the_live_stream),
        cmocka_unit_test(test_one_rating_per_ticket),
        cmocka_unit_test(test_screen_codes_limited_per_address),
        cmocka_unit_test(test_bad_codes),
        cmocka_unit_test(test_results_sent_on),
        cmocka_unit_test(test_complaints_and_consent),
        cmocka_unit_test(test_limits_and_assets),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
