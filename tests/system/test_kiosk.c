/* test_kiosk.c: the real kiosk binary in the kiosk role, headless, driven by --script against
 * scripts/backend-sim and a file: printer: home, a department, a double tap, one ticket issued
 * by the backend and printed with a code that verifies; with the backend away, no ticket and
 * plain words. Screenshots of each screen (both languages, large text, both orientations) go
 * to docs/screenshots with make screenshots. */
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
#include <unistd.h>

#include "harness_screen.h"

static const char *kiosk_bin;
static char dir[64], ini[128], status[128], bytes_path[128], err_path[128], out_path[128];
static pid_t sim;
static int port;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int run_kiosk(const char *const *args)
{
    return run_program(kiosk_bin, args, out_path, err_path);
}

static void write_config(const char *url, const char *extra)
{
    char key[128], text[2048];
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\n%s\n"
             "[display]\nhospital_zh = 市人民医院\nhospital_en = City People's Hospital\n"
             "logo = %s/assets/logo.png\n"
             "[backend]\ntype = http\nurl = %s\ntimeout_ms = 1000\n"
             "[storage]\npath = %s/kiosk.db\n"
             "[qr]\nkey_file = site.key\nsurvey_url = https://s.example/r/{token}\n"
             "results_url = https://s.example/x/{token}\n"
             "[printer]\ndevice = file:%s\n",
             extra, getenv("PWD") ? getenv("PWD") : ".", url, dir, bytes_path);
    write_text(ini, text);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-role-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(status, sizeof(status), "status.json");
    path_in(bytes_path, sizeof(bytes_path), "tickets.bin");
    path_in(err_path, sizeof(err_path), "stderr.txt");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    sim = start_backend_sim(dir, &port);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    return remove_tree(dir);
}

/* The centre of the button for target and index (-1: the first) on screen of a w x h kiosk
 * with the configuration written last. */
static void centre_at(int w, int h, enum ui_screen screen, bool large, enum ui_target target,
                      int index, int *x, int *y)
{
    kiosk_button_centre(ini, w, h, screen, large, target, index, x, y);
}

static void centre(int w, int h, enum ui_screen screen, bool large, enum ui_target target, int *x,
                   int *y)
{
    centre_at(w, h, screen, large, target, -1, x, y);
}

static int sim_tickets(void)
{
    cJSON *st = http_json(port, "/admin/state", NULL);
    cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "requests"), "tickets_201");
    int tickets = n ? n->valueint : 0;
    cJSON_Delete(st);
    return tickets;
}

struct variant {
    int w, h;
    const char *orientation;
    bool english, large;
    const char *name; /* screenshots are kiosk-NAME-SCREEN.png */
};

/* Home, a department (tapped twice), the ticket; screenshots of each. */
static void take_ticket(const struct variant *v)
{
    char url[64], extra[256], script[128], text[2048], shots[3][160];
    int lx, ly, tx, ty, dx, dy;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    snprintf(extra, sizeof(extra), "orientation = %s\nwidth = %d\nheight = %d\nlanguage = %s",
             v->orientation, v->w, v->h, v->english ? "en" : "zh+en");
    write_config(url, extra);
    int cw = strcmp(v->orientation, "portrait") == 0 ? (v->w < v->h ? v->w : v->h) : v->w;
    int ch = cw == v->w ? v->h : v->w;
    centre(cw, ch, UI_HOME, false, UI_TARGET_LARGE_TEXT, &lx, &ly);
    centre(cw, ch, UI_HOME, v->large, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(cw, ch, UI_DEPARTMENTS, v->large, UI_TARGET_DEPARTMENT, &dx, &dy);
    const char *names[] = {"home", "departments", "ticket"};
    for (int i = 0; i < 3; i++)
        snprintf(shots[i], sizeof(shots[i]), "%s/%s-%s.png", dir, v->name, names[i]);
    char large_tap[48] = ""; /* large text is switched on by its own button first */
    if (v->large)
        snprintf(large_tap, sizeof(large_tap), "tap %d %d\nwait 200\n", lx, ly);
    snprintf(text, sizeof(text),
             "%swait 200\nscreenshot %s\ntap %d %d\nwait 200\nscreenshot %s\n"
             "tap %d %d\ntap %d %d\nwait 1500\nscreenshot %s\n",
             large_tap, shots[0], tx, ty, shots[1], dx, dy, dx, dy, shots[2]);
    path_in(script, sizeof(script), "flow.txt");
    write_text(script, text);
    int before = sim_tickets();
    const char *args[] = {"--headless", "--config",      ini,    "--script",
                          script,       "--status-file", status, NULL};
    assert_int_equal(run_kiosk(args), 0);
    assert_int_equal(sim_tickets(), before + 1); /* a double tap is one ticket */
    for (int i = 0; i < 3; i++) {
        char keep[96];
        snprintf(keep, sizeof(keep), "kiosk-%s-%s.png", v->name, names[i]);
        keep_screenshot(shots[i], keep);
    }
}

/* The pages printed so far, as PBM files page-N.pbm; returns how many. */
static int printed_pages(void)
{
    size_t len;
    unsigned char *data = read_bytes(bytes_path, &len);
    struct decoded d;
    escpos_read(data, len, &d);
    free(data);
    for (int i = 0; i < d.npages; i++) {
        char pbm[128], name[32];
        snprintf(name, sizeof(name), "page-%d.pbm", i);
        path_in(pbm, sizeof(pbm), name);
        page_write_pbm(&d.pages[i], pbm);
    }
    int n = d.npages;
    escpos_read_free(&d);
    return n;
}

/* `kiosk token verify` on url: its output, which names purpose and ticket. */
static const char *verified(const char *url)
{
    const char *verify[] = {"token", "verify", "--config", ini, url, NULL};
    assert_int_equal(run_kiosk(verify), 0);
    return read_text(out_path);
}

/* The ticket on paper: one page, its code scans and names the ticket on screen. */
static void check_printed(void)
{
    assert_int_equal(printed_pages(), 1);
    char pbm[128], url[512], wanted[64];
    path_in(pbm, sizeof(pbm), "page-0.pbm");
    snprintf(url, sizeof(url), "%s", zbar_decode(pbm));
    cJSON *st = cJSON_Parse(read_text(status));
    const char *ticket =
        cJSON_GetObjectItem(cJSON_GetObjectItem(st, "kiosk"), "ticket")->valuestring;
    assert_true(ticket[0] != 0);
    snprintf(wanted, sizeof(wanted), "ticket   %s\n", ticket);
    cJSON_Delete(st);
    assert_non_null(strstr(verified(url), wanted));
}

static void test_take_a_ticket_portrait(void **state)
{
    (void)state;
    take_ticket(&(struct variant){1080, 1920, "portrait", false, false, "portrait"});
    check_printed();
}

static void test_take_a_ticket_english_large_text(void **state)
{
    (void)state;
    take_ticket(&(struct variant){1080, 1920, "portrait", true, true, "en-large"});
    check_printed();
}

static void test_take_a_ticket_landscape(void **state)
{
    (void)state;
    take_ticket(&(struct variant){1920, 1080, "landscape", false, true, "landscape-large"});
    check_printed();
}

/* A portrait kiosk on a landscape panel turned on its side: the canvas is shown rotated, and
 * touches must be turned back onto it to hit their buttons. */
static void test_take_a_ticket_on_a_sideways_panel(void **state)
{
    (void)state;
    take_ticket(&(struct variant){1920, 1080, "portrait", false, false, "rotated"});
    check_printed();
}

/* Nobody answers: no number is invented, nothing is printed, and the patient is told where
 * to go instead. */
static void test_backend_away_prints_nothing(void **state)
{
    (void)state;
    char script[128], text[512], png[128];
    int tx, ty, dx, dy;
    write_config("http://127.0.0.1:9", "orientation = portrait\nwidth = 1080\nheight = 1920");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, &dx, &dy);
    path_in(png, sizeof(png), "unavailable.png");
    path_in(script, sizeof(script), "away.txt");
    snprintf(text, sizeof(text), "tap %d %d\nwait 200\ntap %d %d\nwait 14000\nscreenshot %s\n", tx,
             ty, dx, dy, png);
    write_text(script, text);
    const char *args[] = {"--headless", "--config",      ini,    "--script",
                          script,       "--status-file", status, NULL};
    assert_int_equal(run_kiosk(args), 0);
    assert_non_null(strstr(read_text(status), "\"screen\":\t\"unavailable\""));
    struct stat st;
    assert_true(stat(bytes_path, &st) != 0 || st.st_size == 0);
    keep_screenshot(png, "kiosk-portrait-unavailable.png");
}

static cJSON *sim_state(void)
{
    return http_json(port, "/admin/state", NULL);
}

static int sim_ratings(void)
{
    cJSON *st = sim_state();
    int n = cJSON_GetObjectItem(st, "ratings_total")->valueint;
    cJSON_Delete(st);
    return n;
}

static void run_script(const char *name, const char *text)
{
    char script[128];
    path_in(script, sizeof(script), name);
    write_text(script, text);
    const char *args[] = {"--headless", "--config",      ini,    "--script",
                          script,       "--status-file", status, NULL};
    assert_int_equal(run_kiosk(args), 0);
}

static const char *kiosk_status(const char *field)
{
    static char value[64];
    cJSON *st = cJSON_Parse(read_text(status));
    const cJSON *v = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "kiosk"), field);
    snprintf(value, sizeof(value), "%s", cJSON_IsString(v) ? v->valuestring : "");
    cJSON_Delete(st);
    return value;
}

/* Nobody at the kiosk: it invites a touch from across the hall; the touch that wakes it
 * presses nothing else. */
static void test_attract_screen(void **state)
{
    (void)state;
    char text[512], png[128];
    write_config("http://127.0.0.1:9", "orientation = portrait\nwidth = 1080\nheight = 1920\n"
                                       "[kiosk]\nattract_seconds = 1");
    path_in(png, sizeof(png), "attract.png");
    snprintf(text, sizeof(text), "wait 1500\nscreenshot %s\n", png);
    run_script("attract.txt", text);
    assert_string_equal(kiosk_status("screen"), "attract");
    keep_screenshot(png, "kiosk-portrait-attract.png");
    run_script("wake.txt", "wait 1500\ntap 540 400\nwait 200\n");
    assert_string_equal(kiosk_status("screen"), "home");
}

/* A scanner's burst checks in from the home screen; the same code typed slowly by hand is not
 * taken for a scan. */
static void test_check_in_by_scanner(void **state)
{
    (void)state;
    char url[64], text[1024], shot[2][128];
    int kx, ky;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920");
    cJSON *st = sim_state();
    cJSON *appointment = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "appointments"), 0);
    char code[16];
    snprintf(code, sizeof(code), "%s", cJSON_GetObjectItem(appointment, "code")->valuestring);
    cJSON_Delete(st);
    centre(1080, 1920, UI_HOME, false, UI_TARGET_CHECK_IN, &kx, &ky);
    path_in(shot[0], sizeof(shot[0]), "keypad.png");
    path_in(shot[1], sizeof(shot[1]), "checked-in.png");
    snprintf(text, sizeof(text),
             "type %s\nwait 200\nscreenshot %s\ntap %d %d\nwait 200\nscreenshot %s\n", code,
             shot[0], kx, ky, shot[0]);
    run_script("typed.txt", text);
    assert_string_equal(kiosk_status("screen"), "check_in"); /* typing did not check in */
    keep_screenshot(shot[0], "kiosk-portrait-check-in.png");
    snprintf(text, sizeof(text), "scan %s\nwait 1500\nscreenshot %s\n", code, shot[1]);
    run_script("scan.txt", text);
    assert_string_equal(kiosk_status("screen"), "checked_in");
    st = sim_state();
    appointment = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "appointments"), 0);
    assert_string_equal(kiosk_status("ticket"),
                        cJSON_GetObjectItem(appointment, "ticket")->valuestring);
    cJSON_Delete(st);
    keep_screenshot(shot[1], "kiosk-portrait-checked-in.png");
    check_printed(); /* the check-in slip: its code names the appointment's ticket */
}

/* A rating made while the backend is away waits in the outbox, survives a restart, and
 * reaches the backend once. */
static void test_rating_delivered_once_after_an_outage(void **state)
{
    (void)state;
    char url[64], text[1024], png[128];
    int rx, ry, fx, fy, cx, cy, sx, sy;
    write_config("http://127.0.0.1:9", "orientation = portrait\nwidth = 1080\nheight = 1920");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_RATE, &rx, &ry);
    centre_at(1080, 1920, UI_RATE, false, UI_TARGET_FACE, 4, &fx, &fy);
    centre_at(1080, 1920, UI_RATE, false, UI_TARGET_REASON, 1, &cx, &cy);
    centre(1080, 1920, UI_RATE, false, UI_TARGET_SUBMIT, &sx, &sy);
    path_in(png, sizeof(png), "rate.png");
    snprintf(text, sizeof(text),
             "tap %d %d\nwait 100\ntap %d %d\ntap %d %d\nwait 100\nscreenshot %s\n"
             "tap %d %d\nwait 300\n",
             rx, ry, fx, fy, cx, cy, png, sx, sy);
    run_script("rate.txt", text);
    assert_string_equal(kiosk_status("screen"), "thanks");
    keep_screenshot(png, "kiosk-portrait-rate.png");
    assert_int_equal(sim_ratings(), 0);

    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920");
    const char *run[] = {"--headless", "--config", ini, "--exit-after", "3", NULL};
    assert_int_equal(run_kiosk(run), 0); /* back online: the outbox goes out */
    assert_int_equal(sim_ratings(), 1);
    cJSON *st = sim_state();
    cJSON *rating = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "ratings"), 0);
    assert_int_equal(cJSON_GetObjectItem(rating, "score")->valueint, 4);
    assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(rating, "reasons"), 0)->valuestring,
                        "friendly staff");
    cJSON_Delete(st);
    assert_int_equal(run_kiosk(run), 0);
    assert_int_equal(sim_ratings(), 1); /* and only once */
}

/* A patient scans their own ticket on the results screen: the code on screen and on the
 * printed slip is a results link for that ticket, and the screen shows no result. The rating
 * screen's code is the survey link, to rate on the phone. */
/* A portrait kiosk on backend-sim: a patient takes a ticket; its number in ticket and the
 * code printed on it in ticket_url. */
static void take_printed_ticket(char *ticket, size_t ticket_size, char *ticket_url, size_t url_size)
{
    char url[64], text[256], page[128];
    int tx, ty, dx, dy;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, &dx, &dy);
    snprintf(text, sizeof(text), "wait 200\ntap %d %d\nwait 200\ntap %d %d\nwait 1500\n", tx, ty,
             dx, dy);
    run_script("ticket.txt", text);
    snprintf(ticket, ticket_size, "%s", kiosk_status("ticket"));
    assert_int_equal(printed_pages(), 1);
    path_in(page, sizeof(page), "page-0.pbm");
    snprintf(ticket_url, url_size, "%s", zbar_decode(page));
}

static void test_results_by_scanning_the_ticket(void **state)
{
    (void)state;
    char text[1024], shots[2][128], page[128], ticket_url[512], wanted[64];
    int rx, ry, hx, hy, bx, by;
    char ticket[16];
    take_printed_ticket(ticket, sizeof(ticket), ticket_url, sizeof(ticket_url));

    centre(1080, 1920, UI_HOME, false, UI_TARGET_RESULTS, &hx, &hy);
    centre(1080, 1920, UI_HOME, false, UI_TARGET_RATE, &rx, &ry);
    centre(1080, 1920, UI_RESULTS, false, UI_TARGET_BACK, &bx, &by);
    path_in(shots[0], sizeof(shots[0]), "results.png");
    path_in(shots[1], sizeof(shots[1]), "rate.png");
    snprintf(text, sizeof(text),
             "wait 200\ntap %d %d\nwait 200\nscan %s\nwait 800\nscreenshot %s\n"
             "tap %d %d\nwait 200\ntap %d %d\nwait 200\nscreenshot %s\n",
             hx, hy, ticket_url, shots[0], bx, by, rx, ry, shots[1]);
    run_script("results.txt", text);
    assert_int_equal(printed_pages(), 2); /* the ticket, then the slip */
    snprintf(wanted, sizeof(wanted), "ticket   %s\n", ticket);
    char on_screen[512];
    snprintf(on_screen, sizeof(on_screen), "%s", zbar_decode(shots[0]));
    assert_non_null(strstr(on_screen, "https://s.example/x/"));
    const char *out = verified(on_screen);
    assert_non_null(strstr(out, "results"));
    assert_non_null(strstr(out, wanted));
    path_in(page, sizeof(page), "page-1.pbm");
    assert_string_equal(zbar_decode(page), on_screen);
    out = verified(zbar_decode(shots[1]));
    assert_non_null(strstr(out, "survey"));
    keep_screenshot(shots[0], "kiosk-portrait-results.png");
}

/* A script being written for one kiosk size and mode: presses go to the centre of their
 * target as the layout puts it, screenshots are numbered in order. */
struct flow {
    const struct variant *v;
    int w, h; /* the canvas */
    char text[8192];
    int shots;
};

static void flow_add(struct flow *f, const char *fmt, ...)
{
    va_list ap;
    size_t used = strlen(f->text);
    va_start(ap, fmt);
    vsnprintf(f->text + used, sizeof(f->text) - used, fmt, ap);
    va_end(ap);
}

static void press(struct flow *f, enum ui_screen screen, enum ui_target target, int index)
{
    int x, y;
    centre_at(f->w, f->h, screen, f->v->large, target, index, &x, &y);
    flow_add(f, "tap %d %d\nwait 150\n", x, y);
}

static void shot(struct flow *f, const char *screen)
{
    flow_add(f, "wait 150\nscreenshot %s/tour-%s-%02d-%s.png\n", dir, f->v->name, f->shots++,
             screen);
}

static void keys(struct flow *f, enum ui_screen screen, const char *digits)
{
    for (const char *d = digits; *d; d++)
        press(f, screen, UI_TARGET_KEY, *d - '0');
}

static void flow_start(struct flow *f, const struct variant *v, const char *url, int attract_s)
{
    char extra[256];
    snprintf(extra, sizeof(extra),
             "orientation = %s\nwidth = %d\nheight = %d\nlanguage = %s\n"
             "[kiosk]\nattract_seconds = %d",
             v->orientation, v->w, v->h, v->english ? "en" : "zh+en", attract_s);
    write_config(url, extra);
    *f = (struct flow){.v = v, .w = v->w, .h = v->h};
    if (v->large)
        press(f, UI_HOME, UI_TARGET_LARGE_TEXT, -1);
}

/* Keeps the flow's screenshots for make screenshots, which makes contact sheets of them. */
static void keep_flow(const struct flow *f)
{
    char cmd[512];
    if (!getenv("SCREENSHOT_DIR"))
        return;
    snprintf(cmd, sizeof(cmd), "cp %s/tour-%s-*.png '%s'", dir, f->v->name,
             getenv("SCREENSHOT_DIR"));
    assert_int_equal(system(cmd), 0);
}

/* Every screen a patient can reach with the backend up, in order. */
static void tour_online(const struct variant *v, const char *appointment)
{
    struct flow f;
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    flow_start(&f, v, url, 2);
    shot(&f, "home");
    press(&f, UI_HOME, UI_TARGET_TAKE_TICKET, -1);
    shot(&f, "departments");
    press(&f, UI_DEPARTMENTS, UI_TARGET_DEPARTMENT, 0);
    flow_add(&f, "wait 1500\n");
    shot(&f, "ticket");
    press(&f, UI_TICKET, UI_TARGET_BACK, -1);
    press(&f, UI_HOME, UI_TARGET_CHECK_IN, -1);
    keys(&f, UI_CHECK_IN, "2026");
    shot(&f, "check-in");
    flow_add(&f, "scan %s\nwait 1500\n", appointment);
    shot(&f, "checked-in");
    flow_add(&f, "scan 000000\nwait 1500\n");
    shot(&f, "not-found");
    press(&f, UI_NOT_FOUND, UI_TARGET_BACK, -1);
    press(&f, UI_HOME, UI_TARGET_RESULTS, -1);
    keys(&f, UI_RESULTS_CODE, "2026112");
    shot(&f, "results-code");
    press(&f, UI_RESULTS_CODE, UI_TARGET_KEY, UI_KEY_CONFIRM);
    flow_add(&f, "wait 600\n");
    shot(&f, "results");
    press(&f, UI_RESULTS, UI_TARGET_BACK, -1);
    press(&f, UI_HOME, UI_TARGET_RESULTS, -1);
    flow_add(&f, "scan https://elsewhere.example/?id=7\n");
    shot(&f, "results-error");
    press(&f, UI_RESULTS_ERROR, UI_TARGET_BACK, -1);
    press(&f, UI_HOME, UI_TARGET_RATE, -1);
    press(&f, UI_RATE, UI_TARGET_FACE, 5);
    press(&f, UI_RATE, UI_TARGET_REASON, 1);
    press(&f, UI_RATE, UI_TARGET_REASON, 2);
    shot(&f, "rate");
    press(&f, UI_RATE, UI_TARGET_SUBMIT, -1);
    shot(&f, "thanks");
    press(&f, UI_THANKS, UI_TARGET_BACK, -1);
    flow_add(&f, "wait 2500\n");
    shot(&f, "attract");
    run_script("tour.txt", f.text);
    keep_flow(&f);
}

/* With the backend away: home says so, and a tap says where to go instead, at once. */
static void tour_offline(const struct variant *v)
{
    struct flow f;
    flow_start(&f, v, "http://127.0.0.1:9", 0);
    f.shots = 20;
    flow_add(&f, "wait 1500\n"); /* the feed finds the backend away */
    shot(&f, "home-offline");
    press(&f, UI_HOME, UI_TARGET_TAKE_TICKET, -1);
    shot(&f, "unavailable");
    press(&f, UI_UNAVAILABLE, UI_TARGET_BACK, -1);
    press(&f, UI_HOME, UI_TARGET_CHECK_IN, -1);
    shot(&f, "check-in-unavailable");
    run_script("away.txt", f.text);
    assert_string_equal(kiosk_status("screen"), "unavailable");
    keep_flow(&f);
}

static const char *first_appointment(void)
{
    static char code[16];
    cJSON *st = sim_state();
    cJSON *appointment = cJSON_GetArrayItem(cJSON_GetObjectItem(st, "appointments"), 0);
    snprintf(code, sizeof(code), "%s", cJSON_GetObjectItem(appointment, "code")->valuestring);
    cJSON_Delete(st);
    return code;
}

/* Every screen, in one variant for the test run and in all of them (both languages, large
 * text, both orientations) for make screenshots: one ticket, one check-in, the results code on
 * paper, one rating, and the attract screen at the end. */
static void test_every_screen(void **state)
{
    (void)state;
    static const struct variant variants[] = {
        {1080, 1920, "portrait", false, false, "portrait-zh"},
        {1080, 1920, "portrait", true, false, "portrait-en"},
        {1080, 1920, "portrait", false, true, "portrait-zh-large"},
        {1080, 1920, "portrait", true, true, "portrait-en-large"},
        {1920, 1080, "landscape", false, false, "landscape-zh"},
        {1920, 1080, "landscape", true, false, "landscape-en"},
        {1920, 1080, "landscape", false, true, "landscape-zh-large"},
        {1920, 1080, "landscape", true, true, "landscape-en-large"},
    };
    int n = getenv("SCREENSHOT_DIR") ? 8 : 1;
    for (int i = 0; i < n; i++) {
        int tickets = sim_tickets(), ratings = sim_ratings();
        unlink(bytes_path);
        tour_online(&variants[i], first_appointment());
        assert_string_equal(kiosk_status("screen"), "attract");
        assert_int_equal(sim_tickets(), tickets + 1);
        const char *run[] = {"--headless", "--config", ini, "--exit-after", "2", NULL};
        assert_int_equal(run_kiosk(run), 0); /* the outbox goes out at start */
        assert_int_equal(sim_ratings(), ratings + 1);
        assert_int_equal(printed_pages(), 3); /* the ticket, the check-in slip, the results slip */
        if (n > 1)
            tour_offline(&variants[i]);
    }
}

static const SDL_Color RED = {0xc0, 0x39, 0x2b, 255}, PAUSED = {0x5f, 0x6b, 0x7a, 255};

/* The backend unreachable: the home screen says so before anyone taps (the ticket and
 * check-in buttons grey and worded so, the red bar sending patients to the desk), and a tap
 * says it at once instead of after a 12 s wait. */
static void test_backend_down_is_said_on_home(void **state)
{
    (void)state;
    char text[512], shots[2][128];
    int tx, ty, kx, ky;
    write_config("http://127.0.0.1:9", "orientation = portrait\nwidth = 1080\nheight = 1920");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(1080, 1920, UI_HOME, false, UI_TARGET_CHECK_IN, &kx, &ky);
    path_in(shots[0], sizeof(shots[0]), "home.png");
    path_in(shots[1], sizeof(shots[1]), "check-in.png");
    snprintf(text, sizeof(text), "wait 2000\nscreenshot %s\ntap %d %d\nwait 300\nscreenshot %s\n",
             shots[0], kx, ky, shots[1]);
    run_script("down.txt", text);
    assert_string_equal(kiosk_status("screen"), "unavailable");
    assert_true(colour_near(png_pixel_of(shots[0], 60, ty), PAUSED));
    assert_true(colour_near(png_pixel_of(shots[0], 60, ky), PAUSED));
    assert_true(colour_near(png_pixel_of(shots[0], 4, 1910), RED));
    keep_screenshot(shots[0], "kiosk-portrait-backend-down-home.png");
    keep_screenshot(shots[1], "kiosk-portrait-check-in-unavailable.png");
}

/* A slow backend: the waiting screen has a way back, and going back asks for nothing more. */
static void test_waiting_has_a_way_back(void **state)
{
    (void)state;
    char url[64], text[512], shot[128];
    int tx, ty, dx, dy, bx, by;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920");
    cJSON_Delete(
        http_json(port, "/admin/mode", "{\"mode\": \"normal\", \"action_delay_ms\": 3000}"));
    centre(1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, &dx, &dy);
    centre(1080, 1920, UI_ISSUING, false, UI_TARGET_BACK, &bx, &by);
    path_in(shot, sizeof(shot), "issuing.png");
    snprintf(text, sizeof(text),
             "wait 1000\ntap %d %d\nwait 200\ntap %d %d\nwait 500\nscreenshot %s\ntap %d %d\n"
             "wait 300\n",
             tx, ty, dx, dy, shot, bx, by);
    int before = sim_tickets();
    run_script("back.txt", text);
    assert_string_equal(kiosk_status("screen"), "home");
    for (int i = 0; i < 100 && sim_tickets() == before; i++)
        sleep_ms(100);
    assert_int_equal(sim_tickets(), before + 1); /* the one asked for, and no other */
    keep_screenshot(shot, "kiosk-portrait-issuing.png");
}

/* language = zh: a Chinese-only kiosk, no "English" button in the top bar; large text, once
 * switched on, shows it is on, and its button is there on the departments and rating screens
 * too. */
static void test_chinese_only_large_text(void **state)
{
    (void)state;
    char url[64], text[1024], shots[3][128];
    int lx, ly, tx, ty, dlx, dly, bx, by, rx, ry, fx, fy, c0x, c0y, c3x, c3y;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920\nlanguage = zh");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_LARGE_TEXT, &lx, &ly);
    centre(1080, 1920, UI_HOME, true, UI_TARGET_TAKE_TICKET, &tx, &ty);
    centre(1080, 1920, UI_DEPARTMENTS, true, UI_TARGET_LARGE_TEXT, &dlx, &dly);
    centre(1080, 1920, UI_DEPARTMENTS, true, UI_TARGET_BACK, &bx, &by);
    centre(1080, 1920, UI_HOME, true, UI_TARGET_RATE, &rx, &ry);
    centre_at(1080, 1920, UI_RATE, true, UI_TARGET_FACE, 2, &fx, &fy);
    centre_at(1080, 1920, UI_RATE, true, UI_TARGET_REASON, 0, &c0x, &c0y);
    centre_at(1080, 1920, UI_RATE, true, UI_TARGET_REASON, 3, &c3x, &c3y);
    const char *names[] = {"home", "departments", "rate"};
    for (int i = 0; i < 3; i++) {
        char name[32];
        snprintf(name, sizeof(name), "zh-large-%s.png", names[i]);
        path_in(shots[i], sizeof(shots[i]), name);
    }
    snprintf(text, sizeof(text),
             "wait 200\ntap %d %d\nwait 200\nscreenshot %s\ntap %d %d\nwait 200\nscreenshot %s\n"
             "tap %d %d\nwait 200\ntap %d %d\nwait 200\ntap %d %d\ntap %d %d\ntap %d %d\n"
             "wait 200\nscreenshot %s\n",
             lx, ly, shots[0], tx, ty, shots[1], bx, by, rx, ry, fx, fy, c0x, c0y, c3x, c3y,
             shots[2]);
    run_script("zh-large.txt", text);
    const SDL_Color bar = {0x0b, 0x1f, 0x3a, 255}, navy = {0x0d, 0x47, 0xa1, 255};
    assert_true(colour_near(png_pixel_of(shots[0], 900, 75), bar));         /* no language button */
    assert_true(colour_near(png_pixel_of(shots[1], dlx - 180, dly), navy)); /* large text: on */
    for (int i = 0; i < 3; i++) {
        char keep[64];
        snprintf(keep, sizeof(keep), "kiosk-portrait-zh-large-%s.png", names[i]);
        keep_screenshot(shots[i], keep);
    }
}

/* Very unhappy, waited too long: the thanks offer the complaints number and kiosk-hub's
 * complaint form as a code that scans (the survey link is the hub's /r/{token}, so its /c). */
static void test_unhappy_rating_offers_complaints(void **state)
{
    (void)state;
    char url[64], text[1024], shot[128];
    int rx, ry, fx, fy, cx, cy, sx, sy;
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    write_config(url, "orientation = portrait\nwidth = 1080\nheight = 1920\n"
                      "[kiosk]\ncomplaints_phone = 010-12345678");
    centre(1080, 1920, UI_HOME, false, UI_TARGET_RATE, &rx, &ry);
    centre_at(1080, 1920, UI_RATE, false, UI_TARGET_FACE, 1, &fx, &fy);
    centre_at(1080, 1920, UI_RATE, false, UI_TARGET_REASON, 0, &cx, &cy);
    centre(1080, 1920, UI_RATE, false, UI_TARGET_SUBMIT, &sx, &sy);
    path_in(shot, sizeof(shot), "complaint.png");
    snprintf(text, sizeof(text),
             "tap %d %d\nwait 100\ntap %d %d\ntap %d %d\nwait 100\ntap %d %d\nwait 300\n"
             "screenshot %s\n",
             rx, ry, fx, fy, cx, cy, sx, sy, shot);
    run_script("complaint.txt", text);
    assert_string_equal(kiosk_status("screen"), "thanks");
    assert_string_equal(zbar_decode(shot), "https://s.example/c");
    keep_screenshot(shot, "kiosk-portrait-complaint.png");
}

/* The patient scans their own printed ticket on the rating screen: the rating kept in SQLite
 * (for kiosk report) names that ticket, and the scan checked nobody in. */
static void test_rating_carries_the_scanned_ticket(void **state)
{
    (void)state;
    char text[1024], ticket_url[512], shot[128], db[128], sql[128];
    int rx, ry, fx, fy, sx, sy;
    char ticket[16];
    take_printed_ticket(ticket, sizeof(ticket), ticket_url, sizeof(ticket_url));
    centre(1080, 1920, UI_HOME, false, UI_TARGET_RATE, &rx, &ry);
    centre_at(1080, 1920, UI_RATE, false, UI_TARGET_FACE, 2, &fx, &fy);
    centre(1080, 1920, UI_RATE, false, UI_TARGET_SUBMIT, &sx, &sy);
    path_in(shot, sizeof(shot), "rate-ticket.png");
    snprintf(text, sizeof(text),
             "wait 200\ntap %d %d\nwait 200\nscan %s\nwait 300\ntap %d %d\nwait 100\n"
             "screenshot %s\ntap %d %d\nwait 300\n",
             rx, ry, ticket_url, fx, fy, shot, sx, sy);
    run_script("rate.txt", text);
    assert_string_equal(kiosk_status("screen"), "thanks"); /* not a check-in */
    path_in(db, sizeof(db), "kiosk.db");
    snprintf(sql, sizeof(sql), "SELECT count(*) FROM ratings WHERE ticket = '%s' AND score = 2",
             ticket);
    assert_int_equal(sqlite_int(db, sql), 1);
    keep_screenshot(shot, "kiosk-portrait-rate-ticket.png");
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    if (getenv("TEST_FILTER")) /* one test by name (a glob), while working on it */
        cmocka_set_test_filter(getenv("TEST_FILTER"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_take_a_ticket_portrait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_take_a_ticket_english_large_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_take_a_ticket_landscape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_take_a_ticket_on_a_sideways_panel, setup, teardown),
        cmocka_unit_test_setup_teardown(test_attract_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_away_prints_nothing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_backend_down_is_said_on_home, setup, teardown),
        cmocka_unit_test_setup_teardown(test_waiting_has_a_way_back, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chinese_only_large_text, setup, teardown),
        cmocka_unit_test_setup_teardown(test_unhappy_rating_offers_complaints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rating_carries_the_scanned_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_check_in_by_scanner, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_by_scanning_the_ticket, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_rating_delivered_once_after_an_outage, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
