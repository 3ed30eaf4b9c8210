/* text.h: rendered strings cached as textures. SDL_ttf's own glyph cache holds 256 glyphs,
 * too few for Chinese, and rendering a line costs milliseconds: so each distinct string is
 * rendered once and reused until it leaves the screen. */
#ifndef KIOSK_TEXT_H
#define KIOSK_TEXT_H

#include <SDL2/SDL.h>

#include "text/fonts.h"

struct text_cache;

struct text {
    SDL_Texture *texture;
    int w, h;
    int ascent; /* pixels from the texture's top to the baseline */
};

/* budget: bytes of textures kept; the least recently drawn strings go beyond it (a frame's
 * own strings never, whatever they weigh). */
struct text_cache *text_cache_create(SDL_Renderer *renderer, struct fonts *fonts, long budget);
void text_cache_destroy(struct text_cache *cache); /* accepts NULL */

/* The texture for s (UTF-8, non-empty), only the rows with ink (ascent says where the
 * baseline is); owned by the cache and valid until the next text_get or text_cache_end_frame.
 * NULL only when the font cannot render it (logged). */
const struct text *text_get(struct text_cache *cache, enum weight weight, int size, SDL_Color color,
                            const char *s);

/* The same with every row of the font's line: for text that is drawn scaled. */
const struct text *text_get_whole(struct text_cache *cache, enum weight weight, int size,
                                  SDL_Color color, const char *s);

/* Width in pixels of s without rendering it. */
int text_measure(struct text_cache *cache, enum weight weight, int size, const char *s);

/* Marks the end of a frame: over budget, the least recently drawn strings are dropped. */
void text_cache_end_frame(struct text_cache *cache);

int text_cache_count(const struct text_cache *cache);
long text_cache_bytes(const struct text_cache *cache); /* of the textures held */

#endif
