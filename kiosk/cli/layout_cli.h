/* layout_cli.h: `kiosk layout`, the call screen's text sizes in mm for the configured screen
 * diagonal, and the distance each text reads from. */
#ifndef KIOSK_LAYOUT_CLI_H
#define KIOSK_LAYOUT_CLI_H

/* argv[0] is "layout". Returns the exit code: 0 done, 1 configuration error, 2 usage. */
int layout_cli(int argc, char **argv);

#endif
