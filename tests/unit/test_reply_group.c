/*
 * tests/unit/test_reply_group.c — proto/reply_group.c: the reply bodies of
 * STATS, BACKUP, KEYRING, TENANTS and the group.  For each reply: what the
 * encoder writes decodes to the same fields (and, for one of them, is the
 * byte layout of PROTOCOL.md written out by hand); a body cut anywhere is
 * refused as malformed (100), never read past; bytes after the known fields
 * are ignored (PROTOCOL.md §3); a string over its limit or not text is
 * refused with the wire cursor's status.
 */
#include "proto/reply_group.h"

#include "proto/group.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }
static gl_str B(const gl_buf *b) { return (gl_str){(const char *)b->data, b->len}; }
static bool eq(gl_str a, const char *b) { return gl_str_eq(a, b); }

typedef int (*decode_fn)(gl_str body);

/* Every proper prefix of the body is malformed; the body with bytes after
 * it decodes, reads the same number of bytes, and the decoder says so. */
static void cuts_and_trailing_from(const gl_buf *b, decode_fn decode, size_t *len_out,
                                   size_t cut_max)
{
    for (size_t cut = 0; cut < cut_max; cut++) {
        uint8_t *copy = malloc(cut ? cut : 1); /* exactly cut bytes: ASan sees a read past them */
        cr_assert(copy);
        memcpy(copy, b->data, cut);
        cr_assert_eq(decode((gl_str){(const char *)copy, cut}), GL_ERR_MALFORMED,
                     "cut at %zu of %zu", cut, b->len);
        free(copy);
    }
    cr_assert_eq(decode(B(b)), GL_OK);
    cr_assert_eq(*len_out, b->len);
    gl_buf t;
    gl_buf_init(&t);
    gl_put_bytes(&t, b->data, b->len);
    gl_put_bytes(&t, "\x01\x02\x03later", 8);
    cr_assert_eq(decode(B(&t)), GL_OK, "trailing bytes are ignored");
    cr_assert_eq(*len_out, b->len, "the known fields only are read");
    gl_buf_free(&t);
    cr_assert_eq(decode(B(b)), GL_OK); /* the caller's views point into b */
}

static void cuts_and_trailing(const gl_buf *b, decode_fn decode, size_t *len_out)
{
    cuts_and_trailing_from(b, decode, len_out, b->len);
}

/* --- STATS --------------------------------------------------------------- */

static gl_reply_stats stats;
static int stats_dec(gl_str body) { return gl_reply_stats_decode(body, &stats); }

Test(reply_group, stats_round_trip_and_the_bytes_of_protocol_5_16)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_stats h = {.rss_anon_kb = 1234, .rss_file_kb = 5678, .count = 2};
    cr_assert_eq(gl_reply_stats_encode(&b, &h), 16);
    gl_reply_stats_row rows[] = {{4, 10, 1 << 20, 1 << 21, 3000000}, {5, UINT64_MAX, 2, 4, 5}};
    gl_reply_stats_put_row(&b, &rows[0]);
    gl_reply_stats_put_row(&b, &rows[1]);
    cr_assert_eq(b.len, 18 + 2 * 34);
    gl_buf want; /* written out field by field, as §5.16 says */
    gl_buf_init(&want);
    gl_put_u64(&want, 1234);
    gl_put_u64(&want, 5678);
    gl_put_u16(&want, 2);
    for (int i = 0; i < 2; i++) {
        gl_put_u16(&want, rows[i].kind);
        gl_put_u64(&want, rows[i].count);
        gl_put_u64(&want, rows[i].p50_ns);
        gl_put_u64(&want, rows[i].p99_ns);
        gl_put_u64(&want, rows[i].max_ns);
    }
    cr_assert_eq(want.len, b.len);
    cr_assert_eq(memcmp(want.data, b.data, b.len), 0);
    gl_buf_free(&want);
    cuts_and_trailing(&b, stats_dec, &stats.len);
    cr_assert_eq(stats.rss_anon_kb, 1234);
    cr_assert_eq(stats.rss_file_kb, 5678);
    cr_assert_eq(stats.count, 2);
    gl_reply_stats_iter it;
    gl_reply_stats_iter_init(&it, &stats);
    gl_reply_stats_row r;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_reply_stats_next(&it, &r), 1);
        cr_assert(r.kind == rows[i].kind && r.count == rows[i].count &&
                  r.p50_ns == rows[i].p50_ns && r.p99_ns == rows[i].p99_ns &&
                  r.max_ns == rows[i].max_ns);
    }
    cr_assert_eq(gl_reply_stats_next(&it, &r), 0);
    gl_buf_free(&b);
}

/* --- BACKUP -------------------------------------------------------------- */

static gl_reply_backup backup;
static int backup_dec(gl_str body) { return gl_reply_backup_decode(body, &backup); }

Test(reply_group, backup_round_trip)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_backup_encode(&b, &(gl_reply_backup){.path = S("/var/backups/grandlivre-1.mdb")});
    cr_assert_eq(b.len, 2 + 29);
    cr_assert_eq(b.data[0], 0);
    cr_assert_eq(b.data[1], 29);
    cuts_and_trailing(&b, backup_dec, &backup.len);
    cr_assert(eq(backup.path, "/var/backups/grandlivre-1.mdb"));
    gl_buf_free(&b);
    /* a path that is not text is refused */
    cr_assert_eq(backup_dec((gl_str){"\x00\x02\x01x", 4}), GL_ERR_STRING_INVALID);
}

/* --- KEYRING ------------------------------------------------------------- */

static gl_reply_keyring keyring;
static int keyring_dec(gl_str body) { return gl_reply_keyring_decode(body, &keyring); }

Test(reply_group, keyring_round_trip_with_the_count_patched)
{
    uint8_t k1[32], k2[32];
    memset(k1, 0xaa, sizeof k1);
    memset(k2, 0x01, sizeof k2);
    gl_reply_keyring_row rows[] = {{k1, 0, {"\x01\0\0\0\0\0\0\0\0\0\x02\0\x03ops", 16}},
                                   {k2, 1700000000000ull, {"", 0}}};
    gl_buf b;
    gl_buf_init(&b);
    size_t at = gl_reply_keyring_encode(&b, &(gl_reply_keyring){0});
    for (int i = 0; i < 2; i++)
        gl_reply_keyring_put_row(&b, &rows[i]);
    gl_reply_keyring_set_count(&b, at, 2);
    cr_assert_eq(b.len, 4 + 42 + 16 + 42);
    cuts_and_trailing(&b, keyring_dec, &keyring.len);
    cr_assert_eq(keyring.count, 2);
    gl_reply_keyring_iter it;
    gl_reply_keyring_iter_init(&it, &keyring);
    gl_reply_keyring_row r;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_reply_keyring_next(&it, &r), 1);
        cr_assert_eq(memcmp(r.public_key, rows[i].public_key, 32), 0);
        cr_assert_eq(r.since_ms, rows[i].since_ms);
        cr_assert_eq(r.record.len, rows[i].record.len);
        cr_assert_eq(memcmp(r.record.ptr, rows[i].record.ptr, r.record.len), 0);
    }
    cr_assert_eq(gl_reply_keyring_next(&it, &r), 0);
    gl_buf_free(&b);
}

/* --- TENANTS ------------------------------------------------------------- */

static gl_reply_tenants tenants;
static int tenants_dec(gl_str body) { return gl_reply_tenants_decode(body, &tenants); }

Test(reply_group, tenants_round_trip_with_the_umbrella_after_the_rows)
{
    gl_reply_tenants_row rows[] = {{S("agiie"), S("AGIIE Lyon"), S("123456789"), 1, S("AGI")},
                                   {S("mjc"), S("Maison des jeunes"), S("987654321"), 9, S("")}};
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_tenants h = {.umbrella = S("umbrella"), .combination = S("consol")};
    size_t at = gl_reply_tenants_encode(&b, &h);
    for (int i = 0; i < 2; i++)
        gl_reply_tenants_put_row(&b, &rows[i]);
    gl_reply_tenants_end(&b, &h);
    gl_reply_tenants_set_count(&b, at, 2);
    /* an older daemon's reply ends after the umbrella: every shorter cut is
     * malformed, that one reads with no combination ledger */
    size_t older = b.len - 1 - strlen("consol");
    cuts_and_trailing_from(&b, tenants_dec, &tenants.len, older);
    cr_assert_eq(tenants.count, 2);
    cr_assert(eq(tenants.umbrella, "umbrella"));
    cr_assert(eq(tenants.combination, "consol"));
    cr_assert_eq(tenants_dec((gl_str){(const char *)b.data, older}), GL_OK);
    cr_assert(eq(tenants.umbrella, "umbrella") && tenants.combination.len == 0);
    cr_assert_eq(tenants_dec((gl_str){(const char *)b.data, older + 1}), GL_ERR_MALFORMED);
    cr_assert_eq(tenants_dec(B(&b)), GL_OK);
    gl_reply_tenants_iter it;
    gl_reply_tenants_iter_init(&it, &tenants);
    gl_reply_tenants_row r;
    cr_assert_eq(gl_reply_tenants_next(&it, &r), 1);
    cr_assert(eq(r.id, "agiie") && eq(r.name, "AGIIE Lyon") && eq(r.siren, "123456789") &&
              eq(r.code, "AGI"));
    cr_assert_eq(r.first_month, 1);
    cr_assert_eq(gl_reply_tenants_next(&it, &r), 1);
    cr_assert(eq(r.id, "mjc") && eq(r.code, ""));
    cr_assert_eq(r.first_month, 9);
    cr_assert_eq(gl_reply_tenants_next(&it, &r), 0);
    gl_buf_free(&b);
    /* no tenant, no group: count 0 and an empty umbrella */
    cr_assert_eq(tenants_dec((gl_str){"\0\0\0", 3}), GL_OK);
    cr_assert_eq(tenants.count, 0);
    cr_assert_eq(tenants.umbrella.len, 0);
    /* a tenant id over 16 bytes */
    cr_assert_eq(tenants_dec((gl_str){"\0\x01\x11"
                                      "abcdefghijklmnopq",
                                      20}),
                 GL_ERR_STRING_TOO_LONG);
}

/* --- KEYS_SET, KEYS_GET -------------------------------------------------- */

static gl_reply_keys_set keys_set;
static int keys_set_dec(gl_str body) { return gl_reply_keys_set_decode(body, &keys_set); }
static gl_reply_keys_get keys_get;
static int keys_get_dec(gl_str body) { return gl_reply_keys_get_decode(body, &keys_get); }

Test(reply_group, keys_set_round_trip)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_keys_set_encode(&b, &(gl_reply_keys_set){.version = 7, .count = 3});
    cr_assert_eq(b.len, 4);
    cuts_and_trailing(&b, keys_set_dec, &keys_set.len);
    cr_assert_eq(keys_set.version, 7);
    cr_assert_eq(keys_set.count, 3);
    gl_buf_free(&b);
}

Test(reply_group, keys_get_is_the_keys_set_body_after_the_used_byte)
{
    gl_keys_q q = {.version = 2, .count = 2, .items = {{S("agiie"), 61}, {S("mjc"), 39}}};
    gl_buf want;
    gl_buf_init(&want);
    gl_put_u8(&want, 1);
    gl_keys_q_encode(&want, &q); /* the stored record: used u8 | KEYS_SET body */
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_keys_get_encode(&b, &(gl_reply_keys_get){.used = 1, .version = 2, .count = 2});
    gl_reply_keys_get_put_row(&b, &(gl_reply_keys_row){S("agiie"), 61});
    gl_reply_keys_get_put_row(&b, &(gl_reply_keys_row){S("mjc"), 39});
    cr_assert_eq(b.len, want.len);
    cr_assert_eq(memcmp(b.data, want.data, b.len), 0);
    cuts_and_trailing(&b, keys_get_dec, &keys_get.len);
    cr_assert_eq(keys_get.used, 1);
    cr_assert_eq(keys_get.version, 2);
    gl_reply_keys_get_iter it;
    gl_reply_keys_get_iter_init(&it, &keys_get);
    gl_reply_keys_row r;
    cr_assert_eq(gl_reply_keys_get_next(&it, &r), 1);
    cr_assert(eq(r.tenant, "agiie"));
    cr_assert_eq(r.weight, 61);
    cr_assert_eq(gl_reply_keys_get_next(&it, &r), 1);
    cr_assert(eq(r.tenant, "mjc"));
    cr_assert_eq(r.weight, 39);
    cr_assert_eq(gl_reply_keys_get_next(&it, &r), 0);
    gl_buf_free(&b);
    gl_buf_free(&want);
}

/* --- RECHARGE, DUES ------------------------------------------------------ */

static gl_reply_posted posted;
static int posted_dec(gl_str body) { return gl_reply_posted_decode(body, &posted); }

Test(reply_group, posted_round_trip)
{
    gl_reply_posted_row rows[] = {{S("umbrella"), 2025, 41}, {S("agiie"), 2026, 7}};
    gl_buf b;
    gl_buf_init(&b);
    size_t at = gl_reply_posted_encode(&b, &(gl_reply_posted){0});
    for (int i = 0; i < 2; i++)
        gl_reply_posted_put_row(&b, &rows[i]);
    gl_reply_posted_set_count(&b, at, 2);
    cr_assert_eq(b.len, 4 + (1 + 8 + 6) + (1 + 5 + 6));
    cuts_and_trailing(&b, posted_dec, &posted.len);
    cr_assert_eq(posted.count, 2);
    gl_reply_posted_iter it;
    gl_reply_posted_iter_init(&it, &posted);
    gl_reply_posted_row r;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_reply_posted_next(&it, &r), 1);
        cr_assert(gl_str_eq(r.tenant, rows[i].tenant.ptr));
        cr_assert_eq(r.fy, rows[i].fy);
        cr_assert_eq(r.num, rows[i].num);
    }
    cr_assert_eq(gl_reply_posted_next(&it, &r), 0);
    gl_buf_free(&b);
}

/* --- GROUP_BALANCE ------------------------------------------------------- */

static gl_reply_group_balance gb;
static int gb_dec(gl_str body) { return gl_reply_group_balance_decode(body, &gb); }

Test(reply_group, group_balance_page_round_trip)
{
    gl_reply_group_balance h = {
        .watermark = 99, .more = 1, .next = S("512000"), .at = 20251231, .n = 3};
    const char *ids[] = {"umbrella", "agiie", "mjc"};
    for (int i = 0; i < 3; i++)
        h.entities[i] = (gl_reply_entity){S(ids[i]), (uint16_t)(2025 + (i == 2))};
    gl_reply_group_balance_row rows[2] = {
        {.account = S("411000"), .label = S("Clients"), .elim = -300},
        {.account = S("512000"), .label = S("Banque"), .elim = 0}};
    rows[0].net[0] = 300;
    rows[1].net[0] = INT64_MIN;
    rows[1].net[1] = 40;
    rows[1].net[2] = INT64_MAX;
    gl_buf b;
    gl_buf_init(&b);
    size_t at = gl_reply_group_balance_encode(&b, &h);
    for (int i = 0; i < 2; i++)
        gl_reply_group_balance_put_row(&b, h.n, &rows[i]);
    gl_reply_group_balance_set_count(&b, at, 2);
    size_t rows_end = b.len;
    /* the tail (issue 20): an older daemon's page stops at the rows */
    cr_assert_eq(gb_dec(B(&b)), GL_OK);
    cr_assert_eq(gb.has_tail, 0);
    gl_reply_group_balance_put_tail(&b, &(gl_reply_group_balance_tail){S("consol"), 2025});
    gl_reply_group_balance_put_extra(&b, -100, 7);
    gl_reply_group_balance_put_extra(&b, INT64_MIN, INT64_MAX);
    for (size_t cut = rows_end + 1; cut < b.len; cut++) {
        uint8_t *copy = malloc(cut);
        cr_assert(copy);
        memcpy(copy, b.data, cut);
        cr_assert_eq(gb_dec((gl_str){(const char *)copy, cut}), GL_ERR_MALFORMED, "cut at %zu",
                     cut);
        free(copy);
    }
    cuts_and_trailing_from(&b, gb_dec, &gb.len, rows_end);
    cr_assert_eq(gb.has_tail, 1);
    cr_assert(eq(gb.combination, "consol"));
    cr_assert_eq(gb.combination_fy, 2025);
    cr_assert_eq(gb.watermark, 99);
    cr_assert_eq(gb.more, 1);
    cr_assert(eq(gb.next, "512000"));
    cr_assert_eq(gb.at, 20251231);
    cr_assert_eq(gb.n, 3);
    cr_assert(eq(gb.entities[1].tenant, "agiie"));
    cr_assert_eq(gb.entities[2].fy, 2026);
    cr_assert_eq(gb.count, 2);
    gl_reply_group_balance_iter it;
    gl_reply_group_balance_iter_init(&it, &gb);
    gl_reply_group_balance_row r;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_reply_group_balance_next(&it, &r), 1);
        cr_assert(gl_str_eq(r.account, rows[i].account.ptr) &&
                  gl_str_eq(r.label, rows[i].label.ptr));
        for (int e = 0; e < 3; e++)
            cr_assert_eq(r.net[e], rows[i].net[e]);
        cr_assert_eq(r.elim, rows[i].elim);
        cr_assert_eq(r.gap, i ? INT64_MIN : -100);
        cr_assert_eq(r.adj, i ? INT64_MAX : 7);
    }
    cr_assert_eq(gl_reply_group_balance_next(&it, &r), 0);
    gl_buf_free(&b);
}

Test(reply_group, group_balance_count_beyond_the_page_is_malformed)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_group_balance h = {.n = 1, .entities = {{S("a"), 2025}}, .count = 0x7fffffff};
    gl_reply_group_balance_encode(&b, &h);
    gl_reply_group_balance_put_row(
        &b, 1, &(gl_reply_group_balance_row){.account = S("1"), .label = S("")});
    cr_assert_eq(gb_dec(B(&b)), GL_ERR_MALFORMED);
    gl_buf_free(&b);
}

/* --- GROUP_RECONCILE ----------------------------------------------------- */

static gl_reply_reconcile rec;
static int rec_dec(gl_str body) { return gl_reply_reconcile_decode(body, &rec); }

Test(reply_group, reconcile_round_trip_pairs_and_their_lines)
{
    gl_reply_reconcile_pair pairs[] = {
        {S("umbrella"), S("agiie"), 1, 300, -300, 0, 0, 0, {"", 0}},
        {S("umbrella"), S("mjc"), 2, 500, -400, 1, 100, 2, {"", 0}},
    };
    gl_reply_reconcile_line lines[] = {
        {S("umbrella"), 2025, 12, 20250301, S("706100"), -500, S("Refacturation")},
        {S("mjc"), 2025, 3, 20250302, S("628000"), 400, S("")}};
    gl_buf b;
    gl_buf_init(&b);
    size_t at = gl_reply_reconcile_encode(&b, &(gl_reply_reconcile){.at = 20251231});
    for (int p = 0; p < 2; p++) {
        gl_reply_reconcile_pair pair = pairs[p];
        pair.unmatched = 0;
        size_t n_at = gl_reply_reconcile_put_pair(&b, &pair);
        for (int i = 0; i < pairs[p].unmatched; i++)
            gl_reply_reconcile_put_line(&b, &lines[i]);
        gl_reply_reconcile_set_unmatched(&b, n_at, pairs[p].unmatched);
    }
    gl_reply_reconcile_set_count(&b, at, 2);
    cuts_and_trailing(&b, rec_dec, &rec.len);
    cr_assert_eq(rec.at, 20251231);
    cr_assert_eq(rec.pairs, 2);
    gl_reply_reconcile_iter it, lit;
    gl_reply_reconcile_iter_init(&it, &rec);
    gl_reply_reconcile_pair p;
    gl_reply_reconcile_line l;
    for (int i = 0; i < 2; i++) {
        cr_assert_eq(gl_reply_reconcile_next(&it, &p), 1);
        cr_assert(gl_str_eq(p.tenant_a, pairs[i].tenant_a.ptr) &&
                  gl_str_eq(p.tenant_b, pairs[i].tenant_b.ptr));
        cr_assert_eq(p.category, pairs[i].category);
        cr_assert_eq(p.pos_a, pairs[i].pos_a);
        cr_assert_eq(p.pos_b, pairs[i].pos_b);
        cr_assert_eq(p.status, pairs[i].status);
        cr_assert_eq(p.diff, pairs[i].diff);
        cr_assert_eq(p.unmatched, pairs[i].unmatched);
        gl_reply_reconcile_lines_init(&lit, &p);
        for (int j = 0; j < p.unmatched; j++) {
            cr_assert_eq(gl_reply_reconcile_line_next(&lit, &l), 1);
            cr_assert(gl_str_eq(l.tenant, lines[j].tenant.ptr) &&
                      gl_str_eq(l.account, lines[j].account.ptr));
            cr_assert(gl_str_eq(l.label, lines[j].label.ptr));
            cr_assert_eq(l.fy, lines[j].fy);
            cr_assert_eq(l.num, lines[j].num);
            cr_assert_eq(l.date, lines[j].date);
            cr_assert_eq(l.amount, lines[j].amount);
        }
        cr_assert_eq(gl_reply_reconcile_line_next(&lit, &l), 0);
    }
    cr_assert_eq(gl_reply_reconcile_next(&it, &p), 0);
    gl_buf_free(&b);
}

/* An iterator set on bytes no decoder checked says so instead of reading on. */
Test(reply_group, an_iterator_over_unchecked_rows_fails_without_reading_past)
{
    gl_reply_posted r = {.count = 3,
                         .rows = {"\x05"
                                  "ab",
                                  3}};
    gl_reply_posted_iter it;
    gl_reply_posted_iter_init(&it, &r);
    gl_reply_posted_row row;
    cr_assert_eq(gl_reply_posted_next(&it, &row), -1);
}
