/* bitmap.h: a 1-bit picture in printer order: rows of (width + 7) / 8 bytes, the most
 * significant bit leftmost, 1 = a black dot. Exactly the data of ESC/POS `GS v 0` and of a
 * PBM P4 file, so tests read printed bytes back with ordinary image tools. */
#ifndef KIOSK_BITMAP_H
#define KIOSK_BITMAP_H

#include <stdbool.h>
#include <stddef.h>

struct SDL_Surface;

struct bitmap {
    int width, height;
    int stride; /* bytes per row */
    unsigned char *bits;
};

struct bitmap *bitmap_create(int width, int height); /* all white */
void bitmap_destroy(struct bitmap *b);               /* accepts NULL */

bool bitmap_get(const struct bitmap *b, int x, int y);
void bitmap_fill(struct bitmap *b, int x, int y, int w, int h); /* black, clipped */

/* Rows [y0, y1) of b as a new bitmap. */
struct bitmap *bitmap_rows(const struct bitmap *b, int y0, int y1);

/* Black wherever a pixel of s (ARGB8888) at (x, y) in b is dark enough to print: text
 * rendered by SDL_ttf is anti-aliased, and a threshold at half keeps strokes their width. */
void bitmap_draw_surface(struct bitmap *b, struct SDL_Surface *s, int x, int y);

/* Writes b as a PNG (black on white), for `kiosk ticket --preview`. */
bool bitmap_save_png(const struct bitmap *b, const char *path, char **err);

#endif
