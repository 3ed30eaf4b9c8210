/* harness_screen.c: the kiosk's tests' pixel helpers (PNG screenshots through SDL_image) and
 * where the kiosk's layout puts a button; kiosk-hub's tests link harness.c without these. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL.h>
#include <SDL2/SDL_image.h>
#include <stdlib.h>

#include "config/config.h"
#include "harness_screen.h"
#include "render/kiosk_layout.h"

static Uint32 *pixel_at(SDL_Surface *s, int x, int y)
{
    return (Uint32 *)((Uint8 *)s->pixels + y * s->pitch) + x;
}

void png_scale(const char *in, const char *out, double factor)
{
    SDL_Surface *raw = IMG_Load(in);
    if (!raw)
        fail_msg("%s: %s", in, IMG_GetError());
    SDL_Surface *src = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    int w = (int)(src->w * factor), h = (int)(src->h * factor);
    SDL_Surface *dst = SDL_CreateRGBSurfaceWithFormat(0, w, h, 32, SDL_PIXELFORMAT_ARGB8888);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            int x0 = (int)(x / factor), x1 = (int)((x + 1) / factor);
            int y0 = (int)(y / factor), y1 = (int)((y + 1) / factor);
            unsigned long sum[3] = {0}, n = 0;
            for (int sy = y0; sy < y1 && sy < src->h; sy++)
                for (int sx = x0; sx < x1 && sx < src->w; sx++, n++)
                    for (int c = 0; c < 3; c++)
                        sum[c] += (*pixel_at(src, sx, sy) >> (8 * c)) & 255;
            Uint32 p = 0xFF000000;
            for (int c = 0; c < 3; c++)
                p |= (Uint32)(n ? sum[c] / n : 255) << (8 * c);
            *pixel_at(dst, x, y) = p;
        }
    assert_int_equal(IMG_SavePNG(dst, out), 0);
    SDL_FreeSurface(dst);
    SDL_FreeSurface(src);
}

SDL_Surface *png_load(const char *path)
{
    SDL_Surface *raw = IMG_Load(path);
    if (!raw)
        fail_msg("%s: %s", path, IMG_GetError());
    SDL_Surface *s = SDL_ConvertSurfaceFormat(raw, SDL_PIXELFORMAT_ARGB8888, 0);
    SDL_FreeSurface(raw);
    return s;
}

SDL_Color png_pixel(SDL_Surface *s, int x, int y)
{
    Uint32 p = ((Uint32 *)s->pixels)[y * (s->pitch / 4) + x];
    return (SDL_Color){(p >> 16) & 255, (p >> 8) & 255, p & 255, 255};
}

SDL_Color png_pixel_of(const char *path, int x, int y)
{
    SDL_Surface *s = png_load(path);
    SDL_Color c = png_pixel(s, x, y);
    SDL_FreeSurface(s);
    return c;
}

bool colour_near(SDL_Color a, SDL_Color b)
{
    return abs(a.r - b.r) <= 2 && abs(a.g - b.g) <= 2 && abs(a.b - b.b) <= 2;
}

void kiosk_button_centre(const char *ini, int w, int h, enum ui_screen screen, bool large,
                         enum ui_target target, int index, int *x, int *y)
{
    struct config config;
    struct ui ui;
    struct kiosk_layout l;
    char *err = NULL;
    if (!config_read(&config, ini, &err))
        fail_msg("%s", err);
    ui_init(&ui, &config, 0);
    ui.screen = screen;
    ui.large = large;
    kiosk_layout_compute(&l, w, h, &ui);
    for (int i = 0; i < l.nbuttons; i++)
        if (l.buttons[i].target == target && (index < 0 || l.buttons[i].index == index)) {
            *x = l.buttons[i].box.x + l.buttons[i].box.w / 2;
            *y = l.buttons[i].box.y + l.buttons[i].box.h / 2;
            return;
        }
    fail_msg("no target %d on screen %d", target, screen);
}
