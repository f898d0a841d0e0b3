/*
 * client/funds/funds.h — fonds dédiés per grant (issue 19; règlement ANC
 * 2018-06 art. 132-1): for each grant its funder earmarked for a defined
 * project (GL_GRANT_DEDICATED), what was granted in the fiscal year, what
 * its action spent, the part not used carried to the fonds dédiés (D
 * 689400 / C 194000) and the part of earlier years' fonds dédiés used in
 * the year (D 194000 / C 789400); the year-end entries that record them,
 * and the annexe's "tableau de variation des fonds dédiés" (opening,
 * reports, utilisations, transfers, closing, per grant and in total).
 *
 * The rules (docs: `grandlivre dedicated-funds --help`, client/funds/README.md):
 *
 *  granted   the grant's product recorded in the year: the credit - debit
 *            of the grant's account carrying its action code (axis
 *            `action`) in the year's analytic balance.  Grants of one
 *            action sharing one account cannot be told apart there: that
 *            product goes to them in code order, each up to its
 *            amount_cents, the last taking the rest.  A net debit is 0.
 *  charges   the action's charges in the year: the debit - credit of the
 *            class 6 accounts carrying its code, fonds dédiés reports
 *            (689) left out; a net credit is 0.
 *  used      the year's new grants first (in code order, each up to what
 *            it granted), then the fonds dédiés of earlier years (in code
 *            order, each up to its opening): used_new = min(granted,
 *            charges left), used_earlier = min(opening, charges left
 *            after every new grant of the action).
 *  reported  granted - used_new: D 689400 / C 194000.
 *  opening   the chain of reports: the lines of 6894 and 7894 accounts
 *            carrying the action code, dated before the year (their
 *            amounts, debit > 0: 6894 debits add, 7894 credits take
 *            away) — the à-nouveaux of 194000 carry no code.  A line
 *            goes to the grant its label names ("Fonds dédiés CODE"),
 *            else to the action's first dedicated grant in code order.
 *  closing   opening + reported - used_earlier (+ transfers, always 0:
 *            no transfer between grants is proposed).
 *  booked    lines of 6894 and 7894 of the year already carrying the
 *            action code (attributed as above): the year's entries exist;
 *            nothing more is proposed for that grant, the annexe shows
 *            what the books hold, and `differs` says when it is not what
 *            the computation gives.
 *
 * Money is int64 cents, every sum checked (proto/money.h): an overflow
 * refuses the computation.  Pure: no I/O, no daemon.  Depends on proto/.
 */
#ifndef GL_FUNDS_H
#define GL_FUNDS_H

#include "proto/analytic.h"
#include "proto/limits.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define FD_GRANTS_MAX 1000 /* dedicated grants of a tenant (GL_GRANTS_MAX) */
#define FD_ACCOUNT_REPORT "689400"
#define FD_ACCOUNT_FUND "194000"
#define FD_ACCOUNT_USE "789400"
#define FD_PREFIX_REPORT "6894" /* the chain of reports is read from these */
#define FD_PREFIX_USE "7894"
#define FD_JOURNAL "OD"
#define FD_ACTION_AXIS "action"
#define FD_FUNDER_AXIS "financeur"
#define FD_PIECE_MAX 16
#define FD_LABEL_MAX (15 + GL_AN_CODE_MAX) /* "Fonds dédiés " (15 bytes) + code */

/* A dedicated grant (the caller keeps only GL_GRANT_DEDICATED ones). */
typedef struct fd_grant {
    char code[GL_AN_CODE_MAX + 1];
    char label[GL_LABEL_MAX + 1];
    char funder[GL_AN_CODE_MAX + 1];
    char action[GL_AN_CODE_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    int64_t amount_cents;
    uint32_t from, to;
} fd_grant;

/* A row of the year's analytic balance on axis `action`. */
typedef struct fd_balance_row {
    char code[GL_AN_CODE_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    int64_t debit_cents, credit_cents;
} fd_balance_row;

/* A line of 6894 or 7894 carrying an action code (the analytic ledger of
 * that code), any fiscal year up to the year's last day. */
typedef struct fd_history_row {
    char code[GL_AN_CODE_MAX + 1];
    char account[GL_ACCOUNT_MAX + 1];
    char label[GL_LABEL_MAX + 1];
    uint32_t date;
    uint16_t fy;
    uint32_t num;
    int64_t amount_cents; /* the code's share, debit > 0 */
} fd_history_row;

/* Whether a ledger line on account belongs in the history (6894, 7894). */
bool fd_history_account(const char *account);

typedef struct fd_year {
    uint16_t fy;
    uint32_t from, to; /* its first and last day */
} fd_year;

/* One grant's figures for the year. */
typedef struct fd_result {
    const fd_grant *grant;
    int64_t granted_cents;   /* product recorded in the year */
    int64_t charges_cents;   /* its action's charges in the year (shared by its grants) */
    int64_t used_new_cents;  /* of the year's grant */
    int64_t reported_cents;  /* 6894: granted - used_new */
    int64_t opening_cents;   /* fonds dédiés at the start of the year */
    int64_t used_old_cents;  /* 7894: of earlier years' fonds dédiés */
    int64_t transfers_cents; /* always 0 */
    int64_t closing_cents;   /* opening + reported - used_old + transfers */
    bool booked;             /* lines of the year already on 6894/7894 */
    int64_t booked_reported_cents, booked_used_cents;
    uint16_t booked_fy; /* the first of them (for the report) */
    uint32_t booked_num;
    bool differs; /* booked, and not what the computation gives */
} fd_result;

/* The annexe's amounts of r: the booked ones when the year's entries
 * exist, else the computed ones (reports, utilisations, closing). */
int64_t fd_annexe_reports(const fd_result *r);
int64_t fd_annexe_uses(const fd_result *r);
int64_t fd_annexe_closing(const fd_result *r);

typedef struct fd_totals {
    int64_t granted_cents, charges_cents, used_new_cents; /* charges: each action once */
    int64_t opening_cents, reports_cents, uses_cents, transfers_cents, closing_cents;
} fd_totals;

enum fd_status { FD_OK = 0, FD_OVERFLOW = 1, FD_TOO_MANY = 2 };

/* Compute out[0..ngrants) (out[i].grant = &grants[i]) from the year's
 * analytic balance on axis `action` and the 6894/7894 lines of the
 * grants' actions (any order; rows of other accounts or codes are
 * ignored).  grants in code order (as GRANTS gives them).  FD_OK,
 * FD_TOO_MANY (more than FD_GRANTS_MAX grants) or FD_OVERFLOW (a sum
 * overflows: out is then meaningless). */
int fd_compute(const fd_year *y, const fd_grant *grants, size_t ngrants,
               const fd_balance_row *balance, size_t nbalance, const fd_history_row *history,
               size_t nhistory, fd_result *out);

/* The annexe's totals of r[0..n): FD_OK or FD_OVERFLOW. */
int fd_totals_sum(const fd_result *r, size_t n, fd_totals *t);

/* A proposed entry: two lines, each carrying the grant's action code on
 * `action` and its funder on `financeur`. */
enum fd_entry_kind { FD_ENTRY_REPORT = 1, FD_ENTRY_USE = 2 };
typedef struct fd_entry {
    enum fd_entry_kind kind;
    const fd_result *result;
    char piece[FD_PIECE_MAX + 1]; /* "FD-2026" */
    char label[FD_LABEL_MAX + 1]; /* "Fonds dédiés FSE-2026" */
    uint32_t date;                /* the year's last day */
    const char *debit_account, *credit_account;
    int64_t amount_cents;
    uint8_t item[2 + GL_AN_ITEM_MAX]; /* the lines' analytic item */
    size_t item_len;
} fd_entry;

/* The entries for the results not booked yet, into out (at most 2n):
 * for each grant in order, the report (reported > 0) then the use of
 * earlier years (used_old > 0).  Returns their number. */
size_t fd_entries(const fd_year *y, const fd_result *r, size_t n, fd_entry *out);

#endif
