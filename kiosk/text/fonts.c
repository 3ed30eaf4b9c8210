/* fonts.c: Noto Sans CJK SC comes as .ttc collections holding several faces; fontconfig tells
 * which file and which face index is Simplified Chinese, so we never guess an index. */
#include <fontconfig/fontconfig.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "text/fonts.h"

#define LOG_MODULE "fonts"
#include "base/log.h"

#define FAMILY "Noto Sans CJK SC"

struct face {
    char path[PATH_MAX];
    int index;
    char description[PATH_MAX + 16];
};

/* One open face per weight, resized on demand: each open CJK face costs megabytes, while a
 * resize only drops SDL_ttf's glyph cache, and glyphs are rasterized only for strings the
 * text cache has not seen. */
struct fonts {
    struct face faces[2];
    TTF_Font *open[2];
    int size[2];
};

static bool find_with_fontconfig(enum weight weight, struct face *face, char **err)
{
    if (!FcInit()) {
        *err = xasprintf("fontconfig failed to start");
        return false;
    }
    FcPattern *pattern = FcPatternCreate();
    FcPatternAddString(pattern, FC_FAMILY, (const FcChar8 *)FAMILY);
    FcPatternAddInteger(pattern, FC_WEIGHT,
                        weight == WEIGHT_BOLD ? FC_WEIGHT_BOLD : FC_WEIGHT_REGULAR);
    FcConfigSubstitute(NULL, pattern, FcMatchPattern);
    FcDefaultSubstitute(pattern);
    FcResult result;
    FcPattern *match = FcFontMatch(NULL, pattern, &result);
    FcChar8 *family = NULL, *file = NULL;
    bool ok = match && FcPatternGetString(match, FC_FAMILY, 0, &family) == FcResultMatch &&
              FcPatternGetString(match, FC_FILE, 0, &file) == FcResultMatch &&
              strcmp((const char *)family, FAMILY) == 0;
    if (ok) {
        snprintf(face->path, sizeof(face->path), "%s", (const char *)file);
        if (FcPatternGetInteger(match, FC_INDEX, 0, &face->index) != FcResultMatch)
            face->index = 0;
    } else {
        *err = xasprintf("font \"%s\" not found by fontconfig: install fonts-noto-cjk, or "
                         "name a font file in [display] font",
                         FAMILY);
    }
    FcPatternDestroy(match);
    FcPatternDestroy(pattern);
    return ok;
}

static bool resolve(const struct config *config, enum weight weight, struct face *face, char **err)
{
    const char *named = weight == WEIGHT_BOLD && config->display.font_bold[0]
                            ? config->display.font_bold
                            : config->display.font;
    if (named[0]) {
        snprintf(face->path, sizeof(face->path), "%s", named);
        face->index = config->display.font_index;
    } else if (!find_with_fontconfig(weight, face, err)) {
        return false;
    }
    snprintf(face->description, sizeof(face->description), "%s#%d", face->path, face->index);
    /* Opening once here turns a bad file into a start-up error rather than a blank screen. */
    TTF_Font *probe = TTF_OpenFontIndex(face->path, 16, face->index);
    if (!probe) {
        *err = xasprintf("font %s: %s", face->description, TTF_GetError());
        return false;
    }
    TTF_CloseFont(probe);
    return true;
}

struct fonts *fonts_create(const struct config *config, char **err)
{
    *err = NULL;
    struct fonts *fonts = xcalloc(1, sizeof(*fonts));
    if (!resolve(config, WEIGHT_REGULAR, &fonts->faces[WEIGHT_REGULAR], err) ||
        !resolve(config, WEIGHT_BOLD, &fonts->faces[WEIGHT_BOLD], err)) {
        fonts_destroy(fonts);
        return NULL;
    }
    LOG_INFO("regular %s, bold %s", fonts->faces[0].description, fonts->faces[1].description);
    return fonts;
}

void fonts_destroy(struct fonts *fonts)
{
    if (!fonts)
        return;
    for (int i = 0; i < 2; i++)
        if (fonts->open[i])
            TTF_CloseFont(fonts->open[i]);
    free(fonts);
}

TTF_Font *fonts_get(struct fonts *fonts, enum weight weight, int size)
{
    const struct face *face = &fonts->faces[weight];
    if (!fonts->open[weight]) {
        fonts->open[weight] = TTF_OpenFontIndex(face->path, size, face->index);
        if (!fonts->open[weight]) {
            LOG_ERR("cannot open %s: %s", face->description, TTF_GetError());
            return NULL;
        }
    } else if (fonts->size[weight] != size && TTF_SetFontSize(fonts->open[weight], size) != 0) {
        LOG_ERR("cannot size %s to %d px: %s", face->description, size, TTF_GetError());
        return NULL;
    }
    fonts->size[weight] = size;
    return fonts->open[weight];
}

const char *fonts_describe(const struct fonts *fonts, enum weight weight)
{
    return fonts->faces[weight].description;
}
