/*
 * client/bank/rule_entry.h — the requests that record what a rule gives
 * (issue 18): the entry of a gl_rule_entry (client/bank/match.h) as a POST
 * body, then the BANK_MATCH body that matches its bank line with the
 * entry's first line (the bank account's).  Built once for the CLI's
 * `bank match` and the web's « Passer l'écriture et pointer »: the same
 * confirmed line gives the same bytes.  Pure: no I/O.
 */
#ifndef GL_BANK_RULE_ENTRY_H
#define GL_BANK_RULE_ENTRY_H

#include "client/bank/match.h"

#include "proto/entry.h"
#include "proto/wire.h"

#include <stdint.h>

/* The line of the entry that is the bank account's (the one matched). */
#define GL_RULE_ENTRY_BANK_LINE 1

/* The entry of e for gl_entry_encode (or an entry set): line 1 the bank
 * account (debit when money came in), line 2 the counterpart, lines
 * unlabelled (the entry's label stands), the piece dated as the entry;
 * the two lines written into lines, which *out points to. */
void gl_rule_entry_in(const gl_rule_entry *e, const char *tenant, gl_line_in lines[2],
                      gl_entry_in *out);

/* POST body (count 1 and the entry of gl_rule_entry_in, layout 2).  GL_OK,
 * or the encoder's status (the amount 0: AMOUNT_NOT_POSITIVE; b then
 * unchanged in length). */
int gl_rule_entry_post_body(gl_buf *b, const char *tenant, const gl_rule_entry *e);

/* BANK_MATCH body of one set: bank line seq with line
 * GL_RULE_ENTRY_BANK_LINE of entry fy/num, on the ledger account
 * e->bank_account. */
void gl_rule_entry_match_body(gl_buf *b, const gl_rule_entry *e, uint32_t seq, uint16_t fy,
                              uint32_t num);

#endif
