/* test_storage_faults.c: the real kiosk binary on a real small filesystem (a tmpfs mounted for
 * the test) that fills up, and one that is read-only. The screen must stay up (the process
 * runs on and the status file keeps changing), the status file and `kiosk --self-test` must
 * say what is wrong, nothing already stored may be lost, and writes must resume by themselves
 * once there is room again. Mounting needs root (or CAP_SYS_ADMIN): without it the tests are
 * skipped with a message. A filesystem that turns read-only under a running kiosk cannot be
 * made with mount (a remount is refused while a file is open for writing: ext4 does it itself
 * on I/O errors, errors=remount-ro), so the read-only case is a card that is read-only when the
 * kiosk starts and becomes writable under it. Last, with no mount: two programs creating the
 * same new database at once. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "harness_screen.h"

static const char *kiosk_bin;
static char dir[64], card[96], ini[128], db[128], status[128], log_path[128], filler[128];
static char out_path[128], err_path[128];
static bool mounted;
static pid_t kiosk, sim;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int sh(const char *fmt, ...)
{
    char cmd[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    return system(cmd);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-card-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(card, sizeof(card), "card");
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(db, sizeof(db), "card/kiosk.db");
    path_in(status, sizeof(status), "status.json"); /* on /run in real life: RAM, not the card */
    path_in(log_path, sizeof(log_path), "kiosk.log");
    path_in(filler, sizeof(filler), "card/filler");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    path_in(err_path, sizeof(err_path), "stderr.txt");
    assert_int_equal(mkdir(card, 0755), 0);
    mounted = false;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&kiosk);
    stop_process(&sim);
    if (mounted && sh("umount '%s' 2>/dev/null || umount -l '%s'", card, card) != 0)
        fprintf(stderr, "# could not unmount %s\n", card);
    return remove_tree(dir);
}

/* A tmpfs of size on the card folder; skips the test when this process may not mount. */
static void mount_card(const char *size)
{
    if (geteuid() != 0) {
        fprintf(stderr, "# skipped: mounting a small filesystem needs root\n");
        skip();
    }
    if (sh("mount -t tmpfs -o size=%s,mode=0755 tmpfs '%s' 2>/dev/null", size, card) != 0) {
        fprintf(stderr, "# skipped: mount -t tmpfs is not permitted here\n");
        skip();
    }
    mounted = true;
}

static void write_display_config(void)
{
    char text[512];
    snprintf(text, sizeof(text),
             "[device]\nid = wall-2\nrole = display\nwidth = 640\nheight = 360\n"
             "[backend]\ntype = demo\nseed = 11\nspeed = 2000\npoll_interval_ms = 100\n"
             "[storage]\npath = %s\n",
             db);
    write_text(ini, text);
}

static pid_t start_kiosk(void)
{
    unlink(status);
    const char *argv[] = {kiosk_bin, "--headless", "--config", ini, "--status-file", status, NULL};
    return spawn(argv, log_path);
}

struct seen {
    char storage[16];
    char error[256];
    double version;
    bool has_model;
};

static bool read_seen(struct seen *s)
{
    const char *text = read_text(status);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (!j)
        return false;
    const cJSON *st = cJSON_GetObjectItem(j, "storage");
    const cJSON *state = cJSON_GetObjectItem(st, "state"),
                *error = cJSON_GetObjectItem(st, "error");
    snprintf(s->storage, sizeof(s->storage), "%s", cJSON_IsString(state) ? state->valuestring : "");
    snprintf(s->error, sizeof(s->error), "%s", cJSON_IsString(error) ? error->valuestring : "");
    const cJSON *v = cJSON_GetObjectItem(j, "version");
    s->version = v ? v->valuedouble : -1;
    s->has_model = cJSON_IsTrue(cJSON_GetObjectItem(j, "has_model"));
    cJSON_Delete(j);
    return true;
}

/* Waits up to 30 s for the status file's storage state; fails if the kiosk dies meanwhile. */
static struct seen wait_storage(const char *state)
{
    struct seen s = {0};
    for (int i = 0; i < 300; i++, sleep_ms(100)) {
        if (!process_alive(kiosk))
            fail_msg("the kiosk died waiting for storage %s (see %s)", state, log_path);
        if (read_seen(&s) && strcmp(s.storage, state) == 0)
            return s;
    }
    fail_msg("storage never became %s (last: %s \"%s\")", state, s.storage, s.error);
    return s;
}

/* The screen is live: the status file moves on to newer queue versions within 10 s. */
static void assert_screen_alive(void)
{
    struct seen first = {0}, now = {0};
    for (int i = 0; i < 100 && !read_seen(&first); i++)
        sleep_ms(100);
    for (int i = 0; i < 100; i++, sleep_ms(100)) {
        if (!process_alive(kiosk))
            fail_msg("the kiosk died (see %s)", log_path);
        if (read_seen(&now) && now.version > first.version && now.has_model)
            return;
    }
    fail_msg("the status file stayed at version %.0f: the loop is frozen", first.version);
}

static long long history_rows(void)
{
    sqlite3 *d;
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT count(*) FROM call_history", -1, &st, NULL) == SQLITE_OK) {
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(d);
    return n;
}

static void assert_integrity(void)
{
    sqlite3 *d;
    sqlite3_stmt *st;
    assert_int_equal(sqlite3_open_v2(db, &d, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &st, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st), SQLITE_ROW);
    assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
    sqlite3_finalize(st);
    sqlite3_close(d);
}

/* kiosk --self-test: its exit status; the storage row must contain expected. */
static int self_test(const char *expected)
{
    const char *args[] = {"--self-test", "--headless", "--config", ini, NULL};
    int code = run_program(kiosk_bin, args, out_path, err_path);
    const char *out = read_text(out_path);
    const char *row = strstr(out, "storage");
    if (!row || !strstr(row, expected))
        fail_msg("self-test storage row lacks \"%s\":\n%s", expected, out);
    fprintf(stderr, "# self-test: %.*s\n", (int)strcspn(row, "\n"), row);
    return code;
}

/* Fills the card until the filesystem says ENOSPC. */
static void fill_card(void)
{
    static const char block[65536];
    int fd = open(filler, O_WRONLY | O_CREAT | O_TRUNC, 0600);
    assert_true(fd >= 0);
    while (write(fd, block, sizeof(block)) > 0)
        ;
    int e = errno;
    close(fd);
    if (e != ENOSPC)
        fail_msg("filling the card ended with %s, not ENOSPC", strerror(e));
}

/* A call screen whose card fills up, runs on full, and takes writes again once room is made. */
static void test_full_card(void **state)
{
    (void)state;
    mount_card("6m");
    write_display_config();
    kiosk = start_kiosk();
    wait_storage("ok");
    sleep_ms(1500);
    long long before = history_rows();
    assert_true(before > 0);
    fill_card();
    struct seen s = wait_storage("full");
    fprintf(stderr, "# status while full: %s\n", s.error);
    assert_non_null(strstr(s.error, "full"));
    assert_screen_alive();
    assert_true(history_rows() >= before); /* nothing stored is lost */
    assert_int_equal(self_test("FAIL"), 1);
    self_test("full");
    long long during = history_rows();
    assert_int_equal(unlink(filler), 0);
    wait_storage("ok");
    for (int i = 0; i < 100 && history_rows() <= during; i++)
        sleep_ms(100);
    assert_true(history_rows() > during); /* writes resumed by themselves */
    assert_screen_alive();
    stop_process(&kiosk);
    assert_integrity();
    assert_int_equal(self_test("PASS"), 0);
}

/* The card is read-only when the kiosk starts: the screen comes up anyway, says so, and the
 * store opens by itself once the card is writable again. */
static void test_read_only_card(void **state)
{
    (void)state;
    mount_card("16m");
    write_display_config();
    const char *args[] = {"--headless", "--config", ini, "--exit-after", "2", NULL};
    assert_int_equal(run_program(kiosk_bin, args, out_path, err_path), 0);
    long long before = history_rows();
    assert_true(before > 0);
    assert_int_equal(sh("mount -o remount,ro '%s'", card), 0);
    kiosk = start_kiosk();
    struct seen s = wait_storage("read_only");
    fprintf(stderr, "# status while read-only: %s\n", s.error);
    assert_true(s.error[0] != 0);
    assert_screen_alive();
    assert_int_equal(self_test("FAIL"), 1);
    self_test("read_only");
    assert_int_equal(sh("mount -o remount,rw '%s'", card), 0);
    wait_storage("ok");
    for (int i = 0; i < 100 && history_rows() <= before; i++)
        sleep_ms(100);
    assert_true(history_rows() > before);
    stop_process(&kiosk);
    assert_integrity();
}

/* A new card, read-only from the start (no database on it yet): as above, "read_only" and
 * not "error", and the database is made once the card is writable. */
static void test_new_database_on_a_read_only_card(void **state)
{
    (void)state;
    mount_card("16m");
    write_display_config();
    assert_int_equal(sh("mount -o remount,ro '%s'", card), 0);
    kiosk = start_kiosk();
    struct seen s = wait_storage("read_only");
    fprintf(stderr, "# status while read-only: %s\n", s.error);
    assert_non_null(strstr(s.error, "Read-only file system"));
    assert_screen_alive();
    assert_int_equal(self_test("FAIL"), 1);
    self_test("read_only");
    assert_int_equal(sh("mount -o remount,rw '%s'", card), 0);
    wait_storage("ok");
    for (int i = 0; i < 100 && history_rows() <= 0; i++)
        sleep_ms(100);
    assert_true(history_rows() > 0);
    stop_process(&kiosk);
    assert_integrity();
}

/* `kiosk report`, its tables to /dev/null and its messages to log. */
static pid_t start_report(const char *log)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log, "w", stderr) || !freopen("/dev/null", "w", stdout))
            _exit(126);
        execl(kiosk_bin, kiosk_bin, "report", "--since", "2026-01-01", "--config", ini,
              (char *)NULL);
        _exit(127);
    }
    return pid;
}

/* Two programs opening a database that is not there yet, started together (`kiosk report`
 * beside a starting kiosk, or two of them): both must end with the finished schema, not one
 * with "table ... already exists". Needs no mount. */
static void test_two_programs_open_a_new_database_together(void **state)
{
    (void)state;
    char text[256], log[2][128], path[160];
    const int rounds = 25;
    path_in(log[0], sizeof(log[0]), "report-0.log");
    path_in(log[1], sizeof(log[1]), "report-1.log");
    for (int round = 0; round < rounds; round++) {
        snprintf(path, sizeof(path), "%s/round-%d/kiosk.db", card, round);
        snprintf(text, sizeof(text), "[device]\nid = wall-2\n[storage]\npath = %s\n", path);
        write_text(ini, text);
        pid_t pid[2];
        for (int i = 0; i < 2; i++)
            pid[i] = start_report(log[i]);
        for (int i = 0; i < 2; i++) {
            int status;
            assert_int_equal(waitpid(pid[i], &status, 0), pid[i]);
            if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
                fail_msg("round %d: report %d failed:\n%s", round, i, read_text(log[i]));
        }
    }
}

/* The centre of target on a portrait 720x1280 kiosk with the configuration written last. */
static void centre(enum ui_screen screen, enum ui_target target, int index, int *x, int *y)
{
    kiosk_button_centre(ini, 720, 1280, screen, false, target, index, x, y);
}

static const char *rating_saved(void)
{
    static char key[64];
    const char *text = read_text(status);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    const cJSON *k = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "kiosk"), "rating_saved");
    snprintf(key, sizeof(key), "%s", cJSON_IsString(k) ? k->valuestring : "");
    cJSON_Delete(j);
    return key;
}

static long long outbox_rows(const char *key)
{
    sqlite3 *d;
    sqlite3_stmt *st;
    long long n = -1;
    if (sqlite3_open_v2(db, &d, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(d, "SELECT count(*) FROM outbox WHERE idempotency_key LIKE ?", -1, &st,
                           NULL) == SQLITE_OK) {
        sqlite3_bind_text(st, 1, key, -1, SQLITE_STATIC);
        if (sqlite3_step(st) == SQLITE_ROW)
            n = sqlite3_column_int64(st, 0);
        sqlite3_finalize(st);
    }
    sqlite3_close(d);
    return n;
}

/* A rating made while the card is full is thanked, kept in memory and saved by itself once
 * there is room: reported saved only then, and in the outbox once. */
static void test_rating_on_a_full_card(void **state)
{
    (void)state;
    char text[1024], script[128];
    int rx, ry, fx, fy, sx, sy;
    int port;
    mount_card("6m");
    sim = start_backend_sim(dir, &port);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-2\nrole = kiosk\norientation = portrait\nwidth = 720\n"
             "height = 1280\n[backend]\ntype = http\nurl = http://127.0.0.1:%d\n"
             "[storage]\npath = %s\n[kiosk]\nrating_interval_s = 0\nattract_seconds = 0\n",
             port, db);
    write_text(ini, text);
    centre(UI_HOME, UI_TARGET_RATE, -1, &rx, &ry);
    centre(UI_RATE, UI_TARGET_FACE, 5, &fx, &fy);
    centre(UI_RATE, UI_TARGET_SUBMIT, -1, &sx, &sy);
    path_in(script, sizeof(script), "rate.txt");
    snprintf(text, sizeof(text),
             "wait 3000\ntap %d %d\nwait 200\ntap %d %d\ntap %d %d\nwait 60000\n", rx, ry, fx, fy,
             sx, sy);
    write_text(script, text);
    unlink(status);
    const char *argv[] = {kiosk_bin, "--headless", "--config", ini, "--status-file",
                          status,    "--script",   script,     NULL};
    kiosk = spawn(argv, log_path);
    wait_storage("ok");
    fill_card();
    for (int i = 0; i < 100 && !strstr(read_text(status), "\"thanks\""); i++)
        sleep_ms(100);
    assert_non_null(strstr(read_text(status), "\"thanks\"")); /* the patient is thanked */
    sleep_ms(1000);
    assert_string_equal(rating_saved(), ""); /* but nothing claims it is on the card */
    assert_int_equal(outbox_rows("%"), 0);
    assert_non_null(strstr(read_text(log_path), "is not saved yet")); /* the card refused it */
    assert_int_equal(unlink(filler), 0);
    for (int i = 0; i < 150 && !rating_saved()[0]; i++)
        sleep_ms(100);
    char key[64];
    snprintf(key, sizeof(key), "%s", rating_saved());
    if (!key[0])
        fail_msg("the rating was never saved after room was made (see %s)", log_path);
    assert_int_equal(outbox_rows(key), 1);
    assert_int_equal(outbox_rows("%"), 1);
    stop_process(&kiosk);
    stop_process(&sim);
    assert_integrity();
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_full_card, setup, teardown),
        cmocka_unit_test_setup_teardown(test_read_only_card, setup, teardown),
        cmocka_unit_test_setup_teardown(test_new_database_on_a_read_only_card, setup, teardown),
        cmocka_unit_test_setup_teardown(test_two_programs_open_a_new_database_together, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_rating_on_a_full_card, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
