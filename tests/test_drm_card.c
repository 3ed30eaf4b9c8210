/* test_drm_card.c: the DRM card is chosen by its stable by-path name and by a connected
 * display, whatever number the kernel gave it this boot. Fake /dev/dri/by-path and
 * /sys/class/drm folders stand in for a Pi 4's. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "render/drm_card.h"

static char dir[64], by_path[96], sysfs[96];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-drm-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(by_path, sizeof(by_path), "%s/by-path", dir);
    snprintf(sysfs, sizeof(sysfs), "%s/drm", dir);
    assert_int_equal(mkdir(by_path, 0755), 0);
    assert_int_equal(mkdir(sysfs, 0755), 0);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void link_card(const char *name, const char *target)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", by_path, name);
    assert_int_equal(symlink(target, path), 0);
}

static void connector(const char *name, const char *status)
{
    char path[160];
    snprintf(path, sizeof(path), "%s/%s", sysfs, name);
    assert_int_equal(mkdir(path, 0755), 0);
    snprintf(path, sizeof(path), "%s/%s/status", sysfs, name);
    write_text(path, status);
}

/* A Pi 4 on a boot where vc4 (the display) came second: card1, not card0. */
static void test_the_card_with_a_display(void **state)
{
    (void)state;
    link_card("platform-fec00000.v3d-card", "../card0");
    link_card("platform-fec00000.v3d-render", "../renderD128");
    link_card("platform-gpu-card", "../card1");
    connector("card1-HDMI-A-1", "disconnected\n");
    connector("card1-HDMI-A-2", "connected\n");
    assert_int_equal(drm_card_index(by_path, sysfs), 1);
}

/* No monitor on yet: the card that has connectors, not the render-only one. */
static void test_connectors_without_a_display(void **state)
{
    (void)state;
    link_card("platform-axi:gpu-card", "../card2");
    link_card("platform-1002000000.v3d-card", "../card0");
    connector("card2-HDMI-A-1", "disconnected\n");
    assert_int_equal(drm_card_index(by_path, sysfs), 2);
}

static void test_no_card(void **state)
{
    (void)state;
    assert_int_equal(drm_card_index(by_path, sysfs), -1);
    assert_int_equal(drm_card_index("/nonexistent/by-path", sysfs), -1);
    link_card("platform-gpu-card", "../not-a-card");
    assert_int_equal(drm_card_index(by_path, sysfs), -1);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_the_card_with_a_display, setup, teardown),
        cmocka_unit_test_setup_teardown(test_connectors_without_a_display, setup, teardown),
        cmocka_unit_test_setup_teardown(test_no_card, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
