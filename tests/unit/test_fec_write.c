/*
 * tests/unit/test_fec_write.c — the FEC writer (client/fec/fec_write.c):
 * refusals first (a character ISO 8859-15 lacks, the separator inside a
 * field, text that is not text: each names the entry and leaves the output
 * as it was), then the formats (amounts, dates, French time of ValidDate,
 * file name, header and column order, journal labels), whole lines in both
 * charsets and both separators, the result-closing entry left out, and a
 * round trip through the reader (client/fec/fec_read.c).
 */
#include "client/fec/fec_read.h"
#include "client/fec/fec_write.h"
#include "proto/date.h"
#include "proto/entry.h"
#include "proto/status.h"

#include <criterion/criterion.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An entry, encoded then decoded as the daemon's journal gives it. */
typedef struct test_entry {
    gl_buf raw;
    gl_entry e;
} test_entry;

static void make_entry(test_entry *t, const gl_entry_in *in)
{
    gl_buf_init(&t->raw);
    cr_assert_eq(gl_entry_encode(&t->raw, in), GL_OK);
    gl_cur c;
    gl_cur_init(&c, t->raw.data, t->raw.len);
    gl_entry_decode(&c, &t->e);
    cr_assert_eq(gl_cur_end(&c), GL_OK);
}

static gl_str label_of(void *user, gl_str account)
{
    (void)user;
    if (gl_str_eq(account, "411000"))
        return (gl_str){"Usagers et clients", 18};
    if (gl_str_eq(account, "706000"))
        return (gl_str){"Prestations de services", 23};
    return (gl_str){"", 0};
}

/* 2025-03-31 12:00:00 UTC (CEST): ValidDate 20250331. */
#define RECORDED_MS 1743422400000LL

static gl_line_in sale_lines[2] = {
    {"411000", "U00012", "Famille Müller", "", GL_SIDE_DEBIT, 123456},
    {"706000", "", "", "Prestation d'été", GL_SIDE_CREDIT, 123456},
};

static gl_entry_in sale(const char *label)
{
    return (gl_entry_in){.tenant = "agiie",
                         .journal = "VT",
                         .piece_ref = "F-2025-031",
                         .label = label,
                         .date = 20250330,
                         .piece_date = 20250329,
                         .line_count = 2,
                         .lines = sale_lines};
}

static char *text_of(const gl_buf *b)
{
    char *s = malloc(b->len + 1);
    cr_assert(s);
    memcpy(s, b->data, b->len);
    s[b->len] = '\0';
    return s;
}

/* --- refusals --- */

Test(fec_write, a_character_iso_8859_15_lacks_is_refused_naming_the_entry)
{
    test_entry t;
    gl_entry_in in = sale("Facture \xe2\x80\x99t\xc3\xa9"); /* U+2019 RIGHT SINGLE QUOTATION MARK */
    make_entry(&t, &in);
    gl_buf out;
    gl_buf_init(&out);
    gl_put_bytes(&out, "kept", 4);
    gl_fec_format f = {'\t', GL_FEC_OUT_LATIN9};
    gl_fec_entry_meta m = {.fy = 2025, .num = 17, .recorded_ms = RECORDED_MS};
    char err[256];
    int rc = gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err);
    cr_assert_eq(rc, GL_FEC_UNREPRESENTABLE);
    cr_expect_str_eq(err,
                     "entry 2025/17, line 1, EcritureLib: character U+2019 is not in ISO 8859-15");
    cr_assert_eq(out.len, 4, "nothing of the entry may stay in the output");
    /* the same entry in UTF-8 is fine */
    f.charset = GL_FEC_OUT_UTF8;
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 2);
    gl_buf_free(&out);
    gl_buf_free(&t.raw);
}

Test(fec_write, latin1_characters_replaced_in_iso_8859_15_are_refused)
{
    /* ¤ ¦ ¨ ´ ¸ ¼ ½ ¾ are in Latin-1, not in Latin-9 (their bytes hold € Š š Ž ž Œ œ Ÿ) */
    static const char *const lacking[] = {
        "\xc2\xa4", "\xc2\xa6", "\xc2\xa8",     "\xc2\xb4",         "\xc2\xb8", "\xc2\xbc",
        "\xc2\xbd", "\xc2\xbe", "\xe2\x80\x94", "\xf0\x9f\x98\x80", "\xc4\x80"};
    for (size_t i = 0; i < sizeof lacking / sizeof lacking[0]; i++) {
        gl_buf out;
        gl_buf_init(&out);
        uint32_t cp = 0;
        cr_expect_eq(gl_fec_to_latin9(&out, lacking[i], strlen(lacking[i]), &cp),
                     GL_FEC_UNREPRESENTABLE, "case %zu", i);
        cr_expect_neq(cp, 0);
        cr_expect_eq(out.len, 0);
        gl_buf_free(&out);
    }
}

Test(fec_write, not_text_is_refused)
{
    gl_buf out;
    gl_buf_init(&out);
    uint32_t cp;
    cr_expect_eq(gl_fec_to_latin9(&out, "a\tb", 3, &cp), GL_FEC_NOT_TEXT);
    cr_expect_eq(gl_fec_to_latin9(&out, "\xe9t\xe9", 3, &cp), GL_FEC_NOT_TEXT); /* Latin-1 bytes */
    cr_expect_eq(gl_fec_to_latin9(&out, "\xc2\x85", 2, &cp), GL_FEC_NOT_TEXT);  /* C1 control */
    cr_expect_eq(out.len, 0);
    gl_buf_free(&out);
}

Test(fec_write, the_separator_inside_a_field_is_refused)
{
    test_entry t;
    gl_entry_in in = sale("Facture 12 | acompte");
    make_entry(&t, &in);
    gl_buf out;
    gl_buf_init(&out);
    gl_fec_format f = {'|', GL_FEC_OUT_UTF8};
    gl_fec_entry_meta m = {.fy = 2025, .num = 3, .recorded_ms = RECORDED_MS};
    char err[256];
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err),
                 GL_FEC_SEPARATOR);
    cr_expect_str_eq(err, "entry 2025/3, line 1, EcritureLib: holds the separator '|'");
    cr_assert_eq(out.len, 0);
    f.sep = '\t'; /* with tabs a '|' is only a character */
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 2);
    gl_buf_free(&out);
    gl_buf_free(&t.raw);
}

Test(fec_write, file_name_needs_nine_digits_and_a_date)
{
    char name[64];
    cr_expect_eq(gl_fec_file_name("50000002", 20251231, name, sizeof name), -1);
    cr_expect_eq(gl_fec_file_name("5000000260", 20251231, name, sizeof name), -1);
    cr_expect_eq(gl_fec_file_name("50000002X", 20251231, name, sizeof name), -1);
    cr_expect_eq(gl_fec_file_name("500000026", 20250230, name, sizeof name), -1);
    cr_expect_eq(gl_fec_file_name("500000026", 20251231, name, 10), -1);
    cr_expect_str_eq(name, "");
}

/* --- formats --- */

Test(fec_write, amounts_have_a_decimal_comma_and_no_thousands_separator)
{
    static const struct {
        int64_t cents;
        const char *text;
    } cases[] = {
        {0, "0,00"},
        {1, "0,01"},
        {10, "0,10"},
        {99, "0,99"},
        {100, "1,00"},
        {123456, "1234,56"},
        {100000000, "1000000,00"},
        {INT64_MAX, "92233720368547758,07"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        char out[GL_MONEY_TEXT_MAX];
        cr_expect_str_eq(gl_fec_amount(cases[i].cents, out), cases[i].text);
    }
}

Test(fec_write, dates_are_aaaammjj)
{
    char out[9];
    cr_expect_str_eq(gl_fec_date(20250101, out), "20250101");
    cr_expect_str_eq(gl_fec_date(19000228, out), "19000228");
    cr_expect_str_eq(gl_fec_date(0, out), "");
}

Test(fec_write, valid_date_is_the_day_in_french_time)
{
    /* Each case tells CET from CEST: the other offset gives another day.
     * Expected values from Python's zoneinfo Europe/Paris. */
    static const struct {
        int64_t ms;
        uint32_t ymd;
    } cases[] = {
        {0LL, 19700101},             /* 1970-01-01 00:00:00 UTC = 01:00:00 CET */
        {1735686000000LL, 20250101}, /* 2024-12-31 23:00:00 UTC = 00:00:00 CET */
        {1735685999000LL, 20241231}, /* 2024-12-31 22:59:59 UTC = 23:59:59 CET */
        {1743287400000LL, 20250329}, /* 2025-03-29 22:30:00 UTC = 23:30:00 CET */
        {1743372000000LL, 20250331}, /* 2025-03-30 22:00:00 UTC = 00:00:00 CEST */
        {1743371999000LL, 20250330}, /* 2025-03-30 21:59:59 UTC = 23:59:59 CEST */
        {1751322600000LL, 20250701}, /* 2025-06-30 22:30:00 UTC = 00:30:00 CEST */
        {1761429600000LL, 20251026}, /* 2025-10-25 22:00:00 UTC = 00:00:00 CEST */
        {1761519599000LL, 20251026}, /* 2025-10-26 22:59:59 UTC = 23:59:59 CET */
        {1761519600000LL, 20251027}, /* 2025-10-26 23:00:00 UTC = 00:00:00 CET */
        {951865200000LL, 20000301},  /* 2000-02-29 23:00:00 UTC = 00:00:00 CET */
        {-1000LL, 19700101},         /* 1969-12-31 23:59:59 UTC = 00:59:59 CET */
        {RECORDED_MS, 20250331},     /* 2025-03-31 12:00:00 UTC = 14:00:00 CEST */
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
        cr_expect_eq(gl_fec_paris_date(cases[i].ms), cases[i].ymd, "case %zu: %u", i,
                     gl_fec_paris_date(cases[i].ms));
}

Test(fec_write, file_name_is_siren_fec_closing_date)
{
    char name[64];
    cr_assert_eq(gl_fec_file_name("500000026", 20251231, name, sizeof name), 0);
    cr_expect_str_eq(name, "500000026FEC20251231.txt");
    cr_assert_eq(gl_fec_file_name("333333333", gl_fiscal_year_end(2025, 7), name, sizeof name), 0);
    cr_expect_str_eq(name, "333333333FEC20250630.txt");
}

Test(fec_write, header_has_the_18_columns_in_order)
{
    static const char *const order[GL_FEC_COLUMNS] = {
        "JournalCode", "JournalLib",  "EcritureNum", "EcritureDate", "CompteNum",     "CompteLib",
        "CompAuxNum",  "CompAuxLib",  "PieceRef",    "PieceDate",    "EcritureLib",   "Debit",
        "Credit",      "EcritureLet", "DateLet",     "ValidDate",    "Montantdevise", "Idevise"};
    for (size_t i = 0; i < GL_FEC_COLUMNS; i++)
        cr_expect_str_eq(gl_fec_columns[i], order[i]);
    gl_buf out;
    gl_buf_init(&out);
    gl_fec_format tab = {'\t', GL_FEC_OUT_LATIN9}, pipe = {'|', GL_FEC_OUT_LATIN9};
    cr_assert_eq(gl_fec_put_header(&out, &tab), GL_FEC_OK);
    cr_assert_eq(gl_fec_put_header(&out, &pipe), GL_FEC_OK);
    char *s = text_of(&out);
    cr_expect_str_eq(s,
                     "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\t"
                     "CompAuxNum\tCompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\t"
                     "EcritureLet\tDateLet\tValidDate\tMontantdevise\tIdevise\n"
                     "JournalCode|JournalLib|EcritureNum|EcritureDate|CompteNum|CompteLib|"
                     "CompAuxNum|CompAuxLib|PieceRef|PieceDate|EcritureLib|Debit|Credit|"
                     "EcritureLet|DateLet|ValidDate|Montantdevise|Idevise\n");
    free(s);
    gl_buf_free(&out);
}

Test(fec_write, journal_labels_from_the_usual_codes)
{
    static const char *const pairs[][2] = {
        {"AN", "À-nouveaux"}, {"AC", "Achats"},
        {"VT", "Ventes"},     {"VE", "Ventes"},
        {"BQ", "Banque"},     {"OD", "Opérations diverses"},
        {"SA", "Salaires"},   {"CV", "Contributions volontaires"},
        {"CL", "Clôture"}};
    for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
        const char *l = gl_fec_journal_label((gl_str){pairs[i][0], 2});
        cr_assert(l, "%s", pairs[i][0]);
        cr_expect_str_eq(l, pairs[i][1]);
    }
    cr_expect_null(gl_fec_journal_label((gl_str){"XY", 2}));
    cr_expect_null(gl_fec_journal_label((gl_str){"A", 1}));
    cr_expect_null(gl_fec_journal_label((gl_str){"ANX", 3}));
}

Test(fec_write, iso_8859_15_conversion)
{
    /* "é€ŠšŽžŒœŸ à ÿ" -> E9 A4 A6 A8 B4 B8 BC BD BE 20 E0 20 FF */
    const char *s =
        "\xc3\xa9\xe2\x82\xac\xc5\xa0\xc5\xa1\xc5\xbd\xc5\xbe\xc5\x92\xc5\x93\xc5\xb8 \xc3\xa0 \xc3\xbf";
    gl_buf out;
    gl_buf_init(&out);
    uint32_t cp;
    cr_assert_eq(gl_fec_to_latin9(&out, s, strlen(s), &cp), GL_FEC_OK);
    static const unsigned char want[] = {0xe9, 0xa4, 0xa6, 0xa8, 0xb4, 0xb8, 0xbc,
                                         0xbd, 0xbe, 0x20, 0xe0, 0x20, 0xff};
    cr_assert_eq(out.len, sizeof want);
    cr_assert(!memcmp(out.data, want, sizeof want));
    /* ASCII goes through unchanged */
    gl_buf_reset(&out);
    cr_assert_eq(gl_fec_to_latin9(&out, "Banque 512000", 13, &cp), GL_FEC_OK);
    cr_assert(out.len == 13 && !memcmp(out.data, "Banque 512000", 13));
    /* the euro sign alone: 0xA4 */
    gl_buf_reset(&out);
    cr_assert_eq(gl_fec_to_latin9(&out, "\xe2\x82\xac", 3, &cp), GL_FEC_OK);
    cr_assert(out.len == 1 && out.data[0] == 0xa4);
    gl_buf_free(&out);
}

/* --- whole lines --- */

Test(fec_write, an_entry_gives_one_line_per_line_in_column_order)
{
    test_entry t;
    gl_entry_in in = sale("Facture 31 €");
    make_entry(&t, &in);
    gl_fec_letter letters[2] = {{{"AB", 2}, 20250415}, {{"", 0}, 0}};
    gl_fec_entry_meta m = {.fy = 2025, .num = 17, .recorded_ms = RECORDED_MS, .letters = letters};
    gl_fec_format f = {'\t', GL_FEC_OUT_UTF8};
    gl_buf out;
    gl_buf_init(&out);
    char err[256];
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 2, "%s",
                 err);
    char *s = text_of(&out);
    cr_expect_str_eq(
        s,
        "VT\tVentes\t17\t20250330\t411000\tUsagers et clients\tU00012\tFamille Müller\t"
        "F-2025-031\t20250329\tFacture 31 €\t1234,56\t0,00\tAB\t20250415\t20250331\t\t\n"
        "VT\tVentes\t17\t20250330\t706000\tPrestations de services\t\t\t"
        "F-2025-031\t20250329\tPrestation d'été\t0,00\t1234,56\t\t\t20250331\t\t\n");
    free(s);
    /* ISO 8859-15 and '|': the same line, converted byte for byte */
    gl_buf_reset(&out);
    f = (gl_fec_format){'|', GL_FEC_OUT_LATIN9};
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 2, "%s",
                 err);
    s = text_of(&out);
    cr_expect_str_eq(s,
                     "VT|Ventes|17|20250330|411000|Usagers et clients|U00012|Famille M\xfcller|"
                     "F-2025-031|20250329|Facture 31 \xa4|1234,56|0,00|AB|20250415|20250331||\n"
                     "VT|Ventes|17|20250330|706000|Prestations de services|||"
                     "F-2025-031|20250329|Prestation d'\xe9t\xe9|0,00|1234,56|||20250331||\n");
    free(s);
    gl_buf_free(&out);
    gl_buf_free(&t.raw);
}

Test(fec_write, an_unknown_journal_is_its_own_label_and_unknown_accounts_have_none)
{
    gl_line_in lines[2] = {{"512000", "", "", "", GL_SIDE_DEBIT, 5000},
                           {"756100", "", "", "", GL_SIDE_CREDIT, 5000}};
    gl_entry_in in = {.tenant = "agiie",
                      .journal = "COT",
                      .piece_ref = "",
                      .label = "Cotisation",
                      .date = 20250115,
                      .piece_date = 20250115,
                      .line_count = 2,
                      .lines = lines};
    test_entry t;
    make_entry(&t, &in);
    gl_fec_entry_meta m = {.fy = 2025, .num = 1, .recorded_ms = 0};
    gl_fec_format f = {'\t', GL_FEC_OUT_LATIN9};
    gl_buf out;
    gl_buf_init(&out);
    char err[256];
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, NULL, NULL, err, sizeof err), 2);
    char *s = text_of(&out);
    cr_expect_str_eq(
        s,
        "COT\tCOT\t1\t20250115\t512000\t\t\t\t\t20250115\tCotisation\t50,00\t0,00\t\t\t19700101\t\t\n"
        "COT\tCOT\t1\t20250115\t756100\t\t\t\t\t20250115\tCotisation\t0,00\t50,00\t\t\t19700101\t\t\n");
    free(s);
    gl_buf_free(&out);
    gl_buf_free(&t.raw);
}

Test(fec_write, the_result_closing_entry_is_left_out)
{
    gl_line_in lines[2] = {{"706000", "", "", "", GL_SIDE_DEBIT, 5000},
                           {"120000", "", "", "", GL_SIDE_CREDIT, 5000}};
    gl_entry_in in = {.tenant = "agiie",
                      .journal = "CL",
                      .piece_ref = "CLOTURE-2025",
                      .label = "Détermination du résultat 2025",
                      .date = 20251231,
                      .piece_date = 20251231,
                      .flags = GL_ENTRY_RESULT_CLOSING,
                      .line_count = 2,
                      .lines = lines};
    test_entry t;
    make_entry(&t, &in);
    gl_fec_entry_meta m = {.fy = 2025, .num = 99, .recorded_ms = RECORDED_MS};
    gl_fec_format f = {'\t', GL_FEC_OUT_LATIN9};
    gl_buf out;
    gl_buf_init(&out);
    char err[256];
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 0);
    cr_assert_eq(out.len, 0);
    gl_buf_free(&t.raw);
    /* the à-nouveaux are written like any entry */
    in.flags = GL_ENTRY_OPENING;
    in.journal = "AN";
    make_entry(&t, &in);
    cr_assert_eq(gl_fec_put_entry(&out, &f, &t.e, &m, label_of, NULL, err, sizeof err), 2);
    cr_assert(!memcmp(out.data, "AN\t\xc0-nouveaux\t99\t", 16));
    gl_buf_free(&out);
    gl_buf_free(&t.raw);
}

/* Written, then read back by gl_fec_read: the same entries, in every
 * charset and separator. */
Test(fec_write, read_back_by_the_reader)
{
    static const gl_fec_format formats[] = {{'\t', GL_FEC_OUT_LATIN9},
                                            {'|', GL_FEC_OUT_LATIN9},
                                            {'\t', GL_FEC_OUT_UTF8},
                                            {'|', GL_FEC_OUT_UTF8}};
    gl_line_in l2[3] = {{"606400", "", "", "Fournitures œuvre", GL_SIDE_DEBIT, 10000},
                        {"445660", "", "", "", GL_SIDE_DEBIT, 2000},
                        {"401000", "FOURN01", "Bureau Vallée", "", GL_SIDE_CREDIT, 12000}};
    gl_entry_in ins[2] = {sale("Facture 31 €"),
                          {.tenant = "agiie",
                           .journal = "AC",
                           .piece_ref = "A-7",
                           .label = "Achat",
                           .date = 20250402,
                           .piece_date = 20250401,
                           .line_count = 3,
                           .lines = l2}};
    test_entry t[2];
    for (size_t i = 0; i < 2; i++)
        make_entry(&t[i], &ins[i]);
    for (size_t k = 0; k < sizeof formats / sizeof formats[0]; k++) {
        gl_buf out;
        gl_buf_init(&out);
        char err[256];
        cr_assert_eq(gl_fec_put_header(&out, &formats[k]), GL_FEC_OK);
        for (size_t i = 0; i < 2; i++) {
            gl_fec_entry_meta m = {.fy = 2025, .num = (uint32_t)i + 1, .recorded_ms = RECORDED_MS};
            cr_assert_gt(
                gl_fec_put_entry(&out, &formats[k], &t[i].e, &m, label_of, NULL, err, sizeof err),
                0, "%s", err);
        }
        gl_entry_set set;
        gl_entry_set_init(&set);
        cr_assert_eq(gl_fec_read((const char *)out.data, out.len, "agiie", GL_FEC_ENC_AUTO, &set,
                                 err, sizeof err),
                     0, "format %zu: %s", k, err);
        cr_assert_eq(set.count, 2);
        for (size_t i = 0; i < 2; i++) {
            const gl_entry_in *a = &ins[i], *b = &set.entries[i];
            cr_expect_str_eq(b->journal, a->journal);
            cr_expect_eq(b->date, a->date);
            cr_expect_eq(b->piece_date, a->piece_date);
            cr_expect_str_eq(b->piece_ref, a->piece_ref);
            cr_expect_eq(b->line_count, a->line_count);
            for (size_t l = 0; l < a->line_count; l++) {
                const gl_line_in *x = &a->lines[l], *y = &b->lines[l];
                cr_expect_str_eq(y->account, x->account);
                cr_expect_str_eq(y->aux, x->aux);
                cr_expect_str_eq(y->aux_label, x->aux_label);
                cr_expect_str_eq(y->label, x->label[0] ? x->label : a->label, "format %zu", k);
                cr_expect_eq(y->side, x->side);
                cr_expect_eq(y->amount_cents, x->amount_cents);
            }
        }
        cr_expect_str_eq(gl_entry_set_account_label(&set, "411000"), "Usagers et clients");
        gl_entry_set_free(&set);
        gl_buf_free(&out);
    }
    for (size_t i = 0; i < 2; i++)
        gl_buf_free(&t[i].raw);
}
