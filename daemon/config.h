/*
 * daemon/config.h — the daemon's configuration: data directory, endpoint,
 * map size, tenants and keyring, read from one INI file with inih.
 *
 *   [daemon]            data_dir, endpoint, map_size_mb, batch_max,
 *                       clock_skew_max_s, curve (on|off, default on; off is
 *                       refused on tcp://), handshake_timeout_ms,
 *                       backup_dir (an existing directory, not a symlink;
 *                       unset: BACKUP answers backup_disabled),
 *                       verify_threads (0-64, default 0: one per online
 *                       core; the threads that check request signatures),
 *                       commit_interval_ms (0-60000, default 100: how long
 *                       acknowledged writes may stay in the journal alone
 *                       before LMDB commits them; 0: every batch),
 *                       retention_years (1-100, default 10: FORGET waits
 *                       this long after a person's last fiscal year),
 *                       person_keys_max (1-10000000, default 100000: the
 *                       live person keys of one tenant, PERSON_KEY's cap)
 *   [tenant <id>]       name, siren, first_month (1-12, default 1),
 *                       code (its auxiliary account code in the other
 *                       tenants' books; default: the id in capitals),
 *                       future_years (0-10, default 1: entries may be dated
 *                       up to the end of the fiscal year that many years
 *                       after the current one)
 *                       analytic_class9 (yes|no, default no: class 9
 *                       accounts, analytic ones, may be opened and posted to)
 *   [group]             umbrella (the tenant id of the umbrella; every other
 *                       tenant is a member); without it there is no group;
 *                       combination (optional: the tenant id of the group's
 *                       combination ledger, the adjustments of the combined
 *                       accounts: a configured tenant, not the umbrella, no
 *                       member key naming it; it is then no member)
 *   [key <name>]        public (64 hex), role (member|accountant|auditor),
 *                       tenant (members only), revoked (yes|no, default no)
 *
 * Every error is collected as "file:line: message" (all of them, not only
 * the first); gl_config_load fails if there is at least one.  Relative paths
 * are taken from the configuration file's directory.  Each section and each
 * setting may appear once; a key's name is what the keyring history can
 * record (GL_KEY_NAME_MAX); lines inih would read otherwise than they look
 * (indented continuations, lines over its buffer, NUL bytes) are errors.
 * gl_config_load is the whole check of the file: `-n`, the start and the
 * reload all call it, and nothing later refuses a file for what it says
 * alone (a reload may still be refused for what the ledger holds:
 * daemon/reload.h).
 */
#ifndef GL_CONFIG_H
#define GL_CONFIG_H

#include "proto/limits.h"

#include <limits.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum gl_role {
    GL_ROLE_INVALID = -1,
    GL_ROLE_NONE = 0,
    GL_ROLE_MEMBER,
    GL_ROLE_ACCOUNTANT,
    GL_ROLE_AUDITOR
};

typedef struct gl_tenant_cfg {
    char id[GL_TENANT_MAX + 1];
    char name[GL_LABEL_MAX + 1];
    char siren[16];
    unsigned first_month;
    char code[GL_AUX_MAX + 1]; /* auxiliary code standing for it in the group */
    unsigned
        future_years; /* entries up to the end of fiscal year current + this (0-10, default 1) */
    bool analytic_class9; /* class 9 accounts in its general ledger */
    /* third_parties = required: a line on a collective account names a
     * third party of the registry (rules/third_party.h); optional (the
     * default, for ledgers migrating) does not check */
    bool third_parties_required;
    int line;
} gl_tenant_cfg;

/* A key's name: 1-63 bytes of UTF-8 without control characters, no space
 * at either end (recorded in the keyring history, store/keyring_store.h). */
#define GL_KEY_NAME_MAX 63

/* The largest map_size_mb: 64 TiB, half of x86-64's 47-bit user address
 * space (one mapping of more fails at start with ENOMEM). */
#define GL_MAP_SIZE_MB_MAX (1ull << 26)

typedef struct gl_key_cfg {
    char name[GL_KEY_NAME_MAX + 1];
    uint8_t pub[32];
    int has_pub;
    enum gl_role role;
    char tenant[GL_TENANT_MAX + 1];
    int line;
    /* `revoked = yes`, or (set by the daemon, daemon/keyring.c) revoked in
     * the keyring history kept in the ledger: refused from then on. */
    bool revoked;
    /* The key's CURVE (X25519) public key, with which its owner connects;
     * has_curve is false when pub is not a usable Ed25519 point (such a key
     * can never connect). */
    bool has_curve;
    uint8_t curve[32];
} gl_key_cfg;

#define GL_CONFIG_TENANTS_MAX 256
#define GL_FUTURE_YEARS_MAX 10
#define GL_CONFIG_KEYS_MAX 4096

typedef struct gl_config {
    char path[PATH_MAX];
    char data_dir[PATH_MAX];
    char backup_dir[PATH_MAX]; /* where BACKUP writes; "" = backups disabled */
    int backup_dir_line;
    char endpoint[PATH_MAX + 64];
    uint64_t map_size_mb;
    unsigned batch_max;
    unsigned clock_skew_max_s; /* accepted |request time - daemon time| */
    bool curve;                /* CURVE on the endpoint (default; off only on ipc://) */
    int curve_line;
    unsigned handshake_timeout_ms; /* a connection must finish its handshake within it */
    unsigned verify_threads;       /* signature threads; 0: one per online core */
    unsigned commit_interval_ms;   /* LMDB commits behind the journal at most this late */
    /* FORGET (issue 17) is refused until this many years after the end of
     * the last fiscal year naming the person (Code de commerce L123-22: 10) */
    unsigned retention_years;
    /* PERSON_KEY refuses a new key past this many live keys in a tenant
     * (person_keys_full, 465): the key store is files, one per person */
    unsigned person_keys_max;
    gl_tenant_cfg *tenants;
    size_t tenant_count;
    gl_key_cfg *keys;
    size_t key_count;
    char umbrella[GL_TENANT_MAX + 1];    /* "" when no [group] */
    char combination[GL_TENANT_MAX + 1]; /* "" when none: the combination ledger */
    int group_line;
    char **errors; /* "file:line: message" */
    size_t error_count;
} gl_config;

/* Load and check path. Returns 0 if valid, else the number of errors (each
 * in cfg->errors). cfg must be freed with gl_config_free either way. */
int gl_config_load(const char *path, gl_config *cfg);
void gl_config_free(gl_config *cfg);

const gl_tenant_cfg *gl_config_tenant(const gl_config *cfg, const char *id, size_t id_len);
/* Is id the group's combination ledger ([group] combination)? */
bool gl_config_is_combination(const gl_config *cfg, const char *id);
const gl_key_cfg *gl_config_key(const gl_config *cfg, const uint8_t pub[32]);
/* The key whose CURVE public key is curve (NULL if none). */
const gl_key_cfg *gl_config_key_by_curve(const gl_config *cfg, const uint8_t curve[32]);
/* The first setting that differs between a and b and can only change with a
 * restart (data_dir, endpoint, map_size_mb, batch_max, curve,
 * handshake_timeout_ms, verify_threads, commit_interval_ms), or NULL if none does. */
const char *gl_config_restart_needed(const gl_config *a, const gl_config *b);
/* The group tenant whose code is `code` (the partner a line's auxiliary
 * account names), or NULL. */
const gl_tenant_cfg *gl_config_partner(const gl_config *cfg, const char *code, size_t code_len);
const char *gl_role_name(enum gl_role role);

#endif
