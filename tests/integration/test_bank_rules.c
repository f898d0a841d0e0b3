/*
 * tests/integration/test_bank_rules.c — issue 18, the rules of recurring
 * bank-only lines: BANK_RULE_SET (42) adds, replaces and deletes a rule of
 * a registered bank account, each change a BANK_RULE event (17), the same
 * rule again nothing; BANK_RULES (43) lists them in name order.  Every
 * refusal (480 each field, 481, 482, 405, 470, 300, 301) leaves the ledger
 * digest unchanged.
 */
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <string.h>

static harness h;
static uint8_t digest_before[32];

static void setup(void)
{
    h_setup(&h);
    static const char *const accounts[] = {"512000", "512100", "627800", "431000", "768000"};
    h_open_accounts(&h, "alpha", accounts, 5);
    h_open_accounts(&h, "beta", accounts, 3);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "alpha", "512000", IBAN_A, "", "Courant"), GL_OK);
    cr_assert_eq(bk_set(&h, K_ACCOUNTANT, "beta", "512000", IBAN_B, "", "Courant"), GL_OK);
}
static void teardown(void) { h_teardown(&h); }

static void unchanged(void)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert(!memcmp(digest_before, after, 32), "a refused request changed the ledger");
    cr_assert_gt(h_verify_chains(&h), 0);
}

TestSuite(bank_rules, .init = setup, .fini = teardown, .timeout = 240);
TestSuite(bank_rules_refused, .init = setup, .fini = teardown, .timeout = 240);

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

typedef struct rule_in {
    uint8_t op;
    const char *account, *name, *pattern;
    int64_t min_cents, max_cents;
    const char *counterpart, *journal, *label;
} rule_in;

static char detail[512];

static int send_rule(enum h_key k, const char *tenant, const rule_in *in)
{
    gl_bank_rule_set_q q = {.account = S(in->account ? in->account : "512000"),
                            .op = in->op ? in->op : GL_BANK_RULE_SET_OP};
    q.rule = (gl_bank_rule){S(in->name ? in->name : ""),
                            S(in->pattern ? in->pattern : ""),
                            in->min_cents,
                            in->max_cents,
                            S(in->counterpart ? in->counterpart : ""),
                            S(in->journal ? in->journal : ""),
                            S(in->label ? in->label : "")};
    gl_buf b;
    gl_buf_init(&b);
    gl_bank_rule_set_q_encode(&b, &q);
    gl_response r;
    int st = h_call(&h, k, GL_KIND_BANK_RULE_SET, tenant, 0, b.data, b.len, &r);
    snprintf(detail, sizeof detail, "%.*s", (int)r.reply.detail.len, r.reply.detail.ptr);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

/* A valid rule named name. */
static int set_rule(enum h_key k, const char *tenant, const char *name, const char *pattern,
                    const char *counterpart)
{
    rule_in in = {.name = name, .pattern = pattern, .counterpart = counterpart};
    return send_rule(k, tenant, &in);
}

static int delete_rule(enum h_key k, const char *tenant, const char *name)
{
    rule_in in = {.op = GL_BANK_RULE_DELETE_OP, .name = name};
    return send_rule(k, tenant, &in);
}

/* BANK_RULES as "name:pattern:min:max:counterpart:journal:label;" per rule. */
static int list_rules(enum h_key k, const char *tenant, const char *account, char *out, size_t cap)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_str8(&b, account, strlen(account));
    gl_response r;
    int st = h_call(&h, k, GL_KIND_BANK_RULES, tenant, 0, b.data, b.len, &r);
    gl_buf_free(&b);
    out[0] = '\0';
    if (st == GL_OK) {
        gl_cur c;
        gl_cur_init_stored(&c, r.reply.body, r.reply.body_len);
        uint32_t n = gl_get_u32(&c);
        for (uint32_t i = 0; i < n; i++) {
            gl_bank_rule x;
            cr_assert_eq(gl_bank_rule_get(&c, &x), GL_OK);
            size_t used = strlen(out);
            snprintf(out + used, cap - used, "%.*s:%.*s:%lld:%lld:%.*s:%.*s:%.*s;", (int)x.name.len,
                     x.name.ptr, (int)x.pattern.len, x.pattern.ptr, (long long)x.min_cents,
                     (long long)x.max_cents, (int)x.counterpart.len, x.counterpart.ptr,
                     (int)x.journal.len, x.journal.ptr, (int)x.label.len, x.label.ptr);
        }
        cr_assert_eq(gl_cur_end(&c), GL_OK);
    }
    gl_response_free(&r);
    return st;
}

Test(bank_rules, rules_are_set_and_listed_in_name_order)
{
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "urssaf", "PRLV*URSSAF", "431000"), GL_OK, "%s",
                 detail);
    rule_in fees = {.name = "frais",
                    .pattern = "FRAIS*",
                    .min_cents = -5000,
                    .max_cents = -1,
                    .counterpart = "627800",
                    .journal = "BQ2",
                    .label = "Frais bancaires"};
    cr_assert_eq(send_rule(K_ALPHA, "alpha", &fees), GL_OK, "a member in its own tenant: %s",
                 detail);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "frais-2", "COMMISSION", "627800"), GL_OK);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "abonnement", "ABONNEMENT", "627800"), GL_OK);
    char out[2048];
    cr_assert_eq(list_rules(K_AUDITOR, "alpha", "512000", out, sizeof out), GL_OK);
    cr_expect_str_eq(out,
                     "abonnement:ABONNEMENT:0:0:627800::;"
                     "frais:FRAIS*:-5000:-1:627800:BQ2:Frais bancaires;"
                     "frais-2:COMMISSION:0:0:627800::;"
                     "urssaf:PRLV*URSSAF:0:0:431000::;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_RULE), 4);
    cr_assert_eq(list_rules(K_BETA, "beta", "512000", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "", "another tenant's rules are its own");
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(bank_rules, a_rule_is_replaced_by_name_and_the_same_rule_writes_nothing)
{
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "interets", "INTERETS", "768000"), GL_OK);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "interets", "INTERETS CREDITEURS", "768000"),
                 GL_OK);
    char out[512];
    cr_assert_eq(list_rules(K_ALPHA, "alpha", "512000", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "interets:INTERETS CREDITEURS:0:0:768000::;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_RULE), 2);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "interets", "INTERETS CREDITEURS", "768000"),
                 GL_OK);
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_RULE), 2, "the same rule: no event");
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(bank_rules, a_rule_is_deleted_and_the_chain_keeps_its_history)
{
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "frais", "FRAIS", "627800"), GL_OK);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "urssaf", "URSSAF", "431000"), GL_OK);
    cr_assert_eq(delete_rule(K_ALPHA, "alpha", "frais"), GL_OK, "%s", detail);
    char out[512];
    cr_assert_eq(list_rules(K_ACCOUNTANT, "alpha", "512000", out, sizeof out), GL_OK);
    cr_expect_str_eq(out, "urssaf:URSSAF:0:0:431000::;");
    cr_expect_eq(bk_events(&h, "alpha", GL_EVENT_BANK_RULE), 3);
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "frais", "FRAIS", "627800"), GL_OK,
                 "a deleted name may be set again");
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(bank_rules, an_unregistered_account_has_no_rules_to_list)
{
    char out[64];
    cr_expect_eq(list_rules(K_ACCOUNTANT, "alpha", "512100", out, sizeof out),
                 GL_ERR_BANK_NOT_REGISTERED);
}

/* Each field out of its rule: 480 naming it. */
RTest(bank_rules_refused, each_field_out_of_its_rule_is_bank_rule_invalid_naming_it)
{
    cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", "frais", "FRAIS", "627800"), GL_OK);
    h_digest(&h, digest_before);
    static const struct {
        rule_in in;
        const char *field;
    } cases[] = {
        {{.name = "Frais", .pattern = "F", .counterpart = "627800"}, "name"},
        {{.name = "", .pattern = "F", .counterpart = "627800"}, "name"},
        {{.name = "x", .pattern = "**", .counterpart = "627800"}, "pattern"},
        {{.name = "x", .pattern = "", .counterpart = "627800"}, "pattern"},
        {{.name = "x", .pattern = "F", .min_cents = 10, .max_cents = -10, .counterpart = "627800"},
         "amount range"},
        {{.name = "x", .pattern = "F", .counterpart = "62 78"}, "counterpart"},
        {{.name = "x", .pattern = "F", .counterpart = "512000"}, "counterpart"},
        {{.name = "x", .pattern = "F", .counterpart = "627800", .journal = "bq"}, "journal"},
        {{.name = "x", .pattern = "F", .counterpart = "627800", .label = "  "}, "label"},
        {{.op = 3, .name = "x", .pattern = "F", .counterpart = "627800"}, "op"},
        {{.op = GL_BANK_RULE_DELETE_OP, .name = "frais", .pattern = "F"}, "pattern"},
        {{.op = GL_BANK_RULE_DELETE_OP, .name = "Frais"}, "name"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        cr_expect_eq(send_rule(K_ACCOUNTANT, "alpha", &cases[i].in), GL_ERR_BANK_RULE_INVALID,
                     "case %zu (%s): %s", i, cases[i].field, detail);
        cr_expect(strstr(detail, cases[i].field), "case %zu: %s", i, detail);
    }
}

RTest(bank_rules_refused, a_counterpart_not_open_in_the_chart_is_unknown_account)
{
    h_digest(&h, digest_before);
    cr_expect_eq(set_rule(K_ACCOUNTANT, "alpha", "frais", "FRAIS", "627100"),
                 GL_ERR_UNKNOWN_ACCOUNT, "%s", detail);
    cr_expect(strstr(detail, "627100"), "%s", detail);
    cr_expect_eq(set_rule(K_ACCOUNTANT, "beta", "urssaf", "URSSAF", "431000"),
                 GL_ERR_UNKNOWN_ACCOUNT, "431000 is open in alpha only: %s", detail);
}

RTest(bank_rules_refused, deleting_a_name_not_set_is_bank_rule_unknown)
{
    cr_assert_eq(set_rule(K_ACCOUNTANT, "beta", "frais", "FRAIS", "627800"), GL_OK);
    h_digest(&h, digest_before);
    cr_expect_eq(delete_rule(K_ACCOUNTANT, "alpha", "frais"), GL_ERR_BANK_RULE_UNKNOWN,
                 "beta's rule is not alpha's: %s", detail);
    cr_expect_eq(delete_rule(K_ACCOUNTANT, "alpha", "nothing"), GL_ERR_BANK_RULE_UNKNOWN);
}

RTest(bank_rules_refused, a_bank_account_holds_at_most_the_maximum_of_rules)
{
    char name[16];
    for (int i = 0; i < GL_BANK_RULES_MAX; i++) {
        snprintf(name, sizeof name, "r%03d", i);
        cr_assert_eq(set_rule(K_ACCOUNTANT, "alpha", name, "FRAIS", "627800"), GL_OK, "%s: %s",
                     name, detail);
    }
    /* a replacement is not one more */
    cr_expect_eq(set_rule(K_ACCOUNTANT, "alpha", "r000", "FRAIS BIS", "627800"), GL_OK, "%s",
                 detail);
    h_digest(&h, digest_before);
    cr_expect_eq(set_rule(K_ACCOUNTANT, "alpha", "one-more", "FRAIS", "627800"),
                 GL_ERR_BANK_RULES_FULL, "%s", detail);
}

RTest(bank_rules_refused, an_unregistered_account_another_tenant_and_the_auditor_are_refused)
{
    h_digest(&h, digest_before);
    rule_in in = {.account = "512100", .name = "frais", .pattern = "F", .counterpart = "627800"};
    cr_expect_eq(send_rule(K_ACCOUNTANT, "alpha", &in), GL_ERR_BANK_NOT_REGISTERED, "%s", detail);
    cr_expect_eq(set_rule(K_ALPHA, "beta", "frais", "FRAIS", "627800"), GL_ERR_FORBIDDEN_TENANT);
    cr_expect_eq(set_rule(K_AUDITOR, "alpha", "frais", "FRAIS", "627800"), GL_ERR_FORBIDDEN_ROLE);
    char out[64];
    cr_expect_eq(list_rules(K_ALPHA, "beta", "512000", out, sizeof out), GL_ERR_FORBIDDEN_TENANT,
                 "a member never reads another tenant's rules");
}
