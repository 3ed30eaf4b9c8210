/* theme.h: the call screen's colours, dark (the reference design) or light, by role. Every
 * text colour is drawn on one known background, listed in theme_pairs, so a test can check
 * each pair for WCAG AA contrast. */
#ifndef KIOSK_THEME_H
#define KIOSK_THEME_H

#include <SDL2/SDL.h>

#include "config/config.h"

struct theme {
    SDL_Color background, bar, hero, hero_flash, card, rule;
    SDL_Color title;     /* names, tickets, the clock: the strongest text */
    SDL_Color text;      /* rooms, patients, notices */
    SDL_Color muted;     /* labels and secondary lines, on the background and cards */
    SDL_Color muted_bar; /* secondary text on the bars */
    SDL_Color accent;    /* the called ticket and its label, on the hero */
    SDL_Color accent_bg; /* a called ticket on the background or a card */
    SDL_Color ok, warn;  /* the connection dot; warn also for offline text on the bar */
    SDL_Color warn_text; /* offline/restored text on the bar */
    SDL_Color appointment, emergency; /* badge fills; their text is badge_text */
    SDL_Color badge_text;
    SDL_Color emergency_text; /* an emergency ticket on the background or a card */
    SDL_Color emergency_hero; /* an emergency ticket on the hero */
    SDL_Color recall_text;    /* on the warn badge */
    SDL_Color chart_bar, chart_now, chart_quiet; /* bars: other hours, this hour, quietest */
    SDL_Color ink, ink_muted;                    /* on the white QR card */
};

const struct theme *theme_get(enum color_theme name);

/* A text colour and the background it is drawn on, by name. */
struct theme_pair {
    const char *name;
    SDL_Color fg, bg;
};

/* The text pairs the call screen draws in theme t; returns how many (at most max). */
int theme_pairs(const struct theme *t, struct theme_pair *out, int max);

/* WCAG 2.x contrast ratio of two opaque colours (1..21). */
double theme_contrast(SDL_Color a, SDL_Color b);

#endif
