/* test_renderer.c: who draws, as a pure function of the configured preference, SDL's video
 * driver and what OpenGL says it is. (tests/system/test_x11.c checks the same under a real X
 * server: the probe's answer, and Mesa kept out of the kiosk.) */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "render/renderer.h"

static enum render_path choose(enum renderer_pref pref, const char *driver, const char *gl)
{
    char why[256] = "";
    enum render_path path = renderer_choose(pref, driver, gl, why, sizeof(why));
    assert_true(why[0] != '\0'); /* the log always says why */
    return path;
}

static void test_software_gl_on_x11_is_drawn_by_the_cpu(void **state)
{
    (void)state;
    assert_int_equal(choose(RENDERER_AUTO, "x11", "llvmpipe (LLVM 15.0.6, 256 bits)"),
                     RENDER_SOFTWARE);
    assert_int_equal(choose(RENDERER_AUTO, "x11", "softpipe"), RENDER_SOFTWARE);
    assert_int_equal(choose(RENDERER_AUTO, "x11", "Software Rasterizer"), RENDER_SOFTWARE);
    assert_int_equal(choose(RENDERER_AUTO, "x11", "SwiftShader Device (Subzero)"), RENDER_SOFTWARE);
    assert_int_equal(choose(RENDERER_AUTO, "x11", ""), RENDER_SOFTWARE); /* no GL at all */
    assert_int_equal(choose(RENDERER_AUTO, "x11", NULL), RENDER_SOFTWARE);
}

static void test_a_real_gpu_on_x11_keeps_drawing(void **state)
{
    (void)state;
    assert_int_equal(choose(RENDERER_AUTO, "x11", "Mesa Intel(R) UHD Graphics 620 (KBL GT2)"),
                     RENDER_GPU);
    assert_int_equal(choose(RENDERER_AUTO, "x11", "AMD Radeon RX 580 (polaris10, LLVM 15.0.6)"),
                     RENDER_GPU); /* radeonsi names LLVM too: only llvmpipe is software */
    assert_int_equal(choose(RENDERER_AUTO, "x11", "V3D 4.2"), RENDER_GPU);
}

static void test_kmsdrm_and_wayland_always_use_the_gpu(void **state)
{
    (void)state;
    /* Neither has a window surface the CPU could fill without a GPU texture behind it. */
    assert_int_equal(choose(RENDERER_AUTO, "KMSDRM", "V3D 4.2"), RENDER_GPU);
    assert_int_equal(choose(RENDERER_SOFTWARE, "KMSDRM", NULL), RENDER_GPU);
    assert_int_equal(choose(RENDERER_AUTO, "wayland", "llvmpipe (LLVM 15.0.6, 256 bits)"),
                     RENDER_GPU);
    assert_false(renderer_has_framebuffer("KMSDRM"));
    assert_false(renderer_has_framebuffer("wayland"));
    assert_false(renderer_has_framebuffer(NULL));
}

static void test_headless_is_drawn_by_the_cpu_without_asking(void **state)
{
    (void)state;
    assert_int_equal(choose(RENDERER_AUTO, "offscreen", NULL), RENDER_SOFTWARE);
    assert_int_equal(choose(RENDERER_AUTO, "dummy", NULL), RENDER_SOFTWARE);
    assert_false(renderer_needs_probe(RENDERER_AUTO, "offscreen"));
    assert_false(renderer_needs_probe(RENDERER_AUTO, "KMSDRM")); /* never a second DRM master */
    assert_true(renderer_needs_probe(RENDERER_AUTO, "x11"));
}

static void test_the_config_overrides_where_it_can(void **state)
{
    (void)state;
    assert_int_equal(choose(RENDERER_GPU, "x11", "llvmpipe (LLVM 15.0.6, 256 bits)"), RENDER_GPU);
    assert_int_equal(choose(RENDERER_SOFTWARE, "x11", "Mesa Intel(R) UHD Graphics 620"),
                     RENDER_SOFTWARE);
    assert_false(renderer_needs_probe(RENDERER_GPU, "x11"));
    assert_false(renderer_needs_probe(RENDERER_SOFTWARE, "x11"));
    char why[256];
    renderer_choose(RENDERER_AUTO, "x11", "llvmpipe (LLVM 15.0.6, 256 bits)", why, sizeof(why));
    assert_non_null(strstr(why, "llvmpipe")); /* staff read what OpenGL said */
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_software_gl_on_x11_is_drawn_by_the_cpu),
        cmocka_unit_test(test_a_real_gpu_on_x11_keeps_drawing),
        cmocka_unit_test(test_kmsdrm_and_wayland_always_use_the_gpu),
        cmocka_unit_test(test_headless_is_drawn_by_the_cpu_without_asking),
        cmocka_unit_test(test_the_config_overrides_where_it_can),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
