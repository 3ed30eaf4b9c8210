/* test_core_link.c: the core (make core: base, config, model, feed, backend, net, store, qr)
 * linked alone, without SDL, as kiosk-hub links it; the Makefile links every core object into
 * this test, so a core file that calls into SDL fails to link. It then does the hub's work
 * once: a config read, the demo clinic fed through the feed thread into a real SQLite file,
 * and a signed survey link verified and drawn as a QR matrix. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "backend/backend.h"
#include "config/config.h"
#include "feed/feed.h"
#include "qr/link.h"
#include "qr/qr.h"
#include "store/store.h"

static char dir[64];

static void write_file(const char *name, const void *data, size_t len, mode_t mode)
{
    char path[128];
    snprintf(path, sizeof(path), "%s/%s", dir, name);
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
    assert_int_equal(chmod(path, mode), 0);
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-core-XXXXXX");
    if (!mkdtemp(dir))
        return -1;
    static const char ini[] = "[device]\nid = hub-test\n"
                              "[backend]\ntype = demo\nseed = 7\nspeed = 100\n"
                              "[storage]\npath = queue.db\n"
                              "[qr]\nkey_file = site.key\n"
                              "survey_url = https://survey.hospital.example/r/{token}\n";
    write_file("kiosk.ini", ini, sizeof(ini) - 1, 0644);
    unsigned char key[32];
    for (size_t i = 0; i < sizeof(key); i++)
        key[i] = (unsigned char)(i * 37 + 11);
    write_file("site.key", key, sizeof(key), 0600);
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    const char *names[] = {"kiosk.ini", "site.key", "queue.db", "queue.db-wal", "queue.db-shm"};
    char path[128];
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
        snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
        unlink(path);
    }
    return rmdir(dir);
}

static void read_config(struct config *config)
{
    char path[128], *err = NULL;
    snprintf(path, sizeof(path), "%s/kiosk.ini", dir);
    bool ok = config_read(config, path, &err);
    if (!ok)
        fail_msg("%s", err);
    assert_int_equal(config->backend.type, BACKEND_DEMO);
}

static void test_feed_into_the_store(void **state)
{
    (void)state;
    static struct config config;
    read_config(&config);
    char *err = NULL;
    struct store *store = store_open(config.storage.path, &err);
    assert_non_null(store);
    const struct backend_ops *ops = backend_for(config.backend.type);
    struct backend *backend = ops->create(&config, &err);
    assert_non_null(backend);
    struct feed *feed = feed_start(&config, ops, backend, store, &err);
    assert_non_null(feed);

    static struct feed_update update;
    bool got = false;
    for (int i = 0; i < 500 && !got; i++) {
        struct pollfd p = {feed_fd(feed), POLLIN, 0};
        poll(&p, 1, 10);
        got = feed_take(feed, &update) && update.has_model;
    }
    feed_stop(feed);
    ops->destroy(backend); /* the feed borrows it */
    assert_true(got);
    assert_int_equal(update.state, CONN_ONLINE);
    assert_true(update.model.ncalls > 0);

    /* What the feed saved, read back from the file by a connection of our own. */
    struct store *reader = store_open(config.storage.path, &err);
    assert_non_null(reader);
    static struct model saved;
    int64_t saved_at = 0;
    assert_true(store_load_snapshot(reader, &saved, &saved_at, &err));
    assert_true(saved.ncalls > 0);
    assert_string_equal(saved.calls[0].ticket, update.model.calls[0].ticket);
    store_close(reader);
    store_close(store);
}

static void test_signed_link_and_its_code(void **state)
{
    (void)state;
    static struct config config;
    read_config(&config);
    struct token_key key;
    char *err = NULL;
    assert_true(token_key_load(config.qr.key_file, &key, &err));
    struct link link;
    int64_t now = time(NULL);
    assert_true(link_issue(&config, &key, TOKEN_SURVEY, "A023", "3", now, &link, &err));
    assert_non_null(strstr(link.url, "https://survey.hospital.example/r/"));

    struct token t;
    assert_int_equal(token_verify(&key, link.url, now, &t), TOKEN_VALID);
    assert_string_equal(t.device, "hub-test");
    assert_string_equal(t.ticket, "A023");
    link.url[strlen(link.url) - 1] ^= 1; /* one character changed: the signature no longer holds */
    assert_int_not_equal(token_verify(&key, link.url, now, &t), TOKEN_VALID);

    link.url[strlen(link.url) - 1] ^= 1;
    struct qr *qr = link_qr(&link, &err);
    assert_non_null(qr);
    assert_true(qr->width >= 21 && qr->width <= 21 + 4 * (LINK_QR_VERSION_MAX - 1));
    qr_destroy(qr);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_feed_into_the_store, setup, teardown),
        cmocka_unit_test_setup_teardown(test_signed_link_and_its_code, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
