/* display.c: the window and who draws into it (render/renderer.h).
 *
 * GPU: everything is drawn to a canvas texture, turned for a portrait monitor (KMSDRM cannot
 * rotate) and copied to the screen every frame, which costs the GPU nothing.
 * Software: the CPU draws into an ARGB8888 canvas, and only the rectangles that changed are
 * sent to the X server. Where the window's own pixels are 32-bit RGB the canvas is those
 * pixels (MIT-SHM on X11), so the picture is held once; a monitor mounted sideways, or a
 * window of another format, gets a canvas of its own whose changed rectangles are copied
 * (turned) into the window. ARGB8888 either way, so the pixels are exactly those of the GPU
 * path's canvas drawn in software. The last frame stays in place, so a region can be
 * redrawn over it. */
#include <SDL2/SDL_image.h>
#include <stdio.h>
#include <string.h>

#include "base/mem.h"
#include "render/display.h"
#include "render/drm_card.h"
#include "render/renderer.h"

#define LOG_MODULE "display"
#include "base/log.h"

#define HEADLESS_WIDTH  1920
#define HEADLESS_HEIGHT 1080

struct display {
    SDL_Window *window;
    SDL_Renderer *renderer;
    enum render_path path;
    SDL_Texture *canvas; /* GPU: what every frame is drawn on */
    SDL_Surface *pixels; /* software: the canvas, the window's own pixels unless copied */
    bool copied;         /* software: the canvas is ours, copied into the window */
    bool detached;       /* software: ours since the window's pixels went away (detach) */
    int canvas_w, canvas_h;
    int output_w, output_h;
    char description[320];
};

static void canvas_size(const struct config *config, int out_w, int out_h, int *w, int *h)
{
    int longer = out_w > out_h ? out_w : out_h, shorter = out_w > out_h ? out_h : out_w;
    bool portrait = config->device.orientation == ORIENTATION_PORTRAIT;
    *w = portrait ? shorter : longer;
    *h = portrait ? longer : shorter;
}

static bool rotated(int output_w, int output_h, int canvas_w, int canvas_h)
{
    return (canvas_w > canvas_h) != (output_w > output_h);
}

static bool open_window(struct display *d, const struct config *config, bool headless, char **err)
{
    int w = config->device.width, h = config->device.height;
    Uint32 flags = SDL_WINDOW_SHOWN;
    if (headless) {
        if (w == 0)
            w = HEADLESS_WIDTH, h = HEADLESS_HEIGHT;
    } else if (w == 0) {
        /* The desktop's size from the start: with no window manager (X started for the kiosk
         * alone) nobody would make a 1x1 window full-screen. */
        SDL_DisplayMode mode;
        if (SDL_GetDesktopDisplayMode(0, &mode) == 0)
            w = mode.w, h = mode.h;
        flags |= SDL_WINDOW_FULLSCREEN_DESKTOP;
    } else {
        flags |= SDL_WINDOW_FULLSCREEN;
    }
    d->window = SDL_CreateWindow("kiosk", SDL_WINDOWPOS_CENTERED, SDL_WINDOWPOS_CENTERED, w ? w : 1,
                                 h ? h : 1, flags);
    if (!d->window)
        *err = xasprintf("cannot open a window: %s", SDL_GetError());
    return d->window != NULL;
}

static bool argb_compatible(const SDL_Surface *s)
{
    return s->format->format == SDL_PIXELFORMAT_RGB888 ||
           s->format->format == SDL_PIXELFORMAT_ARGB8888;
}

/* The CPU draws into an ARGB8888 canvas: the window's pixels themselves when they can be. */
static bool open_software(struct display *d, const struct config *config)
{
    /* Without this SDL gives the window surface a GPU texture behind it: Mesa again. */
    SDL_SetHint(SDL_HINT_FRAMEBUFFER_ACCELERATION, "0");
    SDL_Surface *window = SDL_GetWindowSurface(d->window);
    if (!window) {
        LOG_WARN("no window surface to draw into (%s): the GPU draws", SDL_GetError());
        return false;
    }
    d->output_w = window->w, d->output_h = window->h;
    canvas_size(config, d->output_w, d->output_h, &d->canvas_w, &d->canvas_h);
    bool turned = rotated(d->output_w, d->output_h, d->canvas_w, d->canvas_h);
    if (turned && window->format->BytesPerPixel != 4) {
        LOG_WARN("a %d-bit window cannot be turned by the CPU: the GPU draws",
                 window->format->BitsPerPixel);
        return false;
    }
    d->copied = turned || !argb_compatible(window);
    d->pixels = d->copied
                    ? SDL_CreateRGBSurfaceWithFormat(0, d->canvas_w, d->canvas_h, 32,
                                                     SDL_PIXELFORMAT_ARGB8888)
                    : SDL_CreateRGBSurfaceWithFormatFrom(window->pixels, window->w, window->h, 32,
                                                         window->pitch, SDL_PIXELFORMAT_ARGB8888);
    d->renderer = d->pixels ? SDL_CreateSoftwareRenderer(d->pixels) : NULL;
    if (!d->renderer) {
        LOG_WARN("no software renderer (%s): the GPU draws", SDL_GetError());
        SDL_FreeSurface(d->pixels);
        d->pixels = NULL;
        return false;
    }
    SDL_SetSurfaceBlendMode(d->pixels, SDL_BLENDMODE_NONE); /* copied as they are */
    return true;
}

static bool open_gpu(struct display *d, const struct config *config, char **err)
{
    d->renderer = SDL_CreateRenderer(d->window, -1,
                                     SDL_RENDERER_ACCELERATED | SDL_RENDERER_PRESENTVSYNC |
                                         SDL_RENDERER_TARGETTEXTURE);
    if (!d->renderer) /* no GPU after all: a software renderer still shows the queue */
        d->renderer = SDL_CreateRenderer(d->window, -1, SDL_RENDERER_SOFTWARE);
    if (!d->renderer || SDL_GetRendererOutputSize(d->renderer, &d->output_w, &d->output_h) != 0) {
        *err = xasprintf("cannot create a renderer: %s", SDL_GetError());
        return false;
    }
    canvas_size(config, d->output_w, d->output_h, &d->canvas_w, &d->canvas_h);
    d->canvas = SDL_CreateTexture(d->renderer, SDL_PIXELFORMAT_ARGB8888, SDL_TEXTUREACCESS_TARGET,
                                  d->canvas_w, d->canvas_h);
    if (!d->canvas)
        *err =
            xasprintf("cannot create a %dx%d canvas: %s", d->canvas_w, d->canvas_h, SDL_GetError());
    return d->canvas != NULL;
}

struct display *display_create(const struct config *config, bool headless, char **err)
{
    *err = NULL;
    if (headless)
        SDL_SetHint(SDL_HINT_VIDEODRIVER, "offscreen");
    SDL_SetHint(SDL_HINT_RENDER_SCALE_QUALITY, "linear");
    if (!headless)
        drm_card_choose();
    if (SDL_InitSubSystem(SDL_INIT_VIDEO) != 0) {
        *err =
            xasprintf("no display: %s (use --headless on a machine without one)", SDL_GetError());
        return NULL;
    }
    struct display *d = xcalloc(1, sizeof(*d));
    char why[256];
    d->path =
        renderer_decide(config->display.renderer, SDL_GetCurrentVideoDriver(), why, sizeof(why));
    if (!open_window(d, config, headless, err))
        goto fail;
    if (d->path == RENDER_SOFTWARE && !open_software(d, config))
        d->path = RENDER_GPU;
    if (d->path == RENDER_GPU && !open_gpu(d, config, err))
        goto fail;
    SDL_ShowCursor(SDL_DISABLE);
    snprintf(d->description, sizeof(d->description), "%s, %s (%s), output %dx%d, canvas %dx%d",
             SDL_GetCurrentVideoDriver(), d->path == RENDER_GPU ? "GPU" : "software", why,
             d->output_w, d->output_h, d->canvas_w, d->canvas_h);
    LOG_INFO("%s", d->description);
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
    if (d->pixels && d->detached)
        free(d->pixels->pixels); /* SDL frees only the pixels it allocated */
    SDL_FreeSurface(d->pixels);
    if (d->window)
        SDL_DestroyWindow(d->window);
    free(d);
    SDL_QuitSubSystem(SDL_INIT_VIDEO);
}

SDL_Renderer *display_renderer(struct display *d)
{
    return d->renderer;
}

const char *display_description(const struct display *d)
{
    return d->description;
}

void display_canvas_size(const struct display *d, int *w, int *h)
{
    *w = d->canvas_w;
    *h = d->canvas_h;
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
    if (d->canvas)
        SDL_SetRenderTarget(d->renderer, d->canvas);
}

static void present_gpu(struct display *d)
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

/* Copies canvas rectangle r into the window turned clockwise; returns where it went. */
static SDL_Rect turn_into(struct display *d, SDL_Surface *window, SDL_Rect r)
{
    int x0, y0; /* the output pixel of r's bottom-left corner: the turned rectangle's top left */
    display_to_output(d, r.x, r.y + r.h - 1, &x0, &y0);
    for (int row = 0; row < r.h; row++) {
        const Uint32 *s = (const Uint32 *)((const Uint8 *)d->pixels->pixels +
                                           (size_t)(r.y + row) * (size_t)d->pixels->pitch) +
                          r.x;
        Uint8 *o = (Uint8 *)window->pixels + (size_t)y0 * (size_t)window->pitch +
                   (size_t)(x0 + r.h - 1 - row) * 4;
        for (int col = 0; col < r.w; col++, o += window->pitch)
            memcpy(o, &s[col], 4);
    }
    return (SDL_Rect){x0, y0, r.h, r.w};
}

/* The window's surface went away under the canvas (SDL replaces it when the window is
 * resized, and frees the old one at the next SDL_GetWindowSurface): from now on the canvas
 * keeps its own copy of the pixels and is copied into whatever surface the window has. */
static void detach(struct display *d)
{
    size_t bytes = (size_t)d->pixels->pitch * (size_t)d->pixels->h;
    void *own = xcalloc(1, bytes);
    memcpy(own, d->pixels->pixels, bytes);
    d->pixels->pixels = own;
    d->copied = d->detached = true;
    LOG_INFO("the window changed under the canvas: copying it into the window from now on");
}

/* Copies the rectangles into the window surface (turned if need be) and shows them. */
static void copy_out(struct display *d, const SDL_Rect *rects, int n)
{
    SDL_Surface *window = SDL_GetWindowSurface(d->window); /* anew: a resize replaces it */
    if (!window)
        return;
    bool turned = rotated(d->output_w, d->output_h, d->canvas_w, d->canvas_h);
    SDL_Rect out[DISPLAY_RECTS_MAX];
    int m = 0;
    for (int i = 0; i < n; i++) {
        SDL_Rect r = rects[i];
        if (turned && (window->w != d->output_w || window->h != d->output_h))
            return; /* a turned canvas fits only the window it was made for */
        if (turned)
            out[m++] = turn_into(d, window, r);
        else if (SDL_BlitSurface(d->pixels, &r, window, &r) == 0)
            out[m++] = r;
    }
    SDL_UpdateWindowSurfaceRects(d->window, out, m);
}

static void present_software(struct display *d, const SDL_Rect *rects, int n)
{
    SDL_RenderFlush(d->renderer);
    SDL_Rect whole = {0, 0, d->canvas_w, d->canvas_h}, clipped[DISPLAY_RECTS_MAX];
    int m = 0;
    for (int i = 0; i < (n > 0 ? n : 1) && m < DISPLAY_RECTS_MAX; i++)
        if (SDL_IntersectRect(n > 0 ? &rects[i] : &whole, &whole, &clipped[m]))
            m++;
    if (!d->copied && SDL_UpdateWindowSurfaceRects(d->window, clipped, m) == 0)
        return;
    if (!d->copied) {
        detach(d);
        clipped[0] = whole, m = 1;
    }
    copy_out(d, clipped, m);
}

void display_present(struct display *d, const SDL_Rect *rects, int n)
{
    if (d->path == RENDER_GPU)
        present_gpu(d);
    else
        present_software(d, rects, n);
}

bool display_save_png(struct display *d, const char *path, char **err)
{
    *err = NULL;
    SDL_Surface *shot =
        SDL_CreateRGBSurfaceWithFormat(0, d->canvas_w, d->canvas_h, 32, SDL_PIXELFORMAT_ARGB8888);
    if (!shot)
        abort();
    char *tmp = xasprintf("%s.tmp", path);
    if (d->canvas)
        SDL_SetRenderTarget(d->renderer, d->canvas);
    bool ok = SDL_RenderReadPixels(d->renderer, NULL, SDL_PIXELFORMAT_ARGB8888, shot->pixels,
                                   shot->pitch) == 0 &&
              IMG_SavePNG(shot, tmp) == 0;
    if (d->canvas)
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
