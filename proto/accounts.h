/*
 * proto/accounts.h — the accounts the daemon writes entries to by itself
 * (the year close, the group's recharges and dues), and the texts of those
 * entries, which the offline verifier rebuilds byte for byte: written once
 * here for both, so that a change can never reach one and not the other.  Account numbers of the
 * associations' chart (PCG + règlement ANC 2018-06, unchanged in the 2025
 * chart: proto/chart_rules.h).  Constants only (the texts are printf
 * formats, their arguments said beside them).
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

/* The texts of the close's two entries: the result entry (the closed
 * year), then the à-nouveaux (the next year). */
#define GL_CLOSE_RESULT_JOURNAL "CL"
#define GL_CLOSE_RESULT_PIECE "CLOTURE-%u"                   /* fiscal year */
#define GL_CLOSE_RESULT_LABEL "Détermination du résultat %u" /* fiscal year */
#define GL_CLOSE_OPENING_JOURNAL "AN"
#define GL_CLOSE_OPENING_PIECE "AN-%u"         /* the next fiscal year */
#define GL_CLOSE_OPENING_LABEL "À-nouveaux %u" /* the next fiscal year */

/* The texts of a recharge's or dues' pair of entries: the umbrella's
 * invoice and the member's expense, labelled GL_GROUP_LABEL (the text
 * below, then the group code of the other party). */
#define GL_GROUP_INVOICE_JOURNAL "VT"
#define GL_GROUP_EXPENSE_JOURNAL "AC"
#define GL_GROUP_LABEL "%s %s"                               /* text, the other party's code */
#define GL_RECHARGE_PIECE "RCH-%04u-%02u-V%u"                /* year, month, keys version */
#define GL_RECHARGE_TEXT "Refacturation des frais %04u-%02u" /* year, month */
#define GL_DUES_PIECE "COT-%u"                               /* year */
#define GL_DUES_TEXT "Cotisation annuelle %u"                /* year */
/* Issue 20: a body carrying its accounts writes one piece per member, the
 * request's piece then "-" and the member's code (RCH-2026-03-V1-AGIIE),
 * both halves of the pair with the same piece. */
#define GL_GROUP_PIECE_MEMBER "%s-%s"                                  /* piece, member code */
#define GL_ADJUST_PIECE "RCH-REG-%04u"                                 /* year */
#define GL_ADJUST_TEXT "Régularisation des frais %04u"                 /* year */
#define GL_ADJUST_CREDIT_TEXT "Avoir de régularisation des frais %04u" /* year */
#define GL_ADJUST_DATE_DEFAULT(year) ((uint32_t)(year)*10000 + 1231)
/* The dues' date when the request gives none: 31 January of the year. */
#define GL_DUES_DATE_DEFAULT(year) ((uint32_t)(year)*10000 + 131)

#endif
