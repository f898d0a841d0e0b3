/*
 * client/bank/match_inputs.h — what the matching engine (match.h) is fed
 * for a bank account at a date, shared by `bank match` and the web's
 * « Rapprochement bancaire » (issue 18):
 *   - BANK_RECON's rows minus every statement line and ledger line held by
 *     an ACTIVE match (BANK_MATCHES, every page): BANK_RECON lists the
 *     lines not reconciled at `at`, which includes a line whose match's
 *     other side is dated after `at`; such a line is not free and must
 *     never attract a proposal or a rule's entry;
 *   - then the account's ledger lines dated from start - window_days to
 *     start - 1 (LEDGER, every page; journal AN and lines in an active
 *     match left out): a payment booked just before the first statement's
 *     first day is a candidate for the bank line that clears it.  These
 *     are for the proposals only, never for the report.
 * The rows point into the replies held here (and the caller's BANK_RECON
 * reply, which must outlive them).
 */
#ifndef GL_BANK_MATCH_INPUTS_H
#define GL_BANK_MATCH_INPUTS_H

#include "client/bank/match.h"
#include "client/lib/grandlivre.h"

#include <stddef.h>
#include <stdint.h>

typedef struct gl_match_inputs {
    gl_recon_bank *bank; /* the free statement lines */
    size_t nbank;
    gl_recon_book *book; /* the free ledger lines: BANK_RECON's, then the earlier ones */
    size_t nbook;
    size_t nbook_recon; /* book[0, nbook_recon) come from BANK_RECON */
    gl_response *pages; /* the LEDGER and BANK_MATCHES replies rows point into */
    size_t npages;
    /* on a refusal: the daemon's status and detail */
    int status;
    char detail[GL_DETAIL_MAX + 1];
} gl_match_inputs;

/* Build out from BANK_RECON's head and rows (of account at some date),
 * reading account's matches and earlier ledger lines as tenant.  Returns
 * GL_OK, the daemon's status of a refused read (out->status, out->detail),
 * the library's status (transport, NOMEM) or GL_ERR_BAD_REPLY. */
int gl_match_inputs_build(gl_client *c, const char *tenant, const char *account,
                          const gl_bank_recon_head *head, const gl_recon_bank *bank, size_t nbank,
                          const gl_recon_book *book, size_t nbook, uint32_t window_days,
                          gl_match_inputs *out);
void gl_match_inputs_free(gl_match_inputs *in);

#endif
