/*
 * client/web/page_bank_matches.c — the matches of one bank account
 * (BANK_MATCHES, every page), newest first: number, state, the statement
 * lines (their date, label and amount, from BANK_LINES), the ledger lines,
 * the amount, and « Dépointer » for an active one (POST /bank/unmatch,
 * page_bank_match.c).  Undone matches stay listed: the chain keeps them.
 */
#include "web_bank.h"
#include "web_books.h"
#include "web_util.h"

#include "client/cli/i18n.h"
#include "proto/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The replies of every page of one list, kept (the rows point into them). */
typedef struct pages {
    gl_response *v;
    size_t n;
} pages;

static void pages_free(pages *p)
{
    for (size_t i = 0; i < p->n; i++)
        gl_response_free(&p->v[i]);
    free(p->v);
    memset(p, 0, sizeof *p);
}

static gl_response *pages_add(pages *p)
{
    gl_response *v = realloc(p->v, (p->n + 1) * sizeof *v);
    if (!v)
        return NULL;
    p->v = v;
    memset(&v[p->n], 0, sizeof v[p->n]);
    return &v[p->n++];
}

/* The bank lines of the account, by seq (the statement's side of a match). */
typedef struct blines {
    pages pg;
    gl_bank_row *v;
    size_t n;
} blines;

/* One page of a list asked of the daemon (body freed): c on its rows,
 * after their count and the `more` flag.  0, or -1 (a banner if the
 * daemon refused). */
static int page_rows(web_req *r, gl_buf *b, uint16_t kind, gl_buf *body, pages *pg, gl_cur *c,
                     uint32_t *count, bool *more)
{
    gl_response *resp = pages_add(pg);
    int rc = resp ? web_call(r, b, kind, body->data, body->len, resp) : -1;
    gl_buf_free(body);
    if (rc)
        return -1;
    gl_cur_init_stored(c, resp->reply.body, resp->reply.body_len);
    *count = gl_get_u32(c);
    *more = gl_get_u8(c) != 0 && *count > 0;
    return gl_cur_status(c) == GL_OK && *count <= GL_BANK_PAGE_MAX ? 0 : -1;
}

static int blines_page(web_req *r, gl_buf *b, gl_bank_lines_q *q, blines *l, bool *more)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_lines_q_encode(&body, q);
    gl_cur c;
    uint32_t count;
    if (page_rows(r, b, GL_KIND_BANK_LINES, &body, &l->pg, &c, &count, more))
        return -1;
    gl_bank_row *v = realloc(l->v, (l->n + count + 1) * sizeof *v);
    if (!v)
        return -1;
    l->v = v;
    for (; count > 0 && gl_bank_row_get(&c, &l->v[l->n]) == GL_OK; count--) {
        q->after_date = l->v[l->n].line.booking;
        q->after_seq = l->v[l->n++].seq;
    }
    return gl_cur_end(&c) == GL_OK ? 0 : -1;
}

static int blines_load(web_req *r, gl_buf *b, const web_bank_pick *p, blines *l)
{
    memset(l, 0, sizeof *l);
    gl_bank_lines_q q = {{p->account, strlen(p->account)}, 0, 0, 0, 0};
    bool more = true;
    while (more)
        if (blines_page(r, b, &q, l, &more))
            return -1;
    return 0;
}

static const gl_bank_row *bline(const blines *l, uint32_t seq)
{
    for (size_t i = 0; i < l->n; i++)
        if (l->v[i].seq == seq)
            return &l->v[i];
    return NULL;
}

/* Every match of the account (rows pointing into pg). */
typedef struct mlist {
    pages pg;
    gl_bank_match_row *v;
    size_t n;
} mlist;

static int mlist_page(web_req *r, gl_buf *b, gl_bank_matches_q *q, mlist *m, bool *more)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_matches_q_encode(&body, q);
    gl_cur c;
    uint32_t count;
    if (page_rows(r, b, GL_KIND_BANK_MATCHES, &body, &m->pg, &c, &count, more))
        return -1;
    gl_bank_match_row *v = realloc(m->v, (m->n + count + 1) * sizeof *v);
    if (!v)
        return -1;
    m->v = v;
    for (; count > 0 && gl_bank_match_row_get(&c, &m->v[m->n]) == GL_OK; count--)
        q->after = m->v[m->n++].match;
    return gl_cur_end(&c) == GL_OK ? 0 : -1;
}

static int mlist_load(web_req *r, gl_buf *b, const web_bank_pick *p, mlist *m)
{
    memset(m, 0, sizeof *m);
    gl_bank_matches_q q = {{p->account, strlen(p->account)}, 0, GL_BANK_PAGE_MAX};
    bool more = true;
    while (more)
        if (mlist_page(r, b, &q, m, &more))
            return -1;
    return 0;
}

static void unmatch_form(gl_buf *b, web_req *r, const web_bank_pick *p, uint32_t id)
{
    web_raw(b, "<form class=\"inline\" method=\"post\" action=\"/bank/unmatch\">");
    web_bank_hidden(b, r, p, gl_request_id_random());
    web_markf(b, "<input type=\"hidden\" name=\"match\" value=\"%" PRIu32 "\">", id);
    web_raw(b, "<button class=\"secondary\" aria-label=\"");
    char text[80];
    snprintf(text, sizeof text, _("Unmatch match %u"), (unsigned)id);
    web_esc(b, text);
    web_raw(b, "\">");
    web_esc(b, _("Unmatch"));
    web_raw(b, "</button></form>");
}

static void match_row(gl_buf *b, web_req *r, const web_bank_pick *p, const blines *l,
                      const gl_bank_match_row *m, bool may_write)
{
    bool active = m->state == GL_BANK_MATCH_ACTIVE;
    web_raw(b, active ? "<tr>" : "<tr class=\"undone\">");
    web_markf(b, "<td>%" PRIu32 "</td><td>", m->match);
    web_esc(b, active ? _("active") : _("undone"));
    web_raw(b, "</td><td>");
    int64_t sum = 0;
    bool known = true;
    for (uint8_t k = 0; k < m->set.nbank; k++) {
        const gl_bank_row *x = bline(l, gl_bank_match_seq(&m->set, k));
        if (k)
            web_raw(b, "<br>");
        if (!x) {
            web_escf(b, "#%" PRIu32, gl_bank_match_seq(&m->set, k));
            known = false;
            continue;
        }
        web_date(b, x->line.booking);
        web_raw(b, " ");
        web_escape(b, x->line.label.ptr, x->line.label.len);
        known &= gl_money_add(&sum, x->line.amount_cents);
    }
    web_raw(b, "</td><td>");
    for (uint8_t k = 0; k < m->set.nbook; k++) {
        gl_line_ref ref = gl_bank_match_ref(&m->set, k);
        if (k)
            web_raw(b, "<br>");
        web_bank_ref_link(b, r, &ref);
    }
    web_raw(b, "</td>");
    if (known)
        web_money_td(b, sum);
    else
        web_raw(b, "<td></td>");
    web_raw(b, "<td>");
    if (active && may_write)
        unmatch_form(b, r, p, m->match);
    web_raw(b, "</td></tr>\n");
}

void web_bank_matches(web_req *r, gl_buf *b, const web_bank_pick *p, bool may_write)
{
    mlist m = {0};
    blines l = {0};
    if (mlist_load(r, b, p, &m) == 0 && blines_load(r, b, p, &l) == 0) {
        web_raw(b, "<h2>");
        web_esc(b, _("Matches"));
        web_raw(b, "</h2>\n");
        if (!m.n) {
            web_raw(b, "<p>");
            web_esc(b, _("No match recorded yet."));
            web_raw(b, "</p>\n");
        } else {
            web_raw(b, "<table class=\"matches\"><thead><tr>");
            web_th(b, _("No."), false);
            web_th(b, _("State"), false);
            web_th(b, _("Statement lines"), false);
            web_th(b, _("Ledger lines"), false);
            web_th(b, _("Amount"), true);
            web_th(b, "", false);
            web_raw(b, "</tr></thead><tbody>\n");
            for (size_t i = m.n; i-- > 0;)
                match_row(b, r, p, &l, &m.v[i], may_write);
            web_raw(b, "</tbody></table>\n");
        }
    }
    pages_free(&m.pg);
    free(m.v);
    pages_free(&l.pg);
    free(l.v);
}
