/*
 * client/annexe/annexe.c — the annexe's tables from account movements, and
 * their ties to the balance sheet (see annexe.h for the rules).
 *
 * Each movement table is a list of rows with account prefixes; an account
 * goes to the row of the longest prefix that takes it.  The amounts are
 * shown on the side the table belongs to: the gross values as debit -
 * credit (increases = debits), the amortissements, dépréciations,
 * provisions and funds as credit - debit (increases = credits).  The
 * equity table's rows are the balance sheet's own headings (the account is
 * classified by stmt_classify_in), so that each row ties to its line.
 */
#include "annexe.h"

#include "proto/money.h"

#include <stdlib.h>
#include <string.h>

static bool starts(const char *a, const char *p) { return !strncmp(a, p, strlen(p)); }

static void add(ax_result *r, int64_t *acc, int64_t v)
{
    if (!gl_money_add(acc, v))
        r->overflow = true;
}

static void sub(ax_result *r, int64_t *acc, int64_t v)
{
    if (!gl_money_sub(acc, v))
        r->overflow = true;
}

typedef struct row_spec {
    const char *prefixes; /* space-separated */
    const char *label;
} row_spec;

/* The row whose prefix is the longest that account starts with, or -1. */
static int pick(const row_spec *rows, size_t n, const char *account)
{
    int best = -1;
    size_t best_len = 0;
    for (size_t r = 0; r < n; r++)
        for (const char *p = rows[r].prefixes; *p;) {
            while (*p == ' ')
                p++;
            size_t len = strcspn(p, " ");
            if (len > best_len && strlen(account) >= len && !strncmp(account, p, len)) {
                best_len = len;
                best = (int)r;
            }
            p += len;
        }
    return best;
}

static void set_cols(ax_tab *t, const char *title, size_t n, const char *const *cols)
{
    t->title = title;
    t->ncols = n;
    for (size_t c = 0; c < n; c++)
        t->cols[c] = cols[c];
}

static ax_row *new_row(ax_tab *t, const char *label, const char *accounts, const char *key)
{
    if (t->count == AX_ROWS_MAX)
        return NULL;
    ax_row *row = &t->rows[t->count++];
    memset(row, 0, sizeof *row);
    snprintf(row->label, sizeof row->label, "%s", label);
    row->accounts = accounts;
    row->key = key;
    return row;
}

/* A movement table: opening, increases, decreases, closing per row, on
 * the debit side ('D': gross values) or the credit side ('C'). */
static void movements(const ax_input *in, ax_result *out, ax_tab *t, const row_spec *spec, size_t n,
                      bool (*takes)(const char *), char side)
{
    for (size_t r = 0; r < n; r++)
        new_row(t, spec[r].label, spec[r].prefixes, NULL);
    for (size_t a = 0; a < in->count; a++) {
        const ax_account *acc = &in->accounts[a];
        if (!takes(acc->account))
            continue;
        int r = pick(spec, n, acc->account);
        if (r < 0)
            continue;
        int64_t *v = t->rows[r].v;
        if (side == 'D') {
            add(out, &v[0], acc->opening);
            add(out, &v[1], acc->debit);
            add(out, &v[2], acc->credit);
        } else {
            sub(out, &v[0], acc->opening);
            add(out, &v[1], acc->credit);
            add(out, &v[2], acc->debit);
        }
    }
    for (size_t r = 0; r < t->count; r++) {
        int64_t *v = t->rows[r].v;
        v[3] = v[0];
        add(out, &v[3], v[1]);
        sub(out, &v[3], v[2]);
    }
}

static bool gross_account(const char *a) { return a[0] == '2' && !stmt_is_deduction(a); }
static bool deprec_account(const char *a) { return starts(a, "28") || starts(a, "29"); }
static bool prov_account(const char *a)
{
    return starts(a, "15") || starts(a, "39") || starts(a, "49") || starts(a, "59");
}
static bool funds_account(const char *a) { return starts(a, "19"); }

static const row_spec gross_rows[] = {
    {"20", "Immobilisations incorporelles (20)"},
    {"21", "Immobilisations corporelles (21)"},
    {"22", "Immobilisations mises en concession (22)"},
    {"23", "Immobilisations en cours, avances et acomptes (23)"},
    {"24", "Biens reçus par legs ou donations destinés à être cédés (24)"},
    {"25 26", "Participations et créances rattachées (25, 26)"},
    {"27", "Autres immobilisations financières (27)"},
};
static const row_spec deprec_rows[] = {
    {"280", "Amortissements des immobilisations incorporelles (280)"},
    {"281", "Amortissements des immobilisations corporelles (281)"},
    {"28", "Autres amortissements (282 à 289)"},
    {"290 2932", "Dépréciations des immobilisations incorporelles (290, 2932)"},
    {"291 292 293", "Dépréciations des immobilisations corporelles (291 à 293)"},
    {"294", "Dépréciations des biens reçus par legs ou donations (294)"},
    {"29", "Dépréciations des immobilisations financières (296, 297)"},
};
static const row_spec prov_rows[] = {
    {"151", "Provisions pour risques (151)"},
    {"15", "Provisions pour charges (15 hors 151)"},
    {"39", "Dépréciations des stocks et en-cours (39)"},
    {"49", "Dépréciations des comptes de tiers (49)"},
    {"59", "Dépréciations des valeurs mobilières de placement (59)"},
};
static const row_spec funds_rows[] = {
    {"191", "Fonds reportés liés aux legs ou donations (191)"},
    {"194", "Fonds dédiés sur subventions d'exploitation (194)"},
    {"195", "Fonds dédiés sur contributions financières d'autres organismes (195)"},
    {"196", "Fonds dédiés sur ressources liées à la générosité du public (196)"},
    {"19", "Autres fonds dédiés (19)"},
};
#define N(a) (sizeof(a) / sizeof(a)[0])

/* ---- variation des fonds propres ---------------------------------------- */

static const char *const equity_keys[] = {
    "passif.fp_sans_reprise",     "passif.fp_avec_reprise",
    "passif.ecarts_reevaluation", "passif.reserves",
    "passif.autres_fp",           "passif.report",
    "passif.resultat_instance",   "passif.resultat",
    "passif.subventions_invest",  "passif.provisions_reglementees",
};

static bool appropriation_account(const char *a)
{
    return starts(a, "106") || starts(a, "11") || starts(a, "12");
}

static void equity(const ax_input *in, ax_result *out, ax_tab *t)
{
    static const char *const cols[] = {"À l'ouverture", "Affectation du résultat N-1",
                                       "Augmentations", "Diminutions", "À la clôture"};
    set_cols(t, "Variation des fonds propres", 5, cols);
    for (size_t k = 0; k < N(equity_keys); k++)
        new_row(t, stmt_heading(in->model, equity_keys[k]), NULL, equity_keys[k]);
    int64_t result = 0;
    for (size_t a = 0; a < in->count; a++) {
        const ax_account *acc = &in->accounts[a];
        const char *name = acc->account;
        if (name[0] == '6' || name[0] == '7') {
            sub(out, &result, acc->opening);
            add(out, &result, acc->credit);
            sub(out, &result, acc->debit);
            continue;
        }
        if (name[0] != '1')
            continue;
        int64_t closing = acc->opening;
        add(out, &closing, acc->debit);
        sub(out, &closing, acc->credit);
        const char *key = stmt_classify_in(in->model, STMT_BILAN, name, closing);
        size_t k = 0;
        while (k < N(equity_keys) && !(key && !strcmp(key, equity_keys[k])))
            k++;
        if (k == N(equity_keys))
            continue; /* 15-19: provisions, debts, funds */
        int64_t *v = t->rows[k].v;
        sub(out, &v[0], acc->opening);
        if (appropriation_account(name)) {
            add(out, &v[1], acc->credit);
            sub(out, &v[1], acc->debit);
        } else {
            add(out, &v[2], acc->credit);
            add(out, &v[3], acc->debit);
        }
    }
    /* the year's result: its row's increase or decrease (its opening, 0
     * after the previous close, is the unclosed classes 6-7 otherwise) */
    int64_t *v = t->rows[7].v;
    if (result >= 0)
        add(out, &v[2], result);
    else
        sub(out, &v[3], result);
    for (size_t r = 0; r < t->count; r++) {
        v = t->rows[r].v;
        v[4] = v[0];
        add(out, &v[4], v[1]);
        add(out, &v[4], v[2]);
        sub(out, &v[4], v[3]);
    }
}

/* ---- créances et dettes par échéance ------------------------------------ */

static const char *const receivable_keys[] = {
    "actif.avances", "actif.usagers", "actif.creances_legs", "actif.autres_creances", "actif.cca"};
static const char *const debt_keys[] = {
    "passif.emprunts_obligataires",  "passif.emprunts_credit", "passif.emprunts_divers",
    "passif.fournisseurs",           "passif.dettes_legs",     "passif.fiscales_sociales",
    "passif.dettes_immobilisations", "passif.autres_dettes",   "passif.pca",
};

/* Over one year by the account alone (annexe.h). */
static bool over_one_year(const char *a)
{
    return (starts(a, "16") && !starts(a, "1688")) || (starts(a, "27") && !starts(a, "2768"));
}

static bool immobilised_receivable(const char *a)
{
    return starts(a, "267") || starts(a, "274") || starts(a, "275") || starts(a, "276");
}

static int key_index(const char *const *keys, size_t n, const char *key)
{
    for (size_t k = 0; key && k < n; k++)
        if (!strcmp(keys[k], key))
            return (int)k;
    return -1;
}

static void put_amount(ax_result *out, ax_row *row, const char *account, int64_t amount)
{
    add(out, &row->v[0], amount);
    add(out, &row->v[over_one_year(account) ? 2 : 1], amount);
}

static void maturity(const ax_input *in, ax_result *out, ax_tab *t)
{
    static const char *const cols[] = {"Montant brut", "À un an au plus", "À plus d'un an"};
    set_cols(t, "État des créances et des dettes", 3, cols);
    t->no_total = true;
    new_row(t, "Créances", NULL, NULL)->title = true;
    size_t first_receivable = t->count;
    new_row(t, "Créances de l'actif immobilisé (267, 274 à 276)", "267 274 275 276", NULL);
    for (size_t k = 0; k < N(receivable_keys); k++)
        new_row(t, stmt_heading(in->model, receivable_keys[k]), NULL, receivable_keys[k]);
    size_t receivables_total = t->count;
    new_row(t, "Total des créances", NULL, NULL)->subtotal = true;
    new_row(t, "Dettes", NULL, NULL)->title = true;
    size_t first_debt = t->count;
    for (size_t k = 0; k < N(debt_keys); k++)
        new_row(t, stmt_heading(in->model, debt_keys[k]), NULL, debt_keys[k]);
    size_t debts_total = t->count;
    new_row(t, "Total des dettes", NULL, "passif.dettes")->subtotal = true;
    for (size_t i = 0; i < in->bilan_count; i++) {
        const char *a = in->bilan_rows[i].account;
        int64_t net = in->bilan_rows[i].net[0];
        if (!net || stmt_is_deduction(a))
            continue; /* the état des créances is gross */
        if (immobilised_receivable(a)) {
            put_amount(out, &t->rows[first_receivable], a, net);
            continue;
        }
        const char *key = stmt_classify_in(in->model, STMT_BILAN, a, net);
        int k = key_index(receivable_keys, N(receivable_keys), key);
        if (k >= 0) {
            put_amount(out, &t->rows[first_receivable + 1 + (size_t)k], a, net);
            continue;
        }
        k = key_index(debt_keys, N(debt_keys), key);
        if (k >= 0 && net != INT64_MIN)
            put_amount(out, &t->rows[first_debt + (size_t)k], a, -net);
    }
    for (size_t r = first_receivable; r < receivables_total; r++)
        for (size_t c = 0; c < 3; c++)
            add(out, &t->rows[receivables_total].v[c], t->rows[r].v[c]);
    for (size_t r = first_debt; r < debts_total; r++)
        for (size_t c = 0; c < 3; c++)
            add(out, &t->rows[debts_total].v[c], t->rows[r].v[c]);
}

/* ---- contributions volontaires en nature -------------------------------- */

static void cvn(const ax_input *in, ax_result *out, ax_tab *t)
{
    static const char *const cols[] = {"Exercice N", "Exercice N-1"};
    set_cols(t, "Contributions volontaires en nature", in->with_prev ? 2 : 1, cols);
    t->no_total = true;
    const stmt_result *b = in->bilan;
    if (!b)
        return;
    out->overflow |= b->overflow;
    for (size_t i = 0; i < b->count; i++) {
        const stmt_line *l = &b->lines[i];
        if (l->part != STMT_CVN)
            continue;
        ax_row *row = new_row(t, l->label, l->accounts, l->key);
        if (!row)
            break;
        row->title = l->kind == STMT_TITLE;
        row->subtotal = l->kind == STMT_TOTAL;
        for (size_t c = 0; c < t->ncols && c < b->ncols; c++)
            row->v[c] = l->amount[c];
    }
}

void ax_compute(const ax_input *in, ax_result *out)
{
    memset(out, 0, sizeof *out);
    static const char *const mov_d[] = {"À l'ouverture", "Augmentations", "Diminutions",
                                        "À la clôture"};
    static const char *const mov_c[] = {"À l'ouverture", "Dotations", "Reprises et sorties",
                                        "À la clôture"};
    static const char *const mov_f[] = {"À l'ouverture", "Reports", "Utilisations", "À la clôture"};
    set_cols(&out->t[AX_GROSS], "Immobilisations — valeurs brutes", 4, mov_d);
    movements(in, out, &out->t[AX_GROSS], gross_rows, N(gross_rows), gross_account, 'D');
    set_cols(&out->t[AX_DEPREC], "Amortissements et dépréciations des immobilisations", 4, mov_c);
    movements(in, out, &out->t[AX_DEPREC], deprec_rows, N(deprec_rows), deprec_account, 'C');
    set_cols(&out->t[AX_PROV], "Provisions et dépréciations de l'actif circulant", 4, mov_c);
    movements(in, out, &out->t[AX_PROV], prov_rows, N(prov_rows), prov_account, 'C');
    set_cols(&out->t[AX_FUNDS], "Fonds reportés et dédiés", 4, mov_f);
    movements(in, out, &out->t[AX_FUNDS], funds_rows, N(funds_rows), funds_account, 'C');
    equity(in, out, &out->t[AX_EQUITY]);
    maturity(in, out, &out->t[AX_MATURITY]);
    cvn(in, out, &out->t[AX_CVN]);
    for (size_t k = 0; k < AX_TABLES; k++) {
        ax_tab *t = &out->t[k];
        for (size_t r = 0; r < t->count; r++) {
            if (t->rows[r].title)
                continue;
            for (size_t c = 0; c < t->ncols; c++) {
                t->any |= t->rows[r].v[c] != 0;
                if (!t->no_total)
                    add(out, &t->total[c], t->rows[r].v[c]);
            }
        }
    }
}

/* ---- ties --------------------------------------------------------------- */

static void tie(ax_result *r, int64_t table, int64_t bilan, const char *fmt, const char *arg)
{
    if (r->tie_count == AX_TIES_MAX)
        return;
    ax_tie *t = &r->ties[r->tie_count++];
    snprintf(t->what, sizeof t->what, fmt, arg ? arg : "");
    t->table = table;
    t->bilan = bilan;
    t->ok = table == bilan;
    r->failed += !t->ok;
}

static int64_t line(const stmt_result *b, const char *key, size_t col)
{
    const stmt_line *l = stmt_find(b, key);
    return l ? l->amount[col] : 0;
}

static int64_t line_deprec(const stmt_result *b, const char *key)
{
    const stmt_line *l = stmt_find(b, key);
    return l ? l->deprec[0] : 0;
}

static int64_t line_gross(ax_result *r, const stmt_result *b, const char *key)
{
    const stmt_line *l = stmt_find(b, key);
    int64_t g = 0;
    if (l && !stmt_gross(l, 0, &g))
        r->overflow = true;
    return g;
}

/* Sum of the closing column of the rows of t whose prefixes start with p. */
static int64_t rows_closing(ax_result *r, const ax_tab *t, const char *p)
{
    int64_t s = 0;
    for (size_t i = 0; i < t->count; i++)
        if (t->rows[i].accounts && starts(t->rows[i].accounts, p))
            add(r, &s, t->rows[i].v[t->ncols - 1]);
    return s;
}

size_t ax_tie_check(ax_result *r, const stmt_result *b, bool with_prev)
{
    r->tie_count = r->failed = 0;
    const ax_tab *g = &r->t[AX_GROSS], *d = &r->t[AX_DEPREC], *p = &r->t[AX_PROV],
                 *f = &r->t[AX_FUNDS], *e = &r->t[AX_EQUITY], *m = &r->t[AX_MATURITY];
    tie(r, g->total[3], line_gross(r, b, "actif.immobilise"),
        "Immobilisations, valeurs brutes à la clôture = actif immobilisé brut%s", NULL);
    tie(r, d->total[3], line_deprec(b, "actif.immobilise"),
        "Amortissements et dépréciations à la clôture = ceux de l'actif immobilisé%s", NULL);
    tie(r, rows_closing(r, p, "15"), line(b, "passif.provisions", 0),
        "Provisions (15) à la clôture = Total III — Provisions%s", NULL);
    int64_t current = rows_closing(r, p, "39");
    add(r, &current, rows_closing(r, p, "49"));
    add(r, &current, rows_closing(r, p, "59"));
    tie(r, current, line_deprec(b, "actif.circulant"),
        "Dépréciations (39, 49, 59) à la clôture = celles de l'actif circulant%s", NULL);
    tie(r, f->total[3], line(b, "passif.reportes_dedies", 0),
        "Fonds reportés et dédiés (19) à la clôture = Total II du passif%s", NULL);
    for (size_t i = 0; i < e->count; i++)
        tie(r, e->rows[i].v[4], line(b, e->rows[i].key, 0), "Fonds propres : %s à la clôture",
            e->rows[i].label);
    tie(r, e->total[4], line(b, "passif.fonds_propres", 0),
        "Fonds propres à la clôture = Total I — Fonds propres%s", NULL);
    if (with_prev && b->ncols > 1)
        tie(r, e->total[0], line(b, "passif.fonds_propres", 1),
            "Fonds propres à l'ouverture = Total I — Fonds propres de l'exercice précédent%s",
            NULL);
    for (size_t i = 0; i < m->count; i++) {
        const ax_row *row = &m->rows[i];
        if (!row->key)
            continue;
        bool actif = starts(row->key, "actif.");
        tie(r, row->v[0], actif ? line_gross(r, b, row->key) : line(b, row->key, 0),
            actif ? "Créances : %s (brut)" : "Dettes : %s", row->label);
    }
    if (r->overflow || b->overflow) {
        tie(r, 0, 0, "Un total dépasse la capacité des montants (64 bits)%s", NULL);
        if (r->tie_count && r->ties[r->tie_count - 1].ok) {
            r->ties[r->tie_count - 1].ok = false;
            r->failed++;
        }
    }
    return r->failed;
}
