/*
 * tests/unit/test_guard_rules.c — the guard rails of issue 13 items 1-3
 * where they need no daemon: proto/rules.c (blank text, account numbering,
 * class nets and what a repair is), the daemon's `analytic_class9`
 * setting, the client's input readers (JSON, FEC) refusing a blank piece
 * or label and a bad account number before anything is sent, and the
 * statements check reporting every identity that fails.
 */
#include "client/fec/fec_read.h"
#include "client/input/entries_json.h"
#include "client/statements/statements.h"
#include "daemon/config.h"
#include "proto/entry.h"
#include "proto/rules.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

Test(guard_rules, blank_text)
{
    static const char *const blank[] = {
        "",
        " ",
        "   ",
        "\xC2\xA0",
        "\xE2\x80\xAF",
        "\xE2\x80\x8B",
        "\xE3\x80\x80",
        "\xEF\xBB\xBF",
        "\xE2\x80\x83\xE2\x81\xA0 ",
        "\xC2\xAD",
        "\t",
    };
    static const char *const not_blank[] = {
        "x",
        " x ",
        "0",
        "-",
        ".",
        "\xC3\xA9",
        "\xC2\xA0"
        "F-1",
        "\xE2\x80\x8B"
        "a",
        "\xFF",
        "\xC2",
        " \xE2\x80",
    };
    for (size_t i = 0; i < sizeof blank / sizeof blank[0]; i++)
        cr_expect(gl_text_blank(S(blank[i])), "blank[%zu]", i);
    for (size_t i = 0; i < sizeof not_blank / sizeof not_blank[0]; i++)
        cr_expect(!gl_text_blank(S(not_blank[i])), "not_blank[%zu]", i);
}

Test(guard_rules, account_numbers)
{
    static const struct {
        const char *account;
        bool plain, class9;
    } rows[] = {
        {"123", true, true},        {"512000", true, true},
        {"411GRP", true, true},     {"628800", true, true},
        {"8640000000", true, true}, {"87500000000000000000", true, true},
        {"6A", false, false},       {"51", false, false},
        {"5", false, false},        {"", false, false},
        {"0123", false, false},     {"012", false, false},
        {"5A1", false, false},      {"51A", false, false},
        {"901000", false, true},    {"900ANA", false, true},
        {"9A", false, false},       {"512 000", false, false},
        {"512a", false, false},     {"875000000000000000000", false, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
        cr_expect_eq(gl_account_number_valid(S(rows[i].account), false), rows[i].plain, "%s",
                     rows[i].account);
        cr_expect_eq(gl_account_number_valid(S(rows[i].account), true), rows[i].class9,
                     "%s (class 9 on)", rows[i].account);
    }
}

Test(guard_rules, a_repair_brings_the_year_strictly_closer_without_passing_zero)
{
    static const struct {
        int64_t before, after;
        bool repairs;
    } rows[] = {
        {10000, 0, true},
        {10000, 6000, true},
        {10000, 9999, true},
        {10000, 10000, false},
        {10000, 10001, false},
        {10000, -1, false},
        {10000, -5000, false},
        {10000, -15000, false},
        {-10000, 0, true},
        {-10000, -1, true},
        {-10000, 1, false},
        {-10000, -10001, false},
        {0, 0, false},
        {0, 1, false},
        {0, -1, false},
        {INT64_MAX, 0, true},
        {INT64_MIN, INT64_MIN + 1, true},
        {INT64_MIN, 1, false},
    };
    for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
        cr_expect_eq(gl_class_repairs(rows[i].before, rows[i].after), rows[i].repairs,
                     "%lld -> %lld", (long long)rows[i].before, (long long)rows[i].after);
}

static void decode_entry(gl_buf *b, const gl_entry_in *in, gl_entry *e)
{
    gl_buf_init(b);
    cr_assert_eq(gl_entry_encode(b, in), GL_OK);
    gl_cur c;
    gl_cur_init(&c, b->data, b->len);
    gl_entry_decode(&c, e);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    uint32_t bad;
    cr_assert_eq(gl_entry_check(e, &bad), GL_OK);
}

Test(guard_rules, class_nets_and_mandatory_fields_of_an_entry)
{
    gl_line_in l[] = {{"864000", "", "", "", 'D', 10000},
                      {"512000", "", "", "", 'C', 10000},
                      {"901000", "", "", "", 'C', 300},
                      {"902000", "", "", "", 'D', 200},
                      {"606000", "", "", "", 'D', 100}};
    gl_entry_in in = {.tenant = "t",
                      .journal = "OD",
                      .piece_ref = "P",
                      .label = "L",
                      .date = 20250101,
                      .piece_date = 20250101,
                      .line_count = 5,
                      .lines = l};
    gl_buf b;
    gl_entry e;
    decode_entry(&b, &in, &e);
    int64_t nets[2];
    gl_entry_class_nets(&e, nets);
    cr_expect_eq(nets[0], 10000);
    cr_expect_eq(nets[1], -100);
    const char *field;
    cr_expect_eq(gl_entry_fields_check(&e, &field), GL_OK);
    gl_buf_free(&b);
    in.piece_ref = " \xC2\xA0";
    decode_entry(&b, &in, &e);
    cr_expect_eq(gl_entry_fields_check(&e, &field), GL_ERR_FIELD_REQUIRED);
    cr_expect_str_eq(field, "piece reference");
    gl_buf_free(&b);
    in.piece_ref = "P";
    in.label = "";
    decode_entry(&b, &in, &e);
    cr_expect_eq(gl_entry_fields_check(&e, &field), GL_ERR_FIELD_REQUIRED);
    cr_expect_str_eq(field, "label");
    gl_buf_free(&b);
    cr_expect_str_eq(gl_status_name(GL_ERR_CLASS_ENTRY_UNBALANCED), "class_entry_unbalanced");
    cr_expect_str_eq(gl_status_name(GL_ERR_FIELD_REQUIRED), "field_required");
    cr_expect_str_eq(gl_status_name(GL_ERR_CLASS_YEAR_UNBALANCED), "class_year_unbalanced");
}

/* ---- the daemon's configuration ------------------------------------------ */

static char dir[64], path[128];

static void write_conf(const char *text)
{
    snprintf(dir, sizeof dir, "/tmp/gl-config-XXXXXX");
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

static void cleanup(void)
{
    unlink(path);
    rmdir(dir);
}

Test(guard_rules, analytic_class9_is_a_tenant_setting, .fini = cleanup)
{
    write_conf(
        "[daemon]\ndata_dir = d\n"
        "[tenant a]\nname = A\nsiren = 123456789\nanalytic_class9 = yes\n"
        "[tenant b]\nname = B\nsiren = 123456780\n"
        "[tenant c]\nname = C\nsiren = 123456781\nanalytic_class9 = no\n");
    gl_config c;
    cr_assert_eq(gl_config_load(path, &c), 0, "%s", c.error_count ? c.errors[0] : "");
    cr_expect(gl_config_tenant(&c, "a", 1)->analytic_class9);
    cr_expect(!gl_config_tenant(&c, "b", 1)->analytic_class9, "default: no");
    cr_expect(!gl_config_tenant(&c, "c", 1)->analytic_class9);
    gl_config_free(&c);
    cleanup();
    write_conf(
        "[daemon]\ndata_dir = d\n[tenant a]\nname = A\nsiren = 123456789\nanalytic_class9 = maybe\n");
    cr_assert_eq(gl_config_load(path, &c), 1);
    char want[200];
    snprintf(want, sizeof want, "%s:6: analytic_class9 must be yes or no", path);
    cr_expect(!strncmp(c.errors[0], want, strlen(want)), "%s", c.errors[0]);
    gl_config_free(&c);
}

/* ---- the client's readers --------------------------------------------- */

static char err[512];

static int json(const char *doc)
{
    gl_entry_set set;
    gl_entry_set_init(&set);
    err[0] = '\0';
    int rc = gl_entries_from_json(doc, strlen(doc), "t", &set, err, sizeof err);
    gl_entry_set_free(&set);
    return rc;
}

#define JLINES \
    "\"lines\": [{\"account\": \"606400\", \"debit\": \"1.00\"}, {\"account\": \"512000\", \"credit\": \"1.00\"}]"

Test(guard_rules, json_input_requires_a_piece_and_a_label)
{
    cr_assert_eq(
        json(
            "[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"x\", " JLINES
            "}]"),
        0, "%s", err);
    cr_assert_eq(
        json(
            "[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"x\", "
            "\"lines\": [{\"account\": \"606400\", \"label\": \"\", \"debit\": \"1.00\"}, "
            "{\"account\": \"512000\", \"credit\": \"1.00\"}]}]"),
        0, "an empty line label is allowed: %s", err);
    cr_assert_eq(
        json(
            "[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"x\", " JLINES
            "},"
            " {\"date\": \"2025-01-02\", \"journal\": \"AC\", \"label\": \"x\", " JLINES "}]"),
        -1);
    cr_expect(!strncmp(err, "entry 2: missing \"piece\"", 24), "%s", err);
    cr_assert_eq(
        json(
            "[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \" \\u00a0\", \"label\": \"x\", " JLINES
            "}]"),
        -1);
    cr_expect(!strncmp(err, "entry 1: \"piece\" is blank", 25), "%s", err);
    cr_assert_eq(
        json("[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \"F1\", " JLINES "}]"),
        -1);
    cr_expect(!strncmp(err, "entry 1: missing \"label\"", 24), "%s", err);
    cr_assert_eq(
        json(
            "[{\"date\": \"2025-01-02\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"\", " JLINES
            "}]"),
        -1);
    cr_expect(!strncmp(err, "entry 1: \"label\" is blank", 25), "%s", err);
}

#define FEC_HEADER                                                                           \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"
#define FL(acct, piece, label, debit, credit)                                               \
    "AC\tAchats\t1\t20250102\t" acct "\tCompte\t\t\t" piece "\t20250102\t" label "\t" debit \
    "\t" credit "\t\t\t20250102\t\t\n"

static int fec(const char *text)
{
    gl_entry_set set;
    gl_entry_set_init(&set);
    err[0] = '\0';
    int rc = gl_fec_read(text, strlen(text), "t", GL_FEC_ENC_AUTO, &set, err, sizeof err);
    gl_entry_set_free(&set);
    return rc;
}

Test(guard_rules, fec_import_requires_piece_label_and_account_numbers)
{
    cr_assert_eq(fec(FEC_HEADER FL("606400", "F1", "Papier", "1,00", "0,00")
                         FL("512000", "F1", "", "0,00", "1,00")),
                 0, "a later line's empty EcritureLib falls back: %s", err);
    cr_assert_eq(fec(FEC_HEADER FL("606400", "", "Papier", "1,00", "0,00")
                         FL("512000", "", "Papier", "0,00", "1,00")),
                 -1);
    cr_expect(strstr(err, "line 2:") == err && strstr(err, "PieceRef is empty or blank"), "%s",
              err);
    cr_assert_eq(fec(FEC_HEADER FL("606400", "F1", " ", "1,00", "0,00")
                         FL("512000", "F1", "Papier", "0,00", "1,00")),
                 -1);
    cr_expect(strstr(err, "line 2:") == err && strstr(err, "EcritureLib is empty or blank"), "%s",
              err);
    cr_assert_eq(fec(FEC_HEADER FL("606400", "F1", "Papier", "1,00", "0,00")
                         FL("6A", "F1", "Papier", "0,00", "1,00")),
                 -1);
    cr_expect(strstr(err, "line 3:") == err && strstr(err, "CompteNum '6A'") &&
                  strstr(err, "first three digits"),
              "%s", err);
    cr_assert_eq(fec(FEC_HEADER FL("606400", "F1", "Papier", "1,00", "0,00")
                         FL("51", "F1", "Papier", "0,00", "1,00")),
                 -1);
    cr_expect(strstr(err, "line 3:") == err, "%s", err);
}

/* ---- the statements check --------------------------------------------- */

Test(guard_rules, statements_check_reports_every_failure)
{
    /* the ledger: 864000 D 100 / 512000 C 100 after a 5 000 fund */
    stmt_account rows[] = {{"512000", {490000}}, {"102000", {-500000}}, {"864000", {10000}}};
    stmt_input in = {.ncols = 1, .col_names = {"2025"}, .accounts = rows, .count = 3};
    stmt_result *r = calloc(1, sizeof *r);
    stmt_compute(&in, r);
    char why[STMT_CHECKS_MAX][STMT_WHY_MAX];
    size_t n = stmt_check_all(r, 0, why, STMT_CHECKS_MAX);
    cr_assert_eq(n, 2);
    cr_expect(strstr(why[0], "TOTAL ACTIF differs from TOTAL PASSIF by -100.00"), "%s", why[0]);
    cr_expect(strstr(why[1], "(87) differ from their emplois (86) by 100.00"), "%s", why[1]);
    /* the first-failure API still says the first */
    char one[200];
    cr_expect_eq(stmt_check(r, 0, one, sizeof one), -1);
    cr_expect_str_eq(one, why[0]);
    free(r);
}
