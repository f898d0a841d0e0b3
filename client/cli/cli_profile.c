/*
 * client/cli/cli_profile.c — the common options' third source, after the
 * flags and the environment: the configuration file's profile
 * (profile.h); and the tenant a member key implies.
 */
#include "cli.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const env_name[PF_COUNT] = {
    "GRANDLIVRE_ENDPOINT", "GRANDLIVRE_SERVER_KEY", "GRANDLIVRE_KEY", "GRANDLIVRE_TENANT", NULL,
    "GRANDLIVRE_LANG"};

/* The setting f in effect: its slot in c (NULL for format). */
static const char **slot(cli *c, enum prof_field f)
{
    switch (f) {
    case PF_ENDPOINT: return &c->endpoint;
    case PF_SERVER_KEY: return &c->server_key;
    case PF_KEY: return &c->key_path;
    case PF_TENANT: return &c->tenant;
    case PF_LANG: return &c->lang;
    default: return NULL;
    }
}

int cli_profile_apply(cli *c)
{
    const char *name = c->profile_name, *env = getenv("GRANDLIVRE_PROFILE");
    bool named = name != NULL;
    if (!named && env && env[0])
        name = env, named = true;
    if (!name)
        name = "default";
    char path[PATH_MAX], err[1024];
    int st = GL_OK;
    if (profile_path(path, sizeof path) != 0) {
        if (named) {
            cli_error("error %d %s: %s — no configuration file: set HOME or XDG_CONFIG_HOME",
                      GL_ERR_NO_PROFILE, gl_status_name(GL_ERR_NO_PROFILE),
                      gl_status_message(GL_ERR_NO_PROFILE));
            return EXIT_USAGE;
        }
        memset(&c->prof, 0, sizeof c->prof);
        snprintf(c->prof.name, sizeof c->prof.name, "%s", name);
    } else {
        st = profile_load(&c->prof, path, name, named, err, sizeof err);
    }
    if (st != GL_OK) {
        cli_error("error %d %s: %s — %s", st, gl_status_name(st), gl_status_message(st), err);
        return EXIT_USAGE;
    }
    for (int f = 0; f < PF_COUNT; f++) {
        const char **v = slot(c, (enum prof_field)f);
        const char *e = env_name[f] ? getenv(env_name[f]) : NULL;
        if (f == PF_FORMAT) {
            c->source[f] = c->format_given ? SRC_FLAG : SRC_NONE;
            if (!c->format_given && c->prof.line[f] &&
                out_parse_format(c->prof.value[f], &c->format) == 0)
                c->source[f] = SRC_FILE;
            continue;
        }
        if (*v && *v[0] && *v != e) /* a flag: its text is in argv */
            c->source[f] = SRC_FLAG;
        else if (*v && *v[0])
            c->source[f] = SRC_ENV;
        else if (c->prof.line[f]) {
            *v = c->prof.value[f];
            c->source[f] = SRC_FILE;
            if (f == PF_SERVER_KEY) { /* for "the daemon's key is not …" */
                snprintf(c->server_key_from_text, sizeof c->server_key_from_text,
                         "server_key of profile %s (%s)", c->prof.name, c->prof.path);
                c->server_key_from = c->server_key_from_text;
            }
        } else
            c->source[f] = SRC_NONE;
    }
    return 0;
}

static const char *role_of(uint8_t role)
{
    return role == 2 ? "an accountant's" : role == 3 ? "an auditor's" : "not a member's";
}

int cli_key_tenant(cli *c, bool required)
{
    if (c->tenant && c->tenant[0])
        return 0;
    if (!c->endpoint || !c->endpoint[0] || !c->key_path || !c->key_path[0] || !c->server_key ||
        !c->server_key[0]) {
        if (!required)
            return 0; /* cli_connect will say what is missing */
        cli_error(
            "no tenant: give --tenant ID, set GRANDLIVRE_TENANT or tenant in the profile (a member's key "
            "implies its tenant once the daemon is known: --endpoint, --key, --server-key)");
        return EXIT_USAGE;
    }
    int rc = cli_connect(c);
    if (rc)
        return rc;
    gl_whoami w;
    int st = gl_client_whoami(c->client, &w);
    if (st != GL_OK) {
        cli_error("%s: error %d %s: %s — %s", st / 100 == 2 ? "refused" : "no answer", st,
                  gl_status_name(st), gl_status_message(st), gl_client_error(c->client));
        cli_close(c);
        return st / 100 == 2 || st / 100 == 1 ? EXIT_REFUSED : EXIT_UNREACHABLE;
    }
    if (w.role == 1 && w.tenant[0]) {
        snprintf(c->key_tenant, sizeof c->key_tenant, "%s", w.tenant);
        c->tenant = c->key_tenant;
        c->source[PF_TENANT] = SRC_KEY;
        return 0;
    }
    if (!required)
        return 0;
    cli_error(
        "no tenant: give --tenant ID, set GRANDLIVRE_TENANT or tenant in the profile (this key is %s: "
        "it works on more than one tenant)",
        role_of(w.role));
    cli_close(c);
    return EXIT_USAGE;
}
