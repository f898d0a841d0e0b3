/*
 * client/web/page_bank_match.c — the writes of Rapprochement bancaire:
 * POST /bank/match records one set (the lines checked, or a proposal's),
 * POST /bank/match-sure every sure proposal in one BANK_MATCH (all or
 * none), POST /bank/unmatch undoes a match.  The server sums the checked
 * lines again from the daemon's amounts (BANK_RECON read again, never the
 * browser's numbers) and refuses a set that does not balance, or has no
 * line on a side, before asking anything; the daemon checks it again
 * (478).  Every form carries the request id fixed when it was shown: a
 * double submit is the daemon's replay, never a second match.
 */
#include "web_bank.h"
#include "web_form.h"

#include "client/cli/i18n.h"
#include "proto/money.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The lines checked in the form.  Those among the unmatched lines are
 * summed from the daemon's amounts; one that is not (unknown, or matched
 * since: a double submit) makes the daemon the judge of the set, which
 * replays the first answer to the same request id or refuses (474-477). */
typedef struct picked {
    uint32_t seqs[GL_BANK_MATCH_SIDE_MAX];
    gl_line_ref refs[GL_BANK_MATCH_SIDE_MAX];
    size_t nbank, nbook; /* may exceed the arrays: counted all the same */
    int64_t bank_cents, book_cents;
    bool overflow, unknown;
} picked;

/* The next field name of the form body from *pos ("" past the end). */
static bool next_name(const web_req *r, size_t *pos, char *out, size_t cap)
{
    size_t n = 0;
    while (*pos < r->body_len && r->body[*pos] != '&') {
        if (r->body[*pos] == '=')
            while (*pos < r->body_len && r->body[*pos] != '&')
                (*pos)++;
        else if (n + 1 < cap)
            out[n++] = r->body[(*pos)++];
        else
            (*pos)++;
    }
    out[n] = '\0';
    if (*pos < r->body_len)
        (*pos)++;
    return n > 0 || *pos < r->body_len;
}

static void pick_bank(const web_bank_state *s, uint32_t seq, picked *k)
{
    long i = web_bank_find_seq(s, seq);
    if (k->nbank < GL_BANK_MATCH_SIDE_MAX)
        k->seqs[k->nbank] = seq;
    k->nbank++;
    if (i < 0)
        k->unknown = true;
    else
        k->overflow |= !gl_money_add(&k->bank_cents, s->bank[i].line.amount_cents);
}

static void pick_book(const web_bank_state *s, gl_line_ref ref, picked *k)
{
    if (k->nbook < GL_BANK_MATCH_SIDE_MAX)
        k->refs[k->nbook] = ref;
    k->nbook++;
    for (size_t i = 0; i < s->nbook; i++)
        if (s->book[i].ref.fy == ref.fy && s->book[i].ref.num == ref.num &&
            s->book[i].ref.line == ref.line) {
            k->overflow |= !gl_money_add(&k->book_cents, s->book[i].amount_cents);
            return;
        }
    k->unknown = true;
}

/* The checked boxes: "b-SEQ" and "l-FY-NUM-LINE" (web_bank_seq_name). */
static void pick(const web_req *r, const web_bank_state *s, picked *k)
{
    memset(k, 0, sizeof *k);
    char name[48];
    unsigned fy, num, line, seq;
    int end;
    for (size_t pos = 0; next_name(r, &pos, name, sizeof name);) {
        if (sscanf(name, "b-%u%n", &seq, &end) == 1 && !name[end] && seq)
            pick_bank(s, seq, k);
        else if (sscanf(name, "l-%u-%u-%u%n", &fy, &num, &line, &end) == 3 && !name[end] && fy &&
                 fy <= UINT16_MAX && num && line && line <= UINT16_MAX)
            pick_book(s, (gl_line_ref){(uint16_t)fy, num, (uint16_t)line}, k);
    }
}

static void money_text(char *out, size_t cap, int64_t cents)
{
    char t[GL_MONEY_TEXT_MAX];
    snprintf(out, cap, "%s", gl_money_format(cents, GL_MONEY_FRENCH, t));
}

/* Why the set cannot be a match, into why; false if it can. */
static bool refused(const picked *k, char *why, size_t cap)
{
    if (!k->nbank || !k->nbook)
        snprintf(why, cap, "%s",
                 _("Check at least one statement line and one ledger line to match them."));
    else if (k->nbank > GL_BANK_MATCH_SIDE_MAX || k->nbook > GL_BANK_MATCH_SIDE_MAX)
        snprintf(why, cap, _("At most %d lines on each side of one match."),
                 GL_BANK_MATCH_SIDE_MAX);
    else if (k->overflow)
        snprintf(why, cap, "%s", _("The sum of the checked lines overflows."));
    else if (!k->unknown && k->bank_cents != k->book_cents) {
        char a[GL_MONEY_TEXT_MAX], c[GL_MONEY_TEXT_MAX];
        money_text(a, sizeof a, k->bank_cents);
        money_text(c, sizeof c, k->book_cents);
        snprintf(why, cap,
                 _("The checked statement lines total %s and the checked ledger lines %s: a "
                   "match must balance to the cent (error 478)."),
                 a, c);
    } else
        return false;
    return true;
}

/* BANK_MATCH of the body q; 303 back with the first match id, or 0
 * after a banner in b. */
static int send(web_req *r, gl_buf *b, const web_bank_pick *p, uint64_t rid, const gl_buf *q)
{
    gl_response resp;
    if (web_act_call(r, b, GL_KIND_BANK_MATCH, rid, q->data, q->len, &resp))
        return 0;
    gl_bank_match_reply done;
    int st = gl_bank_match_reply_decode(resp.reply.body, resp.reply.body_len, &done);
    gl_response_free(&resp);
    if (st != GL_OK) {
        web_banner(b, _("Cannot read the daemon's reply."), true);
        return 0;
    }
    char id[40];
    if (done.count > 1)
        snprintf(id, sizeof id, "%" PRIu32 "-%" PRIu32, done.first_match,
                 done.first_match + done.count - 1);
    else
        snprintf(id, sizeof id, "%" PRIu32, done.first_match);
    return web_bank_back(r, p, "matched", id);
}

/* The pick of a form and its request id: NULL, or why not. */
static const char *form_head(web_req *r, web_bank_pick *p, uint64_t *rid)
{
    const char *why = web_bank_pick_read(r, p);
    *rid = web_act_rid(r);
    if (why)
        return why;
    if (!p->account[0] || !p->at)
        return _("Which bank account, at which date? Reload the page and try again.");
    if (!*rid)
        return _("This form has no request id: reload the page and try again.");
    return NULL;
}

/* The page again after a refusal written in note (banners), status 422,
 * its manual form with a fresh request id: the form's may have been spent
 * by a write that went through before the refusal (« Passer l'écriture et
 * pointer »: the entry posted, its match refused), and the daemon refuses
 * an id used for another request (202). */
static int again(web_req *r, gl_buf *b, web_bank_pick *p, const gl_buf *note)
{
    web_page_begin(b, r, _("Bank reconciliation"), "/bank");
    gl_put_bytes(b, note->data, note->len);
    web_bank_body(r, b, p, gl_request_id_random());
    web_page_end(b);
    return 422;
}

int web_bank_run(web_req *r, gl_buf *b, bool with_engine, web_bank_act act)
{
    web_bank_pick p;
    uint64_t rid;
    const char *bad = form_head(r, &p, &rid);
    if (bad)
        return web_bank_refused(r, b, &p, bad);
    gl_buf note;
    gl_buf_init(&note);
    web_bank_state s;
    int status = 0;
    if (web_bank_state_load(r, &note, &p, with_engine, &s) == 0) {
        status = act(r, &note, &p, rid, &s);
        web_bank_state_free(&s);
    }
    if (status != 303)
        status = again(r, b, &p, &note);
    gl_buf_free(&note);
    return status;
}

/* The checked lines as one set. */
static int match_checked(web_req *r, gl_buf *note, const web_bank_pick *p, uint64_t rid,
                         const web_bank_state *s)
{
    picked k;
    char why[400];
    pick(r, s, &k);
    if (refused(&k, why, sizeof why)) {
        web_banner(note, why, true);
        return 0;
    }
    gl_buf q;
    gl_buf_init(&q);
    gl_bank_match_q_head(&q, (gl_str){p->account, strlen(p->account)}, 1);
    gl_bank_match_set_put(&q, k.seqs, (uint8_t)k.nbank, k.refs, (uint8_t)k.nbook);
    int status = send(r, note, p, rid, &q);
    gl_buf_free(&q);
    return status;
}

/* with the engine: the free lines, those before the first statement included */
int form_bank_match(web_req *r, gl_buf *b) { return web_bank_run(r, b, true, match_checked); }

/* The sure proposals as one BANK_MATCH body; their count. */
static size_t sure_body(const web_bank_state *s, const web_bank_pick *p, gl_buf *q)
{
    size_t n = 0;
    for (size_t i = 0; i < s->nprops; i++)
        n += s->props[i].sure && n < GL_BANK_MATCH_BATCH_MAX;
    gl_bank_match_q_head(q, (gl_str){p->account, strlen(p->account)}, (uint16_t)n);
    size_t put = 0;
    for (size_t i = 0; i < s->nprops && put < n; i++) {
        const gl_match_prop *m = &s->props[i];
        if (!m->sure)
            continue;
        uint32_t seqs[GL_BANK_MATCH_SIDE_MAX];
        gl_line_ref refs[GL_BANK_MATCH_SIDE_MAX];
        for (uint8_t k = 0; k < m->nbank; k++)
            seqs[k] = s->bank[m->bank[k]].seq;
        for (uint8_t k = 0; k < m->nbook; k++)
            refs[k] = s->book[m->book[k]].ref;
        gl_bank_match_set_put(q, seqs, m->nbank, refs, m->nbook);
        put++;
    }
    return n;
}

static int match_sure(web_req *r, gl_buf *note, const web_bank_pick *p, uint64_t rid,
                      const web_bank_state *s)
{
    gl_buf q;
    gl_buf_init(&q);
    int status = 0;
    if (!sure_body(s, p, &q))
        web_banner(note, _("No sure proposal is left to validate."), true);
    else
        status = send(r, note, p, rid, &q);
    gl_buf_free(&q);
    return status;
}

int form_bank_match_sure(web_req *r, gl_buf *b) { return web_bank_run(r, b, true, match_sure); }

int form_bank_unmatch(web_req *r, gl_buf *b)
{
    web_bank_pick p;
    uint64_t rid;
    const char *bad = form_head(r, &p, &rid);
    char text[16] = "", *end = NULL;
    if (!bad && web_field(r, "match", text, sizeof text) == WEB_FORM_FOUND) {
        unsigned long id = strtoul(text, &end, 10);
        if (*end || !id || id > UINT32_MAX)
            bad = _("Which match? Reload the page and try again.");
        else {
            gl_buf q, note;
            gl_buf_init(&q);
            gl_buf_init(&note);
            gl_bank_unmatch_q uq = {{p.account, strlen(p.account)}, (uint32_t)id};
            gl_bank_unmatch_q_encode(&q, &uq);
            gl_response resp;
            int rc = web_act_call(r, &note, GL_KIND_BANK_UNMATCH, rid, q.data, q.len, &resp);
            gl_buf_free(&q);
            int status = rc ? again(r, b, &p, &note) : web_bank_back(r, &p, "unmatched", text);
            if (!rc)
                gl_response_free(&resp);
            gl_buf_free(&note);
            return status;
        }
    } else if (!bad)
        bad = _("Which match? Reload the page and try again.");
    return web_bank_refused(r, b, &p, bad);
}
