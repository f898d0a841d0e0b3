/*
 * client/cli/cmd_impairment.c — `grandlivre impairment` (issue 17): the
 * year-end entries of doubtful debts (créances douteuses), proposed from
 * the items open at DATE (receivables.h), printed, posted only with
 * --post (one signed POST of up to three entries, journal OD, dated DATE):
 *   1. transfer of each doubtful item of 411… (overdue by more than --days,
 *      default 180) to 416000, one entry per item under the invoice's piece
 *      reference and piece date, so that 416 carries the item; after the
 *      POST one LETTER_BATCH letters each 411 item with its transfer line
 *      (a POST cannot letter: the transfer's line numbers are known only
 *      once it is posted; a run stopped between the two finds the item and
 *      its transfer open, and letters them without transferring again);
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
#include "plural.h"
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
    "681740 / 491000. Prints them; --post posts them in one signed request,\n"
    "then letters each item of 411… with its transfer line (one transfer per\n"
    "item, under the invoice's piece reference: 416 carries the item). Run\n"
    "again, it proposes nothing twice: a dépréciation already dated DATE is\n"
    "not proposed again, and an item transferred but not yet lettered is\n"
    "lettered with its transfer.\n";

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
#define IMP_ITEMS_MAX 2000 /* transfers in one run: one entry each */
#define TRANSFER_LABEL "Transfert en créances douteuses"

/* A 411 item to letter with its transfer line: transfer.num 0 for a
 * transfer posted by this run (its entry `entry` of the set). */
typedef struct imp_letter {
    char account[GL_ACCOUNT_MAX + 1], aux[GL_AUX_MAX + 1];
    gl_line_ref item, transfer;
    size_t entry;
} imp_letter;

typedef struct proposal {
    gl_line_in transfer[IMP_ITEMS_MAX][2], reversal[2], dotation[2];
    rcv_item moved[IMP_ITEMS_MAX]; /* the item each transfer moves (texts, piece, date) */
    imp_letter letters[IMP_ITEMS_MAX];
    char piece[16];
    size_t transfer_n, letter_n;
    bool already; /* a dépréciation already dated `at`: none proposed */
    int64_t transferred, base_dotation, dotation_cents, reversal_cents;
} proposal;

static bool is_doubtful(const rcv_item *i, uint32_t at, unsigned days)
{
    return i->cents > 0 && aging_days_overdue(at, i->date, i->terms_days) > (int64_t)days;
}

/* The transfer line (411 credit) of item i posted by an earlier run and
 * not lettered yet: same account, third party, piece and amount, with the
 * transfer's label; SIZE_MAX if none. */
static size_t pending_transfer(const rcv_items *it, size_t i, const bool *used)
{
    const rcv_item *x = &it->v[i];
    for (size_t j = 0; j < it->n; j++) {
        const rcv_item *y = &it->v[j];
        if (!used[j] && y->cents == -x->cents && !strcmp(y->account, x->account) &&
            !strcmp(y->aux, x->aux) && !strcmp(y->piece, x->piece) &&
            !strcmp(y->label, TRANSFER_LABEL))
            return j;
    }
    return SIZE_MAX;
}

static int add_letter(proposal *p, const rcv_item *x, gl_line_ref transfer, size_t entry)
{
    if (p->letter_n == IMP_ITEMS_MAX)
        return -1;
    imp_letter *l = &p->letters[p->letter_n++];
    snprintf(l->account, sizeof l->account, "%s", x->account);
    snprintf(l->aux, sizeof l->aux, "%s", x->aux);
    l->item = (gl_line_ref){x->fy, x->num, x->line};
    l->transfer = transfer;
    l->entry = entry;
    return 0;
}

/* Transfer of one doubtful item: 416000 debit, its account credit, as
 * entry transfer_n of the set; lettered after the POST. */
static int add_transfer(proposal *p, const rcv_item *x)
{
    size_t k = p->transfer_n;
    if (k == IMP_ITEMS_MAX || !gl_money_add(&p->transferred, x->cents) ||
        add_letter(p, x, (gl_line_ref){0, 0, 0}, k))
        return -1;
    p->moved[k] = *x;
    rcv_item *m = &p->moved[k];
    p->transfer[k][0] = (gl_line_in){"416000", m->aux, "", "", GL_SIDE_DEBIT, x->cents};
    p->transfer[k][1] = (gl_line_in){m->account, m->aux, "", "", GL_SIDE_CREDIT, x->cents};
    p->transfer_n++;
    return 0;
}

/* The transfers of the doubtful items of 411 (or the letters of those an
 * earlier run transferred) and the dotation's total, 416's items included. */
static int build_transfer(proposal *p, const rcv_items *it, uint32_t at, unsigned days,
                          unsigned rate_bp)
{
    bool *used = calloc(it->n + 1, sizeof *used);
    int rc = used ? 0 : -1;
    for (size_t i = 0; rc == 0 && i < it->n; i++) {
        const rcv_item *x = &it->v[i];
        bool on_416 = !strncmp(x->account, "416", 3);
        if (on_416 ? x->cents <= 0 : !is_doubtful(x, at, days))
            continue;
        size_t j = on_416 ? SIZE_MAX : pending_transfer(it, i, used);
        if (j != SIZE_MAX) { /* on 416 already: its dotation comes from there */
            used[j] = true;
            rc = add_letter(p, x, (gl_line_ref){it->v[j].fy, it->v[j].num, it->v[j].line}, 0);
            continue;
        }
        int64_t dep;
        if (!aging_impairment(x->cents, rate_bp, &dep) || !gl_money_add(&p->dotation_cents, dep) ||
            !gl_money_add(&p->base_dotation, x->cents) || (!on_416 && add_transfer(p, x)))
            rc = -1;
    }
    free(used);
    return rc;
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
                      uint32_t piece_date, const char *label, const gl_line_in *lines, size_t n,
                      int *rc)
{
    gl_entry_in e = {.tenant = tenant,
                     .journal = "OD",
                     .piece_ref = piece,
                     .label = label,
                     .date = at,
                     .piece_date = piece_date,
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
        if (p->already)
            printf(_("A dépréciation is already posted on %s: not proposed again.\n"), d);
        size_t pending = p->letter_n - p->transfer_n;
        if (pending)
            printf(PLURAL(pending,
                          "%zu item transferred before and not lettered: --post letters it "
                          "with its transfer.\n",
                          "%zu items transferred before and not lettered: --post letters them "
                          "with their transfer.\n"),
                   pending);
        if (!set->count && !pending)
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
        cli_error("the amounts overflow, or more than %d items to transfer", IMP_ITEMS_MAX);
        rc = EXIT_REFUSED;
    }
    rcv_items_free(&r411);
    rcv_items_free(&r416);
    int64_t standing = 0, on_the_day = 0;
    if (rc == 0 && (rc = balance_491(c, gl_date_prev(at), &standing)) == 0 &&
        (rc = balance_491(c, at, &on_the_day)) == 0) {
        /* 491 moved on the day: this run's entries are posted already */
        p->already = on_the_day != standing;
        p->reversal_cents = standing < 0 && !p->already ? -standing : 0;
        if (p->already)
            p->dotation_cents = 0;
    }
    snprintf(p->piece, sizeof p->piece, "DEP-%u", at / 10000);
    p->reversal[0] = (gl_line_in){"491000", "", "", "", GL_SIDE_DEBIT, p->reversal_cents};
    p->reversal[1] = (gl_line_in){"781740", "", "", "", GL_SIDE_CREDIT, p->reversal_cents};
    p->dotation[0] = (gl_line_in){"681740", "", "", "", GL_SIDE_DEBIT, p->dotation_cents};
    p->dotation[1] = (gl_line_in){"491000", "", "", "", GL_SIDE_CREDIT, p->dotation_cents};
    /* each item under its invoice's piece and date: 416 carries the item */
    for (size_t k = 0; k < p->transfer_n; k++)
        add_entry(set, c->tenant, at, p->moved[k].piece, p->moved[k].date, TRANSFER_LABEL,
                  p->transfer[k], 2, &rc);
    add_entry(set, c->tenant, at, p->piece, at, "Reprise des dépréciations de créances antérieures",
              p->reversal, p->reversal_cents ? 2 : 0, &rc);
    add_entry(set, c->tenant, at, p->piece, at, "Dépréciation des créances douteuses", p->dotation,
              p->dotation_cents ? 2 : 0, &rc);
    return rc;
}

/* Letter each transferred 411 item with its transfer line (the 411 credit,
 * line 2), as of `at` (or today if `at` is ahead), in one LETTER_BATCH. */
static int letter_transfers(cli *c, proposal *p, const uint16_t *fy, const uint32_t *num,
                            uint32_t at)
{
    uint32_t today = cli_today();
    gl_buf body;
    gl_buf_init(&body);
    gl_put_u16(&body, 0);
    for (size_t i = 0; i < p->letter_n; i++) {
        imp_letter *l = &p->letters[i];
        if (!l->transfer.num)
            l->transfer = (gl_line_ref){fy[l->entry], num[l->entry], 2};
        gl_line_ref refs[2] = {l->item, l->transfer};
        gl_buf one;
        gl_buf_init(&one);
        gl_letter_q_encode_dated(&one, (gl_str){l->account, strlen(l->account)},
                                 (gl_str){l->aux, strlen(l->aux)}, refs, 2, at <= today ? at : 0);
        gl_letter_batch_put(&body, &one);
        gl_buf_free(&one);
    }
    gl_letter_batch_count(&body, (uint16_t)p->letter_n);
    gl_response resp;
    int rc = gl_buf_ok(&body)
                 ? cli_call(c, GL_KIND_LETTER_BATCH, c->tenant, body.data, body.len, &resp)
                 : cli_nomem("the letters");
    gl_buf_free(&body);
    if (rc == 0) {
        fprintf(stderr,
                PLURAL(p->letter_n,
                       "grandlivre: impairment: %zu item of 411 lettered with its transfer\n",
                       "grandlivre: impairment: %zu items of 411 lettered with their transfer\n"),
                p->letter_n);
        gl_response_free(&resp);
    }
    return rc;
}

/* Post the entries, then letter the items they transfer. */
static int post_all(cli *c, const gl_entry_set *set, proposal *p, uint32_t at)
{
    uint16_t *fy = calloc(set->count + 1, sizeof *fy);
    uint32_t *num = calloc(set->count + 1, sizeof *num);
    int rc = fy && num ? 0 : cli_nomem("the entry numbers");
    if (rc == 0 && set->count)
        rc = post_entry_set_numbers(c, set, "impairment", fy, num);
    if (rc == 0 && p->letter_n)
        rc = letter_transfers(c, p, fy, num, at);
    free(fy);
    free(num);
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
    if (rc == 0 && o.post && (set.count || p->letter_n))
        rc = post_all(&c, &set, p, at);
    gl_entry_set_free(&set);
    free(p);
    cli_close(&c);
    return rc;
}
