/* test_hub_page.c: the phone pages of kiosk-hub as HTML: escaping, nothing the CSP forbids,
 * each visit state's markup, the forms and their refill, the switches and the size budget.
 * With PAGE_DUMP_DIR set, every page rendered is also written there (to look at in a browser). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/utf8.h"
#include "hub/page.h"

#define TOKEN "AQAAAGc5bTxnZKs8d2FyZDMtZWFzdABBMDIzAHIzAF9r1c0"

/* The budgets this test holds the pages to: the issue allows 30 KB for a first load (HTML,
 * stylesheet and script); we keep to 12 KB (about 7 KB today), so a slow ward Wi-Fi still
 * shows the place in the queue at once. */
#define HTML_BUDGET 8192
#define CSS_BUDGET  6144
#define JS_BUDGET   2048
#define FIRST_LOAD  (12 * 1024)
#define ISSUE_LIMIT (30 * 1024)

static const char hostile[] = "<script>alert(\"x\")</script>'";

static struct page_ctx ctx(enum lang lang)
{
    return (struct page_ctx){.lang = lang,
                             .hospital_zh = "第一人民医院",
                             .hospital_en = "First People's Hospital",
                             .path = "/r/" TOKEN,
                             .token = TOKEN};
}

static struct visit visit(enum visit_state state)
{
    struct visit v = {.state = state, .ahead = 3, .eta_min = 12, .version = 7};
    if (state != VISIT_NONE)
        snprintf(v.ticket, sizeof(v.ticket), "A023");
    snprintf(v.room_zh, sizeof(v.room_zh), "3 号诊室");
    snprintf(v.room_en, sizeof(v.room_en), "Room 3");
    return v;
}

static int count(const char *haystack, const char *needle)
{
    int n = 0;
    for (const char *p = strstr(haystack, needle); p; p = strstr(p + 1, needle))
        n++;
    return n;
}

#define assert_has(html, needle)                                                                   \
    do {                                                                                           \
        if (!strstr(html, needle))                                                                 \
            fail_msg("missing %s in:\n%s", needle, html);                                          \
    } while (0)
#define assert_lacks(html, needle)                                                                 \
    do {                                                                                           \
        if (strstr(html, needle))                                                                  \
            fail_msg("unexpected %s in:\n%s", needle, html);                                       \
    } while (0)

/* With PAGE_DUMP_DIR set, keeps a copy of html as name. */
static void dump(const char *name, const char *html)
{
    const char *dir = getenv("PAGE_DUMP_DIR");
    if (!dir || !dir[0])
        return;
    char path[512];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(html, f);
    fclose(f);
}

/* What every page must hold to, the CSP's rules first: no style attribute, no inline script
 * or handler, no other site; then the shell every page has. */
static void assert_clean(const char *html)
{
    assert_lacks(html, "style=");
    assert_lacks(html, "http://");
    assert_lacks(html, "https://");
    assert_lacks(html, "javascript:");
    assert_lacks(html, "<style");
    for (const char *p = strstr(html, "<script"); p; p = strstr(p + 1, "<script"))
        assert_int_equal(strncmp(p, "<script src=\"/s/hub.js\" defer></script>", 39), 0);
    assert_int_equal(count(html, "<script"), 1);
    for (const char *p = html; *p; p++) {
        if (isspace((unsigned char)p[0]) && p[1] == 'o' && p[2] == 'n' &&
            isalpha((unsigned char)p[3])) {
            const char *q = p + 3;
            while (isalpha((unsigned char)*q))
                q++;
            if (*q == '=')
                fail_msg("an event handler attribute at: %.40s", p);
        }
    }
    assert_true(utf8_valid(html));
    assert_int_equal(strncmp(html, "<!doctype html>\n<html lang=\"", 28), 0);
    assert_has(html, "<meta charset=\"utf-8\">");
    assert_has(html, "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
    assert_has(html, "<link rel=\"stylesheet\" href=\"/s/hub.css\">");
    assert_has(html, "<title>");
    assert_has(html, "</footer>\n</body>\n</html>\n");
    assert_true(strlen(html) < HTML_BUDGET);
}

static void test_every_page_keeps_to_the_csp_and_has_the_shell(void **state)
{
    (void)state;
    for (int lang = LANG_ZH; lang <= LANG_EN; lang++) {
        for (int large = 0; large <= 1; large++) {
            struct page_ctx c = ctx((enum lang)lang);
            c.large = large;
            struct rating_form f = {.score = 2, .tags = {true}, .rated_before = true};
            for (int s = VISIT_WAITING; s <= VISIT_NONE; s++) {
                struct visit v = visit((enum visit_state)s);
                v.offline_since = 1795000000;
                char *html = page_visit(&c, &v, &f);
                assert_clean(html);
                free(html);
                html = page_thanks(&c, &v, 5);
                assert_clean(html);
                free(html);
            }
            for (int p = PROBLEM_EXPIRED; p <= PROBLEM_UNAVAILABLE; p++) {
                char *html = page_problem(&c, (enum page_problem)p);
                assert_clean(html);
                assert_has(html, "class=\"problem\"");
                free(html);
            }
            struct complaint_form cf = {
                .text = "x", .phone = "138", .consent = false, .error = COMPLAINT_NEEDS_CONSENT};
            char *html = page_complaint(&c, &cf);
            assert_clean(html);
            free(html);
            html = page_complaint_done(&c, "C-20260314-0042", "0571-8765 4321", true);
            assert_clean(html);
            free(html);
            html = page_results_where(&c);
            assert_clean(html);
            free(html);
        }
    }
    assert_lacks(page_css, "http");
    assert_lacks(page_css, "url(");
    assert_lacks(page_css, "@import");
    assert_lacks(page_js, "http");
    assert_lacks(page_js, "eval(");
    assert_lacks(page_js, "=>"); /* ES5 only */
    assert_lacks(page_js, "let ");
    assert_lacks(page_js, "const ");
}

static void test_outside_text_is_escaped(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_EN);
    c.hospital_en = hostile;
    c.path = "/r/\"><script>x</script>";
    struct visit v = visit(VISIT_CALLED);
    snprintf(v.ticket, sizeof(v.ticket), "<b>'\"&");
    snprintf(v.room_en, sizeof(v.room_en), "%s", hostile);
    struct rating_form f = {.error = hostile};
    snprintf(f.comment, sizeof(f.comment), "%s", hostile);
    char *html = page_visit(&c, &v, &f);
    assert_clean(html);
    assert_lacks(html, "<script>");
    assert_lacks(html, "<b>'");
    assert_has(html, "&lt;b&gt;&#39;&quot;&amp;");
    assert_has(html, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&#39;");
    /* The path is percent-encoded into the switch links, quotes and all. */
    assert_has(html, "href=\"/r/%22%3E%3Cscript%3Ex%3C/script%3E?lang=zh\"");
    free(html);

    struct complaint_form cf = {.error = COMPLAINT_OK};
    snprintf(cf.text, sizeof(cf.text), "%s", hostile);
    snprintf(cf.phone, sizeof(cf.phone), "\"><script>");
    c.token = "\"><x";
    html = page_complaint(&c, &cf);
    assert_clean(html);
    assert_lacks(html, "<script>");
    assert_lacks(html, "<x");
    assert_has(html, "value=\"&quot;&gt;&lt;script&gt;\"");
    assert_has(html, "<input type=\"hidden\" name=\"t\" value=\"&quot;&gt;&lt;x\">");
    assert_has(html, "href=\"/c?t=%22%3E%3Cx\"");
    free(html);

    html = page_complaint_done(&c, hostile, "<1>", false);
    assert_clean(html);
    assert_lacks(html, "<script>");
    assert_has(html, "<a class=\"tel\" href=\"tel:1\">&lt;1&gt;</a>");
    free(html);
}

static void test_a_path_that_leaves_the_site_links_home(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    c.path = "//evil.example/x";
    char *html = page_results_where(&c);
    assert_has(html, "<a class=\"lang\" href=\"/?lang=en\">English</a>");
    assert_lacks(html, "evil");
    free(html);
}

static void test_malformed_utf8_and_controls_come_out_clean(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_DONE);
    snprintf(v.room_zh, sizeof(v.room_zh), "3\xff号\n诊室\x01");
    struct rating_form f = {0};
    snprintf(f.comment, sizeof(f.comment), "a\xc3\nb");
    char *html = page_visit(&c, &v, &f);
    assert_true(utf8_valid(html));
    assert_has(html, "3\xef\xbf\xbd号 诊室 ");
    assert_has(html, "a\xef\xbf\xbd\nb</textarea>");
    free(html);
}

static void test_waiting_shows_the_place_and_hides_the_form(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_WAITING);
    char *html = page_visit(&c, &v, NULL);
    dump("visit-waiting-zh.html", html);
    assert_has(html, "<div id=\"live\" data-state=\"waiting\" data-stream=\"/r/" TOKEN
                     "/events\"><p class=\"state waiting\" data-state=\"waiting\">");
    assert_has(html, "您的号码 <b class=\"ticket\">A023</b> · 前面还有 3 人 · 约 12 分钟");
    assert_has(html, "<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>");
    /* The form is there for the script to show when the ticket is called, hidden until then. */
    const char *later = strstr(html, "<div id=\"later\" hidden>");
    assert_non_null(later);
    assert_true(strstr(html, "<form id=\"rate\"") > later);
    free(html);

    c = ctx(LANG_EN);
    html = page_visit(&c, &v, NULL);
    dump("visit-waiting-en.html", html);
    assert_has(html, "Your number <b class=\"ticket\">A023</b> · 3 ahead · about 12 min");
    free(html);

    v.ahead = 0;
    v.eta_min = -1;
    html = page_visit_live(&c, &v);
    assert_string_equal(html, "<p class=\"state waiting\" data-state=\"waiting\">Your number "
                              "<b class=\"ticket\">A023</b> · You are next</p>");
    free(html);
    c = ctx(LANG_ZH);
    html = page_visit_live(&c, &v);
    assert_has(html, "<b class=\"ticket\">A023</b> · 下一位就是您</p>");
    free(html);

    v.ahead = -1;
    html = page_visit_live(&c, &v);
    assert_has(html, "您的号码 <b class=\"ticket\">A023</b> · 等候叫号</p>");
    assert_lacks(html, "前面");
    assert_lacks(html, "约");
    free(html);
}

static void test_called_names_the_room_large_and_shows_the_form(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_CALLED);
    char *html = page_visit(&c, &v, NULL);
    dump("visit-called-zh.html", html);
    assert_has(html, "<div id=\"live\" data-state=\"called\"");
    assert_has(html, "<p class=\"state called\" data-state=\"called\">请到 <b class=\"room\">3 "
                     "号诊室</b> 就诊</p>");
    assert_has(html, "<b class=\"ticket\">A023</b>");
    assert_lacks(html, "<noscript>");
    assert_lacks(html, "id=\"later\"");
    assert_has(html, "<form id=\"rate\" method=\"post\" action=\"/r/" TOKEN "\">");
    free(html);

    c = ctx(LANG_EN);
    html = page_visit_live(&c, &v);
    assert_has(html, "data-state=\"called\">Please go to <b class=\"room\">Room 3</b></p>");
    free(html);

    /* Only one language's name configured: the other is better than nothing. */
    v.room_en[0] = 0;
    html = page_visit_live(&c, &v);
    assert_has(html, "<b class=\"room\">3 号诊室</b>");
    free(html);
    v.room_zh[0] = 0;
    html = page_visit_live(&c, &v);
    assert_has(html, "data-state=\"called\">It is your turn");
    assert_lacks(html, "class=\"room\"");
    free(html);

    /* The longest names and tickets, in large type (to look at with PAGE_DUMP_DIR). */
    c = ctx(LANG_ZH);
    c.large = true;
    snprintf(v.ticket, sizeof(v.ticket), "A0234");
    snprintf(v.room_zh, sizeof(v.room_zh), "心血管内科专家门诊第十二诊室（门诊楼三层东侧）");
    html = page_visit(&c, &v, NULL);
    dump("visit-called-long-zh-large.html", html);
    assert_has(html, "请到 <b class=\"room\">心血管内科专家门诊第十二诊室（门诊楼三层东侧）</b>");
    assert_has(html, "<b class=\"ticket\">A0234</b>");
    free(html);
}

static void test_done_and_none_say_what_is_rated(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_DONE);
    char *html = page_visit(&c, &v, NULL);
    dump("visit-done-zh.html", html);
    assert_has(html, "<div id=\"live\" data-state=\"done\"");
    assert_has(html, "data-state=\"done\">您的号码 A023 已叫过 · 3 号诊室</p>");
    assert_has(html, "<h2>为 3 号诊室评价</h2>");
    assert_lacks(html, "<noscript>");
    assert_has(html, "<form id=\"rate\"");
    free(html);

    c = ctx(LANG_EN);
    html = page_visit_live(&c, &v);
    assert_has(html, "data-state=\"done\">Number A023 has been called · Room 3</p>");
    free(html);

    v = visit(VISIT_NONE);
    html = page_visit(&c, &v, NULL);
    dump("visit-none-en.html", html);
    assert_has(html, "<div id=\"live\" data-state=\"none\"");
    assert_has(html, "data-state=\"none\">Rate Room 3</p>");
    assert_has(html, "<form id=\"rate\"");
    free(html);
    v.room_en[0] = v.room_zh[0] = 0;
    html = page_visit_live(&c, &v);
    assert_has(html, ">Rate your visit</p>");
    free(html);
    c = ctx(LANG_ZH);
    html = page_visit_live(&c, &v);
    assert_has(html, ">为本次就诊评价</p>");
    free(html);
    snprintf(v.room_zh, sizeof(v.room_zh), "3 号诊室");
    html = page_visit_live(&c, &v);
    assert_has(html, ">为 3 号诊室评价</p>");
    free(html);
}

static void test_the_live_fragment_is_one_line_and_matches_the_page(void **state)
{
    (void)state;
    for (int s = VISIT_WAITING; s <= VISIT_NONE; s++) {
        struct page_ctx c = ctx(LANG_ZH);
        struct visit v = visit((enum visit_state)s);
        snprintf(v.room_zh, sizeof(v.room_zh), "3 号\n诊室\r\n");
        v.offline_since = 1795000000;
        char *live = page_visit_live(&c, &v);
        assert_null(strchr(live, '\n'));
        assert_null(strchr(live, '\r'));
        assert_int_equal(strncmp(live, "<p class=\"state ", 16), 0);
        assert_has(live, "data-state=\"");
        char *html = page_visit(&c, &v, NULL);
        char inside[4096];
        snprintf(inside, sizeof(inside), "/events\">%s</div>", live);
        assert_has(html, inside);
        free(html);
        free(live);
    }
}

static void test_offline_says_as_of_when_in_local_time(void **state)
{
    (void)state;
    setenv("TZ", "CST-8", 1); /* China: a POSIX rule, no tzdata needed */
    tzset();
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_WAITING);
    v.offline_since = 1795000000; /* 2026-11-18 11:06:40 UTC */
    char *live = page_visit_live(&c, &v);
    assert_has(live, "<p class=\"offline\">信息更新于 19:06（系统暂时离线）</p>");
    free(live);
    c = ctx(LANG_EN);
    live = page_visit_live(&c, &v);
    assert_has(live, "As of 19:06 (the hospital's system is offline)");
    free(live);
    v.offline_since = 0;
    live = page_visit_live(&c, &v);
    assert_lacks(live, "offline");
    free(live);
}

static void test_rating_form_names_values_and_words(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_DONE);
    char *html = page_visit(&c, &v, NULL);
    for (int i = 1; i <= 5; i++) {
        char radio[80];
        snprintf(radio, sizeof(radio), "<input type=\"radio\" name=\"score\" value=\"%d\">", i);
        assert_has(html, radio);
        assert_has(html, i18n_text((enum text_id)(TEXT_KIOSK_FACE_1 + i - 1), LANG_ZH));
    }
    assert_has(html, "很不满意");
    for (int i = 1; i <= RATING_TAGS; i++) {
        char box[80];
        snprintf(box, sizeof(box), "<input type=\"checkbox\" name=\"tag\" value=\"%d\">", i);
        assert_has(html, box);
        assert_has(html, i18n_text((enum text_id)(TEXT_KIOSK_REASON_1 + i - 1), LANG_ZH));
    }
    assert_int_equal(count(html, "name=\"score\""), 5);
    assert_int_equal(count(html, "name=\"tag\""), RATING_TAGS);
    assert_int_equal(count(html, "checked"), 0);
    assert_has(html, "<textarea name=\"comment\" maxlength=\"500\">");
    assert_has(html, "<button type=\"submit\">提交</button>");
    assert_lacks(html, "class=\"error\"");
    assert_lacks(html, "已评价过");
    free(html);

    c = ctx(LANG_EN);
    html = page_visit(&c, &v, NULL);
    assert_has(html, "Very unhappy");
    assert_has(html, "Hard to find the way");
    assert_has(html, "<button type=\"submit\">Submit</button>");
    assert_has(html, "<h2>Rate Room 3</h2>");
    free(html);
}

static void test_a_refused_rating_comes_back_as_it_was_left(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_CALLED);
    struct rating_form f = {
        .score = 4, .tags = {true, false, true, false}, .rated_before = true, .error = "评论太长"};
    snprintf(f.comment, sizeof(f.comment), "\n第一行\n第二行");
    char *html = page_visit(&c, &v, &f);
    dump("visit-refill-zh.html", html);
    assert_has(html, "<input type=\"radio\" name=\"score\" value=\"4\" checked>");
    assert_int_equal(count(html, " checked"), 3);
    assert_has(html, "<input type=\"checkbox\" name=\"tag\" value=\"1\" checked>");
    assert_has(html, "<input type=\"checkbox\" name=\"tag\" value=\"2\">");
    assert_has(html, "<input type=\"checkbox\" name=\"tag\" value=\"3\" checked>");
    /* The parser drops one newline after <textarea>: the comment's own first one survives. */
    assert_has(html, "maxlength=\"500\">\n\n第一行\n第二行</textarea>");
    assert_has(html, "<p class=\"error\" role=\"alert\">评论太长</p>");
    assert_has(html, "您已评价过，再次提交将替换上次评价");
    assert_true(strstr(html, "role=\"alert\"") < strstr(html, "name=\"score\""));
    free(html);

    c = ctx(LANG_EN);
    html = page_visit(&c, &v, &f);
    assert_has(html, "You rated this visit already; sending again replaces it");
    free(html);
}

static void test_noscript_refresh_only_while_waiting(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    for (int s = VISIT_WAITING; s <= VISIT_NONE; s++) {
        struct visit v = visit((enum visit_state)s);
        char *html = page_visit(&c, &v, NULL);
        assert_int_equal(count(html, "http-equiv=\"refresh\""), s == VISIT_WAITING);
        if (s == VISIT_WAITING)
            assert_true(strstr(html, "<noscript>") < strstr(html, "</head>"));
        free(html);
    }
    char *html = page_thanks(&c, &(struct visit){.state = VISIT_DONE}, 3);
    assert_lacks(html, "refresh");
    free(html);
}

static void test_language_and_size_switches(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_WAITING);
    char *html = page_visit(&c, &v, NULL);
    assert_has(html, "<html lang=\"zh-CN\">");
    assert_has(html, "<a class=\"lang\" href=\"/r/" TOKEN "?lang=en\">English</a>");
    assert_has(html, "<a class=\"size\" href=\"/r/" TOKEN "?size=large\">大字</a>");
    assert_has(html, "<a class=\"complaint\" href=\"/c?t=" TOKEN
                     "\">投诉与建议 · Complaint or suggestion</a>");
    assert_has(html, "<header><p class=\"hospital\">第一人民医院</p></header>");
    free(html);

    c = ctx(LANG_EN);
    c.large = true;
    html = page_visit(&c, &v, NULL);
    dump("visit-waiting-en-large.html", html);
    assert_has(html, "<html lang=\"en\" class=\"large\">");
    assert_has(html, "<a class=\"lang\" href=\"/r/" TOKEN "?lang=zh\">中文</a>");
    assert_has(html, "<a class=\"size\" href=\"/r/" TOKEN "?size=normal\">Normal text</a>");
    assert_has(html, "First People&#39;s Hospital</p></header>");
    free(html);

    c = ctx(LANG_ZH);
    c.large = true;
    c.token = "";
    c.path = "/c";
    c.hospital_zh = c.hospital_en = "";
    html = page_complaint(&c, NULL);
    assert_has(html, "<a class=\"size\" href=\"/c?size=normal\">标准字号</a>");
    assert_has(html, "<a class=\"complaint\" href=\"/c\">");
    assert_lacks(html, "<header>");
    free(html);
}

static void test_thanks_links_back(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    struct visit v = visit(VISIT_DONE);
    char *html = page_thanks(&c, &v, 5);
    dump("thanks-zh.html", html);
    assert_has(html, "<h1 class=\"thanks\">谢谢您的评价</h1>");
    assert_has(html, "<a class=\"back\" href=\"/r/" TOKEN "\">");
    assert_has(html, "很满意");
    free(html);
    c = ctx(LANG_EN);
    html = page_thanks(&c, &v, 0);
    assert_has(html, "<h1 class=\"thanks\">Thank you for your feedback</h1>");
    assert_lacks(html, "class=\"chosen\"");
    free(html);
}

static void test_problems_in_both_languages(void **state)
{
    (void)state;
    static const char *const words[][2] = {
        [PROBLEM_EXPIRED] = {"这个二维码已过期", "This code has expired"},
        [PROBLEM_INVALID] = {"无法识别这个二维码", "We cannot read this code"},
        [PROBLEM_RATE_LIMITED] = {"提交次数过多，请稍后再试",
                                  "Too many ratings from here, please try again later"},
        [PROBLEM_NOT_FOUND] = {"找不到这个页面", "This page does not exist"},
        [PROBLEM_BAD_REQUEST] = {"无法读取提交的内容", "We could not read what was sent"},
        [PROBLEM_UNAVAILABLE] = {"系统暂时无法使用", "This service is unavailable right now"},
    };
    for (int p = PROBLEM_EXPIRED; p <= PROBLEM_UNAVAILABLE; p++) {
        for (int lang = LANG_ZH; lang <= LANG_EN; lang++) {
            struct page_ctx c = ctx((enum lang)lang);
            char *html = page_problem(&c, (enum page_problem)p);
            if (p == PROBLEM_EXPIRED)
                dump(lang == LANG_ZH ? "problem-expired-zh.html" : "problem-expired-en.html", html);
            const char *mine = strstr(html, words[p][lang]);
            const char *other = strstr(html, words[p][!lang]);
            assert_non_null(mine);
            assert_non_null(other);
            assert_true(mine < other);
            assert_int_equal(count(html, "<section class=\"problem"), 2);
            free(html);
        }
    }
}

static void test_complaint_form_and_its_errors(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    c.path = "/c";
    char *html = page_complaint(&c, NULL);
    dump("complaint-zh.html", html);
    assert_has(html, "<form id=\"complaint\" method=\"post\" action=\"/c\">");
    assert_has(html, "<input type=\"hidden\" name=\"t\" value=\"" TOKEN "\">");
    assert_has(html, "<textarea name=\"text\" maxlength=\"2000\" required>");
    assert_has(html, "<input type=\"tel\" name=\"phone\" maxlength=\"24\" autocomplete=\"tel\">");
    assert_has(html, "<input type=\"checkbox\" name=\"consent\" value=\"1\"> "
                     "我同意医院保存此号码用于回电</label>");
    assert_has(html, "<button type=\"submit\">");
    assert_lacks(html, "class=\"error\"");
    free(html);

    c.token = "";
    html = page_complaint(&c, NULL);
    assert_lacks(html, "type=\"hidden\"");
    free(html);

    static const char *const said[][2] = {
        [COMPLAINT_EMPTY] = {"请写下您想告诉我们的内容", "Please write what"},
        [COMPLAINT_TOO_LONG] = {"内容太长", "That is too long"},
        [COMPLAINT_BAD_PHONE] = {"电话号码", "Please check the phone number"},
        [COMPLAINT_NEEDS_CONSENT] = {"请勾选同意，或删除电话号码",
                                     "Tick the box, or remove the number"},
    };
    for (int e = COMPLAINT_EMPTY; e <= COMPLAINT_NEEDS_CONSENT; e++) {
        for (int lang = LANG_ZH; lang <= LANG_EN; lang++) {
            struct page_ctx cl = ctx((enum lang)lang);
            struct complaint_form f = {.text = "候诊室太冷",
                                       .phone = "13800138000",
                                       .consent = e != COMPLAINT_NEEDS_CONSENT,
                                       .error = (enum complaint_error)e};
            html = page_complaint(&cl, &f);
            if (e == COMPLAINT_NEEDS_CONSENT && lang == LANG_EN)
                dump("complaint-error-en.html", html);
            char alert[200];
            snprintf(alert, sizeof(alert), "<p class=\"error\" role=\"alert\">%s", said[e][lang]);
            assert_has(html, alert);
            assert_has(html, ">\n候诊室太冷</textarea>");
            assert_has(html, "autocomplete=\"tel\" value=\"13800138000\">");
            if (e == COMPLAINT_NEEDS_CONSENT)
                assert_has(html, "name=\"consent\" value=\"1\">");
            else
                assert_has(html, "name=\"consent\" value=\"1\" checked>");
            free(html);
        }
    }
}

static void test_complaint_done_gives_the_reference_and_the_line(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    char *html = page_complaint_done(&c, "C-0042", "+86 (571) 8765-4321", true);
    dump("complaint-done-zh.html", html);
    assert_has(html, "<b class=\"reference\">C-0042</b>");
    assert_has(html, "<a class=\"tel\" href=\"tel:+8657187654321\">+86 (571) 8765-4321</a>");
    assert_has(html, "我们已保存您的电话号码");
    free(html);
    c = ctx(LANG_EN);
    html = page_complaint_done(&c, "C-0042", "", false);
    assert_has(html, "<b class=\"reference\">C-0042</b>");
    assert_lacks(html, "tel:");
    assert_has(html, "No phone number was kept.");
    free(html);
}

static void test_results_page_shows_no_result_and_says_where(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_ZH);
    c.path = "/l/" TOKEN;
    char *html = page_results_where(&c);
    dump("results-zh.html", html);
    assert_has(html, "自助机");
    assert_has(html, "服务台");
    assert_has(html, "二维码或输入就诊号");
    assert_lacks(html, "<form");
    free(html);
    c = ctx(LANG_EN);
    html = page_results_where(&c);
    assert_has(html, "self-service kiosk");
    assert_has(html, "scan your ticket or enter the code");
    assert_has(html, "desk");
    free(html);
}

static void test_stylesheet_and_script(void **state)
{
    (void)state;
    assert_has(page_css, "font-family:system-ui,\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft "
                         "YaHei\",sans-serif");
    assert_has(page_css, "html.large{font-size:135%}");
    assert_has(page_css, "min-height:2.75rem"); /* 44 px tap targets */
    assert_has(page_css, "[hidden]{display:none");
    dump("hub.css", page_css);
    dump("hub.js", page_js);
    assert_has(page_js, "window.EventSource");
    assert_has(page_js, "'data-stream'");
    assert_has(page_js, "navigator.vibrate([300,150,300])");
    assert_has(page_js, "removeAttribute('hidden')");
    assert_has(page_js, "location.reload()");
    assert_has(page_js, "15000");
    assert_has(page_js, "errors>=3");
    assert_true(strlen(page_js) < JS_BUDGET);
}

/* The largest first load: a waiting ticket (the hidden form included) with the longest room
 * names a room can have, plus the stylesheet and the script. */
static void test_first_load_within_budget(void **state)
{
    (void)state;
    struct page_ctx c = ctx(LANG_EN);
    c.large = true;
    struct visit v = visit(VISIT_WAITING);
    memset(v.room_zh, 'x', sizeof(v.room_zh) - 1);
    memset(v.room_en, 'x', sizeof(v.room_en) - 1);
    v.offline_since = 1795000000;
    struct rating_form f = {.score = 5,
                            .tags = {true, true, true, true},
                            .rated_before = true,
                            .error = "Please choose a face"};
    memset(f.comment, 'x', PAGE_COMMENT_MAX);
    char *html = page_visit(&c, &v, &f);
    size_t html_len = strlen(html), css_len = strlen(page_css), js_len = strlen(page_js);
    printf("sizes: visit %zu, css %zu, js %zu bytes\n", html_len, css_len, js_len);
    assert_true(html_len < HTML_BUDGET);
    assert_true(css_len < CSS_BUDGET);
    assert_true(js_len < JS_BUDGET);
    assert_true(html_len + css_len + js_len < FIRST_LOAD);
    assert_true(FIRST_LOAD < ISSUE_LIMIT);
    free(html);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_every_page_keeps_to_the_csp_and_has_the_shell),
        cmocka_unit_test(test_outside_text_is_escaped),
        cmocka_unit_test(test_a_path_that_leaves_the_site_links_home),
        cmocka_unit_test(test_malformed_utf8_and_controls_come_out_clean),
        cmocka_unit_test(test_waiting_shows_the_place_and_hides_the_form),
        cmocka_unit_test(test_called_names_the_room_large_and_shows_the_form),
        cmocka_unit_test(test_done_and_none_say_what_is_rated),
        cmocka_unit_test(test_the_live_fragment_is_one_line_and_matches_the_page),
        cmocka_unit_test(test_offline_says_as_of_when_in_local_time),
        cmocka_unit_test(test_rating_form_names_values_and_words),
        cmocka_unit_test(test_a_refused_rating_comes_back_as_it_was_left),
        cmocka_unit_test(test_noscript_refresh_only_while_waiting),
        cmocka_unit_test(test_language_and_size_switches),
        cmocka_unit_test(test_thanks_links_back),
        cmocka_unit_test(test_problems_in_both_languages),
        cmocka_unit_test(test_complaint_form_and_its_errors),
        cmocka_unit_test(test_complaint_done_gives_the_reference_and_the_line),
        cmocka_unit_test(test_results_page_shows_no_result_and_says_where),
        cmocka_unit_test(test_stylesheet_and_script),
        cmocka_unit_test(test_first_load_within_budget),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
