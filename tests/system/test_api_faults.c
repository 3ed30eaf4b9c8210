/* test_api_faults.c: the real kiosk binary, headless, against a kiosk API v1 server that
 * misbehaves on cue (tests/system/api_fault_sim.py): versions that go back (18 -> 20 -> 19 ->
 * 20, and a backend that restarted), a 304 before any 200, and POSTs it never answers (a
 * heartbeat when the kiosk is told to stop, a ticket a patient waits for). Each time the screen
 * keeps the last good queue, the status file tells the truth, and the kiosk stays in bounds. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "harness_screen.h"

static const char *kiosk_bin;
static char dir[64], status_path[128], log_path[128], url[64];
static int sim_port;
static pid_t sim_pid, kiosk_pid;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static double now_s(void)
{
    struct timespec t;
    clock_gettime(CLOCK_REALTIME, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static int group_setup(void **state)
{
    (void)state;
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    snprintf(dir, sizeof(dir), "/tmp/kiosk-api-faults-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path_in(status_path, sizeof(status_path), "status.json");
    path_in(log_path, sizeof(log_path), "kiosk.log");
    char port_file[128], log[128];
    path_in(port_file, sizeof(port_file), "sim.port");
    path_in(log, sizeof(log), "sim.log");
    const char *argv[] = {"python3", "tests/system/api_fault_sim.py", "--port-file", port_file,
                          NULL};
    sim_pid = spawn(argv, log);
    sim_port = wait_port_file(port_file);
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port);
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

/* The server's answers to GET /api/v1/queue from now on, as JSON array items. */
static void script(const char *answers)
{
    char body[1024];
    snprintf(body, sizeof(body), "{\"answers\": [%s]}", answers);
    cJSON_Delete(http_json(sim_port, "/admin/script", body));
}

/* How many queue GETs the server has answered since the script was set. */
static int served(void)
{
    cJSON *st = http_json(sim_port, "/admin/state", NULL);
    int n = cJSON_GetObjectItem(st, "queue")->valueint;
    cJSON_Delete(st);
    return n;
}

/* When the first POST since (unix seconds) to a path containing part arrived, 0 while none
 * has. */
static double post_arrived(const char *part, double since)
{
    cJSON *st = http_json(sim_port, "/admin/state", NULL);
    double at = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, cJSON_GetObjectItem(st, "posts"))
    {
        double p_at = cJSON_GetObjectItem(p, "at")->valuedouble;
        if (!at && p_at >= since && strstr(cJSON_GetObjectItem(p, "path")->valuestring, part))
            at = p_at;
    }
    cJSON_Delete(st);
    return at;
}

static double wait_post(const char *part, double since)
{
    for (int i = 0; i < 150; i++, sleep_ms(100)) {
        double at = post_arrived(part, since);
        if (at)
            return at;
    }
    fail_msg("no POST to %s reached the server", part);
    return 0;
}

/* The kiosk as a call screen, its extra --set options NULL-terminated. */
static void start_display(const char *const *extra)
{
    char set_url[128], db[160];
    snprintf(set_url, sizeof(set_url), "backend.url=%s", url);
    snprintf(db, sizeof(db), "storage.path=%s/k.db", dir);
    const char *argv[32] = {kiosk_bin,       "--headless",
                            "--config",      "assets/demo.ini",
                            "--set",         "backend.type=http",
                            "--set",         set_url,
                            "--set",         "backend.poll_interval_ms=300",
                            "--set",         db,
                            "--status-file", status_path};
    int n = 14;
    for (; extra && *extra; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    stop_process(&kiosk_pid);
    unlink(status_path);
    char path[160];
    path_in(path, sizeof(path), "k.db");
    unlink(path); /* each test starts with nothing on screen */
    kiosk_pid = spawn(argv, log_path);
}

static struct status wait_version(double version, int seconds)
{
    struct status s = {0};
    for (int i = 0; i < seconds * 10; i++, sleep_ms(100))
        if (status_read(status_path, &s) && s.version == version)
            return s;
    fail_msg("the screen never showed version %.0f (last %.0f, %s/\"%s\")", version, s.version,
             s.state, s.error);
    return s;
}

/* 18 -> 20 (a new call) -> 19 -> 20, as a lagging replica or a cache answers: the screen never
 * goes back to 19, so 20's call is not news (nor announced, nor taken over) a second time. */
static void test_an_older_snapshot_never_reaches_the_screen(void **state)
{
    (void)state;
    script("{\"version\": 18}, {\"version\": 20}, {\"version\": 19}, {\"version\": 19}, "
           "{\"version\": 19}, {\"version\": 19}, {\"version\": 19}, {\"version\": 20}");
    start_display(NULL);
    wait_version(20, 15);
    struct status s = {0};
    for (int i = 0; i < 150 && served() < 9; i++, sleep_ms(100))
        if (status_read(status_path, &s) && s.version == 19)
            fail_msg("the screen went back to version 19");
    assert_true(served() >= 9);
    sleep_ms(500);
    assert_true(status_read(status_path, &s));
    assert_int_equal((int)s.version, 20);
    assert_string_equal(s.first_ticket, "A020");
    assert_string_equal(s.state, "online");
    assert_non_null(strstr(read_text(log_path), "ignored a snapshot at version 19"));
    stop_process(&kiosk_pid);
}

/* A backend that restarted and counts from 3 again is followed once it keeps to it (10 s). */
static void test_a_restarted_backend_is_followed(void **state)
{
    (void)state;
    script("{\"version\": 20}, {\"version\": 3}");
    start_display(NULL);
    struct status s = wait_version(3, 30);
    assert_string_equal(s.first_ticket, "A003");
    assert_string_equal(s.state, "online");
    stop_process(&kiosk_pid);
}

/* Until a first 200 the kiosk has no queue: a 304 is no reason to say "online". */
static void test_a_304_before_any_snapshot_is_not_online(void **state)
{
    (void)state;
    script("{\"status\": 304}, {\"status\": 304}, {\"status\": 304}, {\"version\": 7}");
    start_display(NULL);
    struct status s = status_wait(status_path, "offline", "304");
    print_message("offline: %s\n", s.error);
    assert_false(s.has_model);
    wait_version(7, 20);
    status_wait(status_path, "online", "");
    stop_process(&kiosk_pid);
}

/* SIGTERM to the kiosk, which must end within 5 s (the network's part takes up to one of
 * libcurl's progress ticks, about 1 s), and cleanly. */
static void stops_soon(void)
{
    double start = now_s();
    kill(kiosk_pid, SIGTERM);
    int status = 0;
    bool exited = false;
    for (int i = 0; i < 100 && !(exited = waitpid(kiosk_pid, &status, WNOHANG) == kiosk_pid); i++)
        sleep_ms(50);
    double took = now_s() - start;
    if (!exited)
        fail_msg("the kiosk still runs %.1f s after SIGTERM (see %s)", took, log_path);
    kiosk_pid = 0;
    print_message("stopped %.1f s after SIGTERM\n", took);
    assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
}

/* SIGTERM while the heartbeat waits for an answer that never comes: the kiosk stops within
 * seconds, not after [backend] timeout_ms (30 s here; systemd kills at 90). */
static void test_sigterm_during_an_unanswered_heartbeat(void **state)
{
    (void)state;
    script("{\"version\": 5}");
    const char *extra[] = {"--set", "backend.timeout_ms=30000", "--set", "health.heartbeat_s=60",
                           NULL};
    double before = now_s();
    start_display(extra);
    wait_version(5, 15);
    wait_post("/heartbeat", before);
    sleep_ms(300);
    stops_soon();
}

/* The kiosk role's screen in the status file ("" while there is none). */
static const char *kiosk_screen(void)
{
    static char screen[32];
    cJSON *st = cJSON_Parse(read_text(status_path));
    const cJSON *s = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "kiosk"), "screen");
    snprintf(screen, sizeof(screen), "%s", cJSON_IsString(s) ? s->valuestring : "");
    cJSON_Delete(st);
    return screen;
}

/* The kiosk role, a patient taking a ticket: home, then the first department. */
static void start_taking_a_ticket(void)
{
    char ini[128], key[128], text[1024], flow[128], tickets[128];
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(key, sizeof(key), "site.key");
    path_in(tickets, sizeof(tickets), "tickets.bin");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\norientation = portrait\nwidth = 1080\n"
             "height = 1920\n[backend]\ntype = http\nurl = %s\ntimeout_ms = 10000\n"
             "[storage]\npath = %s/kiosk.db\n[qr]\nkey_file = site.key\n"
             "survey_url = https://s.example/r/{token}\n"
             "results_url = https://s.example/x/{token}\n[printer]\ndevice = file:%s\n",
             url, dir, tickets);
    write_text(ini, text);
    int tx, ty, dx, dy;
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    kiosk_button_centre(ini, 1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, -1, &dx, &dy);
    path_in(flow, sizeof(flow), "flow.txt");
    snprintf(text, sizeof(text), "wait 500\ntap %d %d\nwait 300\ntap %d %d\nwait 40000\n", tx, ty,
             dx, dy);
    write_text(flow, text);
    const char *argv[] = {kiosk_bin, "--headless",    "--config",  ini, "--script",
                          flow,      "--status-file", status_path, NULL};
    stop_process(&kiosk_pid);
    unlink(status_path);
    script("{\"version\": 5}");
    kiosk_pid = spawn(argv, log_path);
}

/* A kiosk whose ticket request the backend never answers: "issuing" ends within the
 * documented 12 s (SERVICE_TRY_MS), however long [backend] timeout_ms is (10 s here), and the
 * patient is sent to the desk. */
static void test_an_unanswered_ticket_request_keeps_its_bound(void **state)
{
    (void)state;
    double before = now_s();
    start_taking_a_ticket();
    double asked = wait_post("/tickets", before);
    for (int i = 0; i < 50 && strcmp(kiosk_screen(), "issuing") != 0; i++)
        sleep_ms(100);
    assert_string_equal(kiosk_screen(), "issuing");
    for (int i = 0; i < 300 && strcmp(kiosk_screen(), "issuing") == 0; i++)
        sleep_ms(100);
    double ended = now_s();
    const char *screen = kiosk_screen();
    print_message("issuing for %.1f s, then %s\n", ended - asked, screen);
    assert_string_equal(screen, "unavailable");
    if (ended - asked >= 14.0)
        fail_msg("issuing for %.1f s, over the 12 s bound", ended - asked);
    stop_process(&kiosk_pid);
}

/* SIGTERM while a ticket request waits for its answer: the kiosk stops at once (the same key
 * is never used again, so no second ticket can come of it). */
static void test_sigterm_during_an_unanswered_ticket_request(void **state)
{
    (void)state;
    double before = now_s();
    start_taking_a_ticket();
    wait_post("/tickets", before);
    sleep_ms(300);
    stops_soon();
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_an_older_snapshot_never_reaches_the_screen),
        cmocka_unit_test(test_a_restarted_backend_is_followed),
        cmocka_unit_test(test_a_304_before_any_snapshot_is_not_online),
        cmocka_unit_test(test_sigterm_during_an_unanswered_heartbeat),
        cmocka_unit_test(test_an_unanswered_ticket_request_keeps_its_bound),
        cmocka_unit_test(test_sigterm_during_an_unanswered_ticket_request),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
