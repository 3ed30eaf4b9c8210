/* transport.c: four ways to reach a printer behind one small interface. Every wait goes
 * through poll() against a deadline, so a printer that is off, jammed or gone costs at most
 * the configured timeout per call, however many signals arrive meanwhile, and a stopping
 * kiosk cuts every wait short. */
#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <linux/sockios.h>

#include "base/clock.h"
#include "base/mem.h"
#include "base/bytes.h"
#include "printer/transport.h"

#define QUEUE_CHARS "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.-"

/* How often the bytes a network printer has not yet acknowledged are counted again: no event
 * says "all acknowledged", and a ticket takes a printer a second or two. */
#define TAKEN_POLL_MS 10

enum kind { KIND_USB, KIND_TCP, KIND_CUPS, KIND_FILE };

struct transport {
    enum kind kind;
    char *device;    /* as configured: every message starts with it */
    const char *arg; /* inside device, after the prefix */
    int fd;
    bool two_way;
    int timeout_ms;
    struct bytes job; /* cups: the bytes for lp */
    int stop_fd;      /* -1, or readable once the kiosk is stopping */
    int stop_grace_ms;
    uint64_t stop_at; /* 0 until stop_fd was seen readable; then the end of every wait */
    bool unflushed;   /* bytes written that transport_flush has not yet seen taken */
    char *flush_err;  /* why transport_flush failed; NULL while it has not */
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

static void close_fd(int fd)
{
    if (fd >= 0)
        close(fd);
}

/* The deadline of a wait that starts now. */
static uint64_t after_timeout(const struct transport *t)
{
    return clock_mono_ms() + (uint64_t)t->timeout_ms;
}

/* Polls fd for events until the deadline; a signal does not restart the clock, and once the
 * stop fd is readable the deadline comes grace_ms after at the latest. 1 when ready (errors and
 * hang-ups count: the read or write that follows names them), 0 when the time is up, -1 when
 * poll fails (errno set). */
static int wait_ready(struct transport *t, int fd, short events, uint64_t deadline)
{
    for (;;) {
        if (t->stop_at && t->stop_at < deadline)
            deadline = t->stop_at;
        bool watch_stop = t->stop_fd >= 0 && !t->stop_at;
        struct pollfd pfd[2] = {{fd, events, 0}, {t->stop_fd, POLLIN, 0}};
        uint64_t now = clock_mono_ms();
        int rc = poll(pfd, watch_stop ? 2 : 1, deadline > now ? (int)(deadline - now) : 0);
        if (rc < 0 && errno == EINTR)
            continue;
        if (rc <= 0 || pfd[0].revents)
            return rc < 0 ? -1 : pfd[0].revents ? 1 : 0;
        t->stop_at = clock_mono_ms() + (uint64_t)t->stop_grace_ms; /* the stop fd woke us */
    }
}

static bool stopping(const struct transport *t)
{
    return t->stop_at && clock_mono_ms() >= t->stop_at;
}

/* Why a wait_ready that returned rc (0 or -1, errno set) ended, for staff. */
static char *wait_failure(const struct transport *t, int rc, const char *doing)
{
    return rc < 0 ? xasprintf("%s: %s: %s", t->device, doing, strerror(errno))
           : stopping(t)
               ? xasprintf("%s: %s: the kiosk is stopping", t->device, doing)
               : xasprintf("%s: %s timed out after %d ms", t->device, doing, t->timeout_ms);
}

/* wait_ready, with *err saying what was being done when it failed (unless err is NULL). */
static bool wait_fd(struct transport *t, int fd, short events, uint64_t deadline, const char *doing,
                    char **err)
{
    int rc = wait_ready(t, fd, events, deadline);
    if (rc <= 0 && err)
        *err = wait_failure(t, rc, doing);
    return rc > 0;
}

/* How far a write_all got: the bytes it did not write, and the errno that stopped it (0 for
 * a timeout or a stop). */
struct unwritten {
    size_t left;
    int error;
};

/* Writes all of data to fd. The timeout bounds each wait for progress, not the whole job: a
 * slow printer taking a long picture is not a stuck one. */
static bool write_all(struct transport *t, int fd, const unsigned char *p, size_t len,
                      struct unwritten *u, char **err)
{
    uint64_t deadline = after_timeout(t);
    *u = (struct unwritten){len, 0};
    while (u->left > 0) {
        int rc = wait_ready(t, fd, POLLOUT, deadline);
        if (rc <= 0) {
            u->error = rc < 0 ? errno : 0;
            *err = wait_failure(t, rc, "writing");
            return false;
        }
        ssize_t n =
            t->kind == KIND_TCP ? send(fd, p, u->left, MSG_NOSIGNAL) : write(fd, p, u->left);
        if (n < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        if (n <= 0) {
            u->error = n < 0 ? errno : EPIPE;
            *err = xasprintf("%s: writing: %s", t->device, n < 0 ? strerror(errno) : "closed");
            return false;
        }
        p += n;
        u->left -= (size_t)n;
        deadline = after_timeout(t);
    }
    return true;
}

/* Bytes written to a socket that the peer's TCP stack has not acknowledged (SIOCOUTQ: not
 * sent plus sent and not acknowledged), or -1. */
static int unacked(int fd)
{
    int n = 0;
    return ioctl(fd, SIOCOUTQ, &n) == 0 ? n : -1;
}

/* Why a network printer does not have the whole job, with how much it is missing. error is
 * the errno that ended it, or 0 when the printer just took nothing more in time. */
static char *not_taken(const struct transport *t, int error, size_t left)
{
    if (stopping(t))
        return xasprintf("%s: not printed: the kiosk was stopping with %zu bytes of the job not "
                         "taken by the printer",
                         t->device, left);
    if (error)
        return xasprintf("%s: the printer broke the connection (%s) with %zu bytes of the job "
                         "not taken",
                         t->device, strerror(error), left);
    return xasprintf("%s: the printer took no more of the job for %d ms (%zu bytes not taken)",
                     t->device, t->timeout_ms, left);
}

/* Counts the printer's unacknowledged bytes down to 0, reading and dropping what it sends
 * meanwhile (a late status answer) so that a reset shows at once. The timeout runs from the
 * last progress. A FIN from the printer is not the end: only an error or 0 left is. */
static bool wait_taken(struct transport *t, char **err)
{
    uint64_t deadline = after_timeout(t);
    bool peer_done = false; /* its FIN came: nothing more to read, only errors to wait for */
    int left = unacked(t->fd), error = 0;
    while (left > 0 && !error) {
        uint64_t tick = clock_mono_ms() + TAKEN_POLL_MS;
        if (wait_ready(t, t->fd, peer_done ? 0 : POLLIN, tick < deadline ? tick : deadline) > 0) {
            unsigned char junk[256];
            ssize_t n = read(t->fd, junk, sizeof(junk));
            if (n < 0 && errno != EINTR && errno != EAGAIN)
                error = errno;
            else if (n == 0 && peer_done) /* hung up both ways, yet without a reset */
                error = ECONNRESET;
            peer_done = peer_done || n == 0;
        }
        int now_left = unacked(t->fd);
        if (now_left < 0)
            error = errno;
        else if (now_left < left)
            deadline = after_timeout(t);
        left = now_left < 0 ? left : now_left;
        if (left > 0 && (stopping(t) || clock_mono_ms() >= deadline))
            break;
    }
    if (left > 0)
        *err = not_taken(t, error, (size_t)left);
    return left <= 0;
}

/* Reads and drops whatever is already waiting on fd (without waiting for more). */
static void drain(int fd)
{
    unsigned char junk[256];
    ssize_t n;
    while ((n = read(fd, junk, sizeof(junk))) > 0 || (n < 0 && errno == EINTR))
        ;
}

/* One address: a non-blocking connect, so an unreachable printer costs timeout_ms rather than
 * the kernel's minutes of SYN retries. */
static bool connect_one(struct transport *t, const struct addrinfo *ai, char **err)
{
    close_fd(t->fd);
    t->fd = socket(ai->ai_family, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (t->fd < 0 || (connect(t->fd, ai->ai_addr, ai->ai_addrlen) != 0 && errno != EINPROGRESS &&
                      errno != EINTR)) {
        *err = xasprintf("%s: %s", t->device, strerror(errno));
        return false;
    }
    if (!wait_fd(t, t->fd, POLLOUT, after_timeout(t), "connecting", err))
        return false;
    int so_error = 0;
    socklen_t len = sizeof(so_error);
    if (getsockopt(t->fd, SOL_SOCKET, SO_ERROR, &so_error, &len) != 0)
        so_error = errno;
    if (so_error != 0)
        *err = xasprintf("%s: %s", t->device, strerror(so_error));
    return so_error == 0;
}

/* Tries each address the name has (a host may answer on IPv4 only); the last error stands. */
static bool connect_tcp(struct transport *t, char **err)
{
    char host[256], port[8];
    split_host(t->arg, host, sizeof(host), port, sizeof(port));
    struct addrinfo hints = {.ai_socktype = SOCK_STREAM, .ai_flags = AI_NUMERICSERV}, *list;
    int rc = getaddrinfo(host, port, &hints, &list);
    if (rc != 0) {
        *err = xasprintf("%s: %s", t->device, gai_strerror(rc));
        return false;
    }
    bool ok = false;
    for (const struct addrinfo *ai = list; ai && !ok; ai = ai->ai_next) {
        free(*err);
        *err = NULL;
        ok = connect_one(t, ai, err);
    }
    freeaddrinfo(list);
    return ok;
}

/* usblp answers status when opened for reading too; a write-only device is still usable. */
static bool open_usb(struct transport *t, char **err)
{
    t->fd = open(t->arg, O_RDWR | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    t->two_way = t->fd >= 0;
    if (t->fd < 0)
        t->fd = open(t->arg, O_WRONLY | O_NONBLOCK | O_CLOEXEC | O_NOCTTY);
    if (t->fd < 0)
        *err = xasprintf("%s: %s", t->device, strerror(errno));
    return t->fd >= 0;
}

static bool open_file(struct transport *t, char **err)
{
    t->fd = open(t->arg, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (t->fd < 0)
        *err = xasprintf("%s: %s", t->device, strerror(errno));
    return t->fd >= 0;
}

struct transport *transport_open(const char *device, int timeout_ms, char **err)
{
    if (!transport_parse(device, err))
        return NULL;
    struct transport *t = xcalloc(1, sizeof(*t));
    t->device = xstrdup(device);
    kind_of(t->device, &t->kind, &t->arg);
    t->timeout_ms = timeout_ms;
    t->fd = -1;
    t->stop_fd = -1;
    bool ok = true;
    if (t->kind == KIND_USB)
        ok = open_usb(t, err);
    else if (t->kind == KIND_TCP)
        ok = t->two_way = connect_tcp(t, err);
    else if (t->kind == KIND_FILE)
        ok = open_file(t, err);
    if (!ok) {
        close_fd(t->fd);
        free(t->device);
        free(t);
        return NULL;
    }
    return t;
}

void transport_stop_on(struct transport *t, int stop_fd, int grace_ms)
{
    t->stop_fd = stop_fd;
    t->stop_grace_ms = grace_ms;
}

bool transport_two_way(const struct transport *t)
{
    return t->two_way;
}

bool transport_write(struct transport *t, const void *data, size_t len, char **err)
{
    *err = NULL;
    t->unflushed = true;
    if (t->kind == KIND_CUPS) {
        bytes_append(&t->job, data, len);
        return true;
    }
    struct unwritten u;
    if (write_all(t, t->fd, data, len, &u, err))
        return true;
    if (t->kind == KIND_TCP) { /* what the printer is missing says more than the call failed */
        int queued = unacked(t->fd);
        free(*err);
        *err = not_taken(t, u.error, u.left + (size_t)(queued > 0 ? queued : 0));
    }
    t->flush_err = xstrdup(*err); /* nothing more to wait for at close */
    return false;
}

enum transport_answer transport_status(struct transport *t, unsigned char n, unsigned char *status,
                                       char **err)
{
    *err = NULL;
    if (!t->two_way) {
        *err =
            t->kind == KIND_USB
                ? xasprintf("%s: status cannot be read: the device opened write-only", t->device)
                : xasprintf("%s: status cannot be read from cups: and file: printers", t->device);
        return TRANSPORT_BROKEN;
    }
    const unsigned char request[] = {0x10, 0x04, n};
    struct unwritten u;
    drain(t->fd); /* a late answer to an earlier request is not this one's */
    if (!write_all(t, t->fd, request, sizeof(request), &u, err))
        return TRANSPORT_BROKEN;
    uint64_t deadline = after_timeout(t);
    for (;;) {
        int rc = wait_ready(t, t->fd, POLLIN, deadline);
        if (rc <= 0) {
            *err = wait_failure(t, rc, "waiting for status");
            return rc == 0 && !stopping(t) ? TRANSPORT_SILENT : TRANSPORT_BROKEN;
        }
        ssize_t got = read(t->fd, status, 1);
        if (got == 1)
            return TRANSPORT_ANSWERED;
        if (got < 0 && (errno == EINTR || errno == EAGAIN))
            continue;
        *err = xasprintf("%s: reading status: %s", t->device, got < 0 ? strerror(errno) : "closed");
        return TRANSPORT_BROKEN;
    }
}

/* Starts lp without a shell (the queue name goes in as one argument) on two pipes: the job
 * goes in on *to_lp, its complaints come back on *from_lp; its stdout ("request id is ...") is
 * dropped. posix_spawn rather than fork: safe beside the kiosk's other threads, and a missing
 * lp is an error here instead of a silent exit 127. */
/* The lp to run: tests put a stand-in in KIOSK_LP. */
static const char *lp_path(void)
{
    const char *lp = getenv("KIOSK_LP");
    return lp ? lp : "lp";
}

static bool spawn_lp(const struct transport *t, pid_t *pid, int *to_lp, int *from_lp, char **err)
{
    const char *lp = lp_path();
    char *const argv[] = {"lp", "-d", (char *)t->arg, "-o", "raw", NULL};
    int in[2] = {-1, -1}, out[2] = {-1, -1}, rc = 0;
    if (pipe2(in, O_CLOEXEC) != 0 || pipe2(out, O_CLOEXEC) != 0)
        rc = errno;
    if (rc == 0) {
        posix_spawn_file_actions_t fa;
        posix_spawn_file_actions_init(&fa);
        posix_spawn_file_actions_adddup2(&fa, in[0], STDIN_FILENO);
        posix_spawn_file_actions_addopen(&fa, STDOUT_FILENO, "/dev/null", O_WRONLY, 0);
        posix_spawn_file_actions_adddup2(&fa, out[1], STDERR_FILENO);
        rc = posix_spawnp(pid, lp, &fa, NULL, argv, environ);
        posix_spawn_file_actions_destroy(&fa);
    }
    close_fd(in[0]); /* the child's ends */
    close_fd(out[1]);
    if (rc != 0) {
        close_fd(in[1]);
        close_fd(out[0]);
        *err = xasprintf("%s: cannot run %s: %s", t->device, lp, strerror(rc));
    }
    *to_lp = in[1];
    *from_lp = out[0];
    return rc == 0;
}

/* The first line lp writes on fd before it closes it or the deadline passes. The rest is read
 * and dropped, so a talkative lp never stalls on a full pipe. */
static void first_line(struct transport *t, int fd, uint64_t deadline, char *line, size_t size)
{
    char buf[256];
    size_t used = 0;
    while (wait_fd(t, fd, POLLIN, deadline, "", NULL)) {
        ssize_t n = read(fd, buf, sizeof(buf));
        if (n == 0 || (n < 0 && errno != EINTR))
            break;
        for (ssize_t i = 0; i < n && used + 1 < size; i++)
            line[used++] = buf[i];
    }
    line[used] = 0;
    line[strcspn(line, "\r\n")] = 0;
}

/* lp's wait status, or -1 when it is still running at the deadline (it is killed then). */
static int reap(pid_t pid, uint64_t deadline)
{
    int status;
    pid_t r;
    while ((r = waitpid(pid, &status, WNOHANG)) == 0 && clock_mono_ms() < deadline)
        nanosleep(&(struct timespec){0, 10000000L}, NULL); /* 10 ms */
    if (r != 0)
        return r == pid ? status : -1;
    kill(pid, SIGKILL);
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    return -1;
}

/* Hands the job to lp and waits, bounded, for its verdict. lp's complaint beats our own write
 * error: "The printer or class does not exist" says more than "Broken pipe" (which main
 * makes an error rather than a death by ignoring SIGPIPE). */
static bool run_lp(struct transport *t, char **err)
{
    pid_t pid;
    int to_lp, from_lp;
    if (!spawn_lp(t, &pid, &to_lp, &from_lp, err))
        return false;
    char *write_err = NULL, message[256];
    struct unwritten u;
    bool sent = write_all(t, to_lp, t->job.data, t->job.len, &u, &write_err);
    close(to_lp);
    uint64_t deadline = after_timeout(t);
    first_line(t, from_lp, deadline, message, sizeof(message));
    close(from_lp);
    int status = reap(pid, deadline);
    if (status == -1)
        *err = xasprintf("%s: lp timed out after %d ms", t->device, t->timeout_ms);
    else if (WIFEXITED(status) && WEXITSTATUS(status) == 127 && !message[0])
        /* Where posix_spawn cannot report a failed exec (qemu-user), the child exits 127. */
        *err = xasprintf("%s: cannot run %s", t->device, lp_path());
    else if (!WIFEXITED(status) || WEXITSTATUS(status) != 0)
        *err = xasprintf("%s: lp failed: %s", t->device, message[0] ? message : "no message");
    else if (!sent) {
        *err = write_err;
        write_err = NULL;
    }
    free(write_err);
    return *err == NULL;
}

/* Tells the printer we are done and gives it until it hangs up. Closing with its bytes (a
 * late status answer) still unread would make the kernel reset the connection, and a small
 * printer may drop what it has taken but not yet printed; a printer that never hangs up costs
 * one timeout. */
static void linger(struct transport *t)
{
    shutdown(t->fd, SHUT_WR);
    uint64_t deadline = after_timeout(t);
    unsigned char junk[256];
    while (wait_fd(t, t->fd, POLLIN, deadline, "", NULL)) {
        ssize_t n = read(t->fd, junk, sizeof(junk));
        if (n == 0 || (n < 0 && errno != EINTR && errno != EAGAIN))
            break;
    }
}

bool transport_flush(struct transport *t, char **err)
{
    *err = NULL;
    if (t->flush_err) {
        *err = xstrdup(t->flush_err);
        return false;
    }
    if (!t->unflushed) /* nothing written: lp is not run (it refuses an empty job) */
        return true;
    bool ok = true;
    if (t->kind == KIND_CUPS)
        ok = run_lp(t, err);
    else if (t->kind == KIND_USB) /* usblp kills a write still in flight when closed */
        ok = wait_fd(t, t->fd, POLLOUT, after_timeout(t), "finishing the job", err);
    else if (t->kind == KIND_TCP)
        ok = wait_taken(t, err);
    t->unflushed = false;
    if (!ok)
        t->flush_err = xstrdup(*err);
    return ok;
}

/* Drops what the kernel still holds for the printer and resets the connection: a ticket
 * journalled as not printed must not come out later, when staff may have printed it again. */
static void abort_connection(int fd)
{
    struct linger now = {.l_onoff = 1, .l_linger = 0};
    setsockopt(fd, SOL_SOCKET, SO_LINGER, &now, sizeof(now));
}

bool transport_close(struct transport *t, char **err)
{
    *err = NULL;
    if (!t)
        return true;
    bool ok = transport_flush(t, err);
    if (t->kind == KIND_TCP && ok)
        linger(t);
    else if (t->kind == KIND_TCP)
        abort_connection(t->fd);
    close_fd(t->fd);
    bytes_free(&t->job);
    free(t->flush_err);
    free(t->device);
    free(t);
    return ok;
}
