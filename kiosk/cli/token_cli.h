/* token_cli.h: `kiosk token issue|verify`, for the hospital's web team and for staff. */
#ifndef KIOSK_TOKEN_CLI_H
#define KIOSK_TOKEN_CLI_H

/* argv[0] is "token". Returns the exit code: 0 issued, or valid; 1 refused; 2 usage. */
int token_cli(int argc, char **argv);

#endif
