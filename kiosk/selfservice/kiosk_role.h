/* kiosk_role.h: the self-service kiosk around its UI state machine: taps become UI targets,
 * a chosen department becomes a backend request on the service thread, the backend's ticket
 * becomes printer bytes for the printer thread. The main loop owns it and draws it. */
#ifndef KIOSK_KIOSK_ROLE_H
#define KIOSK_KIOSK_ROLE_H

#include <stdbool.h>
#include <stdint.h>

#include <SDL2/SDL.h>

struct config;
struct draw;
struct fonts;
struct kiosk_status;
struct kiosk_role;
struct printer_worker;
struct screen_codes;
struct view;

/* fonts and codes are the app's, used on the main thread only. Never fails: without a
 * kiosk API v1 backend, taking a ticket says plainly that it is not possible here. */
struct kiosk_role *kiosk_role_create(const struct config *config, struct fonts *fonts,
                                     const struct screen_codes *codes, uint64_t now_ms);
void kiosk_role_destroy(struct kiosk_role *k); /* accepts NULL */

/* A touch at (x, y) on the canvas. */
void kiosk_role_tap(struct kiosk_role *k, int x, int y, uint64_t now_ms);

/* Keys from a keyboard or a barcode scanner (which types like one): text as it comes, then
 * Enter. A fast burst ending in Enter is a scan: a check-in, from any screen. */
void kiosk_role_text(struct kiosk_role *k, const char *text, uint64_t now_ms);
void kiosk_role_enter(struct kiosk_role *k, uint64_t now_ms);

/* Takes the service's and the printer's answers (printer may be NULL), the printer's state
 * as the view holds it, and runs the timers. */
void kiosk_role_update(struct kiosk_role *k, struct printer_worker *printer, const struct view *v,
                       uint64_t now_ms);

int kiosk_role_fd(const struct kiosk_role *k); /* the service's eventfd, or -1 */
int kiosk_role_timeout_ms(const struct kiosk_role *k, uint64_t now_ms);

/* True once after anything on screen changed. */
bool kiosk_role_take_dirty(struct kiosk_role *k);

/* What the status file says of the kiosk: the screen on show, the last ticket and rating. */
void kiosk_role_status(const struct kiosk_role *k, struct kiosk_status *out);

void kiosk_role_draw(struct kiosk_role *k, struct draw *d, const struct view *v, SDL_Texture *logo,
                     int width, int height);

#endif
