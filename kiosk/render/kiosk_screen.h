/* kiosk_screen.h: draws the self-service kiosk (role = kiosk) from its UI state: a light
 * theme for a screen read at arm's length, the patient's language first, the other under it. */
#ifndef KIOSK_KIOSK_SCREEN_H
#define KIOSK_KIOSK_SCREEN_H

#include "selfservice/kiosk_ui.h"
#include "view.h"
#include "render/draw.h"
#include "render/kiosk_layout.h"

/* qr is the code of the screen on show (results, or rating on the phone); NULL for none. */
void kiosk_screen_draw(struct draw *d, const struct kiosk_layout *l, const struct ui *ui,
                       const struct view *v, SDL_Texture *logo, const struct qr *qr);

#endif
