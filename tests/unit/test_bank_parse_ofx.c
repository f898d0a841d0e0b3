/*
 * tests/unit/test_bank_parse_ofx.c — OFX (client/bank/parse_ofx.c,
 * ofx_sgml.c): a 1.02 SGML file in Windows-1252 with accents, leaves
 * without end tags, a bank and a card statement; a 2.2 XML file; the
 * account id read (M's import compares it with the registered one);
 * truncated files and three decimals refused with their line.
 */
#include "bank_parse_util.h"

Test(bank_parse_ofx, v102_sgml_windows_1252)
{
    gl_bank_statements s;
    bank_parse_ok("ofx102_cp1252.ofx", GL_BANK_FORMAT_AUTO, NULL, &s, NULL);
    cr_assert_eq(s.n, 2);
    const gl_bank_statement *st = &s.items[0], *cc = &s.items[1];
    cr_expect_str_eq(st->account_id, "RIB:30004001230001234567843");
    cr_expect_str_eq(st->currency, "EUR");
    cr_expect_eq(st->from_date, 20251201);
    cr_expect_eq(st->to_date, 20251204);
    cr_expect_eq(st->has_opening, 0); /* OFX states none */
    cr_expect(st->has_closing);
    cr_expect_eq(st->closing_cents, 258850); /* LEDGERBAL, not AVAILBAL */
    cr_assert_eq(st->n_lines, 3);
    bank_expect_line(&st->lines[0], 40, 20251202, 0, -8990,
                     "PRÉLÈVEMENT URSSAF Cotisations novembre – 2025", "PRL7788990011", "", "");
    /* a time and zone after the date are not applied; a decimal comma */
    bank_expect_line(&st->lines[1], 49, 20251203, 20251203, -4500, "CHÈQUE N° 0001235",
                     "CHQ0001235", "0001235", "");
    bank_expect_line(&st->lines[2], 58, 20251204, 0, 120000,
                     "VIR SEPA COMMUNE DE MONTREUIL SUBVENTION 2025 SOLDE & DELIB", "VIR0099887766",
                     "", "");
    cr_expect_str_eq(cc->account_id, "4970XXXXXXXX1234");
    cr_expect_eq(cc->closing_cents, -2340);
    cr_assert_eq(cc->n_lines, 1);
    bank_expect_line(&cc->lines[0], 93, 20251203, 0, -2340, "CB LIBRAIRIE DES ÉCOLES",
                     "CB20251203001", "", "");
    gl_bank_statements_free(&s);
}

Test(bank_parse_ofx, v220_xml)
{
    gl_bank_statements s;
    bank_parse_ok("ofx220.ofx", GL_BANK_FORMAT_AUTO, NULL, &s, NULL);
    cr_assert_eq(s.n, 1);
    const gl_bank_statement *st = &s.items[0];
    /* ACCTID of 13 characters: the account and its RIB key */
    cr_expect_str_eq(st->account_id, "RIB:10278060390002001234529");
    cr_expect_eq(st->closing_cents, 134125);
    cr_assert_eq(st->n_lines, 2);
    bank_expect_line(&st->lines[0], 26, 20251231, 0, 150000,
                     "VIR Fédération Régionale Participation stage d'été", "TX-88410002", "", "");
    /* 23:59:59 EST is 1 January in UTC: the date written stays */
    bank_expect_line(&st->lines[1], 34, 20251231, 0, -850, "FRAIS TENUE DE COMPTE",
                     "FRAIS-20251231", "", "");
    gl_bank_statements_free(&s);
}

Test(bank_parse_ofx, detected)
{
    size_t len;
    uint8_t *b = bank_file("ofx102_cp1252.ofx", &len);
    cr_expect_eq(gl_bank_detect(b, len), GL_BANK_FORMAT_OFX);
    free(b);
    b = bank_file("ofx220.ofx", &len);
    cr_expect_eq(gl_bank_detect(b, len), GL_BANK_FORMAT_OFX);
    free(b);
}

Test(bank_parse_ofx, sgml_truncated)
{
    bank_refused("bad_ofx_truncated.ofx", GL_BANK_FORMAT_AUTO, 85, "ends inside");
}

Test(bank_parse_ofx, xml_truncated)
{
    size_t len;
    uint8_t *b = bank_file("ofx220.ofx", &len);
    bank_refused_bytes(b, 1000, GL_BANK_FORMAT_OFX, NULL, 31, "malformed XML");
    free(b);
}

Test(bank_parse_ofx, three_decimals)
{
    bank_refused("bad_ofx_three_decimals.ofx", GL_BANK_FORMAT_AUTO, 37, "more than two decimals");
}

/* The header on one line, no blank line before the body, an end tag on
 * a leaf, an unknown aggregate left open inside a known one. */
Test(bank_parse_ofx, sgml_quirks)
{
    static const char f[] =
        "OFXHEADER:100 DATA:OFXSGML VERSION:102 CHARSET:1252\n"
        "<OFX><BANKMSGSRSV1><STMTTRNRS><STMTRS><CURDEF>EUR</CURDEF>\n"
        "<BANKACCTFROM><BANKID>30004<BRANCHID>00123<ACCTID>FR7630004001230001234567843</BANKACCTFROM>\n"
        "<BANKTRANLIST><STMTTRN><TRNTYPE>FEE<DTPOSTED>20250131<TRNAMT>-3<FITID>F1<NAME>FRAIS\n"
        "<EXTRA></STMTTRN></BANKTRANLIST>\n"
        "</STMTRS></STMTTRNRS></BANKMSGSRSV1></OFX>\n";
    gl_bank_statements s;
    gl_bank_error err;
    cr_assert_eq(
        gl_bank_parse((const uint8_t *)f, sizeof f - 1, GL_BANK_FORMAT_AUTO, NULL, &s, &err), 0,
        "line %u: %s", err.line, err.reason);
    cr_assert_eq(s.n, 1);
    cr_expect_str_eq(s.items[0].account_id, "FR7630004001230001234567843"); /* an IBAN as is */
    cr_expect_eq(s.items[0].has_closing, 0);
    cr_assert_eq(s.items[0].n_lines, 1);
    bank_expect_line(&s.items[0].lines[0], 4, 20250131, 0, -300, "FRAIS", "F1", "", "");
    gl_bank_statements_free(&s);
}

Test(bank_parse_ofx, transaction_without_amount)
{
    static const char f[] =
        "OFXHEADER:100\n\n<OFX><STMTRS><CURDEF>EUR<BANKACCTFROM><ACCTID>1\n"
        "</BANKACCTFROM><STMTTRN><DTPOSTED>20250131<FITID>F1\n"
        "</STMTTRN></STMTRS></OFX>\n";
    bank_refused_bytes((const uint8_t *)f, sizeof f - 1, GL_BANK_FORMAT_AUTO, NULL, 4, "TRNAMT");
}

Test(bank_parse_ofx, closing_tag_never_opened)
{
    static const char f[] = "OFXHEADER:100\n\n<OFX>\n</STMTRS>\n</OFX>\n";
    bank_refused_bytes((const uint8_t *)f, sizeof f - 1, GL_BANK_FORMAT_AUTO, NULL, 4,
                       "without its opening tag");
}
