/* hub_load.c: make bench's load for kiosk-hub: many devices long-polling GET /api/v1/queue and
 * phones on live pages (GET /r/TOKEN/events), each on its own keep-alive connection, parked on
 * the hub; then calls made on backend-sim (POST /admin/call) and the time from each call (the
 * admin POST's return) to each connection's answer. One thread, epoll, nothing but the
 * status line, ETag or event id and Content-Length read: the hub, not this, does the work.
 *
 *   hub-load --hub PORT --sim PORT [--devices N --bearer TOKEN] [--phones N --page /r/TOKEN]
 *            [--hold SECONDS] [--calls N] [--gap-ms MS]
 *
 * It prints "ready" once every connection is parked (a script may start wrk then), holds them
 * for --hold seconds, makes one call it does not measure and then the calls it does (--gap-ms
 * apart, once every request is parked again), then prints one line per kind of client with
 * the latencies and one with its own CPU time during the calls. Exit 1 when a call is not answered
 * to everyone within 20 s. */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BUFFER_MAX    ((size_t)512 * 1024)
#define ANSWER_WAIT_S 20

enum kind { DEVICE, PHONE };

struct client {
    enum kind kind;
    int fd;
    uint64_t version; /* the newest the hub gave this client */
    bool waiting;     /* a request is out */
    bool answered;    /* in the current call */
    char *buffer;
    size_t len, size;
};

struct samples {
    int64_t *us;
    size_t n, size;
};

static struct {
    int hub_port, sim_port;
    int devices, phones;
    const char *bearer, *page;
    int hold_s, calls, gap_ms;
} opt = {.calls = 10, .gap_ms = 500};

static int64_t now_us(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000 + ts.tv_nsec / 1000;
}

static void die(const char *what)
{
    fprintf(stderr, "hub-load: %s: %s\n", what, strerror(errno));
    exit(2);
}

static int connect_to(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
    struct sockaddr_in a = {.sin_family = AF_INET,
                            .sin_port = htons((uint16_t)port),
                            .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    int one = 1;
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        die("connect");
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    return fd;
}

static void send_all(int fd, const char *text)
{
    size_t len = strlen(text);
    while (len) {
        ssize_t n = send(fd, text, len, MSG_NOSIGNAL);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            die("send");
        text += n;
        len -= (size_t)n;
    }
}

/* One blocking request with Connection: close; the whole answer (status line on) into out. */
static void request_once(int port, const char *request, char *out, size_t size)
{
    int fd = connect_to(port);
    send_all(fd, request);
    size_t len = 0;
    ssize_t n;
    while (len < size - 1 && (n = recv(fd, out + len, size - 1 - len, 0)) > 0)
        len += (size_t)n;
    out[len] = '\0';
    close(fd);
}

/* The hub's parked requests, from GET /healthz. */
static int parked(void)
{
    char answer[4096];
    request_once(opt.hub_port, "GET /healthz HTTP/1.1\r\nHost: hub\r\nConnection: close\r\n\r\n",
                 answer, sizeof answer);
    const char *p = strstr(answer, "\"parked\":");
    return p ? atoi(p + 9) : -1;
}

/* Calls the next patient on backend-sim; returns once its answer is read. */
static void call_next(void)
{
    static const char body[] = "{}";
    char request[256], answer[4096];
    snprintf(request, sizeof request,
             "POST /admin/call HTTP/1.1\r\nHost: sim\r\nContent-Type: application/json\r\n"
             "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
             strlen(body), body);
    request_once(opt.sim_port, request, answer, sizeof answer);
    if (strncmp(answer, "HTTP/1.", 7) != 0 || atoi(answer + 9) != 200) {
        fprintf(stderr, "hub-load: backend-sim refused the call: %.80s\n", answer);
        exit(2);
    }
}

static void ask(struct client *c)
{
    char request[1024];
    if (c->kind == DEVICE)
        snprintf(request, sizeof request,
                 "GET /api/v1/queue?wait=60&since=%" PRIu64 " HTTP/1.1\r\nHost: hub\r\n"
                 "Authorization: Bearer %s\r\n\r\n",
                 c->version, opt.bearer);
    else
        snprintf(request, sizeof request,
                 "GET %s/events HTTP/1.1\r\nHost: hub\r\nAccept: text/event-stream\r\n"
                 "Last-Event-ID: %" PRIu64 "\r\n\r\n",
                 opt.page, c->version);
    send_all(c->fd, request);
    c->waiting = true;
}

/* The length of the whole answer at the start of c's buffer, or 0 while it is incomplete. */
static size_t whole_answer(struct client *c)
{
    c->buffer[c->len] = '\0';
    char *end = strstr(c->buffer, "\r\n\r\n");
    if (!end)
        return 0;
    size_t head = (size_t)(end + 4 - c->buffer);
    *end = '\0';
    const char *length = strcasestr(c->buffer, "\r\nContent-Length:");
    int status = atoi(c->buffer + 9);
    *end = '\r';
    size_t body = status == 304 || !length ? 0 : strtoull(length + 17, NULL, 10);
    return c->len >= head + body ? head + body : 0;
}

/* The version an answer carries: ETag "v12" (devices), "id: 12" (phones). */
static void read_version(struct client *c, size_t len)
{
    char saved = c->buffer[len];
    c->buffer[len] = '\0';
    const char *etag = strcasestr(c->buffer, "\r\nETag: \"v");
    const char *id = strstr(c->buffer, "\nid: ");
    if (c->kind == DEVICE && etag)
        c->version = strtoull(etag + 10, NULL, 10);
    else if (c->kind == PHONE && id)
        c->version = strtoull(id + 5, NULL, 10);
    c->buffer[len] = saved;
}

static void add_sample(struct samples *s, int64_t us)
{
    if (s->n == s->size) {
        s->size = s->size ? s->size * 2 : 4096;
        if (!(s->us = realloc(s->us, s->size * sizeof *s->us)))
            die("realloc");
    }
    s->us[s->n++] = us;
}

static int by_value(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return (x > y) - (x < y);
}

static double percentile_ms(const struct samples *s, double p)
{
    size_t i = (size_t)(p / 100.0 * (double)s->n + 0.999999);
    i = i ? i - 1 : 0;
    return (double)s->us[i < s->n ? i : s->n - 1] / 1000.0;
}

static void report(const char *what, struct samples *s, struct samples *sent, int clients)
{
    if (!s->n)
        return;
    qsort(s->us, s->n, sizeof *s->us, by_value);
    qsort(sent->us, sent->n, sizeof *sent->us, by_value);
    printf("%s: %d connections, %d calls, %zu answers: call -> answer p50 %.1f ms, p99 %.1f "
           "ms, max %.1f ms (min %.1f ms); from the call's request p50 %.1f ms, p99 %.1f ms\n",
           what, clients, opt.calls, s->n, percentile_ms(s, 50), percentile_ms(s, 99),
           (double)s->us[s->n - 1] / 1000.0, (double)s->us[0] / 1000.0, percentile_ms(sent, 50),
           percentile_ms(sent, 99));
}

static double cpu_s(void)
{
    struct rusage ru;
    getrusage(RUSAGE_SELF, &ru);
    return (double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6 +
           (double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6;
}

static void parse_args(int argc, char **argv)
{
    static const struct option options[] = {
        {"hub", required_argument, NULL, 'H'},     {"sim", required_argument, NULL, 'S'},
        {"devices", required_argument, NULL, 'd'}, {"bearer", required_argument, NULL, 'b'},
        {"phones", required_argument, NULL, 'p'},  {"page", required_argument, NULL, 'P'},
        {"hold", required_argument, NULL, 'h'},    {"calls", required_argument, NULL, 'c'},
        {"gap-ms", required_argument, NULL, 'g'},  {NULL, 0, NULL, 0},
    };
    int o;
    while ((o = getopt_long(argc, argv, "", options, NULL)) != -1) {
        switch (o) {
        case 'H':
            opt.hub_port = atoi(optarg);
            break;
        case 'S':
            opt.sim_port = atoi(optarg);
            break;
        case 'd':
            opt.devices = atoi(optarg);
            break;
        case 'b':
            opt.bearer = optarg;
            break;
        case 'p':
            opt.phones = atoi(optarg);
            break;
        case 'P':
            opt.page = optarg;
            break;
        case 'h':
            opt.hold_s = atoi(optarg);
            break;
        case 'c':
            opt.calls = atoi(optarg);
            break;
        case 'g':
            opt.gap_ms = atoi(optarg);
            break;
        default:
            exit(2);
        }
    }
    if (!opt.hub_port || !opt.sim_port || (opt.devices && !opt.bearer) ||
        (opt.phones && !opt.page) || opt.devices + opt.phones <= 0) {
        fprintf(stderr, "usage: hub-load --hub PORT --sim PORT [--devices N --bearer TOKEN] "
                        "[--phones N --page /r/TOKEN] [--hold S] [--calls N] [--gap-ms MS]\n");
        exit(2);
    }
}

/* Reads what is there for c (one recv when it fits: epoll is level-triggered and says so
 * again if more came). Returns true when c got a whole answer. */
static bool on_readable(struct client *c)
{
    bool got = false;
    for (;;) {
        if (c->size - c->len < 65536) {
            c->size = c->size * 2;
            if (c->size > BUFFER_MAX || !(c->buffer = realloc(c->buffer, c->size + 1)))
                die("an answer too large");
        }
        ssize_t n = recv(c->fd, c->buffer + c->len, c->size - c->len, MSG_DONTWAIT);
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            break;
        if (n <= 0) {
            errno = n ? errno : ECONNRESET;
            die("the hub closed a connection");
        }
        c->len += (size_t)n;
        size_t len;
        while ((len = whole_answer(c)) > 0) {
            read_version(c, len);
            memmove(c->buffer, c->buffer + len, c->len - len);
            c->len -= len;
            c->waiting = false;
            got = true;
        }
        if (c->len < c->size)
            break;
    }
    return got;
}

int main(int argc, char **argv)
{
    parse_args(argc, argv);
    int total = opt.devices + opt.phones;
    struct rlimit nofile = {(rlim_t)total + 256, (rlim_t)total + 256};
    if (setrlimit(RLIMIT_NOFILE, &nofile) != 0)
        die("setrlimit");
    int ep = epoll_create1(EPOLL_CLOEXEC);
    struct client *clients = calloc((size_t)total, sizeof *clients);
    if (ep < 0 || !clients)
        die("start");
    for (int i = 0; i < total; i++) {
        struct client *c = &clients[i];
        c->kind = i < opt.devices ? DEVICE : PHONE;
        c->fd = connect_to(opt.hub_port);
        c->size = 65536;
        if (!(c->buffer = malloc(c->size + 1)))
            die("malloc");
        fcntl(c->fd, F_SETFL, fcntl(c->fd, F_GETFL) | O_NONBLOCK);
        struct epoll_event e = {.events = EPOLLIN, .data.ptr = c};
        if (epoll_ctl(ep, EPOLL_CTL_ADD, c->fd, &e) != 0)
            die("epoll_ctl");
        c->version = 0; /* not the hub's: answered at once with the current one */
        ask(c);
    }
    /* From the call's answer (what make bench reports) and from its request. */
    struct samples device_s = {0}, phone_s = {0}, device_sent = {0}, phone_sent = {0};
    struct epoll_event events[512];
    int64_t hold_until = 0;
    double cpu_calls = 0;
    /* Round -2 learns the current version; round -1 is a call not measured, after which
     * every request is parked afresh (a live page that waited through --hold would answer at
     * its 25 s deadline in the middle of a measured call). */
    for (int call = -2; call < opt.calls; call++) {
        /* Everyone's answers in, asked again, parked. */
        int64_t sent = 0, t0 = 0, give_up = now_us() + (int64_t)ANSWER_WAIT_S * 1000000;
        double cpu0 = cpu_s();
        if (call >= -1) {
            sent = now_us();
            call_next();
            t0 = now_us();
        }
        int answered = 0;
        for (int i = 0; i < total; i++)
            clients[i].answered = false;
        while (answered < total) {
            int n = epoll_wait(ep, events, 512, 1000);
            if (n < 0 && errno != EINTR)
                die("epoll_wait");
            int64_t t = now_us();
            for (int i = 0; i < n; i++) {
                struct client *c = events[i].data.ptr;
                if (!on_readable(c) || c->answered)
                    continue;
                c->answered = true;
                answered++;
                if (call >= 0) {
                    add_sample(c->kind == DEVICE ? &device_s : &phone_s, t - t0);
                    add_sample(c->kind == DEVICE ? &device_sent : &phone_sent, t - sent);
                }
            }
            if (now_us() > give_up) {
                fprintf(stderr, "hub-load: call %d: %d of %d answered after %d s\n", call + 1,
                        answered, total, ANSWER_WAIT_S);
                return 1;
            }
        }
        if (call >= 0)
            cpu_calls += cpu_s() - cpu0;
        for (int i = 0; i < total; i++)
            ask(&clients[i]);
        /* The hub holds every request (its /healthz says how many). */
        int64_t wait_until = now_us() + 10 * 1000000;
        int p;
        while ((p = parked()) < total && now_us() < wait_until) {
            /* A live page answered at its 25 s deadline asks again. */
            int n = epoll_wait(ep, events, 512, 20);
            for (int i = 0; i < n; i++) {
                struct client *c = events[i].data.ptr;
                if (on_readable(c))
                    ask(c);
            }
        }
        if (p < total) {
            fprintf(stderr, "hub-load: only %d of %d requests parked on the hub\n", p, total);
            return 1;
        }
        if (call == -2) {
            printf("ready: %d connections parked\n", total);
            fflush(stdout);
            hold_until = now_us() + (int64_t)opt.hold_s * 1000000;
            while (now_us() < hold_until) {
                int n = epoll_wait(ep, events, 512, 100);
                for (int i = 0; i < n; i++) {
                    struct client *c = events[i].data.ptr;
                    if (on_readable(c))
                        ask(c);
                }
            }
        }
        struct timespec gap = {opt.gap_ms / 1000, (long)(opt.gap_ms % 1000) * 1000000};
        nanosleep(&gap, NULL);
    }
    report("devices long-polling GET /api/v1/queue", &device_s, &device_sent, opt.devices);
    report("phones on live pages (GET /r/TOKEN/events)", &phone_s, &phone_sent, opt.phones);
    if (opt.calls)
        printf("hub-load itself: %.1f ms of CPU per call for %d answers\n",
               cpu_calls * 1000 / opt.calls, total);
    return 0;
}
