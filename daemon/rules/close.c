/*
 * daemon/rules/close.c — CLOSE_YEAR: the accountant closes a tenant's
 * fiscal year, all or nothing.
 *
 * Refused unless the year is open, every period of it is locked, and the
 * previous year is closed (a tenant's first year in the ledger is exempt).
 * Then, from the year's balances per account and auxiliary account:
 *  1. the détermination du résultat: one entry (journal CL, dated the last
 *     day, numbered last in the year, flagged GL_ENTRY_RESULT_CLOSING) that
 *     zeroes every class 6 and 7 account into 120000 (surplus) or 129000
 *     (deficit);
 *  2. the à-nouveaux: one entry (journal AN, dated the first day of the next
 *     year, flagged GL_ENTRY_OPENING) carrying every class 1-5 balance per
 *     account and per auxiliary account; class 8 is not carried forward (its
 *     accounts must balance among themselves);
 *  3. the year is marked closed (never reopened), as an event in the chain,
 *     and its totals leave the tenant's open books (year_totals fy 0): the
 *     caps of proto/limits.h bound both entries, so a close never makes
 *     the open books larger.
 * The two entries are the daemon's own (exempt from period locks), signed
 * for by the accountant's close request, and in the chain like any other.
 */
#include "daemon/entries.h"
#include "daemon/handlers.h"
#include "daemon/ledger.h"
#include "daemon/periods.h"
#include "daemon/rules/carry.h"
#include "daemon/store/carry_store.h"
#include "daemon/store/keys.h"
#include "daemon/store/values.h"

#include "proto/accounts.h"
#include "proto/carry.h"
#include "proto/assert.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One (account, aux) balance of the year. */
typedef struct close_row {
    char account[GL_ACCOUNT_MAX + 1];
    char aux[GL_AUX_MAX + 1];
    char aux_label[GL_LABEL_MAX + 1];
    int64_t net; /* debit - credit */
} close_row;

typedef struct close_rows {
    close_row *rows;
    size_t count, cap;
} close_rows;

static int rows_push(close_rows *r, const uint8_t *account, const uint8_t *aux, int64_t net)
{
    if (r->count == r->cap) {
        size_t cap = r->cap ? r->cap * 2 : 256;
        close_row *n = realloc(r->rows, cap * sizeof *n);
        if (!n)
            return GL_ERR_INTERNAL;
        r->rows = n;
        r->cap = cap;
    }
    close_row *row = &r->rows[r->count++];
    gl_str a = key_unpad(account, KEY_ACCOUNT_W), x = key_unpad(aux, KEY_AUX_W);
    memcpy(row->account, a.ptr, a.len);
    row->account[a.len] = '\0';
    memcpy(row->aux, x.ptr, x.len);
    row->aux[x.len] = '\0';
    row->aux_label[0] = '\0';
    row->net = net;
    return GL_OK;
}

/* The label an auxiliary account was given ("" if none). */
static void aux_label(gl_exec *x, uint32_t tenant, close_row *r)
{
    uint8_t k[KEY_AUX_LABELS_LEN];
    store_val v;
    gl_str label;
    if (!r->aux[0])
        return;
    key_aux_labels(k, tenant, (gl_str){r->aux, strlen(r->aux)});
    if (store_get(x->txn, DB_AUX_LABELS, k, sizeof k, &v) == GL_OK &&
        store_aux_label_decode(v, &label) == GL_OK) {
        memcpy(r->aux_label, label.ptr, label.len);
        r->aux_label[label.len] = '\0';
    }
}

/* Every (account, aux) net balance of the year, including everything
 * already written in this transaction (with keep_zero, the zero ones too:
 * a detailed account's open items may sum to zero). */
static int year_rows(gl_exec *x, uint32_t tenant, uint16_t fy, bool keep_zero, close_rows *out)
{
    uint8_t prefix[KEY_TENANT_FY_PREFIX_LEN];
    key_tenant_fy(prefix, tenant, fy);
    store_scan s;
    int st = store_scan_begin(&s, x->txn, DB_DAILY, prefix, sizeof prefix, sizeof prefix);
    const uint8_t *cur_acc = NULL, *cur_aux = NULL;
    int64_t net = 0;
    key_parts kp;
    store_pair p;
    while (st == GL_OK && store_scan_next_daily(&s, &kp, &p, &st)) {
        const uint8_t *acc = kp.account, *aux = kp.aux;
        if (cur_acc && (memcmp(cur_acc, acc, KEY_ACCOUNT_W) || memcmp(cur_aux, aux, KEY_AUX_W))) {
            if ((net || keep_zero) && (st = rows_push(out, cur_acc, cur_aux, net)) != GL_OK)
                break;
            net = 0;
        }
        cur_acc = acc;
        cur_aux = aux;
        if (!gl_money_add(&net, p.debit) || !gl_money_sub(&net, p.credit)) {
            st = GL_ERR_OVERFLOW;
            break;
        }
    }
    if (st == GL_OK && s.st == GL_ERR_NOT_FOUND && cur_acc && (net || keep_zero)) /* the last */
        st = rows_push(out, cur_acc, cur_aux, net);
    st = store_scan_close(&s, st);
    return st == GL_ERR_OVERFLOW ? exec_fail(x, st, 0, 0, "a balance of the year overflows") : st;
}

static uint8_t opposite(uint8_t side)
{
    return side == GL_SIDE_DEBIT ? GL_SIDE_CREDIT : GL_SIDE_DEBIT;
}

/* Build, check and write one daemon entry from its lines. */
static int write_daemon_entry(gl_exec *x, tenant_rec *rec, const gl_tenant_cfg *tc, gl_entry_in *in,
                              uint32_t item, uint16_t *fy_out, uint32_t *num_out)
{
    gl_buf b;
    gl_buf_init(&b);
    int st = gl_entry_encode(&b, in);
    if (st != GL_OK) {
        gl_buf_free(&b);
        return exec_fail(x, st, 0, 0, "the closing entry cannot be encoded (%s)",
                         gl_status_name(st));
    }
    gl_cur c;
    gl_entry e;
    gl_cur_init_stored(&c, b.data, b.len); /* its aux labels are stored text (gl_cur_init_stored) */
    gl_entry_decode(&c, &e);
    GL_ASSERT(gl_cur_end(&c) == GL_OK);
    uint32_t bad_line;
    const char *field;
    GL_ASSERT(gl_entry_fields_check(&e, &field) ==
              GL_OK); /* its piece and label are the daemon's */
    st = gl_entry_check(&e, &bad_line);
    if (st == GL_OK) {
        for (size_t i = 0; i < in->line_count && st == GL_OK; i++) {
            uint8_t key[KEY_ACCOUNTS_LEN];
            store_val v;
            key_accounts(key, rec->number,
                         (gl_str){in->lines[i].account, strlen(in->lines[i].account)});
            if ((st = store_get(x->txn, DB_ACCOUNTS, key, sizeof key, &v)) == GL_ERR_NOT_FOUND)
                st = exec_fail(x, GL_ERR_UNKNOWN_ACCOUNT, 0, 0,
                               "account %s must be open to close the year", in->lines[i].account);
        }
    } else {
        st =
            exec_fail(x, st, 0, 0, "the closing entry would be invalid: %s", gl_status_message(st));
    }
    *fy_out = gl_fiscal_year(in->date, tc->first_month);
    if (st == GL_OK)
        st = ledger_write_entry(x, &e, x->req->tenant, rec, *fy_out, item, num_out);
    gl_buf_free(&b);
    return st;
}

/* The year's rows (year_rows) and room for an entry of one line per row
 * and one more (the result entry's own line); *lines is freed by the caller. */
static int year_rows_with_lines(gl_exec *x, uint32_t tenant, uint16_t fy, close_rows *rows,
                                gl_line_in **lines)
{
    int st = year_rows(x, tenant, fy, false, rows);
    *lines = calloc(rows->count + 1, sizeof **lines);
    if (st == GL_OK && !*lines)
        st = GL_ERR_INTERNAL;
    return st;
}

static bool in_classes(const char *account, char lo, char hi)
{
    return account[0] >= lo && account[0] <= hi;
}

/* 1. The result entry. *result_cents: produits - charges. */
static int write_result_entry(gl_exec *x, tenant_rec *rec, const gl_tenant_cfg *tc, uint16_t fy,
                              uint32_t *num, int64_t *result_cents)
{
    close_rows rows = {0};
    gl_line_in *lines;
    int st = year_rows_with_lines(x, rec->number, fy, &rows, &lines);
    size_t n = 0;
    int64_t net_67 = 0;
    for (size_t i = 0; st == GL_OK && i < rows.count; i++) {
        close_row *r = &rows.rows[i];
        if (!in_classes(r->account, '6', '7'))
            continue;
        if (r->net == INT64_MIN || !gl_money_add(&net_67, r->net)) {
            st = exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "the year's result overflows");
            break;
        }
        lines[n++] = (gl_line_in){r->account,
                                  r->aux,
                                  "",
                                  "",
                                  opposite(r->net > 0 ? GL_SIDE_DEBIT : GL_SIDE_CREDIT),
                                  r->net > 0 ? r->net : -r->net};
    }
    *result_cents = net_67 == INT64_MIN ? 0 : -net_67;
    *num = 0;
    if (st == GL_OK && n + 1 > GL_CLOSE_LINES_MAX)
        st = exec_fail(x, GL_ERR_COUNT_LIMIT, 0, 0, "more than %d class 6-7 balances",
                       GL_CLOSE_LINES_MAX - 1);
    if (st == GL_OK && net_67 == INT64_MIN)
        st = exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "the year's result overflows");
    if (st == GL_OK && n > 0) {
        if (*result_cents > 0)
            lines[n++] =
                (gl_line_in){GL_ACCOUNT_RESULT_SURPLUS, "", "", "", GL_SIDE_CREDIT, *result_cents};
        else if (*result_cents < 0)
            lines[n++] =
                (gl_line_in){GL_ACCOUNT_RESULT_DEFICIT, "", "", "", GL_SIDE_DEBIT, -*result_cents};
        char piece[32], label[64];
        snprintf(piece, sizeof piece, GL_CLOSE_RESULT_PIECE, fy);
        snprintf(label, sizeof label, GL_CLOSE_RESULT_LABEL, fy);
        gl_entry_in in = {.tenant = "",
                          .journal = GL_CLOSE_RESULT_JOURNAL,
                          .piece_ref = piece,
                          .label = label,
                          .date = gl_fiscal_year_end(fy, tc->first_month),
                          .flags = GL_ENTRY_RESULT_CLOSING,
                          .line_count = n,
                          .lines = lines};
        char tenant[GL_TENANT_MAX + 1];
        str_copy(tenant, sizeof tenant, x->req->tenant);
        in.tenant = tenant;
        in.piece_date = in.date;
        uint16_t fy_written;
        st = write_daemon_entry(x, rec, tc, &in, 1, &fy_written, num);
        GL_ASSERT(st != GL_OK || fy_written == fy);
    }
    free(lines);
    free(rows.rows);
    return st;
}

/* The à-nouveaux lines and their line areas, grown as they come. */
typedef struct an_lines {
    gl_line_in *lines;
    gl_ext_in *ext;
    size_t n, cap;
} an_lines;

static int an_push(an_lines *a, gl_line_in line, gl_ext_in ext)
{
    if (a->n == a->cap) {
        size_t cap = a->cap ? a->cap * 2 : 256;
        gl_line_in *l = realloc(a->lines, cap * sizeof *l);
        if (l)
            a->lines = l;
        gl_ext_in *e = l ? realloc(a->ext, cap * sizeof *e) : NULL;
        if (!e)
            return GL_ERR_INTERNAL;
        a->ext = e;
        a->cap = cap;
    }
    a->lines[a->n] = line;
    a->ext[a->n++] = ext;
    return GL_OK;
}

static gl_line_in balance_line(const close_row *r, int64_t net)
{
    return (gl_line_in){
        r->account,          r->aux, r->aux_label, "", net > 0 ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
        net > 0 ? net : -net};
}

/* Items by aux, then in the account's line order (their index). */
static int item_cmp(const void *pa, const void *pb)
{
    const carry_item *a = pa, *b = pb;
    int c = strcmp(a->aux, b->aux);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* The open items of r's detailed account, sorted by aux (the order of its
 * rows: rows of one account are together, auxes in key order), then in
 * the account's line order. */
static int account_items(gl_exec *x, uint32_t tenant, const gl_tenant_cfg *tc, uint16_t fy,
                         const close_row *r, carry_items *items)
{
    free(items->items);
    *items = (carry_items){0};
    int st = carry_items_collect(x, tenant, fy, gl_fiscal_year_start(fy, tc->first_month),
                                 gl_fiscal_year_end(fy, tc->first_month),
                                 (gl_str){r->account, strlen(r->account)}, items);
    if (st == GL_OK && items->count > 1)
        qsort(items->items, items->count, sizeof *items->items, item_cmp);
    return st;
}

/* One row of a detailed account: a line per open item of its aux, and the
 * rest of its balance (lines lettered with lines of other years) as one
 * line without open_item. */
static int detailed_row(gl_exec *x, const close_row *r, carry_items *items, size_t *next,
                        an_lines *out)
{
    int64_t rest = r->net;
    int st = GL_OK;
    while (st == GL_OK && *next < items->count && strcmp(items->items[*next].aux, r->aux) < 0)
        (*next)++; /* cannot happen: every line is in a row */
    for (; st == GL_OK && *next < items->count && !strcmp(items->items[*next].aux, r->aux);
         (*next)++) {
        carry_item *c = &items->items[*next];
        int64_t signed_cents = c->side == GL_SIDE_DEBIT ? c->amount : -c->amount;
        if (!gl_money_sub(&rest, signed_cents))
            return exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "the open items of %s overflow", r->account);
        gl_line_in l = {r->account, r->aux, r->aux_label, "", c->side, c->amount};
        st = an_push(out, l, (gl_ext_in){c->ext, c->ext_len});
    }
    if (st == GL_OK && rest)
        st = an_push(out, balance_line(r, rest), (gl_ext_in){0});
    return st;
}

/* The à-nouveaux lines: a line per class 1-5 balance, or per open item of a
 * detailed account (store/carry_store.h). */
static int opening_lines(gl_exec *x, tenant_rec *rec, const gl_tenant_cfg *tc, uint16_t fy,
                         close_rows *rows, carry_items *items, an_lines *out)
{
    int64_t net_others = 0;
    int st = GL_OK;
    uint8_t mode = GL_CARRY_SUMMARISED;
    size_t next = 0;
    for (size_t i = 0; st == GL_OK && i < rows->count; i++) {
        close_row *r = &rows->rows[i];
        bool first_of_account = i == 0 || strcmp(rows->rows[i - 1].account, r->account);
        if (in_classes(r->account, '6', '7'))
            GL_ASSERT(r->net == 0); /* zeroed by the result entry */
        else if (!in_classes(r->account, '1', '5')) {
            if (!gl_money_add(&net_others, r->net))
                st = exec_fail(x, GL_ERR_OVERFLOW, 0, 0, "class 8-9 totals overflow");
        } else {
            if (first_of_account &&
                (st = store_carry_mode_get(x->txn, rec->number,
                                           (gl_str){r->account, strlen(r->account)}, &mode)) ==
                    GL_OK &&
                mode == GL_CARRY_DETAILED) {
                st = account_items(x, rec->number, tc, fy, r, items);
                next = 0;
            }
            if (st != GL_OK)
                break;
            aux_label(x, rec->number, r);
            if (mode == GL_CARRY_DETAILED)
                st = detailed_row(x, r, items, &next, out);
            else if (r->net)
                st = an_push(out, balance_line(r, r->net), (gl_ext_in){0});
        }
    }
    if (st == GL_OK && net_others != 0) {
        char m[GL_MONEY_TEXT_MAX];
        st = exec_fail(x, GL_ERR_CLASS_UNBALANCED, 0, 0,
                       "classes 8-9 are off by %s (86 must equal 87)",
                       gl_money_format(net_others, GL_MONEY_PLAIN, m));
    }
    return st;
}

/* 2. The à-nouveaux of fy + 1 from the balances after the result entry. */
static int write_opening_entry(gl_exec *x, tenant_rec *rec, const gl_tenant_cfg *tc, uint16_t fy,
                               uint16_t *opening_fy, uint32_t *num)
{
    close_rows rows = {0};
    carry_items items = {0};
    an_lines out = {0};
    int st = year_rows(x, rec->number, fy, true, &rows);
    if (st == GL_OK)
        st = opening_lines(x, rec, tc, fy, &rows, &items, &out);
    size_t n = out.n;
    if (st == GL_OK && n > GL_CLOSE_LINES_MAX)
        st = exec_fail(x, GL_ERR_COUNT_LIMIT, 0, 0, "more than %d balance-sheet balances",
                       GL_CLOSE_LINES_MAX);
    *num = 0;
    *opening_fy = 0;
    if (st == GL_OK && n > 0) {
        gl_opening_text text;
        gl_entry_in in =
            gl_opening_entry(&text, x->req->tenant.ptr, x->req->tenant.len, (uint16_t)(fy + 1),
                             tc->first_month, n, out.lines, out.ext);
        st = write_daemon_entry(x, rec, tc, &in, 2, opening_fy, num);
    }
    free(out.lines);
    free(out.ext);
    free(items.items);
    free(rows.rows);
    return st;
}

static int check_closable(gl_exec *x, uint32_t tenant, const gl_tenant_cfg *tc, uint16_t fy)
{
    year_state ys;
    int st = periods_year(x->txn, tenant, fy, &ys);
    if (st != GL_OK)
        return st;
    if (ys.closed)
        return exec_fail(x, GL_ERR_YEAR_CLOSED, 0, 0, "fiscal year %u is already closed", fy);
    uint32_t locked, last_ym = gl_fiscal_year_end(fy, tc->first_month) / 100;
    if ((st = periods_locked_through(x->txn, tenant, &locked)) != GL_OK)
        return st;
    if (locked < last_ym && locked == 0)
        return exec_fail(x, GL_ERR_PERIOD_OPEN, 0, 0,
                         "no period is locked yet; lock through %04u-%02u first", last_ym / 100,
                         last_ym % 100);
    if (locked < last_ym)
        return exec_fail(x, GL_ERR_PERIOD_OPEN, 0, 0,
                         "periods are locked through %04u-%02u; lock through %04u-%02u first",
                         locked / 100, locked % 100, last_ym / 100, last_ym % 100);
    year_state prev;
    bool earlier;
    if ((st = periods_year(x->txn, tenant, (uint16_t)(fy - 1), &prev)) != GL_OK ||
        (st = periods_has_entries_before(x->txn, tenant, fy, &earlier)) != GL_OK)
        return st;
    if (!prev.closed && earlier)
        return exec_fail(x, GL_ERR_PREVIOUS_YEAR_OPEN, 0, 0, "fiscal year %u is not closed",
                         fy - 1);
    return GL_OK;
}

int rules_close_year(gl_exec *x, const gl_body *rq)
{
    /* the close reads back the totals it writes: write them through */
    x->totals = NULL;
    gl_close_q q = rq->close;
    int st;
    const gl_tenant_cfg *tc = gl_config_tenant(x->cfg, x->req->tenant.ptr, x->req->tenant.len);
    tenant_rec rec;
    if (!tc || (st = tenant_load(x->txn, x->req->tenant, &rec)) != GL_OK)
        return exec_fail(x, GL_ERR_UNKNOWN_TENANT, 0, 0, "%s",
                         gl_status_message(GL_ERR_UNKNOWN_TENANT));
    if ((st = check_closable(x, rec.number, tc, q.fy)) != GL_OK)
        return st;
    year_state ys = {.closed = true, .closed_ms = x->now_ms};
    if ((st = write_result_entry(x, &rec, tc, q.fy, &ys.result_num, &ys.result_cents)) != GL_OK ||
        (st = write_opening_entry(x, &rec, tc, q.fy, &ys.opening_fy, &ys.opening_num)) != GL_OK ||
        (st = ledger_year_totals_close(x, rec.number, q.fy)) != GL_OK ||
        (st = periods_set_year(x->txn, rec.number, q.fy, &ys)) != GL_OK)
        return st;
    gl_buf ev;
    gl_buf_init(&ev);
    gl_event_head head = {x->envelope, 3, x->req->signer, x->req->request_id, x->now_ms};
    gl_event_head_encode(&ev, &head);
    gl_put_u16(&ev, q.fy);
    gl_put_u16(&ev, ys.result_num ? q.fy : 0);
    gl_put_u32(&ev, ys.result_num);
    gl_put_u16(&ev, ys.opening_fy);
    gl_put_u32(&ev, ys.opening_num);
    gl_put_i64(&ev, ys.result_cents);
    uint64_t seq;
    st = gl_buf_ok(&ev)
             ? chain_append(x->txn, x->req->tenant, &rec, GL_EVENT_CLOSE, ev.data, ev.len, &seq)
             : GL_ERR_INTERNAL;
    gl_buf_free(&ev);
    gl_reply_close_year r = {ys.result_num ? q.fy : 0, ys.result_num, ys.opening_fy, ys.opening_num,
                             ys.result_cents};
    gl_reply_close_year_encode(x->body, &r);
    return st;
}
