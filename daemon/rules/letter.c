/*
 * daemon/rules/letter.c — LETTER and UNLETTER: lettrage, the matching of
 * lines of one account and auxiliary account (an invoice and its payment)
 * that sum to zero, under the next letter code of that account (A, B, …, Z,
 * AA, … up to four letters) and the date of the day (or the date the
 * request gives, not after the day: a FEC's DateLet).  Lettering never
 * changes an entry: it is its own event in the chain, allowed on lines of
 * locked periods, and can be removed (UNLETTER) by the same kind of event.
 *
 * Storage: a lettering under its account and code in letters (with the
 * account's next code index under code 0000), and each lettered line's
 * code and date in lettered (store/store.h).
 */
#include "daemon/carried.h"
#include "daemon/entries.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/assert.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static void key_line_lettered(uint8_t k[KEY_LETTERED_LEN], uint32_t tenant, gl_line_ref r)
{
    key_lettered(k, tenant, r.fy, r.num, r.line);
}

/* Check one line to letter and add its amount to *sum. */
/* A line its year's close carried over (detailed account) is settled by
 * the close: its à-nouveaux line is the item to letter (463). */
static int check_not_carried(gl_exec *x, carried_set *c, uint32_t tenant, gl_str account,
                             gl_line_ref r, uint32_t item)
{
    bool carried;
    uint32_t since;
    int st = carried_line(x, c, tenant, account, r.fy, r.num, r.line, &carried, &since);
    if (st == GL_OK && carried)
        return exec_fail(x, GL_ERR_LETTER_CARRIED_LINE, item, 0,
                         "%u/%u:%u was carried over by the close of %u: letter its à-nouveaux "
                         "line",
                         r.fy, r.num, r.line, r.fy);
    return st;
}

static int check_line(gl_exec *x, carried_set *c, uint32_t tenant, const gl_letter_q *q, uint16_t i,
                      int64_t *sum)
{
    gl_line_ref r = gl_letter_ref(q, i);
    uint32_t item = (uint32_t)i + 1;
    for (uint16_t j = 0; j < i; j++) {
        gl_line_ref o = gl_letter_ref(q, j);
        if (o.fy == r.fy && o.num == r.num && o.line == r.line)
            return exec_fail(x, GL_ERR_LETTER_MISMATCH, item, 0, "%u/%u:%u is listed twice", r.fy,
                             r.num, r.line);
    }
    gl_entry e;
    store_entry raw;
    int st = ledger_read_entry(x->txn, tenant, r.fy, r.num, &e, &raw);
    if (st == GL_ERR_NOT_FOUND || (st == GL_OK && r.line > e.line_count))
        return exec_fail(x, GL_ERR_NOT_FOUND, item, 0, "no line %u/%u:%u", r.fy, r.num, r.line);
    if (st != GL_OK)
        return st;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &e);
    for (uint16_t k = 0; k < r.line; k++) {
        bool more = gl_line_next(&it, &l);
        GL_ASSERT(more);
    }
    if (l.account.len != q->account.len || memcmp(l.account.ptr, q->account.ptr, l.account.len) ||
        l.aux.len != q->aux.len || (l.aux.len && memcmp(l.aux.ptr, q->aux.ptr, l.aux.len)))
        return exec_fail(x, GL_ERR_LETTER_MISMATCH, item, 0, "%u/%u:%u is on account %.*s/%.*s",
                         r.fy, r.num, r.line, (int)l.account.len, l.account.ptr, (int)l.aux.len,
                         l.aux.ptr);
    uint8_t k[KEY_LETTERED_LEN];
    store_val v;
    store_lettered lettered;
    key_line_lettered(k, tenant, r);
    if ((st = store_get(x->txn, DB_LETTERED, k, sizeof k, &v)) == GL_OK &&
        (st = store_lettered_decode(v, &lettered)) == GL_OK)
        return exec_fail(x, GL_ERR_ALREADY_LETTERED, item, 0, "%u/%u:%u is already lettered %.*s",
                         r.fy, r.num, r.line, (int)lettered.code.len, lettered.code.ptr);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    if ((st = check_not_carried(x, c, tenant, l.account, r, item)) != GL_OK)
        return st;
    if (!gl_money_add(sum, gl_line_signed(&l)))
        return exec_fail(x, GL_ERR_OVERFLOW, item, 0, "the lettered lines' sum overflows");
    return GL_OK;
}

static int next_code(gl_exec *x, uint32_t tenant, gl_str account, char code[GL_LETTER_CODE_MAX + 1])
{
    uint8_t k[KEY_LETTERS_LEN], v[STORE_LETTER_NEXT_LEN];
    store_val cur;
    key_letters(k, tenant, account, (gl_str){"", 0});
    int st = store_get(x->txn, DB_LETTERS, k, sizeof k, &cur);
    uint32_t index = 1;
    if (st == GL_OK)
        st = store_letter_next_decode(cur, &index);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    if (!gl_letter_code(index, code))
        return exec_fail(x, GL_ERR_COUNT_LIMIT, 0, 0, "no letter code left on this account");
    store_letter_next_encode(v, index + 1);
    return store_put(x->txn, DB_LETTERS, k, sizeof k, v, sizeof v);
}

/* item: 1, or the set's 1-based index in a LETTER_BATCH (its events'
 * items, so that the offline verifier finds each set's request). */
static int append_event(gl_exec *x, tenant_rec *rec, uint16_t type, uint32_t item,
                        const gl_buf *payload)
{
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_bytes(&ev, payload->data, payload->len);
    uint64_t seq;
    int st = gl_buf_ok(&ev) && gl_buf_ok(payload)
                 ? chain_append(x->txn, x->req->tenant, rec, type, ev.data, ev.len, &seq)
                 : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    return st;
}

static int account_open(gl_exec *x, uint32_t tenant, gl_str account)
{
    uint8_t k[KEY_ACCOUNTS_LEN];
    store_val v;
    if (!gl_account_valid(account))
        return exec_fail(x, GL_ERR_BAD_ACCOUNT, 0, 0, "%s", gl_status_message(GL_ERR_BAD_ACCOUNT));
    key_accounts(k, tenant, account);
    int st = store_get(x->txn, DB_ACCOUNTS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0, "account %.*s is not open",
                         (int)account.len, account.ptr);
    return st;
}

/* One lettering: set 0 for LETTER, else the set's index in a LETTER_BATCH
 * (its event's item). Its code and date go to *done. */
static int letter_set(gl_exec *x, carried_set *c, tenant_rec *rec_p, const gl_letter_q *qp,
                      uint32_t set, char code[GL_LETTER_CODE_MAX + 1], uint32_t *done_date)
{
    gl_letter_q q = *qp;
    tenant_rec rec = *rec_p;
    int st;
    if ((st = account_open(x, rec.number, q.account)) != GL_OK)
        return st;
    int64_t sum = 0;
    for (uint16_t i = 0; i < q.count; i++)
        if ((st = check_line(x, c, rec.number, &q, i, &sum)) != GL_OK)
            return st;
    if (sum != 0) {
        char m[GL_MONEY_TEXT_MAX];
        return exec_fail(x, GL_ERR_LETTER_UNBALANCED, 0, 0, "the lines sum to %s, not zero",
                         gl_money_format(sum, GL_MONEY_PLAIN, m));
    }
    /* the day in France, or the date the request gives (a FEC's DateLet,
     * kept by fec import): never a day still to come */
    uint32_t today = gl_date_paris(x->now_ms), date = q.date ? q.date : today;
    if (date > today) {
        char d[11], t[11];
        return exec_fail(x, GL_ERR_LETTER_DATE_AHEAD, 0, 0, "lettering date %s is after today (%s)",
                         gl_date_format(date, d), gl_date_format(today, t));
    }
    if ((st = next_code(x, rec.number, q.account, code)) != GL_OK)
        return st;
    gl_str code_s = {code, strlen(code)};
    uint8_t lk[KEY_LETTERS_LEN], lv[STORE_LETTERED_LEN];
    store_lettered_encode(lv, code_s, date);
    for (uint16_t i = 0; i < q.count && st == GL_OK; i++) {
        uint8_t k[KEY_LETTERED_LEN];
        key_line_lettered(k, rec.number, gl_letter_ref(&q, i));
        st = store_put(x->txn, DB_LETTERED, k, sizeof k, lv, sizeof lv);
    }
    gl_buf rec_v;
    gl_buf_init(&rec_v);
    store_lettering lettering = {date, q.aux, q.count, q.refs};
    store_lettering_encode(&rec_v, &lettering);
    key_letters(lk, rec.number, q.account, code_s);
    if (st == GL_OK)
        st = gl_buf_ok(&rec_v) ? store_put(x->txn, DB_LETTERS, lk, sizeof lk, rec_v.data, rec_v.len)
                               : GL_ERR_INTERNAL;
    gl_buf payload; /* as proto/chain.h documents GL_EVENT_LETTER */
    gl_buf_init(&payload);
    gl_put_str8(&payload, q.account.ptr, q.account.len);
    gl_put_str8(&payload, q.aux.ptr, q.aux.len);
    gl_put_str8(&payload, code, code_s.len);
    gl_put_u32(&payload, date);
    gl_put_u16(&payload, q.count);
    gl_put_bytes(&payload, q.refs, (size_t)q.count * 8);
    if (st == GL_OK)
        st = append_event(x, &rec, GL_EVENT_LETTER, set ? set : 1, &payload);
    gl_buf_free(&payload);
    gl_buf_free(&rec_v);
    *rec_p = rec;
    *done_date = date;
    return st;
}

int rules_letter(gl_exec *x, const gl_body *rq)
{
    tenant_rec rec;
    char code[GL_LETTER_CODE_MAX + 1];
    uint32_t date = 0;
    carried_set c = {0}; /* the carried lines a request's lettering reads, kept for it */
    int st = exec_tenant_load(x, &rec);
    if (st == GL_OK)
        st = letter_set(x, &c, &rec, &rq->letter, 0, code, &date);
    carried_free(&c);
    if (st != GL_OK)
        return st;
    gl_reply_letter_done r = {{code, strlen(code)}, date};
    gl_reply_letter_done_encode(x->body, &r);
    return GL_OK;
}

/* A refusal of set `set` of a batch: the set as the item, the line it
 * named (LETTER's item) as the line, and the detail says which set. */
static int batch_fail(gl_exec *x, int st, uint32_t set)
{
    char detail[GL_DETAIL_MAX];
    snprintf(detail, sizeof detail, "%s", x->detail);
    uint32_t line = x->err_item;
    return exec_fail(x, st, set, line, "set %u: %s", set, detail);
}

int rules_letter_batch(gl_exec *x, const gl_body *rq)
{
    gl_letter_batch_q b = rq->letter_batch;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    /* reply: count u16 | per set, as LETTER's (code str8 | date u32) */
    gl_put_u16(x->body, b.count);
    size_t pos = 0;
    gl_letter_q q;
    carried_set c = {0}; /* kept across the sets: one read per year and account */
    for (uint32_t set = 1; gl_letter_batch_next(&b, &pos, &q); set++) {
        char code[GL_LETTER_CODE_MAX + 1];
        uint32_t date = 0;
        x->detail[0] = 0;
        x->err_item = 0;
        if ((st = letter_set(x, &c, &rec, &q, set, code, &date)) != GL_OK) {
            carried_free(&c);
            return batch_fail(x, st, set);
        }
        gl_reply_letter_done r = {{code, strlen(code)}, date};
        gl_reply_letter_done_encode(x->body, &r);
    }
    carried_free(&c);
    return GL_OK;
}

int rules_unletter(gl_exec *x, const gl_body *rq)
{
    gl_unletter_q q = rq->unletter;
    int st;
    tenant_rec rec;
    if ((st = exec_tenant_load(x, &rec)) != GL_OK)
        return st;
    if (q.code.len == 0)
        return exec_fail(x, GL_ERR_NOT_FOUND, 0, 0, "no letter code given");
    uint8_t lk[KEY_LETTERS_LEN];
    store_val v;
    key_letters(lk, rec.number, q.account, q.code);
    st = store_get(x->txn, DB_LETTERS, lk, sizeof lk, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_NOT_FOUND, 0, 0, "no lettering %.*s on account %.*s",
                         (int)q.code.len, q.code.ptr, (int)q.account.len, q.account.ptr);
    if (st != GL_OK)
        return st;
    store_lettering stored;
    int decoded = store_lettering_decode(v, &stored);
    GL_ASSERT(decoded == GL_OK);
    uint16_t count = stored.count;
    /* copy out: LMDB's pages may move once this transaction writes */
    uint8_t *refs = malloc((size_t)count * STORE_LETTER_REF_LEN + 1);
    if (!refs)
        return GL_ERR_INTERNAL;
    memcpy(refs, stored.refs, (size_t)count * STORE_LETTER_REF_LEN);
    for (uint16_t i = 0; i < count && st == GL_OK; i++) {
        gl_line_ref r;
        uint8_t k[KEY_LETTERED_LEN];
        store_lettering_ref(refs, i, &r.fy, &r.num, &r.line);
        key_line_lettered(k, rec.number, r);
        st = store_del(x->txn, DB_LETTERED, k, sizeof k);
    }
    free(refs);
    if (st == GL_OK)
        st = store_del(x->txn, DB_LETTERS, lk, sizeof lk);
    gl_buf payload;
    gl_buf_init(&payload);
    gl_put_str8(&payload, q.account.ptr, q.account.len);
    gl_put_str8(&payload, q.code.ptr, q.code.len);
    if (st == GL_OK)
        st = append_event(x, &rec, GL_EVENT_UNLETTER, 1, &payload);
    gl_buf_free(&payload);
    gl_reply_unletter r = {count};
    gl_reply_unletter_encode(x->body, &r);
    return st;
}
