/*
 * client/cli/cmd_config.c — `grandlivre config init` writes a profile of
 * the client's configuration file (profile.h) from the flags given, or
 * from the environment a sandbox exports; `grandlivre config show` prints
 * the settings in effect and where each comes from.
 */
#include "cli.h"
#include "outfile.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static const char help[] =
    "usage: grandlivre config init [--profile NAME] [--endpoint URL] [--server-key HEX] [--key FILE]\n"
    "                              [--tenant ID] [--format F] [--lang fr|en|auto] [--force]\n"
    "       grandlivre config show [--profile NAME] [common options]\n"
    "\n"
    "The client's configuration file is $XDG_CONFIG_HOME/grandlivre/config, by\n"
    "default ~/.config/grandlivre/config: one [NAME] section per profile with\n"
    "endpoint, server_key, key (a key file; \"~/\" and paths relative to the\n"
    "file's directory are understood), tenant, format and lang.  The profile\n"
    "used is --profile NAME, else $GRANDLIVRE_PROFILE, else [default] if the file\n"
    "has one.  Flags win over the environment (GRANDLIVRE_ENDPOINT,\n"
    "GRANDLIVRE_SERVER_KEY, GRANDLIVRE_KEY, GRANDLIVRE_TENANT), which wins over\n"
    "the file.  Without a tenant, a member's key works on its own tenant.\n"
    "\n"
    "init   write the profile (default: default) from the flags given, each missing\n"
    "       one taken from the environment (as a sandbox exports it); endpoint,\n"
    "       server key and key are needed.  The file is written whole and atomically,\n"
    "       mode 0600; other profiles are kept.  A profile that exists is replaced\n"
    "       only with --force (else error 961 profile_exists).\n"
    "show   print each setting in effect and where it comes from (a flag, the\n"
    "       environment, the file's line), without asking the daemon; with\n"
    "       --format csv or json as rows of setting, value, source.  (For init,\n"
    "       --format is the format written into the profile.)\n"
    "\n"
    "A mistake in the file is refused naming its line (error 960 config_invalid);\n"
    "a profile named but absent is error 962 no_profile.\n";

enum {
    OPT_C_PROFILE = 1,
    OPT_C_ENDPOINT,
    OPT_C_SERVER_KEY,
    OPT_C_KEY,
    OPT_C_TENANT,
    OPT_C_FORMAT,
    OPT_C_LANG,
    OPT_C_FORCE,
    OPT_C_HELP
};

/* The key file's path made absolute (the file outlives this directory). */
static int absolute_key(const char *key, char *out, size_t out_len)
{
    char cwd[PATH_MAX];
    if (key[0] == '/' || (key[0] == '~' && key[1] == '/'))
        return snprintf(out, out_len, "%s", key) < (int)out_len ? 0 : -1;
    if (!getcwd(cwd, sizeof cwd))
        return -1;
    return snprintf(out, out_len, "%s/%s", cwd, key) < (int)out_len ? 0 : -1;
}

/* mkdir -p of the file's directory, 0700 for what is created. */
static int make_dirs(const char *path)
{
    char dir[PATH_MAX];
    snprintf(dir, sizeof dir, "%s", path);
    char *slash = strrchr(dir, '/');
    if (!slash || slash == dir)
        return 0;
    *slash = '\0';
    for (char *p = dir + 1; *p; p++) {
        if (*p != '/')
            continue;
        *p = '\0';
        if (mkdir(dir, 0700) != 0 && errno != EEXIST)
            return -1;
        *p = '/';
    }
    return mkdir(dir, 0700) != 0 && errno != EEXIST ? -1 : 0;
}

static int config_write(const char *name, const char *const values[PF_COUNT], bool force)
{
    char path[PATH_MAX], err[1024];
    if (profile_path(path, sizeof path) != 0) {
        cli_error("config init: set HOME or XDG_CONFIG_HOME (where the file goes)");
        return EXIT_USAGE;
    }
    profile old;
    int st = profile_load(&old, path, name, false, err, sizeof err);
    if (st != GL_OK) { /* never rewrite a file we cannot read whole */
        cli_error("config init: error %d %s: %s — %s", st, gl_status_name(st),
                  gl_status_message(st), err);
        return EXIT_USAGE;
    }
    if (old.found && !force) {
        cli_error("config init: error %d %s: %s — profile [%s] in %s", GL_ERR_PROFILE_EXISTS,
                  gl_status_name(GL_ERR_PROFILE_EXISTS), gl_status_message(GL_ERR_PROFILE_EXISTS),
                  name, path);
        return EXIT_USAGE;
    }
    size_t len = 0;
    char *text = old.file_found ? cli_read_file(path, &len) : NULL;
    if (old.file_found && !text)
        return EXIT_USAGE;
    char *out = profile_render(text, name, values);
    free(text);
    if (!out)
        return cli_nomem("the configuration file");
    if (make_dirs(path) != 0) {
        cli_error("config init: cannot create the directory of %s: %s", path, strerror(errno));
        free(out);
        return EXIT_USAGE;
    }
    st =
        outfile_write(path, out, strlen(out), OUTFILE_MODE_SECRET, old.file_found, err, sizeof err);
    free(out);
    if (st != GL_OK) {
        cli_error("config init: error %d %s: %s — %s", st, gl_status_name(st),
                  gl_status_message(st), err);
        return EXIT_USAGE;
    }
    fprintf(stderr, "grandlivre: profile [%s] written to %s\n", name, path);
    return 0;
}

static int config_init(int argc, char **argv)
{
    static const struct option opts[] = {
        {"profile", required_argument, NULL, OPT_C_PROFILE},
        {"endpoint", required_argument, NULL, OPT_C_ENDPOINT},
        {"server-key", required_argument, NULL, OPT_C_SERVER_KEY},
        {"key", required_argument, NULL, OPT_C_KEY},
        {"tenant", required_argument, NULL, OPT_C_TENANT},
        {"format", required_argument, NULL, OPT_C_FORMAT},
        {"lang", required_argument, NULL, OPT_C_LANG},
        {"force", no_argument, NULL, OPT_C_FORCE},
        {"help", no_argument, NULL, OPT_C_HELP},
        {NULL, 0, NULL, 0},
    };
    static const char *const env[PF_COUNT] = {"GRANDLIVRE_ENDPOINT",
                                              "GRANDLIVRE_SERVER_KEY",
                                              "GRANDLIVRE_KEY",
                                              "GRANDLIVRE_TENANT",
                                              NULL,
                                              NULL};
    const char *values[PF_COUNT] = {0}, *name = getenv("GRANDLIVRE_PROFILE");
    bool force = false;
    int opt;
    optind = 1;
    while ((opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == OPT_C_HELP) {
            fputs(help, stdout);
            return 0;
        }
        if (opt == '?') {
            fputs(help, stderr);
            return EXIT_USAGE;
        }
        if (opt == OPT_C_PROFILE)
            name = optarg;
        else if (opt == OPT_C_FORCE)
            force = true;
        else
            values[opt - OPT_C_ENDPOINT] = optarg;
    }
    if (optind != argc) {
        fputs(help, stderr);
        return EXIT_USAGE;
    }
    if (!name || !name[0])
        name = "default";
    if (!profile_name_ok(name)) {
        cli_error("config init: '%s' is not a profile name (1 to %d of A-Z a-z 0-9 . _ -)", name,
                  PROFILE_NAME_MAX);
        return EXIT_USAGE;
    }
    char key[PROFILE_VALUE_MAX];
    for (int f = 0; f < PF_COUNT; f++) {
        if ((!values[f] || !values[f][0]) && env[f])
            values[f] = getenv(env[f]);
        if (!values[f] || !values[f][0]) {
            if (f <= PF_KEY) {
                cli_error("config init: no %s: give --%s or set %s", prof_field_name[f],
                          f == PF_SERVER_KEY ? "server-key" : prof_field_name[f], env[f]);
                return EXIT_USAGE;
            }
            continue;
        }
        const char *why = profile_check((enum prof_field)f, values[f]);
        if (why || strchr(values[f], '\n')) {
            cli_error("config init: %s %s", prof_field_name[f], why ? why : "holds a line break");
            return EXIT_USAGE;
        }
    }
    if (absolute_key(values[PF_KEY], key, sizeof key) != 0) {
        cli_error("config init: key file path too long");
        return EXIT_USAGE;
    }
    values[PF_KEY] = key;
    return config_write(name, values, force);
}

static const char *source_text(const cli *c, enum prof_field f, char *buf, size_t len)
{
    static const char *const flag[PF_COUNT] = {"--endpoint", "--server-key", "--key",
                                               "--tenant",   "--format",     NULL};
    static const char *const env[PF_COUNT] = {"GRANDLIVRE_ENDPOINT",
                                              "GRANDLIVRE_SERVER_KEY",
                                              "GRANDLIVRE_KEY",
                                              "GRANDLIVRE_TENANT",
                                              NULL,
                                              NULL};
    switch (c->source[f]) {
    case SRC_FLAG: snprintf(buf, len, "flag %s", flag[f]); break;
    case SRC_ENV: snprintf(buf, len, "environment %s", env[f]); break;
    case SRC_FILE:
        snprintf(buf, len, "%s:%d [%s]", c->prof.path, c->prof.line[f], c->prof.name);
        break;
    case SRC_KEY: snprintf(buf, len, "the daemon: the key's tenant"); break;
    case SRC_NONE:
        snprintf(buf, len, "%s",
                 f == PF_FORMAT   ? "default"
                 : f == PF_TENANT ? "not set: a member's key implies its own"
                                  : "not set");
        break;
    }
    return buf;
}

static int config_show(int argc, char **argv)
{
    cli c;
    int rc = cli_parse(&c, &argc, &argv, NULL, NULL, NULL, help);
    if (rc == 0 && argc > 0) /* show takes no arguments */
        rc = EXIT_USAGE, fputs(help, stderr);
    if (rc)
        return rc < 0 ? 0 : rc;
    static const char *const format_name[] = {"table", "table-fr", "csv", "json"};
    const char *file = c.prof.path[0] ? c.prof.path : "(none: set HOME or XDG_CONFIG_HOME)";
    /* --format csv or json: rows of setting, value, source (file and
     * profile first); the format shown is then that one, from the flag */
    static const out_col cols[] = {
        {"setting", OUT_TEXT}, {"value", OUT_TEXT}, {"source", OUT_TEXT}};
    out_table *t = cli_format_table(&c) ? NULL : out_new(cols, 3);
    if (!cli_format_table(&c) && !t)
        return cli_nomem("the settings");
    if (t) {
        out_cstr(t, "file");
        out_cstr(t, c.prof.path);
        out_cstr(t, c.prof.file_found ? "found" : "absent");
        out_cstr(t, "profile");
        out_cstr(t, c.prof.name);
        out_cstr(t, c.prof.found ? "in the file" : "not in the file");
    } else {
        printf("file:       %s%s\n", file, c.prof.path[0] && !c.prof.file_found ? " (absent)" : "");
        printf("profile:    %s%s\n", c.prof.name, c.prof.found ? "" : " (not in the file)");
    }
    char src[PATH_MAX + 128];
    for (int f = 0; f < PF_COUNT; f++) {
        const char *v;
        if (f == PF_FORMAT)
            v = (size_t)c.format < sizeof format_name / sizeof *format_name ? format_name[c.format]
                                                                            : "?";
        else if (f == PF_ENDPOINT)
            v = c.endpoint;
        else if (f == PF_SERVER_KEY)
            v = c.server_key;
        else if (f == PF_KEY)
            v = c.key_path;
        else if (f == PF_TENANT)
            v = c.tenant;
        else
            v = c.lang;
        source_text(&c, (enum prof_field)f, src, sizeof src);
        if (t) {
            out_cstr(t, prof_field_name[f]);
            out_cstr(t, v ? v : "");
            out_cstr(t, src);
        } else {
            printf("%-11s %s  (%s)\n", prof_field_name[f], v && v[0] ? v : "-", src);
        }
    }
    return t ? cli_format_render(&c, t) : 0;
}

int cmd_config(int argc, char **argv)
{
    if (argc < 2 || !strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        fputs(help, argc < 2 ? stderr : stdout);
        return argc < 2 ? EXIT_USAGE : 0;
    }
    if (!strcmp(argv[1], "init"))
        return config_init(argc - 1, argv + 1);
    if (!strcmp(argv[1], "show"))
        return config_show(argc - 1, argv + 1);
    cli_error("config: unknown subcommand '%s' (init or show)", argv[1]);
    return EXIT_USAGE;
}
