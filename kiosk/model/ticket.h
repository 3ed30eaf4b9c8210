/* ticket.h: a queue ticket as the kiosk issues, prints and journals it. The number always
 * comes from the backend; the journal keeps every ticket with its print state, so one that
 * failed to print is never lost and can be printed again. */
#ifndef KIOSK_TICKET_H
#define KIOSK_TICKET_H

#include <stdbool.h>
#include <stdint.h>

#include "config/config.h"
#include "model/model.h"

#define TICKET_URL_MAX 512

enum ticket_state { TICKET_PENDING, TICKET_PRINTED, TICKET_FAILED };

struct ticket {
    int64_t id; /* journal row; 0 before it is journalled */
    char number[MODEL_TICKET_MAX];
    char department_zh[CONFIG_TEXT_MAX];
    char department_en[CONFIG_TEXT_MAX];
    int ahead;   /* people ahead; -1 unknown */
    int eta_min; /* estimated wait; -1 unknown */
    int64_t issued_at;
    char qr_url[TICKET_URL_MAX]; /* "" = no code on the ticket */
    /* A check-in slip: the appointment's ticket, with the room to wait for ("" none). Printed
     * only: the journal keeps what every ticket has. */
    bool check_in;
    char room_zh[CONFIG_TEXT_MAX], room_en[CONFIG_TEXT_MAX];
    enum ticket_state state;
    char error[256]; /* why the last print failed */
    int attempts;
};

const char *ticket_state_name(enum ticket_state state); /* "pending", "printed", "failed" */
bool ticket_state_parse(const char *name, enum ticket_state *out);

#endif
