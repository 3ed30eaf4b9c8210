/* fleet_page.c: the pages read the watch's copy of the fleet (fleet.c), never the network, and
 * the store only for a device's history and the alerts; both pages are GET only, so they carry
 * no form to protect. Times are the hub's local time, as the staff's clocks read. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "hub/fleet.h"
#include "hub/fleet_page.h"
#include "hub/hub.h"
#include "hub/staff.h"

#include <cjson/cJSON.h>

#define HISTORY_ROWS 60
#define ALERT_ROWS   30
#define QUEUES_MAX   64

struct filter {
    const char *name;
    unsigned bits; /* 0: every device */
    const char *zh, *en;
};

static const struct filter filters[] = {
    {"all", 0, "全部", "All"},
    {"problem", FLEET_OFFLINE | FLEET_PRINTER | FLEET_STORAGE | FLEET_BACKEND | FLEET_NEVER_SEEN,
     "有问题", "Any problem"},
    {"offline", FLEET_OFFLINE, "离线", "Offline"},
    {"printer", FLEET_PRINTER, "打印机", "Printer"},
    {"storage", FLEET_STORAGE, "存储", "Storage"},
    {"backend", FLEET_BACKEND, "后端未连", "No backend"},
    {"never", FLEET_NEVER_SEEN, "从未上线", "Never seen"},
};

static void clock_text(int64_t at, char *out, size_t size)
{
    time_t t = (time_t)at;
    struct tm tm;
    if (!at || !localtime_r(&t, &tm) || !strftime(out, size, "%Y-%m-%d %H:%M:%S", &tm))
        snprintf(out, size, "—");
}

/* "3 min" / "2 h 5 min" / "4 d 3 h": durations for people. */
static void span_text(const struct staff_session *s, int64_t seconds, char *out, size_t size)
{
    if (seconds < 0)
        seconds = 0;
    int64_t d = seconds / 86400, h = seconds % 86400 / 3600, m = seconds % 3600 / 60;
    bool zh = s->lang != LANG_EN;
    if (d)
        snprintf(out, size, zh ? "%lld 天 %lld 小时" : "%lld d %lld h", (long long)d, (long long)h);
    else if (h)
        snprintf(out, size, zh ? "%lld 小时 %lld 分" : "%lld h %lld min", (long long)h,
                 (long long)m);
    else if (m)
        snprintf(out, size, zh ? "%lld 分钟" : "%lld min", (long long)m);
    else
        snprintf(out, size, zh ? "%lld 秒" : "%lld s", (long long)seconds);
}

static const char *printer_text(const struct staff_session *s, const char *printer)
{
    static const char *const words[][3] = {
        {"ok", "正常", "OK"},
        {"unknown", "单向（状态未知）", "one-way (state unknown)"},
        {"none", "无打印机", "no printer"},
        {"paper_out", "缺纸", "paper out"},
        {"cover_open", "纸仓盖打开", "cover open"},
        {"offline", "脱机", "offline"},
        {"no_answer", "无应答", "not answering"},
        {"failed", "故障", "failing"},
        {"", "—", "—"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(printer, words[i][0]) == 0)
            return staff_t(s, words[i][1], words[i][2]);
    }
    return printer;
}

static const char *role_text(const struct staff_session *s, const char *role)
{
    if (strcmp(role, "display") == 0)
        return staff_t(s, "叫号屏", "display");
    if (strcmp(role, "kiosk") == 0)
        return staff_t(s, "自助机", "kiosk");
    return role[0] ? role : "—";
}

static const char *kind_text(const struct staff_session *s, const char *kind)
{
    if (strcmp(kind, "device_silent") == 0)
        return staff_t(s, "设备离线", "Device silent");
    if (strcmp(kind, "printer") == 0)
        return staff_t(s, "打印机", "Printer");
    if (strcmp(kind, "storage") == 0)
        return staff_t(s, "存储", "Storage");
    if (strcmp(kind, "queue_long") == 0)
        return staff_t(s, "排队过长", "Queue too long");
    return kind;
}

/* The line of an alert's bilingual text in the page's language. */
static void alert_line(FILE *f, const struct staff_session *s, const char *text)
{
    const char *nl = strchr(text, '\n');
    if (!nl) {
        staff_html_escape(f, text);
        return;
    }
    if (s->lang == LANG_EN) {
        staff_html_escape(f, nl + 1);
        return;
    }
    char *zh = xasprintf("%.*s", (int)(nl - text), text);
    staff_html_escape(f, zh);
    free(zh);
}

/* A table cell with its label (the phone layout shows it before the value). */
static void cell(FILE *f, const char *label, const char *cls)
{
    fprintf(f, "<td data-label=\"%s\"%s%s%s>", label, cls ? " class=\"" : "", cls ? cls : "",
            cls ? "\"" : "");
}

struct alert_list {
    FILE *f;
    const struct staff_session *s;
    int64_t now;
    bool subject_column;
};

static void alert_row(void *arg, const char *kind, const char *subject, const char *text,
                      int64_t opened_at, int64_t closed_at)
{
    struct alert_list *a = arg;
    char when[32], span[48];
    clock_text(opened_at, when, sizeof when);
    span_text(a->s, (closed_at ? closed_at : a->now) - opened_at, span, sizeof span);
    fputs("<tr>", a->f);
    cell(a->f, staff_t(a->s, "类型", "Kind"), NULL);
    fprintf(a->f, "%s</td>", kind_text(a->s, kind));
    if (a->subject_column) {
        cell(a->f, staff_t(a->s, "对象", "About"), NULL);
        if (strcmp(kind, "queue_long") != 0) {
            fputs("<a href=\"/staff/devices/", a->f);
            staff_html_escape(a->f, subject);
            fputs("\">", a->f);
            staff_html_escape(a->f, subject);
            fputs("</a>", a->f);
        } else {
            staff_html_escape(a->f, subject);
        }
        fputs("</td>", a->f);
    }
    cell(a->f, staff_t(a->s, "内容", "What"), NULL);
    alert_line(a->f, a->s, text);
    fputs("</td>", a->f);
    cell(a->f, staff_t(a->s, "开始", "Since"), "n");
    fprintf(a->f, "%s</td>", when);
    cell(a->f, staff_t(a->s, "持续", "For"), "n");
    fprintf(a->f, "%s%s</td>", span, closed_at ? staff_t(a->s, "（已恢复）", " (recovered)") : "");
    fputs("</tr>", a->f);
}

static void alert_head(FILE *f, const struct staff_session *s, bool subject)
{
    fprintf(f, "<div class=\"wrap\"><table class=\"cards\"><thead><tr><th>%s</th>",
            staff_t(s, "类型", "Kind"));
    if (subject)
        fprintf(f, "<th>%s</th>", staff_t(s, "对象", "About"));
    fprintf(f, "<th>%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr></thead><tbody>",
            staff_t(s, "内容", "What"), staff_t(s, "开始", "Since"), staff_t(s, "持续", "For"));
}

static void open_alerts(FILE *f, struct request *r, const struct staff_session *s, int64_t now)
{
    fprintf(f, "<section class=\"card\" id=\"alerts\"><h2>%s</h2>",
            staff_t(s, "未恢复的告警", "Open alerts"));
    char *text = NULL;
    size_t size = 0;
    FILE *rows = open_memstream(&text, &size);
    if (!rows)
        abort();
    struct alert_list list = {.f = rows, .s = s, .now = now, .subject_column = true};
    char *err = NULL;
    struct store *store = hub_store(r->hub);
    int n = store ? store_alerts_each(store, NULL, true, ALERT_ROWS, alert_row, &list, &err) : -1;
    hub_store_done(r->hub);
    fclose(rows);
    if (n > 0) {
        alert_head(f, s, true);
        fprintf(f, "%s</tbody></table></div>", text);
    } else {
        fprintf(f, "<p class=\"good\">%s</p>",
                n == 0 ? staff_t(s, "没有未恢复的告警。", "No open alerts.")
                       : staff_t(s, "告警暂时无法读取。", "Alerts cannot be read right now."));
    }
    const struct config *c = r->hub->config;
    fprintf(f, "<p class=\"meta\">%s", staff_t(s, "告警发往：", "Alerts go to: "));
    staff_html_escape(
        f, c->alerts.webhook_url[0]
               ? staff_t(s, "已配置的 webhook", "the webhook set in [alerts]")
               : staff_t(s, "仅本页（未设置 webhook）", "this page only (no webhook set)"));
    fputs("</p></section>", f);
    free(err);
    free(text);
}

static void queues(FILE *f, struct request *r, const struct staff_session *s)
{
    struct fleet_queue q[QUEUES_MAX];
    int n = fleet_queue_copy(r->hub->fleet, q, QUEUES_MAX);
    const struct config *c = r->hub->config;
    fprintf(f, "<section class=\"card\" id=\"queues\"><h2>%s</h2><p class=\"meta\">",
            staff_t(s, "各科室排队", "Queues by service"));
    if (c->alerts.queue_waiting)
        fprintf(f, staff_t(s, "<span>等候超过 %d 人</span>", "<span>more than %d waiting</span>"),
                c->alerts.queue_waiting);
    if (c->alerts.queue_wait_min)
        fprintf(
            f,
            staff_t(s, "<span>或预计等候超过 %d 分钟</span>", "<span>or a wait over %d min</span>"),
            c->alerts.queue_wait_min);
    fprintf(f,
            staff_t(s, "<span>持续 %d 秒即告警“请加开窗口”</span></p>",
                    "<span>for %d s raises “open another window”</span></p>"),
            c->alerts.queue_for_s);
    if (!n) {
        fprintf(f, "<p>%s</p></section>", staff_t(s, "当前无人等候。", "Nobody is waiting."));
        return;
    }
    fprintf(f,
            "<div class=\"wrap\"><table class=\"cards\"><thead><tr><th>%s</th><th class=\"n\">%s"
            "</th><th class=\"n\">%s</th></tr></thead><tbody>",
            staff_t(s, "科室", "Service"), staff_t(s, "等候人数", "Waiting"),
            staff_t(s, "最长预计等候", "Longest wait"));
    for (int i = 0; i < n; i++) {
        bool over = (c->alerts.queue_waiting && q[i].waiting > c->alerts.queue_waiting) ||
                    (c->alerts.queue_wait_min && q[i].wait_min > c->alerts.queue_wait_min);
        fprintf(f, "<tr%s>", over ? " class=\"over\"" : "");
        cell(f, staff_t(s, "科室", "Service"), NULL);
        staff_html_escape(f, q[i].service[0] ? q[i].service : "—");
        fputs("</td>", f);
        cell(f, staff_t(s, "等候人数", "Waiting"), over ? "n bad" : "n");
        fprintf(f, "%d</td>", q[i].waiting);
        cell(f, staff_t(s, "最长预计等候", "Longest wait"), "n");
        if (q[i].wait_min >= 0)
            fprintf(f, staff_t(s, "%d 分钟</td>", "%d min</td>"), q[i].wait_min);
        else
            fputs("—</td>", f);
        fputs("</tr>", f);
    }
    fputs("</tbody></table></div></section>", f);
}

/* online / offline since, as a cell's text. */
static void state_cell(FILE *f, const struct staff_session *s, const struct fleet_device *d,
                       int64_t now)
{
    char when[32], span[48];
    if (!d->last_seen) {
        fprintf(f, "<span class=\"pill off\">%s</span>", staff_t(s, "从未上线", "never seen"));
        return;
    }
    clock_text(d->since, when, sizeof when);
    span_text(s, now - d->since, span, sizeof span);
    fprintf(f, "<span class=\"pill %s\">%s</span> <span class=\"since\">%s %s</span>",
            d->online ? "on" : "off",
            d->online ? staff_t(s, "在线", "online") : staff_t(s, "离线", "offline"),
            staff_t(s, "已", "for"), span);
}

static void device_row(FILE *f, const struct staff_session *s, const struct fleet_device *d,
                       int64_t now)
{
    char seen[32];
    /* A silent device's other figures are its last word: shown, greyed. */
    fprintf(f, "<tr class=\"%s%s\">", d->problems ? "trouble" : "fine",
            d->last_seen && !d->online ? " stale" : "");
    cell(f, staff_t(s, "设备", "Device"), "device");
    fputs("<a href=\"/staff/devices/", f);
    staff_html_escape(f, d->id);
    fputs("\">", f);
    staff_html_escape(f, d->id);
    fputs("</a>", f);
    if (d->name[0]) {
        fputs("<br><span class=\"meta\">", f);
        staff_html_escape(f, d->name);
        fputs("</span>", f);
    }
    fputs("</td>", f);
    cell(f, staff_t(s, "角色", "Role"), NULL);
    fprintf(f, "%s</td>", role_text(s, d->role));
    cell(f, staff_t(s, "状态", "State"), NULL);
    state_cell(f, s, d, now);
    fputs("</td>", f);
    cell(f, staff_t(s, "最后心跳", "Last heartbeat"), NULL);
    clock_text(d->last_seen, seen, sizeof seen);
    fputs(seen, f);
    fputs("</td>", f);
    cell(f, staff_t(s, "后端", "Backend"), d->problems & FLEET_BACKEND ? "bad" : NULL);
    fputs(strcmp(d->connection, "online") == 0    ? staff_t(s, "已连接", "connected")
          : strcmp(d->connection, "offline") == 0 ? staff_t(s, "未连接", "not connected")
                                                  : "—",
          f);
    fputs("</td>", f);
    cell(f, staff_t(s, "打印机", "Printer"), d->problems & FLEET_PRINTER ? "bad" : NULL);
    staff_html_escape(f, printer_text(s, d->printer));
    fputs("</td>", f);
    cell(f, staff_t(s, "存储", "Storage"), d->problems & FLEET_STORAGE ? "bad" : NULL);
    fputs(!d->last_seen   ? "—"
          : d->storage_ok ? staff_t(s, "正常", "OK")
                          : staff_t(s, "无法写入", "failing"),
          f);
    fputs("</td>", f);
    cell(f, staff_t(s, "版本", "Version"), NULL);
    staff_html_escape(f, d->version[0] ? d->version : "—");
    fputs("</td>", f);
    cell(f, staff_t(s, "运行时间", "Uptime"), "n");
    if (d->last_seen) {
        char span[48];
        span_text(s, d->uptime_s, span, sizeof span);
        fputs(span, f);
    } else {
        fputs("—", f);
    }
    fputs("</td></tr>", f);
}

static const struct filter *filter_of(const char *name)
{
    for (size_t i = 0; name && i < sizeof filters / sizeof filters[0]; i++) {
        if (strcmp(name, filters[i].name) == 0)
            return &filters[i];
    }
    return &filters[0];
}

enum MHD_Result fleet_page_fleet(struct request *r)
{
    struct staff_session s;
    enum MHD_Result answer;
    if (!staff_require(r, STAFF_FACILITIES, &s, &answer))
        return answer;
    if (strcmp(r->url, "/staff/fleet") != 0)
        return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这个页面", "No such page");
    int64_t now = time(NULL);
    const struct filter *filter = filter_of(request_arg(r, "problem"));
    int n;
    struct fleet_device *devices = fleet_devices(r->hub->fleet, &n);
    char *body = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&body, &size);
    if (!f)
        abort();
    int counts[sizeof filters / sizeof filters[0]] = {0}, online = 0;
    for (int i = 0; i < n; i++) {
        online += devices[i].online;
        for (size_t k = 0; k < sizeof filters / sizeof filters[0]; k++)
            counts[k] += !filters[k].bits || (devices[i].problems & filters[k].bits);
    }
    char clock[32];
    clock_text(now, clock, sizeof clock);
    fprintf(f,
            "<h1>%s</h1><p class=\"meta\"><span>%s %s</span><a "
            "href=\"/staff/fleet?problem=%s\">%s</a></p>",
            staff_t(&s, "设备一览", "Every device"), staff_t(&s, "更新于", "As of"), clock,
            filter->name, staff_t(&s, "刷新", "Refresh"));
    fprintf(f,
            "<div class=\"figures\"><div class=\"figure\"><b>%d</b><span>%s</span></div>"
            "<div class=\"figure\"><b class=\"%s\">%d</b><span>%s</span></div>"
            "<div class=\"figure\"><b class=\"%s\">%d</b><span>%s</span></div>"
            "<div class=\"figure\"><b class=\"%s\">%d</b><span>%s</span></div></div>",
            online, staff_t(&s, "在线", "online"), counts[2] ? "bad" : "good", counts[2],
            staff_t(&s, "离线", "offline"), counts[3] ? "bad" : "good", counts[3],
            staff_t(&s, "打印机故障", "printer problems"), counts[4] ? "bad" : "good", counts[4],
            staff_t(&s, "存储故障", "storage failing"));
    open_alerts(f, r, &s, now);
    fprintf(f,
            "<section class=\"card\" id=\"devices\"><h2>%s</h2><nav class=\"filters\" "
            "aria-label=\"%s\">",
            staff_t(&s, "显示器和自助机", "Displays and kiosks"),
            staff_t(&s, "按问题筛选", "Filter by problem"));
    for (size_t k = 0; k < sizeof filters / sizeof filters[0]; k++)
        fprintf(f, "<a class=\"chip\" href=\"/staff/fleet?problem=%s\"%s>%s <b>%d</b></a>",
                filters[k].name, &filters[k] == filter ? " aria-current=\"true\"" : "",
                staff_t(&s, filters[k].zh, filters[k].en), counts[k]);
    fputs("</nav>", f);
    int shown = 0;
    for (int i = 0; i < n; i++) {
        if (filter->bits && !(devices[i].problems & filter->bits))
            continue;
        if (!shown++)
            fprintf(f,
                    "<div class=\"wrap\"><table class=\"cards fleet\"><thead><tr><th>%s</th><th>%s"
                    "</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                    "<th class=\"n\">%s</th></tr></thead><tbody>",
                    staff_t(&s, "设备", "Device"), staff_t(&s, "角色", "Role"),
                    staff_t(&s, "状态", "State"), staff_t(&s, "最后心跳", "Last heartbeat"),
                    staff_t(&s, "后端", "Backend"), staff_t(&s, "打印机", "Printer"),
                    staff_t(&s, "存储", "Storage"), staff_t(&s, "版本", "Version"),
                    staff_t(&s, "运行时间", "Uptime"));
        device_row(f, &s, &devices[i], now);
    }
    if (shown)
        fputs("</tbody></table></div>", f);
    else
        fprintf(f, "<p>%s</p>",
                n ? staff_t(&s, "没有符合条件的设备。", "No device has this problem.")
                  : staff_t(&s, "[hub] devices_file 中还没有设备。",
                            "No device is listed in [hub] devices_file yet."));
    fputs("</section>", f);
    queues(f, r, &s);
    fclose(f);
    free(devices);
    /* The language switch comes back to the same filter. */
    char path[64];
    snprintf(path, sizeof path, "/staff/fleet%s%s", filter->bits ? "?problem=" : "",
             filter->bits ? filter->name : "");
    return staff_answer(r, MHD_HTTP_OK, staff_frame(&s, path, "设备", "Devices", body));
}

/* ---- one device ---- */

struct history_list {
    FILE *f;
    const struct staff_session *s;
};

static const char *event_text(const struct staff_session *s, const char *event)
{
    static const char *const words[][3] = {
        {"seen", "首次记录", "first seen"},     {"sample", "例行记录", "periodic"},
        {"online", "重新上线", "back online"},  {"silent", "离线", "went silent"},
        {"printer", "打印机变化", "printer"},   {"storage", "存储变化", "storage"},
        {"backend", "后端连接变化", "backend"}, {"version", "版本变化", "version"},
    };
    for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
        if (strcmp(event, words[i][0]) == 0)
            return staff_t(s, words[i][1], words[i][2]);
    }
    return event;
}

static void history_row(void *arg, int64_t at, const char *event, const char *body)
{
    struct history_list *h = arg;
    const struct staff_session *s = h->s;
    FILE *f = h->f;
    char when[32], span[48];
    clock_text(at, when, sizeof when);
    cJSON *o = cJSON_Parse(body ? body : "");
    const cJSON *online = cJSON_GetObjectItemCaseSensitive(o, "online");
    const cJSON *connection = cJSON_GetObjectItemCaseSensitive(o, "connection");
    const cJSON *printer = cJSON_GetObjectItemCaseSensitive(o, "printer");
    const cJSON *storage = cJSON_GetObjectItemCaseSensitive(o, "storage_ok");
    const cJSON *version = cJSON_GetObjectItemCaseSensitive(o, "version");
    const cJSON *uptime = cJSON_GetObjectItemCaseSensitive(o, "uptime_s");
    fputs("<tr>", f);
    cell(f, staff_t(s, "时间", "When"), "n");
    fprintf(f, "%s</td>", when);
    cell(f, staff_t(s, "事件", "Event"), NULL);
    fprintf(f, "%s</td>", event_text(s, event));
    cell(f, staff_t(s, "状态", "State"), cJSON_IsTrue(online) ? NULL : "bad");
    fputs(cJSON_IsTrue(online) ? staff_t(s, "在线", "online") : staff_t(s, "离线", "offline"), f);
    fputs("</td>", f);
    const char *c = cJSON_IsString(connection) ? connection->valuestring : "";
    cell(f, staff_t(s, "后端", "Backend"), strcmp(c, "offline") == 0 ? "bad" : NULL);
    fputs(strcmp(c, "online") == 0    ? staff_t(s, "已连接", "connected")
          : strcmp(c, "offline") == 0 ? staff_t(s, "未连接", "not connected")
                                      : "—",
          f);
    fputs("</td>", f);
    const char *p = cJSON_IsString(printer) ? printer->valuestring : "";
    cell(f, staff_t(s, "打印机", "Printer"), fleet_printer_trouble(p) ? "bad" : NULL);
    staff_html_escape(f, printer_text(s, p));
    fputs("</td>", f);
    cell(f, staff_t(s, "存储", "Storage"), cJSON_IsFalse(storage) ? "bad" : NULL);
    fputs(cJSON_IsFalse(storage) ? staff_t(s, "无法写入", "failing") : staff_t(s, "正常", "OK"), f);
    fputs("</td>", f);
    cell(f, staff_t(s, "版本", "Version"), NULL);
    staff_html_escape(f, cJSON_IsString(version) ? version->valuestring : "—");
    fputs("</td>", f);
    cell(f, staff_t(s, "运行时间", "Uptime"), "n");
    span_text(s, cJSON_IsNumber(uptime) ? (int64_t)uptime->valuedouble : 0, span, sizeof span);
    fprintf(f, "%s</td></tr>", span);
    cJSON_Delete(o);
}

static void fact(FILE *f, const char *label, const char *value, const char *cls)
{
    fprintf(f, "<div class=\"figure\"><span>%s</span><b class=\"small %s\">", label,
            cls ? cls : "");
    staff_html_escape(f, value);
    fputs("</b></div>", f);
}

enum MHD_Result fleet_page_device(struct request *r)
{
    struct staff_session s;
    enum MHD_Result answer;
    if (!staff_require(r, STAFF_FACILITIES, &s, &answer))
        return answer;
    const char *id = r->url + strlen("/staff/devices/");
    if (strncmp(r->url, "/staff/devices/", 15) != 0 || config_device_id_problem(id))
        return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这台设备", "No such device");
    int n;
    struct fleet_device *devices = fleet_devices(r->hub->fleet, &n), *d = NULL;
    for (int i = 0; i < n && !d; i++) {
        if (strcmp(devices[i].id, id) == 0)
            d = &devices[i];
    }
    if (!d) {
        free(devices);
        return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这台设备", "No such device");
    }
    int64_t now = time(NULL);
    char *body = NULL, seen[32], span[48], state[96];
    size_t size = 0;
    FILE *f = open_memstream(&body, &size);
    if (!f)
        abort();
    fprintf(f, "<p class=\"meta\"><a href=\"/staff/fleet\">%s</a></p><h1>",
            staff_t(&s, "← 设备一览", "← Every device"));
    staff_html_escape(f, d->id);
    if (d->name[0]) {
        fputs(" · ", f);
        staff_html_escape(f, d->name);
    }
    fputs("</h1><div class=\"figures\">", f);
    clock_text(d->last_seen, seen, sizeof seen);
    span_text(&s, now - d->since, span, sizeof span);
    snprintf(state, sizeof state, "%s %s %s",
             !d->last_seen ? staff_t(&s, "从未上线", "never seen")
             : d->online   ? staff_t(&s, "在线", "online")
                           : staff_t(&s, "离线", "offline"),
             d->last_seen ? staff_t(&s, "已", "for") : "", d->last_seen ? span : "");
    fact(f, staff_t(&s, "状态", "State"), state, d->online ? "good" : "bad");
    fact(f, staff_t(&s, "最后心跳", "Last heartbeat"), seen, NULL);
    fact(f, staff_t(&s, "角色", "Role"), role_text(&s, d->role), NULL);
    fact(f, staff_t(&s, "版本", "Version"), d->version[0] ? d->version : "—", NULL);
    fact(f, staff_t(&s, "后端", "Backend"),
         strcmp(d->connection, "online") == 0    ? staff_t(&s, "已连接", "connected")
         : strcmp(d->connection, "offline") == 0 ? staff_t(&s, "未连接", "not connected")
                                                 : "—",
         d->problems & FLEET_BACKEND ? "bad" : NULL);
    fact(f, staff_t(&s, "打印机", "Printer"), printer_text(&s, d->printer),
         d->problems & FLEET_PRINTER ? "bad" : NULL);
    fact(f, staff_t(&s, "存储", "Storage"),
         !d->last_seen   ? "—"
         : d->storage_ok ? staff_t(&s, "正常", "OK")
                         : staff_t(&s, "无法写入", "failing"),
         d->problems & FLEET_STORAGE ? "bad" : NULL);
    span_text(&s, d->uptime_s, span, sizeof span);
    fact(f, staff_t(&s, "运行时间", "Uptime"), d->last_seen ? span : "—", NULL);
    fputs("</div>", f);

    char *alerts = NULL, *history = NULL, *err = NULL;
    size_t alerts_size = 0, history_size = 0;
    FILE *fa = open_memstream(&alerts, &alerts_size), *fh = open_memstream(&history, &history_size);
    if (!fa || !fh)
        abort();
    struct alert_list list = {.f = fa, .s = &s, .now = now};
    struct history_list hl = {.f = fh, .s = &s};
    struct store *store = hub_store(r->hub);
    int nalerts =
        store ? store_alerts_each(store, d->id, false, ALERT_ROWS, alert_row, &list, &err) : -1;
    free(err);
    err = NULL;
    int nhistory =
        store ? store_history_each(store, d->id, HISTORY_ROWS, history_row, &hl, &err) : -1;
    free(err);
    hub_store_done(r->hub);
    fclose(fa);
    fclose(fh);
    fprintf(f, "<section class=\"card\" id=\"alerts\"><h2>%s</h2>", staff_t(&s, "告警", "Alerts"));
    if (nalerts > 0) {
        alert_head(f, &s, false);
        fprintf(f, "%s</tbody></table></div>", alerts);
    } else {
        fprintf(f, "<p>%s</p>", staff_t(&s, "近期没有告警。", "No recent alerts."));
    }
    fprintf(f,
            "</section><section class=\"card\" id=\"history\"><h2>%s</h2><p class=\"meta\">%s</p>",
            staff_t(&s, "近期记录", "Recent history"),
            staff_t(&s, "状态变化时记一行，平时每 10 分钟一行；保留 [alerts] history_days 天。",
                    "A row when the state changes, else one every 10 minutes; kept for [alerts] "
                    "history_days days."));
    if (nhistory > 0)
        fprintf(f,
                "<div class=\"wrap\"><table class=\"cards\"><thead><tr><th class=\"n\">%s</th>"
                "<th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th>"
                "<th class=\"n\">%s</th></tr></thead><tbody>%s</tbody></table></div>",
                staff_t(&s, "时间", "When"), staff_t(&s, "事件", "Event"),
                staff_t(&s, "状态", "State"), staff_t(&s, "后端", "Backend"),
                staff_t(&s, "打印机", "Printer"), staff_t(&s, "存储", "Storage"),
                staff_t(&s, "版本", "Version"), staff_t(&s, "运行时间", "Uptime"), history);
    else
        fprintf(f, "<p>%s</p>", staff_t(&s, "还没有记录。", "Nothing recorded yet."));
    fputs("</section>", f);
    fclose(f);
    free(alerts);
    free(history);
    char *path = xasprintf("/staff/devices/%s", d->id);
    free(devices);
    char *html = staff_frame(&s, path, "设备", "Device", body);
    free(path);
    return staff_answer(r, MHD_HTTP_OK, html);
}
