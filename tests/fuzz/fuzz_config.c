/*
 * tests/fuzz/fuzz_config.c — libFuzzer target for the daemon's configuration
 * parser (daemon/config.c, inih underneath).  gl_config_load takes a path,
 * so each input is written to a memfd read back as /proc/self/fd/N (no file
 * left behind, nothing else touched).  Any input must either load, and then
 * satisfy what the daemon relies on (every key has a public key and a role,
 * members name a configured tenant, no CURVE is never on tcp://, each key is
 * found again by its CURVE key, key names are distinct and recordable in
 * the keyring history), or fail with as many errors as it reports,
 * each "file:line: message".  Never a crash, a leak or a read out of bounds.
 * Seeds: tests/fuzz/corpus/fuzz_config/.
 */
#include "daemon/config.h"

#include "proto/wire.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_loaded(const gl_config *c)
{
    if (!c->data_dir[0] || (strncmp(c->endpoint, "ipc://", 6) && strncmp(c->endpoint, "tcp://", 6)))
        abort();
    if (!c->curve && !strncmp(c->endpoint, "tcp://", 6))
        abort();
    if (gl_config_restart_needed(c, c))
        abort();
    for (size_t i = 0; i < c->key_count; i++) {
        const gl_key_cfg *k = &c->keys[i];
        if (k->has_pub != 1 || k->role <= GL_ROLE_NONE || k->role > GL_ROLE_AUDITOR)
            abort();
        if ((k->role == GL_ROLE_MEMBER) != (k->tenant[0] != '\0'))
            abort();
        if (k->tenant[0] && !gl_config_tenant(c, k->tenant, strlen(k->tenant)))
            abort();
        if (gl_config_key(c, k->pub) != k)
            abort();
        /* A name the keyring history can record (daemon/store/keyring_store.h), once. */
        size_t n = strlen(k->name);
        if (n == 0 || n > GL_KEY_NAME_MAX || !gl_utf8_valid(k->name, n))
            abort();
        for (size_t j = 0; j < i; j++)
            if (!strcmp(c->keys[j].name, k->name))
                abort();
        if (k->has_curve && !gl_config_key_by_curve(c, k->curve))
            abort();
    }
}

static void check_refused(const gl_config *c, int errors, const char *path)
{
    if (errors <= 0 || (size_t)errors != c->error_count)
        abort();
    for (size_t i = 0; i < c->error_count; i++)
        if (strncmp(c->errors[i], path, strlen(path)) || c->errors[i][strlen(path)] != ':')
            abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static int fd = -1;
    static char path[64];
    if (fd < 0) {
        fd = memfd_create("fuzz_config", 0);
        if (fd < 0)
            abort();
        snprintf(path, sizeof path, "/proc/self/fd/%d", fd);
    }
    if (ftruncate(fd, 0) != 0 || pwrite(fd, data, size, 0) != (ssize_t)size)
        abort();
    gl_config c;
    int errors = gl_config_load(path, &c);
    if (errors == 0)
        check_loaded(&c);
    else
        check_refused(&c, errors, path);
    gl_config_free(&c);
    return 0;
}
