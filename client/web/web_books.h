/*
 * client/web/web_books.h — what the accountant's pages share (helper D's
 * files): the tenant's periods (PERIODS) and the result of an open year
 * so far, as `grandlivre periods` computes them; months as YYYYMM.
 */
#ifndef GL_WEB_BOOKS_H
#define GL_WEB_BOOKS_H

#include "web.h"

#include "proto/reply.h"

/* Markup the program wrote around numbers (%u, %ld, PRIu64): never text,
 * which goes through web_esc (web_role.c). */
void web_markf(gl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* PERIODS of r->tenant: 0 with *p decoded (views into resp: free it), or
 * -1 after a banner. */
int web_periods(web_req *r, gl_buf *b, gl_response *resp, gl_reply_periods *p);
/* The result so far of the open fiscal year ending on year_end: classes 7
 * minus 6 in its trial balance at that day.  0, or -1 after a banner. */
int web_year_result(web_req *r, gl_buf *b, uint32_t year_end, int64_t *out);
/* "2025-03" into *ym (202503); false if it is not a month. */
bool web_month_parse(const char *s, uint32_t *ym);
uint32_t web_month_next(uint32_t ym);
/* A request id of a form: the decimal text of a non-zero u64. */
bool web_rid_parse(const char *s, uint64_t *rid);
/* The month "03/2025", escaped. */
void web_month(gl_buf *b, uint32_t ym);
/* A refused or mistaken form: a page with the reason and a way back to
 * Périodes; returns 422. */
int web_form_refused(web_req *r, gl_buf *b, const char *title, const char *why);
/* r->location = path_query (which has a '?') and the tenant in effect,
 * percent-encoded (web_role.c). */
void web_redirect(web_req *r, const char *path_query);
/* Before a download (page_downloads.c): the tenant readable (PERIODS, its
 * refusal as a banner: another tenant for a member key, the daemon down)
 * and, for a year (fy non-zero), holding entries.  True with b emptied for
 * the file; false with b a whole page saying why (status 200). */
bool web_download_ready(web_req *r, gl_buf *b, const char *title, uint16_t fy);

#endif
