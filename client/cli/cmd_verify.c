/*
 * client/cli/cmd_verify.c — offline verification for auditors:
 *   grandlivre archive (--tenant T | --all) -o FILE [--force]
 *   grandlivre verify FILE [--keys KEYS]
 *
 * `archive` reads, through the daemon, everything client/verify/archive.h
 * describes: TENANTS (identities and the umbrella), for each tenant its
 * chain (CHAIN pages of up to 1000 events, up to the head the first page
 * reports), its fiscal years (PERIODS) and the trial balance of each as of
 * its last day after closing (BALANCE), then every envelope an event names,
 * once (ENVELOPE), and the keyring history (KEYRING).  A tenant whose head
 * moved while it was read (someone posted meanwhile) is read again, so that
 * its trial balances and its chain describe the same ledger.  The whole
 * archive is built in memory (about the size of the file) and written by
 * the atomic output writer (outfile.h): never half a file, never over an
 * existing one without --force, never through a symbolic link.  The accountant and auditors may
 * archive any tenant; a member its own, but the daemon gives a member
 * neither the keyring nor the requests others signed for it (the accountant's
 * close, recharges): such an archive says what it lacks, and verify reports
 * it.
 *
 * `verify` needs no daemon: it reads FILE, checks it (client/verify/verify.h)
 * and prints either a summary (tenants, events, entries, each fiscal year's
 * totals and result, each chain head to compare with one obtained elsewhere,
 * and where the trusted keys came from) or the first problem, located, and
 * exits 1.  A progress bar is drawn on standard error when it is a terminal.
 */
#include "cli.h"
#include "cli_replies.h"
#include "outfile.h"
#include "cli_files.h"

#include "client/output/progress.h"
#include "client/verify/archive.h"
#include "client/verify/verify.h"
#include "proto/chain.h"
#include "proto/date.h"
#include "proto/money.h"
#include "proto/query.h"
#include "proto/reply_group.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

static const char archive_help[] =
    "usage: grandlivre archive (--tenant T | --all) -o FILE [--force]\n"
    "\n"
    "Write an archive for offline verification ('grandlivre verify FILE'): each\n"
    "tenant's hash chain (every entry as signed, every account opening, lock,\n"
    "close and lettering), the signed requests the events came from, the\n"
    "keyring's history (which public key was valid when, for which tenant and\n"
    "role), the chain heads and each fiscal year's trial balance as the daemon\n"
    "computes it. --all: every tenant the key may read. The file is written\n"
    "under a temporary name and renamed; an existing FILE is replaced only with\n"
    "--force, and a symbolic link at FILE is refused (never followed, even with\n"
    "--force). The accountant and auditors may archive any tenant, a member its\n"
    "own (the daemon then withholds the keyring and the requests others signed:\n"
    "the archive says so, and verify reports what is missing). Exit 0 when\n"
    "written. --format csv or json is refused (975 format_unsupported).\n";

static const char verify_help[] =
    "usage: grandlivre verify FILE [--keys KEYS]\n"
    "\n"
    "Verify an archive made by 'grandlivre archive', offline (no daemon): every\n"
    "hash link of every chain, every signature and the signer's right to write\n"
    "that tenant at that time, every entry against the signed request it came\n"
    "from, continuous numbering per fiscal year, every entry balanced, the\n"
    "closing entries against the year's balances, recharges and dues against\n"
    "their requests, analytic accounting (axes, codes and rules as they stood at\n"
    "each point; every coded line's codes open and its shares summing to the\n"
    "line, every required axis carried; every allocation of an existing line,\n"
    "of an axis its entry does not carry, with open codes and exact sums), and\n"
    "each fiscal year's trial balance recomputed and\n"
    "compared with the daemon's. The first problem is printed with its tenant,\n"
    "event and entry number (e.g. 'agiie: event 57 (entry 2025/41): the\n"
    "signature of its request (envelope 12) does not verify') and the exit\n"
    "status is 1; otherwise a summary is printed and the exit status is 0.\n"
    "\n"
    "--keys KEYS: trust only these public keys, obtained from each association\n"
    "and the accountant directly. One per line, 'TENANT-OR-ROLE HEX':\n"
    "  agiie 3f1c…        (64 hex digits: a member key of agiie)\n"
    "  accountant 9a0b…\n"
    "Lines starting with '#' are comments. A request signed by a key not listed\n"
    "for its tenant (or as the accountant) fails. The archive's keyring still\n"
    "says when each key was valid. Without --keys the archive's own keyring is\n"
    "trusted, and the report says so.\n"
    "\n"
    "A progress bar is shown on standard error when it is a terminal. Exit 0\n"
    "verified, 1 a problem found (or not an archive), 2 usage or unreadable file.\n"
    "--format csv or json is refused (975 format_unsupported).\n";

enum { OPT_ALL = 5000, OPT_OUTPUT, OPT_FORCE, OPT_KEYS };

/* ------------------------------------------------------------------ */
/* archive                                                             */
/* ------------------------------------------------------------------ */

struct archive_opts {
    bool all, force;
    const char *output;
    const char *keys;
    gl_buf *to; /* the archive's bytes here instead of a file (grandlivre web) */
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct archive_opts *o = user;
    switch (opt) {
    case OPT_ALL: o->all = true; return 0;
    case OPT_OUTPUT: o->output = arg; return 0;
    case OPT_FORCE: o->force = true; return 0;
    case OPT_KEYS: o->keys = arg; return 0;
    default: return EXIT_USAGE;
    }
}

/* Replies the archive points into, kept until it is written. */
typedef struct kept {
    gl_response *v;
    size_t n, cap;
} kept;

static gl_response *keep_new(kept *k)
{
    if (k->n == k->cap) {
        size_t cap = k->cap ? k->cap * 2 : 64;
        gl_response *n = realloc(k->v, cap * sizeof *n);
        if (!n)
            return NULL;
        k->v = n;
        k->cap = cap;
    }
    gl_response *r = &k->v[k->n++];
    memset(r, 0, sizeof *r);
    return r;
}

static void keep_free(kept *k)
{
    for (size_t i = 0; i < k->n; i++)
        gl_response_free(&k->v[i]);
    free(k->v);
    memset(k, 0, sizeof *k);
}

static int nomem(void) { return cli_nomem(NULL); }

static int unreadable(const char *what, const char *tenant)
{
    cli_error("cannot read the daemon's reply (%s%s%s)", what, tenant ? " of " : "",
              tenant ? tenant : "");
    return EXIT_REFUSED;
}

/* A read whose refusal the caller handles: 0 with *status set, or an exit
 * code after printing why no reply came. */
static int call_status(cli *c, uint16_t kind, const char *tenant, const void *body, size_t len,
                       gl_response *resp, int *status)
{
    uint64_t id = gl_request_id_random();
    int st = gl_call(c->client, kind, tenant, id, body, len, resp);
    if (st != GL_OK) {
        cli_error("error %d %s: %s — %s", st, gl_status_name(st), gl_status_message(st),
                  gl_client_error(c->client));
        return st == GL_ERR_TIMEOUT || st == GL_ERR_CONNECT || st / 100 == 2 ? EXIT_UNREACHABLE
                                                                             : EXIT_USAGE;
    }
    *status = resp->reply.status;
    return 0;
}

/* TENANTS: identities, sorted by id (the archive's order), and the umbrella. */
static int fetch_tenants(cli *c, kept *k, gl_archive *a)
{
    gl_response *resp = keep_new(k);
    if (!resp)
        return nomem();
    int rc = cli_call(c, GL_KIND_TENANTS, "", NULL, 0, resp);
    if (rc)
        return rc;
    gl_reply_tenants r;
    if (gl_reply_tenants_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return unreadable("tenants", NULL);
    a->tenants = calloc(r.count ? r.count : 1, sizeof *a->tenants);
    if (!a->tenants)
        return nomem();
    gl_reply_tenants_iter it;
    gl_reply_tenants_row row;
    gl_reply_tenants_iter_init(&it, &r);
    while (gl_reply_tenants_next(&it, &row) == 1)
        a->tenants[a->tenant_count++] = (gl_archive_tenant){.id = row.id,
                                                            .name = row.name,
                                                            .siren = row.siren,
                                                            .first_month = row.first_month,
                                                            .code = row.code};
    a->umbrella = r.umbrella;
    /* insertion sort by id: a few dozen tenants */
    for (uint16_t i = 1; i < a->tenant_count; i++)
        for (uint16_t j = i; j > 0; j--) {
            gl_archive_tenant *x = &a->tenants[j - 1], *y = &a->tenants[j];
            size_t m = x->id.len < y->id.len ? x->id.len : y->id.len;
            int cmp = memcmp(x->id.ptr, y->id.ptr, m);
            if (cmp < 0 || (cmp == 0 && x->id.len <= y->id.len))
                break;
            gl_archive_tenant tmp = *x;
            *x = *y;
            *y = tmp;
        }
    return 0;
}

/* One CHAIN page after `after`: appends the events with seq <= *head (set
 * from the first page).  *more false when the chain's end was reached. */
static int chain_page(cli *c, kept *k, const char *tenant, gl_archive_tenant *t, uint64_t after,
                      bool first, bool *more, size_t *cap)
{
    gl_buf body;
    gl_buf_init(&body);
    gl_chain_q q = {after, GL_PAGE_MAX};
    gl_chain_q_encode(&body, &q);
    gl_response *resp = keep_new(k);
    int rc = !resp || !gl_buf_ok(&body)
                 ? nomem()
                 : cli_call(c, GL_KIND_CHAIN, tenant, body.data, body.len, resp);
    gl_buf_free(&body);
    if (rc)
        return rc;
    gl_reply_chain ch;
    if (gl_reply_chain_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &ch) != GL_OK)
        return unreadable("chain", tenant);
    if (first) {
        t->head_seq = ch.chain_seq;
        memcpy(t->head_hash, ch.head_hash, GL_HASH_BYTES);
    }
    *more = ch.count > 0;
    gl_reply_chain_iter it;
    gl_reply_chain_row row;
    gl_reply_chain_iter_init(&it, &ch);
    while (gl_reply_chain_next(&it, &row) == 1) {
        uint64_t seq = row.seq;
        uint32_t len = row.record_len;
        const uint8_t *rec = row.record;
        if (seq > t->head_seq) {
            *more = false;
            break;
        }
        if (t->event_count == *cap) {
            size_t ncap = *cap ? *cap * 2 : 1024;
            gl_archive_event *ne = realloc(t->events, ncap * sizeof *ne);
            if (!ne)
                return nomem();
            t->events = ne;
            *cap = ncap;
        }
        t->events[t->event_count++] = (gl_archive_event){seq, rec, len};
        if (seq == t->head_seq)
            *more = false;
    }
    return 0;
}

static int row_cmp(const void *pa, const void *pb)
{
    const gl_archive_row *a = pa, *b = pb;
    size_t m = a->account.len < b->account.len ? a->account.len : b->account.len;
    int cmp = m ? memcmp(a->account.ptr, b->account.ptr, m) : 0;
    return cmp ? cmp : (a->account.len > b->account.len) - (a->account.len < b->account.len);
}

/* PERIODS for the fiscal years, then BALANCE at each one's last day. */
static int fetch_balances(cli *c, kept *k, const char *tenant, gl_archive_tenant *t)
{
    gl_response *resp = keep_new(k);
    if (!resp)
        return nomem();
    int rc = cli_call(c, GL_KIND_PERIODS, tenant, NULL, 0, resp);
    if (rc)
        return rc;
    gl_reply_periods p;
    if (gl_reply_periods_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &p) != GL_OK)
        return unreadable("periods", tenant);
    t->balances = calloc(p.count ? p.count : 1, sizeof *t->balances);
    if (!t->balances)
        return nomem();
    gl_reply_periods_iter it;
    gl_reply_periods_row year;
    gl_reply_periods_iter_init(&it, &p);
    while (gl_reply_periods_next(&it, &year) == 1) {
        uint16_t fy = year.fy;
        uint32_t to = year.end;
        if (t->balance_count && fy <= t->balances[t->balance_count - 1].fy)
            return unreadable("periods: fiscal years out of order", tenant);
        gl_archive_balance *b = &t->balances[t->balance_count++];
        b->fy = fy;
        b->at = to;
        gl_buf body;
        gl_buf_init(&body);
        gl_balance_q q = {to, GL_BALANCE_AFTER_CLOSING};
        gl_balance_q_encode(&body, &q);
        gl_response *br = keep_new(k);
        rc = !br || !gl_buf_ok(&body)
                 ? nomem()
                 : cli_call(c, GL_KIND_BALANCE, tenant, body.data, body.len, br);
        gl_buf_free(&body);
        if (rc)
            return rc;
        gl_reply_balance bal;
        if (gl_reply_balance_decode(gl_reply_view(br->reply.body, br->reply.body_len), &bal) !=
                GL_OK ||
            bal.fy != fy)
            return unreadable("balance", tenant);
        b->rows = calloc(bal.count ? bal.count : 1, sizeof *b->rows);
        if (!b->rows)
            return nomem();
        gl_reply_balance_iter bi;
        gl_reply_balance_row br_row; /* aux "" per account */
        gl_reply_balance_iter_init(&bi, &bal);
        for (uint32_t r = 0; gl_reply_balance_next(&bi, &br_row) == 1; r++) {
            if (br_row.account.len > GL_ACCOUNT_MAX)
                return unreadable("balance", tenant);
            gl_archive_row *row = &b->rows[r];
            row->account = br_row.account;
            row->debit_cents = br_row.debit;
            row->credit_cents = br_row.credit;
            b->row_count = r + 1;
        }
        qsort(b->rows, b->row_count, sizeof *b->rows, row_cmp);
    }
    return 0;
}

static void free_tenant_data(gl_archive_tenant *t)
{
    for (uint16_t y = 0; t->balances && y < t->balance_count; y++)
        free(t->balances[y].rows);
    free(t->balances);
    free(t->events);
    t->balances = NULL;
    t->events = NULL;
    t->balance_count = 0;
    t->event_count = 0;
}

/* A tenant's chain and trial balances, consistent with each other. */
static int fetch_tenant_chain(cli *c, kept *k, gl_archive_tenant *t)
{
    char tenant[GL_TENANT_MAX + 1];
    snprintf(tenant, sizeof tenant, "%.*s", (int)t->id.len, t->id.ptr);
    for (int attempt = 1; attempt <= 5; attempt++) {
        free_tenant_data(t);
        t->has_chain = true;
        size_t cap = 0;
        bool more = true, first = true;
        uint64_t after = 0;
        int rc = 0;
        while (rc == 0 && more) {
            rc = chain_page(c, k, tenant, t, after, first, &more, &cap);
            first = false;
            if (t->event_count)
                after = t->events[t->event_count - 1].seq;
        }
        if (rc == 0)
            rc = fetch_balances(c, k, tenant, t);
        /* the head again: unchanged means the balances are of this chain */
        gl_archive_tenant again = {0};
        size_t cap2 = 0;
        bool more2;
        if (rc == 0)
            rc = chain_page(c, k, tenant, &again, t->head_seq, true, &more2, &cap2);
        free(again.events);
        if (rc)
            return rc;
        if (again.head_seq == t->head_seq && !memcmp(again.head_hash, t->head_hash, GL_HASH_BYTES))
            return 0;
        fprintf(stderr, "grandlivre: archive: %s changed while it was read; reading it again\n",
                tenant);
    }
    cli_error("archive: %s keeps changing; archive it when no one is posting", tenant);
    return EXIT_REFUSED;
}

static int u64_cmp(const void *pa, const void *pb)
{
    uint64_t a = *(const uint64_t *)pa, b = *(const uint64_t *)pb;
    return a < b ? -1 : a > b;
}

/* Every envelope an archived event names, once each. */
/* member: the key may not read the keyring (a member key), so the daemon
 * answers 410 for every request others signed (300 before issue 11). */
static int fetch_envelopes(cli *c, kept *k, gl_archive *a, bool member, size_t *withheld)
{
    size_t n = 0;
    for (uint16_t i = 0; i < a->tenant_count; i++)
        n += a->tenants[i].event_count;
    uint64_t *nums = calloc(n ? n : 1, sizeof *nums);
    if (!nums)
        return nomem();
    size_t m = 0;
    for (uint16_t i = 0; i < a->tenant_count; i++)
        for (uint32_t e = 0; e < a->tenants[i].event_count; e++) {
            gl_event ev;
            if (gl_event_decode(a->tenants[i].events[e].record, a->tenants[i].events[e].record_len,
                                &ev) == GL_OK)
                nums[m++] = ev.head.envelope;
        }
    qsort(nums, m, sizeof *nums, u64_cmp);
    a->envelopes = calloc(m ? m : 1, sizeof *a->envelopes);
    int rc = a->envelopes ? 0 : nomem();
    *withheld = 0;
    gl_progress bar; /* one request per signed request: the long part of an archive */
    gl_progress_start(&bar, "archive", "signed requests", m);
    for (size_t i = 0; rc == 0 && i < m; i++) {
        gl_progress_set(&bar, i);
        if (i > 0 && nums[i] == nums[i - 1])
            continue;
        gl_buf body;
        gl_buf_init(&body);
        gl_put_u64(&body, nums[i]);
        gl_response *resp = keep_new(k);
        int status = GL_OK;
        rc = !resp || !gl_buf_ok(&body)
                 ? nomem()
                 : call_status(c, GL_KIND_ENVELOPE, "", body.data, body.len, resp, &status);
        gl_buf_free(&body);
        if (rc)
            break;
        if (member && (status == GL_ERR_NOT_FOUND ||
                       status == GL_ERR_FORBIDDEN_TENANT)) { /* not its own request */
            (*withheld)++;
            continue;
        }
        if (status != GL_OK) {
            cli_error("refused: error %d %s: %s (envelope %llu)", status, gl_status_name(status),
                      gl_status_message(status), (unsigned long long)nums[i]);
            rc = EXIT_REFUSED;
            break;
        }
        gl_reply_envelope env;
        gl_reply_envelope_decode(gl_reply_view(resp->reply.body, resp->reply.body_len),
                                 &env); /* any bytes */
        a->envelopes[a->envelope_count++] = (gl_archive_envelope){
            nums[i], (const uint8_t *)env.request.ptr, (uint32_t)env.request.len};
    }
    if (rc == 0)
        gl_progress_set(&bar, m);
    gl_progress_finish(&bar);
    free(nums);
    return rc;
}

/* KEYRING: the history of keys (refused to members: then none). */
static int fetch_keyring(cli *c, kept *k, gl_archive *a, bool *withheld)
{
    gl_response *resp = keep_new(k);
    int status = GL_OK;
    int rc = resp ? call_status(c, GL_KIND_KEYRING, "", NULL, 0, resp, &status) : nomem();
    *withheld = false;
    if (rc)
        return rc;
    if (status == GL_ERR_FORBIDDEN_ROLE) {
        *withheld = true;
        return 0;
    }
    if (status != GL_OK) {
        cli_error("refused: error %d %s: %s (keyring)", status, gl_status_name(status),
                  gl_status_message(status));
        return EXIT_REFUSED;
    }
    gl_reply_keyring r;
    if (gl_reply_keyring_decode(gl_reply_view(resp->reply.body, resp->reply.body_len), &r) != GL_OK)
        return unreadable("keyring", NULL);
    a->keys = calloc(r.count ? r.count : 1,
                     sizeof *a->keys); /* the decoder checked every row: count <= body */
    if (!a->keys)
        return nomem();
    gl_reply_keyring_iter it;
    gl_reply_keyring_row row;
    gl_reply_keyring_iter_init(&it, &r);
    while (gl_reply_keyring_next(&it, &row) == 1) {
        gl_archive_key *key = &a->keys[a->key_count];
        key->signer = row.public_key;
        key->record = (const uint8_t *)row.record.ptr;
        key->record_len = (uint16_t)row.record.len;
        if (row.since_ms > INT64_MAX ||
            gl_archive_key_decode(key->record, key->record_len, key) != GL_OK)
            return unreadable("keyring", NULL);
        key->since_ms = (int64_t)row.since_ms;
        a->key_count++;
    }
    return 0;
}

static int64_t now_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int make_archive(cli *c, const struct archive_opts *o)
{
    kept k = {0};
    gl_archive a;
    memset(&a, 0, sizeof a);
    a.created_ms = now_ms();
    char err[PATH_MAX + 256];
    if (!o->to && outfile_check(o->output, o->force, err, sizeof err) !=
                      GL_OK) { /* before fetching everything */
        cli_error("archive: %s", err);
        return EXIT_USAGE;
    }
    int rc = 0;
    int lst =
        gl_client_ledger_id(c->client, a.ledger_id); /* every request since protocol 2 carries it */
    if (lst != GL_OK) {
        cli_error("archive: cannot learn the daemon's ledger id: error %d %s — %s", lst,
                  gl_status_name(lst), gl_client_error(c->client));
        rc = lst / 100 == 2 ? EXIT_REFUSED : EXIT_UNREACHABLE;
    }
    a.has_ledger_id = true;
    if (rc == 0)
        rc = fetch_tenants(c, &k, &a);
    bool found = false;
    uint64_t events = 0;
    for (uint16_t i = 0; rc == 0 && i < a.tenant_count; i++) {
        gl_archive_tenant *t = &a.tenants[i];
        if (!o->all && !gl_str_eq(t->id, c->tenant))
            continue;
        found = true;
        rc = fetch_tenant_chain(c, &k, t);
        events += t->event_count;
        if (rc == 0)
            fprintf(stderr, "grandlivre: archive: %.*s: %u events, %u fiscal years\n",
                    (int)t->id.len, t->id.ptr, t->event_count, t->balance_count);
    }
    if (rc == 0 && !found) {
        cli_error("archive: no tenant '%s' that this key may read", c->tenant);
        rc = EXIT_USAGE;
    }
    size_t envelopes_withheld = 0;
    bool keyring_withheld = false;
    if (rc == 0)
        rc = fetch_keyring(c, &k, &a, &keyring_withheld);
    if (rc == 0)
        rc = fetch_envelopes(c, &k, &a, keyring_withheld, &envelopes_withheld);
    gl_buf out;
    gl_buf_init(&out);
    if (rc == 0) {
        int st = gl_archive_encode(&out, &a, err, sizeof err);
        if (st == GL_ERR_NOMEM)
            rc = nomem();
        else if (st != GL_OK) {
            cli_error("archive: the daemon's data does not fit the archive format: %s", err);
            rc = EXIT_REFUSED;
        }
    }
    if (rc == 0 && o->to) {
        gl_buf kept_out = *o->to;
        *o->to = out; /* handed over whole */
        out = kept_out;
    } else if (rc == 0 && outfile_write(o->output, out.data, out.len, OUTFILE_MODE_PUBLIC, o->force,
                                        err, sizeof err) != GL_OK) {
        cli_error("archive: %s", err);
        rc = EXIT_USAGE;
    }
    if (rc == 0) {
        if (envelopes_withheld)
            fprintf(
                stderr,
                "grandlivre: archive: the daemon withheld %zu signed requests (a member receives only "
                "those it signed): verify will report them missing\n",
                envelopes_withheld);
        if (keyring_withheld)
            fprintf(
                stderr,
                "grandlivre: archive: the daemon withheld the keyring history (members may not read "
                "it): verify will need --keys\n");
        fprintf(
            stderr,
            "grandlivre: archive: %s: %llu events, %u signed requests, %u keyring records, %zu bytes\n",
            o->to ? "(download)" : o->output, (unsigned long long)events, a.envelope_count,
            a.key_count, o->to ? o->to->len : out.len);
        if (!o->to)
            printf("%s\n", o->output);
    }
    gl_buf_free(&out);
    for (uint16_t i = 0; a.tenants && i < a.tenant_count; i++)
        free_tenant_data(&a.tenants[i]);
    free(a.tenants);
    free(a.envelopes);
    free(a.keys);
    keep_free(&k);
    return rc;
}

int cli_archive_to(cli *c, gl_buf *out)
{
    struct archive_opts o = {.to = out};
    return make_archive(c, &o);
}

int cmd_archive(int argc, char **argv)
{
    static const struct option extra[] = {{"all", no_argument, NULL, OPT_ALL},
                                          {"output", required_argument, NULL, OPT_OUTPUT},
                                          {"force", no_argument, NULL, OPT_FORCE},
                                          {0}};
    struct archive_opts o = {0};
    cli c;
    cli_short_output_option(argc, argv);
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, archive_help);
    if (rc == 0)
        rc = cli_format_refuse(&c, "archive");
    if (rc)
        return rc < 0 ? 0 : rc;
    bool tenant = c.tenant && c.tenant[0]; /* --all wins over GRANDLIVRE_TENANT */
    if (argc || !o.output || (!tenant && !o.all)) {
        cli_error(!o.output ? "archive: -o FILE is required" : "archive: give --tenant T or --all");
        fputs(archive_help, stderr);
        return EXIT_USAGE;
    }
    if ((rc = cli_connect(&c)))
        return rc;
    rc = make_archive(&c, &o);
    cli_close(&c);
    return rc;
}

/* ------------------------------------------------------------------ */
/* verify                                                              */
/* ------------------------------------------------------------------ */

/* gl_verify's progress callback: the shared bar (client/output/progress.h),
 * started on the first call, when the total is known. */
static void draw_progress(void *user, uint64_t done, uint64_t total)
{
    gl_progress *p = user;
    if (!p->what)
        gl_progress_start(p, "verify", "events", total);
    gl_progress_set(p, done);
}

static void print_summary(const char *path, const gl_archive *a, const gl_verify_result *r,
                          const char *keys_path, size_t trusted)
{
    char when[32], m[GL_MONEY_TEXT_MAX], m2[GL_MONEY_TEXT_MAX];
    time_t secs = (time_t)(a->created_ms / 1000);
    struct tm tm;
    gmtime_r(&secs, &tm);
    strftime(when, sizeof when, "%Y-%m-%dT%H:%M:%SZ", &tm);
    printf("archive: %s (written %s)\n", path, when);
    if (a->has_ledger_id) {
        char id[2 * GL_LEDGER_ID_BYTES + 1];
        gl_hex(a->ledger_id, GL_LEDGER_ID_BYTES, id);
        printf("ledger: %s\n", id);
    } else {
        printf("ledger: not named (an archive of format 1, from before protocol version 2)\n");
    }
    if (r->trusted_keys)
        printf(
            "keys: trusting only the %zu keys of %s%s\n", trusted, keys_path,
            r->key_times_checked
                ? "; the archive's keyring history says when each was valid"
                : "; the archive holds no keyring history: when each key was valid is not checked");
    else
        printf(
            "keys: trusting the archive's own keyring (%u records); give --keys FILE with the keys obtained from "
            "each association to trust only those\n",
            r->key_records);
    for (size_t i = 0; i < r->tenant_count; i++) {
        const gl_verify_tenant *t = &r->tenants[i];
        char head[65];
        gl_hex(t->head_hash, 32, head);
        printf("%s: %llu events, %llu entries, head %llu %s", t->id, (unsigned long long)t->events,
               (unsigned long long)t->entries, (unsigned long long)t->head_seq, head);
        if (t->locked_through)
            printf(", locked through %04u-%02u", t->locked_through / 100, t->locked_through % 100);
        printf("\n");
        const gl_verify_analytic *an = &t->analytic;
        if (an->events || an->lines)
            printf(
                "  analytic: %u axes, %u codes, %u rules in force, %llu lines coded in their "
                "entries, %llu allocated afterwards: codes open, shares summing to their "
                "lines, rules kept\n",
                an->axes, an->codes, an->rules, (unsigned long long)an->lines,
                (unsigned long long)an->allocated);
        for (size_t y = 0; y < t->year_count; y++) {
            const gl_verify_year *fy = &t->years[y];
            printf("  %u: %u entries, debits = credits = %s", fy->fy, fy->entries,
                   gl_money_format(fy->debit_cents, GL_MONEY_PLAIN, m));
            if (fy->closed)
                printf(", closed, result %s",
                       gl_money_format(fy->result_cents, GL_MONEY_PLAIN, m2));
            printf(", trial balance as the daemon's\n");
        }
    }
    printf(
        "verified: %zu tenants, %llu events, %llu entries, %u signed requests from %u keys: every hash link, "
        "signature, number, balance and closing checks\n",
        r->tenant_count, (unsigned long long)r->events, (unsigned long long)r->entries,
        r->envelopes, r->signers);
    if (r->unknown_events)
        printf(
            "note: %llu events of types this program does not know: their hashes and signatures were checked, "
            "not their content\n",
            (unsigned long long)r->unknown_events);
}

int cmd_verify(int argc, char **argv)
{
    static const struct option extra[] = {{"keys", required_argument, NULL, OPT_KEYS}, {0}};
    struct archive_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, verify_help);
    if (rc == 0)
        rc = cli_format_refuse(&c, "verify");
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 1) {
        fputs(verify_help, stderr);
        return EXIT_USAGE;
    }
    const char *path = argv[0];
    size_t len = 0, keys_len = 0, trusted_count = 0;
    char *data = cli_read_file(path, &len);
    if (!data)
        return EXIT_USAGE;
    gl_trusted_key *trusted = NULL;
    char err[512];
    if (o.keys) {
        char *text = cli_read_file(o.keys, &keys_len);
        if (!text) {
            free(data);
            return EXIT_USAGE;
        }
        int st = gl_trusted_keys_parse(text, keys_len, &trusted, &trusted_count, err, sizeof err);
        free(text);
        if (st != GL_OK || trusted_count == 0) {
            cli_error("verify: %s: %s", o.keys,
                      st == GL_OK          ? "no key in the file"
                      : st == GL_ERR_NOMEM ? "out of memory"
                                           : err);
            free(data);
            free(trusted);
            return st == GL_ERR_NOMEM ? EXIT_NOMEM : EXIT_USAGE;
        }
    }
    gl_archive a;
    int st = gl_archive_read((const uint8_t *)data, len, &a, err, sizeof err);
    if (st != GL_OK) {
        printf("FAILED: %s is not a valid archive: %s\n", path, err);
        cli_error("verify: %s does not verify", path);
        free(data);
        free(trusted);
        return st == GL_ERR_NOMEM ? EXIT_NOMEM : EXIT_REFUSED;
    }
    gl_progress p = {0};
    gl_verify_opts vo = {.trusted = trusted, .trusted_count = trusted_count};
    if (isatty(STDERR_FILENO)) {
        vo.progress = draw_progress;
        vo.user = &p;
    }
    gl_verify_result r;
    st = gl_verify(&a, &vo, &r);
    gl_progress_finish(&p);
    if (st != GL_OK) {
        rc = nomem();
    } else if (r.problem != GL_VP_NONE) {
        printf("FAILED: %s\n", r.message);
        if (!r.trusted_keys)
            printf("(keys: trusting the archive's own keyring)\n");
        cli_error("verify: %s does not verify (%s)", path, gl_verify_problem_name(r.problem));
        rc = EXIT_REFUSED;
    } else {
        print_summary(path, &a, &r, o.keys, trusted_count);
        rc = 0;
    }
    gl_verify_result_free(&r);
    gl_archive_free(&a);
    free(trusted);
    free(data);
    return rc;
}
