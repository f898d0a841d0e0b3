/*
 * tests/crash/util.c — small pieces the crash tools share: a monotonic
 * clock, a pseudo-random generator, a byte-keyed hash table, the binary
 * acknowledgement file, and the daemon as a child process.
 */
#include "torture.h"

#include "proto/hash.h"
#include "proto/wire.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

extern char **environ;

int64_t tt_now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

void tt_sleep_ms(int64_t ms)
{
    if (ms <= 0)
        return;
    struct timespec ts = {ms / 1000, (long)(ms % 1000) * 1000000};
    while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
        ;
}

uint64_t tt_rand(uint64_t *s)
{
    if (!*s)
        *s = 0x9E3779B97F4A7C15ull;
    *s ^= *s >> 12;
    *s ^= *s << 25;
    *s ^= *s >> 27;
    return *s * 0x2545F4914F6CDD1Dull;
}

uint32_t tt_below(uint64_t *s, uint32_t n) { return n ? (uint32_t)(tt_rand(s) % n) : 0; }

/* --- hash table -------------------------------------------------------- */

static uint64_t hash_bytes(const uint8_t *p, size_t n)
{
    uint64_t h = gl_fnv1a64(p, n); /* then a final mix */
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdull;
    h ^= h >> 33;
    return h;
}

void tt_map_init(tt_map *m) { memset(m, 0, sizeof *m); }

void tt_map_free(tt_map *m)
{
    free(m->slots);
    memset(m, 0, sizeof *m);
}

static void map_grow(tt_map *m)
{
    size_t cap = m->cap ? m->cap * 2 : 1024;
    tt_slot *old = m->slots, *slots = calloc(cap, sizeof *slots);
    if (!slots) {
        fprintf(stderr, "gltorture: out of memory\n");
        abort();
    }
    size_t old_cap = m->cap;
    m->slots = slots;
    m->cap = cap;
    for (size_t i = 0; i < old_cap; i++) {
        if (!old[i].used)
            continue;
        size_t j = hash_bytes(old[i].key, old[i].len) & (cap - 1);
        while (slots[j].used)
            j = (j + 1) & (cap - 1);
        slots[j] = old[i];
    }
    free(old);
}

tt_slot *tt_map_get(tt_map *m, const void *key, size_t len, bool create)
{
    if (len > TT_KEY_MAX) {
        fprintf(stderr, "gltorture: hash key too long (%zu)\n", len);
        abort();
    }
    if (create && (m->count + 1) * 4 > m->cap * 3)
        map_grow(m);
    if (!m->cap)
        return NULL;
    size_t j = hash_bytes(key, len) & (m->cap - 1);
    while (m->slots[j].used) {
        if (m->slots[j].len == len && !memcmp(m->slots[j].key, key, len))
            return &m->slots[j];
        j = (j + 1) & (m->cap - 1);
    }
    if (!create)
        return NULL;
    tt_slot *s = &m->slots[j];
    memset(s, 0, sizeof *s);
    s->used = true;
    s->len = (uint8_t)len;
    memcpy(s->key, key, len);
    m->count++;
    return s;
}

/* --- acknowledgement files --------------------------------------------
 * Record: "GLAK" | t_ns i64 | signer[32] | request_id u64 | kind u16 |
 *         ref_count u32 | (tenant str8 | fy u16 | num u32)* |
 *         body_len u32 | body.  Big-endian, written with one write(2). */

int tt_ack_write(int fd, const tt_ack *a)
{
    gl_buf b;
    gl_buf_init(&b);
    gl_put_bytes(&b, "GLAK", 4);
    gl_put_i64(&b, a->t_ns);
    gl_put_bytes(&b, a->signer, 32);
    gl_put_u64(&b, a->request_id);
    gl_put_u16(&b, a->kind);
    gl_put_u32(&b, a->ref_count);
    for (uint32_t i = 0; i < a->ref_count; i++) {
        gl_put_str8(&b, a->refs[i].tenant, strlen(a->refs[i].tenant));
        gl_put_u16(&b, a->refs[i].fy);
        gl_put_u32(&b, a->refs[i].num);
    }
    gl_put_u32(&b, a->body_len);
    gl_put_bytes(&b, a->body, a->body_len);
    int rc = -1;
    if (gl_buf_ok(&b)) {
        size_t off = 0;
        while (off < b.len) {
            ssize_t n = write(fd, b.data + off, b.len - off);
            if (n < 0 && errno == EINTR)
                continue;
            if (n <= 0)
                break;
            off += (size_t)n;
        }
        rc = off == b.len ? 0 : -1;
    }
    gl_buf_free(&b);
    return rc;
}

int tt_ack_read_all(const char *path, tt_ack **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    FILE *f = fopen(path, "rb");
    if (!f)
        return -1;
    gl_buf all;
    gl_buf_init(&all);
    uint8_t chunk[65536];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0)
        gl_put_bytes(&all, chunk, got);
    fclose(f);
    if (!gl_buf_ok(&all))
        return -1;
    size_t cap = 0;
    gl_cur c;
    gl_cur_init(&c, all.data, all.len);
    while (gl_cur_left(&c) > 0) {
        gl_cur save = c;
        tt_ack a = {0};
        const uint8_t *magic = gl_get_bytes(&c, 4);
        a.t_ns = gl_get_i64(&c);
        const uint8_t *signer = gl_get_bytes(&c, 32);
        a.request_id = gl_get_u64(&c);
        a.kind = gl_get_u16(&c);
        a.ref_count = gl_get_u32(&c);
        if (!magic || memcmp(magic, "GLAK", 4) || !signer || a.ref_count > 100000)
            break;
        memcpy(a.signer, signer, 32);
        a.refs = calloc(a.ref_count ? a.ref_count : 1, sizeof *a.refs);
        for (uint32_t i = 0; a.refs && i < a.ref_count; i++) {
            gl_str t = gl_get_str8(&c, 16);
            memcpy(a.refs[i].tenant, t.ptr ? t.ptr : "", t.ptr ? t.len : 0);
            a.refs[i].fy = gl_get_u16(&c);
            a.refs[i].num = gl_get_u32(&c);
        }
        a.body_len = gl_get_u32(&c);
        const uint8_t *body = gl_get_bytes(&c, a.body_len);
        if (!a.refs || gl_cur_status(&c) != 0 || !body) {
            free(a.refs);
            c = save;
            break; /* a torn last record */
        }
        a.body = malloc(a.body_len ? a.body_len : 1);
        if (!a.body) {
            free(a.refs);
            break;
        }
        memcpy(a.body, body, a.body_len);
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            tt_ack *p = realloc(*out, cap * sizeof *p);
            if (!p) {
                tt_ack_free(&a);
                break;
            }
            *out = p;
        }
        (*out)[(*n)++] = a;
    }
    gl_buf_free(&all);
    return 0;
}

void tt_ack_free(tt_ack *a)
{
    free(a->refs);
    free(a->body);
    a->refs = NULL;
    a->body = NULL;
}

/* --- the daemon -------------------------------------------------------- */

pid_t tt_daemon_spawn(const char *bin, const char *config, const char *log, char *const *extra_env)
{
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addopen(&fa, 2, log, O_WRONLY | O_CREAT | O_APPEND, 0600);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    size_t n = 0, m = 0;
    while (environ[n])
        n++;
    while (extra_env && extra_env[m])
        m++;
    char **env = calloc(n + m + 1, sizeof *env);
    if (!env)
        return -1;
    for (size_t i = 0; i < n; i++)
        env[i] = environ[i];
    for (size_t i = 0; i < m; i++)
        env[n + i] = extra_env[i];
    char *argv[] = {(char *)bin, "-c", (char *)config, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, bin, &fa, NULL, argv, env);
    posix_spawn_file_actions_destroy(&fa);
    free(env);
    if (rc != 0) {
        fprintf(stderr, "gltorture: cannot start %s: %s\n", bin, strerror(rc));
        return -1;
    }
    return pid;
}

int tt_wait_exit(pid_t pid, int64_t timeout_ms)
{
    int64_t deadline = tt_now_ns() + timeout_ms * 1000000;
    for (;;) {
        int status;
        pid_t r = waitpid(pid, &status, WNOHANG);
        if (r == pid)
            return status;
        if (r < 0)
            return -1;
        if (tt_now_ns() > deadline)
            return -1;
        tt_sleep_ms(2);
    }
}

int tt_copy_file(const char *from, const char *to)
{
    int in = open(from, O_RDONLY | O_CLOEXEC),
        out = open(to, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
    int rc = in >= 0 && out >= 0 ? 0 : -1;
    static uint8_t buf[1 << 20]; /* the tools copy from one thread */
    ssize_t n;
    while (rc == 0 && (n = read(in, buf, sizeof buf)) != 0) {
        if (n < 0 || write(out, buf, (size_t)n) != n)
            rc = -1;
    }
    if (in >= 0)
        close(in);
    if (out >= 0 && close(out) != 0)
        rc = -1;
    return rc;
}

/* --- recovery ---------------------------------------------------------- */

const char *tt_default_daemon(char *buf, size_t len)
{
    const char *d = getenv("GL_DAEMON"), *b = getenv("GL_BUILD");
    if (d && *d)
        snprintf(buf, len, "%s", d);
    else
        snprintf(buf, len, "%s/grandlivred", b && *b ? b : "build");
    return buf;
}

/* Whether fd has something to read (or its end) before deadline_ns. */
static bool read_ready(int fd, int64_t deadline_ns)
{
    for (;;) {
        int64_t left_ms = (deadline_ns - tt_now_ns()) / 1000000;
        if (left_ms <= 0)
            return false;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, left_ms > INT32_MAX ? INT32_MAX : (int)left_ms);
        if (r > 0)
            return true;
        if (r < 0 && errno != EINTR)
            return true; /* let read() report it */
    }
}

int tt_recover(const char *daemon, const char *dir, long *records, char *msg, size_t msg_len)
{
    char journal[700], out[4096];
    *records = -1;
    msg[0] = 0;
    snprintf(journal, sizeof journal, "%s/%s", dir, TT_JOURNAL_FILE);
    if (access(journal, F_OK) != 0)
        return 0; /* no journal: a daemon without one, or none written yet */
    int pfd[2];
    if (pipe2(pfd, O_CLOEXEC) != 0) {
        snprintf(msg, msg_len, "recover: pipe: %s", strerror(errno));
        return 1;
    }
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 1);
    posix_spawn_file_actions_adddup2(&fa, pfd[1], 2);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    char *argv[] = {(char *)daemon, "--recover", (char *)dir, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, daemon, &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pfd[1]);
    size_t got = 0;
    ssize_t n;
    bool late = false;
    int64_t deadline_ns = tt_now_ns() + (int64_t)TT_RECOVER_SECONDS * 1000000000;
    while (rc == 0 && !late) {
        if (!read_ready(pfd[0], deadline_ns)) { /* LMDB loops in some corrupt trees */
            late = true;
            kill(pid, SIGKILL);
            break;
        }
        n = read(pfd[0], out + got, sizeof out - 1 - got);
        if (n == 0)
            break;
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0)
            break;
        got += (size_t)n;
        if (got == sizeof out - 1) { /* keep the start, drain the rest */
            char sink[4096];
            while (read(pfd[0], sink, sizeof sink) > 0)
                ;
            break;
        }
    }
    close(pfd[0]);
    out[got] = 0;
    while (got > 0 && (out[got - 1] == '\n' || out[got - 1] == '\r'))
        out[--got] = 0;
    if (rc != 0) {
        snprintf(msg, msg_len, "recover: cannot start %s: %s", daemon, strerror(rc));
        return 1;
    }
    int status = 0;
    while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
        ;
    if (late) {
        snprintf(msg, msg_len, "%s --recover %s: not done in %d s (stopped): %s", daemon, dir,
                 TT_RECOVER_SECONDS, out);
        return 1;
    }
    if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
        snprintf(msg, msg_len, "%s --recover %s: %s %d: %s", daemon, dir,
                 WIFSIGNALED(status) ? "signal" : "exit status",
                 WIFSIGNALED(status) ? WTERMSIG(status) : WEXITSTATUS(status), out);
        return 1;
    }
    const char *r = strstr(out, "recovered ");
    *records = r ? strtol(r + 10, NULL, 10) : 0; /* "journal empty" */
    snprintf(msg, msg_len, "%s", out);
    return 0;
}
