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

/* The whole screen. Returns whether the notice ticker is moving (it then wants
 * screen_draw_notice every VIEW_SCROLL_FRAME_MS). */
bool screen_draw(struct draw *d, const struct layout *l, const struct view *v,
                 const struct screen_assets *assets, uint64_t now_ms, time_t now);

/* The notice bar alone, over the last frame on the canvas: what a moving ticker costs. */
bool screen_draw_notice(struct draw *d, const struct layout *l, const struct view *v,
                        uint64_t now_ms, time_t now);

#endif
