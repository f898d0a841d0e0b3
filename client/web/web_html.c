/*
 * client/web/web_html.c — HTML escaping (web_html.h).
 */
#include "web_html.h"

#include "proto/money.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

void web_escape(gl_buf *b, const char *s, size_t n)
{
    size_t run = 0; /* bytes copied as they are, flushed before an entity */
    for (size_t i = 0; i < n; i++) {
        const char *ent = NULL;
        switch (s[i]) {
        case '&': ent = "&amp;"; break;
        case '<': ent = "&lt;"; break;
        case '>': ent = "&gt;"; break;
        case '"': ent = "&quot;"; break;
        case '\'': ent = "&#39;"; break;
        case '\0': ent = "\xEF\xBF\xBD"; break;
        default: run++; continue;
        }
        gl_put_bytes(b, s + i - run, run);
        run = 0;
        gl_put_bytes(b, ent, strlen(ent));
    }
    gl_put_bytes(b, s + n - run, run);
}

void web_esc(gl_buf *b, const char *s) { web_escape(b, s, strlen(s)); }

void web_raw(gl_buf *b, const char *markup) { gl_put_bytes(b, markup, strlen(markup)); }

void web_escf(gl_buf *b, const char *fmt, ...)
{
    char text[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(text, sizeof text, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    web_escape(b, text, (size_t)n < sizeof text ? (size_t)n : sizeof text - 1);
}

void web_money(gl_buf *b, int64_t cents)
{
    char text[GL_MONEY_TEXT_MAX];
    web_esc(b, gl_money_format(cents, GL_MONEY_FRENCH, text));
}

void web_date(gl_buf *b, uint32_t ymd)
{
    web_escf(b, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
}
