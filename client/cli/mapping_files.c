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
