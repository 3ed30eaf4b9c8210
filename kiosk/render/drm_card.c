/* drm_card.c: by-path names are stable (they describe where the device sits, not the order
 * the drivers loaded in); the sysfs connector folders say which card drives a display. */
#include <dirent.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "render/drm_card.h"

#define LOG_MODULE "display"
#include "base/log.h"

/* N from a link to ".../cardN", or -1. */
static int card_of_link(const char *by_path, const char *name)
{
    char link[PATH_MAX], target[PATH_MAX];
    snprintf(link, sizeof(link), "%s/%s", by_path, name);
    ssize_t n = readlink(link, target, sizeof(target) - 1);
    if (n <= 0)
        return -1;
    target[n] = 0;
    const char *base = strrchr(target, '/') ? strrchr(target, '/') + 1 : target;
    int card = -1;
    char tail;
    return sscanf(base, "card%d%c", &card, &tail) == 1 && card >= 0 ? card : -1;
}

/* 2: a display is connected to card; 1: it has connectors; 0: none (a render-only GPU). */
static int card_score(const char *sysfs_drm, int card)
{
    char prefix[32];
    int score = 0, len = snprintf(prefix, sizeof(prefix), "card%d-", card);
    DIR *dir = opendir(sysfs_drm);
    for (struct dirent *e; dir && (e = readdir(dir));) {
        if (strncmp(e->d_name, prefix, (size_t)len) != 0)
            continue;
        char path[PATH_MAX], status[32] = "";
        snprintf(path, sizeof(path), "%s/%s/status", sysfs_drm, e->d_name);
        FILE *f = fopen(path, "r");
        if (f && fgets(status, sizeof(status), f) && strcmp(status, "connected\n") == 0)
            score = 2;
        else if (score == 0)
            score = 1;
        if (f)
            fclose(f);
    }
    if (dir)
        closedir(dir);
    return score;
}

static int by_name(const struct dirent **a, const struct dirent **b)
{
    return strcmp((*a)->d_name, (*b)->d_name);
}

static int is_card_link(const struct dirent *e)
{
    size_t n = strlen(e->d_name);
    return n > 5 && strcmp(e->d_name + n - 5, "-card") == 0;
}

int drm_card_index(const char *by_path, const char *sysfs_drm)
{
    struct dirent **names = NULL;
    int n = scandir(by_path, &names, is_card_link, by_name), best = -1, best_score = -1;
    for (int i = 0; i < n; i++) {
        int card = card_of_link(by_path, names[i]->d_name);
        int score = card < 0 ? -1 : card_score(sysfs_drm, card);
        if (score > best_score) {
            best = card;
            best_score = score;
        }
        free(names[i]);
    }
    free(names);
    return best;
}

void drm_card_choose(void)
{
    if (getenv("SDL_KMSDRM_DEVICE_INDEX"))
        return;
    int card = drm_card_index("/dev/dri/by-path", "/sys/class/drm");
    if (card < 0)
        return; /* no DRM here (a desktop, a container): SDL picks its own driver */
    char index[16];
    snprintf(index, sizeof(index), "%d", card);
    setenv("SDL_KMSDRM_DEVICE_INDEX", index, 0);
    LOG_INFO("DRM device /dev/dri/card%d (from /dev/dri/by-path)", card);
}
