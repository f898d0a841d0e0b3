/*
 * tests/unit/test_entries_csv.c — client/input/entries_csv: entries to post
 * read from a CSV file, one row per entry line.  The separator found in the
 * header (';' or ','), quoted fields, French and dot decimals, comments,
 * how rows group into entries, optional columns and their defaults; then
 * refusals, each naming the file's line and leaving the set empty.
 */
#include "client/input/entries_csv.h"
#include "proto/entry.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

static gl_entry_set set;
static char err[512];

static void setup(void)
{
    gl_entry_set_init(&set);
    memset(err, 'x', sizeof err);
    err[sizeof err - 1] = '\0';
}

static void teardown(void) { gl_entry_set_free(&set); }

TestSuite(entries_csv, .init = setup, .fini = teardown);

static int load(const char *csv)
{
    return gl_entries_from_csv(csv, strlen(csv), "alpha", &set, err, sizeof err);
}

#define HEAD_SC "date;journal;piece;label;account;aux;line_label;debit;credit\n"

Test(entries_csv, semicolon_french_decimals_and_aux)
{
    cr_assert_eq(load(HEAD_SC "2025-03-31;ac;F-031;Fournitures;606400;;;120,50;\n"
                              "2025-03-31;ac;F-031;Fournitures;401000;FOURN01;Facture;;120,50\n"),
                 0, "%s", err);
    cr_assert_eq(set.count, 1);
    const gl_entry_in *e = &set.entries[0];
    cr_assert_str_eq(e->tenant, "alpha");
    cr_assert_str_eq(e->journal, "AC");
    cr_assert_eq(e->date, 20250331);
    cr_assert_eq(e->piece_date, 20250331);
    cr_assert_eq(e->line_count, 2);
    cr_assert_eq(e->lines[0].side, GL_SIDE_DEBIT);
    cr_assert_eq(e->lines[0].amount_cents, 12050);
    cr_assert_str_eq(e->lines[1].aux, "FOURN01");
    cr_assert_str_eq(e->lines[1].label, "Facture");
    cr_assert_eq(e->lines[1].side, GL_SIDE_CREDIT);
    cr_assert_eq(set.source_line[0], 2);
}

Test(entries_csv, comma_separator_quotes_and_dot_decimals)
{
    cr_assert_eq(load("\xEF\xBB\xBF# a comment; with a semicolon\n"
                      "Date,Journal,Piece,Label,Account,Debit,Credit,Piece_Date\r\n"
                      "2025-01-02,BQ,R1,\"Frais, \"\"janvier\"\"\",627000,\"12,50\",,2025-01-01\r\n"
                      ",,,,512000,,12.50,\r\n"),
                 0, "%s", err);
    cr_assert_eq(set.count, 1);
    cr_assert_str_eq(set.entries[0].label, "Frais, \"janvier\"");
    cr_assert_eq(set.entries[0].piece_date, 20250101);
    cr_assert_eq(set.entries[0].lines[0].amount_cents, 1250);
    cr_assert_eq(set.entries[0].lines[1].amount_cents, 1250);
}

Test(entries_csv, rows_group_into_entries_by_head)
{
    cr_assert_eq(load(HEAD_SC "2025-01-02;OD;P1;A;606400;;;1;\n"
                              ";;;;512000;;;;1\n"
                              "\n"
                              "# second entry\n"
                              "2025-01-03;OD;P2;B;606400;;;2;\n"
                              "2025-01-03;OD;P2;B;512000;;;;2\n"
                              "2025-01-03;OD;P3;B;606400;;;3;\n"
                              "2025-01-03;OD;P3;B;512000;;;;3\n"),
                 0, "%s", err);
    cr_assert_eq(set.count, 3);
    cr_assert_str_eq(set.entries[1].piece_ref, "P2");
    cr_assert_eq(set.entries[1].line_count, 2);
    cr_assert_eq(set.source_line[1], 6);
    cr_assert_eq(set.source_line[2], 8);
}

/* Each refusal names its line and leaves the set empty. */
static void refused(const char *csv, const char *want)
{
    cr_assert_eq(load(csv), -1, "accepted: %s", csv);
    cr_assert(strstr(err, want), "message '%s' lacks '%s'", err, want);
    cr_assert_eq(set.count, 0);
}

Test(entries_csv, refusals_name_the_line)
{
    refused(HEAD_SC "2025-02-30;OD;P;L;606400;;;1;\n",
            "line 2: bad date \"2025-02-30\": the day does not exist (February 2025 has 28 days)");
    refused(HEAD_SC "2025-01-02;OD;P;L;606400;;;1;\n;;;;512000;;;1,234;\n", "line 3: bad amount");
    refused(HEAD_SC "2025-01-02;OD;P;L;606400;;;1;1\n", "line 2: both debit and credit");
    refused(HEAD_SC "2025-01-02;OD;P;L;606400;;;;\n", "line 2: no amount");
    refused(HEAD_SC "2025-01-02;OD;P;L;606400;;1;\n", "line 2: 8 fields, the header has 9");
    refused(HEAD_SC ";;;;606400;;;1;\n", "line 2: the first row of an entry");
    refused(HEAD_SC "2025-01-02;OD; ;L;606400;;;1;\n", "line 2: piece is blank");
    refused(HEAD_SC "2025-01-02;OD;P;L;;;;1;\n", "line 2: no account");
    refused("date;journal;piece;label;account;debit;credit;colour\n",
            "line 1: unknown column \"colour\"");
    refused("date;journal;piece;label;account;debit\n",
            "line 1: the header has no \"credit\" column");
    refused("# only a comment\n", "no header row");
    refused(HEAD_SC "2025-01-02;OD;\"P;L;606400;;;1;\n", "line 2: a quoted field is never closed");
    refused(HEAD_SC "2025-01-02;OD;P;L\x01;606400;;;1;\n",
            "line 2: label holds a control character");
}
