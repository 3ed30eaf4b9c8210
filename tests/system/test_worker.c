/* test_worker.c: the printer thread with real printers (a file, and tests/system/printer_sim.py on
 * 127.0.0.1): jobs print in order and are journalled before and after, a printer out of paper
 * is reported and its ticket kept as failed, the queue pushes back instead of overflowing,
 * and tickets still queued when the kiosk stops are journalled, not lost. A one-way printer's
 * state is unknown and its tickets print; paper that runs out during a ticket fails it. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "harness.h"
#include "printer/worker.h"
#include "store/store.h"

static char dir[64];
static struct config config;
static pid_t sim;

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-worker-XXXXXX");
    assert_non_null(mkdtemp(dir));
    config_defaults(&config);
    snprintf(config.storage.path, sizeof(config.storage.path), "%s/kiosk.db", dir);
    config.printer.timeout_ms = 500;
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    stop_process(&sim);
    return remove_tree(dir);
}

static struct ticket ticket(const char *number)
{
    struct ticket t = {.ahead = 1, .eta_min = 5, .issued_at = 1795000000};
    snprintf(t.number, sizeof(t.number), "%s", number);
    return t;
}

static struct bytes job_bytes(const char *text)
{
    struct bytes b = {0};
    bytes_append(&b, text, strlen(text));
    return b;
}

/* Waits up to 10 s for the worker's next result. */
static struct print_result wait_result(struct printer_worker *w)
{
    struct print_result r;
    for (int i = 0; i < 100; i++) {
        struct pollfd pfd = {printer_worker_fd(w), POLLIN, 0};
        poll(&pfd, 1, 100);
        if (printer_worker_result(w, &r))
            return r;
    }
    fail_msg("no print result after 10 s");
    return r;
}

/* Waits up to 15 s for the printer state to become fault. */
static void wait_state(struct printer_worker *w, enum printer_fault fault)
{
    struct printer_state s = {PRINTER_FAILED, ""};
    for (int i = 0; i < 150 && s.fault != fault; i++) {
        struct pollfd pfd = {printer_worker_fd(w), POLLIN, 0};
        poll(&pfd, 1, 100);
        printer_worker_state(w, &s);
    }
    if (s.fault != fault)
        fail_msg("printer state %s, expected %s", printer_fault_name(s.fault),
                 printer_fault_name(fault));
}

static int journal(struct ticket *rows, int max)
{
    char *err = NULL;
    struct store *store = store_open(config.storage.path, &err);
    assert_non_null(store);
    int n = store_ticket_list(store, rows, max, &err);
    store_close(store);
    return n;
}

static void test_jobs_print_in_order_and_are_journalled(void **state)
{
    (void)state;
    char out[128], *err = NULL;
    snprintf(out, sizeof(out), "%s/printed.bin", dir);
    snprintf(config.printer.device, sizeof(config.printer.device), "file:%s", out);
    struct printer_worker *w = printer_worker_start(&config, &err);
    assert_non_null(w);
    const char *numbers[] = {"A001", "A002", "A003"};
    for (int i = 0; i < 3; i++) {
        struct ticket t = ticket(numbers[i]);
        struct bytes b = job_bytes(numbers[i]);
        assert_true(printer_worker_submit(w, &t, &b));
        assert_null(b.data); /* the worker owns the bytes now */
    }
    for (int i = 0; i < 3; i++) {
        struct print_result r = wait_result(w);
        assert_string_equal(r.ticket.number, numbers[i]);
        assert_int_equal(r.fault, PRINTER_OK);
        assert_int_equal(r.ticket.state, TICKET_PRINTED);
        assert_true(r.ticket.id > 0);
    }
    printer_worker_stop(w);
    assert_string_equal(read_text(out), "A001A002A003");
    struct ticket rows[8];
    assert_int_equal(journal(rows, 8), 3);
    for (int i = 0; i < 3; i++) {
        assert_int_equal(rows[i].state, TICKET_PRINTED);
        assert_int_equal(rows[i].attempts, 1);
    }
}

static void test_paper_out_reported_and_ticket_kept(void **state)
{
    (void)state;
    char port_file[128], control_file[128], out[128], log[128], *err = NULL;
    snprintf(port_file, sizeof(port_file), "%s/port", dir);
    snprintf(control_file, sizeof(control_file), "%s/control", dir);
    snprintf(out, sizeof(out), "%s/printed.bin", dir);
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    const char *argv[] = {"tests/system/printer_sim.py",
                          "--port-file",
                          port_file,
                          "--out",
                          out,
                          "--status",
                          "paper_out",
                          "--control-port-file",
                          control_file,
                          NULL};
    sim = spawn(argv, log);
    snprintf(config.printer.device, sizeof(config.printer.device), "tcp:127.0.0.1:%d",
             wait_port_file(port_file));
    int control = wait_port_file(control_file);
    struct printer_worker *w = printer_worker_start(&config, &err);
    wait_state(w, PRINTER_PAPER_OUT);
    struct ticket t = ticket("A010");
    struct bytes b = job_bytes("A010");
    assert_true(printer_worker_submit(w, &t, &b));
    struct print_result r = wait_result(w);
    assert_int_equal(r.fault, PRINTER_PAPER_OUT);
    assert_int_equal(r.ticket.state, TICKET_FAILED);
    assert_non_null(strstr(r.ticket.error, "paper_out"));
    cJSON_Delete(http_json(control, "/status", "ok"));
    wait_state(w, PRINTER_OK); /* the next check finds paper again */
    printer_worker_stop(w);
    struct ticket rows[4];
    assert_int_equal(journal(rows, 4), 1);
    assert_int_equal(rows[0].state, TICKET_FAILED);
    assert_string_equal(read_text(out), ""); /* nothing sent to a printer without paper */
}

static void test_queue_pushes_back_and_stop_keeps_queued_tickets(void **state)
{
    (void)state;
    char *err = NULL;
    /* A printer that never answers, where that is a fault: every job takes the whole timeout. */
    config.printer.status = PRINTER_STATUS_ASK;
    char port_file[128], out[128], log[128];
    snprintf(port_file, sizeof(port_file), "%s/port", dir);
    snprintf(out, sizeof(out), "%s/printed.bin", dir);
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    const char *argv[] = {"tests/system/printer_sim.py",
                          "--port-file",
                          port_file,
                          "--out",
                          out,
                          "--status",
                          "silent",
                          NULL};
    sim = spawn(argv, log);
    snprintf(config.printer.device, sizeof(config.printer.device), "tcp:127.0.0.1:%d",
             wait_port_file(port_file));
    struct printer_worker *w = printer_worker_start(&config, &err);
    int accepted = 0;
    for (int i = 0; i < WORKER_QUEUE + 2; i++) {
        char number[8];
        snprintf(number, sizeof(number), "B%03d", i);
        struct ticket t = ticket(number);
        struct bytes b = job_bytes(number);
        if (printer_worker_submit(w, &t, &b))
            accepted++;
        else
            bytes_free(&b); /* refused: still the caller's */
    }
    assert_int_equal(accepted, WORKER_QUEUE);
    printer_worker_stop(w);
    struct ticket rows[WORKER_QUEUE + 2];
    int n = journal(rows, WORKER_QUEUE + 2);
    assert_int_equal(n, WORKER_QUEUE); /* every accepted ticket is in the journal */
    int stopping = 0;
    for (int i = 0; i < n; i++) {
        assert_int_equal(rows[i].state, TICKET_FAILED);
        stopping += strstr(rows[i].error, "stopping") != NULL;
    }
    assert_true(stopping >= WORKER_QUEUE - 2);
}

/* Starts printer_sim.py in mode for config's printer; returns its control port. */
static int start_sim(const char *mode)
{
    char port_file[128], control_file[128], out[128], log[128];
    snprintf(port_file, sizeof(port_file), "%s/port", dir);
    snprintf(control_file, sizeof(control_file), "%s/control", dir);
    snprintf(out, sizeof(out), "%s/printed.bin", dir);
    snprintf(log, sizeof(log), "%s/sim.log", dir);
    remove(port_file); /* from the printer before */
    remove(control_file);
    const char *argv[] = {
        "tests/system/printer_sim.py", "--port-file", port_file, "--out", out, "--status", mode,
        "--control-port-file",         control_file,  NULL};
    sim = spawn(argv, log);
    snprintf(config.printer.device, sizeof(config.printer.device), "tcp:127.0.0.1:%d",
             wait_port_file(port_file));
    return wait_port_file(control_file);
}

/* status = auto: a printer silent from the start is one-way: its state is unknown, not a
 * fault, and its tickets print; one that has answered and falls silent is a fault. */
static void test_one_way_unknown_but_silence_after_answers_is_a_fault(void **state)
{
    (void)state;
    char *err = NULL;
    start_sim("sink");
    struct printer_worker *w = printer_worker_start(&config, &err);
    wait_state(w, PRINTER_UNKNOWN);
    struct ticket t = ticket("C001");
    struct bytes b = job_bytes("C001");
    assert_true(printer_worker_submit(w, &t, &b));
    struct print_result r = wait_result(w);
    assert_int_equal(r.fault, PRINTER_UNKNOWN);
    assert_int_equal(r.ticket.state, TICKET_PRINTED);
    printer_worker_stop(w);
    stop_process(&sim);

    int control = start_sim("ok");
    w = printer_worker_start(&config, &err);
    wait_state(w, PRINTER_OK);
    cJSON_Delete(http_json(control, "/status", "silent"));
    wait_state(w, PRINTER_NO_ANSWER);
    printer_worker_stop(w);
}

/* Paper that runs out while the ticket prints: the printer took every byte, but the status
 * asked after the job says it did not print. */
static void test_paper_out_during_the_job_is_not_printed(void **state)
{
    (void)state;
    char *err = NULL;
    start_sim("runs_out");
    struct printer_worker *w = printer_worker_start(&config, &err);
    wait_state(w, PRINTER_OK);
    struct ticket t = ticket("D001");
    struct bytes b = job_bytes("\x1b@D001\x1dV\x01");
    assert_true(printer_worker_submit(w, &t, &b));
    struct print_result r = wait_result(w);
    assert_int_equal(r.fault, PRINTER_PAPER_OUT);
    assert_int_equal(r.ticket.state, TICKET_FAILED);
    printer_worker_stop(w);
    struct ticket rows[2];
    assert_int_equal(journal(rows, 2), 1);
    assert_int_equal(rows[0].state, TICKET_FAILED);
    assert_non_null(strstr(rows[0].error, "paper_out"));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_jobs_print_in_order_and_are_journalled, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_reported_and_ticket_kept, setup, teardown),
        cmocka_unit_test_setup_teardown(test_queue_pushes_back_and_stop_keeps_queued_tickets, setup,
                                        teardown),
        cmocka_unit_test_setup_teardown(test_one_way_unknown_but_silence_after_answers_is_a_fault,
                                        setup, teardown),
        cmocka_unit_test_setup_teardown(test_paper_out_during_the_job_is_not_printed, setup,
                                        teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
