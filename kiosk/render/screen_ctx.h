/* screen_ctx.h: what the call screen's parts share while drawing one frame (screen.c draws
 * the queue, info_pages.c the information pages): the palette, the language rules and the
 * worded priority badge (screen_ctx.c). */
#ifndef KIOSK_SCREEN_CTX_H
#define KIOSK_SCREEN_CTX_H

#include "base/i18n.h"
#include "view.h"
#include "render/draw.h"
#include "render/theme.h"

struct ctx {
    struct draw *d;
    const struct layout *l;
    const struct view *v;
    const struct theme *t;
    enum language language;
    time_t now;
};

/* True when the screen shows lang. */
bool ctx_wants(const struct ctx *c, enum lang lang);

/* The first language to show: Chinese unless the screen is English only. */
enum lang ctx_primary(const struct ctx *c);

/* v design pixels (1080p) in screen pixels. */
int ctx_scaled(const struct ctx *c, int v);

/* "正在呼叫 Now calling": the Chinese muted, the English bold in emphasis; or one alone.
 * Returns where the label ends. */
int ctx_label(const struct ctx *c, const struct line *l, enum text_id id, SDL_Color emphasis);

/* "预约 Appointment" with both languages on screen, the primary language's word otherwise. */
void ctx_words(const struct ctx *c, enum text_id id, char *out, size_t size);

/* The room's name in lang (the other language's when it has none), or its id when the model
 * has no such room. */
const char *ctx_room_name(const struct ctx *c, const char *room_id, enum lang lang);

/* "zh · en", or the one language the screen shows (zh and en already in their languages). */
void ctx_both(const struct ctx *c, const char *zh, const char *en, char *out, size_t size);

/* A priority in words: the site's own name for it when it gave one (Novo SGA's "老年人", in
 * whatever language the site wrote it), else ours: "预约 Appointment" (as ctx_words), or the
 * primary language's short word ("预约", "Appt") when short_form. */
void ctx_priority_words(const struct ctx *c, enum priority p, const char *site_name,
                        bool short_form, char *out, size_t size);

/* The badge colour of a priority other than normal: red for an emergency, else blue. */
SDL_Color ctx_priority_color(const struct ctx *c, enum priority p);

/* The ticket at most w wide with its worded priority pill after it ("预约", "急诊", or the
 * site's priority_name, which may be NULL); nothing after a normal ticket. Returns the width
 * used. */
int ctx_ticket(const struct ctx *c, const struct line *t, int w, const char *ticket,
               enum priority p, const char *priority_name, SDL_Color normal);

#endif
