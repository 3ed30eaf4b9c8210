/* test_printing.c: the real kiosk binary printing, as staff use it: print-test to a file and
 * to a network printer (tests/system/printer_sim.py on 127.0.0.1), the bytes decoded back and the
 * QR code scanned and verified; a printer out of paper shown on screen, journalled, and the ticket
 * printed again once paper is back. Then the printers of issue 18: a one-way print server that
 * never answers status prints; a printer that hangs up, stops reading, runs out of paper during
 * the ticket, or is still taking it when the kiosk stops, never has its ticket called printed. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <SDL2/SDL_image.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness_screen.h"
#include "render/kiosk_layout.h"

static const char *kiosk_bin;
static char dir[64], ini[128], err_path[128], out_path[128];
static pid_t sim, backend, kiosk_pid; /* stopped by teardown, even after a failed assertion */
static int sim_port;                  /* backend-sim's, for the kiosk role's tests */

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Runs the kiosk with args (NULL-terminated); its exit status. */
static int run_kiosk(const char *const *args)
{
    return run_program(kiosk_bin, args, out_path, err_path);
}

/* A kiosk.ini for device (the [printer] device string) and more [printer] lines, on
 * scripts/backend-sim at backend_port (0: the demo backend). */
static void write_config_for(const char *device, const char *printer_extra, int backend_port)
{
    char backend[128] = "speed = 0\n";
    if (backend_port)
        snprintf(backend, sizeof(backend), "type = http\nurl = http://127.0.0.1:%d\n",
                 backend_port);
    char key[128], text[2048];
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\nwidth = 1080\nheight = 1920\n"
             "orientation = portrait\n"
             "[display]\nhospital_zh = 市人民医院\nhospital_en = City Hospital\n"
             "[backend]\n%s"
             "[storage]\npath = %s/kiosk.db\n"
             "[qr]\nkey_file = site.key\nsurvey_url = https://s.example/r/{token}\n"
             "[printer]\ndevice = %s\npaper_mm = 58\n%s",
             backend, dir, device, printer_extra);
    write_text(ini, text);
}

/* timeout_ms = 1000 and printer_extra. */
static void write_config_with(const char *device, const char *printer_extra)
{
    char lines[256];
    snprintf(lines, sizeof(lines), "timeout_ms = 1000\n%s", printer_extra);
    write_config_for(device, lines, 0);
}

static void write_config(const char *device)
{
    write_config_with(device, "");
}

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-print-XXXXXX");
    assert_non_null(mkdtemp(dir));
    path_in(ini, sizeof(ini), "kiosk.ini");
    path_in(err_path, sizeof(err_path), "stderr.txt");
    path_in(out_path, sizeof(out_path), "stdout.txt");
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    stop_process(&backend);
    stop_process(&kiosk_pid);
    return remove_tree(dir);
}

/* Starts the fake network printer with status; returns its control port. */
static int start_printer(const char *status, char *device, size_t size, char *bytes_path)
{
    char port_file[128], control_file[128], log[128];
    path_in(port_file, sizeof(port_file), "printer.port");
    path_in(control_file, sizeof(control_file), "printer.control");
    path_in(log, sizeof(log), "printer.log");
    path_in(bytes_path, 128, "printer.bin");
    remove(port_file); /* a test may start one printer after another */
    remove(control_file);
    remove(bytes_path);
    const char *argv[] = {"tests/system/printer_sim.py",
                          "--port-file",
                          port_file,
                          "--out",
                          bytes_path,
                          "--status",
                          status,
                          "--control-port-file",
                          control_file,
                          NULL};
    sim = spawn(argv, log);
    snprintf(device, size, "tcp:127.0.0.1:%d", wait_port_file(port_file));
    return wait_port_file(control_file);
}

/* The bytes print-test sent: a calibration strip, then a ticket whose code scans and
 * verifies under the site key. */
static void check_printed_from(const char *bytes_path, size_t skip)
{
    size_t len;
    unsigned char *data = read_bytes(bytes_path, &len);
    struct decoded d;
    assert_true(len > skip);
    escpos_read(data + skip, len - skip, &d);
    free(data);
    assert_int_equal(d.npages, 2);
    assert_int_equal(d.pages[0].width, 384);
    assert_int_equal(d.pages[1].width, 384);
    assert_true(d.pages[1].max_band <= 256);
    char pbm[128], url[512];
    path_in(pbm, sizeof(pbm), "ticket.pbm");
    page_write_pbm(&d.pages[1], pbm);
    snprintf(url, sizeof(url), "%s", zbar_decode(pbm));
    escpos_read_free(&d);
    assert_non_null(strstr(url, "https://s.example/r/"));
    const char *verify[] = {"token", "verify", "--config", ini, url, NULL};
    assert_int_equal(run_kiosk(verify), 0);
    assert_non_null(strstr(read_text(out_path), "ticket   A023"));
}

static void check_printed(const char *bytes_path)
{
    check_printed_from(bytes_path, 0);
}

static void test_print_test_to_a_file(void **state)
{
    (void)state;
    char bytes_path[128], device[160];
    path_in(bytes_path, sizeof(bytes_path), "tickets.bin");
    snprintf(device, sizeof(device), "file:%s", bytes_path);
    write_config(device);
    const char *args[] = {"print-test", "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 0);
    assert_non_null(strstr(read_text(out_path), "printed A023"));
    check_printed(bytes_path);
}

static void test_print_test_to_a_network_printer(void **state)
{
    (void)state;
    char bytes_path[128], device[160];
    start_printer("ok", device, sizeof(device), bytes_path);
    write_config(device);
    const char *args[] = {"print-test", "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 0);
    stop_process(&sim); /* flushes what it received */
    check_printed(bytes_path);
    const char *list[] = {"ticket", "--list", "--config", ini, NULL};
    assert_int_equal(run_kiosk(list), 0);
    assert_non_null(strstr(read_text(out_path), "A023     printed  1"));
}

static void test_preview_png(void **state)
{
    (void)state;
    char png[128];
    path_in(png, sizeof(png), "preview.png");
    write_config("file:/dev/null");
    const char *args[] = {"ticket", "--preview", png, "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 0);
    SDL_Surface *s = IMG_Load(png);
    assert_non_null(s);
    assert_int_equal(s->w, 384);
    SDL_FreeSurface(s);
    assert_non_null(strstr(zbar_decode(png), "https://s.example/r/"));
}

/* Polls the status file until printer.state is state (15 s at most). */
static void wait_printer_state(const char *status, const char *state)
{
    char wanted[64];
    snprintf(wanted, sizeof(wanted), "\"state\":\t\"%s\"", state);
    for (int i = 0; i < 150; i++, sleep_ms(100)) {
        const char *text = read_text(status);
        const char *printer = text ? strstr(text, "\"printer\"") : NULL;
        if (printer && strstr(printer, wanted))
            return;
    }
    fail_msg("printer state never became %s:\n%s", state, read_text(status));
}

static void test_paper_out_is_shown_journalled_and_reprinted(void **state)
{
    (void)state;
    char bytes_path[128], device[160], status[128], png[128], log[128], body[64];
    int control = start_printer("paper_out", device, sizeof(device), bytes_path);
    write_config(device);
    const char *args[] = {"print-test", "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 1);
    assert_non_null(strstr(read_text(err_path), "paper_out"));
    const char *list[] = {"ticket", "--list", "--config", ini, NULL};
    assert_int_equal(run_kiosk(list), 0);
    assert_non_null(strstr(read_text(out_path), "A023     failed   1"));

    /* The kiosk tells patients, in plain words, on the red bar at the bottom. */
    path_in(status, sizeof(status), "status.json");
    path_in(png, sizeof(png), "screen.png");
    path_in(log, sizeof(log), "kiosk.log");
    const char *shot[] = {
        "--headless",   "--config", ini, "--status-file", status, "--exit-after", "2",
        "--screenshot", png,        NULL};
    assert_int_equal(run_kiosk(shot), 0);
    assert_non_null(strstr(read_text(status), "paper_out"));
    SDL_Surface *s = IMG_Load(png);
    assert_non_null(s);
    SDL_Surface *argb = SDL_ConvertSurfaceFormat(s, SDL_PIXELFORMAT_ARGB8888, 0);
    Uint32 bar = ((Uint32 *)argb->pixels)[(argb->h - 10) * (argb->pitch / 4) + 4];
    assert_int_equal(bar & 0xFFFFFF, 0xc0392b); /* the emergency red of the design */
    SDL_FreeSurface(argb);
    SDL_FreeSurface(s);
    keep_screenshot(png, "printer-paper-out.png");

    /* A running kiosk stays up and clears the message by itself once paper is back. */
    const char *kiosk[] = {kiosk_bin, "--headless", "--config", ini, "--status-file", status, NULL};
    pid_t pid = spawn(kiosk, log);
    wait_printer_state(status, "paper_out");
    assert_non_null(strstr(read_text(status), "paper_out"));
    snprintf(body, sizeof(body), "ok");
    cJSON_Delete(http_json(control, "/status", body));
    wait_printer_state(status, "ok"); /* recovers by itself */
    assert_true(process_alive(pid));
    stop_process(&pid);

    const char *reprint[] = {"ticket", "--reprint", "A023", "--config", ini, NULL};
    assert_int_equal(run_kiosk(reprint), 0);
    assert_int_equal(run_kiosk(list), 0);
    assert_non_null(strstr(read_text(out_path), "A023     printed  2"));
}

/* The journal's newest line for a ticket, from `kiosk ticket --list` (the SQLite store, as
 * staff read it); "" when it is not there. */
static const char *journal_line(const char *number)
{
    static char line[512];
    const char *list[] = {"ticket", "--list", "--config", ini, NULL};
    assert_int_equal(run_kiosk(list), 0);
    const char *text = read_text(out_path), *at = strstr(text, number);
    line[0] = 0;
    if (at) {
        while (at > text && at[-1] != '\n')
            at--;
        snprintf(line, sizeof(line), "%.*s", (int)strcspn(at, "\n"), at);
    }
    return line;
}

/* A raw port-9100 print server that never answers DLE EOT: asked once, then treated as
 * one-way, so the ticket prints and its state is "unknown", not a fault. */
static void test_one_way_printer_prints(void **state)
{
    (void)state;
    char bytes_path[128], device[160];
    start_printer("sink", device, sizeof(device), bytes_path);
    write_config(device); /* status = auto, the default */
    const char *args[] = {"print-test", "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 0);
    assert_non_null(strstr(read_text(out_path), "printed A023"));
    assert_non_null(strstr(read_text(out_path), "status unknown"));
    stop_process(&sim);
    size_t len;
    unsigned char *data = read_bytes(bytes_path, &len);
    const unsigned char asked[] = {0x10, 0x04, 0x01}, cut[] = {0x1b, 'd', 4, 0x1d, 'V', 1};
    assert_true(len > 100);
    assert_memory_equal(data, asked, sizeof(asked)); /* asked once, not three times */
    assert_memory_equal(data + len - sizeof(cut), cut, sizeof(cut)); /* to the last byte */
    free(data);
    check_printed_from(bytes_path, sizeof(asked));
    assert_non_null(strstr(journal_line("A023"), "printed  1"));

    /* status = none never asks: the sink holds the job alone. */
    start_printer("sink", device, sizeof(device), bytes_path);
    write_config_with(device, "status = none\n");
    assert_int_equal(run_kiosk(args), 0);
    assert_non_null(strstr(read_text(out_path), "status unknown"));
    stop_process(&sim);
    check_printed(bytes_path);

    /* status = ask is the old rule: a printer that does not answer is a fault. */
    start_printer("sink", device, sizeof(device), bytes_path);
    write_config_with(device, "status = ask\n");
    assert_int_equal(run_kiosk(args), 1);
    assert_non_null(strstr(read_text(err_path), "waiting for status timed out after 1000 ms"));
}

/* print-test against a printer that does not take the whole job: exit 1, the reason, and
 * the journal says failed. */
static void not_taken(const char *mode, const char *reason)
{
    char bytes_path[128], device[160];
    start_printer(mode, device, sizeof(device), bytes_path);
    write_config(device);
    const char *args[] = {"print-test", "--config", ini, NULL};
    assert_int_equal(run_kiosk(args), 1);
    if (!strstr(read_text(err_path), reason))
        fail_msg("%s: expected \"%s\" in: %s", mode, reason, read_text(err_path));
    const char *line = journal_line("A023");
    if (!strstr(line, "failed   1") || !strstr(line, reason))
        fail_msg("%s: journal says: %s", mode, line);
    stop_process(&sim);
}

static void test_print_test_not_taken_is_not_printed(void **state)
{
    (void)state;
    not_taken("hangs_up", "not taken");
    not_taken("stalls", "took no more of the job for 1000 ms");
    not_taken("runs_out", "paper_out");
}

/* The words on the ticket screen's state line, by colour: red "Not printed", green "Please
 * take your ticket" (green "Printing..." too, but that one has gone by then). */
static bool state_line_red(const char *png)
{
    struct config config;
    struct ui ui;
    struct kiosk_layout l;
    char *err = NULL;
    if (!config_read(&config, ini, &err))
        fail_msg("%s", err);
    ui_init(&ui, &config, 0);
    ui.screen = UI_TICKET;
    kiosk_layout_compute(&l, 1080, 1920, &ui);
    struct box b = l.card_lines[4].box;
    SDL_Surface *s = png_load(png);
    int red = 0, green = 0;
    for (int y = b.y; y < b.y + b.h; y++)
        for (int x = b.x; x < b.x + b.w; x++) {
            SDL_Color c = png_pixel(s, x, y);
            red += colour_near(c, (SDL_Color){0xc0, 0x39, 0x2b, 255});
            green += colour_near(c, (SDL_Color){0x0e, 0x7c, 0x66, 255});
        }
    SDL_FreeSurface(s);
    if ((red > 0) == (green > 0))
        fail_msg("%s: %d red and %d green pixels on the state line", png, red, green);
    return red > 0;
}

/* The kiosk role against scripts/backend-sim and the printer in mode: a patient takes a
 * ticket; returns the screenshot taken 4 s after the tap, and fills number and the printer's
 * state from the status file. */
static void take_ticket(int backend_port, const char *mode, char *png, char *number, size_t size,
                        char *printer_state)
{
    char script[128], text[512], status[128], bytes_path[128], device[160];
    int tx, ty, dx, dy;
    start_printer(mode, device, sizeof(device), bytes_path);
    write_config_for(device, "timeout_ms = 1000\n", backend_port);
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    kiosk_button_centre(ini, 1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, -1, &dx, &dy);
    path_in(png, 128, mode);
    strcat(png, ".png");
    path_in(status, sizeof(status), "status.json");
    path_in(script, sizeof(script), "take.txt");
    snprintf(text, sizeof(text),
             "wait 500\ntap %d %d\nwait 300\ntap %d %d\nwait 4000\nscreenshot %s\n", tx, ty, dx, dy,
             png);
    write_text(script, text);
    const char *args[] = {"--headless", "--config",      ini,    "--script",
                          script,       "--status-file", status, NULL};
    assert_int_equal(run_kiosk(args), 0);
    cJSON *st = cJSON_Parse(read_text(status));
    snprintf(number, size, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(st, "kiosk"), "ticket")->valuestring);
    snprintf(printer_state, 32, "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(st, "printer"), "state")->valuestring);
    cJSON_Delete(st);
    assert_true(number[0] != 0);
    stop_process(&sim);
}

/* The colour at the bottom of the screen, where a printer fault turns the bar red. */
static Uint32 bottom_bar(const char *png)
{
    SDL_Surface *s = png_load(png);
    SDL_Color c = png_pixel(s, 4, s->h - 10);
    SDL_FreeSurface(s);
    return (Uint32)c.r << 16 | (Uint32)c.g << 8 | c.b;
}

/* What the patient sees and what the journal says, for each printer: only a ticket the
 * printer took whole says "please take your ticket" and is journalled printed. A one-way
 * printer's unknown state is no news for the patient: no red bar. */
static void test_patient_told_the_truth(void **state)
{
    (void)state;
    int port;
    backend = start_backend_sim(dir, &port);
    struct {
        const char *mode;
        bool printed;
    } cases[] = {{"sink", true}, {"hangs_up", false}, {"stalls", false}, {"runs_out", false}};
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char png[128], number[32], printer_state[32];
        take_ticket(port, cases[i].mode, png, number, sizeof(number), printer_state);
        bool red = state_line_red(png);
        if (strcmp(cases[i].mode, "sink") == 0) {
            assert_string_equal(printer_state, "unknown");
            assert_int_not_equal(bottom_bar(png), 0xc0392b);
        }
        const char *line = journal_line(number);
        if (red == cases[i].printed || !strstr(line, cases[i].printed ? "printed" : "failed"))
            fail_msg("%s: the screen says %s, the journal: %s", cases[i].mode,
                     red ? "not printed" : "take your ticket", line);
    }
}

/* SIGTERM while a 1 byte/s printer is taking the ticket: the kiosk stops within its stop
 * deadline and journals the ticket as not printed, never as printed. */
static void test_stop_mid_print_is_not_printed(void **state)
{
    (void)state;
    int port, tx, ty, dx, dy;
    char bytes_path[128], device[160], script[128], text[256], log[128], status[128];
    backend = start_backend_sim(dir, &port);
    start_printer("slow", device, sizeof(device), bytes_path);
    write_config_for(device, "timeout_ms = 20000\n", port);
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    kiosk_button_centre(ini, 1080, 1920, UI_DEPARTMENTS, false, UI_TARGET_DEPARTMENT, -1, &dx, &dy);
    path_in(script, sizeof(script), "take.txt");
    snprintf(text, sizeof(text), "wait 500\ntap %d %d\nwait 300\ntap %d %d\nwait 60000\n", tx, ty,
             dx, dy);
    write_text(script, text);
    path_in(log, sizeof(log), "kiosk.log");
    path_in(status, sizeof(status), "status.json");
    const char *argv[] = {kiosk_bin, "--headless",    "--config", ini, "--script",
                          script,    "--status-file", status,     NULL};
    kiosk_pid = spawn(argv, log);
    size_t len = 0;
    for (int i = 0; i < 200 && len < 2; i++, sleep_ms(100)) /* the printer has begun */
        free(read_bytes(bytes_path, &len));
    assert_true(len >= 2);
    kill(kiosk_pid, SIGTERM);
    int exit_status = -1;
    for (int i = 0; i < 300 && waitpid(kiosk_pid, &exit_status, WNOHANG) == 0; i++)
        sleep_ms(100);
    if (!WIFEXITED(exit_status))
        fail_msg("the kiosk did not stop within 30 s of SIGTERM");
    kiosk_pid = 0;
    assert_int_equal(WEXITSTATUS(exit_status), 0); /* an orderly stop */
    cJSON *st = cJSON_Parse(read_text(status));
    char number[32];
    snprintf(number, sizeof(number), "%s",
             cJSON_GetObjectItem(cJSON_GetObjectItem(st, "kiosk"), "ticket")->valuestring);
    cJSON_Delete(st);
    const char *line = journal_line(number);
    if (!strstr(line, "failed") || !strstr(line, "stopping"))
        fail_msg("journal after a stop mid-print: %s", line);
}

/* A kiosk with one department, backend-sim behind it and the network printer at device. */
static void write_kiosk_config(const char *device)
{
    char key[128], text[2048];
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\nwidth = 1080\nheight = 1920\n"
             "orientation = portrait\nlanguage = zh+en\n"
             "[display]\nhospital_zh = 市人民医院\nhospital_en = City Hospital\n"
             "[backend]\ntype = http\nurl = http://127.0.0.1:%d\ntimeout_ms = 5000\n"
             "[kiosk]\ndepartments = 内科|Internal Medicine\n"
             "[storage]\npath = %s/kiosk.db\n"
             "[qr]\nkey_file = site.key\nsurvey_url = https://s.example/r/{token}\n"
             "[printer]\ndevice = %s\npaper_mm = 58\ntimeout_ms = 1000\n",
             sim_port, dir, device);
    write_text(ini, text);
}

static int backend_tickets(void)
{
    cJSON *st = http_json(sim_port, "/admin/state", NULL);
    cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "requests"), "tickets_201");
    int tickets = n ? n->valueint : 0;
    cJSON_Delete(st);
    return tickets;
}

static const SDL_Color RED = {0xc0, 0x39, 0x2b, 255}, PAUSED = {0x5f, 0x6b, 0x7a, 255};

/* Out of paper before anyone taps: the home screen says there are no tickets here (the
 * button greyed and worded so, the red bar sending patients to the desk), and "take a
 * ticket" asks the backend for nothing. */
static void test_out_of_paper_no_ticket_is_asked_for(void **state)
{
    (void)state;
    char device[160], bytes_path[128], script[128], text[512], shots[2][128], status[128];
    int tx, ty;
    start_printer("paper_out", device, sizeof(device), bytes_path);
    backend = start_backend_sim(dir, &sim_port);
    write_kiosk_config(device);
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    path_in(shots[0], sizeof(shots[0]), "home.png");
    path_in(shots[1], sizeof(shots[1]), "paused.png");
    path_in(script, sizeof(script), "flow.txt");
    path_in(status, sizeof(status), "status.json");
    snprintf(text, sizeof(text), "wait 3000\nscreenshot %s\ntap %d %d\nwait 500\nscreenshot %s\n",
             shots[0], tx, ty, shots[1]);
    write_text(script, text);
    const char *args[] = {"--headless", "--config",      ini,    "--script",
                          script,       "--status-file", status, NULL};
    assert_int_equal(run_kiosk(args), 0);
    assert_int_equal(backend_tickets(), 0);
    assert_non_null(strstr(read_text(status), "\"screen\":\t\"unavailable\""));
    assert_true(colour_near(png_pixel_of(shots[0], tx, ty - 40), PAUSED)); /* not "take a ticket" */
    assert_true(colour_near(png_pixel_of(shots[0], 4, 1910), RED));
    assert_true(colour_near(png_pixel_of(shots[1], 4, 1910), RED));
    keep_screenshot(shots[0], "kiosk-portrait-paper-out-home.png");
    keep_screenshot(shots[1], "kiosk-portrait-paper-out.png");
}

/* The paper runs out while the backend is issuing: the number is in the queue, so the screen
 * keeps it large with one instruction (write it down), no red bar sends the patient to the
 * desk, and the journal says the ticket was not printed. */
static void test_ticket_issued_just_before_paper_out(void **state)
{
    (void)state;
    char device[160], bytes_path[128], script[128], text[512], shot[128], status[128], log[128];
    int tx, ty;
    int control = start_printer("ok", device, sizeof(device), bytes_path);
    backend = start_backend_sim(dir, &sim_port);
    cJSON_Delete(
        http_json(sim_port, "/admin/mode", "{\"mode\": \"normal\", \"action_delay_ms\": 1500}"));
    write_kiosk_config(device);
    kiosk_button_centre(ini, 1080, 1920, UI_HOME, false, UI_TARGET_TAKE_TICKET, -1, &tx, &ty);
    path_in(shot, sizeof(shot), "ticket.png");
    path_in(script, sizeof(script), "flow.txt");
    path_in(status, sizeof(status), "status.json");
    path_in(log, sizeof(log), "kiosk.log");
    snprintf(text, sizeof(text), "wait 2500\ntap %d %d\nwait 8000\nscreenshot %s\nwait 200\n", tx,
             ty, shot);
    write_text(script, text);
    const char *kiosk[] = {kiosk_bin, "--headless",    "--config", ini, "--script",
                           script,    "--status-file", status,     NULL};
    pid_t pid = spawn(kiosk, log);
    bool issuing = false;
    for (int i = 0; i < 200 && !issuing; i++, sleep_ms(50)) {
        const char *st = read_text(status);
        issuing = st && strstr(st, "\"screen\":\t\"issuing\"");
    }
    assert_true(issuing);
    cJSON_Delete(http_json(control, "/status", "paper_out"));
    int exit_status = -1;
    for (int i = 0; i < 400 && waitpid(pid, &exit_status, WNOHANG) != pid; i++)
        sleep_ms(50);
    assert_true(WIFEXITED(exit_status) && WEXITSTATUS(exit_status) == 0);
    assert_int_equal(backend_tickets(), 1);
    assert_non_null(strstr(read_text(status), "\"screen\":\t\"ticket\""));
    assert_false(colour_near(png_pixel_of(shot, 4, 1910), RED)); /* one instruction, not two */
    const char *list[] = {"ticket", "--list", "--config", ini, NULL};
    assert_int_equal(run_kiosk(list), 0);
    if (!strstr(read_text(out_path), "failed"))
        fail_msg("%s\n%s", read_text(out_path), read_text(log));
    keep_screenshot(shot, "kiosk-portrait-not-printed.png");
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    if (getenv("PRINTING_ONLY")) /* one test by name, while working on it */
        cmocka_set_test_filter(getenv("PRINTING_ONLY"));
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_print_test_to_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_test_to_a_network_printer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preview_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_is_shown_journalled_and_reprinted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_way_printer_prints, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_test_not_taken_is_not_printed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_patient_told_the_truth, setup, teardown),
        cmocka_unit_test_setup_teardown(test_stop_mid_print_is_not_printed, setup, teardown),
        cmocka_unit_test_setup_teardown(test_out_of_paper_no_ticket_is_asked_for, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ticket_issued_just_before_paper_out, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
