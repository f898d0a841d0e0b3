/*
 * tests/fuzz/make_seeds.c — writes the seed corpora of fuzz_request,
 * fuzz_roundtrip, fuzz_bodies and fuzz_event (valid inputs and a few
 * invalid ones; fuzz_bodies: every date and month field at its limits), in
 * protocol version 2 (entries in layout 2) and a few of the version 1
 * history (layout 1) that stays readable.  Every kind of the kind table
 * (proto/kinds.h) gets a seed: a kind with an empty body and no seed of
 * its own gets one here, a kind with a body and no seed stops the program.
 * Deterministic: the signing key comes from a fixed seed.  Not a fuzz
 * target and not built by make; regenerate after a protocol change with
 *   cc -std=c11 -D_GNU_SOURCE -I. -o /tmp/make_seeds tests/fuzz/make_seeds.c
 *      proto/[a-z]*.c -lsodium && /tmp/make_seeds tests/fuzz/corpus
 */
#include "proto/backup.h"
#include "proto/chain.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/reply.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *root;
static uint8_t pk[32], sk[64];
static const uint8_t ledger[GL_LEDGER_ID_BYTES] = "seed ledger id 1";
static bool seeded[GL_KIND_MAX_ + 1]; /* kinds with a request or body seed */

static void save(const char *dir, const char *name, const void *p, size_t n)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, dir);
    mkdir(path, 0755);
    snprintf(path, sizeof path, "%s/%s/%s", root, dir, name);
    FILE *f = fopen(path, "wb");
    if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static void line(gl_line_in *l, const char *acc, uint8_t side, int64_t amount)
{
    *l = (gl_line_in){.account = acc,
                      .aux = "",
                      .aux_label = "",
                      .label = "",
                      .side = side,
                      .amount_cents = amount};
}

/* kind: 0 simple, 1 rich (aux, UTF-8, reversal), 2 bad side, 3 unbalanced,
 * 4 an extension area with types out of order, 5 a line's area with an item
 * of an undefined type; layout 1 or 2 */
static void entry_in(gl_buf *b, int kind, uint32_t date, int layout)
{
    gl_line_in ls[3];
    line(&ls[0], "512000", 'D', 5000);
    line(&ls[1], "756000", kind == 2 ? 'd' : 'C', kind == 3 ? 4999 : 5000);
    gl_entry_in e = {.tenant = "acme",
                     .journal = "BQ",
                     .piece_ref = "R-001",
                     .label = "Cotisation 2024",
                     .date = date,
                     .piece_date = date,
                     .line_count = 2,
                     .lines = ls};
    if (kind == 1) {
        ls[0] = (gl_line_in){.account = "411000",
                             .aux = "CLI0042",
                             .aux_label = "Dupont \xc3\x89lise",
                             .label = "Facture 42",
                             .side = 'D',
                             .amount_cents = 120000};
        line(&ls[1], "706000", 'C', 100000);
        line(&ls[2], "44571", 'C', 20000);
        ls[2].label = "TVA \xe2\x82\xac";
        e.journal = "VT";
        e.line_count = 3;
        e.reverses_fy = 2023;
        e.reverses_num = 17;
    }
    static const uint8_t unsorted[] = {2, 1, 'x', 1, 0}, undefined[] = {7, 3, 'A', 'N', '1'};
    gl_ext_in line_ext[3] = {{0}, {undefined, sizeof undefined}, {0}};
    if (kind == 4)
        e.ext = (gl_ext_in){unsorted, sizeof unsorted};
    if (kind == 5)
        e.line_ext = line_ext;
    if (gl_entry_encode_layout(b, &e, layout) != GL_OK)
        exit(1);
}

static void entry(gl_buf *b, int kind, uint32_t date) { entry_in(b, kind, date, GL_LAYOUT_2); }

static void post_body(gl_buf *b, int n, int bad_kind)
{
    gl_buf_init(b);
    gl_put_u32(b, (uint32_t)n);
    for (int i = 0; i < n; i++)
        entry(b, i == n - 1 ? bad_kind : (i % 2), 20240101 + (uint32_t)i);
}

static void request(const char *name, uint16_t kind, const char *tenant, const gl_buf *body)
{
    gl_buf m;
    gl_buf_init(&m);
    if (gl_request_encode(&m, kind, ledger, sk, tenant, 1000 + kind, 1700000000000,
                          body ? body->data : NULL, body ? body->len : 0) != GL_OK)
        exit(1);
    save("fuzz_request", name, m.data, m.len);
    gl_buf_free(&m);
    seeded[kind] = true;
}

/* A version 1 request (the history the verifier still reads). */
static void request_v1(const char *name, uint16_t kind, const char *tenant, const gl_buf *body)
{
    gl_buf m;
    gl_buf_init(&m);
    if (gl_request_encode_v1(&m, kind, sk, tenant, 1000 + kind, 1600000000000,
                             body ? body->data : NULL, body ? body->len : 0) != GL_OK)
        exit(1);
    save("fuzz_request", name, m.data, m.len);
    gl_buf_free(&m);
}

static void both(const char *name, uint16_t kind, gl_buf *body)
{
    request(name, kind, "acme", body);
    save("fuzz_roundtrip", name, body->data, body->len);
    gl_buf_free(body);
}

static void requests_and_bodies(void)
{
    gl_buf b;
    request("ping_empty_tenant", GL_KIND_PING, "", NULL);
    request("accounts_list", GL_KIND_ACCOUNTS_LIST, "asso-velo_75", NULL);
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 3);
    gl_put_str8(&b, "512000", 6), gl_put_str8(&b, "Banque", 6);
    gl_put_str8(&b, "756000", 6), gl_put_str8(&b, "Cotisations", 11);
    gl_put_str8(&b, "411CLI", 6), gl_put_str8(&b, "Clients \xc3\xa9", 10);
    both("accounts_open", GL_KIND_ACCOUNTS_OPEN, &b);
    gl_buf_init(&b);
    gl_put_u32(&b, 2);
    gl_put_str8(&b, "741000", 6), gl_put_str8(&b, "Subvention Ville", 16);
    gl_put_str8(&b, "512000", 6), gl_put_str8(&b, "Banque \xc3\xa9", 9);
    both("account_label", GL_KIND_ACCOUNT_LABEL, &b);
    post_body(&b, 1, 0);
    both("post_one", GL_KIND_POST, &b);
    post_body(&b, 3, 1);
    both("post_three_rich", GL_KIND_POST, &b);
    post_body(&b, 3, 2);
    both("invalid_post_bad_side_3rd", GL_KIND_POST, &b);
    post_body(&b, 2, 3);
    both("post_unbalanced", GL_KIND_POST, &b);
    post_body(&b, 2, 4);
    both("invalid_post_ext_unsorted", GL_KIND_POST, &b);
    post_body(&b, 2, 5);
    both("invalid_post_ext_undefined_type", GL_KIND_POST, &b);
    /* version 1: a post of layout-1 entries, a ping */
    gl_buf_init(&b);
    gl_put_u32(&b, 2);
    entry_in(&b, 0, 20240101, GL_LAYOUT_1);
    entry_in(&b, 1, 20240102, GL_LAYOUT_1);
    request_v1("v1_post_two", GL_KIND_POST, "acme", &b);
    save("fuzz_roundtrip", "v1_post_two", b.data, b.len);
    gl_buf_free(&b);
    request_v1("v1_ping", GL_KIND_PING, "", NULL);
    gl_buf_init(&b);
    gl_balance_q_encode(&b, &(gl_balance_q){.at = 20241231, .flags = GL_BALANCE_AUX});
    both("balance_aux", GL_KIND_BALANCE, &b);
    gl_buf_init(&b);
    gl_journal_q_encode(&b, &(gl_journal_q){.from = 20240101, .to = 20241231, .limit = 100});
    both("journal_first_page", GL_KIND_JOURNAL, &b);
    gl_buf_init(&b);
    gl_journal_q_encode(&b, &(gl_journal_q){.from = 20241231,
                                            .to = 20240101,
                                            .watermark = 5,
                                            .after_fy = 2024,
                                            .after_num = 9,
                                            .limit = 100});
    both("invalid_journal_reversed", GL_KIND_JOURNAL, &b);
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &(gl_ledger_q){.account = {"512000", 6},
                                          .from = 20240101,
                                          .to = 20241231,
                                          .watermark = 7,
                                          .after_date = 20240315,
                                          .after_fy = 2024,
                                          .after_num = 12,
                                          .after_line = 2,
                                          .limit = 50});
    both("ledger_next_page", GL_KIND_LEDGER, &b);
    /* issue 14: the filter block behind flag bit 1 */
    gl_buf_init(&b);
    gl_journal_q_encode(&b, &(gl_journal_q){.from = 20250101,
                                            .to = 20251231,
                                            .limit = 100,
                                            .flags = GL_JOURNAL_FILTER,
                                            .filter = {.fields = 0x1F,
                                                       .account = {"6", 1},
                                                       .aux = {"FOURN01", 7},
                                                       .text = {"\xc3\xa9lec", 5},
                                                       .journal = {"AC", 2},
                                                       .amount = 12050}});
    both("journal_filter", GL_KIND_JOURNAL, &b);
    gl_buf_init(&b);
    gl_ledger_q_encode(&b, &(gl_ledger_q){.account = {"401000", 6},
                                          .from = 19000101,
                                          .to = 20251231,
                                          .limit = 50,
                                          .flags = GL_LEDGER_FILTER,
                                          .filter = {.fields = GL_FILTER_AUX | GL_FILTER_OPEN_AT,
                                                     .aux = {"FOURN01", 7},
                                                     .open_at = 20251231}});
    both("ledger_open_at", GL_KIND_LEDGER, &b);
    gl_buf_init(&b);
    gl_backup_q_encode(&b, "ledger-2024-12-31.mdb", 21);
    request("backup_name", GL_KIND_BACKUP, "", &b);
    gl_buf_reset(&b);
    gl_backup_q_encode(&b, "/root/.ssh/authorized_keys", 26);
    request("invalid_backup_path", GL_KIND_BACKUP, "", &b);
    gl_buf_free(&b);
    /* a label holding U+202E (RIGHT-TO-LEFT OVERRIDE): refused, 106 */
    gl_buf_init(&b);
    gl_put_u32(&b, 1);
    {
        gl_line_in ls[2] = {{"512000", "", "", "", 'D', 100}, {"756000", "", "", "", 'C', 100}};
        gl_entry_in e = {.tenant = "acme",
                         .journal = "BQ",
                         .piece_ref = "R-1",
                         .label =
                             "Loyer \xe2\x80\xae"
                             "1 00.0",
                         .date = 20240101,
                         .piece_date = 20240101,
                         .line_count = 2,
                         .lines = ls};
        if (gl_entry_encode(&b, &e) != GL_OK)
            exit(1);
    }
    both("invalid_post_bidi_label", GL_KIND_POST, &b);
    request("invalid_tenant_upper", GL_KIND_PING, "Acme", NULL);
    request("invalid_kind_99", 99, "acme", NULL);

    /* Envelope damage, from a valid ping. */
    gl_buf m;
    gl_buf_init(&m);
    gl_request_encode(&m, GL_KIND_PING, ledger, sk, "acme", 1, 1, NULL, 0);
    m.data[0] = 'X';
    save("fuzz_request", "invalid_magic", m.data, m.len);
    m.data[0] = 'G';
    m.data[5] = 3;
    save("fuzz_request", "invalid_version_3", m.data, m.len);
    m.data[5] = 2;
    save("fuzz_request", "invalid_truncated", m.data, m.len - 1);
    gl_put_u8(&m, 0);
    save("fuzz_request", "invalid_trailing", m.data, m.len);
    gl_buf_free(&m);

    /* Replies. */
    static const uint8_t rbody[] = {0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 42};
    gl_reply ok = {.status = GL_OK, .request_id = 1004, .body = rbody, .body_len = sizeof rbody};
    gl_reply err = {.status = GL_ERR_UNBALANCED,
                    .request_id = 1004,
                    .flags = GL_REPLY_REPLAYED,
                    .err_item = 3,
                    .err_line = 2,
                    .detail = {"d\xc3\xa9"
                               "bit 50,00 \xe2\x89\xa0 cr\xc3\xa9"
                               "dit 49,99",
                               30}};
    gl_buf_init(&m);
    gl_reply_encode(&m, &ok);
    save("fuzz_request", "reply_ok", m.data, m.len);
    gl_buf_reset(&m);
    gl_reply_encode(&m, &err);
    save("fuzz_request", "reply_error_replayed", m.data, m.len);
    gl_buf_reset(&m);
    gl_reply_ping pr = {.version = {"grandlivred 0.1", 15},
                        .now_ms = 1700000000000,
                        .ledger_id = ledger,
                        .role = 1,
                        .tenant = {"acme", 4},
                        .key_name = {"acme-treasurer", 14}};
    gl_reply_ping_encode(&m, &pr);
    save("fuzz_request", "ping_reply_body", m.data, m.len);
    gl_buf_free(&m);

    /* Bodies only. */
    gl_buf_init(&b);
    entry(&b, 1, 20240229);
    save("fuzz_roundtrip", "entry_alone", b.data, b.len);
    gl_buf_reset(&b);
    entry_in(&b, 1, 20240229, GL_LAYOUT_1);
    save("fuzz_roundtrip", "entry_alone_v1", b.data, b.len);
    gl_buf_free(&b);
    gl_buf_init(&b);
    gl_put_u32(&b, 0);
    save("fuzz_roundtrip", "invalid_post_empty", b.data, b.len);
    gl_buf_reset(&b);
    gl_put_u32(&b, GL_ENTRIES_MAX + 1);
    save("fuzz_roundtrip", "invalid_post_count", b.data, b.len);
    gl_buf_free(&b);
    /* one entry with 60 lines and strings at their limits */
    static gl_line_in many[60];
    static const char *const accs[] = {"12345678901234567890", "9ZZZZZZZZZZZZZZZZZZZ"};
    char lab[GL_LABEL_MAX + 1];
    memset(lab, 'L', GL_LABEL_MAX);
    lab[GL_LABEL_MAX] = '\0';
    for (int i = 0; i < 60; i++)
        many[i] = (gl_line_in){.account = accs[i % 2],
                               .aux = "AUX00000000000000001",
                               .aux_label = lab,
                               .label = "",
                               .side = i % 2 ? 'C' : 'D',
                               .amount_cents = INT64_MAX};
    gl_entry_in big = {.tenant = "abcdefghijklmnop",
                       .journal = "ABCDEFGH",
                       .piece_ref =
                           "0123456789012345678901234567890123456789012345678901234567890123",
                       .label = lab,
                       .date = 29991231,
                       .piece_date = 19000101,
                       .reverses_fy = 65535,
                       .reverses_num = 4294967295u,
                       .flags = GL_ENTRY_FLAGS_ALL,
                       .line_count = 60,
                       .lines = many};
    gl_buf_init(&b);
    gl_put_u32(&b, 1);
    gl_entry_encode(&b, &big);
    save("fuzz_roundtrip", "post_limits", b.data, b.len);
    gl_buf_free(&b);
}

/* fuzz_bodies: kind u8 | body, every date and month field at its limits. */
static void body_seed(const char *name, uint16_t kind, gl_buf *body)
{
    gl_buf m;
    gl_buf_init(&m);
    gl_put_u8(&m, (uint8_t)kind);
    gl_put_bytes(&m, body->data, body->len);
    save("fuzz_bodies", name, m.data, m.len);
    seeded[kind] = true;
    gl_buf_free(&m);
    gl_buf_free(body);
    gl_buf_init(body);
}

static void bodies_at_limits(void)
{
    /* months: first and last valid, one past each, 0, and values that wrap
     * to a valid date when multiplied by 100 in 32 bits */
    static const struct {
        const char *name;
        uint32_t ym;
    } months[] = {
        {"190001", 190001},
        {"299912", 299912},
        {"190000", 190000},
        {"189912", 189912},
        {"299913", 299913},
        {"300001", 300001},
        {"0", 0},
        {"wrap_2p30", 202501u + (1u << 30)},
        {"int32_max", INT32_MAX},
        {"uint32_max", UINT32_MAX},
        {"202513", 202513},
    };
    /* dates: first and last valid, one past each, leap days, 0, UINT32_MAX */
    static const struct {
        const char *name;
        uint32_t ymd;
    } dates[] = {
        {"19000101", 19000101},     {"29991231", 29991231},
        {"18991231", 18991231},     {"30000101", 30000101},
        {"20240229", 20240229},     {"20250229", 20250229},
        {"19000229", 19000229},     {"0", 0},
        {"uint32_max", UINT32_MAX}, {"20251300", 20251300},
    };
    gl_buf b;
    gl_buf_init(&b);
    char name[64];
    for (size_t i = 0; i < sizeof months / sizeof months[0]; i++) {
        gl_lock_q_encode(&b, &(gl_lock_q){months[i].ym, GL_LOCK_NEXT_ONLY});
        snprintf(name, sizeof name, "lock_%s", months[i].name);
        body_seed(name, GL_KIND_LOCK, &b);
        gl_recharge_q_encode(&b, &(gl_recharge_q){months[i].ym, 2850000, 1, 0, {0}});
        snprintf(name, sizeof name, "recharge_%s", months[i].name);
        body_seed(name, GL_KIND_RECHARGE, &b);
    }
    for (size_t i = 0; i < sizeof dates / sizeof dates[0]; i++) {
        uint32_t d = dates[i].ymd;
        gl_recharge_q_encode(&b, &(gl_recharge_q){202501, INT64_MAX, 65535, d, {0}});
        snprintf(name, sizeof name, "recharge_date_%s", dates[i].name);
        body_seed(name, GL_KIND_RECHARGE, &b);
        gl_dues_q dq = {.year = 2025, .date = d, .count = 1, .items = {{{"beta", 4}, 1}}};
        gl_dues_q_encode(&b, &dq);
        snprintf(name, sizeof name, "dues_date_%s", dates[i].name);
        body_seed(name, GL_KIND_DUES, &b);
        gl_recharge_adjust_q aq = {
            .year = 2025,
            .date = d,
            .count = 2,
            .items = {{{"beta", 4}, 1}, {{"gamma", 5}, -1}},
            .accounts = {true, {"411GRP", 6}, {"706100", 6}, {"628800", 6}, {"401GRP", 6}}};
        gl_recharge_adjust_q_encode(&b, &aq);
        snprintf(name, sizeof name, "recharge_adjust_date_%s", dates[i].name);
        body_seed(name, GL_KIND_RECHARGE_ADJUST, &b);
        gl_recharge_q_encode(&b, &(gl_recharge_q){202501, INT64_MAX, 65535, d, aq.accounts});
        snprintf(name, sizeof name, "recharge_accounts_date_%s", dates[i].name);
        body_seed(name, GL_KIND_RECHARGE, &b);
        gl_balance_q_encode(&b, &(gl_balance_q){.at = d, .flags = GL_BALANCE_AUX});
        snprintf(name, sizeof name, "balance_%s", dates[i].name);
        body_seed(name, GL_KIND_BALANCE, &b);
        gl_journal_q_encode(&b, &(gl_journal_q){.from = d, .to = 29991231, .limit = GL_PAGE_MAX});
        snprintf(name, sizeof name, "journal_from_%s", dates[i].name);
        body_seed(name, GL_KIND_JOURNAL, &b);
        gl_ledger_q_encode(
            &b,
            &(gl_ledger_q){
                .account = {"512000", 6}, .from = 19000101, .to = d, .after_date = d, .limit = 1});
        snprintf(name, sizeof name, "ledger_to_%s", dates[i].name);
        body_seed(name, GL_KIND_LEDGER, &b);
        gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = d,
                                                            .watermark = UINT64_MAX,
                                                            .after = {"9ZZZZZZZZZZZZZZZZZZZ", 20},
                                                            .limit = GL_PAGE_MAX});
        snprintf(name, sizeof name, "group_balance_%s", dates[i].name);
        body_seed(name, GL_KIND_GROUP_BALANCE, &b);
        gl_put_u32(&b, d);
        snprintf(name, sizeof name, "group_reconcile_%s", dates[i].name);
        body_seed(name, GL_KIND_GROUP_RECONCILE, &b);
    }
    /* years: DUES year, CLOSE_YEAR fy, ENTRY_GET fy, LETTER ref fy */
    static const uint16_t years[] = {0, 1899, 1900, 2998, 2999, 3000, 65535};
    for (size_t i = 0; i < sizeof years / sizeof years[0]; i++) {
        uint16_t y = years[i];
        gl_dues_q dq = {
            .year = y, .count = 2, .items = {{{"beta", 4}, INT64_MAX}, {{"gamma", 5}, 1}}};
        gl_dues_q_encode(&b, &dq);
        snprintf(name, sizeof name, "dues_year_%u", y);
        body_seed(name, GL_KIND_DUES, &b);
        gl_close_q_encode(&b, &(gl_close_q){y});
        snprintf(name, sizeof name, "close_%u", y);
        body_seed(name, GL_KIND_CLOSE_YEAR, &b);
        gl_entry_ref_encode(&b, &(gl_entry_ref){y, UINT32_MAX});
        snprintf(name, sizeof name, "entry_get_%u", y);
        body_seed(name, GL_KIND_ENTRY_GET, &b);
        gl_line_ref refs[2] = {{y, 1, 1}, {2025, UINT32_MAX, 65535}};
        gl_letter_q_encode(&b, (gl_str){"411000", 6}, (gl_str){"DUPONT", 6}, refs, 2);
        snprintf(name, sizeof name, "letter_fy_%u", y);
        body_seed(name, GL_KIND_LETTER, &b);
    }
    /* counts at their limits */
    gl_keys_q kq = {.version = 65535, .count = GL_GROUP_MEMBERS_MAX};
    for (int i = 0; i < GL_GROUP_MEMBERS_MAX; i++)
        kq.items[i] = (gl_group_item){{"abcdefghijklmnop", 16}, i % 2 ? UINT32_MAX : 0};
    gl_keys_q_encode(&b, &kq);
    body_seed("keys_64_max_weights", GL_KIND_KEYS_SET, &b);
    gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = 20251231, .limit = 0});
    body_seed("group_balance_limit_0", GL_KIND_GROUP_BALANCE, &b);
    gl_group_balance_q_encode(&b, &(gl_group_balance_q){.at = 20251231, .limit = GL_PAGE_MAX + 1});
    body_seed("group_balance_limit_1001", GL_KIND_GROUP_BALANCE, &b);
    gl_chain_q_encode(&b, &(gl_chain_q){UINT64_MAX, GL_PAGE_MAX});
    body_seed("chain_last", GL_KIND_CHAIN, &b);
    gl_put_u64(&b, UINT64_MAX);
    body_seed("envelope_max", GL_KIND_ENVELOPE, &b);
    gl_put_u16(&b, 65535);
    body_seed("keys_get_max", GL_KIND_KEYS_GET, &b);
    gl_unletter_q_encode(&b, &(gl_unletter_q){{"411000", 6}, {"ZZZZ", 4}});
    body_seed("unletter_zzzz", GL_KIND_UNLETTER, &b);
    {
        gl_line_ref refs[2] = {{2025, 3, 1}, {2025, 7, 2}};
        gl_buf one;
        gl_buf_init(&one);
        gl_put_u16(&b, 2);
        gl_letter_q_encode(&one, (gl_str){"411000", 6}, (gl_str){"DUPONT", 6}, refs, 2);
        gl_letter_batch_put(&b, &one);
        gl_buf_reset(&one);
        gl_letter_q_encode_dated(&one, (gl_str){"401000", 6}, (gl_str){"", 0}, refs, 2, 20250115);
        gl_letter_batch_put(&b, &one);
        gl_buf_free(&one);
        body_seed("letter_batch_two_sets", GL_KIND_LETTER_BATCH, &b);
    }
    gl_buf_free(&b);

    /* the same months inside signed requests (fuzz_request) */
    gl_buf_init(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){202501u + (1u << 30), 0});
    request("lock_month_wraps", GL_KIND_LOCK, "acme", &b);
    gl_buf_reset(&b);
    gl_lock_q_encode(&b, &(gl_lock_q){299912, GL_LOCK_NEXT_ONLY});
    request("lock_last_month", GL_KIND_LOCK, "acme", &b);
    gl_buf_reset(&b);
    gl_recharge_q_encode(&b, &(gl_recharge_q){202501u + (1u << 30), 2850000, 1, 0, {0}});
    request("recharge_month_wraps", GL_KIND_RECHARGE, "", &b);
    gl_buf_reset(&b);
    gl_recharge_q_encode(&b, &(gl_recharge_q){190001, 1, 0, 0, {0}});
    request("recharge_first_month", GL_KIND_RECHARGE, "", &b);
    gl_buf_reset(&b);
    gl_dues_q dq = {.year = 2999, .date = 29991231, .count = 1, .items = {{{"beta", 4}, 1}}};
    gl_dues_q_encode(&b, &dq);
    request("dues_last_year", GL_KIND_DUES, "", &b);
    gl_buf_reset(&b);
    gl_group_balance_q_encode(
        &b, &(gl_group_balance_q){
                .at = 20251231, .watermark = 42, .after = {"512000", 6}, .limit = GL_PAGE_MAX});
    request("group_balance_next_page", GL_KIND_GROUP_BALANCE, "", &b);
    gl_buf_reset(&b);
    gl_close_q_encode(&b, &(gl_close_q){2998});
    request("close_last_year", GL_KIND_CLOSE_YEAR, "acme", &b);
    gl_buf_free(&b);
}

static void events(void)
{
    uint8_t prev[32] = {0}, signer[32];
    for (int i = 0; i < 32; i++)
        signer[i] = (uint8_t)i;
    gl_buf body, rec, ent;
    for (int i = 0; i < 6; i++) {
        gl_event_head h = {.envelope = 100 + (uint64_t)i,
                           .item = 1,
                           .signer = signer,
                           .request_id = 42,
                           .recorded_ms = 1700000000000 + i};
        gl_buf_init(&body);
        gl_event_head_encode(&body, &h);
        uint16_t type = GL_EVENT_ACCOUNT_OPEN;
        if (i == 0 || i == 1) {
            gl_put_str8(&body, "512000", 6);
            gl_put_str8(&body, i ? "Caisse \xc3\xa9" : "Banque", i ? 10 : 6);
        } else if (i == 2 || i == 3 || i == 5) {
            /* 3 and 4: ENTRY2 (layout 2); 6: an ENTRY of the history (layout 1) */
            int layout = i == 5 ? GL_LAYOUT_1 : GL_LAYOUT_2;
            type = gl_event_entry_type(layout);
            gl_put_u16(&body, 2024);
            gl_put_u32(&body, (uint32_t)i);
            gl_buf_init(&ent);
            entry_in(&ent, i == 3, 20240315, layout);
            gl_put_bytes(&body, ent.data, ent.len);
            gl_buf_free(&ent);
        } else {
            type = 99; /* unknown type: readers skip it */
            gl_put_bytes(&body, "future payload", 14);
        }
        gl_buf_init(&rec);
        gl_event_encode(&rec, "acme", 4, (uint64_t)i + 1, prev, type, body.data,
                        (uint32_t)body.len);
        memcpy(prev, rec.data + rec.len - 32, 32);
        char name[32];
        snprintf(name, sizeof name, "event_%d", i + 1);
        save("fuzz_event", name, rec.data, rec.len);
        if (i == 2) {
            save("fuzz_event", "invalid_truncated", rec.data, rec.len - 1);
            gl_put_u8(&rec, 0);
            save("fuzz_event", "invalid_trailing", rec.data, rec.len);
        }
        gl_buf_free(&rec);
        gl_buf_free(&body);
    }
    /* body shorter than the common head */
    gl_buf_init(&rec);
    gl_event_encode(&rec, "acme", 4, 1, prev, GL_EVENT_ENTRY2, signer, 20);
    save("fuzz_event", "invalid_short_body", rec.data, rec.len);
    gl_buf_free(&rec);
}

/* The kinds of the table that no seed above covers: an empty body's
 * request, named after the kind; a body needs its seed written above. */
static void every_kind(void)
{
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    for (size_t i = 0; i < n; i++) {
        if (seeded[t[i].kind])
            continue;
        if (t[i].decode != gl_body_decode_empty) {
            fprintf(stderr, "make_seeds: no seed for kind %u (%s): add one\n", t[i].kind,
                    t[i].name);
            exit(1);
        }
        char name[64];
        snprintf(name, sizeof name, "kind_%s", t[i].name);
        request(name, t[i].kind, t[i].tenant == GL_TENANT_IGNORED ? "" : "acme", NULL);
    }
}

int main(int argc, char **argv)
{
    static const uint8_t seed[32] = "grandlivre fuzz seed key 0000000";
    if (argc != 2 || sodium_init() < 0)
        return 2;
    root = argv[1];
    crypto_sign_seed_keypair(pk, sk, seed);
    requests_and_bodies();
    bodies_at_limits();
    events();
    every_kind();
    return 0;
}
