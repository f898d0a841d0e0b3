/*
 * client/cli/cli.c — common options, connection, calls and error reporting
 * for every subcommand.  Flags win over the environment (GRANDLIVRE_ENDPOINT,
 * GRANDLIVRE_KEY, GRANDLIVRE_SERVER_KEY, GRANDLIVRE_TENANT), as psql does
 * with PGHOST, and the environment wins over the configuration file's
 * profile (profile.h, cli_profile.c).  A protected key file's passphrase comes from
 * GRANDLIVRE_PASSPHRASE or the terminal (never an option: it would show in
 * ps); it is wiped once used.
 */
#include "cli.h"
#include "cli_tenant_hint.h"

#include "i18n.h"

#include "client/input/date_why.h"
#include "client/output/progress.h"
#include "proto/date.h"
#include "proto/log.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <sodium.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

enum {
    OPT_ENDPOINT = 1000,
    OPT_KEY,
    OPT_TIMEOUT,
    OPT_TENANT,
    OPT_FORMAT,
    OPT_REQUEST_ID,
    OPT_NEW,
    OPT_HELP,
    OPT_SERVER_KEY,
    OPT_PROFILE,
    OPT_LANG,
    OPT_WIDE
};

static const struct option common_options[] = {
    {"endpoint", required_argument, NULL, OPT_ENDPOINT},
    {"key", required_argument, NULL, OPT_KEY},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"tenant", required_argument, NULL, OPT_TENANT},
    {"format", required_argument, NULL, OPT_FORMAT},
    {"request-id", required_argument, NULL, OPT_REQUEST_ID},
    {"new", no_argument, NULL, OPT_NEW},
    {"help", no_argument, NULL, OPT_HELP},
    {"server-key", required_argument, NULL, OPT_SERVER_KEY},
    {"profile", required_argument, NULL, OPT_PROFILE},
    {"lang", required_argument, NULL, OPT_LANG},
    {"wide", no_argument, NULL, OPT_WIDE},
};
#define COMMON_COUNT (sizeof common_options / sizeof common_options[0])

/* A warning or error line on stderr, laid out as proto/log.h's commands'
 * lines ("grandlivre: ", "warning: " for a warning, the message). */
static void cli_vlog(int level, const char *fmt, va_list ap)
{
    char head[128];
    gl_log_head(head, sizeof head, GL_LOG_BARE, "grandlivre", 0, level, "cli");
    gl_progress_suspend(); /* the line on a line of its own, not after a bar */
    fputs(head, stderr);
    vfprintf(stderr, fmt[0] ? _(fmt) : fmt, ap); /* the format is the msgid */
    fputc('\n', stderr);
}

void cli_error(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vlog(GL_LOG_ERROR, fmt, ap);
    va_end(ap);
}

void cli_warn(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    cli_vlog(GL_LOG_WARN, fmt, ap);
    va_end(ap);
}

int cli_nomem(const char *what)
{
    cli_error("error %d %s: %s%s%s", GL_ERR_NOMEM, gl_status_name(GL_ERR_NOMEM),
              _(gl_status_message(GL_ERR_NOMEM)), what ? " — " : "", what ? what : "");
    return EXIT_NOMEM;
}

static int common_option(cli *c, int opt, const char *arg)
{
    char *end;
    switch (opt) {
    case OPT_ENDPOINT: c->endpoint = arg; return 0;
    case OPT_KEY: c->key_path = arg; return 0;
    case OPT_SERVER_KEY:
        c->server_key = arg;
        c->server_key_from = "--server-key";
        return 0;
    case OPT_TENANT: c->tenant = arg; return 0;
    case OPT_NEW: c->new_id = true; return 0;
    case OPT_PROFILE: c->profile_name = arg; return 0;
    case OPT_LANG: c->lang = arg; return 0;
    case OPT_WIDE: out_set_wide(true); return 0;
    case OPT_TIMEOUT: {
        errno = 0;
        long s = strtol(arg, &end, 10);
        if (errno || *end || s < 1 || s > 86400) {
            cli_error("--timeout takes whole seconds from 1 to 86400");
            return EXIT_USAGE;
        }
        c->timeout_ms = (int)s * 1000;
        return 0;
    }
    case OPT_FORMAT:
        if (out_parse_format(arg, &c->format)) {
            cli_error("--format takes table, table-fr, csv, csv-fr or json");
            return EXIT_USAGE;
        }
        c->format_given = true;
        return 0;
    case OPT_REQUEST_ID:
        errno = 0;
        c->request_id = strtoull(arg, &end, 10);
        if (errno || *end || c->request_id == 0 || arg[0] == '-') {
            cli_error("--request-id takes a whole number from 1 to 2^64-1");
            return EXIT_USAGE;
        }
        return 0;
    }
    return -1;
}

/* An option getopt_long refused (unknown, or missing its value): one line
 * naming it, then the command's usage lines (help up to its first blank
 * line), not the whole help.  Returns EXIT_USAGE. */
static int bad_option(int opt, char **argv, const char *help)
{
    const char *arg = optind > 0 ? argv[optind - 1] : "";
    if (optopt && optopt < 256 && !(arg[0] == '-' && arg[1] == '-'))
        cli_error(opt == ':' ? "option -%c needs a value" : "unknown option -%c", optopt);
    else
        cli_error(opt == ':' ? "option %.*s needs a value" : "unknown option %.*s",
                  (int)strcspn(arg, "="), arg);
    const char *end = strstr(help, "\n\n");
    fprintf(stderr, "%.*s\n", (int)(end ? end - help : (ptrdiff_t)strcspn(help, "")), help);
    return EXIT_USAGE;
}

/* The language (i18n.h: --lang, GRANDLIVRE_LANG, the profile, the
 * locale); in French, the table for people has French amounts and dates. */
static int cli_lang_apply(cli *c)
{
    if (i18n_set_lang(c->lang) != 0) {
        cli_error("--lang takes fr, en or auto, not '%s'", c->lang);
        return EXIT_USAGE;
    }
    if (i18n_french() && c->format == OUT_TABLE)
        c->format = OUT_TABLE_FR;
    return 0;
}

int cli_parse(cli *c, int *argc, char ***argv, const struct option *extra,
              extra_handler handle_extra, void *user, const char *help)
{
    memset(c, 0, sizeof *c);
    c->endpoint = getenv("GRANDLIVRE_ENDPOINT");
    c->key_path = getenv("GRANDLIVRE_KEY");
    c->server_key = getenv("GRANDLIVRE_SERVER_KEY");
    c->server_key_from = "GRANDLIVRE_SERVER_KEY";
    c->tenant = getenv("GRANDLIVRE_TENANT");
    c->lang = getenv("GRANDLIVRE_LANG");
    c->timeout_ms = 30000;
    c->format = OUT_TABLE;
    size_t extra_count = 0;
    while (extra && extra[extra_count].name)
        extra_count++;
    struct option *all = calloc(COMMON_COUNT + extra_count + 1, sizeof *all);
    if (!all)
        return cli_nomem("the options");
    memcpy(all, common_options, sizeof common_options);
    if (extra_count)
        memcpy(all + COMMON_COUNT, extra, extra_count * sizeof *all);
    int opt, rc = 0;
    optind = 1;
    opterr = 0; /* bad_option says it in one line */
    while (rc == 0 && (opt = getopt_long(*argc, *argv, ":", all, NULL)) != -1) {
        if (opt == OPT_HELP) {
            fputs(help, stdout);
            rc = -1;
        } else if (opt == '?' || opt == ':') {
            rc = bad_option(opt, *argv, help);
        } else if ((rc = common_option(c, opt, optarg)) == -1) {
            rc = handle_extra ? handle_extra(opt, optarg, user) : EXIT_USAGE;
        }
    }
    free(all);
    if (rc == 0)
        rc = cli_profile_apply(c);
    if (rc == 0)
        rc = cli_lang_apply(c);
    *argc -= optind;
    *argv += optind;
    return rc;
}

void cli_short_output_option(int argc, char **argv)
{
    static char long_name[] = "--output";
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--"))
            return;
        if (!strcmp(argv[i], "-o"))
            argv[i] = long_name;
    }
}

int cli_parse_args(cli *c, int *argc, char ***argv, int args_max, const char *help)
{
    int rc = cli_parse(c, argc, argv, NULL, NULL, NULL, help);
    if (rc == 0 && *argc > args_max) {
        fputs(help, stderr);
        rc = EXIT_USAGE;
    }
    return rc;
}

int cli_parse_connect(cli *c, int *argc, char ***argv, int args_max, const char *help)
{
    int rc = cli_parse_args(c, argc, argv, args_max, help);
    return rc ? rc : cli_connect(c);
}

int cli_ask(cli *c, int argc, char **argv, const char *help, uint16_t kind, gl_response *resp)
{
    int rc = cli_parse_connect(c, &argc, &argv, 0, help);
    if (rc)
        return rc;
    if ((rc = cli_call(c, kind, "", NULL, 0, resp))) {
        gl_response_free(resp);
        cli_close(c);
    }
    return rc;
}

int cli_need_tenant(cli *c) { return cli_key_tenant(c, true); }

int cli_connect(cli *c)
{
    char err[512];
    if (c->client) /* already connected (cli_need_tenant asked the daemon) */
        return 0;
    if (!c->endpoint || !c->endpoint[0]) {
        cli_error(
            "no daemon: give --endpoint or set GRANDLIVRE_ENDPOINT (e.g. ipc:///path/grandlivred.sock)");
        return EXIT_USAGE;
    }
    if (!c->key_path || !c->key_path[0]) {
        cli_error("no key: give --key FILE or set GRANDLIVRE_KEY");
        return EXIT_USAGE;
    }
    if (gl_key_load_protected(c->key_path, cli_passphrase, NULL, &c->key, err, sizeof err) !=
        GL_OK) {
        cli_error("%s", err);
        return EXIT_KEYFILE;
    }
    uint8_t server_key[32];
    if (!c->server_key || !c->server_key[0]) {
        cli_error(
            "no server key: give --server-key or set GRANDLIVRE_SERVER_KEY to the daemon's public key "
            "(its administrator prints it with grandlivred -c CONFIG --print-server-key)");
        return EXIT_USAGE;
    }
    if (gl_server_key_parse(c->server_key, server_key) != GL_OK) {
        cli_error("the server key must be 64 hex digits (grandlivred --print-server-key)");
        return EXIT_USAGE;
    }
    if (gl_client_open_pinned(&c->client, c->endpoint, &c->key, server_key, c->timeout_ms, err,
                              sizeof err) != GL_OK) {
        cli_error("%s", err);
        return EXIT_UNREACHABLE;
    }
    /* A pinned ledger id: every request is signed for it, so a daemon
     * keeping another ledger refuses them all (206) instead of this client
     * learning the other's id. */
    const char *ledger = getenv("GRANDLIVRE_LEDGER_ID");
    if (ledger && ledger[0]) {
        uint8_t id[GL_LEDGER_ID_BYTES];
        if (gl_ledger_id_parse(ledger, id) != GL_OK) {
            cli_error(
                "GRANDLIVRE_LEDGER_ID must be 32 hex digits (grandlivre whoami, grandlivred --print-ledger-id)");
            cli_close(c);
            return EXIT_USAGE;
        }
        gl_client_pin_ledger(c->client, id);
    }
    return 0;
}

void cli_close(cli *c)
{
    gl_client_close(c->client);
    c->client = NULL;
    gl_key_wipe(&c->key);
}

int cli_transport_error(const cli *c, int st)
{
    if (st == GL_ERR_NO_DAEMON) {
        cli_error(
            "no daemon answering at %s (is grandlivred running? check --endpoint or GRANDLIVRE_ENDPOINT)",
            c->endpoint);
        return EXIT_UNREACHABLE;
    }
    if (st == GL_ERR_SERVER_KEY) {
        cli_error(
            "the daemon's key is not %s: the daemon at %s holds another key (its administrator prints "
            "it with grandlivred -c CONFIG --print-server-key)",
            c->server_key_from ? c->server_key_from : "the pinned server key", c->endpoint);
        return EXIT_UNREACHABLE;
    }
    return 0;
}

int cli_call(cli *c, uint16_t kind, const char *tenant, const void *body, size_t body_len,
             gl_response *resp)
{
    uint64_t id = c->request_id;
    if (!id)
        id = c->new_id || !gl_kind_writes(kind)
                 ? gl_request_id_random()
                 : gl_request_id_for(&c->key, kind, tenant, body, body_len, 0);
    int st = gl_call(c->client, kind, tenant, id, body, body_len, resp);
    return cli_reply(c, st, id, tenant, resp);
}

int cli_reply(cli *c, int st, uint64_t id, const char *tenant, gl_response *resp)
{
    if (cli_transport_error(c, st))
        return EXIT_UNREACHABLE;
    if (st / 100 == 2) { /* the daemon refused the key when connecting */
        cli_error("refused: error %d %s: %s — %s", st, gl_status_name(st), _(gl_status_message(st)),
                  gl_client_error(c->client));
        return EXIT_REFUSED;
    }
    if (st != GL_OK) {
        cli_error("error %d %s: %s — %s (request id %llu; retrying it is safe)", st,
                  gl_status_name(st), _(gl_status_message(st)), gl_client_error(c->client),
                  (unsigned long long)id);
        if (st == GL_ERR_NOMEM)
            return EXIT_NOMEM;
        return st == GL_ERR_TIMEOUT || st == GL_ERR_CONNECT ? EXIT_UNREACHABLE : EXIT_USAGE;
    }
    const gl_reply *r = &resp->reply;
    if (r->status != GL_OK) {
        char where[64] = "";
        if (r->err_item && r->err_line)
            snprintf(where, sizeof where, _(" [item %u, line %u]"), r->err_item, r->err_line);
        else if (r->err_item)
            snprintf(where, sizeof where, _(" [item %u]"), r->err_item);
        if (!(c->quiet_reused && r->status == GL_ERR_REQUEST_ID_REUSED))
            cli_error("refused: error %u %s: %s%s%s%.*s", r->status, gl_status_name(r->status),
                      _(gl_status_message(r->status)), where, r->detail.len ? " — " : "",
                      (int)r->detail.len, r->detail.ptr);
        cli_tenant_hint(c, r->status, tenant);
        return EXIT_REFUSED;
    }
    /* A success may carry a warning (PROTOCOL.md §3): shown, not fatal. */
    if (r->detail.len)
        cli_warn("%.*s", (int)r->detail.len, r->detail.ptr);
    if (r->flags & GL_REPLY_REPLAYED)
        fprintf(
            stderr,
            "grandlivre: note: request id %llu was already applied; this is its original reply, nothing new was written\n",
            (unsigned long long)id);
    return 0;
}

int cli_ask_tty(const char *prompt, char *buf, size_t buf_len)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    struct termios old, quiet;
    if (fd < 0 || tcgetattr(fd, &old) != 0) {
        if (fd >= 0)
            close(fd);
        return -1;
    }
    quiet = old;
    quiet.c_lflag &= ~(tcflag_t)(ECHO | ECHONL);
    quiet.c_lflag |= ICANON;
    ssize_t w = write(fd, prompt, strlen(prompt));
    tcsetattr(fd, TCSAFLUSH, &quiet);
    ssize_t n = w < 0 ? -1 : read(fd, buf, buf_len);
    tcsetattr(fd, TCSAFLUSH, &old);
    w = write(fd, "\n", 1);
    close(fd);
    (void)w;
    while (n > 0 && (buf[n - 1] == '\n' || buf[n - 1] == '\r'))
        n--;
    if (n <= 0 || (size_t)n >= buf_len) { /* nothing, or perhaps cut short */
        sodium_memzero(buf, buf_len);
        return -1;
    }
    return (int)n;
}

int cli_passphrase(void *user, const char *path, char *buf, size_t buf_len)
{
    (void)user;
    const char *env = getenv("GRANDLIVRE_PASSPHRASE");
    if (env && env[0]) {
        size_t n = strlen(env);
        if (n > buf_len)
            return -1;
        memcpy(buf, env, n);
        return (int)n;
    }
    char prompt[512];
    snprintf(prompt, sizeof prompt, "Passphrase for %s: ", path);
    return cli_ask_tty(prompt, buf, buf_len);
}

int cli_date(const char *arg, const char *what, uint32_t *ymd)
{
    if (gl_date_parse(arg, strlen(arg), ymd))
        return 0;
    char why[80];
    cli_error("%s: '%s' is not a date: %s", what, arg, date_why(arg, strlen(arg), why, sizeof why));
    return EXIT_USAGE;
}

uint32_t cli_today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    return (uint32_t)((tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday);
}

char *cli_read_file(const char *path, size_t *len)
{
    FILE *f = strcmp(path, "-") ? fopen(path, "rb") : stdin;
    if (!f) {
        cli_error("cannot open %s: %s", path, strerror(errno));
        return NULL;
    }
    size_t cap = 1 << 16, n = 0;
    char *data = malloc(cap + 1);
    while (data) {
        size_t r = fread(data + n, 1, cap - n, f);
        n += r;
        if (n < cap)
            break;
        cap *= 2;
        char *d = realloc(data, cap + 1);
        if (!d) {
            free(data);
            data = NULL;
        } else {
            data = d;
        }
    }
    bool bad = ferror(f);
    if (f != stdin)
        fclose(f);
    if (!data || bad) {
        free(data);
        cli_error("cannot read %s", path);
        return NULL;
    }
    data[n] = '\0';
    *len = n;
    return data;
}
