/*
 * tests/integration/test_fec_keeps.c — issue 13 item 7: a FEC import keeps
 * what the file says.  Each entry's ValidDate travels in its extension
 * area (type 1, PROTOCOL.md §5.4.1) and comes back from fec export; lines
 * sharing an EcritureLet on one account and aux are lettered under the
 * daemon's codes with the file's DateLet (LETTER's optional date, §5.11),
 * a group that does not sum to zero listed on standard error and left.
 * Refusals: a validation date after today (441), a lettering date after
 * today (442), malformed values (207, 109, 111), each leaving the ledger's
 * digest unchanged.  The round trip runs on a small generated file and on
 * a public sample with lettering and ValidDate
 * (/work/shared/data/fec-samples, read in place; skipped if absent).
 */
#include "tests/support/harness.h"

#include "proto/date.h"
#include "proto/entry.h"
#include "proto/query.h"
#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

static harness h;
static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(fec_keeps, .init = setup, .fini = teardown, .timeout = 300);

#define HEADER                                                                               \
    "JournalCode\tJournalLib\tEcritureNum\tEcritureDate\tCompteNum\tCompteLib\tCompAuxNum\t" \
    "CompAuxLib\tPieceRef\tPieceDate\tEcritureLib\tDebit\tCredit\tEcritureLet\tDateLet\t"    \
    "ValidDate\tMontantdevise\tIdevise\n"
/* One line: journal VT, PieceDate = date. */
#define LINE(num, date, acct, aux, debit, credit, let, datelet, valid)                         \
    "VT\tVentes\t" num "\t" date "\t" acct "\tLib " acct "\t" aux "\t" aux "\tP" num "\t" date \
    "\tVente " num "\t" debit "\t" credit "\t" let "\t" datelet "\t" valid "\t\t\n"

static void write_text(const char *path, const char *text)
{
    FILE *f = fopen(path, "wb");
    cr_assert(f, "%s", path);
    cr_assert_eq(fputs(text, f) >= 0, true);
    cr_assert_eq(fclose(f), 0);
}

static char *read_all(const char *path)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = malloc(1 << 24);
    cr_assert(buf);
    size_t n = fread(buf, 1, (1 << 24) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Run a shell command, its standard output into a malloc'd string. */
static char *run(const char *cmd)
{
    FILE *p = popen(cmd, "r");
    cr_assert(p, "%s", cmd);
    char *buf = malloc(1 << 24);
    cr_assert(buf);
    size_t n = fread(buf, 1, (1 << 24) - 1, p);
    buf[n] = '\0';
    cr_assert_eq(pclose(p), 0, "%s", cmd);
    return buf;
}

/* The CLI's standard error so far (h_cli appends it to DIR/cli.err). */
static char *cli_err(void)
{
    char path[400];
    snprintf(path, sizeof path, "%s/cli.err", h.dir);
    return read_all(path);
}

#define CLI_OK(key, ...) cr_assert_eq(h_cli(&h, key, NULL, 0, __VA_ARGS__), 0, "%s", cli_err())

static void digest_unchanged(const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(&h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

/* The generated file: entries 1-2 lettered AB (they sum to zero), 3-4
 * lettered XY (they do not: 50 against 30), entry 5 without ValidDate. */
static const char small_fec[] =
    HEADER LINE("1", "20250110", "411000", "C1", "100,00", "0,00", "AB", "20250301", "20250210")
        LINE("1", "20250110", "706000", "", "0,00", "100,00", "", "",
             "20250210") LINE("2", "20250120", "512000", "", "100,00", "0,00", "", "", "20250215")
            LINE("2", "20250120", "411000", "C1", "0,00", "100,00", "AB", "20250301", "20250215")
                LINE("3", "20250125", "411000", "C1", "50,00", "0,00", "XY", "20250401", "20250215")
                    LINE("3", "20250125", "706000", "", "0,00", "50,00", "", "", "20250215")
                        LINE("4", "20250126", "512000", "", "30,00", "0,00", "", "", "20250215")
                            LINE("4", "20250126", "411000", "C1", "0,00", "30,00", "XY", "20250401",
                                 "20250215") LINE("5", "20250127", "512000", "", "10,00", "0,00",
                                                  "", "", "")
                                LINE("5", "20250127", "706000", "", "0,00", "10,00", "", "", "");

/* Compare what the original file and the exported files say about
 * lettering and validation (tests/support/fec_groups.py); a line without
 * ValidDate comes back with the day of the import, `today`. */
static void same_groups(const char *original, const char *exported_glob, const char *today)
{
    char cmd[2048], want[400], got[400];
    snprintf(want, sizeof want, "%s/want.txt", h.dir);
    snprintf(got, sizeof got, "%s/got.txt", h.dir);
    snprintf(cmd, sizeof cmd,
             "python3 tests/support/fec_groups.py '%s' | sed 's/ $/ %s/' | sort > '%s'", original,
             today, want);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "python3 tests/support/fec_groups.py %s | sort > '%s'", exported_glob,
             got);
    cr_assert_eq(system(cmd), 0, "%s", cmd);
    snprintf(cmd, sizeof cmd, "test -s '%s' && diff '%s' '%s' | head -20 >&2 && cmp -s '%s' '%s'",
             want, want, got, want, got);
    cr_assert_eq(system(cmd), 0,
                 "the exported FEC does not say what the imported one said (diff on stderr)");
}

static void today_ymd(char out[9])
{
    uint32_t d = gl_date_paris((int64_t)time(NULL) * 1000);
    snprintf(out, 9, "%08u", d);
}

Test(fec_keeps, a_generated_fec_round_trips_lettering_and_validation_dates)
{
    char path[400], dir[400], glob[420], today[9];
    snprintf(path, sizeof path, "%s/small.txt", h.dir);
    snprintf(dir, sizeof dir, "%s/out", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    write_text(path, small_fec);
    CLI_OK(K_ALPHA, "fec import --tenant alpha --open-accounts %s", path);
    char *err = read_all(strcat(strcpy(glob, h.dir), "/cli.err"));
    cr_expect(
        strstr(err, "EcritureLet 'XY' on 411000/C1 not lettered: its lines sum to 20.00, not zero"),
        "%s", err);
    cr_expect(strstr(err, "1 of 2 EcritureLet group(s) lettered"), "%s", err);
    free(err);
    CLI_OK(K_AUDITOR, "fec export --tenant alpha --year 2025 --encoding utf-8 -o %s", dir);
    snprintf(glob, sizeof glob, "%s/*.txt", dir);
    char *fec = run(strcat(strcpy((char[480]){0}, "cat "), glob));
    /* the daemon's code, the file's DateLet, the file's ValidDate */
    cr_expect(
        strstr(
            fec,
            "\t411000\tLib 411000\tC1\tC1\tP1\t20250110\tVente 1\t100,00\t0,00\tA\t20250301\t20250210\t"),
        "%s", fec);
    cr_expect(
        strstr(
            fec,
            "\t411000\tLib 411000\tC1\tC1\tP2\t20250120\tVente 2\t0,00\t100,00\tA\t20250301\t20250215\t"),
        "%s", fec);
    cr_expect(strstr(fec, "\tP3\t20250125\tVente 3\t50,00\t0,00\t\t\t20250215\t"), "%s",
              fec); /* XY left */
    free(fec);
    today_ymd(today);
    same_groups(path, glob, today);
    /* the offline verifier accepts the extension and the dated lettering */
    snprintf(path, sizeof path, "%s/alpha.gla", h.dir);
    CLI_OK(K_AUDITOR, "archive --tenant alpha -o %s", path);
    CLI_OK(K_AUDITOR, "verify %s", path);
    cr_assert_gt(h_verify_chains(&h), 0);
    /* rerunning the import posts nothing and letters nothing twice */
    uint8_t before[32];
    h_digest(&h, before);
    snprintf(path, sizeof path, "%s/small.txt", h.dir);
    CLI_OK(K_ALPHA, "fec import --tenant alpha --open-accounts %s", path);
    digest_unchanged(before, "a rerun import");
}

/* 10 756 lines of fiscal year 2022-04 to 2023-03, 4 334 of them lettered,
 * every ValidDate 20230724.  Its lines end in CR CR LF (the reader sees a
 * stray CR in the last field) and some PieceRef pass 64 bytes: the test
 * imports a copy within the reader's limits, made in its own directory. */
#define SAMPLE "/work/shared/data/fec-samples/neolegal-fr+fec-reader/123456789FEC20500930.txt"

Test(fec_keeps, a_public_sample_round_trips_its_lettering_and_validation_dates, .timeout = 600)
{
    if (access(SAMPLE, R_OK) != 0)
        cr_skip_test("%s is not there", SAMPLE);
    char dir[400], glob[420], copy[400], cmd[1024];
    snprintf(dir, sizeof dir, "%s/out", h.dir);
    cr_assert_eq(mkdir(dir, 0700), 0);
    snprintf(copy, sizeof copy, "%s/sample.txt", h.dir);
    snprintf(cmd, sizeof cmd, "python3 tests/support/fec_groups.py --fit '%s' '%s'", SAMPLE, copy);
    cr_assert_eq(system(cmd), 0);
    CLI_OK(K_ACCOUNTANT, "fec import --tenant alpha --open-accounts %s", copy);
    CLI_OK(K_AUDITOR, "fec export --tenant alpha --year 2022 --encoding utf-8 -o %s", dir);
    CLI_OK(K_AUDITOR, "fec export --tenant alpha --year 2023 --encoding utf-8 -o %s", dir);
    snprintf(glob, sizeof glob, "%s/*.txt", dir);
    same_groups(copy, glob, "");
    char path[400];
    snprintf(path, sizeof path, "%s/alpha.gla", h.dir);
    CLI_OK(K_AUDITOR, "archive --tenant alpha -o %s", path);
    CLI_OK(K_AUDITOR, "verify %s", path);
}

/* ---- refusals ------------------------------------------------------------ */

static const char *const accounts[] = {"411000", "512000", "706000"};

static int post_with_ext(const uint8_t *items, size_t len, int line, gl_response *r)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2("alpha", 20250110, "512000", "706000", 1000, lines);
    gl_ext_in lx[2] = {{0}};
    if (line)
        lx[line - 1] = (gl_ext_in){items, len};
    else
        e.ext = (gl_ext_in){items, len};
    e.line_ext = lx;
    return h_post(&h, K_ACCOUNTANT, &e, 1, r);
}

Test(fec_keeps, a_validation_date_after_today_is_refused_and_changes_nothing)
{
    h_open_accounts(&h, "alpha", accounts, 3);
    uint8_t before[32], item[6];
    h_digest(&h, before);
    gl_response r;
    uint32_t tomorrow = gl_date_paris(((int64_t)time(NULL) + 2 * 86400) * 1000);
    cr_assert_eq(post_with_ext(item, gl_ext_valid_date_put(item, tomorrow), 0, &r),
                 GL_ERR_VALID_DATE_AHEAD);
    cr_expect_eq(r.reply.err_item, 1u);
    gl_response_free(&r);
    digest_unchanged(before, "a validation date after today");
    /* today's is accepted, and ENTRY_GET gives it back in the entry */
    uint32_t today = gl_date_paris((int64_t)time(NULL) * 1000);
    cr_assert_eq(post_with_ext(item, gl_ext_valid_date_put(item, today), 0, &r), GL_OK);
    gl_response_free(&r);
    uint8_t q[6];
    gl_be16(q, 2025);
    gl_be32(q + 2, 1);
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_ENTRY_GET, "alpha", 0, q, sizeof q, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body + 52, r.reply.body_len - 52);
    uint32_t len = gl_get_u32(&c);
    gl_entry e;
    gl_entry_decode(&c, &e);
    cr_assert_eq(gl_cur_status(&c), GL_OK);
    cr_expect_eq(len, e.raw_len);
    cr_expect_eq(gl_entry_valid_date(&e), today);
    gl_response_free(&r);
}

Test(fec_keeps, malformed_validation_dates_are_refused_at_decode_and_change_nothing)
{
    h_open_accounts(&h, "alpha", accounts, 3);
    uint8_t before[32];
    h_digest(&h, before);
    static const uint8_t short3[] = {1, 3, 1, 2, 3},
                         not_a_date[] = {1, 4, 0x01, 0x34, 0xfe, 0x80}; /* 20250304+12 */
    uint8_t good[6];
    gl_ext_valid_date_put(good, 20250110);
    gl_response r;
    cr_expect_eq(post_with_ext(short3, sizeof short3, 0, &r), GL_ERR_BAD_EXTENSION);
    gl_response_free(&r);
    cr_expect_eq(post_with_ext(not_a_date, sizeof not_a_date, 0, &r), GL_ERR_BAD_DATE);
    gl_response_free(&r);
    /* a line's type 1 is open_item (issue 17): a date is not one */
    cr_expect_eq(post_with_ext(good, sizeof good, 1, &r), GL_ERR_BAD_EXTENSION,
                 "type 1 in a line's area");
    gl_response_free(&r);
    static const uint8_t other[] = {2, 0};
    cr_expect_eq(post_with_ext(other, sizeof other, 0, &r), GL_ERR_RESERVED_NONZERO,
                 "undefined types stay refused");
    gl_response_free(&r);
    digest_unchanged(before, "a malformed validation date");
}

static int letter(uint32_t date, gl_response *r)
{
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 2}};
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode_dated(&b, (gl_str){"411000", 6}, (gl_str){"", 0}, refs, 2, date);
    int st = h_call(&h, K_ACCOUNTANT, GL_KIND_LETTER, "alpha", 0, b.data, b.len, r);
    gl_buf_free(&b);
    return st;
}

Test(fec_keeps, a_lettering_date_after_today_or_not_a_date_is_refused_and_changes_nothing)
{
    h_open_accounts(&h, "alpha", accounts, 3);
    gl_line_in l1[2], l2[2];
    gl_entry_in e[2] = {h_entry2("alpha", 20250110, "411000", "706000", 1000, l1),
                        h_entry2("alpha", 20250120, "512000", "411000", 1000, l2)};
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, e, 2, &r), GL_OK);
    gl_response_free(&r);
    uint8_t before[32];
    h_digest(&h, before);
    uint32_t tomorrow = gl_date_paris(((int64_t)time(NULL) + 2 * 86400) * 1000);
    cr_expect_eq(letter(tomorrow, &r), GL_ERR_LETTER_DATE_AHEAD);
    gl_response_free(&r);
    cr_expect_eq(letter(20250230, &r), GL_ERR_BAD_DATE);
    gl_response_free(&r);
    /* a tail that is not four bytes stays trailing_bytes */
    gl_line_ref refs[2] = {{2025, 1, 1}, {2025, 2, 2}};
    gl_buf b;
    gl_buf_init(&b);
    gl_letter_q_encode_dated(&b, (gl_str){"411000", 6}, (gl_str){"", 0}, refs, 2, 20250301);
    gl_put_u8(&b, 0);
    cr_expect_eq(h_call(&h, K_ACCOUNTANT, GL_KIND_LETTER, "alpha", 0, b.data, b.len, &r),
                 GL_ERR_TRAILING_BYTES);
    gl_response_free(&r);
    gl_buf_free(&b);
    digest_unchanged(before, "a refused lettering date");
    /* a past date is kept: the reply and the ledger say it */
    cr_assert_eq(letter(20250301, &r), GL_OK);
    gl_cur c;
    gl_cur_init(&c, r.reply.body, r.reply.body_len);
    gl_str code = gl_get_str8(&c, 4);
    cr_expect_eq(code.len, 1u);
    cr_expect_eq(gl_get_u32(&c), 20250301u);
    gl_response_free(&r);
    cr_assert_gt(h_verify_chains(&h), 0);
    char path[400];
    snprintf(path, sizeof path, "%s/alpha.gla", h.dir);
    CLI_OK(K_AUDITOR, "archive --tenant alpha -o %s", path);
    CLI_OK(K_AUDITOR, "verify %s", path);
}

Test(fec_keeps, a_fec_whose_entry_has_two_validation_dates_is_refused_before_anything_is_posted)
{
    char path[400];
    snprintf(path, sizeof path, "%s/two.txt", h.dir);
    write_text(path,
               HEADER LINE("1", "20250110", "512000", "", "100,00", "0,00", "", "", "20250210")
                   LINE("1", "20250110", "706000", "", "0,00", "100,00", "", "", "20250211"));
    uint8_t before[32];
    h_digest(&h, before);
    cr_assert_eq(h_cli(&h, K_ALPHA, NULL, 0, "fec import --tenant alpha --open-accounts %s", path),
                 2);
    digest_unchanged(before, "a file with two ValidDates in one entry");
    char *err = read_all(strcat(strcpy((char[420]){0}, h.dir), "/cli.err"));
    cr_expect(
        strstr(err, "line 3: entry VT/1: ValidDate 2025-02-11 differs from line 2's (2025-02-10)"),
        "%s", err);
    free(err);
}
