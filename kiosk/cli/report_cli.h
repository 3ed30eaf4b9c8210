/* report_cli.h: `kiosk report` and `kiosk-hub report`, the quality office's daily, weekly and
 * monthly roll-ups of ratings (per period and per room or staff) from the program's SQLite: the
 * kiosk's with the tickets it issued, the hub's split by channel (phone, kiosk). */
#ifndef KIOSK_REPORT_CLI_H
#define KIOSK_REPORT_CLI_H

#include "config/config.h"

/* argv[0] is "report"; program says whose report (the default config file, the messages, the
 * tables). Returns the exit code: 0 done, 1 failed, 2 usage. */
int report_cli(int argc, char **argv, enum config_program program);

#endif
