/* pages.c: reads [pages] rotation. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/pages.h"

static const char *const names[PAGE_COUNT] = {"rooms", "results", "offpeak", "clinics"};

const char *page_name(enum page page)
{
    return page >= 0 && page < PAGE_COUNT ? names[page] : "?";
}

static bool parse_entry(const char *entry, struct page_plan *out, char **err)
{
    char name[16];
    int seconds = 0, used = 0;
    if (sscanf(entry, "%15[a-z]:%d%n", name, &seconds, &used) != 2 || entry[used] != '\0') {
        *err = xasprintf("\"%s\" is not page:seconds", entry);
        return false;
    }
    if (seconds < 3 || seconds > 600) {
        *err = xasprintf("\"%s\": seconds must be 3..600", entry);
        return false;
    }
    for (int p = 0; p < PAGE_COUNT; p++) {
        if (strcmp(name, names[p]) == 0) {
            if (out->count == PAGES_MAX) {
                *err = xasprintf("at most %d pages", PAGES_MAX);
                return false;
            }
            out->page[out->count] = (enum page)p;
            out->seconds[out->count++] = seconds;
            return true;
        }
    }
    *err = xasprintf("\"%s\": no page called %s (rooms, results, offpeak, clinics)", entry, name);
    return false;
}

bool pages_parse(const char *spec, struct page_plan *out, char **err)
{
    *out = (struct page_plan){0};
    char *copy = xstrdup(spec), *save = NULL;
    bool ok = true;
    for (char *e = strtok_r(copy, " ", &save); e && ok; e = strtok_r(NULL, " ", &save))
        ok = parse_entry(e, out, err);
    free(copy);
    if (ok && out->count == 0) {
        out->page[0] = PAGE_ROOMS;
        out->seconds[0] = 15;
        out->count = 1;
    }
    return ok;
}
