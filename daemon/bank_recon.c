/*
 * daemon/bank_recon.c — BANK_RECON and BANK_MATCHES (bank_recon.h).
 *
 * A line is reconciled at `at` when it belongs to an active match whose
 * lines (both sides) are all dated on or before `at` (the match's last
 * date, kept with each line's index entry: store/bank_match_store.h).
 */
#include "bank_recon.h"

#include "asof.h"
#include "config.h"
#include "entries.h"
#include "periods.h"
#include "store/bank_match_store.h"
#include "store/bank_store.h"
#include "store/keys.h"
#include "store/values.h"

#include "proto/bank_match.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/request.h"
#include "proto/status.h"

#include <string.h>

/* The tenant and its bank account: 470 when the account has none (or the
 * tenant has written nothing yet). */
static int recon_account(gl_exec *x, gl_str account, tenant_rec *rec, bank_state *s)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    int st = tc ? tenant_load(x->txn, x->req->tenant, rec) : GL_ERR_UNKNOWN_TENANT;
    if (st == GL_OK)
        st = store_bank_account_get(x->txn, rec->number, account, s);
    if (st == GL_ERR_NOT_FOUND || (st == GL_ERR_UNKNOWN_TENANT && tc))
        return exec_fail(x, GL_ERR_BANK_NOT_REGISTERED, 0, 0,
                         "account %.*s has no registered bank account", (int)account.len,
                         account.ptr);
    return st == GL_OK ? GL_OK : exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
}

/* The statement the first stored line came with: its first day and its
 * opening balance (from its signed BANK_IMPORT). */
static int first_statement(gl_exec *x, const bank_stored *l, gl_bank_recon_head *h)
{
    uint8_t k[KEY_ENVELOPES_LEN];
    key_envelopes(k, l->envelope);
    store_val v;
    int st = store_get(x->txn, DB_ENVELOPES, k, sizeof k, &v);
    gl_request r;
    gl_bank_import_q q;
    uint32_t bad;
    if (st != GL_OK || gl_request_decode_any(v.ptr, v.len, &r) != GL_OK ||
        r.kind != GL_KIND_BANK_IMPORT ||
        gl_bank_import_decode(r.body, r.body_len, &q, &bad) != GL_OK)
        return st == GL_OK ? GL_ERR_STORAGE : st;
    h->start = q.from && q.from < l->line.booking ? q.from : l->line.booking;
    if (q.flags & GL_BANK_HAS_OPENING) {
        h->flags = 1;
        h->bank_opening_cents = q.opening_cents;
    }
    return GL_OK;
}

/* Is a line of that match index entry reconciled at `at`? */
static int reconciled(int st, const bank_match_ref *m, uint32_t at, bool *yes)
{
    *yes = st == GL_OK && m->last <= at;
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

typedef struct recon_out {
    gl_buf rows;
    uint32_t count;
    bool more;
} recon_out;

static bool room(recon_out *o)
{
    if (o->count < GL_BANK_RECON_MAX)
        return true;
    o->more = true;
    return false;
}

/* The bank side: bank_at, the unreconciled lines, last_statement. */
static int bank_side(gl_exec *x, uint32_t tenant, const gl_bank_recon_q *q, gl_bank_recon_head *h,
                     recon_out *o)
{
    uint8_t start[KEY_BANK_LINES_LEN];
    key_bank_lines(start, tenant, q->account, 0, 0);
    store_scan sc;
    int st = store_scan_begin(&sc, x->txn, DB_BANK_LINES, start, sizeof start,
                              KEY_BANK_ACCOUNT_PREFIX_LEN);
    int64_t sum = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        bank_stored l;
        if ((st = store_bank_line_value(sc.k, sc.v, &l)) != GL_OK)
            break;
        if (!h->start && (st = first_statement(x, &l, h)) != GL_OK)
            break;
        if (l.line.booking > h->last_statement)
            h->last_statement = l.line.booking;
        if (l.line.booking > q->at)
            continue; /* read on for last_statement */
        if (!gl_money_add(&sum, l.line.amount_cents)) {
            st = GL_ERR_OVERFLOW;
            break;
        }
        bank_match_ref m;
        bool done;
        st = reconciled(store_bank_seq_match(x->txn, tenant, q->account, l.seq, &m), &m, q->at,
                        &done);
        if (st == GL_OK && !done && (q->flags & GL_BANK_RECON_LINES) && room(o)) {
            gl_bank_recon_bank_put(&o->rows, l.seq, &l.line);
            o->count++;
        }
    }
    if (st == GL_OK && !gl_money_add(&sum, h->bank_opening_cents))
        st = GL_ERR_OVERFLOW;
    h->bank_at_cents = sum;
    return store_scan_close(&sc, st);
}

typedef struct books_at {
    const uint8_t *account; /* padded */
    int64_t cents;
} books_at;

static int books_one(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    books_at *b = user;
    int c = memcmp(account, b->account, KEY_ACCOUNT_W);
    if (c > 0)
        return ASOF_STOP;
    if (c == 0)
        b->cents = debit - credit; /* both within the year's cap, 2^55 */
    return GL_OK;
}

/* Add the account's balance at the end of fiscal year fy (its kept total:
 * balances, store.h) to *cents. */
static int add_year(gl_exec *x, uint32_t tenant, uint16_t fy, gl_str account, int64_t *cents)
{
    uint8_t k[KEY_BALANCES_LEN];
    key_balances(k, tenant, fy, account);
    store_val v;
    store_pair p;
    int st = store_get(x->txn, DB_BALANCES, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return GL_OK;
    if (st == GL_OK)
        st = store_pair_decode(v, &p);
    if (st == GL_OK && !gl_money_add(cents, p.debit - p.credit)) /* each within 2^55 */
        st = GL_ERR_OVERFLOW;
    return st;
}

/* Add the balances of the years before fy the books will carry into it:
 * from fy - 1 down, each year not closed (no à-nouveaux of it yet in the
 * next), to the first closed year or the tenant's first. */
static int add_open_years(gl_exec *x, uint32_t tenant, uint16_t fy, gl_str account, int64_t *cents)
{
    int st = GL_OK;
    for (uint16_t y = (uint16_t)(fy - 1); st == GL_OK && y > 0; y--) {
        bool earlier;
        year_state ys;
        if ((st = periods_has_entries_before(x->txn, tenant, y + 1, &earlier)) != GL_OK || !earlier)
            break;
        if ((st = periods_year(x->txn, tenant, y, &ys)) != GL_OK || ys.closed)
            break;
        st = add_year(x, tenant, y, account, cents);
    }
    return st;
}

/* The ledger account's balance at the end of day at as the books will
 * carry it: BALANCE's for at's fiscal year, plus the years before it not
 * yet closed (PROTOCOL §5.44). */
static int books_balance(gl_exec *x, uint32_t tenant, const gl_bank_recon_q *q, int64_t *out)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    uint16_t fy = gl_fiscal_year(q->at, tc->first_month);
    uint8_t padded[KEY_ACCOUNT_W];
    key_pad(padded, q->account, KEY_ACCOUNT_W);
    books_at b = {padded, 0};
    int st = asof_accounts(x->txn, tenant, fy, q->at, books_one, &b);
    if (st == GL_OK)
        st = add_open_years(x, tenant, fy, q->account, &b.cents);
    *out = b.cents;
    return st;
}

/* One ledger line as a book row, unless it is an à-nouveaux line. */
typedef struct entry_cache {
    uint16_t fy;
    uint32_t num;
    gl_entry e;
} entry_cache;

static int book_row(gl_exec *x, uint32_t tenant, entry_cache *ec, const key_parts *kp,
                    int64_t amount, recon_out *o)
{
    int st = GL_OK;
    if (ec->fy != kp->fy || ec->num != kp->num) {
        store_entry raw;
        if ((st = ledger_read_entry(x->txn, tenant, kp->fy, kp->num, &ec->e, &raw)) != GL_OK)
            return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
        ec->fy = kp->fy;
        ec->num = kp->num;
    }
    if (gl_str_eq(ec->e.journal, "AN") || !room(o))
        return GL_OK;
    gl_line_iter it;
    gl_line l = {0};
    gl_line_iter_init(&it, &ec->e);
    for (uint16_t n = 0; n < kp->line && gl_line_next(&it, &l); n++)
        ;
    gl_bank_book_row r = {
        {kp->fy, kp->num, kp->line},        kp->date, amount, ec->e.journal, ec->e.piece_ref,
        l.label.len ? l.label : ec->e.label};
    gl_bank_book_row_put(&o->rows, &r);
    o->count++;
    return GL_OK;
}

/* The books side: the ledger account's lines from start to at not
 * reconciled at at, à-nouveaux lines excepted. */
static int book_side(gl_exec *x, uint32_t tenant, const gl_bank_recon_q *q, uint32_t start_date,
                     recon_out *o)
{
    uint8_t start[KEY_BY_ACCOUNT_LEN];
    key_by_account(start, tenant, q->account, start_date, 0, 0, 0);
    store_scan sc;
    int st = store_scan_begin(&sc, x->txn, DB_BY_ACCOUNT, start, sizeof start,
                              KEY_BY_ACCOUNT_PREFIX_LEN);
    entry_cache ec = {0};
    while (st == GL_OK && store_scan_next(&sc)) {
        key_parts kp;
        store_line sl;
        if (!key_by_account_parse(sc.k, &kp) || store_line_decode(sc.v, &sl) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        if (kp.date > q->at)
            break;
        bank_match_ref m;
        bool done;
        gl_line_ref r = {kp.fy, kp.num, kp.line};
        st = reconciled(store_bank_book_match(x->txn, tenant, q->account, r, &m), &m, q->at, &done);
        if (st == GL_OK && !done)
            st = book_row(x, tenant, &ec, &kp, sl.amount, o);
    }
    return store_scan_close(&sc, st);
}

static int recon_reply(gl_exec *x, const gl_bank_recon_head *h, recon_out *bank, recon_out *book)
{
    gl_bank_recon_head_put(x->body, h);
    gl_put_u32(x->body, bank->count);
    gl_put_bytes(x->body, bank->rows.data, bank->rows.len);
    gl_put_u32(x->body, book->count);
    gl_put_bytes(x->body, book->rows.data, book->rows.len);
    gl_put_u8(x->body, bank->more || book->more);
    bool ok = gl_buf_ok(&bank->rows) && gl_buf_ok(&book->rows) && gl_buf_ok(x->body);
    return ok ? GL_OK : GL_ERR_INTERNAL;
}

int query_bank_recon(gl_exec *x, const gl_body *rq)
{
    gl_bank_recon_q q = rq->bank_recon;
    tenant_rec rec;
    bank_state s;
    int st = recon_account(x, q.account, &rec, &s);
    if (st != GL_OK)
        return st;
    gl_bank_recon_head h = {0};
    recon_out bank = {.count = 0}, book = {.count = 0};
    gl_buf_init(&bank.rows);
    gl_buf_init(&book.rows);
    st = bank_side(x, rec.number, &q, &h, &bank);
    if (st == GL_OK && s.has_closing && s.closing_date > h.last_statement)
        h.last_statement = s.closing_date;
    if (st == GL_OK)
        st = books_balance(x, rec.number, &q, &h.books_at_cents);
    if (st == GL_OK && (q.flags & GL_BANK_RECON_LINES))
        st = book_side(x, rec.number, &q, h.start, &book);
    if (st == GL_OK)
        st = recon_reply(x, &h, &bank, &book);
    gl_buf_free(&bank.rows);
    gl_buf_free(&book.rows);
    if (st == GL_ERR_OVERFLOW)
        return exec_fail(x, st, 0, 0, "the bank's balance exceeds the 64-bit cent range");
    return st;
}

/* One BANK_MATCHES row from a stored match. */
static void match_row(gl_buf *b, uint32_t id, const bank_match_rec *m)
{
    gl_put_u32(b, id);
    gl_put_u8(b, m->state);
    gl_put_u64(b, m->envelope);
    gl_put_u8(b, m->set.nbank);
    gl_put_bytes(b, m->set.seqs, (size_t)m->set.nbank * 4);
    gl_put_u8(b, m->set.nbook);
    gl_put_bytes(b, m->set.refs, (size_t)m->set.nbook * 8);
}

int query_bank_matches(gl_exec *x, const gl_body *rq)
{
    gl_bank_matches_q q = rq->bank_matches;
    tenant_rec rec;
    bank_state s;
    int st = recon_account(x, q.account, &rec, &s);
    if (st != GL_OK)
        return st;
    if (q.after == UINT32_MAX) { /* nothing after the last id there can be */
        gl_put_u32(x->body, 0);
        gl_put_u8(x->body, 0);
        return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    }
    uint8_t start[KEY_BANK_MATCH_LEN];
    key_bank_match(start, rec.number, q.account, q.after + 1);
    store_scan sc;
    recon_out page = {.count = 0};
    gl_buf_init(&page.rows);
    st = store_scan_begin(&sc, x->txn, DB_BANK_INDEX, start, sizeof start,
                          KEY_BANK_MATCH_PREFIX_LEN);
    while (st == GL_OK && !page.more && store_scan_next(&sc)) {
        uint32_t id;
        bank_match_rec m;
        if ((st = store_bank_match_value(sc.k, sc.v, &id, &m)) == GL_OK &&
            !(page.more = page.count == q.limit)) {
            match_row(&page.rows, id, &m);
            page.count++;
        }
    }
    if ((st = store_scan_close(&sc, st)) == GL_OK) {
        gl_put_u32(x->body, page.count);
        gl_put_u8(x->body, page.more);
        gl_put_bytes(x->body, page.rows.data, page.rows.len);
        st = gl_buf_ok(&page.rows) && gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    }
    gl_buf_free(&page.rows);
    return st;
}
