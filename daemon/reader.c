/*
 * daemon/reader.c — the read-only queries of one tenant or of the daemon,
 * run on the reader thread (workers.c's reader_main, dispatched by
 * job_run_query in job.c), each in its own read-only LMDB transaction (a
 * snapshot that never waits for the writer): PING (who the key is, the
 * ledger id), ACCOUNTS_LIST, BALANCE (as of a date from the kept month and
 * day totals, asof.c, never scanning entries), JOURNAL and LEDGER pages,
 * ENTRY_GET, PERIODS (the lock, the fiscal years, the overdue months),
 * CHAIN pages, ENVELOPE, KEYRING and TENANTS.  The group's reads across
 * tenants are in group_reader.c; entries are read back with
 * ledger_read_entry (entries.c).
 *
 * Pages are consistent across calls without holding a snapshot open: the
 * first page records a watermark (the last envelope number) and every later
 * page skips what was written after it.  Every page is bounded in rows
 * (limit), in rows scanned (SCAN_MAX) and in bytes (PAGE_BYTES_MAX).
 */
#include "handlers.h"
#include "ledger.h"
#include "asof.h"
#include "calendar.h"
#include "carried.h"
#include "entries.h"
#include "periods.h"
#include "store/keyring_store.h"
#include "store/keys.h"
#include "store/values.h"

#include "proto/assert.h"
#include "proto/carry.h"
#include "proto/version.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/find.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <string.h>

#define SCAN_MAX 200000
#define PAGE_BYTES_MAX (4u * 1024u * 1024u)
#define GL_VERSION_TEXT "grandlivred " GL_RELEASE

_Static_assert(GL_ROLE_MEMBER == 1 && GL_ROLE_ACCOUNTANT == 2 && GL_ROLE_AUDITOR == 3,
               "PING's role codes are KEYRING's");

/* Who the key is here, and the ledger id to sign everything else with. */
int query_ping(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    const gl_key_cfg *key = x->key;
    const uint8_t *ledger_id = x->ledger_id;
    bool member = key->role == GL_ROLE_MEMBER;
    gl_reply_ping r = {
        .version = {GL_VERSION_TEXT, strlen(GL_VERSION_TEXT)},
        .now_ms = x->now_ms,
        .ledger_id = ledger_id,
        .role = (uint8_t)key->role,
        .tenant = {key->tenant, member ? strlen(key->tenant) : 0},
        .key_name = {key->name, strlen(key->name)},
    };
    gl_reply_ping_encode(x->body, &r);
    return GL_OK;
}

static int load_tenant(gl_exec *x, tenant_rec *rec, const gl_tenant_cfg **tc)
{
    *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    int st = *tc ? tenant_load(x->txn, x->req->tenant, rec) : GL_ERR_UNKNOWN_TENANT;
    if (st != GL_OK)
        return exec_fail(x, st, 0, 0, "%s", gl_status_message(st));
    return GL_OK;
}

int query_accounts(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    int st = load_tenant(x, &rec, &tc);
    if (st != GL_OK)
        return st;
    uint8_t prefix[KEY_TENANT_PREFIX_LEN];
    key_tenant(prefix, rec.number);
    store_scan s;
    if ((st = store_scan_begin(&s, x->txn, DB_ACCOUNTS, prefix, sizeof prefix, sizeof prefix)) !=
        GL_OK)
        return store_scan_close(&s, st);
    size_t count_at = gl_reply_accounts_list_begin(x->body);
    uint32_t count = 0;
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_account a;
        if (!key_accounts_parse(s.k, &kp) || store_account_decode(s.v, &a) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        gl_reply_accounts_list_row row = {key_unpad(kp.account, KEY_ACCOUNT_W), a.label, a.state};
        gl_reply_accounts_list_put_row(x->body, &row);
        count++;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK)
        return st;
    gl_reply_accounts_list_end(x->body, count_at, count);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* One row of a trial balance under construction. */
struct bal_row {
    uint8_t account[KEY_ACCOUNT_W];
    uint8_t aux[KEY_AUX_W];
    int64_t debit, credit;
    bool used;
};

/* The name an auxiliary account was first given ("" if none). */
static gl_str aux_name(store_txn *t, uint32_t tenant, gl_str aux)
{
    uint8_t k[KEY_AUX_LABELS_LEN];
    store_val v;
    gl_str label;
    if (!aux.len)
        return (gl_str){"", 0};
    key_aux_labels(k, tenant, aux);
    if (store_get(t, DB_AUX_LABELS, k, sizeof k, &v) != GL_OK ||
        store_aux_label_decode(v, &label) != GL_OK)
        return (gl_str){"", 0};
    return label;
}

/* named: the request's GL_BALANCE_AUX_LABELS, rows end with the aux's name. */
static int emit_row(gl_exec *x, uint32_t tenant, struct bal_row *r, uint32_t *count, bool named)
{
    if (!r->used)
        return GL_OK;
    gl_str account = key_unpad(r->account, KEY_ACCOUNT_W);
    gl_str aux = key_unpad(r->aux, KEY_AUX_W);
    gl_str label = account_label(x->txn, tenant, account);
    gl_reply_balance_row row = {account, aux, label, r->debit, r->credit, {"", 0}};
    if (named) {
        row.aux_label = aux_name(x->txn, tenant, aux);
        gl_reply_balance_put_row_named(x->body, &row);
    } else {
        gl_reply_balance_put_row(x->body, &row);
    }
    (*count)++;
    r->used = false;
    return GL_OK;
}

static int accumulate(struct bal_row *r, const uint8_t *account, const uint8_t *aux, store_val val)
{
    store_pair p;
    if (store_pair_decode(val, &p) != GL_OK)
        return GL_ERR_STORAGE;
    if (!r->used) {
        memcpy(r->account, account, KEY_ACCOUNT_W);
        memset(r->aux, 0, KEY_AUX_W);
        if (aux)
            memcpy(r->aux, aux, KEY_AUX_W);
        r->debit = r->credit = 0;
        r->used = true;
    }
    if (!gl_money_add(&r->debit, p.debit) || !gl_money_add(&r->credit, p.credit))
        return GL_ERR_OVERFLOW;
    return GL_OK;
}

static bool same_group(const struct bal_row *r, const uint8_t *account, const uint8_t *aux)
{
    return r->used && !memcmp(r->account, account, KEY_ACCOUNT_W) &&
           (!aux || !memcmp(r->aux, aux, KEY_AUX_W));
}

/* Full-year totals from the balances database. */
static int balance_from_totals(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t *count,
                               bool named)
{
    uint8_t prefix[KEY_TENANT_FY_PREFIX_LEN];
    key_tenant_fy(prefix, tenant, fy);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_BALANCES, prefix, sizeof prefix, sizeof prefix);
    struct bal_row row = {0};
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        bool parsed = key_balances_parse(s.k, &kp);
        GL_ASSERT(parsed && s.v.len == STORE_PAIR_LEN);
        if ((st = accumulate(&row, kp.account, NULL, s.v)) != GL_OK)
            break;
        emit_row(x, tenant, &row, count, named);
    }
    return store_scan_close(&s, st);
}

struct asof_emit {
    gl_exec *x;
    uint32_t tenant;
    uint32_t *count;
    bool named;
};

static int emit_account(void *user, const uint8_t *account, int64_t debit, int64_t credit)
{
    struct asof_emit *e = user;
    struct bal_row row = {.debit = debit, .credit = credit, .used = true};
    memcpy(row.account, account, KEY_ACCOUNT_W);
    return emit_row(e->x, e->tenant, &row, e->count, e->named);
}

/* Totals per auxiliary account up to a date from the daily deltas (per
 * account, asof_accounts is used instead: it reads no day rows but those of
 * the date's month). */
static int balance_from_daily(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t at, bool per_aux,
                              uint32_t *count, bool named)
{
    uint8_t prefix[KEY_TENANT_FY_PREFIX_LEN];
    key_tenant_fy(prefix, tenant, fy);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_DAILY, prefix, sizeof prefix, sizeof prefix);
    struct bal_row row = {0};
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        bool parsed = key_daily_parse(s.k, &kp);
        GL_ASSERT(parsed && s.v.len == STORE_PAIR_LEN);
        const uint8_t *account = kp.account, *aux = kp.aux;
        uint32_t date = kp.date;
        if (date > at)
            continue;
        if (row.used && !same_group(&row, account, per_aux ? aux : NULL))
            emit_row(x, tenant, &row, count, named);
        if ((st = accumulate(&row, account, per_aux ? aux : NULL, s.v)) != GL_OK)
            break;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK)
        return st;
    emit_row(x, tenant, &row, count, named);
    return GL_OK;
}

int query_balance(gl_exec *x, const gl_body *rq)
{
    gl_balance_q q = rq->balance;
    int st;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    if ((st = load_tenant(x, &rec, &tc)) != GL_OK)
        return st;
    uint16_t fy = gl_fiscal_year(q.at, tc->first_month);
    uint32_t from = gl_fiscal_year_start(fy, tc->first_month);
    uint32_t end = gl_fiscal_year_end(fy, tc->first_month);
    bool per_aux = q.flags & GL_BALANCE_AUX;
    bool after_closing = q.flags & GL_BALANCE_AFTER_CLOSING;
    bool named = q.flags & GL_BALANCE_AUX_LABELS;
    year_state ys;
    if ((st = periods_year(x->txn, rec.number, fy, &ys)) != GL_OK)
        return st;
    /* The result-closing entry's deltas sit after every real day: included
     * only when asked for (what the annual accounts print excludes it). */
    uint32_t upto = after_closing && q.at >= end ? GL_CLOSING_DAY : q.at;
    bool totals_fit = !per_aux && q.at >= end && (after_closing || !ys.closed);
    gl_reply_balance head = {.fy = fy, .from = from, .at = q.at};
    size_t count_at = gl_reply_balance_begin(x->body, &head);
    uint32_t count = 0;
    struct asof_emit em = {x, rec.number, &count, named};
    if (totals_fit)
        st = balance_from_totals(x, rec.number, fy, &count, named);
    else if (!per_aux)
        st = asof_accounts(x->txn, rec.number, fy, upto, emit_account, &em);
    else
        st = balance_from_daily(x, rec.number, fy, upto, true, &count, named);
    if (st == GL_ERR_OVERFLOW)
        return exec_fail(x, st, 0, 0, "a total exceeds the 64-bit cent range");
    if (st != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_reply_balance_end(x->body, count_at, count);
    return GL_OK;
}

/* The letter code of a line ("" if unlettered) and its date. */
static gl_str line_letter_dated(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t num,
                                uint16_t line, uint32_t *date)
{
    uint8_t k[KEY_LETTERED_LEN];
    store_val v;
    store_lettered l;
    key_lettered(k, tenant, fy, num, line);
    *date = 0;
    if (store_get(x->txn, DB_LETTERED, k, sizeof k, &v) != GL_OK ||
        store_lettered_decode(v, &l) != GL_OK)
        return (gl_str){"", 0};
    *date = l.date;
    return l.code;
}

static gl_str line_letter(gl_exec *x, uint32_t tenant, uint16_t fy, uint32_t num, uint16_t line)
{
    uint32_t date;
    return line_letter_dated(x, tenant, fy, num, line, &date);
}

/* For each line of an entry: its letter code str8 and letter date u32. */
static void put_line_letters(gl_exec *x, gl_buf *rows, uint32_t tenant, uint16_t fy, uint32_t num,
                             uint16_t line_count)
{
    for (uint16_t line = 1; line <= line_count; line++) {
        uint32_t date;
        gl_str code = line_letter_dated(x, tenant, fy, num, line, &date);
        gl_reply_letter l = {code, date};
        gl_reply_letter_put(rows, &l, true);
    }
}

int query_journal(gl_exec *x, const gl_body *rq)
{
    gl_journal_q q = rq->journal;
    int st;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    if ((st = load_tenant(x, &rec, &tc)) != GL_OK)
        return st;
    uint64_t watermark = page_watermark(x, q.watermark);
    uint16_t fy_from = gl_fiscal_year(q.from, tc->first_month);
    uint16_t fy_to = gl_fiscal_year(q.to, tc->first_month);
    uint8_t start[KEY_ENTRIES_LEN];
    if (q.after_fy)
        key_entries(start, rec.number, q.after_fy, q.after_num + 1);
    else
        key_entries(start, rec.number, fy_from, 0);

    gl_buf rows;
    gl_buf_init(&rows);
    uint32_t count = 0, scanned = 0;
    uint16_t next_fy = 0;
    uint32_t next_num = 0;
    bool more = false;
    store_scan s;
    st = store_scan_begin(&s, x->txn, DB_ENTRIES, start, sizeof start, KEY_TENANT_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_entry se;
        bool parsed = key_entries_parse(s.k, &kp) && store_entry_decode(s.v, &se) == GL_OK;
        GL_ASSERT(parsed);
        uint16_t fy = kp.fy;
        if (fy > fy_to)
            break;
        if (count == q.limit || scanned == SCAN_MAX || rows.len > PAGE_BYTES_MAX) {
            more = true;
            break;
        }
        scanned++;
        next_fy = fy;
        next_num = kp.num;
        if (se.envelope > watermark)
            continue;
        int layout = se.layout;
        const uint8_t *entry = se.entry;
        size_t entry_len = se.entry_len;
        uint32_t date = store_entry_date(&se);
        if (date < q.from || date > q.to)
            continue;
        /* Every entry goes out in layout 2: one written before protocol
         * version 2 (layout 1) with empty extension areas. */
        gl_reply_journal_row row = {
            .fy = fy, .num = next_num, .recorded_ms = se.recorded_ms, .signer = se.signer};
        bool filtered = q.flags & GL_JOURNAL_FILTER;
        if (layout == GL_LAYOUT_2 && !(q.flags & GL_JOURNAL_LETTERS) &&
            !filtered) { /* as stored: no decoding */
            row.entry = (gl_entry){.layout = GL_LAYOUT_2, .raw = entry, .raw_len = entry_len};
        } else {
            gl_cur ec;
            gl_cur_init_stored(&ec, entry, entry_len);
            gl_entry_decode_layout(&ec, &row.entry, layout);
            int decoded = gl_cur_end(&ec);
            GL_ASSERT(decoded == GL_OK);
        }
        /* A filter skips the entry before it counts into the page: the
         * cursor above has moved past it all the same. */
        if (filtered && !gl_find_entry(&q.filter, &row.entry))
            continue;
        if (gl_reply_journal_put_row(&rows, &row) != GL_OK) {
            st = GL_ERR_INTERNAL;
            break;
        }
        if (q.flags & GL_JOURNAL_LETTERS)
            put_line_letters(x, &rows, rec.number, fy, next_num, row.entry.line_count);
        count++;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK) {
        gl_buf_free(&rows);
        return st;
    }
    gl_reply_journal r = {.watermark = watermark,
                          .more = more,
                          .next_fy = next_fy,
                          .next_num = next_num,
                          .count = count,
                          .rows = gl_reply_view(rows.data, rows.len)};
    gl_reply_journal_encode(x->body, &r);
    st = gl_buf_ok(&rows) && gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    gl_buf_free(&rows);
    return st;
}

/* Opening balance of account in fiscal year fy before date `from`: of
 * its lines of auxiliary account aux only when aux is not NULL. */
static int ledger_opening(gl_exec *x, uint32_t tenant, uint16_t fy, gl_str account, uint32_t from,
                          const gl_str *aux, int64_t *opening)
{
    uint8_t start[KEY_DAILY_LEN];
    key_daily(start, tenant, fy, account, (gl_str){"", 0}, 0);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_DAILY, start, KEY_YEAR_ACCOUNT_PREFIX_LEN,
                              KEY_YEAR_ACCOUNT_PREFIX_LEN);
    *opening = 0;
    key_parts kp;
    store_pair p;
    while (st == GL_OK && store_scan_next_daily(&s, &kp, &p, &st)) {
        if (kp.date >= from)
            continue;
        if (aux) {
            gl_str line_aux = key_unpad(kp.aux, KEY_AUX_W);
            if (line_aux.len != aux->len || memcmp(line_aux.ptr, aux->ptr, aux->len))
                continue;
        }
        if (!gl_money_add(opening, p.debit) || !gl_money_sub(opening, p.credit)) {
            st = GL_ERR_OVERFLOW;
            break;
        }
    }
    return store_scan_close(&s, st);
}

/* Whether a line lettered on letter_date (0: not lettered) is still open
 * at `at`: lettered after it, or not at all. */
static bool open_at(uint32_t letter_date, gl_str code, uint32_t at)
{
    return code.len == 0 || letter_date > at;
}

/* Append one ledger row: the line `line` of entry (fy, num), if it
 * matches the request's filter (*added says whether it did). */
static int ledger_row(gl_exec *x, gl_buf *rows, uint32_t tenant, uint16_t fy, uint32_t num,
                      uint16_t line, uint32_t date, int64_t amount, gl_str code,
                      const gl_filter *filter, bool *added)
{
    store_entry v;
    gl_entry e;
    int st = ledger_read_entry(x->txn, tenant, fy, num, &e, &v);
    if (st != GL_OK)
        return st == GL_ERR_NOT_FOUND ? GL_ERR_STORAGE : st;
    gl_line_iter it;
    gl_line l = {0};
    gl_line_iter_init(&it, &e);
    for (uint16_t i = 0; i < line; i++) {
        bool more = gl_line_next(&it, &l);
        GL_ASSERT(more);
    }
    /* OPEN_AT leaves out the à-nouveaux' balances: the items they carry
     * forward summarised are listed through their own lines, of earlier
     * years; a detailed carry's lines (open_item) are the items themselves. */
    *added = false;
    gl_open_item o;
    if (filter->fields && (!gl_find_line(filter, &e, &l) ||
                           ((filter->fields & GL_FILTER_OPEN_AT) && (e.flags & GL_ENTRY_OPENING) &&
                            !gl_line_open_item(l.ext, l.ext_len, &o))))
        return GL_OK;
    *added = true;
    gl_str label = l.label.len ? l.label : e.label;
    gl_reply_ledger_row row = {date,        fy,    num,   line,   e.journal,
                               e.piece_ref, label, l.aux, amount, code};
    gl_reply_ledger_put_row(rows, &row);
    return GL_OK;
}

/* An open line settled by its year's close (carried.h): with OPEN_ITEMS
 * (at = 0) once the close has run, with OPEN_AT from the à-nouveaux' date
 * on (before it, the line was the item). */
static int settled_by_close(gl_exec *x, carried_set *c, uint32_t tenant, gl_str account,
                            const key_parts *kp, uint32_t at, bool *settled)
{
    uint32_t since;
    int st = carried_line(x, c, tenant, account, kp->fy, kp->num, kp->line, settled, &since);
    *settled = *settled && (!at || at >= since);
    return st;
}

int query_ledger(gl_exec *x, const gl_body *rq)
{
    gl_ledger_q q = rq->ledger;
    int st;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    if ((st = load_tenant(x, &rec, &tc)) != GL_OK)
        return st;
    if (!gl_account_valid(q.account))
        return exec_fail(x, GL_ERR_BAD_ACCOUNT, 0, 0, "%s", gl_status_message(GL_ERR_BAD_ACCOUNT));
    uint8_t ak[KEY_ACCOUNTS_LEN];
    store_val av;
    key_accounts(ak, rec.number, q.account);
    if ((st = store_get(x->txn, DB_ACCOUNTS, ak, sizeof ak, &av)) != GL_OK)
        return st == GL_ERR_NOT_FOUND
                   ? exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0, "account %.*s is not open",
                               (int)q.account.len, q.account.ptr)
                   : st;
    bool open_items = q.flags & GL_LEDGER_OPEN_ITEMS;
    uint64_t watermark = page_watermark(x, q.watermark);
    int64_t opening = 0;
    const gl_filter *f = &q.filter;
    /* With a filter, the opening is the auxiliary account's when that is
     * the only field, else 0 (no kept total answers a text or an amount). */
    bool aux_only = f->fields == GL_FILTER_AUX;
    if (!q.after_date && !open_items && (!f->fields || aux_only)) {
        st = ledger_opening(x, rec.number, gl_fiscal_year(q.from, tc->first_month), q.account,
                            q.from, aux_only ? &f->aux : NULL, &opening);
        if (st != GL_OK)
            return st == GL_ERR_OVERFLOW ? exec_fail(x, st, 0, 0, "opening balance overflows") : st;
    }
    uint8_t start[KEY_BY_ACCOUNT_LEN];
    if (q.after_date)
        key_by_account(start, rec.number, q.account, q.after_date, q.after_fy, q.after_num,
                       (uint16_t)(q.after_line + 1));
    else
        key_by_account(start, rec.number, q.account, q.from, 0, 0, 0);

    gl_buf rows;
    gl_buf_init(&rows);
    uint32_t count = 0, scanned = 0, next_date = 0, next_num = 0;
    uint16_t next_fy = 0, next_line = 0;
    bool more = false;
    carried_set carried = {0};
    store_scan s;
    st =
        store_scan_begin(&s, x->txn, DB_BY_ACCOUNT, start, sizeof start, KEY_BY_ACCOUNT_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        key_parts kp;
        store_line line;
        if (!key_by_account_parse(s.k, &kp) || store_line_decode(s.v, &line) != GL_OK) {
            st = GL_ERR_STORAGE;
            break;
        }
        uint32_t date = kp.date;
        if (date > q.to)
            break;
        if (count == q.limit || scanned == SCAN_MAX || rows.len > PAGE_BYTES_MAX) {
            more = true;
            break;
        }
        scanned++;
        next_date = date;
        next_fy = kp.fy;
        next_num = kp.num;
        next_line = kp.line;
        if (line.envelope > watermark)
            continue;
        uint32_t letter_date;
        gl_str code = line_letter_dated(x, rec.number, next_fy, next_num, next_line, &letter_date);
        if (open_items && code.len)
            continue;
        if ((f->fields & GL_FILTER_OPEN_AT) &&
            (date > f->open_at || !open_at(letter_date, code, f->open_at)))
            continue;
        bool settled = false;
        if ((open_items || (f->fields & GL_FILTER_OPEN_AT)) &&
            (st = settled_by_close(x, &carried, rec.number, q.account, &kp,
                                   open_items ? 0 : f->open_at, &settled)) != GL_OK)
            break;
        if (settled)
            continue;
        bool added;
        if ((st = ledger_row(x, &rows, rec.number, next_fy, next_num, next_line, date, line.amount,
                             code, f, &added)) != GL_OK)
            break;
        count += added;
    }
    carried_free(&carried);
    if ((st = store_scan_close(&s, st)) != GL_OK) {
        gl_buf_free(&rows);
        return st;
    }
    gl_reply_ledger r = {watermark, more,     next_date,
                         next_fy,   next_num, next_line,
                         opening,   count,    gl_reply_view(rows.data, rows.len)};
    gl_reply_ledger_encode(x->body, &r);
    st = gl_buf_ok(&rows) && gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
    gl_buf_free(&rows);
    return st;
}

int query_entry(gl_exec *x, const gl_body *rq)
{
    gl_entry_ref q = rq->entry_ref;
    int st;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    if ((st = load_tenant(x, &rec, &tc)) != GL_OK)
        return st;
    gl_entry e;
    store_entry v;
    st = ledger_read_entry(x->txn, rec.number, q.fy, q.num, &e, &v);
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, st, 0, 0, "no entry %u/%u", q.fy, q.num);
    if (st != GL_OK)
        return st;
    uint8_t k[KEY_REVERSED_LEN];
    store_val rv;
    store_reversed by = {0, 0};
    key_reversed(k, rec.number, q.fy, q.num);
    if (store_get(x->txn, DB_REVERSED, k, sizeof k, &rv) == GL_OK &&
        store_reversed_decode(rv, &by) != GL_OK)
        return GL_ERR_STORAGE;
    gl_reply_entry_get r = {.fy = q.fy,
                            .num = q.num,
                            .recorded_ms = v.recorded_ms,
                            .signer = v.signer,
                            .reversed_by_fy = by.fy,
                            .reversed_by_num = by.num,
                            .entry = e,
                            .code_count = e.line_count};
    if (gl_reply_entry_get_begin(x->body, &r) != GL_OK)
        return GL_ERR_INTERNAL;
    for (uint16_t i = 1; i <= e.line_count; i++) {
        gl_reply_letter code = {line_letter(x, rec.number, q.fy, q.num, i), 0};
        gl_reply_letter_put(x->body, &code, false);
    }
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* The tenant's identity and lock, then every fiscal year that holds at
 * least one entry, in order, with its state. */
int query_periods(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    int st = load_tenant(x, &rec, &tc);
    if (st != GL_OK)
        return st;
    uint32_t locked;
    if ((st = periods_locked_through(x->txn, rec.number, &locked)) != GL_OK)
        return st;
    gl_reply_periods r = {.name = {tc->name, strlen(tc->name)},
                          .siren = {tc->siren, strlen(tc->siren)},
                          .first_month = (uint8_t)tc->first_month,
                          .code = {tc->code, strlen(tc->code)},
                          .locked_through = locked,
                          .has_overdue = true};
    size_t count_at = gl_reply_periods_begin(x->body, &r);
    uint16_t count = 0, first_fy = 0;
    store_cursor *c;
    store_val k, v;
    if ((st = store_cursor_open(x->txn, DB_ENTRIES, &c)) != GL_OK)
        return st;
    uint8_t seek[KEY_ENTRIES_LEN];
    key_entries(seek, rec.number, 1, 0);
    key_parts kp;
    while ((st = store_seek(c, seek, sizeof seek, &k, &v)) == GL_OK && key_entries_parse(k, &kp) &&
           kp.tenant == rec.number) {
        uint16_t fy = kp.fy;
        uint8_t hi[KEY_ENTRIES_LEN];
        key_entries(hi, rec.number, (uint16_t)(fy + 1), 0);
        store_val lk, lv;
        key_parts last;
        if ((st = store_seek_before(c, hi, sizeof hi, &lk, &lv)) != GL_OK)
            break;
        if (!key_entries_parse(lk, &last)) {
            st = GL_ERR_STORAGE;
            break;
        }
        year_state ys;
        if ((st = periods_year(x->txn, rec.number, fy, &ys)) != GL_OK)
            break;
        gl_reply_periods_row row = {fy,
                                    gl_fiscal_year_start(fy, tc->first_month),
                                    gl_fiscal_year_end(fy, tc->first_month),
                                    last.num,
                                    ys.closed,
                                    ys.result_num,
                                    ys.opening_fy,
                                    ys.opening_num,
                                    ys.result_cents};
        gl_reply_periods_put_row(x->body, &row);
        if (!count)
            first_fy = fy;
        count++;
        memcpy(seek, hi, sizeof seek);
    }
    store_cursor_close(c);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    /* Appended after the rows (older clients stop before): the months
     * unlocked past their closing deadline, from the first unlocked month
     * of the books (the first fiscal year holding entries) through the
     * last month whose deadline has passed; 0, 0 if none. */
    uint32_t from = locked     ? periods_next_month(locked)
                    : first_fy ? gl_fiscal_year_start(first_fy, tc->first_month) / 100
                               : 0;
    uint32_t due = calendar_last_due_month(x->now_ms);
    bool overdue = from && from <= due;
    r.count = count;
    r.overdue_from = overdue ? from : 0;
    r.overdue_through = overdue ? due : 0;
    gl_reply_periods_end(x->body, count_at, &r);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* The tenant's chain events after a sequence number, each with its stored
 * record: seq u64 | record_len u32 | record; preceded by the chain head. */
int query_chain(gl_exec *x, const gl_body *rq)
{
    gl_chain_q q = rq->chain;
    int st;
    tenant_rec rec;
    const gl_tenant_cfg *tc;
    if ((st = load_tenant(x, &rec, &tc)) != GL_OK)
        return st;
    gl_reply_chain head = {.chain_seq = rec.chain_seq, .head_hash = rec.head};
    size_t count_at = gl_reply_chain_begin(x->body, &head);
    uint16_t count = 0;
    uint8_t start[KEY_EVENTS_LEN];
    key_events(start, rec.number, q.after_seq + 1);
    store_scan s;
    st = store_scan_begin(&s, x->txn, DB_EVENTS, start, sizeof start, KEY_TENANT_PREFIX_LEN);
    while (st == GL_OK && store_scan_next(&s)) {
        if (count == q.limit || x->body->len > PAGE_BYTES_MAX)
            break;
        key_parts kp;
        if (!key_events_parse(s.k, &kp)) {
            st = GL_ERR_STORAGE;
            break;
        }
        gl_reply_chain_row row = {kp.seq, s.v.ptr, (uint32_t)s.v.len};
        gl_reply_chain_put_row(x->body, &row);
        count++;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_reply_chain_end(x->body, count_at, count);
    return GL_OK;
}

/* A signed request as received (for offline verification).  The
 * accountant and auditors may fetch any; a member only those it signed (a
 * request may touch several tenants, so its tenant alone does not say). */
int query_envelope(gl_exec *x, const gl_body *rq)
{
    const uint8_t *requester = x->req->signer;
    bool all_tenants = x->key->role != GL_ROLE_MEMBER;
    uint64_t n = rq->envelope;
    int st;
    uint8_t k[KEY_ENVELOPES_LEN];
    store_val v;
    key_envelopes(k, n);
    st = store_get(x->txn, DB_ENVELOPES, k, sizeof k, &v);
    if (st != GL_OK && st != GL_ERR_NOT_FOUND)
        return st;
    /* A member sees only its own requests, and one that does not exist looks
     * like one another key signed (the same status and detail, without the
     * number): otherwise it would learn how many envelopes exist. */
    gl_request r;
    if (!all_tenants &&
        (st == GL_ERR_NOT_FOUND || gl_request_decode_any(v.ptr, v.len, &r) != GL_OK ||
         memcmp(r.signer, requester, 32)))
        return exec_fail(x, GL_ERR_NOT_FOUND, 0, 0,
                         "no envelope of that number signed by this key");
    if (st == GL_ERR_NOT_FOUND)
        return exec_fail(x, st, 0, 0, "no envelope %llu", (unsigned long long)n);
    gl_reply_envelope reply = {gl_reply_view(v.ptr, v.len)};
    gl_reply_envelope_encode(x->body, &reply);
    return gl_buf_ok(x->body) ? GL_OK : GL_ERR_INTERNAL;
}

/* The keyring's history, as stored: count u32 | (signer[32] | since_ms u64 |
 * record_len u16 | record)* (record format in store/store.h). */
int query_keyring(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    uint32_t count = 0;
    size_t count_at = gl_reply_keyring_encode(x->body, &(gl_reply_keyring){0});
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_KEYRING, "", 0, 0);
    while (st == GL_OK && store_scan_next(&s)) {
        gl_reply_keyring_row row = {.record = {(const char *)s.v.ptr, s.v.len}};
        if (!keyring_key_parse(s.k.ptr, s.k.len, &row.public_key, &row.since_ms) ||
            s.v.len > UINT16_MAX || x->body->len > PAGE_BYTES_MAX) {
            st = GL_ERR_STORAGE;
            break;
        }
        gl_reply_keyring_put_row(x->body, &row);
        count++;
    }
    if ((st = store_scan_close(&s, st)) != GL_OK)
        return st;
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_reply_keyring_set_count(x->body, count_at, count);
    return GL_OK;
}

/* The tenants this key may read: count u16 | (id str8 | name str8 |
 * siren str8 | first_month u8 | code str8)*; the group's umbrella str8 and
 * its combination ledger str8 last ("" without). */
int query_tenants(gl_exec *x, const gl_body *rq)
{
    (void)rq;
    const gl_key_cfg *key = x->key;
    gl_reply_tenants r = {.umbrella = {x->cfg->umbrella, strlen(x->cfg->umbrella)},
                          .combination = {x->cfg->combination, strlen(x->cfg->combination)}};
    size_t count_at = gl_reply_tenants_encode(x->body, &r);
    for (size_t i = 0; i < x->cfg->tenant_count; i++) {
        const gl_tenant_cfg *t = &x->cfg->tenants[i];
        if (key->role == GL_ROLE_MEMBER && strcmp(key->tenant, t->id))
            continue;
        gl_reply_tenants_row row = {{t->id, strlen(t->id)},
                                    {t->name, strlen(t->name)},
                                    {t->siren, strlen(t->siren)},
                                    (uint8_t)t->first_month,
                                    {t->code, strlen(t->code)}};
        gl_reply_tenants_put_row(x->body, &row);
        r.count++;
    }
    gl_reply_tenants_end(x->body, &r);
    if (!gl_buf_ok(x->body))
        return GL_ERR_INTERNAL;
    gl_reply_tenants_set_count(x->body, count_at, r.count);
    return GL_OK;
}
