/* main.c: the kiosk program: command line, then configuration, then the app.
 * Nothing starts half-configured: any configuration problem ends here with a message. */
#include <curl/curl.h>
#include <getopt.h>
#include <malloc.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/clock.h"
#include "app.h"
#include "config/boot_config.h"
#include "config/config.h"
#include "base/mem.h"
#include "cli/layout_cli.h"
#include "cli/printer_cli.h"
#include "cli/report_cli.h"
#include "ops/selftest.h"
#include "render/renderer.h"
#include "cli/token_cli.h"

#define LOG_MODULE "main"
#include "base/log.h"

#ifndef KIOSK_VERSION
#define KIOSK_VERSION "0.0.0-dev"
#endif

#define MAX_OVERRIDES 64

static const char usage[] =
    "Usage: kiosk [OPTION]...\n"
    "Hospital queue call screen and self-service kiosk.\n"
    "\n"
    "  -c, --config PATH           configuration file (default " CONFIG_DEFAULT_PATH ")\n"
    "      --set SECTION.KEY=VALUE override one configuration key (repeatable)\n"
    "      --headless              no window: offscreen rendering, no audio\n"
    "      --exit-after SECONDS    stop after this long (0: after the first frame)\n"
    "      --screenshot PATH.png   write the last frame shown to PATH.png at exit\n"
    "      --screenshot-every SECONDS\n"
    "                              also write PREFIX0001.png, PREFIX0002.png, ... this often\n"
    "      --screenshot-prefix PREFIX  (default out/demo-)\n"
    "      --status-file PATH      keep a JSON status document at PATH\n"
    "      --script FILE           replay taps, waits and screenshots from FILE, then exit\n"
    "      --config-reference      print the configuration reference (Markdown)\n"
    "      --config-error-screen   a configuration that does not load (or a rejected boot\n"
    "                              import) shows its errors on screen instead of exiting\n"
    "      --import-boot-config    move kiosk.ini and kiosk-* secrets from the boot partition\n"
    "                              into the --config folder, if valid (run as root)\n"
    "      --boot-dir DIR          the boot partition (default " BOOT_CONFIG_DIR ")\n"
    "      --self-test             check config, fonts, storage, backend, printer, audio and\n"
    "                              display; a PASS/FAIL table, exit 1 on any FAIL\n"
    "  -v, --verbose               debug logging\n"
    "      --version               print the version\n"
    "  -h, --help                  this help\n"
    "\n"
    "       kiosk token verify|issue ...  check or make a QR token (kiosk token --help)\n"
    "       kiosk print-test [--config FILE]  print a sample ticket and a calibration strip\n"
    "       kiosk ticket --preview OUT.png | --list | --reprint ID|NUMBER  [--config FILE]\n"
    "       kiosk report --since YYYY-MM-DD [--by day|week|month] [--csv]  ratings, tickets\n"
    "       kiosk layout [--config FILE] [--set k=v]...  text heights in mm, reading distances\n";

enum long_only {
    OPT_SET = 256,
    OPT_HEADLESS,
    OPT_EXIT_AFTER,
    OPT_SCREENSHOT,
    OPT_SCREENSHOT_EVERY,
    OPT_SCREENSHOT_PREFIX,
    OPT_STATUS_FILE,
    OPT_SCRIPT,
    OPT_CONFIG_REFERENCE,
    OPT_VERSION,
    OPT_TEST_STALL_AFTER,
    OPT_SELF_TEST,
    OPT_CONFIG_ERROR_SCREEN,
    OPT_IMPORT_BOOT_CONFIG,
    OPT_BOOT_DIR,
};

static const struct option long_options[] = {
    {"config", required_argument, NULL, 'c'},
    {"set", required_argument, NULL, OPT_SET},
    {"headless", no_argument, NULL, OPT_HEADLESS},
    {"exit-after", required_argument, NULL, OPT_EXIT_AFTER},
    {"screenshot", required_argument, NULL, OPT_SCREENSHOT},
    {"screenshot-every", required_argument, NULL, OPT_SCREENSHOT_EVERY},
    {"screenshot-prefix", required_argument, NULL, OPT_SCREENSHOT_PREFIX},
    {"status-file", required_argument, NULL, OPT_STATUS_FILE},
    {"script", required_argument, NULL, OPT_SCRIPT},
    {"config-reference", no_argument, NULL, OPT_CONFIG_REFERENCE},
    {"self-test", no_argument, NULL, OPT_SELF_TEST},
    {"config-error-screen", no_argument, NULL, OPT_CONFIG_ERROR_SCREEN},
    {"import-boot-config", no_argument, NULL, OPT_IMPORT_BOOT_CONFIG},
    {"boot-dir", required_argument, NULL, OPT_BOOT_DIR},
    {"verbose", no_argument, NULL, 'v'},
    {"version", no_argument, NULL, OPT_VERSION},
    /* Not in --help: it exists for the watchdog test (tests/test_watchdog.c). */
    {"test-stall-after", required_argument, NULL, OPT_TEST_STALL_AFTER},
    {"help", no_argument, NULL, 'h'},
    {NULL, 0, NULL, 0},
};

struct args {
    const char *config_path;
    const char *overrides[MAX_OVERRIDES];
    int noverrides;
    bool self_test;
    bool error_screen;
    bool import_boot;
    const char *boot_dir;
    struct app_options app;
};

/* Parses a non-negative number of seconds, fractions allowed, into milliseconds. */
static bool parse_seconds(const char *option, const char *text, int *ms)
{
    char *end;
    double s = strtod(text, &end);
    if (end == text || *end || !(s >= 0 && s <= 86400.0 * 365)) {
        fprintf(stderr, "kiosk: %s: \"%s\" is not a number of seconds\n", option, text);
        return false;
    }
    *ms = (int)(s * 1000.0 + 0.5);
    return true;
}

/* Returns -1 to go on, or the exit code. */
static int parse_args(int argc, char **argv, struct args *a)
{
    int opt, ms;
    while ((opt = getopt_long(argc, argv, "c:vh", long_options, NULL)) != -1) {
        switch (opt) {
        case 'c':
            a->config_path = optarg;
            break;
        case OPT_SET:
            if (a->noverrides == MAX_OVERRIDES) {
                fprintf(stderr, "kiosk: at most %d --set options\n", MAX_OVERRIDES);
                return 2;
            }
            a->overrides[a->noverrides++] = optarg;
            break;
        case OPT_HEADLESS:
            a->app.headless = true;
            break;
        case OPT_EXIT_AFTER:
            if (!parse_seconds("--exit-after", optarg, &a->app.exit_after_ms))
                return 2;
            break;
        case OPT_SCREENSHOT:
            a->app.screenshot = optarg;
            break;
        case OPT_SCREENSHOT_EVERY:
            if (!parse_seconds("--screenshot-every", optarg, &ms) || ms < 1000) {
                fprintf(stderr, "kiosk: --screenshot-every needs at least 1 second\n");
                return 2;
            }
            a->app.screenshot_every_s = ms / 1000;
            break;
        case OPT_SCREENSHOT_PREFIX:
            a->app.screenshot_prefix = optarg;
            break;
        case OPT_STATUS_FILE:
            a->app.status_file = optarg;
            break;
        case OPT_SCRIPT:
            a->app.script = optarg;
            break;
        case OPT_TEST_STALL_AFTER:
            if (!parse_seconds("--test-stall-after", optarg, &a->app.stall_after_ms))
                return 2;
            break;
        case OPT_SELF_TEST:
            a->self_test = true;
            break;
        case OPT_CONFIG_ERROR_SCREEN:
            a->error_screen = true;
            break;
        case OPT_IMPORT_BOOT_CONFIG:
            a->import_boot = true;
            break;
        case OPT_BOOT_DIR:
            a->boot_dir = optarg;
            break;
        case OPT_CONFIG_REFERENCE:
            config_write_reference(stdout, CONFIG_KIOSK);
            return 0;
        case 'v':
            log_set_level(LOG_LEVEL_DEBUG);
            break;
        case OPT_VERSION:
            printf("kiosk %s\n", KIOSK_VERSION);
            return 0;
        case 'h':
            fputs(usage, stdout);
            return 0;
        default:
            fputs(usage, stderr);
            return 2;
        }
    }
    if (optind < argc) {
        fprintf(stderr, "kiosk: unexpected argument \"%s\"\n%s", argv[optind], usage);
        return 2;
    }
    return -1;
}

/* The file, then the --set overrides, then the checks; false with *err saying what is wrong. */
static bool read_config(const struct args *a, struct config *config, char **err)
{
    return config_read_for(config, CONFIG_KIOSK, a->config_path, a->overrides, a->noverrides, err);
}

/* The defaults with whichever --set overrides apply: what runs when the file cannot. */
static void fall_back(const struct args *a, struct config *config)
{
    config_defaults(config);
    for (int i = 0; i < a->noverrides; i++) {
        char *ignored = NULL;
        config_set(config, a->overrides[i], &ignored);
        free(ignored);
    }
}

/* With --config-error-screen a configuration problem (or a rejected boot import) is kept in
 * *shown for the error screen, on the defaults, rather than ending the program: systemd would
 * only restart it into the same error. */
static bool load_config(const struct args *a, struct config *config, char **shown)
{
    char *err = NULL;
    bool ok = read_config(a, config, &err);
    if (ok && a->error_screen)
        err = boot_config_rejected(a->config_path);
    if (err && a->error_screen) {
        LOG_ERR("showing the configuration error screen:\n%s", err);
        fall_back(a, config);
        snprintf(config->path, sizeof(config->path), "%s", a->config_path);
        snprintf(config->device.id, sizeof(config->device.id), "unconfigured");
        *shown = err;
        return true;
    }
    if (!ok)
        fprintf(stderr, "%s\nkiosk: not starting: fix the configuration above\n", err);
    free(err);
    return ok;
}

/* --import-boot-config: run by systemd as root before the kiosk starts; the configuration
 * folder is that of --config. */
static int import_boot(const struct args *a)
{
    char *err = NULL;
    char *folder = xasprintf("%s", a->config_path);
    char *slash = strrchr(folder, '/');
    if (slash)
        *slash = '\0';
    bool ok = boot_config_import(a->boot_dir ? a->boot_dir : BOOT_CONFIG_DIR,
                                 slash ? (folder[0] ? folder : "/") : ".", &err);
    if (!ok)
        LOG_ERR("boot configuration: %s", err);
    free(err);
    free(folder);
    return ok ? 0 : 1;
}

/* A configuration that does not load is one FAIL row; the other checks then run on the
 * defaults (with the --set overrides), so staff still learn about fonts, storage and display. */
static int self_test(const struct args *a, struct config *config)
{
    char *err = NULL;
    if (read_config(a, config, &err)) {
        err = boot_config_rejected(a->config_path); /* running on the last good file */
    } else {
        fall_back(a, config);
    }
    struct selftest *t = xcalloc(1, sizeof(*t));
    printf("kiosk %s self-test\n", KIOSK_VERSION);
    selftest_run(config, err, a->app.headless, t);
    selftest_print(t, stdout);
    int code = selftest_passed(t) ? 0 : 1;
    free(t);
    free(err);
    return code;
}

int main(int argc, char **argv)
{
    struct args a = {.config_path = CONFIG_DEFAULT_PATH,
                     .app = {.version = KIOSK_VERSION,
                             .exit_after_ms = -1,
                             .stall_after_ms = -1,
                             .screenshot_prefix = "out/demo-"}};
    a.app.started_ms = clock_mono_ms();
    /* A printer, socket or lp that goes away mid-write is an error to report, not a death. */
    signal(SIGPIPE, SIG_IGN);
    /* Blocks of 128 kB and more (a line of text in large type is 0.1 to 3 MB of pixels) come
     * from mmap and go back to the system when freed. glibc's own threshold would rise with
     * the first such free and keep later ones in the heap, resident for good. */
    mallopt(M_MMAP_THRESHOLD, 128 * 1024);
    if (argc == 2 && strcmp(argv[1], "--probe-gl") == 0) /* the renderer's child, not for staff */
        return renderer_probe_main();
    if (argc > 1 && strcmp(argv[1], "token") == 0)
        return token_cli(argc - 1, argv + 1);
    if (argc > 1 && (strcmp(argv[1], "print-test") == 0 || strcmp(argv[1], "ticket") == 0))
        return printer_cli(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "layout") == 0)
        return layout_cli(argc - 1, argv + 1);
    if (argc > 1 && strcmp(argv[1], "report") == 0)
        return report_cli(argc - 1, argv + 1, CONFIG_KIOSK);
    int code = parse_args(argc, argv, &a);
    if (code >= 0)
        return code;
    struct config *config = xcalloc(1, sizeof(*config));
    char *err = NULL, *shown = NULL;
    struct app *app = NULL;
    code = 1;
    /* Before any thread exists: libcurl's global set-up is not thread-safe everywhere. */
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (a.self_test || a.import_boot) {
        code = a.self_test ? self_test(&a, config) : import_boot(&a);
        goto out;
    }
    if (!load_config(&a, config, &shown))
        goto out;
    app_catch_stop_signals();
    a.app.config_error = shown;
    LOG_INFO("kiosk %s, device %s, role %s, %s", KIOSK_VERSION, config->device.id,
             role_name(config->device.role), config->path);
    app = app_create(config, &a.app, &err);
    if (!app) {
        LOG_ERR("%s", err);
        goto out;
    }
    code = app_run(app);
out:
    free(err);
    app_destroy(app);
    free(shown);
    curl_global_cleanup();
    free(config);
    return code;
}
