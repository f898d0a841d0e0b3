/*
 * tests/unit/test_store_layout.c — the storage layout of daemon/store/:
 * the key builders and parsers (keys.h) and the value codecs (values.h)
 * give the bytes store.h documents and read back what they wrote, and
 * refuse a record of another size; a scan (store_scan) walks exactly the
 * keys of its prefix, in order; a transaction carries its store (two
 * stores open in one process); an unexpected LMDB code is logged with
 * LMDB's words before it becomes a status.
 */
#include "daemon/store/keys.h"
#include "daemon/store/store.h"
#include "daemon/store/values.h"

#include "proto/entry.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <fcntl.h>
#include <lmdb.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define S(lit) ((gl_str){lit, sizeof lit - 1})

static store_val sv(const void *p, size_t len) { return (store_val){p, len}; }

Test(store_layout, keys_hold_the_bytes_store_h_documents)
{
    /* partner_lines: tenant u32 | partner u32 | fy u16 | date u32 | num u32 | line u16 */
    uint8_t pl[KEY_PARTNER_LINES_LEN];
    key_partner_lines(pl, 1, 2, 2025, 20250131, 7, 3);
    static const uint8_t pl_bytes[] = {0,    0,    0,    1,    0, 0, 0, 2, 0x07, 0xe9,
                                       0x01, 0x34, 0xfe, 0x13, 0, 0, 0, 7, 0,    3};
    cr_assert_eq(sizeof pl_bytes, sizeof pl);
    cr_assert(!memcmp(pl, pl_bytes, sizeof pl));
    /* partner_daily: tenant | fy | partner | account[20] | date */
    uint8_t pd[KEY_PARTNER_DAILY_LEN],
        want[KEY_PARTNER_DAILY_LEN] = {0, 0, 0, 4, 0x07, 0xe9, 0, 0, 0, 9, '4', '1', '1'};
    key_partner_daily(pd, 4, 2025, 9, S("411"), 20250131);
    memcpy(want + 30, (uint8_t[]){0x01, 0x34, 0xfe, 0x13}, 4);
    cr_assert(!memcmp(pd, want, sizeof pd));
    /* letters: tenant | account[20] | code[4], code "" = the next index */
    uint8_t lk[KEY_LETTERS_LEN] = {0}, lwant[KEY_LETTERS_LEN] = {0, 0, 0, 1, '4', '0', '1'};
    key_letters(lk, 1, S("401"), S("AB"));
    lwant[24] = 'A';
    lwant[25] = 'B';
    cr_assert(!memcmp(lk, lwant, sizeof lk));
    /* aux_labels, recharge_keys, year_totals, periods, envelopes */
    uint8_t ak[KEY_AUX_LABELS_LEN], awant[KEY_AUX_LABELS_LEN] = {0, 0, 0, 2, 'C', 'L', 'U', 'B'};
    key_aux_labels(ak, 2, S("CLUB"));
    cr_assert(!memcmp(ak, awant, sizeof ak));
    uint8_t rk[KEY_RECHARGE_KEYS_LEN], yt[KEY_YEAR_TOTALS_LEN], pk[KEY_PERIODS_LEN],
        ek[KEY_ENVELOPES_LEN];
    key_recharge_keys(rk, 0x0102);
    key_year_totals(yt, 5, 0);
    key_periods(pk, 5, 2024);
    key_envelopes(ek, 0x0102030405060708u);
    cr_assert(!memcmp(rk, (uint8_t[]){1, 2}, 2));
    cr_assert(!memcmp(yt, (uint8_t[]){0, 0, 0, 5, 0, 0}, 6));
    cr_assert(!memcmp(pk, (uint8_t[]){0, 0, 0, 5, 0x07, 0xe8}, 6));
    cr_assert(!memcmp(ek, (uint8_t[]){1, 2, 3, 4, 5, 6, 7, 8}, 8));
}

Test(store_layout, every_key_parser_reads_back_its_builder)
{
    key_parts p;
    uint8_t k[STORE_KEY_MAX];
    key_accounts(k, 3, S("512"));
    cr_assert(key_accounts_parse(sv(k, KEY_ACCOUNTS_LEN), &p) && p.tenant == 3);
    cr_assert(gl_str_eq(key_unpad(p.account, KEY_ACCOUNT_W), "512"));
    key_events(k, 3, 99);
    cr_assert(key_events_parse(sv(k, KEY_EVENTS_LEN), &p) && p.tenant == 3 && p.seq == 99);
    key_entries(k, 3, 2025, 12);
    cr_assert(key_entries_parse(sv(k, KEY_ENTRIES_LEN), &p) && p.tenant == 3 && p.fy == 2025 &&
              p.num == 12);
    key_by_account(k, 3, S("411"), 20250102, 2025, 12, 2);
    cr_assert(key_by_account_parse(sv(k, KEY_BY_ACCOUNT_LEN), &p));
    cr_assert(p.tenant == 3 && p.date == 20250102 && p.fy == 2025 && p.num == 12 && p.line == 2);
    cr_assert(gl_str_eq(key_unpad(p.account, KEY_ACCOUNT_W), "411"));
    key_balances(k, 3, 2025, S("606"));
    cr_assert(key_balances_parse(sv(k, KEY_BALANCES_LEN), &p) && p.fy == 2025 &&
              p.account[0] == '6');
    key_daily(k, 3, 2025, S("411"), S("CLUB"), 20250102);
    cr_assert(key_daily_parse(sv(k, KEY_DAILY_LEN), &p) && p.date == 20250102);
    cr_assert(gl_str_eq(key_unpad(p.aux, KEY_AUX_W), "CLUB"));
    uint8_t signer[32];
    memset(signer, 0xab, sizeof signer);
    key_requests(k, signer, 77);
    cr_assert(key_requests_parse(sv(k, KEY_REQUESTS_LEN), &p) && p.request_id == 77 &&
              p.signer[31] == 0xab);
    key_envelopes(k, 42);
    cr_assert(key_envelopes_parse(sv(k, KEY_ENVELOPES_LEN), &p) && p.envelope == 42);
    key_periods(k, 3, 2024);
    cr_assert(key_periods_parse(sv(k, KEY_PERIODS_LEN), &p) && p.tenant == 3 && p.fy == 2024);
    key_reversed(k, 3, 2024, 8);
    cr_assert(key_reversed_parse(sv(k, KEY_REVERSED_LEN), &p) && p.num == 8);
    key_letters(k, 3, S("411"), S("ZZ"));
    cr_assert(key_letters_parse(sv(k, KEY_LETTERS_LEN), &p));
    cr_assert(gl_str_eq(key_unpad(p.code, KEY_CODE_W), "ZZ"));
    key_lettered(k, 3, 2024, 8, 4);
    cr_assert(key_lettered_parse(sv(k, KEY_LETTERED_LEN), &p) && p.fy == 2024 && p.num == 8 &&
              p.line == 4);
    key_partner_daily(k, 3, 2024, 5, S("706"), 20240301);
    cr_assert(key_partner_daily_parse(sv(k, KEY_PARTNER_DAILY_LEN), &p) && p.partner == 5 &&
              p.date == 20240301);
    key_partner_lines(k, 3, 5, 2024, 20240301, 9, 1);
    cr_assert(key_partner_lines_parse(sv(k, KEY_PARTNER_LINES_LEN), &p));
    cr_assert(p.tenant == 3 && p.partner == 5 && p.fy == 2024 && p.date == 20240301 && p.num == 9 &&
              p.line == 1);
    key_recharge_keys(k, 6);
    cr_assert(key_recharge_keys_parse(sv(k, KEY_RECHARGE_KEYS_LEN), &p) && p.version == 6);
    key_acct_period(k, 3, 2024, S("512"), 202403);
    cr_assert(key_acct_period_parse(sv(k, KEY_ACCT_PERIOD_LEN), &p) && p.period == 202403);
    key_aux_labels(k, 3, S("CLUB"));
    cr_assert(key_aux_labels_parse(sv(k, KEY_AUX_LABELS_LEN), &p) && p.aux[3] == 'B');
    key_year_totals(k, 3, 0);
    cr_assert(key_year_totals_parse(sv(k, KEY_YEAR_TOTALS_LEN), &p) && p.tenant == 3 && p.fy == 0);
}

Test(store_layout, key_parsers_refuse_a_key_of_another_shape)
{
    key_parts p;
    uint8_t k[STORE_KEY_MAX] = {0};
    cr_assert(!key_entries_parse(sv(k, KEY_ENTRIES_LEN - 1), &p));
    cr_assert(!key_daily_parse(sv(k, KEY_DAILY_LEN + 1), &p));
    cr_assert(!key_partner_lines_parse(sv(k, KEY_PARTNER_LINES_LEN - 2), &p));
    cr_assert(!key_envelopes_parse(sv(k, 0), &p));
    cr_assert(!key_acct_period_parse(sv(k, KEY_BALANCES_LEN), &p));
}

Test(store_layout, values_hold_the_bytes_store_h_documents_and_read_back)
{
    uint8_t pair[STORE_PAIR_LEN];
    store_pair_encode(pair, (store_pair){1, 0x0102});
    cr_assert(!memcmp(pair, (uint8_t[]){0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 2}, 16));
    store_pair pr;
    cr_assert_eq(store_pair_decode(sv(pair, sizeof pair), &pr), GL_OK);
    cr_assert(pr.debit == 1 && pr.credit == 0x0102);

    year_state ys = {true, 7, 2025, 1, -1234, 1700000000000}, back;
    uint8_t yv[STORE_YEAR_STATE_LEN];
    store_year_state_encode(yv, &ys);
    cr_assert(yv[0] == 1 && yv[4] == 7 && yv[5] == 0x07 && yv[6] == 0xe9);
    cr_assert_eq(store_year_state_decode(sv(yv, sizeof yv), &back), GL_OK);
    cr_assert(back.closed && back.result_num == 7 && back.opening_fy == 2025 &&
              back.opening_num == 1 && back.result_cents == -1234 &&
              back.closed_ms == 1700000000000);

    tenant_rec t = {9, 10, {0}}, tb;
    memset(t.head, 0x5a, sizeof t.head);
    uint8_t tv[STORE_TENANT_LEN];
    store_tenant_encode(tv, &t);
    cr_assert(tv[3] == 9 && tv[11] == 10 && tv[12] == 0x5a);
    cr_assert(store_tenant_decode(sv(tv, sizeof tv), &tb) == GL_OK && tb.number == 9 &&
              tb.chain_seq == 10);

    /* entries: the head, the layout 2 mark, the entry */
    uint8_t signer[32], body[] = {0, 0x01, 0x34, 0xfe, 0x13};
    memset(signer, 0x11, sizeof signer);
    store_entry e = {3, 4, 5, signer, GL_LAYOUT_2, body, sizeof body}, eb;
    gl_buf b;
    gl_buf_init(&b);
    store_entry_encode(&b, &e);
    cr_assert(gl_buf_ok(&b) && b.len == STORE_ENTRY_HEAD_LEN + 1 + sizeof body);
    cr_assert(b.data[7] == 3 && b.data[15] == 4 && b.data[23] == 5 && b.data[24] == 0x11);
    cr_assert_eq(b.data[STORE_ENTRY_HEAD_LEN], STORE_ENTRY_LAYOUT2_MARK);
    cr_assert_eq(store_entry_decode(sv(b.data, b.len), &eb), GL_OK);
    cr_assert(eb.event_seq == 3 && eb.envelope == 4 && eb.recorded_ms == 5 &&
              eb.layout == GL_LAYOUT_2);
    cr_assert(eb.entry_len == sizeof body && !memcmp(eb.entry, body, sizeof body));
    cr_assert_eq(store_entry_date(&eb), 20250131);
    /* a layout 1 entry has no mark: it starts with its tenant's length */
    gl_buf_reset(&b);
    e.layout = GL_LAYOUT_1;
    store_entry_encode(&b, &e);
    cr_assert(store_entry_decode(sv(b.data, b.len), &eb) == GL_OK && eb.layout == GL_LAYOUT_1);
    cr_assert(eb.entry == b.data + STORE_ENTRY_HEAD_LEN);

    /* accounts: what follows the label is kept */
    store_account a = {1, S("Banque"), (const uint8_t *)"xy", 2}, ab;
    gl_buf_reset(&b);
    store_account_encode(&b, &a);
    cr_assert(b.len == 1 + 1 + 6 + 2 && b.data[0] == 1 && b.data[1] == 6);
    cr_assert_eq(store_account_decode(sv(b.data, b.len), &ab), GL_OK);
    cr_assert(ab.state == 1 && gl_str_eq(ab.label, "Banque") && ab.rest_len == 2 &&
              ab.rest[1] == 'y');

    /* letters and lettered */
    uint8_t refs[STORE_LETTER_REF_LEN * 2] = {0x07, 0xe9, 0, 0, 0, 1, 0, 2,
                                              0x07, 0xe9, 0, 0, 0, 3, 0, 1};
    store_lettering l = {20250201, S("CLUB"), 2, refs}, lb;
    gl_buf_reset(&b);
    store_lettering_encode(&b, &l);
    cr_assert(b.len == 4 + 1 + 4 + 2 + sizeof refs);
    cr_assert_eq(store_lettering_decode(sv(b.data, b.len), &lb), GL_OK);
    uint16_t fy, line;
    uint32_t num;
    store_lettering_ref(lb.refs, 1, &fy, &num, &line);
    cr_assert(lb.date == 20250201 && lb.count == 2 && fy == 2025 && num == 3 && line == 1);
    uint8_t lv[STORE_LETTERED_LEN];
    store_lettered lt;
    store_lettered_encode(lv, S("AB"), 20250201);
    cr_assert(!memcmp(lv, (uint8_t[]){'A', 'B', 0, 0, 0x01, 0x34, 0xfe, 0x59}, 8));
    cr_assert(store_lettered_decode(sv(lv, sizeof lv), &lt) == GL_OK && gl_str_eq(lt.code, "AB"));

    /* partner_lines, reversed, recharge_keys, aux_labels, requests */
    uint8_t plv[STORE_PARTNER_LINE_LEN];
    store_partner_line pl;
    store_partner_line_encode(plv, S("706"), -5);
    cr_assert(store_partner_line_decode(sv(plv, sizeof plv), &pl) == GL_OK && pl.amount == -5 &&
              pl.account[0] == '7');
    cr_assert(plv[3] == 0 && plv[KEY_ACCOUNT_W] == 0xff);
    uint8_t rv[STORE_REVERSED_LEN];
    store_reversed r;
    store_reversed_encode(rv, (store_reversed){2025, 4});
    cr_assert(store_reversed_decode(sv(rv, sizeof rv), &r) == GL_OK && r.fy == 2025 && r.num == 4);
    store_recharge_keys rk = {true, (const uint8_t *)"\x00\x01", 2}, rkb;
    gl_buf_reset(&b);
    store_recharge_keys_encode(&b, &rk);
    cr_assert(b.len == 3 && b.data[0] == 1);
    cr_assert(store_recharge_keys_decode(sv(b.data, b.len), &rkb) == GL_OK && rkb.used &&
              rkb.keys_len == 2);
    uint8_t alv[STORE_AUX_LABEL_MAX];
    size_t al_len;
    gl_str al;
    store_aux_label_encode(alv, S("Club"), &al_len);
    cr_assert(al_len == 5 && store_aux_label_decode(sv(alv, al_len), &al) == GL_OK &&
              gl_str_eq(al, "Club"));
    uint8_t digest[32] = {7};
    store_request req;
    gl_buf_reset(&b);
    store_request_encode(&b, digest, (const uint8_t *)"GLRP", 4);
    cr_assert(store_request_decode(sv(b.data, b.len), &req) == GL_OK && req.reply_len == 4 &&
              req.digest[0] == 7);
    gl_buf_free(&b);
}

Test(store_layout, value_decoders_refuse_a_damaged_record)
{
    uint8_t v[64] = {0};
    store_pair p;
    year_state ys;
    tenant_rec t;
    store_entry e;
    store_account a;
    store_lettering l;
    store_lettered lt;
    store_partner_line pl;
    store_reversed r;
    uint32_t u;
    gl_str s;
    store_request req;
    cr_assert_eq(store_pair_decode(sv(v, 15), &p), GL_ERR_STORAGE);
    cr_assert_eq(store_year_state_decode(sv(v, 26), &ys), GL_ERR_STORAGE);
    cr_assert_eq(store_tenant_decode(sv(v, 45), &t), GL_ERR_STORAGE);
    cr_assert_eq(store_entry_decode(sv(v, STORE_ENTRY_HEAD_LEN + 1), &e), GL_ERR_STORAGE);
    cr_assert_eq(store_account_decode(sv(v, 0), &a), GL_ERR_STORAGE);
    cr_assert_eq(store_lettering_decode(sv(v, 6), &l), GL_ERR_STORAGE);
    cr_assert_eq(store_lettered_decode(sv(v, 7), &lt), GL_ERR_STORAGE);
    cr_assert_eq(store_partner_line_decode(sv(v, 27), &pl), GL_ERR_STORAGE);
    cr_assert_eq(store_reversed_decode(sv(v, 5), &r), GL_ERR_STORAGE);
    cr_assert_eq(store_lock_decode(sv(v, 3), &u), GL_ERR_STORAGE);
    cr_assert_eq(store_letter_next_decode(sv(v, 5), &u), GL_ERR_STORAGE);
    v[0] = 9; /* a label longer than the value */
    cr_assert_eq(store_aux_label_decode(sv(v, 5), &s), GL_ERR_STORAGE);
    cr_assert_eq(store_request_decode(sv(v, 31), &req), GL_ERR_STORAGE);
}

/* --- the store itself --- */

static char dir_a[64], dir_b[64];

static void make_dir(char *dir, size_t len)
{
    snprintf(dir, len, "/tmp/gl-store-XXXXXX");
    cr_assert(mkdtemp(dir));
}

static void remove_dir(const char *dir)
{
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
    cr_assert_eq(system(cmd), 0);
}

static store *open_store(const char *dir)
{
    store *s;
    char err[256];
    cr_assert_eq(store_open(&s, dir, 16u << 20, err, sizeof err), GL_OK, "%s", err);
    return s;
}

static void put_balance(store_txn *t, uint32_t tenant, uint16_t fy, const char *account,
                        int64_t debit)
{
    uint8_t k[KEY_BALANCES_LEN], v[STORE_PAIR_LEN];
    key_balances(k, tenant, fy, (gl_str){account, strlen(account)});
    store_pair_encode(v, (store_pair){debit, 0});
    cr_assert_eq(store_put(t, DB_BALANCES, k, sizeof k, v, sizeof v), GL_OK);
}

static void setup_dirs(void)
{
    make_dir(dir_a, sizeof dir_a);
    make_dir(dir_b, sizeof dir_b);
}

static void teardown_dirs(void)
{
    remove_dir(dir_a);
    remove_dir(dir_b);
}

/* With one store per process (a global), closing the second store left
 * the first one's transactions without their databases. */
Test(store_txn, a_transaction_carries_its_store, .init = setup_dirs, .fini = teardown_dirs)
{
    store *a = open_store(dir_a), *b = open_store(dir_b);
    store_txn *t;
    cr_assert_eq(store_begin(b, NULL, false, &t), GL_OK);
    put_balance(t, 2, 2025, "512", 20);
    cr_assert_eq(store_commit(t), GL_OK);
    store_close(b);
    cr_assert_eq(store_begin(a, NULL, false, &t), GL_OK);
    put_balance(t, 1, 2025, "512", 10);
    cr_assert_eq(store_commit(t), GL_OK);
    cr_assert_eq(store_begin(a, NULL, true, &t), GL_OK);
    uint8_t k[KEY_BALANCES_LEN];
    store_val v;
    store_pair p;
    key_balances(k, 1, 2025, S("512"));
    cr_assert_eq(store_get(t, DB_BALANCES, k, sizeof k, &v), GL_OK);
    cr_assert(store_pair_decode(v, &p) == GL_OK && p.debit == 10);
    key_balances(k, 2, 2025, S("512"));
    cr_assert_eq(store_get(t, DB_BALANCES, k, sizeof k, &v), GL_ERR_NOT_FOUND); /* b's, not a's */
    store_abort(t);
    store_close(a);
}

/* The keys of one tenant's year, in order, and only them. */
Test(store_scan, walks_the_keys_of_its_prefix_in_order, .init = setup_dirs, .fini = teardown_dirs)
{
    store *s = open_store(dir_a);
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    put_balance(t, 1, 2024, "606", 1);
    put_balance(t, 1, 2025, "706", 2);
    put_balance(t, 1, 2025, "411", 3);
    put_balance(t, 1, 2025, "4110", 4);
    put_balance(t, 1, 2026, "101", 5);
    put_balance(t, 2, 2025, "101", 6);
    uint8_t prefix[KEY_TENANT_FY_PREFIX_LEN];
    key_tenant_fy(prefix, 1, 2025);
    store_scan sc;
    int64_t seen[8];
    size_t n = 0;
    int st = store_scan_begin(&sc, t, DB_BALANCES, prefix, sizeof prefix, sizeof prefix);
    while (st == GL_OK && store_scan_next(&sc)) {
        store_pair p;
        cr_assert_eq(store_pair_decode(sc.v, &p), GL_OK);
        cr_assert(n < 8);
        seen[n++] = p.debit;
    }
    cr_assert_eq(store_scan_close(&sc, st), GL_OK);
    cr_assert(n == 3 && seen[0] == 3 && seen[1] == 4 && seen[2] == 2, "411 < 4110 < 706: %zu rows",
              n);
    /* a new range on the same cursor; an empty one; the whole database */
    cr_assert_eq(store_scan_open(&sc, t, DB_BALANCES), GL_OK);
    key_tenant_fy(prefix, 2, 2025);
    store_scan_seek(&sc, prefix, sizeof prefix, sizeof prefix);
    cr_assert(store_scan_next(&sc) && !store_scan_next(&sc));
    key_tenant_fy(prefix, 3, 2025);
    store_scan_seek(&sc, prefix, sizeof prefix, sizeof prefix);
    cr_assert(!store_scan_next(&sc));
    store_scan_seek(&sc, "", 0, 0);
    for (n = 0; store_scan_next(&sc); n++)
        ;
    cr_assert_eq(n, 6);
    cr_assert_eq(store_scan_close(&sc, GL_OK), GL_OK);
    /* a status the walk sets is returned as it is */
    cr_assert_eq(store_scan_begin(&sc, t, DB_BALANCES, "", 0, 0), GL_OK);
    cr_assert(store_scan_next(&sc));
    cr_assert_eq(store_scan_close(&sc, GL_ERR_OVERFLOW), GL_ERR_OVERFLOW);
    store_abort(t);
    store_close(s);
}

/* What stderr received while fn ran. */
static void capture_stderr(void (*fn)(void *), void *user, char *out, size_t out_len)
{
    char path[] = "/tmp/gl-stderr-XXXXXX";
    int fd = mkstemp(path);
    cr_assert(fd >= 0);
    fflush(stderr);
    int saved = dup(2);
    cr_assert(saved >= 0 && dup2(fd, 2) == 2);
    fn(user);
    fflush(stderr);
    dup2(saved, 2);
    close(saved);
    ssize_t n = pread(fd, out, out_len - 1, 0);
    out[n > 0 ? n : 0] = '\0';
    close(fd);
    unlink(path);
}

static void put_empty_key(void *user)
{
    store_txn *t = user;
    uint8_t v[STORE_PAIR_LEN] = {0};
    cr_expect_eq(store_put(t, DB_BALANCES, "", 0, v, sizeof v), GL_ERR_STORAGE);
}

static void get_missing(void *user)
{
    store_txn *t = user;
    uint8_t k[KEY_BALANCES_LEN] = {0};
    store_val v;
    cr_expect_eq(store_get(t, DB_BALANCES, k, sizeof k, &v), GL_ERR_NOT_FOUND);
}

Test(store_log, an_unexpected_lmdb_code_is_logged_with_lmdb_words, .init = setup_dirs,
     .fini = teardown_dirs)
{
    store *s = open_store(dir_a);
    store_txn *t;
    cr_assert_eq(store_begin(s, NULL, false, &t), GL_OK);
    char out[512], want[256];
    capture_stderr(put_empty_key, t, out,
                   sizeof out); /* LMDB refuses an empty key: MDB_BAD_VALSIZE */
    snprintf(want, sizeof want, "grandlivred: store: put balances: %s\n",
             mdb_strerror(MDB_BAD_VALSIZE));
    size_t out_len = strlen(out), want_len = strlen(want); /* after the log head (daemon/log.h) */
    cr_assert(out[0] == '[' && out_len > want_len && !strcmp(out + out_len - want_len, want),
              "logged: %s", out);
    cr_assert(strstr(out, " error store] "), "logged: %s", out);
    capture_stderr(get_missing, t, out, sizeof out); /* an expected code: nothing said */
    cr_assert_str_eq(out, "");
    store_abort(t);
    store_close(s);
}
