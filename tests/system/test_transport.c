/* test_transport.c: each printer transport against a real peer: a file, the fake network
 * printer (tests/system/printer_sim.py), a stand-in `lp` for CUPS, and a pseudo-terminal standing
 * in for /dev/usb/lp0. Bytes must arrive exactly; status answers and silences must be told apart;
 * a network printer has a job only once it has taken every byte; every failure must say what
 * went wrong. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/bytes.h"
#include "base/clock.h"
#include "harness.h"
#include "printer/transport.h"

static char dir[64];
static pid_t sim;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-transport-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    unsetenv("KIOSK_LP");
    return remove_tree(dir);
}

/* Bytes that look like commands inside a picture: 10 04 must not be taken for a status
 * request when it is data. */
static const unsigned char payload[] = {0x1b, '@',  0x1d, 'v',  '0',  0,    2,   0, 2,
                                        0,    0x10, 0x04, 0x01, 0xff, 0x1d, 'V', 1};

static struct transport *open_ok(const char *device, int timeout_ms)
{
    char *err = NULL;
    struct transport *t = transport_open(device, timeout_ms, &err);
    if (!t)
        fail_msg("%s", err);
    return t;
}

static void close_ok(struct transport *t)
{
    char *err = NULL;
    if (!transport_close(t, &err))
        fail_msg("%s", err);
}

static void assert_file_holds(const char *path, const unsigned char *data, size_t len)
{
    size_t got;
    unsigned char *bytes = read_bytes(path, &got);
    assert_int_equal(got, len);
    assert_memory_equal(bytes, data, len);
    free(bytes);
}

static void test_device_strings(void **state)
{
    (void)state;
    const char *good[] = {"usb:/dev/usb/lp0", "tcp:192.168.1.50:9100", "tcp:printer.lan:9100",
                          "cups:Receipt_1", "file:/tmp/x.bin"};
    const char *bad[] = {"",
                         "lpt:/x",
                         "usb:",
                         "tcp:host",
                         "tcp:host:port",
                         "tcp::9100",
                         "tcp:host:70000",
                         "cups:bad queue;rm",
                         "file:"};
    char *err = NULL;
    for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
        if (!transport_parse(good[i], &err))
            fail_msg("%s refused: %s", good[i], err);
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        if (transport_parse(bad[i], &err))
            fail_msg("\"%s\" accepted", bad[i]);
        assert_non_null(err);
        free(err);
    }
}

static void test_file_appends_exactly(void **state)
{
    (void)state;
    char path[128], device[160], *err = NULL;
    path_in(path, sizeof(path), "out.bin");
    snprintf(device, sizeof(device), "file:%s", path);
    for (int i = 0; i < 2; i++) {
        struct transport *t = open_ok(device, 1000);
        assert_false(transport_two_way(t));
        unsigned char status;
        assert_int_equal(transport_status(t, 1, &status, &err), TRANSPORT_BROKEN);
        assert_non_null(strstr(err, "status cannot be read"));
        free(err);
        assert_true(transport_write(t, payload, sizeof(payload), &err));
        close_ok(t);
    }
    unsigned char twice[2 * sizeof(payload)];
    memcpy(twice, payload, sizeof(payload));
    memcpy(twice + sizeof(payload), payload, sizeof(payload));
    assert_file_holds(path, twice, sizeof(twice));
    assert_null(transport_open("file:/nonexistent/dir/x.bin", 1000, &err));
    assert_non_null(strstr(err, "No such file"));
    free(err);
}

/* Starts tests/system/printer_sim.py in mode; fills device and the path of the bytes it records,
 * and returns the port of its control channel. */
static int start_sim(const char *mode, char *device, size_t size, char *out)
{
    char port_file[128], control_file[128], log[128];
    path_in(port_file, sizeof(port_file), "port");
    path_in(control_file, sizeof(control_file), "control");
    path_in(log, sizeof(log), "sim.log");
    path_in(out, 128, "printed.bin");
    remove(port_file);
    remove(control_file);
    remove(out);
    const char *argv[] = {
        "tests/system/printer_sim.py", "--port-file", port_file, "--out", out, "--status", mode,
        "--control-port-file",         control_file,  NULL};
    sim = spawn(argv, log);
    snprintf(device, size, "tcp:127.0.0.1:%d", wait_port_file(port_file));
    return wait_port_file(control_file);
}

static void test_tcp_status_and_data(void **state)
{
    (void)state;
    struct {
        const char *mode;
        unsigned char n, expected;
    } cases[] = {{"ok", 4, 0x12},         {"paper_out", 4, 0x72}, {"paper_out", 2, 0x32},
                 {"cover_open", 2, 0x16}, {"offline", 1, 0x1a},   {"ok", 1, 0x12},
                 {"ok", 3, 0x12}};
    char device[64], out[128], *err = NULL;
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        start_sim(cases[i].mode, device, sizeof(device), out);
        struct transport *t = open_ok(device, 2000);
        assert_true(transport_two_way(t));
        unsigned char status = 0;
        if (transport_status(t, cases[i].n, &status, &err) != TRANSPORT_ANSWERED)
            fail_msg("%s: %s", cases[i].mode, err);
        assert_int_equal(status, cases[i].expected);
        assert_true(transport_write(t, payload, sizeof(payload), &err));
        close_ok(t); /* returns once the printer has everything */
        assert_file_holds(out, payload, sizeof(payload)); /* status requests kept out */
        stop_process(&sim);
    }
}

/* The control channel changes the answer of a connection that is already open. */
static void test_tcp_status_changes(void **state)
{
    (void)state;
    char device[64], out[128], *err = NULL;
    int control = start_sim("ok", device, sizeof(device), out);
    struct transport *t = open_ok(device, 2000);
    unsigned char status = 0;
    assert_int_equal(transport_status(t, 4, &status, &err), TRANSPORT_ANSWERED);
    assert_int_equal(status, 0x12);
    cJSON_Delete(http_json(control, "/status", "\"paper_out\""));
    cJSON *now = http_json(control, "/status", NULL);
    assert_string_equal(cJSON_GetObjectItem(now, "status")->valuestring, "paper_out");
    cJSON_Delete(now);
    assert_int_equal(transport_status(t, 4, &status, &err), TRANSPORT_ANSWERED);
    assert_int_equal(status, 0x72);
    close_ok(t);
}

static void test_tcp_silence_and_refusal(void **state)
{
    (void)state;
    char device[64], out[128], *err = NULL;
    start_sim("silent", device, sizeof(device), out);
    struct transport *t = open_ok(device, 300);
    unsigned char status;
    uint64_t start = clock_mono_ms();
    assert_int_equal(transport_status(t, 1, &status, &err), TRANSPORT_SILENT);
    assert_true(clock_mono_ms() - start < 5 * 300);
    assert_non_null(strstr(err, "timed out after 300 ms"));
    free(err);
    assert_true(transport_write(t, payload, sizeof(payload), &err));
    close_ok(t);
    assert_file_holds(out, payload, sizeof(payload)); /* silent, but it still prints */
    stop_process(&sim);                               /* the port is closed now */
    assert_null(transport_open(device, 1000, &err));
    assert_non_null(strstr(err, "refused"));
    assert_non_null(strstr(err, device));
    free(err);
}

/* A job the size of a ticket, over a printer's 4 KB buffer: pictures of 0x55 rows. */
static void big_job(struct bytes *out)
{
    const unsigned char head[] = {0x1b, '@', 0x1d, 'v', '0', 0, 48, 0, 0, 1}; /* 384 x 256 */
    const unsigned char tail[] = {0x1b, 'd', 4, 0x1d, 'V', 1};
    for (int band = 0; band < 3; band++) {
        bytes_append(out, band ? head + 2 : head, band ? sizeof(head) - 2 : sizeof(head));
        for (int i = 0; i < 48 * 256; i++)
            bytes_append(out, "\x55", 1);
    }
    bytes_append(out, tail, sizeof(tail));
}

/* A one-way print server: silent when asked, yet it takes every byte, the request too. */
static void test_tcp_one_way_sink(void **state)
{
    (void)state;
    char device[64], out[128], *err = NULL;
    start_sim("sink", device, sizeof(device), out);
    struct transport *t = open_ok(device, 300);
    unsigned char status;
    assert_int_equal(transport_status(t, 1, &status, &err), TRANSPORT_SILENT);
    free(err);
    struct bytes job = {0};
    big_job(&job);
    assert_true(transport_write(t, job.data, job.len, &err));
    if (!transport_flush(t, &err))
        fail_msg("%s", err);
    close_ok(t);
    stop_process(&sim);
    size_t len;
    unsigned char *got = read_bytes(out, &len);
    assert_int_equal(len, 3 + job.len);
    assert_memory_equal(got, "\x10\x04\x01", 3);
    assert_memory_equal(got + 3, job.data, job.len);
    free(got);
    bytes_free(&job);
}

/* Written is not taken: a printer that hangs up after one band, and one that stops reading
 * after 2 KB, fail the flush with what they are missing, however much the kernel buffered. */
static void test_tcp_job_not_taken(void **state)
{
    (void)state;
    struct {
        const char *mode, *reason;
    } cases[] = {{"hangs_up", "the printer broke the connection"},
                 {"stalls", "the printer took no more of the job for 500 ms"}};
    char device[64], out[128], *err = NULL;
    struct bytes job = {0};
    big_job(&job);
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        start_sim(cases[i].mode, device, sizeof(device), out);
        struct transport *t = open_ok(device, 500);
        unsigned char status;
        assert_int_equal(transport_status(t, 1, &status, &err), TRANSPORT_ANSWERED);
        bool sent = transport_write(t, job.data, job.len, &err) && transport_flush(t, &err);
        assert_false(sent);
        if (!strstr(err, cases[i].reason) || !strstr(err, "not taken"))
            fail_msg("%s: %s", cases[i].mode, err);
        free(err);
        assert_false(transport_close(t, &err)); /* and says so again */
        free(err);
        stop_process(&sim);
        size_t len;
        free(read_bytes(out, &len));
        assert_true(len < job.len);
    }
    bytes_free(&job);
}

/* A stop while a slow printer takes the job ends the wait within the grace, not the timeout. */
static void test_tcp_stop_cuts_the_wait(void **state)
{
    (void)state;
    char device[64], out[128], *err = NULL;
    start_sim("slow", device, sizeof(device), out);
    struct transport *t = open_ok(device, 30000);
    int stop = eventfd(0, EFD_CLOEXEC);
    transport_stop_on(t, stop, 300);
    struct bytes job = {0};
    big_job(&job);
    assert_true(transport_write(t, job.data, job.len, &err));
    eventfd_write(stop, 1);
    uint64_t start = clock_mono_ms();
    assert_false(transport_flush(t, &err));
    assert_true(clock_mono_ms() - start < 10000);
    assert_non_null(strstr(err, "not printed: the kiosk was stopping with"));
    free(err);
    assert_false(transport_close(t, &err));
    free(err);
    close(stop);
    bytes_free(&job);
}

/* A stand-in for lp: records its arguments and its input, fails like lp does, or hangs. */
static void write_lp(const char *name, const char *behaviour)
{
    char path[128], script[512];
    path_in(path, sizeof(path), name);
    if (strcmp(behaviour, "fails") == 0)
        snprintf(script, sizeof(script),
                 "#!/bin/sh\ncat >/dev/null\necho 'lp: The printer or class does not exist.' "
                 ">&2\nexit 1\n");
    else if (strcmp(behaviour, "hangs") == 0)
        snprintf(script, sizeof(script), "#!/bin/sh\nexec sleep 10\n");
    else
        snprintf(script, sizeof(script),
                 "#!/bin/sh\necho \"$@\" > %s/lp.args\ncat > %s/lp.data\necho 'request id is "
                 "Receipt-1 (1 file(s))'\n",
                 dir, dir);
    write_text(path, script);
    chmod(path, 0755);
    setenv("KIOSK_LP", path, 1);
}

static void test_cups_through_lp(void **state)
{
    (void)state;
    char *err = NULL, path[128];
    write_lp("lp-ok", "records");
    struct transport *t = open_ok("cups:Receipt", 2000);
    assert_false(transport_two_way(t));
    assert_true(transport_write(t, payload, 5, &err));
    assert_true(transport_write(t, payload + 5, sizeof(payload) - 5, &err));
    close_ok(t); /* the job goes to lp here */
    path_in(path, sizeof(path), "lp.data");
    assert_file_holds(path, payload, sizeof(payload));
    path_in(path, sizeof(path), "lp.args");
    assert_string_equal(read_text(path), "-d Receipt -o raw\n");

    write_lp("lp-fails", "fails");
    t = open_ok("cups:Receipt", 2000);
    close_ok(t); /* nothing written, so no lp: real lp refuses an empty job ("stdin is empty"),
                    which made every status check of a cups: printer a failure */
    t = open_ok("cups:Nowhere", 2000);
    assert_true(transport_write(t, payload, sizeof(payload), &err));
    assert_false(transport_close(t, &err));
    assert_non_null(
        strstr(err, "cups:Nowhere: lp failed: lp: The printer or class does not exist."));
    free(err);
}

static void test_cups_lp_hangs_or_is_missing(void **state)
{
    (void)state;
    char *err = NULL;
    write_lp("lp-hangs", "hangs");
    struct transport *t = open_ok("cups:Receipt", 300);
    assert_true(transport_write(t, payload, sizeof(payload), &err));
    uint64_t start = clock_mono_ms();
    assert_false(transport_close(t, &err));
    assert_true(clock_mono_ms() - start < 5 * 300);
    assert_string_equal(err, "cups:Receipt: lp timed out after 300 ms");
    free(err);

    setenv("KIOSK_LP", "/nonexistent/lp", 1);
    t = open_ok("cups:Receipt", 300);
    assert_true(transport_write(t, payload, sizeof(payload), &err));
    assert_false(transport_close(t, &err));
    /* The reason follows where the C library can report it (not under qemu-user). */
    assert_non_null(strstr(err, "cups:Receipt: cannot run /nonexistent/lp"));
    free(err);
}

/* A pseudo-terminal in raw mode behaves like usblp: bytes in, one status byte back. */
static void test_usb_character_device(void **state)
{
    (void)state;
    int master = posix_openpt(O_RDWR | O_NOCTTY);
    assert_true(master >= 0 && grantpt(master) == 0 && unlockpt(master) == 0);
    char device[128], *err = NULL;
    snprintf(device, sizeof(device), "usb:%s", ptsname(master));
    int slave = open(ptsname(master), O_RDWR | O_NOCTTY);
    struct termios raw;
    tcgetattr(slave, &raw);
    cfmakeraw(&raw);
    tcsetattr(slave, TCSANOW, &raw);
    struct transport *t = open_ok(device, 1000);
    assert_true(transport_two_way(t));
    unsigned char answer = 0x72, status = 0, request[3];
    assert_int_equal(write(master, &answer, 1), 1); /* answered before asked: the status read
                                                       must drop it as stale */
    sleep_ms(50);
    answer = 0x12;
    pid_t pid = fork();
    if (pid == 0) { /* the "printer": answers the request it reads */
        if (read(master, request, 3) == 3 && request[0] == 0x10 && request[1] == 0x04)
            _exit(write(master, &answer, 1) == 1 ? 0 : 1);
        _exit(1);
    }
    assert_int_equal(transport_status(t, 4, &status, &err), TRANSPORT_ANSWERED);
    assert_int_equal(status, 0x12);
    waitpid(pid, NULL, 0);
    assert_true(transport_write(t, payload, sizeof(payload), &err));
    unsigned char got[sizeof(payload)];
    size_t n = 0;
    while (n < sizeof(got)) {
        ssize_t r = read(master, got + n, sizeof(got) - n);
        assert_true(r > 0);
        n += (size_t)r;
    }
    assert_memory_equal(got, payload, sizeof(payload));
    close_ok(t);
    close(slave);
    close(master);
    assert_null(transport_open("usb:/dev/usb/no-such-lp", 1000, &err));
    assert_non_null(strstr(err, "usb:/dev/usb/no-such-lp"));
    free(err);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_device_strings),
        cmocka_unit_test_setup_teardown(test_file_appends_exactly, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_status_and_data, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_status_changes, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_silence_and_refusal, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_one_way_sink, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_job_not_taken, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tcp_stop_cuts_the_wait, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cups_through_lp, setup, teardown),
        cmocka_unit_test_setup_teardown(test_cups_lp_hangs_or_is_missing, setup, teardown),
        cmocka_unit_test_setup_teardown(test_usb_character_device, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
