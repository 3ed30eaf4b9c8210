/* test_hub_fleet.c: facilities staff's side of kiosk-hub, end to end. backend-sim is the
 * hospital's system, kiosk-hub sits in front of it with its alerts going to a real webhook
 * receiver on 127.0.0.1 (webhook_sim.py, which counts the POSTs), and a real kiosk (role
 * kiosk, its backend the hub, printer_sim.py its network printer) heartbeats every 5 s. The
 * printer runs out of paper, backend-sim's queue grows past the level, the kiosk is killed and
 * comes back: each shows on /metrics and on the fleet pages (Debian's chromium,
 * tests/browser/fleet_walk.js) and makes exactly one alert and one recovery. Screenshots of
 * the pages go to docs/screenshots with make screenshots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"

#define DEVICE_TOKEN "entrance-1-token-0123456789abcdef"
#define HALL_TOKEN   "hall-2-token-0123456789abcdef012"
#define PASSWORD     "fleet-walk-password-1"
/* The kiosk's [health] heartbeat_s, which its heartbeats tell the hub: the hub's own [alerts]
 * heartbeat_s stays at its default (60 s), for devices that do not say theirs. */
#define HEARTBEAT_S 5
#define QUEUE_FOR_S 3
#define QUEUE_LEVEL 5

static const char *kiosk_bin, *hub_bin;
static char dir[64], hub_ini[128], kiosk_ini[128], out_path[128], err_path[128];
static pid_t sim, hub, printer, receiver, kiosk;
static int sim_port, hub_port, control_port, receiver_port, printer_port;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void write_secret(const char *name, const char *text)
{
    char path[128];
    path_in(path, sizeof path, name);
    write_text(path, text);
    chmod(path, 0600);
}

static pid_t start_python(const char *script, const char *port_name, int *port,
                          const char *const *more)
{
    char port_file[128], log[128];
    path_in(port_file, sizeof port_file, port_name);
    path_in(log, sizeof log, "sims.log");
    const char *argv[16] = {"python3", script, "--port-file", port_file};
    int n = 4;
    for (; more && more[n - 4]; n++)
        argv[n] = more[n - 4];
    argv[n] = NULL;
    pid_t pid = spawn(argv, log);
    *port = wait_port_file(port_file);
    return pid;
}

static void start_printer(void)
{
    char out[128], control_file[128];
    path_in(out, sizeof out, "printed.bin");
    path_in(control_file, sizeof control_file, "printer.control");
    const char *more[] = {"--out",      out, "--status", "ok", "--control-port-file",
                          control_file, NULL};
    printer = start_python("tests/system/printer_sim.py", "printer.port", &printer_port, more);
    control_port = wait_port_file(control_file);
}

static void start_hub(void)
{
    char text[2048], port_file[128], log[128];
    path_in(hub_ini, sizeof hub_ini, "hub.ini");
    path_in(port_file, sizeof port_file, "hub.port");
    path_in(log, sizeof log, "hub.log");
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\ndevices_file = devices\nhospital_zh = 市人民医院\n"
             "hospital_en = City People's Hospital\n"
             "[upstream]\ntype = http\nurl = http://127.0.0.1:%d\nlong_poll_s = 20\n"
             "poll_interval_ms = 200\n[storage]\npath = hub.db\n[qr]\nkey_file = site.key\n"
             "[alerts]\nwebhook_url = http://127.0.0.1:%d/hook\n"
             "queue_waiting = %d\nqueue_wait_min = 0\nqueue_for_s = %d\nretry_max_s = 2\n",
             sim_port, receiver_port, QUEUE_LEVEL, QUEUE_FOR_S);
    write_text(hub_ini, text);
    const char *argv[] = {hub_bin, "--config", hub_ini, "--port-file", port_file, NULL};
    hub = spawn(argv, log);
    hub_port = wait_port_file(port_file);
}

static void start_kiosk(void)
{
    char log[128];
    path_in(log, sizeof log, "kiosk.log");
    const char *argv[] = {kiosk_bin, "--headless", "--config", kiosk_ini, NULL};
    kiosk = spawn(argv, log);
}

static void write_kiosk_config(void)
{
    char text[2048];
    path_in(kiosk_ini, sizeof kiosk_ini, "kiosk.ini");
    snprintf(
        text, sizeof text,
        "[device]\nid = entrance-1\nname = 门诊大厅入口\nrole = kiosk\norientation = portrait\n"
        "width = 540\nheight = 960\n"
        "[backend]\ntype = http\nurl = http://127.0.0.1:%d\ntoken_file = device.token\n"
        "timeout_ms = 2000\n[storage]\npath = %s/kiosk.db\n"
        "[qr]\nkey_file = site.key\nsurvey_url = http://127.0.0.1:%d/r/{token}\n"
        "[printer]\ndevice = tcp:127.0.0.1:%d\n[audio]\nenabled = off\n"
        "[health]\nheartbeat_s = %d\nprom_file =\n",
        hub_port, dir, hub_port, printer_port, HEARTBEAT_S);
    write_text(kiosk_ini, text);
}

/* kiosk-hub user add NAME --role ROLE, the password on standard input. */
static void add_user(const char *name, const char *role)
{
    char pass[128];
    path_in(pass, sizeof pass, "password.txt");
    write_text(pass, PASSWORD "\n");
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(pass, "r", stdin) || !freopen(err_path, "w", stderr) ||
            !freopen(out_path, "w", stdout))
            _exit(126);
        execl(hub_bin, hub_bin, "user", "add", name, "--role", role, "--config", hub_ini,
              (char *)NULL);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("user add %s: %s", name, read_text(err_path));
}

static int setup(void **state)
{
    (void)state;
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    hub_bin = getenv("HUB_BIN") ? getenv("HUB_BIN") : "build/kiosk-hub";
    snprintf(dir, sizeof dir, "/tmp/kiosk-fleet-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(out_path, sizeof out_path, "stdout.txt");
    path_in(err_path, sizeof err_path, "stderr.txt");
    write_secret("site.key", "0123456789abcdef0123456789abcdef-fleet");
    write_secret("devices", "entrance-1 " DEVICE_TOKEN "\nhall-2 " HALL_TOKEN "\n");
    write_secret("device.token", DEVICE_TOKEN "\n");
    sim = start_backend_sim(dir, &sim_port);
    receiver = start_python("tests/system/webhook_sim.py", "receiver.port", &receiver_port, NULL);
    start_printer();
    start_hub();
    add_user("facilities1", "facilities");
    add_user("quality1", "quality");
    write_kiosk_config();
    start_kiosk();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&kiosk);
    stop_process(&hub);
    stop_process(&printer);
    stop_process(&receiver);
    stop_process(&sim);
    return remove_tree(dir);
}

/* The value of the sample named exactly so (with its labels) on /metrics; -1 when absent. */
static double metric(const char *sample)
{
    static struct http_answer a;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", hub_port);
    http_call("GET", url, NULL, NULL, 5000, &a);
    assert_int_equal(a.status, 200);
    size_t len = strlen(sample);
    for (const char *line = a.body; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncmp(line, sample, len) == 0 && line[len] == ' ')
            return strtod(line + len + 1, NULL);
    }
    return -1;
}

/* Waits up to seconds for the sample to read value; fails the test otherwise. */
static void wait_metric(const char *sample, double value, int seconds)
{
    for (int i = 0; i < seconds * 5; i++) {
        if (metric(sample) == value)
            return;
        sleep_ms(200);
    }
    fail_msg("%s is %g, not %g, after %d s", sample, metric(sample), value, seconds);
}

/* The POSTs the receiver took of kind about subject in state ("open", "recovered"); with
 * text_part, the last one's text must hold it. */
static int posts(const char *kind, const char *subject, const char *state, const char *text_part)
{
    cJSON *list = http_json(receiver_port, "/posts", NULL);
    int n = 0;
    const cJSON *p;
    cJSON_ArrayForEach(p, list)
    {
        const cJSON *k = cJSON_GetObjectItemCaseSensitive(p, "kind");
        const cJSON *s = cJSON_GetObjectItemCaseSensitive(p, "subject");
        const cJSON *st = cJSON_GetObjectItemCaseSensitive(p, "state");
        const cJSON *text = cJSON_GetObjectItemCaseSensitive(p, "text");
        if (cJSON_IsString(k) && strcmp(k->valuestring, kind) == 0 && cJSON_IsString(s) &&
            strcmp(s->valuestring, subject) == 0 && cJSON_IsString(st) &&
            strcmp(st->valuestring, state) == 0) {
            n++;
            if (text_part && (!cJSON_IsString(text) || !strstr(text->valuestring, text_part)))
                fail_msg("%s %s %s: \"%s\" lacks \"%s\"", kind, subject, state,
                         cJSON_IsString(text) ? text->valuestring : "", text_part);
        }
    }
    cJSON_Delete(list);
    return n;
}

static void wait_posts(const char *kind, const char *subject, const char *state, int count,
                       int seconds)
{
    for (int i = 0; i < seconds * 5; i++) {
        if (posts(kind, subject, state, NULL) >= count)
            break;
        sleep_ms(200);
    }
    assert_int_equal(posts(kind, subject, state, NULL), count);
}

/* node tests/browser/fleet_walk.js; fails the test with its output on a failure. */
static void walk(const char *name, const char *mode)
{
    char base[64], shots[128];
    snprintf(base, sizeof base, "http://127.0.0.1:%d", hub_port);
    path_in(shots, sizeof shots, "shots");
    mkdir(shots, 0755);
    const char *argv[] = {"node", "tests/browser/fleet_walk.js", base, name, PASSWORD, mode, shots,
                          NULL};
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err_path, "w", stderr) || !freopen(out_path, "w", stdout))
            _exit(126);
        alarm(180);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0)
        return;
    const char *text = read_text(out_path);
    fprintf(stderr, "fleet_walk.js said:\n%s\n", text ? text : "");
    text = read_text(err_path);
    fail_msg("fleet_walk.js %s failed (status %d):\n%s", mode, status, text ? text : "");
}

static void test_kiosk_heartbeats_reach_metrics(void **state)
{
    (void)state;
    wait_metric("kiosk_hub_device_up{device=\"entrance-1\"}", 1, 60);
    assert_true(metric("kiosk_hub_device_up{device=\"hall-2\"}") == 0);
    assert_true(metric("kiosk_hub_device_storage_ok{device=\"entrance-1\"}") == 1);
    wait_metric("kiosk_hub_device_backend_online{device=\"entrance-1\"}", 1, 30);
    assert_true(metric("kiosk_hub_upstream_online") == 1);
    struct http_answer *a = calloc(1, sizeof *a);
    char url[64], type[128];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/metrics", hub_port);
    http_call("GET", url, NULL, NULL, 5000, a);
    assert_true(http_answer_header(a, "Content-Type", type, sizeof type));
    assert_string_equal(type, "text/plain; version=0.0.4; charset=utf-8");
    free(a);
    /* A device never heard from is shown, not alerted. */
    assert_int_equal(posts("device_silent", "hall-2", "open", NULL), 0);
}

static void test_printer_out_of_paper(void **state)
{
    (void)state;
    char url[64];
    struct http_answer *a = calloc(1, sizeof *a);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/status", control_port);
    http_call("POST", url, NULL, "paper_out", 5000, a);
    assert_int_equal(a->status, 200);
    /* The kiosk sees it at its next printer check, and says so in its next heartbeat. */
    wait_metric("kiosk_hub_device_paper_out{device=\"entrance-1\"}", 1, 40);
    wait_posts("printer", "entrance-1", "open", 1, 10);
    assert_int_equal(posts("printer", "entrance-1", "open", "out of paper"), 1);
    walk("facilities1", "printer");
    http_call("POST", url, NULL, "ok", 5000, a);
    wait_metric("kiosk_hub_device_paper_out{device=\"entrance-1\"}", 0, 40);
    wait_posts("printer", "entrance-1", "recovered", 1, 10);
    free(a);
    /* Another heartbeat or two: still one alert and one recovery. */
    sleep(HEARTBEAT_S + 1);
    assert_int_equal(posts("printer", "entrance-1", "open", NULL), 1);
    assert_int_equal(posts("printer", "entrance-1", "recovered", NULL), 1);
}

static void take_ticket(int i)
{
    char url[64], key[80];
    struct http_answer *a = calloc(1, sizeof *a);
    snprintf(url, sizeof url, "http://127.0.0.1:%d/api/v1/tickets", sim_port);
    snprintf(key, sizeof key, "Idempotency-Key: fleet-queue-%d-%ld", i, (long)time(NULL));
    const char *headers[] = {"Content-Type: application/json", key, NULL};
    http_call("POST", url, headers, "{\"service\": \"Queue-Test\"}", 5000, a);
    assert_int_equal(a->status, 201);
    free(a);
}

static void test_queue_too_long(void **state)
{
    (void)state;
    for (int i = 0; i <= QUEUE_LEVEL; i++)
        take_ticket(i);
    wait_metric("kiosk_hub_queue_waiting{service=\"Queue-Test\"}", QUEUE_LEVEL + 1, 20);
    /* Not at once: the queue must stay long for queue_for_s. */
    assert_int_equal(posts("queue_long", "Queue-Test", "open", NULL), 0);
    wait_posts("queue_long", "Queue-Test", "open", 1, QUEUE_FOR_S + 15);
    assert_int_equal(posts("queue_long", "Queue-Test", "open", "open another window"), 1);
    /* It stays long, looked at every second: still one alert. */
    sleep(QUEUE_FOR_S + 2);
    assert_int_equal(posts("queue_long", "Queue-Test", "open", NULL), 1);
    assert_int_equal(posts("queue_long", "Queue-Test", "recovered", NULL), 0);
    /* The clinic starts over (nobody waits for Queue-Test): one recovery, after queue_for_s. */
    cJSON_Delete(http_json(sim_port, "/admin/reset", "{}"));
    wait_metric("kiosk_hub_queue_waiting{service=\"Queue-Test\"}", -1, 20);
    wait_posts("queue_long", "Queue-Test", "recovered", 1, QUEUE_FOR_S + 15);
    sleep(QUEUE_FOR_S + 2);
    assert_int_equal(posts("queue_long", "Queue-Test", "open", NULL), 1);
    assert_int_equal(posts("queue_long", "Queue-Test", "recovered", NULL), 1);
}

static void test_kiosk_killed_and_back(void **state)
{
    (void)state;
    wait_metric("kiosk_hub_device_up{device=\"entrance-1\"}", 1, 30);
    kill(kiosk, SIGKILL);
    waitpid(kiosk, NULL, 0);
    kiosk = 0;
    /* Its last heartbeat as the hub's store has it (/metrics is the watch's copy, up to a
     * second old). */
    char db[128];
    path_in(db, sizeof db, "hub.db");
    sleep_ms(500); /* a heartbeat the hub was still writing */
    time_t last = sqlite_int(db, "SELECT received_at FROM heartbeats WHERE device = 'entrance-1'");
    assert_true(last > 0);
    /* Offline once 3 intervals pass without a heartbeat, and not before. */
    time_t seen_offline = 0;
    for (int i = 0; i < 60 * 5 && !seen_offline; i++) {
        if (metric("kiosk_hub_device_up{device=\"entrance-1\"}") == 0)
            seen_offline = time(NULL);
        else
            sleep_ms(200);
    }
    if (!seen_offline || seen_offline < last + 3 * HEARTBEAT_S ||
        seen_offline > last + 3 * HEARTBEAT_S + 4) /* one look (1 s) and its copy, slack */
        fail_msg("last heartbeat at %lld, offline on /metrics at %lld (%+lld s)", (long long)last,
                 (long long)seen_offline, (long long)(seen_offline - last));
    wait_posts("device_silent", "entrance-1", "open", 1, 10);
    assert_int_equal(posts("device_silent", "entrance-1", "open", "门诊大厅入口"), 1);
    walk("facilities1", "offline");
    const char *names[] = {"fleet-1366", "fleet-390",         "device-1366",
                           "device-390", "fleet-printer-390", NULL};
    for (int i = 0; names[i]; i++) {
        char png[128], keep[64];
        snprintf(png, sizeof png, "%s/shots/%s.png", dir, names[i]);
        snprintf(keep, sizeof keep, "staff-%s.png", names[i]);
        keep_screenshot(png, keep);
    }
    /* Still silent, still one alert. */
    assert_int_equal(posts("device_silent", "entrance-1", "open", NULL), 1);
    start_kiosk();
    wait_metric("kiosk_hub_device_up{device=\"entrance-1\"}", 1, 60);
    wait_posts("device_silent", "entrance-1", "recovered", 1, 10);
    sleep(HEARTBEAT_S + 1);
    assert_int_equal(posts("device_silent", "entrance-1", "open", NULL), 1);
    assert_int_equal(posts("device_silent", "entrance-1", "recovered", NULL), 1);
    assert_true(sqlite_int(db, "SELECT count(*) FROM device_history WHERE device = 'entrance-1' "
                               "AND event = 'silent'") >= 1);
    assert_int_equal(sqlite_int(db, "SELECT count(*) FROM alerts WHERE closed_at IS NULL AND "
                                    "subject = 'entrance-1'"),
                     0);
}

static void test_quality_account_refused(void **state)
{
    (void)state;
    walk("quality1", "quality");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_kiosk_heartbeats_reach_metrics),
        cmocka_unit_test(test_printer_out_of_paper),
        cmocka_unit_test(test_queue_too_long),
        cmocka_unit_test(test_kiosk_killed_and_back),
        cmocka_unit_test(test_quality_account_refused),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
