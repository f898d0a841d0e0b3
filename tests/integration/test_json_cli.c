/*
 * tests/integration/test_json_cli.c — issue 14, "--format json either works
 * or is refused on every command": every command of `grandlivre --help`
 * runs, through the real client against a real daemon, on a ledger with
 * entries, lettering, a recharge, dues, a lock and a closed year, with
 * --format json.  Its standard output must then be exactly one JSON
 * document (jansson parses all of it) holding the keys the command's help
 * names, or the command refuses with 975 format_unsupported and exit 2,
 * having done nothing (the ledger's digest unchanged).  The list of
 * commands is read from `grandlivre --help`: a command added to the client
 * without a line here fails json_cli::every_command_of_the_help_is_covered.
 * `entry --format json` gives the whole entry (json_cli::entry_is_the_whole_entry).
 */
#include "tests/support/harness.h"

#include <criterion/criterion.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

static harness h;

static void setup(void)
{
    h_setup(&h);
    char backups[400];
    snprintf(backups, sizeof backups, "%s/backups", h.dir);
    cr_assert(mkdir(backups, 0700) == 0);
    h_stop(&h);
    snprintf(h.daemon_extra, sizeof h.daemon_extra, "backup_dir = %s\n", backups);
    h_write_config(&h);
    h_start(&h);
}

static void teardown(void) { h_teardown(&h); }

TestSuite(json_cli, .init = setup, .fini = teardown, .timeout = 240);

/* What the CLI wrote on stderr since the last call. */
static void last_err(char *out, size_t len) { h_cli_err(&h, out, len); }

static void write_file(const char *name, const char *text)
{
    char path[400];
    snprintf(path, sizeof path, "%s/%s", h.dir, name);
    FILE *f = fopen(path, "w");
    cr_assert(f);
    fputs(text, f);
    fclose(f);
}

/* A command that must succeed (as text) to build the ledger. */
static void ok(enum h_key k, const char *args)
{
    char out[8192], err[8192];
    int rc = h_cli(&h, k, out, sizeof out, "%s", args);
    last_err(err, sizeof err);
    cr_assert_eq(rc, 0, "grandlivre %s: exit %d\n%s%s", args, rc, out, err);
}

/* The ledger the commands run on: alpha (the umbrella), beta and gamma with
 * the 2025 chart; an invoice and its payment in alpha; recharge keys. */
static void books(void)
{
    ok(K_ACCOUNTANT, "accounts load-chart --tenant alpha --year 2025");
    ok(K_ACCOUNTANT, "accounts load-chart --tenant beta --year 2025");
    ok(K_ACCOUNTANT, "accounts load-chart --tenant gamma --year 2025");
    ok(K_ALPHA,
       "post --date 2025-01-15 --journal VT --piece F-001 --label 'Prestation janvier' "
       "--debit 411000:CLI01=1200,00 --credit 706000=1200,00");
    ok(K_ALPHA,
       "post --date 2025-01-20 --journal BQ --piece R-001 --label 'Règlement F-001' "
       "--debit 512000=1200,00 --credit 411000:CLI01=1200,00");
    write_file("keys.csv", "tenant,weight\nbeta,3\ngamma,1\n");
    write_file("dues.csv", "tenant,amount\nbeta,50.00\ngamma,20.00\n");
}

/* Run `grandlivre args --format json` (args may hold %s for h.dir). */
typedef struct run_result {
    int rc;
    char out[1 << 17];
    char err[8192];
} run_result;

static void run_json(enum h_key k, const char *args, run_result *r)
{
    char expanded[2048];
    snprintf(expanded, sizeof expanded, args, h.dir, h.dir);
    r->rc = h_cli(&h, k, r->out, sizeof r->out, "%s --format json", expanded);
    last_err(r->err, sizeof r->err);
}

/* A check that reports and ends the current command's checks, not the
 * test: the test then goes on to the next command, so that one run names
 * every command that fails. */
#define CHECK(cond, ...)               \
    do {                               \
        if (!(cond)) {                 \
            cr_expect(0, __VA_ARGS__); \
            goto done;                 \
        }                              \
    } while (0)

/* stdout is one JSON object or array (nothing after it) whose object, or
 * first element, holds every key of keys (comma-separated; "" any array,
 * even empty). */
static void expect_json(const char *args, const run_result *r, const char *keys)
{
    json_t *doc = NULL;
    CHECK(r->rc == 0, "grandlivre %s --format json: exit %d\n%s", args, r->rc, r->err);
    json_error_t e;
    doc = json_loads(r->out, 0, &e);
    CHECK(doc, "grandlivre %s --format json: not one JSON document (%s, line %d)\n%s", args, e.text,
          e.line, r->out);
    CHECK(json_is_object(doc) || json_is_array(doc), "%s: %s", args, r->out);
    json_t *o = doc;
    if (json_is_array(doc) && !keys[0])
        goto done; /* any array: possibly empty (accounts check of clean books) */
    if (json_is_array(doc)) {
        CHECK(json_array_size(doc) > 0, "grandlivre %s --format json: an empty array", args);
        o = json_array_get(doc, 0);
        CHECK(json_is_object(o), "%s: %s", args, r->out);
    }
    char list[512];
    snprintf(list, sizeof list, "%s", keys);
    char *save = NULL;
    for (char *key = strtok_r(list, ",", &save); key; key = strtok_r(NULL, ",", &save))
        CHECK(json_object_get(o, key), "grandlivre %s --format json: no \"%s\"\n%s", args, key,
              r->out);
done:
    json_decref(doc);
}

/* Refused with 975, exit 2, nothing on stdout and nothing written. */
static void expect_refused(enum h_key k, const char *args)
{
    static run_result r;
    uint8_t before[32], after[32];
    h_digest(&h, before);
    run_json(k, args, &r);
    h_digest(&h, after);
    CHECK(r.rc == 2, "grandlivre %s --format json: exit %d, not 2\n%s%s", args, r.rc, r.out, r.err);
    CHECK(strstr(r.err, "975 format_unsupported"), "%s: %s", args, r.err);
    CHECK(strstr(r.err, "--format json is not available for"), "%s: %s", args, r.err);
    CHECK(r.out[0] == '\0', "%s printed on stdout: %s", args, r.out);
    CHECK(!memcmp(before, after, 32), "%s wrote something though refused", args);
done:
    return;
}

/* One command line: the command's name (as --help lists it), its key, its
 * arguments, and the keys its JSON holds: "" any object or array, NULL
 * refused with 975.  prep runs first, as text (what a refused command
 * would have needed); absent names a file a refused command must not
 * have written. */
typedef struct json_case {
    const char *command;
    enum h_key key;
    const char *args;
    const char *keys;
    const char *prep;
    const char *absent;
} json_case;

/* In the order they run: each may rely on what the ones before wrote. */
static const json_case cases[] = {
    {"keygen", K_ALPHA, "keygen --out '%s/new.key'", "public_key,fingerprint,file", NULL, NULL},
    {"ping", K_ALPHA, "ping",
     "version,key_fingerprint,role,tenant,endpoint,server_key_fingerprint,clock_offset_ms", NULL,
     NULL},
    {"whoami", K_ACCOUNTANT, "whoami",
     "key_fingerprint,key_name,role,tenants,endpoint,server_key_fingerprint,ledger_id,"
     "clock_offset_ms",
     NULL, NULL},
    {"accounts", K_ALPHA, "accounts list --tenant alpha", "account,label", NULL, NULL},
    {"accounts", K_ACCOUNTANT, "accounts check --tenant alpha --year 2025", "", NULL, NULL},
    {"accounts", K_ACCOUNTANT, "accounts open --tenant alpha 471100 'Attente'",
     "tenant,opened,already_open", NULL, NULL},
    {"accounts", K_ACCOUNTANT, "accounts label --tenant alpha 471100 'Compte d attente'",
     "tenant,account,label,changed", NULL, NULL},
    {"post", K_ALPHA,
     "post --date 2025-02-03 --journal AC --piece F-031 --label Fournitures "
     "--debit 606400=120,50 --credit 401000:FOURN01=120,50",
     "entry,tenant,date,journal,label", NULL, NULL},
    {"post", K_ALPHA,
     "post --dry-run --tenant alpha --date 2025-02-04 --journal AC --piece F-032 --label Fournitures "
     "--debit 606400=10 --credit 401000:FOURN01=10",
     "date,journal,label", NULL, NULL},
    {"accounts", K_ACCOUNTANT, "accounts load-chart --tenant gamma --year 2025",
     "tenant,opened,already_open", NULL, NULL},
    {"balance", K_ALPHA, "balance --tenant alpha --at 2025-12-31", "account,debit,credit", NULL,
     NULL},
    {"journal", K_ALPHA, "journal --tenant alpha --from 2025-01-01 --to 2025-12-31",
     "date,journal,account", NULL, NULL},
    {"ledger", K_ALPHA, "ledger --tenant alpha --account 411000", "date,debit,credit", NULL, NULL},
    {"entry", K_ALPHA, "entry --tenant alpha 2025/1", "entry,date,journal,lines,signer,recorded",
     NULL, NULL},
    {"letter", K_ALPHA, "letter --tenant alpha --account 411000 --aux CLI01 2025/1:1 2025/2:2",
     "account,aux,code,date", NULL, NULL},
    {"unletter", K_ALPHA, "unletter --tenant alpha --account 411000 A", "account,code,lines", NULL,
     NULL},
    {"reverse", K_ALPHA, "reverse --tenant alpha 2025/3", "entry,tenant,date", NULL, NULL},
    {"recharge", K_ACCOUNTANT, "recharge keys set --version 1 --file '%s/keys.csv'",
     "version,members", NULL, NULL},
    {"recharge", K_ACCOUNTANT, "recharge keys show --version 1", "version,used,tenant,weight", NULL,
     NULL},
    {"recharge", K_ACCOUNTANT, "recharge --period 2025-01 --amount 100.00 --keys-version 1",
     "tenant,entry,fy,num", NULL, NULL},
    {"dues", K_ACCOUNTANT, "dues --year 2025 --file '%s/dues.csv'", "tenant,entry,fy,num", NULL,
     NULL},
    {"lock", K_ACCOUNTANT, "lock --yes --tenant beta --through 2025-12",
     "tenant,locked_through,previous", NULL, NULL},
    {"periods", K_ACCOUNTANT, "periods --tenant beta", "year,state", NULL, NULL},
    {"close-year", K_ACCOUNTANT, "close-year --tenant beta --year 2025",
     "tenant,year,result,result_account,result_entry,opening_entry", NULL, NULL},
    {"appropriate", K_ACCOUNTANT, "appropriate --tenant beta --year 2025 --to 119000",
     "entry,tenant,date", NULL, NULL},
    {"statements", K_AUDITOR, "statements --tenant alpha --year 2025", "", NULL, NULL},
    {"annexe", K_AUDITOR, "annexe --tenant alpha --year 2025 -o '%s/annexe.html'", NULL, NULL,
     "annexe.html"},
    {"group", K_AUDITOR, "group balance --at 2025-12-31", "account,label,combined", NULL, NULL},
    {"group", K_AUDITOR, "group statements --at 2025-12-31", "", NULL, NULL},
    {"group", K_AUDITOR, "group reconcile --at 2025-12-31", "entity,partner,status", NULL, NULL},
    {"stats", K_ACCOUNTANT, "stats", "kind,count", NULL, NULL},
    {"backup", K_ACCOUNTANT, "backup json.mdb", "file", NULL, NULL},
    {"export", K_AUDITOR, "export hledger --tenant alpha -o '%s/alpha.journal'", NULL, NULL,
     "alpha.journal"},
    {"fec", K_AUDITOR, "fec export --tenant alpha --year 2025 -o '%s/fec'", NULL, NULL, "fec"},
    {"archive", K_AUDITOR, "archive --tenant alpha -o '%s/alpha.glar'", NULL, NULL, "alpha.glar"},
    {"verify", K_AUDITOR, "verify '%s/alpha.glar'", NULL,
     "archive --tenant alpha -o '%s/alpha.glar'", NULL},
    {"config", K_ALPHA, "config show", "setting,value,source", NULL, NULL},
    {"web", K_ALPHA, "web", NULL, NULL, NULL},
    {"third-parties", K_ALPHA, "third-parties list --tenant alpha",
     "code,name,kind,collective,source", NULL, NULL},
    {"third-parties", K_ALPHA,
     "third-parties add --tenant alpha EDF --name EDF --collective 401000", NULL, NULL, NULL},
    {"receivables", K_ALPHA, "receivables --tenant alpha --at 2025-12-31", "", NULL, NULL},
    {"reminders", K_ALPHA, "reminders --tenant alpha --at 2025-12-31", "", NULL, NULL},
    {"impairment", K_ACCOUNTANT, "impairment --tenant alpha --at 2025-12-31", "", NULL, NULL},
    {"bank", K_ALPHA, "bank account list --tenant alpha", "", NULL, NULL},
    {"bank", K_ALPHA, "bank account set --tenant alpha --account 512000 --iban X", NULL, NULL,
     NULL},
    {"bank", K_ACCOUNTANT, "bank report --tenant alpha --account 512000 --at 2025-12-31",
     "account,at,statement_balance_cents,books_balance_cents,difference_cents",
     "bank account set --tenant alpha --account 512000 --iban FR7630006000011234567890189", NULL},
    {"bank", K_ALPHA, "bank status --tenant alpha", "account,last_statement,opening_difference",
     NULL, NULL},
    {"analytic", K_ALPHA, "analytic axis open action --tenant alpha --label Actions", NULL, NULL,
     NULL},
    {"analytic", K_ALPHA, "analytic axes --tenant alpha", "axis,code,state,label,required_on",
     "analytic axis open action --tenant alpha --label Actions", NULL},
    {"analytic", K_ALPHA, "analytic balance --axis action --tenant alpha --year 2025",
     "code,label,account,debit,credit,balance", NULL, NULL},
    {"analytic", K_ALPHA, "analytic ledger --axis action --code ACT1 --tenant alpha", "",
     "analytic code open action ACT1 --tenant alpha --label Action", NULL},
    {"analytic", K_ALPHA, "analytic allocate '%s/alloc.csv' --tenant alpha", NULL, NULL, NULL},
    {"timesheets", K_ALPHA, "timesheets show --tenant alpha --year 2026", "", NULL, NULL},
    {"timesheets", K_ALPHA, "timesheets set --tenant alpha EMP1 2026-03 FSE=1", NULL, NULL, NULL},
    {"staff-costs", K_ALPHA, "staff-costs --tenant alpha --year 2026", "", NULL, NULL},
    /* a write that prints a sentence: refused before the file is read */
    {"payroll", K_ACCOUNTANT, "payroll import --tenant alpha '%s/no-such-paie.csv'", NULL, NULL,
     NULL},
    {"grants", K_ALPHA, "grants delete G1 --tenant alpha", NULL,
     "analytic axis open financeur --tenant alpha --label Financeurs", NULL},
    {"grants", K_ALPHA,
     "grants set G2 --tenant alpha --label L --funder FSE --action ACT1 --account 741000 "
     "--amount 10 --from 2025-01-01 --to 2025-12-31",
     NULL, "analytic code open financeur FSE --tenant alpha --label FSE", NULL},
    {"grants", K_ALPHA, "grants list --tenant alpha",
     "code,label,funder,action,account,amount,from,to,dedicated,fse,flat_rate",
     "grants set G1 --tenant alpha --label Subvention --funder FSE --action ACT1 --account 741000 "
     "--amount 1000 --from 2025-01-01 --to 2025-12-31",
     NULL},
    {"budget", K_ALPHA, "budget set ACT1 --year 2025 --tenant alpha 60=1", NULL, NULL, NULL},
    {"budget", K_ALPHA, "budget import '%s/budget.csv' --year 2025 --tenant alpha", NULL, NULL,
     NULL},
    {"budget", K_ALPHA, "budget show --tenant alpha", "action,fy,version,recorded,group,amount",
     "budget set ACT1 --year 2025 --tenant alpha 60=100 74=200", NULL},
    {"dedicated-funds", K_ALPHA, "dedicated-funds --year 2025 --tenant alpha",
     "grant,label,funder,action,account,granted,charges,used_of_year,at_opening,reports,uses,"
     "transfers,at_closing,state",
     "grants set G3 --tenant alpha --label Projet --funder FSE --action ACT1 --account 741000 "
     "--amount 100 --from 2025-01-01 --to 2025-12-31 --dedicated",
     NULL},
    /* the funders' reports, on G1 and ACT1's budget above */
    {"fse-report", K_ALPHA, "fse-report --tenant alpha --grant G1", "section,item,amount", NULL,
     NULL},
    {"grant-report", K_ALPHA, "grant-report --tenant alpha --grant G1",
     "side,heading,label,planned,actual,variance,percent", NULL, NULL},
    {"budget", K_ALPHA, "budget compare --tenant alpha --year 2025",
     "action,version,group,budget,actual,variance,percent", NULL, NULL},
    /* issue 20: the register and the plan; the writes print sentences */
    {"assets", K_ALPHA, "assets list --tenant alpha",
     "code,account,label,acquired,cost,method,life_months,start,residual,grant_account,grant,"
     "through,disposed,proceeds",
     "assets add ORDI-1 --tenant alpha --account 218300 --label Ordinateurs --acquired 2025-07-01 "
     "--cost 3600 --life 36",
     NULL},
    {"assets", K_ALPHA, "assets show ORDI-1 --tenant alpha",
     "fiscal_year,gross,charge,cumulated,net_book_value,grant_taken", NULL, NULL},
    {"assets", K_ALPHA, "assets dispose ORDI-1 --tenant alpha --date 2025-09-30 --yes", NULL, NULL,
     NULL},
    {"depreciation", K_ALPHA, "depreciation --tenant alpha --through 2025-12 --yes", NULL, NULL,
     NULL},
};
#define CASES (sizeof cases / sizeof cases[0])

Test(json_cli, every_command_prints_one_json_document_or_refuses)
{
    books();
    static run_result r;
    for (size_t i = 0; i < CASES; i++) {
        const json_case *t = &cases[i];
        if (t->prep) {
            char prep[1024];
            snprintf(prep, sizeof prep, t->prep, h.dir);
            ok(t->key, prep);
        }
        if (!t->keys) {
            expect_refused(t->key, t->args);
        } else {
            run_json(t->key, t->args, &r);
            expect_json(t->args, &r, t->keys);
        }
        if (t->absent) {
            char path[600];
            struct stat sb;
            snprintf(path, sizeof path, "%s/%s", h.dir, t->absent);
            cr_expect(stat(path, &sb) != 0, "%s written though refused", path);
        }
    }
}

/* The names `grandlivre --help` lists under "Commands:". */
static size_t help_commands(char names[][32], size_t max)
{
    static char out[16384];
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "--help"), 0);
    const char *p = strstr(out, "Commands:\n");
    cr_assert(p, "no Commands: in grandlivre --help");
    p += strlen("Commands:\n");
    size_t n = 0;
    while (p[0] == ' ' && p[1] == ' ' && p[2] != ' ') {
        size_t len = strcspn(p + 2, " \n");
        cr_assert_lt(n, max);
        cr_assert_lt(len, 32);
        memcpy(names[n], p + 2, len);
        names[n++][len] = '\0';
        p = strchr(p, '\n');
        cr_assert(p);
        p++;
    }
    return n;
}

Test(json_cli, every_command_of_the_help_is_covered)
{
    char names[64][32];
    size_t n = help_commands(names, 64);
    cr_assert_geq(n, 20, "only %zu commands read from grandlivre --help", n);
    for (size_t i = 0; i < n; i++) {
        bool covered = false;
        for (size_t j = 0; j < CASES && !covered; j++)
            covered = !strcmp(names[i], cases[j].command);
        cr_expect(covered,
                  "grandlivre %s is not in test_json_cli.c's cases: say what --format json "
                  "does for it (JSON with its keys, or refused with 975)",
                  names[i]);
    }
}

/* Member of object o, which must be there. */
static json_t *member(json_t *o, const char *key)
{
    json_t *v = json_object_get(o, key);
    cr_assert(v, "no \"%s\"", key);
    return v;
}

static void expect_str(json_t *o, const char *key, const char *want)
{
    json_t *v = member(o, key);
    cr_assert(json_is_string(v), "\"%s\" is no string", key);
    cr_assert_str_eq(json_string_value(v), want, "\"%s\"", key);
}

static void expect_int(json_t *o, const char *key, json_int_t want)
{
    json_t *v = member(o, key);
    cr_assert(json_is_integer(v), "\"%s\" is no integer", key);
    cr_assert_eq(json_integer_value(v), want, "\"%s\": %lld, not %lld", key,
                 (long long)json_integer_value(v), (long long)want);
}

static json_t *entry_json(const char *ref)
{
    static run_result r;
    char args[128];
    snprintf(args, sizeof args, "entry --tenant alpha %s", ref);
    run_json(K_AUDITOR, args, &r);
    cr_assert_eq(r.rc, 0, "%s", r.err);
    json_error_t e;
    json_t *doc = json_loads(r.out, 0, &e);
    cr_assert(doc && json_is_object(doc), "entry %s --format json: %s\n%s", ref, e.text, r.out);
    return doc;
}

Test(json_cli, entry_is_the_whole_entry)
{
    books();
    ok(K_ALPHA, "letter --tenant alpha --account 411000 --aux CLI01 2025/1:1 2025/2:2");
    ok(K_ACCOUNTANT, "reverse --tenant alpha 2025/2 --date 2025-01-25");
    /* 2025/4 carries a validation date (ValidDate) in its extension area */
    gl_line_in l[2];
    gl_entry_in e = h_entry2("alpha", 20250110, "606100", "512000", 1234, l);
    uint8_t item[2 + GL_EXT_VALID_DATE_LEN];
    e.ext = (gl_ext_in){item, gl_ext_valid_date_put(item, 20250112)};
    gl_response resp;
    int64_t before_ms = (int64_t)time(NULL) * 1000;
    cr_assert_eq(h_post(&h, K_ALPHA, &e, 1, &resp), GL_OK);
    gl_response_free(&resp);

    json_t *o = entry_json("2025/1");
    char fp[GL_FINGERPRINT_LEN], hex[65];
    gl_fingerprint(h.keys[K_ALPHA].pk, fp);
    gl_hex(h.keys[K_ALPHA].pk, 32, hex);
    expect_str(o, "tenant", "alpha");
    expect_str(o, "entry", "2025/1");
    expect_int(o, "fy", 2025);
    expect_int(o, "num", 1);
    expect_str(o, "date", "2025-01-15");
    expect_str(o, "journal", "VT");
    expect_str(o, "piece", "F-001");
    expect_str(o, "piece_date", "2025-01-15");
    expect_str(o, "label", "Prestation janvier");
    cr_assert(json_is_false(member(o, "result_closing")));
    cr_assert(json_is_false(member(o, "opening")));
    cr_assert(json_is_null(member(o, "reverses")));
    cr_assert(json_is_null(member(o, "reversed_by")));
    cr_assert(json_is_null(member(o, "valid_date")));
    expect_str(o, "signer", fp);
    expect_str(o, "signer_key", hex);
    json_t *recorded = member(o, "recorded");
    cr_assert(json_is_string(recorded));
    const char *iso = json_string_value(recorded);
    cr_assert_eq(strlen(iso), 24, "%s", iso); /* 2026-12-05T07:01:59.123Z */
    cr_assert(iso[4] == '-' && iso[10] == 'T' && iso[19] == '.' && iso[23] == 'Z', "%s", iso);
    json_int_t ms = json_integer_value(member(o, "recorded_ms"));
    cr_assert(ms > 1700000000000LL && ms <= before_ms + 1000, "recorded_ms %lld", (long long)ms);
    json_t *lines = member(o, "lines");
    cr_assert(json_is_array(lines) && json_array_size(lines) == 2);
    json_t *l1 = json_array_get(lines, 0), *l2 = json_array_get(lines, 1);
    expect_int(l1, "line", 1);
    expect_str(l1, "ref", "2025/1:1");
    expect_str(l1, "account", "411000");
    expect_str(l1, "aux", "CLI01");
    expect_str(l1, "label", "Prestation janvier");
    expect_str(l1, "side", "debit");
    expect_int(l1, "amount", 120000);
    expect_int(l1, "debit", 120000);
    expect_int(l1, "credit", 0);
    expect_str(l1, "letter", "A");
    expect_str(l2, "ref", "2025/1:2");
    expect_str(l2, "account", "706000");
    expect_str(l2, "side", "credit");
    expect_int(l2, "amount", 120000);
    expect_int(l2, "credit", 120000);
    expect_str(l2, "letter", "");
    json_decref(o);

    /* the reversal links, both ways */
    o = entry_json("2025/2");
    expect_str(o, "reversed_by", "2025/3");
    json_decref(o);
    o = entry_json("2025/3");
    expect_str(o, "reverses", "2025/2");
    char acc_fp[GL_FINGERPRINT_LEN];
    gl_fingerprint(h.keys[K_ACCOUNTANT].pk, acc_fp);
    expect_str(o, "signer", acc_fp);
    json_decref(o);

    o = entry_json("2025/4");
    expect_str(o, "valid_date", "2025-01-12");
    json_decref(o);
}

/* --format json is refused before anything is done, whatever the command
 * would have written; a refusal names the format and the command. */
Test(json_cli, a_refused_format_writes_nothing_and_says_why)
{
    books();
    uint8_t before[32], after[32];
    h_digest(&h, before);
    static run_result r;
    run_json(K_AUDITOR, "archive --tenant alpha -o '%s/a.glar'", &r);
    cr_assert_eq(r.rc, 2);
    cr_assert(strstr(r.err,
                     "grandlivre: error 975 format_unsupported: --format json is not "
                     "available for archive"),
              "%s", r.err);
    char path[600];
    struct stat sb;
    snprintf(path, sizeof path, "%s/a.glar", h.dir);
    cr_assert(stat(path, &sb) != 0, "archive written though refused");
    /* csv is refused the same way */
    cr_assert_eq(h_cli(&h, K_AUDITOR, NULL, 0, "export hledger --tenant alpha --format csv"), 2);
    char err[8192];
    last_err(err, sizeof err);
    cr_assert(strstr(err, "--format csv is not available for export hledger"), "%s", err);
    h_digest(&h, after);
    cr_assert(!memcmp(before, after, 32), "the ledger changed");
}

/* A profile's format is a default for the commands that have output in it:
 * ping answers in JSON, archive (which has none) writes its archive. */
Test(json_cli, a_profile_format_json_is_a_default_not_a_refusal)
{
    books();
    char cfg[600], out[8192];
    snprintf(cfg, sizeof cfg, "%s/grandlivre", h.dir);
    cr_assert(mkdir(cfg, 0700) == 0);
    write_file("grandlivre/config", "[default]\nformat = json\n");
    cr_assert_eq(h_cli(&h, K_ALPHA, out, sizeof out, "ping"), 0);
    json_error_t e;
    json_t *doc = json_loads(out, 0, &e);
    cr_assert(doc, "ping with format = json in the profile: %s\n%s", e.text, out);
    json_decref(doc);
    cr_assert_eq(
        h_cli(&h, K_AUDITOR, out, sizeof out, "archive --tenant alpha -o '%s/p.glar'", h.dir), 0);
    cr_assert(strstr(out, "p.glar"), "%s", out);
}

/* fec import prints one JSON object (its summary) under --format json. */
Test(json_cli, fec_import_prints_json_or_refuses)
{
    books();
    char args[1024];
    snprintf(args, sizeof args, "fec export --tenant alpha --year 2025 -o '%s'", h.dir);
    ok(K_AUDITOR, args);
    static run_result r;
    run_json(K_ACCOUNTANT, "fec import --tenant beta --open-accounts '%s/111111111FEC20251231.txt'",
             &r);
    if (r.rc == 2 && strstr(r.err, "975 format_unsupported"))
        return;
    expect_json("fec import", &r, "");
}
