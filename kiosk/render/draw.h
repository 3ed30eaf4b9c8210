/* draw.h: the few primitives the screens are made of: filled and rounded boxes, dots, and
 * text that always fits its box (shrunk a little, then cut with an ellipsis). */
#ifndef KIOSK_DRAW_H
#define KIOSK_DRAW_H

#include <SDL2/SDL.h>

#include "qr/qr.h"
#include "render/layout.h"
#include "text/text.h"

struct draw {
    SDL_Renderer *renderer;
    struct text_cache *text;
};

enum align { ALIGN_LEFT, ALIGN_CENTER, ALIGN_RIGHT };

/* Text would be narrower than this share of its natural width is cut instead (ellipsis). */
#define DRAW_MIN_SHRINK 0.6f

void draw_fill(struct draw *d, struct box b, SDL_Color c);
void draw_rounded(struct draw *d, struct box b, int radius, SDL_Color c);
void draw_dot(struct draw *d, struct box b, SDL_Color c);

/* A QR code, black on white whatever the theme, centred in b: whole pixels per module (the
 * most that fit, with the quiet zone), so no module is blurred. Returns pixels per module. */
int draw_qr(struct draw *d, struct box b, const struct qr *qr);

/* Draws s on line l's baseline within [x, x + w); returns the width used. Empty s draws
 * nothing and returns 0. */
int draw_text_span(struct draw *d, const struct line *l, int x, int w, enum weight weight,
                   SDL_Color c, const char *s, enum align align);

/* draw_text_span over the line's whole box. */
int draw_text(struct draw *d, const struct line *l, enum weight weight, SDL_Color c, const char *s,
              enum align align);

/* A ticket number, bold and left-aligned: shrunk as far as needed, never cut, since
 * "A0…" would send a patient nowhere. */
int draw_ticket_span(struct draw *d, const struct line *l, int x, int w, SDL_Color c,
                     const char *ticket);

#endif
