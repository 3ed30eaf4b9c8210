/* test_script.c: --script files: every step parsed before anything runs, a typo named by its
 * line, waits counted from when they start, and a wait at the end waited for too. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <SDL2/SDL.h>

#include "harness.h"
#include "selfservice/script.h"

static struct script *load(const char *text, char **err)
{
    char path[] = "/tmp/kiosk-script-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    close(fd);
    write_text(path, text);
    struct script *s = script_load(path, err);
    unlink(path);
    return s;
}

static void test_steps_in_order(void **state)
{
    (void)state;
    char *err = NULL;
    struct script *s = load("# a flow\ntap 10 20\n\nwait 100\nscan AB12\nscreenshot out.png\n"
                            "wait 50\n",
                            &err);
    assert_non_null(s);
    struct script_step step;
    assert_true(script_next(s, 1000, &step));
    assert_int_equal(step.op, SCRIPT_TAP);
    assert_int_equal(step.x, 10);
    assert_int_equal(step.y, 20);
    assert_false(script_next(s, 1000, &step)); /* the wait has begun */
    assert_int_equal(script_timeout_ms(s, 1040), 60);
    assert_false(script_next(s, 1099, &step));
    assert_true(script_next(s, 1100, &step));
    assert_int_equal(step.op, SCRIPT_TEXT);
    assert_string_equal(step.path, "AB12");
    assert_true(script_next(s, 1100, &step));
    assert_int_equal(step.op, SCRIPT_ENTER); /* a scan ends with Enter at once */
    assert_true(script_next(s, 1100, &step));
    assert_int_equal(step.op, SCRIPT_SCREENSHOT);
    assert_string_equal(step.path, "out.png");
    assert_false(script_next(s, 1100, &step));
    assert_false(script_done(s, 1120)); /* the last wait is waited for */
    assert_int_equal(script_timeout_ms(s, 1120), 30);
    assert_true(script_done(s, 1150));
    assert_int_equal(script_timeout_ms(s, 1150), -1);
    script_destroy(s);
}

static void test_typing_is_slow(void **state)
{
    (void)state;
    char *err = NULL;
    struct script *s = load("type 42\n", &err);
    struct script_step step;
    assert_true(script_next(s, 0, &step));
    assert_string_equal(step.path, "4");
    assert_false(script_next(s, 0, &step)); /* the pause after a key starts */
    assert_false(script_next(s, SCRIPT_TYPING_MS - 1, &step));
    assert_true(script_next(s, SCRIPT_TYPING_MS, &step));
    assert_string_equal(step.path, "2");
    script_destroy(s);
}

static void test_keys_with_modifiers(void **state)
{
    (void)state;
    char *err = NULL;
    struct script *s = load("key ctrl+alt+s\nkey Escape\n", &err);
    assert_non_null(s);
    struct script_step step;
    assert_true(script_next(s, 0, &step));
    assert_int_equal(step.op, SCRIPT_KEY);
    assert_int_equal(step.x, SDLK_s);
    assert_true((step.y & KMOD_CTRL) && (step.y & KMOD_ALT) && !(step.y & KMOD_SHIFT));
    assert_true(script_next(s, 0, &step));
    assert_int_equal(step.x, SDLK_ESCAPE);
    assert_int_equal(step.y, 0);
    script_destroy(s);
}

static void test_a_typo_is_named_by_its_line(void **state)
{
    (void)state;
    const char *bad[] = {"tap 1 2\ntpa 3 4\n",    "tap 1 2\ntap -1 4\n",    "tap 1 2\nwait soon\n",
                         "tap 1 2\nscreenshot\n", "tap 1 2\nkey hyper+s\n", "tap 1 2\nkey nokey\n"};
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        char *err = NULL;
        assert_null(load(bad[i], &err));
        assert_non_null(strstr(err, ":2: expected tap X Y"));
        free(err);
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_steps_in_order),
        cmocka_unit_test(test_typing_is_slow),
        cmocka_unit_test(test_keys_with_modifiers),
        cmocka_unit_test(test_a_typo_is_named_by_its_line),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
