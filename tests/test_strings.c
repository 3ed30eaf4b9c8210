/* test_strings.c: UTF-8 handling, name masking and the label table. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <string.h>

#include "base/i18n.h"
#include "model/mask.h"
#include "base/utf8.h"

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

/* What the backends report (words from test_net_faults and test_backend_sim runs) and the
 * word the offline line shows for it. */
static void test_offline_reasons(void **state)
{
    (void)state;
    static const struct {
        const char *error;
        enum text_id why;
    } cases[] = {
        {"DNS: host name not found (Could not resolve host: nonexistent.invalid)", TEXT_WHY_DNS},
        {"TLS: the server's certificate was rejected (SSL certificate problem: unable to get "
         "local issuer certificate)",
         TEXT_WHY_CERTIFICATE},
        {"TLS: handshake failed (Recv failure: Connection reset by peer)", TEXT_WHY_CERTIFICATE},
        {"connection refused (Failed to connect to 127.0.0.1 port 52703 after 0 ms: Couldn't "
         "connect to server)",
         TEXT_WHY_NETWORK},
        {"Timeout was reached (Operation timed out after 1001 milliseconds with 0 bytes "
         "received)",
         TEXT_WHY_NETWORK},
        {"the server closed the connection mid-answer (transfer closed with 1286 bytes "
         "remaining to read)",
         TEXT_WHY_NETWORK},
        {"the server closed the connection without answering (Empty reply from server)",
         TEXT_WHY_NETWORK},
        {"HTTP 401: not authorized (check [backend] token_file)", TEXT_WHY_AUTH},
        {"HTTP 500 from the backend", TEXT_WHY_SERVER},
        {"invalid snapshot: not JSON", TEXT_WHY_SERVER},
        {"response larger than 1048576 bytes", TEXT_WHY_SERVER},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (i18n_offline_reason(cases[i].error) != cases[i].why)
            fail_msg("\"%s\" shows as \"%s\"", cases[i].error,
                     i18n_text(i18n_offline_reason(cases[i].error), LANG_EN));
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
        cmocka_unit_test(test_offline_reasons),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
