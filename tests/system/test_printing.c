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
static pid_t sim;

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

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_print_test_to_a_file, setup, teardown),
        cmocka_unit_test_setup_teardown(test_print_test_to_a_network_printer, setup, teardown),
        cmocka_unit_test_setup_teardown(test_preview_png, setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_is_shown_journalled_and_reprinted, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
