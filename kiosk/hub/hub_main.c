/* hub_main.c: the kiosk-hub program: command line, then configuration, then the service.
 * Like the kiosk, it does not start half-configured. */
#include <curl/curl.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "cli/report_cli.h"
#include "config/config.h"
#include "hub/hub.h"
#include "hub/hub_selftest.h"
#include "hub/user_cli.h"

#define LOG_MODULE "main"
#include "base/log.h"

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
    "      --self-test             check the configuration, key, storage, devices file,\n"
    "                              upstream and listening address; a PASS/FAIL table, exit 1\n"
    "                              on any FAIL\n"
    "      --port-file PATH        once listening, write the port there (for [hub] listen\n"
    "                              with port 0)\n"
    "  -v, --verbose               debug logging\n"
    "      --config-reference      print the configuration reference (Markdown)\n"
    "      --version               print the version\n"
    "  -h, --help                  this help\n"
    "\n"
    "       kiosk-hub report --since YYYY-MM-DD [--until YYYY-MM-DD] [--by day|week|month|room]\n"
    "                        [--csv] [--config FILE]  ratings by channel (phone, kiosk)\n"
    "       kiosk-hub user add NAME --role quality|facilities|admin [--config FILE]\n"
    "       kiosk-hub user remove NAME | user list   staff accounts (password on stdin)\n";

enum long_only {
    OPT_SET = 256,
    OPT_CHECK_CONFIG,
    OPT_SELF_TEST,
    OPT_PORT_FILE,
    OPT_CONFIG_REFERENCE,
    OPT_VERSION,
};

struct args {
    const char *config_path;
    const char *overrides[MAX_OVERRIDES];
    int noverrides;
    bool check_config, self_test;
    const char *port_file;
};

/* -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},
        {"set", required_argument, NULL, OPT_SET},
        {"check-config", no_argument, NULL, OPT_CHECK_CONFIG},
        {"self-test", no_argument, NULL, OPT_SELF_TEST},
        {"port-file", required_argument, NULL, OPT_PORT_FILE},
        {"verbose", no_argument, NULL, 'v'},
        {"config-reference", no_argument, NULL, OPT_CONFIG_REFERENCE},
        {"version", no_argument, NULL, OPT_VERSION},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int opt;
    while ((opt = getopt_long(argc, argv, "c:hv", options, NULL)) != -1) {
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
        case OPT_SELF_TEST:
            a->self_test = true;
            break;
        case OPT_PORT_FILE:
            a->port_file = optarg;
            break;
        case 'v':
            log_set_level(LOG_LEVEL_DEBUG);
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

/* Written whole under a temporary name, then renamed: a reader never sees half of it. */
static bool write_port_file(const char *path, int port)
{
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = f && fprintf(f, "%d\n", port) > 0;
    ok = f && fclose(f) == 0 && ok && rename(tmp, path) == 0;
    if (!ok)
        fprintf(stderr, "kiosk-hub: cannot write %s: %s\n", path, strerror(errno));
    free(tmp);
    return ok;
}

/* Runs until SIGTERM, SIGINT or SIGHUP: each an orderly stop (the hub has nothing to reload:
 * docs/hub.md). The signals are blocked before any thread starts, so that every thread
 * inherits the mask and only sigwait here takes them. */
static int serve(const struct args *a, const struct config *config)
{
    sigset_t stop;
    sigemptyset(&stop);
    sigaddset(&stop, SIGTERM);
    sigaddset(&stop, SIGINT);
    struct sigaction hangup;
    if (sigaction(SIGHUP, NULL, &hangup) != 0 || hangup.sa_handler != SIG_IGN)
        sigaddset(&stop, SIGHUP); /* unless run under nohup */
    pthread_sigmask(SIG_BLOCK, &stop, NULL);
    signal(SIGPIPE, SIG_IGN);
    char *err = NULL;
    struct hub *hub = hub_start(config, &err);
    if (!hub) {
        fprintf(stderr, "kiosk-hub: %s\n", err);
        free(err);
        return 1;
    }
    int code = 0, sig = 0;
    if (!a->port_file || write_port_file(a->port_file, hub_port(hub)))
        sigwait(&stop, &sig);
    else
        code = 1;
    LOG_INFO("stopping (%s)", sig ? strsignal(sig) : "error");
    hub_stop(hub);
    return code;
}

int main(int argc, char **argv)
{
    log_set_program("kiosk-hub");
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return report_cli(argc - 1, argv + 1, CONFIG_HUB);
    if (argc > 1 && strcmp(argv[1], "user") == 0)
        return user_cli(argc - 1, argv + 1);
    struct args a = {.config_path = CONFIG_HUB_PATH};
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    struct config *config = xcalloc(1, sizeof *config);
    char *err = NULL;
    if (a.self_test) {
        code = hub_selftest(a.config_path, a.overrides, a.noverrides, stdout);
    } else if (!config_read_for(config, CONFIG_HUB, a.config_path, a.overrides, a.noverrides,
                                &err)) {
        fprintf(stderr, "kiosk-hub: %s\n", err);
        free(err);
        code = 1;
    } else if (a.check_config) {
        printf("kiosk-hub: %s is valid\n", config->path);
        code = 0;
    } else {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        code = serve(&a, config);
        curl_global_cleanup();
    }
    free(config);
    return code;
}
