/* test_adapters.c: the OpenMRS and Novo SGA parsers against recorded responses
 * (tests/fixtures/openmrs-*.json, novosga-*.json) and against sequences of polls. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/adapters.h"
#include "base/utf8.h"
#include "config/config.h"

#define NOW 1710158400 /* 2024-03-11 12:00 UTC */

typedef bool (*parse_fn)(const char *body, size_t len, const struct model *previous, int64_t now,
                         struct model *out, char **err);

/* OpenMRS as configured by default (config.c's defaults), without a waiting list. */
static const struct openmrs_options om_defaults = {
    .calling_statuses = "calling",
    .room_order = "",
    .emergency_priorities = "04f6f7e0-e3cb-4e13-a133-4479f759574e,"
                            "dc3492ef-24a5-4fd9-b58d-4fd2acf7071f,Emergency,Urgent",
    .number_attribute = "c0c579b0-8e59-401d-8a4a-976a0b183519",
};

static bool om_parse(const char *body, size_t len, const struct model *previous, int64_t now,
                     struct model *out, char **err)
{
    return openmrs_parse(&om_defaults, body, len, NULL, previous, now, out, err);
}

static struct config defaults;

/* The Novo SGA panel with the configured default priority names. */
static bool sga_parse(const char *body, size_t len, const struct model *previous, int64_t now,
                      struct model *out, char **err)
{
    const struct novosga_names names = {defaults.backend.emergency_names,
                                        defaults.backend.appointment_names};
    return novosga_parse_panel(body, len, &names, previous, now, out, err);
}

/* The fixture in a buffer of exactly its size, without a NUL, so reading past it shows. */
static char *fixture(const char *name, size_t *len)
{
    char path[256];
    snprintf(path, sizeof(path), "tests/fixtures/%s", name);
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long size = ftell(f);
    assert_true(size > 0);
    rewind(f);
    char *body = malloc((size_t)size);
    assert_non_null(body);
    assert_int_equal(fread(body, 1, (size_t)size, f), (size_t)size);
    fclose(f);
    *len = (size_t)size;
    return body;
}

static struct model *new_model(void)
{
    struct model *m = calloc(1, sizeof(*m));
    if (!m)
        abort();
    return m;
}

/* Parses a body that must be accepted; the caller frees the model. */
static struct model *parse_ok(parse_fn parse, const char *body, size_t len,
                              const struct model *previous, int64_t now)
{
    struct model *zero = new_model();
    struct model *out = new_model();
    char *err = NULL;
    bool ok = parse(body, len, previous ? previous : zero, now, out, &err);
    if (!ok)
        print_error("rejected: %s\n", err);
    assert_true(ok);
    assert_null(err);
    free(zero);
    return out;
}

static struct model *parse_text(parse_fn parse, const char *body, const struct model *previous,
                                int64_t now)
{
    return parse_ok(parse, body, strlen(body), previous, now);
}

static struct model *parse_fixture(parse_fn parse, const char *name, const struct model *previous,
                                   int64_t now)
{
    size_t len;
    char *body = fixture(name, &len);
    struct model *m = parse_ok(parse, body, len, previous, now);
    free(body);
    return m;
}

/* A body that must be refused with an error naming err_part, leaving *out as it was. */
static void expect_reject(parse_fn parse, const char *body, size_t len, const char *err_part)
{
    struct model *previous = parse_fixture(
        parse, parse == om_parse ? "openmrs-active-tickets.json" : "novosga-painel.json", NULL,
        NOW);
    struct model *out = new_model(), *before = new_model();
    memset(out, 0x5A, sizeof(*out));
    memcpy(before, out, sizeof(*out));
    char *err = NULL;
    assert_false(parse(body, len, previous, NOW + 5, out, &err));
    assert_non_null(err);
    if (!strstr(err, err_part))
        print_error("error \"%s\" lacks \"%s\"\n", err, err_part);
    assert_non_null(strstr(err, err_part));
    assert_true(utf8_valid(err));
    assert_memory_equal(out, before, sizeof(*out));
    free(err);
    free(out);
    free(before);
    free(previous);
}

static void expect_reject_text(parse_fn parse, const char *body, const char *err_part)
{
    expect_reject(parse, body, strlen(body), err_part);
}

static void expect_reject_fixture(parse_fn parse, const char *name, const char *err_part)
{
    size_t len;
    char *body = fixture(name, &len);
    expect_reject(parse, body, len, err_part);
    free(body);
}

/* A valid JSON array or object padded with spaces to just over 1 MiB. */
static void expect_reject_huge(parse_fn parse, const char *json)
{
    size_t len = 1024 * 1024 + 1;
    char *body = malloc(len);
    assert_non_null(body);
    memset(body, ' ', len);
    for (size_t i = 0; json[i]; i++)
        body[i] = json[i];
    expect_reject(parse, body, len, "limit");
    free(body);
}

static bool calls_equal(const struct call *a, const struct call *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->ticket, b->ticket) == 0 &&
           strcmp(a->room_id, b->room_id) == 0 && strcmp(a->patient, b->patient) == 0 &&
           a->priority == b->priority && a->called_at == b->called_at && a->recall == b->recall &&
           strcmp(a->service, b->service) == 0;
}

static void assert_calls_equal(const struct model *a, const struct model *b)
{
    assert_int_equal(a->ncalls, b->ncalls);
    for (int i = 0; i < a->ncalls; i++)
        assert_true(calls_equal(&a->calls[i], &b->calls[i]));
}

static void assert_room(const struct room *r, const char *id, const char *name, const char *serving)
{
    assert_string_equal(r->id, id);
    assert_string_equal(r->name_zh, name);
    assert_string_equal(r->name_en, name);
    assert_true(r->open);
    assert_string_equal(r->serving, serving);
}

static void assert_call(const struct call *c, const char *ticket, const char *room,
                        int64_t called_at, int recall)
{
    assert_string_equal(c->ticket, ticket);
    assert_string_equal(c->room_id, room);
    assert_int_equal(c->called_at, called_at);
    assert_int_equal(c->recall, recall);
}

static void assert_no_waiting(const struct model *m, int64_t now)
{
    assert_int_equal(m->nwaiting, 0);
    assert_int_equal(m->avg_wait_min, -1);
    assert_int_equal(m->server_time, now);
    assert_int_equal(m->nresults, 0);
}

/* ---- OpenMRS ---- */

/* {"<room>":{"status":"<status>","ticketNumber":"<ticket>"}, ...} from triples. */
static void om_body(char *out, size_t size, int n, const char *const *triples)
{
    size_t used = (size_t)snprintf(out, size, "{");
    for (int i = 0; i < n; i++, triples += 3)
        used += (size_t)snprintf(out + used, size - used,
                                 "%s\"%s\":{\"status\":\"%s\",\"ticketNumber\":\"%s\"}",
                                 i ? "," : "", triples[0], triples[1], triples[2]);
    snprintf(out + used, size - used, "}");
}

static struct model *om_poll(const struct model *previous, int64_t now, int n,
                             const char *const *triples)
{
    char body[2048];
    om_body(body, sizeof(body), n, triples);
    return parse_text(om_parse, body, previous, now);
}

static void om_maps_fields(void **state)
{
    (void)state;
    struct model *m = parse_fixture(om_parse, "openmrs-active-tickets.json", NULL, NOW);
    assert_int_equal(m->version, 1);
    assert_no_waiting(m, NOW);
    assert_int_equal(m->nnotices, 0);
    assert_int_equal(m->nrooms, 5);
    assert_room(&m->rooms[0], "Consultation Room 1", "Consultation Room 1", "A-001");
    assert_room(&m->rooms[1], "Consultation Room 2", "Consultation Room 2", "A-002");
    assert_room(&m->rooms[2], "Laboratory", "Laboratory", "LAB-014");
    assert_room(&m->rooms[3], "Pharmacy", "Pharmacy", "PH-007");
    assert_room(&m->rooms[4], "Triage", "Triage", "TR-003");
    assert_int_equal(m->ncalls, 1);
    const struct call *c = &m->calls[0];
    assert_call(c, "TR-003", "Triage", NOW, 0);
    assert_int_equal(c->priority, PRIORITY_NORMAL);
    assert_string_equal(c->patient, "");
    assert_string_equal(c->service, "");
    assert_true(strncmp(c->id, "om-1710158400-", 14) == 0);
    free(m);
}

static void om_unchanged_body_keeps_version(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(om_parse, "openmrs-active-tickets.json", NULL, NOW);
    struct model *m2 = parse_fixture(om_parse, "openmrs-active-tickets.json", m1, NOW + 5);
    assert_int_equal(m2->version, m1->version);
    assert_int_equal(m2->server_time, NOW + 5);
    assert_calls_equal(m2, m1);
    assert_int_equal(m2->calls[0].called_at, NOW);
    free(m1);
    free(m2);
}

static void om_new_call_prepends(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(om_parse, "openmrs-active-tickets.json", NULL, NOW);
    const char *const next[] = {"Triage",  "serving", "TR-003", "Consultation Room 1",
                                "calling", "A-004"};
    struct model *m2 = om_poll(m1, NOW + 10, 2, next);
    assert_int_equal(m2->version, 2);
    assert_int_equal(m2->ncalls, 2);
    assert_call(&m2->calls[0], "A-004", "Consultation Room 1", NOW + 10, 0);
    assert_true(calls_equal(&m2->calls[1], &m1->calls[0]));
    assert_string_not_equal(m2->calls[0].id, m2->calls[1].id);
    assert_string_equal(m2->rooms[0].serving, "A-004");
    free(m1);
    free(m2);
}

/* calling → serving → calling again ("call again" in O3) is a recall, counted once. */
static void om_recall(void **state)
{
    (void)state;
    const char *const p1[] = {"Triage", "calling", "TR-001"};
    const char *const p2[] = {"Triage", "serving", "TR-001", "Room 1", "calling", "A-001"};
    const char *const p3[] = {"Triage", "calling", "TR-001", "Room 1", "serving", "A-001"};
    struct model *m1 = om_poll(NULL, NOW, 1, p1);
    struct model *m2 = om_poll(m1, NOW + 10, 2, p2);
    assert_int_equal(m2->ncalls, 2);
    assert_string_equal(m2->calls[0].ticket, "A-001");
    struct model *m3 = om_poll(m2, NOW + 20, 2, p3);
    assert_int_equal(m3->ncalls, 2);
    assert_call(&m3->calls[0], "TR-001", "Triage", NOW + 20, 1);
    assert_string_equal(m3->calls[0].id, m1->calls[0].id);
    assert_true(calls_equal(&m3->calls[1], &m2->calls[0]));
    assert_true(m3->version > m2->version);
    struct model *m4 = om_poll(m3, NOW + 25, 2, p3);
    assert_int_equal(m4->version, m3->version);
    assert_calls_equal(m4, m3);
    struct model *m5 = om_poll(m4, NOW + 30, 2, p2);
    struct model *m6 = om_poll(m5, NOW + 40, 2, p3);
    assert_call(&m6->calls[0], "TR-001", "Triage", NOW + 40, 2);
    assert_int_equal(m6->ncalls, 2);
    free(m1), free(m2), free(m3), free(m4), free(m5), free(m6);
}

/* Going to serving changes nothing on screen. */
static void om_serving_keeps_calls(void **state)
{
    (void)state;
    const char *const calling[] = {"Triage", "calling", "TR-001"};
    const char *const serving[] = {"Triage", "serving", "TR-001"};
    struct model *m1 = om_poll(NULL, NOW, 1, calling);
    struct model *m2 = om_poll(m1, NOW + 5, 1, serving);
    assert_calls_equal(m2, m1);
    assert_room(&m2->rooms[0], "Triage", "Triage", "TR-001");
    free(m1);
    free(m2);
}

/* A previous without the room status (made by something else): the same ticket still
 * calling is left alone rather than announced again. */
static void om_previous_without_status(void **state)
{
    (void)state;
    const char *const calling[] = {"Triage", "calling", "TR-001"};
    struct model *m1 = om_poll(NULL, NOW, 1, calling);
    memset(m1->waiting, 0, sizeof(m1->waiting));
    struct model *m2 = om_poll(m1, NOW + 5, 1, calling);
    assert_calls_equal(m2, m1);
    free(m1);
    free(m2);
}

/* OpenMRS forgets everything on restart; the screen keeps its recent calls, and the same
 * ticket called again in the same room continues its visit as a recall. */
static void om_history_survives_restart(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(om_parse, "openmrs-active-tickets.json", NULL, NOW);
    struct model *m2 = parse_fixture(om_parse, "openmrs-restarted.json", m1, NOW + 60);
    assert_int_equal(m2->nrooms, 0);
    assert_calls_equal(m2, m1);
    assert_int_equal(m2->version, m1->version + 1);
    const char *const again[] = {"Triage", "calling", "TR-003"};
    struct model *m3 = om_poll(m2, NOW + 120, 1, again);
    assert_int_equal(m3->ncalls, 1);
    assert_call(&m3->calls[0], "TR-003", "Triage", NOW + 120, 1);
    assert_string_equal(m3->calls[0].id, m1->calls[0].id);
    free(m1), free(m2), free(m3);
}

static void om_history_capped(void **state)
{
    (void)state;
    struct model *m = new_model();
    for (int i = 1; i <= 20; i++) {
        char ticket[16];
        snprintf(ticket, sizeof(ticket), "TR-%03d", i);
        const char *const p[] = {"Triage", "calling", ticket};
        struct model *next = om_poll(m, NOW + i, 1, p);
        assert_int_equal(next->version, (uint64_t)i);
        free(m);
        m = next;
    }
    assert_int_equal(m->ncalls, MODEL_CALLS_MAX);
    assert_call(&m->calls[0], "TR-020", "Triage", NOW + 20, 0);
    assert_call(&m->calls[MODEL_CALLS_MAX - 1], "TR-005", "Triage", NOW + 5, 0);
    for (int i = 1; i < m->ncalls; i++)
        assert_string_not_equal(m->calls[i].id, m->calls[i - 1].id);
    free(m);
}

static void om_moved_ticket(void **state)
{
    (void)state;
    const char *const p1[] = {"Triage", "calling", "TR-001"};
    const char *const p2[] = {"Triage", "calling", "TR-001", "Room 1", "calling", "TR-001"};
    struct model *m1 = om_poll(NULL, NOW, 1, p1);
    struct model *m2 = om_poll(m1, NOW + 5, 2, p2);
    assert_int_equal(m2->ncalls, 2);
    assert_call(&m2->calls[0], "TR-001", "Room 1", NOW + 5, 0);
    assert_true(calls_equal(&m2->calls[1], &m1->calls[0]));
    free(m1);
    free(m2);
}

static void om_notices_kept(void **state)
{
    (void)state;
    struct model *previous = new_model();
    previous->nnotices = 1;
    strcpy(previous->notices[0].zh, "今日儿科停诊");
    strcpy(previous->notices[0].en, "No paediatrics today");
    previous->version = 7;
    struct model *m = parse_fixture(om_parse, "openmrs-active-tickets.json", previous, NOW);
    assert_int_equal(m->version, 8);
    assert_int_equal(m->nnotices, 1);
    assert_string_equal(m->notices[0].zh, "今日儿科停诊");
    assert_string_equal(m->notices[0].en, "No paediatrics today");
    free(previous);
    free(m);
}

/* Every entry is a room whatever its status: a status that is not a calling one is a room
 * being served (O3 sends "serving", sites name their own); "completed" is a room with nobody. */
static void om_every_status_shown(void **state)
{
    (void)state;
    struct model *m = parse_fixture(om_parse, "openmrs-statuses.json", NULL, NOW);
    assert_int_equal(m->nrooms, 3);
    assert_room(&m->rooms[0], "Consultation", "Consultation", "CON-002");
    assert_room(&m->rooms[1], "Pharmacy", "Pharmacy", "");
    assert_room(&m->rooms[2], "Triage", "Triage", "TRI-004");
    assert_int_equal(m->ncalls, 0);
    free(m);
    m = parse_fixture(om_parse, "openmrs-unknown-status.json", NULL, NOW);
    assert_int_equal(m->nrooms, 2);
    assert_room(&m->rooms[1], "Triage", "Triage", "TR-003");
    assert_int_equal(m->ncalls, 0);
    free(m);
}

/* Rooms come in HashMap order; they are sorted by name, numbers by value, before the cut. */
static void om_rooms_sorted_then_capped(void **state)
{
    (void)state;
    struct model *m = parse_fixture(om_parse, "openmrs-hashmap-order.json", NULL, NOW);
    assert_int_equal(m->nrooms, MODEL_ROOMS_MAX);
    for (int i = 0; i < MODEL_ROOMS_MAX; i++) {
        char name[16], ticket[16];
        snprintf(name, sizeof(name), "Room %d", i + 1);
        snprintf(ticket, sizeof(ticket), "A-%03d", i + 1);
        assert_room(&m->rooms[i], name, name, ticket);
    }
    assert_int_equal(m->ncalls, 1);
    assert_call(&m->calls[0], "A-001", "Room 1", NOW, 0);
    free(m);
}

/* Ids are cut by whole characters and stay unique; names stay whole. */
static void om_long_names(void **state)
{
    (void)state;
    struct model *m = parse_fixture(om_parse, "openmrs-long-names.json", NULL, NOW);
    assert_int_equal(m->nrooms, 3);
    assert_string_equal(m->rooms[0].id, "Consultation Room — Internal Medicine");
    assert_string_equal(m->rooms[0].name_zh, "Consultation Room — Internal Medicine 1");
    assert_string_equal(m->rooms[1].id, "Consultation Room — Internal Medici~2");
    assert_string_equal(m->rooms[1].name_en, "Consultation Room — Internal Medicine 2");
    assert_string_equal(m->rooms[2].id, "内科门诊第一诊室（普通号·");
    assert_string_equal(m->rooms[2].name_zh, "内科门诊第一诊室（普通号·上午）");
    for (int i = 0; i < m->nrooms; i++) {
        assert_true(strlen(m->rooms[i].id) < MODEL_ID_MAX);
        assert_true(utf8_valid(m->rooms[i].id));
    }
    assert_string_equal(m->calls[0].room_id, m->rooms[0].id);
    free(m);
}

static void om_rejects(void **state)
{
    (void)state;
    expect_reject_fixture(om_parse, "openmrs-proxy-error.json", "not JSON");
    expect_reject_fixture(om_parse, "openmrs-not-object.json", "not a JSON object");
    expect_reject_fixture(om_parse, "openmrs-ticket-number.json", "ticketNumber");
    expect_reject_fixture(om_parse, "openmrs-invalid-utf8.json", "UTF-8");
    expect_reject_fixture(om_parse, "openmrs-overlong-ticket.json", "over 15 bytes");
    expect_reject_text(om_parse, "{\"Triage\":\"TR-001\"}", "not an object");
    expect_reject_text(om_parse, "{\"Triage\":{\"ticketNumber\":\"TR-001\"}}", "status");
    expect_reject_text(om_parse, "{\"Triage\":{\"status\":1,\"ticketNumber\":\"T\"}}", "status");
    expect_reject_text(om_parse, "{\"Triage\":{\"status\":\"serving\"}}", "ticketNumber");
    expect_reject_text(om_parse, "{\"Triage\":{\"status\":\"serving\",\"ticketNumber\":\"\"}}",
                       "ticketNumber");
    expect_reject_text(
        om_parse, "{\"Triage\":{\"status\":\"calling\",\"ticketNumber\":\"TR\\u00e9\\u0001\"}}",
        "ticketNumber");
    expect_reject_text(om_parse, "{\"\":{\"status\":\"calling\",\"ticketNumber\":\"T\"}}", "name");
    expect_reject_text(om_parse,
                       "{\"A\":{\"status\":\"calling\",\"ticketNumber\":\"T\"},"
                       "\"A\":{\"status\":\"serving\",\"ticketNumber\":\"U\"}}",
                       "twice");
    expect_reject_text(om_parse, "{} {}", "not JSON");
    expect_reject_text(om_parse, "{\"Triage\":{\"status\":\"call", "not JSON");
    expect_reject(om_parse, "{}\0", 3, "NUL");
    expect_reject(om_parse, "", 0, "empty");
    expect_reject(om_parse, NULL, 0, "empty");
    expect_reject_huge(om_parse, "{}");
}

/* A queue name may be 255 characters: a long one is cut by whole characters, never refused. */
static void om_long_queue_name_cut(void **state)
{
    (void)state;
    struct model *m = parse_fixture(om_parse, "openmrs-long-queue-name.json", NULL, NOW);
    assert_int_equal(m->nrooms, 2);
    const struct room *r = &m->rooms[1]; /* after "Triage": sorted by bytes, CJK after Latin */
    assert_true(utf8_valid(r->name_zh) && utf8_valid(r->id));
    assert_int_equal(strlen(r->name_zh), 93); /* 31 characters of 3 bytes */
    assert_memory_equal(r->name_zh, "内科门诊第一诊室", strlen("内科门诊第一诊室"));
    assert_string_equal(r->name_en, r->name_zh);
    assert_int_equal(m->ncalls, 1);
    assert_string_equal(m->calls[0].room_id, r->id);
    assert_room(&m->rooms[0], "Triage", "Triage", "TRI-004");
    char name[MODEL_NAME_MAX + 1], body[512];
    memset(name, 'x', sizeof(name) - 1);
    name[sizeof(name) - 1] = 0;
    snprintf(body, sizeof(body), "{\"%s\":{\"status\":\"serving\",\"ticketNumber\":\"T\"}}", name);
    free(m);
    m = parse_text(om_parse, body, NULL, NOW);
    assert_int_equal(strlen(m->rooms[0].name_zh), MODEL_NAME_MAX - 1);
    assert_int_equal(strlen(m->rooms[0].id), MODEL_ID_MAX - 1);
    free(m);
}

/* A site's own calling status ("Now serving", O3's callingStatus) calls; "serving" does not. */
static void om_calling_status_configured(void **state)
{
    (void)state;
    struct openmrs_options o = om_defaults;
    o.calling_statuses = "calling, now SERVING";
    size_t len;
    char *body = fixture("openmrs-statuses.json", &len);
    struct model *zero = new_model(), *m = new_model();
    char *err = NULL;
    assert_true(openmrs_parse(&o, body, len, NULL, zero, NOW, m, &err));
    assert_int_equal(m->ncalls, 1);
    assert_call(&m->calls[0], "TRI-004", "Triage", NOW, 0);
    assert_room(&m->rooms[0], "Consultation", "Consultation", "CON-002");
    free(body);
    free(zero);
    free(m);
}

/* room_order names come first, in its order; the rest by name. */
static void om_room_order(void **state)
{
    (void)state;
    struct openmrs_options o = om_defaults;
    o.room_order = "Triage, Pharmacy";
    size_t len;
    char *body = fixture("openmrs-active-tickets.json", &len);
    struct model *zero = new_model(), *m = new_model();
    char *err = NULL;
    assert_true(openmrs_parse(&o, body, len, NULL, zero, NOW, m, &err));
    assert_string_equal(m->rooms[0].id, "Triage");
    assert_string_equal(m->rooms[1].id, "Pharmacy");
    assert_string_equal(m->rooms[2].id, "Consultation Room 1");
    assert_string_equal(m->rooms[4].id, "Laboratory");
    free(body);
    free(zero);
    free(m);
}

static struct openmrs_queue *om_queue_fixture(void)
{
    size_t len;
    char *body = fixture("openmrs-queue-entry.json", &len);
    struct openmrs_queue *q = calloc(1, sizeof(*q));
    assert_non_null(q);
    q->avg_wait_min = 18;
    char *err = NULL;
    bool ok = openmrs_parse_waiting(&om_defaults, body, len, q, &err);
    if (!ok)
        print_error("rejected: %s\n", err);
    assert_true(ok);
    free(body);
    return q;
}

static void assert_waiting(const struct waiting *w, const char *ticket, const char *service,
                           enum priority priority, int position)
{
    assert_string_equal(w->ticket, ticket);
    assert_string_equal(w->service, service);
    assert_string_equal(w->patient, "");
    assert_int_equal(w->priority, priority);
    assert_int_equal(w->position, position);
    assert_int_equal(w->eta_min, -1);
}

/* queue-entry: numbered entries in the server's order, places counted per queue (an entry
 * without a number still takes its place), Emergency and Urgent by concept uuid. */
static void om_waiting_list(void **state)
{
    (void)state;
    struct openmrs_queue *q = om_queue_fixture();
    assert_true(q->known);
    assert_int_equal(q->avg_wait_min, 18);
    assert_int_equal(q->nwaiting, 3);
    assert_waiting(&q->waiting[0], "TRI-004", "Triage", PRIORITY_EMERGENCY, 1);
    assert_waiting(&q->waiting[1], "CON-003", "Consultation", PRIORITY_EMERGENCY, 1);
    assert_waiting(&q->waiting[2], "TRI-006", "Triage", PRIORITY_NORMAL, 3);
    assert_int_equal(q->started_at[0], 1772432045); /* 09:14:05 at +0300 */
    assert_int_equal(q->started_at[2], 1772432700);
    /* By name when a site's concepts have other uuids. */
    struct openmrs_options o = om_defaults;
    o.emergency_priorities = "Emergency";
    size_t len;
    char *body = fixture("openmrs-queue-entry.json", &len);
    char *err = NULL;
    assert_true(openmrs_parse_waiting(&o, body, len, q, &err));
    assert_int_equal(q->waiting[0].priority, PRIORITY_EMERGENCY);
    assert_int_equal(q->waiting[1].priority, PRIORITY_NORMAL);
    free(body);
    body = fixture("openmrs-queue-entry-403.json", &len); /* the body of a missing privilege */
    assert_false(openmrs_parse_waiting(&o, body, len, q, &err));
    assert_non_null(strstr(err, "results"));
    free(err);
    free(body);
    free(q);
}

/* The waiting list reaches the model; the call of a waiting ticket takes its priority, queue
 * and the time it entered the queue (its wait, for the off-peak chart). */
static void om_call_from_waiting_list(void **state)
{
    (void)state;
    struct openmrs_queue *q = om_queue_fixture();
    const char *body1 = "{\"Triage\":{\"status\":\"serving\",\"ticketNumber\":\"TRI-001\"}}";
    const char *body2 = "{\"Triage\":{\"status\":\"calling\",\"ticketNumber\":\"TRI-004\"}}";
    struct model *zero = new_model(), *m1 = new_model(), *m2 = new_model();
    char *err = NULL;
    assert_true(openmrs_parse(&om_defaults, body1, strlen(body1), q, zero, NOW, m1, &err));
    assert_false(m1->waiting_unknown);
    assert_int_equal(m1->nwaiting, 3);
    assert_int_equal(m1->avg_wait_min, 18);
    assert_waiting(&m1->waiting[0], "TRI-004", "Triage", PRIORITY_EMERGENCY, 1);
    /* Another ticket in the same place of the list is news, though the count is the same. */
    struct model *same_count = new_model();
    strcpy(q->waiting[2].ticket, "TRI-007");
    assert_true(
        openmrs_parse(&om_defaults, body1, strlen(body1), q, m1, NOW + 1, same_count, &err));
    assert_int_equal(same_count->version, m1->version + 1);
    strcpy(q->waiting[2].ticket, "TRI-006");
    free(same_count);
    /* TRI-004 called while the list (asked less often) still has it: it is not shown waiting. */
    struct model *stale = new_model();
    assert_true(openmrs_parse(&om_defaults, body2, strlen(body2), q, m1, NOW + 5, stale, &err));
    assert_int_equal(stale->nwaiting, 2);
    assert_waiting(&stale->waiting[0], "CON-003", "Consultation", PRIORITY_EMERGENCY, 1);
    assert_int_equal(stale->memory.waiting_started[1], 1772432700);
    assert_int_equal(stale->calls[0].issued_at, 1772432045);
    free(stale);
    /* TRI-004 called: it has left the waiting list, the previous model still knows it. */
    memmove(&q->waiting[0], &q->waiting[1], 2 * sizeof(q->waiting[0]));
    memmove(&q->started_at[0], &q->started_at[1], 2 * sizeof(q->started_at[0]));
    q->nwaiting = 2;
    assert_true(openmrs_parse(&om_defaults, body2, strlen(body2), q, m1, NOW + 5, m2, &err));
    assert_int_equal(m2->version, m1->version + 1);
    assert_int_equal(m2->nwaiting, 2);
    assert_int_equal(m2->ncalls, 1);
    assert_call(&m2->calls[0], "TRI-004", "Triage", NOW + 5, 0);
    assert_int_equal(m2->calls[0].priority, PRIORITY_EMERGENCY);
    assert_string_equal(m2->calls[0].service, "Triage");
    assert_int_equal(m2->calls[0].issued_at, 1772432045);
    /* Without a waiting list (not asked, or not allowed) the screen says so. */
    struct model *m3 = new_model();
    assert_true(openmrs_parse(&om_defaults, body2, strlen(body2), NULL, m2, NOW + 10, m3, &err));
    assert_true(m3->waiting_unknown);
    assert_int_equal(m3->nwaiting, 0);
    assert_int_equal(m3->avg_wait_min, -1);
    assert_int_equal(m3->version, m2->version + 1);
    free(zero);
    free(m1);
    free(m2);
    free(m3);
    free(q);
}

static int om_average(const char *name)
{
    size_t len;
    char *body = fixture(name, &len);
    int minutes = 99;
    char *err = NULL;
    assert_true(openmrs_parse_average_wait(body, len, &minutes, &err));
    free(body);
    return minutes;
}

/* queue-entry-metrics: minutes rounded; "NaN" (nothing ended) and 0 (nothing at all) unknown. */
static void om_average_wait(void **state)
{
    (void)state;
    assert_int_equal(om_average("openmrs-queue-entry-metrics.json"), 18);
    assert_int_equal(om_average("openmrs-queue-entry-metrics-nan.json"), -1);
    assert_int_equal(om_average("openmrs-queue-entry-metrics-empty.json"), -1);
    int minutes;
    char *err = NULL;
    assert_false(openmrs_parse_average_wait("{\"count\":1}", 11, &minutes, &err));
    free(err);
}

static void om_session(void **state)
{
    (void)state;
    const char *names[] = {"openmrs-session.json", "openmrs-session-refused.json"};
    for (int i = 0; i < 2; i++) {
        size_t len;
        char *body = fixture(names[i], &len), *err = NULL;
        bool authenticated = i;
        assert_true(openmrs_parse_session(body, len, &authenticated, &err));
        assert_int_equal(authenticated, i == 0);
        free(body);
    }
    bool authenticated;
    char *err = NULL;
    assert_false(openmrs_parse_session("{}", 2, &authenticated, &err));
    assert_non_null(strstr(err, "authenticated"));
    free(err);
}

/* ---- Novo SGA ---- */

/* A row in PainelSenha::jsonSerialize's shape. */
static size_t sga_row(char *out, size_t size, int id, const char *senha, const char *local,
                      int counter)
{
    return (size_t)snprintf(out, size,
                            "{\"id\":%d,\"senha\":\"%s\",\"local\":\"%s\",\"numeroLocal\":%d,"
                            "\"peso\":0,\"prioridade\":\"Normal\",\"nomeCliente\":null,"
                            "\"documentoCliente\":null}",
                            id, senha, local, counter);
}

/* Rows from (id, counter, ticket) at "Guichê", newest first as given. */
struct sga_spec {
    int id, counter;
    const char *ticket;
};

static struct model *sga_poll(const struct model *previous, int64_t now, int n,
                              const struct sga_spec *rows)
{
    char body[8192];
    size_t used = (size_t)snprintf(body, sizeof(body), "[");
    for (int i = 0; i < n; i++) {
        used += (size_t)snprintf(body + used, sizeof(body) - used, "%s", i ? "," : "");
        used += sga_row(body + used, sizeof(body) - used, rows[i].id, rows[i].ticket, "Guichê",
                        rows[i].counter);
    }
    snprintf(body + used, sizeof(body) - used, "]");
    return parse_text(sga_parse, body, previous, now);
}

static void sga_maps_serialized_entity(void **state)
{
    (void)state;
    struct model *m = parse_fixture(sga_parse, "novosga-painel.json", NULL, NOW);
    assert_int_equal(m->version, 1);
    assert_no_waiting(m, NOW);
    assert_int_equal(m->ncalls, 6);
    const char *const ids[] = {"sga-1042", "sga-1041", "sga-1040",
                               "sga-1039", "sga-1038", "sga-1037"};
    const char *const tickets[] = {"A007", "P003", "E001", "A1234", "A012", "P002"};
    const char *const rooms[] = {"Guichê 2", "Guichê 10", "Sala 1",
                                 "Guichê 2", "Guichê 1",  "Guichê 1"};
    /* "Prioridade" (the installer's default) is a priority of its own, not an appointment. */
    const enum priority priorities[] = {PRIORITY_NORMAL, PRIORITY_OTHER,  PRIORITY_EMERGENCY,
                                        PRIORITY_NORMAL, PRIORITY_NORMAL, PRIORITY_OTHER};
    const char *const names[] = {"", "Prioridade", "Emergência", "", "", "Prioridade"};
    for (int i = 0; i < 6; i++) {
        assert_string_equal(m->calls[i].id, ids[i]);
        assert_call(&m->calls[i], tickets[i], rooms[i], NOW, 0);
        assert_int_equal(m->calls[i].priority, priorities[i]);
        assert_string_equal(m->calls[i].priority_name, names[i]);
    }
    assert_string_equal(m->calls[0].patient, "");
    assert_string_equal(m->calls[0].service, "Clínico Geral");
    assert_string_equal(m->calls[1].patient, "Maria da Conceição Souza");
    assert_string_equal(m->calls[1].service, "Exames");
    assert_string_equal(m->calls[2].patient, "José Antônio Pereira");
    /* Rooms in counter order, each serving its newest row's ticket. */
    assert_int_equal(m->nrooms, 4);
    assert_room(&m->rooms[0], "Guichê 1", "Guichê 01", "A012");
    assert_room(&m->rooms[1], "Guichê 2", "Guichê 02", "A007");
    assert_room(&m->rooms[2], "Guichê 10", "Guichê 10", "P003");
    assert_room(&m->rooms[3], "Sala 1", "Sala 01", "E001");
    free(m);
}

static void sga_maps_json_serialize(void **state)
{
    (void)state;
    struct model *m = parse_fixture(sga_parse, "novosga-painel-senha.json", NULL, NOW);
    assert_int_equal(m->ncalls, 2);
    assert_string_equal(m->calls[0].id, "sga-88");
    assert_call(&m->calls[0], "B015", "Consultório 3", NOW, 0);
    assert_int_equal(m->calls[0].priority, PRIORITY_NORMAL);
    assert_string_equal(m->calls[0].service, "");
    assert_string_equal(m->calls[1].id, "sga-87");
    assert_call(&m->calls[1], "U002", "Consultório 1", NOW, 0);
    assert_int_equal(m->calls[1].priority, PRIORITY_EMERGENCY);
    assert_string_equal(m->calls[1].patient, "Ana Lúcia Ferreira");
    assert_int_equal(m->nrooms, 2);
    assert_room(&m->rooms[0], "Consultório 1", "Consultório 01", "U002");
    assert_room(&m->rooms[1], "Consultório 3", "Consultório 03", "B015");
    free(m);
}

static void sga_padding(void **state)
{
    (void)state;
    static const struct {
        const char *sigla;
        int number, counter;
        const char *ticket, *room_id, *room_name;
    } cases[] = {
        {"A", 7, 2, "A007", "Guichê 2", "Guichê 02"},
        {"A", 12, 9, "A012", "Guichê 9", "Guichê 09"},
        {"A", 123, 10, "A123", "Guichê 10", "Guichê 10"},
        {"A", 1234, 100, "A1234", "Guichê 100", "Guichê 100"},
        {"", 5, 0, "005", "Guichê 0", "Guichê 00"},
        {"PRF", 0, 1, "PRF000", "Guichê 1", "Guichê 01"},
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[512];
        snprintf(body, sizeof(body),
                 "[{\"id\":5,\"numeroSenha\":%d,\"siglaSenha\":\"%s\",\"mensagem\":null,"
                 "\"local\":\"Guich\\u00ea\",\"numeroLocal\":%d,\"peso\":0,"
                 "\"prioridade\":\"Normal\",\"nomeCliente\":null,\"documentoCliente\":null}]",
                 cases[i].number, cases[i].sigla, cases[i].counter);
        struct model *m = parse_text(sga_parse, body, NULL, NOW);
        assert_string_equal(m->calls[0].ticket, cases[i].ticket);
        assert_room(&m->rooms[0], cases[i].room_id, cases[i].room_name, cases[i].ticket);
        assert_string_equal(m->calls[0].room_id, cases[i].room_id);
        free(m);
    }
}

/* peso > 0 is a priority whose name the call keeps; its kind only by the configured names. */
static void sga_priority(void **state)
{
    (void)state;
    static const struct {
        int peso;
        enum priority expected;
        const char *prioridade; /* JSON, so null can be written */
        const char *name;       /* what the call keeps */
    } cases[] = {
        {0, PRIORITY_NORMAL, "\"Normal\"", ""},
        {0, PRIORITY_NORMAL, "\"Emergência\"", ""},
        {1, PRIORITY_OTHER, "\"Prioridade\"", "Prioridade"},
        {1, PRIORITY_OTHER, "\"Preferencial 80+\"", "Preferencial 80+"},
        {1, PRIORITY_OTHER, "null", ""},
        {1, PRIORITY_OTHER, "\"Cirurgia eletiva\"", "Cirurgia eletiva"},
        {1, PRIORITY_OTHER, "\"老年人\"", "老年人"},
        {2, PRIORITY_EMERGENCY, "\"Emergência\"", "Emergência"},
        {2, PRIORITY_EMERGENCY, "\"EMERG\\u00caNCIA\"", "EMERGÊNCIA"},
        {1, PRIORITY_EMERGENCY, "\"URGÊNCIA\"", "URGÊNCIA"},
        {1, PRIORITY_EMERGENCY, "\"Urgente\"", "Urgente"},
        {1, PRIORITY_EMERGENCY, "\"Emergency\"", "Emergency"},
        {3, PRIORITY_EMERGENCY, "\"Prioridade - urgencia\"", "Prioridade - urgencia"},
        {1, PRIORITY_EMERGENCY, "\"急诊\"", "急诊"},
        {1, PRIORITY_EMERGENCY, "\"儿科急诊\"", "儿科急诊"},
        {1, PRIORITY_EMERGENCY, "\"急救中心\"", "急救中心"},
        {1, PRIORITY_APPOINTMENT, "\"预约\"", "预约"},
        {1, PRIORITY_APPOINTMENT, "\"网上预约\"", "网上预约"},
        {1, PRIORITY_APPOINTMENT, "\"Agendamento\"", "Agendamento"},
        {1, PRIORITY_APPOINTMENT, "\"APPOINTMENT\"", "APPOINTMENT"},
        {1, PRIORITY_EMERGENCY, "\"预约急诊\"", "预约急诊"}, /* emergency wins */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char body[512];
        snprintf(body, sizeof(body),
                 "[{\"id\":5,\"senha\":\"A001\",\"local\":\"Sala\",\"numeroLocal\":1,"
                 "\"peso\":%d,\"prioridade\":%s,\"nomeCliente\":null,\"documentoCliente\":null}]",
                 cases[i].peso, cases[i].prioridade);
        struct model *m = parse_text(sga_parse, body, NULL, NOW);
        if (m->calls[0].priority != cases[i].expected ||
            strcmp(m->calls[0].priority_name, cases[i].name) != 0)
            print_error("peso %d, prioridade %s: %s \"%s\"\n", cases[i].peso, cases[i].prioridade,
                        priority_name(m->calls[0].priority), m->calls[0].priority_name);
        assert_int_equal(m->calls[0].priority, cases[i].expected);
        assert_string_equal(m->calls[0].priority_name, cases[i].name);
        free(m);
    }
}

/* The site's own lists replace ours: 老年人 as appointment, and nothing as emergency. */
static void sga_priority_names_configured(void **state)
{
    (void)state;
    const struct novosga_names names = {"", "老年人, Idoso"};
    static const char body[] =
        "[{\"id\":6,\"senha\":\"A002\",\"local\":\"Sala\",\"numeroLocal\":1,\"peso\":1,"
        "\"prioridade\":\"急诊\"},"
        "{\"id\":5,\"senha\":\"A001\",\"local\":\"Sala\",\"numeroLocal\":1,\"peso\":1,"
        "\"prioridade\":\"老年人优先\"},"
        "{\"id\":4,\"senha\":\"A000\",\"local\":\"Sala\",\"numeroLocal\":2,\"peso\":1,"
        "\"prioridade\":\"idoso\"}]";
    struct model *prev = calloc(1, sizeof(*prev)), *m = calloc(1, sizeof(*m));
    char *err = NULL;
    assert_true(novosga_parse_panel(body, strlen(body), &names, prev, NOW, m, &err));
    assert_int_equal(m->calls[0].priority, PRIORITY_OTHER);
    assert_string_equal(m->calls[0].priority_name, "急诊");
    assert_int_equal(m->calls[1].priority, PRIORITY_APPOINTMENT);
    assert_int_equal(m->calls[2].priority, PRIORITY_APPOINTMENT);
    free(prev);
    free(m);
}

/* The research's fixture (v2.1.4 and v2.2 rows): 急诊 with peso 1 is an emergency, Normal
 * with peso 0 a normal call without a name. */
static void sga_priority_fixture(void **state)
{
    (void)state;
    struct model *m = parse_fixture(sga_parse, "novosga-painel-prioridade.json", NULL, NOW);
    assert_int_equal(m->ncalls, 2);
    assert_string_equal(m->calls[0].ticket, "A007");
    assert_int_equal(m->calls[0].priority, PRIORITY_EMERGENCY);
    assert_string_equal(m->calls[0].priority_name, "急诊");
    assert_string_equal(m->calls[1].ticket, "B012");
    assert_int_equal(m->calls[1].priority, PRIORITY_NORMAL);
    assert_string_equal(m->calls[1].priority_name, "");
    free(m);
}

static void sga_unchanged_body_keeps_version(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(sga_parse, "novosga-painel.json", NULL, NOW);
    struct model *m2 = parse_fixture(sga_parse, "novosga-painel.json", m1, NOW + 8);
    assert_int_equal(m2->version, m1->version);
    assert_int_equal(m2->server_time, NOW + 8);
    assert_calls_equal(m2, m1);
    free(m1);
    free(m2);
}

static void sga_new_call_prepends(void **state)
{
    (void)state;
    const struct sga_spec p1[] = {{2, 2, "A007"}, {1, 1, "B001"}};
    const struct sga_spec p2[] = {{3, 3, "A008"}, {2, 2, "A007"}, {1, 1, "B001"}};
    struct model *m1 = sga_poll(NULL, NOW, 2, p1);
    struct model *m2 = sga_poll(m1, NOW + 8, 3, p2);
    assert_int_equal(m2->version, 2);
    assert_int_equal(m2->ncalls, 3);
    assert_string_equal(m2->calls[0].id, "sga-3");
    assert_call(&m2->calls[0], "A008", "Guichê 3", NOW + 8, 0);
    assert_true(calls_equal(&m2->calls[1], &m1->calls[0]));
    assert_true(calls_equal(&m2->calls[2], &m1->calls[1]));
    assert_int_equal(m2->nrooms, 3);
    free(m1);
    free(m2);
}

/* A new row for the same ticket at the same counter repeats the call: same id, recall + 1,
 * in front, counted once however often it is polled. */
static void sga_recall(void **state)
{
    (void)state;
    const struct sga_spec p1[] = {{2, 2, "A007"}, {1, 1, "B001"}};
    const struct sga_spec p2[] = {{3, 2, "A007"}, {2, 2, "A007"}, {1, 1, "B001"}};
    const struct sga_spec p3[] = {{4, 1, "B001"}, {3, 2, "A007"}, {2, 2, "A007"}, {1, 1, "B001"}};
    struct model *m1 = sga_poll(NULL, NOW, 2, p1);
    struct model *m2 = sga_poll(m1, NOW + 8, 3, p2);
    assert_int_equal(m2->ncalls, 2);
    assert_string_equal(m2->calls[0].id, "sga-2");
    assert_call(&m2->calls[0], "A007", "Guichê 2", NOW + 8, 1);
    assert_true(calls_equal(&m2->calls[1], &m1->calls[1]));
    assert_int_equal(m2->version, 2);
    struct model *m3 = sga_poll(m2, NOW + 16, 3, p2);
    assert_int_equal(m3->version, 2);
    assert_calls_equal(m3, m2);
    struct model *m4 = sga_poll(m3, NOW + 24, 4, p3);
    assert_int_equal(m4->ncalls, 2);
    assert_string_equal(m4->calls[0].id, "sga-1");
    assert_call(&m4->calls[0], "B001", "Guichê 1", NOW + 24, 1);
    assert_string_equal(m4->calls[1].id, "sga-2");
    assert_call(&m4->calls[1], "A007", "Guichê 2", NOW + 8, 1);
    free(m1), free(m2), free(m3), free(m4);
}

static void sga_same_ticket_other_counter_is_new(void **state)
{
    (void)state;
    const struct sga_spec p1[] = {{2, 2, "A007"}};
    const struct sga_spec p2[] = {{3, 5, "A007"}, {2, 2, "A007"}};
    struct model *m1 = sga_poll(NULL, NOW, 1, p1);
    struct model *m2 = sga_poll(m1, NOW + 8, 2, p2);
    assert_int_equal(m2->ncalls, 2);
    assert_string_equal(m2->calls[0].id, "sga-3");
    assert_call(&m2->calls[0], "A007", "Guichê 5", NOW + 8, 0);
    free(m1);
    free(m2);
}

/* The panel sends 10 rows: a recall keeps its call after its first row scrolls away, and a
 * later recall still finds it. */
static void sga_recall_after_first_row_scrolls_away(void **state)
{
    (void)state;
    struct sga_spec rows[12];
    char tickets[12][16];
    for (int i = 0; i < 12; i++) {
        int id = 12 - i;
        snprintf(tickets[i], sizeof(tickets[i]), "C%03d", id);
        rows[i] = (struct sga_spec){id, 4, tickets[i]};
    }
    /* Rows 1 and 2 are A007 at counter 2; 3..12 others. */
    rows[10] = (struct sga_spec){2, 2, "A007"};
    rows[11] = (struct sga_spec){1, 2, "A007"};
    struct model *m1 = sga_poll(NULL, NOW, 10, rows + 2); /* rows 10..1 */
    assert_int_equal(m1->ncalls, 9);
    assert_string_equal(m1->calls[8].id, "sga-1");
    assert_int_equal(m1->calls[8].recall, 1);
    struct model *m2 = sga_poll(m1, NOW + 8, 10, rows + 1); /* 11..2: row 1 gone */
    assert_string_equal(m2->calls[9].id, "sga-1");
    assert_call(&m2->calls[9], "A007", "Guichê 2", NOW, 1);
    rows[0] = (struct sga_spec){12, 2, "A007"};
    struct model *m3 = sga_poll(m2, NOW + 16, 10, rows); /* 12..3: A007 again at 12 */
    assert_string_equal(m3->calls[0].id, "sga-1");
    assert_call(&m3->calls[0], "A007", "Guichê 2", NOW + 16, 2);
    free(m1), free(m2), free(m3);
}

/* Met for the first time, repeated rows already are one call with its recalls. */
static void sga_first_poll_folds_recalls(void **state)
{
    (void)state;
    const struct sga_spec rows[] = {{3, 2, "A007"}, {2, 1, "B001"}, {1, 2, "A007"}};
    struct model *m = sga_poll(NULL, NOW, 3, rows);
    assert_int_equal(m->ncalls, 2);
    assert_string_equal(m->calls[0].id, "sga-1");
    assert_call(&m->calls[0], "A007", "Guichê 2", NOW, 1);
    assert_string_equal(m->calls[1].id, "sga-2");
    free(m);
}

/* Row ids going back (the panel table emptied on the server): start afresh. */
static void sga_server_reset(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(sga_parse, "novosga-painel.json", NULL, NOW);
    const struct sga_spec rows[] = {{1, 2, "A007"}};
    struct model *m2 = sga_poll(m1, NOW + 8, 1, rows);
    assert_int_equal(m2->ncalls, 1);
    assert_string_equal(m2->calls[0].id, "sga-1");
    assert_call(&m2->calls[0], "A007", "Guichê 2", NOW + 8, 0);
    assert_int_equal(m2->nrooms, 1);
    struct model *m3 = sga_poll(m2, NOW + 16, 1, rows);
    assert_int_equal(m3->version, m2->version);
    assert_calls_equal(m3, m2);
    free(m1), free(m2), free(m3);
}

static void sga_empty_panel(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(sga_parse, "novosga-painel-empty.json", NULL, NOW);
    assert_int_equal(m1->version, 1);
    assert_int_equal(m1->ncalls, 0);
    assert_int_equal(m1->nrooms, 0);
    assert_no_waiting(m1, NOW);
    struct model *m2 = parse_fixture(sga_parse, "novosga-painel.json", m1, NOW + 8);
    struct model *m3 = parse_fixture(sga_parse, "novosga-painel-empty.json", m2, NOW + 16);
    assert_int_equal(m3->ncalls, 0);
    assert_int_equal(m3->version, 3);
    free(m1), free(m2), free(m3);
}

static void sga_calls_capped(void **state)
{
    (void)state;
    struct sga_spec rows[20];
    char tickets[20][16];
    for (int i = 0; i < 20; i++) {
        snprintf(tickets[i], sizeof(tickets[i]), "A%03d", 20 - i);
        rows[i] = (struct sga_spec){20 - i, 1 + i % 3, tickets[i]};
    }
    struct model *m = sga_poll(NULL, NOW, 20, rows);
    assert_int_equal(m->ncalls, MODEL_CALLS_MAX);
    assert_string_equal(m->calls[0].id, "sga-20");
    assert_string_equal(m->calls[MODEL_CALLS_MAX - 1].id, "sga-5");
    free(m);
}

static void sga_notices_kept(void **state)
{
    (void)state;
    struct model *previous = new_model();
    previous->nnotices = 1;
    strcpy(previous->notices[0].zh, "请保持安静");
    strcpy(previous->notices[0].en, "Please keep quiet");
    struct model *m = parse_fixture(sga_parse, "novosga-painel.json", previous, NOW);
    assert_int_equal(m->nnotices, 1);
    assert_string_equal(m->notices[0].en, "Please keep quiet");
    free(previous);
    free(m);
}

/* A previous made by something else: rows it shows are not called again. */
static void sga_previous_without_mark(void **state)
{
    (void)state;
    struct model *m1 = parse_fixture(sga_parse, "novosga-painel.json", NULL, NOW);
    memset(m1->waiting, 0, sizeof(m1->waiting));
    struct model *m2 = parse_fixture(sga_parse, "novosga-painel.json", m1, NOW + 8);
    assert_calls_equal(m2, m1);
    free(m1);
    free(m2);
}

static void sga_rejects(void **state)
{
    (void)state;
    expect_reject_fixture(sga_parse, "novosga-painel-error.json", "not a JSON array");
    /* What the panel says to a bad token (v2.1 JSON, v2.2 text) is no panel either. */
    expect_reject_fixture(sga_parse, "novosga-painel-401.json", "not a JSON array");
    expect_reject_fixture(sga_parse, "novosga-painel-401-v22.txt", "not JSON");
    expect_reject_fixture(sga_parse, "novosga-painel-string-number.json", "numeroSenha");
    expect_reject_fixture(sga_parse, "novosga-painel-invalid-utf8.json", "local");
    expect_reject_fixture(sga_parse, "novosga-painel-overlong-ticket.json", "over 15 bytes");
    expect_reject_fixture(sga_parse, "openmrs-proxy-error.json", "not JSON");
    expect_reject_text(sga_parse, "[1]", "not an object");
    expect_reject_text(sga_parse, "[{\"senha\":\"A001\"}]", "id");
    expect_reject_text(sga_parse, "[{\"id\":0,\"senha\":\"A001\"}]", "id");
    expect_reject_text(sga_parse, "[{\"id\":1.5,\"senha\":\"A001\"}]", "id");
    expect_reject_text(sga_parse,
                       "[{\"id\":1,\"siglaSenha\":\"A\",\"numeroSenha\":-1,\"local\":\"S\","
                       "\"numeroLocal\":1,\"peso\":0}]",
                       "numeroSenha");
    expect_reject_text(sga_parse, "[{\"id\":1,\"senha\":\"A001\",\"numeroLocal\":1,\"peso\":0}]",
                       "local");
    expect_reject_text(sga_parse,
                       "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":\"1\","
                       "\"peso\":0}]",
                       "numeroLocal");
    expect_reject_text(sga_parse,
                       "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":1}]", "peso");
    expect_reject_text(sga_parse,
                       "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":1,"
                       "\"peso\":0,\"servico\":\"Exames\"}]",
                       "servico");
    expect_reject_text(
        sga_parse,
        "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":1,\"peso\":0},"
        "{\"id\":1,\"senha\":\"A002\",\"local\":\"S\",\"numeroLocal\":1,\"peso\":0}]",
        "twice");
    expect_reject(sga_parse, "[]\0", 3, "NUL");
    expect_reject_text(sga_parse, "[] ]", "not JSON");
    expect_reject_huge(sga_parse, "[]");
}

/* A patient name longer than the field is cut by whole characters, never refused: one long
 * name must not blank the panel. */
static void sga_cuts_long_patient(void **state)
{
    (void)state;
    char name[3 * MODEL_NAME_MAX], body[1024];
    name[0] = 0;
    for (int i = 0; i < MODEL_NAME_MAX / 3 + 5; i++)
        strcat(name, "张");
    const char *format = "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":1,"
                         "\"peso\":0,\"nomeCliente\":\"%s\"}]";
    snprintf(body, sizeof(body), format, name);
    struct model *m = parse_text(sga_parse, body, NULL, NOW);
    assert_true(utf8_valid(m->calls[0].patient));
    assert_int_equal(strlen(m->calls[0].patient), (MODEL_NAME_MAX - 1) / 3 * 3);
    assert_int_equal(strncmp(m->calls[0].patient, name, strlen(m->calls[0].patient)), 0);
    free(m);
    expect_reject_text(sga_parse,
                       "[{\"id\":1,\"senha\":\"A001\",\"local\":\"S\",\"numeroLocal\":1,"
                       "\"peso\":0,\"nomeCliente\":7}]",
                       "nomeCliente");
}

/* A 33-character Chinese service (99 bytes) and a long priority name, as sites write them:
 * cut by whole characters, the panel kept. */
static void sga_cuts_long_service_and_priority(void **state)
{
    (void)state;
    static const char service[] =
        "心血管内科与呼吸内科联合门诊慢性病随访及健康管理中心特需专家门诊部";
    struct model *m = parse_fixture(sga_parse, "novosga-painel-long-names.json", NULL, NOW);
    assert_int_equal(m->ncalls, 1);
    const char *cut = m->calls[0].service;
    assert_true(utf8_valid(cut));
    assert_int_equal(strlen(cut), (MODEL_NAME_MAX - 1) / 3 * 3);
    assert_int_equal(strncmp(cut, service, strlen(cut)), 0);
    assert_int_equal(m->calls[0].priority, PRIORITY_OTHER);
    const char *name = m->calls[0].priority_name;
    assert_true(utf8_valid(name));
    assert_int_equal(strlen(name), (MODEL_NAME_MAX - 1) / 3 * 3);
    assert_int_equal(strncmp(name, "老年人、孕产妇", strlen("老年人、孕产妇")), 0);
    free(m);
}

/* ---- Novo SGA token ---- */

static struct novosga_token token_ok(const char *name)
{
    size_t len;
    char *body = fixture(name, &len);
    struct novosga_token t;
    char *err = NULL;
    memset(&t, 0x5A, sizeof(t));
    assert_int_equal(novosga_parse_token(body, len, NOW, &t, &err), NOVOSGA_TOKEN_OK);
    assert_null(err);
    free(body);
    return t;
}

static void expect_token_answer(const char *body, size_t len, enum novosga_token_answer answer,
                                const char *err_part)
{
    struct novosga_token t, before;
    memset(&t, 0x5A, sizeof(t));
    before = t;
    char *err = NULL;
    assert_int_equal(novosga_parse_token(body, len, NOW, &t, &err), answer);
    assert_non_null(err);
    if (!strstr(err, err_part))
        print_error("error \"%s\" lacks \"%s\"\n", err, err_part);
    assert_non_null(strstr(err, err_part));
    assert_memory_equal(&t, &before, sizeof(t));
    free(err);
}

static void expect_token_reject(const char *body, size_t len, const char *err_part)
{
    expect_token_answer(body, len, NOVOSGA_TOKEN_INVALID, err_part);
}

static void expect_token_reject_text(const char *body, const char *err_part)
{
    expect_token_reject(body, strlen(body), err_part);
}

static void token_parsed(void **state)
{
    (void)state;
    struct novosga_token t = token_ok("novosga-token.json");
    assert_string_equal(t.access, "NjJmYzM1ZDY5ZGI0NGQ1YjkyMzY2YjY2OGM3ZTEwNzYxNDMzMGM5ZmFmNzg5OT"
                                  "Q2MTg3MTVjNmNiZjZjYjU5Zg");
    assert_string_equal(t.refresh, "ZDk5NzU2YjE2OWY1MDZkN2M0ZTRmZmE2Yjg5ZGQ0ZWU1NmRmNmI2Y2I2ZTk4N"
                                   "zA1OTEyZjQzZGQxYzU1ZTkzNQ");
    assert_int_equal(t.expires_at, NOW + 3600);
}

static void token_without_refresh(void **state)
{
    (void)state;
    struct novosga_token t = token_ok("novosga-token-no-refresh.json");
    assert_string_equal(t.access, "YTJiNWQ0ZTM3ZjQ5MGI0NjA4ZmQ2YWVkNzEyMzJlNDk");
    assert_string_equal(t.refresh, "");
    assert_int_equal(t.expires_at, NOW + 86400);
}

static void expect_refusal(const char *name, const char *words, const char *reason)
{
    size_t len;
    char *body = fixture(name, &len);
    expect_token_answer(body, len, NOVOSGA_TOKEN_REFUSED, words);
    expect_token_answer(body, len, NOVOSGA_TOKEN_REFUSED, reason);
    expect_token_answer(body, len, NOVOSGA_TOKEN_REFUSED, "not authorized");
    free(body);
}

/* Refusals are told by their error code, in words staff act on, with Novo SGA's own reason:
 * v2.1 answers 400 to all of them, v2.2 400 or 401, so the status says nothing. */
static void token_refusals_in_words(void **state)
{
    (void)state;
    expect_refusal("novosga-token-invalid-grant.json", "wrong username or password",
                   "Invalid username and password combination");
    expect_refusal("novosga-token-invalid-client.json", "unknown client or wrong secret",
                   "The client credentials are invalid");
    expect_refusal("novosga-token-unauthorized-client.json",
                   "client may not use the password grant", "unauthorized for this client_id");
    expect_refusal("novosga-token-refresh-expired.json", "invalid_grant",
                   "Refresh token has expired");
    expect_refusal("novosga-token-v22-invalid-grant.json", "wrong username or password",
                   "The user credentials were incorrect.");
    expect_refusal("novosga-token-v22-invalid-client.json", "unknown client or wrong secret",
                   "Client authentication failed");
    expect_refusal("novosga-token-v22-refresh-invalid.json", "invalid_request",
                   "The refresh token is invalid. Token has been revoked");
    expect_token_answer("{\"error\":5}", 11, NOVOSGA_TOKEN_REFUSED, "no reason given");
}

/* What is not an OAuth2 answer at all (a login page, a proxy's text, v2.2's resource server
 * text) is told apart from a refusal: the token path probe falls back on it. */
static void token_not_oauth(void **state)
{
    (void)state;
    size_t len;
    char *body = fixture("novosga-painel-401-v22.txt", &len);
    expect_token_answer(body, len, NOVOSGA_TOKEN_NOT_OAUTH, "not JSON");
    free(body);
    expect_token_answer("<html>login</html>", 18, NOVOSGA_TOKEN_NOT_OAUTH, "not JSON");
    expect_token_answer("[\"abc\"]", 7, NOVOSGA_TOKEN_NOT_OAUTH, "not a JSON object");
    expect_token_answer("", 0, NOVOSGA_TOKEN_NOT_OAUTH, "empty");
}

static void token_v22_parsed(void **state)
{
    (void)state;
    struct novosga_token t = token_ok("novosga-token-v22.json");
    assert_int_equal(strncmp(t.access, "eyJ0eXAiOiJKV1Qi", 16), 0);
    assert_int_equal(strncmp(t.refresh, "def50200", 8), 0);
    assert_int_equal(t.expires_at, NOW + 3600);
}

static void token_rejects(void **state)
{
    (void)state;
    char big[2200];
    snprintf(big, sizeof(big), "{\"access_token\":\"%02048d\",\"expires_in\":3600}", 0);
    expect_token_reject_text(big, "access_token");
    expect_token_reject_text("{\"expires_in\":3600}", "access_token");
    expect_token_reject_text("{\"access_token\":\"\",\"expires_in\":3600}", "access_token");
    expect_token_reject_text("{\"access_token\":\"a\\r\\nX-Evil: 1\",\"expires_in\":3600}",
                             "access_token");
    expect_token_reject_text("{\"access_token\":\"abc\",\"expires_in\":\"3600\"}", "expires_in");
    expect_token_reject_text("{\"access_token\":\"abc\"}", "expires_in");
    expect_token_reject_text("{\"access_token\":\"abc\",\"expires_in\":0}", "expires_in");
    expect_token_reject_text(
        "{\"access_token\":\"abc\",\"expires_in\":3600,\"token_type\":\"mac\"}", "bearer");
    expect_token_reject_text("{\"access_token\":\"abc\",\"expires_in\":3600,\"refresh_token\":5}",
                             "refresh_token");
    char *huge = malloc(1024 * 1024 + 1);
    assert_non_null(huge);
    memset(huge, ' ', 1024 * 1024 + 1);
    huge[0] = '{', huge[1] = '}';
    expect_token_answer(huge, 1024 * 1024 + 1, NOVOSGA_TOKEN_NOT_OAUTH, "limit");
    free(huge);
}

int main(void)
{
    config_defaults(&defaults);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(om_maps_fields),
        cmocka_unit_test(om_unchanged_body_keeps_version),
        cmocka_unit_test(om_new_call_prepends),
        cmocka_unit_test(om_recall),
        cmocka_unit_test(om_serving_keeps_calls),
        cmocka_unit_test(om_previous_without_status),
        cmocka_unit_test(om_history_survives_restart),
        cmocka_unit_test(om_history_capped),
        cmocka_unit_test(om_moved_ticket),
        cmocka_unit_test(om_notices_kept),
        cmocka_unit_test(om_every_status_shown),
        cmocka_unit_test(om_rooms_sorted_then_capped),
        cmocka_unit_test(om_long_names),
        cmocka_unit_test(om_rejects),
        cmocka_unit_test(om_long_queue_name_cut),
        cmocka_unit_test(om_calling_status_configured),
        cmocka_unit_test(om_room_order),
        cmocka_unit_test(om_waiting_list),
        cmocka_unit_test(om_call_from_waiting_list),
        cmocka_unit_test(om_average_wait),
        cmocka_unit_test(om_session),
        cmocka_unit_test(sga_maps_serialized_entity),
        cmocka_unit_test(sga_maps_json_serialize),
        cmocka_unit_test(sga_padding),
        cmocka_unit_test(sga_priority),
        cmocka_unit_test(sga_priority_names_configured),
        cmocka_unit_test(sga_priority_fixture),
        cmocka_unit_test(sga_unchanged_body_keeps_version),
        cmocka_unit_test(sga_new_call_prepends),
        cmocka_unit_test(sga_recall),
        cmocka_unit_test(sga_same_ticket_other_counter_is_new),
        cmocka_unit_test(sga_recall_after_first_row_scrolls_away),
        cmocka_unit_test(sga_first_poll_folds_recalls),
        cmocka_unit_test(sga_server_reset),
        cmocka_unit_test(sga_empty_panel),
        cmocka_unit_test(sga_calls_capped),
        cmocka_unit_test(sga_notices_kept),
        cmocka_unit_test(sga_previous_without_mark),
        cmocka_unit_test(sga_rejects),
        cmocka_unit_test(sga_cuts_long_patient),
        cmocka_unit_test(sga_cuts_long_service_and_priority),
        cmocka_unit_test(token_parsed),
        cmocka_unit_test(token_without_refresh),
        cmocka_unit_test(token_v22_parsed),
        cmocka_unit_test(token_refusals_in_words),
        cmocka_unit_test(token_not_oauth),
        cmocka_unit_test(token_rejects),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
