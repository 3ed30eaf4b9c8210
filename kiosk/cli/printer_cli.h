/* printer_cli.h: `kiosk print-test` and `kiosk ticket`, the printer tools for facilities
 * staff: a sample ticket and calibration strip, a PNG preview, the journal, and reprints. */
#ifndef KIOSK_PRINTER_CLI_H
#define KIOSK_PRINTER_CLI_H

/* argv[0] is "print-test" or "ticket". Returns the exit code: 0 done, 1 failed, 2 usage. */
int printer_cli(int argc, char **argv);

#endif
