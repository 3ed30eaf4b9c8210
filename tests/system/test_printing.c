/* test_printing.c: the real kiosk binary printing, as staff use it: print-test to a file and
 * to a network printer (tests/system/printer_sim.py on 127.0.0.1), the bytes decoded back and the
 * QR code scanned and verified; a printer out of paper shown on screen, journalled, and the ticket
 * printed again once paper is back. */
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

static const char *kiosk_bin;
static char dir[64], ini[128], err_path[128], out_path[128];
static pid_t sim, backend;
static int backend_port;

static void path_in(char *out, size_t size, const char *name)
{
    snprintf(out, size, "%s/%s", dir, name);
}

/* Runs the kiosk with args (NULL-terminated); its exit status. */
static int run_kiosk(const char *const *args)
{
    return run_program(kiosk_bin, args, out_path, err_path);
}

/* A kiosk.ini for device (the [printer] device string). */
static void write_config(const char *device)
{
    char key[128], text[2048];
    path_in(key, sizeof(key), "site.key");
    write_text(key, "0123456789abcdef0123456789abcdef");
    chmod(key, 0600);
    snprintf(text, sizeof(text),
             "[device]\nid = entrance-1\nrole = kiosk\nwidth = 1080\nheight = 1920\n"
             "orientation = portrait\n"
             "[display]\nhospital_zh = 市人民医院\nhospital_en = City Hospital\n"
             "[backend]\nspeed = 0\n"
             "[storage]\npath = %s/kiosk.db\n"
             "[qr]\nkey_file = site.key\nsurvey_url = https://s.example/r/{token}\n"
             "[printer]\ndevice = %s\npaper_mm = 58\ntimeout_ms = 1000\n",
             dir, device);
    write_text(ini, text);
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
static void check_printed(const char *bytes_path)
{
    size_t len;
    unsigned char *data = read_bytes(bytes_path, &len);
    struct decoded d;
    escpos_read(data, len, &d);
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
             backend_port, dir, device);
    write_text(ini, text);
}

static int backend_tickets(void)
{
    cJSON *st = http_json(backend_port, "/admin/state", NULL);
    cJSON *n = cJSON_GetObjectItem(cJSON_GetObjectItem(st, "requests"), "tickets_201");
    int tickets = n ? n->valueint : 0;
    cJSON_Delete(st);
    return tickets;
}

static SDL_Color pixel_at(const char *png, int x, int y)
{
    SDL_Surface *s = png_load(png);
    SDL_Color c = png_pixel(s, x, y);
    SDL_FreeSurface(s);
    return c;
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
    backend = start_backend_sim(dir, &backend_port);
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
    assert_true(colour_near(pixel_at(shots[0], tx, ty - 40), PAUSED)); /* not "take a ticket" */
    assert_true(colour_near(pixel_at(shots[0], 4, 1910), RED));
    assert_true(colour_near(pixel_at(shots[1], 4, 1910), RED));
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
    backend = start_backend_sim(dir, &backend_port);
    cJSON_Delete(http_json(backend_port, "/admin/mode",
                           "{\"mode\": \"normal\", \"action_delay_ms\": 1500}"));
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
    assert_false(colour_near(pixel_at(shot, 4, 1910), RED)); /* one instruction, not two */
    const char *list[] = {"ticket", "--list", "--config", ini, NULL};
    assert_int_equal(run_kiosk(list), 0);
    if (!strstr(read_text(out_path), "failed"))
        fail_msg("%s\n%s", read_text(out_path), read_text(log));
    keep_screenshot(shot, "kiosk-portrait-not-printed.png");
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_print_test_to_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_test_to_a_network_printer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preview_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_is_shown_journalled_and_reprinted, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_out_of_paper_no_ticket_is_asked_for, setup, teardown),
        cmocka_unit_test_setup_teardown(test_ticket_issued_just_before_paper_out, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
