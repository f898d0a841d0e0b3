/*
 * client/web/web_form.c — form and query decoding (web_form.h).
 */
#include "web_form.h"

#include "proto/wire.h"

#include <string.h>

/* 0-15, or -1 for a character that is no hex digit (NUL included) */
static int hex_digit(char c)
{
    static const char digits[] = "0123456789abcdef0123456789ABCDEF";
    const char *p = c ? strchr(digits, c) : NULL;
    return p ? (int)((p - digits) % 16) : -1;
}

/* The decoding; on WEB_FORM_BAD out holds whatever was decoded so far. */
static int decode(const char *s, size_t n, char *out, size_t cap)
{
    size_t o = 0;
    for (size_t i = 0; i < n; i++) {
        int c = (unsigned char)s[i];
        if (c == '+')
            c = ' ';
        else if (c == '%') {
            if (n - i < 3)
                return WEB_FORM_BAD;
            int h = hex_digit(s[i + 1]), l = hex_digit(s[i + 2]);
            if (h < 0 || l < 0)
                return WEB_FORM_BAD;
            c = h * 16 + l;
            i += 2;
        }
        if (c == 0 || o + 1 >= cap)
            return WEB_FORM_BAD;
        out[o++] = (char)c;
    }
    out[o] = '\0';
    /* every page writes what it is given back: only text it can show */
    return gl_utf8_valid(out, o) ? WEB_FORM_FOUND : WEB_FORM_BAD;
}

int web_form_decode(const char *s, size_t n, char *out, size_t cap)
{
    if (!cap)
        return WEB_FORM_BAD;
    int rc = decode(s, n, out, cap);
    /* a refused value leaves nothing behind: "2025/2%00junk" must not
     * read as "2025/2" to a caller that forgot the status */
    if (rc == WEB_FORM_BAD)
        out[0] = '\0';
    return rc;
}

int web_form_get(const char *data, size_t len, const char *name, char *out, size_t cap)
{
    size_t name_len = strlen(name);
    size_t i = 0;
    while (i < len) {
        const char *pair = data + i;
        const char *amp = memchr(pair, '&', len - i);
        size_t pair_len = amp ? (size_t)(amp - pair) : len - i;
        i += pair_len + 1;
        const char *eq = memchr(pair, '=', pair_len);
        size_t key_len = eq ? (size_t)(eq - pair) : pair_len;
        /* field names are the program's own: compared as sent, unencoded */
        if (key_len != name_len || memcmp(pair, name, name_len))
            continue;
        if (!eq)
            return web_form_decode("", 0, out, cap);
        return web_form_decode(eq + 1, pair_len - key_len - 1, out, cap);
    }
    return WEB_FORM_ABSENT;
}
