/* schedule.c: quiet hours. A range whose end is before its start runs over midnight, which
 * is how wards write night rest ("22:00-07:00"). */
#include <stdio.h>
#include <string.h>

#include "audio/schedule.h"
#include "base/mem.h"

static bool parse_time(const char *s, int *minute)
{
    int h, m, used = 0;
    if (sscanf(s, "%2d:%2d%n", &h, &m, &used) != 2 || used != 5 || h > 23 || m > 59 || h < 0 ||
        m < 0)
        return false;
    *minute = h * 60 + m;
    return true;
}

bool schedule_parse(struct schedule *s, const char *quiet_hours, int volume, int quiet_volume,
                    char **err)
{
    *s = (struct schedule){.volume = volume, .quiet_volume = quiet_volume};
    if (!quiet_hours[0])
        return true;
    if (strlen(quiet_hours) != 11 || quiet_hours[5] != '-' ||
        !parse_time(quiet_hours, &s->quiet_from) || !parse_time(quiet_hours + 6, &s->quiet_to)) {
        *err = xasprintf("\"%s\" is not HH:MM-HH:MM, e.g. 22:00-07:00", quiet_hours);
        return false;
    }
    return true;
}

int schedule_volume(const struct schedule *s, int minute)
{
    int from = s->quiet_from, to = s->quiet_to;
    bool quiet = from < to ? minute >= from && minute < to : minute >= from || minute < to;
    return from != to && quiet ? s->quiet_volume : s->volume;
}
