/* transport.c: four ways to reach a printer behind one small interface. Every wait goes
 * through poll() with the configured timeout, so a printer that is off, jammed or gone costs
 * at most that long per call. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "../mem.h"
#include "escpos.h"
#include "transport.h"

#define QUEUE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

enum kind { KIND_USB, KIND_TCP, KIND_CUPS, KIND_FILE };

struct transport {
    enum kind kind;
    char device[PATH_MAX];
    int fd;
    bool two_way;
    int timeout_ms;
    struct bytes job; /* cups: the bytes for lp */
};

static const char *const prefixes[] = {
    [KIND_USB] = "usb:", [KIND_TCP] = "tcp:", [KIND_CUPS] = "cups:", [KIND_FILE] = "file:"};

/* The kind of device and where its argument starts; false when no prefix matches. */
static bool kind_of(const char *device, enum kind *kind, const char **arg)
{
    for (int k = KIND_USB; k <= KIND_FILE; k++)
        if (strncmp(device, prefixes[k], strlen(prefixes[k])) == 0) {
            *kind = (enum kind)k;
            *arg = device + strlen(prefixes[k]);
            return true;
        }
    return false;
}

/* "HOST:PORT" into host and port; false when either is missing or the port is not a number. */
static bool split_host(const char *arg, char *host, size_t size, char *port, size_t port_size)
{
    const char *colon = strrchr(arg, ':');
    if (!colon || colon == arg || (size_t)(colon - arg) >= size || !colon[1] ||
        strlen(colon + 1) >= port_size || strspn(colon + 1, "0123456789") != strlen(colon + 1) ||
        atoi(colon + 1) < 1 || atoi(colon + 1) > 65535)
        return false;
    snprintf(host, size, "%.*s", (int)(colon - arg), arg);
    snprintf(port, port_size, "%s", colon + 1);
    return true;
}

bool transport_parse(const char *device, char **err)
{
    enum kind kind;
    const char *arg;
    char host[256], port[8];
    *err = NULL;
    if (!kind_of(device, &kind, &arg))
        *err = xasprintf("\"%s\": expected usb:DEVICE, tcp:HOST:PORT, cups:QUEUE or file:PATH",
                         device);
    else if (!arg[0])
        *err = xasprintf("\"%s\": nothing after %s", device, prefixes[kind]);
    else if (kind == KIND_TCP && !split_host(arg, host, sizeof(host), port, sizeof(port)))
        *err = xasprintf("\"%s\": tcp: needs HOST:PORT, e.g. tcp:192.168.1.50:9100", device);
    else if (kind == KIND_CUPS && strspn(arg, QUEUE_CHARS) != strlen(arg))
        *err = xasprintf("\"%s\": a CUPS queue name may hold only A-Z a-z 0-9 _ . -", device);
    return *err == NULL;
}

/* Waits until fd is ready for events; false with *err on timeout or error. */
static bool wait_fd(const struct transport *t, short events, const char *doing, char **err)
{
    struct pollfd pfd = {t->fd, events, 0};
    int rc;
    do
        rc = poll(&pfd, 1, t->timeout_ms);
    while (rc < 0 && errno == EINTR);
    if (rc > 0 && !(pfd.revents & POLLNVAL))
        return true;
    *err = rc == 0 ? xasprintf("%s: %s timed out after %d ms", t->device, doing, t->timeout_ms)
                   : xasprintf("%s: %s: %s", t->device, doing, strerror(errno));
    return false;
}

static bool connect_tcp(struct transport *t, const char *arg, char **err)
{
    char host[256], port[8];
    split_host(arg, host, sizeof(host), port, sizeof(port));
    struct addrinfo hints = {.ai_family = AF_UNSPEC, .ai_socktype = SOCK_STREAM}, *ai = NULL;
    int rc = getaddrinfo(host, port, &hints, &ai);
    if (rc != 0) {
        *err = xasprintf("%s: %s", t->device, gai_strerror(rc));
        return false;
    }
    t->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    bool ok = t->fd >= 0;
    if (ok && connect(t->fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS)
        ok = false;
    freeaddrinfo(ai);
    if (!ok) {
        *err = xasprintf("%s: %s", t->device, strerror(errno));
        return false;
    }
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    if (!wait_fd(t, POLLOUT, "connecting", err))
        return false;
    if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0 || so_error != 0) {
        *err = xasprintf("%s: %s", t->device, strerror(so_error ? so_error : errno));
        return false;
    }
    return true;
}

/* usblp answers status when opened for reading too; a write-only device is still usable. */
static bool open_usb(struct transport *t, const char *path, char **err)
{
    t->fd = open(path, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    t->two_way = t->fd >= 0;
    if (t->fd < 0)
        t->fd = open(path, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (t->fd < 0)
        *err = xasprintf("%s: %s", t->device, strerror(errno));
    return t->fd >= 0;
}

static bool open_file(struct transport *t, const char *path, char **err)
{
    t->fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (t->fd < 0)
        *err = xasprintf("%s: %s", t->device, strerror(errno));
    return t->fd >= 0;
}

struct transport *transport_open(const char *device, int timeout_ms, char **err)
{
    *err = NULL;
    const char *arg;
    struct transport *t = xcalloc(1, sizeof(*t));
    snprintf(t->device, sizeof(t->device), "%s", device);
    t->timeout_ms = timeout_ms;
    t->fd = -1;
    bool ok = transport_parse(device, err) && kind_of(device, &t->kind, &arg);
    if (ok && t->kind == KIND_USB)
        ok = open_usb(t, arg, err);
    else if (ok && t->kind == KIND_TCP)
        ok = (t->two_way = connect_tcp(t, arg, err));
    else if (ok && t->kind == KIND_FILE)
        ok = open_file(t, arg, err);
    if (!ok) {
        if (t->fd >= 0)
            close(t->fd);
        free(t);
        return NULL;
    }
    return t;
}

bool transport_two_way(const struct transport *t)
{
    return t->two_way;
}

static bool write_all(struct transport *t, const unsigned char *p, size_t len, char **err)
{
    while (len > 0) {
        if (!wait_fd(t, POLLOUT, "writing", err))
            return false;
        ssize_t n = t->kind == KIND_TCP ? send(t->fd, p, len, MSG_NOSIGNAL) : write(t->fd, p, len);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            *err = xasprintf("%s: writing: %s", t->device, n < 0 ? strerror(errno) : "closed");
            return false;
        }
        p += n;
        len -= (size_t)n;
    }
    return true;
}

bool transport_write(struct transport *t, const void *data, size_t len, char **err)
{
    *err = NULL;
    if (t->kind == KIND_CUPS) {
        bytes_append(&t->job, data, len);
        return true;
    }
    return write_all(t, data, len, err);
}

bool transport_status(struct transport *t, unsigned char n, unsigned char *status, char **err)
{
    *err = NULL;
    if (!t->two_way) {
        *err = xasprintf("%s: status cannot be read from cups: and file: printers", t->device);
        return false;
    }
    unsigned char stale[64], request[] = {0x10, 0x04, n};
    while (read(t->fd, stale, sizeof(stale)) > 0) /* an old answer is not this one */
        ;
    if (!write_all(t, request, sizeof(request), err))
        return false;
    for (;;) {
        if (!wait_fd(t, POLLIN, "waiting for status", err))
            return false;
        ssize_t got = read(t->fd, status, 1);
        if (got == 1)
            return true;
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        *err = xasprintf("%s: reading status: %s", t->device, got < 0 ? strerror(errno) : "closed");
        return false;
    }
}

/* Runs lp on the job with a bounded wait; lp's first line of complaint becomes *err. */
static bool run_lp(struct transport *t, const char *queue, char **err)
{
    const char *lp = getenv("KIOSK_LP");
    if (!lp)
        lp = "lp";
    int in[2], out[2];
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0) {
        *err = xasprintf("%s: %s", t->device, strerror(errno));
        return false;
    }
    pid_t pid = fork();
    if (pid == 0) {
        dup2(in[0], 0);
        dup2(out[1], 2);
        dup2(out[1], 1);
        execlp(lp, lp, "-d", queue, "-o", "raw", (char *)NULL);
        _exit(127);
    }
    close(in[0]);
    close(out[1]);
    t->fd = in[1];
    bool sent = pid > 0 && write_all(t, t->job.data, t->job.len, err);
    close(in[1]);
    t->fd = -1;
    char message[256] = "";
    struct transport reader = {.fd = out[0], .timeout_ms = t->timeout_ms};
    snprintf(reader.device, sizeof(reader.device), "%s", t->device);
    char *ignored = NULL;
    size_t used = 0;
    ssize_t n = 1;
    while (n > 0 && used + 1 < sizeof(message) && wait_fd(&reader, POLLIN, "lp", &ignored))
        if ((n = read(out[0], message + used, sizeof(message) - 1 - used)) > 0)
            used += (size_t)n;
    free(ignored);
    close(out[0]);
    message[used] = 0;
    message[strcspn(message, "\n")] = 0;
    int status = 0;
    if (pid > 0 && waitpid(pid, &status, WNOHANG) == 0) {
        kill(pid, SIGKILL);
        waitpid(pid, &status, 0);
    }
    if (sent && !(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0))
        *err = xasprintf("%s: lp failed: %s", t->device, message[0] ? message : "no message");
    return sent && *err == NULL;
}

bool transport_close(struct transport *t, char **err)
{
    *err = NULL;
    if (!t)
        return true;
    const char *queue;
    enum kind kind;
    bool ok = true;
    if (t->kind == KIND_CUPS && kind_of(t->device, &kind, &queue))
        ok = run_lp(t, queue, err);
    if (t->fd >= 0)
        close(t->fd);
    bytes_free(&t->job);
    free(t);
    return ok;
}
