/* kiosk_ui.c: the flows. A patient who walks away leaves the kiosk clean for the next one:
 * every screen but home times out, and nothing of a ticket stays on screen longer than it
 * takes to read it. */
#include <stdio.h>
#include <string.h>

#include "kiosk_ui.h"
#include "utf8.h"

static void show(struct ui *ui, enum ui_screen screen, uint64_t now_ms)
{
    ui->screen = screen;
    ui->shown_ms = now_ms;
    ui->dirty = true;
}

/* "zh|en" pairs separated by ";", spaces around each trimmed. */
static void read_departments(struct ui *ui, const char *list)
{
    char copy[1024];
    snprintf(copy, sizeof(copy), "%s", list);
    char *save = NULL;
    for (char *item = strtok_r(copy, ";", &save); item && ui->ndepartments < UI_DEPARTMENTS_MAX;
         item = strtok_r(NULL, ";", &save)) {
        char *bar = strchr(item, '|');
        if (bar)
            *bar = 0;
        struct ui_department *d = &ui->departments[ui->ndepartments];
        item += strspn(item, " ");
        utf8_copy(d->zh, sizeof(d->zh), item);
        utf8_copy(d->en, sizeof(d->en), bar ? bar + 1 + strspn(bar + 1, " ") : item);
        for (char *s = d->zh + strlen(d->zh); s > d->zh && s[-1] == ' ';)
            *--s = 0;
        if (d->zh[0])
            ui->ndepartments++;
    }
}

void ui_init(struct ui *ui, const struct config *config, uint64_t now_ms)
{
    memset(ui, 0, sizeof(*ui));
    ui->english = config->device.language == LANGUAGE_EN;
    ui->idle_ms = config->kiosk.idle_seconds * 1000;
    read_departments(ui, config->kiosk.departments);
    ui->input_ms = now_ms;
    show(ui, UI_HOME, now_ms);
}

static void take_ticket(struct ui *ui, int department, uint64_t now_ms, struct ui_request *r)
{
    ui->department = department;
    ui->printed = false;
    r->take_ticket = true;
    r->department = department;
    api_new_key(r->key);
    show(ui, UI_ISSUING, now_ms);
}

void ui_tap(struct ui *ui, enum ui_target target, int index, uint64_t now_ms,
            struct ui_request *request)
{
    memset(request, 0, sizeof(*request));
    ui->input_ms = now_ms;
    if (ui->screen == UI_ISSUING)
        return; /* the ticket is on its way: taps must not ask for another */
    switch (target) {
    case UI_TARGET_TAKE_TICKET:
        if (ui->ndepartments == 1) /* nothing to choose: two taps become one */
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
        ui->english = !ui->english;
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

void ui_ticket_issued(struct ui *ui, const struct api_ticket *t, uint64_t now_ms)
{
    ui->ticket = *t;
    show(ui, UI_TICKET, now_ms);
}

void ui_ticket_refused(struct ui *ui, const char *problem, uint64_t now_ms)
{
    snprintf(ui->problem, sizeof(ui->problem), "%s", problem);
    show(ui, UI_UNAVAILABLE, now_ms);
}

void ui_ticket_printed(struct ui *ui, bool printed)
{
    ui->printed = printed;
    ui->dirty = true;
}

/* When the current screen goes home by itself (0: never). */
static uint64_t home_at(const struct ui *ui)
{
    switch (ui->screen) {
    case UI_HOME:
    case UI_ISSUING: /* waits for the answer, which is bounded by the request's timeout */
        return 0;
    case UI_TICKET:
    case UI_UNAVAILABLE:
        return ui->shown_ms + UI_RESULT_MS;
    case UI_DEPARTMENTS:
        break;
    }
    return ui->input_ms + (uint64_t)ui->idle_ms;
}

void ui_tick(struct ui *ui, uint64_t now_ms)
{
    uint64_t at = home_at(ui);
    if (at && now_ms >= at) {
        ui->large = false; /* the next patient starts with the standard screen */
        show(ui, UI_HOME, now_ms);
    }
}

int ui_timeout_ms(const struct ui *ui, uint64_t now_ms)
{
    uint64_t at = home_at(ui);
    if (!at)
        return -1;
    return at > now_ms ? (int)(at - now_ms) : 0;
}

const char *ui_screen_name(enum ui_screen screen)
{
    static const char *const names[] = {"home", "departments", "issuing", "ticket", "unavailable"};
    return names[screen];
}
