/* phone.c: what a patient's phone asks for. Every code is verified before anything is read or
 * kept; a code that fails is answered with a page in both languages and leaves no trace. */
#include <inttypes.h>
#include <openssl/rand.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "base/mem.h"
#include "base/utf8.h"
#include "hub/hub.h"
#include "hub/limiter.h"
#include "hub/page.h"
#include "hub/phone.h"
#include "hub/respond.h"
#include "hub/visit.h"

#define LOG_MODULE "phone"
#include "base/log.h"

#define LIVE_WAIT_MS      25000 /* a live page's request is answered at least this often */
#define COOKIE_AGE        "31536000"
#define BROWSER_ID_LEN    32
#define COMPLAINTS_HOURLY 10 /* per address */
#define TOKEN_CHARS       "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"

/* One phone request: who asks, in which language, and about which code. */
struct phone {
    struct request *r;
    struct page_ctx ctx;
    char path[TOKEN_TEXT_MAX + 16];
    char token_text[TOKEN_TEXT_MAX];
    struct token token;
    char browser[BROWSER_ID_LEN + 1]; /* the hub_id cookie, "" before it is set */
    char *cookies[4];
    int ncookies;
};

/* What a form posted. A field too long for its buffer is marked, never cut. */
struct form {
    char score[4];
    bool tags[RATING_TAGS];
    char comment[PAGE_COMMENT_MAX * 4 + 1];
    char t[TOKEN_TEXT_MAX];
    char text[PAGE_COMPLAINT_MAX * 4 + 1];
    char phone[PAGE_PHONE_MAX + 1];
    bool consent;
    bool too_long; /* comment or text */
    bool bad;      /* any other field too long */
};

static bool secure(const struct phone *p)
{
    const char *proto = request_header(p->r, "X-Forwarded-Proto");
    return p->r->hub->config->hub.tls_cert[0] || (proto && strcmp(proto, "https") == 0);
}

static void add_cookie(struct phone *p, const char *name, const char *value)
{
    if (p->ncookies < 3)
        p->cookies[p->ncookies++] =
            xasprintf("%s=%s; Path=/; Max-Age=" COOKIE_AGE "; HttpOnly; SameSite=Lax%s", name,
                      value, secure(p) ? "; Secure" : "");
}

static const char *cookie(const struct phone *p, const char *name)
{
    return MHD_lookup_connection_value(p->r->connection, MHD_COOKIE_KIND, name);
}

/* zh or en: the switch, then the cookie it left, then the first of the two the browser
 * prefers. */
static enum lang choose_lang(struct phone *p)
{
    const char *asked = request_arg(p->r, "lang"), *kept = cookie(p, "hub_lang");
    if (asked && (strcmp(asked, "zh") == 0 || strcmp(asked, "en") == 0)) {
        add_cookie(p, "hub_lang", asked);
        return asked[0] == 'e' ? LANG_EN : LANG_ZH;
    }
    if (kept && (strcmp(kept, "zh") == 0 || strcmp(kept, "en") == 0))
        return kept[0] == 'e' ? LANG_EN : LANG_ZH;
    const char *accept = request_header(p->r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    const char *zh = accept ? strcasestr(accept, "zh") : NULL;
    const char *en = accept ? strcasestr(accept, "en") : NULL;
    return en && (!zh || en < zh) ? LANG_EN : LANG_ZH;
}

static bool choose_large(struct phone *p)
{
    const char *asked = request_arg(p->r, "size"), *kept = cookie(p, "hub_size");
    if (asked && (strcmp(asked, "large") == 0 || strcmp(asked, "normal") == 0)) {
        add_cookie(p, "hub_size", asked);
        return asked[0] == 'l';
    }
    return kept && strcmp(kept, "large") == 0;
}

static void phone_init(struct phone *p, struct request *r)
{
    *p = (struct phone){.r = r};
    const struct config *config = r->hub->config;
    const char *id = cookie(p, "hub_id");
    if (id && strlen(id) == BROWSER_ID_LEN && strspn(id, "0123456789abcdef") == BROWSER_ID_LEN)
        memcpy(p->browser, id, BROWSER_ID_LEN + 1);
    p->ctx = (struct page_ctx){
        .lang = choose_lang(p),
        .large = choose_large(p),
        .hospital_zh = config->display.hospital_zh,
        .hospital_en = config->display.hospital_en,
        .path = p->path,
        .token = p->token_text,
    };
    snprintf(p->path, sizeof p->path, "%s", r->url);
}

static void phone_free(struct phone *p)
{
    for (int i = 0; i < p->ncookies; i++)
        free(p->cookies[i]);
}

static enum MHD_Result page(struct phone *p, unsigned status, char *html)
{
    p->cookies[p->ncookies] = NULL;
    enum MHD_Result result =
        respond_page(p->r->connection, status, html, (const char *const *)p->cookies);
    phone_free(p);
    return result;
}

static enum MHD_Result problem(struct phone *p, enum page_problem what)
{
    static const unsigned status[] = {
        [PROBLEM_EXPIRED] = 410,   [PROBLEM_INVALID] = 404,     [PROBLEM_RATE_LIMITED] = 429,
        [PROBLEM_NOT_FOUND] = 404, [PROBLEM_BAD_REQUEST] = 400, [PROBLEM_UNAVAILABLE] = 503,
    };
    return page(p, status[what], page_problem(&p->ctx, what));
}

/* Reads and verifies the code in text (a path segment) for purpose; PROBLEM_* or -1. */
static int read_token(struct phone *p, const char *text, size_t len, enum token_purpose purpose)
{
    if (len == 0 || len >= sizeof p->token_text || strspn(text, TOKEN_CHARS) < len)
        return PROBLEM_INVALID;
    memcpy(p->token_text, text, len);
    p->token_text[len] = '\0';
    enum token_status status = token_verify(&p->r->hub->key, p->token_text, time(NULL), &p->token);
    if (status == TOKEN_EXPIRED && p->token.purpose == purpose)
        return PROBLEM_EXPIRED;
    if (status != TOKEN_VALID || p->token.purpose != purpose)
        return PROBLEM_INVALID;
    return -1;
}

static void read_visit(struct phone *p, struct visit *v)
{
    struct board *board = p->r->hub->board;
    struct model *model = xcalloc(1, sizeof *model);
    struct board_status status;
    struct call call;
    board_read(board, model, &status);
    bool logged = p->token.ticket[0] &&
                  board_find_call(board, p->token.ticket, p->token.issued_at - 60, &call);
    visit_read(model, &status, &p->token, logged ? &call : NULL, time(NULL), v);
    free(model);
}

/* The key one patient's rating is kept under: the ticket's for a ticket's code; for a
 * screen's code, this browser's for this hour. */
static void rating_key(const struct phone *p, char *key, size_t size, int64_t now)
{
    const struct token *t = &p->token;
    if (t->ticket[0])
        snprintf(key, size, "p:%s:%s:%" PRId64, t->device, t->ticket, t->issued_at);
    else
        snprintf(key, size, "s:%s:%s:%s:%" PRId64, t->device, t->room, p->browser, now / 3600);
}

static void kept_rating(struct phone *p, struct rating_form *f)
{
    char key[256], *err = NULL;
    struct rating r;
    rating_key(p, key, sizeof key, time(NULL));
    struct store *store = hub_store(p->r->hub);
    f->rated_before = store && p->token.ticket[0] &&
                      store_rating_get(store, key, &r, f->comment, sizeof f->comment, &err);
    hub_store_done(p->r->hub);
    free(err);
    if (!f->rated_before) {
        f->comment[0] = '\0';
        return;
    }
    f->score = r.score;
    for (int i = 0; i < r.nreasons; i++) {
        for (int j = 0; j < RATING_TAGS; j++)
            f->tags[j] |= strcmp(r.reasons[i], rating_tag_names[j]) == 0;
    }
}

static enum MHD_Result visit_page(struct phone *p)
{
    struct visit v;
    struct rating_form f = {0};
    read_visit(p, &v);
    kept_rating(p, &f);
    return page(p, 200, page_visit(&p->ctx, &v, &f));
}

/* One Server-Sent Event with the live block, then the end of the stream: the browser asks
 * again (retry) with the version it has as Last-Event-ID, and that request waits here. */
static enum MHD_Result live(struct phone *p)
{
    struct request *r = p->r;
    struct board_status status;
    board_read(r->hub->board, NULL, &status);
    const char *last = request_header(r, "Last-Event-ID");
    if (!r->parked_once && !r->hub->stopping && last &&
        strtoull(last, NULL, 10) == status.version) {
        r->waiter.since = status.version;
        r->waiter.deadline_ms = clock_mono_ms() + LIVE_WAIT_MS;
        if (board_park(r->hub->board, &r->waiter)) {
            r->parked_once = true;
            phone_free(p);
            return MHD_YES;
        }
    }
    struct visit v;
    read_visit(p, &v);
    char *fragment = page_visit_live(&p->ctx, &v);
    char *event = xasprintf("retry: 1000\nid: %" PRId64 "\ndata: %s\n\n", v.version, fragment);
    free(fragment);
    struct MHD_Response *response = respond_make(event, RESPOND_EVENTS);
    free(event);
    phone_free(p);
    return respond_queue(r->connection, 200, response);
}

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *encoding, const char *data, uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)encoding;
    struct form *f = cls;
    /* libmicrohttpd passes no key for a multipart part without a name, and no data for a
     * field without a value ("consent" rather than "consent=1"). */
    if (!key)
        return MHD_YES;
    if (!data)
        data = "", size = 0;
    struct {
        const char *name;
        char *buffer;
        size_t size;
        bool *overflow;
    } fields[] = {
        {"score", f->score, sizeof f->score, &f->bad},
        {"comment", f->comment, sizeof f->comment, &f->too_long},
        {"t", f->t, sizeof f->t, &f->bad},
        {"text", f->text, sizeof f->text, &f->too_long},
        {"phone", f->phone, sizeof f->phone, &f->bad},
    };
    if (strcmp(key, "tag") == 0 && size == 1 && data[0] >= '1' && data[0] < '1' + RATING_TAGS)
        f->tags[data[0] - '1'] = true;
    if (strcmp(key, "consent") == 0)
        f->consent = true;
    for (size_t i = 0; i < sizeof fields / sizeof fields[0]; i++) {
        if (strcmp(key, fields[i].name) != 0)
            continue;
        if (off + size >= fields[i].size || memchr(data, '\0', size)) {
            *fields[i].overflow = true;
        } else {
            memcpy(fields[i].buffer + off, data, size);
            fields[i].buffer[off + size] = '\0';
        }
    }
    return MHD_YES;
}

/* The posted form; false when it could not be read at all. */
static bool read_form(struct request *r, struct form *f)
{
    *f = (struct form){0};
    struct MHD_PostProcessor *pp = MHD_create_post_processor(r->connection, 4096, on_field, f);
    if (!pp)
        return false;
    bool ok = MHD_post_process(pp, r->body, r->len) == MHD_YES;
    return MHD_destroy_post_processor(pp) == MHD_YES && ok && !f->bad;
}

/* Printable text: what a person typed (line breaks allowed), nothing else. */
static bool typed_text(const char *s)
{
    if (!utf8_valid(s))
        return false;
    for (; *s; s++) {
        if ((unsigned char)*s < 0x20 && *s != '\n' && *s != '\r' && *s != '\t')
            return false;
    }
    return true;
}

static void new_browser_id(struct phone *p)
{
    unsigned char bytes[BROWSER_ID_LEN / 2];
    if (RAND_bytes(bytes, sizeof bytes) != 1)
        abort();
    for (size_t i = 0; i < sizeof bytes; i++)
        snprintf(p->browser + 2 * i, 3, "%02x", bytes[i]);
    add_cookie(p, "hub_id", p->browser);
}

/* The rating as kept: the score, the tags as the backends name them, the ticket and room. */
static void make_rating(const struct phone *p, const struct form *form, struct rating *out)
{
    *out = (struct rating){.score = atoi(form->score), .rated_at = time(NULL)};
    for (int i = 0; i < RATING_TAGS; i++) {
        if (form->tags[i])
            snprintf(out->reasons[out->nreasons++], RATING_REASON_MAX, "%s", rating_tag_names[i]);
    }
    snprintf(out->ticket, sizeof out->ticket, "%s", p->token.ticket);
    snprintf(out->room, sizeof out->room, "%s", p->token.room);
}

static const char *rating_error(const struct phone *p, const struct form *f)
{
    bool zh = p->ctx.lang == LANG_ZH;
    if (strlen(f->score) != 1 || f->score[0] < '1' || f->score[0] > '5')
        return zh ? "请选择一个表情" : "Please choose a face";
    if (f->too_long || !typed_text(f->comment) || utf8_length(f->comment) > PAGE_COMMENT_MAX)
        return zh ? "留言最多 500 字" : "The comment can have at most 500 characters";
    return NULL;
}

/* Ratings through a screen's code (no ticket): one per browser and hour (a second replaces
 * it), and at most ratings_per_address an hour from one address. */
static bool within_limits(struct phone *p, int64_t now)
{
    if (p->token.ticket[0])
        return true;
    if (!p->browser[0])
        new_browser_id(p);
    char address[64], key[80];
    request_address(p->r, address, sizeof address);
    snprintf(key, sizeof key, "r:%s", address);
    return limiter_take(p->r->hub->limiter, key, p->r->hub->config->hub.ratings_per_address, now);
}

static enum MHD_Result rate(struct phone *p)
{
    struct form form;
    struct visit v;
    if (!read_form(p->r, &form))
        return problem(p, PROBLEM_BAD_REQUEST);
    read_visit(p, &v);
    const char *error = rating_error(p, &form);
    if (error) {
        struct rating_form f = {.score = atoi(form.score), .error = error};
        memcpy(f.tags, form.tags, sizeof f.tags);
        if (!form.too_long && utf8_valid(form.comment))
            snprintf(f.comment, sizeof f.comment, "%s", form.comment);
        return page(p, 400, page_visit(&p->ctx, &v, &f));
    }
    int64_t now = time(NULL);
    if (!within_limits(p, now))
        return problem(p, PROBLEM_RATE_LIMITED);
    struct rating rating;
    char key[256], *err = NULL;
    make_rating(p, &form, &rating);
    rating_key(p, key, sizeof key, now);
    struct store *store = hub_store(p->r->hub);
    bool ok = store && store_rating_put(store, &rating, RATING_PHONE, "", form.comment, key, now,
                                        NULL, &err);
    hub_store_done(p->r->hub);
    if (!ok)
        LOG_ERR("a phone rating was not kept: %s", err ? err : "no store");
    free(err);
    if (!ok)
        return problem(p, PROBLEM_UNAVAILABLE);
    return page(p, 200, page_thanks(&p->ctx, &v, rating.score));
}

/* /r/{token}, /r/{token}/events */
static enum MHD_Result survey(struct phone *p, const char *rest)
{
    static const char events[] = "/events";
    size_t len = strlen(rest), n = strlen(events);
    bool is_live = len > n && strcmp(rest + len - n, events) == 0;
    int bad = read_token(p, rest, is_live ? len - n : len, TOKEN_SURVEY);
    if (bad >= 0)
        return problem(p, (enum page_problem)bad);
    snprintf(p->path, sizeof p->path, "/r/%s", p->token_text);
    if (is_live)
        return live(p);
    return strcmp(p->r->method, MHD_HTTP_METHOD_POST) == 0 ? rate(p) : visit_page(p);
}

/* Expands {visit}, {date} and {lang} in the results portal's template, URL-encoded. */
static char *portal_url(const struct phone *p, const char *template)
{
    char date[16], *out = NULL;
    size_t size = 0;
    time_t issued = (time_t)p->token.issued_at;
    struct tm tm;
    strftime(date, sizeof date, "%Y-%m-%d", localtime_r(&issued, &tm));
    FILE *f = open_memstream(&out, &size);
    if (!f)
        abort();
    for (const char *s = template; *s; s++) {
        const char *value = strncmp(s, "{visit}", 7) == 0  ? p->token.ticket
                            : strncmp(s, "{date}", 6) == 0 ? date
                            : strncmp(s, "{lang}", 6) == 0 ? (p->ctx.lang == LANG_EN ? "en" : "zh")
                                                           : NULL;
        if (!value) {
            fputc(*s, f);
            continue;
        }
        for (const char *c = value; *c; c++) {
            if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~", *c))
                fputc(*c, f);
            else
                fprintf(f, "%%%02X", (unsigned char)*c);
        }
        s = strchr(s, '}');
    }
    fclose(f);
    return out;
}

/* /l/{token}: verified, then sent on; a result is never shown here. */
static enum MHD_Result results(struct phone *p, const char *rest)
{
    int bad = read_token(p, rest, strlen(rest), TOKEN_RESULTS);
    if (bad >= 0)
        return problem(p, (enum page_problem)bad);
    const char *portal = p->r->hub->config->web.results_portal;
    if (!portal[0])
        return page(p, 200, page_results_where(&p->ctx));
    char *url = portal_url(p, portal);
    enum MHD_Result result = respond_redirect(p->r->connection, url);
    free(url);
    phone_free(p);
    return result;
}

static enum complaint_error complaint_error(const struct form *f)
{
    const char *text = f->text + strspn(f->text, " \t\r\n");
    if (f->too_long || utf8_length(f->text) > PAGE_COMPLAINT_MAX)
        return COMPLAINT_TOO_LONG;
    if (!text[0] || !typed_text(f->text))
        return COMPLAINT_EMPTY;
    size_t len = strlen(f->phone), digits = 0;
    for (const char *c = f->phone; *c; c++)
        digits += *c >= '0' && *c <= '9';
    if (len && (f->phone[strspn(f->phone, "0123456789+-() ")] || digits < 5))
        return COMPLAINT_BAD_PHONE;
    if (len && !f->consent)
        return COMPLAINT_NEEDS_CONSENT;
    return COMPLAINT_OK;
}

static enum MHD_Result complain(struct phone *p)
{
    struct form form;
    if (!read_form(p->r, &form))
        return problem(p, PROBLEM_BAD_REQUEST);
    /* A code that no longer verifies still lets the complaint through, without its context. */
    if (form.t[0] && read_token(p, form.t, strlen(form.t), TOKEN_SURVEY) >= 0) {
        p->token_text[0] = '\0';
        memset(&p->token, 0, sizeof p->token);
    }
    struct complaint_form f = {.consent = form.consent, .error = complaint_error(&form)};
    snprintf(f.text, sizeof f.text, "%s", form.too_long ? "" : form.text);
    snprintf(f.phone, sizeof f.phone, "%s", form.phone);
    if (f.error != COMPLAINT_OK)
        return page(p, 422, page_complaint(&p->ctx, &f));
    char address[64], key[80];
    request_address(p->r, address, sizeof address);
    snprintf(key, sizeof key, "c:%s", address);
    int64_t now = time(NULL);
    if (!limiter_take(p->r->hub->limiter, key, COMPLAINTS_HOURLY, now))
        return problem(p, PROBLEM_RATE_LIMITED);
    struct complaint *c = xcalloc(1, sizeof *c);
    snprintf(c->text, sizeof c->text, "%s", form.text);
    snprintf(c->phone, sizeof c->phone, "%s", form.consent ? form.phone : "");
    snprintf(c->ticket, sizeof c->ticket, "%s", p->token.ticket);
    snprintf(c->room, sizeof c->room, "%s", p->token.room);
    snprintf(c->device, sizeof c->device, "%s", p->token.device);
    snprintf(c->lang, sizeof c->lang, "%s", p->ctx.lang == LANG_EN ? "en" : "zh");
    char reference[32], *err = NULL;
    struct store *store = hub_store(p->r->hub);
    bool ok = store && store_complaint_add(store, c, now, reference, sizeof reference, &err);
    hub_store_done(p->r->hub);
    bool phone_kept = c->phone[0] != '\0';
    free(c);
    if (!ok) {
        LOG_ERR("a complaint was not kept: %s", err ? err : "no store");
        free(err);
        return problem(p, PROBLEM_UNAVAILABLE);
    }
    LOG_INFO("complaint %s received", reference);
    return page(p, 200,
                page_complaint_done(&p->ctx, reference, p->r->hub->config->hub.complaints_phone,
                                    phone_kept));
}

/* /c: the form, with the code's context when one came along (?t=). */
static enum MHD_Result complaint(struct phone *p)
{
    snprintf(p->path, sizeof p->path, "/c");
    if (strcmp(p->r->method, MHD_HTTP_METHOD_POST) == 0)
        return complain(p);
    const char *t = request_arg(p->r, "t");
    if (t && read_token(p, t, strlen(t), TOKEN_SURVEY) >= 0)
        p->token_text[0] = '\0';
    struct complaint_form f = {0};
    return page(p, 200, page_complaint(&p->ctx, &f));
}

static enum MHD_Result asset(struct request *r, const char *text, const char *type)
{
    struct MHD_Response *response = respond_make(text, RESPOND_ASSET);
    if (response)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, type);
    return respond_queue(r->connection, 200, response);
}

enum MHD_Result phone_handle(struct request *r)
{
    const char *url = r->url, *method = r->method;
    bool get =
        strcmp(method, MHD_HTTP_METHOD_GET) == 0 || strcmp(method, MHD_HTTP_METHOD_HEAD) == 0;
    bool post = strcmp(method, MHD_HTTP_METHOD_POST) == 0;
    if (get && strcmp(url, "/s/hub.css") == 0)
        return asset(r, page_css, "text/css; charset=utf-8");
    if (get && strcmp(url, "/s/hub.js") == 0)
        return asset(r, page_js, "text/javascript; charset=utf-8");
    struct phone p;
    phone_init(&p, r);
    if (!get && !post)
        return problem(&p, PROBLEM_BAD_REQUEST);
    if (strncmp(url, "/r/", 3) == 0)
        return survey(&p, url + 3);
    if (get && strncmp(url, "/l/", 3) == 0)
        return results(&p, url + 3);
    if (strcmp(url, "/c") == 0)
        return complaint(&p);
    return problem(&p, PROBLEM_NOT_FOUND);
}

enum MHD_Result phone_too_large(struct request *r)
{
    struct phone p;
    phone_init(&p, r);
    return problem(&p, PROBLEM_BAD_REQUEST);
}
