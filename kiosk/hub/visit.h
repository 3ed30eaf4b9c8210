/* visit.h: where a patient's ticket stands, from the hub's snapshot and the token on their
 * phone: still waiting (and how many ahead), called (and where to go), or done. Pure. */
#ifndef KIOSK_HUB_VISIT_H
#define KIOSK_HUB_VISIT_H

#include <stdbool.h>
#include <stdint.h>

#include "hub/board.h"
#include "hub/page.h"
#include "model/model.h"
#include "qr/token.h"

#define VISIT_CALLED_S  600   /* a call this recent still says "go to room 3" */
#define VISIT_PENDING_S 14400 /* 4 h: a ticket no list names yet is taken as waiting this long */

/* logged: the ticket's newest call the hub has seen since the token was issued, or NULL. */
void visit_read(const struct model *model, const struct board_status *status,
                const struct token *token, const struct call *logged, int64_t now,
                struct visit *out);

#endif
