/*
 * client/web/web_bank.h — what the pages of « Rapprochement bancaire »
 * share (page_bank*.c, issue 18): the registered bank accounts
 * (BANK_ACCOUNTS), the state of one account's reconciliation at a date
 * (BANK_RECON, decoded into the arrays client/bank/match.h works on), its
 * rules (BANK_RULES), the proposals and rule entries computed from them,
 * and the page's choice (account, date) read from a query or a form.
 */
#ifndef GL_WEB_BANK_H
#define GL_WEB_BANK_H

#include "web.h"

#include "client/bank/match.h"
#include "client/bank/match_inputs.h"
#include "proto/bank.h"
#include "proto/bank_match.h"
#include "proto/bank_rule.h"

#include <stdbool.h>
#include <stdint.h>

#define WEB_BANK_ACCOUNTS_MAX 32
#define WEB_BANK_IBAN_MAX 34
#define WEB_BANK_LABEL_MAX 128

/* The tenant's registered bank accounts. */
typedef struct web_bank_accts {
    size_t n;
    struct {
        char account[GL_ACCOUNT_MAX + 1], iban[WEB_BANK_IBAN_MAX + 1],
            label[WEB_BANK_LABEL_MAX + 1];
        uint32_t lines;
    } v[WEB_BANK_ACCOUNTS_MAX];
} web_bank_accts;
/* BANK_ACCOUNTS of r->tenant: 0, or -1 after a banner (quiet: no banner,
 * for the navigation). */
int web_bank_accts_load(web_req *r, gl_buf *b, bool quiet, web_bank_accts *out);

/* The page's choice: the ledger account of a registered bank account and
 * the date (at_text as typed; at 0 when none was given). */
typedef struct web_bank_pick {
    char account[GL_ACCOUNT_MAX + 1], at_text[16];
    uint32_t at;
} web_bank_pick;
/* From the query (GET) or the form (POST): NULL, or why it is wrong (for
 * a banner, translated).  An account left out is ""; a date left out 0. */
const char *web_bank_pick_read(const web_req *r, web_bank_pick *p);
/* "account=A&at=YYYY-MM-DD&tenant=T" percent-encoded (a Location). */
void web_bank_pick_query(char *out, size_t cap, const web_req *r, const web_bank_pick *p);

/* One account's reconciliation at a date, with its rules and what the
 * engine proposes (everything points into the replies held here).  The
 * report's rows are BANK_RECON's (the lines not reconciled at the date);
 * bank and book, what the proposals, the rule entries and the checkboxes
 * work on, are the free lines (client/bank/match_inputs.h) when the engine
 * was asked, else the report's rows. */
typedef struct web_bank_state {
    gl_response recon_resp, rules_resp;
    gl_bank_recon_head head;
    gl_recon_bank *report_bank;
    size_t report_nbank;
    gl_recon_book *report_book;
    size_t report_nbook;
    gl_match_inputs in;
    gl_recon_bank *bank;
    size_t nbank;
    gl_recon_book *book;
    size_t nbook;
    bool more;
    gl_bank_rule *rules;
    size_t nrules;
    gl_match_prop *props;
    size_t nprops;
    gl_rule_entry *entries;
    size_t nentries;
} web_bank_state;
/* BANK_RECON of p's account at p->at (with the lists), then, when
 * with_engine, the free lines (BANK_MATCHES, LEDGER), BANK_RULES, the
 * proposals and the rule entries.  0, or -1
 * after a banner (s is then empty, freeing it is harmless). */
int web_bank_state_load(web_req *r, gl_buf *b, const web_bank_pick *p, bool with_engine,
                        web_bank_state *s);
void web_bank_state_free(web_bank_state *s);
/* The index of the bank row of seq, or -1. */
long web_bank_find_seq(const web_bank_state *s, uint32_t seq);

/* Whether the key may write here: not an auditor, not --read-only. */
bool web_bank_may_write(web_req *r);

/* The field names of the checkboxes: "b-SEQ" and "l-FY-NUM-LINE". */
void web_bank_seq_name(char *out, size_t cap, uint32_t seq);
void web_bank_ref_name(char *out, size_t cap, const gl_line_ref *ref);
/* "FY/NUM:LINE" as a link to the entry. */
void web_bank_ref_link(gl_buf *b, const web_req *r, const gl_line_ref *ref);

/* The page after its banners (page_bank.c): the choice of account and
 * date, the balances, the proposals, the rule entries, the two lists of
 * unmatched lines (checkboxes checked as a POST's were), the matches.  p
 * is completed (an account and a date chosen when none was given).  rid:
 * the request id of the manual form. */
void web_bank_body(web_req *r, gl_buf *b, web_bank_pick *p, uint64_t rid);
/* A form refused: the page with why (a problem banner), status 422. */
int web_bank_refused(web_req *r, gl_buf *b, web_bank_pick *p, const char *why);
/* A 303 back to /bank for p with "&name=value" (value percent-encoded). */
int web_bank_back(web_req *r, const web_bank_pick *p, const char *name, const char *value);
/* The hidden fields of a form about p: csrf, tenant, rid, account, at. */
void web_bank_hidden(gl_buf *b, const web_req *r, const web_bank_pick *p, uint64_t rid);

/* A form's write (page_bank_match.c): with the state of its account at
 * its date read again, act writes (303 with r->location set) or says why
 * not in a banner into note (0). */
typedef int (*web_bank_act)(web_req *r, gl_buf *note, const web_bank_pick *p, uint64_t rid,
                            const web_bank_state *s);
/* The form's account, date and request id checked, the state loaded (the
 * engine's too when with_engine), act run; a refusal is the page again
 * with its banners and 422. */
int web_bank_run(web_req *r, gl_buf *b, bool with_engine, web_bank_act act);

/* The pages (web_routes.c). */
int page_bank(web_req *r, gl_buf *b);            /* GET /bank */
int form_bank_match(web_req *r, gl_buf *b);      /* POST /bank/match: one set */
int form_bank_match_sure(web_req *r, gl_buf *b); /* POST /bank/match-sure */
int form_bank_unmatch(web_req *r, gl_buf *b);    /* POST /bank/unmatch */
int page_bank_rule(web_req *r, gl_buf *b);       /* GET /bank/rule?seq=: the form */
int form_bank_rule(web_req *r, gl_buf *b);       /* POST /bank/rule */
int form_bank_rule_entry(web_req *r, gl_buf *b); /* POST /bank/rule-entry */
int page_bank_report(web_req *r, gl_buf *b);     /* GET /bank/report (HTML or CSV) */
/* The list of the account's matches with « Dépointer » (page_bank_matches.c). */
void web_bank_matches(web_req *r, gl_buf *b, const web_bank_pick *p, bool may_write);
/* The navigation link, for a tenant with a registered bank account. */
void web_nav_bank(gl_buf *b, const web_req *r, const char *active);

#endif
