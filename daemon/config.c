/*
 * daemon/config.c — configuration loading with inih.  inih does not report
 * line numbers to handlers in Debian's build, so we feed it through our own
 * reader that counts lines: the handler then knows the line it is on.
 * Each key's CURVE public key is derived here once (libsodium), so that the
 * ZAP handler looks keys up without converting on every connection.
 *
 * The reader also reads every line the way inih will, before inih does, so
 * that nothing in the file means something other than it looks: a section
 * header is taken whole (inih keeps 49 bytes of it, which could cut a key
 * name inside a UTF-8 character or make two names one), an indented line
 * (which inih appends to the previous setting as a second value), a line
 * too long for inih's buffer (whose tail inih would read as a line of its
 * own), a NUL byte, a header without its ']' or a line that is neither a
 * header nor a setting are each reported at their line and handed to inih
 * as an empty line.  inih then never reports an error itself, and every
 * mistake in the file is reported, not only the first.  Sections and
 * settings are single: a second [daemon], [group], [tenant X] or [key X],
 * or a setting given twice in one section, is an error naming the first.
 *
 * gl_config_load is the only check of a configuration: `grandlivred -n`,
 * the daemon's start and its reload call it and nothing else, so they
 * accept and refuse the same files with the same messages.  Anything the
 * daemon later records from the file (key names in the keyring history,
 * store/keyring_store.h) is checked here against the same rule.
 */
#include "config.h"

#include "proto/wire.h"

#include <ini.h>
#include <ctype.h>
#include <errno.h>
#include <sodium.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/un.h>

#define TEXT_(x) #x
#define TEXT(x) TEXT_(x)
#define NAME_MAX_TEXT TEXT(GL_KEY_NAME_MAX)
/* The settings of one section seen so far (each may be given once); no
 * section has more kinds of setting than this. */
#define SEEN_MAX 16

struct parse_state {
    gl_config *cfg;
    FILE *file;
    int line;          /* the line inih is handling */
    int next_line;     /* the line the next read starts */
    char section[256]; /* the current section, whole; "" before any; "!" ignored */
    int daemon_line;   /* the [daemon] header, 0 if none yet */
    int data_dir_line, endpoint_line;
    bool have_prev; /* inih would take an indented line as a continuation */
    struct {
        char name[24];
        int line;
    } seen[SEEN_MAX];
    size_t seen_count;
    char *raw; /* the line as read (getline) */
    size_t raw_cap;
    char dir[PATH_MAX];
};

static void add_error(gl_config *cfg, int line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void add_error(gl_config *cfg, int line, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    char *full = NULL;
    if (asprintf(&full, "%s:%d: %s", cfg->path, line, msg) < 0)
        return;
    char **e = realloc(cfg->errors, (cfg->error_count + 1) * sizeof *e);
    if (!e) {
        free(full);
        return;
    }
    cfg->errors = e;
    cfg->errors[cfg->error_count++] = full;
}

static void open_section(struct parse_state *st, const char *section);

/* inih's ini_find_chars_or_comment: the first of chars, or the start of an
 * inline comment (';' after blank space), or the end of s. */
static const char *find_chars_or_comment(const char *s, const char *chars)
{
    bool was_space = false;
    while (*s && (!chars || !strchr(chars, *s)) && !(was_space && *s == ';')) {
        was_space = isspace((unsigned char)*s);
        s++;
    }
    return s;
}

/* Read one line as inih will (see the file's comment).  Returns what inih
 * should parse: the line itself, or "\n" for a line reported here. */
static const char *classify_line(struct parse_state *st, char *raw, size_t n, int max_len)
{
    gl_config *cfg = st->cfg;
    if (memchr(raw, '\0', n)) {
        add_error(cfg, st->line, "NUL byte in the line");
        return "\n";
    }
    if (n > (size_t)max_len || (n == (size_t)max_len && raw[n - 1] != '\n')) {
        add_error(cfg, st->line, "line is longer than %d bytes", max_len - 2);
        return "\n";
    }
    char *start = raw;
    if (st->line == 1 && (unsigned char)raw[0] == 0xef && (unsigned char)raw[1] == 0xbb &&
        (unsigned char)raw[2] == 0xbf)
        start += 3;
    while (*start && isspace((unsigned char)*start))
        start++;
    if (*start == ';' || *start == '#' || !*start)
        return raw;
    if (st->have_prev && start > raw) {
        add_error(cfg, st->line,
                  "indented line: inih would append it to the setting above as a second "
                  "value; remove the indentation");
        return "\n";
    }
    if (*start == '[') {
        const char *end = find_chars_or_comment(start + 1, "]");
        if (*end != ']') {
            add_error(cfg, st->line, "section header with no closing ']'");
            snprintf(st->section, sizeof st->section, "!"); /* its settings go nowhere */
            return "\n";
        }
        const char *after = end + 1;
        while (*after && isspace((unsigned char)*after))
            after++;
        if (*after && *after != ';')
            add_error(cfg, st->line, "text after ']' (a comment starts with ';')");
        char name[sizeof st->section];
        snprintf(name, sizeof name, "%.*s", (int)(end - start - 1), start + 1);
        open_section(st, name);
        st->have_prev = false;
        return raw;
    }
    const char *eq = find_chars_or_comment(start, "=:");
    if (*eq != '=' && *eq != ':') {
        add_error(cfg, st->line, "expected [section] or name = value");
        return "\n";
    }
    st->have_prev = eq > start; /* inih remembers a non-empty name */
    return raw;
}

static char *counting_reader(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    ssize_t n = getline(&st->raw, &st->raw_cap, st->file);
    if (n <= 0)
        return NULL;
    st->line = st->next_line++;
    /* inih needs room for the line, its CR LF and a NUL. */
    const char *text = classify_line(st, st->raw, (size_t)n, num - 1);
    snprintf(str, (size_t)num, "%s", text);
    return str;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

static int parse_hex32(const char *s, uint8_t out[32])
{
    if (strlen(s) != 64)
        return -1;
    for (int i = 0; i < 32; i++) {
        int hi = hexval(s[2 * i]), lo = hexval(s[2 * i + 1]);
        if (hi < 0 || lo < 0)
            return -1;
        out[i] = (uint8_t)(hi << 4 | lo);
    }
    return 0;
}

static int tenant_id_ok(const char *s)
{
    size_t n = strlen(s);
    if (n < 1 || n > GL_TENANT_MAX)
        return 0;
    for (size_t i = 0; i < n; i++)
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' ||
              s[i] == '-'))
            return 0;
    return 1;
}

static void resolve_path(const struct parse_state *st, const char *v, char *out, size_t out_len)
{
    if (v[0] == '/')
        snprintf(out, out_len, "%s", v);
    else
        snprintf(out, out_len, "%s/%s", st->dir, v);
}

static int parse_uint(const char *v, unsigned long long max, unsigned long long *out)
{
    char *end;
    errno = 0;
    if (!*v || *v == '-')
        return -1;
    unsigned long long x = strtoull(v, &end, 10);
    if (errno || *end || x > max)
        return -1;
    *out = x;
    return 0;
}

/* yes/no, on/off, true/false. */
static int parse_bool(const char *v, bool *out)
{
    if (!strcmp(v, "yes") || !strcmp(v, "on") || !strcmp(v, "true"))
        *out = true;
    else if (!strcmp(v, "no") || !strcmp(v, "off") || !strcmp(v, "false"))
        *out = false;
    else
        return -1;
    return 0;
}

/* backup_dir: BACKUP writes only there (the request names a file in it).
 * It must already exist: a daemon that created it would fill the root file
 * system when the disk meant for backups is not mounted.  Not a symlink:
 * the daemon opens it with O_NOFOLLOW. */
static void backup_dir_key(struct parse_state *st, const char *value)
{
    gl_config *cfg = st->cfg;
    struct stat sb;
    cfg->backup_dir_line = st->line;
    if (!*value) {
        add_error(cfg, st->line, "backup_dir is empty (leave it out to disable backups)");
        return;
    }
    resolve_path(st, value, cfg->backup_dir, sizeof cfg->backup_dir);
    if (lstat(cfg->backup_dir, &sb) != 0)
        add_error(cfg, st->line, "backup_dir %s %s", cfg->backup_dir,
                  errno == ENOENT
                      ? "does not exist (create it, mode 0700, owned by the daemon's user)"
                      : strerror(errno));
    else if (S_ISLNK(sb.st_mode))
        add_error(cfg, st->line, "backup_dir %s is a symbolic link: name the directory itself",
                  cfg->backup_dir);
    else if (!S_ISDIR(sb.st_mode))
        add_error(cfg, st->line, "backup_dir %s is not a directory", cfg->backup_dir);
}

/* The endpoint as zmq_bind will take it: ipc:// a path the system can
 * bind (sun_path), tcp:// a host or interface and a port.  Checked here so
 * that -n refuses what the daemon's start would. */
static void check_endpoint(gl_config *cfg, int line)
{
    const char *e = cfg->endpoint;
    if (!strncmp(e, "ipc://", 6)) {
        size_t max = sizeof((struct sockaddr_un *)0)->sun_path - 1;
        if (strlen(e + 6) > max)
            add_error(
                cfg, line,
                "ipc:// path is longer than %zu bytes (the system's limit for a socket path): %s",
                max, e + 6);
        return;
    }
    if (strncmp(e, "tcp://", 6))
        return; /* reported where it was read */
    const char *colon = strrchr(e + 6, ':');
    unsigned long long port = 0;
    bool ok = colon && colon > e + 6 &&
              (!strcmp(colon + 1, "*") || (parse_uint(colon + 1, 65535, &port) == 0 && port >= 1));
    if (!ok)
        add_error(cfg, line, "endpoint must be tcp://HOST:PORT (PORT 1-65535 or *) or ipc://PATH");
}

static void daemon_key(struct parse_state *st, const char *name, const char *value)
{
    gl_config *cfg = st->cfg;
    unsigned long long x;
    if (!strcmp(name, "data_dir")) {
        resolve_path(st, value, cfg->data_dir, sizeof cfg->data_dir);
        st->data_dir_line = st->line;
    } else if (!strcmp(name, "backup_dir")) {
        backup_dir_key(st, value);
    } else if (!strcmp(name, "endpoint")) {
        st->endpoint_line = st->line;
        if (strncmp(value, "ipc://", 6) && strncmp(value, "tcp://", 6))
            add_error(cfg, st->line, "endpoint must start with ipc:// or tcp://");
        else if (!strncmp(value, "ipc://", 6) && value[6] != '/') {
            char p[PATH_MAX];
            resolve_path(st, value + 6, p, sizeof p);
            snprintf(cfg->endpoint, sizeof cfg->endpoint, "ipc://%s", p);
        } else
            snprintf(cfg->endpoint, sizeof cfg->endpoint, "%s", value);
        if (cfg->endpoint[0])
            check_endpoint(cfg, st->line);
    } else if (!strcmp(name, "map_size_mb")) {
        if (parse_uint(value, GL_MAP_SIZE_MB_MAX, &x) || x < 1)
            add_error(cfg, st->line,
                      "map_size_mb must be a whole number of MiB from 1 to %llu (64 TiB)",
                      (unsigned long long)GL_MAP_SIZE_MB_MAX);
        else
            cfg->map_size_mb = x;
    } else if (!strcmp(name, "batch_max")) {
        if (parse_uint(value, 100000, &x) || x < 1)
            add_error(cfg, st->line, "batch_max must be from 1 to 100000");
        else
            cfg->batch_max = (unsigned)x;
    } else if (!strcmp(name, "clock_skew_max_s")) {
        if (parse_uint(value, 86400 * 365, &x) || x < 1)
            add_error(cfg, st->line, "clock_skew_max_s must be from 1 to 31536000 seconds");
        else
            cfg->clock_skew_max_s = (unsigned)x;
    } else if (!strcmp(name, "curve")) {
        if (parse_bool(value, &cfg->curve))
            add_error(cfg, st->line, "curve must be on or off");
        cfg->curve_line = st->line;
    } else if (!strcmp(name, "handshake_timeout_ms")) {
        if (parse_uint(value, 600000, &x) || x < 100)
            add_error(cfg, st->line, "handshake_timeout_ms must be from 100 to 600000");
        else
            cfg->handshake_timeout_ms = (unsigned)x;
    } else if (!strcmp(name, "verify_threads")) {
        if (parse_uint(value, 64, &x))
            add_error(cfg, st->line, "verify_threads must be from 0 (one per core) to 64");
        else
            cfg->verify_threads = (unsigned)x;
    } else if (!strcmp(name, "retention_years")) {
        if (parse_uint(value, 100, &x) || x < 1)
            add_error(cfg, st->line, "retention_years must be from 1 to 100 (default 10)");
        else
            cfg->retention_years = (unsigned)x;
    } else if (!strcmp(name, "person_keys_max")) {
        if (parse_uint(value, 10000000, &x) || x < 1)
            add_error(cfg, st->line, "person_keys_max must be from 1 to 10000000 (default 100000)");
        else
            cfg->person_keys_max = (unsigned)x;
    } else if (!strcmp(name, "commit_interval_ms")) {
        if (parse_uint(value, 60000, &x))
            add_error(cfg, st->line,
                      "commit_interval_ms must be from 0 (LMDB commits every batch) to 60000");
        else
            cfg->commit_interval_ms = (unsigned)x;
    } else {
        add_error(cfg, st->line, "unknown setting '%s' in [daemon]", name);
    }
}

static gl_tenant_cfg *current_tenant(gl_config *cfg)
{
    return &cfg->tenants[cfg->tenant_count - 1];
}
static gl_key_cfg *current_key(gl_config *cfg) { return &cfg->keys[cfg->key_count - 1]; }

static void tenant_key(struct parse_state *st, const char *name, const char *value)
{
    gl_config *cfg = st->cfg;
    gl_tenant_cfg *t = current_tenant(cfg);
    unsigned long long x;
    if (!strcmp(name, "name")) {
        if (strlen(value) > GL_LABEL_MAX || !gl_utf8_valid(value, strlen(value))) {
            add_error(cfg, st->line, "tenant name must be valid UTF-8 of at most %d bytes",
                      GL_LABEL_MAX);
            snprintf(t->name, sizeof t->name, "!"); /* reported once, here */
        } else
            snprintf(t->name, sizeof t->name, "%s", value);
    } else if (!strcmp(name, "siren")) {
        size_t n = strlen(value);
        int ok = n == 9;
        for (size_t i = 0; ok && i < n; i++)
            ok = value[i] >= '0' && value[i] <= '9';
        if (!ok)
            add_error(cfg, st->line, "siren must be 9 digits");
        if (!ok)
            snprintf(t->siren, sizeof t->siren, "!"); /* reported once, here */
        else
            snprintf(t->siren, sizeof t->siren, "%s", value);
    } else if (!strcmp(name, "code")) {
        if (!*value || strlen(value) > GL_AUX_MAX || !gl_utf8_valid(value, strlen(value)))
            add_error(cfg, st->line, "code must be 1-%d bytes of UTF-8", GL_AUX_MAX);
        else
            snprintf(t->code, sizeof t->code, "%s", value);
    } else if (!strcmp(name, "first_month")) {
        if (parse_uint(value, 12, &x) || x < 1)
            add_error(cfg, st->line, "first_month must be 1 to 12");
        else
            t->first_month = (unsigned)x;
    } else if (!strcmp(name, "future_years")) {
        if (parse_uint(value, GL_FUTURE_YEARS_MAX, &x))
            add_error(cfg, st->line, "future_years must be 0 to %d", GL_FUTURE_YEARS_MAX);
        else
            t->future_years = (unsigned)x;
    } else if (!strcmp(name, "analytic_class9")) {
        if (parse_bool(value, &t->analytic_class9))
            add_error(cfg, st->line,
                      "analytic_class9 must be yes or no (class 9 accounts in the general ledger)");
    } else if (!strcmp(name, "third_parties")) {
        if (strcmp(value, "required") && strcmp(value, "optional"))
            add_error(cfg, st->line, "third_parties must be required or optional");
        else
            t->third_parties_required = !strcmp(value, "required");
    } else {
        add_error(cfg, st->line, "unknown setting '%s' in a [tenant] section", name);
    }
}

static void key_key(struct parse_state *st, const char *name, const char *value)
{
    gl_config *cfg = st->cfg;
    gl_key_cfg *k = current_key(cfg);
    if (!strcmp(name, "public")) {
        if (parse_hex32(value, k->pub)) {
            add_error(cfg, st->line,
                      "public must be 64 hexadecimal digits (an Ed25519 public key)");
            k->has_pub = -1;
        } else
            k->has_pub = 1;
    } else if (!strcmp(name, "role")) {
        if (!strcmp(value, "member"))
            k->role = GL_ROLE_MEMBER;
        else if (!strcmp(value, "accountant"))
            k->role = GL_ROLE_ACCOUNTANT;
        else if (!strcmp(value, "auditor"))
            k->role = GL_ROLE_AUDITOR;
        else {
            add_error(cfg, st->line, "role must be member, accountant or auditor");
            k->role = GL_ROLE_INVALID; /* reported once, here */
        }
    } else if (!strcmp(name, "tenant")) {
        if (!tenant_id_ok(value))
            add_error(cfg, st->line, "tenant id must be 1-%d characters a-z 0-9 _ -",
                      GL_TENANT_MAX);
        else
            snprintf(k->tenant, sizeof k->tenant, "%s", value);
    } else if (!strcmp(name, "revoked")) {
        if (parse_bool(value, &k->revoked))
            add_error(cfg, st->line, "revoked must be yes or no");
    } else {
        add_error(cfg, st->line, "unknown setting '%s' in a [key] section", name);
    }
}

/* Whether name (the part of "[key NAME]" after "key ") can be recorded in
 * the keyring history as it is: store/keyring_store.h keeps at most
 * KEYRING_NAME_MAX (= GL_KEY_NAME_MAX) bytes and reads a record back only
 * if gl_utf8_valid accepts it.  NULL if fine, else why not. */
static const char *key_name_problem(const char *name)
{
    size_t n = strlen(name);
    if (n == 0)
        return "a key needs a name: [key NAME]";
    if (n > GL_KEY_NAME_MAX)
        return "key name is longer than " NAME_MAX_TEXT " bytes";
    if (!gl_utf8_valid(name, n))
        return "key name must be UTF-8 without control characters (no TAB)";
    if (name[0] == ' ' || name[n - 1] == ' ')
        return "key name must not begin or end with a space";
    return NULL;
}

static void open_tenant(struct parse_state *st, const char *id)
{
    gl_config *cfg = st->cfg;
    const gl_tenant_cfg *twice = tenant_id_ok(id) ? gl_config_tenant(cfg, id, strlen(id)) : NULL;
    if (!tenant_id_ok(id))
        add_error(cfg, st->line, "tenant id '%s' must be 1-%d characters a-z 0-9 _ -", id,
                  GL_TENANT_MAX);
    else if (twice)
        add_error(cfg, st->line, "tenant '%s' defined twice (first at line %d)", id, twice->line);
    bool ok = tenant_id_ok(id) && !twice;
    if (cfg->tenant_count == GL_CONFIG_TENANTS_MAX) {
        add_error(cfg, st->line, "too many tenants (at most %d)", GL_CONFIG_TENANTS_MAX);
        snprintf(st->section, sizeof st->section, "!");
        return;
    }
    gl_tenant_cfg *t = &cfg->tenants[cfg->tenant_count++];
    memset(t, 0, sizeof *t);
    snprintf(t->id, sizeof t->id, "%s", ok ? id : "?"); /* "?": reported here, skipped later */
    t->first_month = 1;
    t->future_years = 1;
    t->line = st->line;
}

static void open_key(struct parse_state *st, const char *name)
{
    gl_config *cfg = st->cfg;
    const char *problem = key_name_problem(name);
    if (problem)
        add_error(cfg, st->line, "%s", problem);
    for (size_t i = 0; !problem && i < cfg->key_count; i++)
        if (!strcmp(cfg->keys[i].name, name)) {
            add_error(cfg, st->line, "key '%s' defined twice (first at line %d)", name,
                      cfg->keys[i].line);
            break;
        }
    if (cfg->key_count == GL_CONFIG_KEYS_MAX) {
        add_error(cfg, st->line, "too many keys (at most %d)", GL_CONFIG_KEYS_MAX);
        snprintf(st->section, sizeof st->section, "!");
        return;
    }
    gl_key_cfg *k = &cfg->keys[cfg->key_count++];
    memset(k, 0, sizeof *k);
    snprintf(k->name, sizeof k->name, "%s", problem ? "?" : name);
    k->line = st->line;
}

/* A new section line (called by the reader, for every header, before inih
 * sees it): create its record. */
static void open_section(struct parse_state *st, const char *section)
{
    gl_config *cfg = st->cfg;
    snprintf(st->section, sizeof st->section, "%s", section);
    st->seen_count = 0;
    if (!strncmp(section, "tenant ", 7)) {
        open_tenant(st, section + 7);
    } else if (!strncmp(section, "key ", 4)) {
        open_key(st, section + 4);
    } else if (!strcmp(section, "group")) {
        if (cfg->group_line)
            add_error(cfg, st->line, "[group] appears twice (first at line %d)", cfg->group_line);
        else
            cfg->group_line = st->line;
    } else if (!strcmp(section, "daemon")) {
        if (st->daemon_line)
            add_error(cfg, st->line, "[daemon] appears twice (first at line %d)", st->daemon_line);
        else
            st->daemon_line = st->line;
    } else {
        add_error(cfg, st->line,
                  "unknown section [%s] (expected [daemon], [group], [tenant ID] or [key NAME])",
                  section);
        snprintf(st->section, sizeof st->section, "!");
    }
}

/* A setting given twice in one section: report it (naming the first) and
 * keep the first. */
static bool set_twice(struct parse_state *st, const char *name)
{
    for (size_t i = 0; i < st->seen_count; i++)
        if (!strcmp(st->seen[i].name, name)) {
            add_error(st->cfg, st->line, "'%s' is set twice in [%s] (first at line %d)", name,
                      st->section, st->seen[i].line);
            return true;
        }
    /* Longer names are unknown settings, reported as such. */
    if (st->seen_count < SEEN_MAX && strlen(name) < sizeof st->seen[0].name) {
        snprintf(st->seen[st->seen_count].name, sizeof st->seen[0].name, "%s", name);
        st->seen[st->seen_count++].line = st->line;
    }
    return false;
}

/* inih's handler; the section is the reader's (whole, and set even for a
 * header that holds no setting), not inih's (cut at 49 bytes). */
static int handler(void *user, const char *inih_section, const char *name, const char *value)
{
    struct parse_state *st = user;
    const char *section = st->section;
    (void)inih_section;
    if (!name) /* section line only (INI_CALL_HANDLER_ON_NEW_SECTION builds) */
        return 1;
    if (!section[0]) {
        add_error(st->cfg, st->line, "setting '%s' outside any section", name);
        return 1;
    }
    if (section[0] == '!' || set_twice(st, name))
        return 1;
    if (!strcmp(section, "daemon"))
        daemon_key(st, name, value);
    else if (!strncmp(section, "tenant ", 7))
        tenant_key(st, name, value);
    else if (!strncmp(section, "key ", 4))
        key_key(st, name, value);
    else if (!strcmp(section, "group")) {
        bool comb = !strcmp(name, "combination");
        if ((!comb && strcmp(name, "umbrella")) || !tenant_id_ok(value))
            add_error(st->cfg, st->line,
                      "[group] takes umbrella = TENANT_ID and combination = TENANT_ID");
        else if (comb)
            snprintf(st->cfg->combination, sizeof st->cfg->combination, "%s", value);
        else
            snprintf(st->cfg->umbrella, sizeof st->cfg->umbrella, "%s", value);
    }
    return 1;
}

/* The combination ledger: a configured tenant, neither the umbrella nor
 * (thus) a member, and no member key names it (the accountant's books). */
static void check_combination(gl_config *cfg)
{
    const char *comb = cfg->combination;
    if (!comb[0])
        return;
    if (!gl_config_tenant(cfg, comb, strlen(comb)))
        add_error(cfg, cfg->group_line, "the combination ledger '%s' is not a tenant", comb);
    if (!strcmp(comb, cfg->umbrella))
        add_error(cfg, cfg->group_line, "the combination ledger '%s' is the umbrella", comb);
    for (size_t i = 0; i < cfg->key_count; i++)
        if (cfg->keys[i].role == GL_ROLE_MEMBER && !strcmp(cfg->keys[i].tenant, comb))
            add_error(cfg, cfg->keys[i].line,
                      "member key '%s' names the combination ledger '%s' (the accountant's only)",
                      cfg->keys[i].name, comb);
}

bool gl_config_is_combination(const gl_config *cfg, const char *id)
{
    return cfg->combination[0] && !strcmp(cfg->combination, id);
}

static void check_whole(gl_config *cfg)
{
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        gl_tenant_cfg *t = &cfg->tenants[i];
        if (!strcmp(t->id, "?"))
            continue; /* a bad id, already reported */
        if (!t->name[0])
            add_error(cfg, t->line, "tenant '%s' has no name", t->id);
        if (!t->siren[0])
            add_error(cfg, t->line, "tenant '%s' has no siren", t->id);
    }
    for (size_t i = 0; i < cfg->tenant_count; i++) {
        gl_tenant_cfg *t = &cfg->tenants[i];
        if (!strcmp(t->id, "?"))
            continue;
        if (!t->code[0])
            for (size_t j = 0; j <= strlen(t->id); j++)
                t->code[j] = (char)(t->id[j] >= 'a' && t->id[j] <= 'z' ? t->id[j] - 32 : t->id[j]);
        for (size_t j = 0; j < i; j++)
            if (strcmp(cfg->tenants[j].id, "?") && !strcmp(cfg->tenants[j].code, t->code))
                add_error(cfg, t->line, "tenant '%s' has the same code '%s' as '%s'", t->id,
                          t->code, cfg->tenants[j].id);
    }
    if (cfg->group_line && !cfg->umbrella[0])
        add_error(cfg, cfg->group_line, "[group] needs umbrella = TENANT_ID");
    if (cfg->umbrella[0] && !gl_config_tenant(cfg, cfg->umbrella, strlen(cfg->umbrella)))
        add_error(cfg, cfg->group_line, "the umbrella '%s' is not a tenant", cfg->umbrella);
    check_combination(cfg);
    for (size_t i = 0; i < cfg->key_count; i++) {
        gl_key_cfg *k = &cfg->keys[i];
        if (k->has_pub == 0)
            add_error(cfg, k->line, "key '%s' has no public key", k->name);
        if (k->role == GL_ROLE_NONE)
            add_error(cfg, k->line, "key '%s' has no role", k->name);
        if (k->role == GL_ROLE_MEMBER && !k->tenant[0])
            add_error(cfg, k->line, "member key '%s' names no tenant", k->name);
        if (k->role != GL_ROLE_MEMBER && k->tenant[0])
            add_error(cfg, k->line, "key '%s': only member keys name a tenant", k->name);
        if (k->tenant[0] && !gl_config_tenant(cfg, k->tenant, strlen(k->tenant)))
            add_error(cfg, k->line, "key '%s' names unknown tenant '%s'", k->name, k->tenant);
        for (size_t j = 0; j < i && k->has_pub == 1; j++)
            if (cfg->keys[j].has_pub == 1 && !memcmp(cfg->keys[j].pub, k->pub, 32))
                add_error(cfg, k->line, "key '%s' repeats the public key of '%s'", k->name,
                          cfg->keys[j].name);
    }
    if (!cfg->data_dir[0])
        add_error(cfg, 1, "[daemon] data_dir is required");
    if (!cfg->curve && !strncmp(cfg->endpoint, "tcp://", 6))
        add_error(cfg, cfg->curve_line,
                  "curve = off is refused on a tcp:// endpoint (only ipc:// may go without CURVE)");
    for (size_t i = 0; i < cfg->key_count; i++) {
        gl_key_cfg *k = &cfg->keys[i];
        k->has_curve =
            k->has_pub == 1 && crypto_sign_ed25519_pk_to_curve25519(k->curve, k->pub) == 0;
    }
}

int gl_config_load(const char *path, gl_config *cfg)
{
    memset(cfg, 0, sizeof *cfg);
    snprintf(cfg->path, sizeof cfg->path, "%s", path);
    cfg->map_size_mb = 32768;
    cfg->batch_max = 1024;
    cfg->clock_skew_max_s = 300;
    cfg->curve = true;
    cfg->handshake_timeout_ms = 10000;
    cfg->commit_interval_ms = 100;
    cfg->retention_years = 10;
    cfg->person_keys_max = 100000;
    cfg->tenants = calloc(GL_CONFIG_TENANTS_MAX, sizeof *cfg->tenants);
    cfg->keys = calloc(GL_CONFIG_KEYS_MAX, sizeof *cfg->keys);
    struct parse_state st = {.cfg = cfg, .line = 1, .next_line = 1};
    if (!cfg->tenants || !cfg->keys) {
        add_error(cfg, 0, "out of memory");
        return (int)cfg->error_count;
    }
    char tmp[PATH_MAX];
    snprintf(tmp, sizeof tmp, "%s", path);
    snprintf(st.dir, sizeof st.dir, "%s", dirname(tmp));
    st.file = fopen(path, "r");
    if (!st.file) {
        add_error(cfg, 0, "cannot open: %s", strerror(errno));
        return (int)cfg->error_count;
    }
    int r = ini_parse_stream(counting_reader, &st, handler, &st);
    if (ferror(st.file))
        add_error(cfg, st.next_line, "cannot read the file: %s", strerror(errno));
    fclose(st.file);
    free(st.raw);
    if (r > 0) /* not expected: the reader hands inih only lines it parses */
        add_error(cfg, r, "syntax error (expected [section] or name = value)");
    else if (r < 0)
        add_error(cfg, 0, "cannot read the file");
    if (!cfg->endpoint[0] && cfg->data_dir[0] && !st.endpoint_line) {
        snprintf(cfg->endpoint, sizeof cfg->endpoint, "ipc://%s/grandlivred.sock", cfg->data_dir);
        check_endpoint(cfg, st.data_dir_line);
    }
    check_whole(cfg);
    return (int)cfg->error_count;
}

void gl_config_free(gl_config *cfg)
{
    for (size_t i = 0; i < cfg->error_count; i++)
        free(cfg->errors[i]);
    free(cfg->errors);
    free(cfg->tenants);
    free(cfg->keys);
    memset(cfg, 0, sizeof *cfg);
}

const gl_tenant_cfg *gl_config_tenant(const gl_config *cfg, const char *id, size_t id_len)
{
    for (size_t i = 0; i < cfg->tenant_count; i++)
        if (strlen(cfg->tenants[i].id) == id_len && !memcmp(cfg->tenants[i].id, id, id_len))
            return &cfg->tenants[i];
    return NULL;
}

const gl_key_cfg *gl_config_key(const gl_config *cfg, const uint8_t pub[32])
{
    for (size_t i = 0; i < cfg->key_count; i++)
        if (cfg->keys[i].has_pub == 1 && !memcmp(cfg->keys[i].pub, pub, 32))
            return &cfg->keys[i];
    return NULL;
}

const gl_key_cfg *gl_config_key_by_curve(const gl_config *cfg, const uint8_t curve[32])
{
    for (size_t i = 0; i < cfg->key_count; i++)
        if (cfg->keys[i].has_curve && sodium_memcmp(cfg->keys[i].curve, curve, 32) == 0)
            return &cfg->keys[i];
    return NULL;
}

const char *gl_config_restart_needed(const gl_config *a, const gl_config *b)
{
    if (strcmp(a->data_dir, b->data_dir))
        return "data_dir";
    if (strcmp(a->endpoint, b->endpoint))
        return "endpoint";
    if (a->map_size_mb != b->map_size_mb)
        return "map_size_mb";
    if (a->batch_max != b->batch_max)
        return "batch_max";
    if (a->curve != b->curve)
        return "curve";
    if (a->handshake_timeout_ms != b->handshake_timeout_ms)
        return "handshake_timeout_ms";
    if (a->verify_threads != b->verify_threads)
        return "verify_threads";
    if (a->commit_interval_ms != b->commit_interval_ms)
        return "commit_interval_ms";
    return NULL;
}

const char *gl_role_name(enum gl_role role)
{
    switch (role) {
    case GL_ROLE_MEMBER: return "member";
    case GL_ROLE_ACCOUNTANT: return "accountant";
    case GL_ROLE_AUDITOR: return "auditor";
    default: return "none";
    }
}

const gl_tenant_cfg *gl_config_partner(const gl_config *cfg, const char *code, size_t code_len)
{
    if (!cfg->umbrella[0] || code_len == 0)
        return NULL;
    for (size_t i = 0; i < cfg->tenant_count; i++)
        if (strlen(cfg->tenants[i].code) == code_len &&
            !memcmp(cfg->tenants[i].code, code, code_len))
            return &cfg->tenants[i];
    return NULL;
}
