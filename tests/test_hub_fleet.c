/* test_hub_fleet.c: kiosk-hub's watch over the devices without a hub: the alert engine
 * (one alert per episode, never one per look), heartbeats read, problems and queues per
 * service, the alerts' words, the webhook's bodies and its delivery with retries to a real
 * receiver on 127.0.0.1, and the /metrics text. */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <microhttpd.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "harness.h"
#include "hub/alerts.h"
#include "hub/fleet.h"
#include "hub/metrics.h"
#include "hub/webhook.h"

#define NOW ((int64_t)1795000000)

static void test_one_alert_per_episode(void **state)
{
    (void)state;
    struct alerts *a = alerts_create();
    struct alert_timing at_once = {0, 0};
    /* Never bad: nothing, however often it is looked at. */
    for (int i = 0; i < 5; i++)
        assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", false, NOW + i, at_once),
                         ALERT_NONE);
    assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", true, NOW + 5, at_once),
                     ALERT_OPENED);
    for (int i = 6; i < 60; i++)
        assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", true, NOW + i, at_once),
                         ALERT_NONE);
    assert_true(alerts_is_open(a, ALERT_DEVICE_SILENT, "d1"));
    assert_false(alerts_is_open(a, ALERT_PRINTER, "d1"));
    assert_int_equal(alerts_open_count(a, ALERT_DEVICE_SILENT), 1);
    assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", false, NOW + 60, at_once),
                     ALERT_RECOVERED);
    assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", false, NOW + 61, at_once),
                     ALERT_NONE);
    assert_int_equal(alerts_open_count(a, ALERT_DEVICE_SILENT), 0);
    /* A second episode is a second alert. */
    assert_int_equal(alerts_observe(a, ALERT_DEVICE_SILENT, "d1", true, NOW + 70, at_once),
                     ALERT_OPENED);
    alerts_destroy(a);
    alerts_destroy(NULL);
}

/* A queue hovering at its level: it must stay above for open_after_s, and below for
 * close_after_s, so that one crowded morning is one alert and one recovery. */
static void test_queue_holds_before_alerting(void **state)
{
    (void)state;
    struct alerts *a = alerts_create();
    struct alert_timing t = {600, 600};
    int opened = 0, recovered = 0;
    int64_t now = NOW;
    /* Above for 5 minutes, then below for over 10: not an episode. */
    for (int i = 0; i < 300; i++, now++)
        opened += alerts_observe(a, ALERT_QUEUE_LONG, "内科", true, now, t) == ALERT_OPENED;
    for (int i = 0; i < 700; i++, now++)
        alerts_observe(a, ALERT_QUEUE_LONG, "内科", false, now, t);
    assert_int_equal(opened, 0);
    /* Above for 9 minutes: still not. */
    for (int i = 0; i < 540; i++, now++)
        opened += alerts_observe(a, ALERT_QUEUE_LONG, "内科", true, now, t) == ALERT_OPENED;
    for (int i = 0; i < 700; i++, now++)
        alerts_observe(a, ALERT_QUEUE_LONG, "内科", false, now, t);
    assert_int_equal(opened, 0);
    /* Above for 20 minutes, flickering below for a few seconds now and then. */
    for (int i = 0; i < 1200; i++, now++) {
        enum alert_change c = alerts_observe(a, ALERT_QUEUE_LONG, "内科", i % 97 != 0, now, t);
        opened += c == ALERT_OPENED;
        recovered += c == ALERT_RECOVERED;
    }
    assert_int_equal(opened, 1);
    assert_int_equal(recovered, 0);
    /* Back under the level for good: one recovery, after close_after_s. */
    int64_t back = now;
    for (int i = 0; i < 1200; i++, now++) {
        enum alert_change c = alerts_observe(a, ALERT_QUEUE_LONG, "内科", false, now, t);
        if (c == ALERT_RECOVERED)
            assert_true(now - back >= 600);
        recovered += c == ALERT_RECOVERED;
    }
    assert_int_equal(opened, 1);
    assert_int_equal(recovered, 1);
    /* Another service is another episode. */
    assert_false(alerts_is_open(a, ALERT_QUEUE_LONG, "外科"));
    alerts_destroy(a);
}

static void test_restored_episode_alerts_no_more(void **state)
{
    (void)state;
    struct alerts *a = alerts_create();
    struct alert_timing at_once = {0, 0};
    alerts_restore(a, ALERT_PRINTER, "entrance-1", NOW - 3600);
    assert_int_equal(alerts_observe(a, ALERT_PRINTER, "entrance-1", true, NOW, at_once),
                     ALERT_NONE);
    assert_int_equal(alerts_observe(a, ALERT_PRINTER, "entrance-1", false, NOW + 1, at_once),
                     ALERT_RECOVERED);
    enum alert_kind k;
    assert_true(alert_kind_parse("queue_long", &k));
    assert_int_equal(k, ALERT_QUEUE_LONG);
    assert_false(alert_kind_parse("nonsense", &k));
    assert_string_equal(alert_kind_name(ALERT_DEVICE_SILENT), "device_silent");
    alerts_destroy(a);
}

static void test_heartbeat_and_problems(void **state)
{
    (void)state;
    struct fleet_device d = {.id = "entrance-1"};
    assert_true(fleet_parse_heartbeat(
        "{\"version\":\"1.4.0\",\"role\":\"kiosk\",\"name\":\"门诊大厅入口\",\"uptime_s\":3600,"
        "\"connection\":\"online\",\"storage_ok\":true,\"printer\":\"unknown\",\"sent_at\":1}",
        &d));
    assert_string_equal(d.name, "门诊大厅入口");
    assert_string_equal(d.role, "kiosk");
    assert_string_equal(d.version, "1.4.0");
    assert_int_equal(d.uptime_s, 3600);
    assert_int_equal(d.heartbeat_s, 0); /* not said: [alerts] heartbeat_s applies */
    struct fleet_device e = {0};
    assert_true(fleet_parse_heartbeat("{\"heartbeat_s\":60}", &e));
    assert_int_equal(e.heartbeat_s, 60);
    d.last_seen = NOW;
    /* A one-way printer ("unknown") is not a fault. */
    assert_int_equal(fleet_problems(&d, NOW + 10, 180), 0);
    assert_int_equal(fleet_problems(&d, NOW + 181, 180), FLEET_OFFLINE);
    assert_true(fleet_parse_heartbeat("{\"printer\":\"paper_out\",\"storage_ok\":false,"
                                      "\"connection\":\"offline\"}",
                                      &d));
    assert_int_equal(fleet_problems(&d, NOW, 180), FLEET_PRINTER | FLEET_STORAGE | FLEET_BACKEND);
    assert_false(fleet_parse_heartbeat("[1]", &d));
    assert_false(fleet_parse_heartbeat("not json", &d));
    struct fleet_device never = {.id = "hall-2"};
    assert_int_equal(fleet_problems(&never, NOW, 180), FLEET_NEVER_SEEN);
    assert_false(fleet_printer_trouble("ok"));
    assert_false(fleet_printer_trouble("unknown"));
    assert_false(fleet_printer_trouble("none"));
    assert_false(fleet_printer_trouble(""));
    assert_true(fleet_printer_trouble("cover_open"));
}

static void test_queues_per_service(void **state)
{
    (void)state;
    static struct model m;
    memset(&m, 0, sizeof m);
    const char *services[] = {"内科", "外科", "内科", "内科", "眼科"};
    const int etas[] = {8, 16, 24, -1, -1};
    m.nwaiting = 5;
    for (int i = 0; i < 5; i++) {
        snprintf(m.waiting[i].service, MODEL_NAME_MAX, "%s", services[i]);
        m.waiting[i].eta_min = etas[i];
    }
    struct fleet_queue q[8];
    assert_int_equal(fleet_queues(&m, q, 8), 3);
    assert_string_equal(q[0].service, "内科");
    assert_int_equal(q[0].waiting, 3);
    assert_int_equal(q[0].wait_min, 24);
    assert_int_equal(q[1].waiting, 1);
    assert_int_equal(q[2].wait_min, -1);
    assert_int_equal(fleet_queues(&m, q, 2), 2); /* a third service does not fit */
    assert_int_equal(q[0].waiting, 3);
}

static void test_alert_words(void **state)
{
    (void)state;
    char text[WEBHOOK_TEXT_MAX];
    fleet_alert_text(ALERT_DEVICE_SILENT, false, "entrance-1", "门诊大厅", "", NULL, 180, text,
                     sizeof text);
    assert_string_equal(text, "设备离线：entrance-1（门诊大厅） 已 180 秒无心跳\n"
                              "Device offline: entrance-1 (门诊大厅), no heartbeat for 180 s");
    fleet_alert_text(ALERT_PRINTER, false, "entrance-1", "", "paper_out", NULL, 0, text,
                     sizeof text);
    assert_non_null(strstr(text, "缺纸"));
    assert_non_null(strstr(text, "out of paper"));
    struct fleet_queue q = {.service = "内科", .waiting = 31, .wait_min = 70};
    fleet_alert_text(ALERT_QUEUE_LONG, false, "内科", "", "", &q, 0, text, sizeof text);
    assert_non_null(strstr(text, "请加开窗口"));
    assert_non_null(strstr(text, "31 waiting, up to 70 min: open another window"));
    fleet_alert_text(ALERT_QUEUE_LONG, true, "内科", "", "", &q, 0, text, sizeof text);
    assert_non_null(strstr(text, "Queue back to normal"));
}

static void test_webhook_bodies(void **state)
{
    (void)state;
    struct webhook_alert a = {.kind = ALERT_PRINTER,
                              .at = NOW,
                              .subject = "entrance-1",
                              .text = "打印机故障\nPrinter problem"};
    char *body = webhook_body(WEBHOOK_GENERIC, &a, "市人民医院");
    assert_string_equal(body,
                        "{\"kind\":\"printer\",\"state\":\"open\",\"subject\":\"entrance-1\","
                        "\"text\":\"打印机故障\\nPrinter problem\",\"hospital\":\"市人民医院\","
                        "\"at\":1795000000}");
    free(body);
    a.recovered = true;
    body = webhook_body(WEBHOOK_WECOM, &a, "市人民医院");
    assert_string_equal(body,
                        "{\"msgtype\":\"text\",\"text\":{\"content\":\"【市人民医院】打印机故障"
                        "\\nPrinter problem\"}}");
    free(body);
    body = webhook_body(WEBHOOK_DINGTALK, &a, "");
    assert_string_equal(body, "{\"msgtype\":\"text\",\"text\":{\"content\":\"打印机故障"
                              "\\nPrinter problem\"}}");
    free(body);
    assert_true(webhook_accepted(WEBHOOK_GENERIC, 204, ""));
    assert_false(webhook_accepted(WEBHOOK_GENERIC, 500, ""));
    assert_true(webhook_accepted(WEBHOOK_WECOM, 200, "{\"errcode\":0,\"errmsg\":\"ok\"}"));
    assert_false(webhook_accepted(WEBHOOK_WECOM, 200, "{\"errcode\":45009,\"errmsg\":\"limit\"}"));
    assert_true(webhook_accepted(WEBHOOK_DINGTALK, 200, "not json"));
}

/* ---- a receiver on 127.0.0.1 that refuses the first POSTs ---- */

struct receiver {
    pthread_mutex_t lock;
    int refuse; /* answer 500 to this many more */
    int posts;  /* every POST that arrived */
    char bodies[8][1024];
    int taken; /* those answered 200, in order */
};

static enum MHD_Result on_post(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *data,
                               size_t *size, void **con_cls)
{
    (void)url, (void)version;
    struct receiver *r = cls;
    char *body = *con_cls;
    if (!body) {
        *con_cls = calloc(1, 1024);
        return MHD_YES;
    }
    if (*size) {
        strncat(body, data, 1023 - strlen(body) < *size ? 1023 - strlen(body) : *size);
        *size = 0;
        return MHD_YES;
    }
    pthread_mutex_lock(&r->lock);
    unsigned status = 500;
    if (strcmp(method, "POST") == 0) {
        r->posts++;
        if (r->refuse > 0) {
            r->refuse--;
        } else if (r->taken < 8) {
            snprintf(r->bodies[r->taken++], 1024, "%s", body);
            status = 200;
        }
    }
    pthread_mutex_unlock(&r->lock);
    struct MHD_Response *response =
        MHD_create_response_from_buffer(2, "{}", MHD_RESPMEM_PERSISTENT);
    enum MHD_Result result = MHD_queue_response(c, status, response);
    MHD_destroy_response(response);
    return result;
}

static void on_done(void *cls, struct MHD_Connection *c, void **con_cls,
                    enum MHD_RequestTerminationCode code)
{
    (void)cls, (void)c, (void)code;
    free(*con_cls);
    *con_cls = NULL;
}

static void test_webhook_retries_in_order(void **state)
{
    (void)state;
    struct receiver r = {.refuse = 2};
    pthread_mutex_init(&r.lock, NULL);
    struct MHD_Daemon *d =
        MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD, 0, NULL, NULL, on_post, &r,
                         MHD_OPTION_NOTIFY_COMPLETED, on_done, NULL, MHD_OPTION_END);
    assert_non_null(d);
    int port = MHD_get_daemon_info(d, MHD_DAEMON_INFO_BIND_PORT)->port;
    char url[64];
    snprintf(url, sizeof url, "http://127.0.0.1:%d/alerts", port);
    struct webhook *w = webhook_start(url, WEBHOOK_GENERIC, "市人民医院", NULL, 2);
    struct webhook_alert a = {.kind = ALERT_DEVICE_SILENT, .subject = "entrance-1", .text = "off"};
    webhook_send(w, &a);
    a.recovered = true;
    snprintf(a.text, sizeof a.text, "back");
    webhook_send(w, &a);
    struct webhook_stats stats = {0};
    for (int i = 0; i < 300; i++) {
        webhook_stats(w, &stats);
        if (stats.delivered == 2)
            break;
        sleep_ms(50);
    }
    assert_int_equal(stats.delivered, 2);
    assert_int_equal(stats.failures, 2);
    assert_int_equal(stats.pending, 0);
    pthread_mutex_lock(&r.lock);
    assert_int_equal(r.posts, 4);
    assert_int_equal(r.taken, 2);
    assert_non_null(strstr(r.bodies[0], "\"state\":\"open\""));
    assert_non_null(strstr(r.bodies[1], "\"state\":\"recovered\""));
    pthread_mutex_unlock(&r.lock);
    webhook_stop(w);
    /* No URL: alerts go nowhere, and nothing waits. */
    w = webhook_start("", WEBHOOK_GENERIC, "", NULL, 300);
    webhook_send(w, &a);
    webhook_stats(w, &stats);
    assert_int_equal(stats.pending, 0);
    webhook_stop(w);
    webhook_stop(NULL);
    MHD_stop_daemon(d);
    pthread_mutex_destroy(&r.lock);
}

static void test_metrics_text(void **state)
{
    (void)state;
    struct fleet_device d[2] = {
        {.id = "entrance-1",
         .name = "大厅 \"A\"",
         .role = "kiosk",
         .version = "1.4.0",
         .connection = "online",
         .printer = "paper_out",
         .storage_ok = true,
         .uptime_s = 60,
         .last_seen = NOW,
         .online = true},
        {.id = "hall-2"},
    };
    struct fleet_queue q[1] = {{.service = "内科", .waiting = 12, .wait_min = 40}};
    struct metrics_hub hub = {
        .upstream_online = true, .alerts_open = {0, 1, 0, 0}, .webhook = {.delivered = 3}};
    char *text = NULL;
    size_t size = 0;
    FILE *out = open_memstream(&text, &size);
    metrics_write(out, d, 2, q, 1, &hub);
    fclose(out);
    assert_non_null(strstr(text, "kiosk_hub_device_info{device=\"entrance-1\",role=\"kiosk\","
                                 "name=\"大厅 \\\"A\\\"\",version=\"1.4.0\"} 1\n"));
    assert_non_null(strstr(text, "kiosk_hub_device_up{device=\"entrance-1\"} 1\n"));
    assert_non_null(strstr(text, "kiosk_hub_device_up{device=\"hall-2\"} 0\n"));
    assert_null(strstr(text, "kiosk_hub_device_uptime_seconds{device=\"hall-2\"}"));
    assert_non_null(strstr(text, "kiosk_hub_device_paper_out{device=\"entrance-1\"} 1\n"));
    assert_non_null(strstr(text, "kiosk_hub_device_printer_ok{device=\"entrance-1\"} 0\n"));
    assert_non_null(strstr(text, "kiosk_hub_queue_waiting{service=\"内科\"} 12\n"));
    assert_non_null(strstr(text, "kiosk_hub_queue_wait_minutes{service=\"内科\"} 40\n"));
    assert_non_null(strstr(text, "kiosk_hub_alerts_open{kind=\"printer\"} 1\n"));
    assert_non_null(strstr(text, "# TYPE kiosk_hub_webhook_delivered_total counter\n"
                                 "kiosk_hub_webhook_delivered_total 3\n"));
    /* Every sample line is NAME{labels} VALUE or NAME VALUE; every family is typed once. */
    int types = 0;
    for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
        if (strncmp(line, "# TYPE ", 7) == 0)
            types++;
        else if (line[0] != '#')
            assert_true(strncmp(line, "kiosk_hub_", 10) == 0 && strrchr(line, ' '));
    }
    assert_int_equal(types, 16);
    free(text);
    char label[16];
    metrics_label("a\\b\n\"c\"", label, sizeof label);
    assert_string_equal(label, "a\\\\b\\n\\\"c\\\"");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_one_alert_per_episode),
        cmocka_unit_test(test_queue_holds_before_alerting),
        cmocka_unit_test(test_restored_episode_alerts_no_more),
        cmocka_unit_test(test_heartbeat_and_problems),
        cmocka_unit_test(test_queues_per_service),
        cmocka_unit_test(test_alert_words),
        cmocka_unit_test(test_webhook_bodies),
        cmocka_unit_test(test_webhook_retries_in_order),
        cmocka_unit_test(test_metrics_text),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
