/*
 * tests/fuzz/make_seeds_reply_group.c — writes the seed corpus of
 * fuzz_reply_group: one file per reply, a selector byte (the order of the
 * target's table) then a body as the daemon writes it through
 * proto/reply_group.h, plus a few with bytes appended after the known
 * fields and a few cut short.  Deterministic.  Not a fuzz target and not
 * built by make; regenerate after a reply changes with
 *   cc -std=c11 -D_GNU_SOURCE -I. -o /tmp/make_seeds_reply_group
 *      tests/fuzz/make_seeds_reply_group.c proto/[a-z]*.c -lsodium
 *   /tmp/make_seeds_reply_group tests/fuzz/corpus/fuzz_reply_group
 */
#include "proto/reply_group.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

enum { STATS, BACKUP, KEYRING, TENANTS, KEYS_SET, KEYS_GET, POSTED, GROUP_BALANCE, RECONCILE };

static const char *root;

static void save(const char *name, uint8_t selector, const gl_buf *b, size_t cut, const char *tail)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s", root, name);
    FILE *f = fopen(path, "wb");
    size_t n = cut < b->len ? cut : b->len;
    if (!f || fputc(selector, f) == EOF || fwrite(b->data, 1, n, f) != n ||
        (tail && fwrite(tail, 1, strlen(tail), f) != strlen(tail)) || fclose(f) != 0) {
        perror(path);
        exit(1);
    }
}

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static void stats(gl_buf *b)
{
    gl_reply_stats_encode(b,
                          &(gl_reply_stats){.rss_anon_kb = 10240, .rss_file_kb = 2048, .count = 3});
    gl_reply_stats_put_row(b, &(gl_reply_stats_row){1, 12, 65536, 131072, 100000});
    gl_reply_stats_put_row(b, &(gl_reply_stats_row){4, 3, 1 << 22, 1 << 23, 5000000});
    gl_reply_stats_put_row(b, &(gl_reply_stats_row){34, 1, 1 << 20, 1 << 20, 900000});
}

static void keyring(gl_buf *b)
{
    uint8_t k1[32], k2[32];
    memset(k1, 0x11, sizeof k1);
    memset(k2, 0xe2, sizeof k2);
    size_t at = gl_reply_keyring_encode(b, &(gl_reply_keyring){0});
    gl_reply_keyring_put_row(b, &(gl_reply_keyring_row){k1,
                                                        0,
                                                        {"\x01\0\0\0\0\0\0\0\0\0\x02\0\x0a"
                                                         "accountant",
                                                         23}});
    gl_reply_keyring_put_row(b,
                             &(gl_reply_keyring_row){k2,
                                                     1764000000000ull,
                                                     {"\x01\0\0\x01\x9a\xd0\x1b\x0c\0\x01\x01\x05"
                                                      "agiie\x03"
                                                      "bob",
                                                      21}});
    gl_reply_keyring_set_count(b, at, 2);
}

static void tenants(gl_buf *b)
{
    gl_reply_tenants r = {.umbrella = S("umbrella")};
    size_t at = gl_reply_tenants_encode(b, &r);
    gl_reply_tenants_put_row(
        b, &(gl_reply_tenants_row){S("umbrella"), S("Fédération"), S("123456789"), 1, S("FED")});
    gl_reply_tenants_put_row(
        b, &(gl_reply_tenants_row){S("agiie"), S("AGIIE"), S("987654321"), 9, S("AGI")});
    gl_reply_tenants_end(b, &r);
    gl_reply_tenants_set_count(b, at, 2);
}

static void keys_get(gl_buf *b)
{
    gl_reply_keys_get_encode(b, &(gl_reply_keys_get){.used = 1, .version = 3, .count = 2});
    gl_reply_keys_get_put_row(b, &(gl_reply_keys_row){S("agiie"), 61});
    gl_reply_keys_get_put_row(b, &(gl_reply_keys_row){S("mjc"), 39});
}

static void posted(gl_buf *b)
{
    size_t at = gl_reply_posted_encode(b, &(gl_reply_posted){0});
    gl_reply_posted_put_row(b, &(gl_reply_posted_row){S("umbrella"), 2025, 41});
    gl_reply_posted_put_row(b, &(gl_reply_posted_row){S("agiie"), 2025, 17});
    gl_reply_posted_set_count(b, at, 2);
}

static void group_balance(gl_buf *b)
{
    static gl_reply_group_balance h = {.watermark = 42, .more = 1, .at = 20251231, .n = 2};
    h.next = S("512000");
    h.entities[0] = (gl_reply_entity){S("umbrella"), 2025};
    h.entities[1] = (gl_reply_entity){S("agiie"), 2026};
    size_t at = gl_reply_group_balance_encode(b, &h);
    gl_reply_group_balance_row r = {.account = S("411000"), .label = S("Clients"), .elim = -28500};
    r.net[0] = 28500;
    gl_reply_group_balance_put_row(b, h.n, &r);
    r = (gl_reply_group_balance_row){.account = S("512000"), .label = S("Banque"), .elim = 0};
    r.net[0] = -28500;
    r.net[1] = 1000;
    gl_reply_group_balance_put_row(b, h.n, &r);
    gl_reply_group_balance_set_count(b, at, 2);
    /* the tail (issue 20): the combination ledger, per row gap and adj */
    gl_reply_group_balance_put_tail(b, &(gl_reply_group_balance_tail){S("consol"), 2025});
    gl_reply_group_balance_put_extra(b, 100, 0);
    gl_reply_group_balance_put_extra(b, 0, -2500);
}

static void reconcile(gl_buf *b)
{
    size_t at = gl_reply_reconcile_encode(b, &(gl_reply_reconcile){.at = 20251231});
    gl_reply_reconcile_put_pair(
        b, &(gl_reply_reconcile_pair){S("umbrella"), S("agiie"), 1, 300, -300, 0, 0, 0, {"", 0}});
    size_t n_at = gl_reply_reconcile_put_pair(
        b, &(gl_reply_reconcile_pair){S("umbrella"), S("agiie"), 2, 500, -400, 1, 100, 0, {"", 0}});
    gl_reply_reconcile_put_line(
        b, &(gl_reply_reconcile_line){S("umbrella"), 2025, 12, 20250301, S("706100"), -500,
                                      S("Refacturation des frais 2025-03 AGI")});
    gl_reply_reconcile_put_line(
        b, &(gl_reply_reconcile_line){S("agiie"), 2025, 3, 20250302, S("628000"), 400, S("")});
    gl_reply_reconcile_set_unmatched(b, n_at, 2);
    gl_reply_reconcile_set_count(b, at, 2);
}

int main(int argc, char **argv)
{
    if (argc != 2) {
        fprintf(stderr, "usage: make_seeds_reply_group DIR\n");
        return 2;
    }
    root = argv[1];
    mkdir(root, 0755);
    struct {
        const char *name;
        uint8_t selector;
        void (*build)(gl_buf *);
    } seeds[] = {{"stats", STATS, stats},
                 {"keyring", KEYRING, keyring},
                 {"tenants", TENANTS, tenants},
                 {"keys_get", KEYS_GET, keys_get},
                 {"posted", POSTED, posted},
                 {"group_balance", GROUP_BALANCE, group_balance},
                 {"reconcile", RECONCILE, reconcile}};
    for (size_t i = 0; i < sizeof seeds / sizeof seeds[0]; i++) {
        gl_buf b;
        gl_buf_init(&b);
        seeds[i].build(&b);
        char name[64];
        save(seeds[i].name, seeds[i].selector, &b, SIZE_MAX, NULL);
        snprintf(name, sizeof name, "%s_trailing", seeds[i].name);
        save(name, seeds[i].selector, &b, SIZE_MAX, "\x01later");
        snprintf(name, sizeof name, "%s_cut", seeds[i].name);
        save(name, seeds[i].selector, &b, b.len - 3, NULL);
        gl_buf_free(&b);
    }
    gl_buf b;
    gl_buf_init(&b);
    gl_reply_backup_encode(
        &b,
        &(gl_reply_backup){.path = S("/var/backups/grandlivre/grandlivre-20251231-235959.mdb")});
    save("backup", BACKUP, &b, SIZE_MAX, NULL);
    gl_buf_reset(&b);
    gl_reply_keys_set_encode(&b, &(gl_reply_keys_set){.version = 3, .count = 2});
    save("keys_set", KEYS_SET, &b, SIZE_MAX, NULL);
    gl_buf_reset(&b);
    gl_reply_tenants_encode(&b, &(gl_reply_tenants){0});
    gl_reply_tenants_end(&b, &(gl_reply_tenants){.umbrella = S("")});
    save("tenants_none", TENANTS, &b, SIZE_MAX, NULL);
    gl_buf_free(&b);
    return 0;
}
