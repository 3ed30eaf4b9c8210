/* test_strings.c: UTF-8 handling, name masking and the label table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "i18n.h"
#include "mask.h"
#include "utf8.h"

static void test_utf8_valid(void **state)
{
    (void)state;
    assert_true(utf8_valid("A023 张三丰 Café"));
    assert_false(utf8_valid("\xff"));
    assert_false(utf8_valid("\xc0\xaf"));         /* overlong '/' */
    assert_false(utf8_valid("\xed\xa0\x80"));     /* surrogate */
    assert_false(utf8_valid("\xf4\x90\x80\x80")); /* above U+10FFFF */
    assert_false(utf8_valid("\xe5\xbc"));         /* cut in half */
}

static void test_utf8_length_and_next(void **state)
{
    (void)state;
    assert_int_equal(utf8_length("张三丰"), 3);
    assert_int_equal(utf8_length("abc"), 3);
    const char *bad = "\xffz";
    assert_int_equal(utf8_next(&bad), 0xFFFD);
    assert_int_equal(utf8_next(&bad), 'z');
    assert_int_equal(utf8_next(&bad), 0);
}

static void test_utf8_copy_never_splits(void **state)
{
    (void)state;
    char out[8];
    assert_false(utf8_copy(out, sizeof(out), "张三丰李")); /* 12 bytes into 8 */
    assert_string_equal(out, "张三");
    assert_true(utf8_valid(out));
    assert_true(utf8_copy(out, sizeof(out), "A023"));
    assert_string_equal(out, "A023");
}

static void check_mask(const char *name, const char *expected)
{
    char out[96];
    mask_name(name, out, sizeof(out));
    assert_string_equal(out, expected);
}

static void test_mask_chinese(void **state)
{
    (void)state;
    check_mask("张三", "张*");
    check_mask("张三丰", "张*丰");
    check_mask("欧阳娜娜", "欧**娜");
    check_mask("李", "*");
    check_mask("", "");
}

static void test_mask_latin(void **state)
{
    (void)state;
    check_mask("Maria Lopez", "M**** L****");
    check_mask("José", "J***");
    check_mask("Jean-Luc O'Neil", "J***-L** O'N***");
}

static void test_mask_small_buffer(void **state)
{
    (void)state;
    char out[5];
    mask_name("张三丰", out, sizeof(out)); /* room for 张 and one '*' only */
    assert_true(utf8_valid(out));
    assert_string_equal(out, "张*");
}

static void test_every_label_in_both_languages(void **state)
{
    (void)state;
    for (int id = 0; id < TEXT_COUNT; id++) {
        assert_non_null(i18n_text(id, LANG_ZH));
        assert_non_null(i18n_text(id, LANG_EN));
        assert_true(strlen(i18n_text(id, LANG_ZH)) > 0);
        assert_true(utf8_valid(i18n_text(id, LANG_ZH)));
    }
}

static void test_fill(void **state)
{
    (void)state;
    char out[64];
    i18n_fill(out, sizeof(out), i18n_text(TEXT_GO_TO_ROOM, LANG_ZH), "room", "3 号诊室");
    assert_string_equal(out, "请到 3 号诊室 就诊");
    i18n_fill(out, sizeof(out), "{n} of {n}, {m}", "n", "7");
    assert_string_equal(out, "7 of 7, {m}");
    char small[10];
    i18n_fill(small, sizeof(small), "请到 {room} 就诊", "room", "抢救室");
    assert_true(utf8_valid(small));
    assert_string_equal(small, "请到 "); /* 抢 would need bytes 8..10 and the NUL */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_utf8_valid),
        cmocka_unit_test(test_utf8_length_and_next),
        cmocka_unit_test(test_utf8_copy_never_splits),
        cmocka_unit_test(test_mask_chinese),
        cmocka_unit_test(test_mask_latin),
        cmocka_unit_test(test_mask_small_buffer),
        cmocka_unit_test(test_every_label_in_both_languages),
        cmocka_unit_test(test_fill),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
