/* status.c: writes path.tmp, then renames it over path: rename is atomic on one filesystem. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <errno.h>

#include "base/mem.h"
#include "model/model_json.h"
#include "config/config.h"
#include "ops/status.h"

static cJSON *status_json(const struct view *v)
{
    cJSON *o = v->has_model ? model_to_json(&v->model) : cJSON_CreateObject();
    if (!o)
        abort();
    cJSON_AddStringToObject(o, "device", v->config->device.id);
    cJSON_AddStringToObject(o, "role", role_name(v->config->device.role));
    cJSON_AddBoolToObject(o, "has_model", v->has_model);
    cJSON_AddBoolToObject(o, "restored", v->restored);
    cJSON_AddNumberToObject(o, "last_update", (double)v->last_update);
    cJSON *conn = cJSON_AddObjectToObject(o, "connection");
    cJSON_AddStringToObject(conn, "state", conn_state_name(v->conn));
    cJSON_AddNumberToObject(conn, "since", (double)v->conn_since);
    cJSON_AddStringToObject(conn, "error", v->conn_error);
    if (v->config->device.role == ROLE_DISPLAY) {
        int sub, subs;
        cJSON *page = cJSON_AddObjectToObject(o, "page");
        cJSON_AddStringToObject(page, "name", page_name(view_page(v, &sub, &subs)));
        cJSON_AddNumberToObject(page, "sub", sub);
        cJSON_AddNumberToObject(page, "of", subs);
        cJSON_AddBoolToObject(page, "takeover", v->takeover_end_ms != 0);
    }
    cJSON *storage = cJSON_AddObjectToObject(o, "storage");
    cJSON_AddStringToObject(storage, "state", store_fault_name(v->storage));
    cJSON_AddNumberToObject(storage, "since", (double)v->storage_since);
    cJSON_AddStringToObject(storage, "error", v->storage_error);
    if (v->kiosk.screen) {
        cJSON *kiosk = cJSON_AddObjectToObject(o, "kiosk");
        cJSON_AddStringToObject(kiosk, "screen", v->kiosk.screen);
        cJSON_AddStringToObject(kiosk, "ticket", v->kiosk.ticket);
        cJSON_AddStringToObject(kiosk, "rating_saved", v->kiosk.rating);
    }
    if (v->has_printer) {
        cJSON *printer = cJSON_AddObjectToObject(o, "printer");
        cJSON_AddStringToObject(printer, "state", printer_fault_name(v->printer.fault));
        cJSON_AddStringToObject(printer, "message", v->printer.message);
    }
    return o;
}

bool status_write(const char *path, const struct view *v, char **err)
{
    *err = NULL;
    cJSON *json = status_json(v);
    char *text = cJSON_Print(json);
    cJSON_Delete(json);
    if (!text)
        abort();
    char *tmp = xasprintf("%s.tmp", path);
    FILE *f = fopen(tmp, "w");
    bool ok = f && fputs(text, f) >= 0 && fputc('\n', f) != EOF;
    if (f && fclose(f) != 0)
        ok = false;
    if (!ok || rename(tmp, path) != 0) {
        *err = xasprintf("%s: %s", path, strerror(errno));
        remove(tmp);
        ok = false;
    }
    free(tmp);
    free(text);
    return ok;
}
