/* test_hub_staff_browser.c: the staff pages of kiosk-hub in a real browser (Debian's chromium,
 * tests/browser/staff_walk.js) against the real kiosk-hub and its real SQLite: a known set of
 * ratings whose figures on the quality page and in its CSV export match `kiosk-hub report`;
 * complaints from the phone form walked to "answered", a number without consent nowhere (page,
 * CSV, database file), overdue marked, a number removed after [web] retention_days; CSRF, roles,
 * logout, and six wrong passwords slowing the seventh. Accounts are made with `kiosk-hub user
 * add`, the password on its standard input. Screenshots go to docs/screenshots with
 * SCREENSHOT_DIR. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "store/store.h"

#define QUALITY_PASS    "quality-pass-2026"
#define FACILITIES_PASS "facilities-pass-2026"
#define ADMIN_PASS      "admin-pass-2026-x"
/* long enough that the seventh try comes within it even on a loaded machine (the six before it
 * take a page load and a scrypt each) */
#define LOGIN_DELAY_S 8
#define STR(x)        #x
#define XSTR(x)       STR(x)

static const char *hub_bin;
static char dir[64], hub_ini[128], db_path[128], out_path[128], err_path[128], shots[128];
static char since[16], overdue_ref[32], retained_ref[32];
static pid_t hub;
static int hub_port;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void add_rating(struct store *store, int score, const char *reason, const char *room,
                       enum rating_channel channel, const char *comment, int64_t at)
{
    static int n;
    struct rating r = {.score = score, .rated_at = at};
    char key[32], *err = NULL;
    if (reason[0])
        snprintf(r.reasons[r.nreasons++], RATING_REASON_MAX, "%s", reason);
    snprintf(r.ticket, sizeof r.ticket, "A%03d", ++n);
    snprintf(r.room, sizeof r.room, "%s", room);
    snprintf(key, sizeof key, "test:%d", n);
    assert_true(store_rating_put(store, &r, channel, channel == RATING_KIOSK ? "entrance-1" : "",
                                 comment, key, at, NULL, &err));
}

/* The known set: six ratings in the last 20 days (phone and kiosk, two rooms and none), one
 * older that the page's dates leave out; an overdue complaint and one past retention. */
static void seed(void)
{
    char *err = NULL;
    struct store *store = store_open(db_path, &err);
    assert_non_null(store);
    int64_t now = time(NULL), day = 86400;
    add_rating(store, 5, "friendly staff", "r3", RATING_PHONE, "the nurse was kind 护士很好",
               now - 60);
    add_rating(store, 4, "", "r3", RATING_PHONE, "", now - 120);
    add_rating(store, 2, "waited too long", "r4", RATING_KIOSK, "", now - 180);
    add_rating(store, 1, "waited too long", "r4", RATING_PHONE, "waited two hours", now - day);
    add_rating(store, 3, "hard to find the way", "", RATING_KIOSK, "", now - 8 * day);
    add_rating(store, 5, "clean and tidy", "r3", RATING_PHONE, "Nurse Li explained everything",
               now - 8 * day);
    add_rating(store, 4, "", "r3", RATING_PHONE, "", now - 40 * day);
    struct complaint c = {.lang = "zh"};
    snprintf(c.text, sizeof c.text, "取药排队太久 Too long at the pharmacy");
    assert_true(
        store_complaint_add(store, &c, now - 10 * day, overdue_ref, sizeof overdue_ref, &err));
    snprintf(c.text, sizeof c.text, "厕所不干净 The toilets were dirty");
    snprintf(c.phone, sizeof c.phone, "13722223333");
    assert_true(
        store_complaint_add(store, &c, now - 40 * day, retained_ref, sizeof retained_ref, &err));
    store_close(store);
    time_t start = (time_t)(now - 20 * day);
    struct tm tm;
    strftime(since, sizeof since, "%Y-%m-%d", localtime_r(&start, &tm));
}

/* kiosk-hub user add NAME --role ROLE, the password on standard input. */
static void add_user(const char *name, const char *role, const char *password)
{
    char cmd[512];
    snprintf(cmd, sizeof cmd, "%s user add %s --role %s --config %s >%s 2>&1", hub_bin, name, role,
             hub_ini, out_path);
    FILE *p = popen(cmd, "w");
    assert_non_null(p);
    fprintf(p, "%s\n", password);
    int status = pclose(p);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("user add failed: %s", read_text(out_path));
}

static int setup(void **state)
{
    (void)state;
    hub_bin = getenv("HUB_BIN") ? getenv("HUB_BIN") : "build/kiosk-hub";
    snprintf(dir, sizeof dir, "/tmp/kiosk-staff-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char key[128], text[1024], port_file[128], log[128];
    path_in(key, sizeof key, "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef-staff");
    chmod(key, 0600);
    path_in(hub_ini, sizeof hub_ini, "hub.ini");
    path_in(db_path, sizeof db_path, "hub.db");
    path_in(out_path, sizeof out_path, "stdout.txt");
    path_in(err_path, sizeof err_path, "stderr.txt");
    path_in(shots, sizeof shots, "shots");
    mkdir(shots, 0755);
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\nhospital_zh = 市人民医院\n"
             "hospital_en = City People's Hospital\ncomplaints_phone = 010-12345678\n"
             "[upstream]\ntype = demo\n[storage]\npath = %s\n[qr]\nkey_file = %s\n"
             "[web]\nretention_days = 30\n[staff]\ncomplaint_due_days = 5\nlogin_delay_s = %d\n",
             db_path, key, LOGIN_DELAY_S);
    write_text(hub_ini, text);
    seed();
    add_user("li.quality", "quality", QUALITY_PASS);
    add_user("wang.facilities", "facilities", FACILITIES_PASS);
    add_user("zhao.admin", "admin", ADMIN_PASS);
    path_in(port_file, sizeof port_file, "hub.port");
    path_in(log, sizeof log, "hub.log");
    const char *argv[] = {hub_bin, "--config", hub_ini, "--port-file", port_file, NULL};
    hub = spawn(argv, log);
    hub_port = wait_port_file(port_file);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&hub);
    /* under ASan + UBSan (build/asan) the hub's own report is in its log */
    char log[128];
    path_in(log, sizeof log, "hub.log");
    const char *text = read_text(log);
    bool clean = !text || (!strstr(text, "Sanitizer") && !strstr(text, "runtime error:"));
    if (!clean)
        fprintf(stderr, "kiosk-hub's log:\n%s\n", text);
    return remove_tree(dir) || !clean;
}

/* node tests/browser/staff_walk.js with args; fails the test with its output on a failure. */
static void walk(const char *const *args)
{
    const char *argv[16] = {"node", "tests/browser/staff_walk.js"};
    int n = 2;
    for (; args[n - 2] && n < 15; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err_path, "w", stderr) || !freopen(out_path, "w", stdout))
            _exit(126);
        alarm(200);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    const char *text = read_text(out_path);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    fprintf(stderr, "staff_walk.js said:\n%s\n", text ? text : "");
    text = read_text(err_path);
    fail_msg("staff_walk.js failed (status %d):\n%s", status, text ? text : "");
}

static void keep(const char *name)
{
    char png[160];
    snprintf(png, sizeof png, "%s/%s", shots, name);
    keep_screenshot(png, name);
}

static char *base_url(void)
{
    static char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d", hub_port);
    return url;
}

/* The report's CSV line for table, key and channel, after "table,key,channel," (or NULL). */
static const char *report_row(const char *csv, const char *table, const char *key,
                              const char *channel, char *out, size_t size)
{
    char head[160];
    snprintf(head, sizeof head, "\n%s,%s,%s,", table, key, channel);
    const char *at = strstr(csv, head);
    if (!at)
        return NULL;
    at += strlen(head);
    snprintf(out, size, "%.*s", (int)strcspn(at, "\n"), at);
    return out;
}

/* The page's rows (cells: key, channel, count, average, "happy (x%)", "unhappy (y%)") against
 * the report's "count,average,happy,unhappy". */
static int compare_rows(const cJSON *rows, const char *csv, const char *table)
{
    int checked = 0;
    const cJSON *row;
    cJSON_ArrayForEach(row, rows)
    {
        const char *key = cJSON_GetObjectItem(row, "key")->valuestring;
        const char *channel = cJSON_GetObjectItem(row, "channel")->valuestring;
        const cJSON *cells = cJSON_GetObjectItem(row, "cells");
        char want[128], got[128], *average;
        assert_non_null(report_row(csv, table, key, channel, want, sizeof want));
        average = cJSON_GetArrayItem(cells, 3)->valuestring;
        snprintf(got, sizeof got, "%s,%s,%d,%d", cJSON_GetArrayItem(cells, 2)->valuestring,
                 strcmp(average, "-") == 0 ? "" : average,
                 atoi(cJSON_GetArrayItem(cells, 4)->valuestring),
                 atoi(cJSON_GetArrayItem(cells, 5)->valuestring));
        if (strcmp(want, got) != 0)
            fail_msg("%s %s %s: the page says %s, kiosk-hub report %s", table, key, channel, got,
                     want);
        checked++;
    }
    return checked;
}

static void test_quality_page_matches_report(void **state)
{
    (void)state;
    const char *args[] = {"quality", base_url(), shots, since, "li.quality", QUALITY_PASS, NULL};
    walk(args);
    const char *report_args[] = {"report", "--config", hub_ini, "--since", since, "--csv", NULL};
    assert_int_equal(run_program(hub_bin, report_args, out_path, err_path), 0);
    char *csv = strdup(read_text(out_path));
    char export_path[160];
    snprintf(export_path, sizeof export_path, "%s/export.csv", shots);
    /* the export is the report, byte for byte */
    assert_string_equal(read_text(export_path), csv);
    char page_path[160];
    snprintf(page_path, sizeof page_path, "%s/page.json", shots);
    cJSON *page = cJSON_Parse(read_text(page_path));
    assert_non_null(page);
    /* three days with ratings in the window, three rows (phone, kiosk, all) each; two rooms
     * and "-" for the rating without one */
    assert_int_equal(compare_rows(cJSON_GetObjectItem(page, "rows"), csv, "ratings_by_day"), 9);
    assert_int_equal(compare_rows(cJSON_GetObjectItem(page, "rooms"), csv, "ratings_by_room"), 9);
    /* the known set's figures: 6 ratings (the 40-day-old one outside), mean 20/6, 3 happy, 2
     * unhappy, 4 by phone and 2 at kiosks */
    const cJSON *figures = cJSON_GetObjectItem(page, "figures");
    assert_string_equal(cJSON_GetObjectItem(figures, "total")->valuestring, "6");
    assert_string_equal(cJSON_GetObjectItem(figures, "average")->valuestring, "3.33");
    assert_string_equal(cJSON_GetObjectItem(figures, "happy")->valuestring, "50%");
    assert_string_equal(cJSON_GetObjectItem(figures, "unhappy")->valuestring, "33%");
    assert_string_equal(cJSON_GetObjectItem(figures, "phone")->valuestring, "4");
    assert_string_equal(cJSON_GetObjectItem(figures, "kiosk")->valuestring, "2");
    cJSON_Delete(page);
    free(csv);
    char comments[160];
    snprintf(comments, sizeof comments, "%s/comments.csv", shots);
    const char *text = read_text(comments);
    assert_non_null(strstr(text, "\"the nurse was kind 护士很好\""));
    assert_non_null(strstr(text, "\"waited two hours\""));
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = 'export' "
                                         "AND account = 'li.quality'"),
                     2);
    keep("staff-quality-desktop.png");
    keep("staff-quality-phone.png");
    keep("staff-login-desktop.png");
    keep("staff-login-phone.png");
    keep("staff-quality-en.png");
}

/* Whether the bytes of path hold text. */
static bool file_has(const char *path, const char *text)
{
    size_t len;
    unsigned char *data = read_bytes(path, &len);
    bool found = data && memmem(data, len, text, strlen(text));
    free(data);
    return found;
}

static void test_complaints_walk(void **state)
{
    (void)state;
    const char *args[] = {"complaints", base_url(),  shots,        "li.quality",
                          QUALITY_PASS, overdue_ref, retained_ref, NULL};
    walk(args);
    char path[160], sql[256];
    snprintf(path, sizeof path, "%s/refs.json", shots);
    cJSON *refs = cJSON_Parse(read_text(path));
    assert_non_null(refs);
    const char *with = cJSON_GetObjectItem(refs, "withNumber")->valuestring;
    const char *without = cJSON_GetObjectItem(refs, "without")->valuestring;
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaints WHERE reference = '%s' AND status = 'answered' "
             "AND owner = 'li.quality' AND reply != '' AND phone = '13800138000'",
             with);
    assert_int_equal(sqlite_int(db_path, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaints WHERE reference = '%s' AND phone = ''", without);
    assert_int_equal(sqlite_int(db_path, sql), 1);
    snprintf(sql, sizeof sql,
             "SELECT count(*) FROM complaints WHERE reference = '%s' AND phone = '' "
             "AND phone_removed_at IS NOT NULL",
             retained_ref);
    assert_int_equal(sqlite_int(db_path, sql), 1);
    /* consent off: the number typed is in no byte of the database or its log */
    char wal[160];
    snprintf(wal, sizeof wal, "%s-wal", db_path);
    assert_false(file_has(db_path, "13911112222"));
    assert_false(file_has(wal, "13911112222"));
    snprintf(path, sizeof path, "%s/complaints.csv", shots);
    const char *csv = read_text(path);
    assert_non_null(strstr(csv, "\"13800138000\""));
    assert_null(strstr(csv, "13911112222"));
    assert_null(strstr(csv, "13722223333"));
    assert_non_null(strstr(csv, with));
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = "
                                         "'complaint' AND detail LIKE '%-> answered%'"),
                     1);
    cJSON_Delete(refs);
    keep("staff-complaints-desktop.png");
    keep("staff-complaints-phone.png");
}

static void test_csrf_roles_and_login_guard(void **state)
{
    (void)state;
    const char *args[] = {"security",
                          base_url(),
                          shots,
                          "li.quality",
                          QUALITY_PASS,
                          "wang.facilities",
                          FACILITIES_PASS,
                          XSTR(LOGIN_DELAY_S),
                          "zhao.admin",
                          ADMIN_PASS,
                          NULL};
    walk(args);
    assert_true(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = "
                                    "'login_failed' AND account = 'li.quality'") >= 6);
    assert_true(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = "
                                    "'login_refused'") >= 1);
    assert_true(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = "
                                    "'csrf_refused'") >= 2);
    assert_true(sqlite_int(db_path, "SELECT count(*) FROM audit_log WHERE action = 'logout'") >= 1);
    assert_int_equal(sqlite_int(db_path, "SELECT count(*) FROM complaints WHERE status = 'closed'"),
                     0);
    keep("staff-forbidden-desktop.png");
    keep("staff-forbidden-phone.png");
    keep("staff-login-slowed.png");
    keep("staff-audit-desktop.png");
    keep("staff-audit-phone.png");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_quality_page_matches_report),
        cmocka_unit_test(test_complaints_walk),
        cmocka_unit_test(test_csrf_roles_and_login_guard),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
