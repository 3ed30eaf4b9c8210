/* backend.c: the table of backends, chosen by [backend] type. */
#include "backend.h"

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
