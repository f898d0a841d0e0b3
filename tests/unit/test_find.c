/*
 * tests/unit/test_find.c — issue 14 "find anything", the pure parts:
 * proto/textfold (case and accent folding), the JOURNAL/LEDGER filter block
 * of proto/query (refusals, truncation at every length, unknown bits, round
 * trip, old bodies unchanged), proto/find (what an entry and a line match)
 * and client/cli/date_range (partial dates, -b/-e).
 */
#include "client/cli/date_range.h"
#include "proto/entry.h"
#include "proto/find.h"
#include "proto/limits.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/textfold.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* ---- folding ---------------------------------------------------------- */

static bool has_text(const char *hay, const char *needle)
{
    return gl_text_contains(hay, strlen(hay), needle, strlen(needle));
}

Test(textfold, accents_and_case_fold_to_ascii_lower_case)
{
    char out[64];
    const char *s = "\xc3\x89lectricit\xc3\xa9 C\xc5\x92UR \xc3\x86sop na\xc3\xafve \xc3\x9f";
    size_t n = gl_text_fold(s, strlen(s), out);
    cr_assert_leq(n, strlen(s));
    cr_expect(n == strlen("electricite coeur aesop naive ss") &&
                  !memcmp(out, "electricite coeur aesop naive ss", n),
              "%.*s", (int)n, out);
    cr_expect(has_text("\xc3\x89lectricit\xc3\xa9 mars", "electricite"));
    cr_expect(has_text("electricite", "\xc3\x89LECTRICIT\xc3\x89"));
    cr_expect(has_text("Facture EDF", "edf"));
    cr_expect(has_text("\xc5\x93uvre", "OE"));
    /* refusals first would be: what must not match */
    cr_expect(!has_text("Electricite", "electricites"));
    cr_expect(!has_text("", "a"));
    cr_expect(has_text("anything", ""));
    /* other UTF-8 (a euro sign) and malformed bytes are kept, not folded */
    cr_expect(has_text("5 \xe2\x82\xac", "\xe2\x82\xac"));
    cr_expect(!has_text("5 \xe2\x82\xac", "e"));
    n = gl_text_fold("\xc3", 1, out);
    cr_expect(n == 1 && (unsigned char)out[0] == 0xC3);
    /* × and ÷ are no letters */
    n = gl_text_fold("\xc3\x97", 2, out);
    cr_expect(n == 2 && !memcmp(out, "\xc3\x97", 2));
}

Test(textfold, every_folded_code_point_is_no_longer_than_its_source)
{
    for (unsigned cp = 0x80; cp < 0x800; cp++) {
        char s[2] = {(char)(0xC0 | (cp >> 6)), (char)(0x80 | (cp & 0x3F))}, out[2];
        size_t n = gl_text_fold(s, 2, out);
        cr_assert_leq(n, 2u, "U+%04X", cp);
        if (cp >= 0xC0 && cp <= 0x17F && cp != 0xD7 && cp != 0xF7)
            cr_expect(out[0] >= 'a' && out[0] <= 'z', "U+%04X folds to %.*s", cp, (int)n, out);
    }
}

/* ---- the filter block ---------------------------------------------------- */

static const gl_filter filter_all = {.fields = GL_FILTER_ACCOUNT | GL_FILTER_AUX | GL_FILTER_TEXT |
                                               GL_FILTER_JOURNAL | GL_FILTER_AMOUNT,
                                     .account = {"6", 1},
                                     .aux = {"FOURN01", 7},
                                     .text = {"\xc3\xa9lec", 5},
                                     .journal = {"AC", 2},
                                     .amount = 0x0102030405060708ll};

static gl_journal_q journal_with(const gl_filter *f)
{
    return (gl_journal_q){
        .from = 20250101, .to = 20251231, .limit = 10, .flags = GL_JOURNAL_FILTER, .filter = *f};
}

/* Encode q, cut it to `cut` bytes, decode a heap copy of exactly that. */
static int journal_cut(const gl_journal_q *q, size_t cut, gl_journal_q *out, gl_buf *keep)
{
    gl_buf_init(keep);
    gl_journal_q_encode(keep, q);
    size_t len = cut < keep->len ? cut : keep->len;
    return gl_journal_q_decode(keep->data, len, out);
}

Test(filter, refusals_each_with_its_status)
{
    gl_journal_q out;
    gl_buf b;
    struct {
        gl_filter f;
        int want;
    } bad[] = {
        {{.fields = 0}, GL_ERR_BAD_FILTER},
        {{.fields = 0x40, .account = {"6", 1}}, GL_ERR_BAD_FILTER},
        {{.fields = 0x80}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_OPEN_AT, .open_at = 20250101}, GL_ERR_BAD_FILTER}, /* LEDGER's */
        {{.fields = GL_FILTER_ACCOUNT, .account = {"", 0}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"06", 2}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"6a", 2}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"512000000000000000000", 21}},
         GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AUX, .aux = {"", 0}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AUX, .aux = {"FOURN0123456789012345", 21}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_TEXT, .text = {"", 0}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_TEXT, .text = {"a\x01", 2}}, GL_ERR_STRING_INVALID},
        {{.fields = GL_FILTER_JOURNAL, .journal = {"ac", 2}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_JOURNAL, .journal = {"ABCDEFGHI", 9}}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AMOUNT, .amount = 0}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AMOUNT, .amount = -1}, GL_ERR_BAD_FILTER},
        {{.fields = GL_FILTER_AMOUNT, .amount = INT64_MAX}, GL_ERR_BAD_FILTER},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        gl_journal_q q = journal_with(&bad[i].f);
        cr_expect_eq(journal_cut(&q, SIZE_MAX, &out, &b), bad[i].want, "case %zu", i);
        gl_buf_free(&b);
    }
    /* a long text: 200 bytes yes, 201 no */
    char text[GL_LABEL_MAX + 1];
    memset(text, 'x', sizeof text);
    gl_filter f = {.fields = GL_FILTER_TEXT, .text = {text, GL_LABEL_MAX}};
    gl_journal_q q = journal_with(&f);
    cr_expect_eq(journal_cut(&q, SIZE_MAX, &out, &b), GL_OK);
    gl_buf_free(&b);
    q.filter.text.len = GL_LABEL_MAX + 1;
    cr_expect_eq(journal_cut(&q, SIZE_MAX, &out, &b), GL_ERR_BAD_FILTER);
    gl_buf_free(&b);
    /* the flag bits beyond FILTER are still reserved */
    q = journal_with(&filter_all);
    q.flags |= 0x04;
    cr_expect_eq(journal_cut(&q, SIZE_MAX, &out, &b), GL_ERR_RESERVED_NONZERO);
    gl_buf_free(&b);
    /* LEDGER takes OPEN_AT, not ACCOUNT (its own field) */
    gl_ledger_q lq = {.account = {"401000", 6},
                      .from = 20250101,
                      .to = 20251231,
                      .limit = 5,
                      .flags = GL_LEDGER_FILTER,
                      .filter = filter_all};
    gl_ledger_q lout;
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &lq);
    cr_expect_eq(gl_ledger_q_decode(b.data, b.len, &lout), GL_ERR_BAD_FILTER);
    gl_buf_free(&b);
    lq.filter.fields = GL_FILTER_OPEN_AT;
    lq.filter.open_at = 20250230;
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &lq);
    cr_expect_eq(gl_ledger_q_decode(b.data, b.len, &lout), GL_ERR_BAD_DATE);
    gl_buf_free(&b);
}

Test(filter, every_truncation_is_malformed_and_a_tail_is_trailing)
{
    gl_journal_q q = journal_with(&filter_all), out;
    gl_buf b;
    gl_buf_init(&b);
    gl_journal_q_encode(&b, &q);
    size_t full = b.len;
    cr_assert_eq(full, 25 + 1 + 2 + 8 + 6 + 3 + 8);
    gl_put_u8(&b, 0);
    cr_expect_eq(gl_journal_q_decode(b.data, b.len, &out), GL_ERR_TRAILING_BYTES);
    for (size_t n = 25; n < full; n++) {
        uint8_t *d = malloc(n);
        memcpy(d, b.data, n);
        cr_expect_eq(gl_journal_q_decode(d, n, &out), GL_ERR_MALFORMED, "prefix %zu", n);
        free(d);
    }
    gl_buf_free(&b);
}

Test(filter, round_trip_and_old_bodies_mean_what_they_meant)
{
    gl_journal_q q = journal_with(&filter_all), out;
    gl_buf b;
    cr_assert_eq(journal_cut(&q, SIZE_MAX, &out, &b), GL_OK);
    cr_expect_eq(out.filter.fields, filter_all.fields);
    cr_expect(gl_str_eq(out.filter.account, "6"));
    cr_expect(gl_str_eq(out.filter.aux, "FOURN01"));
    cr_expect(gl_str_eq(out.filter.text, "\xc3\xa9lec"));
    cr_expect(gl_str_eq(out.filter.journal, "AC"));
    cr_expect_eq(out.filter.amount, 0x0102030405060708ll);
    /* the block's bytes: fields | str8 … | amount, after the 25 bytes */
    static const uint8_t want[] = {0x1F, 1, '6',  7,    'F', 'O', 'U', 'R', 'N', '0',
                                   '1',  5, 0xc3, 0xa9, 'l', 'e', 'c', 2,   'A', 'C',
                                   1,    2, 3,    4,    5,   6,   7,   8};
    cr_assert_eq(b.len, 25 + sizeof want);
    cr_expect_arr_eq(b.data + 25, want, sizeof want);
    gl_buf_free(&b);
    /* without the flag: no block, the 25 bytes of before */
    q.flags = 0;
    cr_assert_eq(journal_cut(&q, SIZE_MAX, &out, &b), GL_OK);
    cr_expect_eq(b.len, 25u);
    cr_expect_eq(out.filter.fields, 0);
    gl_buf_free(&b);
    /* LEDGER: aux and open_at */
    gl_ledger_q lq = {.account = {"401000", 6},
                      .from = 19000101,
                      .to = 20251231,
                      .limit = 5,
                      .flags = GL_LEDGER_FILTER,
                      .filter = {.fields = GL_FILTER_AUX | GL_FILTER_OPEN_AT,
                                 .aux = {"FOURN01", 7},
                                 .open_at = 20251231}};
    gl_ledger_q lout;
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &lq);
    cr_assert_eq(gl_ledger_q_decode(b.data, b.len, &lout), GL_OK);
    cr_expect_eq(lout.filter.open_at, 20251231u);
    cr_expect(gl_str_eq(lout.filter.aux, "FOURN01"));
    gl_buf_free(&b);
}

/* ---- what matches ---------------------------------------------------------- */

/* A supplier invoice: 606400 100,50 + 606300 20,00 "Entretien" / 401000
 * FOURN01 120,50; piece F-031, label "Électricité". */
static gl_entry invoice(gl_buf *b)
{
    gl_line_in lines[] = {
        {.account = "606400",
         .aux = "",
         .aux_label = "",
         .label = "",
         .side = GL_SIDE_DEBIT,
         .amount_cents = 10050},
        {.account = "606300",
         .aux = "",
         .aux_label = "",
         .label = "Entretien",
         .side = GL_SIDE_DEBIT,
         .amount_cents = 2000},
        {.account = "401000",
         .aux = "FOURN01",
         .aux_label = "",
         .label = "",
         .side = GL_SIDE_CREDIT,
         .amount_cents = 12050},
    };
    gl_entry_in in = {.tenant = "alpha",
                      .date = 20250331,
                      .journal = "AC",
                      .piece_ref = "F-031",
                      .piece_date = 20250331,
                      .label = "\xc3\x89lectricit\xc3\xa9",
                      .lines = lines,
                      .line_count = 3};
    gl_buf_init(b);
    gl_entry_encode(b, &in);
    gl_cur c;
    gl_entry e;
    gl_cur_init(&c, b->data, b->len);
    gl_entry_decode(&c, &e);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    return e;
}

Test(find, an_entry_matches_when_every_field_holds_and_line_fields_on_one_line)
{
    gl_buf b;
    gl_entry e = invoice(&b);
    struct {
        gl_filter f;
        bool want;
    } cases[] = {
        {{.fields = GL_FILTER_TEXT, .text = {"electricite", 11}}, true},
        {{.fields = GL_FILTER_TEXT, .text = {"f-03", 4}}, true},      /* the piece */
        {{.fields = GL_FILTER_TEXT, .text = {"ENTRETIEN", 9}}, true}, /* a line label */
        {{.fields = GL_FILTER_TEXT, .text = {"loyer", 5}}, false},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"6064", 4}}, true},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"6065", 4}}, false},
        {{.fields = GL_FILTER_ACCOUNT, .account = {"606400000", 9}}, false}, /* longer */
        {{.fields = GL_FILTER_AUX, .aux = {"FOURN01", 7}}, true},
        {{.fields = GL_FILTER_AUX, .aux = {"FOURN0", 6}}, false}, /* exact, not a prefix */
        {{.fields = GL_FILTER_AMOUNT, .amount = 12050}, true},    /* a credit */
        {{.fields = GL_FILTER_AMOUNT, .amount = 2000}, true},
        {{.fields = GL_FILTER_AMOUNT, .amount = 2001}, false},
        {{.fields = GL_FILTER_JOURNAL, .journal = {"AC", 2}}, true},
        {{.fields = GL_FILTER_JOURNAL, .journal = {"BQ", 2}}, false},
        /* line fields on one line: 401 with FOURN01 yes; 606 with FOURN01 no */
        {{.fields = GL_FILTER_ACCOUNT | GL_FILTER_AUX,
          .account = {"401", 3},
          .aux = {"FOURN01", 7}},
         true},
        {{.fields = GL_FILTER_ACCOUNT | GL_FILTER_AUX,
          .account = {"606", 3},
          .aux = {"FOURN01", 7}},
         false},
        {{.fields = GL_FILTER_ACCOUNT | GL_FILTER_AMOUNT, .account = {"6063", 4}, .amount = 2000},
         true},
        {{.fields = GL_FILTER_ACCOUNT | GL_FILTER_AMOUNT, .account = {"6064", 4}, .amount = 2000},
         false},
        {{.fields = GL_FILTER_TEXT | GL_FILTER_JOURNAL,
          .text = {"lectri", 6},
          .journal = {"AC", 2}},
         true},
        {{.fields = GL_FILTER_TEXT | GL_FILTER_JOURNAL,
          .text = {"lectri", 6},
          .journal = {"VT", 2}},
         false},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(gl_find_entry(&cases[i].f, &e), cases[i].want, "case %zu", i);
    /* lines: the text of another line does not make this one match */
    gl_line_iter it;
    gl_line l[3];
    gl_line_iter_init(&it, &e);
    for (int i = 0; i < 3; i++)
        cr_assert(gl_line_next(&it, &l[i]));
    gl_filter entretien = {.fields = GL_FILTER_TEXT, .text = {"entretien", 9}};
    cr_expect(!gl_find_line(&entretien, &e, &l[0]));
    cr_expect(gl_find_line(&entretien, &e, &l[1]));
    gl_filter elec = {.fields = GL_FILTER_TEXT, .text = {"ELECTRICITE", 11}};
    cr_expect(gl_find_line(&elec, &e, &l[2])); /* the entry label */
    gl_filter amount = {.fields = GL_FILTER_AMOUNT, .amount = 12050};
    cr_expect(!gl_find_line(&amount, &e, &l[0]));
    cr_expect(gl_find_line(&amount, &e, &l[2]));
    gl_buf_free(&b);
}

/* ---- partial dates ------------------------------------------------------------ */

static uint32_t first_of(const char *s, int *st)
{
    uint32_t f = 0, l = 0;
    char err[200];
    *st = date_span(s, &f, &l, err, sizeof err);
    return f;
}

Test(date_range, refusals_name_the_value_and_the_fault)
{
    struct {
        const char *s, *want;
    } bad[] = {
        {"2025-02-30", "2025-02-30: that day does not exist"},
        {"2024-02-30", "2024-02-30: that day does not exist"},
        {"2025-04-31", "2025-04-31: that day does not exist"},
        {"2025-13", "2025-13: no such month"},
        {"2025-00", "2025-00: no such month"},
        {"1899", "1899: the year must be 1900 to 2999"},
        {"25", "25: not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"2025/03", "2025/03: not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"2025-3-1", "2025-3-1: not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
        {"", ": not a date (YYYY, YYYY-MM or YYYY-MM-DD)"},
    };
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
        uint32_t f, l;
        char err[200];
        cr_expect_eq(date_span(bad[i].s, &f, &l, err, sizeof err), GL_ERR_BAD_DATE_TEXT, "%s",
                     bad[i].s);
        cr_expect_str_eq(err, bad[i].want);
    }
    date_bounds both = {.from = "2025", .begin = "2025"};
    uint32_t from, to;
    char err[200];
    cr_expect_eq(date_range(&both, 20250101, 20251231, &from, &to, err, sizeof err), GL_ERR_USAGE);
    date_bounds reversed = {.from = "2025-04", .to = "2025-03"};
    cr_expect_eq(date_range(&reversed, 20250101, 20251231, &from, &to, err, sizeof err),
                 GL_ERR_EMPTY_RANGE);
    cr_expect_str_eq(err, "from 2025-04-01 to 2025-03-31 holds no day");
    date_bounds empty = {.begin = "2025-03-01", .end = "2025-03-01"};
    cr_expect_eq(date_range(&empty, 20250101, 20251231, &from, &to, err, sizeof err),
                 GL_ERR_EMPTY_RANGE);
    date_bounds first = {.end = "1900"};
    cr_expect_eq(date_range(&first, 19000101, 20251231, &from, &to, err, sizeof err),
                 GL_ERR_EMPTY_RANGE);
}

Test(date_range, partial_dates_inclusive_and_hledger_end_exclusive)
{
    int st;
    cr_expect_eq(first_of("2024-02-29", &st), 20240229u);
    cr_expect_eq(st, 0);
    struct {
        date_bounds b;
        uint32_t from, to;
    } cases[] = {
        {{.from = "2025"}, 20250101, 20261231},
        {{.from = "2025", .to = "2025"}, 20250101, 20251231},
        {{.from = "2025-03", .to = "2025-03"}, 20250301, 20250331},
        {{.to = "2024-02"}, 20230101, 20240229},
        {{.from = "2025-03-15", .to = "2025-03-15"}, 20250315, 20250315},
        {{.begin = "2025-03", .end = "2025-04"}, 20250301, 20250331},
        {{.begin = "2025", .end = "2026"}, 20250101, 20251231},
        {{.begin = "2025-03-15", .end = "2025-03-16"}, 20250315, 20250315},
        {{.end = "2025-01-01"}, 20230101, 20241231},
        {{0}, 20230101, 20261231}, /* the defaults */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        uint32_t from, to;
        char err[200] = "";
        cr_expect_eq(date_range(&cases[i].b, 20230101, 20261231, &from, &to, err, sizeof err), 0,
                     "case %zu: %s", i, err);
        cr_expect_eq(from, cases[i].from, "case %zu", i);
        cr_expect_eq(to, cases[i].to, "case %zu", i);
    }
}
