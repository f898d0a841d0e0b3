/*
 * tests/crash/loop.c — `gltorture loop`: the SIGKILL crash loop.  Starts the
 * daemon, starts the client workload (load.c), then many times: waits a
 * random moment (one kill in ten lands during the daemon's start; of the
 * rest, one in three right after an acknowledgement — within a fraction of
 * a millisecond of a reply's arrival, when a journal-first writer holds it
 * in its journal and not yet in LMDB —, the others 30-730 ms into
 * serving), kills it with SIGKILL, checks the data directory directly
 * (check.c: every invariant, and every request acknowledged so far present
 * exactly once with its original reply), and restarts it; the clients
 * meanwhile retry their unanswered requests with the same ids.
 *
 * The journal: when the data directory holds journal.glj, the check first
 * replays it with `grandlivred --recover` (--daemon), as the daemon's start
 * would: after odd kills on a copy of the directory (data.mdb and the
 * journal, in DIR.check), so that the restarted daemon replays the same
 * journal itself at its start and the next check judges that; after even
 * kills in place.  A recovery that fails fails the loop.  The summary
 * counts the kills whose recovery replayed records (journal_kills) — the
 * proof that kills landed between the journal's flush and LMDB's commit.
 *
 * At the end the daemon is restarted once more so that every request in
 * flight is answered, the clients stop, SIGTERM stops the daemon (exit
 * status 0 required), and a last check (after a recovery, if a journal is
 * left) covers everything.  Prints one summary line:
 *   crashtest: kills=N acknowledged=E verified=V lost=L duplicated=D ...
 *              journal_kills=J recovered_records=R kills_after_ack=A ...
 * Exit status 0 only if nothing was lost, duplicated or inconsistent.
 */
#include "torture.h"

#include "client/lib/grandlivre.h"

#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

typedef struct loop_opts {
    const char *daemon, *config, *data, *log, *keys, *endpoint, *pidfile;
    int kills, clients, pace_ms, max_seconds;
    uint64_t seed;
    ld_opts ld;
    char members_buf[256];
    /* the journal (none with a daemon that keeps none) */
    long journal_kills, recovered_records, recovered_final, copy_checks;
} loop_opts;

static int parse_members(ld_opts *o, char *list)
{
    o->member_count = 0;
    for (char *save = NULL, *m = strtok_r(list, ",", &save); m; m = strtok_r(NULL, ",", &save)) {
        if (o->member_count == 8)
            return -1;
        o->members[o->member_count++] = m;
    }
    return o->member_count ? 0 : -1;
}

/* Ping until the daemon answers (true), it exits (*died), or timeout. */
static bool wait_ready(const char *endpoint, const gl_key *key, pid_t pid, int64_t timeout_ms,
                       int *died_status)
{
    int64_t deadline = tt_now_ns() + timeout_ms * 1000000;
    *died_status = -1;
    while (tt_now_ns() < deadline) {
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            *died_status = status;
            return false;
        }
        gl_client *c;
        char err[256];
        if (gl_client_open(&c, endpoint, key, 300, err, sizeof err) == GL_OK) {
            gl_response r;
            int st = gl_call(c, GL_KIND_PING, "", 0, NULL, 0, &r);
            bool ok = st == GL_OK && r.reply.status == GL_OK;
            gl_response_free(&r);
            gl_client_close(c);
            if (ok)
                return true;
        }
        tt_sleep_ms(10);
    }
    return false;
}

static pid_t spawn(const loop_opts *o)
{
    pid_t pid = tt_daemon_spawn(o->daemon, o->config, o->log, NULL);
    FILE *f = o->pidfile && pid > 0 ? fopen(o->pidfile, "w") : NULL;
    if (f) {
        fprintf(f, "%ld\n", (long)pid);
        fclose(f);
    }
    return pid;
}

static void log_tail(const char *log)
{
    char cmd[600];
    snprintf(cmd, sizeof cmd, "tail -n 15 '%s' >&2", log);
    if (system(cmd) != 0)
        fprintf(stderr, "(no daemon log)\n");
}

/* A copy of what the check needs of the data directory (data.mdb, the
 * journal) in dir + ".check"; its path in out.  0 ok. */
static int copy_data(const char *dir, char *out, size_t len)
{
    char from[700], to[700];
    snprintf(out, len, "%s.check", dir);
    if (mkdir(out, 0700) != 0 && errno != EEXIST)
        return -1;
    static const char *const files[] = {"data.mdb", TT_JOURNAL_FILE};
    for (size_t i = 0; i < sizeof files / sizeof files[0]; i++) {
        snprintf(from, sizeof from, "%s/%s", dir, files[i]);
        snprintf(to, sizeof to, "%s/%s", out, files[i]);
        unlink(to);
        if (access(from, F_OK) == 0 && tt_copy_file(from, to) != 0)
            return -1;
    }
    snprintf(to, sizeof to, "%s/lock.mdb", out);
    unlink(to);
    return 0;
}

/* Recover (see the top) then check.  kill: the kill's index, -1 for the
 * final check. */
static int check_now(loop_opts *o, ld_run *run, ck_result *r, int64_t *ns, int kill)
{
    char copy[700], journal[700], msg[600];
    const char *dir = o->data;
    snprintf(journal, sizeof journal, "%s/%s", o->data, TT_JOURNAL_FILE);
    if (kill >= 0 && kill % 2 == 1 && access(journal, F_OK) == 0) {
        if (copy_data(o->data, copy, sizeof copy) != 0) {
            fprintf(stderr, "gltorture: cannot copy %s for the check\n", o->data);
            memset(r, 0, sizeof *r);
            return 2;
        }
        dir = copy;
        o->copy_checks++;
    }
    long records;
    if (tt_recover(o->daemon, dir, &records, msg, sizeof msg) != 0) {
        fprintf(stderr, "gltorture: the recovery failed after kill %d: %s\n", kill, msg);
        memset(r, 0, sizeof *r);
        snprintf(r->first_failure, sizeof r->first_failure, "%s", msg);
        return 2;
    }
    if (kill < 0)
        o->recovered_final = records > 0 ? records : 0;
    else if (records > 0) {
        o->journal_kills++;
        o->recovered_records += records;
    }
    tt_ack *acks;
    size_t n;
    ld_acks(run, &acks, &n);
    int64_t t0 = tt_now_ns();
    int rc = ck_check(dir, acks, n, INT64_MAX, LD_MARKER, r);
    *ns = tt_now_ns() - t0;
    for (size_t i = 0; i < n; i++)
        tt_ack_free(&acks[i]);
    free(acks);
    return rc;
}

/* Wait (up to timeout_ms) for the next acknowledgement; true if one came.
 * Polls every 100 us: the kill that follows lands within a fraction of a
 * millisecond of the reply. */
static bool wait_next_ack(ld_run *run, int64_t timeout_ms)
{
    const ld_stats *s = ld_stats_of(run);
    long before = atomic_load(&s->requests);
    int64_t deadline = tt_now_ns() + timeout_ms * 1000000;
    struct timespec tick = {0, 100000};
    while (atomic_load(&s->requests) == before)
        if (tt_now_ns() > deadline || (nanosleep(&tick, NULL) != 0 && errno != EINTR))
            return false;
    return true;
}

static void usage(void)
{
    fprintf(stderr,
            "usage: gltorture loop --daemon BIN --config CONF --data DIR --log FILE --keys DIR\n"
            "                      [--endpoint EP] [--kills N] [--clients N] [--pace-ms MS]\n"
            "                      [--seed S] [--max-seconds S] [--umbrella T] [--members a,b,c]\n"
            "                      [--pidfile FILE]  (the running daemon's pid, for cleanup)\n");
}

int cmd_loop(int argc, char **argv)
{
    static const struct option opts[] = {
        {"daemon", 1, NULL, 'd'},  {"config", 1, NULL, 'c'},      {"data", 1, NULL, 'D'},
        {"log", 1, NULL, 'l'},     {"keys", 1, NULL, 'k'},        {"endpoint", 1, NULL, 'e'},
        {"kills", 1, NULL, 'n'},   {"clients", 1, NULL, 'C'},     {"pace-ms", 1, NULL, 'p'},
        {"seed", 1, NULL, 's'},    {"max-seconds", 1, NULL, 'm'}, {"umbrella", 1, NULL, 'u'},
        {"members", 1, NULL, 'M'}, {"pidfile", 1, NULL, 'P'},     {NULL, 0, NULL, 0}};
    loop_opts o = {.endpoint = getenv("GRANDLIVRE_ENDPOINT"),
                   .kills = 20,
                   .clients = 6,
                   .pace_ms = 20,
                   .max_seconds = 900,
                   .seed = 1};
    o.ld.umbrella = "gessa";
    snprintf(o.members_buf, sizeof o.members_buf, "agiie,proxim,vital,vsm");
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'd': o.daemon = optarg; break;
        case 'c': o.config = optarg; break;
        case 'D': o.data = optarg; break;
        case 'l': o.log = optarg; break;
        case 'k': o.keys = optarg; break;
        case 'e': o.endpoint = optarg; break;
        case 'n': o.kills = atoi(optarg); break;
        case 'C': o.clients = atoi(optarg); break;
        case 'p': o.pace_ms = atoi(optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        case 'm': o.max_seconds = atoi(optarg); break;
        case 'u': o.ld.umbrella = optarg; break;
        case 'M': snprintf(o.members_buf, sizeof o.members_buf, "%s", optarg); break;
        case 'P': o.pidfile = optarg; break;
        default: usage(); return 2;
        }
    }
    if (!o.daemon || !o.config || !o.data || !o.log || !o.keys || !o.endpoint || o.kills < 1 ||
        parse_members(&o.ld, o.members_buf) != 0) {
        usage();
        return 2;
    }
    o.ld.endpoint = o.endpoint;
    o.ld.key_dir = o.keys;
    o.ld.clients = o.clients;
    o.ld.timeout_ms = 3000;
    o.ld.pace_ms = o.pace_ms;
    o.ld.seed = o.seed;
    o.ld.ack_fd = -1;
    signal(SIGPIPE, SIG_IGN);

    gl_key ping_key;
    char path[600], err[256];
    snprintf(path, sizeof path, "%s/accountant.key", o.keys);
    if (gl_key_load(path, &ping_key, err, sizeof err) != GL_OK) {
        fprintf(stderr, "gltorture: %s\n", err);
        return 2;
    }
    uint64_t rng = o.seed * 7919 + 17;
    int64_t t_start = tt_now_ns(), check_ns_total = 0, check_ns_max = 0;
    int died;
    pid_t pid = spawn(&o);
    if (pid < 0 || !wait_ready(o.endpoint, &ping_key, pid, 15000, &died)) {
        fprintf(stderr, "gltorture: the daemon does not start; its log:\n");
        log_tail(o.log);
        if (pid > 0 && died < 0) {
            kill(pid, SIGKILL);
            tt_wait_exit(pid, 5000);
        }
        return 1;
    }
    ld_run *run = ld_start(&o.ld);
    if (!run) {
        kill(pid, SIGKILL);
        tt_wait_exit(pid, 5000);
        return 1;
    }
    int kills = 0, early = 0, checks = 0, after_ack = 0;
    int64_t ack_gap_max_ns = 0;
    bool failed = false;
    ck_result r;
    for (; kills < o.kills && !failed; kills++) {
        if ((tt_now_ns() - t_start) / 1000000000 > o.max_seconds) {
            fprintf(stderr, "gltorture: time bound (%d s) reached after %d kills\n", o.max_seconds,
                    kills);
            break;
        }
        if (tt_below(&rng, 10) == 0) { /* during the start: opening, keyring sync */
            tt_sleep_ms(tt_below(&rng, 60));
            early++;
        } else {
            if (!wait_ready(o.endpoint, &ping_key, pid, 15000, &died)) {
                fprintf(stderr,
                        "gltorture: after kill %d the daemon did not come back (%s); its log:\n",
                        kills, died >= 0 ? "it exited" : "no answer in 15 s");
                log_tail(o.log);
                if (died >= 0)
                    pid = -1; /* reaped */
                failed = true;
                break;
            }
            if (tt_below(&rng, 3) == 0) { /* right after a reply */
                tt_sleep_ms(30 + tt_below(&rng, 300));
                if (wait_next_ack(run, 3000)) {
                    int64_t gap = tt_now_ns() - atomic_load(&ld_stats_of(run)->last_ack_ns);
                    ack_gap_max_ns = gap > ack_gap_max_ns ? gap : ack_gap_max_ns;
                    after_ack++;
                }
            } else {
                tt_sleep_ms(30 + tt_below(&rng, 700));
            }
        }
        int status;
        if (waitpid(pid, &status, WNOHANG) == pid) {
            fprintf(stderr, "gltorture: the daemon exited on its own (wait status %d); its log:\n",
                    status);
            log_tail(o.log);
            pid = -1; /* reaped */
            failed = true;
            break;
        }
        kill(pid, SIGKILL);
        if (tt_wait_exit(pid, 10000) < 0) {
            fprintf(stderr, "gltorture: the daemon survived SIGKILL\n");
            failed = true;
            break;
        }
        int64_t ns;
        int rc = check_now(&o, run, &r, &ns, kills);
        checks++;
        check_ns_total += ns;
        if (ns > check_ns_max)
            check_ns_max = ns;
        if (rc != 0) {
            ck_print(stderr, "gltorture: check FAILED after a kill", &r);
            failed = true;
        }
        if ((kills + 1) % 25 == 0) {
            const ld_stats *s = ld_stats_of(run);
            fprintf(
                stderr,
                "gltorture: %d kills, %ld requests (%ld entries) acknowledged, %ld retries, check %.0f ms\n",
                kills + 1, atomic_load(&s->requests), atomic_load(&s->entries),
                atomic_load(&s->retries), (double)ns / 1e6);
        }
        pid = spawn(&o);
        if (pid < 0) {
            failed = true;
            kills++;
            break;
        }
    }
    /* The end: the daemon answers what is still in flight, then stops. */
    int stop_status = -1;
    if (pid > 0) {
        bool reaped = false;
        if (!failed && !wait_ready(o.endpoint, &ping_key, pid, 15000, &died)) {
            fprintf(stderr, "gltorture: the daemon did not come back for the end; its log:\n");
            log_tail(o.log);
            reaped = died >= 0;
            failed = true;
        }
        if (!failed)
            tt_sleep_ms(500);
        ld_stop(run, failed ? 0 : 20000);
        if (!reaped) {
            kill(pid, SIGTERM);
            stop_status = tt_wait_exit(pid, 15000);
            if (stop_status < 0 && waitpid(pid, NULL, WNOHANG) == 0) { /* still ours and running */
                kill(pid, SIGKILL);
                tt_wait_exit(pid, 5000);
            }
        }
        if (!failed &&
            (stop_status < 0 || !WIFEXITED(stop_status) || WEXITSTATUS(stop_status) != 0)) {
            fprintf(stderr,
                    "gltorture: SIGTERM: the daemon did not stop cleanly (wait status %d)\n",
                    stop_status);
            failed = true;
        }
    } else {
        ld_stop(run, 0);
    }
    int64_t ns;
    int rc = check_now(&o, run, &r, &ns, -1);
    checks++;
    if (rc != 0)
        failed = true;
    ck_print(stderr, "gltorture: final check", &r);
    const ld_stats *s = ld_stats_of(run);
    long refusals = atomic_load(&s->refusals), mismatch = atomic_load(&s->replay_mismatch);
    if (refusals || mismatch)
        failed = true;
    printf(
        "crashtest: kills=%d acknowledged=%ld verified=%ld lost=%ld duplicated=%ld "
        "(requests=%ld recharges=%ld retries=%ld replays_checked=%ld replay_mismatch=%ld refusals=%ld "
        "kills_during_start=%d checks=%d check_ms_avg=%.0f check_ms_max=%.0f invariant_failures=%ld "
        "journal_kills=%ld recovered_records=%ld checks_on_copy=%ld recovered_at_end=%ld "
        "kills_after_ack=%d ack_to_kill_ms_max=%.2f seconds=%.0f) %s\n",
        kills, r.acked_entries, r.verified_entries, r.lost_entries, r.duplicated + r.reply_mismatch,
        atomic_load(&s->requests), atomic_load(&s->recharges), atomic_load(&s->retries),
        atomic_load(&s->replays_checked), mismatch, refusals, early, checks,
        checks > 1 ? (double)check_ns_total / 1e6 / (checks - 1) : 0.0, (double)check_ns_max / 1e6,
        r.failures, o.journal_kills, o.recovered_records, o.copy_checks, o.recovered_final,
        after_ack, (double)ack_gap_max_ns / 1e6, (double)(tt_now_ns() - t_start) / 1e9,
        failed ? "FAILED" : "ok");
    fflush(stdout);
    gl_key_wipe(&ping_key);
    ld_free(run);
    return failed ? 1 : 0;
}
