/*
 * tests/unit/test_group_accounts.c — proto/group (issue 20): the accounts
 * block of RECHARGE and DUES (absent in the old form, then the defaults),
 * RECHARGE_ADJUST's body and its refusals at decode.
 */
#include "proto/accounts.h"
#include "proto/group.h"
#include "proto/kinds.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <string.h>

static const gl_group_accounts GRP = {
    true, {"411GRP", 6}, {"706100", 6}, {"628800", 6}, {"401GRP", 6}};

static bool str_is(gl_str s, const char *c)
{
    return s.len == strlen(c) && !memcmp(s.ptr, c, s.len);
}

Test(group_accounts, old_form_decodes_with_the_defaults)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q q = {202503, 100, 1, 0, {0}}, back;
    gl_recharge_q_encode(&b, &q);
    cr_assert_eq(b.len, 18u, "the old form's bytes are unchanged");
    cr_assert_eq(gl_recharge_q_decode(b.data, b.len, &back), GL_OK);
    cr_assert(!back.accounts.carried);
    gl_group_accounts a = gl_group_accounts_or_default(&back.accounts, GL_KIND_RECHARGE);
    cr_expect(str_is(a.receivable, GL_ACCOUNT_RECEIVABLE) && str_is(a.revenue, "706100") &&
              str_is(a.expense, "628000") && str_is(a.payable, GL_ACCOUNT_PAYABLE));
    a = gl_group_accounts_or_default(&back.accounts, GL_KIND_DUES);
    cr_expect(str_is(a.revenue, "756100") && str_is(a.expense, "628100"));
    gl_buf_free(&b);
}

Test(group_accounts, new_form_round_trips_and_classes_are_checked)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q q = {202503, 100, 1, 0, GRP}, back;
    gl_recharge_q_encode(&b, &q);
    cr_assert_eq(gl_recharge_q_decode(b.data, b.len, &back), GL_OK);
    cr_assert(back.accounts.carried && str_is(back.accounts.payable, "401GRP"));
    static const char *const bad[][4] = {
        {"511000", "706100", "628800", "401GRP"}, /* receivable not 41 */
        {"411GRP", "606100", "628800", "401GRP"}, /* revenue not 7 */
        {"411GRP", "706100", "728800", "401GRP"}, /* expense not 6 */
        {"411GRP", "706100", "628800", "411GRP"}, /* payable not 40 */
        {"41", "706100", "628800", "401GRP"},     /* only the class prefix */
        {"411grp", "706100", "628800", "401GRP"}, /* not an account number */
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        q.accounts = (gl_group_accounts){true,
                                         {bad[i][0], strlen(bad[i][0])},
                                         {bad[i][1], strlen(bad[i][1])},
                                         {bad[i][2], strlen(bad[i][2])},
                                         {bad[i][3], strlen(bad[i][3])}};
        gl_buf_reset(&b);
        gl_recharge_q_encode(&b, &q);
        cr_expect_eq(gl_recharge_q_decode(b.data, b.len, &back), GL_ERR_GROUP_ACCOUNT_CLASS,
                     "case %zu", i);
    }
    /* a block cut short is malformed, never read as the old form */
    q.accounts = GRP;
    gl_buf_reset(&b);
    gl_recharge_q_encode(&b, &q);
    cr_expect_neq(gl_recharge_q_decode(b.data, b.len - 1, &back), GL_OK);
    gl_buf_free(&b);
}

Test(group_accounts, adjust_signed_amounts_and_required_accounts)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_adjust_q q = {.year = 2025, .count = 2, .accounts = GRP}, back;
    q.items[0] = (gl_group_item){{"beta", 4}, 12345};
    q.items[1] = (gl_group_item){{"gamma", 5}, -678};
    gl_recharge_adjust_q_encode(&b, &q);
    gl_body body;
    uint32_t bad;
    cr_assert_eq(gl_body_decode(GL_KIND_RECHARGE_ADJUST, b.data, b.len, &body, &bad), GL_OK);
    cr_expect_eq(body.recharge_adjust.items[1].value, -678);
    cr_expect(str_is(body.recharge_adjust.accounts.expense, "628800"));
    q.items[1].value = 0;
    gl_buf_reset(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    cr_expect_eq(gl_recharge_adjust_q_decode(b.data, b.len, &back), GL_ERR_ADJUST_ZERO);
    q.items[1].value = INT64_MIN;
    gl_buf_reset(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    cr_expect_eq(gl_recharge_adjust_q_decode(b.data, b.len, &back), GL_ERR_ADJUST_ZERO);
    q.items[1].value = -1;
    q.accounts = (gl_group_accounts){0};
    gl_buf_reset(&b);
    gl_recharge_adjust_q_encode(&b, &q);
    cr_expect_eq(gl_recharge_adjust_q_decode(b.data, b.len, &back), GL_ERR_ADJUST_NO_ACCOUNTS);
    /* dues take the block too */
    gl_dues_q d = {.year = 2025, .count = 1, .accounts = GRP}, dback;
    d.items[0] = (gl_group_item){{"beta", 4}, 100};
    gl_buf_reset(&b);
    gl_dues_q_encode(&b, &d);
    cr_assert_eq(gl_dues_q_decode(b.data, b.len, &dback), GL_OK);
    cr_expect(dback.accounts.carried && str_is(dback.accounts.revenue, "706100"));
    gl_buf_free(&b);
}
