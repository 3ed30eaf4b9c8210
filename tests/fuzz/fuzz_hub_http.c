/* fuzz_hub_http.c: kiosk-hub from the network. The real hub (libmicrohttpd, routes, store) runs
 * in this process, started once on 127.0.0.1 with the demo clinic frozen; each input is sent as
 * raw bytes over its own TCP connection. The hub answers "HTTP/1.1 ..." or closes, never
 * crashes (ASan and UBSan watch its threads too), and stays alive: every 100 inputs a fresh
 * connection must still get GET /s/hub.css.
 *
 * A parked request (a long-poll, a live page) would hold the connection until its deadline (up
 * to 60 s): at the first silence the harness wakes the board's parked requests, as hub_stop
 * does, so they answer at once; nothing piles up and no input waits for a deadline.
 *
 * The corpus (tests/fuzz/corpus/hub_http/) holds tokens signed with FUZZ_KEY below, each for
 * device "hall-a-1", expiring 2037-01-01 (one expired in 2021): A036 issued 2030-01-01 (so it
 * waits for years), A034 and a room code for r2 issued 2026-12-05, a results code for A031.
 * Made with token_issue from qr/token.h; the devices file gives hall-a-1 FUZZ_DEVICE_TOKEN. */
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <curl/curl.h>

#include "base/log.h"
#include "config/config.h"
#include "fuzz.h"
#include "hub/board.h"
#include "hub/hub.h"

#define FUZZ_KEY          "kiosk-hub-fuzz-site-key-32-bytes"
#define FUZZ_DEVICE_TOKEN "fuzz-device-token-0123456789abcdef"
#define ANSWER_BUDGET_MS  200 /* per input: then the connection is closed, whatever it holds */
#define QUIET_SLICE_MS    2   /* silence with requests parked: wake them */
#define QUIET_DONE_MS     6   /* an answer followed by this much silence is all of it */
#define QUIET_NONE_MS     20  /* no answer after this much silence: the hub waits for more */
#define ALIVE_EVERY       100

static struct config config;
static struct hub *hub;
static char dir[64];
static unsigned inputs;
static bool show;

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void write_file(const char *name, const char *text)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    if (!f || fputs(text, f) < 0 || fclose(f) != 0 || chmod(path, 0600) != 0) {
        fprintf(stderr, "fuzz_hub_http: cannot write %s\n", path);
        abort();
    }
}

static void set(const char *fmt, const char *value)
{
    char assignment[256], *err = NULL;
    snprintf(assignment, sizeof assignment, fmt, value);
    if (!config_set(&config, assignment, &err)) {
        fprintf(stderr, "fuzz_hub_http: %s: %s\n", assignment, err);
        abort();
    }
}

/* libFuzzer's SIGALRM (its -timeout watch) interrupts blocking calls: a connect() cut short
 * goes on by itself, and is waited for here. */
static int connect_hub(void)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)hub_port(hub)),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int result = fd < 0 ? -1 : connect(fd, (struct sockaddr *)&a, sizeof a);
    if (result != 0 && fd >= 0 && errno == EINTR) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int ready;
        do
            ready = poll(&p, 1, 5000);
        while (ready < 0 && errno == EINTR);
        int error = ETIMEDOUT;
        socklen_t len = sizeof error;
        if (ready > 0 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &error, &len) != 0)
            error = errno;
        result = error ? -1 : 0;
        errno = error;
    }
    if (result != 0) {
        fprintf(stderr, "fuzz_hub_http: cannot connect to the hub: %s\n", strerror(errno));
        abort();
    }
    return fd;
}

/* Everything, unless the hub closes first (it may: a request too large). */
static void send_all(int fd, const uint8_t *data, size_t size, int64_t deadline)
{
    while (size) {
        struct pollfd p = {.fd = fd, .events = POLLOUT};
        int left = (int)(deadline - now_ms());
        int ready = left > 0 ? poll(&p, 1, left) : 0;
        if (ready < 0 && errno == EINTR)
            continue;
        if (ready <= 0)
            return;
        ssize_t n = send(fd, data, size, MSG_NOSIGNAL | MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            return;
        data += n;
        size -= (size_t)n;
    }
}

/* Whether head (kept bytes of total received) holds a whole answer: after any 100 Continue,
 * headers and as many bytes as their Content-Length says. Unsure (HEAD, no length): false. */
static bool answered(char *head, size_t kept, size_t total)
{
    size_t at = 0;
    for (;;) {
        char *end = strstr(head + at, "\r\n\r\n");
        if (!end || strncmp(head + at, "HTTP/1.1 ", 9) != 0)
            return false;
        size_t body = (size_t)(end + 4 - head);
        int status = atoi(head + at + 9);
        if (status >= 100 && status < 200) {
            at = body;
            continue;
        }
        if (status == 204 || status == 304)
            return true;
        *end = '\0';
        const char *length = strcasestr(head + at, "\r\nContent-Length:");
        *end = '\r';
        return length && total >= body + strtoull(length + 17, NULL, 10) && body <= kept;
    }
}

/* Reads until the hub closes, or its answer is whole, or it has said something and then
 * nothing for QUIET_DONE_MS, or nothing for QUIET_NONE_MS (it waits for more of a request),
 * or the deadline (only the close or the deadline when patient). The first size - 1 bytes go
 * into head. Requests the hub parks are woken at the first silence. */
static size_t read_answer(int fd, char *head, size_t size, int64_t deadline, bool patient)
{
    size_t kept = 0, total = 0;
    int quiet_ms = 0;
    for (;;) {
        int left = (int)(deadline - now_ms());
        if (left <= 0 || (!patient && quiet_ms >= (total ? QUIET_DONE_MS : QUIET_NONE_MS)))
            break;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int ready = poll(&p, 1, left < QUIET_SLICE_MS ? left : QUIET_SLICE_MS);
        if (ready < 0 && errno != EINTR)
            break;
        if (ready == 0) {
            quiet_ms += QUIET_SLICE_MS;
            if (board_parked(hub->board) > 0) {
                board_wake_all(hub->board);
                quiet_ms = 0;
            }
            continue;
        }
        char buffer[16384];
        ssize_t n = recv(fd, buffer, sizeof buffer, MSG_DONTWAIT);
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            continue;
        if (n <= 0)
            break;
        quiet_ms = 0;
        total += (size_t)n;
        size_t take = (size_t)n < size - 1 - kept ? (size_t)n : size - 1 - kept;
        memcpy(head + kept, buffer, take);
        kept += take;
        head[kept] = '\0';
        if (!patient && answered(head, kept, total))
            break;
    }
    head[kept] = '\0';
    return kept;
}

/* One request on a fresh connection: the start of the answer into head. The connection ends
 * with a reset: libmicrohttpd may have missed the end of the input (it came with the request)
 * and would otherwise keep the connection until its idle timeout. */
static size_t exchange(const uint8_t *data, size_t size, char *head, size_t head_size,
                       int budget_ms, bool patient)
{
    int64_t deadline = now_ms() + budget_ms;
    int fd = connect_hub();
    send_all(fd, data, size, deadline);
    shutdown(fd, SHUT_WR);
    size_t got = read_answer(fd, head, head_size, deadline, patient);
    struct linger reset = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &reset, sizeof reset);
    close(fd);
    return got;
}

/* The hub still serves a well-formed request on a new connection. */
static void check_alive(void)
{
    static const char css[] = "GET /s/hub.css HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n";
    char head[64];
    exchange((const uint8_t *)css, sizeof css - 1, head, sizeof head, 5000, true);
    if (strncmp(head, "HTTP/1.1 200 ", 13) != 0) {
        fprintf(stderr, "fuzz_hub_http: the hub no longer serves GET /s/hub.css: \"%s\"\n", head);
        abort();
    }
}

/* Once libFuzzer is done (exit): the hub stopped, so that LeakSanitizer sees what it kept. */
static void stop_hub(void)
{
    hub_stop(hub);
    hub = NULL;
    char command[128];
    snprintf(command, sizeof command, "rm -rf '%s'", dir);
    if (system(command) != 0)
        fprintf(stderr, "fuzz_hub_http: could not remove %s\n", dir);
}

/* The demo clinic's first snapshot is on the board, so replays see the same hub. */
static void wait_snapshot(void)
{
    for (int i = 0; i < 500; i++) {
        struct board_status status;
        board_read(hub->board, NULL, &status);
        if (status.has_model)
            return;
        usleep(10000);
    }
    fprintf(stderr, "fuzz_hub_http: the demo clinic never reached the board\n");
    abort();
}

int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    signal(SIGPIPE, SIG_IGN);
    show = getenv("FUZZ_HUB_SHOW") != NULL;
    log_set_level(LOG_LEVEL_ERR);
    snprintf(dir, sizeof dir, "%s/fuzz-hub-XXXXXX",
             access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp");
    if (!mkdtemp(dir))
        abort();
    write_file("site.key", FUZZ_KEY);
    write_file("devices", "# the corpus's device\nhall-a-1 " FUZZ_DEVICE_TOKEN "\n");
    config_defaults_for(&config, CONFIG_HUB);
    set("hub.listen=%s", "127.0.0.1:0");
    set("hub.ratings_per_address=%s", "100000");
    set("hub.complaints_phone=%s", "010-12345678");
    set("hub.hospital_zh=%s", "示例医院");
    set("upstream.type=%s", "demo");
    set("upstream.speed=%s", "0");
    set("web.results_portal=%s",
        "https://results.example/lookup?visit={visit}&date={date}&lang={lang}");
    char path[128];
    snprintf(path, sizeof path, "%s/hub.db", dir);
    set("storage.path=%s", path);
    snprintf(path, sizeof path, "%s/site.key", dir);
    set("qr.key_file=%s", path);
    snprintf(path, sizeof path, "%s/devices", dir);
    set("hub.devices_file=%s", path);
    char *err = NULL;
    curl_global_init(CURL_GLOBAL_DEFAULT);
    if (!config_check(&config, &err) || !(hub = hub_start(&config, &err))) {
        fprintf(stderr, "fuzz_hub_http: %s\n", err);
        abort();
    }
    atexit(stop_hub);
    wait_snapshot();
    check_alive();
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    char head[8192];
    size_t got = exchange(data, size, head, sizeof head, ANSWER_BUDGET_MS, false);
    if (show) /* FUZZ_HUB_SHOW=1: each answer's status line, to check a corpus */
        fprintf(stderr, "answer: %.*s\n", (int)strcspn(head, "\r\n"), got ? head : "(closed)");
    /* An answer, or a closed connection; never anything else. */
    FUZZ_CHECK(got == 0 || strncmp(head, "HTTP/1.1 ", got < 9 ? got : 9) == 0);
    if (++inputs % ALIVE_EVERY == 0)
        check_alive();
    return 0;
}
