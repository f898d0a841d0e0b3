/*
 * tests/unit/test_an_spec.c — client/analytic/an_spec: the codes a person
 * types for an axis, read into cents exactly (refusals first, each with
 * its reason; then one code, percentages with the recharge's rounding,
 * amounts, the removal), the line's whole text (axis=spec;...), and the
 * text written back and read again.
 */
#include "client/analytic/an_spec.h"

#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static int parse(const char *spec, int64_t amount, unsigned flags, gl_an_split *out,
                 gl_an_spec_error *err)
{
    memset(err, 0, sizeof *err);
    return gl_an_spec_parse(S("financeur"), spec, strlen(spec), amount, flags, out, err);
}

/* The reason each refusal gives (a part of it, to find it). */
static void refused(const char *spec, int64_t amount, const char *reason_part, const char *detail)
{
    gl_an_split s;
    gl_an_spec_error e;
    cr_assert_eq(parse(spec, amount, 0, &s, &e), GL_ERR_INPUT, "%s accepted", spec);
    cr_assert_not_null(e.reason, "%s", spec);
    cr_assert_not_null(strstr(e.reason, reason_part), "%s: %s", spec, e.reason);
    if (detail)
        cr_assert_str_eq(e.detail, detail, "%s", spec);
}

Test(an_spec, refusals_name_what_is_wrong)
{
    refused("", 100, "no analytic code", NULL);
    refused("   ", 100, "no analytic code", NULL);
    refused("fse", 100, "not an analytic code", "fse");
    refused("FSE 2026", 100, "not an analytic code", "FSE 2026");
    refused("ABCDEFGHIJKLMNOPQ", 100, "not an analytic code", NULL); /* 17 bytes */
    refused("A:60%,", 100, "a code is missing", NULL);
    refused(":60%", 100, "a code is missing", NULL);
    refused("A:60%,A:40%", 100, "given twice", "A");
    refused("A:60%,B:40", 10000, "not a mix", NULL);
    refused("A,B", 100, "several codes", NULL);
    refused("A:60%,B:30%", 100, "do not sum to 100%", "90.0000% != 100%");
    refused("A:60%,B:40.00001%", 100, "not a percentage", "B:40.00001%");
    refused("A:60,5%,B:39,5%", 100, "not an analytic code", "5%"); /* no decimal comma */
    refused("A:101%", 100, "not a percentage", NULL);
    refused("A:-10%,B:110%", 100, "not a percentage", NULL);
    refused("A:0%,B:100%", 100, "more than 0", "A:0%");
    refused("A:%", 100, "not a percentage", NULL);
    refused("A:12.%", 100, "not a percentage", NULL);
    refused("A:10.00,B:5.00", 1600, "do not sum to the line's amount", "15.00 != 16.00");
    refused("A:10.001,B:5.999", 1600, "not an amount", NULL);
    refused("A:-1.00,B:17.00", 1600, "not an amount", NULL);
    refused("A:0.00,B:16.00", 1600, "more than 0", NULL);
    refused("A:1e3", 100000, "not an amount", NULL);
    refused("-", 100, "for an allocation only", NULL);
    refused("A:50%,B:50%", 1, "would get 0.00", NULL); /* one cent cannot go to both */
    refused("A", 0, "amount must be more than 0", NULL);
    refused(
        "A:1%,B:1%,C:1%,D:1%,E:1%,F:1%,G:1%,H:1%,I:1%,J:1%,K:1%,L:1%,M:1%,N:1%,O:1%,"
        "P:1%,Q:85%",
        10000, "more than 16 codes", NULL);
    gl_an_split s;
    gl_an_spec_error e = {0};
    cr_assert_eq(gl_an_spec_parse(S("Action"), "A", 1, 100, 0, &s, &e), GL_ERR_INPUT);
    cr_assert_not_null(strstr(e.reason, "not an analytic axis"));
}

Test(an_spec, one_code_is_the_whole_line)
{
    gl_an_split s;
    gl_an_spec_error e;
    cr_assert_eq(parse("  FSE-2026 ", 123456, 0, &s, &e), GL_OK);
    cr_assert_eq(s.count, 1);
    cr_assert(gl_str_eq(s.axis, "financeur"));
    cr_assert(gl_str_eq(s.shares[0].code, "FSE-2026"));
    cr_assert_eq(s.shares[0].amount_cents, 123456);
    cr_assert_eq(parse("VILLE:100%", 7, 0, &s, &e), GL_OK);
    cr_assert_eq(s.count, 1);
    cr_assert_eq(s.shares[0].amount_cents, 7);
    cr_assert_eq(parse("VILLE:0.07", 7, 0, &s, &e), GL_OK);
    cr_assert_eq(s.shares[0].amount_cents, 7);
}

/* Percentages: floor of each share, the remainder to the largest weight
 * (the first of equals), over the codes in byte order. */
Test(an_spec, percentages_sum_exactly_whatever_the_order)
{
    gl_an_split s;
    gl_an_spec_error e;
    cr_assert_eq(parse("VILLE:40%, FSE-2026:60%", 100001, 0, &s, &e), GL_OK);
    cr_assert_eq(s.count, 2);
    cr_assert(gl_str_eq(s.shares[0].code, "FSE-2026"));
    cr_assert(gl_str_eq(s.shares[1].code, "VILLE"));
    cr_assert_eq(s.shares[0].amount_cents + s.shares[1].amount_cents, 100001);
    cr_assert_eq(s.shares[1].amount_cents, 40000);
    cr_assert_eq(s.shares[0].amount_cents, 60001);

    gl_an_split t;
    cr_assert_eq(parse("C:33.3333%,B:33.3333%,A:33.3334%", 100, 0, &s, &e), GL_OK);
    cr_assert_eq(parse("A:33.3334%,C:33.3333%,B:33.3333%", 100, 0, &t, &e), GL_OK);
    int64_t sum = 0;
    for (int i = 0; i < 3; i++) {
        cr_assert_eq(s.shares[i].amount_cents, t.shares[i].amount_cents);
        sum += s.shares[i].amount_cents;
    }
    cr_assert_eq(sum, 100);
    cr_assert(gl_str_eq(s.shares[0].code, "A"));
    cr_assert_eq(s.shares[0].amount_cents, 34);

    /* equal weights: the first code in byte order takes the cent */
    cr_assert_eq(parse("B:50%,A:50%", 101, 0, &s, &e), GL_OK);
    cr_assert_eq(s.shares[0].amount_cents, 51);
    cr_assert_eq(s.shares[1].amount_cents, 50);
}

Test(an_spec, amounts_sum_to_the_line)
{
    gl_an_split s;
    gl_an_spec_error e;
    cr_assert_eq(parse("VILLE:300.00,FSE-2026:1200", 150000, 0, &s, &e), GL_OK);
    cr_assert_eq(s.count, 2);
    cr_assert(gl_str_eq(s.shares[0].code, "FSE-2026"));
    cr_assert_eq(s.shares[0].amount_cents, 120000);
    cr_assert_eq(s.shares[1].amount_cents, 30000);
}

Test(an_spec, removal_only_when_allowed)
{
    gl_an_split s;
    gl_an_spec_error e;
    cr_assert_eq(parse(" - ", 100, GL_AN_SPEC_REMOVE, &s, &e), GL_OK);
    cr_assert_eq(s.count, 0);
    cr_assert(gl_str_eq(s.axis, "financeur"));
}

Test(an_spec, line_text_sorted_and_checked)
{
    gl_analytic a;
    gl_an_spec_error e = {0};
    const char *t = "financeur=VILLE:40%,FSE:60%; action=OP1";
    cr_assert_eq(gl_an_text_parse(t, strlen(t), 1000, 0, &a, &e), GL_OK);
    cr_assert_eq(a.naxes, 2);
    cr_assert(gl_str_eq(a.axes[0].axis, "action"));
    cr_assert(gl_str_eq(a.axes[1].axis, "financeur"));
    cr_assert_eq(gl_an_text_parse("  ", 2, 1000, 0, &a, &e), GL_OK);
    cr_assert_eq(a.naxes, 0);

    const char *twice = "action=OP1;action=OP2";
    cr_assert_eq(gl_an_text_parse(twice, strlen(twice), 1000, 0, &a, &e), GL_ERR_INPUT);
    cr_assert_not_null(strstr(e.reason, "axis is given twice"));
    const char *noeq = "action";
    cr_assert_eq(gl_an_text_parse(noeq, strlen(noeq), 1000, 0, &a, &e), GL_ERR_INPUT);
    cr_assert_not_null(strstr(e.reason, "axis=codes"));
    const char *nine = "a=A;b=A;c=A;d=A;e=A;f=A;g=A;h=A;i=A";
    cr_assert_eq(gl_an_text_parse(nine, strlen(nine), 1000, 0, &a, &e), GL_ERR_INPUT);
    cr_assert_not_null(strstr(e.reason, "more than 8"));
}

Test(an_spec, too_long_for_a_line)
{
    /* 8 axes of 16 codes of 16 bytes pass the item's 254 bytes */
    char text[4096] = "";
    size_t n = 0;
    for (int x = 0; x < 8; x++) {
        n += (size_t)snprintf(text + n, sizeof text - n, "%saxis%d=", x ? ";" : "", x);
        for (int c = 0; c < 4; c++)
            n += (size_t)snprintf(text + n, sizeof text - n, "%sCODE%012d:25%%", c ? "," : "", c);
    }
    gl_analytic a;
    gl_an_spec_error e = {0};
    cr_assert_eq(gl_an_text_parse(text, n, 10000, 0, &a, &e), GL_ERR_INPUT);
    cr_assert_not_null(strstr(e.reason, "254 bytes"), "%s", e.reason);
}

Test(an_spec, written_back_and_read_again)
{
    gl_analytic a, b;
    gl_an_spec_error e = {0};
    const char *t = "financeur=FSE:60%,VILLE:40%;action=OP1";
    cr_assert_eq(gl_an_text_parse(t, strlen(t), 33333, 0, &a, &e), GL_OK);
    char text[GL_AN_TEXT_MAX];
    gl_an_text_format(&a, text);
    cr_assert_str_eq(text, "action=OP1;financeur=FSE:200.00,VILLE:133.33");
    cr_assert_eq(gl_an_text_parse(text, strlen(text), 33333, 0, &b, &e), GL_OK);
    cr_assert_eq(b.naxes, 2);
    cr_assert_eq(b.axes[1].shares[0].amount_cents, a.axes[1].shares[0].amount_cents);
    cr_assert_eq(b.axes[1].shares[1].amount_cents, a.axes[1].shares[1].amount_cents);
    gl_an_split none = {.axis = S("action"), .count = 0};
    char split[GL_AN_SPLIT_TEXT_MAX];
    cr_assert_str_eq(gl_an_split_format(&none, split), "-");
}

Test(an_spec, error_text)
{
    gl_an_spec_error e = {.reason = "not an analytic code", .detail = "fse"};
    char out[200];
    cr_assert_str_eq(gl_an_spec_error_text(&e, e.reason, out, sizeof out),
                     "not an analytic code: fse");
    e.detail[0] = '\0';
    cr_assert_str_eq(gl_an_spec_error_text(&e, "x", out, sizeof out), "x");
}
