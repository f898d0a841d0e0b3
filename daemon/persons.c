/*
 * daemon/persons.c — the key store of natural persons (persons.h): small
 * files, each written whole under a temporary name and renamed, so that
 * destroying a key can overwrite its very bytes (LMDB, copy-on-write,
 * would leave old pages holding it).
 */
#include "persons.h"

#include "proto/status.h"
#include "proto/third_party.h"

#include <sodium.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_MAGIC "GLPK"
#define GONE_MAGIC "GLPG"
#define FORMAT 1
#define KEY_FILE_LEN (4 + 1 + GL_PERSON_PK_BYTES + GL_PERSON_SK_BYTES)
#define GONE_FILE_LEN (4 + 1 + 4)

typedef struct person_paths {
    char dir[PATH_MAX];  /* DATA_DIR/persons/<hex tenant> */
    char key[PATH_MAX];  /* .../<hex code>.key */
    char gone[PATH_MAX]; /* .../<hex code>.gone */
    char tmp[PATH_MAX];  /* .../<hex code>.tmp */
} person_paths;

static void hex(char *out, gl_str s)
{
    sodium_bin2hex(out, 2 * s.len + 1, (const unsigned char *)s.ptr, s.len);
}

static void paths_of(person_paths *p, const char *data_dir, gl_str tenant, gl_str code)
{
    char t[2 * 64 + 1], c[2 * 64 + 1];
    hex(t, tenant.len > 64 ? (gl_str){tenant.ptr, 64} : tenant);
    hex(c, code.len > 64 ? (gl_str){code.ptr, 64} : code);
    snprintf(p->dir, sizeof p->dir, "%s/persons/%s", data_dir, t);
    snprintf(p->key, sizeof p->key, "%s/%s.key", p->dir, c);
    snprintf(p->gone, sizeof p->gone, "%s/%s.gone", p->dir, c);
    snprintf(p->tmp, sizeof p->tmp, "%s/%s.tmp", p->dir, c);
}

static int fail(char *err, size_t err_len, const char *what, const char *path)
{
    if (err)
        snprintf(err, err_len, "person key store: cannot %s %s: %s", what, path, strerror(errno));
    return GL_ERR_STORAGE;
}

static int sync_dir(const char *path)
{
    int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd < 0)
        return -1;
    int rc = fsync(fd);
    close(fd);
    return rc;
}

/* mkdir path (0700) if absent, its parent synced so the name is durable. */
static int make_dir(const char *path)
{
    if (mkdir(path, 0700) != 0)
        return errno == EEXIST ? 0 : -1;
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", path);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    return sync_dir(slash ? parent : ".");
}

/* Exactly len bytes of path into buf: 1, 0 if absent, -1 otherwise. */
static int read_exact(const char *path, uint8_t *buf, size_t len)
{
    int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? 0 : -1;
    ssize_t n = read(fd, buf, len);
    uint8_t extra;
    ssize_t more = n == (ssize_t)len ? read(fd, &extra, 1) : -1;
    close(fd);
    return n == (ssize_t)len && more == 0 ? 1 : -1;
}

/* bytes written whole to p->tmp, synced, renamed to dest, directory synced. */
static int write_durable(const person_paths *p, const char *dest, const uint8_t *bytes, size_t len,
                         char *err, size_t err_len)
{
    unlink(p->tmp); /* a crash's leftover */
    int fd = open(p->tmp, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (fd < 0)
        return fail(err, err_len, "create", p->tmp);
    bool ok = write(fd, bytes, len) == (ssize_t)len && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || rename(p->tmp, dest) != 0 || sync_dir(p->dir) != 0) {
        int st = fail(err, err_len, "write", dest);
        unlink(p->tmp);
        return st;
    }
    return GL_OK;
}

int persons_state(const char *data_dir, gl_str tenant, gl_str code, enum person_state *out,
                  uint32_t *gone_date)
{
    person_paths p;
    paths_of(&p, data_dir, tenant, code);
    uint8_t g[GONE_FILE_LEN];
    int rc = read_exact(p.gone, g, sizeof g);
    if (rc == 1 && !memcmp(g, GONE_MAGIC, 4)) {
        *out = PERSON_FORGOTTEN;
        if (gone_date)
            *gone_date = gl_rd32(g + 5);
        return GL_OK;
    }
    if (rc != 0)
        return GL_ERR_STORAGE;
    struct stat sb;
    if (lstat(p.key, &sb) == 0) {
        *out = PERSON_KEY;
        return GL_OK;
    }
    if (errno != ENOENT)
        return GL_ERR_STORAGE;
    *out = PERSON_NONE;
    return GL_OK;
}

/* The live key pair of p into kp (pk | sk): GL_OK, NOT_FOUND, STORAGE. */
static int load_pair(const person_paths *p, uint8_t kp[KEY_FILE_LEN])
{
    int rc = read_exact(p->key, kp, KEY_FILE_LEN);
    if (rc == 0)
        return GL_ERR_NOT_FOUND;
    if (rc < 0 || memcmp(kp, KEY_MAGIC, 4) || kp[4] != FORMAT) {
        sodium_memzero(kp, KEY_FILE_LEN);
        return GL_ERR_STORAGE;
    }
    return GL_OK;
}

/* The state of (tenant, code)'s key and its paths, for a change that
 * cannot be made in state `none_in` (GL_ERR_NOT_FOUND). */
static int look_up(const char *data_dir, gl_str tenant, gl_str code, enum person_state none_in,
                   enum person_state *state, person_paths *p, char *err, size_t err_len)
{
    if (persons_state(data_dir, tenant, code, state, NULL) != GL_OK)
        return fail(err, err_len, "read the state of", "a person's key");
    paths_of(p, data_dir, tenant, code);
    return *state == none_in ? GL_ERR_NOT_FOUND : GL_OK;
}

int persons_get_or_create(const char *data_dir, gl_str tenant, gl_str code,
                          uint8_t pk[GL_PERSON_PK_BYTES], char *err, size_t err_len)
{
    enum person_state state;
    person_paths p;
    int st = look_up(data_dir, tenant, code, PERSON_FORGOTTEN, &state, &p, err, err_len);
    if (st != GL_OK)
        return st;
    uint8_t kp[KEY_FILE_LEN];
    if (state == PERSON_KEY) {
        if ((st = load_pair(&p, kp)) != GL_OK)
            return fail(err, err_len, "read", p.key);
    } else {
        char root[PATH_MAX];
        snprintf(root, sizeof root, "%s/persons", data_dir);
        if (make_dir(root) != 0)
            return fail(err, err_len, "create", root);
        if (make_dir(p.dir) != 0)
            return fail(err, err_len, "create", p.dir);
        memcpy(kp, KEY_MAGIC, 4);
        kp[4] = FORMAT;
        crypto_box_keypair(kp + 5, kp + 5 + GL_PERSON_PK_BYTES);
        st = write_durable(&p, p.key, kp, sizeof kp, err, err_len);
    }
    memcpy(pk, kp + 5, GL_PERSON_PK_BYTES);
    sodium_memzero(kp, sizeof kp);
    return st;
}

int persons_count(const char *data_dir, gl_str tenant, size_t *n)
{
    person_paths p;
    paths_of(&p, data_dir, tenant, (gl_str){"", 0});
    *n = 0;
    DIR *d = opendir(p.dir);
    if (!d)
        return errno == ENOENT ? GL_OK : GL_ERR_STORAGE;
    struct dirent *e;
    while ((e = readdir(d))) {
        size_t len = strlen(e->d_name);
        *n += len > 4 && !strcmp(e->d_name + len - 4, ".key");
    }
    closedir(d);
    return GL_OK;
}

int persons_open_sealed(const char *data_dir, gl_str tenant, gl_str code, const uint8_t *sealed,
                        size_t sealed_len, gl_buf *out)
{
    enum person_state state;
    int st = persons_state(data_dir, tenant, code, &state, NULL);
    if (st != GL_OK || state != PERSON_KEY)
        return st != GL_OK ? st : GL_ERR_NOT_FOUND;
    person_paths p;
    paths_of(&p, data_dir, tenant, code);
    uint8_t kp[KEY_FILE_LEN];
    if ((st = load_pair(&p, kp)) != GL_OK)
        return st;
    bool ok = gl_identity_open(kp + 5, kp + 5 + GL_PERSON_PK_BYTES, sealed, sealed_len, out);
    sodium_memzero(kp, sizeof kp);
    return ok ? GL_OK : GL_ERR_STORAGE;
}

int persons_record_put(const char *data_dir, gl_str tenant, const gl_third_party *r, gl_buf *out)
{
    if (!(r->flags & GL_TP_SEALED)) {
        gl_put_bytes(out, r->raw, r->raw_len);
        return GL_OK;
    }
    gl_buf block;
    gl_buf_init(&block);
    int st = persons_open_sealed(data_dir, tenant, r->code, (const uint8_t *)r->ident.ptr,
                                 r->ident.len, &block);
    gl_identity id;
    if (st == GL_OK && gl_identity_decode(block.data, block.len, &id) != GL_OK)
        st = GL_ERR_STORAGE;
    if (st == GL_OK) {
        gl_third_party open = *r;
        open.flags &= (uint8_t)~GL_TP_SEALED;
        open.name = id.name, open.address = id.address, open.email = id.email, open.iban = id.iban;
        gl_third_party_encode(out, &open);
    } else if (st == GL_ERR_NOT_FOUND || st == GL_ERR_STORAGE) {
        /* forgotten: sealed for ever; or a block its key does not open
         * (refused at THIRD_PARTY_SET since): shown as stored, never a
         * failed page for the whole registry */
        gl_put_bytes(out, r->raw, r->raw_len);
        st = GL_OK;
    }
    sodium_memzero(block.data, block.len);
    gl_buf_free(&block);
    return st;
}

/* Zeros over the key file's bytes, in place, synced; then unlinked. */
static int shred_key(const person_paths *p, char *err, size_t err_len)
{
    int fd = open(p->key, O_WRONLY | O_NOFOLLOW | O_CLOEXEC);
    if (fd < 0)
        return errno == ENOENT ? GL_OK : fail(err, err_len, "open", p->key);
    uint8_t zeros[KEY_FILE_LEN] = {0};
    bool ok = pwrite(fd, zeros, sizeof zeros, 0) == (ssize_t)sizeof zeros && fsync(fd) == 0;
    ok = close(fd) == 0 && ok;
    if (!ok || unlink(p->key) != 0 || sync_dir(p->dir) != 0)
        return fail(err, err_len, "overwrite", p->key);
    return GL_OK;
}

int persons_destroy(const char *data_dir, gl_str tenant, gl_str code, uint32_t date, char *err,
                    size_t err_len)
{
    enum person_state state;
    person_paths p;
    int st = look_up(data_dir, tenant, code, PERSON_NONE, &state, &p, err, err_len);
    if (st != GL_OK)
        return st;
    if (state == PERSON_KEY) {
        uint8_t g[GONE_FILE_LEN];
        memcpy(g, GONE_MAGIC, 4);
        g[4] = FORMAT;
        gl_be32(g + 5, date);
        if ((st = write_durable(&p, p.gone, g, sizeof g, err, err_len)) != GL_OK)
            return st;
    }
    return shred_key(&p, err, err_len); /* again after a crash left it */
}

/* Copy the file from/name into dir to (0600, synced). */
static int copy_file(const char *from, const char *to, const char *name)
{
    char src[PATH_MAX], dst[PATH_MAX];
    snprintf(src, sizeof src, "%s/%s", from, name);
    snprintf(dst, sizeof dst, "%s/%s", to, name);
    uint8_t buf[KEY_FILE_LEN + 1];
    int in = open(src, O_RDONLY | O_NOFOLLOW | O_CLOEXEC);
    if (in < 0)
        return errno == ENOENT ? 0 : -1; /* destroyed meanwhile: not copied */
    ssize_t n = read(in, buf, sizeof buf);
    close(in);
    if (n < 0 || n > KEY_FILE_LEN)
        return -1;
    int out = open(dst, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
    if (out < 0)
        return -1;
    bool ok = write(out, buf, (size_t)n) == n && fsync(out) == 0;
    sodium_memzero(buf, sizeof buf);
    return close(out) == 0 && ok ? 0 : -1;
}

static bool wanted(const char *name)
{
    size_t n = strlen(name);
    return name[0] != '.' &&
           ((n > 4 && !strcmp(name + n - 4, ".key")) || (n > 5 && !strcmp(name + n - 5, ".gone")));
}

/* Whether name, in dir, is a .key beside a .gone mark: a FORGET cut off
 * between its mark and its shredding (persons_sweep finishes it at the
 * next start): never copied. */
static bool key_of_the_forgotten(const char *dir, const char *name)
{
    size_t n = strlen(name);
    if (n <= 4 || strcmp(name + n - 4, ".key"))
        return false;
    char gone[PATH_MAX];
    snprintf(gone, sizeof gone, "%s/%.*s.gone", dir, (int)(n - 4), name);
    return access(gone, F_OK) == 0;
}

/* One tenant's folder from/sub into to/sub. */
static int copy_tenant(const char *from, const char *to, const char *sub)
{
    char src[PATH_MAX], dst[PATH_MAX];
    snprintf(src, sizeof src, "%s/%s", from, sub);
    snprintf(dst, sizeof dst, "%s/%s", to, sub);
    if (mkdir(dst, 0700) != 0)
        return -1;
    DIR *d = opendir(src);
    if (!d)
        return -1;
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)))
        if (wanted(e->d_name) && !key_of_the_forgotten(src, e->d_name))
            rc = copy_file(src, dst, e->d_name);
    closedir(d);
    return rc == 0 ? sync_dir(dst) : rc;
}

int persons_backup(const char *data_dir, const char *dest, char *err, size_t err_len)
{
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/persons", data_dir);
    DIR *d = opendir(root);
    if (!d && errno == ENOENT)
        return GL_OK; /* no person has a key yet: nothing to copy */
    if (!d)
        return fail(err, err_len, "open", root);
    if (mkdir(dest, 0700) != 0) {
        int e = errno;
        closedir(d);
        if (e == EEXIST) {
            snprintf(err, err_len, "%s already exists", dest);
            return GL_ERR_BACKUP_EXISTS;
        }
        errno = e;
        return fail(err, err_len, "create", dest);
    }
    int rc = 0;
    struct dirent *e;
    while (rc == 0 && (e = readdir(d)))
        if (e->d_name[0] != '.')
            rc = copy_tenant(root, dest, e->d_name);
    closedir(d);
    if (rc != 0 || sync_dir(dest) != 0)
        return fail(err, err_len, "copy the person keys into", dest);
    char parent[PATH_MAX];
    snprintf(parent, sizeof parent, "%s", dest);
    char *slash = strrchr(parent, '/');
    if (slash)
        *slash = '\0';
    if (slash && sync_dir(parent) != 0)
        return fail(err, err_len, "sync", parent);
    return GL_OK;
}

/* Shred every .key of dir that has a .gone mark. */
static int sweep_tenant(const char *dir, char *err, size_t err_len)
{
    DIR *d = opendir(dir);
    if (!d)
        return fail(err, err_len, "open", dir);
    int st = GL_OK;
    struct dirent *e;
    while (st == GL_OK && (e = readdir(d))) {
        if (!key_of_the_forgotten(dir, e->d_name))
            continue;
        person_paths p;
        snprintf(p.dir, sizeof p.dir, "%s", dir);
        snprintf(p.key, sizeof p.key, "%s/%s", dir, e->d_name);
        st = shred_key(&p, err, err_len);
    }
    closedir(d);
    return st;
}

int persons_sweep(const char *data_dir, char *err, size_t err_len)
{
    char root[PATH_MAX];
    snprintf(root, sizeof root, "%s/persons", data_dir);
    DIR *d = opendir(root);
    if (!d)
        return errno == ENOENT ? GL_OK : fail(err, err_len, "open", root);
    int st = GL_OK;
    struct dirent *e;
    while (st == GL_OK && (e = readdir(d))) {
        if (e->d_name[0] == '.')
            continue;
        char dir[PATH_MAX];
        snprintf(dir, sizeof dir, "%s/%s", root, e->d_name);
        st = sweep_tenant(dir, err, err_len);
    }
    closedir(d);
    return st;
}
