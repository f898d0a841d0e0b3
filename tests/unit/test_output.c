/*
 * tests/unit/test_output.c — client/output/output.c's CSV cells: a text cell
 * starting with a character that makes a spreadsheet evaluate it ('=',
 * '+', '-', '@', TAB, CR) is written with a leading "'" (OWASP's CSV
 * injection advice); by column kind, so that amounts and integers stay
 * numbers ("-12.34" is no formula); quoting still applies after the guard.
 */
#include "client/output/output.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One cell as out_csv_cell writes it (the caller frees). */
static char *cell(const char *s, enum out_kind kind)
{
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    out_csv_cell(f, s, kind);
    cr_assert_eq(fclose(f), 0);
    return buf;
}

typedef struct cell_case {
    const char *in;
    enum out_kind kind;
    const char *want;
} cell_case;

Test(output, csv_text_cells_starting_with_a_formula_character_get_a_quote_mark)
{
    static const cell_case cases[] = {
        /* each trigger, alone and leading */
        {"=", OUT_TEXT, "'="},
        {"+", OUT_TEXT, "'+"},
        {"-", OUT_TEXT, "'-"},
        {"@", OUT_TEXT, "'@"},
        {"\t", OUT_TEXT, "'\t"},
        {"\r", OUT_TEXT, "\"'\r\""}, /* guarded, then quoted for the CR */
        {"=1+1", OUT_TEXT, "'=1+1"},
        {"+33 6 12 34 56 78", OUT_TEXT, "'+33 6 12 34 56 78"},
        {"-12.34", OUT_TEXT, "'-12.34"}, /* text that looks like a number is still text */
        {"@SUM(A1:A9)", OUT_TEXT, "'@SUM(A1:A9)"},
        {"\tcmd", OUT_TEXT, "'\tcmd"},
        {"\r=1", OUT_TEXT, "\"'\r=1\""},
        /* guarded and quoted: the comma and the quotes of a formula */
        {"=HYPERLINK(\"http://x.example/?a,b\",\"clic\")", OUT_TEXT,
         "\"'=HYPERLINK(\"\"http://x.example/?a,b\"\",\"\"clic\"\")\""},
        {"=cmd|' /C calc'!A0", OUT_TEXT, "'=cmd|' /C calc'!A0"},
        /* no trigger in first place: as before */
        {"", OUT_TEXT, ""},
        {"Fournitures", OUT_TEXT, "Fournitures"},
        {"a=b", OUT_TEXT, "a=b"},
        {" =1", OUT_TEXT, " =1"},
        {"'=1", OUT_TEXT, "'=1"},
        {"2025/17", OUT_TEXT, "2025/17"},
        {"2025-03-31", OUT_TEXT, "2025-03-31"},
        {"a,b", OUT_TEXT, "\"a,b\""},
        {"say \"hi\"", OUT_TEXT, "\"say \"\"hi\"\"\""},
        {"line\nbreak", OUT_TEXT, "\"line\nbreak\""},
        {"Écriture", OUT_TEXT, "Écriture"},
        /* amounts and integers are numbers: never guarded */
        {"-12.34", OUT_MONEY, "-12.34"},
        {"-0.01", OUT_MONEY, "-0.01"},
        {"-92233720368547758.08", OUT_MONEY, "-92233720368547758.08"},
        {"12.34", OUT_MONEY, "12.34"},
        {"-7", OUT_INT, "-7"},
        {"0", OUT_INT, "0"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char *got = cell(cases[i].in, cases[i].kind);
        cr_expect_str_eq(got, cases[i].want, "case %zu: [%s] kind %d gave [%s], want [%s]", i,
                         cases[i].in, cases[i].kind, got, cases[i].want);
        free(got);
    }
}

/* A whole table: the guard follows the column's kind, the header too. */
Test(output, csv_table_guards_text_columns_and_leaves_amounts_as_numbers)
{
    static const out_col cols[] = {
        {"label", OUT_TEXT}, {"piece", OUT_TEXT}, {"count", OUT_INT}, {"balance", OUT_MONEY}};
    out_table *t = out_new(cols, 4);
    cr_assert(t);
    out_cstr(t, "=HYPERLINK(\"http://x.example\")");
    out_cstr(t, "@SUM(A1)");
    out_int(t, -3);
    out_money(t, -1234);
    out_cstr(t, "Loyer");
    out_cstr(t, "");
    out_int(t, 2);
    out_money(t, 1234);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(out_render(t, OUT_CSV, f), 0);
    cr_assert_eq(fclose(f), 0);
    cr_expect_str_eq(buf,
                     "label,piece,count,balance\n"
                     "\"'=HYPERLINK(\"\"http://x.example\"\")\",'@SUM(A1),-3,-12.34\n"
                     "Loyer,,2,12.34\n");
    free(buf);
    /* the table and JSON formats show the text as it is */
    buf = NULL;
    f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(out_render(t, OUT_JSON, f), 0);
    cr_assert_eq(fclose(f), 0);
    cr_expect(strstr(buf, "\"@SUM(A1)\""), "%s", buf);
    cr_expect(strstr(buf, "-1234"), "%s", buf);
    free(buf);
    buf = NULL;
    f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(out_render(t, OUT_TABLE, f), 0);
    cr_assert_eq(fclose(f), 0);
    cr_expect(strstr(buf, "  @SUM(A1)"), "%s", buf);
    cr_expect_null(strstr(buf, "'@"), "%s", buf);
    free(buf);
    out_free(t);
}

/* A header cell is text: a column named by the configuration (a tenant id
 * may start with '-') is guarded like any text. */
Test(output, csv_header_cells_are_text)
{
    static const out_col cols[] = {{"account", OUT_TEXT}, {"-beta", OUT_MONEY}};
    out_table *t = out_new(cols, 2);
    cr_assert(t);
    out_cstr(t, "411000");
    out_money(t, -5);
    char *buf = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&buf, &len);
    cr_assert(f);
    cr_assert_eq(out_render(t, OUT_CSV, f), 0);
    cr_assert_eq(fclose(f), 0);
    cr_expect_str_eq(buf, "account,'-beta\n411000,-0.05\n");
    free(buf);
    out_free(t);
}
