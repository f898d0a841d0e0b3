/*
 * tests/integration/test_text.c — the bidirectional controls against the
 * real daemon (issue 11, item 11b).  U+202A-U+202E and U+2066-U+2069 in any
 * text a client sends — an entry's journal, piece reference and label, a
 * line's account, auxiliary account, auxiliary label and label, an account
 * label, LETTER's aux, LEDGER's account — are refused with 106
 * string_invalid and change nothing; their neighbours are accepted.  The
 * client refuses them in its input files before sending anything.  And a
 * ledger that holds such text from before the rule (written here by
 * patching the stored records directly) is still served whole: read,
 * reversed, locked and closed, without the daemon stopping.
 */
#include "tests/support/harness.h"

#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"120000", "129000", "401000", "512000", "606100"};

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, sizeof chart / sizeof chart[0]);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(bidi, .init = setup, .fini = teardown, .timeout = 120);

static const uint32_t bidi_cps[] = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
                                    0x2066, 0x2067, 0x2068, 0x2069};
#define N_BIDI (sizeof bidi_cps / sizeof bidi_cps[0])

static void utf8_3(uint32_t cp, char out[4])
{
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    out[3] = '\0';
}

enum field { F_JOURNAL, F_PIECE, F_LABEL, F_ACCOUNT, F_AUX, F_AUX_LABEL, F_LINE_LABEL, F_COUNT_ };
static const char *const field_names[F_COUNT_] = {"journal", "piece_ref", "label",     "account",
                                                  "aux",     "aux_label", "line label"};

/* One alpha entry, 606100 / 401000 FOURN, with text in field f. */
static int post_with(enum field f, const char *text, gl_response *r)
{
    gl_line_in l[2] = {{f == F_ACCOUNT ? text : "606100", "", "", f == F_LINE_LABEL ? text : "",
                        GL_SIDE_DEBIT, 100},
                       {"401000", f == F_AUX ? text : "FOURN", f == F_AUX_LABEL ? text : "Bureau",
                        "", GL_SIDE_CREDIT, 100}};
    gl_entry_in e = {.tenant = "alpha",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .journal = f == F_JOURNAL ? text : "AC",
                     .piece_ref = f == F_PIECE ? text : "F-1",
                     .label = f == F_LABEL ? text : "Fournitures",
                     .line_count = 2,
                     .lines = l};
    return h_post(&h, K_ALPHA, &e, 1, r);
}

Test(bidi, post_with_a_bidi_control_in_any_text_field_is_refused)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    for (size_t i = 0; i < N_BIDI; i++)
        for (int f = 0; f < F_COUNT_; f++) {
            char cp[4], text[16];
            utf8_3(bidi_cps[i], cp);
            snprintf(text, sizeof text, "A%sB", cp);
            gl_response r;
            int st = post_with((enum field)f, text, &r);
            cr_expect_eq(st, GL_ERR_STRING_INVALID, "U+%04X in %s: %s", bidi_cps[i], field_names[f],
                         gl_status_name(st));
            cr_expect_eq(r.reply.err_item, 1, "U+%04X in %s: err_item %u", bidi_cps[i],
                         field_names[f], r.reply.err_item);
            gl_response_free(&r);
        }
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused request changed the ledger");
    cr_assert_eq(h_entry_count(&h, "alpha"), 0);
}

Test(bidi, neighbours_of_the_bidi_controls_are_posted)
{
    static const char *const texts[] = {
        "A\xe2\x80\xa9"
        "B",
        "A\xe2\x80\xaf"
        "B",
        "A\xe2\x81\xa5"
        "B",
        "A\xe2\x81\xaa"
        "B"}; /* U+2029, U+202F, U+2065, U+206A */
    for (size_t i = 0; i < 4; i++) {
        gl_response r;
        int st = post_with(F_LABEL, texts[i], &r);
        cr_expect_eq(st, GL_OK, "neighbour %zu: %s", i, gl_status_name(st));
        gl_response_free(&r);
    }
    cr_assert_eq(h_entry_count(&h, "alpha"), 4);
}

static int call_alpha(enum h_key k, uint16_t kind, const gl_buf *b)
{
    gl_response r;
    int st = h_call(&h, k, kind, "alpha", 0, b->data, b->len, &r);
    gl_response_free(&r);
    return st;
}

Test(bidi, other_requests_refuse_bidi_text_and_change_nothing)
{
    static const char rlo[] = "\xe2\x80\xae";
    gl_str s = {rlo, 3};
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_buf b;

    gl_buf_init(&b); /* ACCOUNTS_OPEN: the label */
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "606200", 6);
    gl_put_str8(&b, "Achats \xe2\x81\xa7x", 11);
    cr_expect_eq(call_alpha(K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, &b), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    gl_buf_init(&b); /* LETTER: the aux */
    gl_line_ref refs[2] = {{2025, 1, 2}, {2025, 2, 2}};
    gl_letter_q_encode(&b, (gl_str){"401000", 6}, s, refs, 2);
    cr_expect_eq(call_alpha(K_ALPHA, GL_KIND_LETTER, &b), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    gl_buf_init(&b); /* UNLETTER: the code */
    gl_unletter_q_encode(&b, &(gl_unletter_q){{"401000", 6}, s});
    cr_expect_eq(call_alpha(K_ALPHA, GL_KIND_UNLETTER, &b), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    gl_buf_init(&b); /* LEDGER: the account */
    gl_ledger_q_encode(&b,
                       &(gl_ledger_q){.account = s, .from = 20250101, .to = 20251231, .limit = 10});
    cr_expect_eq(call_alpha(K_ALPHA, GL_KIND_LEDGER, &b), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused request changed the ledger");
}

Test(bidi, cli_refuses_bidi_in_json_and_fec_files_before_sending)
{
    char path[400];
    uint8_t before[32], after[32];
    h_digest(&h, before);
    snprintf(path, sizeof path, "%s/bidi.json", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "{\"entries\": [{\"tenant\": \"alpha\", \"date\": \"2025-03-01\", \"journal\": \"AC\", "
        "\"label\": \"Loyer \xe2\x80\xae"
        "1 00.0\", \"lines\": ["
        "{\"account\": \"606100\", \"debit\": \"1.00\"}, {\"account\": \"401000\", \"credit\": \"1.00\"}]}]}\n",
        f);
    cr_assert(fclose(f) == 0);
    cr_expect_eq(h_cli(&h, K_ALPHA, NULL, 0, "post --tenant alpha '%s' 2>/dev/null", path), 2);

    snprintf(path, sizeof path, "%s/bidi.txt", h.dir);
    f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
        "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
        "ValidDate\tMontantdevise\tIdevise\n"
        "AC\tAchats\t1\t20250301\t606100\tAchats\t\t\tF1\t20250301\tLoyer \xe2\x81\xa6x\t1,00\t0,00\t\t\t20250301\t\t\n"
        "AC\tAchats\t1\t20250301\t401000\tFourn\t\t\tF1\t20250301\tLoyer\t0,00\t1,00\t\t\t20250301\t\t\n",
        f);
    cr_assert(fclose(f) == 0);
    cr_expect_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha '%s' 2>/dev/null", path),
                 2);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the client sent a file it should have refused");
}

/* ---- a ledger written before the rule --------------------------------- */

/* Replace every "QQQ" in the values of database db by U+202E (three bytes
 * too, so every length stays right), the daemon being stopped.  Returns the
 * number of values changed. */
static int patch_stored(const char *db)
{
    char dir[400];
    snprintf(dir, sizeof dir, "%s/data", h.dir);
    MDB_env *env;
    MDB_txn *txn;
    MDB_dbi dbi;
    MDB_cursor *c;
    cr_assert(mdb_env_create(&env) == 0 && mdb_env_set_maxdbs(env, 64) == 0);
    cr_assert(mdb_env_open(env, dir, MDB_NOTLS, 0600) == 0);
    cr_assert(mdb_txn_begin(env, NULL, 0, &txn) == 0);
    cr_assert(mdb_dbi_open(txn, db, 0, &dbi) == 0, "no database %s", db);
    cr_assert(mdb_cursor_open(txn, dbi, &c) == 0);
    MDB_val k, v;
    int changed = 0;
    for (int rc = mdb_cursor_get(c, &k, &v, MDB_FIRST); rc == 0;
         rc = mdb_cursor_get(c, &k, &v, MDB_NEXT)) {
        uint8_t *copy = malloc(v.mv_size);
        cr_assert(copy);
        memcpy(copy, v.mv_data, v.mv_size);
        bool hit = false;
        for (size_t i = 0; i + 3 <= v.mv_size; i++)
            if (!memcmp(copy + i, "QQQ", 3)) {
                memcpy(copy + i, "\xe2\x80\xae", 3);
                hit = true;
            }
        if (hit) {
            MDB_val nv = {v.mv_size, copy};
            cr_assert(mdb_cursor_put(c, &k, &nv, MDB_CURRENT) == 0);
            changed++;
        }
        free(copy);
    }
    mdb_cursor_close(c);
    cr_assert(mdb_txn_commit(txn) == 0);
    mdb_env_close(env);
    return changed;
}

static int post_old(int64_t cents, gl_response *r)
{
    gl_line_in l[2] = {{"606100", "", "", "ligne QQQ", GL_SIDE_DEBIT, cents},
                       {"401000", "FOURN", "Bureau QQQ", "", GL_SIDE_CREDIT, cents}};
    gl_entry_in e = {.tenant = "alpha",
                     .date = 20250301,
                     .piece_date = 20250301,
                     .journal = "AC",
                     .piece_ref = "F-QQQ",
                     .label = "Loyer QQQ",
                     .line_count = 2,
                     .lines = l};
    return h_post(&h, K_ALPHA, &e, 1, r);
}

static bool has_rlo(const gl_response *r)
{
    for (size_t i = 0; i + 3 <= r->reply.body_len; i++)
        if (!memcmp(r->reply.body + i, "\xe2\x80\xae", 3))
            return true;
    return false;
}

Test(bidi, text_stored_before_the_rule_is_still_served)
{
    gl_buf b;
    gl_response r;
    gl_buf_init(&b); /* an account whose label will hold U+202E */
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "606200", 6);
    gl_put_str8(&b, "Achats QQQ", 10);
    cr_assert_eq(call_alpha(K_ACCOUNTANT, GL_KIND_ACCOUNTS_OPEN, &b), GL_OK);
    gl_buf_free(&b);
    cr_assert_eq(post_old(100, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(post_old(250, &r), GL_OK);
    gl_response_free(&r);
    h_stop(&h);
    cr_assert_eq(patch_stored("accounts"), 1);
    cr_assert_eq(patch_stored("entries"), 2);
    cr_assert_eq(patch_stored("aux_labels"), 1);
    h_start(&h);

    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_ACCOUNTS_LIST, "alpha", 0, NULL, 0, &r), GL_OK);
    cr_expect(has_rlo(&r), "the stored label is not served as stored");
    gl_response_free(&r);
    gl_buf_init(&b);
    gl_entry_ref_encode(&b, &(gl_entry_ref){2025, 1});
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_ENTRY_GET, "alpha", 0, b.data, b.len, &r), GL_OK);
    cr_expect(has_rlo(&r));
    gl_response_free(&r);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_journal_q_encode(
        &b, &(gl_journal_q){
                .from = 20250101, .to = 20251231, .limit = 100, .flags = GL_JOURNAL_LETTERS});
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_JOURNAL, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_ledger_q_encode(
        &b,
        &(gl_ledger_q){.account = {"606200", 6}, .from = 20250101, .to = 20251231, .limit = 10});
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_LEDGER, "alpha", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);

    /* A reversal reads the stored entry in the writer. */
    gl_line_in l[2] = {{"606100", "", "", "", GL_SIDE_CREDIT, 100},
                       {"401000", "FOURN", "", "", GL_SIDE_DEBIT, 100}};
    gl_entry_in rev = {.tenant = "alpha",
                       .date = 20250302,
                       .piece_date = 20250302,
                       .journal = "OD",
                       .piece_ref = "REV",
                       .label = "Annulation",
                       .reverses_fy = 2025,
                       .reverses_num = 1,
                       .line_count = 2,
                       .lines = l};
    int st = h_post(&h, K_ALPHA, &rev, 1, &r);
    cr_assert_eq(st, GL_OK, "reversal: %s", gl_status_name(st));
    gl_response_free(&r);

    /* The year close carries FOURN forward with its first label (stored). */
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){202512, GL_LOCK_THROUGH});
    cr_assert_eq(call_alpha(K_ACCOUNTANT, GL_KIND_LOCK, &b), GL_OK);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_close_q_encode(&b, &(gl_close_q){2025});
    st = h_call(&h, K_ACCOUNTANT, GL_KIND_CLOSE_YEAR, "alpha", 0, b.data, b.len, &r);
    cr_assert_eq(st, GL_OK, "close: %s %.*s", gl_status_name(st), (int)r.reply.detail.len,
                 r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_entry_ref_encode(&b, &(gl_entry_ref){2026, 1}); /* the à-nouveaux */
    cr_assert_eq(h_call(&h, K_ALPHA, GL_KIND_ENTRY_GET, "alpha", 0, b.data, b.len, &r), GL_OK);
    cr_expect(has_rlo(&r), "the à-nouveaux lost the stored aux label");
    gl_response_free(&r);
    gl_buf_free(&b);
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_PING, "", 0, NULL, 0, &r), GL_OK);
    gl_response_free(&r);
}
