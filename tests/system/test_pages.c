/* test_pages.c: the call screen's information pages in real pixels: the real kiosk on a
 * known history draws the crowd-by-hour chart with bars in proportion, says so without
 * history, lists ready results, lets a new call take the screen, and wears the light theme.
 * With SCREENSHOT_DIR set (make screenshots) it also shoots every page in both orientations
 * and languages for the docs. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness_screen.h"
#include "render/info_layout.h"
#include "render/theme.h"
#include "store/store.h"

#define SERVICE "测试科" /* the charted department: the demo's own calls are other services */
#define MIN     60

static const char *kiosk_bin;
static char dir[64];
static char err_path[128], out_path[128], db_path[128], png_path[128], status_path[128];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-pages-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(err_path, sizeof(err_path), "%s/stderr.txt", dir);
    snprintf(out_path, sizeof(out_path), "%s/stdout.txt", dir);
    snprintf(db_path, sizeof(db_path), "%s/kiosk.db", dir);
    snprintf(png_path, sizeof(png_path), "%s/screen.png", dir);
    snprintf(status_path, sizeof(status_path), "%s/status.json", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

/* A zone in which the local hour is 20 now (for the next while), so the hours charted
 * below never meet the "now" bar, whatever the time the test runs. POSIX TZ signs are
 * inverted: "EVE-5" is UTC+5. */
static void set_evening_zone(void)
{
    time_t now = time(NULL);
    struct tm utc;
    gmtime_r(&now, &utc);
    int offset = (20 - utc.tm_hour + 24) % 24;
    char tz[16];
    /* POSIX wants a zone name of three letters or more: glibc reads "T-10" as UTC, and the
     * test then failed whenever UTC's hour fell inside the chart (10:00 to 11:59 UTC). */
    snprintf(tz, sizeof(tz), "EVE-%d", offset);
    setenv("TZ", tz, 1);
    tzset();
}

static int64_t local_today_at(int days_before, int hour)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    tm.tm_mday -= days_before;
    tm.tm_hour = hour;
    tm.tm_min = 15;
    tm.tm_sec = 0;
    return (int64_t)mktime(&tm);
}

/* For each of the last `days` days, counts[i] first calls at hours[i], each having waited
 * waits[i] minutes. */
static void write_history_of(int days, const int *hours, const int *waits, const int *counts, int n)
{
    char *err = NULL;
    struct store *s = store_open(db_path, &err);
    assert_non_null(s);
    static struct model m;
    int id = 0;
    for (int day = 1; day <= days; day++) {
        memset(&m, 0, sizeof(m));
        for (int h = 0; h < n; h++)
            for (int k = 0; k < counts[h]; k++) {
                if (m.ncalls == MODEL_CALLS_MAX) { /* a snapshot holds so many: save, go on */
                    m.server_time = local_today_at(day, 12);
                    assert_true(store_save_snapshot(s, &m, m.server_time, &err));
                    memset(&m, 0, sizeof(m));
                }
                struct call *c = &m.calls[m.ncalls++];
                snprintf(c->id, sizeof(c->id), "h%d", id++);
                snprintf(c->ticket, sizeof(c->ticket), "A%03d", id % 1000);
                snprintf(c->room_id, sizeof(c->room_id), "r1");
                snprintf(c->service, sizeof(c->service), SERVICE);
                c->called_at = local_today_at(day, hours[h]) + k * MIN;
                c->issued_at = c->called_at - waits[h] * MIN;
            }
        m.server_time = local_today_at(day, 12);
        assert_true(store_save_snapshot(s, &m, m.server_time, &err));
    }
    store_close(s);
}

/* Five first calls a day for a week in each hour: 09 waits 30 min, 10 waits 20, 11 waits 5. */
static void write_history(void)
{
    static const int hours[] = {9, 10, 11}, waits[] = {30, 20, 5}, counts[] = {5, 5, 5};
    write_history_of(7, hours, waits, counts, 3);
}

/* The demo (frozen) or http backend at url, one page, w x h, for the given seconds; more
 * --set assignments follow in extra (NULL-terminated). */
static void run_page(const char *page, int w, int h, const char *seconds, const char *const *extra)
{
    char set_db[160], rotation[64], size_w[32], size_h[32], orient[48];
    snprintf(set_db, sizeof(set_db), "storage.path=%s", db_path);
    snprintf(rotation, sizeof(rotation), "pages.rotation=%s:30", page);
    snprintf(size_w, sizeof(size_w), "device.width=%d", w);
    snprintf(size_h, sizeof(size_h), "device.height=%d", h);
    snprintf(orient, sizeof(orient), "device.orientation=%s", h > w ? "portrait" : "landscape");
    const char *args[48] = {"--headless",
                            "--config",
                            "assets/demo.ini",
                            "--set",
                            set_db,
                            "--set",
                            rotation,
                            "--set",
                            size_w,
                            "--set",
                            size_h,
                            "--set",
                            orient,
                            "--set",
                            "pages.offpeak_service=" SERVICE,
                            "--set",
                            "pages.takeover_seconds=0",
                            "--set",
                            "display.blink_seconds=0",
                            "--set",
                            "backend.speed=0",
                            "--exit-after",
                            seconds,
                            "--screenshot",
                            png_path,
                            "--status-file",
                            status_path};
    int n = 0;
    while (args[n])
        n++;
    for (int i = 0; extra && extra[i]; i++) {
        args[n++] = "--set";
        args[n++] = extra[i];
    }
    args[n] = NULL;
    if (run_program(kiosk_bin, args, out_path, err_path) != 0)
        fail_msg("the kiosk failed: %s", read_text(err_path));
}

/* Pixels of colour c in box b. */
static int count_colour(SDL_Surface *s, struct box b, SDL_Color c)
{
    int n = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++)
            n += colour_near(png_pixel(s, x, y), c);
    return n;
}

/* The height of the bar of colour c standing in column x of the plot. */
static int bar_height(SDL_Surface *s, const struct chart *ch, int x, SDL_Color c)
{
    int h = 0;
    for (int y = ch->plot.y; y < ch->plot.y + ch->plot.h; y++)
        h += colour_near(png_pixel(s, x, y), c);
    return h;
}

static void assert_page_in_status(const char *page)
{
    const char *text = read_text(status_path);
    assert_non_null(text);
    cJSON *json = cJSON_Parse(text);
    assert_non_null(json);
    cJSON *name = cJSON_GetObjectItem(cJSON_GetObjectItem(json, "page"), "name");
    assert_true(cJSON_IsString(name));
    assert_string_equal(name->valuestring, page);
    cJSON_Delete(json);
}

static void test_chart_draws_the_known_history(void **state)
{
    (void)state;
    set_evening_zone();
    write_history();
    run_page("offpeak", 1920, 1080, "3", NULL);
    assert_page_in_status("offpeak");
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    struct chart ch;
    info_chart(&l, 3, &ch); /* 09, 10 and 11 */
    const struct theme *t = theme_get(THEME_DARK);
    SDL_Surface *s = png_load(png_path);
    int centre[3];
    for (int i = 0; i < 3; i++)
        centre[i] = ch.plot.x + i * ch.step + ch.step / 2;
    int h9 = bar_height(s, &ch, centre[0], t->chart_bar);
    int h10 = bar_height(s, &ch, centre[1], t->chart_bar);
    int h11 = bar_height(s, &ch, centre[2], t->chart_quiet); /* the quietest, in its colour */
    /* Bars in proportion to the medians 30 : 20 : 5 (a pixel either way for rounding). */
    assert_true(h9 > 100);
    assert_true(abs(h10 - h9 * 20 / 30) <= 2);
    assert_true(abs(h11 - h9 * 5 / 30) <= 2);
    assert_int_equal(bar_height(s, &ch, centre[2], t->chart_bar), 0);
    assert_int_equal(count_colour(s, ch.plot, t->chart_now), 0); /* 20:00 is not charted */
    SDL_FreeSurface(s);
    /* The quietest hour is named in words too, and the code still scans. */
    assert_true(strstr(zbar_decode(png_path), "https://survey.hospital.example/") != NULL);
}

/* One day: 09 and 11 have bars, 10 only two calls (no bar), 12 and 19 have calls but too few,
 * the hour now (20) has none: the chart spans 09..11 with a dotted column at 10, the legend
 * says what the dots mean, and nothing is drawn as "现在" past the last bar. */
static void test_chart_marks_hours_without_data(void **state)
{
    (void)state;
    set_evening_zone();
    static const int hours[] = {9, 10, 11, 12, 19}, waits[] = {30, 20, 10, 10, 10},
                     counts[] = {5, 2, 5, 3, 4};
    write_history_of(1, hours, waits, counts, 5);
    run_page("offpeak", 1920, 1080, "3", NULL);
    assert_page_in_status("offpeak");
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    struct chart ch;
    info_chart(&l, 3, &ch); /* 09..11, not 09..19 */
    const struct theme *t = theme_get(THEME_DARK);
    SDL_Surface *s = png_load(png_path);
    int centre = ch.plot.x + ch.step + ch.step / 2; /* 10:00 */
    struct box column = {centre - 6, ch.plot.y, 12, ch.base - ch.plot.y};
    assert_int_equal(count_colour(s, column, t->chart_bar), 0);
    assert_int_equal(count_colour(s, column, t->chart_quiet), 0);
    assert_int_equal(count_colour(s, column, t->rule), 0); /* no thin "zero" bar */
    struct box mark = {centre - 6, ch.base - ch.value_size * 2, 12, ch.value_size * 2};
    assert_true(count_colour(s, mark, t->muted) > 40); /* the dots */
    assert_true(bar_height(s, &ch, ch.plot.x + ch.step / 2, t->chart_bar) > 100);
    assert_true(bar_height(s, &ch, ch.plot.x + 2 * ch.step + ch.step / 2, t->chart_quiet) > 10);
    /* The legend: its dots and words under the hours. */
    assert_true(ch.legend.box.w > 0);
    assert_true(count_colour(s, ch.legend.box, t->muted) > 300);
    /* No hour now is marked: the bold "现在" and hour are drawn in the title colour. */
    assert_int_equal(count_colour(s, ch.plot, t->title), 0);
    assert_int_equal(count_colour(s, ch.plot, t->chart_now), 0);
    SDL_FreeSurface(s);
    keep_screenshot(png_path, "chart-no-data-1920x1080.png");
}

/* Runs of columns holding colour c in rows [y, y + h) of x..x+w, split by gaps of at least
 * min_gap blank columns: their count, and the widest run. */
static int text_runs(SDL_Surface *s, struct box b, SDL_Color c, int min_gap, int *widest)
{
    int runs = 0, start = -1, blank = min_gap;
    *widest = 0;
    for (int x = b.x; x <= b.x + b.w; x++) {
        bool lit = false;
        for (int y = b.y; y < b.y + b.h && x < b.x + b.w && !lit; y++)
            lit = colour_near(png_pixel(s, x, y), c);
        if (lit) {
            if (blank >= min_gap) {
                runs++;
                start = x;
            }
            blank = 0;
            if (x - start + 1 > *widest)
                *widest = x - start + 1;
        } else {
            blank++;
        }
    }
    return runs;
}

/* A clinic open round the clock, in portrait: the hour labels under 24 bars stand apart (a
 * clear gap, never "1819202122"), each no wider than a two-digit hour. */
static void test_chart_hour_labels_stand_apart(void **state)
{
    (void)state;
    set_evening_zone();
    int hours[24], waits[24], counts[24];
    for (int h = 0; h < 24; h++)
        hours[h] = h, waits[h] = 10 + h % 7 * 5, counts[h] = 5;
    write_history_of(1, hours, waits, counts, 24);
    for (int z = 0; z < 2; z++) {
        int w = z ? 1080 : 1920, h = z ? 1920 : 1080;
        run_page("offpeak", w, h, "3", NULL);
        struct layout l;
        layout_compute(&l, w, h, 3, 3, true);
        struct chart ch;
        info_chart(&l, 24, &ch);
        char name[64];
        snprintf(name, sizeof(name), "chart-24h-%dx%d.png", w, h);
        keep_screenshot(png_path, name);
        SDL_Surface *s = png_load(png_path);
        struct box row = {ch.plot.x, ch.label_y, ch.plot.w, ch.label_size};
        int widest, runs = text_runs(s, row, theme_get(THEME_DARK)->muted, 4, &widest);
        SDL_FreeSurface(s);
        if (runs < 8 || widest > ch.label_size * 13 / 10)
            fail_msg("%dx%d: %d hour labels apart, the widest run %d px (type %d px)", w, h, runs,
                     widest, ch.label_size);
    }
}

/* The demo's second page of clinics holds 司马文轩 of "心血管内科（冠心病与结构性心脏病介入诊疗
 * 中心）": his days and sessions get a second detail line, drawn in the text colour. */
static void test_long_department_keeps_days_and_sessions(void **state)
{
    (void)state;
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    for (int z = 0; z < 2; z++) {
        const char *extra[] = {"pages.rotation=clinics:3", NULL};
        run_page("clinics", sizes[z][0], sizes[z][1], "4.5", extra);
        struct layout l;
        layout_compute(&l, sizes[z][0], sizes[z][1], 3, 3, true);
        assert_true(info_clinic_capacity(&l) == 4); /* so the 7th clinic is the 3rd of page 2 */
        struct clinic_cell cell;
        info_clinic_cell(&l, 2, &cell);
        SDL_Surface *s = png_load(png_path);
        const struct theme *t = theme_get(THEME_DARK);
        int second = count_colour(s, cell.detail2.box, t->text);
        SDL_FreeSurface(s);
        if (second < 400)
            fail_msg("%dx%d: the second detail line has %d text pixels", sizes[z][0], sizes[z][1],
                     second);
        char name[64];
        snprintf(name, sizeof(name), "clinics-long-%dx%d.png", sizes[z][0], sizes[z][1]);
        keep_screenshot(png_path, name);
    }
}

/* `kiosk layout` gives each text's height in mm for [display] diagonal_in, with reading
 * distances, and says why a configured list row is not shown; the running kiosk logs that. */
static void test_layout_report_in_millimetres(void **state)
{
    (void)state;
    const char *args[] = {"layout", "--config", "assets/demo.ini", NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    const char *out = read_text(out_path);
    assert_non_null(strstr(out, "1920x1080 landscape, 55-inch screen: 0.634 mm a pixel"));
    /* The hero: 240 px type, 178 px digits, 112.6 mm, 16.9 m; the room 2/3 of that at least. */
    assert_non_null(strstr(out, "| called number (hero)               |  240 |   178 |  112.6 |"));
    assert_non_null(strstr(out, "| room line (hero)                   |  129 |   119 |   75.3 |"));
    assert_non_null(strstr(out, "shows 3 of 3 recent calls and 2 of 3 next"));
    const char *small[] = {
        "layout", "--config", "assets/demo.ini", "--set", "display.diagonal_in=32", NULL};
    assert_int_equal(run_program(kiosk_bin, small, out_path, err_path), 0);
    assert_non_null(strstr(read_text(out_path), "32-inch screen: 0.369 mm a pixel"));
    run_page("rooms", 1920, 1080, "1", NULL);
    assert_non_null(strstr(read_text(err_path), "layout: 1920x1080 shows 3 of 3 recent calls "
                                                "and 2 of 3 next"));
}

static void test_chart_without_history_says_so(void **state)
{
    (void)state;
    run_page("offpeak", 1920, 1080, "3", NULL);
    assert_page_in_status("offpeak");
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    struct chart ch;
    info_chart(&l, 0, &ch);
    const struct theme *t = theme_get(THEME_DARK);
    SDL_Surface *s = png_load(png_path);
    assert_int_equal(count_colour(s, ch.plot, t->chart_bar), 0);
    assert_int_equal(count_colour(s, ch.plot, t->chart_quiet), 0);
    /* "数据还不够，暂无统计 · Not enough history yet" in the muted colour, where bars would be. */
    assert_true(count_colour(s, ch.plot, t->muted) > 200);
    SDL_FreeSurface(s);
}

static void test_results_page_lists_tickets(void **state)
{
    (void)state;
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    char url[64];
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d", port);
    const char *extra[] = {"backend.type=http", url, NULL};
    run_page("results", 1080, 1920, "3", extra);
    stop_process(&sim);
    assert_page_in_status("results");
    struct layout l;
    layout_compute(&l, 1080, 1920, 3, 3, true);
    struct results_grid g;
    info_results(&l, &g);
    struct box card;
    struct line ticket;
    info_results_cell(&g, l.scale, 0, &card, &ticket);
    const struct theme *t = theme_get(THEME_DARK);
    SDL_Surface *s = png_load(png_path);
    /* The first ready ticket on its card: white digits over the card colour. */
    assert_true(count_colour(s, card, t->card) > card.w * card.h / 3);
    assert_true(count_colour(s, ticket.box, t->title) > ticket.box.w * ticket.box.h / 20);
    SDL_FreeSurface(s);
}

static void test_new_call_takes_the_screen(void **state)
{
    (void)state;
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    char url[64], set_db[160];
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d", port);
    snprintf(set_db, sizeof(set_db), "storage.path=%s", db_path);
    const char *args[] = {"--headless",
                          "--config",
                          "assets/demo.ini",
                          "--set",
                          set_db,
                          "--set",
                          "backend.type=http",
                          "--set",
                          url,
                          "--set",
                          "pages.takeover_seconds=30",
                          "--set",
                          "display.blink_seconds=0",
                          "--status-file",
                          status_path,
                          "--screenshot",
                          png_path,
                          NULL};
    const char *argv[32] = {kiosk_bin};
    for (int i = 0; args[i]; i++)
        argv[i + 1] = args[i];
    pid_t kiosk = spawn(argv, err_path);
    status_wait(status_path, "online", "");
    cJSON_Delete(http_json(port, "/admin/call", "{\"room\": \"r2\"}"));
    bool taken = false;
    for (int i = 0; i < 100 && !taken; i++, sleep_ms(100)) {
        const char *text = read_text(status_path);
        taken = text && strstr(text, "\"takeover\":\ttrue");
    }
    assert_true(taken);
    sleep_ms(300);
    stop_process(&kiosk);
    stop_process(&sim);
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    const struct theme *t = theme_get(THEME_DARK);
    SDL_Surface *s = png_load(png_path);
    /* Where the lists and the QR card usually are, the call's panel alone. */
    int right_x = l.takeover.x + l.takeover.w - 300;
    struct box right = {right_x, l.takeover_ticket.box.y, 260,
                        l.takeover_room.box.y - l.takeover_ticket.box.y};
    struct box below = {l.takeover.x + 20, l.takeover_room_en.box.y + l.takeover_room_en.box.h + 8,
                        l.takeover.w - 40, 20};
    assert_true(count_colour(s, below, t->hero) == below.w * below.h);
    assert_true(count_colour(s, right, t->hero) > right.w * right.h * 6 / 10);
    assert_int_equal(count_colour(s, right, (SDL_Color){0, 0, 0, 255}), 0); /* no QR code */
    /* The ticket huge and in the call's colour (red if the sim's call was an emergency). */
    assert_true(count_colour(s, l.takeover_ticket.box, t->accent) +
                    count_colour(s, l.takeover_ticket.box, t->emergency_hero) >
                100000);
    SDL_FreeSurface(s);
    keep_screenshot(png_path, "call-takeover-1920x1080.png");
}

static void test_light_theme(void **state)
{
    (void)state;
    const char *extra[] = {"display.theme=light", NULL};
    run_page("rooms", 1920, 1080, "3", extra);
    const struct theme *t = theme_get(THEME_LIGHT);
    struct layout l;
    layout_compute(&l, 1920, 1080, 3, 3, true);
    SDL_Surface *s = png_load(png_path);
    struct box gap = {l.hero.x, l.hero.y - 16, l.hero.w, 10}; /* between the bar and the hero */
    assert_int_equal(count_colour(s, gap, t->background), gap.w * gap.h);
    struct box bar = {l.top_bar.x + l.top_bar.w / 2, 4, 40, 8};
    assert_int_equal(count_colour(s, bar, t->bar), bar.w * bar.h);
    assert_true(count_colour(s, l.hero, t->hero) > l.hero.w * l.hero.h / 2);
    SDL_FreeSurface(s);
    assert_true(strstr(zbar_decode(png_path), "https://survey.hospital.example/") != NULL);
    keep_screenshot(png_path, "call-light-1920x1080.png");
}

/* For the docs: every page, both orientations, Chinese and English. Only with
 * SCREENSHOT_DIR (it takes a minute); each shot must at least be of the page asked for. */
static void test_every_page_for_the_docs(void **state)
{
    (void)state;
    if (!getenv("SCREENSHOT_DIR"))
        skip();
    static const char *const pages[] = {"rooms", "results", "offpeak", "clinics"};
    static const int sizes[][2] = {{1920, 1080}, {1080, 1920}};
    static const char *const languages[] = {"zh", "en"};
    set_evening_zone();
    write_history();
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    char url[64], lang[32], name[96];
    snprintf(url, sizeof(url), "backend.url=http://127.0.0.1:%d", port);
    for (int p = 0; p < 4; p++)
        for (int z = 0; z < 2; z++)
            for (int g = 0; g < 2; g++) {
                snprintf(lang, sizeof(lang), "device.language=%s", languages[g]);
                /* The reference server has results ready; the frozen demo has the rest. */
                const char *http[] = {"backend.type=http", url, lang, NULL};
                const char *demo[] = {lang, NULL};
                run_page(pages[p], sizes[z][0], sizes[z][1], "3", p == 1 ? http : demo);
                assert_page_in_status(pages[p]);
                snprintf(name, sizeof(name), "page-%s-%s-%s.png",
                         sizes[z][0] > sizes[z][1] ? "landscape" : "portrait", languages[g],
                         pages[p]);
                keep_screenshot(png_path, name);
            }
    stop_process(&sim);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_chart_draws_the_known_history, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chart_marks_hours_without_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chart_hour_labels_stand_apart, setup, teardown),
        cmocka_unit_test_setup_teardown(test_long_department_keeps_days_and_sessions, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_layout_report_in_millimetres, setup, teardown),
        cmocka_unit_test_setup_teardown(test_chart_without_history_says_so, setup, teardown),
        cmocka_unit_test_setup_teardown(test_results_page_lists_tickets, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_call_takes_the_screen, setup, teardown),
        cmocka_unit_test_setup_teardown(test_light_theme, setup, teardown),
        cmocka_unit_test_setup_teardown(test_every_page_for_the_docs, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
