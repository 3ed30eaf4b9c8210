/* schedule.h: how loud an announcement is at a given local time: the configured volume, or
 * the quiet volume inside quiet hours ("22:00-07:00", which may run past midnight). Pure. */
#ifndef KIOSK_AUDIO_SCHEDULE_H
#define KIOSK_AUDIO_SCHEDULE_H

#include <stdbool.h>

struct schedule {
    int volume, quiet_volume; /* 0..100 */
    int quiet_from, quiet_to; /* minutes after midnight; equal = no quiet hours */
};

/* Parses "HH:MM-HH:MM" ("" = none) into s; false with a callee-allocated *err. */
bool schedule_parse(struct schedule *s, const char *quiet_hours, int volume, int quiet_volume,
                    char **err);

/* The volume at minute (0..1439) of the local day; 0 = say nothing. */
int schedule_volume(const struct schedule *s, int minute);

#endif
