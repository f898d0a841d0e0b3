/*
 * tests/unit/test_group_balance.c — client/cli/group_balance.c: the pages
 * of GROUP_BALANCE as the client reads them, from hand-made replies.
 * Refusals first, each named by its client-local status (issue 11, item 3):
 * a combined total beyond int64 is sum_overflow (951), more rows than the
 * client holds answer_too_large (950), and a page that is truncated, out of
 * order, of another reading or that does not move forward bad_reply (952);
 * never "cannot read the daemon's reply".  Then a reading over two pages.
 */
#include "client/cli/group_balance.h"

#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <string.h>

typedef struct row_in {
    const char *account;
    int64_t net[3], elim;
} row_in;

/* A page of three entities (alpha, beta, gamma) at 2025-12-31. */
static void page(gl_buf *b, uint64_t watermark, bool more, const char *next, const row_in *rows,
                 uint32_t n)
{
    gl_buf_init(b);
    gl_put_u64(b, watermark);
    gl_put_u8(b, more);
    gl_put_str8(b, next, strlen(next));
    gl_put_u32(b, 20251231);
    gl_put_u8(b, 3);
    static const char *const ids[] = {"alpha", "beta", "gamma"};
    for (int i = 0; i < 3; i++) {
        gl_put_str8(b, ids[i], strlen(ids[i]));
        gl_put_u16(b, i == 2 ? 2026 : 2025);
    }
    gl_put_u32(b, n);
    for (uint32_t r = 0; r < n; r++) {
        gl_put_str8(b, rows[r].account, strlen(rows[r].account));
        gl_put_str8(b, "Compte", 6);
        for (int e = 0; e < 3; e++)
            gl_put_i64(b, rows[r].net[e]);
        gl_put_i64(b, rows[r].elim);
    }
    cr_assert(gl_buf_ok(b));
}

static int decode(group_balance *g, gl_buf *b)
{
    int st = group_balance_page(g, b->data, b->len);
    gl_buf_free(b);
    return st;
}

Test(group_balance, a_combined_total_beyond_int64_is_sum_overflow)
{
    group_balance g = {0};
    gl_buf b;
    row_in rows[] = {{"606100", {INT64_MAX, 1, 0}, 0}};
    page(&b, 7, false, "606100", rows, 1);
    cr_assert_eq(decode(&g, &b), GL_ERR_SUM_OVERFLOW);
    cr_assert(strstr(g.why, "606100"), "%s", g.why);
    group_balance_free(&g);
    /* the eliminations count in the combined total too */
    row_in elim[] = {{"706100", {INT64_MIN, 0, 0}, -1}};
    page(&b, 7, false, "706100", elim, 1);
    cr_assert_eq(decode(&g, &b), GL_ERR_SUM_OVERFLOW);
    group_balance_free(&g);
    cr_assert_str_eq(gl_status_name(GL_ERR_SUM_OVERFLOW), "sum_overflow");
}

Test(group_balance, more_rows_than_the_client_holds_is_answer_too_large)
{
    group_balance g = {0};
    gl_buf b;
    row_in rows[] = {{"512000", {1, 2, 3}, 0}};
    page(&b, 7, true, "512000", rows, 1);
    cr_assert_eq(decode(&g, &b), GL_OK);
    g.count = GROUP_ROWS_MAX; /* as if earlier pages had filled it */
    row_in next[] = {{"606100", {1, 2, 3}, 0}};
    page(&b, 7, false, "606100", next, 1);
    cr_assert_eq(decode(&g, &b), GL_ERR_ANSWER_TOO_LARGE);
    g.count = 1;
    group_balance_free(&g);
    cr_assert_str_eq(gl_status_name(GL_ERR_ANSWER_TOO_LARGE), "answer_too_large");
}

Test(group_balance, broken_pages_are_bad_reply)
{
    row_in rows[] = {{"512000", {1, 2, 3}, 0}, {"606100", {4, 5, 6}, 0}};
    gl_buf b;
    /* truncated anywhere */
    page(&b, 7, false, "606100", rows, 2);
    for (size_t cut = 0; cut < b.len; cut++) {
        group_balance g = {0};
        cr_assert_eq(group_balance_page(&g, b.data, cut), GL_ERR_BAD_REPLY, "cut at %zu", cut);
        group_balance_free(&g);
    }
    gl_buf_free(&b);
    /* a count larger than the page */
    group_balance g = {0};
    page(&b, 7, false, "606100", rows, 2);
    gl_be32(b.data + b.len - 2 * (1 + 6 + 1 + 6 + 4 * 8) - 4, 0x7fffffff); /* the row count */
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    group_balance_free(&g);
    /* rows out of order */
    row_in backwards[] = {{"606100", {1, 2, 3}, 0}, {"512000", {4, 5, 6}, 0}};
    page(&b, 7, false, "512000", backwards, 2);
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    group_balance_free(&g);
    /* a second page of another reading (watermark), or that does not move */
    page(&b, 7, true, "512000", rows, 1);
    cr_assert_eq(decode(&g, &b), GL_OK);
    page(&b, 8, false, "606100", rows + 1, 1);
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    group_balance_free(&g);
    page(&b, 7, true, "512000", rows, 1);
    cr_assert_eq(decode(&g, &b), GL_OK);
    page(&b, 7, true, "512000", NULL, 0);
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    group_balance_free(&g);
    /* rows of a later page before the cursor's */
    page(&b, 7, true, "606100", rows + 1, 1);
    cr_assert_eq(decode(&g, &b), GL_OK);
    page(&b, 7, false, "", rows, 1);
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    group_balance_free(&g);
    cr_assert_str_eq(gl_status_name(GL_ERR_BAD_REPLY), "bad_reply");
}

Test(group_balance, two_pages_make_one_reading)
{
    group_balance g = {0};
    gl_buf b;
    row_in first[] = {{"411000", {300, 0, 0}, -300}, {"512000", {-300, 40, 60}, 0}};
    row_in second[] = {{"606100", {0, -40, -60}, 0}, {"628000", {0, 300, 0}, -300}};
    page(&b, 9, true, "512000", first, 2);
    cr_assert_eq(decode(&g, &b), GL_OK);
    cr_assert(g.more);
    cr_assert_str_eq(g.next, "512000");
    page(&b, 9, false, "628000", second, 2);
    cr_assert_eq(decode(&g, &b), GL_OK);
    cr_assert(!g.more);
    group_balance_seal(&g);
    cr_assert_eq(g.count, 4);
    cr_assert_eq(g.entities, 3);
    cr_assert_str_eq(g.ids[2], "gamma");
    cr_assert_eq(g.fy[2], 2026);
    cr_assert_str_eq(g.rows[3].account, "628000");
    cr_assert_eq(g.rows[0].net[3], -300); /* the eliminations */
    cr_assert_eq(g.rows[0].net[4], 0);    /* no adjustment (an older daemon's page) */
    cr_assert_eq(g.rows[0].net[5], 0);    /* combined: 300 - 300 */
    cr_assert_eq(g.rows[1].net[5], -200);
    cr_assert_eq(g.rows[3].net[5], 0);
    group_balance_free(&g);
}

/* Issue 20: the tail after the rows (the combination ledger, then per row
 * the differences and the adjustments); the combined total takes the
 * adjustments, the differences are counted apart per category. */
Test(group_balance, the_tail_gives_adjustments_and_differences)
{
    group_balance g = {0};
    gl_buf b;
    row_in rows[] = {{"411000", {400, 0, 0}, -300}, {"706100", {-400, 0, 0}, 300}};
    page(&b, 9, false, "706100", rows, 2);
    gl_put_str8(&b, "consol", 6);
    gl_put_u16(&b, 2025);
    gl_put_i64(&b, 100); /* 411000: 1.00 without a counterpart */
    gl_put_i64(&b, 0);
    gl_put_i64(&b, -100); /* 706100 */
    gl_put_i64(&b, 50);   /* an adjustment */
    cr_assert_eq(decode(&g, &b), GL_OK, "%s", g.why);
    group_balance_seal(&g);
    cr_assert_str_eq(g.combination, "consol");
    cr_assert_eq(g.combination_fy, 2025);
    cr_assert_eq(g.rows[1].net[GROUP_ELIM(&g)], 300);
    cr_assert_eq(g.rows[1].net[GROUP_ADJ(&g)], 50);
    cr_assert_eq(g.rows[1].net[GROUP_COMBINED(&g)], -400 + 300 + 50);
    cr_assert_eq(g.gaps[0], 100);
    __int128 gaps[3];
    group_balance_gaps(&g, gaps);
    cr_assert(gaps[1] == 100 && gaps[2] == -100);
    group_balance_free(&g);
    /* the combination ledger is the same on every page */
    page(&b, 9, true, "411000", rows, 1);
    gl_put_str8(&b, "consol", 6);
    gl_put_u16(&b, 2025);
    gl_put_i64(&b, 0);
    gl_put_i64(&b, 0);
    cr_assert_eq(decode(&g, &b), GL_OK);
    page(&b, 9, false, "706100", rows + 1, 1);
    gl_put_str8(&b, "other", 5);
    gl_put_u16(&b, 2025);
    gl_put_i64(&b, 0);
    gl_put_i64(&b, 0);
    cr_assert_eq(decode(&g, &b), GL_ERR_BAD_REPLY);
    cr_assert(strstr(g.why, "combination ledger changed"), "%s", g.why);
    group_balance_free(&g);
}
