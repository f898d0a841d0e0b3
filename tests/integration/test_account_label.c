/*
 * tests/integration/test_account_label.c — issue 13 item 7, labels: an
 * account's label changes by a signed ACCOUNT_LABEL request (kind 18), an
 * event of type 8 in the tenant's chain that the offline verifier replays;
 * `fec import` gives accounts still labelled as a standard chart says the
 * file's CompteLib, lists each change, and leaves them with --keep-labels.
 * Refusals (300, 301, 405, 434) leave the ledger's digest unchanged.
 */
#include "tests/support/harness.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(account_label, .init = setup, .fini = teardown, .timeout = 120);

static const char lyon[] = "Subvention Ville de Lyon";

static void label_body(gl_buf *b, const char *const *accounts, const char *const *labels, size_t n)
{
    gl_buf_init(b);
    gl_put_u32(b, (uint32_t)n);
    for (size_t i = 0; i < n; i++) {
        gl_put_str8(b, accounts[i], strlen(accounts[i]));
        gl_put_str8(b, labels[i], strlen(labels[i]));
    }
    cr_assert(gl_buf_ok(b));
}

/* ACCOUNT_LABEL of one account; the reply's counts when accepted. */
static int relabel(enum h_key k, const char *tenant, const char *account, const char *label,
                   uint32_t *changed, uint32_t *unchanged)
{
    gl_buf b;
    label_body(&b, &account, &label, 1);
    gl_response r;
    int st = h_call(&h, k, GL_KIND_ACCOUNT_LABEL, tenant, 0, b.data, b.len, &r);
    if (st == GL_OK && changed) {
        cr_assert_eq(r.reply.body_len, 8);
        *changed = gl_rd32(r.reply.body);
        *unchanged = gl_rd32(r.reply.body + 4);
    }
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

/* The label ACCOUNTS_LIST gives account (into out). */
static void label_of(const char *tenant, const char *account, char *out, size_t out_len)
{
    gl_response r;
    cr_assert_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNTS_LIST, tenant, 0, NULL, 0, &r), GL_OK);
    gl_cur c;
    gl_cur_init_stored(&c, r.reply.body, r.reply.body_len);
    uint32_t n = gl_get_u32(&c);
    out[0] = '\0';
    for (uint32_t i = 0; i < n && gl_cur_status(&c) == GL_OK; i++) {
        gl_str a = gl_get_str8(&c, 255), l = gl_get_str8(&c, 255);
        gl_get_u8(&c);
        if (a.len == strlen(account) && !memcmp(a.ptr, account, a.len))
            snprintf(out, out_len, "%.*s", (int)l.len, l.ptr);
    }
    gl_response_free(&r);
    cr_assert(out[0], "%s is not in %s's chart", account, tenant);
}

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = malloc(1 << 22);
    cr_assert(buf);
    size_t n = fread(buf, 1, (1 << 22) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static char *cli_err(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/cli.err", h.dir);
    return read_all(path);
}

static void open_alpha(void)
{
    static const char *const accounts[] = {"741000", "512000"};
    h_open_accounts(&h, "alpha", accounts, 2);
}

Test(account_label, a_member_renames_its_own_account_and_the_list_shows_it)
{
    open_alpha();
    uint32_t changed = 9, unchanged = 9;
    cr_assert_eq(relabel(K_ALPHA, "alpha", "741000", lyon, &changed, &unchanged), GL_OK);
    cr_expect_eq(changed, 1);
    cr_expect_eq(unchanged, 0);
    char got[256];
    label_of("alpha", "741000", got, sizeof got);
    cr_expect_str_eq(got, lyon);
    label_of("alpha", "512000", got, sizeof got);
    cr_expect_str_eq(got, "Compte");
    /* the same label again: counted, no event */
    cr_assert_eq(relabel(K_ACCOUNTANT, "alpha", "741000", lyon, &changed, &unchanged), GL_OK);
    cr_expect_eq(changed, 0);
    cr_expect_eq(unchanged, 1);
    cr_expect_geq(h_verify_chains(&h), 0, "the chains do not verify");
    /* the CLI's own command */
    cr_assert_eq(
        h_cli(&h, K_ALPHA, NULL, 0, "accounts label --tenant alpha 512000 'Banque Populaire'"), 0,
        "%s", cli_err());
    label_of("alpha", "512000", got, sizeof got);
    cr_expect_str_eq(got, "Banque Populaire");
}

Test(account_label, refusals_leave_the_ledger_unchanged)
{
    open_alpha();
    static const char *const beta_accounts[] = {"741000"};
    h_open_accounts(&h, "beta", beta_accounts, 1);
    uint8_t before[32];
    h_digest(&h, before);
    cr_expect_eq(relabel(K_ALPHA, "beta", "741000", lyon, NULL, NULL), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(relabel(K_AUDITOR, "alpha", "741000", lyon, NULL, NULL), GL_ERR_FORBIDDEN_ROLE);
    cr_expect_eq(relabel(K_ACCOUNTANT, "alpha", "741100", lyon, NULL, NULL),
                 GL_ERR_UNKNOWN_ACCOUNT);
    cr_expect_eq(relabel(K_ACCOUNTANT, "alpha", "741000", "   ", NULL, NULL),
                 GL_ERR_FIELD_REQUIRED);
    cr_expect_eq(relabel(K_ACCOUNTANT, "alpha", "741000", "", NULL, NULL), GL_ERR_FIELD_REQUIRED);
    /* a good item before an unknown account: the whole request is refused */
    static const char *const accounts[] = {"741000", "999999"}, *const labels[] = {lyon, lyon};
    gl_buf b;
    label_body(&b, accounts, labels, 2);
    gl_response r;
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNT_LABEL, "alpha", 0, b.data, b.len, &r),
                 GL_ERR_UNKNOWN_ACCOUNT);
    cr_expect_eq(r.reply.err_item, 2);
    gl_response_free(&r);
    gl_buf_free(&b);
    /* no item at all */
    gl_buf_init(&b);
    gl_put_u32(&b, 0);
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_ACCOUNT_LABEL, "alpha", 0, b.data, b.len, &r),
                 GL_ERR_NO_ENTRIES);
    gl_response_free(&r);
    gl_buf_free(&b);
    digest_unchanged(before, "a refused ACCOUNT_LABEL");
    char got[256];
    label_of("alpha", "741000", got, sizeof got);
    cr_expect_str_eq(got, "Compte");
}

Test(account_label, fec_export_writes_the_new_label)
{
    open_alpha();
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "512000", "741000", 150000, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(relabel(K_ACCOUNTANT, "alpha", "741000", lyon, NULL, NULL), GL_OK);
    char dir[400], cmd[600];
    snprintf(dir, sizeof dir, "%s/fec", h.dir);
    snprintf(cmd, sizeof cmd, "mkdir -p '%s'", dir);
    cr_assert_eq(system(cmd), 0);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0,
                       "fec export --tenant alpha --year 2025 --encoding utf-8 -o %s", dir),
                 0, "%s", cli_err());
    snprintf(cmd, sizeof cmd, "cat %s/*.txt > %s/all.fec", dir, h.dir);
    cr_assert_eq(system(cmd), 0);
    snprintf(cmd, sizeof cmd, "%s/all.fec", h.dir);
    char *fec = read_all(cmd);
    cr_expect(strstr(fec, "741000\tSubvention Ville de Lyon\t"), "%s", fec);
    free(fec);
}

/* A private copy of event i's record, its new label's first byte changed,
 * then every hash recomputed: only the replay against the signed request
 * can find it. */
static void tamper_label(gl_archive_tenant *t, uint32_t i, gl_buf *arena, size_t arena_n)
{
    gl_buf *copy = &arena[0];
    gl_buf_init(copy);
    gl_put_bytes(copy, t->events[i].record, t->events[i].record_len);
    cr_assert(gl_buf_ok(copy));
    gl_event ev;
    cr_assert_eq(gl_event_decode(copy->data, copy->len, &ev), GL_OK);
    uint8_t *last = (uint8_t *)ev.payload + ev.payload_len - 1; /* the new label's last byte */
    *last = (uint8_t)(*last == 'X' ? 'Y' : 'X');
    t->events[i].record = copy->data;
    uint8_t prev[GL_HASH_BYTES] = {0};
    for (uint32_t k = 0; k < t->event_count; k++) {
        cr_assert(k + 1 < arena_n);
        gl_buf *b = &arena[k + 1];
        gl_buf_init(b);
        cr_assert_eq(gl_event_decode(t->events[k].record, t->events[k].record_len, &ev), GL_OK);
        gl_event_encode(b, t->id.ptr, t->id.len, k + 1, prev, ev.type, ev.body, ev.body_len);
        cr_assert(gl_buf_ok(b));
        memcpy(prev, b->data + b->len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[k] = (gl_archive_event){k + 1, b->data, (uint32_t)b->len};
    }
    t->head_seq = t->event_count;
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
}

Test(account_label, the_archive_verifies_after_a_rename_and_a_tampered_rename_is_found)
{
    open_alpha();
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250301, "512000", "741000", 150000, l);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
    cr_assert_eq(relabel(K_ALPHA, "alpha", "741000", lyon, NULL, NULL), GL_OK);
    char path[400], bad[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    snprintf(bad, sizeof bad, "%s/bad.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0, "%s", cli_err());
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s\n%s", rc, out, cli_err());

    char *bytes = read_all(path);
    FILE *f = fopen(path, "rb");
    cr_assert(f);
    fseek(f, 0, SEEK_END);
    size_t len = (size_t)ftell(f);
    fclose(f);
    gl_archive a;
    char err[256];
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, len, &a, err, sizeof err), GL_OK, "%s",
                 err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, (gl_str){"alpha", 5});
    cr_assert(t && t->has_chain);
    uint32_t at = t->event_count;
    for (uint32_t i = 0; i < t->event_count; i++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[i].record, t->events[i].record_len, &ev), GL_OK);
        if (ev.type == GL_EVENT_ACCOUNT_LABEL)
            at = i;
    }
    cr_assert_lt(at, t->event_count, "no ACCOUNT_LABEL event in alpha's chain");
    size_t arena_n = t->event_count + 2;
    gl_buf *arena = calloc(arena_n, sizeof *arena);
    cr_assert(arena);
    tamper_label(t, at, arena, arena_n);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", bad);
    cr_expect_neq(rc, 0, "a tampered label change verified:\n%s", out);
    cr_expect(strstr(out, "741000"), "%s", out);
    gl_buf_free(&enc);
    for (size_t i = 0; i < arena_n; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
}

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"
static const char grant_fec[] = HEADER
    "BQ\tBanque\t1\t20250310\t512000\tBanques\t\t\tS1\t20250310\tSubvention\t1500,00\t0,00\t\t\t\t\t\n"
    "BQ\tBanque\t1\t20250310\t741000\tSubvention Ville de Lyon\t\t\tS1\t20250310\tSubvention\t0,00\t1500,00"
    "\t\t\t\t\t\n";

static void write_fec(char *path, size_t len)
{
    snprintf(path, len, "%s/grant.txt", h.dir);
    FILE *f = fopen(path, "wb");
    cr_assert(f);
    cr_assert(fputs(grant_fec, f) >= 0);
    cr_assert_eq(fclose(f), 0);
}

Test(account_label, fec_import_renames_standard_labels_and_lists_them_and_a_rerun_changes_nothing)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0, "%s", cli_err());
    char got[256], path[400];
    label_of("alpha", "741000", got, sizeof got);
    cr_assert_str_eq(got, "Subventions d'exploitation");
    write_fec(path, sizeof path);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha %s", path), 0, "%s",
                 cli_err());
    char *err = cli_err();
    cr_expect(
        strstr(
            err,
            "compte 741000 : libellé « Subventions d'exploitation » → « Subvention Ville de Lyon »"),
        "%s", err);
    cr_expect_null(strstr(err, "compte 512000"), "%s", err); /* the file says the standard label */
    free(err);
    label_of("alpha", "741000", got, sizeof got);
    cr_expect_str_eq(got, lyon);
    label_of("alpha", "512000", got, sizeof got);
    cr_expect_str_eq(got, "Banques");
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha %s", path), 0, "%s",
                 cli_err());
    digest_unchanged(before, "rerunning the import");
}

Test(account_label, fec_import_keep_labels_leaves_them)
{
    cr_assert_eq(h_cli(&h, K_ACCOUNTANT, NULL, 0, "accounts load-chart --tenant alpha --year 2025"),
                 0, "%s", cli_err());
    char got[256], path[400];
    write_fec(path, sizeof path);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --keep-labels %s", path), 0,
                 "%s", cli_err());
    label_of("alpha", "741000", got, sizeof got);
    cr_expect_str_eq(got, "Subventions d'exploitation");
    char *err = cli_err();
    cr_expect_null(strstr(err, "libellé"), "%s", err);
    free(err);
}
