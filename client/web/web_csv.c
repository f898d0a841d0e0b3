/*
 * client/web/web_csv.c — the CSV files of the web pages (web_csv.h).
 *
 * The columns and rows are those of `grandlivre journal`, `ledger` and
 * `balance` (client/cli/cmd_journal.c, cmd_balance.c): the row writers of
 * the CLI are static there, so they are written again here, cell for cell,
 * and tests/integration/test_web_search.c compares the two files byte for
 * byte.  The table is rendered by client/output (out_render, OUT_CSV_FR)
 * into memory, then copied into the answer.
 */
#include "web_csv.h"

#include "client/cli/i18n.h"
#include "client/output/output.h"
#include "proto/money.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Every page of a walk: far more than a ledger holds (1,000 rows a page). */
#define WEB_CSV_PAGES_MAX 100000

bool web_csv_wanted(const web_req *r)
{
    char v[8];
    return web_arg(r, "format", v, sizeof v) == 1 && !strcmp(v, "csv");
}

static void iso(char out[11], uint32_t ymd)
{
    snprintf(out, 11, "%04u-%02u-%02u", ymd / 10000 % 10000, ymd / 100 % 100, ymd % 100);
}

void web_csv_name(char *out, size_t cap, const char *what, const char *tenant, uint32_t from,
                  uint32_t to)
{
    char a[11], z[11];
    iso(a, from);
    iso(z, to);
    if (to)
        snprintf(out, cap, "%s-%s-%s-%s.csv", what, tenant, a, z);
    else
        snprintf(out, cap, "%s-%s-%s.csv", what, tenant, a);
}

void web_csv_link(gl_buf *b, const web_req *r, const char *href)
{
    web_raw(b, "<p class=\"export\"><a href=\"");
    web_raw(b, href);
    web_raw(b, strchr(href, '?') ? "&amp;format=csv" : "?format=csv");
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\" download>");
    web_esc(b, _("Export as CSV"));
    web_raw(b, "</a></p>\n");
}

/* The page that replaces the file when the daemon failed: the banner
 * web_call wrote into banner. */
static int failed_page(web_req *r, gl_buf *b, const char *title, const char *active, gl_buf *banner)
{
    web_page_begin(b, r, title, active);
    gl_put_bytes(b, banner->data, banner->len);
    web_page_end(b);
    return 200;
}

/* t rendered as csv-fr into b, the answer a file named name. */
static int send_table(web_req *r, gl_buf *b, const char *title, const char *active,
                      const out_table *t, const char *name)
{
    char *data = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&data, &len);
    int rc = f ? out_render(t, OUT_CSV_FR, f) : -1;
    if (f && fclose(f))
        rc = -1;
    if (rc) {
        free(data);
        gl_buf note;
        gl_buf_init(&note);
        web_banner(&note, _("Cannot write the CSV file (out of memory)."), true);
        failed_page(r, b, title, active, &note);
        gl_buf_free(&note);
        return 500;
    }
    gl_put_bytes(b, data, len);
    free(data);
    r->content_type = "text/csv; charset=utf-8";
    snprintf(r->download, sizeof r->download, "%s", name);
    return 200;
}

/* The columns of `grandlivre journal` (cmd_journal.c: journal_rows). */
static void journal_row(out_table *t, const gl_reply_journal_row *row)
{
    char name[32], ref[32];
    snprintf(name, sizeof name, "%u/%u", row->fy, row->num);
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &row->entry);
    for (uint16_t n = 1; gl_line_next(&it, &l); n++) {
        snprintf(ref, sizeof ref, "%u/%u:%u", row->fy, row->num, n);
        out_cstr(t, name);
        cli_line_cells(t, &row->entry, &l);
        out_cstr(t, ref);
    }
}

/* The end of a download read page after page: the CSV file of t when ok,
 * else the page saying why not, from banner; t and banner freed. */
static int finish(web_req *r, gl_buf *b, const char *title, const char *active, bool ok,
                  out_table *t, const char *name, gl_buf *banner)
{
    int status =
        ok ? send_table(r, b, title, active, t, name) : failed_page(r, b, title, active, banner);
    out_free(t);
    gl_buf_free(banner);
    return status;
}

int web_csv_journal(web_req *r, gl_buf *b, const char *title, const char *active, gl_journal_q *q,
                    web_csv_keep_fn keep, void *user, const char *name)
{
    static const out_col cols[] = {
        {"entry", OUT_REF},    {"date", OUT_DATE}, {"journal", OUT_TEXT}, {"piece", OUT_TEXT},
        {"account", OUT_TEXT}, {"aux", OUT_TEXT},  {"label", OUT_TEXT},   {"debit", OUT_MONEY},
        {"credit", OUT_MONEY}, {"ref", OUT_REF}};
    out_table *t = out_new(cols, 10);
    gl_buf banner;
    gl_buf_init(&banner);
    bool more = t != NULL, ok = t != NULL;
    if (!t)
        web_banner(&banner, _("Cannot write the CSV file (out of memory)."), true);
    q->limit = GL_PAGE_MAX;
    for (unsigned pages = 0; ok && more && pages < WEB_CSV_PAGES_MAX; pages++) {
        gl_buf body;
        gl_buf_init(&body);
        gl_journal_q_encode(&body, q);
        gl_response resp;
        ok = web_call(r, &banner, GL_KIND_JOURNAL, body.data, body.len, &resp) == 0;
        gl_buf_free(&body);
        if (!ok)
            break;
        gl_reply_journal rep;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        if (gl_reply_journal_page(gl_reply_view(resp.reply.body, resp.reply.body_len), q, &rep,
                                  &it) != GL_OK) {
            web_banner(&banner, _("Cannot read the daemon's reply."), true);
            ok = false;
        } else {
            more = rep.more;
            while (gl_reply_journal_next(&it, &row) == 1)
                if (!keep || keep(&row, user))
                    journal_row(t, &row);
        }
        gl_response_free(&resp);
    }
    return finish(r, b, title, active, ok, t, name, &banner);
}

/* The columns of `grandlivre ledger` (cmd_journal.c: ledger_page); false
 * when the running balance overflows. */
static bool ledger_rows(out_table *t, const gl_reply_ledger *rep, int64_t *running, uint16_t *fy)
{
    bool overflow = false;
    gl_reply_ledger_iter it;
    gl_reply_ledger_row row;
    gl_reply_ledger_iter_init(&it, rep);
    while (gl_reply_ledger_next(&it, &row) == 1) {
        if (*fy && row.fy != *fy)
            *running = 0; /* a new fiscal year opens with its à-nouveaux */
        *fy = row.fy;
        overflow |= !gl_money_add(running, row.amount);
        char name[32], ref[32];
        snprintf(name, sizeof name, "%u/%u", row.fy, row.num);
        snprintf(ref, sizeof ref, "%u/%u:%u", row.fy, row.num, row.line);
        out_date(t, row.date);
        out_cstr(t, name);
        out_text(t, row.journal.ptr, row.journal.len);
        out_text(t, row.piece_ref.ptr, row.piece_ref.len);
        out_text(t, row.label.ptr, row.label.len);
        out_text(t, row.aux.ptr, row.aux.len);
        out_money(t, row.amount > 0 ? row.amount : 0);
        out_money(t, row.amount < 0 ? -row.amount : 0);
        out_money(t, *running);
        out_text(t, row.letter.ptr, row.letter.len);
        out_cstr(t, ref);
    }
    return !overflow;
}

int web_csv_ledger(web_req *r, gl_buf *b, const char *title, const char *active, gl_ledger_q *q,
                   const char *name)
{
    static const out_col cols[] = {
        {"date", OUT_DATE},     {"entry", OUT_REF},   {"journal", OUT_TEXT}, {"piece", OUT_TEXT},
        {"label", OUT_TEXT},    {"aux", OUT_TEXT},    {"debit", OUT_MONEY},  {"credit", OUT_MONEY},
        {"balance", OUT_MONEY}, {"letter", OUT_TEXT}, {"ref", OUT_REF}};
    out_table *t = out_new(cols, 11);
    gl_buf banner;
    gl_buf_init(&banner);
    bool more = t != NULL, ok = t != NULL;
    if (!t)
        web_banner(&banner, _("Cannot write the CSV file (out of memory)."), true);
    /* as the CLI: the opening balance when no filter, or the third party alone */
    bool with_opening = !q->filter.fields || q->filter.fields == GL_FILTER_AUX;
    int64_t running = 0;
    uint16_t fy = 0;
    q->limit = GL_PAGE_MAX;
    for (unsigned pages = 0; ok && more && pages < WEB_CSV_PAGES_MAX; pages++) {
        gl_buf body;
        gl_buf_init(&body);
        gl_ledger_q_encode(&body, q);
        gl_response resp;
        ok = web_call(r, &banner, GL_KIND_LEDGER, body.data, body.len, &resp) == 0;
        gl_buf_free(&body);
        if (!ok)
            break;
        gl_reply_ledger rep;
        if (gl_reply_ledger_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &rep) !=
            GL_OK) {
            web_banner(&banner, _("Cannot read the daemon's reply."), true);
            ok = false;
        } else {
            q->watermark = rep.watermark;
            q->after_date = rep.next_date;
            q->after_fy = rep.next_fy;
            q->after_num = rep.next_num;
            q->after_line = rep.next_line;
            more = rep.more;
            if (pages == 0 && with_opening) {
                running = rep.opening;
                cli_ledger_opening_row(t, q->from, rep.opening);
            }
            if (!ledger_rows(t, &rep, &running, &fy)) {
                web_banner(&banner, _("The totals overflow."), true);
                ok = false;
            }
        }
        gl_response_free(&resp);
    }
    return finish(r, b, title, active, ok, t, name, &banner);
}

/* The columns of `grandlivre balance` (cmd_balance.c: print_balance); the
 * CSV has no total row, as the CLI's. */
int web_csv_balance(web_req *r, gl_buf *b, const char *title, const char *active,
                    const gl_balance_q *q, const char *name)
{
    bool aux = q->flags & GL_BALANCE_AUX;
    gl_buf banner, body;
    gl_buf_init(&banner);
    gl_buf_init(&body);
    gl_balance_q_encode(&body, q);
    gl_response resp;
    int rc = web_call(r, &banner, GL_KIND_BALANCE, body.data, body.len, &resp);
    gl_buf_free(&body);
    if (rc) {
        failed_page(r, b, title, active, &banner);
        gl_buf_free(&banner);
        return 200;
    }
    gl_reply_balance rep;
    out_table *t = cli_balance_table(aux);
    bool ok =
        t && gl_reply_balance_decode_flags(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                           q->flags, &rep) == GL_OK;
    gl_reply_balance_iter it;
    gl_reply_balance_row row;
    int64_t total_debit = 0, total_credit = 0; /* the CLI refuses totals that overflow */
    if (ok)
        gl_reply_balance_iter_init(&it, &rep);
    while (ok && gl_reply_balance_next(&it, &row) == 1) {
        int64_t balance = row.debit;
        ok = gl_money_sub(&balance, row.credit) && gl_money_add(&total_debit, row.debit) &&
             gl_money_add(&total_credit, row.credit);
        out_text(t, row.account.ptr, row.account.len);
        if (aux) {
            out_text(t, row.aux.ptr, row.aux.len);
            out_text(t, row.aux_label.ptr, row.aux_label.len);
        }
        out_text(t, row.label.ptr, row.label.len);
        out_money(t, row.debit);
        out_money(t, row.credit);
        out_money(t, balance);
    }
    int status;
    if (ok)
        status = send_table(r, b, title, active, t, name);
    else {
        web_banner(&banner, _("Cannot read the daemon's reply."), true);
        status = failed_page(r, b, title, active, &banner);
    }
    gl_response_free(&resp);
    out_free(t);
    gl_buf_free(&banner);
    return status;
}

int web_csv_send(web_req *r, gl_buf *b, const char *title, const char *active, const out_table *t,
                 const char *name)
{
    if (!t) {
        web_page_begin(b, r, title, active);
        web_banner(b, _("Cannot write the CSV file (out of memory)."), true);
        web_page_end(b);
        return 500;
    }
    return send_table(r, b, title, active, t, name);
}
