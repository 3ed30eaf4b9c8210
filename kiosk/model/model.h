/* model.h: the queue model the call screen draws, one normalized snapshot of the backend.
 * Plain fixed-size data: a snapshot is copied between threads by assignment, never shared. */
#ifndef KIOSK_MODEL_H
#define KIOSK_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#define MODEL_TICKET_MAX  16 /* bytes with the NUL: "A0234" */
#define MODEL_ID_MAX      40
#define MODEL_NAME_MAX    96 /* about 30 CJK characters */
#define MODEL_TEXT_MAX    256
#define MODEL_CALLS_MAX   16
#define MODEL_WAITING_MAX 64
#define MODEL_ROOMS_MAX   16
#define MODEL_NOTICES_MAX 8
#define MODEL_RESULTS_MAX 32
#define MODEL_CLINICS_MAX 24

#define MODEL_FRESH_CALL_S 120 /* older calls in a snapshot are history, not news */

/* OTHER: a priority of the site's own (Novo SGA's "Prioridade", "老年人"), neither an
 * appointment nor an emergency; the call's priority_name says which. */
enum priority { PRIORITY_NORMAL, PRIORITY_APPOINTMENT, PRIORITY_EMERGENCY, PRIORITY_OTHER };

/* The backend as the screen shows it: a snapshot may be the last known one, kept while the
 * backend cannot be reached. */
enum conn_state { CONN_CONNECTING, CONN_ONLINE, CONN_OFFLINE };

const char *conn_state_name(enum conn_state state); /* "connecting", "online", "offline" */

struct call {
    char id[MODEL_ID_MAX]; /* stable per ticket visit; a recall keeps the id */
    char ticket[MODEL_TICKET_MAX];
    char room_id[MODEL_ID_MAX];
    char patient[MODEL_NAME_MAX]; /* masked on arrival unless mask_names = false; may be "" */
    enum priority priority;
    int64_t called_at;                  /* unix seconds */
    int recall;                         /* 0 for the first call, n for the nth recall */
    char service[MODEL_NAME_MAX];       /* as the ticket had while waiting; "" when unknown */
    int64_t issued_at;                  /* unix seconds the ticket was taken; 0 when unknown */
    char priority_name[MODEL_NAME_MAX]; /* the site's name for the priority ("急诊",
                                           "老年人"), shown instead of ours; "" for none */
};

struct waiting {
    char ticket[MODEL_TICKET_MAX];
    char service[MODEL_NAME_MAX];
    char patient[MODEL_NAME_MAX];
    enum priority priority;
    int position; /* 1 = next */
    int eta_min;  /* estimated wait in minutes, -1 when unknown */
};

struct room {
    char id[MODEL_ID_MAX];
    char name_zh[MODEL_NAME_MAX];
    char name_en[MODEL_NAME_MAX];
    bool open;
    char serving[MODEL_TICKET_MAX]; /* "" when nobody is being seen */
};

struct notice {
    char zh[MODEL_TEXT_MAX];
    char en[MODEL_TEXT_MAX];
};

/* One specialist's clinic sessions, as the hospital writes them ("周一 周三", "上午"). */
struct clinic {
    char doctor[MODEL_NAME_MAX];
    char title[MODEL_NAME_MAX]; /* "主任医师"; may be "" */
    char department[MODEL_NAME_MAX];
    char days[MODEL_NAME_MAX];
    char sessions[MODEL_NAME_MAX];
};

struct model {
    uint64_t version;    /* increases with every change the backend makes */
    int64_t server_time; /* unix seconds, the backend's clock at this snapshot */
    int avg_wait_min;    /* -1 when unknown */
    int ncalls;
    struct call calls[MODEL_CALLS_MAX]; /* newest first */
    int nwaiting;
    struct waiting waiting[MODEL_WAITING_MAX]; /* in queue order */
    bool waiting_unknown; /* the backend tells no waiting list (Novo SGA; OpenMRS without it) */
    int nrooms;
    struct room rooms[MODEL_ROOMS_MAX];
    int nnotices;
    struct notice notices[MODEL_NOTICES_MAX];
    int nresults;
    char results_ready[MODEL_RESULTS_MAX][MODEL_TICKET_MAX]; /* tickets whose reports are out */
    int nclinics; /* 0: the backend sends none (the screen may read [pages] clinics_file) */
    struct clinic clinics[MODEL_CLINICS_MAX];
    /* What the OpenMRS and Novo SGA parsers carry from one snapshot to the next to tell a
     * recall from a call already shown; neither drawn nor stored (lost on restart, which at
     * worst leaves one recall unannounced). */
    struct adapter_memory {
        bool valid;
        int room_status[MODEL_ROOMS_MAX]; /* openmrs, per rooms[i]: 1 calling, 2 serving, 3 done */
        char room_ticket[MODEL_ROOMS_MAX][MODEL_TICKET_MAX];
        int64_t last_row; /* novosga: the newest panel row already turned into calls */
        int64_t waiting_started[MODEL_WAITING_MAX]; /* openmrs, per waiting[i]: unix s, 0 */
    } memory;
};

/* "normal", "appointment", "emergency", "other" */
const char *priority_name(enum priority priority);
bool priority_parse(const char *name, enum priority *out);

const struct room *model_find_room(const struct model *model, const char *room_id);

/* Field-by-field equality (structs may hold garbage after their strings' NULs). */
bool model_call_equal(const struct call *a, const struct call *b);
bool model_room_equal(const struct room *a, const struct room *b);

/* True when a and b differ in neither calls, rooms, counts nor adapter memory: what the
 * adapters compare to decide whether the version moves (version and times are ignored). */
bool model_same_content(const struct model *a, const struct model *b);

/* True when old has no call with the same id and recall count as call: a fresh arrival. */
bool model_is_new_call(const struct model *old, const struct call *call);

/* True when call, in snapshot next, is news after snapshot old: new to old (model_is_new_call)
 * and made in next's last MODEL_FRESH_CALL_S seconds. Calls made while the kiosk was off or
 * offline are listed, not blinked nor announced. The screen and the speaker both ask this. */
bool model_call_is_news(const struct model *old, const struct model *next, const struct call *call);

#endif
