/*
 * daemon/bank_recon.h — the reads of bank reconciliation (issue 18,
 * PROTOCOL.md §5.44, §5.45; daemon/bank_recon.c):
 *
 * BANK_RECON: the état de rapprochement's data at a date: where the
 * reconciliation starts (the first statement stored), the bank's balance
 * (that statement's opening plus the lines booked since), the books'
 * balance (as BALANCE gives it, plus the balances of the earlier fiscal
 * years not yet closed, each one kept total), and the lines of both sides not
 * reconciled at the date.  One walk of the bank account's stored lines in
 * date order and one of its ledger account's lines by the account/date
 * index (by_account); each line's match is one index read.
 *
 * BANK_MATCHES: a bank account's matches in id order, active and undone,
 * a page at a time.
 */
#ifndef GL_BANK_RECON_H
#define GL_BANK_RECON_H

#include "handlers.h"

int query_bank_recon(gl_exec *x, const gl_body *rq);
int query_bank_matches(gl_exec *x, const gl_body *rq);

#endif
