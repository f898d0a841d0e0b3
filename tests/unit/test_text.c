/*
 * tests/unit/test_text.c — the text rule of PROTOCOL.md §1.2 against the
 * bidirectional controls (issue 11, item 11b): U+202A-U+202E (embeddings
 * and overrides) and U+2066-U+2069 (isolates) make a printed label show
 * something else than what is stored, so every string a client sends is
 * refused with string_invalid when it holds one.  Checked here: the
 * validator for each code point and its neighbours, the cursor's string
 * getters, every string field of the request bodies that carry text, and
 * the one relaxation: bytes the daemon stored before the rule existed
 * (gl_cur_init_stored) still decode, so that an old ledger stays readable.
 */
#include "client/fec/fec_read.h"
#include "daemon/config.h"
#include "client/input/entries_json.h"
#include "proto/entry.h"
#include "proto/group.h"
#include "proto/query.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

/* UTF-8 of a code point in U+0800..U+FFFF (three bytes). */
static void utf8_3(uint32_t cp, char out[4])
{
    out[0] = (char)(0xe0 | (cp >> 12));
    out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
    out[2] = (char)(0x80 | (cp & 0x3f));
    out[3] = '\0';
}

static const uint32_t refused_cps[] = {0x202a, 0x202b, 0x202c, 0x202d, 0x202e,
                                       0x2066, 0x2067, 0x2068, 0x2069};
/* The neighbours of both ranges, and the other directional marks (LRM,
 * RLM, ALM: they change no order of what is printed) stay accepted. */
static const uint32_t accepted_cps[] = {0x2029, 0x202f, 0x2065, 0x206a,
                                        0x200e, 0x200f, 0x2028, 0x2060};

#define N(a) (sizeof(a) / sizeof((a)[0]))

Test(text, bidi_controls_are_refused_alone_and_inside_text)
{
    for (size_t i = 0; i < N(refused_cps); i++) {
        char cp[4], text[32];
        utf8_3(refused_cps[i], cp);
        cr_expect(!gl_utf8_valid(cp, 3), "U+%04X alone accepted", refused_cps[i]);
        int n = snprintf(text, sizeof text, "Loyer %s1 00.0", cp);
        cr_expect(!gl_utf8_valid(text, (size_t)n), "U+%04X inside a label accepted",
                  refused_cps[i]);
        /* The structural check (encoding detection, stored text) keeps them. */
        cr_expect(gl_utf8_valid_with_bidi(text, (size_t)n), "U+%04X: not well-formed?",
                  refused_cps[i]);
    }
}

Test(text, neighbours_of_the_bidi_controls_are_accepted)
{
    for (size_t i = 0; i < N(accepted_cps); i++) {
        char cp[4], text[32];
        utf8_3(accepted_cps[i], cp);
        int n = snprintf(text, sizeof text, "a%sb", cp);
        cr_expect(gl_utf8_valid(text, (size_t)n), "U+%04X refused", accepted_cps[i]);
    }
}

Test(text, structural_check_still_refuses_what_it_always_refused)
{
    cr_expect(!gl_utf8_valid_with_bidi("a\tb", 3), "TAB");
    cr_expect(!gl_utf8_valid_with_bidi("a\0b", 3), "NUL");
    cr_expect(!gl_utf8_valid_with_bidi("\xc2\x85", 2), "C1");
    cr_expect(!gl_utf8_valid_with_bidi("\xe2\x80", 2), "truncated");
    cr_expect(!gl_utf8_valid_with_bidi("\xed\xa0\x80", 3), "surrogate");
    cr_expect(gl_utf8_valid_with_bidi("Soci\xc3\xa9t\xc3\xa9", 9), "plain text");
}

/* A str8 and a str16 holding "x" + code point + "y". */
static size_t put_both(uint8_t *buf, uint32_t cp)
{
    char s[4];
    utf8_3(cp, s);
    uint8_t *p = buf;
    *p++ = 5;
    *p++ = 'x';
    memcpy(p, s, 3);
    p += 3;
    *p++ = 'y';
    *p++ = 0;
    *p++ = 5;
    *p++ = 'x';
    memcpy(p, s, 3);
    p += 3;
    *p++ = 'y';
    return (size_t)(p - buf);
}

Test(text, string_getters_refuse_bidi_with_string_invalid)
{
    for (size_t i = 0; i < N(refused_cps); i++) {
        uint8_t buf[16];
        size_t n = put_both(buf, refused_cps[i]);
        gl_cur c;
        gl_cur_init(&c, buf, n);
        gl_str s = gl_get_str8(&c, 255);
        cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_INVALID, "str8 U+%04X", refused_cps[i]);
        cr_expect_eq(s.len, 0);
        gl_cur_init(&c, buf + 6, n - 6);
        gl_get_str16(&c, 255);
        cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_INVALID, "str16 U+%04X", refused_cps[i]);
    }
}

Test(text, stored_cursor_reads_bidi_text_written_before_the_rule)
{
    uint8_t buf[16];
    size_t n = put_both(buf, 0x202e);
    gl_cur c;
    gl_cur_init_stored(&c, buf, n);
    gl_str a = gl_get_str8(&c, 255), b = gl_get_str16(&c, 255);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    cr_expect_eq(a.len, 5);
    cr_expect_eq(b.len, 5);
    /* The relaxation is for bidi controls only. */
    static const uint8_t tab[] = {3, 'a', '\t', 'b'};
    gl_cur_init_stored(&c, tab, sizeof tab);
    gl_get_str8(&c, 255);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_INVALID);
}

/* ---- every text field of every request body that carries text -------- */

enum entry_field {
    F_JOURNAL,
    F_PIECE,
    F_LABEL,
    F_ACCOUNT,
    F_AUX,
    F_AUX_LABEL,
    F_LINE_LABEL,
    F_COUNT_
};
static const char *const entry_field_names[F_COUNT_] = {
    "journal", "piece_ref", "label", "account", "aux", "aux_label", "line label"};

/* A POST body of two entries, the second one's field f holding text. */
static void post_with(gl_buf *b, enum entry_field f, const char *text)
{
    gl_buf_init(b);
    gl_put_u32(b, 2);
    for (int k = 0; k < 2; k++) {
        bool bad = k == 1;
        gl_line_in l[2] = {{bad && f == F_ACCOUNT ? text : "606100", bad && f == F_AUX ? text : "",
                            bad && f == F_AUX_LABEL ? text : "",
                            bad && f == F_LINE_LABEL ? text : "", GL_SIDE_DEBIT, 100},
                           {"512000", "", "", "", GL_SIDE_CREDIT, 100}};
        gl_entry_in e = {.tenant = "agiie",
                         .date = 20250301,
                         .piece_date = 20250301,
                         .journal = bad && f == F_JOURNAL ? text : "OD",
                         .piece_ref = bad && f == F_PIECE ? text : "P1",
                         .label = bad && f == F_LABEL ? text : "ok",
                         .line_count = 2,
                         .lines = l};
        cr_assert_eq(gl_entry_encode(b, &e), GL_OK);
    }
}

Test(text, post_refuses_bidi_in_every_text_field_of_an_entry)
{
    for (size_t i = 0; i < N(refused_cps); i++)
        for (int f = 0; f < F_COUNT_; f++) {
            char cp[4], text[8];
            utf8_3(refused_cps[i], cp);
            snprintf(text, sizeof text, "A%s", cp);
            gl_buf b;
            post_with(&b, (enum entry_field)f, text);
            gl_post p;
            uint32_t bad = 0;
            cr_expect_eq(gl_post_decode(b.data, b.len, &p, &bad), GL_ERR_STRING_INVALID,
                         "U+%04X in %s", refused_cps[i], entry_field_names[f]);
            cr_expect_eq(bad, 2, "U+%04X in %s: item %u", refused_cps[i], entry_field_names[f],
                         bad);
            gl_buf_free(&b);
        }
    /* The same bodies with a neighbour decode. */
    for (int f = 0; f < F_COUNT_; f++) {
        gl_buf b;
        post_with(&b, (enum entry_field)f, "A\xe2\x80\xaf"); /* U+202F */
        gl_post p;
        uint32_t bad = 0;
        cr_expect_eq(gl_post_decode(b.data, b.len, &p, &bad), GL_OK, "U+202F in %s",
                     entry_field_names[f]);
        gl_buf_free(&b);
    }
}

Test(text, other_bodies_refuse_bidi_in_their_text)
{
    static const char rlo[] = "\xe2\x80\xae";
    gl_str s = {rlo, 3};
    gl_buf b;
    uint32_t bad = 0;

    /* ACCOUNTS_OPEN: account label (item 1). */
    gl_buf_init(&b);
    gl_put_u8(&b, GL_OPEN_STRICT);
    gl_put_u32(&b, 1);
    gl_put_str8(&b, "606100", 6);
    gl_put_str8(&b, rlo, 3);
    gl_accounts_open o;
    cr_expect_eq(gl_accounts_open_decode(b.data, b.len, &o, &bad), GL_ERR_STRING_INVALID);
    cr_expect_eq(bad, 1);
    gl_buf_free(&b);

    /* LEDGER: account. */
    gl_buf_init(&b);
    gl_ledger_q_encode(&b,
                       &(gl_ledger_q){.account = s, .from = 20250101, .to = 20251231, .limit = 10});
    gl_ledger_q lq;
    cr_expect_eq(gl_ledger_q_decode(b.data, b.len, &lq), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    /* LETTER: aux. */
    gl_buf_init(&b);
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 1}};
    gl_letter_q_encode(&b, (gl_str){"401000", 6}, s, refs, 2);
    gl_letter_q q;
    cr_expect_eq(gl_letter_q_decode(b.data, b.len, &q), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);

    /* UNLETTER: code. */
    gl_buf_init(&b);
    gl_unletter_q_encode(&b, &(gl_unletter_q){{"401000", 6}, s});
    gl_unletter_q u;
    cr_expect_eq(gl_unletter_q_decode(b.data, b.len, &u), GL_ERR_STRING_INVALID);
    gl_buf_free(&b);
}

/* ---- entries stored before the rule: decoded and iterated ------------- */

Test(text, stored_entry_with_bidi_decodes_and_its_lines_iterate)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_line_in l[2] = {
        {"606100", "F\xe2\x81\xa6", "Bureau \xe2\x80\xae", "l\xe2\x80\xab", GL_SIDE_DEBIT, 100},
        {"512000", "", "", "", GL_SIDE_CREDIT, 100}};
    gl_entry_in in = {.tenant = "agiie",
                      .date = 20250301,
                      .piece_date = 20250301,
                      .journal = "OD",
                      .piece_ref = "P\xe2\x81\xa9",
                      .label =
                          "\xe2\x80\xae"
                          "abc",
                      .line_count = 2,
                      .lines = l};
    cr_assert_eq(gl_entry_encode(&b, &in), GL_OK);
    gl_cur c;
    gl_entry e;
    gl_cur_init(&c, b.data, b.len);
    gl_entry_decode(&c, &e);
    cr_expect_eq(gl_cur_status(&c), GL_ERR_STRING_INVALID,
                 "a request's entry holding bidi decodes");
    gl_cur_init_stored(&c, b.data, b.len);
    gl_entry_decode(&c, &e);
    cr_assert_eq(gl_cur_end(&c), GL_OK, "a stored entry holding bidi does not decode");
    gl_line_iter it;
    gl_line ln;
    int lines = 0;
    gl_line_iter_init(&it, &e);
    while (gl_line_next(&it, &ln)) /* asserts on a line that does not decode */
        lines++;
    cr_expect_eq(lines, 2);
    gl_buf_free(&b);
}

/* ---- the client's input files: refused before anything is sent -------- */

Test(text, json_input_refuses_bidi_naming_entry_line_and_field)
{
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[256] = "";
    static const char json[] =
        "[{\"date\": \"2025-03-01\", \"journal\": \"AC\", \"piece\": \"F1\", \"label\": \"L\", \"lines\": ["
        "{\"account\": \"606100\", \"debit\": \"1.00\"},"
        "{\"account\": \"401000\", \"aux\": \"F1\", \"aux_label\": \"B\xe2\x81\xa7x\","
        " \"credit\": \"1.00\"}]}]";
    cr_assert_eq(gl_entries_from_json(json, strlen(json), "agiie", &set, err, sizeof err), -1);
    cr_expect_str_eq(err,
                     "entry 1 line 2: field \"aux_label\" holds a bidirectional control character "
                     "(U+202A-U+202E, U+2066-U+2069)");
    cr_expect_eq(set.count, 0);
    gl_entry_set_free(&set);
}

Test(text, fec_input_refuses_bidi_at_its_line_and_column_as_utf8)
{
    static const char fec[] =
        "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t"
        "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"
        "ValidDate\tMontantdevise\tIdevise\n"
        "AC\tAchats\t1\t20250301\t606100\tAchats\t\t\tF1\t20250301\tLoyer\t1,00\t0,00\t\t\t20250301\t\t\n"
        "AC\tAchats\t1\t20250301\t401000\tFourn\t\t\tF1\t20250301\tSoci\xc3\xa9t\xc3\xa9 \xe2\x80\xae"
        "x\t0,00\t1,00\t\t\t20250301\t\t\n";
    gl_entry_set set;
    gl_entry_set_init(&set);
    char err[256] = "";
    /* Read as UTF-8 (the é stays é), not taken for ISO 8859-15. */
    cr_assert_eq(gl_fec_read(fec, strlen(fec), "agiie", GL_FEC_ENC_AUTO, &set, err, sizeof err),
                 -1);
    cr_expect_str_eq(
        err,
        "line 3: EcritureLib holds a bidirectional control character (U+202A-U+202E, U+2066-U+2069)");
    cr_expect_eq(set.count, 0);
    gl_entry_set_free(&set);
}

/* ---- the daemon's configuration: names and codes ----------------------- */

Test(text, config_refuses_bidi_in_a_tenant_name_and_code)
{
    char dir[64] = "/tmp/gl-text-XXXXXX", path[128];
    cr_assert(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/g.conf", dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "[daemon]\ndata_dir = d\n\n"
        "[tenant agiie]\nname = AGIIE \xe2\x80\xae"
        "1 00.0\nsiren = 500000026\ncode = AG\xe2\x81\xa8\n",
        f);
    cr_assert(fclose(f) == 0);
    gl_config c;
    cr_expect_eq(gl_config_load(path, &c), 2);
    char want_name[160], want_code[160];
    snprintf(want_name, sizeof want_name, "%s:5: tenant name", path);
    snprintf(want_code, sizeof want_code, "%s:7: code", path);
    cr_expect(c.error_count == 2 && !strncmp(c.errors[0], want_name, strlen(want_name)) &&
                  !strncmp(c.errors[1], want_code, strlen(want_code)),
              "errors: %s / %s", c.error_count > 0 ? c.errors[0] : "",
              c.error_count > 1 ? c.errors[1] : "");
    gl_config_free(&c);
    unlink(path);
    rmdir(dir);
}
