/* test_security.c: what docs/security.md promises and a test can show: no patient's full name
 * in the kiosk's log, status file or database; secrets that others may read are refused; and
 * under systemd no key ends the kiosk (Escape, or Ctrl+C / Ctrl+Z / Ctrl+\ on its console). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include "backend/secret.h"
#include "harness.h"
#include "model/mask.h"
#include "qr/token.h"

#define NAMES_MAX 64

static const char *kiosk_bin;
static char dir[64];
static char ini[128], err_path[128], out_path[128], status_path[128], db_path[128];

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-security-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(err_path, sizeof(err_path), "stderr.txt");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    path_in(status_path, sizeof(status_path), "status.json");
    path_in(db_path, sizeof(db_path), "kiosk.db");
    unsetenv("NOTIFY_SOCKET");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    unsetenv("NOTIFY_SOCKET");
    return remove_tree(dir);
}

/* A call screen on backend (a [backend] section's body). */
static void write_config(const char *backend)
{
    char text[1024];
    snprintf(text, sizeof(text),
             "[device]\nid = sec-1\nrole = display\n[display]\nmask_names = true\n"
             "[backend]\n%s\n[storage]\npath = %s\n",
             backend, db_path);
    write_text(ini, text);
}

static bool file_holds(const char *path, const char *needle)
{
    size_t len = 0;
    if (access(path, F_OK) != 0)
        return false; /* e.g. no -wal file left after a clean exit */
    unsigned char *data = read_bytes(path, &len);
    bool found = memmem(data, len, needle, strlen(needle)) != NULL;
    free(data);
    return found;
}

/* The patients' names in a kiosk API v1 snapshot, each once. */
static int names_in(const cJSON *snapshot, char names[][128], int max)
{
    int n = 0;
    const char *const lists[] = {"calls", "waiting"};
    for (int l = 0; l < 2; l++) {
        const cJSON *item;
        cJSON_ArrayForEach(item, cJSON_GetObjectItemCaseSensitive(snapshot, lists[l]))
        {
            const char *name =
                cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(item, "patient"));
            bool seen = false;
            for (int i = 0; name && i < n; i++)
                seen = seen || strcmp(names[i], name) == 0;
            if (name && name[0] && !seen && n < max)
                snprintf(names[n++], 128, "%s", name);
        }
    }
    return n;
}

/* The backend simulator sends full names (张三丰, Maria Garcia, ...) with calls and waiting
 * patients; the kiosk, logging everything it logs (--verbose), must keep only masked ones. */
static void test_no_full_names_in_log_status_or_database(void **state)
{
    (void)state;
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    for (int i = 0; i < 6; i++)
        cJSON_Delete(http_json(port, "/admin/call", "{}"));
    char backend[256];
    snprintf(backend, sizeof(backend),
             "type = http\nurl = http://127.0.0.1:%d\npoll_interval_ms = 200", port);
    write_config(backend);
    const char *args[] = {"--headless", "--verbose",    "--config", ini, "--status-file",
                          status_path,  "--exit-after", "3",        NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    cJSON *snapshot = http_json(port, "/api/v1/queue", NULL);
    stop_process(&sim);

    char names[NAMES_MAX][128];
    int n = names_in(snapshot, names, NAMES_MAX);
    cJSON_Delete(snapshot);
    assert_true(n >= 3); /* otherwise this test would prove nothing */
    char wal[160];
    snprintf(wal, sizeof(wal), "%s-wal", db_path);
    const char *const files[] = {err_path, out_path, status_path, db_path, wal};
    int masked_seen = 0;
    for (int i = 0; i < n; i++) {
        for (size_t f = 0; f < sizeof(files) / sizeof(files[0]); f++)
            if (file_holds(files[f], names[i]))
                fail_msg("the full name %s is in %s", names[i], files[f]);
        char masked[128];
        mask_name(names[i], masked, sizeof(masked));
        masked_seen += file_holds(status_path, masked);
    }
    assert_true(masked_seen > 0); /* the names did arrive, masked */
    /* and the database holds the snapshot they came in */
    assert_true(file_holds(db_path, "\"patient\""));
    /* From this machine to itself: no warning about plain http. */
    assert_false(file_holds(err_path, "plain http"));
}

/* A backend across the network over plain http is said to be one, at every start. */
static void test_plain_http_to_another_machine_is_warned_about(void **state)
{
    (void)state;
    write_config("type = http\nurl = http://192.0.2.1:9/\ntimeout_ms = 500");
    const char *args[] = {"--headless", "--config", ini, "--exit-after", "1", NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    assert_true(file_holds(err_path, "http://192.0.2.1:9/ is plain http"));
    write_config("type = http\nurl = https://192.0.2.1:9/\ntimeout_ms = 500");
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    assert_false(file_holds(err_path, "plain http"));
}

/* Secrets (backend token, passwords, the site key) that anyone on the device may read or
 * write are refused, whatever the file holds; 0640 and 0600 are fine. */
static void test_secrets_others_may_read_are_refused(void **state)
{
    (void)state;
    char token[128], key_path[128], value[64];
    char *err = NULL;
    path_in(token, sizeof(token), "token");
    write_text(token, "s3cret-token\n");
    const mode_t refused[] = {0644, 0604, 0602, 0666};
    for (size_t i = 0; i < sizeof(refused) / sizeof(refused[0]); i++) {
        assert_int_equal(chmod(token, refused[i]), 0);
        assert_false(secret_read(token, value, sizeof(value), &err));
        assert_non_null(strstr(err, "readable by others"));
        free(err);
        err = NULL;
    }
    const mode_t fine[] = {0600, 0640, 0400};
    for (size_t i = 0; i < sizeof(fine) / sizeof(fine[0]); i++) {
        assert_int_equal(chmod(token, fine[i]), 0);
        assert_true(secret_read(token, value, sizeof(value), &err));
        assert_string_equal(value, "s3cret-token");
    }
    path_in(key_path, sizeof(key_path), "site.key");
    write_text(key_path, "0123456789abcdef0123456789abcdef");
    struct token_key key;
    assert_true(token_key_load(key_path, &key, &err));
    assert_int_equal(chmod(key_path, 0644), 0);
    assert_false(token_key_load(key_path, &key, &err));
    assert_non_null(strstr(err, "readable by others"));
    free(err);
}

/* An AF_UNIX datagram socket at path, as systemd's NOTIFY_SOCKET. */
static int notify_socket(const char *path)
{
    int fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
    struct sockaddr_un addr = {.sun_family = AF_UNIX};
    snprintf(addr.sun_path, sizeof(addr.sun_path), "%s", path);
    assert_true(fd >= 0);
    assert_int_equal(bind(fd, (struct sockaddr *)&addr, sizeof(addr)), 0);
    return fd;
}

static bool received_ready(int fd)
{
    char buf[256];
    ssize_t n;
    bool ready = false;
    while ((n = recv(fd, buf, sizeof(buf) - 1, 0)) > 0) {
        buf[n] = 0;
        ready = ready || strstr(buf, "READY=1") != NULL;
    }
    return ready;
}

/* Escape, then a screenshot 1.2 s later: taken only if the key did not end the kiosk. */
static bool survives_escape(void)
{
    char script[128], shot[128], text[256];
    path_in(script, sizeof(script), "escape.script");
    path_in(shot, sizeof(shot), "after-escape.png");
    unlink(shot);
    snprintf(text, sizeof(text), "wait 300\nkey Escape\nwait 1200\nscreenshot %s\n", shot);
    write_text(script, text);
    const char *args[] = {"--headless", "--config",     ini,  "--script",
                          script,       "--exit-after", "20", NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    return access(shot, F_OK) == 0;
}

static void test_escape_quits_only_outside_systemd(void **state)
{
    (void)state;
    write_config("type = demo");
    assert_false(survives_escape()); /* by hand (make demo): Escape quits */
    char sock[128];
    path_in(sock, sizeof(sock), "notify.sock");
    int fd = notify_socket(sock);
    setenv("NOTIFY_SOCKET", sock, 1);
    assert_true(survives_escape()); /* as kiosk.service runs it: it does not */
    unsetenv("NOTIFY_SOCKET");
    assert_true(received_ready(fd)); /* and it was talking to "systemd" all along */
    close(fd);
}

/* Runs the kiosk with a pseudo-terminal as its controlling terminal and stdin, as
 * kiosk.service gives it tty1 (StandardInput=tty-force), types keys once it is up, and
 * returns true when it then ran to the end of its script (a screenshot at 2.5 s). */
static bool survives_console_keys(const char *keys, bool *isig_off)
{
    char script[128], shot[128], text[256];
    path_in(script, sizeof(script), "console.script");
    path_in(shot, sizeof(shot), "after-keys.png");
    unlink(shot);
    unlink(status_path);
    snprintf(text, sizeof(text), "wait 2500\nscreenshot %s\n", shot);
    write_text(script, text);
    int master, slave;
    assert_int_equal(openpty(&master, &slave, NULL, NULL, NULL), 0);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        /* As a shell on that terminal would start it: a test run from a background job (where
         * SIGINT and SIGQUIT come ignored, and exec keeps them so) must not change the answer. */
        signal(SIGINT, SIG_DFL);
        signal(SIGQUIT, SIG_DFL);
        signal(SIGTSTP, SIG_DFL);
        if (setsid() < 0 || dup2(slave, STDIN_FILENO) < 0 ||
            ioctl(STDIN_FILENO, TIOCSCTTY, 0) < 0 || !freopen(err_path, "w", stderr) ||
            !freopen(out_path, "w", stdout))
            _exit(126);
        close(master);
        close(slave);
        execl(kiosk_bin, kiosk_bin, "--headless", "--config", ini, "--script", script,
              "--status-file", status_path, "--exit-after", "20", (char *)NULL);
        _exit(127);
    }
    for (int i = 0; i < 200 && access(status_path, F_OK) != 0; i++)
        sleep_ms(50); /* up: the first frame is drawn */
    struct termios t;
    assert_int_equal(tcgetattr(slave, &t), 0);
    *isig_off = !(t.c_lflag & ISIG);
    assert_int_equal(write(master, keys, strlen(keys)), (ssize_t)strlen(keys));
    int status = 0;
    pid_t done = 0;
    for (int i = 0; i < 400 && !(done = waitpid(pid, &status, WNOHANG | WUNTRACED)); i++)
        sleep_ms(50);
    bool stopped = done == pid && WIFSTOPPED(status);
    if (done != pid || stopped) { /* stopped by Ctrl+Z, or hung: not a pass */
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    close(master);
    close(slave);
    return !stopped && done == pid && WIFEXITED(status) && WEXITSTATUS(status) == 0 &&
           access(shot, F_OK) == 0;
}

static void test_console_keys_make_no_signals_under_systemd(void **state)
{
    (void)state;
    write_config("type = demo");
    bool isig_off;
    /* By hand, Ctrl+C on its terminal ends the kiosk early, as any program. */
    assert_false(survives_console_keys("\003", &isig_off));
    assert_false(isig_off);
    char sock[128];
    path_in(sock, sizeof(sock), "notify.sock");
    int fd = notify_socket(sock);
    setenv("NOTIFY_SOCKET", sock, 1);
    /* Under systemd, Ctrl+C, Ctrl+\ and Ctrl+Z are plain bytes: it runs on to the end. */
    assert_true(survives_console_keys("\003\034\032", &isig_off));
    assert_true(isig_off);
    unsetenv("NOTIFY_SOCKET");
    close(fd);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    signal(SIGPIPE, SIG_IGN);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_no_full_names_in_log_status_or_database, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_plain_http_to_another_machine_is_warned_about, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_secrets_others_may_read_are_refused, setup, teardown),
        cmocka_unit_test_setup_teardown(test_escape_quits_only_outside_systemd, setup, teardown),
        cmocka_unit_test_setup_teardown(test_console_keys_make_no_signals_under_systemd, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
