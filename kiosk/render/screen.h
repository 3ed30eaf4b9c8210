/* screen.h: draws the call screen (display role) from the view onto the canvas. */
#ifndef KIOSK_SCREEN_H
#define KIOSK_SCREEN_H

#include <stdbool.h>
#include <stdint.h>
#include <time.h>

#include "qr/screen_codes.h"
#include "view.h"
#include "render/draw.h"
#include "render/layout.h"

struct screen_assets {
    SDL_Texture *logo;                /* may be NULL */
    const struct screen_codes *codes; /* may be NULL: no QR card */
};

/* The whole screen, or only what falls in the renderer's clip rectangle when one is set (a
 * region redrawn over the last frame gets exactly the pixels a whole redraw would give it).
 * Returns whether the notice ticker is moving (it then wants
 * screen_draw_notice every VIEW_SCROLL_FRAME_MS). */
bool screen_draw(struct draw *d, const struct layout *l, const struct view *v,
                 const struct screen_assets *assets, uint64_t now_ms, time_t now);

/* Only the regions v->damage covers (enum view_damage), over the last frame: each is the
 * whole screen's drawing clipped to it, so it gets the very pixels a whole redraw would; the
 * notice bar (a moving ticker, 50 times a second) draws only the bar. The regions go to boxes
 * (room for SCREEN_DAMAGE_MAX) for presenting; *scrolling as screen_draw returns it. Returns
 * how many. */
#define SCREEN_DAMAGE_MAX 4
int screen_draw_damage(struct draw *d, const struct layout *l, const struct view *v,
                       const struct screen_assets *assets, uint64_t now_ms, time_t now,
                       SDL_Rect *boxes, bool *scrolling);

/* The notice bar alone, over the last frame on the canvas: what a moving ticker costs. */
bool screen_draw_notice(struct draw *d, const struct layout *l, const struct view *v,
                        uint64_t now_ms, time_t now);

#endif
