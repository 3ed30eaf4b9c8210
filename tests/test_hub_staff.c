/* test_hub_staff.c: the staff pages' parts that need no server: scrypt hashes (password.c),
 * roles, the page frame (what each role's header offers, escaping, the CSRF field), and the
 * staff tables' SQL on a real database (staff_db.c). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "harness.h"
#include "hub/password.h"
#include "hub/quality.h"
#include "hub/staff.h"
#include "hub/staff_db.h"

static void test_password_hash_and_verify(void **state)
{
    (void)state;
    char hash[PASSWORD_HASH_MAX], again[PASSWORD_HASH_MAX];
    assert_true(password_hash("correct horse battery", hash, sizeof hash));
    assert_true(strncmp(hash, "$scrypt$ln=15,r=8,p=3$", 22) == 0);
    assert_true(password_verify("correct horse battery", hash));
    assert_false(password_verify("correct horse batterY", hash));
    assert_false(password_verify("", hash));
    /* a fresh salt each time: the same password never gives the same hash */
    assert_true(password_hash("correct horse battery", again, sizeof again));
    assert_string_not_equal(hash, again);
    /* the cost travels with the hash: one made cheaper still verifies */
    assert_true(password_hash_cost("s3cret-s3cret", 10, 8, 1, again, sizeof again));
    assert_true(strncmp(again, "$scrypt$ln=10,r=8,p=1$", 22) == 0);
    assert_true(password_verify("s3cret-s3cret", again));
}

static void test_password_refuses_odd_hashes(void **state)
{
    (void)state;
    assert_false(password_verify("x", ""));
    assert_false(password_verify("x", "plain text"));
    assert_false(password_verify("x", "$scrypt$ln=30,r=8,p=3$AAAAAAAAAAAAAAAAAAAAAA==$AAAA"));
    assert_false(password_verify("x", "$scrypt$ln=15,r=8,p=3$!!!!$AAAA"));
    assert_false(password_verify("x", "$scrypt$ln=15,r=8,p=3$AAAAAAAAAAAAAAAAAAAAAA=="));
    char hash[PASSWORD_HASH_MAX];
    assert_false(password_hash("x", hash, 20)); /* too small a buffer */
}

static void test_roles(void **state)
{
    (void)state;
    enum staff_role role;
    assert_true(staff_role_parse("facilities", &role));
    assert_int_equal(role, STAFF_FACILITIES);
    assert_false(staff_role_parse("root", &role));
    assert_false(staff_role_parse(NULL, &role));
    assert_true(staff_role_may(STAFF_ADMIN, STAFF_FACILITIES));
    assert_true(staff_role_may(STAFF_QUALITY, STAFF_QUALITY));
    assert_false(staff_role_may(STAFF_QUALITY, STAFF_FACILITIES));
    assert_false(staff_role_may(STAFF_FACILITIES, STAFF_QUALITY));
}

static void test_frame(void **state)
{
    (void)state;
    struct staff_session s = {.role = STAFF_QUALITY, .lang = LANG_EN, .hospital_en = "City <H>"};
    snprintf(s.name, sizeof s.name, "alice");
    memset(s.csrf, 'a', STAFF_CSRF_LEN);
    char *html = staff_frame(&s, "/staff/complaints", "投诉", "Complaints", strdup("<p>x</p>"));
    assert_non_null(strstr(html, "<title>Complaints"));
    assert_non_null(strstr(html, "City &lt;H&gt;"));
    assert_non_null(strstr(html, "href=\"/staff/complaints\" aria-current=\"page\""));
    assert_non_null(strstr(html, "href=\"/staff/quality\""));
    assert_null(strstr(html, "/staff/fleet")); /* quality may not see the devices */
    assert_null(strstr(html, "/staff/audit"));
    assert_non_null(strstr(html, "name=\"csrf\" value=\"aaaa"));
    assert_non_null(strstr(html, "action=\"/staff/logout\""));
    assert_non_null(strstr(html, "<p>x</p>"));
    free(html);
    s.role = STAFF_FACILITIES;
    html = staff_frame(&s, "/staff/fleet", "设备", "Devices", NULL);
    assert_non_null(strstr(html, "href=\"/staff/fleet\" aria-current=\"page\""));
    assert_null(strstr(html, "/staff/quality"));
    free(html);
    s.role = STAFF_ADMIN;
    html = staff_frame(&s, "/staff/fleet", "设备", "Devices", NULL);
    assert_non_null(strstr(html, "/staff/quality"));
    assert_non_null(strstr(html, "/staff/complaints"));
    assert_non_null(strstr(html, "/staff/audit"));
    free(html);
    char *input = staff_csrf_input(&s);
    assert_non_null(strstr(input, "type=\"hidden\" name=\"csrf\""));
    free(input);
}

static void test_db(void **state)
{
    (void)state;
    char dir[] = "/tmp/kiosk-staff-XXXXXX", path[64], hash[PASSWORD_HASH_MAX], *err = NULL;
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/hub.db", dir);
    struct store *store = store_open(path, &err);
    assert_non_null(store);
    assert_true(staff_db_user_put(store, "bob", STAFF_FACILITIES, "$scrypt$x", 100, &err));
    enum staff_role role;
    assert_true(staff_db_user_get(store, "bob", &role, hash, sizeof hash, &err));
    assert_int_equal(role, STAFF_FACILITIES);
    assert_string_equal(hash, "$scrypt$x");
    assert_false(staff_db_user_get(store, "eve", &role, hash, sizeof hash, &err));
    assert_null(err);
    assert_true(staff_db_session_add(store, "h1", "bob", "c1", 100, 200, &err));
    struct staff_session s = {0};
    assert_true(staff_db_session_get(store, "h1", 150, &s, &err));
    assert_string_equal(s.name, "bob");
    assert_string_equal(s.csrf, "c1");
    assert_false(staff_db_session_get(store, "h1", 200, &s, &err)); /* expired */
    /* a new password ends the account's sessions */
    assert_true(staff_db_user_put(store, "bob", STAFF_ADMIN, "$scrypt$y", 160, &err));
    assert_false(staff_db_session_get(store, "h1", 170, &s, &err));
    assert_true(staff_db_audit(store, 170, "bob", "127.0.0.1", "login", "admin", &err));
    /* call-back numbers older than retention are removed, the complaints stay */
    struct complaint c = {.lang = "zh"};
    char ref[32];
    snprintf(c.text, sizeof c.text, "太冷");
    snprintf(c.phone, sizeof c.phone, "13800138000");
    assert_true(store_complaint_add(store, &c, 1000, ref, sizeof ref, &err));
    assert_true(store_complaint_add(store, &c, 5000, ref, sizeof ref, &err));
    assert_int_equal(staff_db_prune(store, 6000, 2000, &err), 1);
    store_close(store);
    assert_int_equal(sqlite_int(path, "SELECT count(*) FROM complaints WHERE phone != ''"), 1);
    assert_int_equal(sqlite_int(path, "SELECT count(*) FROM complaints"), 2);
    assert_int_equal(sqlite_int(path, "SELECT count(*) FROM audit_log"), 1);
    remove_tree(dir);
}

/* Local noon of a date, as the complaints page's clock would read it. */
static int64_t local_noon(int year, int month, int day)
{
    struct tm tm = {
        .tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_hour = 12, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static int64_t local_midnight(int year, int month, int day)
{
    struct tm tm = {.tm_year = year - 1900, .tm_mon = month - 1, .tm_mday = day, .tm_isdst = -1};
    return (int64_t)mktime(&tm);
}

static void test_complaint_due_in_working_days(void **state)
{
    (void)state;
    /* Friday 4 December 2026 + 5 working days: Monday 7 .. Friday 11; due at the end of it */
    assert_int_equal(complaint_due(local_noon(2026, 12, 4), 5), local_midnight(2026, 12, 12));
    /* Saturday: the weekend does not count; Monday 7 .. Friday 11 again */
    assert_int_equal(complaint_due(local_noon(2026, 12, 5), 5), local_midnight(2026, 12, 12));
    /* Monday + 1: Tuesday */
    assert_int_equal(complaint_due(local_noon(2026, 12, 7), 1), local_midnight(2026, 12, 9));
    /* across a month and a year: Wednesday 30 December + 3: Thursday 31, Friday 1, Monday 4 */
    assert_int_equal(complaint_due(local_noon(2026, 12, 30), 3), local_midnight(2027, 1, 5));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_password_hash_and_verify),
        cmocka_unit_test(test_password_refuses_odd_hashes),
        cmocka_unit_test(test_roles),
        cmocka_unit_test(test_frame),
        cmocka_unit_test(test_db),
        cmocka_unit_test(test_complaint_due_in_working_days),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
