/* page.h: the pages a patient's phone gets from kiosk-hub (docs/hub.md), as HTML. Pure: the
 * caller (phone.c) has already verified the token and looked the ticket up; nothing here does
 * I/O. Every function returns a NUL-terminated, callee-allocated document or fragment (the
 * caller free()s it); every text that came from outside (ticket, room names, comment, phone) is
 * HTML-escaped. The markup names hub.js and the tests rely on are listed in page.c. */
#ifndef KIOSK_HUB_PAGE_H
#define KIOSK_HUB_PAGE_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/rating.h"
#include "base/i18n.h"
#include "model/model.h"

#define PAGE_COMMENT_MAX   500  /* characters (not bytes) in a rating's comment */
#define PAGE_COMPLAINT_MAX 2000 /* characters in a complaint */
#define PAGE_PHONE_MAX     24   /* bytes of a call-back number */

/* What every page needs to know about the request. */
struct page_ctx {
    enum lang lang;
    bool large;                            /* the large-type switch is on */
    const char *hospital_zh, *hospital_en; /* "" when not configured */
    const char *path;  /* this page's path without query ("/r/TOKEN"), for the switches' links;
                        * decoded (it is percent-encoded here); not a path on this site: "/" */
    const char *token; /* the token of the code scanned, "" when none (a bare complaint form) */
};

enum visit_state {
    VISIT_WAITING, /* the ticket is in the queue */
    VISIT_CALLED,  /* called lately: go to the room */
    VISIT_DONE,    /* called a while ago, or no longer known to the queue: rate it */
    VISIT_NONE,    /* a screen's code: it names a room (or device), no ticket */
};

struct visit {
    enum visit_state state;
    char ticket[MODEL_TICKET_MAX]; /* "" for VISIT_NONE */
    int ahead;                     /* VISIT_WAITING: people ahead; -1 unknown */
    int eta_min;                   /* VISIT_WAITING: -1 unknown */
    /* VISIT_CALLED: where to go. Otherwise what the rating is for. "" when not known. */
    char room_zh[MODEL_NAME_MAX], room_en[MODEL_NAME_MAX];
    int64_t version;       /* the queue snapshot this was read from */
    int64_t offline_since; /* unix seconds; 0 while the hub has its upstream */
};

/* The rating form as the patient last left it (a refused submit keeps what was chosen). */
struct rating_form {
    int score; /* 0 none chosen yet, 1..5 */
    bool tags[RATING_TAGS];
    char comment[PAGE_COMMENT_MAX * 4 + 1];
    bool rated_before; /* this ticket was rated already: a new submit replaces it */
    const char *error; /* shown above the form, already in ctx->lang; NULL none */
};

/* GET /r/{token}: the visit's live block (<div id="live" ...>, the same markup
 * page_visit_live gives) and, unless still waiting, the rating form. */
char *page_visit(const struct page_ctx *c, const struct visit *v, const struct rating_form *f);

/* The inside of <div id="live">: one line (no '\n'), for a Server-Sent Event's data. */
char *page_visit_live(const struct page_ctx *c, const struct visit *v);

/* After a rating was kept. */
char *page_thanks(const struct page_ctx *c, const struct visit *v, int score);

enum page_problem {
    PROBLEM_EXPIRED,      /* 410: the code is too old */
    PROBLEM_INVALID,      /* 404: forged, malformed, or for another purpose */
    PROBLEM_RATE_LIMITED, /* 429: too many ratings from here this hour */
    PROBLEM_NOT_FOUND,    /* 404: no such page */
    PROBLEM_BAD_REQUEST,  /* 400: a form that could not be read */
    PROBLEM_UNAVAILABLE,  /* 503: the hub cannot keep anything right now */
};

/* A friendly page for problem, in both languages (ctx->lang first). */
char *page_problem(const struct page_ctx *c, enum page_problem problem);

enum complaint_error {
    COMPLAINT_OK,
    COMPLAINT_EMPTY,         /* nothing written */
    COMPLAINT_TOO_LONG,      /* more than PAGE_COMPLAINT_MAX characters */
    COMPLAINT_BAD_PHONE,     /* not a phone number */
    COMPLAINT_NEEDS_CONSENT, /* a number given, the consent box not ticked */
};

struct complaint_form {
    char text[PAGE_COMPLAINT_MAX * 4 + 1];
    char phone[PAGE_PHONE_MAX + 1];
    bool consent;
    enum complaint_error error;
};

/* GET /c (and a refused POST /c, with what the patient wrote kept). */
char *page_complaint(const struct page_ctx *c, const struct complaint_form *f);

/* After POST /c: the reference number, the hospital's complaints line ("" none), and whether a
 * call-back number was kept. */
char *page_complaint_done(const struct page_ctx *c, const char *reference,
                          const char *complaints_phone, bool phone_kept);

/* GET /l/{token} when [web] results_portal is empty: where results can be had. */
char *page_results_where(const struct page_ctx *c);

/* The stylesheet (/s/hub.css) and script (/s/hub.js) every page links. */
extern const char page_css[];
extern const char page_js[];

#endif
