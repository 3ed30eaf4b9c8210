/* hub_selftest.c: each row does the real thing once: loads the key, opens the store, reads
 * the devices file, asks the upstream, binds the address (or finds a kiosk-hub answering
 * there already). */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/mem.h"
#include "config/listen.h"
#include "hub/devices.h"
#include "hub/hub_selftest.h"
#include "net/http.h"
#include "ops/checks.h"
#include "qr/token.h"

static void check_key(const struct config *config, struct check *c)
{
    struct token_key key;
    char *err = NULL;
    if (!config->qr.key_file[0])
        check_set(c, CHECK_FAIL, "[qr] key_file is not set: the kiosks' site key is needed");
    else if (token_key_load(config->qr.key_file, &key, &err))
        check_set(c, CHECK_PASS, "%s: %zu bytes, readable by kiosk-hub only", config->qr.key_file,
                  key.len);
    else
        check_set(c, CHECK_FAIL, "%s", err);
    memset(&key, 0, sizeof key);
    free(err);
}

static void check_devices(const struct config *config, struct check *c)
{
    char *err = NULL;
    struct devices *d =
        config->hub.devices_file[0] ? devices_open(config->hub.devices_file, &err) : NULL;
    if (!config->hub.devices_file[0])
        check_set(c, CHECK_SKIP, "no devices_file: no kiosk or call screen can use this hub");
    else if (!d)
        check_set(c, CHECK_FAIL, "%s", err);
    else
        check_set(c, CHECK_PASS, "%s: %d devices", config->hub.devices_file, devices_count(d));
    devices_close(d);
    free(err);
}

/* Something already listening: a kiosk-hub if it serves the pages' stylesheet. */
static bool hub_answers(const struct config *config, int port)
{
    char url[128];
    const char *host = config->hub.listen;
    int len = (int)(strrchr(host, ':') - host);
    bool any =
        strncmp(host, "0.0.0.0", (size_t)len) == 0 || strncmp(host, "[::]", (size_t)len) == 0;
    snprintf(url, sizeof url, "%s://%.*s:%d/s/hub.css", config->hub.tls_cert[0] ? "https" : "http",
             any ? 9 : len, any ? "127.0.0.1" : host, port);
    struct http_client *client = http_client_create(NULL);
    struct http_request request = {
        .method = "GET", .url = url, .timeout_ms = 2000, .max_bytes = 65536};
    struct http_response response = {0};
    char *err = NULL;
    bool ok = http_perform(client, &request, &response, &err) && response.status == 200;
    http_response_free(&response);
    http_client_destroy(client);
    free(err);
    return ok;
}

static void check_listen(const struct config *config, struct check *c)
{
    struct listen_address a;
    char *err = NULL;
    if (!listen_parse(config->hub.listen, &a, &err)) {
        check_set(c, CHECK_FAIL, "%s", err);
        free(err);
        return;
    }
    int fd = socket(a.addr.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    int failed = fd < 0 || bind(fd, (struct sockaddr *)&a.addr, a.len) != 0 ? errno : 0;
    if (fd >= 0)
        close(fd);
    if (!failed)
        check_set(c, CHECK_PASS, "%s: free to listen on", config->hub.listen);
    else if (failed == EADDRINUSE && hub_answers(config, a.port))
        check_set(c, CHECK_PASS, "%s: a kiosk-hub is answering there", config->hub.listen);
    else
        check_set(c, CHECK_FAIL, "%s: %s", config->hub.listen, strerror(failed));
}

int hub_selftest(const char *path, const char *const *overrides, int noverrides, FILE *out)
{
    static const char *const names[] = {"config",  "key",      "storage",
                                        "devices", "upstream", "listen"};
    struct selftest *t = xcalloc(1, sizeof *t);
    struct config *config = xcalloc(1, sizeof *config);
    char *err = NULL;
    t->count = (int)(sizeof names / sizeof names[0]);
    for (int i = 0; i < t->count; i++)
        t->checks[i].name = names[i];
    if (!config_read_for(config, CONFIG_HUB, path, overrides, noverrides, &err)) {
        check_set(&t->checks[0], CHECK_FAIL, "%s", err);
        for (int i = 1; i < t->count; i++)
            check_set(&t->checks[i], CHECK_SKIP, "the configuration does not load");
    } else {
        check_set(&t->checks[0], CHECK_PASS, "%s", config->path);
        check_key(config, &t->checks[1]);
        check_storage(config, &t->checks[2]);
        check_devices(config, &t->checks[3]);
        check_backend(config, &t->checks[4]);
        check_listen(config, &t->checks[5]);
    }
    fprintf(out, "kiosk-hub self-test\n");
    selftest_print(t, out);
    int code = selftest_passed(t) ? 0 : 1;
    free(err);
    free(config);
    free(t);
    return code;
}
