/* status.h: the status file, a JSON document of what the screen shows (for staff, health
 * checks and tests), replaced atomically so a reader never sees half of it. */
#ifndef KIOSK_STATUS_H
#define KIOSK_STATUS_H

#include <stdbool.h>

#include "view.h"

bool status_write(const char *path, const struct view *view, char **err);

#endif
