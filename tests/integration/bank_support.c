/*
 * tests/integration/bank_support.c — the bank tests' helpers
 * (bank_support.h).
 */
#include "tests/integration/bank_support.h"

#include "client/verify/archive.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static gl_str S(const char *s) { return (gl_str){s, strlen(s)}; }

void bk_any_body(uint16_t kind, gl_buf *b)
{
    gl_str account = {"512000", 6};
    if (kind == GL_KIND_BANK_ACCOUNT_SET) {
        gl_bank_account r = {account, S(IBAN_A), {"", 0}, {"", 0}};
        gl_bank_account_encode(b, &r);
    } else if (kind == GL_KIND_BANK_IMPORT) {
        gl_bank_line_w l = {.booking = 20250105, .amount_cents = 100, .label = {"VIR", 3}};
        gl_bank_import_q q = {.account = account, .count = 1};
        gl_bank_import_encode(b, &q, &l);
    } else if (kind == GL_KIND_BANK_RULE_SET) {
        gl_bank_rule_set_q q = {.account = account, .op = GL_BANK_RULE_SET_OP};
        q.rule = (gl_bank_rule){
            .name = {"frais", 5}, .pattern = {"FRAIS", 5}, .counterpart = {"627800", 6}};
        gl_bank_rule_set_q_encode(b, &q);
    } else if (kind == GL_KIND_BANK_RULES) {
        gl_put_str8(b, account.ptr, account.len);
    } else if (kind == GL_KIND_BANK_MATCH) {
        uint32_t seq = 1;
        gl_line_ref ref = {2025, 1, 1};
        gl_bank_match_q_head(b, account, 1);
        gl_bank_match_set_put(b, &seq, 1, &ref, 1);
    } else if (kind == GL_KIND_BANK_UNMATCH) {
        gl_bank_unmatch_q_encode(b, &(gl_bank_unmatch_q){account, 1});
    } else if (kind == GL_KIND_BANK_RECON) {
        gl_bank_recon_q_encode(b, &(gl_bank_recon_q){account, 20251231, GL_BANK_RECON_LINES});
    } else if (kind == GL_KIND_BANK_MATCHES) {
        gl_bank_matches_q_encode(b, &(gl_bank_matches_q){account, 0, 100});
    } else {
        gl_bank_lines_q q = {account, 0, 0, 0, 0};
        gl_bank_lines_q_encode(b, &q);
    }
}

void bk_set_body(gl_buf *b, const char *account, const char *iban, const char *bic,
                 const char *label)
{
    gl_buf_init(b);
    gl_bank_account r = {S(account), S(iban), S(bic), S(label)};
    gl_bank_account_encode(b, &r);
    cr_assert(gl_buf_ok(b));
}

int bk_set(harness *h, enum h_key k, const char *tenant, const char *account, const char *iban,
           const char *bic, const char *label)
{
    gl_buf b;
    bk_set_body(&b, account, iban, bic, label);
    gl_response r;
    int st = h_call(h, k, GL_KIND_BANK_ACCOUNT_SET, tenant, 0, b.data, b.len, &r);
    gl_response_free(&r);
    gl_buf_free(&b);
    return st;
}

void bk_list(harness *h, enum h_key k, const char *tenant, char *out, size_t cap)
{
    gl_response r;
    cr_assert_eq(h_call(h, k, GL_KIND_BANK_ACCOUNTS, tenant, 0, NULL, 0, &r), GL_OK);
    gl_cur c;
    gl_cur_init_stored(&c, r.reply.body, r.reply.body_len);
    uint32_t n = gl_get_u32(&c);
    out[0] = '\0';
    for (uint32_t i = 0; i < n; i++) {
        gl_bank_account_row row;
        cr_assert_eq(gl_bank_account_row_get(&c, &row), GL_OK);
        size_t used = strlen(out);
        snprintf(out + used, cap - used, "%.*s:%.*s:%.*s:%.*s;", (int)row.acct.account.len,
                 row.acct.account.ptr, (int)row.acct.iban.len, row.acct.iban.ptr,
                 (int)row.acct.bic.len, row.acct.bic.ptr, (int)row.acct.label.len,
                 row.acct.label.ptr);
    }
    cr_assert_eq(gl_cur_end(&c), GL_OK);
    gl_response_free(&r);
}

typedef struct count_ctx {
    uint32_t number;
    uint16_t type;
    long n;
} count_ctx;

static bool count_type(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    count_ctx *c = user;
    if (kl == 12 && gl_rd32(k) == c->number && vl >= 2 && gl_rd16(v) == c->type)
        c->n++;
    return true;
}

static bool find_tenant(const uint8_t *k, size_t kl, const uint8_t *v, size_t vl, void *user)
{
    const char **want = user;
    if (kl == strlen(want[0]) && !memcmp(k, want[0], kl) && vl >= 4)
        *(uint32_t *)want[1] = gl_rd32(v);
    return true;
}

long bk_events(harness *h, const char *tenant, uint16_t type)
{
    uint32_t number = 0;
    const char *want[2] = {tenant, (const char *)&number};
    h_db_each(h, "tenants", find_tenant, want);
    count_ctx c = {number, type, 0};
    h_db_each(h, "events", count_type, &c);
    return c.n;
}

void bk_unchanged(harness *h, const uint8_t before[32], const char *what)
{
    uint8_t after[32];
    h_digest(h, after);
    cr_assert_eq(memcmp(before, after, 32), 0, "%s changed the ledger", what);
}

void bk_statement(gl_bank_statement *s, const char *account_id, size_t n)
{
    memset(s, 0, sizeof *s);
    snprintf(s->account_id, sizeof s->account_id, "%s", account_id);
    snprintf(s->currency, sizeof s->currency, "EUR");
    s->n_lines = n;
    s->lines = calloc(n ? n : 1, sizeof *s->lines);
    cr_assert(s->lines);
}

void bk_line(gl_bank_line *l, uint32_t date, int64_t cents, const char *label, const char *ref)
{
    memset(l, 0, sizeof *l);
    l->booking_date = date;
    l->value_date = date;
    l->amount_cents = cents;
    snprintf(l->label, sizeof l->label, "%s", label);
    snprintf(l->bank_ref, sizeof l->bank_ref, "%s", ref ? ref : "");
    l->source_line = 1;
}

int bk_import(harness *h, enum h_key k, const char *tenant, const char *account,
              const gl_bank_statement *s, gl_bank_import_result *r)
{
    static const uint8_t sha[32] = {1, 2, 3};
    return gl_client_bank_import(h_client(h, k), tenant, account, s, GL_BANK_FORMAT_CAMT053, sha,
                                 r);
}

int bk_lines(harness *h, enum h_key k, const char *tenant, const char *account, uint32_t from,
             uint32_t to, char *out, size_t cap, uint32_t *count)
{
    gl_bank_lines_q q = {S(account), from, to, 0, 0};
    if (out)
        out[0] = '\0';
    *count = 0;
    for (bool more = true; more;) {
        gl_buf b;
        gl_buf_init(&b);
        gl_bank_lines_q_encode(&b, &q);
        gl_response r;
        int st = h_call(h, k, GL_KIND_BANK_LINES, tenant, 0, b.data, b.len, &r);
        gl_buf_free(&b);
        if (st != GL_OK) {
            gl_response_free(&r);
            return st;
        }
        gl_cur c;
        gl_cur_init_stored(&c, r.reply.body, r.reply.body_len);
        uint32_t n = gl_get_u32(&c);
        more = gl_get_u8(&c);
        for (uint32_t i = 0; i < n; i++) {
            gl_bank_row row;
            cr_assert_eq(gl_bank_row_get(&c, &row), GL_OK);
            cr_assert_leq(row.matched, 1);
            if (out) {
                size_t used = strlen(out);
                snprintf(out + used, cap - used, "%u:%lld:%.*s:%u%s;", row.line.booking,
                         (long long)row.line.amount_cents, (int)row.line.label.len,
                         row.line.label.ptr, row.seq, row.matched ? "m" : "");
            }
            q.after_date = row.line.booking;
            q.after_seq = row.seq;
            (*count)++;
        }
        cr_assert_eq(gl_cur_end(&c), GL_OK);
        gl_response_free(&r);
    }
    return GL_OK;
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    cr_assert(f, "%s", path);
    char *buf = malloc(1 << 24);
    cr_assert(buf);
    *len = fread(buf, 1, (1 << 24) - 1, f);
    fclose(f);
    return buf;
}

/* Rewrite t's chain with one byte changed in the first event of type. */
static void tamper(gl_archive_tenant *t, uint16_t type, const char *needle, gl_buf *arena)
{
    uint8_t prev[GL_HASH_BYTES] = {0};
    bool found = false;
    for (uint32_t k = 0; k < t->event_count; k++) {
        gl_event ev;
        cr_assert_eq(gl_event_decode(t->events[k].record, t->events[k].record_len, &ev), GL_OK);
        gl_buf copy;
        gl_buf_init(&copy);
        gl_put_bytes(&copy, ev.body, ev.body_len);
        if (ev.type == type && !found) {
            uint8_t *at = needle ? memmem(copy.data, copy.len, needle, strlen(needle))
                                 : copy.data + copy.len - 1;
            cr_assert(at, "no '%s' in the event", needle);
            *at = needle ? 'X' : (uint8_t)(*at + 1);
            found = true;
        }
        gl_buf_init(&arena[k]);
        gl_event_encode(&arena[k], t->id.ptr, t->id.len, k + 1, prev, ev.type, copy.data, copy.len);
        gl_buf_free(&copy);
        cr_assert(gl_buf_ok(&arena[k]));
        memcpy(prev, arena[k].data + arena[k].len - GL_HASH_BYTES, GL_HASH_BYTES);
        t->events[k] = (gl_archive_event){k + 1, arena[k].data, (uint32_t)arena[k].len};
    }
    cr_assert(found, "no event of type %u", type);
    memcpy(t->head_hash, prev, GL_HASH_BYTES);
}

int bk_verify_tampered(harness *h, uint16_t type, const char *needle, char *out, size_t cap)
{
    char path[400], bad[400], err[256];
    snprintf(path, sizeof path, "%s/all.glar", h->dir);
    snprintf(bad, sizeof bad, "%s/bad.glar", h->dir);
    cr_assert_eq(h_cli(h, K_AUDITOR, NULL, 0, "archive --all -o '%s'", path), 0);
    int rc = h_cli(h, K_AUDITOR, out, cap, "verify '%s'", path);
    cr_assert_eq(rc, 0, "the archive does not verify (%d):\n%s", rc, out);
    size_t len;
    char *bytes = slurp(path, &len);
    gl_archive a;
    cr_assert_eq(gl_archive_read((const uint8_t *)bytes, len, &a, err, sizeof err), GL_OK, "%s",
                 err);
    gl_archive_tenant *t = (gl_archive_tenant *)gl_archive_tenant_find(&a, (gl_str){"alpha", 5});
    cr_assert(t && t->has_chain);
    gl_buf *arena = calloc(t->event_count + 1, sizeof *arena);
    cr_assert(arena);
    tamper(t, type, needle, arena);
    gl_buf enc;
    gl_buf_init(&enc);
    cr_assert_eq(gl_archive_encode(&enc, &a, err, sizeof err), GL_OK, "%s", err);
    FILE *f = fopen(bad, "wb");
    cr_assert(f);
    cr_assert_eq(fwrite(enc.data, 1, enc.len, f), enc.len);
    fclose(f);
    rc = h_cli(h, K_AUDITOR, out, cap, "verify '%s'", bad);
    size_t used = strlen(out);
    h_cli_err(h, out + used, cap - used);
    gl_buf_free(&enc);
    for (uint32_t i = 0; i < t->event_count; i++)
        gl_buf_free(&arena[i]);
    free(arena);
    gl_archive_free(&a);
    free(bytes);
    return rc;
}
