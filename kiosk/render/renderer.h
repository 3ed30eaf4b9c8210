/* renderer.h: who draws the screen, the GPU or the CPU. OpenGL that is software anyway
 * (Mesa's llvmpipe on a PC or VM with no GPU, or under Xvfb) costs twice the CPU and three
 * times the memory of drawing in software straight into the window, so the choice follows
 * what the GPU is. The answer comes from a child process (renderer_decide) so that Mesa
 * and LLVM are never mapped into the kiosk itself. */
#ifndef KIOSK_RENDERER_H
#define KIOSK_RENDERER_H

#include <stdbool.h>
#include <stddef.h>

#include "config/config.h"

enum render_path { RENDER_GPU, RENDER_SOFTWARE };

/* Whether SDL's video driver (SDL_GetCurrentVideoDriver) can show a CPU-drawn window surface
 * without a GPU texture: x11 (MIT-SHM), offscreen and dummy; KMSDRM and Wayland cannot. */
bool renderer_has_framebuffer(const char *video_driver);

/* Whether the video driver must be asked what its OpenGL is before choosing (auto on x11). */
bool renderer_needs_probe(enum renderer_pref pref, const char *video_driver);

/* The choice, as a pure function of the configured preference, SDL's video driver and the
 * GL_RENDERER string the probe found (NULL: no OpenGL at all, or not asked). A sentence
 * saying why goes to why (for the log and the self-test). */
enum render_path renderer_choose(enum renderer_pref pref, const char *video_driver,
                                 const char *gl_renderer, char *why, size_t size);

/* The choice for this machine: renderer_choose, with what OpenGL is asked first (when
 * renderer_needs_probe says so) by running this program again as `kiosk --probe-gl`, which
 * gives up after a few seconds. */
enum render_path renderer_decide(enum renderer_pref pref, const char *video_driver, char *why,
                                 size_t size);

/* The child's side: opens a hidden OpenGL window, prints GL_RENDERER on stdout. The exit
 * status of `kiosk --probe-gl`. */
int renderer_probe_main(void);

#endif
