/*
 * daemon/store/upgrade.c — the schema's history, one function per change to
 * what is stored, each taking a ledger from version N to N + 1 (see
 * upgrade.h for how they run).
 *
 * To change what is stored:
 *   1. raise GL_SCHEMA_VERSION in store.h (and note there what it adds);
 *   2. write `static int step_N_to_M(store_txn *t, char *err, size_t
 *      err_len)` below: it runs in one write transaction, with no daemon
 *      running, may read and write any database through store.h, and
 *      returns GL_OK or a status with a sentence in err (the transaction is
 *      then aborted and the ledger stays at N);
 *   3. append {N, "what it does, for the operator", step_N_to_M} to steps;
 *   4. make a new ledger start in the new form (store.c, init_new) and say
 *      in PROTOCOL.md §9 what the version stores;
 *   5. before committing, make the previous release's fixture with
 *      scripts/make-upgrade-fixture and extend tests/integration/test_upgrade.c.
 */
#include "upgrade.h"

#include "bank_store.h"
#include "redigest.h"
#include "store.h"
#include "year_totals.h"

#include "proto/assert.h"
#include "proto/bank.h"
#include "proto/request.h"
#include "proto/status.h"

#include <stdio.h>
#include <string.h>

typedef int (*upgrade_step_fn)(store_txn *t, char *err, size_t err_len);
/* Work a step needs done in transactions of its own before its own one
 * (e.g. a pass over a whole database): it must be idempotent, since a crash
 * between it and the step leaves the ledger at the old version and the
 * next --upgrade runs it again.  GL_OK with a one-line summary in msg. */
typedef int (*upgrade_before_fn)(store *s, char *msg, size_t msg_len);

/* 1 -> 2: the ledger id (meta "ledger_id", 16 random bytes), which
 * protocol version 2 binds every signed request to. */
static int step_1_to_2(store_txn *t, char *err, size_t err_len)
{
    int st = store_ledger_id_create(t);
    if (st != GL_OK)
        snprintf(err, err_len, "cannot record the ledger id");
    return st;
}

/* 2 -> 3: the debits and credits of each tenant's fiscal years and open
 * books (year_totals), which the tenant-wide caps check on every write;
 * from the per-account balances, in the step's own transaction. */
static int step_2_to_3(store_txn *t, char *err, size_t err_len)
{
    return store_year_totals_compute(t, err, err_len);
}

/* 3 -> 4: the redo journal (daemon/journal.h): meta "journal_seq" 0, no
 * record yet (a ledger of schema 3 has no journal to replay). */
static int step_3_to_4(store_txn *t, char *err, size_t err_len)
{
    int st = store_journal_seq_put(t, 0);
    if (st != GL_OK)
        snprintf(err, err_len, "cannot record meta journal_seq");
    return st;
}

/* 4 -> 5: the registry of third parties (third_parties), empty: LMDB
 * creates the table when the store opens; nothing to convert. */
static int step_4_to_5(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

/* 5 -> 6: the table "reminders" (REMINDER_RECORD), empty: no reminder was
 * recorded before it.  Opening the store creates it (MDB_CREATE); the step
 * checks it holds nothing. */
static int step_5_to_6(store_txn *t, char *err, size_t err_len)
{
    store_scan s;
    int st = store_scan_begin(&s, t, DB_REMINDERS, NULL, 0, 0);
    bool empty = st != GL_OK || !store_scan_next(&s);
    st = store_scan_close(&s, st);
    if (st == GL_OK && !empty)
        st = GL_ERR_STORAGE;
    if (st != GL_OK)
        snprintf(err, err_len, "the table reminders is not empty before its step");
    return st;
}

/* 6 -> 7: carry_modes (store/carry_store.h), created empty by opening the
 * store: every account is summarised, the close of before. */
static int step_6_to_7(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

/* 7 -> 8: FORGET's table
 * (forgotten), empty: LMDB creates it when the store opens.  The key store
 * of natural persons, DATA_DIR/persons/, starts empty as well: it is
 * created with the first person's key (daemon/persons.h). */
static int step_persons(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

/* 8 -> 9: the bank accounts and their statement lines (bank_accounts,
 * bank_lines, bank_index; store/bank_store.h), empty: LMDB creates them
 * when the store opens; nothing was imported before. */
static int step_bank(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

/* The file format a stored line came in: its BANK_IMPORT's `format`
 * (PROTOCOL.md §5.37), read from the signed request kept in envelopes
 * (the body's head only). */
static int line_format(store_txn *t, uint64_t envelope, uint8_t *format)
{
    uint8_t k[8];
    gl_be64(k, envelope);
    store_val v;
    int st = store_get(t, DB_ENVELOPES, k, sizeof k, &v);
    gl_request q;
    if (st != GL_OK || gl_request_decode_any(v.ptr, v.len, &q) != GL_OK ||
        q.kind != GL_KIND_BANK_IMPORT)
        return GL_ERR_STORAGE;
    gl_cur c;
    gl_cur_init_stored(&c, q.body, q.body_len);
    for (int i = 0; i < 4; i++) /* account, account_id, currency, statement_id */
        gl_get_str8(&c, 255);
    gl_get_bytes(&c, 4 + 4 + 1 + 8 + 8); /* from, to, flags, opening, closing */
    *format = gl_get_u8(&c);
    return gl_cur_status(&c) == GL_OK && *format <= GL_BANK_FORMAT_MAX_ ? GL_OK : GL_ERR_STORAGE;
}

/* 9 -> 10: the day index of the bank lines (bank_index tag 6,
 * store/bank_store.h), counted from every stored line: a line with a bank
 * reference is covered by it, under its file's format; no reference was
 * recognised before (the rule came with this schema).  The bank rules
 * (tag 7) start empty. */
static int step_bank_days(store_txn *t, char *err, size_t err_len)
{
    store_scan sc;
    int st = store_scan_begin(&sc, t, DB_BANK_LINES, NULL, 0, 0);
    uint64_t lines = 0, last_envelope = 0;
    uint8_t format = 0;
    while (st == GL_OK && store_scan_next(&sc)) {
        bank_stored l;
        if ((st = store_bank_line_value(sc.k, sc.v, &l)) != GL_OK)
            break;
        uint32_t tenant = gl_rd32(sc.k.ptr);
        char account[GL_ACCOUNT_MAX];
        memcpy(account, sc.k.ptr + 4, GL_ACCOUNT_MAX);
        size_t alen = strnlen(account, GL_ACCOUNT_MAX);
        char label[GL_BANK_TEXT_MAX], ref[GL_BANK_REF_LEN_MAX];
        memcpy(label, l.line.label.ptr, l.line.label.len);
        memcpy(ref, l.line.bank_ref.ptr, l.line.bank_ref.len);
        l.line.label.ptr = label; /* copied: the writes below may move the value */
        l.line.bank_ref.ptr = ref;
        if (l.envelope != last_envelope && (st = line_format(t, l.envelope, &format)) != GL_OK)
            break;
        last_envelope = l.envelope;
        st = store_bank_day_count_line(t, tenant, (gl_str){account, alen}, &l.line, format);
        lines++;
    }
    st = store_scan_close(&sc, st);
    if (st != GL_OK)
        snprintf(err, err_len, "cannot index the bank line %llu", (unsigned long long)lines + 1);
    return st;
}

/* 10 -> 11: analytic accounting (analytic, an_totals), empty: LMDB
 * creates them when the store opens; no entry carried a code before. */
static int step_analytic(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

/* 11 -> 12: the fixed-asset register (assets), empty: LMDB creates it
 * when the store opens; no asset was registered before. */
static int step_assets(store_txn *t, char *err, size_t err_len)
{
    (void)t, (void)err, (void)err_len;
    return GL_OK;
}

static const struct upgrade_step {
    uint32_t from;    /* the step takes a ledger from this version to the next */
    const char *what; /* said to the operator once it is done */
    upgrade_step_fn apply;
    upgrade_before_fn before; /* NULL: none */
} steps[] = {
    /* Protocol version 2 also needs the request records of version 1
     * carried over (redigest.h), so that a request sent again in version 2
     * is still recognised as a replay. */
    {1, "ledger id created (meta \"ledger_id\", 16 random bytes)", step_1_to_2,
     store_upgrade_redigest_v1},
    {2,
     "year totals computed (year_totals: the debits and credits of each tenant's fiscal years and open books, "
     "from the balances)",
     step_2_to_3, NULL},
    {3, "journal (meta \"journal_seq\" 0)", step_3_to_4, NULL},
    {4, "registry of third parties (third_parties, empty)", step_4_to_5, NULL},
    {5, "reminders (the last reminder sent to each third party: none yet)", step_5_to_6, NULL},
    {6, "carry-over modes (carry_modes: empty, every account summarised)", step_6_to_7, NULL},
    {GL_SCHEMA_VERSION_PERSONS - 1,
     "personal data that can be forgotten (forgotten, empty; key store DATA_DIR/persons/)",
     step_persons, NULL},
    {GL_SCHEMA_VERSION_BANK - 1,
     "bank accounts and statement lines (bank_accounts, bank_lines, bank_index: empty)", step_bank,
     NULL},
    {GL_SCHEMA_VERSION_BANK_DAYS - 1,
     "bank lines' day index (bank_index: the lines of each day, amount and label, counted once)",
     step_bank_days, NULL},
    {GL_SCHEMA_VERSION_ANALYTIC - 1,
     "analytic accounting (analytic, an_totals: empty, no entry carried a code before)",
     step_analytic, NULL},
    {GL_SCHEMA_VERSION_ASSETS - 1, "fixed-asset register (assets: empty)", step_assets, NULL},
};

_Static_assert(sizeof steps / sizeof steps[0] == GL_SCHEMA_VERSION - 1,
               "one upgrade step per schema version after the first");

/* Apply step (from -> from + 1) and the new version in one transaction. */
static int apply_step(store *s, const struct upgrade_step *step, char *err, size_t err_len)
{
    store_txn *t;
    int st = store_begin(s, NULL, false, &t);
    if (st != GL_OK) {
        snprintf(err, err_len, "cannot begin a write transaction (%s)", gl_status_name(st));
        return st;
    }
    char why[256] = "";
    st = step->apply(t, why, sizeof why);
    if (st == GL_OK)
        st = store_schema_put(t, step->from + 1);
    if (st != GL_OK) {
        store_abort(t);
        snprintf(err, err_len, "schema %u -> %u failed: %s (%s); the ledger stays at schema %u",
                 step->from, step->from + 1, why[0] ? why : "cannot write", gl_status_name(st),
                 step->from);
        return st;
    }
    st = store_commit(t);
    if (st != GL_OK)
        snprintf(err, err_len, "schema %u -> %u: cannot commit (%s); the ledger stays at schema %u",
                 step->from, step->from + 1, gl_status_name(st), step->from);
    return st;
}

int store_upgrade(const char *dir, uint64_t map_size_bytes, uint32_t *from,
                  store_upgrade_report_fn report, void *user, char *err, size_t err_len)
{
    store *s;
    int st = store_open_existing(&s, dir, map_size_bytes, from, err, err_len);
    if (st != GL_OK)
        return st;
    for (uint32_t v = *from; st == GL_OK && v < GL_SCHEMA_VERSION; v++) {
        const struct upgrade_step *step = &steps[v - 1];
        GL_ASSERT(step->from == v);
        char before_msg[256] = "", what[512];
        if (step->before && (st = step->before(s, before_msg, sizeof before_msg)) != GL_OK) {
            snprintf(err, err_len, "schema %u -> %u failed: %s; the ledger stays at schema %u", v,
                     v + 1, before_msg, v);
            break;
        }
        st = apply_step(s, step, err, err_len);
        snprintf(what, sizeof what, "%s%s%s", step->what, before_msg[0] ? "; " : "", before_msg);
        if (st == GL_OK && report)
            report(user, v, v + 1, what);
    }
    store_close(s);
    return st;
}
