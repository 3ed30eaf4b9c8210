/* complaints.c: the complaints page (/staff/complaints): every complaint from the phone form
 * with its reference number, status new -> in progress -> answered -> closed, owner, reply
 * note, due date ([staff] complaint_due_days working days) and overdue marked; the call-back
 * number only when the patient consented, until [web] retention_days; the CSV export. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "hub/hub.h"
#include "hub/quality.h"
#include "hub/respond.h"
#include "hub/staff.h"
#include "hub/staff_db.h"

#define LOG_MODULE "complaints"
#include "base/log.h"

#define LIST_MAX  200
#define CSV_MAX   5000
#define REPLY_MAX 2000 /* bytes of a reply note */
#define QUERY_MAX 100

int64_t complaint_due(int64_t created_at, int working_days)
{
    time_t at = (time_t)created_at;
    struct tm tm;
    localtime_r(&at, &tm);
    tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
    tm.tm_isdst = -1;
    for (int left = working_days; left > 0;) {
        tm.tm_mday++;
        time_t day = mktime(&tm); /* normalises the date and sets tm_wday */
        localtime_r(&day, &tm);
        if (tm.tm_wday != 0 && tm.tm_wday != 6)
            left--;
    }
    tm.tm_mday++; /* the end of the due day: the next midnight */
    tm.tm_isdst = -1;
    return (int64_t)mktime(&tm);
}

static bool overdue(const struct staff_complaint *c, int64_t due, int64_t now)
{
    return (c->status == COMPLAINT_NEW || c->status == COMPLAINT_IN_PROGRESS) && now >= due;
}

static const char *status_label(const struct staff_session *s, enum staff_complaint_status st)
{
    switch (st) {
    case COMPLAINT_NEW:
        return staff_t(s, "新投诉", "New");
    case COMPLAINT_IN_PROGRESS:
        return staff_t(s, "处理中", "In progress");
    case COMPLAINT_ANSWERED:
        return staff_t(s, "已答复", "Answered");
    default:
        return staff_t(s, "已关闭", "Closed");
    }
}

static void local_time(char *out, size_t size, int64_t at, const char *format)
{
    time_t t = (time_t)at;
    struct tm tm;
    strftime(out, size, format, localtime_r(&t, &tm));
}

static void complaint_card(FILE *f, const struct staff_session *s, const struct staff_complaint *c,
                           int due_days, int64_t now)
{
    char received[32], due_text[32];
    int64_t due = complaint_due(c->created_at, due_days);
    local_time(received, sizeof received, c->created_at, "%Y-%m-%d %H:%M");
    local_time(due_text, sizeof due_text, due - 1, "%Y-%m-%d");
    bool late = overdue(c, due, now);
    fprintf(f, "<section class=\"card complaint\" id=\"%s\" data-status=\"%s\"%s><h2>",
            c->reference, staff_complaint_status_name(c->status),
            late ? " data-overdue=\"1\"" : "");
    fprintf(f, "<span class=\"reference\">%s</span> <span class=\"status status-%s\">%s</span>",
            c->reference, staff_complaint_status_name(c->status), status_label(s, c->status));
    if (late)
        fprintf(f, " <span class=\"overdue\">%s</span>", staff_t(s, "已逾期", "Overdue"));
    fprintf(f, "</h2><p class=\"meta\"><span>%s %s</span><span>%s <b class=\"due\">%s</b></span>",
            staff_t(s, "收到", "Received"), received, staff_t(s, "答复期限", "Due"), due_text);
    if (c->ticket[0]) {
        fprintf(f, "<span>%s <b class=\"ticket\">", staff_t(s, "票号", "Ticket"));
        staff_html_escape(f, c->ticket);
        fputs("</b></span>", f);
    }
    if (c->room[0]) {
        fprintf(f, "<span>%s ", staff_t(s, "诊室/医生", "Room / doctor"));
        staff_html_escape(f, c->room);
        fputs("</span>", f);
    }
    fprintf(f, "<span>%s</span>", strcmp(c->lang, "en") == 0 ? "English" : "中文");
    if (c->phone[0]) {
        fprintf(f, "<span>%s <b class=\"phone\">",
                staff_t(s, "回电（患者同意）", "Call back (consented)"));
        staff_html_escape(f, c->phone);
        fputs("</b></span>", f);
    } else if (c->phone_removed) {
        fprintf(f, "<span class=\"phone-removed\">%s</span>",
                staff_t(s, "回电号码已按保留期限删除", "Call-back number removed (retention)"));
    }
    fputs("</p><p class=\"text\">", f);
    staff_html_escape(f, c->text);
    fputs("</p>", f);
    /* the handling form: plain POST, with the session's CSRF token */
    fprintf(f,
            "<form method=\"post\" action=\"/staff/complaints/%s\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\"><label>%s<select name=\"status\">",
            c->reference, s->csrf, staff_t(s, "状态", "Status"));
    for (int st = COMPLAINT_NEW; st <= COMPLAINT_CLOSED; st++)
        fprintf(f, "<option value=\"%s\"%s>%s</option>",
                staff_complaint_status_name((enum staff_complaint_status)st),
                st == (int)c->status ? " selected" : "",
                status_label(s, (enum staff_complaint_status)st));
    fprintf(f, "</select></label><label>%s<input name=\"owner\" maxlength=\"%d\" value=\"",
            staff_t(s, "负责人", "Owner"), STAFF_NAME_MAX);
    staff_html_escape(f, c->owner[0] ? c->owner : "");
    fprintf(f,
            "\" placeholder=\"%s\"></label><label class=\"wide\">%s<textarea name=\"reply\" "
            "rows=\"2\" maxlength=\"%d\">",
            s->name,
            staff_t(s, "答复记录（告知患者的内容）", "Reply note (what the patient was told)"),
            REPLY_MAX / 3);
    staff_html_escape(f, c->reply);
    fprintf(f, "</textarea></label><button type=\"submit\">%s</button></form></section>",
            staff_t(s, "保存", "Save"));
}

static void filters(FILE *f, const struct staff_session *s, bool open_only, const char *q)
{
    fprintf(f,
            "<form method=\"get\" action=\"/staff/complaints\" class=\"filters\" id=\"filters\">"
            "<label>%s <select name=\"show\"><option value=\"open\"%s>%s</option>"
            "<option value=\"all\"%s>%s</option></select></label><label>%s "
            "<input type=\"search\" name=\"q\" maxlength=\"%d\" value=\"",
            staff_t(s, "显示", "Show"), open_only ? " selected" : "",
            staff_t(s, "待处理", "Not answered yet"), open_only ? "" : " selected",
            staff_t(s, "全部", "All"), staff_t(s, "搜索", "Search"), QUERY_MAX);
    staff_html_escape(f, q);
    fprintf(f,
            "\"></label><button type=\"submit\">%s</button>"
            "<a class=\"button\" id=\"export\" href=\"/staff/complaints.csv\">%s</a></form>",
            staff_t(s, "查看", "Show"), staff_t(s, "导出 CSV", "Export CSV"));
}

static enum MHD_Result list(struct request *r, const struct staff_session *s)
{
    const char *show = request_arg(r, "show"), *q = request_arg(r, "q");
    bool open_only = !show || strcmp(show, "all") != 0;
    char query[QUERY_MAX * 4 + 1];
    snprintf(query, sizeof query, "%s", q ? q : "");
    int64_t now = time(NULL);
    staff_prune(r->hub, now); /* a number past retention is never shown */
    struct staff_complaint *c = xcalloc(LIST_MAX, sizeof *c);
    char *err = NULL;
    struct store *store = hub_store(r->hub);
    int n = store ? staff_db_complaints(store, open_only, query, c, LIST_MAX, &err) : -1;
    hub_store_done(r->hub);
    if (n < 0) {
        LOG_ERR("complaints: %s", err ? err : "no store");
        free(err);
        free(c);
        return staff_refuse(r, s, 503, "暂时无法读取投诉", "The complaints cannot be read now");
    }
    int due_days = r->hub->config->staff.complaint_due_days, late = 0;
    for (int i = 0; i < n; i++)
        late += overdue(&c[i], complaint_due(c[i].created_at, due_days), now);
    char *body = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&body, &size);
    if (!f)
        abort();
    fprintf(f, "<h1>%s</h1>", staff_t(s, "投诉处理", "Complaints"));
    filters(f, s, open_only, query);
    fprintf(
        f,
        "<p class=\"meta\" id=\"summary\">%s <b>%d</b> · %s <b class=\"bad\">%d</b> · %s %d %s</p>",
        staff_t(s, "列出", "Listed"), n, staff_t(s, "逾期", "overdue"), late,
        staff_t(s, "答复期限", "due within"), due_days, staff_t(s, "个工作日", "working days"));
    for (int i = 0; i < n; i++)
        complaint_card(f, s, &c[i], due_days, now);
    if (n == 0)
        fprintf(f, "<p>%s</p>", staff_t(s, "没有投诉", "No complaints"));
    fclose(f);
    free(c);
    return staff_answer(r, 200,
                        staff_frame(s,
                                    open_only ? "/staff/complaints" : "/staff/complaints?show=all",
                                    "投诉", "Complaints", body));
}

static enum MHD_Result export(struct request *r, const struct staff_session *s) {
    int64_t now = time(NULL); staff_prune(r->hub, now);
    struct staff_complaint *c = xcalloc(CSV_MAX, sizeof *c); char *err = NULL, *text = NULL;
    size_t size = 0; struct store *store = hub_store(r->hub);
    int n = store ? staff_db_complaints(store, false, "", c, CSV_MAX, &err) : -1;
    hub_store_done(r->hub);
    if (n < 0){LOG_ERR("complaints export: %s", err ? err : "no store"); free(err); free(c);
               return staff_refuse(r, s, 503, "暂时无法导出", "The export cannot be made now");}
FILE *f = open_memstream(&text, &size);
if (!f)
    abort();
int due_days = r->hub->config->staff.complaint_due_days;
fputs("reference,received,due,status,overdue,owner,ticket,room,lang,callback_phone,text,"
      "reply\n",
      f);
for (int i = 0; i < n; i++) {
    char received[32], due_text[32];
    int64_t due = complaint_due(c[i].created_at, due_days);
    local_time(received, sizeof received, c[i].created_at, "%Y-%m-%d %H:%M:%S");
    local_time(due_text, sizeof due_text, due - 1, "%Y-%m-%d");
    fprintf(f, "%s,%s,%s,%s,%s,", c[i].reference, received, due_text,
            staff_complaint_status_name(c[i].status), overdue(&c[i], due, now) ? "yes" : "no");
    const char *fields[] = {c[i].owner, c[i].ticket, c[i].room, c[i].lang,
                            c[i].phone, c[i].text,   c[i].reply};
    for (size_t k = 0; k < sizeof fields / sizeof fields[0]; k++) {
        staff_csv_field(f, fields[k]);
        fputc(k + 1 < sizeof fields / sizeof fields[0] ? ',' : '\n', f);
    }
}
fclose(f);
free(c);
char *detail = xasprintf("complaints rows=%d", n);
staff_audit(r, s, NULL, "export", detail);
free(detail);
return staff_csv_answer(r, text, "complaints.csv");
}

/* Printable text a person typed. */
static bool typed(const char *text)
{
    if (!utf8_valid(text))
        return false;
    for (; *text; text++) {
        if ((unsigned char)*text < 0x20 && !strchr("\r\n\t", *text))
            return false;
    }
    return true;
}

/* POST /staff/complaints/REFERENCE */
static enum MHD_Result update(struct request *r, const struct staff_session *s,
                              const char *reference)
{
    char csrf[STAFF_CSRF_LEN + 1], status[16], owner[STAFF_NAME_MAX + 1], reply[REPLY_MAX + 1];
    struct staff_field fields[] = {{"csrf", csrf, sizeof csrf},
                                   {"status", status, sizeof status},
                                   {"owner", owner, sizeof owner},
                                   {"reply", reply, sizeof reply}};
    if (!staff_form_read(r, fields, 4))
        return staff_refuse(r, s, MHD_HTTP_BAD_REQUEST, "表单无法读取或内容过长",
                            "The form could not be read, or a field is too long");
    if (!staff_csrf_ok(r, s, csrf)) {
        staff_audit(r, s, NULL, "csrf_refused", r->url);
        return staff_refuse(r, s, MHD_HTTP_FORBIDDEN, "表单已过期，请刷新页面后再试",
                            "The form expired: reload the page and try again");
    }
    enum staff_complaint_status st;
    if (!staff_complaint_status_parse(status, &st) || !typed(owner) || !typed(reply))
        return staff_refuse(r, s, MHD_HTTP_BAD_REQUEST, "状态或内容无效",
                            "The status or a text is not valid");
    if ((st == COMPLAINT_ANSWERED || st == COMPLAINT_CLOSED) && !reply[strspn(reply, " \t\r\n")])
        return staff_refuse(r, s, 422, "已答复或关闭的投诉需要答复记录",
                            "An answered or closed complaint needs its reply note");
    if (st != COMPLAINT_NEW && !owner[0])
        snprintf(owner, sizeof owner, "%s", s->name);
    struct staff_complaint *c = xcalloc(1, sizeof *c);
    char *err = NULL;
    struct store *store = hub_store(r->hub);
    bool found = store && staff_db_complaint_get(store, reference, c, &err);
    bool ok =
        found && staff_db_complaint_update(store, reference, st, owner, reply, time(NULL), &err);
    hub_store_done(r->hub);
    enum staff_complaint_status was = c->status;
    free(c);
    if (!found && !err)
        return staff_refuse(r, s, MHD_HTTP_NOT_FOUND, "没有这个投诉", "No such complaint");
    if (!ok) {
        LOG_ERR("complaint %s: %s", reference, err ? err : "no store");
        free(err);
        return staff_refuse(r, s, 503, "暂时无法保存", "It cannot be saved now");
    }
    char *detail = xasprintf("%s %s -> %s owner=%s", reference, staff_complaint_status_name(was),
                             staff_complaint_status_name(st), owner);
    staff_audit(r, s, NULL, "complaint", detail);
    free(detail);
    char *back = xasprintf("/staff/complaints?show=all#%s", reference);
    enum MHD_Result result = respond_redirect(r->connection, back);
    free(back);
    return result;
}

enum MHD_Result complaints_handle(struct request *r)
{
    struct staff_session s;
    enum MHD_Result answer;
    if (!staff_require(r, STAFF_QUALITY, &s, &answer))
        return answer;
    bool post = strcmp(r->method, MHD_HTTP_METHOD_POST) == 0;
    static const char prefix[] = "/staff/complaints/";
    const char *reference =
        strncmp(r->url, prefix, sizeof prefix - 1) == 0 ? r->url + sizeof prefix - 1 : NULL;
    if (post && reference && strlen(reference) < 32 &&
        strspn(reference, "C0123456789-") == strlen(reference))
        return update(r, &s, reference);
    if (!post && strcmp(r->url, "/staff/complaints") == 0)
        return list(r, &s);
    if (!post && strcmp(r->url, "/staff/complaints.csv") == 0)
        return export(r, &s);
    return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这个页面", "No such page");
}
