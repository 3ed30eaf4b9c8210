/* display.h: the window, the renderer and the canvas every screen draws on. The canvas is
 * upright in the configured orientation; a monitor mounted the other way gets it rotated.
 * The GPU or the CPU draws (render/renderer.h); the canvas keeps the last frame either way,
 * so a frame may redraw only some regions and present only those. */
#ifndef KIOSK_DISPLAY_H
#define KIOSK_DISPLAY_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "config/config.h"

struct display;

/* The most rectangles one present sends. */
#define DISPLAY_RECTS_MAX 8

/* Headless: SDL's offscreen driver drawn by the CPU, no window on any screen. Otherwise:
 * full-screen on whatever SDL finds (KMSDRM, X11, Wayland), drawn as [display] renderer says
 * (with the GPU, vsync on). */
struct display *display_create(const struct config *config, bool headless, char **err);
void display_destroy(struct display *display); /* accepts NULL */

SDL_Renderer *display_renderer(struct display *display);

/* "x11, software (OpenGL on x11 is software (llvmpipe ...)), output 1920x1080, canvas ...":
 * what draws and why, for the log and the self-test. */
const char *display_description(const struct display *display);
void display_canvas_size(const struct display *display, int *w, int *h);

/* A touch on the screen at output pixel (x, y) as a canvas pixel, and back: on a monitor
 * mounted sideways the canvas is shown turned 90 degrees clockwise, and touches must be
 * turned back. Pure geometry over the output and canvas sizes. */
void display_map_to_canvas(int output_w, int output_h, int canvas_w, int canvas_h, int x, int y,
                           int *cx, int *cy);
void display_map_to_output(int output_w, int output_h, int canvas_w, int canvas_h, int cx, int cy,
                           int *x, int *y);
void display_to_canvas(const struct display *display, int x, int y, int *cx, int *cy);
void display_to_output(const struct display *display, int cx, int cy, int *x, int *y);

/* Begin drawing on the canvas; then present it on the screen: the n rectangles (canvas
 * pixels, at most DISPLAY_RECTS_MAX) that changed, or all of it when n is 0. The GPU shows
 * the whole canvas every time. */
void display_begin(struct display *display);
void display_present(struct display *display, const SDL_Rect *rects, int n);

/* Saves the canvas (the last frame drawn) as a PNG, atomically (a temporary file renamed). */
bool display_save_png(struct display *display, const char *path, char **err);

/* Loads a PNG into a texture, or NULL with *err. */
SDL_Texture *display_load_texture(struct display *display, const char *path, char **err);

#endif
