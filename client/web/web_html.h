/*
 * client/web/web_html.h — the one HTML-escaping function every page's
 * output goes through, and the writers built on it.  Text from the daemon,
 * the user or the URL is never written to a page any other way.
 */
#ifndef GL_WEB_HTML_H
#define GL_WEB_HTML_H

#include "proto/wire.h"

#include <stddef.h>
#include <stdint.h>

/* Append s[0..n) to b with & < > " ' written as entities (safe in element
 * text and in quoted attribute values); a NUL byte, which no text carries,
 * becomes U+FFFD.  UTF-8 passes through unchanged. */
void web_escape(gl_buf *b, const char *s, size_t n);
/* web_escape of a C string. */
void web_esc(gl_buf *b, const char *s);
/* Append markup the program wrote itself (a literal, never data). */
void web_raw(gl_buf *b, const char *markup);
/* Append printf output, escaped (numbers, or data). */
void web_escf(gl_buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Amount in cents as "1 234,56" (escaped); a date yyyymmdd as "31/03/2025". */
void web_money(gl_buf *b, int64_t cents);
void web_date(gl_buf *b, uint32_t ymd);

#endif
