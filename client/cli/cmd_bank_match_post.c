/*
 * client/cli/cmd_bank_match_post.c — the entries the bank account's rules
 * give (cmd_bank_match.h bm_post_and_match): posted by an ordinary POST
 * signed by the user (journal of the rule, else BQ; piece the line's bank
 * reference, else BQ-<seq>; dated the booking date; line 1 the bank
 * account, line 2 the rule's counterpart, debit on the side the money
 * goes), then each matched with its statement line in one BANK_MATCH.
 * A POST cannot match: the entries' numbers are known once they are
 * posted.  An entry an earlier run posted and did not match comes with
 * its ledger line and is only matched.  The POST's request id comes from
 * its content (cmd_post.c), so the same entries sent again are a replay.
 */
#include "cmd_bank_match.h"

#include "client/input/entry_set.h"
#include "proto/entry.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Entry i of the set: the bank account on the side of the money. */
static int add_entry(cli *c, gl_entry_set *set, const gl_rule_entry *e)
{
    bool in = e->amount_cents > 0;
    int64_t cents = in ? e->amount_cents : -e->amount_cents;
    gl_line_in lines[2] = {
        {e->bank_account, "", "", "", in ? GL_SIDE_DEBIT : GL_SIDE_CREDIT, cents},
        {e->counterpart, "", "", "", in ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, cents}};
    gl_entry_in in_entry = {.tenant = c->tenant,
                            .journal = e->journal,
                            .piece_ref = e->piece,
                            .label = e->label,
                            .date = e->date,
                            .piece_date = e->date,
                            .lines = lines,
                            .line_count = 2};
    return gl_entry_set_add(set, &in_entry, 0) ? cli_nomem("the rules' entries") : 0;
}

/* Post the entries not yet in the books; their line 1 into p[].at. */
static int post_missing(cli *c, bm_rule_post *p, size_t n)
{
    gl_entry_set set;
    gl_entry_set_init(&set);
    size_t *which = calloc(n + 1, sizeof *which);
    uint16_t *fy = calloc(n + 1, sizeof *fy);
    uint32_t *num = calloc(n + 1, sizeof *num);
    int rc = which && fy && num ? 0 : cli_nomem("the rules' entries");
    for (size_t i = 0; rc == 0 && i < n; i++)
        if (!p[i].at.num) {
            which[set.count] = i;
            rc = add_entry(c, &set, p[i].e);
        }
    if (rc == 0 && set.count)
        rc = post_entry_set_numbers(c, &set, "bank match", fy, num);
    for (size_t k = 0; rc == 0 && k < set.count; k++)
        p[which[k]].at = (gl_line_ref){fy[k], num[k], 1};
    gl_entry_set_free(&set);
    free(which);
    free(fy);
    free(num);
    return rc;
}

int bm_post_and_match(cli *c, const char *account, bm_rule_post *p, size_t n)
{
    int rc = post_missing(c, p, n);
    bm_set *sets = rc ? NULL : calloc(n + 1, sizeof *sets);
    if (rc == 0 && !sets)
        rc = cli_nomem("the matches");
    for (size_t i = 0; rc == 0 && i < n; i++) {
        sets[i] = (bm_set){1, 1, {p[i].seq}, {p[i].at}};
    }
    if (rc == 0)
        rc = bm_record(c, account, sets, n);
    free(sets);
    return rc;
}
