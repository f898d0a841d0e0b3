/*
 * tests/unit/test_web_html.c — client/web/web_html: the one escaping
 * function of `grandlivre web`, and the French amounts and dates.
 */
#include "client/web/web_html.h"

#include <criterion/criterion.h>

#include <string.h>

static char *escaped(const char *s, size_t n)
{
    static char out[1024];
    gl_buf b;
    gl_buf_init(&b);
    web_escape(&b, s, n);
    cr_assert(gl_buf_ok(&b));
    cr_assert_lt(b.len, sizeof out);
    if (b.len) /* an empty buffer may have no storage at all */
        memcpy(out, b.data, b.len);
    out[b.len] = '\0';
    gl_buf_free(&b);
    return out;
}

Test(web_html, escapes_the_five_characters)
{
    cr_assert_str_eq(escaped("<a href=\"x\">'&'</a>", 19),
                     "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;");
    cr_assert_str_eq(escaped("<script>alert(1)</script>", 25),
                     "&lt;script&gt;alert(1)&lt;/script&gt;");
}

Test(web_html, leaves_text_and_utf8_alone)
{
    cr_assert_str_eq(
        escaped("Cotisations reçues — été 2025 €", strlen("Cotisations reçues — été 2025 €")),
        "Cotisations reçues — été 2025 €");
    cr_assert_str_eq(escaped("", 0), "");
    cr_assert_str_eq(escaped("plain", 5), "plain");
}

Test(web_html, nul_byte_is_replacement_character)
{
    cr_assert_str_eq(escaped("a\0b", 3),
                     "a\xEF\xBF\xBD"
                     "b");
}

Test(web_html, money_and_dates_in_french)
{
    gl_buf b;
    gl_buf_init(&b);
    web_money(&b, 123456);
    web_raw(&b, "|");
    web_money(&b, -5);
    web_raw(&b, "|");
    web_date(&b, 20250331);
    gl_put_u8(&b, 0);
    cr_assert_str_eq((char *)b.data, "1 234,56|-0,05|31/03/2025");
    gl_buf_free(&b);
}
