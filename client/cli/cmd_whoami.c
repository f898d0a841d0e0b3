/*
 * client/cli/cmd_whoami.c — `grandlivre whoami`: which key, which daemon,
 * which ledger, and what the daemon lets the key do.  Minimal for now (a
 * fuller one comes later): one PING, whose reply carries the daemon's
 * ledger id and the key's role and tenant there.
 */
#include "cli.h"

#include <stdio.h>

static const char help[] =
    "usage: grandlivre whoami [--endpoint URL] [--key FILE] [--server-key HEX] [--timeout SEC]\n"
    "\n"
    "Print the key's fingerprint and file, the daemon's endpoint and the\n"
    "fingerprint of its server key, the ledger id every request is signed for\n"
    "(pin it with GRANDLIVRE_LEDGER_ID), and what the daemon says of the key:\n"
    "its name in the daemon's configuration, its role and (a member) its tenant.\n"
    "Exits 1 when the daemon refuses the key, 3 when it does not answer.\n";

static const char *role_name(uint8_t role)
{
    switch (role) {
    case 1: return "member";
    case 2: return "accountant";
    case 3: return "auditor";
    default: return "unknown";
    }
}

int cmd_whoami(int argc, char **argv)
{
    cli c;
    int rc = cli_parse_args(&c, &argc, &argv, 0, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if ((rc = cli_connect(&c)))
        return rc;
    char key_fp[GL_FINGERPRINT_LEN], server_fp[GL_FINGERPRINT_LEN], ledger[2 * GL_LEDGER_ID_BYTES + 1];
    uint8_t server_key[32];
    gl_fingerprint(c.key.pk, key_fp);
    gl_server_key_parse(c.server_key, server_key); /* checked by cli_connect */
    gl_fingerprint(server_key, server_fp);
    gl_whoami w;
    int st = gl_client_whoami(c.client, &w);
    if (st != GL_OK) {
        cli_error("%s: error %d %s: %s — %s", st / 100 == 2 ? "refused" : "no answer", st, gl_status_name(st),
                  gl_status_message(st), gl_client_error(c.client));
        rc = st / 100 == 2 || st / 100 == 1 ? EXIT_REFUSED : EXIT_UNREACHABLE;
    } else {
        gl_hex(w.ledger_id, GL_LEDGER_ID_BYTES, ledger);
        printf("key:        %s (%s)\n", key_fp, c.key_path);
        printf("key name:   %s\n", w.key_name);
        if (w.role == 1)
            printf("role:       member of %s\n", w.tenant);
        else
            printf("role:       %s (every tenant)\n", role_name(w.role));
        printf("endpoint:   %s\n", c.endpoint);
        printf("server key: %s\n", server_fp);
        printf("ledger:     %s\n", ledger);
        printf("daemon:     %s\n", w.version);
    }
    cli_close(&c);
    return rc;
}
