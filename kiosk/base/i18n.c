/* i18n.c: the string table. Chinese follows the wording of Chinese outpatient call screens;
 * English is what a foreign patient needs, kept short so both fit one line. */
#include <string.h>

#include "base/i18n.h"
#include "base/utf8.h"

static const char *const texts[TEXT_COUNT][2] = {
    [TEXT_NOW_CALLING] = {"正在呼叫", "Now calling"},
    [TEXT_GO_TO_ROOM] = {"请到 {room} 就诊", "Please go to {room}"},
    [TEXT_RECENT] = {"已叫号", "Recently called"},
    [TEXT_NEXT] = {"候诊", "Next"},
    [TEXT_ROOMS] = {"诊室", "Rooms"},
    [TEXT_CLOSED] = {"暂停", "Closed"},
    [TEXT_FREE] = {"空闲", "Free"},
    [TEXT_APPOINTMENT] = {"预约", "Appointment"},
    [TEXT_EMERGENCY] = {"急诊", "Emergency"},
    [TEXT_PRIORITY] = {"优先", "Priority"},
    [TEXT_APPOINTMENT_SHORT] = {"预约", "Appt"},
    [TEXT_EMERGENCY_SHORT] = {"急诊", "ER"},
    [TEXT_PRIORITY_SHORT] = {"优先", "Priority"},
    [TEXT_RECALL] = {"重呼", "Recall"},
    [TEXT_NO_CALLS] = {"暂无叫号", "No calls yet"},
    [TEXT_NOBODY_WAITING] = {"暂无候诊", "Nobody waiting"},
    [TEXT_WAITING_COUNT] = {"候诊 {n} 人", "{n} waiting"},
    [TEXT_AVG_WAIT] = {"平均候诊 {n} 分钟", "avg wait {n} min"},
    [TEXT_ETA] = {"≈ {n} 分钟", "≈ {n} min"},
    [TEXT_ONLINE] = {"在线", "Online"},
    [TEXT_CONNECTING] = {"连接中", "Connecting"},
    [TEXT_OFFLINE_SINCE] = {"离线 自 {time}", "Offline since {time}"},
    [TEXT_WHY_DNS] = {"域名解析失败", "DNS failed"},
    [TEXT_WHY_CERTIFICATE] = {"证书无效", "bad certificate"},
    [TEXT_WHY_NETWORK] = {"连不上服务器", "unreachable"},
    [TEXT_WHY_AUTH] = {"未获授权", "not authorized"},
    [TEXT_WHY_SERVER] = {"数据异常", "bad answer"},
    [TEXT_RESTORED] = {"显示上次数据", "Showing last known queue"},
    [TEXT_QR_SURVEY_TITLE] = {"扫码评价", "Rate your visit"},
    [TEXT_QR_SURVEY_HINT] = {"手机扫一扫，评价本次就诊", "Scan to rate your visit"},
    [TEXT_QR_RESULTS_TITLE] = {"扫码查询报告", "Your results"},
    [TEXT_QR_RESULTS_HINT] = {"手机扫一扫，查看检查报告", "Scan for your results"},
    [TEXT_QR_SCAN] = {"用手机相机扫一扫", "Scan with your phone camera"},
    [TEXT_QR_THEN] = {"稍后显示：{what}", "Next code: {what}"},
    [TEXT_TICKET_YOUR_NUMBER] = {"您的号码", "Your number"},
    [TEXT_TICKET_AHEAD] = {"前面还有 {n} 人", "{n} ahead of you"},
    [TEXT_TICKET_WAIT] = {"预计等候约 {n} 分钟", "About {n} min wait"},
    [TEXT_TICKET_QR] = {"扫码查看排队进度、评价服务", "Scan to follow the queue and rate us"},
    [TEXT_TICKET_FOOTER] = {"请留意叫号，过号请到服务台",
                            "Listen for your number; missed it? Ask the desk"},
    [TEXT_PRINTER_PAPER_OUT] = {"打印机缺纸，请到服务台取号",
                                "Printer out of paper, please go to the desk"},
    [TEXT_PRINTER_COVER_OPEN] = {"打印机盖未关好，请到服务台取号",
                                 "Printer cover open, please go to the desk"},
    [TEXT_PRINTER_FAULT] = {"打印机暂不可用，请到服务台取号",
                            "Printer not working, please go to the desk"},
    [TEXT_KIOSK_SUBTITLE] = {"自助服务", "Self-service"},
    [TEXT_KIOSK_HELLO] = {"您好，请选择服务", "Hello, please choose a service"},
    [TEXT_KIOSK_TAP] = {"轻触屏幕", "Tap the screen"},
    [TEXT_KIOSK_TAKE_TICKET] = {"取号", "Take a ticket"},
    [TEXT_KIOSK_CHOOSE] = {"请选择科室", "Choose a department"},
    [TEXT_KIOSK_ISSUING] = {"正在取号，请稍候", "Getting your ticket, one moment"},
    [TEXT_KIOSK_TAKE_PAPER] = {"请取走您的号票", "Please take your ticket"},
    [TEXT_KIOSK_PRINTING] = {"正在打印号票", "Printing your ticket"},
    [TEXT_KIOSK_NOT_PRINTED] = {"号票未能打印，请记下号码", "Not printed: write down your number"},
    [TEXT_KIOSK_TICKETS_PAUSED] = {"暂停取号", "No tickets now"},
    [TEXT_KIOSK_NO_TICKETS_NOW] = {"暂时无法取号", "No tickets now"},
    [TEXT_KIOSK_NO_CHECK_IN_NOW] = {"暂时无法签到", "No check-in now"},
    [TEXT_KIOSK_NO_CHECK_IN] = {"暂时无法签到", "Check-in is not available now"},
    [TEXT_KIOSK_CHECK_IN_AT_DESK] = {"请到服务台签到", "Please check in at the service desk"},
    [TEXT_KIOSK_BACKEND_DOWN] = {"排队系统暂时连不上，请到服务台",
                                 "Queue system unreachable: please go to the desk"},
    [TEXT_KIOSK_UNAVAILABLE] = {"暂时无法取号", "Tickets are not available now"},
    [TEXT_KIOSK_GO_TO_DESK] = {"请到服务台取号", "Please go to the service desk"},
    [TEXT_KIOSK_BACK] = {"返回", "Back"},
    [TEXT_KIOSK_LARGE] = {"大字模式", "Large text"},
    [TEXT_KIOSK_OTHER_LANGUAGE] = {"English", "中文"},
    [TEXT_KIOSK_CHECK_IN] = {"预约签到", "Check in"},
    [TEXT_KIOSK_ENTER_CODE] = {"请输入预约码", "Enter your appointment code"},
    [TEXT_KIOSK_OR_SCAN] = {"或扫描预约单上的条码", "or scan the barcode on your slip"},
    [TEXT_KIOSK_DELETE] = {"删除", "Delete"},
    [TEXT_KIOSK_CONFIRM] = {"确认", "OK"},
    [TEXT_KIOSK_CHECKING] = {"正在签到，请稍候", "Checking you in, one moment"},
    [TEXT_KIOSK_CHECKED_IN] = {"签到成功", "You are checked in"},
    [TEXT_KIOSK_PRINTING_SLIP] = {"正在打印签到单", "Printing your slip"},
    [TEXT_KIOSK_TAKE_SLIP] = {"请取走签到单", "Please take your slip"},
    [TEXT_KIOSK_SLIP_NOT_PRINTED] = {"未能打印，请记下号码", "Not printed: note the number"},
    [TEXT_KIOSK_APPOINTMENT_AT] = {"预约时间 {time}", "Appointment at {time}"},
    [TEXT_KIOSK_WAIT_FOR_ROOM] = {"请到 {room} 候诊", "Please wait for {room}"},
    [TEXT_KIOSK_NOT_FOUND] = {"未找到今天的预约", "No appointment today for this code"},
    [TEXT_KIOSK_CHECK_CODE] = {"请核对号码或到服务台", "Check the code or ask at the desk"},
    [TEXT_KIOSK_RATE] = {"服务评价", "Rate your visit"},
    [TEXT_KIOSK_HOW_WAS_IT] = {"您对本次就诊满意吗？", "How was your visit?"},
    [TEXT_KIOSK_FACE_1] = {"很不满意", "Very unhappy"},
    [TEXT_KIOSK_FACE_2] = {"不满意", "Unhappy"},
    [TEXT_KIOSK_FACE_3] = {"一般", "OK"},
    [TEXT_KIOSK_FACE_4] = {"满意", "Happy"},
    [TEXT_KIOSK_FACE_5] = {"很满意", "Very happy"},
    [TEXT_KIOSK_REASON_1] = {"等候时间长", "Long wait"},
    [TEXT_KIOSK_REASON_2] = {"服务态度好", "Friendly staff"},
    [TEXT_KIOSK_REASON_3] = {"环境整洁", "Clean and tidy"},
    [TEXT_KIOSK_REASON_4] = {"指引不清楚", "Hard to find the way"},
    [TEXT_KIOSK_SUBMIT] = {"提交评价", "Send"},
    [TEXT_KIOSK_THANKS] = {"谢谢您的评价", "Thank you for your feedback"},
    [TEXT_KIOSK_SORRY] = {"很抱歉让您不满意", "We are sorry it was not better"},
    [TEXT_KIOSK_COMPLAINTS_PHONE] = {"投诉电话 {phone}", "Complaints line {phone}"},
    [TEXT_KIOSK_COMPLAIN_SCAN] = {"扫码投诉或提建议", "Scan to tell us what happened"},
    [TEXT_KIOSK_TOUCH] = {"轻触屏幕开始", "Touch the screen to start"},
    [TEXT_KIOSK_RESULTS] = {"查询报告", "Look up results"},
    [TEXT_KIOSK_VISIT_NUMBER] = {"请输入就诊号", "Enter your visit number"},
    [TEXT_KIOSK_OR_SCAN_TICKET] = {"或扫描号票上的二维码", "or scan the code on your ticket"},
    [TEXT_KIOSK_SCAN_RESULTS] = {"请用手机扫码查看报告",
                                 "Scan with your phone to see your results"},
    [TEXT_KIOSK_VISIT] = {"就诊号 {visit}", "Visit {visit}"},
    [TEXT_KIOSK_PRINTING_CODE] = {"正在打印二维码", "Printing the code for you"},
    [TEXT_KIOSK_TAKE_CODE] = {"请取走二维码小票", "Please take the printed code"},
    [TEXT_KIOSK_NOT_PRINTED_CODE] = {"未能打印，请直接扫描屏幕", "Not printed: scan the screen"},
    [TEXT_KIOSK_RESULTS_PRIVATE] = {"报告只在您的手机上显示",
                                    "Results show only on your own phone"},
    [TEXT_KIOSK_NO_PHONE] = {"没有智能手机？请到服务台打印报告",
                             "No smartphone? Ask at the desk for a printout"},
    [TEXT_KIOSK_NOT_A_VISIT] = {"无法识别该号码", "This number is not recognised"},
    [TEXT_KIOSK_RATE_ON_PHONE] = {"用手机评价", "Rate on your phone"},
    [TEXT_KIOSK_RATE_SCAN_TICKET] = {"可选：扫描号票关联本次就诊", "Optional: scan your ticket"},
    [TEXT_KIOSK_RATE_TICKET] = {"号票 {ticket} 随评价提交", "Ticket {ticket} goes with it"},
    [TEXT_KIOSK_PRIORITY] = {"{priority}优先", "{priority} priority"},
    [TEXT_SLIP_RESULTS] = {"检查检验报告查询", "Your test results"},
    [TEXT_SLIP_SCAN] = {"用手机扫码查看报告", "Scan with your phone to see them"},
    [TEXT_SLIP_FOOTER] = {"二维码仅限本人使用，请妥善保管",
                          "The code is yours alone: keep it safe"},
    [TEXT_RESULTS_READY] = {"检验报告已出", "Results ready"},
    [TEXT_RESULTS_HINT] = {"扫码或到自助机取查询码", "Scan, or get a code at the kiosk"},
    [TEXT_OFFPEAK_TITLE] = {"各时段候诊", "Typical wait by hour"},
    [TEXT_OFFPEAK_SUBTITLE] = {"近 {weeks} 周中位数，分钟", "minutes, last {weeks} weeks"},
    [TEXT_OFFPEAK_QUIETEST] = {"最空闲 {hours}", "Quietest: {hours}"},
    [TEXT_OFFPEAK_NO_HISTORY] = {"数据还不够，暂无统计", "Not enough history yet"},
    [TEXT_OFFPEAK_NOW] = {"现在", "Now"},
    [TEXT_OFFPEAK_MINUTES] = {"{n}分钟", "{n} min"},
    [TEXT_OFFPEAK_NO_DATA] = {"叫号太少，无数据", "too few calls, no data"},
    [TEXT_CLINICS_TITLE] = {"专家门诊", "Specialist clinics"},
    [TEXT_SUNDAY] = {"星期日", "Sun"},
    [TEXT_MONDAY] = {"星期一", "Mon"},
    [TEXT_TUESDAY] = {"星期二", "Tue"},
    [TEXT_WEDNESDAY] = {"星期三", "Wed"},
    [TEXT_THURSDAY] = {"星期四", "Thu"},
    [TEXT_FRIDAY] = {"星期五", "Fri"},
    [TEXT_SATURDAY] = {"星期六", "Sat"},
};

const char *i18n_text(enum text_id id, enum lang lang)
{
    return texts[id][lang];
}

enum text_id i18n_offline_reason(const char *error)
{
    static const struct {
        const char *part;
        enum text_id why;
    } reasons[] = {
        {"DNS:", TEXT_WHY_DNS},
        {"TLS:", TEXT_WHY_CERTIFICATE},
        {"not authorized", TEXT_WHY_AUTH},
        {"connection refused", TEXT_WHY_NETWORK},
        {"cannot connect", TEXT_WHY_NETWORK},
        {"Timeout", TEXT_WHY_NETWORK},
        {"the server closed the connection", TEXT_WHY_NETWORK},
        {"the connection broke", TEXT_WHY_NETWORK},
    };
    for (size_t i = 0; i < sizeof(reasons) / sizeof(reasons[0]); i++)
        if (strstr(error, reasons[i].part))
            return reasons[i].why;
    return TEXT_WHY_SERVER;
}

void i18n_fill(char *out, size_t size, const char *template, const char *key, const char *value)
{
    /* Build in a roomy buffer, then cut by whole characters to the caller's size. */
    char filled[1024];
    size_t key_len = strlen(key);
    size_t used = 0;
    while (*template && used + 1 < sizeof(filled)) {
        const char *piece = template;
        size_t len = 1;
        if (template[0] == '{' && strncmp(template + 1, key, key_len) == 0 &&
            template[1 + key_len] == '}') {
            piece = value;
            len = strlen(value);
            template += key_len + 2;
        } else {
            template ++;
        }
        if (len > sizeof(filled) - 1 - used)
            len = sizeof(filled) - 1 - used;
        memcpy(filled + used, piece, len);
        used += len;
    }
    filled[used] = 0;
    utf8_copy(out, size, filled);
}
