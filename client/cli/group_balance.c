/*
 * client/cli/group_balance.c — GROUP_BALANCE page by page; see
 * group_balance.h.  A page is decoded by proto/reply_group.h
 * (gl_reply_group_balance, PROTOCOL.md §5.25); every check that fails here
 * names what it found (g->why).
 */
#include "group_balance.h"
#include "i18n.h"

#include "proto/group.h"
#include "proto/money.h"
#include "proto/reply_group.h"
#include "proto/status.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fail(group_balance *g, int status, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static int fail(group_balance *g, int status, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(g->why, sizeof g->why, fmt, ap);
    va_end(ap);
    return status;
}

static bool reserve(group_balance *g, size_t more)
{
    if (g->count + more <= g->cap)
        return true;
    size_t cap = g->cap ? g->cap : 256;
    while (cap < g->count + more)
        cap *= 2;
    stmt_account *rows = realloc(g->rows, cap * sizeof *rows);
    if (rows)
        g->rows = rows;
    char(*accounts)[GL_ACCOUNT_MAX + 1] = realloc(g->accounts, cap * sizeof *accounts);
    if (accounts)
        g->accounts = accounts;
    char(*labels)[GL_LABEL_MAX + 1] = realloc(g->labels, cap * sizeof *labels);
    if (labels)
        g->labels = labels;
    int64_t *gaps = realloc(g->gaps, cap * sizeof *gaps);
    if (gaps)
        g->gaps = gaps;
    if (!rows || !accounts || !labels || !gaps)
        return false;
    g->cap = cap;
    return true;
}

/* The page's header: the same watermark, date and entities as the first. */
static int page_head(group_balance *g, const gl_reply_group_balance *h, bool first)
{
    g->more = h->more != 0;
    size_t n = h->n;
    if (n == 0 || n > GROUP_ENTITIES_MAX)
        return fail(g, GL_ERR_BAD_REPLY, "the group balance names %zu entities (1 to %d accepted)",
                    n, GROUP_ENTITIES_MAX);
    if (!first && (h->watermark != g->watermark || h->at != g->at || n != g->entities))
        return fail(g, GL_ERR_BAD_REPLY,
                    "page %zu of the group balance is not of the same reading as the first",
                    g->pages + 1);
    char cursor[GL_ACCOUNT_MAX + 1];
    snprintf(cursor, sizeof cursor, "%.*s", (int)h->next.len, h->next.ptr);
    if (g->more && (strlen(cursor) != h->next.len || strcmp(cursor, g->next) <= 0))
        return fail(g, GL_ERR_BAD_REPLY, "page %zu of the group balance does not move forward",
                    g->pages + 1);
    char comb[GL_TENANT_MAX + 1];
    snprintf(comb, sizeof comb, "%.*s", (int)h->combination.len, h->combination.ptr);
    if (!first && (strcmp(comb, g->combination) || h->combination_fy != g->combination_fy))
        return fail(g, GL_ERR_BAD_REPLY, "the combination ledger changed between pages");
    memcpy(g->combination, comb, sizeof comb);
    g->combination_fy = h->combination_fy;
    g->watermark = h->watermark;
    g->at = h->at;
    g->entities = n;
    for (size_t i = 0; i < n; i++) {
        gl_str id = h->entities[i].tenant;
        uint16_t fy = h->entities[i].fy;
        if (!first &&
            (fy != g->fy[i] || strlen(g->ids[i]) != id.len || memcmp(g->ids[i], id.ptr, id.len)))
            return fail(g, GL_ERR_BAD_REPLY, "the group's entities changed between pages");
        snprintf(g->ids[i], sizeof g->ids[i], "%.*s", (int)id.len, id.ptr);
        g->fy[i] = fy;
    }
    memcpy(g->next, cursor, sizeof cursor);
    return GL_OK;
}

/* One row into g (its accounts in order, its combined total in range). */
static int page_row(group_balance *g, const gl_reply_group_balance_row *r)
{
    char *account = g->accounts[g->count];
    snprintf(account, GL_ACCOUNT_MAX + 1, "%.*s", (int)r->account.len, r->account.ptr);
    if (strlen(account) != r->account.len || strcmp(account, g->last) <= 0)
        return fail(g, GL_ERR_BAD_REPLY,
                    "the group balance's accounts are not in order (%s after %s)", account,
                    g->last);
    snprintf(g->labels[g->count], GL_LABEL_MAX + 1, "%.*s", (int)r->label.len, r->label.ptr);
    stmt_account *row = &g->rows[g->count];
    memset(row, 0, sizeof *row);
    row->account = account;
    int64_t combined = 0;
    bool ok = true;
    for (size_t i = 0; i < g->entities; i++)
        row->net[i] = r->net[i];
    row->net[GROUP_ELIM(g)] = r->elim;
    row->net[GROUP_ADJ(g)] = r->adj;
    for (size_t i = 0; i < GROUP_COMBINED(g); i++)
        ok &= gl_money_add(&combined, row->net[i]);
    if (!ok)
        return fail(g, GL_ERR_SUM_OVERFLOW, "the combined total of account %s", account);
    row->net[GROUP_COMBINED(g)] = combined;
    g->gaps[g->count] = r->gap;
    memcpy(g->last, account, sizeof g->last);
    g->count++;
    return GL_OK;
}

int group_balance_page(group_balance *g, const uint8_t *body, size_t len)
{
    gl_reply_group_balance *h = malloc(sizeof *h);
    if (!h)
        return fail(g, GL_ERR_NOMEM, "a page of the group balance");
    int st = gl_reply_group_balance_decode((gl_str){(const char *)body, len}, h);
    if (st == GL_ERR_MALFORMED)
        st = fail(g, GL_ERR_BAD_REPLY, "a page of the group balance is truncated");
    else if (st != GL_OK)
        st = fail(g, GL_ERR_BAD_REPLY, "a page of the group balance does not decode: %s",
                  gl_status_message(st));
    if (st == GL_OK)
        st = page_head(g, h, g->pages == 0);
    if (st == GL_OK) {
        g->pages++;
        if (h->count > GROUP_ROWS_MAX - g->count)
            st = fail(g, GL_ERR_ANSWER_TOO_LARGE, "the group balance holds more than %d rows",
                      GROUP_ROWS_MAX);
        else if (!reserve(g, h->count))
            st = fail(g, GL_ERR_NOMEM, "%u rows of the group balance", h->count);
    }
    gl_reply_group_balance_iter it;
    gl_reply_group_balance_row row;
    gl_reply_group_balance_iter_init(&it, h);
    while (st == GL_OK && gl_reply_group_balance_next(&it, &row) == 1)
        st = page_row(g, &row);
    free(h);
    return st;
}

void group_balance_seal(group_balance *g)
{
    for (size_t i = 0; i < g->count; i++)
        g->rows[i].account = g->accounts[i];
}

void group_balance_free(group_balance *g)
{
    free(g->rows);
    free(g->accounts);
    free(g->labels);
    free(g->gaps);
    memset(g, 0, sizeof *g);
}

void group_balance_gaps(const group_balance *g, __int128 gaps[3])
{
    gaps[0] = gaps[1] = gaps[2] = 0;
    for (size_t i = 0; i < g->count; i++) {
        char c = g->accounts[i][0];
        gaps[c == '4' ? 1 : c == '6' || c == '7' ? 2 : 0] += g->gaps[i];
    }
}

int64_t group_gap_i64(__int128 v)
{
    return v > INT64_MAX ? INT64_MAX : v < INT64_MIN ? INT64_MIN : (int64_t)v;
}

void group_gaps_warn(void)
{
    cli_warn(
        _("the reciprocal-flow differences (écarts de réciprocité) are not zero: "
          "intercompany lines without a counterpart stay in the combined accounts "
          "(grandlivre group reconcile lists them)"));
}

int cli_local_error(int status, const char *why)
{
    cli_error("error %d %s: %s%s%s", status, gl_status_name(status), gl_status_message(status),
              why[0] ? " — " : "", why);
    return EXIT_REFUSED;
}

void group_balance_request(const group_balance *g, uint32_t at, gl_buf *body)
{
    gl_group_balance_q q = {.at = at,
                            .watermark = g->watermark,
                            .after = {g->next, strlen(g->next)},
                            .limit = GL_PAGE_MAX};
    gl_buf_init(body);
    gl_group_balance_q_encode(body, &q);
}

int cli_group_balance(cli *c, uint32_t at, group_balance *g)
{
    memset(g, 0, sizeof *g);
    int rc = 0;
    do {
        if (g->pages == GROUP_PAGES_MAX) {
            fail(g, GL_ERR_ANSWER_TOO_LARGE, "the group balance takes more than %d pages",
                 GROUP_PAGES_MAX);
            rc = cli_local_error(GL_ERR_ANSWER_TOO_LARGE, g->why);
            break;
        }
        gl_buf body;
        group_balance_request(g, at, &body);
        gl_response resp = {0};
        rc = gl_buf_ok(&body) ? cli_call(c, GL_KIND_GROUP_BALANCE, "", body.data, body.len, &resp)
                              : cli_nomem("the group balance request");
        gl_buf_free(&body);
        if (rc == 0) {
            int st = group_balance_page(g, resp.reply.body, resp.reply.body_len);
            if (st != GL_OK)
                rc = cli_local_error(st, g->why);
        }
        gl_response_free(&resp);
    } while (rc == 0 && g->more);
    group_balance_seal(g);
    return rc;
}
