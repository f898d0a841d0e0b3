/*
 * client/funders/cerfa.h — the compte-rendu financier de subvention
 * (CERFA n° 15059) of a grant's action (issue 19, `grandlivre
 * grant-report`): the form's headings, planned (the budget, BUDGETS)
 * against actual (the analytic balance of the action), pure computation.
 *
 * Headings: charges 60 Achats, 61 Services extérieurs, 62 Autres services
 * extérieurs, 63 Impôts et taxes, 64 Charges de personnel, 65 Autres
 * charges de gestion courante, 66 Charges financières, 67 Charges
 * exceptionnelles, 68 Dotations, 86 Emplois des contributions volontaires
 * en nature; products 70 Ventes, 74 Subventions d'exploitation (with a
 * row per funder under it), 75, 76, 77, 78, 87 Contributions volontaires
 * en nature.  An account belongs to the heading of its first two digits;
 * 69 (impôts sur les bénéfices) and 71-73, 79 (transferts, production
 * stockée) have no heading of the form: cerfa_heading_of says so, and the
 * report adds them to a last "other" row of their side so that the totals
 * stay the ledger's.
 */
#ifndef GL_CERFA_H
#define GL_CERFA_H

#include "funders.h"

enum { CERFA_CHARGE = 0, CERFA_PRODUCT = 1 };

typedef struct cerfa_heading {
    const char *code;  /* "60" ... "87"; "6", "7" the other rows */
    const char *label; /* English, through N_(); French by the catalogue */
    int side;          /* CERFA_CHARGE, CERFA_PRODUCT */
} cerfa_heading;

/* The headings in the form's order, the two "other" rows included. */
const cerfa_heading *cerfa_headings(size_t *n);
/* The index of account's heading in cerfa_headings, or -1 for an account
 * of neither side (classes 1-5, 8 other than 86/87). */
int cerfa_heading_of(const char *account);

typedef struct cerfa_row {
    int64_t planned_cents, actual_cents;
} cerfa_row;

typedef struct cerfa_report {
    size_t n;                      /* cerfa_headings' count */
    cerfa_row *rows;               /* by heading */
    fr_totals funders;             /* 74: actual per funder (code -> cents), by code */
    fr_totals funders_planned;     /* 74: the grants of each funder for the action */
    int64_t planned[2], actual[2]; /* totals by side */
} cerfa_report;

int cerfa_init(cerfa_report *r);
void cerfa_free(cerfa_report *r);
/* A budget row (group, amount): to its group's heading (a group of one
 * digit, "6" or "7", to the side's other row).  GL_OK,
 * GL_ERR_SUM_OVERFLOW, GL_ERR_NOT_FOUND (a group of no heading). */
int cerfa_add_planned(cerfa_report *r, const char *group, int64_t cents);
/* An analytic balance row of the action (account, debit, credit): a
 * charge is debit - credit, a product credit - debit.  Accounts of no
 * heading are left out (GL_OK). */
int cerfa_add_actual(cerfa_report *r, const char *account, int64_t debit_cents,
                     int64_t credit_cents);
/* The totals by side.  GL_OK or GL_ERR_SUM_OVERFLOW. */
int cerfa_total(cerfa_report *r);

#endif
