/* quality.h: the quality office's page and its CSV exports (quality.c), and the complaints
 * page (complaints.c): the staff pages of role quality (staff.h). */
#ifndef KIOSK_HUB_QUALITY_H
#define KIOSK_HUB_QUALITY_H

#include <microhttpd.h>
#include <stdint.h>
#include <stdio.h>

#include "hub/request.h"

/* /staff/quality, /staff/quality.csv (kiosk-hub report --csv's bytes), and
 * /staff/quality/comments.csv. */
enum MHD_Result quality_handle(struct request *r);

/* /staff/complaints (the list; ?status=, ?q=), /staff/complaints.csv, and POST
 * /staff/complaints/REFERENCE (status, owner, reply note). */
enum MHD_Result complaints_handle(struct request *r);

/* /staff/audit: the audit log, for admins (audit.c). */
enum MHD_Result audit_handle(struct request *r);

/* The end of a complaint's due day: created_at plus working_days working days (Monday to
 * Friday), at local midnight after that day. */
int64_t complaint_due(int64_t created_at, int working_days);

/* A CSV download of text (freed here), no-store, as filename. */
enum MHD_Result staff_csv_answer(struct request *r, char *text, const char *filename);

/* text as one quoted CSV field; a leading = + - @ is kept from being a spreadsheet formula. */
void staff_csv_field(FILE *f, const char *text);

#endif
