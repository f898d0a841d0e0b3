/*
 * client/bank/rule_entry.c — the POST and BANK_MATCH bodies of a rule's
 * entry (rule_entry.h).
 */
#include "client/bank/rule_entry.h"

#include "proto/entry.h"
#include "proto/status.h"

#include <string.h>

int gl_rule_entry_post_body(gl_buf *b, const char *tenant, const gl_rule_entry *e)
{
    if (e->amount_cents == 0 || e->amount_cents == INT64_MIN)
        return GL_ERR_AMOUNT_NOT_POSITIVE;
    bool in = e->amount_cents > 0; /* money in: the bank account is debited */
    int64_t cents = in ? e->amount_cents : -e->amount_cents;
    gl_line_in lines[2] = {
        {.account = e->bank_account,
         .aux = "",
         .aux_label = "",
         .label = e->label,
         .side = in ? GL_SIDE_DEBIT : GL_SIDE_CREDIT,
         .amount_cents = cents},
        {.account = e->counterpart,
         .aux = "",
         .aux_label = "",
         .label = e->label,
         .side = in ? GL_SIDE_CREDIT : GL_SIDE_DEBIT,
         .amount_cents = cents},
    };
    gl_entry_in in_e = {.tenant = tenant,
                        .journal = e->journal,
                        .piece_ref = e->piece,
                        .label = e->label,
                        .date = e->date,
                        .piece_date = e->date,
                        .line_count = 2,
                        .lines = lines};
    size_t before = b->len;
    gl_put_u32(b, 1);
    int st = gl_entry_encode(b, &in_e);
    if (st != GL_OK)
        b->len = before;
    return st;
}

void gl_rule_entry_match_body(gl_buf *b, const gl_rule_entry *e, uint32_t seq, uint16_t fy,
                              uint32_t num)
{
    gl_line_ref ref = {fy, num, GL_RULE_ENTRY_BANK_LINE};
    gl_bank_match_q_head(b, (gl_str){e->bank_account, strlen(e->bank_account)}, 1);
    gl_bank_match_set_put(b, &seq, 1, &ref, 1);
}
