/* kiosk_role.c: the glue of the kiosk role. The ticket is composed here, on the main thread,
 * because the fonts are the screen's (FreeType objects are not shared across threads); that
 * takes a few milliseconds, and the bytes then go to the printer thread. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "config/config.h"
#include "printer/worker.h"
#include "qr/screen_codes.h"
#include "render/draw.h"
#include "selfservice/kiosk_role.h"
#include "text/fonts.h"
#include "view.h"
#include "selfservice/kiosk_ui.h"
#include "base/mem.h"
#include "printer/printer.h"
#include "render/kiosk_layout.h"
#include "render/kiosk_screen.h"
#include "selfservice/scanner.h"
#include "selfservice/service.h"

#define LOG_MODULE "kiosk"
#include "base/log.h"

struct kiosk_role {
    const struct config *config;
    struct fonts *fonts;
    const struct screen_codes *codes;
    struct service *service; /* NULL only when its thread could not start */
    char no_service[256];    /* why */
    struct scanner scanner;
    struct ui ui;
    struct kiosk_layout layout;
    struct ui_request pending; /* a request the service could not take yet */
    struct qr *results_qr;     /* the results code on screen, NULL when none */
    struct qr *complaint_qr;   /* kiosk-hub's complaint form, NULL when there is none */
    char slip_url[512];        /* its URL, to print at the next update; "" when printed */
    uint64_t asked_ms;         /* when the ticket on screen was asked for: tap to paper */
    char rating_saved[40];     /* the key of the last rating on the card */
};

struct kiosk_role *kiosk_role_create(const struct config *config, struct fonts *fonts,
                                     const struct screen_codes *codes, uint64_t now_ms)
{
    char *err = NULL;
    struct kiosk_role *k = xcalloc(1, sizeof(*k));
    k->config = config;
    k->fonts = fonts;
    k->codes = codes;
    ui_init(&k->ui, config, now_ms);
    char url[256];
    if (ui_complaint_url(config->qr.survey_url, url, sizeof(url)) &&
        !(k->complaint_qr = qr_encode(url, &err))) {
        LOG_WARN("no complaint code: %s", err);
        free(err);
        err = NULL;
    }
    if (!(k->service = service_start(config, &err))) {
        snprintf(k->no_service, sizeof(k->no_service), "%s", err);
        LOG_WARN("%s", err);
        free(err);
    }
    return k;
}

void kiosk_role_destroy(struct kiosk_role *k)
{
    if (!k)
        return;
    service_stop(k->service);
    qr_destroy(k->results_qr);
    qr_destroy(k->complaint_qr);
    free(k);
}

/* A results code for the visit, on screen and on paper. It carries the visit and the
 * device only; the results page behind it asks the patient who they are. */
static void look_up(struct kiosk_role *k, const char *code, uint64_t now_ms)
{
    char *err = NULL;
    struct link link;
    struct qr *qr = NULL;
    bool ok =
        screen_codes_visit(k->codes, code, time(NULL), k->ui.visit, sizeof(k->ui.visit)) &&
        screen_codes_ticket_link(k->codes, TOKEN_RESULTS, k->ui.visit, time(NULL), &link, &err) &&
        (qr = link_qr(&link, &err));
    if (err)
        LOG_WARN("results code for %s: %s", k->ui.visit, err);
    free(err);
    qr_destroy(k->results_qr);
    k->results_qr = qr;
    k->ui.problem[0] = 0;
    ui_results_shown(&k->ui, ok, now_ms);
    snprintf(k->slip_url, sizeof(k->slip_url), "%s", ok ? link.url : "");
}

/* The ticket a code scanned on the rating screen names: this site's own ticket code (with
 * its room when it has one), or a bare ticket number. */
static void attach(struct kiosk_role *k, const char *code)
{
    struct token t;
    char ticket[MODEL_TICKET_MAX] = "";
    if (screen_codes_verify(k->codes, code, time(NULL), &t) == TOKEN_VALID && t.ticket[0]) {
        ui_rating_ticket(&k->ui, t.ticket, t.room);
        return;
    }
    if (!screen_codes_visit(k->codes, code, time(NULL), ticket, sizeof(ticket)))
        LOG_INFO("a code scanned on the rating screen names no ticket");
    ui_rating_ticket(&k->ui, ticket, "");
}

static void ask(struct kiosk_role *k, const struct ui_request *r, uint64_t now_ms)
{
    if (r->results)
        look_up(k, r->code, now_ms);
    if (r->attach)
        attach(k, r->code);
    if (!r->take_ticket && !r->check_in && !r->rate)
        return;
    if (r->take_ticket)
        k->asked_ms = now_ms;
    if (!k->service) {
        if (!r->rate)
            ui_ticket_refused(&k->ui, r->check_in, false, k->no_service, now_ms);
        return;
    }
    if (!service_submit(k->service, r, k->ui.departments[r->department].zh))
        k->pending = *r; /* the previous answer is still due: asked for as soon as it comes */
}

void kiosk_role_tap(struct kiosk_role *k, int x, int y, uint64_t now_ms)
{
    int index;
    struct ui_request request;
    enum ui_target target = kiosk_layout_hit(&k->layout, x, y, &index);
    ui_tap(&k->ui, target, index, now_ms, &request);
    ask(k, &request, now_ms);
}

void kiosk_role_text(struct kiosk_role *k, const char *text, uint64_t now_ms)
{
    for (const char *c = text; *c; c++)
        scanner_char(&k->scanner, *c, now_ms);
}

void kiosk_role_enter(struct kiosk_role *k, uint64_t now_ms)
{
    char code[SCANNER_MAX + 1];
    struct ui_request request;
    if (!scanner_enter(&k->scanner, now_ms, code))
        return; /* typed by hand: the keypad on screen is for that */
    ui_scan(&k->ui, code, now_ms, &request);
    ask(k, &request, now_ms);
}

/* A check-in's department is the one the backend names, in English too when the kiosk
 * knows it; its room by the name the call screen gives it. */
static void check_in_for(const struct kiosk_role *k, const struct api_ticket *a,
                         const struct view *v, struct ticket *t)
{
    snprintf(t->department_zh, sizeof(t->department_zh), "%s", a->service);
    for (int i = 0; i < k->ui.ndepartments; i++)
        if (strcmp(k->ui.departments[i].zh, a->service) == 0 &&
            strcmp(k->ui.departments[i].en, a->service) != 0)
            snprintf(t->department_en, sizeof(t->department_en), "%s", k->ui.departments[i].en);
    const struct room *room = model_find_room(&v->model, a->room);
    snprintf(t->room_zh, sizeof(t->room_zh), "%s",
             room && room->name_zh[0] ? room->name_zh : a->room);
    snprintf(t->room_en, sizeof(t->room_en), "%s",
             room && room->name_en[0] ? room->name_en : a->room);
    t->check_in = true;
}

/* The ticket the backend issued (or the appointment's, at a check-in), as the journal and
 * the printer take it. */
static void ticket_for(const struct kiosk_role *k, const struct api_ticket *a, bool check_in,
                       const struct view *v, struct ticket *t)
{
    const struct ui_department *d = &k->ui.departments[k->ui.department];
    char *err = NULL;
    struct link link;
    /* a check-in's time is the appointment's, not the slip's */
    *t = (struct ticket){.ahead = a->position > 0 ? a->position - 1 : -1,
                         .eta_min = a->eta_min,
                         .issued_at = a->time && !check_in ? a->time : time(NULL)};
    snprintf(t->number, sizeof(t->number), "%s", a->ticket);
    if (check_in) {
        check_in_for(k, a, v, t);
    } else {
        snprintf(t->department_zh, sizeof(t->department_zh), "%s", d->zh);
        snprintf(t->department_en, sizeof(t->department_en), "%s", d->en);
    }
    if (screen_codes_ticket_link(k->codes, TOKEN_SURVEY, a->ticket, time(NULL), &link, &err))
        snprintf(t->qr_url, sizeof(t->qr_url), "%s", link.url);
    free(err); /* no survey link configured: a ticket without a code */
}

/* Says on screen why nothing will come out of the printer. */
static void not_printed(struct kiosk_role *k, const char *why)
{
    snprintf(k->ui.problem, sizeof(k->ui.problem), "%s", why);
    ui_ticket_printed(&k->ui, false);
}

static void print(struct kiosk_role *k, struct printer_worker *printer,
                  const struct service_result *r, const struct view *v)
{
    struct ticket t;
    struct bytes data = {0};
    char *err = NULL;
    ticket_for(k, &r->ticket, r->check_in, v, &t);
    if (!printer)
        not_printed(k, "no printer is configured");
    else if (!printer_encode_ticket(k->config, k->fonts, &t, &data, &err) ||
             !printer_worker_submit(printer, &t, &data))
        not_printed(k, err ? err : "printer queue full");
    bytes_free(&data);
    free(err);
}

static void print_slip(struct kiosk_role *k, struct printer_worker *printer)
{
    struct bytes data = {0};
    char *err = NULL;
    if (!printer)
        not_printed(k, "no printer is configured");
    else if (!printer_encode_slip(k->config, k->fonts, k->ui.visit, k->slip_url, &data, &err) ||
             !printer_worker_submit_slip(printer, k->ui.visit, &data))
        not_printed(k, err ? err : "printer queue full");
    k->slip_url[0] = 0;
    bytes_free(&data);
    free(err);
}

void kiosk_role_update(struct kiosk_role *k, struct printer_worker *printer, const struct view *v,
                       uint64_t now_ms)
{
    struct service_result r;
    ui_printer(&k->ui, v->has_printer ? v->printer.fault : PRINTER_OK);
    ui_backend(&k->ui, v->conn != CONN_OFFLINE);
    if (k->service && service_result(k->service, &r)) {
        k->ui.problem[0] = 0;
        if (r.outcome == API_DONE) {
            ui_ticket_issued(&k->ui, r.check_in, &r.ticket, now_ms);
            print(k, printer, &r, v); /* a check-in slip too: something in hand */
        } else {
            ui_ticket_refused(&k->ui, r.check_in, r.check_in && r.outcome == API_REFUSED, r.message,
                              now_ms);
        }
        if (k->pending.take_ticket || k->pending.check_in || k->pending.rate) {
            struct ui_request next = k->pending;
            memset(&k->pending, 0, sizeof(k->pending));
            ask(k, &next, now_ms);
        }
    }
    if (k->service)
        service_saved(k->service, k->rating_saved, sizeof(k->rating_saved));
    if (k->slip_url[0])
        print_slip(k, printer);
    struct print_result p;
    while (printer && printer_worker_result(printer, &p)) {
        if (strcmp(p.ticket.number, p.slip ? k->ui.visit : k->ui.ticket.ticket) != 0)
            continue; /* an earlier patient's, long gone from the screen */
        bool printed = !printer_in_trouble(p.fault);
        if (!printed)
            snprintf(k->ui.problem, sizeof(k->ui.problem), "%s", p.ticket.error);
        else if (!p.slip && !p.ticket.check_in) /* make bench reads this line */
            LOG_INFO("ticket %s: tap to printed in %llu ms", p.ticket.number,
                     (unsigned long long)(now_ms - k->asked_ms));
        ui_ticket_printed(&k->ui, printed);
    }
    ui_tick(&k->ui, now_ms);
}

int kiosk_role_fd(const struct kiosk_role *k)
{
    return k->service ? service_fd(k->service) : -1;
}

int kiosk_role_timeout_ms(const struct kiosk_role *k, uint64_t now_ms)
{
    return ui_timeout_ms(&k->ui, now_ms);
}

bool kiosk_role_take_dirty(struct kiosk_role *k)
{
    bool dirty = k->ui.dirty;
    k->ui.dirty = false;
    return dirty;
}

void kiosk_role_status(const struct kiosk_role *k, struct kiosk_status *out)
{
    out->screen = ui_screen_name(k->ui.screen);
    snprintf(out->ticket, sizeof(out->ticket), "%s", k->ui.ticket.ticket);
    snprintf(out->rating, sizeof(out->rating), "%s", k->rating_saved);
}

/* The code the screen on show offers: the results code, or the survey code to rate on the
 * phone. */
static const struct qr *screen_qr(const struct kiosk_role *k)
{
    if (k->ui.screen == UI_RESULTS)
        return k->results_qr;
    if (k->ui.screen == UI_THANKS)
        return k->ui.offer_complaint ? k->complaint_qr : NULL;
    if (k->ui.screen != UI_RATE)
        return NULL;
    for (int i = 0; i < screen_codes_count(k->codes); i++)
        if (screen_codes_get(k->codes, i)->link.token.purpose == TOKEN_SURVEY)
            return screen_codes_get(k->codes, i)->qr;
    return NULL;
}

void kiosk_role_draw(struct kiosk_role *k, struct draw *d, const struct view *v, SDL_Texture *logo,
                     int width, int height)
{
    kiosk_layout_compute(&k->layout, width, height, &k->ui);
    kiosk_screen_draw(d, &k->layout, &k->ui, v, logo, screen_qr(k));
}
