/*
 * tests/unit/test_fec_write_once.c — the FEC writer checks each string of
 * a decoded entry once (issue 16): gl_fec_put_entry no longer runs the
 * whole text rule on strings the journal's decoding already checked under
 * gl_cur_init_stored, only the rule that decoding leaves out (the
 * bidirectional controls).  What must not change: the bytes written and
 * every refusal.  A stored label holding U+202E (text written before the
 * controls were refused) is still refused by the export, in both charsets;
 * and for entries of every kind of text (ASCII, accents, €, C1-free
 * high code points, a separator, characters ISO 8859-15 lacks, bidi
 * controls in any decoded field) gl_fec_put_entry gives exactly what
 * gl_fec_put_record, which checks every field in full, gives for the same
 * fields.
 */
#include "client/fec/fec_write.h"
#include "proto/entry.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An entry encoded, then decoded as the journal's rows are (stored rule:
 * bidirectional controls pass). */
typedef struct stored_entry {
    gl_buf raw;
    gl_entry e;
} stored_entry;

static void make_stored(stored_entry *t, const gl_entry_in *in)
{
    gl_buf_init(&t->raw);
    cr_assert_eq(gl_entry_encode(&t->raw, in), GL_OK);
    gl_cur c;
    gl_cur_init_stored(&c, t->raw.data, t->raw.len);
    gl_entry_decode(&c, &t->e);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
}

static gl_str no_label(void *user, gl_str account)
{
    (void)user;
    (void)account;
    return (gl_str){"Banques", 7};
}

#define RECORDED_MS 1743422400000LL
#define RLO "\xe2\x80\xae" /* U+202E RIGHT-TO-LEFT OVERRIDE */

Test(fec_write_once, a_stored_label_with_a_bidi_control_is_still_refused)
{
    gl_line_in lines[2] = {
        {"512000", "", "", "Virement " RLO "00.001", GL_SIDE_DEBIT, 100},
        {"706000", "", "", "", GL_SIDE_CREDIT, 100},
    };
    gl_entry_in in = {.tenant = "agiie",
                      .journal = "BQ",
                      .piece_ref = "V-1",
                      .label = "Virement",
                      .date = 20250330,
                      .piece_date = 20250330,
                      .line_count = 2,
                      .lines = lines};
    stored_entry t;
    make_stored(&t, &in);
    gl_fec_entry_meta m = {.fy = 2025, .num = 4, .recorded_ms = RECORDED_MS};
    const gl_fec_format formats[2] = {{'\t', GL_FEC_OUT_UTF8}, {'|', GL_FEC_OUT_LATIN9}};
    for (size_t k = 0; k < 2; k++) {
        gl_buf out;
        gl_buf_init(&out);
        gl_put_bytes(&out, "kept", 4);
        char err[256];
        cr_assert_eq(gl_fec_put_entry(&out, &formats[k], &t.e, &m, no_label, NULL, err, sizeof err),
                     GL_FEC_NOT_TEXT, "format %zu", k);
        cr_expect_str_eq(err,
                         "entry 2025/4, line 1, EcritureLib: not text (invalid UTF-8 or a "
                         "control character)");
        cr_assert_eq(out.len, 4, "nothing of the entry may stay in the output");
        gl_buf_free(&out);
    }
    gl_buf_free(&t.raw);
}

/* The fields gl_fec_put_entry writes for line l of e, built as it builds
 * them (the columns of fec_write.h). */
static void fields_of(const gl_entry *e, const gl_line *l, const gl_fec_entry_meta *m, gl_str label,
                      char num[12], char debit[GL_MONEY_TEXT_MAX], char credit[GL_MONEY_TEXT_MAX],
                      char date[9], char piece_date[9], char valid[9],
                      gl_str fields[GL_FEC_COLUMNS])
{
    snprintf(num, 12, "%u", (unsigned)m->num);
    const char *jlib = gl_fec_journal_label(e->journal);
    gl_fec_date(e->date, date);
    gl_fec_date(e->piece_date, piece_date);
    gl_fec_date(gl_fec_paris_date(m->recorded_ms), valid);
    gl_fec_amount(l->side == GL_SIDE_DEBIT ? l->amount_cents : 0, debit);
    gl_fec_amount(l->side == GL_SIDE_CREDIT ? l->amount_cents : 0, credit);
    gl_str f[GL_FEC_COLUMNS] = {
        e->journal,
        jlib ? (gl_str){jlib, strlen(jlib)} : e->journal,
        {num, strlen(num)},
        {date, strlen(date)},
        l->account,
        label,
        l->aux,
        l->aux_label,
        e->piece_ref,
        {piece_date, strlen(piece_date)},
        l->label.len ? l->label : e->label,
        {debit, strlen(debit)},
        {credit, strlen(credit)},
        {"", 0},
        {"", 0},
        {valid, strlen(valid)},
        {"", 0},
        {"", 0},
    };
    memcpy(fields, f, sizeof f);
}

/* gl_fec_put_entry against gl_fec_put_record line by line: same result,
 * same bytes, same field at fault. */
static void same_as_full_check(const gl_entry_in *in, const gl_fec_format *f)
{
    stored_entry t;
    make_stored(&t, in);
    gl_fec_entry_meta m = {.fy = 2025, .num = 9, .recorded_ms = RECORDED_MS};
    gl_buf fast, full;
    gl_buf_init(&fast);
    gl_buf_init(&full);
    char err[256];
    int rc_fast = gl_fec_put_entry(&fast, f, &t.e, &m, no_label, NULL, err, sizeof err);
    int rc_full = 0;
    gl_line_iter it;
    gl_line l;
    gl_line_iter_init(&it, &t.e);
    size_t bad_field = 0, line = 0;
    while (rc_full >= 0 && gl_line_next(&it, &l)) {
        char num[12], debit[GL_MONEY_TEXT_MAX], credit[GL_MONEY_TEXT_MAX], d1[9], d2[9], d3[9];
        gl_str fields[GL_FEC_COLUMNS];
        fields_of(&t.e, &l, &m, no_label(NULL, l.account), num, debit, credit, d1, d2, d3, fields);
        uint32_t cp;
        int rc = gl_fec_put_record(&full, f, fields, &bad_field, &cp);
        line++;
        rc_full = rc == GL_FEC_OK ? rc_full + 1 : rc;
    }
    cr_assert_eq(rc_fast, rc_full, "label '%s' sep '%c' charset %d: %d against %d (%s)",
                 in->lines[0].label, f->sep, f->charset, rc_fast, rc_full, err);
    if (rc_fast >= 0) {
        cr_assert_eq(fast.len, full.len);
        cr_assert(memcmp(fast.data, full.data, fast.len) == 0, "the same bytes");
    } else {
        char where[64];
        snprintf(where, sizeof where, "line %zu, %s:", line, gl_fec_columns[bad_field]);
        cr_assert(strstr(err, where), "'%s' names '%s'", err, where);
    }
    gl_buf_free(&fast);
    gl_buf_free(&full);
    gl_buf_free(&t.raw);
}

Test(fec_write_once, every_kind_of_text_gives_what_the_full_check_gives)
{
    static const char *const texts[] = {
        "",
        "Cotisation 2025",
        "Prestation d'été",
        "Facture 31 €",
        "Œuvre Ÿ š",
        "Facture \xe2\x80\x99t\xc3\xa9", /* U+2019: not in ISO 8859-15 */
        "acompte | solde",
        "Virement " RLO "00.001",
        "\xe2\x81\xa6isolate\xe2\x81\xa9", /* U+2066 ... U+2069 */
        "\xe2\x80\x8e mark",               /* U+200E: a mark, not a control */
        "日本語",
        "\xf0\x9f\x98\x80",
    };
    const gl_fec_format formats[4] = {{'\t', GL_FEC_OUT_UTF8},
                                      {'|', GL_FEC_OUT_UTF8},
                                      {'\t', GL_FEC_OUT_LATIN9},
                                      {'|', GL_FEC_OUT_LATIN9}};
    size_t n = sizeof texts / sizeof texts[0];
    for (size_t a = 0; a < n; a++) {
        for (size_t where = 0; where < 4; where++) {
            /* the text in one decoded field at a time: line label, aux
             * label, piece reference (ASCII-only rules aside), entry label */
            gl_line_in lines[2] = {
                {"411000", "U1", where == 1 ? texts[a] : "Famille", where == 0 ? texts[a] : "",
                 GL_SIDE_DEBIT, 123456},
                {"706000", "", "", "", GL_SIDE_CREDIT, 123456},
            };
            gl_entry_in in = {.tenant = "agiie",
                              .journal = "VT",
                              .piece_ref = where == 2 ? texts[a] : "F-1",
                              .label = where == 3 ? texts[a] : "Vente",
                              .date = 20250330,
                              .piece_date = 20250329,
                              .line_count = 2,
                              .lines = lines};
            for (size_t k = 0; k < 4; k++)
                same_as_full_check(&in, &formats[k]);
        }
    }
}
