/* test_watchdog.c: the real kiosk under a stand-in for systemd: NOTIFY_SOCKET is a datagram
 * socket this test owns. The kiosk says READY=1 once, pings WATCHDOG=1 while its main loop
 * turns, and stops pinging when the loop freezes (--test-stall-after), while still alive. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* A ping interval of 500 ms; silence for ten intervals is a stopped watchdog, not a slow one. */
#define WATCHDOG_USEC "1000000"
#define SILENCE_MS    5000

static const char *kiosk_bin;
static char dir[64], sock_path[96], log_path[128], db_set[160];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-wd-XXXXXX");
    assert_non_null(mkdtemp(dir));
    snprintf(sock_path, sizeof(sock_path), "%s/notify", dir);
    snprintf(log_path, sizeof(log_path), "%s/kiosk.log", dir);
    snprintf(db_set, sizeof(db_set), "storage.path=%s/kiosk.db", dir);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    unsetenv("WATCHDOG_USEC");
    return remove_tree(dir);
}

static int notify_socket(void)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    assert_true(fd >= 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", sock_path);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    setenv("NOTIFY_SOCKET", sock_path, 1);
    return fd;
}

/* The next datagram's text in buf, or false when none came within ms. */
static bool next_message(int fd, int ms, char *buf, size_t size)
{
    struct pollfd p = {fd, POLLIN, 0};
    if (poll(&p, 1, ms) != 1)
        return false;
    ssize_t n = recv(fd, buf, size - 1, 0);
    assert_true(n >= 0);
    buf[n] = '\0';
    return true;
}

static pid_t start_kiosk(const char *stall_after)
{
    const char *argv[] = {
        kiosk_bin, "--headless",        "--config",           "assets/demo.ini", "--set", db_set,
        "--set",   "audio.enabled=off", "--test-stall-after", stall_after,       NULL};
    return spawn(argv, log_path);
}

static void kill_kiosk(pid_t pid)
{
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
}

/* Counts the WATCHDOG=1 pings after READY=1 until the socket has been silent for SILENCE_MS. */
static int pings_until_silence(int fd)
{
    char msg[256];
    assert_true(next_message(fd, 60000, msg, sizeof(msg)));
    assert_string_equal(msg, "READY=1");
    int pings = 0;
    while (next_message(fd, SILENCE_MS, msg, sizeof(msg))) {
        if (strcmp(msg, "WATCHDOG=1") != 0)
            fail_msg("unexpected notification \"%s\"", msg);
        pings++;
    }
    return pings;
}

static void test_pings_stop_when_the_loop_stalls(void **state)
{
    (void)state;
    int fd = notify_socket();
    setenv("WATCHDOG_USEC", WATCHDOG_USEC, 1);
    pid_t pid = start_kiosk("4");
    int pings = pings_until_silence(fd);
    /* Still running: only the loop's progress stopped, which is what systemd must notice. */
    bool alive = process_alive(pid);
    kill_kiosk(pid);
    close(fd);
    assert_true(alive);
    assert_true(pings >= 2);
    assert_non_null(strstr(read_text(log_path), "stalling the main loop"));
}

/* Without WatchdogSec the kiosk still says it is ready, and sends nothing else. */
static void test_ready_without_a_watchdog(void **state)
{
    (void)state;
    int fd = notify_socket();
    pid_t pid = start_kiosk("1000");
    int pings = pings_until_silence(fd);
    kill_kiosk(pid);
    close(fd);
    assert_int_equal(pings, 0);
    assert_null(strstr(read_text(log_path), "stalling"));
}

/* The exit status of pid within 20 s; fails on a death by signal or no exit at all. */
static int exit_status(pid_t pid, const char *signal_name)
{
    int status;
    for (int i = 0; i < 200; i++, sleep_ms(100)) {
        if (waitpid(pid, &status, WNOHANG) != pid)
            continue;
        if (WIFSIGNALED(status))
            fail_msg("the kiosk died of signal %d on %s (see %s)", WTERMSIG(status), signal_name,
                     log_path);
        return WEXITSTATUS(status);
    }
    kill_kiosk(pid);
    fail_msg("the kiosk did not stop within 20 s of %s", signal_name);
    return -1;
}

/* SIGHUP (its console hung up: the unit's TTYVHangup, or a terminal closed) is an orderly stop
 * like SIGTERM: said in the log, the database closed (its last connection checkpoints and
 * removes the -wal file), exit status 0. Under systemd, Restart=always starts it again. */
static void test_sighup_is_an_orderly_stop(void **state)
{
    (void)state;
    char msg[256], wal[128];
    int fd = notify_socket();
    signal(SIGHUP, SIG_DFL); /* as systemd starts it; a test run under nohup would pass it on */
    pid_t pid = start_kiosk("1000");
    assert_true(next_message(fd, 60000, msg, sizeof(msg)));
    assert_string_equal(msg, "READY=1");
    snprintf(wal, sizeof(wal), "%s/kiosk.db-wal", dir);
    for (int i = 0; i < 100 && access(wal, F_OK) != 0; i++)
        sleep_ms(100); /* the feed thread has written */
    assert_int_equal(access(wal, F_OK), 0);
    kill(pid, SIGHUP);
    int code = exit_status(pid, "SIGHUP");
    close(fd);
    assert_int_equal(code, 0);
    assert_non_null(strstr(read_text(log_path), "stopping (Hangup)"));
    assert_int_not_equal(access(wal, F_OK), 0);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_pings_stop_when_the_loop_stalls, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ready_without_a_watchdog, setup, teardown),
        cmocka_unit_test_setup_teardown(test_sighup_is_an_orderly_stop, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
