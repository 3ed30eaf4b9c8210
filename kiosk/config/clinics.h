/* clinics.h: the specialist clinic hours a hospital writes by hand, one doctor per line, for
 * the call screen's clinics page when the backend sends none (docs/pages.md). */
#ifndef KIOSK_CLINICS_H
#define KIOSK_CLINICS_H

#include "model/model.h"

/* Reads path: lines of doctor|title|department|days|sessions (title may be empty; spaces
 * around a field are dropped), "#" comment lines and blank lines skipped. Returns how many
 * clinics it put in out (at most max), or -1 with a callee-allocated *err naming every bad
 * line as "path:line: problem" (one per line of text): the file is taken whole or not at all,
 * like the configuration. *err is NULL on success. */
int clinics_load(const char *path, struct clinic *out, int max, char **err);

#endif
