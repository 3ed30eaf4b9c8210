/* i18n.h: every label the screens show, in Chinese and English, from one table.
 * Templates name their blanks ({room}, {n}, {time}) and are filled with i18n_fill. */
#ifndef KIOSK_I18N_H
#define KIOSK_I18N_H

#include <stddef.h>

enum lang { LANG_ZH, LANG_EN };

enum text_id {
    TEXT_NOW_CALLING,
    TEXT_GO_TO_ROOM, /* {room} */
    TEXT_RECENT,
    TEXT_NEXT,
    TEXT_ROOMS,
    TEXT_CLOSED,
    TEXT_FREE,
    TEXT_APPOINTMENT,
    TEXT_EMERGENCY,
    TEXT_PRIORITY,          /* a priority of the site's own that came without a name */
    TEXT_APPOINTMENT_SHORT, /* badges beside a ticket in a list row */
    TEXT_EMERGENCY_SHORT,
    TEXT_PRIORITY_SHORT,
    TEXT_RECALL,
    TEXT_NO_CALLS,
    TEXT_NOBODY_WAITING,
    TEXT_WAITING_COUNT, /* {n} */
    TEXT_AVG_WAIT,      /* {n} */
    TEXT_ETA,           /* {n} */
    TEXT_ONLINE,
    TEXT_CONNECTING,
    TEXT_OFFLINE_SINCE, /* {time} */
    TEXT_WHY_DNS,       /* why, after "offline since": i18n_offline_reason picks one */
    TEXT_WHY_CERTIFICATE,
    TEXT_WHY_NETWORK,
    TEXT_WHY_AUTH,
    TEXT_WHY_SERVER,
    TEXT_RESTORED,
    TEXT_QR_SURVEY_TITLE, /* the QR card: a title, a hint, and the code that comes next */
    TEXT_QR_SURVEY_HINT,
    TEXT_QR_RESULTS_TITLE,
    TEXT_QR_RESULTS_HINT,
    TEXT_QR_SCAN, /* the hint on a one-language screen, under a title that says what for */
    TEXT_QR_THEN, /* {what} */
    TEXT_TICKET_YOUR_NUMBER, /* the printed ticket */
    TEXT_TICKET_AHEAD,       /* {n} */
    TEXT_TICKET_WAIT,        /* {n} */
    TEXT_TICKET_QR,
    TEXT_TICKET_FOOTER,
    TEXT_PRINTER_PAPER_OUT, /* what a patient is told when the printer fails */
    TEXT_PRINTER_COVER_OPEN,
    TEXT_PRINTER_FAULT,
    TEXT_KIOSK_SUBTITLE, /* the self-service kiosk */
    TEXT_KIOSK_HELLO,
    TEXT_KIOSK_TAP,
    TEXT_KIOSK_TAKE_TICKET,
    TEXT_KIOSK_CHOOSE,
    TEXT_KIOSK_ISSUING,
    TEXT_KIOSK_TAKE_PAPER,
    TEXT_KIOSK_PRINTING,
    TEXT_KIOSK_NOT_PRINTED,
    TEXT_KIOSK_TICKETS_PAUSED, /* the printer cannot print: no tickets from the kiosk */
    TEXT_KIOSK_NO_CHECK_IN,    /* a check-in failed, or the backend is known unreachable */
    TEXT_KIOSK_CHECK_IN_AT_DESK,
    TEXT_KIOSK_NO_TICKETS_NOW, /* the home screen's buttons, short, while the backend is away */
    TEXT_KIOSK_NO_CHECK_IN_NOW,
    TEXT_KIOSK_BACKEND_DOWN, /* the red bar while the backend is unreachable */
    TEXT_KIOSK_UNAVAILABLE,
    TEXT_KIOSK_GO_TO_DESK,
    TEXT_KIOSK_BACK,
    TEXT_KIOSK_LARGE,
    TEXT_KIOSK_OTHER_LANGUAGE, /* the button that switches: "English" on a Chinese screen */
    TEXT_KIOSK_CHECK_IN,
    TEXT_KIOSK_ENTER_CODE,
    TEXT_KIOSK_OR_SCAN,
    TEXT_KIOSK_DELETE,
    TEXT_KIOSK_CONFIRM,
    TEXT_KIOSK_CHECKING,
    TEXT_KIOSK_CHECKED_IN,
    TEXT_KIOSK_PRINTING_SLIP, /* the check-in slip: printing, printed, not printed */
    TEXT_KIOSK_TAKE_SLIP,
    TEXT_KIOSK_SLIP_NOT_PRINTED,
    TEXT_KIOSK_APPOINTMENT_AT, /* {time} */
    TEXT_KIOSK_WAIT_FOR_ROOM,  /* {room} */
    TEXT_KIOSK_NOT_FOUND,
    TEXT_KIOSK_CHECK_CODE,
    TEXT_KIOSK_RATE,
    TEXT_KIOSK_HOW_WAS_IT,
    TEXT_KIOSK_FACE_1, /* the five faces follow in order */
    TEXT_KIOSK_FACE_2,
    TEXT_KIOSK_FACE_3,
    TEXT_KIOSK_FACE_4,
    TEXT_KIOSK_FACE_5,
    TEXT_KIOSK_REASON_1, /* the reasons a patient may add to a rating (UI_REASONS) */
    TEXT_KIOSK_REASON_2,
    TEXT_KIOSK_REASON_3,
    TEXT_KIOSK_REASON_4,
    TEXT_KIOSK_SUBMIT,
    TEXT_KIOSK_THANKS,
    TEXT_KIOSK_SORRY,            /* after an unhappy rating: the complaint channel */
    TEXT_KIOSK_COMPLAINTS_PHONE, /* {phone} */
    TEXT_KIOSK_COMPLAIN_SCAN,
    TEXT_KIOSK_TOUCH,
    TEXT_KIOSK_RESULTS,
    TEXT_KIOSK_VISIT_NUMBER,
    TEXT_KIOSK_OR_SCAN_TICKET,
    TEXT_KIOSK_SCAN_RESULTS,
    TEXT_KIOSK_VISIT, /* {visit} */
    TEXT_KIOSK_PRINTING_CODE,
    TEXT_KIOSK_TAKE_CODE,
    TEXT_KIOSK_NOT_PRINTED_CODE,
    TEXT_KIOSK_RESULTS_PRIVATE,
    TEXT_KIOSK_NO_PHONE, /* where results are had on paper: not here */
    TEXT_KIOSK_NOT_A_VISIT,
    TEXT_KIOSK_RATE_ON_PHONE,
    TEXT_KIOSK_RATE_SCAN_TICKET, /* the rating's optional ticket: how, then {ticket} taken */
    TEXT_KIOSK_RATE_TICKET,
    TEXT_KIOSK_PRIORITY, /* {priority}: the queue's order for this patient */
    TEXT_SLIP_RESULTS,
    TEXT_SLIP_SCAN,
    TEXT_SLIP_FOOTER,
    TEXT_RESULTS_READY, /* the information pages */
    TEXT_RESULTS_HINT,
    TEXT_OFFPEAK_TITLE,
    TEXT_OFFPEAK_SUBTITLE, /* {weeks} */
    TEXT_OFFPEAK_QUIETEST, /* {hours} */
    TEXT_OFFPEAK_NO_HISTORY,
    TEXT_OFFPEAK_NOW,
    TEXT_OFFPEAK_MINUTES, /* {n}: a bar's median wait */
    TEXT_OFFPEAK_NO_DATA,
    TEXT_CLINICS_TITLE,
    TEXT_SUNDAY, /* the weekdays follow in order */
    TEXT_MONDAY,
    TEXT_TUESDAY,
    TEXT_WEDNESDAY,
    TEXT_THURSDAY,
    TEXT_FRIDAY,
    TEXT_SATURDAY,
    TEXT_COUNT
};

const char *i18n_text(enum text_id id, enum lang lang);

/* The TEXT_WHY_ word for a connection error as the backends word it (net/http.c,
 * backend/http.c): "DNS: ...", "TLS: ...", a refused or broken connection, a refused token,
 * or anything else the server sent that was not a usable queue. */
enum text_id i18n_offline_reason(const char *error);

/* Copies template into out, replacing every {key} by value. */
void i18n_fill(char *out, size_t size, const char *template, const char *key, const char *value);

#endif
