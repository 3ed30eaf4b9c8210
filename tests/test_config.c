/* test_config.c: config.c against real INI files in a temporary folder, --set overrides,
 * config_check, and docs/configuration.md against config_write_reference. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>

#include <ftw.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config/config.h"

/* Each test that writes files runs inside its own temporary folder, so messages read "x.ini:3". */
struct tmp {
    char home[PATH_MAX]; /* the repository root the tests start in */
    char dir[PATH_MAX];
};

static int remove_entry(const char *path, const struct stat *st, int flag, struct FTW *ftw)
{
    (void)st, (void)flag, (void)ftw;
    return remove(path);
}

static int enter_tmp(void **state)
{
    struct tmp *t = calloc(1, sizeof *t);
    if (!t)
        return -1;
    snprintf(t->dir, sizeof t->dir, "/tmp/test_config-XXXXXX");
    if (!getcwd(t->home, sizeof t->home) || !mkdtemp(t->dir) || chdir(t->dir) != 0 ||
        !getcwd(t->dir, sizeof t->dir)) {
        free(t);
        return -1;
    }
    *state = t;
    return 0;
}

static int leave_tmp(void **state)
{
    struct tmp *t = *state;
    int rc = chdir(t->home) | nftw(t->dir, remove_entry, 8, FTW_DEPTH | FTW_PHYS);
    free(t);
    return rc;
}

static void write_file(const char *path, const char *text)
{
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    assert_int_equal(fclose(f), 0);
}

/* Defaults, then text as x.ini in the current folder. Returns the error text or NULL. */
static char *load_text(struct config *config, const char *text)
{
    char *err = (char *)"untouched";
    write_file("x.ini", text);
    config_defaults(config);
    bool ok = config_load(config, "x.ini", &err);
    assert_true(ok == (err == NULL));
    return err;
}

static void assert_has(const char *err, const char *line)
{
    assert_non_null(err);
    if (!strstr(err, line))
        fail_msg("expected \"%s\" in:\n%s", line, err);
}

static int line_count(const char *err)
{
    int n = 1;
    for (const char *p = err; *p; p++)
        n += *p == '\n';
    return n;
}

/* Bad lines and the rules across keys in one report: the SD card comes out once. */
static void test_every_problem_in_one_go(void **state)
{
    (void)state;
    write_file("x.ini", "[device]\nid = 一号机\nrole = display\n[audio]\nvolume = 80%\n"
                        "[backend]\ntype = http\n");
    struct config c;
    char *err = NULL;
    assert_false(config_read(&c, "x.ini", &err));
    assert_has(err, "x.ini:2: [device] id");
    assert_has(err, "x.ini:5: [audio] volume: \"80%\" is not a whole number");
    assert_has(err, "[backend] url must start with https:// or http:// for type http");
    free(err);
    /* A file without bad lines still gets the rules. */
    write_file("x.ini", "[device]\nid = k1\n[backend]\ntype = http\n");
    assert_false(config_read(&c, "x.ini", &err));
    assert_has(err, "[backend] url must start");
    assert_int_equal(line_count(err), 1);
    free(err);
}

static void test_demo_ini(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL, cwd[PATH_MAX], want[PATH_MAX + 64];
    assert_non_null(getcwd(cwd, sizeof cwd));
    config_defaults(&c);
    assert_true(config_load(&c, "assets/demo.ini", &err));
    assert_null(err);
    assert_true(config_check(&c, &err));
    assert_null(err);
    assert_string_equal(c.path, "assets/demo.ini");
    assert_string_equal(c.device.id, "demo-1");
    assert_string_equal(c.device.name, "门诊二楼候诊区 demo display");
    assert_int_equal(c.device.role, ROLE_DISPLAY);
    assert_int_equal(c.device.language, LANGUAGE_ZH_EN);
    assert_int_equal(c.device.orientation, ORIENTATION_LANDSCAPE);
    assert_int_equal(c.device.width, 1920);
    assert_int_equal(c.device.height, 1080);
    assert_string_equal(c.display.hospital_zh, "市人民医院");
    assert_string_equal(c.display.hospital_en, "City People's Hospital");
    assert_string_equal(c.display.area_zh, "门诊二楼 内科候诊区");
    assert_string_equal(c.display.area_en, "Internal Medicine, 2F");
    snprintf(want, sizeof want, "%s/assets/logo.png", cwd);
    assert_string_equal(c.display.logo, want);
    assert_string_equal(c.display.font, "");
    assert_true(c.display.mask_names);
    assert_int_equal(c.display.recent_count, 3);
    assert_int_equal(c.display.next_count, 3);
    assert_int_equal(c.display.blink_seconds, 6);
    assert_int_equal(c.backend.type, BACKEND_DEMO);
    assert_int_equal(c.backend.seed, 20261123);
    assert_int_equal(c.backend.speed, 10);
    assert_int_equal(c.backend.poll_interval_ms, 1000);
    snprintf(want, sizeof want, "%s/assets/../out/demo.db", cwd);
    assert_string_equal(c.storage.path, want);
}

static void test_defaults(void **state)
{
    (void)state;
    struct config c;
    memset(&c, 0x5a, sizeof c);
    config_defaults(&c);
    assert_string_equal(c.path, "");
    assert_string_equal(c.device.id, "");
    assert_string_equal(c.device.name, "");
    assert_int_equal(c.device.role, ROLE_DISPLAY);
    assert_int_equal(c.device.language, LANGUAGE_ZH_EN);
    assert_int_equal(c.device.orientation, ORIENTATION_LANDSCAPE);
    assert_int_equal(c.device.width, 0);
    assert_int_equal(c.device.height, 0);
    assert_string_equal(c.display.hospital_zh, "");
    assert_string_equal(c.display.area_en, "");
    assert_string_equal(c.display.logo, "");
    assert_string_equal(c.display.font, "");
    assert_string_equal(c.display.font_bold, "");
    assert_int_equal(c.display.font_index, 0);
    assert_true(c.display.mask_names);
    assert_int_equal(c.display.recent_count, 3);
    assert_int_equal(c.display.next_count, 3);
    assert_int_equal(c.display.blink_seconds, 6);
    assert_int_equal(c.backend.type, BACKEND_DEMO);
    assert_int_equal(c.backend.seed, 1);
    assert_int_equal(c.backend.speed, 1);
    assert_int_equal(c.backend.poll_interval_ms, 1000);
    assert_string_equal(c.storage.path, "/var/lib/kiosk/kiosk.db");
}

static void test_minimal_file_keeps_defaults(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[device]\nid = wall-3\n");
    assert_null(err);
    assert_string_equal(c.device.id, "wall-3");
    assert_int_equal(c.display.recent_count, 3);
    assert_string_equal(c.storage.path, "/var/lib/kiosk/kiosk.db");
    assert_true(config_check(&c, &err));
    assert_null(err);
}

static void test_bad_values_all_reported(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[device]\n"
                              "role = screen\n"
                              "width = 100\n"
                              "[display]\n"
                              "recent_count = 12\n"
                              "next_count = 3x\n"
                              "mask_names = maybe\n"
                              "[backend]\n"
                              "seed = -1\n"
                              "poll_interval_ms = 99\n");
    assert_has(err, "x.ini:2: [device] role: \"screen\" is not one of display, kiosk");
    assert_has(err, "x.ini:3: [device] width: 100 is out of range 0 or 320..7680");
    assert_has(err, "x.ini:5: [display] recent_count: 12 is out of range 1..8");
    assert_has(err, "x.ini:6: [display] next_count: \"3x\" is not a whole number");
    assert_has(err, "x.ini:7: [display] mask_names: \"maybe\" is not a boolean "
                    "(true/false, yes/no, on/off, 1/0)");
    assert_has(err, "x.ini:9: [backend] seed: -1 is out of range 0..9007199254740992");
    assert_has(err, "x.ini:10: [backend] poll_interval_ms: 99 is out of range 100..600000");
    assert_int_equal(line_count(err), 7);
    assert_true(strstr(err, "x.ini:2:") < strstr(err, "x.ini:10:"));
    assert_int_not_equal(err[strlen(err) - 1], '\n');
    /* A rejected value leaves the field as it was. */
    assert_int_equal(c.display.recent_count, 3);
    assert_int_equal(c.device.role, ROLE_DISPLAY);
    free(err);
}

static void test_number_edges(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[device]\nwidth = 320\nheight = 7680\n[backend]\n"
                              "seed = 9007199254740992\nspeed = 0\n");
    assert_null(err);
    assert_int_equal(c.device.width, 320);
    assert_int_equal(c.device.height, 7680);
    assert_int_equal(c.backend.seed, 9007199254740992LL);
    assert_int_equal(c.backend.speed, 0);

    err = load_text(&c, "[device]\nwidth = 319\nheight = 7681\n[backend]\n"
                        "seed = 9007199254740993\nspeed = 99999999999999999999\n");
    assert_has(err, "x.ini:2: [device] width: 319 is out of range");
    assert_has(err, "x.ini:3: [device] height: 7681 is out of range");
    assert_has(err, "x.ini:5: [backend] seed: 9007199254740993 is out of range");
    assert_has(err, "x.ini:6: [backend] speed: 99999999999999999999 is out of range 0..10000");
    free(err);
}

static void test_numbers_are_plain_decimal(void **state)
{
    (void)state;
    static const char *const bad[] = {"display.recent_count=+3", "display.recent_count= 3",
                                      "display.recent_count=3 ", "display.recent_count=0x3",
                                      "display.recent_count=",   "display.recent_count=-",
                                      "display.recent_count=2.5"};
    struct config c;
    config_defaults(&c);
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        char *err = NULL;
        assert_false(config_set(&c, bad[i], &err));
        assert_has(err, "is not a whole number");
        free(err);
    }
    assert_int_equal(c.display.recent_count, 3);
}

static void test_unknown_key_and_section(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "early = 1\n"
                              "[display]\n"
                              "colour = red\n"
                              "[colours]\n"
                              "fg = white\n"
                              "bg = black\n"
                              "[device]\n"
                              "id = ok\n");
    assert_has(err, "x.ini:1: key \"early\" comes before any [section]");
    assert_has(err, "x.ini:3: unknown key \"colour\" in [display]");
    assert_has(err, "x.ini:5: unknown section [colours]");
    /* One report per unknown section, not one per key in it. */
    assert_null(strstr(err, "x.ini:6:"));
    assert_int_equal(line_count(err), 3);
    assert_string_equal(c.device.id, "ok");
    free(err);
}

static void test_missing_file(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL;
    config_defaults(&c);
    assert_false(config_load(&c, "nope.ini", &err));
    assert_string_equal(err, "nope.ini: cannot open: No such file or directory");
    free(err);
}

static void test_directory_is_unreadable(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL;
    assert_int_equal(mkdir("d.ini", 0700), 0);
    config_defaults(&c);
    assert_false(config_load(&c, "d.ini", &err));
    assert_string_equal(err, "d.ini: cannot read: Is a directory");
    free(err);
}

static void test_syntax_errors_all_reported_in_order(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[display]\n"
                              "recent_count = 9\n"
                              "oops\n"
                              "[broken\n"
                              "next_count = 0\n"
                              "blink_seconds = 5\n");
    assert_non_null(err);
    assert_string_equal(err, "x.ini:2: [display] recent_count: 9 is out of range 1..8\n"
                             "x.ini:3: expected [section] or key = value\n"
                             "x.ini:4: expected [section] or key = value\n"
                             "x.ini:5: [display] next_count: 0 is out of range 1..8");
    /* The lines around the malformed ones still count. */
    assert_int_equal(c.display.blink_seconds, 5);
    free(err);
}

static void test_duplicate_key_rejected(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[display]\nrecent_count = 4\n[device]\nid = a\n"
                              "[display]\nrecent_count = 5\n");
    assert_string_equal(err, "x.ini:6: [display] recent_count: set again (first on line 2)");
    assert_int_equal(c.display.recent_count, 4);
    free(err);
}

static void test_layout_comments_and_line_endings(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "# hash comment\r\n"
                              "; semicolon comment\r\n"
                              "[display]\r\n"
                              "recent_count = 4 ; four\r\n"
                              "   next_count = 5\r\n"
                              "\tblink_seconds=7\r\n"
                              "area_en = Ward 3 #1\r\n");
    assert_null(err);
    assert_int_equal(c.display.recent_count, 4);
    /* Indented, yet its own key rather than more of recent_count's value. */
    assert_int_equal(c.display.next_count, 5);
    assert_int_equal(c.display.blink_seconds, 7);
    assert_string_equal(c.display.area_en, "Ward 3 #1");
}

static void test_required_id(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[display]\nrecent_count = 2\n");
    assert_null(err);
    assert_false(config_check(&c, &err));
    assert_string_equal(err, "x.ini: [device] id is required");
    free(err);

    err = load_text(&c, "[device]\nid =\n");
    assert_string_equal(err, "x.ini:2: [device] id: is 0 bytes long; 1..32 allowed");
    free(err);
    err = load_text(&c, "[device]\nid = front desk\n");
    assert_string_equal(err,
                        "x.ini:2: [device] id: \"front desk\" may only hold A-Z a-z 0-9 . _ -");
    free(err);
    err = load_text(
        &c, "[device]\nid = 012345678901234567890123456789012\n"); /* 33: too long for a token */
    assert_string_equal(err, "x.ini:2: [device] id: is 33 bytes long; 1..32 allowed");
    free(err);
    err = load_text(&c, "[device]\nid = A-z_9.x\n");
    assert_null(err);
    assert_string_equal(c.device.id, "A-z_9.x");
    /* The id goes into URLs (devices/{id}/heartbeat) and {device} in link templates: a dot
     * segment would name another path (/api/v1/heartbeat). */
    const char *const dots[] = {"[device]\nid = ..\n", "[device]\nid = .\n"};
    for (int i = 0; i < 2; i++) {
        err = load_text(&c, dots[i]);
        assert_null(err);
        assert_false(config_check(&c, &err));
        assert_non_null(strstr(err, "x.ini: [device] id: \"."));
        assert_non_null(strstr(err, "cannot be \".\" or \"..\""));
        free(err);
    }
    err = load_text(&c, "[device]\nid = ../heartbeat\n"); /* '/' is refused too */
    assert_has(err, "may only hold");
    free(err);
    err = load_text(&c, "[device]\nid = ...\n"); /* not a dot segment: a name like any other */
    assert_null(err);
    assert_true(config_check(&c, &err));
}

static void test_width_height_pairing(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[device]\nid = a\nwidth = 1920\n");
    assert_null(err);
    assert_false(config_check(&c, &err));
    assert_string_equal(err, "x.ini: [device] width and height must both be 0 or both be set, "
                             "not 1920x0");
    free(err);

    err = load_text(&c, "[device]\nid = a\nwidth = 800\nheight = 480\n");
    assert_null(err);
    assert_true(config_check(&c, &err));
    assert_null(err);
}

static void test_check_collects_every_problem(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL;
    config_defaults(&c);
    c.device.height = 720;
    c.display.font_index = 2;
    assert_false(config_check(&c, &err));
    assert_string_equal(err, "configuration: [device] id is required\n"
                             "configuration: [device] width and height must both be 0 or both be "
                             "set, not 0x720\n"
                             "configuration: [display] font_index 2 needs [display] font or "
                             "font_bold");
    free(err);
    assert_true(config_set(&c, "display.font_bold=/f/bold.ttc", &err));
    assert_true(config_set(&c, "device.height=0", &err));
    assert_true(config_set(&c, "device.id=x", &err));
    assert_true(config_check(&c, &err));
    assert_null(err);
}

/* Novo SGA shows nothing for an empty service list, without an error: refused here. The hub
 * names the same keys [upstream]. */
static void test_novosga_needs_services(void **state)
{
    (void)state;
    static const char *const sets[] = {
        "type=novosga", "url=https://sga.example", "username=panel", "password_file=/p",
        "client_id=c",  "client_secret_file=/s",   "unit=1"};
    char set[128];
    struct config c;
    char *err = NULL;
    for (int hub = 0; hub < 2; hub++) {
        config_defaults_for(&c, hub ? CONFIG_HUB : CONFIG_KIOSK);
        assert_true(hub || config_set(&c, "device.id=x", &err));
        for (size_t i = 0; i < sizeof sets / sizeof sets[0]; i++) {
            snprintf(set, sizeof set, "%s.%s", hub ? "upstream" : "backend", sets[i]);
            assert_true(config_set(&c, set, &err));
        }
        assert_false(config_check(&c, &err));
        assert_string_equal(err, hub ? "configuration: [upstream] type novosga needs services: the "
                                       "ids of the services to show, e.g. 1,2"
                                     : "configuration: [backend] type novosga needs services: the "
                                       "ids of the services to show, e.g. 1,2");
        free(err);
        assert_true(config_set(&c, hub ? "upstream.services=1,2" : "backend.services=1,2", &err));
        assert_true(config_check(&c, &err));
    }
}

/* OpenMRS cuts Basic credentials at every ':': such a password can never log in, and retrying
 * it would keep the account locked. "completed" as a calling status removes the ticket. */
static void test_openmrs_checks(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL;
    write_file("pw", "ab:cd\n");
    assert_int_equal(chmod("pw", 0600), 0);
    config_defaults(&c);
    assert_true(config_set(&c, "device.id=x", &err));
    assert_true(config_set(&c, "backend.type=openmrs", &err));
    assert_true(config_set(&c, "backend.url=https://emr.example/openmrs", &err));
    assert_true(config_set(&c, "backend.username=queue-display", &err));
    assert_true(config_set(&c, "backend.password_file=pw", &err));
    assert_true(config_set(&c, "backend.calling_statuses=Now serving, Completed", &err));
    assert_false(config_check(&c, &err));
    assert_string_equal(err, "configuration: [backend] password_file: the OpenMRS password holds "
                             "a ':', which OpenMRS can never accept over HTTP Basic: choose a "
                             "password without ':' for user queue-display\n"
                             "configuration: [backend] calling_statuses: \"completed\" removes "
                             "the ticket in OpenMRS; it cannot be a calling status");
    free(err);
    write_file("pw", "abcd\n");
    assert_true(config_set(&c, "backend.calling_statuses=Now serving", &err));
    assert_true(config_check(&c, &err));
    assert_false(config_set(&c, "backend.waiting_status=Waiting", &err));
    free(err);
}

static void test_printer_checks(void **state)
{
    (void)state;
    struct config c;
    char *err = NULL;
    config_defaults(&c);
    assert_true(config_set(&c, "device.id=k1", &err));
    assert_true(config_set(&c, "printer.paper_mm=70", &err));
    assert_true(config_set(&c, "printer.device=tcp:printer.lan", &err));
    assert_false(config_check(&c, &err));
    assert_string_equal(err, "configuration: [printer] paper_mm must be 58 or 80, not 70\n"
                             "configuration: [printer] device: \"tcp:printer.lan\": tcp: needs "
                             "HOST:PORT, e.g. tcp:192.168.1.50:9100");
    free(err);
    assert_true(config_set(&c, "printer.paper_mm=80", &err));
    assert_true(config_set(&c, "printer.device=tcp:printer.lan:9100", &err));
    assert_true(config_set(&c, "printer.cut=full", &err));
    assert_true(config_check(&c, &err));
    assert_int_equal(c.printer.cut, CUT_FULL);
    assert_false(config_set(&c, "printer.cut=half", &err));
    free(err);
}

static void test_relative_paths(void **state)
{
    struct tmp *t = *state;
    struct config c;
    char *err = NULL, want[PATH_MAX + 64];
    assert_int_equal(mkdir("sub", 0700), 0);
    write_file("sub/k.ini", "[display]\nlogo = img/l.png\nfont = /usr/share/f.ttc\nfont_bold =\n"
                            "[storage]\npath = ../db/k.db\n");
    config_defaults(&c);
    assert_true(config_load(&c, "sub/k.ini", &err));
    snprintf(want, sizeof want, "%s/sub/img/l.png", t->dir);
    assert_string_equal(c.display.logo, want);
    assert_string_equal(c.display.font, "/usr/share/f.ttc");
    assert_string_equal(c.display.font_bold, "");
    snprintf(want, sizeof want, "%s/sub/../db/k.db", t->dir);
    assert_string_equal(c.storage.path, want);

    /* The same file through an absolute name, from elsewhere: the result does not change. */
    snprintf(want, sizeof want, "%s/sub/k.ini", t->dir);
    assert_int_equal(chdir("/"), 0);
    config_defaults(&c);
    assert_true(config_load(&c, want, &err));
    snprintf(want, sizeof want, "%s/sub/img/l.png", t->dir);
    assert_string_equal(c.display.logo, want);

    /* From the root folder: relative names there gain a single leading slash. */
    config_defaults(&c);
    snprintf(want, sizeof want, "%s/sub/k.ini", t->dir + 1);
    assert_true(config_load(&c, want, &err));
    snprintf(want, sizeof want, "%s/sub/img/l.png", t->dir);
    assert_string_equal(c.display.logo, want);
    assert_true(config_set(&c, "display.logo=x.png", &err));
    assert_string_equal(c.display.logo, "/x.png");
}

static void test_set_overrides(void **state)
{
    struct tmp *t = *state;
    struct config c;
    char *err = load_text(&c, "[device]\nid = a\nrole = display\n[display]\nrecent_count = 2\n");
    char want[PATH_MAX + 64];
    assert_null(err);
    assert_true(config_set(&c, "display.recent_count=5", &err));
    assert_null(err);
    assert_true(config_set(&c, "device.role=KIOSK", &err));
    assert_true(config_set(&c, "device.language=zh", &err));
    assert_true(config_set(&c, "device.orientation=portrait", &err));
    assert_true(config_set(&c, "display.area_en=A = B", &err));
    assert_true(config_set(&c, "display.logo=pic.png", &err));
    assert_true(config_set(&c, "storage.path=/srv/k.db", &err));
    assert_true(config_set(&c, "display.font=", &err));
    assert_int_equal(c.display.recent_count, 5);
    assert_int_equal(c.device.role, ROLE_KIOSK);
    assert_int_equal(c.device.language, LANGUAGE_ZH);
    assert_int_equal(c.device.orientation, ORIENTATION_PORTRAIT);
    assert_string_equal(c.display.area_en, "A = B");
    snprintf(want, sizeof want, "%s/pic.png", t->dir);
    assert_string_equal(c.display.logo, want);
    assert_string_equal(c.storage.path, "/srv/k.db");
    assert_string_equal(c.display.font, "");
}

static void test_set_errors(void **state)
{
    (void)state;
    static const char *const cases[][2] = {
        {"nodot=1", "--set nodot=1: expected section.key=value"},
        {"display.recent_count", "--set display.recent_count: expected section.key=value"},
        {".recent_count=1", "--set .recent_count=1: expected section.key=value"},
        {"display.=1", "--set display.=1: expected section.key=value"},
        {"display.colour=red", "--set display.colour=red: unknown key \"colour\" in [display]"},
        {"colours.fg=red", "--set colours.fg=red: unknown section [colours]"},
        {"display.recent_count=12",
         "--set display.recent_count=12: [display] recent_count: 12 is out of range 1..8"},
        {"device.role=screen",
         "--set device.role=screen: [device] role: \"screen\" is not one of display, kiosk"},
    };
    struct config c;
    config_defaults(&c);
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *err = NULL;
        assert_false(config_set(&c, cases[i][0], &err));
        assert_string_equal(err, cases[i][1]);
        free(err);
    }
    assert_int_equal(c.display.recent_count, 3);
    assert_int_equal(c.device.role, ROLE_DISPLAY);
}

static void test_bool_spellings(void **state)
{
    (void)state;
    static const char *const truths[] = {"true", "yes", "on", "1", "TRUE", "Yes", "oN"};
    static const char *const falsehoods[] = {"false", "no", "off", "0", "False", "NO", "Off"};
    struct config c;
    char set[64], *err = NULL;
    config_defaults(&c);
    for (size_t i = 0; i < sizeof truths / sizeof truths[0]; i++) {
        snprintf(set, sizeof set, "display.mask_names=%s", falsehoods[i]);
        assert_true(config_set(&c, set, &err));
        assert_false(c.display.mask_names);
        snprintf(set, sizeof set, "display.mask_names=%s", truths[i]);
        assert_true(config_set(&c, set, &err));
        assert_true(c.display.mask_names);
    }
    assert_false(config_set(&c, "display.mask_names=2", &err));
    free(err);
    err = load_text(&c, "[display]\nmask_names = Off\n");
    assert_null(err);
    assert_false(c.display.mask_names);
}

static void test_overlong_values(void **state)
{
    (void)state;
    struct config c;
    char text[400], *err;
    /* 127 bytes fit the 128-byte field; 128 do not, and are refused rather than cut. */
    snprintf(text, sizeof text, "[display]\nhospital_en = %0127d\nhospital_zh = %0128d\n", 0, 0);
    err = load_text(&c, text);
    assert_string_equal(err, "x.ini:3: [display] hospital_zh: is 128 bytes long; 0..127 allowed");
    assert_int_equal(strlen(c.display.hospital_en), 127);
    assert_string_equal(c.display.hospital_zh, "");
    free(err);

    /* A line inih would split in two is refused whole. */
    snprintf(text, sizeof text, "[display]\narea_en = %0190d\nrecent_count = 4\n", 0);
    err = load_text(&c, text);
    assert_string_equal(err, "x.ini:2: line is longer than 198 bytes");
    assert_string_equal(c.display.area_en, "");
    assert_int_equal(c.display.recent_count, 4);
    free(err);
}

static void test_invalid_utf8(void **state)
{
    (void)state;
    struct config c;
    char *err = load_text(&c, "[display]\narea_zh = \xe9\x97\n[device]\nname = \xc0\xaf\n");
    assert_has(err, "x.ini:2: [display] area_zh: value is not valid UTF-8");
    assert_has(err, "x.ini:4: [device] name: value is not valid UTF-8");
    assert_string_equal(c.display.area_zh, "");
    free(err);
    /* A NUL byte would end the value early without a word; the line is refused instead. */
    static const char nul[] = "[display]\narea_en = A\0B\n";
    FILE *f = fopen("x.ini", "w");
    assert_non_null(f);
    assert_int_equal(fwrite(nul, 1, sizeof nul - 1, f), sizeof nul - 1);
    assert_int_equal(fclose(f), 0);
    config_defaults(&c);
    assert_false(config_load(&c, "x.ini", &err));
    assert_string_equal(err, "x.ini:2: line holds a NUL byte");
    assert_string_equal(c.display.area_en, "");
    free(err);
    assert_false(config_set(&c, "display.logo=/a/\xff.png", &err));
    assert_string_equal(err, "--set display.logo=/a/\xff.png: [display] logo: value is not valid "
                             "UTF-8");
    free(err);
}

static void test_names(void **state)
{
    (void)state;
    assert_string_equal(role_name(ROLE_DISPLAY), "display");
    assert_string_equal(role_name(ROLE_KIOSK), "kiosk");
    assert_string_equal(language_name(LANGUAGE_ZH), "zh");
    assert_string_equal(language_name(LANGUAGE_EN), "en");
    assert_string_equal(language_name(LANGUAGE_ZH_EN), "zh+en");
    assert_string_equal(orientation_name(ORIENTATION_LANDSCAPE), "landscape");
    assert_string_equal(orientation_name(ORIENTATION_PORTRAIT), "portrait");
}

static void test_reference_matches_docs(void **state)
{
    (void)state;
    char *want = NULL, *got = NULL;
    size_t want_size = 0, got_size = 0;
    FILE *docs = fopen("docs/configuration.md", "r");
    assert_non_null(docs);
    assert_true(getdelim(&want, &want_size, '\0', docs) > 0);
    want_size = strlen(want);
    fclose(docs);
    FILE *out = open_memstream(&got, &got_size);
    assert_non_null(out);
    config_write_reference(out, CONFIG_KIOSK);
    assert_int_equal(fclose(out), 0);
    if (got_size != want_size || memcmp(got, want, got_size) != 0)
        fail_msg("docs/configuration.md differs from config_write_reference(): regenerate it");
    assert_non_null(strstr(got, "| `recent_count` | int | `3` | 1..8 |"));
    assert_non_null(strstr(got, "`--set section.key=value`"));
    free(want);
    free(got);
}

#define TMP_TEST(f) cmocka_unit_test_setup_teardown(f, enter_tmp, leave_tmp)

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_demo_ini),
        TMP_TEST(test_every_problem_in_one_go),
        cmocka_unit_test(test_defaults),
        TMP_TEST(test_minimal_file_keeps_defaults),
        TMP_TEST(test_bad_values_all_reported),
        TMP_TEST(test_number_edges),
        cmocka_unit_test(test_numbers_are_plain_decimal),
        TMP_TEST(test_unknown_key_and_section),
        TMP_TEST(test_missing_file),
        TMP_TEST(test_directory_is_unreadable),
        TMP_TEST(test_syntax_errors_all_reported_in_order),
        TMP_TEST(test_duplicate_key_rejected),
        TMP_TEST(test_layout_comments_and_line_endings),
        TMP_TEST(test_required_id),
        TMP_TEST(test_width_height_pairing),
        cmocka_unit_test(test_check_collects_every_problem),
        cmocka_unit_test(test_novosga_needs_services),
        TMP_TEST(test_openmrs_checks),
        cmocka_unit_test(test_printer_checks),
        TMP_TEST(test_relative_paths),
        TMP_TEST(test_set_overrides),
        cmocka_unit_test(test_set_errors),
        TMP_TEST(test_bool_spellings),
        TMP_TEST(test_overlong_values),
        TMP_TEST(test_invalid_utf8),
        cmocka_unit_test(test_names),
        cmocka_unit_test(test_reference_matches_docs),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
