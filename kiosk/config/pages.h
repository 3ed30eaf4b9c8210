/* pages.h: the call screen's information pages and the order they take turns in, as
 * [pages] rotation spells it ("rooms:15 results:10 offpeak:12 clinics:15"). */
#ifndef KIOSK_PAGES_H
#define KIOSK_PAGES_H

#include <stdbool.h>

enum page { PAGE_ROOMS, PAGE_RESULTS, PAGE_OFFPEAK, PAGE_CLINICS, PAGE_COUNT };

#define PAGES_MAX 8

struct page_plan {
    int count;
    enum page page[PAGES_MAX];
    int seconds[PAGES_MAX];
};

/* Parses spec; false with a callee-allocated *err naming the bad entry. An empty spec is
 * the rooms page alone. */
bool pages_parse(const char *spec, struct page_plan *out, char **err);

const char *page_name(enum page page); /* "rooms", "results", "offpeak", "clinics" */

#endif
