/*
 * tests/integration/test_reload.c — a SIGHUP reload may not re-interpret
 * what is stored (issue 11, item 8).  Once a tenant holds anything (an
 * account, an entry, a lock: any event in its chain), a configuration that
 * changes its first_month (the fiscal years its entries are numbered and
 * totalled in) or its SIREN, or drops it, is refused; once the ledger holds
 * anything, so is one that changes the umbrella or a tenant's code (the
 * intercompany totals were kept by code).  The daemon logs `reload:
 * refused: …` with the reason and goes on under the running configuration:
 * the ledger is unchanged, balances read as before, new entries fall in
 * the old fiscal years.  Adding a tenant or a key, revoking a key, renaming
 * a tenant, or changing a tenant that holds nothing yet, still applies.
 */
#include "tests/support/harness.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static harness h;

static void setup(void) { h_setup(&h); }
static void teardown(void) { h_teardown(&h); }

TestSuite(reload, .init = setup, .fini = teardown, .timeout = 60);

static const char *const accounts[] = {"512000", "606100", "411000", "706000"};

/* Replace the first `from` of the configuration file by `to` (atomically),
 * send SIGHUP and wait for the verdict.  True if applied. */
static bool reload_edited(const char *from, const char *to)
{
    char text[16384], tmp[400];
    FILE *f = fopen(h.config, "r");
    cr_assert(f);
    size_t n = fread(text, 1, sizeof text - 1, f);
    fclose(f);
    text[n] = '\0';
    char *at = strstr(text, from);
    cr_assert(at, "'%s' is not in the configuration", from);
    snprintf(tmp, sizeof tmp, "%s.tmp", h.config);
    f = fopen(tmp, "w");
    cr_assert(f);
    fprintf(f, "%.*s%s%s", (int)(at - text), text, to, at + strlen(from));
    cr_assert(fclose(f) == 0);
    cr_assert(rename(tmp, h.config) == 0);
    int applied = h_log_count(&h, "reload: applied"), refused = h_log_count(&h, "reload: refused");
    cr_assert(kill(h.pid, SIGHUP) == 0);
    for (int i = 0; i < 5000; i++) {
        if (h_log_count(&h, "reload: applied") > applied)
            return true;
        if (h_log_count(&h, "reload: refused") > refused)
            return false;
        struct timespec ts = {0, 2000000};
        nanosleep(&ts, NULL);
    }
    cr_assert_fail("grandlivred did not report on the reload within 10 s");
    return false;
}

static void post(const char *tenant, uint32_t date, const char *debit, const char *credit,
                 int64_t cents)
{
    gl_line_in lines[2];
    gl_entry_in e = h_entry2(tenant, date, debit, credit, cents, lines);
    gl_response r;
    cr_assert_eq(h_post(&h, K_ACCOUNTANT, &e, 1, &r), GL_OK);
    gl_response_free(&r);
}

/* The reload with `from` -> `to` is refused with `reason` in the log, and
 * changes nothing. */
static void refused(const char *from, const char *to, const char *reason)
{
    uint8_t before[32], after[32];
    h_digest(&h, before);
    int64_t bank = h_balance(&h, "alpha", "512000", 20251231);
    cr_assert_not(reload_edited(from, to), "the reload '%s' -> '%s' applied", from, to);
    cr_assert_gt(h_log_count(&h, reason), 0, "the log does not say '%s'", reason);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused reload changed the ledger");
    cr_assert_eq(h_balance(&h, "alpha", "512000", 20251231), bank);
    h_write_config(&h); /* the file back as it runs, for the next case */
}

Test(reload, a_new_first_month_for_a_tenant_with_entries_is_refused_and_the_old_one_kept)
{
    h_open_accounts(&h, "alpha", accounts, 4);
    post("alpha", 20250315, "606100", "512000", 1000);
    int64_t charges = h_balance(&h, "alpha", "606100", 20251231);
    cr_assert_eq(charges, 1000);
    uint8_t before[32], after[32];
    h_digest(&h, before);
    cr_assert_not(reload_edited("siren = 111111111\n", "siren = 111111111\nfirst_month = 7\n"));
    cr_assert_eq(
        h_log_count(
            &h,
            "reload: refused: tenant 'alpha' holds records: its first_month cannot change (1 -> 7)"),
        1, "no clear reason in the log");
    cr_assert_eq(h_log_count(&h, "keeping the running configuration"), 1);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "a refused reload changed the ledger");
    /* The trial balance is unchanged, and the old fiscal year still applies:
     * an entry of August 2025 falls in 2025 (January-December), which a
     * July start would have made 2026. */
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), charges);
    post("alpha", 20250801, "606100", "512000", 500);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), charges + 500);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20250731), charges);
    /* A control reload that adds a key applies, on the same file. */
    h.absent[K_STRANGER] = false;
    cr_assert(h_reload(&h), "adding a key was refused");
    cr_assert_eq(h_log_count(&h, "reload: applied"), 1);
    gl_response r;
    cr_assert_eq(h_call(&h, K_STRANGER, GL_KIND_PING, "", 0, NULL, 0, &r), GL_OK);
    gl_response_free(&r);
}

Test(reload, siren_code_umbrella_and_removal_of_a_tenant_with_records_are_refused)
{
    h_open_accounts(&h, "beta", accounts, 4); /* beta holds records, gamma nothing */
    refused("siren = 222222222\n", "siren = 999999999\n",
            "tenant 'beta' holds records: its siren cannot change (222222222 -> 999999999)");
    refused("[tenant beta]\nname = Beta\n", "[tenant beta]\nname = Beta\ncode = BETA2\n",
            "the ledger holds records: tenant 'beta''s code cannot change (BETA -> BETA2)");
    refused("[tenant gamma]\nname = Gamma\n", "[tenant gamma]\nname = Gamma\ncode = GAMMA2\n",
            "tenant 'gamma''s code cannot change (GAMMA -> GAMMA2)");
    refused("umbrella = alpha\n", "umbrella = gamma\n",
            "the ledger holds records: the group's umbrella cannot change (alpha -> gamma)");
    refused("[group]\numbrella = alpha\n", "",
            "the group's umbrella cannot change (alpha -> none)");
    h.absent[K_BETA] = true; /* its member key goes with it */
    h_write_config(&h);
    refused("[tenant beta]\nname = Beta\nsiren = 222222222\n", "",
            "tenant 'beta' holds records: it cannot leave the configuration");
}

Test(reload, what_does_not_reinterpret_records_still_applies)
{
    h_open_accounts(&h, "alpha", accounts, 4);
    post("alpha", 20250315, "606100", "512000", 1000);
    /* gamma holds nothing yet: its fiscal year may still move; alpha may
     * be renamed; a tenant and a key may be added and a key revoked. */
    cr_assert(reload_edited("first_month = 7\n", "first_month = 1\n"),
              "gamma (no records) was refused");
    cr_assert(reload_edited("name = Alpha\n", "name = Alpha renamed\n"), "a new name was refused");
    snprintf(h.extra_config, sizeof h.extra_config,
             "\n[tenant delta]\nname = Delta\nsiren = 444444444\n");
    h.revoked[K_BETA] = true;
    cr_assert(h_reload(&h), "adding a tenant and revoking a key was refused");
    cr_assert_eq(h_log_count(&h, "reload: refused"), 0);
    cr_assert_eq(h_balance(&h, "alpha", "606100", 20251231), 1000);
}
