/*
 * client/web/page_bank_data.c — what the reconciliation pages read from
 * the daemon (web_bank.h): the registered bank accounts, one account's
 * BANK_RECON at a date decoded into the engine's arrays, its rules, and
 * the proposals and rule entries of client/bank/match.h computed from
 * them; the page's choice (account, date) read and written back.
 */
#include "web_bank.h"
#include "web_form.h"

#include "client/cli/date_range.h"
#include "client/cli/i18n.h"
#include "proto/entry.h"
#include "proto/status.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void copy_str(char *out, size_t cap, gl_str s)
{
    snprintf(out, cap, "%.*s", (int)s.len, s.ptr ? s.ptr : "");
}

static int call(web_req *r, gl_buf *b, bool quiet, uint16_t kind, const gl_buf *body,
                gl_response *resp)
{
    const void *data = body ? body->data : NULL;
    size_t len = body ? body->len : 0;
    if (!quiet)
        return web_call(r, b, kind, data, len, resp);
    memset(resp, 0, sizeof *resp);
    if (!r->tenant[0])
        return -1;
    int st = gl_call(r->app->c->client, kind, r->tenant, gl_request_id_random(), data, len, resp);
    if (st == GL_OK && resp->reply.status == GL_OK)
        return 0;
    gl_response_free(resp);
    return -1;
}

static int unreadable(gl_buf *b, bool quiet, gl_response *resp)
{
    if (!quiet)
        web_banner(b, _("Cannot read the daemon's reply."), true);
    gl_response_free(resp);
    return -1;
}

int web_bank_accts_load(web_req *r, gl_buf *b, bool quiet, web_bank_accts *out)
{
    out->n = 0;
    gl_response resp;
    if (call(r, b, quiet, GL_KIND_BANK_ACCOUNTS, NULL, &resp))
        return -1;
    gl_cur cur;
    gl_cur_init_stored(&cur, resp.reply.body, resp.reply.body_len);
    uint32_t n = gl_get_u32(&cur);
    for (uint32_t i = 0; i < n && gl_cur_status(&cur) == GL_OK; i++) {
        gl_bank_account_row row;
        if (gl_bank_account_row_get(&cur, &row) != GL_OK)
            break;
        if (out->n == WEB_BANK_ACCOUNTS_MAX)
            continue;
        copy_str(out->v[out->n].account, sizeof out->v[out->n].account, row.acct.account);
        copy_str(out->v[out->n].iban, sizeof out->v[out->n].iban, row.acct.iban);
        copy_str(out->v[out->n].label, sizeof out->v[out->n].label, row.acct.label);
        out->v[out->n++].lines = row.lines;
    }
    if (gl_cur_end(&cur) != GL_OK)
        return unreadable(b, quiet, &resp);
    gl_response_free(&resp);
    return 0;
}

const char *web_bank_pick_read(const web_req *r, web_bank_pick *p)
{
    bool post = r->body != NULL;
    memset(p, 0, sizeof *p);
    int a = post ? web_field(r, "account", p->account, sizeof p->account)
                 : web_arg(r, "account", p->account, sizeof p->account);
    int d = post ? web_field(r, "at", p->at_text, sizeof p->at_text)
                 : web_arg(r, "at", p->at_text, sizeof p->at_text);
    if (a != WEB_FORM_FOUND)
        p->account[0] = '\0';
    if (d != WEB_FORM_FOUND)
        p->at_text[0] = '\0';
    for (char *s = p->account; *s; s++)
        *s = (char)toupper((unsigned char)*s);
    if (a == WEB_FORM_BAD ||
        (p->account[0] && !gl_account_valid((gl_str){p->account, strlen(p->account)})))
        return _("Account: an account number (0-9 A-Z, from a class 1-9).");
    uint32_t first;
    char err[200];
    if (d == WEB_FORM_BAD ||
        (p->at_text[0] && date_span(p->at_text, &first, &p->at, err, sizeof err)))
        return _("At: a date such as 2025-03-31.");
    if (p->at) /* written back as one spelling: links, forms and file names */
        snprintf(p->at_text, sizeof p->at_text, "%04u-%02u-%02u", p->at / 10000, p->at / 100 % 100,
                 p->at % 100);
    return NULL;
}

void web_bank_pick_query(char *out, size_t cap, const web_req *r, const web_bank_pick *p)
{
    char a[3 * GL_ACCOUNT_MAX + 1], tn[3 * GL_TENANT_MAX + 1];
    web_act_pct(a, sizeof a, p->account);
    web_act_pct(tn, sizeof tn, r->tenant);
    if (p->at)
        snprintf(out, cap, "account=%s&at=%04u-%02u-%02u&tenant=%s", a, p->at / 10000,
                 p->at / 100 % 100, p->at % 100, tn);
    else
        snprintf(out, cap, "account=%s&tenant=%s", a, tn);
}

/* The rows of BANK_RECON's reply into s (views into the reply). */
static int recon_rows(gl_cur *c, web_bank_state *s)
{
    if (gl_bank_recon_head_get(c, &s->head) != GL_OK)
        return -1;
    uint32_t nb = gl_get_u32(c);
    if (gl_cur_status(c) != GL_OK || nb > GL_BANK_RECON_MAX)
        return -1;
    s->report_bank = calloc(nb ? nb : 1, sizeof *s->report_bank);
    if (!s->report_bank)
        return -1;
    for (s->report_nbank = 0; s->report_nbank < nb; s->report_nbank++)
        if (gl_bank_recon_bank_get(c, &s->report_bank[s->report_nbank].seq,
                                   &s->report_bank[s->report_nbank].line) != GL_OK)
            return -1;
    uint32_t nl = gl_get_u32(c);
    if (gl_cur_status(c) != GL_OK || nl > GL_BANK_RECON_MAX)
        return -1;
    s->report_book = calloc(nl ? nl : 1, sizeof *s->report_book);
    if (!s->report_book)
        return -1;
    for (s->report_nbook = 0; s->report_nbook < nl; s->report_nbook++)
        if (gl_bank_book_row_get(c, &s->report_book[s->report_nbook]) != GL_OK)
            return -1;
    s->more = gl_get_u8(c) != 0;
    return gl_cur_status(c) == GL_OK ? 0 : -1;
}

static int recon(web_req *r, gl_buf *b, const web_bank_pick *p, web_bank_state *s)
{
    gl_buf q;
    gl_buf_init(&q);
    gl_bank_recon_q rq = {{p->account, strlen(p->account)}, p->at, GL_BANK_RECON_LINES};
    gl_bank_recon_q_encode(&q, &rq);
    int rc = call(r, b, false, GL_KIND_BANK_RECON, &q, &s->recon_resp);
    gl_buf_free(&q);
    if (rc)
        return -1;
    gl_cur c;
    gl_cur_init_stored(&c, s->recon_resp.reply.body, s->recon_resp.reply.body_len);
    if (recon_rows(&c, s)) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        return -1;
    }
    if (s->more)
        web_banner(b,
                   _("More lines than the page shows: only the first 20,000 of each side are "
                     "listed."),
                   false);
    return 0;
}

static int rules(web_req *r, gl_buf *b, const web_bank_pick *p, web_bank_state *s)
{
    gl_buf q;
    gl_buf_init(&q);
    gl_put_str8(&q, p->account, strlen(p->account));
    int rc = call(r, b, false, GL_KIND_BANK_RULES, &q, &s->rules_resp);
    gl_buf_free(&q);
    if (rc)
        return -1;
    gl_cur c;
    gl_cur_init_stored(&c, s->rules_resp.reply.body, s->rules_resp.reply.body_len);
    uint32_t n = gl_get_u32(&c);
    if (gl_cur_status(&c) != GL_OK || n > GL_BANK_RULES_MAX)
        return unreadable(b, false, &s->rules_resp);
    s->rules = calloc(n ? n : 1, sizeof *s->rules);
    if (!s->rules)
        return -1;
    for (s->nrules = 0; s->nrules < n; s->nrules++)
        if (gl_bank_rule_get(&c, &s->rules[s->nrules]) != GL_OK) {
            web_banner(b, _("Cannot read the daemon's reply."), true);
            return -1;
        }
    return 0;
}

/* The proposals, then the rules' entries for the bank lines none covers. */
static int engine(gl_buf *b, const web_bank_pick *p, web_bank_state *s)
{
    gl_match_opts o = {GL_MATCH_WINDOW_DAYS_DEFAULT, GL_MATCH_MAX_LINES_DEFAULT};
    bool *taken = calloc(s->nbank ? s->nbank : 1, sizeof *taken);
    int rc =
        !taken || gl_match_propose(s->bank, s->nbank, s->book, s->nbook, &o, &s->props, &s->nprops);
    for (size_t i = 0; !rc && i < s->nprops; i++)
        for (uint8_t k = 0; k < s->props[i].nbank; k++)
            if (s->props[i].bank[k] < s->nbank)
                taken[s->props[i].bank[k]] = true;
    if (!rc)
        rc = gl_match_rules(s->bank, s->nbank, taken, s->rules, s->nrules,
                            (gl_str){p->account, strlen(p->account)}, &s->entries, &s->nentries);
    free(taken);
    if (rc)
        web_banner(b, _("Out of memory."), true);
    return rc ? -1 : 0;
}

/* The free lines at the date, and those just before the first statement
 * (client/bank/match_inputs.h), for the engine and the checkboxes. */
static int free_lines(web_req *r, gl_buf *b, const web_bank_pick *p, web_bank_state *s)
{
    int st = gl_match_inputs_build(r->app->c->client, r->tenant, p->account, &s->head,
                                   s->report_bank, s->report_nbank, s->report_book, s->report_nbook,
                                   GL_MATCH_WINDOW_DAYS_DEFAULT, &s->in);
    if (st != GL_OK) {
        char text[GL_DETAIL_MAX + 200];
        if (s->in.status)
            snprintf(text, sizeof text, "%s (%d): %s", _(gl_status_message(st)), st, s->in.detail);
        else
            snprintf(text, sizeof text, "%s", _(gl_status_message(st)));
        web_banner(b, text, true);
        return -1;
    }
    s->bank = s->in.bank;
    s->nbank = s->in.nbank;
    s->book = s->in.book;
    s->nbook = s->in.nbook;
    return 0;
}

int web_bank_state_load(web_req *r, gl_buf *b, const web_bank_pick *p, bool with_engine,
                        web_bank_state *s)
{
    memset(s, 0, sizeof *s);
    int rc = recon(r, b, p, s);
    if (!rc) {
        s->bank = s->report_bank;
        s->nbank = s->report_nbank;
        s->book = s->report_book;
        s->nbook = s->report_nbook;
    }
    if (!rc && with_engine)
        rc = free_lines(r, b, p, s);
    if (!rc && with_engine)
        rc = rules(r, b, p, s);
    if (!rc && with_engine)
        rc = engine(b, p, s);
    if (rc)
        web_bank_state_free(s);
    return rc;
}

void web_bank_state_free(web_bank_state *s)
{
    free(s->report_bank);
    free(s->report_book);
    gl_match_inputs_free(&s->in);
    free(s->rules);
    free(s->props);
    free(s->entries);
    gl_response_free(&s->recon_resp);
    gl_response_free(&s->rules_resp);
    memset(s, 0, sizeof *s);
}

long web_bank_find_seq(const web_bank_state *s, uint32_t seq)
{
    for (size_t i = 0; i < s->nbank; i++)
        if (s->bank[i].seq == seq)
            return (long)i;
    return -1;
}

bool web_bank_may_write(web_req *r)
{
    return !r->app->read_only && web_role(r->app) != WEB_ROLE_AUDITOR;
}

void web_bank_seq_name(char *out, size_t cap, uint32_t seq) { snprintf(out, cap, "b-%u", seq); }

void web_bank_ref_name(char *out, size_t cap, const gl_line_ref *ref)
{
    snprintf(out, cap, "l-%u-%u-%u", ref->fy, ref->num, ref->line);
}

void web_bank_ref_link(gl_buf *b, const web_req *r, const gl_line_ref *ref)
{
    web_raw(b, "<a href=\"/entry?id=");
    web_escf(b, "%u/%u", ref->fy, ref->num);
    web_tenant_arg(b, r, "&amp;");
    web_raw(b, "\">");
    web_escf(b, "%u/%u:%u", ref->fy, ref->num, ref->line);
    web_raw(b, "</a>");
}
