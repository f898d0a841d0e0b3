/*
 * client/statements/statements.c — bilan and compte de résultat from account
 * balances.  Each heading is a list of account prefixes and a rule for the
 * sign: balance-sheet accounts of classes 4 and 5 go to the assets when their
 * balance is a debit and to the liabilities when it is a credit, account by
 * account (a supplier paid in advance is a receivable).
 */
#include "statements.h"

#include "proto/money.h"

#include <string.h>

enum side_rule {
    DEBIT_NET,      /* amount = debit - credit (assets, charges, emplois) */
    CREDIT_NET,     /* amount = credit - debit (liabilities, produits) */
    DEBIT_ONLY,     /* accounts with a debit balance only */
    CREDIT_ONLY,    /* accounts with a credit balance only */
};

typedef struct heading {
    const char *section;
    const char *label;
    const char *prefixes; /* space separated; "!" prefix excludes */
    enum side_rule rule;
} heading;

static const heading headings[] = {
    {"ACTIF", "Immobilisations incorporelles", "20 280 290", DEBIT_NET},
    {"ACTIF", "Immobilisations corporelles", "2 !20 !26 !27 !280 !290 !286 !287 !296 !297", DEBIT_NET},
    {"ACTIF", "Immobilisations financières", "26 27 286 287 296 297", DEBIT_NET},
    {"ACTIF", "Stocks et en-cours", "3", DEBIT_NET},
    {"ACTIF", "Créances usagers et comptes rattachés", "41", DEBIT_ONLY},
    {"ACTIF", "Autres créances", "4 !41", DEBIT_ONLY},
    {"ACTIF", "Disponibilités", "5", DEBIT_ONLY},
    {"PASSIF", "Fonds propres sans droit de reprise", "102", CREDIT_NET},
    {"PASSIF", "Fonds propres avec droit de reprise", "103", CREDIT_NET},
    {"PASSIF", "Écarts de réévaluation", "105", CREDIT_NET},
    {"PASSIF", "Réserves", "106", CREDIT_NET},
    {"PASSIF", "Report à nouveau", "11", CREDIT_NET},
    {"PASSIF", "Résultat de l'exercice", "12 6 7", CREDIT_NET},
    {"PASSIF", "Autres fonds propres et subventions d'investissement", "10 13 14 !102 !103 !105 !106", CREDIT_NET},
    {"PASSIF", "Provisions", "15", CREDIT_NET},
    {"PASSIF", "Fonds dédiés", "19", CREDIT_NET},
    {"PASSIF", "Emprunts et dettes assimilées", "16 17 18", CREDIT_NET},
    {"PASSIF", "Fournisseurs et comptes rattachés", "40", CREDIT_ONLY},
    {"PASSIF", "Dettes fiscales et sociales", "42 43 44", CREDIT_ONLY},
    {"PASSIF", "Autres dettes", "4 !40 !42 !43 !44", CREDIT_ONLY},
    {"PASSIF", "Concours bancaires courants", "5", CREDIT_ONLY},
    {"PRODUITS", "Ventes de biens et de services", "70", CREDIT_NET},
    {"PRODUITS", "Subventions d'exploitation", "74", CREDIT_NET},
    {"PRODUITS", "Ressources liées à la générosité du public", "754", CREDIT_NET},
    {"PRODUITS", "Cotisations", "756", CREDIT_NET},
    {"PRODUITS", "Autres produits", "71 72 73 75 !754 !756", CREDIT_NET},
    {"PRODUITS", "Reprises et transferts de charges", "78 79", CREDIT_NET},
    {"PRODUITS", "Produits financiers", "76", CREDIT_NET},
    {"PRODUITS", "Produits exceptionnels", "77", CREDIT_NET},
    {"CHARGES", "Achats et variations de stocks", "60", DEBIT_NET},
    {"CHARGES", "Autres achats et charges externes", "61 62", DEBIT_NET},
    {"CHARGES", "Impôts, taxes et versements assimilés", "63", DEBIT_NET},
    {"CHARGES", "Salaires et traitements", "64 !645 !646 !647", DEBIT_NET},
    {"CHARGES", "Charges sociales", "645 646 647", DEBIT_NET},
    {"CHARGES", "Aides financières et autres charges", "65", DEBIT_NET},
    {"CHARGES", "Dotations aux amortissements, dépréciations, provisions et engagements", "68", DEBIT_NET},
    {"CHARGES", "Charges financières", "66", DEBIT_NET},
    {"CHARGES", "Charges exceptionnelles", "67", DEBIT_NET},
    {"CHARGES", "Impôts sur les bénéfices", "69", DEBIT_NET},
    {"CONTRIBUTIONS VOLONTAIRES EN NATURE", "Emplois (86)", "86", DEBIT_NET},
    {"CONTRIBUTIONS VOLONTAIRES EN NATURE", "Contributions (87)", "87", CREDIT_NET},
};

static bool has_prefix(const char *account, const char *p, size_t n)
{
    return strlen(account) >= n && !strncmp(account, p, n);
}

/* Does account fall under the heading's prefixes (and none of its
 * exclusions)? */
static bool matches(const char *account, const char *prefixes)
{
    bool in = false;
    for (const char *p = prefixes; *p;) {
        while (*p == ' ')
            p++;
        bool exclude = *p == '!';
        if (exclude)
            p++;
        size_t n = strcspn(p, " ");
        if (n && has_prefix(account, p, n)) {
            if (exclude)
                return false;
            in = true;
        }
        p += n;
    }
    return in;
}

static int64_t amount_for(enum side_rule rule, int64_t net, bool *overflow)
{
    switch (rule) {
    case DEBIT_NET: return net;
    case CREDIT_NET:
        if (net == INT64_MIN) { *overflow = true; return 0; }
        return -net;
    case DEBIT_ONLY: return net > 0 ? net : 0;
    case CREDIT_ONLY:
        if (net == INT64_MIN) { *overflow = true; return 0; }
        return net < 0 ? -net : 0;
    }
    return 0;
}

static stmt_line *add_line(stmt_result *r, const char *section, const char *label, bool total)
{
    if (r->count == STMT_LINES_MAX) {
        r->overflow = true;
        return &r->lines[STMT_LINES_MAX - 1];
    }
    stmt_line *l = &r->lines[r->count++];
    memset(l, 0, sizeof *l);
    l->section = section;
    l->label = label;
    l->total = total;
    return l;
}

static void accumulate(stmt_result *r, stmt_line *into, const stmt_line *from, size_t ncols, bool negate)
{
    for (size_t c = 0; c < ncols; c++)
        if (!gl_money_add(&into->amount[c], negate ? -from->amount[c] : from->amount[c]))
            r->overflow = true;
}

/* Add a total line summing the lines of one section. */
static stmt_line *section_total(stmt_result *r, const char *section, const char *label, size_t ncols)
{
    stmt_line tmp;
    memset(&tmp, 0, sizeof tmp);
    for (size_t i = 0; i < r->count; i++)
        if (!r->lines[i].total && !strcmp(r->lines[i].section, section))
            accumulate(r, &tmp, &r->lines[i], ncols, false);
    stmt_line *t = add_line(r, section, label, true);
    memcpy(t->amount, tmp.amount, sizeof t->amount);
    return t;
}

void stmt_compute(const stmt_input *in, stmt_result *out)
{
    memset(out, 0, sizeof *out);
    for (size_t h = 0; h < sizeof headings / sizeof headings[0]; h++) {
        const heading *hd = &headings[h];
        stmt_line *l = add_line(out, hd->section, hd->label, false);
        for (size_t a = 0; a < in->count; a++) {
            if (!matches(in->accounts[a].account, hd->prefixes))
                continue;
            for (size_t c = 0; c < in->ncols; c++)
                if (!gl_money_add(&l->amount[c], amount_for(hd->rule, in->accounts[a].net[c], &out->overflow)))
                    out->overflow = true;
        }
    }
    section_total(out, "ACTIF", "TOTAL ACTIF", in->ncols);
    section_total(out, "PASSIF", "TOTAL PASSIF", in->ncols);
    stmt_line *produits = section_total(out, "PRODUITS", "TOTAL PRODUITS", in->ncols);
    stmt_line *charges = section_total(out, "CHARGES", "TOTAL CHARGES", in->ncols);
    stmt_line *result = add_line(out, "RÉSULTAT", "Résultat (produits - charges)", true);
    accumulate(out, result, produits, in->ncols, false);
    accumulate(out, result, charges, in->ncols, true);
}

const stmt_line *stmt_find(const stmt_result *r, const char *label)
{
    for (size_t i = 0; i < r->count; i++)
        if (!strcmp(r->lines[i].label, label))
            return &r->lines[i];
    return NULL;
}

int stmt_render(const stmt_input *in, const stmt_result *r, enum out_format fmt, FILE *f)
{
    out_col cols[STMT_COLS_MAX + 2];
    cols[0] = (out_col){"section", OUT_TEXT};
    cols[1] = (out_col){"heading", OUT_TEXT};
    for (size_t c = 0; c < in->ncols; c++)
        cols[c + 2] = (out_col){in->col_names[c], OUT_MONEY};
    out_table *t = out_new(cols, in->ncols + 2);
    if (!t)
        return -1;
    /* balance sheet, then income statement, then class 8 below the result */
    static const char *const order[] = {"ACTIF", "PASSIF", "PRODUITS", "CHARGES", "RÉSULTAT",
                                        "CONTRIBUTIONS VOLONTAIRES EN NATURE"};
    for (size_t o = 0; o < sizeof order / sizeof order[0]; o++)
        for (size_t i = 0; i < r->count; i++) {
            const stmt_line *l = &r->lines[i];
            if (strcmp(l->section, order[o]))
                continue;
            out_cstr(t, l->section);
            out_cstr(t, l->label);
            for (size_t c = 0; c < in->ncols; c++)
                out_money(t, l->amount[c]);
        }
    int rc = out_render(t, fmt, f);
    out_free(t);
    return rc;
}
