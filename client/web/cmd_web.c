/*
 * client/web/cmd_web.c — `grandlivre web`: the books in a browser.  Loads
 * the key as every command does, connects to the daemon, then serves pages
 * on 127.0.0.1, or over TLS on the network (web_server.c), until
 * interrupted; --new-token asks a running server for a new login URL
 * (web_state.c).
 */
#include "web.h"

#include "client/cli/i18n.h"

#include <errno.h>
#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre web [--tenant T] [--listen ADDR:PORT] [--read-only]\n"
    "                      [--tls-cert FILE --tls-key FILE [--host NAME[:PORT]]]\n"
    "       grandlivre web --new-token [--listen ADDR:PORT]\n"
    "\n"
    "Serve the books in a browser, on this machine: the key stays here, every\n"
    "write is signed with it, and the pages are read from the daemon as the\n"
    "other commands read them.  Prints one address holding a login token on\n"
    "standard output: open it in a browser (it works once, within 15 minutes).\n"
    "A session ends after 8 hours without a request, or with the Sign out\n"
    "button.  Every page works without JavaScript.\n"
    "\n"
    "Pages: Accueil (/: bank and cash, the result of the year against last\n"
    "year's, open customer and supplier items, months not yet locked, last\n"
    "entries); Saisie (/post: an entry form with templates); Journal\n"
    "(/journal); Grand livre (/ledger); Balance (/balance, by third party too);\n"
    "Recherche (/search); Entrée (/entry: one entry, with /reverse to reverse\n"
    "it and /letter to letter its third-party lines); Périodes (/periods: lock\n"
    "months; /close: close a year); Groupe (/group: the combined balance);\n"
    "États (/statements); downloads of the FEC (/fec) and the archive\n"
    "(/archive).  --read-only serves the pages and no form.\n"
    "\n"
    "  --listen ADDR:PORT  where to listen (default 127.0.0.1 and a free port);\n"
    "                      an address other than loopback needs TLS\n"
    "  --tls-cert FILE, --tls-key FILE\n"
    "                      serve HTTPS with this certificate and its key (PEM);\n"
    "                      the session cookie is then Secure, and HSTS is sent\n"
    "  --host NAME[:PORT]  with TLS: the name the browsers use (the Host header\n"
    "                      accepted, and the address printed; without :PORT the\n"
    "                      port listened on); without --host, the Host must be\n"
    "                      the listening address\n"
    "  --read-only         serve no write at all\n"
    "  --tenant T          the tenant shown first (a member key: its own)\n"
    "  --new-token         ask the running server (the one of --listen, or the\n"
    "                      only one) for a new login address and print it; the\n"
    "                      old one stops working.  Exit 3 if none is running, 2\n"
    "                      if several are and no --listen names one\n"
    "\n"
    "A running server keeps its address in a file only its user can read,\n"
    "under $XDG_RUNTIME_DIR/grandlivre or ~/.cache/grandlivre; kill -USR1 on it\n"
    "also prints a new address, on the server's own output.\n";

enum { OPT_LISTEN = 3000, OPT_READ_ONLY, OPT_TLS_CERT, OPT_TLS_KEY, OPT_HOST, OPT_NEW_TOKEN };

struct web_opts {
    const char *listen, *tls_cert, *tls_key, *host;
    bool read_only, new_token;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct web_opts *o = user;
    switch (opt) {
    case OPT_LISTEN: o->listen = arg; return 0;
    case OPT_READ_ONLY: o->read_only = true; return 0;
    case OPT_TLS_CERT: o->tls_cert = arg; return 0;
    case OPT_TLS_KEY: o->tls_key = arg; return 0;
    case OPT_HOST: o->host = arg; return 0;
    case OPT_NEW_TOKEN: o->new_token = true; return 0;
    default: return EXIT_USAGE;
    }
}

static const struct option web_options[] = {{"listen", required_argument, NULL, OPT_LISTEN},
                                            {"read-only", no_argument, NULL, OPT_READ_ONLY},
                                            {"tls-cert", required_argument, NULL, OPT_TLS_CERT},
                                            {"tls-key", required_argument, NULL, OPT_TLS_KEY},
                                            {"host", required_argument, NULL, OPT_HOST},
                                            {"new-token", no_argument, NULL, OPT_NEW_TOKEN},
                                            {0}};

#define PEM_MAX (1 << 20) /* bytes of a certificate chain or a key: far more than any */

/* The PEM file of option opt, holding marker (what it is said to be if
 * not): NUL-terminated text in *out (freed by the caller), or EXIT_USAGE
 * after one line saying why. */
static int read_pem(const char *opt, const char *path, const char *marker, const char *what,
                    char **out)
{
    *out = NULL;
    FILE *f = fopen(path, "re");
    if (!f) {
        cli_error("%s %s: cannot read it (%s)", opt, path, strerror(errno));
        return EXIT_USAGE;
    }
    char *text = malloc(PEM_MAX + 1);
    size_t n = text ? fread(text, 1, PEM_MAX + 1, f) : 0;
    bool failed = ferror(f);
    fclose(f);
    if (!text)
        return cli_error("%s: out of memory", opt), EXIT_NOMEM;
    text[n <= PEM_MAX ? n : PEM_MAX] = '\0';
    const char *why = failed                  ? _("cannot read it")
                      : n > PEM_MAX           ? _("larger than 1 MiB")
                      : !strstr(text, marker) ? what
                                              : NULL;
    if (why) {
        cli_error("%s %s: %s", opt, path, why);
        sodium_memzero(text, PEM_MAX + 1);
        free(text);
        return EXIT_USAGE;
    }
    *out = text;
    return 0;
}

static void free_pem(char *text)
{
    if (text) {
        sodium_memzero(text, strlen(text));
        free(text);
    }
}

/* --tls-cert and --tls-key both or neither, readable PEM; --host only with
 * them.  0 or an exit code. */
static int load_tls(const struct web_opts *o, char **cert, char **key)
{
    *cert = *key = NULL;
    if (!o->tls_cert != !o->tls_key) {
        cli_error("--tls-cert and --tls-key go together: a certificate and its private key");
        return EXIT_USAGE;
    }
    if (o->host && !o->tls_cert) {
        cli_error(
            "--host %s: goes with --tls-cert and --tls-key (without TLS, the Host is the "
            "listening address)",
            o->host);
        return EXIT_USAGE;
    }
    if (o->host && (!o->host[0] || strlen(o->host) >= 90 || strpbrk(o->host, " /\t\r\n"))) {
        cli_error("--host %s: a name such as compta.example.org or compta.example.org:8443",
                  o->host);
        return EXIT_USAGE;
    }
    if (!o->tls_cert)
        return 0;
    int rc = read_pem("--tls-cert", o->tls_cert, "-----BEGIN CERTIFICATE-----",
                      _("not a certificate in PEM (no -----BEGIN CERTIFICATE----- line)"), cert);
    if (!rc &&
        (rc = read_pem("--tls-key", o->tls_key, "PRIVATE KEY-----",
                       _("not a private key in PEM (no -----BEGIN PRIVATE KEY----- line)"), key))) {
        free_pem(*cert);
        *cert = NULL;
    }
    return rc;
}

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
    if (o.new_token) /* no key, no daemon: the running server has both */
        return web_new_token(o.listen);
    char *cert, *key;
    if ((rc = load_tls(&o, &cert, &key)))
        return rc;
    if ((rc = cli_key_tenant(&c, false)) || (rc = cli_connect(&c))) {
        free_pem(cert);
        free_pem(key);
        return rc;
    }
    web_app app = {.c = &c,
                   .read_only = o.read_only,
                   .tls_cert = cert,
                   .tls_key = key,
                   .host_name = o.host,
                   .listen_arg = o.listen};
    pthread_mutex_init(&app.lock, NULL);
    if (c.source[PF_TENANT] != SRC_KEY)
        web_tenants_load(&app);
    rc = web_serve(&app, o.listen);
    pthread_mutex_destroy(&app.lock);
    free_pem(cert);
    free_pem(key);
    cli_close(&c);
    return rc;
}
