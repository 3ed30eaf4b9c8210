/* layout.c: the call screen is designed at 1920x1080 (landscape: hero and rooms on the left,
 * lists on the right) and 1080x1920 (portrait: one stack). Other sizes scale that design;
 * extra width or height goes to the flexible areas, never to the type. */
#include <math.h>
#include <stdio.h>

#include "render/layout.h"

#define CAP_HEIGHT    LAYOUT_CAP_HEIGHT
#define IDEO_BASELINE 0.88f /* baseline below the top of a CJK ideograph, in em */

struct design {
    float s;    /* pixels per design unit */
    int dw, dh; /* the screen in design units */
    int margin;
};

static int px(const struct design *d, float v)
{
    return (int)lroundf(v * d->s);
}

/* Edges are rounded, not sizes, so boxes that touch in design units never overlap. */
static struct box box_at(const struct design *d, float x, float y, float w, float h)
{
    int left = px(d, x), top = px(d, y);
    return (struct box){left, top, px(d, x + w) - left, px(d, y + h) - top};
}

static struct line text_line(const struct design *d, float x, float y, float w, float size)
{
    struct line l = {box_at(d, x, y, w, size), px(d, size), 0};
    l.baseline = l.box.y + px(d, size * IDEO_BASELINE);
    return l;
}

static struct line caps_line(const struct design *d, float x, float y, float w, float size)
{
    struct line l = {box_at(d, x, y, w, size * CAP_HEIGHT), px(d, size), 0};
    l.baseline = l.box.y + l.box.h;
    return l;
}

/* right: the width kept for the clock and the date or connection line under it. */
static void top_bar(struct layout *l, const struct design *d, float height, float right)
{
    float m = (float)d->margin, logo = 70;
    float text_x = m + logo + 24, text_w = (float)d->dw - text_x - m - right - 24;
    float top = (height - 98) / 2;
    l->top_bar = box_at(d, 0, 0, (float)d->dw, height);
    l->logo = box_at(d, m, (height - logo) / 2, logo, logo);
    l->title = text_line(d, text_x, top + 4, text_w, 44);
    l->subtitle = text_line(d, text_x, top + 62, text_w, 28);
    l->conn_dot = box_at(d, (float)d->dw - m - 20, top + 26, 20, 20);
    l->clock = text_line(d, (float)d->dw - m - 40 - 340, top, 340, 60);
    l->date = text_line(d, (float)d->dw - m - 40 - (right - 40), top + 66, right - 40, 28);
}

/* The current call; returns its bottom edge. The room matters as much as the number: its
 * ideographs are at least 2/3 as tall as the number's digits (LAYOUT_ROOM_SHARE). */
static float hero(struct layout *l, const struct design *d, float x, float y, float w,
                  float ticket_size)
{
    float pad = 48, badge_w = 330;
    float ticket_y = y + 104;
    float room_y = ticket_y + ticket_size * CAP_HEIGHT + 38;
    float room = ceilf(ticket_size * CAP_HEIGHT * LAYOUT_ROOM_SHARE / LAYOUT_IDEO_HEIGHT);
    float bottom = room_y + room + 20 + 38 + 30;
    l->hero = box_at(d, x, y, w, bottom - y);
    l->hero_label = text_line(d, x + pad, y + 40, w - 2 * pad - badge_w - 20, 40);
    l->hero_badge = box_at(d, x + w - pad - badge_w, y + 30, badge_w, 60);
    l->hero_badge_text = text_line(d, x + w - pad - badge_w + 20, y + 44, badge_w - 40, 32);
    l->hero_ticket = caps_line(d, x + pad, ticket_y, w - 2 * pad, ticket_size);
    l->hero_room = text_line(d, x + pad, room_y, w - 2 * pad, room);
    l->hero_room_en = text_line(d, x + pad, room_y + room + 20, w - 2 * pad, 38);
    return bottom;
}

static struct list_row list_row(const struct design *d, float x, float y, float w, float h,
                                bool has_right)
{
    struct list_row r;
    float ticket = h * 0.78f, text = h * 0.64f;
    float middle_x = x + w * 0.34f, middle_w = w * (has_right ? 0.42f : 0.66f);
    r.box = box_at(d, x, y, w, h);
    r.ticket = caps_line(d, x, y + (h - ticket * CAP_HEIGHT) / 2, w * 0.32f, ticket);
    r.middle = text_line(d, middle_x, y + (h - text) / 2 + text * 0.06f, middle_w, text);
    r.right = text_line(d, x + w * 0.77f, y + (h - text * 0.8f) / 2, w * 0.23f, text * 0.8f);
    return r;
}

/* "Recently called" and "Next" with their titles; returns the bottom edge. */
static float lists(struct layout *l, const struct design *d, float x, float y, float w, float row_h)
{
    l->recent_title = text_line(d, x, y, w, 36);
    y += 36 + 16;
    for (int i = 0; i < l->recent_rows; i++, y += row_h)
        l->recent[i] = list_row(d, x, y, w, row_h, false);
    y += 28;
    l->next_title = text_line(d, x, y, w, 36);
    y += 36 + 16;
    for (int i = 0; i < l->next_rows; i++, y += row_h)
        l->next[i] = list_row(d, x, y, w, row_h, true);
    return y;
}

#define ROW_MIN     54 /* list rows: the least that reads from across the room */
#define LIST_TITLES (2 * (36 + 16) + 28)

/* Drops rows, from the longer list (Next on a tie), until each gets at least ROW_MIN. */
static void fit_rows(struct layout *l, float space)
{
    while (l->recent_rows + l->next_rows > 2 &&
           (float)(l->recent_rows + l->next_rows) * ROW_MIN > space) {
        if (l->recent_rows > l->next_rows)
            l->recent_rows--;
        else
            l->next_rows--;
    }
}

/* The row height for lists in space (titles included), after fit_rows. */
static float row_height(struct layout *l, float space, float preferred)
{
    space -= LIST_TITLES;
    fit_rows(l, space);
    float h = space / (float)(l->recent_rows + l->next_rows);
    return h < preferred ? h : preferred;
}

/* Landscape: the code on the left of the card, its words beside it. */
static void qr_beside(struct layout *l, const struct design *d, float x, float y, float w)
{
    float side = LAYOUT_QR_SIDE, text_x = x + side, text_w = w - side - 28;
    float top = y + (side - (48 + 14 + 28 + 22 + 28)) / 2;
    l->qr_card = box_at(d, x, y, w, side);
    l->qr_code = box_at(d, x, y, side, side);
    l->qr_title = text_line(d, text_x, top, text_w, 48);
    l->qr_hint = text_line(d, text_x, top + 48 + 14, text_w, 28);
    l->qr_then = text_line(d, text_x, top + 48 + 14 + 28 + 22, text_w, 28);
}

/* Portrait: the code on top, its words under it (QR_BELOW_TEXT tall). */
#define QR_BELOW_TEXT (44 + 10 + 28 + 10 + 28 + 24)
static void qr_below(struct layout *l, const struct design *d, float x, float y)
{
    float side = LAYOUT_QR_SIDE, pad = 16, top = y + side;
    l->qr_card = box_at(d, x, y, side, side + QR_BELOW_TEXT);
    l->qr_code = box_at(d, x, y, side, side);
    l->qr_title = text_line(d, x + pad, top, side - 2 * pad, 44);
    l->qr_hint = text_line(d, x + pad, top + 44 + 10, side - 2 * pad, 28);
    l->qr_then = text_line(d, x + pad, top + 44 + 10 + 28 + 10, side - 2 * pad, 28);
}

static float notice_bar(struct layout *l, const struct design *d, float height)
{
    float y = (float)d->dh - height;
    l->notice_bar = box_at(d, 0, y, (float)d->dw, height);
    l->notice =
        text_line(d, (float)d->margin, y + (height - 32) / 2, (float)d->dw - 2 * d->margin, 32);
    return y;
}

/* The call alone, as large as the space between the bars allows, centred upright. */
static void takeover(struct layout *l, const struct design *d, float top, float bottom,
                     float ticket_size, float room_size)
{
    float m = (float)d->margin, w = (float)d->dw - 2 * m, pad = 56, badge_w = 360;
    float content = 48 + 40 + ticket_size * CAP_HEIGHT + 56 + room_size + 24 + room_size * 0.5f;
    float y = top + (bottom - top - content) / 2;
    l->takeover = box_at(d, m, top, w, bottom - top);
    l->takeover_label = text_line(d, m + pad, y, w - 2 * pad - badge_w - 24, 48);
    l->takeover_badge = box_at(d, m + w - pad - badge_w, y - 10, badge_w, 68);
    l->takeover_badge_text = text_line(d, m + w - pad - badge_w + 20, y + 6, badge_w - 40, 36);
    y += 48 + 40;
    l->takeover_ticket = caps_line(d, m + pad, y, w - 2 * pad, ticket_size);
    y += ticket_size * CAP_HEIGHT + 56;
    l->takeover_room = text_line(d, m + pad, y, w - 2 * pad, room_size);
    l->takeover_room_en = text_line(d, m + pad, y + room_size + 24, w - 2 * pad, room_size * 0.5f);
}

/* Hero and rooms on the left; the lists on the right, over the QR card. */
static void landscape(struct layout *l, const struct design *d, bool qr)
{
    float m = (float)d->margin, top = 140;
    top_bar(l, d, 110, 640);
    float body_bottom = notice_bar(l, d, 72) - 24;
    float left_w = roundf((float)d->dw * 0.573f) - m;
    float right_x = m + left_w + 32, right_w = (float)d->dw - m - right_x;
    float hero_bottom = hero(l, d, m, top, left_w, 240);
    l->info = box_at(d, m, hero_bottom + 24, left_w, body_bottom - hero_bottom - 24);
    float lists_bottom = body_bottom;
    if (qr) {
        lists_bottom -= LAYOUT_QR_SIDE + 24;
        qr_beside(l, d, right_x, body_bottom - LAYOUT_QR_SIDE, right_w);
    }
    lists(l, d, right_x, top, right_w, row_height(l, lists_bottom - top, 96));
    takeover(l, d, 110 + 24, body_bottom, 480, 120);
}

/* One stack: hero, lists, then the rooms with the QR card beside them. */
static void portrait(struct layout *l, const struct design *d, bool qr)
{
    float m = (float)d->margin, w = (float)d->dw - 2 * m;
    top_bar(l, d, 130, 440);
    float body_bottom = notice_bar(l, d, 80) - 24;
    float lists_top = hero(l, d, m, 160, w, 260) + 28;
    float bottom_h = qr ? LAYOUT_QR_SIDE + QR_BELOW_TEXT : 280, rooms_w = w;
    if (qr) {
        rooms_w -= LAYOUT_QR_SIDE + 24;
        qr_below(l, d, m + rooms_w + 24, body_bottom - bottom_h);
    }
    float row_h = row_height(l, body_bottom - bottom_h - 24 - lists_top, 100);
    float rooms_y = lists(l, d, m, lists_top, w, row_h) + 24;
    l->info = box_at(d, m, rooms_y, rooms_w, body_bottom - rooms_y);
    takeover(l, d, 130 + 24, body_bottom, 420, 110);
}

bool layout_rows_note(const struct layout *l, int recent_wanted, int next_wanted, char *out,
                      size_t size)
{
    if (l->recent_rows >= recent_wanted && l->next_rows >= next_wanted)
        return false;
    snprintf(out, size,
             "%dx%d shows %d of %d recent calls and %d of %d next: more rows would be under %d px "
             "(%d at 1080p), too small to read from across the room. To show them all, list "
             "fewer ([display] recent_count, next_count), or show no QR card",
             l->width, l->height, l->recent_rows, recent_wanted, l->next_rows, next_wanted,
             (int)lroundf(ROW_MIN * l->scale), ROW_MIN);
    return true;
}

static int clamp_rows(int rows)
{
    return rows < 1 ? 1 : rows > LAYOUT_ROWS_MAX ? LAYOUT_ROWS_MAX : rows;
}

void layout_compute(struct layout *l, int width, int height, int recent_rows, int next_rows,
                    bool qr)
{
    *l = (struct layout){0};
    l->width = width;
    l->height = height;
    l->portrait = height > width;
    l->recent_rows = clamp_rows(recent_rows);
    l->next_rows = clamp_rows(next_rows);
    float base_w = l->portrait ? 1080 : 1920, base_h = l->portrait ? 1920 : 1080;
    float s = fminf((float)width / base_w, (float)height / base_h);
    struct design d = {s, (int)((float)width / s), (int)((float)height / s), l->portrait ? 40 : 48};
    l->scale = s;
    if (l->portrait)
        portrait(l, &d, qr);
    else
        landscape(l, &d, qr);
}

/* The ticket size a card of w x h can hold: the name line above it, and a five-character
 * bold ticket (about 3.1 em wide) whole. */
static int card_ticket_size(const struct layout *l, int w, int h)
{
    int pad = (int)lroundf(20 * l->scale), name_size = (int)lroundf(28 * l->scale);
    int ticket_room = h - 2 * pad - name_size - pad / 2;
    int by_height = (int)((float)ticket_room / CAP_HEIGHT);
    int by_width = (int)((float)(w - 2 * pad) / 3.2f), most = (int)lroundf(110 * l->scale);
    int size = by_height < by_width ? by_height : by_width;
    return size < most ? size : most;
}

/* The grid (columns) of n cards in the rooms area that gives the biggest tickets; among
 * equals, the one with fewer rows, so cards stay wide enough for their names. */
static int card_columns(const struct layout *l, int n, int gap)
{
    const struct box *a = &l->info;
    int best = n, best_size = -1;
    for (int cols = n; cols >= 1; cols--) {
        int rows = (n + cols - 1) / cols;
        int w = (a->w - gap * (cols - 1)) / cols, h = (a->h - gap * (rows - 1)) / rows;
        int size = card_ticket_size(l, w, h);
        if (size > best_size)
            best = cols, best_size = size;
    }
    return best;
}

void layout_room_card(const struct layout *l, int i, int n, struct room_card *card)
{
    int gap = (int)lroundf(20 * l->scale), pad = (int)lroundf(20 * l->scale);
    int cols = card_columns(l, n, gap), rows = (n + cols - 1) / cols;
    const struct box *a = &l->info;
    int w = (a->w - gap * (cols - 1)) / cols, h = (a->h - gap * (rows - 1)) / rows;
    struct box b = {a->x + (i % cols) * (w + gap), a->y + (i / cols) * (h + gap), w, h};
    int name_size = (int)lroundf(28 * l->scale);
    int ticket_size = card_ticket_size(l, w, h);
    card->box = b;
    card->name = (struct line){{b.x + pad, b.y + pad, w - 2 * pad, name_size},
                               name_size,
                               b.y + pad + (int)lroundf((float)name_size * IDEO_BASELINE)};
    int caps = (int)lroundf((float)ticket_size * CAP_HEIGHT);
    int ticket_y = b.y + pad + name_size + (h - 2 * pad - name_size - caps) / 2 + pad / 4;
    card->ticket =
        (struct line){{b.x + pad, ticket_y, w - 2 * pad, caps}, ticket_size, ticket_y + caps};
}
