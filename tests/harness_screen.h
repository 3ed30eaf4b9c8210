/* harness_screen.h: the kiosk's tests' pixel helpers: screenshots read through SDL_image, and
 * where the kiosk's layout puts a button. Not for kiosk-hub's tests (no SDL there). */
#ifndef KIOSK_TEST_HARNESS_SCREEN_H
#define KIOSK_TEST_HARNESS_SCREEN_H

#include <SDL2/SDL.h>
#include <stdbool.h>

#include "harness.h"
#include "selfservice/kiosk_ui.h"

/* Writes a copy of PNG in scaled to factor (< 1) of its size, each output pixel the average
 * of the pixels it covers: the blur of a phone camera seeing the code from further away. */
void png_scale(const char *in, const char *out, double factor);

/* A screenshot as ARGB8888 pixels (the caller frees it); fails the test when unreadable. */
SDL_Surface *png_load(const char *path);
SDL_Color png_pixel(SDL_Surface *s, int x, int y);
/* One pixel of the screenshot at path. */
SDL_Color png_pixel_of(const char *path, int x, int y);

/* Within 2 per channel: the same colour after the renderer's rounding. */
bool colour_near(SDL_Color a, SDL_Color b);

/* The centre of the button for target and index (-1: the first) on screen of a w x h kiosk
 * configured by ini (large: in large-text mode); fails the test when there is none. */
void kiosk_button_centre(const char *ini, int w, int h, enum ui_screen screen, bool large,
                         enum ui_target target, int index, int *x, int *y);

#endif
