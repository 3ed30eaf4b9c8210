/* test_x11.c: the kiosk in a real X window (Xvfb 1920x1080, as on a PC with no GPU), started
 * as staff start it, with no environment set by hand. It must choose to draw with the CPU
 * (OpenGL there is Mesa's llvmpipe), keep Mesa and LLVM out of its process, and what the X
 * server shows must be exactly its own screenshot of the frame: the rectangles it sends
 * reach the screen, turned for a portrait canvas on a landscape monitor. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "harness.h"

static const char *kiosk_bin;
static char dir[64], display[16];
static pid_t xvfb;
static bool mesa; /* the probe found Mesa's llvmpipe: the GPU path will map it */
static int run;   /* each kiosk run's screenshots are named r<run>-shot-NNNN.png */

/* Starts Xvfb on a display it finds free itself (-displayfd: two tests starting at once
 * cannot pick the same one) and waits until it says which. */
static int group_setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-x11-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    int fds[2];
    if (pipe(fds) != 0)
        return -1;
    char fd[16], log[96];
    snprintf(fd, sizeof(fd), "%d", fds[1]);
    snprintf(log, sizeof(log), "%s/xvfb.log", dir);
    const char *argv[] = {"Xvfb",         "-displayfd", fd,    "-screen", "0",
                          "1920x1080x24", "-nolisten",  "tcp", NULL};
    xvfb = spawn(argv, log);
    close(fds[1]);
    char number[16] = "";
    ssize_t n = read(fds[0], number, sizeof(number) - 1); /* blocks until Xvfb listens */
    close(fds[0]);
    if (n <= 0)
        return -1;
    number[n] = '\0';
    number[strcspn(number, "\n")] = '\0';
    snprintf(display, sizeof(display), ":%s", number);
    setenv("DISPLAY", display, 1);
    unsetenv("SDL_VIDEODRIVER");
    unsetenv("SDL_RENDER_DRIVER");
    unsetenv("SDL_FRAMEBUFFER_ACCELERATION");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&xvfb);
    return remove_tree(dir);
}

/* A still clinic (frozen, one QR code, one page, no notices), so that the kiosk's frame and
 * the X server's copy of it can be compared at leisure. */
static void write_config(const char *orientation, const char *renderer)
{
    char path[128], text[1024];
    snprintf(path, sizeof(path), "%s/kiosk.ini", dir);
    snprintf(text, sizeof(text),
             "[device]\nid = x11-test\norientation = %s\n"
             "[display]\nhospital_zh = 市人民医院\nrenderer = %s\n"
             "[pages]\nrotation = rooms:60\n"
             "[backend]\ntype = demo\nseed = 5\nspeed = 0\n"
             "[storage]\npath = %s/queue.db\n",
             orientation, renderer, dir);
    write_text(path, text);
}

/* Runs the kiosk until its log says it presented its first frame and the display line. */
static pid_t start_kiosk(const char *log)
{
    char config[128], shots[128];
    snprintf(config, sizeof(config), "%s/kiosk.ini", dir);
    snprintf(shots, sizeof(shots), "%s/r%d-shot-", dir, ++run);
    const char *argv[] = {
        kiosk_bin, "--config", config, "--screenshot-every", "1", "--screenshot-prefix",
        shots,     NULL};
    unlink(log);
    pid_t pid = spawn(argv, log);
    char first[160];
    snprintf(first, sizeof(first), "%s/r%d-shot-0002.png", dir, run);
    for (int i = 0; i < 300 && access(first, F_OK) != 0; i++)
        sleep_ms(50);
    assert_true(access(first, F_OK) == 0);
    return pid;
}

/* Whether the process maps a file whose path contains part. */
static bool maps(pid_t pid, const char *part)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/maps", (int)pid);
    const char *text = read_text(path);
    return strstr(text, part) != NULL;
}

/* The number of the kiosk's newest screenshot (one a second). */
static int newest_shot(void)
{
    char path[160];
    for (int n = 1;; n++) {
        snprintf(path, sizeof(path), "%s/r%d-shot-%04d.png", dir, run, n);
        if (access(path, F_OK) != 0)
            return n - 1;
    }
}

static long compare_png(const char *a, int shot)
{
    char cmd[512], out[128];
    snprintf(out, sizeof(out), "%s/compare.txt", dir);
    snprintf(cmd, sizeof(cmd), "compare -metric AE %s %s/r%d-shot-%04d.png null: 2>%s; true", a,
             dir, run, shot, out);
    assert_int_equal(system(cmd), 0);
    return atol(read_text(out));
}

/* The root window as the X server has it, turned by degrees, against the kiosk's screenshots
 * just before and just after the grab (the clock's minute may turn in between): how many
 * pixels differ from the closer one. */
static long differs_from_screen(int degrees)
{
    char grab[128], cmd[512];
    int before = newest_shot();
    snprintf(grab, sizeof(grab), "%s/root.png", dir);
    snprintf(cmd, sizeof(cmd), "import -display %s -window root -rotate %d %s", display, degrees,
             grab);
    assert_int_equal(system(cmd), 0);
    for (int i = 0; i < 100 && newest_shot() <= before; i++)
        sleep_ms(50);
    assert_true(newest_shot() > before);
    long a = compare_png(grab, before), b = compare_png(grab, before + 1);
    return a < b ? a : b;
}

static void test_no_gpu_means_the_cpu_draws_and_mesa_stays_out(void **state)
{
    (void)state;
    char log[128];
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    write_config("landscape", "auto");
    pid_t kiosk = start_kiosk(log);
    const char *said = read_text(log);
    assert_non_null(strstr(said, "display: x11, software ("));
    mesa = strstr(said, "llvmpipe") != NULL;
    assert_false(maps(kiosk, "libLLVM"));
    assert_false(maps(kiosk, "_dri.so"));
    assert_false(maps(kiosk, "libGLX_mesa"));
    assert_int_equal(differs_from_screen(0), 0);
    stop_process(&kiosk);
}

/* The same check can fail: told to use the GPU, SDL's OpenGL renderer brings Mesa in. */
static void test_the_gpu_path_maps_mesa(void **state)
{
    (void)state;
#if defined(__aarch64__)
    skip(); /* make test-arm64: Mesa's JIT under qemu-user takes minutes to draw a frame */
#endif
    char log[128];
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    write_config("landscape", "gpu");
    pid_t kiosk = start_kiosk(log);
    const char *said = read_text(log);
    assert_non_null(strstr(said, "display: x11, GPU ([display] renderer = gpu)"));
    if (mesa) /* a machine with no Mesa at all (an arm64 test chroot) falls back to software */
        assert_true(maps(kiosk, "_dri.so") || maps(kiosk, "libLLVM"));
    stop_process(&kiosk);
}

/* A portrait canvas on a landscape monitor: turned clockwise, rectangle by rectangle. */
static void test_a_portrait_canvas_reaches_the_screen_turned(void **state)
{
    (void)state;
    char log[128];
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    write_config("portrait", "auto");
    pid_t kiosk = start_kiosk(log);
    assert_non_null(strstr(read_text(log), "output 1920x1080, canvas 1080x1920"));
    assert_int_equal(differs_from_screen(-90), 0);
    stop_process(&kiosk);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_no_gpu_means_the_cpu_draws_and_mesa_stays_out),
        cmocka_unit_test(test_the_gpu_path_maps_mesa),
        cmocka_unit_test(test_a_portrait_canvas_reaches_the_screen_turned),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
