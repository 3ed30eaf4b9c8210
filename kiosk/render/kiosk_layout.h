/* kiosk_layout.h: where the kiosk's touch targets and texts go for the screen on show, from
 * the screen size and the UI state alone (pure, tested): targets at least 15 mm tall, type
 * readable without glasses, and bigger still in large-text mode. */
#ifndef KIOSK_KIOSK_LAYOUT_H
#define KIOSK_KIOSK_LAYOUT_H

#include "selfservice/kiosk_ui.h"
#include "render/layout.h"

#define KIOSK_BUTTONS_MAX 16 /* the most on one screen: a 12-key keypad, language, back */

struct kiosk_button {
    struct box box;
    enum ui_target target;
    int index;
    struct box icon;             /* big buttons: a glyph on a disc at the left */
    struct line label, sublabel; /* zh (or the chosen language) and the other language */
};

struct kiosk_layout {
    int width, height;
    float scale;
    struct box top_bar, logo;
    struct line title, subtitle;
    struct line heading, subheading;
    struct box card;           /* the ticket, or the message, on its own card */
    struct line card_lines[7]; /* inside the card, top to bottom */
    struct box qr;             /* a code to scan: results, or rating on the phone */
    struct line qr_title, qr_hint;
    int nbuttons;
    struct kiosk_button buttons[KIOSK_BUTTONS_MAX];
    struct box notice_bar; /* printer or backend trouble, in plain words */
    struct line notice;
};

void kiosk_layout_compute(struct kiosk_layout *l, int width, int height, const struct ui *ui);

/* The target at (x, y), UI_TARGET_NONE when none; *index for departments. */
enum ui_target kiosk_layout_hit(const struct kiosk_layout *l, int x, int y, int *index);

#endif
