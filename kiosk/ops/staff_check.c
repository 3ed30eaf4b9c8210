/* staff_check.c: the child's table, line by line: "PASS  backend  http://...: 200 in 3 ms",
 * indented lines continuing the row above, and "self-test: PASS (...)" at the end. */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/mem.h"
#include "ops/staff_check.h"

#define LOG_MODULE "selftest"
#include "base/log.h"

#define OUTPUT_MAX 8192

extern char **environ;

struct staff_check {
    pid_t pid;
    int fd; /* -1 once the child is done */
    bool passed;
    size_t len;
    char output[OUTPUT_MAX];
    char lines[PANEL_ROWS_MAX][320]; /* the rows' texts, for the panel to point at */
    char display[160], audio[160];
};

struct staff_check *staff_check_start(const char *config_path, char **err)
{
    int pipe_fds[2];
    if (pipe2(pipe_fds, O_CLOEXEC) != 0) {
        *err = xasprintf("self-test: %s", strerror(errno));
        return NULL;
    }
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, pipe_fds[1], STDOUT_FILENO);
    char *const argv[] = {"kiosk",       "--config",   (char *)config_path,
                          "--self-test", "--headless", NULL};
    /* The path itself, not /proc/self/exe: under qemu-user that link is the emulator. */
    char self[PATH_MAX];
    ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    self[n > 0 ? n : 0] = 0;
    pid_t pid = -1;
    int rc = n > 0 ? posix_spawn(&pid, self, &actions, NULL, argv, environ) : ENOENT;
    posix_spawn_file_actions_destroy(&actions);
    close(pipe_fds[1]);
    if (rc != 0) {
        close(pipe_fds[0]);
        *err = xasprintf("self-test: cannot start: %s", strerror(rc));
        return NULL;
    }
    fcntl(pipe_fds[0], F_SETFL, O_NONBLOCK);
    struct staff_check *s = xcalloc(1, sizeof(*s));
    s->pid = pid;
    s->fd = pipe_fds[0];
    LOG_INFO("self-test started for staff (pid %d)", (int)pid);
    return s;
}

void staff_check_destroy(struct staff_check *s)
{
    if (!s)
        return;
    if (s->fd >= 0) {
        kill(s->pid, SIGKILL);
        close(s->fd);
        waitpid(s->pid, NULL, 0);
    }
    free(s);
}

int staff_check_fd(const struct staff_check *s)
{
    return s->fd;
}

bool staff_check_done(const struct staff_check *s)
{
    return s->fd < 0;
}

static void finish(struct staff_check *s)
{
    int status = 0;
    close(s->fd);
    s->fd = -1;
    waitpid(s->pid, &status, 0);
    s->passed = WIFEXITED(status) && WEXITSTATUS(status) == 0;
    LOG_INFO("self-test for staff: %s", s->passed ? "passed" : "failed");
}

bool staff_check_read(struct staff_check *s)
{
    bool changed = false;
    while (s->fd >= 0) {
        char buf[1024];
        ssize_t n = read(s->fd, buf, sizeof(buf));
        if (n > 0) {
            size_t take = (size_t)n < OUTPUT_MAX - 1 - s->len ? (size_t)n : OUTPUT_MAX - 1 - s->len;
            memcpy(s->output + s->len, buf, take);
            s->len += take;
            s->output[s->len] = 0;
            changed = true;
        } else if (n == 0 || (errno != EAGAIN && errno != EINTR)) {
            finish(s);
            changed = true;
        } else {
            break;
        }
    }
    return changed;
}

static SDL_Color tag_colour(const char *tag)
{
    return strcmp(tag, "PASS") == 0   ? PANEL_GOOD
           : strcmp(tag, "FAIL") == 0 ? PANEL_BAD
                                      : PANEL_NEUTRAL;
}

/* One row: a check's line, or the continuation of the one above (no tag). */
static void add_row(struct panel *p, char *text, const char *tag)
{
    if (p->nrows == PANEL_ROWS_MAX)
        return;
    struct panel_row *r = &p->rows[p->nrows++];
    r->tag = tag;
    r->tag_color = tag ? tag_colour(tag) : PANEL_NEUTRAL;
    r->text = text;
}

static const char *const TAGS[] = {"PASS", "FAIL", "SKIP"};

static const char *tag_of(const char *line)
{
    for (size_t i = 0; i < sizeof(TAGS) / sizeof(TAGS[0]); i++)
        if (strncmp(line, TAGS[i], 4) == 0 && line[4] == ' ')
            return TAGS[i];
    return NULL;
}

/* The child's rows; its own display and audio rows are left out (it ran headless). */
static void child_rows(struct staff_check *s, struct panel *p)
{
    char copy[OUTPUT_MAX], *save = NULL;
    int n = 0;
    bool skipping = false;
    snprintf(copy, sizeof(copy), "%s", s->output);
    for (char *line = strtok_r(copy, "\n", &save); line && n < PANEL_ROWS_MAX - 3;
         line = strtok_r(NULL, "\n", &save)) {
        const char *tag = tag_of(line);
        char *text = line + (tag ? 4 : 0);
        text += strspn(text, " ");
        if (tag)
            skipping = strncmp(text, "display ", 8) == 0 || strncmp(text, "audio ", 6) == 0;
        if (skipping || (!tag && line[0] != ' '))
            continue; /* the headless rows, the heading and the summary */
        snprintf(s->lines[n], sizeof(s->lines[n]), "%s", text);
        add_row(p, s->lines[n++], tag);
    }
}

void staff_check_panel(struct staff_check *s, const char *display, const char *audio,
                       struct panel *out)
{
    *out = (struct panel){.title = "设备自检 · Self-test"};
    child_rows(s, out);
    snprintf(s->display, sizeof(s->display), "display  %s", display);
    snprintf(s->audio, sizeof(s->audio), "audio    %s", audio);
    add_row(out, s->display, "PASS");
    /* no player (a kiosk), or the null driver: nothing is spoken, which is no fault */
    add_row(out, s->audio, audio[0] && strcmp(audio, "null") != 0 ? "PASS" : "SKIP");
    out->subtitle = !staff_check_done(s) ? "正在检查… · Checking…"
                    : s->passed          ? "全部通过 · Everything passed"
                                         : "有项目未通过 · Something failed: see FAIL";
    out->footer = "轻触屏幕或按任意键返回 · Touch the screen or press a key to go back";
}
