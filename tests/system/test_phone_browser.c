/* test_phone_browser.c: a patient's walk, end to end, in a real browser. backend-sim is the
 * hospital's system, kiosk-hub sits in front of it, and a real kiosk (role kiosk, its backend
 * the hub, a file: printer) prints a ticket. The QR code is read from the printed ticket with
 * zbarimg, and Debian's chromium (tests/browser/phone_walk.js) opens it at 360x740: the place
 * in the queue, the call reaching the page, the rating, the complaint form; the same walk with
 * JavaScript off; a forged and an expired code. The ratings then show in kiosk-hub report.
 * Screenshots of each page go to docs/screenshots with make screenshots. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness_screen.h"
#include "qr/token.h"

#define DEVICE_TOKEN "entrance-1-token-0123456789abcdef"

static const char *kiosk_bin, *hub_bin;
static char dir[64], ini[128], hub_ini[128], bytes_path[128], out_path[128], err_path[128];
static pid_t sim, hub;
static int sim_port, hub_port;

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

static void start_hub(void)
{
    char text[1024], port_file[128], log[128];
    path_in(hub_ini, sizeof hub_ini, "hub.ini");
    path_in(port_file, sizeof port_file, "hub.port");
    path_in(log, sizeof log, "hub.log");
    snprintf(text, sizeof text,
             "[hub]\nlisten = 127.0.0.1:0\ndevices_file = devices\nhospital_zh = 市人民医院\n"
             "hospital_en = City People's Hospital\ncomplaints_phone = 010-12345678\n"
             "[upstream]\ntype = http\nurl = http://127.0.0.1:%d\nlong_poll_s = 20\n"
             "poll_interval_ms = 200\n[storage]\npath = hub.db\n[qr]\nkey_file = site.key\n",
             sim_port);
    write_text(hub_ini, text);
    const char *argv[] = {hub_bin, "--config", hub_ini, "--port-file", port_file, NULL};
    hub = spawn(argv, log);
    hub_port = wait_port_file(port_file);
}

static void write_kiosk_config(void)
{
    char text[2048];
    path_in(ini, sizeof ini, "kiosk.ini");
    snprintf(text, sizeof text,
             "[device]\nid = entrance-1\nrole = kiosk\norientation = portrait\nwidth = 1080\n"
             "height = 1920\n[display]\nhospital_zh = 市人民医院\n"
             "[backend]\ntype = http\nurl = http://127.0.0.1:%d\ntoken_file = device.token\n"
             "timeout_ms = 2000\n[storage]\npath = %s/kiosk.db\n"
             "[qr]\nkey_file = site.key\nsurvey_url = http://127.0.0.1:%d/r/{token}\n"
             "[printer]\ndevice = file:%s\n[health]\nprom_file =\n",
             hub_port, dir, hub_port, bytes_path);
    write_text(ini, text);
}

static int setup(void **state)
{
    (void)state;
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    hub_bin = getenv("HUB_BIN") ? getenv("HUB_BIN") : "build/kiosk-hub";
    snprintf(dir, sizeof dir, "/tmp/kiosk-phone-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(bytes_path, sizeof bytes_path, "tickets.bin");
    path_in(out_path, sizeof out_path, "stdout.txt");
    path_in(err_path, sizeof err_path, "stderr.txt");
    write_secret("site.key", "0123456789abcdef0123456789abcdef-browser");
    write_secret("devices", "entrance-1 " DEVICE_TOKEN "\n");
    write_secret("device.token", DEVICE_TOKEN "\n");
    sim = start_backend_sim(dir, &sim_port);
    start_hub();
    write_kiosk_config();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&hub);
    stop_process(&sim);
    return remove_tree(dir);
}

/* The kiosk takes a ticket through the hub and prints it; the code on the paper, and the
 * ticket number the hub's queue gives it. */
static void print_ticket(char *url, size_t url_size, char *ticket, size_t ticket_size)
{
    char script[128], text[256], pbm[128];
    int tx, ty, dx, dy;
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    kiosk_button_centre(ini, 1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, 0, &dx, &dy);
    snprintf(text, sizeof text, "wait 500\ntap %d %d\nwait 300\ntap %d %d\nwait 2500\n", tx, ty, dx,
             dy);
    path_in(script, sizeof script, "take.txt");
    write_text(script, text);
    unlink(bytes_path);
    const char *args[] = {"--headless", "--config", ini, "--script", script, NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    size_t len;
    unsigned char *data = read_bytes(bytes_path, &len);
    struct decoded d;
    escpos_read(data, len, &d);
    free(data);
    assert_int_equal(d.npages, 1);
    path_in(pbm, sizeof pbm, "ticket.pbm");
    page_write_pbm(&d.pages[0], pbm);
    escpos_read_free(&d);
    snprintf(url, url_size, "%s", zbar_decode(pbm));
    char prefix[64];
    snprintf(prefix, sizeof prefix, "http://127.0.0.1:%d/r/", hub_port);
    assert_true(strncmp(url, prefix, strlen(prefix)) == 0);
    /* The newest ticket in backend-sim's queue is the one just printed. */
    cJSON *st = http_json(sim_port, "/admin/state", NULL);
    const cJSON *waiting = cJSON_GetObjectItemCaseSensitive(st, "waiting");
    const cJSON *last = cJSON_GetArrayItem(waiting, cJSON_GetArraySize(waiting) - 1);
    snprintf(ticket, ticket_size, "%s",
             cJSON_GetObjectItemCaseSensitive(last, "ticket")->valuestring);
    cJSON_Delete(st);
}

/* node tests/browser/phone_walk.js with args; fails the test with its output on a failure.
 * (Not run_program: a walk without JavaScript waits for the page's own refresh, and a browser
 * may take longer than its 60 s on a loaded machine; phone_walk.js stops itself at 120 s.) */
static void walk(const char *const *args)
{
    const char *argv[16] = {"node", "tests/browser/phone_walk.js"};
    int n = 2;
    for (; args[n - 2] && n < 15; n++)
        argv[n] = args[n - 2];
    argv[n] = NULL;
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
    fprintf(stderr, "phone_walk.js said:\n%s\n", text ? text : "");
    text = read_text(err_path);
    fail_msg("phone_walk.js failed (status %d):\n%s", status, text ? text : "");
}

static void keep_shots(const char *const *names)
{
    for (int i = 0; names[i]; i++) {
        char png[128], keep[64];
        snprintf(png, sizeof png, "%s/shots/%s.png", dir, names[i]);
        snprintf(keep, sizeof keep, "phone-%s.png", names[i]);
        keep_screenshot(png, keep);
    }
}

/* kiosk-hub report's CSV row for the phone channel today, e.g. "4,4.00,1,0" after its key. */
static const char *phone_row(void)
{
    char since[16];
    time_t now = time(NULL);
    struct tm tm;
    strftime(since, sizeof since, "%Y-%m-%d", localtime_r(&now, &tm));
    const char *args[] = {"report", "--config", hub_ini, "--since", since, "--csv", NULL};
    assert_int_equal(run_program(hub_bin, args, out_path, err_path), 0);
    const char *csv = read_text(out_path);
    assert_true(strncmp(csv, "table,key,channel,count,", 24) == 0);
    const char *row = strstr(csv, "ratings_by_day,");
    row = row ? strstr(row, ",phone,") : NULL;
    return row ? row + strlen(",phone,") : "";
}

static void ticket_walk(const char *mode)
{
    char url[512], ticket[16], port[16], shots[128];
    print_ticket(url, sizeof url, ticket, sizeof ticket);
    snprintf(port, sizeof port, "%d", sim_port);
    path_in(shots, sizeof shots, "shots");
    mkdir(shots, 0755);
    const char *args[] = {"ticket", url, port, ticket, shots, mode, NULL};
    walk(args);
}

static void test_walk_with_javascript(void **state)
{
    (void)state;
    ticket_walk("js");
    assert_true(strncmp(phone_row(), "1,4.00,1,0", 10) == 0);
    const char *names[] = {"js-waiting", "js-called",         "js-rate",        "js-thanks",
                           "complaint",  "complaint-consent", "complaint-done", NULL};
    keep_shots(names);
}

static void test_walk_without_javascript(void **state)
{
    (void)state;
    ticket_walk("nojs");
    assert_true(strncmp(phone_row(), "2,4.00,2,0", 10) == 0);
    const char *names[] = {"nojs-waiting", "nojs-called", "nojs-thanks", NULL};
    keep_shots(names);
}

static void test_forged_and_expired_codes(void **state)
{
    (void)state;
    char key_path[128], *err = NULL, token[TOKEN_TEXT_MAX], forged[256], expired[256], shots[128];
    struct token_key key;
    path_in(key_path, sizeof key_path, "site.key");
    assert_true(token_key_load(key_path, &key, &err));
    struct token t = {
        .purpose = TOKEN_SURVEY, .issued_at = time(NULL) - 7200, .expires_at = time(NULL) - 60};
    snprintf(t.device, sizeof t.device, "entrance-1");
    snprintf(t.ticket, sizeof t.ticket, "A123");
    assert_true(token_issue(&key, &t, token, sizeof token));
    snprintf(expired, sizeof expired, "http://127.0.0.1:%d/r/%s", hub_port, token);
    t.expires_at = time(NULL) + 3600;
    assert_true(token_issue(&key, &t, token, sizeof token));
    token[strlen(token) - 3] = token[strlen(token) - 3] == 'x' ? 'y' : 'x';
    snprintf(forged, sizeof forged, "http://127.0.0.1:%d/r/%s", hub_port, token);
    path_in(shots, sizeof shots, "shots");
    mkdir(shots, 0755);
    const char *args[] = {"codes", forged, expired, shots, NULL};
    walk(args);
    const char *names[] = {"forged", "expired", NULL};
    keep_shots(names);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_walk_with_javascript),
        cmocka_unit_test(test_walk_without_javascript),
        cmocka_unit_test(test_forged_and_expired_codes),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
