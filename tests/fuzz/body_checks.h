/*
 * tests/fuzz/body_checks.h — what every request body decoder promises, for
 * the fuzz targets (fuzz_bodies: bodies alone; fuzz_request: bodies inside
 * signed requests).  Included by one .c each: static functions only.
 *
 * For each kind whose body carries a date, a month, a fiscal year or a
 * count: a body that decodes holds only values in range (dates valid,
 * months gl_month_valid, years 1900-2999, counts within their limits), what
 * the daemon computes from them stays in range too (the last day of a
 * RECHARGE period, the default DUES date, the fiscal year bounds of a
 * CLOSE_YEAR), the entries the recharge and dues builders write from them
 * always decode (issue 11: an assertion there stopped the daemon), and the
 * body re-encodes to exactly its bytes.  Any breach aborts.
 */
#ifndef GL_FUZZ_BODY_CHECKS_H
#define GL_FUZZ_BODY_CHECKS_H

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define BODY_CHECK(cond)                                                       \
    do {                                                                       \
        if (!(cond))                                                           \
            abort();                                                           \
    } while (0)

static void body_same(const gl_buf *b, const uint8_t *data, size_t size)
{
    BODY_CHECK(gl_buf_ok(b));
    BODY_CHECK(b->len == size);
    BODY_CHECK(size == 0 || memcmp(b->data, data, size) == 0);
}

/* The two-line entry the group builders (daemon/rules/group.c) write, with
 * the longest tenant id and code: it must encode and decode. */
static void body_group_entry(const char *piece, const char *what, uint32_t date, int64_t cents)
{
    static const char code[] = "ZZZZZZZZZZZZZZZZZZZZ"; /* GL_AUX_MAX */
    char label[160];
    snprintf(label, sizeof label, "%s %s", what, code);
    gl_line_in lines[2] = {{"411000", code, "", "", GL_SIDE_DEBIT, cents}, {"706100", "", "", "", GL_SIDE_CREDIT, cents}};
    gl_entry_in in = {.tenant = "abcdefghijklmnop", .journal = "VT", .piece_ref = piece, .label = label,
                      .date = date, .piece_date = date, .line_count = 2, .lines = lines};
    gl_buf b;
    gl_buf_init(&b);
    BODY_CHECK(gl_entry_encode(&b, &in) == GL_OK);
    gl_cur c;
    gl_entry e;
    gl_cur_init(&c, b.data, b.len);
    gl_entry_decode(&c, &e);
    BODY_CHECK(gl_cur_end(&c) == GL_OK);
    uint32_t bad_line;
    BODY_CHECK(gl_entry_check(&e, &bad_line) == GL_OK);
    gl_buf_free(&b);
}

static void body_fiscal_years(uint32_t date)
{
    for (unsigned m = 1; m <= 12; m++) {
        uint16_t fy = gl_fiscal_year(date, m);
        BODY_CHECK(fy >= 1900 && fy <= 3000);
        BODY_CHECK(gl_fiscal_year_start(fy, m) <= date && date <= gl_fiscal_year_end(fy, m));
    }
}

static void body_lock(const uint8_t *data, size_t size)
{
    gl_lock_q q;
    if (gl_lock_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(size == 5 && gl_month_valid(q.through_ym) && q.mode <= GL_LOCK_NEXT_ONLY);
    BODY_CHECK(gl_date_valid(q.through_ym * 100 + 1) && gl_date_valid(gl_month_last_day(q.through_ym)));
    uint32_t next = gl_month_next(q.through_ym);
    BODY_CHECK(next > q.through_ym && (gl_month_valid(next) || q.through_ym == 299912));
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_recharge(const uint8_t *data, size_t size)
{
    gl_recharge_q q;
    if (gl_recharge_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(gl_month_valid(q.period_ym) && q.amount_cents > 0 && (q.date == 0 || gl_date_valid(q.date)));
    uint32_t date = q.date ? q.date : gl_month_last_day(q.period_ym);
    BODY_CHECK(gl_date_valid(date));
    body_fiscal_years(date);
    char piece[32], what[64];
    BODY_CHECK(snprintf(piece, sizeof piece, "RCH-%04u-%02u-V%u", q.period_ym / 100, q.period_ym % 100, q.version) <
               (int)sizeof piece);
    snprintf(what, sizeof what, "Refacturation des frais %04u-%02u", q.period_ym / 100, q.period_ym % 100);
    body_group_entry(piece, what, date, q.amount_cents);
    gl_buf b;
    gl_buf_init(&b);
    gl_recharge_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_dues(const uint8_t *data, size_t size)
{
    gl_dues_q q;
    if (gl_dues_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(q.year >= 1900 && q.year <= 2999 && (q.date == 0 || gl_date_valid(q.date)));
    BODY_CHECK(q.count >= 1 && q.count <= GL_GROUP_MEMBERS_MAX);
    uint32_t date = q.date ? q.date : (uint32_t)q.year * 10000 + 131;
    BODY_CHECK(gl_date_valid(date));
    char piece[32], what[64];
    snprintf(piece, sizeof piece, "COT-%u", q.year);
    snprintf(what, sizeof what, "Cotisation annuelle %u", q.year);
    for (uint16_t i = 0; i < q.count; i++) {
        BODY_CHECK(q.items[i].value > 0 && q.items[i].tenant.len <= GL_TENANT_MAX);
        body_group_entry(piece, what, date, q.items[i].value);
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_dues_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_keys(const uint8_t *data, size_t size)
{
    gl_keys_q q;
    if (gl_keys_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(q.count >= 1 && q.count <= GL_GROUP_MEMBERS_MAX);
    int64_t weights[GL_GROUP_MEMBERS_MAX], shares[GL_GROUP_MEMBERS_MAX], total = 0;
    for (uint16_t i = 0; i < q.count; i++) {
        BODY_CHECK(q.items[i].value >= 0 && q.items[i].value <= UINT32_MAX);
        weights[i] = q.items[i].value;
        total += weights[i];
    }
    /* any amount splits exactly (the recharge builder's other assertion) */
    static const int64_t amounts[] = {1, 100, GL_TOTAL_MAX_CENTS, INT64_MAX};
    for (size_t a = 0; a < sizeof amounts / sizeof amounts[0] && total > 0; a++) {
        BODY_CHECK(gl_shares(amounts[a], weights, q.count, shares));
        __int128 sum = 0;
        for (uint16_t i = 0; i < q.count; i++) {
            BODY_CHECK(shares[i] >= 0 && shares[i] <= amounts[a]);
            sum += shares[i];
        }
        BODY_CHECK(sum == amounts[a]);
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_keys_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_close(const uint8_t *data, size_t size)
{
    gl_close_q q;
    if (gl_close_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(q.fy >= 1900 && q.fy <= 2998);
    for (unsigned m = 1; m <= 12; m++) { /* the year's last day and the next year's first */
        BODY_CHECK(gl_date_valid(gl_fiscal_year_end(q.fy, m)));
        BODY_CHECK(gl_date_valid(gl_fiscal_year_start((uint16_t)(q.fy + 1), m)));
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_close_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_entry_ref(const uint8_t *data, size_t size)
{
    gl_entry_ref r;
    if (gl_entry_ref_decode(data, size, &r) != GL_OK)
        return;
    BODY_CHECK(r.fy >= 1900 && r.fy <= 2999 && r.num != 0);
    gl_buf b;
    gl_buf_init(&b);
    gl_entry_ref_encode(&b, &r);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_letter(const uint8_t *data, size_t size)
{
    gl_letter_q q;
    if (gl_letter_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(q.count >= 2 && q.count <= GL_LETTER_LINES_MAX);
    static gl_line_ref refs[GL_LETTER_LINES_MAX];
    for (uint16_t i = 0; i < q.count; i++) {
        refs[i] = gl_letter_ref(&q, i);
        BODY_CHECK(refs[i].fy >= 1900 && refs[i].fy <= 2999 && refs[i].num && refs[i].line);
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode_dated(&b, q.account, q.aux, refs, q.count, q.date); /* date 0: none */
    body_same(&b, data, size);
    gl_buf_free(&b);
}

static void body_dates(const uint8_t *data, size_t size)
{
    gl_balance_q bq;
    if (gl_balance_q_decode(data, size, &bq) == GL_OK) {
        BODY_CHECK(gl_date_valid(bq.at));
        body_fiscal_years(bq.at);
    }
    gl_journal_q jq;
    if (gl_journal_q_decode(data, size, &jq) == GL_OK)
        BODY_CHECK(gl_date_valid(jq.from) && gl_date_valid(jq.to) && jq.from <= jq.to);
    gl_ledger_q lq;
    if (gl_ledger_q_decode(data, size, &lq) == GL_OK)
        BODY_CHECK(gl_date_valid(lq.from) && gl_date_valid(lq.to) && lq.from <= lq.to &&
                   (lq.after_date == 0 || gl_date_valid(lq.after_date)));
    uint32_t at;
    if (gl_date_body_decode(data, size, &at) == GL_OK) {
        BODY_CHECK(size == 4 && gl_date_valid(at));
        body_fiscal_years(at);
    }
}

static void body_group_balance(const uint8_t *data, size_t size)
{
    gl_group_balance_q q;
    if (gl_group_balance_q_decode(data, size, &q) != GL_OK)
        return;
    BODY_CHECK(gl_date_valid(q.at) && q.limit >= 1 && q.limit <= GL_PAGE_MAX && q.after.len <= GL_ACCOUNT_MAX);
    BODY_CHECK(gl_utf8_valid(q.after.ptr, q.after.len));
    body_fiscal_years(q.at);
    gl_buf b;
    gl_buf_init(&b);
    gl_group_balance_q_encode(&b, &q);
    body_same(&b, data, size);
    gl_buf_free(&b);
}

/* The checks of one kind's body (kinds without a date, month or count are
 * decoded for safety only). */
static void body_check(uint16_t kind, const uint8_t *data, size_t size)
{
    switch (kind) {
    case GL_KIND_LOCK: body_lock(data, size); break;
    case GL_KIND_RECHARGE: body_recharge(data, size); break;
    case GL_KIND_DUES: body_dues(data, size); break;
    case GL_KIND_KEYS_SET: body_keys(data, size); break;
    case GL_KIND_CLOSE_YEAR: body_close(data, size); break;
    case GL_KIND_ENTRY_GET: body_entry_ref(data, size); break;
    case GL_KIND_LETTER: body_letter(data, size); break;
    case GL_KIND_BALANCE:
    case GL_KIND_JOURNAL:
    case GL_KIND_LEDGER:
    case GL_KIND_GROUP_RECONCILE: body_dates(data, size); break;
    case GL_KIND_GROUP_BALANCE: body_group_balance(data, size); break;
    case GL_KIND_ACCOUNT_LABEL: {
        gl_accounts_open o;
        uint32_t bad;
        if (gl_account_label_decode(data, size, &o, &bad) == GL_OK)
            BODY_CHECK(o.count >= 1 && o.count <= GL_LABELS_MAX && o.mode == 0);
        break;
    }
    case GL_KIND_UNLETTER: {
        gl_unletter_q q;
        if (gl_unletter_q_decode(data, size, &q) == GL_OK)
            BODY_CHECK(q.account.len <= GL_ACCOUNT_MAX && q.code.len <= GL_LETTER_CODE_MAX);
        break;
    }
    case GL_KIND_CHAIN: {
        gl_chain_q q;
        if (gl_chain_q_decode(data, size, &q) == GL_OK)
            BODY_CHECK(q.limit >= 1 && q.limit <= GL_PAGE_MAX);
        break;
    }
    case GL_KIND_ENVELOPE: {
        uint64_t e;
        if (gl_u64_body_decode(data, size, &e) == GL_OK)
            BODY_CHECK(size == 8);
        break;
    }
    case GL_KIND_KEYS_GET: {
        uint16_t v;
        if (gl_u16_body_decode(data, size, &v) == GL_OK)
            BODY_CHECK(size == 2);
        break;
    }
    default: break;
    }
}

#endif
