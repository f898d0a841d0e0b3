/*
 * client/cli/cmd_forget.c — `grandlivre third-parties forget CODE`: erase
 * a natural person's identifying data for good (issue 17, PROTOCOL.md
 * §5.29, docs/personal-data.md).  The daemon destroys the person's key,
 * so that the sealed name, address, e-mail and IBAN the ledger keeps open
 * with nothing any more; the chain records that the code was forgotten,
 * and when, never the data.  It cannot be undone: on a terminal the
 * command asks, without one it requires --yes (as `lock` does).  The
 * daemon judges every rule (the accountant only, the retention period).
 * And the other end: the sealing of a natural person's block before
 * `third-parties add|set|import` sends it (tp_seal_encode).
 */
#include "cli.h"
#include "i18n.h"
#include "third_parties.h"

#include "proto/seal.h"
#include "proto/third_party.h"

#include <getopt.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <unistd.h>

static const char forget_help[] =
    "usage: grandlivre third-parties forget CODE --tenant T [--yes]\n"
    "\n"
    "Forget a natural person of the tenant's registry (RGPD art. 17): the daemon\n"
    "destroys the person's key, so that the name, address, e-mail and IBAN\n"
    "recorded sealed to it can never be read again, by anyone; the entries, their\n"
    "amounts and the code stay, and `grandlivre verify` still verifies every byte.\n"
    "A signed event of the tenant's chain records that CODE was forgotten, and\n"
    "when, never the data. It cannot be undone.\n"
    "\n"
    "Refused while the legal retention of the entries naming CODE runs: 10 years\n"
    "after the end of the last fiscal year holding one of its lines (Code de\n"
    "commerce L123-22; the daemon's retention_years), retention_not_expired (459);\n"
    "a code that never had a key: no_person_key (460); forgotten already:\n"
    "person_forgotten (461). Asks for confirmation on the terminal; without one,\n"
    "--yes is required. The accountant only. See docs/personal-data.md.\n";

enum { OPT_YES = 3900 };

static int on_opt(int opt, const char *arg, void *user)
{
    (void)arg;
    if (opt != OPT_YES)
        return EXIT_USAGE;
    *(bool *)user = true;
    return 0;
}

static const struct option forget_options[] = {
    {"yes", no_argument, NULL, OPT_YES},
    {0},
};

/* Asked on the terminal: y, yes, o or oui (any case) forgets. */
static bool confirm(const char *code, const char *tenant)
{
    static const char *const accepted[] = {"y", "yes", "o", "oui"};
    fprintf(stderr,
            _("Forget %s of %s for ever (its personal data can never be read again)? [y/N] "), code,
            tenant);
    fflush(stderr);
    char answer[32];
    if (!fgets(answer, sizeof answer, stdin))
        return false;
    answer[strcspn(answer, "\r\n")] = '\0';
    for (size_t i = 0; i < sizeof accepted / sizeof accepted[0]; i++)
        if (!strcasecmp(answer, accepted[i]))
            return true;
    return false;
}

int cmd_third_parties_forget(int argc, char **argv)
{
    bool yes = false;
    cli c;
    int rc = cli_parse(&c, &argc, &argv, forget_options, on_opt, &yes, forget_help);
    if (rc)
        return rc < 0 ? 0 : rc;
    if (argc != 1 || !argv[0][0] || strlen(argv[0]) > GL_AUX_MAX) {
        fputs(forget_help, stderr);
        return EXIT_USAGE;
    }
    const char *code = argv[0];
    if (!yes && !isatty(STDIN_FILENO)) {
        cli_error("forgetting is for ever: without a terminal to confirm on, give --yes");
        return EXIT_USAGE;
    }
    if ((rc = cli_need_tenant(&c)))
        return rc;
    if (!yes && !confirm(code, c.tenant)) {
        fprintf(stderr, "%s", _("grandlivre: nothing forgotten\n"));
        return EXIT_REFUSED;
    }
    if ((rc = cli_connect(&c)))
        return rc;
    gl_buf body;
    gl_buf_init(&body);
    gl_person_code_encode(&body, (gl_str){code, strlen(code)});
    gl_response resp = {0};
    rc = gl_buf_ok(&body) ? cli_call(&c, GL_KIND_FORGET, c.tenant, body.data, body.len, &resp)
                          : cli_nomem("the request");
    if (rc == 0)
        printf(_("%s: %s forgotten: its key is destroyed, its personal data can no longer be "
                 "read\n"),
               c.tenant, code);
    gl_response_free(&resp);
    gl_buf_free(&body);
    cli_close(&c);
    return rc;
}

int tp_seal_encode(cli *c, const gl_third_party *r, gl_buf *body)
{
    if (!(r->flags & GL_TP_NATURAL_PERSON) || (r->flags & GL_TP_SEALED)) {
        gl_third_party_encode(body, r);
        return 0;
    }
    gl_buf code, block, sealed;
    gl_buf_init(&code);
    gl_buf_init(&block);
    gl_buf_init(&sealed);
    gl_person_code_encode(&code, r->code);
    gl_identity id = {r->name, r->address, r->email, r->iban};
    gl_identity_encode(&block, &id);
    gl_response resp = {0};
    int rc = gl_buf_ok(&code) && gl_buf_ok(&block)
                 ? cli_call(c, GL_KIND_PERSON_KEY, c->tenant, code.data, code.len, &resp)
                 : cli_nomem("the person's block");
    if (!rc && resp.reply.body_len != GL_PERSON_PK_BYTES) {
        cli_error("cannot read the daemon's reply (the key of %.*s)", (int)r->code.len,
                  r->code.ptr);
        rc = EXIT_REFUSED;
    }
    if (!rc && gl_identity_seal(resp.reply.body, block.data, block.len, &sealed) != GL_OK)
        rc = cli_nomem("the sealed block");
    if (!rc) {
        gl_third_party s = *r;
        s.flags |= GL_TP_SEALED;
        s.ident = (gl_str){(const char *)sealed.data, sealed.len};
        gl_third_party_encode(body, &s);
    }
    sodium_memzero(block.data, block.len);
    gl_response_free(&resp);
    gl_buf_free(&code);
    gl_buf_free(&block);
    gl_buf_free(&sealed);
    return rc;
}
