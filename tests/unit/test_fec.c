/*
 * tests/unit/test_fec.c — gl_fec_read (client/fec/fec_read.c): every
 * malformed file is refused with the right physical line number and leaves
 * the set empty (negative cases first), then every accepted variant (tab,
 * pipe, Montant/Sens, dot decimals, CRLF, BOM, ISO 8859-15) and the
 * grouping of interleaved lines by (JournalCode, EcritureNum).
 */
#include "client/fec/fec_read.h"
#include "proto/limits.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

#define HEADER_MS                                                                            \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tMontant\tSens\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

/* One tab-separated FEC line (18 fields); PieceDate = ValidDate = date. */
#define L(j, num, date, acct, acct_lib, aux, aux_lib, piece, label, debit, credit)               \
    j "\tJournal " j "\t" num "\t" date "\t" acct "\t" acct_lib "\t" aux "\t" aux_lib "\t" piece \
      "\t" date "\t" label "\t" debit "\t" credit "\t\t\t" date "\t\t\n"

/* A balanced two-line sale. */
#define SALE(num, date, cents_text)                                                           \
    L("VT", num, date, "411000", "Usagers", "U01", "Famille Martin", "F" num, "Facture " num, \
      cents_text, "0,00")                                                                     \
    L("VT", num, date, "706000", "Prestations", "", "", "F" num, "Facture " num, "0,00", cents_text)

static char err[256];

static int read_text(const char *text, gl_entry_set *s)
{
    err[0] = '\0';
    return gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_AUTO, s, err, sizeof err);
}

/* Expect a refusal whose message starts with want; the set must be empty. */
static void refused(const char *text, const char *want)
{
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), -1, "accepted, wanted \"%s\"", want);
    cr_expect(strncmp(err, want, strlen(want)) == 0, "got \"%s\", wanted \"%s\"", err, want);
    cr_expect_eq(s.count, 0);
    cr_expect_eq(s.account_count, 0);
    gl_entry_set_free(&s);
}

/* Same text with every tab turned into '|'. */
static char *to_pipes(const char *text)
{
    char *p = strdup(text);
    cr_assert_not_null(p);
    for (char *q = p; *q; q++)
        if (*q == '\t')
            *q = '|';
    return p;
}

/* ---------------- negative cases ---------------- */

Test(fec, fec_refuses_unbalanced)
{
    refused(HEADER SALE("1", "20250105", "10,00")
                L("VT", "2", "20250106", "411000", "Usagers", "", "", "F2", "Facture", "10,00", "")
                    L("VT", "2", "20250106", "706000", "Prestations", "", "", "F2", "Facture", "",
                      "9,99"),
            "line 4: entry VT/2: total debits do not equal total credits");
}

Test(fec, fec_refuses_bad_date)
{
    refused(HEADER SALE("1", "20250105", "10,00") SALE("2", "20250231", "10,00"),
            "line 4: EcritureDate '20250231' is not a valid date");
}

Test(fec, fec_refuses_bad_piece_date)
{
    refused(HEADER "VT\tVentes\t1\t20250105\t411000\tU\t\t\tF1\t2025010\tx\t1,00\t0\t\t\t\t\t\n",
            "line 2: PieceDate '2025010' is not a valid date");
}

Test(fec, fec_refuses_third_decimal)
{
    refused(HEADER SALE("1", "20250105", "10,001"),
            "line 2: Debit '10,001' has more than two decimals");
}

Test(fec, fec_refuses_overflow_amount)
{
    refused(HEADER SALE("1", "20250105", "92233720368547758,08"),
            "line 2: Debit '92233720368547758,08' is too large");
}

Test(fec, fec_refuses_overflow_total)
{
    refused(
        HEADER L("OD", "1", "20250105", "601000", "A", "", "", "P", "x", "90000000000000000,00", "")
            L("OD", "1", "20250105", "602000", "B", "", "", "P", "x", "90000000000000000,00", "")
                L("OD", "1", "20250105", "401000", "C", "", "", "P", "x", "", "1,00"),
        "line 3: entry OD/1: an amount or a total exceeds");
}

Test(fec, fec_refuses_not_an_amount)
{
    refused(HEADER SALE("1", "20250105", "1 000,00"), "line 2: Debit '1 000,00' is not an amount");
    refused(HEADER SALE("1", "20250105", "1e3"), "line 2: Debit '1e3' is not an amount");
    refused(HEADER SALE("1", "20250105", "12,"), "line 2: Debit '12,' is not an amount");
}

Test(fec, fec_refuses_negative_debit)
{
    refused(HEADER SALE("1", "20250105", "-10,00"), "line 2: Debit '-10,00' is negative");
}

Test(fec, fec_refuses_zero_amount)
{
    refused(HEADER SALE("1", "20250105", "10,00")
                L("VT", "1", "20250105", "411000", "U", "", "", "F", "x", "0,00", "0,00"),
            "line 4: zero amount");
}

Test(fec, fec_refuses_debit_and_credit)
{
    refused(HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", "1,00"),
            "line 2: both Debit and Credit are non-zero");
}

Test(fec, fec_refuses_unknown_column)
{
    refused("JournalCode\tFoo\tEcritureNum\n", "line 1: unknown column 'Foo'");
}

Test(fec, fec_refuses_missing_column)
{
    refused(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompAuxNum\t"
        "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
        "ValidDate\tMontantdevise\tIdevise\n",
        "line 1: missing column CompteLib");
    refused(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
        "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tEcritureLet\tDateLet\t"
        "ValidDate\tMontantdevise\tIdevise\n",
        "line 1: missing column Credit");
}

Test(fec, fec_refuses_duplicate_and_mixed_columns)
{
    refused("JournalCode\tjournalcode\n", "line 1: column JournalCode appears twice");
    refused(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
        "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tMontant\tSens\t"
        "EcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n",
        "line 1: both Debit/Credit and Montant/Sens columns");
}

Test(fec, fec_refuses_header_without_separator)
{
    refused("JournalCode;JournalLib\n", "line 1: the header line has no tab or '|' separator");
}

Test(fec, fec_refuses_empty_file)
{
    refused("", "line 1: empty file");
    refused("\xef\xbb\xbf", "line 1: empty file");
    refused("\n" SALE("1", "20250105", "1,00"), "line 1: the header line has no tab");
}

Test(fec, fec_refuses_wrong_field_count)
{
    refused(HEADER SALE("1", "20250105", "10,00") "VT\tx\t2\n",
            "line 4: 3 fields where the header has 18");
    refused(HEADER "VT\t" SALE("1", "20250105", "10,00"),
            "line 2: 19 fields where the header has 18");
}

Test(fec, fec_refuses_single_line_entry)
{
    refused(HEADER SALE("1", "20250105", "10,00")
                L("OD", "7", "20250106", "512000", "Banque", "", "", "P", "x", "5,00", ""),
            "line 4: entry OD/7: an entry needs at least two lines");
}

Test(fec, fec_refuses_bad_sens)
{
    refused(HEADER_MS
            "VT\tVentes\t1\t20250105\t411000\tU\t\t\tF1\t\tx\t10,00\tD\t\t\t\t\t\n"
            "VT\tVentes\t1\t20250105\t706000\tP\t\t\tF1\t\tx\t10,00\tX\t\t\t\t\t\n",
            "line 3: Sens 'X' must be D, C, +1 or -1");
    refused(HEADER_MS "VT\tVentes\t1\t20250105\t411000\tU\t\t\tF1\t\tx\t10,00\t1\t\t\t\t\t\n",
            "line 2: Sens '1' must be");
}

Test(fec, fec_refuses_dates_differing_in_entry)
{
    refused(HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", "")
                L("VT", "1", "20250106", "706000", "P", "", "", "F", "x", "", "1,00"),
            "line 3: EcritureDate differs from line 2 of entry VT/1 (2025-01-05)");
}

Test(fec, fec_refuses_bad_journal)
{
    refused(HEADER SALE("1", "20250105", "1,00")
                L("VENTES-2025", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", ""),
            "line 4: JournalCode 'VENTES-2025' must be 1-8 characters A-Z 0-9");
    refused(HEADER L("", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", ""),
            "line 2: JournalCode '' must be");
}

Test(fec, fec_refuses_bad_account_at_its_line)
{
    refused(
        HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", "")
            L("VT", "1", "20250105", "070600", "P", "", "", "F", "x", "", "1,00"),
        "line 3: CompteNum '070600' is not an account number: an account number is at least three");
    refused(HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "x", "1,00", "")
                L("VT", "1", "20250105", "", "P", "", "", "F", "x", "", "1,00"),
            "line 3: CompteNum '' is not an account number");
}

Test(fec, fec_refuses_fields_too_long)
{
    char piece[GL_PIECE_MAX + 2], label[GL_LABEL_MAX + 2], text[2048];
    memset(piece, 'P', GL_PIECE_MAX + 1);
    piece[GL_PIECE_MAX + 1] = '\0';
    memset(label, 'x', GL_LABEL_MAX + 1);
    label[GL_LABEL_MAX + 1] = '\0';
    snprintf(text, sizeof text,
             HEADER "VT\tV\t1\t20250105\t411000\tU\t\t\t%s\t\tx\t1,00\t\t\t\t\t\t\n", piece);
    refused(text, "line 2: PieceRef is 65 bytes long, at most 64 allowed");
    snprintf(text, sizeof text,
             HEADER "VT\tV\t1\t20250105\t411000\tU\t\t\tP\t\t%s\t1,00\t\t\t\t\t\t\n", label);
    refused(text, "line 2: EcritureLib is 201 bytes long, at most 200 allowed");
    refused(HEADER "VT\tV\t1\t20250105\t4110000000000000000000\tU\t\t\tP\t\tx\t1,00\t\t\t\t\t\t\n",
            "line 2: CompteNum is 22 bytes long, at most 20 allowed");
    refused(HEADER
            "VT\tV\t1\t20250105\t411000\tU\tAUX4567890123456789012\t\tP\t\tx\t1,00\t\t\t\t\t\t\n",
            "line 2: CompAuxNum is 22 bytes long, at most 20 allowed");
}

Test(fec, fec_refuses_negative_montant_and_dot_third_decimal)
{
    refused(HEADER_MS "VT\tVentes\t1\t20250105\t411000\tU\t\t\tF1\t\tx\t-10,00\tD\t\t\t\t\t\n",
            "line 2: Montant '-10,00' is negative");
    refused(HEADER SALE("1", "20250105", "1.234"),
            "line 2: Debit '1.234' has more than two decimals");
}

Test(fec, fec_refuses_entry_over_line_limit)
{
    size_t cap = sizeof HEADER + (GL_LINES_MAX + 1) * 96, n = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    n += (size_t)snprintf(text + n, cap - n, "%s", HEADER);
    for (int i = 0; i <= GL_LINES_MAX; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "OD\tOD\t1\t20250105\t%s\tX\t\t\t\t\tx\t1,00\t\t\t\t\t\t\n",
                              i % 2 ? "401000" : "601000");
    refused(text, "line 1002: entry OD/1 has more than 1000 lines");
    free(text);
}

Test(fec, fec_refuses_latin9_control_byte)
{
    /* 0x80-0x9f are C1 controls in ISO 8859-15 (the Euro sign is 0xa4). */
    refused(HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "10\x80", "1,00", ""),
            "line 2: EcritureLib holds a control character");
}

Test(fec, fec_refuses_empty_ecriture_num)
{
    refused(HEADER L("VT", "", "20250105", "411000", "U", "", "", "F", "x", "1,00", ""),
            "line 2: EcritureNum is empty");
}

Test(fec, fec_refuses_empty_line_inside)
{
    refused(HEADER SALE("1", "20250105", "1,00") "\n" SALE("2", "20250105", "1,00"),
            "line 4: empty line before the end of the file");
}

Test(fec, fec_refuses_control_bytes_and_nul)
{
    refused(HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F", "a\x01z", "1,00", ""),
            "line 2: EcritureLib holds a control character");
    static const char with_nul[] =
        HEADER "VT\tV\t1\t20250105\t411000\tU\t\t\tF\t\tx\0y\t1,00\t\t\t\t\t\t\n";
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(
        gl_fec_read(with_nul, sizeof with_nul - 1, "agiie", GL_FEC_ENC_AUTO, &s, err, sizeof err),
        -1);
    cr_expect_str_eq(err, "line 2: NUL byte in the line");
    cr_expect_eq(s.count, 0);
}

Test(fec, fec_refuses_latin9_when_utf8_demanded)
{
    const char *text = HEADER SALE("1", "20250105", "1,00")
        L("VT", "2", "20250105", "411000", "U", "", "", "F", "Caf\xe9", "1,00", "")
            L("VT", "2", "20250105", "706000", "U", "", "", "F", "x", "", "1,00");
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_UTF8, &s, err, sizeof err),
                 -1);
    cr_expect_str_eq(err, "line 4: not valid UTF-8 text (is the file ISO 8859-15?)");
}

Test(fec, fec_refuses_bad_tenant)
{
    const char *text = HEADER SALE("1", "20250105", "1,00");
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_expect_eq(gl_fec_read(text, strlen(text), "AGIIE", GL_FEC_ENC_AUTO, &s, err, sizeof err),
                 -1);
    cr_expect_eq(gl_fec_read(text, strlen(text), "", GL_FEC_ENC_AUTO, &s, err, sizeof err), -1);
    cr_expect_eq(gl_fec_read(text, strlen(text), NULL, GL_FEC_ENC_AUTO, &s, err, sizeof err), -1);
    cr_expect_eq(gl_fec_read(text, strlen(text), "a-tenant-far-too-long", GL_FEC_ENC_AUTO, &s, err,
                             sizeof err),
                 -1);
    cr_expect_eq(s.count, 0);
}

Test(fec, fec_failure_empties_the_set)
{
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(HEADER SALE("1", "20250105", "1,00"), &s), 0);
    cr_assert_eq(s.count, 1);
    cr_assert_eq(read_text(HEADER SALE("1", "20250105", "1,001"), &s), -1);
    cr_expect_eq(s.count, 0);
    cr_expect_eq(s.account_count, 0);
    gl_entry_set_free(&s);
}

Test(fec, fec_tiny_error_buffer_is_safe)
{
    char small[8];
    gl_entry_set s;
    gl_entry_set_init(&s);
    const char *text = HEADER SALE("1", "20250105", "1,001");
    cr_expect_eq(gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_AUTO, &s, small, sizeof small),
                 -1);
    cr_expect_str_eq(small, "line 2:");
    cr_expect_eq(gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_AUTO, &s, NULL, 0), -1);
}

/* ---------------- accepted variants ---------------- */

/* The two-entry file every variant test reads. */
static void expect_two_sales(const gl_entry_set *s)
{
    cr_assert_eq(s->count, 2);
    const gl_entry_in *e = &s->entries[0];
    cr_expect_str_eq(e->tenant, "agiie");
    cr_expect_str_eq(e->journal, "VT");
    cr_expect_eq(e->date, 20250105u);
    cr_expect_eq(e->piece_date, 20250105u);
    cr_expect_str_eq(e->piece_ref, "F1");
    cr_expect_str_eq(e->label, "Facture 1");
    cr_assert_eq(e->line_count, 2);
    cr_expect_str_eq(e->lines[0].account, "411000");
    cr_expect_str_eq(e->lines[0].aux, "U01");
    cr_expect_str_eq(e->lines[0].aux_label, "Famille Martin");
    cr_expect_eq(e->lines[0].side, GL_SIDE_DEBIT);
    cr_expect_eq(e->lines[0].amount_cents, 123456);
    cr_expect_str_eq(e->lines[1].account, "706000");
    cr_expect_eq(e->lines[1].side, GL_SIDE_CREDIT);
    cr_expect_eq(e->lines[1].amount_cents, 123456);
    cr_expect_eq(s->source_line[0], 2);
    cr_expect_eq(s->entries[1].lines[0].amount_cents, 1);
    cr_expect_eq(s->source_line[1], 4);
    cr_expect_str_eq(gl_entry_set_account_label(s, "411000"), "Usagers");
    cr_expect_str_eq(gl_entry_set_account_label(s, "706000"), "Prestations");
    cr_expect_eq(s->account_count, 2);
}

#define TWO_SALES SALE("1", "20250105", "1234,56") SALE("2", "20250106", "0,01")

static void accepted(const char *text)
{
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), 0, "refused: %s", err);
    expect_two_sales(&s);
    gl_entry_set_free(&s);
}

Test(fec, fec_reads_tab) { accepted(HEADER TWO_SALES); }

Test(fec, fec_reads_pipe)
{
    char *text = to_pipes(HEADER TWO_SALES);
    accepted(text);
    free(text);
}

Test(fec, fec_reads_dot_decimals)
{
    accepted(HEADER SALE("1", "20250105", "1234.56") SALE("2", "20250106", "0.01"));
    accepted(HEADER SALE("1", "2025-01-05", "1234.56") SALE("2", "20250106", "+0.01"));
}

Test(fec, fec_reads_crlf)
{
    const char *lf = HEADER TWO_SALES;
    char text[4096];
    size_t n = 0;
    for (const char *p = lf; *p; p++) {
        if (*p == '\n')
            text[n++] = '\r';
        text[n++] = *p;
    }
    text[n] = '\0';
    accepted(text);
}

Test(fec, fec_reads_bom) { accepted("\xef\xbb\xbf" HEADER TWO_SALES); }

Test(fec, fec_reads_montant_sens)
{
    accepted(
        HEADER_MS
        "VT\tVentes\t1\t20250105\t411000\tUsagers\tU01\tFamille Martin\tF1\t\tFacture 1\t1234,56\tD\t\t\t\t\t\n"
        "VT\tVentes\t1\t20250105\t706000\tPrestations\t\t\tF1\t\tFacture 1\t1234,56\tC\t\t\t\t\t\n"
        "VT\tVentes\t2\t20250106\t411000\tUsagers\t\t\tF2\t\tFacture 2\t0,01\t+1\t\t\t\t\t\n"
        "VT\tVentes\t2\t20250106\t706000\tPrestations\t\t\tF2\t\t\t0,01\t-1\t\t\t\t\t\n");
}

Test(fec, fec_reads_columns_by_name_in_any_order_and_case)
{
    accepted(
        "debit\tcredit\tjournalcode\tJOURNALLIB\tEcritureNum\tEcritureDate\tCompteNum\t"
        "CompteLib\tCompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tEcritureLet\t"
        "DateLet\tValidDate\tMontantDevise\tIDevise\n"
        "1234,56\t\tvt\tV\t1\t20250105\t411000\tUsagers\tU01\tFamille Martin\tF1\t\tFacture 1\t\t\t\t\t\n"
        "\t1234,56\tvt\tV\t1\t20250105\t706000\tPrestations\t\t\tF1\t\tFacture 1\t\t\t\t\t\n"
        "0,01\t\tVT\tV\t2\t20250106\t411000\tUsagers\t\t\tF2\t\tFacture 2\t\t\t\t\t\n"
        "\t0,01\tVT\tV\t2\t20250106\t706000\tPrestations\t\t\tF2\t\t\t\t\t\t\t\n");
}

Test(fec, fec_reads_trailing_separator_and_empty_lines)
{
    accepted(
        "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|CompAuxNum|"
        "CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|EcritureLet|DateLet|"
        "ValidDate|Montantdevise|Idevise|\r\n"
        "VT|V|1|20250105|411000|Usagers|U01|Famille Martin|F1||Facture 1|1234,56|0||||||\r\n"
        "VT|V|1|20250105|706000|Prestations|||F1||Facture 1|0|1234,56||||||\r\n"
        "VT|V|2|20250106|411000|Usagers|||F2||Facture 2|0,01|||||||\r\n"
        "VT|V|2|20250106|706000|Prestations|||F2||||0,01||||||\r\n\r\n\n\n");
}

Test(fec, fec_converts_latin9)
{
    const char *text = HEADER L("OD", "1", "20250105", "601000", "Achats \xe9t\xe9", "", "", "P1",
                                "Co\xfbt 10\xa4 \xbd\xa6", "10,00", "")
        L("OD", "1", "20250105", "401000", "Fournisseurs", "", "", "P1", "x", "", "10,00");
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), 0, "refused: %s", err);
    cr_assert_eq(s.count, 1);
    cr_expect_str_eq(s.entries[0].label, "Coût 10€ œŠ");
    cr_expect_str_eq(gl_entry_set_account_label(&s, "601000"), "Achats été");
    gl_entry_set_free(&s);

    gl_entry_set_init(&s);
    cr_assert_eq(gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_LATIN9, &s, err, sizeof err),
                 0);
    cr_expect_str_eq(s.entries[0].label, "Coût 10€ œŠ");
    gl_entry_set_free(&s);
}

Test(fec, fec_keeps_utf8)
{
    const char *text = HEADER L("OD", "1", "20250105", "601000", "Achats été", "", "", "P1",
                                "Coût 10€ œŠ", "10,00", "")
        L("OD", "1", "20250105", "401000", "Fournisseurs", "", "", "P1", "x", "", "10,00");
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), 0, "refused: %s", err);
    cr_expect_str_eq(s.entries[0].label, "Coût 10€ œŠ");
    cr_expect_str_eq(gl_entry_set_account_label(&s, "601000"), "Achats été");
    gl_entry_set_free(&s);
}

Test(fec, fec_groups_interleaved_lines)
{
    const char *text =
        HEADER L("VT", "1", "20250105", "411000", "U", "", "", "F1", "sale 1", "3,00",
                 "") L("AC", "1", "20250105", "601000", "A", "", "", "A1", "buy 1", "7,00", "")
            L("VT", "2", "20250106", "411000", "U", "", "", "F2", "sale 2", "5,00", "")
                L("vt", "1", "20250105", "706000", "P", "", "", "F1", "x", "", "1,00")
                    L("AC", "1", "20250105", "401000", "F", "", "", "A1", "y", "", "7,00")
                        L("VT", "2", "20250106", "706000", "P", "", "", "F2", "z", "", "5,00")
                            L("VT", "1", "20250105", "706100", "P", "", "", "F1", "w", "", "2,00");
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), 0, "refused: %s", err);
    cr_assert_eq(s.count, 3);
    cr_expect_str_eq(s.entries[0].journal, "VT");
    cr_expect_str_eq(s.entries[0].label, "sale 1");
    cr_assert_eq(s.entries[0].line_count, 3);
    cr_expect_str_eq(s.entries[0].lines[1].account, "706000");
    cr_expect_str_eq(s.entries[0].lines[2].account, "706100");
    cr_expect_eq(s.source_line[0], 2);
    cr_expect_str_eq(s.entries[1].journal, "AC");
    cr_expect_eq(s.entries[1].line_count, 2);
    cr_expect_eq(s.source_line[1], 3);
    cr_expect_str_eq(s.entries[2].piece_ref, "F2");
    cr_expect_eq(s.entries[2].line_count, 2);
    cr_expect_eq(s.source_line[2], 4);
    cr_expect_eq(s.account_count, 5);
    gl_entry_set_free(&s);
}

Test(fec, fec_upcases_trims_and_defaults_piece_date)
{
    const char *text = HEADER
        "od\tOD\t 9 \t20250105\t 401abc \t Fourn \tF01\t Fournisseur 1 \t P9 \t20241231\t  Libellé  \t10,00\t\t\t\t\t\t\n"
        "OD\tOD\t9\t20250105\t512000\tBanque\t\t\t\t\t\t\t 10,00 \t\t\t\t\t\n";
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), 0, "refused: %s", err);
    cr_assert_eq(s.count, 1);
    const gl_entry_in *e = &s.entries[0];
    cr_expect_str_eq(e->journal, "OD");
    cr_expect_str_eq(e->piece_ref, "P9");
    cr_expect_eq(e->piece_date, 20241231u);
    cr_expect_str_eq(e->label, "Libellé");
    cr_expect_str_eq(e->lines[0].account, "401ABC");
    cr_expect_str_eq(e->lines[0].aux_label, "Fournisseur 1");
    cr_expect_str_eq(e->lines[1].label, "");
    cr_expect_str_eq(gl_entry_set_account_label(&s, "401ABC"), "Fourn");
    gl_entry_set_free(&s);

    gl_entry_set_init(&s);
    cr_assert_eq(read_text(HEADER
                           "OD\tOD\t9\t20250105\t401000\tF\t\t\tP9\t\tx\t10,00\t\t\t\t\t\t\n"
                           "OD\tOD\t9\t20250105\t512000\tB\t\t\tP9\t\tx\t\t10,00\t\t\t\t\t\n",
                           &s),
                 0, "%s", err);
    cr_expect_eq(s.entries[0].piece_date, 20250105u);
    gl_entry_set_free(&s);
}

Test(fec, fec_header_only_gives_no_entries)
{
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_expect_eq(read_text(HEADER "\n\n", &s), 0, "%s", err);
    cr_expect_eq(s.count, 0);
    gl_entry_set_free(&s);
}

Test(fec, fec_reads_many_lines)
{
    /* 20,000 two-line entries: grouping must stay linear. */
    enum { ENTRIES = 20000 };
    size_t cap = sizeof HEADER + (size_t)ENTRIES * 2 * 128, n = 0;
    char *text = malloc(cap);
    cr_assert_not_null(text);
    n += (size_t)snprintf(text + n, cap - n, "%s", HEADER);
    for (int i = 1; i <= ENTRIES; i++) {
        n += (size_t)snprintf(
            text + n, cap - n,
            "BQ\tBanque\t%d\t20250301\t512000\tBanque\t\t\tR%d\t\tr\t%d,%02d\t0,00\t\t\t\t\t\n"
            "BQ\tBanque\t%d\t20250301\t411000\tUsagers\tU%d\tU\tR%d\t\tr\t0,00\t%d,%02d\t\t\t\t\t\n",
            i, i, i, i % 100, i, i % 50, i, i, i % 100);
    }
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(gl_fec_read(text, n, "agiie", GL_FEC_ENC_AUTO, &s, err, sizeof err), 0, "%s", err);
    cr_expect_eq(s.count, ENTRIES);
    cr_expect_eq(s.entries[ENTRIES - 1].lines[1].amount_cents, (int64_t)ENTRIES * 100);
    cr_expect_eq(s.source_line[ENTRIES - 1], 2 * ENTRIES);
    gl_entry_set_free(&s);
    free(text);
}
