/* config.h: the kiosk's one INI file, described by a single option table (config.c) from
 * which validation, defaults and docs/configuration.md all come. */
#ifndef KIOSK_CONFIG_H
#define KIOSK_CONFIG_H

#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#define CONFIG_DEFAULT_PATH "/etc/kiosk/kiosk.ini"
#define CONFIG_HUB_PATH     "/etc/kiosk/hub.ini"
#define CONFIG_TEXT_MAX     128

/* Which program reads the file: each section and key belongs to one or both. kiosk-hub reads
 * the kiosk's [backend] keys as [upstream]. */
enum config_program { CONFIG_KIOSK = 1, CONFIG_HUB = 2 };

enum role { ROLE_DISPLAY, ROLE_KIOSK };
enum language { LANGUAGE_ZH, LANGUAGE_EN, LANGUAGE_ZH_EN };
enum orientation { ORIENTATION_LANDSCAPE, ORIENTATION_PORTRAIT };
enum backend_type { BACKEND_DEMO, BACKEND_HTTP, BACKEND_OPENMRS, BACKEND_NOVOSGA };
enum cut { CUT_PARTIAL, CUT_FULL };
/* Whether to ask the printer DLE EOT: auto asks until it has answered or been silent once. */
enum printer_status_mode { PRINTER_STATUS_AUTO, PRINTER_STATUS_ASK, PRINTER_STATUS_NONE };
enum color_theme { THEME_DARK, THEME_LIGHT };
enum notice_style { NOTICE_PAGE, NOTICE_SCROLL };
/* Who draws: auto asks what the GPU is (render/renderer.h). */
enum renderer_pref { RENDERER_AUTO, RENDERER_GPU, RENDERER_SOFTWARE };

/* 32 characters: the most a token's device field holds. */
#define CONFIG_DEVICE_ID_MAX 32

struct config {
    char path[PATH_MAX]; /* the file loaded; relative paths in it resolve against its folder */
    enum config_program program;
    struct {
        char id[CONFIG_DEVICE_ID_MAX + 1];
        char name[CONFIG_TEXT_MAX];
        enum role role;
        enum language language;
        enum orientation orientation;
        int width; /* 0 = the display's own mode (1920x1080 when headless) */
        int height;
    } device;
    struct {
        char hospital_zh[CONFIG_TEXT_MAX];
        char hospital_en[CONFIG_TEXT_MAX];
        char area_zh[CONFIG_TEXT_MAX];
        char area_en[CONFIG_TEXT_MAX];
        char room[40];            /* the room (or staff) this screen serves; "" = an area */
        char logo[PATH_MAX];      /* PNG; "" = none */
        char font[PATH_MAX];      /* "" = find Noto Sans CJK SC through fontconfig */
        char font_bold[PATH_MAX]; /* "" = fontconfig, or font when that is set */
        int font_index;           /* face index inside a .ttc given by font/font_bold */
        bool mask_names;
        int recent_count;
        int next_count;
        int diagonal_in; /* only for `kiosk layout`'s physical sizes */
        int blink_seconds;
        enum color_theme theme;
        char notices[1024]; /* standing notices, "中文|English" pairs separated by ";" */
        enum notice_style notice_style;
        int notice_seconds; /* paging: each notice page this long */
        int scroll_speed;   /* scrolling: pixels per second at 1080p */
        enum renderer_pref renderer;
    } display;
    struct {
        char rotation[256];          /* "rooms:12 results:10 offpeak:12 clinics:15" (pages.h) */
        int takeover_seconds;        /* a new call fills the screen this long; 0 = never */
        char clinics_file[PATH_MAX]; /* specialist clinic hours; "" = only from the backend */
        int offpeak_weeks;           /* call history the crowd-by-hour chart looks back over */
        char offpeak_service[96];    /* the department charted; "" = every call on this screen */
    } pages;
    struct backend_config {
        enum backend_type type;
        int64_t seed; /* demo: same seed, same clinic */
        int speed;    /* demo: simulated seconds per real second; 0 freezes the clinic */
        int poll_interval_ms;
        char url[512];             /* base URL: http, openmrs, novosga */
        char token_file[PATH_MAX]; /* http: bearer token */
        char username[128];        /* openmrs (Basic), novosga (password grant) */
        char password_file[PATH_MAX];
        char client_id[128]; /* novosga */
        char client_secret_file[PATH_MAX];
        int unit;                    /* novosga: unidade */
        char services[128];          /* novosga: "1,2" */
        char emergency_names[256];   /* novosga: priority names meaning emergency, "急诊,..." */
        char appointment_names[256]; /* novosga: ... meaning appointment */
        int long_poll_s;             /* http: 0 = plain polling */
        int timeout_ms;              /* per request, on top of a long-poll's wait */
        char ca_file[PATH_MAX];
        char calling_statuses[256];     /* openmrs: comma-separated */
        char room_order[1024];          /* openmrs: queue names shown first, comma-separated */
        char emergency_priorities[512]; /* openmrs: priority concept uuids or names */
        char waiting_status[64];        /* openmrs: the "Waiting" status concept uuid; "" none */
        char number_attribute[64];      /* openmrs: visit attribute type of the ticket number */
    } backend;
    struct {
        char path[PATH_MAX]; /* SQLite database; its folder is created if missing */
    } storage;
    struct {
        char key_file[PATH_MAX]; /* the site's HMAC key for tokens */
        char survey_url[256];    /* template with {token}; "" = no survey code */
        char results_url[256];   /* template with {token}; "" = no results code */
        int survey_ttl_hours;
        int results_ttl_hours;
        int rotate_seconds; /* both codes configured: each is shown this long in turn */
    } qr;
    struct {
        char departments[512]; /* "内科|Internal Medicine; 外科|Surgery" */
        int idle_seconds;
        int rating_interval_s; /* ratings closer together than this count once */
        int attract_seconds;   /* home untouched this long shows the attract screen; 0 = never */
        char complaints_phone[64]; /* offered after an unhappy rating; "" none */
    } kiosk;
    struct {
        char device[PATH_MAX]; /* usb:, tcp:, cups:, file: (printer/transport.h); "" = none */
        int paper_mm;          /* 58 or 80 */
        enum cut cut;
        bool native_qr; /* GS ( k instead of the QR drawn into the raster */
        int timeout_ms;
        int band_rows; /* rows per GS v 0 block */
        enum printer_status_mode status;
    } printer;
    struct {
        bool enabled;
        int volume;           /* 0..100 */
        char quiet_hours[12]; /* "22:00-07:00"; "" = none */
        int quiet_volume;     /* inside quiet hours; 0 = no announcements */
        int repeat;           /* times the spoken call is said again */
        int pause_ms;         /* silence after each call, and before a repeat */
        bool english;
        bool speak_names;
        char template_zh[256];
        char template_en[256];
        char clips[PATH_MAX]; /* folder of recorded WAV clips; "" = synthesis only */
    } audio;
    struct {
        char listen[64];         /* HOST:PORT */
        char tls_cert[PATH_MAX]; /* PEM; "" = plain HTTP behind a reverse proxy */
        char tls_key[PATH_MAX];
        char devices_file[PATH_MAX]; /* "device-id token" per line */
        char complaints_phone[64];   /* the hospital's published complaints line */
        int threads;
        int max_connections;
        int ratings_per_address; /* per hour, for codes that name no ticket */
    } hub;
    struct {
        char results_portal[512]; /* template with {visit}; "" = a page saying where to ask */
        int retention_days;       /* a complaint's call-back number is removed after these */
    } web;
    struct {
        int session_minutes;    /* a staff login lasts this long */
        int complaint_due_days; /* working days (Monday to Friday) to answer a complaint */
        int login_delay_s;      /* the wait after six wrong passwords; doubles each time */
    } staff;
    struct {
        int heartbeat_s;          /* seconds between heartbeats and .prom rewrites */
        char prom_file[PATH_MAX]; /* Prometheus textfile-collector file; "" = none */
    } health;
    struct {
        char webhook_url[512]; /* "" = alerts shown on the fleet page only */
        int webhook_format;    /* enum webhook_format: generic, wecom, dingtalk */
        int heartbeat_s;       /* the devices' heartbeat interval; silent after 3 */
        int queue_waiting;     /* per service, more waiting than this is too long; 0 = off */
        int queue_wait_min;    /* per service, a longer estimated wait is too long; 0 = off */
        int queue_for_s;       /* too long (or back to normal) for this long */
        int history_days;      /* device history and closed alerts kept this long */
        int retry_max_s;       /* longest pause between webhook retries */
        bool metrics;          /* GET /metrics */
    } alerts;
};

/* Fills every field with the kiosk's defaults (config_defaults) or kiosk-hub's. */
void config_defaults(struct config *config);
void config_defaults_for(struct config *config, enum config_program program);

/* Loads path over the current values. On failure returns false and sets *err to a
 * callee-allocated message, one "file:line: problem" per line, for the caller to print and free.
 * Unknown sections or keys, bad values and a missing or unreadable file are all failures. */
bool config_load(struct config *config, const char *path, char **err);

/* Applies one "section.key=value" override (the --set option), with the same checks. */
bool config_set(struct config *config, const char *assignment, char **err);

/* Checks what no single key can (required keys, combinations). Call once after loading. */
bool config_check(const struct config *config, char **err);

/* A device id goes into URLs (devices/{id}/heartbeat, {device} in link templates) and is a
 * name in logs and the hub's devices file: 1..CONFIG_DEVICE_ID_MAX bytes of A-Z a-z 0-9 . _ -,
 * and not "." or "..", which a URL reads as a folder. NULL when id is one, else why not (for
 * after the id in a message). kiosk-hub's devices file follows the same rule. */
const char *config_device_id_problem(const char *id);

/* Defaults, then path, then config_check: the whole of what a command-line tool needs. */
bool config_read(struct config *config, const char *path, char **err);

/* The same for program, with the --set overrides (noverrides of them, may be 0) applied
 * between the file and the checks. */
bool config_read_for(struct config *config, enum config_program program, const char *path,
                     const char *const *overrides, int noverrides, char **err);

/* Writes the Markdown reference of every key a program reads (docs/configuration.md is the
 * kiosk's, docs/hub-configuration.md kiosk-hub's). */
void config_write_reference(FILE *out, enum config_program program);

const char *role_name(enum role role);
const char *language_name(enum language language);
const char *orientation_name(enum orientation orientation);

#endif
