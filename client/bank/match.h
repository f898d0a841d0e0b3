/* client/bank/match.h — the reconciliation's engine and report, pure
 * (issue 18): from the lines BANK_RECON gives (proto/bank_match.h), the
 * match proposals `bank match` and the web screen show, the entries the
 * rules give, and the état de rapprochement `bank report` prints.  No I/O
 * and no daemon: the CLI (client/cli/cmd_bank_match.c) and the web
 * (client/web/page_bank.c) fetch, call these, and send BANK_MATCH.
 * Depends on proto/ and the C library.
 *
 * Amounts are int64 cents with the bank's sign on both sides: a bank line's
 * amount (+ money in) is matched by ledger lines whose debit - credit sum
 * to it. */
#ifndef GL_BANK_MATCH_H
#define GL_BANK_MATCH_H

#include "proto/bank.h"
#include "proto/bank_match.h"
#include "proto/bank_rule.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The two sides, as BANK_RECON's rows (strings point into the reply). */
typedef struct gl_recon_bank {
    uint32_t seq;
    gl_bank_line_w line;
} gl_recon_bank;
typedef gl_bank_book_row gl_recon_book;

typedef struct gl_match_opts {
    uint32_t window_days; /* ± days between the two sides' dates; default 10 */
    unsigned max_lines;   /* lines on the larger side of a group; default 8 (<= 32) */
} gl_match_opts;
#define GL_MATCH_WINDOW_DAYS_DEFAULT 10
#define GL_MATCH_MAX_LINES_DEFAULT 8

typedef enum {
    GL_MATCH_REFERENCE = 1, /* a reference (cheque number, piece, end-to-end id) and the amount */
    GL_MATCH_EXACT = 2,     /* the amount, within the window */
    GL_MATCH_GROUP = 3,     /* several lines on one side summing to one line on the other */
} gl_match_why;

typedef struct gl_match_prop {
    gl_match_why why;
    bool sure;                             /* the only candidate either way: `--yes` records it */
    uint8_t nbank, nbook;                  /* 1..GL_BANK_MATCH_SIDE_MAX */
    uint32_t bank[GL_BANK_MATCH_SIDE_MAX]; /* indexes into the bank array */
    uint32_t book[GL_BANK_MATCH_SIDE_MAX]; /* indexes into the book array */
} gl_match_prop;

/* Proposals for unmatched lines, no line in two proposals, in the order
 * REFERENCE, EXACT, GROUP, each in date order; *out is malloc'd (the
 * caller frees), *n its count.  Deterministic: the same input gives the
 * same proposals.  Returns 0, or -1 when out of memory. */
int gl_match_propose(const gl_recon_bank *bank, size_t nbank, const gl_recon_book *book,
                     size_t nbook, const gl_match_opts *opts, gl_match_prop **out, size_t *n);

/* The entry a rule gives for one bank line: two lines, the bank account
 * and the rule's counterpart, balanced, journal (the rule's or BQ), piece
 * the line's bank reference (or "BQ-<seq>" when it has none), dated the
 * booking date; text copied into the struct. */
typedef struct gl_rule_entry {
    uint32_t bank_index; /* into the bank array */
    uint32_t rule_index; /* into the rules array */
    uint32_t date;
    int64_t amount_cents; /* the bank line's */
    char journal[GL_JOURNAL_MAX + 1], piece[GL_PIECE_MAX + 1], label[GL_LABEL_MAX + 1];
    char bank_account[GL_ACCOUNT_MAX + 1], counterpart[GL_ACCOUNT_MAX + 1];
} gl_rule_entry;
/* For each bank line no proposal covers (taken[i] false), the first rule
 * (in the array's order) that applies.  *out malloc'd; returns 0 or -1. */
int gl_match_rules(const gl_recon_bank *bank, size_t nbank, const bool *taken,
                   const gl_bank_rule *rules, size_t nrules, gl_str bank_account,
                   gl_rule_entry **out, size_t *n);

/* The état de rapprochement at a date. */
typedef struct gl_recon_report {
    gl_str account; /* the ledger account, 512... */
    gl_str iban;    /* the registered IBAN */
    gl_str label;   /* the bank account's label */
    uint32_t at;    /* the report's date */
    gl_bank_recon_head head;
    const gl_recon_bank *bank;
    size_t nbank;
    const gl_recon_book *book;
    size_t nbook;
    bool truncated; /* BANK_RECON's `more` */
    /* computed by gl_recon_report_sums: */
    int64_t bank_not_in_books_cents; /* Σ bank rows */
    int64_t books_not_on_bank_cents; /* Σ book rows */
    int64_t residual_cents;          /* books_at - (bank_at - bank rows + book rows) */
} gl_recon_report;
/* Fill the sums (false on an int64 overflow, never silently wrong). */
bool gl_recon_report_sums(gl_recon_report *r);

typedef enum {
    GL_RECON_TABLE = 0,
    GL_RECON_CSV = 1,
    GL_RECON_JSON = 2,
    GL_RECON_HTML = 3,
} gl_recon_format;
/* Render the report (French by the client's gettext, as every output) to
 * a malloc'd NUL-terminated text; NULL when out of memory. */
char *gl_recon_report_render(const gl_recon_report *r, gl_recon_format f);

#endif
