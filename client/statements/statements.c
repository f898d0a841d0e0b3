/*
 * client/statements/statements.c — the bilan, the compte de résultat and
 * the contributions volontaires en nature from account balances (see
 * statements.h for the mapping rule).
 *
 * The statements of a model are one table (rows_2018, rows_2025), in the
 * order of its models (modèle de bilan, modèle de compte de résultat "en
 * liste", tableau des contributions volontaires en nature): group titles,
 * headings with their account prefixes, and totals whose formula names
 * earlier lines.  The bilan and the contributions en nature are the same in
 * both (BILAN_ROWS, CVN_ROWS); a key means the same heading in both models,
 * so that a 2025 statement and its reclassified 2024 column line up.
 * Amounts are net (gross minus amortissements and dépréciations: the 28 and
 * 29 accounts sit in the heading of the assets they reduce), one column per
 * input column.  The per-column identities (actif = passif, bilan result =
 * compte de résultat result, 86 = 87) hold by construction when every entry
 * balances and class 8 entries stay within class 8; stmt_check verifies them
 * on the numbers rather than trusting the construction.
 */
#include "statements.h"

#include "client/input/chart.h"
#include "proto/assert.h"
#include "proto/chart_rules.h"
#include "proto/money.h"

#include <stdio.h>
#include <string.h>

typedef struct row_def {
    enum stmt_part part;
    enum stmt_kind kind;
    char side; /* ITEM: 'D' shown as debit - credit, 'C' as credit - debit */
    bool major;
    const char *key;
    const char *label;
    const char *spec; /* ITEM: prefixes "491 d41 c40"; TOTAL: "+key -key" */
} row_def;

#define T(part, label)                                \
    {                                                 \
        part, STMT_TITLE, 0, false, NULL, label, NULL \
    }
#define I(part, side, key, label, prefixes)                \
    {                                                      \
        part, STMT_ITEM, side, false, key, label, prefixes \
    }
#define S(part, key, label, formula)                    \
    {                                                   \
        part, STMT_TOTAL, 0, false, key, label, formula \
    }
#define M(part, key, label, formula)                   \
    {                                                  \
        part, STMT_TOTAL, 0, true, key, label, formula \
    }

#define BILAN_ROWS                                                                                                  \
    /* ---- BILAN — ACTIF ---- */                                                                                 \
    T(STMT_ACTIF, "Actif immobilisé"),                                                                              \
        I(STMT_ACTIF, 'D', "actif.incorporelles", "Immobilisations incorporelles",                                  \
          "20 232 237 280 290 2932"),                                                                               \
        I(STMT_ACTIF, 'D', "actif.corporelles", "Immobilisations corporelles",                                      \
          "2 21 22 23 281 282 291 292 293"),                                                                        \
        I(STMT_ACTIF, 'D', "actif.legs",                                                                            \
          "Biens reçus par legs ou donations destinés à être cédés", "24 294"),                                     \
        I(STMT_ACTIF, 'D', "actif.financieres", "Immobilisations financières",                                      \
          "25 26 27 296 297"),                                                                                      \
        S(STMT_ACTIF, "actif.immobilise", "Total I — Actif immobilisé",                                             \
          "+actif.incorporelles +actif.corporelles +actif.legs +actif.financieres"),                                \
        T(STMT_ACTIF, "Actif circulant"),                                                                           \
        I(STMT_ACTIF, 'D', "actif.stocks", "Stocks et en-cours", "3"),                                              \
        I(STMT_ACTIF, 'D', "actif.avances", "Avances et acomptes versés sur commandes", "d4091"),                   \
        I(STMT_ACTIF, 'D', "actif.usagers", "Créances usagers et comptes rattachés", "d41 491"),                    \
        I(STMT_ACTIF, 'D', "actif.creances_legs", "Créances reçues par legs ou donations",                          \
          "d461"),                                                                                                  \
        I(STMT_ACTIF, 'D', "actif.autres_creances", "Autres créances", "d4 49"),                                    \
        I(STMT_ACTIF, 'D', "actif.vmp", "Valeurs mobilières de placement", "50 59"),                                \
        I(STMT_ACTIF, 'D', "actif.disponibilites", "Disponibilités", "d5"),                                         \
        I(STMT_ACTIF, 'D', "actif.cca", "Charges constatées d'avance", "d486"),                                     \
        S(STMT_ACTIF, "actif.circulant", "Total II — Actif circulant",                                              \
          "+actif.stocks +actif.avances +actif.usagers +actif.creances_legs +actif.autres_creances +actif.vmp "     \
          "+actif.disponibilites +actif.cca"),                                                                      \
        I(STMT_ACTIF, 'D', "actif.frais_emission", "Frais d'émission des emprunts (III)", "4816"),                  \
        I(STMT_ACTIF, 'D', "actif.primes", "Primes de remboursement des emprunts (IV)", "169"),                     \
        I(STMT_ACTIF, 'D', "actif.ecarts", "Écarts de conversion actif (V)", "476"),                                \
        M(STMT_ACTIF, "actif.total", "TOTAL ACTIF (I à V)",                                                         \
          "+actif.immobilise +actif.circulant +actif.frais_emission +actif.primes +actif.ecarts"),                  \
                                                                                                                    \
        /* ---- BILAN — PASSIF ---- */                                                                            \
        T(STMT_PASSIF, "Fonds propres"),                                                                            \
        I(STMT_PASSIF, 'C', "passif.fp_sans_reprise", "Fonds propres sans droit de reprise",                        \
          "102"),                                                                                                   \
        I(STMT_PASSIF, 'C', "passif.fp_avec_reprise", "Fonds propres avec droit de reprise",                        \
          "103"),                                                                                                   \
        I(STMT_PASSIF, 'C', "passif.ecarts_reevaluation", "Écarts de réévaluation", "105"),                         \
        I(STMT_PASSIF, 'C', "passif.reserves", "Réserves", "106"),                                                  \
        I(STMT_PASSIF, 'C', "passif.autres_fp", "Autres fonds propres", "1 10"),                                    \
        I(STMT_PASSIF, 'C', "passif.report", "Report à nouveau", "11"),                                             \
        I(STMT_PASSIF, 'C', "passif.resultat_instance", "Résultat en instance d'affectation",                       \
          "12"),                                                                                                    \
        I(STMT_PASSIF, 'C', "passif.resultat", "Résultat de l'exercice (excédent ou déficit)",                      \
          "6 7"),                                                                                                   \
        I(STMT_PASSIF, 'C', "passif.subventions_invest", "Subventions d'investissement", "13"),                     \
        I(STMT_PASSIF, 'C', "passif.provisions_reglementees", "Provisions réglementées", "14"),                     \
        S(STMT_PASSIF, "passif.fonds_propres", "Total I — Fonds propres",                                           \
          "+passif.fp_sans_reprise +passif.fp_avec_reprise +passif.ecarts_reevaluation +passif.reserves "           \
          "+passif.autres_fp +passif.report +passif.resultat_instance +passif.resultat +passif.subventions_invest " \
          "+passif.provisions_reglementees"),                                                                       \
        T(STMT_PASSIF, "Fonds reportés et dédiés"),                                                                 \
        I(STMT_PASSIF, 'C', "passif.fonds_reportes", "Fonds reportés liés aux legs ou donations",                   \
          "191"),                                                                                                   \
        I(STMT_PASSIF, 'C', "passif.fonds_dedies", "Fonds dédiés", "19"),                                           \
        S(STMT_PASSIF, "passif.reportes_dedies", "Total II — Fonds reportés et dédiés",                             \
          "+passif.fonds_reportes +passif.fonds_dedies"),                                                           \
        T(STMT_PASSIF, "Provisions"),                                                                               \
        I(STMT_PASSIF, 'C', "passif.provisions_risques", "Provisions pour risques", "151"),                         \
        I(STMT_PASSIF, 'C', "passif.provisions_charges", "Provisions pour charges", "15"),                          \
        S(STMT_PASSIF, "passif.provisions", "Total III — Provisions",                                               \
          "+passif.provisions_risques +passif.provisions_charges"),                                                 \
        T(STMT_PASSIF, "Dettes"),                                                                                   \
        I(STMT_PASSIF, 'C', "passif.emprunts_obligataires",                                                         \
          "Emprunts obligataires et assimilés (titres associatifs)", "161 163 167"),                                \
        I(STMT_PASSIF, 'C', "passif.emprunts_credit",                                                               \
          "Emprunts et dettes auprès des établissements de crédit", "164 519 c5"),                                  \
        I(STMT_PASSIF, 'C', "passif.emprunts_divers", "Emprunts et dettes financières diverses",                    \
          "16 17 18 c455"),                                                                                         \
        I(STMT_PASSIF, 'C', "passif.fournisseurs", "Dettes fournisseurs et comptes rattachés",                      \
          "c40"),                                                                                                   \
        I(STMT_PASSIF, 'C', "passif.dettes_legs", "Dettes des legs ou donations", "c466"),                          \
        I(STMT_PASSIF, 'C', "passif.fiscales_sociales", "Dettes fiscales et sociales",                              \
          "c42 c43 c44"),                                                                                           \
        I(STMT_PASSIF, 'C', "passif.dettes_immobilisations",                                                        \
          "Dettes sur immobilisations et comptes rattachés", "c404 c405"),                                          \
        I(STMT_PASSIF, 'C', "passif.autres_dettes", "Autres dettes", "c4"),                                         \
        I(STMT_PASSIF, 'C', "passif.pca", "Produits constatés d'avance", "c487"),                                   \
        S(STMT_PASSIF, "passif.dettes", "Total IV — Dettes",                                                        \
          "+passif.emprunts_obligataires +passif.emprunts_credit +passif.emprunts_divers +passif.fournisseurs "     \
          "+passif.dettes_legs +passif.fiscales_sociales +passif.dettes_immobilisations +passif.autres_dettes "     \
          "+passif.pca"),                                                                                           \
        I(STMT_PASSIF, 'C', "passif.ecarts", "Écarts de conversion passif (V)", "477"),                             \
        M(STMT_PASSIF, "passif.total", "TOTAL PASSIF (I à V)",                                                      \
          "+passif.fonds_propres +passif.reportes_dedies +passif.provisions +passif.dettes +passif.ecarts")

#define CVN_ROWS                                                                                \
    /* ---- CONTRIBUTIONS VOLONTAIRES EN NATURE (below the result) ---- */                      \
    T(STMT_CVN, "Contributions volontaires en nature (87)"),                                    \
        I(STMT_CVN, 'C', "cvn.dons", "Dons en nature", "870"),                                  \
        I(STMT_CVN, 'C', "cvn.prestations_recues", "Prestations en nature", "87 871"),          \
        I(STMT_CVN, 'C', "cvn.benevolat", "Bénévolat", "875"),                                  \
        M(STMT_CVN, "cvn.contributions", "Total des contributions volontaires en nature",       \
          "+cvn.dons +cvn.prestations_recues +cvn.benevolat"),                                  \
        T(STMT_CVN, "Emplois des contributions volontaires en nature (86)"),                    \
        I(STMT_CVN, 'D', "cvn.secours", "Secours en nature", "860"),                            \
        I(STMT_CVN, 'D', "cvn.mises_a_disposition", "Mises à disposition gratuites de biens",   \
          "861"),                                                                               \
        I(STMT_CVN, 'D', "cvn.prestations", "Prestations en nature", "86 862"),                 \
        I(STMT_CVN, 'D', "cvn.personnel_benevole", "Personnel bénévole", "864"),                \
        M(STMT_CVN, "cvn.emplois", "Total des emplois des contributions volontaires en nature", \
          "+cvn.secours +cvn.mises_a_disposition +cvn.prestations +cvn.personnel_benevole")

/* Fiscal years opened before 2025-01-01: règlement ANC 2018-06. */
/* jscpd:ignore-start: data tables, each model as published (repeated on purpose) */
static const row_def rows_2018[] = {
    BILAN_ROWS,
    /* ---- COMPTE DE RÉSULTAT (2018-06) ---- */
    T(STMT_RESULTAT, "Produits d'exploitation"),
    I(STMT_RESULTAT, 'C', "cr.cotisations", "Cotisations", "756"),
    I(STMT_RESULTAT, 'C', "cr.ventes", "Ventes de biens et services", "70"),
    I(STMT_RESULTAT, 'C', "cr.production", "Production stockée et immobilisée", "71 72"),
    I(STMT_RESULTAT, 'C', "cr.subventions", "Concours publics et subventions d'exploitation",
      "73 74"),
    I(STMT_RESULTAT, 'C', "cr.fondateurs",
      "Versements des fondateurs ou consommations de la dotation consomptible", "753"),
    I(STMT_RESULTAT, 'C', "cr.generosite", "Ressources liées à la générosité du public", "754"),
    I(STMT_RESULTAT, 'C', "cr.contributions", "Contributions financières", "755"),
    I(STMT_RESULTAT, 'C', "cr.reprises",
      "Reprises sur amortissements, dépréciations, provisions et transferts de charges", "781 791"),
    I(STMT_RESULTAT, 'C', "cr.utilisations_fonds_dedies", "Utilisations des fonds dédiés", "789"),
    I(STMT_RESULTAT, 'C', "cr.autres_produits", "Autres produits", "7 75"),
    S(STMT_RESULTAT, "cr.produits_exploitation", "Total I — Produits d'exploitation",
      "+cr.cotisations +cr.ventes +cr.production +cr.subventions +cr.fondateurs +cr.generosite "
      "+cr.contributions +cr.reprises +cr.utilisations_fonds_dedies +cr.autres_produits"),
    T(STMT_RESULTAT, "Charges d'exploitation"),
    I(STMT_RESULTAT, 'D', "cr.achats", "Achats de marchandises et d'approvisionnements", "60"),
    I(STMT_RESULTAT, 'D', "cr.variation_stocks", "Variation de stocks", "603"),
    I(STMT_RESULTAT, 'D', "cr.charges_externes", "Autres achats et charges externes",
      "604 605 606 61 62"),
    I(STMT_RESULTAT, 'D', "cr.aides", "Aides financières", "657"),
    I(STMT_RESULTAT, 'D', "cr.impots_taxes", "Impôts, taxes et versements assimilés", "63"),
    I(STMT_RESULTAT, 'D', "cr.salaires", "Salaires et traitements", "64"),
    I(STMT_RESULTAT, 'D', "cr.charges_sociales", "Charges sociales", "645 646 647"),
    I(STMT_RESULTAT, 'D', "cr.dotations_amortissements",
      "Dotations aux amortissements et aux dépréciations", "681"),
    I(STMT_RESULTAT, 'D', "cr.dotations_provisions", "Dotations aux provisions", "6815"),
    I(STMT_RESULTAT, 'D', "cr.reports_fonds_dedies", "Reports en fonds dédiés", "689"),
    I(STMT_RESULTAT, 'D', "cr.autres_charges", "Autres charges", "6 65"),
    S(STMT_RESULTAT, "cr.charges_exploitation", "Total II — Charges d'exploitation",
      "+cr.achats +cr.variation_stocks +cr.charges_externes +cr.aides +cr.impots_taxes +cr.salaires "
      "+cr.charges_sociales +cr.dotations_amortissements +cr.dotations_provisions +cr.reports_fonds_dedies "
      "+cr.autres_charges"),
    M(STMT_RESULTAT, "cr.resultat_exploitation", "1. Résultat d'exploitation (I − II)",
      "+cr.produits_exploitation -cr.charges_exploitation"),
    T(STMT_RESULTAT, "Opérations financières"),
    I(STMT_RESULTAT, 'C', "cr.produits_financiers", "Produits financiers (III)", "76 786 796"),
    I(STMT_RESULTAT, 'D', "cr.charges_financieres", "Charges financières (IV)", "66 686"),
    S(STMT_RESULTAT, "cr.resultat_financier", "2. Résultat financier (III − IV)",
      "+cr.produits_financiers -cr.charges_financieres"),
    M(STMT_RESULTAT, "cr.resultat_courant", "3. Résultat courant avant impôts (I − II + III − IV)",
      "+cr.resultat_exploitation +cr.resultat_financier"),
    T(STMT_RESULTAT, "Opérations exceptionnelles"),
    I(STMT_RESULTAT, 'C', "cr.produits_exceptionnels", "Produits exceptionnels (V)", "77 787 797"),
    I(STMT_RESULTAT, 'D', "cr.charges_exceptionnelles", "Charges exceptionnelles (VI)", "67 687"),
    S(STMT_RESULTAT, "cr.resultat_exceptionnel", "4. Résultat exceptionnel (V − VI)",
      "+cr.produits_exceptionnels -cr.charges_exceptionnelles"),
    I(STMT_RESULTAT, 'D', "cr.participation", "Participation des salariés aux résultats (VII)",
      "691"),
    I(STMT_RESULTAT, 'D', "cr.impots_benefices", "Impôts sur les bénéfices (VIII)", "69"),
    S(STMT_RESULTAT, "cr.total_produits", "Total des produits (I + III + V)",
      "+cr.produits_exploitation +cr.produits_financiers +cr.produits_exceptionnels"),
    S(STMT_RESULTAT, "cr.total_charges", "Total des charges (II + IV + VI + VII + VIII)",
      "+cr.charges_exploitation +cr.charges_financieres +cr.charges_exceptionnelles +cr.participation "
      "+cr.impots_benefices"),
    M(STMT_RESULTAT, "cr.resultat", "EXCÉDENT OU DÉFICIT (produits − charges)",
      "+cr.total_produits -cr.total_charges"),
    CVN_ROWS,
};
/* jscpd:ignore-end */

/* Fiscal years opened from 2025-01-01: 2018-06 as coordinated by 2023-03
 * with the PCG of 2022-06 (docs/chart-2025.md): no transfers of charges
 * (781 alone in the reprises, 786 and 787 alone in theirs), investment
 * grants released through 747 and disposals of fixed assets through 757 and
 * 652 in the operating result (headings of their own, which detail the
 * model's "Autres produits" and "Autres charges"), and an exceptional
 * result kept for major and unusual events (PCG art. 513-5). */
/* jscpd:ignore-start: data tables, each model as published (repeated on purpose) */
static const row_def rows_2025[] = {
    BILAN_ROWS,
    /* ---- COMPTE DE RÉSULTAT (2018-06 coordinated by 2023-03, PCG 2022-06) ---- */
    T(STMT_RESULTAT, "Produits d'exploitation"),
    I(STMT_RESULTAT, 'C', "cr.cotisations", "Cotisations", "756"),
    I(STMT_RESULTAT, 'C', "cr.ventes", "Ventes de biens et services", "70"),
    I(STMT_RESULTAT, 'C', "cr.production", "Production stockée et immobilisée", "71 72"),
    I(STMT_RESULTAT, 'C', "cr.subventions", "Concours publics et subventions d'exploitation",
      "73 74"),
    I(STMT_RESULTAT, 'C', "cr.quote_part_subventions",
      "Quote-part des subventions d'investissement virée au résultat", "747"),
    I(STMT_RESULTAT, 'C', "cr.fondateurs",
      "Versements des fondateurs ou consommations de la dotation consomptible", "753"),
    I(STMT_RESULTAT, 'C', "cr.generosite", "Ressources liées à la générosité du public", "754"),
    I(STMT_RESULTAT, 'C', "cr.contributions", "Contributions financières", "755"),
    I(STMT_RESULTAT, 'C', "cr.reprises", "Reprises sur amortissements, dépréciations et provisions",
      "781"),
    I(STMT_RESULTAT, 'C', "cr.utilisations_fonds_dedies", "Utilisations des fonds dédiés", "789"),
    I(STMT_RESULTAT, 'C', "cr.produits_cessions", "Produits des cessions d'immobilisations", "757"),
    I(STMT_RESULTAT, 'C', "cr.autres_produits", "Autres produits", "7 75"),
    S(STMT_RESULTAT, "cr.produits_exploitation", "Total I — Produits d'exploitation",
      "+cr.cotisations +cr.ventes +cr.production +cr.subventions +cr.quote_part_subventions +cr.fondateurs "
      "+cr.generosite +cr.contributions +cr.reprises +cr.utilisations_fonds_dedies +cr.produits_cessions "
      "+cr.autres_produits"),
    T(STMT_RESULTAT, "Charges d'exploitation"),
    I(STMT_RESULTAT, 'D', "cr.achats", "Achats de marchandises et d'approvisionnements", "60"),
    I(STMT_RESULTAT, 'D', "cr.variation_stocks", "Variation de stocks", "603"),
    I(STMT_RESULTAT, 'D', "cr.charges_externes", "Autres achats et charges externes",
      "604 605 606 61 62"),
    I(STMT_RESULTAT, 'D', "cr.aides", "Aides financières", "657"),
    I(STMT_RESULTAT, 'D', "cr.impots_taxes", "Impôts, taxes et versements assimilés", "63"),
    I(STMT_RESULTAT, 'D', "cr.salaires", "Salaires et traitements", "64"),
    I(STMT_RESULTAT, 'D', "cr.charges_sociales", "Charges sociales", "645 646 647"),
    I(STMT_RESULTAT, 'D', "cr.dotations_amortissements",
      "Dotations aux amortissements et aux dépréciations", "681"),
    I(STMT_RESULTAT, 'D', "cr.dotations_provisions", "Dotations aux provisions", "6815"),
    I(STMT_RESULTAT, 'D', "cr.reports_fonds_dedies", "Reports en fonds dédiés", "689"),
    I(STMT_RESULTAT, 'D', "cr.valeurs_cessions", "Valeurs comptables des immobilisations cédées",
      "652"),
    I(STMT_RESULTAT, 'D', "cr.autres_charges", "Autres charges", "6 65"),
    S(STMT_RESULTAT, "cr.charges_exploitation", "Total II — Charges d'exploitation",
      "+cr.achats +cr.variation_stocks +cr.charges_externes +cr.aides +cr.impots_taxes +cr.salaires "
      "+cr.charges_sociales +cr.dotations_amortissements +cr.dotations_provisions +cr.reports_fonds_dedies "
      "+cr.valeurs_cessions +cr.autres_charges"),
    M(STMT_RESULTAT, "cr.resultat_exploitation", "1. Résultat d'exploitation (I − II)",
      "+cr.produits_exploitation -cr.charges_exploitation"),
    T(STMT_RESULTAT, "Opérations financières"),
    I(STMT_RESULTAT, 'C', "cr.produits_financiers", "Produits financiers (III)", "76 786"),
    I(STMT_RESULTAT, 'D', "cr.charges_financieres", "Charges financières (IV)", "66 686"),
    S(STMT_RESULTAT, "cr.resultat_financier", "2. Résultat financier (III − IV)",
      "+cr.produits_financiers -cr.charges_financieres"),
    M(STMT_RESULTAT, "cr.resultat_courant", "3. Résultat courant avant impôts (I − II + III − IV)",
      "+cr.resultat_exploitation +cr.resultat_financier"),
    T(STMT_RESULTAT, "Opérations exceptionnelles (événements majeurs et inhabituels)"),
    I(STMT_RESULTAT, 'C', "cr.produits_exceptionnels", "Produits exceptionnels (V)", "77 787"),
    I(STMT_RESULTAT, 'D', "cr.charges_exceptionnelles", "Charges exceptionnelles (VI)", "67 687"),
    S(STMT_RESULTAT, "cr.resultat_exceptionnel", "4. Résultat exceptionnel (V − VI)",
      "+cr.produits_exceptionnels -cr.charges_exceptionnelles"),
    I(STMT_RESULTAT, 'D', "cr.participation", "Participation des salariés aux résultats (VII)",
      "691"),
    I(STMT_RESULTAT, 'D', "cr.impots_benefices", "Impôts sur les bénéfices (VIII)", "69"),
    S(STMT_RESULTAT, "cr.total_produits", "Total des produits (I + III + V)",
      "+cr.produits_exploitation +cr.produits_financiers +cr.produits_exceptionnels"),
    S(STMT_RESULTAT, "cr.total_charges", "Total des charges (II + IV + VI + VII + VIII)",
      "+cr.charges_exploitation +cr.charges_financieres +cr.charges_exceptionnelles +cr.participation "
      "+cr.impots_benefices"),
    M(STMT_RESULTAT, "cr.resultat", "EXCÉDENT OU DÉFICIT (produits − charges)",
      "+cr.total_produits -cr.total_charges"),
    CVN_ROWS,
};
/* jscpd:ignore-end */

typedef struct model_def {
    const row_def *rows;
    size_t count;
} model_def;

static const model_def models[] = {
    [STMT_MODEL_2018] = {rows_2018, sizeof rows_2018 / sizeof rows_2018[0]},
    [STMT_MODEL_2025] = {rows_2025, sizeof rows_2025 / sizeof rows_2025[0]},
};
_Static_assert(sizeof rows_2018 / sizeof rows_2018[0] <= STMT_LINES_MAX,
               "STMT_LINES_MAX too small (2018)");
_Static_assert(sizeof rows_2025 / sizeof rows_2025[0] <= STMT_LINES_MAX,
               "STMT_LINES_MAX too small (2025)");

static const model_def *model_of(enum stmt_model m)
{
    GL_ASSERT(m == STMT_MODEL_2018 || m == STMT_MODEL_2025);
    return &models[m];
}

enum stmt_model stmt_model_for_start(uint32_t fy_start_ymd)
{
    return gl_chart_edition(fy_start_ymd) >= 2025 ? STMT_MODEL_2025 : STMT_MODEL_2018;
}

const char *stmt_model_name(enum stmt_model m)
{
    return m == STMT_MODEL_2025
               ? "règlement ANC n° 2018-06 modifié par le règlement ANC n° 2023-03 "
                 "(PCG modernisé par le règlement ANC n° 2022-06)"
               : "règlement ANC n° 2018-06";
}

unsigned stmt_model_year(enum stmt_model m) { return m == STMT_MODEL_2025 ? 2025 : 2018; }

static const char *const section_names[] = {
    [STMT_ACTIF] = "ACTIF",
    [STMT_PASSIF] = "PASSIF",
    [STMT_RESULTAT] = "RÉSULTAT",
    [STMT_CVN] = "CVN (classe 8)",
};

static enum stmt_statement statement_of(enum stmt_part p)
{
    return p == STMT_RESULTAT ? STMT_CR : p == STMT_CVN ? STMT_CVN_STATEMENT : STMT_BILAN;
}

/* Walk the space-separated tokens of a spec: fn-style iterator. */
typedef struct token {
    char rule;          /* 'd' debit only, 'c' credit only, 0 any balance */
    const char *prefix; /* not NUL-terminated */
    size_t len;
} token;

static bool next_token(const char **p, token *t)
{
    while (**p == ' ')
        (*p)++;
    if (!**p)
        return false;
    t->rule = 0;
    if (**p == 'd' || **p == 'c')
        t->rule = *(*p)++;
    t->prefix = *p;
    t->len = strcspn(*p, " ");
    *p += t->len;
    return true;
}

static bool token_accepts(const token *t, const char *account, size_t account_len, int sign)
{
    if ((t->rule == 'd' && sign <= 0) || (t->rule == 'c' && sign >= 0))
        return false;
    return t->len && account_len >= t->len && !memcmp(account, t->prefix, t->len);
}

/* The row index receiving a balance of this sign in statement s, or -1. */
static int classify_row(const model_def *md, enum stmt_statement s, const char *account, int sign)
{
    size_t account_len = strlen(account), best_len = 0;
    int best = -1;
    for (size_t r = 0; r < md->count; r++) {
        const row_def *d = &md->rows[r];
        if (d->kind != STMT_ITEM || statement_of(d->part) != s)
            continue;
        const char *p = d->spec;
        token t;
        while (next_token(&p, &t))
            if (t.len > best_len && token_accepts(&t, account, account_len, sign)) {
                best_len = t.len;
                best = (int)r;
            }
    }
    return best;
}

const char *stmt_classify_in(enum stmt_model m, enum stmt_statement s, const char *account,
                             int64_t net)
{
    const model_def *md = model_of(m);
    int r = classify_row(md, s, account, net > 0 ? 1 : net < 0 ? -1 : 1);
    return r < 0 ? NULL : md->rows[r].key;
}

const char *stmt_classify(enum stmt_statement s, const char *account, int64_t net)
{
    return stmt_classify_in(STMT_MODEL_2018, s, account, net);
}

static int row_of_key(const model_def *md, const char *key, size_t len, size_t before)
{
    for (size_t r = 0; r < before; r++)
        if (md->rows[r].key && strlen(md->rows[r].key) == len && !memcmp(md->rows[r].key, key, len))
            return (int)r;
    return -1;
}

const char *stmt_heading(enum stmt_model m, const char *key)
{
    const model_def *md = model_of(m);
    int r = row_of_key(md, key, strlen(key), md->count);
    return r < 0 ? NULL : md->rows[r].label;
}

/* No earlier prefix of the same statement accepts a balance that token t
 * of row r accepts. */
static int check_prefixes(const model_def *md, size_t r, char *why, size_t why_len)
{
    const row_def *d = &md->rows[r];
    const char *p = d->spec;
    token t;
    while (next_token(&p, &t)) {
        for (size_t o = 0; o <= r; o++) {
            const row_def *e = &md->rows[o];
            if (e->kind != STMT_ITEM || statement_of(e->part) != statement_of(d->part))
                continue;
            const char *q = e->spec;
            token u;
            while (next_token(&q, &u)) {
                if (u.prefix == t.prefix)
                    break; /* reached the token itself */
                bool same = u.len == t.len && !memcmp(u.prefix, t.prefix, t.len);
                bool overlap = !u.rule || !t.rule || u.rule == t.rule;
                if (same && overlap) {
                    snprintf(why, why_len, "%s and %s both take prefix %.*s", e->key, d->key,
                             (int)t.len, t.prefix);
                    return -1;
                }
            }
        }
    }
    return 0;
}

static int table_check(const model_def *md, char *why, size_t why_len)
{
    for (size_t r = 0; r < md->count; r++) {
        const row_def *d = &md->rows[r];
        if (d->kind == STMT_TITLE)
            continue;
        if (!d->key || row_of_key(md, d->key, strlen(d->key), r) >= 0) {
            snprintf(why, why_len, "row %zu: missing or duplicate key", r);
            return -1;
        }
        if (d->kind == STMT_TOTAL) {
            for (const char *p = d->spec; *p;) {
                while (*p == ' ')
                    p++;
                size_t n = strcspn(p, " ");
                if (n < 2 || (p[0] != '+' && p[0] != '-') || row_of_key(md, p + 1, n - 1, r) < 0) {
                    snprintf(why, why_len, "%s: bad term '%.*s'", d->key, (int)n, p);
                    return -1;
                }
                p += n;
            }
            continue;
        }
        if (d->side != 'D' && d->side != 'C') {
            snprintf(why, why_len, "%s: no side", d->key);
            return -1;
        }
        if (check_prefixes(md, r, why, why_len))
            return -1;
    }
    return 0;
}

int stmt_table_check(char *why, size_t why_len)
{
    for (size_t m = 0; m < sizeof models / sizeof models[0]; m++) {
        char inner[200] = "";
        if (table_check(&models[m], inner, sizeof inner)) {
            snprintf(why, why_len, "model %u: %s", stmt_model_year((enum stmt_model)m), inner);
            return -1;
        }
    }
    return 0;
}

/* Add v to *acc, recording an overflow. */
static void add(stmt_result *r, int64_t *acc, int64_t v)
{
    if (!gl_money_add(acc, v))
        r->overflow = true;
}

/* The amount a heading shows for a net balance: debit - credit on the debit
 * side, credit - debit on the other. */
static int64_t shown(stmt_result *r, char side, int64_t net)
{
    if (side == 'D')
        return net;
    if (net == INT64_MIN) {
        r->overflow = true;
        return 0;
    }
    return -net;
}

static void note_ignored(stmt_result *out, const char *account)
{
    if (out->ignored++ == 0)
        snprintf(out->ignored_example, sizeof out->ignored_example, "%s", account);
}

/* Classify one input row in every statement, for both signs: rows index or
 * -1 per [statement][sign: 0 debit, 1 credit]. */
static void classify_all(const model_def *md, const char *account, int target[3][2])
{
    for (int s = 0; s < 3; s++) {
        target[s][0] = classify_row(md, (enum stmt_statement)s, account, 1);
        target[s][1] = classify_row(md, (enum stmt_statement)s, account, -1);
    }
}

/* The row of gl_chart_changes_2025 under which an account of the earlier
 * chart is reclassified, and the 2025 account it is presented as; -1 when
 * the account is presented as it is. */
static int map_row(const char *account, const char **to)
{
    const gl_chart_change *c = gl_chart_change_of((gl_str){account, strlen(account)});
    *to = gl_chart_presented_2025(c);
    if (!*to)
        return -1;
    size_t i = (size_t)(c - gl_chart_changes_2025);
    GL_ASSERT(i < gl_chart_changes_2025_count && i < STMT_MAP_ROWS);
    return (int)i;
}

/* The net of acc in the columns before c that are not sums (the entities
 * and their eliminations): the balance an adjustment in column c corrects.
 * Only its sign is used: a sum past the int64 range keeps the sign. */
static int64_t net_before(const stmt_input *in, const stmt_account *acc, size_t c)
{
    int64_t sum = 0;
    for (size_t k = 0; k < c; k++) {
        if (in->col_kind[k] == STMT_COL_SUM)
            continue;
        if (__builtin_add_overflow(sum, acc->net[k], &sum))
            return acc->net[k] > 0 ? INT64_MAX : INT64_MIN;
    }
    return sum;
}

static void compute_items(const model_def *md, const stmt_input *in, stmt_result *out)
{
    bool any_mapped = false;
    for (size_t c = 0; c < in->ncols; c++)
        any_mapped |= out->mapped_col[c] && in->col_kind[c] != STMT_COL_SUM;
    for (size_t a = 0; a < in->count; a++) {
        const stmt_account *acc = &in->accounts[a];
        int target[3][2], mapped_target[3][2];
        classify_all(md, acc->account, target);
        const char *to = NULL;
        int mrow = any_mapped ? map_row(acc->account, &to) : -1;
        if (mrow >= 0)
            classify_all(md, to, mapped_target);
        bool ignored = false, deduction = stmt_is_deduction(acc->account);
        for (size_t c = 0; c < in->ncols; c++) {
            int64_t net = acc->net[c];
            if (net == 0 || in->col_kind[c] == STMT_COL_SUM)
                continue;
            bool remap = mrow >= 0 && out->mapped_col[c];
            if (remap)
                add(out, &out->mapped[mrow][c], net);
            /* an elimination is classified by the balance it removes, an
             * adjustment by the balance it corrects */
            bool debit = in->col_kind[c] == STMT_COL_ELIMINATIONS ? net < 0 : net > 0;
            if (in->col_kind[c] == STMT_COL_ADJUSTMENTS) {
                int64_t before = net_before(in, acc, c);
                debit = before ? before > 0 : net > 0;
            }
            bool placed = false;
            for (int s = 0; s < 3; s++) {
                int r = (remap ? mapped_target : target)[s][debit ? 0 : 1];
                if (r < 0)
                    continue;
                int64_t v = shown(out, md->rows[r].side, net);
                add(out, &out->lines[r].amount[c], v);
                if (deduction && md->rows[r].part == STMT_ACTIF) {
                    int64_t minus = 0;
                    if (!gl_money_sub(&minus, v))
                        out->overflow = true;
                    add(out, &out->lines[r].deprec[c], minus);
                }
                placed = true;
            }
            ignored |= !placed;
        }
        if (ignored)
            note_ignored(out, acc->account);
    }
    /* sum columns: line by line, so that entities + eliminations = combined
     * on every heading (the sides were chosen per entity, per column); the
     * reclassifications likewise */
    for (size_t c = 0; c < in->ncols; c++) {
        if (in->col_kind[c] != STMT_COL_SUM)
            continue;
        for (size_t k = in->sum_from[c]; k < c; k++) {
            for (size_t l = 0; l < md->count; l++) {
                add(out, &out->lines[l].amount[c], out->lines[l].amount[k]);
                add(out, &out->lines[l].deprec[c], out->lines[l].deprec[k]);
            }
            if (!out->mapped_col[k])
                continue;
            out->mapped_col[c] = true;
            for (size_t m = 0; m < STMT_MAP_ROWS; m++)
                add(out, &out->mapped[m][c], out->mapped[m][k]);
        }
    }
}

static void compute_totals(const model_def *md, stmt_result *out, size_t ncols)
{
    for (size_t r = 0; r < md->count; r++) {
        if (md->rows[r].kind != STMT_TOTAL)
            continue;
        for (const char *p = md->rows[r].spec; *p;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            int from = row_of_key(md, p + 1, n - 1, r);
            GL_ASSERT(from >= 0 && (p[0] == '+' || p[0] == '-'));
            for (size_t c = 0; c < ncols; c++) {
                int64_t *acc = &out->lines[r].amount[c], *dep = &out->lines[r].deprec[c];
                if (!(p[0] == '+' ? gl_money_add(acc, out->lines[from].amount[c]) &&
                                        gl_money_add(dep, out->lines[from].deprec[c])
                                  : gl_money_sub(acc, out->lines[from].amount[c]) &&
                                        gl_money_sub(dep, out->lines[from].deprec[c])))
                    out->overflow = true;
            }
            p += n;
        }
    }
}

void stmt_compute(const stmt_input *in, stmt_result *out)
{
    const model_def *md = model_of(in->model);
    GL_ASSERT(in->ncols >= 1 && in->ncols <= STMT_COLS_MAX);
    GL_ASSERT(gl_chart_changes_2025_count <= STMT_MAP_ROWS);
    for (size_t c = 0; c < in->ncols; c++)
        if (in->col_kind[c] == STMT_COL_SUM) {
            GL_ASSERT(in->sum_from[c] < c);
            for (size_t k = in->sum_from[c]; k < c; k++)
                GL_ASSERT(in->col_kind[k] != STMT_COL_SUM);
        }
    memset(out, 0, sizeof *out);
    out->model = in->model;
    out->ncols = in->ncols;
    for (size_t c = 0; c < in->ncols; c++) {
        snprintf(out->col_names[c], sizeof out->col_names[c], "%s",
                 in->col_names[c] ? in->col_names[c] : "");
        /* only the 2025 model reclassifies: the 2018 one is the earlier chart's own */
        out->mapped_col[c] =
            in->model == STMT_MODEL_2025 && in->map_2018[c] && in->col_kind[c] != STMT_COL_SUM;
    }
    for (size_t r = 0; r < md->count; r++) {
        const row_def *d = &md->rows[r];
        stmt_line *l = &out->lines[r];
        l->part = d->part;
        l->kind = d->kind;
        l->major = d->major;
        l->key = d->key;
        l->section = section_names[d->part];
        l->label = d->label;
        l->accounts = d->kind == STMT_ITEM ? d->spec : NULL;
    }
    out->count = md->count;
    compute_items(md, in, out);
    compute_totals(md, out, in->ncols);
}

int stmt_append_column(stmt_result *dst, const stmt_result *src, size_t col, const char *name)
{
    GL_ASSERT(col < src->ncols);
    if (dst->ncols == STMT_COLS_MAX || src->model != dst->model)
        return -1;
    GL_ASSERT(src->count == dst->count);
    size_t c = dst->ncols++;
    snprintf(dst->col_names[c], sizeof dst->col_names[c], "%s", name);
    for (size_t l = 0; l < dst->count; l++) {
        dst->lines[l].amount[c] = src->lines[l].amount[col];
        dst->lines[l].deprec[c] = src->lines[l].deprec[col];
    }
    dst->mapped_col[c] = src->mapped_col[col];
    for (size_t m = 0; m < STMT_MAP_ROWS; m++)
        dst->mapped[m][c] = src->mapped[m][col];
    dst->overflow |= src->overflow;
    if (src->ignored && !dst->ignored)
        memcpy(dst->ignored_example, src->ignored_example, sizeof dst->ignored_example);
    dst->ignored += src->ignored;
    return 0;
}

bool stmt_is_deduction(const char *account)
{
    static const char *const prefixes[] = {"28", "29", "39", "49", "59"};
    for (size_t i = 0; i < sizeof prefixes / sizeof prefixes[0]; i++)
        if (!strncmp(account, prefixes[i], 2))
            return true;
    return false;
}

bool stmt_gross(const stmt_line *l, size_t col, int64_t *out)
{
    *out = l->amount[col];
    return gl_money_add(out, l->deprec[col]);
}

const stmt_line *stmt_find(const stmt_result *r, const char *key_or_label)
{
    for (size_t i = 0; i < r->count; i++) {
        const stmt_line *l = &r->lines[i];
        if ((l->key && !strcmp(l->key, key_or_label)) || !strcmp(l->label, key_or_label))
            return l;
    }
    return NULL;
}

static int64_t amount_of(const stmt_result *r, const char *key, size_t col)
{
    const stmt_line *l = stmt_find(r, key);
    GL_ASSERT(l);
    return l->amount[col];
}

size_t stmt_check_all(const stmt_result *r, size_t col, char why[][STMT_WHY_MAX], size_t max)
{
    static const char *const pairs[STMT_CHECKS_MAX][3] = {
        {"actif.total", "passif.total", "TOTAL ACTIF differs from TOTAL PASSIF"},
        {"passif.resultat", "cr.resultat",
         "the result in the balance sheet differs from the income statement's"},
        {"cvn.emplois", "cvn.contributions",
         "contributions en nature (87) differ from their emplois (86)"},
    };
    GL_ASSERT(col < r->ncols);
    size_t n = 0;
    if (r->overflow) {
        if (max)
            snprintf(why[n], STMT_WHY_MAX, "a total exceeds the 64-bit cent range");
        return 1;
    }
    for (size_t i = 0; i < STMT_CHECKS_MAX; i++) {
        int64_t a = amount_of(r, pairs[i][0], col), b = amount_of(r, pairs[i][1], col), diff = a;
        if (a == b)
            continue;
        if (n < max) {
            char text[GL_MONEY_TEXT_MAX];
            if (gl_money_sub(&diff, b))
                snprintf(why[n], STMT_WHY_MAX, "%s: %s by %s", r->col_names[col], pairs[i][2],
                         gl_money_format(diff, GL_MONEY_PLAIN, text));
            else
                snprintf(why[n], STMT_WHY_MAX, "%s: %s", r->col_names[col], pairs[i][2]);
        }
        n++;
    }
    return n;
}

int stmt_check(const stmt_result *r, size_t col, char *why, size_t why_len)
{
    char all[STMT_CHECKS_MAX][STMT_WHY_MAX];
    if (stmt_check_all(r, col, all, STMT_CHECKS_MAX) == 0)
        return 0;
    snprintf(why, why_len, "%s", all[0]);
    return -1;
}

/* ---- the reclassification note --------------------------------------- */

size_t stmt_map_lines(const stmt_result *r, stmt_map_line *out, size_t max)
{
    gl_chart c18 = gl_chart_get(2018), c25 = gl_chart_get(2025);
    size_t n = 0;
    for (size_t m = 0; m < gl_chart_changes_2025_count && m < STMT_MAP_ROWS && n < max; m++) {
        int64_t net = 0;
        bool any = false;
        for (size_t c = 0; c < r->ncols; c++)
            if (r->mapped_col[c] && r->mapped[m][c]) {
                any = true;
                net = r->mapped[m][c];
            }
        if (!any)
            continue;
        const gl_chart_change *ch = &gl_chart_changes_2025[m];
        stmt_map_line *l = &out[n++];
        l->row = m;
        l->from = ch->account;
        l->from_label = gl_chart_label(&c18, ch->account, strlen(ch->account));
        l->to = gl_chart_presented_2025(ch);
        l->to_label = gl_chart_label(&c25, l->to, strlen(l->to));
        const char *key = stmt_classify_in(r->model, STMT_CR, l->to, net);
        l->heading = key ? stmt_heading(r->model, key) : NULL;
    }
    return n;
}

bool stmt_balance_side(int64_t net, int64_t *abs_cents, bool *credit)
{
    *credit = net < 0;
    *abs_cents = net;
    if (net == INT64_MIN)
        return false;
    if (net < 0)
        *abs_cents = -net;
    return true;
}

int stmt_render_map_note(const stmt_result *r, enum out_format fmt, FILE *f)
{
    bool any_col = false;
    for (size_t c = 0; c < r->ncols; c++)
        any_col |= r->mapped_col[c];
    if (!any_col)
        return 0;
    stmt_map_line lines[STMT_MAP_ROWS];
    size_t n = stmt_map_lines(r, lines, STMT_MAP_ROWS);
    fputs("\nNote — columns presented in the 2025 model (", f);
    for (size_t c = 0, k = 0; c < r->ncols; c++)
        if (r->mapped_col[c])
            fprintf(f, "%s%s", k++ ? ", " : "", r->col_names[c]);
    fputs(
        "): their books were kept in the earlier chart; as the first application of règlement ANC 2022-06 "
        "asks, their balances are reclassified into the 2025 headings, not restated (the result is unchanged), "
        "by the table of proto/chart_rules.c.\n",
        f);
    if (n == 0)
        fputs("  No account of those columns needed a reclassification.\n", f);
    for (size_t i = 0; i < n; i++)
        if (!strncmp(lines[i].from, "79", 2)) {
            fputs(
                "  Transfers of charges (79x), abolished, are deducted from the charges they refunded: the totals "
                "of produits and of charges of those columns are lower by as much.\n",
                f);
            break;
        }
    for (size_t i = 0; i < n; i++) {
        const stmt_map_line *l = &lines[i];
        fprintf(f, "  %s %s (and sub-accounts) -> %s %s", l->from,
                l->from_label ? l->from_label : "", l->to, l->to_label ? l->to_label : "");
        if (l->heading)
            fprintf(f, " [%s]", l->heading);
        for (size_t c = 0; c < r->ncols; c++) {
            if (!r->mapped_col[c])
                continue;
            char text[GL_MONEY_TEXT_MAX];
            int64_t cents;
            bool credit;
            bool sided = stmt_balance_side(r->mapped[l->row][c], &cents, &credit);
            gl_money_format(cents, fmt == OUT_TABLE_FR ? GL_MONEY_FRENCH : GL_MONEY_PLAIN, text);
            fprintf(f, "; %s: %s%s", r->col_names[c], text,
                    !sided || !cents ? ""
                    : credit         ? " credit"
                                     : " debit");
        }
        fputc('\n', f);
    }
    return ferror(f) ? -1 : 0;
}

bool stmt_line_zero(const stmt_result *r, const stmt_line *l)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (l->amount[c] || l->deprec[c])
            return false;
    return true;
}

int stmt_render(const stmt_result *r, enum out_format fmt, FILE *f)
{
    bool data = fmt == OUT_CSV || fmt == OUT_CSV_FR || fmt == OUT_JSON;
    out_col cols[STMT_COLS_MAX + 5];
    char gross_name[STMT_COL_NAME_MAX + 16], deprec_name[STMT_COL_NAME_MAX + 16];
    size_t n = 0;
    cols[n++] = (out_col){"section", OUT_TEXT};
    if (data)
        cols[n++] = (out_col){"key", OUT_TEXT};
    cols[n++] = (out_col){"heading", OUT_TEXT};
    if (r->gross_detail) {
        snprintf(gross_name, sizeof gross_name, "%s gross", r->col_names[0]);
        snprintf(deprec_name, sizeof deprec_name, "%s depreciation", r->col_names[0]);
        cols[n++] = (out_col){gross_name, OUT_MONEY};
        cols[n++] = (out_col){deprec_name, OUT_MONEY};
    }
    for (size_t c = 0; c < r->ncols; c++)
        cols[n++] = (out_col){r->col_names[c], OUT_MONEY};
    out_table *t = out_new(cols, n);
    if (!t)
        return -1;
    for (size_t i = 0; i < r->count; i++) {
        const stmt_line *l = &r->lines[i];
        if (l->kind == STMT_TITLE || (!data && l->kind == STMT_ITEM && stmt_line_zero(r, l)))
            continue;
        out_cstr(t, l->section);
        if (data)
            out_cstr(t, l->key);
        out_cstr(t, l->label);
        if (r->gross_detail) {
            int64_t gross;
            if (!stmt_gross(l, 0, &gross)) {
                out_free(t);
                return -1;
            }
            out_money(t, gross);
            out_money(t, l->deprec[0]);
        }
        for (size_t c = 0; c < r->ncols; c++)
            out_money(t, l->amount[c]);
    }
    int rc = out_render(t, fmt, f);
    out_free(t);
    if (rc == 0 && !data)
        rc = stmt_render_map_note(r, fmt, f);
    return rc;
}
