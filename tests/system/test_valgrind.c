/* test_valgrind.c: make valgrind inside make test: the real kiosk under memcheck on the demo
 * clinic and on scripts/backend-sim (scripts/valgrind.sh), a few calls each and a SIGTERM:
 * no memcheck error and no leak outside tests/valgrind.supp. Skipped in the sanitized build,
 * whose kiosk memcheck cannot run (ASan is its own memory checker there), and in the arm64
 * build, which make test-arm64 runs under qemu, where the host's valgrind cannot follow. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

#if defined(__SANITIZE_ADDRESS__) || !defined(__x86_64__)
#define NO_MEMCHECK true
#else
#define NO_MEMCHECK false
#endif

#define LIMIT_S 400 /* both runs take about 40 s on an idle x86 core */

static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-vg-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static void test_memcheck_finds_nothing_of_ours(void **state)
{
    (void)state;
    if (NO_MEMCHECK)
        skip();
    const char *bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    char out[128], log[128];
    snprintf(out, sizeof(out), "%s/logs", dir);
    snprintf(log, sizeof(log), "%s/valgrind.txt", dir);
    setenv("VALGRIND_OUT", out, 1);
    const char *argv[] = {"sh", "scripts/valgrind.sh", bin, NULL};
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log, "w", stdout) || dup2(fileno(stdout), 2) < 0)
            _exit(126);
        alarm(LIMIT_S);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    const char *text = read_text(log);
    print_message("%s", text ? text : "(no output)\n");
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        fail_msg("scripts/valgrind.sh failed (status 0x%x)", status);
    assert_non_null(strstr(text, "demo: exit 0; definitely lost: 0 bytes"));
    assert_non_null(strstr(text, "sim: exit 0; definitely lost: 0 bytes"));
    assert_non_null(strstr(text, "no errors, no leaks of ours"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_memcheck_finds_nothing_of_ours, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
