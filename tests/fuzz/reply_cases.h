/*
 * tests/fuzz/reply_cases.h — the reply bodies of proto/reply.h (kinds 1-15
 * and 18, BALANCE in both row layouts) as cases for fuzz_reply and test_reply: a realistic sample body
 * of each, and the round trip "decode, then re-encode from the struct and
 * its rows" (row encoders and begin/end included, as the daemon writes).
 * Static functions only; included by one .c each.
 *
 * The seeds of tests/fuzz/corpus/fuzz_reply are these samples, each after
 * its case byte (reply_case_seed writes one).
 */
#ifndef GL_FUZZ_REPLY_CASES_H
#define GL_FUZZ_REPLY_CASES_H

#include "proto/entry.h"
#include "proto/limits.h"
#include "proto/reply.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <stdbool.h>
#include <string.h>

/* Each includer uses part of them. */
#define RC_UNUSED __attribute__((unused))

enum reply_case {
    RC_PING,
    RC_ACCOUNTS_OPEN,
    RC_ACCOUNTS_LIST,
    RC_POST,
    RC_BALANCE,
    RC_JOURNAL,
    RC_JOURNAL_LETTERS,
    RC_LEDGER,
    RC_ENTRY_GET,
    RC_LOCK,
    RC_CLOSE_YEAR,
    RC_LETTER,
    RC_UNLETTER,
    RC_PERIODS,
    RC_CHAIN,
    RC_ENVELOPE,
    RC_ACCOUNT_LABEL,
    RC_BALANCE_NAMED, /* BALANCE with request flag GL_BALANCE_AUX_LABELS */
    RC_COUNT
};

static RC_UNUSED const char *const reply_case_name[RC_COUNT] = {
    "ping",       "accounts_open",   "accounts_list", "post",      "balance",
    "journal",    "journal_letters", "ledger",        "entry_get", "lock",
    "close_year", "letter",          "unletter",      "periods",   "chain",
    "envelope",   "account_label",   "balance_named",
};

#define S(lit) ((gl_str){lit, sizeof lit - 1})

static const uint8_t reply_case_key[32] = {0x5a, 1,  2,  3,  4,  5,  6,  7,  8,  9,  10,
                                           11,   12, 13, 14, 15, 16, 17, 18, 19, 20, 21,
                                           22,   23, 24, 25, 26, 27, 28, 29, 30, 31};

/* A canonical entry of two lines, the second with a validation date when
 * dated (as fec import sends). */
static RC_UNUSED void reply_case_entry(gl_buf *b, bool dated)
{
    static const gl_line_in lines[2] = {
        {"512000", "", "", "Virement", GL_SIDE_DEBIT, 12345},
        {"706000", "C01", "Client un", "", GL_SIDE_CREDIT, 12345},
    };
    uint8_t area[2 + GL_EXT_VALID_DATE_LEN];
    size_t area_len = dated ? gl_ext_valid_date_put(area, 20250228) : 0;
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "R1",
                     .label = "Cotisation é",
                     .date = 20250115,
                     .piece_date = 20250114,
                     .line_count = 2,
                     .lines = lines,
                     .ext = {area, area_len}};
    gl_entry_encode(b, &e);
}

static RC_UNUSED void reply_case_decoded_entry(gl_buf *raw, gl_entry *e, bool dated)
{
    reply_case_entry(raw, dated);
    gl_cur c;
    gl_cur_init_stored(&c, raw->data, raw->len);
    gl_entry_decode(&c, e);
}

/* The sample body of case k, as the daemon would write it. */
static RC_UNUSED void reply_case_sample(int k, gl_buf *b)
{
    static const uint8_t ledger_id[16] = {0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77,
                                          0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff};
    gl_buf raw;
    gl_buf_init(&raw);
    gl_entry e;
    switch (k) {
    case RC_PING: {
        gl_reply_ping r = {S("grandlivred 0.1"), 1700000000000, ledger_id, 1, S("acme"),
                           S("tresorier")};
        gl_reply_ping_encode(b, &r);
        break;
    }
    case RC_ACCOUNTS_OPEN: {
        gl_reply_accounts_open r = {3, 1};
        gl_reply_accounts_open_encode(b, &r);
        break;
    }
    case RC_ACCOUNT_LABEL: {
        gl_reply_account_label r = {2, 5};
        gl_reply_account_label_encode(b, &r);
        break;
    }
    case RC_ACCOUNTS_LIST: {
        size_t at = gl_reply_accounts_list_begin(b);
        gl_reply_accounts_list_row r1 = {S("512000"), S("Banque"), 1},
                                   r2 = {S("706000"), S("Prestations é"), 1};
        gl_reply_accounts_list_put_row(b, &r1);
        gl_reply_accounts_list_put_row(b, &r2);
        gl_reply_accounts_list_end(b, at, 2);
        break;
    }
    case RC_POST: {
        gl_reply_post_begin(b, 2);
        gl_reply_post_row r1 = {2025, 1}, r2 = {2025, 2};
        gl_reply_post_put_row(b, &r1);
        gl_reply_post_put_row(b, &r2);
        break;
    }
    case RC_BALANCE: {
        gl_reply_balance head = {.fy = 2025, .from = 20250101, .at = 20250630};
        size_t at = gl_reply_balance_begin(b, &head);
        gl_reply_balance_row r1 = {S("512000"), S(""), S("Banque"), 12345, 0, S("")};
        gl_reply_balance_row r2 = {S("706000"), S("C01"), S("Prestations"), 0, 12345, S("")};
        gl_reply_balance_put_row(b, &r1);
        gl_reply_balance_put_row(b, &r2);
        gl_reply_balance_end(b, at, 2);
        break;
    }
    case RC_BALANCE_NAMED: {
        gl_reply_balance head = {.fy = 2025, .from = 20250101, .at = 20250630, .aux_labels = true};
        size_t at = gl_reply_balance_begin(b, &head);
        gl_reply_balance_row r1 = {S("401000"), S("F01"), S("Fournisseurs"),
                                   0,           12000,    S("Papeterie")};
        gl_reply_balance_row r2 = {S("411000"), S("C01"), S("Usagers"), 12345, 0, S("Client un")};
        gl_reply_balance_row r3 = {S("512000"), S(""), S("Banque"), 12345, 0, S("")};
        gl_reply_balance_put_row_named(b, &r1);
        gl_reply_balance_put_row_named(b, &r2);
        gl_reply_balance_put_row_named(b, &r3);
        gl_reply_balance_end(b, at, 3);
        break;
    }
    case RC_JOURNAL:
    case RC_JOURNAL_LETTERS: {
        bool letters = k == RC_JOURNAL_LETTERS;
        reply_case_decoded_entry(&raw, &e, letters);
        gl_buf rows;
        gl_buf_init(&rows);
        gl_reply_journal_row row = {2025, 7, 1736935200000, reply_case_key, e, {"", 0}};
        gl_reply_journal_put_row(&rows, &row);
        gl_reply_letter l1 = {S("AB"), 20250301}, l2 = {S(""), 0};
        if (letters) {
            gl_reply_letter_put(&rows, &l1, true);
            gl_reply_letter_put(&rows, &l2, true);
        }
        gl_reply_journal r = {42, 1, 2025, 7, 1, gl_reply_view(rows.data, rows.len), letters};
        gl_reply_journal_encode(b, &r);
        gl_buf_free(&rows);
        break;
    }
    case RC_LEDGER: {
        gl_buf rows;
        gl_buf_init(&rows);
        gl_reply_ledger_row r1 = {20250115, 2025,          7,     1,     S("BQ"),
                                  S("R1"),  S("Virement"), S(""), 12345, S("A")};
        gl_reply_ledger_row r2 = {20250116, 2025,         8,        2,    S("VT"),
                                  S("F2"),  S("Vente é"), S("C01"), -500, S("")};
        gl_reply_ledger_put_row(&rows, &r1);
        gl_reply_ledger_put_row(&rows, &r2);
        gl_reply_ledger r = {
            42, 0, 20250116, 2025, 8, 2, -1000, 2, gl_reply_view(rows.data, rows.len)};
        gl_reply_ledger_encode(b, &r);
        gl_buf_free(&rows);
        break;
    }
    case RC_ENTRY_GET: {
        reply_case_decoded_entry(&raw, &e, true);
        gl_reply_entry_get r = {.fy = 2025,
                                .num = 7,
                                .recorded_ms = 1736935200000,
                                .signer = reply_case_key,
                                .reversed_by_fy = 2025,
                                .reversed_by_num = 9,
                                .entry = e,
                                .code_count = e.line_count};
        gl_reply_entry_get_begin(b, &r);
        gl_reply_letter l1 = {S("AB"), 0}, l2 = {S(""), 0};
        gl_reply_letter_put(b, &l1, false);
        gl_reply_letter_put(b, &l2, false);
        break;
    }
    case RC_LOCK: {
        gl_reply_lock r = {202412, 202503};
        gl_reply_lock_encode(b, &r);
        break;
    }
    case RC_CLOSE_YEAR: {
        gl_reply_close_year r = {2024, 120, 2025, 1, -4567};
        gl_reply_close_year_encode(b, &r);
        break;
    }
    case RC_LETTER: {
        gl_reply_letter_done r = {S("AC"), 20250301};
        gl_reply_letter_done_encode(b, &r);
        break;
    }
    case RC_UNLETTER: {
        gl_reply_unletter r = {3};
        gl_reply_unletter_encode(b, &r);
        break;
    }
    case RC_PERIODS: {
        gl_reply_periods r = {S("Association des amis"),
                              S("123456789"),
                              1,
                              S("AMI"),
                              202412,
                              2,
                              {"", 0},
                              true,
                              202501,
                              202503};
        size_t at = gl_reply_periods_begin(b, &r);
        gl_reply_periods_row r1 = {2024, 20240101, 20241231, 120, 1, 120, 2025, 1, 4567};
        gl_reply_periods_row r2 = {2025, 20250101, 20251231, 12, 0, 0, 0, 0, 0};
        gl_reply_periods_put_row(b, &r1);
        gl_reply_periods_put_row(b, &r2);
        gl_reply_periods_end(b, at, &r);
        break;
    }
    case RC_CHAIN: {
        static const uint8_t rec1[] = {0, 1, 2, 3, 4, 5, 6, 7, 8, 9}, rec2[] = {0xff};
        gl_reply_chain head = {2, reply_case_key, 2, {"", 0}};
        size_t at = gl_reply_chain_begin(b, &head);
        gl_reply_chain_row r1 = {1, rec1, sizeof rec1}, r2 = {2, rec2, sizeof rec2};
        gl_reply_chain_put_row(b, &r1);
        gl_reply_chain_put_row(b, &r2);
        gl_reply_chain_end(b, at, 2);
        break;
    }
    case RC_ENVELOPE: {
        gl_reply_envelope r = {S("GLRQ\x00\x02 a signed request")};
        gl_reply_envelope_encode(b, &r);
        break;
    }
    default: break;
    }
    gl_buf_free(&raw);
}

/* Decode body as case k and re-encode it into out from the decoded struct,
 * row by row.  GL_OK (out holds the re-encoding) or the decoder's status. */
static RC_UNUSED int reply_case_roundtrip(int k, gl_str body, gl_buf *out)
{
    int st = GL_ERR_MALFORMED;
    switch (k) {
    case RC_PING: {
        gl_reply_ping r;
        if ((st = gl_reply_ping_decode(body, &r)) == GL_OK)
            gl_reply_ping_encode(out, &r);
        break;
    }
    case RC_ACCOUNTS_OPEN: {
        gl_reply_accounts_open r;
        if ((st = gl_reply_accounts_open_decode(body, &r)) == GL_OK)
            gl_reply_accounts_open_encode(out, &r);
        break;
    }
    case RC_ACCOUNT_LABEL: {
        gl_reply_account_label r;
        if ((st = gl_reply_account_label_decode(body, &r)) == GL_OK)
            gl_reply_account_label_encode(out, &r);
        break;
    }
    case RC_ACCOUNTS_LIST: {
        gl_reply_accounts_list r;
        gl_reply_accounts_list_iter it;
        gl_reply_accounts_list_row row;
        if ((st = gl_reply_accounts_list_decode(body, &r)) != GL_OK)
            break;
        size_t at = gl_reply_accounts_list_begin(out);
        gl_reply_accounts_list_iter_init(&it, &r);
        while (gl_reply_accounts_list_next(&it, &row) == 1)
            gl_reply_accounts_list_put_row(out, &row);
        gl_reply_accounts_list_end(out, at, r.count);
        break;
    }
    case RC_POST: {
        gl_reply_post r;
        gl_reply_post_iter it;
        gl_reply_post_row row;
        if ((st = gl_reply_post_decode(body, &r)) != GL_OK)
            break;
        gl_reply_post_begin(out, r.count);
        gl_reply_post_iter_init(&it, &r);
        while (gl_reply_post_next(&it, &row) == 1)
            gl_reply_post_put_row(out, &row);
        break;
    }
    case RC_BALANCE: {
        gl_reply_balance r;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        if ((st = gl_reply_balance_decode(body, &r)) != GL_OK)
            break;
        size_t at = gl_reply_balance_begin(out, &r);
        gl_reply_balance_iter_init(&it, &r);
        while (gl_reply_balance_next(&it, &row) == 1)
            gl_reply_balance_put_row(out, &row);
        gl_reply_balance_end(out, at, r.count);
        break;
    }
    case RC_BALANCE_NAMED: {
        gl_reply_balance r;
        gl_reply_balance_iter it;
        gl_reply_balance_row row;
        if ((st = gl_reply_balance_decode_flags(body, GL_BALANCE_AUX_LABELS, &r)) != GL_OK)
            break;
        size_t at = gl_reply_balance_begin(out, &r);
        gl_reply_balance_iter_init(&it, &r);
        while (gl_reply_balance_next(&it, &row) == 1)
            gl_reply_balance_put_row_named(out, &row);
        gl_reply_balance_end(out, at, r.count);
        break;
    }
    case RC_JOURNAL:
    case RC_JOURNAL_LETTERS: {
        gl_reply_journal r;
        gl_reply_journal_iter it;
        gl_reply_journal_row row;
        if ((st = gl_reply_journal_decode(body, k == RC_JOURNAL_LETTERS, &r)) != GL_OK)
            break;
        gl_buf rows;
        gl_buf_init(&rows);
        gl_reply_journal_iter_init(&it, &r);
        while (gl_reply_journal_next(&it, &row) == 1) {
            gl_reply_journal_put_row(&rows, &row);
            gl_reply_letter_iter li;
            gl_reply_letter l;
            gl_reply_journal_letters(&row, &li);
            while (gl_reply_letter_next(&li, &l) == 1)
                gl_reply_letter_put(&rows, &l, true);
        }
        r.rows = gl_reply_view(rows.data, rows.len);
        gl_reply_journal_encode(out, &r);
        gl_buf_free(&rows);
        break;
    }
    case RC_LEDGER: {
        gl_reply_ledger r;
        gl_reply_ledger_iter it;
        gl_reply_ledger_row row;
        if ((st = gl_reply_ledger_decode(body, &r)) != GL_OK)
            break;
        gl_buf rows;
        gl_buf_init(&rows);
        gl_reply_ledger_iter_init(&it, &r);
        while (gl_reply_ledger_next(&it, &row) == 1)
            gl_reply_ledger_put_row(&rows, &row);
        r.rows = gl_reply_view(rows.data, rows.len);
        gl_reply_ledger_encode(out, &r);
        gl_buf_free(&rows);
        break;
    }
    case RC_ENTRY_GET: {
        gl_reply_entry_get r;
        if ((st = gl_reply_entry_get_decode(body, &r)) != GL_OK)
            break;
        gl_reply_entry_get_begin(out, &r);
        gl_reply_letter_iter li;
        gl_reply_letter l;
        gl_reply_entry_get_codes(&r, &li);
        while (gl_reply_letter_next(&li, &l) == 1)
            gl_reply_letter_put(out, &l, false);
        break;
    }
    case RC_LOCK: {
        gl_reply_lock r;
        if ((st = gl_reply_lock_decode(body, &r)) == GL_OK)
            gl_reply_lock_encode(out, &r);
        break;
    }
    case RC_CLOSE_YEAR: {
        gl_reply_close_year r;
        if ((st = gl_reply_close_year_decode(body, &r)) == GL_OK)
            gl_reply_close_year_encode(out, &r);
        break;
    }
    case RC_LETTER: {
        gl_reply_letter_done r;
        if ((st = gl_reply_letter_done_decode(body, &r)) == GL_OK)
            gl_reply_letter_done_encode(out, &r);
        break;
    }
    case RC_UNLETTER: {
        gl_reply_unletter r;
        if ((st = gl_reply_unletter_decode(body, &r)) == GL_OK)
            gl_reply_unletter_encode(out, &r);
        break;
    }
    case RC_PERIODS: {
        gl_reply_periods r;
        gl_reply_periods_iter it;
        gl_reply_periods_row row;
        if ((st = gl_reply_periods_decode(body, &r)) != GL_OK)
            break;
        size_t at = gl_reply_periods_begin(out, &r);
        gl_reply_periods_iter_init(&it, &r);
        while (gl_reply_periods_next(&it, &row) == 1)
            gl_reply_periods_put_row(out, &row);
        gl_reply_periods_end(out, at, &r);
        break;
    }
    case RC_CHAIN: {
        gl_reply_chain r;
        gl_reply_chain_iter it;
        gl_reply_chain_row row;
        if ((st = gl_reply_chain_decode(body, &r)) != GL_OK)
            break;
        size_t at = gl_reply_chain_begin(out, &r);
        gl_reply_chain_iter_init(&it, &r);
        while (gl_reply_chain_next(&it, &row) == 1)
            gl_reply_chain_put_row(out, &row);
        gl_reply_chain_end(out, at, r.count);
        break;
    }
    case RC_ENVELOPE: {
        gl_reply_envelope r;
        if ((st = gl_reply_envelope_decode(body, &r)) == GL_OK)
            gl_reply_envelope_encode(out, &r);
        break;
    }
    default: break;
    }
    return st;
}

#undef S

#endif
