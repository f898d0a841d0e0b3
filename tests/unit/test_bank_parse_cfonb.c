/*
 * tests/unit/test_bank_parse_cfonb.c — CFONB 120 statements
 * (client/bank/parse_cfonb.c): two accounts over two days with 05
 * complements, a file without line breaks, LF and CRLF, the sign
 * letters, the RIB key, and the malformed files issue 18 lists (lines of
 * 119 and 121 characters, a missing 07, three decimals) with their line.
 */
#include "bank_parse_util.h"
#include "client/bank/bank_internal.h"

Test(bank_parse_cfonb, two_accounts_two_days)
{
    gl_bank_statements s;
    gl_bank_notes notes;
    bank_parse_ok("cfonb_two_accounts.txt", GL_BANK_FORMAT_AUTO, NULL, &s, &notes);
    cr_assert_eq(s.n, 4);
    const gl_bank_statement *a1 = &s.items[0], *a2 = &s.items[1], *b1 = &s.items[2],
                            *b2 = &s.items[3];
    cr_expect_str_eq(a1->account_id, "RIB:30004001230001234567843");
    cr_expect_str_eq(a1->currency, "EUR");
    cr_expect(a1->has_opening && a1->has_closing);
    cr_expect_eq(a1->opening_cents, 152340);
    cr_expect_eq(a1->closing_cents, 298350);
    cr_expect_eq(a1->from_date, 20251202);
    cr_expect_eq(a1->to_date, 20251202);
    cr_assert_eq(a1->n_lines, 3);
    bank_expect_line(&a1->lines[0], 2, 20251202, 20251202, 35000, "REMISE CHEQUES 2 CHQ",
                     "REM0012345", "0001234", "");
    bank_expect_line(&a1->lines[1], 3, 20251202, 20251201, -8990,
                     "PRLV SEPA URSSAF COTISATIONS NOV 2025", "PRL7788990011", "E2E-URSSAF-2025-12",
                     "URSSAF ILE DE FRANCE");
    bank_expect_line(&a1->lines[2], 7, 20251202, 20251202, 120000, "VIR SEPA RECU /DE MAIRIE",
                     "VIR0099887766", "", "COMMUNE DE MONTREUIL");
    cr_expect_str_eq(a1->lines[2].counterparty_iban, "FR7630001007941234567890185");
    cr_expect_str_eq(a1->lines[1].counterparty_iban, "");
    cr_expect_str_eq(a2->account_id, a1->account_id);
    cr_expect_eq(a2->opening_cents, 298350);
    cr_expect_eq(a2->closing_cents, 292600);
    cr_assert_eq(a2->n_lines, 2);
    bank_expect_line(&a2->lines[0], 12, 20251203, 20251203, -1250, "FRAIS TENUE DE COMPTE", "", "",
                     "");
    bank_expect_line(&a2->lines[1], 13, 20251203, 20251203, -4500, "CHEQUE 0001235", "", "0001235",
                     "");
    cr_expect_str_eq(b1->account_id, "RIB:10278060390002001234529");
    cr_expect_eq(b1->opening_cents, -15025); /* a debit balance: '}'-family letter */
    cr_expect_eq(b1->closing_cents, 34975);
    cr_assert_eq(b1->n_lines, 1);
    bank_expect_line(&b1->lines[0], 16, 20251202, 20251202, 50000, "VIR COTISATIONS ADHERENTS",
                     "B000001", "", "");
    cr_expect_eq(b2->n_lines, 0); /* a day without movement: 01 then 07 */
    cr_expect_eq(b2->opening_cents, 34975);
    cr_expect_eq(b2->closing_cents, 34975);
    cr_expect_eq(b2->from_date, 20251203);
    cr_expect_eq(b2->to_date, 20251203);
    cr_expect_eq(notes.pending_entries, 0);
    gl_bank_statements_free(&s);
}

Test(bank_parse_cfonb, detected)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_two_accounts.txt", &len);
    cr_expect_eq(gl_bank_detect(b, len), GL_BANK_FORMAT_CFONB120);
    free(b);
    b = bank_file("cfonb_no_breaks.txt", &len);
    cr_expect_eq(gl_bank_detect(b, len), GL_BANK_FORMAT_CFONB120);
    free(b);
}

Test(bank_parse_cfonb, without_line_breaks_cut_every_120)
{
    gl_bank_statements s;
    bank_parse_ok("cfonb_no_breaks.txt", GL_BANK_FORMAT_CFONB120, NULL, &s, NULL);
    cr_assert_eq(s.n, 1);
    cr_assert_eq(s.items[0].n_lines, 3);
    cr_expect_eq(s.items[0].lines[2].source_line, 7); /* the record's number */
    cr_expect_eq(s.items[0].closing_cents, 298350);
    gl_bank_statements_free(&s);
}

Test(bank_parse_cfonb, lf_and_blank_lines)
{
    size_t len, o = 0;
    uint8_t *b = bank_file("cfonb_two_accounts.txt", &len);
    uint8_t *lf = malloc(2 * len);
    for (size_t i = 0; i < len; i++) {
        if (b[i] == '\r')
            continue;
        lf[o++] = b[i];
        if (b[i] == '\n' && i < 300)
            lf[o++] = '\n'; /* blank lines between records */
    }
    gl_bank_statements s;
    gl_bank_error err;
    cr_assert_eq(gl_bank_parse(lf, o, GL_BANK_FORMAT_AUTO, NULL, &s, &err), 0, "%s", err.reason);
    cr_expect_eq(s.n, 4);
    gl_bank_statements_free(&s);
    free(lf);
    free(b);
}

Test(bank_parse_cfonb, sign_letters)
{
    int64_t c;
    const char *why;
    cr_assert_eq(bank_amount_cfonb("0000000001904}", 2, &c, &why), 0);
    cr_expect_eq(c, -19040);
    cr_assert_eq(bank_amount_cfonb("0000000166956E", 2, &c, &why), 0);
    cr_expect_eq(c, 1669565);
    cr_assert_eq(bank_amount_cfonb("0000000000322J", 2, &c, &why), 0);
    cr_expect_eq(c, -3221);
    cr_assert_eq(bank_amount_cfonb("0000000000322R", 0, &c, &why), 0);
    cr_expect_eq(c, -322900);                                           /* no decimals: units */
    cr_assert_eq(bank_amount_cfonb("000000000032{ ", 2, &c, &why), -1); /* no sign letter */
    cr_assert_eq(bank_amount_cfonb("0000000000321A", 3, &c, &why), -1); /* 3rd decimal 1 */
    cr_expect(strstr(why, "more than two decimals"));
    cr_assert_eq(bank_amount_cfonb("0000000003210{", 3, &c, &why), 0); /* 3rd decimal 0 */
    cr_expect_eq(c, 3210);
}

Test(bank_parse_cfonb, rib_key)
{
    char id[GL_BANK_ACCOUNT_ID_MAX + 1];
    cr_assert_eq(bank_rib_id(id, "12345", "67890", "12345678901"), 0);
    cr_expect_str_eq(id, "RIB:12345678901234567890104");
    cr_assert_eq(bank_rib_id(id, "12345", "67890", "0001234567A"), 0);
    cr_expect_str_eq(id, "RIB:12345678900001234567A79");
    cr_expect_eq(bank_rib_id(id, "1234X", "67890", "0001234567A"), -1);
}

Test(bank_parse_cfonb, line_of_119_characters)
{
    bank_refused("bad_cfonb_119.txt", GL_BANK_FORMAT_AUTO, 4, "120 characters");
}

Test(bank_parse_cfonb, line_of_121_characters)
{
    bank_refused("bad_cfonb_121.txt", GL_BANK_FORMAT_AUTO, 7, "120 characters");
}

Test(bank_parse_cfonb, no_breaks_length_not_a_multiple_of_120)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    bank_refused_bytes(b, len - 1, GL_BANK_FORMAT_CFONB120, NULL, 10, "120 characters");
    free(b);
}

Test(bank_parse_cfonb, missing_07_before_the_next_01)
{
    bank_refused("bad_cfonb_missing_07.txt", GL_BANK_FORMAT_AUTO, 10, "07");
}

Test(bank_parse_cfonb, missing_07_at_the_end)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    bank_refused_bytes(b, 9 * 120, GL_BANK_FORMAT_CFONB120, NULL, 9, "without the 07");
    free(b);
}

Test(bank_parse_cfonb, three_decimals)
{
    bank_refused("bad_cfonb_three_decimals.txt", GL_BANK_FORMAT_AUTO, 2, "more than two decimals");
}

/* A 07 whose balance is not 01 + the movements: refused at the 07. */
Test(bank_parse_cfonb, unbalanced_block)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    b[9 * 120 + 102] = '6'; /* 2983,50 -> 2983,60 */
    bank_refused_bytes(b, len, GL_BANK_FORMAT_CFONB120, NULL, 10, "closing balance");
    free(b);
}

Test(bank_parse_cfonb, complement_without_movement)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    uint8_t *c = malloc(len);
    memcpy(c, b, 120);                 /* 01 */
    memcpy(c + 120, b + 3 * 120, 120); /* a 05 straight after it */
    bank_refused_bytes(c, 240, GL_BANK_FORMAT_CFONB120, NULL, 2, "without the 04");
    free(c);
    free(b);
}

Test(bank_parse_cfonb, record_outside_a_block)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    bank_refused_bytes(b + 120, 120, GL_BANK_FORMAT_CFONB120, NULL, 1, "outside");
    free(b);
}

Test(bank_parse_cfonb, unknown_record_code)
{
    size_t len;
    uint8_t *b = bank_file("cfonb_no_breaks.txt", &len);
    b[120] = '0', b[121] = '3';
    bank_refused_bytes(b, len, GL_BANK_FORMAT_CFONB120, NULL, 2, "unknown CFONB record");
    free(b);
}
