/* renderer.c: the GPU or the CPU, and the child that asks OpenGL what it is. */
#include <SDL2/SDL.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/clock.h"
#include "render/renderer.h"

#define LOG_MODULE "renderer"
#include "base/log.h"

/* A cold Mesa takes well under a second to make its first context; a hung X server must not
 * keep the screen dark for longer than this. */
#define PROBE_TIMEOUT_MS 5000
#define GL_RENDERER_ENUM 0x1F01

extern char **environ;

static bool named(const char *driver, const char *name)
{
    return driver && strcasecmp(driver, name) == 0;
}

bool renderer_has_framebuffer(const char *video_driver)
{
    return named(video_driver, "x11") || named(video_driver, "offscreen") ||
           named(video_driver, "dummy");
}

static bool headless(const char *video_driver)
{
    return named(video_driver, "offscreen") || named(video_driver, "dummy");
}

bool renderer_needs_probe(enum renderer_pref pref, const char *video_driver)
{
    return pref == RENDERER_AUTO && renderer_has_framebuffer(video_driver) &&
           !headless(video_driver);
}

/* Mesa's and Google's CPU rasterizers, as their GL_RENDERER strings name them. */
static bool software_gl(const char *gl_renderer)
{
    static const char *const names[] = {"llvmpipe", "softpipe", "swrast", "software rasterizer",
                                        "swiftshader"};
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (strcasestr(gl_renderer, names[i]))
            return true;
    return false;
}

enum render_path renderer_choose(enum renderer_pref pref, const char *video_driver,
                                 const char *gl_renderer, char *why, size_t size)
{
    const char *driver = video_driver ? video_driver : "no video driver";
    if (!renderer_has_framebuffer(video_driver)) {
        snprintf(why, size, "%s shows only what a GPU draws", driver);
        return RENDER_GPU;
    }
    if (pref != RENDERER_AUTO) {
        snprintf(why, size, "[display] renderer = %s", pref == RENDERER_GPU ? "gpu" : "software");
        return pref == RENDERER_GPU ? RENDER_GPU : RENDER_SOFTWARE;
    }
    if (headless(video_driver)) {
        snprintf(why, size, "%s has no GPU", driver);
        return RENDER_SOFTWARE;
    }
    if (!gl_renderer || !gl_renderer[0]) {
        snprintf(why, size, "%s offers no OpenGL", driver);
        return RENDER_SOFTWARE;
    }
    if (software_gl(gl_renderer)) {
        snprintf(why, size, "OpenGL on %s is software (%s)", driver, gl_renderer);
        return RENDER_SOFTWARE;
    }
    snprintf(why, size, "OpenGL on %s is %s", driver, gl_renderer);
    return RENDER_GPU;
}

/* Reads the child's one line. Not until end of file: SDL's D-Bus may autolaunch a session bus
 * daemon in the child, and it keeps the child's stdout open long after the child is gone.
 * Returns whether the child has been reaped. */
static bool read_answer(pid_t pid, int fd, char *out, size_t size)
{
    size_t n = 0;
    uint64_t deadline = clock_mono_ms() + PROBE_TIMEOUT_MS;
    bool reaped = false;
    while (!memchr(out, '\n', n) && n < size - 1 && !reaped) {
        if (clock_mono_ms() >= deadline) {
            LOG_WARN("the OpenGL probe took over %d ms and was stopped", PROBE_TIMEOUT_MS);
            n = 0;
            break;
        }
        struct pollfd p = {fd, POLLIN, 0};
        ssize_t got = poll(&p, 1, 50) > 0 ? read(fd, out + n, size - 1 - n) : 0;
        if (got > 0)
            n += (size_t)got;
        else
            reaped = waitpid(pid, NULL, WNOHANG) == pid;
    }
    out[n] = '\0';
    return reaped;
}

/* GL_RENDERER as the child prints it into out; false (out empty) when it finds no OpenGL,
 * fails or takes too long. */
static bool probe_gl(char *out, size_t size)
{
    out[0] = '\0';
    /* The path itself, not /proc/self/exe: under qemu-user that would be qemu. */
    char exe[PATH_MAX];
    ssize_t len = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
    if (len <= 0)
        return false;
    exe[len] = '\0';
    int fds[2];
    if (pipe2(fds, O_CLOEXEC) != 0)
        return false;
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], STDOUT_FILENO);
    char *argv[] = {(char *)exe, (char *)"--probe-gl", NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, exe, &actions, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
        LOG_WARN("cannot start %s --probe-gl: %s", exe, strerror(rc));
        close(fds[0]);
        return false;
    }
    if (!read_answer(pid, fds[0], out, size)) { /* it has answered, or never will */
        kill(pid, SIGKILL);
        waitpid(pid, NULL, 0);
    }
    close(fds[0]);
    out[strcspn(out, "\r\n")] = '\0';
    return out[0] != '\0';
}

enum render_path renderer_decide(enum renderer_pref pref, const char *video_driver, char *why,
                                 size_t size)
{
    char gl[256] = "";
    if (renderer_needs_probe(pref, video_driver))
        probe_gl(gl, sizeof(gl));
    return renderer_choose(pref, video_driver, gl, why, size);
}

int renderer_probe_main(void)
{
    if (SDL_Init(SDL_INIT_VIDEO) != 0)
        return 1;
    SDL_Window *w =
        SDL_CreateWindow("kiosk-probe", 0, 0, 1, 1, SDL_WINDOW_OPENGL | SDL_WINDOW_HIDDEN);
    SDL_GLContext gl = w ? SDL_GL_CreateContext(w) : NULL;
    const unsigned char *(*get_string)(unsigned) =
        gl ? (const unsigned char *(*)(unsigned))SDL_GL_GetProcAddress("glGetString") : NULL;
    const unsigned char *name = get_string ? get_string(GL_RENDERER_ENUM) : NULL;
    printf("%s\n", name ? (const char *)name : ""); /* one line, even empty: see read_answer */
    fflush(stdout);
    if (gl)
        SDL_GL_DeleteContext(gl);
    if (w)
        SDL_DestroyWindow(w);
    SDL_Quit();
    return name ? 0 : 1;
}
