/* demo.c: the demo backend, a seeded discrete-event simulation of a busy internal-medicine
 * waiting area, so the kiosk can be shown and tested without a hospital server. */
#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/clock.h"
#include "backend/backend.h"
#include "backend/demo.h"
#include "base/utf8.h"

#define LOG_MODULE "demo"
#include "base/log.h"

#define NEVER        INT64_MAX
#define VERSION_BASE 1

/* Consultation lengths are min + spread * u^2: skewed towards short visits like a real clinic
 * (3-12 min, mean 6 because u^2 averages 1/3). */
#define CONSULT_MIN_S    180
#define CONSULT_SPREAD_S 540
#define CONSULT_MEAN_S   360 /* CONSULT_MIN_S + CONSULT_SPREAD_S / 3 */
#define ER_MIN_S         900
#define ER_SPREAD_S      1200

/* Arrivals match the three open rooms' pace at QUEUE_TARGET waiting and speed up or slow down
 * away from it, so the queue wanders around the target instead of draining or exploding. */
#define ARRIVAL_MEAN_S  120 /* CONSULT_MEAN_S / 3 open rooms */
#define ARRIVAL_MIN_S   10
#define ARRIVAL_MAX_S   900
#define QUEUE_TARGET    12
#define QUEUE_CAP       30 /* the waiting room is full: latecomers go elsewhere */
#define START_WAITING   10 /* 10-15 waiting at creation */
#define START_WAITING_N 6

/* About one call in thirty is an emergency at three rooms' pace of ~30 calls an hour. */
#define EMERGENCY_MEAN_S 3600
#define EMERGENCY_MIN_S  600

#define APPOINTMENT_SHARE 0.25
#define NAMED_SHARE       0.5
#define RECALL_SHARE      0.05
#define RECALL_MIN_S      60
#define RECALL_SPREAD_S   90

#define HISTORY_CALLS   5 /* 5-8 calls at creation, one every 1-2.5 min */
#define HISTORY_CALLS_N 4
#define HISTORY_GAP_MIN 60
#define HISTORY_GAP_N   90
#define HISTORY_WAIT_S  900 /* those patients waited 15-35 min */
#define HISTORY_WAIT_N  1200
#define FIRST_TICKET_N  40 /* the clinic opened a while ago: the first ticket seen is A001-A040 */
#define RECENT_WAITS    12

/* Some patients leaving a consulting room have tests whose results come out a while later;
 * the board lists the latest RESULTS_SHOWN, oldest first. */
#define RESULTS_SHARE    0.3
#define RESULTS_MIN_S    600
#define RESULTS_SPREAD_S 1800
#define RESULTS_SHOWN    10
#define RESULTS_PENDING  32

#define SERVICE           "内科"
#define SERVICE_EMERGENCY "急诊"

#define MIN_POLL_MS 50

struct room_spec {
    const char *id, *name_zh, *name_en;
    bool open;
    bool emergency; /* sees only emergencies, and emergencies go nowhere else */
};

static const struct room_spec room_specs[] = {
    {"r1", "1 号诊室", "Room 1", .open = true},
    {"r2", "2 号诊室", "Room 2", .open = true},
    {"r3", "3 号诊室", "Room 3", .open = false}, /* 暂停, so the board shows a closed room */
    {"r4", "4 号诊室", "Room 4", .open = true},
    {"er", "抢救室", "Resuscitation Room", .open = true, .emergency = true},
};

#define NROOMS ((int)(sizeof(room_specs) / sizeof(room_specs[0])))
_Static_assert(NROOMS <= HISTORY_CALLS, "the history must reach every open room");

/* Events are numbered so that simultaneous ones always apply in the same order. */
#define EVENT_ARRIVAL   NROOMS
#define EVENT_EMERGENCY (NROOMS + 1)
#define EVENT_RESULTS   (NROOMS + 2)
#define NEVENTS         (NROOMS + 3)

static const char *const names[] = {
    "张三",   "王小明",   "欧阳娜娜", "李华",   "陈静",        "刘洋",       "赵敏",
    "黄晓燕", "周杰",     "吴芳",     "徐志强", "孙丽",        "马超",       "朱婷",
    "胡建国", "郭佳",     "何欣",     "林小雨", "高峰",        "诸葛明月",   "罗文",
    "郑丽娟", "阿依古丽", "宋雨桐",   "韩磊",   "Maria Lopez", "John Smith", "Anna Müller",
};

#define NNAMES ((int)(sizeof(names) / sizeof(names[0])))

/* The specialist clinics of the week, one long entry to try the layout with. */
static const struct clinic clinics[] = {
    {"李明", "主任医师", "心内科", "周一 周三", "上午"},
    {"王秀兰", "主任医师", "呼吸与危重症医学科", "周二 周四", "全天"},
    {"张建华", "副主任医师", "消化内科", "周一 周五", "下午"},
    {"陈立群", "主任医师", "内分泌科", "周三", "上午"},
    {"刘思远", "副主任医师", "神经内科", "周二 周六", "上午"},
    {"赵文博", "主治医师", "肾内科", "周四", "下午"},
    {"司马文轩", "主任医师", "心血管内科（冠心病与结构性心脏病介入诊疗中心）", "周一 周三 周五",
     "上午 下午"},
    {"孙振宇", "", "风湿免疫科", "周五", "上午"},
};

#define NCLINICS ((int)(sizeof(clinics) / sizeof(clinics[0])))
_Static_assert(NCLINICS <= MODEL_CLINICS_MAX, "the model holds every clinic");

static const struct notice notices[] = {
    {"请保持安静，留意叫号", "Please keep quiet and listen for your number"},
    {"投诉电话：服务台 或 12320", "Complaints: service desk or 12320"},
    {"免费 Wi-Fi: Hospital-Guest", "Free Wi-Fi: Hospital-Guest"},
};

/* xoshiro256** seeded through splitmix64: the C library's rand() is neither portable nor ours. */
struct rng {
    uint64_t s[4];
};

struct patient {
    char ticket[MODEL_TICKET_MAX];
    char name[MODEL_NAME_MAX];
    enum priority priority;
    int64_t arrived_at;
};

struct desk {
    int64_t next_at; /* consultation end or pending recall; NEVER when idle or closed */
    bool recall_due;
    struct call current; /* kept so a recall survives its call dropping off the history */
};

struct pending_result {
    char ticket[MODEL_TICKET_MAX];
    int64_t due;
};

struct demo_sim {
    struct rng rng;
    /* Its own stream, so that adding results changed nobody's call: the same seed still calls
     * the same patients at the same times. */
    struct rng results_rng;
    struct pending_result pending[RESULTS_PENDING]; /* in due order */
    int npending;
    int64_t start;
    double elapsed;          /* simulated seconds since start */
    uint32_t next_ticket[2]; /* [0] normal and appointment "A", [1] emergency "E" */
    uint32_t next_call;
    int64_t next_arrival, next_emergency;
    struct desk desks[NROOMS];
    struct patient queue[MODEL_WAITING_MAX]; /* most urgent first, then by arrival */
    int nqueue;
    int64_t waits[RECENT_WAITS]; /* ring of the latest waits, seconds */
    int nwaits;                  /* waits ever recorded */
    struct model model;
};

static uint64_t splitmix64(uint64_t *x)
{
    uint64_t z = (*x += 0x9E3779B97F4A7C15u);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9u;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBu;
    return z ^ (z >> 31);
}

static void rng_seed(struct rng *r, uint64_t seed)
{
    for (int i = 0; i < 4; i++)
        r->s[i] = splitmix64(&seed);
}

static uint64_t rotl(uint64_t x, int k)
{
    return (x << k) | (x >> (64 - k));
}

static uint64_t rng_next(struct rng *r)
{
    uint64_t *s = r->s;
    uint64_t result = rotl(s[1] * 5, 7) * 9;
    uint64_t t = s[1] << 17;
    s[2] ^= s[0];
    s[3] ^= s[1];
    s[1] ^= s[2];
    s[0] ^= s[3];
    s[2] ^= t;
    s[3] = rotl(s[3], 45);
    return result;
}

/* Uniform in [0, 1). */
static double rng_unit(struct rng *r)
{
    return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

static int rng_below(struct rng *r, int n)
{
    return (int)(rng_unit(r) * n);
}

static bool rng_chance(struct rng *r, double p)
{
    return rng_unit(r) < p;
}

static int64_t rng_exponential(struct rng *r, double mean)
{
    return (int64_t)(-mean * log1p(-rng_unit(r)));
}

static int64_t clamp64(int64_t v, int64_t lo, int64_t hi)
{
    return v < lo ? lo : v > hi ? hi : v;
}

static int64_t consult_length(struct demo_sim *sim, int room)
{
    double u = rng_unit(&sim->rng);
    if (room_specs[room].emergency)
        return ER_MIN_S + (int64_t)(ER_SPREAD_S * u * u);
    return CONSULT_MIN_S + (int64_t)(CONSULT_SPREAD_S * u * u);
}

static int64_t arrival_gap(struct demo_sim *sim)
{
    double mean = ARRIVAL_MEAN_S * (0.55 + 0.45 * sim->nqueue / QUEUE_TARGET);
    return clamp64(rng_exponential(&sim->rng, mean), ARRIVAL_MIN_S, ARRIVAL_MAX_S);
}

static int64_t emergency_gap(struct demo_sim *sim)
{
    int64_t gap = rng_exponential(&sim->rng, EMERGENCY_MEAN_S);
    return gap > EMERGENCY_MIN_S ? gap : EMERGENCY_MIN_S;
}

static int open_clinic_rooms(void)
{
    int n = 0;
    for (int i = 0; i < NROOMS; i++)
        n += room_specs[i].open && !room_specs[i].emergency;
    return n;
}

/* Numbers grow past 999 to four digits rather than wrapping, as hospital systems do. */
static struct patient patient_new(struct demo_sim *sim, bool emergency, int64_t arrived_at)
{
    struct patient p = {.priority = PRIORITY_NORMAL, .arrived_at = arrived_at};
    if (emergency)
        p.priority = PRIORITY_EMERGENCY;
    else if (rng_chance(&sim->rng, APPOINTMENT_SHARE))
        p.priority = PRIORITY_APPOINTMENT;
    snprintf(p.ticket, sizeof(p.ticket), "%c%03" PRIu32, emergency ? 'E' : 'A',
             sim->next_ticket[emergency]++);
    if (rng_chance(&sim->rng, NAMED_SHARE))
        utf8_copy(p.name, sizeof(p.name), names[rng_below(&sim->rng, NNAMES)]);
    return p;
}

static void queue_insert(struct demo_sim *sim, const struct patient *p)
{
    int at = 0;
    while (at < sim->nqueue && sim->queue[at].priority >= p->priority)
        at++;
    memmove(&sim->queue[at + 1], &sim->queue[at],
            (size_t)(sim->nqueue - at) * sizeof(sim->queue[0]));
    sim->queue[at] = *p;
    sim->nqueue++;
}

/* Takes the first patient the room may see: emergencies for the resuscitation room, everyone
 * else for the consulting rooms. */
static bool queue_take(struct demo_sim *sim, int room, struct patient *out)
{
    bool emergency = room_specs[room].emergency;
    for (int i = 0; i < sim->nqueue; i++) {
        if ((sim->queue[i].priority == PRIORITY_EMERGENCY) != emergency)
            continue;
        *out = sim->queue[i];
        sim->nqueue--;
        memmove(&sim->queue[i], &sim->queue[i + 1],
                (size_t)(sim->nqueue - i) * sizeof(sim->queue[0]));
        return true;
    }
    return false;
}

static void calls_push(struct model *m, const struct call *call)
{
    int keep = m->ncalls < MODEL_CALLS_MAX ? m->ncalls : MODEL_CALLS_MAX - 1;
    memmove(&m->calls[1], &m->calls[0], (size_t)keep * sizeof(m->calls[0]));
    m->calls[0] = *call;
    m->ncalls = keep + 1;
}

static void calls_remove(struct model *m, const char *id)
{
    for (int i = 0; i < m->ncalls; i++) {
        if (strcmp(m->calls[i].id, id) == 0) {
            m->ncalls--;
            memmove(&m->calls[i], &m->calls[i + 1], (size_t)(m->ncalls - i) * sizeof(m->calls[0]));
            return;
        }
    }
}

static void record_wait(struct demo_sim *sim, int64_t seconds)
{
    sim->waits[sim->nwaits % RECENT_WAITS] = seconds;
    sim->nwaits++;
}

/* After a call the patient either walks in, or (now and then) does not show and is called
 * again a minute or two later. */
static void schedule_desk(struct demo_sim *sim, int room, int64_t at)
{
    struct desk *d = &sim->desks[room];
    d->recall_due = rng_chance(&sim->rng, RECALL_SHARE);
    if (d->recall_due)
        d->next_at = at + RECALL_MIN_S + rng_below(&sim->rng, RECALL_SPREAD_S);
    else
        d->next_at = at + consult_length(sim, room);
}

static void room_call(struct demo_sim *sim, int room, const struct patient *p, int64_t at)
{
    struct call *c = &sim->desks[room].current;
    memset(c, 0, sizeof(*c));
    /* The start time keeps ids unique across restarts: the call history keys on them, and a
     * restarted simulation numbers its calls from 1 again. */
    snprintf(c->id, sizeof(c->id), "c%" PRId64 "-%06" PRIu32, sim->start, sim->next_call++);
    utf8_copy(c->ticket, sizeof(c->ticket), p->ticket);
    utf8_copy(c->room_id, sizeof(c->room_id), room_specs[room].id);
    utf8_copy(c->patient, sizeof(c->patient), p->name);
    c->priority = p->priority;
    c->called_at = at;
    c->issued_at = p->arrived_at;
    calls_push(&sim->model, c);
    utf8_copy(sim->model.rooms[room].serving, sizeof(sim->model.rooms[room].serving), p->ticket);
    /* The board's average is what ordinary patients can expect; emergencies never queue. */
    if (p->priority != PRIORITY_EMERGENCY)
        record_wait(sim, at - p->arrived_at);
    schedule_desk(sim, room, at);
}

static void room_recall(struct demo_sim *sim, int room, int64_t at)
{
    struct call *c = &sim->desks[room].current;
    c->recall++;
    c->called_at = at;
    calls_remove(&sim->model, c->id);
    calls_push(&sim->model, c);
    schedule_desk(sim, room, at);
}

/* The patient in a consulting room leaves; now and then with tests to come back. */
static void patient_leaves(struct demo_sim *sim, int room, int64_t at)
{
    const struct call *c = &sim->desks[room].current;
    if (room_specs[room].emergency || !c->ticket[0] || sim->npending == RESULTS_PENDING ||
        !rng_chance(&sim->results_rng, RESULTS_SHARE))
        return;
    int64_t due = at + RESULTS_MIN_S + rng_below(&sim->results_rng, RESULTS_SPREAD_S);
    int i = sim->npending;
    while (i > 0 && sim->pending[i - 1].due > due) {
        sim->pending[i] = sim->pending[i - 1];
        i--;
    }
    sim->pending[i].due = due;
    utf8_copy(sim->pending[i].ticket, sizeof(sim->pending[i].ticket), c->ticket);
    sim->npending++;
}

static void results_push(struct model *m, const char *ticket)
{
    if (m->nresults == RESULTS_SHOWN) {
        memmove(m->results_ready[0], m->results_ready[1],
                (size_t)(RESULTS_SHOWN - 1) * sizeof(m->results_ready[0]));
        m->nresults--;
    }
    utf8_copy(m->results_ready[m->nresults], sizeof(m->results_ready[0]), ticket);
    m->nresults++;
}

static void on_results(struct demo_sim *sim)
{
    results_push(&sim->model, sim->pending[0].ticket);
    sim->npending--;
    memmove(&sim->pending[0], &sim->pending[1], (size_t)sim->npending * sizeof(sim->pending[0]));
}

static void room_next(struct demo_sim *sim, int room, int64_t at)
{
    struct patient p;
    patient_leaves(sim, room, at);
    if (queue_take(sim, room, &p)) {
        room_call(sim, room, &p, at);
        return;
    }
    sim->model.rooms[room].serving[0] = '\0';
    sim->desks[room].next_at = NEVER;
}

static void call_idle_rooms(struct demo_sim *sim, int64_t at)
{
    struct patient p;
    for (int i = 0; i < NROOMS; i++) {
        if (room_specs[i].open && sim->desks[i].next_at == NEVER && queue_take(sim, i, &p))
            room_call(sim, i, &p, at);
    }
}

static void on_arrival(struct demo_sim *sim, int64_t at)
{
    if (sim->nqueue < QUEUE_CAP) {
        struct patient p = patient_new(sim, false, at);
        queue_insert(sim, &p);
        call_idle_rooms(sim, at);
    }
    sim->next_arrival = at + arrival_gap(sim);
}

static void on_emergency(struct demo_sim *sim, int64_t at)
{
    if (sim->nqueue < MODEL_WAITING_MAX) {
        struct patient p = patient_new(sim, true, at);
        queue_insert(sim, &p);
        call_idle_rooms(sim, at);
    }
    sim->next_emergency = at + emergency_gap(sim);
}

static int64_t event_time(const struct demo_sim *sim, int event)
{
    if (event == EVENT_ARRIVAL)
        return sim->next_arrival;
    if (event == EVENT_EMERGENCY)
        return sim->next_emergency;
    if (event == EVENT_RESULTS)
        return sim->npending ? sim->pending[0].due : NEVER;
    return sim->desks[event].next_at;
}

static int next_event(const struct demo_sim *sim)
{
    int best = 0;
    for (int e = 1; e < NEVENTS; e++) {
        if (event_time(sim, e) < event_time(sim, best))
            best = e;
    }
    return best;
}

/* Handlers take the event's own time, never the clock, so how advance() is chunked cannot
 * change what happens. */
static void apply_event(struct demo_sim *sim, int event, int64_t at)
{
    if (event == EVENT_ARRIVAL)
        on_arrival(sim, at);
    else if (event == EVENT_EMERGENCY)
        on_emergency(sim, at);
    else if (event == EVENT_RESULTS)
        on_results(sim);
    else if (sim->desks[event].recall_due)
        room_recall(sim, event, at);
    else
        room_next(sim, event, at);
}

static int average_wait_min(const struct demo_sim *sim)
{
    int n = sim->nwaits < RECENT_WAITS ? sim->nwaits : RECENT_WAITS;
    if (n == 0)
        return -1;
    int64_t sum = 0;
    for (int i = 0; i < n; i++)
        sum += sim->waits[i];
    return (int)((sum / n + 30) / 60);
}

/* Emergencies go first and at once; everyone else waits their turn for one of the open rooms. */
static void publish(struct demo_sim *sim)
{
    struct model *m = &sim->model;
    int rooms = open_clinic_rooms();
    int ahead = 0;
    m->nwaiting = sim->nqueue;
    for (int i = 0; i < sim->nqueue; i++) {
        const struct patient *p = &sim->queue[i];
        struct waiting *w = &m->waiting[i];
        bool emergency = p->priority == PRIORITY_EMERGENCY;
        memset(w, 0, sizeof(*w));
        utf8_copy(w->ticket, sizeof(w->ticket), p->ticket);
        utf8_copy(w->service, sizeof(w->service), emergency ? SERVICE_EMERGENCY : SERVICE);
        utf8_copy(w->patient, sizeof(w->patient), p->name);
        w->priority = p->priority;
        w->position = i + 1;
        w->eta_min = emergency ? 0 : (++ahead * CONSULT_MEAN_S / rooms + 30) / 60;
    }
    m->avg_wait_min = average_wait_min(sim);
}

static void setup_board(struct demo_sim *sim)
{
    struct model *m = &sim->model;
    m->nrooms = NROOMS;
    for (int i = 0; i < NROOMS; i++) {
        struct room *r = &m->rooms[i];
        utf8_copy(r->id, sizeof(r->id), room_specs[i].id);
        utf8_copy(r->name_zh, sizeof(r->name_zh), room_specs[i].name_zh);
        utf8_copy(r->name_en, sizeof(r->name_en), room_specs[i].name_en);
        r->open = room_specs[i].open;
        sim->desks[i].next_at = NEVER;
    }
    m->nnotices = (int)(sizeof(notices) / sizeof(notices[0]));
    for (int i = 0; i < m->nnotices; i++)
        m->notices[i] = notices[i];
    m->nclinics = NCLINICS;
    for (int i = 0; i < NCLINICS; i++)
        m->clinics[i] = clinics[i];
}

/* The clinic opened a while ago: some of the tickets before the first one seen have their
 * results out already. */
static void earlier_results(struct demo_sim *sim)
{
    for (uint32_t n = 1; n < sim->next_ticket[0]; n++) {
        if (rng_chance(&sim->results_rng, RESULTS_SHARE)) {
            char ticket[MODEL_TICKET_MAX];
            snprintf(ticket, sizeof(ticket), "A%03" PRIu32, n);
            results_push(&sim->model, ticket);
        }
    }
}

static int random_clinic_room(struct demo_sim *sim)
{
    for (;;) {
        int room = rng_below(&sim->rng, NROOMS);
        if (room_specs[room].open && !room_specs[room].emergency)
            return room;
    }
}

/* Open rooms in a random order: the newest history calls go one to each. */
static int shuffled_open_rooms(struct demo_sim *sim, int *order)
{
    int n = 0;
    for (int i = 0; i < NROOMS; i++) {
        if (room_specs[i].open)
            order[n++] = i;
    }
    for (int i = n - 1; i > 0; i--) {
        int j = rng_below(&sim->rng, i + 1);
        int t = order[i];
        order[i] = order[j];
        order[j] = t;
    }
    return n;
}

/* The last few calls, made oldest first through the same path as live calls. HISTORY_CALLS is
 * at least the number of open rooms, so every open room ends up with a patient inside. */
static void make_history(struct demo_sim *sim)
{
    int order[NROOMS];
    int nopen = shuffled_open_rooms(sim, order);
    int ncalls = HISTORY_CALLS + rng_below(&sim->rng, HISTORY_CALLS_N);
    int64_t at = sim->start - HISTORY_GAP_MIN - rng_below(&sim->rng, HISTORY_GAP_N);
    int64_t times[HISTORY_CALLS + HISTORY_CALLS_N - 1];
    for (int k = ncalls - 1; k >= 0; k--) {
        times[k] = at;
        at -= HISTORY_GAP_MIN + rng_below(&sim->rng, HISTORY_GAP_N);
    }
    for (int k = 0; k < ncalls; k++) {
        int room = k >= ncalls - nopen ? order[k - (ncalls - nopen)] : random_clinic_room(sim);
        bool emergency = room_specs[room].emergency;
        int64_t wait = emergency ? 0 : HISTORY_WAIT_S + rng_below(&sim->rng, HISTORY_WAIT_N);
        struct patient p = patient_new(sim, emergency, times[k] - wait);
        room_call(sim, room, &p, times[k]);
    }
}

/* Patients whose visit would already be over are still inside at start: the board must open
 * with every room busy. */
static void settle_rooms(struct demo_sim *sim)
{
    for (int i = 0; i < NROOMS; i++) {
        struct desk *d = &sim->desks[i];
        if (d->next_at != NEVER && d->next_at <= sim->start) {
            d->recall_due = false;
            d->next_at = sim->start + consult_length(sim, i) / 2;
        }
    }
}

static void fill_queue(struct demo_sim *sim)
{
    int n = START_WAITING + rng_below(&sim->rng, START_WAITING_N);
    for (int i = 0; i < n; i++) {
        int64_t arrived = sim->start - (int64_t)(n - i) * ARRIVAL_MEAN_S + rng_below(&sim->rng, 60);
        struct patient p = patient_new(sim, false, arrived);
        queue_insert(sim, &p);
    }
}

struct demo_sim *demo_sim_create(uint64_t seed, int64_t start_time)
{
    struct demo_sim *sim = calloc(1, sizeof(*sim));
    if (!sim)
        abort();
    rng_seed(&sim->rng, seed);
    rng_seed(&sim->results_rng, seed ^ 0xD1B54A32D192ED03u); /* a second, unrelated stream */
    sim->start = start_time;
    sim->next_ticket[0] = 1 + (uint32_t)rng_below(&sim->rng, FIRST_TICKET_N);
    sim->next_ticket[1] = 1;
    sim->next_call = 1;
    setup_board(sim);
    earlier_results(sim);
    make_history(sim);
    settle_rooms(sim);
    fill_queue(sim);
    sim->next_arrival = start_time + arrival_gap(sim);
    sim->next_emergency = start_time + emergency_gap(sim);
    sim->model.version = VERSION_BASE;
    sim->model.server_time = start_time;
    publish(sim);
    return sim;
}

void demo_sim_destroy(struct demo_sim *sim)
{
    free(sim);
}

int demo_sim_advance(struct demo_sim *sim, double seconds)
{
    if (!(seconds > 0) || !isfinite(seconds))
        return 0;
    sim->elapsed += seconds;
    int applied = 0;
    for (;;) {
        int event = next_event(sim);
        int64_t at = event_time(sim, event);
        if ((double)(at - sim->start) > sim->elapsed)
            break;
        apply_event(sim, event, at);
        applied++;
    }
    sim->model.server_time = sim->start + (int64_t)floor(sim->elapsed);
    if (applied > 0) {
        sim->model.version += (uint64_t)applied;
        publish(sim);
    }
    return applied;
}

double demo_sim_next_event_in(const struct demo_sim *sim)
{
    return (double)(event_time(sim, next_event(sim)) - sim->start) - sim->elapsed;
}

const struct model *demo_sim_model(const struct demo_sim *sim)
{
    return &sim->model;
}

struct backend {
    struct demo_sim *sim;
    int speed; /* 0 = frozen */
    int poll_interval_ms;
    uint64_t last_poll_ms;
    bool delivered;
};

static double seconds_since(uint64_t *last_ms)
{
    uint64_t now = clock_mono_ms();
    double s = (double)(now - *last_ms) / 1e3;
    *last_ms = now;
    return s;
}

static struct backend *demo_create(const struct config *config, char **err)
{
    (void)err;
    struct backend *b = calloc(1, sizeof(*b));
    if (!b)
        abort();
    b->sim = demo_sim_create((uint64_t)config->backend.seed, (int64_t)time(NULL));
    b->speed = config->backend.speed > 0 ? config->backend.speed : 0;
    b->poll_interval_ms = config->backend.poll_interval_ms;
    b->last_poll_ms = clock_mono_ms();
    LOG_INFO("simulated clinic, seed %" PRId64 ", %dx speed", config->backend.seed, b->speed);
    return b;
}

static enum backend_result demo_poll(struct backend *b, struct model *out, char **err)
{
    (void)err;
    int events = demo_sim_advance(b->sim, seconds_since(&b->last_poll_ms) * b->speed);
    if (b->delivered && events == 0)
        return BACKEND_UNCHANGED;
    *out = *demo_sim_model(b->sim);
    b->delivered = true;
    return BACKEND_CHANGED;
}

/* Wakes for the next simulated event rather than on a fixed beat, so calls appear on time even
 * at high speeds. */
static int demo_next_poll_ms(struct backend *b)
{
    if (b->speed == 0)
        return b->poll_interval_ms;
    double ms = ceil(demo_sim_next_event_in(b->sim) * 1000.0 / b->speed);
    return (int)fmin(fmax(ms, MIN_POLL_MS), b->poll_interval_ms);
}

static void demo_destroy(struct backend *b)
{
    if (!b)
        return;
    demo_sim_destroy(b->sim);
    free(b);
}

const struct backend_ops backend_demo = {
    .name = "demo",
    .create = demo_create,
    .poll = demo_poll,
    .next_poll_ms = demo_next_poll_ms,
    .destroy = demo_destroy,
};
