/* log.c: formats log records; a single fprintf per record keeps lines from
 * different threads whole. */
#include <stdarg.h>
#include <stdio.h>

#include "base/log.h"

static enum log_level max_level = LOG_LEVEL_INFO;
static const char *program = "kiosk";

static const char *const level_names[] = {
    [LOG_LEVEL_ERR] = "error",
    [LOG_LEVEL_WARN] = "warning",
    [LOG_LEVEL_INFO] = "info",
    [LOG_LEVEL_DEBUG] = "debug",
};

void log_set_level(enum log_level level)
{
    max_level = level;
}

void log_set_program(const char *name)
{
    program = name;
}

void log_msg(enum log_level level, const char *module, const char *fmt, ...)
{
    if (level > max_level)
        return;
    char text[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    fprintf(stderr, "%s: %s: %s: %s\n", program, level_names[level], module, text);
}
