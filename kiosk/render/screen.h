/* screen.h: draws the call screen (display role) from the view onto the canvas. */
#ifndef KIOSK_SCREEN_H
#define KIOSK_SCREEN_H

#include <time.h>

#include "../screen_codes.h"
#include "../view.h"
#include "draw.h"
#include "layout.h"

struct screen_assets {
    SDL_Texture *logo;                /* may be NULL */
    const struct screen_codes *codes; /* may be NULL: no QR card */
};

void screen_draw(struct draw *d, const struct layout *l, const struct view *v,
                 const struct screen_assets *assets, time_t now);

#endif
