/* test_integration.c: the real kiosk binary, headless, as staff and CI run it: its status
 * file, its screenshots (real pixels), its configuration errors and its restart behaviour.
 * With SCREENSHOT_DIR set, the screenshots are kept there (make screenshots uses this). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL_image.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness_screen.h"
#include "model/model_json.h"
#include "render/layout.h"
#include "store/store.h"

static const char *kiosk_bin;
static char dir[64];
static char err_path[128], out_path[128];

static const SDL_Color BACKGROUND = {0x0b, 0x1f, 0x3a, 255};
static const SDL_Color BAR = {0x07, 0x16, 0x29, 255};

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Runs the kiosk with args (NULL-terminated) and returns its exit status; stderr goes to
 * err_path. A run longer than 60 s is killed and fails. */
static int run_kiosk(const char *const *args)
{
    return run_program(kiosk_bin, args, out_path, err_path);
}

static cJSON *read_status(const char *path)
{
    const char *text = read_text(path);
    assert_non_null(text);
    cJSON *json = cJSON_Parse(text);
    assert_non_null(json);
    return json;
}

/* Share of pixels in b that are bright (text on the dark panels). */
static double bright_share(SDL_Surface *s, struct box b)
{
    long bright = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            SDL_Color c = png_pixel(s, x, y);
            bright += c.r + c.g + c.b > 3 * 170;
        }
    return (double)bright / ((double)b.w * b.h);
}

/* Fails unless every pixel of b is the plain background: nothing spilled into it. */
static void assert_clean(SDL_Surface *s, struct box b, SDL_Color bg, const char *what)
{
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++)
            if (!colour_near(png_pixel(s, x, y), bg))
                fail_msg("%s: pixel (%d,%d) is not background: something overflows", what, x, y);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-it-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(err_path, sizeof(err_path), "stderr.txt");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

/* Runs the demo config headless at w x h, with the store at db; exit_after in seconds. */
static void run_headless(const char *db, int w, int h, const char *orientation,
                         const char *exit_after, const char *png, const char *status)
{
    char set_db[160], size_w[32], size_h[32], orient[48];
    snprintf(set_db, sizeof(set_db), "storage.path=%s", db);
    snprintf(size_w, sizeof(size_w), "device.width=%d", w);
    snprintf(size_h, sizeof(size_h), "device.height=%d", h);
    snprintf(orient, sizeof(orient), "device.orientation=%s", orientation);
    const char *args[] = {"--headless",    "--config",     "assets/demo.ini",
                          "--set",         set_db,         "--set",
                          size_w,          "--set",        size_h,
                          "--set",         orient,         "--exit-after",
                          exit_after,      "--screenshot", png,
                          "--status-file", status,         NULL};
    assert_int_equal(run_kiosk(args), 0);
}

struct shot {
    int width, height;
    const char *orientation;
    const char *keep_as;
};

/* kiosk token verify --config ini url: the exit status; stdout in out_path. */
static int verify_token(const char *ini, const char *url)
{
    const char *verify[] = {"token", "verify", "--config", ini, url, NULL};
    return run_kiosk(verify);
}

/* The QR code on screen, read from the screenshot as a phone would: it holds a link under
 * url_prefix whose token verifies with the site key, and one changed character does not.
 * far: it also reads at 40 % of the size, like a camera across the room. Returns the URL. */
static const char *check_screen_code(const char *png, const char *ini, const char *url_prefix,
                                     bool far)
{
    static char url[512];
    snprintf(url, sizeof(url), "%s", zbar_decode(png));
    if (strncmp(url, url_prefix, strlen(url_prefix)) != 0)
        fail_msg("the screen's QR code reads \"%s\", not a link under %s", url, url_prefix);
    if (far) {
        char small[128];
        path_in(small, sizeof(small), "far.png");
        png_scale(png, small, 0.4);
        assert_string_equal(zbar_decode(small), url);
    }
    assert_int_equal(verify_token(ini, url), 0);
    char tampered[512];
    snprintf(tampered, sizeof(tampered), "%s", url);
    char *c = tampered + strlen(url_prefix) + 12;
    *c = *c == 'x' ? 'y' : 'x';
    assert_int_equal(verify_token(ini, tampered), 1);
    assert_non_null(strstr(read_text(err_path), "kiosk: token:"));
    assert_int_equal(verify_token(ini, url), 0); /* leaves the decoded fields in out_path */
    return url;
}

/* The demo clinic after 3 s: populated, online, and drawn where the layout says. */
static void check_demo_screen(const struct shot *shot)
{
    char png[128], status[128], db[128];
    path_in(png, sizeof(png), "screen.png");
    path_in(status, sizeof(status), "status.json");
    path_in(db, sizeof(db), "kiosk.db");
    run_headless(db, shot->width, shot->height, shot->orientation, "3", png, status);

    cJSON *st = read_status(status);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "has_model")));
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetObjectItem(st, "connection"), "state")->valuestring, "online");
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(st, "calls")) >= 5);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(st, "waiting")) >= 5);
    assert_true(cJSON_GetArraySize(cJSON_GetObjectItem(st, "rooms")) >= 4);
    assert_true(cJSON_GetObjectItem(st, "version")->valuedouble > 0);
    cJSON_Delete(st);

    SDL_Surface *s = png_load(png);
    bool portrait = strcmp(shot->orientation, "portrait") == 0;
    int longer = shot->width > shot->height ? shot->width : shot->height;
    int shorter = shot->width > shot->height ? shot->height : shot->width;
    assert_int_equal(s->w, portrait ? shorter : longer);
    assert_int_equal(s->h, portrait ? longer : shorter);
    struct layout l;
    layout_compute(&l, s->w, s->h, 3, 3, true);
    assert_true(colour_near(png_pixel(s, s->w / 2, 2), BAR));
    assert_true(colour_near(png_pixel(s, 2, l.hero.y + l.hero.h / 2), BACKGROUND));
    /* The called number is drawn big and bright in the hero panel. */
    assert_true(bright_share(s, l.hero_ticket.box) > 0.08);
    assert_true(bright_share(s, l.hero_room.box) > 0.03);
    assert_true(bright_share(s, l.recent[0].ticket.box) > 0.05);
    assert_true(bright_share(s, l.next[0].ticket.box) > 0.05);
    assert_true(bright_share(s, l.clock.box) > 0.05);
    SDL_FreeSurface(s);
    keep_screenshot(png, shot->keep_as);
    /* The survey code comes first; 40 % of a 720p screen is below what any camera resolves. */
    check_screen_code(png, "assets/demo.ini", "https://survey.hospital.example/r/", longer >= 1920);
    assert_non_null(strstr(read_text(out_path), "purpose  survey\ndevice   demo-1\nticket   \n"));
}

/* A door screen for one room that shows only the results code: the token names the room. */
static void test_room_screen_shows_its_results_code(void **state)
{
    (void)state;
    char ini[128], key[128], png[128], db[128];
    path_in(ini, sizeof(ini), "room.ini");
    path_in(key, sizeof(key), "site.key");
    path_in(png, sizeof(png), "room.png");
    path_in(db, sizeof(db), "room.db");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    char text[512];
    snprintf(text, sizeof(text),
             "[device]\nid = door-3\norientation = portrait\nwidth = 1080\nheight = 1920\n"
             "[display]\nroom = r3\n[storage]\npath = %s\n[qr]\nkey_file = site.key\n"
             "results_url = https://res.example/l/{token}\n",
             db);
    write_text(ini, text);
    const char *args[] = {"--headless", "--config",     ini, "--exit-after",
                          "1",          "--screenshot", png, NULL};
    assert_int_equal(run_kiosk(args), 0);
    check_screen_code(png, ini, "https://res.example/l/", true);
    const char *fields = read_text(out_path);
    assert_non_null(strstr(fields, "purpose  results"));
    assert_non_null(strstr(fields, "room     r3"));
}

static void test_demo_landscape_1080p(void **state)
{
    (void)state;
    check_demo_screen(&(struct shot){1920, 1080, "landscape", "call-1920x1080.png"});
}

static void test_demo_landscape_720p(void **state)
{
    (void)state;
    check_demo_screen(&(struct shot){1280, 720, "landscape", "call-1280x720.png"});
}

static void test_demo_portrait(void **state)
{
    (void)state;
    check_demo_screen(&(struct shot){1080, 1920, "portrait", "call-1080x1920.png"});
}

static void test_portrait_on_a_landscape_monitor_is_rotated(void **state)
{
    (void)state;
    /* The monitor runs 1920x1080 but hangs on its side: the canvas is upright portrait. */
    check_demo_screen(&(struct shot){1920, 1080, "portrait", "call-rotated.png"});
}

/* Seeds the store with the fixture, then shows it as the first frame (before the backend
 * thread delivers anything), so the picture is exactly the fixture. */
static SDL_Surface *render_fixture(const char *fixture, int w, int h, const char *orientation,
                                   const char *keep_as)
{
    char db[128], png[128], status[128], *err = NULL;
    path_in(db, sizeof(db), "fixture.db");
    path_in(png, sizeof(png), "fixture.png");
    path_in(status, sizeof(status), "fixture.json");
    cJSON *json = cJSON_Parse(read_text(fixture));
    struct model *m = calloc(1, sizeof(*m));
    if (!model_from_json(json, m, &err))
        fail_msg("%s: %s", fixture, err);
    cJSON_Delete(json);
    struct store *store = store_open(db, &err);
    assert_non_null(store);
    assert_true(store_save_snapshot(store, m, 1795000000, &err));
    store_close(store);
    free(m);
    run_headless(db, w, h, orientation, "0", png, status);
    cJSON *st = read_status(status);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(st, "restored")));
    assert_int_equal((int)cJSON_GetObjectItem(st, "version")->valuedouble, 7001);
    cJSON_Delete(st);
    keep_screenshot(png, keep_as);
    return png_load(png);
}

static void test_long_names_never_overflow_landscape(void **state)
{
    (void)state;
    SDL_Surface *s = render_fixture("tests/fixtures/long-names.json", 1920, 1080, "landscape",
                                    "long-names-1920x1080.png");
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    int body_top = l.top_bar.h, body_bottom = l.notice_bar.y;
    int gutter_x = l.hero.x + l.hero.w, gutter_w = l.recent_title.box.x - gutter_x;
    assert_clean(s, (struct box){gutter_x + 1, body_top, gutter_w - 2, body_bottom - body_top},
                 BACKGROUND, "gutter between the hero and the lists");
    int right = l.recent_title.box.x + l.recent_title.box.w;
    assert_clean(s, (struct box){right + 1, body_top, 1920 - right - 1, body_bottom - body_top},
                 BACKGROUND, "right margin");
    assert_clean(s, (struct box){0, body_top, l.hero.x - 1, body_bottom - body_top}, BACKGROUND,
                 "left margin");
    assert_true(bright_share(s, l.hero_ticket.box) > 0.08); /* "A1234" still drawn */
    SDL_FreeSurface(s);
}

static void test_long_names_never_overflow_portrait(void **state)
{
    (void)state;
    SDL_Surface *s = render_fixture("tests/fixtures/long-names.json", 1080, 1920, "portrait",
                                    "long-names-1080x1920.png");
    struct layout l;
    layout_compute(&l, 1080, 1920, 3, 3, true);
    int body_top = l.top_bar.h, body_bottom = l.notice_bar.y;
    assert_clean(s, (struct box){0, body_top, l.hero.x - 1, body_bottom - body_top}, BACKGROUND,
                 "left margin");
    int right = l.hero.x + l.hero.w;
    assert_clean(s, (struct box){right + 1, body_top, 1080 - right - 1, body_bottom - body_top},
                 BACKGROUND, "right margin");
    SDL_FreeSurface(s);
}

static void test_restart_shows_last_known_queue_at_once(void **state)
{
    (void)state;
    char status[128], db[160];
    path_in(status, sizeof(status), "status.json");
    snprintf(db, sizeof(db), "storage.path=%s/kiosk.db", dir);
    const char *first[] = {"--headless",   "--config", "assets/demo.ini", "--set", db,
                           "--exit-after", "2",        "--status-file",   status,  NULL};
    assert_int_equal(run_kiosk(first), 0);
    cJSON *before = read_status(status);
    double version = cJSON_GetObjectItem(before, "version")->valuedouble;
    char ticket[16];
    snprintf(
        ticket, sizeof(ticket), "%s",
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(before, "calls"), 0), "ticket")
            ->valuestring);
    cJSON_Delete(before);
    unlink(status);
    const char *second[] = {"--headless",   "--config", "assets/demo.ini", "--set", db,
                            "--exit-after", "0",        "--status-file",   status,  NULL};
    assert_int_equal(run_kiosk(second), 0);
    cJSON *after = read_status(status);
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(after, "restored")));
    assert_true(cJSON_GetObjectItem(after, "version")->valuedouble == version);
    assert_string_equal(
        cJSON_GetObjectItem(cJSON_GetArrayItem(cJSON_GetObjectItem(after, "calls"), 0), "ticket")
            ->valuestring,
        ticket);
    cJSON_Delete(after);
}

static void expect_config_error(const char *ini, const char *expected)
{
    char path[128], wanted[256];
    path_in(path, sizeof(path), "bad.ini");
    write_text(path, ini);
    const char *args[] = {"--headless", "--config", path, "--exit-after", "0", NULL};
    assert_int_not_equal(run_kiosk(args), 0);
    snprintf(wanted, sizeof(wanted), "%s%s", path, expected);
    const char *err = read_text(err_path);
    if (!strstr(err, wanted))
        fail_msg("expected \"%s\" in stderr:\n%s", wanted, err);
}

static void test_config_errors_stop_the_kiosk(void **state)
{
    (void)state;
    expect_config_error("[device]\nid = t1\n[display]\ncolour = red\n", ":4:");
    expect_config_error("[device]\nid = t1\nrole = screen\n", ":3:");
    expect_config_error("[device]\nid = t1\n[display]\nrecent_count = 99\n", ":4:");
    const char *missing[] = {"--config", "/nonexistent/kiosk.ini", NULL};
    assert_int_not_equal(run_kiosk(missing), 0);
    assert_non_null(strstr(read_text(err_path), "/nonexistent/kiosk.ini"));
}

static void test_version_and_help(void **state)
{
    (void)state;
    const char *version[] = {"--version", NULL};
    assert_int_equal(run_kiosk(version), 0);
    const char *help[] = {"--help", NULL};
    assert_int_equal(run_kiosk(help), 0);
    const char *bogus[] = {"--no-such-option", NULL};
    assert_int_equal(run_kiosk(bogus), 2);
}

/* kiosk token issue, then verify the printed URL; one changed character must fail. */
static void test_token_cli_round_trip(void **state)
{
    (void)state;
    char ini[128], key[128], url[512];
    path_in(ini, sizeof(ini), "qr.ini");
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    write_text(ini, "[device]\nid = ward3\n[qr]\nkey_file = site.key\n"
                    "survey_url = https://survey.example/r/{token}\n");
    const char *issue[] = {"token",    "issue", "--config", ini,  "--purpose", "survey",
                           "--ticket", "A023",  "--room",   "r3", NULL};
    assert_int_equal(run_kiosk(issue), 0);
    const char *printed = strstr(read_text(out_path), "https://");
    assert_non_null(printed);
    snprintf(url, sizeof(url), "%.*s", (int)strcspn(printed, "\n"), printed);
    const char *verify[] = {"token", "verify", "--config", ini, url, NULL};
    assert_int_equal(run_kiosk(verify), 0);
    assert_non_null(strstr(read_text(out_path), "ticket   A023"));
    url[strlen(url) - 10] = url[strlen(url) - 10] == 'A' ? 'B' : 'A';
    assert_int_equal(run_kiosk(verify), 1);
    assert_non_null(strstr(read_text(err_path), "bad signature"));
    chmod(key, 0644);
    assert_int_equal(run_kiosk(verify), 1);
    assert_non_null(strstr(read_text(err_path), "readable by others"));
    /* The screen itself refuses to start with that key rather than show unverifiable codes. */
    const char *screen[] = {"--headless", "--config", ini, "--exit-after", "0", NULL};
    assert_int_not_equal(run_kiosk(screen), 0);
    assert_non_null(strstr(read_text(err_path), "readable by others"));
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_demo_landscape_1080p, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_landscape_720p, setup, teardown),
        cmocka_unit_test_setup_teardown(test_demo_portrait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_portrait_on_a_landscape_monitor_is_rotated, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_long_names_never_overflow_landscape, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_names_never_overflow_portrait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_restart_shows_last_known_queue_at_once, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_config_errors_stop_the_kiosk, setup, teardown),
        cmocka_unit_test_setup_teardown(test_version_and_help, setup, teardown),
        cmocka_unit_test_setup_teardown(test_token_cli_round_trip, setup, teardown),
        cmocka_unit_test_setup_teardown(test_room_screen_shows_its_results_code, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
