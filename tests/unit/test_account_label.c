/*
 * tests/unit/test_account_label.c — the ACCOUNT_LABEL body (kind 18,
 * proto/query.h): count u32 | (account str8 | label str8)*count, count
 * 1..GL_LABELS_MAX; the kind writes, is known and named; event type 8.
 */
#include "proto/chain.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <string.h>

static void body(gl_buf *b, uint32_t count, uint32_t items)
{
    gl_buf_init(b);
    gl_put_u32(b, count);
    for (uint32_t i = 0; i < items; i++) {
        gl_put_str8(b, "741000", 6);
        gl_put_str8(b, "Subvention", 10);
    }
    cr_assert(gl_buf_ok(b));
}

Test(account_label, the_kind_is_known_writes_and_is_named)
{
    cr_expect_eq(GL_KIND_ACCOUNT_LABEL, 18);
    cr_expect_eq(GL_EVENT_ACCOUNT_LABEL, 8);
    cr_expect(gl_kind_known(GL_KIND_ACCOUNT_LABEL));
    cr_expect(gl_kind_writes(GL_KIND_ACCOUNT_LABEL));
    cr_expect_str_eq(gl_kind_name(GL_KIND_ACCOUNT_LABEL), "account_label");
    cr_expect_not(gl_kind_known(19));
}

Test(account_label, a_body_decodes_and_iterates)
{
    gl_buf b;
    body(&b, 2, 2);
    gl_accounts_open o;
    uint32_t bad = 9;
    cr_assert_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_OK);
    cr_expect_eq(bad, 0);
    cr_expect_eq(o.count, 2);
    gl_item_iter it;
    gl_account_item a;
    uint32_t n = 0;
    gl_account_iter_init(&it, &o);
    while (gl_account_next(&it, &a)) {
        cr_expect_eq(a.account.len, 6);
        cr_expect(!memcmp(a.label.ptr, "Subvention", 10));
        n++;
    }
    cr_expect_eq(n, 2);
    gl_buf_free(&b);
}

Test(account_label, bad_bodies_are_refused)
{
    gl_buf b;
    gl_accounts_open o;
    uint32_t bad;
    body(&b, 0, 0);
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_NO_ENTRIES);
    gl_buf_free(&b);
    body(&b, GL_LABELS_MAX + 1, 0);
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_COUNT_LIMIT);
    gl_buf_free(&b);
    body(&b, 3, 2); /* one item short */
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_MALFORMED);
    cr_expect_eq(bad, 3);
    gl_buf_free(&b);
    body(&b, 1, 2); /* one item too many */
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
    gl_buf_init(&b); /* a control character in the label */
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "741000", 6);
    gl_put_str8(&b, "Sub\x01", 4);
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_STRING_INVALID);
    cr_expect_eq(bad, 1);
    gl_buf_free(&b);
    /* a label longer than GL_LABEL_MAX */
    char longer[GL_LABEL_MAX + 1];
    memset(longer, 'a', sizeof longer);
    gl_buf_init(&b);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "741000", 6);
    gl_put_str8(&b, longer, sizeof longer);
    cr_expect_eq(gl_account_label_decode(b.data, b.len, &o, &bad), GL_ERR_STRING_TOO_LONG);
    gl_buf_free(&b);
}
