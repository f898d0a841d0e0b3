/*
 * tests/unit/test_fec_stream.c — the FEC reader in bounded memory
 * (client/fec/fec_read.c over client/fec/spool.c): which fault is reported
 * when a file has several (the first line at fault in file order, a line
 * that does not fit its entry counting as a line's fault; failing any, the
 * first invalid entry in order of first appearance), a file large enough
 * for every spool to spill runs to disk read back whole and in order, and
 * gl_fec_open's own view: digest, accounts with the first entry using
 * them, lettered lines in (account, aux, code) order; a $TMPDIR that
 * cannot be used is error 963 spool.
 */
#include "client/fec/fec_read.h"
#include "proto/limits.h"

#include <criterion/criterion.h>

#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"

/* One line: journal j, number num, date, account, debit, credit, letter. */
#define L(j, num, date, acct, debit, credit, let)                                          \
    j "\tJ\t" num "\t" date "\t" acct "\tLib " acct "\t\t\tP" num "\t" date "\tLabel " num \
      "\t" debit "\t" credit "\t" let "\t\t\t\t\n"

static char err[256];

static int read_text(const char *text, gl_entry_set *s)
{
    err[0] = '\0';
    return gl_fec_read(text, strlen(text), "agiie", GL_FEC_ENC_AUTO, s, err, sizeof err);
}

static void refused_with(const char *text, const char *want)
{
    gl_entry_set s;
    gl_entry_set_init(&s);
    cr_assert_eq(read_text(text, &s), -1, "accepted, wanted \"%s\"", want);
    cr_assert(strncmp(err, want, strlen(want)) == 0, "got \"%s\", wanted \"%s\"", err, want);
    cr_assert_eq(s.count, 0);
    gl_entry_set_free(&s);
}

Test(fec_stream, a_line_at_odds_with_its_entry_before_a_bad_line_is_the_one_reported)
{
    refused_with(HEADER L("VT", "1", "20250105", "411000", "1,00", "0,00", "")
                     L("VT", "1", "20250106", "706000", "0,00", "1,00", "") /* line 3 */
                 L("VT", "2", "20250105", "411000", "x", "0,00", ""),       /* line 4 */
                 "line 3: EcritureDate differs from line 2 of entry VT/1");
}

Test(fec_stream, a_bad_line_before_a_line_at_odds_with_its_entry_is_the_one_reported)
{
    refused_with(HEADER L("VT", "1", "20250105", "411000", "1,00", "0,00", "")
                     L("VT", "2", "20250105", "411000", "x", "0,00", "") /* line 3 */
                 L("VT", "1", "20250106", "706000", "0,00", "1,00", ""), /* line 4 */
                 "line 3: Debit 'x'");
}

Test(fec_stream, a_bad_line_wins_over_an_earlier_invalid_entry)
{
    refused_with(HEADER L("VT", "1", "20250105", "411000", "1,00", "0,00", "")
                     L("VT", "1", "20250105", "706000", "0,00", "2,00", "") /* unbalanced */
                 L("VT", "2", "20250105", "411000", "1,00", "0,00", "")
                     L("VT", "2", "20250105", "706000", "0,00", "1,00", "")
                         L("VT", "3", "2025013x", "706000", "0,00", "1,00", ""), /* line 6 */
                 "line 6: EcritureDate");
}

Test(fec_stream, of_two_invalid_entries_the_first_to_appear_is_reported_not_the_first_sorted)
{
    /* VT/2 appears first; AC/1 sorts first (journal, number) */
    refused_with(HEADER L("VT", "2", "20250105", "411000", "1,00", "0,00", "")
                     L("AC", "1", "20250105", "401000", "0,00", "3,00", "")
                         L("VT", "2", "20250105", "706000", "0,00", "2,00", "")
                             L("AC", "1", "20250105", "606000", "1,00", "0,00", ""),
                 "line 2: entry VT/2: ");
}

/* The n-entry file: two lines an entry, interleaved (every first line, then
 * every second) when asked; each entry's second line lettered "A<n % 7>"
 * on 706000. */
static char *big_file(size_t n, bool interleaved, size_t *len)
{
    size_t cap = 200 + n * 2 * 160;
    char *text = malloc(cap);
    cr_assert(text);
    size_t o = (size_t)snprintf(text, cap, "%s", HEADER);
    for (int pass = 0; pass < 2; pass++)
        for (size_t i = 1; i <= n; i++)
            for (int side = 0; side < 2; side++) {
                if (interleaved ? side != pass : pass == 1)
                    continue;
                unsigned day = 1 + (unsigned)(i % 28);
                o += (size_t)snprintf(
                    text + o, cap - o,
                    "VT\tJ\t%zu\t202503%02u\t%s\tLib\t\t\tP%zu\t202503%02u\tLabel %zu\t%s\t%s\t%s\t\t\t\t\n",
                    i, day, side ? "706000" : "411000", i, day, i, side ? "0,00" : "12,34",
                    side ? "12,34" : "0,00", side ? (i % 7 ? "A1" : "A2") : "");
            }
    *len = o;
    return text;
}

Test(fec_stream, a_file_past_every_spools_memory_is_read_back_whole_and_in_order, .timeout = 120)
{
    size_t n = 30000, len;
    char *text = big_file(n, true, &len);
    FILE *f = fmemopen(text, len, "rb");
    cr_assert(f);
    gl_fec_reader *r;
    gl_fec_run_bytes(256 * 1024); /* tens of runs in each spool */
    int rc = gl_fec_open(f, "agiie", GL_FEC_ENC_AUTO, &r, err, sizeof err);
    gl_fec_run_bytes(0);
    cr_assert_eq(rc, 0, "%s", err);
    fclose(f);
    cr_assert_eq(gl_fec_count(r), n);
    uint8_t digest[32];
    crypto_generichash(digest, sizeof digest, (const unsigned char *)text, len, NULL, 0);
    cr_assert(!memcmp(digest, gl_fec_digest(r), 32), "not the file's digest");
    const gl_entry_set *acc = gl_fec_accounts(r);
    cr_assert_eq(acc->account_count, 2);
    cr_assert_str_eq(acc->accounts[0].account, "411000");
    cr_assert_eq(gl_fec_account_entry_line(r, 0), 2);
    cr_assert_eq(gl_fec_account_entry_line(r, 1), 2);
    cr_assert_eq(gl_fec_first_date(r), 20250301);
    gl_fec_item it;
    size_t i = 0;
    int more;
    while ((more = gl_fec_next(r, &it)) == 1) {
        i++;
        char piece[32];
        snprintf(piece, sizeof piece, "P%zu", i);
        cr_assert_str_eq(it.entry.piece_ref, piece);
        cr_assert_eq(it.source_line, i + 1); /* each entry's first line */
        cr_assert_eq(it.entry.line_count, 2);
        cr_assert_str_eq(it.entry.lines[1].account, "706000");
        cr_assert_eq(it.entry.lines[1].amount_cents, 1234);
        cr_assert_str_eq(it.let[1], i % 7 ? "A1" : "A2");
    }
    cr_assert_eq(more, 0);
    cr_assert_eq(i, n);
    gl_fec_let_line l;
    size_t letters = 0, a2 = 0;
    size_t last_entry = 0;
    while ((more = gl_fec_next_letter(r, &l)) == 1) {
        cr_assert_str_eq(l.account, "706000");
        if (!strcmp(l.code, "A2")) {
            a2++;
        } else {
            cr_assert_eq(a2, 0, "A1 after A2"); /* by code, then entry */
            cr_assert(letters == 0 || l.entry > last_entry);
        }
        last_entry = l.entry;
        cr_assert_eq(l.line, 2);
        cr_assert_eq(l.source_line, l.entry + 2);
        letters++;
    }
    cr_assert_eq(more, 0);
    cr_assert_eq(letters, n);
    cr_assert_eq(a2, n / 7);
    gl_fec_close(r);
    free(text);
}

Test(fec_stream, a_fault_is_found_the_same_when_the_spools_spill)
{
    size_t len;
    char *text = big_file(20000, true, &len);
    /* the 15,000th entry's second line, near the end, unbalances it */
    char *p = strstr(text, "\t15000\t202503");
    p = strstr(p + 1, "\t15000\t202503");
    cr_assert(p);
    p = strstr(p, "12,34\t");
    cr_assert(p);
    memcpy(p, "12,35", 5);
    gl_entry_set s;
    gl_entry_set_init(&s);
    gl_fec_run_bytes(64 * 1024);
    int rc = gl_fec_read(text, len, "agiie", GL_FEC_ENC_AUTO, &s, err, sizeof err);
    gl_fec_run_bytes(0);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "line 15001: entry VT/15000: "), "%s", err);
    cr_assert_eq(s.count, 0);
    free(text);
}

Test(fec_stream, interleaved_lines_give_the_entries_of_the_sorted_file, .timeout = 60)
{
    size_t len_a, len_b;
    char *a = big_file(2000, false, &len_a), *b = big_file(2000, true, &len_b);
    gl_entry_set sa, sb;
    gl_entry_set_init(&sa);
    gl_entry_set_init(&sb);
    cr_assert_eq(gl_fec_read(a, len_a, "agiie", GL_FEC_ENC_AUTO, &sa, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(gl_fec_read(b, len_b, "agiie", GL_FEC_ENC_AUTO, &sb, err, sizeof err), 0, "%s",
                 err);
    cr_assert_eq(sa.count, sb.count);
    for (size_t i = 0; i < sa.count; i++) {
        cr_assert_str_eq(sa.entries[i].piece_ref, sb.entries[i].piece_ref);
        cr_assert_eq(sa.entries[i].line_count, sb.entries[i].line_count);
        for (size_t k = 0; k < sa.entries[i].line_count; k++)
            cr_assert_str_eq(sa.entries[i].lines[k].account, sb.entries[i].lines[k].account);
    }
    cr_assert_eq(sa.letter_count, sb.letter_count);
    gl_entry_set_free(&sa);
    gl_entry_set_free(&sb);
    free(a);
    free(b);
}

Test(fec_stream, a_temporary_directory_that_is_missing_is_error_963)
{
    size_t len;
    char *text = big_file(5000, true, &len);
    const char *old = getenv("TMPDIR");
    char *saved = old ? strdup(old) : NULL;
    setenv("TMPDIR", "/nonexistent-gl-spool-dir", 1);
    gl_entry_set s;
    gl_entry_set_init(&s);
    gl_fec_run_bytes(16 * 1024); /* the lines spool spills at once */
    int rc = gl_fec_read(text, len, "agiie", GL_FEC_ENC_AUTO, &s, err, sizeof err);
    gl_fec_run_bytes(0);
    if (saved)
        setenv("TMPDIR", saved, 1);
    else
        unsetenv("TMPDIR");
    free(saved);
    cr_assert_eq(rc, -1);
    cr_assert(strstr(err, "error 963 spool: ") && strstr(err, "/nonexistent-gl-spool-dir"), "%s",
              err);
    cr_assert_eq(s.count, 0);
    free(text);
}
