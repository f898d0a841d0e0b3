/*
 * tests/unit/test_bank_persons_mask.c — client/bank/persons_mask.c: a
 * natural person of the registry named as a bank line's counterparty (in
 * either order, any case, with or without accents) or known by the
 * counterparty IBAN becomes `@CODE` with the IBAN cleared, and the name in
 * the label becomes `@CODE` too; a name inside another word, another
 * person, a sealed (forgotten) record and a legal person are left as they
 * are.
 */
#include "client/bank/persons_mask.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

#define IBAN_P "FR7630006000011234567890189"

static gl_persons persons;

static void add(const char *code, const char *name, const char *iban)
{
    cr_assert_eq(
        gl_persons_add(&persons, code, strlen(code), name, strlen(name), iban, strlen(iban)), 0);
}

static void setup(void)
{
    memset(&persons, 0, sizeof persons);
    add("DUPONTM", "Marie Dupont", IBAN_P);
    add("LEFEVRE", "Hélène Lefèvre", "");
}
static void teardown(void) { gl_persons_free(&persons); }

TestSuite(bank_persons_mask, .init = setup, .fini = teardown);

static gl_bank_line line(const char *party, const char *iban, const char *label)
{
    gl_bank_line l;
    memset(&l, 0, sizeof l);
    l.booking_date = 20260105;
    l.amount_cents = 2500;
    snprintf(l.counterparty, sizeof l.counterparty, "%s", party);
    snprintf(l.counterparty_iban, sizeof l.counterparty_iban, "%s", iban);
    snprintf(l.label, sizeof l.label, "%s", label);
    return l;
}

Test(bank_persons_mask, the_name_in_either_order_any_case_becomes_the_code)
{
    static const char *const forms[] = {"Marie Dupont", "DUPONT MARIE", "dupont marie",
                                        "M. DUPONT MARIE", "MME MARIE DUPONT"};
    for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
        gl_bank_line l = line(forms[i], "", "VIR SEPA COTISATION 2026");
        cr_assert(gl_persons_mask_line(&persons, &l), "%s", forms[i]);
        cr_expect_str_eq(l.counterparty, "@DUPONTM", "%s", forms[i]);
        cr_expect_str_eq(l.label, "VIR SEPA COTISATION 2026");
    }
}

Test(bank_persons_mask, accents_are_folded_both_ways)
{
    gl_bank_line l = line("LEFEVRE HELENE", "", "VIR DE HÉLÈNE LEFÈVRE DON");
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "@LEFEVRE");
    cr_expect_str_eq(l.label, "VIR DE @LEFEVRE DON");
}

Test(bank_persons_mask, the_iban_alone_names_the_person_and_is_cleared)
{
    gl_bank_line l = line("M OU MME D", "FR76 3000 6000 0112 3456 7890 189", "VIR COTIS");
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "@DUPONTM");
    cr_expect_str_eq(l.counterparty_iban, "");
    cr_expect_str_eq(l.label, "VIR COTIS");
}

Test(bank_persons_mask, the_name_in_the_label_is_replaced_wherever_it_is)
{
    gl_bank_line l =
        line("DUPONT MARIE", IBAN_P, "VIR DUPONT MARIE COTISATION DE MARIE-DUPONT FIN");
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "@DUPONTM");
    cr_expect_str_eq(l.counterparty_iban, "");
    cr_expect_str_eq(l.label, "VIR @DUPONTM COTISATION DE @DUPONTM FIN");
    cr_expect(!strstr(l.label, "DUPONT "));
}

Test(bank_persons_mask, a_name_inside_another_word_is_not_matched)
{
    gl_bank_line l = line("DUPONTEL MARIETTE", "FR1420041010050500013M02606",
                          "VIR MARIEDUPONT SARL MARIE DUPONTIER");
    cr_expect_not(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "DUPONTEL MARIETTE");
    cr_expect_str_eq(l.counterparty_iban, "FR1420041010050500013M02606");
    cr_expect_str_eq(l.label, "VIR MARIEDUPONT SARL MARIE DUPONTIER");
}

Test(bank_persons_mask, half_a_name_is_not_the_person)
{
    gl_bank_line l = line("MARIE", "", "DUPONT TRAVAUX");
    cr_expect_not(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "MARIE");
    cr_expect_str_eq(l.label, "DUPONT TRAVAUX");
}

Test(bank_persons_mask, a_three_word_name_in_any_rotation_before_a_shorter_one)
{
    add("MARTINJP", "Jean-Pierre Martin", "");
    add("MARTINP", "Pierre Martin", "");
    gl_bank_line l = line("MARTIN JEAN PIERRE", "", "CHQ PIERRE MARTIN ET JEAN PIERRE MARTIN");
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.counterparty, "@MARTINJP");
    cr_expect_str_eq(l.label, "CHQ @MARTINP ET @MARTINJP");
}

Test(bank_persons_mask, a_code_written_is_never_matched_again)
{
    add("MARIE", "Marie", "");
    add("DUPONT", "Dupont", "");
    gl_bank_line l = line("", "", "VIR @MARIE-DUPONT MARIE");
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_str_eq(l.label, "VIR @MARIE-DUPONT @MARIE");
}

Test(bank_persons_mask, a_longer_label_is_cut_at_a_character_boundary)
{
    add("UNCODEDEVINGTLETTRES", "Li An", "");
    char label[GL_BANK_LABEL_MAX + 1];
    memset(label, 'e', sizeof label);
    memcpy(label, "LI AN ", 6);
    memcpy(label + 123, "é", 2); /* 16 bytes later: across the 140th */
    label[GL_BANK_LABEL_MAX] = '\0';
    gl_bank_line l = line("", "", label);
    cr_assert(gl_persons_mask_line(&persons, &l));
    cr_expect_eq(strlen(l.label), GL_BANK_LABEL_MAX - 1); /* the é would not fit whole */
    cr_expect(!strncmp(l.label, "@UNCODEDEVINGTLETTRES eee", 25), "%s", l.label);
}

Test(bank_persons_mask, only_opened_natural_persons_are_taken_from_the_registry)
{
    gl_persons p = {0};
    gl_third_party r;
    memset(&r, 0, sizeof r);
    r.code = (gl_str){"ASSO", 4};
    r.name = (gl_str){"Paul Durand", 11};
    cr_assert_eq(gl_persons_add_record(&p, &r), 0);
    cr_expect_eq(p.n, 0, "a legal person is not masked");
    r.flags = GL_TP_NATURAL_PERSON | GL_TP_SEALED;
    cr_assert_eq(gl_persons_add_record(&p, &r), 0);
    cr_expect_eq(p.n, 0, "a sealed record has no name to match");
    r.flags = GL_TP_NATURAL_PERSON;
    cr_assert_eq(gl_persons_add_record(&p, &r), 0);
    cr_assert_eq(p.n, 1);
    gl_bank_statement s = {0};
    gl_bank_line lines[2] = {line("DURAND PAUL", "", "X"), line("AUTRE", "", "Y")};
    s.lines = lines;
    s.n_lines = 2;
    cr_expect_eq(gl_persons_mask_statement(&p, &s), 1);
    cr_expect_str_eq(lines[0].counterparty, "@ASSO");
    cr_expect_str_eq(lines[1].counterparty, "AUTRE");
    gl_persons_free(&p);
}
