/*
 * tests/integration/test_assets_cli.c — issue 20, `grandlivre assets` and
 * `grandlivre depreciation` against a real daemon: add, list, show the
 * plan (csv), import the generated year's JSON file; the depreciation's
 * entries shown first, refused without confirmation (989, nothing sent),
 * posted with --yes, refused the second time (604); a disposal shown and
 * posted.
 */
#include "tests/integration/asset_support.h"
#include "tests/integration/bank_support.h"

#include <criterion/criterion.h>
#include <pty.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    as_open_accounts(&h, "alpha");
}
static void teardown(void) { h_teardown(&h); }
TestSuite(assets_cli, .init = setup, .fini = teardown, .timeout = 240);

static char out[16384], err[8192];

static int run(const char *args)
{
    h_cli_err(&h, err, sizeof err);
    int rc = h_cli(&h, K_ACCOUNTANT, out, sizeof out, "%s", args);
    h_cli_err(&h, err, sizeof err);
    return rc;
}

static void ok(const char *args)
{
    int rc = run(args);
    cr_assert_eq(rc, 0, "%s: exit %d\n%s%s", args, rc, out, err);
}

#define ADD                                                                                        \
    "assets add ordi-1 --tenant alpha --account 218300 --label Ordinateurs --acquired 2025-07-01 " \
    "--cost 3600,00 --life 36 --grant-account 131000 --grant 1800,00"

Test(assets_cli, add_list_show_depreciate_and_dispose)
{
    ok(ADD);
    ok("assets list --tenant alpha --format csv");
    cr_expect(strstr(out, "ORDI-1"), "%s", out);
    ok("assets show ORDI-1 --tenant alpha --format csv");
    cr_expect(strstr(out, "2025") && strstr(out, "600.00") && strstr(out, "1200.00"), "%s", out);
    uint8_t before[32];
    h_digest(&h, before);
    cr_expect_eq(run("depreciation --tenant alpha --through 2026-06"), 1, "%s%s", out, err);
    cr_expect(strstr(out, "DOT-2025-12") && strstr(out, "681100"), "%s", out);
    cr_expect(strstr(err, "not confirmed"), "%s", err);
    bk_unchanged(&h, before, "depreciation without --yes");
    ok("depreciation --tenant alpha --through 2026-06 --yes");
    cr_expect(strstr(out, "DOT-2026-06") && strstr(out, "139100"), "%s", out);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000);
    h_digest(&h, before);
    cr_expect_eq(run("depreciation --tenant alpha --through 2026-06 --yes"), 1, "%s%s", out, err);
    cr_expect(strstr(err, "never posted twice"), "%s", err);
    bk_unchanged(&h, before, "depreciation again");
    ok("assets dispose ORDI-1 --tenant alpha --date 2026-09-15 --proceeds 1000,00 "
       "--proceeds-account 512000 --yes");
    cr_expect(strstr(out, "CES-ORDI-1") && strstr(out, "652000"), "%s", out);
    cr_expect(strstr(out, "D 131000") && strstr(out, "C 139100"), "the grant's accounts closed: %s",
              out);
    cr_expect_eq(h_balance(&h, "alpha", "757000", 20261231), -100000);
    cr_expect_gt(h_verify_chains(&h), 0);
}

Test(assets_cli, import_reads_the_generated_years_file)
{
    char path[400];
    snprintf(path, sizeof path, "%s/assets-alpha-2025.json", h.dir);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(
        "{\"tenant\": \"alpha\", \"year\": 2025, \"first_month\": 1, \"assets\": [\n"
        " {\"code\": \"AGIIE-INFO1\", \"account\": \"218300\", \"label\": \"Ordinateurs\",\n"
        "  \"acquired\": \"2025-05-12\", \"cost_cents\": 384000, \"method\": \"straight\",\n"
        "  \"life_months\": 36, \"start\": \"2025-05-12\", \"residual_cents\": 0,\n"
        "  \"grant_account\": \"\", \"grant_cents\": 0, \"disposal\": \"\",\n"
        "  \"proceeds_cents\": 0, \"proceeds_account\": \"\", \"entry_journal\": \"BQ\",\n"
        "  \"entry_piece\": \"IMMO2025-AGIIE-INFO1\"},\n"
        " {\"code\": \"AGIIE-INFO2\", \"account\": \"218300\", \"label\": \"Serveur\",\n"
        "  \"acquired\": \"2025-10-31\", \"cost_cents\": 297000, \"method\": \"straight\",\n"
        "  \"life_months\": 36, \"start\": \"2025-10-31\", \"residual_cents\": 0,\n"
        "  \"grant_account\": \"\", \"grant_cents\": 0, \"disposal\": \"\",\n"
        "  \"proceeds_cents\": 0, \"proceeds_account\": \"\", \"entry_journal\": \"BQ\",\n"
        "  \"entry_piece\": \"IMMO2025-AGIIE-INFO2\"}]}\n",
        f);
    fclose(f);
    /* the first computer's purchase is in the books (the same piece on
     * another account first: not its acquisition), the server's is not */
    ok("post --tenant alpha --date 2025-05-12 --journal BQ --piece IMMO2025-AGIIE-INFO1 "
       "--label 'Fournisseur' --debit 404000=40,00 --credit 512000=40,00");
    ok("post --tenant alpha --date 2025-05-12 --journal BQ --piece IMMO2025-AGIIE-INFO1 "
       "--label 'Ordinateurs' --debit 218300=3840,00 --credit 512000=3840,00");
    char args[600];
    snprintf(args, sizeof args, "assets import --tenant alpha '%s'", path);
    ok(args);
    cr_expect(strstr(err, "AGIIE-INFO2: no entry BQ IMMO2025-AGIIE-INFO2 debits 218300"), "%s",
              err);
    char list[256];
    cr_assert_eq(as_list_text(&h, K_AUDITOR, "alpha", list, sizeof list), GL_OK);
    cr_expect_str_eq(list, "AGIIE-INFO1:0:0:0;AGIIE-INFO2:0:0:0;");
    /* the register links the first to its purchase, entry 2025/2 */
    gl_response r;
    cr_assert_eq(h_call(&h, K_AUDITOR, GL_KIND_ASSETS, "alpha", 0, NULL, 0, &r), GL_OK);
    gl_assets_iter it;
    gl_asset_state st;
    cr_assert_eq(gl_assets_reply_begin(r.reply.body, r.reply.body_len, &it), GL_OK);
    cr_assert_eq(gl_assets_reply_next(&it, &st), GL_OK);
    cr_expect(st.asset.acq_fy == 2025 && st.asset.acq_num == 2, "%u/%u", st.asset.acq_fy,
              st.asset.acq_num);
    cr_assert_eq(gl_assets_reply_next(&it, &st), GL_OK);
    cr_expect(st.asset.acq_fy == 0 && st.asset.acq_num == 0);
    gl_response_free(&r);
}

/* Under a pseudo-terminal, `depreciation` asks "[o/N]" after showing the
 * entries: "n" posts nothing, "o" posts them. */
static int run_tty(const char *answer, char *got, size_t cap)
{
    char server_key[65] = "", bin[400];
    gl_hex(h.server_pk, 32, server_key);
    snprintf(bin, sizeof bin, "%s/grandlivre", h_build_dir());
    int fd;
    pid_t pid = forkpty(&fd, NULL, NULL, NULL);
    cr_assert_geq(pid, 0);
    if (pid == 0) {
        setenv("XDG_CONFIG_HOME", h.dir, 1);
        setenv("GRANDLIVRE_ENDPOINT", h.endpoint, 1);
        setenv("GRANDLIVRE_KEY", h.key_path[K_ACCOUNTANT], 1);
        setenv("GRANDLIVRE_SERVER_KEY", server_key, 1);
        execl(bin, bin, "depreciation", "--tenant", "alpha", "--through", "2025-12", (char *)NULL);
        _exit(127);
    }
    size_t len = 0;
    bool asked = false;
    for (;;) {
        ssize_t n = read(fd, got + len, cap - 1 - len);
        if (n <= 0)
            break;
        len += (size_t)n;
        got[len] = '\0';
        if (!asked && strstr(got, "[o/N]")) {
            asked = true;
            cr_assert_eq(write(fd, answer, strlen(answer)), (ssize_t)strlen(answer));
        }
    }
    close(fd);
    int status;
    waitpid(pid, &status, 0);
    cr_expect(asked, "no question asked:\n%s", got);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

Test(assets_cli, on_a_terminal_the_question_decides)
{
    ok(ADD);
    char got[8192];
    uint8_t before[32];
    h_digest(&h, before);
    cr_expect_eq(run_tty("n\n", got, sizeof got), 1, "%s", got);
    cr_expect(strstr(got, "DOT-2025-12"), "%s", got);
    bk_unchanged(&h, before, "answered n");
    cr_expect_eq(run_tty("o\n", got, sizeof got), 0, "%s", got);
    cr_expect_eq(h_balance(&h, "alpha", "681100", 20251231), 60000);
}
