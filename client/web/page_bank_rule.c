/*
 * client/web/page_bank_rule.c — the rules of Rapprochement bancaire:
 * « Créer une règle » from a statement line (GET /bank/rule?seq=N: a form
 * prefilled from the line — a name and a pattern from its label, journal
 * BQ, any amount — the counterpart account to give), sent as
 * BANK_RULE_SET (POST /bank/rule); and « Passer l'écriture et pointer »
 * (POST /bank/rule-entry): the entry a rule gives for a line no proposal
 * covers, computed again on the server, posted (an ordinary POST signed
 * by the user) and then matched with its line (BANK_MATCH), the bodies
 * built by client/bank/rule_entry.c as the CLI's `bank match` builds them.
 */
#include "web_bank.h"
#include "web_books.h"
#include "web_form.h"

#include "client/bank/rule_entry.h"
#include "client/cli/i18n.h"
#include "proto/money.h"
#include "proto/reply.h"
#include "proto/textfold.h"

#include <ctype.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The rule's fields as typed. */
typedef struct rule_form {
    char name[GL_BANK_RULE_NAME_MAX + 1], pattern[GL_BANK_RULE_PATTERN_MAX + 1],
        counterpart[GL_ACCOUNT_MAX + 1], min[32], max[32], journal[GL_JOURNAL_MAX + 1],
        label[GL_LABEL_MAX + 1], seq[16];
} rule_form;

/* Text cut to at most cap - 1 bytes at a character boundary. */
static void cut_copy(char *out, size_t cap, const char *s, size_t len)
{
    if (len >= cap) {
        len = cap - 1;
        while (len && ((unsigned char)s[len] & 0xC0) == 0x80)
            len--;
    }
    memcpy(out, s, len);
    out[len] = '\0';
}

/* "PRLV SEPA URSSAF 123" gives the name "prlv-sepa-urssaf" and the
 * pattern "PRLV SEPA URSSAF": the label before its first digit. */
static void prefill(rule_form *f, gl_str label)
{
    size_t n = 0;
    while (n < label.len && !isdigit((unsigned char)label.ptr[n]))
        n++;
    while (n && label.ptr[n - 1] == ' ')
        n--;
    if (!n)
        n = label.len;
    cut_copy(f->pattern, sizeof f->pattern, label.ptr, n);
    char folded[GL_LABEL_MAX + 1];
    size_t k = gl_text_fold(label.ptr, n < GL_LABEL_MAX ? n : GL_LABEL_MAX, folded);
    size_t o = 0;
    for (size_t i = 0; i < k && o < GL_BANK_RULE_NAME_MAX; i++) {
        unsigned char ch = (unsigned char)folded[i];
        if (isalnum(ch) && ch < 0x80)
            f->name[o++] = (char)tolower(ch);
        else if (o && f->name[o - 1] != '-')
            f->name[o++] = '-';
    }
    while (o && f->name[o - 1] == '-')
        o--;
    f->name[o] = '\0';
    snprintf(f->journal, sizeof f->journal, "BQ");
}

static void text_field(gl_buf *b, const char *name, const char *label, const char *value,
                       const char *extra)
{
    web_raw(b, "<div class=\"field\"><label for=\"rule-");
    web_raw(b, name);
    web_raw(b, "\">");
    web_esc(b, label);
    web_raw(b, "</label><input id=\"rule-");
    web_raw(b, name);
    web_raw(b, "\" name=\"");
    web_raw(b, name);
    web_raw(b, "\" value=\"");
    web_esc(b, value);
    web_raw(b, "\"");
    web_raw(b, extra);
    web_raw(b, "></div>\n");
}

static void rule_form_write(gl_buf *b, web_req *r, const web_bank_pick *p, const rule_form *f,
                            uint64_t rid)
{
    web_raw(b, "<form class=\"search\" method=\"post\" action=\"/bank/rule\">");
    web_bank_hidden(b, r, p, rid);
    web_raw(b, "<input type=\"hidden\" name=\"seq\" value=\"");
    web_esc(b, f->seq);
    web_raw(b, "\">");
    text_field(b, "name", _("Name (a-z, 0-9, - and _)"), f->name, " required");
    text_field(b, "pattern", _("Pattern of the label (* for any text)"), f->pattern, " required");
    text_field(b, "counterpart", _("Counterpart account"), f->counterpart,
               " required placeholder=\"627000\"");
    text_field(b, "min", _("Amount from (empty: any)"), f->min, " inputmode=\"decimal\"");
    text_field(b, "max", _("Amount to"), f->max, " inputmode=\"decimal\"");
    text_field(b, "journal", _("Journal"), f->journal, "");
    text_field(b, "label", _("Entry label (empty: the line's)"), f->label, "");
    web_raw(b, "<button>");
    web_esc(b, _("Save the rule"));
    web_raw(b, "</button></form>\n");
}

static void rule_page(gl_buf *b, web_req *r, const web_bank_pick *p, const rule_form *f,
                      const char *why)
{
    web_page_begin(b, r, _("Create a rule"), "/bank");
    if (why)
        web_banner(b, why, true);
    web_raw(b, "<p>");
    web_esc(b,
            _("A rule gives the entry of a recurring bank line that is not in the books (bank "
              "fees, a direct debit, interest): the reconciliation then proposes it, posted only "
              "when you confirm it."));
    web_raw(b, "</p>\n");
    if (web_bank_may_write(r))
        rule_form_write(b, r, p, f, web_act_rid(r) ? web_act_rid(r) : gl_request_id_random());
    web_page_end(b);
}

int page_bank_rule(web_req *r, gl_buf *b)
{
    web_bank_pick p;
    rule_form f;
    memset(&f, 0, sizeof f);
    const char *why = web_bank_pick_read(r, &p);
    if (!why && web_arg(r, "seq", f.seq, sizeof f.seq) == WEB_FORM_FOUND && p.account[0] && p.at) {
        gl_buf note;
        gl_buf_init(&note);
        web_bank_state s;
        if (web_bank_state_load(r, &note, &p, false, &s) == 0) {
            long i = web_bank_find_seq(&s, (uint32_t)strtoul(f.seq, NULL, 10));
            if (i >= 0)
                prefill(&f, s.bank[i].line.label);
            web_bank_state_free(&s);
        }
        gl_buf_free(&note);
    }
    if (!f.journal[0])
        snprintf(f.journal, sizeof f.journal, "BQ");
    rule_page(b, r, &p, &f, why);
    return 200;
}

static void read_form(const web_req *r, rule_form *f)
{
    memset(f, 0, sizeof *f);
    web_field(r, "name", f->name, sizeof f->name);
    web_field(r, "pattern", f->pattern, sizeof f->pattern);
    web_field(r, "counterpart", f->counterpart, sizeof f->counterpart);
    web_field(r, "min", f->min, sizeof f->min);
    web_field(r, "max", f->max, sizeof f->max);
    web_field(r, "journal", f->journal, sizeof f->journal);
    web_field(r, "label", f->label, sizeof f->label);
    web_field(r, "seq", f->seq, sizeof f->seq);
    for (char *s = f->counterpart; *s; s++)
        *s = (char)toupper((unsigned char)*s);
    for (char *s = f->journal; *s; s++)
        *s = (char)toupper((unsigned char)*s);
}

/* What is wrong with the field proto/bank_rule.c names. */
static const char *field_why(const char *field)
{
    static const struct {
        const char *field, *why;
    } whys[] = {
        {"name", N_("Name: 1 to 32 of a-z, 0-9, - and _, such as frais-bancaires.")},
        {"pattern", N_("Pattern: 1 to 64 characters of the bank's label, * for any text.")},
        {"amount range", N_("Amounts: the first bound at most the second, not both 0.")},
        {"counterpart", N_("Counterpart account: an account number such as 627000.")},
        {"journal", N_("Journal: a journal code such as BQ.")},
        {"label", N_("Entry label: text, or empty for the line's label.")},
    };
    for (size_t i = 0; i < sizeof whys / sizeof whys[0]; i++)
        if (!strcmp(whys[i].field, field))
            return _(whys[i].why);
    return _("The rule is not valid.");
}

/* The rule of the form: NULL, or why it is wrong. */
static const char *to_rule(const rule_form *f, gl_bank_rule *out)
{
    memset(out, 0, sizeof *out);
    if ((f->min[0] != 0) != (f->max[0] != 0))
        return _(
            "Amounts: give both bounds (such as -50,00 and -0,01), or neither for any "
            "amount.");
    if (f->min[0] && (!gl_money_parse(f->min, strlen(f->min), &out->min_cents) ||
                      !gl_money_parse(f->max, strlen(f->max), &out->max_cents)))
        return _("Amounts: an amount such as -50,00.");
    out->name = (gl_str){f->name, strlen(f->name)};
    out->pattern = (gl_str){f->pattern, strlen(f->pattern)};
    out->counterpart = (gl_str){f->counterpart, strlen(f->counterpart)};
    out->journal = (gl_str){f->journal, strlen(f->journal)};
    out->label = (gl_str){f->label, strlen(f->label)};
    /* the rule's own check names the field at fault (whatever its
     * boolean says, proto/bank_rule.h) */
    const char *field = NULL;
    (void)gl_bank_rule_check(out, &field);
    if (field || !out->counterpart.len)
        return field_why(field ? field : "counterpart");
    return NULL;
}

int form_bank_rule(web_req *r, gl_buf *b)
{
    web_bank_pick p;
    rule_form f;
    read_form(r, &f);
    const char *why = web_bank_pick_read(r, &p);
    uint64_t rid = web_act_rid(r);
    gl_bank_rule rule;
    if (!why && !rid)
        why = _("This form has no request id: reload the page and try again.");
    if (!why && !p.account[0])
        why = _("Which bank account? Reload the page and try again.");
    if (!why)
        why = to_rule(&f, &rule);
    if (why) {
        rule_page(b, r, &p, &f, why);
        return 422;
    }
    gl_bank_rule_set_q q = {{p.account, strlen(p.account)}, GL_BANK_RULE_SET_OP, rule};
    gl_buf body, note;
    gl_buf_init(&body);
    gl_buf_init(&note);
    gl_bank_rule_set_q_encode(&body, &q);
    gl_response resp;
    int rc = web_act_call(r, &note, GL_KIND_BANK_RULE_SET, rid, body.data, body.len, &resp);
    gl_buf_free(&body);
    int status = 303;
    if (rc) {
        web_page_begin(b, r, _("Create a rule"), "/bank");
        gl_put_bytes(b, note.data, note.len);
        rule_form_write(b, r, &p, &f, gl_request_id_random()); /* the id is spent */
        web_page_end(b);
        status = 422;
    } else {
        gl_response_free(&resp);
        web_bank_back(r, &p, "rule", f.name);
    }
    gl_buf_free(&note);
    return status;
}

/* The entry a rule gives for the line seq, or NULL. */
static const gl_rule_entry *entry_of(const web_bank_state *s, uint32_t seq)
{
    for (size_t i = 0; i < s->nentries; i++)
        if (s->bank[s->entries[i].bank_index].seq == seq)
            return &s->entries[i];
    return NULL;
}

/* POST the entry, then BANK_MATCH it with its line; 303, or 0 after a
 * banner in note. */
static int post_and_match(web_req *r, gl_buf *note, const web_bank_pick *p, uint64_t rid,
                          const gl_rule_entry *e, uint32_t seq)
{
    gl_buf body;
    gl_buf_init(&body);
    int st = gl_rule_entry_post_body(&body, r->tenant, e);
    gl_response resp;
    if (st != GL_OK || web_act_call(r, note, GL_KIND_POST, rid, body.data, body.len, &resp)) {
        if (st != GL_OK)
            web_banner(note, _(gl_status_message(st)), true);
        gl_buf_free(&body);
        return 0;
    }
    gl_reply_post done;
    gl_reply_post_iter it;
    gl_reply_post_row row = {0, 0};
    if (gl_reply_post_decode(gl_reply_view(resp.reply.body, resp.reply.body_len), &done) == GL_OK) {
        gl_reply_post_iter_init(&it, &done);
        gl_reply_post_next(&it, &row);
    }
    gl_response_free(&resp);
    char id[32];
    snprintf(id, sizeof id, "%u/%" PRIu32, row.fy, row.num);
    gl_buf_reset(&body);
    gl_rule_entry_match_body(&body, e, seq, row.fy, row.num);
    /* the second write of the same form: its own request id, fixed by the
     * first, so that a double submit replays both */
    int rc = row.num ? web_act_call(r, note, GL_KIND_BANK_MATCH, rid + 1 ? rid + 1 : 1, body.data,
                                    body.len, &resp)
                     : -1;
    gl_buf_free(&body);
    if (rc) {
        char text[200];
        snprintf(text, sizeof text,
                 _("Entry %s was posted but not matched: match it with its line below."), id);
        web_banner(note, text, true);
        return 0;
    }
    gl_response_free(&resp);
    return web_bank_back(r, p, "posted", id);
}

static int rule_entry_act(web_req *r, gl_buf *note, const web_bank_pick *p, uint64_t rid,
                          const web_bank_state *s)
{
    char seq_text[16] = "", *end = NULL;
    unsigned long seq = 0;
    if (web_field(r, "seq", seq_text, sizeof seq_text) == WEB_FORM_FOUND)
        seq = strtoul(seq_text, &end, 10);
    const gl_rule_entry *e = seq && !*end && seq <= UINT32_MAX ? entry_of(s, (uint32_t)seq) : NULL;
    if (!e) {
        web_banner(note,
                   _("No rule gives an entry for this line any more (it is matched, or the "
                     "rule changed): nothing was posted."),
                   true);
        return 0;
    }
    return post_and_match(r, note, p, rid, e, (uint32_t)seq);
}

int form_bank_rule_entry(web_req *r, gl_buf *b) { return web_bank_run(r, b, true, rule_entry_act); }
