/*
 * tests/unit/test_output_width.c — client/output/output.c for people
 * (issue 14, "read it easily"): display width counted in columns, not
 * bytes; labels cut with an ellipsis on a character boundary so that a
 * table fits 100 columns, whole with --wide; dates per format (OUT_DATE:
 * 31/03/2025 in French tables, ISO elsewhere); csv-fr for French
 * spreadsheets (BOM, ';', decimal comma, the formula guard still on).
 */
#include "client/output/output.h"

#include <criterion/criterion.h>

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void reset(void) { out_set_wide(false); }

TestSuite(output_width, .init = reset, .fini = reset);

Test(output_width, display_width_counts_columns_not_bytes)
{
    cr_assert_eq(out_display_width(""), 0);
    cr_assert_eq(out_display_width("Fournitures"), 11);
    cr_assert_eq(out_display_width("Été"), 3, "é is two bytes, one column");
    cr_assert_eq(out_display_width("e\xcc\x81t\xc3\xa9"), 3, "a combining accent takes none");
    cr_assert_eq(out_display_width("\xe6\x97\xa5\xe6\x9c\xac"), 4, "East Asian wide: two each");
    cr_assert_eq(out_display_width("\xe2\x80\xa6"), 1, "the ellipsis itself");
    cr_assert_eq(out_display_width("a\xff"
                                   "b"),
                 3, "an invalid byte counts one");
}

Test(output_width, fit_cuts_on_a_character_boundary_with_an_ellipsis)
{
    char out[64];
    cr_assert_str_eq(out_fit("Fournitures de bureau", 10, out, sizeof out),
                     "Fournitur\xe2\x80\xa6");
    cr_assert_str_eq(out_fit("court", 10, out, sizeof out), "court", "short text stays whole");
    cr_assert_str_eq(out_fit("exactement", 10, out, sizeof out), "exactement", "10 fits 10");
    /* accented letters are never split between their two bytes */
    cr_assert_str_eq(out_fit("éééééééé", 5, out, sizeof out), "éééé\xe2\x80\xa6");
    cr_assert_eq(out_display_width(out), 5);
    /* a combining accent stays with the letter it follows */
    cr_assert_str_eq(out_fit("e\xcc\x81"
                             "e\xcc\x81"
                             "e\xcc\x81"
                             "e\xcc\x81",
                             3, out, sizeof out),
                     "e\xcc\x81"
                     "e\xcc\x81\xe2\x80\xa6");
    /* a wide character that would overflow is left out whole */
    cr_assert_str_eq(out_fit("a\xe6\x97\xa5\xe6\x9c\xac", 3, out, sizeof out), "a\xe2\x80\xa6");
    /* a small buffer cuts on a boundary too */
    char small[8];
    out_fit("éééééééééé", 50, small, sizeof small);
    cr_assert_str_eq(small, "éé\xe2\x80\xa6");
}

/* Render t in fmt into a string (the caller frees). */
static char *render(const out_table *t, enum out_format fmt)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(out_render(t, fmt, f), 0);
    cr_assert_eq(fclose(f), 0);
    return buf;
}

static const out_col journal_cols[] = {
    {"entry", OUT_TEXT}, {"date", OUT_DATE},    {"journal", OUT_TEXT},
    {"piece", OUT_TEXT}, {"account", OUT_TEXT}, {"aux", OUT_TEXT},
    {"label", OUT_TEXT}, {"debit", OUT_MONEY},  {"credit", OUT_MONEY}};

static out_table *long_journal(const char *label)
{
    out_table *t = out_new(journal_cols, 9);
    cr_assert(t);
    for (int i = 0; i < 3; i++) {
        out_cstr(t, "2025/123");
        out_date(t, 20250331);
        out_cstr(t, "AC");
        out_cstr(t, "F-2025-ÉTÉ");
        out_cstr(t, "606400");
        out_cstr(t, "FOURN01");
        out_cstr(t, label);
        out_money(t, 123456789);
        out_money(t, 0);
    }
    return t;
}

static const char long_label[] =
    "Fournitures de bureau et matériel pédagogique pour l'atelier d'été des bénévoles, "
    "commande groupée avec l'association voisine, livraison en trois fois";

/* Every line of s is at most max display columns; returns the widest. */
static size_t widest_line(char *s)
{
    size_t widest = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        size_t w = out_display_width(line);
        if (w > widest)
            widest = w;
    }
    return widest;
}

Test(output_width, a_table_fits_100_columns_and_wide_shows_the_label_whole)
{
    out_table *t = long_journal(long_label);
    char *fit = render(t, OUT_TABLE_FR);
    cr_assert(!strstr(fit, long_label), "the label is cut:\n%s", fit);
    cr_assert(strstr(fit, "\xe2\x80\xa6"), "with an ellipsis:\n%s", fit);
    cr_assert(strstr(fit, "1 234 567,89"), "amounts whole:\n%s", fit);
    cr_assert(strstr(fit, "31/03/2025"), "dates whole:\n%s", fit);
    cr_assert(strstr(fit, "F-2025-ÉTÉ"), "a short piece whole:\n%s", fit);
    size_t w = widest_line(fit);
    cr_assert(w <= OUT_WIDTH_DEFAULT && w >= 90, "%zu columns", w);
    free(fit);

    out_set_wide(true);
    char *wide = render(t, OUT_TABLE);
    cr_assert(strstr(wide, long_label), "--wide shows it whole:\n%s", wide);
    cr_assert(!strstr(wide, "\xe2\x80\xa6"));
    free(wide);
    out_free(t);
}

Test(output_width, cutting_never_touches_csv_or_json)
{
    out_table *t = long_journal(long_label);
    char *csv = render(t, OUT_CSV), *json = render(t, OUT_JSON), *csv_fr = render(t, OUT_CSV_FR);
    cr_assert(strstr(csv, long_label));
    cr_assert(strstr(json, long_label));
    cr_assert(strstr(csv_fr, long_label));
    free(csv);
    free(json);
    free(csv_fr);
    out_free(t);
}

Test(output_width, a_narrow_table_is_left_as_it_is)
{
    out_table *t = long_journal("Fournitures");
    char *s = render(t, OUT_TABLE);
    cr_assert(strstr(s, "Fournitures"), "%s", s);
    cr_assert(!strstr(s, "\xe2\x80\xa6"), "%s", s);
    free(s);
    out_free(t);
}

Test(output_width, dates_by_format)
{
    static const out_col cols[] = {{"date", OUT_DATE}, {"amount", OUT_MONEY}};
    out_table *t = out_new(cols, 2);
    out_date(t, 20250331);
    out_money(t, -123456);
    out_date(t, 0); /* no date: an empty cell */
    out_money(t, 5);
    char *fr = render(t, OUT_TABLE_FR), *en = render(t, OUT_TABLE), *csv = render(t, OUT_CSV),
         *json = render(t, OUT_JSON);
    cr_assert(strstr(fr, "31/03/2025") && strstr(fr, "-1 234,56"), "%s", fr);
    cr_assert(strstr(en, "2025-03-31") && strstr(en, "-1234.56"), "%s", en);
    cr_assert_str_eq(csv, "date,amount\n2025-03-31,-1234.56\n,0.05\n");
    json_error_t err;
    json_t *rows = json_loads(json, 0, &err);
    cr_assert(rows, "%s", json);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 0), "date")),
                     "2025-03-31");
    cr_assert_eq(json_integer_value(json_object_get(json_array_get(rows, 0), "amount")), -123456);
    cr_assert_str_eq(json_string_value(json_object_get(json_array_get(rows, 1), "date")), "");
    json_decref(rows);
    free(fr);
    free(en);
    free(csv);
    free(json);
    out_free(t);
}

Test(output_width, csv_fr_has_a_bom_semicolons_and_decimal_commas)
{
    static const out_col cols[] = {
        {"label", OUT_TEXT}, {"date", OUT_DATE}, {"debit", OUT_MONEY}, {"count", OUT_INT}};
    out_table *t = out_new(cols, 4);
    out_cstr(t, "Cotisation; solde");
    out_date(t, 20250331);
    out_money(t, -123456);
    out_int(t, 7);
    out_cstr(t, "=1+1");
    out_date(t, 20251231);
    out_money(t, 5);
    out_int(t, -2);
    char *s = render(t, OUT_CSV_FR);
    cr_assert_str_eq(s,
                     "\xef\xbb\xbf"
                     "label;date;debit;count\n"
                     "\"Cotisation; solde\";2025-03-31;-1234,56;7\n"
                     "'=1+1;2025-12-31;0,05;-2\n");
    free(s);
    out_free(t);
    enum out_format f;
    cr_assert_eq(out_parse_format("csv-fr", &f), 0);
    cr_assert_eq(f, OUT_CSV_FR);
}
