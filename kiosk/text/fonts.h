/* fonts.h: finds the CJK font (fontconfig, or the files the config names) and opens it at
 * the sizes the screen asks for. */
#ifndef KIOSK_FONTS_H
#define KIOSK_FONTS_H

#include <SDL2/SDL_ttf.h>

#include "config/config.h"

enum weight { WEIGHT_REGULAR, WEIGHT_BOLD };

struct fonts;

/* Resolves both weights; TTF_Init must have succeeded. NULL with *err when a font is missing. */
struct fonts *fonts_create(const struct config *config, char **err);
void fonts_destroy(struct fonts *fonts); /* accepts NULL */

/* The font at size pixels, valid until the next fonts_get; NULL (logged) only if the file
 * became unreadable. */
TTF_Font *fonts_get(struct fonts *fonts, enum weight weight, int size);

/* "path#index" of a weight, for logs and the self-test. */
const char *fonts_describe(const struct fonts *fonts, enum weight weight);

#endif
