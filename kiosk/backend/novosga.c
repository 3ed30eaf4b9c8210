/* novosga.c: Novo SGA's panel rows and OAuth2 token answers turned into the queue model.
 * Each panel row is one call; a recall is a new row for the same ticket and counter, which
 * is folded back into the call it repeats. */
#include <cjson/cJSON.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/mem.h"
#include "base/utf8.h"
#include "backend/adapters.h"
#include "backend/json_body.h"

#define ROW_ID_MAX     9007199254740992LL /* 2^53: where JSON numbers stop being exact */
#define TICKET_NUM_MAX 999999999
#define COUNTER_MAX    32767 /* numeroLocal is a SMALLINT */
#define EXPIRES_MAX    (10LL * 366 * 24 * 3600)

/* The newest row id already turned into calls is kept in model.memory: a recall row must
 * count once, on the poll it appears. */

struct row {
    int64_t id;
    char ticket[MODEL_TICKET_MAX];
    const char *local;
    int counter;
    char room_id[MODEL_ID_MAX];
    char room_name[MODEL_NAME_MAX];
    char patient[MODEL_NAME_MAX];
    char service[MODEL_NAME_MAX];
    enum priority priority;
    char priority_name[MODEL_NAME_MAX];
};

/* A whole number in [min, max]. */
static bool get_int(const cJSON *obj, const char *key, int64_t min, int64_t max, int64_t *out)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsNumber(item))
        return false;
    double v = item->valuedouble;
    if (!(v >= (double)min && v <= (double)max) || (double)(int64_t)v != v)
        return false;
    *out = (int64_t)v;
    return true;
}

/* Names are cut by whole characters rather than refused: Novo SGA allows a patient 100
 * characters, a service 50 and a priority 64 (150 and more bytes in Chinese), and one long
 * name must not blank the panel. */
static bool get_name(const cJSON *obj, const char *key, char *dst, size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    dst[0] = 0;
    if (!item || cJSON_IsNull(item))
        return true;
    if (!cJSON_IsString(item) || !json_text_ok(item->valuestring))
        return false;
    utf8_copy(dst, size, item->valuestring);
    return true;
}

static const char *get_string(const cJSON *obj, const char *key)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    return cJSON_IsString(item) && json_text_ok(item->valuestring) ? item->valuestring : NULL;
}

/* Latin-1 letters folded to their base letter, so "URGÊNCIA" reads as "urgencia". */
static const char latin1_fold[] =
    "aaaaaaaceeeeiiiidnooooo ouuuuytsaaaaaaaceeeeiiiidnooooo ouuuuyty";

/* s with ASCII lower-cased and Latin-1 letters folded to their base letter; every other
 * character (急诊) kept as it is. */
static void fold(const char *s, char *out, size_t size)
{
    out[0] = 0;
    for (uint32_t cp; (cp = utf8_next(&s)) != 0;) {
        if (cp >= 'A' && cp <= 'Z')
            cp += 'a' - 'A';
        else if (cp >= 0xC0 && cp <= 0xFF)
            cp = (unsigned char)latin1_fold[cp - 0xC0];
        if (!utf8_append(out, size, cp))
            return;
    }
}

static bool is_letter(char c)
{
    return c >= 'a' && c <= 'z';
}

/* True when one of list's comma-separated names is in name where a word may start: "urgent"
 * in "Prioridade urgente" but not "urgen" in "Cirurgia"; "急诊" anywhere in "儿科急诊", since
 * Chinese puts no spaces between words. Case and Latin accents are ignored. */
static bool name_listed(const char *name, const char *list)
{
    char folded[MODEL_TEXT_MAX * 2], copy[512], want[512];
    fold(name, folded, sizeof(folded));
    snprintf(copy, sizeof(copy), "%s", list);
    char *rest = copy;
    for (char *item; (item = utf8_field(&rest, ',')) != NULL;) {
        fold(item, want, sizeof(want));
        if (!want[0])
            continue;
        for (const char *at = strstr(folded, want); at; at = strstr(at + 1, want)) {
            if (at == folded || !is_letter(at[-1]))
                return true;
        }
    }
    return false;
}

/* Ticket from either serialization: "senha" as given, or sigla + number padded to 3. */
static bool row_ticket(const cJSON *item, struct row *r, char **err)
{
    const cJSON *senha = cJSON_GetObjectItemCaseSensitive(item, "senha");
    if (senha && !cJSON_IsNull(senha)) {
        if (!cJSON_IsString(senha) || !json_text_ok(senha->valuestring) || !senha->valuestring[0]) {
            *err = xasprintf("row %" PRId64 ": senha is not a non-empty UTF-8 string", r->id);
            return false;
        }
        if (strlen(senha->valuestring) >= sizeof(r->ticket)) {
            *err =
                xasprintf("row %" PRId64 ": senha is over %zu bytes", r->id, sizeof(r->ticket) - 1);
            return false;
        }
        strcpy(r->ticket, senha->valuestring);
        return true;
    }
    const char *sigla = get_string(item, "siglaSenha");
    int64_t number;
    if (!sigla || !get_int(item, "numeroSenha", 0, TICKET_NUM_MAX, &number)) {
        *err = xasprintf("row %" PRId64 ": needs senha, or siglaSenha (text) and numeroSenha "
                         "(0..%d)",
                         r->id, TICKET_NUM_MAX);
        return false;
    }
    char ticket[64];
    snprintf(ticket, sizeof(ticket), "%.40s%03" PRId64, sigla, number);
    if (strlen(sigla) > 40 || strlen(ticket) >= sizeof(r->ticket)) {
        *err = xasprintf("row %" PRId64 ": ticket %s%03" PRId64 " is over %zu bytes", r->id, sigla,
                         number, sizeof(r->ticket) - 1);
        return false;
    }
    strcpy(r->ticket, ticket);
    return true;
}

/* Room id "Guichê 2" (the local cut by whole characters to leave the number whole), shown
 * as "Guichê 02": Novo SGA's own panel pads the counter to two digits. */
static bool row_room(const cJSON *item, struct row *r, char **err)
{
    int64_t counter;
    r->local = get_string(item, "local");
    if (!r->local || !r->local[0] || !get_int(item, "numeroLocal", 0, COUNTER_MAX, &counter)) {
        *err = xasprintf("row %" PRId64 ": needs local (text) and numeroLocal (0..%d)", r->id,
                         COUNTER_MAX);
        return false;
    }
    r->counter = (int)counter;
    int used = snprintf(r->room_name, sizeof(r->room_name), "%s %02d", r->local, r->counter);
    if (used < 0 || (size_t)used >= sizeof(r->room_name)) {
        *err = xasprintf("row %" PRId64 ": local and numeroLocal make over %zu bytes", r->id,
                         sizeof(r->room_name) - 1);
        return false;
    }
    char suffix[16];
    snprintf(suffix, sizeof(suffix), " %d", r->counter);
    utf8_copy(r->room_id, sizeof(r->room_id) - strlen(suffix), r->local);
    strcat(r->room_id, suffix);
    return true;
}

/* peso > 0 is a priority, as Novo SGA's own panel colours it; its kind comes from the site's
 * name for it, matched against the configured lists, emergency first. */
static bool row_priority(const cJSON *item, const struct novosga_names *names, struct row *r,
                         char **err)
{
    int64_t peso;
    char prioridade[MODEL_TEXT_MAX];
    if (!get_int(item, "peso", -32768, 32767, &peso) ||
        !get_name(item, "prioridade", prioridade, sizeof(prioridade))) {
        *err =
            xasprintf("row %" PRId64 ": needs peso (a whole number) and prioridade (text)", r->id);
        return false;
    }
    if (peso <= 0)
        return true;
    utf8_copy(r->priority_name, sizeof(r->priority_name), prioridade);
    r->priority = name_listed(prioridade, names->emergency)     ? PRIORITY_EMERGENCY
                  : name_listed(prioridade, names->appointment) ? PRIORITY_APPOINTMENT
                                                                : PRIORITY_OTHER;
    return true;
}

static bool parse_row(const cJSON *item, const struct novosga_names *names, struct row *r,
                      char **err)
{
    memset(r, 0, sizeof(*r));
    if (!cJSON_IsObject(item) || !get_int(item, "id", 1, ROW_ID_MAX, &r->id)) {
        *err = xasprintf("a panel row is not an object with a positive whole id");
        return false;
    }
    if (!row_ticket(item, r, err) || !row_room(item, r, err) || !row_priority(item, names, r, err))
        return false;
    if (!get_name(item, "nomeCliente", r->patient, sizeof(r->patient))) {
        *err = xasprintf("row %" PRId64 ": nomeCliente is not UTF-8 text", r->id);
        return false;
    }
    const cJSON *servico = cJSON_GetObjectItemCaseSensitive(item, "servico");
    if (servico && !cJSON_IsNull(servico) &&
        (!cJSON_IsObject(servico) || !get_name(servico, "nome", r->service, sizeof(r->service)))) {
        *err = xasprintf("row %" PRId64 ": servico is not an object with a UTF-8 nome", r->id);
        return false;
    }
    return true;
}

/* Validates every row; keeps the newest MODEL_CALLS_MAX (the panel sends 10). */
static bool parse_rows(const cJSON *root, const struct novosga_names *names, struct row *rows,
                       int *nrows, int64_t *max_id, char **err)
{
    if (!cJSON_IsArray(root)) {
        *err = xasprintf("response is not a JSON array of panel rows");
        return false;
    }
    *nrows = 0;
    *max_id = 0;
    for (const cJSON *item = root->child; item; item = item->next) {
        struct row r;
        if (!parse_row(item, names, &r, err))
            return false;
        *max_id = r.id > *max_id ? r.id : *max_id;
        if (*nrows == MODEL_CALLS_MAX)
            continue;
        for (int i = 0; i < *nrows; i++) {
            if (rows[i].id == r.id) {
                *err = xasprintf("row %" PRId64 " is listed twice", r.id);
                return false;
            }
        }
        rows[(*nrows)++] = r;
    }
    return true;
}

/* The newest row id previous turned into calls. A previous without our mark (made by
 * something else) gives the newest row its call ids name: a recall row newer than that is
 * then counted once more, on this poll only. */
static int64_t last_row_seen(const struct model *previous)
{
    if (previous->memory.valid)
        return previous->memory.last_row;
    int64_t seen = 0;
    for (int i = 0; i < previous->ncalls; i++) {
        if (strncmp(previous->calls[i].id, "sga-", 4) == 0) {
            int64_t id = strtoll(previous->calls[i].id + 4, NULL, 10);
            seen = id > seen ? id : seen;
        }
    }
    return seen;
}

static int find_id(const struct call *calls, int n, const char *id)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(calls[i].id, id) == 0)
            return i;
    }
    return -1;
}

/* The newest call for ticket, if it was made in room (any room when room is NULL). */
static const struct call *newest_for(const struct call *calls, int n, const char *ticket,
                                     const char *room)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(calls[i].ticket, ticket) == 0)
            return !room || strcmp(calls[i].room_id, room) == 0 ? &calls[i] : NULL;
    }
    return NULL;
}

/* The call a row continues: first among those built from older rows, then previous's. */
static const struct call *chain_for(const struct model *m, const struct model *previous,
                                    const struct row *r)
{
    if (newest_for(m->calls, m->ncalls, r->ticket, NULL))
        return newest_for(m->calls, m->ncalls, r->ticket, r->room_id);
    return newest_for(previous->calls, previous->ncalls, r->ticket, r->room_id);
}

/* Puts call at the front of m's calls, replacing any with its id. */
static void push_front(struct model *m, const struct call *call)
{
    struct call c = *call;
    int at = find_id(m->calls, m->ncalls, c.id);
    if (at < 0)
        at = m->ncalls < MODEL_CALLS_MAX ? m->ncalls++ : MODEL_CALLS_MAX - 1;
    memmove(&m->calls[1], &m->calls[0], (size_t)at * sizeof(m->calls[0]));
    m->calls[0] = c;
}

/* A row seen before keeps its call; a new row repeating the newest call for its ticket in
 * the same room is a recall of it; any other new row is a new call. */
static void add_row(struct model *m, const struct model *previous, const struct row *r,
                    int64_t seen, int64_t now)
{
    struct call c = {0};
    snprintf(c.id, sizeof(c.id), "sga-%" PRId64, r->id);
    int known = find_id(previous->calls, previous->ncalls, c.id);
    const struct call *chain = known < 0 ? chain_for(m, previous, r) : NULL;
    if (known >= 0) {
        c = previous->calls[known];
    } else if (chain) {
        c = *chain;
        if (r->id > seen) {
            c.recall++;
            c.called_at = now;
        }
    } else {
        c.called_at = now;
    }
    strcpy(c.ticket, r->ticket);
    strcpy(c.room_id, r->room_id);
    strcpy(c.patient, r->patient);
    strcpy(c.service, r->service);
    c.priority = r->priority;
    strcpy(c.priority_name, r->priority_name);
    push_front(m, &c);
}

/* Calls from the rows, oldest first so a recall meets the call it repeats. Returns the
 * newest row id now seen, for the next poll. */
static int64_t add_calls(struct model *m, const struct model *previous, const struct row *rows,
                         int nrows, int64_t max_id, int64_t now)
{
    int64_t seen = last_row_seen(previous);
    struct model *none = NULL;
    if (nrows && max_id < seen) {
        /* Ids went back: the server's panel table was emptied, nothing before counts. */
        previous = none = xcalloc(1, sizeof(*none));
        seen = 0;
    }
    for (int i = nrows - 1; i >= 0; i--)
        add_row(m, previous, &rows[i], seen, now);
    free(none);
    return max_id > seen ? max_id : seen;
}

static int compare_rooms(const struct row *a, const struct row *b)
{
    int by_local = strcmp(a->local, b->local);
    return by_local ? by_local : a->counter - b->counter;
}

static bool has_room(const struct row *const *rooms, int n, const char *id)
{
    for (int i = 0; i < n; i++) {
        if (strcmp(rooms[i]->room_id, id) == 0)
            return true;
    }
    return false;
}

/* One room per counter in the rows, in counter order so cards stay put; serving is the
 * ticket of the counter's newest row (rows come newest first). */
static void add_rooms(struct model *m, const struct row *rows, int nrows)
{
    const struct row *first[MODEL_ROOMS_MAX];
    int n = 0;
    for (int i = 0; i < nrows && n < MODEL_ROOMS_MAX; i++) {
        if (has_room(first, n, rows[i].room_id))
            continue;
        int at = 0;
        while (at < n && compare_rooms(first[at], &rows[i]) < 0)
            at++;
        memmove(&first[at + 1], &first[at], (size_t)(n - at) * sizeof(const struct row *));
        first[at] = &rows[i];
        n++;
    }
    for (int i = 0; i < n; i++) {
        struct room *room = &m->rooms[m->nrooms++];
        strcpy(room->id, first[i]->room_id);
        strcpy(room->name_zh, first[i]->room_name);
        strcpy(room->name_en, first[i]->room_name);
        room->open = true;
        strcpy(room->serving, first[i]->ticket);
    }
}

bool novosga_parse_panel(const char *body, size_t len, const struct novosga_names *names,
                         const struct model *previous, int64_t now, struct model *out, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    struct row *rows = xcalloc(MODEL_CALLS_MAX, sizeof(*rows));
    int nrows = 0;
    int64_t max_id = 0;
    if (!root || !parse_rows(root, names, rows, &nrows, &max_id, err)) {
        cJSON_Delete(root);
        free(rows);
        return false;
    }
    struct model *m = xcalloc(1, sizeof(*m));
    int64_t seen = add_calls(m, previous, rows, nrows, max_id, now);
    add_rooms(m, rows, nrows);
    cJSON_Delete(root); /* rows point into it */
    free(rows);
    m->server_time = now;
    m->avg_wait_min = -1;
    m->nnotices = previous->nnotices;
    memcpy(m->notices, previous->notices, sizeof(m->notices));
    m->memory.valid = true;
    m->memory.last_row = seen;
    m->version = model_same_content(m, previous) ? previous->version : previous->version + 1;
    *out = *m;
    free(m);
    return true;
}

/* Tokens go into headers and forms: visible ASCII only, never CR/LF. */
static bool get_token(const cJSON *obj, const char *key, char *dst, size_t size)
{
    const cJSON *item = cJSON_GetObjectItemCaseSensitive(obj, key);
    if (!cJSON_IsString(item) || !item->valuestring[0] || strlen(item->valuestring) >= size)
        return false;
    for (const char *p = item->valuestring; *p; p++) {
        if (*p < 0x21 || *p > 0x7E)
            return false;
    }
    strcpy(dst, item->valuestring);
    return true;
}

/* The OAuth2 error codes staff can act on, in their words. */
static const char *refusal_words(const char *error)
{
    static const struct {
        const char *error, *words;
    } known[] = {
        {"invalid_grant", "wrong username or password"},
        {"invalid_client", "unknown client or wrong secret"},
        {"unauthorized_client", "client may not use the password grant"},
    };
    for (size_t i = 0; error && i < sizeof(known) / sizeof(known[0]); i++) {
        if (strcmp(error, known[i].error) == 0)
            return known[i].words;
    }
    return "login refused";
}

/* {"error": "invalid_grant", "error_description": "...", "hint": "..."} (hint: v2.2 only):
 * "not authorized: wrong username or password (invalid_grant: Novo SGA's reason)". */
static char *token_refusal(const cJSON *root)
{
    char reason[MODEL_TEXT_MAX];
    const char *error = get_string(root, "error");
    const char *description = get_string(root, "error_description");
    const char *hint = get_string(root, "hint");
    snprintf(reason, sizeof(reason), "%s%s%s", description ? description : "",
             description && hint && hint[0] ? " " : "", hint ? hint : "");
    char cut[MODEL_TEXT_MAX];
    utf8_copy(cut, sizeof(cut), reason);
    char code[64];
    utf8_copy(code, sizeof(code), error && error[0] ? error : "no reason given");
    return xasprintf("not authorized: %s (%s%s%s)", refusal_words(error), code, cut[0] ? ": " : "",
                     cut);
}

/* The token's fields, or NULL with the words for what is wrong. */
static char *token_fields(const cJSON *root, int64_t now, struct novosga_token *t)
{
    const char *type = get_string(root, "token_type");
    const cJSON *refresh = cJSON_GetObjectItemCaseSensitive(root, "refresh_token");
    int64_t expires_in = 0;
    if (!get_token(root, "access_token", t->access, sizeof(t->access)))
        return xasprintf("token response: access_token is not 1..%zu visible ASCII characters",
                         sizeof(t->access) - 1);
    if (!get_int(root, "expires_in", 1, EXPIRES_MAX, &expires_in))
        return xasprintf("token response: expires_in is not a whole number of seconds");
    if (cJSON_GetObjectItemCaseSensitive(root, "token_type") &&
        (!type || strcasecmp(type, "bearer") != 0))
        return xasprintf("token response: token_type is not bearer");
    if (refresh && !cJSON_IsNull(refresh) &&
        !get_token(root, "refresh_token", t->refresh, sizeof(t->refresh)))
        return xasprintf("token response: refresh_token is not 1..%zu visible ASCII characters",
                         sizeof(t->refresh) - 1);
    t->expires_at = now + expires_in;
    return NULL;
}

enum novosga_token_answer novosga_parse_token(const char *body, size_t len, int64_t now,
                                              struct novosga_token *out, char **err)
{
    *err = NULL;
    cJSON *root = json_body_parse(body, len, err);
    if (!root)
        return NOVOSGA_TOKEN_NOT_OAUTH;
    enum novosga_token_answer answer = NOVOSGA_TOKEN_INVALID;
    struct novosga_token *t = xcalloc(1, sizeof(*t));
    if (!cJSON_IsObject(root)) {
        *err = xasprintf("token response is not a JSON object");
        answer = NOVOSGA_TOKEN_NOT_OAUTH;
    } else if (cJSON_GetObjectItemCaseSensitive(root, "error")) {
        *err = token_refusal(root);
        answer = NOVOSGA_TOKEN_REFUSED;
    } else if (!(*err = token_fields(root, now, t))) {
        *out = *t;
        answer = NOVOSGA_TOKEN_OK;
    }
    cJSON_Delete(root);
    memset(t, 0, sizeof(*t));
    free(t);
    return answer;
}
