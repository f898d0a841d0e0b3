/*
 * tests/unit/test_entries_json.c — client/input/entries_json: reading the
 * entries to post from JSON.  Refusals first (syntax, amounts, fields,
 * dates, byte limits), each checking the message names the entry, line and
 * field and that the set is left empty; then the three accepted document
 * shapes, defaults (tenant, piece_date, optional line strings), the cents
 * variants and the int64 boundary, and finally a round trip through the
 * canonical entry encoding.
 */
#include "client/input/entries_json.h"
#include "proto/entry.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

static gl_entry_set set;
static char err[512];

static void setup(void)
{
    gl_entry_set_init(&set);
    memset(err, 'x', sizeof err); /* the function must write a message */
    err[sizeof err - 1] = '\0';
}

static void teardown(void) { gl_entry_set_free(&set); }

TestSuite(entries_json, .init = setup, .fini = teardown);

static int load_as(const char *json, const char *tenant)
{
    return gl_entries_from_json(json, strlen(json), tenant, &set, err, sizeof err);
}

static int load(const char *json) { return load_as(json, "gessa"); }

/* The document must be refused, with needle in the message and nothing kept. */
static void refused(const char *json, const char *needle)
{
    cr_assert_eq(load(json), -1, "accepted: %s", json);
    cr_assert(strstr(err, needle) != NULL, "message \"%s\" lacks \"%s\"", err, needle);
    cr_assert_eq(set.count, 0);
    cr_assert_null(set.entries);
}

static void accepted(const char *json)
{
    cr_assert_eq(load(json), 0, "refused: %s: %s", json, err);
    cr_assert_str_empty(err);
}

/* Two balanced lines around a line body given by the test. */
#define ENTRY_WITH(line1)                                                                                     \
    "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": [" line1 \
    ", "                                                                                                      \
    "{\"account\": \"512000\", \"credit\": \"10.00\"}]}"

/* ---- refusals: syntax ------------------------------------------------ */

Test(entries_json, json_refuses_syntax_error_with_position)
{
    refused("[\n  {\"date\": \"2024-01-01\",\n   \"journal\" \"BQ\"}\n]",
            "JSON syntax error at line 3, column");
    refused("{\"date\": \"2024-01-01\",", "JSON syntax error at line 1");
    refused("", "JSON syntax error");
    refused("\"just a string\"", "JSON syntax error");
    refused("[] trailing", "JSON syntax error");
}

Test(entries_json, json_refuses_duplicate_key)
{
    refused(
        "{\"date\": \"2024-01-01\", \"date\": \"2024-01-02\", \"journal\": \"OD\", \"piece\": \"P1\", \"label\": \"L\", "
        "\"lines\": []}",
        "duplicate");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"1\", \"debit\": \"2\"}"), "duplicate");
}

Test(entries_json, json_refuses_invalid_utf8_and_nul)
{
    cr_assert_eq(gl_entries_from_json("[\"\xff\"]", 5, "t", &set, err, sizeof err), -1);
    cr_assert(strstr(err, "JSON syntax error") != NULL, "%s", err);
    refused(ENTRY_WITH("{\"account\": \"606\", \"label\": \"a\\u0000b\", \"debit\": \"10\"}"),
            "JSON syntax error");
}

/* ---- refusals: amounts ----------------------------------------------- */

Test(entries_json, json_refuses_real_amounts)
{
    const char *hint = "amounts must be strings like \"12.50\" or integer *_cents";
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": 10.00}"), hint);
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": 1e1}"), hint);
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit_cents\": 1000.0}"), hint);
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": 10}"), hint); /* euros or cents? */
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit_cents\": \"1000\"}"), hint);
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": null}"), hint);
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": 10.00}"), "entry 1 line 1: \"debit\"");
}

Test(entries_json, json_refuses_both_debit_and_credit)
{
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\", \"credit\": \"10\"}"),
            "entry 1 line 1: both \"debit\" and \"credit\" given");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\", \"debit_cents\": 1000}"),
            "both \"debit\" and \"debit_cents\"");
    refused(ENTRY_WITH("{\"account\": \"606\", \"credit_cents\": 1, \"debit_cents\": 1}"),
            "exactly one amount per line");
}

Test(entries_json, json_refuses_line_without_amount)
{
    refused(ENTRY_WITH("{\"account\": \"606\"}"), "entry 1 line 1: no amount");
}

Test(entries_json, json_refuses_bad_amount_text)
{
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"1.234\"}"),
            "entry 1 line 1: bad amount \"1.234\" in \"debit\"");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"1 234,50\"}"), "bad amount");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"12.\"}"), "bad amount");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"1e3\"}"), "bad amount");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"\"}"), "bad amount");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10 \"}"), "bad amount");
}

Test(entries_json, json_refuses_one_cent_over_int64)
{
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"92233720368547758.08\"}"),
            "bad amount \"92233720368547758.08\"");
    refused(ENTRY_WITH("{\"account\": \"606\", \"debit_cents\": 9223372036854775808}"),
            "JSON syntax error");
}

/* ---- refusals: fields ------------------------------------------------- */

Test(entries_json, json_refuses_unknown_fields)
{
    refused(ENTRY_WITH("{\"acount\": \"606\", \"debit\": \"10\"}"),
            "entry 1 line 1: unknown field \"acount\"");
    refused("{\"date\": \"2024-03-15\", \"jornal\": \"BQ\", \"lines\": []}",
            "entry 1: unknown field \"jornal\"");
    refused("{\"entries\": [], \"tenant\": \"gessa\"}",
            "document: unknown field \"tenant\" beside \"entries\"");
    refused("{\"entrie\": []}", "entry 1: unknown field \"entrie\"");
}

Test(entries_json, json_refuses_missing_date)
{
    refused("{\"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
            "entry 1: missing \"date\"");
}

Test(entries_json, json_refuses_missing_required_fields)
{
    refused("{\"date\": \"2024-03-15\", \"lines\": []}", "entry 1: missing \"journal\"");
    refused("{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\"}",
            "entry 1: missing \"lines\"");
    refused("{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"label\": \"L\", \"lines\": []}",
            "entry 1: missing \"piece\"");
    refused("{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"lines\": []}",
            "entry 1: missing \"label\"");
    const char *doc =
        "{\"entries\": ["
        ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}") ", "
        ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}") ", "
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": ["
        "{\"account\": \"606\", \"debit\": \"10\"}, {\"credit\": \"10\"}]}]}";
    cr_assert_eq(load(doc), -1);
    cr_assert_str_eq(err, "entry 3 line 2: missing \"account\"");
    cr_assert_eq(set.count, 0, "earlier entries must not be kept");
}

Test(entries_json, json_refuses_missing_tenant_without_default)
{
    const char *doc = ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}");
    cr_assert_eq(load_as(doc, NULL), -1);
    cr_assert_str_eq(err, "entry 1: missing \"tenant\"");
}

Test(entries_json, json_refuses_bad_dates)
{
    refused(
        "{\"date\": \"2024-02-30\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "entry 1: bad date \"2024-02-30\" in \"date\": the day does not exist (February 2024 "
        "has 29 days)");
    refused(
        "{\"date\": \"20240115\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "bad date");
    refused(
        "{\"date\": \"2024-1-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "bad date");
    refused(
        "{\"date\": \"15/01/2024\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "bad date \"15/01/2024\" in \"date\": expected YYYY-MM-DD");
    refused(
        "{\"date\": \"1899-12-31\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "bad date \"1899-12-31\" in \"date\": the year must be 1900-2999");
    refused(
        "{\"date\": 20240115, \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "\"date\" must be a string");
    refused(
        "{\"date\": \"2024-01-15\", \"piece_date\": \"2024-13-01\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", "
        "\"lines\": []}",
        "bad date \"2024-13-01\" in \"piece_date\": there is no month 13");
}

/* A document with one line label of n bytes. */
static void label_doc(char *out, size_t cap, size_t n)
{
    char label[512];
    cr_assert(n < sizeof label);
    memset(label, 'e', n);
    label[n] = '\0';
    int w = snprintf(
        out, cap,
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": ["
        "{\"account\": \"606\", \"debit\": \"10\"}, "
        "{\"account\": \"512\", \"credit\": \"10\", \"label\": \"%s\"}]}",
        label);
    cr_assert(w > 0 && (size_t)w < cap);
}

Test(entries_json, json_refuses_too_long_label)
{
    char doc[1024];
    label_doc(doc, sizeof doc, GL_LABEL_MAX + 1);
    refused(doc, "entry 1 line 2: field \"label\" longer than 200 bytes");
}

Test(entries_json, json_refuses_too_long_fields)
{
    refused(ENTRY_WITH("{\"account\": \"606000000000000000000\", \"debit\": \"10\"}"),
            "entry 1 line 1: field \"account\" longer than 20 bytes");
    refused(ENTRY_WITH("{\"account\": \"411\", \"aux\": \"A23456789012345678901\", "
                       "\"debit\": \"10\"}"),
            "field \"aux\" longer than 20 bytes");
    refused(
        "{\"date\": \"2024-03-15\", \"journal\": \"BANQUE123\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}",
        "entry 1: field \"journal\" longer than 8 bytes");
    refused(
        "{\"tenant\": \"a-very-long-tenant\", \"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", "
        "\"lines\": []}",
        "field \"tenant\" longer than 16 bytes");
}

Test(entries_json, json_refuses_control_characters)
{
    refused(ENTRY_WITH("{\"account\": \"606\", \"label\": \"a\\nb\", \"debit\": \"10\"}"),
            "entry 1 line 1: field \"label\" holds a control character");
}

Test(entries_json, json_refuses_wrong_types)
{
    refused("[1]", "entry 1: an entry must be an object");
    refused(
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": {}}",
        "entry 1: \"lines\" must be an array");
    refused(
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": [\"606\"]}",
        "entry 1 line 1: a line must be an object");
    refused("{\"date\": \"2024-03-15\", \"journal\": 7, \"lines\": []}",
            "entry 1: \"journal\" must be a string");
    refused("{\"entries\": {}}", "document: \"entries\" must be an array");
}

/* ---- accepted shapes --------------------------------------------------- */

Test(entries_json, json_accepts_wrapped_entries)
{
    accepted(
        "{\"entries\": [" ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}") ", " ENTRY_WITH(
            "{\"account\": \"606\", \"debit\": \"10\"}") "]}");
    cr_assert_eq(set.count, 2);
}

Test(entries_json, json_accepts_bare_array)
{
    accepted("[" ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}") "]");
    cr_assert_eq(set.count, 1);
    accepted("[]"); /* nothing to post: the daemon answers no_entries */
    cr_assert_eq(set.count, 1, "entries are appended to the set");
}

Test(entries_json, json_accepts_single_entry_object)
{
    accepted(" \n" ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}") "\n");
    cr_assert_eq(set.count, 1);
    const gl_entry_in *e = &set.entries[0];
    cr_assert_eq(e->date, 20240315u);
    cr_assert_str_eq(e->journal, "BQ");
    cr_assert_eq(e->line_count, 2);
    cr_assert_str_eq(e->lines[0].account, "606");
    cr_assert_eq(e->lines[0].side, GL_SIDE_DEBIT);
    cr_assert_eq(e->lines[0].amount_cents, 1000);
    cr_assert_eq(e->lines[1].side, GL_SIDE_CREDIT);
    cr_assert_eq(e->lines[1].amount_cents, 1000);
}

/* ---- accepted: defaults and values ------------------------------------- */

Test(entries_json, json_uses_default_tenant)
{
    accepted(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}"));
    cr_assert_str_eq(set.entries[0].tenant, "gessa");
    gl_entry_set_free(&set);
    accepted(
        "{\"tenant\": \"agiie\", \"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", "
        "\"lines\": []}");
    cr_assert_str_eq(set.entries[0].tenant, "agiie");
}

Test(entries_json, json_piece_date_defaults_to_date)
{
    accepted(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"10\"}"));
    cr_assert_eq(set.entries[0].piece_date, 20240315u);
    cr_assert_str_eq(set.entries[0].piece_ref, "P1");
    cr_assert_str_eq(set.entries[0].label, "L");
    cr_assert_str_eq(set.entries[0].lines[0].aux, "");
    cr_assert_str_eq(set.entries[0].lines[0].aux_label, "");
    cr_assert_str_eq(set.entries[0].lines[0].label, "");
}

Test(entries_json, json_keeps_explicit_fields)
{
    accepted(
        "{\"tenant\": \"agiie\", \"date\": \"2024-03-15\", \"journal\": \"VE\", "
        "\"piece\": \"F-2024-017\", \"piece_date\": \"2024-03-01\", "
        "\"label\": \"Cotisation été\", \"lines\": ["
        "{\"account\": \"411grp\", \"aux\": \"GESSA\", \"aux_label\": \"Union GESSA\", "
        "\"label\": \"Facture\", \"debit\": \"120,5\"}, "
        "{\"account\": \"756100\", \"credit\": \"120.50\"}]}");
    const gl_entry_in *e = &set.entries[0];
    cr_assert_str_eq(e->tenant, "agiie");
    cr_assert_str_eq(e->journal, "VE");
    cr_assert_str_eq(e->piece_ref, "F-2024-017");
    cr_assert_eq(e->piece_date, 20240301u);
    cr_assert_str_eq(e->label, "Cotisation été");
    cr_assert_str_eq(e->lines[0].account, "411GRP", "account numbers are upper-cased");
    cr_assert_str_eq(e->lines[0].aux, "GESSA");
    cr_assert_str_eq(e->lines[0].aux_label, "Union GESSA");
    cr_assert_str_eq(e->lines[0].label, "Facture");
    cr_assert_eq(e->lines[0].amount_cents, 12050);
    cr_assert_eq(e->lines[1].amount_cents, 12050);
}

Test(entries_json, json_accepts_cents_variants)
{
    accepted(
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": ["
        "{\"account\": \"606\", \"debit_cents\": 1234}, "
        "{\"account\": \"512\", \"credit_cents\": 1234}]}");
    const gl_entry_in *e = &set.entries[0];
    cr_assert_eq(e->lines[0].side, GL_SIDE_DEBIT);
    cr_assert_eq(e->lines[0].amount_cents, 1234);
    cr_assert_eq(e->lines[1].side, GL_SIDE_CREDIT);
    cr_assert_eq(e->lines[1].amount_cents, 1234);
}

Test(entries_json, json_accepts_int64_max_cents)
{
    accepted(ENTRY_WITH("{\"account\": \"606\", \"debit\": \"92233720368547758.07\"}"));
    cr_assert_eq(set.entries[0].lines[0].amount_cents, INT64_MAX);
    gl_entry_set_free(&set);
    accepted(ENTRY_WITH("{\"account\": \"606\", \"debit_cents\": 9223372036854775807}"));
    cr_assert_eq(set.entries[0].lines[0].amount_cents, INT64_MAX);
}

Test(entries_json, json_keeps_sign_and_zero_for_the_daemon)
{
    accepted(
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": ["
        "{\"account\": \"606\", \"debit\": \"-5.00\"}, "
        "{\"account\": \"512\", \"credit\": \"0\"}, "
        "{\"account\": \"512\", \"credit_cents\": -7}]}");
    const gl_entry_in *e = &set.entries[0];
    cr_assert_eq(e->lines[0].side, GL_SIDE_DEBIT);
    cr_assert_eq(e->lines[0].amount_cents, -500);
    cr_assert_eq(e->lines[1].amount_cents, 0);
    cr_assert_eq(e->lines[2].side, GL_SIDE_CREDIT);
    cr_assert_eq(e->lines[2].amount_cents, -7);
}

Test(entries_json, json_accepts_fields_at_their_limits)
{
    char doc[1024];
    label_doc(doc, sizeof doc, GL_LABEL_MAX);
    accepted(doc);
    cr_assert_eq(strlen(set.entries[0].lines[1].label), GL_LABEL_MAX);
    gl_entry_set_free(&set);
    accepted(ENTRY_WITH("{\"account\": \"60600000000000000000\", \"debit\": \"10\"}"));
    cr_assert_eq(strlen(set.entries[0].lines[0].account), GL_ACCOUNT_MAX);
}

Test(entries_json, json_accepts_entry_without_lines_for_the_daemon)
{
    accepted(
        "{\"date\": \"2024-03-15\", \"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}");
    cr_assert_eq(set.entries[0].line_count, 0);
}

/* ---- round trip through the canonical encoding ------------------------- */

Test(entries_json, json_entries_encode_and_pass_the_ledger_free_rules)
{
    accepted(
        "{\"entries\": [{\"date\": \"2024-12-31\", \"journal\": \"OD\", "
        "\"piece\": \"P1\", \"label\": \"Bénévolat\", \"lines\": ["
        "{\"account\": \"864000\", \"debit\": \"1500\"}, "
        "{\"account\": \"875000\", \"credit_cents\": 150000}]}]}");
    gl_buf buf;
    gl_buf_init(&buf);
    cr_assert_eq(gl_entry_encode(&buf, &set.entries[0]), GL_OK);
    cr_assert(gl_buf_ok(&buf));
    gl_cur cur;
    gl_entry e;
    gl_cur_init(&cur, buf.data, buf.len);
    gl_entry_decode(&cur, &e);
    cr_assert_eq(gl_cur_end(&cur), GL_OK);
    cr_assert(gl_str_eq(e.tenant, "gessa"));
    cr_assert_eq(e.date, 20241231u);
    cr_assert_eq(e.piece_date, 20241231u);
    cr_assert(gl_str_eq(e.label, "Bénévolat"));
    cr_assert_eq(e.line_count, 2);
    uint32_t bad_line = 99;
    cr_assert_eq(gl_entry_check(&e, &bad_line), GL_OK);
    gl_buf_free(&buf);
}

Test(entries_json, json_survives_a_tiny_error_buffer)
{
    char small[8];
    const char *doc = "{\"journal\": \"BQ\", \"piece\": \"P1\", \"label\": \"L\", \"lines\": []}";
    cr_assert_eq(gl_entries_from_json(doc, strlen(doc), "t", &set, small, sizeof small), -1);
    cr_assert_str_eq(small, "entry 1");
    cr_assert_eq(gl_entries_from_json(doc, strlen(doc), "t", &set, NULL, 0), -1);
    cr_assert_eq(set.count, 0);
}

/* issue 14: jansson keeps no positions; a refusal names the text line where
 * the faulty entry's line starts (json_pos.h), and every entry read keeps
 * the text line where it starts (for the daemon's refusals), in each of
 * the three shapes (a one-line document names no text line: it has one).
 * Strings holding braces, brackets and escaped quotes do
 * not mislead the scanner. */
#define POS_ENTRY(piece, second_line)                                       \
    "  {\"date\": \"2025-01-02\", \"journal\": \"BQ\", \"piece\": \"" piece \
    "\",\n"                                                                 \
    "   \"label\": \"L {[\\\"x\\\"]}\",\n"                                  \
    "   \"lines\": [\n"                                                     \
    "     {\"account\": \"606100\", \"debit\": \"1.00\"},\n"                \
    "     " second_line                                                     \
    "\n"                                                                    \
    "   ]}"
#define POS_GOOD "{\"account\": \"512000\", \"credit\": \"1.00\"}"
#define POS_BAD "{\"account\": \"512000\", \"credit\": 1.5}"

Test(entries_json, refusals_and_entries_name_their_text_line)
{
    refused("[\n" POS_ENTRY("P1", POS_GOOD) ",\n" POS_ENTRY("P2", POS_BAD) "\n]\n",
            "file line 12: entry 2 line 2: ");
    refused("{\"comment\": \"[{\",\n \"entries\": [\n" POS_ENTRY("P1", POS_GOOD) ",\n" POS_ENTRY(
                "P2", POS_BAD) "\n]}\n",
            "file line 13: entry 2 line 2: ");
    refused("\n\n" POS_ENTRY("P1", POS_BAD) "\n", "file line 7: entry 1 line 2: ");
    /* an entry-level fault: the entry's first line */
    refused("[\n" POS_ENTRY("P1", POS_GOOD) ",\n  {\"date\": \"2025-02-30\"}\n]",
            "file line 8: entry 2: bad date");
    cr_assert_eq(load("[\n" POS_ENTRY("P1", POS_GOOD) ",\n" POS_ENTRY("P2", POS_GOOD) "\n]\n"), 0,
                 "%s", err);
    cr_assert_eq(set.count, 2);
    cr_assert(set.source_line && set.source_line[0] == 2 && set.source_line[1] == 8, "%zu %zu",
              set.source_line ? set.source_line[0] : 0, set.source_line ? set.source_line[1] : 0);
}
