/* fuzz_scanner.c: what a USB barcode scanner (or anyone at a keyboard) can type into the
 * kiosk, and what the kiosk then does with a scanned code: the burst detector (scanner.c), the
 * UI state machine it feeds on every screen (kiosk_ui.c), and, as kiosk_role.c does, a results
 * lookup (the visit inside a signed ticket code, or typed) made into a signed link and a QR
 * code, or a check-in request. Each input byte is a key at 3 ms, except:
 *   '\n' '\r'  Enter            0x01  a 1 s pause (typing, not a scan)
 *   0x02 T I   a tap on target T (mod the targets) with index I
 *   0x03 A     the backend's answer to a pending request (A: issued, refused, not found)
 *   0x04       25 s pass (the screens' timeouts) */
#include <unistd.h>

#include "config/config.h"
#include "fuzz.h"
#include "selfservice/kiosk_ui.h"
#include "qr/link.h"
#include "selfservice/scanner.h"
#include "qr/screen_codes.h"

#define NOW_S 1795000000

static struct config *config;
static struct screen_codes *codes;
static char key_path[] = "/tmp/fuzz-scanner-key-XXXXXX";

static void remove_key(void)
{
    unlink(key_path);
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    int fd = mkstemp(key_path); /* 0600, as the kiosk insists */
    if (fd < 0 || write(fd, "kiosk-test-vector-key-0123456789", 32) != 32 || close(fd) != 0)
        abort();
    atexit(remove_key);
    config = malloc(sizeof(*config));
    if (!config)
        abort();
    config_defaults(config);
    char *err = NULL;
    const char *const settings[] = {
        "device.role=kiosk",
        "device.id=demo-1",
        "kiosk.departments=内科|Internal Medicine; 外科|Surgery|外; 儿科|Paediatrics",
        "qr.survey_url=https://survey.hospital.example/r/{token}",
        "qr.results_url=https://results.hospital.example/v/{token}?lang={lang}",
    };
    for (size_t i = 0; i < sizeof(settings) / sizeof(settings[0]); i++)
        if (!config_set(config, settings[i], &err))
            abort();
    snprintf(config->qr.key_file, sizeof(config->qr.key_file), "%s", key_path);
    if (!(codes = screen_codes_create(config, NOW_S, &err))) {
        fprintf(stderr, "fuzz_scanner: %s\n", err);
        abort();
    }
    return 0;
}

/* kiosk_role.c's look_up: the visit a code names, then its signed link and QR code. */
static void look_up(struct ui *ui, const char *code)
{
    char *err = NULL;
    struct link link;
    struct qr *qr = NULL;
    bool ok = screen_codes_visit(codes, code, NOW_S, ui->visit, sizeof(ui->visit));
    if (ok) {
        FUZZ_TERMINATED(ui->visit);
        FUZZ_CHECK(ui->visit[0] && strlen(ui->visit) < MODEL_TICKET_MAX);
        FUZZ_CHECK(screen_codes_ticket_link(codes, TOKEN_RESULTS, ui->visit, NOW_S, &link, &err));
        /* A long visit number can need a QR code above version 6 (docs/tokens.md's budget):
         * the patient is then told so (UI_RESULTS_ERROR), never shown a code that will not
         * scan. Any other failure is a bug. */
        ok = (qr = link_qr(&link, &err)) != NULL;
        FUZZ_CHECK(ok || strstr(err, "QR code; at most version 6") != NULL);
        struct token t;
        char visit[MODEL_TICKET_MAX];
        FUZZ_CHECK(screen_codes_visit(codes, link.url, NOW_S, visit, sizeof(visit)));
        FUZZ_CHECK(strcmp(visit, ui->visit) == 0);
        FUZZ_CHECK(screen_codes_verify(codes, link.url, NOW_S, &t) == TOKEN_VALID);
    }
    free(err);
    qr_destroy(qr);
    ui_results_shown(ui, ok, (uint64_t)NOW_S * 1000);
    FUZZ_CHECK(ui->screen == (ok ? UI_RESULTS : UI_RESULTS_ERROR));
}

static void act(struct ui *ui, const struct ui_request *r)
{
    if (r->results || r->check_in) {
        FUZZ_TERMINATED(r->code);
        for (const char *c = r->code; *c; c++)
            FUZZ_CHECK(*c > 0x20 && *c < 0x7F); /* what scanner_char lets through */
    }
    if (r->results)
        look_up(ui, r->code);
    if (r->check_in)
        FUZZ_CHECK(r->code[0] && strlen(r->key) == API_KEY_LEN - 1);
    if (r->take_ticket)
        FUZZ_CHECK(r->department >= 0 && r->department < ui->ndepartments);
    if (r->rate)
        FUZZ_CHECK(r->rating.score >= 1 && r->rating.score <= 5);
}

static void answer(struct ui *ui, uint8_t how, uint64_t now_ms)
{
    if (ui->screen != UI_ISSUING && ui->screen != UI_CHECKING)
        return;
    if (how % 3 == 0) {
        struct api_ticket t = {.ticket = "A023", .room = "r1", .position = how, .eta_min = -1};
        ui_ticket_issued(ui, ui->screen == UI_CHECKING, &t, now_ms);
    } else {
        ui_ticket_refused(ui, ui->screen == UI_CHECKING, how % 3 == 2, "no answer", now_ms);
    }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    uint64_t now = (uint64_t)NOW_S * 1000;
    struct scanner scanner = {0};
    struct ui ui;
    struct ui_request request;
    char code[SCANNER_MAX + 1];
    ui_init(&ui, config, now);
    for (size_t i = 0; i < size; i++) {
        uint8_t c = data[i];
        if (c == '\n' || c == '\r') {
            if (scanner_enter(&scanner, now, code)) {
                FUZZ_CHECK(strlen(code) >= SCANNER_MIN && strlen(code) <= SCANNER_MAX);
                ui_scan(&ui, code, now, &request);
                act(&ui, &request);
            }
        } else if (c == 0x01) {
            now += 1000;
        } else if (c == 0x02 && i + 2 < size) {
            ui_tap(&ui, (enum ui_target)(data[i + 1] % (UI_TARGET_RESULTS + 1)), data[i + 2] % 16,
                   now, &request);
            act(&ui, &request);
            i += 2;
        } else if (c == 0x03 && i + 1 < size) {
            answer(&ui, data[++i], now);
        } else if (c == 0x04) {
            now += 25000;
            ui_tick(&ui, now);
        } else {
            scanner_char(&scanner, (char)c, now);
            now += 3;
        }
        FUZZ_CHECK(ui.screen >= UI_HOME && ui.screen <= UI_RESULTS_ERROR);
        FUZZ_CHECK(ui_screen_name(ui.screen) != NULL);
        FUZZ_CHECK(ui_timeout_ms(&ui, now) >= -1);
        FUZZ_CHECK(strlen(ui.code) <= UI_CODE_MAX &&
                   strspn(ui.code, "0123456789") == strlen(ui.code));
    }
    return 0;
}
