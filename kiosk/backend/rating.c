/* rating.c: the rating's wire form. Empty fields are left out, as the API allows. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backend/rating.h"

const char *const rating_tag_names[RATING_TAGS] = {"waited too long", "friendly staff",
                                                   "clean and tidy", "hard to find the way"};

char *rating_to_json(const struct rating *r)
{
    cJSON *o = cJSON_CreateObject();
    cJSON_AddNumberToObject(o, "score", r->score);
    cJSON *reasons = cJSON_AddArrayToObject(o, "reasons");
    for (int i = 0; i < r->nreasons && i < RATING_REASONS_MAX; i++)
        cJSON_AddItemToArray(reasons, cJSON_CreateString(r->reasons[i]));
    if (r->ticket[0])
        cJSON_AddStringToObject(o, "ticket", r->ticket);
    if (r->room[0])
        cJSON_AddStringToObject(o, "room", r->room);
    cJSON_AddNumberToObject(o, "rated_at", (double)r->rated_at);
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    if (!json)
        abort();
    return json;
}

void rating_join_reasons(const struct rating *r, char *out, size_t size)
{
    size_t used = 0;
    out[0] = 0;
    for (int i = 0; i < r->nreasons && i < RATING_REASONS_MAX && used < size; i++)
        used += (size_t)snprintf(out + used, size - used, "%s%s", i ? "|" : "", r->reasons[i]);
}
