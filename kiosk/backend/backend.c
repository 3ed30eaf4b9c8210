/* backend.c: the table of backends, chosen by [backend] type. */
#include "backend.h"

const struct backend_ops *backend_for(enum backend_type type)
{
    switch (type) {
    case BACKEND_DEMO:
        return &backend_demo;
    }
    return NULL;
}
