/* app.c: start-up order matters for the first frame: the last snapshot is read from the store
 * and drawn before the backend thread starts, so a restarted kiosk shows its queue at once. */
#include <SDL2/SDL.h>
#include <SDL2/SDL_ttf.h>
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "base/clock.h"
#include "app.h"
#include "audio/audio.h"
#include "backend/backend.h"
#include "config/clinics.h"
#include "feed/feed.h"
#include "ops/health.h"
#include "selfservice/kiosk_role.h"
#include "base/mem.h"
#include "printer/worker.h"
#include "render/display.h"
#include "render/draw.h"
#include "render/info_pages.h"
#include "render/panel.h"
#include "render/screen.h"
#include "qr/screen_codes.h"
#include "selfservice/script.h"
#include "ops/staff_check.h"
#include "ops/status.h"
#include "store/store.h"
#include "view.h"
#include "ops/watchdog.h"

#define LOG_MODULE "app"
#include "base/log.h"

/* How often input is collected while nothing else happens. SDL's own wait polls every
 * millisecond on KMSDRM and offscreen; this is 100 times cheaper and still instant for keys. */
#define INPUT_POLL_MS   100
#define RENDER_SAMPLES  4096
#define STAFF_SCREEN_MS 60000 /* the self-test screen stays this long after its checks */

struct app {
    const struct config *config;
    struct app_options options;
    struct display *display;
    struct fonts *fonts;
    struct text_cache *text;
    struct screen_assets assets;
    struct screen_codes *codes;
    struct layout layout;
    struct store *store;
    const struct backend_ops *backend_ops;
    struct backend *backend;
    struct feed *feed;
    struct printer_worker *printer; /* NULL without a printer */
    struct kiosk_role *kiosk;       /* role kiosk: the touch screens; NULL on a call screen */
    struct audio *audio;            /* role display: spoken calls; NULL on a kiosk */
    struct script *script;          /* --script, or NULL */
    struct staff_check *staff;      /* the self-test screen on show, or NULL */
    uint64_t staff_done_ms;         /* when its checks ended (0: still running) */
    struct watchdog *watchdog;
    bool supervised;       /* run by systemd (NOTIFY_SOCKET): no key ends the kiosk */
    struct health *health; /* heartbeats and the .prom file; NULL on the error screen */
    struct view view;
    struct feed_update update; /* large: kept here rather than on the stack */
    int shots;
    int nrender;
    float render_ms[RENDER_SAMPLES];
};

static void load_logo(struct app *app)
{
    char *err = NULL;
    if (!app->config->display.logo[0])
        return;
    app->assets.logo = display_load_texture(app->display, app->config->display.logo, &err);
    if (!app->assets.logo) {
        LOG_WARN("no logo: %s", err);
        free(err);
    }
}

/* [pages] clinics_file, checked whole by config_check; a file changed since is logged. */
static void load_clinics(struct app *app)
{
    char *err = NULL;
    if (!app->config->pages.clinics_file[0])
        return;
    struct clinic *clinics = xcalloc(MODEL_CLINICS_MAX, sizeof(*clinics));
    int n = clinics_load(app->config->pages.clinics_file, clinics, MODEL_CLINICS_MAX, &err);
    if (n < 0) {
        LOG_ERR("no clinic hours: %s", err);
        free(err);
    } else {
        view_file_clinics(&app->view, clinics, n);
    }
    free(clinics);
}

static void restore(struct app *app)
{
    char *err = NULL;
    struct model *saved = xcalloc(1, sizeof(*saved));
    int64_t saved_at = 0;
    if (store_load_snapshot(app->store, saved, &saved_at, &err)) {
        view_restore(&app->view, saved, saved_at);
        LOG_INFO("showing the snapshot saved at %lld (version %llu)", (long long)saved_at,
                 (unsigned long long)saved->version);
    } else if (err) {
        LOG_WARN("the saved snapshot is unusable: %s", err);
        free(err);
    }
    free(saved);
}

static void open_store(struct app *app)
{
    char *err = NULL;
    app->store = store_open(app->config->storage.path, &err);
    if (!app->store) {
        /* The screen matters more than the history: run on, and say so loudly. */
        LOG_ERR("running without storage: %s", err);
        free(err);
        return;
    }
    restore(app);
}

/* The console as the service gets it (kiosk.service: StandardInput=tty-force on tty1): SDL
 * mutes its keyboard on KMSDRM, but should that fail, Ctrl+C, Ctrl+Z or Ctrl+\ typed on a
 * keyboard at the kiosk would still become signals that end or stop it. Not any more. */
static void console_no_signals(void)
{
    struct termios t;
    if (!isatty(STDIN_FILENO) || tcgetattr(STDIN_FILENO, &t) != 0)
        return;
    t.c_lflag &= ~(tcflag_t)ISIG;
    if (tcsetattr(STDIN_FILENO, TCSANOW, &t) != 0)
        LOG_WARN("cannot turn off the console's signal keys: %s", strerror(errno));
}

struct app *app_create(const struct config *config, const struct app_options *options, char **err)
{
    *err = NULL;
    struct app *app = xcalloc(1, sizeof(*app));
    app->config = config;
    app->options = *options;
    app->watchdog = watchdog_create();
    /* Under systemd no key ends the kiosk: Escape from a keyboard (or a scanner sending ESC)
     * at a patient's reach would blank the screen until the restart. Started by hand, as by
     * make demo, Escape still quits. */
    app->supervised = getenv("NOTIFY_SOCKET") != NULL;
    if (app->supervised)
        console_no_signals();
    view_init(&app->view, config, clock_mono_ms(), time(NULL));
    app->backend_ops = backend_for(config->backend.type);
    /* Codes that would not verify are refused at start, not discovered by a patient. */
    if (!(app->codes = screen_codes_create(config, time(NULL), err)))
        goto fail;
    app->assets.codes = app->codes;
    if (TTF_Init() != 0) {
        *err = xasprintf("SDL_ttf: %s", TTF_GetError());
        goto fail;
    }
    if (options->script && !(app->script = script_load(options->script, err)))
        goto fail;
    if (!(app->fonts = fonts_create(config, err)) ||
        !(app->display = display_create(config, options->headless, err)) ||
        !(app->backend = app->backend_ops->create(config, err)))
        goto fail;
    int w, h;
    display_canvas_size(app->display, &w, &h);
    /* A screen of pixels: the usual screen's strings and a new call's full-screen number
     * (3 MB at 1080p) together, so neither evicts the other as they take turns. */
    app->text = text_cache_create(display_renderer(app->display), app->fonts, 4L * w * h);
    layout_compute(&app->layout, w, h, config->display.recent_count, config->display.next_count,
                   screen_codes_count(app->codes) > 0);
    char note[512];
    if (layout_rows_note(&app->layout, config->display.recent_count, config->display.next_count,
                         note, sizeof(note)))
        LOG_INFO("layout: %s", note);
    int results, clinics;
    info_capacity(&app->layout, &results, &clinics);
    view_capacity(&app->view, results, clinics);
    load_clinics(app);
    if (options->config_error) /* nothing to store, say or print until the file is fixed */
        return app;
    load_logo(app);
    open_store(app);
    if (config->device.role == ROLE_KIOSK)
        app->kiosk = kiosk_role_create(config, app->fonts, app->codes, clock_mono_ms());
    else /* headless has no audio device by definition */
        app->audio = audio_create(config, options->headless ? &audio_driver_null : NULL);
    return app;
fail:
    app_destroy(app);
    return NULL;
}

void app_destroy(struct app *app)
{
    if (!app)
        return;
    kiosk_role_destroy(app->kiosk);
    audio_destroy(app->audio);
    script_destroy(app->script);
    staff_check_destroy(app->staff);
    health_stop(app->health);
    printer_worker_stop(app->printer);
    feed_stop(app->feed);
    if (app->backend_ops)
        app->backend_ops->destroy(app->backend);
    store_close(app->store);
    text_cache_destroy(app->text);
    if (app->assets.logo)
        SDL_DestroyTexture(app->assets.logo);
    display_destroy(app->display);
    fonts_destroy(app->fonts);
    screen_codes_destroy(app->codes);
    watchdog_destroy(app->watchdog);
    if (TTF_WasInit())
        TTF_Quit();
    SDL_Quit();
    free(app);
}

/* The configuration error screen: what is wrong, word for word, and what to do about it. */
static void draw_config_error(struct app *app, struct draw *d)
{
    struct panel p = {
        .title = "配置文件有误 · The configuration has errors",
        .subtitle = app->config->path,
        .rows = {{.text = "请在电脑上修改 SD 卡启动分区中的 kiosk.ini，然后重新启动本机。"},
                 {.text = "Fix kiosk.ini on the SD card's boot partition from any PC, then "
                          "restart this device."},
                 {.tag = "错误", .tag_color = PANEL_BAD, .text = app->options.config_error}},
        .nrows = 3,
        .footer = "kiosk --self-test 检查全部 · checks everything",
    };
    panel_draw(d, app->layout.width, app->layout.height, &p);
}

/* The self-test screen: the child's checks, and the display and sound as this program has
 * them. */
static void draw_staff_check(struct app *app, struct draw *d)
{
    struct panel p;
    staff_check_panel(app->staff, display_description(app->display),
                      app->audio ? audio_driver_name(app->audio) : "", &p);
    panel_draw(d, app->layout.width, app->layout.height, &p);
}

static void render(struct app *app)
{
    uint64_t start = SDL_GetPerformanceCounter();
    struct draw d = {display_renderer(app->display), app->text};
    display_begin(app->display);
    if (app->staff)
        draw_staff_check(app, &d);
    else if (app->options.config_error)
        draw_config_error(app, &d);
    else if (app->kiosk)
        kiosk_role_draw(app->kiosk, &d, &app->view, app->assets.logo, app->layout.width,
                        app->layout.height);
    else
        app->view.scrolling =
            screen_draw(&d, &app->layout, &app->view, &app->assets, clock_mono_ms(), time(NULL));
    text_cache_end_frame(app->text);
    display_present(app->display, NULL, 0);
    app->view.dirty = false;
    app->view.damage = 0;
    double ms = (double)(SDL_GetPerformanceCounter() - start) * 1000.0 /
                (double)SDL_GetPerformanceFrequency();
    app->render_ms[app->nrender++ % RENDER_SAMPLES] = (float)ms;
    struct timespec now;
    clock_gettime(CLOCK_REALTIME, &now);
    /* make bench matches these lines with the times it changed the backend's queue. */
    LOG_DEBUG("frame: version %llu presented at %lld ms",
              (unsigned long long)app->view.model.version,
              (long long)now.tv_sec * 1000 + now.tv_nsec / 1000000);
}

/* The call screen's damaged regions alone, and only they presented. */
static void render_damage(struct app *app)
{
    SDL_Rect boxes[SCREEN_DAMAGE_MAX];
    struct draw d = {display_renderer(app->display), app->text};
    display_begin(app->display);
    int n = screen_draw_damage(&d, &app->layout, &app->view, &app->assets, clock_mono_ms(),
                               time(NULL), boxes, &app->view.scrolling);
    bool notice = app->view.damage & VIEW_DAMAGE_NOTICE;
    if (n > (notice ? 1 : 0)) /* a region drew the whole screen: every string was asked for */
        text_cache_end_frame(app->text);
    if (n > 0)
        display_present(app->display, boxes, n);
    app->view.damage = 0;
}

/* What changed since the last frame: the whole screen, or the call screen's regions. */
static void redraw(struct app *app)
{
    bool call_screen = !app->kiosk && !app->staff && !app->options.config_error;
    if (app->view.dirty || (app->view.damage && !call_screen))
        render(app);
    else if (app->view.damage)
        render_damage(app);
}

/* The health thread's copy of what the screen knows; no I/O here. */
static void report_health(struct app *app)
{
    const struct view *v = &app->view;
    struct health_view h = {
        .online = v->conn == CONN_ONLINE,
        .last_ok = v->conn == CONN_OFFLINE ? v->conn_since : 0,
        .version = v->has_model ? v->model.version : 0,
        .updated_at = v->has_model ? v->last_update : 0,
        .storage_ok = v->storage == STORE_OK, /* the feed's store: opened and writable */
        .has_printer = v->has_printer,
        .printer = v->printer.fault == PRINTER_OK          ? "ok"
                   : v->printer.fault == PRINTER_UNKNOWN   ? "unknown"
                   : v->printer.fault == PRINTER_PAPER_OUT ? "paper_out"
                                                           : "offline",
    };
    health_report(app->health, &h);
}

static void write_status(struct app *app)
{
    char *err = NULL;
    app->view.status_dirty = false;
    if (app->health)
        report_health(app);
    if (app->options.status_file && !status_write(app->options.status_file, &app->view, &err)) {
        LOG_ERR("status file: %s", err);
        free(err);
    }
}

static void screenshot(struct app *app, const char *path)
{
    char *err = NULL;
    if (display_save_png(app->display, path, &err))
        LOG_INFO("screenshot %s", path);
    else
        LOG_ERR("screenshot: %s", err);
    free(err);
}

static void periodic_screenshot(struct app *app)
{
    char path[PATH_MAX];
    snprintf(path, sizeof(path), "%s%04d.png", app->options.screenshot_prefix, ++app->shots);
    screenshot(app, path);
}

/* A touch on the screen, turned back onto the canvas when the monitor hangs sideways. */
static void tap(struct app *app, int x, int y)
{
    int cx, cy;
    display_to_canvas(app->display, x, y, &cx, &cy);
    kiosk_role_tap(app->kiosk, cx, cy, clock_mono_ms());
}

/* Ctrl+Alt+S, for staff with a keyboard: the self-test screen. */
static bool staff_keys(const SDL_Event *e)
{
    return e->type == SDL_KEYDOWN && e->key.keysym.sym == SDLK_s &&
           (e->key.keysym.mod & KMOD_CTRL) && (e->key.keysym.mod & KMOD_ALT);
}

static void staff_check_open(struct app *app)
{
    char *err = NULL;
    if (app->staff)
        return;
    if (!(app->staff = staff_check_start(app->config->path, &err))) {
        LOG_ERR("%s", err);
        free(err);
        return;
    }
    app->staff_done_ms = 0;
    app->view.dirty = true;
}

static void staff_check_close(struct app *app)
{
    staff_check_destroy(app->staff);
    app->staff = NULL;
    app->view.dirty = true;
}

/* While the self-test screen is up, a key or a touch closes it and does nothing else. */
static bool staff_input(struct app *app, const SDL_Event *e)
{
    if (staff_keys(e)) {
        staff_check_open(app);
        return true;
    }
    if (!app->staff)
        return false;
    if (e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN)
        staff_check_close(app);
    return e->type == SDL_KEYDOWN || e->type == SDL_MOUSEBUTTONDOWN || e->type == SDL_TEXTINPUT;
}

/* The child's progress; the screen closes by itself a while after the checks end. */
static void staff_check_update(struct app *app, uint64_t now)
{
    if (!app->staff)
        return;
    if (staff_check_read(app->staff))
        app->view.dirty = true;
    if (staff_check_done(app->staff) && !app->staff_done_ms)
        app->staff_done_ms = now;
    if (app->staff_done_ms && now - app->staff_done_ms >= STAFF_SCREEN_MS)
        staff_check_close(app);
}

/* The stop signal taken, 0 for none. Set from any thread (a signal goes to whichever does not
 * block it); the main loop sees it within INPUT_POLL_MS. */
static volatile sig_atomic_t stop_signal;

static void take_stop_signal(int sig)
{
    stop_signal = sig;
}

void app_catch_stop_signals(void)
{
    SDL_SetHint(SDL_HINT_NO_SIGNAL_HANDLERS, "1");
    /* SA_RESTART, as SDL's own handler had: the workers' reads and writes go on undisturbed. */
    struct sigaction action = {.sa_handler = take_stop_signal, .sa_flags = SA_RESTART}, old;
    sigemptyset(&action.sa_mask);
    const int signals[] = {SIGTERM, SIGINT, SIGHUP};
    for (size_t i = 0; i < sizeof(signals) / sizeof(signals[0]); i++) {
        /* A signal the parent ignores stays ignored (nohup, a background job's SIGINT). */
        if (sigaction(signals[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
            sigaction(signals[i], &action, NULL);
    }
}

/* Returns false when the user or the system asked us to stop. */
static bool handle_input(struct app *app)
{
    SDL_Event e;
    bool go_on = true;
    if (stop_signal) {
        LOG_INFO("stopping (%s)", strsignal(stop_signal));
        return false;
    }
    while (SDL_PollEvent(&e)) {
        if (e.type == SDL_QUIT ||
            (e.type == SDL_KEYDOWN && e.key.keysym.sym == SDLK_ESCAPE && !app->supervised))
            go_on = false;
        else if (staff_input(app, &e))
            continue;
        else if (e.type == SDL_WINDOWEVENT && e.window.event == SDL_WINDOWEVENT_EXPOSED)
            app->view.dirty = true;
        else if (e.type == SDL_MOUSEBUTTONDOWN && app->kiosk) /* touches arrive as clicks too */
            tap(app, e.button.x, e.button.y);
        else if (e.type == SDL_TEXTINPUT && app->kiosk)
            kiosk_role_text(app->kiosk, e.text.text, clock_mono_ms());
        else if (e.type == SDL_KEYDOWN && app->kiosk &&
                 (e.key.keysym.sym == SDLK_RETURN || e.key.keysym.sym == SDLK_KP_ENTER))
            kiosk_role_enter(app->kiosk, clock_mono_ms());
    }
    return go_on;
}

static int compare_floats(const void *a, const void *b)
{
    float x = *(const float *)a, y = *(const float *)b;
    return (x > y) - (x < y);
}

static void report_render_times(struct app *app)
{
    int n = app->nrender < RENDER_SAMPLES ? app->nrender : RENDER_SAMPLES;
    if (n == 0)
        return;
    qsort(app->render_ms, (size_t)n, sizeof(float), compare_floats);
    LOG_INFO("%d frames, render p50 %.2f ms, p99 %.2f ms, max %.2f ms", app->nrender,
             (double)app->render_ms[n / 2], (double)app->render_ms[(n * 99) / 100],
             (double)app->render_ms[n - 1]);
}

/* One script step per turn of the loop, so the effects of a tap are on screen (and drawn)
 * before the next step, a screenshot say, runs. Returns true when a step ran. */
static bool script_step(struct app *app, uint64_t now)
{
    struct script_step step;
    if (!app->script || !script_next(app->script, now, &step))
        return false;
    SDL_Event e = {.type = SDL_MOUSEBUTTONDOWN};
    if (step.op == SCRIPT_TAP) { /* canvas pixels, where the screen would report them */
        e.button.button = SDL_BUTTON_LEFT;
        display_to_output(app->display, step.x, step.y, &e.button.x, &e.button.y);
        SDL_PushEvent(&e);
    } else if (step.op == SCRIPT_TEXT) { /* as the keyboard driver sends it, in small pieces */
        e.type = SDL_TEXTINPUT;
        for (size_t i = 0; i < strlen(step.path); i += sizeof(e.text.text) - 1) {
            snprintf(e.text.text, sizeof(e.text.text), "%s", step.path + i);
            SDL_PushEvent(&e);
        }
    } else if (step.op == SCRIPT_ENTER) {
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = SDLK_RETURN;
        SDL_PushEvent(&e);
    } else if (step.op == SCRIPT_KEY) {
        e.type = SDL_KEYDOWN;
        e.key.keysym.sym = step.x;
        e.key.keysym.mod = (Uint16)step.y;
        SDL_PushEvent(&e);
    } else {
        redraw(app);
        screenshot(app, step.path);
    }
    return true;
}

/* Before view_apply replaces the model: the calls it does not hold yet are the news, and
 * neither an unchanged snapshot nor the one restored at start-up is announced. */
static void announce(struct app *app)
{
    if (app->audio && app->update.has_model)
        audio_apply(app->audio, &app->view.model, app->view.has_model, &app->update.model,
                    audio_local_minute(time(NULL)));
}

static int earliest(int a, int b)
{
    return a < 0 ? b : b < 0 ? a : a < b ? a : b;
}

static int until(uint64_t deadline, uint64_t now)
{
    return deadline > now ? (int)(deadline - now) : 0;
}

/* --test-stall-after: the render loop freezes as a deadlock would, still alive but making no
 * progress, so a test can see the watchdog pings stop. Only SIGKILL ends it. */
static void stall(void)
{
    LOG_WARN("stalling the main loop (--test-stall-after)");
    for (;;)
        pause();
}

static void loop(struct app *app)
{
    const struct app_options *o = &app->options;
    uint64_t start = clock_mono_ms();
    uint64_t exit_at = o->exit_after_ms >= 0 ? start + (uint64_t)o->exit_after_ms : 0;
    uint64_t every = (uint64_t)o->screenshot_every_s * 1000, next_shot = start + every;
    uint64_t stall_at = o->stall_after_ms >= 0 ? start + (uint64_t)o->stall_after_ms : 0;
    while (handle_input(app)) {
        uint64_t now = clock_mono_ms();
        if (stall_at && now >= stall_at)
            stall();
        watchdog_progress(app->watchdog, now);
        if (app->feed && feed_take(app->feed, &app->update)) {
            announce(app);
            view_apply(&app->view, &app->update, now, time(NULL));
            if (app->update.has_offpeak)
                view_offpeak(&app->view, &app->update.offpeak);
        }
        struct printer_state printer;
        if (app->printer && printer_worker_state(app->printer, &printer))
            view_printer(&app->view, &printer);
        view_tick(&app->view, now, time(NULL));
        if (app->kiosk) {
            kiosk_role_update(app->kiosk, app->printer, &app->view, now);
            if (kiosk_role_take_dirty(app->kiosk))
                app->view.dirty = true;
            struct kiosk_status status;
            kiosk_role_status(app->kiosk, &status);
            view_kiosk(&app->view, &status);
        }
        if (screen_codes_refresh(app->codes, time(NULL)))
            app->view.dirty = true;
        staff_check_update(app, now);
        redraw(app);
        if (app->view.status_dirty)
            write_status(app);
        if (every && now >= next_shot) {
            periodic_screenshot(app);
            next_shot = now + every;
        }
        bool stepped = script_step(app, now);
        if ((exit_at && now >= exit_at) ||
            (app->script && !stepped && script_done(app->script, now)))
            break;
        int timeout = earliest(view_timeout_ms(&app->view, now, time(NULL)), INPUT_POLL_MS);
        if (app->kiosk)
            timeout = earliest(timeout, kiosk_role_timeout_ms(app->kiosk, now));
        timeout = earliest(timeout, watchdog_timeout_ms(app->watchdog, now));
        if (exit_at)
            timeout = earliest(timeout, until(exit_at, now));
        if (every)
            timeout = earliest(timeout, until(next_shot, now));
        if (app->script)
            timeout = stepped ? 0 : earliest(timeout, script_timeout_ms(app->script, now));
        struct pollfd pfd[] = {{app->feed ? feed_fd(app->feed) : -1, POLLIN, 0},
                               {app->printer ? printer_worker_fd(app->printer) : -1, POLLIN, 0},
                               {app->kiosk ? kiosk_role_fd(app->kiosk) : -1, POLLIN, 0},
                               {app->staff ? staff_check_fd(app->staff) : -1, POLLIN, 0}};
        if (poll(pfd, 4, timeout) < 0 && errno != EINTR)
            LOG_ERR("poll: %s", strerror(errno));
    }
}

/* The backend thread, and the printer's when there is one. */
static bool start_workers(struct app *app)
{
    char *err = NULL;
    app->feed = feed_start(app->config, app->backend_ops, app->backend, app->store, &err);
    if (app->config->printer.device[0] && app->feed)
        app->printer = printer_worker_start(app->config, &err);
    if (!app->feed || (app->config->printer.device[0] && !app->printer)) {
        LOG_ERR("%s", err);
        free(err);
        return false;
    }
    app->health = health_start(app->config, app->options.version);
    report_health(app);
    return true;
}

int app_run(struct app *app)
{
    render(app);
    write_status(app);
    watchdog_ready(app->watchdog);
    LOG_INFO("first frame after %llu ms",
             (unsigned long long)(clock_mono_ms() - app->options.started_ms));
    /* The error screen has no backend: a wrong URL or token is among what it may be showing. */
    if (!app->options.config_error && !start_workers(app))
        return 1;
    if (app->options.exit_after_ms != 0)
        loop(app);
    if (app->options.screenshot)
        screenshot(app, app->options.screenshot);
    report_render_times(app);
    return 0;
}
