/* page.c: the patient's pages (page.h) as HTML for a phone at 360 px: one shell (head, header,
 * footer with the complaint, language and size links) around each page's content. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/bytes.h"
#include "base/utf8.h"
#include "hub/page.h"

/* The Content-Security-Policy the hub sends allows only /s/hub.css and /s/hub.js: nothing here
 * may write a style="" attribute, an inline script or event handler, or a URL to another site.
 * Every text from outside goes through put_text or put_url; everything else is our markup.
 *
 * Names hub.js and the tests rely on: div#live with data-state (waiting, called, done, none)
 * and data-stream, whose first child carries data-state too (an SSE fragment says its state);
 * div#later[hidden] around the rating form while waiting; form#rate (radio score 1..5, checkbox
 * tag 1..4, textarea comment); form#complaint (hidden t, textarea text, tel phone, checkbox
 * consent); .ticket .room .offline .error[role=alert] .problem .thanks .reference; the footer's
 * a.complaint, a.lang and a.size. */

static void put(struct bytes *b, const char *markup)
{
    bytes_append(b, markup, strlen(markup));
}

static void putf(struct bytes *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Our own markup with numbers in it; never outside text (that would skip escaping). */
static void putf(struct bytes *b, const char *fmt, ...)
{
    char buf[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(buf, sizeof(buf), fmt, ap);
    va_end(ap);
    if (n < 0 || (size_t)n >= sizeof(buf))
        abort(); /* a programming error: our formats are short */
    bytes_append(b, buf, (size_t)n);
}

/* Escapes & < > " ' for both element text and quoted attributes. Malformed UTF-8 comes out as
 * U+FFFD and control characters as spaces, so the page is always valid UTF-8 and a live
 * fragment stays one line; newlines survive only where asked (a textarea's text). */
static void put_text_lines(struct bytes *b, const char *s, bool newlines)
{
    if (!s)
        return;
    uint32_t cp;
    while ((cp = utf8_next(&s)) != 0) {
        switch (cp) {
        case '&':
            put(b, "&amp;");
            break;
        case '<':
            put(b, "&lt;");
            break;
        case '>':
            put(b, "&gt;");
            break;
        case '"':
            put(b, "&quot;");
            break;
        case '\'':
            put(b, "&#39;");
            break;
        case '\n':
            put(b, newlines ? "\n" : " ");
            break;
        case '\r':
            if (!newlines)
                put(b, " ");
            break;
        default: {
            if (cp < 0x20 || (cp >= 0x7f && cp < 0xa0))
                cp = ' ';
            char enc[8] = "";
            utf8_append(enc, sizeof(enc), cp);
            put(b, enc);
        }
        }
    }
}

static void put_text(struct bytes *b, const char *s)
{
    put_text_lines(b, s, false);
}

/* A path or token inside a URL: unreserved characters (and '/' when slash) as they are,
 * every other byte percent-encoded, so the result needs no HTML escaping either. */
static void put_url(struct bytes *b, const char *s, bool slash)
{
    static const char hex[] = "0123456789ABCDEF";
    for (const unsigned char *p = (const unsigned char *)(s ? s : ""); *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            strchr("-._~", *p) || (slash && *p == '/')) {
            bytes_append(b, p, 1);
        } else {
            char esc[3] = {'%', hex[*p >> 4], hex[*p & 15]};
            bytes_append(b, esc, 3);
        }
    }
}

/* The page's own path for its switch links: it must stay on this site, so anything that is
 * not a plain absolute path ("//elsewhere", "/\elsewhere", a scheme) becomes "/". */
static void put_self(struct bytes *b, const struct page_ctx *c)
{
    const char *path = c->path ? c->path : "";
    if (path[0] != '/' || path[1] == '/' || path[1] == '\\')
        path = "/";
    put_url(b, path, true);
}

static char *finish(struct bytes *b)
{
    bytes_append(b, "", 1);
    return (char *)b->data; /* the caller frees it */
}

static const char *tr(const struct page_ctx *c, const char *zh, const char *en)
{
    return c->lang == LANG_ZH ? zh : en;
}

/* A name in the page's language, or in the other one when that is all there is. */
static const char *name_in(const struct page_ctx *c, const char *zh, const char *en)
{
    zh = zh ? zh : "";
    en = en ? en : "";
    const char *want = tr(c, zh, en), *other = tr(c, en, zh);
    return want[0] ? want : other;
}

static bool has_token(const struct page_ctx *c)
{
    return c->token && c->token[0];
}

/* <!doctype> to <main>: title is outside text (it may hold a ticket); refresh adds the
 * JavaScript-off refresh of a waiting ticket. */
static void page_open(struct bytes *b, const struct page_ctx *c, const char *title, bool refresh)
{
    put(b, "<!doctype html>\n<html lang=\"");
    put(b, tr(c, "zh-CN", "en"));
    put(b, c->large ? "\" class=\"large\">\n" : "\">\n");
    put(b, "<head>\n<meta charset=\"utf-8\">\n"
           "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">\n"
           "<meta name=\"referrer\" content=\"no-referrer\">\n<title>");
    put_text(b, title);
    const char *hospital = name_in(c, c->hospital_zh, c->hospital_en);
    if (hospital[0]) {
        put(b, " · ");
        put_text(b, hospital);
    }
    put(b, "</title>\n<link rel=\"stylesheet\" href=\"/s/hub.css\">\n"
           "<script src=\"/s/hub.js\" defer></script>\n");
    if (refresh)
        put(b, "<noscript><meta http-equiv=\"refresh\" content=\"15\"></noscript>\n");
    put(b, "</head>\n<body>\n");
    if (hospital[0]) {
        put(b, "<header><p class=\"hospital\">");
        put_text(b, hospital);
        put(b, "</p></header>\n");
    }
    put(b, "<main>\n");
}

/* </main>, the footer every page has, and the end of the document. */
static char *page_close(struct bytes *b, const struct page_ctx *c)
{
    put(b, "</main>\n<footer>\n<a class=\"complaint\" href=\"/c");
    if (has_token(c)) {
        put(b, "?t=");
        put_url(b, c->token, false);
    }
    put(b, "\">投诉与建议 · Complaint or suggestion</a>\n<a class=\"lang\" href=\"");
    put_self(b, c);
    put(b, tr(c, "?lang=en\">English</a>\n", "?lang=zh\">中文</a>\n"));
    put(b, "<a class=\"size\" href=\"");
    put_self(b, c);
    if (c->large)
        put(b, tr(c, "?size=normal\">标准字号</a>\n", "?size=normal\">Normal text</a>\n"));
    else
        put(b, tr(c, "?size=large\">大字</a>\n", "?size=large\">Large text</a>\n"));
    put(b, "</footer>\n</body>\n</html>\n");
    return finish(b);
}

/* ---- The visit: live block and rating form ---- */

static const char *const state_names[] = {
    [VISIT_WAITING] = "waiting",
    [VISIT_CALLED] = "called",
    [VISIT_DONE] = "done",
    [VISIT_NONE] = "none",
};

static enum visit_state visit_state_of(const struct visit *v)
{
    return (unsigned)v->state <= VISIT_NONE ? v->state : VISIT_NONE;
}

static const char *room_of(const struct page_ctx *c, const struct visit *v)
{
    return name_in(c, v->room_zh, v->room_en);
}

static void put_ticket(struct bytes *b, const struct visit *v)
{
    put(b, "<b class=\"ticket\">");
    put_text(b, v->ticket);
    put(b, "</b>");
}

/* "为 3 号诊室评价" / "Rate Room 3", or the visit as a whole when no room is known. */
static void put_what_is_rated(struct bytes *b, const struct page_ctx *c, const struct visit *v)
{
    const char *room = room_of(c, v);
    if (!room[0]) {
        put(b, tr(c, "为本次就诊评价", "Rate your visit"));
        return;
    }
    put(b, tr(c, "为 ", "Rate "));
    put_text(b, room);
    put(b, tr(c, "评价", ""));
}

static void put_live(struct bytes *b, const struct page_ctx *c, const struct visit *v)
{
    enum visit_state state = visit_state_of(v);
    const char *room = room_of(c, v);
    if (state == VISIT_DONE && !v->ticket[0])
        state = VISIT_NONE; /* nothing to say about a ticket: say what is rated */
    putf(b, "<p class=\"state %s\" data-state=\"%s\">", state_names[state], state_names[state]);
    switch (state) {
    case VISIT_WAITING:
        put(b, tr(c, "您的号码 ", "Your number "));
        put_ticket(b, v);
        if (v->ahead == 0)
            put(b, tr(c, " · 下一位就是您", " · You are next"));
        else if (v->ahead > 0)
            putf(b, c->lang == LANG_ZH ? " · 前面还有 %d 人" : " · %d ahead", v->ahead);
        else /* a queue that tells no places, or a ticket it does not list yet */
            put(b, tr(c, " · 等候叫号", " · waiting to be called"));
        if (v->eta_min > 0)
            putf(b, c->lang == LANG_ZH ? " · 约 %d 分钟" : " · about %d min", v->eta_min);
        put(b, "</p>");
        break;
    case VISIT_CALLED:
        if (room[0]) {
            put(b, tr(c, "请到 <b class=\"room\">", "Please go to <b class=\"room\">"));
            put_text(b, room);
            put(b, tr(c, "</b> 就诊", "</b>"));
        } else {
            put(b, tr(c, "轮到您了，请前往就诊", "It is your turn: please go in"));
        }
        put(b, "</p><p class=\"called-ticket\">");
        put(b, tr(c, "您的号码 ", "Your number "));
        put_ticket(b, v);
        put(b, "</p>");
        break;
    case VISIT_DONE:
        put(b, tr(c, "您的号码 ", "Number "));
        put_text(b, v->ticket);
        put(b, tr(c, " 已叫过", " has been called"));
        if (room[0]) {
            put(b, " · ");
            put_text(b, room);
        }
        put(b, "</p>");
        break;
    case VISIT_NONE:
        put_what_is_rated(b, c, v);
        put(b, "</p>");
        break;
    }
    if (v->offline_since > 0) {
        time_t t = (time_t)v->offline_since;
        struct tm tm;
        char hhmm[8] = "--:--";
        if (localtime_r(&t, &tm))
            strftime(hhmm, sizeof(hhmm), "%H:%M", &tm);
        putf(b,
             c->lang == LANG_ZH ? "<p class=\"offline\">信息更新于 %s（系统暂时离线）</p>"
                                : "<p class=\"offline\">As of %s (the hospital's system is "
                                  "offline)</p>",
             hhmm);
    }
}

static const char *const faces[5] = {"😣", "🙁", "😐", "🙂", "😄"};

static void put_rating_form(struct bytes *b, const struct page_ctx *c, const struct visit *v,
                            const struct rating_form *f)
{
    put(b, "<form id=\"rate\" method=\"post\" action=\"/r/");
    put_url(b, c->token, false);
    put(b, "\">\n");
    /* A screen's code already says what is rated in the live block above. */
    if (visit_state_of(v) != VISIT_NONE && room_of(c, v)[0]) {
        put(b, "<h2>");
        put_what_is_rated(b, c, v);
        put(b, "</h2>\n");
    }
    if (f && f->error && f->error[0]) {
        put(b, "<p class=\"error\" role=\"alert\">");
        put_text(b, f->error);
        put(b, "</p>\n");
    }
    if (f && f->rated_before)
        put(b, tr(c, "<p class=\"note\">您已评价过，再次提交将替换上次评价</p>\n",
                  "<p class=\"note\">You rated this visit already; sending again replaces "
                  "it</p>\n"));
    put(b, "<fieldset class=\"faces\"><legend>");
    put(b, i18n_text(TEXT_KIOSK_HOW_WAS_IT, c->lang));
    put(b, "</legend>\n");
    for (int i = 0; i < 5; i++) {
        putf(b,
             "<label><input type=\"radio\" name=\"score\" value=\"%d\"%s><span class=\"f\">"
             "<span class=\"face\">%s</span>",
             i + 1, f && f->score == i + 1 ? " checked" : "", faces[i]);
        put(b, i18n_text((enum text_id)(TEXT_KIOSK_FACE_1 + i), c->lang));
        put(b, "</span></label>\n");
    }
    put(b, "</fieldset>\n<fieldset class=\"tags\"><legend>");
    put(b, tr(c, "哪些方面？（可多选，选填）", "Anything in particular? (optional)"));
    put(b, "</legend>\n");
    for (int i = 0; i < RATING_TAGS; i++) {
        putf(b, "<label><input type=\"checkbox\" name=\"tag\" value=\"%d\"%s> ", i + 1,
             f && f->tags[i] ? " checked" : "");
        put(b, i18n_text((enum text_id)(TEXT_KIOSK_REASON_1 + i), c->lang));
        put(b, "</label>\n");
    }
    put(b, "</fieldset>\n<label class=\"field\">");
    put(b, tr(c, "其他意见（选填）", "Anything else? (optional)"));
    /* The newline after <textarea> is dropped by the parser, so a comment that starts with
     * one keeps it. */
    putf(b, "<textarea name=\"comment\" maxlength=\"%d\">\n", PAGE_COMMENT_MAX);
    if (f)
        put_text_lines(b, f->comment, true);
    put(b, "</textarea></label>\n<button type=\"submit\">");
    put(b, tr(c, "提交", "Submit"));
    put(b, "</button>\n</form>\n");
}

char *page_visit_live(const struct page_ctx *c, const struct visit *v)
{
    struct bytes b = {0};
    put_live(&b, c, v);
    return finish(&b);
}

char *page_visit(const struct page_ctx *c, const struct visit *v, const struct rating_form *f)
{
    struct bytes b = {0};
    enum visit_state state = visit_state_of(v);
    char title[MODEL_TICKET_MAX + 64];
    if (state == VISIT_NONE || !v->ticket[0])
        snprintf(title, sizeof(title), "%s", i18n_text(TEXT_KIOSK_RATE, c->lang));
    else
        snprintf(title, sizeof(title), "%s · %s", v->ticket,
                 tr(c, "排队进度", "Your place in the queue"));
    page_open(&b, c, title, state == VISIT_WAITING);
    put(&b, "<div id=\"live\" data-state=\"");
    put(&b, state_names[state]);
    put(&b, "\" data-stream=\"/r/");
    put_url(&b, c->token, false);
    put(&b, "/events\">");
    put_live(&b, c, v);
    put(&b, "</div>\n");
    /* While waiting, the form is there but hidden: hub.js shows it once the ticket is called
     * (without JavaScript the 15 s refresh brings the page with it shown). */
    if (state == VISIT_WAITING)
        put(&b, "<div id=\"later\" hidden>\n");
    put_rating_form(&b, c, v, f);
    if (state == VISIT_WAITING)
        put(&b, "</div>\n");
    return page_close(&b, c);
}

char *page_thanks(const struct page_ctx *c, const struct visit *v, int score)
{
    struct bytes b = {0};
    page_open(&b, c, i18n_text(TEXT_KIOSK_THANKS, c->lang), false);
    put(&b, "<h1 class=\"thanks\">");
    put(&b, i18n_text(TEXT_KIOSK_THANKS, c->lang));
    put(&b, "</h1>\n");
    const char *room = room_of(c, v);
    if (score >= 1 && score <= 5) {
        putf(&b, "<p class=\"chosen\"><span class=\"face\">%s</span> ", faces[score - 1]);
        put(&b, i18n_text((enum text_id)(TEXT_KIOSK_FACE_1 + score - 1), c->lang));
        if (room[0]) {
            put(&b, " · ");
            put_text(&b, room);
        }
        put(&b, "</p>\n");
    }
    put(&b, tr(c, "<p>您的意见会帮助我们改进服务。</p>\n",
               "<p>What you tell us helps us do better.</p>\n"));
    if (has_token(c)) {
        put(&b, "<p><a class=\"back\" href=\"/r/");
        put_url(&b, c->token, false);
        put(&b, tr(c, "\">返回</a></p>\n", "\">Back</a></p>\n"));
    }
    return page_close(&b, c);
}

/* ---- Problems ---- */

struct problem_text {
    const char *title, *body;
};

static const struct problem_text problems[][2] = {
    [PROBLEM_EXPIRED] = {{"这个二维码已过期", "二维码只在一段时间内有效。如需评价，请扫描候诊区"
                                              "屏幕上的二维码；如需帮助，请到服务台咨询。"},
                         {"This code has expired",
                          "Codes work only for a while. To rate your visit, scan the code on a "
                          "screen in the waiting area; for help, please ask at the desk."}},
    [PROBLEM_INVALID] = {{"无法识别这个二维码",
                          "请扫描本院号票或屏幕上的完整二维码。如需帮助，请到服务台咨询。"},
                         {"We cannot read this code",
                          "Please scan the whole code on your ticket or on a screen in this "
                          "hospital. For help, please ask at the desk."}},
    [PROBLEM_RATE_LIMITED] = {{"提交次数过多，请稍后再试",
                               "同一网络每小时可提交的评价有限。您也可以在自助机上评价。"},
                              {"Too many ratings from here, please try again later",
                               "Each network can send only so many ratings an hour. You can "
                               "also rate your visit at the self-service kiosk."}},
    [PROBLEM_NOT_FOUND] = {{"找不到这个页面", "请重新扫描号票或屏幕上的二维码。"},
                           {"This page does not exist",
                            "Please scan the code on your ticket or on a screen again."}},
    [PROBLEM_BAD_REQUEST] = {{"无法读取提交的内容", "请返回上一页，再试一次。"},
                             {"We could not read what was sent",
                              "Please go back to the previous page and try again."}},
    [PROBLEM_UNAVAILABLE] = {{"系统暂时无法使用", "请几分钟后再试。如需帮助，请到服务台咨询。"},
                             {"This service is unavailable right now",
                              "Please try again in a few minutes. For help, please ask at the "
                              "desk."}},
};

char *page_problem(const struct page_ctx *c, enum page_problem problem)
{
    if ((int)problem < 0 || (size_t)problem >= sizeof(problems) / sizeof(problems[0]))
        problem = PROBLEM_NOT_FOUND;
    int zh = c->lang == LANG_ZH;
    const struct problem_text *first = &problems[problem][!zh];
    const struct problem_text *second = &problems[problem][zh];
    struct bytes b = {0};
    page_open(&b, c, first->title, false);
    put(&b, tr(c, "<section class=\"problem\" lang=\"zh-CN\"><h1>",
               "<section class=\"problem\" lang=\"en\"><h1>"));
    put(&b, first->title);
    put(&b, "</h1><p>");
    put(&b, first->body);
    put(&b, tr(c, "</p></section>\n<section class=\"problem other\" lang=\"en\"><h2>",
               "</p></section>\n<section class=\"problem other\" lang=\"zh-CN\"><h2>"));
    put(&b, second->title);
    put(&b, "</h2><p>");
    put(&b, second->body);
    put(&b, "</p></section>\n");
    return page_close(&b, c);
}

/* ---- Complaints ---- */

static const char *complaint_error_text(const struct page_ctx *c, enum complaint_error e)
{
    switch (e) {
    case COMPLAINT_EMPTY:
        return tr(c, "请写下您想告诉我们的内容", "Please write what you would like to tell us");
    case COMPLAINT_TOO_LONG:
        return tr(c, "内容太长：最多 2000 字", "That is too long: 2000 characters at most");
    case COMPLAINT_BAD_PHONE:
        return tr(c, "电话号码无法识别，请只填写数字",
                  "Please check the phone number: digits only");
    case COMPLAINT_NEEDS_CONSENT:
        return tr(c, "请勾选同意，或删除电话号码", "Tick the box, or remove the number");
    case COMPLAINT_OK:
        break;
    }
    return NULL;
}

char *page_complaint(const struct page_ctx *c, const struct complaint_form *f)
{
    struct bytes b = {0};
    const char *title = tr(c, "投诉与建议", "Complaint or suggestion");
    page_open(&b, c, title, false);
    put(&b, "<h1>");
    put(&b, title);
    put(&b, "</h1>\n");
    put(&b, tr(c, "<p>请告诉我们发生了什么，医院会认真处理每一条意见。无需留下姓名。</p>\n",
               "<p>Tell us what happened: the hospital reads every message. You do not need "
               "to give your name.</p>\n"));
    put(&b, "<form id=\"complaint\" method=\"post\" action=\"/c\">\n");
    if (has_token(c)) {
        put(&b, "<input type=\"hidden\" name=\"t\" value=\"");
        put_text(&b, c->token);
        put(&b, "\">\n");
    }
    const char *error = f ? complaint_error_text(c, f->error) : NULL;
    if (error) {
        put(&b, "<p class=\"error\" role=\"alert\">");
        put(&b, error);
        put(&b, "</p>\n");
    }
    put(&b, "<label class=\"field\">");
    put(&b, tr(c, "发生了什么？", "What happened?"));
    putf(&b, "<textarea name=\"text\" maxlength=\"%d\" required>\n", PAGE_COMPLAINT_MAX);
    if (f)
        put_text_lines(&b, f->text, true);
    put(&b, "</textarea></label>\n<label class=\"field\">");
    put(&b, tr(c, "电话（选填，如需回电）", "Phone (optional, for a call back)"));
    putf(&b, "<input type=\"tel\" name=\"phone\" maxlength=\"%d\" autocomplete=\"tel\"",
         PAGE_PHONE_MAX);
    if (f && f->phone[0]) {
        put(&b, " value=\"");
        put_text(&b, f->phone);
        put(&b, "\"");
    }
    put(&b, "></label>\n<label class=\"consent\"><input type=\"checkbox\" name=\"consent\" "
            "value=\"1\"");
    put(&b, f && f->consent ? " checked> " : "> ");
    put(&b, tr(c, "我同意医院保存此号码用于回电",
               "I agree that the hospital keeps this number to call me back"));
    put(&b, "</label>\n<button type=\"submit\">");
    put(&b, tr(c, "提交", "Submit"));
    put(&b, "</button>\n</form>\n");
    return page_close(&b, c);
}

char *page_complaint_done(const struct page_ctx *c, const char *reference,
                          const char *complaints_phone, bool phone_kept)
{
    struct bytes b = {0};
    page_open(&b, c, tr(c, "已收到您的意见", "Message received"), false);
    put(&b, tr(c, "<h1 class=\"thanks\">已收到，谢谢您</h1>\n",
               "<h1 class=\"thanks\">Received, thank you</h1>\n"));
    put(&b, tr(c, "<p>您的编号：<b class=\"reference\">",
               "<p>Your reference: <b class=\"reference\">"));
    put_text(&b, reference);
    put(&b, tr(c, "</b></p>\n<p>请保留此编号，以便查询处理进度。</p>\n",
               "</b></p>\n<p>Keep it to ask how your message is being handled.</p>\n"));
    if (complaints_phone && complaints_phone[0]) {
        /* The link keeps the digits and a leading +; the text shows the number as published. */
        put(&b, tr(c, "<p>投诉电话：<a class=\"tel\" href=\"tel:",
                   "<p>Complaints line: <a class=\"tel\" href=\"tel:"));
        for (const char *p = complaints_phone; *p; p++)
            if ((*p >= '0' && *p <= '9') || (*p == '+' && p == complaints_phone))
                bytes_append(&b, p, 1);
        put(&b, "\">");
        put_text(&b, complaints_phone);
        put(&b, "</a></p>\n");
    }
    if (phone_kept)
        put(&b, tr(c, "<p class=\"kept\">我们已保存您的电话号码，会给您回电。</p>\n",
                   "<p class=\"kept\">We kept your number and will call you back.</p>\n"));
    else
        put(&b, tr(c, "<p class=\"kept\">我们没有保存任何电话号码。</p>\n",
                   "<p class=\"kept\">No phone number was kept.</p>\n"));
    return page_close(&b, c);
}

/* ---- Results ---- */

char *page_results_where(const struct page_ctx *c)
{
    struct bytes b = {0};
    const char *title = tr(c, "如何获取检查报告", "Where to get your results");
    page_open(&b, c, title, false);
    put(&b, "<h1>");
    put(&b, title);
    put(&b, "</h1>\n");
    put(&b, tr(c, "<p>为保护您的隐私，检查报告不在手机上显示。</p>\n",
               "<p>To protect your privacy, results are not shown on your phone here.</p>\n"));
    put(&b, "<ul class=\"where\">\n<li>");
    put(&b, tr(c, "在自助机上打印：点“", "Print them at the self-service kiosk: tap “"));
    put(&b, i18n_text(TEXT_KIOSK_RESULTS, c->lang));
    put(&b, tr(c, "”，再扫描号票上的二维码或输入就诊号。</li>\n",
               "”, then scan your ticket or enter the code.</li>\n"));
    put(&b, tr(c, "<li>或到服务台询问。</li>\n", "<li>Or ask at the desk.</li>\n"));
    put(&b, "</ul>\n");
    return page_close(&b, c);
}

/* ---- /s/hub.css and /s/hub.js ---- */

/* System fonts only; rem everywhere, so html.large (the size switch) scales it all. Tap
 * targets are at least 2.75rem (44 px); the five faces share one row of a 360 px screen. */
const char page_css[] =
    "*{box-sizing:border-box}\n"
    "[hidden]{display:none!important}\n"
    "html{font-size:100%;-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
    "html.large{font-size:135%}\n"
    "body{margin:0;font-family:system-ui,\"PingFang SC\",\"Noto Sans CJK SC\",\"Microsoft "
    "YaHei\",sans-serif;font-size:1rem;line-height:1.5;color:#111;background:#fff;"
    "word-wrap:break-word;overflow-wrap:break-word}\n"
    "header{background:#0b3d91;color:#fff;padding:.5rem 1rem}\n"
    ".hospital{margin:0;font-weight:600}\n"
    "main{display:block;max-width:40rem;margin:0 auto;padding:1rem}\n"
    "h1{font-size:1.5rem;line-height:1.3;margin:.5rem 0 1rem}\n"
    "h2{font-size:1.2rem;margin:1rem 0 .5rem}\n"
    "a{color:#0645ad}\n"
    "#live{padding:1rem;margin-bottom:1rem;border-radius:.5rem;background:#eef3fb;"
    "border:2px solid #c5d5ef}\n"
    "#live p{margin:0}\n"
    ".state{font-size:1.15rem}\n"
    ".ticket{font-size:2rem;line-height:1.2;white-space:nowrap}\n"
    /* "Your number A023" on a line of its own, the rest ("· 3 ahead · ...") below it. */
    ".state.waiting .ticket:after{content:\"\\A\";white-space:pre}\n"
    "#live[data-state=called]{background:#fff4d6;border:3px solid #a34f00}\n"
    ".state.called{font-size:1.4rem;line-height:1.3}\n"
    ".room{display:block;font-size:2.5rem;line-height:1.15;margin:.25rem 0;color:#7a2e00}\n"
    "html.large .room{font-size:2rem}\n"
    ".called-ticket{margin-top:.5rem!important}\n"
    ".state.done,.state.none{font-size:1.1rem}\n"
    ".offline{margin-top:.5rem!important;font-size:.9rem;color:#6b3a00}\n"
    "fieldset{border:0;margin:0 0 1rem;padding:0;min-width:0}\n"
    "legend{padding:0;margin-bottom:.5rem;font-weight:600}\n"
    ".faces label{float:left;width:20%;padding:0 2px;text-align:center}\n"
    ".faces:after{content:\"\";display:table;clear:both}\n"
    ".faces input{position:absolute;opacity:0;width:1px;height:1px}\n"
    ".f{display:block;min-height:5.5rem;padding:.375rem 0;border:2px solid #8a94a6;"
    "border-radius:.5rem;font-size:.8rem;line-height:1.2}\n"
    ".face{display:block;font-size:2rem;line-height:1.3;font-family:\"Apple Color Emoji\","
    "\"Segoe UI Emoji\",\"Noto Color Emoji\",sans-serif}\n"
    ".faces input:checked+.f{background:#0b3d91;border-color:#0b3d91;color:#fff}\n"
    ".faces input:focus+.f{outline:3px solid #f0a000;outline-offset:1px}\n"
    /* Large type: the words would not fit five abreast, so the faces stand in a column. */
    "html.large .faces label{float:none;width:auto;display:block;padding:0;margin-bottom:.375rem;"
    "text-align:left}\n"
    "html.large .f{min-height:2.75rem;padding:.25rem .5rem;font-size:1rem}\n"
    "html.large .face{display:inline-block;margin-right:.5rem;font-size:1.5rem;"
    "vertical-align:middle}\n"
    ".tags label{display:inline-block;min-height:2.75rem;margin:0 .375rem .375rem 0;"
    "padding:.5rem .75rem .5rem .5rem;border:2px solid #8a94a6;border-radius:1.5rem}\n"
    "input[type=checkbox]{width:1.25rem;height:1.25rem;margin:0 .375rem 0 0;"
    "vertical-align:middle}\n"
    ".field{display:block;margin-bottom:1rem;font-weight:600}\n"
    "textarea,input[type=tel]{display:block;width:100%;margin-top:.25rem;padding:.5rem;"
    "font:inherit;font-weight:400;color:#111;border:2px solid #5f6b7d;border-radius:.375rem}\n"
    "textarea{min-height:6rem}\n"
    "#complaint textarea{min-height:10rem}\n"
    "input[type=tel]{min-height:2.75rem}\n"
    ".consent{display:block;min-height:2.75rem;margin-bottom:1rem;padding-left:1.75rem;"
    "text-indent:-1.75rem}\n"
    "button{display:block;width:100%;min-height:3rem;padding:.5rem;font:inherit;"
    "font-size:1.15rem;font-weight:600;color:#fff;background:#0b3d91;border:0;"
    "border-radius:.5rem}\n"
    ".error{padding:.5rem .75rem;border-left:4px solid #b00020;background:#fde8e8;"
    "color:#7a0016;font-weight:600}\n"
    ".note{padding:.5rem .75rem;background:#f1f1f1}\n"
    ".thanks{font-size:1.75rem}\n"
    ".chosen .face{display:inline;font-size:2.5rem;vertical-align:middle}\n"
    ".back,.tel{display:inline-block;min-height:2.75rem;padding:.6rem 0}\n"
    ".reference{font-size:1.5rem;letter-spacing:.05em}\n"
    ".problem h1,.problem h2{font-size:1.35rem}\n"
    ".problem.other{margin-top:1.5rem;padding-top:.5rem;border-top:1px solid #ccc;"
    "color:#333}\n"
    ".where li{margin-bottom:.5rem}\n"
    "footer{max-width:40rem;margin:1rem auto 0;padding:.5rem 1rem 1.5rem;"
    "border-top:1px solid #ccc}\n"
    "footer a{display:inline-block;min-height:2.75rem;padding:.6rem .5rem 0 0;"
    "margin-right:.75rem}\n"
    "footer .complaint{display:block}\n";

/* ES5 for old WebViews (WeChat's among them). While the ticket waits: Server-Sent Events
 * replace the live block; once it is called, the stream closes, the phone vibrates where it
 * can, and the rating form page_visit rendered hidden appears. Without EventSource, or after
 * three errors, the page reloads every 15 s as it does with JavaScript off. */
const char page_js[] =
    "(function(){\n"
    "var live=document.getElementById('live');\n"
    "if(!live||live.getAttribute('data-state')!=='waiting')return;\n"
    "live.setAttribute('aria-live','polite');\n"
    "var url=live.getAttribute('data-stream'),es=null,errors=0,later=false;\n"
    "function reload(){if(!later){later=true;"
    "setTimeout(function(){location.reload();},15000);}}\n"
    "function show(html){\n"
    "live.innerHTML=html;\n"
    "var s=live.querySelector('[data-state]'),st=s?s.getAttribute('data-state'):'waiting';\n"
    "live.setAttribute('data-state',st);\n"
    "if(st==='waiting')return;\n"
    "es.close();\n"
    "var f=document.getElementById('later');\n"
    "if(f)f.removeAttribute('hidden');\n"
    "if(st==='called'&&navigator.vibrate)navigator.vibrate([300,150,300]);\n"
    "}\n"
    "if(!window.EventSource||!url){reload();return;}\n"
    "es=new EventSource(url);\n"
    "es.onmessage=function(e){errors=0;show(e.data);};\n"
    "es.onerror=function(){if(++errors>=3||es.readyState===2){es.close();reload();}};\n"
    "})();\n";
