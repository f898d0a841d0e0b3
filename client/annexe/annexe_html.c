/*
 * client/annexe/annexe_html.c — the annexe as one self-contained printable
 * HTML page (annexe.h): inline CSS only, A4 portrait (@page), each table on
 * its own page when printed, French amounts ("1 234,56" with narrow
 * no-break spaces, from client/statements/html.c), every outside text (the
 * association's name, the notes file) escaped.  Nothing is computed here.
 */
#include "annexe.h"

#include "client/statements/html.h"

#include <string.h>

static const char css[] =
    "@page{size:A4 portrait;margin:14mm 12mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:9.5pt;"
    "color:#1a1a1a;margin:0 auto;max-width:186mm;padding:8mm 0;line-height:1.35}\n"
    "header{border-bottom:.6mm solid #1f3a5f;margin-bottom:5mm;padding-bottom:3mm}\n"
    "h1{font-size:1.55em;margin:0 0 1.5mm;color:#1f3a5f}\n"
    "h2{font-size:1.2em;margin:6mm 0 2mm;color:#1f3a5f;border-bottom:.3mm solid #9fb3c8;"
    "padding-bottom:1mm}\n"
    ".who{font-size:1.15em;margin:0 0 1mm}\n"
    ".period{margin:0;color:#444}\n"
    ".nw{white-space:nowrap}\n"
    "table.ax{width:100%;border-collapse:collapse;margin:0 0 3mm;table-layout:fixed}\n"
    "table.ax th,table.ax td{padding:.9mm 1.4mm;vertical-align:bottom}\n"
    "table.ax thead th{background:#1f3a5f;color:#fff;font-weight:bold;text-align:right;"
    "font-size:.9em}\n"
    "table.ax thead th.l{text-align:left;width:38%}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tr.item td{border-bottom:.2mm solid #e4e8ee}\n"
    "tr.title td{font-weight:bold;font-variant:small-caps;padding-top:2.2mm;color:#1f3a5f;"
    "border-bottom:.3mm solid #9fb3c8}\n"
    "tr.total td{font-weight:bold;border-top:.4mm solid #1f3a5f;background:#dfe7f1}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    "section.tab{break-before:page;page-break-before:always}\n"
    "p.rule{margin:1mm 0 3mm;color:#333;font-size:.92em}\n"
    "p.none{font-style:italic;color:#555}\n"
    "ul.ties{list-style:none;padding:0;font-size:.9em}\n"
    "ul.ties li.ok::before{content:\"\\2713  \";color:#1e7b34;font-weight:bold}\n"
    "ul.ties li.ko{color:#c0392b;font-weight:bold}\n"
    "ul.ties li.ko::before{content:\"\\2717  \"}\n"
    ".provisoire{color:#c0392b;font-weight:bold}\n"
    "footer{margin-top:6mm;border-top:.3mm solid #9fb3c8;padding-top:2mm;font-size:.85em;"
    "color:#555}\n"
    "@media print{body{padding:0;max-width:none}}\n";

static void put_date(FILE *f, uint32_t ymd)
{
    fprintf(f, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
}

static void put_money(FILE *f, int64_t v)
{
    char m[STMT_HTML_MONEY_MAX];
    fprintf(f, "<td class=\"n\">%s</td>", v ? stmt_html_money(v, m) : "–");
}

static void put_table(FILE *f, const ax_tab *t)
{
    fprintf(f, "<table class=\"ax\"><thead><tr><th class=\"l\" style=\"width:%s\">Rubrique</th>",
            t->ncols > 4 ? "27%" : "38%");
    for (size_t c = 0; c < t->ncols; c++) {
        fputs("<th>", f);
        stmt_html_escape(f, t->cols[c]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t r = 0; r < t->count; r++) {
        const ax_row *row = &t->rows[r];
        if (row->title) {
            fprintf(f, "<tr class=\"title\"><td colspan=\"%zu\">", t->ncols + 1);
            stmt_html_escape(f, row->label);
            fputs("</td></tr>\n", f);
            continue;
        }
        bool zero = true;
        for (size_t c = 0; c < t->ncols; c++)
            zero &= row->v[c] == 0;
        if (zero && !row->subtotal)
            continue;
        fputs(row->subtotal ? "<tr class=\"total\"><td>" : "<tr class=\"item\"><td>", f);
        stmt_html_escape(f, row->label);
        fputs("</td>", f);
        for (size_t c = 0; c < t->ncols; c++)
            put_money(f, row->v[c]);
        fputs("</tr>\n", f);
    }
    if (!t->no_total) {
        fputs("<tr class=\"total\"><td>Total</td>", f);
        for (size_t c = 0; c < t->ncols; c++)
            put_money(f, t->total[c]);
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* A section of tables: its title, then each table or "Néant", then what
 * goes under it (or NULL). */
static void put_tab_more(FILE *f, const ax_tab *t, const char *id, const char *rule,
                         const ax_doc *doc, void (*more)(FILE *, const ax_doc *))
{
    fprintf(f, "<section class=\"tab\" id=\"%s\">\n<h2>", id);
    stmt_html_escape(f, t->title);
    fputs("</h2>\n", f);
    if (t->any)
        put_table(f, t);
    else
        fputs("<p class=\"none\">Néant.</p>\n", f);
    if (rule)
        fprintf(f, "<p class=\"rule\">%s</p>\n", rule);
    if (more)
        more(f, doc);
    fputs("</section>\n", f);
}

static void put_tab(FILE *f, const ax_tab *t, const char *id, const char *rule)
{
    put_tab_more(f, t, id, rule, NULL, NULL);
}

/* Paragraphs (blank lines between) and "- " items (an indented line
 * continues the item), escaped. */
static void put_text(FILE *f, const char *s)
{
    bool list = false, item = false, par = false;
    while (*s) {
        size_t n = strcspn(s, "\n");
        const char *line = s;
        s += n + (s[n] == '\n');
        size_t len = n, indent = 0;
        while (len && (line[len - 1] == '\r' || line[len - 1] == ' '))
            len--;
        while (indent < len && (line[indent] == ' ' || line[indent] == '\t'))
            indent++;
        bool starts_item = len >= 2 && (line[0] == '-' || line[0] == '*') && line[1] == ' ';
        bool continues = (item && indent > 0 && !starts_item) || (par && !starts_item);
        if (len == indent || starts_item || !continues) {
            if (par)
                fputs("</p>\n", f);
            if (item)
                fputs("</li>\n", f);
            if (list && !starts_item)
                fputs("</ul>\n", f);
            par = item = false;
            list &= starts_item;
        }
        if (len == indent)
            continue;
        size_t skip = starts_item ? 2 : indent;
        if (continues) {
            fputc(' ', f);
        } else if (starts_item) {
            fputs(list ? "<li>" : "<ul>\n<li>", f);
            list = item = true;
        } else {
            fputs("<p>", f);
            par = true;
        }
        stmt_html_escape_n(f, line + skip, len - skip);
    }
    if (par)
        fputs("</p>\n", f);
    if (item)
        fputs("</li>\n", f);
    if (list)
        fputs("</ul>\n", f);
}

/* The fonds dédiés per grant, under the table of the 19 accounts. */
static void put_grants(FILE *f, const ax_doc *doc)
{
    static const char *const cols[] = {"À l'ouverture", "Reports", "Utilisations", "Transferts",
                                       "À la clôture"};
    if (!doc->ngrants)
        return;
    fputs(
        "<section id=\"fonds-dedies-subventions\">\n<h3>Fonds dédiés par subvention</h3>\n"
        "<table class=\"ax\"><thead><tr><th class=\"l\" style=\"width:30%\">Subvention "
        "(financeur)</th>",
        f);
    for (size_t c = 0; c < 5; c++)
        fprintf(f, "<th>%s</th>", cols[c]);
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < doc->ngrants; i++) {
        const ax_grant_row *g = &doc->grants[i];
        fputs(g->total ? "<tr class=\"total\"><td>Total" : "<tr class=\"item\"><td>", f);
        if (!g->total) {
            stmt_html_escape(f, g->grant);
            fputs(" — ", f);
            stmt_html_escape(f, g->label);
            fputs(" (", f);
            stmt_html_escape(f, g->funder);
            fputs(")", f);
        }
        fputs("</td>", f);
        for (size_t c = 0; c < 5; c++)
            put_money(f, g->v[c]);
        fputs("</tr>\n", f);
    }
    fputs(
        "</tbody></table>\n<p class=\"rule\">Par subvention dédiée, comme les calcule "
        "<code>grandlivre dedicated-funds</code> (montants comptabilisés lorsque les écritures "
        "de l'exercice existent, sinon calculés).</p>\n</section>\n",
        f);
}

static void put_section(FILE *f, const ax_doc *doc, enum ax_section s, const char *id)
{
    fprintf(f, "<section id=\"%s\">\n<h2>", id);
    stmt_html_escape(f, ax_section_title(s));
    fputs("</h2>\n", f);
    const char *body = doc->notes ? doc->notes->body[s] : NULL;
    if (body && *body)
        put_text(f, body);
    else
        fputs("<p class=\"none\">Non renseigné.</p>\n", f);
    fputs("</section>\n", f);
}

static void put_staff(FILE *f, const ax_doc *doc)
{
    fputs("<section class=\"tab\" id=\"effectifs\">\n<h2>Effectifs</h2>\n", f);
    if (!doc->staff.known) {
        fputs(
            "<p class=\"none\">Non renseigné (aucune feuille de temps de salarié sur "
            "l'exercice).</p>\n",
            f);
    } else {
        fprintf(
            f,
            "<table class=\"ax\"><thead><tr><th class=\"l\">Rubrique</th><th>Exercice N</th></tr>"
            "</thead>\n<tbody>\n<tr class=\"item\"><td>Salariés ayant une feuille de temps "
            "sur l'exercice</td><td class=\"n\">%zu</td></tr>\n<tr class=\"item\"><td>"
            "Effectif moyen en équivalent temps plein (quotités des feuilles, sur 12 "
            "mois)</td><td class=\"n\">%llu,%02llu</td></tr>\n</tbody></table>\n",
            doc->staff.employees, (unsigned long long)(doc->staff.fte_per_mille / 1000),
            (unsigned long long)(doc->staff.fte_per_mille % 1000 / 10));
    }
    fputs("</section>\n", f);
}

static void put_ties(FILE *f, const ax_result *r)
{
    char a[STMT_HTML_MONEY_MAX], b[STMT_HTML_MONEY_MAX];
    fputs("<section id=\"controles\">\n<h2>Concordance avec le bilan</h2>\n<ul class=\"ties\">\n",
          f);
    for (size_t i = 0; i < r->tie_count; i++) {
        const ax_tie *t = &r->ties[i];
        fputs(t->ok ? "<li class=\"ok\">" : "<li class=\"ko\">", f);
        stmt_html_escape(f, t->what);
        fprintf(f, " : %s", stmt_html_money(t->table, a));
        if (!t->ok)
            fprintf(f, " (bilan : %s)", stmt_html_money(t->bilan, b));
        fputs("</li>\n", f);
    }
    fputs("</ul>\n</section>\n", f);
}

int ax_render_html(const ax_result *r, const stmt_result *bilan, const ax_doc *doc, FILE *f)
{
    fputs(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        f);
    fprintf(f, "Annexe %u%s — ", doc->fy, doc->provisional ? " (provisoire)" : "");
    stmt_html_escape(f, doc->entity);
    fprintf(f, "</title>\n<style>\n%s</style>\n</head>\n<body>\n<header>\n<h1>", css);
    fprintf(f, "Annexe des comptes annuels — exercice %u%s</h1>\n", doc->fy,
            doc->provisional ? " (provisoire)" : "");
    stmt_html_who(f, doc->entity, doc->siren, doc->from, doc->to);
    stmt_html_escape(f, stmt_model_name(bilan->model));
    fputs("</p>\n", f);
    if (doc->provisional)
        fputs("<p class=\"provisoire\">Annexe provisoire : l'exercice n'est pas clôturé.</p>\n", f);
    fputs("</header>\n<main>\n", f);
    put_section(f, doc, AX_RULES, "regles");
    put_section(f, doc, AX_EVENTS, "faits");
    put_tab(f, &r->t[AX_GROSS], "immobilisations",
            "Augmentations : débits de l'exercice (acquisitions, mises en service) ; diminutions : "
            "crédits (cessions, mises au rebut, virements de poste à poste).");
    put_tab(f, &r->t[AX_DEPREC], "amortissements",
            "Dotations : crédits de l'exercice des comptes 28 et 29 ; reprises et sorties : leurs "
            "débits (cessions, reprises de dépréciations).");
    put_tab(f, &r->t[AX_PROV], "provisions", NULL);
    put_tab_more(f, &r->t[AX_FUNDS], "fonds-dedies",
                 "Reports : crédits de l'exercice des comptes 19 (contrepartie 689) ; "
                 "utilisations : leurs débits (contrepartie 789).",
                 doc, put_grants);
    put_tab(f, &r->t[AX_EQUITY], "fonds-propres",
            "Affectation du résultat N-1 : mouvements de l'exercice des comptes 106, 11 et 12 ; le "
            "résultat de l'exercice figure en augmentation (excédent) ou en diminution (déficit).");
    put_tab(f, &r->t[AX_MATURITY], "echeances",
            "Les livres ne portent pas d'échéances : sont classés à plus d'un an les emprunts et "
            "dettes financières (16, hors intérêts courus 1688) et les créances immobilisées (27, "
            "hors 2768) ; tous les autres soldes de tiers et financiers à un an au plus.");
    put_tab(f, &r->t[AX_CVN], "contributions",
            "Évaluées et comptabilisées en classe 8 (86 emplois, 87 contributions), présentées "
            "sous le compte de résultat.");
    put_staff(f, doc);
    fputs("<section class=\"tab\" id=\"engagements-et-evenements\">\n", f);
    put_section(f, doc, AX_COMMIT, "engagements");
    put_section(f, doc, AX_AFTER, "evenements");
    fputs("</section>\n", f);
    for (size_t i = 0; doc->notes && i < doc->notes->extra; i++) {
        fputs("<section>\n<h2>", f);
        stmt_html_escape(f, doc->notes->extra_title[i]);
        fputs("</h2>\n", f);
        put_text(f, doc->notes->extra_body[i]);
        fputs("</section>\n", f);
    }
    put_ties(f, r);
    fputs("</main>\n<footer>Établi par Grand Livre", f);
    if (doc->printed) {
        fputs(" le ", f);
        put_date(f, doc->printed);
    }
    fputs(
        " à partir des soldes et mouvements des comptes de l'exercice (à-nouveaux exclus des "
        "mouvements). Chaque total qui a une ligne au bilan y est rapproché.</footer>\n"
        "</body>\n</html>\n",
        f);
    return ferror(f) ? -1 : 0;
}
