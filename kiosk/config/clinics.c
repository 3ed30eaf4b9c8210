/* clinics.c: reads the clinic hours file. Strict in the configuration's way: every problem is
 * reported with its line, and one bad line refuses the file, so a typo never shows a doctor on
 * the wrong day. */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/clinics.h"
#include "base/utf8.h"

#define FIELDS 5

/* Where the problems go: one "path:line: problem" per line of text. */
struct problems {
    const char *path;
    FILE *out;
    char *text;
    size_t size;
    int count;
};

__attribute__((format(printf, 3, 4))) static void problem(struct problems *p, int line,
                                                          const char *fmt, ...)
{
    if (p->count++)
        fputc('\n', p->out);
    if (line)
        fprintf(p->out, "%s:%d: ", p->path, line);
    else
        fprintf(p->out, "%s: ", p->path);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(p->out, fmt, ap);
    va_end(ap);
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v';
}

/* Drops the spaces around s in place and returns its first non-space character. */
static char *trim(char *s)
{
    while (is_space(*s))
        s++;
    size_t n = strlen(s);
    while (n && is_space(s[n - 1]))
        s[--n] = '\0';
    return s;
}

static const char *const field_names[FIELDS] = {"doctor", "title", "department", "days",
                                                "sessions"};

/* Splits a line into its fields and checks each; false after reporting what is wrong. */
static bool parse_line(struct problems *p, int line, char *text, struct clinic *c)
{
    char *field[FIELDS];
    int n = 0;
    for (char *s = text;; n++) {
        char *bar = strchr(s, '|');
        if (n < FIELDS)
            field[n] = s;
        if (!bar) {
            n++;
            break;
        }
        *bar = '\0';
        s = bar + 1;
    }
    if (n != FIELDS) {
        problem(p, line, "has %d field%s, expected 5: doctor|title|department|days|sessions", n,
                n == 1 ? "" : "s");
        return false;
    }
    char *dst[FIELDS] = {c->doctor, c->title, c->department, c->days, c->sessions};
    bool ok = true;
    for (int i = 0; i < FIELDS; i++) {
        const char *value = trim(field[i]);
        size_t len = strlen(value);
        if (!len && i != 1) {
            problem(p, line, "%s is empty", field_names[i]);
            ok = false;
        } else if (len >= MODEL_NAME_MAX) {
            problem(p, line, "%s is %zu bytes long, at most %d allowed", field_names[i], len,
                    MODEL_NAME_MAX - 1);
            ok = false;
        } else {
            memcpy(dst[i], value, len + 1);
        }
    }
    return ok;
}

int clinics_load(const char *path, struct clinic *out, int max, char **err)
{
    *err = NULL;
    struct problems p = {.path = path};
    p.out = open_memstream(&p.text, &p.size);
    if (!p.out)
        abort();
    int count = 0;
    FILE *in = fopen(path, "r");
    if (!in) {
        problem(&p, 0, "cannot open: %s", strerror(errno));
        goto out;
    }
    char *buf = NULL;
    size_t cap = 0;
    ssize_t len;
    for (int line = 1; (len = getline(&buf, &cap, in)) >= 0; line++) {
        char *text = buf;
        if (line == 1 && strncmp(text, "\xef\xbb\xbf", 3) == 0)
            text += 3; /* a byte order mark, as Windows editors write */
        if (strlen(buf) != (size_t)len) {
            problem(&p, line, "line holds a NUL byte");
            continue;
        }
        if (!utf8_valid(text)) {
            problem(&p, line, "not valid UTF-8");
            continue;
        }
        text = trim(text);
        if (!text[0] || text[0] == '#')
            continue;
        struct clinic c = {0};
        if (!parse_line(&p, line, text, &c))
            continue;
        if (count == max)
            problem(&p, line, "more than %d clinics", max);
        else if (count < max)
            out[count] = c;
        count++;
    }
    if (ferror(in))
        problem(&p, 0, "cannot read: %s", strerror(errno));
    free(buf);
    fclose(in);
out:
    if (fclose(p.out) != 0)
        abort();
    if (p.count) {
        *err = p.text;
        return -1;
    }
    free(p.text);
    return count;
}
