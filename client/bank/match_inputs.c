/*
 * client/bank/match_inputs.c — the engine's inputs at a date: the free
 * lines of BANK_RECON and the ledger lines just before the first
 * statement (match_inputs.h).
 */
#include "match_inputs.h"

#include "proto/date.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lines held by active matches, sorted for bsearch. */
typedef struct held {
    uint32_t *seqs;
    size_t nseqs, capseqs;
    gl_line_ref *refs;
    size_t nrefs, caprefs;
} held;

static int ref_cmp(const void *a, const void *b)
{
    const gl_line_ref *x = a, *y = b;
    if (x->fy != y->fy)
        return x->fy < y->fy ? -1 : 1;
    if (x->num != y->num)
        return x->num < y->num ? -1 : 1;
    return (x->line > y->line) - (x->line < y->line);
}

static int seq_cmp(const void *a, const void *b)
{
    uint32_t x = *(const uint32_t *)a, y = *(const uint32_t *)b;
    return (x > y) - (x < y);
}

static bool grow(void **v, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return true;
    size_t n = *cap ? *cap * 2 : 64;
    while (n < need)
        n *= 2;
    void *p = realloc(*v, n * size);
    if (!p)
        return false;
    *v = p;
    *cap = n;
    return true;
}

/* One request as tenant, its reply kept in out->pages (the rows of LEDGER
 * point into it).  GL_OK, or the status (out->status for a refusal). */
static int ask(gl_client *c, const char *tenant, uint16_t kind, gl_buf *body, gl_match_inputs *out,
               gl_response **resp)
{
    if (!gl_buf_ok(body)) {
        gl_buf_free(body);
        return GL_ERR_NOMEM;
    }
    gl_response *p = realloc(out->pages, (out->npages + 1) * sizeof *p);
    if (!p) {
        gl_buf_free(body);
        return GL_ERR_NOMEM;
    }
    out->pages = p;
    *resp = &p[out->npages];
    memset(*resp, 0, sizeof **resp);
    int st = gl_call(c, kind, tenant, gl_request_id_random(), body->data, body->len, *resp);
    gl_buf_free(body);
    if (st != GL_OK) {
        gl_response_free(*resp);
        return st;
    }
    out->npages++;
    if ((*resp)->reply.status != GL_OK) {
        out->status = (*resp)->reply.status;
        snprintf(out->detail, sizeof out->detail, "%.*s", (int)(*resp)->reply.detail.len,
                 (*resp)->reply.detail.ptr ? (*resp)->reply.detail.ptr : "");
        return out->status;
    }
    return GL_OK;
}

static int add_match(held *h, const gl_bank_match_row *row)
{
    if (row->state != GL_BANK_MATCH_ACTIVE)
        return GL_OK;
    if (!grow((void **)&h->seqs, &h->capseqs, h->nseqs + row->set.nbank, sizeof *h->seqs) ||
        !grow((void **)&h->refs, &h->caprefs, h->nrefs + row->set.nbook, sizeof *h->refs))
        return GL_ERR_NOMEM;
    for (uint8_t k = 0; k < row->set.nbank; k++)
        h->seqs[h->nseqs++] = gl_bank_match_seq(&row->set, k);
    for (uint8_t k = 0; k < row->set.nbook; k++)
        h->refs[h->nrefs++] = gl_bank_match_ref(&row->set, k);
    return GL_OK;
}

/* One page of BANK_MATCHES after *after into h; *more. */
static int matches_page(gl_client *c, const char *tenant, const char *account, uint32_t *after,
                        bool *more, held *h, gl_match_inputs *out)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_matches_q q = {{account, strlen(account)}, *after, GL_BANK_PAGE_MAX};
    gl_bank_matches_q_encode(&body, &q);
    gl_response *resp;
    int st = ask(c, tenant, GL_KIND_BANK_MATCHES, &body, out, &resp);
    if (st != GL_OK)
        return st;
    gl_cur cur;
    gl_cur_init_stored(&cur, resp->reply.body, resp->reply.body_len);
    uint32_t n = gl_get_u32(&cur);
    *more = gl_get_u8(&cur) != 0;
    for (uint32_t i = 0; st == GL_OK && i < n && gl_cur_status(&cur) == GL_OK; i++) {
        gl_bank_match_row row;
        if (gl_bank_match_row_get(&cur, &row) != GL_OK)
            break;
        *after = row.match;
        st = add_match(h, &row);
    }
    if (st == GL_OK && (gl_cur_end(&cur) != GL_OK || (*more && n == 0)))
        st = GL_ERR_BAD_REPLY;
    return st;
}

static int matches_all(gl_client *c, const char *tenant, const char *account, held *h,
                       gl_match_inputs *out)
{
    uint32_t after = 0;
    bool more = true;
    int st = GL_OK;
    while (st == GL_OK && more)
        st = matches_page(c, tenant, account, &after, &more, h, out);
    if (h->nseqs)
        qsort(h->seqs, h->nseqs, sizeof *h->seqs, seq_cmp);
    if (h->nrefs)
        qsort(h->refs, h->nrefs, sizeof *h->refs, ref_cmp);
    return st;
}

static bool seq_held(const held *h, uint32_t seq)
{
    return h->nseqs && bsearch(&seq, h->seqs, h->nseqs, sizeof seq, seq_cmp);
}

static bool ref_held(const held *h, gl_line_ref ref)
{
    return h->nrefs && bsearch(&ref, h->refs, h->nrefs, sizeof ref, ref_cmp);
}

static int add_book(gl_match_inputs *out, size_t *cap, const gl_recon_book *row)
{
    if (!grow((void **)&out->book, cap, out->nbook + 1, sizeof *out->book))
        return GL_ERR_NOMEM;
    out->book[out->nbook++] = *row;
    return GL_OK;
}

/* The account's ledger lines from `from` to `to`, every page. */
static int earlier(gl_client *c, const char *tenant, const char *account, uint32_t from,
                   uint32_t to, const held *h, size_t *cap, gl_match_inputs *out)
{
    gl_ledger_q q = {
        .account = {account, strlen(account)}, .from = from, .to = to, .limit = GL_PAGE_MAX};
    for (bool more = true; more;) {
        gl_buf body;
        gl_buf_init(&body);
        gl_ledger_q_encode(&body, &q);
        gl_response *resp;
        int st = ask(c, tenant, GL_KIND_LEDGER, &body, out, &resp);
        gl_reply_ledger rep;
        if (st == GL_OK &&
            gl_reply_ledger_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &rep) !=
                GL_OK)
            st = GL_ERR_BAD_REPLY;
        if (st != GL_OK)
            return st;
        gl_reply_ledger_iter it;
        gl_reply_ledger_iter_init(&it, &rep);
        gl_reply_ledger_row row;
        int got = 0;
        while (st == GL_OK && (got = gl_reply_ledger_next(&it, &row)) > 0) {
            gl_recon_book b = {{row.fy, row.num, row.line},
                               row.date,
                               row.amount,
                               row.journal,
                               row.piece_ref,
                               row.label};
            bool an = row.journal.len == 2 && !memcmp(row.journal.ptr, "AN", 2);
            if (!an && !ref_held(h, b.ref))
                st = add_book(out, cap, &b);
        }
        if (st == GL_OK && got < 0)
            st = GL_ERR_BAD_REPLY;
        if (st != GL_OK)
            return st;
        more = rep.more && rep.count;
        q.watermark = rep.watermark;
        q.after_date = rep.next_date;
        q.after_fy = rep.next_fy;
        q.after_num = rep.next_num;
        q.after_line = rep.next_line;
    }
    return GL_OK;
}

/* start - days, or the first valid date. */
static uint32_t days_before(uint32_t ymd, uint32_t days)
{
    for (uint32_t i = 0; i < days && gl_date_valid(gl_date_prev(ymd)); i++)
        ymd = gl_date_prev(ymd);
    return ymd;
}

static int free_rows(const held *h, const gl_recon_bank *bank, size_t nbank,
                     const gl_recon_book *book, size_t nbook, size_t *cap, gl_match_inputs *out)
{
    out->bank = calloc(nbank + 1, sizeof *out->bank);
    if (!out->bank)
        return GL_ERR_NOMEM;
    for (size_t i = 0; i < nbank; i++)
        if (!seq_held(h, bank[i].seq))
            out->bank[out->nbank++] = bank[i];
    for (size_t i = 0; i < nbook; i++)
        if (!ref_held(h, book[i].ref) && add_book(out, cap, &book[i]) != GL_OK)
            return GL_ERR_NOMEM;
    out->nbook_recon = out->nbook;
    return GL_OK;
}

int gl_match_inputs_build(gl_client *c, const char *tenant, const char *account,
                          const gl_bank_recon_head *head, const gl_recon_bank *bank, size_t nbank,
                          const gl_recon_book *book, size_t nbook, uint32_t window_days,
                          gl_match_inputs *out)
{
    memset(out, 0, sizeof *out);
    held h = {0};
    size_t cap = 0;
    int st = matches_all(c, tenant, account, &h, out);
    if (st == GL_OK)
        st = free_rows(&h, bank, nbank, book, nbook, &cap, out);
    if (st == GL_OK && window_days && head->start && gl_date_valid(gl_date_prev(head->start)))
        st = earlier(c, tenant, account, days_before(head->start, window_days),
                     gl_date_prev(head->start), &h, &cap, out);
    free(h.seqs);
    free(h.refs);
    if (st != GL_OK)
        gl_match_inputs_free(out);
    return st;
}

void gl_match_inputs_free(gl_match_inputs *in)
{
    free(in->bank);
    free(in->book);
    for (size_t i = 0; i < in->npages; i++)
        gl_response_free(&in->pages[i]);
    free(in->pages);
    int status = in->status;
    char detail[sizeof in->detail];
    memcpy(detail, in->detail, sizeof detail);
    memset(in, 0, sizeof *in);
    in->status = status;
    memcpy(in->detail, detail, sizeof detail);
}
