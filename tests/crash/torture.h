/*
 * tests/crash/torture.h — the fault-injection tools of `make crashtest` and
 * `make soak` (one program, build/gltorture, plus the LD_PRELOAD shim
 * build/libgliolog.so), and the independent ledger checker the integration
 * tests share (tests/integration/test_storage.c).
 *
 *   check.c   ck_check: reads an LMDB environment directly (never through
 *             the daemon's code) and verifies every invariant of the ledger:
 *             hash chains, entries <-> chain events, continuous numbering,
 *             every stored total recomputed from the entries, per-line and
 *             intercompany indexes, requests <-> envelopes <-> entries (no
 *             request half-applied), and that every acknowledged request is
 *             there exactly once with its original reply.
 *   load.c    the client workload: threads posting signed single entries,
 *             batches, cross-tenant batches and recharges, retrying with the
 *             same request id until answered, recording every acknowledgement.
 *   loop.c    the SIGKILL crash loop (scripts/crashtest, phase 1).
 *   images.c  power-loss crash images from the shim's write log (phase 2).
 *   imgbuild.c  the image builder images.c uses: reads the shim's log and
 *             rebuilds each watched file as a power cut could leave it
 *             (pure file work, unit-tested in tests/unit/test_crash_images.c).
 *   soak.c    steady-rate soak with latency and RSS samples (scripts/soak).
 *   iolog.c   the LD_PRELOAD shim: records every write and flush the daemon
 *             makes to the files its durability depends on, data.mdb and
 *             the journal journal.glj (its own library, not linked here).
 *   util.c    hash table, clocks, acknowledgement files, the daemon process.
 */
#ifndef GL_TORTURE_H
#define GL_TORTURE_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <sys/types.h>

/* --- util.c ------------------------------------------------------------ */

int64_t tt_now_ns(void); /* CLOCK_MONOTONIC, comparable across processes */
void tt_sleep_ms(int64_t ms);
/* xorshift64* */
uint64_t tt_rand(uint64_t *state);
uint32_t tt_below(uint64_t *state, uint32_t n);

/* Open-addressing hash table: byte keys (<= TT_KEY_MAX) to two int64 and a
 * mark.  Grows; aborts on out of memory (a test tool). */
#define TT_KEY_MAX 96
typedef struct tt_slot {
    uint8_t key[TT_KEY_MAX];
    uint8_t len;
    bool used, mark;
    int64_t a, b;
} tt_slot;
typedef struct tt_map {
    tt_slot *slots;
    size_t cap, count;
} tt_map;
void tt_map_init(tt_map *m);
void tt_map_free(tt_map *m);
/* The slot of key, created (zeroed) if absent when create is true. */
tt_slot *tt_map_get(tt_map *m, const void *key, size_t len, bool create);

/* An acknowledged request: what a client received, when, and the entries
 * its reply names (tenant, fiscal year, number). */
typedef struct tt_ref {
    char tenant[17];
    uint16_t fy;
    uint32_t num;
} tt_ref;
typedef struct tt_ack {
    int64_t t_ns; /* when the reply arrived (CLOCK_MONOTONIC) */
    uint8_t signer[32];
    uint64_t request_id;
    uint16_t kind;
    uint32_t ref_count;
    tt_ref *refs;
    uint32_t body_len; /* the reply body as first received */
    uint8_t *body;
} tt_ack;
/* Append one acknowledgement to an open file (binary, one record each). */
int tt_ack_write(int fd, const tt_ack *a);
/* Read every acknowledgement of a file (a torn last record is ignored). */
int tt_ack_read_all(const char *path, tt_ack **out, size_t *n);
void tt_ack_free(tt_ack *a);

/* The daemon as a child process: argv {bin, "-c", config}, standard error
 * appended to log, extra environment "NAME=value" strings (may be NULL). */
pid_t tt_daemon_spawn(const char *bin, const char *config, const char *log, char *const *extra_env);
/* Wait up to timeout_ms for pid to exit; its wait status, or -1 if it did
 * not exit in time. */
int tt_wait_exit(pid_t pid, int64_t timeout_ms);

/* Recovery before a check: when dir holds a journal (TT_JOURNAL_FILE, the
 * journal-first writer's redo journal), run `daemon --recover dir` so that
 * the acknowledged requests it holds reach data.mdb, as the daemon's own
 * start would.  Returns 0 with *records = the records replayed (parsed from
 * "recovered N records"; 0 for "journal empty") or -1 when there is no
 * journal (nothing run); 1 if the recovery failed (exit status nonzero, a
 * signal, or cannot run: message in msg). */
#define TT_JOURNAL_FILE "journal.glj"
/* A recovery, or an image's check, still running after this long is
 * stopped and counts as failed: a sound one takes milliseconds, and LMDB
 * loops for ever in some trees the unsafe modes corrupt (a page pointing
 * back up the tree), which once held CI's quick crash test past its hour. */
#define TT_RECOVER_SECONDS 20
int tt_recover(const char *daemon, const char *dir, long *records, char *msg, size_t msg_len);
/* The daemon binary for recoveries: $GL_DAEMON, else $GL_BUILD/grandlivred,
 * else build/grandlivred (into buf). */
const char *tt_default_daemon(char *buf, size_t len);
/* Copy a regular file (0 ok, -1 error). */
int tt_copy_file(const char *from, const char *to);

/* --- imgbuild.c -------------------------------------------------------- */

/* The shim's log (iolog.c): header magic u32 "GLIO" | type u8 | file u8 |
 * pad[2] | len u32 | off u64 | t_ns i64, then len bytes.  file: which
 * watched file (IMG_DATA data.mdb, IMG_JOURNAL journal.glj; logs written
 * before the journal have 0 there: data.mdb). */
enum { IMG_DATA = 0, IMG_JOURNAL = 1, IMG_FILES = 2 };
enum { IMG_WRITE = 1, IMG_FLUSH = 2, IMG_DSYNC = 3, IMG_TRUNCATE = 4 };
typedef struct img_rec {
    uint8_t type, file;
    uint32_t len;
    uint64_t off;
    int64_t t_ns;
    const uint8_t *data;
} img_rec;
typedef struct img_log {
    img_rec *recs;
    size_t n;
    void *map;
    size_t map_len;
} img_log;
/* Read a log (a torn last record is ignored); records of an unknown file
 * index fail it (-1). */
int img_log_read(const char *path, img_log *log);
void img_log_free(img_log *log);

/* Builds crash images at nondecreasing crash points of one log.  For each
 * file it keeps a durable copy: its base plus every write of that file
 * before that file's last flush at or before the crash point. */
typedef struct img_builder {
    const img_rec *recs;
    size_t n;
    bool present[IMG_FILES]; /* a base or a record: the file exists */
    char durable[IMG_FILES][700];
    int dfd[IMG_FILES];
    size_t applied[IMG_FILES]; /* records before this index are in durable */
    long torn, dropped, kept_unflushed;
} img_builder;
/* bases[f]: the file before the log began (NULL or absent: empty); the
 * durable copies go into work.  0 ok, -1 error (message on stderr). */
int img_builder_init(img_builder *b, const img_log *log, const char *const bases[IMG_FILES],
                     const char *work);
/* Write to out[f] (for each present file; others are removed) the files a
 * power cut at record p could leave: per file, its writes before its last
 * flush at or before p; O_DSYNC writes completed by p; truncations; and
 * of the other writes up to p (rng decides, per file): each kept whole,
 * dropped, or torn (a random subset of its 512-byte sectors) — in three
 * images in ten all up to a random record q and none after, in three in
 * ten all up to q then at random.  0 ok, -1 error. */
int img_builder_image(img_builder *b, size_t p, const char *const out[IMG_FILES], uint64_t *rng);
void img_builder_free(img_builder *b);

/* --- check.c ----------------------------------------------------------- */

typedef struct ck_result {
    long tenants, events, entries, lines, envelopes, requests;
    long acked_requests, acked_entries; /* acknowledgements considered */
    long verified_entries, lost_entries, lost_requests, duplicated, reply_mismatch;
    long failures; /* invariant violations */
    char first_failure[512];
} ck_result;

/* Check the environment in dir (opened read-only; nothing may write to it
 * meanwhile) and the acknowledgements received before cutoff_ns
 * (INT64_MAX: all).  Entries whose piece reference starts with marker (may
 * be NULL) must be unique per tenant.  Returns 0 if every invariant holds
 * and nothing acknowledged is missing or duplicated, 1 otherwise, 2 if the
 * environment cannot be opened (message in first_failure). */
int ck_check(const char *dir, const tt_ack *acks, size_t n_acks, int64_t cutoff_ns,
             const char *marker, ck_result *r);
/* One line: the result's figures and its first failure. */
void ck_print(FILE *out, const char *label, const ck_result *r);

/* The envelope numbers and per-tenant chain heads of an environment, for
 * prefix comparisons (backup versus original). */
typedef struct ck_chain_head {
    char tenant[17];
    uint64_t seq;
    uint8_t hash[32];
} ck_chain_head;
/* The hash of event seq of tenant in dir (false if absent). */
bool ck_event_hash(const char *dir, const char *tenant, uint64_t seq, uint8_t out[32]);
/* Every tenant's chain head; returns the count (<= max), -1 on error. */
int ck_chain_heads(const char *dir, ck_chain_head *out, int max);
/* The highest envelope number (0 if none), -1 on error. */
int64_t ck_last_envelope(const char *dir);

/* --- load.c ------------------------------------------------------------ */

#define LD_CLIENTS_MAX 16
typedef struct ld_opts {
    const char *endpoint;
    const char *key_dir;    /* <tenant>.key and accountant.key */
    const char *umbrella;   /* e.g. "gessa" */
    const char *members[8]; /* member tenants */
    int member_count;
    int clients;    /* threads (<= LD_CLIENTS_MAX) */
    int timeout_ms; /* per call */
    int pace_ms;    /* pause between a client's requests */
    uint64_t seed;
    int ack_fd; /* if >= 0: every acknowledgement appended here */
} ld_opts;

typedef struct ld_stats {
    atomic_long requests, entries, retries, refusals, replays_checked, replay_mismatch, recharges;
    atomic_llong last_ack_ns; /* when the latest acknowledgement arrived */
} ld_stats;

typedef struct ld_run ld_run;
/* Set up what the workload needs (allocation keys version 1), then start
 * the client threads. NULL on failure (message on stderr). */
ld_run *ld_start(const ld_opts *o);
/* Ask the clients to stop once their current request is answered, wait up to
 * timeout_ms (then abandon the request in flight), join them. */
void ld_stop(ld_run *r, int64_t timeout_ms);
const ld_stats *ld_stats_of(ld_run *r);
/* A copy of every acknowledgement so far (caller frees with tt_ack_free on
 * each and free). */
void ld_acks(ld_run *r, tt_ack **out, size_t *n);
void ld_free(ld_run *r);
/* The workload's piece-reference marker (unique per entry). */
#define LD_MARKER "CT-"

/* --- subcommands (main.c dispatches) ----------------------------------- */
int cmd_loop(int argc, char **argv);
int cmd_load(int argc, char **argv);
int cmd_images(int argc, char **argv);
int cmd_check(int argc, char **argv);
int cmd_soak(int argc, char **argv);

#endif
