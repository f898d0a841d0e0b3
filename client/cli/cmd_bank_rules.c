/*
 * client/cli/cmd_bank_rules.c — `grandlivre bank rules` (issue 18;
 * PROTOCOL.md §5.42, §5.43): the rules of a bank account's recurring
 * lines that are not in the books (bank fees, a direct debit of the
 * social charges, interest), listed (BANK_RULES), set or replaced by
 * name, deleted (BANK_RULE_SET).  `bank match` proposes the entry a rule
 * gives for a statement line no match covers (cmd_bank_match.c).
 */
#include "cmd_bank_match.h"

#include "i18n.h"

#include "proto/money.h"
#include "proto/request.h"

#include <ctype.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] = N_(
    "usage: grandlivre bank rules --tenant T --account 512000\n"
    "       grandlivre bank rules set --tenant T --account 512000 --name NAME --pattern PATTERN\n"
    "                             --counterpart ACCOUNT [--min AMOUNT --max AMOUNT]\n"
    "                             [--journal CODE] [--label TEXT]\n"
    "       grandlivre bank rules delete --tenant T --account 512000 --name NAME\n"
    "\n"
    "The rules of the bank account's recurring lines that are not in the books: bank\n"
    "fees, a direct debit of the social charges, interest. For a statement line that\n"
    "no match covers, `bank match` proposes the entry of the first rule (in name\n"
    "order) that applies: journal CODE (default BQ), piece the line's bank reference\n"
    "(or BQ-<seq>), dated the booking date, the bank account against ACCOUNT, labelled\n"
    "TEXT (default the line's label); posted only when confirmed.\n"
    "A rule applies when PATTERN is found in the line's label, case and accents\n"
    "aside, '*' standing for any run of characters, and the line's signed\n"
    "amount (+ money in, - money out) lies within --min and --max (given alone, the\n"
    "other side is open; neither: any amount). NAME: 1 to 32 of a-z, 0-9, _ and -.\n"
    "set adds the rule or replaces the one of that name; delete removes it; without\n"
    "set or delete, the rules are listed (--format csv or json for a program).\n"
    "\n"
    "Examples:\n"
    "  grandlivre bank rules set --tenant alpha --account 512000 --name frais \\\n"
    "      --pattern 'FRAIS*' --counterpart 627800 --min -50,00 --max -0,01\n"
    "  grandlivre bank rules set --tenant alpha --account 512000 --name urssaf \\\n"
    "      --pattern 'PRLV*URSSAF' --counterpart 431000 --label 'Cotisations URSSAF'\n"
    "  grandlivre bank rules delete --tenant alpha --account 512000 --name frais\n");

static const struct option options[] = {{"account", required_argument, NULL, BM_ACCOUNT},
                                        {"name", required_argument, NULL, BM_NAME},
                                        {"pattern", required_argument, NULL, BM_PATTERN},
                                        {"counterpart", required_argument, NULL, BM_COUNTERPART},
                                        {"min", required_argument, NULL, BM_MIN},
                                        {"max", required_argument, NULL, BM_MAX},
                                        {"journal", required_argument, NULL, BM_JOURNAL},
                                        {"label", required_argument, NULL, BM_LABEL},
                                        {0}};

static gl_str text_of(const char *s) { return (gl_str){s ? s : "", s ? strlen(s) : 0}; }

static int list_rules(cli *c, const char *account)
{
    bm_rules r;
    int rc = bm_rules_fetch(c, account, &r);
    static const out_col cols[] = {
        {"name", OUT_REF},        {"pattern", OUT_TEXT}, {"min", OUT_MONEY}, {"max", OUT_MONEY},
        {"counterpart", OUT_REF}, {"journal", OUT_REF},  {"label", OUT_TEXT}};
    out_table *t = rc ? NULL : out_new(cols, sizeof cols / sizeof cols[0]);
    for (size_t i = 0; t && i < r.n; i++) {
        const gl_bank_rule *x = &r.v[i];
        out_text(t, x->name.ptr, x->name.len);
        out_text(t, x->pattern.ptr, x->pattern.len);
        out_money(t, x->min_cents);
        out_money(t, x->max_cents);
        out_text(t, x->counterpart.ptr, x->counterpart.len);
        out_text(t, x->journal.len ? x->journal.ptr : "BQ", x->journal.len ? x->journal.len : 2);
        out_text(t, x->label.ptr, x->label.len);
    }
    if (rc == 0 && t && r.n == 0 && cli_format_table(c))
        printf(_("%s: no rule on %s\n"), c->tenant, account);
    if (rc == 0)
        rc = cli_format_render(c, t);
    bm_rules_free(&r);
    return rc;
}

/* --min and --max: both absent, any amount (0, 0); one alone, the other
 * side open (to ± GL_TOTAL_MAX_CENTS). */
static int parse_range(const bm_opts *o, int64_t *min, int64_t *max)
{
    const char *arg[2] = {BM_OPT(o, BM_MIN), BM_OPT(o, BM_MAX)};
    int64_t *out[2] = {min, max};
    *min = arg[0] || arg[1] ? -GL_TOTAL_MAX_CENTS : 0;
    *max = arg[0] || arg[1] ? GL_TOTAL_MAX_CENTS : 0;
    for (int i = 0; i < 2; i++)
        if (arg[i] && !gl_money_parse(arg[i], strlen(arg[i]), out[i])) {
            cli_error("%s %s: an amount, at most two decimals after ',' or '.' (-50,00)",
                      i ? "--max" : "--min", arg[i]);
            return EXIT_USAGE;
        }
    return 0;
}

/* Upper case, spaces left out: an account number or a journal code. */
static void code_upper(const char *in, char *out, size_t cap)
{
    size_t n = 0;
    while (in && *in && n + 1 < cap) {
        if (*in != ' ')
            out[n++] = (char)toupper((unsigned char)*in);
        in++;
    }
    out[n] = '\0';
}

static int send_rule(cli *c, const char *account, uint8_t op, const gl_bank_rule *rule)
{
    gl_bank_rule_set_q q = {{account, strlen(account)}, op, *rule};
    gl_buf body;
    gl_buf_init(&body);
    gl_bank_rule_set_q_encode(&body, &q);
    gl_response resp = {0};
    int rc = bm_call(c, GL_KIND_BANK_RULE_SET, &body, &resp);
    if (rc == 0)
        printf(op == GL_BANK_RULE_SET_OP ? _("%s: rule %.*s set on %s\n")
                                         : _("%s: rule %.*s deleted from %s\n"),
               c->tenant, (int)rule->name.len, rule->name.ptr, account);
    gl_response_free(&resp);
    return rc;
}

static int set_rule(cli *c, const char *account, const bm_opts *o)
{
    if (!BM_OPT(o, BM_NAME) || !BM_OPT(o, BM_PATTERN) || !BM_OPT(o, BM_COUNTERPART)) {
        cli_error("bank rules set: --name, --pattern and --counterpart are required");
        return EXIT_USAGE;
    }
    char counterpart[GL_ACCOUNT_MAX + 2], journal[GL_JOURNAL_MAX + 2];
    code_upper(BM_OPT(o, BM_COUNTERPART), counterpart, sizeof counterpart);
    code_upper(BM_OPT(o, BM_JOURNAL), journal, sizeof journal);
    gl_bank_rule r = {text_of(BM_OPT(o, BM_NAME)),
                      text_of(BM_OPT(o, BM_PATTERN)),
                      0,
                      0,
                      text_of(counterpart),
                      text_of(journal),
                      text_of(BM_OPT(o, BM_LABEL))};
    int rc = parse_range(o, &r.min_cents, &r.max_cents);
    return rc ? rc : send_rule(c, account, GL_BANK_RULE_SET_OP, &r);
}

static int delete_rule(cli *c, const char *account, const bm_opts *o)
{
    if (!BM_OPT(o, BM_NAME)) {
        cli_error("bank rules delete: --name is required");
        return EXIT_USAGE;
    }
    gl_bank_rule r = {.name = text_of(BM_OPT(o, BM_NAME))};
    return send_rule(c, account, GL_BANK_RULE_DELETE_OP, &r);
}

int cmd_bank_rules(int argc, char **argv)
{
    bm_cmd m;
    int rc = bm_parse(&m, &argc, &argv, options, _(help), 1);
    if (rc)
        return rc < 0 ? 0 : rc;
    const char *sub = argc == 1 ? argv[0] : "";
    bool set = !strcmp(sub, "set"), del = !strcmp(sub, "delete");
    if (*sub && !set && !del) {
        fputs(_(help), stderr);
        return EXIT_USAGE;
    }
    if ((set && (rc = cli_format_refuse(&m.c, "bank rules set"))) ||
        (del && (rc = cli_format_refuse(&m.c, "bank rules delete"))) || (rc = bm_connect(&m.c)))
        return rc;
    if (set)
        rc = set_rule(&m.c, m.account, &m.o);
    else if (del)
        rc = delete_rule(&m.c, m.account, &m.o);
    else
        rc = list_rules(&m.c, m.account);
    cli_close(&m.c);
    return rc;
}
