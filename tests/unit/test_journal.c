/*
 * tests/unit/test_journal.c — the journal's record format (daemon/journal.h):
 * a record reads back as written; a torn, altered, renumbered or oversized
 * record is not a record; a malformed payload is refused before it touches
 * the store.
 */
#include "daemon/journal.h"

#include "proto/status.h"

#include <criterion/criterion.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static const uint8_t ledger[GL_LEDGER_ID_BYTES] = {1, 2,  3,  4,  5,  6,  7,  8,
                                                   9, 10, 11, 12, 13, 14, 15, 16};
static const uint8_t payload[] = {STORE_OP_DEL, DB_ENVELOPES, 0, 3, 0, 0, 0, 0, 'k', 'e', 'y'};

static void encode(gl_buf *b, uint64_t seq)
{
    gl_buf_init(b);
    journal_record_encode(b, ledger, seq, payload, sizeof payload);
    cr_assert(gl_buf_ok(b));
    cr_assert_eq(b->len, JOURNAL_HEAD_BYTES + sizeof payload + JOURNAL_SUM_BYTES);
}

Test(journal_record, reads_back_as_written)
{
    gl_buf b;
    encode(&b, 42);
    const uint8_t *p;
    size_t len, rec_len;
    cr_assert(journal_record_parse(b.data, b.len, ledger, 42, &p, &len, &rec_len));
    cr_assert_eq(len, sizeof payload);
    cr_assert_eq(rec_len, b.len);
    cr_assert(!memcmp(p, payload, len));
    /* followed by anything: still the same record */
    gl_put_u32(&b, 0xdeadbeef);
    cr_assert(journal_record_parse(b.data, b.len, ledger, 42, &p, &len, &rec_len));
    cr_assert_eq(rec_len, b.len - 4);
    gl_buf_free(&b);
}

Test(journal_record, another_seq_is_not_the_record_expected)
{
    gl_buf b;
    encode(&b, 42);
    const uint8_t *p;
    size_t len, rec_len;
    cr_assert(!journal_record_parse(b.data, b.len, ledger, 41, &p, &len, &rec_len));
    cr_assert(!journal_record_parse(b.data, b.len, ledger, 43, &p, &len, &rec_len));
    gl_buf_free(&b);
}

Test(journal_record, every_torn_or_altered_record_is_refused)
{
    gl_buf b;
    encode(&b, 7);
    const uint8_t *p;
    size_t len, rec_len;
    for (size_t cut = 0; cut < b.len; cut++)
        cr_assert(!journal_record_parse(b.data, cut, ledger, 7, &p, &len, &rec_len), "torn at %zu",
                  cut);
    for (size_t i = 0; i < b.len; i++) {
        b.data[i] ^= 0x01;
        cr_assert(!journal_record_parse(b.data, b.len, ledger, 7, &p, &len, &rec_len), "byte %zu",
                  i);
        b.data[i] ^= 0x01;
    }
    static const uint8_t zeros[64];
    cr_assert(!journal_record_parse(zeros, sizeof zeros, ledger, 0, &p, &len, &rec_len));
    gl_buf_free(&b);
}

Test(journal_record, a_length_past_the_buffer_or_the_cap_is_refused)
{
    gl_buf b;
    encode(&b, 1);
    const uint8_t *p;
    size_t len, rec_len;
    gl_be32(b.data + 12, 0xffffffffu);
    cr_assert(!journal_record_parse(b.data, b.len, ledger, 1, &p, &len, &rec_len));
    gl_be32(b.data + 12, JOURNAL_PAYLOAD_MAX + 1);
    cr_assert(!journal_record_parse(b.data, b.len, ledger, 1, &p, &len, &rec_len));
    gl_buf_free(&b);
}

Test(journal_payload, a_malformed_operation_is_refused_before_the_store)
{
    static const uint8_t bad_op[] = {9, DB_META, 0, 0, 0, 0, 0, 0};
    static const uint8_t bad_db[] = {STORE_OP_PUT, DB_COUNT_, 0, 0, 0, 0, 0, 0};
    static const uint8_t short_head[] = {STORE_OP_PUT, DB_META, 0};
    static const uint8_t past_end[] = {STORE_OP_PUT, DB_META, 0, 4, 0, 0, 0, 9, 'a', 'b'};
    static const uint8_t del_value[] = {STORE_OP_DEL, DB_META, 0, 1, 0, 0, 0, 1, 'a', 'b'};
    cr_assert_eq(journal_payload_apply(NULL, bad_op, sizeof bad_op), GL_ERR_INPUT);
    cr_assert_eq(journal_payload_apply(NULL, bad_db, sizeof bad_db), GL_ERR_INPUT);
    cr_assert_eq(journal_payload_apply(NULL, short_head, sizeof short_head), GL_ERR_INPUT);
    cr_assert_eq(journal_payload_apply(NULL, past_end, sizeof past_end), GL_ERR_INPUT);
    cr_assert_eq(journal_payload_apply(NULL, del_value, sizeof del_value), GL_ERR_INPUT);
    cr_assert_eq(journal_payload_apply(NULL, NULL, 0), GL_OK);
}

/* A record of another ledger (a journal left beside a replaced data.mdb) is
 * not a record of this one, whatever its number. */
Test(journal_record, another_ledgers_record_is_not_one)
{
    gl_buf b;
    encode(&b, 5);
    uint8_t other[GL_LEDGER_ID_BYTES];
    memcpy(other, ledger, sizeof other);
    other[15] ^= 1;
    const uint8_t *p;
    size_t len, rec_len;
    cr_assert(journal_record_parse(b.data, b.len, ledger, 5, &p, &len, &rec_len));
    cr_assert(!journal_record_parse(b.data, b.len, other, 5, &p, &len, &rec_len));
    gl_buf_free(&b);
}

/* The whole file, for the end-mark test. */
static size_t slurp(const char *path, uint8_t *buf, size_t cap)
{
    FILE *f = fopen(path, "rb");
    cr_assert_not_null(f);
    size_t n = fread(buf, 1, cap, f);
    fclose(f);
    return n;
}

/* After a rewind, what an earlier round left further in the file is never
 * read as a record, even one carrying the very number expected next (a
 * record shaped inside a signed envelope, say): each append ends with a
 * zero head that stops the reading. */
Test(journal_record, an_earlier_rounds_record_past_the_last_one_is_never_read)
{
    char dir[] = "/tmp/gl-journal-XXXXXX", path[64];
    cr_assert_not_null(mkdtemp(dir));
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
    journal j;
    char err[256];
    cr_assert_eq(journal_open(&j, dir, ledger, 1, err, sizeof err), 0, "%s", err);
    cr_assert_eq(journal_append(&j, payload, sizeof payload), 0); /* seq 1 */
    cr_assert_eq(journal_append(&j, payload, sizeof payload), 0); /* seq 2 */
    journal_rewind(&j);
    j.next_seq = 1; /* the same numbers again: the worst case */
    cr_assert_eq(journal_append(&j, payload, sizeof payload), 0);
    static uint8_t buf[1 << 20];
    size_t n = slurp(path, buf, sizeof buf);
    const uint8_t *p;
    size_t len, rec_len;
    cr_assert(journal_record_parse(buf, n, ledger, 1, &p, &len, &rec_len));
    cr_assert(!journal_record_parse(buf + rec_len, n - rec_len, ledger, 2, &p, &len, &rec_len),
              "the earlier round's record 2 was read after the last record");
    journal_close(&j);
    unlink(path);
    rmdir(dir);
}
