/* rating.h: a patient's rating of the visit (five faces, optional reasons), as the kiosk keeps
 * it for local reports and sends it to the backend (POST /api/v1/ratings). */
#ifndef KIOSK_RATING_H
#define KIOSK_RATING_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

#define RATING_REASONS_MAX 4
#define RATING_REASON_MAX  48
#define RATING_JSON_MAX    1024
#define RATING_TAGS        4 /* the reasons offered, on the kiosk and on the phone */

/* The offered reasons in English, as backends and reports keep them; their labels are
 * TEXT_KIOSK_REASON_1.. in i18n.h, in the same order. */
extern const char *const rating_tag_names[RATING_TAGS];

struct rating {
    int score; /* 1 very unhappy .. 5 very happy */
    int nreasons;
    char reasons[RATING_REASONS_MAX][RATING_REASON_MAX];
    char ticket[MODEL_TICKET_MAX]; /* "" when not known */
    char room[MODEL_ID_MAX];       /* room or staff id, "" when not known */
    int64_t rated_at;
};

/* The API body, callee-allocated (at most RATING_JSON_MAX - 1 bytes for any rating). */
char *rating_to_json(const struct rating *r);

/* The reasons joined with "|" (for the reports). */
void rating_join_reasons(const struct rating *r, char *out, size_t size);

#endif
