/* fault.h: what the store's last write found, as the screen and the status file report it.
 * A fault clears itself on the next write that succeeds: SQLite keeps nothing half-written,
 * so retrying the same write later is all recovery needs. */
#ifndef KIOSK_STORE_FAULT_H
#define KIOSK_STORE_FAULT_H

enum store_fault {
    STORE_OK,
    STORE_FULL,      /* SQLITE_FULL or ENOSPC: the card is full */
    STORE_READ_ONLY, /* SQLITE_READONLY or EROFS: the filesystem went read-only */
    STORE_FAILED,    /* anything else (an I/O error, a corrupt page) */
};

const char *store_fault_name(enum store_fault fault); /* "ok", "full", "read_only", "error" */

#endif
