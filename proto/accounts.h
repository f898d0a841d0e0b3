/*
 * proto/accounts.h — the accounts the daemon writes entries to by itself
 * (the year close, the group's recharges and dues), which the offline
 * verifier rebuilds byte for byte: written once here for both, so that a
 * change can never reach one and not the other.  Account numbers of the
 * associations' chart (PCG + règlement ANC 2018-06, unchanged in the 2025
 * chart: proto/chart_rules.h).  Constants only.
 */
#ifndef GL_ACCOUNTS_H
#define GL_ACCOUNTS_H

/* The year close: the result of classes 6 and 7. */
#define GL_ACCOUNT_RESULT_SURPLUS "120000" /* Résultat de l'exercice (excédent) */
#define GL_ACCOUNT_RESULT_DEFICIT "129000" /* Résultat de l'exercice (déficit) */

/* Recharges (convention de répartition des frais) and dues (cotisations). */
#define GL_ACCOUNT_RECHARGE_REVENUE "706100" /* the umbrella's revenue */
#define GL_ACCOUNT_RECHARGE_EXPENSE "628000" /* the member's expense */
#define GL_ACCOUNT_DUES_REVENUE "756100"     /* the umbrella's dues received */
#define GL_ACCOUNT_DUES_EXPENSE "628100"     /* the member's dues paid */
#define GL_ACCOUNT_RECEIVABLE "411000"       /* the umbrella's claim on the member */
#define GL_ACCOUNT_PAYABLE "401000"          /* the member's debt to the umbrella */

#endif
