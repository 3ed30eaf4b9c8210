/* test_http_backend.c: the kiosk API v1 backend's behaviour without a server: refused
 * connections back off exponentially with jitter up to 30 s, a hung server can be interrupted,
 * and a missing token file stops it at start. (tests/system/test_backend_sim.c drives it against
 * the reference server.) */
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

#include "backend/backend.h"

static struct config config;

static int setup(void **state)
{
    (void)state;
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

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup(test_refused_connections_back_off_to_thirty_seconds, setup),
        cmocka_unit_test_setup(test_missing_token_file_is_a_start_error, setup),
        cmocka_unit_test_setup(test_a_hung_request_can_be_interrupted, setup),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
