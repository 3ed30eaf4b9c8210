/* backend.c: the table of backends, chosen by [backend] type. */
#include <string.h>

#include "backend/backend.h"

#define LOG_MODULE "backend"
#include "base/log.h"

void backend_warn_plain_http(const char *url)
{
    static const char *const local[] = {"http://127.", "http://localhost", "http://[::1]"};
    if (strncmp(url, "http://", 7) != 0)
        return;
    for (size_t i = 0; i < sizeof(local) / sizeof(local[0]); i++)
        if (strncmp(url, local[i], strlen(local[i])) == 0)
            return; /* a proxy on this device: nothing crosses the network */
    LOG_WARN("%s is plain http: the token or password and the queue cross the network "
             "unencrypted and unauthenticated; use https",
             url);
}

const struct backend_ops *backend_for(enum backend_type type)
{
    switch (type) {
    case BACKEND_DEMO:
        return &backend_demo;
    case BACKEND_HTTP:
        return &backend_http;
    case BACKEND_OPENMRS:
        return &backend_openmrs;
    case BACKEND_NOVOSGA:
        return &backend_novosga;
    }
    return NULL;
}
