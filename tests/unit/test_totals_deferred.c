/*
 * tests/unit/test_totals_deferred.c — the deferred slots of the request's
 * totals cache (daemon/totals.h), through which the analytic indexes are
 * written: deltas added to the stored pairs at the flush, rows put and
 * deleted there, in key order through one cursor a table, each operation
 * in the transaction's log as store_put and store_del write it; a delta
 * that would take a total below zero, or a row to delete that is not
 * there, refuses the flush (storage) and the request's transaction is
 * dropped by its caller.
 */
#include "daemon/store/store.h"
#include "daemon/store/values.h"
#include "daemon/totals.h"

#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static char dir[64];
static store *s;
static totals_cache c;

static void setup(void)
{
    snprintf(dir, sizeof dir, "/tmp/gl-totals-XXXXXX");
    cr_assert(mkdtemp(dir));
    char err[256];
    cr_assert_eq(store_open(&s, dir, 64u << 20, err, sizeof err), GL_OK, "%s", err);
    totals_init(&c);
}

static void teardown(void)
{
    totals_free(&c);
    store_close(s);
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

TestSuite(totals_deferred, .init = setup, .fini = teardown);

static void key_of(uint8_t k[8], unsigned n) { gl_be64(k, n); }

static void delta(unsigned n, int64_t debit, int64_t credit)
{
    uint8_t k[8];
    key_of(k, n);
    bool fresh;
    int st;
    totals_slot *sl = totals_deferred(&c, DB_AN_TOTALS, k, sizeof k, &fresh, &st);
    cr_assert(sl, "%d", st);
    if (fresh) {
        sl->kind = TOTALS_DELTA;
        sl->debit = sl->credit = 0;
    }
    cr_assert_eq(sl->kind, TOTALS_DELTA);
    sl->debit += debit;
    sl->credit += credit;
}

static void row(unsigned n, int kind, uint8_t value)
{
    uint8_t k[8];
    key_of(k, n);
    bool fresh;
    int st;
    totals_slot *sl = totals_deferred(&c, DB_ANALYTIC, k, sizeof k, &fresh, &st);
    cr_assert(sl, "%d", st);
    bool was_put = !fresh && sl->kind == TOTALS_ROW_PUT;
    sl->kind = (uint8_t)kind;
    sl->must_exist = !was_put;
    sl->row_len = 1;
    sl->row[0] = value;
}

static store_pair pair_at(store_txn *t, unsigned n, bool *found)
{
    uint8_t k[8];
    key_of(k, n);
    store_val v;
    store_pair p = {0, 0};
    int st = store_get(t, DB_AN_TOTALS, k, sizeof k, &v);
    *found = st == GL_OK;
    if (*found)
        cr_assert_eq(store_pair_decode(v, &p), GL_OK);
    return p;
}

static int row_at(store_txn *t, unsigned n)
{
    uint8_t k[8];
    key_of(k, n);
    store_val v;
    int st = store_get(t, DB_ANALYTIC, k, sizeof k, &v);
    return st == GL_OK ? v.ptr[0] : -1;
}

Test(totals_deferred, deltas_add_to_the_stored_pairs_and_rows_are_put_and_deleted)
{
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    for (unsigned n = 300; n > 0; n--) /* made in reverse order, flushed in key order */
        delta(n, n, 2 * n);
    row(7, TOTALS_ROW_PUT, 70);
    row(8, TOTALS_ROW_PUT, 80);
    cr_assert_eq(totals_flush(&c, t), GL_OK);
    cr_assert_eq(c.count, 0);

    delta(5, 10, 0);
    delta(5, 0, 3);
    delta(5, -4, 0);  /* a share taken away: the deferred sum goes below 0 */
    delta(301, 0, 9); /* new */
    row(7, TOTALS_ROW_DEL, 0);
    row(7, TOTALS_ROW_PUT, 71); /* deleted, then put again: the new value */
    row(8, TOTALS_ROW_DEL, 0);
    row(9, TOTALS_ROW_PUT, 90);
    row(9, TOTALS_ROW_DEL, 0); /* put, then taken away: never there */
    cr_assert_eq(totals_flush(&c, t), GL_OK);

    bool found;
    store_pair p = pair_at(t, 5, &found);
    cr_expect(found);
    cr_expect_eq(p.debit, 5 + 10 - 4);
    cr_expect_eq(p.credit, 10 + 3);
    p = pair_at(t, 300, &found);
    cr_expect(found && p.debit == 300 && p.credit == 600);
    p = pair_at(t, 301, &found);
    cr_expect(found && p.debit == 0 && p.credit == 9);
    cr_expect_eq(row_at(t, 7), 71);
    cr_expect_eq(row_at(t, 8), -1);
    cr_expect_eq(row_at(t, 9), -1);
    store_abort(t);
}

Test(totals_deferred, the_log_holds_each_operation_in_key_order)
{
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    store_log_enable(t);
    delta(3, 1, 0);
    delta(1, 1, 0);
    delta(2, 1, 0);
    row(4, TOTALS_ROW_PUT, 40);
    cr_assert_eq(totals_flush(&c, t), GL_OK);
    size_t len;
    bool ok;
    const uint8_t *log = store_log_data(t, &len, &ok);
    cr_assert(ok);
    /* op | db | key_len u16 | val_len u32 | key | value */
    const size_t pair_op = 8 + 8 + STORE_PAIR_LEN, row_op = 8 + 8 + 1;
    cr_assert_eq(len, 3 * pair_op + row_op);
    uint8_t db_totals = (uint8_t)DB_AN_TOTALS, db_rows = (uint8_t)DB_ANALYTIC;
    const uint8_t *pairs = db_totals < db_rows ? log : log + row_op; /* by table, then key */
    const uint8_t *rows = db_totals < db_rows ? log + 3 * pair_op : log;
    cr_expect_eq(rows[0], STORE_OP_PUT);
    cr_expect_eq(rows[1], db_rows);
    cr_expect_eq(gl_rd64(rows + 8), 4);
    for (unsigned i = 0; i < 3; i++) {
        const uint8_t *op = pairs + i * pair_op;
        cr_expect_eq(op[0], STORE_OP_PUT);
        cr_expect_eq(op[1], db_totals);
        cr_expect_eq(gl_rd64(op + 8), i + 1, "key order");
    }
    store_abort(t);
}

Test(totals_deferred, a_total_below_zero_or_a_missing_row_refuses_the_flush)
{
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    delta(1, 5, 0);
    cr_assert_eq(totals_flush(&c, t), GL_OK);
    delta(1, -6, 0);
    cr_expect_eq(totals_flush(&c, t), GL_ERR_STORAGE);
    cr_expect_eq(c.count, 0, "the cache is emptied");
    store_abort(t);

    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    row(1, TOTALS_ROW_DEL, 0);
    cr_expect_eq(totals_flush(&c, t), GL_ERR_STORAGE);
    store_abort(t);

    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    delta(2, INT64_MAX, 0);
    cr_assert_eq(totals_flush(&c, t), GL_OK);
    delta(2, 1, 0);
    cr_expect_eq(totals_flush(&c, t), GL_ERR_TOTAL_LIMIT);
    store_abort(t);
}
