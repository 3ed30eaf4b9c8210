/* staff.h: what every staff page of kiosk-hub (under /staff/) shares: the roles, the session a
 * route requires, the CSRF token its forms carry, the audit log, and the page frame (header
 * with the pages the role may see, language switch, logout). docs/staff.md.
 *
 * A route handler for a staff page:
 *
 *     enum MHD_Result fleet_page(struct request *r)
 *     {
 *         struct staff_session s;
 *         enum MHD_Result answer;
 *         if (!staff_require(r, STAFF_FACILITIES, &s, &answer))
 *             return answer;               // login page, or 403 for the wrong role
 *         if (post && !staff_csrf_ok(r, &s, posted_csrf)) ...   // 403
 *         char *body = ...;                // HTML; staff_html_escape() outside text;
 *                                          // staff_csrf_input(&s) in every form
 *         return staff_answer(r, 200, staff_frame(&s, "/staff/fleet", "设备", "Devices", body));
 *     }
 */
#ifndef KIOSK_HUB_STAFF_H
#define KIOSK_HUB_STAFF_H

#include <microhttpd.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "base/i18n.h"
#include "hub/request.h"

enum staff_role { STAFF_QUALITY, STAFF_FACILITIES, STAFF_ADMIN };

#define STAFF_NAME_MAX 32 /* bytes of an account name: letters, digits, . _ - */
#define STAFF_CSRF_LEN 64 /* hex characters */

/* A logged-in member of staff, as a route sees them. */
struct staff_session {
    char name[STAFF_NAME_MAX + 1];
    enum staff_role role;
    char csrf[STAFF_CSRF_LEN + 1];         /* the value of every form's hidden "csrf" field */
    enum lang lang;                        /* the page's language (switch in the frame) */
    char address[64];                      /* where the request came from, for the audit log */
    const char *hospital_zh, *hospital_en; /* [hub] hospital_zh/_en, for the frame */
};

const char *staff_role_name(enum staff_role role); /* "quality", "facilities", "admin" */
bool staff_role_parse(const char *name, enum staff_role *out);

/* Whether role may open the pages of need (admin may open everything). */
bool staff_role_may(enum staff_role role, enum staff_role need);

/* For a staff route: true with *s filled when the request carries a live session whose role
 * may see need's pages. Otherwise false, with the answer already queued in *answer: a 303 to
 * /staff/login without a (live) session, a 403 page for a role that may not. */
bool staff_require(struct request *r, enum staff_role need, struct staff_session *s,
                   enum MHD_Result *answer);

/* For a POST: whether posted (the form's "csrf" field; NULL none) is the session's token, and
 * the request did not come from another site (Origin / Sec-Fetch-Site). Constant time. */
bool staff_csrf_ok(const struct request *r, const struct staff_session *s, const char *posted);

/* <input type="hidden" name="csrf" value="..."> for s's forms; callee-allocated. */
char *staff_csrf_input(const struct staff_session *s);

/* A whole page: head, stylesheet, the header (hospital, the role's pages with path marked
 * current, account, language switch, logout form) and body, which is freed here. path may
 * carry the page's query ("/staff/quality?by=week"): the language switch comes back to it.
 * Callee-allocated. */
char *staff_frame(const struct staff_session *s, const char *path, const char *title_zh,
                  const char *title_en, char *body);

/* Sends html (freed here) with the pages' headers: no-store, CSP, no framing. */
enum MHD_Result staff_answer(struct request *r, unsigned status, char *html);

/* A small page saying what went wrong (both languages), with status. */
enum MHD_Result staff_refuse(struct request *r, const struct staff_session *s, unsigned status,
                             const char *zh, const char *en);

/* zh or en, as s reads. */
const char *staff_t(const struct staff_session *s, const char *zh, const char *en);

/* text, HTML-escaped, onto f. */
void staff_html_escape(FILE *f, const char *text);

/* One line in the audit log: action ("login", "export", "complaint", ...) by s (NULL: account
 * given in name) with detail. Failures are logged, never fatal. */
void staff_audit(struct request *r, const struct staff_session *s, const char *name,
                 const char *action, const char *detail);

/* A form field to read from an application/x-www-form-urlencoded or multipart body. */
struct staff_field {
    const char *name;
    char *buffer; /* NUL-terminated; "" when absent */
    size_t size;
};

/* Reads the posted form into fields; false when it cannot be read or a field is too long. */
bool staff_form_read(struct request *r, struct staff_field *fields, size_t n);

/* Everything under /staff/: login, logout, the stylesheet, the language switch, then the
 * pages in staff_pages.c's table (quality, complaints; a new page adds its line there). */
enum MHD_Result staff_handle(struct request *r);

/* The login guard and anything else the staff pages keep in memory; and the hourly chores:
 * expired sessions ended, call-back numbers older than [web] retention_days removed. */
struct hub;
struct staff *staff_create(void);
void staff_destroy(struct staff *staff); /* accepts NULL */
void staff_prune(struct hub *hub, int64_t now);

#endif
