/* ticket.c: the names ticket states have in the journal and in messages. */
#include <string.h>

#include "model/ticket.h"

static const char *const state_names[] = {
    [TICKET_PENDING] = "pending", [TICKET_PRINTED] = "printed", [TICKET_FAILED] = "failed"};

const char *ticket_state_name(enum ticket_state state)
{
    return state_names[state];
}

bool ticket_state_parse(const char *name, enum ticket_state *out)
{
    for (int s = TICKET_PENDING; s <= TICKET_FAILED; s++)
        if (strcmp(name, state_names[s]) == 0) {
            *out = (enum ticket_state)s;
            return true;
        }
    return false;
}
