/* test_net_faults.c: the real kiosk binary, headless, against the network failures a hospital
 * LAN has: a host name DNS does not know, a refused connection, a TLS certificate for another
 * host or from another CA (a local TLS front, tests/system/tls_sim.py, with certificates made by
 * openssl at test time), a server closing mid-answer, and the wall clock moved by hours as NTP
 * does to a Pi that booted without a network (libfaketime). Each time the status file says
 * offline with a reason that names the failure, and the kiosk recovers by itself once the
 * network does. (tests/system/test_backend_sim.c plays the server-side faults.) */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <glob.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "harness.h"

/* libfaketime must match the kiosk's architecture (make test-arm64 runs it under qemu). */
#if defined(__aarch64__)
#define MULTIARCH "aarch64-linux-gnu"
#else
#define MULTIARCH "x86_64-linux-gnu"
#endif

static const char *kiosk_bin;
static char dir[64], status_path[128], log_path[128];
static int sim_port, tls_port;
static pid_t sim_pid, tls_pid, kiosk_pid;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

static void sh(const char *fmt, ...)
{
    char cmd[2048];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(cmd, sizeof(cmd), fmt, ap);
    va_end(ap);
    if (system(cmd) != 0)
        fail_msg("failed: %s", cmd);
}

/* Two CAs and three server certificates, each PEM with its key (one file, so one rename
 * swaps both): good (127.0.0.1 by our CA), wrong-host (wrong.example by our CA), other-ca
 * (127.0.0.1 by a CA the kiosk does not trust). */
static void make_certificates(void)
{
    const char *key = "-newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes";
    sh("cd %s && mkdir -p certs && for ca in ca other-ca; do openssl req -x509 %s -keyout $ca.key "
       "-out $ca.pem -days 2 -subj /CN=$ca 2>/dev/null || exit 1; done",
       dir, key);
    const char *certs[][3] = {{"good", "ca", "IP:127.0.0.1"},
                              {"wrong-host", "ca", "DNS:wrong.example"},
                              {"other-ca", "other-ca", "IP:127.0.0.1"}};
    for (int i = 0; i < 3; i++)
        sh("cd %s && openssl req %s -keyout s.key -out s.csr -subj /CN=kiosk-test 2>/dev/null && "
           "printf 'subjectAltName=%s\\n' > s.ext && openssl x509 -req -in s.csr -CA %s.pem "
           "-CAkey %s.key -CAcreateserial -days 2 -extfile s.ext -out s.pem 2>/dev/null && "
           "cat s.pem s.key > %s.pem && rm s.key s.csr s.ext s.pem",
           dir, key, certs[i][2], certs[i][1], certs[i][1], certs[i][0]);
}

/* The TLS front presents name.pem from now on (a rename: never half a file). */
static void serve_certificate(const char *name)
{
    sh("cd %s && cp %s.pem certs/next.pem && mv certs/next.pem certs/server.pem", dir, name);
}

static int group_setup(void **state)
{
    (void)state;
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    snprintf(dir, sizeof(dir), "/tmp/kiosk-net-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    path_in(status_path, sizeof(status_path), "status.json");
    path_in(log_path, sizeof(log_path), "kiosk.log");
    return 0;
}

static int group_teardown(void **state)
{
    (void)state;
    stop_process(&kiosk_pid);
    stop_process(&tls_pid);
    stop_process(&sim_pid);
    return remove_tree(dir);
}

static void start_sim(int port)
{
    char port_arg[16], port_file[128], log[128];
    snprintf(port_arg, sizeof(port_arg), "%d", port);
    path_in(port_file, sizeof(port_file), "sim.port");
    path_in(log, sizeof(log), "sim.log");
    unlink(port_file);
    const char *argv[] = {"python3",     "scripts/backend-sim",
                          "--port",      port_arg,
                          "--port-file", port_file,
                          "--seed",      "7",
                          "--quiet",     NULL};
    sim_pid = spawn(argv, log);
    sim_port = wait_port_file(port_file);
}

static void start_tls_front(void)
{
    char certs[128], upstream[16], port_file[128], log[128];
    path_in(certs, sizeof(certs), "certs");
    snprintf(upstream, sizeof(upstream), "%d", sim_port);
    path_in(port_file, sizeof(port_file), "tls.port");
    path_in(log, sizeof(log), "tls.log");
    unlink(port_file);
    const char *argv[] = {"python3",     "tests/system/tls_sim.py",
                          "--cert-dir",  certs,
                          "--upstream",  upstream,
                          "--port-file", port_file,
                          NULL};
    tls_pid = spawn(argv, log);
    tls_port = wait_port_file(port_file);
}

/* The kiosk on url, its store and status file in dir; env: NULL-terminated NAME=value
 * settings put in front of it through env(1), or NULL. */
static void start_kiosk_env(const char *url, const char *const *env, const char *const *extra)
{
    char set_url[256], db[160], ca[160];
    snprintf(set_url, sizeof(set_url), "backend.url=%s", url);
    snprintf(db, sizeof(db), "storage.path=%s/k.db", dir);
    snprintf(ca, sizeof(ca), "backend.ca_file=%s/ca.pem", dir);
    const char *argv[64];
    int n = 0;
    argv[n++] = "env";
    for (; env && *env; env++)
        argv[n++] = *env;
    const char *args[] = {kiosk_bin,       "--headless",
                          "--config",      "assets/demo.ini",
                          "--set",         "backend.type=http",
                          "--set",         set_url,
                          "--set",         ca,
                          "--set",         "backend.poll_interval_ms=300",
                          "--set",         "backend.timeout_ms=2000",
                          "--set",         db,
                          "--status-file", status_path};
    for (size_t i = 0; i < sizeof(args) / sizeof(args[0]); i++)
        argv[n++] = args[i];
    for (; extra && *extra; extra++)
        argv[n++] = *extra;
    argv[n] = NULL;
    stop_process(&kiosk_pid); /* one left by a failed test */
    unlink(status_path);
    kiosk_pid = spawn(argv, log_path);
}

static void start_kiosk(const char *url)
{
    start_kiosk_env(url, NULL, NULL);
}

static void assert_kiosk_alive(void)
{
    if (!process_alive(kiosk_pid))
        fail_msg("the kiosk died (see %s)", log_path);
}

static void set_mode(const char *mode)
{
    char body[96];
    snprintf(body, sizeof(body), "{\"mode\": \"%s\"}", mode);
    cJSON_Delete(http_json(sim_port, "/admin/mode", body));
}

/* Makes a call on the reference server and waits for the kiosk to show its version. */
static void call_reaches_the_screen(void)
{
    cJSON *call = http_json(sim_port, "/admin/call", "{}");
    double version = cJSON_GetObjectItem(call, "version")->valuedouble;
    cJSON_Delete(call);
    struct status s = {0};
    for (int i = 0; i < 150; i++, sleep_ms(100))
        if (status_read(status_path, &s) && s.version >= version)
            return;
    fail_msg("version %.0f never reached the status file (last %.0f, %s/\"%s\")", version,
             s.version, s.state, s.error);
}

static int free_port(void)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(INADDR_LOOPBACK)};
    socklen_t len = sizeof(a);
    assert_int_equal(bind(fd, (struct sockaddr *)&a, sizeof(a)), 0);
    getsockname(fd, (struct sockaddr *)&a, &len);
    close(fd);
    return ntohs(a.sin_port);
}

static void test_unknown_host_name(void **state)
{
    (void)state;
    start_kiosk("http://nonexistent.invalid:8080");
    struct status s = status_wait(status_path, "offline", "DNS: host name not found");
    print_message("offline: %s\n", s.error);
    assert_non_null(strstr(s.error, "nonexistent.invalid"));
    assert_kiosk_alive();
    stop_process(&kiosk_pid);
}

/* Nothing listens at first; the reference server then starts on that very port. */
static void test_connection_refused_then_the_server_starts(void **state)
{
    (void)state;
    int port = free_port();
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", port);
    start_kiosk(url);
    print_message("offline: %s\n", status_wait(status_path, "offline", "connection refused").error);
    assert_kiosk_alive();
    start_sim(port);
    status_wait(status_path, "online", "");
    call_reaches_the_screen();
    stop_process(&kiosk_pid);
}

/* Through the TLS front: the good certificate works; one for another host, or from a CA the
 * kiosk was not told to trust, is refused with the reason, and the kiosk comes back when the
 * server presents the right one again. */
static void test_tls_certificates_are_checked(void **state)
{
    (void)state;
    make_certificates();
    serve_certificate("good");
    start_tls_front();
    char url[64];
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", tls_port);
    start_kiosk(url);
    status_wait(status_path, "online", "");
    call_reaches_the_screen();

    serve_certificate("wrong-host");
    stop_process(&tls_pid); /* ends the kiosk's kept-alive connection: the next one handshakes */
    start_tls_front();
    stop_process(&kiosk_pid);
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", tls_port);
    start_kiosk(url);
    struct status s =
        status_wait(status_path, "offline", "TLS: the server's certificate was rejected");
    print_message("offline: %s\n", s.error);
    if (!strstr(s.error, "subject name") && !strstr(s.error, "host name"))
        fail_msg("the reason does not say the name is wrong: %s", s.error);
    assert_true(s.has_model); /* the last good queue stays */
    serve_certificate("good");
    status_wait(status_path, "online", "");

    serve_certificate("other-ca");
    stop_process(&tls_pid);
    start_tls_front();
    stop_process(&kiosk_pid);
    snprintf(url, sizeof(url), "https://127.0.0.1:%d", tls_port);
    start_kiosk(url);
    s = status_wait(status_path, "offline", "TLS: the server's certificate was rejected");
    print_message("offline: %s\n", s.error);
    assert_non_null(strstr(s.error, "issuer"));
    serve_certificate("good");
    status_wait(status_path, "online", "");

    /* Over TLS too, an answer cut short is an error, never a snapshot. */
    set_mode("close_mid_body");
    s = status_wait(status_path, "offline", "closed the connection mid-answer");
    print_message("offline: %s\n", s.error);
    set_mode("normal");
    status_wait(status_path, "online", "");
    call_reaches_the_screen();
    stop_process(&kiosk_pid);
}

static void test_server_closing_mid_body(void **state)
{
    (void)state;
    if (!sim_pid)
        start_sim(0);
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port);
    start_kiosk(url);
    status_wait(status_path, "online", "");
    set_mode("close_mid_body");
    struct status s = status_wait(status_path, "offline", "closed the connection mid-answer");
    print_message("offline: %s\n", s.error);
    assert_true(s.has_model);
    set_mode("down");
    s = status_wait(status_path, "offline", "closed the connection without answering");
    print_message("offline: %s\n", s.error);
    set_mode("normal");
    status_wait(status_path, "online", "");
    stop_process(&kiosk_pid);
}

/* How often the kiosk's log says the screen's codes were renewed. */
static int renewals(void)
{
    const char *text = read_text(log_path);
    int n = 0;
    for (const char *p = text; p && (p = strstr(p, "codes renewed")); p++)
        n++;
    return n;
}

static void wait_renewals(int n)
{
    for (int i = 0; i < 100 && renewals() < n; i++)
        sleep_ms(100);
    assert_int_equal(renewals(), n);
}

/* NTP corrects the wall clock by hours, both ways, while the kiosk runs (libfaketime; the
 * monotonic clock is left alone, as NTP leaves it). Polls go on at their pace, retries after
 * an outage come at their back-off (not hours later), the heartbeat's uptime does not jump,
 * and the screen's codes are renewed for the new time: a code issued "in the future" or
 * past half its life is replaced. */
static void test_wall_clock_jumps(void **state)
{
    (void)state;
    glob_t g;
    if (glob("/usr/lib/" MULTIARCH "/faketime/libfaketimeMT.so.1", 0, NULL, &g) != 0) {
#if defined(__x86_64__)
        fail_msg("libfaketime is not installed (scripts/deps.sh test)");
#else
        skip(); /* make test-arm64 under qemu: no arm64 libfaketime is installed */
#endif
    }
    char preload[256], stamp_file[128], stamp_env[160], asan[512];
    snprintf(preload, sizeof(preload), "LD_PRELOAD=%s", g.gl_pathv[0]);
    globfree(&g);
    path_in(stamp_file, sizeof(stamp_file), "faketime");
    snprintf(stamp_env, sizeof(stamp_env), "FAKETIME_TIMESTAMP_FILE=%s", stamp_file);
    /* ASan wants to be the first library; libfaketime in front of it is harmless here. */
    snprintf(asan, sizeof(asan), "ASAN_OPTIONS=%s:verify_asan_link_order=0",
             getenv("ASAN_OPTIONS") ? getenv("ASAN_OPTIONS") : "");
    write_text(stamp_file, "+0\n");
    const char *env[] = {
        preload, stamp_env, "FAKETIME_NO_CACHE=1", "FAKETIME_DONT_FAKE_MONOTONIC=1", asan, NULL};
    char prom[128], set_prom[160];
    path_in(prom, sizeof(prom), "kiosk.prom");
    snprintf(set_prom, sizeof(set_prom), "health.prom_file=%s", prom);
    const char *extra[] = {"--set", "qr.survey_ttl_hours=2", "--set", "qr.results_ttl_hours=2",
                           "--set", "health.heartbeat_s=5",  "--set", set_prom,
                           NULL};
    if (!sim_pid)
        start_sim(0);
    set_mode("normal");
    char url[64];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d", sim_port);
    unlink(log_path);
    start_kiosk_env(url, env, extra);
    status_wait(status_path, "online", "");
    call_reaches_the_screen();
    assert_int_equal(renewals(), 0);

    write_text(stamp_file, "+13h\n"); /* forward, past the codes' half life */
    call_reaches_the_screen();
    wait_renewals(1);
    struct status s;
    assert_true(status_read(status_path, &s));
    assert_string_equal(s.state, "online");
    /* The next heartbeat's uptime is still seconds, not 13 hours. */
    unlink(prom);
    const char *text = NULL;
    for (int i = 0; i < 100 && !(text = read_text(prom)); i++)
        sleep_ms(100);
    const char *uptime = text ? strstr(text, "\nkiosk_uptime_seconds ") : NULL;
    if (!uptime)
        fail_msg("no heartbeat with an uptime in %s", prom);
    assert_true(atof(uptime + strlen("\nkiosk_uptime_seconds ")) < 600);

    set_mode("down");
    status_wait(status_path, "offline", "");
    write_text(stamp_file, "-2h\n"); /* back by 15 hours during the outage */
    wait_renewals(2);                /* the codes were issued 15 h "from now" */
    set_mode("normal");
    /* At the back-off reached during the outage (up to 30 s, not hours): an outage made long by
     * a loaded machine must not fail the test. */
    status_wait_for(status_path, "online", "", 45);
    call_reaches_the_screen();
    sleep_ms(1000);
    assert_int_equal(renewals(), 2); /* and then left alone */
    assert_kiosk_alive();
    stop_process(&kiosk_pid);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_unknown_host_name),
        cmocka_unit_test(test_connection_refused_then_the_server_starts),
        cmocka_unit_test(test_tls_certificates_are_checked),
        cmocka_unit_test(test_server_closing_mid_body),
        cmocka_unit_test(test_wall_clock_jumps),
    };
    return cmocka_run_group_tests(tests, group_setup, group_teardown);
}
