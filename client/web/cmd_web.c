/*
 * client/web/cmd_web.c — `grandlivre web`: the books in a browser.  Loads
 * the key as every command does, connects to the daemon, then serves pages
 * on 127.0.0.1 (web_server.c) until interrupted.
 */
#include "web.h"

#include "client/cli/i18n.h"

#include <getopt.h>
#include <stdio.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre web [--tenant T] [--listen ADDR:PORT] [--read-only]\n"
    "\n"
    "Serve the books in a browser, on this machine: the key stays here and the\n"
    "pages are read from the daemon as the other commands read them.  Prints one\n"
    "address holding a login token on standard output: open it in a browser (it\n"
    "works once, within 15 minutes; kill -USR1 the process prints a new one).  A\n"
    "session ends after 8 hours without a request, or with the Sign out button.\n"
    "Pages: home (bank and cash, result of the year), journal (with the daemon's\n"
    "filters), general ledger, trial balance, one entry.\n"
    "\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1 and a free port);\n"
    "                      only a loopback address: the network needs TLS\n"
    "  --tls-cert FILE, --tls-key FILE\n"
    "                      TLS for a network address: not served by this version\n"
    "  --read-only         serve no write at all\n"
    "  --tenant T          the tenant shown first (a member key: its own)\n";

enum { OPT_LISTEN = 3000, OPT_READ_ONLY, OPT_TLS_CERT, OPT_TLS_KEY };

struct web_opts {
    const char *listen, *tls_cert, *tls_key;
    bool read_only;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct web_opts *o = user;
    switch (opt) {
    case OPT_LISTEN: o->listen = arg; return 0;
    case OPT_READ_ONLY: o->read_only = true; return 0;
    case OPT_TLS_CERT: o->tls_cert = arg; return 0;
    case OPT_TLS_KEY: o->tls_key = arg; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option web_options[] = {{"listen", required_argument, NULL, OPT_LISTEN},
                                            {"read-only", no_argument, NULL, OPT_READ_ONLY},
                                            {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
                                            {"tls-key", required_argument, NULL, OPT_TLS_KEY},
                                            {0}};

int cmd_web(int argc, char **argv)
{
    struct web_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, web_options, on_opt, &o, help);
    if (rc || argc) { /* no argument but options */
        if (!rc)
            fputs(help, stderr);
        return rc < 0 ? 0 : rc ? rc : EXIT_USAGE;
    }
    if ((rc = cli_format_refuse(&c, "web (it serves HTML pages)")))
        return rc;
    if (o.tls_cert || o.tls_key) {
        cli_error("--tls-cert/--tls-key: TLS is not served by this version; listen on 127.0.0.1");
        return EXIT_USAGE;
    }
    if ((rc = cli_key_tenant(&c, false)) || (rc = cli_connect(&c)))
        return rc;
    web_app app = {.c = &c, .read_only = o.read_only};
    pthread_mutex_init(&app.lock, NULL);
    if (c.source[PF_TENANT] != SRC_KEY)
        web_tenants_load(&app);
    rc = web_serve(&app, o.listen);
    pthread_mutex_destroy(&app.lock);
    cli_close(&c);
    return rc;
}
