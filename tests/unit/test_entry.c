/*
 * tests/unit/test_entry.c — proto/entry: canonical entry bytes (decode,
 * iterate, encode) and the ledger-free rules of gl_entry_check.
 * Refusals first, each with the line it must point at.
 */
#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Offset of line_count in the canonical bytes of e (layout 2 of entry.h,
 * with an empty extension area): tenant str8 | date u32 | journal str8 |
 * piece_ref str8 | piece_date u32 | label str8 | reverses_fy u16 |
 * reverses_num u32 | flags u8 | ext_len u16 (0) | line_count. */
static size_t line_count_offset(const gl_entry_in *e)
{
    return 1 + strlen(e->tenant) + 4 + 1 + strlen(e->journal) + 1 + strlen(e->piece_ref) + 4 + 1 +
           strlen(e->label) + 2 + 4 + 1 + 2;
}

static gl_line_in line(const char *account, uint8_t side, int64_t amount)
{
    gl_line_in l = {.account = account,
                    .aux = "",
                    .aux_label = "",
                    .label = "",
                    .side = side,
                    .amount_cents = amount};
    return l;
}

static gl_entry_in entry(const gl_line_in *lines, size_t n)
{
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "F-2024-001",
                     .label = "Cotisation",
                     .date = 20240315,
                     .piece_date = 20240314,
                     .reverses_fy = 0,
                     .reverses_num = 0,
                     .line_count = n,
                     .lines = lines};
    return e;
}

/* Encode e into *b (fresh) and decode it from an exact-size copy held in
 * *copy (freed by the caller).  Returns the decode status. */
static int encode_decode(const gl_entry_in *e, gl_buf *b, uint8_t **copy, gl_entry *out)
{
    gl_buf_init(b);
    cr_assert_eq(gl_entry_encode(b, e), GL_OK);
    *copy = malloc(b->len);
    cr_assert_not_null(*copy);
    memcpy(*copy, b->data, b->len);
    gl_cur c;
    gl_cur_init(&c, *copy, b->len);
    gl_entry_decode(&c, out);
    return gl_cur_end(&c);
}

/* Build, decode (must succeed) and check; returns the check status. */
static int check_lines(const gl_line_in *lines, size_t n, const char *journal, uint32_t *bad_line)
{
    gl_entry_in e = entry(lines, n);
    if (journal)
        e.journal = journal;
    gl_buf b;
    uint8_t *copy;
    gl_entry d;
    cr_assert_eq(encode_decode(&e, &b, &copy, &d), GL_OK);
    *bad_line = 12345;
    int st = gl_entry_check(&d, bad_line);
    free(copy);
    gl_buf_free(&b);
    return st;
}

/* ---- gl_entry_check refusals ------------------------------------------ */

Test(entry, check_too_few_lines)
{
    gl_line_in one[] = {line("512000", 'D', 100)};
    uint32_t bad;
    cr_expect_eq(check_lines(one, 0, NULL, &bad), GL_ERR_TOO_FEW_LINES);
    cr_expect_eq(bad, 0u);
    cr_expect_eq(check_lines(one, 1, NULL, &bad), GL_ERR_TOO_FEW_LINES);
    cr_expect_eq(bad, 0u);
}

Test(entry, check_amount_not_positive)
{
    static const int64_t amounts[] = {0, -1, INT64_MIN, -100};
    for (size_t i = 0; i < sizeof amounts / sizeof amounts[0]; i++) {
        gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', amounts[i]),
                           line("658000", 'C', 100)};
        uint32_t bad;
        cr_expect_eq(check_lines(ls, 3, NULL, &bad), GL_ERR_AMOUNT_NOT_POSITIVE, "%lld",
                     (long long)amounts[i]);
        cr_expect_eq(bad, 2u);
    }
    gl_line_in first[] = {line("512000", 'D', 0), line("756000", 'C', 0)};
    uint32_t bad;
    cr_expect_eq(check_lines(first, 2, NULL, &bad), GL_ERR_AMOUNT_NOT_POSITIVE);
    cr_expect_eq(bad, 1u);
}

Test(entry, check_bad_account)
{
    static const char *const bad_accounts[] = {
        "0123",                   /* class digit 0 */
        "512a",                   /* lowercase */
        "",                       /* empty */
        "A512",                   /* must start with a digit 1-9 */
        "512 000",                /* space */
        "512-000", "512\xc3\x89", /* non-ASCII */
    };
    for (size_t i = 0; i < sizeof bad_accounts / sizeof bad_accounts[0]; i++) {
        gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 50),
                           line(bad_accounts[i], 'C', 50)};
        uint32_t bad;
        cr_expect_eq(check_lines(ls, 3, NULL, &bad), GL_ERR_BAD_ACCOUNT, "\"%s\"", bad_accounts[i]);
        cr_expect_eq(bad, 3u, "\"%s\"", bad_accounts[i]);
    }
}

Test(entry, check_bad_journal)
{
    static const char *const bad_journals[] = {"", "bq", "Bq", "B Q", "B-Q", "\xc3\x89"};
    gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 100)};
    for (size_t i = 0; i < sizeof bad_journals / sizeof bad_journals[0]; i++) {
        uint32_t bad;
        cr_expect_eq(check_lines(ls, 2, bad_journals[i], &bad), GL_ERR_BAD_JOURNAL, "\"%s\"",
                     bad_journals[i]);
        cr_expect_eq(bad, 0u);
    }
}

Test(entry, check_overflow)
{
    /* Two debits that sum past INT64_MAX: the second line is at fault. */
    gl_line_in deb[] = {line("512000", 'D', INT64_MAX), line("512100", 'D', 1),
                        line("756000", 'C', 1)};
    uint32_t bad;
    cr_expect_eq(check_lines(deb, 3, NULL, &bad), GL_ERR_OVERFLOW);
    cr_expect_eq(bad, 2u);
    /* Same on the credit side, at line 3. */
    gl_line_in cre[] = {line("512000", 'D', 2), line("756000", 'C', INT64_MAX - 1),
                        line("756100", 'C', 2)};
    cr_expect_eq(check_lines(cre, 3, NULL, &bad), GL_ERR_OVERFLOW);
    cr_expect_eq(bad, 3u);
}

Test(entry, check_unbalanced_by_one_cent)
{
    gl_line_in ls[] = {line("512000", 'D', 10001), line("756000", 'C', 10000)};
    uint32_t bad;
    cr_expect_eq(check_lines(ls, 2, NULL, &bad), GL_ERR_UNBALANCED);
    cr_expect_eq(bad, 0u);
    gl_line_in ls2[] = {line("512000", 'D', 1), line("756000", 'C', 2)};
    cr_expect_eq(check_lines(ls2, 2, NULL, &bad), GL_ERR_UNBALANCED);
    cr_expect_eq(bad, 0u);
    /* All debits, no credit. */
    gl_line_in ls3[] = {line("512000", 'D', 1), line("756000", 'D', 1)};
    cr_expect_eq(check_lines(ls3, 2, NULL, &bad), GL_ERR_UNBALANCED);
}

/* ---- decode refusals --------------------------------------------------- */

static int decode_bytes(const uint8_t *p, size_t n, gl_entry *e)
{
    uint8_t *d = malloc(n ? n : 1);
    cr_assert_not_null(d);
    if (n)
        memcpy(d, p, n);
    gl_cur c;
    gl_cur_init(&c, d, n);
    gl_entry_decode(&c, e);
    int st = gl_cur_end(&c);
    free(d);
    return st;
}

Test(entry, decode_bad_side)
{
    static const uint8_t sides[] = {0, 'd', 'c', 'X', 0xff, ' '};
    for (size_t i = 0; i < sizeof sides; i++) {
        gl_line_in ls[] = {line("512000", 'D', 100), line("756000", sides[i], 100)};
        gl_entry_in e = entry(ls, 2);
        gl_buf b;
        gl_buf_init(&b);
        cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
        gl_entry d;
        cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_BAD_SIDE, "side 0x%02x", sides[i]);
        gl_buf_free(&b);
    }
}

Test(entry, decode_bad_date)
{
    static const uint32_t dates[] = {0, 20240230, 20241301, 18991231, 30000101, 20240100};
    gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 100)};
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        for (int field = 0; field < 2; field++) {
            gl_entry_in e = entry(ls, 2);
            if (field == 0)
                e.date = dates[i];
            else
                e.piece_date = dates[i];
            gl_buf b;
            gl_buf_init(&b);
            cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
            gl_entry d;
            cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_BAD_DATE, "%s %u",
                         field ? "piece_date" : "date", (unsigned)dates[i]);
            gl_buf_free(&b);
        }
    }
}

Test(entry, decode_line_count_over_limit)
{
    gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 100)};
    gl_entry_in e = entry(ls, 2);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    size_t off = line_count_offset(&e);
    cr_assert_eq(gl_rd16(b.data + off), 2);
    static const uint16_t counts[] = {GL_LINES_MAX + 1, 5000, UINT16_MAX};
    for (size_t i = 0; i < 3; i++) {
        gl_be16(b.data + off, counts[i]);
        gl_entry d;
        cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_COUNT_LIMIT, "count %u",
                     (unsigned)counts[i]);
    }
    gl_buf_free(&b);

    /* The encoder refuses too, without writing anything. */
    gl_line_in *many = calloc(GL_LINES_MAX + 1, sizeof *many);
    cr_assert_not_null(many);
    for (size_t i = 0; i <= GL_LINES_MAX; i++)
        many[i] = line("512000", i % 2 ? 'C' : 'D', 1);
    e = entry(many, GL_LINES_MAX + 1);
    gl_buf_init(&b);
    cr_expect_eq(gl_entry_encode(&b, &e), GL_ERR_COUNT_LIMIT);
    cr_expect_eq(b.len, 0u);
    /* Exactly GL_LINES_MAX lines decode and balance. */
    e.line_count = GL_LINES_MAX;
    uint8_t *copy;
    gl_entry d;
    cr_expect_eq(encode_decode(&e, &b, &copy, &d), GL_OK);
    cr_expect_eq(d.line_count, GL_LINES_MAX);
    uint32_t bad;
    cr_expect_eq(gl_entry_check(&d, &bad), GL_OK);
    free(copy);
    gl_buf_free(&b);
    free(many);
}

Test(entry, decode_reverses_half_set_is_malformed)
{
    gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 100)};
    static const struct {
        uint16_t fy;
        uint32_t num;
        int status;
    } rows[] = {
        {2024, 0, GL_ERR_MALFORMED},
        {0, 17, GL_ERR_MALFORMED},
        {0, UINT32_MAX, GL_ERR_MALFORMED},
        {UINT16_MAX, 0, GL_ERR_MALFORMED},
        {0, 0, GL_OK},
        {2024, 17, GL_OK},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        gl_entry_in e = entry(ls, 2);
        e.reverses_fy = rows[i].fy;
        e.reverses_num = rows[i].num;
        gl_buf b;
        gl_buf_init(&b);
        cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
        gl_entry d;
        cr_expect_eq(decode_bytes(b.data, b.len, &d), rows[i].status, "row %zu", i);
        gl_buf_free(&b);
    }
}

Test(entry, decode_reserved_flag_bits)
{
    gl_line_in ls[] = {line("512000", 'D', 100), line("756000", 'C', 100)};
    static const struct {
        uint8_t flags;
        int status;
    } rows[] = {
        {0x04, GL_ERR_RESERVED_NONZERO},  {0x08, GL_ERR_RESERVED_NONZERO},
        {0x80, GL_ERR_RESERVED_NONZERO},  {0xff, GL_ERR_RESERVED_NONZERO},
        {0x07, GL_ERR_RESERVED_NONZERO},  {0, GL_OK},
        {GL_ENTRY_RESULT_CLOSING, GL_OK}, {GL_ENTRY_OPENING, GL_OK},
        {GL_ENTRY_FLAGS_ALL, GL_OK},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        gl_entry_in e = entry(ls, 2);
        e.flags = rows[i].flags;
        gl_buf b;
        gl_buf_init(&b);
        cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
        cr_assert_eq(b.data[line_count_offset(&e) - 3] /* flags, then the empty extension area */,
                     rows[i].flags);
        gl_entry d;
        cr_expect_eq(decode_bytes(b.data, b.len, &d), rows[i].status, "flags 0x%02x",
                     (unsigned)rows[i].flags);
        if (rows[i].status == GL_OK)
            cr_expect_eq(d.flags, rows[i].flags);
        gl_buf_free(&b);
    }
}

Test(entry, decode_string_limits)
{
    /* Each string field one byte over its limit, hand-built. */
    gl_buf b;
    gl_buf_init(&b);
    char x[256];
    memset(x, 'A', sizeof x);
    gl_entry d;
    /* journal of 9 bytes */
    gl_put_str8(&b, "acme", 4);
    gl_put_u32(&b, 20240101);
    gl_put_str8(&b, x, GL_JOURNAL_MAX + 1);
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_STRING_TOO_LONG);
    /* tenant of 17 bytes */
    gl_buf_reset(&b);
    gl_put_str8(&b, x, GL_TENANT_MAX + 1);
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_STRING_TOO_LONG);
    /* account of 21 bytes */
    gl_line_in ls[] = {line("51200000000000000000", 'D', 1), line("756000", 'C', 1)};
    gl_entry_in e = entry(ls, 2);
    gl_buf_reset(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_OK, "20-byte account fits");
    size_t off = line_count_offset(&e) + 2;
    cr_assert_eq(b.data[off], GL_ACCOUNT_MAX);
    b.data[off] = GL_ACCOUNT_MAX + 1;
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_STRING_TOO_LONG);
    /* a label with a control byte */
    e = entry(ls, 2);
    e.label = "Ligne\tavec tab";
    gl_buf_reset(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    /* The encoder refuses over-long strings and leaves out unchanged. */
    gl_buf_init(&b);
    gl_put_u8(&b, 0x77);
    e = entry(ls, 2);
    e.piece_ref = "0123456789012345678901234567890123456789012345678901234567890123X";
    cr_expect_eq(gl_entry_encode(&b, &e), GL_ERR_STRING_TOO_LONG);
    cr_expect_eq(b.len, 1u);
    gl_line_in longacc[] = {line("512000000000000000000", 'D', 1), line("756000", 'C', 1)};
    e = entry(longacc, 2);
    cr_expect_eq(gl_entry_encode(&b, &e), GL_ERR_STRING_TOO_LONG);
    cr_expect_eq(b.len, 1u);
    gl_buf_free(&b);
}

Test(entry, decode_truncated_at_every_length)
{
    gl_line_in ls[] = {line("512000", 'D', 12345), line("756000", 'C', 12345)};
    gl_entry_in e = entry(ls, 2);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    for (size_t n = 0; n < b.len; n++) {
        gl_entry d;
        cr_expect_eq(decode_bytes(b.data, n, &d), GL_ERR_MALFORMED, "prefix %zu", n);
    }
    gl_entry d;
    gl_put_u8(&b, 0);
    cr_expect_eq(decode_bytes(b.data, b.len, &d), GL_ERR_TRAILING_BYTES);
    gl_buf_free(&b);
}

/* ---- round trip -------------------------------------------------------- */

Test(entry, encode_decode_round_trip)
{
    gl_line_in ls[] = {
        {.account = "411000",
         .aux = "CLI0042",
         .aux_label = "Dupont \xc3\xa9lise",
         .label = "Facture 42",
         .side = 'D',
         .amount_cents = 120000},
        {.account = "706000",
         .aux = "",
         .aux_label = "",
         .label = "Prestation",
         .side = 'C',
         .amount_cents = 100000},
        {.account = "44571",
         .aux = "",
         .aux_label = "",
         .label = "TVA 20 %",
         .side = 'C',
         .amount_cents = 20000},
    };
    gl_entry_in e = {.tenant = "asso-velo",
                     .journal = "VT",
                     .piece_ref = "FA-42",
                     .label = "Vente \xe2\x82\xac",
                     .date = 20240229,
                     .piece_date = 20240228,
                     .reverses_fy = 2023,
                     .reverses_num = 99,
                     .flags = GL_ENTRY_OPENING,
                     .line_count = 3,
                     .lines = ls};
    gl_buf b;
    uint8_t *copy;
    gl_entry d;
    cr_assert_eq(encode_decode(&e, &b, &copy, &d), GL_OK);
    cr_expect(gl_str_eq(d.tenant, "asso-velo"));
    cr_expect_eq(d.date, 20240229u);
    cr_expect(gl_str_eq(d.journal, "VT"));
    cr_expect(gl_str_eq(d.piece_ref, "FA-42"));
    cr_expect_eq(d.piece_date, 20240228u);
    cr_expect(gl_str_eq(d.label, "Vente \xe2\x82\xac"));
    cr_expect_eq(d.reverses_fy, 2023);
    cr_expect_eq(d.reverses_num, 99u);
    cr_expect_eq(d.flags, GL_ENTRY_OPENING);
    cr_expect_eq(d.line_count, 3);
    cr_expect_eq(d.raw, copy);
    cr_expect_eq(d.raw_len, b.len);
    cr_expect_eq(d.lines, copy + line_count_offset(&e) + 2);
    cr_expect_eq(d.lines + d.lines_len, copy + b.len);

    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &d);
    for (size_t i = 0; i < 3; i++) {
        cr_assert(gl_line_next(&it, &l), "line %zu", i);
        cr_expect(gl_str_eq(l.account, ls[i].account));
        cr_expect(gl_str_eq(l.aux, ls[i].aux));
        cr_expect(gl_str_eq(l.aux_label, ls[i].aux_label));
        cr_expect(gl_str_eq(l.label, ls[i].label));
        cr_expect_eq(l.side, ls[i].side);
        cr_expect_eq(l.amount_cents, ls[i].amount_cents);
        cr_expect_eq(gl_line_signed(&l),
                     ls[i].side == 'D' ? ls[i].amount_cents : -ls[i].amount_cents);
    }
    cr_expect(!gl_line_next(&it, &l));
    cr_expect(!gl_line_next(&it, &l));
    uint32_t bad;
    cr_expect_eq(gl_entry_check(&d, &bad), GL_OK);
    cr_expect_eq(bad, 0u);
    free(copy);
    gl_buf_free(&b);
}

Test(entry, decode_two_entries_back_to_back)
{
    gl_line_in ls[] = {line("512000", 'D', 1), line("756000", 'C', 1)};
    gl_entry_in e = entry(ls, 2);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    size_t one = b.len;
    e.date = 20241231;
    cr_assert_eq(gl_entry_encode(&b, &e), GL_OK);
    cr_assert_eq(b.len, 2 * one);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_entry d1, d2;
    gl_entry_decode(&c, &d1);
    gl_entry_decode(&c, &d2);
    cr_expect_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(d1.raw_len, one);
    cr_expect_eq(d2.raw, b.data + one);
    cr_expect_eq(d2.date, 20241231u);
    gl_buf_free(&b);
}

Test(entry, check_boundaries_ok)
{
    /* INT64_MAX on both sides balances; one cent is the smallest amount. */
    gl_line_in max[] = {line("512000", 'D', INT64_MAX), line("756000", 'C', INT64_MAX)};
    uint32_t bad;
    cr_expect_eq(check_lines(max, 2, NULL, &bad), GL_OK);
    cr_expect_eq(bad, 0u);
    gl_line_in cent[] = {line("512000", 'D', 1), line("756000", 'C', 1)};
    cr_expect_eq(check_lines(cent, 2, NULL, &bad), GL_OK);
    gl_line_in split[] = {line("512000", 'D', INT64_MAX - 1), line("512100", 'D', 1),
                          line("756000", 'C', INT64_MAX)};
    cr_expect_eq(check_lines(split, 3, NULL, &bad), GL_OK);
    gl_line_in longest[] = {line("9ZZZZZZZZZZZZZZZZZZZ", 'D', 1), line("1", 'C', 1)};
    cr_expect_eq(check_lines(longest, 2, "ABCDEFGH", &bad), GL_OK);
}

Test(entry, account_and_journal_syntax_tables)
{
    static const struct {
        const char *s;
        bool account, journal;
    } rows[] = {
        {"", false, false},
        {"0", false, true},
        {"0123", false, true},
        {"1", true, true},
        {"9", true, true},
        {"512000", true, true},
        {"512A", true, true},
        {"512a", false, false},
        {"A", false, true},
        {"ABCDEFGH", false, true},
        {"ABCDEFGHI", false, false},
        {"12345678", true, true},
        {"123456789", true, false},
        {"12345678901234567890", true, false},
        {"123456789012345678901", false, false},
        {"4 11", false, false},
        {"41-1", false, false},
        {"41_1", false, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        gl_str s = {rows[i].s, strlen(rows[i].s)};
        cr_expect_eq(gl_account_valid(s), rows[i].account, "account \"%s\"", rows[i].s);
        cr_expect_eq(gl_journal_valid(s), rows[i].journal, "journal \"%s\"", rows[i].s);
    }
}

/* gl_entry_opposite_pairs: each reversal line, in order, takes the first
 * free opposite line; identical lines pair in their order; a line without
 * its opposite, or another line count, does not pair. */
Test(entry, opposite_pairs_take_the_first_free_line)
{
    gl_line_in ol[3] = {line("606100", GL_SIDE_DEBIT, 500), line("606100", GL_SIDE_DEBIT, 500),
                        line("401000", GL_SIDE_CREDIT, 1000)};
    gl_line_in rl[3] = {line("401000", GL_SIDE_DEBIT, 1000), line("606100", GL_SIDE_CREDIT, 500),
                        line("606100", GL_SIDE_CREDIT, 500)};
    gl_entry_in oe = entry(ol, 3), re = entry(rl, 3);
    gl_buf ob, rb;
    uint8_t *oc, *rc;
    gl_entry o, r;
    cr_assert_eq(encode_decode(&oe, &ob, &oc, &o), GL_OK);
    cr_assert_eq(encode_decode(&re, &rb, &rc, &r), GL_OK);
    static uint16_t pair[GL_LINES_MAX];
    cr_assert(gl_entry_opposite_pairs(&r, &o, pair));
    cr_expect_eq(pair[0], 3);
    cr_expect_eq(pair[1], 1);
    cr_expect_eq(pair[2], 2);
    cr_expect(!gl_entry_opposite_pairs(&o, &o, pair), "the same sides do not pair");
    gl_buf_free(&rb);
    free(rc);
    rl[2] = line("606100", GL_SIDE_CREDIT, 400);
    re = entry(rl, 3);
    cr_assert_eq(encode_decode(&re, &rb, &rc, &r), GL_OK);
    cr_expect(!gl_entry_opposite_pairs(&r, &o, pair), "an amount differs");
    gl_buf_free(&rb);
    free(rc);
    re = entry(rl, 2);
    cr_assert_eq(encode_decode(&re, &rb, &rc, &r), GL_OK);
    cr_expect(!gl_entry_opposite_pairs(&r, &o, pair), "another line count");
    gl_buf_free(&rb);
    free(rc);
    gl_buf_free(&ob);
    free(oc);
}
