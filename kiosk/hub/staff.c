/* staff.c: logging staff in and out, the session every staff page requires, CSRF, the login
 * guard (six wrong passwords slow the seventh), the audit log and the shared page frame. */
#include <inttypes.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/rand.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/mem.h"
#include "hub/hub.h"
#include "hub/password.h"
#include "hub/respond.h"
#include "hub/staff.h"
#include "hub/staff_db.h"
#include "hub/staff_pages.h"

#define LOG_MODULE "staff"
#include "base/log.h"

#define SESSION_COOKIE "staff_session"
#define PRE_COOKIE     "staff_pre" /* the login form's CSRF token, before any session */
#define LANG_COOKIE    "staff_lang"
#define ID_LEN         64 /* hex of 32 random bytes */
#define GUARD_SLOTS    512
#define GUARD_FREE     6     /* wrong passwords allowed before the wait */
#define GUARD_MAX_S    3600  /* the longest wait */
#define GUARD_FORGET_S 86400 /* a key without a failure for this long starts afresh */

/* Failed logins per key ("a:NAME" for an account, "ip:ADDRESS" for an address). */
struct guard_slot {
    char key[96];
    int failures;
    int64_t last;
};

struct staff {
    pthread_mutex_t lock;
    struct guard_slot slots[GUARD_SLOTS];
};

const char *staff_role_name(enum staff_role role)
{
    static const char *const names[] = {"quality", "facilities", "admin"};
    return names[role];
}

bool staff_role_parse(const char *name, enum staff_role *out)
{
    for (int i = STAFF_QUALITY; name && i <= STAFF_ADMIN; i++) {
        if (strcmp(name, staff_role_name((enum staff_role)i)) == 0) {
            *out = (enum staff_role)i;
            return true;
        }
    }
    return false;
}

bool staff_role_may(enum staff_role role, enum staff_role need)
{
    return role == STAFF_ADMIN || role == need;
}

struct staff *staff_create(void)
{
    struct staff *staff = xcalloc(1, sizeof *staff);
    pthread_mutex_init(&staff->lock, NULL);
    return staff;
}

void staff_destroy(struct staff *staff)
{
    if (!staff)
        return;
    pthread_mutex_destroy(&staff->lock);
    free(staff);
}

/* ---- small helpers ---- */

const char *staff_t(const struct staff_session *s, const char *zh, const char *en)
{
    return s && s->lang == LANG_EN ? en : zh;
}

void staff_html_escape(FILE *f, const char *text)
{
    for (; text && *text; text++) {
        switch (*text) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*text, f);
        }
    }
}

static void random_hex(char *out, size_t chars)
{
    unsigned char bytes[64];
    if (chars / 2 > sizeof bytes || RAND_bytes(bytes, (int)(chars / 2)) != 1)
        abort();
    for (size_t i = 0; i < chars / 2; i++)
        snprintf(out + (size_t)2 * i, 3, "%02x", bytes[i]);
}

/* The SHA-256 of a session cookie, in hex: what the database keeps instead of the cookie. */
static void id_hash(const char *id, char out[65])
{
    unsigned char digest[32];
    unsigned int len = 0;
    if (EVP_Digest(id, strlen(id), digest, &len, EVP_sha256(), NULL) != 1)
        abort();
    for (unsigned i = 0; i < 32; i++)
        snprintf(out + (size_t)2 * i, 3, "%02x", digest[i]);
}

static const char *cookie(const struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_COOKIE_KIND, name);
}

static bool hex_id(const char *s)
{
    return s && strlen(s) == ID_LEN && strspn(s, "0123456789abcdef") == ID_LEN;
}

/* Served over HTTPS, by the hub itself or by the proxy in front of it. */
static bool secure(const struct request *r)
{
    const char *proto = request_header(r, "X-Forwarded-Proto");
    return r->hub->config->hub.tls_cert[0] || (proto && strcmp(proto, "https") == 0);
}

/* A Set-Cookie value for the staff pages only: HttpOnly, SameSite=Strict, Secure on HTTPS. */
static char *make_cookie(const struct request *r, const char *name, const char *value, int max_age)
{
    return xasprintf("%s=%s; Path=/staff/; Max-Age=%d; HttpOnly; SameSite=Strict%s", name, value,
                     max_age, secure(r) ? "; Secure" : "");
}

static enum lang choose_lang(const struct request *r);

/* A session's page context before (or without) an account: language and hospital. */
static struct staff_session anonymous(const struct request *r)
{
    const struct config *c = r->hub->config;
    struct staff_session s = {.lang = choose_lang(r),
                              .hospital_zh = c->display.hospital_zh,
                              .hospital_en = c->display.hospital_en};
    request_address(r, s.address, sizeof s.address);
    return s;
}

static enum lang choose_lang(const struct request *r)
{
    const char *kept = cookie(r, LANG_COOKIE);
    if (kept && (strcmp(kept, "zh") == 0 || strcmp(kept, "en") == 0))
        return kept[0] == 'e' ? LANG_EN : LANG_ZH;
    const char *accept = request_header(r, MHD_HTTP_HEADER_ACCEPT_LANGUAGE);
    const char *zh = accept ? strcasestr(accept, "zh") : NULL;
    const char *en = accept ? strcasestr(accept, "en") : NULL;
    return en && (!zh || en < zh) ? LANG_EN : LANG_ZH;
}

/* ---- answers ---- */

static enum MHD_Result answer_with(struct request *r, unsigned status, char *html,
                                   const char *location, char **cookies)
{
    struct MHD_Response *response = respond_make(html ? html : "", RESPOND_HTML);
    free(html);
    if (response && location)
        MHD_add_response_header(response, MHD_HTTP_HEADER_LOCATION, location);
    for (int i = 0; cookies && cookies[i]; i++) {
        if (response)
            MHD_add_response_header(response, MHD_HTTP_HEADER_SET_COOKIE, cookies[i]);
        free(cookies[i]);
    }
    return respond_queue(r->connection, status, response);
}

enum MHD_Result staff_answer(struct request *r, unsigned status, char *html)
{
    return answer_with(r, status, html, NULL, NULL);
}

/* The document around body: used by the frame and by the pages before a login. */
static char *document(const struct staff_session *s, const char *title_zh, const char *title_en,
                      const char *header, const char *body)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    if (!f)
        abort();
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"%s\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<meta name=\"robots\" content=\"noindex\"><title>",
            s->lang == LANG_EN ? "en" : "zh-CN");
    staff_html_escape(f, staff_t(s, title_zh, title_en));
    fputs(" · kiosk-hub</title><link rel=\"stylesheet\" href=\"/staff/s/staff.css\"></head>"
          "<body class=\"staff\">",
          f);
    fputs(header, f);
    fprintf(f, "<main>%s</main></body></html>\n", body);
    fclose(f);
    return out;
}

/* The language switch: a link through /staff/lang, which keeps the choice in a cookie. */
static void lang_switch(FILE *f, const struct staff_session *s, const char *path)
{
    fprintf(f, "<a class=\"lang\" href=\"/staff/lang?set=%s&amp;back=",
            s->lang == LANG_EN ? "zh" : "en");
    /* back is percent-encoded: the page's own query (its filter) comes back with it */
    for (const char *c = path; *c; c++) {
        if (strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~/", *c))
            fputc(*c, f);
        else
            fprintf(f, "%%%02X", (unsigned char)*c);
    }
    fprintf(f, "\">%s</a>", s->lang == LANG_EN ? "中文" : "English");
}

static void hospital(FILE *f, const struct staff_session *s)
{
    const char *zh = s->hospital_zh ? s->hospital_zh : "",
               *en = s->hospital_en ? s->hospital_en : "";
    const char *name = s->lang == LANG_EN && en[0] ? en : zh[0] ? zh : en;
    fputs("<span class=\"hospital\">", f);
    staff_html_escape(f, name[0] ? name : "kiosk-hub");
    fputs("</span>", f);
}

char *staff_frame(const struct staff_session *s, const char *path, const char *title_zh,
                  const char *title_en, char *body)
{
    static const struct {
        const char *path, *zh, *en;
        enum staff_role role;
        const char *also; /* the pages under it, marked as it: a device's under the fleet */
    } pages[] = {
        {"/staff/quality", "满意度", "Satisfaction", STAFF_QUALITY, NULL},
        {"/staff/complaints", "投诉", "Complaints", STAFF_QUALITY, NULL},
        {"/staff/fleet", "设备", "Devices", STAFF_FACILITIES, "/staff/devices/"},
        {"/staff/audit", "审计日志", "Audit log", STAFF_ADMIN, NULL},
    };
    char *header = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&header, &size);
    if (!f)
        abort();
    fputs("<header class=\"bar\"><div class=\"top\">", f);
    hospital(f, s);
    fputs("<span class=\"who\">", f);
    staff_html_escape(f, s->name);
    fprintf(f, " · %s</span>", staff_role_name(s->role));
    lang_switch(f, s, path);
    fputs("<form method=\"post\" action=\"/staff/logout\" class=\"logout\">", f);
    fprintf(f, "<input type=\"hidden\" name=\"csrf\" value=\"%s\">", s->csrf);
    fprintf(f, "<button type=\"submit\">%s</button></form></div><nav>",
            staff_t(s, "退出", "Log out"));
    for (size_t i = 0; i < sizeof pages / sizeof pages[0]; i++) {
        if (!staff_role_may(s->role, pages[i].role))
            continue;
        const char *also = pages[i].also;
        bool here = strncmp(path, pages[i].path, strlen(pages[i].path)) == 0 ||
                    (also && strncmp(path, also, strlen(also)) == 0);
        fprintf(f, "<a href=\"%s\"%s>%s</a>", pages[i].path, here ? " aria-current=\"page\"" : "",
                staff_t(s, pages[i].zh, pages[i].en));
    }
    fputs("</nav></header>", f);
    fclose(f);
    char *html = document(s, title_zh, title_en, header, body ? body : "");
    free(header);
    free(body);
    return html;
}

enum MHD_Result staff_refuse(struct request *r, const struct staff_session *s, unsigned status,
                             const char *zh, const char *en)
{
    struct staff_session anon = anonymous(r);
    const struct staff_session *who = s ? s : &anon;
    char *body = xasprintf("<section class=\"problem\" role=\"alert\"><h1>%s</h1><p>%s</p>"
                           "<p><a href=\"/staff/\">%s</a></p></section>",
                           zh, en, staff_t(who, "返回", "Back"));
    char *html;
    if (s && s->name[0]) {
        html = staff_frame(s, "", zh, en, body); /* frees body */
    } else {
        html = document(who, zh, en, "", body);
        free(body);
    }
    return staff_answer(r, status, html);
}

char *staff_csrf_input(const struct staff_session *s)
{
    return xasprintf("<input type=\"hidden\" name=\"csrf\" value=\"%s\">", s->csrf);
}

/* ---- forms ---- */

struct form_state {
    struct staff_field *fields;
    size_t n;
    bool bad;
};

static enum MHD_Result on_field(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *filename, const char *content_type,
                                const char *encoding, const char *data, uint64_t off, size_t size)
{
    (void)kind, (void)filename, (void)content_type, (void)encoding;
    struct form_state *st = cls;
    if (!key)
        return MHD_YES;
    if (!data)
        data = "", size = 0;
    for (size_t i = 0; i < st->n; i++) {
        struct staff_field *field = &st->fields[i];
        if (strcmp(key, field->name) != 0)
            continue;
        if (off + size >= field->size || memchr(data, '\0', size)) {
            st->bad = true;
        } else {
            memcpy(field->buffer + off, data, size);
            field->buffer[off + size] = '\0';
        }
    }
    return MHD_YES;
}

bool staff_form_read(struct request *r, struct staff_field *fields, size_t n)
{
    struct form_state st = {.fields = fields, .n = n};
    for (size_t i = 0; i < n; i++)
        fields[i].buffer[0] = '\0';
    struct MHD_PostProcessor *pp = MHD_create_post_processor(r->connection, 4096, on_field, &st);
    if (!pp)
        return false;
    bool ok = MHD_post_process(pp, r->body, r->len) == MHD_YES;
    return MHD_destroy_post_processor(pp) == MHD_YES && ok && !st.bad;
}

/* A browser says when a request was started by another site: such a POST is refused even
 * with a token (defence in depth beside SameSite=Strict). */
static bool same_site(const struct request *r)
{
    const char *site = request_header(r, "Sec-Fetch-Site");
    return !site || strcmp(site, "same-origin") == 0 || strcmp(site, "none") == 0;
}

static bool tokens_equal(const char *a, const char *b)
{
    return a && b && strlen(a) == STAFF_CSRF_LEN && strlen(b) == STAFF_CSRF_LEN &&
           CRYPTO_memcmp(a, b, STAFF_CSRF_LEN) == 0;
}

bool staff_csrf_ok(const struct request *r, const struct staff_session *s, const char *posted)
{
    return same_site(r) && tokens_equal(s->csrf, posted);
}

/* ---- audit ---- */

void staff_audit(struct request *r, const struct staff_session *s, const char *name,
                 const char *action, const char *detail)
{
    char address[64], *err = NULL;
    request_address(r, address, sizeof address);
    struct store *store = hub_store(r->hub);
    bool ok = store && staff_db_audit(store, time(NULL), s ? s->name : name, address, action,
                                      detail ? detail : "", &err);
    hub_store_done(r->hub);
    if (!ok)
        LOG_ERR("audit log: %s", err ? err : "no store");
    free(err);
}

/* ---- sessions ---- */

/* The live session the request's cookie names, into *s; false when there is none. */
static bool session_read(struct request *r, struct staff_session *s)
{
    *s = anonymous(r);
    const char *id = cookie(r, SESSION_COOKIE);
    char hash[65], *err = NULL;
    if (!hex_id(id))
        return false;
    id_hash(id, hash);
    struct store *store = hub_store(r->hub);
    bool found = store && staff_db_session_get(store, hash, time(NULL), s, &err);
    hub_store_done(r->hub);
    if (err)
        LOG_ERR("%s", err);
    free(err);
    if (!found)
        s->name[0] = '\0';
    return found;
}

bool staff_require(struct request *r, enum staff_role need, struct staff_session *s,
                   enum MHD_Result *answer)
{
    if (!session_read(r, s)) {
        *answer = answer_with(r, MHD_HTTP_SEE_OTHER, NULL, "/staff/login", NULL);
        return false;
    }
    if (!staff_role_may(s->role, need)) {
        *answer = staff_refuse(r, s, MHD_HTTP_FORBIDDEN, "此账号无权查看此页面",
                               "This account may not open this page");
        return false;
    }
    return true;
}

/* ---- the login guard ---- */

static struct guard_slot *guard_find(struct staff *g, const char *key, int64_t now, bool make)
{
    struct guard_slot *oldest = &g->slots[0];
    for (int i = 0; i < GUARD_SLOTS; i++) {
        struct guard_slot *slot = &g->slots[i];
        if (slot->key[0] && now - slot->last > GUARD_FORGET_S)
            slot->key[0] = '\0';
        if (slot->key[0] && strcmp(slot->key, key) == 0)
            return slot;
        if (!slot->key[0] || slot->last < oldest->last)
            oldest = slot;
    }
    if (!make)
        return NULL;
    *oldest = (struct guard_slot){0};
    snprintf(oldest->key, sizeof oldest->key, "%s", key);
    return oldest;
}

/* Seconds key must still wait before its next try; 0 when it may try now. */
static int64_t guard_wait(const struct guard_slot *slot, int delay_s, int64_t now)
{
    if (!slot || slot->failures < GUARD_FREE)
        return 0;
    int64_t wait = delay_s;
    for (int i = GUARD_FREE; i < slot->failures && wait < GUARD_MAX_S; i++)
        wait *= 2;
    wait = wait > GUARD_MAX_S ? GUARD_MAX_S : wait;
    return slot->last + wait > now ? slot->last + wait - now : 0;
}

/* How long this login must wait (the longer of its account's and its address's); 0: go. */
static int64_t guard_check(struct hub *hub, const char *account_key, const char *address_key,
                           int64_t now)
{
    struct staff *g = hub->staff;
    int delay = hub->config->staff.login_delay_s;
    pthread_mutex_lock(&g->lock);
    int64_t a = guard_wait(guard_find(g, account_key, now, false), delay, now);
    int64_t b = guard_wait(guard_find(g, address_key, now, false), delay, now);
    pthread_mutex_unlock(&g->lock);
    return a > b ? a : b;
}

static void guard_note(struct hub *hub, const char *account_key, const char *address_key,
                       bool failed, int64_t now)
{
    struct staff *g = hub->staff;
    pthread_mutex_lock(&g->lock);
    const char *keys[] = {account_key, address_key};
    for (int i = 0; i < 2; i++) {
        struct guard_slot *slot = guard_find(g, keys[i], now, failed);
        if (slot && failed) {
            slot->failures++;
            slot->last = now;
        } else if (slot) {
            slot->key[0] = '\0';
        }
    }
    pthread_mutex_unlock(&g->lock);
}

/* ---- login and logout ---- */

static char *login_body(const struct staff_session *s, const char *pre, const char *name,
                        const char *error)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    if (!f)
        abort();
    fprintf(f, "<section class=\"login\"><h1>%s</h1>", staff_t(s, "工作人员登录", "Staff login"));
    if (error) {
        fputs("<p class=\"error\" role=\"alert\">", f);
        staff_html_escape(f, error);
        fputs("</p>", f);
    }
    fprintf(f,
            "<form method=\"post\" action=\"/staff/login\" id=\"login\">"
            "<input type=\"hidden\" name=\"csrf\" value=\"%s\">"
            "<label>%s<input name=\"name\" autocomplete=\"username\" required maxlength=\"%d\" "
            "value=\"",
            pre, staff_t(s, "账号", "Account"), STAFF_NAME_MAX);
    staff_html_escape(f, name);
    fprintf(f,
            "\"></label><label>%s<input type=\"password\" name=\"password\" "
            "autocomplete=\"current-password\" required></label>"
            "<button type=\"submit\">%s</button></form></section>",
            staff_t(s, "密码", "Password"), staff_t(s, "登录", "Log in"));
    fclose(f);
    return out;
}

static char *login_header(const struct staff_session *s)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    if (!f)
        abort();
    fputs("<header class=\"bar\"><div class=\"top\">", f);
    hospital(f, s);
    lang_switch(f, s, "/staff/login");
    fputs("</div></header>", f);
    fclose(f);
    return out;
}

/* The login page, with a fresh pre-session token in its cookie and form. */
static enum MHD_Result login_page(struct request *r, unsigned status, const char *name,
                                  const char *error)
{
    struct staff_session s = anonymous(r);
    char pre[ID_LEN + 1];
    random_hex(pre, ID_LEN);
    char *body = login_body(&s, pre, name, error), *header = login_header(&s);
    char *html = document(&s, "工作人员登录", "Staff login", header, body);
    free(body);
    free(header);
    char *cookies[] = {make_cookie(r, PRE_COOKIE, pre, 3600), NULL};
    return answer_with(r, status, html, NULL, cookies);
}

static const char *landing(enum staff_role role)
{
    return role == STAFF_FACILITIES ? "/staff/fleet" : "/staff/quality";
}

static enum MHD_Result login(struct request *r)
{
    char name[STAFF_NAME_MAX + 1], password[PASSWORD_MAX + 1], csrf[STAFF_CSRF_LEN + 1];
    struct staff_field fields[] = {{"name", name, sizeof name},
                                   {"password", password, sizeof password},
                                   {"csrf", csrf, sizeof csrf}};
    struct staff_session s = anonymous(r);
    if (!staff_form_read(r, fields, 3))
        return login_page(r, 400, "", staff_t(&s, "无法读取表单", "The form could not be read"));
    if (!same_site(r) || !tokens_equal(cookie(r, PRE_COOKIE), csrf)) {
        OPENSSL_cleanse(password, sizeof password);
        return login_page(
            r, 403, name,
            staff_t(&s, "表单已过期，请再试一次", "The form expired: please try again"));
    }
    char address[64], account_key[96], address_key[96];
    request_address(r, address, sizeof address);
    snprintf(account_key, sizeof account_key, "a:%s", name);
    snprintf(address_key, sizeof address_key, "ip:%s", address);
    int64_t now = time(NULL);
    int64_t wait = guard_check(r->hub, account_key, address_key, now);
    if (wait > 0) {
        OPENSSL_cleanse(password, sizeof password);
        staff_audit(r, NULL, name, "login_refused", "too many wrong passwords");
        char *text = s.lang == LANG_EN
                         ? xasprintf("Too many wrong passwords: try again in %" PRId64 " s", wait)
                         : xasprintf("密码错误次数过多，请 %" PRId64 " 秒后再试", wait);
        enum MHD_Result result = login_page(r, MHD_HTTP_TOO_MANY_REQUESTS, name, text);
        free(text);
        return result;
    }
    enum staff_role role = STAFF_QUALITY;
    char hash[PASSWORD_HASH_MAX], *err = NULL;
    struct store *store = hub_store(r->hub);
    bool known = store && staff_db_user_get(store, name, &role, hash, sizeof hash, &err);
    hub_store_done(r->hub);
    if (err) {
        LOG_ERR("login: %s", err);
        free(err);
        return staff_refuse(r, NULL, 503, "暂时无法登录", "Logging in is not possible right now");
    }
    /* An unknown account costs the same scrypt as a known one: the time says nothing. */
    static const char unknown[] = "$scrypt$ln=15,r=8,p=3$AAAAAAAAAAAAAAAAAAAAAA==$"
                                  "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=";
    bool ok = password_verify(password, known ? hash : unknown) && known;
    OPENSSL_cleanse(password, sizeof password);
    guard_note(r->hub, account_key, address_key, !ok, now);
    if (!ok) {
        staff_audit(r, NULL, name, "login_failed", known ? "wrong password" : "unknown account");
        return login_page(r, MHD_HTTP_UNAUTHORIZED, name,
                          staff_t(&s, "账号或密码不正确", "Wrong account or password"));
    }
    char id[ID_LEN + 1], idh[65];
    char csrf_new[STAFF_CSRF_LEN + 1];
    random_hex(id, ID_LEN);
    random_hex(csrf_new, STAFF_CSRF_LEN);
    id_hash(id, idh);
    int minutes = r->hub->config->staff.session_minutes;
    store = hub_store(r->hub);
    ok = store && staff_db_session_add(store, idh, name, csrf_new, now, now + 60LL * minutes, &err);
    hub_store_done(r->hub);
    if (!ok) {
        LOG_ERR("login: %s", err ? err : "no store");
        free(err);
        return staff_refuse(r, NULL, 503, "暂时无法登录", "Logging in is not possible right now");
    }
    staff_audit(r, NULL, name, "login", staff_role_name(role));
    char *cookies[] = {make_cookie(r, SESSION_COOKIE, id, minutes * 60),
                       make_cookie(r, PRE_COOKIE, "", 0), NULL};
    return answer_with(r, MHD_HTTP_SEE_OTHER, NULL, landing(role), cookies);
}

static enum MHD_Result logout(struct request *r)
{
    struct staff_session s;
    if (!session_read(r, &s))
        return answer_with(r, MHD_HTTP_SEE_OTHER, NULL, "/staff/login", NULL);
    char csrf[STAFF_CSRF_LEN + 1];
    struct staff_field fields[] = {{"csrf", csrf, sizeof csrf}};
    if (!staff_form_read(r, fields, 1) || !staff_csrf_ok(r, &s, csrf))
        return staff_refuse(r, &s, MHD_HTTP_FORBIDDEN, "表单已过期", "The form expired");
    char hash[65], *err = NULL;
    id_hash(cookie(r, SESSION_COOKIE), hash);
    struct store *store = hub_store(r->hub);
    if (store && !staff_db_session_remove(store, hash, &err))
        LOG_ERR("logout: %s", err);
    hub_store_done(r->hub);
    free(err);
    staff_audit(r, &s, NULL, "logout", "");
    char *cookies[] = {make_cookie(r, SESSION_COOKIE, "", 0), NULL};
    return answer_with(r, MHD_HTTP_SEE_OTHER, NULL, "/staff/login", cookies);
}

/* /staff/lang?set=en&back=/staff/...: keeps the choice, then back to the page. */
static enum MHD_Result set_lang(struct request *r)
{
    const char *set = request_arg(r, "set"), *back = request_arg(r, "back");
    if (!back || strncmp(back, "/staff/", 7) != 0 || strstr(back, "//") || strchr(back, '\\') ||
        back[strcspn(back, "\r\n")])
        back = "/staff/";
    bool en = set && strcmp(set, "en") == 0;
    char *cookies[] = {make_cookie(r, LANG_COOKIE, en ? "en" : "zh", 31536000), NULL};
    return answer_with(r, MHD_HTTP_SEE_OTHER, NULL, back, cookies);
}

static enum MHD_Result home(struct request *r)
{
    struct staff_session s;
    bool in = session_read(r, &s);
    return answer_with(r, MHD_HTTP_SEE_OTHER, NULL, in ? landing(s.role) : "/staff/login", NULL);
}

static enum MHD_Result stylesheet(struct request *r)
{
    struct MHD_Response *response = respond_make(staff_css, RESPOND_ASSET);
    if (response)
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE, "text/css; charset=utf-8");
    return respond_queue(r->connection, 200, response);
}

enum MHD_Result staff_handle(struct request *r)
{
    const char *url = r->url;
    bool get =
        strcmp(r->method, MHD_HTTP_METHOD_GET) == 0 || strcmp(r->method, MHD_HTTP_METHOD_HEAD) == 0;
    bool post = strcmp(r->method, MHD_HTTP_METHOD_POST) == 0;
    if (get && strcmp(url, "/staff/s/staff.css") == 0)
        return stylesheet(r);
    if (!get && !post)
        return staff_refuse(r, NULL, MHD_HTTP_METHOD_NOT_ALLOWED, "不支持此请求",
                            "This request is not supported");
    if (strcmp(url, "/staff") == 0 || strcmp(url, "/staff/") == 0)
        return home(r);
    if (strcmp(url, "/staff/login") == 0)
        return post ? login(r) : login_page(r, 200, "", NULL);
    if (post && strcmp(url, "/staff/logout") == 0)
        return logout(r);
    if (get && strcmp(url, "/staff/lang") == 0)
        return set_lang(r);
    /* the role gate before any page: a role that may not see a page is refused even where
     * the page's own handler would be missing */
    static const struct {
        const char *prefix;
        enum staff_role role;
    } gates[] = {
        {"/staff/quality", STAFF_QUALITY},  {"/staff/complaints", STAFF_QUALITY},
        {"/staff/fleet", STAFF_FACILITIES}, {"/staff/devices", STAFF_FACILITIES},
        {"/staff/audit", STAFF_ADMIN},
    };
    for (size_t i = 0; i < sizeof gates / sizeof gates[0]; i++) {
        size_t n = strlen(gates[i].prefix);
        struct staff_session s;
        enum MHD_Result answer;
        if (strncmp(url, gates[i].prefix, n) == 0 && strchr("/.", url[n]) &&
            !staff_require(r, gates[i].role, &s, &answer))
            return answer;
    }
    enum MHD_Result result;
    if (staff_pages_handle(r, get, &result))
        return result;
    return staff_refuse(r, NULL, MHD_HTTP_NOT_FOUND, "没有这个页面", "No such page");
}

void staff_prune(struct hub *hub, int64_t now)
{
    char *err = NULL;
    int64_t before = now - 86400LL * hub->config->web.retention_days;
    struct store *store = hub_store(hub);
    int n = store ? staff_db_prune(store, now, before, &err) : 0;
    hub_store_done(hub);
    if (n < 0)
        LOG_ERR("prune: %s", err);
    else if (n > 0)
        LOG_INFO("%d call-back numbers older than %d days removed", n,
                 hub->config->web.retention_days);
    free(err);
}
