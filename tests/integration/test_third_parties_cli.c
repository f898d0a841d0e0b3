/*
 * tests/integration/test_third_parties_cli.c — issue 17: `grandlivre
 * third-parties add|set|list|show|import` against a real daemon, and `fec
 * import` registering the third parties a file names that the registry
 * lacks.
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"411000", "401000", "512000", "706000"};
    h_open_accounts(&h, "alpha", accounts, 4);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(third_parties_cli, .init = setup, .fini = teardown, .timeout = 120);

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

static void write_file(const char *name, const char *text, char *path, size_t cap)
{
    snprintf(path, cap, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

Test(third_parties_cli, add_show_list_and_set_keep_the_other_fields)
{
    char out[8192], err[4096];
    int rc = h_cli(&h, K_ALPHA, out, sizeof out,
                   "third-parties add --tenant alpha DUPONT --name 'Jeanne Dupont' --kind user "
                   "--collective 411000 --iban 'FR76 3000 6000 0112 3456 7890 189' "
                   "--terms-days 30 --natural-person yes");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "third-parties show --tenant alpha DUPONT --format csv");
    cr_assert_eq(rc, 0);
    cr_expect(strstr(out, "DUPONT,Jeanne Dupont,customer,411000,,30,1,,FR7630006000011234567890189,,"),
              "%s", out);
    rc = h_cli(&h, K_ALPHA, NULL, 0,
               "third-parties set --tenant alpha DUPONT --email jeanne@example.fr");
    cr_assert_eq(rc, 0);
    rc = h_cli(&h, K_ALPHA, out, sizeof out, "third-parties list --tenant alpha --format csv");
    cr_assert_eq(rc, 0);
    cr_expect(strstr(out, "DUPONT,Jeanne Dupont,customer,411000,,30,1,jeanne@example.fr,FR76"),
              "set lost a field:\n%s", out);
    cr_expect(strstr(out, "BETA,Beta,group,451000"), "no group entity:\n%s", out);

    uint8_t before[32];
    h_digest(&h, before);
    rc = h_cli(&h, K_ALPHA, NULL, 0,
               "third-parties add --tenant alpha DUPONT --name Autre --collective 411000");
    h_cli_err(&h, err, sizeof err);
    cr_expect_neq(rc, 0);
    cr_expect(strstr(err, "447 third_party_exists"), "%s", err);
    rc = h_cli(&h, K_ALPHA, NULL, 0,
               "third-parties add --tenant alpha EDF --name EDF --collective 401000 --siret 552081318");
    h_cli_err(&h, err, sizeof err);
    cr_expect_neq(rc, 0);
    cr_expect(strstr(err, "445 bad_third_party") && strstr(err, "siret"), "%s", err);
    rc = h_cli(&h, K_ALPHA, NULL, 0, "third-parties show --tenant alpha NOBODY");
    h_cli_err(&h, err, sizeof err);
    cr_expect_neq(rc, 0);
    cr_expect(strstr(err, "965 no_third_party"), "%s", err);
    digest_unchanged(before, "refused third-parties commands");
}

Test(third_parties_cli, import_checks_every_row_first_and_names_the_bad_line)
{
    char path[400], out[8192], err[4096];
    write_file("bad.csv",
               "code;name;kind;collective;siret;iban\n"
               "EDF;EDF Entreprises;supplier;401000;552081317;\n"
               "\"MAIRIE\";\"Mairie de Lyon; service \"\"culture\"\"\";funder;411000;;\n"
               "DUPONT;Jeanne Dupont;user;411000;;FR7630006000011234567890188\n",
               path, sizeof path);
    uint8_t before[32];
    h_digest(&h, before);
    int rc = h_cli(&h, K_ACCOUNTANT, NULL, 0, "third-parties import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_expect_neq(rc, 0);
    cr_expect(strstr(err, "bad.csv:4: iban") && strstr(err, "964 third_party_csv"), "%s", err);
    digest_unchanged(before, "an import with a bad row");

    write_file("good.csv",
               "code,name,kind,collective,terms_days\n"
               "EDF,EDF Entreprises,supplier,401000,45\n"
               "\"MAIRIE\",\"Mairie de Lyon, service \"\"culture\"\"\",funder,411000,0\n",
               path, sizeof path);
    rc = h_cli(&h, K_ACCOUNTANT, NULL, 0, "third-parties import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(err, "2 third parties read, 2 recorded"), "%s", err);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "third-parties list --tenant alpha --format json");
    cr_assert_eq(rc, 0);
    cr_expect(strstr(out, "Mairie de Lyon, service \\\"culture\\\""), "%s", out);
    cr_expect(strstr(out, "\"terms_days\": 45") || strstr(out, "\"terms_days\":45"), "%s", out);
}
