/* server.c: libmicrohttpd parses HTTP; this file only sizes it, reads bodies and routes. Long
 * polls and live pages are suspended connections (board.c), so a small thread pool serves
 * thousands of them. */
#include <arpa/inet.h>
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backend/secret.h"
#include "base/mem.h"
#include "config/listen.h"
#include "hub/device_api.h"
#include "hub/fleet.h"
#include "hub/forward.h"
#include "hub/hub.h"
#include "hub/phone.h"
#include "hub/request.h"
#include "hub/respond.h"
#include "hub/server.h"
#include "hub/staff.h"

#define LOG_MODULE "server"
#include "base/log.h"

#define HEADER_MEMORY  (32 * 1024) /* request line and headers: more is refused (431/414) */
#define IDLE_TIMEOUT_S 90          /* beyond the longest long-poll (60 s) */
#define TLS_FILE_MAX   262144      /* 256 KiB */

struct server {
    struct MHD_Daemon *daemon;
    char *cert, *key; /* PEM, kept for the daemon's life */
    int port;
};

const char *request_header(const struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_HEADER_KIND, name);
}

const char *request_arg(const struct request *r, const char *name)
{
    return MHD_lookup_connection_value(r->connection, MHD_GET_ARGUMENT_KIND, name);
}

/* The network address a request came from: the proxy's X-Forwarded-For when the hub sits
 * behind one on the same machine. */
void request_address(const struct request *r, char *out, size_t size)
{
    const union MHD_ConnectionInfo *info =
        MHD_get_connection_info(r->connection, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    const struct sockaddr *sa = info ? info->client_addr : NULL;
    out[0] = '\0';
    if (sa && sa->sa_family == AF_INET)
        inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, out, (socklen_t)size);
    else if (sa && sa->sa_family == AF_INET6)
        inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, out, (socklen_t)size);
    const char *forwarded = request_header(r, "X-Forwarded-For");
    if (!forwarded || (strcmp(out, "127.0.0.1") != 0 && strcmp(out, "::1") != 0))
        return;
    const char *last = strrchr(forwarded, ',');
    last = last ? last + 1 : forwarded;
    last += strspn(last, " ");
    char candidate[64];
    unsigned char bytes[16];
    snprintf(candidate, sizeof candidate, "%.*s", (int)strcspn(last, " "), last);
    if (inet_pton(AF_INET, candidate, bytes) == 1 || inet_pton(AF_INET6, candidate, bytes) == 1)
        snprintf(out, size, "%s", candidate);
}

static void append(struct request *r, const char *data, size_t size)
{
    if (r->too_large || r->len + size > REQUEST_BODY_MAX) {
        r->too_large = true;
        return;
    }
    r->body = xrealloc(r->body, r->len + size + 1);
    memcpy(r->body + r->len, data, size);
    r->len += size;
    r->body[r->len] = '\0';
}

/* For monitoring: whether the hub has its upstream, and how many requests it holds. */
static enum MHD_Result health(struct request *r)
{
    struct board_status status;
    board_read(r->hub->board, NULL, &status);
    cJSON *o = cJSON_CreateObject();
    cJSON_AddStringToObject(o, "upstream", conn_state_name(status.state));
    cJSON_AddNumberToObject(o, "since", (double)status.state_since);
    cJSON_AddNumberToObject(o, "version", (double)status.version);
    cJSON_AddBoolToObject(o, "has_snapshot", status.has_model);
    cJSON_AddNumberToObject(o, "parked", board_parked(r->hub->board));
    char *json = cJSON_PrintUnformatted(o);
    cJSON_Delete(o);
    struct MHD_Response *response = respond_make(json, RESPOND_JSON);
    free(json);
    return respond_queue(r->connection, status.state == CONN_OFFLINE ? 503 : 200, response);
}

/* Prometheus' scrape: the fleet, its queues and alerts (metrics.h). */
static enum MHD_Result metrics(struct request *r)
{
    if (!r->hub->config->alerts.metrics)
        return phone_handle(r);
    if (strcmp(r->method, MHD_HTTP_METHOD_GET) != 0 && strcmp(r->method, MHD_HTTP_METHOD_HEAD) != 0)
        return respond_error(r->connection, 405, "use GET", "GET, HEAD");
    char *text = fleet_metrics(r->hub->fleet);
    struct MHD_Response *response = respond_make(text, RESPOND_JSON);
    free(text);
    if (response) {
        MHD_del_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "application/json; charset=utf-8");
        MHD_add_response_header(response, MHD_HTTP_HEADER_CONTENT_TYPE,
                                "text/plain; version=0.0.4; charset=utf-8");
    }
    return respond_queue(r->connection, MHD_HTTP_OK, response);
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *connection, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_data_size, void **con_cls)
{
    (void)version;
    struct request *r = *con_cls;
    if (!r) {
        r = xcalloc(1, sizeof *r);
        r->hub = cls;
        r->connection = connection;
        r->method = method;
        r->url = url;
        r->waiter.connection = connection;
        *con_cls = r;
        return MHD_YES;
    }
    if (*upload_data_size) {
        append(r, upload_data, *upload_data_size);
        *upload_data_size = 0;
        return MHD_YES;
    }
    if (r->too_large)
        return strncmp(url, "/api/", 5) == 0
                   ? respond_error(connection, 413, "the request body is larger than 64 KiB", NULL)
                   : phone_too_large(r);
    if (!r->body)
        r->body = xstrdup("");
    if (strncmp(url, "/api/", 5) == 0)
        return device_api_handle(r);
    if (strcmp(url, "/healthz") == 0)
        return health(r);
    if (strcmp(url, "/metrics") == 0)
        return metrics(r);
    if (strncmp(url, "/staff", 6) == 0 && (url[6] == '/' || url[6] == '\0'))
        return staff_handle(r);
    return phone_handle(r);
}

static void on_completed(void *cls, struct MHD_Connection *connection, void **con_cls,
                         enum MHD_RequestTerminationCode code)
{
    struct hub *hub = cls;
    (void)connection;
    (void)code;
    struct request *r = *con_cls;
    if (!r)
        return;
    board_unpark(hub->board, &r->waiter);
    forward_job_free(r->job);
    free(r->body);
    free(r);
    *con_cls = NULL;
}

static void on_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof line, fmt, ap);
    line[strcspn(line, "\n")] = '\0';
    LOG_WARN("libmicrohttpd: %s", line);
}

/* A PEM file into memory; NULL with *err. */
static char *read_pem(const char *path, char **err)
{
    struct stat st;
    int fd = secret_open("", path, TLS_FILE_MAX, &st, err);
    if (fd < 0)
        return NULL;
    char *text = xcalloc(1, TLS_FILE_MAX + 1);
    ssize_t n = read(fd, text, TLS_FILE_MAX);
    close(fd);
    if (n <= 0) {
        *err = xasprintf("%s: %s", path, n ? strerror(errno) : "empty");
        free(text);
        return NULL;
    }
    return text;
}

static bool read_tls(struct server *s, const struct config *config, char **err)
{
    if (!config->hub.tls_cert[0])
        return true;
    return (s->cert = read_pem(config->hub.tls_cert, err)) &&
           (s->key = read_pem(config->hub.tls_key, err));
}

static void free_server(struct server *s)
{
    free(s->cert);
    if (s->key)
        memset(s->key, 0, strlen(s->key));
    free(s->key);
    free(s);
}

struct server *server_start(struct hub *hub, char **err)
{
    const struct config *config = hub->config;
    struct listen_address address;
    if (!listen_parse(config->hub.listen, &address, err))
        return NULL;
    struct server *s = xcalloc(1, sizeof *s);
    if (!read_tls(s, config, err)) {
        free_server(s);
        return NULL;
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_EPOLL | MHD_ALLOW_SUSPEND_RESUME |
                     MHD_USE_ERROR_LOG | (address.addr.ss_family == AF_INET6 ? MHD_USE_IPv6 : 0) |
                     (s->cert ? MHD_USE_TLS : 0);
    struct MHD_OptionItem tls[] = {
        {s->cert ? MHD_OPTION_HTTPS_MEM_CERT : MHD_OPTION_END, 0, s->cert},
        {MHD_OPTION_HTTPS_MEM_KEY, 0, s->key},
        {MHD_OPTION_END, 0, NULL},
    };
    s->daemon = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, hub, MHD_OPTION_EXTERNAL_LOGGER, on_log, NULL,
        MHD_OPTION_SOCK_ADDR, &address.addr, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)config->hub.threads, MHD_OPTION_CONNECTION_LIMIT,
        (unsigned)config->hub.max_connections, MHD_OPTION_CONNECTION_TIMEOUT,
        (unsigned)IDLE_TIMEOUT_S, MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HEADER_MEMORY,
        MHD_OPTION_NOTIFY_COMPLETED, on_completed, hub, MHD_OPTION_ARRAY, tls, MHD_OPTION_END);
    if (!s->daemon) {
        *err = xasprintf("cannot listen on %s: %s", config->hub.listen,
                         errno ? strerror(errno) : "libmicrohttpd refused the settings");
        free_server(s);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(s->daemon, MHD_DAEMON_INFO_BIND_PORT);
    s->port = info ? info->port : address.port;
    LOG_INFO("listening on %s://%s (port %d), %d threads", s->cert ? "https" : "http",
             config->hub.listen, s->port, config->hub.threads);
    return s;
}

void server_stop(struct server *s)
{
    if (!s)
        return;
    MHD_stop_daemon(s->daemon);
    free_server(s);
}

int server_port(const struct server *s)
{
    return s->port;
}
