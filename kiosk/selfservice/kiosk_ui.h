/* kiosk_ui.h: the self-service kiosk's screens as a state machine, pure (times are passed in)
 * so every flow is tested without a screen: what a tap on a target does, what the kiosk must
 * then ask the backend or the printer, and when it goes back home by itself. */
#ifndef KIOSK_KIOSK_UI_H
#define KIOSK_KIOSK_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/api.h"
#include "config/config.h"
#include "backend/rating.h"
#include "printer/state.h"
#include "selfservice/scanner.h"

#define UI_DEPARTMENTS_MAX 8
#define UI_RESULT_MS       20000 /* a finished ticket stays on screen this long */
#define UI_NOTE_MS         60000 /* an unprinted ticket: long enough to write the number down */

enum ui_screen {
    UI_HOME,
    UI_DEPARTMENTS, /* choose where the ticket is for */
    UI_ISSUING,     /* asking the backend, then printing; back leaves the answer to come */
    UI_TICKET,      /* the ticket issued: number, people ahead, wait */
    UI_UNAVAILABLE, /* nothing to be had here (ui.unavailable says why): where to go instead */
    UI_CHECK_IN,    /* the keypad for an appointment code (a scan works on any screen) */
    UI_CHECKING,    /* asking the backend */
    UI_CHECKED_IN,  /* the appointment's ticket, room and time */
    UI_NOT_FOUND,   /* the backend knows no appointment with this code today */
    UI_RATE,        /* five faces, then optional reasons */
    UI_THANKS,
    UI_ATTRACT,       /* nobody here: an invitation to touch, readable from across the hall */
    UI_RESULTS_CODE,  /* the keypad for a visit number, or a scan of the ticket */
    UI_RESULTS,       /* the results code to scan with a phone, and on paper */
    UI_RESULTS_ERROR, /* the visit number cannot go into a code */
};

#define UI_CODE_MAX    12
#define UI_VISIT_MIN   6 /* fewer digits on the results keypad cannot be a visit number */
#define UI_KEY_DELETE  10
#define UI_KEY_CONFIRM 11
#define UI_REASONS     RATING_TAGS

/* What a tap can land on. */
enum ui_target {
    UI_TARGET_NONE,
    UI_TARGET_TAKE_TICKET,
    UI_TARGET_DEPARTMENT, /* with an index */
    UI_TARGET_BACK,
    UI_TARGET_LANGUAGE,
    UI_TARGET_LARGE_TEXT,
    UI_TARGET_CHECK_IN,
    UI_TARGET_KEY, /* index 0..9, UI_KEY_DELETE, UI_KEY_CONFIRM */
    UI_TARGET_RATE,
    UI_TARGET_FACE,   /* index 1 (very unhappy) .. 5 (very happy) */
    UI_TARGET_REASON, /* index 0..UI_REASONS - 1, toggles */
    UI_TARGET_SUBMIT,
    UI_TARGET_WAKE,    /* anywhere on the attract screen */
    UI_TARGET_RESULTS, /* look up results: only where [qr] results_url is set */
};

/* Why UI_UNAVAILABLE is on screen: each action has its own words. */
enum ui_unavailable {
    UI_NO_TICKET,   /* the backend gave no ticket, or is known to be unreachable */
    UI_NO_CHECK_IN, /* the same for a check-in */
    UI_NO_PRINTER,  /* the printer is known not to print: no ticket was asked for */
};

struct ui_department {
    char zh[CONFIG_TEXT_MAX];
    char en[CONFIG_TEXT_MAX];
    char icon[8]; /* one character on the button: the third field, else zh's first */
};

/* Work for the main loop to start on the kiosk's behalf. */
struct ui_request {
    bool take_ticket;
    int department;
    bool check_in;
    char code[SCANNER_MAX + 1]; /* typed, or scanned (longer) */
    bool rate;
    struct rating rating;
    bool results;          /* a results code for the visit in code */
    bool attach;           /* the ticket in code (a scanned ticket) goes with the rating */
    char key[API_KEY_LEN]; /* the same key for every retry of this one action */
};

struct ui {
    enum ui_screen screen;
    bool english;         /* the language the patient chose: Chinese first unless English */
    bool default_english; /* the device's: each new patient starts with it */
    bool one_language;    /* [device] language zh or en: no other language, no switch */
    bool large;           /* large-text mode: fewer, bigger targets */
    bool has_results;     /* results lookup is offered ([qr] results_url) */
    bool has_survey;      /* the rating screen offers a code to rate on the phone instead */
    bool has_complaints;  /* a complaints number or kiosk-hub's complaint form to offer */
    bool offer_complaint; /* UI_THANKS after an unhappy rating (1 or 2): where to complain */
    int ndepartments;
    struct ui_department departments[UI_DEPARTMENTS_MAX];
    int department; /* the one chosen */
    struct api_ticket ticket;
    bool printed;               /* the ticket left the printer */
    bool print_failed;          /* the printer said it did not print the ticket on screen */
    bool printer_down;          /* the printer is known not to print: no tickets are asked for */
    enum printer_fault printer; /* its last state, for the words on screen */
    bool backend_down;          /* the feed cannot reach the backend: no tickets, no check-ins */
    bool ticket_on_its_way;     /* asked for and not answered yet (the patient may have left) */
    enum ui_unavailable unavailable;
    char problem[256];          /* UI_UNAVAILABLE: for staff, in the status file */
    char code[UI_CODE_MAX + 1]; /* typed on the keypad so far */
    /* The last check-in asked for: the same code again while its answer is fresh is the same
     * action (a scanner that reads twice, a patient who scans again), with the same key. */
    char check_in_code[SCANNER_MAX + 1];
    char check_in_key[API_KEY_LEN];
    uint64_t check_in_ms;
    char visit[MODEL_TICKET_MAX]; /* UI_RESULTS: the visit whose code is on screen */
    int score;                    /* UI_RATE: the face chosen, 0 = none yet */
    bool reasons[UI_REASONS];
    char rating_ticket[MODEL_TICKET_MAX]; /* UI_RATE: the patient's ticket, scanned; "" none */
    char rating_room[MODEL_ID_MAX];       /* its room when its code names one */
    uint64_t rated_ms; /* the last rating kept (0: none), for the minimum interval */
    int rating_interval_ms;
    uint64_t input_ms; /* last touch */
    uint64_t shown_ms; /* when the current screen appeared */
    int idle_ms;       /* back home after this long untouched */
    int attract_ms;    /* home untouched this long: the attract screen; 0 never */
    bool dirty;
};

/* Reads [kiosk] departments ("内科|Internal Medicine|内; 外科|Surgery"), and offers results
 * lookup when [qr] results_url is set. */
void ui_init(struct ui *ui, const struct config *config, uint64_t now_ms);

/* A tap on target (index for a department). Fills *request when the kiosk must act; a second
 * tap while a ticket is being issued does nothing, so a double tap issues one ticket. */
void ui_tap(struct ui *ui, enum ui_target target, int index, uint64_t now_ms,
            struct ui_request *request);

/* A code from a barcode scanner: a check-in from any screen that is not busy, but on the
 * results screen the visit to look up, and on the rating screen the patient's ticket to go
 * with the rating (ui_rating_ticket once it is read). */
void ui_scan(struct ui *ui, const char *code, uint64_t now_ms, struct ui_request *request);

/* The backend's answer to a ticket or a check-in: a ticket (taken, or the appointment's), or
 * why there is none (not_found: the backend knows no such appointment; otherwise it did not
 * answer). A patient who went back while waiting sees a ticket if the kiosk is still on home
 * (it is in the queue and printed), and no failure at all. */
void ui_ticket_issued(struct ui *ui, bool check_in, const struct api_ticket *t, uint64_t now_ms);
void ui_ticket_refused(struct ui *ui, bool check_in, bool not_found, const char *problem,
                       uint64_t now_ms);

/* Whether the feed reaches the backend: while it does not, tickets and check-ins say so on
 * home and at a tap, without a wait. */
void ui_backend(struct ui *ui, bool reachable);

/* The ticket (and room, "" unknown) a code scanned on the rating screen names; ticket "" when
 * the code names none. */
void ui_rating_ticket(struct ui *ui, const char *ticket, const char *room);

/* The results code for the visit asked for is on screen (ok), or cannot be made. */
void ui_results_shown(struct ui *ui, bool ok, uint64_t now_ms);

/* The printer thread's state of its printer. Paper out, an open cover or offline stop the
 * tickets before the backend is asked; an unknown state (a one-way printer) does not. */
void ui_printer(struct ui *ui, enum printer_fault fault);
bool ui_printer_stops_tickets(enum printer_fault fault);

/* The printer's answer for the ticket (or results slip) on screen. */
void ui_ticket_printed(struct ui *ui, bool printed);

/* Goes home after idle_ms untouched (results after UI_RESULT_MS); marks dirty on change. */
void ui_tick(struct ui *ui, uint64_t now_ms);

/* Milliseconds until ui_tick could change anything (-1: nothing scheduled). */
int ui_timeout_ms(const struct ui *ui, uint64_t now_ms);

const char *ui_screen_name(enum ui_screen screen);

/* kiosk-hub's complaint form (/c) beside its phone pages, from survey_url ("https://hub/r/
 * {token}" gives "https://hub/c"); false when survey_url is not kiosk-hub's. */
bool ui_complaint_url(const char *survey_url, char *out, size_t size);

#endif
