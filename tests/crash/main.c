/*
 * tests/crash/main.c — build/gltorture, the fault-injection tool of
 * scripts/crashtest and scripts/soak: one subcommand per job.
 *
 *   gltorture loop ...     the SIGKILL crash loop (loop.c)
 *   gltorture load ...     the workload alone, acknowledgements to a file
 *                          (for the power-loss run: load.c)
 *   gltorture images ...   power-loss crash images from a write log (images.c)
 *   gltorture check [--acks FILE] [--daemon BIN] DIR   the ledger checker on
 *                          a stopped daemon's data directory (its journal,
 *                          if any, replayed first by BIN --recover DIR)
 *   gltorture soak ...     steady-rate soak (soak.c)
 */
#include "torture.h"

#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

int cmd_check(int argc, char **argv)
{
    const char *acks_path = NULL, *marker = LD_MARKER;
    char daemon_buf[600];
    const char *daemon = tt_default_daemon(daemon_buf, sizeof daemon_buf);
    int i = 1;
    for (; i + 1 < argc && argv[i][0] == '-'; i += 2) {
        if (!strcmp(argv[i], "--acks"))
            acks_path = argv[i + 1];
        else if (!strcmp(argv[i], "--marker"))
            marker = argv[i + 1];
        else if (!strcmp(argv[i], "--daemon"))
            daemon = argv[i + 1];
        else
            break;
    }
    if (i + 1 != argc) {
        fprintf(stderr,
                "usage: gltorture check [--acks FILE] [--marker PREFIX] [--daemon BIN] DATA_DIR\n");
        return 2;
    }
    tt_ack *acks = NULL;
    size_t n = 0;
    if (acks_path && tt_ack_read_all(acks_path, &acks, &n) != 0) {
        fprintf(stderr, "gltorture: cannot read %s\n", acks_path);
        return 2;
    }
    long records;
    char msg[600];
    if (tt_recover(daemon, argv[i], &records, msg, sizeof msg) != 0) {
        fprintf(stderr, "gltorture: %s\n", msg);
        return 2;
    }
    if (records >= 0)
        printf("journal: %s\n", msg);
    ck_result r;
    int rc = ck_check(argv[i], acks, n, INT64_MAX, marker, &r);
    ck_print(stdout, rc == 0 ? "check ok" : "check FAILED", &r);
    for (size_t k = 0; k < n; k++)
        tt_ack_free(&acks[k]);
    free(acks);
    return rc;
}

/* `gltorture load`: the workload for a duration, acknowledgements appended
 * to a file (the power-loss run reads them back with the write log). */
int cmd_load(int argc, char **argv)
{
    static const struct option opts[] = {{"keys", 1, NULL, 'k'},    {"endpoint", 1, NULL, 'e'},
                                         {"acks", 1, NULL, 'a'},    {"seconds", 1, NULL, 't'},
                                         {"clients", 1, NULL, 'C'}, {"pace-ms", 1, NULL, 'p'},
                                         {"seed", 1, NULL, 's'},    {"umbrella", 1, NULL, 'u'},
                                         {"members", 1, NULL, 'M'}, {NULL, 0, NULL, 0}};
    ld_opts o = {.endpoint = getenv("GRANDLIVRE_ENDPOINT"),
                 .umbrella = "gessa",
                 .clients = 4,
                 .timeout_ms = 3000,
                 .pace_ms = 5,
                 .seed = 1,
                 .ack_fd = -1};
    char members[256] = "agiie,proxim,vital,vsm";
    const char *acks = NULL;
    double seconds = 5;
    int c;
    while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        switch (c) {
        case 'k': o.key_dir = optarg; break;
        case 'e': o.endpoint = optarg; break;
        case 'a': acks = optarg; break;
        case 't': seconds = atof(optarg); break;
        case 'C': o.clients = atoi(optarg); break;
        case 'p': o.pace_ms = atoi(optarg); break;
        case 's': o.seed = strtoull(optarg, NULL, 10); break;
        case 'u': o.umbrella = optarg; break;
        case 'M': snprintf(members, sizeof members, "%s", optarg); break;
        default: return 2;
        }
    }
    for (char *save = NULL, *m = strtok_r(members, ",", &save); m && o.member_count < 8;
         m = strtok_r(NULL, ",", &save))
        o.members[o.member_count++] = m;
    if (!o.key_dir || !o.endpoint || !acks || seconds <= 0 || seconds > 3600) {
        fprintf(
            stderr,
            "usage: gltorture load --keys DIR --acks FILE [--endpoint EP] [--seconds S] [--clients N]\n"
            "                      [--pace-ms MS] [--seed S] [--umbrella T] [--members a,b]\n");
        return 2;
    }
    o.ack_fd = open(acks, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600);
    if (o.ack_fd < 0) {
        perror(acks);
        return 2;
    }
    signal(SIGPIPE, SIG_IGN);
    ld_run *run = ld_start(&o);
    if (!run)
        return 1;
    tt_sleep_ms((int64_t)(seconds * 1000));
    ld_stop(run, 2000);
    const ld_stats *s = ld_stats_of(run);
    printf(
        "load: requests=%ld entries=%ld recharges=%ld retries=%ld refusals=%ld replays_checked=%ld "
        "replay_mismatch=%ld\n",
        atomic_load(&s->requests), atomic_load(&s->entries), atomic_load(&s->recharges),
        atomic_load(&s->retries), atomic_load(&s->refusals), atomic_load(&s->replays_checked),
        atomic_load(&s->replay_mismatch));
    int rc = atomic_load(&s->refusals) || atomic_load(&s->replay_mismatch) ? 1 : 0;
    ld_free(run);
    close(o.ack_fd);
    return rc;
}

int main(int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(int, char **);
    } cmds[] = {{"loop", cmd_loop},
                {"load", cmd_load},
                {"images", cmd_images},
                {"check", cmd_check},
                {"soak", cmd_soak}};
    if (argc >= 2)
        for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
            if (!strcmp(argv[1], cmds[i].name))
                return cmds[i].fn(argc - 1, argv + 1);
    fprintf(stderr, "usage: gltorture loop|load|images|check|soak ... (see tests/crash/main.c)\n");
    return 2;
}
