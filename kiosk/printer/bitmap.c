/* bitmap.c: the 1-bit canvas tickets are composed on. Text comes in as SDL surfaces and is
 * thresholded, since a thermal head has no grey. */
#include <SDL2/SDL_image.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "printer/bitmap.h"

struct bitmap *bitmap_create(int width, int height)
{
    struct bitmap *b = xcalloc(1, sizeof(*b));
    b->width = width;
    b->height = height;
    b->stride = (width + 7) / 8;
    b->bits = xcalloc((size_t)b->stride * (size_t)(height > 0 ? height : 1), 1);
    return b;
}

void bitmap_destroy(struct bitmap *b)
{
    if (!b)
        return;
    free(b->bits);
    free(b);
}

bool bitmap_get(const struct bitmap *b, int x, int y)
{
    return b->bits[(size_t)y * (size_t)b->stride + (size_t)x / 8] & (0x80 >> (x % 8));
}

static void set(struct bitmap *b, int x, int y)
{
    b->bits[(size_t)y * (size_t)b->stride + (size_t)x / 8] |= (unsigned char)(0x80 >> (x % 8));
}

void bitmap_fill(struct bitmap *b, int x, int y, int w, int h)
{
    for (int row = y < 0 ? 0 : y; row < y + h && row < b->height; row++)
        for (int col = x < 0 ? 0 : x; col < x + w && col < b->width; col++)
            set(b, col, row);
}

struct bitmap *bitmap_rows(const struct bitmap *b, int y0, int y1)
{
    struct bitmap *out = bitmap_create(b->width, y1 - y0);
    memcpy(out->bits, b->bits + (size_t)y0 * (size_t)b->stride,
           (size_t)(y1 - y0) * (size_t)b->stride);
    return out;
}

void bitmap_draw_surface(struct bitmap *b, SDL_Surface *s, int x, int y)
{
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    if (!argb)
        abort();
    for (int row = 0; row < argb->h; row++) {
        const Uint32 *p =
            (const Uint32 *)((const Uint8 *)argb->pixels + (ptrdiff_t)row * argb->pitch);
        for (int col = 0; col < argb->w; col++) {
            Uint32 alpha = p[col] >> 24;
            Uint32 luma = (((p[col] >> 16) & 255) + ((p[col] >> 8) & 255) + (p[col] & 255)) / 3;
            /* Ink is what is opaque and dark: blended text is black with varying alpha. */
            if (alpha * (255 - luma) >= 128 * 255 && x + col >= 0 && x + col < b->width &&
                y + row >= 0 && y + row < b->height)
                set(b, x + col, y + row);
        }
    }
    SDL_FreeSurface(argb);
}

bool bitmap_save_png(const struct bitmap *b, const char *path, char **err)
{
    SDL_Surface *s =
        SDL_CreateRGBSurfaceWithFormat(0, b->width, b->height, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!s)
        abort();
    for (int y = 0; y < b->height; y++) {
        Uint32 *p = (Uint32 *)((Uint8 *)s->pixels + (ptrdiff_t)y * s->pitch);
        for (int x = 0; x < b->width; x++)
            p[x] = bitmap_get(b, x, y) ? 0xFF000000 : 0xFFFFFFFF;
    }
    bool ok = IMG_SavePNG(s, path) == 0;
    if (!ok)
        *err = xasprintf("%s: %s", path, IMG_GetError());
    SDL_FreeSurface(s);
    return ok;
}
