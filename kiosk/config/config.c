/* config.c: the kiosk's INI file. One option table drives defaults, validation (of the file
 * through inih and of --set overrides) and the Markdown reference in docs/configuration.md. */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

#include <ini.h>

#include "audio/announce.h"
#include "audio/schedule.h"
#include "config/clinics.h"
#include "config/config.h"
#include "config/listen.h"
#include "config/pages.h"
#include "printer/transport.h"
#include "backend/secret.h"
#include "base/mem.h"
#include "base/utf8.h"

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))
/* The head of an options[] entry: where the key is and which field of struct config it sets. */
#define OPT(section_, key_, type_, field)                                                          \
    .section = (section_), .key = (key_), .type = (type_),                                         \
    .offset = offsetof(struct config, field), .size = sizeof(((struct config *)0)->field)
#define ID_CHARS   "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._-"
#define UUID_CHARS "0123456789abcdefABCDEF-"

_Static_assert(sizeof(enum role) == sizeof(int) && sizeof(enum language) == sizeof(int) &&
                   sizeof(enum orientation) == sizeof(int) &&
                   sizeof(enum backend_type) == sizeof(int) && sizeof(enum cut) == sizeof(int) &&
                   sizeof(enum renderer_pref) == sizeof(int),
               "set_enum stores every enum through an int");

enum type { STRING, PATH, INT, INT64, BOOL, ENUM };

/* Programs an option or section belongs to; 0 is the kiosk only, as most are. */
#define KIOSK_ONLY 0u
#define BOTH       ((unsigned)CONFIG_KIOSK | (unsigned)CONFIG_HUB)
#define HUB_ONLY   ((unsigned)CONFIG_HUB)

struct option {
    const char *section;
    unsigned programs;
    const char *key;
    enum type type;
    bool zero_ok; /* INT: 0 is allowed outside min..max, meaning "automatic" */
    size_t offset;
    size_t size;
    long long min; /* STRING: fewest bytes; INT, INT64: smallest value */
    long long max;
    const char *chars;     /* STRING: the only bytes allowed, NULL = any UTF-8 */
    const char *chars_doc; /* chars as people read them */
    const char *const *enum_names;
    const char *default_value; /* NULL = required (STRING only): no default */
    const char *help;
};

struct section {
    const char *name;
    const char *help;
    unsigned programs;
};

static const char *const role_names[] = {"display", "kiosk", NULL};
static const char *const language_names[] = {"zh", "en", "zh+en", NULL};
static const char *const orientation_names[] = {"landscape", "portrait", NULL};
static const char *const backend_names[] = {"demo", "http", "openmrs", "novosga", NULL};
static const char *const cut_names[] = {"partial", "full", NULL};
static const char *const webhook_names[] = {"generic", "wecom", "dingtalk", NULL};
static const char *const status_names[] = {"auto", "ask", "none", NULL};
static const char *const theme_names[] = {"dark", "light", NULL};
static const char *const notice_style_names[] = {"page", "scroll", NULL};
static const char *const renderer_names[] = {"auto", "gpu", "software", NULL};
/* Pairs of false and true spellings, compared without regard to case. */
static const char *const bool_names[][2] = {
    {"false", "true"}, {"no", "yes"}, {"off", "on"}, {"0", "1"}};

static const struct section sections[] = {
    {"device", "Which device this is and how its screen is set up.", KIOSK_ONLY},
    {"display", "What the top bar shows and how the queue is laid out.", KIOSK_ONLY},
    {"pages", "The call screen's information area: what takes turns there, and for how long.",
     KIOSK_ONLY},
    {"hub",
     "kiosk-hub's web service: where it listens, who may use its device API, and what "
     "the patients' pages say (docs/hub.md).",
     HUB_ONLY},
    {"backend", "Where the queue comes from.", KIOSK_ONLY},
    {"upstream",
     "The hospital's scheduling system, asked once for every device: the kiosk's "
     "[backend] keys.",
     HUB_ONLY},
    {"storage", "What the program keeps across restarts.", BOTH},
    {"qr", "Signed QR codes for surveys and results lookup (docs/tokens.md).", BOTH},
    {"web", "Where the patients' pages send them next, and how long what they leave is kept.",
     HUB_ONLY},
    {"staff",
     "The staff pages under /staff/ (docs/staff.md): logins, and the complaints' deadline.",
     HUB_ONLY},
    {"kiosk", "The self-service kiosk (role = kiosk): what patients can take a ticket for.",
     KIOSK_ONLY},
    {"printer", "The ESC/POS ticket printer (docs/printing.md).", KIOSK_ONLY},
    {"audio",
     "Spoken calls on the call screen (role = display): a chime, then the call in "
     "Mandarin and English (docs/audio.md).",
     KIOSK_ONLY},
    {"health",
     "What the device reports about itself: heartbeats to the backend and a "
     "Prometheus file (docs/deployment.md).",
     KIOSK_ONLY},
    {"alerts",
     "kiosk-hub's watch over the devices and the queue: when to alert, where the alerts go "
     "(a webhook), and GET /metrics (docs/fleet.md).",
     HUB_ONLY},
};

/* Formatted by hand: one key per entry reads better than clang-format's one field per line. */
// clang-format off
static const struct option options[] = {
    {OPT("device", "id", STRING, device.id), .min = 1, .chars = ID_CHARS,
     .chars_doc = "A-Z a-z 0-9 . _ -",
     .help = "Unique name of this device, in logs and towards the backend (in its URLs): "
             "not `.` or `..`."},
    {OPT("device", "name", STRING, device.name), .default_value = "",
     .help = "Human name of the device for staff, e.g. where it hangs."},
    {OPT("device", "role", ENUM, device.role), .enum_names = role_names,
     .default_value = "display",
     .help = "`display` is a wall screen; `kiosk` is a terminal patients stand at."},
    {OPT("device", "language", ENUM, device.language), .enum_names = language_names,
     .default_value = "zh+en", .help = "Language of the screen: Chinese, English or both."},
    {OPT("device", "orientation", ENUM, device.orientation), .enum_names = orientation_names,
     .default_value = "landscape", .help = "How the screen is mounted."},
    {OPT("device", "width", INT, device.width), .min = 320, .max = 7680, .zero_ok = true,
     .default_value = "0",
     .help = "Window width in pixels; 0 uses the display's own mode (1920x1080 when headless). "
             "Set both width and height, or neither."},
    {OPT("device", "height", INT, device.height), .min = 320, .max = 7680, .zero_ok = true,
     .default_value = "0", .help = "Window height in pixels; 0 as for width."},

    {OPT("display", "hospital_zh", STRING, display.hospital_zh), .default_value = "",
     .help = "Hospital name in Chinese, in the top bar."},
    {OPT("display", "hospital_en", STRING, display.hospital_en), .default_value = "",
     .help = "Hospital name in English, in the top bar."},
    {OPT("display", "area_zh", STRING, display.area_zh), .default_value = "",
     .help = "Waiting area in Chinese, in the top bar."},
    {OPT("display", "area_en", STRING, display.area_en), .default_value = "",
     .help = "Waiting area in English, in the top bar."},
    {OPT("display", "room", STRING, display.room), .default_value = "", .chars = ID_CHARS,
     .chars_doc = "A-Z a-z 0-9 . _ -",
     .help = "The room (or staff) id this screen serves, as the backend names it: its survey code "
             "then rates that room. Empty for a screen over a whole waiting area (the code rates "
             "the visit at this device)."},
    {OPT("display", "logo", PATH, display.logo), .default_value = "",
     .help = "PNG logo for the top bar; empty for none."},
    {OPT("display", "font", PATH, display.font), .default_value = "",
     .help = "Regular font file; empty finds Noto Sans CJK SC through fontconfig."},
    {OPT("display", "font_bold", PATH, display.font_bold), .default_value = "",
     .help = "Bold font file; empty uses fontconfig, or `font` when that is set."},
    {OPT("display", "font_index", INT, display.font_index), .max = 63, .default_value = "0",
     .help = "Face inside a .ttc collection named by `font` or `font_bold`."},
    {OPT("display", "mask_names", BOOL, display.mask_names), .default_value = "true",
     .help = "Show patient names masked (`张三丰` as `张*丰`)."},
    {OPT("display", "recent_count", INT, display.recent_count), .min = 1, .max = 8,
     .default_value = "3", .help = "How many recent calls are listed."},
    {OPT("display", "next_count", INT, display.next_count), .min = 1, .max = 8,
     .default_value = "3", .help = "How many waiting patients are listed as next."},
    {OPT("display", "diagonal_in", INT, display.diagonal_in), .min = 7, .max = 150,
     .default_value = "55",
     .help = "The screen's diagonal in inches. Changes nothing on screen: `kiosk layout` uses it "
             "to give each text's height in mm and the distance it reads from."},
    {OPT("display", "blink_seconds", INT, display.blink_seconds), .max = 60,
     .default_value = "6", .help = "How long a new call blinks; 0 for not at all."},
    {OPT("display", "theme", ENUM, display.theme), .enum_names = theme_names,
     .default_value = "dark",
     .help = "`dark` (light text on navy, for dim waiting areas) or `light` (dark text on white, "
             "for sunny halls). Both meet WCAG AA contrast for all text."},
    {OPT("display", "notices", STRING, display.notices), .default_value = "",
     .help = "Standing notices, `中文|English` pairs separated by `;` (complaints line, Wi-Fi, "
             "holiday hours), shown before the backend's own."},
    {OPT("display", "notice_style", ENUM, display.notice_style),
     .enum_names = notice_style_names, .default_value = "page",
     .help = "`page` shows one notice at a time; `scroll` runs them as a ticker (which redraws "
             "only the notice bar, 50 times a second while it moves)."},
    {OPT("display", "notice_seconds", INT, display.notice_seconds), .min = 3, .max = 120,
     .default_value = "8", .help = "Paging: how long each notice is shown."},
    {OPT("display", "scroll_speed", INT, display.scroll_speed), .min = 20, .max = 600,
     .default_value = "120", .help = "Scrolling: pixels per second (at 1080 pixels high)."},
    {OPT("display", "renderer", ENUM, display.renderer), .enum_names = renderer_names,
     .default_value = "auto",
     .help = "Who draws the screen. `auto`: the GPU where there is one (the Pi's, through "
             "KMSDRM), else the CPU straight into the window, redrawing only what changed, "
             "when OpenGL would be software anyway (llvmpipe, no GPU: a PC or a VM under X11). "
             "`gpu` or `software` overrides; the log says which was chosen and why."},

    {OPT("pages", "rotation", STRING, pages.rotation),
     .default_value = "rooms:15 results:10 offpeak:12 clinics:15",
     .chars = "abcdefghijklmnopqrstuvwxyz0123456789: ", .chars_doc = "page:seconds ...",
     .help = "Pages in turn with their seconds: `rooms` (who each room serves), `results` "
             "(tickets whose reports are out), `offpeak` (typical wait by hour), `clinics` "
             "(specialist clinic hours). A page with nothing to show is skipped; one page "
             "stays put."},
    {OPT("pages", "takeover_seconds", INT, pages.takeover_seconds), .max = 30,
     .default_value = "5",
     .help = "A new call fills the screen this long before the usual layout returns; 0 never."},
    {OPT("pages", "clinics_file", PATH, pages.clinics_file), .default_value = "",
     .help = "Specialist clinic hours, one line per doctor: `name|title|department|days|"
             "sessions` (docs/pages.md); the backend's `clinics`, when it sends any, win."},
    {OPT("pages", "offpeak_weeks", INT, pages.offpeak_weeks), .min = 1, .max = 52,
     .default_value = "4", .help = "Weeks of call history the crowd-by-hour chart is made of."},
    {OPT("pages", "offpeak_service", STRING, pages.offpeak_service), .default_value = "",
     .help = "The department the chart is for, as calls name it (`内科`); empty charts every "
             "call this screen shows."},

    {OPT("backend", "type", ENUM, backend.type), .programs = BOTH, .enum_names = backend_names,
     .default_value = "demo",
     .help = "Source of the queue: `demo` simulates an outpatient clinic; `http` is kiosk API v1 "
             "(docs/backend-api.md); `openmrs` and `novosga` (docs/openmrs.md, docs/novosga.md)."},
    {OPT("backend", "url", STRING, backend.url), .programs = BOTH, .default_value = "",
     .help = "Base URL of the backend, `https://...` (or `http://`); required unless demo."},
    {OPT("backend", "seed", INT64, backend.seed), .programs = BOTH, .max = 9007199254740992LL, /* 2^53 */
     .default_value = "1", .help = "Demo: the same seed gives the same clinic."},
    {OPT("backend", "speed", INT, backend.speed), .programs = BOTH, .max = 10000, .default_value = "1",
     .help = "Demo: simulated seconds per real second; 0 freezes the clinic."},
    {OPT("backend", "poll_interval_ms", INT, backend.poll_interval_ms), .programs = BOTH, .min = 100,
     .max = 600000, .default_value = "1000",
     .help = "Milliseconds between two questions to the backend."},
    {OPT("backend", "long_poll_s", INT, backend.long_poll_s), .programs = BOTH, .max = 60, .default_value = "0",
     .help = "http: hold each request up to this long for a change (`?wait=`); 0 polls plainly."},
    {OPT("backend", "timeout_ms", INT, backend.timeout_ms), .programs = BOTH, .min = 500, .max = 120000,
     .default_value = "5000",
     .help = "Longest a request may take (a long-poll gets long_poll_s on top)."},
    {OPT("backend", "token_file", PATH, backend.token_file), .programs = BOTH, .default_value = "",
     .help = "http: file holding the bearer token (first line); empty sends none."},
    {OPT("backend", "ca_file", PATH, backend.ca_file), .programs = BOTH, .default_value = "",
     .help = "PEM file of the CA that signed the backend's certificate; empty uses the system's. "
             "Certificates are always verified."},
    {OPT("backend", "username", STRING, backend.username), .programs = BOTH, .default_value = "",
     .help = "openmrs, novosga: the account the kiosk logs in as."},
    {OPT("backend", "password_file", PATH, backend.password_file), .programs = BOTH, .default_value = "",
     .help = "openmrs, novosga: file holding that account's password."},
    {OPT("backend", "client_id", STRING, backend.client_id), .programs = BOTH, .default_value = "",
     .help = "novosga: OAuth2 client id."},
    {OPT("backend", "client_secret_file", PATH, backend.client_secret_file), .programs = BOTH,
     .default_value = "", .help = "novosga: file holding the OAuth2 client secret."},
    {OPT("backend", "unit", INT, backend.unit), .programs = BOTH, .max = 1000000, .default_value = "0",
     .help = "novosga: the unit (unidade) whose panel is shown."},
    {OPT("backend", "services", STRING, backend.services), .programs = BOTH, .default_value = "",
     .help = "novosga: comma-separated service ids for the panel, e.g. `1,2`."},
    {OPT("backend", "calling_statuses", STRING, backend.calling_statuses), .programs = BOTH,
     .default_value = "calling",
     .help = "openmrs: the statuses that call a ticket to its room (O3's `callingStatus`), "
             "comma-separated, case ignored. Any other status is a ticket being served: its "
             "room is shown, nothing is announced; `completed` is a room with nobody."},
    {OPT("backend", "room_order", STRING, backend.room_order), .programs = BOTH,
     .default_value = "",
     .help = "openmrs: queue names (as OpenMRS spells them), comma-separated, shown first and "
             "in this order; the others follow by name, numbers by value (`Room 2` before "
             "`Room 10`)."},
    {OPT("backend", "emergency_priorities", STRING, backend.emergency_priorities),
     .programs = BOTH,
     .default_value = "04f6f7e0-e3cb-4e13-a133-4479f759574e,dc3492ef-24a5-4fd9-b58d-4fd2acf7071f,"
                      "Emergency,Urgent",
     .help = "openmrs: priority concepts shown as emergencies, by uuid (O3's Emergency and "
             "Urgent by default) or by name, comma-separated; others wait as normal."},
    {OPT("backend", "waiting_status", STRING, backend.waiting_status), .programs = BOTH,
     .default_value = "51ae5e4d-b72b-4912-bf31-a17efb690aeb", .chars = UUID_CHARS,
     .chars_doc = "a concept uuid",
     .help = "openmrs: the queue status concept of waiting patients (O3's Waiting); their "
             "entries make the waiting list. Empty: no waiting list is asked for."},
    {OPT("backend", "number_attribute", STRING, backend.number_attribute), .programs = BOTH,
     .default_value = "c0c579b0-8e59-401d-8a4a-976a0b183519", .chars = UUID_CHARS,
     .chars_doc = "a visit attribute type uuid",
     .help = "openmrs: the visit attribute type holding the ticket number (O3's "
             "`visitQueueNumberAttributeUuid`)."},
    {OPT("backend", "emergency_names", STRING, backend.emergency_names), .programs = BOTH,
     .default_value = "急诊,急救,emergência,urgência,emergency,urgent",
     .help = "novosga: priority names (comma-separated) shown as emergency (red). "
             "A name matches where a word starts (`urgent` matches `Urgente`); "
             "case and accents are ignored."},
    {OPT("backend", "appointment_names", STRING, backend.appointment_names), .programs = BOTH,
     .default_value = "预约,agendamento,appointment",
     .help = "novosga: priority names (comma-separated) shown as appointment. Any other "
             "priority (`peso` > 0) shows the site's own name for it."},

    {OPT("storage", "path", PATH, storage.path), .default_value = "/var/lib/kiosk/kiosk.db",
     .help = "SQLite database; missing folders on the way are created (0750)."},
    {OPT("storage", "path", PATH, storage.path), .programs = HUB_ONLY,
     .default_value = "/var/lib/kiosk-hub/hub.db",
     .help = "SQLite database: ratings, complaints, heartbeats and the last snapshot; missing "
             "folders on the way are created (0750)."},

    {OPT("qr", "key_file", PATH, qr.key_file), .programs = BOTH, .default_value = "",
     .help = "The site's token key: at least 32 random bytes, not readable by others "
             "(`head -c 32 /dev/urandom > key; chmod 600 key`)."},
    {OPT("qr", "survey_url", STRING, qr.survey_url), .programs = BOTH, .default_value = "",
     .help = "Survey link template with `{token}` (also `{device}`, `{ticket}`, `{lang}`), "
             "e.g. `https://survey.example/r/{token}`; empty for none."},
    {OPT("qr", "results_url", STRING, qr.results_url), .programs = BOTH, .default_value = "",
     .help = "Results lookup template with `{token}`, e.g. `https://results.example/l/{token}`; "
             "empty for none."},
    {OPT("qr", "survey_ttl_hours", INT, qr.survey_ttl_hours), .min = 1, .max = 8760,
     .default_value = "168", .help = "How long a survey token stays valid."},
    {OPT("qr", "results_ttl_hours", INT, qr.results_ttl_hours), .min = 1, .max = 8760,
     .default_value = "720", .help = "How long a results token stays valid."},
    {OPT("qr", "rotate_seconds", INT, qr.rotate_seconds), .min = 3, .max = 600,
     .default_value = "12",
     .help = "With both links set, the call screen shows each code this long in turn."},

    {OPT("kiosk", "departments", STRING, kiosk.departments),
     .default_value = "内科|Internal Medicine; 外科|Surgery; 儿科|Pediatrics",
     .help = "Departments a ticket can be taken for, `中文|English` pairs separated by `;` "
             "(at most 8); the Chinese name is what the backend is asked for."},
    {OPT("kiosk", "idle_seconds", INT, kiosk.idle_seconds), .min = 10, .max = 600,
     .default_value = "45", .help = "Back to the home screen after this long untouched."},
    {OPT("kiosk", "attract_seconds", INT, kiosk.attract_seconds), .max = 3600,
     .default_value = "90",
     .help = "The home screen untouched this long turns into a large \"touch to start\" screen "
             "that can be read from across the hall; 0 never."},
    {OPT("kiosk", "rating_interval_s", INT, kiosk.rating_interval_s), .max = 3600,
     .default_value = "20",
     .help = "Ratings from this kiosk closer together than this are thanked but not counted "
             "(button mashing); 0 counts every one."},
    {OPT("kiosk", "complaints_phone", STRING, kiosk.complaints_phone), .default_value = "",
     .help = "The hospital's complaints telephone number, offered after an unhappy rating "
             "(1 or 2) with the complaint form's code when `[qr] survey_url` is kiosk-hub's "
             "`/r/{token}`; empty for none."},

    {OPT("printer", "device", STRING, printer.device), .default_value = "",
     .help = "`usb:/dev/usb/lp0`, `tcp:HOST:9100`, `cups:QUEUE` (raw, through `lp`) or "
             "`file:PATH` (bytes appended, for previews); empty for no printer."},
    {OPT("printer", "paper_mm", INT, printer.paper_mm), .min = 58, .max = 80,
     .default_value = "58", .help = "Paper width: `58` (384 dots) or `80` (576 dots)."},
    {OPT("printer", "cut", ENUM, printer.cut), .enum_names = cut_names,
     .default_value = "partial",
     .help = "`partial` leaves the ticket hanging for the patient to take; some printers "
             "only do that."},
    {OPT("printer", "native_qr", BOOL, printer.native_qr), .default_value = "false",
     .help = "Print the QR code with the printer's own `GS ( k` command (only for printers "
             "known to do it well); otherwise it is drawn into the ticket's raster."},
    {OPT("printer", "timeout_ms", INT, printer.timeout_ms), .min = 200, .max = 60000,
     .default_value = "5000", .help = "Longest wait for the printer to connect, take data or answer."},
    {OPT("printer", "band_rows", INT, printer.band_rows), .min = 8, .max = 256,
     .default_value = "256",
     .help = "Rows per raster block: small blocks keep cheap printers' buffers from overflowing."},
    {OPT("printer", "status", ENUM, printer.status), .enum_names = status_names,
     .default_value = "auto",
     .help = "Asking the printer's state (`DLE EOT`): `auto` asks, and a tcp/usb printer that "
             "has never answered is taken as one-way (it prints, its state `unknown`); `ask` "
             "makes no answer a fault; `none` never asks (docs/printing.md)."},

    {OPT("audio", "enabled", BOOL, audio.enabled), .default_value = "true",
     .help = "Announce calls; `off` for silent areas. A machine without an audio device runs on "
             "silently (logged once)."},
    {OPT("audio", "volume", INT, audio.volume), .max = 100, .default_value = "80",
     .help = "Loudness of announcements in percent of full scale."},
    {OPT("audio", "quiet_hours", STRING, audio.quiet_hours), .default_value = "",
     .chars = "0123456789:-", .chars_doc = "HH:MM-HH:MM",
     .help = "Local times when `quiet_volume` applies, e.g. `22:00-07:00` (may run past "
             "midnight); empty for none."},
    {OPT("audio", "quiet_volume", INT, audio.quiet_volume), .max = 100, .default_value = "30",
     .help = "Loudness inside quiet hours; 0 announces nothing then (the screen still shows "
             "the call)."},
    {OPT("audio", "repeat", INT, audio.repeat), .max = 3, .default_value = "1",
     .help = "How many times the spoken call is said again after the first (the chime plays "
             "once)."},
    {OPT("audio", "pause_ms", INT, audio.pause_ms), .min = 200, .max = 5000,
     .default_value = "1000",
     .help = "Silence after each announcement and before a repeat: calls waiting their turn "
             "follow one another with exactly this gap."},
    {OPT("audio", "english", BOOL, audio.english), .default_value = "true",
     .help = "Say each call in English too, after the Mandarin."},
    {OPT("audio", "speak_names", BOOL, audio.speak_names), .default_value = "false",
     .help = "Let templates say `{name}`: off for privacy. Only names in Latin letters or "
             "pinyin are spoken; hanzi names are left out (espeak-ng cannot read them)."},
    {OPT("audio", "template_zh", STRING, audio.template_zh),
     .default_value = "请 {ticket} 号 到 {room} 号诊室 就诊",
     .help = "The Mandarin call, with `{ticket}` (read one character at a time), `{room}` (the "
             "room's number) and `{name}`. Hanzi must come from the phrase table in "
             "docs/audio.md; anything else is written as pinyin with tone numbers (`qing3`)."},
    {OPT("audio", "template_en", STRING, audio.template_en),
     .default_value = "Number {ticket}, please go to room {room}.",
     .help = "The English call, with the same fields."},
    {OPT("audio", "clips", PATH, audio.clips), .default_value = "",
     .help = "Folder of recorded WAV clips (`zh/qing3.wav`, `en/please.wav`, `chime.wav`; "
             "docs/audio.md) used instead of synthesis wherever a clip exists; empty for "
             "synthesis only."},

    {OPT("hub", "listen", STRING, hub.listen), .programs = HUB_ONLY,
     .default_value = "127.0.0.1:8080", .chars = "0123456789abcdefABCDEF.:[]", .min = 3,
     .chars_doc = "HOST:PORT (an IP address; [::1]:8080 for IPv6)",
     .help = "Address and port to listen on. Keep 127.0.0.1 behind the hospital's reverse "
             "proxy; 0.0.0.0 serves the network."},
    {OPT("hub", "tls_cert", PATH, hub.tls_cert), .programs = HUB_ONLY, .default_value = "",
     .help = "PEM certificate chain to serve HTTPS itself; empty serves plain HTTP (behind a "
             "proxy that does TLS)."},
    {OPT("hub", "tls_key", PATH, hub.tls_key), .programs = HUB_ONLY, .default_value = "",
     .help = "PEM private key of `tls_cert`, readable by the hub only."},
    {OPT("hub", "devices_file", PATH, hub.devices_file), .programs = HUB_ONLY,
     .default_value = "",
     .help = "The devices allowed on kiosk API v1, one `device-id token` per line (`#` "
             "comments), not readable by others; deleting a line revokes that device at once. "
             "Empty: the device API answers 401 to everyone."},
    {OPT("hub", "hospital_zh", STRING, display.hospital_zh), .programs = HUB_ONLY,
     .default_value = "", .help = "Hospital name in Chinese, at the top of every page."},
    {OPT("hub", "hospital_en", STRING, display.hospital_en), .programs = HUB_ONLY,
     .default_value = "", .help = "Hospital name in English, at the top of every page."},
    {OPT("hub", "complaints_phone", STRING, hub.complaints_phone), .programs = HUB_ONLY,
     .default_value = "", .chars = "0123456789+-() ", .chars_doc = "digits, + - ( ) and spaces",
     .help = "The hospital's published complaints telephone number, given with every "
             "complaint's reference number; empty for none."},
    {OPT("hub", "threads", INT, hub.threads), .programs = HUB_ONLY, .min = 1, .max = 64,
     .default_value = "2", .help = "Threads serving requests (long-polls hold none)."},
    {OPT("hub", "max_connections", INT, hub.max_connections), .programs = HUB_ONLY,
     .min = 16, .max = 60000, .default_value = "4000",
     .help = "Open connections at most: every display's long-poll and every phone's live page "
             "hold one."},
    {OPT("hub", "ratings_per_address", INT, hub.ratings_per_address), .programs = HUB_ONLY,
     .min = 1, .max = 100000, .default_value = "30",
     .help = "Ratings per hour from one network address through codes that name no ticket "
             "(a hospital's guest Wi-Fi puts many phones behind one address)."},

    {OPT("web", "results_portal", STRING, web.results_portal), .programs = HUB_ONLY,
     .default_value = "",
     .help = "Where a results code sends the patient (303), with `{visit}` (the ticket "
             "number), `{date}` (the day it was issued, YYYY-MM-DD) and `{lang}`; empty shows a "
             "page saying where results can be had."},
    {OPT("web", "retention_days", INT, web.retention_days), .programs = HUB_ONLY, .min = 1,
     .max = 3650, .default_value = "30",
     .help = "Days a complaint's call-back number (given only with the patient's consent) is "
             "kept; then it is removed from the database. The complaint itself stays."},

    {OPT("staff", "session_minutes", INT, staff.session_minutes), .programs = HUB_ONLY,
     .min = 5, .max = 1440, .default_value = "480",
     .help = "How long a staff login lasts (one shift); then the page asks for the password "
             "again."},
    {OPT("staff", "complaint_due_days", INT, staff.complaint_due_days), .programs = HUB_ONLY,
     .min = 1, .max = 60, .default_value = "5",
     .help = "Working days (Monday to Friday) the hospital gives itself to answer a complaint: "
             "its due date, and overdue after it."},
    {OPT("staff", "login_delay_s", INT, staff.login_delay_s), .programs = HUB_ONLY, .min = 1,
     .max = 3600, .default_value = "30",
     .help = "After six wrong passwords for one account or from one address, the next try must "
             "wait this long, doubling with each further failure (at most 1 hour)."},

    {OPT("health", "heartbeat_s", INT, health.heartbeat_s), .min = 5, .max = 3600,
     .default_value = "60",
     .help = "Seconds between heartbeats (`POST /api/v1/devices/{id}/heartbeat`, http backend "
             "only) and rewrites of `prom_file`."},
    {OPT("health", "prom_file", PATH, health.prom_file),
     .default_value = "/var/lib/kiosk/kiosk.prom",
     .help = "Prometheus textfile-collector file with the heartbeat's figures, replaced "
             "atomically; empty for none."},

    {OPT("alerts", "webhook_url", STRING, alerts.webhook_url), .programs = HUB_ONLY,
     .default_value = "",
     .help = "Where each alert is POSTed as JSON: a WeCom or DingTalk group robot's URL, or "
             "your own receiver; empty shows alerts on the fleet page only."},
    {OPT("alerts", "webhook_format", ENUM, alerts.webhook_format), .programs = HUB_ONLY,
     .enum_names = webhook_names, .default_value = "generic",
     .help = "`generic` (kind, state, subject, text, hospital, at), or the `wecom` / "
             "`dingtalk` group robots' text message."},
    {OPT("alerts", "heartbeat_s", INT, alerts.heartbeat_s), .programs = HUB_ONLY, .min = 1,
     .max = 3600, .default_value = "60",
     .help = "The devices' heartbeat interval, for those whose heartbeat does not say its own "
             "(the kiosk does): a device not heard from for 3 intervals is offline, and "
             "alerted once."},
    {OPT("alerts", "queue_waiting", INT, alerts.queue_waiting), .programs = HUB_ONLY,
     .max = 10000, .default_value = "30",
     .help = "A service with more patients waiting than this for `queue_for_s` raises one "
             "\"open another window\" alert (and one when it recovers); 0 for no such alert."},
    {OPT("alerts", "queue_wait_min", INT, alerts.queue_wait_min), .programs = HUB_ONLY,
     .max = 1440, .default_value = "60",
     .help = "The same for the longest estimated wait of a service, in minutes; 0 for none."},
    {OPT("alerts", "queue_for_s", INT, alerts.queue_for_s), .programs = HUB_ONLY, .min = 1,
     .max = 86400, .default_value = "600",
     .help = "How long a queue must stay too long before the alert, and back under the level "
             "before the recovery: one alert per episode, not one per look."},
    {OPT("alerts", "history_days", INT, alerts.history_days), .programs = HUB_ONLY, .min = 1,
     .max = 3650, .default_value = "14",
     .help = "Days of device history and of closed alerts kept for the device pages."},
    {OPT("alerts", "retry_max_s", INT, alerts.retry_max_s), .programs = HUB_ONLY, .min = 2,
     .max = 3600, .default_value = "300",
     .help = "Longest pause between attempts to deliver an alert the webhook refused (2 s, "
             "then doubling)."},
    {OPT("alerts", "metrics", BOOL, alerts.metrics), .programs = HUB_ONLY,
     .default_value = "true",
     .help = "Serve `GET /metrics` (Prometheus text format: devices, queues, alerts). It "
             "names devices and services, no patient: restrict it at the firewall or proxy."},
};
// clang-format on

/* Where values come from, and where their problems go. */
struct sink {
    FILE *out; /* the messages so far; NULL while applying defaults, which must not fail */
    char *text;
    size_t size;
    int count;
    const char *origin; /* file name, or "--set assignment" */
    int line;           /* 0 = the origin has no lines */
    const char *base;   /* folder relative paths resolve against; "" = the root */
    enum config_program program;
};

/* One config_load: the file's text and what inih has been fed of it. */
struct load {
    struct config *config;
    struct sink *sink;
    char *text;
    size_t size;
    size_t pos;
    int *bad_lines; /* malformed lines found so far; fed to inih as blank lines */
    size_t bad_count;
    int set_on[ARRAY_SIZE(options)]; /* line each key was set on, 0 = not yet */
    char bad_section[64];            /* the unknown section last reported */
};

struct type_ops {
    const char *name;
    void (*set)(const struct option *o, void *field, const char *value, struct sink *s);
    void (*allowed)(const struct option *o, char *buf, size_t size);
};

static bool belongs(unsigned programs, enum config_program program)
{
    return ((programs ? programs : (unsigned)CONFIG_KIOSK) & (unsigned)program) != 0;
}

/* The name a program knows an option's section by. */
static const char *section_name(const struct option *o, enum config_program program)
{
    return program == CONFIG_HUB && strcmp(o->section, "backend") == 0 ? "upstream" : o->section;
}

static void sink_open(struct sink *s, const char *origin, enum config_program program)
{
    *s = (struct sink){.origin = origin, .base = "", .program = program};
    s->out = open_memstream(&s->text, &s->size);
    if (!s->out)
        abort();
}

/* Hands the messages to *err, or frees them and returns true when there are none. */
static bool sink_close(struct sink *s, char **err)
{
    if (fclose(s->out) != 0)
        abort();
    *err = s->count ? s->text : NULL;
    if (!s->count)
        free(s->text);
    return !s->count;
}

/* Drops the messages so far, keeping where values come from. */
static void sink_reset(struct sink *s)
{
    const char *base = s->base;
    char *dropped;
    sink_close(s, &dropped);
    free(dropped);
    sink_open(s, s->origin, s->program);
    s->base = base;
}

static void report(struct sink *s, const struct option *o, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void report(struct sink *s, const struct option *o, const char *fmt, ...)
{
    if (!s->out)
        abort(); /* a default in the table is invalid: a bug, not a user error */
    if (s->count++)
        fputc('\n', s->out);
    if (s->line)
        fprintf(s->out, "%s:%d: ", s->origin, s->line);
    else
        fprintf(s->out, "%s: ", s->origin);
    if (o)
        fprintf(s->out, "[%s] %s: ", section_name(o, s->program), o->key);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(s->out, fmt, ap);
    va_end(ap);
}

static const char *join(const char *const *names, const char *sep, char *buf, size_t size)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; names[i] && used < size; i++)
        used += snprintf(buf + used, size - used, "%s%s", i ? sep : "", names[i]);
    return buf;
}

static const char *name_at(const char *const *names, int index)
{
    for (int i = 0; names[i]; i++) {
        if (i == index)
            return names[i];
    }
    return "?";
}

static void set_text(const struct option *o, void *field, const char *value, struct sink *s)
{
    size_t len = strlen(value);
    if (!utf8_valid(value))
        report(s, o, "value is not valid UTF-8");
    else if (len < (size_t)o->min || len >= o->size)
        report(s, o, "is %zu bytes long; %lld..%zu allowed", len, o->min, o->size - 1);
    else if (o->chars && value[strspn(value, o->chars)])
        report(s, o, "\"%s\" may only hold %s", value, o->chars_doc);
    else
        memcpy(field, value, len + 1);
}

static void set_path(const struct option *o, void *field, const char *value, struct sink *s)
{
    if (!value[0] || value[0] == '/') {
        set_text(o, field, value, s);
        return;
    }
    char *full = xasprintf("%s/%s", s->base, value);
    set_text(o, field, full, s);
    free(full);
}

static void allowed_text(const struct option *o, char *buf, size_t size)
{
    if (o->chars)
        snprintf(buf, size, "%lld..%zu bytes of %s", o->min, o->size - 1, o->chars_doc);
    else
        snprintf(buf, size, "UTF-8, up to %zu bytes", o->size - 1);
}

static void allowed_path(const struct option *o, char *buf, size_t size)
{
    snprintf(buf, size, "up to %zu bytes once resolved", o->size - 1);
}

static void allowed_number(const struct option *o, char *buf, size_t size)
{
    snprintf(buf, size, "%s%lld..%lld", o->zero_ok ? "0 or " : "", o->min, o->max);
}

static void allowed_bool(const struct option *o, char *buf, size_t size)
{
    (void)o;
    size_t used = 0;
    for (size_t i = 0; i < ARRAY_SIZE(bool_names) && used < size; i++)
        used += snprintf(buf + used, size - used, "%s%s/%s", i ? ", " : "", bool_names[i][1],
                         bool_names[i][0]);
}

static void allowed_enum(const struct option *o, char *buf, size_t size)
{
    char names[256];
    snprintf(buf, size, "`%s`", join(o->enum_names, "`, `", names, sizeof names));
}

/* Only a plain decimal number: strtoll alone would also take " 7", "+7" and "7 apples". */
static bool parse_number(const struct option *o, const char *value, struct sink *s, long long *n)
{
    char *end;
    errno = 0;
    *n = strtoll(value, &end, 10);
    if (!isdigit((unsigned char)value[value[0] == '-']) || *end) {
        report(s, o, "\"%s\" is not a whole number", value);
        return false;
    }
    if (errno == ERANGE || !((o->zero_ok && *n == 0) || (*n >= o->min && *n <= o->max))) {
        char range[64];
        allowed_number(o, range, sizeof range);
        report(s, o, "%s is out of range %s", value, range);
        return false;
    }
    return true;
}

static void set_int(const struct option *o, void *field, const char *value, struct sink *s)
{
    long long n;
    if (parse_number(o, value, s, &n))
        *(int *)field = (int)n;
}

static void set_int64(const struct option *o, void *field, const char *value, struct sink *s)
{
    long long n;
    if (parse_number(o, value, s, &n))
        *(int64_t *)field = n;
}

static void set_bool(const struct option *o, void *field, const char *value, struct sink *s)
{
    for (size_t i = 0; i < ARRAY_SIZE(bool_names); i++) {
        for (int truth = 0; truth <= 1; truth++) {
            if (strcasecmp(value, bool_names[i][truth]) == 0) {
                *(bool *)field = truth;
                return;
            }
        }
    }
    char words[128];
    allowed_bool(o, words, sizeof words);
    report(s, o, "\"%s\" is not a boolean (%s)", value, words);
}

static void set_enum(const struct option *o, void *field, const char *value, struct sink *s)
{
    for (int i = 0; o->enum_names[i]; i++) {
        if (strcasecmp(value, o->enum_names[i]) == 0) {
            *(int *)field = i;
            return;
        }
    }
    char names[256];
    report(s, o, "\"%s\" is not one of %s", value, join(o->enum_names, ", ", names, sizeof names));
}

static const struct type_ops types[] = {
    [STRING] = {"string", set_text, allowed_text}, [PATH] = {"path", set_path, allowed_path},
    [INT] = {"int", set_int, allowed_number},      [INT64] = {"int64", set_int64, allowed_number},
    [BOOL] = {"bool", set_bool, allowed_bool},     [ENUM] = {"enum", set_enum, allowed_enum},
};

static void apply(const struct option *o, struct config *config, const char *value, struct sink *s)
{
    types[o->type].set(o, (char *)config + o->offset, value, s);
}

static bool has_section(const char *name, enum config_program program)
{
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
        if (strcmp(sections[i].name, name) == 0 && belongs(sections[i].programs, program))
            return true;
    }
    return false;
}

static void report_section(struct sink *s, const char *section, const char *key)
{
    if (section[0])
        report(s, NULL, "unknown section [%s]", section);
    else
        report(s, NULL, "key \"%s\" comes before any [section]", key);
}

/* The option section.key, or NULL once the reason is reported. */
static const struct option *find_option(struct sink *s, const char *section, const char *key)
{
    if (!has_section(section, s->program)) {
        report_section(s, section, key);
        return NULL;
    }
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option *o = &options[i];
        if (belongs(o->programs, s->program) && strcmp(section_name(o, s->program), section) == 0 &&
            strcmp(o->key, key) == 0)
            return o;
    }
    report(s, NULL, "unknown key \"%s\" in [%s]", key, section);
    return NULL;
}

/* inih's handler. A key set twice in one file is an error rather than "last wins": the two
 * lines are usually an edit that missed the older one, and nothing says which was meant. */
static int on_pair(void *user, const char *section, const char *key, const char *value)
{
    struct load *l = user;
    if (!has_section(section, l->sink->program)) {
        /* One report per unknown section rather than one per key in it. */
        if (!section[0] || strcmp(section, l->bad_section) != 0)
            report_section(l->sink, section, key);
        snprintf(l->bad_section, sizeof l->bad_section, "%s", section);
        return 1;
    }
    const struct option *o = find_option(l->sink, section, key);
    if (!o)
        return 1;
    int *first = &l->set_on[o - options];
    if (*first) {
        report(l->sink, o, "set again (first on line %d)", *first);
        return 1;
    }
    *first = l->sink->line;
    apply(o, l->config, value, l->sink);
    return 1;
}

static bool is_bad_line(const struct load *l, int line)
{
    for (size_t i = 0; i < l->bad_count; i++) {
        if (l->bad_lines[i] == line)
            return true;
    }
    return false;
}

/* inih's reader. One line per call lets the handler know the line number inih does not pass
 * it; lines that must not reach inih are reported here and handed over blank. */
static char *next_line(char *str, int num, void *stream)
{
    struct load *l = stream;
    if (l->pos >= l->size)
        return NULL;
    const char *line = l->text + l->pos;
    const char *nl = memchr(line, '\n', l->size - l->pos);
    size_t len = nl ? (size_t)(nl - line) : l->size - l->pos;
    l->pos += len + (nl != NULL);
    l->sink->line++;
    /* inih reads an indented line as more of the previous value ("a = 1" then "  b = 2" sets a
     * to "b = 2"), which no one means in this file. */
    while (len && (*line == ' ' || *line == '\t'))
        line++, len--;
    if (is_bad_line(l, l->sink->line)) {
        report(l->sink, NULL, "expected [section] or key = value");
        len = 0;
    } else if (memchr(line, '\0', len)) {
        report(l->sink, NULL, "line holds a NUL byte");
        len = 0;
    } else if (len > (size_t)num - 2) {
        /* inih would cut it and read the rest as a line of its own */
        report(l->sink, NULL, "line is longer than %d bytes", num - 2);
        len = 0;
    }
    memcpy(str, line, len);
    memcpy(str + len, "\n", 2);
    return str;
}

static int parse_pass(struct load *l)
{
    l->pos = 0;
    l->sink->line = 0;
    memset(l->set_on, 0, sizeof l->set_on);
    l->bad_section[0] = '\0';
    return ini_parse_stream(next_line, l, on_pair, l);
}

/* inih names only the first malformed line. Blanking it and parsing again until none is left
 * reports every one, in line order among the other problems. */
static void parse_all(struct load *l)
{
    int rc;
    while ((rc = parse_pass(l)) > 0) {
        l->bad_lines = xrealloc(l->bad_lines, (l->bad_count + 1) * sizeof *l->bad_lines);
        l->bad_lines[l->bad_count++] = rc;
        sink_reset(l->sink);
    }
    if (rc < 0)
        abort(); /* inih could not allocate its line buffer */
}

/* The whole file up front: the passes above read it more than once, and it may be a pipe. */
static bool read_file(struct load *l, const char *path)
{
    FILE *in = fopen(path, "r");
    if (!in) {
        report(l->sink, NULL, "cannot open: %s", strerror(errno));
        return false;
    }
    FILE *text = open_memstream(&l->text, &l->size);
    if (!text)
        abort();
    char chunk[4096];
    size_t n;
    while ((n = fread(chunk, 1, sizeof chunk, in)) > 0)
        fwrite(chunk, 1, n, text);
    bool failed = ferror(in);
    int error = errno;
    fclose(in);
    if (fclose(text) != 0)
        abort();
    if (failed)
        report(l->sink, NULL, "cannot read: %s", strerror(error));
    return !failed;
}

/* The folder holding file, absolute and without a trailing slash ("" for the root), so that
 * resolved paths still hold if the kiosk changes directory. */
static bool base_dir(const char *file, char *dir, size_t size)
{
    char cwd[PATH_MAX] = "";
    if (file[0] != '/' && !getcwd(cwd, sizeof cwd))
        return false;
    if (strcmp(cwd, "/") == 0)
        cwd[0] = '\0';
    const char *slash = strrchr(file, '/');
    int n = slash ? (int)(slash - file) : 0;
    errno = ENAMETOOLONG; /* the reason, should dir be too small */
    return snprintf(dir, size, "%s%s%.*s", cwd, file[0] != '/' && n ? "/" : "", n, file) <
           (int)size;
}

void config_defaults_for(struct config *config, enum config_program program)
{
    memset(config, 0, sizeof *config);
    config->program = program;
    /* no output: report() aborts on a bad default */
    struct sink s = {.origin = "default", .program = program};
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        if (options[i].default_value && belongs(options[i].programs, program))
            apply(&options[i], config, options[i].default_value, &s);
    }
}

void config_defaults(struct config *config)
{
    config_defaults_for(config, CONFIG_KIOSK);
}

bool config_load(struct config *config, const char *path, char **err)
{
    struct sink sink;
    struct load l = {.config = config, .sink = &sink};
    char base[PATH_MAX];
    sink_open(&sink, path, config->program);
    if (snprintf(config->path, sizeof config->path, "%s", path) >= (int)sizeof config->path) {
        report(&sink, NULL, "file name is too long");
    } else if (!base_dir(path, base, sizeof base)) {
        report(&sink, NULL, "cannot resolve relative paths: %s", strerror(errno));
    } else if (read_file(&l, path)) {
        sink.base = base;
        parse_all(&l);
    }
    free(l.text);
    free(l.bad_lines);
    return sink_close(&sink, err);
}

/* Applies what follows eq to the key named between assignment, dot and eq. */
static void set_named(struct config *config, struct sink *s, const char *assignment,
                      const char *dot, const char *eq)
{
    char *section = xasprintf("%.*s", (int)(dot - assignment), assignment);
    char *key = xasprintf("%.*s", (int)(eq - dot - 1), dot + 1);
    const struct option *o = find_option(s, section, key);
    if (o)
        apply(o, config, eq + 1, s);
    free(section);
    free(key);
}

bool config_set(struct config *config, const char *assignment, char **err)
{
    char *origin = xasprintf("--set %s", assignment);
    char base[PATH_MAX];
    struct sink sink;
    sink_open(&sink, origin, config->program);
    const char *eq = strchr(assignment, '=');
    const char *dot = eq ? memchr(assignment, '.', (size_t)(eq - assignment)) : NULL;
    if (!dot || dot == assignment || dot + 1 == eq) {
        report(&sink, NULL, "expected section.key=value");
    } else if (!base_dir(".", base, sizeof base)) { /* "." is in the current directory */
        report(&sink, NULL, "cannot resolve relative paths: %s", strerror(errno));
    } else {
        sink.base = base;
        set_named(config, &sink, assignment, dot, eq);
    }
    bool ok = sink_close(&sink, err);
    free(origin);
    return ok;
}

/* OpenMRS splits the Basic credentials at every ':', so a password holding one can never log
 * in (the server takes only the part before it); "completed" makes the server drop the ticket
 * (O3 warns against it as a calling status). An unreadable password file is the backend's to
 * report when it starts. */
static void check_openmrs(struct sink *s, const struct backend_config *b, const char *section)
{
    char password[512], *why = NULL;
    if (b->password_file[0] && secret_read(b->password_file, password, sizeof(password), &why) &&
        strchr(password, ':'))
        report(s, NULL,
               "[%s] password_file: the OpenMRS password holds a ':', which OpenMRS can never "
               "accept over HTTP Basic: choose a password without ':' for user %s",
               section, b->username);
    memset(password, 0, sizeof(password));
    free(why);
    char statuses[sizeof(b->calling_statuses)];
    memcpy(statuses, b->calling_statuses, sizeof(statuses));
    char *rest = statuses;
    for (char *status; (status = utf8_field(&rest, ','));) {
        if (strcasecmp(status, "completed") == 0)
            report(s, NULL,
                   "[%s] calling_statuses: \"completed\" removes the ticket in OpenMRS; it "
                   "cannot be a calling status",
                   section);
    }
}

/* What each backend type needs beyond the table's per-key checks. */
static void check_backend(struct sink *s, const struct backend_config *b)
{
    const char *section = s->program == CONFIG_HUB ? "upstream" : "backend";
    if (b->type == BACKEND_DEMO)
        return;
    if (strncmp(b->url, "https://", 8) != 0 && strncmp(b->url, "http://", 7) != 0)
        report(s, NULL, "[%s] url must start with https:// or http:// for type %s", section,
               backend_names[b->type]);
    if (b->type == BACKEND_OPENMRS || b->type == BACKEND_NOVOSGA) {
        if (!b->username[0] || !b->password_file[0])
            report(s, NULL, "[%s] type %s needs username and password_file", section,
                   backend_names[b->type]);
    }
    if (b->type == BACKEND_OPENMRS)
        check_openmrs(s, b, section);
    if (b->type == BACKEND_NOVOSGA && (!b->client_id[0] || !b->client_secret_file[0] || !b->unit))
        report(s, NULL, "[%s] type novosga needs client_id, client_secret_file and unit", section);
    /* Novo SGA answers an empty list with an empty panel: a blank screen and no error. */
    if (b->type == BACKEND_NOVOSGA && !b->services[0])
        report(s, NULL,
               "[%s] type novosga needs services: the ids of the services to show, "
               "e.g. 1,2",
               section);
}

/* HOST:PORT with an IP address (the hub binds it; names would need a resolver at start). */
static void check_hub(struct sink *s, const struct config *config)
{
    struct listen_address address;
    char *why = NULL;
    if (!listen_parse(config->hub.listen, &address, &why)) {
        report(s, NULL, "[hub] listen: %s", why);
        free(why);
    }
    if (!config->hub.tls_cert[0] != !config->hub.tls_key[0])
        report(s, NULL, "[hub] tls_cert and tls_key go together: set both or neither");
}

/* A link without {token} would send every patient to the same page, unsigned. */
static void check_qr(struct sink *s, const struct config *config)
{
    const char *urls[] = {config->qr.survey_url, config->qr.results_url};
    const char *keys[] = {"survey_url", "results_url"};
    for (int i = 0; i < 2; i++) {
        if (urls[i][0] && !strstr(urls[i], "{token}"))
            report(s, NULL, "[qr] %s must contain {token}", keys[i]);
        if (urls[i][0] && !config->qr.key_file[0])
            report(s, NULL, "[qr] %s needs [qr] key_file", keys[i]);
    }
}

/* Templates are read strictly here, so that a word the voice cannot say stops the kiosk at
 * start-up instead of going missing from every call. */
static void check_audio(struct sink *s, const struct config *config)
{
    static const char *const keys[] = {"template_zh", "template_en"};
    const char *templates[] = {config->audio.template_zh, config->audio.template_en};
    struct announce_fields sample = {.ticket = "A023", .room = "12", .name = "Li Ming"};
    struct announce_words *words = xcalloc(1, sizeof *words);
    char *why = NULL;
    for (int lang = 0; lang < 2; lang++) {
        if (!announce_build((enum announce_lang)lang, templates[lang], &sample, words, &why)) {
            report(s, NULL, "[audio] %s: %s", keys[lang], why);
            free(why);
        }
    }
    free(words);
    struct schedule schedule;
    if (!schedule_parse(&schedule, config->audio.quiet_hours, 0, 0, &why)) {
        report(s, NULL, "[audio] quiet_hours: %s", why);
        free(why);
    }
}

static void check_printer(struct sink *s, const struct config *config)
{
    char *why = NULL;
    if (config->printer.paper_mm != 58 && config->printer.paper_mm != 80)
        report(s, NULL, "[printer] paper_mm must be 58 or 80, not %d", config->printer.paper_mm);
    if (config->printer.device[0] && !transport_parse(config->printer.device, &why)) {
        report(s, NULL, "[printer] device: %s", why);
        free(why);
    }
}

/* A clinic table with a bad line is refused at start, not found missing by a patient. */
static void check_pages(struct sink *s, const struct config *config)
{
    struct page_plan plan;
    char *why = NULL;
    if (!pages_parse(config->pages.rotation, &plan, &why)) {
        report(s, NULL, "[pages] rotation: %s", why);
        free(why);
    }
    if (!config->pages.clinics_file[0])
        return;
    struct clinic *clinics = xcalloc(MODEL_CLINICS_MAX, sizeof(*clinics));
    if (clinics_load(config->pages.clinics_file, clinics, MODEL_CLINICS_MAX, &why) < 0) {
        report(s, NULL, "[pages] clinics_file:\n%s", why);
        free(why);
    }
    free(clinics);
}

const char *config_device_id_problem(const char *id)
{
    size_t len = strlen(id);
    if (len == 0)
        return "is empty";
    if (len > CONFIG_DEVICE_ID_MAX)
        return "is longer than 32 bytes";
    if (id[strspn(id, ID_CHARS)])
        return "may only hold A-Z a-z 0-9 . _ -";
    if (strcmp(id, ".") == 0 || strcmp(id, "..") == 0)
        return "cannot be \".\" or \"..\": in a URL they mean a folder, not a device";
    return NULL;
}

bool config_check(const struct config *config, char **err)
{
    struct sink s;
    sink_open(&s, config->path[0] ? config->path : "configuration", config->program);
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option *o = &options[i];
        if (belongs(o->programs, s.program) && !o->default_value &&
            !((const char *)config + o->offset)[0])
            report(&s, NULL, "[%s] %s is required", section_name(o, s.program), o->key);
    }
    check_backend(&s, &config->backend);
    check_qr(&s, config);
    if (config->program == CONFIG_HUB) {
        check_hub(&s, config);
        return sink_close(&s, err);
    }
    /* The table checks length and characters; what is left is a dot segment. */
    const char *id_problem =
        config->device.id[0] ? config_device_id_problem(config->device.id) : NULL;
    if (id_problem)
        report(&s, NULL, "[device] id: \"%s\" %s", config->device.id, id_problem);
    int width = config->device.width, height = config->device.height;
    if ((width == 0) != (height == 0))
        report(&s, NULL, "[device] width and height must both be 0 or both be set, not %dx%d",
               width, height);
    check_printer(&s, config);
    check_audio(&s, config);
    check_pages(&s, config);
    /* Without a font file the index would silently apply to nothing. */
    if (config->display.font_index && !config->display.font[0] && !config->display.font_bold[0])
        report(&s, NULL, "[display] font_index %d needs [display] font or font_bold",
               config->display.font_index);
    return sink_close(&s, err);
}

bool config_read_for(struct config *config, enum config_program program, const char *path,
                     const char *const *overrides, int noverrides, char **err)
{
    config_defaults_for(config, program);
    char *problems[2] = {NULL, NULL};
    bool ok = config_load(config, path, &problems[0]);
    for (int i = 0; ok && i < noverrides; i++)
        ok = config_set(config, overrides[i], &problems[0]);
    /* The rules across keys run even after a bad line: staff fix every problem in one visit
     * to the SD card, not one round per problem. A key whose value was refused keeps its
     * default, which the rules may then name too. */
    ok = config_check(config, &problems[1]) && ok;
    if (!ok)
        *err = problems[0] && problems[1] ? xasprintf("%s\n%s", problems[0], problems[1])
                                          : (problems[0] ? problems[0] : problems[1]);
    if (problems[0] && problems[1]) {
        free(problems[0]);
        free(problems[1]);
    }
    return ok;
}

bool config_read(struct config *config, const char *path, char **err)
{
    return config_read_for(config, CONFIG_KIOSK, path, NULL, 0, err);
}

static void write_section(FILE *out, const struct section *section, enum config_program program)
{
    fprintf(out, "\n## [%s]\n\n%s\n\n", section->name, section->help);
    fputs("| key | type | default | allowed | meaning |\n", out);
    fputs("| --- | --- | --- | --- | --- |\n", out);
    for (size_t i = 0; i < ARRAY_SIZE(options); i++) {
        const struct option *o = &options[i];
        if (!belongs(o->programs, program) || strcmp(section_name(o, program), section->name) != 0)
            continue;
        char allowed[256];
        types[o->type].allowed(o, allowed, sizeof allowed);
        fprintf(out, "| `%s` | %s | ", o->key, types[o->type].name);
        if (!o->default_value)
            fputs("*required*", out);
        else if (!o->default_value[0])
            fputs("*empty*", out);
        else
            fprintf(out, "`%s`", o->default_value);
        fprintf(out, " | %s | %s |\n", allowed, o->help);
    }
}

static void write_intro(FILE *out, enum config_program program)
{
    bool hub = program == CONFIG_HUB;
    char words[128];
    allowed_bool(NULL, words, sizeof words);
    fprintf(out,
            "# %s\n\n"
            "<!-- Generated by config_write_reference() in kiosk/config/config.c: edit that, not "
            "this. -->\n\n"
            "%s reads one INI file: `%s`, or the one named by `--config PATH`. Each\n"
            "`--set section.key=value` on the command line then overrides one key, with the "
            "same checks\nas the file, e.g. `--set %s`.\n\n"
            "- The sections are ",
            hub ? "kiosk-hub configuration" : "Configuration", hub ? "kiosk-hub" : "The kiosk",
            hub ? CONFIG_HUB_PATH : CONFIG_DEFAULT_PATH,
            hub ? "hub.listen=127.0.0.1:8081" : "display.recent_count=5");
    size_t n = 0, total = 0;
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++)
        total += belongs(sections[i].programs, program);
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
        if (!belongs(sections[i].programs, program))
            continue;
        fprintf(out, "%s`[%s]`", !n ? "" : n + 1 < total ? ", " : " and ", sections[i].name);
        n++;
    }
    fprintf(out,
            "; each\n  setting is a `key = value` line.\n"
            "- Lines starting with `;` or `#` are comments, and so is the rest of a line from "
            "` ;` on.\n"
            "- Unknown sections and keys are errors, and so is a key set twice in one file. "
            "Every\n  problem in the file is reported as `FILE:LINE: message`, together with "
            "the rules across\n  keys (a `url` for a backend type), all in one go, and the "
            "program does not start.\n"
            "- Relative paths are resolved against the folder of the config file (for `--set`, "
            "against\n  the current directory): `logo = logo.png` in `/etc/kiosk/kiosk.ini` is "
            "`/etc/kiosk/logo.png`.\n  An empty path means what the table says.\n"
            "- Text is UTF-8. A value too long for its key is an error, never cut short; a line "
            "may\n  hold at most %d bytes.\n"
            "- Numbers are plain decimal integers. Booleans are %s; these\n  and the names of "
            "choices are case-insensitive.\n",
            ini_max_line - 2, words);
}

void config_write_reference(FILE *out, enum config_program program)
{
    write_intro(out, program);
    for (size_t i = 0; i < ARRAY_SIZE(sections); i++) {
        if (belongs(sections[i].programs, program))
            write_section(out, &sections[i], program);
    }
}

const char *role_name(enum role role)
{
    return name_at(role_names, (int)role);
}

const char *language_name(enum language language)
{
    return name_at(language_names, (int)language);
}

const char *orientation_name(enum orientation orientation)
{
    return name_at(orientation_names, (int)orientation);
}
