/*
 * daemon/rules/bank_match.c — BANK_MATCH and BANK_UNMATCH (issue 18,
 * PROTOCOL.md §5.40, §5.41): the pointage of a bank account's statement
 * lines with the ledger lines of its ledger account.
 *
 * A match ties 1-32 statement lines to 1-32 ledger lines of the bank
 * account's ledger account (à-nouveaux lines excepted: journal AN) whose
 * sums are equal: Σ statement amounts (money in > 0) = Σ (debit - credit).
 * A line is in one active match at most.  Matches are numbered 1, 2, ...
 * per bank account, never reused; a BANK_MATCH of several sets records
 * them all or none (the refusal names the 1-based set).  Like lettering,
 * a match changes no entry: it is allowed on lines of locked periods and
 * closed years, is its own chain event (BANK_MATCH 15), and is undone by
 * another (BANK_UNMATCH 16), which frees its lines; an undone match stays
 * in the chain and in BANK_MATCHES.
 */
#include "daemon/entries.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/bank_match_store.h"
#include "daemon/store/bank_store.h"

#include "proto/bank_match.h"
#include "proto/chain.h"
#include "proto/money.h"
#include "proto/status.h"

#include <string.h>

typedef struct set_sums {
    int64_t bank_cents, book_cents;
    uint32_t last; /* the latest date of the set's lines */
} set_sums;

static int check_seq(gl_exec *x, uint32_t tenant, gl_str account, const gl_bank_match_set *s,
                     uint8_t i, uint32_t item, set_sums *sums)
{
    uint32_t seq = gl_bank_match_seq(s, i);
    for (uint8_t j = 0; j < i; j++)
        if (gl_bank_match_seq(s, j) == seq)
            return exec_fail(x, GL_ERR_BANK_LINE_MATCHED, item, 0,
                             "set %u: statement line %u is named twice", item, seq);
    bank_stored l;
    int st = store_bank_line_by_seq(x->txn, tenant, account, seq, &l);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_LINE_UNKNOWN, item, 0,
                         "set %u: no statement line %u on %.*s", item, seq, (int)account.len,
                         account.ptr);
    bank_match_ref m;
    if (st == GL_OK && (st = store_bank_seq_match(x->txn, tenant, account, seq, &m)) == GL_OK)
        return exec_fail(x, GL_ERR_BANK_LINE_MATCHED, item, 0,
                         "set %u: statement line %u is already in match %u", item, seq, m.match);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    if (l.line.booking > sums->last)
        sums->last = l.line.booking;
    if (!gl_money_add(&sums->bank_cents, l.line.amount_cents))
        return exec_fail(x, GL_ERR_OVERFLOW, item, 0, "set %u: the sum overflows", item);
    return GL_OK;
}

/* Ledger line r: its entry's date and journal, its signed amount and
 * account.  GL_ERR_NOT_FOUND when the entry or the line does not exist. */
static int book_line(store_txn *t, uint32_t tenant, gl_line_ref r, gl_entry *e, gl_line *l)
{
    store_entry raw;
    int st = ledger_read_entry(t, tenant, r.fy, r.num, e, &raw);
    if (st != GL_OK)
        return st;
    gl_line_iter it;
    gl_line_iter_init(&it, e);
    uint16_t n = 0;
    while (n < r.line && gl_line_next(&it, l))
        n++;
    return n == r.line ? GL_OK : GL_ERR_NOT_FOUND;
}

static int check_ref(gl_exec *x, uint32_t tenant, gl_str account, const gl_bank_match_set *s,
                     uint8_t i, uint32_t item, set_sums *sums)
{
    gl_line_ref r = gl_bank_match_ref(s, i);
    for (uint8_t j = 0; j < i; j++) {
        gl_line_ref o = gl_bank_match_ref(s, j);
        if (o.fy == r.fy && o.num == r.num && o.line == r.line)
            return exec_fail(x, GL_ERR_BANK_BOOK_MATCHED, item, 0,
                             "set %u: ledger line %u/%u:%u is named twice", item, r.fy, r.num,
                             r.line);
    }
    gl_entry e;
    gl_line l;
    int st = book_line(x->txn, tenant, r, &e, &l);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_BOOK_LINE, item, 0, "set %u: no ledger line %u/%u:%u", item,
                         r.fy, r.num, r.line);
    if (st != GL_OK)
        return st;
    if (l.account.len != account.len || memcmp(l.account.ptr, account.ptr, account.len))
        return exec_fail(x, GL_ERR_BANK_BOOK_LINE, item, 0,
                         "set %u: ledger line %u/%u:%u is on account %.*s, not %.*s", item, r.fy,
                         r.num, r.line, (int)l.account.len, l.account.ptr, (int)account.len,
                         account.ptr);
    if (gl_str_eq(e.journal, "AN"))
        return exec_fail(x, GL_ERR_BANK_BOOK_LINE, item, 0,
                         "set %u: ledger line %u/%u:%u is an opening (AN) line", item, r.fy, r.num,
                         r.line);
    bank_match_ref m;
    if ((st = store_bank_book_match(x->txn, tenant, account, r, &m)) == GL_OK)
        return exec_fail(x, GL_ERR_BANK_BOOK_MATCHED, item, 0,
                         "set %u: ledger line %u/%u:%u is already in match %u", item, r.fy, r.num,
                         r.line, m.match);
    if (st != GL_ERR_NOT_FOUND)
        return st;
    if (e.date > sums->last)
        sums->last = e.date;
    if (!gl_money_add(&sums->book_cents, gl_line_signed(&l)))
        return exec_fail(x, GL_ERR_OVERFLOW, item, 0, "set %u: the sum overflows", item);
    return GL_OK;
}

/* Check set `item` (1-based) and record it as match id. */
static int match_set(gl_exec *x, uint32_t tenant, gl_str account, const gl_bank_match_set *s,
                     uint32_t item, uint32_t id)
{
    set_sums sums = {0, 0, 0};
    int st = GL_OK;
    for (uint8_t i = 0; st == GL_OK && i < s->nbank; i++)
        st = check_seq(x, tenant, account, s, i, item, &sums);
    for (uint8_t i = 0; st == GL_OK && i < s->nbook; i++)
        st = check_ref(x, tenant, account, s, i, item, &sums);
    if (st != GL_OK)
        return st;
    if (sums.bank_cents != sums.book_cents) {
        char b[GL_MONEY_TEXT_MAX], l[GL_MONEY_TEXT_MAX];
        return exec_fail(x, GL_ERR_BANK_MATCH_UNBALANCED, item, 0,
                         "set %u: the statement lines sum to %s, the ledger lines to %s", item,
                         gl_money_format(sums.bank_cents, GL_MONEY_PLAIN, b),
                         gl_money_format(sums.book_cents, GL_MONEY_PLAIN, l));
    }
    bank_match_rec m = {GL_BANK_MATCH_ACTIVE, x->envelope, sums.last, *s};
    st = store_bank_match_put(x->txn, tenant, account, id, &m);
    for (uint8_t i = 0; st == GL_OK && i < s->nbank; i++)
        st = store_bank_line_matched(x->txn, tenant, account, gl_bank_match_seq(s, i), 1);
    return st;
}

/* A chain event of type: its head, then the payload the caller puts. */
static void event_begin(gl_exec *x, gl_buf *ev)
{
    gl_event_head head = {x->envelope, 1, x->req->signer, x->req->request_id, x->now_ms};
    gl_buf_init(ev);
    gl_event_head_encode(ev, &head);
}

static int event_end(gl_exec *x, tenant_rec *rec, uint16_t type, gl_buf *ev)
{
    uint64_t seq;
    int st = GL_ERR_INTERNAL;
    if (gl_buf_ok(ev))
        st = chain_append(x->txn, x->req->tenant, rec, type, ev->data, ev->len, &seq);
    gl_buf_free(ev);
    return st;
}

int rules_bank_match(gl_exec *x, const gl_body *rq)
{
    gl_bank_match_q q = rq->bank_match;
    tenant_rec rec;
    uint32_t last;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK || (st = bank_registered(x, rec.number, q.account)) != GL_OK ||
        (st = store_bank_match_last(x->txn, rec.number, q.account, &last)) != GL_OK)
        return st;
    size_t pos = 0;
    gl_bank_match_set s;
    for (uint32_t item = 1; st == GL_OK && gl_bank_match_next(&q, &pos, &s); item++)
        st = match_set(x, rec.number, q.account, &s, item, last + item);
    if (st != GL_OK)
        return st;
    gl_buf ev;
    event_begin(x, &ev);
    gl_bank_match_event_encode(&ev, q.account, last + 1, &q);
    if ((st = event_end(x, &rec, GL_EVENT_BANK_MATCH, &ev)) != GL_OK)
        return st;
    gl_bank_match_reply_encode(x->body, &(gl_bank_match_reply){last + 1, q.count});
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

int rules_bank_unmatch(gl_exec *x, const gl_body *rq)
{
    gl_bank_unmatch_q q = rq->bank_unmatch;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK || (st = bank_registered(x, rec.number, q.account)) != GL_OK)
        return st;
    bank_match_rec m;
    st = store_bank_match_get(x->txn, rec.number, q.account, q.match, &m);
    if (st == GL_ERR_NOT_FOUND || (st == GL_OK && m.state != GL_BANK_MATCH_ACTIVE))
        return exec_fail(x, GL_ERR_BANK_MATCH_UNKNOWN, 0, 0, "%.*s has no active match %u%s",
                         (int)q.account.len, q.account.ptr, q.match,
                         st == GL_OK ? " (it was undone)" : "");
    if (st != GL_OK)
        return st;
    uint32_t seqs[GL_BANK_MATCH_SIDE_MAX];
    uint8_t nbank = m.set.nbank;
    for (uint8_t i = 0; i < nbank; i++)
        seqs[i] = gl_bank_match_seq(&m.set, i); /* before the writes move the record */
    st = store_bank_match_undo(x->txn, rec.number, q.account, q.match);
    for (uint8_t i = 0; st == GL_OK && i < nbank; i++)
        st = store_bank_line_matched(x->txn, rec.number, q.account, seqs[i], 0);
    if (st != GL_OK)
        return st;
    gl_buf ev;
    event_begin(x, &ev);
    gl_put_bytes(&ev, x->req->body, x->req->body_len); /* the body as signed (proto/chain.h) */
    return event_end(x, &rec, GL_EVENT_BANK_UNMATCH, &ev);
}
