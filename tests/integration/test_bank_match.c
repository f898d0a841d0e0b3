/*
 * tests/integration/test_bank_match.c — issue 18, the pointage: BANK_MATCH
 * (40) ties statement lines to ledger lines of the bank account's ledger
 * account, BANK_UNMATCH (41) frees them, BANK_MATCHES (45) lists the
 * matches, BANK_LINES shows the matched flag, and BANK_RECON (44) gives the
 * état de rapprochement's data, whose identity is checked to the cent on a
 * small case.  Suite bank_match_refusals: each of 470, 474-479, 300 and 301
 * leaves the ledger digest unchanged (RTest).  Suite bank_match_verify:
 * the offline verifier replays the match events, and refuses each rule
 * broken by an event forged together with its re-signed request.
 *
 * The book, tenant alpha, January 2026 (statement opening 1,000.00):
 *   E0 01-01 AN   512000 D 1000.00 / 110000           (the opening)
 *   E1 01-04 OD   512000 D  250.00 / 706000           seq 1 01-05 +250.00
 *   E2 01-15 OD   627800 D   20.00 / 512000 (line 2)  seq 3 01-20  -20.00
 *   E3-E5 01-24   512000 D   30.00 / 706000 each      seq 4 01-25  +90.00
 *   E6 01-28 OD   627800 D   40.00 / 512000 (line 2)  seq 5 02-03  -40.00
 *   E7 01-30 OD   512000 D   15.00 / 706000           (in transit)
 *                                                     seq 2 01-10   -5.50 (fee, not booked)
 */
#include "tests/integration/bank_support.h"

#include "client/verify/archive.h"
#include "proto/query.h"
#include "proto/reply.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static harness h;
static uint32_t num[8]; /* E0..E7's numbers in 2026 */
static uint8_t before[32];

static uint32_t post(const char *journal, uint32_t date, const char *debit, const char *credit,
                     int64_t cents)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", date, debit, credit, cents, l);
    e.journal = journal;
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_reply_post p;
    gl_reply_post_iter it;
    gl_reply_post_row row;
    cr_assert_eq(gl_reply_post_decode((gl_str){(const char *)r.reply.body, r.reply.body_len}, &p),
                 GL_OK);
    gl_reply_post_iter_init(&it, &p);
    cr_assert_eq(gl_reply_post_next(&it, &row), 1);
    gl_response_free(&r);
    return row.num;
}

static void statements(void)
{
    gl_bank_statement s;
    gl_bank_import_result r;
    bk_statement(&s, IBAN_A, 4);
    s.from_date = 20260101;
    s.to_date = 20260131;
    s.has_opening = s.has_closing = 1;
    s.opening_cents = 100000;
    s.closing_cents = 131450;
    bk_line(&s.lines[0], 20260105, 25000, "VIR COTISATIONS", "R1");
    bk_line(&s.lines[1], 20260110, -550, "FRAIS TENUE DE COMPTE", "R2");
    bk_line(&s.lines[2], 20260120, -2000, "CHQ 1234", "R3");
    bk_line(&s.lines[3], 20260125, 9000, "REMISE CHQ 3", "R4");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
    bk_statement(&s, IBAN_A, 1);
    s.from_date = 20260201;
    s.to_date = 20260228;
    s.has_opening = s.has_closing = 1;
    s.opening_cents = 131450;
    s.closing_cents = 127450;
    bk_line(&s.lines[0], 20260203, -4000, "CHQ 5678", "R5");
    cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &r), GL_OK, "%s", r.detail);
    free(s.lines);
}

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "512100", "706000", "627800", "110000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    h_open_accounts(&h, "beta", accounts, 1);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "beta", "512000", IBAN_B, "", "Courant"), GL_OK);
    statements();
    num[0] = post("AN", 20260101, "512000", "110000", 100000);
    num[1] = post("OD", 20260104, "512000", "706000", 25000);
    num[2] = post("OD", 20260115, "627800", "512000", 2000);
    for (int i = 3; i <= 5; i++)
        num[i] = post("OD", 20260124, "512000", "706000", 3000);
    num[6] = post("OD", 20260128, "627800", "512000", 4000);
    num[7] = post("OD", 20260130, "512000", "706000", 1500);
}
static void teardown(void) { h_teardown(&h); }

/* Ei's line (1 debit, 2 credit). */
static gl_line_ref E(int i, uint16_t line) { return (gl_line_ref){2026, num[i], line}; }

/* A BANK_MATCH body being built. */
static gl_buf body;
static void begin(uint16_t count)
{
    gl_buf_init(&body);
    gl_bank_match_q_head(&body, (gl_str){"512000", 6}, count);
}
static void set(const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs, uint8_t nbook)
{
    gl_bank_match_set_put(&body, seqs, nbank, refs, nbook);
}

/* Send the body built as key k on tenant; the reply in *out (freed). */
static int send(enum h_key k, const char *tenant, uint16_t kind, gl_reply *out, uint32_t *first)
{
    gl_response r;
    int status = h_call(&h, k, kind, tenant, 0, body.data, body.len, &r);
    gl_buf_free(&body);
    if (out)
        *out = r.reply; /* err_item only: the detail goes with r */
    gl_bank_match_reply mr;
    if (first && status == GL_OK) {
        cr_assert_eq(gl_bank_match_reply_decode(r.reply.body, r.reply.body_len, &mr), GL_OK);
        *first = mr.first_match;
    }
    gl_response_free(&r);
    return status;
}

/* One set 1-1 (or n-m) as key k: the status; the match id in *id. */
static int match1(enum h_key k, const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs,
                  uint8_t nbook, uint32_t *id)
{
    begin(1);
    set(seqs, nbank, refs, nbook);
    gl_reply rep;
    int st = send(k, "alpha", GL_KIND_BANK_MATCH, &rep, id);
    if (st != GL_OK)
        cr_log_info("BANK_MATCH: %s (set %u)", gl_status_name(st), rep.err_item);
    return st;
}

static int unmatch(enum h_key k, const char *account, uint32_t id)
{
    gl_buf_init(&body);
    gl_bank_unmatch_q_encode(&body, &(gl_bank_unmatch_q){{account, strlen(account)}, id});
    return send(k, "alpha", GL_KIND_BANK_UNMATCH, NULL, NULL);
}

/* ---- what is recorded ------------------------------------------------- */

TestSuite(bank_match, .init = setup, .fini = teardown, .timeout = 240);

Test(bank_match, one_line_with_one_line)
{
    uint32_t seq = 1, id = 0;
    gl_line_ref r = E(1, 1);
    cr_assert_eq(match1(K_ALPHA, &seq, 1, &r, 1, &id), GL_OK);
    cr_expect_eq(id, 1);
    char out[1024];
    uint32_t n;
    cr_assert_eq(
        bk_lines(&h, K_AUDITOR, "alpha", "512000", 20260101, 20260110, out, sizeof out, &n), GL_OK);
    cr_expect_str_eq(out,
                     "20260105:25000:VIR COTISATIONS:1m;20260110:-550:FRAIS TENUE DE "
                     "COMPTE:2;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_MATCH), 1);
    cr_expect_geq(h_verify_chains(&h), 0);
}

Test(bank_match, a_deposit_of_three_cheques)
{
    uint32_t seq = 4, id = 0;
    gl_line_ref r[3] = {E(3, 1), E(4, 1), E(5, 1)};
    cr_assert_eq(match1(K_ACCOUNTANT, &seq, 1, r, 3, &id), GL_OK);
    cr_expect_eq(id, 1);
    /* one of the cheques again, alone: already matched */
    gl_line_ref one = E(4, 1);
    seq = 3;
    cr_expect_eq(match1(K_ACCOUNTANT, &seq, 1, &one, 1, &id), GL_ERR_BANK_BOOK_MATCHED);
}

Test(bank_match, a_batch_is_all_or_nothing)
{
    uint32_t s1 = 1, s3 = 3, s2 = 2, first = 0;
    gl_line_ref r1 = E(1, 1), r2 = E(2, 2), r6 = E(6, 2);
    uint8_t d[32];
    h_digest(&h, d);
    begin(3);
    set(&s1, 1, &r1, 1);
    set(&s3, 1, &r2, 1);
    set(&s2, 1, &r6, 1); /* -5.50 against -40.00 */
    gl_reply rep;
    cr_expect_eq(send(K_ACCOUNTANT, "alpha", GL_KIND_BANK_MATCH, &rep, NULL),
                 GL_ERR_BANK_MATCH_UNBALANCED);
    cr_expect_eq(rep.err_item, 3);
    bk_unchanged(&h, d, "a batch with one unbalanced set");
    begin(2);
    set(&s1, 1, &r1, 1);
    set(&s3, 1, &r2, 1);
    cr_assert_eq(send(K_ACCOUNTANT, "alpha", GL_KIND_BANK_MATCH, NULL, &first), GL_OK);
    cr_expect_eq(first, 1);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_MATCH), 1);
}

Test(bank_match, matching_in_a_locked_period)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){202601, GL_LOCK_THROUGH});
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LOCK, "alpha", 0, b.data, b.len, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    uint32_t seq = 3, id;
    gl_line_ref ref = E(2, 2);
    cr_expect_eq(match1(K_ALPHA, &seq, 1, &ref, 1, &id), GL_OK);
    cr_expect_eq(unmatch(K_ALPHA, "512000", id), GL_OK);
}

Test(bank_match, unmatch_then_match_again)
{
    uint32_t seq = 1, id = 0;
    gl_line_ref r = E(1, 1);
    cr_assert_eq(match1(K_ALPHA, &seq, 1, &r, 1, &id), GL_OK);
    cr_assert_eq(unmatch(K_ALPHA, "512000", id), GL_OK);
    char out[1024];
    uint32_t n;
    cr_assert_eq(bk_lines(&h, K_ALPHA, "alpha", "512000", 20260105, 20260105, out, sizeof out, &n),
                 GL_OK);
    cr_expect_str_eq(out, "20260105:25000:VIR COTISATIONS:1;");
    cr_assert_eq(match1(K_ALPHA, &seq, 1, &r, 1, &id), GL_OK);
    cr_expect_eq(id, 2, "a number is never reused");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_UNMATCH), 1);
    cr_expect_geq(h_verify_chains(&h), 0);
}

/* BANK_MATCHES from `after`, limit: "id:state:nbank:nbook;" per row. */
static bool matches(enum h_key k, uint32_t after, uint16_t limit, char *out, size_t cap)
{
    gl_buf_init(&body);
    gl_bank_matches_q_encode(&body, &(gl_bank_matches_q){{"512000", 6}, after, limit});
    gl_response r;
    cr_assert_eq(h_call(&h, k, GL_KIND_BANK_MATCHES, "alpha", 0, body.data, body.len, &r), GL_OK);
    gl_buf_free(&body);
    cr_assert_eq(r.reply.status, GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    uint32_t n = gl_get_u32(&c);
    bool more = gl_get_u8(&c);
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        gl_bank_match_row row;
        cr_assert_eq(gl_bank_match_row_get(&c, &row), GL_OK);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%u:%u:%u:%u;", row.match, row.state, row.set.nbank,
                 row.set.nbook);
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
    return more;
}

Test(bank_match, matches_are_listed_a_page_at_a_time)
{
    uint32_t s1 = 1, s4 = 4, s3 = 3, id;
    gl_line_ref r1 = E(1, 1), r2 = E(2, 2), r345[3] = {E(3, 1), E(4, 1), E(5, 1)};
    cr_assert_eq(match1(K_ALPHA, &s1, 1, &r1, 1, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s4, 1, r345, 3, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s3, 1, &r2, 1, &id), GL_OK);
    cr_assert_eq(unmatch(K_ALPHA, "512000", 2), GL_OK);
    char out[256];
    cr_expect(matches(K_AUDITOR, 0, 2, out, sizeof out));
    cr_expect_str_eq(out, "1:1:1:1;2:2:1:3;");
    cr_expect_not(matches(K_ALPHA, 2, 2, out, sizeof out));
    cr_expect_str_eq(out, "3:1:1:1;");
    cr_expect_not(matches(K_ALPHA, 3, 2, out, sizeof out));
    cr_expect_str_eq(out, "");
    cr_expect_not(matches(K_ALPHA, UINT32_MAX, 2, out, sizeof out));
    cr_expect_str_eq(out, "");
}

/* ---- BANK_RECON ------------------------------------------------------- */

typedef struct recon {
    gl_bank_recon_head h;
    uint32_t nbank, nbook;
    int64_t bank_cents, book_cents;
    char rows[1024];
    bool more;
} recon;

static int recon_at(enum h_key k, uint32_t at, recon *o)
{
    gl_buf_init(&body);
    gl_bank_recon_q_encode(&body, &(gl_bank_recon_q){{"512000", 6}, at, GL_BANK_RECON_LINES});
    gl_response r;
    int st = h_call(&h, k, GL_KIND_BANK_RECON, "alpha", 0, body.data, body.len, &r);
    gl_buf_free(&body);
    memset(o, 0, sizeof *o);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    if (st == GL_OK) {
        cr_assert_eq(gl_bank_recon_head_get(&c, &o->h), GL_OK);
        o->nbank = gl_get_u32(&c);
        for (uint32_t i = 0; i < o->nbank; i++) {
            uint32_t seq;
            gl_bank_line_w l;
            cr_assert_eq(gl_bank_recon_bank_get(&c, &seq, &l), GL_OK);
            o->bank_cents += l.amount_cents;
            size_t used = strlen(o->rows);
            snprintf(o->rows + used, sizeof o->rows - used, "b%u:%lld;", seq,
                     (long long)l.amount_cents);
        }
        o->nbook = gl_get_u32(&c);
        for (uint32_t i = 0; i < o->nbook; i++) {
            gl_bank_book_row b;
            cr_assert_eq(gl_bank_book_row_get(&c, &b), GL_OK);
            o->book_cents += b.amount_cents;
            size_t used = strlen(o->rows);
            snprintf(o->rows + used, sizeof o->rows - used, "E%u:%u:%lld;", b.ref.num, b.date,
                     (long long)b.amount_cents);
        }
        o->more = gl_get_u8(&c);
        cr_assert_eq(gl_cur_end(&c), GL_OK);
    }
    gl_response_free(&r);
    return st;
}

static void identity(const recon *o)
{
    cr_expect_eq(o->h.books_at_cents, o->h.bank_at_cents - o->bank_cents + o->book_cents,
                 "books %lld, bank %lld, bank rows %lld, book rows %lld",
                 (long long)o->h.books_at_cents, (long long)o->h.bank_at_cents,
                 (long long)o->bank_cents, (long long)o->book_cents);
}

Test(bank_match, the_reconciliation_at_a_date)
{
    uint32_t s1 = 1, s4 = 4, s3 = 3, s5 = 5, id;
    gl_line_ref r1 = E(1, 1), r2 = E(2, 2), r6 = E(6, 2), r345[3] = {E(3, 1), E(4, 1), E(5, 1)};
    cr_assert_eq(match1(K_ALPHA, &s1, 1, &r1, 1, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s4, 1, r345, 3, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s3, 1, &r2, 1, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s5, 1, &r6, 1, &id), GL_OK); /* straddles January's end */
    recon o;
    cr_assert_eq(recon_at(K_AUDITOR, 20260131, &o), GL_OK);
    cr_expect_eq(o.h.start, 20260101);
    cr_expect_eq(o.h.flags, 1);
    cr_expect_eq(o.h.bank_opening_cents, 100000);
    cr_expect_eq(o.h.bank_at_cents, 131450);
    cr_expect_eq(o.h.books_at_cents, 129500);
    cr_expect_eq(o.h.last_statement, 20260228);
    char want[256];
    /* the fee not booked; the cheque not cashed by Jan 31; the deposit in transit */
    snprintf(want, sizeof want, "b2:-550;E%u:20260128:-4000;E%u:20260130:1500;", num[6], num[7]);
    cr_expect_str_eq(o.rows, want);
    cr_expect_not(o.more);
    identity(&o);
    cr_assert_eq(recon_at(K_ALPHA, 20260228, &o), GL_OK);
    cr_expect_eq(o.h.bank_at_cents, 127450);
    snprintf(want, sizeof want, "b2:-550;E%u:20260130:1500;", num[7]);
    cr_expect_str_eq(o.rows, want);
    identity(&o);
    /* undone, the straddling match leaves both lines out at Feb 28 */
    cr_assert_eq(unmatch(K_ALPHA, "512000", 4), GL_OK);
    cr_assert_eq(recon_at(K_ACCOUNTANT, 20260228, &o), GL_OK);
    snprintf(want, sizeof want, "b2:-550;b5:-4000;E%u:20260128:-4000;E%u:20260130:1500;", num[6],
             num[7]);
    cr_expect_str_eq(o.rows, want);
    identity(&o);
    /* before the first statement: no bank line, the books' lines from its first day */
    cr_assert_eq(recon_at(K_ALPHA, 20251231, &o), GL_OK);
    cr_expect_eq(o.h.bank_at_cents, 100000);
    cr_expect_eq(o.nbank + o.nbook, 0);
}

Test(bank_match, recon_of_a_year_lists_every_line)
{
    /* 2,000 statement lines (2 imports) and 3,000 ledger lines (1 POST) */
    gl_bank_statement s;
    gl_bank_import_result ir;
    for (int part = 0; part < 2; part++) {
        bk_statement(&s, IBAN_A, 1000);
        for (int i = 0; i < 1000; i++) {
            char ref[16];
            snprintf(ref, sizeof ref, "Y%d", part * 1000 + i);
            bk_line(&s.lines[i], 20260301 + (uint32_t)(i % 28) + (uint32_t)part * 100, 100 + i,
                    "VIR", ref);
        }
        cr_assert_eq(bk_import(&h, K_ACCOUNTANT, "alpha", "512000", &s, &ir), GL_OK, "%s",
                     ir.detail);
        free(s.lines);
    }
    gl_entry_in *e = calloc(3000, sizeof *e);
    gl_line_in(*l)[2] = calloc(3000, sizeof *l);
    cr_assert(e && l);
    for (int i = 0; i < 3000; i++)
        e[i] = h_entry2("alpha", 20260301 + (uint32_t)(i % 28), "512000", "706000", 100 + i, l[i]);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 3000, &r), GL_OK);
    cr_assert_eq(r.reply.status, GL_OK);
    gl_response_free(&r);
    free(e);
    free(l);
    recon o;
    cr_assert_eq(recon_at(K_ALPHA, 20261231, &o), GL_OK); /* warm */
    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    cr_assert_eq(recon_at(K_ALPHA, 20261231, &o), GL_OK);
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    cr_expect_eq(o.nbank, 2005);
    cr_expect_eq(o.nbook, 3007);
    identity(&o);
    /* information only: the target (< 100 ms) is measured by scripts/bench
     * (BENCH_ONLY=bank), never by a timed test */
    fprintf(stderr, "bank_match: BANK_RECON of 2,000 + 3,000 lines: %.1f ms\n", ms);
}

/* ---- refusals: nothing changes ---------------------------------------- */

static void refusals_setup(void)
{
    setup();
    uint32_t s1 = 1, s4 = 4, id;
    gl_line_ref r1 = E(1, 1), r345[3] = {E(3, 1), E(4, 1), E(5, 1)};
    cr_assert_eq(match1(K_ALPHA, &s1, 1, &r1, 1, &id), GL_OK);
    cr_assert_eq(match1(K_ALPHA, &s4, 1, r345, 3, &id), GL_OK);
    cr_assert_eq(unmatch(K_ALPHA, "512000", 2), GL_OK);
    h_digest(&h, before);
}

static void unchanged(void) { bk_unchanged(&h, before, "a refusal"); }

TestSuite(bank_match_refusals, .init = refusals_setup, .fini = teardown, .timeout = 240);

/* One set refused with `want`, its detail holding `says`. */
static void refused(const uint32_t *seqs, uint8_t nbank, const gl_line_ref *refs, uint8_t nbook,
                    int want, const char *says)
{
    begin(1);
    set(seqs, nbank, refs, nbook);
    gl_reply rep;
    gl_response r;
    h_call(&h, K_ALPHA, GL_KIND_BANK_MATCH, "alpha", 0, body.data, body.len, &r);
    gl_buf_free(&body);
    rep = r.reply;
    cr_expect_eq(rep.status, want, "status %u: %.*s", rep.status, (int)rep.detail.len,
                 rep.detail.ptr);
    cr_expect_eq(rep.err_item, 1);
    char d[512];
    snprintf(d, sizeof d, "%.*s", (int)rep.detail.len, rep.detail.ptr);
    cr_expect(strstr(d, says), "detail '%s' lacks '%s'", d, says);
    gl_response_free(&r);
}

RTest(bank_match_refusals, bank_not_registered_470)
{
    uint32_t seq = 3;
    gl_line_ref ref = {2026, 1, 1};
    begin(1);
    gl_buf_reset(&body);
    gl_bank_match_q_head(&body, (gl_str){"512100", 6}, 1);
    set(&seq, 1, &ref, 1);
    cr_expect_eq(send(K_ALPHA, "alpha", GL_KIND_BANK_MATCH, NULL, NULL),
                 GL_ERR_BANK_NOT_REGISTERED);
    cr_expect_eq(unmatch(K_ALPHA, "512100", 1), GL_ERR_BANK_NOT_REGISTERED);
}

RTest(bank_match_refusals, bank_line_unknown_474)
{
    uint32_t seq = 99;
    gl_line_ref ref = E(2, 2);
    refused(&seq, 1, &ref, 1, GL_ERR_BANK_LINE_UNKNOWN, "no statement line 99");
}

RTest(bank_match_refusals, bank_line_matched_475)
{
    uint32_t seq = 1;
    gl_line_ref ref = E(2, 2);
    refused(&seq, 1, &ref, 1, GL_ERR_BANK_LINE_MATCHED, "already in match 1");
    uint32_t twice[2] = {3, 3};
    refused(twice, 2, &ref, 1, GL_ERR_BANK_LINE_MATCHED, "named twice");
    /* the same line in two sets of one request: the second is refused */
    uint32_t s3 = 3;
    gl_line_ref r6 = E(6, 2);
    begin(2);
    set(&s3, 1, &ref, 1);
    set(&s3, 1, &r6, 1);
    gl_reply rep;
    cr_expect_eq(send(K_ALPHA, "alpha", GL_KIND_BANK_MATCH, &rep, NULL), GL_ERR_BANK_LINE_MATCHED);
    cr_expect_eq(rep.err_item, 2);
}

RTest(bank_match_refusals, bank_book_line_476)
{
    uint32_t seq = 3;
    gl_line_ref other = E(2, 1); /* 627800 */
    refused(&seq, 1, &other, 1, GL_ERR_BANK_BOOK_LINE, "is on account 627800");
    gl_line_ref none = {2026, 999, 1};
    refused(&seq, 1, &none, 1, GL_ERR_BANK_BOOK_LINE, "no ledger line");
    gl_line_ref past = E(2, 3);
    refused(&seq, 1, &past, 1, GL_ERR_BANK_BOOK_LINE, "no ledger line");
    gl_line_ref an = E(0, 1);
    refused(&seq, 1, &an, 1, GL_ERR_BANK_BOOK_LINE, "opening (AN)");
}

RTest(bank_match_refusals, bank_book_matched_477)
{
    uint32_t seq = 3;
    gl_line_ref ref = E(1, 1);
    refused(&seq, 1, &ref, 1, GL_ERR_BANK_BOOK_MATCHED, "already in match 1");
    gl_line_ref twice[2] = {E(2, 2), E(2, 2)};
    refused(&seq, 1, twice, 2, GL_ERR_BANK_BOOK_MATCHED, "named twice");
}

RTest(bank_match_refusals, bank_match_unbalanced_478)
{
    uint32_t seq = 3;
    gl_line_ref ref = E(6, 2);
    refused(&seq, 1, &ref, 1, GL_ERR_BANK_MATCH_UNBALANCED,
            "sum to -20.00, the ledger lines to -40.00");
}

RTest(bank_match_refusals, bank_match_unknown_479)
{
    cr_expect_eq(unmatch(K_ALPHA, "512000", 7), GL_ERR_BANK_MATCH_UNKNOWN);
    cr_expect_eq(unmatch(K_ALPHA, "512000", 2), GL_ERR_BANK_MATCH_UNKNOWN, "undone twice");
}

RTest(bank_match_refusals, another_tenant_300_and_the_auditor_301)
{
    uint32_t seq = 3, id;
    gl_line_ref ref = E(2, 2);
    begin(1);
    set(&seq, 1, &ref, 1);
    cr_expect_eq(send(K_BETA, "alpha", GL_KIND_BANK_MATCH, NULL, NULL), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(match1(K_AUDITOR, &seq, 1, &ref, 1, &id), GL_ERR_FORBIDDEN_ROLE);
    cr_expect_eq(unmatch(K_AUDITOR, "512000", 1), GL_ERR_FORBIDDEN_ROLE);
    gl_buf_init(&body);
    gl_bank_recon_q_encode(&body, &(gl_bank_recon_q){{"512000", 6}, 20260131, 1});
    cr_expect_eq(send(K_BETA, "alpha", GL_KIND_BANK_RECON, NULL, NULL), GL_ERR_FORBIDDEN_TENANT);
    recon o;
    cr_expect_eq(recon_at(K_AUDITOR, 20260131, &o), GL_OK);
}

/* The reads: 470 for an account without a bank account, the decoder's
 * refusals over the wire (107, 109, 111). */
RTest(bank_match_refusals, reads_refused)
{
    gl_str other = {"512100", 6}, acct = {"512000", 6};
    gl_buf_init(&body);
    gl_bank_recon_q_encode(&body, &(gl_bank_recon_q){other, 20260131, 1});
    cr_expect_eq(send(K_AUDITOR, "alpha", GL_KIND_BANK_RECON, NULL, NULL),
                 GL_ERR_BANK_NOT_REGISTERED);
    gl_buf_init(&body);
    gl_bank_matches_q_encode(&body, &(gl_bank_matches_q){other, 0, 10});
    cr_expect_eq(send(K_AUDITOR, "alpha", GL_KIND_BANK_MATCHES, NULL, NULL),
                 GL_ERR_BANK_NOT_REGISTERED);
    gl_buf_init(&body);
    gl_bank_matches_q_encode(&body, &(gl_bank_matches_q){acct, 0, 0});
    cr_expect_eq(send(K_AUDITOR, "alpha", GL_KIND_BANK_MATCHES, NULL, NULL), GL_ERR_COUNT_LIMIT);
    gl_buf_init(&body);
    gl_bank_recon_q_encode(&body, &(gl_bank_recon_q){acct, 20260230, 1});
    cr_expect_eq(send(K_AUDITOR, "alpha", GL_KIND_BANK_RECON, NULL, NULL), GL_ERR_BAD_DATE);
    gl_buf_init(&body);
    gl_bank_recon_q_encode(&body, &(gl_bank_recon_q){acct, 20260131, 2});
    cr_expect_eq(send(K_AUDITOR, "alpha", GL_KIND_BANK_RECON, NULL, NULL), GL_ERR_RESERVED_NONZERO);
    begin(0); /* no set */
    cr_expect_eq(send(K_ALPHA, "alpha", GL_KIND_BANK_MATCH, NULL, NULL), GL_ERR_COUNT_LIMIT);
}

/* ---- the offline verifier ------------------------------------------- */

static void verify_setup(void)
{
    setup();
    uint32_t s1 = 1, s3 = 3, id;
    gl_line_ref r1 = E(1, 1), r2 = E(2, 2);
    cr_assert_eq(match1(K_ALPHA, &s1, 1, &r1, 1, &id), GL_OK); /* event: match 1 */
    cr_assert_eq(match1(K_ALPHA, &s3, 1, &r2, 1, &id), GL_OK); /* match 2 */
    cr_assert_eq(unmatch(K_ALPHA, "512000", 2), GL_OK);
    char path[400], out[4096];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
}

TestSuite(bank_match_verify, .init = verify_setup, .fini = teardown, .timeout = 240);

/* Offsets in a 1-1 set: seq, then the ledger line's num. */
enum { SET_SEQ = 1, SET_NUM = 1 + 4 + 1 + 2 };
/* Where the sets start in BANK_MATCH's body and event payload (account
 * "512000"), and the match number in BANK_UNMATCH's (both the same). */
enum { BODY_SETS = 1 + 6 + 2, EVENT_FIRST = 1 + 6, EVENT_SETS = 1 + 6 + 4 + 2, UNMATCH_ID = 1 + 6 };

typedef struct forgery {
    uint16_t type; /* the event forged: the nth of that type */
    int nth;
    size_t body_at;    /* a u32 put at body_at in the signed body (SIZE_MAX: none) */
    size_t payload_at; /* and at payload_at in the event's payload */
    uint32_t value;
    const char *says; /* what verify must name */
} forgery;

static uint8_t *slurp_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    uint8_t *buf = malloc(1 << 24);
    cr_assert(buf);
    *len = fread(buf, 1, (1 << 24) - 1, f);
    fclose(f);
    return buf;
}

/* The request of envelope n re-signed by the key that signed it, with
 * the u32 at `at` of its body set to value (into *out). */
static void resign(gl_archive *a, uint64_t n, size_t at, uint32_t value, gl_buf *out)
{
    gl_archive_envelope *env = (gl_archive_envelope *)gl_archive_envelope_find(a, n);
    cr_assert(env);
    gl_request q;
    cr_assert_eq(gl_request_decode(env->bytes, env->len, &q), GL_OK);
    enum h_key k = K_ALPHA;
    for (int i = 0; i < K_COUNT; i++)
        if (!memcmp(h.keys[i].pk, q.signer, 32))
            k = (enum h_key)i;
    uint8_t *copy = malloc(q.body_len);
    cr_assert(copy);
    memcpy(copy, q.body, q.body_len);
    if (at != SIZE_MAX)
        gl_be32(copy + at, value);
    char tenant[GL_TENANT_MAX + 1];
    snprintf(tenant, sizeof tenant, "%.*s", (int)q.tenant.len, q.tenant.ptr);
    cr_assert_eq(gl_request_encode(out, q.kind, q.ledger_id, h.keys[k].sk, tenant, q.request_id,
                                   q.timestamp_ms, copy, q.body_len),
                 GL_OK);
    free(copy);
    env->bytes = out->data;
    env->len = (uint32_t)out->len;
}

static void forge(const forgery *f)
{
    char path[400], bad[400], err[256], out[8192];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    snprintf(bad, sizeof bad, "%s/forged.glar", h.dir);
    size_t len;
    uint8_t *bytes = slurp_file(path, &len);
    gl_archive a;
    cr_assert_eq(gl_archive_read(bytes, len, &a, err, sizeof err), GL_OK, "%s", err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, (gl_str){"alpha", 5});
    cr_assert(t && t->has_chain);
    gl_buf *arena = calloc(t->event_count + 2, sizeof *arena);
    cr_assert(arena);
    uint8_t prev[GL_HASH_BYTES] = {0};
    int seen = 0;
    for (uint32_t i = 0; i < t->event_count; i++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[i].record, t->events[i].record_len, &ev), GL_OK);
        gl_buf eb;
        gl_buf_init(&eb);
        gl_put_bytes(&eb, ev.body, ev.body_len);
        if (ev.type == f->type && ++seen == f->nth) {
            gl_be32(eb.data + (ev.body_len - ev.payload_len) + f->payload_at, f->value);
            resign(&a, ev.head.envelope, f->body_at, f->value, &arena[t->event_count]);
        }
        gl_buf_init(&arena[i]);
        gl_event_encode(&arena[i], t->id.ptr, t->id.len, i + 1, prev, ev.type, eb.data, eb.len);
        gl_buf_free(&eb);
        cr_assert(gl_buf_ok(&arena[i]));
        memcpy(prev, arena[i].data + arena[i].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[i] = (gl_archive_event){i + 1, arena[i].data, (uint32_t)arena[i].len};
    }
    cr_assert_eq(seen >= f->nth, true, "no event %d of type %u", f->nth, f->type);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *fo = fopen(bad, "wb");
    cr_assert(fo);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, fo), enc.len);
    fclose(fo);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", bad);
    cr_expect_eq(rc, 1, "verify exited %d:\n%s", rc, out);
    cr_expect(strstr(out, f->says), "'%s' not in:\n%s", f->says, out);
    gl_buf_free(&enc);
    for (uint32_t i = 0; i <= t->event_count; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
}

Test(bank_match_verify, a_line_never_stored)
{
    forge(&(forgery){GL_EVENT_BANK_MATCH, 1, BODY_SETS + SET_SEQ, EVENT_SETS + SET_SEQ, 99,
                     "statement line 99 was never stored"});
}

Test(bank_match_verify, sums_that_differ)
{
    forge(&(forgery){GL_EVENT_BANK_MATCH, 1, BODY_SETS + SET_SEQ, EVENT_SETS + SET_SEQ, 2,
                     "the statement lines sum to -5.50"});
}

Test(bank_match_verify, an_opening_line)
{
    forge(&(forgery){GL_EVENT_BANK_MATCH, 1, BODY_SETS + SET_NUM, EVENT_SETS + SET_NUM, num[0],
                     "an opening (AN) line"});
}

Test(bank_match_verify, a_line_on_another_account)
{
    /* the second match names (E2, 2): made (E2, 1), on 627800 */
    forge(&(forgery){GL_EVENT_BANK_MATCH, 2, BODY_SETS + SET_NUM + 2, EVENT_SETS + SET_NUM + 2,
                     (uint32_t)num[2] << 16 | 1, "on another account"});
}

Test(bank_match_verify, a_line_in_two_active_matches)
{
    forge(&(forgery){GL_EVENT_BANK_MATCH, 2, BODY_SETS + SET_SEQ, EVENT_SETS + SET_SEQ, 1,
                     "statement line 1 is already in match 1"});
}

Test(bank_match_verify, match_ids_not_consecutive)
{
    forge(&(forgery){GL_EVENT_BANK_MATCH, 2, SIZE_MAX, EVENT_FIRST, 5, "numbered from 5"});
}

Test(bank_match_verify, undoing_a_match_not_active)
{
    forge(&(forgery){GL_EVENT_BANK_UNMATCH, 1, UNMATCH_ID, UNMATCH_ID, 7,
                     "undoes match 7 of 512000, which is not an active match"});
}
