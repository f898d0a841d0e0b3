/*
 * tests/unit/test_bank_match_engine.c — client/bank/match_engine.c: the
 * proposals of `bank match` (REFERENCE, EXACT, GROUP; sure or not; the
 * date window; signs; a deposit of three cheques; a payroll batch), then
 * properties over random lines with a fixed seed (no line twice, every
 * proposal balanced, the same proposals whatever the input's order), the
 * time of a year's lines (printed, never asserted), and the rules' entries
 * (the first rule that applies, only the lines no proposal covers).
 */
#include "client/bank/match.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_recon_bank bk(uint32_t seq, uint32_t date, int64_t cents, const char *label,
                        const char *ref, const char *e2e)
{
    gl_recon_bank b = {0};
    b.seq = seq;
    b.line.booking = b.line.value = date;
    b.line.amount_cents = cents;
    b.line.label = S(label);
    b.line.bank_ref = S(ref);
    b.line.end_to_end = S(e2e);
    b.line.counterparty = S("");
    b.line.counterparty_iban = S("");
    return b;
}

static gl_recon_book bo(uint32_t num, uint32_t date, int64_t cents, const char *piece)
{
    gl_recon_book k = {0};
    k.ref = (gl_line_ref){2025, num, 1};
    k.date = date;
    k.amount_cents = cents;
    k.journal = S("BQ");
    k.piece = S(piece);
    k.label = S("ligne");
    return k;
}

static gl_match_prop *props;
static size_t nprops;

static void propose(const gl_recon_bank *b, size_t nb, const gl_recon_book *k, size_t nk,
                    uint32_t window, unsigned max_lines)
{
    free(props);
    gl_match_opts o = {window, max_lines};
    cr_assert_eq(gl_match_propose(b, nb, k, nk, &o, &props, &nprops), 0);
}

static void teardown(void)
{
    free(props);
    props = NULL;
    nprops = 0;
}

TestSuite(bank_match_engine, .fini = teardown);

Test(bank_match_engine, reference_cheque_number_in_label_outside_the_window)
{
    /* a cheque written on 5 December, cashed on 20 January: 46 days */
    gl_recon_bank b[] = {bk(1, 20260120, -12000, "CHEQUE N 0001234", "", "")};
    gl_recon_book k[] = {bo(7, 20251205, -12000, "1234"), bo(8, 20260119, -12000, "1235")};
    propose(b, 1, k, 2, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_REFERENCE);
    cr_assert(props[0].sure);
    cr_assert_eq(props[0].book[0], 0, "the cheque, not the nearer line of the same amount");
}

Test(bank_match_engine, reference_by_end_to_end_and_bank_ref_normalised)
{
    gl_recon_bank b[] = {bk(1, 20250310, 5000, "VIR SEPA", "", "f 031"),
                         bk(2, 20250311, -700, "PRLV", "ab0042", "")};
    gl_recon_book k[] = {bo(1, 20250101, 5000, "F031"), bo(2, 20250101, -700, "AB0042"),
                         bo(3, 20250310, 5000, "X")};
    propose(b, 2, k, 3, 10, 8);
    cr_assert_eq(nprops, 2);
    cr_assert_eq(props[0].why, GL_MATCH_REFERENCE);
    cr_assert_eq(props[0].book[0], 0);
    cr_assert_eq(props[1].why, GL_MATCH_REFERENCE);
    cr_assert_eq(props[1].book[0], 1);
}

Test(bank_match_engine, reference_needs_the_same_amount)
{
    gl_recon_bank b[] = {bk(1, 20250310, -12000, "CHQ 1234", "", "")};
    gl_recon_book k[] = {bo(1, 20250101, -12100, "1234")};
    propose(b, 1, k, 1, 10, 8);
    cr_assert_eq(nprops, 0);
}

Test(bank_match_engine, digits_of_a_label_without_cheque_are_no_reference)
{
    gl_recon_bank b[] = {bk(1, 20250310, -12000, "FACTURE 1234", "", "")};
    gl_recon_book k[] = {bo(1, 20250101, -12000, "1234")};
    propose(b, 1, k, 1, 10, 8);
    cr_assert_eq(nprops, 0);
}

Test(bank_match_engine, reference_two_candidates_not_sure)
{
    gl_recon_bank b[] = {bk(1, 20250310, -5000, "CHQ 0000077", "", "")};
    gl_recon_book k[] = {bo(1, 20250301, -5000, "077"), bo(2, 20250308, -5000, "77")};
    propose(b, 1, k, 2, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_REFERENCE);
    cr_assert_not(props[0].sure);
    cr_assert_eq(props[0].book[0], 1, "the nearest date");
}

Test(bank_match_engine, exact_alone_is_sure)
{
    gl_recon_bank b[] = {bk(1, 20250310, 4250, "VIR", "", "")};
    gl_recon_book k[] = {bo(1, 20250307, 4250, "")};
    propose(b, 1, k, 1, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_EXACT);
    cr_assert(props[0].sure);
    cr_assert_eq(props[0].nbank, 1);
    cr_assert_eq(props[0].nbook, 1);
}

Test(bank_match_engine, exact_several_candidates_nearest_not_sure)
{
    gl_recon_bank b[] = {bk(1, 20250310, 3000, "COTISATION", "", ""),
                         bk(2, 20250320, 3000, "COTISATION", "", "")};
    gl_recon_book k[] = {bo(1, 20250305, 3000, ""), bo(2, 20250309, 3000, ""),
                         bo(3, 20250319, 3000, "")};
    propose(b, 2, k, 3, 10, 8);
    cr_assert_eq(nprops, 2);
    cr_assert_eq(props[0].bank[0], 0);
    cr_assert_eq(props[0].book[0], 1);
    cr_assert_not(props[0].sure);
    cr_assert_eq(props[1].bank[0], 1);
    cr_assert_eq(props[1].book[0], 2);
    cr_assert_not(props[1].sure, "line 3 had two bank candidates as the pass began (9 and 1 days)");
}

Test(bank_match_engine, exact_a_ledger_line_two_bank_lines_want_is_not_sure)
{
    gl_recon_bank b[] = {bk(1, 20250310, 3000, "A", "", ""), bk(2, 20250312, 3000, "B", "", "")};
    gl_recon_book k[] = {bo(1, 20250311, 3000, "")};
    propose(b, 2, k, 1, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_not(props[0].sure);
}

Test(bank_match_engine, exact_window_bounds)
{
    gl_recon_bank b[] = {bk(1, 20250311, 4250, "VIR", "", "")};
    gl_recon_book k[] = {bo(1, 20250301, 4250, "")};
    propose(b, 1, k, 1, 10, 8);
    cr_assert_eq(nprops, 1, "10 days apart: within ±10");
    propose(b, 1, k, 1, 9, 8);
    cr_assert_eq(nprops, 0, "10 days apart: not within ±9");
    gl_recon_book later[] = {bo(1, 20250321, 4250, "")};
    propose(b, 1, later, 1, 10, 8);
    cr_assert_eq(nprops, 1, "the ledger may come after the bank");
    gl_recon_book same[] = {bo(1, 20250311, 4250, "")};
    propose(b, 1, same, 1, 0, 8);
    cr_assert_eq(nprops, 1, "window 0: the same day");
}

Test(bank_match_engine, window_across_months_and_years)
{
    gl_recon_bank b[] = {bk(1, 20260103, -9900, "PRLV", "", "")};
    gl_recon_book k[] = {bo(1, 20251227, -9900, "")};
    propose(b, 1, k, 1, 7, 8);
    cr_assert_eq(nprops, 1, "27 December to 3 January: 7 days");
    propose(b, 1, k, 1, 6, 8);
    cr_assert_eq(nprops, 0);
}

Test(bank_match_engine, signs_never_cross)
{
    gl_recon_bank b[] = {bk(1, 20250310, 10000, "VIR", "", ""),
                         bk(2, 20250310, -10000, "CHQ 55", "", "")};
    gl_recon_book k[] = {bo(1, 20250310, -10000, "X"), bo(2, 20250310, 10000, "55"),
                         bo(3, 20250310, -6000, ""), bo(4, 20250310, -4000, "")};
    propose(b, 1, k, 4, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].book[0], 1, "money in matches a debit of the bank account");
    propose(b + 1, 1, k + 1, 1, 10, 8);
    cr_assert_eq(nprops, 0, "a cheque paid out is not a receipt of the same number");
    propose(b, 1, k + 2, 2, 10, 8);
    cr_assert_eq(nprops, 0, "two payments do not add up to a receipt");
}

Test(bank_match_engine, deposit_of_three_cheques)
{
    gl_recon_bank b[] = {bk(1, 20250415, 35500, "REMISE CHEQUES 4 BORDEREAU 12", "", "")};
    gl_recon_book k[] = {bo(1, 20250410, 10000, "R1"),  bo(2, 20250411, 15000, "R2"),
                         bo(3, 20250412, 10500, "R3"),  bo(4, 20250412, 7000, "R4"),
                         bo(5, 20250412, -35500, "R5"), bo(6, 20250601, 500, "R6")};
    propose(b, 1, k, 6, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_GROUP);
    cr_assert(props[0].sure, "one subset only");
    cr_assert_eq(props[0].nbank, 1);
    cr_assert_eq(props[0].nbook, 3);
    cr_assert_eq(props[0].book[0], 0);
    cr_assert_eq(props[0].book[1], 1);
    cr_assert_eq(props[0].book[2], 2);
}

Test(bank_match_engine, deposit_with_two_subsets_is_not_sure)
{
    gl_recon_bank b[] = {bk(1, 20250415, 20000, "REMISE", "", "")};
    gl_recon_book k[] = {bo(1, 20250410, 10000, ""), bo(2, 20250411, 10000, ""),
                         bo(3, 20250412, 10000, "")};
    propose(b, 1, k, 3, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_GROUP);
    cr_assert_not(props[0].sure);
    cr_assert_eq(props[0].nbook, 2);
}

Test(bank_match_engine, payroll_batch_one_ledger_line_many_bank_lines)
{
    /* the salaries paid one by one by the bank, booked as one line */
    gl_recon_bank b[] = {bk(1, 20250428, -210000, "VIR SALAIRE A", "", ""),
                         bk(2, 20250428, -185050, "VIR SALAIRE B", "", ""),
                         bk(3, 20250428, -98075, "VIR SALAIRE C", "", ""),
                         bk(4, 20250428, 98075, "RETOUR", "", "")};
    gl_recon_book k[] = {bo(40, 20250427, -493125, "PAIE-04")};
    propose(b, 4, k, 1, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].why, GL_MATCH_GROUP);
    cr_assert(props[0].sure);
    cr_assert_eq(props[0].nbank, 3);
    cr_assert_eq(props[0].nbook, 1);
}

Test(bank_match_engine, payroll_batch_one_bank_line_many_ledger_lines)
{
    gl_recon_bank b[] = {bk(1, 20250428, -493125, "VIR GROUPE SALAIRES", "", "")};
    gl_recon_book k[] = {bo(1, 20250427, -210000, ""), bo(2, 20250427, -185050, ""),
                         bo(3, 20250427, -98075, "")};
    propose(b, 1, k, 3, 10, 8);
    cr_assert_eq(nprops, 1);
    cr_assert_eq(props[0].nbook, 3);
    cr_assert(props[0].sure);
}

Test(bank_match_engine, group_bounds_lines_and_window)
{
    gl_recon_bank b[] = {bk(1, 20250415, 30000, "REMISE", "", "")};
    gl_recon_book k[] = {bo(1, 20250410, 10000, ""), bo(2, 20250411, 15000, ""),
                         bo(3, 20250412, 5000, "")};
    propose(b, 1, k, 3, 10, 2);
    cr_assert_eq(nprops, 0, "three lines needed, at most two allowed");
    propose(b, 1, k, 3, 4, 8);
    cr_assert_eq(nprops, 0, "the first cheque is 5 days before");
    propose(b, 1, k, 3, 5, 3);
    cr_assert_eq(nprops, 1);
}

Test(bank_match_engine, order_reference_exact_group_then_dates)
{
    gl_recon_bank b[] = {
        bk(1, 20250101, 30000, "REMISE", "", ""), bk(2, 20250105, 4000, "VIR", "", ""),
        bk(3, 20250110, -5000, "CHQ 9876543", "", ""), bk(4, 20250102, 4100, "VIR", "", "")};
    gl_recon_book k[] = {bo(1, 20250101, 10000, ""), bo(2, 20250101, 20000, ""),
                         bo(3, 20250105, 4000, ""), bo(4, 20241201, -5000, "9876543"),
                         bo(5, 20250103, 4100, "")};
    propose(b, 4, k, 5, 10, 8);
    cr_assert_eq(nprops, 4);
    cr_assert_eq(props[0].why, GL_MATCH_REFERENCE);
    cr_assert_eq(props[1].why, GL_MATCH_EXACT);
    cr_assert_eq(props[1].bank[0], 3, "2 January before 5 January");
    cr_assert_eq(props[2].why, GL_MATCH_EXACT);
    cr_assert_eq(props[2].bank[0], 1);
    cr_assert_eq(props[3].why, GL_MATCH_GROUP);
}

Test(bank_match_engine, nothing_to_match)
{
    propose(NULL, 0, NULL, 0, 10, 8);
    cr_assert_eq(nprops, 0);
    gl_recon_bank b[] = {bk(1, 20250101, 100, "X", "", "")};
    propose(b, 1, NULL, 0, 10, 8);
    cr_assert_eq(nprops, 0);
    gl_match_prop *p;
    size_t n;
    cr_assert_eq(gl_match_propose(b, 1, NULL, 0, NULL, &p, &n), 0, "defaults without options");
    free(p);
}

/* ---- properties over random lines ---- */

static uint64_t rng = 42;
static uint32_t rnd(uint32_t n)
{
    rng = rng * 6364136223846793005ULL + 1442695040888963407ULL;
    return (uint32_t)(rng >> 33) % n;
}

static uint32_t day_of_2025(uint32_t d)
{
    static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    uint32_t m = 0;
    while (d >= (uint32_t)mdays[m]) {
        d -= (uint32_t)mdays[m];
        m = (m + 1) % 12;
    }
    return 20250000 + (m + 1) * 100 + d + 1;
}

static const int64_t amounts[] = {-120000, -45050, -3000, -1500, -999, 2500, 3000, 12000, 45050};

/* Books a year: per bank line a ledger line near it (same amount), or
 * split in 2-4 lines, or none; plus ledger lines the bank never saw. */
static void random_year(gl_recon_bank *b, size_t nb, gl_recon_book *k, size_t cap, size_t *nk)
{
    static char refs[4000][16];
    size_t n = 0;
    for (size_t i = 0; i < nb; i++) {
        uint32_t d = rnd(365);
        int64_t a = amounts[rnd(9)] * (1 + rnd(3));
        snprintf(refs[i], sizeof refs[i], "%u", rnd(3) ? 0 : (unsigned)(100 + i));
        b[i] = bk((uint32_t)i + 1, day_of_2025(d), a, "OPERATION", refs[i], "");
        uint32_t what = rnd(10);
        uint32_t near = d + rnd(8) > 364 ? 364 : d + rnd(8);
        if (what < 6 && n < cap) {
            k[n] = bo((uint32_t)n + 1, day_of_2025(near), a, rnd(2) ? refs[i] : "");
            n++;
        } else if (what < 8 && n + 3 < cap) {
            int64_t part = a / 3;
            k[n] = bo((uint32_t)n + 1, day_of_2025(near), part, "");
            k[n + 1] = bo((uint32_t)n + 2, day_of_2025(d), part, "");
            k[n + 2] = bo((uint32_t)n + 3, day_of_2025(d), a - 2 * part, "");
            n += 3;
        }
    }
    while (n < cap) {
        k[n] = bo((uint32_t)n + 1, day_of_2025(rnd(365)), amounts[rnd(9)], "");
        n++;
    }
    *nk = n;
}

static void check_props(const gl_recon_bank *b, size_t nb, const gl_recon_book *k, size_t nk,
                        uint32_t window)
{
    bool *bu = calloc(nb, 1), *ku = calloc(nk, 1);
    for (size_t i = 0; i < nprops; i++) {
        const gl_match_prop *p = &props[i];
        cr_assert(p->nbank >= 1 && p->nbook >= 1);
        cr_assert(p->nbank == 1 || p->nbook == 1, "one side of a group is one line");
        int64_t sb = 0, sk = 0;
        for (unsigned j = 0; j < p->nbank; j++) {
            cr_assert(p->bank[j] < nb);
            cr_assert_not(bu[p->bank[j]], "bank line %u twice", p->bank[j]);
            bu[p->bank[j]] = true;
            sb += b[p->bank[j]].line.amount_cents;
        }
        for (unsigned j = 0; j < p->nbook; j++) {
            cr_assert(p->book[j] < nk);
            cr_assert_not(ku[p->book[j]], "ledger line %u twice", p->book[j]);
            ku[p->book[j]] = true;
            sk += k[p->book[j]].amount_cents;
        }
        cr_assert_eq(sb, sk, "proposal %zu balanced", i);
        if (i > 0)
            cr_assert(p->why >= props[i - 1].why);
        (void)window;
    }
    free(bu);
    free(ku);
}

Test(bank_match_engine, random_no_line_twice_every_proposal_balanced)
{
    enum { NB = 400, NK = 700 };
    static gl_recon_bank b[NB];
    static gl_recon_book k[NK];
    size_t nk;
    rng = 7;
    random_year(b, NB, k, NK, &nk);
    propose(b, NB, k, nk, 10, 8);
    cr_assert_gt(nprops, NB / 2, "most lines found (%zu)", nprops);
    check_props(b, NB, k, nk, 10);
}

/* The proposals as seqs and refs, to compare across input orders. */
static char *describe(const gl_recon_bank *b, const gl_recon_book *k)
{
    char *s = NULL;
    size_t len = 0;
    FILE *f = open_memstream(&s, &len);
    for (size_t i = 0; i < nprops; i++) {
        fprintf(f, "%d%c", props[i].why, props[i].sure ? 'S' : '?');
        for (unsigned j = 0; j < props[i].nbank; j++)
            fprintf(f, " b%u", b[props[i].bank[j]].seq);
        for (unsigned j = 0; j < props[i].nbook; j++)
            fprintf(f, " k%u", k[props[i].book[j]].ref.num);
        fputc('\n', f);
    }
    fclose(f);
    return s;
}

Test(bank_match_engine, deterministic_whatever_the_order)
{
    enum { NB = 300, NK = 500 };
    static gl_recon_bank b[NB];
    static gl_recon_book k[NK];
    size_t nk;
    rng = 99;
    random_year(b, NB, k, NK, &nk);
    propose(b, NB, k, nk, 10, 8);
    char *first = describe(b, k);
    propose(b, NB, k, nk, 10, 8);
    char *again = describe(b, k);
    cr_assert_str_eq(first, again);
    for (size_t i = NB - 1; i > 0; i--) { /* shuffle both sides */
        size_t j = rnd((uint32_t)i + 1);
        gl_recon_bank t = b[i];
        b[i] = b[j];
        b[j] = t;
    }
    for (size_t i = nk - 1; i > 0; i--) {
        size_t j = rnd((uint32_t)i + 1);
        gl_recon_book t = k[i];
        k[i] = k[j];
        k[j] = t;
    }
    propose(b, NB, k, nk, 10, 8);
    char *shuffled = describe(b, k);
    cr_assert_str_eq(first, shuffled);
    free(first);
    free(again);
    free(shuffled);
}

Test(bank_match_engine, a_year_of_lines_timing_printed)
{
    enum { NB = 2000, NK = 3000 };
    static gl_recon_bank b[NB];
    static gl_recon_book k[NK];
    size_t nk;
    rng = 2025;
    random_year(b, NB, k, NK, &nk);
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    propose(b, NB, k, nk, 10, 8);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    cr_log_info("gl_match_propose: %d bank lines, %zu ledger lines, %zu proposals, %.1f ms", NB, nk,
                nprops, ms);
    fprintf(stderr, "bank_match_engine: %d bank x %zu ledger lines: %zu proposals in %.1f ms\n", NB,
            nk, nprops, ms);
    check_props(b, NB, k, nk, 10);
}

/* ---- rules ---- */

static gl_bank_rule rule(const char *name, const char *pattern, int64_t min, int64_t max,
                         const char *counterpart, const char *journal, const char *label)
{
    return (gl_bank_rule){
        S(name), pattern ? S(pattern) : S(""), min, max, S(counterpart), S(journal), S(label)};
}

Test(bank_match_engine, rules_first_that_applies_uncovered_lines_only)
{
    gl_recon_bank b[] = {bk(1, 20250131, -850, "FRAIS TENUE DE COMPTE", "", ""),
                         bk(2, 20250205, -123400, "PRLV URSSAF", "URS-2025-02", ""),
                         bk(3, 20250210, -850, "FRAIS TENUE DE COMPTE", "F2", ""),
                         bk(4, 20250215, 1234, "INTERETS", "", "")};
    gl_bank_rule r[] = {rule("petits-frais", "frais*compte", -1000, -1, "627800", "", ""),
                        rule("frais", "FRAIS", 0, 0, "627000", "", ""),
                        rule("urssaf", "urssaf", 0, 0, "431000", "OD", "Cotisations URSSAF")};
    bool taken[] = {false, false, true, false};
    gl_rule_entry *e;
    size_t n;
    cr_assert_eq(gl_match_rules(b, 4, taken, r, 3, S("512000"), &e, &n), 0);
    cr_assert_eq(n, 2, "line 3 is taken, line 4 has no rule");
    cr_assert_eq(e[0].bank_index, 0);
    cr_assert_eq(e[0].rule_index, 0, "the first rule in the array's order");
    cr_assert_str_eq(e[0].counterpart, "627800");
    cr_assert_str_eq(e[0].journal, "BQ");
    cr_assert_str_eq(e[0].piece, "BQ-1", "no bank reference");
    cr_assert_str_eq(e[0].label, "FRAIS TENUE DE COMPTE");
    cr_assert_str_eq(e[0].bank_account, "512000");
    cr_assert_eq(e[0].amount_cents, -850);
    cr_assert_eq(e[0].date, 20250131);
    cr_assert_eq(e[1].bank_index, 1);
    cr_assert_eq(e[1].rule_index, 2);
    cr_assert_str_eq(e[1].journal, "OD");
    cr_assert_str_eq(e[1].piece, "URS-2025-02");
    cr_assert_str_eq(e[1].label, "Cotisations URSSAF");
    free(e);
    cr_assert_eq(gl_match_rules(b, 4, NULL, r, 3, S("512000"), &e, &n), 0);
    cr_assert_eq(n, 3, "without taken, every line a rule applies to");
    cr_assert_eq(e[2].rule_index, 0);
    free(e);
    cr_assert_eq(gl_match_rules(b, 4, NULL, r, 0, S("512000"), &e, &n), 0);
    cr_assert_eq(n, 0);
    free(e);
}

Test(bank_match_engine, rules_cut_a_long_label_at_a_character)
{
    char label[GL_BANK_TEXT_MAX + 1];
    memset(label, 'a', sizeof label - 1);
    label[sizeof label - 1] = '\0';
    char long_label[GL_LABEL_MAX + 8];
    memset(long_label, 'x', GL_LABEL_MAX - 1);
    memcpy(long_label + GL_LABEL_MAX - 1, "\xC3\xA9\xC3\xA9", 5); /* "éé" across the limit */
    gl_recon_bank b[] = {bk(1, 20250131, -850, label, "", "")};
    gl_bank_rule r[] = {rule("x", "a", 0, 0, "627000", "", long_label)};
    gl_rule_entry *e;
    size_t n;
    cr_assert_eq(gl_match_rules(b, 1, NULL, r, 1, S("512000"), &e, &n), 0);
    cr_assert_eq(n, 1);
    cr_assert_eq(strlen(e[0].label), GL_LABEL_MAX - 1, "the é not cut in two");
    free(e);
}
