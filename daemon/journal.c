/*
 * daemon/journal.c — the redo journal (journal.h): its record format, its
 * file, and the recovery that replays it into LMDB.
 */
#include "journal.h"

#include "fileio.h"

#include "proto/status.h"

#include <sodium.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

static const uint8_t magic[4] = {'G', 'L', 'J', '1'};

/* Grown by this much at a time (zeros written and flushed once), so that
 * the acknowledging flush of a record moves no file metadata. */
#define JOURNAL_GROW_BYTES (1u << 20)

/* A record's head (magic, seq, payload length) and its checksum over the
 * head and the payload. */
static void record_frame(uint8_t head[JOURNAL_HEAD_BYTES], uint8_t sum[JOURNAL_SUM_BYTES],
                         const uint8_t key[GL_LEDGER_ID_BYTES], uint64_t seq,
                         const uint8_t *payload, size_t len)
{
    memcpy(head, magic, sizeof magic);
    gl_be64(head + 4, seq);
    gl_be32(head + 12, (uint32_t)len);
    crypto_generichash_state st;
    crypto_generichash_init(&st, key, GL_LEDGER_ID_BYTES, JOURNAL_SUM_BYTES);
    crypto_generichash_update(&st, head, JOURNAL_HEAD_BYTES);
    crypto_generichash_update(&st, payload, len);
    crypto_generichash_final(&st, sum, JOURNAL_SUM_BYTES);
}

void journal_record_encode(gl_buf *out, const uint8_t key[GL_LEDGER_ID_BYTES], uint64_t seq,
                           const uint8_t *payload, size_t len)
{
    uint8_t head[JOURNAL_HEAD_BYTES], sum[JOURNAL_SUM_BYTES];
    record_frame(head, sum, key, seq, payload, len);
    gl_put_bytes(out, head, sizeof head);
    gl_put_bytes(out, payload, len);
    gl_put_bytes(out, sum, sizeof sum);
}

bool journal_record_parse(const uint8_t *p, size_t avail, const uint8_t key[GL_LEDGER_ID_BYTES],
                          uint64_t seq, const uint8_t **payload, size_t *payload_len,
                          size_t *rec_len)
{
    if (avail < JOURNAL_HEAD_BYTES + JOURNAL_SUM_BYTES || memcmp(p, magic, sizeof magic) != 0 ||
        gl_rd64(p + 4) != seq)
        return false;
    size_t len = gl_rd32(p + 12);
    if (len > JOURNAL_PAYLOAD_MAX || avail - JOURNAL_HEAD_BYTES - JOURNAL_SUM_BYTES < len)
        return false;
    uint8_t head[JOURNAL_HEAD_BYTES], sum[JOURNAL_SUM_BYTES];
    record_frame(head, sum, key, seq, p + JOURNAL_HEAD_BYTES, len);
    if (sodium_memcmp(sum, p + JOURNAL_HEAD_BYTES + len, sizeof sum) != 0)
        return false;
    *payload = p + JOURNAL_HEAD_BYTES;
    *payload_len = len;
    *rec_len = JOURNAL_HEAD_BYTES + len + JOURNAL_SUM_BYTES;
    return true;
}

int journal_payload_apply(store_txn *t, const uint8_t *p, size_t len)
{
    size_t at = 0;
    while (at < len) {
        if (len - at < 8)
            return GL_ERR_INPUT;
        uint8_t op = p[at], db = p[at + 1];
        size_t key_len = gl_rd16(p + at + 2), val_len = gl_rd32(p + at + 4);
        at += 8;
        if (db >= DB_COUNT_ || (op != STORE_OP_PUT && op != STORE_OP_DEL) ||
            (op == STORE_OP_DEL && val_len) || len - at < key_len || len - at - key_len < val_len)
            return GL_ERR_INPUT;
        const uint8_t *key = p + at, *val = key + key_len;
        at += key_len + val_len;
        int st = op == STORE_OP_PUT ? store_put(t, (enum store_db)db, key, key_len, val, val_len)
                                    : store_del(t, (enum store_db)db, key, key_len);
        if (st != GL_OK && !(op == STORE_OP_DEL && st == GL_ERR_NOT_FOUND))
            return st;
    }
    return GL_OK;
}

/* --- the file ---------------------------------------------------------- */

static int write_all(int fd, const uint8_t *p, size_t n, uint64_t off)
{
    while (n) {
        ssize_t w = pwrite(fd, p, n, (off_t)off);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            if (w == 0)
                errno = EIO;
            return -1;
        }
        p += w, n -= (size_t)w, off += (uint64_t)w;
    }
    return 0;
}

/* Zeros up to at least want bytes, flushed with the file's new size. */
static int grow(journal *j, uint64_t want)
{
    static const uint8_t zeros[65536];
    uint64_t target = want + JOURNAL_GROW_BYTES - want % JOURNAL_GROW_BYTES;
    for (uint64_t at = j->allocated_bytes; at < target;) {
        size_t n = target - at < sizeof zeros ? (size_t)(target - at) : sizeof zeros;
        if (write_all(j->fd, zeros, n, at) != 0)
            return -1;
        at += n;
    }
    if (fdatasync(j->fd) != 0)
        return -1;
    j->allocated_bytes = target;
    return 0;
}

int journal_open(journal *j, const char *dir, const uint8_t key[GL_LEDGER_ID_BYTES],
                 uint64_t next_seq, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
    memset(j, 0, sizeof *j);
    j->next_seq = next_seq;
    memcpy(j->key, key, GL_LEDGER_ID_BYTES);
    j->fd = open(path, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
    struct stat sb;
    if (j->fd < 0 || fstat(j->fd, &sb) != 0) {
        snprintf(err, err_len, "cannot open %s: %s", path, strerror(errno));
        journal_close(j);
        return -1;
    }
    /* held for the daemon's life: --recover refuses a directory in use */
    if (flock(j->fd, LOCK_EX | LOCK_NB) != 0) {
        snprintf(err, err_len, "%s is in use by another process (a grandlivred running on it?)",
                 path);
        journal_close(j);
        return -1;
    }
    j->allocated_bytes = (uint64_t)sb.st_size;
    if (j->allocated_bytes < JOURNAL_GROW_BYTES && grow(j, 1) != 0) {
        snprintf(err, err_len, "cannot allocate %s: %s", path, strerror(errno));
        journal_close(j);
        return -1;
    }
    int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC); /* the new name is durable */
    if (dfd >= 0) {
        fsync(dfd);
        close(dfd);
    }
    return 0;
}

/* The record is written in place from the transaction's log (its head,
 * the payload, its checksum: no copy of a payload that may be megabytes
 * long), followed by an end mark, then flushed once. */
int journal_append(journal *j, const uint8_t *payload, size_t len)
{
    static const uint8_t end_mark[JOURNAL_HEAD_BYTES];
    if (len > JOURNAL_PAYLOAD_MAX) {
        errno = EFBIG;
        return -1;
    }
    uint8_t head[JOURNAL_HEAD_BYTES], sum[JOURNAL_SUM_BYTES];
    record_frame(head, sum, j->key, j->next_seq, payload, len);
    uint64_t at = j->offset_bytes, rec_len = sizeof head + len + sizeof sum;
    uint64_t need = at + rec_len + sizeof end_mark;
    if (need > j->allocated_bytes && grow(j, need) != 0)
        return -1; /* nothing of the record written */
    int rc = write_all(j->fd, head, sizeof head, at);
    if (rc == 0)
        rc = write_all(j->fd, payload, len, at + sizeof head);
    if (rc == 0)
        rc = write_all(j->fd, sum, sizeof sum, at + sizeof head + len);
    if (rc == 0)
        rc = write_all(j->fd, end_mark, sizeof end_mark, at + rec_len);
    if (rc == 0)
        rc = fdatasync(j->fd);
    if (rc == 0) {
        j->offset_bytes += rec_len;
        j->next_seq++;
        return 0;
    }
    /* A sound record may sit in the page cache and reach the disk later:
     * unwrite it, or say that it may remain. */
    int saved = errno;
    if (write_all(j->fd, end_mark, sizeof end_mark, at) != 0 || fdatasync(j->fd) != 0)
        return -2;
    errno = saved;
    return -1;
}

void journal_rewind(journal *j) { j->offset_bytes = 0; }

void journal_close(journal *j)
{
    if (j->fd >= 0)
        close(j->fd);
    j->fd = -1;
}

/* --- recovery ---------------------------------------------------------- */

int journal_check_free(const char *dir, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return 0; /* none (or unreadable: recovery says why) */
    int rc = flock(fd, LOCK_SH | LOCK_NB);
    close(fd);
    if (rc != 0)
        snprintf(err, err_len, "%s is in use by another process (a grandlivred running on it?)",
                 path);
    return rc == 0 ? 0 : -1;
}

/* The whole file into *buf (NULL, 0 if there is none). */
static int read_file(const char *path, uint8_t **buf, size_t *len, char *err, size_t err_len)
{
    *buf = NULL;
    *len = 0;
    struct stat sb;
    int fd = file_open_read(path, &sb, err, err_len);
    if (fd == FILE_ABSENT)
        return 0;
    if (fd < 0)
        return -1;
    if (flock(fd, LOCK_SH | LOCK_NB) != 0) {
        snprintf(err, err_len, "%s is in use by another process (a grandlivred running on it?)",
                 path);
        close(fd);
        return -1;
    }
    size_t size = (size_t)sb.st_size, got = 0;
    *buf = malloc(size ? size : 1);
    while (*buf && got < size) {
        ssize_t n = pread(fd, *buf + got, size - got, (off_t)got);
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            break;
        got += (size_t)n;
    }
    close(fd);
    if (!*buf || got < size) {
        snprintf(err, err_len, "cannot read %s: %s", path,
                 *buf ? strerror(errno) : "out of memory");
        free(*buf);
        *buf = NULL;
        return -1;
    }
    *len = size;
    return 0;
}

/* Apply every record after seq in t; the last one's seq into *last. */
static int replay(store_txn *t, const uint8_t key[GL_LEDGER_ID_BYTES], const uint8_t *buf,
                  size_t len, uint64_t seq, uint64_t *last, char *err, size_t err_len)
{
    size_t at = 0;
    *last = seq;
    for (;;) {
        const uint8_t *payload;
        size_t payload_len, rec_len;
        if (!journal_record_parse(buf + at, len - at, key, *last + 1, &payload, &payload_len,
                                  &rec_len))
            return GL_OK;
        int st = journal_payload_apply(t, payload, payload_len);
        if (st != GL_OK) {
            snprintf(err, err_len, "journal record %llu cannot be applied (%s)",
                     (unsigned long long)(*last + 1), gl_status_name(st));
            return st;
        }
        at += rec_len;
        (*last)++;
    }
}

int journal_recover(store *s, const char *dir, uint64_t *records, char *err, size_t err_len)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/%s", dir, JOURNAL_FILE);
    uint8_t *buf;
    size_t len;
    *records = 0;
    if (read_file(path, &buf, &len, err, err_len) != 0)
        return GL_ERR_STORAGE;
    store_txn *t;
    int st = store_begin(s, NULL, false, &t);
    uint64_t seq = 0, last = 0;
    if (st == GL_OK && (st = store_journal_seq_get(t, &seq)) != GL_OK)
        snprintf(err, err_len, "cannot read meta journal_seq (%s)", gl_status_name(st));
    else if (st != GL_OK)
        snprintf(err, err_len, "cannot begin a write transaction (%s)", gl_status_name(st));
    uint8_t key[GL_LEDGER_ID_BYTES];
    if (st == GL_OK && (st = store_ledger_id(s, key)) != GL_OK)
        snprintf(err, err_len, "cannot read the ledger id (%s)", gl_status_name(st));
    if (st == GL_OK)
        st = replay(t, key, buf, len, seq, &last, err, err_len);
    free(buf);
    if (st == GL_OK && last == seq) { /* nothing to replay: nothing written */
        store_abort(t);
        return GL_OK;
    }
    if (st == GL_OK && (st = store_journal_seq_put(t, last)) == GL_OK) {
        st = store_commit(t);
        if (st != GL_OK)
            snprintf(err, err_len, "cannot commit the replayed journal (%s)", gl_status_name(st));
    } else if (t) {
        store_abort(t);
    }
    if (st == GL_OK)
        *records = last - seq;
    return st;
}
