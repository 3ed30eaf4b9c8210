/* test_link.c: signed links and the call screen's codes: what a link binds, the size limit
 * that keeps codes scannable, the key checks at start, and renewal before tokens expire. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "config/config.h"
#include "harness.h"
#include "qr/link.h"
#include "qr/screen_codes.h"

#define NOW 1795000000LL

static char dir[64], key_path[128];
static struct config config;
static struct token_key key;

static void set(const char *assignment)
{
    char *err = NULL;
    if (!config_set(&config, assignment, &err))
        fail_msg("%s", err);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-link-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(key_path, sizeof(key_path), "%s/site.key", dir);
    write_text(key_path, "0123456789abcdef0123456789abcdef");
    chmod(key_path, 0600);
    char *err = NULL;
    assert_true(token_key_load(key_path, &key, &err));
    config_defaults(&config);
    set("device.id=ward3-east");
    snprintf(config.qr.key_file, sizeof(config.qr.key_file), "%s", key_path);
    set("qr.survey_url=https://survey.example/r/{token}?d={device}&l={lang}");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void test_link_binds_purpose_ticket_room_and_life(void **state)
{
    (void)state;
    struct link link;
    char *err = NULL;
    assert_true(link_issue(&config, &key, TOKEN_SURVEY, "A023", "r3", NOW, &link, &err));
    char expected[512];
    snprintf(expected, sizeof(expected), "https://survey.example/r/%s?d=ward3-east&l=zh",
             link.text);
    assert_string_equal(link.url, expected);
    struct token t;
    assert_int_equal(token_verify(&key, link.url, NOW + 60, &t), TOKEN_VALID);
    assert_int_equal(t.purpose, TOKEN_SURVEY);
    assert_string_equal(t.device, "ward3-east");
    assert_string_equal(t.ticket, "A023");
    assert_string_equal(t.room, "r3");
    assert_int_equal(t.expires_at - t.issued_at, 168 * 3600);
    assert_int_equal(token_verify(&key, link.url, NOW + 168 * 3600 + 1, &t), TOKEN_EXPIRED);
    /* Without a results template the token is still made (kiosk token issue prints it). */
    assert_true(link_issue(&config, &key, TOKEN_RESULTS, "A023", "", NOW, &link, &err));
    assert_string_equal(link.url, "");
    assert_int_equal(token_verify(&key, link.text, NOW, &t), TOKEN_VALID);
    assert_int_equal(t.expires_at - t.issued_at, 720 * 3600);
}

static void test_link_refuses_fields_too_long_for_a_token(void **state)
{
    (void)state;
    struct link link;
    char *err = NULL;
    assert_false(
        link_issue(&config, &key, TOKEN_SURVEY, "A0123456789ABCDEF", "", NOW, &link, &err));
    assert_non_null(strstr(err, "ticket"));
    free(err);
}

static void test_link_qr_keeps_to_version_6(void **state)
{
    (void)state;
    struct link link;
    char *err = NULL;
    assert_true(link_issue(&config, &key, TOKEN_SURVEY, "A1023", "r12", NOW, &link, &err));
    struct qr *qr = link_qr(&link, &err);
    assert_non_null(qr);
    assert_true(qr->version <= LINK_QR_VERSION_MAX);
    qr_destroy(qr);
    set("qr.survey_url=https://patient-experience.city-peoples-hospital.example.org/"
        "surveys/outpatient/{token}");
    assert_true(link_issue(&config, &key, TOKEN_SURVEY, "A1023", "r12", NOW, &link, &err));
    assert_null(link_qr(&link, &err));
    assert_non_null(strstr(err, "at most version 6"));
    assert_non_null(strstr(err, "shorten"));
    free(err);
}

static void test_screen_codes_per_room_or_per_device(void **state)
{
    (void)state;
    char *err = NULL;
    struct screen_codes *codes = screen_codes_create(&config, NOW, &err);
    assert_non_null(codes);
    assert_int_equal(screen_codes_count(codes), 1);
    struct token t;
    const struct screen_code *code = screen_codes_get(codes, 0);
    assert_int_equal(token_verify(&key, code->link.url, NOW, &t), TOKEN_VALID);
    assert_string_equal(t.room, "");
    assert_string_equal(t.ticket, "");
    assert_int_equal(code->qr->width, 17 + 4 * code->qr->version);
    screen_codes_destroy(codes);

    set("display.room=r3");
    set("qr.results_url=https://results.example/l/{token}");
    codes = screen_codes_create(&config, NOW, &err);
    assert_int_equal(screen_codes_count(codes), 2);
    assert_int_equal(token_verify(&key, screen_codes_get(codes, 0)->link.url, NOW, &t),
                     TOKEN_VALID);
    assert_int_equal(t.purpose, TOKEN_SURVEY);
    assert_string_equal(t.room, "r3");
    assert_int_equal(token_verify(&key, screen_codes_get(codes, 1)->link.url, NOW, &t),
                     TOKEN_VALID);
    assert_int_equal(t.purpose, TOKEN_RESULTS);
    screen_codes_destroy(codes);
}

static void test_screen_codes_renewed_at_half_life_and_after_clock_set_back(void **state)
{
    (void)state;
    char *err = NULL;
    set("qr.survey_ttl_hours=10");
    struct screen_codes *codes = screen_codes_create(&config, NOW, &err);
    char first[512];
    snprintf(first, sizeof(first), "%s", screen_codes_get(codes, 0)->link.url);
    assert_false(screen_codes_refresh(codes, NOW + 5 * 3600 - 1));
    assert_string_equal(screen_codes_get(codes, 0)->link.url, first);
    assert_true(screen_codes_refresh(codes, NOW + 5 * 3600));
    struct token t;
    assert_int_equal(token_verify(&key, screen_codes_get(codes, 0)->link.url, NOW + 5 * 3600, &t),
                     TOKEN_VALID);
    assert_int_equal(t.issued_at, NOW + 5 * 3600);
    /* NTP sets the clock back a day: codes issued "in the future" are issued again. */
    assert_true(screen_codes_refresh(codes, NOW - 86400));
    assert_int_equal(token_verify(&key, screen_codes_get(codes, 0)->link.url, NOW - 86400, &t),
                     TOKEN_VALID);
    assert_false(screen_codes_refresh(codes, NOW - 86400 + 60));
    screen_codes_destroy(codes);
}

static void test_screen_codes_refuse_a_bad_key_but_need_none_without_links(void **state)
{
    (void)state;
    char *err = NULL;
    chmod(key_path, 0644);
    assert_null(screen_codes_create(&config, NOW, &err));
    assert_non_null(strstr(err, "readable by others"));
    free(err);
    chmod(key_path, 0600);
    write_text(key_path, "short");
    assert_null(screen_codes_create(&config, NOW, &err));
    assert_non_null(strstr(err, "at least 32"));
    free(err);
    remove(key_path);
    assert_null(screen_codes_create(&config, NOW, &err));
    assert_non_null(strstr(err, key_path));
    free(err);
    set("qr.survey_url=");
    struct screen_codes *codes = screen_codes_create(&config, NOW, &err);
    assert_non_null(codes);
    assert_int_equal(screen_codes_count(codes), 0);
    assert_false(screen_codes_refresh(codes, NOW + 365 * 86400));
    screen_codes_destroy(codes);
    assert_int_equal(screen_codes_count(NULL), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_link_binds_purpose_ticket_room_and_life, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_link_refuses_fields_too_long_for_a_token, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_link_qr_keeps_to_version_6, setup, teardown),
        cmocka_unit_test_setup_teardown(test_screen_codes_per_room_or_per_device, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_screen_codes_renewed_at_half_life_and_after_clock_set_back, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_screen_codes_refuse_a_bad_key_but_need_none_without_links, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
