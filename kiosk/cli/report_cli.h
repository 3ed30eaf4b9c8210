/* report_cli.h: `kiosk report`, the quality office's daily, weekly and monthly roll-ups of
 * ratings (per period and per room or staff) and of tickets issued, from the kiosk's SQLite. */
#ifndef KIOSK_REPORT_CLI_H
#define KIOSK_REPORT_CLI_H

/* argv[0] is "report". Returns the exit code: 0 done, 1 failed, 2 usage. */
int report_cli(int argc, char **argv);

#endif
