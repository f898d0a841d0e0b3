/*
 * client/web/web_form.h — decoding an application/x-www-form-urlencoded
 * body or a URL's query (name=value&...: '+' is a space, %XX a byte).  The
 * decoder is total: any bytes give a value, "absent" or an error
 * (tests/fuzz/fuzz_web_form.c).
 */
#ifndef GL_WEB_FORM_H
#define GL_WEB_FORM_H

#include <stddef.h>

enum {
    WEB_FORM_ABSENT = 0,
    WEB_FORM_FOUND = 1,
    WEB_FORM_BAD = -1 /* a bad %XX, a NUL byte, invalid UTF-8, or longer than cap - 1 */
};

/* The first value of field name in data[0..len), decoded into out (cap
 * bytes, NUL-terminated).  A malformed pair elsewhere is no error; only
 * the value asked for is checked. */
int web_form_get(const char *data, size_t len, const char *name, char *out, size_t cap);

/* Decode one %XX/'+' encoded text s[0..n) into out (cap bytes, with NUL).
 * WEB_FORM_FOUND or WEB_FORM_BAD. */
int web_form_decode(const char *s, size_t n, char *out, size_t cap);

#endif
