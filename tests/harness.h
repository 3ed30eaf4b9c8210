/* harness.h: what the tests that run real processes share: starting and stopping them,
 * talking to the simulators' admin endpoints, and reading the kiosk's status file. No SDL:
 * kiosk-hub's tests link it too; the pixel helpers are in harness_screen.h. */
#ifndef KIOSK_TEST_HARNESS_H
#define KIOSK_TEST_HARNESS_H

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <sys/types.h>

void sleep_ms(int ms);

/* Starts argv (PATH searched) with stderr appended to log. */
pid_t spawn(const char *const *argv, const char *log);

/* Runs bin with args (NULL-terminated, without argv[0]), stdout and stderr to the given
 * files, and returns its exit status; fails the test if it dies of a signal or runs longer
 * than 60 s. */
int run_program(const char *bin, const char *const *args, const char *out, const char *err);

/* Starts scripts/backend-sim (seed 7, quiet) on a free port, its port file and log in dir;
 * sets *port. */
pid_t start_backend_sim(const char *dir, int *port);

/* SIGTERM, then waits; sets *pid to 0. Accepts 0. */
void stop_process(pid_t *pid);

/* True while pid runs. */
bool process_alive(pid_t pid);

/* Waits up to 10 s for a file holding a port number; returns it, or fails the test. */
int wait_port_file(const char *path);

/* GET (json NULL) or POST json to http://127.0.0.1:port path; the parsed answer, which the
 * caller deletes, or fails the test. */
cJSON *http_json(int port, const char *path, const char *json);

/* One HTTP exchange as a client sees it: status, the response's headers (one "Name: value"
 * per line, as sent) and body. */
struct http_answer {
    long status;
    char headers[8192];
    char body[1 << 17];
    size_t len;
};

/* method to url with the given request headers ("Name: value", NULL-ended, may be NULL) and
 * body (NULL for none); no redirects followed. Fails the test on a transport error, or after
 * timeout_ms. */
void http_call(const char *method, const char *url, const char *const *headers, const char *body,
               long timeout_ms, struct http_answer *out);

/* The value of response header name in a (case-insensitive name), into out; false when absent. */
bool http_answer_header(const struct http_answer *a, const char *name, char *out, size_t size);

/* The first column of the first row sql gives on the SQLite file db (opened read-only), or -1
 * when it cannot be read. */
int sqlite_int(const char *db, const char *sql);

struct status {
    char state[16];
    char error[256];
    double version;
    bool has_model;
    char first_ticket[16]; /* calls[0].ticket, "" without calls */
};

/* Reads the kiosk's status file; false while it is missing or being replaced. */
bool status_read(const char *path, struct status *s);

/* Waits up to 15 s for the connection state (and an error containing error_part). */
struct status status_wait(const char *path, const char *state, const char *error_part);

/* The same, for up to seconds: after a long outage the next poll comes at the back-off, which
 * grows to 30 s (+20 % jitter). */
struct status status_wait_for(const char *path, const char *state, const char *error_part,
                              int seconds);

/* Waits up to 15 s for the newest call's ticket to be ticket. */
struct status status_wait_ticket(const char *path, const char *ticket);

/* The whole of a text file (up to 1 MiB) in a buffer reused by the next call; NULL when it
 * cannot be opened. */
const char *read_text(const char *path);

/* Removes a test's temporary folder and everything in it; 0 on success (a cmocka teardown). */
int remove_tree(const char *dir);

/* What zbarimg (zbar-tools) reads in a PNG: the first symbol's text, "" when none. The
 * buffer is reused by the next call. */
const char *zbar_decode(const char *png);

/* An ESC/POS stream read back: the pages between cuts, each the raster it printed. */
#define DECODED_PAGES_MAX 8
struct decoded_page {
    int width, height;   /* dots */
    unsigned char *bits; /* PBM P4 rows */
    int bands, max_band; /* GS v 0 blocks and the tallest one */
    int cut;             /* the GS V mode that ended the page */
    char native_qr[512]; /* the text of a GS ( k code, "" when none */
};
struct decoded {
    int npages;
    struct decoded_page pages[DECODED_PAGES_MAX];
};

/* Decodes data, failing the test on any byte that is not ESC @, ESC a, ESC d, GS v 0,
 * GS ( k or GS V, or on a stream that does not start with ESC @. */
void escpos_read(const unsigned char *data, size_t len, struct decoded *out);
void escpos_read_free(struct decoded *d);

/* Writes a page as a PBM file (P4): zbarimg reads it. */
void page_write_pbm(const struct decoded_page *page, const char *path);

/* The whole of a binary file in a buffer the caller frees; *len its size. */
unsigned char *read_bytes(const char *path, size_t *len);

/* With SCREENSHOT_DIR set (make screenshots), copies png there as name. */
void keep_screenshot(const char *png, const char *name);

/* Writes text to path (a secret or config file for the kiosk). */
void write_text(const char *path, const char *text);

#endif
