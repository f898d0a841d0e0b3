/*
 * tests/unit/test_entries_analytic.c — the analytic codes of the post
 * input (issue 19): "analytic" per line in JSON, the analytic column in
 * CSV.  Refusals first (each naming the entry and line, or the file's
 * line, and leaving the set empty); then the line's area holding the item
 * the codes spec gives (decoded back with proto/analytic.h), the lines
 * without codes keeping an empty area, and the entry encoded with it
 * (gl_entry_encode, then decoded and checked as the daemon checks it).
 */
#include "client/input/entries_csv.h"
#include "client/input/entries_json.h"
#include "proto/analytic.h"
#include "proto/entry.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <string.h>

static gl_entry_set set;
static char err[512];

static void setup(void)
{
    gl_entry_set_init(&set);
    memset(err, 'x', sizeof err);
    err[sizeof err - 1] = '\0';
}

static void teardown(void) { gl_entry_set_free(&set); }

TestSuite(entries_analytic, .init = setup, .fini = teardown);

static int json(const char *text)
{
    return gl_entries_from_json(text, strlen(text), "alpha", &set, err, sizeof err);
}

static int csv(const char *text)
{
    return gl_entries_from_csv(text, strlen(text), "alpha", &set, err, sizeof err);
}

/* An entry of 1500.00: line 1 (606400, debit) with the analytic member
 * given, line 2 (401000) without. */
#define JSON_WITH(analytic)                                                                 \
    "{\"date\": \"2026-03-15\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"L\", " \
    "\"lines\": [{\"account\": \"606400\", \"debit\": \"1500.00\", \"analytic\": " analytic \
    "}, "                                                                                   \
    "{\"account\": \"401000\", \"credit\": \"1500.00\"}]}"

static void json_refused(const char *text, const char *needle)
{
    cr_assert_eq(json(text), -1, "accepted: %s", text);
    cr_assert(strstr(err, needle), "message \"%s\" lacks \"%s\"", err, needle);
    cr_assert(strstr(err, "entry 1 line 1"), "message \"%s\" names no line", err);
    cr_assert_eq(set.count, 0);
}

Test(entries_analytic, json_refusals_name_entry_and_line)
{
    json_refused(JSON_WITH("\"FSE\""), "\"analytic\" must be an object");
    json_refused(JSON_WITH("{\"action\": 12}"), "the codes must be a string");
    json_refused(JSON_WITH("{\"Action\": \"FSE\"}"), "not an analytic axis");
    json_refused(JSON_WITH("{\"action\": \"fse\"}"), "not an analytic code");
    json_refused(JSON_WITH("{\"action\": \"A:60%,B:30%\"}"), "do not sum to 100%");
    json_refused(JSON_WITH("{\"action\": \"A:1000.00,B:400.00\"}"),
                 "do not sum to the line's amount");
    json_refused(JSON_WITH("{\"action\": \"-\"}"), "allocation only");
    json_refused(JSON_WITH("{\"a\": \"A\", \"b\": \"A\", \"c\": \"A\", \"d\": \"A\", \"e\": "
                           "\"A\", \"f\": \"A\", \"g\": \"A\", \"h\": \"A\", \"i\": \"A\"}"),
                 "more than 8");
}

/* The analytic item of line i of entry 0, decoded. */
static bool line_codes(size_t i, gl_analytic *out)
{
    const gl_entry_in *e = &set.entries[0];
    if (!e->line_ext || !e->line_ext[i].len)
        return false;
    cr_assert(gl_ext_check(e->line_ext[i].items, e->line_ext[i].len, GL_EXT_AREA_LINE) == GL_OK);
    return gl_line_analytic(e->line_ext[i].items, e->line_ext[i].len, out);
}

Test(entries_analytic, json_codes_in_the_line_area)
{
    cr_assert_eq(json(JSON_WITH("{\"financeur\": \"VILLE:40%,FSE:60%\", \"action\": \"OP1\"}")), 0,
                 "%s", err);
    gl_analytic a;
    cr_assert(line_codes(0, &a));
    cr_assert_eq(a.naxes, 2);
    cr_assert(gl_str_eq(a.axes[0].axis, "action"));
    cr_assert_eq(a.axes[0].count, 1);
    cr_assert(gl_str_eq(a.axes[0].shares[0].code, "OP1"));
    cr_assert_eq(a.axes[0].shares[0].amount_cents, 150000);
    cr_assert(gl_str_eq(a.axes[1].shares[0].code, "FSE"));
    cr_assert_eq(a.axes[1].shares[0].amount_cents, 90000);
    cr_assert_eq(a.axes[1].shares[1].amount_cents, 60000);
    cr_assert_not(line_codes(1, &a), "line 2 has no code");
    size_t bad;
    cr_assert_eq(gl_analytic_check_sum(&a, 150000, &bad), GL_OK);
}

Test(entries_analytic, no_codes_no_area)
{
    cr_assert_eq(json(JSON_WITH("{}")), 0, "%s", err);
    cr_assert_null(set.entries[0].line_ext);
}

/* A line of no amount keeps its amount for the daemon to refuse
 * (amount_not_positive), not a message about its codes. */
Test(entries_analytic, a_line_of_no_amount_is_the_daemons_to_refuse)
{
    const char *text =
        "{\"date\": \"2026-03-15\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"L\", "
        "\"lines\": [{\"account\": \"606400\", \"debit\": \"0.00\", \"analytic\": "
        "{\"action\": \"A:50%,B:50%\"}}, {\"account\": \"401000\", \"credit\": \"0.00\"}]}";
    cr_assert_eq(json(text), 0, "%s", err);
    cr_assert_eq(set.entries[0].lines[0].amount_cents, 0);
}

/* The entry with its area encoded, decoded and checked as the daemon does. */
Test(entries_analytic, encoded_entry_checks)
{
    cr_assert_eq(json(JSON_WITH("{\"action\": \"A:33.3333%,B:33.3333%,C:33.3334%\"}")), 0, "%s",
                 err);
    gl_buf b;
    gl_buf_init(&b);
    cr_assert_eq(gl_entry_encode(&b, &set.entries[0]), GL_OK);
    gl_cur c;
    gl_cur_init(&c, b.data, b.len);
    gl_entry e;
    gl_entry_decode(&c, &e);
    cr_assert_eq(gl_cur_status(&c), GL_OK);
    uint32_t bad_line = 0;
    cr_assert_eq(gl_entry_check(&e, &bad_line), GL_OK, "line %u", bad_line);
    gl_buf_free(&b);
}

#define CSV_HEAD "date;journal;piece;label;account;debit;credit;analytic\n"

Test(entries_analytic, csv_column)
{
    cr_assert_eq(csv(CSV_HEAD "2026-03-31;AC;F1;Achat;606400;100,01;;\"action=OP1;financeur=A:50%,"
                              "B:50%\"\n"
                              "2026-03-31;AC;F1;Achat;401000;;100,01;\n"),
                 0, "%s", err);
    gl_analytic a;
    cr_assert(line_codes(0, &a));
    cr_assert_eq(a.naxes, 2);
    cr_assert(gl_str_eq(a.axes[1].axis, "financeur"));
    cr_assert_eq(a.axes[1].shares[0].amount_cents, 5001); /* A: the first of equals */
    cr_assert_eq(a.axes[1].shares[1].amount_cents, 5000);
    cr_assert_not(line_codes(1, &a));
}

Test(entries_analytic, csv_refusal_names_the_file_line)
{
    cr_assert_eq(csv(CSV_HEAD "2026-03-31;AC;F1;Achat;606400;100,00;;\n"
                              "2026-03-31;AC;F1;Achat;401000;;100,00;\"action=OP1:10%\"\n"),
                 -1);
    cr_assert(strstr(err, "line 3: analytic: the percentages do not sum to 100%"), "%s", err);
    cr_assert_eq(set.count, 0);
    setup();
    cr_assert_eq(csv(CSV_HEAD "2026-03-31;AC;F1;Achat;606400;100,00;;\"action\"\n"
                              "2026-03-31;AC;F1;Achat;401000;;100,00;\n"),
                 -1);
    cr_assert(strstr(err, "line 2: analytic: expected axis=codes"), "%s", err);
}
