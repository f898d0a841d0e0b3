/*
 * client/cli/cmd_keygen.c — `grandlivre keygen --out FILE [--passphrase]`:
 * a new key pair in a new file (mode 0600, never overwriting), its public
 * key and fingerprint on standard output.  With --passphrase the seed is
 * sealed under a passphrase taken from GRANDLIVRE_PASSPHRASE or asked twice
 * on the terminal; it is wiped once used.
 */
#include "cli.h"

#include <getopt.h>
#include <sodium.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char help[] =
    "usage: grandlivre keygen --out FILE [--passphrase] [--format F]\n"
    "\n"
    "Create a new Ed25519 key pair in FILE (mode 0600; an existing file is never\n"
    "overwritten) and print its public key (64 hex digits) and, on a second line,\n"
    "its fingerprint (fingerprint: xxxx-xxxx-xxxx-xxxx) for comparing by eye.\n"
    "Give the public key to the daemon's administrator for the keyring; keep the\n"
    "file secret.  The same key also identifies you to the daemon's encrypted\n"
    "transport (CURVE).  --format csv or json prints one row: public_key,\n"
    "fingerprint, file.\n"
    "\n"
    "  --passphrase   protect the file with a passphrase (Argon2id + XSalsa20-\n"
    "                 Poly1305), taken from GRANDLIVRE_PASSPHRASE or asked twice\n"
    "                 on the terminal; every command then needs it\n";

enum { OPT_OUT = 2000, OPT_PASSPHRASE };

struct keygen_opts {
    const char *out;
    bool protect;
};

static int on_opt(int opt, const char *arg, void *user)
{
    struct keygen_opts *o = user;
    if (opt == OPT_OUT)
        o->out = arg;
    else if (opt == OPT_PASSPHRASE)
        o->protect = true;
    else
        return EXIT_USAGE;
    return 0;
}

/* The new passphrase into buf (NUL-terminated). 0 or an exit code. */
static int new_passphrase(char *buf, size_t buf_len)
{
    const char *env = getenv("GRANDLIVRE_PASSPHRASE");
    char again[GL_PASSPHRASE_MAX + 1];
    if (env && env[0]) {
        if (strlen(env) > GL_PASSPHRASE_MAX) {
            cli_error("GRANDLIVRE_PASSPHRASE is longer than %d bytes", GL_PASSPHRASE_MAX);
            return EXIT_USAGE;
        }
        snprintf(buf, buf_len, "%s", env);
        return 0;
    }
    int n = cli_ask_tty("New passphrase: ", buf, buf_len - 1);
    int m = n > 0 ? cli_ask_tty("The same again: ", again, sizeof again - 1) : -1;
    bool same = n > 0 && n == m && !memcmp(buf, again, (size_t)n);
    sodium_memzero(again, sizeof again);
    if (!same) {
        sodium_memzero(buf, buf_len);
        cli_error(n <= 0 ? "no passphrase: set GRANDLIVRE_PASSPHRASE or run on a terminal"
                         : "the two passphrases differ");
        return EXIT_USAGE;
    }
    buf[n] = '\0';
    return 0;
}

int cmd_keygen(int argc, char **argv)
{
    static const struct option extra[] = {{"out", required_argument, NULL, OPT_OUT},
                                          {"passphrase", no_argument, NULL, OPT_PASSPHRASE},
                                          {0}};
    struct keygen_opts o = {0};
    cli c;
    int rc = cli_parse(&c, &argc, &argv, extra, on_opt, &o, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (!o.out || argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    char pass[GL_PASSPHRASE_MAX + 1];
    if (o.protect && (rc = new_passphrase(pass, sizeof pass)))
        return rc;
    uint8_t pk[32];
    char err[512], hex[65], fingerprint[GL_FINGERPRINT_LEN];
    int st = gl_key_generate_protected(o.out, o.protect ? pass : NULL, pk, err, sizeof err);
    sodium_memzero(pass, sizeof pass);
    if (st != GL_OK) {
        cli_error("%s", err);
        return EXIT_KEYFILE;
    }
    gl_hex(pk, 32, hex);
    gl_fingerprint(pk, fingerprint);
    if (cli_format_table(&c)) {
        printf("%s\nfingerprint: %s\n", hex, fingerprint);
        return 0;
    }
    static const out_col cols[] = {
        {"public_key", OUT_TEXT}, {"fingerprint", OUT_TEXT}, {"file", OUT_TEXT}};
    out_table *t = out_new(cols, 3);
    if (t) {
        out_cstr(t, hex);
        out_cstr(t, fingerprint);
        out_cstr(t, o.out);
    }
    return cli_format_render(&c, t);
}
