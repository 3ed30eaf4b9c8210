/* kiosk_ui.h: the self-service kiosk's screens as a state machine, pure (times are passed in)
 * so every flow is tested without a screen: what a tap on a target does, what the kiosk must
 * then ask the backend or the printer, and when it goes back home by itself. */
#ifndef KIOSK_KIOSK_UI_H
#define KIOSK_KIOSK_UI_H

#include <stdbool.h>
#include <stdint.h>

#include "api.h"
#include "config.h"

#define UI_DEPARTMENTS_MAX 8
#define UI_RESULT_MS       20000 /* a finished ticket stays on screen this long */

enum ui_screen {
    UI_HOME,
    UI_DEPARTMENTS, /* choose where the ticket is for */
    UI_ISSUING,     /* asking the backend, then printing */
    UI_TICKET,      /* the ticket issued: number, people ahead, wait */
    UI_UNAVAILABLE, /* the backend did not issue a ticket: where to go instead */
};

/* What a tap can land on. */
enum ui_target {
    UI_TARGET_NONE,
    UI_TARGET_TAKE_TICKET,
    UI_TARGET_DEPARTMENT, /* with an index */
    UI_TARGET_BACK,
    UI_TARGET_LANGUAGE,
    UI_TARGET_LARGE_TEXT,
};

struct ui_department {
    char zh[CONFIG_TEXT_MAX];
    char en[CONFIG_TEXT_MAX];
};

/* Work for the main loop to start on the kiosk's behalf. */
struct ui_request {
    bool take_ticket;
    int department;
    char key[API_KEY_LEN]; /* the same key for every retry of this one ticket */
};

struct ui {
    enum ui_screen screen;
    bool english; /* the language the patient chose: Chinese first unless English */
    bool large;   /* large-text mode: fewer, bigger targets */
    int ndepartments;
    struct ui_department departments[UI_DEPARTMENTS_MAX];
    int department; /* the one chosen */
    struct api_ticket ticket;
    bool printed;      /* the ticket left the printer */
    char problem[256]; /* UI_UNAVAILABLE: for staff, in the status file */
    uint64_t input_ms; /* last touch */
    uint64_t shown_ms; /* when the current screen appeared */
    int idle_ms;       /* back home after this long untouched */
    bool dirty;
};

/* Reads [kiosk] departments ("内科|Internal Medicine; 外科|Surgery"). */
void ui_init(struct ui *ui, const struct config *config, uint64_t now_ms);

/* A tap on target (index for a department). Fills *request when the kiosk must act; a second
 * tap while a ticket is being issued does nothing, so a double tap issues one ticket. */
void ui_tap(struct ui *ui, enum ui_target target, int index, uint64_t now_ms,
            struct ui_request *request);

/* The backend's answer to a request: a ticket, or why there is none. */
void ui_ticket_issued(struct ui *ui, const struct api_ticket *t, uint64_t now_ms);
void ui_ticket_refused(struct ui *ui, const char *problem, uint64_t now_ms);

/* The printer's answer for the ticket on screen. */
void ui_ticket_printed(struct ui *ui, bool printed);

/* Goes home after idle_ms untouched (results after UI_RESULT_MS); marks dirty on change. */
void ui_tick(struct ui *ui, uint64_t now_ms);

/* Milliseconds until ui_tick could change anything (-1: nothing scheduled). */
int ui_timeout_ms(const struct ui *ui, uint64_t now_ms);

const char *ui_screen_name(enum ui_screen screen);

#endif
