/*
 * tests/integration/test_member_view.c — what a member learns of the others
 * (issue 11, item 9).  A member key gets the same answer, byte for byte but
 * for the request id, for a tenant that does not exist and for one it may
 * not see (before: 302 unknown_tenant against 300 forbidden_tenant told
 * which tenant ids exist), in every request kind and in each entry of a
 * POST; and for an envelope that does not exist and for one another key
 * signed (before: 410 against 300 told how many envelopes exist).  The
 * accountant and the auditors, who may see every tenant and envelope, keep
 * the precise answers.  Every refusal leaves the ledger unchanged.
 */
#include "tests/support/harness.h"
#include "tests/integration/analytic_support.h"
#include "tests/integration/asset_support.h"
#include "tests/integration/grant_support.h"
#include "tests/integration/bank_support.h"

#include "proto/third_party.h"
#include "proto/group.h"
#include "proto/kinds.h"
#include "proto/query.h"
#include "proto/request.h"
#include "proto/seal.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;
static const char *const chart[] = {"401000", "512000", "606100"};
static uint64_t beta_envelope; /* a request beta signed */

static bool last_envelope_of(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    struct {
        const uint8_t *signer;
        uint64_t number;
    } *want = user;
    gl_request r;
    if (kl == 8 && gl_request_decode(v, vl, &r) == GL_OK && !memcmp(r.signer, want->signer, 32))
        want->number = gl_rd64(k);
    return true;
}

static void setup(void)
{
    h_setup(&h);
    h_open_accounts(&h, "alpha", chart, 3);
    /* beta opens an account itself: an envelope alpha did not sign */
    gl_buf b;
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "606100", 6);
    gl_put_str8(&b, "Achats", 6);
    gl_response r;
    cr_assert_eq(h_call(&h, K_BETA, GL_KIND_ACCOUNTS_OPEN, "beta", 0, b.data, b.len, &r), GL_OK);
    gl_response_free(&r);
    gl_buf_free(&b);
    struct {
        const uint8_t *signer;
        uint64_t number;
    } want = {h.keys[K_BETA].pk, 0};
    h_db_each(&h, "envelopes", last_envelope_of, &want);
    cr_assert(want.number);
    beta_envelope = want.number;
}
static void teardown(void) { h_teardown(&h); }

TestSuite(member_view, .init = setup, .fini = teardown, .timeout = 120);

/* A POST body: entry 1 alpha's, entry 2 of `second`. */
static void post_body(gl_buf *b, const char *second)
{
    gl_buf_init(b);
    gl_put_u32(b, 2);
    const char *tenants[2] = {"alpha", second};
    for (int i = 0; i < 2; i++) {
        gl_line_in l[2];
        gl_entry_in e = h_entry2(tenants[i], 20250301, "606100", "512000", 100, l);
        cr_assert_eq(gl_entry_encode(b, &e), GL_OK);
    }
}

/* A body that decodes for kind, naming tenant wherever a body names one. */
static void body_for(uint16_t kind, const char *tenant, gl_buf *b)
{
    gl_buf_init(b);
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 1, 2}};
    gl_group_item item = {{tenant, strlen(tenant)}, 100};
    switch (kind) {
    case GL_KIND_ACCOUNTS_OPEN:
        gl_put_u8(b, GL_OPEN_STRICT);
        gl_put_u32(b, 1);
        gl_put_str8(b, "627000", 6);
        gl_put_str8(b, "x", 1);
        break;
    case GL_KIND_POST:
        gl_buf_free(b);
        post_body(b, tenant);
        break;
    case GL_KIND_BALANCE: gl_balance_q_encode(b, &(gl_balance_q){.at = 20251231}); break;
    case GL_KIND_JOURNAL:
        gl_journal_q_encode(b, &(gl_journal_q){.from = 20250101, .to = 20251231, .limit = 10});
        break;
    case GL_KIND_LEDGER:
        gl_ledger_q_encode(
            b, &(gl_ledger_q){
                   .account = {"512000", 6}, .from = 20250101, .to = 20251231, .limit = 10});
        break;
    case GL_KIND_ENTRY_GET: gl_entry_ref_encode(b, &(gl_entry_ref){2025, 1}); break;
    case GL_KIND_LOCK: gl_lock_q_encode(b, &(gl_lock_q){202501, GL_LOCK_THROUGH}); break;
    case GL_KIND_CLOSE_YEAR: gl_close_q_encode(b, &(gl_close_q){2025}); break;
    case GL_KIND_LETTER:
        gl_letter_q_encode(b, (gl_str){"401000", 6}, (gl_str){"", 0}, refs, 2);
        break;
    case GL_KIND_UNLETTER:
        gl_unletter_q_encode(b, &(gl_unletter_q){{"401000", 6}, {"A", 1}});
        break;
    case GL_KIND_LETTER_BATCH: {
        gl_buf one;
        gl_buf_init(&one);
        gl_letter_q_encode(&one, (gl_str){"401000", 6}, (gl_str){"", 0}, refs, 2);
        gl_put_u16(b, 1);
        gl_letter_batch_put(b, &one);
        gl_buf_free(&one);
        break;
    }
    case GL_KIND_CHAIN: gl_chain_q_encode(b, &(gl_chain_q){0, 10}); break;
    case GL_KIND_CARRY_MODE_SET:
        gl_carry_mode_q_encode(b, &(gl_carry_mode_q){{"401000", 6}, GL_CARRY_DETAILED});
        break;
    case GL_KIND_ENVELOPE: gl_put_u64(b, 1); break;
    case GL_KIND_KEYS_SET: {
        gl_keys_q q = {.version = 1, .count = 1};
        q.items[0] = item;
        gl_keys_q_encode(b, &q);
        break;
    }
    case GL_KIND_KEYS_GET: gl_put_u16(b, 1); break;
    case GL_KIND_RECHARGE: gl_recharge_q_encode(b, &(gl_recharge_q){202501, 100, 1, 0, {0}}); break;
    case GL_KIND_DUES: {
        gl_dues_q q = {.year = 2025, .count = 1};
        q.items[0] = item;
        gl_dues_q_encode(b, &q);
        break;
    }
    case GL_KIND_RECHARGE_ADJUST: {
        gl_recharge_adjust_q q = {.year = 2025, .count = 1};
        q.items[0] = item;
        q.accounts =
            (gl_group_accounts){true, {"411000", 6}, {"706100", 6}, {"628000", 6}, {"401000", 6}};
        gl_recharge_adjust_q_encode(b, &q);
        break;
    }
    case GL_KIND_GROUP_BALANCE:
        gl_group_balance_q_encode(b, &(gl_group_balance_q){.at = 20251231, .limit = GL_PAGE_MAX});
        break;
    case GL_KIND_GROUP_RECONCILE: gl_put_u32(b, 20251231); break;
    case GL_KIND_BACKUP: gl_put_str16(b, "member-view.mdb", 15); break;
    case GL_KIND_REMINDER_RECORD:
        gl_put_u32(b, 20250630);
        gl_put_u16(b, 1);
        gl_put_str8(b, "CLI01", 5);
        gl_put_u8(b, 1);
        break;
    case GL_KIND_ACCOUNT_LABEL:
        gl_put_u32(b, 1);
        gl_put_str8(b, "512000", 6);
        gl_put_str8(b, "Banque", 6);
        break;
    case GL_KIND_THIRD_PARTY_SET: {
        gl_third_party r = {.code = {"EDF", 3},
                            .kind = GL_TP_SUPPLIER,
                            .collective = {"401000", 6},
                            .name = {"EDF", 3}};
        gl_put_u8(b, GL_TP_MODE_SET);
        gl_put_u16(b, 1);
        gl_third_party_encode(b, &r);
        break;
    }
    case GL_KIND_THIRD_PARTIES: gl_tp_list_encode(b, &(gl_tp_list_q){{"", 0}, {"", 0}}); break;
    case GL_KIND_PERSON_KEY:
    case GL_KIND_FORGET: gl_person_code_encode(b, (gl_str){"U0001", 5}); break;
    case GL_KIND_BANK_ACCOUNT_SET:
    case GL_KIND_BANK_IMPORT:
    case GL_KIND_BANK_LINES:
    case GL_KIND_BANK_MATCH:
    case GL_KIND_BANK_UNMATCH:
    case GL_KIND_BANK_RECON:
    case GL_KIND_BANK_MATCHES: bk_any_body(kind, b); break;
    case GL_KIND_BANK_RULE_SET:
    case GL_KIND_BANK_RULES: bk_any_body(kind, b); break;
    case GL_KIND_ANALYTIC_AXIS_SET:
    case GL_KIND_ANALYTIC_CODE_SET:
    case GL_KIND_ANALYTIC_RULE_SET:
    case GL_KIND_ANALYTIC_ALLOC:
    case GL_KIND_ANALYTIC_BALANCE:
    case GL_KIND_ANALYTIC_LEDGER: an_any_body(kind, b); break;
    case GL_KIND_TIMESHEET_SET: gl_ts_head_put(b, (gl_str){"EMP1", 4}, 202603, 1000, 0); break;
    case GL_KIND_TIMESHEETS: gl_ts_list_q_encode(b, &(gl_ts_list_q){2026, {"", 0}}); break;
    case GL_KIND_GRANT_SET:
    case GL_KIND_BUDGET_SET:
    case GL_KIND_BUDGETS: gr_any_body(kind, b); break;
    case GL_KIND_ASSET_SET:
    case GL_KIND_ASSET_POST: as_any_body(kind, b); break;
    default: break; /* PING, ACCOUNTS_LIST, PERIODS, STATS, KEYRING, TENANTS: empty */
    }
}

/* body_for covers the kind table (proto/kinds.h): a kind added there
 * without a body here fails (its empty default body does not decode). */
Test(member_view_bodies, every_kind_of_the_table_has_a_body_that_decodes)
{
    size_t n;
    const gl_kind_info *t = gl_kind_table(&n);
    for (size_t i = 0; i < n; i++) {
        gl_buf b;
        body_for(t[i].kind, "beta", &b);
        cr_assert(gl_buf_ok(&b));
        gl_body decoded;
        uint32_t bad;
        int st = gl_body_decode(t[i].kind, b.data, b.len, &decoded, &bad);
        cr_expect_eq(st, GL_OK, "no body for %s in body_for(): %s", t[i].name, gl_status_name(st));
        gl_buf_free(&b);
    }
}

/* Kinds whose header tenant names the books (PROTOCOL.md §5: "used",
 * "checked"), open to members: there the answer must be 300. */
static bool member_tenant_kind(uint16_t k)
{
    return k == GL_KIND_ACCOUNTS_OPEN || k == GL_KIND_ACCOUNTS_LIST || k == GL_KIND_POST ||
           k == GL_KIND_BALANCE || k == GL_KIND_JOURNAL || k == GL_KIND_LEDGER ||
           k == GL_KIND_ENTRY_GET || k == GL_KIND_LETTER || k == GL_KIND_UNLETTER ||
           k == GL_KIND_PERIODS || k == GL_KIND_CHAIN || k == GL_KIND_TENANTS ||
           k == GL_KIND_ACCOUNT_LABEL || k == GL_KIND_THIRD_PARTY_SET ||
           k == GL_KIND_THIRD_PARTIES || k == GL_KIND_PERSON_KEY || k == GL_KIND_BANK_ACCOUNT_SET ||
           k == GL_KIND_BANK_IMPORT || k == GL_KIND_BANK_LINES || k == GL_KIND_BANK_ACCOUNTS ||
           k == GL_KIND_BANK_RULE_SET || k == GL_KIND_BANK_RULES;
}

typedef struct answer {
    int status;
    uint32_t err_item, err_line, body_len;
    char detail[GL_DETAIL_MAX + 1];
} answer;

static answer ask(enum h_key k, uint16_t kind, const char *tenant, const gl_buf *body)
{
    gl_response r;
    answer a;
    memset(&a, 0, sizeof a);
    a.status = h_call(&h, k, kind, tenant, 0, body->data, body->len, &r);
    a.err_item = r.reply.err_item;
    a.err_line = r.reply.err_line;
    a.body_len = r.reply.body_len;
    snprintf(a.detail, sizeof a.detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    return a;
}

static void expect_same(const answer *a, const answer *b, const char *what)
{
    cr_expect_eq(a->status, b->status, "%s: status %d against %d", what, a->status, b->status);
    cr_expect_str_eq(a->detail, b->detail, "%s: detail \"%s\" against \"%s\"", what, a->detail,
                     b->detail);
    cr_expect_eq(a->err_item, b->err_item, "%s: err_item %u against %u", what, a->err_item,
                 b->err_item);
    cr_expect_eq(a->err_line, b->err_line, "%s: err_line %u against %u", what, a->err_line,
                 b->err_line);
    cr_expect_eq(a->body_len, b->body_len, "%s: body %u against %u bytes", what, a->body_len,
                 b->body_len);
}

Test(member_view, a_missing_tenant_and_a_forbidden_one_get_the_same_answer_in_every_kind)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    int tenant_kinds = 0;
    for (uint16_t kind = 1; kind <= GL_KIND_MAX_; kind++) {
        if (!gl_kind_known(kind))
            continue;
        gl_buf missing_body, forbidden_body;
        body_for(kind, "nosuch", &missing_body);
        body_for(kind, "beta", &forbidden_body);
        answer missing = ask(K_ALPHA, kind, "nosuch", &missing_body);
        answer forbidden = ask(K_ALPHA, kind, "beta", &forbidden_body);
        expect_same(&missing, &forbidden, gl_kind_name(kind));
        if (member_tenant_kind(kind)) {
            cr_expect_eq(forbidden.status, GL_ERR_FORBIDDEN_TENANT, "%s: %s", gl_kind_name(kind),
                         gl_status_name(forbidden.status));
            tenant_kinds++;
        }
        cr_expect_neq(missing.status, GL_ERR_UNKNOWN_TENANT,
                      "%s: a member was told a tenant does not exist", gl_kind_name(kind));
        gl_buf_free(&missing_body);
        gl_buf_free(&forbidden_body);
    }
    cr_assert_eq(tenant_kinds, 16 + 4 + 2); /* + the bank kinds 36-39, 42-43 */
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused request changed the ledger");
}

Test(member_view, a_post_entry_for_a_missing_or_forbidden_tenant_gets_the_same_answer)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_buf b1, b2;
    post_body(&b1, "nosuch");
    post_body(&b2, "beta");
    answer missing = ask(K_ALPHA, GL_KIND_POST, "alpha", &b1);
    answer forbidden = ask(K_ALPHA, GL_KIND_POST, "alpha", &b2);
    expect_same(&missing, &forbidden, "POST entry 2");
    cr_expect_eq(forbidden.status, GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(forbidden.err_item, 2);
    gl_buf_free(&b1);
    gl_buf_free(&b2);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused request changed the ledger");
}

Test(member_view, a_missing_envelope_and_another_keys_envelope_get_the_same_answer)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    gl_buf missing_body, other_body;
    gl_buf_init(&missing_body);
    gl_buf_init(&other_body);
    gl_put_u64(&missing_body, beta_envelope + 1000);
    gl_put_u64(&other_body, beta_envelope);
    answer missing = ask(K_ALPHA, GL_KIND_ENVELOPE, "", &missing_body);
    answer other = ask(K_ALPHA, GL_KIND_ENVELOPE, "", &other_body);
    expect_same(&missing, &other, "ENVELOPE");
    cr_expect_eq(other.status, GL_ERR_NOT_FOUND, "%s", gl_status_name(other.status));
    /* The accountant and the auditors see every envelope and are told which is missing. */
    answer acc_missing = ask(K_ACCOUNTANT, GL_KIND_ENVELOPE, "", &missing_body);
    answer aud_other = ask(K_AUDITOR, GL_KIND_ENVELOPE, "", &other_body);
    cr_expect_eq(acc_missing.status, GL_ERR_NOT_FOUND);
    char want[64];
    snprintf(want, sizeof want, "no envelope %llu", (unsigned long long)(beta_envelope + 1000));
    cr_expect_str_eq(acc_missing.detail, want);
    cr_expect_eq(aud_other.status, GL_OK);
    gl_buf_free(&missing_body);
    gl_buf_free(&other_body);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused request changed the ledger");
}

Test(member_view, the_accountant_and_auditors_are_told_a_tenant_does_not_exist)
{
    gl_buf b;
    body_for(GL_KIND_BALANCE, "nosuch", &b);
    cr_expect_eq(ask(K_ACCOUNTANT, GL_KIND_BALANCE, "nosuch", &b).status, GL_ERR_UNKNOWN_TENANT);
    cr_expect_eq(ask(K_AUDITOR, GL_KIND_BALANCE, "nosuch", &b).status, GL_ERR_UNKNOWN_TENANT);
    cr_expect_eq(ask(K_AUDITOR, GL_KIND_BALANCE, "beta", &b).status, GL_OK);
    gl_buf_free(&b);
    post_body(&b, "nosuch");
    answer a = ask(K_ACCOUNTANT, GL_KIND_POST, "alpha", &b);
    cr_expect_eq(a.status, GL_ERR_UNKNOWN_TENANT);
    cr_expect_eq(a.err_item, 2);
    gl_buf_free(&b);
}
