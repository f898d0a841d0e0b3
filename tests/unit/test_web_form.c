/*
 * tests/unit/test_web_form.c — client/web/web_form: query and form
 * decoding ('+', %XX, absent fields, refusals).
 */
#include "client/web/web_form.h"

#include <criterion/criterion.h>

#include <string.h>

static int get(const char *data, const char *name, char *out, size_t cap)
{
    return web_form_get(data, strlen(data), name, out, cap);
}

Test(web_form, decodes_plus_and_percent)
{
    char v[64];
    cr_assert_eq(get("a=1&text=caf%C3%A9+cr%C3%A8me&b=", "text", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_str_eq(v, "café crème");
    cr_assert_eq(get("a=1&b=", "b", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_str_eq(v, "");
    cr_assert_eq(get("flag&x=2", "flag", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_str_eq(v, "");
    cr_assert_eq(get("x=%3Cb%3E%26", "x", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_str_eq(v, "<b>&");
}

Test(web_form, first_value_and_exact_names)
{
    char v[64];
    cr_assert_eq(get("ab=1&a=2&a=3", "a", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_str_eq(v, "2");
    cr_assert_eq(get("ab=1", "a", v, sizeof v), WEB_FORM_ABSENT);
    cr_assert_eq(get("", "a", v, sizeof v), WEB_FORM_ABSENT);
    cr_assert_eq(get("&&&", "a", v, sizeof v), WEB_FORM_ABSENT);
    cr_assert_eq(get("bad=%zz&a=ok", "a", v, sizeof v), WEB_FORM_FOUND,
                 "another field's error is not this one's");
    cr_assert_str_eq(v, "ok");
}

Test(web_form, refuses_bad_values)
{
    char v[8];
    cr_assert_eq(get("a=%", "a", v, sizeof v), WEB_FORM_BAD);
    cr_assert_eq(get("a=%4", "a", v, sizeof v), WEB_FORM_BAD);
    cr_assert_eq(get("a=%g1", "a", v, sizeof v), WEB_FORM_BAD);
    cr_assert_eq(get("a=%00", "a", v, sizeof v), WEB_FORM_BAD, "NUL byte");
    cr_assert_eq(get("a=%FF", "a", v, sizeof v), WEB_FORM_BAD, "invalid UTF-8");
    cr_assert_eq(get("a=1234567", "a", v, sizeof v), WEB_FORM_FOUND);
    cr_assert_eq(get("a=12345678", "a", v, sizeof v), WEB_FORM_BAD, "too long for cap");
    cr_assert_eq(web_form_get("a=1", 3, "a", v, 0), WEB_FORM_BAD);
}

/* A refused value leaves nothing a careless caller could use: the review
 * found "id=2026/2%00junk" read as entry 2026/2 by a page that ignored
 * the status. */
Test(web_form, a_refused_value_leaves_an_empty_string)
{
    char v[16];
    cr_assert_eq(get("id=2026/2%00junk", "id", v, sizeof v), WEB_FORM_BAD);
    cr_assert_str_eq(v, "");
    cr_assert_eq(get("id=2026/2222222222222", "id", v, sizeof v), WEB_FORM_BAD);
    cr_assert_str_eq(v, "");
    cr_assert_eq(get("id=2026/2%FF", "id", v, sizeof v), WEB_FORM_BAD);
    cr_assert_str_eq(v, "");
}
