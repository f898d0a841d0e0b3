/*
 * daemon/main.c — grandlivred: arguments, configuration (and its reload on
 * SIGHUP), signals, start and stop.  The transport loop, its sockets and
 * their security are in transport.c; the keyring history in keyring.c.
 *
 * Start: check the configuration, open the ledger, apply the keyring's
 * history to it (keys revoked once stay revoked) and record it, load or
 * create the server's CURVE key, bind, start the writer and reader threads,
 * serve.  SIGHUP reloads the configuration: one that fails -n, or that
 * changes a setting only a restart can change, is refused and the running
 * one kept.  Every configuration ever in force stays allocated until exit,
 * since jobs in flight point into the one they were admitted under.
 * SIGTERM/SIGINT stop intake, let the workers finish and commit what they
 * hold, answer it, and close the environment.
 */
#include "config.h"
#include "handlers.h"
#include "journal.h"
#include "keyring.h"
#include "log.h"
#include "persons.h"
#include "pidfile.h"
#include "transport.h"
#include "workers.h"
#include "store/store.h"
#include "store/upgrade.h"

#include "proto/status.h"
#include "proto/version.h"

#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>
#include <zmq.h>

static volatile sig_atomic_t stop_requested, reload_requested;

static void on_stop(int sig)
{
    (void)sig;
    stop_requested = 1;
}

static void on_hup(int sig)
{
    (void)sig;
    reload_requested = 1;
}

static void usage(FILE *out)
{
    fprintf(
        out,
        "usage: grandlivred -c CONFIG [-n | --upgrade | --print-ledger-id | --print-server-key]\n"
        "                   [--pidfile FILE]\n"
        "       grandlivred --recover DIR\n"
        "\n"
        "The Grand Livre ledger daemon: one double-entry ledger per tenant in LMDB,\n"
        "Ed25519-signed requests over CURVE-encrypted ZeroMQ.\n"
        "\n"
        "  -c, --config FILE     configuration file (INI; see README.md)\n"
        "  -n, --check           check the configuration, report every error as\n"
        "                        file:line: message, and exit (0 if valid); the\n"
        "                        daemon's start runs the same check\n"
        "      --upgrade         bring the ledger in data_dir up to this program's\n"
        "                        schema (stop the daemon and back it up first), say\n"
        "                        what was done, and exit; safe to run again\n"
        "      --recover DIR     replay the journal of the stopped data directory\n"
        "                        DIR (DIR/journal.glj: acknowledged writes LMDB\n"
        "                        had not committed yet) into its ledger and exit;\n"
        "                        the daemon's start does the same\n"
        "      --print-ledger-id  print the ledger's id (32 hex digits; created\n"
        "                        with the data directory) and exit\n"
        "      --pidfile FILE    lock FILE for the daemon's life (a second daemon\n"
        "                        on it refuses to start) and write the process id\n"
        "                        into it once serving; a symlink is refused\n"
        "      --print-server-key  print the daemon's CURVE public key (64 hex\n"
        "                        digits; created in data_dir on first use) for\n"
        "                        clients to pin (GRANDLIVRE_SERVER_KEY), and exit\n"
        "  -h, --help            this text\n"
        "      --version         the version, the protocol's and the libraries'\n"
        "\n"
        "Reloads the configuration (tenants, keyring) on SIGHUP.\n"
        "Stops cleanly on SIGTERM or SIGINT.\n");
}

/* Every configuration loaded, newest first; freed at exit. */
struct configs {
    const char *path;
    store *st;
    struct config_node {
        gl_config cfg;
        struct config_node *next;
    } * head;
};

/* Load path and print its errors. NULL if it has any. */
static gl_config *load_config(struct configs *cs)
{
    struct config_node *n = calloc(1, sizeof *n);
    if (!n) {
        log_line(GL_LOG_ERROR, "main", "out of memory");
        return NULL;
    }
    int errors = gl_config_load(cs->path, &n->cfg);
    for (size_t i = 0; i < n->cfg.error_count;
         i++) /* `file:line: message`, as -n prints them: no log head */
        fprintf(stderr, "%s\n", n->cfg.errors[i]);
    if (errors) {
        gl_config_free(&n->cfg);
        free(n);
        return NULL;
    }
    n->next = cs->head;
    cs->head = n;
    return &n->cfg;
}

static void free_configs(struct configs *cs)
{
    while (cs->head) {
        struct config_node *n = cs->head;
        cs->head = n->next;
        gl_config_free(&n->cfg);
        free(n);
    }
}

/* Drop the newest configuration (a refused reload). */
static void drop_newest(struct configs *cs)
{
    struct config_node *n = cs->head;
    cs->head = n->next;
    gl_config_free(&n->cfg);
    free(n);
}

/* transport_reload_fn: the configuration to switch to, or NULL. */
static const gl_config *next_config(void *user, const gl_config *running)
{
    struct configs *cs = user;
    gl_config *cfg = load_config(cs);
    const char *changed = cfg ? gl_config_restart_needed(running, cfg) : NULL;
    if (!cfg) {
        log_line(GL_LOG_ERROR, "main",
                 "reload: refused: %s has errors; keeping the running configuration", cs->path);
        return NULL;
    }
    if (changed) {
        log_line(GL_LOG_ERROR, "main",
                 "reload: refused: %s changed, which needs a restart; "
                 "keeping the running configuration",
                 changed);
        drop_newest(cs);
        return NULL;
    }
    if (keyring_mark_revoked(cs->st, cfg) != GL_OK) {
        log_line(GL_LOG_ERROR, "main",
                 "reload: refused: cannot read the keyring history; "
                 "keeping the running configuration");
        drop_newest(cs);
        return NULL;
    }
    return cfg;
}

/* Many connections each hold a descriptor: take all the system allows. */
static void raise_nofile(void)
{
    struct rlimit rl;
    if (getrlimit(RLIMIT_NOFILE, &rl) != 0)
        return;
    if (rl.rlim_cur < rl.rlim_max) {
        rl.rlim_cur = rl.rlim_max;
        if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
            getrlimit(RLIMIT_NOFILE, &rl);
    }
    log_line(GL_LOG_INFO, "main", "open files limit %llu", (unsigned long long)rl.rlim_cur);
}

/* Workers start with signals blocked, so that signals reach the transport
 * thread and interrupt its poll. */
static int start_workers(worker *writer, worker *reader)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    sigaddset(&block, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    int rc = writer_start(writer) || reader_start(reader) ? -1 : 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return rc;
}

/* Open the ledger (a refusal names what to do) or say why not. */
static int open_store(store **st, const gl_config *cfg)
{
    char err[512];
    int rc = store_open(st, cfg->data_dir, cfg->map_size_mb << 20, err, sizeof err);
    if (rc == GL_ERR_VERSION)
        log_line(GL_LOG_ERROR, "main", "%s: run 'grandlivred --upgrade -c %s' after a backup", err,
                 cfg->path);
    else if (rc != GL_OK)
        log_line(GL_LOG_ERROR, "main", "%s", err);
    return rc == GL_OK ? 0 : -1;
}

/* Replay the journal's acknowledged writes that LMDB's last commit does
 * not hold, before anything else writes (journal.h). */
static int replay_journal(store *st, const char *dir)
{
    char err[512];
    uint64_t records;
    int rc = journal_recover(st, dir, &records, err, sizeof err);
    if (rc != GL_OK) {
        log_line(GL_LOG_ERROR, "main", "journal: %s", err);
        return -1;
    }
    if (records)
        log_line(GL_LOG_INFO, "main", "journal: replayed %llu record%s",
                 (unsigned long long)records, records == 1 ? "" : "s");
    return 0;
}

/* Finish any FORGET cut off after its commit, or between its mark and its
 * shredding. */
static int sweep_persons(store *st, const char *dir)
{
    char err[512];
    if (persons_sweep_forgotten(st, dir, err, sizeof err) == GL_OK &&
        persons_sweep(dir, err, sizeof err) == GL_OK)
        return 0;
    log_line(GL_LOG_ERROR, "main", "persons: %s", err);
    return -1;
}

/* Open the ledger, replay its journal and record the keyring. */
static int open_ledger(store **st, gl_config *cfg)
{
    if (open_store(st, cfg) != 0)
        return -1;
    if (replay_journal(*st, cfg->data_dir) != 0 || sweep_persons(*st, cfg->data_dir) != 0) {
        store_close(*st);
        return -1;
    }
    if (keyring_mark_revoked(*st, cfg) != GL_OK ||
        keyring_sync_now(*st, cfg, gl_now_ms()) != GL_OK) {
        log_line(GL_LOG_ERROR, "main", "cannot record the configured tenants and keyring");
        store_close(*st);
        return -1;
    }
    return 0;
}

static int open_transport(transport *t, const gl_config *cfg)
{
    uint8_t pk[32], sk[32];
    char err[512];
    if (cfg->curve && transport_server_key(cfg->data_dir, pk, sk, err, sizeof err) != 0) {
        log_line(GL_LOG_ERROR, "main", "%s", err);
        return -1;
    }
    int rc = transport_open(t, cfg, sk, err, sizeof err);
    sodium_memzero(sk, sizeof sk);
    if (rc != 0) {
        log_line(GL_LOG_ERROR, "main", "%s", err);
        return -1;
    }
    if (!cfg->curve)
        log_line(GL_LOG_WARN, "main", "warning: curve = off: requests travel in clear on %s",
                 cfg->endpoint);
    return 0;
}

static int run(struct configs *cs, const char *pidfile_path)
{
    gl_config *cfg = &cs->head->cfg;
    transport t;
    pidfile pid = {.fd = -1};
    char err[512];
    /* First, so that a second daemon refuses before it touches anything. */
    if (pidfile_path && pidfile_lock(&pid, pidfile_path, err, sizeof err) != 0) {
        log_line(GL_LOG_ERROR, "main", "%s", err);
        return 1;
    }
    if (open_ledger(&cs->st, cfg) != 0) {
        pidfile_release(&pid);
        return 1;
    }
    raise_nofile();
    if (open_transport(&t, cfg) != 0) {
        store_close(cs->st);
        pidfile_release(&pid);
        return 1;
    }
    if (store_ledger_id(cs->st, t.ledger_id) != GL_OK) {
        log_line(GL_LOG_ERROR, "main", "cannot read the ledger id");
        transport_close(&t);
        store_close(cs->st);
        return 1;
    }
    worker writer = {.zctx = t.zctx,
                     .endpoint = TRANSPORT_WRITER_ENDPOINT,
                     .st = cs->st,
                     .batch_max = cfg->batch_max,
                     .commit_interval_ms = cfg->commit_interval_ms};
    if (writer_journal_open(&writer, cfg->data_dir, err, sizeof err) != 0) {
        log_line(GL_LOG_ERROR, "main", "journal: %s", err);
        transport_close(&t);
        store_close(cs->st);
        pidfile_release(&pid);
        return 1;
    }
    worker reader = {
        .zctx = t.zctx, .endpoint = TRANSPORT_READER_ENDPOINT, .st = cs->st, .batch_max = 1};
    if (start_workers(&writer, &reader) != 0) {
        log_line(GL_LOG_ERROR, "main", "cannot start threads");
        pidfile_release(&pid);
        return 1;
    }
    if (pidfile_path && pidfile_write(&pid) != 0)
        log_line(GL_LOG_ERROR, "main", "cannot write %s: %s", pidfile_path, strerror(errno));
    log_line(GL_LOG_INFO, "main", "serving %zu tenants on %s%s", cfg->tenant_count, cfg->endpoint,
             cfg->curve ? " (CURVE)" : "");
    transport_serve(&t, &stop_requested, &reload_requested, next_config, cs);
    worker_join(&writer);
    worker_join(&reader);
    transport_close(&t);
    store_close(cs->st);
    pidfile_release(&pid);
    log_line(GL_LOG_INFO, "main", "stopped");
    return 0;
}

/* --print-server-key: the key clients pin, created if missing. */
static int print_server_key(const gl_config *cfg)
{
    uint8_t pk[32], sk[32];
    char err[512], hex[65];
    int rc = transport_server_key(cfg->data_dir, pk, sk, err, sizeof err);
    sodium_memzero(sk, sizeof sk);
    if (rc != 0) {
        fprintf(stderr, "grandlivred: %s\n", err);
        return 1;
    }
    sodium_bin2hex(hex, sizeof hex, pk, 32);
    printf("%s\n", hex);
    return 0;
}

/* --print-ledger-id: the id protocol version 2 binds requests to; the
 * ledger is created if new, as the daemon's start would. */
static int print_ledger_id(const gl_config *cfg)
{
    store *st;
    uint8_t id[GL_LEDGER_ID_BYTES];
    char hex[2 * GL_LEDGER_ID_BYTES + 1];
    if (open_store(&st, cfg) != 0)
        return 1;
    int rc = store_ledger_id(st, id);
    store_close(st);
    if (rc != GL_OK) {
        fprintf(stderr, "grandlivred: cannot read the ledger id in %s\n", cfg->data_dir);
        return 1;
    }
    sodium_bin2hex(hex, sizeof hex, id, sizeof id);
    printf("%s\n", hex);
    return 0;
}

static void upgrade_report(void *user, uint32_t from, uint32_t to, const char *what)
{
    (void)user;
    printf("grandlivred: upgrade: schema %u -> %u: %s\n", from, to, what);
    fflush(stdout);
}

/* Replay dir's journal into its ledger (a ledger of schema 4 or later:
 * earlier ones have none).  0 done (or nothing to do), 1 refused. */
static int recover_dir(const char *dir, uint64_t map_size_bytes, bool quiet)
{
    store *st;
    char err[512];
    uint32_t version = 0;
    uint64_t records = 0;
    if (journal_check_free(dir, err, sizeof err) != 0) {
        fprintf(stderr, "grandlivred: recover: refused: %s\n", err);
        return 1;
    }
    int rc = store_open_existing(&st, dir, map_size_bytes, &version, err, sizeof err);
    if (rc == GL_ERR_NOT_FOUND) {
        if (!quiet)
            printf("grandlivred: recover: %s holds no ledger: nothing to recover\n", dir);
        return 0;
    }
    if (rc != GL_OK) {
        fprintf(stderr, "grandlivred: recover: refused: %s\n", err);
        return 1;
    }
    rc = version >= 4 ? journal_recover(st, dir, &records, err, sizeof err) : GL_OK;
    store_close(st);
    if (rc != GL_OK) {
        fprintf(stderr, "grandlivred: recover: refused: %s\n", err);
        return 1;
    }
    if (records)
        printf("grandlivred: recover: recovered %llu record%s\n", (unsigned long long)records,
               records == 1 ? "" : "s");
    else if (!quiet)
        printf("grandlivred: recover: journal empty\n");
    return 0;
}

/* --upgrade: every step from the ledger's schema to ours, reported. */
static int upgrade(const gl_config *cfg)
{
    char err[512];
    uint32_t from = 0;
    if (recover_dir(cfg->data_dir, cfg->map_size_mb << 20, true) != 0)
        return 1;
    int rc = store_upgrade(cfg->data_dir, cfg->map_size_mb << 20, &from, upgrade_report, NULL, err,
                           sizeof err);
    if (rc == GL_ERR_NOT_FOUND) {
        printf(
            "grandlivred: upgrade: %s: no ledger yet, nothing to do (the daemon creates it at schema %u)\n",
            cfg->data_dir, GL_SCHEMA_VERSION);
        return 0;
    }
    if (rc != GL_OK) {
        fprintf(stderr, "grandlivred: upgrade: refused: %s\n", err);
        return 1;
    }
    if (from == GL_SCHEMA_VERSION)
        printf("grandlivred: upgrade: %s is at schema %u already: nothing to do\n", cfg->data_dir,
               from);
    else
        printf("grandlivred: upgrade: %s upgraded from schema %u to %u\n", cfg->data_dir, from,
               GL_SCHEMA_VERSION);
    return 0;
}

/* --version: this program's, the wire protocol's and the schema's, and
 * the libraries' it runs with (those loaded, not those compiled against). */
static void print_version(void)
{
    int zmq_major, zmq_minor, zmq_patch;
    zmq_version(&zmq_major, &zmq_minor, &zmq_patch);
    printf("grandlivred %s\nprotocol version %d, schema %d\n", GL_RELEASE, GL_PROTOCOL_VERSION,
           GL_SCHEMA_VERSION);
    printf("libzmq %d.%d.%d%s, %s, libsodium %s\n", zmq_major, zmq_minor, zmq_patch,
           zmq_has("curve") ? " (CURVE)" : " (no CURVE)", store_lmdb_version(),
           sodium_version_string());
}

static void install_signals(void)
{
    struct sigaction sa = {.sa_handler = on_stop};
    sigemptyset(&sa.sa_mask);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
    sa.sa_handler = on_hup;
    sigaction(SIGHUP, &sa, NULL);
    signal(SIGPIPE, SIG_IGN);
}

int main(int argc, char **argv)
{
    static const struct option options[] = {
        {"config", required_argument, NULL, 'c'},    {"check", no_argument, NULL, 'n'},
        {"pidfile", required_argument, NULL, 'p'},   {"print-server-key", no_argument, NULL, 'k'},
        {"print-ledger-id", no_argument, NULL, 'L'}, {"upgrade", no_argument, NULL, 'u'},
        {"recover", required_argument, NULL, 'R'},   {"help", no_argument, NULL, 'h'},
        {"version", no_argument, NULL, 'V'},         {NULL, 0, NULL, 0},
    };
    struct configs cs = {0};
    const char *pidfile_path = NULL, *recover = NULL;
    bool check_only = false, print_key = false, print_id = false, do_upgrade = false;
    int opt;
    while ((opt = getopt_long(argc, argv, "c:nh", options, NULL)) != -1) {
        switch (opt) {
        case 'c': cs.path = optarg; break;
        case 'n': check_only = true; break;
        case 'p': pidfile_path = optarg; break;
        case 'k': print_key = true; break;
        case 'L': print_id = true; break;
        case 'u': do_upgrade = true; break;
        case 'R': recover = optarg; break;
        case 'h': usage(stdout); return 0;
        case 'V': print_version(); return 0;
        default: usage(stderr); return 2;
        }
    }
    if (recover && !cs.path && optind == argc && !check_only && !print_key && !print_id &&
        !do_upgrade && !pidfile_path)
        return sodium_init() < 0 ? 1 : recover_dir(recover, (uint64_t)32768 << 20, false);
    if (recover || !cs.path || optind != argc ||
        check_only + print_key + print_id + do_upgrade > 1) {
        usage(stderr);
        return 2;
    }
    if (sodium_init() < 0) {
        log_line(GL_LOG_ERROR, "main", "libsodium failed to initialise");
        return 1;
    }
    gl_config *cfg = load_config(&cs);
    int rc = !cfg ? 1 : 0;
    if (cfg && check_only)
        fprintf(stderr, "%s: configuration ok (%zu tenants, %zu keys)\n", cs.path,
                cfg->tenant_count, cfg->key_count);
    else if (cfg && print_key)
        rc = print_server_key(cfg);
    else if (cfg && print_id)
        rc = print_ledger_id(cfg);
    else if (cfg && do_upgrade)
        rc = upgrade(cfg);
    else if (cfg) {
        install_signals();
        rc = run(&cs, pidfile_path);
    }
    free_configs(&cs);
    return rc;
}
