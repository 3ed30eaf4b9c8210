/* test_demo.c: the simulated clinic: populated from the first frame, deterministic however
 * time is stepped, realistic over a long day, and the wall-clock backend around it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "backend/backend.h"
#include "backend/demo.h"
#include "base/clock.h"
#include "base/utf8.h"

#define START 1700000000 /* any fixed instant: the clinic does not follow the time of day */
#define HOUR  3600.0
#define SEED  42

static bool calls_equal(const struct call *a, const struct call *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->ticket, b->ticket) == 0 &&
           strcmp(a->room_id, b->room_id) == 0 && strcmp(a->patient, b->patient) == 0 &&
           a->priority == b->priority && a->called_at == b->called_at && a->recall == b->recall &&
           a->issued_at == b->issued_at;
}

static bool waiting_equal(const struct waiting *a, const struct waiting *b)
{
    return strcmp(a->ticket, b->ticket) == 0 && strcmp(a->service, b->service) == 0 &&
           strcmp(a->patient, b->patient) == 0 && a->priority == b->priority &&
           a->position == b->position && a->eta_min == b->eta_min;
}

static bool rooms_equal(const struct room *a, const struct room *b)
{
    return strcmp(a->id, b->id) == 0 && strcmp(a->name_zh, b->name_zh) == 0 &&
           strcmp(a->name_en, b->name_en) == 0 && a->open == b->open &&
           strcmp(a->serving, b->serving) == 0;
}

/* Field by field: padding inside the structs is not part of the model. */
static bool models_equal(const struct model *a, const struct model *b)
{
    if (a->version != b->version || a->server_time != b->server_time ||
        a->avg_wait_min != b->avg_wait_min || a->ncalls != b->ncalls ||
        a->nwaiting != b->nwaiting || a->nrooms != b->nrooms || a->nnotices != b->nnotices)
        return false;
    for (int i = 0; i < a->ncalls; i++)
        if (!calls_equal(&a->calls[i], &b->calls[i]))
            return false;
    for (int i = 0; i < a->nwaiting; i++)
        if (!waiting_equal(&a->waiting[i], &b->waiting[i]))
            return false;
    for (int i = 0; i < a->nrooms; i++)
        if (!rooms_equal(&a->rooms[i], &b->rooms[i]))
            return false;
    for (int i = 0; i < a->nnotices; i++)
        if (strcmp(a->notices[i].zh, b->notices[i].zh) != 0 ||
            strcmp(a->notices[i].en, b->notices[i].en) != 0)
            return false;
    if (a->nresults != b->nresults || a->nclinics != b->nclinics)
        return false;
    for (int i = 0; i < a->nresults; i++)
        if (strcmp(a->results_ready[i], b->results_ready[i]) != 0)
            return false;
    for (int i = 0; i < a->nclinics; i++)
        if (strcmp(a->clinics[i].doctor, b->clinics[i].doctor) != 0 ||
            strcmp(a->clinics[i].department, b->clinics[i].department) != 0)
            return false;
    return true;
}

/* "A" or "E" then at least three digits, no leading zeros beyond the padding. */
static bool ticket_well_formed(const char *t)
{
    size_t n = strlen(t);
    if ((t[0] != 'A' && t[0] != 'E') || n < 4 || n >= MODEL_TICKET_MAX)
        return false;
    for (size_t i = 1; i < n; i++)
        if (t[i] < '0' || t[i] > '9')
            return false;
    return n == 4 || t[1] != '0';
}

static void check_strings(const struct model *m)
{
    for (int i = 0; i < m->ncalls; i++) {
        const struct call *c = &m->calls[i];
        assert_true(utf8_valid(c->id) && utf8_valid(c->ticket) && utf8_valid(c->room_id));
        assert_true(utf8_valid(c->patient));
    }
    for (int i = 0; i < m->nwaiting; i++) {
        const struct waiting *w = &m->waiting[i];
        assert_true(utf8_valid(w->ticket) && utf8_valid(w->service) && utf8_valid(w->patient));
    }
    for (int i = 0; i < m->nrooms; i++) {
        const struct room *r = &m->rooms[i];
        assert_true(utf8_valid(r->id) && utf8_valid(r->name_zh) && utf8_valid(r->name_en));
        assert_true(utf8_valid(r->serving));
    }
    for (int i = 0; i < m->nnotices; i++)
        assert_true(utf8_valid(m->notices[i].zh) && utf8_valid(m->notices[i].en));
}

static void check_calls(const struct model *m)
{
    assert_in_range(m->ncalls, 1, MODEL_CALLS_MAX);
    for (int i = 0; i < m->ncalls; i++) {
        const struct call *c = &m->calls[i];
        assert_true(ticket_well_formed(c->ticket));
        assert_non_null(model_find_room(m, c->room_id));
        assert_true(c->called_at <= m->server_time);
        assert_true(c->recall >= 0);
        /* Everyone took a ticket before being called, the same day. */
        assert_true(c->issued_at > 0);
        assert_true(c->issued_at <= c->called_at);
        assert_true(c->called_at - c->issued_at < 12 * 3600);
        /* Emergencies, and only they, go to the resuscitation room. */
        assert_int_equal(c->priority == PRIORITY_EMERGENCY, strcmp(c->room_id, "er") == 0);
        assert_int_equal(c->priority == PRIORITY_EMERGENCY, c->ticket[0] == 'E');
        if (i > 0)
            assert_true(c->called_at <= m->calls[i - 1].called_at);
        for (int j = 0; j < i; j++)
            assert_string_not_equal(c->id, m->calls[j].id);
    }
}

/* Queue order: emergencies, then appointments, then everyone else; eta never goes down. */
static void check_waiting(const struct model *m)
{
    assert_in_range(m->nwaiting, 0, MODEL_WAITING_MAX);
    for (int i = 0; i < m->nwaiting; i++) {
        const struct waiting *w = &m->waiting[i];
        assert_int_equal(w->position, i + 1);
        assert_true(ticket_well_formed(w->ticket));
        assert_true(w->eta_min >= 0);
        if (i > 0) {
            assert_true(w->priority <= m->waiting[i - 1].priority);
            assert_true(w->eta_min >= m->waiting[i - 1].eta_min);
        }
    }
}

static void check_rooms(const struct model *m)
{
    assert_in_range(m->nrooms, 4, MODEL_ROOMS_MAX);
    for (int i = 0; i < m->nrooms; i++) {
        const struct room *r = &m->rooms[i];
        if (!r->open)
            assert_string_equal(r->serving, "");
        else if (r->serving[0])
            assert_true(ticket_well_formed(r->serving));
    }
}

/* Results are for patients who saw a doctor in a consulting room: A tickets, each once. */
static void check_results(const struct model *m)
{
    assert_in_range(m->nresults, 0, 10);
    for (int i = 0; i < m->nresults; i++) {
        assert_true(ticket_well_formed(m->results_ready[i]));
        assert_int_equal(m->results_ready[i][0], 'A');
        for (int j = 0; j < i; j++)
            assert_string_not_equal(m->results_ready[i], m->results_ready[j]);
    }
}

static void check_model(const struct model *m)
{
    check_strings(m);
    check_calls(m);
    check_waiting(m);
    check_rooms(m);
    check_results(m);
    assert_in_range(m->nnotices, 2, MODEL_NOTICES_MAX);
}

static void test_initial_clinic_is_in_full_swing(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    const struct model *m = demo_sim_model(sim);
    check_model(m);
    assert_true(m->version > 0);
    assert_int_equal(m->server_time, START);
    assert_in_range(m->ncalls, 5, 8);
    assert_true(m->calls[m->ncalls - 1].called_at >= START - 20 * 60);
    for (int i = 1; i < m->ncalls; i++)
        assert_true(m->calls[i].called_at < m->calls[i - 1].called_at);
    assert_in_range(m->nwaiting, 10, 15);
    assert_in_range(m->nnotices, 2, 3);
    assert_in_range(m->avg_wait_min, 1, 60);

    int open = 0, closed = 0;
    for (int i = 0; i < m->nrooms; i++) {
        const struct room *r = &m->rooms[i];
        if (!r->open) {
            closed++;
            continue;
        }
        open++;
        assert_string_not_equal(r->serving, "");
        /* The one being seen is the one the room called last. */
        for (int j = 0; j < m->ncalls; j++) {
            if (strcmp(m->calls[j].room_id, r->id) == 0) {
                assert_string_equal(m->calls[j].ticket, r->serving);
                break;
            }
        }
    }
    assert_int_equal(open, 4);
    assert_int_equal(closed, 1);
    const struct room *er = model_find_room(m, "er");
    assert_non_null(er);
    assert_string_equal(er->name_zh, "抢救室");
    assert_string_equal(model_find_room(m, "r1")->name_zh, "1 号诊室");
    assert_true(demo_sim_next_event_in(sim) > 0);
    demo_sim_destroy(sim);
}

/* The week's specialist clinics: 6-10 of them, each complete, one long enough to wrap. */
static void test_clinic_table(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    const struct model *m = demo_sim_model(sim);
    assert_in_range(m->nclinics, 6, 10);
    size_t longest = 0;
    int untitled = 0;
    for (int i = 0; i < m->nclinics; i++) {
        const struct clinic *c = &m->clinics[i];
        assert_true(utf8_valid(c->doctor) && utf8_valid(c->title) && utf8_valid(c->department));
        assert_true(utf8_valid(c->days) && utf8_valid(c->sessions));
        assert_true(c->doctor[0] && c->department[0] && c->days[0] && c->sessions[0]);
        assert_non_null(strstr(c->days, "周"));
        untitled += !c->title[0];
        if (utf8_length(c->department) > longest)
            longest = utf8_length(c->department);
    }
    assert_string_equal(m->clinics[0].doctor, "李明");
    assert_string_equal(m->clinics[0].department, "心内科");
    assert_true(longest >= 20); /* a department name that does not fit one line */
    assert_int_equal(untitled, 1);
    demo_sim_advance(sim, HOUR);
    assert_int_equal(demo_sim_model(sim)->nclinics, m->nclinics);
    demo_sim_destroy(sim);
}

/* Tickets called get results out 10-40 min after they leave; the board lists the latest ten,
 * all tickets that were called, and keeps changing through the day. */
static void test_results_come_out(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    char called[2000][MODEL_TICKET_MAX];
    int ncalled = 0;
    char first[MODEL_TICKET_MAX] = "";
    int changes = 0;
    for (int minute = 0; minute < 6 * 60; minute++) {
        struct model before = *demo_sim_model(sim);
        demo_sim_advance(sim, 60);
        const struct model *m = demo_sim_model(sim);
        for (int i = 0; i < m->ncalls && model_is_new_call(&before, &m->calls[i]); i++)
            if (ncalled < 2000)
                snprintf(called[ncalled++], MODEL_TICKET_MAX, "%s", m->calls[i].ticket);
        check_results(m);
        changes += m->nresults != before.nresults ||
                   (m->nresults && strcmp(m->results_ready[m->nresults - 1],
                                          before.results_ready[before.nresults - 1]) != 0);
        /* A ticket called while we watched appears at the earliest 10 min after its call. */
        if (m->nresults && before.nresults &&
            strcmp(m->results_ready[m->nresults - 1], before.results_ready[before.nresults - 1])) {
            const char *newest = m->results_ready[m->nresults - 1];
            for (int i = 0; i < m->ncalls; i++)
                if (strcmp(m->calls[i].ticket, newest) == 0)
                    assert_true(m->server_time - m->calls[i].called_at >= 180 + 600);
            if (!first[0])
                snprintf(first, sizeof(first), "%s", newest);
        }
    }
    assert_true(changes >= 20);
    const struct model *m = demo_sim_model(sim);
    assert_int_equal(m->nresults, 10);
    /* After six hours every ticket listed was called while we watched. */
    for (int i = 0; i < m->nresults; i++) {
        bool seen = false;
        for (int j = 0; j < ncalled && !seen; j++)
            seen = strcmp(called[j], m->results_ready[i]) == 0;
        if (!seen)
            fail_msg("%s has results but was never called", m->results_ready[i]);
    }
    demo_sim_destroy(sim);
}

/* Results and clinics are only data for the board: with their own random stream, the same
 * seed still calls the same patients at the same times as before they existed (these are
 * seed 42's calls two hours in, as the simulation made them without results). */
static void test_results_do_not_change_the_calls(void **state)
{
    (void)state;
    static const struct {
        const char *ticket;
        int at;
    } before_results[] = {{"A081", 7044}, {"A064", 6867}, {"A063", 6643}, {"A062", 6607},
                          {"A074", 6102}, {"A056", 5783}, {"A048", 5204}};
    static const int index[] = {0, 1, 2, 3, 8, 10, 15};
    struct demo_sim *sim = demo_sim_create(SEED, START);
    demo_sim_advance(sim, 2 * HOUR);
    const struct model *m = demo_sim_model(sim);
    assert_true(m->nresults > 0);
    assert_int_equal(m->ncalls, 16);
    assert_int_equal(m->nwaiting, 13);
    for (int i = 0; i < 7; i++) {
        assert_string_equal(m->calls[index[i]].ticket, before_results[i].ticket);
        assert_int_equal(m->calls[index[i]].called_at, START + before_results[i].at);
    }
    demo_sim_destroy(sim);
}

static void test_same_seed_same_clinic(void **state)
{
    (void)state;
    static const double steps[] = {0.5, 12, 300, 7.25, 1800, 0.001, 3600};
    struct demo_sim *a = demo_sim_create(SEED, START);
    struct demo_sim *b = demo_sim_create(SEED, START);
    assert_true(models_equal(demo_sim_model(a), demo_sim_model(b)));
    for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++) {
        assert_int_equal(demo_sim_advance(a, steps[i]), demo_sim_advance(b, steps[i]));
        assert_true(models_equal(demo_sim_model(a), demo_sim_model(b)));
    }
    demo_sim_destroy(a);
    demo_sim_destroy(b);
}

static void test_step_grouping_does_not_matter(void **state)
{
    (void)state;
    struct demo_sim *one = demo_sim_create(SEED, START);
    struct demo_sim *seconds = demo_sim_create(SEED, START);
    struct demo_sim *quarters = demo_sim_create(SEED, START);
    int events = demo_sim_advance(one, HOUR);
    int sum = 0;
    for (int i = 0; i < 3600; i++)
        sum += demo_sim_advance(seconds, 1.0);
    for (int i = 0; i < 4 * 3600; i++)
        demo_sim_advance(quarters, 0.25);
    assert_true(events > 10);
    assert_int_equal(sum, events);
    assert_true(models_equal(demo_sim_model(one), demo_sim_model(seconds)));
    assert_true(models_equal(demo_sim_model(one), demo_sim_model(quarters)));
    assert_int_equal(demo_sim_model(one)->version, demo_sim_model(seconds)->version);
    demo_sim_destroy(one);
    demo_sim_destroy(seconds);
    demo_sim_destroy(quarters);
}

static void test_different_seeds_differ(void **state)
{
    (void)state;
    struct demo_sim *a = demo_sim_create(1, START);
    struct demo_sim *b = demo_sim_create(2, START);
    assert_false(models_equal(demo_sim_model(a), demo_sim_model(b)));
    demo_sim_advance(a, HOUR);
    demo_sim_advance(b, HOUR);
    assert_false(models_equal(demo_sim_model(a), demo_sim_model(b)));
    demo_sim_destroy(a);
    demo_sim_destroy(b);
}

static void test_next_event_in_is_exact(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    for (int i = 0; i < 200; i++) {
        double next = demo_sim_next_event_in(sim);
        uint64_t version = demo_sim_model(sim)->version;
        assert_true(next > 0);
        assert_int_equal(demo_sim_advance(sim, next / 2), 0);
        assert_int_equal(demo_sim_model(sim)->version, version);
        int events = demo_sim_advance(sim, next / 2);
        assert_true(events >= 1);
        assert_int_equal(demo_sim_model(sim)->version, version + (uint64_t)events);
    }
    demo_sim_destroy(sim);
}

static void test_nothing_happens_without_time(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    struct model before = *demo_sim_model(sim);
    assert_int_equal(demo_sim_advance(sim, 0), 0);
    assert_int_equal(demo_sim_advance(sim, -60), 0);
    assert_true(models_equal(&before, demo_sim_model(sim)));
    demo_sim_destroy(sim);
}

struct day {
    int recalls, appointments, emergencies, calls;
    int min_waiting, max_waiting, empty_minutes, longest_empty;
    double mean_waiting;
    bool four_digits;
};

static void observe_minute(struct day *d, const struct model *m, const struct model *before)
{
    for (int i = 0; i < m->ncalls && model_is_new_call(before, &m->calls[i]); i++) {
        const struct call *c = &m->calls[i];
        d->calls++;
        d->recalls += c->recall > 0;
        d->appointments += c->priority == PRIORITY_APPOINTMENT;
        d->emergencies += c->priority == PRIORITY_EMERGENCY;
        d->four_digits |= strlen(c->ticket) == 5;
    }
    if (m->nwaiting < d->min_waiting)
        d->min_waiting = m->nwaiting;
    if (m->nwaiting > d->max_waiting)
        d->max_waiting = m->nwaiting;
    d->empty_minutes = m->nwaiting == 0 ? d->empty_minutes + 1 : 0;
    if (d->empty_minutes > d->longest_empty)
        d->longest_empty = d->empty_minutes;
    d->mean_waiting += m->nwaiting;
}

/* Minute by minute, checking every snapshot, as the kiosk would see it. */
static struct day run_day(uint64_t seed, int minutes)
{
    struct day d = {.min_waiting = MODEL_WAITING_MAX};
    struct demo_sim *sim = demo_sim_create(seed, START);
    for (int i = 0; i < minutes; i++) {
        struct model before = *demo_sim_model(sim);
        int events = demo_sim_advance(sim, 60);
        const struct model *m = demo_sim_model(sim);
        check_model(m);
        assert_int_equal(m->version, before.version + (uint64_t)events);
        assert_int_equal(m->server_time, START + 60 * (i + 1));
        if (events == 0) {
            before.server_time = m->server_time; /* the clock alone moved */
            assert_true(models_equal(&before, m));
        }
        observe_minute(&d, m, &before);
    }
    d.mean_waiting /= minutes;
    demo_sim_destroy(sim);
    return d;
}

static void test_ten_hour_day_is_realistic(void **state)
{
    (void)state;
    for (uint64_t seed = 1; seed <= 5; seed++) {
        struct day d = run_day(seed, 10 * 60);
        /* About 30 calls an hour from three rooms. */
        assert_in_range(d.calls, 200, 420);
        assert_true(d.recalls >= 1);
        assert_true(d.appointments >= d.calls / 8);
        assert_true(d.emergencies >= 1);
        assert_true(d.emergencies <= d.calls / 10);
        assert_true(d.max_waiting <= 30);
        assert_true(d.longest_empty <= 15);
        assert_true(d.mean_waiting >= 6 && d.mean_waiting <= 22);
    }
}

static void test_tickets_roll_to_four_digits(void **state)
{
    (void)state;
    struct day d = run_day(SEED, 48 * 60);
    assert_true(d.four_digits);
}

static const struct call *find_call(const struct model *m, const char *id)
{
    for (int i = 0; i < m->ncalls; i++)
        if (strcmp(m->calls[i].id, id) == 0)
            return &m->calls[i];
    return NULL;
}

/* A recall is the same visit called again: same id and ticket, one more recall, on top. */
static void test_recall_keeps_the_call(void **state)
{
    (void)state;
    struct demo_sim *sim = demo_sim_create(SEED, START);
    int recalls = 0;
    for (int i = 0; i < 20 * 3600 && recalls < 3; i++) {
        struct model before = *demo_sim_model(sim);
        if (demo_sim_advance(sim, 1) == 0)
            continue;
        const struct model *m = demo_sim_model(sim);
        const struct call *c = &m->calls[0];
        if (c->recall == 0 || !model_is_new_call(&before, c))
            continue;
        const struct call *old = find_call(&before, c->id);
        assert_non_null(old);
        assert_int_equal(old->recall, c->recall - 1);
        assert_string_equal(old->ticket, c->ticket);
        assert_string_equal(old->room_id, c->room_id);
        assert_true(c->called_at > old->called_at);
        assert_int_equal(c->called_at, m->server_time);
        assert_string_equal(model_find_room(m, c->room_id)->serving, c->ticket);
        recalls++;
    }
    assert_int_equal(recalls, 3);
    demo_sim_destroy(sim);
}

static struct config demo_config(int speed)
{
    struct config c;
    memset(&c, 0, sizeof(c));
    c.backend.type = BACKEND_DEMO;
    c.backend.seed = SEED;
    c.backend.speed = speed;
    c.backend.poll_interval_ms = 1000;
    return c;
}

/* The backend measures elapsed time on base/clock.h; these tests move it by hand. */
static uint64_t fake_now_ms = 5000;

static uint64_t fake_clock(void)
{
    return fake_now_ms;
}

static int use_fake_clock(void **state)
{
    (void)state;
    fake_now_ms = 5000;
    clock_set_source(fake_clock);
    return 0;
}

static int use_system_clock(void **state)
{
    (void)state;
    clock_set_source(NULL);
    return 0;
}

static void test_backend_frozen(void **state)
{
    (void)state;
    struct config config = demo_config(0);
    char *err = NULL;
    struct backend *b = backend_demo.create(&config, &err);
    assert_non_null(b);
    assert_null(err);
    struct model m;
    assert_int_equal(backend_demo.poll(b, &m, &err), BACKEND_CHANGED);
    check_model(&m);
    assert_true(m.ncalls >= 5 && m.nwaiting >= 10);
    assert_true(llabs(m.server_time - (int64_t)time(NULL)) <= 2);
    assert_int_equal(backend_demo.next_poll_ms(b), 1000);
    fake_now_ms += 3600 * 1000;
    assert_int_equal(backend_demo.poll(b, &m, &err), BACKEND_UNCHANGED);
    assert_null(err);
    backend_demo.destroy(b);
}

static void test_backend_fast(void **state)
{
    (void)state;
    struct config config = demo_config(10000);
    char *err = NULL;
    struct backend *b = backend_demo.create(&config, &err);
    assert_non_null(b);
    assert_string_equal(backend_demo.name, "demo");
    struct model first, later;
    assert_int_equal(backend_demo.poll(b, &first, &err), BACKEND_CHANGED);
    int wait = backend_demo.next_poll_ms(b);
    assert_in_range(wait, 50, 1000);
    fake_now_ms += 60; /* 600 simulated seconds: several calls and arrivals */
    assert_int_equal(backend_demo.poll(b, &later, &err), BACKEND_CHANGED);
    assert_true(later.version > first.version);
    assert_int_equal(later.server_time - first.server_time, 600);
    check_model(&later);
    backend_demo.destroy(b);
}

static void test_destroy_accepts_null(void **state)
{
    (void)state;
    demo_sim_destroy(NULL);
    backend_demo.destroy(NULL);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_initial_clinic_is_in_full_swing),
        cmocka_unit_test(test_clinic_table),
        cmocka_unit_test(test_results_come_out),
        cmocka_unit_test(test_results_do_not_change_the_calls),
        cmocka_unit_test(test_same_seed_same_clinic),
        cmocka_unit_test(test_step_grouping_does_not_matter),
        cmocka_unit_test(test_different_seeds_differ),
        cmocka_unit_test(test_next_event_in_is_exact),
        cmocka_unit_test(test_nothing_happens_without_time),
        cmocka_unit_test(test_ten_hour_day_is_realistic),
        cmocka_unit_test(test_tickets_roll_to_four_digits),
        cmocka_unit_test(test_recall_keeps_the_call),
        cmocka_unit_test_setup_teardown(test_backend_frozen, use_fake_clock, use_system_clock),
        cmocka_unit_test_setup_teardown(test_backend_fast, use_fake_clock, use_system_clock),
        cmocka_unit_test(test_destroy_accepts_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
