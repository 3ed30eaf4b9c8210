/* test_health.c: the health figures as text (the heartbeat's JSON, the Prometheus textfile
 * format line by line, the thermal zone reading), then the real kiosk against backend-sim:
 * its heartbeat arrives (backend-sim's /admin/state keeps it) and its .prom file is there. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "harness.h"
#include "ops/health.h"

static const char *kiosk_bin;
static char dir[64];

static int setup(void **state)
{
    (void)state;
    snprintf(dir, sizeof(dir), "/tmp/kiosk-health-XXXXXX");
    assert_non_null(mkdtemp(dir));
    return 0;
}

static int teardown(void **state)
{
    (void)state;
    return remove_tree(dir);
}

static struct health_figures sample(void)
{
    return (struct health_figures){
        .version = "1.2.0",
        .device = "hall-1",
        .role = "display",
        .uptime_s = 86400,
        .view = {.online = true,
                 .last_ok = 1795000000,
                 .version = 12,
                 .updated_at = 1794999970,
                 .storage_ok = true,
                 .has_printer = true,
                 .printer = "paper_out"},
        .model_age_s = 30,
        .disk_free_bytes = 1234567890,
        .temperature_mc = 48312,
        .sent_at = 1795000000,
    };
}

static void test_json_has_the_api_fields(void **state)
{
    (void)state;
    struct health_figures f = sample();
    char *text = health_json(&f);
    cJSON *o = cJSON_Parse(text);
    assert_non_null(o);
    assert_string_equal(cJSON_GetObjectItem(o, "version")->valuestring, "1.2.0");
    assert_string_equal(cJSON_GetObjectItem(o, "connection")->valuestring, "online");
    assert_string_equal(cJSON_GetObjectItem(o, "printer")->valuestring, "paper_out");
    assert_string_equal(cJSON_GetObjectItem(o, "paper")->valuestring, "out");
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(o, "storage_ok")));
    assert_int_equal(cJSON_GetObjectItem(o, "uptime_s")->valuedouble, 86400);
    assert_int_equal(cJSON_GetObjectItem(o, "model_age_s")->valuedouble, 30);
    assert_int_equal(cJSON_GetObjectItem(o, "disk_free_bytes")->valuedouble, 1234567890);
    assert_true(cJSON_GetObjectItem(o, "temperature_c")->valuedouble == 48.312);
    cJSON_Delete(o);
    free(text);
    /* A one-way printer: its state is unknown, so is its paper. */
    f.view.printer = "unknown";
    text = health_json(&f);
    o = cJSON_Parse(text);
    assert_string_equal(cJSON_GetObjectItem(o, "printer")->valuestring, "unknown");
    assert_null(cJSON_GetObjectItem(o, "paper"));
    cJSON_Delete(o);
    free(text);
    /* What is not known is left out, not sent as zero. */
    f.view.has_printer = false;
    f.temperature_mc = INT32_MIN;
    f.model_age_s = -1;
    text = health_json(&f);
    o = cJSON_Parse(text);
    assert_string_equal(cJSON_GetObjectItem(o, "printer")->valuestring, "none");
    assert_null(cJSON_GetObjectItem(o, "temperature_c"));
    assert_null(cJSON_GetObjectItem(o, "paper"));
    assert_null(cJSON_GetObjectItem(o, "model_age_s"));
    cJSON_Delete(o);
    free(text);
}

/* Text exposition format 0.0.4: every sample is `name{labels} value`, after its HELP and
 * TYPE lines; names are [a-zA-Z_:][a-zA-Z0-9_:]*. */
static void assert_prom_format(const char *text)
{
    char typed[64] = "";
    for (const char *line = text; *line; line = strchr(line, '\n') + 1) {
        size_t len = strcspn(line, "\n");
        assert_true(line[len] == '\n'); /* the file ends in a newline */
        if (strncmp(line, "# HELP ", 7) == 0)
            continue;
        if (strncmp(line, "# TYPE ", 7) == 0) {
            sscanf(line + 7, "%63s", typed);
            assert_non_null(strstr(line, " gauge\n"));
            continue;
        }
        size_t name = strspn(line, "abcdefghijklmnopqrstuvwxyz_");
        assert_true(name > 0 && (line[name] == ' ' || line[name] == '{'));
        assert_true(strlen(typed) == name && strncmp(line, typed, name) == 0);
        const char *value = memchr(line, ' ', len);
        if (line[name] == '{')
            value = strstr(line, "} ") + 1;
        char *end;
        strtod(value + 1, &end);
        assert_true(end == line + len);
    }
}

static void test_prom_file_format(void **state)
{
    (void)state;
    struct health_figures f = sample();
    char *text = health_prom(&f);
    assert_prom_format(text);
    assert_non_null(
        strstr(text, "kiosk_info{device=\"hall-1\",role=\"display\",version=\"1.2.0\"} 1\n"));
    assert_non_null(strstr(text, "\nkiosk_uptime_seconds 86400\n"));
    assert_non_null(strstr(text, "\nkiosk_paper_out 1\n"));
    assert_non_null(strstr(text, "\nkiosk_printer_ok 0\n"));
    assert_non_null(strstr(text, "\nkiosk_temperature_celsius 48.312\n"));
    assert_non_null(strstr(text, "\nkiosk_disk_free_bytes 1234567890\n"));
    free(text);
}

static void test_temperature_reading(void **state)
{
    (void)state;
    char path[128];
    snprintf(path, sizeof(path), "%s/temp", dir);
    write_text(path, "48312\n");
    assert_int_equal(health_read_temperature(path), 48312);
    assert_int_equal(health_read_temperature("/nonexistent/temp"), INT32_MIN);
}

/* The device's latest heartbeat in backend-sim, NULL while there is none or it says offline. */
static cJSON *online_heartbeat(int port)
{
    cJSON *state = http_json(port, "/admin/state", NULL);
    cJSON *beat = cJSON_DetachItemFromObject(cJSON_GetObjectItem(state, "devices"), "hall-1");
    cJSON_Delete(state);
    const cJSON *conn = cJSON_GetObjectItem(beat, "connection");
    if (beat && cJSON_IsString(conn) && strcmp(conn->valuestring, "online") == 0)
        return beat;
    cJSON_Delete(beat);
    return NULL;
}

static void test_heartbeat_reaches_the_backend_and_the_prom_file_is_written(void **state)
{
    (void)state;
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    char ini[128], prom[128], text[1024], log[128];
    snprintf(ini, sizeof(ini), "%s/kiosk.ini", dir);
    snprintf(prom, sizeof(prom), "%s/kiosk.prom", dir);
    snprintf(log, sizeof(log), "%s/kiosk.log", dir);
    snprintf(text, sizeof(text),
             "[device]\nid = hall-1\n[backend]\ntype = http\nurl = http://127.0.0.1:%d\n"
             "[storage]\npath = %s/kiosk.db\n[audio]\nenabled = off\n"
             "[health]\nheartbeat_s = 5\nprom_file = %s\n",
             port, dir, prom);
    write_text(ini, text);
    const char *argv[] = {kiosk_bin, "--headless", "--config", ini, "--exit-after", "40", NULL};
    pid_t kiosk = spawn(argv, log);
    cJSON *beat = NULL;
    for (int i = 0; i < 300 && !beat && process_alive(kiosk); i++) {
        sleep_ms(100);
        beat = online_heartbeat(port);
    }
    stop_process(&kiosk);
    stop_process(&sim);
    if (!beat)
        fail_msg("no online heartbeat reached backend-sim; kiosk log:\n%s", read_text(log));
    assert_string_equal(cJSON_GetObjectItem(beat, "role")->valuestring, "display");
    assert_true(cJSON_IsString(cJSON_GetObjectItem(beat, "version")));
    assert_true(cJSON_IsNumber(cJSON_GetObjectItem(beat, "uptime_s")));
    assert_true(cJSON_IsTrue(cJSON_GetObjectItem(beat, "storage_ok")));
    assert_string_equal(cJSON_GetObjectItem(beat, "printer")->valuestring, "none");
    assert_true(cJSON_GetObjectItem(beat, "disk_free_bytes")->valuedouble > 0);
    cJSON_Delete(beat);
    const char *written = read_text(prom);
    assert_non_null(written);
    assert_prom_format(written);
    assert_non_null(strstr(written, "kiosk_info{device=\"hall-1\""));
    struct stat st;
    assert_int_equal(stat(prom, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0644);
}

/* `[device] id = ..` once made the heartbeat's URL devices/../heartbeat, which a client
 * resolves to /api/v1/heartbeat: the kiosk must refuse the id, name it, and send nothing. */
static void test_a_dot_segment_device_id_is_refused(void **state)
{
    (void)state;
    int port;
    pid_t sim = start_backend_sim(dir, &port);
    char ini[128], text[512], out[128], err[128];
    snprintf(ini, sizeof(ini), "%s/kiosk.ini", dir);
    snprintf(out, sizeof(out), "%s/stdout.txt", dir);
    snprintf(err, sizeof(err), "%s/stderr.txt", dir);
    snprintf(text, sizeof(text),
             "[device]\nid = ..\n[backend]\ntype = http\nurl = http://127.0.0.1:%d\n"
             "[storage]\npath = %s/kiosk.db\n[audio]\nenabled = off\n[health]\nheartbeat_s = 5\n",
             port, dir);
    write_text(ini, text);
    const char *args[] = {"--headless", "--config", ini, "--exit-after", "8", NULL};
    int code = run_program(kiosk_bin, args, out, err);
    const char *said = read_text(err);
    cJSON *state_json = http_json(port, "/admin/state", NULL);
    int beats = cJSON_GetArraySize(cJSON_GetObjectItem(state_json, "devices"));
    cJSON_Delete(state_json);
    stop_process(&sim);
    if (code != 1 || !strstr(said, "[device] id: \"..\" cannot be"))
        fail_msg("the kiosk ran with id \"..\" (exit %d):\n%s", code, said);
    assert_int_equal(beats, 0);
}

int main(void)
{
    kiosk_bin = getenv("KIOSK_BIN") ? getenv("KIOSK_BIN") : "build/kiosk";
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_json_has_the_api_fields),
        cmocka_unit_test(test_prom_file_format),
        cmocka_unit_test_setup_teardown(test_temperature_reading, setup, teardown),
        cmocka_unit_test_setup_teardown(
            test_heartbeat_reaches_the_backend_and_the_prom_file_is_written, setup, teardown),
        cmocka_unit_test_setup_teardown(test_a_dot_segment_device_id_is_refused, setup, teardown),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
