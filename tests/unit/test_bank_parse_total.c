/*
 * tests/unit/test_bank_parse_total.c — every parser is total on the
 * hand-written files cut short at every length (what a download stopped
 * midway gives): statements or one refusal with a reason, the output
 * empty on refusal, never a crash (the fuzz target goes further; this runs
 * in every make check, under ASan with make asan).
 */
#include "bank_parse_util.h"

static void every_prefix(const char *name, gl_bank_format f, const gl_bank_csv_mapping *m)
{
    size_t len;
    uint8_t *b = bank_file(name, &len);
    size_t refused = 0;
    for (size_t n = 0; n <= len; n++) {
        uint8_t *cut = malloc(n ? n : 1); /* exactly n bytes: ASan sees a read past them */
        memcpy(cut, b, n);
        gl_bank_statements s;
        gl_bank_error err;
        int rc = gl_bank_parse(cut, n, f, m, &s, &err);
        if (rc) {
            cr_assert(err.reason[0] && s.n == 0 && !s.items, "%s cut at %zu", name, n);
            refused++;
        } else {
            cr_assert_gt(s.n, 0);
        }
        gl_bank_statements_free(&s);
        free(cut);
    }
    cr_expect_gt(refused, 0, "%s: some prefix must be refused", name);
    free(b);
}

Test(bank_parse_total, camt_prefixes)
{
    every_prefix("camt053_v02.xml", GL_BANK_FORMAT_AUTO, NULL);
    every_prefix("camt053_v08.xml", GL_BANK_FORMAT_CAMT053, NULL);
}

Test(bank_parse_total, cfonb_prefixes)
{
    every_prefix("cfonb_two_accounts.txt", GL_BANK_FORMAT_CFONB120, NULL);
    every_prefix("cfonb_no_breaks.txt", GL_BANK_FORMAT_CFONB120, NULL);
}

Test(bank_parse_total, ofx_prefixes)
{
    every_prefix("ofx102_cp1252.ofx", GL_BANK_FORMAT_OFX, NULL);
    every_prefix("ofx220.ofx", GL_BANK_FORMAT_OFX, NULL);
}

Test(bank_parse_total, csv_prefixes)
{
    gl_bank_csv_mapping m;
    gl_bank_mapping_defaults(&m);
    m.skip_lines = 1, m.date_col = 0, m.value_date_col = 1, m.label_col = 2;
    m.debit_col = 3, m.credit_col = 4;
    every_prefix("csv_fr_debit_credit.csv", GL_BANK_FORMAT_CSV, &m);
}
