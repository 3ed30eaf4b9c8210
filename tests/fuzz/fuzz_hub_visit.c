/* fuzz_hub_visit.c: what kiosk-hub makes of its upstream's snapshot for a phone, without the
 * network: a queue snapshot (kiosk API v1 JSON, as the feed reads it) -> where each ticket it
 * names stands (visit_read) -> the live block and the page (page.c), which must stay valid
 * UTF-8, escape every text that came from upstream, and keep the live block on one line (it is
 * a Server-Sent Event's data: a line break would let the upstream forge events). The input is
 * also an If-None-Match list for device_api_etag_matches. */
#include <cjson/cJSON.h>

#include "base/utf8.h"
#include "fuzz.h"
#include "hub/device_api.h"
#include "hub/page.h"
#include "hub/visit.h"
#include "model/model_json.h"

static void check_etag(const char *list)
{
    /* Never a crash; an exact tag, its weak form and "*" always match. */
    (void)device_api_etag_matches(list, "\"v7\"");
    FUZZ_CHECK(device_api_etag_matches("\"v7\"", "\"v7\""));
    FUZZ_CHECK(device_api_etag_matches(" W/\"v7\" ,", "\"v7\""));
    FUZZ_CHECK(device_api_etag_matches("\"v1\", *", "\"v7\""));
}

static size_t count(const char *s, char c)
{
    size_t n = 0;
    for (; *s; s++)
        n += *s == c;
    return n;
}

/* Valid UTF-8, on one line for the live block; and no markup from upstream: the same page for
 * the visit with its texts replaced by a plain "x" (the empty ones left empty) has exactly as
 * many '<', '>' and '"' (the page's own markup, the same for both). */
static void check_html(const char *html, const char *plain, bool one_line)
{
    FUZZ_CHECK(html != NULL && plain != NULL);
    FUZZ_CHECK(utf8_valid(html));
    if (one_line)
        FUZZ_CHECK(strchr(html, '\n') == NULL && strchr(html, '\r') == NULL);
    FUZZ_CHECK(count(html, '<') == count(plain, '<'));
    FUZZ_CHECK(count(html, '>') == count(plain, '>'));
    FUZZ_CHECK(count(html, '"') == count(plain, '"'));
}

static void plain_text(char *s)
{
    if (s[0])
        strcpy(s, "x");
}

static void render(const struct model *m, const struct board_status *status, const char *ticket,
                   const char *room, const struct call *logged, int64_t issued, int64_t now)
{
    struct token t = {.purpose = TOKEN_SURVEY, .issued_at = issued, .expires_at = issued + 3600};
    snprintf(t.device, sizeof t.device, "fuzz");
    snprintf(t.ticket, sizeof t.ticket, "%s", ticket);
    snprintf(t.room, sizeof t.room, "%s", room);
    struct visit v;
    visit_read(m, status, &t, logged, now, &v);
    FUZZ_TERMINATED(v.ticket);
    FUZZ_TERMINATED(v.room_zh);
    FUZZ_TERMINATED(v.room_en);
    FUZZ_CHECK(v.state >= VISIT_WAITING && v.state <= VISIT_NONE);
    FUZZ_CHECK((v.state == VISIT_NONE) == (ticket[0] == '\0'));
    FUZZ_CHECK(v.ahead >= -1);
    struct visit plain = v;
    plain_text(plain.ticket);
    plain_text(plain.room_zh);
    plain_text(plain.room_en);
    struct page_ctx ctx = {.lang = (now & 1) ? LANG_EN : LANG_ZH,
                           .large = (now & 2) != 0,
                           .hospital_zh = "医院",
                           .hospital_en = "Hospital",
                           .path = "/r/TOKEN",
                           .token = "TOKEN"};
    struct rating_form form = {.score = 3};
    char *html[3] = {page_visit_live(&ctx, &v), page_visit(&ctx, &v, &form),
                     page_thanks(&ctx, &v, 5)};
    char *expected[3] = {page_visit_live(&ctx, &plain), page_visit(&ctx, &plain, &form),
                         page_thanks(&ctx, &plain, 5)};
    for (int i = 0; i < 3; i++) {
        check_html(html[i], expected[i], i == 0);
        free(html[i]);
        free(expected[i]);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char *text = fuzz_string(data, size);
    check_etag(text);
    cJSON *json = cJSON_ParseWithLength(text, size);
    free(text);
    if (!json)
        return 0;
    struct model *m = calloc(1, sizeof *m);
    char *err = NULL;
    if (m && model_from_json(json, m, &err)) {
        struct board_status status = {.version = (uint64_t)m->version,
                                      .state = m->version & 1 ? CONN_ONLINE : CONN_OFFLINE,
                                      .state_since = m->server_time,
                                      .has_model = true};
        int64_t now = m->server_time;
        for (int i = 0; i < m->nwaiting; i++)
            render(m, &status, m->waiting[i].ticket, "", NULL, now - 60, now);
        for (int i = 0; i < m->ncalls; i++) {
            const struct call *c = &m->calls[i];
            render(m, &status, c->ticket, c->room_id, c, c->issued_at, now);
            /* A code issued 5 h before the call: an older visit with the same number. */
            render(m, &status, c->ticket, c->room_id, c, c->called_at - 18000, now + 700);
        }
        for (int i = 0; i < m->nrooms; i++)
            render(m, &status, "", m->rooms[i].id, NULL, now, now);
        render(m, &status, "A001", "no-such-room", NULL, now, now);
    }
    free(err);
    free(m);
    cJSON_Delete(json);
    return 0;
}
