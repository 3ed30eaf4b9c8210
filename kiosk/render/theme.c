/* theme.c: the two palettes. Dark is the reference design (shared/design); light keeps its
 * hues but darkens every text colour until it reads on white in sunlit halls. */
#include <math.h>

#include "render/theme.h"

#define RGB(hex)                                                                                   \
    {                                                                                              \
        (Uint8)((hex) >> 16), (Uint8)((hex) >> 8 & 0xff), (Uint8)((hex)&0xff), 255                 \
    }

static const struct theme dark = {
    .background = RGB(0x0b1f3a),
    .bar = RGB(0x071629),
    .hero = RGB(0x123a6b),
    .hero_flash = RGB(0x1f5ca8),
    .card = RGB(0x10294a),
    .rule = RGB(0x1c3d66),
    .title = RGB(0xffffff),
    .text = RGB(0xcfe0f5),
    .muted = RGB(0x9fb3c8),
    .muted_bar = RGB(0x9fb3c8),
    .accent = RGB(0xffd166),
    .accent_bg = RGB(0xffd166),
    .ok = RGB(0x17a589),
    .warn = RGB(0xf39c12),
    .warn_text = RGB(0xf39c12),
    .appointment = RGB(0x1565c0),
    .emergency = RGB(0xc0392b),
    .badge_text = RGB(0xffffff),
    .emergency_text = RGB(0xff8a7a),
    .emergency_hero = RGB(0xff8a7a),
    .recall_text = RGB(0x071629),
    .chart_bar = RGB(0x3a6ea5),
    .chart_now = RGB(0xffd166),
    .chart_quiet = RGB(0x17a589),
    .ink = RGB(0x0b1f3a),
    .ink_muted = RGB(0x3d5066),
};

static const struct theme light = {
    .background = RGB(0xf2f5f9),
    .bar = RGB(0xffffff),
    .hero = RGB(0xdde8f6),
    .hero_flash = RGB(0xfff1c9),
    .card = RGB(0xffffff),
    .rule = RGB(0xc3d0df),
    .title = RGB(0x0b1f3a),
    .text = RGB(0x1d3557),
    .muted = RGB(0x4a5d73),
    .muted_bar = RGB(0x4a5d73),
    .accent = RGB(0x8a4b00),
    .accent_bg = RGB(0x8a4b00),
    .ok = RGB(0x12806a),
    .warn = RGB(0xb35c00),
    .warn_text = RGB(0x8f4a00),
    .appointment = RGB(0x1565c0),
    .emergency = RGB(0xb03a2e),
    .badge_text = RGB(0xffffff),
    .emergency_text = RGB(0xa8291c),
    .emergency_hero = RGB(0x9c2518),
    .recall_text = RGB(0xffffff),
    .chart_bar = RGB(0x5a7fae),
    .chart_now = RGB(0xa86a00),
    .chart_quiet = RGB(0x12806a),
    .ink = RGB(0x0b1f3a),
    .ink_muted = RGB(0x3d5066),
};

const struct theme *theme_get(enum color_theme name)
{
    return name == THEME_LIGHT ? &light : &dark;
}

int theme_pairs(const struct theme *t, struct theme_pair *out, int max)
{
    const SDL_Color white = {255, 255, 255, 255};
    const struct theme_pair pairs[] = {
        {"title on bar", t->title, t->bar},
        {"muted on bar", t->muted_bar, t->bar},
        {"warning on bar", t->warn_text, t->bar},
        {"notice on bar", t->text, t->bar},
        {"badge on emergency bar", t->badge_text, t->emergency},
        {"label on hero", t->muted, t->hero},
        {"accent on hero", t->accent, t->hero},
        {"accent on flashing hero", t->accent, t->hero_flash},
        {"room on hero", t->title, t->hero},
        {"room on flashing hero", t->title, t->hero_flash},
        {"english on hero", t->text, t->hero},
        {"english on flashing hero", t->text, t->hero_flash},
        {"emergency ticket on hero", t->emergency_hero, t->hero},
        {"dimmed ticket on flashing hero", t->title, t->hero_flash},
        {"title on background", t->title, t->background},
        {"text on background", t->text, t->background},
        {"muted on background", t->muted, t->background},
        {"accent on background", t->accent_bg, t->background},
        {"emergency ticket on background", t->emergency_text, t->background},
        {"title on card", t->title, t->card},
        {"text on card", t->text, t->card},
        {"muted on card", t->muted, t->card},
        {"accent on card", t->accent_bg, t->card},
        {"emergency ticket on card", t->emergency_text, t->card},
        {"badge on appointment", t->badge_text, t->appointment},
        {"badge on emergency", t->badge_text, t->emergency},
        {"recall on warning badge", t->recall_text, t->warn},
        {"ink on QR card", t->ink, white},
        {"muted ink on QR card", t->ink_muted, white},
    };
    int n = 0;
    for (size_t i = 0; i < sizeof(pairs) / sizeof(pairs[0]) && n < max; i++)
        out[n++] = pairs[i];
    return n;
}

static double channel(Uint8 c)
{
    double v = c / 255.0;
    return v <= 0.04045 ? v / 12.92 : pow((v + 0.055) / 1.055, 2.4);
}

static double luminance(SDL_Color c)
{
    return 0.2126 * channel(c.r) + 0.7152 * channel(c.g) + 0.0722 * channel(c.b);
}

double theme_contrast(SDL_Color a, SDL_Color b)
{
    double la = luminance(a), lb = luminance(b);
    return la > lb ? (la + 0.05) / (lb + 0.05) : (lb + 0.05) / (la + 0.05);
}
