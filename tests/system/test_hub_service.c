/* test_hub_service.c: kiosk-hub.service and the kiosk-hub package as a server sees them: the
 * unit verifies clean with an exposure of at most 2.0, runs the packaged command, the example
 * hub.ini passes --check-config as shipped and as filled in, and nothing pulls in SDL. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <glob.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"

#define ANALYZE  "/usr/bin/systemd-analyze"
#define UNIT     "kiosk-hub.service"
#define EXAMPLE  "packaging/kiosk-hub/hub.ini"
#define PACKAGED "/usr/bin/kiosk-hub"

static char hub_bin[PATH_MAX];
static char dir[64], unit[128], out_path[128], err_path[128];

/* kiosk-hub beside the kiosk under test (build/ or build/asan/), or KIOSK_HUB_BIN. */
static void find_hub(void)
{
    const char *env = getenv("KIOSK_HUB_BIN");
    char path[PATH_MAX];
    if (env) {
        snprintf(path, sizeof(path), "%s", env);
    } else {
        const char *kiosk = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
        const char *slash = strrchr(kiosk, '/');
        snprintf(path, sizeof(path), "%.*skiosk-hub", slash ? (int)(slash - kiosk + 1) : 0, kiosk);
    }
    if (!realpath(path, hub_bin))
        fail_msg("no kiosk-hub at %s (make all)", path);
}

/* The unit with every /usr/bin/kiosk-hub replaced by the binary under test (verify wants the
 * programs it names to exist). */
static void write_unit_copy(void)
{
    const char *text = read_text(UNIT);
    assert_non_null(text);
    FILE *f = fopen(unit, "w");
    assert_non_null(f);
    for (const char *p = text, *hit; *p; p = hit + strlen(PACKAGED)) {
        hit = strstr(p, PACKAGED);
        if (!hit) {
            fputs(p, f);
            break;
        }
        fprintf(f, "%.*s%s", (int)(hit - p), p, hub_bin);
    }
    assert_int_equal(fclose(f), 0);
}

static int setup(void **state)
{
    (void)state;
    find_hub();
    snprintf(dir, sizeof(dir), "/tmp/kiosk-hub-svc-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(unit, sizeof(unit), "%s/" UNIT, dir);
    snprintf(out_path, sizeof(out_path), "%s/out.txt", dir);
    snprintf(err_path, sizeof(err_path), "%s/err.txt", dir);
    write_unit_copy();
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return dir[0] ? remove_tree(dir) : 0;
}

static void skip_without_systemd(void)
{
    if (access(ANALYZE, X_OK) != 0) {
        print_message("no %s here (package systemd): skipped\n", ANALYZE);
        skip();
    }
}

/* The value of the unit's first "key=" line (without the key), or fails the test. */
static const char *unit_value(const char *text, const char *key, char *buf, size_t size)
{
    char line_start[64];
    snprintf(line_start, sizeof(line_start), "\n%s=", key);
    const char *at = strstr(text, line_start);
    if (!at)
        fail_msg("%s has no %s= line", UNIT, key);
    at += strlen(line_start);
    snprintf(buf, size, "%.*s", (int)strcspn(at, "\n"), at);
    return buf;
}

static void test_unit_verifies_clean(void **state)
{
    (void)state;
    skip_without_systemd();
    const char *args[] = {"verify", unit, NULL};
    int status = run_program(ANALYZE, args, out_path, err_path);
    const char *complaints = read_text(err_path);
    if (status != 0 || complaints[0])
        fail_msg("systemd-analyze verify (exit %d):\n%s", status, complaints);
}

static void test_exposure_is_at_most_2(void **state)
{
    (void)state;
    skip_without_systemd();
    const char *args[] = {"security", "--offline=true", "--no-pager", unit, NULL};
    run_program(ANALYZE, args, out_path, err_path); /* exits non-zero above its own "OK" level */
    const char *prefix = "Overall exposure level for " UNIT ": ";
    const char *line = strstr(read_text(out_path), prefix);
    assert_non_null(line);
    double exposure = strtod(line + strlen(prefix), NULL);
    print_message("exposure %.1f\n", exposure);
    assert_true(exposure > 0.0 && exposure <= 2.0);
}

/* What other tools and docs/hub.md rely on: the packaged program and configuration, its own
 * user and state folder, no sd_notify (the hub does not link libsystemd). */
static void test_unit_runs_the_packaged_command(void **state)
{
    (void)state;
    char text[16384], value[512];
    snprintf(text, sizeof(text), "\n%s", read_text(UNIT));
    assert_string_equal(unit_value(text, "ExecStart", value, sizeof(value)),
                        PACKAGED " --config /etc/kiosk/hub.ini");
    assert_string_equal(unit_value(text, "ExecStartPre", value, sizeof(value)),
                        PACKAGED " --check-config --config /etc/kiosk/hub.ini");
    assert_string_equal(unit_value(text, "User", value, sizeof(value)), "kiosk-hub");
    assert_string_equal(unit_value(text, "StateDirectory", value, sizeof(value)), "kiosk-hub");
    assert_string_equal(unit_value(text, "ConfigurationDirectory", value, sizeof(value)), "kiosk");
    assert_string_equal(unit_value(text, "Type", value, sizeof(value)), "exec");
    assert_string_equal(unit_value(text, "Restart", value, sizeof(value)), "on-failure");
}

/* --check-config on ini, the database in the test's folder; its exit status. */
static int check_config(const char *ini)
{
    char storage[160];
    snprintf(storage, sizeof(storage), "storage.path=%s/hub.db", dir);
    const char *args[] = {"--check-config", "--config", ini, "--set", storage, NULL};
    int status = run_program(hub_bin, args, out_path, err_path);
    if (status != 0)
        print_message("kiosk-hub --check-config %s (exit %d):\n%s", ini, status,
                      read_text(err_path));
    return status;
}

/* The conffile as installed: valid, and its upstream the demo clinic it warns about. */
static void test_example_passes_as_shipped(void **state)
{
    (void)state;
    const char *text = read_text(EXAMPLE);
    assert_non_null(text);
    assert_non_null(strstr(text, "\ntype = demo\n"));
    assert_non_null(strstr(text, "\n; type = http\n"));
    assert_int_equal(check_config(EXAMPLE), 0);
}

/* "; key = value" and "; [section]": a placeholder line to uncomment. */
static bool is_placeholder(const char *line)
{
    if (strncmp(line, "; ", 2) != 0)
        return false;
    line += 2;
    if (line[0] == '[')
        return line[strspn(line + 1, "abcdefghijklmnopqrstuvwxyz_") + 1] == ']';
    size_t key = strspn(line, "abcdefghijklmnopqrstuvwxyz_");
    return key > 0 && strncmp(line + key, " = ", 3) == 0;
}

/* The example as a site fills it in: every placeholder uncommented but TLS (the proxy does
 * it), demo off, the secrets it names (in the test's folder) in place: still valid. */
static void test_example_passes_filled_in(void **state)
{
    (void)state;
    char *text = strdup(read_text(EXAMPLE));
    char path[160], filled[160];
    snprintf(filled, sizeof(filled), "%s/hub.ini", dir);
    FILE *f = fopen(filled, "w");
    assert_non_null(f);
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strcmp(line, "type = demo") == 0)
            fputs("; ", f);
        else if (is_placeholder(line) && !strstr(line, "tls_"))
            line += 2;
        /* /etc/kiosk/NAME -> DIR/NAME */
        char *etc = strstr(line, "/etc/kiosk/");
        if (etc)
            fprintf(f, "%.*s%s/%s\n", (int)(etc - line), line, dir, etc + strlen("/etc/kiosk/"));
        else
            fprintf(f, "%s\n", line);
    }
    assert_int_equal(fclose(f), 0);
    free(text);
    assert_non_null(strstr(read_text(filled), "\ntype = http\n"));

    umask(077);
    snprintf(path, sizeof(path), "%s/hub-devices", dir);
    write_text(path, "hall-1 c2VjcmV0LXRva2VuLWZvci1oYWxsLTEtLS0t\n");
    snprintf(path, sizeof(path), "%s/hub-upstream-token", dir);
    write_text(path, "upstream-token\n");
    snprintf(path, sizeof(path), "%s/hub-qr.key", dir);
    write_text(path, "0123456789abcdef0123456789abcdef0123456789abcdef\n");
    assert_int_equal(check_config(filled), 0);
}

/* The hub's own libraries: no SDL (it runs on servers), no libsystemd (Type=exec). */
static void test_binary_links_no_sdl(void **state)
{
    (void)state;
    char cmd[PATH_MAX + 64];
    snprintf(cmd, sizeof(cmd), "objdump -p '%s' | grep NEEDED", hub_bin);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    char needed[4096];
    size_t n = fread(needed, 1, sizeof(needed) - 1, p);
    needed[n] = 0;
    assert_int_equal(pclose(p), 0);
    print_message("%s", needed);
    assert_null(strstr(needed, "SDL"));
    assert_null(strstr(needed, "libsystemd"));
}

/* The newest out/deb/kiosk-hub_*_ARCH.deb (make deb), when there is one: its Depends name no
 * SDL package, and it ships the unit, the program and hub.ini as a conffile. */
static void test_package_has_no_sdl_dependency(void **state)
{
    (void)state;
    glob_t found;
    if (glob("out/deb/kiosk-hub_*.deb", 0, NULL, &found) != 0) {
        print_message("no out/deb/kiosk-hub_*.deb (make deb): skipped\n");
        skip();
    }
    char deb[PATH_MAX];
    snprintf(deb, sizeof(deb), "%s", found.gl_pathv[found.gl_pathc - 1]);
    globfree(&found);
    const char *args[] = {"-f", deb, "Depends", NULL};
    assert_int_equal(run_program("/usr/bin/dpkg-deb", args, out_path, err_path), 0);
    const char *depends = read_text(out_path);
    print_message("%s Depends: %s", deb, depends);
    assert_null(strstr(depends, "sdl"));
    assert_null(strstr(depends, "libsystemd"));

    const char *contents[] = {"-c", deb, NULL};
    assert_int_equal(run_program("/usr/bin/dpkg-deb", contents, out_path, err_path), 0);
    const char *list = read_text(out_path);
    assert_non_null(strstr(list, " ./usr/bin/kiosk-hub\n"));
    assert_non_null(strstr(list, " ./lib/systemd/system/kiosk-hub.service\n"));
    assert_non_null(strstr(list, " ./etc/kiosk/hub.ini\n"));
    const char *conffiles[] = {"-I", deb, "conffiles", NULL};
    assert_int_equal(run_program("/usr/bin/dpkg-deb", conffiles, out_path, err_path), 0);
    assert_string_equal(read_text(out_path), "/etc/kiosk/hub.ini\n");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unit_verifies_clean),
        cmocka_unit_test(test_exposure_is_at_most_2),
        cmocka_unit_test(test_unit_runs_the_packaged_command),
        cmocka_unit_test(test_example_passes_as_shipped),
        cmocka_unit_test(test_example_passes_filled_in),
        cmocka_unit_test(test_binary_links_no_sdl),
        cmocka_unit_test(test_package_has_no_sdl_dependency),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
