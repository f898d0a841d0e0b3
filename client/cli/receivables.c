/*
 * client/cli/receivables.c — see receivables.h: the open items at a date
 * of every third-party account of a prefix (ACCOUNTS_LIST, then LEDGER
 * pages with OPEN_AT, §5.7: a line lettered after the date was still open
 * then; after a detailed close the items are its à-nouveaux lines, dated
 * and named here by the invoice they carry; a summarised close's balances
 * are left out, their items come through their own lines of earlier years).
 */
#include "receivables.h"
#include "aging.h"
#include "carry_mode.h"
#include "cli_replies.h"
#include "i18n.h"

#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void rcv_items_free(rcv_items *it)
{
    free(it->v);
    *it = (rcv_items){0};
}

static rcv_item *rcv_push(rcv_items *it)
{
    if (it->n == it->cap) {
        size_t cap = it->cap ? it->cap * 2 : 64;
        rcv_item *v = realloc(it->v, cap * sizeof *v);
        if (!v)
            return NULL;
        it->v = v;
        it->cap = cap;
    }
    rcv_item *i = &it->v[it->n++];
    memset(i, 0, sizeof *i);
    return i;
}

static void copy_str(char *dst, size_t cap, gl_str s)
{
    snprintf(dst, cap, "%.*s", (int)s.len, s.ptr);
}

/* One page of LEDGER rows into items.  0, -1 unreadable, -2 out of memory. */
static int ledger_rows(cli *c, const gl_response *resp, gl_ledger_q *q, bool *more,
                       const char *account, bool payables, unsigned default_terms, rcv_items *out)
{
    gl_reply_ledger r;
    if (gl_reply_ledger_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return -1;
    /* the next page starts after this one's last row, at its watermark */
    q->after_line = r.next_line;
    q->after_num = r.next_num;
    q->after_fy = r.next_fy;
    q->after_date = r.next_date;
    q->watermark = r.watermark;
    *more = r.more != 0;
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, &r);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        rcv_item *i = rcv_push(out);
        if (!i)
            return -2;
        snprintf(i->account, sizeof i->account, "%s", account);
        copy_str(i->aux, sizeof i->aux, row.aux);
        copy_str(i->piece, sizeof i->piece, row.piece_ref);
        copy_str(i->label, sizeof i->label, row.label);
        snprintf(i->ref, sizeof i->ref, "%u/%u:%u", row.fy, row.num, row.line);
        i->fy = row.fy;
        i->num = row.num;
        i->line = row.line;
        i->date = row.date;
        /* an item a detailed close carried: its invoice's piece and date */
        if (CARRY_AN_JOURNAL(row.journal))
            carry_line_item(c, row.fy, row.num, row.line, i->piece, sizeof i->piece, &i->date);
        /* a doubtful debt moved to 416: its transfer bears the invoice's
         * piece and piece date (impairment), from which it ages */
        else if (!strncmp(account, "416", 3))
            entry_piece_date(c, row.fy, row.num, &i->date);
        /* a payable is owed by the association: its credit is the item */
        i->cents = payables ? -row.amount : row.amount;
        i->terms_days = third_party_terms_days(i->aux, default_terms);
        i->due = aging_due_date(i->date, i->terms_days);
    }
    return 0;
}

static int collect_account(cli *c, const char *account, uint32_t at, bool payables,
                           unsigned default_terms, rcv_items *out)
{
    gl_ledger_q q = {.account = {account, strlen(account)},
                     .from = 19000101,
                     .to = at,
                     .limit = GL_PAGE_MAX,
                     .flags = GL_LEDGER_FILTER,
                     .filter = {.fields = GL_FILTER_OPEN_AT, .open_at = at}};
    bool more = true;
    int rc = 0;
    while (rc == 0 && more) {
        gl_response resp;
        rc = cli_ledger_call(c, &q, &resp);
        int st = rc ? 0 : ledger_rows(c, &resp, &q, &more, account, payables, default_terms, out);
        if (st == -2)
            rc = cli_nomem("the open items");
        else if (st) {
            cli_error("cannot read the daemon's reply");
            rc = EXIT_REFUSED;
        }
        gl_response_free(&resp);
    }
    return rc;
}

size_t rcv_group_end(const rcv_items *it, size_t first)
{
    size_t e = first + 1;
    while (e < it->n && !strcmp(it->v[e].account, it->v[first].account) &&
           !strcmp(it->v[e].aux, it->v[first].aux))
        e++;
    return e;
}

static int item_order(const void *a, const void *b)
{
    const rcv_item *x = a, *y = b;
    int d = strcmp(x->account, y->account);
    if (!d)
        d = strcmp(x->aux, y->aux);
    if (!d)
        d = (x->date > y->date) - (x->date < y->date);
    return d ? d : strcmp(x->ref, y->ref);
}

/* The accounts of the chart starting with prefix, as one NUL-separated
 * list.  0 or an exit code. */
static int accounts_of(cli *c, const char *prefix, char **list, size_t *count)
{
    gl_response resp;
    int rc = cli_call(c, GL_KIND_ACCOUNTS_LIST, c->tenant, NULL, 0, &resp);
    *list = NULL;
    *count = 0;
    size_t len = 0;
    if (rc == 0) {
        gl_reply_accounts_list r;
        gl_reply_accounts_list_iter it;
        gl_reply_accounts_list_row row;
        size_t plen = strlen(prefix);
        int st =
            gl_reply_accounts_list_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &r);
        if (st == GL_OK)
            gl_reply_accounts_list_iter_init(&it, &r);
        while (st == GL_OK && rc == 0 && gl_reply_accounts_list_next(&it, &row) == 1) {
            if (row.account.len < plen || memcmp(row.account.ptr, prefix, plen))
                continue;
            char *grown = realloc(*list, len + row.account.len + 1);
            if (!grown) {
                rc = cli_nomem("the accounts");
                break;
            }
            *list = grown;
            memcpy(grown + len, row.account.ptr, row.account.len);
            grown[len + row.account.len] = '\0';
            len += row.account.len + 1;
            ++*count;
        }
        if (st != GL_OK && rc == 0) {
            cli_error("cannot read the daemon's reply");
            rc = EXIT_REFUSED;
        }
    }
    gl_response_free(&resp);
    return rc;
}

/* The items of the accounts of each prefix, sorted. */
static int collect_prefixes(cli *c, const char *const *prefixes, size_t n, uint32_t at,
                            bool payables, unsigned default_terms, rcv_items *out)
{
    *out = (rcv_items){0};
    int rc = third_party_registry_load(c);
    for (size_t p = 0; rc == 0 && p < n; p++) {
        char *list;
        size_t count;
        rc = accounts_of(c, prefixes[p], &list, &count);
        const char *a = list;
        for (size_t i = 0; rc == 0 && i < count; i++, a += strlen(a) + 1)
            rc = collect_account(c, a, at, payables, default_terms, out);
        free(list);
    }
    if (rc)
        rcv_items_free(out);
    else if (out->n)
        qsort(out->v, out->n, sizeof *out->v, item_order);
    return rc;
}

int rcv_collect(cli *c, const char *prefix, uint32_t at, bool payables, unsigned default_terms,
                rcv_items *out)
{
    return collect_prefixes(c, &prefix, 1, at, payables, default_terms, out);
}

int rcv_collect_customers(cli *c, uint32_t at, unsigned default_terms, rcv_items *out)
{
    static const char *const prefixes[] = {"411", "416"};
    return collect_prefixes(c, prefixes, 2, at, false, default_terms, out);
}

bool rcv_take_html_format(int *argc, char **argv)
{
    bool html = false, options = true;
    int w = 0;
    for (int r = 0; r < *argc; r++) {
        options &= strcmp(argv[r], "--") != 0;
        if (options && !strcmp(argv[r], "--format=html")) {
            html = true;
            continue;
        }
        if (options && !strcmp(argv[r], "--format") && r + 1 < *argc &&
            !strcmp(argv[r + 1], "html")) {
            html = true;
            r++;
            continue;
        }
        argv[w++] = argv[r];
    }
    *argc = w;
    argv[w] = NULL;
    return html;
}

int rcv_association(cli *c, char *name, size_t name_len, char *siren, size_t siren_len)
{
    gl_response resp;
    gl_reply_periods p;
    int rc = cli_periods(c, c->tenant, &resp, &p);
    if (rc == 0) {
        copy_str(name, name_len, p.name);
        copy_str(siren, siren_len, p.siren);
    }
    gl_response_free(&resp);
    return rc;
}

int rcv_parse_uint(const char *arg, const char *what, unsigned max, unsigned *out)
{
    char *end;
    unsigned long v = strtoul(arg, &end, 10);
    if (!*arg || *end || arg[0] == '-' || v > max) {
        cli_error("%s %s: a whole number from 0 to %u", what, arg, max);
        return EXIT_USAGE;
    }
    *out = (unsigned)v;
    return 0;
}

char *rcv_date_fr(uint32_t ymd, char out[11])
{
    snprintf(out, 11, "%02u/%02u/%04u", ymd % 100 % 100, ymd / 100 % 100, ymd / 10000 % 10000);
    return out;
}

int rcv_parse(cli *c, int *argc, char ***argv, const struct option *extra, extra_handler on_opt,
              void *user, const char *help)
{
    int rc = cli_parse(c, argc, argv, extra, on_opt, user, help);
    if (rc == 0 && *argc) {
        fputs(help, stderr);
        rc = EXIT_USAGE;
    }
    return rc;
}
