/*
 * tests/unit/test_money.c — proto/money: exact decimal parsing, checked
 * arithmetic and formatting of int64 cent amounts.  Refusals first, then the
 * boundary tables (INT64_MAX, INT64_MIN, 0, one cent), then formatting.
 */
#include "proto/money.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

#define SENTINEL ((int64_t)0x5a5a5a5a5a5a5a5a)

/* Parse a NUL-terminated text; the target must stay untouched on refusal. */
static bool parse(const char *s, int64_t *out)
{
    *out = SENTINEL;
    return gl_money_parse(s, strlen(s), out);
}

/* ---- parse: refusals ------------------------------------------------- */

Test(money, parse_refuses_bad_syntax)
{
    static const char *const bad[] = {
        "",                              /* nothing */
        "-",                             /* sign only */
        "+",        "12.",               /* separator without decimals */
        "12,",      ".5",                /* decimals without integer part */
        ",50",      "-.5",      "1.234", /* a third decimal */
        "1,230",                         /* a third decimal, even a zero */
        "0.001",    " 12",               /* spaces anywhere */
        "12 ",      "1 234,56",          /* thousands separators */
        "1,234.56", "1.234,56", "1e3",   /* exponent */
        "1E3",      "0x10",              /* hexadecimal */
        "--1",                           /* two signs */
        "+-1",      "1-",       "12.3.4", "12..3", "abc", "1a", "\t1", "1\n", "inf", "NaN",
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        int64_t v;
        cr_expect(!parse(bad[i], &v), "\"%s\" must be refused", bad[i]);
        cr_expect_eq(v, SENTINEL, "\"%s\" changed the target on refusal", bad[i]);
    }
}

Test(money, parse_refuses_embedded_nul)
{
    /* The length is authoritative: a NUL inside the span is a syntax error. */
    int64_t v = SENTINEL;
    cr_expect(!gl_money_parse("12\0003", 4, &v));
    cr_expect_eq(v, SENTINEL);
    /* ...and bytes past len are never read. */
    cr_expect(gl_money_parse("12x", 2, &v));
    cr_expect_eq(v, 1200);
}

Test(money, parse_refuses_overflow)
{
    static const char *const over[] = {
        "92233720368547758.08", /* INT64_MAX + 1 cent */
        "92233720368547758.1",  /* INT64_MAX + 3 cents */
        "92233720368547759",          "92233720368547760.00",
        "-92233720368547758.09",                            /* INT64_MIN - 1 cent */
        "-92233720368547759",         "100000000000000000", /* 10^17 units = 10^19 cents */
        "99999999999999999999999999", "-99999999999999999999999999",
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        int64_t v;
        cr_expect(!parse(over[i], &v), "\"%s\" must overflow", over[i]);
        cr_expect_eq(v, SENTINEL, "\"%s\" changed the target on overflow", over[i]);
    }
}

/* ---- parse: accepted forms and boundaries ---------------------------- */

Test(money, parse_boundary_table)
{
    static const struct {
        const char *text;
        int64_t cents;
    } ok[] = {
        {"92233720368547758.07", INT64_MAX},
        {"+92233720368547758.07", INT64_MAX},
        {"92233720368547758,07", INT64_MAX},
        {"92233720368547758.06", INT64_MAX - 1},
        {"-92233720368547758.08", INT64_MIN},
        {"-92233720368547758,08", INT64_MIN},
        {"-92233720368547758.07", INT64_MIN + 1},
        {"-92233720368547758.07", -INT64_MAX},
        {"92233720368547758", 9223372036854775800},
        {"0", 0},
        {"-0", 0},
        {"+0", 0},
        {"0.00", 0},
        {"-0,00", 0},
        {"0.01", 1},
        {"0,01", 1},
        {"-0.01", -1},
        {"-0,01", -1},
        {"0.1", 10},
        {"0.10", 10},
        {"1", 100},
        {"1234", 123400},
        {"1234.5", 123450},
        {"1234,56", 123456},
        {"-1234.56", -123456},
        {"+12.30", 1230},
        {"007.05", 705},
        {"00000000000000000000000001.00", 100},
    };
    for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
        int64_t v;
        cr_expect(parse(ok[i].text, &v), "\"%s\" must parse", ok[i].text);
        cr_expect_eq(v, ok[i].cents, "\"%s\" gave %lld, expected %lld", ok[i].text, (long long)v,
                     (long long)ok[i].cents);
    }
}

/* ---- checked arithmetic ---------------------------------------------- */

Test(money, add_overflow_leaves_target_unchanged)
{
    static const struct {
        int64_t acc, v;
    } over[] = {
        {INT64_MAX, 1},
        {INT64_MAX, INT64_MAX},
        {1, INT64_MAX},
        {INT64_MIN, -1},
        {INT64_MIN, INT64_MIN},
        {-1, INT64_MIN},
        {INT64_MAX / 2 + 1, INT64_MAX / 2 + 1},
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        int64_t acc = over[i].acc;
        cr_expect(!gl_money_add(&acc, over[i].v), "row %zu must overflow", i);
        cr_expect_eq(acc, over[i].acc, "row %zu changed the target", i);
    }
}

Test(money, sub_overflow_leaves_target_unchanged)
{
    static const struct {
        int64_t acc, v;
    } over[] = {
        {INT64_MIN, 1},         {0, INT64_MIN},         {1, INT64_MIN},  {INT64_MAX, -1},
        {INT64_MAX, INT64_MIN}, {INT64_MIN, INT64_MAX}, {-2, INT64_MAX},
    };
    for (size_t i = 0; i < sizeof over / sizeof over[0]; i++) {
        int64_t acc = over[i].acc;
        cr_expect(!gl_money_sub(&acc, over[i].v), "row %zu must overflow", i);
        cr_expect_eq(acc, over[i].acc, "row %zu changed the target", i);
    }
}

Test(money, add_sub_boundary_table)
{
    static const struct {
        int64_t acc, v, sum, diff;
    } rows[] = {
        {0, 0, 0, 0},
        {0, 1, 1, -1},
        {1, 1, 2, 0},
        {1, -1, 0, 2},
        {INT64_MAX - 1, 1, INT64_MAX, INT64_MAX - 2},
        {INT64_MIN + 1, -1, INT64_MIN, INT64_MIN + 2},
        {-1, INT64_MAX, INT64_MAX - 1, INT64_MIN},
        {-1, INT64_MIN + 1, INT64_MIN, INT64_MAX - 1},
        {0, INT64_MAX, INT64_MAX, -INT64_MAX},
        {0, -INT64_MAX, -INT64_MAX, INT64_MAX},
        {INT64_MIN, 0, INT64_MIN, INT64_MIN},
        {INT64_MAX, 0, INT64_MAX, INT64_MAX},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        int64_t a = rows[i].acc;
        cr_expect(gl_money_add(&a, rows[i].v), "row %zu add", i);
        cr_expect_eq(a, rows[i].sum, "row %zu sum", i);
        int64_t s = rows[i].acc;
        cr_expect(gl_money_sub(&s, rows[i].v), "row %zu sub", i);
        cr_expect_eq(s, rows[i].diff, "row %zu diff", i);
    }
    /* INT64_MAX + INT64_MIN is fine, INT64_MAX - INT64_MIN is not. */
    int64_t a = INT64_MAX;
    cr_expect(gl_money_add(&a, INT64_MIN));
    cr_expect_eq(a, -1);
}

/* ---- format ----------------------------------------------------------- */

static void expect_format(int64_t cents, enum gl_money_style style, const char *want)
{
    char out[GL_MONEY_TEXT_MAX];
    memset(out, 'X', sizeof out);
    char *r = gl_money_format(cents, style, out);
    cr_expect_eq(r, out);
    cr_expect_str_eq(out, want, "cents %lld style %d", (long long)cents, (int)style);
    cr_expect_lt(strlen(out), (size_t)GL_MONEY_TEXT_MAX);
}

Test(money, format_plain)
{
    expect_format(0, GL_MONEY_PLAIN, "0.00");
    expect_format(1, GL_MONEY_PLAIN, "0.01");
    expect_format(-1, GL_MONEY_PLAIN, "-0.01");
    expect_format(10, GL_MONEY_PLAIN, "0.10");
    expect_format(100, GL_MONEY_PLAIN, "1.00");
    expect_format(-123456, GL_MONEY_PLAIN, "-1234.56");
    expect_format(123456789, GL_MONEY_PLAIN, "1234567.89");
    expect_format(INT64_MAX, GL_MONEY_PLAIN, "92233720368547758.07");
    expect_format(INT64_MIN, GL_MONEY_PLAIN, "-92233720368547758.08");
    expect_format(INT64_MIN + 1, GL_MONEY_PLAIN, "-92233720368547758.07");
}

Test(money, format_comma)
{
    expect_format(0, GL_MONEY_COMMA, "0,00");
    expect_format(1, GL_MONEY_COMMA, "0,01");
    expect_format(-1, GL_MONEY_COMMA, "-0,01");
    expect_format(-123456, GL_MONEY_COMMA, "-1234,56");
    expect_format(123456789, GL_MONEY_COMMA, "1234567,89");
    expect_format(INT64_MAX, GL_MONEY_COMMA, "92233720368547758,07");
    expect_format(INT64_MIN, GL_MONEY_COMMA, "-92233720368547758,08");
}

Test(money, format_french_grouping)
{
    expect_format(0, GL_MONEY_FRENCH, "0,00");
    expect_format(1, GL_MONEY_FRENCH, "0,01");
    expect_format(-1, GL_MONEY_FRENCH, "-0,01");
    expect_format(99999, GL_MONEY_FRENCH, "999,99");
    expect_format(100000, GL_MONEY_FRENCH, "1 000,00");
    expect_format(-100000, GL_MONEY_FRENCH, "-1 000,00");
    expect_format(123456, GL_MONEY_FRENCH, "1 234,56");
    expect_format(12345678, GL_MONEY_FRENCH, "123 456,78");
    expect_format(123456789, GL_MONEY_FRENCH, "1 234 567,89");
    expect_format(-123456789, GL_MONEY_FRENCH, "-1 234 567,89");
    expect_format(INT64_MAX, GL_MONEY_FRENCH, "92 233 720 368 547 758,07");
    expect_format(INT64_MIN, GL_MONEY_FRENCH, "-92 233 720 368 547 758,08");
}

Test(money, format_then_parse_round_trip)
{
    static const int64_t values[] = {
        0,
        1,
        -1,
        99,
        -99,
        100,
        -100,
        123456,
        -123456,
        INT64_MAX,
        INT64_MIN,
        INT64_MAX - 1,
        INT64_MIN + 1,
        1000000000000000000,
        -999999999999999999,
    };
    for (size_t i = 0; i < sizeof values / sizeof values[0]; i++) {
        char out[GL_MONEY_TEXT_MAX];
        int64_t back;
        gl_money_format(values[i], GL_MONEY_PLAIN, out);
        cr_expect(parse(out, &back), "\"%s\" must parse back", out);
        cr_expect_eq(back, values[i]);
        gl_money_format(values[i], GL_MONEY_COMMA, out);
        cr_expect(parse(out, &back), "\"%s\" must parse back", out);
        cr_expect_eq(back, values[i]);
    }
}
