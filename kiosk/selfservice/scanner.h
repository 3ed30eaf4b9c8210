/* scanner.h: telling a USB barcode scanner from a person at a keyboard. Both arrive as key
 * presses; a scanner types a whole code in a few milliseconds per character and ends it with
 * Enter. A burst is accepted on any screen; slower typing is left to whoever wants keys. */
#ifndef KIOSK_SCANNER_H
#define KIOSK_SCANNER_H

#include <stdbool.h>
#include <stdint.h>

#define SCANNER_GAP_MS 40  /* the longest pause between two characters of a scan */
#define SCANNER_MIN    4   /* fewer characters are not a code */
#define SCANNER_MAX    255 /* a whole URL from a QR code on a ticket */

struct scanner {
    char code[SCANNER_MAX + 1];
    int len;
    uint64_t last_ms;
    bool broken; /* a pause too long, or too many characters: not a scan */
};

/* A printable ASCII character at now_ms. */
void scanner_char(struct scanner *s, char c, uint64_t now_ms);

/* Enter at now_ms: true with the code in out (SCANNER_MAX + 1 bytes) when what came before
 * was a scan. Starts over either way. */
bool scanner_enter(struct scanner *s, uint64_t now_ms, char *out);

#endif
