/*
 * tests/integration/test_bank_persons.c — issue 18, a natural person of
 * the registry (issue 17) named in a bank statement is never stored in
 * clear: `bank import` sends the person's `@CODE` as counterparty (the
 * IBAN cleared) and in the label, so `bank lines` shows the code, and no
 * file of the daemon's data directory (LMDB, journal, key store), nor its
 * log, holds the person's name; a legal person stays as the bank wrote it.
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <ctype.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "411000"};
    h_open_accounts(&h, "alpha", accounts, 2);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_persons, .init = setup, .fini = teardown, .timeout = 240);

static const char camt[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<Document xmlns=\"urn:iso:std:iso:20022:tech:xsd:camt.053.001.02\"><BkToCstmrStmt>"
    "<GrpHdr><MsgId>M1</MsgId><CreDtTm>2026-01-31T06:00:00</CreDtTm></GrpHdr>"
    "<Stmt><Id>S-2026-01</Id><CreDtTm>2026-01-31T06:00:00</CreDtTm>"
    "<Acct><Id><IBAN>" IBAN_A
    "</IBAN></Id><Ccy>EUR</Ccy></Acct>"
    "<Bal><Tp><CdOrPrtry><Cd>OPBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">100.00</Amt>"
    "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-01</Dt></Dt></Bal>"
    "<Bal><Tp><CdOrPrtry><Cd>CLBD</Cd></CdOrPrtry></Tp><Amt Ccy=\"EUR\">1335.00</Amt>"
    "<CdtDbtInd>CRDT</CdtDbtInd><Dt><Dt>2026-01-31</Dt></Dt></Bal>"
    "<Ntry><Amt Ccy=\"EUR\">35.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
    "<BookgDt><Dt>2026-01-05</Dt></BookgDt><AcctSvcrRef>VIR0001</AcctSvcrRef>"
    "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>DUPONT MARIE</Nm></Dbtr>"
    "<DbtrAcct><Id><IBAN>" IBAN_B
    "</IBAN></Id></DbtrAcct></RltdPties>"
    "<RmtInf><Ustrd>COTISATION 2026 MME MARIE DUPONT</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    "<Ntry><Amt Ccy=\"EUR\">1200.00</Amt><CdtDbtInd>CRDT</CdtDbtInd><Sts>BOOK</Sts>"
    "<BookgDt><Dt>2026-01-06</Dt></BookgDt><AcctSvcrRef>VIR0002</AcctSvcrRef>"
    "<NtryDtls><TxDtls><RltdPties><Dbtr><Nm>COMMUNE DE MONTREUIL</Nm></Dbtr></RltdPties>"
    "<RmtInf><Ustrd>SUBVENTION 2026</Ustrd></RmtInf></TxDtls></NtryDtls></Ntry>"
    "</Stmt></BkToCstmrStmt></Document>\n";

/* Whether the file at path holds needle, case ignored (ASCII). */
static bool file_holds(const char *path, const char *needle)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    size_t n = strlen(needle), matched = 0;
    int ch;
    while ((ch = fgetc(f)) != EOF && matched < n) {
        matched = tolower(ch) == needle[matched] ? matched + 1 : tolower(ch) == needle[0] ? 1 : 0;
    }
    fclose(f);
    return matched == n;
}

/* Files under dir (recursively) holding needle; each named in out. */
static int files_holding(const char *dir, const char *needle, char *out, size_t cap)
{
    DIR *d = opendir(dir);
    cr_assert(d, "%s", dir);
    int found = 0;
    struct dirent *e;
    while ((e = readdir(d))) {
        if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
            continue;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", dir, e->d_name);
        struct stat st;
        cr_assert(lstat(path, &st) == 0, "%s", path);
        if (S_ISDIR(st.st_mode))
            found += files_holding(path, needle, out, cap);
        else if (S_ISREG(st.st_mode) && file_holds(path, needle)) {
            found++;
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%s ", path);
        }
    }
    closedir(d);
    return found;
}

Test(bank_persons, a_natural_person_is_stored_under_the_code_and_nowhere_by_name)
{
    char out[8192], err[4096], path[512];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out,
                   "third-parties add --tenant alpha ADH0042 --name 'Marie Dupont' --kind user "
                   "--collective 411000 --iban '%s' --natural-person yes",
                   IBAN_B);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    snprintf(path, sizeof path, "%s/statement.xml", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(camt, f);
    fclose(f);
    rc = h_cli(&h, K_ALPHA, out, sizeof out, "bank import --tenant alpha --account 512000 '%s'",
               path);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s%s", out, err);
    cr_expect(strstr(out, "@CODE"), "the import says what it did: %s", out);

    rc = h_cli(&h, K_ALPHA, out, sizeof out, "bank lines --tenant alpha --account 512000 --json");
    cr_assert_eq(rc, 0, "%s", out);
    cr_expect(strstr(out, "\"counterparty\": \"@ADH0042\"") ||
                  strstr(out, "\"counterparty\":\"@ADH0042\""),
              "%s", out);
    cr_expect(strstr(out, "COTISATION 2026 MME @ADH0042"), "%s", out);
    cr_expect(strstr(out, "COMMUNE DE MONTREUIL"), "a legal person stays: %s", out);
    cr_expect(!strstr(out, "DUPONT") && !strstr(out, "MARIE"), "%s", out);

    h_stop(&h); /* everything on disk */
    char data[400], found[4096] = "";
    snprintf(data, sizeof data, "%s/data", h.dir);
    cr_expect_eq(files_holding(data, "dupont", found, sizeof found), 0, "the name in %s", found);
    snprintf(path, sizeof path, "%s/daemon.log", h.dir);
    cr_expect_not(file_holds(path, "dupont"), "the name in the daemon's log");
    cr_expect_gt(files_holding(data, "montreuil", found, sizeof found), 0,
                 "the search finds what the statement stored");
    h_start(&h);
}
