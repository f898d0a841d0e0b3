/*
 * tests/unit/test_bank_parse_csv.c — CSV exports with a mapping
 * (client/bank/parse_csv.c, csv_mapping.c): a French bank's export
 * (Windows-1252, ';', decimal comma, thousands space, debit and credit
 * columns, a quoted label holding ';', a blank line), a signed-amount
 * layout, the mapping's INI text both ways, and the refusals.
 */
#include "bank_parse_util.h"

#include "proto/wire.h"

static gl_bank_csv_mapping french_bank(void)
{
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    m.skip_lines = 1;
    m.date_col = 0;
    m.value_date_col = 1;
    m.label_col = 2;
    m.debit_col = 3;
    m.credit_col = 4;
    return m;
}

Test(bank_parse_csv, french_debit_credit)
{
    gl_bank_csv_mapping m = french_bank();
    gl_bank_statements s;
    bank_parse_ok("csv_fr_debit_credit.csv", GL_BANK_FORMAT_CSV, &m, &s, NULL);
    cr_assert_eq(s.n, 1);
    const gl_bank_statement *st = &s.items[0];
    cr_expect_str_eq(st->currency, "EUR");
    cr_expect_str_eq(st->account_id, "");
    cr_expect_eq(st->has_opening, 0);
    cr_expect_eq(st->has_closing, 0);
    cr_expect_eq(st->from_date, 20251202);
    cr_expect_eq(st->to_date, 20251204);
    cr_assert_eq(st->n_lines, 5);
    bank_expect_line(&st->lines[0], 2, 20251202, 20251202, 35000, "REMISE CHEQUES 2 CHQ", "", "",
                     "");
    bank_expect_line(&st->lines[1], 3, 20251202, 20251201, -8990, "PRLV SEPA URSSAF; COTISATIONS",
                     "", "", "");
    bank_expect_line(&st->lines[2], 4, 20251202, 20251202, 120000,
                     "VIR SEPA RECU /DE COMMUNE DE MONTREUIL", "", "", "");
    bank_expect_line(&st->lines[3], 5, 20251203, 20251203, -1250,
                     "FRAIS TENUE DE COMPTE - DÉCEMBRE", "", "", "");
    /* a debit written with a minus is still money out */
    bank_expect_line(&st->lines[4], 7, 20251204, 20251204, -2340, "ACHAT CB LIBRAIRIE 03/12", "",
                     "", "");
    gl_bank_statements_free(&s);
}

Test(bank_parse_csv, signed_amount_iso_dates_tab)
{
    static const char f[] =
        "2025-01-31\t-1234.50\tLOYER\tR1\n\"2025-02-01\"\t+0.5\tINTERETS\tR2\n"
        "2025-02-02\t0.00\tNEANT\tR3\n";
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    m.separator = '\t';
    m.decimal = '.';
    strcpy(m.date_format, "YYYY-MM-DD");
    m.date_col = 0;
    m.amount_col = 1;
    m.label_col = 2;
    m.ref_col = 3;
    gl_bank_statements s;
    gl_bank_error err;
    gl_bank_notes notes;
    cr_assert_eq(gl_bank_parse_noted((const uint8_t *)f, sizeof f - 1, GL_BANK_FORMAT_CSV, &m, &s,
                                     &err, &notes),
                 0, "%s", err.reason);
    cr_assert_eq(s.items[0].n_lines, 2);
    bank_expect_line(&s.items[0].lines[0], 1, 20250131, 0, -123450, "LOYER", "R1", "", "");
    bank_expect_line(&s.items[0].lines[1], 2, 20250201, 0, 50, "INTERETS", "R2", "", "");
    cr_expect_eq(notes.zero_lines, 1);
    gl_bank_statements_free(&s);
}

Test(bank_parse_csv, mapping_text_round_trip)
{
    gl_bank_csv_mapping m = french_bank(), back;
    char text[512];
    cr_assert_gt(gl_bank_mapping_format(&m, text, sizeof text), 0);
    unsigned line;
    const char *why;
    cr_assert_eq(gl_bank_mapping_parse(text, &back, &line, &why), 0, "%s: %s", text, why);
    cr_expect_eq(back.separator, ';'); /* survives inih's inline comments */
    cr_expect_eq(back.decimal, ',');
    cr_expect_str_eq(back.date_format, "DD/MM/YYYY");
    cr_expect_eq(back.skip_lines, 1);
    cr_expect_eq(back.date_col, 0);
    cr_expect_eq(back.value_date_col, 1);
    cr_expect_eq(back.label_col, 2);
    cr_expect_eq(back.amount_col, -1);
    cr_expect_eq(back.debit_col, 3);
    cr_expect_eq(back.credit_col, 4);
    cr_expect_eq(back.ref_col, -1);
}

Test(bank_parse_csv, mapping_refusals)
{
    unsigned line;
    const char *why;
    gl_bank_csv_mapping m;
    cr_expect_eq(gl_bank_mapping_parse("[csv]\ndate_col = 0\nlabel_col = 1\n", &m, &line, &why),
                 -1);
    cr_expect(strstr(why, "amount column"));
    cr_expect_eq(gl_bank_mapping_parse("[csv]\ndate_col = 0\nlabel_col = x\n", &m, &line, &why),
                 -1);
    cr_expect_eq(line, 3);
    cr_expect_eq(gl_bank_mapping_parse("[csv]\ndate_format = DD/MM\ndate_col = 0\nlabel_col = 1\n"
                                       "amount_col = 2\n",
                                       &m, &line, &why),
                 -1);
    cr_expect(strstr(why, "date format"));
    gl_bank_csv_mapping same = french_bank();
    same.decimal = ';';
    cr_expect_eq(gl_bank_mapping_check(&same, &why), -1);
}

Test(bank_parse_csv, no_mapping)
{
    bank_refused("csv_fr_debit_credit.csv", GL_BANK_FORMAT_CSV, 0, "mapping");
    bank_refused("csv_fr_debit_credit.csv", GL_BANK_FORMAT_AUTO, 0, "unknown statement format");
}

Test(bank_parse_csv, bad_rows)
{
    gl_bank_csv_mapping m = french_bank();
    static const char date[] = "h\n01/02/2025;;A;1,00;\n31/02/2025;;B;1,00;\n";
    bank_refused_bytes((const uint8_t *)date, sizeof date - 1, GL_BANK_FORMAT_CSV, &m, 3, "date");
    static const char three[] = "h\n01/02/2025;;A;1,005;\n";
    bank_refused_bytes((const uint8_t *)three, sizeof three - 1, GL_BANK_FORMAT_CSV, &m, 2,
                       "more than two decimals");
    static const char none[] = "h\n01/02/2025;;A;;\n";
    bank_refused_bytes((const uint8_t *)none, sizeof none - 1, GL_BANK_FORMAT_CSV, &m, 2,
                       "without an amount");
    static const char both[] = "h\n01/02/2025;;A;1,00;2,00\n";
    bank_refused_bytes((const uint8_t *)both, sizeof both - 1, GL_BANK_FORMAT_CSV, &m, 2,
                       "both a debit and a credit");
    static const char quote[] = "h\n01/02/2025;;\"A;1,00;\n";
    bank_refused_bytes((const uint8_t *)quote, sizeof quote - 1, GL_BANK_FORMAT_CSV, &m, 2,
                       "never closed");
}

/* With the decimal comma, a point separates thousands only before three
 * digits: "12.34" is refused, never read as 1 234,00 (review of wave 11). */
Test(bank_parse_csv, a_point_that_is_not_a_thousands_separator_is_refused)
{
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    m.date_col = 0;
    m.amount_col = 1;
    m.label_col = 2;
    static const char good[] = "31/01/2025;1.234.567,89;VIR\n31/01/2025;-1.234;CB\n";
    gl_bank_statements s;
    gl_bank_error err;
    cr_assert_eq(
        gl_bank_parse((const uint8_t *)good, sizeof good - 1, GL_BANK_FORMAT_CSV, &m, &s, &err), 0,
        "%s", err.reason);
    cr_expect_eq(s.items[0].lines[0].amount_cents, 123456789);
    cr_expect_eq(s.items[0].lines[1].amount_cents, -123400);
    gl_bank_statements_free(&s);
    static const char bad[] = "31/01/2025;12.34;CB CAFE\n";
    bank_refused_bytes((const uint8_t *)bad, sizeof bad - 1, GL_BANK_FORMAT_CSV, &m, 1,
                       "malformed amount: a point that is not a thousands separator (the "
                       "mapping's decimal mark is the comma)");
}

/* A label never carries what the daemon refuses in a text (C1 controls,
 * bidi overrides: proto/wire.c): they are read as spaces, so one such
 * character cannot have a whole statement refused. */
Test(bank_parse_csv, controls_the_daemon_refuses_become_spaces)
{
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    m.date_col = 0;
    m.amount_col = 1;
    m.label_col = 2;
    static const char f[] =
        "31/01/2025;-3,50;CB\xE2\x80\xAE"
        "CAFE\xC2\x85X\n";
    gl_bank_statements s;
    gl_bank_error err;
    cr_assert_eq(gl_bank_parse((const uint8_t *)f, sizeof f - 1, GL_BANK_FORMAT_CSV, &m, &s, &err),
                 0, "%s", err.reason);
    const char *label = s.items[0].lines[0].label;
    cr_expect_str_eq(label, "CB CAFE X");
    cr_expect(gl_utf8_valid(label, strlen(label)));
    gl_bank_statements_free(&s);
}
