/*
 * tests/integration/test_bank_dedup.c — issue 18, a movement is stored
 * once whatever the files it comes from (PROTOCOL.md §5.37 step 7): the
 * day index (bank_index tag 6) counts the lines of each (day, amount,
 * label); a CSV export (no bank reference) then the CAMT.053 of the same
 * days (with references) adds only what the CSV lacked, and the reverse;
 * a line of another label is never taken for another one (never lost).
 * The offline verifier re-derives every decision (the archive verifies).
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000"};
    h_open_accounts(&h, "alpha", accounts, 1);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bank_dedup, .init = setup, .fini = teardown, .timeout = 240);

/* January as the bank's CSV export gives it: no reference, two identical
 * fees on the 10th. */
static void csv(gl_bank_statement *s)
{
    bk_statement(s, "", 3);
    bk_line(&s->lines[0], 20260105, 25000, "VIR COTISATIONS", NULL);
    bk_line(&s->lines[1], 20260110, -550, "FRAIS TENUE DE COMPTE", NULL);
    bk_line(&s->lines[2], 20260110, -550, "FRAIS TENUE DE COMPTE", NULL);
}

/* The same days as the CAMT.053 gives them (references), and the 20th. */
static void camt(gl_bank_statement *s)
{
    bk_statement(s, IBAN_A, 4);
    bk_line(&s->lines[0], 20260105, 25000, "VIR COTISATIONS", "R1");
    bk_line(&s->lines[1], 20260110, -550, "FRAIS TENUE DE COMPTE", "R2");
    bk_line(&s->lines[2], 20260110, -550, "FRAIS TENUE DE COMPTE", "R3");
    bk_line(&s->lines[3], 20260120, -2000, "CHQ 1234", "R4");
}

/* Import s as a file of format: the lines added, *already the others. */
static uint32_t import_as(gl_bank_statement *s, gl_bank_format format, uint32_t *already)
{
    static const uint8_t sha[32] = {9};
    gl_bank_import_result r;
    cr_assert_eq(
        gl_client_bank_import(h_client(&h, K_ACCOUNTANT), "alpha", "512000", s, format, sha, &r),
        GL_OK, "%s", r.detail);
    *already = r.already;
    return r.added;
}

static uint32_t import(gl_bank_statement *s, uint32_t *already)
{
    return import_as(s, GL_BANK_FORMAT_CAMT053, already);
}

static uint32_t stored(void)
{
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_ACCOUNTANT, "alpha", "512000", 0, 0, NULL, 0, &n), GL_OK);
    return n;
}

/* The offline verifier agrees with every line stored or skipped. */
static void archive_verifies(void)
{
    char path[400], out[4096];
    snprintf(path, sizeof path, "%s/dedup.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

Test(bank_dedup, a_csv_then_the_camt_of_the_same_days_stores_each_movement_once)
{
    gl_bank_statement a, b;
    csv(&a);
    camt(&b);
    uint32_t already;
    cr_expect_eq(import(&a, &already), 3);
    cr_expect_eq(import(&b, &already), 1, "only the 20th is new");
    cr_expect_eq(already, 3, "the CSV's three lines recognised by day, amount and label");
    cr_expect_eq(stored(), 4);
    cr_expect_eq(import(&b, &already), 0, "the CAMT again: its references are known now");
    cr_expect_eq(already, 4);
    cr_expect_eq(import(&a, &already), 0, "the CSV again");
    cr_expect_eq(stored(), 4);
    archive_verifies();
    free(a.lines);
    free(b.lines);
}

Test(bank_dedup, the_camt_then_a_csv_of_the_same_days_stores_each_movement_once)
{
    gl_bank_statement a, b;
    camt(&b);
    csv(&a);
    uint32_t already;
    cr_expect_eq(import(&b, &already), 4);
    cr_expect_eq(import(&a, &already), 0);
    cr_expect_eq(already, 3);
    /* a later CSV of the 10th with a third identical fee: one more movement */
    gl_bank_statement c;
    bk_statement(&c, "", 3);
    for (int i = 0; i < 3; i++)
        bk_line(&c.lines[i], 20260110, -550, "FRAIS TENUE DE COMPTE", NULL);
    cr_expect_eq(import(&c, &already), 1);
    cr_expect_eq(already, 2);
    cr_expect_eq(stored(), 5);
    archive_verifies();
    free(a.lines);
    free(b.lines);
    free(c.lines);
}

Test(bank_dedup, a_reference_recognises_only_lines_no_reference_covers_yet)
{
    gl_bank_statement a, b;
    bk_statement(&a, "", 1);
    bk_line(&a.lines[0], 20260301, -500, "FRAIS", NULL);
    uint32_t already;
    cr_expect_eq(import(&a, &already), 1);
    /* two fees of that day in the CAMT: one is the CSV's, the other new */
    bk_statement(&b, IBAN_A, 2);
    bk_line(&b.lines[0], 20260301, -500, "FRAIS", "F1");
    bk_line(&b.lines[1], 20260301, -500, "FRAIS", "F2");
    cr_expect_eq(import(&b, &already), 1);
    cr_expect_eq(already, 1);
    /* a third reference of that day and amount: nothing left to recognise */
    gl_bank_statement c;
    bk_statement(&c, IBAN_A, 1);
    bk_line(&c.lines[0], 20260301, -500, "FRAIS", "F3");
    cr_expect_eq(import(&c, &already), 1);
    cr_expect_eq(stored(), 3);
    archive_verifies();
    free(a.lines);
    free(b.lines);
    free(c.lines);
}

Test(bank_dedup, a_line_of_another_label_or_amount_or_day_is_never_taken_for_one)
{
    gl_bank_statement a, b;
    bk_statement(&a, "", 1);
    bk_line(&a.lines[0], 20260401, -500, "FRAIS", NULL);
    uint32_t already;
    cr_expect_eq(import(&a, &already), 1);
    bk_statement(&b, IBAN_A, 4);
    bk_line(&b.lines[0], 20260401, -500, "FRAIS BANCAIRES", "G1");
    bk_line(&b.lines[1], 20260401, -501, "FRAIS", "G2");
    bk_line(&b.lines[2], 20260402, -500, "FRAIS", "G3");
    bk_line(&b.lines[3], 20260401, 500, "FRAIS", "G4");
    cr_expect_eq(import(&b, &already), 4, "kept: a line is never lost on a guess");
    cr_expect_eq(already, 0);
    archive_verifies();
    free(a.lines);
    free(b.lines);
}

/* An OFX file's FITIDs are not a CAMT.053's references: the CAMT of the
 * same days recognises the OFX's lines by day, amount and label, once. */
Test(bank_dedup, an_ofx_then_the_camt_of_the_same_days_stores_each_movement_once)
{
    gl_bank_statement o, c;
    bk_statement(&o, IBAN_A, 2);
    bk_line(&o.lines[0], 20260105, 25000, "VIR COTISATIONS", "20260105001");
    bk_line(&o.lines[1], 20260110, -550, "FRAIS TENUE DE COMPTE", "20260110001");
    camt(&c);
    uint32_t already;
    cr_expect_eq(import_as(&o, GL_BANK_FORMAT_OFX, &already), 2);
    cr_expect_eq(import_as(&c, GL_BANK_FORMAT_CAMT053, &already), 2,
                 "the second fee of the 10th and the 20th are new");
    cr_expect_eq(already, 2);
    cr_expect_eq(import_as(&c, GL_BANK_FORMAT_CAMT053, &already), 0, "the CAMT again");
    cr_expect_eq(import_as(&o, GL_BANK_FORMAT_OFX, &already), 0, "the OFX again");
    cr_expect_eq(stored(), 4);
    archive_verifies();
    free(o.lines);
    free(c.lines);
}

/* Within one format a new reference is a new movement, even of the same
 * day, amount and label as a stored one. */
Test(bank_dedup, a_new_reference_of_the_same_format_is_a_new_movement)
{
    gl_bank_statement a, b;
    bk_statement(&a, IBAN_A, 1);
    bk_line(&a.lines[0], 20260601, -1200, "COTISATION CARTE", "C1");
    bk_statement(&b, IBAN_A, 1);
    bk_line(&b.lines[0], 20260601, -1200, "COTISATION CARTE", "C2");
    uint32_t already;
    cr_expect_eq(import(&a, &already), 1);
    cr_expect_eq(import(&b, &already), 1, "a second card fee that day");
    cr_expect_eq(stored(), 2);
    archive_verifies();
    free(a.lines);
    free(b.lines);
}

static bool count_day_keys(const uint8_t *k, size_t k_len, const uint8_t *v, size_t v_len,
                           void *user)
{
    (void)v;
    if (k_len == 4 + GL_ACCOUNT_MAX + 1 + 4 + 8 + 8 && k[4 + GL_ACCOUNT_MAX] == 6) {
        uint32_t *n = user;
        n[0]++;
        n[1] += v_len == 4 + 4 * (GL_BANK_FORMAT_MAX_ + 1) ? gl_rd32(v) : 1000000;
    }
    return true;
}

/* The reviewer's case: a thousand lines without reference on one day, one
 * lookup each (the day index), never a scan of the day per line. */
Test(bank_dedup, many_identical_lines_of_one_day_are_counted_in_the_day_index)
{
    gl_bank_statement a;
    bk_statement(&a, "", 1000);
    for (int i = 0; i < 1000; i++)
        bk_line(&a.lines[i], 20260501, i < 999 ? -100 : -200, "CB CARTE", NULL);
    uint32_t already;
    cr_expect_eq(import(&a, &already), 1000);
    cr_expect_eq(import(&a, &already), 0);
    cr_expect_eq(already, 1000);
    uint32_t n[2] = {0, 0};
    h_db_each(&h, "bank_index", count_day_keys, n);
    cr_expect_eq(n[0], 2, "one key per (day, amount, label)");
    cr_expect_eq(n[1], 1000, "the lines stored, counted");
    archive_verifies();
    free(a.lines);
}

/* A thousand different lines of one day: one key each, every line found
 * again on a second import (the request's table holds them all). */
Test(bank_dedup, a_thousand_different_lines_of_one_day_are_each_found_again)
{
    gl_bank_statement a;
    bk_statement(&a, "", 1000);
    for (int i = 0; i < 1000; i++) {
        char label[32];
        snprintf(label, sizeof label, "CB MAGASIN %d", i);
        bk_line(&a.lines[i], 20260502, -(100 + i % 7), label, NULL);
    }
    uint32_t already;
    cr_expect_eq(import(&a, &already), 1000);
    cr_expect_eq(import(&a, &already), 0);
    cr_expect_eq(already, 1000);
    uint32_t n[2] = {0, 0};
    h_db_each(&h, "bank_index", count_day_keys, n);
    cr_expect_eq(n[0], 1000);
    cr_expect_eq(n[1], 1000);
    archive_verifies();
    free(a.lines);
}
