/* layout.h: where everything on the call screen goes, computed from the screen size alone.
 * Pure arithmetic (no SDL), so tests can check every size for overlaps and minimum type. */
#ifndef KIOSK_LAYOUT_H
#define KIOSK_LAYOUT_H

#include <stdbool.h>
#include <stddef.h>

#define LAYOUT_ROWS_MAX 8

/* Noto Sans CJK, in em: capitals and digits (a ticket's height), and a CJK ideograph's
 * (measured 0.92..0.96; the least is used, so a height is never overstated). */
#define LAYOUT_CAP_HEIGHT  0.74f
#define LAYOUT_IDEO_HEIGHT 0.92f
/* The hero's room line: its ideographs at least this share of the number's digits' height. */
#define LAYOUT_ROOM_SHARE (2.0f / 3.0f)

struct box {
    int x, y, w, h;
};

/* One line of text: box.h is the type size; the baseline sits so that CJK ideographs and
 * Latin capitals fill the box (Noto Sans CJK metrics). Ticket lines are "caps" lines whose
 * box is only as tall as capitals and digits, so the huge number wastes no space above it. */
struct line {
    struct box box;
    int size;     /* font size in pixels */
    int baseline; /* y of the baseline */
};

struct list_row {
    struct box box;
    struct line ticket; /* caps line */
    struct line middle; /* room name (recent) or masked patient name (next) */
    struct line right;  /* estimated wait, right-aligned (next) */
};

struct layout {
    int width, height;
    bool portrait;
    float scale; /* 1.0 at 1920x1080 or 1080x1920 */

    struct box top_bar;
    struct box logo;
    struct line title, subtitle, clock, date;
    struct box conn_dot;

    struct box hero;
    struct line hero_label;
    struct box hero_badge;
    struct line hero_badge_text;
    struct line hero_ticket;
    struct line hero_room, hero_room_en;

    struct line recent_title;
    int recent_rows;
    struct list_row recent[LAYOUT_ROWS_MAX];
    struct line next_title;
    int next_rows;
    struct list_row next[LAYOUT_ROWS_MAX];

    /* The information area, where the pages take turns (pages.h): the room cards
     * (layout_room_card) and the pages of info_layout.h. */
    struct box info;

    /* A new call full-size, between the top bar and the notice bar, for a few seconds. */
    struct box takeover;
    struct line takeover_label, takeover_ticket, takeover_room, takeover_room_en;
    struct box takeover_badge;
    struct line takeover_badge_text;

    /* The QR card (white, even on the dark theme): the code's square with its quiet zone,
     * and what it is for. Zero-sized when the screen shows no code. */
    struct box qr_card, qr_code;
    struct line qr_title, qr_hint, qr_then;

    struct box notice_bar;
    struct line notice;
};

/* The square kept for a QR code, in pixels at 1920x1080: a version 6 code (41 modules and a
 * 4-module quiet zone each side) at 8 pixels per module, enough to scan from 1.5 m. */
#define LAYOUT_QR_SIDE 392

/* Lays out a width x height screen with up to the given numbers of list rows
 * (1..LAYOUT_ROWS_MAX), and a QR card when qr is set. Rows are dropped (from the longer list)
 * rather than shrunk below what can be read from across the room. */
void layout_compute(struct layout *l, int width, int height, int recent_rows, int next_rows,
                    bool qr);

/* When the screen shows fewer list rows than configured (rows under ROW_MIN, 54 px at 1080p,
 * do not read from across the room), a sentence saying so for the log and `kiosk layout`;
 * false when every configured row is shown. */
bool layout_rows_note(const struct layout *l, int recent_wanted, int next_wanted, char *out,
                      size_t size);

/* Card i of n inside l->info: one or two rows of cards, as many columns as needed. */
struct room_card {
    struct box box;
    struct line name, ticket; /* name: "1 号诊室 Room 1" on one line */
};
void layout_room_card(const struct layout *l, int i, int n, struct room_card *card);

#endif
