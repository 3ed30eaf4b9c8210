/* user_cli.h: `kiosk-hub user add NAME --role R`, `user list`, `user remove NAME`: the staff
 * accounts, in the hub's database. The password is read from standard input (a prompt with
 * echo off on a terminal), never from the command line, where `ps` would show it. */
#ifndef KIOSK_HUB_USER_CLI_H
#define KIOSK_HUB_USER_CLI_H

/* argv[0] is "user"; returns the exit code. */
int user_cli(int argc, char **argv);

#endif
