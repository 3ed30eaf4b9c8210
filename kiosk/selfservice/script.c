/* script.c: the whole script is parsed before anything runs, so a typo fails the test at
 * once with its line number instead of halfway through a flow. */
#include <SDL2/SDL.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "selfservice/script.h"

struct script {
    struct script_step *steps;
    int n, next;
    uint64_t due_ms; /* when steps[next] may run; 0 until the script starts */
};

static struct script_step *add(struct script *s)
{
    s->steps = xrealloc(s->steps, (size_t)(s->n + 1) * sizeof(*s->steps));
    s->steps[s->n] = (struct script_step){0};
    return &s->steps[s->n++];
}

/* scan: the text and Enter at once; type: each character, a pause, then Enter. */
static bool keys(struct script *s, const char *text, bool typed)
{
    size_t len = strlen(text);
    if (len == 0 || len >= PATH_MAX)
        return false;
    for (size_t i = 0; i < len; i += typed ? 1 : len) {
        struct script_step *step = add(s);
        step->op = SCRIPT_TEXT;
        snprintf(step->path, sizeof(step->path), "%.*s", typed ? 1 : (int)len, text + i);
        if (typed) {
            step = add(s);
            step->op = SCRIPT_WAIT;
            step->ms = SCRIPT_TYPING_MS;
        }
    }
    add(s)->op = SCRIPT_ENTER;
    return true;
}

/* "ctrl+alt+s": modifiers, then the key by its SDL name. */
static bool key(const char *spec, struct script_step *step)
{
    static const struct {
        const char *name;
        int mod;
    } mods[] = {{"ctrl", KMOD_LCTRL}, {"alt", KMOD_LALT}, {"shift", KMOD_LSHIFT}};
    char copy[PATH_MAX];
    snprintf(copy, sizeof(copy), "%s", spec);
    char *save = NULL, *part = strtok_r(copy, "+", &save);
    for (char *next; part && (next = strtok_r(NULL, "+", &save)); part = next) {
        size_t i = 0;
        while (i < sizeof(mods) / sizeof(mods[0]) && strcmp(part, mods[i].name) != 0)
            i++;
        if (i == sizeof(mods) / sizeof(mods[0]))
            return false;
        step->y |= mods[i].mod;
    }
    step->op = SCRIPT_KEY;
    step->x = part ? SDL_GetKeyFromName(part) : SDLK_UNKNOWN;
    return step->x != SDLK_UNKNOWN;
}

static bool parse_line(const char *line, struct script_step *step)
{
    char word[16], rest[PATH_MAX];
    int used = 0;
    *step = (struct script_step){0};
    if (sscanf(line, "%15s %n", word, &used) != 1)
        return false;
    snprintf(rest, sizeof(rest), "%s", line + used);
    rest[strcspn(rest, "\r\n")] = 0;
    char tail;
    if (strcmp(word, "tap") == 0) {
        step->op = SCRIPT_TAP;
        return sscanf(rest, "%d %d %c", &step->x, &step->y, &tail) == 2 && step->x >= 0 &&
               step->y >= 0;
    }
    if (strcmp(word, "wait") == 0) {
        step->op = SCRIPT_WAIT;
        return sscanf(rest, "%d %c", &step->ms, &tail) == 1 && step->ms >= 0 && step->ms <= 600000;
    }
    if (strcmp(word, "key") == 0)
        return key(rest, step);
    if (strcmp(word, "screenshot") == 0) {
        step->op = SCRIPT_SCREENSHOT;
        snprintf(step->path, sizeof(step->path), "%s", rest);
        return rest[0] != 0;
    }
    return false;
}

struct script *script_load(const char *path, char **err)
{
    *err = NULL;
    FILE *f = fopen(path, "r");
    if (!f) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        return NULL;
    }
    struct script *s = xcalloc(1, sizeof(*s));
    char line[PATH_MAX + 32];
    for (int number = 1; fgets(line, sizeof(line), f); number++) {
        const char *p = line + strspn(line, " \t");
        if (*p == '#' || *p == '\n' || *p == '\r' || *p == 0)
            continue;
        char word[8] = "", text[PATH_MAX];
        int used = 0;
        sscanf(p, "%7s %n", word, &used);
        snprintf(text, sizeof(text), "%s", p + used);
        text[strcspn(text, "\r\n")] = 0;
        struct script_step step;
        bool ok = strcmp(word, "scan") == 0   ? keys(s, text, false)
                  : strcmp(word, "type") == 0 ? keys(s, text, true)
                                              : parse_line(p, &step);
        if (ok && strcmp(word, "scan") != 0 && strcmp(word, "type") != 0)
            *add(s) = step;
        if (!ok) {
            *err = xasprintf("%s:%d: expected tap X Y, wait MS, screenshot PATH, scan TEXT, "
                             "type TEXT or key NAME",
                             path, number);
            break;
        }
    }
    fclose(f);
    if (*err) {
        script_destroy(s);
        return NULL;
    }
    return s;
}

void script_destroy(struct script *s)
{
    if (!s)
        return;
    free(s->steps);
    free(s);
}

bool script_next(struct script *s, uint64_t now_ms, struct script_step *out)
{
    if (!s->due_ms)
        s->due_ms = now_ms;
    while (s->next < s->n && now_ms >= s->due_ms) {
        const struct script_step *step = &s->steps[s->next++];
        if (step->op == SCRIPT_WAIT) {
            s->due_ms = now_ms + (uint64_t)step->ms;
            continue;
        }
        *out = *step;
        return true;
    }
    return false;
}

int script_timeout_ms(const struct script *s, uint64_t now_ms)
{
    if (script_done(s, now_ms))
        return -1;
    return s->due_ms > now_ms ? (int)(s->due_ms - now_ms) : 0;
}

/* A wait as the last step is waited for too: the program runs on until it is over. */
bool script_done(const struct script *s, uint64_t now_ms)
{
    return s->next >= s->n && now_ms >= s->due_ms;
}
