/* hub_main.c: the kiosk-hub program: command line, then configuration, then the service.
 * Like the kiosk, it does not start half-configured. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/mem.h"
#include "config/config.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

#define MAX_OVERRIDES 64

static const char usage[] =
    "Usage: kiosk-hub [OPTION]...\n"
    "The service behind the kiosks' QR codes, and one upstream connection for every device.\n"
    "\n"
    "  -c, --config PATH           configuration file (default " CONFIG_HUB_PATH ")\n"
    "      --set SECTION.KEY=VALUE override one configuration key (repeatable)\n"
    "      --check-config          read the configuration, say what is wrong, exit\n"
    "      --config-reference      print the configuration reference (Markdown)\n"
    "      --version               print the version\n"
    "  -h, --help                  this help\n";

enum long_only { OPT_SET = 256, OPT_CHECK_CONFIG, OPT_CONFIG_REFERENCE, OPT_VERSION };

struct args {
    const char *config_path;
    const char *overrides[MAX_OVERRIDES];
    int noverrides;
    bool check_config;
};

/* -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, OPT_SET},
        {"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
        {"config-reference", no_argument, NULL, OPT_CONFIG_REFERENCE},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "c:h", options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            a->config_path = optarg;
            break;
        case OPT_SET:
            if (a->noverrides == MAX_OVERRIDES) {
                fprintf(stderr, "kiosk-hub: at most %d --set options\n", MAX_OVERRIDES);
                return 2;
            }
            a->overrides[a->noverrides++] = optarg;
            break;
        case OPT_CHECK_CONFIG:
            a->check_config = true;
            break;
        case OPT_CONFIG_REFERENCE:
            config_write_reference(stdout, CONFIG_HUB);
            return 0;
        case OPT_VERSION:
            printf("kiosk-hub %s\n", KIOSK_VERSION);
            return 0;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind != argc) {
        fprintf(stderr, "kiosk-hub: unexpected argument \"%s\"\n%s", argv[optind], usage);
        return 2;
    }
    return -1;
}

/* Defaults, the file, the --set overrides, then the checks. */
static bool load_config(const struct args *a, struct config *config, char **err)
{
    config_defaults_for(config, CONFIG_HUB);
    if (!config_load(config, a->config_path, err))
        return false;
    for (int i = 0; i < a->noverrides; i++) {
        if (!config_set(config, a->overrides[i], err))
            return false;
    }
    return config_check(config, err);
}

int main(int argc, char **argv)
{
    struct args a = {.config_path = CONFIG_HUB_PATH};
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    struct config *config = xcalloc(1, sizeof *config);
    char *err = NULL;
    if (!load_config(&a, config, &err)) {
        fprintf(stderr, "kiosk-hub: %s\n", err);
        free(err);
        free(config);
        return 1;
    }
    if (a.check_config)
        printf("kiosk-hub: %s is valid\n", config->path);
    free(config);
    return 0;
}
