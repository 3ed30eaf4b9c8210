/* link.c: tokens into URLs into QR matrices. A link too long for a small code is refused
 * here, at start-up, with what to shorten, rather than shown as a code that will not scan. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qr/link.h"
#include "base/mem.h"

const char *link_template(const struct config *config, enum token_purpose purpose)
{
    return purpose == TOKEN_SURVEY ? config->qr.survey_url : config->qr.results_url;
}

static bool copy_field(char *out, size_t size, const char *value, const char *what, char **err)
{
    if (strlen(value) >= size) {
        *err = xasprintf("%s \"%s\" is too long for a token (at most %zu bytes)", what, value,
                         size - 1);
        return false;
    }
    memcpy(out, value, strlen(value) + 1);
    return true;
}

bool link_issue(const struct config *config, const struct token_key *key,
                enum token_purpose purpose, const char *ticket, const char *room, int64_t now,
                struct link *out, char **err)
{
    *err = NULL;
    memset(out, 0, sizeof(*out));
    struct token *t = &out->token;
    int hours =
        purpose == TOKEN_SURVEY ? config->qr.survey_ttl_hours : config->qr.results_ttl_hours;
    t->purpose = purpose;
    t->issued_at = now;
    t->expires_at = now + (int64_t)hours * 3600;
    if (!copy_field(t->device, sizeof(t->device), config->device.id, "device id", err) ||
        !copy_field(t->ticket, sizeof(t->ticket), ticket, "ticket", err) ||
        !copy_field(t->room, sizeof(t->room), room, "room", err))
        return false;
    if (!token_issue(key, t, out->text, sizeof(out->text))) {
        *err = xasprintf("the token's fields are too long together");
        return false;
    }
    const char *template = link_template(config, purpose);
    const char *lang = config->device.language == LANGUAGE_EN ? "en" : "zh";
    if (template[0] &&
        !token_url(template, out->text, t->device, t->ticket, lang, out->url, sizeof(out->url))) {
        *err = xasprintf("[qr] %s_url is too long once filled in", token_purpose_name(purpose));
        return false;
    }
    return true;
}

struct qr *link_qr(const struct link *link, char **err)
{
    struct qr *qr = qr_encode(link->url, err);
    if (qr && qr->version > LINK_QR_VERSION_MAX) {
        *err = xasprintf("[qr] %s_url: the link %s is %zu bytes and needs a version %d QR code; "
                         "at most version %d scans reliably: shorten the URL or the ids in it",
                         token_purpose_name(link->token.purpose), link->url, strlen(link->url),
                         qr->version, LINK_QR_VERSION_MAX);
        qr_destroy(qr);
        return NULL;
    }
    return qr;
}
