/*
 * tests/unit/test_analytic_store.c — daemon/store/analytic_store (issue
 * 19): axes, codes and rules read back in byte order of their names (a
 * shorter name first, whatever the axis's length), per tenant and axis;
 * an allocation round trips and outlives the transaction's writes.
 */
#include "daemon/store/analytic_store.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static char dir[64];
static store *st_;
static store_txn *t;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-an-store-XXXXXX");
    cr_assert(mkdtemp(dir));
    char err[256];
    cr_assert_eq(store_open(&st_, dir, 16u << 20, err, sizeof err), GL_OK, "%s", err);
    cr_assert_eq(store_begin(st_, NULL, false, &t), GL_OK);
}

static void teardown(void)
{
    store_abort(t);
    store_close(st_);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(analytic_store, .init = setup, .fini = teardown);

static int cat_axis(void *user, gl_str axis, const an_axis_rec *r)
{
    char *out = user;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%.*s:%u:%u:%.*s;", (int)axis.len, axis.ptr, r->state, r->ncodes,
             (int)r->label.len, r->label.ptr);
    return GL_OK;
}

static int cat_code(void *user, gl_str code, const an_code_rec *r)
{
    char *out = user;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%.*s:%u:%.*s;", (int)code.len, code.ptr, r->state,
             (int)r->label.len, r->label.ptr);
    return GL_OK;
}

static int cat_rule(void *user, gl_str axis, gl_str prefix)
{
    char *out = user;
    size_t n = strlen(out);
    snprintf(out + n, 256 - n, "%.*s/%.*s;", (int)axis.len, axis.ptr, (int)prefix.len, prefix.ptr);
    return GL_OK;
}

Test(analytic_store, axes_codes_and_rules_come_back_in_name_order)
{
    bool any = true;
    cr_assert_eq(store_an_any_axis(t, 7, &any), GL_OK);
    cr_expect_not(any);
    static const char *const axes[] = {"financeur", "action", "act", "b"};
    for (int i = 0; i < 4; i++)
        cr_assert_eq(store_an_axis_put(t, 7, S(axes[i]), &(an_axis_rec){1, (uint16_t)i, S("L")}),
                     GL_OK);
    cr_assert_eq(store_an_axis_put(t, 8, S("zz"), &(an_axis_rec){2, 0, S("")}), GL_OK);
    cr_assert_eq(store_an_any_axis(t, 7, &any), GL_OK);
    cr_expect(any);
    char out[256] = "";
    uint32_t n;
    cr_assert_eq(store_an_axes_each(t, 7, cat_axis, out, &n), GL_OK);
    cr_expect_eq(n, 4);
    cr_expect_str_eq(out, "act:1:2:L;action:1:1:L;b:1:3:L;financeur:1:0:L;");
    an_axis_rec r;
    cr_expect_eq(store_an_axis_get(t, 7, S("acti"), &r), GL_ERR_NOT_FOUND);
    cr_assert_eq(store_an_axis_get(t, 8, S("zz"), &r), GL_OK);
    cr_expect(r.state == 2 && r.label.len == 0);
    /* codes of "act" and "action" apart, each in byte order */
    cr_assert_eq(store_an_code_put(t, 7, S("action"), S("FSE-2026"), &(an_code_rec){1, S("F")}),
                 GL_OK);
    cr_assert_eq(store_an_code_put(t, 7, S("action"), S("FS"), &(an_code_rec){2, S("")}), GL_OK);
    cr_assert_eq(store_an_code_put(t, 7, S("act"), S("A"), &(an_code_rec){1, S("x")}), GL_OK);
    out[0] = '\0';
    cr_assert_eq(store_an_codes_each(t, 7, S("action"), cat_code, out, &n), GL_OK);
    cr_expect_str_eq(out, "FS:2:;FSE-2026:1:F;");
    out[0] = '\0';
    cr_assert_eq(store_an_codes_each(t, 7, S("act"), cat_code, out, &n), GL_OK);
    cr_expect_str_eq(out, "A:1:x;");
    /* rules of one axis, of every axis */
    cr_assert_eq(store_an_rule_put(t, 7, S("action"), S("706")), GL_OK);
    cr_assert_eq(store_an_rule_put(t, 7, S("action"), S("6")), GL_OK);
    cr_assert_eq(store_an_rule_put(t, 7, S("act"), S("64")), GL_OK);
    cr_expect_eq(store_an_rule_get(t, 7, S("action"), S("6")), GL_OK);
    cr_expect_eq(store_an_rule_get(t, 7, S("action"), S("60")), GL_ERR_NOT_FOUND);
    out[0] = '\0';
    cr_assert_eq(store_an_rules_each(t, 7, S("action"), cat_rule, out, &n), GL_OK);
    cr_expect_str_eq(out, "action/6;action/706;");
    out[0] = '\0';
    cr_assert_eq(store_an_rules_each(t, 7, S(""), cat_rule, out, &n), GL_OK);
    cr_expect_str_eq(out, "act/64;action/6;action/706;");
    cr_assert_eq(store_an_rule_del(t, 7, S("action"), S("6")), GL_OK);
    cr_expect_eq(store_an_rule_del(t, 7, S("action"), S("6")), GL_ERR_NOT_FOUND);
}

Test(analytic_store, an_allocation_round_trips_and_outlives_writes)
{
    an_alloc_key k = {7, 2026, 123, 2};
    gl_an_split s = {.axis = S("financeur"), .count = 2};
    s.shares[0] = (gl_an_share){S("FSE"), 700};
    s.shares[1] = (gl_an_share){S("VILLE"), 300};
    cr_assert_eq(store_an_alloc_put(t, &k, &s), GL_OK);
    uint8_t buf[AN_ALLOC_VALUE_MAX];
    gl_an_split got;
    cr_expect_eq(store_an_alloc_get(t, &k, S("action"), buf, &got), GL_ERR_NOT_FOUND);
    cr_assert_eq(store_an_alloc_get(t, &k, S("financeur"), buf, &got), GL_OK);
    for (int i = 0; i < 200; i++) { /* writes that split pages */
        an_alloc_key other = {7, 2026, (uint32_t)i, 1};
        cr_assert_eq(store_an_alloc_put(t, &other, &s), GL_OK);
    }
    cr_assert_eq(got.count, 2);
    cr_expect(gl_str_eq(got.axis, "financeur"));
    cr_expect(gl_str_eq(got.shares[0].code, "FSE") && got.shares[0].amount_cents == 700);
    cr_expect(gl_str_eq(got.shares[1].code, "VILLE") && got.shares[1].amount_cents == 300);
    cr_assert_eq(store_an_alloc_del(t, &k, S("financeur")), GL_OK);
    cr_expect_eq(store_an_alloc_get(t, &k, S("financeur"), buf, &got), GL_ERR_NOT_FOUND);
}
