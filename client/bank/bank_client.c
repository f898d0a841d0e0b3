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

int gl_client_bank_import(gl_client *c, const char *tenant, const char *account,
                          const gl_bank_statement *s, gl_bank_format format,
                          const uint8_t *file_sha256, gl_bank_import_result *out)
{
    memset(out, 0, sizeof *out);
    int st = GL_OK;
    for (size_t first = 0; st == GL_OK && first < s->n_lines; first += GL_BANK_IMPORT_MAX) {
        size_t n = s->n_lines - first;
        st = send_part(c, tenant, account, s, format, file_sha256, first,
                       n > GL_BANK_IMPORT_MAX ? GL_BANK_IMPORT_MAX : n, out);
    }
    return st;
}
