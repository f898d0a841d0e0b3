/*
 * tests/unit/test_bank_recon_report.c — client/bank/recon_*.c: the état de
 * rapprochement's sums to the cent (and an overflow refused, never a
 * wrong total), then each format's text: the table's headings and
 * amounts (English, then French amounts and dates), the CSV rows, the
 * JSON parsed back with jansson, the HTML page (self-contained, printable,
 * escaped, the difference said loudly when it is not 0).
 *
 * The ledger of the fixture: statement balance at 31/12/2025 995,00; a
 * cheque of 100,00 written but not cashed, a deposit of 25,00 not yet
 * credited (books); bank fees of 5,00 the books do not have (bank).
 * Reconciled: 995,00 - (-5,00) + (-100,00 + 25,00) = 925,00 = the books.
 */
#include "client/bank/match.h"
#include "client/cli/i18n.h"

#include <criterion/criterion.h>
#include <jansson.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_recon_bank bank_rows[2];
static gl_recon_book book_rows[2];

static gl_recon_report fixture(void)
{
    gl_recon_bank b = {0};
    b.seq = 7;
    b.line.booking = b.line.value = 20251231;
    b.line.amount_cents = -500;
    b.line.label = S("FRAIS TENUE DE COMPTE");
    b.line.bank_ref = S("FR-1");
    b.line.end_to_end = b.line.counterparty = b.line.counterparty_iban = S("");
    bank_rows[0] = b;
    book_rows[0] = (gl_recon_book){{2025, 12, 1}, 20251215,     -10000,
                                   S("BQ"),       S("0001234"), S("Chèque fournisseur")};
    book_rows[1] =
        (gl_recon_book){{2025, 14, 2}, 20251230, 2500, S("BQ"), S("REM-12"), S("Remise 12")};
    gl_recon_report r = {0};
    r.account = S("512000");
    r.iban = S("FR7630004001230001234567843");
    r.label = S("Compte courant");
    r.at = 20251231;
    r.head = (gl_bank_recon_head){20250101, 1, 100000, 99500, 92500, 20251231};
    r.bank = bank_rows;
    r.nbank = 1;
    r.book = book_rows;
    r.nbook = 2;
    return r;
}

static void setup(void) { i18n_set_lang("en"); }

TestSuite(bank_recon_report, .init = setup);

Test(bank_recon_report, sums_to_the_cent)
{
    gl_recon_report r = fixture();
    cr_assert(gl_recon_report_sums(&r));
    cr_assert_eq(r.bank_not_in_books_cents, -500);
    cr_assert_eq(r.books_not_on_bank_cents, -7500);
    cr_assert_eq(r.residual_cents, 0);
    r.head.books_at_cents = 92512;
    cr_assert(gl_recon_report_sums(&r));
    cr_assert_eq(r.residual_cents, 12, "books 925,12, reconciled 925,00");
    r.head.books_at_cents = 92499;
    cr_assert(gl_recon_report_sums(&r));
    cr_assert_eq(r.residual_cents, -1);
}

Test(bank_recon_report, overflow_refused)
{
    gl_recon_report r = fixture();
    gl_recon_book big[2] = {book_rows[0], book_rows[0]};
    big[0].amount_cents = INT64_MAX;
    big[1].amount_cents = 1;
    r.book = big;
    r.residual_cents = 77;
    cr_assert_not(gl_recon_report_sums(&r), "a sum of lines beyond int64");
    cr_assert_eq(r.residual_cents, 77, "nothing written");
    cr_assert_null(gl_recon_report_render(&r, GL_RECON_TABLE), "no page with a wrong total");
    r = fixture();
    r.head.bank_at_cents = INT64_MIN + 100;
    cr_assert_not(gl_recon_report_sums(&r), "statement balance minus the bank lines");
    r = fixture();
    r.head.books_at_cents = INT64_MIN;
    cr_assert_not(gl_recon_report_sums(&r), "the difference itself");
}

static char *render(const gl_recon_report *r, gl_recon_format f)
{
    char *s = gl_recon_report_render(r, f);
    cr_assert_not_null(s);
    return s;
}

#define HAS(text, needle) cr_assert_not_null(strstr(text, needle), "missing: %s\n%s", needle, text)

Test(bank_recon_report, table_headings_and_amounts)
{
    gl_recon_report r = fixture();
    char *t = render(&r, GL_RECON_TABLE);
    if (getenv("SHOW"))
        fputs(t, stderr);
    HAS(t, "Bank reconciliation statement");
    HAS(t, "Account 512000 (Compte courant), IBAN FR7630004001230001234567843");
    HAS(t, "Bank statement balance at 2025-12-31");
    HAS(t, "995.00");
    HAS(t, "Entries in the books not on the bank statement");
    HAS(t, "Cheques issued and direct debits not yet debited");
    HAS(t, "0001234");
    HAS(t, "Chèque fournisseur");
    HAS(t, "-100.00");
    HAS(t, "Deposits and transfers not yet credited");
    HAS(t, "25.00");
    HAS(t, "Bank statement lines not in the books");
    HAS(t, "FRAIS TENUE DE COMPTE");
    HAS(t, "-5.00");
    HAS(t, "-75.00");
    HAS(t, "= Reconciled bank balance");
    HAS(t, "925.00");
    HAS(t, "Balance per the books at 2025-12-31");
    HAS(t, "0.00  reconciled to the cent");
    cr_assert_null(strstr(t, "UNEXPLAINED"));
    cr_assert(strstr(t, "Cheques issued") < strstr(t, "Deposits and transfers"));
    cr_assert(strstr(t, "Deposits and transfers") < strstr(t, "lines not in the books"));
    free(t);
}

Test(bank_recon_report, table_unexplained_difference_loud)
{
    gl_recon_report r = fixture();
    r.head.books_at_cents = 93700;
    char *t = render(&r, GL_RECON_TABLE);
    HAS(t, "!! UNEXPLAINED OPENING DIFFERENCE: 12.00");
    HAS(t, "12.00  UNEXPLAINED OPENING DIFFERENCE");
    free(t);
}

Test(bank_recon_report, table_empty_lists_and_notes)
{
    gl_recon_report r = fixture();
    r.nbank = 0;
    r.nbook = 0;
    r.head = (gl_bank_recon_head){0, 0, 0, 0, 0, 0};
    char *t = render(&r, GL_RECON_TABLE);
    HAS(t, "none");
    HAS(t, "!! No bank statement has been imported");
    free(t);
    r = fixture();
    r.head.flags = 0;
    r.head.last_statement = 20251130;
    r.truncated = true;
    t = render(&r, GL_RECON_TABLE);
    HAS(t, "no opening balance");
    HAS(t, "stop on 2025-11-30");
    HAS(t, "were cut at 20000 lines");
    free(t);
}

Test(bank_recon_report, table_in_french_amounts_and_dates)
{
    i18n_set_lang("fr");
    gl_recon_report r = fixture();
    r.head.bank_at_cents = 123456789;
    r.head.books_at_cents = 123449789;
    char *t = render(&r, GL_RECON_TABLE);
    i18n_set_lang("en");
    if (getenv("SHOW"))
        fputs(t, stderr);
    HAS(t, "31/12/2025");
    HAS(t, "15/12/2025");
    HAS(t, "1 234 567,89");
    HAS(t, "-100,00");
    HAS(t, "1 234 497,89");
    free(t);
}

Test(bank_recon_report, csv_rows)
{
    gl_recon_report r = fixture();
    char *t = render(&r, GL_RECON_CSV);
    HAS(t, "section,date,reference,label,amount\n");
    HAS(t, "statement_balance,2025-12-31,,Bank statement balance at 2025-12-31,995.00\n");
    HAS(t, "books_credit,2025-12-15,0001234,Chèque fournisseur,-100.00\n");
    HAS(t, "books_debit,2025-12-30,REM-12,Remise 12,25.00\n");
    HAS(t, "statement_only,2025-12-31,FR-1,FRAIS TENUE DE COMPTE,-5.00\n");
    HAS(t, "statement_only_total,2025-12-31,,Bank statement lines not in the books,-5.00\n");
    HAS(t, "reconciled_balance,2025-12-31,,Reconciled bank balance,925.00\n");
    HAS(t,
        "plus_books_not_on_statement,2025-12-31,,Entries in the books not on the bank "
        "statement,-75.00\n");
    HAS(t, "difference,2025-12-31,,Difference,0.00\n");
    free(t);
}

Test(bank_recon_report, json_parsed_back)
{
    gl_recon_report r = fixture();
    r.head.books_at_cents = 92501;
    char *t = render(&r, GL_RECON_JSON);
    json_error_t err;
    json_t *j = json_loads(t, 0, &err);
    cr_assert_not_null(j, "%s", err.text);
    cr_assert_str_eq(json_string_value(json_object_get(j, "account")), "512000");
    cr_assert_str_eq(json_string_value(json_object_get(j, "at")), "2025-12-31");
    cr_assert_str_eq(json_string_value(json_object_get(j, "start")), "2025-01-01");
    cr_assert_eq(json_integer_value(json_object_get(j, "bank_opening_cents")), 100000);
    cr_assert_eq(json_integer_value(json_object_get(j, "statement_balance_cents")), 99500);
    cr_assert_eq(json_integer_value(json_object_get(j, "books_balance_cents")), 92501);
    cr_assert_eq(json_integer_value(json_object_get(j, "reconciled_balance_cents")), 92500);
    cr_assert_eq(json_integer_value(json_object_get(j, "difference_cents")), 1);
    cr_assert(json_is_false(json_object_get(j, "reconciled")));
    json_t *books = json_object_get(j, "books_not_on_statement");
    json_t *c0 = json_array_get(json_object_get(books, "credits"), 0);
    cr_assert_str_eq(json_string_value(json_object_get(c0, "line")), "2025/12:1");
    cr_assert_str_eq(json_string_value(json_object_get(c0, "piece")), "0001234");
    cr_assert_eq(json_integer_value(json_object_get(c0, "amount_cents")), -10000);
    cr_assert_eq(json_integer_value(json_object_get(books, "credits_total_cents")), -10000);
    cr_assert_eq(json_integer_value(json_object_get(books, "debits_total_cents")), 2500);
    cr_assert_eq(json_integer_value(json_object_get(books, "total_cents")), -7500);
    json_t *bank = json_object_get(j, "statement_not_in_books");
    json_t *b0 = json_array_get(json_object_get(bank, "lines"), 0);
    cr_assert_eq(json_integer_value(json_object_get(b0, "seq")), 7);
    cr_assert_str_eq(json_string_value(json_object_get(b0, "reference")), "FR-1");
    cr_assert_eq(json_integer_value(json_object_get(bank, "total_cents")), -500);
    cr_assert_eq(json_array_size(json_object_get(j, "notes")), 1, "the difference");
    json_decref(j);
    free(t);
    r = fixture();
    r.head.flags = 0;
    t = render(&r, GL_RECON_JSON);
    j = json_loads(t, 0, &err);
    cr_assert(json_is_null(json_object_get(j, "bank_opening_cents")));
    cr_assert(json_is_true(json_object_get(j, "reconciled")));
    json_decref(j);
    free(t);
}

Test(bank_recon_report, html_page)
{
    gl_recon_report r = fixture();
    book_rows[1].label = S("Remise <script>alert(1)</script> & co");
    r.head.bank_at_cents = 123456789;
    r.head.books_at_cents = 123449789;
    char *t = render(&r, GL_RECON_HTML);
    cr_assert_eq(strncmp(t, "<!DOCTYPE html>", 15), 0);
    HAS(t, "<meta charset=\"utf-8\">");
    HAS(t, "@page{size:A4 portrait");
    HAS(t, "@media print");
    HAS(t, "Bank reconciliation statement");
    HAS(t, "Cheques issued and direct debits not yet debited");
    HAS(t, "Remise &lt;script&gt;alert(1)&lt;/script&gt; &amp; co");
    cr_assert_null(strstr(t, "<script"), "nothing from outside as markup");
    cr_assert_null(strstr(t, "src="), "nothing fetched");
    HAS(t,
        "1\xE2\x80\xAF"
        "234\xE2\x80\xAF"
        "567,89");
    HAS(t, "-100,00");
    HAS(t, "<tr class=\"ok\">");
    HAS(t, "</html>\n");
    free(t);
    r.head.books_at_cents += 1200;
    t = render(&r, GL_RECON_HTML);
    HAS(t, "<tr class=\"alert\">");
    HAS(t, "<li class=\"alert\">UNEXPLAINED OPENING DIFFERENCE");
    free(t);
}
