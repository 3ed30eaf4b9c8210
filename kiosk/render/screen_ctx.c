/* screen_ctx.c: the helpers every part of the call screen draws with: which language comes
 * first, design pixels to screen pixels, bilingual labels, and the ticket with its worded
 * priority badge. */
#include <stdio.h>

#include "render/screen_ctx.h"

bool ctx_wants(const struct ctx *c, enum lang lang)
{
    return c->language == LANGUAGE_ZH_EN || (c->language == LANGUAGE_ZH) == (lang == LANG_ZH);
}

enum lang ctx_primary(const struct ctx *c)
{
    return c->language == LANGUAGE_EN ? LANG_EN : LANG_ZH;
}

int ctx_scaled(const struct ctx *c, int v)
{
    return (int)((float)v * c->l->scale + 0.5f);
}

int ctx_label(const struct ctx *c, const struct line *l, enum text_id id, SDL_Color emphasis)
{
    int x = l->box.x, end = l->box.x + l->box.w;
    if (ctx_wants(c, LANG_ZH))
        x += draw_text_span(c->d, l, x, end - x, WEIGHT_REGULAR, c->t->muted,
                            i18n_text(id, LANG_ZH), ALIGN_LEFT) +
             ctx_scaled(c, 14);
    if (ctx_wants(c, LANG_EN))
        x += draw_text_span(c->d, l, x, end - x, WEIGHT_BOLD, emphasis, i18n_text(id, LANG_EN),
                            ALIGN_LEFT);
    return x;
}

void ctx_both(const struct ctx *c, const char *zh, const char *en, char *out, size_t size)
{
    snprintf(out, size, "%s%s%s", ctx_wants(c, LANG_ZH) ? zh : "",
             c->language == LANGUAGE_ZH_EN ? " · " : "", ctx_wants(c, LANG_EN) ? en : "");
}

void ctx_words(const struct ctx *c, enum text_id id, char *out, size_t size)
{
    if (c->language == LANGUAGE_ZH_EN)
        snprintf(out, size, "%s %s", i18n_text(id, LANG_ZH), i18n_text(id, LANG_EN));
    else
        snprintf(out, size, "%s", i18n_text(id, ctx_primary(c)));
}

void ctx_priority_words(const struct ctx *c, enum priority p, const char *site_name,
                        bool short_form, char *out, size_t size)
{
    if (site_name && site_name[0]) {
        snprintf(out, size, "%s", site_name);
        return;
    }
    enum text_id id = p == PRIORITY_EMERGENCY     ? TEXT_EMERGENCY
                      : p == PRIORITY_APPOINTMENT ? TEXT_APPOINTMENT
                                                  : TEXT_PRIORITY;
    if (short_form)
        snprintf(out, size, "%s",
                 i18n_text(id + (TEXT_APPOINTMENT_SHORT - TEXT_APPOINTMENT), ctx_primary(c)));
    else
        ctx_words(c, id, out, size);
}

SDL_Color ctx_priority_color(const struct ctx *c, enum priority p)
{
    return p == PRIORITY_EMERGENCY ? c->t->emergency : c->t->appointment;
}

/* An emergency ticket stands out in red (and says so in its badge). */
static SDL_Color ticket_color(const struct ctx *c, enum priority p, SDL_Color normal)
{
    return p == PRIORITY_EMERGENCY ? c->t->emergency_text : normal;
}

const char *ctx_room_name(const struct ctx *c, const char *room_id, enum lang lang)
{
    const struct room *r = model_find_room(&c->v->model, room_id);
    if (!r)
        return room_id;
    const char *name = lang == LANG_EN ? r->name_en : r->name_zh;
    return name[0] ? name : r->name_zh[0] ? r->name_zh : r->name_en;
}

int ctx_ticket(const struct ctx *c, const struct line *t, int w, const char *ticket,
               enum priority p, const char *priority_name, SDL_Color normal)
{
    if (p == PRIORITY_NORMAL)
        return draw_ticket_span(c->d, t, t->box.x, w, normal, ticket);
    char word[128];
    ctx_priority_words(c, p, priority_name, true, word, sizeof(word));
    struct line badge_text = *t;
    badge_text.size = t->size * 5 / 10;
    int gap = ctx_scaled(c, 8);
    int badge_w = text_measure(c->d->text, WEIGHT_BOLD, badge_text.size, word) + 2 * gap;
    /* The whole badge after the number, the number shrunk for it if need be; on a column
     * too narrow for that, the number keeps 70 % and the badge gets the rest. */
    int natural = text_measure(c->d->text, WEIGHT_BOLD, t->size, ticket);
    int budget = w - gap - badge_w < natural ? w - gap - badge_w : natural;
    if (budget < natural * 7 / 10)
        budget = natural < w * 7 / 10 ? natural : w * 7 / 10;
    int ticket_w = draw_ticket_span(c->d, t, t->box.x, budget, ticket_color(c, p, normal), ticket);
    int room = w - ticket_w - gap;
    struct box b = {t->box.x + ticket_w + gap, t->box.y + t->box.h / 8,
                    badge_w < room ? badge_w : room, t->box.h * 3 / 4};
    draw_rounded(c->d, b, ctx_scaled(c, 6), ctx_priority_color(c, p));
    badge_text.box = (struct box){b.x + gap, b.y, b.w - 2 * gap, b.h};
    badge_text.baseline = b.y + (b.h + badge_text.size * 7 / 10) / 2;
    draw_text(c->d, &badge_text, WEIGHT_BOLD, c->t->badge_text, word, ALIGN_CENTER);
    return ticket_w + gap + b.w;
}
