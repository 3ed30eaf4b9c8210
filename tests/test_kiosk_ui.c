/* test_kiosk_ui.c: the kiosk's flows without a screen: two taps from home to a ticket request,
 * one request however often a patient taps, home again by itself, and touch targets that are
 * big enough, inside the screen and apart, in both orientations and in large-text mode. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <string.h>

#include "base/i18n.h"
#include "selfservice/kiosk_ui.h"
#include "selfservice/scanner.h"
#include "render/kiosk_layout.h"

static struct config config;

static int setup(void **state)
{
    (void)state;
    config_defaults(&config);
    return 0;
}

static void test_departments_from_config(void **state)
{
    (void)state;
    struct ui ui;
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments),
             " 内科 | Internal Medicine ;外科|Surgery| 刀 ; 儿科 ;;");
    ui_init(&ui, &config, 0);
    assert_int_equal(ui.ndepartments, 3);
    assert_string_equal(ui.departments[0].zh, "内科");
    assert_string_equal(ui.departments[0].en, "Internal Medicine");
    assert_string_equal(ui.departments[0].icon, "内"); /* no icon given: the first character */
    assert_string_equal(ui.departments[1].en, "Surgery");
    assert_string_equal(ui.departments[1].icon, "刀");
    assert_string_equal(ui.departments[2].zh, "儿科");
    assert_string_equal(ui.departments[2].en, "儿科"); /* no English given: the Chinese */
}

static void test_two_taps_to_one_ticket(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_false(r.take_ticket);
    assert_int_equal(ui.screen, UI_DEPARTMENTS);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 1, 200, &r);
    assert_true(r.take_ticket);
    assert_int_equal(r.department, 1);
    assert_int_equal(strlen(r.key), 36);
    assert_int_equal(ui.screen, UI_ISSUING);
    /* A double tap, an impatient tap: nothing more is asked for. */
    for (int i = 0; i < 3; i++) {
        ui_tap(&ui, UI_TARGET_DEPARTMENT, 1, 210 + i, &r);
        assert_false(r.take_ticket);
        ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 220 + i, &r);
        assert_false(r.take_ticket);
    }
    struct api_ticket t = {.ticket = "A045", .position = 3, .eta_min = 9};
    ui_ticket_issued(&ui, false, &t, 1000);
    assert_int_equal(ui.screen, UI_TICKET);
    assert_string_equal(ui.ticket.ticket, "A045");
    ui_ticket_printed(&ui, true);
    assert_true(ui.printed);
}

static void test_one_department_is_one_tap(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments), "发热门诊|Fever clinic");
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_true(r.take_ticket);
    assert_int_equal(r.department, 0);
}

static void test_home_again_by_itself(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    assert_int_equal(ui_timeout_ms(&ui, 0), 90000); /* home turns into the attract screen */
    ui_tap(&ui, UI_TARGET_LARGE_TEXT, 0, 0, &r);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 1000, &r);
    assert_int_equal(ui_timeout_ms(&ui, 1000), 45000);
    ui.dirty = false;
    ui_tick(&ui, 45999);
    assert_false(ui.dirty);
    ui_tick(&ui, 46000);
    assert_int_equal(ui.screen, UI_HOME);
    assert_false(ui.large); /* the next patient gets the standard screen */
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 50000, &r);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 0, 50100, &r);
    assert_int_equal(ui_timeout_ms(&ui, 50100), -1); /* waiting for the backend */
    ui_ticket_refused(&ui, false, false, "HTTP 503: the queue is full", 51000);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_string_equal(ui.problem, "HTTP 503: the queue is full");
    ui_tick(&ui, 51000 + UI_RESULT_MS);
    assert_int_equal(ui.screen, UI_HOME);
}

static void test_attract_screen_when_nobody_is_there(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    config.kiosk.attract_seconds = 90;
    ui_init(&ui, &config, 0);
    assert_int_equal(ui_timeout_ms(&ui, 0), 90000);
    ui_tap(&ui, UI_TARGET_LANGUAGE, 0, 30000, &r); /* a touch on home restarts the wait */
    ui_tick(&ui, 90000);
    assert_int_equal(ui.screen, UI_HOME);
    ui_tick(&ui, 120000);
    assert_int_equal(ui.screen, UI_ATTRACT);
    assert_int_equal(ui_timeout_ms(&ui, 120000), -1); /* it waits for a touch, asleep */
    ui_tap(&ui, UI_TARGET_WAKE, 0, 130000, &r);
    assert_int_equal(ui.screen, UI_HOME);
    assert_false(r.take_ticket);
    ui_tick(&ui, 130000 + 89999);
    assert_int_equal(ui.screen, UI_HOME);
    ui_scan(&ui, "198702", 200000, &r); /* a scan needs no waking first */
    assert_true(r.check_in);
    config.kiosk.attract_seconds = 0;
    ui_init(&ui, &config, 0);
    ui_tick(&ui, 10000000);
    assert_int_equal(ui.screen, UI_HOME);
    assert_int_equal(ui_timeout_ms(&ui, 0), -1);
}

static void test_language_switch(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    assert_false(ui.english);
    ui_tap(&ui, UI_TARGET_LANGUAGE, 0, 10, &r);
    assert_true(ui.english);
    config.device.language = LANGUAGE_EN;
    ui_init(&ui, &config, 0);
    assert_true(ui.english);
}

static void test_check_in_by_keypad_or_scan(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_CHECK_IN, 0, 10, &r);
    assert_int_equal(ui.screen, UI_CHECK_IN);
    const int keys[] = {1, 9, 8, UI_KEY_DELETE, 7, 0};
    for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
        ui_tap(&ui, UI_TARGET_KEY, keys[i], 20, &r);
    assert_string_equal(ui.code, "1970");
    ui_tap(&ui, UI_TARGET_KEY, UI_KEY_CONFIRM, 30, &r);
    assert_true(r.check_in);
    assert_string_equal(r.code, "1970");
    assert_int_equal(ui.screen, UI_CHECKING);
    ui_tap(&ui, UI_TARGET_KEY, UI_KEY_CONFIRM, 40, &r); /* impatient: nothing more */
    assert_false(r.check_in);
    struct api_ticket t = {.ticket = "A039", .room = "r1", .time = 1795001400};
    ui_ticket_issued(&ui, true, &t, 100);
    assert_int_equal(ui.screen, UI_CHECKED_IN);
    /* A scan works from any screen that is not waiting for an answer (but the rating's and
     * the results', where it is the patient's ticket). */
    ui_tap(&ui, UI_TARGET_BACK, 0, 150, &r);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 200, &r);
    ui_scan(&ui, "198702", 300, &r);
    assert_true(r.check_in);
    assert_string_equal(r.code, "198702");
    ui_ticket_refused(&ui, true, true, "HTTP 404: no appointment with this code today", 400);
    assert_int_equal(ui.screen, UI_NOT_FOUND);
}

/* A scanner that reads twice, a patient who scans again: one check-in, under one key. */
static void test_repeated_scans_are_one_check_in(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_scan(&ui, "198702", 100, &r);
    assert_true(r.check_in);
    char key[API_KEY_LEN];
    memcpy(key, r.key, sizeof(key));
    ui_scan(&ui, "198702", 150, &r); /* while the answer is on its way */
    assert_false(r.check_in);
    ui_ticket_refused(&ui, true, false, "no answer", 1000);
    ui_scan(&ui, "198702", 2000, &r); /* asked again: the backend sees the same action */
    assert_true(r.check_in);
    assert_string_equal(r.key, key);
    struct api_ticket t = {.ticket = "A039", .room = "r1", .priority = PRIORITY_APPOINTMENT};
    ui_ticket_issued(&ui, true, &t, 2500);
    ui_scan(&ui, "198702", 3000, &r); /* its confirmation is on screen: it stays there */
    assert_false(r.check_in);
    assert_int_equal(ui.screen, UI_CHECKED_IN);
    ui_scan(&ui, "250001", 3500, &r); /* another code is another patient */
    assert_true(r.check_in);
    assert_string_not_equal(r.key, key);
    ui_ticket_issued(&ui, true, &t, 4000);
    ui_scan(&ui, "198702", 4000 + UI_RESULT_MS, &r); /* long after: a new action */
    assert_true(r.check_in);
    assert_string_not_equal(r.key, key);
}

/* Results lookup: offered only with a results link; the keypad or a scan names the visit,
 * which the main loop turns into a code at once. */
static void test_results_lookup(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_RESULTS, 0, 10, &r);
    assert_int_equal(ui.screen, UI_HOME); /* no results_url: no results lookup */
    snprintf(config.qr.results_url, sizeof(config.qr.results_url), "https://r.example/{token}");
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_RESULTS, 0, 10, &r);
    assert_int_equal(ui.screen, UI_RESULTS_CODE);
    /* Four digits cannot be a visit number: refused in plain words, no code made for it. */
    for (int i = 1; i <= 4; i++)
        ui_tap(&ui, UI_TARGET_KEY, i, 20, &r);
    ui_tap(&ui, UI_TARGET_KEY, UI_KEY_CONFIRM, 30, &r);
    assert_false(r.results);
    assert_int_equal(ui.screen, UI_RESULTS_ERROR);
    ui_tap(&ui, UI_TARGET_RESULTS, 0, 35, &r);
    for (int i = 0; i < UI_VISIT_MIN; i++)
        ui_tap(&ui, UI_TARGET_KEY, 4 - i % 3, 36, &r);
    ui_tap(&ui, UI_TARGET_KEY, UI_KEY_CONFIRM, 40, &r);
    assert_true(r.results);
    assert_false(r.check_in);
    assert_string_equal(r.code, "432432");
    snprintf(ui.visit, sizeof(ui.visit), "432432");
    ui_results_shown(&ui, true, 50);
    assert_int_equal(ui.screen, UI_RESULTS);
    assert_false(ui.printed);
    ui_tap(&ui, UI_TARGET_RESULTS, 0, 60, &r);
    ui_scan(&ui, "https://s.example/r/AQID", 70, &r); /* on this screen a scan is the visit */
    assert_true(r.results);
    assert_false(r.check_in);
    ui_results_shown(&ui, false, 80);
    assert_int_equal(ui.screen, UI_RESULTS_ERROR);
    ui_tick(&ui, 80 + UI_RESULT_MS);
    assert_int_equal(ui.screen, UI_HOME); /* nothing of it stays for the next patient */
}

static void test_rating_faces_reasons_and_mashing(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    config.kiosk.rating_interval_s = 20;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_RATE, 0, 1000, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 1100, &r); /* no face yet: nothing to send */
    assert_false(r.rate);
    assert_int_equal(ui.screen, UI_RATE);
    ui_tap(&ui, UI_TARGET_FACE, 2, 1200, &r);
    ui_tap(&ui, UI_TARGET_REASON, 0, 1300, &r);
    ui_tap(&ui, UI_TARGET_REASON, 3, 1400, &r);
    ui_tap(&ui, UI_TARGET_REASON, 3, 1500, &r); /* chosen, then not */
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 1600, &r);
    assert_true(r.rate);
    assert_int_equal(r.rating.score, 2);
    assert_int_equal(r.rating.nreasons, 1);
    assert_string_equal(r.rating.reasons[0], "waited too long");
    assert_int_equal(ui.screen, UI_THANKS);
    /* Straight back for another five stars: thanked, not counted. */
    ui_tap(&ui, UI_TARGET_RATE, 0, 2000, &r);
    ui_tap(&ui, UI_TARGET_FACE, 5, 2100, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 2200, &r);
    assert_false(r.rate);
    assert_int_equal(ui.screen, UI_THANKS);
    ui_tap(&ui, UI_TARGET_RATE, 0, 21600, &r);
    ui_tap(&ui, UI_TARGET_FACE, 5, 21600, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 21600, &r);
    assert_true(r.rate);
    ui_tick(&ui, 21600 + UI_RESULT_MS / 4);
    assert_int_equal(ui.screen, UI_HOME);
}

static void test_scanner_bursts_and_typing(void **state)
{
    (void)state;
    struct scanner s = {0};
    char code[SCANNER_MAX + 1];
    const char *scan = "198702";
    for (int i = 0; scan[i]; i++)
        scanner_char(&s, scan[i], 1000 + (uint64_t)i * 8);
    assert_true(scanner_enter(&s, 1050, code));
    assert_string_equal(code, "198702");
    for (int i = 0; scan[i]; i++) /* a person: 150 ms a key */
        scanner_char(&s, scan[i], 2000 + (uint64_t)i * 150);
    assert_false(scanner_enter(&s, 2900, code));
    scanner_char(&s, '1', 3000); /* a stray key, then a scan */
    for (int i = 0; scan[i]; i++)
        scanner_char(&s, scan[i], 3500 + (uint64_t)i * 5);
    assert_true(scanner_enter(&s, 3540, code));
    assert_string_equal(code, "198702");
    scanner_char(&s, '1', 4000);
    scanner_char(&s, '2', 4005);
    assert_false(scanner_enter(&s, 4010, code)); /* too short to be a code */
    scanner_char(&s, '1', 5000);
    scanner_char(&s, ' ', 5001);
    scanner_char(&s, '2', 5002);
    scanner_char(&s, '3', 5003);
    scanner_char(&s, '4', 5004);
    assert_false(scanner_enter(&s, 5005, code)); /* not a code's characters */
}

static bool overlap(struct box a, struct box b)
{
    return a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h;
}

/* Every target inside the screen, apart from the others, and at least 15 mm tall on a 21.5"
 * 1080x1920 touchscreen (0.248 mm per pixel: 60 px). */
static void check_targets(const struct kiosk_layout *l, int w, int h)
{
    int min = (int)(60 * l->scale);
    for (int i = 0; i < l->nbuttons; i++) {
        struct box b = l->buttons[i].box;
        if (b.x < 0 || b.y < 0 || b.x + b.w > w || b.y + b.h > h)
            fail_msg("%dx%d: button %d off screen", w, h, i);
        if (b.h < min || b.w < min)
            fail_msg("%dx%d: button %d is %dx%d, under 15 mm", w, h, i, b.w, b.h);
        if (overlap(b, l->notice_bar))
            fail_msg("%dx%d: button %d under the notice bar", w, h, i);
        for (int j = 0; j < i; j++)
            if (overlap(b, l->buttons[j].box))
                fail_msg("%dx%d: buttons %d and %d overlap", w, h, i, j);
        int index;
        enum ui_target hit = kiosk_layout_hit(l, b.x + b.w / 2, b.y + b.h / 2, &index);
        assert_int_equal(hit, l->buttons[i].target);
        assert_int_equal(index, l->buttons[i].index);
    }
}

/* A code on screen: square, inside the screen, clear of every target and of its own words,
 * and large enough to scan from a phone: 200 design pixels (50 mm on the 21.5" design
 * screen), at least 3 pixels per module of a version 6 code there. */
static void check_codes(const struct kiosk_layout *l, int w, int h)
{
    if (!l->qr.w)
        return;
    struct box screen = {0, 0, w, h};
    assert_true(overlap(l->qr, screen) && l->qr.x + l->qr.w <= w && l->qr.y + l->qr.h <= h);
    assert_int_equal(l->qr.w, l->qr.h);
    assert_true(l->qr.w >= (int)(200 * l->scale));
    for (int i = 0; i < l->nbuttons; i++)
        if (overlap(l->qr, l->buttons[i].box))
            fail_msg("%dx%d: the code overlaps button %d", w, h, i);
    const struct line *words[] = {&l->qr_title, &l->qr_hint, &l->card_lines[0], &l->card_lines[1],
                                  &l->card_lines[2]};
    for (int i = 0; i < 5; i++)
        if (words[i]->box.w && overlap(l->qr, words[i]->box))
            fail_msg("%dx%d: the code overlaps its words (%d)", w, h, i);
}

/* A card (ticket, message, code field) clear of every target, its lines inside it, one
 * under the other. */
static void check_card(const struct kiosk_layout *l, int w, int h)
{
    if (!l->card.w)
        return;
    if (l->card.x < 0 || l->card.y < 0 || l->card.x + l->card.w > w || l->card.y + l->card.h > h)
        fail_msg("%dx%d: the card is off screen", w, h);
    for (int i = 0; i < l->nbuttons; i++)
        if (overlap(l->card, l->buttons[i].box))
            fail_msg("%dx%d: the card overlaps button %d", w, h, i);
    for (int i = 0; i < 6 && l->card_lines[i].size; i++) {
        struct box b = l->card_lines[i].box;
        if (b.y < l->card.y || b.y + b.h > l->card.y + l->card.h)
            fail_msg("%dx%d: card line %d is outside the card", w, h, i);
        if (i > 0 && overlap(b, l->card_lines[i - 1].box))
            fail_msg("%dx%d: card lines %d and %d overlap", w, h, i - 1, i);
    }
}

/* Buttons with an icon keep it inside, left of the words. */
/* While the printer is known not to print, no ticket is asked for: the patient is sent to the
 * desk before the backend puts a number nobody holds into the queue. A state nobody knows (a
 * one-way printer never answers) is not a fault. */
static void test_no_ticket_while_the_printer_cannot_print(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_printer(&ui, PRINTER_PAPER_OUT);
    assert_true(ui.printer_down);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_false(r.take_ticket);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_int_equal(ui.unavailable, UI_NO_PRINTER);
    /* A department screen left open when the paper ran out asks for nothing either. */
    ui_printer(&ui, PRINTER_OK);
    ui_tap(&ui, UI_TARGET_BACK, 0, 200, &r);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 300, &r);
    assert_int_equal(ui.screen, UI_DEPARTMENTS);
    ui_printer(&ui, PRINTER_COVER_OPEN);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 0, 400, &r);
    assert_false(r.take_ticket);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    const enum printer_fault stops[] = {PRINTER_PAPER_OUT, PRINTER_COVER_OPEN, PRINTER_OFFLINE};
    for (int i = 0; i < 3; i++)
        assert_true(ui_printer_stops_tickets(stops[i]));
    assert_false(ui_printer_stops_tickets(PRINTER_OK));
    assert_false(ui_printer_stops_tickets(PRINTER_NO_ANSWER));
    assert_false(ui_printer_stops_tickets(PRINTER_FAILED));
}

/* A ticket issued just before the printer failed is in the queue: its number stays on screen
 * long enough to write down (a minute, not 20 s). */
static void test_unprinted_ticket_stays_to_be_noted(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments), "内科");
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    assert_true(r.take_ticket);
    struct api_ticket t = {.ticket = "A040", .position = 3, .eta_min = 9};
    ui_ticket_issued(&ui, false, &t, 1000);
    ui_ticket_printed(&ui, false);
    assert_true(ui.print_failed);
    ui_tick(&ui, 1000 + UI_RESULT_MS);
    assert_int_equal(ui.screen, UI_TICKET);
    assert_true(ui_timeout_ms(&ui, 1000) >= UI_NOTE_MS - 1);
    ui_tick(&ui, 1000 + UI_NOTE_MS);
    assert_int_equal(ui.screen, UI_HOME);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 200000, &r);
    assert_false(ui.print_failed); /* the next ticket starts afresh */
}

/* While the kiosk knows the backend is unreachable, tickets and check-ins say so at once
 * instead of after a wait; ratings and results need no backend and still work. */
static void test_backend_down_is_said_before_the_wait(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_backend(&ui, false);
    assert_true(ui.backend_down);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r); /* said at once: no department to choose */
    assert_false(r.take_ticket);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_int_equal(ui.unavailable, UI_NO_TICKET);
    ui_tap(&ui, UI_TARGET_BACK, 0, 200, &r);
    ui_tap(&ui, UI_TARGET_CHECK_IN, 0, 300, &r);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_int_equal(ui.unavailable, UI_NO_CHECK_IN);
    ui_tap(&ui, UI_TARGET_BACK, 0, 400, &r);
    ui_scan(&ui, "198702", 500, &r);
    assert_false(r.check_in);
    assert_int_equal(ui.unavailable, UI_NO_CHECK_IN);
    ui_tap(&ui, UI_TARGET_RATE, 0, 600, &r);
    assert_int_equal(ui.screen, UI_RATE);
    ui_backend(&ui, true);
    ui_tap(&ui, UI_TARGET_BACK, 0, 700, &r);
    ui_scan(&ui, "198702", 800, &r);
    assert_true(r.check_in);
}

/* Every waiting screen has a way back; the answer still comes, and a ticket on its way is
 * not asked for twice. A failed check-in has its own words. */
static void test_every_wait_has_a_way_back(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    struct kiosk_layout l;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 100, &r);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 0, 200, &r);
    assert_true(r.take_ticket);
    const enum ui_screen waits[] = {UI_ISSUING, UI_CHECKING};
    for (int i = 0; i < 2; i++) {
        struct ui w = ui;
        w.screen = waits[i];
        kiosk_layout_compute(&l, 1080, 1920, &w);
        bool back = false;
        for (int b = 0; b < l.nbuttons; b++)
            back = back || l.buttons[b].target == UI_TARGET_BACK;
        assert_true(back);
    }
    ui_tap(&ui, UI_TARGET_BACK, 0, 300, &r);
    assert_int_equal(ui.screen, UI_HOME);
    ui_tap(&ui, UI_TARGET_TAKE_TICKET, 0, 400, &r);
    ui_tap(&ui, UI_TARGET_DEPARTMENT, 0, 500, &r);
    assert_false(r.take_ticket); /* the first is still on its way: waited for, not doubled */
    assert_int_equal(ui.screen, UI_ISSUING);
    ui_tap(&ui, UI_TARGET_BACK, 0, 600, &r);
    struct api_ticket t = {.ticket = "A046", .position = 2, .eta_min = 6};
    ui_ticket_issued(&ui, false, &t, 1000); /* still at the kiosk, on home: shown */
    assert_int_equal(ui.screen, UI_TICKET);
    ui_tap(&ui, UI_TARGET_BACK, 0, 1100, &r);
    ui_tap(&ui, UI_TARGET_CHECK_IN, 0, 1200, &r);
    ui_scan(&ui, "198702", 1300, &r);
    assert_int_equal(ui.screen, UI_CHECKING);
    ui_ticket_refused(&ui, true, false, "no answer", 2000);
    assert_int_equal(ui.screen, UI_UNAVAILABLE);
    assert_int_equal(ui.unavailable, UI_NO_CHECK_IN); /* not "tickets are not available" */
    ui_tap(&ui, UI_TARGET_BACK, 0, 2100, &r);
    ui_scan(&ui, "198703", 2200, &r);
    ui_tap(&ui, UI_TARGET_BACK, 0, 2300, &r);
    ui_tap(&ui, UI_TARGET_RATE, 0, 2400, &r);
    ui_ticket_refused(&ui, true, false, "no answer", 3000); /* the patient moved on */
    assert_int_equal(ui.screen, UI_RATE);
}

static bool has_target(const struct kiosk_layout *l, enum ui_target target)
{
    for (int i = 0; i < l->nbuttons; i++)
        if (l->buttons[i].target == target)
            return true;
    return false;
}

/* [device] language = zh is a Chinese-only kiosk: no English under anything, no button to
 * switch; the large-text button is on every screen (docs/kiosk.md says so), and in large
 * text the reason chips keep their words well inside their borders, one line a language. */
static void test_one_language_and_large_text_everywhere(void **state)
{
    (void)state;
    const enum ui_screen screens[] = {UI_HOME,        UI_DEPARTMENTS,  UI_ISSUING,  UI_TICKET,
                                      UI_UNAVAILABLE, UI_CHECK_IN,     UI_CHECKING, UI_CHECKED_IN,
                                      UI_NOT_FOUND,   UI_RATE,         UI_THANKS,   UI_RESULTS_CODE,
                                      UI_RESULTS,     UI_RESULTS_ERROR};
    const int sizes[][2] = {{1080, 1920}, {1920, 1080}};
    struct ui ui;
    struct ui_request r;
    struct kiosk_layout l;
    snprintf(config.qr.results_url, sizeof(config.qr.results_url), "https://r.example/{token}");
    for (int language = 0; language < 2; language++) {
        config.device.language = language ? LANGUAGE_ZH_EN : LANGUAGE_ZH;
        ui_init(&ui, &config, 0);
        assert_int_equal(ui.one_language, !language);
        ui_tap(&ui, UI_TARGET_LANGUAGE, 0, 10, &r);
        assert_int_equal(ui.english, language); /* nothing to switch to when Chinese only */
        for (size_t s = 0; s < 2; s++)
            for (int large = 0; large < 2; large++)
                for (size_t k = 0; k < sizeof(screens) / sizeof(screens[0]); k++) {
                    ui.large = large;
                    ui.screen = screens[k];
                    kiosk_layout_compute(&l, sizes[s][0], sizes[s][1], &ui);
                    assert_int_equal(has_target(&l, UI_TARGET_LANGUAGE), language);
                    assert_true(has_target(&l, UI_TARGET_LARGE_TEXT));
                    for (int i = 0; i < l.nbuttons; i++) {
                        const struct kiosk_button *b = &l.buttons[i];
                        if (b->target != UI_TARGET_REASON)
                            continue;
                        int pad = (int)(20 * l.scale);
                        assert_true(b->label.box.x - b->box.x >= pad);
                        assert_true(b->box.x + b->box.w - (b->label.box.x + b->label.box.w) >= pad);
                        assert_true(b->label.box.y - b->box.y >= pad / 2);
                        assert_true(b->box.y + b->box.h - (b->sublabel.box.y + b->sublabel.box.h) >=
                                    pad / 2);
                    }
                }
    }
}

/* The call screen's results board must not promise what the kiosk does not do: the kiosk
 * prints a code for the phone, never the results. */
static void test_no_word_promises_printed_results(void **state)
{
    (void)state;
    const enum text_id ids[] = {TEXT_RESULTS_HINT, TEXT_RESULTS_READY, TEXT_KIOSK_RESULTS,
                                TEXT_KIOSK_SCAN_RESULTS};
    for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++) {
        assert_null(strstr(i18n_text(ids[i], LANG_EN), "Print"));
        assert_null(strstr(i18n_text(ids[i], LANG_ZH), "打印"));
    }
    assert_non_null(strstr(i18n_text(TEXT_KIOSK_NO_PHONE, LANG_ZH), "服务台"));
}

/* An unhappy rating (1 or 2) is not the end: the thanks offer the complaints number and
 * kiosk-hub's complaint form, long enough to dial or scan; a happy one just thanks. */
static void test_unhappy_rating_offers_the_complaint_channel(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    char url[256];
    assert_true(ui_complaint_url("https://hub.example:8443/r/{token}", url, sizeof(url)));
    assert_string_equal(url, "https://hub.example:8443/c");
    assert_false(ui_complaint_url("https://survey.example/q?t={token}", url, sizeof(url)));
    assert_false(ui_complaint_url("", url, sizeof(url)));
    snprintf(config.kiosk.complaints_phone, sizeof(config.kiosk.complaints_phone), "010-12345678");
    for (int score = 1; score <= 5; score++) {
        ui_init(&ui, &config, 0);
        ui_tap(&ui, UI_TARGET_RATE, 0, 100, &r);
        ui_tap(&ui, UI_TARGET_FACE, score, 200, &r);
        ui_tap(&ui, UI_TARGET_REASON, 0, 300, &r);
        ui_tap(&ui, UI_TARGET_SUBMIT, 0, 400, &r);
        assert_true(r.rate);
        assert_int_equal(ui.screen, UI_THANKS);
        assert_int_equal(ui.offer_complaint, score <= 2);
        assert_int_equal(ui_timeout_ms(&ui, 400), score <= 2 ? UI_RESULT_MS : UI_RESULT_MS / 4);
    }
    config.kiosk.complaints_phone[0] = 0; /* nothing to offer: thanks alone */
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_RATE, 0, 100, &r);
    ui_tap(&ui, UI_TARGET_FACE, 1, 200, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 400, &r);
    assert_false(ui.offer_complaint);
    snprintf(config.qr.survey_url, sizeof(config.qr.survey_url), "https://hub.example/r/{token}");
    ui_init(&ui, &config, 0);
    assert_true(ui.has_complaints); /* the form alone is enough */
}

/* The patient may scan their ticket on the rating screen: it goes with the rating (and its
 * room with it), it is not taken for a check-in, and the next patient starts without it. */
static void test_rating_carries_a_scanned_ticket(void **state)
{
    (void)state;
    struct ui ui;
    struct ui_request r;
    ui_init(&ui, &config, 0);
    ui_tap(&ui, UI_TARGET_RATE, 0, 100, &r);
    ui_scan(&ui, "https://s.example/r/AQID", 200, &r);
    assert_true(r.attach);
    assert_false(r.check_in);
    assert_string_equal(r.code, "https://s.example/r/AQID");
    assert_int_equal(ui.screen, UI_RATE);
    ui_rating_ticket(&ui, "A038", "r1");
    ui_tap(&ui, UI_TARGET_FACE, 2, 300, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 400, &r);
    assert_true(r.rate);
    assert_string_equal(r.rating.ticket, "A038");
    assert_string_equal(r.rating.room, "r1");
    ui_tap(&ui, UI_TARGET_BACK, 0, 500, &r);
    ui_tap(&ui, UI_TARGET_RATE, 0, 100000, &r);
    ui_tap(&ui, UI_TARGET_FACE, 5, 100100, &r);
    ui_tap(&ui, UI_TARGET_SUBMIT, 0, 100200, &r);
    assert_string_equal(r.rating.ticket, ""); /* optional, and never the last patient's */
}

static void check_icons(const struct kiosk_layout *l)
{
    for (int i = 0; i < l->nbuttons; i++) {
        const struct kiosk_button *b = &l->buttons[i];
        if (!b->icon.w)
            continue;
        assert_true(b->icon.x >= b->box.x && b->icon.y >= b->box.y &&
                    b->icon.y + b->icon.h <= b->box.y + b->box.h);
        assert_true(b->icon.x + b->icon.w < b->label.box.x);
        assert_true(b->label.box.x + b->label.box.w <= b->box.x + b->box.w);
    }
}

static void test_targets_at_every_size(void **state)
{
    (void)state;
    const int sizes[][2] = {{1080, 1920}, {1920, 1080}, {768, 1366}, {1280, 800}, {600, 1024}};
    const enum ui_screen screens[] = {UI_HOME,        UI_DEPARTMENTS,  UI_ISSUING,  UI_TICKET,
                                      UI_UNAVAILABLE, UI_CHECK_IN,     UI_CHECKING, UI_CHECKED_IN,
                                      UI_NOT_FOUND,   UI_RATE,         UI_THANKS,   UI_RESULTS_CODE,
                                      UI_RESULTS,     UI_RESULTS_ERROR};
    snprintf(config.kiosk.departments, sizeof(config.kiosk.departments),
             "内科;外科;儿科;妇产科;眼科;口腔科;皮肤科;中医科");
    snprintf(config.qr.results_url, sizeof(config.qr.results_url), "https://r.example/{token}");
    snprintf(config.qr.survey_url, sizeof(config.qr.survey_url), "https://s.example/{token}");
    for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++)
        for (int large = 0; large < 2; large++)
            for (size_t k = 0; k < sizeof(screens) / sizeof(screens[0]); k++) {
                struct ui ui;
                struct kiosk_layout l;
                ui_init(&ui, &config, 0);
                ui.large = large;
                ui.screen = screens[k];
                kiosk_layout_compute(&l, sizes[s][0], sizes[s][1], &ui);
                check_targets(&l, sizes[s][0], sizes[s][1]);
                if (screens[k] == UI_DEPARTMENTS)
                    assert_int_equal(l.nbuttons, 8 + 3); /* + language, back, large text */
                if (screens[k] == UI_HOME)
                    assert_int_equal(l.nbuttons, 4 + 2); /* services, language, large text */
                if (screens[k] == UI_CHECK_IN || screens[k] == UI_RESULTS_CODE)
                    assert_int_equal(l.nbuttons, 12 + 3);
                if (screens[k] == UI_RATE)
                    assert_int_equal(l.nbuttons, 5 + UI_REASONS + 1 + 3);
                check_codes(&l, sizes[s][0], sizes[s][1]);
                check_card(&l, sizes[s][0], sizes[s][1]);
                check_icons(&l);
            }
}

static void test_nothing_to_hit_between_targets(void **state)
{
    (void)state;
    struct ui ui;
    struct kiosk_layout l;
    int index;
    ui_init(&ui, &config, 0);
    kiosk_layout_compute(&l, 1080, 1920, &ui);
    assert_int_equal(kiosk_layout_hit(&l, 5, 1000, &index), UI_TARGET_NONE);
    assert_int_equal(index, -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_departments_from_config, setup),
        cmocka_unit_test_setup(test_two_taps_to_one_ticket, setup),
        cmocka_unit_test_setup(test_one_department_is_one_tap, setup),
        cmocka_unit_test_setup(test_home_again_by_itself, setup),
        cmocka_unit_test_setup(test_attract_screen_when_nobody_is_there, setup),
        cmocka_unit_test_setup(test_language_switch, setup),
        cmocka_unit_test_setup(test_no_ticket_while_the_printer_cannot_print, setup),
        cmocka_unit_test_setup(test_unprinted_ticket_stays_to_be_noted, setup),
        cmocka_unit_test_setup(test_backend_down_is_said_before_the_wait, setup),
        cmocka_unit_test_setup(test_every_wait_has_a_way_back, setup),
        cmocka_unit_test_setup(test_one_language_and_large_text_everywhere, setup),
        cmocka_unit_test_setup(test_no_word_promises_printed_results, setup),
        cmocka_unit_test_setup(test_unhappy_rating_offers_the_complaint_channel, setup),
        cmocka_unit_test_setup(test_rating_carries_a_scanned_ticket, setup),
        cmocka_unit_test_setup(test_check_in_by_keypad_or_scan, setup),
        cmocka_unit_test_setup(test_repeated_scans_are_one_check_in, setup),
        cmocka_unit_test_setup(test_results_lookup, setup),
        cmocka_unit_test_setup(test_rating_faces_reasons_and_mashing, setup),
        cmocka_unit_test_setup(test_scanner_bursts_and_typing, setup),
        cmocka_unit_test_setup(test_targets_at_every_size, setup),
        cmocka_unit_test_setup(test_nothing_to_hit_between_targets, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
