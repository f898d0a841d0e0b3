/*
 * client/cli/cmd_whoami.c — `grandlivre whoami`: which key, which daemon,
 * which ledger, and what the daemon lets the key do.  One PING, whose reply
 * carries the daemon's ledger id, clock and the key's role and tenant
 * there; for a key of every tenant, one TENANTS (read only) lists them.
 * The clock offset is the daemon's clock minus the middle of the round
 * trip on this machine's: what the daemon's clock_skew_max_s compares.
 */
#include "cli.h"
#include "cli_tenant_hint.h"
#include "i18n.h"

#include "proto/reply_group.h"

#include <stdio.h>
#include <time.h>

static const char help[] =
    "usage: grandlivre whoami [--endpoint URL] [--key FILE] [--server-key HEX] [--timeout SEC]\n"
    "\n"
    "Print the key's fingerprint and file, the daemon's endpoint and the\n"
    "fingerprint of its server key, the ledger id every request is signed for\n"
    "(pin it with GRANDLIVRE_LEDGER_ID), and what the daemon says of the key:\n"
    "its name in the daemon's configuration, its role, the tenants it may\n"
    "read, and the daemon's clock offset from this machine's (requests timed\n"
    "further than the daemon's clock_skew_max_s from its clock are refused).\n"
    "Exits 1 when the daemon refuses the key, 3 when it does not answer.\n"
    "--format csv or json prints the same as one row (tenants comma-separated,\n"
    "clock_offset_ms and round_trip_ms in milliseconds).\n";

static const char *role_name(uint8_t role)
{
    switch (role) {
    case 1: return "member";
    case 2: return "accountant";
    case 3: return "auditor";
    default: return "unknown";
    }
}

static int64_t wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* --format csv or json: one row of what the text says. */
static int print_whoami(const cli *c, const gl_whoami *w, const char *tenants, const char *key_fp,
                        const char *server_fp, const char *ledger, int64_t sent_ms,
                        int64_t received_ms)
{
    static const out_col cols[] = {{"key_fingerprint", OUT_TEXT},
                                   {"key_file", OUT_TEXT},
                                   {"key_name", OUT_TEXT},
                                   {"role", OUT_TEXT},
                                   {"tenants", OUT_TEXT},
                                   {"endpoint", OUT_TEXT},
                                   {"server_key_fingerprint", OUT_TEXT},
                                   {"ledger_id", OUT_TEXT},
                                   {"daemon", OUT_TEXT},
                                   {"clock_offset_ms", OUT_INT},
                                   {"round_trip_ms", OUT_INT}};
    out_table *t = out_new(cols, sizeof cols / sizeof *cols);
    if (t) {
        out_cstr(t, key_fp);
        out_cstr(t, c->key_path);
        out_cstr(t, w->key_name);
        out_cstr(t, role_name(w->role));
        out_cstr(t, tenants);
        out_cstr(t, c->endpoint);
        out_cstr(t, server_fp);
        out_cstr(t, ledger);
        out_cstr(t, w->version);
        out_int(t, w->now_ms - (sent_ms + received_ms) / 2);
        out_int(t, received_ms - sent_ms);
    }
    return cli_format_render(c, t);
}

void cli_print_clock(int64_t daemon_ms, int64_t sent_ms, int64_t received_ms)
{
    int64_t offset_ms = daemon_ms - (sent_ms + received_ms) / 2;
    printf(_("clock:      daemon %+lld ms from this machine (round trip %lld ms)\n"),
           (long long)offset_ms, (long long)(received_ms - sent_ms));
}

int cmd_whoami(int argc, char **argv)
{
    cli c;
    int rc = cli_parse_connect(&c, &argc, &argv, 0, help);
    if (rc)
        return rc < 0 ? 0 : rc;
    char key_fp[GL_FINGERPRINT_LEN], server_fp[GL_FINGERPRINT_LEN],
        ledger[2 * GL_LEDGER_ID_BYTES + 1];
    uint8_t server_key[32];
    gl_fingerprint(c.key.pk, key_fp);
    gl_server_key_parse(c.server_key, server_key); /* checked by cli_connect */
    gl_fingerprint(server_key, server_fp);
    gl_whoami w;
    int64_t sent_ms = wall_ms();
    int st = gl_client_whoami(c.client, &w);
    int64_t received_ms = wall_ms();
    if ((rc = cli_transport_error(&c, st))) {
    } else if (st != GL_OK) {
        cli_error("%s: error %d %s: %s — %s", st / 100 == 2 ? "refused" : "no answer", st,
                  gl_status_name(st), gl_status_message(st), gl_client_error(c.client));
        rc = st / 100 == 2 || st / 100 == 1 ? EXIT_REFUSED : EXIT_UNREACHABLE;
    } else {
        gl_hex(w.ledger_id, GL_LEDGER_ID_BYTES, ledger);
        char tenants[4096];
        if (w.role == 1)
            snprintf(tenants, sizeof tenants, "%s", w.tenant);
        else
            cli_tenants_list(&c, tenants, sizeof tenants);
        if (!cli_format_table(&c)) {
            rc = print_whoami(&c, &w, tenants, key_fp, server_fp, ledger, sent_ms, received_ms);
        } else {
            printf(_("key:        %s (%s)\n"), key_fp, c.key_path);
            printf(_("key name:   %s\n"), w.key_name);
            if (w.role == 1)
                printf(_("role:       member of %s\n"), w.tenant);
            else
                printf(_("role:       %s (every tenant)\n"), role_name(w.role));
            if (tenants[0])
                printf(_("tenants:    %s\n"), tenants);
            printf(_("endpoint:   %s\n"), c.endpoint);
            printf(_("server key: %s\n"), server_fp);
            printf(_("ledger:     %s\n"), ledger);
            printf(_("daemon:     %s\n"), w.version);
            cli_print_clock(w.now_ms, sent_ms, received_ms);
        }
    }
    cli_close(&c);
    return rc;
}
