/*
 * client/cli/cmd_impairment.c — `grandlivre impairment` (issue 17): the
 * year-end entries of doubtful debts (créances douteuses), proposed from
 * the items open at DATE (receivables.h), printed, posted only with
 * --post (one signed POST of up to three entries, journal OD, dated DATE):
 *   1. transfer of the doubtful items of 411… (overdue by more than --days,
 *      default 180) to 416000, per account and third party;
 *   2. reversal of the dépréciation standing on 491… the day before DATE
 *      (last year's): 491000 / 781740;
 *   3. the new dépréciation, --rate % (default 100) of each doubtful item,
 *      those of 416… included, rounded per item: 681740 / 491000.
 * The associations bill these services without VAT, so the amount
 * excluding tax is the item's amount; where an item bears VAT, the
 * transfer to 416 keeps the amount with tax and the dépréciation's base is
 * the amount without it (a later option: --vat-rate).
 */
#include "cli.h"
#include "aging.h"
#include "i18n.h"
#include "receivables.h"

#include "client/input/entry_set.h"
#include "proto/date.h"
#include "proto/kinds.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre impairment --tenant T --at DATE [--rate PCT] [--days N]\n"
    "                             [--terms DAYS] [--post]\n"
    "\n"
    "The year-end entries of doubtful debts at DATE (journal OD, dated DATE):\n"
    "the transfer of each third party's items of 411… overdue by more than N\n"
    "days (--days, default 180; due: date + --terms, default 30 days) to 416000\n"
    "(créances douteuses); the reversal of the dépréciation standing on 491…\n"
    "the day before (491000 / 781740); the new dépréciation, PCT % (--rate,\n"
    "default 100, up to two decimals) of each doubtful item, those already on\n"
    "416… included, on its amount without tax (these services bear no VAT):\n"
    "681740 / 491000. Prints them; --post posts them in one signed request.\n"
    "Run it once per year end: after --post, letter the items of 411… with\n"
    "their transfer line (grandlivre letter), so that they are no longer open.\n";

enum { OPT_AT = 2000, OPT_RATE, OPT_DAYS, OPT_TERMS, OPT_POST };

struct imp_opts {
    const char *at, *rate, *days, *terms;
    bool post;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct imp_opts *o = user;
    switch (opt) {
    case OPT_AT: o->at = arg; return 0;
    case OPT_RATE: o->rate = arg; return 0;
    case OPT_DAYS: o->days = arg; return 0;
    case OPT_TERMS: o->terms = arg; return 0;
    case OPT_POST: o->post = true; return 0;
    default: return EXIT_USAGE;
    }
}

/* --rate: a percentage 0-100 with up to two decimals, in basis points. */
static int parse_rate(const char *arg, unsigned *bp)
{
    int64_t cents;
    if (!gl_money_parse(arg, strlen(arg), &cents) || cents < 0 || cents > 10000) {
        cli_error("--rate %s: a percentage from 0 to 100, up to two decimals", arg);
        return EXIT_USAGE;
    }
    *bp = (unsigned)cents;
    return 0;
}

/* The lines of the proposal, with the texts they point to. */
#define IMP_LINES_MAX GL_LINES_MAX /* one entry's */
typedef struct proposal {
    gl_line_in transfer[IMP_LINES_MAX], reversal[2], dotation[2];
    char aux[IMP_LINES_MAX][GL_AUX_MAX + 1], account[IMP_LINES_MAX][GL_ACCOUNT_MAX + 1];
    char piece[16];
    size_t transfer_n;
    int64_t transferred, base_dotation, dotation_cents, reversal_cents;
} proposal;

static bool is_doubtful(const rcv_item *i, uint32_t at, unsigned days)
{
    return i->cents > 0 && aging_days_overdue(at, i->date, i->terms_days) > (int64_t)days;
}

/* Transfer lines (a debit on 416000 and a credit on the item's account
 * per account and third party) and the dotation's total. */
static int build_transfer(proposal *p, const rcv_items *it, uint32_t at, unsigned days,
                          unsigned rate_bp)
{
    for (size_t g = 0; g < it->n;) {
        size_t e = g;
        int64_t sum = 0;
        for (; e < it->n && !strcmp(it->v[e].account, it->v[g].account) &&
               !strcmp(it->v[e].aux, it->v[g].aux);
             e++) {
            const rcv_item *x = &it->v[e];
            bool on_416 = !strncmp(x->account, "416", 3);
            if (on_416 ? x->cents <= 0 : !is_doubtful(x, at, days))
                continue;
            int64_t dep;
            if (!aging_impairment(x->cents, rate_bp, &dep) ||
                !gl_money_add(&p->dotation_cents, dep) ||
                !gl_money_add(&p->base_dotation, x->cents) ||
                (!on_416 && !gl_money_add(&sum, x->cents)))
                return -1;
        }
        if (sum > 0) {
            if (p->transfer_n + 2 > IMP_LINES_MAX || !gl_money_add(&p->transferred, sum))
                return -1;
            size_t k = p->transfer_n;
            snprintf(p->aux[k], sizeof p->aux[k], "%s", it->v[g].aux);
            snprintf(p->account[k], sizeof p->account[k], "%s", it->v[g].account);
            p->transfer[k] = (gl_line_in){"416000", p->aux[k], "", "", GL_SIDE_DEBIT, sum};
            p->transfer[k + 1] =
                (gl_line_in){p->account[k], p->aux[k], "", "", GL_SIDE_CREDIT, sum};
            p->transfer_n += 2;
        }
        g = e;
    }
    return 0;
}

/* The balance of the accounts 491… at `at` (debit - credit). */
static int balance_491(cli *c, uint32_t at, int64_t *out)
{
    gl_balance_q q = {.at = at};
    gl_buf body;
    gl_buf_init(&body);
    gl_balance_q_encode(&body, &q);
    gl_response resp;
    int rc = cli_call(c, GL_KIND_BALANCE, c->tenant, body.data, body.len, &resp);
    *out = 0;
    if (rc == 0) {
        gl_reply_balance r;
        int st = gl_reply_balance_decode_flags(gl_reply_view(resp.reply.body, resp.reply.body_len),
                                               0, &r);
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        gl_reply_balance_iter_init(&it, &r);
        while (st == GL_OK && gl_reply_balance_next(&it, &row) == 1)
            if (row.account.len >= 3 && !memcmp(row.account.ptr, "491", 3) &&
                (!gl_money_add(out, row.debit) || !gl_money_sub(out, row.credit)))
                st = GL_ERR_OVERFLOW;
        if (st != GL_OK) {
            cli_error("cannot read the daemon's reply (balance of 491)");
            rc = EXIT_REFUSED;
        }
    }
    gl_response_free(&resp);
    gl_buf_free(&body);
    return rc;
}

static void add_entry(gl_entry_set *set, const char *tenant, uint32_t at, const char *piece,
                      const char *label, const gl_line_in *lines, size_t n, int *rc)
{
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = piece,
                     .label = label,
                     .date = at,
                     .piece_date = at,
                     .lines = lines,
                     .line_count = n};
    if (*rc == 0 && n && gl_entry_set_add(set, &e, 0))
        *rc = cli_nomem("the entries");
}

static void entry_rows(out_table *t, size_t number, const gl_entry_in *e)
{
    char n[8];
    snprintf(n, sizeof n, "%zu", number);
    for (size_t i = 0; i < e->line_count; i++) {
        const gl_line_in *l = &e->lines[i];
        out_cstr(t, n);
        out_cstr(t, e->label);
        out_cstr(t, l->account);
        out_cstr(t, l->aux);
        out_money(t, l->side == GL_SIDE_DEBIT ? l->amount_cents : 0);
        out_money(t, l->side == GL_SIDE_CREDIT ? l->amount_cents : 0);
    }
}

static int print_proposal(const cli *c, const gl_entry_set *set, const proposal *p, uint32_t at,
                          unsigned rate_bp)
{
    static const out_col cols[] = {{"entry", OUT_TEXT},   {"label", OUT_TEXT},
                                   {"account", OUT_TEXT}, {"aux", OUT_TEXT},
                                   {"debit", OUT_MONEY},  {"credit", OUT_MONEY}};
    out_table *t = out_new(cols, 6);
    for (size_t i = 0; t && i < set->count; i++)
        entry_rows(t, i + 1, &set->entries[i]);
    if (!t)
        return cli_nomem("the table");
    if (c->format == OUT_TABLE || c->format == OUT_TABLE_FR) {
        char d[11], r[GL_MONEY_TEXT_MAX], b[GL_MONEY_TEXT_MAX];
        gl_money_format(rate_bp, GL_MONEY_COMMA, r);
        gl_money_format(p->base_dotation, GL_MONEY_FRENCH, b);
        printf(_("Impairment of doubtful debts — %s — at %s: base %s, rate %s %%\n"), c->tenant,
               i18n_date(at, d), b, r);
        if (!set->count)
            printf("%s\n", _("No doubtful debt and no dépréciation to reverse: nothing to post."));
    }
    int rc = out_render(t, c->format, stdout) ? EXIT_USAGE : 0;
    out_free(t);
    return rc;
}

static int propose(cli *c, uint32_t at, unsigned days, unsigned terms, unsigned rate_bp,
                   proposal *p, gl_entry_set *set)
{
    rcv_items r411, r416;
    int rc = rcv_collect(c, "411", at, false, terms, &r411);
    if (rc)
        return rc;
    rc = rcv_collect(c, "416", at, false, terms, &r416);
    if (rc == 0 && (build_transfer(p, &r411, at, days, rate_bp) ||
                    build_transfer(p, &r416, at, days, rate_bp))) {
        cli_error("the amounts overflow, or more than %d transfer lines", IMP_LINES_MAX);
        rc = EXIT_REFUSED;
    }
    rcv_items_free(&r411);
    rcv_items_free(&r416);
    int64_t standing = 0;
    if (rc == 0 && (rc = balance_491(c, gl_date_prev(at), &standing)) == 0)
        p->reversal_cents = standing < 0 ? -standing : 0;
    snprintf(p->piece, sizeof p->piece, "DEP-%u", at / 10000);
    p->reversal[0] = (gl_line_in){"491000", "", "", "", GL_SIDE_DEBIT, p->reversal_cents};
    p->reversal[1] = (gl_line_in){"781740", "", "", "", GL_SIDE_CREDIT, p->reversal_cents};
    p->dotation[0] = (gl_line_in){"681740", "", "", "", GL_SIDE_DEBIT, p->dotation_cents};
    p->dotation[1] = (gl_line_in){"491000", "", "", "", GL_SIDE_CREDIT, p->dotation_cents};
    add_entry(set, c->tenant, at, p->piece, "Transfert en créances douteuses", p->transfer,
              p->transfer_n, &rc);
    add_entry(set, c->tenant, at, p->piece, "Reprise des dépréciations de créances antérieures",
              p->reversal, p->reversal_cents ? 2 : 0, &rc);
    add_entry(set, c->tenant, at, p->piece, "Dépréciation des créances douteuses", p->dotation,
              p->dotation_cents ? 2 : 0, &rc);
    return rc;
}

int cmd_impairment(int argc, char **argv)
{
    static const struct option extra[] = {
        {"post", no_argument, NULL, OPT_POST},       {"at", required_argument, NULL, OPT_AT},
        {"rate", required_argument, NULL, OPT_RATE}, {"terms", required_argument, NULL, OPT_TERMS},
        {"days", required_argument, NULL, OPT_DAYS}, {0}};
    struct imp_opts o = {0};
    cli c;
    int rc = rcv_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    uint32_t at;
    if (!o.at) {
        cli_error("--at DATE is required: the date of the year-end entries");
        return EXIT_USAGE;
    }
    unsigned days = 180, terms = 30, rate_bp = 10000;
    if ((rc = cli_date(o.at, "--at", &at)) ||
        (o.days && (rc = rcv_parse_uint(o.days, "--days", 36500, &days))) ||
        (o.terms && (rc = rcv_parse_uint(o.terms, "--terms", 3650, &terms))) ||
        (o.rate && (rc = parse_rate(o.rate, &rate_bp))) || (rc = cli_need_tenant(&c)) ||
        (rc = cli_connect(&c)))
        return rc;
    proposal *p = calloc(1, sizeof *p);
    if (!p)
        return cli_nomem("the proposal");
    gl_entry_set set;
    gl_entry_set_init(&set);
    rc = propose(&c, at, days, terms, rate_bp, p, &set);
    if (rc == 0)
        rc = print_proposal(&c, &set, p, at, rate_bp);
    if (rc == 0 && o.post && set.count)
        rc = post_entry_set(&c, &set, "impairment");
    gl_entry_set_free(&set);
    free(p);
    cli_close(&c);
    return rc;
}
