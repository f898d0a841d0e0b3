/*
 * client/statements/html.c — the printable HTML page of the statements (see
 * html.h).  Written straight to a FILE in one pass: a fixed stylesheet, the
 * title block, then one table per part (actif, passif, compte de résultat,
 * contributions en nature), one row per line of the stmt_result.  Headings
 * that are zero in every column are left out, as on printed accounts; group
 * titles, totals and results always stay.  Amounts come from the result
 * exactly (int64 cents formatted by proto/money.c); nothing is recomputed
 * here, so the page shows the same numbers as the table, CSV and JSON.
 */
#include "html.h"

#include "proto/money.h"

#include <string.h>

void stmt_html_escape(FILE *f, const char *s)
{
    if (s)
        stmt_html_escape_n(f, s, strlen(s));
}

void stmt_html_escape_n(FILE *f, const char *s, size_t len)
{
    for (const char *end = s + len; s < end; s++) {
        switch (*s) {
        case '&': fputs("&amp;", f); break;
        case '<': fputs("&lt;", f); break;
        case '>': fputs("&gt;", f); break;
        case '"': fputs("&quot;", f); break;
        case '\'': fputs("&#39;", f); break;
        default: fputc(*s, f); break;
        }
    }
}

char *stmt_html_money(int64_t cents, char *out)
{
    char plain[GL_MONEY_TEXT_MAX];
    gl_money_format(cents, GL_MONEY_FRENCH, plain);
    size_t n = 0;
    for (const char *p = plain; *p; p++) {
        if (*p == ' ') {
            memcpy(out + n, "\xE2\x80\xAF", 3); /* U+202F NARROW NO-BREAK SPACE */
            n += 3;
        } else {
            out[n++] = *p;
        }
    }
    out[n] = '\0';
    return out;
}

/* "31/12/2025" */
static void put_date(FILE *f, uint32_t ymd)
{
    fprintf(f, "%02u/%02u/%04u", ymd % 100, ymd / 100 % 100, ymd / 10000);
}

/* "111 111 111" (narrow no-break spaces) for nine digits, else as given. */
static void put_siren(FILE *f, const char *s)
{
    if (strlen(s) == 9 && strspn(s, "0123456789") == 9)
        fprintf(f, "%.3s\xE2\x80\xAF%.3s\xE2\x80\xAF%.3s", s, s + 3, s + 6);
    else
        stmt_html_escape(f, s);
}

void stmt_html_who(FILE *f, const char *entity, const char *siren, uint32_t from, uint32_t to)
{
    fputs("<p class=\"who\"><strong>", f);
    stmt_html_escape(f, entity);
    fputs("</strong>", f);
    if (siren && siren[0]) {
        fputs(" · <span class=\"nw\">SIREN ", f);
        put_siren(f, siren);
        fputs("</span>", f);
    }
    fputs("</p>\n<p class=\"period\">Exercice du ", f);
    put_date(f, from);
    fputs(" au ", f);
    put_date(f, to);
    fputs(" · montants en euros · ", f);
}

static const char css[] =
    "@page{size:A4 %s;margin:14mm 12mm 16mm}\n"
    "*{box-sizing:border-box}\n"
    "body{font-family:\"DejaVu Sans\",\"Liberation Sans\",Arial,sans-serif;font-size:%s;color:#1a1a1a;"
    "margin:0 auto;max-width:%s;padding:8mm 0;line-height:1.3}\n"
    "header{border-bottom:.6mm solid #1f3a5f;margin-bottom:5mm;padding-bottom:3mm}\n"
    "h1{font-size:1.55em;margin:0 0 1.5mm;color:#1f3a5f}\n"
    "h2{font-size:1.2em;margin:6mm 0 2mm;color:#1f3a5f;border-bottom:.3mm solid #9fb3c8;padding-bottom:1mm}\n"
    "h3{font-size:1.05em;margin:5mm 0 2mm;color:#1f3a5f}\n"
    ".who{font-size:1.15em;margin:0 0 1mm}\n"
    ".period{margin:0;color:#444}\n"
    ".nw{white-space:nowrap}\n"
    "ul.notes{margin:3mm 0 0;padding:2mm 3mm 2mm 7mm;background:#fff7e0;border-left:1mm solid #e0a800}\n"
    "ul.notes.alert{background:#fde8e8;border-left-color:#c0392b}\n"
    "table.st{width:100%%;border-collapse:collapse;margin:0 0 4mm;table-layout:fixed}\n"
    "table.st th,table.st td{padding:.9mm 1.6mm;vertical-align:bottom}\n"
    "table.st thead th{background:#1f3a5f;color:#fff;font-weight:bold;text-align:right;font-size:.92em}\n"
    "table.st thead th.l{text-align:left;width:%s}\n"
    "table.st.gross thead th.l{width:%s}\n"
    "table.st thead th .note{display:block;font-weight:normal;font-size:.85em;opacity:.85}\n"
    "td.n{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}\n"
    "tr.item td{border-bottom:.2mm solid #e4e8ee}\n"
    "tr.item td.l{padding-left:5mm}\n"
    "tr.title td{font-weight:bold;font-variant:small-caps;padding-top:2.2mm;color:#1f3a5f;"
    "border-bottom:.3mm solid #9fb3c8}\n"
    "tr.total td{font-weight:bold;border-top:.3mm solid #555;background:#f2f5f9}\n"
    "tr.major td{font-weight:bold;border-top:.5mm solid #1f3a5f;border-bottom:.5mm solid #1f3a5f;"
    "background:#dfe7f1}\n"
    "tr{break-inside:avoid;page-break-inside:avoid}\n"
    "thead{display:table-header-group}\n"
    ".newpage{break-before:page;page-break-before:always}\n"
    "table.map{width:100%%;border-collapse:collapse;margin:2mm 0 4mm;font-size:.9em}\n"
    "table.map th,table.map td{padding:.8mm 1.4mm;border-bottom:.2mm solid #e4e8ee;vertical-align:top;"
    "text-align:left}\n"
    "table.map thead th{background:#e8edf3;color:#1f3a5f}\n"
    "table.map td.n,table.map th.n{text-align:right;white-space:nowrap}\n"
    "p.mapnote{margin:1mm 0;color:#333}\n"
    "footer{margin-top:6mm;border-top:.3mm solid #9fb3c8;padding-top:2mm;font-size:.85em;color:#555}\n"
    "@media print{body{padding:0;max-width:none}}\n";

/* For an unclosed year: a mark fixed at the top of the page (Chromium and
 * Firefox print a fixed element on every sheet) and a page-margin box
 * (CSS Paged Media, printed on every sheet where supported). */
static const char provisional_css[] =
    ".provisoire{position:fixed;top:0;right:0;z-index:10;padding:1mm 3mm;border:.5mm solid #c0392b;"
    "color:#c0392b;background:#fff;font-weight:bold;letter-spacing:.15em;font-size:10pt}\n"
    "@page{@top-center{content:\"PROVISOIRE — exercice non clôturé\";color:#c0392b;font-weight:bold;"
    "font-family:\"DejaVu Sans\",Arial,sans-serif;font-size:9pt}}\n"
    "p.provisoire-banner{margin:2mm 0 0;color:#c0392b;font-weight:bold}\n";

/* Lines of one part, and whether a line is to be shown. */
static bool zero_everywhere(const stmt_result *r, const stmt_line *l)
{
    return stmt_line_zero(r, l);
}

static bool shown(const stmt_result *r, size_t i)
{
    const stmt_line *l = &r->lines[i];
    if (l->kind == STMT_ITEM)
        return !zero_everywhere(r, l);
    if (l->kind == STMT_TOTAL)
        return true;
    /* a title stays if anything under it (up to the next title) is shown */
    for (size_t j = i + 1;
         j < r->count && r->lines[j].part == l->part && r->lines[j].kind != STMT_TITLE; j++)
        if (r->lines[j].kind == STMT_TOTAL || !zero_everywhere(r, &r->lines[j]))
            return true;
    return false;
}

/* The actif of a detailed column 0: Brut, Amortissements et dépréciations,
 * then the net of every column (ANC 2018-06's model of the actif). */
static bool gross_part(const stmt_result *r, enum stmt_part part)
{
    return r->gross_detail && part == STMT_ACTIF;
}

static void put_head(FILE *f, const stmt_result *r, const stmt_doc *doc, enum stmt_part part,
                     const char *first)
{
    static const char *const words[] = {"Brut", "Amortissements et dépréciations", "Net"};
    bool gross = gross_part(r, part);
    fputs("<thead><tr><th class=\"l\">", f);
    stmt_html_escape(f, first);
    fputs("</th>", f);
    for (size_t k = 0; gross && k < 2; k++) {
        fprintf(f, "<th class=\"g\">%s<span class=\"note\">", words[k]);
        stmt_html_escape(f, doc->col_titles[0] ? doc->col_titles[0] : r->col_names[0]);
        fputs("</span></th>", f);
    }
    for (size_t c = 0; c < r->ncols; c++) {
        fputs("<th>", f);
        if (gross)
            fprintf(f, "%s<span class=\"note\">", words[2]);
        stmt_html_escape(f, doc->col_titles[c] ? doc->col_titles[c] : r->col_names[c]);
        if (gross)
            fputs("</span>", f);
        if (doc->col_notes[c]) {
            fputs("<span class=\"note\">", f);
            stmt_html_escape(f, doc->col_notes[c]);
            fputs("</span>", f);
        }
        if (r->mapped_col[c])
            fprintf(f, "<span class=\"note\">modèle %u (voir la note)</span>",
                    stmt_model_year(r->model));
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n", f);
}

static void put_part(FILE *f, const stmt_result *r, const stmt_doc *doc, enum stmt_part part,
                     const char *first)
{
    char money[STMT_HTML_MONEY_MAX];
    bool gross = gross_part(r, part);
    fputs(gross ? "<table class=\"st gross\">\n" : "<table class=\"st\">\n", f);
    put_head(f, r, doc, part, first);
    fputs("<tbody>\n", f);
    for (size_t i = 0; i < r->count; i++) {
        const stmt_line *l = &r->lines[i];
        if (l->part != part || !shown(r, i))
            continue;
        const char *cls = l->kind == STMT_TITLE  ? "title"
                          : l->kind == STMT_ITEM ? "item"
                          : l->major             ? "major"
                                                 : "total";
        fprintf(f, "<tr class=\"%s\"><td class=\"l\"", cls);
        if (l->kind == STMT_TITLE)
            fprintf(f, " colspan=\"%zu\"", r->ncols + 1 + (gross ? 2 : 0));
        fputs(">", f);
        stmt_html_escape(f, l->label);
        fputs("</td>", f);
        int64_t brut;
        if (l->kind != STMT_TITLE && gross && stmt_gross(l, 0, &brut)) {
            fprintf(f, "<td class=\"n g\">%s</td>", brut ? stmt_html_money(brut, money) : "–");
            fprintf(f, "<td class=\"n g\">%s</td>",
                    l->deprec[0] ? stmt_html_money(l->deprec[0], money) : "–");
        } else if (l->kind != STMT_TITLE && gross) {
            fputs("<td class=\"n g\">#</td><td class=\"n g\">#</td>", f); /* overflow */
        }
        if (l->kind != STMT_TITLE)
            for (size_t c = 0; c < r->ncols; c++)
                fprintf(f, "<td class=\"n\">%s</td>",
                        l->amount[c] ? stmt_html_money(l->amount[c], money) : "–");
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

/* "1 234,56 C": a reclassified balance and its side (débiteur, créditeur). */
static void put_balance(FILE *f, int64_t net)
{
    char money[STMT_HTML_MONEY_MAX];
    int64_t cents;
    bool credit;
    if (!net) {
        fputs("–", f);
    } else if (!stmt_balance_side(net, &cents, &credit)) {
        fputs(stmt_html_money(net, money), f);
    } else {
        fputs(stmt_html_money(cents, money), f);
        fputs(credit ? "\xC2\xA0"
                       "C"
                     : "\xC2\xA0"
                       "D",
              f); /* no-break space */
    }
}

/* Whether a transfer of charges (79x, presented as a deduction of a charge)
 * is among the note's lines. */
static bool transfers_used(const stmt_map_line *lines, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!strncmp(lines[i].from, "79", 2))
            return true;
    return false;
}

/* The note on the columns presented in the 2025 model although their books
 * were kept in the earlier chart: what the first application of règlement
 * 2022-06 asks (reclassified, not restated), and the table used, account by
 * account with its balance per such column. */
static void put_map_note(FILE *f, const stmt_result *r, const stmt_doc *doc)
{
    bool any = false;
    for (size_t c = 0; c < r->ncols; c++)
        any |= r->mapped_col[c];
    if (!any)
        return;
    stmt_map_line lines[STMT_MAP_ROWS];
    size_t n = stmt_map_lines(r, lines, STMT_MAP_ROWS);
    fprintf(f,
            "<h3>Reclassements de l'exercice comparatif (première application du modèle %u)</h3>\n",
            stmt_model_year(r->model));
    size_t cols = 0;
    for (size_t c = 0; c < r->ncols; c++)
        cols += r->mapped_col[c];
    fputs("<p class=\"mapnote\">", f);
    fputs(cols > 1 ? "Les comptes des colonnes " : "Les comptes de la colonne ", f);
    for (size_t c = 0, k = 0; c < r->ncols; c++) {
        if (!r->mapped_col[c])
            continue;
        fputs(k++ ? ", «\xC2\xA0" : "«\xC2\xA0", f);
        stmt_html_escape(f, doc->col_titles[c] ? doc->col_titles[c] : r->col_names[c]);
        fputs("\xC2\xA0»", f);
    }
    fputs(
        " ont été tenus dans le plan de comptes antérieur (règlement ANC n° 2018-06). Comme le demandent les "
        "règles de première application du règlement ANC n° 2022-06, ils sont présentés dans les rubriques du "
        "nouveau modèle par simple reclassement, sans retraitement : le résultat et le total du bilan sont "
        "inchangés.",
        f);
    if (transfers_used(lines, n))
        fputs(
            " Les transferts de charges (comptes 79), supprimés, sont présentés en déduction des charges qu'ils "
            "remboursaient : les totaux des produits et des charges de l'exercice comparatif en sont diminués "
            "d'autant.",
            f);
    fputs(
        " Table de correspondance appliquée (soldes de l'exercice, D débiteur, C créditeur) :</p>\n",
        f);
    if (n == 0) {
        fputs("<p class=\"mapnote\">Aucun compte n'a eu à être reclassé.</p>\n", f);
        return;
    }
    fputs(
        "<table class=\"map\"><thead><tr><th>Compte (plan antérieur)</th><th>Présenté en</th>"
        "<th>Rubrique du modèle</th>",
        f);
    for (size_t c = 0; c < r->ncols; c++) {
        if (!r->mapped_col[c])
            continue;
        fputs("<th class=\"n\">", f);
        stmt_html_escape(f, doc->col_titles[c] ? doc->col_titles[c] : r->col_names[c]);
        fputs("</th>", f);
    }
    fputs("</tr></thead>\n<tbody>\n", f);
    for (size_t i = 0; i < n; i++) {
        const stmt_map_line *l = &lines[i];
        fputs("<tr><td>", f);
        stmt_html_escape(f, l->from);
        fputs(" ", f);
        stmt_html_escape(f, l->from_label);
        fputs("</td><td>", f);
        stmt_html_escape(f, l->to);
        fputs(" ", f);
        stmt_html_escape(f, l->to_label);
        fputs("</td><td>", f);
        stmt_html_escape(f, l->heading);
        fputs("</td>", f);
        for (size_t c = 0; c < r->ncols; c++) {
            if (!r->mapped_col[c])
                continue;
            fputs("<td class=\"n\">", f);
            put_balance(f, r->mapped[l->row][c]);
            fputs("</td>", f);
        }
        fputs("</tr>\n", f);
    }
    fputs("</tbody></table>\n", f);
}

int stmt_render_html(const stmt_result *r, const stmt_doc *doc, FILE *f)
{
    bool wide = r->ncols > 3;
    fputs(
        "<!DOCTYPE html>\n<html lang=\"fr\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>",
        f);
    stmt_html_escape(f, doc->heading);
    fprintf(f, " %u%s — ", doc->fy, doc->provisional ? " (provisoire)" : "");
    stmt_html_escape(f, doc->entity);
    fputs("</title>\n<style>\n", f);
    fprintf(f, css, wide ? "landscape" : "portrait", r->ncols > 6 ? "7.5pt" : "9.5pt",
            wide ? "273mm" : "186mm", wide ? "34%" : "52%", wide ? "28%" : "36%");
    if (doc->provisional)
        fputs(provisional_css, f);
    fputs("</style>\n</head>\n<body>\n", f);
    if (doc->provisional)
        fputs("<div class=\"provisoire\">PROVISOIRE</div>\n", f);
    fputs("<header>\n<h1>", f);
    stmt_html_escape(f, doc->heading);
    fprintf(f, " — exercice %u%s</h1>\n", doc->fy, doc->provisional ? " (provisoire)" : "");
    stmt_html_who(f, doc->entity, doc->siren, doc->from, doc->to);
    fputs("présentation du ", f);
    stmt_html_escape(f, stmt_model_name(r->model));
    if (r->model == STMT_MODEL_2025)
        fputs(", modèles des exercices ouverts à compter du 01/01/2025", f);
    fputs("</p>\n", f);
    if (doc->detail) {
        fputs("<p class=\"period\">", f);
        stmt_html_escape(f, doc->detail);
        fputs("</p>\n", f);
    }
    if (doc->provisional)
        fputs(
            "<p class=\"provisoire-banner\">Comptes provisoires : l'exercice n'est pas clôturé.</p>\n",
            f);
    if (doc->note_count) {
        fputs("<ul class=\"notes\">\n", f);
        for (size_t i = 0; i < doc->note_count && i < STMT_DOC_NOTES_MAX; i++) {
            fputs("<li>", f);
            stmt_html_escape(f, doc->notes[i]);
            fputs("</li>\n", f);
        }
        fputs("</ul>\n", f);
    }
    fputs("</header>\n<main>\n<h2>Bilan</h2>\n", f);
    put_part(f, r, doc, STMT_ACTIF, r->gross_detail ? "Actif" : "Actif (montants nets)");
    put_part(f, r, doc, STMT_PASSIF, "Passif");
    fputs("<h2 class=\"newpage\">Compte de résultat</h2>\n", f);
    put_part(f, r, doc, STMT_RESULTAT, "Compte de résultat");
    fputs("<h3>Contributions volontaires en nature</h3>\n", f);
    put_part(f, r, doc, STMT_CVN, "Évaluation des contributions en nature");
    put_map_note(f, r, doc);
    fputs("</main>\n<footer>Établi par Grand Livre", f);
    if (doc->printed) {
        fputs(" le ", f);
        put_date(f, doc->printed);
    }
    fputs(
        " à partir des soldes des comptes au dernier jour de l'exercice, avant l'écriture de "
        "détermination du résultat. ",
        f);
    fputs(r->gross_detail ? "Actif en valeurs brutes, amortissements et dépréciations, et nettes ; "
                            "exercices précédents en valeurs nettes."
                          : "Actif en valeurs nettes (amortissements et dépréciations déduits).",
          f);
    fputs(
        " Les contributions volontaires en nature (classe 8) sont présentées sous le résultat, hors "
        "résultat.</footer>\n</body>\n</html>\n",
        f);
    return ferror(f) ? -1 : 0;
}
