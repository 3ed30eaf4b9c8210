/* alerts.c: one record per (kind, subject) ever seen, in a growing array: a hospital has a few
 * hundred devices and a few dozen services, so a linear search every second costs nothing and
 * keeps the code obvious. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "hub/alerts.h"

struct condition {
    enum alert_kind kind;
    char subject[ALERT_SUBJECT_MAX];
    bool open;
    int64_t bad_since;  /* 0: not bad at the last look */
    int64_t good_since; /* 0: not good at the last look */
};

struct alerts {
    struct condition *items;
    int count, capacity;
};

static const char *const kind_names[ALERT_KINDS] = {"device_silent", "printer", "storage",
                                                    "queue_long"};

const char *alert_kind_name(enum alert_kind kind)
{
    return kind >= 0 && kind < ALERT_KINDS ? kind_names[kind] : "unknown";
}

bool alert_kind_parse(const char *name, enum alert_kind *out)
{
    for (int i = 0; i < ALERT_KINDS; i++) {
        if (strcmp(name, kind_names[i]) == 0) {
            *out = (enum alert_kind)i;
            return true;
        }
    }
    return false;
}

struct alerts *alerts_create(void)
{
    return xcalloc(1, sizeof(struct alerts));
}

void alerts_destroy(struct alerts *alerts)
{
    if (!alerts)
        return;
    free(alerts->items);
    free(alerts);
}

static struct condition *find(const struct alerts *a, enum alert_kind kind, const char *subject)
{
    for (int i = 0; i < a->count; i++) {
        if (a->items[i].kind == kind &&
            strncmp(a->items[i].subject, subject, ALERT_SUBJECT_MAX - 1) == 0)
            return &a->items[i];
    }
    return NULL;
}

static struct condition *find_or_add(struct alerts *a, enum alert_kind kind, const char *subject)
{
    struct condition *c = find(a, kind, subject);
    if (c)
        return c;
    if (a->count == a->capacity) {
        a->capacity = a->capacity ? a->capacity * 2 : 32;
        a->items = xrealloc(a->items, (size_t)a->capacity * sizeof *a->items);
    }
    c = &a->items[a->count++];
    *c = (struct condition){.kind = kind};
    snprintf(c->subject, sizeof c->subject, "%s", subject);
    return c;
}

enum alert_change alerts_observe(struct alerts *a, enum alert_kind kind, const char *subject,
                                 bool bad, int64_t now, struct alert_timing timing)
{
    struct condition *c = bad ? find_or_add(a, kind, subject) : find(a, kind, subject);
    if (!c)
        return ALERT_NONE; /* never bad: nothing to remember */
    if (bad) {
        c->good_since = 0;
        if (!c->bad_since)
            c->bad_since = now;
        if (!c->open && now - c->bad_since >= timing.open_after_s) {
            c->open = true;
            return ALERT_OPENED;
        }
        return ALERT_NONE;
    }
    if (!c->good_since)
        c->good_since = now;
    /* A dip shorter than close_after_s neither ends an episode nor restarts the count
     * towards one: a queue at 31, 29, 32 around a level of 30 is one long queue. */
    if (now - c->good_since >= timing.close_after_s)
        c->bad_since = 0;
    if (c->open && now - c->good_since >= timing.close_after_s) {
        c->open = false;
        return ALERT_RECOVERED;
    }
    return ALERT_NONE;
}

void alerts_restore(struct alerts *a, enum alert_kind kind, const char *subject, int64_t now)
{
    struct condition *c = find_or_add(a, kind, subject);
    c->open = true;
    c->bad_since = now;
    c->good_since = 0;
}

bool alerts_is_open(const struct alerts *a, enum alert_kind kind, const char *subject)
{
    const struct condition *c = find(a, kind, subject);
    return c && c->open;
}

int alerts_open_count(const struct alerts *a, enum alert_kind kind)
{
    int n = 0;
    for (int i = 0; i < a->count; i++)
        n += a->items[i].kind == kind && a->items[i].open;
    return n;
}
