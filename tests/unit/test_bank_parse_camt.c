/*
 * tests/unit/test_bank_parse_camt.c — CAMT.053 (client/bank/parse_camt.c):
 * a .001.02 statement (OPBD/CLBD, a batch entry of two cheques booked as
 * one line, a SEPA direct debit with its creditor, a transfer with its
 * debtor, a pending entry kept aside) and a .001.08 one (PRCD as opening,
 * DtTm dates, Sts/Cd, Dbtr/Pty/Nm in UTF-8, a cheque number, an INFO
 * entry); and the malformed ones: truncated XML, wrong namespace, unknown
 * version, three decimals, unbalanced, a DOCTYPE.
 */
#include "bank_parse_util.h"

Test(bank_parse_camt, v02_statement)
{
    gl_bank_statements s;
    gl_bank_notes notes;
    bank_parse_ok("camt053_v02.xml", GL_BANK_FORMAT_AUTO, NULL, &s, &notes);
    cr_assert_eq(s.n, 1);
    const gl_bank_statement *st = &s.items[0];
    cr_expect_str_eq(st->account_id, "FR7630004001230001234567843");
    cr_expect_str_eq(st->currency, "EUR");
    cr_expect_str_eq(st->statement_id, "STMT-2025-12-02-0001");
    cr_expect_eq(st->from_date, 20251202);
    cr_expect_eq(st->to_date, 20251202);
    cr_expect(st->has_opening && st->has_closing);
    cr_expect_eq(st->opening_cents, 152340);
    cr_expect_eq(st->closing_cents, 298350); /* CLAV 2633.50 is information only */
    cr_assert_eq(st->n_lines, 3);
    /* a batch of two cheques: one line, the entry's amount, no single id */
    bank_expect_line(&st->lines[0], 40, 20251202, 20251204, 35000, "REMISE CHEQUES 2 CHQ",
                     "REM0012345", "", "");
    bank_expect_line(&st->lines[1], 62, 20251202, 20251201, -8990, "COTISATIONS NOV 2025",
                     "PRL7788990011", "E2E-URSSAF-2025-12", "URSSAF ILE DE FRANCE");
    cr_expect_str_eq(st->lines[1].counterparty_iban, "FR7610071750000000100012345");
    /* EndToEndId NOTPROVIDED is no id; two Ustrd lines make the label */
    bank_expect_line(&st->lines[2], 84, 20251202, 20251202, 120000,
                     "SUBVENTION 2025 SOLDE DELIB 2025-114", "VIR0099887766", "",
                     "COMMUNE DE MONTREUIL");
    cr_expect_str_eq(st->lines[2].counterparty_iban, "FR7630001007941234567890185");
    cr_expect_eq(notes.pending_entries, 1); /* the PDNG card payment */
    cr_expect_eq(notes.pending_cents, -4000);
    gl_bank_statements_free(&s);
}

Test(bank_parse_camt, v08_statement)
{
    gl_bank_statements s;
    gl_bank_notes notes;
    bank_parse_ok("camt053_v08.xml", GL_BANK_FORMAT_AUTO, NULL, &s, &notes);
    cr_assert_eq(s.n, 1);
    const gl_bank_statement *st = &s.items[0];
    cr_expect_str_eq(st->account_id, "10278060390002001234529"); /* Othr/Id as written */
    cr_expect_str_eq(st->currency, "EUR");                       /* from the amounts */
    cr_expect_eq(st->opening_cents, -15025);                     /* PRCD, DBIT */
    cr_expect_eq(st->closing_cents, 122975);
    cr_assert_eq(st->n_lines, 2);
    /* DtTm 2025-12-31T00:30:00+01:00: the date written, not shifted to UTC */
    bank_expect_line(&st->lines[0], 25, 20251231, 20251231, 150000, "Participation stage d'été",
                     "20251231-01", "FACT-2025-0187", "Fédération Régionale des Œuvres Laïques");
    cr_expect_str_eq(st->lines[0].counterparty_iban, "FR7617806001230001234567811");
    bank_expect_line(&st->lines[1], 50, 20251231, 0, -12000, "CHEQUE 0004512", "CHQ-0004512",
                     "0004512", "");
    cr_expect_eq(notes.pending_entries, 1); /* INFO */
    gl_bank_statements_free(&s);
}

Test(bank_parse_camt, detected)
{
    size_t len;
    uint8_t *b = bank_file("camt053_v08.xml", &len);
    cr_expect_eq(gl_bank_detect(b, len), GL_BANK_FORMAT_CAMT053);
    free(b);
}

Test(bank_parse_camt, truncated_xml)
{
    bank_refused("bad_camt_truncated.xml", GL_BANK_FORMAT_AUTO, 63, "malformed XML");
}

Test(bank_parse_camt, wrong_namespace)
{
    bank_refused("bad_camt_namespace.xml", GL_BANK_FORMAT_CAMT053, 2, "not a CAMT.053 document");
}

Test(bank_parse_camt, unknown_version)
{
    bank_refused("bad_camt_version.xml", GL_BANK_FORMAT_AUTO, 2, "unsupported CAMT.053 version");
}

Test(bank_parse_camt, three_decimals)
{
    bank_refused("bad_camt_three_decimals.xml", GL_BANK_FORMAT_AUTO, 63, "more than two decimals");
}

Test(bank_parse_camt, unbalanced_statement)
{
    bank_refused("bad_camt_unbalanced.xml", GL_BANK_FORMAT_AUTO, 8, "closing balance");
}

/* No DTD at all: no entity of the file's own is ever expanded (billion
 * laughs, external entities reading local files). */
Test(bank_parse_camt, doctype_refused)
{
    static const char doc[] =
        "<?xml version=\"1.0\"?>\n"
        "<!DOCTYPE Document [<!ENTITY x SYSTEM \"file:///etc/passwd\">]>\n"
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\">\n"
        "<BkToCstmrStmt><Stmt><Id>&x;</Id></Stmt></BkToCstmrStmt></Document>\n";
    bank_refused_bytes((const uint8_t *)doc, sizeof doc - 1, GL_BANK_FORMAT_AUTO, NULL, 3,
                       "DOCTYPE");
}

Test(bank_parse_camt, booked_entry_without_date)
{
    static const char doc[] =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><BkToCstmrStmt>\n"
        "<Stmt><Id>1</Id><Acct><Id><IBAN>FR7630004001230001234567843</IBAN></Id></Acct>\n"
        "<Ntry><Amt Ccy=\"EUR\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\n"
        "<BookgDt><Dt>2025-02-30</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>\n";
    bank_refused_bytes((const uint8_t *)doc, sizeof doc - 1, GL_BANK_FORMAT_CAMT053, NULL, 3,
                       "booking date");
}

Test(bank_parse_camt, entry_in_another_currency)
{
    static const char doc[] =
        "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.04\"><BkToCstmrStmt>\n"
        "<Stmt><Id>1</Id><Acct><Id><IBAN>FR7630004001230001234567843</IBAN></Id><Ccy>EUR</Ccy></Acct>\n"
        "<Ntry><Amt Ccy=\"USD\">1.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>\n"
        "<BookgDt><Dt>2025-02-03</Dt></BookgDt></Ntry></Stmt></BkToCstmrStmt></Document>\n";
    bank_refused_bytes((const uint8_t *)doc, sizeof doc - 1, GL_BANK_FORMAT_CAMT053, NULL, 3,
                       "another currency");
}
