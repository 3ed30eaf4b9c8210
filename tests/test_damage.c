/* test_damage.c: a region redrawn over the last frame gets exactly the pixels a whole redraw
 * would. For each thing that changes alone (the minute, a blink phase, the QR code turning,
 * the next notice, the ticker moving, a blinking new call filling the screen), the call screen
 * is drawn whole in the state before, then only the regions view_tick marks as damaged in the
 * state after, and compared byte for byte with the screen drawn whole in the state after.
 * Real drawing: the display module on SDL's offscreen driver, drawn by the CPU into the window
 * as on a PC with no GPU, the real fonts, the demo clinic's queue and two real QR codes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <SDL2/SDL_ttf.h>
#include <cmocka.h>

#include "backend/demo.h"
#include "config/config.h"
#include "qr/screen_codes.h"
#include "render/display.h"
#include "render/screen.h"
#include "text/fonts.h"
#include "text/text.h"
#include "view.h"

/* 2026-12-05 10:41:30 UTC: the minute turns 30 s later, the hour does not. */
#define START_TIME ((time_t)1796467290)
#define START_MS   1000000

static char dir[64], key_path[96];

struct rig {
    struct config config;
    struct display *display;
    struct fonts *fonts;
    struct text_cache *text;
    struct screen_codes *codes;
    struct screen_assets assets;
    struct layout layout;
    struct view view;
    struct demo_sim *sim;
};

static int group_setup(void **state)
{
    (void)state;
    setenv("TZ", "UTC", 1);
    tzset();
    snprintf(dir, sizeof(dir), "/tmp/kiosk-damage-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    snprintf(key_path, sizeof(key_path), "%s/site.key", dir);
    FILE *f = fopen(key_path, "wb");
    unsigned char key[32];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(i * 29 + 3);
    if (!f || fwrite(key, 1, sizeof(key), f) != sizeof(key) || fclose(f) != 0)
        return -1;
    chmod(key_path, 0600);
    return TTF_Init();
}

static int group_teardown(void **state)
{
    (void)state;
    TTF_Quit();
    unlink(key_path);
    return rmdir(dir);
}

static void set(struct config *c, const char *assignment)
{
    char *err = NULL;
    if (!config_set(c, assignment, &err))
        fail_msg("%s: %s", assignment, err);
}

/* A 1920x1080 (or turned) call screen on the demo clinic two hours into the day. */
static void rig_open(struct rig *r, const char *orientation, const char *notice_style)
{
    memset(r, 0, sizeof(*r));
    config_defaults(&r->config);
    char line[256];
    set(&r->config, "device.width=1920");
    set(&r->config, "device.height=1080");
    snprintf(line, sizeof(line), "device.orientation=%s", orientation);
    set(&r->config, line);
    snprintf(line, sizeof(line), "display.notice_style=%s", notice_style);
    set(&r->config, line);
    set(&r->config, "display.hospital_zh=市人民医院");
    set(&r->config, "display.hospital_en=City People's Hospital");
    set(&r->config, "display.notices=请保持安静，留意叫号|Please keep quiet and listen for your "
                    "number;投诉与建议请拨打服务台电话 0571-88888888|Complaints: call the "
                    "service desk on 0571-88888888 or scan the code on screen");
    snprintf(line, sizeof(line), "qr.key_file=%s", key_path);
    set(&r->config, line);
    set(&r->config, "qr.survey_url=https://survey.hospital.example/r/{token}");
    set(&r->config, "qr.results_url=https://survey.hospital.example/l/{token}");
    char *err = NULL;
    r->codes = screen_codes_create(&r->config, START_TIME, &err);
    if (!r->codes)
        fail_msg("%s", err);
    if (!(r->fonts = fonts_create(&r->config, &err)) ||
        !(r->display = display_create(&r->config, true, &err)))
        fail_msg("%s", err);
    int w, h;
    display_canvas_size(r->display, &w, &h);
    r->text = text_cache_create(display_renderer(r->display), r->fonts, 4L * w * h);
    layout_compute(&r->layout, w, h, r->config.display.recent_count, r->config.display.next_count,
                   true);
    r->assets.codes = r->codes;
    r->sim = demo_sim_create(7, START_TIME - 7200);
    demo_sim_advance(r->sim, 7200);
    view_init(&r->view, &r->config, START_MS, START_TIME);
    r->view.model = *demo_sim_model(r->sim);
    r->view.has_model = true;
    r->view.conn = CONN_ONLINE;
}

static void rig_close(struct rig *r)
{
    demo_sim_destroy(r->sim);
    text_cache_destroy(r->text);
    display_destroy(r->display);
    fonts_destroy(r->fonts);
    screen_codes_destroy(r->codes);
}

/* The canvas as the screenshots see it: ARGB8888, row after row. */
static Uint32 *pixels(struct rig *r)
{
    int w, h;
    display_canvas_size(r->display, &w, &h);
    Uint32 *p = malloc((size_t)w * (size_t)h * 4);
    assert_non_null(p);
    assert_int_equal(SDL_RenderReadPixels(display_renderer(r->display), NULL,
                                          SDL_PIXELFORMAT_ARGB8888, p, w * 4),
                     0);
    return p;
}

static void draw_whole(struct rig *r, uint64_t now_ms, time_t now)
{
    struct draw d = {display_renderer(r->display), r->text};
    display_begin(r->display);
    r->view.scrolling = screen_draw(&d, &r->layout, &r->view, &r->assets, now_ms, now);
    text_cache_end_frame(r->text);
    display_present(r->display, NULL, 0);
    r->view.dirty = false;
    r->view.damage = 0;
}

/* As the app's render_damage: the damaged regions drawn and presented alone. */
static int draw_damage(struct rig *r, uint64_t now_ms, time_t now, SDL_Rect *boxes)
{
    struct draw d = {display_renderer(r->display), r->text};
    display_begin(r->display);
    int n = screen_draw_damage(&d, &r->layout, &r->view, &r->assets, now_ms, now, boxes,
                               &r->view.scrolling);
    display_present(r->display, boxes, n);
    r->view.damage = 0;
    return n;
}

/* Counts the pixels that differ; both are w x h. */
static long differing(const Uint32 *a, const Uint32 *b, int w, int h)
{
    long n = 0;
    for (long i = 0; i < (long)w * h; i++)
        n += a[i] != b[i];
    return n;
}

/* Draws whole at (ms0, t0); ticks to (ms1, t1), which must damage exactly `expected` and not
 * dirty the screen; draws only the damage; compares with a whole drawing at (ms1, t1). The
 * before and after pictures must differ, or the test would prove nothing. */
static void check_damage(struct rig *r, uint64_t ms0, time_t t0, uint64_t ms1, time_t t1,
                         unsigned expected)
{
    int w, h;
    display_canvas_size(r->display, &w, &h);
    view_tick(&r->view, ms0, t0);
    draw_whole(r, ms0, t0);
    Uint32 *before = pixels(r);
    view_tick(&r->view, ms1, t1);
    assert_false(r->view.dirty);
    assert_int_equal(r->view.damage, expected);
    SDL_Rect boxes[SCREEN_DAMAGE_MAX];
    assert_true(draw_damage(r, ms1, t1, boxes) > 0);
    Uint32 *partial = pixels(r);
    draw_whole(r, ms1, t1);
    Uint32 *whole = pixels(r);
    assert_true(differing(before, whole, w, h) > 0);
    long wrong = differing(partial, whole, w, h);
    if (wrong)
        fail_msg("%ld pixels differ after redrawing damage %#x only", wrong, expected);
    free(before);
    free(partial);
    free(whole);
}

static void test_a_new_minute_redraws_the_top_bar_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    check_damage(&r, START_MS, START_TIME, START_MS + 100, START_TIME + 30, VIEW_DAMAGE_CLOCK);
    rig_close(&r);
}

static void test_a_blink_phase_redraws_the_current_call_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    r.view.blink_start_ms = START_MS;
    r.view.blink_end_ms = START_MS + 6000;
    check_damage(&r, START_MS, START_TIME, START_MS + VIEW_BLINK_PERIOD_MS, START_TIME,
                 VIEW_DAMAGE_BLINK);
    rig_close(&r);
}

static void test_a_blinking_new_call_filling_the_screen_redraws_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    r.view.blink_start_ms = START_MS;
    r.view.blink_end_ms = START_MS + 6000;
    r.view.takeover_end_ms = START_MS + 5000;
    check_damage(&r, START_MS, START_TIME, START_MS + VIEW_BLINK_PERIOD_MS, START_TIME,
                 VIEW_DAMAGE_BLINK);
    rig_close(&r);
}

static void test_the_qr_code_turning_redraws_its_card_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    uint64_t turn = (uint64_t)r.config.qr.rotate_seconds * 1000;
    r.config.display.notice_seconds = 2 * r.config.qr.rotate_seconds; /* not turning as well */
    check_damage(&r, START_MS, START_TIME, START_MS + turn, START_TIME, VIEW_DAMAGE_QR);
    rig_close(&r);
}

static void test_the_next_notice_redraws_the_notice_bar_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    uint64_t turn = (uint64_t)r.config.display.notice_seconds * 1000;
    check_damage(&r, START_MS, START_TIME, START_MS + turn, START_TIME, VIEW_DAMAGE_NOTICE);
    rig_close(&r);
}

static void test_a_moving_ticker_redraws_the_notice_bar_alone(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "scroll");
    draw_whole(&r, START_MS, START_TIME);
    assert_true(r.view.scrolling);
    check_damage(&r, START_MS, START_TIME, START_MS + 200, START_TIME, VIEW_DAMAGE_NOTICE);
    rig_close(&r);
}

static void test_a_new_hour_redraws_the_whole_screen(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "landscape", "page");
    view_tick(&r.view, START_MS, START_TIME);
    r.view.dirty = false;
    view_tick(&r.view, START_MS + 1000, START_TIME + 19 * 60); /* 11:00:30: the chart's hour */
    assert_true(r.view.dirty);
    rig_close(&r);
}

/* A portrait canvas on a landscape monitor: the CPU turns only the changed rectangles into
 * the window, and what the monitor shows is still the canvas turned, pixel for pixel. */
static void test_a_turned_canvas_reaches_the_window_turned(void **state)
{
    (void)state;
    struct rig r;
    rig_open(&r, "portrait", "scroll");
    int cw, ch;
    display_canvas_size(r.display, &cw, &ch);
    assert_int_equal(cw, 1080);
    assert_int_equal(ch, 1920);
    draw_whole(&r, START_MS, START_TIME);
    r.view.blink_start_ms = START_MS;
    r.view.blink_end_ms = START_MS + 6000;
    view_tick(&r.view, START_MS + VIEW_BLINK_PERIOD_MS + 40, START_TIME + 30);
    SDL_Rect boxes[SCREEN_DAMAGE_MAX];
    assert_int_equal(draw_damage(&r, START_MS + VIEW_BLINK_PERIOD_MS + 40, START_TIME + 30, boxes),
                     3); /* the top bar, the current call, the notice bar */
    Uint32 *canvas = pixels(&r);
    SDL_Window *window = NULL;
    for (Uint32 id = 1; id < 100 && !window; id++) /* the one window the display opened */
        window = SDL_GetWindowFromID(id);
    assert_non_null(window);
    SDL_Surface *shown = SDL_GetWindowSurface(window);
    assert_non_null(shown);
    assert_int_equal(shown->w, 1920);
    assert_int_equal(shown->h, 1080);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(shown, SDL_PIXELFORMAT_ARGB8888, 0);
    assert_non_null(argb);
    long wrong = 0;
    for (int cy = 0; cy < ch; cy++)
        for (int cx = 0; cx < cw; cx++) {
            int x, y;
            display_to_output(r.display, cx, cy, &x, &y);
            Uint32 out = ((Uint32 *)argb->pixels)[(size_t)y * (size_t)argb->pitch / 4 + (size_t)x];
            wrong +=
                (out | 0xFF000000u) != (canvas[(size_t)cy * (size_t)cw + (size_t)cx] | 0xFF000000u);
        }
    assert_int_equal(wrong, 0);
    SDL_FreeSurface(argb);
    free(canvas);
    rig_close(&r);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_a_new_minute_redraws_the_top_bar_alone),
        cmocka_unit_test(test_a_blink_phase_redraws_the_current_call_alone),
        cmocka_unit_test(test_a_blinking_new_call_filling_the_screen_redraws_alone),
        cmocka_unit_test(test_the_qr_code_turning_redraws_its_card_alone),
        cmocka_unit_test(test_the_next_notice_redraws_the_notice_bar_alone),
        cmocka_unit_test(test_a_moving_ticker_redraws_the_notice_bar_alone),
        cmocka_unit_test(test_a_new_hour_redraws_the_whole_screen),
        cmocka_unit_test(test_a_turned_canvas_reaches_the_window_turned),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
