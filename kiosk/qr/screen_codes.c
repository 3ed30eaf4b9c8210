/* screen_codes.c: issuing, encoding and renewing the call screen's codes. A code is renewed
 * at half its life so a patient never scans one that expires on the way to the web page. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "qr/screen_codes.h"

#define LOG_MODULE "qr"
#include "base/log.h"

struct screen_codes {
    const struct config *config;
    struct token_key key;
    int count;
    struct screen_code codes[2]; /* survey first */
    int64_t issued_at;
};

/* Issues every code at now into fresh[]; on failure nothing is kept. */
static bool issue_all(struct screen_codes *c, int64_t now, struct screen_code *fresh, char **err)
{
    const enum token_purpose purposes[] = {TOKEN_SURVEY, TOKEN_RESULTS};
    int n = 0;
    for (int i = 0; i < 2; i++) {
        if (!link_template(c->config, purposes[i])[0])
            continue;
        struct screen_code *code = &fresh[n];
        if (!link_issue(c->config, &c->key, purposes[i], "", c->config->display.room, now,
                        &code->link, err) ||
            !(code->qr = link_qr(&code->link, err))) {
            for (int j = 0; j < n; j++)
                qr_destroy(fresh[j].qr);
            return false;
        }
        n++;
    }
    return true;
}

static void replace(struct screen_codes *c, const struct screen_code *fresh, int64_t now)
{
    for (int i = 0; i < c->count; i++) {
        qr_destroy(c->codes[i].qr);
        c->codes[i] = fresh[i];
    }
    c->issued_at = now;
}

struct screen_codes *screen_codes_create(const struct config *config, int64_t now, char **err)
{
    *err = NULL;
    struct screen_codes *c = xcalloc(1, sizeof(*c));
    c->config = config;
    c->count = (config->qr.survey_url[0] != 0) + (config->qr.results_url[0] != 0);
    if (c->count == 0)
        return c;
    struct screen_code fresh[2] = {0};
    if (!token_key_load(config->qr.key_file, &c->key, err) || !issue_all(c, now, fresh, err)) {
        c->count = 0;
        screen_codes_destroy(c);
        return NULL;
    }
    replace(c, fresh, now);
    for (int i = 0; i < c->count; i++)
        LOG_INFO("%s code for %s%s%s: QR version %d, %s",
                 token_purpose_name(c->codes[i].link.token.purpose), config->device.id,
                 config->display.room[0] ? " room " : "", config->display.room,
                 c->codes[i].qr->version, c->codes[i].link.url);
    return c;
}

void screen_codes_destroy(struct screen_codes *c)
{
    if (!c)
        return;
    for (int i = 0; i < c->count; i++)
        qr_destroy(c->codes[i].qr);
    memset(&c->key, 0, sizeof(c->key));
    free(c);
}

/* When the codes are next renewed (unix seconds). */
static int64_t renewal_due(const struct screen_codes *c)
{
    int hours = c->config->qr.survey_ttl_hours;
    if (c->config->qr.results_url[0] && c->config->qr.results_ttl_hours < hours)
        hours = c->config->qr.results_ttl_hours;
    return c->issued_at + (int64_t)hours * 3600 / 2;
}

bool screen_codes_refresh(struct screen_codes *c, int64_t now)
{
    if (!c || c->count == 0 || (now >= c->issued_at && now < renewal_due(c)))
        return false;
    struct screen_code fresh[2] = {0};
    char *err = NULL;
    if (!issue_all(c, now, fresh, &err)) {
        /* Cannot happen with the same config that issued them at start; keep what works. */
        LOG_ERR("renewing the screen's codes: %s", err);
        free(err);
        return false;
    }
    replace(c, fresh, now);
    LOG_INFO("codes renewed");
    return true;
}

int screen_codes_count(const struct screen_codes *c)
{
    return c ? c->count : 0;
}

const struct screen_code *screen_codes_get(const struct screen_codes *c, int i)
{
    return &c->codes[i];
}

bool screen_codes_ticket_link(const struct screen_codes *c, enum token_purpose purpose,
                              const char *ticket, int64_t now, struct link *out, char **err)
{
    *err = NULL;
    if (!c || c->count == 0 || !link_template(c->config, purpose)[0]) {
        *err = xasprintf("no %s_url is configured", token_purpose_name(purpose));
        return false;
    }
    return link_issue(c->config, &c->key, purpose, ticket, c->config->display.room, now, out, err);
}

enum token_status screen_codes_verify(const struct screen_codes *c, const char *token_or_url,
                                      int64_t now, struct token *out)
{
    if (!c || c->count == 0)
        return TOKEN_BAD_SIGNATURE; /* an empty key would accept tokens anyone can make */
    return token_verify(&c->key, token_or_url, now, out);
}

/* What a typed or scanned visit number may hold. */
#define VISIT_CHARS "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz-"

bool screen_codes_visit(const struct screen_codes *c, const char *code, int64_t now, char *visit,
                        size_t size)
{
    struct token t;
    if (screen_codes_verify(c, code, now, &t) == TOKEN_VALID && t.ticket[0]) {
        snprintf(visit, size, "%s", t.ticket);
        return true;
    }
    size_t n = strlen(code);
    if (n == 0 || n >= size || n >= MODEL_TICKET_MAX || strspn(code, VISIT_CHARS) != n)
        return false;
    snprintf(visit, size, "%s", code);
    return true;
}
