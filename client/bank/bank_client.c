/*
 * client/bank/bank_client.c — a bank statement to BANK_IMPORT requests
 * (bank_client.h).
 */
#include "bank_client.h"

#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

int gl_bank_import_body(gl_buf *b, const char *account, const gl_bank_statement *s,
                        gl_bank_format format, const uint8_t *file_sha256, size_t first, size_t n)
{
    gl_bank_line_w *lines = calloc(n ? n : 1, sizeof *lines);
    if (!lines)
        return GL_ERR_NOMEM;
    for (size_t i = 0; i < n; i++) {
        const gl_bank_line *l = &s->lines[first + i];
        lines[i] =
            (gl_bank_line_w){l->booking_date,    l->value_date,           l->amount_cents,
                             S(l->label),        S(l->bank_ref),          S(l->end_to_end_id),
                             S(l->counterparty), S(l->counterparty_iban), l->source_line};
    }
    bool opening = first == 0 && s->has_opening,
         closing = first + n == s->n_lines && s->has_closing;
    gl_bank_import_q q = {.account = S(account),
                          .account_id = S(s->account_id),
                          .currency = S(s->currency),
                          .statement_id = S(s->statement_id),
                          .from = s->from_date,
                          .to = s->to_date,
                          .flags = (uint8_t)((opening ? GL_BANK_HAS_OPENING : 0) |
                                             (closing ? GL_BANK_HAS_CLOSING : 0)),
                          .opening_cents = opening ? s->opening_cents : 0,
                          .closing_cents = closing ? s->closing_cents : 0,
                          .format = (uint8_t)format,
                          .file_sha256 = file_sha256,
                          .count = (uint16_t)n};
    gl_bank_import_encode(b, &q, lines);
    free(lines);
    return gl_buf_ok(b) ? GL_OK : GL_ERR_NOMEM;
}

static int send_part(gl_client *c, const char *tenant, const char *account,
                     const gl_bank_statement *s, gl_bank_format format, const uint8_t *sha,
                     size_t first, size_t n, gl_bank_import_result *out)
{
    gl_buf body;
    gl_buf_init(&body);
    int st = gl_bank_import_body(&body, account, s, format, sha, first, n);
    gl_response resp = {0};
    if (st == GL_OK)
        st = gl_call(c, GL_KIND_BANK_IMPORT, tenant, gl_request_id_random(), body.data, body.len,
                     &resp);
    gl_buf_free(&body);
    if (st == GL_OK && resp.reply.status != GL_OK) {
        st = out->status = resp.reply.status;
        snprintf(out->detail, sizeof out->detail, "%.*s", (int)resp.reply.detail.len,
                 resp.reply.detail.ptr);
        uint32_t item = resp.reply.err_item;
        out->source_line = item && item <= n ? s->lines[first + item - 1].source_line : 0;
    } else if (st == GL_OK) {
        gl_bank_import_reply r;
        if (gl_bank_import_reply_decode(resp.reply.body, resp.reply.body_len, &r) != GL_OK) {
            st = out->status = GL_ERR_BAD_REPLY;
        } else {
            out->added += r.added;
            out->already += r.already;
            out->requests++;
            if (first == 0)
                out->opening = r;
        }
    }
    gl_response_free(&resp);
    return st;
}

/* booking date order, file order within a day (qsort is not stable:
 * source_line breaks the tie) */
static int by_day(const void *a, const void *b)
{
    const gl_bank_line *x = a, *y = b;
    if (x->booking_date != y->booking_date)
        return x->booking_date < y->booking_date ? -1 : 1;
    return (x->source_line > y->source_line) - (x->source_line < y->source_line);
}

/* How many lines from first the next request carries: at most
 * GL_BANK_IMPORT_MAX, and never a day cut in two, because the daemon
 * counts a day's identical lines without a bank reference (the n-th
 * identical (date, amount, label) of a day is the n-th) within one
 * request against those stored: two identical lines of one day sent in
 * two requests would be taken for one line sent twice.  0 when a single
 * day holds more lines than a request. */
static size_t part_len(const gl_bank_statement *s, size_t first)
{
    size_t n = s->n_lines - first;
    if (n <= GL_BANK_IMPORT_MAX)
        return n;
    for (size_t k = GL_BANK_IMPORT_MAX; k > 0; k--)
        if (s->lines[first + k - 1].booking_date != s->lines[first + k].booking_date)
            return k;
    return 0;
}

int gl_client_bank_import(gl_client *c, const char *tenant, const char *account,
                          const gl_bank_statement *s, gl_bank_format format,
                          const uint8_t *file_sha256, gl_bank_import_result *out)
{
    memset(out, 0, sizeof *out);
    gl_bank_statement sorted = *s;
    if (s->n_lines > GL_BANK_IMPORT_MAX) {
        if (!(sorted.lines = malloc(s->n_lines * sizeof *s->lines)))
            return GL_ERR_NOMEM;
        memcpy(sorted.lines, s->lines, s->n_lines * sizeof *s->lines);
        qsort(sorted.lines, s->n_lines, sizeof *s->lines, by_day);
    }
    int st = GL_OK;
    for (size_t first = 0, n; st == GL_OK && first < sorted.n_lines; first += n) {
        if (!(n = part_len(&sorted, first))) {
            st = out->status = GL_ERR_COUNT_LIMIT;
            snprintf(out->detail, sizeof out->detail,
                     "a single day holds more than %d lines: split the file by day",
                     GL_BANK_IMPORT_MAX);
            break;
        }
        st = send_part(c, tenant, account, &sorted, format, file_sha256, first, n, out);
    }
    if (sorted.lines != s->lines)
        free(sorted.lines);
    return st;
}
