/* display.c: everything is drawn to an offscreen canvas texture first. That gives rotation
 * for portrait monitors (KMSDRM cannot rotate), and screenshots of exactly what was shown. */
#include <SDL2/SDL_image.h>
#include <stdio.h>

#include "base/mem.h"
#include "render/display.h"
#include "render/drm_card.h"

#define LOG_MODULE "display"
#include "base/log.h"

#define HEADLESS_WIDTH  1920
#define HEADLESS_HEIGHT 1080

struct display {
    SDL_Window *window;
    SDL_Renderer *renderer;
    SDL_Texture *canvas;
    int canvas_w, canvas_h;
    int output_w, output_h;
};

static void canvas_size(const struct config *config, int out_w, int out_h, int *w, int *h)
{
    int longer = out_w > out_h ? out_w : out_h, shorter = out_w > out_h ? out_h : out_w;
    bool portrait = config->device.orientation == ORIENTATION_PORTRAIT;
    *w = portrait ? shorter : longer;
    *h = portrait ? longer : shorter;
}

static bool open_window(struct display *d, const struct config *config, bool headless, char **err)
{
    int w = config->device.width, h = config->device.height;
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (headless) {
        if (w == 0)
            w = HEADLESS_WIDTH, h = HEADLESS_HEIGHT;
    } else if (w == 0) {
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        flags |= SDL_WINDOW_FULLSCREEN;
    }
    d->window = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w ? w : 1,
                                 h ? h : 1, flags);
    if (!d->window) {
        *err = xasprintf("cannot open a window: %s", SDL_GetError());
        return false;
    }
    Uint32 renderer_flags =
        headless ? SDL_RENDERER_SOFTWARE : SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC;
    d->renderer = SDL_CreateRenderer(d->window, -1, renderer_flags | SDL_RENDERER_TARGETTEXTURE);
    if (!d->renderer && !headless) /* no GPU: a software renderer still shows the queue */
        d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
    if (!d->renderer) {
        *err = xasprintf("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    return SDL_GetRendererOutputSize(d->renderer, &d->output_w, &d->output_h) == 0;
}

struct display *display_create(const struct config *config, bool headless, char **err)
{
    *err = NULL;
    if (headless) {
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
        /* Without this the offscreen driver loads Mesa's EGL: ~100 MB more resident memory. */
        SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    }
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    if (!headless)
        drm_card_choose();
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        *err =
            xasprintf("no display: %s (use --headless on a machine without one)", SDL_GetError());
        return NULL;
    }
    struct display *d = xcalloc(1, sizeof(*d));
    if (!open_window(d, config, headless, err))
        goto fail;
    canvas_size(config, d->output_w, d->output_h, &d->canvas_w, &d->canvas_h);
    d->canvas = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                  d->canvas_w, d->canvas_h);
    if (!d->canvas) {
        *err =
            xasprintf("cannot create a %dx%d canvas: %s", d->canvas_w, d->canvas_h, SDL_GetError());
        goto fail;
    }
    SDL_ShowCursor(SDL_DISABLE);
    LOG_INFO("%s, output %dx%d, canvas %dx%d", SDL_GetCurrentVideoDriver(), d->output_w,
             d->output_h, d->canvas_w, d->canvas_h);
    return d;
fail:
    display_destroy(d);
    return NULL;
}

void display_destroy(struct display *d)
{
    if (!d)
        return;
    if (d->canvas)
        SDL_DestroyTexture(d->canvas);
    if (d->renderer)
        SDL_DestroyRenderer(d->renderer);
    if (d->window)
        SDL_DestroyWindow(d->window);
    free(d);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

SDL_Renderer *display_renderer(struct display *d)
{
    return d->renderer;
}

void display_canvas_size(const struct display *d, int *w, int *h)
{
    *w = d->canvas_w;
    *h = d->canvas_h;
}

static bool rotated(int output_w, int output_h, int canvas_w, int canvas_h)
{
    return (canvas_w > canvas_h) != (output_w > output_h);
}

/* Both centred; turned, a canvas offset (u, v) from its centre shows at (-v, u) from the
 * output's centre (clockwise with y pointing down). The -1 is pixels, not points: canvas row
 * 0 covers the output's last column. */
void display_map_to_canvas(int output_w, int output_h, int canvas_w, int canvas_h, int x, int y,
                           int *cx, int *cy)
{
    int u = x - output_w / 2, v = y - output_h / 2;
    bool turn = rotated(output_w, output_h, canvas_w, canvas_h);
    *cx = canvas_w / 2 + (turn ? v : u);
    *cy = canvas_h / 2 + (turn ? -u - 1 : v);
}

void display_map_to_output(int output_w, int output_h, int canvas_w, int canvas_h, int cx, int cy,
                           int *x, int *y)
{
    int u = cx - canvas_w / 2, v = cy - canvas_h / 2;
    bool turn = rotated(output_w, output_h, canvas_w, canvas_h);
    *x = output_w / 2 + (turn ? -v - 1 : u);
    *y = output_h / 2 + (turn ? u : v);
}

void display_to_canvas(const struct display *d, int x, int y, int *cx, int *cy)
{
    display_map_to_canvas(d->output_w, d->output_h, d->canvas_w, d->canvas_h, x, y, cx, cy);
}

void display_to_output(const struct display *d, int cx, int cy, int *x, int *y)
{
    display_map_to_output(d->output_w, d->output_h, d->canvas_w, d->canvas_h, cx, cy, x, y);
}

void display_begin(struct display *d)
{
    SDL_SetRenderTarget(d->renderer, d->canvas);
}

void display_present(struct display *d)
{
    SDL_SetRenderTarget(d->renderer, NULL);
    SDL_SetRenderDrawColor(d->renderer, 0, 0, 0, 255);
    SDL_RenderClear(d->renderer);
    bool rotate = rotated(d->output_w, d->output_h, d->canvas_w, d->canvas_h);
    /* Centre the canvas; rotated, its width lies along the output's height. */
    SDL_Rect dst = {(d->output_w - d->canvas_w) / 2, (d->output_h - d->canvas_h) / 2, d->canvas_w,
                    d->canvas_h};
    SDL_RenderCopyEx(d->renderer, d->canvas, NULL, &dst, rotate ? 90.0 : 0.0, NULL, SDL_FLIP_NONE);
    SDL_RenderPresent(d->renderer);
}

bool display_save_png(struct display *d, const char *path, char **err)
{
    *err = NULL;
    SDL_Surface *shot =
        SDL_CreateRGBSurfaceWithFormat(0, d->canvas_w, d->canvas_h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!shot)
        abort();
    char *tmp = xasprintf("%s.tmp", path);
    SDL_SetRenderTarget(d->renderer, d->canvas);
    bool ok = SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
                                   shot->pitch) == 0 &&
              IMG_SavePNG(shot, tmp) == 0;
    SDL_SetRenderTarget(d->renderer, NULL);
    if (!ok)
        *err = xasprintf("%s: %s", path, SDL_GetError());
    else if (rename(tmp, path) != 0)
        *err = xasprintf("%s: cannot rename %s into place", path, tmp), ok = false;
    if (!ok)
        remove(tmp);
    free(tmp);
    SDL_FreeSurface(shot);
    return ok;
}

SDL_Texture *display_load_texture(struct display *d, const char *path, char **err)
{
    *err = NULL;
    SDL_Texture *t = IMG_LoadTexture(d->renderer, path);
    if (!t)
        *err = xasprintf("%s: %s", path, IMG_GetError());
    return t;
}
