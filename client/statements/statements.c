/*
 * client/statements/statements.c — the bilan, the compte de résultat and
 * the contributions volontaires en nature from account balances (see
 * statements.h for the mapping rule).
 *
 * The statements are one table, `rows`, in the order of the ANC 2018-06
 * models (modèle de bilan, modèle de compte de résultat "en liste", tableau
 * des contributions volontaires en nature): group titles, headings with
 * their account prefixes, and totals whose formula names earlier lines.
 * Amounts are net (gross minus amortissements and dépréciations: the 28 and
 * 29 accounts sit in the heading of the assets they reduce), one column per
 * input column.  The per-column identities (actif = passif, bilan result =
 * compte de résultat result, 86 = 87) hold by construction when every entry
 * balances and class 8 entries stay within class 8; stmt_check verifies them
 * on the numbers rather than trusting the construction.
 */
#include "statements.h"

#include "proto/assert.h"
#include "proto/money.h"

#include <stdio.h>
#include <string.h>

typedef struct row_def {
    enum stmt_part part;
    enum stmt_kind kind;
    char side;  /* ITEM: 'D' shown as debit - credit, 'C' as credit - debit */
    bool major;
    const char *key;
    const char *label;
    const char *spec; /* ITEM: prefixes "491 d41 c40"; TOTAL: "+key -key" */
} row_def;

#define T(part, label) {part, STMT_TITLE, 0, false, NULL, label, NULL}
#define I(part, side, key, label, prefixes) {part, STMT_ITEM, side, false, key, label, prefixes}
#define S(part, key, label, formula) {part, STMT_TOTAL, 0, false, key, label, formula}
#define M(part, key, label, formula) {part, STMT_TOTAL, 0, true, key, label, formula}

static const row_def rows[] = {
    /* ---- BILAN — ACTIF ---- */
    T(STMT_ACTIF, "Actif immobilisé"),
    I(STMT_ACTIF, 'D', "actif.incorporelles", "Immobilisations incorporelles", "20 232 237 280 290 2932"),
    I(STMT_ACTIF, 'D', "actif.corporelles", "Immobilisations corporelles", "2 21 22 23 281 282 291 292 293"),
    I(STMT_ACTIF, 'D', "actif.legs", "Biens reçus par legs ou donations destinés à être cédés", "24 294"),
    I(STMT_ACTIF, 'D', "actif.financieres", "Immobilisations financières", "25 26 27 296 297"),
    S(STMT_ACTIF, "actif.immobilise", "Total I — Actif immobilisé",
      "+actif.incorporelles +actif.corporelles +actif.legs +actif.financieres"),
    T(STMT_ACTIF, "Actif circulant"),
    I(STMT_ACTIF, 'D', "actif.stocks", "Stocks et en-cours", "3"),
    I(STMT_ACTIF, 'D', "actif.avances", "Avances et acomptes versés sur commandes", "d4091"),
    I(STMT_ACTIF, 'D', "actif.usagers", "Créances usagers et comptes rattachés", "d41 491"),
    I(STMT_ACTIF, 'D', "actif.creances_legs", "Créances reçues par legs ou donations", "d461"),
    I(STMT_ACTIF, 'D', "actif.autres_creances", "Autres créances", "d4 49"),
    I(STMT_ACTIF, 'D', "actif.vmp", "Valeurs mobilières de placement", "50 59"),
    I(STMT_ACTIF, 'D', "actif.disponibilites", "Disponibilités", "d5"),
    I(STMT_ACTIF, 'D', "actif.cca", "Charges constatées d'avance", "d486"),
    S(STMT_ACTIF, "actif.circulant", "Total II — Actif circulant",
      "+actif.stocks +actif.avances +actif.usagers +actif.creances_legs +actif.autres_creances +actif.vmp "
      "+actif.disponibilites +actif.cca"),
    I(STMT_ACTIF, 'D', "actif.frais_emission", "Frais d'émission des emprunts (III)", "4816"),
    I(STMT_ACTIF, 'D', "actif.primes", "Primes de remboursement des emprunts (IV)", "169"),
    I(STMT_ACTIF, 'D', "actif.ecarts", "Écarts de conversion actif (V)", "476"),
    M(STMT_ACTIF, "actif.total", "TOTAL ACTIF (I à V)",
      "+actif.immobilise +actif.circulant +actif.frais_emission +actif.primes +actif.ecarts"),

    /* ---- BILAN — PASSIF ---- */
    T(STMT_PASSIF, "Fonds propres"),
    I(STMT_PASSIF, 'C', "passif.fp_sans_reprise", "Fonds propres sans droit de reprise", "102"),
    I(STMT_PASSIF, 'C', "passif.fp_avec_reprise", "Fonds propres avec droit de reprise", "103"),
    I(STMT_PASSIF, 'C', "passif.ecarts_reevaluation", "Écarts de réévaluation", "105"),
    I(STMT_PASSIF, 'C', "passif.reserves", "Réserves", "106"),
    I(STMT_PASSIF, 'C', "passif.autres_fp", "Autres fonds propres", "1 10"),
    I(STMT_PASSIF, 'C', "passif.report", "Report à nouveau", "11"),
    I(STMT_PASSIF, 'C', "passif.resultat_instance", "Résultat en instance d'affectation", "12"),
    I(STMT_PASSIF, 'C', "passif.resultat", "Résultat de l'exercice (excédent ou déficit)", "6 7"),
    I(STMT_PASSIF, 'C', "passif.subventions_invest", "Subventions d'investissement", "13"),
    I(STMT_PASSIF, 'C', "passif.provisions_reglementees", "Provisions réglementées", "14"),
    S(STMT_PASSIF, "passif.fonds_propres", "Total I — Fonds propres",
      "+passif.fp_sans_reprise +passif.fp_avec_reprise +passif.ecarts_reevaluation +passif.reserves "
      "+passif.autres_fp +passif.report +passif.resultat_instance +passif.resultat +passif.subventions_invest "
      "+passif.provisions_reglementees"),
    T(STMT_PASSIF, "Fonds reportés et dédiés"),
    I(STMT_PASSIF, 'C', "passif.fonds_reportes", "Fonds reportés liés aux legs ou donations", "191"),
    I(STMT_PASSIF, 'C', "passif.fonds_dedies", "Fonds dédiés", "19"),
    S(STMT_PASSIF, "passif.reportes_dedies", "Total II — Fonds reportés et dédiés",
      "+passif.fonds_reportes +passif.fonds_dedies"),
    T(STMT_PASSIF, "Provisions"),
    I(STMT_PASSIF, 'C', "passif.provisions_risques", "Provisions pour risques", "151"),
    I(STMT_PASSIF, 'C', "passif.provisions_charges", "Provisions pour charges", "15"),
    S(STMT_PASSIF, "passif.provisions", "Total III — Provisions",
      "+passif.provisions_risques +passif.provisions_charges"),
    T(STMT_PASSIF, "Dettes"),
    I(STMT_PASSIF, 'C', "passif.emprunts_obligataires", "Emprunts obligataires et assimilés (titres associatifs)",
      "161 163 167"),
    I(STMT_PASSIF, 'C', "passif.emprunts_credit", "Emprunts et dettes auprès des établissements de crédit",
      "164 519 c5"),
    I(STMT_PASSIF, 'C', "passif.emprunts_divers", "Emprunts et dettes financières diverses", "16 17 18 c455"),
    I(STMT_PASSIF, 'C', "passif.fournisseurs", "Dettes fournisseurs et comptes rattachés", "c40"),
    I(STMT_PASSIF, 'C', "passif.dettes_legs", "Dettes des legs ou donations", "c466"),
    I(STMT_PASSIF, 'C', "passif.fiscales_sociales", "Dettes fiscales et sociales", "c42 c43 c44"),
    I(STMT_PASSIF, 'C', "passif.dettes_immobilisations", "Dettes sur immobilisations et comptes rattachés",
      "c404 c405"),
    I(STMT_PASSIF, 'C', "passif.autres_dettes", "Autres dettes", "c4"),
    I(STMT_PASSIF, 'C', "passif.pca", "Produits constatés d'avance", "c487"),
    S(STMT_PASSIF, "passif.dettes", "Total IV — Dettes",
      "+passif.emprunts_obligataires +passif.emprunts_credit +passif.emprunts_divers +passif.fournisseurs "
      "+passif.dettes_legs +passif.fiscales_sociales +passif.dettes_immobilisations +passif.autres_dettes "
      "+passif.pca"),
    I(STMT_PASSIF, 'C', "passif.ecarts", "Écarts de conversion passif (V)", "477"),
    M(STMT_PASSIF, "passif.total", "TOTAL PASSIF (I à V)",
      "+passif.fonds_propres +passif.reportes_dedies +passif.provisions +passif.dettes +passif.ecarts"),

    /* ---- COMPTE DE RÉSULTAT ---- */
    T(STMT_RESULTAT, "Produits d'exploitation"),
    I(STMT_RESULTAT, 'C', "cr.cotisations", "Cotisations", "756"),
    I(STMT_RESULTAT, 'C', "cr.ventes", "Ventes de biens et services", "70"),
    I(STMT_RESULTAT, 'C', "cr.production", "Production stockée et immobilisée", "71 72"),
    I(STMT_RESULTAT, 'C', "cr.subventions", "Concours publics et subventions d'exploitation", "73 74"),
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
    I(STMT_RESULTAT, 'D', "cr.charges_externes", "Autres achats et charges externes", "604 605 606 61 62"),
    I(STMT_RESULTAT, 'D', "cr.aides", "Aides financières", "657"),
    I(STMT_RESULTAT, 'D', "cr.impots_taxes", "Impôts, taxes et versements assimilés", "63"),
    I(STMT_RESULTAT, 'D', "cr.salaires", "Salaires et traitements", "64"),
    I(STMT_RESULTAT, 'D', "cr.charges_sociales", "Charges sociales", "645 646 647"),
    I(STMT_RESULTAT, 'D', "cr.dotations_amortissements", "Dotations aux amortissements et aux dépréciations", "681"),
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
    I(STMT_RESULTAT, 'D', "cr.participation", "Participation des salariés aux résultats (VII)", "691"),
    I(STMT_RESULTAT, 'D', "cr.impots_benefices", "Impôts sur les bénéfices (VIII)", "69"),
    S(STMT_RESULTAT, "cr.total_produits", "Total des produits (I + III + V)",
      "+cr.produits_exploitation +cr.produits_financiers +cr.produits_exceptionnels"),
    S(STMT_RESULTAT, "cr.total_charges", "Total des charges (II + IV + VI + VII + VIII)",
      "+cr.charges_exploitation +cr.charges_financieres +cr.charges_exceptionnelles +cr.participation "
      "+cr.impots_benefices"),
    M(STMT_RESULTAT, "cr.resultat", "EXCÉDENT OU DÉFICIT (produits − charges)",
      "+cr.total_produits -cr.total_charges"),

    /* ---- CONTRIBUTIONS VOLONTAIRES EN NATURE (below the result) ---- */
    T(STMT_CVN, "Contributions volontaires en nature (87)"),
    I(STMT_CVN, 'C', "cvn.dons", "Dons en nature", "870"),
    I(STMT_CVN, 'C', "cvn.prestations_recues", "Prestations en nature", "87 871"),
    I(STMT_CVN, 'C', "cvn.benevolat", "Bénévolat", "875"),
    M(STMT_CVN, "cvn.contributions", "Total des contributions volontaires en nature",
      "+cvn.dons +cvn.prestations_recues +cvn.benevolat"),
    T(STMT_CVN, "Emplois des contributions volontaires en nature (86)"),
    I(STMT_CVN, 'D', "cvn.secours", "Secours en nature", "860"),
    I(STMT_CVN, 'D', "cvn.mises_a_disposition", "Mises à disposition gratuites de biens", "861"),
    I(STMT_CVN, 'D', "cvn.prestations", "Prestations en nature", "86 862"),
    I(STMT_CVN, 'D', "cvn.personnel_benevole", "Personnel bénévole", "864"),
    M(STMT_CVN, "cvn.emplois", "Total des emplois des contributions volontaires en nature",
      "+cvn.secours +cvn.mises_a_disposition +cvn.prestations +cvn.personnel_benevole"),
};

#define ROW_COUNT (sizeof rows / sizeof rows[0])
_Static_assert(ROW_COUNT <= STMT_LINES_MAX, "STMT_LINES_MAX too small for the heading table");

static const char *const section_names[] = {
    [STMT_ACTIF] = "ACTIF", [STMT_PASSIF] = "PASSIF", [STMT_RESULTAT] = "RÉSULTAT", [STMT_CVN] = "CVN (classe 8)",
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
static int classify_row(enum stmt_statement s, const char *account, int sign)
{
    size_t account_len = strlen(account), best_len = 0;
    int best = -1;
    for (size_t r = 0; r < ROW_COUNT; r++) {
        if (rows[r].kind != STMT_ITEM || statement_of(rows[r].part) != s)
            continue;
        const char *p = rows[r].spec;
        token t;
        while (next_token(&p, &t))
            if (t.len > best_len && token_accepts(&t, account, account_len, sign)) {
                best_len = t.len;
                best = (int)r;
            }
    }
    return best;
}

const char *stmt_classify(enum stmt_statement s, const char *account, int64_t net)
{
    int r = classify_row(s, account, net > 0 ? 1 : net < 0 ? -1 : 1);
    return r < 0 ? NULL : rows[r].key;
}

static int row_of_key(const char *key, size_t len, size_t before)
{
    for (size_t r = 0; r < before; r++)
        if (rows[r].key && strlen(rows[r].key) == len && !memcmp(rows[r].key, key, len))
            return (int)r;
    return -1;
}

int stmt_table_check(char *why, size_t why_len)
{
    for (size_t r = 0; r < ROW_COUNT; r++) {
        const row_def *d = &rows[r];
        if (d->kind == STMT_TITLE)
            continue;
        if (!d->key || row_of_key(d->key, strlen(d->key), r) >= 0) {
            snprintf(why, why_len, "row %zu: missing or duplicate key", r);
            return -1;
        }
        if (d->kind == STMT_TOTAL) {
            for (const char *p = d->spec; *p;) {
                while (*p == ' ')
                    p++;
                size_t n = strcspn(p, " ");
                if (n < 2 || (p[0] != '+' && p[0] != '-') || row_of_key(p + 1, n - 1, r) < 0) {
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
        /* no prefix of the same statement may accept the same balance twice */
        const char *p = d->spec;
        token t;
        while (next_token(&p, &t)) {
            for (size_t o = 0; o <= r; o++) {
                if (rows[o].kind != STMT_ITEM || statement_of(rows[o].part) != statement_of(d->part))
                    continue;
                const char *q = rows[o].spec;
                token u;
                while (next_token(&q, &u)) {
                    if (u.prefix == t.prefix)
                        break; /* reached the token itself */
                    bool same = u.len == t.len && !memcmp(u.prefix, t.prefix, t.len);
                    bool overlap = !u.rule || !t.rule || u.rule == t.rule;
                    if (same && overlap) {
                        snprintf(why, why_len, "%s and %s both take prefix %.*s", rows[o].key, d->key,
                                 (int)t.len, t.prefix);
                        return -1;
                    }
                }
            }
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
static void classify_all(const char *account, int target[3][2])
{
    for (int s = 0; s < 3; s++) {
        target[s][0] = classify_row((enum stmt_statement)s, account, 1);
        target[s][1] = classify_row((enum stmt_statement)s, account, -1);
    }
}

static void compute_items(const stmt_input *in, stmt_result *out)
{
    for (size_t a = 0; a < in->count; a++) {
        const stmt_account *acc = &in->accounts[a];
        int target[3][2];
        classify_all(acc->account, target);
        bool ignored = false;
        for (size_t c = 0; c < in->ncols; c++) {
            int64_t net = acc->net[c];
            if (net == 0 || in->col_kind[c] == STMT_COL_SUM)
                continue;
            /* an elimination is classified by the balance it removes */
            bool debit = in->col_kind[c] == STMT_COL_ELIMINATIONS ? net < 0 : net > 0;
            bool placed = false;
            for (int s = 0; s < 3; s++) {
                int r = target[s][debit ? 0 : 1];
                if (r < 0)
                    continue;
                add(out, &out->lines[r].amount[c], shown(out, rows[r].side, net));
                placed = true;
            }
            ignored |= !placed;
        }
        if (ignored)
            note_ignored(out, acc->account);
    }
    /* sum columns: line by line, so that entities + eliminations = combined
     * on every heading (the sides were chosen per entity, per column) */
    for (size_t c = 0; c < in->ncols; c++) {
        if (in->col_kind[c] != STMT_COL_SUM)
            continue;
        for (size_t l = 0; l < ROW_COUNT; l++)
            for (size_t k = in->sum_from[c]; k < c; k++)
                add(out, &out->lines[l].amount[c], out->lines[l].amount[k]);
    }
}

static void compute_totals(stmt_result *out, size_t ncols)
{
    for (size_t r = 0; r < ROW_COUNT; r++) {
        if (rows[r].kind != STMT_TOTAL)
            continue;
        for (const char *p = rows[r].spec; *p;) {
            while (*p == ' ')
                p++;
            size_t n = strcspn(p, " ");
            int from = row_of_key(p + 1, n - 1, r);
            GL_ASSERT(from >= 0 && (p[0] == '+' || p[0] == '-'));
            for (size_t c = 0; c < ncols; c++) {
                int64_t *acc = &out->lines[r].amount[c];
                if (!(p[0] == '+' ? gl_money_add(acc, out->lines[from].amount[c])
                                  : gl_money_sub(acc, out->lines[from].amount[c])))
                    out->overflow = true;
            }
            p += n;
        }
    }
}

void stmt_compute(const stmt_input *in, stmt_result *out)
{
    GL_ASSERT(in->ncols >= 1 && in->ncols <= STMT_COLS_MAX);
    for (size_t c = 0; c < in->ncols; c++)
        if (in->col_kind[c] == STMT_COL_SUM) {
            GL_ASSERT(in->sum_from[c] < c);
            for (size_t k = in->sum_from[c]; k < c; k++)
                GL_ASSERT(in->col_kind[k] != STMT_COL_SUM);
        }
    memset(out, 0, sizeof *out);
    out->ncols = in->ncols;
    for (size_t c = 0; c < in->ncols; c++)
        snprintf(out->col_names[c], sizeof out->col_names[c], "%s", in->col_names[c] ? in->col_names[c] : "");
    for (size_t r = 0; r < ROW_COUNT; r++) {
        stmt_line *l = &out->lines[r];
        l->part = rows[r].part;
        l->kind = rows[r].kind;
        l->major = rows[r].major;
        l->key = rows[r].key;
        l->section = section_names[rows[r].part];
        l->label = rows[r].label;
        l->accounts = rows[r].kind == STMT_ITEM ? rows[r].spec : NULL;
    }
    out->count = ROW_COUNT;
    compute_items(in, out);
    compute_totals(out, in->ncols);
}

int stmt_append_column(stmt_result *dst, const stmt_result *src, size_t col, const char *name)
{
    GL_ASSERT(col < src->ncols && src->count == dst->count);
    if (dst->ncols == STMT_COLS_MAX)
        return -1;
    size_t c = dst->ncols++;
    snprintf(dst->col_names[c], sizeof dst->col_names[c], "%s", name);
    for (size_t l = 0; l < dst->count; l++)
        dst->lines[l].amount[c] = src->lines[l].amount[col];
    dst->overflow |= src->overflow;
    if (src->ignored && !dst->ignored)
        memcpy(dst->ignored_example, src->ignored_example, sizeof dst->ignored_example);
    dst->ignored += src->ignored;
    return 0;
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
        {"passif.resultat", "cr.resultat", "the result in the balance sheet differs from the income statement's"},
        {"cvn.emplois", "cvn.contributions", "contributions en nature (87) differ from their emplois (86)"},
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

static bool all_zero(const stmt_result *r, const stmt_line *l)
{
    for (size_t c = 0; c < r->ncols; c++)
        if (l->amount[c])
            return false;
    return true;
}

int stmt_render(const stmt_result *r, enum out_format fmt, FILE *f)
{
    bool data = fmt == OUT_CSV || fmt == OUT_JSON;
    out_col cols[STMT_COLS_MAX + 3];
    size_t n = 0;
    cols[n++] = (out_col){"section", OUT_TEXT};
    if (data)
        cols[n++] = (out_col){"key", OUT_TEXT};
    cols[n++] = (out_col){"heading", OUT_TEXT};
    for (size_t c = 0; c < r->ncols; c++)
        cols[n++] = (out_col){r->col_names[c], OUT_MONEY};
    out_table *t = out_new(cols, n);
    if (!t)
        return -1;
    for (size_t i = 0; i < r->count; i++) {
        const stmt_line *l = &r->lines[i];
        if (l->kind == STMT_TITLE || (!data && l->kind == STMT_ITEM && all_zero(r, l)))
            continue;
        out_cstr(t, l->section);
        if (data)
            out_cstr(t, l->key);
        out_cstr(t, l->label);
        for (size_t c = 0; c < r->ncols; c++)
            out_money(t, l->amount[c]);
    }
    int rc = out_render(t, fmt, f);
    out_free(t);
    return rc;
}
