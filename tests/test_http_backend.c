/* test_http_backend.c: the kiosk API v1 backend and its POSTs against servers made to misbehave:
 * refused connections back off exponentially with jitter up to 30 s, a hung server can be
 * interrupted, a missing token file stops it at start, and a canned server on 127.0.0.1 plays
 * the hostile answers (a snapshot older than the one shown, a 304 before any 200, a 1 MB
 * header, numbers and strings the snapshot's rules refuse). (tests/system/test_backend_sim.c
 * drives it against the reference server.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "backend/api.h"
#include "backend/backend.h"
#include "base/clock.h"
#include "base/mem.h"

static struct config config;

static int setup(void **state)
{
    (void)state;
    clock_set_source(NULL); /* a failed test may have left its own */
    config_defaults(&config);
    config.backend.type = BACKEND_HTTP;
    config.backend.poll_interval_ms = 1000;
    config.backend.timeout_ms = 2000;
    snprintf(config.backend.url, sizeof(config.backend.url), "http://127.0.0.1:1");
    return 0;
}

static void test_refused_connections_back_off_to_thirty_seconds(void **state)
{
    (void)state;
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    assert_non_null(b);
    struct model m;
    long expected = 1000;
    for (int i = 0; i < 8; i++) {
        assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_ERROR);
        assert_non_null(err);
        assert_non_null(strstr(err, "connection refused (")); /* the kind, then the detail */
        free(err);
        int wait = backend_http.next_poll_ms(b);
        if (wait < expected * 8 / 10 || wait > expected * 12 / 10)
            fail_msg("failure %d: waits %d ms, expected %ld +-20%%", i + 1, wait, expected);
        expected = expected * 2 > 30000 ? 30000 : expected * 2;
    }
    backend_http.destroy(b);
}

static void test_missing_token_file_is_a_start_error(void **state)
{
    (void)state;
    char *err = NULL;
    snprintf(config.backend.token_file, sizeof(config.backend.token_file), "/nonexistent/token");
    assert_null(backend_http.create(&config, &err));
    assert_non_null(strstr(err, "/nonexistent/token"));
    free(err);
}

/* A server that accepts connections and never answers. */
static int silent_server(int *port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(fd, 4), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    *port = ntohs(a.sin_port);
    return fd;
}

static void *interrupt_soon(void *arg)
{
    usleep(200 * 1000);
    backend_http.interrupt(arg);
    return NULL;
}

static void test_a_hung_request_can_be_interrupted(void **state)
{
    (void)state;
    int port, fd = silent_server(&port);
    snprintf(config.backend.url, sizeof(config.backend.url), "http://127.0.0.1:%d", port);
    config.backend.timeout_ms = 120000; /* only the interrupt can end this poll */
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    pthread_t t;
    pthread_create(&t, NULL, interrupt_soon, b);
    struct model m;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_ERROR);
    assert_string_equal(err, "interrupted");
    free(err);
    pthread_join(t, NULL);
    backend_http.destroy(b);
    close(fd);
}

/* A server on 127.0.0.1 that answers the nth connection with answers[n] (raw HTTP; the last
 * one again once they run out) and closes it. A NULL answer holds the connection, unanswered,
 * until the client gives up. */
struct canned {
    int fd, port, count;
    char *answers[8];
    pthread_t thread;
};

static void read_request(int fd)
{
    char buf[8192];
    size_t len = 0;
    ssize_t n;
    while (len < sizeof(buf) - 1 && (n = read(fd, buf + len, sizeof(buf) - 1 - len)) > 0) {
        len += (size_t)n;
        buf[len] = 0;
        char *end = strstr(buf, "\r\n\r\n");
        const char *length = strcasestr(buf, "Content-Length:");
        if (end && (!length || (size_t)(end + 4 - buf) + strtoul(length + 15, NULL, 10) <= len))
            return;
    }
}

static void *serve(void *arg)
{
    struct canned *c = arg;
    for (int i = 0;; i++) {
        int conn = accept(c->fd, NULL, NULL);
        if (conn < 0)
            return NULL;
        read_request(conn);
        const char *answer = c->answers[i < c->count ? i : c->count - 1];
        char drain[256];
        if (answer)
            (void)!write(conn, answer, strlen(answer));
        else
            while (read(conn, drain, sizeof(drain)) > 0) /* held until the client closes */
                ;
        close(conn);
    }
}

/* Starts a canned server with count answers (taken over: freed by canned_stop) and points
 * [backend] url at it. */
static struct canned *canned_start(int count, char **answers)
{
    struct canned *c = xcalloc(1, sizeof(*c));
    c->fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_int_equal(bind(c->fd, (struct sockaddr *)&a, sizeof(a)), 0);
    assert_int_equal(listen(c->fd, 8), 0);
    getsockname(c->fd, (struct sockaddr *)&a, &len);
    c->port = ntohs(a.sin_port);
    c->count = count;
    memcpy(c->answers, answers, (size_t)count * sizeof(answers[0]));
    snprintf(config.backend.url, sizeof(config.backend.url), "http://127.0.0.1:%d", c->port);
    pthread_create(&c->thread, NULL, serve, c);
    return c;
}

static void canned_stop(struct canned *c)
{
    shutdown(c->fd, SHUT_RDWR); /* accept() returns */
    pthread_join(c->thread, NULL);
    close(c->fd);
    for (int i = 0; i < c->count; i++)
        free(c->answers[i]);
    free(c);
}

/* A 200 with body, its ETag "v<version>". */
static char *ok(unsigned version, const char *body)
{
    return xasprintf("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nETag: \"v%u\"\r\n"
                     "Content-Length: %zu\r\nConnection: close\r\n\r\n%s",
                     version, strlen(body), body);
}

/* A valid snapshot at version with server_time, its one call id at recall 0. */
static char *snapshot(unsigned version, long server_time, const char *call_id)
{
    char body[1024];
    snprintf(
        body, sizeof(body),
        "{\"version\": %u, \"server_time\": %ld, \"calls\": [{\"id\": \"%s\", \"ticket\": "
        "\"A%03u\", \"room\": \"r1\", \"priority\": \"normal\", \"called_at\": %ld, "
        "\"recall\": 0}], \"waiting\": [], \"rooms\": [{\"id\": \"r1\", \"name_zh\": \"1 号诊室\", "
        "\"name_en\": \"Room 1\", \"open\": true, \"serving\": \"A%03u\"}]}",
        version, server_time, call_id, version, server_time, version);
    return ok(version, body);
}

static uint64_t fake_ms;
static uint64_t fake_clock(void)
{
    return fake_ms;
}

/* 18 -> 20 (a new call) -> 19 -> 20, as a lagging replica or a cache in front of the backend
 * answers: 19 is older than what is shown and is ignored, so 20 is not news again. */
static void test_an_older_snapshot_is_ignored(void **state)
{
    (void)state;
    char *answers[] = {snapshot(18, 1795000000, "c18"), snapshot(20, 1795000010, "c20"),
                       snapshot(19, 1795000005, "c19"), snapshot(20, 1795000012, "c20")};
    struct canned *c = canned_start(4, answers);
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    struct model m;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_CHANGED);
    assert_int_equal(m.version, 18);
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_CHANGED);
    assert_int_equal(m.version, 20);
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_UNCHANGED); /* 19: ignored */
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_UNCHANGED); /* 20: still shown */
    assert_null(err);
    backend_http.destroy(b);
    canned_stop(c);
}

/* A backend that restarted counts from lower again and keeps to it: after three answers over
 * ten seconds below the version shown, its snapshot is taken. */
static void test_a_restarted_backend_is_followed(void **state)
{
    (void)state;
    char *answers[] = {snapshot(20, 1795000000, "c20"), snapshot(2, 1795000100, "c1")};
    struct canned *c = canned_start(2, answers);
    clock_set_source(fake_clock);
    fake_ms = 1000000;
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    struct model m;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_CHANGED);
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_UNCHANGED);
    fake_ms += 6000;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_UNCHANGED);
    fake_ms += 6000;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_CHANGED); /* 12 s, 3 answers */
    assert_int_equal(m.version, 2);
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_UNCHANGED); /* from there on */
    clock_set_source(NULL);
    backend_http.destroy(b);
    canned_stop(c);
}

/* Until a first 200 the kiosk has no queue: a 304 then is no reason to say "online". */
static void test_a_304_before_any_snapshot_is_an_error(void **state)
{
    (void)state;
    char *answers[] = {xstrdup("HTTP/1.1 304 Not Modified\r\nETag: \"v5\"\r\n\r\n")};
    struct canned *c = canned_start(1, answers);
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    struct model m;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_ERROR);
    print_message("%s\n", err);
    assert_non_null(strstr(err, "304"));
    free(err);
    backend_http.destroy(b);
    canned_stop(c);
}

/* libcurl refuses a header over 100 KB; the reason given is the header, not the memory. */
static void test_an_oversized_header_is_named(void **state)
{
    (void)state;
    char *big = xcalloc(1, 1 << 20);
    memset(big, 'a', (1 << 20) - 1);
    char *answers[] = {
        xasprintf("HTTP/1.1 200 OK\r\nX-Big: %s\r\nContent-Length: 2\r\n\r\n{}", big)};
    free(big);
    struct canned *c = canned_start(1, answers);
    char *err = NULL;
    struct backend *b = backend_http.create(&config, &err);
    struct model m;
    assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_ERROR);
    print_message("%s\n", err);
    assert_non_null(strstr(err, "header"));
    assert_null(strstr(err, "Out of memory"));
    free(err);
    backend_http.destroy(b);
    canned_stop(c);
}

/* A snapshot's integers are integers, and its strings printable: one that breaks either is
 * refused whole, with the reason, like any other broken rule. */
static void test_snapshot_numbers_and_strings_follow_the_rules(void **state)
{
    (void)state;
    const char *bodies[] = {
        "{\"version\": 908.7, \"server_time\": 1795000000, \"calls\": [], \"waiting\": [], "
        "\"rooms\": []}",
        "{\"version\": 9, \"server_time\": 1795000000, \"calls\": [], \"waiting\": [], "
        "\"rooms\": [{\"id\": \"r1\", \"name_zh\": \"1 号\\u0007诊室\", \"name_en\": \"Room 1\", "
        "\"open\": true, \"serving\": \"\"}]}",
        "{\"version\": 9, \"server_time\": 1795000000, \"calls\": [], \"waiting\": [], "
        "\"rooms\": [{\"id\": \"r1\", \"name_zh\": \"1 号诊室\", \"name_en\": \"Room 1\", "
        "\"open\": true, \"serving\": \"A1\\u0000ZZ\"}]}",
    };
    const char *reasons[] = {"\"version\" is not an integer", "\"name_zh\"", "NUL"};
    for (int i = 0; i < 3; i++) {
        char *answers[] = {ok(9, bodies[i])};
        struct canned *c = canned_start(1, answers);
        char *err = NULL;
        struct backend *b = backend_http.create(&config, &err);
        struct model m;
        assert_int_equal(backend_http.poll(b, &m, &err), BACKEND_ERROR);
        print_message("%s\n", err);
        assert_non_null(strstr(err, reasons[i]));
        free(err);
        backend_http.destroy(b);
        canned_stop(c);
    }
}

/* A ticket answer goes by the snapshot's rules: a position or wait out of the snapshot's range,
 * or not an integer, is not shown (the ticket was issued and is printed); a NUL or a control
 * character in its strings refuses the answer. */
static void test_ticket_answers_follow_the_snapshot_rules(void **state)
{
    (void)state;
    struct api_ticket t;
    const char *huge = "{\"ticket\": \"A045\", \"position\": 1e308, \"eta_min\": 1e308}";
    assert_true(api_read_ticket(huge, strlen(huge), &t));
    assert_int_equal(t.position, -1);
    assert_int_equal(t.eta_min, -1);
    const char *decimal = "{\"ticket\": \"A045\", \"position\": 7.5, \"eta_min\": 100001}";
    assert_true(api_read_ticket(decimal, strlen(decimal), &t));
    assert_int_equal(t.position, -1);
    assert_int_equal(t.eta_min, -1);
    const char *fine = "{\"ticket\": \"A045\", \"position\": 7, \"eta_min\": 25}";
    assert_true(api_read_ticket(fine, strlen(fine), &t));
    assert_int_equal(t.position, 7);
    assert_int_equal(t.eta_min, 25);
    const char *nul = "{\"ticket\": \"A1\\u0000ZZ\"}";
    assert_false(api_read_ticket(nul, strlen(nul), &t));
    const char *control = "{\"ticket\": \"A045\", \"service\": \"内\\u0001科\"}";
    assert_false(api_read_ticket(control, strlen(control), &t));
    const char *backslash = "{\"ticket\": \"A045\", \"service\": \"a\\\\u0000b\"}";
    assert_true(api_read_ticket(backslash, strlen(backslash), &t)); /* a backslash, then text */
    assert_string_equal(t.service, "a\\u0000b");
}

/* An answer without a body is logged as what it is, never "(null)". */
static void test_an_answer_without_body_is_described(void **state)
{
    (void)state;
    char *answers[] = {xstrdup("HTTP/1.1 304 Not Modified\r\nContent-Length: 0\r\n\r\n"),
                       xstrdup("HTTP/1.1 201 Created\r\nContent-Length: 0\r\n\r\n")};
    struct canned *c = canned_start(2, answers);
    char *err = NULL, key[API_KEY_LEN], message[256];
    struct api *api = api_create(&config, &err);
    api_new_key(key);
    struct api_ticket t;
    assert_int_equal(api_post(api, "ratings", "{\"score\": 5}", key, message, sizeof(message)),
                     API_REFUSED);
    print_message("%s\n", message);
    assert_null(strstr(message, "(null)"));
    assert_non_null(strstr(message, "HTTP 304"));
    assert_int_equal(api_take_ticket(api, "内科", key, 2000, &t, message, sizeof(message)),
                     API_UNAVAILABLE);
    print_message("%s\n", message);
    assert_null(strstr(message, "(null)"));
    api_destroy(api);
    canned_stop(c);
}

static void *interrupt_api_soon(void *arg)
{
    usleep(200 * 1000);
    api_interrupt(arg);
    return NULL;
}

/* A POST the backend never answers ends when the kiosk stops, as a long-poll does. */
static void test_a_hung_post_can_be_interrupted(void **state)
{
    (void)state;
    char *answers[] = {NULL};
    struct canned *c = canned_start(1, answers);
    config.backend.timeout_ms = 120000;
    char *err = NULL, key[API_KEY_LEN], message[256];
    struct api *api = api_create(&config, &err);
    api_new_key(key);
    pthread_t t;
    pthread_create(&t, NULL, interrupt_api_soon, api);
    uint64_t start = clock_mono_ms();
    assert_int_equal(api_post(api, "devices/d1/heartbeat", "{}", key, message, sizeof(message)),
                     API_UNAVAILABLE);
    assert_string_equal(message, "interrupted");
    assert_true(clock_mono_ms() - start < 10000);
    pthread_join(t, NULL);
    api_destroy(api);
    canned_stop(c);
}

/* The time a ticket request may take bounds the exchange, below [backend] timeout_ms. */
static void test_a_ticket_request_keeps_its_time(void **state)
{
    (void)state;
    char *answers[] = {NULL};
    struct canned *c = canned_start(1, answers);
    config.backend.timeout_ms = 30000;
    char *err = NULL, key[API_KEY_LEN], message[256];
    struct api *api = api_create(&config, &err);
    api_new_key(key);
    struct api_ticket t;
    uint64_t start = clock_mono_ms();
    assert_int_equal(api_take_ticket(api, "内科", key, 700, &t, message, sizeof(message)),
                     API_UNAVAILABLE);
    uint64_t took = clock_mono_ms() - start;
    print_message("%s after %llu ms\n", message, (unsigned long long)took);
    assert_true(took >= 600 && took < 5000);
    api_destroy(api);
    canned_stop(c);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_refused_connections_back_off_to_thirty_seconds, setup),
        cmocka_unit_test_setup(test_missing_token_file_is_a_start_error, setup),
        cmocka_unit_test_setup(test_a_hung_request_can_be_interrupted, setup),
        cmocka_unit_test_setup(test_an_older_snapshot_is_ignored, setup),
        cmocka_unit_test_setup(test_a_restarted_backend_is_followed, setup),
        cmocka_unit_test_setup(test_a_304_before_any_snapshot_is_an_error, setup),
        cmocka_unit_test_setup(test_an_oversized_header_is_named, setup),
        cmocka_unit_test_setup(test_snapshot_numbers_and_strings_follow_the_rules, setup),
        cmocka_unit_test_setup(test_ticket_answers_follow_the_snapshot_rules, setup),
        cmocka_unit_test_setup(test_an_answer_without_body_is_described, setup),
        cmocka_unit_test_setup(test_a_hung_post_can_be_interrupted, setup),
        cmocka_unit_test_setup(test_a_ticket_request_keeps_its_time, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
