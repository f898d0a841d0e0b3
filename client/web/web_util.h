/*
 * client/web/web_util.h — small pieces of markup and requests that
 * several pages write alike, written once so that the pages cannot drift
 * apart (the same bytes wherever they appear).
 */
#ifndef GL_WEB_UTIL_H
#define GL_WEB_UTIL_H

#include "web.h"

#include "proto/query.h"

/* web_call for tenant, "" for the group's reads, which name none (then
 * no refusal is said to be about a tenant); web_layout.c. */
int web_call_for(web_req *r, gl_buf *b, uint16_t kind, const char *tenant, const void *body,
                 size_t body_len, gl_response *resp);
/* A navigation link to path with the tenant in effect, marked as the
 * current page when it is active's (the header's and the books' links). */
void web_nav_link(gl_buf *b, const web_req *r, const char *path, const char *label,
                  const char *active);
/* A table's header cell, right-aligned for a number column. */
void web_th(gl_buf *b, const char *text, bool num);
/* A table cell holding an amount in cents, right-aligned. */
void web_money_td(gl_buf *b, int64_t cents);
/* The opening of a GET filter form to action, with the tenant in effect as
 * a hidden field. */
void web_filters_begin(gl_buf *b, const web_req *r, const char *action);
/* The "At" date field of a filter form, in its label, holding at_text. */
void web_at_field(gl_buf *b, const char *at_text);
/* The Show button closing a filter form. */
void web_filters_end(gl_buf *b);
/* aux[0..len) percent-encoded for a URL's query: letters and digits as
 * they are, every other byte as %XX. */
void web_aux_pct(gl_buf *b, const char *aux, size_t len);
/* A BALANCE of r->tenant asked as q, quietly (no banner: the callers say
 * nothing when the daemon is away or the year has no books): gl_call's
 * status, resp to be freed by the caller when it is GL_OK. */
int web_balance_quiet(web_req *r, const gl_balance_q *q, gl_response *resp);
/* The journal's paging cursor "FY/NUM/WATERMARK" of the link to the next
 * page (argument "after") into q; left as it is when absent or bad. */
void web_journal_cursor(web_req *r, gl_journal_q *q);

#endif
