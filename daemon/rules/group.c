/*
 * daemon/rules/group.c — the group's writes, by the shared accountant:
 * allocation keys (KEYS_SET), cost recharges (RECHARGE) and membership
 * dues (DUES).
 *
 * A recharge (convention de répartition des frais) splits an amount of the
 * umbrella's costs between the members by a stored version of the keys
 * (gl_shares: floor of each share, the remainder in cents to the largest
 * key, so the shares always sum to the amount), and writes, in this one
 * request's transaction, for each member with a share: the umbrella's
 * invoice (411000 member / 706100) and the member's matching expense (628000
 * / 401000 umbrella), all with the same piece reference.  Dues are the same
 * mechanism with the amounts given (umbrella 411000 / 756100, member 628100 /
 * 401000).  Every entry passes every POST rule (locked period, open
 * accounts...); one refusal refuses everything.  A keys version, once used,
 * never changes.
 *
 * Issue 20: a body may carry the group's own four accounts (PROTOCOL.md
 * §5.23.1); they are then checked open before any entry (611) and each
 * member's pair gets its own piece (the request's, "-", the member's code).
 * A body without them (every one signed before) is written as above.
 * RECHARGE_ADJUST is the year's true-up: per member a signed amount, an
 * invoice pair (> 0) or the same pair with the sides reversed (< 0).
 */
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/store/keys.h"
#include "daemon/store/store.h"
#include "daemon/store/values.h"

#include "proto/accounts.h"
#include "proto/assert.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/money.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

/* The accounts of one request as C strings (issue 20: carried in the body,
 * or the old form's defaults). */
typedef struct pair_accounts {
    char receivable[GL_ACCOUNT_MAX + 1], revenue[GL_ACCOUNT_MAX + 1];
    char expense[GL_ACCOUNT_MAX + 1], payable[GL_ACCOUNT_MAX + 1];
    bool piece_per_member; /* the new form: one piece per member */
} pair_accounts;

static void pair_accounts_of(const gl_group_accounts *carried, uint16_t kind, pair_accounts *out)
{
    gl_group_accounts a = gl_group_accounts_or_default(carried, kind);
    snprintf(out->receivable, sizeof out->receivable, "%.*s", (int)a.receivable.len,
             a.receivable.ptr);
    snprintf(out->revenue, sizeof out->revenue, "%.*s", (int)a.revenue.len, a.revenue.ptr);
    snprintf(out->expense, sizeof out->expense, "%.*s", (int)a.expense.len, a.expense.ptr);
    snprintf(out->payable, sizeof out->payable, "%.*s", (int)a.payable.len, a.payable.ptr);
    out->piece_per_member = carried->carried;
}

/* GL_ERR_GROUP_ACCOUNT_CLOSED unless account is open in tenant's chart. */
static int account_open_in(gl_exec *x, const gl_tenant_cfg *t, const char *account)
{
    tenant_rec rec;
    gl_str id = {t->id, strlen(t->id)}, acc = {account, strlen(account)};
    int st = tenant_load(x->txn, id, &rec);
    if (st == GL_OK) {
        uint8_t k[KEY_ACCOUNTS_LEN];
        store_val v;
        store_account a;
        key_accounts(k, rec.number, acc);
        st = store_get(x->txn, DB_ACCOUNTS, k, sizeof k, &v);
        if (st == GL_OK && (st = store_account_decode(v, &a)) == GL_OK && a.state != 1)
            st = GL_ERR_NOT_FOUND;
    }
    if (st == GL_ERR_NOT_FOUND || st == GL_ERR_UNKNOWN_TENANT)
        return exec_fail(x, GL_ERR_GROUP_ACCOUNT_CLOSED, 0, 0,
                         "account %s is not open in %s's chart: grandlivre accounts open "
                         "--tenant %s %s \"label\"",
                         account, t->id, t->id, account);
    return st;
}

/* The carried accounts are open: the receivable and revenue in the
 * umbrella's chart, the expense and payable in each member's who gets an
 * entry (a body of the old form is left to the POST rules, as before). */
static int accounts_open(gl_exec *x, const pair_accounts *pa, const gl_tenant_cfg *u,
                         const gl_tenant_cfg *m)
{
    if (!pa->piece_per_member)
        return GL_OK;
    int st = GL_OK;
    if (!m && (st = account_open_in(x, u, pa->receivable)) == GL_OK)
        st = account_open_in(x, u, pa->revenue);
    if (m && (st = account_open_in(x, m, pa->expense)) == GL_OK)
        st = account_open_in(x, m, pa->payable);
    return st;
}

static int need_group(gl_exec *x, const gl_tenant_cfg **umbrella)
{
    *umbrella = gl_config_tenant(x->cfg, x->cfg->umbrella, strlen(x->cfg->umbrella));
    if (!x->cfg->umbrella[0] || !*umbrella)
        return exec_fail(x, GL_ERR_NO_GROUP, 0, 0, "%s", gl_status_message(GL_ERR_NO_GROUP));
    return GL_OK;
}

/* A member of the group named t (not the umbrella). */
static int member(gl_exec *x, gl_str t, uint32_t item, const gl_tenant_cfg **out)
{
    *out = gl_config_tenant(x->cfg, t.ptr, t.len);
    if (!*out || gl_str_eq(t, x->cfg->umbrella) || gl_config_is_combination(x->cfg, (*out)->id))
        return exec_fail(x, GL_ERR_NOT_MEMBER, item, 0,
                         "item %u: '%.*s' is not a member of the group", item, (int)t.len, t.ptr);
    return GL_OK;
}

/* Refuse item i when an earlier item names the same tenant. */
static int not_listed_before(gl_exec *x, const gl_group_item *items, uint16_t i)
{
    for (uint16_t j = 0; j < i; j++)
        if (items[j].tenant.len == items[i].tenant.len &&
            !memcmp(items[j].tenant.ptr, items[i].tenant.ptr, items[i].tenant.len))
            return exec_fail(x, GL_ERR_NOT_MEMBER, i + 1u, 0, "item %u: '%.*s' is listed twice",
                             i + 1u, (int)items[i].tenant.len, items[i].tenant.ptr);
    return GL_OK;
}

int rules_keys_set(gl_exec *x, const gl_body *rq)
{
    gl_keys_q q = rq->keys;
    int st;
    const gl_tenant_cfg *u, *m;
    if ((st = need_group(x, &u)) != GL_OK)
        return st;
    int64_t total = 0;
    for (uint16_t i = 0; i < q.count; i++) {
        if ((st = member(x, q.items[i].tenant, i + 1u, &m)) != GL_OK ||
            (st = not_listed_before(x, q.items, i)) != GL_OK)
            return st;
        total += q.items[i].value;
    }
    if (total == 0)
        return exec_fail(x, GL_ERR_AMOUNT_NOT_POSITIVE, 0, 0, "the keys sum to zero");
    uint8_t k[KEY_RECHARGE_KEYS_LEN];
    store_val v;
    store_recharge_keys stored;
    key_recharge_keys(k, q.version);
    st = store_get(x->txn, DB_RECHARGE_KEYS, k, sizeof k, &v);
    if (st == GL_OK && (st = store_recharge_keys_decode(v, &stored)) == GL_OK && stored.used)
        return exec_fail(x, GL_ERR_KEYS_IN_USE, 0, 0, "keys version %u has been used by a recharge",
                         q.version);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    gl_buf body, val;
    gl_buf_init(&body);
    gl_buf_init(&val);
    gl_keys_q_encode(&body, &q);
    store_recharge_keys r = {false, body.data, body.len};
    if (gl_buf_ok(&body))
        store_recharge_keys_encode(&val, &r);
    st = gl_buf_ok(&body) && gl_buf_ok(&val)
             ? store_put(x->txn, DB_RECHARGE_KEYS, k, sizeof k, val.data, val.len)
             : GL_ERR_INTERNAL;
    gl_buf_free(&body);
    gl_buf_free(&val);
    gl_reply_keys_set_encode(x->body, &(gl_reply_keys_set){.version = q.version, .count = q.count});
    return st;
}

/* Load a keys version (value: used u8 | version u16 | count u16 | items). */
static int load_keys(gl_exec *x, uint16_t version, gl_keys_q *keys, gl_buf *copy)
{
    uint8_t k[KEY_RECHARGE_KEYS_LEN];
    store_val v;
    store_recharge_keys stored;
    key_recharge_keys(k, version);
    int st = store_get(x->txn, DB_RECHARGE_KEYS, k, sizeof k, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, GL_ERR_NOT_FOUND, 0, 0, "no allocation keys version %u", version);
    if (st == GL_OK)
        st = store_recharge_keys_decode(v, &stored);
    if (st != GL_OK)
        return st;
    gl_put_bytes(copy, stored.keys, stored.keys_len); /* LMDB pages may move once we write */
    if (!gl_buf_ok(copy))
        return GL_ERR_INTERNAL;
    st = gl_keys_q_decode(copy->data, copy->len, keys);
    GL_ASSERT(st == GL_OK);
    return GL_OK;
}

int rules_entry_write(gl_exec *x, uint32_t item, const gl_entry_in *in)
{
    const char *tenant = in->tenant, *journal = in->journal;
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode(&b, in);
    gl_cur c;
    gl_entry e;
    gl_cur_init(&c, b.data, b.len);
    if (st == GL_OK) {
        /* The request's fields were checked at decode, so the entry always
         * decodes; were it not so (a date or a configured code the entry
         * cannot carry), the request is refused with the decoder's status,
         * never by stopping the daemon. */
        gl_entry_decode(&c, &e);
        st = gl_cur_end(&c);
        if (st != GL_OK)
            exec_fail(x, st, item, 0, "%s: the %s entry cannot be written: %s", tenant, journal,
                      gl_status_message(st));
    } else {
        st = st == GL_ERR_NOMEM ? GL_ERR_INTERNAL : st; /* 9xx never go on the wire */
        exec_fail(x, st, item, 0, "%s: the %s entry cannot be written: %s", tenant, journal,
                  gl_status_message(st));
    }
    if (st == GL_OK) {
        uint16_t fy;
        uint32_t num;
        st = post_entry(x, &e, item, &fy, &num);
        if (st == GL_OK) {
            gl_reply_posted_put_row(x->body,
                                    &(gl_reply_posted_row){{tenant, strlen(tenant)}, fy, num});
        } else if (x->detail[0]) {
            char d[GL_DETAIL_MAX];
            snprintf(d, sizeof d, "%s: %s", tenant, x->detail);
            snprintf(x->detail, sizeof x->detail, "%s", d);
        }
    }
    gl_buf_free(&b);
    return st;
}

/* Write one two-line entry of the group's (every POST rule applies). */
static int group_entry(gl_exec *x, uint32_t item, const char *tenant, const char *journal,
                       const char *piece, const char *label, uint32_t date,
                       const char *debit_account, const char *debit_aux, const char *credit_account,
                       const char *credit_aux, int64_t cents)
{
    gl_line_in lines[2] = {{debit_account, debit_aux, "", "", GL_SIDE_DEBIT, cents},
                           {credit_account, credit_aux, "", "", GL_SIDE_CREDIT, cents}};
    gl_entry_in in = {.tenant = tenant,
                      .journal = journal,
                      .piece_ref = piece,
                      .label = label,
                      .date = date,
                      .piece_date = date,
                      .line_count = 2,
                      .lines = lines};
    return rules_entry_write(x, item, &in);
}

/* Both sides of one member's share: the umbrella's invoice, the member's
 * expense; for a negative amount (a true-up's credit note) the same pairs
 * with the sides reversed.  The new form: the piece carries the member's
 * code (GL_GROUP_PIECE_MEMBER). */
static int member_pair(gl_exec *x, uint32_t *item, const gl_tenant_cfg *u, const gl_tenant_cfg *m,
                       const char *request_piece, const char *what, uint32_t date,
                       const pair_accounts *pa, int64_t cents)
{
    char label[160], piece[GL_PIECE_MAX + 1];
    int st;
    if ((st = accounts_open(x, pa, u, m)) != GL_OK)
        return st;
    if (pa->piece_per_member)
        snprintf(piece, sizeof piece, GL_GROUP_PIECE_MEMBER, request_piece, m->code);
    else
        snprintf(piece, sizeof piece, "%s", request_piece);
    bool credit = cents < 0;
    int64_t a = credit ? -cents : cents; /* decode refuses INT64_MIN */
    snprintf(label, sizeof label, GL_GROUP_LABEL, what, m->code);
    st = credit ? group_entry(x, ++*item, u->id, GL_GROUP_INVOICE_JOURNAL, piece, label, date,
                              pa->revenue, "", pa->receivable, m->code, a)
                : group_entry(x, ++*item, u->id, GL_GROUP_INVOICE_JOURNAL, piece, label, date,
                              pa->receivable, m->code, pa->revenue, "", a);
    if (st != GL_OK)
        return st;
    snprintf(label, sizeof label, GL_GROUP_LABEL, what, u->code);
    return credit ? group_entry(x, ++*item, m->id, GL_GROUP_EXPENSE_JOURNAL, piece, label, date,
                                pa->payable, u->code, pa->expense, "", a)
                  : group_entry(x, ++*item, m->id, GL_GROUP_EXPENSE_JOURNAL, piece, label, date,
                                pa->expense, "", pa->payable, u->code, a);
}

int rules_recharge(gl_exec *x, const gl_body *rq)
{
    gl_recharge_q q = rq->recharge;
    int st;
    const gl_tenant_cfg *u, *m;
    if ((st = need_group(x, &u)) != GL_OK)
        return st;
    gl_keys_q keys;
    gl_buf copy;
    gl_buf_init(&copy);
    if ((st = load_keys(x, q.version, &keys, &copy)) != GL_OK) {
        gl_buf_free(&copy);
        return st;
    }
    int64_t weights[GL_GROUP_MEMBERS_MAX], shares[GL_GROUP_MEMBERS_MAX];
    for (uint16_t i = 0; i < keys.count; i++)
        weights[i] = keys.items[i].value;
    if (!gl_shares(q.amount_cents, weights, keys.count,
                   shares)) { /* KEYS_SET refuses keys summing to 0 */
        gl_buf_free(&copy);
        return exec_fail(x, GL_ERR_INTERNAL, 0, 0, "keys version %u cannot split the amount",
                         q.version);
    }
    /* the period was checked at decode (gl_month_valid): its last day is a date */
    uint32_t date = q.date ? q.date : gl_month_last_day(q.period_ym);
    char piece[32], what[64];
    snprintf(piece, sizeof piece, GL_RECHARGE_PIECE, q.period_ym / 100, q.period_ym % 100,
             q.version);
    snprintf(what, sizeof what, GL_RECHARGE_TEXT, q.period_ym / 100, q.period_ym % 100);
    uint32_t item = 0;
    pair_accounts pa;
    pair_accounts_of(&q.accounts, GL_KIND_RECHARGE, &pa);
    size_t count_at = gl_reply_posted_encode(x->body, &(gl_reply_posted){0});
    st = accounts_open(x, &pa, u, NULL);
    for (uint16_t i = 0; i < keys.count && st == GL_OK; i++) {
        if (shares[i] == 0)
            continue;
        if ((st = member(x, keys.items[i].tenant, i + 1u, &m)) == GL_OK)
            st = member_pair(x, &item, u, m, piece, what, date, &pa, shares[i]);
    }
    if (st == GL_OK) { /* the version is used: it never changes again */
        uint8_t k[KEY_RECHARGE_KEYS_LEN];
        gl_buf val;
        gl_buf_init(&val);
        key_recharge_keys(k, q.version);
        store_recharge_keys r = {true, copy.data, copy.len};
        store_recharge_keys_encode(&val, &r);
        st = gl_buf_ok(&val) ? store_put(x->txn, DB_RECHARGE_KEYS, k, sizeof k, val.data, val.len)
                             : GL_ERR_INTERNAL;
        gl_buf_free(&val);
    }
    gl_buf_free(&copy);
    if (st == GL_OK)
        gl_reply_posted_set_count(x->body, count_at, item);
    return st;
}

/* DUES and RECHARGE_ADJUST: the pairs of the amounts given. */
static int given_pairs(gl_exec *x, const char *piece, const char *what, const char *credit_what,
                       uint32_t date, const gl_group_item *items, uint16_t count,
                       const pair_accounts *pa)
{
    const gl_tenant_cfg *u, *m;
    int st;
    if ((st = need_group(x, &u)) != GL_OK)
        return st;
    uint32_t item = 0;
    size_t count_at = gl_reply_posted_encode(x->body, &(gl_reply_posted){0});
    st = accounts_open(x, pa, u, NULL);
    for (uint16_t i = 0; i < count && st == GL_OK; i++)
        if ((st = member(x, items[i].tenant, i + 1u, &m)) == GL_OK &&
            (st = not_listed_before(x, items, i)) == GL_OK)
            st = member_pair(x, &item, u, m, piece, items[i].value < 0 ? credit_what : what, date,
                             pa, items[i].value);
    if (st == GL_OK)
        gl_reply_posted_set_count(x->body, count_at, item);
    return st;
}

int rules_dues(gl_exec *x, const gl_body *rq)
{
    const gl_dues_q *q = &rq->dues;
    uint32_t date = q->date ? q->date : GL_DUES_DATE_DEFAULT(q->year);
    char piece[32], what[64];
    snprintf(piece, sizeof piece, GL_DUES_PIECE, q->year);
    snprintf(what, sizeof what, GL_DUES_TEXT, q->year);
    pair_accounts pa;
    pair_accounts_of(&q->accounts, GL_KIND_DUES, &pa);
    return given_pairs(x, piece, what, what, date, q->items, q->count, &pa);
}

/* RECHARGE_ADJUST (issue 20): the year's true-up, per member an invoice
 * (> 0) or a credit note (< 0) of the amount, with the accounts carried;
 * all or nothing like a recharge. */
int rules_recharge_adjust(gl_exec *x, const gl_body *rq)
{
    const gl_recharge_adjust_q *q = &rq->recharge_adjust;
    uint32_t date = q->date ? q->date : GL_ADJUST_DATE_DEFAULT(q->year);
    char piece[32], what[64], credit_what[80];
    snprintf(piece, sizeof piece, GL_ADJUST_PIECE, q->year);
    snprintf(what, sizeof what, GL_ADJUST_TEXT, q->year);
    snprintf(credit_what, sizeof credit_what, GL_ADJUST_CREDIT_TEXT, q->year);
    pair_accounts pa;
    pair_accounts_of(&q->accounts, GL_KIND_RECHARGE_ADJUST, &pa);
    return given_pairs(x, piece, what, credit_what, date, q->items, q->count, &pa);
}
