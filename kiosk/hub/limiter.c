/* limiter.c: a fixed table of counters per hour, hashed by key; when it is full, the whole
 * hour's counts are kept only for the keys already in it and new keys go uncounted but
 * allowed, so a flood of addresses cannot lock out the hospital's own Wi-Fi. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "hub/limiter.h"

#define SLOTS   8192
#define KEY_MAX 64

struct slot {
    char key[KEY_MAX];
    int count;
};

struct limiter {
    pthread_mutex_t lock;
    int64_t hour;
    struct slot slots[SLOTS];
};

static unsigned hash(const char *key)
{
    unsigned h = 2166136261u; /* FNV-1a */
    for (; *key; key++)
        h = (h ^ (unsigned char)*key) * 16777619u;
    return h;
}

struct limiter *limiter_create(void)
{
    struct limiter *l = xcalloc(1, sizeof *l);
    pthread_mutex_init(&l->lock, NULL);
    return l;
}

void limiter_destroy(struct limiter *l)
{
    if (!l)
        return;
    pthread_mutex_destroy(&l->lock);
    free(l);
}

bool limiter_take(struct limiter *l, const char *key, int per_hour, int64_t now)
{
    char k[KEY_MAX];
    snprintf(k, sizeof k, "%s", key);
    pthread_mutex_lock(&l->lock);
    if (now / 3600 != l->hour) {
        memset(l->slots, 0, sizeof l->slots);
        l->hour = now / 3600;
    }
    bool allowed = true;
    unsigned h = hash(k);
    for (unsigned i = 0; i < SLOTS; i++) {
        struct slot *s = &l->slots[(h + i) % SLOTS];
        if (s->key[0] && strcmp(s->key, k) != 0)
            continue;
        if (!s->key[0])
            memcpy(s->key, k, sizeof k);
        allowed = s->count < per_hour;
        s->count += allowed;
        break;
    }
    pthread_mutex_unlock(&l->lock);
    return allowed;
}
