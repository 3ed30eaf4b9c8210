/* text.c: a small cache keyed by (weight, size, colour, string). A call screen shows about a
 * hundred strings, so a flat array with hashes beats anything cleverer. */
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "text/text.h"

#define LOG_MODULE "text"
#include "base/log.h"

/* Above this many entries, or the cache's budget in bytes of textures, the least recently
 * drawn strings are evicted. The bytes matter more: one full-screen call's ticket is a 3 MB
 * texture at 1080p, and a busy clinic makes a new one every call. */
#define CACHE_SOFT_LIMIT 384

struct entry {
    uint32_t hash;
    enum weight weight;
    int size;
    SDL_Color color;
    char *string;
    bool whole;       /* every row of the line, not only those with ink (text_get_whole) */
    struct text text; /* texture NULL: a width measured, nothing rendered */
    unsigned last_frame;
    uint32_t measure_hash; /* of (weight, size, string), for text_measure */
};

struct text_cache {
    SDL_Renderer *renderer;
    struct fonts *fonts;
    struct entry *entries;
    int count, capacity;
    long bytes;  /* of all the textures held */
    long budget; /* bytes held before unused strings go */
    unsigned frame;
};

struct text_cache *text_cache_create(SDL_Renderer *renderer, struct fonts *fonts, long budget)
{
    struct text_cache *cache = xcalloc(1, sizeof(*cache));
    cache->budget = budget;
    cache->renderer = renderer;
    cache->fonts = fonts;
    return cache;
}

static long texture_bytes(const struct entry *e)
{
    return e->text.texture ? 4L * e->text.w * e->text.h : 0;
}

static void entry_free(struct entry *e)
{
    if (e->text.texture)
        SDL_DestroyTexture(e->text.texture);
    free(e->string);
}

void text_cache_destroy(struct text_cache *cache)
{
    if (!cache)
        return;
    for (int i = 0; i < cache->count; i++)
        entry_free(&cache->entries[i]);
    free(cache->entries);
    free(cache);
}

static uint32_t fnv1a(uint32_t h, uint32_t byte)
{
    return (h ^ byte) * 16777619u;
}

static uint32_t hash_key(enum weight weight, int size, SDL_Color c, const char *s)
{
    uint32_t h = fnv1a(fnv1a(2166136261u, (uint32_t)weight), (uint32_t)size & 0xFF);
    h = fnv1a(fnv1a(fnv1a(fnv1a(h, c.r), c.g), c.b), c.a);
    for (; *s; s++)
        h = fnv1a(h, (unsigned char)*s);
    return h;
}

static bool same_key(const struct entry *e, uint32_t hash, enum weight weight, int size,
                     SDL_Color c, const char *s, bool whole)
{
    return e->hash == hash && e->text.texture && e->whole == whole && e->weight == weight &&
           e->size == size && e->color.r == c.r && e->color.g == c.g && e->color.b == c.b &&
           e->color.a == c.a && strcmp(e->string, s) == 0;
}

/* Room for one more entry at entries[count]; the caller fills it and counts it. */
static struct entry *append(struct text_cache *cache)
{
    if (cache->count == cache->capacity) {
        cache->capacity = cache->capacity ? cache->capacity * 2 : 64;
        cache->entries =
            xrealloc(cache->entries, sizeof(*cache->entries) * (size_t)cache->capacity);
    }
    return &cache->entries[cache->count];
}

/* The rows of a rendered line that hold ink, [*top, *bottom); both 0 when none do. */
static void ink_rows(const SDL_Surface *s, int *top, int *bottom)
{
    *top = *bottom = 0;
    for (int y = 0; y < s->h; y++) {
        const Uint32 *row =
            (const Uint32 *)((const Uint8 *)s->pixels + (size_t)y * (size_t)s->pitch);
        for (int x = 0; x < s->w; x++) {
            if (row[x] & s->format->Amask) {
                if (*bottom == 0)
                    *top = y;
                *bottom = y + 1;
                break;
            }
        }
    }
}

/* Noto Sans CJK's line is 1.45 em high and a digit 0.74 em, so half of a ticket number's
 * picture is transparent rows: unless the whole line is asked for (it is to be scaled, and
 * must scale as it always has), only the rows with ink become the texture. Drawn at the same
 * baseline they give the same pixels, for half the memory and half the blending. */
static bool render(struct text_cache *cache, struct entry *e)
{
    TTF_Font *font = fonts_get(cache->fonts, e->weight, e->size);
    if (!font)
        return false;
    SDL_Surface *surface = TTF_RenderUTF8_Blended(font, e->string, e->color);
    if (!surface) {
        LOG_ERR("cannot render \"%s\": %s", e->string, TTF_GetError());
        return false;
    }
    int top = 0, bottom = surface->h;
    if (!e->whole && surface->format->BytesPerPixel == 4 && surface->format->Amask)
        ink_rows(surface, &top, &bottom);
    if (bottom <= top) /* no ink at all: spaces */
        top = 0, bottom = surface->h;
    SDL_Surface *inked = SDL_CreateRGBSurfaceWithFormatFrom(
        (Uint8 *)surface->pixels + (size_t)top * (size_t)surface->pitch, surface->w, bottom - top,
        32, surface->pitch, surface->format->format);
    e->text.texture = inked ? SDL_CreateTextureFromSurface(cache->renderer, inked) : NULL;
    e->text.w = surface->w;
    e->text.h = bottom - top;
    e->text.ascent = TTF_FontAscent(font) - top;
    SDL_FreeSurface(inked);
    SDL_FreeSurface(surface);
    if (!e->text.texture)
        LOG_ERR("cannot make a texture for \"%s\": %s", e->string, SDL_GetError());
    return e->text.texture != NULL;
}

static const struct text *get(struct text_cache *cache, enum weight weight, int size,
                              SDL_Color color, const char *s, bool whole)
{
    uint32_t hash = hash_key(weight, size, color, s);
    for (int i = 0; i < cache->count; i++) {
        struct entry *e = &cache->entries[i];
        if (same_key(e, hash, weight, size, color, s, whole)) {
            e->last_frame = cache->frame;
            return &e->text;
        }
    }
    struct entry *e = append(cache);
    *e = (struct entry){.hash = hash,
                        .weight = weight,
                        .size = size,
                        .color = color,
                        .string = xstrdup(s),
                        .whole = whole,
                        .last_frame = cache->frame};
    if (!render(cache, e)) {
        entry_free(e);
        return NULL;
    }
    cache->bytes += texture_bytes(e);
    cache->count++;
    return &e->text;
}

const struct text *text_get(struct text_cache *cache, enum weight weight, int size, SDL_Color color,
                            const char *s)
{
    return get(cache, weight, size, color, s, false);
}

const struct text *text_get_whole(struct text_cache *cache, enum weight weight, int size,
                                  SDL_Color color, const char *s)
{
    return get(cache, weight, size, color, s, true);
}

/* Widths are cached like textures (an entry without a texture), because every draw measures
 * its string first to decide whether it fits. */
int text_measure(struct text_cache *cache, enum weight weight, int size, const char *s)
{
    static const SDL_Color no_color = {0, 0, 0, 0};
    uint32_t hash = hash_key(weight, size, no_color, s);
    for (int i = 0; i < cache->count; i++) {
        struct entry *e = &cache->entries[i];
        if (e->measure_hash == hash && e->weight == weight && e->size == size &&
            strcmp(e->string, s) == 0) {
            e->last_frame = cache->frame;
            return e->text.w;
        }
    }
    TTF_Font *font = fonts_get(cache->fonts, weight, size);
    int w = 0;
    if (!font || TTF_SizeUTF8(font, s, &w, NULL) != 0)
        return 0;
    struct entry *e = append(cache);
    *e = (struct entry){.weight = weight,
                        .size = size,
                        .string = xstrdup(s),
                        .text.w = w,
                        .last_frame = cache->frame,
                        .measure_hash = hash};
    cache->count++;
    return w;
}

static int by_last_use(const void *a, const void *b)
{
    unsigned x = ((const struct entry *)a)->last_frame, y = ((const struct entry *)b)->last_frame;
    return x < y ? -1 : x > y;
}

/* Over the limits, the least recently drawn strings go first, down to the limits; the frame's
 * own strings stay whatever they weigh. Least recently, not "not in the last frame": a new
 * call filling the screen for a few seconds must not evict the usual screen's strings, or
 * they would all be rendered again the moment it ends. */
void text_cache_end_frame(struct text_cache *cache)
{
    if (cache->count > CACHE_SOFT_LIMIT || cache->bytes > cache->budget) {
        qsort(cache->entries, (size_t)cache->count, sizeof(*cache->entries), by_last_use);
        int first = 0;
        while (first < cache->count && cache->entries[first].last_frame != cache->frame &&
               (cache->count - first > CACHE_SOFT_LIMIT || cache->bytes > cache->budget)) {
            cache->bytes -= texture_bytes(&cache->entries[first]);
            entry_free(&cache->entries[first++]);
        }
        memmove(cache->entries, cache->entries + first,
                sizeof(*cache->entries) * (size_t)(cache->count - first));
        cache->count -= first;
    }
    cache->frame++;
}

int text_cache_count(const struct text_cache *cache)
{
    return cache->count;
}

long text_cache_bytes(const struct text_cache *cache)
{
    return cache->bytes;
}
