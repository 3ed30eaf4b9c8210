/* report_cli.h: `kiosk report` and `kiosk-hub report`, the quality office's daily, weekly and
 * monthly roll-ups of ratings (per period and per room or staff) from the program's SQLite: the
 * kiosk's with the tickets it issued, the hub's split by channel (phone, kiosk). */
#ifndef KIOSK_REPORT_CLI_H
#define KIOSK_REPORT_CLI_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "config/config.h"
#include "store/store.h"

/* argv[0] is "report"; program says whose report (the default config file, the messages, the
 * tables). Returns the exit code: 0 done, 1 failed, 2 usage. */
int report_cli(int argc, char **argv, enum config_program program);

/* Local midnight at the start of date; false when it is not a YYYY-MM-DD date. */
bool report_parse_date(const char *date, int64_t *out);

/* kiosk-hub's tables for ratings made in [since, until) onto out: ratings by by (by_name is the
 * name its title uses: "day", "week", "month", "room" or "staff") and by room, each key's
 * phone, kiosk and all rows; as text or CSV. The staff quality page's export is these bytes.
 * 0, or 1 with *err. */
int report_hub_write(FILE *out, struct store *store, enum report_group by, const char *by_name,
                     int64_t since, int64_t until, bool csv, char **err);

#endif
