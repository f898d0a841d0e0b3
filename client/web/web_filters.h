/*
 * client/web/web_filters.h — the search form of the Journal and Grand
 * livre pages (dates, text, account prefix, auxiliary account, amount,
 * journal), read from the query, checked as the CLI checks its options,
 * and written back (the form's values, the "next page" link).
 */
#ifndef GL_WEB_FILTERS_H
#define GL_WEB_FILTERS_H

#include "web.h"

#include "proto/query.h"

typedef struct web_filters {
    char from[16], to[16], text[GL_LABEL_MAX + 1], account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1],
        amount[32], journal[GL_JOURNAL_MAX + 1];
    uint32_t from_ymd, to_ymd; /* the range in effect */
    gl_filter filter;          /* views into the fields above */
    /* a field refused by web_filters_read: its name and why (NULL, "") */
    const char *bad_field;
    char bad_text[200];
} web_filters;

/* Read and check; a field at fault is named in a banner written to b
 * (false: the page asks the daemon nothing).  account_filter: the account
 * field is a filter (Journal), not the page's subject (Grand livre). */
bool web_filters_read(web_req *r, web_filters *f, gl_buf *b, bool account_filter);
/* The GET form with the values given. */
void web_filters_form(gl_buf *b, const web_req *r, const web_filters *f, const char *action,
                      bool with_account);
/* "from=...&to=..." of the fields given, percent-encoded then escaped. */
void web_filters_query(gl_buf *b, const web_filters *f);
/* "&amp;name=value", the value percent-encoded; nothing if value is "". */
void web_query_arg(gl_buf *b, const char *name, const char *value);

#endif
