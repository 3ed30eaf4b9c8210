/* boot_config.c: every file lands by write-to-temporary, fsync, rename, so a power cut during
 * the first boot leaves either the old file or the new one, never half of one. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/boot_config.h"
#include "config/config.h"
#include "base/mem.h"

#define LOG_MODULE "boot_config"
#include "base/log.h"

#define FILE_MAX    ((size_t)256 * 1024) /* far above any kiosk.ini or key */
#define SECRET_HEAD "kiosk-"
#define ERROR_ON_PC "kiosk-error.txt"

/* The whole of a small file; NULL with *err. */
static char *slurp(const char *path, size_t *len, char **err)
{
    FILE *f = fopen(path, "rb");
    char *data = xcalloc(1, FILE_MAX + 1);
    *len = f ? fread(data, 1, FILE_MAX + 1, f) : 0;
    if (!f || ferror(f) || *len > FILE_MAX) {
        *err = xasprintf("%s: %s", path, !f ? strerror(errno) : "cannot read, or too large");
        free(data);
        data = NULL;
    }
    if (f)
        fclose(f);
    return data;
}

/* Writes data as path with mode and group (-1: unchanged), atomically. */
static bool put(const char *path, const char *data, size_t len, mode_t mode, gid_t gid, char **err)
{
    char *tmp = xasprintf("%s.tmp", path);
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, mode);
    bool ok = fd >= 0 && fchmod(fd, mode) == 0 && (gid == (gid_t)-1 || fchown(fd, 0, gid) == 0) &&
              write(fd, data, len) == (ssize_t)len && fsync(fd) == 0;
    if (fd >= 0 && close(fd) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        unlink(tmp);
        ok = false;
    }
    free(tmp);
    return ok;
}

static bool copy_file(const char *from, const char *to, mode_t mode, gid_t gid, char **err)
{
    size_t len;
    char *data = slurp(from, &len, err);
    bool ok = data && put(to, data, len, mode, gid, err);
    free(data);
    return ok;
}

/* The kiosk user's group reads secrets; without one (a test, a bare system) only root does. */
static void secret_mode(mode_t *mode, gid_t *gid)
{
    const struct group *g = getgrnam("kiosk");
    *mode = g ? 0640 : 0600;
    *gid = g ? g->gr_gid : (gid_t)-1;
}

/* Moves every boot_dir/kiosk-NAME to config_dir/NAME. */
static bool import_secrets(const char *boot_dir, const char *config_dir, char **err)
{
    DIR *d = opendir(boot_dir);
    if (!d) {
        *err = xasprintf("%s: %s", boot_dir, strerror(errno));
        return false;
    }
    mode_t mode;
    gid_t gid;
    secret_mode(&mode, &gid);
    bool ok = true;
    const struct dirent *e;
    while (ok && (e = readdir(d))) {
        const char *name = e->d_name + strlen(SECRET_HEAD);
        if (strncmp(e->d_name, SECRET_HEAD, strlen(SECRET_HEAD)) != 0 || !name[0] ||
            strcmp(e->d_name, ERROR_ON_PC) == 0)
            continue;
        char *from = xasprintf("%s/%s", boot_dir, e->d_name);
        char *to = xasprintf("%s/%s", config_dir, name);
        ok = copy_file(from, to, mode, gid, err) && unlink(from) == 0;
        if (ok)
            LOG_INFO("secret %s moved to %s", from, to);
        else if (!*err)
            *err = xasprintf("%s: cannot remove: %s", from, strerror(errno));
        free(from);
        free(to);
    }
    closedir(d);
    return ok;
}

/* The rejection, where the error screen and staff's PC each find it. */
static bool record_rejection(const char *boot_dir, const char *config_dir, const char *why,
                             char **err)
{
    char *local = xasprintf("%s/%s", config_dir, BOOT_CONFIG_ERROR);
    char *on_pc = xasprintf("%s/%s", boot_dir, ERROR_ON_PC);
    char *text = xasprintf("%s\n", why);
    bool ok = put(local, text, strlen(text), 0644, (gid_t)-1, err);
    char *ignored = NULL;
    /* Windows line ends would be kinder to Notepad, but any editor reads these. */
    if (ok && !put(on_pc, text, strlen(text), 0644, (gid_t)-1, &ignored)) {
        LOG_WARN("%s", ignored);
        free(ignored);
    }
    free(text);
    free(on_pc);
    free(local);
    return ok;
}

/* s with every from replaced by to, callee-allocated. */
static char *replace_all(const char *s, const char *from, const char *to)
{
    char *out = NULL;
    size_t size = 0;
    FILE *f = open_memstream(&out, &size);
    if (!f)
        abort();
    for (const char *hit; (hit = strstr(s, from)); s = hit + strlen(from))
        fprintf(f, "%.*s%s", (int)(hit - s), s, to);
    fputs(s, f);
    if (fclose(f) != 0)
        abort();
    return out;
}

/* Validates staged where the file will live, so relative paths in it mean the same. */
static bool install_ini(const char *boot_dir, const char *config_dir, const char *ini, char **err)
{
    char *staged = xasprintf("%s/kiosk.ini.new", config_dir);
    char *target = xasprintf("%s/kiosk.ini", config_dir);
    char *done = xasprintf("%s.imported", ini);
    char *why = NULL;
    struct config *config = xcalloc(1, sizeof(*config));
    bool ok = copy_file(ini, staged, 0644, (gid_t)-1, err);
    if (ok && !config_read(config, staged, &why)) {
        /* Messages name the file staff edited, not the staging copy. */
        char *text = replace_all(why, staged, ini);
        LOG_ERR("%s rejected, the previous configuration stays:\n%s", ini, text);
        unlink(staged);
        ok = record_rejection(boot_dir, config_dir, text, err);
        free(text);
    } else if (ok && (rename(staged, target) != 0 || rename(ini, done) != 0)) {
        *err = xasprintf("%s: %s", target, strerror(errno));
        ok = false;
    } else if (ok) {
        char *stale = xasprintf("%s/%s", config_dir, BOOT_CONFIG_ERROR);
        unlink(stale);
        free(stale);
        LOG_INFO("%s imported as %s", ini, target);
    }
    free(why);
    free(config);
    free(done);
    free(target);
    free(staged);
    return ok;
}

bool boot_config_import(const char *boot_dir, const char *config_dir, char **err)
{
    *err = NULL;
    char *ini = xasprintf("%s/kiosk.ini", boot_dir);
    bool ok = true;
    if (access(boot_dir, F_OK) != 0) {
        LOG_INFO("no boot partition at %s: nothing to import", boot_dir);
    } else if (mkdir(config_dir, 0755) != 0 && errno != EEXIST) {
        *err = xasprintf("%s: %s", config_dir, strerror(errno));
        ok = false;
    } else {
        /* Secrets first: the new kiosk.ini may name them, and they leave the FAT either way. */
        ok = import_secrets(boot_dir, config_dir, err) &&
             (access(ini, F_OK) != 0 || install_ini(boot_dir, config_dir, ini, err));
    }
    free(ini);
    return ok;
}

char *boot_config_rejected(const char *config_path)
{
    char *copy = xasprintf("%s", config_path);
    char *path = xasprintf("%s/%s", dirname(copy), BOOT_CONFIG_ERROR);
    size_t len;
    char *err = NULL;
    char *text = access(path, F_OK) == 0 ? slurp(path, &len, &err) : NULL;
    if (err) {
        text = err; /* unreadable: that is what there is to say */
    } else if (text && len && text[len - 1] == '\n') {
        text[len - 1] = '\0';
    }
    free(path);
    free(copy);
    return text;
}
