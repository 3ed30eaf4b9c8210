/* test_soak.c: a bounded make soak. The real kiosk, headless, on the demo clinic at 10000x
 * speed for a few thousand calls: its open file descriptors stay the same from call to call,
 * its resident memory does not trend upwards after the warm-up, and it exits cleanly on SIGTERM
 * (under ASan that exit is also a leak check after thousands of frames). No timing is asserted.
 *
 * "Memory stays flat" compares like with like: the median RSS of the first third of the samples
 * after the warm-up against the median of the last third. A single sample is no baseline: the
 * text cache frees and re-creates megabyte textures as it churns through its 16 MB budget, and
 * one look can read 10 MB below its neighbours (46 MB between looks of 55-61 MB: the old test,
 * the largest sample against the one at call 1000, failed 1 run in 5). A median of seven
 * samples ignores such dips; the cache itself is full within ~100 calls, long before the
 * warm-up ends. A leak that grows with calls moves the median by its rate times the
 * ~1400 calls between the two windows: a leaked 720p frame per call (3.6 MB) or per frame, or
 * anything above ~9 KB per call, crosses the 12 MB bound; smaller ones are make soak's (a
 * least-squares slope over 100,000 calls, scripts/soak.sh). */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <dirent.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

/* Under ASan resident memory says nothing (shadow memory, the 256 MB quarantine), and
 * the calls come no faster, so the sanitized run is shorter and counts descriptors only. */
#if defined(__SANITIZE_ADDRESS__)
#define SANITIZED true
#else
#define SANITIZED false
#endif

#define WARMUP_CALLS   1000
#define SAMPLE_EVERY   100
#define MAX_SAMPLES    64
#define MAX_RSS_GROWTH (12 * 1024) /* KB, between the medians of the two windows */
#define STALL_S        60          /* no new call for this long fails the test */

static char dir[64];
static pid_t kiosk_pid;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-soak-XXXXXX");
    return mkdtemp(dir) ? 0 : -1;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid); /* still running when the test failed */
    return remove_tree(dir);
}

/* The demo numbers its calls c000001, c000002, ... (c<start>-000001 since the ids carry the
 * clinic's start time): the highest number in the status file. */
static long call_number(const char *id)
{
    const char *dash = strrchr(id, '-');
    return id[0] == 'c' ? atol(dash ? dash + 1 : id + 1) : -1;
}

static long calls_made(const char *status)
{
    const char *text = read_text(status);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    long most = -1;
    const cJSON *call;
    cJSON_ArrayForEach(call, cJSON_GetObjectItem(j, "calls"))
    {
        const cJSON *id = cJSON_GetObjectItem(call, "id");
        if (cJSON_IsString(id) && call_number(id->valuestring) > most)
            most = call_number(id->valuestring);
    }
    cJSON_Delete(j);
    return most;
}

static int open_fds_now(pid_t pid)
{
    char path[64];
    snprintf(path, sizeof(path), "/proc/%d/fd", (int)pid);
    DIR *d = opendir(path);
    assert_non_null(d);
    int n = 0;
    for (struct dirent *e; (e = readdir(d));)
        n += e->d_name[0] != '.';
    closedir(d);
    return n;
}

static long rss_kb(pid_t pid)
{
    char path[64], line[256];
    snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
    FILE *f = fopen(path, "r");
    long kb = -1;
    while (f && fgets(line, sizeof(line), f))
        if (sscanf(line, "VmRSS: %ld", &kb) == 1)
            break;
    if (f)
        fclose(f);
    return kb;
}

/* The least of three looks 50 ms apart: the status file's .tmp or SQLite's journal is open
 * for a moment many times a second, a leaked descriptor stays. */
static int open_fds(pid_t pid)
{
    int least = -1;
    for (int i = 0; i < 3; i++, sleep_ms(50)) {
        int n = open_fds_now(pid);
        least = least < 0 || n < least ? n : least;
    }
    return least;
}

static int compare_long(const void *a, const void *b)
{
    long x = *(const long *)a, y = *(const long *)b;
    return (x > y) - (x < y);
}

/* The median of n values (n > 0), the mean of the middle two when n is even. */
static long median(const long *values, int n)
{
    long sorted[MAX_SAMPLES];
    memcpy(sorted, values, (size_t)n * sizeof(*values));
    qsort(sorted, (size_t)n, sizeof(*sorted), compare_long);
    return n % 2 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
}

/* SIGTERM, and the exit status of a clean stop (fails on a signal or after 20 s). */
static int terminate(pid_t pid)
{
    kill(pid, SIGTERM);
    int status = 0;
    for (int i = 0; i < 2000; i++, sleep_ms(10))
        if (waitpid(pid, &status, WNOHANG) == pid) {
            if (WIFSIGNALED(status))
                fail_msg("the kiosk died of signal %d on SIGTERM", WTERMSIG(status));
            return WEXITSTATUS(status);
        }
    kill(pid, SIGKILL);
    waitpid(pid, NULL, 0);
    fail_msg("the kiosk did not stop within 20 s of SIGTERM");
    return -1;
}

static void test_thousands_of_calls_leave_fds_and_memory_flat(void **state)
{
    (void)state;
    const char *bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    long total = SANITIZED ? 2000 : 3000;
    char db[128], status[128], log[128];
    snprintf(db, sizeof(db), "storage.path=%s/soak.db", dir);
    snprintf(status, sizeof(status), "%s/status.json", dir);
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    const char *argv[] = {bin,
                          "--headless",
                          "--config",
                          "assets/demo.ini",
                          "--set",
                          db,
                          "--set",
                          "backend.speed=10000",
                          "--set",
                          "device.width=1280",
                          "--set",
                          "device.height=720",
                          "--status-file",
                          status,
                          NULL};
    setenv("SDL_AUDIODRIVER", "dummy", 1);
    pid_t pid = kiosk_pid = spawn(argv, log);
    long next = WARMUP_CALLS, last = -1, rss[MAX_SAMPLES], at[MAX_SAMPLES];
    int base_fds = -1, stalled_ms = 0, samples = 0;
    while (next <= total) {
        if (!process_alive(pid))
            fail_msg("the kiosk died after %ld calls (see %s)", last, log);
        long n = calls_made(status);
        stalled_ms = n > last ? 0 : stalled_ms + 100;
        if (stalled_ms > STALL_S * 1000)
            fail_msg("no new call for %d s (last c%06ld)", STALL_S, last);
        last = n > last ? n : last;
        if (n < next) {
            sleep_ms(100);
            continue;
        }
        long kb = rss_kb(pid);
        int fds = open_fds(pid);
        if (base_fds < 0)
            base_fds = fds;
        else if (fds != base_fds)
            fail_msg("%d open descriptors after %ld calls, %d after %ld", fds, n, base_fds, at[0]);
        if (samples < MAX_SAMPLES) {
            at[samples] = n;
            rss[samples++] = kb;
        }
        print_message("%ld calls: RSS %ld KB, %d fds\n", n, kb, fds);
        next = (n / SAMPLE_EVERY + 1) * SAMPLE_EVERY;
    }
    /* The first third of the samples against the last third (calls arrive in bursts when the
     * machine is busy, so the windows are counted in samples, not in calls). */
    int third = samples / 3;
    assert_true(third >= 1);
    long first = median(rss, third), final = median(rss + samples - third, third);
    print_message("RSS median %ld KB over calls %ld-%ld, %ld KB over calls %ld-%ld\n", first, at[0],
                  at[third - 1], final, at[samples - third], at[samples - 1]);
    if (!SANITIZED && final - first > MAX_RSS_GROWTH)
        fail_msg("RSS grew from a median of %ld KB (calls %ld-%ld) to %ld KB (calls %ld-%ld)",
                 first, at[0], at[third - 1], final, at[samples - third], at[samples - 1]);
    kiosk_pid = 0;
    assert_int_equal(terminate(pid), 0);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_thousands_of_calls_leave_fds_and_memory_flat, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
