/* staff_pages.c: which handler answers which staff URL, and the one stylesheet (same origin,
 * as the CSP wants; no JavaScript on any staff page). */
#include <string.h>

#include "hub/fleet_page.h"
#include "hub/quality.h"
#include "hub/staff_pages.h"

struct staff_route {
    const char *prefix; /* the page, and below it ("/staff/complaints/C2026...", ".csv") */
    enum MHD_Result (*handle)(struct request *r);
};

static const struct staff_route routes[] = {
    {"/staff/quality", quality_handle}, {"/staff/complaints", complaints_handle},
    {"/staff/fleet", fleet_page_fleet}, {"/staff/devices", fleet_page_device},
    {"/staff/audit", audit_handle},     {NULL, NULL},
};

bool staff_pages_handle(struct request *r, bool get, enum MHD_Result *result)
{
    (void)get;
    for (const struct staff_route *route = routes; route->prefix; route++) {
        size_t n = strlen(route->prefix);
        if (strncmp(r->url, route->prefix, n) == 0 && strchr("/.", r->url[n])) {
            *result = route->handle(r);
            return true;
        }
    }
    return false;
}

const char staff_css[] =
    ":root{--ink:#1b2430;--muted:#5b6675;--line:#d7dde5;--bg:#f4f6f9;--card:#fff;"
    "--brand:#0b5394;--good:#1e7b34;--bad:#b3261e;--warn:#a35a00}"
    "*{box-sizing:border-box}"
    "body.staff{margin:0;font:15px/1.45 system-ui,\"Noto Sans CJK SC\",\"Microsoft YaHei\","
    "sans-serif;color:var(--ink);background:var(--bg)}"
    ".bar{background:var(--brand);color:#fff}"
    ".bar .top{display:flex;flex-wrap:wrap;align-items:center;gap:.4rem 1rem;padding:.6rem 1rem}"
    ".bar .hospital{font-weight:700;font-size:1.1rem;margin-right:auto}"
    ".bar a,.bar button{color:#fff}"
    ".bar .who{opacity:.9}"
    ".bar form.logout{margin:0}"
    ".bar button{background:transparent;border:1px solid rgba(255,255,255,.7);border-radius:4px;"
    "padding:.2rem .7rem;font:inherit;cursor:pointer}"
    ".bar nav{display:flex;flex-wrap:wrap;gap:0 .2rem;padding:0 .6rem}"
    ".bar nav a{padding:.5rem .8rem;text-decoration:none;border-bottom:3px solid transparent}"
    ".bar nav a[aria-current=page]{border-bottom-color:#fff;font-weight:700}"
    "main{padding:1rem;max-width:1300px;margin:0 auto}"
    "h1{font-size:1.35rem;margin:.2rem 0 .8rem}"
    "h2{font-size:1.1rem;margin:1.4rem 0 .5rem}"
    "section.card,.login,.problem{background:var(--card);border:1px solid var(--line);"
    "border-radius:6px;padding:1rem;margin-bottom:1rem}"
    ".login{max-width:360px;margin:3rem auto}"
    "label{display:block;margin:.5rem 0;font-weight:600}"
    "label input,label select,label textarea{display:block;width:100%;margin-top:.2rem;"
    "font-weight:400}"
    "input,select,textarea{font:inherit;padding:.35rem .5rem;border:1px solid #aab4c0;"
    "border-radius:4px;background:#fff;color:var(--ink)}"
    "button,.button{font:inherit;padding:.4rem 1rem;border-radius:4px;border:0;"
    "background:var(--brand);color:#fff;cursor:pointer;text-decoration:none;display:inline-block}"
    ".error{color:var(--bad);font-weight:600}"
    ".filters{display:flex;flex-wrap:wrap;gap:.5rem 1rem;align-items:flex-end;margin-bottom:1rem}"
    ".filters label{margin:0;font-weight:400}"
    ".filters label input,.filters label select{width:auto}"
    ".figures{display:grid;grid-template-columns:repeat(auto-fit,minmax(150px,1fr));gap:.6rem}"
    ".figure{background:var(--card);border:1px solid var(--line);border-radius:6px;padding:.6rem "
    ".8rem}"
    ".figure b{display:block;font-size:1.6rem}"
    ".figure span{color:var(--muted);font-size:.9rem}"
    ".wrap{overflow-x:auto;-webkit-overflow-scrolling:touch}"
    "table{border-collapse:collapse;width:100%;background:var(--card)}"
    "th,td{text-align:left;padding:.35rem .6rem;border-bottom:1px solid var(--line);"
    "vertical-align:top}"
    "th{background:#e9eef4;font-weight:600;white-space:nowrap}"
    "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}"
    ".good{color:var(--good)}.bad{color:var(--bad)}"
    ".chart{width:100%;min-width:560px;height:auto;max-width:900px;display:block;margin-bottom:."
    "4rem}"
    ".legend{color:var(--muted);font-size:.9rem;margin:.2rem 0 .8rem}"
    ".legend i{display:inline-block;width:.8rem;height:.8rem;margin:0 .3rem 0 .8rem;"
    "vertical-align:-1px}"
    ".legend i.count{background:#c9d6e5}.legend i.avg{background:#0b5394;height:.25rem;"
    "vertical-align:3px}.legend i.happy{background:#1e7b34}.legend i.neutral{background:#d9dee5}"
    ".legend i.unhappy{background:#b3261e}"
    ".tag{display:inline-block;background:#e9eef4;border-radius:3px;padding:0 .4rem;margin:0 .2rem "
    ".2rem 0}"
    ".status{display:inline-block;border-radius:3px;padding:0 .4rem;font-size:.9rem;"
    "white-space:nowrap;background:#e9eef4}"
    ".status-new{background:#fde7c8}.status-in_progress{background:#d6e8fb}"
    ".status-answered{background:#d7f0dc}.status-closed{background:#e4e4e4}"
    ".overdue{color:#fff;background:var(--bad);border-radius:3px;padding:0 .4rem;font-weight:700;"
    "white-space:nowrap}"
    ".complaint h2{margin-top:0}"
    ".complaint .text{white-space:pre-wrap;overflow-wrap:anywhere}"
    ".complaint form{display:grid;grid-template-columns:repeat(auto-fit,minmax(180px,1fr));"
    "gap:.3rem 1rem;align-items:end;margin-top:.6rem}"
    ".complaint form label.wide{grid-column:1/-1}"
    ".meta{color:var(--muted);font-size:.92rem}"
    ".meta span{margin-right:1rem;display:inline-block}"
    /* fleet_page.c: the devices, their state pills, the filter chips; under 700 px each
     * table row becomes a card whose cells carry their column's name. */
    ".pill{display:inline-block;border-radius:3px;padding:0 .45rem;font-weight:700;color:#fff}"
    ".pill.on{background:var(--good)}.pill.off{background:var(--bad)}"
    ".since{color:var(--muted);font-size:.92rem;white-space:nowrap}"
    "tr.trouble td.device a{color:var(--bad);font-weight:700}"
    "tr.over td{background:#fdecea}"
    "td.bad{color:var(--bad);font-weight:600}"
    "nav.filters{margin-bottom:.6rem}"
    ".chip{display:inline-block;border:1px solid var(--line);border-radius:16px;"
    "padding:.15rem .7rem;text-decoration:none;color:var(--ink);background:#fff}"
    ".chip[aria-current]{background:var(--brand);border-color:var(--brand);color:#fff}"
    ".figure b.small{font-size:1.05rem}"
    ".figures+section.card{margin-top:1rem}section.card>h2:first-child{margin-top:0}"
    "tr.stale td{color:var(--muted)}"
    "@media (max-width:700px){table.cards thead{display:none}"
    "table.cards,table.cards tbody,table.cards tr,table.cards td{display:block;width:100%}"
    "table.cards tr{border-bottom:2px solid var(--line);padding:.3rem 0}"
    "table.cards td{border:0;display:flex;gap:.6rem;padding:.15rem .5rem;text-align:left}"
    "table.cards td.n{text-align:left}"
    "table.cards td::before{content:attr(data-label);flex:0 0 6.5rem;color:var(--muted);"
    "font-weight:600}}"
    "@media (max-width:600px){main{padding:.6rem}.bar nav a{padding:.45rem .5rem}"
    "th,td{padding:.3rem .4rem}body.staff{font-size:14px}}";
