/* quality.c: the quality office's page (/staff/quality): satisfaction by day, week or month,
 * by room (or doctor: what the code names) and by channel, happy and unhappy shares, the tags
 * chosen, searchable comments, two trend charts drawn here as SVG, and the CSV export, which is
 * `kiosk-hub report --csv` for the same dates, byte for byte (cli/report_cli.c writes both). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/i18n.h"
#include "base/mem.h"
#include "cli/report_cli.h"
#include "hub/hub.h"
#include "hub/quality.h"
#include "hub/respond.h"
#include "hub/staff.h"
#include "hub/staff_db.h"

#define LOG_MODULE "quality"
#include "base/log.h"

#define ROWS_MAX     1200 /* three rows (phone, kiosk, all) for each of 400 keys */
#define COMMENTS_MAX 200
#define EXPORT_MAX   5000 /* comments in one export */
#define DEFAULT_DAYS 30
#define QUERY_MAX    100

/* What the filter form asked for. */
struct query {
    char since[16], until[16]; /* YYYY-MM-DD; until "" for none */
    int64_t from, to;          /* [from, to) */
    enum report_group by;
    const char *by_name;
    char q[QUERY_MAX * 4 + 1]; /* comment search */
};

/* The filter from the URL; false when a date or the grouping cannot be read. */
static bool read_query(const struct request *r, struct query *qy)
{
    static const char *const names[] = {"day", "week", "month"};
    *qy = (struct query){.by = REPORT_DAY, .by_name = "day", .to = INT64_MAX};
    const char *since = request_arg(r, "since"), *until = request_arg(r, "until");
    const char *by = request_arg(r, "by"), *q = request_arg(r, "q");
    if (since && since[0]) {
        snprintf(qy->since, sizeof qy->since, "%.15s", since);
    } else {
        time_t start = time(NULL) - (time_t)(DEFAULT_DAYS - 1) * 86400;
        struct tm tm;
        strftime(qy->since, sizeof qy->since, "%Y-%m-%d", localtime_r(&start, &tm));
    }
    if (until)
        snprintf(qy->until, sizeof qy->until, "%.15s", until);
    if (q)
        snprintf(qy->q, sizeof qy->q, "%s", q);
    for (int i = 0; by && i < 3; i++) {
        if (strcmp(by, names[i]) == 0) {
            qy->by = (enum report_group)i;
            qy->by_name = names[i];
        }
    }
    return report_parse_date(qy->since, &qy->from) &&
           (!qy->until[0] || report_parse_date(qy->until, &qy->to)) && qy->from < qy->to;
}

/* since=...&until=...&by=... for links, escaped for an attribute. */
static void query_link(FILE *f, const struct query *qy)
{
    fprintf(f, "since=%s&amp;by=%s", qy->since, qy->by_name);
    if (qy->until[0])
        fprintf(f, "&amp;until=%s", qy->until);
}

static double share(int part, int whole)
{
    return whole > 0 ? 100.0 * part / whole : 0;
}

/* ---- the charts ---- */

#define CW 900 /* the view box */
#define CH 240
#define CL 44 /* left margin: the average's axis */
#define CR 44 /* right margin: the count's axis */
#define CT 16
#define CB 40 /* bottom: the period labels */

/* The "all" rows of by-channel rows. */
static int all_rows(const struct report_row *rows, int n, const struct report_row **out)
{
    int m = 0;
    for (int i = 0; i < n; i++) {
        if (strcmp(rows[i].channel, "all") == 0)
            out[m++] = &rows[i];
    }
    return m;
}

static void x_labels(FILE *f, const struct report_row *const *all, int m, double step)
{
    int every = m > 16 ? (m + 15) / 16 : 1;
    for (int i = 0; i < m; i += every) {
        const char *key = all[i]->key;
        /* a day's label without its year: 11-24 */
        const char *shown = strlen(key) == 10 ? key + 5 : key;
        fprintf(f,
                "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\" font-size=\"13\" "
                "fill=\"#5b6675\">",
                CL + step * (i + 0.5), CH - CB + 16);
        staff_html_escape(f, shown);
        fputs("</text>", f);
    }
}

/* Bars: ratings per period (right axis); line: the average score, 1 to 5 (left axis). */
static void chart_trend(FILE *f, const struct staff_session *s, const struct report_row *const *all,
                        int m)
{
    int most = 1;
    for (int i = 0; i < m; i++)
        most = all[i]->count > most ? all[i]->count : most;
    double w = CW - CL - CR, h = CH - CT - CB, step = w / (m > 0 ? m : 1);
    fprintf(f,
            "<svg class=\"chart\" id=\"trend\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"%s\"><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
            CW, CH, staff_t(s, "评价数与平均分", "Ratings and average score"), CW, CH);
    for (int v = 1; v <= 5; v++) {
        double y = CT + h - (v - 1) / 4.0 * h;
        fprintf(f,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e8ee\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"13\" "
                "fill=\"#0b5394\">%d</text>",
                CL, CW - CR, y, y, CL - 6, y + 4, v);
    }
    fprintf(f,
            "<text x=\"%d\" y=\"%d\" text-anchor=\"start\" font-size=\"13\" fill=\"#7a8696\">"
            "%d</text>",
            CW - CR + 6, CT + 4, most);
    for (int i = 0; i < m; i++) {
        double bh = h * all[i]->count / most, bw = step * 0.6;
        fprintf(f,
                "<rect class=\"bar\" x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                "fill=\"#c9d6e5\"><title>%s: %d</title></rect>",
                CL + step * i + (step - bw) / 2, CT + h - bh, bw, bh, all[i]->key, all[i]->count);
    }
    fputs("<polyline fill=\"none\" stroke=\"#0b5394\" stroke-width=\"2.5\" points=\"", f);
    for (int i = 0; i < m; i++) {
        if (all[i]->count > 0)
            fprintf(f, "%.1f,%.1f ", CL + step * (i + 0.5),
                    CT + h - (all[i]->average - 1) / 4.0 * h);
    }
    fputs("\"/>", f);
    for (int i = 0; i < m; i++) {
        if (all[i]->count > 0)
            fprintf(f,
                    "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"3.5\" fill=\"#0b5394\"><title>%s: "
                    "%.2f</title></circle>",
                    CL + step * (i + 0.5), CT + h - (all[i]->average - 1) / 4.0 * h, all[i]->key,
                    all[i]->average);
    }
    x_labels(f, all, m, step);
    fputs("</svg>", f);
}

/* Each period's votes as 100 %: happy (4-5), neutral (3), unhappy (1-2). */
static void chart_shares(FILE *f, const struct staff_session *s,
                         const struct report_row *const *all, int m)
{
    double w = CW - CL - CR, h = CH - CT - CB, step = w / (m > 0 ? m : 1);
    fprintf(f,
            "<svg class=\"chart\" id=\"shares\" viewBox=\"0 0 %d %d\" role=\"img\" "
            "aria-label=\"%s\"><rect x=\"0\" y=\"0\" width=\"%d\" height=\"%d\" fill=\"#fff\"/>",
            CW, CH, staff_t(s, "满意与不满意占比", "Happy and unhappy shares"), CW, CH);
    for (int p = 0; p <= 100; p += 25) {
        double y = CT + h - p / 100.0 * h;
        fprintf(f,
                "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#e3e8ee\"/>"
                "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\" font-size=\"13\" "
                "fill=\"#5b6675\">%d%%</text>",
                CL, CW - CR, y, y, CL - 6, y + 4, p);
    }
    for (int i = 0; i < m; i++) {
        const struct report_row *row = all[i];
        if (row->count == 0)
            continue;
        double bw = step * 0.6, x = CL + step * i + (step - bw) / 2;
        double happy = h * row->happy / row->count, unhappy = h * row->unhappy / row->count;
        double neutral = h - happy - unhappy;
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#b3261e\">"
                "<title>%s: %.0f%%</title></rect>",
                x, CT + h - unhappy, bw, unhappy, row->key, share(row->unhappy, row->count));
        fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" fill=\"#d9dee5\"/>",
                x, CT + happy, bw, neutral);
        fprintf(f,
                "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%.1f\" fill=\"#1e7b34\">"
                "<title>%s: %.0f%%</title></rect>",
                x, CT, bw, happy, row->key, share(row->happy, row->count));
    }
    x_labels(f, all, m, step);
    fputs("</svg>", f);
}

/* ---- the tables ---- */

static void average_cell(FILE *f, const struct report_row *row)
{
    if (row->count > 0)
        fprintf(f, "<td class=\"n\">%.2f</td>", row->average);
    else
        fputs("<td class=\"n\">-</td>", f);
}

static const char *channel_label(const struct staff_session *s, const char *channel)
{
    return strcmp(channel, "phone") == 0   ? staff_t(s, "手机", "Phone")
           : strcmp(channel, "kiosk") == 0 ? staff_t(s, "自助机", "Kiosk")
                                           : staff_t(s, "合计", "All");
}

/* One table of by-channel rows; key_head names the first column. */
static void channel_table(FILE *f, const struct staff_session *s, const char *id,
                          const char *key_head, const struct report_row *rows, int n)
{
    fprintf(f,
            "<div class=\"wrap\"><table id=\"%s\"><thead><tr><th>%s</th><th>%s</th>"
            "<th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th>"
            "<th class=\"n\">%s</th></tr></thead><tbody>",
            id, key_head, staff_t(s, "渠道", "Channel"), staff_t(s, "评价数", "Ratings"),
            staff_t(s, "平均分", "Average"), staff_t(s, "满意 (4–5)", "Happy (4–5)"),
            staff_t(s, "不满意 (1–2)", "Unhappy (1–2)"));
    for (int i = 0; i < n; i++) {
        const struct report_row *row = &rows[i];
        bool all = strcmp(row->channel, "all") == 0;
        fprintf(f, "<tr data-key=\"");
        staff_html_escape(f, row->key);
        fprintf(f, "\" data-channel=\"%s\"%s><td>", row->channel, all ? " class=\"all\"" : "");
        if (strcmp(row->channel, "phone") == 0)
            staff_html_escape(f, row->key);
        fprintf(f, "</td><td>%s</td><td class=\"n\">%d</td>", channel_label(s, row->channel),
                row->count);
        average_cell(f, row);
        fprintf(f,
                "<td class=\"n good\">%d <small>(%.0f%%)</small></td>"
                "<td class=\"n bad\">%d <small>(%.0f%%)</small></td></tr>",
                row->happy, share(row->happy, row->count), row->unhappy,
                share(row->unhappy, row->count));
    }
    if (n == 0)
        fprintf(f, "<tr><td colspan=\"6\">%s</td></tr>", staff_t(s, "没有评价", "No ratings"));
    fputs("</tbody></table></div>", f);
}

static const char *tag_label(const struct staff_session *s, const char *name)
{
    for (int i = 0; i < RATING_TAGS; i++) {
        if (strcmp(name, rating_tag_names[i]) == 0)
            return i18n_text((enum text_id)(TEXT_KIOSK_REASON_1 + i), s->lang);
    }
    return name;
}

static void tags_table(FILE *f, const struct staff_session *s, const struct report_row *rows, int n,
                       int total)
{
    fprintf(f,
            "<div class=\"wrap\"><table id=\"tags\"><thead><tr><th>%s</th><th class=\"n\">%s"
            "</th><th class=\"n\">%s</th><th class=\"n\">%s</th><th class=\"n\">%s</th></tr>"
            "</thead><tbody>",
            staff_t(s, "标签", "Tag"), staff_t(s, "选择次数", "Chosen"),
            staff_t(s, "占评价", "Of ratings"), staff_t(s, "平均分", "Average"),
            staff_t(s, "不满意", "Unhappy"));
    for (int i = 0; i < n; i++) {
        fputs("<tr><td>", f);
        staff_html_escape(f, tag_label(s, rows[i].key));
        fprintf(f, "</td><td class=\"n\">%d</td><td class=\"n\">%.0f%%</td>", rows[i].count,
                share(rows[i].count, total));
        average_cell(f, &rows[i]);
        fprintf(f, "<td class=\"n bad\">%d</td></tr>", rows[i].unhappy);
    }
    if (n == 0)
        fprintf(f, "<tr><td colspan=\"5\">%s</td></tr>", staff_t(s, "没有标签", "No tags chosen"));
    fputs("</tbody></table></div>", f);
}

static void comments_list(FILE *f, const struct staff_session *s, const struct query *qy,
                          const struct staff_comment *c, int n)
{
    fprintf(f,
            "<form method=\"get\" action=\"/staff/quality\" class=\"filters\" id=\"search\">"
            "<input type=\"hidden\" name=\"since\" value=\"%s\">"
            "<input type=\"hidden\" name=\"until\" value=\"%s\">"
            "<input type=\"hidden\" name=\"by\" value=\"%s\"><label>%s "
            "<input type=\"search\" name=\"q\" maxlength=\"%d\" value=\"",
            qy->since, qy->until, qy->by_name, staff_t(s, "搜索留言", "Search comments"),
            QUERY_MAX);
    staff_html_escape(f, qy->q);
    fprintf(f, "\"></label><button type=\"submit\">%s</button></form>",
            staff_t(s, "搜索", "Search"));
    fprintf(f,
            "<div class=\"wrap\"><table id=\"comments\"><thead><tr><th>%s</th><th>%s</th>"
            "<th class=\"n\">%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead>"
            "<tbody>",
            staff_t(s, "时间", "When"), staff_t(s, "渠道", "Channel"), staff_t(s, "评分", "Score"),
            staff_t(s, "诊室/医生", "Room / doctor"), staff_t(s, "票号", "Ticket"),
            staff_t(s, "标签", "Tags"), staff_t(s, "留言", "Comment"));
    for (int i = 0; i < n; i++) {
        char when[32];
        time_t at = (time_t)c[i].rated_at;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M", localtime_r(&at, &tm));
        fprintf(f, "<tr><td>%s</td><td>%s</td><td class=\"n %s\">%d</td><td>", when,
                channel_label(s, c[i].channel),
                c[i].score >= 4   ? "good"
                : c[i].score <= 2 ? "bad"
                                  : "",
                c[i].score);
        staff_html_escape(f, c[i].room);
        fputs("</td><td>", f);
        staff_html_escape(f, c[i].ticket);
        fputs("</td><td>", f);
        char reasons[256];
        snprintf(reasons, sizeof reasons, "%s", c[i].reasons);
        char *save = NULL;
        for (char *tag = strtok_r(reasons, "|", &save); tag; tag = strtok_r(NULL, "|", &save)) {
            fputs("<span class=\"tag\">", f);
            staff_html_escape(f, tag_label(s, tag));
            fputs("</span>", f);
        }
        fputs("</td><td class=\"comment\">", f);
        staff_html_escape(f, c[i].comment);
        fputs("</td></tr>", f);
    }
    if (n == 0)
        fprintf(f, "<tr><td colspan=\"7\">%s</td></tr>", staff_t(s, "没有留言", "No comments"));
    fputs("</tbody></table></div>", f);
}

static void filters(FILE *f, const struct staff_session *s, const struct query *qy)
{
    static const char *const names[] = {"day", "week", "month"};
    const char *labels[] = {staff_t(s, "按日", "By day"), staff_t(s, "按周", "By week"),
                            staff_t(s, "按月", "By month")};
    fprintf(f,
            "<form method=\"get\" action=\"/staff/quality\" class=\"filters\" id=\"filters\">"
            "<label>%s <input type=\"date\" name=\"since\" value=\"%s\" required></label>"
            "<label>%s <input type=\"date\" name=\"until\" value=\"%s\"></label><label>%s "
            "<select name=\"by\">",
            staff_t(s, "从", "From"), qy->since, staff_t(s, "至（不含）", "Until (not incl.)"),
            qy->until, staff_t(s, "分组", "Group"));
    for (int i = 0; i < 3; i++)
        fprintf(f, "<option value=\"%s\"%s>%s</option>", names[i],
                qy->by == (enum report_group)i ? " selected" : "", labels[i]);
    fprintf(f, "</select></label><button type=\"submit\">%s</button>", staff_t(s, "查看", "Show"));
    fputs("<a class=\"button\" id=\"export\" href=\"/staff/quality.csv?", f);
    query_link(f, qy);
    fprintf(f, "\">%s</a>", staff_t(s, "导出 CSV", "Export CSV"));
    fputs("<a class=\"button\" id=\"export-comments\" href=\"/staff/quality/comments.csv?", f);
    query_link(f, qy);
    fprintf(f, "\">%s</a></form>", staff_t(s, "导出留言", "Export comments"));
}

static void figures(FILE *f, const struct staff_session *s, const struct report_row *rows, int n)
{
    struct report_row total = {0}, phone = {0}, kiosk = {0};
    double sum = 0;
    for (int i = 0; i < n; i++) {
        const struct report_row *row = &rows[i];
        struct report_row *into = strcmp(row->channel, "all") == 0     ? &total
                                  : strcmp(row->channel, "phone") == 0 ? &phone
                                                                       : &kiosk;
        into->count += row->count;
        into->happy += row->happy;
        into->unhappy += row->unhappy;
        if (into == &total)
            sum += row->average * row->count;
    }
    char average[16] = "-";
    if (total.count > 0)
        snprintf(average, sizeof average, "%.2f", sum / total.count);
    fprintf(f,
            "<div class=\"figures\" id=\"figures\">"
            "<div class=\"figure\"><b id=\"total\">%d</b><span>%s</span></div>"
            "<div class=\"figure\"><b id=\"average\">%s</b><span>%s</span></div>"
            "<div class=\"figure\"><b id=\"happy\" class=\"good\">%.0f%%</b><span>%s (%d)</span>"
            "</div><div class=\"figure\"><b id=\"unhappy\" class=\"bad\">%.0f%%</b>"
            "<span>%s (%d)</span></div><div class=\"figure\"><b id=\"phone\">%d</b>"
            "<span>%s</span></div><div class=\"figure\"><b id=\"kiosk\">%d</b><span>%s</span>"
            "</div></div>",
            total.count, staff_t(s, "评价数", "Ratings"), average,
            staff_t(s, "平均分（1–5）", "Average (1–5)"), share(total.happy, total.count),
            staff_t(s, "满意 4–5 分", "Happy, 4–5"), total.happy, share(total.unhappy, total.count),
            staff_t(s, "不满意 1–2 分", "Unhappy, 1–2"), total.unhappy, phone.count,
            staff_t(s, "手机评价", "From phones"), kiosk.count,
            staff_t(s, "自助机评价", "From kiosks"));
}

static enum MHD_Result page(struct request *r, const struct staff_session *s,
                            const struct query *qy)
{
    struct report_row *periods = xcalloc(ROWS_MAX, sizeof *periods);
    struct report_row *rooms = xcalloc(ROWS_MAX, sizeof *rooms);
    struct report_row *tags = xcalloc(64, sizeof *tags);
    struct staff_comment *comments = xcalloc(COMMENTS_MAX, sizeof *comments);
    char *err = NULL;
    struct store *store = hub_store(r->hub);
    int np = store ? store_report_ratings_by_channel(store, qy->by, qy->from, qy->to, periods,
                                                     ROWS_MAX, &err)
                   : -1;
    int nr = np < 0 ? -1
                    : store_report_ratings_by_channel(store, REPORT_ROOM, qy->from, qy->to, rooms,
                                                      ROWS_MAX, &err);
    int nt = nr < 0 ? -1 : store_report_reasons(store, qy->from, qy->to, tags, 64, &err);
    int nc = nt < 0
                 ? -1
                 : staff_db_comments(store, qy->from, qy->to, qy->q, comments, COMMENTS_MAX, &err);
    hub_store_done(r->hub);
    enum MHD_Result result;
    if (nc < 0) {
        LOG_ERR("quality page: %s", err ? err : "no store");
        result = staff_refuse(r, s, 503, "暂时无法读取评价", "The ratings cannot be read now");
    } else {
        const struct report_row **all = xcalloc((size_t)np + 1, sizeof(const struct report_row *));
        int m = all_rows(periods, np, all), total = 0;
        for (int i = 0; i < m; i++)
            total += all[i]->count;
        char *body = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&body, &size);
        if (!f)
            abort();
        fprintf(f, "<h1>%s</h1>", staff_t(s, "患者满意度", "Patient satisfaction"));
        filters(f, s, qy);
        figures(f, s, periods, np);
        fprintf(f, "<h2>%s</h2>", staff_t(s, "趋势", "Trend"));
        fputs("<div class=\"wrap\">", f);
        chart_trend(f, s, all, m);
        fprintf(f,
                "</div><p class=\"legend\"><i class=\"count\"></i>%s<i class=\"avg\"></i>%s</p>"
                "<div class=\"wrap\">",
                staff_t(s, "评价数（右轴）", "Ratings (right axis)"),
                staff_t(s, "平均分（左轴，1–5）", "Average score (left axis, 1–5)"));
        chart_shares(f, s, all, m);
        fprintf(f,
                "</div><p class=\"legend\"><i class=\"happy\"></i>%s<i class=\"neutral\"></i>%s"
                "<i class=\"unhappy\"></i>%s</p>",
                staff_t(s, "满意 4–5", "Happy 4–5"), staff_t(s, "一般 3", "Neutral 3"),
                staff_t(s, "不满意 1–2", "Unhappy 1–2"));
        fprintf(f, "<h2>%s</h2>", staff_t(s, "按时间与渠道", "By period and channel"));
        channel_table(f, s, "by-period", staff_t(s, "时间", "Period"), periods, np);
        fprintf(f, "<h2>%s</h2>", staff_t(s, "按诊室 / 医生", "By room / doctor"));
        channel_table(f, s, "by-room", staff_t(s, "诊室/医生", "Room / doctor"), rooms, nr);
        fprintf(f, "<h2>%s</h2>", staff_t(s, "患者选择的标签", "Tags chosen"));
        tags_table(f, s, tags, nt, total);
        fprintf(f, "<h2>%s</h2>", staff_t(s, "留言", "Comments"));
        comments_list(f, s, qy, comments, nc);
        fclose(f);
        free(all);
        char *here = xasprintf("/staff/quality?since=%s&by=%s%s%s", qy->since, qy->by_name,
                               qy->until[0] ? "&until=" : "", qy->until);
        result = staff_answer(r, 200, staff_frame(s, here, "满意度", "Satisfaction", body));
        free(here);
    }
    free(err);
    free(periods);
    free(rooms);
    free(tags);
    free(comments);
    return result;
}

enum MHD_Result staff_csv_answer(struct request *r, char *text, const char *filename)
{
    struct MHD_Response *response = respond_make(text ? text : "", RESPOND_HTML);
    free(text);
    if (response) {
        MHD_del_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "text/html; charset=utf-8");
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "text/csv; charset=utf-8");
        char *disposition = xasprintf("attachment; filename=\"%s\"", filename);
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_DISPOSITION, disposition);
        free(disposition);
    }
    return respond_queue(r->connection, 200, response);
}

void staff_csv_field(FILE *f, const char *text)
{
    /* a leading = + - @ would be a formula to a spreadsheet: quoted with a ' first */
    bool formula = strchr("=+-@", text[0]) && text[0];
    fputc('"', f);
    if (formula)
        fputc('\'', f);
    for (; *text; text++) {
        if (*text == '"')
            fputc('"', f);
        fputc(*text, f);
    }
    fputc('"', f);
}

static enum MHD_Result export(struct request *r, const struct staff_session *s,
                              const struct query *qy, bool comments) {
    char *text = NULL, *err = NULL, name[64]; size_t size = 0;
    FILE *f = open_memstream(&text, &size); if (!f) abort();
    struct staff_comment *c = comments ? xcalloc(EXPORT_MAX, sizeof *c) : NULL;
    struct store *store = hub_store(r->hub);
    int n = !store ? -1
            : comments
                ? staff_db_comments(store, qy->from, qy->to, qy->q, c, EXPORT_MAX, &err)
                : -report_hub_write(f, store, qy->by, qy->by_name, qy->from, qy->to, true, &err);
    hub_store_done(r->hub); if (comments && n >= 0){
        fputs("rated_at,channel,score,room,ticket,tags,comment\n", f); for (int i = 0; i < n; i++){
            char when[32]; time_t at = (time_t)c[i].rated_at; struct tm tm;
            strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&at, &tm));
            fprintf(f, "%s,%s,%d,", when, c[i].channel, c[i].score); staff_csv_field(f, c[i].room);
            fputc(',', f); staff_csv_field(f, c[i].ticket); fputc(',', f);
            staff_csv_field(f, c[i].reasons); fputc(',', f); staff_csv_field(f, c[i].comment);
            fputc('\n', f);}
}
fclose(f);
free(c);
if (n < 0) {
    LOG_ERR("export: %s", err ? err : "no store");
    free(err);
    free(text);
    return staff_refuse(r, s, 503, "暂时无法导出", "The export cannot be made now");
}
char *detail =
    xasprintf("%s since=%s until=%s by=%s%s%s", comments ? "comments" : "ratings", qy->since,
              qy->until[0] ? qy->until : "-", qy->by_name, qy->q[0] ? " q=" : "", qy->q);
staff_audit(r, s, NULL, "export", detail);
free(detail);
snprintf(name, sizeof name, "%s-%s.csv", comments ? "comments" : "ratings", qy->since);
return staff_csv_answer(r, text, name);
}

enum MHD_Result quality_handle(struct request *r)
{
    struct staff_session s;
    enum MHD_Result answer;
    if (!staff_require(r, STAFF_QUALITY, &s, &answer))
        return answer;
    bool get =
        strcmp(r->method, MHD_HTTP_METHOD_GET) == 0 || strcmp(r->method, MHD_HTTP_METHOD_HEAD) == 0;
    struct query qy;
    if (!get)
        return staff_refuse(r, &s, MHD_HTTP_METHOD_NOT_ALLOWED, "此页面只读",
                            "This page only reads");
    if (!read_query(r, &qy))
        return staff_refuse(r, &s, MHD_HTTP_BAD_REQUEST, "日期无效（YYYY-MM-DD，起始早于截止）",
                            "A date is not valid (YYYY-MM-DD, from before until)");
    if (strcmp(r->url, "/staff/quality.csv") == 0)
        return export(r, &s, &qy, false);
    if (strcmp(r->url, "/staff/quality/comments.csv") == 0)
        return export(r, &s, &qy, true);
    if (strcmp(r->url, "/staff/quality") == 0)
        return page(r, &s, &qy);
    return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这个页面", "No such page");
}
