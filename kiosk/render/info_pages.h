/* info_pages.h: draws the information page on show (pages.h) in the call screen's info area:
 * the room cards, results ready, the crowd-by-hour chart or the clinic hours. */
#ifndef KIOSK_INFO_PAGES_H
#define KIOSK_INFO_PAGES_H

#include "render/screen_ctx.h"

void info_draw(const struct ctx *c);

/* Results and clinic entries one page holds in layout l (for view_capacity). */
void info_capacity(const struct layout *l, int *results, int *clinics);

#endif
