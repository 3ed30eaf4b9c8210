/* test_render.c: text on a real (offscreen, software) SDL renderer: strings always fit their
 * box, are cut only by whole characters with an ellipsis, and are rendered once then reused. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <string.h>

#include "config/config.h"
#include "render/draw.h"
#include "text/fonts.h"
#include "text/text.h"

static SDL_Window *window;
static SDL_Renderer *renderer;
static struct fonts *fonts;
static struct text_cache *cache;
static struct draw d;

static const SDL_Color WHITE = {255, 255, 255, 255};

static int setup(void **state)
{
    (void)state;
    SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    assert_int_equal(SDL_Init(SDL_INIT_VIDEO), 0);
    assert_int_equal(TTF_Init(), 0);
    window = SDL_CreateWindow("t", 0, 0, 800, 200, 0);
    renderer = SDL_CreateRenderer(window, -1, SDL_RENDERER_SOFTWARE);
    assert_non_null(renderer);
    struct config config;
    memset(&config, 0, sizeof(config));
    char *err = NULL;
    fonts = fonts_create(&config, &err);
    if (!fonts)
        fail_msg("%s", err);
    cache = text_cache_create(renderer, fonts, 16L * 1024 * 1024);
    d = (struct draw){renderer, cache};
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    text_cache_destroy(cache);
    fonts_destroy(fonts);
    SDL_DestroyRenderer(renderer);
    SDL_DestroyWindow(window);
    TTF_Quit();
    SDL_Quit();
    return 0;
}

static const struct line line48 = {{10, 10, 300, 48}, 48, 52};

/* Columns of the 800x200 target that hold any lit pixel. */
static void lit_columns(int *first, int *last)
{
    static Uint32 pixels[800 * 200];
    SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, pixels, 800 * 4);
    *first = -1, *last = -1;
    for (int x = 0; x < 800; x++)
        for (int y = 0; y < 200; y++)
            if (pixels[y * 800 + x] & 0x00FFFFFF) {
                if (*first < 0)
                    *first = x;
                *last = x;
                break;
            }
}

static void clear(void)
{
    SDL_SetRenderDrawColor(renderer, 0, 0, 0, 255);
    SDL_RenderClear(renderer);
}

static void test_short_text_is_drawn_at_full_size(void **state)
{
    (void)state;
    clear();
    int natural = text_measure(cache, WEIGHT_BOLD, 48, "A023");
    int w = draw_text(&d, &line48, WEIGHT_BOLD, WHITE, "A023", ALIGN_LEFT);
    assert_int_equal(w, natural);
    int first, last;
    lit_columns(&first, &last);
    assert_true(first >= 10 && last < 10 + w + 1);
}

static void test_long_text_shrinks_then_ellipsizes_within_box(void **state)
{
    (void)state;
    const char *names[] = {"心血管内科专家门诊第一诊室", "急诊抢救室（绿色通道）急诊抢救室",
                           "Cardiology Specialist Clinic Room 1, east wing, second floor"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        clear();
        int w = draw_text(&d, &line48, WEIGHT_REGULAR, WHITE, names[i], ALIGN_LEFT);
        assert_true(w <= line48.box.w);
        int first, last;
        lit_columns(&first, &last);
        if (first < line48.box.x || last >= line48.box.x + line48.box.w)
            fail_msg("\"%s\" spills: columns %d..%d", names[i], first, last);
    }
}

static void test_right_alignment_ends_at_the_box_edge(void **state)
{
    (void)state;
    clear();
    int w = draw_text(&d, &line48, WEIGHT_REGULAR, WHITE, "≈ 12 分钟", ALIGN_RIGHT);
    int first, last;
    lit_columns(&first, &last);
    assert_true(last <= line48.box.x + line48.box.w);
    assert_true(last >= line48.box.x + line48.box.w - 8); /* flush right, bar side bearing */
    assert_true(first >= line48.box.x + line48.box.w - w - 1);
}

static void test_strings_are_rendered_once(void **state)
{
    (void)state;
    int before = text_cache_count(cache);
    const struct text *a = text_get(cache, WEIGHT_BOLD, 48, WHITE, "A077");
    const struct text *b = text_get(cache, WEIGHT_BOLD, 48, WHITE, "A077");
    assert_ptr_equal(a->texture, b->texture);
    assert_int_equal(text_cache_count(cache), before + 1);
    text_get(cache, WEIGHT_REGULAR, 48, WHITE, "A077"); /* another weight is another entry */
    assert_int_equal(text_cache_count(cache), before + 2);
}

static void test_unused_strings_are_evicted_when_full(void **state)
{
    (void)state;
    char s[16];
    for (int i = 0; i < 800; i++) {
        snprintf(s, sizeof(s), "B%03d", i);
        assert_non_null(text_get(cache, WEIGHT_BOLD, 32, WHITE, s));
        text_cache_end_frame(cache); /* each string lives for one frame only */
    }
    assert_true(text_cache_count(cache) <= 400);
    text_get(cache, WEIGHT_BOLD, 32, WHITE, "kept");
    text_cache_end_frame(cache);
    assert_true(text_cache_count(cache) >= 1);
}

/* A busy clinic's full-screen calls: each ticket a texture of a megabyte or more. The cache
 * keeps well under 400 of those (the entry limit alone would allow hundreds of MB). */
static void test_big_strings_are_evicted_by_size(void **state)
{
    (void)state;
    char s[16];
    long most = 0;
    for (int i = 0; i < 120; i++) {
        snprintf(s, sizeof(s), "A%04d", i);
        const struct text *t = text_get(cache, WEIGHT_BOLD, 480, WHITE, s);
        assert_non_null(t);
        assert_true(4L * t->w * t->h > 500L * 1024); /* big indeed */
        text_cache_end_frame(cache);
        most = text_cache_bytes(cache) > most ? text_cache_bytes(cache) : most;
    }
    assert_true(text_cache_count(cache) < 100);
    assert_true(most < 24L * 1024 * 1024); /* the 16 MB budget and one frame's strings */
}

/* The whole line's picture at baseline y, or only its rows with ink: the same pixels. */
static void draw_at_baseline(const struct text *t, int y)
{
    clear();
    SDL_Rect dst = {4, y - t->ascent, t->w, t->h};
    SDL_RenderCopy(renderer, t->texture, NULL, &dst);
}

static void test_only_the_rows_with_ink_are_kept_and_draw_the_same(void **state)
{
    (void)state;
    static Uint32 whole[800 * 200], inked[800 * 200];
    const char *s = "A023 请到 3 号诊室";
    const struct text *w = text_get_whole(cache, WEIGHT_BOLD, 96, WHITE, s);
    int whole_h = w->h;
    draw_at_baseline(w, 150);
    SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, whole, 800 * 4);
    const struct text *t = text_get(cache, WEIGHT_BOLD, 96, WHITE, s);
    assert_true(t->h < whole_h * 3 / 4); /* Noto CJK's line is far taller than its ink */
    draw_at_baseline(t, 150);
    SDL_RenderReadPixels(renderer, NULL, SDL_PIXELFORMAT_ARGB8888, inked, 800 * 4);
    assert_memory_equal(whole, inked, sizeof(whole));
}

/* A new call fills the screen for a few seconds (a big number), then the usual screen comes
 * back: over budget, the oldest string goes (the last call's big number), not the usual
 * screen's, which would all have to be rendered again. */
static void test_the_least_recently_drawn_go_first(void **state)
{
    (void)state;
    struct text_cache *small = text_cache_create(renderer, fonts, 1L * 1024 * 1024);
    assert_non_null(text_get(small, WEIGHT_BOLD, 300, WHITE, "A001")); /* the last call */
    text_cache_end_frame(small);
    const struct text *usual = text_get(small, WEIGHT_REGULAR, 32, WHITE, "候诊 Next");
    SDL_Texture *before = usual->texture;
    text_cache_end_frame(small);
    assert_non_null(text_get(small, WEIGHT_BOLD, 300, WHITE, "A002")); /* the new call */
    assert_true(text_cache_bytes(small) > 1L * 1024 * 1024);
    text_cache_end_frame(small);
    assert_true(text_cache_bytes(small) <= 1L * 1024 * 1024);
    int count = text_cache_count(small);
    assert_true(text_get(small, WEIGHT_REGULAR, 32, WHITE, "候诊 Next")->texture == before);
    assert_int_equal(text_cache_count(small), count); /* found, not rendered again */
    text_cache_destroy(small);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_short_text_is_drawn_at_full_size),
        cmocka_unit_test(test_long_text_shrinks_then_ellipsizes_within_box),
        cmocka_unit_test(test_right_alignment_ends_at_the_box_edge),
        cmocka_unit_test(test_strings_are_rendered_once),
        cmocka_unit_test(test_unused_strings_are_evicted_when_full),
        cmocka_unit_test(test_big_strings_are_evicted_by_size),
        cmocka_unit_test(test_the_least_recently_drawn_go_first),
        cmocka_unit_test(test_only_the_rows_with_ink_are_kept_and_draw_the_same),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
