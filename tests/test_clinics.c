/* test_clinics.c: the clinic hours file on real files: the shipped sample, the forgiving parts
 * (comments, blank lines, spaces, CRLF, a byte order mark) and every refused line by number. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "config/clinics.h"
#include "harness.h"

static char dir[64];
static char path[128];
static struct clinic got[MODEL_CLINICS_MAX];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-clinics-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(path, sizeof(path), "%s/clinics.txt", dir);
    memset(got, 0, sizeof(got));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void write_bytes(const char *text, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
}

/* Loads text; expects failure with exactly the problems given (path: prefix added). */
static void assert_refused(const char *text, const char *problems)
{
    write_bytes(text, strlen(text));
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), -1);
    assert_non_null(err);
    char want[2048] = "";
    /* every line of problems starts with the path */
    for (const char *p = problems; *p;) {
        const char *nl = strchr(p, '\n');
        size_t n = nl ? (size_t)(nl - p) + 1 : strlen(p);
        snprintf(want + strlen(want), sizeof(want) - strlen(want), "%s:%.*s", path, (int)n, p);
        p += n;
    }
    assert_string_equal(err, want);
    free(err);
}

static void test_sample_file(void **state)
{
    (void)state;
    char *err = NULL;
    int n = clinics_load("assets/clinics.txt", got, MODEL_CLINICS_MAX, &err);
    if (err)
        fail_msg("%s", err);
    assert_int_equal(n, 8);
    assert_string_equal(got[0].doctor, "李明");
    assert_string_equal(got[0].title, "主任医师");
    assert_string_equal(got[0].department, "心内科");
    assert_string_equal(got[0].days, "周一 周三");
    assert_string_equal(got[0].sessions, "上午");
    assert_string_equal(got[6].doctor, "热依拉·艾尔肯");
    assert_true(strlen(got[6].department) > 60); /* the long one, for the layout */
    assert_string_equal(got[7].doctor, "孙振宇");
    assert_string_equal(got[7].title, "");
    assert_string_equal(got[7].department, "风湿免疫科");
}

static void test_comments_spaces_and_line_ends(void **state)
{
    (void)state;
    static const char text[] = "\xef\xbb\xbf# 专家门诊\r\n"
                               "\r\n"
                               "   # an indented comment\n"
                               "  王秀兰 | 主任医师 |呼吸科| 周二 周四 |\t全天 \r\n"
                               "\t\n"
                               "孙丽||风湿免疫科|周五|上午";
    write_bytes(text, strlen(text));
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), 2);
    assert_null(err);
    assert_string_equal(got[0].doctor, "王秀兰");
    assert_string_equal(got[0].title, "主任医师");
    assert_string_equal(got[0].department, "呼吸科");
    assert_string_equal(got[0].days, "周二 周四");
    assert_string_equal(got[0].sessions, "全天");
    assert_string_equal(got[1].doctor, "孙丽"); /* no newline at the end */
    assert_string_equal(got[1].title, "");
    assert_string_equal(got[1].sessions, "上午");
}

static void test_empty_file_has_no_clinics(void **state)
{
    (void)state;
    write_bytes("# nothing yet\n\n", 15);
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), 0);
    assert_null(err);
}

/* 95 bytes is the most a field may hold: 31 CJK characters and two ASCII ones. */
static void test_field_lengths(void **state)
{
    (void)state;
    char longest[128] = "AB", line[512];
    for (int i = 0; i < 31; i++)
        strcat(longest, "科");
    assert_int_equal(strlen(longest), 95);
    snprintf(line, sizeof(line), "李明|主任医师|%s|周一|上午\n", longest);
    write_bytes(line, strlen(line));
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), 1);
    assert_string_equal(got[0].department, longest);
    snprintf(line, sizeof(line), "李明|主任医师|%s科|周一|上午\n", longest);
    assert_refused(line, "1: department is 98 bytes long, at most 95 allowed");
}

/* Every bad line is named, in order; one is enough to refuse the file. */
static void test_bad_lines_refuse_the_file(void **state)
{
    (void)state;
    assert_refused("# clinics\n"
                   "李明|主任医师|心内科|周一 周三|上午\n"
                   "王秀兰|主任医师|呼吸科|周二\n"
                   "张建华|副主任医师|消化内科|周一|下午|3 号诊室\n"
                   "陈静|主任医师|内分泌科|周\xe4\xb8|上午\n"
                   " |主任医师|神经内科|周二|上午\n"
                   "赵敏|主治医师|肾内科||\n"
                   "just a name\n"
                   "孙丽||风湿免疫科|周五|上午\n",
                   "3: has 4 fields, expected 5: doctor|title|department|days|sessions\n"
                   "4: has 6 fields, expected 5: doctor|title|department|days|sessions\n"
                   "5: not valid UTF-8\n"
                   "6: doctor is empty\n"
                   "7: days is empty\n"
                   "7: sessions is empty\n"
                   "8: has 1 field, expected 5: doctor|title|department|days|sessions");
}

static void test_nul_byte(void **state)
{
    (void)state;
    static const char text[] = "李明|主任医师|心内科|周一|上午\n孙丽|\0|风湿免疫科|周五|上午\n";
    write_bytes(text, sizeof(text) - 1);
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), -1);
    char want[256];
    snprintf(want, sizeof(want), "%s:2: line holds a NUL byte", path);
    assert_string_equal(err, want);
    free(err);
}

static void test_too_many_clinics(void **state)
{
    (void)state;
    static const char text[] = "a|b|c|d|e\n# comment\nf||h|i|j\nk|l|m|n|o\np|q|r|s|t\nu|v|w|x|y\n";
    write_bytes(text, strlen(text));
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, 3, &err), -1);
    char want[256];
    snprintf(want, sizeof(want), "%s:5: more than 3 clinics", path);
    assert_string_equal(err, want);
    free(err);
    assert_int_equal(clinics_load(path, got, 5, &err), 5);
    assert_string_equal(got[4].doctor, "u");
    assert_string_equal(got[1].title, "");
}

static void test_missing_file(void **state)
{
    (void)state;
    char *err = NULL;
    assert_int_equal(clinics_load(path, got, MODEL_CLINICS_MAX, &err), -1);
    char want[256];
    snprintf(want, sizeof(want), "%s: cannot open: No such file or directory", path);
    assert_string_equal(err, want);
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_sample_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_comments_spaces_and_line_ends, setup, teardown),
        cmocka_unit_test_setup_teardown(test_empty_file_has_no_clinics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_field_lengths, setup, teardown),
        cmocka_unit_test_setup_teardown(test_bad_lines_refuse_the_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_nul_byte, setup, teardown),
        cmocka_unit_test_setup_teardown(test_too_many_clinics, setup, teardown),
        cmocka_unit_test_setup_teardown(test_missing_file, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
