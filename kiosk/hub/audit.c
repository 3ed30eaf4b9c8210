/* audit.c: the audit log as a page for admins (/staff/audit): the newest lines, read only. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "hub/hub.h"
#include "hub/quality.h"
#include "hub/staff.h"
#include "hub/staff_db.h"

#define LOG_MODULE "audit"
#include "base/log.h"

#define LINES_MAX 300

enum MHD_Result audit_handle(struct request *r)
{
    struct staff_session s;
    enum MHD_Result answer;
    if (!staff_require(r, STAFF_ADMIN, &s, &answer))
        return answer;
    if (strcmp(r->url, "/staff/audit") != 0 || strcmp(r->method, MHD_HTTP_METHOD_POST) == 0)
        return staff_refuse(r, &s, MHD_HTTP_NOT_FOUND, "没有这个页面", "No such page");
    struct staff_audit_line *lines = xcalloc(LINES_MAX, sizeof *lines);
    char *err = NULL;
    struct store *store = hub_store(r->hub);
    int n = store ? staff_db_audit_list(store, lines, LINES_MAX, &err) : -1;
    hub_store_done(r->hub);
    if (n < 0) {
        LOG_ERR("audit log: %s", err ? err : "no store");
        free(err);
        free(lines);
        return staff_refuse(r, &s, 503, "暂时无法读取审计日志", "The audit log cannot be read now");
    }
    char *body = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&body, &size);
    if (!f)
        abort();
    fprintf(f,
            "<h1>%s</h1><p class=\"meta\">%s</p><div class=\"wrap\"><table id=\"audit\"><thead>"
            "<tr><th>%s</th><th>%s</th><th>%s</th><th>%s</th><th>%s</th></tr></thead><tbody>",
            staff_t(&s, "审计日志", "Audit log"),
            staff_t(&s, "最近的登录、导出和修改", "The latest logins, exports and changes"),
            staff_t(&s, "时间", "When"), staff_t(&s, "账号", "Account"),
            staff_t(&s, "地址", "Address"), staff_t(&s, "操作", "Action"),
            staff_t(&s, "详情", "Detail"));
    for (int i = 0; i < n; i++) {
        char when[32];
        time_t at = (time_t)lines[i].at;
        struct tm tm;
        strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", localtime_r(&at, &tm));
        fprintf(f, "<tr data-action=\"");
        staff_html_escape(f, lines[i].action);
        fprintf(f, "\"><td>%s</td><td>", when);
        staff_html_escape(f, lines[i].account);
        fputs("</td><td>", f);
        staff_html_escape(f, lines[i].address);
        fputs("</td><td>", f);
        staff_html_escape(f, lines[i].action);
        fputs("</td><td>", f);
        staff_html_escape(f, lines[i].detail);
        fputs("</td></tr>", f);
    }
    fputs("</tbody></table></div>", f);
    fclose(f);
    free(lines);
    return staff_answer(r, 200, staff_frame(&s, "/staff/audit", "审计日志", "Audit log", body));
}
