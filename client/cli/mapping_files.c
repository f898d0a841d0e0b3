/*
 * client/cli/mapping_files.c — the saved CSV mappings' files
 * (mapping_files.h): `bank csv-mapping` and `payroll csv-mapping` save
 * them, `bank import|parse --mapping` and `payroll import --mapping` read
 * them.  Offline: files of this machine's user, never sent anywhere.
 */
#include "mapping_files.h"

#include "cli.h"
#include "i18n.h"

#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#define LIST_MAX 256

bool mapping_name_ok(const char *s)
{
    size_t n = strlen(s);
    if (n == 0 || n > 32)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
            return false;
    return true;
}

/* <config dir>/grandlivre/<folder>/<tenant> into out. */
static int mapping_dir(const char *folder, const char *tenant, char *out, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') /* the XDG rule, as profile.c: a relative value is ignored */
        n = snprintf(out, len, "%s/grandlivre/%s/%s", xdg, folder, tenant);
    else if (home && home[0])
        n = snprintf(out, len, "%s/.config/grandlivre/%s/%s", home, folder, tenant);
    else
        return -1;
    return n < 0 || (size_t)n >= len ? -1 : 0;
}

int mapping_file_path(const char *folder, const char *tenant, const char *name, char *out,
                      size_t len)
{
    if (!mapping_name_ok(tenant) || !mapping_name_ok(name) || mapping_dir(folder, tenant, out, len))
        return -1;
    size_t n = strlen(out);
    int k = snprintf(out + n, len - n, "/%s.ini", name);
    return k < 0 || (size_t)k >= len - n ? -1 : 0;
}

char *mapping_file_read(const char *folder, const char *tenant, const char *name, char *path)
{
    if (strchr(name, '/')) {
        snprintf(path, MAPPING_PATH_MAX, "%s", name);
    } else if (!tenant || !tenant[0]) {
        cli_error("--mapping NAME needs --tenant (or GRANDLIVRE_TENANT)");
        return NULL;
    } else if (mapping_file_path(folder, tenant, name, path, MAPPING_PATH_MAX)) {
        cli_error("malformed tenant or mapping name: letters, digits, - and _, at most 32");
        return NULL;
    }
    size_t len;
    return cli_read_file(path, &len);
}

/* mkdir -p of the directories above path's last component, mode 0700. */
static int make_dirs(char *path)
{
    for (char *p = strchr(path + 1, '/'); p; p = strchr(p + 1, '/')) {
        *p = '\0';
        int rc = mkdir(path, 0700);
        *p = '/';
        if (rc && errno != EEXIST)
            return -1;
    }
    return 0;
}

int mapping_file_write(const char *folder, const char *tenant, const char *name, const char *text)
{
    char path[MAPPING_PATH_MAX];
    if (mapping_file_path(folder, tenant, name, path, sizeof path)) {
        cli_error("malformed tenant or mapping name: letters, digits, - and _, at most 32");
        return EXIT_USAGE;
    }
    FILE *f = make_dirs(path) ? NULL : fopen(path, "w");
    bool bad = !f;
    if (f) {
        bad = fputs(text, f) < 0;
        bad |= fclose(f) != 0;
    }
    if (bad) {
        cli_error("cannot write %s: %s", path, strerror(errno));
        return EXIT_USAGE;
    }
    printf(_("mapping %s saved in %s\n"), name, path);
    return 0;
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int mapping_file_list(const char *folder, const char *tenant)
{
    char dir[MAPPING_PATH_MAX];
    if (!mapping_name_ok(tenant) || mapping_dir(folder, tenant, dir, sizeof dir)) {
        cli_error("malformed tenant or mapping name: letters, digits, - and _, at most 32");
        return EXIT_USAGE;
    }
    DIR *d = opendir(dir);
    char *names[LIST_MAX];
    size_t n = 0;
    for (struct dirent *e = d ? readdir(d) : NULL; e && n < LIST_MAX; e = readdir(d)) {
        size_t k = strlen(e->d_name);
        if (k > 4 && !strcmp(e->d_name + k - 4, ".ini") && (names[n] = strdup(e->d_name)))
            names[n++][k - 4] = '\0';
    }
    if (d)
        closedir(d);
    qsort(names, n, sizeof names[0], cmp_names);
    if (!n)
        printf(_("no CSV mapping for tenant %s\n"), tenant);
    for (size_t i = 0; i < n; i++) {
        printf("%s\n", names[i]);
        free(names[i]);
    }
    return 0;
}

/* A column or count option's value: 0-1000. */
static int number_arg(const char *opt, const char *v, long *out)
{
    char *end;
    errno = 0;
    *out = strtol(v, &end, 10);
    if (!v[0] || *end || errno || *out < 0 || *out > 1000) {
        cli_error("%s: a number from 0 to 1000 expected, not '%s'", opt, v);
        return EXIT_USAGE;
    }
    return 0;
}

enum {
    OPT_TENANT = 3000,
    OPT_NAME,
    OPT_SEP,
    OPT_DEC,
    OPT_DATEFMT,
    OPT_SKIP,
    OPT_LIST,
    OPT_HELP,
    OPT_LANG,
    OPT_COL /* + index of the column option */
};
#define SHARED_OPTS 9

/* A layout option into m: 0, or an exit code. */
static int layout_opt(int opt, const char *arg, gl_bank_csv_mapping *m)
{
    long v;
    switch (opt) {
    case OPT_SEP: m->separator = !strcmp(arg, "tab") ? '\t' : strlen(arg) == 1 ? arg[0] : 0; break;
    case OPT_DEC: m->decimal = strlen(arg) == 1 ? arg[0] : 0; break;
    case OPT_DATEFMT:
        if (strlen(arg) >= sizeof m->date_format)
            m->date_format[0] = 'X'; /* refused by the check */
        else
            strcpy(m->date_format, arg);
        break;
    default:
        if (number_arg("--skip", arg, &v))
            return EXIT_USAGE;
        m->skip_lines = (unsigned)v;
    }
    return 0;
}

/* The shared options, then the command's columns (names, then alt). */
static size_t options(struct option *opts, const char *const *names, const char *const *alt,
                      size_t ncols)
{
    static const struct option shared[SHARED_OPTS] = {
        {"tenant", required_argument, NULL, OPT_TENANT},
        {"name", required_argument, NULL, OPT_NAME},
        {"separator", required_argument, NULL, OPT_SEP},
        {"decimal", required_argument, NULL, OPT_DEC},
        {"date-format", required_argument, NULL, OPT_DATEFMT},
        {"skip", required_argument, NULL, OPT_SKIP},
        {"list", no_argument, NULL, OPT_LIST},
        {"help", no_argument, NULL, OPT_HELP},
        {"lang", required_argument, NULL, OPT_LANG}};
    memcpy(opts, shared, sizeof shared);
    size_t n = SHARED_OPTS;
    for (size_t i = 0; i < ncols; i++)
        opts[n++] = (struct option){names[i], required_argument, NULL, OPT_COL + (int)i};
    for (size_t i = 0; alt && i < ncols; i++)
        if (alt[i])
            opts[n++] = (struct option){alt[i], required_argument, NULL, OPT_COL + (int)i};
    opts[n] = (struct option){0};
    return n;
}

int mapping_parse_args(int argc, char **argv, const char *help, const char *const *names,
                       const char *const *alt, int *const *cols, size_t ncols,
                       gl_bank_csv_mapping *layout, mapping_args *a)
{
    struct option opts[SHARED_OPTS + 2 * MAPPING_COLS_MAX + 1];
    if (ncols > MAPPING_COLS_MAX)
        ncols = MAPPING_COLS_MAX;
    options(opts, names, alt, ncols);
    long v;
    int opt, rc = 0;
    optind = 1;
    opterr = 0;
    while (!rc && (opt = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        if (opt == OPT_TENANT)
            a->tenant = optarg;
        else if (opt == OPT_NAME)
            a->name = optarg;
        else if (opt == OPT_LIST)
            a->listing = true;
        else if (opt == OPT_LANG)
            i18n_set_lang(optarg);
        else if (opt == OPT_HELP)
            return fputs(help, stdout), -1;
        else if (opt >= OPT_SEP && opt <= OPT_SKIP)
            rc = layout_opt(opt, optarg, layout);
        else if (opt >= OPT_COL && opt < OPT_COL + (int)ncols) {
            char name[48];
            snprintf(name, sizeof name, "--%s", names[opt - OPT_COL]);
            rc = number_arg(name, optarg, &v);
            *cols[opt - OPT_COL] = (int)v;
        } else
            return fputs(help, stderr), EXIT_USAGE;
    }
    a->rest = argc - optind;
    a->first = optind < argc ? argv[optind] : NULL;
    return rc;
}
