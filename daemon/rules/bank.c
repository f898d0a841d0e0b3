/*
 * daemon/rules/bank.c — bank accounts and statement lines (issue 18,
 * PROTOCOL.md §5.36-§5.39).
 *
 * BANK_ACCOUNT_SET registers (or replaces) the bank account of an open
 * class 51 account: its IBAN (MOD 97-10), BIC and label; each change is a
 * BANK_ACCOUNT event (13) holding the signed record, so the chain keeps the
 * history; the same record again writes nothing.
 *
 * BANK_IMPORT stores a statement's lines under the registered bank
 * account, never twice (bank_dedup.h): a line with a bank reference
 * already stored for that bank account is skipped, and one recognised as
 * a line of its day, amount and label stored without a reference (a CSV
 * export then the CAMT.053 of its days); a line without one is the n-th
 * identical (booking date, amount, label) line of its day in the
 * request, skipped when n such lines were already stored by earlier
 * imports.  Each line
 * stored gets the next id (bank account, seq).  One BANK_STATEMENT event
 * (14) per request names the lines stored by their place in the request,
 * so the offline verifier re-derives them from the signed request and the
 * earlier events.  An opening balance that differs from the previous
 * statement's closing is imported and reported (the reply's gap), never
 * silently.
 */
#include "daemon/config.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/rules/bank_dedup.h"
#include "daemon/store/bank_store.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/bank.h"
#include "proto/chain.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static bool str_same(gl_str a, gl_str b)
{
    return a.len == b.len && (a.len == 0 || !memcmp(a.ptr, b.ptr, a.len));
}

int bank_account_open(gl_exec *x, uint32_t tenant, gl_str account, bool *open)
{
    uint8_t key[KEY_ACCOUNTS_LEN];
    key_accounts(key, tenant, account);
    store_val v;
    store_account a;
    int st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v);
    *open = st == GL_OK && store_account_decode(v, &a) == GL_OK && a.state == 1;
    return st == GL_ERR_NOT_FOUND ? GL_OK : st;
}

/* The ledger account is an open account (its class checked before). */
static int check_open(gl_exec *x, uint32_t tenant, gl_str account)
{
    bool open;
    int st = bank_account_open(x, tenant, account, &open);
    if (st != GL_OK || open)
        return st;
    return exec_fail(x, GL_ERR_BANK_ACCOUNT_CLASS, 0, 0,
                     "account %.*s is not open: open it first (grandlivre accounts open)",
                     (int)account.len, account.ptr);
}

/* One bank account, one ledger account: an IBAN registered on another
 * ledger account of the tenant is refused (473), or every statement of
 * it imported into both would count its lines twice. */
static int check_iban_free(gl_exec *x, uint32_t tenant, const gl_bank_account *r)
{
    uint8_t prefix[KEY_TENANT_PREFIX_LEN];
    key_tenant(prefix, tenant);
    store_scan sc;
    int st = store_scan_begin(&sc, x->txn, DB_BANK_ACCOUNTS, prefix, sizeof prefix, sizeof prefix);
    bool taken = false;
    char other[GL_ACCOUNT_MAX + 1] = "";
    while (st == GL_OK && !taken && store_scan_next(&sc)) {
        bank_state s;
        if ((st = store_bank_account_value(sc.v, &s)) != GL_OK)
            break;
        taken = str_same(s.acct.iban, r->iban) && !str_same(s.acct.account, r->account);
        if (taken)
            snprintf(other, sizeof other, "%.*s", (int)s.acct.account.len, s.acct.account.ptr);
    }
    if ((st = store_scan_close(&sc, st)) != GL_OK)
        return st;
    if (taken)
        return exec_fail(x, GL_ERR_BANK_IBAN_TAKEN, 0, 0,
                         "%.*s is already the bank account of %s: one bank account, one ledger "
                         "account",
                         (int)r->iban.len, r->iban.ptr, other);
    return GL_OK;
}

/* An event of the request (item): its head into ev (initialised here),
 * then event_append once the payload follows it. */
static void event_head_item(gl_exec *x, gl_buf *ev, uint32_t item)
{
    gl_buf_init(ev);
    gl_event_head head = {x->envelope, item, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(ev, &head);
}

static void event_head(gl_exec *x, gl_buf *ev) { event_head_item(x, ev, 1); }

static int event_append(gl_exec *x, tenant_rec *rec, uint16_t type, gl_buf *ev)
{
    uint64_t seq;
    int st = gl_buf_ok(ev)
                 ? chain_append(x->txn, x->req->tenant, rec, type, ev->data, ev->len, &seq)
                 : GL_ERR_INTERNAL;
    gl_buf_free(ev);
    return st;
}

int event_signed_body_item(gl_exec *x, tenant_rec *rec, uint16_t type, uint32_t item)
{
    gl_buf ev;
    event_head_item(x, &ev, item);
    gl_put_bytes(&ev, x->req->body, x->req->body_len);
    return event_append(x, rec, type, &ev);
}

int bank_event_signed_body(gl_exec *x, tenant_rec *rec, uint16_t type)
{
    return event_signed_body_item(x, rec, type, 1);
}

int rules_bank_account_set(gl_exec *x, const gl_body *rq)
{
    gl_bank_account r = rq->bank_account;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    const char *field;
    if (!gl_bank_account_check(&r, &field)) {
        if (!strcmp(field, "account"))
            return exec_fail(x, GL_ERR_BANK_ACCOUNT_CLASS, 0, 0,
                             "account %.*s is not a class 51 account (512000 and the like)",
                             (int)r.account.len, r.account.ptr);
        gl_str bad = !strcmp(field, "iban") ? r.iban : r.bic;
        return exec_fail(x, GL_ERR_BAD_BANK_ID, 0, 0, "%s %.*s is out of its rule%s", field,
                         (int)bad.len, bad.ptr,
                         !strcmp(field, "iban") ? " (checksum MOD 97, upper case, no space)" : "");
    }
    if ((st = check_open(x, rec.number, r.account)) != GL_OK ||
        (st = check_iban_free(x, rec.number, &r)) != GL_OK)
        return st;
    bank_state s = {0};
    st = store_bank_account_get(x->txn, rec.number, r.account, &s);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    bool same = st == GL_OK && str_same(s.acct.iban, r.iban) && str_same(s.acct.bic, r.bic) &&
                str_same(s.acct.label, r.label);
    uint32_t changed = 0;
    if (!same) {
        s.acct = r; /* the state (lines, closing) is kept: the account is the same */
        if ((st = store_bank_account_put(x->txn, rec.number, &s)) != GL_OK ||
            (st = bank_event_signed_body(x, &rec, GL_EVENT_BANK_ACCOUNT)) != GL_OK)
            return st;
        changed = 1;
    }
    gl_put_u32(x->body, changed);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

static int check_statement(gl_exec *x, const gl_bank_import_q *q, const bank_state *s)
{
    if (q->currency.len && !gl_str_eq(q->currency, "EUR"))
        return exec_fail(x, GL_ERR_BANK_CURRENCY, 0, 0, "the statement is in %.*s, not in EUR",
                         (int)q->currency.len, q->currency.ptr);
    /* a CSV export names no account: the ledger account named is taken */
    if (q->account_id.len && !gl_bank_account_id_matches(q->account_id, s->acct.iban))
        return exec_fail(x, GL_ERR_BANK_OTHER_ACCOUNT, 0, 0,
                         "the statement is of account %.*s; %.*s is registered as %.*s",
                         (int)q->account_id.len, q->account_id.ptr, (int)q->account.len,
                         q->account.ptr, (int)s->acct.iban.len, s->acct.iban.ptr);
    return GL_OK;
}

/* The gap between this statement's opening and the previous closing, and
 * the closing kept for the next one (the latest statement's). */
static void balances(const gl_bank_import_q *q, uint32_t last_booking, bank_state *s,
                     gl_bank_import_reply *r)
{
    if ((q->flags & GL_BANK_HAS_OPENING) && s->has_closing &&
        (!q->from || q->from >= s->closing_date) && q->opening_cents != s->closing_cents) {
        r->gap = 1;
        r->gap_cents = q->opening_cents - s->closing_cents; /* both within 2^56 */
        r->prev_closing_date = s->closing_date;
        r->prev_closing_cents = s->closing_cents;
    }
    uint32_t to = q->to ? q->to : last_booking;
    if ((q->flags & GL_BANK_HAS_CLOSING) && (!s->has_closing || to >= s->closing_date)) {
        s->has_closing = 1;
        s->closing_cents = q->closing_cents;
        s->closing_date = to;
    }
}

static int statement_event(gl_exec *x, tenant_rec *rec, gl_str account, uint32_t first_seq,
                           const uint16_t *index, uint16_t count)
{
    gl_buf ev;
    event_head(x, &ev);
    gl_bank_statement_event_encode(&ev, account, first_seq, index, count);
    return event_append(x, rec, GL_EVENT_BANK_STATEMENT, &ev);
}

/* What import_lines saw besides the reply: the last booking day, the
 * lines recognised by their reference (bank_dedup.h). */
typedef struct import_tally {
    uint32_t last_booking, recognised;
} import_tally;

/* Each line of q stored unless bank_dedup says it is already there. */
static int import_lines(gl_exec *x, uint32_t tenant, const gl_bank_import_q *q, bank_state *s,
                        uint16_t *index, gl_bank_import_reply *r, import_tally *tally)
{
    bank_dedup *d = bank_dedup_new(q->count, tenant, q->account, q->format);
    if (!d)
        return GL_ERR_INTERNAL;
    size_t pos = 0;
    gl_bank_line_w l;
    int st = GL_OK;
    for (uint16_t i = 1; st == GL_OK && gl_bank_import_next(q, &pos, &l); i++) {
        if (l.booking > tally->last_booking)
            tally->last_booking = l.booking;
        bool dup;
        if ((st = bank_dedup_line(d, x->txn, &l, &dup)) != GL_OK || dup) {
            r->already += dup;
            continue;
        }
        bank_stored b = {.seq = ++s->lines, .line = l, .envelope = x->envelope, .item = i};
        if ((st = store_bank_line_put(x->txn, tenant, q->account, &b)) != GL_OK)
            continue;
        if (!r->added)
            r->first_seq = b.seq;
        index[r->added++] = i;
    }
    tally->recognised = bank_dedup_recognised(d);
    bank_dedup_free(d);
    return st;
}

/* A bank account record's strings, copied out of LMDB's value (valid
 * only until the transaction writes: store.h). */
typedef struct bank_account_copy {
    char account[GL_ACCOUNT_MAX + 1], iban[GL_BANK_IBAN_MAX + 1], bic[GL_BANK_BIC_MAX + 1],
        label[GL_BANK_NAME_MAX + 1];
} bank_account_copy;

static gl_str keep_str(gl_str from, char *to, size_t cap)
{
    size_t n = from.len < cap ? from.len : cap - 1;
    memcpy(to, from.ptr, n);
    to[n] = '\0';
    return (gl_str){to, n};
}

static void keep_account(gl_bank_account *a, bank_account_copy *k)
{
    a->account = keep_str(a->account, k->account, sizeof k->account);
    a->iban = keep_str(a->iban, k->iban, sizeof k->iban);
    a->bic = keep_str(a->bic, k->bic, sizeof k->bic);
    a->label = keep_str(a->label, k->label, sizeof k->label);
}

int rules_bank_import(gl_exec *x, const gl_body *rq)
{
    gl_bank_import_q q = rq->bank_import;
    tenant_rec rec;
    int st = exec_tenant_load(x, &rec);
    if (st != GL_OK)
        return st;
    bank_state s;
    st = store_bank_account_get(x->txn, rec.number, q.account, &s);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_NOT_REGISTERED, 0, 0,
                         "account %.*s has no registered bank account (grandlivre bank account "
                         "set)",
                         (int)q.account.len, q.account.ptr);
    if (st != GL_OK || (st = check_statement(x, &q, &s)) != GL_OK)
        return st;
    bank_account_copy kept;
    keep_account(&s.acct, &kept); /* its strings point into a value the writes below may move */
    uint16_t *index = malloc(sizeof *index * q.count);
    if (!index)
        return GL_ERR_INTERNAL;
    gl_bank_import_reply r = {0};
    import_tally tally = {0, 0};
    st = import_lines(x, rec.number, &q, &s, index, &r, &tally);
    if (st == GL_OK) {
        balances(&q, tally.last_booking, &s, &r);
        st = store_bank_account_put(x->txn, rec.number, &s);
    }
    if (st == GL_OK)
        st = statement_event(x, &rec, q.account, r.first_seq, index, (uint16_t)r.added);
    free(index);
    if (st != GL_OK)
        return st;
    if (r.gap) {
        char a[11], m[GL_MONEY_TEXT_MAX];
        exec_warn(x, "the opening balance differs from the previous closing balance (%s) by %s",
                  gl_date_format(r.prev_closing_date, a),
                  gl_money_format(r.gap_cents, GL_MONEY_PLAIN, m));
    }
    if (tally.recognised)
        exec_warn(x,
                  "%u line(s) recognised as already imported from a file without bank references "
                  "(same day, amount and label): not stored twice",
                  tally.recognised);
    gl_bank_import_reply_encode(x->body, &r);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* The reads' tenant: GL_ERR_NOT_FOUND when it is configured but nothing
 * was written for it yet (an empty answer). */
/* The bank account of account is registered in tenant: GL_OK, 470 (the
 * request fails) or the store's status.  BANK_MATCH, BANK_UNMATCH,
 * BANK_RULE_SET and the reads share it. */
int bank_registered(gl_exec *x, uint32_t tenant, gl_str account)
{
    bank_state s;
    int st = store_bank_account_get(x->txn, tenant, account, &s);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_NOT_REGISTERED, 0, 0,
                         "account %.*s has no registered bank account (grandlivre bank account "
                         "set)",
                         (int)account.len, account.ptr);
    return st;
}

int bank_read_tenant(gl_exec *x, tenant_rec *rec)
{
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    int st = tc ? tenant_load(x->txn, x->req->tenant, rec) : GL_ERR_UNKNOWN_TENANT;
    if (st == GL_ERR_UNKNOWN_TENANT && tc)
        return GL_ERR_NOT_FOUND;
    return st == GL_OK ? GL_OK : exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
}

/* The end of a read: the scan closed, the row count written at count_at
 * in the reply. */
static int page_end(gl_exec *x, store_scan *sc, int st, size_t count_at, uint32_t count)
{
    if ((st = store_scan_close(sc, st)) != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_be32(x->body->data + count_at, count);
    return GL_OK;
}

int query_bank_lines(gl_exec *x, const gl_body *rq)
{
    gl_bank_lines_q q = rq->bank_lines;
    tenant_rec rec;
    int st = bank_read_tenant(x, &rec);
    bank_state s;
    if (st == GL_OK)
        st = store_bank_account_get(x->txn, rec.number, q.account, &s);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_BANK_NOT_REGISTERED, 0, 0,
                         "account %.*s has no registered bank account", (int)q.account.len,
                         q.account.ptr);
    if (st != GL_OK)
        return st;
    bool paged = q.after_date || q.after_seq;
    uint32_t from = paged && q.after_date > q.from ? q.after_date : q.from;
    uint8_t start[KEY_BANK_LINES_LEN];
    key_bank_lines(start, rec.number, q.account, from,
                   paged && from == q.after_date ? q.after_seq + 1 : 0);
    store_scan sc;
    st = store_scan_begin(&sc, x->txn, DB_BANK_LINES, start, sizeof start,
                          KEY_BANK_ACCOUNT_PREFIX_LEN);
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    gl_put_u8(x->body, 0);
    uint32_t count = 0;
    bool more = false;
    while (st == GL_OK && store_scan_next(&sc)) {
        bank_stored l;
        if ((st = store_bank_line_value(sc.k, sc.v, &l)) != GL_OK)
            break;
        if (q.to && l.line.booking > q.to)
            break;
        if (count == GL_BANK_PAGE_MAX) {
            more = true;
            break;
        }
        gl_bank_row row = {l.seq, l.line, l.matched, l.envelope};
        gl_bank_row_encode(x->body, &row);
        count++;
    }
    if ((st = page_end(x, &sc, st, count_at, count)) == GL_OK)
        x->body->data[count_at + 4] = more;
    return st;
}

int query_bank_accounts(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    tenant_rec rec;
    int st = bank_read_tenant(x, &rec);
    size_t count_at = x->body->len;
    gl_put_u32(x->body, 0);
    if (st == GL_ERR_NOT_FOUND)
        return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    if (st != GL_OK)
        return st;
    uint8_t prefix[KEY_TENANT_PREFIX_LEN];
    key_tenant(prefix, rec.number);
    store_scan sc;
    st = store_scan_begin(&sc, x->txn, DB_BANK_ACCOUNTS, prefix, sizeof prefix, sizeof prefix);
    uint32_t count = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        bank_state s;
        if ((st = store_bank_account_value(sc.v, &s)) != GL_OK)
            break;
        gl_bank_account_row row = {s.acct, s.lines, s.has_closing, s.closing_cents, s.closing_date};
        gl_bank_account_row_encode(x->body, &row);
        count++;
    }
    return page_end(x, &sc, st, count_at, count);
}
