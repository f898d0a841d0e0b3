/*
 * client/cli/profile.c — the client's configuration file (profile.h).
 *
 * As in daemon/config.c, inih is fed through a reader of our own that
 * counts lines (Debian's inih gives handlers no line number) and reports,
 * at its line, whatever inih would read otherwise than it looks: an
 * indented line (inih appends it to the setting above), a line longer than
 * inih's buffer (its tail would become a line of its own), a NUL byte, a
 * header without ']', a line with no '='.  Such a line reaches inih empty,
 * so inih never reports an error of its own.  The first mistake is
 * reported; nothing of a file with a mistake is used.
 */
#include "profile.h"

#include "client/lib/grandlivre.h"
#include "client/output/output.h"
#include "proto/limits.h"
#include "proto/status.h"
#include "proto/wire.h"

#include <ctype.h>
#include <errno.h>
#include <ini.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *const prof_field_name[PF_COUNT] = {"endpoint", "server_key", "key",
                                               "tenant",   "format",     "lang"};

#define SECTIONS_MAX 64

struct load_state {
    profile *p;
    FILE *file;
    const char *wanted;
    int line;  /* the line inih is handling */
    char *raw; /* getline's buffer */
    size_t raw_cap;
    bool in_wanted;     /* the current section is the wanted profile */
    bool in_group;      /* the current section is [group] (issue 20) */
    bool in_section;    /* a section header was seen */
    int seen[PF_COUNT]; /* line of each setting in the current section */
    char sections[SECTIONS_MAX][PROFILE_NAME_MAX + 1];
    int section_line[SECTIONS_MAX];
    size_t section_count;
    char *err;
    size_t err_len;
    bool failed;
};

static void load_error(struct load_state *st, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void load_error(struct load_state *st, const char *fmt, ...)
{
    if (st->failed) /* the first mistake is the one reported */
        return;
    st->failed = true;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    snprintf(st->err, st->err_len, "%s:%d: %s", st->p->path, st->line, msg);
}

int profile_path(char *out, size_t out_len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    int n;
    if (xdg && xdg[0] == '/') /* the XDG rule: a relative value is ignored */
        n = snprintf(out, out_len, "%s/grandlivre/config", xdg);
    else if (home && home[0])
        n = snprintf(out, out_len, "%s/.config/grandlivre/config", home);
    else
        return -1;
    return n < 0 || (size_t)n >= out_len ? -1 : 0;
}

bool profile_name_ok(const char *name)
{
    size_t n = strlen(name);
    if (n == 0 || n > PROFILE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!isalnum((unsigned char)name[i]) && !strchr("._-", name[i]))
            return false;
    return true;
}

const char *profile_check(enum prof_field f, const char *v)
{
    uint8_t pk[32];
    enum out_format fmt;
    if (!v[0])
        return "is empty";
    switch (f) {
    case PF_ENDPOINT:
        return strstr(v, "://")
                   ? NULL
                   : "is not an endpoint (ipc:///path/grandlivred.sock or tcp://host:port)";
    case PF_SERVER_KEY:
        return gl_server_key_parse(v, pk) == GL_OK
                   ? NULL
                   : "must be 64 hex digits (grandlivred --print-server-key)";
    case PF_KEY: return NULL;
    case PF_TENANT:
        if (strlen(v) > GL_TENANT_MAX)
            return "is longer than a tenant id (16 bytes of a-z 0-9 _ -)";
        for (const char *s = v; *s; s++)
            if (!(islower((unsigned char)*s) || isdigit((unsigned char)*s) || *s == '_' ||
                  *s == '-'))
                return "is not a tenant id (a-z 0-9 _ -)";
        return NULL;
    case PF_FORMAT:
        return out_parse_format(v, &fmt) ? "must be table, table-fr, csv, csv-fr or json" : NULL;
    case PF_LANG:
        return !strcmp(v, "fr") || !strcmp(v, "en") || !strcmp(v, "auto")
                   ? NULL
                   : "must be fr, en or auto";
    case PF_COUNT: break;
    }
    return "is not a setting";
}

/* A header line "[name]" (start at '['): check it and enter its section. */
static void enter_section(struct load_state *st, const char *start, const char *close)
{
    char name[PROFILE_NAME_MAX + 2];
    size_t n = (size_t)(close - start - 1);
    const char *after = close + 1;
    while (*after && isspace((unsigned char)*after))
        after++;
    if (*after && *after != ';' && *after != '#') {
        load_error(st, "text after the section header");
        return;
    }
    if (n > PROFILE_NAME_MAX) {
        load_error(st, "profile name longer than %d characters", PROFILE_NAME_MAX);
        return;
    }
    memcpy(name, start + 1, n);
    name[n] = '\0';
    if (!profile_name_ok(name)) {
        load_error(st, "'[%s]': a profile name is 1 to %d of A-Z a-z 0-9 . _ -", name,
                   PROFILE_NAME_MAX);
        return;
    }
    for (size_t i = 0; i < st->section_count; i++)
        if (!strcmp(st->sections[i], name)) {
            load_error(st, "profile [%s] given twice (first at line %d)", name,
                       st->section_line[i]);
            return;
        }
    if (st->section_count < SECTIONS_MAX) {
        memcpy(st->sections[st->section_count], name, n + 1);
        st->section_line[st->section_count++] = st->line;
    }
    st->in_section = true;
    st->in_group = !strcmp(name, "group");
    st->in_wanted = !st->in_group && !strcmp(name, st->wanted);
    if (st->in_wanted)
        st->p->found = true;
    memset(st->seen, 0, sizeof st->seen);
}

/* Read one line as inih will; returns what inih should parse. */
static const char *classify_line(struct load_state *st, size_t n, int max_len)
{
    char *raw = st->raw;
    if (memchr(raw, '\0', n)) {
        load_error(st, "NUL byte in the line");
        return "\n";
    }
    if (n > (size_t)max_len - 2 || (n == (size_t)max_len - 2 && raw[n - 1] != '\n')) {
        load_error(st, "line is longer than %d bytes", max_len - 3);
        return "\n";
    }
    size_t bom =
        st->line == 1 && n >= 3 && !memcmp(raw, "\xef\xbb\xbf", 3) ? 3 : 0; /* inih skips it */
    char *start = raw + bom + strspn(raw + bom, " \t\r\n\v\f");
    if (*start == ';' || *start == '#' || !*start)
        return raw;
    if (start > raw + bom) {
        load_error(
            st, "indented line: inih would append it to the setting above; remove the indentation");
        return "\n";
    }
    if (*start == '[') {
        const char *close = strchr(start, ']');
        if (!close) {
            load_error(st, "section header with no closing ']'");
            return "\n";
        }
        enter_section(st, start, close);
        return raw;
    }
    if (!strchr(start, '=')) {
        load_error(st, "neither a [profile] header nor a setting (name = value)");
        return "\n";
    }
    return raw;
}

static char *reader(char *str, int num, void *stream)
{
    struct load_state *st = stream;
    ssize_t n = getline(&st->raw, &st->raw_cap, st->file);
    if (n < 0)
        return NULL;
    st->line++;
    const char *line = classify_line(st, (size_t)n, num);
    snprintf(str, (size_t)num, "%s", line);
    return str;
}

/* A key file path: "~/" is the home directory, a relative path is
 * relative to the configuration file's directory. */
static void key_path(struct load_state *st, const char *v, char *out)
{
    const char *home = getenv("HOME");
    int n;
    if (v[0] == '~' && v[1] == '/' && home)
        n = snprintf(out, PROFILE_VALUE_MAX, "%s/%s", home, v + 2);
    else if (v[0] == '/')
        n = snprintf(out, PROFILE_VALUE_MAX, "%s", v);
    else {
        const char *slash = strrchr(st->p->path, '/');
        int dir_len = slash ? (int)(slash - st->p->path) : 1;
        n = snprintf(out, PROFILE_VALUE_MAX, "%.*s/%s", dir_len, slash ? st->p->path : ".", v);
    }
    if (n < 0 || n >= PROFILE_VALUE_MAX)
        load_error(st, "key file path too long");
}

/* A setting of [group]: accounts (checked where used), plan (a path). */
static int group_setting(struct load_state *st, const char *name, const char *value)
{
    bool plan = !strcmp(name, "plan");
    char *dst = plan ? st->p->group_plan : !strcmp(name, "accounts") ? st->p->group_accounts : NULL;
    if (!dst)
        load_error(st, "unknown setting '%s' in [group] (accounts, plan)", name);
    else if (dst[0])
        load_error(st, "'%s' given twice in [group]", name);
    else if (plan)
        key_path(st, value, dst);
    else if ((size_t)snprintf(dst, PROFILE_VALUE_MAX, "%s", value) >= PROFILE_VALUE_MAX)
        load_error(st, "%s is too long", name);
    else
        st->p->group_accounts_line = st->line;
    return 1;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct load_state *st = user;
    (void)section; /* taken whole by enter_section, not as inih cut it */
    if (!st->in_section) {
        load_error(st, "setting '%s' outside a [profile] section", name);
        return 1;
    }
    if (st->in_group)
        return group_setting(st, name, value);
    int f = 0;
    while (f < PF_COUNT && strcmp(prof_field_name[f], name))
        f++;
    if (f == PF_COUNT) {
        load_error(st, "unknown setting '%s' (endpoint, server_key, key, tenant, format, lang)",
                   name);
        return 1;
    }
    if (st->seen[f]) {
        load_error(st, "'%s' given twice in this profile (first at line %d)", name, st->seen[f]);
        return 1;
    }
    st->seen[f] = st->line;
    const char *why = profile_check((enum prof_field)f, value);
    if (why) {
        load_error(st, "%s %s", name, why);
        return 1;
    }
    if (!st->in_wanted)
        return 1;
    st->p->line[f] = st->line;
    if (f == PF_KEY)
        key_path(st, value, st->p->value[f]);
    else if ((size_t)snprintf(st->p->value[f], PROFILE_VALUE_MAX, "%s", value) >= PROFILE_VALUE_MAX)
        load_error(st, "%s is too long", name);
    return 1;
}

int profile_load(profile *p, const char *path, const char *name, bool named, char *err,
                 size_t err_len)
{
    memset(p, 0, sizeof *p);
    snprintf(p->path, sizeof p->path, "%s", path);
    snprintf(p->name, sizeof p->name, "%s", name);
    if (!profile_name_ok(name)) {
        snprintf(err, err_len, "'%s' is not a profile name (1 to %d of A-Z a-z 0-9 . _ -)", name,
                 PROFILE_NAME_MAX);
        return GL_ERR_NO_PROFILE;
    }
    FILE *f = fopen(path, "r");
    if (!f && errno != ENOENT) {
        snprintf(err, err_len, "cannot read %s: %s", path, strerror(errno));
        return GL_ERR_IO;
    }
    if (!f) {
        if (!named)
            return GL_OK;
        snprintf(
            err, err_len,
            "no profile [%s]: %s does not exist (grandlivre config init --profile %s writes it)",
            name, path, name);
        return GL_ERR_NO_PROFILE;
    }
    p->file_found = true;
    struct load_state st = {.p = p, .file = f, .wanted = name, .err = err, .err_len = err_len};
    int rc = ini_parse_stream(reader, &st, handler, &st);
    bool bad_read = ferror(f);
    fclose(f);
    free(st.raw);
    if (rc < 0 || bad_read) {
        snprintf(err, err_len, "cannot read %s", path);
        return GL_ERR_IO;
    }
    if (rc > 0 && !st.failed) { /* not expected: every mistake is caught above */
        st.line = rc;
        load_error(&st, "inih cannot read this line");
    }
    if (st.failed) {
        memset(p->value, 0, sizeof p->value);
        memset(p->line, 0, sizeof p->line);
        p->found = false;
        return GL_ERR_CONFIG_INVALID;
    }
    if (!p->found && named) {
        char list[512] = "";
        size_t used = 0;
        for (size_t i = 0; i < st.section_count && used < sizeof list; i++) {
            int n =
                snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", st.sections[i]);
            used += n > 0 ? (size_t)n : 0;
        }
        snprintf(err, err_len, "no profile [%s] in %s (%s%s)", name, path,
                 st.section_count ? "it has: " : "it has none", list);
        return GL_ERR_NO_PROFILE;
    }
    return GL_OK;
}

/* Is the line at s (up to its end) the header of profile name? */
static bool is_header_of(const char *s, size_t len, const char *name)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    size_t n = strlen(name);
    return len > n + 1 && s[0] == '[' && !strncmp(s + 1, name, n) && s[n + 1] == ']';
}

static bool is_header(const char *s, size_t len)
{
    while (len && isspace((unsigned char)*s))
        s++, len--;
    return len && *s == '[';
}

static void put_section(gl_buf *b, const char *name, const char *const values[PF_COUNT])
{
    char line[PROFILE_NAME_MAX + PROFILE_VALUE_MAX + 32];
    int n = snprintf(line, sizeof line, "[%s]\n", name);
    gl_put_bytes(b, line, (size_t)n);
    for (int f = 0; f < PF_COUNT; f++)
        if (values[f] && values[f][0]) {
            n = snprintf(line, sizeof line, "%-10s = %s\n", prof_field_name[f], values[f]);
            gl_put_bytes(b, line, n < (int)sizeof line ? (size_t)n : sizeof line - 1);
        }
}

char *profile_render(const char *old, const char *name, const char *const values[PF_COUNT])
{
    gl_buf b;
    gl_buf_init(&b);
    bool placed = false, skipping = false;
    for (const char *s = old ? old : ""; *s;) {
        const char *nl = strchr(s, '\n');
        size_t len = nl ? (size_t)(nl - s) : strlen(s);
        if (is_header(s, len))
            skipping = false;
        if (!placed && is_header_of(s, len, name)) {
            put_section(&b, name, values);
            placed = skipping = true;
        }
        if (!skipping) {
            gl_put_bytes(&b, s, len);
            gl_put_u8(&b, '\n');
        }
        s += len + (nl ? 1 : 0);
    }
    if (!placed) {
        if (b.len && !(b.len >= 2 && b.data[b.len - 1] == '\n' && b.data[b.len - 2] == '\n'))
            gl_put_u8(&b, '\n');
        put_section(&b, name, values);
    }
    gl_put_u8(&b, '\0');
    if (!gl_buf_ok(&b)) {
        gl_buf_free(&b);
        return NULL;
    }
    return (char *)b.data;
}
