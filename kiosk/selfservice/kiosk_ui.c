/* kiosk_ui.c: the flows. A patient who walks away leaves the kiosk clean for the next one:
 * every screen but home times out, and nothing of a ticket stays on screen longer than it
 * takes to read it. */
#include <stdio.h>
#include <string.h>

#include "selfservice/kiosk_ui.h"
#include "base/utf8.h"

static void show(struct ui *ui, enum ui_screen screen, uint64_t now_ms)
{
    ui->screen = screen;
    ui->shown_ms = now_ms;
    ui->dirty = true;
}

/* The first character (one UTF-8 sequence) of s. */
static void first_character(char *out, size_t size, const char *s)
{
    const char *end = s;
    utf8_next(&end);
    snprintf(out, size, "%.*s", (int)(end - s), s);
}

/* "zh|en|icon" triples separated by ";", spaces around each trimmed. */
static void read_departments(struct ui *ui, const char *list)
{
    char copy[1024];
    snprintf(copy, sizeof(copy), "%s", list);
    char *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item && ui->ndepartments < UI_DEPARTMENTS_MAX;
         item = strtok_r(NULL, ";", &save)) {
        struct ui_department *d = &ui->departments[ui->ndepartments];
        char *zh = utf8_field(&item, '|'), *en = utf8_field(&item, '|');
        char *icon = utf8_field(&item, '|');
        utf8_copy(d->zh, sizeof(d->zh), zh);
        utf8_copy(d->en, sizeof(d->en), en ? en : zh);
        first_character(d->icon, sizeof(d->icon), icon && *icon ? icon : d->zh);
        if (d->zh[0])
            ui->ndepartments++;
    }
}

void ui_init(struct ui *ui, const struct config *config, uint64_t now_ms)
{
    memset(ui, 0, sizeof(*ui));
    ui->english = ui->default_english = config->device.language == LANGUAGE_EN;
    ui->one_language = config->device.language != LANGUAGE_ZH_EN;
    ui->idle_ms = config->kiosk.idle_seconds * 1000;
    ui->rating_interval_ms = config->kiosk.rating_interval_s * 1000;
    ui->attract_ms = config->kiosk.attract_seconds * 1000;
    ui->has_results = config->qr.results_url[0] != 0;
    ui->has_survey = config->qr.survey_url[0] != 0;
    char url[256];
    ui->has_complaints = config->kiosk.complaints_phone[0] ||
                         ui_complaint_url(config->qr.survey_url, url, sizeof(url));
    read_departments(ui, config->kiosk.departments);
    ui->input_ms = now_ms;
    show(ui, UI_HOME, now_ms);
}

static void take_ticket(struct ui *ui, int department, uint64_t now_ms, struct ui_request *r)
{
    if (ui->printer_down || ui->backend_down) {
        /* a number nobody could hold would wait in the queue for no one */
        ui->unavailable = ui->printer_down ? UI_NO_PRINTER : UI_NO_TICKET;
        show(ui, UI_UNAVAILABLE, now_ms);
        return;
    }
    if (ui->ticket_on_its_way) { /* the patient went back and came again: the same wait */
        show(ui, UI_ISSUING, now_ms);
        return;
    }
    ui->ticket_on_its_way = true;
    ui->department = department;
    ui->printed = ui->print_failed = false;
    r->take_ticket = true;
    r->department = department;
    api_new_key(r->key);
    show(ui, UI_ISSUING, now_ms);
}

static bool busy(const struct ui *ui)
{
    return ui->screen == UI_ISSUING || ui->screen == UI_CHECKING;
}

/* The same code again while its answer is fresh is the same check-in: on screen already it
 * is left there; otherwise it is asked for again under the first key, so the backend
 * deduplicates it too. */
static void check_in(struct ui *ui, const char *code, uint64_t now_ms, struct ui_request *r)
{
    if (ui->backend_down) {
        ui->code[0] = 0;
        ui->unavailable = UI_NO_CHECK_IN;
        show(ui, UI_UNAVAILABLE, now_ms);
        return;
    }
    bool again = strcmp(code, ui->check_in_code) == 0 && ui->check_in_ms &&
                 now_ms - ui->check_in_ms < UI_RESULT_MS;
    if (again && ui->screen == UI_CHECKED_IN) {
        show(ui, UI_CHECKED_IN, now_ms);
        return;
    }
    if (!again) {
        snprintf(ui->check_in_code, sizeof(ui->check_in_code), "%s", code);
        api_new_key(ui->check_in_key);
    }
    ui->check_in_ms = now_ms;
    r->check_in = true;
    snprintf(r->code, sizeof(r->code), "%s", code);
    memcpy(r->key, ui->check_in_key, sizeof(r->key));
    ui->code[0] = 0; /* code may be this very buffer: cleared only once copied */
    show(ui, UI_CHECKING, now_ms);
}

/* The main loop makes the code at once (signing needs no network): no busy screen. */
static void look_up(struct ui *ui, const char *code, struct ui_request *r)
{
    r->results = true;
    snprintf(r->code, sizeof(r->code), "%s", code);
    ui->code[0] = 0; /* after the copy: code may be this buffer */
}

static void key(struct ui *ui, int index, uint64_t now_ms, struct ui_request *r)
{
    size_t len = strlen(ui->code);
    if (index >= 0 && index <= 9 && len < UI_CODE_MAX) {
        ui->code[len] = (char)('0' + index);
        ui->code[len + 1] = 0;
    } else if (index == UI_KEY_DELETE && len > 0) {
        ui->code[len - 1] = 0;
    } else if (index == UI_KEY_CONFIRM && len > 0 && ui->screen == UI_RESULTS_CODE &&
               len < UI_VISIT_MIN) {
        ui->code[0] = 0; /* a code for it would lead the patient to "not found" on the phone */
        show(ui, UI_RESULTS_ERROR, now_ms);
    } else if (index == UI_KEY_CONFIRM && len > 0 && ui->screen == UI_RESULTS_CODE) {
        look_up(ui, ui->code, r);
    } else if (index == UI_KEY_CONFIRM && len > 0) {
        check_in(ui, ui->code, now_ms, r);
    }
    ui->dirty = true;
}

/* Thanks either way; a rating right after the last one (mashing the faces) is not kept. */
static void submit(struct ui *ui, uint64_t now_ms, struct ui_request *r)
{
    if (!ui->rated_ms || now_ms - ui->rated_ms >= (uint64_t)ui->rating_interval_ms) {
        r->rate = true;
        r->rating.score = ui->score;
        snprintf(r->rating.ticket, sizeof(r->rating.ticket), "%s", ui->rating_ticket);
        snprintf(r->rating.room, sizeof(r->rating.room), "%s", ui->rating_room);
        for (int i = 0; i < UI_REASONS; i++)
            if (ui->reasons[i])
                snprintf(r->rating.reasons[r->rating.nreasons++], RATING_REASON_MAX, "%s",
                         rating_tag_names[i]);
        api_new_key(r->key);
        ui->rated_ms = now_ms;
    }
    ui->offer_complaint = ui->score <= 2 && ui->has_complaints;
    show(ui, UI_THANKS, now_ms);
}

void ui_scan(struct ui *ui, const char *code, uint64_t now_ms, struct ui_request *request)
{
    memset(request, 0, sizeof(*request));
    ui->input_ms = now_ms;
    if (ui->screen == UI_RESULTS_CODE) {
        look_up(ui, code, request);
    } else if (ui->screen == UI_RATE) {
        request->attach = true;
        snprintf(request->code, sizeof(request->code), "%s", code);
    } else if (!busy(ui)) {
        check_in(ui, code, now_ms, request);
    }
}

void ui_rating_ticket(struct ui *ui, const char *ticket, const char *room)
{
    snprintf(ui->rating_ticket, sizeof(ui->rating_ticket), "%s", ticket);
    snprintf(ui->rating_room, sizeof(ui->rating_room), "%s", ticket[0] ? room : "");
    ui->dirty = true;
}

void ui_tap(struct ui *ui, enum ui_target target, int index, uint64_t now_ms,
            struct ui_request *request)
{
    memset(request, 0, sizeof(*request));
    ui->input_ms = now_ms;
    if (busy(ui) && target == UI_TARGET_BACK) {
        show(ui, UI_HOME, now_ms); /* the answer still comes; see ui_ticket_issued */
        return;
    }
    if (busy(ui))
        return; /* the answer is on its way: taps must not ask again */
    switch (target) {
    case UI_TARGET_WAKE: /* the touch that wakes the kiosk presses nothing else */
        show(ui, UI_HOME, now_ms);
        break;
    case UI_TARGET_CHECK_IN:
        ui->code[0] = 0;
        ui->unavailable = UI_NO_CHECK_IN;
        show(ui, ui->backend_down ? UI_UNAVAILABLE : UI_CHECK_IN, now_ms);
        break;
    case UI_TARGET_KEY:
        if (ui->screen == UI_CHECK_IN || ui->screen == UI_RESULTS_CODE)
            key(ui, index, now_ms, request);
        break;
    case UI_TARGET_RESULTS:
        ui->code[0] = 0;
        if (ui->has_results)
            show(ui, UI_RESULTS_CODE, now_ms);
        break;
    case UI_TARGET_RATE:
        ui->score = 0;
        memset(ui->reasons, 0, sizeof(ui->reasons));
        ui_rating_ticket(ui, "", "");
        show(ui, UI_RATE, now_ms);
        break;
    case UI_TARGET_FACE:
        if (ui->screen == UI_RATE && index >= 1 && index <= 5)
            ui->score = index;
        ui->dirty = true;
        break;
    case UI_TARGET_REASON:
        if (ui->screen == UI_RATE && index >= 0 && index < UI_REASONS)
            ui->reasons[index] = !ui->reasons[index];
        ui->dirty = true;
        break;
    case UI_TARGET_SUBMIT:
        if (ui->screen == UI_RATE && ui->score)
            submit(ui, now_ms, request);
        break;
    case UI_TARGET_TAKE_TICKET:
        if (ui->ndepartments == 1 || ui->printer_down || ui->backend_down) /* nothing to choose */
            take_ticket(ui, 0, now_ms, request);
        else
            show(ui, UI_DEPARTMENTS, now_ms);
        break;
    case UI_TARGET_DEPARTMENT:
        if (ui->screen == UI_DEPARTMENTS && index >= 0 && index < ui->ndepartments)
            take_ticket(ui, index, now_ms, request);
        break;
    case UI_TARGET_BACK:
        show(ui, UI_HOME, now_ms);
        break;
    case UI_TARGET_LANGUAGE:
        ui->english = ui->one_language ? ui->english : !ui->english;
        ui->dirty = true;
        break;
    case UI_TARGET_LARGE_TEXT:
        ui->large = !ui->large;
        ui->dirty = true;
        break;
    case UI_TARGET_NONE:
        break;
    }
}

/* Whether the patient waits for this answer: on its waiting screen, or gone back home (a
 * ticket in the queue is worth showing to whoever is still there). */
static bool waited_for(const struct ui *ui, bool check_in, bool issued)
{
    enum ui_screen wait = check_in ? UI_CHECKING : UI_ISSUING;
    return ui->screen == wait || (issued && (ui->screen == UI_HOME || ui->screen == UI_ATTRACT));
}

void ui_ticket_issued(struct ui *ui, bool check_in, const struct api_ticket *t, uint64_t now_ms)
{
    if (!check_in)
        ui->ticket_on_its_way = false;
    ui->ticket = *t;
    ui->printed = ui->print_failed = false; /* its ticket or slip goes to the printer now */
    if (waited_for(ui, check_in, true))
        show(ui, check_in ? UI_CHECKED_IN : UI_TICKET, now_ms);
}

void ui_ticket_refused(struct ui *ui, bool check_in, bool not_found, const char *problem,
                       uint64_t now_ms)
{
    if (!check_in)
        ui->ticket_on_its_way = false;
    snprintf(ui->problem, sizeof(ui->problem), "%s", problem);
    if (!waited_for(ui, check_in, false))
        return;
    ui->unavailable = check_in ? UI_NO_CHECK_IN : UI_NO_TICKET;
    show(ui, not_found ? UI_NOT_FOUND : UI_UNAVAILABLE, now_ms);
}

void ui_backend(struct ui *ui, bool reachable)
{
    if (ui->backend_down == reachable)
        ui->dirty = true;
    ui->backend_down = !reachable;
}

void ui_results_shown(struct ui *ui, bool ok, uint64_t now_ms)
{
    ui->printed = ui->print_failed = false;
    show(ui, ok ? UI_RESULTS : UI_RESULTS_ERROR, now_ms);
}

void ui_ticket_printed(struct ui *ui, bool printed)
{
    ui->printed = printed;
    ui->print_failed = !printed;
    ui->dirty = true;
}

bool ui_printer_stops_tickets(enum printer_fault fault)
{
    return fault == PRINTER_PAPER_OUT || fault == PRINTER_COVER_OPEN || fault == PRINTER_OFFLINE;
}

void ui_printer(struct ui *ui, enum printer_fault fault)
{
    if (fault != ui->printer)
        ui->dirty = true;
    ui->printer = fault;
    ui->printer_down = ui_printer_stops_tickets(fault);
}

/* When the current screen goes home by itself (0: never). */
static uint64_t home_at(const struct ui *ui)
{
    switch (ui->screen) {
    case UI_HOME:
    case UI_ATTRACT:
    case UI_ISSUING: /* waits for the answer, which is bounded by the request's timeout */
    case UI_CHECKING:
        return 0;
    case UI_TICKET:
    case UI_CHECKED_IN:
        return ui->shown_ms + (ui->print_failed ? UI_NOTE_MS : UI_RESULT_MS);
    case UI_UNAVAILABLE:
    case UI_NOT_FOUND:
    case UI_RESULTS:
    case UI_RESULTS_ERROR:
        return ui->shown_ms + UI_RESULT_MS;
    case UI_THANKS: /* long enough to dial or scan when a complaint is offered */
        return ui->shown_ms + (ui->offer_complaint ? UI_RESULT_MS : UI_RESULT_MS / 4);
    case UI_DEPARTMENTS:
    case UI_CHECK_IN:
    case UI_RATE:
    case UI_RESULTS_CODE:
        break;
    }
    return ui->input_ms + (uint64_t)ui->idle_ms;
}

/* When home turns into the attract screen (0: never, or not on home). */
static uint64_t attract_at(const struct ui *ui)
{
    if (ui->screen != UI_HOME || !ui->attract_ms)
        return 0;
    uint64_t since = ui->input_ms > ui->shown_ms ? ui->input_ms : ui->shown_ms;
    return since + (uint64_t)ui->attract_ms;
}

void ui_tick(struct ui *ui, uint64_t now_ms)
{
    uint64_t at = home_at(ui), attract = attract_at(ui);
    if (at && now_ms >= at) {
        ui->large = false; /* the next patient starts with the standard screen */
        ui->english = ui->default_english;
        show(ui, UI_HOME, now_ms);
    } else if (attract && now_ms >= attract) {
        show(ui, UI_ATTRACT, now_ms);
    }
}

int ui_timeout_ms(const struct ui *ui, uint64_t now_ms)
{
    uint64_t at = home_at(ui);
    if (!at)
        at = attract_at(ui);
    if (!at)
        return -1;
    return at > now_ms ? (int)(at - now_ms) : 0;
}

const char *ui_screen_name(enum ui_screen screen)
{
    static const char *const names[] = {[UI_HOME] = "home",
                                        [UI_DEPARTMENTS] = "departments",
                                        [UI_ISSUING] = "issuing",
                                        [UI_TICKET] = "ticket",
                                        [UI_UNAVAILABLE] = "unavailable",
                                        [UI_CHECK_IN] = "check_in",
                                        [UI_CHECKING] = "checking",
                                        [UI_CHECKED_IN] = "checked_in",
                                        [UI_NOT_FOUND] = "not_found",
                                        [UI_RATE] = "rate",
                                        [UI_THANKS] = "thanks",
                                        [UI_ATTRACT] = "attract",
                                        [UI_RESULTS_CODE] = "results_code",
                                        [UI_RESULTS] = "results",
                                        [UI_RESULTS_ERROR] = "results_error"};
    _Static_assert(sizeof(names) / sizeof(names[0]) == UI_RESULTS_ERROR + 1,
                   "a name for every screen");
    return names[screen];
}

bool ui_complaint_url(const char *survey_url, char *out, size_t size)
{
    static const char tail[] = "/r/{token}";
    size_t n = strlen(survey_url), t = sizeof(tail) - 1;
    if (n <= t || strcmp(survey_url + n - t, tail) != 0)
        return false;
    return snprintf(out, size, "%.*s/c", (int)(n - t), survey_url) < (int)size;
}
