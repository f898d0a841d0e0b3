/*
 * client/cli/group_annexe.c — the combined annexe's skeleton (`grandlivre
 * group annexe -o FILE.html`, issue 20): one self-contained HTML page, in
 * French (a document of the combined accounts, règlement ANC 2020-01), with
 *   1. the scope of combination: the entities (the umbrella first) and the
 *      combination ledger;
 *   2. the combination rules: aggregation, eliminations line by line,
 *      adjustments, what is done with the differences;
 *   3. the combined trial balance: entities, eliminations, adjustments,
 *      combined and, of it, the reciprocal-flow differences;
 *   4. the reciprocal-flow differences (écarts de réciprocité) per pair and
 *      nature, the lines left without a counterpart, and how they are
 *      treated.
 * The accountant completes it (it is a skeleton: the scope's reasons, the
 * methods harmonised); every text that comes from the ledgers is escaped.
 */
#include "group_annexe.h"

#include "client/statements/html.h"
#include "proto/date.h"

#include <stdio.h>
#include <string.h>

static const char css[] =
    "body{font-family:sans-serif;font-size:10pt;margin:2em;color:#111}"
    "h1{font-size:15pt}h2{font-size:12pt;margin-top:1.6em;border-bottom:1px solid #888}"
    "table{border-collapse:collapse;margin:.5em 0}"
    "th,td{border:1px solid #bbb;padding:2px 6px;vertical-align:top}"
    "th{background:#eee}td.num{text-align:right;white-space:nowrap}"
    "table.wide{font-size:8pt}table.wide th,table.wide td{padding:1px 3px}"
    "tr.total td{font-weight:bold;border-top:2px solid #444}"
    "p.warn{background:#fff3cd;border:1px solid #e0b400;padding:.4em}"
    "p.ok{background:#e8f5e9;border:1px solid #7cb342;padding:.4em}"
    "@page{size:A4 landscape;margin:12mm}";

static void esc(FILE *f, const char *s) { stmt_html_escape(f, s); }

static void esc_str(FILE *f, gl_str s)
{
    char buf[256];
    snprintf(buf, sizeof buf, "%.*s", (int)(s.len < 255 ? s.len : 255), s.ptr);
    esc(f, buf);
}

static void money_td(FILE *f, int64_t v)
{
    char m[STMT_HTML_MONEY_MAX];
    fprintf(f, "<td class=\"num\">%s</td>", v ? stmt_html_money(v, m) : "");
}

static const group_entity_info *info_of(const group_annexe_in *in, const char *id)
{
    for (size_t i = 0; i < in->info_count; i++)
        if (!strcmp(in->info[i].id, id))
            return &in->info[i];
    return NULL;
}

static void entity_row(FILE *f, const group_annexe_in *in, const char *id, uint16_t fy,
                       const char *role)
{
    const group_entity_info *e = info_of(in, id);
    fputs("<tr><td>", f);
    esc(f, id);
    fputs("</td><td>", f);
    esc(f, e ? e->code : "");
    fputs("</td><td>", f);
    esc(f, e ? e->name : "");
    fputs("</td><td>", f);
    esc(f, e ? e->siren : "");
    fprintf(f, "</td><td>%u</td><td>", fy);
    esc(f, role);
    fputs("</td></tr>\n", f);
}

static void scope(FILE *f, const group_annexe_in *in)
{
    const group_balance *g = in->g;
    fputs(
        "<h2>1. Périmètre de combinaison</h2>\n<table><thead><tr><th>Entité</th><th>Code</th>"
        "<th>Raison sociale</th><th>SIREN</th><th>Exercice</th><th>Rôle</th></tr></thead>"
        "<tbody>\n",
        f);
    for (size_t i = 0; i < g->entities; i++)
        entity_row(f, in, g->ids[i], g->fy[i], i == 0 ? "entité combinante" : "entité combinée");
    if (g->combination[0])
        entity_row(f, in, g->combination, g->combination_fy,
                   "journal de combinaison (aucune entité)");
    fputs("</tbody></table>\n", f);
    fputs(
        "<p>Toutes les entités sont combinées par agrégation de leurs comptes (liens de "
        "combinaison : convention de répartition des frais, cotisations, direction commune). "
        "<em>À compléter : les critères qui fondent le périmètre, les entrées et sorties de "
        "l'exercice.</em></p>\n",
        f);
}

static void rules(FILE *f, const group_annexe_in *in)
{
    fputs(
        "<h2>2. Règles et méthodes de combinaison</h2>\n<ul>\n"
        "<li><strong>Agrégation</strong> : les soldes de chaque entité, compte par compte, "
        "sur son propre exercice jusqu'à la date des comptes combinés.</li>\n"
        "<li><strong>Éliminations des opérations réciproques, ligne à ligne</strong> : chaque "
        "ligne d'une entité portant le code d'une autre entité du groupe (comptes de classes "
        "4, 6 et 7) est appariée avec la ligne de l'autre entité de montant opposé, d'abord de "
        "même référence de pièce (les deux écritures d'une refacturation ou d'une cotisation), "
        "puis de même montant ; les lignes appariées sont éliminées sur les comptes que chaque "
        "entité a utilisés. Les éliminations ne modifient pas le résultat combiné.</li>\n",
        f);
    if (in->g->combination[0]) {
        fputs("<li><strong>Ajustements</strong> : les écritures du journal de combinaison ", f);
        esc(f, in->g->combination);
        fputs(
            " (harmonisation des méthodes, reclassements, correction de séparation des "
            "exercices entre deux entités, éliminations que l'appariement ne peut faire), "
            "signées et chaînées comme toute écriture, jamais portées dans les comptes d'une "
            "association.</li>\n",
            f);
    } else {
        fputs(
            "<li><strong>Ajustements</strong> : aucun journal de combinaison n'est configuré "
            "([group] combination).</li>\n",
            f);
    }
    fputs(
        "<li><strong>Écarts de réciprocité</strong> : les lignes sans contrepartie chez "
        "l'autre entité ne sont pas éliminées ; elles restent dans les comptes combinés et "
        "sont présentées ci-dessous (§ 4).</li>\n"
        "<li><em>À compléter : les méthodes retenues et leur harmonisation entre "
        "entités.</em></li>\n</ul>\n",
        f);
}

static void balance(FILE *f, const group_balance *g, const char *heading)
{
    size_t ncols = GROUP_COLS(g);
    fprintf(f, "<h2>%s</h2>\n<table class=\"wide\"><thead><tr><th>Compte</th><th>Intitulé</th>",
            heading);
    for (size_t i = 0; i < g->entities; i++) {
        fputs("<th>", f);
        esc(f, g->ids[i]);
        fputs("</th>", f);
    }
    fputs(
        "<th>Éliminations</th><th>Ajustements</th><th>Combiné</th>"
        "<th>dont écarts de réciprocité</th></tr></thead><tbody>\n",
        f);
    __int128 totals[STMT_COLS_MAX + 1] = {0};
    for (size_t r = 0; r < g->count; r++) {
        fputs("<tr><td>", f);
        esc(f, g->accounts[r]);
        fputs("</td><td>", f);
        esc(f, g->labels[r]);
        fputs("</td>", f);
        for (size_t i = 0; i <= ncols; i++) {
            int64_t v = i < ncols ? g->rows[r].net[i] : g->gaps[r];
            money_td(f, v);
            totals[i] += v;
        }
        fputs("</tr>\n", f);
    }
    fputs("<tr class=\"total\"><td>Total</td><td></td>", f);
    for (size_t i = 0; i <= ncols; i++)
        money_td(f, group_gap_i64(totals[i]));
    fputs("</tr></tbody></table>\n", f);
}

static const char *const nature[] = {"", "créances et dettes", "produits et charges"};
static const char *const status_fr[] = {"concordant", "discordant", "unilatéral"};

static void gaps(FILE *f, const group_annexe_in *in)
{
    __int128 sum[3];
    group_balance_gaps(in->g, sum);
    fputs("<h2>4. Écarts de réciprocité et leur traitement</h2>\n", f);
    char m1[STMT_HTML_MONEY_MAX], m2[STMT_HTML_MONEY_MAX];
    if (sum[1] || sum[2])
        fprintf(f,
                "<p class=\"warn\">Écarts de réciprocité non éliminés : créances et dettes %s ; "
                "produits et charges %s.</p>\n",
                stmt_html_money(group_gap_i64(sum[1]), m1),
                stmt_html_money(group_gap_i64(sum[2]), m2));
    else
        fputs(
            "<p class=\"ok\">Aucun écart de réciprocité : toutes les opérations réciproques "
            "ont été appariées et éliminées.</p>\n",
            f);
    fputs(
        "<table><thead><tr><th>Entité</th><th>Partenaire</th><th>Nature</th>"
        "<th>Chez l'entité</th><th>Chez le partenaire</th><th>Statut</th><th>Écart</th>"
        "</tr></thead><tbody>\n",
        f);
    gl_reply_reconcile_iter it, lines;
    gl_reply_reconcile_pair p;
    gl_reply_reconcile_line l;
    gl_reply_reconcile_iter_init(&it, in->rec);
    while (gl_reply_reconcile_next(&it, &p) == 1) {
        fputs("<tr><td>", f);
        esc_str(f, p.tenant_a);
        fputs("</td><td>", f);
        esc_str(f, p.tenant_b);
        fprintf(f, "</td><td>%s</td>", p.category <= 2 ? nature[p.category] : "?");
        money_td(f, p.pos_a);
        money_td(f, p.pos_b);
        fprintf(f, "<td>%s</td>", p.status < 3 ? status_fr[p.status] : "?");
        money_td(f, p.diff);
        fputs("</tr>\n", f);
    }
    fputs(
        "</tbody></table>\n<p>Lignes sans contrepartie chez l'autre entité :</p>\n"
        "<table><thead><tr><th>Entité</th><th>Partenaire</th><th>Écriture</th><th>Date</th>"
        "<th>Compte</th><th>Montant</th><th>Libellé</th></tr></thead><tbody>\n",
        f);
    size_t n = 0;
    gl_reply_reconcile_iter_init(&it, in->rec);
    while (gl_reply_reconcile_next(&it, &p) == 1) {
        gl_reply_reconcile_lines_init(&lines, &p);
        while (gl_reply_reconcile_line_next(&lines, &l) == 1) {
            bool a = l.tenant.len == p.tenant_a.len &&
                     !memcmp(l.tenant.ptr, p.tenant_a.ptr, l.tenant.len);
            fputs("<tr><td>", f);
            esc_str(f, l.tenant);
            fputs("</td><td>", f);
            esc_str(f, a ? p.tenant_b : p.tenant_a);
            fprintf(f, "</td><td>%u/%u</td><td>%02u/%02u/%04u</td><td>", l.fy, l.num, l.date % 100,
                    l.date / 100 % 100, l.date / 10000);
            esc_str(f, l.account);
            fputs("</td>", f);
            money_td(f, l.amount);
            fputs("<td>", f);
            esc_str(f, l.label);
            fputs("</td></tr>\n", f);
            n++;
        }
    }
    if (!n)
        fputs("<tr><td colspan=\"7\">Aucune.</td></tr>\n", f);
    fputs(
        "</tbody></table>\n<p><strong>Traitement</strong> : les écarts ne sont pas éliminés ; "
        "ils restent dans les comptes combinés, sur les comptes de l'entité qui a "
        "comptabilisé l'opération. Ils se régularisent par la comptabilisation de la pièce "
        "manquante chez l'autre entité ou, à défaut, par un ajustement du journal de "
        "combinaison. <em>À compléter : l'analyse de chaque écart significatif.</em></p>\n",
        f);
}

/* The page's head and title, and the group's line under it. */
static void page_head(FILE *f, const group_annexe_in *in, const char *title)
{
    const group_balance *g = in->g;
    const group_entity_info *u = g->entities ? info_of(in, g->ids[0]) : NULL;
    fprintf(f,
            "<!DOCTYPE html>\n<html lang=\"fr\"><head><meta charset=\"utf-8\"><title>%s</title>"
            "<style>%s</style></head><body>\n<h1>%s</h1>\n<p>Groupe ",
            title, css, title);
    esc(f, u ? u->name : g->entities ? g->ids[0] : "");
    fprintf(f, " (entité combinante), situation au %02u/%02u/%04u.</p>\n", g->at % 100,
            g->at / 100 % 100, g->at / 10000);
}

int group_annexe_html(FILE *f, const group_annexe_in *in)
{
    page_head(f, in, "Annexe des comptes combinés — squelette");
    scope(f, in);
    rules(f, in);
    balance(f, in->g, "3. Balance combinée (solde débiteur − créditeur)");
    gaps(f, in);
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}

bool group_gaps_note(const group_balance *g, char *out, size_t len)
{
    __int128 sum[3];
    group_balance_gaps(g, sum);
    char m1[STMT_HTML_MONEY_MAX], m2[STMT_HTML_MONEY_MAX];
    snprintf(out, len,
             "Écarts de réciprocité non éliminés (opérations réciproques sans contrepartie chez "
             "l'autre entité, laissées dans les comptes combinés) : créances et dettes %s, "
             "produits et charges %s ; détail : grandlivre group reconcile.",
             stmt_html_money(group_gap_i64(sum[1]), m1),
             stmt_html_money(group_gap_i64(sum[2]), m2));
    return sum[1] || sum[2];
}

int group_balance_html(FILE *f, const group_annexe_in *in)
{
    page_head(f, in, "Balance combinée");
    char note[512];
    if (group_gaps_note(in->g, note, sizeof note)) {
        fputs("<p class=\"warn\">", f);
        esc(f, note);
        fputs("</p>\n", f);
    }
    balance(f, in->g, "Soldes débiteurs − créditeurs");
    fputs("</body></html>\n", f);
    return ferror(f) ? -1 : 0;
}

int group_statements_html(FILE *f, const group_annexe_in *in, const stmt_result *r,
                          uint32_t printed)
{
    const group_balance *g = in->g;
    const group_entity_info *u = g->entities ? info_of(in, g->ids[0]) : NULL;
    unsigned first_month = u && u->first_month ? u->first_month : 1;
    uint16_t fy = g->entities ? g->fy[0] : 0;
    static char entity[400], note[512], detail[200];
    static char notes_at[STMT_COLS_MAX][32];
    snprintf(entity, sizeof entity, "Groupe %s (entité combinante) et ses %zu membre(s)",
             u             ? u->name
             : g->entities ? g->ids[0]
                           : "",
             g->entities ? g->entities - 1 : 0);
    stmt_doc doc = {.heading = "Comptes combinés",
                    .entity = entity,
                    .siren = u ? u->siren : "",
                    .fy = fy,
                    .from = gl_fiscal_year_start(fy, first_month),
                    .to = g->at,
                    .printed = printed,
                    /* a situation before the year's end is provisional */
                    .provisional = g->at != gl_fiscal_year_end(fy, first_month)};
    for (size_t i = 0; i < g->entities; i++) {
        const group_entity_info *e = info_of(in, g->ids[i]);
        doc.col_titles[i] = e && e->code[0] ? e->code : g->ids[i];
        snprintf(notes_at[i], sizeof notes_at[i], "ex. %u", g->fy[i]);
        doc.col_notes[i] = notes_at[i];
    }
    doc.col_titles[GROUP_ELIM(g)] = "Éliminations";
    doc.col_notes[GROUP_ELIM(g)] = "opérations réciproques";
    doc.col_titles[GROUP_ADJ(g)] = "Ajustements";
    doc.col_notes[GROUP_ADJ(g)] = "journal de combinaison";
    doc.col_titles[GROUP_COMBINED(g)] = "Combiné";
    snprintf(notes_at[GROUP_COMBINED(g)], sizeof notes_at[0], "au %02u/%02u/%04u", g->at % 100,
             g->at / 100 % 100, g->at / 10000);
    doc.col_notes[GROUP_COMBINED(g)] = notes_at[GROUP_COMBINED(g)];
    if (g->combination[0]) {
        snprintf(detail, sizeof detail, "Journal de combinaison : %s (exercice %u)", g->combination,
                 g->combination_fy);
        doc.detail = detail;
    }
    if (group_gaps_note(g, note, sizeof note))
        doc.notes[doc.note_count++] = note;
    return stmt_render_html(r, &doc, f);
}
