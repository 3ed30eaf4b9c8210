/* test_theme.c: both call-screen themes meet WCAG AA: every text colour against the
 * background it is drawn on (4.5:1, though nothing is smaller than 28 px), and the chart's
 * bars against the page (3:1, WCAG's figure for graphics). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>

#include "render/theme.h"

#define AA_TEXT     4.5
#define AA_GRAPHICS 3.0

static void test_contrast_formula_matches_wcag(void **state)
{
    (void)state;
    SDL_Color black = {0, 0, 0, 255}, white = {255, 255, 255, 255}, grey = {0x76, 0x76, 0x76, 255};
    assert_true(theme_contrast(black, white) > 20.99 && theme_contrast(black, white) < 21.01);
    assert_true(theme_contrast(white, white) == 1.0);
    /* #767676 on white is the well-known lightest grey that passes AA: 4.54:1. */
    assert_true(theme_contrast(grey, white) > 4.5 && theme_contrast(grey, white) < 4.6);
    assert_true(theme_contrast(white, grey) == theme_contrast(grey, white));
}

static void check_theme(enum color_theme name, const char *label)
{
    const struct theme *t = theme_get(name);
    struct theme_pair pairs[64];
    int n = theme_pairs(t, pairs, 64);
    assert_true(n >= 20);
    int failures = 0;
    for (int i = 0; i < n; i++) {
        double ratio = theme_contrast(pairs[i].fg, pairs[i].bg);
        if (ratio < AA_TEXT) {
            print_error("%s: %s is %.2f:1, under %.1f:1\n", label, pairs[i].name, ratio, AA_TEXT);
            failures++;
        }
    }
    const SDL_Color bars[] = {t->chart_bar, t->chart_now, t->chart_quiet};
    for (size_t i = 0; i < sizeof(bars) / sizeof(bars[0]); i++) {
        double ratio = theme_contrast(bars[i], t->background);
        if (ratio < AA_GRAPHICS) {
            print_error("%s: chart bar %zu is %.2f:1 on the page\n", label, i, ratio);
            failures++;
        }
    }
    assert_int_equal(failures, 0);
}

static void test_dark_theme_meets_aa(void **state)
{
    (void)state;
    check_theme(THEME_DARK, "dark");
}

static void test_light_theme_meets_aa(void **state)
{
    (void)state;
    check_theme(THEME_LIGHT, "light");
}

static void test_themes_differ_and_dark_is_the_reference_design(void **state)
{
    (void)state;
    const struct theme *dark = theme_get(THEME_DARK), *light = theme_get(THEME_LIGHT);
    assert_int_equal(dark->background.r, 0x0b);
    assert_int_equal(dark->background.g, 0x1f);
    assert_int_equal(dark->background.b, 0x3a);
    /* Light is light: its page is brighter than its text, the other way round from dark. */
    assert_true(theme_contrast(light->background, (SDL_Color){255, 255, 255, 255}) < 1.2);
    assert_true(theme_contrast(dark->background, (SDL_Color){0, 0, 0, 255}) < 1.6);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_contrast_formula_matches_wcag),
        cmocka_unit_test(test_dark_theme_meets_aa),
        cmocka_unit_test(test_light_theme_meets_aa),
        cmocka_unit_test(test_themes_differ_and_dark_is_the_reference_design),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
