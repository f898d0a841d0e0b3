/*
 * tests/integration/test_third_parties.c — issue 17, the registry of third
 * parties: THIRD_PARTY_SET (22) records them, each change an event of type
 * 9 that the offline verifier checks against its signed request;
 * THIRD_PARTIES (23) lists them with the group entities of the
 * configuration; POST's collective rule (444) when the tenant requires it.
 * Every refusal (300, 301, 444-447) leaves the ledger's digest unchanged.
 */
#include "tests/support/harness.h"

#include "client/verify/archive.h"
#include "proto/chain.h"
#include "proto/request.h"
#include "proto/status.h"
#include "proto/third_party.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static harness h;
static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"411000", "401000", "512000", "706000", "607000",
                                           "451000"};
    h_open_accounts(&h, "alpha", accounts, 6);
}
static void teardown(void) { h_teardown(&h); }

TestSuite(third_parties, .init = setup, .fini = teardown, .timeout = 120);

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

static gl_third_party tp(const char *code, uint8_t kind, const char *collective, const char *name)
{
    return (gl_third_party){.code = S(code), .kind = kind, .collective = S(collective),
                            .siren = S(""), .name = S(name), .address = S(""), .email = S(""),
                            .iban = S(""), .terms_days = 30};
}

/* THIRD_PARTY_SET of n records; the reply's counts when accepted. */
static int set_tp(enum h_key k, const char *tenant, uint8_t mode, const gl_third_party *r, size_t n,
                  uint64_t id, uint32_t *changed, uint32_t *unchanged, uint32_t *err_item)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, mode);
    gl_put_u16(&b, (uint16_t)n);
    for (size_t i = 0; i < n; i++)
        gl_third_party_encode(&b, &r[i]);
    cr_assert(gl_buf_ok(&b));
    gl_response resp;
    int st = h_call(&h, k, GL_KIND_THIRD_PARTY_SET, tenant, id, b.data, b.len, &resp);
    if (st == GL_OK && changed) {
        cr_assert_eq(resp.reply.body_len, 8);
        *changed = gl_rd32(resp.reply.body);
        *unchanged = gl_rd32(resp.reply.body + 4);
    }
    if (err_item)
        *err_item = resp.reply.err_item;
    gl_response_free(&resp);
    gl_buf_free(&b);
    return st;
}

static int set1(enum h_key k, const char *tenant, const gl_third_party *r)
{
    return set_tp(k, tenant, GL_TP_MODE_SET, r, 1, 0, NULL, NULL, NULL);
}

/* The codes THIRD_PARTIES gives (prefix ""), "CODE:source:name;" each. */
static void list_tp(enum h_key k, const char *tenant, char *out, size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_tp_list_q q = {S(""), S("")};
    gl_tp_list_encode(&b, &q);
    gl_response r;
    cr_assert_eq(h_call(&h, k, GL_KIND_THIRD_PARTIES, tenant, 0, b.data, b.len, &r), GL_OK);
    gl_cur c;
    gl_cur_init_stored(&c, r.reply.body, r.reply.body_len);
    uint32_t n = gl_get_u32(&c);
    gl_get_u8(&c);
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        uint8_t source = gl_get_u8(&c);
        gl_third_party t;
        cr_assert_eq(gl_third_party_get(&c, &t), GL_OK);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%.*s:%u:%.*s;", (int)t.code.len, t.code.ptr, source,
                 (int)t.name.len, t.name.ptr);
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
}

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

static bool count_one(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    (void)k, (void)kl, (void)v, (void)vl;
    ++*(long *)user;
    return true;
}

/* The events of every chain (an accepted request also records itself, so
 * the digest changes even when nothing else does). */
static long event_count(void)
{
    long n = 0;
    h_db_each(&h, "events", count_one, &n);
    return n;
}

Test(third_parties, records_are_set_listed_with_the_group_entities_and_set_again_unchanged)
{
    gl_third_party r[2] = {tp("DUPONT", GL_TP_CUSTOMER, "411000", "Jeanne Dupont"),
                           tp("EDF", GL_TP_SUPPLIER, "401000", "EDF Entreprises")};
    r[0].flags = GL_TP_NATURAL_PERSON;
    r[0].email = S("jeanne.dupont@example.fr");
    r[0].iban = S("FR7630006000011234567890189");
    r[1].siren = S("73282932000074");
    uint32_t changed = 9, unchanged = 9;
    cr_assert_eq(set_tp(K_ALPHA, "alpha", GL_TP_MODE_SET, r, 2, 0, &changed, &unchanged, NULL),
                 GL_OK);
    cr_expect_eq(changed, 2);
    cr_expect_eq(unchanged, 0);
    char got[1024];
    list_tp(K_AUDITOR, "alpha", got, sizeof got);
    /* alpha is the umbrella: each member is a group entity of its registry */
    cr_expect_str_eq(got, "BETA:1:Beta;GAMMA:1:Gamma;DUPONT:0:Jeanne Dupont;EDF:0:EDF Entreprises;");
    list_tp(K_BETA, "beta", got, sizeof got);
    cr_expect_str_eq(got, "ALPHA:1:Alpha;", "a member sees the umbrella only");

    long events = event_count();
    cr_assert_eq(set_tp(K_ACCOUNTANT, "alpha", GL_TP_MODE_SET, r, 2, 0, &changed, &unchanged, NULL),
                 GL_OK);
    cr_expect_eq(changed, 0);
    cr_expect_eq(unchanged, 2);
    cr_expect_eq(event_count(), events, "setting identical records wrote events");
    cr_expect_geq(h_verify_chains(&h), 0, "the chains do not verify");
}

Test(third_parties, a_changed_record_replaces_the_stored_one_and_a_replay_writes_nothing)
{
    gl_third_party r = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &r), GL_OK);
    r.name = S("EDF Entreprises");
    uint32_t changed = 0, unchanged = 0;
    cr_assert_eq(set_tp(K_ACCOUNTANT, "alpha", GL_TP_MODE_SET, &r, 1, 4242, &changed, &unchanged,
                        NULL),
                 GL_OK);
    cr_expect_eq(changed, 1);
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(set_tp(K_ACCOUNTANT, "alpha", GL_TP_MODE_SET, &r, 1, 4242, &changed, &unchanged,
                        NULL),
                 GL_OK);
    cr_expect_eq(changed, 1, "a replay answers the first reply");
    digest_unchanged(before, "a replayed THIRD_PARTY_SET");
    char got[512];
    list_tp(K_ACCOUNTANT, "alpha", got, sizeof got);
    cr_expect(strstr(got, "EDF:0:EDF Entreprises;"), "%s", got);
}

/* Each refusal, its status, and a ledger that did not change. */
Test(third_parties, refusals_have_their_status_and_change_nothing)
{
    gl_third_party ok = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &ok), GL_OK);
    uint8_t before[32];
    h_digest(&h, before);
    struct {
        const char *what;
        gl_third_party r;
        int want;
    } cases[] = {
        {"a SIRET failing Luhn", tp("A", 1, "411000", "A"), GL_ERR_BAD_THIRD_PARTY},
        {"an IBAN failing MOD 97", tp("B", 1, "411000", "B"), GL_ERR_BAD_THIRD_PARTY},
        {"an e-mail without @", tp("C", 1, "411000", "C"), GL_ERR_BAD_THIRD_PARTY},
        {"terms of 366 days", tp("D", 1, "411000", "D"), GL_ERR_BAD_THIRD_PARTY},
        {"an unknown kind", tp("E", 9, "411000", "E"), GL_ERR_BAD_THIRD_PARTY},
        {"a blank name", tp("F", 1, "411000", " "), GL_ERR_BAD_THIRD_PARTY},
        {"a collective not open", tp("G", 1, "411100", "G"), GL_ERR_THIRD_PARTY_COLLECTIVE},
        {"a collective outside class 4", tp("H", 1, "512000", "H"), GL_ERR_THIRD_PARTY_COLLECTIVE},
    };
    cases[0].r.siren = S("732829321");
    cases[1].r.iban = S("FR7630006000011234567890188");
    cases[2].r.email = S("dupont.example.fr");
    cases[3].r.terms_days = 366;
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        gl_third_party two[2] = {tp("FIRST", 1, "411000", "First"), cases[i].r};
        uint32_t item = 0;
        int st = set_tp(K_ACCOUNTANT, "alpha", GL_TP_MODE_SET, two, 2, 0, NULL, NULL, &item);
        cr_expect_eq(st, cases[i].want, "%s: %s", cases[i].what, gl_status_name(st));
        cr_expect_eq(item, 2, "%s: item %u", cases[i].what, item);
        digest_unchanged(before, cases[i].what);
    }
    uint32_t item = 0;
    cr_expect_eq(set_tp(K_ACCOUNTANT, "alpha", GL_TP_MODE_ADD, &ok, 1, 0, NULL, NULL, &item),
                 GL_ERR_THIRD_PARTY_EXISTS);
    cr_expect_eq(item, 1);
    digest_unchanged(before, "adding an existing code");
    cr_expect_eq(set1(K_BETA, "alpha", &ok), GL_ERR_FORBIDDEN_TENANT, "a member wrote another tenant");
    digest_unchanged(before, "a member writing another tenant's registry");
    cr_expect_eq(set1(K_AUDITOR, "alpha", &ok), GL_ERR_FORBIDDEN_ROLE);
    digest_unchanged(before, "an auditor's THIRD_PARTY_SET");
    gl_buf b;
    gl_buf_init(&b);
    gl_response r;
    cr_expect_eq(h_call(&h, K_BETA, GL_KIND_THIRD_PARTIES, "alpha", 0, "\0\0", 2, &r),
                 GL_ERR_FORBIDDEN_TENANT, "a member read another tenant's registry");
    gl_response_free(&r);
}

/* Post 100.00 on 411000 with aux (and 706000 against it). */
static int post_customer(const char *aux, uint32_t *item, uint32_t *line)
{
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250310, "411000", "706000", 10000, l);
    l[0].aux = aux;
    gl_response r;
    int st = h_post(&h, K_ACCOUNTANT, &e, 1, &r);
    if (item) {
        *item = r.reply.err_item;
        *line = r.reply.err_line;
    }
    gl_response_free(&r);
    return st;
}

static void require_third_parties(void)
{
    h_stop(&h);
    FILE *f = fopen(h.config, "r");
    cr_assert(f);
    char text[16384];
    size_t n = fread(text, 1, sizeof text - 1, f);
    text[n] = '\0';
    fclose(f);
    char *at = strstr(text, "[tenant alpha]\n");
    cr_assert(at);
    at += strlen("[tenant alpha]\n");
    f = fopen(h.config, "w");
    cr_assert(f);
    fwrite(text, 1, (size_t)(at - text), f);
    fputs("third_parties = required\n", f);
    fputs(at, f);
    fclose(f);
    h_start(&h);
}

Test(third_parties, the_collective_rule_is_off_by_default_and_refuses_unknown_codes_when_required)
{
    cr_assert_eq(post_customer("NOBODY", NULL, NULL), GL_OK, "optional: any code posts");
    cr_assert_eq(post_customer("", NULL, NULL), GL_OK, "optional: no code posts");
    require_third_parties();
    uint8_t before[32];
    h_digest(&h, before);
    uint32_t item = 0, line = 0;
    cr_expect_eq(post_customer("NOBODY", &item, &line), GL_ERR_UNKNOWN_THIRD_PARTY);
    cr_expect_eq(item, 1);
    cr_expect_eq(line, 1);
    digest_unchanged(before, "a line naming an unknown third party");
    cr_expect_eq(post_customer("", NULL, NULL), GL_ERR_UNKNOWN_THIRD_PARTY);
    digest_unchanged(before, "a collective line without a code");
    gl_third_party r = tp("NOBODY", GL_TP_CUSTOMER, "411000", "Now somebody");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &r), GL_OK);
    cr_expect_eq(post_customer("NOBODY", NULL, NULL), GL_OK, "a registered code posts");
    cr_expect_eq(post_customer("BETA", NULL, NULL), GL_OK, "a group entity posts");
}

Test(third_parties, records_survive_a_restart)
{
    gl_third_party r = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF Entreprises");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &r), GL_OK);
    h_stop(&h);
    h_start(&h);
    char got[512];
    list_tp(K_ACCOUNTANT, "alpha", got, sizeof got);
    cr_expect(strstr(got, "EDF:0:EDF Entreprises;"), "%s", got);
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = malloc(1 << 22);
    cr_assert(buf);
    *len = fread(buf, 1, (1 << 22) - 1, f);
    buf[*len] = '\0';
    fclose(f);
    return buf;
}

/* The archive verifies; with one byte of a type-9 payload changed and
 * every hash recomputed, only the replay against the signed request can
 * find it. */
Test(third_parties, verify_checks_type_9_events_against_their_signed_requests)
{
    gl_third_party r = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF Entreprises");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &r), GL_OK);
    char path[400], bad[400], out[16384];
    snprintf(path, sizeof path, "%s/all.glar", h.dir);
    snprintf(bad, sizeof bad, "%s/bad.glar", h.dir);
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", path);
    cr_assert_eq(rc, 0, "verify exited %d:\n%s", rc, out);
    size_t len;
    char *bytes = read_file(path, &len);
    gl_archive a;
    char err[256];
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, len, &a, err, sizeof err), GL_OK, "%s",
                 err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, (gl_str){"alpha", 5});
    cr_assert(t && t->has_chain);
    gl_buf *arena = calloc(t->event_count + 1, sizeof *arena);
    cr_assert(arena);
    uint8_t prev[GL_HASH_BYTES] = {0};
    bool found = false;
    for (uint32_t k = 0; k < t->event_count; k++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[k].record, t->events[k].record_len, &ev), GL_OK);
        gl_buf copy;
        gl_buf_init(&copy);
        gl_put_bytes(&copy, ev.body, ev.body_len);
        if (ev.type == GL_EVENT_THIRD_PARTY) {
            uint8_t *name = memmem(copy.data, copy.len, "Entreprises", 11);
            cr_assert(name);
            *name = 'X'; /* the name's text: the record still decodes */
            found = true;
        }
        gl_buf_init(&arena[k]);
        gl_event_encode(&arena[k], t->id.ptr, t->id.len, k + 1, prev, ev.type, copy.data,
                        copy.len);
        gl_buf_free(&copy);
        cr_assert(gl_buf_ok(&arena[k]));
        memcpy(prev, arena[k].data + arena[k].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[k] = (gl_archive_event){k + 1, arena[k].data, (uint32_t)arena[k].len};
    }
    cr_assert(found, "no THIRD_PARTY event in alpha's chain");
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    rc = h_cli(&h, K_AUDITOR, out, sizeof out, "verify '%s'", bad);
    cr_expect_neq(rc, 0, "a tampered third party verified:\n%s", out);
    cr_expect(strstr(out, "EDF"), "%s", out);
    gl_buf_free(&enc);
    for (uint32_t i = 0; i < t->event_count; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
}

#define FEC_HEADER                                                                           \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

/* fec import registers the file's third parties the registry lacks, before
 * posting: a tenant that requires them takes the file; a second run adds
 * none. */
Test(third_parties, fec_import_registers_the_missing_third_parties_first)
{
    gl_third_party known = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF Entreprises");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &known), GL_OK);
    require_third_parties();
    char path[400], out[8192], err[8192];
    snprintf(path, sizeof path, "%s/tiers.fec", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(FEC_HEADER
          "VE\tVentes\t1\t20250310\t411000\tClients\tDUPONT\tJeanne Dupont\tF1\t20250310\tAide à domicile\t120,00\t0,00\t\t\t\t\t\n"
          "VE\tVentes\t1\t20250310\t706000\tPrestations\t\t\tF1\t20250310\tAide à domicile\t0,00\t120,00\t\t\t\t\t\n"
          "AC\tAchats\t2\t20250311\t607000\tAchats\t\t\tA1\t20250311\tÉlectricité\t80,00\t0,00\t\t\t\t\t\n"
          "AC\tAchats\t2\t20250311\t401000\tFournisseurs\tEDF\tEDF SA\tA1\t20250311\tÉlectricité\t0,00\t80,00\t\t\t\t\t\n"
          "AC\tAchats\t3\t20250312\t607000\tAchats\t\t\tA2\t20250312\tEau\t30,00\t0,00\t\t\t\t\t\n"
          "AC\tAchats\t3\t20250312\t401000\tFournisseurs\tEAU\t\tA2\t20250312\tEau\t0,00\t30,00\t\t\t\t\t\n",
          f);
    fclose(f);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "fec import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    cr_expect(strstr(err, "2 third party(ies) added"), "%s", err);
    char got[1024];
    list_tp(K_ACCOUNTANT, "alpha", got, sizeof got);
    cr_expect(strstr(got, "DUPONT:0:Jeanne Dupont;EAU:0:EAU;EDF:0:EDF Entreprises;"),
              "the registry: %s", got);
    cr_expect_eq(h_entry_count(&h, "alpha"), 3);
    rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "fec import --tenant alpha '%s'", path);
    h_cli_err(&h, err, sizeof err);
    cr_expect(!strstr(err, "added to the registry"), "a rerun added again: %s", err);
    cr_expect_eq(h_entry_count(&h, "alpha"), 3);
}

static bool find_edf(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    (void)k, (void)kl;
    if (memmem(v, vl, "EDF Entreprises", 15))
        *(bool *)user = true;
    return true;
}

/* A BACKUP holds the registry: the copy, served by a daemon in place of
 * the data directory, lists the record. */
Test(third_parties, records_are_in_a_backup)
{
    gl_third_party r = tp("EDF", GL_TP_SUPPLIER, "401000", "EDF Entreprises");
    cr_assert_eq(set1(K_ACCOUNTANT, "alpha", &r), GL_OK);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", h.dir);
    h_write_config(&h);
    h_start(&h);
    char said[1024], err[2048];
    int rc = h_cli(&h, K_ACCOUNTANT, said, sizeof said, "backup tp.mdb");
    h_cli_err(&h, err, sizeof err);
    cr_assert_eq(rc, 0, "%s", err);
    h_stop(&h);
    char from[400], to[400];
    snprintf(from, sizeof from, "%s/tp.mdb", h.dir);
    snprintf(to, sizeof to, "%s/data/data.mdb", h.dir);
    cr_assert_eq(rename(from, to), 0);
    bool found = false;
    h_db_each(&h, "third_parties", find_edf, &found);
    cr_expect(found, "the backup has no third party");
    h_start(&h);
    char got[512];
    list_tp(K_AUDITOR, "alpha", got, sizeof got);
    cr_expect(strstr(got, "EDF:0:EDF Entreprises;"), "%s", got);
}
