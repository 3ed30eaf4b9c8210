/* boot_config.h: first-boot configuration from the SD card's FAT boot partition. Staff copy
 * kiosk.ini and secrets named kiosk-NAME (kiosk-qr.key, kiosk-token, ...) there from any PC;
 * before the kiosk starts (as root) they are moved into the configuration folder. */
#ifndef KIOSK_BOOT_CONFIG_H
#define KIOSK_BOOT_CONFIG_H

#include <stdbool.h>

#define BOOT_CONFIG_DIR   "/boot/firmware"
#define BOOT_CONFIG_ERROR "boot-config-error.txt" /* in the configuration folder */

/* Imports boot_dir/kiosk.ini into config_dir/kiosk.ini when it is valid (config_read), and
 * every boot_dir/kiosk-NAME as config_dir/NAME (mode 0640 group kiosk, or 0600 without that
 * group) which is then removed from boot_dir, valid or not: a key must not stay on a FAT
 * partition anyone can read. The imported kiosk.ini is renamed kiosk.ini.imported.
 * An invalid kiosk.ini leaves the last good one in place; its errors go to
 * config_dir/BOOT_CONFIG_ERROR and to boot_dir/kiosk-error.txt, for the error screen and for
 * the PC. Returns false with *err only when the import itself failed (a disk error). */
bool boot_config_import(const char *boot_dir, const char *config_dir, char **err);

/* The errors of the last rejected import beside config_path (callee-allocated), or NULL. */
char *boot_config_rejected(const char *config_path);

#endif
