/* token_cli.c: issues and verifies tokens with the configured site key, so the web team can
 * check what a QR code carries without trusting the kiosk's word for it. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "qr/link.h"
#include "base/mem.h"
#include "qr/token.h"
#include "cli/token_cli.h"

static const char usage[] =
    "Usage: kiosk token verify [--config FILE] TOKEN_OR_URL\n"
    "       kiosk token issue [--config FILE] --purpose survey|results --ticket T [--room R]\n";

struct cli {
    const char *config_path;
    const char *purpose;
    const char *ticket;
    const char *room;
};

static bool load(const char *path, struct config *config, struct token_key *key)
{
    char *err = NULL;
    bool ok = config_read(config, path, &err);
    if (ok && !config->qr.key_file[0])
        err = xasprintf("%s: [qr] key_file is not set", path);
    ok = ok && !err && token_key_load(config->qr.key_file, key, &err);
    if (!ok)
        fprintf(stderr, "%s\n", err);
    free(err);
    return ok;
}

static void print_time(const char *label, int64_t when)
{
    char text[32];
    time_t t = (time_t)when;
    struct tm tm;
    strftime(text, sizeof(text), "%Y-%m-%d %H:%M:%S %Z", localtime_r(&t, &tm));
    printf("%-8s %s (%lld)\n", label, text, (long long)when);
}

static int verify(const struct token_key *key, const char *token_or_url)
{
    struct token t;
    enum token_status status = token_verify(key, token_or_url, time(NULL), &t);
    if (status == TOKEN_VALID || status == TOKEN_EXPIRED) {
        printf("purpose  %s\ndevice   %s\nticket   %s\nroom     %s\n",
               token_purpose_name(t.purpose), t.device, t.ticket, t.room[0] ? t.room : "-");
        print_time("issued", t.issued_at);
        print_time("expires", t.expires_at);
    }
    if (status != TOKEN_VALID) {
        fprintf(stderr, "kiosk: token: %s\n", token_status_message(status));
        return 1;
    }
    printf("valid\n");
    return 0;
}

static int issue(const struct config *config, const struct token_key *key, const struct cli *c)
{
    enum token_purpose purpose;
    if (!c->purpose || !token_purpose_parse(c->purpose, &purpose) || !c->ticket) {
        fputs(usage, stderr);
        return 2;
    }
    struct link link;
    char *err = NULL;
    if (!link_issue(config, key, purpose, c->ticket, c->room ? c->room : "", time(NULL), &link,
                    &err)) {
        fprintf(stderr, "kiosk: token: %s\n", err);
        free(err);
        return 1;
    }
    printf("%s\n", link.text);
    if (link.url[0])
        printf("%s\n", link.url);
    return 0;
}

int token_cli(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"purpose", required_argument, NULL, 'p'},
        {"ticket", required_argument, NULL, 't'},
        {"room", required_argument, NULL, 'r'},
        {NULL, 0, NULL, 0},
    };
    struct cli c = {.config_path = CONFIG_DEFAULT_PATH};
    const char *verb = argc > 1 ? argv[1] : "";
    int opt;
    optind = 2;
    while ((opt = getopt_long(argc, argv, "c:", options, NULL)) != -1) {
        if (opt == 'c')
            c.config_path = optarg;
        else if (opt == 'p')
            c.purpose = optarg;
        else if (opt == 't')
            c.ticket = optarg;
        else if (opt == 'r')
            c.room = optarg;
        else
            return fputs(usage, stderr), 2;
    }
    bool verifying = strcmp(verb, "verify") == 0;
    if ((!verifying && strcmp(verb, "issue") != 0) || (verifying && optind != argc - 1) ||
        (!verifying && optind != argc)) {
        fputs(usage, stderr);
        return 2;
    }
    struct config *config = xcalloc(1, sizeof(*config));
    struct token_key key;
    int code = 1;
    if (load(c.config_path, config, &key))
        code = verifying ? verify(&key, argv[optind]) : issue(config, &key, &c);
    memset(&key, 0, sizeof(key));
    free(config);
    return code;
}
