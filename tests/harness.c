/* harness.c: process and HTTP helpers for the integration tests. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"

void sleep_ms(int ms)
{
    usleep((useconds_t)ms * 1000);
}

pid_t spawn(const char *const *argv, const char *log)
{
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(log, "a", stderr))
            _exit(126);
        execvp(argv[0], (char *const *)argv);
        _exit(127);
    }
    return pid;
}

int run_program(const char *bin, const char *const *args, const char *out, const char *err)
{
    const char *argv[64] = {bin};
    int n = 1;
    for (; args[n - 1]; n++) {
        if (n == 63)
            fail_msg("run_program: more than 62 arguments");
        argv[n] = args[n - 1];
    }
    argv[n] = NULL;
    pid_t pid = fork();
    if (pid == 0) {
        if (!freopen(err, "w", stderr) || !freopen(out, "w", stdout))
            _exit(126);
        alarm(60);
        execv(bin, (char *const *)argv);
        _exit(127);
    }
    int status;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status))
        fail_msg("%s died of signal %d", bin, WTERMSIG(status));
    return WEXITSTATUS(status);
}

pid_t start_backend_sim(const char *dir, int *port)
{
    char port_file[256], log[256];
    snprintf(port_file, sizeof(port_file), "%s/sim.port", dir);
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    unlink(port_file);
    const char *argv[] = {"python3",     "scripts/backend-sim",
                          "--port",      "0",
                          "--port-file", port_file,
                          "--seed",      "7",
                          "--quiet",     NULL};
    pid_t pid = spawn(argv, log);
    *port = wait_port_file(port_file);
    return pid;
}

/* SIGTERM, then SIGKILL after 5 s: a Python server whose SIGTERM went to one of its other
 * threads never runs its handler (the main thread sleeps on in accept), and a test must not
 * hang on it. */
void stop_process(pid_t *pid)
{
    if (*pid <= 0)
        return;
    kill(*pid, SIGTERM);
    bool reaped = false;
    for (int i = 0; i < 500 && !(reaped = waitpid(*pid, NULL, WNOHANG) == *pid); i++)
        usleep(10000);
    if (!reaped) {
        kill(*pid, SIGKILL);
        waitpid(*pid, NULL, 0);
    }
    *pid = 0;
}

bool process_alive(pid_t pid)
{
    return pid > 0 && waitpid(pid, NULL, WNOHANG) == 0;
}

int wait_port_file(const char *path)
{
    for (int i = 0; i < 100; i++, sleep_ms(100)) {
        FILE *f = fopen(path, "r");
        int port = 0;
        bool ok = f && fscanf(f, "%d", &port) == 1;
        if (f)
            fclose(f);
        if (ok)
            return port;
    }
    fail_msg("no port in %s after 10 s", path);
    return 0;
}

struct buffer {
    char text[1 << 16];
    size_t len;
};

static size_t collect(char *data, size_t size, size_t n, void *arg)
{
    struct buffer *b = arg;
    size_t take = size * n < sizeof(b->text) - 1 - b->len ? size * n : sizeof(b->text) - 1 - b->len;
    memcpy(b->text + b->len, data, take);
    b->len += take;
    b->text[b->len] = 0;
    return size * n;
}

cJSON *http_json(int port, const char *path, const char *json)
{
    static struct buffer answer;
    char url[256];
    snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", port, path);
    answer.len = 0;
    answer.text[0] = 0;
    CURL *c = curl_easy_init();
    curl_easy_setopt(c, CURLOPT_URL, url);
    if (json)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, json);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &answer);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, 5000L);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        fail_msg("%s: %s", url, curl_easy_strerror(rc));
    cJSON *j = cJSON_Parse(answer.text);
    if (!j)
        fail_msg("%s answered \"%s\"", url, answer.text);
    return j;
}

static size_t collect_answer(char *data, size_t size, size_t n, void *arg)
{
    struct http_answer *a = arg;
    size_t room = sizeof(a->body) - 1 - a->len, take = size * n < room ? size * n : room;
    memcpy(a->body + a->len, data, take);
    a->len += take;
    a->body[a->len] = 0;
    return size * n;
}

static size_t collect_header(char *data, size_t size, size_t n, void *arg)
{
    struct http_answer *a = arg;
    size_t used = strlen(a->headers);
    snprintf(a->headers + used, sizeof(a->headers) - used, "%.*s", (int)(size * n), data);
    return size * n;
}

void http_call(const char *method, const char *url, const char *const *headers, const char *body,
               long timeout_ms, struct http_answer *out)
{
    memset(out, 0, offsetof(struct http_answer, body) + 1);
    out->len = 0;
    out->body[0] = 0;
    CURL *c = curl_easy_init();
    struct curl_slist *list = NULL;
    for (int i = 0; headers && headers[i]; i++)
        list = curl_slist_append(list, headers[i]);
    curl_easy_setopt(c, CURLOPT_URL, url);
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
    if (strcmp(method, "HEAD") == 0)
        curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    if (body)
        curl_easy_setopt(c, CURLOPT_POSTFIELDS, body);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, collect_answer);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, out);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, collect_header);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, out);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, timeout_ms);
    CURLcode rc = curl_easy_perform(c);
    curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &out->status);
    curl_slist_free_all(list);
    curl_easy_cleanup(c);
    if (rc != CURLE_OK)
        fail_msg("%s %s: %s", method, url, curl_easy_strerror(rc));
}

bool http_answer_header(const struct http_answer *a, const char *name, char *out, size_t size)
{
    size_t len = strlen(name);
    for (const char *line = a->headers; line && *line;
         line = strchr(line, '\n') ? strchr(line, '\n') + 1 : NULL) {
        if (strncasecmp(line, name, len) == 0 && line[len] == ':') {
            const char *value = line + len + 1 + strspn(line + len + 1, " ");
            snprintf(out, size, "%.*s", (int)strcspn(value, "\r\n"), value);
            return true;
        }
    }
    return false;
}

int sqlite_int(const char *db_path, const char *sql)
{
    sqlite3 *db = NULL;
    sqlite3_stmt *st = NULL;
    int n = -1;
    if (sqlite3_open_v2(db_path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK &&
        sqlite3_prepare_v2(db, sql, -1, &st, NULL) == SQLITE_OK && sqlite3_step(st) == SQLITE_ROW)
        n = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    sqlite3_close(db);
    return n;
}

static void copy_string(char *dst, size_t size, const cJSON *item)
{
    snprintf(dst, size, "%s", cJSON_IsString(item) ? item->valuestring : "");
}

const char *read_text(const char *path)
{
    static char text[1 << 20];
    FILE *f = fopen(path, "r");
    if (!f)
        return NULL;
    size_t n = fread(text, 1, sizeof(text) - 1, f);
    fclose(f);
    text[n] = 0;
    return text;
}

int remove_tree(const char *dir)
{
    char cmd[256];
    snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
    return system(cmd);
}

bool status_read(const char *path, struct status *s)
{
    const char *text = read_text(path);
    if (!text)
        return false;
    cJSON *j = cJSON_Parse(text);
    if (!j)
        return false;
    const cJSON *conn = cJSON_GetObjectItem(j, "connection");
    copy_string(s->state, sizeof(s->state), cJSON_GetObjectItem(conn, "state"));
    copy_string(s->error, sizeof(s->error), cJSON_GetObjectItem(conn, "error"));
    const cJSON *v = cJSON_GetObjectItem(j, "version");
    s->version = v ? v->valuedouble : -1;
    s->has_model = cJSON_IsTrue(cJSON_GetObjectItem(j, "has_model"));
    const cJSON *first = cJSON_GetArrayItem(cJSON_GetObjectItem(j, "calls"), 0);
    copy_string(s->first_ticket, sizeof(s->first_ticket), cJSON_GetObjectItem(first, "ticket"));
    cJSON_Delete(j);
    return true;
}

struct status status_wait(const char *path, const char *state, const char *error_part)
{
    return status_wait_for(path, state, error_part, 15);
}

struct status status_wait_for(const char *path, const char *state, const char *error_part,
                              int seconds)
{
    struct status s = {0};
    for (int i = 0; i < seconds * 10; i++, sleep_ms(100))
        if (status_read(path, &s) && strcmp(s.state, state) == 0 && strstr(s.error, error_part))
            return s;
    fail_msg("status never became %s/\"%s\" (last: %s/\"%s\")", state, error_part, s.state,
             s.error);
    return s;
}

struct status status_wait_ticket(const char *path, const char *ticket)
{
    struct status s = {0};
    for (int i = 0; i < 150; i++, sleep_ms(100))
        if (status_read(path, &s) && strcmp(s.first_ticket, ticket) == 0)
            return s;
    fail_msg("the newest call never became %s (last: %s, %s/\"%s\")", ticket, s.first_ticket,
             s.state, s.error);
    return s;
}

void write_text(const char *path, const char *text)
{
    /* 0600, as the kiosk wants its secret files (it refuses ones others may read). */
    int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    FILE *f = fd >= 0 && fchmod(fd, 0600) == 0 ? fdopen(fd, "w") : NULL;
    if (!f)
        fail_msg("cannot write %s", path);
    fputs(text, f);
    fclose(f);
}

const char *zbar_decode(const char *png)
{
    static char text[4096];
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "zbarimg --nodbus --raw -q '%s' 2>/dev/null", png);
    text[0] = 0;
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(text, 1, sizeof(text) - 1, p);
    pclose(p);
    text[n] = 0;
    text[strcspn(text, "\n")] = 0;
    return text;
}

unsigned char *read_bytes(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("%s: cannot open", path);
    unsigned char *data = NULL;
    size_t cap = 0;
    *len = 0;
    for (;;) {
        if (*len == cap)
            data = realloc(data, cap = cap ? cap * 2 : 65536);
        size_t n = fread(data + *len, 1, cap - *len, f);
        if (n == 0)
            break;
        *len += n;
    }
    fclose(f);
    return data;
}

static void page_rows(struct decoded_page *p, const unsigned char *rows, int stride, int n)
{
    if (p->height && p->width != stride * 8)
        fail_msg("raster width changes within a page: %d then %d dots", p->width, stride * 8);
    p->width = stride * 8;
    p->bits = realloc(p->bits, (size_t)(p->height + n) * (size_t)stride);
    memcpy(p->bits + (size_t)p->height * (size_t)stride, rows, (size_t)n * (size_t)stride);
    p->height += n;
    p->bands++;
    p->max_band = n > p->max_band ? n : p->max_band;
}

void escpos_read(const unsigned char *d, size_t len, struct decoded *out)
{
    memset(out, 0, sizeof(*out));
    if (len < 2 || d[0] != 0x1b || d[1] != '@')
        fail_msg("the stream does not start with ESC @");
    struct decoded_page *page = &out->pages[0];
    for (size_t i = 0; i < len;) {
        size_t left = len - i;
        const unsigned char *c = d + i;
        if (c[0] == 0x1b && left >= 2 && c[1] == '@') {
            i += 2;
        } else if (c[0] == 0x1b && left >= 3 && (c[1] == 'a' || c[1] == 'd')) {
            i += 3;
        } else if (c[0] == 0x1d && left >= 8 && c[1] == 'v' && c[2] == '0') {
            int stride = c[4] | c[5] << 8, rows = c[6] | c[7] << 8;
            if (left < 8 + (size_t)stride * (size_t)rows)
                fail_msg("GS v 0 block of %dx%d runs past the end", stride, rows);
            page_rows(page, c + 8, stride, rows);
            i += 8 + (size_t)stride * (size_t)rows;
        } else if (c[0] == 0x1d && left >= 5 && c[1] == '(' && c[2] == 'k') {
            size_t n = (size_t)(c[3] | c[4] << 8);
            if (n >= 3 && c[6] == 80 && n - 3 < sizeof(page->native_qr))
                snprintf(page->native_qr, sizeof(page->native_qr), "%.*s", (int)(n - 3), c + 8);
            i += 5 + n;
        } else if (c[0] == 0x1d && left >= 3 && c[1] == 'V') {
            page->cut = c[2];
            if (++out->npages == DECODED_PAGES_MAX)
                fail_msg("more than %d pages", DECODED_PAGES_MAX);
            page = &out->pages[out->npages];
            i += 3;
        } else {
            fail_msg("unexpected byte 0x%02x at offset %zu", c[0], i);
        }
    }
}

void escpos_read_free(struct decoded *d)
{
    for (int i = 0; i <= d->npages && i < DECODED_PAGES_MAX; i++)
        free(d->pages[i].bits);
}

void page_write_pbm(const struct decoded_page *page, const char *path)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    fprintf(f, "P4\n%d %d\n", page->width, page->height);
    fwrite(page->bits, 1, (size_t)page->height * (size_t)(page->width / 8), f);
    fclose(f);
}

void keep_screenshot(const char *png, const char *name)
{
    const char *keep = getenv("SCREENSHOT_DIR");
    if (!keep)
        return;
    char cmd[1024];
    snprintf(cmd, sizeof(cmd), "mkdir -p '%s' && cp '%s' '%s/%s'", keep, png, keep, name);
    assert_int_equal(system(cmd), 0);
}
