/*
 * client/cli/cmd_bank_match_show.c — the proposals of `bank match` as one
 * table (cmd_bank_match.h bm_show): one row per line, the proposal's
 * number, kind and sureness repeated on each; a statement line
 * ("512000:SEQ", its bank reference and label), a ledger line ("FY/NUM:LINE"
 * as `ledger` prints it, its piece and label), or the entry a rule gives
 * ("to post", or the line of the entry an earlier run posted).  Amounts
 * with the bank's sign on both sides: + money in, debit - credit in the
 * books.  In the formats for people, a title above and a count below.
 */
#include "cmd_bank_match.h"

#include "i18n.h"
#include "plural.h"

#include <stdio.h>
#include <string.h>

const char *bm_why_text(gl_match_why why)
{
    switch (why) {
    case GL_MATCH_REFERENCE: return _("reference");
    case GL_MATCH_EXACT: return _("amount");
    case GL_MATCH_GROUP: return _("grouping");
    }
    return "?";
}

static const out_col cols[] = {{"proposal", OUT_INT}, {"kind", OUT_TEXT},  {"sure", OUT_TEXT},
                               {"side", OUT_TEXT},    {"date", OUT_DATE},  {"line", OUT_REF},
                               {"piece", OUT_REF},    {"label", OUT_TEXT}, {"amount", OUT_MONEY}};

/* The cells every row of proposal `no` starts with. */
static void row_head(out_table *t, size_t no, const char *kind, bool sure, const char *side)
{
    out_int(t, (int64_t)no);
    out_cstr(t, kind);
    out_cstr(t, sure ? _("yes") : _("no"));
    out_cstr(t, side);
}

static void bank_row(out_table *t, const bm_run *r, uint32_t index)
{
    const gl_recon_bank *b = &r->in.bank[index];
    char id[GL_ACCOUNT_MAX + 16];
    snprintf(id, sizeof id, "%s:%u", r->account, b->seq);
    out_date(t, b->line.booking);
    out_cstr(t, id);
    out_text(t, b->line.bank_ref.ptr, b->line.bank_ref.len);
    out_text(t, b->line.label.ptr, b->line.label.len);
    out_money(t, b->line.amount_cents);
}

static void book_row(out_table *t, const gl_recon_book *b)
{
    char ref[32];
    bm_ref_text(b->ref, ref, sizeof ref);
    out_date(t, b->date);
    out_cstr(t, ref);
    out_text(t, b->piece.ptr, b->piece.len);
    out_text(t, b->label.ptr, b->label.len);
    out_money(t, b->amount_cents);
}

static void proposal_rows(out_table *t, const bm_run *r, size_t i)
{
    const gl_match_prop *p = &r->props[i];
    const char *kind = bm_why_text(p->why);
    for (uint8_t k = 0; k < p->nbank; k++) {
        row_head(t, i + 1, kind, p->sure, _("bank"));
        bank_row(t, r, p->bank[k]);
    }
    for (uint8_t k = 0; k < p->nbook; k++) {
        row_head(t, i + 1, kind, p->sure, _("books"));
        book_row(t, &r->in.book[p->book[k]]);
    }
}

/* A rule's entry: its bank line, then the entry's line on the bank
 * account ("journal piece: label → counterpart"). */
static void entry_rows(out_table *t, const bm_run *r, size_t i)
{
    const bm_rule_post *p = &r->posts[i];
    const gl_rule_entry *e = p->e;
    const gl_bank_rule *rule = &r->rules.v[e->rule_index];
    char kind[GL_BANK_RULE_NAME_MAX + 32], ref[32], label[GL_LABEL_MAX + GL_ACCOUNT_MAX + 16];
    snprintf(kind, sizeof kind, _("rule %.*s"), (int)rule->name.len, rule->name.ptr);
    size_t no = r->nprops + i + 1;
    row_head(t, no, kind, true, _("bank"));
    bank_row(t, r, e->bank_index);
    row_head(t, no, kind, true, _("books"));
    if (p->at.num)
        bm_ref_text(p->at, ref, sizeof ref);
    else
        snprintf(ref, sizeof ref, "%s", _("to post"));
    snprintf(label, sizeof label, "%s %s → %s", e->journal, e->label, e->counterpart);
    out_date(t, e->date);
    out_cstr(t, ref);
    out_cstr(t, e->piece);
    out_cstr(t, label);
    out_money(t, e->amount_cents);
}

static void title(const cli *c, const bm_run *r)
{
    char d[11], head[160];
    snprintf(head, sizeof head, _("Bank matching of %s (%s) at %s: "), r->account, c->tenant,
             i18n_date(r->at, d));
    char tail[200];
    snprintf(tail, sizeof tail, _("statement lines not matched: %zu, ledger lines: %zu"),
             r->in.nbank, r->in.nbook);
    out_title(stdout, head, tail);
}

static void counts(const bm_run *r)
{
    size_t sure = 0;
    for (size_t i = 0; i < r->nprops; i++)
        sure += r->props[i].sure;
    if (!r->nprops && !r->nentries) {
        printf("%s", _("nothing to match\n"));
        return;
    }
    printf(PLURAL(r->nprops, "%zu proposal (%zu sure)", "%zu proposals (%zu sure)"), r->nprops,
           sure);
    printf(PLURAL(r->nentries, ", %zu rule entry\n", ", %zu rule entries\n"), r->nentries);
}

int bm_show(const cli *c, const bm_run *r)
{
    out_table *t = out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < r->nprops; i++)
        proposal_rows(t, r, i);
    for (size_t i = 0; t && i < r->nentries; i++)
        entry_rows(t, r, i);
    if (!t)
        return cli_nomem("the proposals");
    bool people = cli_format_table(c);
    if (people)
        title(c, r);
    int rc =
        (r->nprops || r->nentries || !people) && out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    if (people)
        counts(r);
    return rc;
}
