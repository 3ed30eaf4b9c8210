/* test_power_loss.c: the real kiosk binary killed with SIGKILL at random moments while it
 * writes, restarted, killed again. After every kill a copy of the database (as the next start
 * would find it, WAL and all) must pass PRAGMA integrity_check and hold every acknowledged
 * record exactly once. Acknowledged means seen from outside:
 *   - a call the status file listed, saying storage ok, is in call_history (same ticket and
 *     time), once (with a full card the screen shows calls it could not save, and says so);
 *   - a ticket whose page reached the printer file whole (up to its cut) is in the ticket
 *     journal, once, and no ticket number is in the journal twice;
 *   - a rating whose key the status file reported as saved (kiosk.rating_saved) is in the
 *     outbox once, and every rating row has its outbox row (one transaction).
 * POWER_LOSS_KILLS sets the kills per role (default 10), POWER_LOSS_SEED the random seed,
 * POWER_LOSS_ONLY a cmocka filter ("*tickets*") to run one of the two.
 * A process kill is not a power cut: what reached the kernel survives it. docs/reliability.md
 * says what synchronous = FULL adds for the records a patient was promised. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "harness_screen.h"
#include "qr/token.h"

#define MAX_ACKED 4096

static const char *kiosk_bin;
static char dir[64], ini[128], db[128], status[128], log_path[128], printer_path[128];
static pid_t sim;
static int port;
static unsigned seed;

/* What was acknowledged so far, across every run of the test. */
struct call_ack {
    char id[48];
    int recall;
    char ticket[16];
    long long called_at;
};
static struct call_ack calls[MAX_ACKED];
static int ncalls;
static char ratings[MAX_ACKED][40];
static int nratings;
static char tickets[MAX_ACKED][16];
static int ntickets;

struct figures {
    int kills, in_startup;
    long long history, journal, outbox;
};

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static int kills_per_role(void)
{
    const char *n = getenv("POWER_LOSS_KILLS");
    return n && atoi(n) > 0 ? atoi(n) : 10;
}

static void ack_call(const cJSON *c)
{
    const cJSON *id = cJSON_GetObjectItem(c, "id"), *ticket = cJSON_GetObjectItem(c, "ticket");
    if (!cJSON_IsString(id) || !cJSON_IsString(ticket))
        return;
    int recall = cJSON_GetObjectItem(c, "recall")->valueint;
    long long called_at = (long long)cJSON_GetObjectItem(c, "called_at")->valuedouble;
    /* The whole call, not only its id: two calls shown under one id cannot both be kept. */
    for (int i = ncalls - 1; i >= 0; i--)
        if (calls[i].recall == recall && calls[i].called_at == called_at &&
            strcmp(calls[i].id, id->valuestring) == 0 &&
            strcmp(calls[i].ticket, ticket->valuestring) == 0)
            return;
    if (ncalls == MAX_ACKED)
        return;
    struct call_ack *a = &calls[ncalls++];
    snprintf(a->id, sizeof(a->id), "%s", id->valuestring);
    snprintf(a->ticket, sizeof(a->ticket), "%s", ticket->valuestring);
    a->recall = recall;
    a->called_at = called_at;
}

static void ack_rating(const char *key)
{
    if (!key[0] || nratings == MAX_ACKED)
        return;
    for (int i = 0; i < nratings; i++)
        if (strcmp(ratings[i], key) == 0)
            return;
    snprintf(ratings[nratings++], sizeof(ratings[0]), "%s", key);
}

/* One look at the status file: everything it shows is acknowledged. True when it exists. */
static bool sample_status(void)
{
    const char *text = read_text(status);
    cJSON *j = text ? cJSON_Parse(text) : NULL;
    if (!j)
        return false;
    const cJSON *c, *storage = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "storage"), "state");
    bool stored = cJSON_IsString(storage) && strcmp(storage->valuestring, "ok") == 0;
    cJSON_ArrayForEach(c, cJSON_GetObjectItem(j, "calls")) if (stored) ack_call(c);
    const cJSON *saved = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "kiosk"), "rating_saved");
    if (cJSON_IsString(saved))
        ack_rating(saved->valuestring);
    cJSON_Delete(j);
    return true;
}

/* The end of the kiosk's log, for a failure that needs it. */
static const char *log_tail(void)
{
    const char *text = read_text(log_path);
    size_t len = text ? strlen(text) : 0;
    return !text ? "(no log)" : len > 3000 ? text + len - 3000 : text;
}

static int exit_status;

/* True once pid has ended (reaped; its status in exit_status). */
static bool exited(pid_t pid)
{
    return waitpid(pid, &exit_status, WNOHANG) == pid;
}

static pid_t start_kiosk(const char *script)
{
    const char *argv[] = {kiosk_bin,
                          "--headless",
                          "--config",
                          ini,
                          "--status-file",
                          status,
                          script ? "--script" : NULL,
                          script,
                          NULL};
    return spawn(argv, log_path);
}

/* Runs the kiosk until a random moment, sampling its status file, then SIGKILL. One kill in
 * four lands within the first 400 ms (fonts, the store's migrations); the others up to
 * max_ms after the first status file, when it is busy writing. */
static void run_and_kill(const char *script, int max_ms, struct figures *fig)
{
    unlink(status);
    pid_t pid = start_kiosk(script);
    uint64_t start = clock_mono_ms(), kill_at;
    bool ended = false;
    if (rand() % 4 == 0) {
        kill_at = start + (uint64_t)(rand() % 400);
        fig->in_startup++;
    } else {
        while (!sample_status() && clock_mono_ms() - start < 30000 && !(ended = exited(pid)))
            sleep_ms(5);
        kill_at = clock_mono_ms() + (uint64_t)(rand() % max_ms);
    }
    while (!ended && clock_mono_ms() < kill_at) {
        ended = exited(pid);
        sample_status();
        sleep_ms(4);
    }
    if (ended)
        fail_msg("the kiosk ended by itself (status 0x%x) before its kill:\n%s", exit_status,
                 log_tail());
    kill(pid, SIGKILL);
    waitpid(pid, &exit_status, 0);
    if (!WIFSIGNALED(exit_status) || WTERMSIG(exit_status) != SIGKILL)
        fail_msg("the kiosk ended (status 0x%x) before its kill:\n%s", exit_status, log_tail());
    fig->kills++;
}

static void copy_file(const char *from, const char *to)
{
    unlink(to);
    FILE *in = fopen(from, "rb");
    if (!in)
        return; /* no WAL: nothing to copy */
    FILE *out = fopen(to, "wb");
    assert_non_null(out);
    char buf[65536];
    size_t n;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        assert_int_equal(fwrite(buf, 1, n, out), n);
    fclose(in);
    fclose(out);
}

static long long count(sqlite3 *d, const char *sql, const char *arg)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(d, sql, -1, &st, NULL) != SQLITE_OK)
        fail_msg("%s: %s", sql, sqlite3_errmsg(d));
    if (arg)
        sqlite3_bind_text(st, 1, arg, -1, SQLITE_STATIC);
    long long n = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
    sqlite3_finalize(st);
    return n;
}

/* The database as the next start will find it: a copy of the file and its WAL (the original
 * is left exactly as the kill left it, for the kiosk itself to recover). NULL before the
 * first run created it. */
static sqlite3 *open_copy(void)
{
    char copy[128], from[160], to[160];
    struct stat st;
    if (stat(db, &st) != 0)
        return NULL;
    path_in(copy, sizeof(copy), "check.db");
    copy_file(db, copy);
    snprintf(from, sizeof(from), "%s-wal", db);
    snprintf(to, sizeof(to), "%s-wal", copy);
    copy_file(from, to);
    snprintf(to, sizeof(to), "%s-shm", copy);
    unlink(to);
    sqlite3 *d;
    if (sqlite3_open_v2(copy, &d, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK)
        fail_msg("the database after a kill does not open: %s", sqlite3_errmsg(d));
    sqlite3_stmt *st2;
    assert_int_equal(sqlite3_prepare_v2(d, "PRAGMA integrity_check", -1, &st2, NULL), SQLITE_OK);
    assert_int_equal(sqlite3_step(st2), SQLITE_ROW);
    const char *verdict = (const char *)sqlite3_column_text(st2, 0);
    if (strcmp(verdict, "ok") != 0)
        fail_msg("integrity_check after a kill: %s", verdict);
    sqlite3_finalize(st2);
    return d;
}

/* True when the schema is there: a kill during the very first start may leave none yet. */
static bool has_table(sqlite3 *d, const char *table)
{
    return count(d, "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?",
                 table) == 1;
}

static void check_calls(sqlite3 *d, struct figures *fig)
{
    if (!has_table(d, "call_history")) {
        assert_int_equal(ncalls, 0);
        return;
    }
    for (int i = 0; i < ncalls; i++) {
        sqlite3_stmt *st;
        assert_int_equal(sqlite3_prepare_v2(d,
                                            "SELECT ticket, called_at FROM call_history "
                                            "WHERE call_id = ? AND recall = ?",
                                            -1, &st, NULL),
                         SQLITE_OK);
        sqlite3_bind_text(st, 1, calls[i].id, -1, SQLITE_STATIC);
        sqlite3_bind_int(st, 2, calls[i].recall);
        int rows = 0;
        while (sqlite3_step(st) == SQLITE_ROW) {
            rows++;
            if (strcmp((const char *)sqlite3_column_text(st, 0), calls[i].ticket) != 0 ||
                sqlite3_column_int64(st, 1) != calls[i].called_at)
                fail_msg("call %s/%d: history has %s at %lld, the screen showed %s at %lld",
                         calls[i].id, calls[i].recall, sqlite3_column_text(st, 0),
                         (long long)sqlite3_column_int64(st, 1), calls[i].ticket,
                         calls[i].called_at);
        }
        sqlite3_finalize(st);
        if (rows != 1)
            fail_msg("call %s/%d (ticket %s) shown on screen is in the history %d times",
                     calls[i].id, calls[i].recall, calls[i].ticket, rows);
    }
    fig->history = count(d, "SELECT count(*) FROM call_history", NULL);
}

static void check_ratings(sqlite3 *d, struct figures *fig)
{
    if (!has_table(d, "outbox")) {
        assert_int_equal(nratings, 0);
        return;
    }
    for (int i = 0; i < nratings; i++) {
        long long n = count(d, "SELECT count(*) FROM outbox WHERE idempotency_key = ?", ratings[i]);
        if (n != 1)
            fail_msg("rating %s reported saved is in the outbox %lld times", ratings[i], n);
    }
    long long rows = count(d, "SELECT count(*) FROM ratings", NULL);
    long long out = count(d, "SELECT count(*) FROM outbox WHERE path = 'ratings'", NULL);
    if (rows != out)
        fail_msg("%lld ratings but %lld outbox entries: one was saved without the other", rows,
                 out);
    fig->outbox = out;
}

/* Each page the printer file holds whole (from ESC @ to its cut): its QR code's text, from
 * the GS ( k store command (native_qr = true). A page cut short by the kill is not one: only
 * the end of the file can be short, every other byte must decode. */
static int printed_codes(const unsigned char *d, size_t len, char codes[][512], int max)
{
    int n = 0;
    char qr[512] = "";
    for (size_t i = 0; i < len;) {
        size_t left = len - i;
        const unsigned char *c = d + i;
        if (c[0] == 0x1b && left >= 2 && c[1] == '@') {
            i += 2;
        } else if (c[0] == 0x1b && left >= 3 && (c[1] == 'a' || c[1] == 'd')) {
            i += 3;
        } else if (c[0] == 0x1d && left >= 8 && c[1] == 'v' && c[2] == '0') {
            size_t block = 8 + (size_t)(c[4] | c[5] << 8) * (size_t)(c[6] | c[7] << 8);
            if (left < block)
                break; /* cut short */
            i += block;
        } else if (c[0] == 0x1d && left >= 5 && c[1] == '(' && c[2] == 'k') {
            size_t body = (size_t)(c[3] | c[4] << 8);
            if (left < 5 + body)
                break;
            if (body >= 3 && c[6] == 80 && body - 3 < sizeof(qr))
                snprintf(qr, sizeof(qr), "%.*s", (int)(body - 3), (const char *)c + 8);
            i += 5 + body;
        } else if (c[0] == 0x1d && left >= 3 && c[1] == 'V') {
            if (n < max)
                snprintf(codes[n++], 512, "%s", qr);
            qr[0] = 0;
            i += 3;
        } else if (left < 8 && (c[0] == 0x1b || c[0] == 0x1d)) {
            break; /* a command cut short */
        } else {
            fail_msg("printer file: unexpected byte 0x%02x at offset %zu of %zu", c[0], i, len);
        }
    }
    return n;
}

/* The pages of the run just killed: each is a ticket that reached the printer. */
static void ack_printed(void)
{
    struct stat st;
    if (stat(printer_path, &st) != 0)
        return;
    size_t len;
    unsigned char *data = read_bytes(printer_path, &len);
    static char codes[64][512];
    int n = printed_codes(data, len, codes, 64);
    free(data);
    unlink(printer_path);
    struct token_key key;
    char key_path[128], *err = NULL;
    path_in(key_path, sizeof(key_path), "site.key");
    if (!token_key_load(key_path, &key, &err))
        fail_msg("%s", err);
    for (int i = 0; i < n && ntickets < MAX_ACKED; i++) {
        struct token t;
        if (token_verify(&key, codes[i], time(NULL), &t) != TOKEN_VALID)
            fail_msg("printed ticket %d: its code \"%s\" does not verify", i, codes[i]);
        snprintf(tickets[ntickets++], sizeof(tickets[0]), "%s", t.ticket);
    }
}

static void check_journal(sqlite3 *d, struct figures *fig)
{
    if (!has_table(d, "ticket_journal")) {
        assert_int_equal(ntickets, 0);
        return;
    }
    for (int i = 0; i < ntickets; i++) {
        long long n = count(d, "SELECT count(*) FROM ticket_journal WHERE number = ?", tickets[i]);
        if (n != 1)
            fail_msg("ticket %s came out of the printer but is in the journal %lld times",
                     tickets[i], n);
    }
    long long twice = count(d,
                            "SELECT count(*) FROM (SELECT number FROM ticket_journal GROUP BY "
                            "number HAVING count(*) > 1)",
                            NULL);
    if (twice != 0)
        fail_msg("%lld ticket numbers are in the journal more than once", twice);
    fig->journal = count(d, "SELECT count(*) FROM ticket_journal", NULL);
}

static void check_after_kill(struct figures *fig)
{
    sqlite3 *d = open_copy();
    if (!d) {
        assert_int_equal(ncalls + nratings + ntickets, 0);
        return;
    }
    check_calls(d, fig);
    check_ratings(d, fig);
    check_journal(d, fig);
    sqlite3_close(d);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-power-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(db, sizeof(db), "kiosk.db");
    path_in(status, sizeof(status), "status.json");
    path_in(log_path, sizeof(log_path), "kiosk.log");
    path_in(printer_path, sizeof(printer_path), "printer.bin");
    ncalls = nratings = ntickets = 0;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    return remove_tree(dir);
}

static void report(const char *what, const struct figures *fig, uint64_t started)
{
    fprintf(stderr,
            "# %s: %d kills (%d in start-up), seed %u, %.1f s: %d calls, %d tickets, %d ratings "
            "acknowledged; history %lld rows, journal %lld, outbox %lld\n",
            what, fig->kills, fig->in_startup, seed, (double)(clock_mono_ms() - started) / 1000.0,
            ncalls, ntickets, nratings, fig->history, fig->journal, fig->outbox);
}

/* A call screen on the demo clinic at 2000x: a snapshot and new calls every poll (50 ms). */
static void test_call_history_survives_kills(void **state)
{
    (void)state;
    char text[512];
    snprintf(text, sizeof(text),
             "[device]\nid = wall-1\nrole = display\nwidth = 640\nheight = 360\n"
             "[backend]\ntype = demo\nseed = %u\nspeed = 2000\npoll_interval_ms = 100\n"
             "[storage]\npath = %s\n",
             seed, db);
    write_text(ini, text);
    struct figures fig = {0};
    uint64_t started = clock_mono_ms();
    for (int i = 0; i < kills_per_role(); i++) {
        run_and_kill(NULL, 1500, &fig);
        check_after_kill(&fig);
    }
    report("call screen", &fig, started);
    assert_true(ncalls > 0);
    assert_true(fig.history >= ncalls);
}

/* The centre of target on a portrait 720x1280 kiosk with the configuration written last. */
static void centre(enum ui_screen screen, enum ui_target target, int index, int *x, int *y)
{
    kiosk_button_centre(ini, 720, 1280, screen, false, target, index, x, y);
}

static void tap(char *text, size_t size, enum ui_screen screen, enum ui_target target, int index,
                int wait_ms)
{
    int x, y;
    centre(screen, target, index, &x, &y);
    size_t used = strlen(text);
    snprintf(text + used, size - used, "tap %d %d\nwait %d\n", x, y, wait_ms);
}

/* Patients in a loop: a ticket (backend-sim issues it, the file: printer prints it), then a
 * rating; again and again, until the kill. */
static void write_patients_script(const char *path)
{
    static char text[65536];
    text[0] = 0;
    for (int i = 0; i < 40; i++) {
        tap(text, sizeof(text), UI_HOME, UI_TARGET_TAKE_TICKET, -1, 100);
        tap(text, sizeof(text), UI_DEPARTMENTS, UI_TARGET_DEPARTMENT, i % 3, 700);
        tap(text, sizeof(text), UI_TICKET, UI_TARGET_BACK, -1, 100);
        tap(text, sizeof(text), UI_HOME, UI_TARGET_RATE, -1, 100);
        tap(text, sizeof(text), UI_RATE, UI_TARGET_FACE, 1 + i % 5, 50);
        tap(text, sizeof(text), UI_RATE, UI_TARGET_SUBMIT, -1, 200);
        tap(text, sizeof(text), UI_THANKS, UI_TARGET_BACK, -1, 100);
    }
    write_text(path, text);
}

static void test_tickets_and_ratings_survive_kills(void **state)
{
    (void)state;
    char key[128], script[128], text[2048];
    sim = start_backend_sim(dir, &port);
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\norientation = portrait\nwidth = 720\n"
             "height = 1280\n[backend]\ntype = http\nurl = http://127.0.0.1:%d\n"
             "timeout_ms = 2000\n[storage]\npath = %s\n[qr]\nkey_file = site.key\n"
             "survey_url = https://s.example/r/{token}\n[kiosk]\nrating_interval_s = 0\n"
             "attract_seconds = 0\nidle_seconds = 600\n"
             "[printer]\ndevice = file:%s\nnative_qr = true\n",
             port, db, printer_path);
    write_text(ini, text);
    path_in(script, sizeof(script), "patients.txt");
    write_patients_script(script);
    struct figures fig = {0};
    uint64_t started = clock_mono_ms();
    for (int i = 0; i < kills_per_role(); i++) {
        run_and_kill(script, 3000, &fig);
        ack_printed();
        check_after_kill(&fig);
    }
    report("kiosk", &fig, started);
    assert_true(ntickets > 0);
    assert_true(nratings > 0);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    seed = getenv("POWER_LOSS_SEED") ? (unsigned)atoi(getenv("POWER_LOSS_SEED"))
                                     : (unsigned)time(NULL);
    srand(seed);
    if (getenv("POWER_LOSS_ONLY")) /* "*kiosk*" or "*call*": one of the two */
        cmocka_set_test_filter(getenv("POWER_LOSS_ONLY"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_call_history_survives_kills, setup, teardown),
        cmocka_unit_test_setup_teardown(test_tickets_and_ratings_survive_kills, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
