/* user_cli.c: staff accounts from the command line; every change goes to the audit log as
 * done by "cli". */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "base/mem.h"
#include "config/config.h"
#include "hub/password.h"
#include "hub/staff.h"
#include "hub/staff_db.h"
#include "hub/user_cli.h"

#define NAME_CHARS "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._-"

static const char usage[] =
    "Usage: kiosk-hub user add NAME --role quality|facilities|admin [--config FILE]\n"
    "       kiosk-hub user remove NAME [--config FILE]\n"
    "       kiosk-hub user list [--config FILE]\n"
    "add reads the password from standard input (asked twice on a terminal); it sets the\n"
    "password and role of an account that exists, and ends its sessions.\n";

/* One line of standard input without its line break; false at its end or when too long. */
static bool read_line(char *out, size_t size)
{
    if (!fgets(out, (int)size, stdin))
        return false;
    size_t len = strcspn(out, "\r\n");
    if (out[len] == '\0' && len == size - 1)
        return false; /* no line break within size: too long */
    out[len] = '\0';
    return true;
}

/* On a terminal: asked twice with echo off. Otherwise the first line of standard input. */
static bool read_password(char *out, size_t size)
{
    if (!isatty(STDIN_FILENO))
        return read_line(out, size);
    struct termios saved, quiet;
    if (tcgetattr(STDIN_FILENO, &saved) != 0)
        return false;
    quiet = saved;
    quiet.c_lflag &= ~(tcflag_t)ECHO;
    char again[PASSWORD_MAX + 2];
    fputs("Password: ", stderr);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &quiet);
    bool ok = read_line(out, size);
    fputs("\nAgain: ", stderr);
    ok = ok && read_line(again, sizeof again);
    tcsetattr(STDIN_FILENO, TCSAFLUSH, &saved);
    fputc('\n', stderr);
    if (ok && strcmp(out, again) != 0) {
        fputs("kiosk-hub: the two passwords differ\n", stderr);
        ok = false;
    }
    OPENSSL_cleanse(again, sizeof again);
    return ok;
}

static bool valid_name(const char *name)
{
    size_t len = strlen(name);
    return len > 0 && len <= STAFF_NAME_MAX && strspn(name, NAME_CHARS) == len;
}

static bool audit_add(struct store *store, int64_t now, const char *name, enum staff_role role,
                      char **err)
{
    char detail[STAFF_NAME_MAX + 32];
    snprintf(detail, sizeof detail, "%s %s", name, staff_role_name(role));
    return staff_db_audit(store, now, "cli", "", "user_add", detail, err);
}

static int add(struct store *store, const char *name, enum staff_role role)
{
    char password[PASSWORD_MAX + 2], hash[PASSWORD_HASH_MAX], *err = NULL;
    if (!read_password(password, sizeof password)) {
        fputs("kiosk-hub: no password read (one line on standard input)\n", stderr);
        return 1;
    }
    size_t len = strlen(password);
    if (len < PASSWORD_MIN || len > PASSWORD_MAX) {
        OPENSSL_cleanse(password, sizeof password);
        fprintf(stderr, "kiosk-hub: a password needs %d to %d characters\n", PASSWORD_MIN,
                PASSWORD_MAX);
        return 1;
    }
    bool ok = password_hash(password, hash, sizeof hash);
    OPENSSL_cleanse(password, sizeof password);
    int64_t now = time(NULL);
    if (!ok || !staff_db_user_put(store, name, role, hash, now, &err) ||
        !audit_add(store, now, name, role, &err)) {
        fprintf(stderr, "kiosk-hub: %s\n", err ? err : "cannot hash the password");
        free(err);
        return 1;
    }
    printf("kiosk-hub: %s (%s) can log in at /staff/login\n", name, staff_role_name(role));
    return 0;
}

int user_cli(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"role", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    const char *config_path = CONFIG_HUB_PATH, *role_arg = NULL;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:", options, NULL)) != -1) {
        if (opt == 'c')
            config_path = optarg;
        else if (opt == 'r')
            role_arg = optarg;
        else
            return fputs(usage, stderr), 2;
    }
    const char *verb = optind < argc ? argv[optind] : "";
    const char *name = optind + 1 < argc ? argv[optind + 1] : NULL;
    enum staff_role role = STAFF_QUALITY;
    bool is_add = strcmp(verb, "add") == 0, is_remove = strcmp(verb, "remove") == 0,
         is_list = strcmp(verb, "list") == 0;
    int want = is_list ? 1 : 2;
    if ((!is_add && !is_remove && !is_list) || argc - optind != want ||
        (is_add && !staff_role_parse(role_arg, &role)) || (!is_add && role_arg)) {
        fputs(usage, stderr);
        return 2;
    }
    if (name && !valid_name(name)) {
        fprintf(stderr, "kiosk-hub: an account name has 1 to %d letters, digits, '.', '_' or '-'\n",
                STAFF_NAME_MAX);
        return 2;
    }
    struct config *config = xcalloc(1, sizeof *config);
    struct store *store = NULL;
    char *err = NULL;
    int code = 1;
    if (!config_read_for(config, CONFIG_HUB, config_path, NULL, 0, &err) ||
        !(store = store_open(config->storage.path, &err))) {
        fprintf(stderr, "kiosk-hub: %s\n", err);
    } else if (is_add) {
        code = add(store, name, role);
    } else if (is_remove) {
        bool gone = staff_db_user_remove(store, name, &err);
        if (gone)
            staff_db_audit(store, time(NULL), "cli", "", "user_remove", name, &err);
        if (!gone)
            fprintf(stderr, "kiosk-hub: %s\n", err ? err : "no such account");
        code = gone ? 0 : 1;
    } else {
        code = staff_db_user_list(store, stdout, &err) < 0 ? 1 : 0;
        if (code)
            fprintf(stderr, "kiosk-hub: %s\n", err);
    }
    free(err);
    store_close(store);
    free(config);
    return code;
}
