/*
 * daemon/config.c — configuration loading with inih.  inih does not report
 * line numbers to handlers in Debian's build, so we feed it through our own
 * reader that counts lines: the handler then knows the line it is on.
 * Each key's CURVE public key is derived here once (libsodium), so that the
 * ZAP handler looks keys up without converting on every connection.
 */
#include "config.h"

#include "proto/wire.h"

#include <ini.h>
#include <errno.h>
#include <sodium.h>
#include <libgen.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

struct parse_state {
    gl_config *cfg;
    FILE *file;
    int line;         /* the line inih is handling */
    int next_line;    /* the line the next read starts */
    int section_line; /* the line of the last [section] header */
    char section[80];
    char dir[PATH_MAX];
};

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

static char *counting_reader(char *str, int num, void *stream)
{
    struct parse_state *st = stream;
    char *r = fgets(str, num, st->file);
    if (r) {
        st->line = st->next_line;
        const char *p = r;
        while (*p == ' ' || *p == '\t')
            p++;
        if (*p == '[')
            st->section_line = st->line;
        size_t n = strlen(r);
        if (n && r[n - 1] == '\n')
            st->next_line++;
    }
    return r;
}

static int hexval(char c)
{
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
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
        if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '-'))
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
                  errno == ENOENT ? "does not exist (create it, mode 0700, owned by the daemon's user)" : strerror(errno));
    else if (S_ISLNK(sb.st_mode))
        add_error(cfg, st->line, "backup_dir %s is a symbolic link: name the directory itself", cfg->backup_dir);
    else if (!S_ISDIR(sb.st_mode))
        add_error(cfg, st->line, "backup_dir %s is not a directory", cfg->backup_dir);
}

static void daemon_key(struct parse_state *st, const char *name, const char *value)
{
    gl_config *cfg = st->cfg;
    unsigned long long x;
    if (!strcmp(name, "data_dir")) {
        resolve_path(st, value, cfg->data_dir, sizeof cfg->data_dir);
    } else if (!strcmp(name, "backup_dir")) {
        backup_dir_key(st, value);
    } else if (!strcmp(name, "endpoint")) {
        if (strncmp(value, "ipc://", 6) && strncmp(value, "tcp://", 6))
            add_error(cfg, st->line, "endpoint must start with ipc:// or tcp://");
        else if (!strncmp(value, "ipc://", 6) && value[6] != '/') {
            char p[PATH_MAX];
            resolve_path(st, value + 6, p, sizeof p);
            snprintf(cfg->endpoint, sizeof cfg->endpoint, "ipc://%s", p);
        } else
            snprintf(cfg->endpoint, sizeof cfg->endpoint, "%s", value);
    } else if (!strcmp(name, "map_size_mb")) {
        if (parse_uint(value, 1ull << 30, &x) || x < 1)
            add_error(cfg, st->line, "map_size_mb must be a whole number of MiB from 1 to 2^30");
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
    } else {
        add_error(cfg, st->line, "unknown setting '%s' in [daemon]", name);
    }
}

static gl_tenant_cfg *current_tenant(gl_config *cfg) { return &cfg->tenants[cfg->tenant_count - 1]; }
static gl_key_cfg *current_key(gl_config *cfg) { return &cfg->keys[cfg->key_count - 1]; }

static void tenant_key(struct parse_state *st, const char *name, const char *value)
{
    gl_config *cfg = st->cfg;
    gl_tenant_cfg *t = current_tenant(cfg);
    unsigned long long x;
    if (!strcmp(name, "name")) {
        if (strlen(value) > GL_LABEL_MAX || !gl_utf8_valid(value, strlen(value)))
        {
            add_error(cfg, st->line, "tenant name must be valid UTF-8 of at most %d bytes", GL_LABEL_MAX);
            snprintf(t->name, sizeof t->name, "!"); /* reported once, here */
        }
        else
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
    } else if (!strcmp(name, "analytic_class9")) {
        if (parse_bool(value, &t->analytic_class9))
            add_error(cfg, st->line, "analytic_class9 must be yes or no (class 9 accounts in the general ledger)");
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
            add_error(cfg, st->line, "public must be 64 hexadecimal digits (an Ed25519 public key)");
            k->has_pub = -1;
        }
        else
            k->has_pub = 1;
    } else if (!strcmp(name, "role")) {
        if (!strcmp(value, "member")) k->role = GL_ROLE_MEMBER;
        else if (!strcmp(value, "accountant")) k->role = GL_ROLE_ACCOUNTANT;
        else if (!strcmp(value, "auditor")) k->role = GL_ROLE_AUDITOR;
        else {
            add_error(cfg, st->line, "role must be member, accountant or auditor");
            k->role = GL_ROLE_INVALID; /* reported once, here */
        }
    } else if (!strcmp(name, "tenant")) {
        if (!tenant_id_ok(value))
            add_error(cfg, st->line, "tenant id must be 1-%d characters a-z 0-9 _ -", GL_TENANT_MAX);
        else
            snprintf(k->tenant, sizeof k->tenant, "%s", value);
    } else if (!strcmp(name, "revoked")) {
        if (parse_bool(value, &k->revoked))
            add_error(cfg, st->line, "revoked must be yes or no");
    } else {
        add_error(cfg, st->line, "unknown setting '%s' in a [key] section", name);
    }
}

/* A new section line: create its record. */
static void open_section(struct parse_state *st, const char *section)
{
    gl_config *cfg = st->cfg;
    int saved_line = st->line;
    st->line = st->section_line;
    snprintf(st->section, sizeof st->section, "%s", section);
    if (!strncmp(section, "tenant ", 7)) {
        const char *id = section + 7;
        if (!tenant_id_ok(id))
            add_error(cfg, st->line, "tenant id '%s' must be 1-%d characters a-z 0-9 _ -", id, GL_TENANT_MAX);
        else if (gl_config_tenant(cfg, id, strlen(id)))
            add_error(cfg, st->line, "tenant '%s' defined twice", id);
        if (cfg->tenant_count == GL_CONFIG_TENANTS_MAX) {
            add_error(cfg, st->line, "too many tenants (at most %d)", GL_CONFIG_TENANTS_MAX);
            st->section[0] = '!';
            st->line = saved_line;
            return;
        }
        gl_tenant_cfg *t = &cfg->tenants[cfg->tenant_count++];
        memset(t, 0, sizeof *t);
        snprintf(t->id, sizeof t->id, "%s", tenant_id_ok(id) ? id : "?");
        t->first_month = 1;
        t->line = st->line;
    } else if (!strncmp(section, "key ", 4)) {
        if (cfg->key_count == GL_CONFIG_KEYS_MAX) {
            add_error(cfg, st->line, "too many keys (at most %d)", GL_CONFIG_KEYS_MAX);
            st->section[0] = '!';
            st->line = saved_line;
            return;
        }
        gl_key_cfg *k = &cfg->keys[cfg->key_count++];
        memset(k, 0, sizeof *k);
        snprintf(k->name, sizeof k->name, "%s", section + 4);
        k->line = st->line;
    } else if (!strcmp(section, "group")) {
        cfg->group_line = st->line;
    } else if (strcmp(section, "daemon") != 0) {
        add_error(cfg, st->line, "unknown section [%s] (expected [daemon], [tenant ID] or [key NAME])", section);
        st->section[0] = '!';
    }
    st->line = saved_line;
}

static int handler(void *user, const char *section, const char *name, const char *value)
{
    struct parse_state *st = user;
    if (strcmp(section, st->section) != 0)
        open_section(st, section);
    if (!name) /* section line only (INI_CALL_HANDLER_ON_NEW_SECTION builds) */
        return 1;
    if (st->section[0] == '!')
        return 1;
    if (!strcmp(section, "daemon"))
        daemon_key(st, name, value);
    else if (!strncmp(section, "tenant ", 7))
        tenant_key(st, name, value);
    else if (!strncmp(section, "key ", 4))
        key_key(st, name, value);
    else if (!strcmp(section, "group")) {
        if (strcmp(name, "umbrella") || !tenant_id_ok(value))
            add_error(st->cfg, st->line, "[group] takes umbrella = TENANT_ID");
        else
            snprintf(st->cfg->umbrella, sizeof st->cfg->umbrella, "%s", value);
    }
    else if (!section[0])
        add_error(st->cfg, st->line, "setting '%s' outside any section", name);
    return 1;
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
        if (!t->code[0])
            for (size_t j = 0; j <= strlen(t->id); j++)
                t->code[j] = (char)(t->id[j] >= 'a' && t->id[j] <= 'z' ? t->id[j] - 32 : t->id[j]);
        for (size_t j = 0; j < i; j++)
            if (!strcmp(cfg->tenants[j].code, t->code))
                add_error(cfg, t->line, "tenant '%s' has the same code '%s' as '%s'", t->id, t->code, cfg->tenants[j].id);
    }
    if (cfg->group_line && !cfg->umbrella[0])
        add_error(cfg, cfg->group_line, "[group] needs umbrella = TENANT_ID");
    if (cfg->umbrella[0] && !gl_config_tenant(cfg, cfg->umbrella, strlen(cfg->umbrella)))
        add_error(cfg, cfg->group_line, "the umbrella '%s' is not a tenant", cfg->umbrella);
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
                add_error(cfg, k->line, "key '%s' repeats the public key of '%s'", k->name, cfg->keys[j].name);
    }
    if (!cfg->data_dir[0])
        add_error(cfg, 1, "[daemon] data_dir is required");
    if (!cfg->curve && !strncmp(cfg->endpoint, "tcp://", 6))
        add_error(cfg, cfg->curve_line, "curve = off is refused on a tcp:// endpoint (only ipc:// may go without CURVE)");
    for (size_t i = 0; i < cfg->key_count; i++) {
        gl_key_cfg *k = &cfg->keys[i];
        k->has_curve = k->has_pub == 1 && crypto_sign_ed25519_pk_to_curve25519(k->curve, k->pub) == 0;
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
    fclose(st.file);
    if (r > 0)
        add_error(cfg, r, "syntax error (expected [section] or name = value)");
    else if (r < 0)
        add_error(cfg, 0, "cannot read the file");
    check_whole(cfg);
    if (!cfg->endpoint[0] && cfg->data_dir[0])
        snprintf(cfg->endpoint, sizeof cfg->endpoint, "ipc://%s/grandlivred.sock", cfg->data_dir);
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
        if (strlen(cfg->tenants[i].code) == code_len && !memcmp(cfg->tenants[i].code, code, code_len))
            return &cfg->tenants[i];
    return NULL;
}
