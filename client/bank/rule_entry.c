/*
 * client/bank/rule_entry.c — the POST and BANK_MATCH bodies of a rule's
 * entry (rule_entry.h).
 */
#include "client/bank/rule_entry.h"

#include "proto/entry.h"
#include "proto/status.h"

#include <string.h>

void gl_rule_entry_in(const gl_rule_entry *e, const char *tenant, gl_line_in lines[2],
                      gl_entry_in *out)
{
    bool in = e->amount_cents > 0; /* money in: the bank account is debited */
    int64_t cents = in ? e->amount_cents : -e->amount_cents;
    lines[0] =
        (gl_line_in){e->bank_account, "", "", "", in ? GL_SIDE_DEBIT : GL_SIDE_CREDIT, cents};
    lines[1] = (gl_line_in){e->counterpart, "", "", "", in ? GL_SIDE_CREDIT : GL_SIDE_DEBIT, cents};
    *out = (gl_entry_in){.tenant = tenant,
                         .journal = e->journal,
                         .piece_ref = e->piece,
                         .label = e->label,
                         .date = e->date,
                         .piece_date = e->date,
                         .line_count = 2,
                         .lines = lines};
}

int gl_rule_entry_post_body(gl_buf *b, const char *tenant, const gl_rule_entry *e)
{
    if (e->amount_cents == 0 || e->amount_cents == INT64_MIN)
        return GL_ERR_AMOUNT_NOT_POSITIVE;
    gl_line_in lines[2];
    gl_entry_in entry;
    gl_rule_entry_in(e, tenant, lines, &entry);
    size_t before = b->len;
    gl_put_u32(b, 1);
    int st = gl_entry_encode(b, &entry);
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
