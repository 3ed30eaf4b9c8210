/* kiosk_layout.c: designed at 1080x1920 (the usual kiosk touchscreen) and scaled; on a
 * landscape screen the same column, shorter, sits in the middle. Large text multiplies every size
 * by 1.3 and the content stays one column, so nothing needs reading across. */
#include <math.h>
#include <stdlib.h>

#include "render/kiosk_layout.h"

#define DESIGN_W 1080
#define DESIGN_H 1920

/* A rectangle in design units. */
struct rect {
    float x, y, w, h;
};

struct pen {
    float s, k;        /* pixels per design unit; large-text factor */
    float x0, w;       /* the content column, design units */
    bool one_language; /* no second line under a button's label: the label is centred */
};

static int px(const struct pen *p, float v)
{
    return (int)lroundf(v * p->s);
}

static struct box box_at(const struct pen *p, float x, float y, float w, float h)
{
    int left = px(p, x), top = px(p, y);
    return (struct box){left, top, px(p, x + w) - left, px(p, y + h) - top};
}

/* Square in pixels, whatever the rounding of its corners. */
static struct box square_at(const struct pen *p, float x, float y, float side)
{
    return (struct box){px(p, x), px(p, y), px(p, side), px(p, side)};
}

static struct line line_at(const struct pen *p, float x, float y, float w, float size)
{
    struct line l = {box_at(p, x, y, w, size), px(p, size), 0};
    l.baseline = l.box.y + px(p, size * 0.88f);
    return l;
}

static struct kiosk_button *next_button(struct kiosk_layout *l)
{
    if (l->nbuttons == KIOSK_BUTTONS_MAX)
        abort(); /* a screen with more targets than the layout holds: a bug, found by tests */
    return &l->buttons[l->nbuttons++];
}

/* A button at x, y, w x h, with a label and a smaller second line, and an icon disc before
 * them when icon is set. Both lines shrink together when the button is short. */
static void button(struct kiosk_layout *l, const struct pen *p, struct rect at,
                   enum ui_target target, int index, bool icon)
{
    struct kiosk_button *b = next_button(l);
    float x0 = at.x, y = at.y, w = at.w, h = at.h;
    float fit = fminf(1, h * 0.8f / ((64 + 34) * p->k + 10));
    float label = 64 * p->k * fit, sub = 34 * p->k * fit, pad = 48;
    float under = p->one_language ? 0 : 10 + sub;
    float top = y + (h - label - under) / 2, disc = fminf(h * 0.66f, 150 * p->k);
    float x = x0 + pad + (icon ? disc + 40 : 0);
    b->box = box_at(p, x0, y, w, h);
    b->target = target;
    b->index = index;
    b->icon = icon ? box_at(p, x0 + pad, y + (h - disc) / 2, disc, disc) : (struct box){0};
    b->label = line_at(p, x, top, x0 + w - pad - x, label);
    b->sublabel = line_at(p, x, top + label + 10, x0 + w - pad - x, sub);
}

/* n big buttons from y down to bottom, one column, or two on a wide (landscape) column:
 * targets[i] each, or all the same target with their index. */
static void grid(struct kiosk_layout *l, const struct pen *p, float y, float bottom, int n,
                 float max_h, const enum ui_target *targets, enum ui_target same)
{
    int columns = p->w > 1200 ? 2 : 1, rows = (n + columns - 1) / columns;
    float gap = 28, w = (p->w - (float)(columns - 1) * gap) / (float)columns;
    float h = fminf(max_h * p->k, (bottom - y - (float)(rows - 1) * gap) / (float)rows);
    for (int i = 0; i < n; i++) {
        int row = i / columns, column = i % columns;
        struct rect at = {p->x0 + (float)column * (w + gap), y + (float)row * (h + gap), w, h};
        button(l, p, at, targets ? targets[i] : same, targets ? 0 : i, true);
    }
}

/* A small button in the top bar or at the bottom. */
static void small_button(struct kiosk_layout *l, const struct pen *p, float x, float y, float w,
                         enum ui_target target)
{
    struct kiosk_button *b = next_button(l);
    float h = 96, size = 36 * (p->k > 1 ? 1.15f : 1);
    b->box = box_at(p, x, y, w, h);
    b->target = target;
    b->index = 0;
    b->label = line_at(p, x + 16, y + (h - size) / 2, w - 32, size);
    b->sublabel = (struct line){{0, 0, 0, 0}, 0, 0};
}

static void home(struct kiosk_layout *l, const struct pen *p, const struct ui *ui, float y,
                 float bottom)
{
    const enum ui_target all[] = {UI_TARGET_TAKE_TICKET, UI_TARGET_CHECK_IN, UI_TARGET_RESULTS,
                                  UI_TARGET_RATE};
    enum ui_target targets[4];
    int n = 0;
    for (int i = 0; i < 4; i++)
        if (all[i] != UI_TARGET_RESULTS || ui->has_results)
            targets[n++] = all[i];
    grid(l, p, y, bottom - 20, n, 280, targets, UI_TARGET_NONE); /* apart from large text */
}

/* A box-shaped target with one centred label: a key, a face, a reason. */
static void tile(struct kiosk_layout *l, const struct pen *p, float x, float y, float w, float h,
                 float size, enum ui_target target, int index)
{
    struct kiosk_button *b = next_button(l);
    b->box = box_at(p, x, y, w, h);
    b->target = target;
    b->index = index;
    b->label = line_at(p, x + 8, y + (h - size) / 2, w - 16, size);
    b->sublabel = b->label; /* keys and faces have one line */
}

/* A reason chip: its words in the patient's language over the other's, each on its own line
 * at full size, well inside the border (a single line, centred, on a one-language kiosk). */
static void chip(struct kiosk_layout *l, const struct pen *p, struct rect at, float f,
                 bool one_language, int index)
{
    struct kiosk_button *b = next_button(l);
    float size = 34 * p->k * f, sub = one_language ? 0 : 26 * p->k * f, gap = sub ? 6 : 0;
    float pad = 24, top = at.y + (at.h - size - gap - sub) / 2;
    b->box = box_at(p, at.x, at.y, at.w, at.h);
    b->target = UI_TARGET_REASON;
    b->index = index;
    b->label = line_at(p, at.x + pad, top, at.w - 2 * pad, size);
    b->sublabel = sub ? line_at(p, at.x + pad, top + size + gap, at.w - 2 * pad, sub) : b->label;
}

/* A square code at x, y; its title and hint (two languages) beside it, or under it when
 * below is set. */
static void code_at(struct kiosk_layout *l, const struct pen *p, float x, float y, float side,
                    bool below)
{
    float tx = below ? x : x + side + 40, w = p->x0 + p->w - tx;
    float ty = below ? y + side + 30 : y + side / 2 - 50 * p->k;
    l->qr = square_at(p, x, y, side);
    l->qr_title = line_at(p, tx, ty, w, 44 * p->k);
    l->qr_hint = line_at(p, tx, ty + 56 * p->k, w, 34 * p->k);
}

/* The code typed so far over a 3 x 4 keypad: 1-9, delete, 0, confirm. */
static void keypad(struct kiosk_layout *l, const struct pen *p, float y, float bottom)
{
    static const int keys[] = {1, 2, 3, 4, 5, 6, 7, 8, 9, UI_KEY_DELETE, 0, UI_KEY_CONFIRM};
    float gap = 24, w = (p->w - 2 * gap) / 3, field = 140;
    l->card = box_at(p, p->x0, y, p->w, field);
    l->card_lines[0] = line_at(p, p->x0 + 40, y + (field - 80) / 2, p->w - 80, 80);
    y += field + gap;
    float h = fminf(150 * p->k, (bottom - y - 3 * gap) / 4);
    for (int i = 0; i < 12; i++) {
        int row = i / 3, column = i % 3;
        tile(l, p, p->x0 + (float)column * (w + gap), y + (float)row * (h + gap), w, h, 64 * p->k,
             UI_TARGET_KEY, keys[i]);
    }
}

/* Five faces in a row, the reasons as chips under them, and the submit button; under them
 * the code to rate on the phone instead, when there is one. */
static void faces(struct kiosk_layout *l, const struct pen *p, const struct ui *ui, float y,
                  float bottom)
{
    /* The phone's code goes under the faces on a tall screen, beside them on a wide one. */
    struct pen narrow = *p;
    if (ui->has_survey && p->w > 1200) {
        narrow.w = p->w - 520;
        code_at(l, p, p->x0 + narrow.w + 80, y, 260, true);
    } else if (ui->has_survey) {
        code_at(l, p, p->x0, bottom - 220, 220, false);
        bottom -= 220 + 40;
    }
    p = &narrow;
    /* Short screens (landscape, large text) shrink the three rows together. */
    float gap = 16, rows = (230 + 2 * 110 + 150 + 34) * p->k, spaces = 2 * 40 + gap + 24;
    float f = fminf(1, (bottom - y - spaces) / rows), w = (p->w - 4 * gap) / 5, h = 230 * p->k * f;
    for (int i = 0; i < 5; i++)
        tile(l, p, p->x0 + (float)i * (w + gap), y, w, h, 30 * p->k, UI_TARGET_FACE, i + 1);
    y += h + 40;
    float chip_w = (p->w - gap) / 2, chip_h = 110 * p->k * f;
    for (int i = 0; i < UI_REASONS; i++) {
        int row = i / 2, column = i % 2;
        struct rect at = {p->x0 + (float)column * (chip_w + gap), y + (float)row * (chip_h + gap),
                          chip_w, chip_h};
        chip(l, p, at, f, ui->one_language, i);
    }
    y += 2 * chip_h + gap + 40;
    button(l, p, (struct rect){p->x0, y, p->w, 150 * p->k * f}, UI_TARGET_SUBMIT, 0, false);
    y += 150 * p->k * f + 24; /* the optional ticket: how to add it, or the one added */
    l->card_lines[0] = line_at(p, p->x0, y, p->w, 34 * p->k * f);
}

static void departments(struct kiosk_layout *l, const struct pen *p, const struct ui *ui, float y,
                        float bottom)
{
    grid(l, p, y, bottom, ui->ndepartments, 200, NULL, UI_TARGET_DEPARTMENT);
}

/* The results code on a card, as large as the screen allows, and lines under it: the visit,
 * the printer's progress, that no result is ever shown here, and where they are had on paper
 * (one line a language). */
static void results(struct kiosk_layout *l, const struct pen *p, float y, float bottom)
{
    const float sizes[] = {44 * p->k, 40 * p->k, 34 * p->k, 34 * p->k, 30 * p->k};
    float under = 30 + sizes[0] + sizes[1] + sizes[2] + sizes[3] + sizes[4] + 5 * 20 + 16;
    float side = fminf(560, bottom - y - 40 - under);
    l->qr = square_at(p, p->x0 + (p->w - side) / 2, y + 40, side);
    float line_y = y + 40 + side + 30;
    for (int i = 0; i < 5; i++) {
        l->card_lines[i] = line_at(p, p->x0 + 40, line_y, p->w - 80, sizes[i]);
        line_y += sizes[i] + 20;
    }
    l->card = box_at(p, p->x0, y, p->w, line_y + 16 - y);
}

/* The card's lines from y: the ticket's number as big as the room left allows (300 at
 * most), the other lines at their sizes (larger in large-text mode). */
static void card_lines(struct kiosk_layout *l, const struct pen *p, float y, float bottom,
                       const float *sizes, int n, int number)
{
    float rest = 60 + 36, line_y = y + 60;
    for (int i = 0; i < n; i++)
        rest += i == number ? 40 : sizes[i] * p->k + 24;
    for (int i = 0; i < n; i++) {
        float size = i == number ? fminf(sizes[i], bottom - y - rest) : sizes[i] * p->k;
        l->card_lines[i] = line_at(p, p->x0 + 48, line_y, p->w - 96, size);
        line_y += size + (i == number ? 40 : 24);
    }
    l->card = box_at(p, p->x0, y, p->w, line_y + 36 - y);
}

/* The ticket, the appointment, or a message (a title and a detail, each in both languages). */
static void card(struct kiosk_layout *l, const struct pen *p, float y, float bottom,
                 enum ui_screen screen)
{
    static const float ticket[] = {48, 300, 56, 56, 40, 34},
                       checked_in[] = {48, 300, 52, 44, 40, 40, 36}, message[] = {64, 44, 44, 36};
    if (screen == UI_TICKET)
        card_lines(l, p, y, bottom, ticket, 6, 1);
    else if (screen == UI_CHECKED_IN)
        card_lines(l, p, y, bottom, checked_in, 7, 1);
    else
        card_lines(l, p, y, bottom, message, 4, -1);
}

/* Nobody here: the whole screen is one target, the words large enough for across the hall. */
static void attract(struct kiosk_layout *l, const struct pen *p, float dw, float dh)
{
    struct kiosk_button *b = next_button(l);
    b->box = box_at(p, 0, 0, dw, dh);
    b->target = UI_TARGET_WAKE;
    b->index = 0;
    l->logo = box_at(p, dw / 2 - 80, dh * 0.18f, 160, 160);
    l->title = line_at(p, p->x0, dh * 0.18f + 200, p->w, 72);
    l->heading = line_at(p, p->x0, dh * 0.45f, p->w, 120);
    l->subheading = line_at(p, p->x0, dh * 0.45f + 150, p->w, 64);
    l->notice = line_at(p, p->x0, dh * 0.45f + 300, p->w, 48);
}

void kiosk_layout_compute(struct kiosk_layout *l, int width, int height, const struct ui *ui)
{
    *l = (struct kiosk_layout){.width = width, .height = height};
    /* Landscape kiosks are rare and short: the column is designed 1400 high for them. */
    float design_h = width > height ? 1400 : DESIGN_H;
    float s = fminf((float)width / DESIGN_W, (float)height / design_h);
    float dw = (float)width / s, dh = (float)height / s;
    /* Landscape screens are wide: the column widens, and big buttons go two by two. */
    float column = width > height ? fminf(dw - 160, 1700) : 1000;
    struct pen p = {s, ui->large ? 1.3f : 1.0f, (dw - column) / 2, column, ui->one_language};
    l->scale = s;
    if (ui->screen == UI_ATTRACT) {
        attract(l, &p, dw, dh);
        return;
    }
    l->top_bar = box_at(&p, 0, 0, dw, 150);
    l->logo = box_at(&p, p.x0, 33, 84, 84);
    l->title = line_at(&p, p.x0 + 108, 30, p.w - 108 - 320, 48);
    l->subtitle = line_at(&p, p.x0 + 108, 92, p.w - 108 - 320, 30);
    if (!ui->one_language)
        small_button(l, &p, p.x0 + p.w - 280, 27, 280, UI_TARGET_LANGUAGE);
    float y = 200;
    l->heading = line_at(&p, p.x0, y, p.w, 60 * p.k);
    l->subheading = line_at(&p, p.x0, y + 60 * p.k + 16, p.w, 34 * p.k);
    y += 60 * p.k + 16 + 34 * p.k + 60;
    float bottom = dh - 110 - 140;
    l->notice_bar = box_at(&p, 0, dh - 110, dw, 110);
    l->notice = line_at(&p, p.x0, dh - 110 + 35, p.w, 40);
    if (ui->screen == UI_HOME) {
        home(l, &p, ui, y, bottom);
        small_button(l, &p, p.x0, bottom + 20, 440, UI_TARGET_LARGE_TEXT);
        return;
    }
    if (ui->screen == UI_DEPARTMENTS)
        departments(l, &p, ui, y, bottom);
    else if (ui->screen == UI_CHECK_IN || ui->screen == UI_RESULTS_CODE)
        keypad(l, &p, y, bottom);
    else if (ui->screen == UI_RATE)
        faces(l, &p, ui, y, bottom);
    else if (ui->screen == UI_RESULTS)
        results(l, &p, y, bottom);
    else
        card(l, &p, y, bottom, ui->screen);
    if (ui->screen == UI_THANKS && ui->offer_complaint) /* the complaint form's code, under */
        code_at(l, &p, p.x0, (float)(l->card.y + l->card.h) / s + 40, 260, true);
    small_button(l, &p, p.x0, bottom + 20, 360, UI_TARGET_BACK); /* waits too: never stuck */
    small_button(l, &p, p.x0 + p.w - 440, bottom + 20, 440, UI_TARGET_LARGE_TEXT);
}

enum ui_target kiosk_layout_hit(const struct kiosk_layout *l, int x, int y, int *index)
{
    for (int i = 0; i < l->nbuttons; i++) {
        const struct box *b = &l->buttons[i].box;
        if (x >= b->x && x < b->x + b->w && y >= b->y && y < b->y + b->h) {
            *index = l->buttons[i].index;
            return l->buttons[i].target;
        }
    }
    *index = -1;
    return UI_TARGET_NONE;
}
