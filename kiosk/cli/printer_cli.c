/* printer_cli.c: the printer tools. Every ticket they print goes through the journal first,
 * so a failed print is recorded with its reason and can be printed again with --reprint. */
#include <SDL2/SDL.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "qr/link.h"
#include "base/mem.h"
#include "printer/printer.h"
#include "printer/ticket_art.h"
#include "cli/printer_cli.h"
#include "store/store.h"

static const char usage[] =
    "Usage: kiosk print-test [--config FILE]\n"
    "       kiosk ticket --preview OUT.png [--ticket ID|NUMBER] [--config FILE]\n"
    "       kiosk ticket --list [--config FILE]\n"
    "       kiosk ticket --reprint ID|NUMBER [--config FILE]\n";

struct cli {
    const char *config_path;
    const char *preview, *ticket, *reprint;
    bool list;
};

/* What every tool needs: the configuration, fonts and the journal. */
struct tools {
    struct config config;
    struct fonts *fonts;
    struct store *store;
};

static double ms_since(Uint64 start)
{
    return (double)(SDL_GetPerformanceCounter() - start) * 1000.0 /
           (double)SDL_GetPerformanceFrequency();
}

static bool tools_open(struct tools *t, const char *path, char **err)
{
    if (!config_read(&t->config, path, err))
        return false;
    if (TTF_Init() != 0) {
        *err = xasprintf("SDL_ttf: %s", TTF_GetError());
        return false;
    }
    return (t->fonts = fonts_create(&t->config, err)) &&
           (t->store = store_open(t->config.storage.path, err));
}

static void tools_close(struct tools *t)
{
    store_close(t->store);
    fonts_destroy(t->fonts);
    if (TTF_WasInit())
        TTF_Quit();
}

/* The sample of print-test and --preview: a believable ticket with the site's survey link. */
static bool sample(const struct config *c, struct ticket *out, char **err)
{
    *out = (struct ticket){.ahead = 3, .eta_min = 12, .issued_at = time(NULL)};
    snprintf(out->number, sizeof(out->number), "A023");
    snprintf(out->department_zh, sizeof(out->department_zh), "内科 · 打印测试");
    snprintf(out->department_en, sizeof(out->department_en), "Internal Medicine · print test");
    if (!c->qr.survey_url[0])
        return true;
    struct token_key key;
    struct link link;
    bool ok = token_key_load(c->qr.key_file, &key, err) &&
              link_issue(c, &key, TOKEN_SURVEY, out->number, "", out->issued_at, &link, err);
    memset(&key, 0, sizeof(key));
    if (ok)
        snprintf(out->qr_url, sizeof(out->qr_url), "%s", link.url);
    return ok;
}

/* Prints t (after extra, if any), then journals the outcome. */
static int print(struct tools *tools, struct ticket *t, const struct bytes *extra)
{
    char *err = NULL, message[256];
    struct bytes data = {0};
    Uint64 start = SDL_GetPerformanceCounter();
    if (extra)
        bytes_append(&data, extra->data, extra->len);
    if (!printer_encode_ticket(&tools->config, tools->fonts, t, &data, &err)) {
        fprintf(stderr, "kiosk: %s\n", err);
        free(err);
        bytes_free(&data);
        return 1;
    }
    double composed = ms_since(start);
    struct printer_link link = PRINTER_LINK_INIT; /* one job: auto asks this once */
    enum printer_fault fault = printer_send(&tools->config, &link, &data, message, sizeof(message));
    double sent = ms_since(start);
    bool printed = !printer_in_trouble(fault);
    bytes_free(&data);
    t->attempts++;
    t->state = printed ? TICKET_PRINTED : TICKET_FAILED;
    snprintf(t->error, sizeof(t->error), "%s", printed ? "" : message);
    if (!store_ticket_update(tools->store, t, time(NULL), &err)) {
        fprintf(stderr, "kiosk: journal: %s\n", err);
        free(err);
    }
    if (!printed) {
        fprintf(stderr, "kiosk: ticket %s (journal %lld) did not print: %s\n", t->number,
                (long long)t->id, message);
        return 1;
    }
    /* "Handed over": the printer has taken every byte (docs/printing.md). */
    printf("printed %s (journal %lld) on %s: composed in %.1f ms, handed over in %.1f ms\n",
           t->number, (long long)t->id, tools->config.printer.device, composed, sent);
    if (fault == PRINTER_UNKNOWN)
        printf("%s\n", message);
    return 0;
}

static int print_test(struct tools *tools)
{
    char *err = NULL;
    struct ticket t;
    if (!tools->config.printer.device[0]) {
        fprintf(stderr, "kiosk: print-test: [printer] device is not set in %s\n",
                tools->config.path);
        return 1;
    }
    if (!sample(&tools->config, &t, &err) ||
        !store_ticket_add(tools->store, &t, time(NULL), &err)) {
        fprintf(stderr, "kiosk: %s\n", err);
        free(err);
        return 1;
    }
    struct bitmap *strip =
        ticket_art_calibration(tools->fonts, ticket_art_width(tools->config.printer.paper_mm));
    struct bytes calibration = {0};
    struct escpos_job job = {.ticket = strip,
                             .band_rows = tools->config.printer.band_rows,
                             .cut = tools->config.printer.cut};
    escpos_encode(&calibration, &job);
    int code = print(tools, &t, &calibration);
    bytes_free(&calibration);
    bitmap_destroy(strip);
    return code;
}

static int preview(struct tools *tools, const char *png, const char *which)
{
    char *err = NULL;
    struct ticket t;
    struct ticket_art art = {0};
    bool ok = (which ? store_ticket_find(tools->store, which, &t, &err)
                     : sample(&tools->config, &t, &err)) &&
              ticket_art_compose(&t, &tools->config, tools->fonts,
                                 ticket_art_width(tools->config.printer.paper_mm), &art, &err) &&
              bitmap_save_png(art.bitmap, png, &err);
    if (ok)
        printf("%s: ticket %s, %dx%d dots\n", png, t.number, art.bitmap->width, art.bitmap->height);
    else
        fprintf(stderr, "kiosk: %s\n", err);
    ticket_art_free(&art);
    free(err);
    return ok ? 0 : 1;
}

static int list(struct tools *tools)
{
    char *err = NULL;
    struct ticket *rows = xcalloc(50, sizeof(*rows));
    int n = store_ticket_list(tools->store, rows, 50, &err);
    if (n < 0)
        fprintf(stderr, "kiosk: %s\n", err);
    else
        printf("%-6s %-8s %-8s %-8s %-16s %s\n", "id", "number", "state", "attempts", "issued",
               "error");
    for (int i = 0; i < n; i++) {
        char when[32];
        time_t issued = (time_t)rows[i].issued_at;
        struct tm tm;
        strftime(when, sizeof(when), "%Y-%m-%d %H:%M", localtime_r(&issued, &tm));
        printf("%-6lld %-8s %-8s %-8d %-16s %s\n", (long long)rows[i].id, rows[i].number,
               ticket_state_name(rows[i].state), rows[i].attempts, when, rows[i].error);
    }
    free(rows);
    free(err);
    return n < 0 ? 1 : 0;
}

static int reprint(struct tools *tools, const char *which)
{
    char *err = NULL;
    struct ticket t;
    if (!store_ticket_find(tools->store, which, &t, &err)) {
        fprintf(stderr, "kiosk: %s\n", err);
        free(err);
        return 1;
    }
    return print(tools, &t, NULL);
}

static int parse(int argc, char **argv, struct cli *c)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"preview", required_argument, NULL, 'p'},
        {"ticket", required_argument, NULL, 't'}, {"reprint", required_argument, NULL, 'r'},
        {"list", no_argument, NULL, 'l'},         {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:", options, NULL)) != -1) {
        if (opt == 'c')
            c->config_path = optarg;
        else if (opt == 'p')
            c->preview = optarg;
        else if (opt == 't')
            c->ticket = optarg;
        else if (opt == 'r')
            c->reprint = optarg;
        else if (opt == 'l')
            c->list = true;
        else
            return 2;
    }
    bool test = strcmp(argv[0], "print-test") == 0;
    int actions = (c->preview != NULL) + (c->reprint != NULL) + c->list;
    if (optind != argc || (test && actions) || (!test && actions != 1))
        return 2;
    return 0;
}

int printer_cli(int argc, char **argv)
{
    struct cli c = {.config_path = CONFIG_DEFAULT_PATH};
    if (parse(argc, argv, &c) != 0) {
        fputs(usage, stderr);
        return 2;
    }
    struct tools *tools = xcalloc(1, sizeof(*tools));
    char *err = NULL;
    int code = 1;
    if (!tools_open(tools, c.config_path, &err))
        fprintf(stderr, "kiosk: %s\n", err);
    else if (c.preview)
        code = preview(tools, c.preview, c.ticket);
    else if (c.list)
        code = list(tools);
    else if (c.reprint)
        code = reprint(tools, c.reprint);
    else
        code = print_test(tools);
    free(err);
    tools_close(tools);
    free(tools);
    return code;
}
