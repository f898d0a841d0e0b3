/*
 * client/verify/archive.c — encode and read the verification archive
 * (format in archive.h).
 *
 * The encoder checks every rule of the format before writing a byte, so
 * that whatever it writes, the reader reads back to the same value (the
 * round trip is a unit test and a fuzz property).  The reader walks a
 * bounded cursor (proto/wire.h): each count is compared with the bytes
 * left, given the smallest size one item can take, before its array is
 * allocated, so a forged count cannot make it allocate more than a few
 * times the input's size.  Errors name the section and the byte offset.
 */
#include "archive.h"

#include "proto/limits.h"
#include "proto/request.h"
#include "proto/status.h"

#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Smallest encoded sizes, to bound counts by the bytes left. */
#define EVENT_MIN (8 + 4 + 2 + 4 + 2 * GL_HASH_BYTES) /* seq, len, smallest record */
#define BALANCE_MIN (2 + 4 + 4)
#define ROW_MIN (1 + 1 + 8 + 8)
#define TENANT_MIN (2 + 1 + 1 + 1 + 1 + 1)
#define ENVELOPE_MIN (8 + 4)
#define KEY_MIN (32 + 8 + 2)

static void say(char *err, size_t err_len, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void say(char *err, size_t err_len, const char *fmt, ...)
{
    if (!err || !err_len)
        return;
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(err, err_len, fmt, ap);
    va_end(ap);
}

static bool tenant_id_ok(gl_str t)
{
    return t.len >= 1 && t.len <= GL_TENANT_MAX && gl_tenant_id_chars_ok(t);
}

int gl_archive_str_cmp(gl_str a, gl_str b)
{
    size_t n = a.len < b.len ? a.len : b.len;
    int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
    if (c)
        return c;
    return a.len < b.len ? -1 : a.len > b.len;
}

static bool str_ok(gl_str s, size_t max)
{
    return s.len <= max && (s.len == 0 || (s.ptr && gl_utf8_valid(s.ptr, s.len)));
}

int gl_archive_key_decode(const uint8_t *record, size_t len, gl_archive_key *k)
{
    gl_cur c;
    gl_cur_init(&c, record, len);
    uint8_t format = gl_get_u8(&c);
    k->until_ms = gl_get_i64(&c);
    k->end = gl_get_u8(&c);
    k->role = gl_get_u8(&c);
    k->tenant = gl_get_str8(&c, GL_TENANT_MAX);
    k->name = gl_get_str8(&c, GL_ARCHIVE_NAME_MAX);
    if (gl_cur_end(&c) != GL_OK || format != 1 || k->until_ms < 0 || k->end > 3 ||
        (k->until_ms == 0) != (k->end == 0) || k->role < GL_KEY_ROLE_MEMBER ||
        k->role > GL_KEY_ROLE_AUDITOR ||
        (k->role == GL_KEY_ROLE_MEMBER && !tenant_id_ok(k->tenant)))
        return GL_ERR_MALFORMED;
    return GL_OK;
}

/* ------------------------------------------------------------------ */
/* Encoding                                                            */
/* ------------------------------------------------------------------ */

static int check_tenant(const gl_archive_tenant *t, char *err, size_t err_len)
{
    if (!tenant_id_ok(t->id)) {
        say(err, err_len, "tenant id '%.*s' is not 1-16 of [a-z0-9_-]", (int)t->id.len,
            t->id.ptr ? t->id.ptr : "");
        return GL_ERR_INPUT;
    }
    if (!str_ok(t->name, GL_ARCHIVE_NAME_MAX) || !str_ok(t->siren, GL_ARCHIVE_NAME_MAX) ||
        !str_ok(t->code, GL_AUX_MAX) || t->first_month < 1 || t->first_month > 12) {
        say(err, err_len,
            "tenant %.*s: a name, SIREN or code too long or not UTF-8, or a first month not 1-12",
            (int)t->id.len, t->id.ptr);
        return GL_ERR_INPUT;
    }
    if (!t->has_chain)
        return GL_OK;
    for (uint32_t i = 0; i < t->event_count; i++)
        if (!t->events[i].record && t->events[i].record_len) {
            say(err, err_len, "tenant %.*s: event %u has no bytes", (int)t->id.len, t->id.ptr,
                i + 1);
            return GL_ERR_INPUT;
        }
    for (uint16_t i = 0; i < t->balance_count; i++) {
        const gl_archive_balance *b = &t->balances[i];
        if (i > 0 && b->fy <= t->balances[i - 1].fy) {
            say(err, err_len, "tenant %.*s: trial balances not in fiscal-year order",
                (int)t->id.len, t->id.ptr);
            return GL_ERR_INPUT;
        }
        for (uint32_t r = 0; r < b->row_count; r++) {
            const gl_archive_row *row = &b->rows[r];
            if (!str_ok(row->account, GL_ACCOUNT_MAX) || row->debit_cents < 0 ||
                row->credit_cents < 0 ||
                (r > 0 && gl_archive_str_cmp(b->rows[r - 1].account, row->account) >= 0)) {
                say(err, err_len,
                    "tenant %.*s: trial balance %u: row %u out of order, too long or negative",
                    (int)t->id.len, t->id.ptr, b->fy, r + 1);
                return GL_ERR_INPUT;
            }
        }
    }
    return GL_OK;
}

static int check_archive(const gl_archive *a, char *err, size_t err_len)
{
    if (!str_ok(a->umbrella, GL_TENANT_MAX) || (a->umbrella.len && !tenant_id_ok(a->umbrella))) {
        say(err, err_len, "the umbrella's id is not a tenant id");
        return GL_ERR_INPUT;
    }
    for (uint16_t i = 0; i < a->tenant_count; i++) {
        int st = check_tenant(&a->tenants[i], err, err_len);
        if (st != GL_OK)
            return st;
        if (i > 0 && gl_archive_str_cmp(a->tenants[i - 1].id, a->tenants[i].id) >= 0) {
            say(err, err_len, "tenants not in id order (%.*s after %.*s)",
                (int)a->tenants[i].id.len, a->tenants[i].id.ptr, (int)a->tenants[i - 1].id.len,
                a->tenants[i - 1].id.ptr);
            return GL_ERR_INPUT;
        }
    }
    for (uint32_t i = 0; i < a->envelope_count; i++) {
        if (i > 0 && a->envelopes[i].number <= a->envelopes[i - 1].number) {
            say(err, err_len, "envelope %llu out of order or repeated",
                (unsigned long long)a->envelopes[i].number);
            return GL_ERR_INPUT;
        }
        if (!a->envelopes[i].bytes && a->envelopes[i].len) {
            say(err, err_len, "envelope %llu has no bytes",
                (unsigned long long)a->envelopes[i].number);
            return GL_ERR_INPUT;
        }
    }
    for (uint32_t i = 0; i < a->key_count; i++) {
        const gl_archive_key *k = &a->keys[i];
        gl_archive_key d;
        if (!k->signer || k->since_ms < 0 ||
            gl_archive_key_decode(k->record, k->record_len, &d) != GL_OK) {
            say(err, err_len, "keyring record %u does not decode", i + 1);
            return GL_ERR_INPUT;
        }
        if (i > 0) {
            int c = memcmp(a->keys[i - 1].signer, k->signer, 32);
            if (c > 0 || (c == 0 && a->keys[i - 1].since_ms >= k->since_ms)) {
                say(err, err_len, "keyring record %u out of order", i + 1);
                return GL_ERR_INPUT;
            }
        }
    }
    return GL_OK;
}

static void put_str(gl_buf *b, gl_str s) { gl_put_str8(b, s.len ? s.ptr : "", s.len); }

int gl_archive_encode(gl_buf *out, const gl_archive *a, char *err, size_t err_len)
{
    int st = check_archive(a, err, err_len);
    if (st != GL_OK)
        return st;
    gl_buf_reset(out);
    gl_put_bytes(out, GL_ARCHIVE_MAGIC, GL_ARCHIVE_MAGIC_LEN);
    gl_put_u16(out, a->has_ledger_id ? GL_ARCHIVE_VERSION : GL_ARCHIVE_VERSION_1);
    gl_put_u16(out, 0);
    gl_put_i64(out, a->created_ms);
    if (a->has_ledger_id)
        gl_put_bytes(out, a->ledger_id, GL_LEDGER_ID_BYTES);
    put_str(out, a->umbrella);
    gl_put_u16(out, a->tenant_count);
    for (uint16_t i = 0; i < a->tenant_count; i++) {
        const gl_archive_tenant *t = &a->tenants[i];
        put_str(out, t->id);
        put_str(out, t->name);
        put_str(out, t->siren);
        gl_put_u8(out, t->first_month);
        put_str(out, t->code);
        gl_put_u8(out, t->has_chain ? 1 : 0);
        if (!t->has_chain)
            continue;
        gl_put_u64(out, t->head_seq);
        gl_put_bytes(out, t->head_hash, GL_HASH_BYTES);
        gl_put_u32(out, t->event_count);
        for (uint32_t e = 0; e < t->event_count; e++) {
            gl_put_u64(out, t->events[e].seq);
            gl_put_u32(out, t->events[e].record_len);
            gl_put_bytes(out, t->events[e].record, t->events[e].record_len);
        }
        gl_put_u16(out, t->balance_count);
        for (uint16_t y = 0; y < t->balance_count; y++) {
            const gl_archive_balance *b = &t->balances[y];
            gl_put_u16(out, b->fy);
            gl_put_u32(out, b->at);
            gl_put_u32(out, b->row_count);
            for (uint32_t r = 0; r < b->row_count; r++) {
                put_str(out, b->rows[r].account);
                gl_put_i64(out, b->rows[r].debit_cents);
                gl_put_i64(out, b->rows[r].credit_cents);
            }
        }
    }
    gl_put_u32(out, a->envelope_count);
    for (uint32_t i = 0; i < a->envelope_count; i++) {
        gl_put_u64(out, a->envelopes[i].number);
        gl_put_u32(out, a->envelopes[i].len);
        gl_put_bytes(out, a->envelopes[i].bytes, a->envelopes[i].len);
    }
    gl_put_u32(out, a->key_count);
    for (uint32_t i = 0; i < a->key_count; i++) {
        gl_put_bytes(out, a->keys[i].signer, 32);
        gl_put_u64(out, (uint64_t)a->keys[i].since_ms);
        gl_put_u16(out, a->keys[i].record_len);
        gl_put_bytes(out, a->keys[i].record, a->keys[i].record_len);
    }
    if (!gl_buf_ok(out))
        return GL_ERR_NOMEM;
    uint8_t digest[GL_ARCHIVE_DIGEST_BYTES];
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, sizeof digest);
    crypto_generichash_update(&hs, (const uint8_t *)GL_ARCHIVE_TAG, sizeof GL_ARCHIVE_TAG);
    crypto_generichash_update(&hs, out->data, out->len);
    crypto_generichash_final(&hs, digest, sizeof digest);
    gl_put_bytes(out, digest, sizeof digest);
    return gl_buf_ok(out) ? GL_OK : GL_ERR_NOMEM;
}

/* ------------------------------------------------------------------ */
/* Reading                                                             */
/* ------------------------------------------------------------------ */

typedef struct reader {
    gl_cur c;
    const uint8_t *start;
    char *err;
    size_t err_len;
    int st; /* first failure */
} reader;

static size_t offset(const reader *r) { return (size_t)(r->c.pos - r->start); }

static int fail(reader *r, int st, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
static int fail(reader *r, int st, const char *fmt, ...)
{
    if (r->st != GL_OK)
        return r->st;
    r->st = st;
    char what[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(what, sizeof what, fmt, ap);
    va_end(ap);
    say(r->err, r->err_len, "%s at byte %zu", what, offset(r));
    return st;
}

/* After a run of gets: fail with `what` if the cursor failed. */
static bool ok(reader *r, const char *what)
{
    if (r->st != GL_OK)
        return false;
    if (gl_cur_status(&r->c) != GL_OK) {
        fail(r, GL_ERR_MALFORMED, "%s: %s", what,
             gl_cur_status(&r->c) == GL_ERR_MALFORMED ? "truncated"
                                                      : gl_status_name(gl_cur_status(&r->c)));
        return false;
    }
    return true;
}

/* calloc(n, size) when n items of at least min bytes each fit in what is
 * left; NULL with the failure recorded otherwise. */
static void *alloc_items(reader *r, uint64_t n, size_t size, size_t min, const char *what)
{
    if (n > gl_cur_left(&r->c) / min) {
        fail(r, GL_ERR_MALFORMED, "%s: a count of %llu cannot fit in the bytes left", what,
             (unsigned long long)n);
        return NULL;
    }
    void *p = calloc(n ? (size_t)n : 1, size);
    if (!p)
        fail(r, GL_ERR_NOMEM, "%s: out of memory", what);
    return p;
}

static void read_balances(reader *r, gl_archive_tenant *t)
{
    uint16_t n = gl_get_u16(&r->c);
    if (!ok(r, "trial balances"))
        return;
    t->balances = alloc_items(r, n, sizeof *t->balances, BALANCE_MIN, "trial balances");
    if (!t->balances)
        return;
    for (uint16_t i = 0; i < n; i++) {
        gl_archive_balance *b = &t->balances[i];
        b->fy = gl_get_u16(&r->c);
        b->at = gl_get_u32(&r->c);
        uint32_t rows = gl_get_u32(&r->c);
        if (!ok(r, "trial balance"))
            return;
        t->balance_count = (uint16_t)(i + 1);
        if (i > 0 && b->fy <= t->balances[i - 1].fy) {
            fail(r, GL_ERR_MALFORMED, "tenant %.*s: trial balance %u out of fiscal-year order",
                 (int)t->id.len, t->id.ptr, b->fy);
            return;
        }
        b->rows = alloc_items(r, rows, sizeof *b->rows, ROW_MIN, "trial balance rows");
        if (!b->rows)
            return;
        for (uint32_t k = 0; k < rows; k++) {
            gl_archive_row *row = &b->rows[k];
            row->account = gl_get_str8(&r->c, GL_ACCOUNT_MAX);
            row->debit_cents = gl_get_i64(&r->c);
            row->credit_cents = gl_get_i64(&r->c);
            if (!ok(r, "trial balance row"))
                return;
            b->row_count = k + 1;
            if (row->debit_cents < 0 || row->credit_cents < 0 ||
                (k > 0 && gl_archive_str_cmp(b->rows[k - 1].account, row->account) >= 0)) {
                fail(r, GL_ERR_MALFORMED,
                     "tenant %.*s: trial balance %u: row %u negative or out of order",
                     (int)t->id.len, t->id.ptr, b->fy, k + 1);
                return;
            }
        }
    }
}

static void read_chain(reader *r, gl_archive_tenant *t)
{
    t->head_seq = gl_get_u64(&r->c);
    const uint8_t *head = gl_get_bytes(&r->c, GL_HASH_BYTES);
    uint32_t n = gl_get_u32(&r->c);
    if (!ok(r, "chain head"))
        return;
    memcpy(t->head_hash, head, GL_HASH_BYTES);
    t->events = alloc_items(r, n, sizeof *t->events, EVENT_MIN, "events");
    if (!t->events)
        return;
    for (uint32_t i = 0; i < n; i++) {
        gl_archive_event *e = &t->events[i];
        e->seq = gl_get_u64(&r->c);
        e->record_len = gl_get_u32(&r->c);
        e->record = gl_get_bytes(&r->c, e->record_len);
        if (!ok(r, "event"))
            return;
        t->event_count = i + 1;
    }
    read_balances(r, t);
}

static void read_tenants(reader *r, gl_archive *a)
{
    uint16_t n = gl_get_u16(&r->c);
    if (!ok(r, "tenant count"))
        return;
    a->tenants = alloc_items(r, n, sizeof *a->tenants, TENANT_MIN, "tenants");
    if (!a->tenants)
        return;
    for (uint16_t i = 0; i < n; i++) {
        gl_archive_tenant *t = &a->tenants[i];
        t->id = gl_get_str8(&r->c, GL_TENANT_MAX);
        t->name = gl_get_str8(&r->c, GL_ARCHIVE_NAME_MAX);
        t->siren = gl_get_str8(&r->c, GL_ARCHIVE_NAME_MAX);
        t->first_month = gl_get_u8(&r->c);
        t->code = gl_get_str8(&r->c, GL_AUX_MAX);
        uint8_t has_chain = gl_get_u8(&r->c);
        if (!ok(r, "tenant"))
            return;
        a->tenant_count = (uint16_t)(i + 1);
        if (!tenant_id_ok(t->id) || t->first_month < 1 || t->first_month > 12 || has_chain > 1) {
            fail(r, GL_ERR_MALFORMED, "tenant %u: bad id, first month or chain flag", i + 1u);
            return;
        }
        if (i > 0 && gl_archive_str_cmp(a->tenants[i - 1].id, t->id) >= 0) {
            fail(r, GL_ERR_MALFORMED, "tenant %.*s: out of id order or repeated", (int)t->id.len,
                 t->id.ptr);
            return;
        }
        t->has_chain = has_chain == 1;
        if (t->has_chain)
            read_chain(r, t);
        if (r->st != GL_OK)
            return;
    }
}

static void read_envelopes(reader *r, gl_archive *a)
{
    uint32_t n = gl_get_u32(&r->c);
    if (!ok(r, "envelope count"))
        return;
    a->envelopes = alloc_items(r, n, sizeof *a->envelopes, ENVELOPE_MIN, "envelopes");
    if (!a->envelopes)
        return;
    for (uint32_t i = 0; i < n; i++) {
        gl_archive_envelope *e = &a->envelopes[i];
        e->number = gl_get_u64(&r->c);
        e->len = gl_get_u32(&r->c);
        if (gl_cur_status(&r->c) == GL_OK && e->len > GL_MESSAGE_MAX) {
            fail(r, GL_ERR_MALFORMED, "envelope %llu: larger than a request may be",
                 (unsigned long long)e->number);
            return;
        }
        e->bytes = gl_get_bytes(&r->c, e->len);
        if (!ok(r, "envelope"))
            return;
        a->envelope_count = i + 1;
        if (i > 0 && e->number <= a->envelopes[i - 1].number) {
            fail(r, GL_ERR_MALFORMED, "envelope %llu: out of order or repeated",
                 (unsigned long long)e->number);
            return;
        }
    }
}

static void read_keys(reader *r, gl_archive *a)
{
    uint32_t n = gl_get_u32(&r->c);
    if (!ok(r, "keyring count"))
        return;
    a->keys = alloc_items(r, n, sizeof *a->keys, KEY_MIN, "keyring");
    if (!a->keys)
        return;
    for (uint32_t i = 0; i < n; i++) {
        gl_archive_key *k = &a->keys[i];
        k->signer = gl_get_bytes(&r->c, 32);
        uint64_t since = gl_get_u64(&r->c);
        k->record_len = gl_get_u16(&r->c);
        k->record = gl_get_bytes(&r->c, k->record_len);
        if (!ok(r, "keyring record"))
            return;
        a->key_count = i + 1;
        k->since_ms = since > INT64_MAX ? -1 : (int64_t)since;
        if (k->since_ms < 0 || gl_archive_key_decode(k->record, k->record_len, k) != GL_OK) {
            fail(r, GL_ERR_MALFORMED, "keyring record %u does not decode", i + 1);
            return;
        }
        if (i > 0) {
            int c = memcmp(a->keys[i - 1].signer, k->signer, 32);
            if (c > 0 || (c == 0 && a->keys[i - 1].since_ms >= k->since_ms)) {
                fail(r, GL_ERR_MALFORMED, "keyring record %u out of order", i + 1);
                return;
            }
        }
    }
}

int gl_archive_read(const uint8_t *data, size_t len, gl_archive *out, char *err, size_t err_len)
{
    memset(out, 0, sizeof *out);
    say(err, err_len, "%s", "");
    reader r = {.start = data, .err = err, .err_len = err_len, .st = GL_OK};
    if (len < GL_ARCHIVE_MAGIC_LEN + GL_ARCHIVE_DIGEST_BYTES ||
        memcmp(data, GL_ARCHIVE_MAGIC, GL_ARCHIVE_MAGIC_LEN)) {
        gl_cur_init(&r.c, data, 0);
        fail(&r, GL_ERR_MALFORMED, "not a Grand Livre archive (no \"%s\" at the start)",
             GL_ARCHIVE_MAGIC);
        return r.st;
    }
    size_t body_len = len - GL_ARCHIVE_DIGEST_BYTES;
    gl_cur_init(&r.c, data, body_len);
    gl_get_bytes(&r.c, GL_ARCHIVE_MAGIC_LEN);
    uint16_t version = gl_get_u16(&r.c);
    uint16_t flags = gl_get_u16(&r.c);
    out->created_ms = gl_get_i64(&r.c);
    bool known = version == GL_ARCHIVE_VERSION || version == GL_ARCHIVE_VERSION_1;
    if (ok(&r, "header") && (!known || flags != 0))
        fail(&r, GL_ERR_MALFORMED,
             "archive version %u (flags %u): this program reads versions %u and %u", version, flags,
             GL_ARCHIVE_VERSION_1, GL_ARCHIVE_VERSION);
    if (r.st == GL_OK && version == GL_ARCHIVE_VERSION) {
        const uint8_t *id = gl_get_bytes(&r.c, GL_LEDGER_ID_BYTES);
        if (id) {
            memcpy(out->ledger_id, id, GL_LEDGER_ID_BYTES);
            out->has_ledger_id = true;
        }
    }
    out->umbrella = gl_get_str8(&r.c, GL_TENANT_MAX);
    if (r.st == GL_OK)
        ok(&r, "header");
    if (r.st == GL_OK && out->umbrella.len && !tenant_id_ok(out->umbrella))
        fail(&r, GL_ERR_MALFORMED, "the umbrella is not a tenant id");
    if (r.st == GL_OK)
        read_tenants(&r, out);
    if (r.st == GL_OK)
        read_envelopes(&r, out);
    if (r.st == GL_OK)
        read_keys(&r, out);
    if (r.st == GL_OK && gl_cur_left(&r.c) != 0)
        fail(&r, GL_ERR_MALFORMED,
             "%zu bytes after the keyring where the digest should be (a truncated or "
             "spliced file)",
             gl_cur_left(&r.c));
    if (r.st != GL_OK) {
        gl_archive_free(out);
        return r.st;
    }
    uint8_t digest[GL_ARCHIVE_DIGEST_BYTES];
    crypto_generichash_state hs;
    crypto_generichash_init(&hs, NULL, 0, sizeof digest);
    crypto_generichash_update(&hs, (const uint8_t *)GL_ARCHIVE_TAG, sizeof GL_ARCHIVE_TAG);
    crypto_generichash_update(&hs, data, body_len);
    crypto_generichash_final(&hs, digest, sizeof digest);
    out->digest_ok = sodium_memcmp(digest, data + body_len, sizeof digest) == 0;
    return GL_OK;
}

void gl_archive_free(gl_archive *a)
{
    for (uint16_t i = 0; a->tenants && i < a->tenant_count; i++) {
        gl_archive_tenant *t = &a->tenants[i];
        for (uint16_t y = 0; t->balances && y < t->balance_count; y++)
            free(t->balances[y].rows);
        free(t->balances);
        free(t->events);
    }
    free(a->tenants);
    free(a->envelopes);
    free(a->keys);
    memset(a, 0, sizeof *a);
}

const gl_archive_tenant *gl_archive_tenant_find(const gl_archive *a, gl_str id)
{
    for (uint16_t i = 0; i < a->tenant_count; i++)
        if (gl_archive_str_cmp(a->tenants[i].id, id) == 0)
            return &a->tenants[i];
    return NULL;
}

const gl_archive_envelope *gl_archive_envelope_find(const gl_archive *a, uint64_t n)
{
    size_t lo = 0, hi = a->envelope_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (a->envelopes[mid].number == n)
            return &a->envelopes[mid];
        if (a->envelopes[mid].number < n)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}
