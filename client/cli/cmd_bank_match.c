/*
 * client/cli/cmd_bank_match.c — `grandlivre bank match` (issue 18;
 * PROTOCOL.md §5.40, §5.44): the statement lines and the ledger lines
 * not yet matched at --at (BANK_RECON), the proposals of the matching
 * engine (client/bank/match.h), then the entries the bank account's rules
 * give for the lines no proposal covers (BANK_RULES); shown as a table;
 * recorded as the user says: --yes records every sure proposal (one
 * BANK_MATCH, split at GL_BANK_MATCH_BATCH_MAX) and posts and matches
 * every rule entry; on a terminal without --yes each is asked (o/n);
 * otherwise they are only shown.  With --bank and --lines, one match
 * given by hand (cmd_bank_matches.c).
 *
 * A run stopped between posting a rule's entry and matching it leaves
 * the entry in the books, unmatched: the next run finds it among the
 * ledger lines (same journal, piece, date and amount) and matches it
 * instead of posting it again.
 */
#include "cmd_bank_match.h"

#include "i18n.h"
#include "plural.h"

#include "proto/date.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const char help[] = N_(
    "usage: grandlivre bank match --tenant T --account 512000 [--at DATE] [--window-days N]\n"
    "                             [--max-lines N] [--yes] [--no-rules]\n"
    "       grandlivre bank match --tenant T --account 512000 --bank SEQ[,SEQ...]\n"
    "                             --lines FY/NUM/LINE[,FY/NUM/LINE...]\n"
    "\n"
    "Matching the bank statement with the books (pointage). Proposes, for the\n"
    "statement lines and the lines of the ledger account not yet matched up to DATE\n"
    "(default today): first a reference and the amount (cheque number, piece, bank\n"
    "reference), then the amount alone within N days (--window-days, default 10),\n"
    "then a group: several lines of one side summing to one line of the other (a\n"
    "deposit of several cheques, a payroll), at most N lines (--max-lines, default\n"
    "8, up to 32). A proposal is sure when no other candidate exists either way.\n"
    "Only free lines are proposed: a line in a match whose other side is dated\n"
    "after DATE is not (`bank report` still lists it as not reconciled at DATE).\n"
    "The ledger lines of the N days (--window-days) before the first statement's\n"
    "first day are candidates too (a direct debit booked on December 31, debited\n"
    "by the bank on January 5).\n"
    "Then, for each statement line no proposal covers, the entry of the first of\n"
    "the bank account's rules that applies (`bank rules`; --no-rules: none).\n"
    "--yes records every sure proposal and posts and matches every rule entry\n"
    "(signed by your key); without --yes, on a terminal, each is asked (o/n);\n"
    "otherwise they are only shown. Run again, it proposes only what is left: an\n"
    "entry posted by a run that stopped before matching it is matched, not posted\n"
    "again.\n"
    "--bank and --lines record one match given by hand: the statement lines (their\n"
    "seq, as `bank lines` shows them, 512000:SEQ or SEQ) and the ledger lines (as\n"
    "`ledger` shows them, 2026/14:1 or 2026/14/1); their amounts must balance\n"
    "(+ money in on the statement, debit - credit in the books).\n"
    "Matching is allowed in locked periods, as lettering is. `bank unmatch` undoes a\n"
    "match, `bank matches` lists them.\n"
    "\n"
    "Examples:\n"
    "  grandlivre bank match --tenant alpha --account 512000 --at 2026-01-31\n"
    "  grandlivre bank match --tenant alpha --account 512000 --at 2026-01-31 --yes\n"
    "  grandlivre bank match --tenant alpha --account 512000 --bank 7 --lines 2026/12:1,2026/13:1\n");

static const struct option options[] = {{"account", required_argument, NULL, BM_ACCOUNT},
                                        {"at", required_argument, NULL, BM_AT},
                                        {"window-days", required_argument, NULL, BM_WINDOW},
                                        {"max-lines", required_argument, NULL, BM_MAX_LINES},
                                        {"yes", no_argument, NULL, BM_YES},
                                        {"no-rules", no_argument, NULL, BM_NO_RULES},
                                        {"bank", required_argument, NULL, BM_BANK},
                                        {"lines", required_argument, NULL, BM_LINES},
                                        {0}};

/* A whole number within [lo, hi] (v unchanged when s is NULL). */
static int whole(const char *s, const char *opt, unsigned long lo, unsigned long hi,
                 unsigned long *v)
{
    char *end;
    if (!s)
        return 0;
    unsigned long n = strtoul(s, &end, 10);
    if (!isdigit((unsigned char)s[0]) || *end || n < lo || n > hi) {
        cli_error("%s %s: a whole number from %lu to %lu", opt, s, lo, hi);
        return EXIT_USAGE;
    }
    *v = n;
    return 0;
}

static int parse_engine_opts(const bm_opts *o, uint32_t *at, gl_match_opts *m)
{
    unsigned long window = GL_MATCH_WINDOW_DAYS_DEFAULT, lines = GL_MATCH_MAX_LINES_DEFAULT;
    int rc = whole(BM_OPT(o, BM_WINDOW), "--window-days", 0, 3660, &window);
    if (rc == 0)
        rc = whole(BM_OPT(o, BM_MAX_LINES), "--max-lines", 1, GL_BANK_MATCH_SIDE_MAX, &lines);
    *at = cli_today();
    if (rc == 0 && BM_OPT(o, BM_AT))
        rc = cli_date(BM_OPT(o, BM_AT), "--at", at);
    m->window_days = (uint32_t)window;
    m->max_lines = (unsigned)lines;
    return rc;
}

static bool same_text(gl_str s, const char *t)
{
    return s.len == strlen(t) && !memcmp(s.ptr, t, s.len);
}

/* For each entry a rule gives, its ledger line if an earlier run posted it
 * and stopped before matching it: a line no proposal and no other entry
 * holds, of the same journal, piece, date and amount. */
static void find_posted(bm_run *r, bool *held)
{
    for (size_t i = 0; i < r->nentries; i++) {
        const gl_rule_entry *e = &r->entries[i];
        r->posts[i] = (bm_rule_post){e, r->in.bank[e->bank_index].seq, {0, 0, 0}};
        for (size_t k = 0; k < r->in.nbook; k++) {
            const gl_recon_book *b = &r->in.book[k];
            if (!held[k] && b->date == e->date && b->amount_cents == e->amount_cents &&
                same_text(b->piece, e->piece) && same_text(b->journal, e->journal)) {
                held[k] = true;
                r->posts[i].at = b->ref;
                break;
            }
        }
    }
}

/* The entries of the rules for the bank lines no proposal covers. */
static int rule_entries(bm_run *r)
{
    bool *taken = calloc(r->in.nbank + 1, sizeof *taken);
    bool *held = calloc(r->in.nbook + 1, sizeof *held);
    int rc = taken && held ? 0 : cli_nomem("the proposals");
    for (size_t i = 0; rc == 0 && i < r->nprops; i++) {
        for (uint8_t k = 0; k < r->props[i].nbank; k++)
            taken[r->props[i].bank[k]] = true;
        for (uint8_t k = 0; k < r->props[i].nbook; k++)
            held[r->props[i].book[k]] = true;
    }
    if (rc == 0 && r->rules.n &&
        gl_match_rules(r->in.bank, r->in.nbank, taken, r->rules.v, r->rules.n,
                       (gl_str){r->account, strlen(r->account)}, &r->entries, &r->nentries))
        rc = cli_nomem("the rules' entries");
    r->posts = rc ? NULL : calloc(r->nentries + 1, sizeof *r->posts);
    if (rc == 0 && !r->posts)
        rc = cli_nomem("the rules' entries");
    if (rc == 0)
        find_posted(r, held);
    free(taken);
    free(held);
    return rc;
}

/* The lines no active match holds, and the ledger lines just before the
 * first statement (client/bank/match_inputs.h). */
static int free_lines(cli *c, bm_run *r, const gl_match_opts *m)
{
    const bm_recon *v = &r->recon;
    int st = gl_match_inputs_build(c->client, c->tenant, r->account, &v->head, v->bank, v->nbank,
                                   v->book, v->nbook, m->window_days, &r->in);
    if (st == GL_OK)
        return 0;
    if (st == GL_ERR_NOMEM)
        return cli_nomem("the lines");
    if (st == GL_ERR_BAD_REPLY)
        return bm_bad_reply("bank matches, ledger");
    if (r->in.status) {
        cli_error("%s (%d): %s", gl_status_name(st), st, r->in.detail);
        return EXIT_REFUSED;
    }
    cli_error("cannot reach the daemon (%s)", gl_status_name(st));
    return EXIT_REFUSED;
}

static int propose(cli *c, bm_run *r, const gl_match_opts *m, bool rules)
{
    int rc = bm_recon_fetch(c, r->account, r->at, &r->recon);
    if (rc == 0)
        rc = free_lines(c, r, m);
    if (rc == 0 && rules)
        rc = bm_rules_fetch(c, r->account, &r->rules);
    if (rc == 0 && gl_match_propose(r->in.bank, r->in.nbank, r->in.book, r->in.nbook, m, &r->props,
                                    &r->nprops))
        rc = cli_nomem("the proposals");
    if (rc == 0)
        rc = rule_entries(r);
    r->chosen = rc ? NULL : calloc(r->nprops + r->nentries + 1, sizeof *r->chosen);
    if (rc == 0 && !r->chosen)
        rc = cli_nomem("the proposals");
    if (rc == 0 && r->recon.more) {
        /* a list was cut: an entry posted before may lie past the cut */
        cli_warn(
            "more than %d lines not matched: only the first are proposed, and no rule's "
            "entry; match up to an earlier --at first",
            GL_BANK_RECON_MAX);
        r->nentries = 0;
    }
    return rc;
}

/* On the terminal: "o", "oui", "y" or "yes" is yes; anything else no. */
static bool ask_one(size_t number)
{
    printf(_("No. %zu: record it? (o/n) "), number);
    fflush(stdout);
    char answer[16];
    if (!fgets(answer, sizeof answer, stdin))
        return false;
    const char *p = answer;
    while (*p == ' ')
        p++;
    char first = (char)tolower((unsigned char)*p);
    size_t len = strcspn(p, " \r\n");
    return (first == 'o' || first == 'y') &&
           (len == 1 || !strncasecmp(p, "oui", len) || !strncasecmp(p, "yes", len));
}

/* --yes: the sure proposals and every rule entry; else ask each. */
static void choose(bm_run *r, bool yes)
{
    for (size_t i = 0; i < r->nprops + r->nentries; i++)
        r->chosen[i] = yes ? i >= r->nprops || r->props[i].sure : ask_one(i + 1);
}

static int record_chosen(cli *c, bm_run *r)
{
    bm_set *sets = calloc(r->nprops + 1, sizeof *sets);
    bm_rule_post *posts = calloc(r->nentries + 1, sizeof *posts);
    size_t ns = 0, np = 0;
    int rc = sets && posts ? 0 : cli_nomem("the matches");
    for (size_t i = 0; rc == 0 && i < r->nprops; i++) {
        const gl_match_prop *p = &r->props[i];
        if (!r->chosen[i])
            continue;
        bm_set *s = &sets[ns++];
        *s = (bm_set){p->nbank, p->nbook, {0}, {{0}}};
        for (uint8_t k = 0; k < p->nbank; k++)
            s->seq[k] = r->in.bank[p->bank[k]].seq;
        for (uint8_t k = 0; k < p->nbook; k++)
            s->ref[k] = r->in.book[p->book[k]].ref;
    }
    for (size_t i = 0; rc == 0 && i < r->nentries; i++)
        if (r->chosen[r->nprops + i])
            posts[np++] = r->posts[i];
    if (rc == 0 && ns)
        rc = bm_record(c, r->account, sets, ns);
    if (rc == 0 && np)
        rc = bm_post_and_match(c, r->account, posts, np);
    if (rc == 0 && !ns && !np && cli_format_table(c))
        printf("%s", _("nothing recorded\n"));
    free(sets);
    free(posts);
    return rc;
}

static void run_free(bm_run *r)
{
    gl_match_inputs_free(&r->in);
    bm_recon_free(&r->recon);
    bm_rules_free(&r->rules);
    free(r->props);
    free(r->entries);
    free(r->posts);
    free(r->chosen);
}

static int match_run(cli *c, const char *account, const bm_opts *o)
{
    bm_run r = {.account = account};
    gl_match_opts m;
    int rc = parse_engine_opts(o, &r.at, &m);
    if (rc == 0 && (rc = bm_connect(c)) == 0)
        rc = propose(c, &r, &m, !o->no_rules);
    if (rc == 0)
        rc = bm_show(c, &r);
    size_t n = r.nprops + r.nentries;
    if (rc == 0 && n && !o->yes && !cli_format_table(c))
        fprintf(stderr, "%s",
                _("grandlivre: --format csv or json only shows: nothing recorded (--yes "
                  "records the sure proposals and the rules' entries)\n"));
    else if (rc == 0 && n && !o->yes && !isatty(STDIN_FILENO))
        fprintf(stderr, "%s",
                _("grandlivre: not on a terminal: nothing recorded (--yes records the sure "
                  "proposals and the rules' entries)\n"));
    else if (rc == 0 && n) {
        choose(&r, o->yes);
        rc = record_chosen(c, &r);
    }
    run_free(&r);
    return rc;
}

int cmd_bank_match(int argc, char **argv)
{
    bm_cmd m;
    int rc = bm_parse(&m, &argc, &argv, options, _(help), 0);
    if (rc)
        return rc < 0 ? 0 : rc;
    const bm_opts *o = &m.o;
    bool manual = BM_OPT(o, BM_BANK) || BM_OPT(o, BM_LINES);
    bool engine = o->yes || o->no_rules || BM_OPT(o, BM_AT) || BM_OPT(o, BM_WINDOW) ||
                  BM_OPT(o, BM_MAX_LINES);
    if (manual && engine) {
        cli_error(
            "bank match: --bank and --lines record one match; --at, --window-days, "
            "--max-lines, --yes and --no-rules are for the proposals");
        return EXIT_USAGE;
    }
    if (manual && (!BM_OPT(o, BM_BANK) || !BM_OPT(o, BM_LINES))) {
        cli_error("bank match: --bank and --lines go together");
        return EXIT_USAGE;
    }
    if (manual && ((rc = cli_format_refuse(&m.c, "bank match --bank")) || (rc = bm_connect(&m.c))))
        return rc;
    rc = manual ? bm_manual(&m.c, m.account, BM_OPT(o, BM_BANK), BM_OPT(o, BM_LINES))
                : match_run(&m.c, m.account, o);
    cli_close(&m.c);
    return rc;
}
