/* report_cli.c: the kiosk's three tables (ratings by period, ratings by room, tickets by
 * period), or kiosk-hub's two (ratings by period and by room, each row split by channel), as
 * text for a person or as one CSV for a spreadsheet. Dates are local days, as the office counts. */
#include <getopt.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "base/mem.h"
#include "cli/report_cli.h"
#include "store/store.h"

#define ROWS_MAX     400
#define HUB_ROWS_MAX 1200 /* kiosk-hub: three rows (phone, kiosk, all) for each of 400 keys */

static const char usage[] =
    "Usage: kiosk report --since YYYY-MM-DD [--until YYYY-MM-DD] [--by day|week|month] [--csv]\n"
    "                    [--config FILE]\n";
static const char hub_usage[] =
    "Usage: kiosk-hub report --since YYYY-MM-DD [--until YYYY-MM-DD]\n"
    "                        [--by day|week|month|room|staff] [--csv] [--config FILE]\n";

struct cli {
    const char *config_path, *since, *until;
    enum report_group by;
    const char *by_name; /* as asked: "staff" names the same grouping as "room" */
    bool csv;
    bool hub;
};

bool report_parse_date(const char *date, int64_t *out)
{
    struct tm tm = {0};
    const char *end = strptime(date, "%Y-%m-%d", &tm);
    if (!end || *end)
        return false;
    tm.tm_isdst = -1;
    *out = (int64_t)mktime(&tm);
    return true;
}

static const char *const group_names[] = {"day", "week", "month", "room"};

static void print_table(const char *title, const struct report_row *rows, int n, bool tickets,
                        bool csv)
{
    if (!csv)
        printf("\n%s\n%-12s %8s %8s %8s %8s\n", title, "", tickets ? "tickets" : "ratings",
               tickets ? "printed" : "average", tickets ? "failed" : "happy",
               tickets ? "" : "unhappy");
    for (int i = 0; i < n; i++) {
        const struct report_row *r = &rows[i];
        if (csv && tickets)
            printf("%s,%s,%d,,,,%d,%d\n", title, r->key, r->count, r->printed, r->failed);
        else if (csv)
            printf("%s,%s,%d,%.2f,%d,%d,,\n", title, r->key, r->count, r->average, r->happy,
                   r->unhappy);
        else if (tickets)
            printf("%-12s %8d %8d %8d\n", r->key, r->count, r->printed, r->failed);
        else
            printf("%-12s %8d %8.2f %8d %8d\n", r->key, r->count, r->average, r->happy, r->unhappy);
    }
    if (!csv && n == 0)
        printf("(none)\n");
}

static int run(struct store *store, const struct cli *c, int64_t since, int64_t until)
{
    char *err = NULL, title[64];
    struct report_row *rows = xcalloc(ROWS_MAX, sizeof(*rows));
    int code = 0;
    if (c->csv)
        printf("table,key,count,average,happy,unhappy,printed,failed\n");
    /* ratings by day (week, month), by room, the reasons chosen, then tickets */
    for (int table = 0; table < 4 && code == 0; table++) {
        bool tickets = table == 3, reasons = table == 2;
        enum report_group group = table == 1 ? REPORT_ROOM : c->by;
        int n = tickets   ? store_report_tickets(store, group, since, until, rows, ROWS_MAX, &err)
                : reasons ? store_report_reasons(store, since, until, rows, ROWS_MAX, &err)
                          : store_report_ratings(store, group, since, until, rows, ROWS_MAX, &err);
        if (n < 0) {
            fprintf(stderr, "kiosk: report: %s\n", err);
            code = 1;
            break;
        }
        snprintf(title, sizeof(title), "%s_by_%s", tickets ? "tickets" : "ratings",
                 reasons ? "reason" : group_names[group]);
        print_table(title, rows, n, tickets, c->csv);
    }
    free(err);
    free(rows);
    return code;
}

/* A CSV field: quoted when it holds a comma, a quote or a line break (a room id is the
 * sender's). */
static void print_csv_field(FILE *out, const char *text)
{
    if (!text[strcspn(text, ",\"\r\n")]) {
        fputs(text, out);
        return;
    }
    fputc('"', out);
    for (; *text; text++) {
        if (*text == '"')
            fputc('"', out);
        fputc(*text, out);
    }
    fputc('"', out);
}

/* kiosk-hub's table: each key's phone, kiosk and all rows; a channel without ratings has no
 * average ("-" in text, empty in CSV). */
static void print_channel_table(FILE *out, const char *title, const struct report_row *rows, int n,
                                bool csv)
{
    int width = 12;
    for (int i = 0; i < n; i++)
        if ((int)strlen(rows[i].key) > width)
            width = (int)strlen(rows[i].key);
    if (!csv)
        fprintf(out, "\n%s\n%-*s %-7s %8s %8s %8s %8s\n", title, width, "", "channel", "ratings",
                "average", "happy", "unhappy");
    for (int i = 0; i < n; i++) {
        const struct report_row *r = &rows[i];
        char average[16] = "";
        if (r->count > 0)
            snprintf(average, sizeof(average), "%.2f", r->average);
        if (csv) {
            fprintf(out, "%s,", title);
            print_csv_field(out, r->key);
            fprintf(out, ",%s,%d,%s,%d,%d\n", r->channel, r->count, average, r->happy, r->unhappy);
        } else {
            fprintf(out, "%-*s %-7s %8d %8s %8d %8d\n", width, r->key, r->channel, r->count,
                    r->count > 0 ? average : "-", r->happy, r->unhappy);
        }
    }
    if (!csv && n == 0)
        fputs("(none)\n", out);
}

int report_hub_write(FILE *out, struct store *store, enum report_group by, const char *by_name,
                     int64_t since, int64_t until, bool csv, char **err)
{
    char title[64];
    struct report_row *rows = xcalloc(HUB_ROWS_MAX, sizeof(*rows));
    int code = 0;
    *err = NULL;
    if (csv)
        fputs("table,key,channel,count,average,happy,unhappy\n", out);
    for (int table = by == REPORT_ROOM ? 1 : 0; table < 2; table++) {
        enum report_group group = table == 1 ? REPORT_ROOM : by;
        int n =
            store_report_ratings_by_channel(store, group, since, until, rows, HUB_ROWS_MAX, err);
        if (n < 0) {
            code = 1;
            break;
        }
        snprintf(title, sizeof(title), "ratings_by_%s",
                 table == 1 && by != REPORT_ROOM ? "room" : by_name);
        if (n + 3 > HUB_ROWS_MAX)
            fprintf(stderr, "kiosk-hub: report: %s shows its first %d keys only\n", title, n / 3);
        print_channel_table(out, title, rows, n, csv);
    }
    free(rows);
    return code;
}

/* Ratings by period and by room (or only by room, when that is what --by asked for). */
static int run_hub(struct store *store, const struct cli *c, int64_t since, int64_t until)
{
    char *err = NULL;
    int code = report_hub_write(stdout, store, c->by, c->by_name, since, until, c->csv, &err);
    if (code)
        fprintf(stderr, "kiosk-hub: report: %s\n", err);
    free(err);
    return code;
}

static bool parse(int argc, char **argv, struct cli *c)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'}, {"since", required_argument, NULL, 's'},
        {"until", required_argument, NULL, 'u'},  {"by", required_argument, NULL, 'b'},
        {"csv", no_argument, NULL, 'v'},          {NULL, 0, NULL, 0},
    };
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "c:", options, NULL)) != -1) {
        if (opt == 'c')
            c->config_path = optarg;
        else if (opt == 's')
            c->since = optarg;
        else if (opt == 'u')
            c->until = optarg;
        else if (opt == 'v')
            c->csv = true;
        else if (opt == 'b' && strcmp(optarg, "day") == 0)
            c->by = REPORT_DAY;
        else if (opt == 'b' && strcmp(optarg, "week") == 0)
            c->by = REPORT_WEEK;
        else if (opt == 'b' && strcmp(optarg, "month") == 0)
            c->by = REPORT_MONTH;
        else if (opt == 'b' && c->hub &&
                 (strcmp(optarg, "room") == 0 || strcmp(optarg, "staff") == 0))
            c->by = REPORT_ROOM;
        else
            return false;
        if (opt == 'b')
            c->by_name = optarg;
    }
    return optind == argc && c->since;
}

int report_cli(int argc, char **argv, enum config_program program)
{
    bool hub = program == CONFIG_HUB;
    struct cli c = {.config_path = hub ? CONFIG_HUB_PATH : CONFIG_DEFAULT_PATH,
                    .by = REPORT_DAY,
                    .by_name = "day",
                    .hub = hub};
    int64_t since, until = INT64_MAX;
    if (!parse(argc, argv, &c) || !report_parse_date(c.since, &since) ||
        (c.until && !report_parse_date(c.until, &until))) {
        fputs(hub ? hub_usage : usage, stderr);
        return 2;
    }
    const char *name = hub ? "kiosk-hub" : "kiosk";
    struct config *config = xcalloc(1, sizeof(*config));
    struct store *store = NULL;
    char *err = NULL;
    int code = 1;
    if (config_read_for(config, program, c.config_path, NULL, 0, &err) &&
        (store = store_open(config->storage.path, &err)))
        code = hub ? run_hub(store, &c, since, until) : run(store, &c, since, until);
    else
        fprintf(stderr, "%s: %s\n", name, err);
    free(err);
    store_close(store);
    free(config);
    return code;
}
