/*
 * tests/integration/test_lang_cli.c — "read it easily" (issue 14) through
 * the real `grandlivre` against a real daemon: French by default under a
 * French locale (whether or not fr_FR.UTF-8 is generated on the machine),
 * English otherwise, --lang and the profile's lang to choose; French
 * headers, titles and messages (gettext), dates 31/03/2025 and amounts
 * 1 234,56 in tables; CSV and JSON locale-independent; csv-fr read back by
 * Python's csv module; tables within 100 columns, --wide showing a label
 * whole; a pseudo-terminal session whose transcript is kept under
 * build/test-output/lang/.  Every refusal checks the digest is unchanged.
 */
#include "client/output/output.h"
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>

static harness h;

static const char long_label[] =
    "Fournitures de bureau et matériel pédagogique pour l'atelier d'été des bénévoles, "
    "commande groupée avec l'association voisine";

static void setup(void)
{
    h_setup(&h);
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0,
                       "post --tenant alpha --date 2025-03-31 --journal AC --piece F-031 "
                       "--label \"%s\" --debit 606400=1234,56 --credit 401000:FOURN01=1234,56",
                       long_label),
                 0);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0,
                       "post --tenant alpha --date 2025-04-15 --journal BQ --piece 'V-7; avril' "
                       "--label 'Règlement F-031' --debit 401000:FOURN01=1234,56 "
                       "--credit 512000=1234,56"),
                 0);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(lang_cli, .init = setup, .fini = teardown, .timeout = 120);

/* Run `env ENV grandlivre ARGS` against the harness's daemon with key k
 * (GRANDLIVRE_LANG, which the harness sets to en, removed first: env may
 * set it or a locale), stdout into out, stderr into err (may be NULL).
 * Returns the exit status. */
static int run(enum h_key k, const char *env, const char *args, char *out, size_t out_len,
               char *err, size_t err_len)
{
    char cmd[4096], server_key[65], err_path[400];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(err_path, sizeof err_path, "%s/lang.err", h.dir);
    snprintf(cmd, sizeof cmd,
             "env -u GRANDLIVRE_LANG -u LANGUAGE -u LC_ALL -u LC_MESSAGES XDG_CONFIG_HOME='%s' "
             "GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' GRANDLIVRE_SERVER_KEY='%s' %s "
             "'%s/grandlivre' %s </dev/null 2>'%s'",
             h.dir, h.endpoint, h.key_path[k], server_key, env, h_build_dir(), args, err_path);
    FILE *p = popen(cmd, "r");
    cr_assert(p);
    size_t n = fread(out, 1, out_len - 1, p);
    out[n] = '\0';
    int status = pclose(p);
    if (err) {
        FILE *f = fopen(err_path, "r");
        n = f ? fread(err, 1, err_len - 1, f) : 0;
        err[n] = '\0';
        if (f)
            fclose(f);
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* The widest line of s in display columns (s is cut into lines). */
static size_t widest_line(char *s)
{
    size_t widest = 0;
    for (char *line = strtok(s, "\n"); line; line = strtok(NULL, "\n")) {
        size_t w = out_display_width(line);
        if (w > widest)
            widest = w;
    }
    return widest;
}

Test(lang_cli, french_locale_gives_french_tables_titles_dates_and_amounts)
{
    char out[16384];
    /* fr_FR.UTF-8 may not be generated here: French all the same */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8", "balance --tenant alpha --at 2025-12-31", out,
                     sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Balance générale — alpha — exercice 2025, du 01/01/2025 au 31/12/2025"),
              "%s", out);
    cr_assert(strstr(out, "compte") && strstr(out, "libellé") && strstr(out, "débit") &&
                  strstr(out, "crédit") && strstr(out, "solde"),
              "%s", out);
    cr_assert(strstr(out, "1 234,56"), "%s", out);

    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "journal --tenant alpha --from 2025-01-01 --to 2025-12-31", out, sizeof out,
                     NULL, 0),
                 0);
    cr_assert(strstr(out, "réf") && strstr(out, "2025/1:2") && strstr(out, "pièce") &&
                  strstr(out, "31/03/2025") && strstr(out, "15/04/2025") && strstr(out, "1 234,56"),
              "%s", out);
    cr_assert(!strstr(out, "2025-03-31"), "%s", out);

    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "ledger --tenant alpha --account 401000 --from 2025-01-01 --to 2025-12-31",
                     out, sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Grand livre — alpha — compte 401000"), "%s", out);
    cr_assert(strstr(out, "31/03/2025") && strstr(out, "-1 234,56"), "%s", out);

    cr_assert_eq(
        run(K_ALPHA, "LANG=fr_FR.UTF-8", "entry --tenant alpha 2025/1", out, sizeof out, NULL, 0),
        0);
    cr_assert(strstr(out, "alpha 2025/1  31/03/2025  journal AC  pièce F-031 (31/03/2025)"), "%s",
              out);
}

Test(lang_cli, english_otherwise_and_lang_chooses)
{
    char out[16384];
    /* an English or C locale: English, ISO dates, dot decimals */
    static const char *const english[] = {"LANG=en_US.UTF-8", "LANG=C.UTF-8", "LANG=C", ""};
    for (size_t i = 0; i < sizeof english / sizeof english[0]; i++) {
        cr_assert_eq(run(K_ALPHA, english[i], "balance --tenant alpha --at 2025-12-31", out,
                         sizeof out, NULL, 0),
                     0);
        cr_assert(strstr(out, "Trial balance — alpha — fiscal year 2025, 2025-01-01 to 2025-12-31"),
                  "%s: %s", english[i], out);
        cr_assert(strstr(out, "account") && strstr(out, "1234.56"), "%s: %s", english[i], out);
    }
    /* --lang wins over the locale, both ways */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "balance --tenant alpha --at 2025-12-31 --lang en", out, sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Trial balance") && strstr(out, "1234.56"), "%s", out);
    cr_assert_eq(run(K_ALPHA, "LANG=C", "--lang fr balance --tenant alpha --at 2025-12-31", out,
                     sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Balance générale") && strstr(out, "1 234,56"), "%s", out);
    /* the profile's lang, under GRANDLIVRE_LANG and --lang */
    char dir[400], path[450];
    snprintf(dir, sizeof dir, "%s/grandlivre", h.dir);
    mkdir(dir, 0700);
    snprintf(path, sizeof path, "%s/config", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs("[default]\nlang = fr\n", f);
    fclose(f);
    cr_assert_eq(
        run(K_ALPHA, "LANG=C", "balance --tenant alpha --at 2025-12-31", out, sizeof out, NULL, 0),
        0);
    cr_assert(strstr(out, "Balance générale"), "the profile's lang: %s", out);
    cr_assert_eq(run(K_ALPHA, "LANG=C GRANDLIVRE_LANG=en", "balance --tenant alpha --at 2025-12-31",
                     out, sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Trial balance"), "the environment over the file: %s", out);
    cr_assert_eq(run(K_ALPHA, "LANG=C GRANDLIVRE_LANG=en",
                     "balance --tenant alpha --at 2025-12-31 --lang fr", out, sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "Balance générale"), "the flag over the environment: %s", out);
    /* a language we do not have: one line, usage error */
    char err[2048];
    cr_assert_eq(
        run(K_ALPHA, "", "balance --tenant alpha --lang de", out, sizeof out, err, sizeof err), 2);
    cr_assert(strstr(err, "--lang takes fr, en or auto, not 'de'"), "%s", err);
}

Test(lang_cli, refusals_are_in_french_and_change_nothing)
{
    char out[4096], err[4096];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* the daemon's refusal: its status message translated */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "post --tenant alpha --date 2025-05-02 --journal AC --piece F-1 --label Test "
                     "--debit 606999=10 --credit 401000=10",
                     out, sizeof out, err, sizeof err),
                 1, "%s", err);
    cr_assert(
        strstr(err, "le compte n'est pas ouvert dans le plan de comptes de cette association"),
        "%s", err);
    cr_assert(strstr(err, "erreur"), "%s", err);
    /* the client's own: a bad date, a reversed range */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8", "journal --tenant alpha --from 2025-02-30", out,
                     sizeof out, err, sizeof err),
                 2);
    cr_assert(strstr(err, "erreur 969 bad_date_text : 2025-02-30 : ce jour n'existe pas"), "%s",
              err);
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "journal --tenant alpha --from 2025-03-01 --to 2025-02-01", out, sizeof out,
                     err, sizeof err),
                 2);
    cr_assert(strstr(err, "du 2025-03-01 au 2025-02-01 ne contient aucun jour"), "%s", err);
    /* a mistake among the options, before --lang was parsed: French all the same */
    cr_assert_eq(
        run(K_ALPHA, "LANG=C", "balance --timeout 0 --lang fr", out, sizeof out, err, sizeof err),
        2);
    cr_assert(strstr(err, "--timeout prend un nombre entier de secondes"), "%s", err);
    /* no such tenant: refused by the daemon */
    cr_assert_eq(run(K_ACCOUNTANT, "LANG=fr_FR.UTF-8", "balance --tenant nosuch", out, sizeof out,
                     err, sizeof err),
                 1);
    cr_assert(strstr(err, "refusé : erreur") && strstr(err, "association inconnue"), "%s", err);
    /* in English the same refusal stays English */
    cr_assert_eq(
        run(K_ACCOUNTANT, "LANG=C", "balance --tenant nosuch", out, sizeof out, err, sizeof err),
        1);
    cr_assert(strstr(err, "refused: error") && strstr(err, "no such tenant"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refusal changed the ledger");
}

Test(lang_cli, csv_and_json_stay_locale_independent_and_csv_fr_reads_back)
{
    char out[16384], cmd[2048], path[400];
    /* CSV under French: English headers, dot decimals, ISO dates, no BOM */
    snprintf(path, sizeof path, "%s/journal.csv", h.dir);
    snprintf(cmd, sizeof cmd,
             "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --format csv >'%s'", path);
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8", cmd, out, sizeof out, NULL, 0), 0);
    snprintf(cmd, sizeof cmd, "python3 '%s/../tests/support/csv_read.py' '%s' csv", h_build_dir(),
             path);
    FILE *p = popen(cmd, "r");
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    cr_assert(strstr(out,
                     "[\"entry\", \"date\", \"journal\", \"piece\", \"account\", \"aux\", "
                     "\"label\", \"debit\", \"credit\", \"ref\"]"),
              "%s", out);
    cr_assert(strstr(out, "\"2025-03-31\"") && strstr(out, "\"1234.56\""), "%s", out);
    cr_assert(strstr(out, long_label), "CSV is never cut: %s", out);

    /* csv-fr: BOM, ';', decimal comma; a piece holding ';' comes back whole */
    snprintf(path, sizeof path, "%s/journal-fr.csv", h.dir);
    snprintf(cmd, sizeof cmd,
             "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --format csv-fr >'%s'",
             path);
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8", cmd, out, sizeof out, NULL, 0), 0);
    snprintf(cmd, sizeof cmd, "python3 '%s/../tests/support/csv_read.py' '%s' csv-fr",
             h_build_dir(), path);
    p = popen(cmd, "r");
    n = fread(out, 1, sizeof out - 1, p);
    out[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", out);
    cr_assert(strstr(out, "[\"écriture\", \"date\", \"journal\", \"pièce\", \"compte\""), "%s",
              out);
    cr_assert(strstr(out, "\"1234,56\"") && strstr(out, "\"V-7; avril\""), "%s", out);
    cr_assert(strstr(out, long_label), "%s", out);

    /* JSON under French: English keys, integer cents, ISO dates */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --format json", out,
                     sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, "\"date\": \"2025-03-31\"") && strstr(out, "\"debit\": 123456") &&
                  strstr(out, "\"label\": "),
              "%s", out);
}

Test(lang_cli, tables_fit_100_columns_and_wide_shows_a_label_whole)
{
    static const char *const commands[] = {
        "journal --tenant alpha --from 2025-01-01 --to 2025-12-31",
        "ledger --tenant alpha --account 401000 --from 2025-01-01 --to 2025-12-31",
        "ledger --tenant alpha --account 606400 --from 2025-01-01 --to 2025-12-31",
        "balance --tenant alpha --at 2025-12-31",
        "balance --tenant alpha --at 2025-12-31 --aux",
        "entry --tenant alpha 2025/1",
        "periods --tenant alpha",
    };
    static const char *const langs[] = {"LANG=C", "LANG=fr_FR.UTF-8"};
    char out[16384];
    for (size_t l = 0; l < 2; l++)
        for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++) {
            cr_assert_eq(run(K_ALPHA, langs[l], commands[i], out, sizeof out, NULL, 0), 0, "%s",
                         commands[i]);
            bool cut = strstr(out, "…") != NULL;
            size_t w = widest_line(out);
            cr_assert(w <= 100, "%s %s: %zu columns", langs[l], commands[i], w);
            if (i == 0)
                cr_assert(cut, "the journal's long label is cut");
        }
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "journal --tenant alpha --from 2025-01-01 --to 2025-12-31 --wide", out,
                     sizeof out, NULL, 0),
                 0);
    cr_assert(strstr(out, long_label), "--wide: %s", out);
    cr_assert(widest_line(out) > 100);
}

Test(lang_cli, a_terminal_session_shows_the_french_table)
{
    char dir[512], transcript[600], cmd[4096], server_key[65];
    snprintf(dir, sizeof dir, "%s/test-output/lang", h_build_dir());
    char parent[512];
    snprintf(parent, sizeof parent, "%s/test-output", h_build_dir());
    mkdir(parent, 0755);
    mkdir(dir, 0755);
    snprintf(transcript, sizeof transcript, "%s/terminal-journal-fr.txt", dir);
    gl_hex(h.server_pk, 32, server_key);
    /* an 90-column terminal: the table takes its width, not 100 */
    snprintf(cmd, sizeof cmd,
             "env -u GRANDLIVRE_LANG -u LANGUAGE -u LC_ALL -u LC_MESSAGES LANG=fr_FR.UTF-8 "
             "XDG_CONFIG_HOME='%s' GRANDLIVRE_ENDPOINT='%s' GRANDLIVRE_KEY='%s' "
             "GRANDLIVRE_SERVER_KEY='%s' python3 '%s/../tests/support/pty_run.py' 90 '%s' "
             "'%s/grandlivre' journal --tenant alpha --from 2025-01-01 --to 2025-12-31",
             h.dir, h.endpoint, h.key_path[K_ALPHA], server_key, h_build_dir(), transcript,
             h_build_dir());
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    FILE *f = fopen(transcript, "r");
    cr_assert(f, "%s", transcript);
    char out[16384];
    size_t n = fread(out, 1, sizeof out - 1, f);
    out[n] = '\0';
    fclose(f);
    cr_assert(strstr(out, "réf") && strstr(out, "libellé") && strstr(out, "31/03/2025") &&
                  strstr(out, "1 234,56") && strstr(out, "…"),
              "%s", out);
    size_t w = widest_line(out);
    cr_assert(w <= 90 && w > 80, "%zu columns on a 90-column terminal", w);
}

Test(lang_cli, whoami_and_a_replayed_post_speak_french)
{
    char out[8192], err[4096];
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8", "whoami", out, sizeof out, err, sizeof err), 0,
                 "%s", err);
    cr_assert(strstr(out, "rôle :      membre de alpha") && strstr(out, "horloge :   démon"), "%s",
              out);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    /* the same receipt again: nothing written, said in French */
    cr_assert_eq(run(K_ALPHA, "LANG=fr_FR.UTF-8",
                     "post --tenant alpha --date 2025-04-15 --journal BQ --piece 'V-7; avril' "
                     "--label 'Règlement F-031' --debit 401000:FOURN01=1234,56 "
                     "--credit 512000=1234,56",
                     out, sizeof out, err, sizeof err),
                 0, "%s", err);
    cr_assert(strstr(err,
                     "écriture 1 : déjà enregistrée sous 2025/2 (--new pour l'enregistrer de "
                     "nouveau)"),
              "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a replay wrote something");
}
